//! `nik` and `kk`: checks, parsing and batch checks.

use chrono::NaiveDate;
use ktpel_core::kk as core_kk;
use ktpel_core::nik as core_nik;
use ktpel_core::nik::{CheckOptions, Mode};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::error::{Origin, invalid_argument, to_py};

/// Builds core options from the Python keyword arguments.
pub fn options(
    origin: Origin,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<CheckOptions> {
    let mode = match mode {
        "strict" => Mode::Strict,
        "lenient" => Mode::Lenient,
        other => {
            return Err(invalid_argument(
                origin,
                format!("mode: {other:?} is not \"strict\" or \"lenient\""),
            ));
        }
    };
    Ok(CheckOptions {
        mode,
        reference_date,
        birth_year,
    })
}

fn warnings(w: ktpel_core::nik::Warnings) -> Vec<&'static str> {
    w.iter().map(|c| c.as_str()).collect()
}

/// The result of `ktpel.nik.check`: verdict, first error, warnings, decoded fields.
#[pyclass(frozen, eq, module = "ktpel._ktpel", name = "NikCheck")]
#[derive(PartialEq)]
pub struct PyNikCheck(pub core_nik::NikCheck);

#[pymethods]
impl PyNikCheck {
    /// Whether the NIK is valid (warnings allowed).
    #[getter]
    fn valid(&self) -> bool {
        self.0.is_valid()
    }
    /// The stable code of the first error, or None.
    #[getter]
    fn code(&self) -> Option<&'static str> {
        self.0.code().map(|c| c.as_str())
    }
    /// The message of the first error, or None.
    #[getter]
    fn message(&self) -> Option<String> {
        self.0.error().map(|e| e.to_string())
    }
    /// Warning codes, in code order.
    #[getter]
    fn warnings(&self) -> Vec<&'static str> {
        warnings(self.0.warnings())
    }
    /// The 16 digits (after lenient clean-up), or None.
    #[getter]
    fn normalized(&self) -> Option<&str> {
        self.0.normalized()
    }
    /// Province code, 2 digits.
    #[getter]
    fn province_code(&self) -> Option<String> {
        self.0.province_code().map(|v| format!("{v:02}"))
    }
    /// Regency code, 4 digits.
    #[getter]
    fn regency_code(&self) -> Option<String> {
        self.0.regency_code().map(|v| format!("{v:04}"))
    }
    /// District code, 6 digits.
    #[getter]
    fn district_code(&self) -> Option<String> {
        self.0.district_code().map(|v| format!("{v:06}"))
    }
    /// Province name.
    #[getter]
    fn province_name(&self) -> Option<&'static str> {
        self.0.province_name()
    }
    /// Regency name.
    #[getter]
    fn regency_name(&self) -> Option<&'static str> {
        self.0.regency_name()
    }
    /// District name.
    #[getter]
    fn district_name(&self) -> Option<&'static str> {
        self.0.district_name()
    }
    /// Birth date.
    #[getter]
    fn birth_date(&self) -> Option<NaiveDate> {
        self.0.birth_date()
    }
    /// `L` or `P`.
    #[getter]
    fn sex(&self) -> Option<&'static str> {
        self.0.sex().map(|s| s.as_str())
    }
    /// Both 19YY and 20YY were possible.
    #[getter]
    fn century_ambiguous(&self) -> bool {
        self.0.century_ambiguous()
    }
    /// Serial, 4 digits.
    #[getter]
    fn serial(&self) -> Option<String> {
        self.0.serial().map(|v| format!("{v:04}"))
    }
    /// All fields as a dict (dates as `datetime.date`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("valid", self.valid())?;
        d.set_item("code", self.code())?;
        d.set_item("message", self.message())?;
        d.set_item("warnings", self.warnings())?;
        d.set_item("normalized", self.normalized())?;
        d.set_item("province_code", self.province_code())?;
        d.set_item("regency_code", self.regency_code())?;
        d.set_item("district_code", self.district_code())?;
        d.set_item("province_name", self.province_name())?;
        d.set_item("regency_name", self.regency_name())?;
        d.set_item("district_name", self.district_name())?;
        d.set_item("sex", self.sex())?;
        d.set_item("birth_date", self.birth_date())?;
        d.set_item("century_ambiguous", self.century_ambiguous())?;
        d.set_item("serial", self.serial())?;
        Ok(d)
    }
    fn __bool__(&self) -> bool {
        self.0.is_valid()
    }
    fn __repr__(&self) -> String {
        match (self.0.normalized(), self.code()) {
            (Some(n), None) => format!(
                "NikCheck(valid=True, normalized={n:?}, warnings={:?})",
                self.warnings()
            ),
            (_, code) => format!("NikCheck(valid=False, code={:?})", code.unwrap_or("")),
        }
    }
}

/// The result of `ktpel.kk.check`.
#[pyclass(frozen, eq, module = "ktpel._ktpel", name = "KkCheck")]
#[derive(PartialEq)]
pub struct PyKkCheck(pub core_kk::KkCheck);

#[pymethods]
impl PyKkCheck {
    /// Whether the KK number is valid (warnings allowed).
    #[getter]
    fn valid(&self) -> bool {
        self.0.is_valid()
    }
    /// The stable code of the first error, or None.
    #[getter]
    fn code(&self) -> Option<&'static str> {
        self.0.code().map(|c| c.as_str())
    }
    /// The message of the first error, or None.
    #[getter]
    fn message(&self) -> Option<String> {
        self.0.error().map(|e| e.to_string())
    }
    /// Warning codes.
    #[getter]
    fn warnings(&self) -> Vec<&'static str> {
        warnings(self.0.warnings())
    }
    /// The 16 digits, or None.
    #[getter]
    fn normalized(&self) -> Option<&str> {
        self.0.normalized()
    }
    /// District code, 6 digits.
    #[getter]
    fn district_code(&self) -> Option<String> {
        self.0.district_code().map(|v| format!("{v:06}"))
    }
    /// District name.
    #[getter]
    fn district_name(&self) -> Option<&'static str> {
        self.0.district_name()
    }
    /// Issue date of the family card.
    #[getter]
    fn issue_date(&self) -> Option<NaiveDate> {
        self.0.issue_date()
    }
    /// Both 19YY and 20YY were possible.
    #[getter]
    fn century_ambiguous(&self) -> bool {
        self.0.century_ambiguous()
    }
    /// Serial, 4 digits.
    #[getter]
    fn serial(&self) -> Option<String> {
        self.0.serial().map(|v| format!("{v:04}"))
    }
    /// All fields as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("valid", self.valid())?;
        d.set_item("code", self.code())?;
        d.set_item("message", self.message())?;
        d.set_item("warnings", self.warnings())?;
        d.set_item("normalized", self.normalized())?;
        d.set_item("district_code", self.district_code())?;
        d.set_item("district_name", self.district_name())?;
        d.set_item("issue_date", self.issue_date())?;
        d.set_item("century_ambiguous", self.century_ambiguous())?;
        d.set_item("serial", self.serial())?;
        Ok(d)
    }
    fn __bool__(&self) -> bool {
        self.0.is_valid()
    }
    fn __repr__(&self) -> String {
        match (self.0.normalized(), self.code()) {
            (Some(n), None) => format!("KkCheck(valid=True, normalized={n:?})"),
            (_, code) => format!("KkCheck(valid=False, code={:?})", code.unwrap_or("")),
        }
    }
}

/// Checks one NIK.
#[pyfunction]
#[pyo3(signature = (s, mode="strict", reference_date=None, birth_year=None))]
pub fn nik_check(
    s: &str,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<PyNikCheck> {
    let opts = options(Origin::Nik, mode, reference_date, birth_year)?;
    Ok(PyNikCheck(core_nik::check_with(s, &opts)))
}

/// Parses one NIK; raises NikError. Returns the normalized digits.
#[pyfunction]
#[pyo3(signature = (s, mode="strict", reference_date=None, birth_year=None))]
pub fn nik_parse(
    s: &str,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<PyNikCheck> {
    let opts = options(Origin::Nik, mode, reference_date, birth_year)?;
    core_nik::Nik::parse_with(s, &opts).map_err(|e| to_py(Origin::Nik, e))?;
    Ok(PyNikCheck(core_nik::check_with(s, &opts)))
}

/// Reads an iterable of values into strings: `str` as is, `None` as empty,
/// anything else through `str()` (so spreadsheet floats are reported, not lost).
fn strings(values: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let mut out = Vec::with_capacity(values.len().unwrap_or(0));
    for item in values.try_iter()? {
        let item = item?;
        if let Ok(s) = item.cast::<PyString>() {
            out.push(s.to_cow()?.into_owned());
        } else if item.is_none() {
            out.push(String::new());
        } else {
            out.push(item.str()?.to_cow()?.into_owned());
        }
    }
    Ok(out)
}

/// Checks many NIKs in parallel without the GIL.
#[pyfunction]
#[pyo3(signature = (values, mode="strict", reference_date=None, birth_year=None))]
pub fn nik_check_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<Vec<PyNikCheck>> {
    let opts = options(Origin::Nik, mode, reference_date, birth_year)?;
    let inputs = strings(values)?;
    let checks = py.detach(|| core_nik::check_many(&inputs, &opts));
    Ok(checks.into_iter().map(PyNikCheck).collect())
}

/// Checks many NIKs without the GIL; returns only the codes (None = valid).
#[pyfunction]
#[pyo3(signature = (values, mode="strict", reference_date=None, birth_year=None))]
pub fn nik_codes_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<Vec<Option<&'static str>>> {
    let opts = options(Origin::Nik, mode, reference_date, birth_year)?;
    let inputs = strings(values)?;
    let checks = py.detach(|| core_nik::check_many(&inputs, &opts));
    Ok(checks
        .iter()
        .map(|c| c.code().map(|c| c.as_str()))
        .collect())
}

/// Checks one KK number.
#[pyfunction]
#[pyo3(signature = (s, mode="strict", reference_date=None))]
pub fn kk_check(s: &str, mode: &str, reference_date: Option<NaiveDate>) -> PyResult<PyKkCheck> {
    let opts = options(Origin::Kk, mode, reference_date, None)?;
    Ok(PyKkCheck(core_kk::check_with(s, &opts)))
}

/// Parses one KK number; raises KkError.
#[pyfunction]
#[pyo3(signature = (s, mode="strict", reference_date=None))]
pub fn kk_parse(s: &str, mode: &str, reference_date: Option<NaiveDate>) -> PyResult<PyKkCheck> {
    let opts = options(Origin::Kk, mode, reference_date, None)?;
    core_kk::Kk::parse_with(s, &opts).map_err(|e| to_py(Origin::Kk, e))?;
    Ok(PyKkCheck(core_kk::check_with(s, &opts)))
}

/// Formats 16 digits for display (`31.74.01.670190.0123`).
#[pyfunction]
pub fn nik_format_display(digits: &str) -> Option<String> {
    core_nik::format_display(digits)
}

/// Registers the functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNikCheck>()?;
    m.add_class::<PyKkCheck>()?;
    m.add_function(wrap_pyfunction!(nik_check, m)?)?;
    m.add_function(wrap_pyfunction!(nik_parse, m)?)?;
    m.add_function(wrap_pyfunction!(nik_check_many, m)?)?;
    m.add_function(wrap_pyfunction!(nik_codes_many, m)?)?;
    m.add_function(wrap_pyfunction!(nik_format_display, m)?)?;
    m.add_function(wrap_pyfunction!(kk_check, m)?)?;
    m.add_function(wrap_pyfunction!(kk_parse, m)?)?;
    Ok(())
}
