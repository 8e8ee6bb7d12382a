//! NIK recovery: find the resident behind a record whose NIK is missing,
//! invalid or does not verify, without trusting the NIK.
//!
//! **Blocking.** Candidates are the register rows that share at least one
//! key with the record: (birth date, sex, province) — also with day and
//! month swapped —, (phonetic name key, birth year), (phonetic key of the
//! mother's name, birth year, province), plus the mapping's `[recovery]
//! block_on` rules (an identifier extra, or parts joined by `+` such as
//! `postcode+birth_year`). A register row without a sex or a province is
//! in the block without one; a record without them is looked up in every
//! sex's and province's block. Blocks larger than [`MAX_BLOCK`] are
//! skipped (they say nothing).
//!
//! **Scoring (Fellegi–Sunter).** Each candidate pair gets a comparison
//! vector: name similarity (≥ 0.95 / ≥ 0.85 / ≥ 0.70 / less but a typing
//! slip, [`name::near_miss`] / less), birth date
//! (equal / day-month swap / same year / other), sex, birth place (fuzzy ≥
//! 0.90 or not), mother's name (≥ 0.85 / ≥ 0.70 / less) and the submitted
//! NIK (within two changed digits or one adjacent swap, or the leading
//! digits of a spreadsheet-mangled number, or not), then every extra the
//! mapping gives a `compare` (`id`: equal / one edit / two edits / other;
//! `text`: equal / Jaro-Winkler ≥ 0.9 / other); a missing value leaves
//! its element out. The u-probabilities (chance agreement) come from the
//! register's own blocks, as a joint distribution of comparison vectors
//! (`JointU`: blocking makes a non-match's elements dependent); u is held
//! fixed and m and the match share λ are estimated by
//! expectation-maximisation on the candidate pairs themselves, m starting
//! from the batch's verified (`SESUAI`) rows when there are at least 100
//! (re-estimating u there too let EM latch onto same-name-same-year pairs
//! on generator data, and cost recall on FEBRL4). A pair's score is
//! log2(m/u) of its vector, its match probability λ·m / (λ·m + (1−λ)·u).
//!
//! **Decision.** The best candidate is accepted (the record is *recovered*)
//! when its probability is at least the accept threshold and its score
//! beats the runner-up by at least the margin.

use std::hash::{Hash, Hasher};

use chrono::{Datelike, NaiveDate};

use super::MatchError;
use super::record::{Element, Extra, ExtraCompare, Mapping, Record};
use super::verify::{clean_place, place_similarity_clean};
use crate::name::osa_within;
use crate::name::{self, BlockScorer, PreparedName};
use crate::nik::Sex;

/// Largest block that is scored.
pub const MAX_BLOCK: usize = 5_000;

/// Number of compared elements.
pub const FIELDS: usize = 6;
/// Names of the compared elements in `kandidat.csv` (`ELEMEN_SESUAI`).
pub const FIELD_NAMES: [&str; FIELDS] = [
    "NAMA_LGKP",
    "TGL_LHR",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "NAMA_LGKP_IBU",
    "NIK",
];
const LEVELS: [usize; FIELDS] = [5, 4, 2, 2, 3, 2];
/// Most compared elements: the built-in ones and up to 10 extras.
pub const MAX_FIELDS: usize = 16;
const MISSING: u8 = u8::MAX;

/// A comparison vector: the level of each element ([`MISSING`] when a side
/// is empty); elements past the spec's count stay missing.
type Gamma = [u8; MAX_FIELDS];

/// A part of a blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Extra(usize),
    BirthDate,
    BirthYear,
    Sex,
    Name,
    MotherName,
    BirthPlace,
}

/// What recovery compares and blocks on beyond its built-in elements: the
/// extras with a `compare` and the `[recovery] block_on` rules of the
/// mappings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecoverySpec {
    extras: Vec<(String, ExtraCompare)>,
    rules: Vec<Vec<Part>>,
    names: Vec<String>,
    levels: Vec<usize>,
    /// Whether the date and mother's-name blocks are per province. Off for
    /// `dedupe`: one person under two NIKs has often registered again
    /// after moving.
    pub(crate) regional: bool,
}

impl Default for RecoverySpec {
    fn default() -> Self {
        RecoverySpec {
            extras: Vec::new(),
            rules: Vec::new(),
            names: FIELD_NAMES.iter().map(|s| s.to_string()).collect(),
            levels: LEVELS.to_vec(),
            regional: true,
        }
    }
}

impl RecoverySpec {
    /// The spec of the mappings (register's first): an extra is compared
    /// when any mapping gives it a `compare` (the first one wins); the rules
    /// are all mappings' `block_on`, duplicates dropped.
    pub(crate) fn new(mappings: &[&Mapping]) -> Result<RecoverySpec, MatchError> {
        let mut spec = RecoverySpec::default();
        for m in mappings {
            for (name, e) in &m.extras {
                if let Some(c) = e.compare
                    && !spec.extras.iter().any(|(n, _)| n == name)
                {
                    spec.extras.push((name.clone(), c));
                }
            }
        }
        spec.extras.sort_by(|a, b| a.0.cmp(&b.0));
        if spec.extras.len() > MAX_FIELDS - FIELDS {
            return Err(MatchError::Config {
                what: "mapping",
                reason: format!(
                    "{} extras have `compare`; recovery compares at most {}",
                    spec.extras.len(),
                    MAX_FIELDS - FIELDS
                ),
            });
        }
        for (name, c) in &spec.extras {
            spec.names.push(name.clone());
            spec.levels.push(match c {
                ExtraCompare::Id => 4,
                ExtraCompare::Text => 3,
            });
        }
        let mut seen: Vec<String> = Vec::new();
        for m in mappings {
            for rule in &m.recovery.block_on {
                let rule = rule.trim();
                if seen.iter().any(|r| r == rule) {
                    continue;
                }
                seen.push(rule.to_string());
                let mut parts = Vec::new();
                for p in rule.split('+').map(str::trim) {
                    parts.push(match p {
                        "birth_date" => Part::BirthDate,
                        "birth_year" => Part::BirthYear,
                        "sex" => Part::Sex,
                        "name" => Part::Name,
                        "mother_name" => Part::MotherName,
                        "birth_place" => Part::BirthPlace,
                        _ => match spec.extras.iter().position(|(n, _)| n == p) {
                            Some(i) => Part::Extra(i),
                            None => {
                                return Err(MatchError::Config {
                                    what: "mapping",
                                    reason: format!(
                                        "[recovery] block_on rule `{rule}`: `{p}` is neither an extra with `compare` nor one of birth_date, birth_year, sex, name, mother_name, birth_place"
                                    ),
                                });
                            }
                        },
                    });
                }
                spec.rules.push(parts);
            }
        }
        Ok(spec)
    }

    /// Names of the extras whose values recovery reads.
    pub(crate) fn extra_names(&self) -> Vec<&str> {
        self.extras.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Number of compared elements.
    fn fields(&self) -> usize {
        self.levels.len()
    }

    /// The names of the elements at level 0 (agreeing) in comparison
    /// vector `g`, in element order (`kandidat.csv`'s agreeing elements).
    fn agreeing(&self, g: &[u8]) -> Vec<&str> {
        g.iter()
            .take(self.fields())
            .enumerate()
            .filter(|(_, l)| **l == 0)
            .map(|(f, _)| self.names[f].as_str())
            .collect()
    }

    /// The compared extras of a record, normalised (empty when missing).
    fn extras_of(&self, r: &Record) -> Box<[Box<str>]> {
        self.extras
            .iter()
            .map(|(name, c)| {
                let v = r
                    .extras
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| match v {
                        Extra::Id(s) | Extra::Text(s) => std::borrow::Cow::Borrowed(s.as_str()),
                        Extra::Date(d) => std::borrow::Cow::Owned(d.format("%Y-%m-%d").to_string()),
                    });
                v.map(|v| normalize_extra(&v, *c))
                    .unwrap_or_default()
                    .into()
            })
            .collect()
    }
}

/// An extra's value as compared: identifiers keep upper-cased letters and
/// digits; text is upper-cased with its spaces collapsed.
fn normalize_extra(v: &str, c: ExtraCompare) -> String {
    match c {
        ExtraCompare::Id => v
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect(),
        ExtraCompare::Text => v
            .split_whitespace()
            .map(str::to_uppercase)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The level of an extra's comparison (both sides filled).
fn extra_level(a: &str, b: &str, c: ExtraCompare) -> u8 {
    match c {
        ExtraCompare::Id => {
            if a == b {
                0
            } else {
                osa_within(a, b, 2).min(3) as u8
            }
        }
        ExtraCompare::Text => {
            if a == b {
                0
            } else if name::jaro_winkler(a, b) >= 0.9 {
                1
            } else {
                2
            }
        }
    }
}

/// What recovery needs of one register row.
pub(crate) struct Resident {
    pub(crate) nik: u64,
    pub(crate) name_key: Box<str>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<Sex>,
    /// The birth place as compared ([`clean_place`]).
    pub(crate) place: Box<str>,
    /// Whether a birth place was given (its clean form may be empty).
    pub(crate) place_filled: bool,
    pub(crate) mother_key: Box<str>,
    /// The spec's compared extras, normalised (empty when missing).
    pub(crate) extras: Box<[Box<str>]>,
    /// The province code of its address (`NO_PROP`), a blocking part.
    region: Option<u8>,
    /// Its blocking keys (computed here, where rows are converted in
    /// parallel, so that the index only appends them).
    keys: Vec<u64>,
    /// The key of `mother_key` as the comparison uses it, when it differs
    /// from `mother_key` (see [`MotherCmp`]).
    mother_cmp: Option<Box<str>>,
}

impl Resident {
    pub(crate) fn of(nik: u64, r: &Record, spec: &RecoverySpec) -> Resident {
        Resident {
            nik,
            name_key: r
                .get(Element::Name)
                .map(name::matching_key)
                .unwrap_or_default()
                .into(),
            birth_date: r.birth_date,
            sex: r.sex,
            place: clean_place(r.get(Element::BirthPlace).unwrap_or("")).into(),
            place_filled: r.get(Element::BirthPlace).is_some_and(|p| !p.is_empty()),
            mother_key: r
                .get(Element::MotherName)
                .map(name::matching_key)
                .unwrap_or_default()
                .into(),
            extras: spec.extras_of(r),
            region: region_of(r).filter(|_| spec.regional),
            keys: Vec::new(),
            mother_cmp: None,
        }
        .keyed(spec)
    }

    /// Computes its blocking keys and compared mother's key.
    fn keyed(mut self, spec: &RecoverySpec) -> Resident {
        let res = &self;
        let mut keys = Vec::with_capacity(3);
        keys_of(
            &res.name_key,
            &res.mother_key,
            res.birth_date,
            res.sex,
            res.region,
            &mut keys,
        );
        if !spec.rules.is_empty() {
            let v = KeyView {
                name_key: &res.name_key,
                mother_key: &res.mother_key,
                date: res.birth_date,
                sex: res.sex,
                place: &res.place,
                extras: &res.extras,
            };
            rule_keys(spec, &v, &mut keys);
        }
        let mother = clamp16(&res.mother_key);
        let keyed = PreparedName::new(mother);
        let mother_cmp = (keyed.key() != mother).then(|| keyed.key().into());
        self.keys = keys;
        self.mother_cmp = mother_cmp;
        self
    }
}

/// A resident in the index: 32 bytes, its texts in the index's arena
/// (name key, birth place, mother's name key and, when it differs, the
/// compared form of the mother's name key, one after the other), so that
/// comparing a candidate touches two cache lines, not five.
#[derive(Clone, Copy)]
struct Entry {
    nik: u64,
    start: u64,
    name_len: u16,
    place_len: u16,
    mother_len: u16,
    /// Length of the compared mother's key after the mother's key, when
    /// `mother_cmp` is [`MotherCmp::STORED`].
    mother_cmp_len: u16,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
    place_filled: bool,
    mother_cmp: u8,
    /// Province code, 0 for none.
    region: u8,
}

impl Entry {
    /// Bytes of its texts in the arena.
    fn text_len(&self) -> usize {
        let cmp = if self.mother_cmp == MotherCmp::STORED {
            usize::from(self.mother_cmp_len)
        } else {
            0
        };
        usize::from(self.name_len)
            + usize::from(self.place_len)
            + usize::from(self.mother_len)
            + cmp
    }

    /// Sort key of the birth-date blocks: date, sex, province.
    fn date_order(&self) -> u64 {
        let days = self
            .birth_date
            .map_or(0, |d| i64::from(d.num_days_from_ce()) + (1 << 31)) as u64;
        let sex = match self.sex {
            None => 0,
            Some(Sex::Male) => 1,
            Some(_) => 2,
        };
        (days << 16) | (sex << 8) | u64::from(self.region)
    }
}

/// How the mother's name of an [`Entry`] is compared. `name::similarity`
/// keys both of its arguments, and keying a matching key again is not
/// always the identity; so the index stores the key of the mother's key
/// once, and a pair compares prepared names without keying anything.
struct MotherCmp;

impl MotherCmp {
    /// The mother's key is its own key.
    const SAME: u8 = 0;
    /// Its key follows it in the arena.
    const STORED: u8 = 1;
    /// Its key is too long to store (no name is): keyed per pair.
    const PER_PAIR: u8 = 2;
}

/// A resident of the index, borrowed.
#[derive(Clone, Copy)]
pub(crate) struct ResidentRef<'a> {
    pub(crate) nik: u64,
    name_key: &'a str,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
    place: &'a str,
    place_filled: bool,
    mother_key: &'a str,
    /// The key of `mother_key`, as `name::similarity` compares it; `None`
    /// when it is to be keyed per pair.
    mother_cmp: Option<&'a str>,
    extras: &'a [Box<str>],
    region: Option<u8>,
}

/// The longest prefix of `s` of at most `u16::MAX` bytes on a character
/// boundary (a longer text is not a name or a place).
fn clamp16(s: &str) -> &str {
    let mut n = s.len().min(usize::from(u16::MAX));
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// The blocking index over the register.
#[derive(Default)]
pub(crate) struct RecoverIndex {
    entries: Vec<Entry>,
    arena: String,
    /// Per resident its compared extras; empty when the spec has none.
    extras: Vec<Box<[Box<str>]>>,
    /// (blocking key, resident) of every resident's keys; sorted by
    /// [`RecoverIndex::finish`] and then split into `keys` and `ids`.
    pending: Vec<(u64, u32)>,
    /// The blocking keys, sorted, and beside each its resident.
    keys: Vec<u64>,
    ids: Vec<u32>,
    /// A radix directory over `keys`: the keys whose top `radix_bits`
    /// bits are `b` are `keys[directory[b]..directory[b + 1]]`, so that a
    /// look-up reads two directory entries and a handful of keys instead
    /// of binary-searching tens of millions (a cache miss per step).
    directory: Vec<u32>,
    radix_bits: u32,
    /// Which province codes (and, at 0, "none") the residents have: a
    /// record without a province is looked up in each of their blocks.
    regions_seen: Vec<bool>,
    /// Per resident its position in push order ([`finish`](Self::finish)
    /// reorders them).
    pushed_as: Vec<u32>,
    pub(crate) spec: RecoverySpec,
}

fn key_hash(kind: u8, a: &str, b: i64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    kind.hash(&mut h);
    a.hash(&mut h);
    b.hash(&mut h);
    h.finish()
}

/// A record's province code (the first two digits of its region code,
/// `NO_PROP`), when it has a valid one.
fn region_of(r: &Record) -> Option<u8> {
    let p = r.get(Element::Province)?.trim();
    let p = p.get(..2).filter(|_| p.len() == 2 || p.len() >= 10)?;
    p.parse::<u8>().ok().filter(|&c| (11..=99).contains(&c))
}

/// A region as a blocking-key number (999: none).
fn region_code(region: Option<u8>) -> i64 {
    region.map_or(999, i64::from)
}

/// The (birth date, sex, province) block; `sex` `None` for a register or
/// dataset without a sex column (e.g. FEBRL), `region` `None` for rows
/// without a province.
fn date_key(d: NaiveDate, sex: Option<Sex>, region: Option<u8>) -> u64 {
    key_hash(
        1,
        sex.map_or("", Sex::as_str),
        i64::from(d.num_days_from_ce()) * 1000 + region_code(region),
    )
}

/// The (phonetic key of the mother's name, birth year, province) block.
fn mother_key(mother_key: &str, d: NaiveDate, region: Option<u8>) -> u64 {
    key_hash(
        3,
        &name::key::phonetic_of_key(mother_key),
        i64::from(d.year()) * 1000 + region_code(region),
    )
}

/// What the blocking keys are made of.
struct KeyView<'a> {
    name_key: &'a str,
    mother_key: &'a str,
    date: Option<NaiveDate>,
    sex: Option<Sex>,
    place: &'a str,
    extras: &'a [Box<str>],
}

/// The keys of the spec's `block_on` rules (kind 16 + rule number).
fn rule_keys(spec: &RecoverySpec, v: &KeyView<'_>, out: &mut Vec<u64>) {
    let mut text = String::new();
    'rules: for (i, rule) in spec.rules.iter().enumerate() {
        text.clear();
        for p in rule {
            let part: std::borrow::Cow<'_, str> = match p {
                Part::Extra(e) => v.extras[*e].as_ref().into(),
                Part::BirthDate => v
                    .date
                    .map(|d| d.num_days_from_ce().to_string())
                    .unwrap_or_default()
                    .into(),
                Part::BirthYear => v
                    .date
                    .map(|d| d.year().to_string())
                    .unwrap_or_default()
                    .into(),
                Part::Sex => v.sex.map(Sex::as_str).unwrap_or("").into(),
                Part::Name if !v.name_key.is_empty() => {
                    name::key::phonetic_of_key(v.name_key).into()
                }
                Part::MotherName if !v.mother_key.is_empty() => {
                    name::key::phonetic_of_key(v.mother_key).into()
                }
                Part::Name | Part::MotherName => "".into(),
                Part::BirthPlace => normalize_extra(v.place, ExtraCompare::Text).into(),
            };
            if part.is_empty() {
                continue 'rules;
            }
            text.push_str(&part);
            text.push('\x1f');
        }
        out.push(key_hash(16u8.saturating_add(i as u8), &text, 0));
    }
}

/// The (phonetic name key, birth year) block.
fn name_key(name_key: &str, d: NaiveDate) -> u64 {
    key_hash(
        2,
        &name::key::phonetic_of_key(name_key),
        i64::from(d.year()),
    )
}

/// A register row's built-in blocking keys.
fn keys_of(
    name: &str,
    mother: &str,
    date: Option<NaiveDate>,
    sex: Option<Sex>,
    region: Option<u8>,
    out: &mut Vec<u64>,
) {
    if let Some(d) = date {
        out.push(date_key(d, sex, region));
        if !name.is_empty() {
            out.push(name_key(name, d));
        }
        if !mother.is_empty() {
            out.push(mother_key(mother, d, region));
        }
    }
}

impl RecoverIndex {
    /// An empty index comparing and blocking as `spec` says.
    pub(crate) fn new(spec: RecoverySpec) -> RecoverIndex {
        RecoverIndex {
            spec,
            ..RecoverIndex::default()
        }
    }

    /// Number of residents.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Resident `i`.
    #[inline]
    pub(crate) fn resident(&self, i: usize) -> ResidentRef<'_> {
        self.resident_at(i, &self.entries[i])
    }

    /// Resident `i` of its entry `e` (read ahead).
    #[inline]
    fn resident_at(&self, i: usize, e: &Entry) -> ResidentRef<'_> {
        let s = e.start as usize;
        let (n, p, m) = (
            usize::from(e.name_len),
            usize::from(e.place_len),
            usize::from(e.mother_len),
        );
        let mother_key = &self.arena[s + n + p..s + n + p + m];
        let mother_cmp = match e.mother_cmp {
            MotherCmp::SAME => Some(mother_key),
            MotherCmp::STORED => {
                let c = s + n + p + m;
                Some(&self.arena[c..c + usize::from(e.mother_cmp_len)])
            }
            _ => None,
        };
        ResidentRef {
            nik: e.nik,
            name_key: &self.arena[s..s + n],
            birth_date: e.birth_date,
            sex: e.sex,
            place: &self.arena[s + n..s + n + p],
            place_filled: e.place_filled,
            mother_key,
            mother_cmp,
            extras: self.extras.get(i).map_or(&[][..], |x| &x[..]),
            region: (e.region != 0).then_some(e.region),
        }
    }

    /// Appends a resident (built by [`Resident::of`] with this index's spec).
    pub(crate) fn push(&mut self, r: Resident) {
        let i = self.entries.len() as u32;
        self.pending.extend(r.keys.iter().map(|&k| (k, i)));
        if self.regions_seen.is_empty() {
            self.regions_seen = vec![false; 256];
        }
        self.regions_seen[usize::from(r.region.unwrap_or(0))] = true;
        let (name, place, mother) = (
            clamp16(&r.name_key),
            clamp16(&r.place),
            clamp16(&r.mother_key),
        );
        let (mother_cmp, cmp) = match r.mother_cmp.as_deref() {
            None => (MotherCmp::SAME, ""),
            Some(k) if k.len() <= usize::from(u16::MAX) => (MotherCmp::STORED, k),
            Some(_) => (MotherCmp::PER_PAIR, ""),
        };
        self.entries.push(Entry {
            nik: r.nik,
            start: self.arena.len() as u64,
            name_len: name.len() as u16,
            place_len: place.len() as u16,
            mother_len: mother.len() as u16,
            mother_cmp_len: cmp.len() as u16,
            birth_date: r.birth_date,
            sex: r.sex,
            place_filled: r.place_filled,
            mother_cmp,
            region: r.region.unwrap_or(0),
        });
        self.arena.push_str(name);
        self.arena.push_str(place);
        self.arena.push_str(mother);
        self.arena.push_str(cmp);
        if !self.spec.extras.is_empty() {
            self.extras.push(r.extras);
        }
    }

    /// Sorts the blocking keys and builds their directory; call once
    /// after the last [`push`](Self::push).
    pub(crate) fn finish(&mut self) {
        self.reorder_by_birth_date();
        self.build_blocks();
    }

    /// Sorts the pending blocking keys into `keys`/`ids` and builds the
    /// directory.
    fn build_blocks(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        #[cfg(feature = "parallel")]
        {
            use rayon::slice::ParallelSliceMut;
            pending.par_sort_unstable();
        }
        #[cfg(not(feature = "parallel"))]
        pending.sort_unstable();
        self.keys = pending.iter().map(|e| e.0).collect();
        self.ids = pending.iter().map(|e| e.1).collect();
        drop(pending);
        // About four keys (one cache line) per directory slot.
        self.radix_bits = (usize::BITS - self.keys.len().leading_zeros())
            .saturating_sub(2)
            .clamp(8, 26);
        let slots = 1usize << self.radix_bits;
        let mut directory = Vec::with_capacity(slots + 1);
        let mut at = 0usize;
        for b in 0..slots as u64 {
            while at < self.keys.len() && self.keys[at] >> (64 - self.radix_bits) < b {
                at += 1;
            }
            directory.push(at as u32);
        }
        directory.push(self.keys.len() as u32);
        self.directory = directory;
    }

    /// Puts the residents in (birth date, sex, province) order, texts
    /// included, so that a birth-date block — most of a record's
    /// candidates — is one run of entries and text instead of a page and a
    /// cache line per candidate.
    fn reorder_by_birth_date(&mut self) {
        let n = self.entries.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        {
            let entries = &self.entries;
            let key = |&i: &u32| (entries[i as usize].date_order(), i);
            #[cfg(feature = "parallel")]
            {
                use rayon::slice::ParallelSliceMut;
                order.par_sort_unstable_by_key(key);
            }
            #[cfg(not(feature = "parallel"))]
            order.sort_unstable_by_key(key);
        }
        let mut position = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            position[old as usize] = new as u32;
        }
        let mut arena = String::with_capacity(self.arena.len());
        let entries: Vec<Entry> = order
            .iter()
            .map(|&old| {
                let e = self.entries[old as usize];
                let s = e.start as usize;
                let start = arena.len() as u64;
                arena.push_str(&self.arena[s..s + e.text_len()]);
                Entry { start, ..e }
            })
            .collect();
        self.entries = entries;
        self.arena = arena;
        if !self.extras.is_empty() {
            let mut old = std::mem::take(&mut self.extras);
            self.extras = order
                .iter()
                .map(|&i| std::mem::take(&mut old[i as usize]))
                .collect();
        }
        for p in &mut self.pending {
            p.1 = position[p.1 as usize];
        }
        self.pushed_as = order;
    }

    /// The push-order position of resident `i`.
    pub(crate) fn pushed_as(&self, i: u32) -> u32 {
        self.pushed_as[i as usize]
    }

    /// The residents of one block.
    fn block(&self, key: u64) -> &[u32] {
        if self.directory.is_empty() {
            return &[];
        }
        let b = (key >> (64 - self.radix_bits)) as usize;
        let (lo, hi) = (self.directory[b] as usize, self.directory[b + 1] as usize);
        let slot = &self.keys[lo..hi];
        let start = lo + slot.partition_point(|&k| k < key);
        let end = lo + slot.partition_point(|&k| k <= key);
        &self.ids[start..end]
    }

    /// Distinct candidates of a query.
    fn candidates(&self, q: &Query) -> Vec<u32> {
        let mut keys = Vec::with_capacity(12);
        // Register rows without a sex or a province sit in blocks without
        // one; a record without them is looked up in every one.
        let sexes = match q.sex {
            Some(s) => [Some(s), None, None],
            None => [Some(Sex::Male), Some(Sex::Female), None],
        };
        let regions: Vec<Option<u8>> = match q.region {
            Some(r) => vec![Some(r), None],
            None => (0..=255u8)
                .filter(|&c| self.regions_seen.get(usize::from(c)) == Some(&true))
                .map(|c| (c != 0).then_some(c))
                .collect(),
        };
        if let Some(d) = q.birth_date {
            for &rg in &regions {
                for s in sexes {
                    keys.push(date_key(d, s, rg));
                    if let Some(sw) = q.swapped {
                        keys.push(date_key(sw, s, rg));
                    }
                }
                if !q.mother_key.is_empty() {
                    keys.push(mother_key(&q.mother_key, d, rg));
                }
            }
            if !q.name.key().is_empty() {
                keys.push(name_key(q.name.key(), d));
            }
        }
        if !self.spec.rules.is_empty() {
            let v = KeyView {
                name_key: q.name.key(),
                mother_key: &q.mother_key,
                date: q.birth_date,
                sex: q.sex,
                place: q.place.key(),
                extras: &q.extras,
            };
            rule_keys(&self.spec, &v, &mut keys);
        }
        keys.sort_unstable();
        keys.dedup();
        let mut c: Vec<u32> = Vec::new();
        for k in keys {
            let b = self.block(k);
            if b.len() <= MAX_BLOCK {
                c.extend_from_slice(b);
            }
        }
        c.sort_unstable();
        c.dedup();
        c
    }
}

fn swapped(d: NaiveDate) -> Option<NaiveDate> {
    (d.day() != d.month())
        .then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()))
        .flatten()
}

/// A record to recover, prepared.
pub(crate) struct Query {
    /// The name's matching key, prepared (taken as a key, not keyed
    /// again).
    name: PreparedName,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
    /// The birth place as compared ([`clean_place`]), prepared for
    /// Jaro-Winkler.
    place: PreparedName,
    place_filled: bool,
    /// The birth date with day and month swapped, if that is a date.
    swapped: Option<NaiveDate>,
    mother_key: String,
    /// `mother_key` prepared as `name::similarity` compares it (keyed again),
    /// with its Jaro-Winkler prefilter.
    mother: PreparedName,
    /// The submitted NIK (`None` when empty).
    nik: Option<NikText>,
    extras: Box<[Box<str>]>,
    /// Province code of the address, a blocking part.
    region: Option<u8>,
    /// The words of `name_key` that are not [`name::COMMON_TOKENS`].
    rare_words: Vec<Box<str>>,
}

impl Query {
    pub(crate) fn of(r: &Record, spec: &RecoverySpec) -> Query {
        let name_key = r
            .get(Element::Name)
            .map(name::matching_key)
            .unwrap_or_default();
        let mother_key = r
            .get(Element::MotherName)
            .map(name::matching_key)
            .unwrap_or_default();
        Query {
            name: PreparedName::from_key(name_key),
            birth_date: r.birth_date,
            sex: r.sex,
            swapped: r.birth_date.and_then(swapped),
            place: PreparedName::from_key(clean_place(r.get(Element::BirthPlace).unwrap_or(""))),
            place_filled: r.get(Element::BirthPlace).is_some_and(|p| !p.is_empty()),
            mother: PreparedName::new(&mother_key),
            mother_key,
            nik: r
                .get(Element::Nik)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(NikText::parse),
            extras: spec.extras_of(r),
            region: region_of(r).filter(|_| spec.regional),
            rare_words: Vec::new(),
        }
        .with_rare_words()
    }

    fn with_rare_words(mut self) -> Query {
        self.rare_words = self
            .name
            .key()
            .split(' ')
            .filter(|w| !w.is_empty() && name::COMMON_TOKENS.binary_search(w).is_err())
            .map(Box::from)
            .collect();
        self
    }

    /// Whether a candidate's name key has one of this name's rare words.
    fn shares_rare_word(&self, key: &str) -> bool {
        // (a byte split: `str::split` searches with memchr, slower on keys
        // of a few words)
        !self.rare_words.is_empty()
            && key
                .as_bytes()
                .split(|&b| b == b' ')
                .any(|w| self.rare_words.iter().any(|r| r.as_bytes() == w))
    }

    fn of_resident(r: ResidentRef<'_>) -> Query {
        Query {
            name: PreparedName::from_key(r.name_key.to_string()),
            birth_date: r.birth_date,
            sex: r.sex,
            swapped: r.birth_date.and_then(swapped),
            place: PreparedName::from_key(r.place.to_string()),
            place_filled: r.place_filled,
            mother_key: r.mother_key.to_string(),
            mother: PreparedName::new(r.mother_key),
            nik: None,
            extras: r.extras.into(),
            region: r.region,
            rare_words: Vec::new(),
        }
        .with_rare_words()
    }
}

/// A query's names ready for Jaro-Winkler against many candidates (pattern
/// masks, 1 KiB each): set per query where its candidates are compared,
/// not kept for every query (2 GiB for 1 M rows); a pass keeps one per
/// thread and [`set`](Scorers::set)s it to each query in turn.
struct Scorers {
    name: BlockScorer,
    mother: BlockScorer,
    /// The birth place, for Jaro-Winkler only.
    place: BlockScorer,
}

impl Scorers {
    /// Scorers of an empty query, to be [`set`](Scorers::set).
    fn empty() -> Scorers {
        let empty = || BlockScorer::from_prepared(PreparedName::from_key(String::new()));
        Scorers {
            name: empty(),
            mother: empty(),
            place: empty(),
        }
    }

    /// Scores against `q` from now on (no allocation once the buffers
    /// are large enough; 1 M × 1 M: 3 % less time per pair than building
    /// three scorers per row).
    fn set(&mut self, q: &Query) {
        self.name.set_query(&q.name);
        self.mother.set_query(&q.mother);
        self.place.set_query(&q.place);
    }
}

impl Query {
    /// Scorers of this query alone (a pass over many rows [`set`]s one
    /// per thread instead).
    ///
    /// [`set`]: Scorers::set
    fn scorers(&self) -> Scorers {
        let mut s = Scorers::empty();
        s.set(self);
        s
    }
}

/// Whether a submitted NIK text is close to a register NIK: at most two
/// digits differ, or one adjacent pair is swapped, or it is a spreadsheet
/// form (`3.17402E+15`) whose leading digits agree.
pub fn nik_close(submitted: &str, nik: u64) -> bool {
    let n = format!("{nik:016}");
    let s = submitted.trim();
    if let Some((mant, exp)) = s.split_once(['E', 'e']) {
        let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
        return exp.trim_start_matches('+') == "15" && digits.len() >= 2 && n.starts_with(&digits);
    }
    if s.len() != 16 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (a, b) = (s.as_bytes(), n.as_bytes());
    let diff = (0..16).filter(|&i| a[i] != b[i]).count();
    diff <= 2
}

/// A submitted NIK text parsed once for [`nik_close`] against many NIKs.
#[derive(Debug, Clone, PartialEq)]
enum NikText {
    /// 16 digits.
    Digits([u8; 16]),
    /// The mantissa digits of a spreadsheet form `d.dddE+15`.
    Prefix(Vec<u8>),
    /// Close to no NIK.
    Never,
}

impl NikText {
    fn parse(submitted: &str) -> NikText {
        let s = submitted.trim();
        if let Some((mant, exp)) = s.split_once(['E', 'e']) {
            let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
            return if exp.trim_start_matches('+') == "15" && digits.len() >= 2 {
                NikText::Prefix(digits)
            } else {
                NikText::Never
            };
        }
        match <[u8; 16]>::try_from(s.as_bytes()) {
            Ok(d) if d.iter().all(u8::is_ascii_digit) => NikText::Digits(d),
            _ => NikText::Never,
        }
    }

    /// [`nik_close`] of the parsed text.
    #[inline]
    fn close(&self, nik: u64) -> bool {
        if nik >= 10_000_000_000_000_000 {
            return false;
        }
        let mut n = [b'0'; 16];
        let mut x = nik;
        for d in n.iter_mut().rev() {
            *d = b'0' + (x % 10) as u8;
            x /= 10;
        }
        match self {
            NikText::Digits(a) => a.iter().zip(&n).filter(|(a, b)| a != b).count() <= 2,
            NikText::Prefix(p) => p.len() <= 16 && n.starts_with(p),
            NikText::Never => false,
        }
    }
}

/// The name level of a candidate key: similarity ≥ 0.95 / ≥ 0.85 / ≥ 0.70
/// / less but a [near miss](name::near_miss) (a typing slip) / less.
/// Below 0.6 Jaro-Winkler of the whole keys, less without the
/// token alignment — unless the names share a word that is not one of
/// [`name::COMMON_TOKENS`], so that reordered names ("SANTOSO BUDI") reach
/// the alignment (1 M × 1 M: 1,819 → 2,604 `NAME_REORDERED` rows
/// recovered). A near miss is looked for only among the names that reach
/// the alignment and among names of at most three letters (checking every
/// pair cost 9 % of the pass; a typing slip in a longer name keeps
/// Jaro-Winkler above 0.6, but `EOK` / `EKO` is below). (A per-row cache
/// of levels by candidate key — 28 % of a row's names and 42 % of its
/// mothers' names recur — saved nothing.)
fn name_level(q: &Query, s: &Scorers, key: &str) -> u8 {
    // (`name::similarity` of the two keys would key them again, and keying
    // a key is not always the identity: the stored key as it is.)
    // (equal keys first: a third of the pairs, the namesakes of the name
    // block and the true matches, need no Jaro-Winkler)
    let (s, aligned) = if q.name.key() == key {
        (1.0, true)
    } else if s.name.score_at_least(key, 6) || q.shares_rare_word(key) {
        (s.name.similarity_to_key(key), true)
    } else {
        (0.0, false)
    };
    if s >= 0.95 {
        0
    } else if s >= name::DEFAULT_THRESHOLD {
        1
    } else if s >= 0.70 {
        2
    } else if (aligned || q.name.key().len().min(key.len()) <= 3)
        && name::near_miss(q.name.key(), key)
    {
        3
    } else {
        4
    }
}

/// The mother's-name level: similarity ≥ 0.85 / ≥ 0.70 / less.
fn mother_level(q: &Query, scorers: &Scorers, r: &ResidentRef<'_>) -> u8 {
    // `name::similarity` of the two keys, from names prepared once
    let s = match r.mother_cmp {
        // below 0.6 Jaro-Winkler, less, as for the name
        Some(k) if k == scorers.mother.query().key() => 1.0,
        Some(k) if !scorers.mother.score_at_least(k, 6) => 0.0,
        Some(k) => scorers.mother.similarity_to_key(k),
        None => name::similarity(&q.mother_key, r.mother_key),
    };
    if s >= name::DEFAULT_THRESHOLD {
        0
    } else if s >= 0.70 {
        1
    } else {
        2
    }
}

fn gamma(q: &Query, s: &Scorers, r: ResidentRef<'_>, spec: &RecoverySpec) -> Gamma {
    let mut g = [MISSING; MAX_FIELDS];
    if !q.name.key().is_empty() && !r.name_key.is_empty() {
        g[0] = name_level(q, s, r.name_key);
    }
    if let (Some(a), Some(b)) = (q.birth_date, r.birth_date) {
        g[1] = if a == b {
            0
        } else if q.swapped == Some(b) {
            1
        } else if a.year() == b.year() {
            2
        } else {
            3
        };
    }
    if let (Some(a), Some(b)) = (q.sex, r.sex) {
        g[2] = u8::from(a != b);
    }
    if q.place_filled && r.place_filled {
        // `place_similarity_clean(&q.place, r.place) < 0.9`, with the
        // query's pattern masks (the same Jaro-Winkler, bit for bit)
        let place = q.place.key();
        let far = if place.is_empty() || r.place.is_empty() || place == r.place {
            place != r.place
        } else {
            !s.place.score_at_least(r.place, 9)
        };
        debug_assert_eq!(far, place_similarity_clean(place, r.place) < 0.9);
        g[3] = u8::from(far);
    }
    if !q.mother_key.is_empty() && !r.mother_key.is_empty() {
        g[4] = mother_level(q, s, &r);
    }
    if let Some(t) = &q.nik {
        g[5] = u8::from(!t.close(r.nik));
    }
    for (i, (_, c)) in spec.extras.iter().enumerate() {
        let (a, b) = (&q.extras[i], &r.extras[i]);
        if !a.is_empty() && !b.is_empty() {
            g[FIELDS + i] = extra_level(a, b, *c);
        }
    }
    g
}

/// What ranking one row's candidates needs besides the row, kept per
/// thread across rows (no allocation per row once grown).
struct RankScratch<'a> {
    scorers: Scorers,
    entries: Vec<Entry>,
    residents: Vec<ResidentRef<'a>>,
    /// (weight, NIK, comparison vector) per candidate.
    ranked: Vec<(f64, u64, Gamma)>,
}

impl RankScratch<'_> {
    fn new() -> Self {
        RankScratch {
            scorers: Scorers::empty(),
            entries: Vec::new(),
            residents: Vec::new(),
            ranked: Vec::new(),
        }
    }
}

/// Fellegi–Sunter parameters.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Model {
    /// m-probabilities per element and level.
    pub m: Vec<Vec<f64>>,
    /// u-probabilities per element and level (with `u_source` `"register"`
    /// the marginals of the joint distribution the pairs are scored with).
    pub u: Vec<Vec<f64>>,
    /// Share of candidate pairs that are matches.
    pub lambda: f64,
    /// Candidate pairs the EM ran on.
    pub pairs: u64,
    /// Pairs the u-probabilities were measured on: blocked non-matches of
    /// register rows, or random register pairs (see `u_source`).
    pub random_pairs: u64,
    /// Where u comes from: `"register"` (blocked candidates of register
    /// rows that are not themselves, as a joint distribution; recovery) or
    /// `"random"` (random register pairs; `dedupe`).
    pub u_source: &'static str,
    /// The joint u of `u_source` `"register"`.
    #[serde(skip)]
    joint_u: Option<std::sync::Arc<JointU>>,
}

impl Model {
    /// The model's log2(m/u) per element and level, and its prior, ready
    /// for scoring many pairs.
    fn weights(&self) -> Weights {
        // With a joint u, log2 m per level (log2 u comes per vector).
        let joint = self.joint_u.is_some();
        let mut table = [[0.0; MAX_LEVELS]; MAX_FIELDS];
        for (f, (m, u)) in self.m.iter().zip(&self.u).enumerate() {
            for (l, (m, u)) in m.iter().zip(u).enumerate() {
                table[f][l] = if joint { m.log2() } else { (m / u).log2() };
            }
        }
        Weights {
            table,
            fields: self.m.len(),
            prior: (self.lambda / (1.0 - self.lambda)).log2(),
            joint: self.joint_u.clone(),
        }
    }
}

/// u as the joint distribution of the comparison vectors of blocked
/// non-match pairs. Blocking makes the elements of a non-match dependent
/// (a pair from a birth-date block agrees on the date, one from a name
/// block on the name), so the product of per-element u-probabilities
/// misjudges candidates: it overrates agreement on a blocking key as
/// evidence. m stays a product (the corruptions of a record are
/// independent); u of a vector is its share among the non-matches,
/// counting only the non-matches where the vector's filled elements are
/// filled too, plus one pseudo-pair spread as the product of the
/// marginals, so that an unseen vector has a small but finite u.
#[derive(Debug, Clone, PartialEq)]
struct JointU {
    /// Distinct non-match vectors and their counts.
    patterns: Vec<(Gamma, f64)>,
    /// Per element and level, its share among the non-matches where the
    /// element is filled.
    marginal: Vec<Vec<f64>>,
    /// Mixed-radix digit weight (digit: level + 1, 0 for missing) of each
    /// element in a vector's code.
    radix: Vec<usize>,
    /// log2 u by vector code, when there are at most [`DENSE_VECTORS`]
    /// (the built-in elements have 3,240); else empty.
    log_u: Vec<f64>,
    /// Without the table (many extras): log2 u of every counted vector —
    /// most candidate pairs have one of them —, the rest computed per pair
    /// (a scan of all counted vectors).
    log_u_counted: std::collections::HashMap<Gamma, f64>,
}

/// Most vectors a [`JointU`] tabulates.
const DENSE_VECTORS: usize = 1 << 16;

impl JointU {
    fn from_counts(levels: &[usize], counts: std::collections::HashMap<Gamma, f64>) -> JointU {
        let mut marginal: Vec<Vec<f64>> = levels.iter().map(|&l| vec![1.0; l]).collect();
        for (g, c) in &counts {
            for (f, m) in marginal.iter_mut().enumerate() {
                if g[f] != MISSING {
                    m[g[f] as usize] += c;
                }
            }
        }
        for v in &mut marginal {
            normalize(v);
        }
        let mut patterns: Vec<(Gamma, f64)> = counts.into_iter().collect();
        patterns.sort_unstable_by_key(|p| p.0);
        let mut radix = Vec::with_capacity(levels.len());
        let mut total = 1usize;
        for &l in levels {
            radix.push(total);
            total = total.saturating_mul(l + 1);
        }
        let mut u = JointU {
            patterns,
            marginal,
            radix,
            log_u: Vec::new(),
            log_u_counted: std::collections::HashMap::new(),
        };
        if total <= DENSE_VECTORS {
            u.log_u = (0..total)
                .map(|code| {
                    let mut g = [MISSING; MAX_FIELDS];
                    for (f, &l) in levels.iter().enumerate() {
                        let d = code / u.radix[f] % (l + 1);
                        if d > 0 {
                            g[f] = (d - 1) as u8;
                        }
                    }
                    u.probability(&g).log2()
                })
                .collect();
        } else {
            u.log_u_counted = u
                .patterns
                .iter()
                .map(|(g, _)| (*g, u.probability(g).log2()))
                .collect();
        }
        u
    }

    /// u of a comparison vector.
    fn probability(&self, g: &Gamma) -> f64 {
        let fields = self.marginal.len();
        let (mut agreeing, mut comparable) = (0.0, 0.0);
        'patterns: for (t, c) in &self.patterns {
            let mut same = true;
            for f in 0..fields {
                if g[f] == MISSING {
                    continue;
                }
                if t[f] == MISSING {
                    continue 'patterns;
                }
                same &= t[f] == g[f];
            }
            comparable += c;
            if same {
                agreeing += c;
            }
        }
        let independent: f64 = (0..fields)
            .filter(|&f| g[f] != MISSING)
            .map(|f| self.marginal[f][g[f] as usize])
            .product();
        (agreeing + independent) / (comparable + 1.0)
    }

    /// log2 u of a comparison vector.
    #[inline]
    fn log_probability(&self, g: &Gamma) -> f64 {
        if self.log_u.is_empty() {
            return match self.log_u_counted.get(g) {
                Some(&l) => l,
                None => self.probability(g).log2(),
            };
        }
        self.log_u[self.code(g)]
    }

    /// A vector's position in the tables.
    #[inline]
    fn code(&self, g: &Gamma) -> usize {
        self.radix
            .iter()
            .enumerate()
            .map(|(f, r)| {
                if g[f] == MISSING {
                    0
                } else {
                    (usize::from(g[f]) + 1) * r
                }
            })
            .sum()
    }
}

/// Most levels of an element.
const MAX_LEVELS: usize = 5;

/// A [`Model`]'s weights: log2(m/u) looked up instead of computed per pair.
struct Weights {
    table: [[f64; MAX_LEVELS]; MAX_FIELDS],
    fields: usize,
    prior: f64,
    /// With a joint u, `table` holds log2 m and u is looked up per vector.
    joint: Option<std::sync::Arc<JointU>>,
}

impl Weights {
    /// The pair's score: the sum of its filled elements' weights (under a
    /// joint u, log2 of the product of m over u of the vector).
    #[inline]
    fn weight(&self, g: &Gamma) -> f64 {
        let sum: f64 = g
            .iter()
            .take(self.fields)
            .enumerate()
            .filter(|(_, l)| **l != MISSING)
            .map(|(f, &l)| self.table[f][l as usize])
            .sum();
        match &self.joint {
            Some(u) => sum - u.log_probability(g),
            None => sum,
        }
    }

    #[inline]
    fn probability(&self, w: f64) -> f64 {
        1.0 / (1.0 + (-(w + self.prior)).exp2())
    }
}

const FLOOR: f64 = 1e-6;

fn normalize(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    for x in v.iter_mut() {
        *x = (*x / s).max(FLOOR);
    }
}

/// u from random register pairs (deterministic LCG).
fn estimate_u(index: &RecoverIndex, samples: usize) -> (Vec<Vec<f64>>, u64) {
    let mut u: Vec<Vec<f64>> = index.spec.levels.iter().map(|&l| vec![1.0; l]).collect();
    let n = index.len() as u64;
    let mut taken = 0u64;
    if n >= 2 {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..samples {
            let (a, b) = (next() % n, next() % n);
            if a == b {
                continue;
            }
            let ra = index.resident(a as usize);
            let rb = index.resident(b as usize);
            let mut q = Query::of_resident(ra);
            // A random NIK is never close; measure it with a's NIK text.
            q.nik = Some(NikText::parse(&format!("{:016}", ra.nik)));
            let g = gamma(&q, &q.scorers(), rb, &index.spec);
            for (f, &l) in g.iter().take(u.len()).enumerate() {
                if l != MISSING {
                    u[f][l as usize] += 1.0;
                }
            }
            taken += 1;
        }
    }
    for v in &mut u {
        normalize(v);
    }
    (u, taken)
}

/// Where EM's u comes from, as [`Model`] reports it.
struct UStart {
    /// Per element and level (the marginals of `joint`, when there is one).
    u: Vec<Vec<f64>>,
    /// Pairs u was measured on.
    pairs: u64,
    source: &'static str,
    joint: Option<std::sync::Arc<JointU>>,
}

fn em(
    levels: &[usize],
    pairs: &[Gamma],
    start: UStart,
    m_start: Option<Vec<Vec<f64>>>,
    fixed_u: bool,
) -> Model {
    let UStart {
        u,
        pairs: random_pairs,
        source: u_source,
        joint: joint_u,
    } = start;
    // Start: matches agree on the best level of each element.
    let mut m: Vec<Vec<f64>> = m_start.unwrap_or_else(|| {
        levels
            .iter()
            .map(|&l| {
                let mut v = vec![0.1 / (l - 1) as f64; l];
                v[0] = 0.9;
                v
            })
            .collect()
    });
    let mut lambda = 0.05f64;
    let mut model = Model {
        m: m.clone(),
        u: u.clone(),
        lambda,
        pairs: pairs.len() as u64,
        random_pairs,
        u_source,
        joint_u,
    };
    if pairs.is_empty() {
        return model;
    }
    // The pairs' distinct comparison vectors (a few hundred at most) and
    // per pair its vector's number: an iteration computes each vector's
    // match probability once, then adds them up pair by pair in the order
    // of the pairs, so that the sums are bit for bit those of a pass that
    // weighs every pair.
    let mut numbers: std::collections::HashMap<Gamma, u32> = std::collections::HashMap::new();
    let mut patterns: Vec<Gamma> = Vec::new();
    let ids: Vec<u32> = pairs
        .iter()
        .map(|g| {
            *numbers.entry(*g).or_insert_with(|| {
                patterns.push(*g);
                (patterns.len() - 1) as u32
            })
        })
        .collect();
    drop(numbers);
    // per vector its filled (element, level) cells
    let cells: Vec<Vec<(usize, usize)>> = patterns
        .iter()
        .map(|g| {
            g.iter()
                .take(levels.len())
                .enumerate()
                .filter(|(_, l)| **l != MISSING)
                .map(|(f, &l)| (f, l as usize))
                .collect()
        })
        .collect();
    let mut probability = vec![0.0f64; patterns.len()];
    for _ in 0..30 {
        let mut acc_m = [[0.5f64; MAX_LEVELS]; MAX_FIELDS];
        let mut acc_u = [[0.5f64; MAX_LEVELS]; MAX_FIELDS];
        let mut total = 0.0;
        let weights = model.weights();
        for (p, g) in probability.iter_mut().zip(&patterns) {
            *p = weights.probability(weights.weight(g));
        }
        for &id in &ids {
            let p = probability[id as usize];
            total += p;
            for &(f, l) in &cells[id as usize] {
                acc_m[f][l] += p;
                acc_u[f][l] += 1.0 - p;
            }
        }
        let mut acc_m: Vec<Vec<f64>> = levels
            .iter()
            .zip(&acc_m)
            .map(|(&l, a)| a[..l].to_vec())
            .collect();
        let mut acc_u: Vec<Vec<f64>> = levels
            .iter()
            .zip(&acc_u)
            .map(|(&l, a)| a[..l].to_vec())
            .collect();
        for v in acc_m.iter_mut().chain(acc_u.iter_mut()) {
            normalize(v);
        }
        m = acc_m;
        lambda = (total / pairs.len() as f64).clamp(1e-6, 1.0 - 1e-6);
        model.m = m.clone();
        if !fixed_u {
            model.u = acc_u;
        }
        model.lambda = lambda;
    }
    model
}

/// Register rows blocked as queries by [`u_from_register`].
const REGISTER_QUERIES: usize = 20_000;

/// u from the register's own blocks: `queries` evenly spaced residents
/// are blocked like records to recover, and every candidate that is not
/// the resident itself is a non-match of the kind blocking produces
/// (register rows are distinct persons), counted as a whole comparison
/// vector ([`JointU`]). Random register pairs would not do: blocked pairs
/// agree on their blocking key far more often than random ones, so with u
/// from random pairs EM explained every candidate as a match (λ → 1, m of
/// the name put on *disagreement*), and 587 of 3,054 persons not in the
/// register were "recovered" in a 100 k-row test. Per-element u from the
/// verified rows' blocked non-matches recovered a quarter fewer rows than
/// this joint u (63,277 vs 86,291 of 1 M agency rows against 10 M).
/// Returns u and the number of non-match pairs counted.
fn u_from_register(index: &RecoverIndex, queries: usize) -> (JointU, u64) {
    use std::collections::HashMap;
    let spec = &index.spec;
    let n = index.len();
    let step = (n / queries.max(1)).max(1);
    let count = |counts: &mut HashMap<Gamma, f64>, i: usize| -> u64 {
        let res = index.resident(i);
        let mut q = Query::of_resident(res);
        // The resident's own NIK measures how often a blocked non-match's
        // NIK is close by chance (neighbours share region and date digits).
        q.nik = Some(NikText::parse(&format!("{:016}", res.nik)));
        let mut pairs = 0;
        let scorers = q.scorers();
        for j in index.candidates(&q) {
            if j as usize != i {
                *counts
                    .entry(gamma(&q, &scorers, index.resident(j as usize), spec))
                    .or_default() += 1.0;
                pairs += 1;
            }
        }
        pairs
    };
    // every step-th resident of the register as read (the index keeps
    // them in birth-date order)
    let rows: Vec<usize> = (0..n)
        .filter(|&i| index.pushed_as(i as u32) as usize % step == 0)
        .collect();
    // Per chunk of rows a table of vectors, merged in chunk order.
    let chunk = |rows: &[usize]| -> (HashMap<Gamma, f64>, u64) {
        let mut counts = HashMap::new();
        let pairs = rows.iter().map(|&i| count(&mut counts, i)).sum();
        (counts, pairs)
    };
    #[cfg(feature = "parallel")]
    let parts: Vec<(HashMap<Gamma, f64>, u64)> = {
        use rayon::prelude::*;
        rows.par_chunks(256).map(chunk).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let parts: Vec<(HashMap<Gamma, f64>, u64)> = rows.chunks(256).map(chunk).collect();
    let mut counts: HashMap<Gamma, f64> = HashMap::new();
    let mut pairs = 0;
    for (part, n) in parts {
        for (g, c) in part {
            *counts.entry(g).or_default() += c;
        }
        pairs += n;
    }
    (JointU::from_counts(&spec.levels, counts), pairs)
}

/// m start values from the verified rows (the batch's `SESUAI` rows, whose
/// resident is known): each row compared with its resident, found among
/// its blocked candidates (smoothed: the policy already demanded name and
/// date agreement, so this is only the start of EM). `None` with fewer
/// than 100 verified rows.
fn m_from_verified(index: &RecoverIndex, verified: &[(&Record, u64)]) -> Option<Vec<Vec<f64>>> {
    if verified.len() < 100 {
        return None;
    }
    let spec = &index.spec;
    let levels = &spec.levels;
    let count = |(r, nik): &(&Record, u64)| -> Vec<Vec<f64>> {
        let mut m: Vec<Vec<f64>> = levels.iter().map(|&l| vec![0.0; l]).collect();
        let q = Query::of(r, spec);
        let resident = index
            .candidates(&q)
            .into_iter()
            .find(|&i| index.entries[i as usize].nik == *nik);
        if let Some(i) = resident {
            let mut g = gamma(&q, &q.scorers(), index.resident(i as usize), spec);
            // the verified NIK agrees trivially: m of the NIK is left to EM
            g[5] = MISSING;
            for (f, &l) in g.iter().take(levels.len()).enumerate() {
                if l != MISSING {
                    m[f][l as usize] += 1.0;
                }
            }
        }
        m
    };
    #[cfg(feature = "parallel")]
    let parts: Vec<Vec<Vec<f64>>> = {
        use rayon::prelude::*;
        verified.par_iter().with_min_len(64).map(count).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let parts: Vec<Vec<Vec<f64>>> = verified.iter().map(count).collect();
    let mut m: Vec<Vec<f64>> = levels.iter().map(|&l| vec![1.0; l]).collect();
    for pm in parts {
        for (a, b) in m.iter_mut().zip(&pm) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
    for v in m.iter_mut() {
        // Smooth: keep 5 % of the mass for the levels the policy excluded.
        let s: f64 = v.iter().sum();
        let k = v.len() as f64;
        for x in v.iter_mut() {
            *x = 0.95 * *x / s + 0.05 / k;
        }
    }
    m[5] = vec![0.9, 0.1];
    for v in m.iter_mut() {
        normalize(v);
    }
    Some(m)
}

/// One ranked candidate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate<'a> {
    pub(crate) nik: u64,
    pub(crate) weight: f64,
    pub(crate) probability: f64,
    pub(crate) agree: Vec<&'a str>,
}

/// Recovery of a set of records: the model and, per record, the top
/// candidates and the accepted one.
pub(crate) struct Recovery<'a> {
    pub(crate) model: Model,
    pub(crate) results: Vec<(Vec<Candidate<'a>>, Option<u64>)>,
    pub(crate) pairs_scored: u64,
}

/// Environment variable naming a file into which [`recover`] writes its
/// candidate pairs (`QUERY,NIK`: the 0-based position of the tried row
/// among the rows tried, in input order, and the candidate's NIK) and
/// after which it prints its phase times on stderr. A benchmarking aid
/// (`bench/matching/recover_pairs.py` scores the same pairs in Splink).
pub const DUMP_PAIRS_ENV: &str = "KTPEL_DUMP_PAIRS";

fn dump_pairs(
    path: &std::path::Path,
    index: &RecoverIndex,
    candidates: &[Vec<u32>],
) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "QUERY,NIK")?;
    for (q, cands) in candidates.iter().enumerate() {
        for i in cands {
            writeln!(w, "{q},{:016}", index.entries[*i as usize].nik)?;
        }
    }
    w.flush()
}

/// Recovers `records` against the index.
pub(crate) fn recover<'a>(
    index: &'a RecoverIndex,
    records: &[&Record],
    verified: &[(&Record, u64)],
    top: usize,
    accept: f64,
    margin: f64,
) -> Recovery<'a> {
    let spec = &index.spec;
    let t_start = std::time::Instant::now();
    #[cfg(feature = "parallel")]
    let queries: Vec<Query> = {
        use rayon::prelude::*;
        records
            .par_iter()
            .with_min_len(256)
            .map(|r| Query::of(r, spec))
            .collect()
    };
    #[cfg(not(feature = "parallel"))]
    let queries: Vec<Query> = records.iter().map(|r| Query::of(r, spec)).collect();
    let m_start = m_from_verified(index, verified);
    let t_block = std::time::Instant::now();
    let block = |q: &Query| -> Vec<u32> { index.candidates(q) };
    #[cfg(feature = "parallel")]
    let candidates: Vec<Vec<u32>> = {
        use rayon::prelude::*;
        queries.par_iter().with_min_len(16).map(block).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let candidates: Vec<Vec<u32>> = queries.iter().map(block).collect();
    let t_em = std::time::Instant::now();
    let pairs_scored: u64 = candidates.iter().map(|c| c.len() as u64).sum();
    // EM on at most 2 M pairs: an even stride over all of them, compared
    // here and again with the rest below (comparing once and keeping every
    // pair's vector took 20 bytes per pair: gigabytes for 1 M rows).
    let stride = (pairs_scored / 2_000_000).max(1);
    let mut sample: Vec<(usize, u32)> = Vec::new();
    let mut at = 0u64;
    for (row, c) in candidates.iter().enumerate() {
        let n = c.len() as u64;
        // positions at + k within this row that are multiples of stride
        let mut k = (stride - at % stride) % stride;
        while k < n {
            sample.push((row, c[k as usize]));
            k += stride;
        }
        at += n;
    }
    // (in row order: the scorers are set once per row for its pairs)
    let sample_gamma = |(at, s): &mut (usize, Scorers), &(row, i): &(usize, u32)| -> Gamma {
        if *at != row {
            s.set(&queries[row]);
            *at = row;
        }
        gamma(&queries[row], s, index.resident(i as usize), spec)
    };
    #[cfg(feature = "parallel")]
    let sample: Vec<Gamma> = {
        use rayon::prelude::*;
        sample
            .par_iter()
            .with_min_len(1024)
            .map_init(|| (usize::MAX, Scorers::empty()), sample_gamma)
            .collect()
    };
    #[cfg(not(feature = "parallel"))]
    let sample: Vec<Gamma> = {
        let mut last = (usize::MAX, Scorers::empty());
        sample.iter().map(|p| sample_gamma(&mut last, p)).collect()
    };
    // u: the register's own blocked non-matches as a joint distribution;
    // the verified rows, when there are enough, start m.
    let (u, non_matches) = u_from_register(index, REGISTER_QUERIES);
    let start = UStart {
        u: u.marginal.clone(),
        pairs: non_matches,
        source: "register",
        joint: Some(std::sync::Arc::new(u)),
    };
    let model = em(&spec.levels, &sample, start, m_start, true);
    drop(sample);
    let t_score = std::time::Instant::now();
    let weights = model.weights();
    let compare_and_rank = |scratch: &mut RankScratch<'a>,
                            (q, c): (&Query, &Vec<u32>)|
     -> (Vec<Candidate<'a>>, Option<u64>) {
        let RankScratch {
            scorers,
            entries,
            residents,
            ranked,
        } = scratch;
        // Look up every candidate first, then compare: the candidates are
        // scattered over the index, and independent look-ups overlap their
        // cache misses where look-up-then-compare waits for each in turn.
        residents.clear();
        entries.clear();
        entries.extend(c.iter().map(|&i| index.entries[i as usize]));
        residents.extend(
            c.iter()
                .zip(entries.iter())
                .map(|(&i, e)| index.resident_at(i as usize, e)),
        );
        scorers.set(q);
        // Weights of all candidates; the agreeing elements only of the kept.
        ranked.clear();
        ranked.extend(residents.iter().map(|r| {
            let g = gamma(q, scorers, *r, spec);
            (weights.weight(&g), r.nik, g)
        }));
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(top.max(2));
        let accepted = match ranked.as_slice() {
            [best, rest @ ..]
                if weights.probability(best.0) >= accept
                    && rest.first().is_none_or(|s| best.0 - s.0 >= margin) =>
            {
                Some(best.1)
            }
            _ => None,
        };
        ranked.truncate(top);
        let kept = ranked
            .iter()
            .map(|&(w, nik, g)| Candidate {
                nik,
                weight: w,
                probability: weights.probability(w),
                agree: spec.agreeing(&g),
            })
            .collect();
        (kept, accepted)
    };
    #[cfg(feature = "parallel")]
    let results: Vec<(Vec<Candidate<'a>>, Option<u64>)> = {
        use rayon::prelude::*;
        queries
            .par_iter()
            .zip(candidates.par_iter())
            .with_min_len(16)
            .map_init(RankScratch::new, compare_and_rank)
            .collect()
    };
    #[cfg(not(feature = "parallel"))]
    let results: Vec<(Vec<Candidate<'a>>, Option<u64>)> = {
        let mut scratch = RankScratch::new();
        queries
            .iter()
            .zip(candidates.iter())
            .map(|p| compare_and_rank(&mut scratch, p))
            .collect()
    };
    let t_end = std::time::Instant::now();
    if let Some(path) = std::env::var_os(DUMP_PAIRS_ENV) {
        // Benchmarking aid: the candidate pairs and the phase times.
        let secs = |a: std::time::Instant, b: std::time::Instant| (b - a).as_secs_f64();
        eprintln!(
            "recovery: {} rows, {pairs_scored} pairs; prepare+train {:.3} s, blocking {:.3} s, EM {:.3} s, comparison+scoring+ranking {:.3} s, total {:.3} s",
            records.len(),
            secs(t_start, t_block),
            secs(t_block, t_em),
            secs(t_em, t_score),
            secs(t_score, t_end),
            secs(t_start, t_end),
        );
        if let Err(e) = dump_pairs(std::path::Path::new(&path), index, &candidates) {
            eprintln!("{DUMP_PAIRS_ENV}: {e}");
        }
    }
    Recovery {
        model,
        results,
        pairs_scored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_entry_stays_32_bytes() {
        assert_eq!(core::mem::size_of::<Entry>(), 32);
    }

    #[test]
    fn nik_closeness() {
        let n = 3174015708900123u64;
        assert!(nik_close("3174015708900123", n));
        assert!(nik_close("3174015708900124", n));
        assert!(nik_close("3174015780900123", n)); // adjacent swap
        assert!(nik_close("3.17401E+15", n));
        assert!(!nik_close("3.17402E+15", n));
        assert!(!nik_close("9999995708900123", n));
        assert!(!nik_close("", n));
        // The parsed form used per pair agrees with nik_close.
        for s in [
            "3174015708900123",
            "3174015708900124",
            "3174015780900123",
            "3.17401E+15",
            "3.17402E+15",
            "3.1E+14",
            "9999995708900123",
            "317401570890012",
            "31740157089001234",
            "x174015708900123",
        ] {
            for nik in [n, 3174015708900999, 123] {
                assert_eq!(NikText::parse(s).close(nik), nik_close(s, nik), "{s} {nik}");
            }
        }
    }

    #[test]
    fn osa_counts_edits_and_adjacent_swaps_up_to_the_limit() {
        assert_eq!(osa_within("7438993", "7438993", 2), 0);
        assert_eq!(osa_within("3116798", "3116789", 2), 1); // swap
        assert_eq!(osa_within("3116798", "3116708", 2), 1); // substitution
        assert_eq!(osa_within("3116798", "311679", 2), 1); // deletion
        assert_eq!(osa_within("3116798", "3161789", 2), 2);
        assert_eq!(osa_within("3116798", "9999999", 2), 3);
        assert_eq!(osa_within("12", "123456", 2), 3);
        assert_eq!(osa_within("", "12", 2), 2);
    }

    #[test]
    fn extras_are_normalised_and_levelled_by_their_comparison() {
        assert_eq!(
            normalize_extra(" 000-123 4a ", ExtraCompare::Id),
            "0001234A"
        );
        assert_eq!(
            normalize_extra("  smiths   road ", ExtraCompare::Text),
            "SMITHS ROAD"
        );
        assert_eq!(extra_level("0001234", "0001234", ExtraCompare::Id), 0);
        assert_eq!(extra_level("0001234", "0001243", ExtraCompare::Id), 1);
        assert_eq!(extra_level("0001234", "0001299", ExtraCompare::Id), 2);
        assert_eq!(extra_level("0001234", "9871543", ExtraCompare::Id), 3);
        assert_eq!(
            extra_level("SMITHS ROAD", "SMITHS ROAD", ExtraCompare::Text),
            0
        );
        assert_eq!(
            extra_level("SMITHS ROAD", "SMITHS RAOD", ExtraCompare::Text),
            1
        );
        assert_eq!(
            extra_level("SMITHS ROAD", "KINGHAM PLACE", ExtraCompare::Text),
            2
        );
    }

    fn spec_of(toml: &str) -> Result<RecoverySpec, MatchError> {
        RecoverySpec::new(&[&Mapping::from_toml(toml).unwrap()])
    }

    #[test]
    fn spec_orders_extras_and_checks_rules() {
        let spec = spec_of(
            "[extras.zip]\ncolumn = \"POS\"\ncompare = \"text\"\n\
             [extras.ssn]\ncolumn = \"SSN\"\ntype = \"id\"\ncompare = \"id\"\n\
             [extras.note]\ncolumn = \"NOTE\"\n\
             [recovery]\nblock_on = [\"ssn\", \" zip + birth_year \", \"ssn\"]\n",
        )
        .unwrap();
        assert_eq!(spec.extra_names(), vec!["ssn", "zip"]);
        assert_eq!(spec.fields(), FIELDS + 2);
        assert_eq!(spec.levels[FIELDS..], [4, 3]);
        assert_eq!(
            spec.rules,
            vec![vec![Part::Extra(0)], vec![Part::Extra(1), Part::BirthYear]]
        );
        // Without extras the spec is the built-in one.
        assert_eq!(spec_of("").unwrap(), RecoverySpec::default());
        for bad in [
            "[recovery]\nblock_on = [\"ssn\"]\n",
            "[extras.note]\ncolumn = \"NOTE\"\n[recovery]\nblock_on = [\"note\"]\n",
            "[recovery]\nblock_on = [\"birth_year+\"]\n",
        ] {
            assert!(
                matches!(spec_of(bad), Err(MatchError::Config { .. })),
                "{bad}"
            );
        }
        let many: String = (0..11)
            .map(|i| format!("[extras.e{i}]\ncolumn = \"E{i}\"\ncompare = \"text\"\n"))
            .collect();
        assert!(matches!(spec_of(&many), Err(MatchError::Config { .. })));
    }

    #[test]
    fn rule_keys_need_every_part_and_agree_across_sides() {
        let spec = spec_of(
            "[extras.ssn]\ncolumn = \"SSN\"\ncompare = \"id\"\n\
             [extras.zip]\ncolumn = \"POS\"\ncompare = \"text\"\n\
             [recovery]\nblock_on = [\"ssn\", \"zip+birth_year\", \"name+sex\"]\n",
        )
        .unwrap();
        let keys = |extras: &[&str], date: Option<NaiveDate>, sex: Option<Sex>| {
            let extras: Vec<Box<str>> = extras.iter().map(|s| (*s).into()).collect();
            let v = KeyView {
                name_key: "SITI AMINAH",
                mother_key: "",
                date,
                sex,
                place: "",
                extras: &extras,
            };
            let mut out = Vec::new();
            rule_keys(&spec, &v, &mut out);
            out
        };
        let d = NaiveDate::from_ymd_opt(1990, 8, 17);
        let full = keys(&["123", "4560"], d, Some(Sex::Female));
        assert_eq!(full.len(), 3);
        // Same values, same keys; a missing part drops only its rule.
        assert_eq!(keys(&["123", "4560"], d, Some(Sex::Female)), full);
        assert_eq!(
            keys(&["123", "4560"], None, Some(Sex::Female)),
            [full[0], full[2]]
        );
        assert_eq!(keys(&["", "4560"], d, None), [full[1]]);
        // A value of one rule never collides with the same text in another.
        assert_ne!(
            keys(&["4560", ""], None, None),
            keys(&["", "4560"], d, None)
        );
    }

    #[test]
    fn a_typing_slip_has_a_name_level_of_its_own() {
        let level = |submitted: &str, key: &str| {
            let q = Query::of(
                &Record::from_pairs(&[("NAMA_LGKP", submitted)]).0,
                &RecoverySpec::default(),
            );
            name_level(&q, &q.scorers(), key)
        };
        // similar enough for the similarity's own levels
        assert_eq!(level("FEBY SAPUTRI", "FEBI SAPUTRI"), 0);
        assert_eq!(level("FBEI SAPUTRI", "FEBI SAPUTRI"), 2);
        // below 0.70, one letter swapped, changed, dropped or added
        for (typed, key) in [
            ("DETSI", "DESTI"),
            ("SITI ZAHAR", "SITI ZAHRA"),
            ("DEVI", "DENI"),
            ("EOK", "EKO"),
            ("RAHIM", "RAHMI"),
        ] {
            assert!(name::similarity(typed, key) < 0.70, "{typed} / {key}");
            assert_eq!(level(typed, key), 3, "{typed} / {key}");
        }
        // two slips, a dropped word, another name: the last level
        for (typed, key) in [
            ("FBEY SAPUTRI", "FEBI SAPUTRI"),
            ("BAGEOS", "BAGUS"),
            ("NGADIMAN", "NGADIMAN SUGIARTO"),
            ("SITI AMINAH", "SITI RAHAYU"),
            ("AMINAH RAMADHANI", "JIHAN"),
        ] {
            assert_eq!(level(typed, key), 4, "{typed} / {key}");
        }
    }

    fn resident_of(nik: u64, pairs: &[(&str, &str)]) -> Resident {
        Resident::of(nik, &Record::from_pairs(pairs).0, &RecoverySpec::default())
    }

    #[test]
    fn birth_date_and_mother_blocks_are_per_province() {
        let person = |name: &str, prop: &str| {
            vec![
                ("NAMA_LGKP", name.to_string()),
                ("TGL_LHR", "17-08-1990".to_string()),
                ("JENIS_KLMIN", "P".to_string()),
                ("NAMA_LGKP_IBU", "SULASTRI".to_string()),
                ("NO_PROP", prop.to_string()),
            ]
        };
        let mut index = RecoverIndex::default();
        for (i, (name, prop)) in [("ANI", "33"), ("BUDI", "35"), ("CICI", "")]
            .iter()
            .enumerate()
        {
            let p = person(name, prop);
            let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
            index.push(resident_of(i as u64 + 1, &pairs));
        }
        index.finish();
        // candidates as push positions
        let pushed = |c: Vec<u32>| {
            let mut c: Vec<u32> = c.into_iter().map(|i| index.pushed_as(i)).collect();
            c.sort_unstable();
            c
        };
        let query = |prop: &str| {
            let p = person("ZULKARNAEN", prop);
            let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
            pushed(index.candidates(&Query::of(&Record::from_pairs(&pairs).0, &index.spec)))
        };
        // Its province and the residents without one; another name, so no
        // name block.
        assert_eq!(query("33"), vec![0, 2]);
        assert_eq!(query("35"), vec![1, 2]);
        // Without a province (or an invalid one): every province's block.
        assert_eq!(query(""), vec![0, 1, 2]);
        assert_eq!(query("X1"), vec![0, 1, 2]);
        // The name block is not per province: the same name elsewhere.
        let p = person("ANI", "35");
        let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let q = Query::of(&Record::from_pairs(&pairs).0, &index.spec);
        assert_eq!(pushed(index.candidates(&q)), vec![0, 1, 2]);
        // in date order: the resident without a province first
        assert_eq!(index.pushed_as(0), 2);
    }

    #[test]
    fn province_codes_are_read_from_region_codes() {
        let r = |v: &str| region_of(&Record::from_pairs(&[("NO_PROP", v)]).0);
        assert_eq!(r("33"), Some(33));
        assert_eq!(r(" 92 "), Some(92));
        assert_eq!(r("3307012003"), Some(33));
        assert_eq!(r("3"), None);
        assert_eq!(r("330"), None);
        assert_eq!(r("00"), None);
        assert_eq!(r("JAWA TENGAH"), None);
        assert_eq!(r(""), None);
    }

    proptest::proptest! {
        /// The radix directory finds exactly the entries a scan finds, for
        /// any keys (including many equal ones and keys at the edges).
        #[test]
        fn block_lookup_agrees_with_a_scan(
            keys in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u64>(),
                    0u64..4,
                    (u64::MAX - 3)..=u64::MAX,
                    proptest::prelude::Just(1u64 << 63),
                ],
                0..600,
            ),
            probes in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..20),
        ) {
            let mut index = RecoverIndex {
                pending: keys.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect(),
                ..RecoverIndex::default()
            };
            index.build_blocks();
            for k in keys.iter().chain(&probes) {
                let mut want: Vec<u32> = keys
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| *x == k)
                    .map(|(i, _)| i as u32)
                    .collect();
                want.sort_unstable();
                let mut got = index.block(*k).to_vec();
                got.sort_unstable();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn joint_u_counts_vectors_and_leaves_out_missing_elements() {
        let levels = [2usize, 2];
        let v = |a: u8, b: u8| {
            let mut g = [MISSING; MAX_FIELDS];
            g[0] = a;
            g[1] = b;
            g
        };
        // Element 0 agrees only together with element 1 (a blocking key).
        let counts = [
            (v(0, 0), 30.0),
            (v(1, 0), 10.0),
            (v(1, 1), 60.0),
            (v(MISSING, 1), 100.0),
        ]
        .into_iter()
        .collect();
        let u = JointU::from_counts(&levels, counts);
        // share among the 100 non-matches with both elements, plus the
        // pseudo-pair spread by the marginals
        let m0 = u.marginal[0][0];
        let m1 = u.marginal[1][0];
        assert!((u.probability(&v(0, 0)) - (30.0 + m0 * m1) / 101.0).abs() < 1e-12);
        // never seen: small but not zero
        let unseen = u.probability(&v(0, 1));
        assert!(unseen > 0.0 && unseen < 0.01, "{unseen}");
        // element 1 missing: element 0 alone, over the 100 pairs that have it
        assert!((u.probability(&v(0, MISSING)) - (30.0 + m0) / 101.0).abs() < 1e-12);
        // element 0 missing: all 200 pairs have element 1
        assert!((u.probability(&v(MISSING, 1)) - (160.0 + u.marginal[1][1]) / 201.0).abs() < 1e-12);
        // the table agrees with the scan for every vector
        for a in [0, 1, MISSING] {
            for b in [0, 1, MISSING] {
                let g = v(a, b);
                assert!((u.log_probability(&g) - u.probability(&g).log2()).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn register_rows_without_sex_are_blocked_on_birth_date() {
        // a register row with a name and a birth date only
        let bare = |nik: u64, birth_date: Option<NaiveDate>| {
            Resident {
                nik,
                name_key: "QWERTY".into(),
                birth_date,
                sex: None,
                place: "".into(),
                place_filled: false,
                mother_key: "".into(),
                extras: Box::default(),
                region: None,
                keys: Vec::new(),
                mother_cmp: None,
            }
            .keyed(&RecoverySpec::default())
        };
        let mut index = RecoverIndex::default();
        index.push(bare(
            9_900_000_000_000_001,
            NaiveDate::from_ymd_opt(1990, 8, 17),
        ));
        index.push(bare(
            9_900_000_000_000_002,
            NaiveDate::from_ymd_opt(1991, 1, 2),
        ));
        index.finish();
        // A different name (no name block) with and without a sex: the
        // birth date alone finds the first resident, also day/month swapped.
        for pairs in [
            &[("NAMA_LGKP", "SITI AMINAH"), ("TGL_LHR", "17-08-1990")][..],
            &[
                ("NAMA_LGKP", "SITI AMINAH"),
                ("TGL_LHR", "17-08-1990"),
                ("JENIS_KLMIN", "P"),
            ][..],
        ] {
            let q = Query::of(&Record::from_pairs(pairs).0, &index.spec);
            assert_eq!(index.candidates(&q), vec![0]);
        }
        let q = Query::of(
            &Record::from_pairs(&[("NAMA_LGKP", "SITI"), ("TGL_LHR", "01-02-1991")]).0,
            &index.spec,
        );
        assert_eq!(index.candidates(&q), vec![1]);
    }
}

/// A pair of rows of one dataset that are probably the same person: `a <
/// b`, both positions in push order (the file's rows).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SelfPair<'a> {
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) weight: f64,
    pub(crate) probability: f64,
    pub(crate) agree: Vec<&'a str>,
}

/// Links the residents of `index` with each other (the NIK left out of the
/// comparison): the pairs whose match probability is at least `accept`.
pub(crate) fn self_link(index: &RecoverIndex, accept: f64) -> (Model, Vec<SelfPair<'_>>, u64) {
    let n = index.len();
    let spec = &index.spec;
    let score = |i: usize| -> Vec<(u32, Gamma)> {
        let q = Query::of_resident(index.resident(i));
        let scorers = q.scorers();
        index
            .candidates(&q)
            .into_iter()
            .filter(|&j| j as usize > i)
            .map(|j| (j, gamma(&q, &scorers, index.resident(j as usize), spec)))
            .collect()
    };
    #[cfg(feature = "parallel")]
    let scored: Vec<Vec<(u32, Gamma)>> = {
        use rayon::prelude::*;
        (0..n).into_par_iter().with_min_len(64).map(score).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let scored: Vec<Vec<(u32, Gamma)>> = (0..n).map(score).collect();
    let pairs_scored: u64 = scored.iter().map(|v| v.len() as u64).sum();
    let stride = (pairs_scored / 2_000_000).max(1) as usize;
    let sample: Vec<Gamma> = scored
        .iter()
        .flatten()
        .step_by(stride)
        .map(|(_, g)| *g)
        .collect();
    let (u, random_pairs) = estimate_u(index, 200_000);
    let start = UStart {
        u,
        pairs: random_pairs,
        source: "random",
        joint: None,
    };
    let model = em(&spec.levels, &sample, start, None, false);
    let weights = model.weights();
    let mut out = Vec::new();
    for (i, cands) in scored.iter().enumerate() {
        for (j, g) in cands {
            let w = weights.weight(g);
            let p = weights.probability(w);
            // A person duplicate must at least agree on the name (≥ the
            // name threshold) and the birth date (a swap allowed): EM on a
            // register's own blocks has almost no matches to learn from.
            let core_agrees = g[0] <= 1 && g[1] <= 1;
            if p >= accept && core_agrees {
                // the rows as pushed (the index keeps them in date order)
                let (a, b) = (index.pushed_as(i as u32), index.pushed_as(*j));
                out.push(SelfPair {
                    a: a.min(b),
                    b: a.max(b),
                    weight: w,
                    probability: p,
                    agree: spec.agreeing(g),
                });
            }
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    (model, out, pairs_scored)
}
