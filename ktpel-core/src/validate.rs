//! Batch validation of a NIK or KK column in a CSV file of any size.
//!
//! The file is streamed in blocks; each block is checked in parallel (feature
//! `parallel`) and written in input order, so memory stays bounded by the
//! block size, not the file size. Every input row produces exactly one output
//! row — malformed rows (wrong number of columns, broken quoting) and rows
//! that are not UTF-8 included — and the summary's counts add up to the
//! number of rows read.
//!
//! ```
//! use ktpel_core::validate::{validate_csv, Kind, OutputFormat, ValidateOptions};
//! let input = "ID,NIK\n1,3174015708900123\n2,3.17401E+15\n";
//! let mut out = Vec::new();
//! let mut opts = ValidateOptions::new(Kind::Nik, "NIK");
//! opts.check.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
//! let summary = validate_csv(input.as_bytes(), &mut out, &opts, &mut |_| {}).unwrap();
//! assert_eq!((summary.rows, summary.valid, summary.invalid), (2, 1, 1));
//! assert_eq!(summary.codes["SPREADSHEET_CORRUPTED"], 1);
//! assert!(String::from_utf8(out).unwrap().starts_with("ID,NIK,valid,code,"));
//! ```

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use crate::code::{Code, HasCode};
use crate::csvio::{RawRecord, RecordReader};
use crate::idnum::CheckOptions;
use crate::{kk, nik};

/// Which number the column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// NIK (personal number).
    Nik,
    /// KK number (family card).
    Kk,
}

impl Kind {
    /// The verdict columns appended to each CSV row, in order.
    pub const fn verdict_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Nik => &[
                "valid",
                "code",
                "warnings",
                "province_code",
                "regency_code",
                "district_code",
                "district_name",
                "sex",
                "birth_date",
                "century_ambiguous",
                "serial",
            ],
            Kind::Kk => &[
                "valid",
                "code",
                "warnings",
                "province_code",
                "regency_code",
                "district_code",
                "district_name",
                "issue_date",
                "century_ambiguous",
                "serial",
            ],
        }
    }
}

/// Output format of [`validate_csv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// The input columns followed by the verdict columns.
    #[default]
    Csv,
    /// One JSON object per row: `row`, `input`, the verdict fields, `record`.
    Jsonl,
}

/// Options of [`validate_csv`].
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// NIK or KK.
    pub kind: Kind,
    /// Header of the column to check (matched case-insensitively, trimmed).
    pub column: String,
    /// Mode, reference date and known birth year.
    pub check: CheckOptions,
    /// CSV or JSON Lines.
    pub format: OutputFormat,
    /// Field delimiter of the input (and CSV output).
    pub delimiter: u8,
    /// Rows per block (memory bound and parallel grain).
    pub block_rows: usize,
}

impl ValidateOptions {
    /// Defaults: strict mode, today, CSV out, comma, 65,536-row blocks.
    pub fn new(kind: Kind, column: &str) -> Self {
        ValidateOptions {
            kind,
            column: column.into(),
            check: CheckOptions::strict(),
            format: OutputFormat::Csv,
            delimiter: b',',
            block_rows: 65_536,
        }
    }
}

/// Errors that stop a validation run before it starts (a bad row never does).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// Reading or writing failed.
    #[error("reading or writing failed: {0}")]
    Io(#[from] io::Error),
    /// The header row could not be read.
    #[error("the header row could not be read: {0}")]
    Header(String),
    /// No column with that name.
    #[error("the file has no column {column:?}; its columns are: {available}")]
    ColumnNotFound {
        /// Requested column.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
}

impl HasCode for ValidateError {
    fn code(&self) -> Code {
        match self {
            ValidateError::Io(_) => Code::Io,
            ValidateError::Header(_) => Code::Csv,
            ValidateError::ColumnNotFound { .. } => Code::ColumnNotFound,
        }
    }
}

/// Counts of a validation run. `valid + invalid == rows`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ValidateSummary {
    /// Data rows read (the header excluded).
    pub rows: u64,
    /// Rows whose number is valid (warnings allowed).
    pub valid: u64,
    /// Rows whose number is invalid or which could not be read.
    pub invalid: u64,
    /// Invalid rows per error code (`MALFORMED_ROW` for unreadable rows).
    pub codes: BTreeMap<&'static str, u64>,
    /// Rows per warning code (a row may count under several).
    pub warnings: BTreeMap<&'static str, u64>,
    /// Warnings about the whole column (e.g. `COLUMN_SPREADSHEET_SUSPECTED`).
    pub column_warnings: Vec<&'static str>,
    /// Bytes of input read.
    pub bytes: u64,
}

/// Progress reported after each block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows done so far.
    pub rows: u64,
    /// Input bytes consumed so far.
    pub bytes: u64,
}

/// Minimum rows before the column-level spreadsheet check speaks, and the
/// share of last-digit zeros that triggers it (uniform serials give ~10 %).
const COLUMN_CHECK_MIN_ROWS: u64 = 100;
const COLUMN_CHECK_ZERO_SHARE: f64 = 0.5;

struct RowOutcome {
    bytes: Vec<u8>,
    code: Option<Code>,
    warnings: crate::idnum::Warnings,
    extra_warning: Option<Code>,
    ends_in_zero: bool,
}

/// Streams `input` (CSV with a header row) to `output`, checking the column
/// named in `opts`. See the module docs.
pub fn validate_csv<R: Read, W: Write>(
    input: R,
    mut output: W,
    opts: &ValidateOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ValidateSummary, ValidateError> {
    let mut reader = RecordReader::new(input, opts.delimiter);
    let Some(header_rec) = reader.next_record()? else {
        return Err(ValidateError::ColumnNotFound {
            column: opts.column.clone(),
            available: "(empty file)".into(),
        });
    };
    if header_rec.unbalanced_quote {
        return Err(ValidateError::Header(
            "a quote in the header row is never closed".into(),
        ));
    }
    let header: Vec<String> = header_rec
        .fields()
        .iter()
        .map(|f| f.text.trim().to_string())
        .collect();
    let col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case(opts.column.trim()))
        .ok_or_else(|| ValidateError::ColumnNotFound {
            column: opts.column.clone(),
            available: header.join(","),
        })?;
    let reference = opts.check.resolved_reference_date();
    if opts.format == OutputFormat::Csv {
        let mut line = Vec::new();
        let cols = header
            .iter()
            .map(String::as_str)
            .chain(opts.kind.verdict_columns().iter().copied());
        write_csv_row(&mut line, cols, opts.delimiter);
        output.write_all(&line)?;
    }

    let mut summary = ValidateSummary::default();
    let mut zeros = 0u64;
    let mut well_formed_valid = 0u64;
    let block = opts.block_rows.max(1);
    let mut records: Vec<RawRecord> = Vec::with_capacity(block);
    let mut row_no = 0u64;
    loop {
        records.clear();
        while records.len() < block {
            match reader.next_record()? {
                Some(r) => records.push(r),
                None => break,
            }
        }
        if records.is_empty() {
            break;
        }
        let first_row = row_no + 1;
        let process = |(i, rec): (usize, &RawRecord)| -> RowOutcome {
            process_row(first_row + i as u64, rec, col, &header, opts, reference)
        };
        #[cfg(feature = "parallel")]
        let outcomes: Vec<RowOutcome> = {
            use rayon::prelude::*;
            records
                .par_iter()
                .enumerate()
                .with_min_len(1024)
                .map(process)
                .collect()
        };
        #[cfg(not(feature = "parallel"))]
        let outcomes: Vec<RowOutcome> = records.iter().enumerate().map(process).collect();
        for o in &outcomes {
            output.write_all(&o.bytes)?;
            summary.rows += 1;
            match o.code {
                None => summary.valid += 1,
                Some(c) => {
                    summary.invalid += 1;
                    *summary.codes.entry(c.as_str()).or_default() += 1;
                }
            }
            for w in o.warnings.iter().chain(o.extra_warning) {
                *summary.warnings.entry(w.as_str()).or_default() += 1;
            }
            if o.code.is_none() {
                well_formed_valid += 1;
                zeros += u64::from(o.ends_in_zero);
            }
        }
        row_no += records.len() as u64;
        summary.bytes = reader.bytes_read();
        progress(Progress {
            rows: summary.rows,
            bytes: summary.bytes,
        });
    }
    if well_formed_valid >= COLUMN_CHECK_MIN_ROWS
        && zeros as f64 > COLUMN_CHECK_ZERO_SHARE * well_formed_valid as f64
    {
        summary
            .column_warnings
            .push(Code::ColumnSpreadsheetSuspected.as_str());
    }
    output.flush()?;
    Ok(summary)
}

/// Appends one CSV row (RFC 4180 quoting where needed) and a newline.
pub(crate) fn write_csv_row<'a>(
    out: &mut Vec<u8>,
    fields: impl IntoIterator<Item = &'a str>,
    delimiter: u8,
) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        push_field(out, f, delimiter);
    }
    out.push(b'\n');
}

/// The check result of one row, NIK or KK.
#[derive(Clone, Copy)]
enum Verdict {
    Nik(nik::NikCheck),
    Kk(kk::KkCheck),
}

impl Verdict {
    fn code(&self) -> Option<Code> {
        match self {
            Verdict::Nik(c) => c.code(),
            Verdict::Kk(c) => c.code(),
        }
    }

    fn warnings(&self) -> crate::idnum::Warnings {
        match self {
            Verdict::Nik(c) => c.warnings(),
            Verdict::Kk(c) => c.warnings(),
        }
    }

    fn normalized(&self) -> Option<&str> {
        match self {
            Verdict::Nik(c) => c.normalized(),
            Verdict::Kk(c) => c.normalized(),
        }
    }

    fn to_json(self) -> serde_json::Value {
        match self {
            Verdict::Nik(c) => serde_json::to_value(c).unwrap_or_default(),
            Verdict::Kk(c) => serde_json::to_value(c).unwrap_or_default(),
        }
    }

    /// Writes the verdict columns (see [`Kind::verdict_columns`]) directly,
    /// without building JSON: this runs once per row of files with millions.
    fn write_csv_columns(
        &self,
        out: &mut Vec<u8>,
        code: Option<Code>,
        extra_warning: Option<Code>,
        delimiter: u8,
    ) {
        use std::io::Write as _;
        let d = delimiter;
        let _ = write!(out, "{}", code.is_none());
        out.push(d);
        out.extend_from_slice(code.map_or("", |c| c.as_str()).as_bytes());
        out.push(d);
        for (i, w) in self.warnings().iter().chain(extra_warning).enumerate() {
            if i > 0 {
                out.push(b'|');
            }
            out.extend_from_slice(w.as_str().as_bytes());
        }
        let (province, regency, district, name, serial, ambiguous) = match self {
            Verdict::Nik(c) => (
                c.province_code(),
                c.regency_code(),
                c.district_code(),
                c.district_name(),
                c.serial(),
                c.century_ambiguous(),
            ),
            Verdict::Kk(c) => (
                c.province_code(),
                c.regency_code(),
                c.district_code(),
                c.district_name(),
                c.serial(),
                c.century_ambiguous(),
            ),
        };
        out.push(d);
        if let Some(v) = province {
            let _ = write!(out, "{v:02}");
        }
        out.push(d);
        if let Some(v) = regency {
            let _ = write!(out, "{v:04}");
        }
        out.push(d);
        if let Some(v) = district {
            let _ = write!(out, "{v:06}");
        }
        out.push(d);
        push_field(out, name.unwrap_or(""), d);
        out.push(d);
        let iso = |out: &mut Vec<u8>, date: Option<chrono::NaiveDate>| {
            if let Some(date) = date {
                let _ = write!(out, "{date}");
            }
        };
        match self {
            Verdict::Nik(c) => {
                out.extend_from_slice(c.sex().map_or("", |s| s.as_str()).as_bytes());
                out.push(d);
                iso(out, c.birth_date());
            }
            Verdict::Kk(c) => iso(out, c.issue_date()),
        }
        out.push(d);
        let _ = write!(out, "{ambiguous}");
        out.push(d);
        if let Some(v) = serial {
            let _ = write!(out, "{v:04}");
        }
        out.push(b'\n');
    }
}

/// Appends one field, quoted when it has to be (RFC 4180).
fn push_field(out: &mut Vec<u8>, f: &str, delimiter: u8) {
    if f.bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r')
    {
        out.push(b'"');
        for b in f.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(f.as_bytes());
    }
}

fn process_row(
    row: u64,
    rec: &RawRecord,
    col: usize,
    header: &[String],
    opts: &ValidateOptions,
    reference: chrono::NaiveDate,
) -> RowOutcome {
    let fields = rec.fields();
    let n_cols = header.len();
    let malformed = rec.unbalanced_quote || fields.len() != n_cols;
    let latin1 = fields.iter().any(|f| f.latin1);
    let value: &str = fields.get(col).map_or("", |f| f.text.as_ref());
    let verdict = match opts.kind {
        Kind::Nik => Verdict::Nik(nik::check_at(
            value,
            opts.check.mode,
            reference,
            opts.check.birth_year,
        )),
        Kind::Kk => Verdict::Kk(kk::check_at(
            value,
            opts.check.mode,
            reference,
            opts.check.birth_year,
        )),
    };
    let code = if malformed {
        Some(Code::MalformedRow)
    } else {
        verdict.code()
    };
    let extra_warning = latin1.then_some(Code::Latin1Decoded);
    let ends_in_zero = verdict.normalized().is_some_and(|s| s.ends_with('0'));
    let mut bytes = Vec::with_capacity(rec.bytes.len() + 96);
    match opts.format {
        OutputFormat::Csv => {
            if !malformed && !latin1 {
                // A well-formed UTF-8 record is already valid CSV: copy it as read.
                bytes.extend_from_slice(&rec.bytes);
            } else {
                let mut out: Vec<&str> = fields.iter().map(|f| f.text.as_ref()).collect();
                out.resize(out.len().max(n_cols), "");
                for (i, f) in out.iter().enumerate() {
                    if i > 0 {
                        bytes.push(opts.delimiter);
                    }
                    push_field(&mut bytes, f, opts.delimiter);
                }
            }
            bytes.push(opts.delimiter);
            verdict.write_csv_columns(&mut bytes, code, extra_warning, opts.delimiter);
        }
        OutputFormat::Jsonl => {
            let mut json = verdict.to_json();
            if malformed {
                json["valid"] = false.into();
                json["code"] = Code::MalformedRow.as_str().into();
                json["message"] = if rec.unbalanced_quote {
                    format!(
                        "row {row} (line {}): a quote is opened and never closed",
                        rec.line
                    )
                    .into()
                } else {
                    format!(
                        "row {row} (line {}) has {} columns; the header has {n_cols}",
                        rec.line,
                        fields.len()
                    )
                    .into()
                };
            }
            if let (Some(w), Some(arr)) = (extra_warning, json["warnings"].as_array_mut()) {
                arr.push(w.as_str().into());
            }
            let record: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .zip(fields.iter())
                .map(|(h, f)| (h.clone(), f.text.as_ref().into()))
                .collect();
            let mut obj = serde_json::Map::new();
            obj.insert("row".into(), row.into());
            obj.insert("line".into(), rec.line.into());
            obj.insert("input".into(), value.into());
            if let serde_json::Value::Object(m) = json {
                obj.extend(m);
            }
            obj.insert("record".into(), record.into());
            let _ = serde_json::to_writer(&mut bytes, &obj);
            bytes.push(b'\n');
        }
    }
    RowOutcome {
        bytes,
        code,
        warnings: verdict.warnings(),
        extra_warning,
        ends_in_zero,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8], format: OutputFormat) -> (ValidateSummary, String) {
        let mut opts = ValidateOptions::new(Kind::Nik, "nik");
        opts.check.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
        opts.format = format;
        opts.block_rows = 2;
        let mut out = Vec::new();
        let s = validate_csv(input, &mut out, &opts, &mut |_| {}).unwrap();
        (s, String::from_utf8(out).unwrap())
    }

    #[test]
    fn every_row_ends_up_in_the_output() {
        let input = b"\xef\xbb\xbfNAMA,NIK\r\nSITI,3174015708900123\r\n\"broken,quote\r\nA,B,C\r\nJOS\xe9,3174015708900123\r\n,\r\nX,3174010000000000\r\n";
        let (s, out) = run(input, OutputFormat::Csv);
        assert_eq!(s.rows, 6, "{out}");
        assert_eq!(s.valid + s.invalid, s.rows);
        assert_eq!(s.valid, 2);
        assert_eq!(s.codes.get("MALFORMED_ROW"), Some(&2));
        assert_eq!(s.codes.get("SPREADSHEET_CORRUPTED"), Some(&1));
        assert_eq!(out.lines().count(), 7, "{out}");
        assert_eq!(s.codes.get("EMPTY"), Some(&1));
        assert_eq!(s.warnings.get("LATIN1_DECODED"), Some(&1));
        assert!(out.contains("JOSé"));
        let (sj, outj) = run(input, OutputFormat::Jsonl);
        assert_eq!(sj, s);
        assert_eq!(outj.lines().count(), 6);
        for line in outj.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(v["row"].as_u64().is_some() && v.get("valid").is_some());
        }
    }

    #[test]
    fn wrong_column_counts_are_malformed_rows() {
        let (s, out) = run(
            b"NIK,NAMA\n3174015708900123,A,EXTRA\n3174015708900123\n",
            OutputFormat::Csv,
        );
        assert_eq!(s.codes.get("MALFORMED_ROW"), Some(&2), "{out}");
    }

    #[test]
    fn missing_column_and_empty_file_are_errors() {
        let opts = ValidateOptions::new(Kind::Nik, "NIK");
        let e = validate_csv(&b"A,B\n1,2\n"[..], Vec::new(), &opts, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), Code::ColumnNotFound);
        assert!(e.to_string().contains("A,B"));
        let e = validate_csv(&b""[..], Vec::new(), &opts, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), Code::ColumnNotFound);
        let (s, _) = run(b"NIK\n", OutputFormat::Csv);
        assert_eq!(s.rows, 0);
    }

    #[test]
    fn column_of_truncated_numbers_is_flagged() {
        let mut input = String::from("NIK\n");
        for i in 0..200 {
            input.push_str(&format!("31740157089{:04}0\n", 100 + i));
        }
        let (s, _) = run(input.as_bytes(), OutputFormat::Csv);
        assert_eq!(s.column_warnings, ["COLUMN_SPREADSHEET_SUSPECTED"]);
        let mut input = String::from("NIK\n");
        for i in 0..200 {
            input.push_str(&format!("3174015708900{:03}\n", 100 + i));
        }
        let (s, _) = run(input.as_bytes(), OutputFormat::Csv);
        assert!(s.column_warnings.is_empty());
    }

    #[test]
    fn csv_columns_agree_with_json_on_every_vector() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/vectors/nik.json")).unwrap();
        let mut input = String::from("ID,NIK\n");
        let mut n = 0;
        for case in v["cases"].as_array().unwrap() {
            let s = case["input"].as_str().unwrap();
            if s.contains(['"', '\n', ',']) {
                continue;
            }
            n += 1;
            input.push_str(&format!("{n},{s}\n"));
        }
        let (_, csv_out) = run(input.as_bytes(), OutputFormat::Csv);
        let (_, json_out) = run(input.as_bytes(), OutputFormat::Jsonl);
        let mut rows = crate::csvio::RecordReader::new(csv_out.as_bytes(), b',');
        let header: Vec<String> = rows
            .next_record()
            .unwrap()
            .unwrap()
            .fields()
            .iter()
            .map(|f| f.text.to_string())
            .collect();
        let mut checked = 0;
        for line in json_out.lines() {
            let j: serde_json::Value = serde_json::from_str(line).unwrap();
            let rec = rows.next_record().unwrap().unwrap();
            let fields = rec.fields();
            for (h, f) in header.iter().zip(fields.iter()).skip(2) {
                let want = match &j[h.as_str()] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(a) => a
                        .iter()
                        .filter_map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join("|"),
                    other => other.to_string(),
                };
                assert_eq!(f.text, want, "column {h} of {line}");
            }
            checked += 1;
        }
        assert_eq!(checked, n);
        assert!(n > 60);
    }
}
