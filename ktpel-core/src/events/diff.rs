//! The snapshot diff over files: a streaming merge when both snapshots are
//! sorted by NIK (constant memory: one block of rows per side in flight),
//! otherwise a partitioned diff through temporary files within a memory
//! budget. Sortedness is detected while reading; an out-of-order NIK makes
//! the run restart on the partitioned path.

use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};

use chrono::NaiveDate;
use serde::Serialize;

use super::EventsError;
use super::classify::{Anomaly, Event, EventKind, Layout, Side, birth_date, classify};
use crate::Code;
use crate::csvio::{RecordReader, with_split};

/// Options of a diff run.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// As-of date of the new snapshot (stamped on every event).
    pub as_of: NaiveDate,
    /// Start of the period (as-of date of the old snapshot). `None`: the
    /// latest birth date (TGL_LHR) in the old snapshot, found by one extra
    /// read of it.
    pub since: Option<NaiveDate>,
    /// Memory budget in bytes for the partitioned path (default 2 GiB).
    pub memory_budget: u64,
    /// Directory for temporary partition files (default: the system's).
    pub temp_dir: Option<PathBuf>,
    /// Field delimiter (default `,`).
    pub delimiter: u8,
}

impl DiffOptions {
    /// Options with the new snapshot's as-of date and defaults otherwise.
    pub fn new(as_of: NaiveDate) -> DiffOptions {
        DiffOptions {
            as_of,
            since: None,
            memory_budget: 2 << 30,
            temp_dir: None,
            delimiter: b',',
        }
    }

    /// Sets the start of the period.
    pub fn since(mut self, since: NaiveDate) -> DiffOptions {
        self.since = Some(since);
        self
    }

    /// Sets the memory budget (bytes).
    pub fn memory_budget(mut self, bytes: u64) -> DiffOptions {
        self.memory_budget = bytes;
        self
    }
}

/// Progress of a diff run, for progress bars and callbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffProgress {
    /// `scan` (deriving `since`), `merge`, `partition`, `diff` (partitions) or `collect`.
    pub phase: &'static str,
    /// Bytes of input done in this phase.
    pub bytes: u64,
    /// Bytes of input the phase reads.
    pub total_bytes: u64,
}

/// Counts of a diff run (`summary.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    /// As-of date of the new snapshot.
    pub as_of: NaiveDate,
    /// Start of the period used to tell `LAHIR` from `DATANG`.
    pub since: NaiveDate,
    /// Whether `since` was derived from the old snapshot.
    pub since_derived: bool,
    /// Data rows of the old snapshot.
    pub old_rows: u64,
    /// Data rows of the new snapshot.
    pub new_rows: u64,
    /// NIKs in both snapshots with identical rows.
    pub unchanged: u64,
    /// NIKs with at least one event.
    pub persons_with_events: u64,
    /// Whether both inputs were sorted by NIK (streaming merge).
    pub sorted: bool,
    /// Partitions of the partitioned path (0 on the sorted path).
    pub partitions: usize,
    /// Events per type (every type listed).
    pub events: BTreeMap<&'static str, u64>,
    /// Total events.
    pub events_total: u64,
    /// Anomalies per code.
    pub anomalies: BTreeMap<&'static str, u64>,
    /// Total anomalies.
    pub anomalies_total: u64,
    /// Events written per subscribed agency (when routing).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub agencies: BTreeMap<String, u64>,
}

impl DiffSummary {
    fn new(as_of: NaiveDate, since: NaiveDate, since_derived: bool) -> DiffSummary {
        DiffSummary {
            as_of,
            since,
            since_derived,
            old_rows: 0,
            new_rows: 0,
            unchanged: 0,
            persons_with_events: 0,
            sorted: true,
            partitions: 0,
            events: EventKind::ALL.iter().map(|k| (k.as_str(), 0)).collect(),
            events_total: 0,
            anomalies: BTreeMap::new(),
            anomalies_total: 0,
            agencies: BTreeMap::new(),
        }
    }

    fn count_event(&mut self, e: &Event) {
        *self.events.entry(e.kind.as_str()).or_default() += 1;
        self.events_total += 1;
    }

    fn count_anomaly(&mut self, a: &Anomaly) {
        *self.anomalies.entry(a.code.as_str()).or_default() += 1;
        self.anomalies_total += 1;
    }
}

/// Receives the events and anomalies of a diff, in a deterministic order
/// (events by NIK; per NIK MATI, marital, PINDAH, UBAH_DATA).
pub trait EventSink {
    /// One event.
    fn event(&mut self, event: &Event) -> io::Result<()>;
    /// One anomaly.
    fn anomaly(&mut self, anomaly: &Anomaly) -> io::Result<()>;
    /// Forget everything received so far (the run restarts on the
    /// partitioned path after finding unsorted input).
    fn reset(&mut self) -> io::Result<()>;
    /// Flush at the end of the run.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<A: EventSink, B: EventSink> EventSink for (A, B) {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.0.event(e)?;
        self.1.event(e)
    }
    fn anomaly(&mut self, a: &Anomaly) -> io::Result<()> {
        self.0.anomaly(a)?;
        self.1.anomaly(a)
    }
    fn reset(&mut self) -> io::Result<()> {
        self.0.reset()?;
        self.1.reset()
    }
    fn finish(&mut self) -> io::Result<()> {
        self.0.finish()?;
        self.1.finish()
    }
}

/// Writes events and anomalies as JSON lines to two files.
pub struct FileSink {
    events: BufWriter<File>,
    anomalies: BufWriter<File>,
}

impl FileSink {
    /// Creates (truncates) the two files.
    pub fn create(events: &Path, anomalies: &Path) -> Result<FileSink, EventsError> {
        let open = |p: &Path| {
            File::create(p)
                .map(|f| BufWriter::with_capacity(1 << 20, f))
                .map_err(|e| EventsError::io(p, e))
        };
        Ok(FileSink {
            events: open(events)?,
            anomalies: open(anomalies)?,
        })
    }
}

fn truncate(w: &mut BufWriter<File>) -> io::Result<()> {
    w.flush()?;
    let f = w.get_mut();
    f.set_len(0)?;
    f.rewind()?;
    Ok(())
}

impl EventSink for FileSink {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        serde_json::to_writer(&mut self.events, e)?;
        self.events.write_all(b"\n")
    }
    fn anomaly(&mut self, a: &Anomaly) -> io::Result<()> {
        serde_json::to_writer(&mut self.anomalies, a)?;
        self.anomalies.write_all(b"\n")
    }
    fn reset(&mut self) -> io::Result<()> {
        truncate(&mut self.events)?;
        truncate(&mut self.anomalies)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.events.flush()?;
        self.anomalies.flush()
    }
}

/// The result of an in-memory diff ([`diff_rows`]); also a sink that
/// collects into memory.
#[derive(Debug, Clone, Default)]
pub struct DiffOutput {
    /// Events in order.
    pub events: Vec<Event>,
    /// Anomalies in order.
    pub anomalies: Vec<Anomaly>,
    /// Counts (`None` until the run ends).
    pub summary: Option<DiffSummary>,
}

impl EventSink for DiffOutput {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.events.push(e.clone());
        Ok(())
    }
    fn anomaly(&mut self, a: &Anomaly) -> io::Result<()> {
        self.anomalies.push(a.clone());
        Ok(())
    }
    fn reset(&mut self) -> io::Result<()> {
        self.events.clear();
        self.anomalies.clear();
        Ok(())
    }
}

/// A NIK as 16 ASCII digits: the merge key.
type Key = [u8; 16];

struct Row {
    key: Key,
    line: u64,
    bytes: Vec<u8>,
}

enum Item {
    Row(Row),
    Bad(Anomaly),
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e.max(s)]
}

fn key_from(field: &[u8]) -> Option<Key> {
    let t = trim(field);
    (t.len() == 16 && t.iter().all(u8::is_ascii_digit)).then(|| {
        let mut k = [0u8; 16];
        k.copy_from_slice(t);
        k
    })
}

/// The NIK of a raw record: the first field directly when it is the NIK
/// column and unquoted (the common case), else through the CSV splitter.
fn key_of(bytes: &[u8], nik_col: usize, delim: u8) -> Option<Key> {
    if nik_col == 0 && bytes.first() != Some(&b'"') {
        let end = bytes
            .iter()
            .position(|&c| c == delim)
            .unwrap_or(bytes.len());
        return key_from(&bytes[..end]);
    }
    with_split(bytes, delim, |out, ends| {
        let start = if nik_col == 0 {
            0
        } else {
            *ends.get(nik_col - 1)?
        };
        let end = *ends.get(nik_col)?;
        key_from(out.get(start..end)?)
    })
}

pub(super) fn split_fields(bytes: &[u8], delim: u8) -> Vec<String> {
    with_split(bytes, delim, |out, ends| {
        let mut start = 0;
        ends.iter()
            .map(|&e| {
                let f = &out[start..e];
                start = e;
                match core::str::from_utf8(f) {
                    Ok(s) => s.to_string(),
                    Err(_) => f.iter().map(|&c| char::from(c)).collect(),
                }
            })
            .collect()
    })
}

fn bad_row(code: Code, side: Side, line: u64, nik: &[u8]) -> Anomaly {
    Anomaly {
        code,
        nik: String::from_utf8_lossy(trim(nik)).into_owned(),
        side: Some(side),
        line,
        changes: Vec::new(),
    }
}

fn first_field(bytes: &[u8], delim: u8) -> &[u8] {
    let end = bytes
        .iter()
        .position(|&c| c == delim)
        .unwrap_or(bytes.len());
    &bytes[..end.min(32)]
}

fn to_item(rec: crate::csvio::RawRecord, nik_col: usize, delim: u8, side: Side) -> Item {
    if rec.unbalanced_quote {
        return Item::Bad(bad_row(Code::MalformedRow, side, rec.line, b""));
    }
    match key_of(&rec.bytes, nik_col, delim) {
        Some(key) => Item::Row(Row {
            key,
            line: rec.line,
            bytes: rec.bytes,
        }),
        None if trim(&rec.bytes).is_empty() => {
            Item::Bad(bad_row(Code::MalformedRow, side, rec.line, b""))
        }
        None => Item::Bad(bad_row(
            Code::SnapshotInvalidNik,
            side,
            rec.line,
            if nik_col == 0 {
                first_field(&rec.bytes, delim)
            } else {
                b""
            },
        )),
    }
}

/// How the new snapshot's columns map onto the old one's.
struct Shape {
    layout: Layout,
    /// `perm[i]` = index in the new row of old column `i` (None: same order).
    perm: Option<Vec<usize>>,
    delim: u8,
}

impl Shape {
    fn new(
        old_header: &[String],
        new_header: &[String],
        old_path: &str,
        delim: u8,
    ) -> Result<Shape, EventsError> {
        let layout = Layout::new(old_header).ok_or_else(|| EventsError::NoNikColumn {
            path: old_path.to_string(),
            available: old_header.join(","),
        })?;
        let norm = |h: &[String]| {
            h.iter()
                .map(|s| s.trim().to_ascii_uppercase())
                .collect::<Vec<_>>()
        };
        let (a, b) = (norm(old_header), norm(new_header));
        if a == b {
            return Ok(Shape {
                layout,
                perm: None,
                delim,
            });
        }
        let only_old: Vec<&str> = a
            .iter()
            .filter(|c| !b.contains(c))
            .map(String::as_str)
            .collect();
        let only_new: Vec<&str> = b
            .iter()
            .filter(|c| !a.contains(c))
            .map(String::as_str)
            .collect();
        if !only_old.is_empty() || !only_new.is_empty() || a.len() != b.len() {
            return Err(EventsError::HeaderMismatch {
                only_old: if only_old.is_empty() {
                    "none".into()
                } else {
                    only_old.join(",")
                },
                only_new: if only_new.is_empty() {
                    "none".into()
                } else {
                    only_new.join(",")
                },
            });
        }
        let perm = a
            .iter()
            .map(|c| b.iter().position(|x| x == c).unwrap_or(0))
            .collect();
        Ok(Shape {
            layout,
            perm: Some(perm),
            delim,
        })
    }

    fn new_nik_col(&self) -> usize {
        let n = self.layout.nik();
        self.perm.as_ref().map_or(n, |p| p[n])
    }

    fn fields(&self, row: &Row, side: Side) -> Vec<String> {
        let f = split_fields(&row.bytes, self.delim);
        match (&self.perm, side) {
            (Some(p), Side::New) => p
                .iter()
                .map(|&i| f.get(i).cloned().unwrap_or_default())
                .collect(),
            _ => f,
        }
    }
}

enum Stop {
    Unsorted,
    Failed(EventsError),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Failed(EventsError::Io {
            path: "output".into(),
            source: e,
        })
    }
}

/// The merge of two NIK-ordered row streams into events.
struct Merge<'a, S: EventSink + ?Sized> {
    shape: &'a Shape,
    since: NaiveDate,
    as_of: NaiveDate,
    sink: &'a mut S,
    summary: &'a mut DiffSummary,
    /// Whether a row out of NIK order stops the merge (sorted path) or is
    /// impossible (partitions are sorted in memory).
    check_order: bool,
}

impl<S: EventSink + ?Sized> Merge<'_, S> {
    fn anomaly(&mut self, a: Anomaly) -> io::Result<()> {
        self.summary.count_anomaly(&a);
        self.sink.anomaly(&a)
    }

    /// The next row of one side, reporting bad and duplicate rows.
    fn next(
        &mut self,
        it: &mut dyn Iterator<Item = Item>,
        prev: &mut Option<Key>,
        side: Side,
    ) -> Result<Option<Row>, Stop> {
        for item in it {
            let row = match item {
                Item::Bad(a) => {
                    self.count_row(side);
                    self.anomaly(a)?;
                    continue;
                }
                Item::Row(r) => r,
            };
            self.count_row(side);
            if let Some(p) = prev {
                if row.key == *p {
                    self.anomaly(bad_row(
                        Code::SnapshotDuplicateNik,
                        side,
                        row.line,
                        &row.key,
                    ))?;
                    continue;
                }
                if row.key < *p && self.check_order {
                    return Err(Stop::Unsorted);
                }
            }
            *prev = Some(row.key);
            return Ok(Some(row));
        }
        Ok(None)
    }

    fn count_row(&mut self, side: Side) {
        match side {
            Side::Old => self.summary.old_rows += 1,
            Side::New => self.summary.new_rows += 1,
        }
    }

    fn pair(&mut self, old: Option<&Row>, new: Option<&Row>) -> io::Result<()> {
        if let (Some(o), Some(n)) = (old, new)
            && o.bytes == n.bytes
        {
            self.summary.unchanged += 1;
            return Ok(());
        }
        let of = old.map(|r| self.shape.fields(r, Side::Old));
        let nf = new.map(|r| self.shape.fields(r, Side::New));
        let ov: Option<Vec<&str>> = of.as_ref().map(|v| v.iter().map(String::as_str).collect());
        let nv: Option<Vec<&str>> = nf.as_ref().map(|v| v.iter().map(String::as_str).collect());
        let out = classify(
            &self.shape.layout,
            ov.as_deref(),
            nv.as_deref(),
            self.since,
            self.as_of,
        );
        if out.events.is_empty() && out.anomalies.is_empty() {
            self.summary.unchanged += 1;
        }
        if !out.events.is_empty() {
            self.summary.persons_with_events += 1;
        }
        for mut a in out.anomalies {
            a.line = new.or(old).map_or(0, |r| r.line);
            self.anomaly(a)?;
        }
        for e in &out.events {
            self.summary.count_event(e);
            self.sink.event(e)?;
        }
        Ok(())
    }

    fn run(
        &mut self,
        old: &mut dyn Iterator<Item = Item>,
        new: &mut dyn Iterator<Item = Item>,
    ) -> Result<(), Stop> {
        let (mut po, mut pn) = (None, None);
        let mut a = self.next(old, &mut po, Side::Old)?;
        let mut b = self.next(new, &mut pn, Side::New)?;
        loop {
            match (&a, &b) {
                (None, None) => return Ok(()),
                (Some(x), Some(y)) if x.key == y.key => {
                    self.pair(Some(x), Some(y))?;
                    a = self.next(old, &mut po, Side::Old)?;
                    b = self.next(new, &mut pn, Side::New)?;
                }
                (Some(x), y) if y.as_ref().is_none_or(|y| x.key < y.key) => {
                    self.pair(Some(x), None)?;
                    a = self.next(old, &mut po, Side::Old)?;
                }
                (_, Some(y)) => {
                    self.pair(None, Some(y))?;
                    b = self.next(new, &mut pn, Side::New)?;
                }
                (Some(_), None) => unreachable!("covered by the arm above"),
            }
        }
    }
}

pub(super) fn open(path: &Path) -> Result<File, EventsError> {
    File::open(path).map_err(|e| EventsError::io(path, e))
}

fn read_header(path: &Path, delim: u8) -> Result<Vec<String>, EventsError> {
    let mut r = RecordReader::new(open(path)?, delim);
    let rec = r.next_record().map_err(|e| EventsError::io(path, e))?;
    Ok(rec
        .map(|h| split_fields(&h.bytes, delim))
        .unwrap_or_default())
}

/// Items of a snapshot file after its header, read by a background thread
/// in blocks (so reading and splitting overlap with the merge).
fn spawn_reader<'s>(
    scope: &'s std::thread::Scope<'s, '_>,
    path: PathBuf,
    nik_col: usize,
    delim: u8,
    side: Side,
) -> Result<(BlockReceiver, u64), EventsError> {
    let file = open(&path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let (tx, rx) = sync_channel(4);
    scope.spawn(move || {
        let mut r = RecordReader::new(file, delim);
        let mut first = true;
        let mut block = Vec::with_capacity(BLOCK);
        loop {
            match r.next_record() {
                Ok(Some(rec)) => {
                    if first {
                        first = false;
                        continue;
                    }
                    block.push(to_item(rec, nik_col, delim, side));
                    if block.len() == BLOCK && tx.send(Ok(std::mem::take(&mut block))).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        let _ = tx.send(Ok(block));
    });
    Ok((rx, size))
}

const BLOCK: usize = 4096;

/// Blocks of rows from a reader thread.
type BlockReceiver = Receiver<io::Result<Vec<Item>>>;

/// Iterates the blocks of a reader thread, counting bytes for progress and
/// keeping the first I/O error.
struct Blocks<'a> {
    rx: BlockReceiver,
    cur: std::vec::IntoIter<Item>,
    error: Option<io::Error>,
    bytes: &'a std::cell::Cell<u64>,
}

impl Iterator for Blocks<'_> {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(i) = self.cur.next() {
                if let Item::Row(r) = &i {
                    self.bytes.set(self.bytes.get() + r.bytes.len() as u64 + 1);
                }
                return Some(i);
            }
            match self.rx.recv() {
                Ok(Ok(b)) => self.cur = b.into_iter(),
                Ok(Err(e)) => {
                    self.error = Some(e);
                    return None;
                }
                Err(_) => return None,
            }
        }
    }
}

/// Reads the old snapshot once: its latest birth date and whether it is
/// sorted by NIK.
fn scan(
    path: &Path,
    shape: &Shape,
    progress: &mut dyn FnMut(DiffProgress),
) -> Result<(Option<NaiveDate>, bool), EventsError> {
    let file = open(path)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = RecordReader::new(file, shape.delim);
    let (mut latest, mut sorted, mut prev) = (None::<NaiveDate>, true, None::<Key>);
    let mut n = 0u64;
    let bd = shape.layout.position(crate::matching::Element::BirthDate);
    while let Some(rec) = r.next_record().map_err(|e| EventsError::io(path, e))? {
        n += 1;
        if n == 1 {
            continue;
        }
        if let Some(k) = key_of(&rec.bytes, shape.layout.nik(), shape.delim) {
            sorted &= prev.is_none_or(|p| p <= k);
            prev = Some(k);
        }
        if let Some(i) = bd {
            let d = with_split(&rec.bytes, shape.delim, |out, ends| {
                let s = if i == 0 { 0 } else { *ends.get(i - 1)? };
                let e = *ends.get(i)?;
                super::classify::parse_date(core::str::from_utf8(out.get(s..e)?).ok()?)
            });
            if d > latest {
                latest = d;
            }
        }
        if n % 65536 == 0 {
            progress(DiffProgress {
                phase: "scan",
                bytes: r.bytes_read(),
                total_bytes: total,
            });
        }
    }
    let _ = birth_date;
    Ok((latest, sorted))
}

/// Diffs two snapshot files into `sink` and returns the counts. The first
/// row of each file is its header (Dukcapil element names; the same columns
/// in both, in any order).
///
/// Both sorted by NIK: one streaming merge, memory independent of the file
/// size. Otherwise (found out while reading, whatever anyone claims): the
/// sink is reset, both files are partitioned by a hash of the NIK into
/// temporary files sized to fit `memory_budget`, each partition is sorted
/// and merged in memory, and the per-partition events are merged back into
/// NIK order, so both paths write identical events.
pub fn diff_files(
    old: &Path,
    new: &Path,
    opts: &DiffOptions,
    sink: &mut dyn EventSink,
    progress: &mut dyn FnMut(DiffProgress),
) -> Result<DiffSummary, EventsError> {
    if opts.memory_budget < 16 << 20 {
        return Err(EventsError::MemoryBudget(opts.memory_budget.to_string()));
    }
    let d = opts.delimiter;
    let shape = Shape::new(
        &read_header(old, d)?,
        &read_header(new, d)?,
        &old.display().to_string(),
        d,
    )?;
    let (since, derived, old_sorted) = match opts.since {
        Some(s) => (s, false, true),
        None => {
            let (latest, sorted) = scan(old, &shape, progress)?;
            (latest.unwrap_or(opts.as_of), true, sorted)
        }
    };
    let mut summary = DiffSummary::new(opts.as_of, since, derived);
    if old_sorted {
        match merge_sorted(
            old,
            new,
            &shape,
            since,
            opts.as_of,
            sink,
            &mut summary,
            progress,
        ) {
            Ok(()) => {
                sink.finish()
                    .map_err(|e| EventsError::io(Path::new("output"), e))?;
                return Ok(summary);
            }
            Err(Stop::Failed(e)) => return Err(e),
            Err(Stop::Unsorted) => {}
        }
        sink.reset()
            .map_err(|e| EventsError::io(Path::new("output"), e))?;
        summary = DiffSummary::new(opts.as_of, since, derived);
    }
    summary.sorted = false;
    partitioned(old, new, &shape, opts, since, sink, &mut summary, progress)?;
    sink.finish()
        .map_err(|e| EventsError::io(Path::new("output"), e))?;
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
fn merge_sorted(
    old: &Path,
    new: &Path,
    shape: &Shape,
    since: NaiveDate,
    as_of: NaiveDate,
    sink: &mut dyn EventSink,
    summary: &mut DiffSummary,
    progress: &mut dyn FnMut(DiffProgress),
) -> Result<(), Stop> {
    std::thread::scope(|scope| {
        let (ro, so) = spawn_reader(
            scope,
            old.to_path_buf(),
            shape.layout.nik(),
            shape.delim,
            Side::Old,
        )
        .map_err(Stop::Failed)?;
        let (rn, sn) = spawn_reader(
            scope,
            new.to_path_buf(),
            shape.new_nik_col(),
            shape.delim,
            Side::New,
        )
        .map_err(Stop::Failed)?;
        let (bo, bn) = (std::cell::Cell::new(0u64), std::cell::Cell::new(0u64));
        let mut io_ = Blocks {
            rx: ro,
            cur: Vec::new().into_iter(),
            error: None,
            bytes: &bo,
        };
        let mut in_ = Blocks {
            rx: rn,
            cur: Vec::new().into_iter(),
            error: None,
            bytes: &bn,
        };
        let total = so + sn;
        let mut last = 0u64;
        let mut tick = |b: u64| {
            if b >= last + (8 << 20) {
                last = b;
                progress(DiffProgress {
                    phase: "merge",
                    bytes: b,
                    total_bytes: total,
                });
            }
        };
        let mut po = Progressed {
            inner: &mut io_,
            f: &mut tick,
            a: &bo,
            b: &bn,
        };
        let mut m = Merge {
            shape,
            since,
            as_of,
            sink,
            summary,
            check_order: true,
        };
        let r = m.run(&mut po, &mut in_);
        // Unblock and end the reader threads before the scope joins them.
        let (eo, en) = (io_.error.take(), in_.error.take());
        drop(io_);
        drop(in_);
        r?;
        if let Some(e) = eo {
            return Err(Stop::Failed(EventsError::io(old, e)));
        }
        if let Some(e) = en {
            return Err(Stop::Failed(EventsError::io(new, e)));
        }
        progress(DiffProgress {
            phase: "merge",
            bytes: total,
            total_bytes: total,
        });
        Ok(())
    })
}

/// Calls a progress function as the old side advances.
struct Progressed<'a, 'b> {
    inner: &'a mut Blocks<'b>,
    f: &'a mut dyn FnMut(u64),
    a: &'a std::cell::Cell<u64>,
    b: &'a std::cell::Cell<u64>,
}

impl Iterator for Progressed<'_, '_> {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        let i = self.inner.next();
        (self.f)(self.a.get() + self.b.get());
        i
    }
}

/// Temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(base: Option<&Path>) -> Result<TempDir, EventsError> {
        let base = base
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let p = base.join(format!("ktpel-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).map_err(|e| EventsError::io(&p, e))?;
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn partition_of(key: &Key, parts: usize) -> usize {
    // splitmix64 over the NIK's digits: NIK prefixes (regions) are very
    // uneven, their hash is not.
    let mut z = key.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z % parts as u64) as usize
}

fn write_frame(w: &mut impl Write, row: &Row) -> io::Result<()> {
    w.write_all(&row.key)?;
    w.write_all(&row.line.to_le_bytes())?;
    w.write_all(&(row.bytes.len() as u32).to_le_bytes())?;
    w.write_all(&row.bytes)
}

fn read_frames(path: &Path) -> Result<Vec<Row>, EventsError> {
    // Streamed frame by frame: the whole file is never held twice.
    let f = open(path)?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 20, f);
    let mut rows = Vec::with_capacity((size / 200) as usize);
    let mut head = [0u8; 28];
    loop {
        match r.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(EventsError::io(path, e)),
        }
        let mut key = [0u8; 16];
        key.copy_from_slice(&head[..16]);
        let mut n8 = [0u8; 8];
        n8.copy_from_slice(&head[16..24]);
        let mut n4 = [0u8; 4];
        n4.copy_from_slice(&head[24..28]);
        let mut bytes = vec![0u8; u32::from_le_bytes(n4) as usize];
        r.read_exact(&mut bytes)
            .map_err(|e| EventsError::io(path, e))?;
        rows.push(Row {
            key,
            line: u64::from_le_bytes(n8),
            bytes,
        });
    }
    Ok(rows)
}

/// Writes every event of one partition as `NIK` + JSON line to a temporary
/// file, for the final merge into NIK order; anomalies go straight through.
struct PartSink<'a> {
    events: BufWriter<File>,
    outer: &'a mut dyn EventSink,
}

impl EventSink for PartSink<'_> {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.events.write_all(e.nik.as_bytes())?;
        serde_json::to_writer(&mut self.events, e)?;
        self.events.write_all(b"\n")
    }
    fn anomaly(&mut self, a: &Anomaly) -> io::Result<()> {
        self.outer.anomaly(a)
    }
    fn reset(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn partitioned(
    old: &Path,
    new: &Path,
    shape: &Shape,
    opts: &DiffOptions,
    since: NaiveDate,
    sink: &mut dyn EventSink,
    summary: &mut DiffSummary,
    progress: &mut dyn FnMut(DiffProgress),
) -> Result<(), EventsError> {
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| EventsError::io(p, e))
    };
    let total = size(old)? + size(new)?;
    // In memory a row costs its bytes plus ~70 bytes of bookkeeping, and the
    // stable sort needs room for half the rows again: about 2× the file bytes.
    let parts = (total.saturating_mul(2).div_ceil(opts.memory_budget)).max(1) as usize;
    summary.partitions = parts;
    let tmp = TempDir::new(opts.temp_dir.as_deref())?;
    let part_path = |side: &str, p: usize| tmp.0.join(format!("{side}-{p}.bin"));
    let mut done = 0u64;
    // 1. partition both sides; bad rows are reported here.
    for (path, side, col, name) in [
        (old, Side::Old, shape.layout.nik(), "old"),
        (new, Side::New, shape.new_nik_col(), "new"),
    ] {
        let mut writers = (0..parts)
            .map(|p| {
                let pp = part_path(name, p);
                File::create(&pp)
                    .map(|f| BufWriter::with_capacity(1 << 18, f))
                    .map_err(|e| EventsError::io(&pp, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut r = RecordReader::new(open(path)?, shape.delim);
        let mut first = true;
        let mut n = 0u64;
        while let Some(rec) = r.next_record().map_err(|e| EventsError::io(path, e))? {
            if first {
                first = false;
                continue;
            }
            n += 1;
            match to_item(rec, col, shape.delim, side) {
                Item::Row(row) => {
                    let p = partition_of(&row.key, parts);
                    write_frame(&mut writers[p], &row).map_err(|e| EventsError::io(&tmp.0, e))?;
                }
                Item::Bad(a) => {
                    match side {
                        Side::Old => summary.old_rows += 1,
                        Side::New => summary.new_rows += 1,
                    }
                    summary.count_anomaly(&a);
                    sink.anomaly(&a)
                        .map_err(|e| EventsError::io(Path::new("output"), e))?;
                }
            }
            if n % 65536 == 0 {
                progress(DiffProgress {
                    phase: "partition",
                    bytes: done + r.bytes_read(),
                    total_bytes: total,
                });
            }
        }
        done += r.bytes_read();
        for mut w in writers {
            w.flush().map_err(|e| EventsError::io(&tmp.0, e))?;
        }
    }
    // 2. each partition: sort both sides in memory, merge.
    for p in 0..parts {
        let mut o = read_frames(&part_path("old", p))?;
        let mut n = read_frames(&part_path("new", p))?;
        let _ = std::fs::remove_file(part_path("old", p));
        let _ = std::fs::remove_file(part_path("new", p));
        sort_rows(&mut o);
        sort_rows(&mut n);
        let ep = part_path("events", p);
        let mut ps = PartSink {
            events: BufWriter::new(File::create(&ep).map_err(|e| EventsError::io(&ep, e))?),
            outer: sink,
        };
        let mut m = Merge {
            shape,
            since,
            as_of: opts.as_of,
            sink: &mut ps,
            summary,
            check_order: false,
        };
        let r = m.run(
            &mut o.into_iter().map(Item::Row),
            &mut n.into_iter().map(Item::Row),
        );
        match r {
            Ok(()) => {}
            Err(Stop::Failed(e)) => return Err(e),
            Err(Stop::Unsorted) => {
                return Err(EventsError::Invalid(
                    "partition not sorted (a bug in ktpel)".into(),
                ));
            }
        }
        ps.events.flush().map_err(|e| EventsError::io(&ep, e))?;
        progress(DiffProgress {
            phase: "diff",
            bytes: (p + 1) as u64,
            total_bytes: parts as u64,
        });
    }
    // 3. merge the partitions' events back into NIK order.
    let mut readers = (0..parts)
        .map(|p| {
            open(&part_path("events", p)).map(|f| BufReader::with_capacity(1 << 16, f).lines())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut heap = BinaryHeap::new();
    let next = |r: &mut std::io::Lines<BufReader<File>>| -> Result<Option<String>, EventsError> {
        r.next()
            .transpose()
            .map_err(|e| EventsError::io(Path::new("partition events"), e))
    };
    for (i, r) in readers.iter_mut().enumerate() {
        if let Some(l) = next(r)? {
            heap.push(std::cmp::Reverse((l, i)));
        }
    }
    while let Some(std::cmp::Reverse((line, i))) = heap.pop() {
        let json = line.get(16..).unwrap_or("");
        let e: Event = serde_json::from_str(json)
            .map_err(|e| EventsError::Invalid(format!("partition event unreadable: {e}")))?;
        sink.event(&e)
            .map_err(|e| EventsError::io(Path::new("output"), e))?;
        if let Some(l) = next(&mut readers[i])? {
            heap.push(std::cmp::Reverse((l, i)));
        }
    }
    Ok(())
}

fn sort_rows(rows: &mut [Row]) {
    // Stable: the first of two rows with one NIK stays first.
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        rows.par_sort_by(|a, b| a.key.cmp(&b.key));
    }
    #[cfg(not(feature = "parallel"))]
    rows.sort_by(|a, b| a.key.cmp(&b.key));
}

fn encode(fields: &[&str], delim: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(delim);
        }
        if f.bytes()
            .any(|c| c == delim || c == b'"' || c == b'\n' || c == b'\r')
        {
            out.push(b'"');
            for c in f.bytes() {
                if c == b'"' {
                    out.push(b'"');
                }
                out.push(c);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(f.as_bytes());
        }
    }
    out
}

/// Diffs two in-memory snapshots (header + rows of text; any order). The
/// same classification and order as [`diff_files`]; `since` defaults to the
/// latest birth date of the old rows.
pub fn diff_rows<H: AsRef<str>, F: AsRef<str>>(
    old_header: &[H],
    old: &[Vec<F>],
    new_header: &[H],
    new: &[Vec<F>],
    opts: &DiffOptions,
) -> Result<DiffOutput, EventsError> {
    let hs = |h: &[H]| h.iter().map(|s| s.as_ref().to_string()).collect::<Vec<_>>();
    let shape = Shape::new(
        &hs(old_header),
        &hs(new_header),
        "old snapshot",
        opts.delimiter,
    )?;
    let items = |rows: &[Vec<F>], col: usize, side: Side| -> Vec<Item> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                let f: Vec<&str> = r.iter().map(AsRef::as_ref).collect();
                let rec = crate::csvio::RawRecord::from_bytes(
                    encode(&f, opts.delimiter),
                    i as u64 + 2,
                    opts.delimiter,
                );
                to_item(rec, col, opts.delimiter, side)
            })
            .collect()
    };
    let (since, derived) = match opts.since {
        Some(s) => (s, false),
        None => {
            let latest = old
                .iter()
                .filter_map(|r| {
                    let f: Vec<&str> = r.iter().map(AsRef::as_ref).collect();
                    birth_date(&shape.layout, &f)
                })
                .max();
            (latest.unwrap_or(opts.as_of), true)
        }
    };
    let mut summary = DiffSummary::new(opts.as_of, since, derived);
    let mut out = DiffOutput::default();
    let prep = |v: Vec<Item>| -> Vec<Item> {
        let (mut rows, mut bad) = (Vec::new(), Vec::new());
        for i in v {
            match i {
                Item::Row(r) => rows.push(r),
                b => bad.push(b),
            }
        }
        sort_rows(&mut rows);
        bad.extend(rows.into_iter().map(Item::Row));
        bad
    };
    let o = prep(items(old, shape.layout.nik(), Side::Old));
    let n = prep(items(new, shape.new_nik_col(), Side::New));
    let sorted_in = |v: &[Vec<F>], col: usize| {
        v.windows(2)
            .all(|w| w[0].get(col).map(AsRef::as_ref) <= w[1].get(col).map(AsRef::as_ref))
    };
    summary.sorted = sorted_in(old, shape.layout.nik()) && sorted_in(new, shape.new_nik_col());
    let mut m = Merge {
        shape: &shape,
        since,
        as_of: opts.as_of,
        sink: &mut out,
        summary: &mut summary,
        check_order: false,
    };
    match m.run(&mut o.into_iter(), &mut n.into_iter()) {
        Ok(()) => {}
        Err(Stop::Failed(e)) => return Err(e),
        Err(Stop::Unsorted) => {
            return Err(EventsError::Invalid(
                "rows not sorted (a bug in ktpel)".into(),
            ));
        }
    }
    out.summary = Some(summary);
    Ok(out)
}

/// Reads an events file (JSON lines written by [`diff_files`]); blank lines
/// are skipped.
pub fn read_events(
    path: &Path,
) -> Result<impl Iterator<Item = Result<Event, EventsError>>, EventsError> {
    let f = open(path)?;
    let p = path.display().to_string();
    Ok(BufReader::with_capacity(1 << 20, f)
        .lines()
        .enumerate()
        .filter_map(move |(i, l)| match l {
            Err(e) => Some(Err(EventsError::Io {
                path: p.clone(),
                source: e,
            })),
            Ok(l) if l.trim().is_empty() => None,
            Ok(l) => Some(
                serde_json::from_str::<Event>(&l).map_err(|e| EventsError::BadEvent {
                    path: p.clone(),
                    line: i as u64 + 1,
                    reason: e.to_string(),
                }),
            ),
        }))
}

/// The file-to-file diff job behind `ktpel diff` and the C, Python and Node
/// surfaces: diffs `old` against `new`, writes the events to `events` (when
/// given), `anomalies.jsonl` and `summary.json` beside it (or in `out_dir`),
/// and, with `subscriptions`, one `<agency>.jsonl` per agency in `out_dir`
/// in the same pass.
pub fn run_diff(
    old: &Path,
    new: &Path,
    events: Option<&Path>,
    out_dir: Option<&Path>,
    subscriptions: Option<&super::Subscriptions>,
    opts: &DiffOptions,
    progress: &mut dyn FnMut(DiffProgress),
) -> Result<DiffSummary, EventsError> {
    let dir = match (events, out_dir) {
        (_, Some(d)) => d.to_path_buf(),
        (Some(e), None) => e.parent().map(Path::to_path_buf).unwrap_or_default(),
        (None, None) => {
            return Err(EventsError::Invalid(
                "give an events file (--out) or an output directory (--out-dir)".into(),
            ));
        }
    };
    if subscriptions.is_some() && out_dir.is_none() {
        return Err(EventsError::Invalid(
            "subscriptions need an output directory (--out-dir) for the per-agency files".into(),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| EventsError::io(&dir, e))?;
    let ev_path = events
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("events.jsonl"));
    let mut files = FileSink::create(&ev_path, &dir.join("anomalies.jsonl"))?;
    let summary = match subscriptions {
        Some(subs) => {
            let mut routes = super::RouteSink::create(subs, &dir)?;
            let mut both = (&mut files, &mut routes);
            let mut s = diff_files(old, new, opts, &mut both, progress)?;
            s.agencies = routes.counts_by_name();
            s
        }
        None => diff_files(old, new, opts, &mut files, progress)?,
    };
    let sp = dir.join("summary.json");
    let text =
        serde_json::to_string_pretty(&summary).map_err(|e| EventsError::Invalid(e.to_string()))?;
    std::fs::write(&sp, text + "\n").map_err(|e| EventsError::io(&sp, e))?;
    Ok(summary)
}

impl<S: EventSink + ?Sized> EventSink for &mut S {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        (**self).event(e)
    }
    fn anomaly(&mut self, a: &Anomaly) -> io::Result<()> {
        (**self).anomaly(a)
    }
    fn reset(&mut self) -> io::Result<()> {
        (**self).reset()
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

/// Diffs two snapshots given as CSV text (first row the header), in memory:
/// what the C, Python and Node surfaces offer for small inputs and tests.
///
/// ```
/// use ktpel_core::events::{diff_csv, DiffOptions};
/// let old = b"NIK,STATUS\n3201010101900001,HIDUP\n";
/// let new = b"NIK,STATUS\n3201010101900001,MATI\n";
/// let opts = DiffOptions::new("2023-11-30".parse().unwrap());
/// assert_eq!(diff_csv(old, new, &opts).unwrap().events[0].kind.as_str(), "MATI");
/// ```
pub fn diff_csv(old: &[u8], new: &[u8], opts: &DiffOptions) -> Result<DiffOutput, EventsError> {
    let parse = |b: &[u8]| -> Result<(Vec<String>, Vec<Vec<String>>), EventsError> {
        let mut r = RecordReader::new(b, opts.delimiter);
        let mut rows = Vec::new();
        while let Some(rec) = r
            .next_record()
            .map_err(|e| EventsError::io(Path::new("csv text"), e))?
        {
            rows.push(split_fields(&rec.bytes, opts.delimiter));
        }
        let header = if rows.is_empty() {
            Vec::new()
        } else {
            rows.remove(0)
        };
        Ok((header, rows))
    };
    let (ho, ro) = parse(old)?;
    let (hn, rn) = parse(new)?;
    diff_rows(&ho, &ro, &hn, &rn, opts)
}
