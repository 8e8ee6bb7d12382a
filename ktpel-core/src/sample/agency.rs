//! The agency dataset: people sampled from the register (exact count, one
//! streaming pass: selection sampling), corrupted as agency files are, plus
//! duplicates and people not in the register, each labelled in the truth.

use chrono::Datelike;

use super::changes::edit_name;
use super::household::{self, DraftCtx, make_kk, make_nik};
use super::names::{self, AGENCY_PREFIXES_F, AGENCY_PREFIXES_M, AGENCY_SUFFIXES, OldRules};
use super::rng::{Rng, Stream};
use super::serial::Counter;
use super::world::World;
use super::{Config, Element, GenError, LifeStatus, Resident};
use crate::nik::Sex;

/// A corruption (or label) of an agency row; `truth_agency.csv` lists them
/// in the `CORRUPTIONS` column joined by `|` (`CLEAN` when there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Corruption {
    /// One character edit in NAMA_LGKP.
    Typo,
    /// Pre-1972 spelling in NAMA_LGKP.
    OldSpelling,
    /// A title or honorific added to NAMA_LGKP.
    TitleAdded,
    /// NAMA_LGKP words reordered (last word first).
    NameReordered,
    /// A middle word of NAMA_LGKP dropped.
    MiddleNameDropped,
    /// Another spelling of Muhammad.
    MuhammadVariant,
    /// Day and month of TGL_LHR exchanged.
    DayMonthSwap,
    /// NIK with digits changed or transposed.
    NikWrong,
    /// NIK mangled by a spreadsheet.
    NikSpreadsheet,
    /// One element left empty.
    MissingValue,
    /// A second row for a person already in the file.
    Duplicate,
    /// A synthetic person who is not in the register.
    NotInRegister,
}

impl Corruption {
    /// Every corruption.
    pub const ALL: [Corruption; 12] = [
        Corruption::Typo,
        Corruption::OldSpelling,
        Corruption::TitleAdded,
        Corruption::NameReordered,
        Corruption::MiddleNameDropped,
        Corruption::MuhammadVariant,
        Corruption::DayMonthSwap,
        Corruption::NikWrong,
        Corruption::NikSpreadsheet,
        Corruption::MissingValue,
        Corruption::Duplicate,
        Corruption::NotInRegister,
    ];

    /// Stable SCREAMING_SNAKE name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Corruption::Typo => "TYPO",
            Corruption::OldSpelling => "OLD_SPELLING",
            Corruption::TitleAdded => "TITLE_ADDED",
            Corruption::NameReordered => "NAME_REORDERED",
            Corruption::MiddleNameDropped => "MIDDLE_NAME_DROPPED",
            Corruption::MuhammadVariant => "MUHAMMAD_VARIANT",
            Corruption::DayMonthSwap => "DAY_MONTH_SWAP",
            Corruption::NikWrong => "NIK_WRONG",
            Corruption::NikSpreadsheet => "NIK_SPREADSHEET",
            Corruption::MissingValue => "MISSING_VALUE",
            Corruption::Duplicate => "DUPLICATE",
            Corruption::NotInRegister => "NOT_IN_REGISTER",
        }
    }

    /// The corruption with this name.
    pub fn from_name(s: &str) -> Option<Corruption> {
        Corruption::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Elements of an agency record (after `ID_PELANGGAN`), in column order.
pub const AGENCY_ELEMENTS: [Element; 14] = [
    Element::Nik,
    Element::NoKk,
    Element::NamaLgkp,
    Element::TmptLhr,
    Element::TglLhr,
    Element::JenisKlmin,
    Element::Alamat,
    Element::NoRt,
    Element::NoRw,
    Element::NoProp,
    Element::NoKab,
    Element::NoKec,
    Element::NoKel,
    Element::NamaLgkpIbu,
];

/// One agency row as text (values may be corrupted or empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRecord {
    /// ID_PELANGGAN (assigned when the rows are shuffled and written).
    pub id: String,
    /// Values in [`AGENCY_ELEMENTS`] order.
    pub values: [String; 14],
}

impl AgencyRecord {
    /// Value of an element (None when the agency file has no such column).
    pub fn get(&self, e: Element) -> Option<&str> {
        AGENCY_ELEMENTS
            .iter()
            .position(|x| *x == e)
            .map(|i| self.values[i].as_str())
    }

    fn set(&mut self, e: Element, v: String) {
        if let Some(i) = AGENCY_ELEMENTS.iter().position(|x| *x == e) {
            self.values[i] = v;
        }
    }

    fn from_resident(p: &Resident) -> AgencyRecord {
        let f = p.fields();
        let all = f.array();
        AgencyRecord {
            id: String::new(),
            values: AGENCY_ELEMENTS.map(|e| all[e as usize].to_string()),
        }
    }
}

/// What is true about an agency row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyTruth {
    /// The person's NIK in the register (None for NOT_IN_REGISTER).
    pub true_nik: Option<String>,
    /// Corruptions applied (empty: clean), in [`Corruption::ALL`] order.
    pub corruptions: Vec<Corruption>,
    /// The person is deceased in the register (the agency still lists them).
    pub deceased: bool,
    /// Agency elements whose value differs from the register's.
    pub elements: Vec<Element>,
    /// For a DUPLICATE: `ID_PELANGGAN` of the row it repeats (assigned with
    /// the IDs when the rows are shuffled).
    pub duplicate_of: Option<String>,
}

/// An agency row with its truth, before shuffling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRow {
    /// The row.
    pub record: AgencyRecord,
    /// Its truth.
    pub truth: AgencyTruth,
    /// Position in generation order (unique).
    pub seq: u64,
    /// For a DUPLICATE: `seq` of the row it repeats.
    pub duplicate_of: Option<u64>,
}

/// Agency rows are shuffled in blocks of this many rows (bounded memory);
/// a block ends at a household boundary, so a duplicate and its original
/// are always in the same block.
pub const SHUFFLE_BLOCK: usize = 8192;

/// Shuffles one block and assigns `ID_PELANGGAN` (`PLG` + 9 digits, in
/// output order) and `DUPLICATE_OF`.
pub(crate) fn shuffle_block(buf: &mut [AgencyRow], seed: u64, block: u64, next_id: &mut u64) {
    let mut rng = Rng::derive(seed, Stream::Shuffle, block);
    rng.shuffle(buf);
    let mut ids: Vec<(u64, String)> = Vec::with_capacity(buf.len());
    for row in buf.iter_mut() {
        row.record.id = format!("PLG{:09}", *next_id);
        *next_id += 1;
        ids.push((row.seq, row.record.id.clone()));
    }
    ids.sort_unstable();
    for row in buf.iter_mut() {
        row.truth.duplicate_of = row
            .duplicate_of
            .and_then(|q| ids.binary_search_by_key(&q, |x| x.0).ok())
            .map(|i| ids[i].1.clone());
    }
}

/// Streaming exact-size sampler.
pub(crate) struct AgencySampler {
    rng: Rng,
    rows_left: u64,
    base_left: u64,
    dup_left: u64,
    nir_left: u64,
    seq: u64,
    nir_nik: Counter,
    nir_kk: Counter,
    nir_index: u64,
}

impl AgencySampler {
    pub(crate) fn new(cfg: &Config) -> Result<AgencySampler, GenError> {
        let a = cfg.agency as f64;
        let nir = (a * cfg.corruption.not_in_register).round() as u64;
        let dup = (a * cfg.corruption.duplicate).round() as u64;
        let base = cfg.agency as u64
            - nir.min(cfg.agency as u64)
            - dup.min(cfg.agency as u64 - nir.min(cfg.agency as u64));
        if base > cfg.population as u64 || dup > base {
            return Err(GenError::InvalidConfig {
                field: "agency",
                reason: format!(
                    "{} agency rows need {base} distinct register people but the register has {}",
                    cfg.agency, cfg.population
                ),
            });
        }
        Ok(AgencySampler {
            rng: Rng::derive(cfg.seed, Stream::AgencySampler, 0),
            rows_left: cfg.population as u64,
            base_left: base,
            dup_left: dup,
            nir_left: nir,
            seq: 0,
            nir_nik: Counter::sparse(7500, 9999),
            nir_kk: Counter::sparse(5000, 9999),
            nir_index: 0,
        })
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq - 1
    }

    pub(crate) fn sample(
        &mut self,
        w: &World,
        cfg: &Config,
        h: u64,
        register: &[Resident],
    ) -> Result<Vec<AgencyRow>, GenError> {
        let mut out = Vec::new();
        let mut arng = Rng::derive(cfg.seed, Stream::Agency, h);
        for p in register {
            let take = self.rows_left > 0
                && (self.rng.below(self.rows_left as usize) as u64) < self.base_left;
            self.rows_left = self.rows_left.saturating_sub(1);
            if !take {
                continue;
            }
            let before = self.base_left;
            self.base_left -= 1;
            let seq = self.next_seq();
            out.push(corrupt(&mut arng, cfg, p, seq, None));
            if self.dup_left > 0 && (self.rng.below(before as usize) as u64) < self.dup_left {
                self.dup_left -= 1;
                let s2 = self.next_seq();
                out.push(corrupt(&mut arng, cfg, p, s2, Some(seq)));
            }
            if self.nir_left > 0 && (self.rng.below(before as usize) as u64) < self.nir_left {
                self.nir_left -= 1;
                let row = self.synthetic(w, cfg)?;
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Rows still owed at the end (only when rounding left some over).
    pub(crate) fn finish(&mut self, w: &World, cfg: &Config) -> Result<Vec<AgencyRow>, GenError> {
        let mut out = Vec::new();
        while self.nir_left > 0 {
            self.nir_left -= 1;
            out.push(self.synthetic(w, cfg)?);
        }
        Ok(out)
    }

    /// A person not in the register (own serial range 7500-9999).
    fn synthetic(&mut self, w: &World, cfg: &Config) -> Result<AgencyRow, GenError> {
        let mut rng = Rng::derive(
            cfg.seed ^ 0x5eed_0000_0000_0001,
            Stream::Agency,
            self.nir_index,
        );
        self.nir_index += 1;
        let c = DraftCtx {
            w,
            as_of: cfg.as_of,
            death_scale: 0.0,
        };
        let hd = household::draft_household(&mut rng, &c);
        let m = &hd.members[rng.below(hd.members.len())];
        let nik = make_nik(
            w,
            &mut self.nir_nik,
            m.nik_district,
            m.birth,
            m.male,
            cfg.as_of,
        )?;
        let kk = make_kk(
            w,
            &mut self.nir_kk,
            w.districts[hd.district].code,
            hd.kk_date,
            cfg.as_of,
        )?;
        let p = Resident {
            nik,
            no_kk: kk,
            name: m.name.clone(),
            birth_place: m.birth_place,
            birth_date: m.birth,
            sex: if m.male { Sex::Male } else { Sex::Female },
            religion: hd.religion,
            marital_status: m.marital,
            relation: m.relation,
            occupation: m.occupation,
            address: hd.address.clone(),
            rt: hd.rt,
            rw: hd.rw,
            village: hd.village,
            mother_name: m.mother_name.clone(),
            status: LifeStatus::Hidup,
        };
        Ok(AgencyRow {
            record: AgencyRecord::from_resident(&p),
            truth: AgencyTruth {
                true_nik: None,
                corruptions: vec![Corruption::NotInRegister],
                deceased: false,
                elements: Vec::new(),
                duplicate_of: None,
            },
            seq: self.next_seq(),
            duplicate_of: None,
        })
    }
}

fn words(s: &str) -> Vec<&str> {
    s.split(' ').filter(|w| !w.is_empty()).collect()
}

fn muhammad_variant(rng: &mut Rng, name: &str) -> Option<String> {
    let forms = names::muhammad_forms();
    let ws = words(name);
    let i = ws.iter().position(|w| forms.contains(w))?;
    let others: Vec<&str> = forms.iter().copied().filter(|f| *f != ws[i]).collect();
    let mut out: Vec<&str> = ws.clone();
    out[i] = others[rng.below(others.len())];
    Some(out.join(" "))
}

fn old_spelling(rng: &mut Rng, name: &str) -> Option<String> {
    let rules = OldRules((rng.below(127) + 1) as u8);
    let s = names::old_spelling(name, rules);
    if s != name {
        return Some(s);
    }
    let s = names::old_spelling(name, OldRules::ALL);
    (s != name).then_some(s)
}

fn title(rng: &mut Rng, name: &str, male: bool) -> String {
    if rng.chance(0.6) {
        let p = if male {
            rng.pick(&AGENCY_PREFIXES_M)
        } else {
            rng.pick(&AGENCY_PREFIXES_F)
        };
        format!("{p} {name}")
    } else {
        format!("{name}{}", rng.pick(&AGENCY_SUFFIXES))
    }
}

fn spreadsheet(rng: &mut Rng, nik: &str) -> String {
    let b = nik.as_bytes();
    if rng.chance(0.5) && b[15] != b'0' {
        return format!("{}0", &nik[..15]);
    }
    // Excel "General" format: 6 significant digits, scientific notation.
    let v: u64 = nik.parse().unwrap_or(0);
    let scaled = (v + 5_000_000_000) / 10_000_000_000; // round to 6 digits
    let digits = scaled.to_string();
    let (int, frac) = digits.split_at(1);
    let frac = frac.trim_end_matches('0');
    let exp = 15 + digits.len() - 6;
    if frac.is_empty() {
        format!("{int}E+{exp}")
    } else {
        format!("{int}.{frac}E+{exp}")
    }
}

fn wrong_nik(rng: &mut Rng, nik: &str) -> String {
    let mut b: Vec<u8> = nik.bytes().collect();
    let bump = |rng: &mut Rng, b: &mut Vec<u8>, i: usize| {
        let d = b[i] - b'0';
        b[i] = b'0' + ((d + 1 + rng.below(9) as u8) % 10);
    };
    let r = rng.unit();
    if r < 0.3 {
        let cands: Vec<usize> = (0..15).filter(|&i| b[i] != b[i + 1]).collect();
        if let Some(&i) = cands.get(rng.below(cands.len().max(1))) {
            b.swap(i, i + 1);
            return String::from_utf8(b).unwrap_or_default();
        }
    }
    let i = rng.below(16);
    bump(rng, &mut b, i);
    if r > 0.8 {
        let j = (i + 1 + rng.below(15)) % 16;
        bump(rng, &mut b, j);
    }
    String::from_utf8(b).unwrap_or_default()
}

/// An agency copy of `p` with corruptions drawn at `cfg`'s rates.
fn corrupt(rng: &mut Rng, cfg: &Config, p: &Resident, seq: u64, dup_of: Option<u64>) -> AgencyRow {
    let r = &cfg.corruption;
    let mut rec = AgencyRecord::from_resident(p);
    let clean = rec.clone();
    let mut cs: Vec<Corruption> = Vec::new();
    let male = p.sex == Sex::Male;
    let mut name = p.name.clone();
    if rng.chance(r.muhammad_variant)
        && let Some(n) = muhammad_variant(rng, &name)
    {
        name = n;
        cs.push(Corruption::MuhammadVariant);
    }
    if rng.chance(r.old_spelling)
        && let Some(n) = old_spelling(rng, &name)
    {
        name = n;
        cs.push(Corruption::OldSpelling);
    }
    let ws = words(&name);
    if rng.chance(r.middle_name_dropped) && ws.len() >= 3 {
        let i = 1 + rng.below(ws.len() - 2);
        name = ws
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" ");
        cs.push(Corruption::MiddleNameDropped);
    }
    let ws = words(&name);
    if rng.chance(r.name_reordered) && ws.len() >= 2 && ws[0] != ws[ws.len() - 1] {
        let mut v = ws.clone();
        let last = v.pop().unwrap_or_default();
        v.insert(0, last);
        name = v.join(" ");
        cs.push(Corruption::NameReordered);
    }
    if rng.chance(r.title_added) {
        name = title(rng, &name, male);
        cs.push(Corruption::TitleAdded);
    }
    if rng.chance(r.typo) {
        let n = edit_name(rng, &name);
        if n != name {
            name = n;
            cs.push(Corruption::Typo);
        }
    }
    rec.set(Element::NamaLgkp, name);
    let d = p.birth_date;
    if rng.chance(r.day_month_swap) && d.day() <= 12 && d.day() != d.month() {
        rec.set(
            Element::TglLhr,
            format!("{:02}-{:02}-{:04}", d.month(), d.day(), d.year()),
        );
        cs.push(Corruption::DayMonthSwap);
    }
    let nik = p.nik.as_str();
    if rng.chance(r.nik_wrong) {
        rec.set(Element::Nik, wrong_nik(rng, nik));
        cs.push(Corruption::NikWrong);
    } else if rng.chance(r.nik_spreadsheet) {
        rec.set(Element::Nik, spreadsheet(rng, nik));
        cs.push(Corruption::NikSpreadsheet);
    }
    if rng.chance(r.missing_value) {
        let e = [
            Element::Nik,
            Element::TglLhr,
            Element::NamaLgkpIbu,
            Element::Alamat,
        ][rng.below(4)];
        rec.set(e, String::new());
        cs.retain(|c| match e {
            Element::Nik => !matches!(c, Corruption::NikWrong | Corruption::NikSpreadsheet),
            Element::TglLhr => *c != Corruption::DayMonthSwap,
            _ => true,
        });
        cs.push(Corruption::MissingValue);
    }
    if dup_of.is_some() {
        cs.push(Corruption::Duplicate);
    }
    cs.sort();
    let elements = AGENCY_ELEMENTS
        .iter()
        .zip(rec.values.iter().zip(clean.values.iter()))
        .filter(|(_, (a, b))| a != b)
        .map(|(e, _)| *e)
        .collect();
    AgencyRow {
        record: rec,
        truth: AgencyTruth {
            true_nik: Some(nik.to_string()),
            corruptions: cs,
            deceased: p.status == LifeStatus::Mati,
            elements,
            duplicate_of: None,
        },
        seq,
        duplicate_of: dup_of,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::rng::Stream;

    #[test]
    fn spreadsheet_forms() {
        let mut rng = Rng::derive(3, Stream::Agency, 0);
        let mut seen_sci = false;
        for _ in 0..50 {
            let s = spreadsheet(&mut rng, "3174015708900123");
            assert!(s == "3174015708900120" || s == "3.17402E+15", "{s}");
            seen_sci |= s.contains('E');
        }
        assert!(seen_sci);
        assert_eq!(spreadsheet(&mut rng, "3174015708900120"), "3.17402E+15");
    }

    #[test]
    fn wrong_nik_always_differs() {
        let mut rng = Rng::derive(4, Stream::Agency, 0);
        for _ in 0..500 {
            let w = wrong_nik(&mut rng, "3174015708900123");
            assert_ne!(w, "3174015708900123");
            assert_eq!(w.len(), 16);
            assert!(w.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn muhammad_variants_change_the_form() {
        let mut rng = Rng::derive(5, Stream::Agency, 0);
        for _ in 0..50 {
            let v = muhammad_variant(&mut rng, "MUHAMMAD RIZKI").unwrap();
            assert!(v.ends_with(" RIZKI") && v != "MUHAMMAD RIZKI", "{v}");
        }
        assert!(muhammad_variant(&mut rng, "BUDI SANTOSO").is_none());
    }
}
