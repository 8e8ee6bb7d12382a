//! `sample.generate`: the deterministic sample-data generator on the libuv
//! thread pool.

use crate::error::{JsErr, Result, guard, reject, to_js};
use crate::validate::{JobProgress, ProgressFn};
use ktpel_core::sample::{self, ChangeKind, Config};
use napi::bindgen_prelude::{AsyncTask, Env};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::{Status, Task};
use napi_derive::napi;
use std::collections::HashMap;
use std::path::PathBuf;

/// Options of `sample.generate`.
#[napi(object)]
pub struct SampleOpts {
    /// Register rows (default 10000).
    pub population: Option<u32>,
    /// Agency-file rows (default 1000; 0 for none).
    pub agency: Option<u32>,
    /// Seed of every random choice (default 1).
    pub seed: Option<u32>,
}

/// What `sample.generate` wrote.
#[napi(object)]
pub struct SampleSummary {
    /// Rows of `population.csv`.
    pub register_rows: f64,
    /// Rows of `population_later.csv`.
    pub later_rows: f64,
    /// Rows of `agency.csv`.
    pub agency_rows: f64,
    /// Rows of `truth_changes.csv`.
    pub changes: f64,
    /// Changes per kind (`LAHIR`, `MATI`, …).
    pub changes_by_kind: HashMap<String, f64>,
    /// Agency rows without corruption.
    pub agency_clean: f64,
    /// The files written, relative to the output folder.
    pub files: Vec<String>,
}

/// One generator run.
pub struct SampleTask {
    dir: PathBuf,
    cfg: Config,
    progress: Option<ProgressFn>,
}

impl Task for SampleTask {
    type Output = std::result::Result<SampleSummary, JsErr>;
    type JsValue = SampleSummary;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let tsfn = self.progress.as_ref();
            let s = sample::write_all(&self.cfg, &self.dir, |rows| {
                if let Some(f) = tsfn {
                    f.call(
                        JobProgress {
                            rows: rows as f64,
                            bytes: 0.0,
                        },
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            })
            .map_err(to_js)?;
            Ok(SampleSummary {
                register_rows: s.register_rows as f64,
                later_rows: s.later_rows as f64,
                agency_rows: s.agency_rows as f64,
                changes: s.changes as f64,
                changes_by_kind: ChangeKind::ALL
                    .iter()
                    .zip(s.changes_by_kind)
                    .map(|(k, n)| (k.as_str().to_string(), n as f64))
                    .collect(),
                agency_clean: s.agency_clean as f64,
                files: sample::FILES.iter().map(|f| f.to_string()).collect(),
            })
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<SampleSummary> {
        output.map_err(|e| reject(&env, e))
    }
}

/// Generates the sample register, agency file and truth files into `outDir`.
#[napi(ts_return_type = "Promise<SampleSummary>")]
pub fn sample_generate(
    out_dir: String,
    opts: Option<SampleOpts>,
    progress: Option<ThreadsafeFunction<JobProgress, (), JobProgress, Status, false>>,
) -> Result<AsyncTask<SampleTask>> {
    guard(|| {
        let mut cfg = Config::default();
        if let Some(o) = opts {
            if let Some(p) = o.population {
                cfg.population = p as usize;
            }
            if let Some(a) = o.agency {
                cfg.agency = a as usize;
            }
            if let Some(s) = o.seed {
                cfg.seed = s.into();
            }
        }
        Ok(AsyncTask::new(SampleTask {
            dir: PathBuf::from(out_dir),
            cfg,
            progress,
        }))
    })
}
