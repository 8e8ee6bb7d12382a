//! `validateFile`: a CSV validation run on the libuv thread pool.

use crate::error::{JsErr, Result, coded, guard, invalid_argument, reject, to_js};
use crate::nik::{CheckOpts, check_options};
use ktpel_core::Code;
use ktpel_core::validate::{self, Kind, OutputFormat, Progress, ValidateOptions};
use napi::bindgen_prelude::{AsyncTask, Env};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Status, Task};
use napi_derive::napi;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

/// Progress of a running job.
#[napi(object)]
#[derive(Clone, Copy)]
pub struct JobProgress {
    /// Rows done so far.
    pub rows: f64,
    /// Input bytes consumed so far.
    pub bytes: f64,
}

/// Options of `validateFile`.
#[napi(object)]
pub struct ValidateFileOpts {
    /// `"nik"` (default) or `"kk"`.
    pub kind: Option<String>,
    /// Header of the column to check; `"NIK"` / `"NO_KK"` by default.
    pub column: Option<String>,
    /// `"csv"` (default) or `"jsonl"`.
    pub format: Option<String>,
    /// One-character field delimiter; `,` by default.
    pub delimiter: Option<String>,
    /// Mode, reference date, birth year.
    pub check: Option<CheckOpts>,
}

/// Counts of a validation run; `valid + invalid == rows`.
#[napi(object)]
pub struct ValidateSummary {
    /// Data rows read (the header excluded).
    pub rows: f64,
    /// Rows whose number is valid (warnings allowed).
    pub valid: f64,
    /// Rows whose number is invalid or unreadable.
    pub invalid: f64,
    /// Invalid rows per error code.
    pub codes: HashMap<String, f64>,
    /// Rows per warning code.
    pub warnings: HashMap<String, f64>,
    /// Warnings about the whole column.
    pub column_warnings: Vec<String>,
    /// Input bytes read.
    pub bytes: f64,
}

fn counts(m: &BTreeMap<&'static str, u64>) -> HashMap<String, f64> {
    m.iter().map(|(k, v)| (k.to_string(), *v as f64)).collect()
}

/// The progress callback type: called with `{rows, bytes}` after each block.
pub type ProgressFn = ThreadsafeFunction<JobProgress, (), JobProgress, Status, false>;

/// The work of one `validateFile` call.
pub struct ValidateTask {
    input: String,
    output: String,
    opts: ValidateOptions,
    progress: Option<ProgressFn>,
}

impl Task for ValidateTask {
    type Output = std::result::Result<ValidateSummary, JsErr>;
    type JsValue = ValidateSummary;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let input = File::open(&self.input)
                .map_err(|e| coded(Code::Io, format!("input {:?}: {e}", self.input)))?;
            let output = File::create(&self.output)
                .map_err(|e| coded(Code::Io, format!("output {:?}: {e}", self.output)))?;
            let mut out = BufWriter::new(output);
            let tsfn = self.progress.as_ref();
            let mut report = |p: Progress| {
                if let Some(f) = tsfn {
                    f.call(
                        JobProgress {
                            rows: p.rows as f64,
                            bytes: p.bytes as f64,
                        },
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            };
            let summary =
                validate::validate_csv(BufReader::new(input), &mut out, &self.opts, &mut report)
                    .map_err(to_js)?;
            out.flush()
                .map_err(|e| coded(Code::Io, format!("output {:?}: {e}", self.output)))?;
            Ok(ValidateSummary {
                rows: summary.rows as f64,
                valid: summary.valid as f64,
                invalid: summary.invalid as f64,
                codes: counts(&summary.codes),
                warnings: counts(&summary.warnings),
                column_warnings: summary
                    .column_warnings
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                bytes: summary.bytes as f64,
            })
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<ValidateSummary> {
        output.map_err(|e| reject(&env, e))
    }
}

/// Validates the NIK or KK column of a CSV file, writing the verdict file;
/// resolves to the summary.
#[napi(ts_return_type = "Promise<ValidateSummary>")]
pub fn validate_file(
    input: String,
    output: String,
    opts: Option<ValidateFileOpts>,
    progress: Option<ThreadsafeFunction<JobProgress, (), JobProgress, Status, false>>,
) -> Result<AsyncTask<ValidateTask>> {
    guard(|| {
        let (kind, column, format, delimiter, check) = match opts {
            Some(o) => (o.kind, o.column, o.format, o.delimiter, o.check),
            None => (None, None, None, None, None),
        };
        let kind = match kind.as_deref() {
            None | Some("nik") => Kind::Nik,
            Some("kk") => Kind::Kk,
            Some(k) => {
                return Err(invalid_argument(
                    "kind",
                    format!("{k:?} is not \"nik\" or \"kk\""),
                ));
            }
        };
        let default_col = if kind == Kind::Nik { "NIK" } else { "NO_KK" };
        let mut o = ValidateOptions::new(kind, column.as_deref().unwrap_or(default_col));
        o.format = match format.as_deref() {
            None | Some("csv") => OutputFormat::Csv,
            Some("jsonl") => OutputFormat::Jsonl,
            Some(f) => {
                return Err(invalid_argument(
                    "format",
                    format!("{f:?} is not \"csv\" or \"jsonl\""),
                ));
            }
        };
        if let Some(d) = delimiter {
            match d.as_bytes() {
                [b] if b.is_ascii() => o.delimiter = *b,
                _ => return Err(invalid_argument("delimiter", "must be one ASCII character")),
            }
        }
        o.check = check_options(check)?;
        Ok(AsyncTask::new(ValidateTask {
            input,
            output,
            opts: o,
            progress,
        }))
    })
}
