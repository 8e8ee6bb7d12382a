//! Change events (M-SINK): the snapshot diff (with subscriptions routing),
//! apply, aggregates and routing as Promises on the libuv thread pool, and
//! the in-memory diff of two CSV texts.

use crate::error::{JsErr, Result, guard, invalid_argument, reject, to_js};
use crate::nik::parse_date;
use ktpel_core::events::{self, AggregateOptions, DiffOptions, Level, Period, Subscriptions};
use napi::bindgen_prelude::{AsyncTask, Env};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Status, Task};
use napi_derive::napi;
use serde_json::Value;
use std::path::PathBuf;

/// Options of `events.diff`.
#[napi(object)]
pub struct DiffOpts {
    /// As-of date of the new snapshot (ISO), required.
    pub as_of: String,
    /// Start of the period (ISO); default: the latest birth date in the old snapshot.
    pub since: Option<String>,
    /// Events file (JSON lines); default `outDir/events.jsonl`.
    pub out: Option<String>,
    /// Output directory (anomalies.jsonl, summary.json, per-agency files).
    pub out_dir: Option<String>,
    /// Subscriptions TOML file: route per agency in the same pass.
    pub subscriptions: Option<String>,
    /// Memory budget for unsorted input, e.g. `"2G"`.
    pub memory_budget: Option<String>,
}

/// Progress of a diff.
#[napi(object)]
pub struct DiffProgress {
    /// `scan`, `merge`, `partition` or `diff`.
    pub phase: String,
    /// Done (bytes; partitions in `diff`).
    pub done: f64,
    /// Total.
    pub total: f64,
}

type DiffProgressFn = ThreadsafeFunction<DiffProgress, (), DiffProgress, Status, false>;

/// What an events task does.
pub enum Job {
    /// `events.diff`.
    Diff {
        /// Old snapshot.
        old: PathBuf,
        /// New snapshot.
        new: PathBuf,
        /// Events file.
        out: Option<PathBuf>,
        /// Output directory.
        out_dir: Option<PathBuf>,
        /// Subscriptions.
        subs: Option<Subscriptions>,
        /// Options.
        opts: DiffOptions,
    },
    /// `events.apply`.
    Apply([PathBuf; 4]),
    /// `events.aggregate`.
    Aggregate(PathBuf, AggregateOptions, Option<PathBuf>),
    /// `events.route`.
    Route(PathBuf, Subscriptions, PathBuf),
}

/// One events job on the thread pool.
pub struct EventsTask {
    job: Job,
    progress: Option<DiffProgressFn>,
}

fn json(v: serde_json::Result<Value>) -> std::result::Result<Value, JsErr> {
    v.map_err(|e| invalid_argument("result", e))
}

impl Task for EventsTask {
    type Output = std::result::Result<Value, JsErr>;
    type JsValue = crate::qr::Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| match &self.job {
            Job::Diff {
                old,
                new,
                out,
                out_dir,
                subs,
                opts,
            } => {
                let tsfn = self.progress.as_ref();
                let mut report = |p: events::DiffProgress| {
                    if let Some(f) = tsfn {
                        f.call(
                            DiffProgress {
                                phase: p.phase.into(),
                                done: p.bytes as f64,
                                total: p.total_bytes as f64,
                            },
                            ThreadsafeFunctionCallMode::NonBlocking,
                        );
                    }
                };
                let s = events::run_diff(
                    old,
                    new,
                    out.as_deref(),
                    out_dir.as_deref(),
                    subs.as_ref(),
                    opts,
                    &mut report,
                )
                .map_err(to_js)?;
                json(serde_json::to_value(&s))
            }
            Job::Apply([data, ev, out, log]) => json(serde_json::to_value(
                events::apply_file(data, ev, out, log).map_err(to_js)?,
            )),
            Job::Aggregate(ev, opts, csv) => {
                let a = events::aggregate_file(ev, *opts).map_err(to_js)?;
                if let Some(p) = csv {
                    let mut b = Vec::new();
                    a.write_csv(&mut b)
                        .and_then(|_| std::fs::write(p, b))
                        .map_err(|e| {
                            to_js(events::EventsError::Io {
                                path: p.display().to_string(),
                                source: e,
                            })
                        })?;
                }
                json(serde_json::to_value(&a))
            }
            Job::Route(ev, subs, dir) => json(serde_json::to_value(
                events::route_file(subs, ev, dir).map_err(to_js)?,
            )),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<crate::qr::Json> {
        output.map(crate::qr::Json).map_err(|e| reject(&env, e))
    }
}

/// Diffs two register snapshot CSV files into typed events; resolves to the
/// summary (`summary.json`).
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn events_diff(
    old_path: String,
    new_path: String,
    opts: DiffOpts,
    progress: Option<ThreadsafeFunction<DiffProgress, (), DiffProgress, Status, false>>,
) -> Result<AsyncTask<EventsTask>> {
    guard(|| {
        let mut o = DiffOptions::new(parse_date("asOf", &opts.as_of)?);
        o.since = opts
            .since
            .as_deref()
            .map(|s| parse_date("since", s))
            .transpose()?;
        if let Some(b) = opts.memory_budget.as_deref() {
            o.memory_budget = ktpel_core::matching::parse_size(b).map_err(to_js)?;
        }
        let subs = opts
            .subscriptions
            .as_deref()
            .map(|p| Subscriptions::load(p.as_ref()))
            .transpose()
            .map_err(to_js)?;
        Ok(AsyncTask::new(EventsTask {
            job: Job::Diff {
                old: old_path.into(),
                new: new_path.into(),
                out: opts.out.map(Into::into),
                out_dir: opts.out_dir.map(Into::into),
                subs,
                opts: o,
            },
            progress,
        }))
    })
}

/// Applies events to an agency CSV (idempotent), writing `out` and the
/// change log `log`; resolves to the counts.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn events_apply(
    data: String,
    events: String,
    out: String,
    log: String,
) -> Result<AsyncTask<EventsTask>> {
    Ok(AsyncTask::new(EventsTask {
        job: Job::Apply([data.into(), events.into(), out.into(), log.into()]),
        progress: None,
    }))
}

/// Counts an events file by M-SINK category × region level × period;
/// resolves to the table (also written as CSV to `csv` when given).
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn events_aggregate(
    events: String,
    level: String,
    period: String,
    csv: Option<String>,
) -> Result<AsyncTask<EventsTask>> {
    guard(|| {
        let level = Level::from_name(&level).ok_or_else(|| {
            invalid_argument(
                "level",
                format!("{level:?}: use province, regency, district or village"),
            )
        })?;
        let period = Period::from_name(&period).ok_or_else(|| {
            invalid_argument(
                "period",
                format!("{period:?}: use day, month, year or YYYY-MM-DD..YYYY-MM-DD"),
            )
        })?;
        Ok(AsyncTask::new(EventsTask {
            job: Job::Aggregate(
                events.into(),
                AggregateOptions { level, period },
                csv.map(Into::into),
            ),
            progress: None,
        }))
    })
}

/// Routes an events file to one `<agency>.jsonl` per agency (one read);
/// resolves to the events written per agency.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn events_route(
    events: String,
    subscriptions: String,
    out_dir: String,
) -> Result<AsyncTask<EventsTask>> {
    guard(|| {
        let subs = Subscriptions::load(subscriptions.as_ref()).map_err(to_js)?;
        Ok(AsyncTask::new(EventsTask {
            job: Job::Route(events.into(), subs, out_dir.into()),
            progress: None,
        }))
    })
}

/// Diffs two small snapshots given as CSV text, in memory: `{events,
/// anomalies, summary}`.
#[napi(ts_return_type = "Record<string, any>")]
pub fn events_diff_csv(
    old_csv: String,
    new_csv: String,
    as_of: String,
    since: Option<String>,
) -> Result<crate::qr::Json> {
    guard(|| {
        let mut o = DiffOptions::new(parse_date("asOf", &as_of)?);
        o.since = since
            .as_deref()
            .map(|s| parse_date("since", s))
            .transpose()?;
        let out = events::diff_csv(old_csv.as_bytes(), new_csv.as_bytes(), &o).map_err(to_js)?;
        Ok(crate::qr::Json(serde_json::json!({
            "events": out.events, "anomalies": out.anomalies, "summary": out.summary
        })))
    })
}
