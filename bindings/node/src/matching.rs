//! Matching (pemadanan): one-record verification and the batch job on the
//! libuv thread pool with progress.

use crate::error::{JsErr, Result, guard, invalid_argument, reject, to_js};
use crate::nik::parse_date;
use ktpel_core::matching::{self, BatchOptions, Phase, Policy, Record};
use napi::bindgen_prelude::{AsyncTask, Env};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Status, Task};
use napi_derive::napi;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// A record from column name → text; values that cannot be read (a date
/// in an unknown format) are left empty, as in a batch, so they verify as
/// `TIDAK_DIISI` rather than failing the call.
fn record(fields: &HashMap<String, String>) -> Record {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Record::from_pairs(&pairs).0
}

fn policy(toml: Option<&str>) -> Result<Policy> {
    match toml {
        None => Ok(Policy::default()),
        Some(t) => Policy::from_toml(t).map_err(to_js),
    }
}

/// The verdict on one element.
#[napi(object, use_nullable = true)]
pub struct ElementVerdict {
    /// Dukcapil element name, e.g. `NAMA_LGKP`.
    pub element: String,
    /// `SESUAI`, `TIDAK_SESUAI` or `TIDAK_DIISI`.
    pub verdict: String,
    /// Score in [0, 1] (0 when not compared).
    pub score: f64,
    /// Flag on an agreeing element, e.g. `DAY_MONTH_SWAPPED`.
    pub flag: Option<String>,
}

/// One returned reference element (PKS allow-list order).
#[napi(object)]
pub struct ReturnedElement {
    /// Dukcapil element name.
    pub element: String,
    /// The register's value.
    pub value: String,
}

/// Result of `matching.verify`.
#[napi(object)]
pub struct VerificationInfo {
    /// `SESUAI`, `TIDAK_SESUAI` or `NIK_TIDAK_DITEMUKAN`.
    pub overall: String,
    /// One verdict per policy rule, in policy order.
    pub elements: Vec<ElementVerdict>,
    /// The reference elements the agency may receive.
    pub returned: Vec<ReturnedElement>,
}

/// Verifies a submitted record (Dukcapil column name → text) against the
/// register record with the same NIK (`null` when none), under the default
/// policy or `policyToml`.
#[napi]
pub fn matching_verify(
    submitted: HashMap<String, String>,
    reference: Option<HashMap<String, String>>,
    policy_toml: Option<String>,
) -> Result<VerificationInfo> {
    guard(|| {
        let sub = record(&submitted);
        let reference = reference.as_ref().map(record);
        let v = matching::verify(&sub, reference.as_ref(), &policy(policy_toml.as_deref())?);
        Ok(VerificationInfo {
            overall: v.overall.as_str().into(),
            elements: v
                .elements
                .iter()
                .map(|e| ElementVerdict {
                    element: e.element.dukcapil().into(),
                    verdict: e.verdict.as_str().into(),
                    score: e.score,
                    flag: e.flag.map(|c| c.as_str().into()),
                })
                .collect(),
            returned: v
                .returned
                .into_iter()
                .map(|(e, value)| ReturnedElement {
                    element: e.dukcapil().into(),
                    value,
                })
                .collect(),
        })
    })
}

/// Options of `matching.run`.
#[napi(object)]
pub struct MatchOpts {
    /// Reference date of the NIK check (ISO); today by default.
    pub reference_date: Option<String>,
    /// Memory budget of the in-memory register, e.g. `"512M"`.
    pub memory_budget: Option<String>,
    /// Try to recover the NIK of unmatched rows.
    pub recover: Option<bool>,
    /// The agreed element combination as TOML (default policy otherwise).
    pub policy_toml: Option<String>,
}

/// Progress of a batch match.
#[napi(object)]
pub struct MatchProgress {
    /// `POPULATION`, `AGENCY` or `MERGE`.
    pub phase: String,
    /// Pass (0-based).
    pub pass: u32,
    /// Number of passes.
    pub passes: u32,
    /// Bytes done over the whole job.
    pub bytes: f64,
    /// Bytes the whole job reads.
    pub total_bytes: f64,
}

type MatchProgressFn = ThreadsafeFunction<MatchProgress, (), MatchProgress, Status, false>;

/// One batch match.
pub struct MatchTask {
    agency: PathBuf,
    population: PathBuf,
    out_dir: PathBuf,
    opts: BatchOptions,
    progress: Option<MatchProgressFn>,
}

impl Task for MatchTask {
    type Output = std::result::Result<Value, JsErr>;
    type JsValue = crate::qr::Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let tsfn = self.progress.as_ref();
            let mut report = |p: matching::BatchProgress| {
                if let Some(f) = tsfn {
                    let phase = match p.phase {
                        Phase::Population => "POPULATION",
                        Phase::Agency => "AGENCY",
                        _ => "MERGE",
                    };
                    f.call(
                        MatchProgress {
                            phase: phase.into(),
                            pass: p.pass as u32,
                            passes: p.passes as u32,
                            bytes: p.bytes as f64,
                            total_bytes: p.total_bytes as f64,
                        },
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            };
            let s = matching::run_batch(
                &self.agency,
                &self.population,
                &self.out_dir,
                &self.opts,
                &mut report,
            )
            .map_err(to_js)?;
            serde_json::to_value(&s).map_err(|e| invalid_argument("summary", e))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<crate::qr::Json> {
        output.map(crate::qr::Json).map_err(|e| reject(&env, e))
    }
}

/// Runs batch pemadanan of an agency CSV against the register CSV, writing
/// the result files into `outDir`; resolves to the summary (the core's
/// `summary.json` fields).
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn matching_run(
    agency: String,
    population: String,
    out_dir: String,
    opts: Option<MatchOpts>,
    progress: Option<ThreadsafeFunction<MatchProgress, (), MatchProgress, Status, false>>,
) -> Result<AsyncTask<MatchTask>> {
    guard(|| {
        let mut o = BatchOptions::default();
        if let Some(m) = opts {
            o.reference_date = m
                .reference_date
                .as_deref()
                .map(|s| parse_date("referenceDate", s))
                .transpose()?;
            o.memory_budget = m
                .memory_budget
                .as_deref()
                .map(matching::parse_size)
                .transpose()
                .map_err(to_js)?;
            o.recover = m.recover.unwrap_or(false);
            o.policy = policy(m.policy_toml.as_deref())?;
        }
        Ok(AsyncTask::new(MatchTask {
            agency: agency.into(),
            population: population.into(),
            out_dir: out_dir.into(),
            opts: o,
            progress,
        }))
    })
}

/// Options of `matching.dedupe`.
#[napi(object)]
pub struct DedupeOpts {
    /// Column mapping as TOML (Dukcapil column names by default).
    pub mapping_toml: Option<String>,
    /// Lowest match probability of a "same person" pair (default 0.99).
    pub accept: Option<f64>,
}

/// One duplicate-person search.
pub struct DedupeTask {
    path: PathBuf,
    out_dir: PathBuf,
    opts: matching::DedupeOptions,
}

impl Task for DedupeTask {
    type Output = std::result::Result<Value, JsErr>;
    type JsValue = crate::qr::Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let s = matching::run_dedupe(&self.path, &self.out_dir, &self.opts).map_err(to_js)?;
            serde_json::to_value(&s).map_err(|e| invalid_argument("summary", e))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<crate::qr::Json> {
        output.map(crate::qr::Json).map_err(|e| reject(&env, e))
    }
}

/// Finds duplicate persons within one CSV file (one NIK used by two persons,
/// one person under two NIKs), writing `duplikat.csv` and `summary.json`
/// into `outDir`; resolves to the summary.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn matching_dedupe(
    path: String,
    out_dir: String,
    opts: Option<DedupeOpts>,
) -> Result<AsyncTask<DedupeTask>> {
    guard(|| {
        let mut o = matching::DedupeOptions::default();
        if let Some(d) = opts {
            if let Some(m) = d.mapping_toml.as_deref() {
                o.mapping = matching::Mapping::from_toml(m).map_err(to_js)?;
            }
            if let Some(a) = d.accept {
                if !(0.0..=1.0).contains(&a) {
                    return Err(invalid_argument(
                        "accept",
                        format!("{a} is not a probability in 0..=1"),
                    ));
                }
                o.accept = a;
            }
        }
        Ok(AsyncTask::new(DedupeTask {
            path: path.into(),
            out_dir: out_dir.into(),
            opts: o,
        }))
    })
}
