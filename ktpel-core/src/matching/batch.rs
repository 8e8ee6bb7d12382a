//! Batch pemadanan: the Dukcapil steps from two CSV files to the outputs.
//!
//! Steps, in order, for every agency row:
//!
//! 1. **import** — the row is read with [`crate::csvio::RecordReader`]
//!    (broken quoting costs one row; Latin-1 is decoded and counted);
//! 2. **convert** — through the agency [`Mapping`] to a [`Record`];
//! 3. **anomalies set aside** (`ANOMALI`) — wrong column count or broken
//!    quoting (`MALFORMED_ROW`), a name that is not a name (the
//!    error-severity [`crate::name::check`] codes), an invalid NIK (the
//!    [`crate::nik`] codes, `EMPTY` when missing), an unparseable date or an
//!    unknown sex/status code;
//! 4. **duplicates set aside** (`GANDA`) — a NIK seen on an earlier row
//!    (`DUPLICATE_KEY`), or the same name key, birth date, sex and mother's
//!    name key as an earlier row (`DUPLICATE_COMBINATION`);
//! 5. **compare with deceased** — the register row's `STATUS`;
//! 6. **match** — lookup by NIK and [`verify`] under the [`Policy`]:
//!    `SESUAI`, `TIDAK_SESUAI` or `NIK_TIDAK_DITEMUKAN`;
//! 7. **return only allowed elements** — [`Policy::returned`].
//!
//! The register is held in memory as an index by NIK. When its estimated
//! size exceeds the memory budget, the work is split into passes by NIK
//! (a hash of the NIK mod passes): pass 0 reads the register once and cuts
//! the other passes' residents into part files; each pass loads its share
//! and streams the agency file again, writing the results of its share to
//! a temporary file; the parts are then merged by row number. Output order
//! is the input order whatever the passes and threads.
//!
//! Per block of agency rows, the rayon workers convert, check, look up,
//! verify and format; an output thread does the sequential part
//! (duplicates in input order, counts, writing) while the workers go on
//! with the next block.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::MatchError;
use super::record::{Binding, Element, ExtraType, LifeStatus, Mapping, Record, RowView};
use super::verify::{ElementResult, Overall, Policy, PreparedKeys, Reference, verify_into};
use crate::Code;
use crate::csvio::{RawRecord, RecordReader};
use crate::name;
use crate::nik::{self, Mode, Sex};

/// Options of [`run_batch`].
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The agreed element combination and allow-list.
    pub policy: Policy,
    /// How the agency file's columns map (Dukcapil names by default).
    pub agency_mapping: Mapping,
    /// How the population file's columns map (Dukcapil names by default).
    pub population_mapping: Mapping,
    /// Reference date of the NIK check (today when `None`).
    pub reference_date: Option<NaiveDate>,
    /// Most bytes the in-memory register may take; `None` = no limit.
    pub memory_budget: Option<u64>,
    /// Rows per block (parallel grain and memory bound of the agency side).
    pub block_rows: usize,
    /// Try to recover the NIK of rows that are `TIDAK_SESUAI`,
    /// `NIK_TIDAK_DITEMUKAN` or anomalies because of their NIK (see
    /// [`super::recover`]); writes `kandidat.csv` and the `NIK_PULIH` column.
    /// Needs the register in one pass (no memory-budget split).
    pub recover: bool,
    /// Lowest match probability of an accepted recovery.
    pub recover_accept: f64,
    /// Score (bits) by which the best candidate must beat the runner-up.
    pub recover_margin: f64,
    /// Candidates listed per row in `kandidat.csv`.
    pub recover_top: usize,
    /// Both files are tokenized with the same key (`ktpel privacy
    /// tokenize`): the NIK column holds NIK tokens and the name column
    /// element tokens (name + birth date). Lookup and duplicate keys use the
    /// tokens; the NIK and name checks become token-format checks. Not with
    /// `recover`. See `docs/privacy.md`.
    pub tokens: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            policy: Policy::default(),
            agency_mapping: Mapping::dukcapil(),
            population_mapping: Mapping::dukcapil(),
            reference_date: None,
            memory_budget: None,
            block_rows: 16_384,
            recover: false,
            recover_accept: 0.99,
            recover_margin: 3.0,
            recover_top: 3,
            tokens: false,
        }
    }
}

/// Which part of the job a [`BatchProgress`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Loading (a share of) the register.
    Population,
    /// Streaming the agency file.
    Agency,
    /// Merging the passes' results.
    Merge,
}

/// Progress of [`run_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchProgress {
    /// What is being done.
    pub phase: Phase,
    /// Pass (0-based) of `passes`.
    pub pass: usize,
    /// Number of passes.
    pub passes: usize,
    /// Bytes done over the whole job.
    pub bytes: u64,
    /// Bytes the whole job reads (population + agency, per pass).
    pub total_bytes: u64,
}

/// Category of one agency row in `hasil.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Matched (sesuai).
    Sesuai,
    /// Found, but the agreed elements do not agree.
    TidakSesuai,
    /// No resident has the NIK.
    NikTidakDitemukan,
    /// Set aside: not convertible, not a name, invalid NIK …
    Anomali,
    /// Set aside: a duplicate of an earlier row.
    Ganda,
}

impl Category {
    /// The label in `hasil.csv`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Sesuai => "SESUAI",
            Category::TidakSesuai => "TIDAK_SESUAI",
            Category::NikTidakDitemukan => "NIK_TIDAK_DITEMUKAN",
            Category::Anomali => "ANOMALI",
            Category::Ganda => "GANDA",
        }
    }
}

/// What was read from the population file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PopulationSummary {
    /// Data rows read (over all passes counted once).
    pub rows: u64,
    /// Rows indexed.
    pub loaded: u64,
    /// Rows skipped (unreadable, no 16-digit NIK).
    pub skipped: u64,
    /// Rows whose NIK was already indexed (the first is used).
    pub duplicate_nik: u64,
    /// Whether the file has a living status.
    pub has_status: bool,
    /// Deceased residents indexed.
    pub deceased: u64,
}

/// The report of a batch, written to `summary.json`:
/// `received = matched + anomaly + duplicate + unmatched + nik_not_found`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Agency rows read (header excluded).
    pub received: u64,
    /// `SESUAI`.
    pub matched: u64,
    /// The part of `matched` whose resident is deceased.
    pub matched_deceased: u64,
    /// `ANOMALI`.
    pub anomaly: u64,
    /// `GANDA`.
    pub duplicate: u64,
    /// `TIDAK_SESUAI`.
    pub unmatched: u64,
    /// `NIK_TIDAK_DITEMUKAN`.
    pub nik_not_found: u64,
    /// Anomalies and duplicates per code.
    pub codes: BTreeMap<&'static str, u64>,
    /// Warnings per code (`LATIN1_DECODED`, `DAY_MONTH_SWAPPED`,
    /// `NO_STATUS_COLUMN`, `EMPTY` for an empty agency file …).
    pub warnings: BTreeMap<&'static str, u64>,
    /// The register side.
    pub population: PopulationSummary,
    /// Passes over the data (1 unless the memory budget forced more).
    pub passes: usize,
    /// Recovery (with `recover`): rows tried, rows recovered, pairs scored
    /// and the estimated model.
    pub recovery: Option<RecoverySummary>,
}

/// What NIK recovery did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecoverySummary {
    /// Rows tried.
    pub rows: u64,
    /// Rows whose best candidate was accepted.
    pub recovered: u64,
    /// Candidate pairs scored.
    pub pairs_scored: u64,
    /// The Fellegi–Sunter model estimated from the data.
    pub model: super::recover::Model,
}

impl Summary {
    /// The report table with the Dukcapil labels, one `(label, count)` per line.
    pub fn table(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("Diterima", self.received),
            ("Sesuai", self.matched),
            ("  di antaranya meninggal", self.matched_deceased),
            ("Anomali", self.anomaly),
            ("Ganda", self.duplicate),
            ("Tidak sesuai", self.unmatched),
            ("NIK tidak ditemukan", self.nik_not_found),
        ]
    }

    fn check_sum(&self) -> Result<(), MatchError> {
        let sum =
            self.matched + self.anomaly + self.duplicate + self.unmatched + self.nik_not_found;
        if sum != self.received {
            return Err(MatchError::CategorySum {
                received: self.received,
                sum,
            });
        }
        Ok(())
    }
}

/// Parses a size such as `512M`, `4G`, `1500K` or a byte count.
///
/// ```
/// assert_eq!(ktpel_core::matching::parse_size("4G").unwrap(), 4 << 30);
/// assert!(ktpel_core::matching::parse_size("lots").is_err());
/// ```
pub fn parse_size(s: &str) -> Result<u64, MatchError> {
    let t = s.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (num, mul) = match t.chars().last() {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        Some('T') => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| MatchError::MemoryBudget(s.to_string()))?;
    let v = n * mul as f64;
    if !(v.is_finite() && v >= (1 << 20) as f64) {
        return Err(MatchError::MemoryBudget(s.to_string()));
    }
    Ok(v as u64)
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> MatchError + '_ {
    move |source| MatchError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A register row kept in memory: the fixed-size elements inline, the texts
/// in the index's arena (joined by `\x1f`). 32 bytes per row plus its texts,
/// instead of a `String` per row and a hash-map entry.
#[derive(Clone, Copy)]
struct PopEntry {
    nik: u64,
    start: u64,
    len: u32,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
    status: Option<LifeStatus>,
}

/// The register (or one pass's share of it) by NIK: entries sorted by NIK,
/// found through an open-addressing hash table (one or two cache misses per
/// lookup; the binary search it replaced missed the cache on most of its
/// steps and took 15 % of a 1 M × 1 M run).
struct PopIndex {
    entries: Vec<PopEntry>,
    /// Whole UTF-8 texts joined by `\x1f`: a `String`, so that reading a
    /// row back needs no UTF-8 validation (3 % of the CPU with it).
    arena: String,
    /// Linear-probing slots, a power of two: entry index (low 32 bits;
    /// `u32::MAX` = empty) and the key's low 32 bits (high 32 bits), so
    /// that probing past other keys does not touch their entries.
    table: Vec<u64>,
    text_elements: Vec<Element>,
    recover: Option<super::recover::RecoverIndex>,
    /// Keys are token prefixes: a hit must also match the whole NIK token.
    tokens: bool,
}

/// A register row as stored in a [`PopIndex`]: its texts (in
/// `text_elements` order) borrowed from the arena, the parsed elements from
/// its entry.
struct ArenaRecord<'a> {
    elements: &'a [Element],
    texts: [Option<&'a str>; Element::COUNT],
    entry: &'a PopEntry,
}

impl Reference for ArenaRecord<'_> {
    fn text(&self, element: Element) -> Option<&str> {
        let i = self.elements.iter().position(|e| *e == element)?;
        self.texts[i]
    }
    fn birth_date(&self) -> Option<NaiveDate> {
        self.entry.birth_date
    }
    fn sex(&self) -> Option<Sex> {
        self.entry.sex
    }
    fn status(&self) -> Option<LifeStatus> {
        self.entry.status
    }
}

/// An empty slot of [`PopIndex::table`].
const EMPTY_SLOT: u64 = u32::MAX as u64;

/// Table bytes per register row at most: slots are the next power of two
/// above 1.5 × the rows, 8 bytes each.
const TABLE_BYTES_PER_ROW: u64 = 24;

impl PopIndex {
    /// The first slot of a key in a table of `len` (a power of two) slots.
    fn home(key: u64, len: usize) -> usize {
        let h = (key ^ (key >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - len.trailing_zeros())) as usize
    }

    fn entry(&self, nik: u64) -> Option<&PopEntry> {
        let len = self.table.len();
        if len < 2 {
            return None;
        }
        let mask = len - 1;
        let tag = nik << 32;
        let mut i = Self::home(nik, len);
        loop {
            let slot = self.table[i];
            if slot == EMPTY_SLOT {
                return None;
            }
            if slot & !EMPTY_SLOT == tag {
                let e = &self.entries[(slot & EMPTY_SLOT) as usize];
                if e.nik == nik {
                    return Some(e);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The register row of `nik` as a [`Reference`] read from the arena:
    /// no `Record` is built per lookup.
    fn get(&self, nik: u64) -> Option<ArenaRecord<'_>> {
        let p = self.entry(nik)?;
        // Each row's text is pushed whole, so its bounds are character
        // boundaries.
        let text = self
            .arena
            .get(p.start as usize..p.start as usize + p.len as usize)
            .unwrap_or("");
        let mut texts = [None; Element::COUNT];
        for (t, v) in texts.iter_mut().zip(text.split('\x1f')) {
            // As `Record::set`: trimmed, empty = none.
            let v = v.trim();
            *t = (!v.is_empty()).then_some(v);
        }
        Some(ArenaRecord {
            elements: &self.text_elements,
            texts,
            entry: p,
        })
    }

    /// Sorts the entries by NIK (the first row of a NIK wins, as read),
    /// drops later rows with the same NIK and builds the directory. Returns
    /// the number of dropped rows.
    fn finish(&mut self) -> u64 {
        // `start` grows in file order, so (nik, start) sorts like a stable
        // sort by NIK, in place.
        #[cfg(feature = "parallel")]
        {
            use rayon::slice::ParallelSliceMut;
            self.entries.par_sort_unstable_by_key(|e| (e.nik, e.start));
        }
        #[cfg(not(feature = "parallel"))]
        self.entries.sort_unstable_by_key(|e| (e.nik, e.start));
        let before = self.entries.len();
        self.entries.dedup_by_key(|e| e.nik);
        // At most two thirds full, at least one empty slot.
        let len = (self.entries.len() + self.entries.len() / 2 + 2).next_power_of_two();
        let mut table = std::mem::take(&mut self.table);
        table.clear();
        table.resize(len, EMPTY_SLOT);
        let mask = len - 1;
        for (idx, e) in self.entries.iter().enumerate() {
            let mut i = Self::home(e.nik, len);
            while table[i] != EMPTY_SLOT {
                i = (i + 1) & mask;
            }
            table[i] = (e.nik << 32) | idx as u64;
        }
        self.table = table;
        (before - self.entries.len()) as u64
    }
}

/// Bytes per indexed register row besides its texts.
const POP_ENTRY_BYTES: u64 = std::mem::size_of::<PopEntry>() as u64;

fn nik_number(s: &str) -> Option<u64> {
    let t = s.trim();
    (t.len() == 16 && t.bytes().all(|c| c.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// The lookup key of a NIK cell: the number, or with tokens the first 64
/// bits of the NIK token's MAC.
fn nik_key(s: &str, tokens: bool) -> Option<u64> {
    if tokens {
        crate::privacy::Token::parse(s.trim())
            .ok()
            .filter(|t| t.kind == crate::privacy::TokenKind::Nik)
            .map(|t| t.key64())
    } else {
        nik_number(s)
    }
}

fn read_header<S: RecordSource>(
    reader: &mut S,
    path: &Path,
) -> Result<Option<Vec<String>>, MatchError> {
    let Some(rec) = reader.next_record().map_err(io_err(path))? else {
        return Ok(None);
    };
    Ok(Some(
        rec.fields()
            .iter()
            .map(|f| f.text.trim().to_string())
            .collect(),
    ))
}

/// The register's text elements kept in memory: the policy's compared and
/// returned elements, except the ones kept parsed.
fn text_elements(policy: &Policy, tokens: bool) -> Vec<Element> {
    let mut v: Vec<Element> = policy
        .rules
        .iter()
        .map(|r| r.element)
        .chain(policy.returned.iter().copied())
        .filter(|e| !matches!(e, Element::BirthDate | Element::Sex | Element::Status))
        // With tokens the whole NIK token is kept to confirm a 64-bit hit.
        .chain(tokens.then_some(Element::Nik))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Rows sampled from the start of a file to estimate sizes.
const SAMPLE_ROWS: usize = 4096;

/// Estimates, from the first rows, the data rows of a file and the bytes
/// of kept text per row (`keep`: the elements whose text is kept; empty =
/// none). Returns `(rows, text bytes per row)`.
fn estimate_rows(
    path: &Path,
    mapping: &Mapping,
    keep: &[Element],
) -> Result<(u64, u64), MatchError> {
    let size = std::fs::metadata(path).map_err(io_err(path))?.len();
    let delimiter = mapping.delimiter_byte()?;
    let mut reader = RecordReader::new(File::open(path).map_err(io_err(path))?, delimiter);
    let Some(header) = read_header(&mut reader, path)? else {
        return Ok((0, 0));
    };
    let header_bytes = reader.bytes_read();
    let mut binding = mapping.bind(&header)?;
    binding.retain(keep);
    let (mut rows, mut text) = (0u64, 0u64);
    while rows < SAMPLE_ROWS as u64 {
        let Some(rec) = reader.next_record().map_err(io_err(path))? else {
            break;
        };
        rows += 1;
        text += super::split::with_fields(&rec, delimiter, |fields, _| {
            let (r, _) = binding.convert(fields);
            keep.iter()
                .map(|e| r.get(*e).map_or(0, |t| t.len() as u64 + 1))
                .sum::<u64>()
        });
    }
    if rows == 0 {
        return Ok((0, 0));
    }
    let per_row = ((reader.bytes_read() - header_bytes) / rows).max(1);
    Ok(((size - header_bytes).div_ceil(per_row), text.div_ceil(rows)))
}

/// Memory a run needs besides the register and the duplicate state: the
/// program, blocks in flight (being read, converted and matched, written),
/// their converted rows and the output buffers (measured with a
/// header-only agency file and with many passes: see docs/matching.md; 64
/// MB before the output step got its own thread and the CLI mimalloc,
/// with which 80 MB still let a 10-pass run exceed its budget by 1 %).
const FIXED_BYTES: u64 = 96 << 20;
/// Memory per agency row for the duplicate step (first row per NIK and per
/// element combination: two hash tables of 16-byte entries, up to half
/// empty, and old and new table while one grows) and the pass routing byte.
const AGENCY_ROW_BYTES: u64 = 80;
/// Register rows per block (at most three blocks are in memory).
const POPULATION_BLOCK_ROWS: usize = 16_384;

/// The number of passes for a memory budget: the register's estimated
/// in-memory size (entries, texts, directory) over what the budget leaves
/// after the fixed part and the agency side's duplicate state.
fn passes_for_budget(
    budget: u64,
    agency: &Path,
    agency_mapping: &Mapping,
    population: &Path,
    population_mapping: &Mapping,
    policy: &Policy,
) -> Result<usize, MatchError> {
    let (pop_rows, text) = estimate_rows(
        population,
        population_mapping,
        &text_elements(policy, false),
    )?;
    let (agency_rows, _) = estimate_rows(agency, agency_mapping, &[])?;
    let register = pop_rows * (POP_ENTRY_BYTES + TABLE_BYTES_PER_ROW + text);
    let other = FIXED_BYTES + agency_rows * AGENCY_ROW_BYTES;
    // A budget below the parts that passes do not split cannot be met; the
    // register is then split as finely as a quarter of the budget per pass.
    let share = match budget.checked_sub(other) {
        Some(s) if s > 0 => s,
        _ => (budget / 4).max(1),
    };
    Ok((register.div_ceil(share).max(1)).min(MAX_PASSES as u64) as usize)
}

/// The pass of a NIK. Hashed, not `NIK mod passes`: NIK serials are mostly
/// `0001`, so the plain remainder put nearly every resident in one pass
/// when the number of passes divided 10 (10 passes: all in pass 1).
fn pass_of(nik: u64, passes: usize) -> usize {
    // splitmix64's finaliser: every input bit moves the result.
    let mut z = nik.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z % passes as u64) as usize
}

/// Most passes: the pass of an agency row is kept in one byte (255 = none).
const MAX_PASSES: usize = 254;

/// Where [`for_each_block`] reads records from: a CSV file, or a
/// register part file written by pass 0 of a multi-pass run.
trait RecordSource: Send {
    fn next_record(&mut self) -> std::io::Result<Option<RawRecord>>;
    fn bytes_read(&self) -> u64;
}

impl<R: Read + Send> RecordSource for RecordReader<R> {
    fn next_record(&mut self) -> std::io::Result<Option<RawRecord>> {
        RecordReader::next_record(self)
    }
    fn bytes_read(&self) -> u64 {
        RecordReader::bytes_read(self)
    }
}

/// The register rows of one later pass, cut out of the register CSV by
/// pass 0 (so later passes neither re-read nor re-split the whole file):
/// frames of `line: u64`, `len: u32` (little-endian) and the record's
/// bytes; the first frame is the header.
struct PartReader {
    r: BufReader<File>,
    delimiter: u8,
    bytes: u64,
}

impl RecordSource for PartReader {
    fn next_record(&mut self) -> std::io::Result<Option<RawRecord>> {
        if self.r.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut head = [0u8; 12];
        self.r.read_exact(&mut head)?;
        let line = u64::from_le_bytes(head[..8].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(head[8..].try_into().expect("4 bytes")) as usize;
        let mut bytes = vec![0; len];
        self.r.read_exact(&mut bytes)?;
        self.bytes += 12 + len as u64;
        Ok(Some(RawRecord::from_bytes(bytes, line, self.delimiter)))
    }
    fn bytes_read(&self) -> u64 {
        self.bytes
    }
}

/// Appends one record frame of a [`PartReader`] file.
fn write_part_frame(w: &mut impl Write, rec: &RawRecord) -> std::io::Result<()> {
    w.write_all(&rec.line.to_le_bytes())?;
    w.write_all(&(rec.bytes.len() as u32).to_le_bytes())?;
    w.write_all(&rec.bytes)
}

/// The register part file of a pass (`pass >= 1`).
fn population_part_path(out_dir: &Path, pass: usize) -> PathBuf {
    out_dir.join(format!(".population.part{pass}"))
}

/// Streams `reader` in blocks of `rows` records, read on a second thread so
/// that reading overlaps the work on the previous block; `f` gets each block
/// and the bytes read so far. At most three blocks exist at a time.
fn for_each_block<S: RecordSource>(
    reader: &mut S,
    path: &Path,
    rows: usize,
    mut f: impl FnMut(Vec<RawRecord>, u64) -> Result<(), MatchError>,
) -> Result<(), MatchError> {
    std::thread::scope(|scope| {
        type Msg = std::io::Result<(Vec<RawRecord>, u64)>;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(1);
        scope.spawn(move || {
            loop {
                let mut block = Vec::with_capacity(rows.min(65_536));
                let mut res = Ok(());
                while block.len() < rows {
                    match reader.next_record() {
                        Ok(Some(r)) => block.push(r),
                        Ok(None) => break,
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                let end = block.is_empty();
                let msg = res.map(|()| (block, reader.bytes_read()));
                let stop = msg.is_err() || end;
                // The receiver is gone when `f` failed: stop reading.
                if tx.send(msg).is_err() || stop {
                    return;
                }
            }
        });
        let mut result = Ok(());
        for msg in &rx {
            match msg {
                Ok((block, _)) if block.is_empty() => break,
                Ok((block, bytes)) => {
                    if let Err(e) = f(block, bytes) {
                        result = Err(e);
                        break;
                    }
                }
                Err(e) => {
                    result = Err(io_err(path)(e));
                    break;
                }
            }
        }
        drop(rx);
        result
    })
}

impl<T: RecordSource + ?Sized> RecordSource for Box<T> {
    fn next_record(&mut self) -> std::io::Result<Option<RawRecord>> {
        (**self).next_record()
    }
    fn bytes_read(&self) -> u64 {
        (**self).bytes_read()
    }
}

/// Loads the register rows of `pass` into an index. Pass 0 reads the
/// register CSV and, when there are more passes, writes every other pass's
/// rows (as read, with their line numbers) to that pass's part file; later
/// passes read only their part file, which is removed once loaded.
#[allow(clippy::too_many_arguments)]
fn load_population(
    path: &Path,
    out_dir: &Path,
    mapping: &Mapping,
    policy: &Policy,
    recover_spec: Option<&super::recover::RecoverySpec>,
    tokens: bool,
    pass: usize,
    passes: usize,
    summary: &mut PopulationSummary,
    done_bytes: u64,
    total_bytes: u64,
    progress: &mut dyn FnMut(BatchProgress),
    reuse: Option<PopIndex>,
    reserve: (u64, u64),
) -> Result<PopIndex, MatchError> {
    let recover = recover_spec.is_some();
    let delimiter = mapping.delimiter_byte()?;
    let source_path = if pass == 0 {
        path.to_path_buf()
    } else {
        population_part_path(out_dir, pass)
    };
    let mut reader: Box<dyn RecordSource> = if pass == 0 {
        Box::new(RecordReader::new(
            File::open(path).map_err(io_err(path))?,
            delimiter,
        ))
    } else {
        Box::new(PartReader {
            r: BufReader::with_capacity(
                1 << 20,
                File::open(&source_path).map_err(io_err(&source_path))?,
            ),
            delimiter,
            bytes: 0,
        })
    };
    // The previous pass's buffers are cleared and refilled rather than freed:
    // freeing large blocks makes glibc raise its mmap threshold, after which
    // the next pass's buffers land on the heap and the freed memory is never
    // returned (peak RSS grew with the passes).
    let mut index = reuse.unwrap_or_else(|| PopIndex {
        entries: Vec::new(),
        arena: String::new(),
        table: Vec::new(),
        text_elements: Vec::new(),
        recover: None,
        tokens,
    });
    index.entries.clear();
    index.arena.clear();
    // Estimated rows and text bytes of this pass (no pages are touched).
    index
        .entries
        .reserve(usize::try_from(reserve.0).unwrap_or(0));
    index.arena.reserve(usize::try_from(reserve.1).unwrap_or(0));
    index.text_elements = text_elements(policy, tokens);
    index.tokens = tokens;
    index.recover = recover_spec.map(|s| super::recover::RecoverIndex::new(s.clone()));
    let Some(header_rec) = reader.next_record().map_err(io_err(&source_path))? else {
        summary.has_status = false;
        return Ok(index);
    };
    let header: Vec<String> = header_rec
        .fields()
        .iter()
        .map(|f| f.text.trim().to_string())
        .collect();
    // Pass 0 of a multi-pass run splits the register into part files.
    let split = pass == 0 && passes > 1;
    let mut parts: Vec<(PathBuf, BufWriter<File>)> = Vec::new();
    if split {
        for p in 1..passes {
            let pp = population_part_path(out_dir, p);
            let mut f =
                BufWriter::with_capacity(256 << 10, File::create(&pp).map_err(io_err(&pp))?);
            write_part_frame(&mut f, &header_rec).map_err(io_err(&pp))?;
            parts.push((pp, f));
        }
    }
    let mut binding = mapping.bind(&header)?;
    let mut keep = index.text_elements.clone();
    keep.extend([
        Element::Nik,
        Element::BirthDate,
        Element::Sex,
        Element::Status,
    ]);
    if recover {
        // Recovery compares these whatever the policy.
        keep.extend([
            Element::Name,
            Element::BirthPlace,
            Element::MotherName,
            Element::Province,
        ]);
    }
    match recover_spec {
        // Recovery also compares the extras its spec names.
        Some(spec) => binding.retain_with_extras(&keep, &spec.extra_names()),
        None => binding.retain(&keep),
    }
    if !binding.has(Element::Nik) {
        return Err(MatchError::NoNikColumn {
            path: path.display().to_string(),
            available: header.join(","),
        });
    }
    summary.has_status = binding.has(Element::Status);
    let first = pass == 0;
    let text_elements = index.text_elements.clone();
    /// A converted register row of this pass.
    struct Loaded {
        nik: u64,
        text: String,
        birth_date: Option<NaiveDate>,
        sex: Option<Sex>,
        status: Option<LifeStatus>,
        resident: Option<super::recover::Resident>,
    }
    enum Converted {
        /// Unreadable, or no 16-digit NIK.
        Skip,
        /// A row of another pass (pass 0 of a split run).
        Other(usize),
        Mine(Loaded),
    }
    let convert = |rec: &RawRecord| -> Converted {
        if rec.unbalanced_quote {
            return Converted::Skip;
        }
        super::split::with_fields(rec, delimiter, |fields, _| {
            let Some(nik) = binding
                .text_of(Element::Nik, fields)
                .and_then(|t| nik_key(&t, tokens))
            else {
                return Converted::Skip;
            };
            if split {
                let p = pass_of(nik, passes);
                if p != pass {
                    return Converted::Other(p);
                }
            }
            let mut text = String::new();
            if let Some(spec) = recover_spec {
                // Recovery keeps its own view of the resident: from a Record.
                let r = binding.convert(fields).0;
                for (i, e) in text_elements.iter().enumerate() {
                    if i > 0 {
                        text.push('\x1f');
                    }
                    text.push_str(r.get(*e).unwrap_or("").trim_matches('\x1f'));
                }
                return Converted::Mine(Loaded {
                    nik,
                    text,
                    birth_date: r.birth_date,
                    sex: r.sex,
                    status: r.status,
                    resident: Some(super::recover::Resident::of(nik, &r, spec)),
                });
            }
            // The texts and parsed elements straight from the fields, as
            // `Binding::convert` + `Record::get` give them, without
            // building a Record (an allocation per element and row).
            for (i, e) in text_elements.iter().enumerate() {
                if i > 0 {
                    text.push('\x1f');
                }
                let t = binding.text_of(*e, fields);
                let t = t.as_deref().map_or("", str::trim);
                text.push_str(t.trim_matches('\x1f'));
            }
            let parsed = |e: Element| binding.text_of(e, fields).filter(|t| !t.is_empty());
            Converted::Mine(Loaded {
                nik,
                text,
                birth_date: parsed(Element::BirthDate).and_then(|t| binding.parse_date(&t)),
                sex: parsed(Element::Sex).and_then(|t| binding.parse_sex(&t)),
                status: parsed(Element::Status).and_then(|t| binding.parse_status(&t)),
                resident: None,
            })
        })
    };
    // NIKs already in the recovery index (the first row of a NIK is the
    // resident); sized for the estimated rows, hashed cheaply.
    let mut recovered_niks: std::collections::HashSet<u64, KeyHasher> =
        std::collections::HashSet::with_capacity_and_hasher(
            if recover_spec.is_some() {
                usize::try_from(reserve.0).unwrap_or(0)
            } else {
                0
            },
            KeyHasher,
        );
    for_each_block(
        &mut reader,
        &source_path,
        POPULATION_BLOCK_ROWS,
        |block, bytes| {
            #[cfg(feature = "parallel")]
            let converted: Vec<Converted> = {
                use rayon::prelude::*;
                block.par_iter().with_min_len(1024).map(convert).collect()
            };
            #[cfg(not(feature = "parallel"))]
            let converted: Vec<Converted> = block.iter().map(convert).collect();
            for (c, rec) in converted.into_iter().zip(&block) {
                if first {
                    summary.rows += 1;
                }
                let l = match c {
                    Converted::Skip => {
                        if first {
                            summary.skipped += 1;
                        }
                        continue;
                    }
                    Converted::Other(p) => {
                        let (pp, f) = &mut parts[p - 1];
                        write_part_frame(f, rec).map_err(io_err(pp))?;
                        continue;
                    }
                    Converted::Mine(l) => l,
                };
                summary.loaded += 1;
                if let (Some(ri), Some(res)) = (index.recover.as_mut(), l.resident) {
                    // The first row of a NIK is the resident, as in the index.
                    if recovered_niks.insert(l.nik) {
                        ri.push(res);
                    }
                }
                index.entries.push(PopEntry {
                    nik: l.nik,
                    start: index.arena.len() as u64,
                    len: l.text.len() as u32,
                    birth_date: l.birth_date,
                    sex: l.sex,
                    status: l.status,
                });
                index.arena.push_str(&l.text);
            }
            progress(BatchProgress {
                phase: Phase::Population,
                pass,
                passes,
                bytes: done_bytes + bytes,
                total_bytes,
            });
            Ok(())
        },
    )?;
    for (pp, mut f) in parts {
        f.flush().map_err(io_err(&pp))?;
    }
    if pass > 0 {
        let _ = std::fs::remove_file(&source_path);
    }
    let dropped = index.finish();
    summary.duplicate_nik += dropped;
    summary.loaded -= dropped;
    summary.deceased += index
        .entries
        .iter()
        .filter(|e| e.status == Some(LifeStatus::Mati))
        .count() as u64;
    if let Some(ri) = index.recover.as_mut() {
        ri.finish();
    }
    Ok(index)
}

/// A converted and matched agency row before duplicate detection.
struct Prepared {
    line: u64,
    /// The row as read, to convert on the output step when it turns out to
    /// be a duplicate (a few percent of the rows).
    raw: RawRecord,
    /// The row converted, when the worker knew it would be needed
    /// (anomalies, rows kept for recovery). Boxed: rows are moved into
    /// the block's vector, and a `Record` is ten times a pointer.
    record: Option<Box<Record>>,
    anomaly: Option<(Code, Option<Element>, String)>,
    latin1: bool,
    nik: Option<u64>,
    combo: Option<u64>,
}

/// The checks of an agency row: anomaly, NIK, duplicate combination and the
/// prepared names for the name comparisons.
#[derive(Default)]
struct Checked {
    anomaly: Option<(Code, Option<Element>, String)>,
    nik: Option<u64>,
    combo: Option<u64>,
    /// The name prepared from the matching key of the duplicate step, for
    /// the name comparison (`None`: compare from the text).
    name: Option<name::PreparedName>,
    /// The mother's name, likewise.
    mother_name: Option<name::PreparedName>,
}

/// Sets aside malformed rows, bad names, bad NIKs and failed conversions
/// (in that order) and computes the keys of the other rows.
fn check_row(
    rec: &RawRecord,
    columns: usize,
    view: &RowView<'_>,
    findings: &[super::Finding],
    binding: &Binding,
    reference: NaiveDate,
    tokens: bool,
) -> Checked {
    let mut p = Checked::default();
    if rec.unbalanced_quote || columns != binding.columns() {
        let what = if rec.unbalanced_quote {
            "a quote is never closed".to_string()
        } else {
            format!("{} columns, the header has {}", columns, binding.columns())
        };
        p.anomaly = Some((Code::MalformedRow, None, what));
        return p;
    }
    if tokens {
        return check_tokens(p, view, findings);
    }
    let name_text = view.get(Element::Name).unwrap_or("");
    if let Some(a) = name::check(name_text)
        && a.severity() == name::Severity::Error
    {
        p.anomaly = Some((a.code(), Some(Element::Name), name_text.to_string()));
        return p;
    }
    let nik_text = view.get(Element::Nik).unwrap_or("");
    let check = nik::check_at(nik_text, Mode::Strict, reference, None);
    if let Some(code) = check.code() {
        p.anomaly = Some((code, Some(Element::Nik), nik_text.to_string()));
        return p;
    }
    if let Some(f) = findings.iter().find(|f| f.is_error()) {
        p.anomaly = Some((f.code, f.element, f.value.clone()));
        return p;
    }
    p.nik = check.normalized().and_then(nik_number);
    if let (Some(n), Some(d)) = (view.get(Element::Name), view.birth_date) {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let key = name::matching_key(n);
        key.hash(&mut h);
        d.hash(&mut h);
        view.sex.hash(&mut h);
        let mother = view.get(Element::MotherName).map(name::matching_key);
        mother.hash(&mut h);
        p.combo = Some(h.finish());
        // An empty key (no letters) is not what `PreparedName::new` uses.
        fn prepared(k: String) -> Option<name::PreparedName> {
            (!k.is_empty()).then(|| name::PreparedName::from_key(k))
        }
        p.name = prepared(key);
        p.mother_name = mother.and_then(prepared);
    }
    p
}

/// [`check_row`] for tokenized files: the name column holds an element
/// token and the NIK column a NIK token; an empty cell is `EMPTY` (as an
/// empty name or NIK is on clear data), anything else not a token of the
/// right kind `INVALID_TOKEN`.
fn check_tokens(mut p: Checked, view: &RowView<'_>, findings: &[super::Finding]) -> Checked {
    use crate::privacy::{Token, TokenKind};
    for (element, kind) in [
        (Element::Name, TokenKind::Element),
        (Element::Nik, TokenKind::Nik),
    ] {
        let text = view.get(element).unwrap_or("");
        let code = if text.is_empty() {
            Some(Code::Empty)
        } else {
            match Token::parse(text) {
                Ok(t) if t.kind == kind => None,
                _ => Some(Code::InvalidToken),
            }
        };
        if let Some(code) = code {
            p.anomaly = Some((code, Some(element), text.to_string()));
            return p;
        }
    }
    if let Some(f) = findings.iter().find(|f| f.is_error()) {
        p.anomaly = Some((f.code, f.element, f.value.clone()));
        return p;
    }
    p.nik = view.get(Element::Nik).and_then(|t| nik_key(t, true));
    if let Some(n) = view.get(Element::Name) {
        // The element token stands for name key + birth date: the same
        // combination as on clear data when sex and mother's name are absent.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        n.hash(&mut h);
        p.combo = Some(h.finish());
    }
    p
}

/// The ID extras of a row's split fields (trimmed, as [`Binding::convert`]
/// stores them), one per `id_cols` entry (`None`: no such column, empty).
fn ids_of_fields<'f, S: AsRef<str>>(
    fields: &'f [S],
    id_cols: &'f [Option<usize>],
) -> impl Iterator<Item = &'f str> + 'f {
    id_cols.iter().map(|c| {
        c.and_then(|i| fields.get(i))
            .map(|s| s.as_ref().trim())
            .unwrap_or("")
    })
}

/// Where a row ended up, with its finished `hasil.csv` line.
struct Outcome {
    category: Category,
    deceased: bool,
    matched_nik: Option<u64>,
    swapped: bool,
    line: Vec<u8>,
}

/// Hashes keys that are already well mixed (NIKs, 64-bit hashes) cheaply:
/// one multiply instead of SipHash.
#[derive(Default, Clone, Copy)]
struct KeyHasher;

impl std::hash::BuildHasher for KeyHasher {
    type Hasher = KeyHash;
    fn build_hasher(&self) -> KeyHash {
        KeyHash(0)
    }
}

/// The hasher of [`KeyHasher`].
struct KeyHash(u64);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // Fibonacci hashing; the high bits (used by hashbrown) depend on all
        // input bits.
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(32)
            ^ n;
    }
}

/// The agency elements a run needs: the compared ones, the name and NIK
/// (anomalies), the duplicate combination, every element whose
/// conversion can fail (a failure is an anomaly whatever the policy), and
/// with `recover` the province recovery blocks on.
fn agency_elements(policy: &Policy, recover: bool) -> Vec<Element> {
    let mut v: Vec<Element> = policy.rules.iter().map(|r| r.element).collect();
    if recover {
        v.push(Element::Province);
    }
    v.extend([
        Element::Nik,
        Element::Name,
        Element::MotherName,
        Element::BirthDate,
        Element::Sex,
        Element::Status,
        Element::BirthPlace,
    ]);
    v
}

fn write_row(out: &mut Vec<u8>, fields: &[&str]) {
    crate::validate::write_csv_row(out, fields.iter().copied(), b',');
}

struct Writers {
    hasil: Box<dyn Write + Send>,
    anomali: BufWriter<File>,
    ganda: BufWriter<File>,
}

/// Runs the batch: reads `agency` and `population`, writes `hasil.csv`,
/// `anomali.csv`, `ganda.csv` and `summary.json` into `out_dir` (created if
/// missing) and returns the summary, whose categories are checked to add up
/// to the rows received. See the module docs for the steps.
///
/// ```
/// use ktpel_core::matching::{run_batch, BatchOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let pop = dir.path().join("population.csv");
/// let agency = dir.path().join("agency.csv");
/// std::fs::write(&pop, "NIK,NAMA_LGKP,TGL_LHR,JENIS_KLMIN,STATUS\n3174015708900123,SITI AMINAH,17-08-1990,PEREMPUAN,HIDUP\n").unwrap();
/// std::fs::write(&agency, "ID,NIK,NAMA_LGKP,TGL_LHR\nA1,3174015708900123,Hj. Siti Aminah,17-08-1990\nA2,3174015708900123,SITI AMINAH,17-08-1990\nA3,,XXX,\n").unwrap();
/// let mut opts = BatchOptions::default();
/// opts.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
/// let s = run_batch(&agency, &pop, &dir.path().join("out"), &opts, &mut |_| {}).unwrap();
/// assert_eq!((s.received, s.matched, s.duplicate, s.anomaly), (3, 1, 1, 1));
/// ```
pub fn run_batch(
    agency: &Path,
    population: &Path,
    out_dir: &Path,
    opts: &BatchOptions,
    progress: &mut dyn FnMut(BatchProgress),
) -> Result<Summary, MatchError> {
    opts.policy.validate()?;
    if opts.tokens && opts.recover {
        return Err(MatchError::Config {
            what: "options",
            reason: "NIK recovery needs clear NIKs; it cannot run on tokenized files".into(),
        });
    }
    std::fs::create_dir_all(out_dir).map_err(io_err(out_dir))?;
    let reference = opts
        .reference_date
        .unwrap_or_else(|| nik::CheckOptions::strict().resolved_reference_date());
    let passes = match opts.memory_budget {
        None => 1,
        Some(budget) => passes_for_budget(
            budget,
            agency,
            &opts.agency_mapping,
            population,
            &opts.population_mapping,
            &opts.policy,
        )?,
    };
    // Sizes estimated from the first rows, to reserve the register index
    // and the duplicate tables once: growing them by doubling copies
    // hundreds of MB and faults in fresh pages each time. Errors are left
    // to the steps below, which report them.
    let (pop_rows_est, pop_text_est) = estimate_rows(
        population,
        &opts.population_mapping,
        &text_elements(&opts.policy, opts.tokens),
    )
    .unwrap_or((0, 0));
    let (agency_rows_est, _) = estimate_rows(agency, &opts.agency_mapping, &[]).unwrap_or((0, 0));
    let pass_rows_est = (pop_rows_est / passes as u64) * 21 / 20;
    let reserve = (pass_rows_est, pass_rows_est * pop_text_est);
    let pop_size = std::fs::metadata(population)
        .map_err(io_err(population))?
        .len();
    let agency_size = std::fs::metadata(agency).map_err(io_err(agency))?.len();
    // Pass 0 reads the register; each later pass its part (about a
    // `passes`-th of it).
    let pop_part = pop_size / passes as u64;
    let total_bytes = pop_size + pop_part * (passes as u64 - 1) + agency_size * passes as u64;
    let mut summary = Summary {
        passes,
        ..Summary::default()
    };

    let policy = &opts.policy;
    let create = |name: &str| -> Result<BufWriter<File>, MatchError> {
        let p = out_dir.join(name);
        Ok(BufWriter::with_capacity(
            1 << 20,
            File::create(&p).map_err(io_err(&p))?,
        ))
    };
    let part_paths: Vec<PathBuf> = (0..passes)
        .map(|p| out_dir.join(format!(".hasil.part{p}")))
        .collect();
    let hasil_path = out_dir.join("hasil.csv");
    let mut w = Writers {
        hasil: Box::new(create("hasil.csv")?),
        anomali: create("anomali.csv")?,
        ganda: create("ganda.csv")?,
    };

    let recovering = opts.recover && passes == 1;
    let recover_spec = if recovering {
        Some(super::recover::RecoverySpec::new(&[
            &opts.population_mapping,
            &opts.agency_mapping,
        ])?)
    } else {
        None
    };
    if opts.recover && passes > 1 {
        *summary
            .warnings
            .entry(Code::RecoverySkipped.as_str())
            .or_default() += 1;
    }
    let mut to_recover: Vec<(u64, Vec<String>, Record)> = Vec::new();
    // Verified rows train the recovery model: keep every 8th, at most 50 000.
    let mut verified: Vec<(Record, u64)> = Vec::new();
    let mut done_bytes = 0u64;
    let mut id_columns: Vec<String> = Vec::new();
    let mut header_written = false;
    // Multi-pass runs: pass 0 decides every row's fate (anomaly, duplicate,
    // or the pass of its NIK) and keeps it in one byte per row, so later
    // passes convert only their own rows and need no duplicate state.
    let mut route: Vec<u8> = Vec::new();
    let mut reused: Option<PopIndex> = None;
    for pass in 0..passes {
        let index = load_population(
            population,
            out_dir,
            &opts.population_mapping,
            policy,
            recover_spec.as_ref(),
            opts.tokens,
            pass,
            passes,
            &mut summary.population,
            done_bytes,
            total_bytes,
            progress,
            reused.take(),
            reserve,
        )?;
        done_bytes += if pass == 0 { pop_size } else { pop_part };
        if passes > 1 {
            w.hasil = Box::new(BufWriter::with_capacity(
                1 << 20,
                File::create(&part_paths[pass]).map_err(io_err(&part_paths[pass]))?,
            ));
        }
        let delimiter = opts.agency_mapping.delimiter_byte()?;
        let mut reader = RecordReader::new(File::open(agency).map_err(io_err(agency))?, delimiter);
        let header = read_header(&mut reader, agency)?;
        let binding = match &header {
            Some(h) => Some(opts.agency_mapping.bind(h)?),
            None => None,
        };
        if !header_written {
            if let Some(b) = &binding {
                id_columns = b
                    .extras()
                    .filter(|(_, k)| *k == ExtraType::Id)
                    .map(|(n, _)| n.to_string())
                    .collect();
            }
            write_headers(&mut w, policy, &id_columns, &part_paths, passes, recovering)?;
            header_written = true;
        }
        let Some(binding) = binding else {
            if pass == 0 {
                *summary.warnings.entry(Code::Empty.as_str()).or_default() += 1;
            }
            done_bytes += agency_size;
            continue;
        };
        if pass == 0 && !binding.has(Element::Nik) {
            *summary
                .warnings
                .entry(Code::NoNikColumn.as_str())
                .or_default() += 1;
        }
        let mut binding = binding;
        binding.retain_elements(&agency_elements(policy, recovering));
        let binding = binding;
        // Pass 0 keeps the first row per NIK and per combination: sized for
        // the estimated rows once instead of rehashed while growing.
        let dup_rows = if pass == 0 {
            usize::try_from(agency_rows_est * 21 / 20).unwrap_or(0)
        } else {
            0
        };
        let mut seen_nik: HashMap<u64, u64, KeyHasher> =
            HashMap::with_capacity_and_hasher(dup_rows, KeyHasher);
        let mut seen_combo: HashMap<u64, u64, KeyHasher> =
            HashMap::with_capacity_and_hasher(dup_rows, KeyHasher);
        let mut row_no = 0u64;
        let block_rows = opts.block_rows.max(1);
        // Pass 0 of a multi-pass run fills the routing bytes; later passes
        // read them.
        let mut new_route: Vec<u8> = Vec::new();
        let route_in: &[u8] = &route;
        let index_ref = &index;
        let tokens = opts.tokens;
        // Two stages: this thread converts and matches each block in
        // parallel (rayon), an output thread takes the finished block for
        // the sequential part — duplicates in input order, counts, the
        // lines of set-aside rows, writing — while the next block is
        // converted and matched. Rows found to be duplicates were matched
        // for nothing (a few percent); in exchange the workers never wait
        // for the sequential step.
        type Done = Vec<(u64, Prepared, Option<Outcome>)>;
        let summary_ref = &mut summary;
        let w_ref = &mut w;
        let to_recover_ref = &mut to_recover;
        let verified_ref = &mut verified;
        let new_route_ref = &mut new_route;
        let id_columns_ref = &id_columns;
        let hasil_path_ref = &hasil_path;
        let binding_ref = &binding;
        let id_cols: Vec<Option<usize>> =
            id_columns.iter().map(|c| binding.extra_column(c)).collect();
        let id_cols_ref = &id_cols;
        std::thread::scope(|scope| -> Result<(), MatchError> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Done>(1);
            let writer = scope.spawn(move || -> Result<(), MatchError> {
                let summary = summary_ref;
                let w = w_ref;
                let id_columns = id_columns_ref;
                let mut buf = Vec::new();
                let mut line = Vec::new();
                for done in rx {
                    buf.clear();
                    for (row, p, outcome) in &done {
                        let row = *row;
                        // Duplicates: in input order (deterministic); pass
                        // 0 only (later passes see only rows that are not
                        // duplicates).
                        let mut dup = None;
                        if pass == 0 && p.anomaly.is_none() {
                            if let Some(n) = p.nik {
                                if let Some(&first) = seen_nik.get(&n) {
                                    dup = Some((Code::DuplicateKey, first));
                                } else {
                                    seen_nik.insert(n, row);
                                }
                            }
                            if dup.is_none()
                                && let Some(c) = p.combo
                            {
                                if let Some(&first) = seen_combo.get(&c) {
                                    dup = Some((Code::DuplicateCombination, first));
                                } else {
                                    seen_combo.insert(c, row);
                                }
                            }
                        }
                        if pass == 0 && passes > 1 {
                            new_route_ref.push(match (&p.anomaly, dup, p.nik) {
                                (None, None, Some(n)) => pass_of(n, passes) as u8,
                                _ => u8::MAX,
                            });
                        }
                        let set_aside = if let Some((code, element, value)) = &p.anomaly {
                            Some((
                                Category::Anomali,
                                *code,
                                element.map(|e| e.dukcapil()).unwrap_or(""),
                                value.as_str(),
                                String::new(),
                            ))
                        } else {
                            dup.map(|(code, first)| {
                                (Category::Ganda, code, "", "", first.to_string())
                            })
                        };
                        if let Some((cat, code, element, value, first)) = set_aside {
                            if pass != 0 {
                                continue;
                            }
                            let converted;
                            let record = match p.record.as_deref() {
                                Some(r) => r,
                                None => {
                                    converted = super::split::with_fields(
                                        &p.raw,
                                        delimiter,
                                        |fields, _| binding_ref.convert(fields).0,
                                    );
                                    &converted
                                }
                            };
                            let ids = ids_of(record, id_columns);
                            let row_s = row.to_string();
                            if p.latin1 {
                                *summary
                                    .warnings
                                    .entry(Code::Latin1Decoded.as_str())
                                    .or_default() += 1;
                            }
                            *summary.codes.entry(code.as_str()).or_default() += 1;
                            line.clear();
                            if cat == Category::Anomali {
                                summary.anomaly += 1;
                                let line_s = p.line.to_string();
                                let mut f: Vec<&str> = vec![&row_s, &line_s];
                                f.extend(&ids);
                                f.extend([code.as_str(), element, value, code.description()]);
                                write_row(&mut line, &f);
                                w.anomali.write_all(&line).map_err(io_err(out_dir))?;
                            } else {
                                summary.duplicate += 1;
                                let nik_s = record.get(Element::Nik).unwrap_or("");
                                let mut f: Vec<&str> = vec![&row_s];
                                f.extend(&ids);
                                f.extend([code.as_str(), &first, nik_s]);
                                write_row(&mut line, &f);
                                w.ganda.write_all(&line).map_err(io_err(out_dir))?;
                            }
                            line.clear();
                            let mut f: Vec<&str> = vec![&row_s];
                            f.extend(&ids);
                            f.extend([cat.as_str(), code.as_str(), ""]);
                            for _ in &policy.rules {
                                f.extend(["", ""]);
                            }
                            f.push("");
                            f.extend(std::iter::repeat_n("", policy.returned.len()));
                            if recovering {
                                f.extend(["", ""]);
                                if cat == Category::Anomali && element == "NIK" {
                                    to_recover_ref.push((
                                        row,
                                        ids.iter().map(|s| s.to_string()).collect(),
                                        record.clone(),
                                    ));
                                }
                            }
                            write_row(&mut line, &f);
                            emit(&mut buf, passes, row, &line);
                            continue;
                        }
                        let Some(o) = outcome else {
                            continue;
                        };
                        if p.latin1 {
                            *summary
                                .warnings
                                .entry(Code::Latin1Decoded.as_str())
                                .or_default() += 1;
                        }
                        match o.category {
                            Category::Sesuai => {
                                summary.matched += 1;
                                summary.matched_deceased += u64::from(o.deceased);
                            }
                            Category::TidakSesuai => summary.unmatched += 1,
                            Category::NikTidakDitemukan => summary.nik_not_found += 1,
                            Category::Anomali | Category::Ganda => {
                                unreachable!("set aside above")
                            }
                        }
                        if o.swapped {
                            *summary
                                .warnings
                                .entry(Code::DayMonthSwapped.as_str())
                                .or_default() += 1;
                        }
                        if recovering {
                            // Converted by the worker for these rows.
                            let record = || p.record.as_deref().expect("converted for recovery");
                            if o.category != Category::Sesuai {
                                let record = record();
                                to_recover_ref.push((
                                    row,
                                    ids_of(record, id_columns)
                                        .iter()
                                        .map(|s| s.to_string())
                                        .collect(),
                                    record.clone(),
                                ));
                            } else if row % 8 == 0
                                && verified_ref.len() < 50_000
                                && let Some(n) = o.matched_nik
                            {
                                verified_ref.push((record().clone(), n));
                            }
                        }
                        emit(&mut buf, passes, row, &o.line);
                    }
                    w.hasil.write_all(&buf).map_err(io_err(hasil_path_ref))?;
                }
                Ok(())
            });
            let read = for_each_block(&mut reader, agency, block_rows, |block, bytes| {
                let first_row = row_no + 1;
                let block_len = block.len() as u64;
                // Rows of this block to convert, with their row numbers.
                let mine: Vec<(u64, RawRecord)> = block
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| (first_row + i as u64, r))
                    .filter(|(row, _)| pass == 0 || route_in[(*row - 1) as usize] == pass as u8)
                    .collect();
                // Conversion, checks, matching and the row's line, straight
                // from the split fields: a `Record` only for the rows whose
                // output step needs one.
                let work = |scratch: &mut Scratch, (row, r): (u64, RawRecord)| {
                    let (record, checked, latin1, outcome) =
                        super::split::with_fields(&r, delimiter, |fields, latin1| {
                            let mut findings = std::mem::take(&mut scratch.findings);
                            findings.clear();
                            let view = binding.convert_view(fields, &mut findings);
                            let checked = check_row(
                                &r,
                                fields.len(),
                                &view,
                                &findings,
                                &binding,
                                reference,
                                tokens,
                            );
                            scratch.findings = findings;
                            let outcome = match checked.nik {
                                Some(n)
                                    if checked.anomaly.is_none() && pass_of(n, passes) == pass =>
                                {
                                    Some(match_row(
                                        &view,
                                        &checked,
                                        n,
                                        index_ref,
                                        policy,
                                        row,
                                        ids_of_fields(fields, id_cols_ref),
                                        recovering,
                                        scratch,
                                    ))
                                }
                                _ => None,
                            };
                            // The output step reads anomalies' records, and
                            // recovery the rows it recovers or learns from.
                            let needed = checked.anomaly.is_some()
                                || (recovering
                                    && outcome.as_ref().is_some_and(|o| {
                                        o.category != Category::Sesuai || row % 8 == 0
                                    }));
                            let record = needed.then(|| Box::new(binding.convert(fields).0));
                            (record, checked, latin1, outcome)
                        });
                    let p = Prepared {
                        line: r.line,
                        raw: r,
                        record,
                        anomaly: checked.anomaly,
                        latin1,
                        nik: checked.nik,
                        combo: checked.combo,
                    };
                    (row, p, outcome)
                };
                #[cfg(feature = "parallel")]
                let done: Done = {
                    use rayon::prelude::*;
                    mine.into_par_iter()
                        .with_min_len(256)
                        .map_init(Scratch::default, work)
                        .collect()
                };
                #[cfg(not(feature = "parallel"))]
                let done: Done = {
                    let mut scratch = Scratch::default();
                    mine.into_iter().map(|r| work(&mut scratch, r)).collect()
                };
                row_no += block_len;
                if tx.send(done).is_err() {
                    // The output step failed: its error is reported below.
                    return Err(io_err(out_dir)(std::io::Error::other(
                        "output step stopped",
                    )));
                }
                progress(BatchProgress {
                    phase: Phase::Agency,
                    pass,
                    passes,
                    bytes: done_bytes + bytes,
                    total_bytes,
                });
                Ok(())
            });
            drop(tx);
            let written = match writer.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            written.and(read)
        })?;
        if pass == 0 && passes > 1 {
            route = new_route;
        }
        if pass == 0 {
            summary.received = row_no;
        }
        done_bytes += agency_size;
        w.hasil.flush().map_err(io_err(&hasil_path))?;
        if recovering && let Some(ri) = &index.recover {
            summary.recovery = Some(run_recovery(
                ri,
                &to_recover,
                &verified,
                opts,
                &id_columns,
                out_dir,
                &hasil_path,
            )?);
            to_recover.clear();
        }
        reused = Some(index);
    }
    if !summary.population.has_status {
        *summary
            .warnings
            .entry(Code::NoStatusColumn.as_str())
            .or_default() += 1;
    }
    if passes > 1 {
        progress(BatchProgress {
            phase: Phase::Merge,
            pass: passes - 1,
            passes,
            bytes: done_bytes,
            total_bytes,
        });
        w.hasil = Box::new(std::io::sink());
        merge_parts(&part_paths, &hasil_path)?;
    }
    w.anomali.flush().map_err(io_err(out_dir))?;
    w.ganda.flush().map_err(io_err(out_dir))?;
    summary.check_sum()?;
    let json = serde_json::to_vec_pretty(&summary).expect("summary serializes");
    let sp = out_dir.join("summary.json");
    std::fs::write(&sp, json).map_err(io_err(&sp))?;
    Ok(summary)
}

fn write_headers(
    w: &mut Writers,
    policy: &Policy,
    id_columns: &[String],
    part_paths: &[PathBuf],
    passes: usize,
    recovering: bool,
) -> Result<(), MatchError> {
    let mut line = Vec::new();
    let mut cols: Vec<String> = vec!["BARIS".into()];
    cols.extend(id_columns.iter().cloned());
    cols.extend(["KATEGORI".into(), "KODE".into(), "MENINGGAL".into()]);
    for r in &policy.rules {
        cols.push(r.element.dukcapil().to_string());
        cols.push(format!("SKOR_{}", r.element.dukcapil()));
    }
    cols.push("NIK_COCOK".into());
    for e in &policy.returned {
        cols.push(format!("REF_{}", e.dukcapil()));
    }
    if recovering {
        cols.extend(["NIK_PULIH".into(), "PELUANG_PULIH".into()]);
    }
    write_row(
        &mut line,
        &cols.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let hp = part_paths[0].with_file_name("hasil.csv");
    if passes > 1 {
        // The merged file gets the header; parts hold framed rows.
        let mut f = File::create(&hp).map_err(io_err(&hp))?;
        f.write_all(&line).map_err(io_err(&hp))?;
    } else {
        w.hasil.write_all(&line).map_err(io_err(&hp))?;
    }
    line.clear();
    let mut cols: Vec<&str> = vec!["BARIS", "BARIS_FISIK"];
    cols.extend(id_columns.iter().map(String::as_str));
    cols.extend(["KODE", "ELEMEN", "NILAI", "KETERANGAN"]);
    write_row(&mut line, &cols);
    w.anomali.write_all(&line).map_err(io_err(&hp))?;
    line.clear();
    let mut cols: Vec<&str> = vec!["BARIS"];
    cols.extend(id_columns.iter().map(String::as_str));
    cols.extend(["KODE", "BARIS_PERTAMA", "NIK"]);
    write_row(&mut line, &cols);
    w.ganda.write_all(&line).map_err(io_err(&hp))?;
    Ok(())
}

/// Appends a finished `hasil.csv` line: as is for one pass, framed with its
/// row number and length for a multi-pass run.
fn emit(buf: &mut Vec<u8>, passes: usize, row: u64, line: &[u8]) {
    if passes > 1 {
        buf.extend_from_slice(&row.to_le_bytes());
        buf.extend_from_slice(&(line.len() as u32).to_le_bytes());
    }
    buf.extend_from_slice(line);
}

fn read_frame(r: &mut BufReader<File>) -> std::io::Result<Option<(u64, Vec<u8>)>> {
    let mut head = [0u8; 12];
    if r.fill_buf()?.is_empty() {
        return Ok(None);
    }
    r.read_exact(&mut head)?;
    let row = u64::from_le_bytes(head[..8].try_into().expect("8 bytes"));
    let len = u32::from_le_bytes(head[8..].try_into().expect("4 bytes")) as usize;
    let mut v = vec![0; len];
    r.read_exact(&mut v)?;
    Ok(Some((row, v)))
}

/// Merges the passes' framed parts (each in row order) after the header
/// already in `hasil`, then removes them.
fn merge_parts(parts: &[PathBuf], hasil: &Path) -> Result<(), MatchError> {
    let mut out = BufWriter::with_capacity(
        1 << 20,
        std::fs::OpenOptions::new()
            .append(true)
            .open(hasil)
            .map_err(io_err(hasil))?,
    );
    let mut readers = Vec::new();
    for p in parts {
        readers.push(BufReader::with_capacity(
            1 << 20,
            File::open(p).map_err(io_err(p))?,
        ));
    }
    let mut heads: Vec<Option<(u64, Vec<u8>)>> = Vec::new();
    for (r, p) in readers.iter_mut().zip(parts) {
        heads.push(read_frame(r).map_err(io_err(p))?);
    }
    while let Some(k) = heads
        .iter()
        .enumerate()
        .filter_map(|(k, h)| h.as_ref().map(|(row, _)| (*row, k)))
        .min()
        .map(|(_, k)| k)
    {
        let (_, line) = heads[k].take().expect("chosen head exists");
        out.write_all(&line).map_err(io_err(hasil))?;
        heads[k] = read_frame(&mut readers[k]).map_err(io_err(&parts[k]))?;
    }
    out.flush().map_err(io_err(hasil))?;
    for p in parts {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

/// The ID extras of a record, in `id_columns` order.
fn ids_of<'r>(record: &'r Record, id_columns: &[String]) -> Vec<&'r str> {
    id_columns
        .iter()
        .map(|c| {
            record
                .extras
                .iter()
                .find(|(n, _)| n == c)
                .map(|(_, v)| match v {
                    super::record::Extra::Id(s) | super::record::Extra::Text(s) => s.as_str(),
                    super::record::Extra::Date(_) => "",
                })
                .unwrap_or("")
        })
        .collect()
}

/// Builds one CSV line field by field, quoting as
/// [`crate::validate::write_csv_row`] does (RFC 4180), without collecting
/// the fields first.
struct LineWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> LineWriter<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        LineWriter { out, first: true }
    }

    fn field(&mut self, f: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        if f.bytes()
            .any(|b| b == b',' || b == b'"' || b == b'\n' || b == b'\r')
        {
            self.out.push(b'"');
            for b in f.bytes() {
                if b == b'"' {
                    self.out.push(b'"');
                }
                self.out.push(b);
            }
            self.out.push(b'"');
        } else {
            self.out.extend_from_slice(f.as_bytes());
        }
    }

    /// A field that needs no quoting (digits, codes, scores).
    fn plain(&mut self, f: &[u8]) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.extend_from_slice(f);
    }

    /// A number in decimal, zero-padded to `width` digits.
    fn number(&mut self, mut n: u64, width: usize) {
        let mut buf = [b'0'; 20];
        let mut i = buf.len();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let start = i.min(buf.len() - width.min(buf.len()));
        self.plain(&buf[start..]);
    }

    /// A score as `{:.3}` formats it, without the float formatter for the
    /// common exact values.
    fn score(&mut self, s: f64) {
        if s.to_bits() == 1f64.to_bits() {
            self.plain(b"1.000");
        } else if s.to_bits() == 0f64.to_bits() {
            self.plain(b"0.000");
        } else {
            let mut buf = [0u8; 32];
            let mut cur = std::io::Cursor::new(&mut buf[..]);
            if write!(cur, "{s:.3}").is_ok() {
                let n = cur.position() as usize;
                self.plain(&buf[..n]);
            } else {
                self.field(&format!("{s:.3}"));
            }
        }
    }

    fn end(self) {
        self.out.push(b'\n');
    }
}

/// Per-thread buffers of [`match_row`].
#[derive(Default)]
struct Scratch {
    elements: Vec<ElementResult>,
    text: String,
    findings: Vec<super::Finding>,
}

/// Verifies one row against the register and formats its `hasil.csv` line.
#[allow(clippy::too_many_arguments)]
fn match_row<'i>(
    record: &RowView<'_>,
    p: &Checked,
    nik: u64,
    index: &PopIndex,
    policy: &Policy,
    row: u64,
    ids: impl Iterator<Item = &'i str>,
    recovering: bool,
    scratch: &mut Scratch,
) -> Outcome {
    let reference = index
        .get(nik)
        .filter(|r| !index.tokens || r.text(Element::Nik) == record.get(Element::Nik));
    let elements = &mut scratch.elements;
    elements.clear();
    let overall = match &reference {
        Some(r) => {
            let keys = PreparedKeys {
                name: p.name.as_ref(),
                mother_name: p.mother_name.as_ref(),
            };
            verify_into(record, keys, r, policy, elements)
        }
        None => Overall::NikTidakDitemukan,
    };
    let deceased = reference
        .as_ref()
        .is_some_and(|r| r.status() == Some(LifeStatus::Mati));
    let (category, code) = match overall {
        Overall::Sesuai => (Category::Sesuai, deceased.then_some(Code::Deceased)),
        Overall::TidakSesuai => (Category::TidakSesuai, Some(Code::ElementsDisagree)),
        Overall::NikTidakDitemukan => (Category::NikTidakDitemukan, Some(Code::NikNotFound)),
    };
    let swapped = elements
        .iter()
        .any(|e| e.flag == Some(Code::DayMonthSwapped));
    let code = if swapped && category == Category::Sesuai && code.is_none() {
        Some(Code::DayMonthSwapped)
    } else {
        code
    };
    let matched_nik = (category == Category::Sesuai).then_some(nik);
    let mut line = Vec::with_capacity(128);
    let mut w = LineWriter::new(&mut line);
    w.number(row, 1);
    for id in ids {
        w.field(id);
    }
    w.plain(category.as_str().as_bytes());
    w.plain(code.map(|c| c.as_str()).unwrap_or("").as_bytes());
    w.plain(if deceased { b"Y" } else { b"" });
    if elements.is_empty() {
        for _ in &policy.rules {
            w.plain(b"");
            w.plain(b"");
        }
    } else {
        for e in elements.iter() {
            w.plain(e.verdict.as_str().as_bytes());
            w.score(e.score);
        }
    }
    match matched_nik {
        Some(n) => w.number(n, 16),
        None => w.plain(b""),
    }
    for e in &policy.returned {
        // The reference's allowed elements in canonical form, as
        // `Record::canonical` gives them.
        let r = match &reference {
            Some(r) if category == Category::Sesuai => r,
            _ => {
                w.plain(b"");
                continue;
            }
        };
        match e {
            Element::BirthDate if r.birth_date().is_some() => {
                let t = &mut scratch.text;
                t.clear();
                let d = r.birth_date().expect("checked");
                let _ = std::fmt::Write::write_fmt(t, format_args!("{}", d.format("%d-%m-%Y")));
                w.field(t);
            }
            Element::Sex if r.sex().is_some() => {
                w.field(r.sex().expect("checked").as_str());
            }
            Element::Status if r.status().is_some() => {
                w.field(r.status().expect("checked").as_str());
            }
            _ => w.field(r.text(*e).unwrap_or("")),
        }
    }
    if recovering {
        w.plain(b"");
        w.plain(b"");
    }
    w.end();
    Outcome {
        category,
        deceased,
        matched_nik,
        swapped,
        line,
    }
}

/// Recovers the collected rows, writes `kandidat.csv` and fills the
/// `NIK_PULIH` / `PELUANG_PULIH` columns of `hasil.csv`.
fn run_recovery(
    index: &super::recover::RecoverIndex,
    rows: &[(u64, Vec<String>, Record)],
    verified: &[(Record, u64)],
    opts: &BatchOptions,
    id_columns: &[String],
    out_dir: &Path,
    hasil_path: &Path,
) -> Result<RecoverySummary, MatchError> {
    let records: Vec<&Record> = rows.iter().map(|r| &r.2).collect();
    let verified: Vec<(&Record, u64)> = verified.iter().map(|(r, n)| (r, *n)).collect();
    let rec = super::recover::recover(
        index,
        &records,
        &verified,
        opts.recover_top,
        opts.recover_accept,
        opts.recover_margin,
    );
    let kp = out_dir.join("kandidat.csv");
    let mut k = BufWriter::with_capacity(1 << 20, File::create(&kp).map_err(io_err(&kp))?);
    let mut line = Vec::new();
    let mut cols: Vec<&str> = vec!["BARIS"];
    cols.extend(id_columns.iter().map(String::as_str));
    cols.extend([
        "PERINGKAT",
        "NIK",
        "SKOR",
        "PELUANG",
        "ELEMEN_SESUAI",
        "DITERIMA",
    ]);
    write_row(&mut line, &cols);
    let mut accepted: HashMap<u64, (u64, f64)> = HashMap::new();
    for ((row, ids, _), (cands, acc)) in rows.iter().zip(&rec.results) {
        let row_s = row.to_string();
        for (rank, c) in cands.iter().enumerate() {
            let (rank_s, nik_s) = ((rank + 1).to_string(), format!("{:016}", c.nik));
            let (w_s, p_s) = (format!("{:.2}", c.weight), format!("{:.4}", c.probability));
            let agree = c.agree.join("|");
            let is_acc = rank == 0 && *acc == Some(c.nik);
            if is_acc {
                accepted.insert(*row, (c.nik, c.probability));
            }
            let mut f: Vec<&str> = vec![&row_s];
            f.extend(ids.iter().map(String::as_str));
            f.extend([
                rank_s.as_str(),
                &nik_s,
                &w_s,
                &p_s,
                &agree,
                if is_acc { "Y" } else { "" },
            ]);
            write_row(&mut line, &f);
        }
        if line.len() > 1 << 20 {
            k.write_all(&line).map_err(io_err(&kp))?;
            line.clear();
        }
    }
    k.write_all(&line).map_err(io_err(&kp))?;
    k.flush().map_err(io_err(&kp))?;
    // Fill NIK_PULIH / PELUANG_PULIH (the last two columns) in hasil.csv.
    let tmp = out_dir.join(".hasil.recover");
    {
        let mut reader =
            RecordReader::new(File::open(hasil_path).map_err(io_err(hasil_path))?, b',');
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp).map_err(io_err(&tmp))?);
        let mut first = true;
        let mut line = Vec::new();
        while let Some(r) = reader.next_record().map_err(io_err(hasil_path))? {
            line.clear();
            let mut fields = super::split::split(&r, b',').fields;
            if !first
                && let Some((nik, p)) = fields
                    .first()
                    .and_then(|b| b.parse::<u64>().ok())
                    .and_then(|row| accepted.get(&row))
                && fields.len() >= 2
            {
                let n = fields.len();
                fields[n - 2] = format!("{nik:016}");
                fields[n - 1] = format!("{p:.4}");
            }
            first = false;
            write_row(
                &mut line,
                &fields.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            out.write_all(&line).map_err(io_err(&tmp))?;
        }
        out.flush().map_err(io_err(&tmp))?;
    }
    std::fs::rename(&tmp, hasil_path).map_err(io_err(hasil_path))?;
    Ok(RecoverySummary {
        rows: rows.len() as u64,
        recovered: accepted.len() as u64,
        pairs_scored: rec.pairs_scored,
        model: rec.model,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_follow_the_budget_and_stay_below_the_routing_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pop = dir.path().join("p.csv");
        let agency = dir.path().join("a.csv");
        let mut p = String::from("NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU\n");
        for i in 0..20_000u64 {
            p.push_str(&format!(
                "{},SITI AMINAH {i},JAKARTA,17-08-1990,P,NUR HASANAH\n",
                3_174_015_708_900_000 + i
            ));
        }
        std::fs::write(&pop, p).unwrap();
        std::fs::write(&agency, "NIK,NAMA_LGKP\n3174015708900001,SITI\n").unwrap();
        let m = Mapping::dukcapil();
        let policy = Policy::default();
        let passes = |budget| passes_for_budget(budget, &agency, &m, &pop, &m, &policy).unwrap();
        assert_eq!(passes(1 << 30), 1);
        // 20,000 rows of ~114 bytes (32-byte entry, 24 bytes of hash
        // table, name, place, mother's name, NIK, separators) ≈ 2.3 MB: a
        // 0.5 MB share above the fixed and agency parts gives 5 passes.
        let fixed = FIXED_BYTES + AGENCY_ROW_BYTES;
        assert_eq!(passes(fixed + (512 << 10)), 5);
        assert!(passes(fixed + (64 << 10)) > 10);
        // A budget that cannot be met still splits, within the routing byte.
        assert!(passes(1000) > 1 && passes(1000) <= MAX_PASSES);
    }

    #[test]
    fn line_writer_formats_like_write_row() {
        let mut a = Vec::new();
        let mut w = LineWriter::new(&mut a);
        w.number(42, 1);
        w.number(317_401_570_890_012, 16);
        w.field("A,B");
        w.field("say \"hi\"");
        for s in [1.0, 0.0, 0.9, 0.8571428, 0.99951, 1e-9] {
            w.score(s);
        }
        w.end();
        let mut b = Vec::new();
        write_row(
            &mut b,
            &[
                "42",
                "0317401570890012",
                "A,B",
                "say \"hi\"",
                "1.000",
                "0.000",
                "0.900",
                "0.857",
                "1.000",
                "0.000",
            ],
        );
        assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
    }

    #[test]
    fn register_parts_give_the_one_pass_result_and_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let pop = dir.path().join("p.csv");
        let agency = dir.path().join("a.csv");
        // Quoted fields with the delimiter and a line break, Latin-1 bytes
        // and CRLF: the part files must hand later passes the same rows.
        let mut p: Vec<u8> =
            b"NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU\r\n".to_vec();
        let mut a: Vec<u8> = b"ID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\n".to_vec();
        for i in 0..3_000u64 {
            let nik = 3_174_015_708_900_001 + i;
            // Names without digits (a digit makes the name an anomaly).
            let tag: String = [i / 676, i / 26 % 26, i % 26]
                .iter()
                .map(|&d| char::from(b'A' + d as u8))
                .collect();
            let place = match i % 3 {
                0 => "\"JAKARTA, DKI\"".to_string(),
                1 => "\"BAN\nDUNG\"".to_string(),
                _ => "SURABAYA".to_string(),
            };
            p.extend_from_slice(
                format!("{nik},SITI AMINAH {tag},{place},17-08-1990,P,").as_bytes(),
            );
            p.extend_from_slice(if i % 5 == 0 {
                b"JOS\xe9\r\n"
            } else {
                b"NUR\r\n"
            });
            if i % 2 == 0 {
                let name = if i % 4 == 0 { "SITI AMINAH" } else { "BUDI" };
                a.extend_from_slice(
                    format!("A{i},{nik},{name} {tag},{place},17-08-1990,P\n").as_bytes(),
                );
            }
        }
        std::fs::write(&pop, p).unwrap();
        std::fs::write(&agency, a).unwrap();
        let mut opts = BatchOptions {
            reference_date: NaiveDate::from_ymd_opt(2022, 11, 30),
            ..BatchOptions::default()
        };
        opts.policy.returned.push(Element::MotherName);
        opts.policy.returned.push(Element::BirthPlace);
        let one_dir = dir.path().join("one");
        let one = run_batch(&agency, &pop, &one_dir, &opts, &mut |_| {}).unwrap();
        let many_dir = dir.path().join("many");
        opts.memory_budget = Some(FIXED_BYTES + 1_500 * AGENCY_ROW_BYTES + (64 << 10));
        opts.block_rows = 100;
        let many = run_batch(&agency, &pop, &many_dir, &opts, &mut |_| {}).unwrap();
        assert!(many.passes > 2, "{}", many.passes);
        assert!(one.matched > 0 && one.unmatched > 0, "{one:?}");
        for f in ["hasil.csv", "anomali.csv", "ganda.csv"] {
            let (x, y) = (
                std::fs::read(one_dir.join(f)).unwrap(),
                std::fs::read(many_dir.join(f)).unwrap(),
            );
            assert!(x == y, "{f} differs");
        }
        assert_eq!(one.population, many.population);
        let left: Vec<_> = std::fs::read_dir(&many_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn passes_share_the_register_evenly() {
        // Generator-like NIKs: serial 0001, so the last digits never vary.
        for passes in [2usize, 5, 9, 10] {
            let mut count = vec![0u32; passes];
            for day in 1..=28u64 {
                for region in 0..200u64 {
                    let nik =
                        (317_401 + region) * 10_000_000_000 + (day * 10_000 + 190) * 10_000 + 1;
                    count[pass_of(nik, passes)] += 1;
                }
            }
            let even = 28 * 200 / passes as u32;
            assert!(
                count
                    .iter()
                    .all(|&c| c > even * 8 / 10 && c < even * 12 / 10),
                "{passes}: {count:?}"
            );
        }
    }
}
