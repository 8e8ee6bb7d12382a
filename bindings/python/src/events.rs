//! `events` (M-SINK): the snapshot diff file to file (with subscriptions
//! routing), apply, aggregates, routing, and the in-memory diff of CSV text.
//! Every function returns JSON text; the Python wrapper parses it.

use std::path::PathBuf;

use chrono::NaiveDate;
use ktpel_core::events::{
    self as core_events, AggregateOptions, DiffOptions, EventsError, Level, Period, Subscriptions,
};
use pyo3::prelude::*;

use crate::error::{Origin, catch_panic, invalid_argument, to_py};

fn ev_err(e: EventsError) -> PyErr {
    to_py(Origin::Events, e)
}

fn json(r: serde_json::Result<String>) -> PyResult<String> {
    r.map_err(|e| invalid_argument(Origin::Events, e))
}

/// Diffs two snapshot files; writes events, anomalies.jsonl, summary.json
/// (and per-agency files with `subscriptions`); returns the summary.
#[pyfunction]
#[pyo3(signature = (old, new, as_of, *, since=None, out=None, out_dir=None, subscriptions=None, memory_budget=None, temp_dir=None, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn events_diff(
    py: Python<'_>,
    old: PathBuf,
    new: PathBuf,
    as_of: NaiveDate,
    since: Option<NaiveDate>,
    out: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    subscriptions: Option<PathBuf>,
    memory_budget: Option<&str>,
    temp_dir: Option<PathBuf>,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let mut opts = DiffOptions::new(as_of);
    opts.since = since;
    opts.temp_dir = temp_dir;
    if let Some(b) = memory_budget {
        opts.memory_budget = ktpel_core::matching::parse_size(b)
            .map_err(|_| ev_err(EventsError::MemoryBudget(b.to_string())))?;
    }
    let subs = subscriptions
        .as_deref()
        .map(Subscriptions::load)
        .transpose()
        .map_err(ev_err)?;
    let mut callback_error: Option<PyErr> = None;
    let result = py.detach(|| {
        catch_panic(Origin::Events, || {
            core_events::run_diff(
                &old,
                &new,
                out.as_deref(),
                out_dir.as_deref(),
                subs.as_ref(),
                &opts,
                &mut |p| {
                    if let (Some(cb), None) = (&progress, &callback_error)
                        && let Err(e) =
                            Python::attach(|py| cb.call1(py, (p.phase, p.bytes, p.total_bytes)))
                    {
                        callback_error = Some(e);
                    }
                },
            )
        })
    })?;
    if let Some(e) = callback_error {
        return Err(e);
    }
    json(serde_json::to_string(&result.map_err(ev_err)?))
}

/// Diffs two snapshots given as CSV text, in memory; returns
/// `{"events", "anomalies", "summary"}`.
#[pyfunction]
#[pyo3(signature = (old_csv, new_csv, as_of, since=None))]
pub fn events_diff_csv(
    py: Python<'_>,
    old_csv: &str,
    new_csv: &str,
    as_of: NaiveDate,
    since: Option<NaiveDate>,
) -> PyResult<String> {
    let mut opts = DiffOptions::new(as_of);
    opts.since = since;
    let (o, n) = (old_csv.as_bytes().to_vec(), new_csv.as_bytes().to_vec());
    let out = py.detach(|| catch_panic(Origin::Events, || core_events::diff_csv(&o, &n, &opts)))?;
    let out = out.map_err(ev_err)?;
    json(serde_json::to_string(
        &serde_json::json!({ "events": out.events, "anomalies": out.anomalies, "summary": out.summary }),
    ))
}

/// Applies events to an agency CSV; returns the counts.
#[pyfunction]
pub fn events_apply(
    py: Python<'_>,
    data: PathBuf,
    events: PathBuf,
    out: PathBuf,
    log: PathBuf,
) -> PyResult<String> {
    let r = py.detach(|| {
        catch_panic(Origin::Events, || {
            core_events::apply_file(&data, &events, &out, &log)
        })
    })?;
    json(serde_json::to_string(&r.map_err(ev_err)?))
}

/// Aggregates an events file; returns the table (and writes it as CSV to `csv`).
#[pyfunction]
#[pyo3(signature = (events, level, period, csv=None))]
pub fn events_aggregate(
    py: Python<'_>,
    events: PathBuf,
    level: &str,
    period: &str,
    csv: Option<PathBuf>,
) -> PyResult<String> {
    let level = Level::from_name(level).ok_or_else(|| {
        invalid_argument(
            Origin::Events,
            format!("level {level:?}: use province, regency, district or village"),
        )
    })?;
    let period = Period::from_name(period).ok_or_else(|| {
        invalid_argument(
            Origin::Events,
            format!("period {period:?}: use day, month, year or YYYY-MM-DD..YYYY-MM-DD"),
        )
    })?;
    let a = py.detach(|| {
        catch_panic(Origin::Events, || {
            core_events::aggregate_file(&events, AggregateOptions { level, period })
        })
    })?;
    let a = a.map_err(ev_err)?;
    if let Some(p) = csv {
        let mut b = Vec::new();
        a.write_csv(&mut b)
            .and_then(|_| std::fs::write(&p, b))
            .map_err(|e| {
                ev_err(EventsError::Io {
                    path: p.display().to_string(),
                    source: e,
                })
            })?;
    }
    json(serde_json::to_string(&a))
}

/// Routes an events file to one file per agency; returns events per agency.
#[pyfunction]
pub fn events_route(
    py: Python<'_>,
    events: PathBuf,
    subscriptions: PathBuf,
    out_dir: PathBuf,
) -> PyResult<String> {
    let r = py.detach(|| {
        catch_panic(Origin::Events, || {
            let subs = Subscriptions::load(&subscriptions)?;
            core_events::route_file(&subs, &events, &out_dir)
        })
    })?;
    json(serde_json::to_string(&r.map_err(ev_err)?))
}

/// Registers the functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(events_diff, m)?)?;
    m.add_function(wrap_pyfunction!(events_diff_csv, m)?)?;
    m.add_function(wrap_pyfunction!(events_apply, m)?)?;
    m.add_function(wrap_pyfunction!(events_aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(events_route, m)?)?;
    Ok(())
}
