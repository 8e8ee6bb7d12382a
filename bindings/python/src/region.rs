//! `region`: the Kemendagri region table and the BPS bridge.

use ktpel_core::region::{self as core_region, Level, Region, RegionCode, RegionStatus};
use pyo3::prelude::*;

use crate::error::{Origin, invalid_argument, to_py};

/// One region of the table.
#[pyclass(frozen, eq, module = "ktpel._ktpel", name = "Region")]
#[derive(PartialEq)]
pub struct PyRegion(Region);

#[pymethods]
impl PyRegion {
    /// Dotted code, e.g. `31.74.01`.
    #[getter]
    fn code(&self) -> String {
        self.0.code.to_string()
    }
    /// Plain digits, e.g. `317401`.
    #[getter]
    fn digits(&self) -> String {
        self.0.code.digits()
    }
    /// `PROVINCE`, `REGENCY`, `DISTRICT` or `VILLAGE`.
    #[getter]
    fn level(&self) -> &'static str {
        self.0.code.level().as_str()
    }
    /// Name in the newest snapshot that has the code.
    #[getter]
    fn name(&self) -> &'static str {
        self.0.name
    }
    /// `CURRENT` or `HISTORIC`.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }
    /// For a historic code, where the region went (dotted), if known.
    #[getter]
    fn successor(&self) -> Option<String> {
        successor(&self.0.status)
    }
    /// Years of the snapshots that contain the code.
    #[getter]
    fn years(&self) -> Vec<u16> {
        self.0.years().collect()
    }
    /// Kelurahan (True) or desa (False); None above the village level.
    #[getter]
    fn is_kelurahan(&self) -> Option<bool> {
        self.0.is_kelurahan()
    }
    /// The enclosing code (dotted), None for a province.
    #[getter]
    fn parent(&self) -> Option<String> {
        self.0.code.parent().map(|c| c.to_string())
    }
    fn __repr__(&self) -> String {
        format!(
            "Region(code={:?}, name={:?}, status={:?})",
            self.code(),
            self.0.name,
            self.status()
        )
    }
}

fn successor(s: &RegionStatus) -> Option<String> {
    match s {
        RegionStatus::Historic { successor } => successor.map(|c| c.to_string()),
        _ => None,
    }
}

fn level(s: &str) -> PyResult<Level> {
    match s.to_ascii_uppercase().as_str() {
        "PROVINCE" => Ok(Level::Province),
        "REGENCY" => Ok(Level::Regency),
        "DISTRICT" => Ok(Level::District),
        "VILLAGE" => Ok(Level::Village),
        _ => Err(invalid_argument(
            Origin::Region,
            format!("level: {s:?} is not PROVINCE, REGENCY, DISTRICT or VILLAGE"),
        )),
    }
}

/// Looks up a code (dotted or plain); raises RegionError.
#[pyfunction]
pub fn region_lookup(code: &str) -> PyResult<PyRegion> {
    core_region::lookup(code)
        .map(PyRegion)
        .map_err(|e| to_py(Origin::Region, e))
}

/// `(status, successor)`: status `CURRENT`, `HISTORIC` or `UNKNOWN`.
#[pyfunction]
pub fn region_status(code: &str) -> PyResult<(&'static str, Option<String>)> {
    let s = core_region::status(code).map_err(|e| to_py(Origin::Region, e))?;
    Ok((s.as_str(), successor(&s)))
}

/// Regions directly below `code` (None: the provinces).
#[pyfunction]
#[pyo3(signature = (code=None))]
pub fn region_children(code: Option<&str>) -> PyResult<Vec<PyRegion>> {
    let code = code
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| to_py(Origin::Region, e))?;
    Ok(core_region::children(code)
        .into_iter()
        .map(PyRegion)
        .collect())
}

/// Regions by name.
#[pyfunction]
#[pyo3(signature = (query, level=None, prefix=false))]
pub fn region_search(query: &str, level: Option<&str>, prefix: bool) -> PyResult<Vec<PyRegion>> {
    let level = level.map(self::level).transpose()?;
    Ok(core_region::search(query, level, prefix)
        .into_iter()
        .map(PyRegion)
        .collect())
}

/// Kemendagri → BPS.
#[pyfunction]
pub fn region_to_bps(code: &str) -> PyResult<String> {
    core_region::to_bps(code).map_err(|e| to_py(Origin::Region, e))
}

/// BPS → Kemendagri (dotted).
#[pyfunction]
pub fn region_from_bps(code: &str) -> PyResult<String> {
    core_region::from_bps(code)
        .map(|c| c.to_string())
        .map_err(|e| to_py(Origin::Region, e))
}

/// Years of the embedded snapshots.
#[pyfunction]
pub fn region_snapshot_years() -> Vec<u16> {
    core_region::snapshot_years()
}

/// Registers the functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRegion>()?;
    m.add_function(wrap_pyfunction!(region_lookup, m)?)?;
    m.add_function(wrap_pyfunction!(region_status, m)?)?;
    m.add_function(wrap_pyfunction!(region_children, m)?)?;
    m.add_function(wrap_pyfunction!(region_search, m)?)?;
    m.add_function(wrap_pyfunction!(region_to_bps, m)?)?;
    m.add_function(wrap_pyfunction!(region_from_bps, m)?)?;
    m.add_function(wrap_pyfunction!(region_snapshot_years, m)?)?;
    Ok(())
}
