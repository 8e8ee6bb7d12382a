//! CSV output: the five files of a generated data set.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;

use super::agency::{AgencyRow, SHUFFLE_BLOCK, shuffle_block};
use super::changes::Change;
use super::household::{Generator, HouseholdOutput};
use super::{Config, GenError, REGISTER_HEADERS, Resident};

/// Columns of `agency.csv`.
pub const AGENCY_HEADERS: [&str; 15] = [
    "ID_PELANGGAN",
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "TMPT_LHR",
    "TGL_LHR",
    "JENIS_KLMIN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "NAMA_LGKP_IBU",
];

/// Columns of `truth_agency.csv`.
pub const TRUTH_AGENCY_HEADERS: [&str; 6] = [
    "ID_PELANGGAN",
    "TRUE_NIK",
    "CORRUPTIONS",
    "ELEMENTS",
    "DECEASED",
    "DUPLICATE_OF",
];

/// Columns of `truth_changes.csv`.
pub const TRUTH_CHANGES_HEADERS: [&str; 6] = [
    "NIK",
    "TYPE",
    "EVENT_DATE",
    "ELEMENTS",
    "OLD_VALUES",
    "NEW_VALUES",
];

/// Counts of what was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows of `population.csv`.
    pub register_rows: u64,
    /// Rows of `population_later.csv`.
    pub later_rows: u64,
    /// Rows of `agency.csv` (= rows of `truth_agency.csv`).
    pub agency_rows: u64,
    /// Rows of `truth_changes.csv`.
    pub changes: u64,
    /// Changes per kind, in [`super::ChangeKind::ALL`] order.
    pub changes_by_kind: [u64; 9],
    /// Agency rows without any corruption.
    pub agency_clean: u64,
}

/// A CSV file being written: rows are formatted into a buffer (RFC 4180
/// quoting only where a value contains a comma, quote or line break) that
/// is handed to the sink in large blocks.
struct Csv<W: Write> {
    out: W,
    buf: Vec<u8>,
    path: &'static str,
}

const BLOCK: usize = 1 << 20;

/// Bytes that force a field into quotes.
const NEEDS_QUOTE: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

impl<W: Write> Csv<W> {
    fn new(out: W, path: &'static str) -> Self {
        Csv {
            out,
            buf: Vec::with_capacity(BLOCK + 4096),
            path,
        }
    }

    fn field(&mut self, s: &str) {
        if s.bytes().any(|b| NEEDS_QUOTE[usize::from(b)]) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    fn write_record<'a>(
        &mut self,
        fields: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), GenError> {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.field(f);
        }
        self.buf.push(b'\n');
        if self.buf.len() >= BLOCK {
            self.drain()?;
        }
        Ok(())
    }

    fn drain(&mut self) -> Result<(), GenError> {
        let r = self.out.write_all(&self.buf);
        self.buf.clear();
        r.map_err(|e| GenError::Io {
            path: self.path.to_string(),
            source: e,
        })
    }

    fn flush(&mut self) -> Result<(), GenError> {
        self.drain()?;
        self.out.flush().map_err(|e| GenError::Io {
            path: self.path.to_string(),
            source: e,
        })
    }
}

/// Sinks for the five files.
pub struct Sinks<W: Write> {
    /// `population.csv`
    pub population: W,
    /// `population_later.csv`
    pub later: W,
    /// `agency.csv`
    pub agency: W,
    /// `truth_agency.csv`
    pub truth_agency: W,
    /// `truth_changes.csv`
    pub truth_changes: W,
}

struct Writers<W: Write> {
    pop: Csv<W>,
    later: Csv<W>,
    agency: Csv<W>,
    truth_a: Csv<W>,
    truth_c: Csv<W>,
}

fn write_resident<W: Write>(w: &mut Csv<W>, r: &Resident) -> Result<(), GenError> {
    w.write_record(r.fields().array())
}

fn write_change<W: Write>(w: &mut Csv<W>, c: &Change) -> Result<(), GenError> {
    let date = c.date.format("%Y-%m-%d").to_string();
    let els = c
        .elements
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join("|");
    w.write_record([
        c.nik.as_str(),
        c.kind.as_str(),
        date.as_str(),
        els.as_str(),
        c.old.join("|").as_str(),
        c.new.join("|").as_str(),
    ])
}

fn flush_agency<W: Write>(
    ws: &mut Writers<W>,
    buf: &mut Vec<AgencyRow>,
    block: &mut u64,
    next_id: &mut u64,
    seed: u64,
    s: &mut Summary,
) -> Result<(), GenError> {
    if buf.is_empty() {
        return Ok(());
    }
    shuffle_block(buf, seed, *block, next_id);
    *block += 1;
    for row in buf.iter() {
        let mut rec: Vec<&str> = Vec::with_capacity(15);
        rec.push(&row.record.id);
        rec.extend(row.record.values.iter().map(String::as_str));
        ws.agency.write_record(rec)?;
        let t = &row.truth;
        let corr = if t.corruptions.is_empty() {
            "CLEAN".to_string()
        } else {
            t.corruptions
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("|")
        };
        let els = t
            .elements
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("|");
        let dup = t.duplicate_of.as_deref().unwrap_or("");
        ws.truth_a.write_record([
            row.record.id.as_str(),
            t.true_nik.as_deref().unwrap_or(""),
            corr.as_str(),
            els.as_str(),
            if t.deceased { "Y" } else { "N" },
            dup,
        ])?;
        s.agency_rows += 1;
        if t.corruptions.is_empty() {
            s.agency_clean += 1;
        }
    }
    buf.clear();
    Ok(())
}

/// Generates `cfg` into the given sinks (any `Write`: files, memory).
///
/// ```
/// use ktpel_core::sample::{self, Config};
/// let cfg = Config { population: 500, agency: 100, ..Config::default() };
/// let mut s = sample::Sinks { population: Vec::new(), later: Vec::new(), agency: Vec::new(),
///                          truth_agency: Vec::new(), truth_changes: Vec::new() };
/// let summary = sample::write_to(&cfg, &mut s, |_| {}).unwrap();
/// assert_eq!(summary.register_rows, 500);
/// assert_eq!(summary.agency_rows, 100);
/// assert!(String::from_utf8_lossy(&s.population).starts_with("NIK,NO_KK,NAMA_LGKP,"));
/// ```
pub fn write_to<W: Write + Send>(
    cfg: &Config,
    sinks: &mut Sinks<W>,
    mut progress: impl FnMut(u64),
) -> Result<Summary, GenError> {
    // Generation runs on this thread, formatting and writing on a second
    // one; batches travel in order over a bounded channel, so the bytes do
    // not depend on timing.
    let mut g = Generator::new(cfg)?;
    let (tx, rx) = mpsc::sync_channel::<Vec<HouseholdOutput>>(4);
    let seed = cfg.seed;
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_stream(seed, sinks, rx));
        let mut failed = None;
        let mut batch = Vec::with_capacity(BATCH);
        let (mut rows, mut last_report) = (0u64, 0u64);
        loop {
            match g.next_household() {
                Ok(Some(h)) => {
                    rows += h.register.len() as u64;
                    batch.push(h);
                    if batch.len() >= BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
                        break; // the writer stopped: its error is reported below
                    }
                    if rows - last_report >= 65_536 {
                        last_report = rows;
                        progress(rows);
                    }
                }
                Ok(None) => {
                    if !batch.is_empty() {
                        let _ = tx.send(std::mem::take(&mut batch));
                    }
                    break;
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(tx);
        let written = writer
            .join()
            .map_err(|_| GenError::Internal("the CSV writer thread panicked"))?;
        if let Some(e) = failed {
            return Err(e);
        }
        let s = written?;
        progress(s.register_rows);
        Ok(s)
    })
}

/// Households per message to the writer thread.
const BATCH: usize = 256;

fn write_stream<W: Write>(
    seed: u64,
    sinks: &mut Sinks<W>,
    rx: mpsc::Receiver<Vec<HouseholdOutput>>,
) -> Result<Summary, GenError> {
    let mut ws = Writers {
        pop: Csv::new(&mut sinks.population, FILES[0]),
        later: Csv::new(&mut sinks.later, FILES[1]),
        agency: Csv::new(&mut sinks.agency, FILES[2]),
        truth_a: Csv::new(&mut sinks.truth_agency, FILES[3]),
        truth_c: Csv::new(&mut sinks.truth_changes, FILES[4]),
    };
    ws.pop.write_record(REGISTER_HEADERS)?;
    ws.later.write_record(REGISTER_HEADERS)?;
    ws.agency.write_record(AGENCY_HEADERS)?;
    ws.truth_a.write_record(TRUTH_AGENCY_HEADERS)?;
    ws.truth_c.write_record(TRUTH_CHANGES_HEADERS)?;
    let mut s = Summary::default();
    let mut buf: Vec<AgencyRow> = Vec::with_capacity(SHUFFLE_BLOCK + 64);
    let (mut block, mut next_id) = (0u64, 1u64);
    for batch in rx {
        for h in batch {
            for r in &h.register {
                write_resident(&mut ws.pop, r)?;
            }
            for r in &h.later {
                write_resident(&mut ws.later, r)?;
            }
            for c in &h.changes {
                write_change(&mut ws.truth_c, c)?;
                s.changes_by_kind[c.kind as usize] += 1;
            }
            s.register_rows += h.register.len() as u64;
            s.later_rows += h.later.len() as u64;
            s.changes += h.changes.len() as u64;
            buf.extend(h.agency);
            if buf.len() >= SHUFFLE_BLOCK {
                flush_agency(&mut ws, &mut buf, &mut block, &mut next_id, seed, &mut s)?;
            }
        }
    }
    flush_agency(&mut ws, &mut buf, &mut block, &mut next_id, seed, &mut s)?;
    ws.pop.flush()?;
    ws.later.flush()?;
    ws.agency.flush()?;
    ws.truth_a.flush()?;
    ws.truth_c.flush()?;
    Ok(s)
}

/// File names written by [`write_all`].
pub const FILES: [&str; 5] = [
    "population.csv",
    "population_later.csv",
    "agency.csv",
    "truth_agency.csv",
    "truth_changes.csv",
];

/// Generates `cfg` into `dir` (created if missing): `population.csv`,
/// `population_later.csv`, `agency.csv`, `truth_agency.csv`,
/// `truth_changes.csv`. `progress` is called with the number of register
/// rows written so far.
pub fn write_all(cfg: &Config, dir: &Path, progress: impl FnMut(u64)) -> Result<Summary, GenError> {
    cfg.validate()?;
    fs::create_dir_all(dir).map_err(|e| GenError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let open = |name: &str| -> Result<BufWriter<File>, GenError> {
        let p = dir.join(name);
        File::create(&p)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| GenError::Io {
                path: p.display().to_string(),
                source: e,
            })
    };
    let mut sinks = Sinks {
        population: open(FILES[0])?,
        later: open(FILES[1])?,
        agency: open(FILES[2])?,
        truth_agency: open(FILES[3])?,
        truth_changes: open(FILES[4])?,
    };
    let s = write_to(cfg, &mut sinks, progress)?;
    for (w, p) in [
        (&mut sinks.population, FILES[0]),
        (&mut sinks.later, FILES[1]),
        (&mut sinks.agency, FILES[2]),
        (&mut sinks.truth_agency, FILES[3]),
        (&mut sinks.truth_changes, FILES[4]),
    ] {
        w.flush().map_err(|e| GenError::Io {
            path: dir.join(p).display().to_string(),
            source: e,
        })?;
    }
    Ok(s)
}
