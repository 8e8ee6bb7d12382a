//! `sample`: the deterministic sample-data generator (register, later
//! snapshot, agency file and their truth files).

use std::path::PathBuf;

use chrono::NaiveDate;
use ktpel_core::sample::{ChangeKind, Config, write_all};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{Origin, catch_panic, to_py};

/// Generates the sample files into `out_dir`; returns the counts as a dict.
/// `progress(register_rows_written)` is called as the register is written.
#[pyfunction]
#[pyo3(signature = (out_dir, *, population=10_000, agency=1_000, seed=1, as_of=None, later_as_of=None, deceased_fraction=None, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn sample_generate<'py>(
    py: Python<'py>,
    out_dir: PathBuf,
    population: usize,
    agency: usize,
    seed: u64,
    as_of: Option<NaiveDate>,
    later_as_of: Option<NaiveDate>,
    deceased_fraction: Option<f64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut cfg = Config {
        seed,
        population,
        agency,
        ..Config::default()
    };
    if let Some(d) = as_of {
        cfg.as_of = d;
    }
    if let Some(d) = later_as_of {
        cfg.later_as_of = d;
    }
    if let Some(f) = deceased_fraction {
        cfg.deceased_fraction = f;
    }
    let mut callback_error: Option<PyErr> = None;
    let result = py.detach(|| {
        catch_panic(Origin::Sample, || {
            write_all(&cfg, &out_dir, |rows| {
                if let (Some(cb), None) = (&progress, &callback_error) {
                    if let Err(e) = Python::attach(|py| cb.call1(py, (rows,))) {
                        callback_error = Some(e);
                    }
                }
            })
        })
    })?;
    if let Some(e) = callback_error {
        return Err(e);
    }
    let s = result.map_err(|e| to_py(Origin::Sample, e))?;
    let d = PyDict::new(py);
    d.set_item("register_rows", s.register_rows)?;
    d.set_item("later_rows", s.later_rows)?;
    d.set_item("agency_rows", s.agency_rows)?;
    d.set_item("agency_clean", s.agency_clean)?;
    d.set_item("changes", s.changes)?;
    let by_kind = PyDict::new(py);
    for (k, n) in ChangeKind::ALL.iter().zip(s.changes_by_kind) {
        by_kind.set_item(k.as_str(), n)?;
    }
    d.set_item("changes_by_kind", by_kind)?;
    let files: Vec<String> = ktpel_core::sample::FILES
        .iter()
        .map(|f| out_dir.join(f).display().to_string())
        .collect();
    d.set_item("files", files)?;
    Ok(d)
}

/// Registers the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sample_generate, m)?)?;
    Ok(())
}
