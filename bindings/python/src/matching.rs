//! `matching` (pemadanan): element verification of one record and the
//! batch job over two CSV files.

use std::path::PathBuf;

use chrono::NaiveDate;
use ktpel_core::matching::{
    self as core_matching, BatchOptions, Mapping, MatchError, Policy, Record,
};
use pyo3::prelude::*;

use crate::error::{Origin, catch_panic, invalid_argument, to_py};

fn match_err(e: MatchError) -> PyErr {
    to_py(Origin::Matching, e)
}

/// A policy from TOML text, or from JSON text (a dict on the Python side)
/// turned into the same TOML document.
fn policy(toml_text: Option<&str>, json_text: Option<&str>) -> PyResult<Policy> {
    match (toml_text, json_text) {
        (Some(t), None) => Policy::from_toml(t).map_err(match_err),
        (None, Some(j)) => {
            let v: serde_json::Value = serde_json::from_str(j)
                .map_err(|e| invalid_argument(Origin::Matching, format!("policy: {e}")))?;
            let t = toml::to_string(&v)
                .map_err(|e| invalid_argument(Origin::Matching, format!("policy: {e}")))?;
            Policy::from_toml(&t).map_err(match_err)
        }
        (None, None) => Ok(Policy::default()),
        (Some(_), Some(_)) => Err(invalid_argument(
            Origin::Matching,
            "policy: give TOML or a dict, not both",
        )),
    }
}

fn record(pairs: &[(String, String)]) -> (Record, Vec<core_matching::Finding>) {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Record::from_pairs(&refs)
}

/// Verifies one submitted record against the register's record (None: the
/// NIK was not found) under a policy; returns JSON text of `{"overall",
/// "elements" (by Dukcapil name: verdict, score, flag), "returned", "findings"}`.
#[pyfunction]
#[pyo3(signature = (submitted, reference=None, policy_toml=None, policy_json=None))]
pub fn match_verify(
    submitted: Vec<(String, String)>,
    reference: Option<Vec<(String, String)>>,
    policy_toml: Option<&str>,
    policy_json: Option<&str>,
) -> PyResult<String> {
    let policy = policy(policy_toml, policy_json)?;
    let (sub, findings) = record(&submitted);
    let reference = reference.map(|r| record(&r).0);
    let v = catch_panic(Origin::Matching, || {
        core_matching::verify(&sub, reference.as_ref(), &policy)
    })?;
    // Elements keyed by their Dukcapil column names, as in the vectors.
    let elements: serde_json::Map<String, serde_json::Value> = v
        .elements
        .iter()
        .map(|e| {
            (
                e.element.dukcapil().to_owned(),
                serde_json::json!({
                    "verdict": e.verdict.as_str(),
                    "score": e.score,
                    "flag": e.flag.map(|c| c.as_str()),
                }),
            )
        })
        .collect();
    let returned: serde_json::Map<String, serde_json::Value> = v
        .returned
        .iter()
        .map(|(e, s)| (e.dukcapil().to_owned(), serde_json::Value::from(s.as_str())))
        .collect();
    let findings: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "code": f.code.as_str(),
                "element": f.element.map(|e| e.dukcapil()),
                "column": f.column,
                "value": f.value,
            })
        })
        .collect();
    let out = serde_json::json!({
        "overall": v.overall.as_str(),
        "elements": elements,
        "returned": returned,
        "findings": findings,
    });
    Ok(out.to_string())
}

/// Checks a policy (TOML or JSON text); returns it as JSON text.
#[pyfunction]
#[pyo3(signature = (policy_toml=None, policy_json=None))]
pub fn match_policy(policy_toml: Option<&str>, policy_json: Option<&str>) -> PyResult<String> {
    let p = policy(policy_toml, policy_json)?;
    serde_json::to_string(&p).map_err(|e| invalid_argument(Origin::Matching, e))
}

/// The batch job: writes `hasil.csv`, `summary.json` (and `kandidat.csv` with
/// `recover`) into `out_dir`; returns the summary as JSON text.
#[pyfunction]
#[pyo3(signature = (agency, population, out_dir, *, policy_toml=None, policy_json=None, agency_mapping=None, population_mapping=None, reference_date=None, memory_budget=None, recover=false, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn match_batch(
    py: Python<'_>,
    agency: PathBuf,
    population: PathBuf,
    out_dir: PathBuf,
    policy_toml: Option<&str>,
    policy_json: Option<&str>,
    agency_mapping: Option<&str>,
    population_mapping: Option<&str>,
    reference_date: Option<NaiveDate>,
    memory_budget: Option<&str>,
    recover: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<String> {
    let mut opts = BatchOptions {
        policy: policy(policy_toml, policy_json)?,
        reference_date,
        recover,
        ..BatchOptions::default()
    };
    if let Some(m) = agency_mapping {
        opts.agency_mapping = Mapping::from_toml(m).map_err(match_err)?;
    }
    if let Some(m) = population_mapping {
        opts.population_mapping = Mapping::from_toml(m).map_err(match_err)?;
    }
    if let Some(b) = memory_budget {
        opts.memory_budget = Some(core_matching::parse_size(b).map_err(match_err)?);
    }
    let mut callback_error: Option<PyErr> = None;
    let result = py.detach(|| {
        catch_panic(Origin::Matching, || {
            core_matching::run_batch(&agency, &population, &out_dir, &opts, &mut |p| {
                if let (Some(cb), None) = (&progress, &callback_error) {
                    if let Err(e) = Python::attach(|py| cb.call1(py, (p.bytes, p.total_bytes))) {
                        callback_error = Some(e);
                    }
                }
            })
        })
    })?;
    if let Some(e) = callback_error {
        return Err(e);
    }
    let s = result.map_err(match_err)?;
    serde_json::to_string(&s).map_err(|e| invalid_argument(Origin::Matching, e))
}

/// Duplicate persons within one file: writes `duplikat.csv` and
/// `summary.json` into `out_dir`; returns the summary as JSON text.
#[pyfunction]
#[pyo3(signature = (path, out_dir, *, mapping=None, accept=None))]
pub fn match_dedupe(
    py: Python<'_>,
    path: PathBuf,
    out_dir: PathBuf,
    mapping: Option<&str>,
    accept: Option<f64>,
) -> PyResult<String> {
    let mut opts = core_matching::DedupeOptions::default();
    if let Some(m) = mapping {
        opts.mapping = Mapping::from_toml(m).map_err(match_err)?;
    }
    if let Some(a) = accept {
        if !(0.0..=1.0).contains(&a) {
            return Err(invalid_argument(
                Origin::Matching,
                format!("accept: {a} is not a probability in 0..=1"),
            ));
        }
        opts.accept = a;
    }
    let result = py.detach(|| {
        catch_panic(Origin::Matching, || {
            core_matching::run_dedupe(&path, &out_dir, &opts)
        })
    })?;
    let s = result.map_err(match_err)?;
    serde_json::to_string(&s).map_err(|e| invalid_argument(Origin::Matching, e))
}

/// Registers the functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(match_dedupe, m)?)?;
    m.add_function(wrap_pyfunction!(match_verify, m)?)?;
    m.add_function(wrap_pyfunction!(match_policy, m)?)?;
    m.add_function(wrap_pyfunction!(match_batch, m)?)?;
    Ok(())
}
