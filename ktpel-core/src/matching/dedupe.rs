//! Duplicate persons within one dataset (`ktpel dedupe`): one person under
//! two NIKs, and one NIK used by two persons.
//!
//! The file is read whole (one [`super::recover::Resident`] per row, about
//! 100 bytes). **One NIK, two persons**: rows sharing a NIK whose names are
//! below the name threshold or whose birth dates differ (a day/month swap
//! excepted) — `NIK_SHARED`. **One person, two NIKs**: the rows are linked
//! with each other by the recovery model ([`super::recover`]: the same
//! blocking and Fellegi–Sunter scoring with EM, the NIK left out of the
//! comparison); pairs with a match probability of at least the threshold,
//! a name similarity of at least the name threshold, the same birth date
//! (a day/month swap allowed) and different NIKs are `PERSON_MULTIPLE_NIK`.
//! (The name and date conditions are hard rules because EM on one
//! register's own blocks has almost no true matches to learn from.)

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use super::MatchError;
use super::record::{Element, Mapping, Record};
use super::recover::{Model, RecoverIndex, RecoverySpec, Resident, self_link};
use crate::csvio::RecordReader;
use crate::name;

/// Options of [`run_dedupe`].
#[derive(Debug, Clone)]
pub struct DedupeOptions {
    /// Column mapping (Dukcapil names by default).
    pub mapping: Mapping,
    /// Lowest match probability of a "same person" pair.
    pub accept: f64,
}

impl Default for DedupeOptions {
    fn default() -> Self {
        DedupeOptions {
            mapping: Mapping::dukcapil(),
            accept: 0.99,
        }
    }
}

/// The report of [`run_dedupe`] (`summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupeSummary {
    /// Data rows read.
    pub rows: u64,
    /// Rows that could not be read (broken quoting, wrong column count).
    pub malformed: u64,
    /// Pairs of rows with one NIK and two persons.
    pub nik_shared: u64,
    /// Pairs of rows with one person and two NIKs.
    pub person_multiple_nik: u64,
    /// Candidate pairs scored.
    pub pairs_scored: u64,
    /// The estimated model.
    pub model: Model,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> MatchError + '_ {
    move |source| MatchError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Finds duplicate persons in `input`; writes `duplikat.csv` (`BARIS_A,
/// BARIS_B, KODE, NIK_A, NIK_B, NAMA_A, NAMA_B, PELUANG, ELEMEN_SESUAI`)
/// and `summary.json` into `out_dir`.
///
/// ```
/// use ktpel_core::matching::{run_dedupe, DedupeOptions};
/// let dir = tempfile::tempdir().unwrap();
/// let f = dir.path().join("d.csv");
/// std::fs::write(&f, "NIK,NAMA_LGKP,TGL_LHR,JENIS_KLMIN\n3174015708900123,SITI AMINAH,17-08-1990,P\n3174015708900123,BUDI SANTOSO,01-02-1970,L\n").unwrap();
/// let s = run_dedupe(&f, &dir.path().join("out"), &DedupeOptions::default()).unwrap();
/// assert_eq!(s.nik_shared, 1);
/// ```
pub fn run_dedupe(
    input: &Path,
    out_dir: &Path,
    opts: &DedupeOptions,
) -> Result<DedupeSummary, MatchError> {
    std::fs::create_dir_all(out_dir).map_err(io_err(out_dir))?;
    let delimiter = opts.mapping.delimiter_byte()?;
    let mut reader = RecordReader::new(File::open(input).map_err(io_err(input))?, delimiter);
    let mut rows: Vec<(u64, Record)> = Vec::new();
    let mut malformed = 0u64;
    let mut total = 0u64;
    if let Some(h) = reader.next_record().map_err(io_err(input))? {
        let header: Vec<String> = super::split::split(&h, delimiter)
            .fields
            .iter()
            .map(|s| s.trim().to_string())
            .collect();
        let binding = opts.mapping.bind(&header)?;
        while let Some(rec) = reader.next_record().map_err(io_err(input))? {
            total += 1;
            let sp = super::split::split(&rec, delimiter);
            if rec.unbalanced_quote || sp.fields.len() != binding.columns() {
                malformed += 1;
                continue;
            }
            rows.push((total, binding.convert(&sp.fields).0));
        }
    }
    let nik_of = |r: &Record| -> u64 {
        r.get(Element::Nik)
            .filter(|s| s.len() == 16 && s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    let mut spec = RecoverySpec::new(&[&opts.mapping])?;
    spec.regional = false;
    let mut index = RecoverIndex::new(spec);
    for (_, r) in &rows {
        index.push(Resident::of(nik_of(r), r, &index.spec));
    }
    index.finish();
    let mut lines = Vec::new();
    let mut header = Vec::new();
    crate::validate::write_csv_row(
        &mut header,
        [
            "BARIS_A",
            "BARIS_B",
            "KODE",
            "NIK_A",
            "NIK_B",
            "NAMA_A",
            "NAMA_B",
            "PELUANG",
            "ELEMEN_SESUAI",
        ],
        b',',
    );
    // One NIK, two persons.
    let mut by_nik: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, (_, r)) in rows.iter().enumerate() {
        let n = nik_of(r);
        if n != 0 {
            by_nik.entry(n).or_default().push(i);
        }
    }
    let mut shared: Vec<(usize, usize)> = Vec::new();
    for group in by_nik.values().filter(|g| g.len() > 1) {
        for (x, &i) in group.iter().enumerate() {
            for &j in &group[x + 1..] {
                let (a, b) = (&rows[i].1, &rows[j].1);
                let name_ok = match (a.get(Element::Name), b.get(Element::Name)) {
                    (Some(p), Some(q)) => name::similarity(p, q) >= name::DEFAULT_THRESHOLD,
                    _ => true,
                };
                let date_ok = match (a.birth_date, b.birth_date) {
                    (Some(p), Some(q)) => {
                        use chrono::Datelike;
                        p == q
                            || (p.year() == q.year()
                                && p.day() == q.month()
                                && p.month() == q.day())
                    }
                    _ => true,
                };
                if !(name_ok && date_ok) {
                    shared.push((i, j));
                }
            }
        }
    }
    shared.sort_unstable();
    for &(i, j) in &shared {
        write_pair(&mut lines, &rows, i, j, "NIK_SHARED", "", "");
    }
    // One person, two NIKs.
    let (model, pairs, pairs_scored) = self_link(&index, opts.accept);
    let mut multiple = 0u64;
    for p in &pairs {
        let (i, j) = (p.a as usize, p.b as usize);
        if nik_of(&rows[i].1) == nik_of(&rows[j].1) && nik_of(&rows[i].1) != 0 {
            continue;
        }
        multiple += 1;
        write_pair(
            &mut lines,
            &rows,
            i,
            j,
            "PERSON_MULTIPLE_NIK",
            &format!("{:.4}", p.probability),
            &p.agree.join("|"),
        );
    }
    let dp = out_dir.join("duplikat.csv");
    let mut f = BufWriter::new(File::create(&dp).map_err(io_err(&dp))?);
    f.write_all(&header).map_err(io_err(&dp))?;
    f.write_all(&lines).map_err(io_err(&dp))?;
    f.flush().map_err(io_err(&dp))?;
    let summary = DedupeSummary {
        rows: total,
        malformed,
        nik_shared: shared.len() as u64,
        person_multiple_nik: multiple,
        pairs_scored,
        model,
    };
    let sp = out_dir.join("summary.json");
    std::fs::write(
        &sp,
        serde_json::to_vec_pretty(&summary).expect("summary serializes"),
    )
    .map_err(io_err(&sp))?;
    Ok(summary)
}

fn write_pair(
    out: &mut Vec<u8>,
    rows: &[(u64, Record)],
    i: usize,
    j: usize,
    code: &str,
    prob: &str,
    agree: &str,
) {
    let (ra, rb) = (rows[i].0.to_string(), rows[j].0.to_string());
    let (a, b) = (&rows[i].1, &rows[j].1);
    crate::validate::write_csv_row(
        out,
        [
            ra.as_str(),
            rb.as_str(),
            code,
            a.get(Element::Nik).unwrap_or(""),
            b.get(Element::Nik).unwrap_or(""),
            a.get(Element::Name).unwrap_or(""),
            b.get(Element::Name).unwrap_or(""),
            prob,
            agree,
        ],
        b',',
    );
}
