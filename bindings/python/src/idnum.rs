//! `nik` and `kk`: checks, parsing and batch checks.

use chrono::NaiveDate;
use ktpel_core::kk as core_kk;
use ktpel_core::nik as core_nik;
use ktpel_core::nik::{CheckOptions, Mode};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::error::{Origin, catch_panic, invalid_argument, to_py};

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

/// Checks one NIK; never raises for a bad NIK (see `.valid` / `.code`).
///
/// `mode` is "strict" (exactly 16 digits) or "lenient" (spaces, dots, dashes
/// and a leading `'` removed, with the warning SEPARATORS_REMOVED).
/// `reference_date` (default today) settles the century and judges "in the
/// future"; `birth_year` known from elsewhere settles the century too.
#[pyfunction]
#[pyo3(signature = (s, *, mode="strict", reference_date=None, birth_year=None))]
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

/// The text of the values of a batch check, kept by [`PyNikChecks`] to
/// rebuild a `NikCheck` on access (so later changes to the caller's list do
/// not change what the results say, without holding a copy of the list).
enum Inputs {
    /// Every value followed by `\n` (see [`lines_of`]); the line starts
    /// are found on first access.
    Lines(String, std::sync::OnceLock<Vec<usize>>),
    /// One buffer and the byte range of each value.
    Spans(String, Vec<(usize, usize)>),
}

impl Inputs {
    /// The text of value `i` (`i` below the number of values).
    fn get(&self, i: usize) -> &str {
        match self {
            Inputs::Lines(text, starts) => {
                let starts = starts.get_or_init(|| core_nik::line_starts(text));
                &text[starts[i]..starts[i + 1] - 1]
            }
            Inputs::Spans(buf, spans) => &buf[spans[i].0..spans[i].1],
        }
    }
}

/// Reads a list, tuple, NumPy array, pandas Series or any iterable into
/// a list (a list is used as it is; an array or Series through `tolist()`).
fn as_list<'py>(values: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = values.py();
    Ok(if let Ok(l) = values.cast::<PyList>() {
        l.clone()
    } else if values.hasattr(intern!(py, "tolist"))? {
        let l = values.call_method0(intern!(py, "tolist"))?;
        match l.cast_into::<PyList>() {
            Ok(l) => l,
            Err(_) => PyList::new(py, values.try_iter()?.collect::<PyResult<Vec<_>>>()?)?,
        }
    } else {
        PyList::new(py, values.try_iter()?.collect::<PyResult<Vec<_>>>()?)?
    })
}

/// Every value of `list` followed by `\n`, when every value is a `str`
/// that can be encoded as UTF-8 (no lone surrogates).
///
/// Each value's UTF-8 form is copied straight from the `str` object (for
/// an ASCII `str` that is its own data), one pass and one allocation.
#[cfg(not(windows))]
fn lines_of(list: &Bound<'_, PyList>) -> Option<String> {
    let mut buf = Vec::with_capacity(list.len().saturating_mul(17));
    for item in list.iter() {
        buf.extend_from_slice(utf8_view::view(item.cast::<PyString>().ok()?)?);
        buf.push(b'\n');
    }
    String::from_utf8(buf).ok()
}

/// See the other [`lines_of`]: on Windows an abi3 module links only the
/// stable ABI of its minimum Python (3.9), so Python joins the values.
#[cfg(windows)]
fn lines_of(list: &Bound<'_, PyList>) -> Option<String> {
    let py = list.py();
    let joined = PyString::new(py, "\n")
        .call_method1(intern!(py, "join"), (list,))
        .ok()?;
    let mut text = joined.cast::<PyString>().ok()?.to_cow().ok()?.into_owned();
    if !list.is_empty() {
        text.push('\n');
    }
    Some(text)
}

/// A borrowed UTF-8 view of a `str`, without a copy.
#[cfg(not(windows))]
#[allow(unsafe_code)] // one FFI call, see the SAFETY comments
mod utf8_view {
    use pyo3::ffi;
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    unsafe extern "C" {
        // Part of the stable ABI since Python 3.10 and exported by every
        // CPython 3 since 3.3 with the same signature; pyo3-ffi declares it
        // only for abi3 builds targeting 3.10 or later (this one is 3.9).
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const std::ffi::c_char;
    }

    /// The UTF-8 bytes of `s`, or `None` (Python's error cleared) when it
    /// holds a lone surrogate.
    pub fn view<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a [u8]> {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and the GIL is held (it is a `Bound`).
        let p = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if p.is_null() {
            drop(PyErr::take(s.py()));
            return None;
        }
        let len = usize::try_from(size).ok()?;
        // SAFETY: on success CPython returns `size` bytes owned by the
        // object (its data, or a UTF-8 copy cached in it until it dies);
        // `str` objects are immutable, and the borrow of `s` keeps the
        // object alive for `'a`.
        Some(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
    }
}

/// Reads each value of `list` on its own: `None` as empty, other objects
/// through `str()` (so spreadsheet floats are reported, not lost).
fn read_each(list: &Bound<'_, PyList>) -> PyResult<Inputs> {
    let mut buf = String::new();
    let mut spans = Vec::with_capacity(list.len());
    for item in list.iter() {
        let start = buf.len();
        if let Ok(s) = item.cast::<PyString>() {
            buf.push_str(&s.to_string_lossy());
        } else if !item.is_none() {
            buf.push_str(&item.str()?.to_string_lossy());
        }
        spans.push((start, buf.len()));
    }
    Ok(Inputs::Spans(buf, spans))
}

/// The results of `ktpel.nik.check_many`: a read-only sequence of
/// `NikCheck` with fast column accessors. The checks are held as columns
/// (16 bytes a value); `NikCheck` objects are rebuilt on access by checking
/// the input again with the same options, which gives the same result.
#[pyclass(frozen, module = "ktpel._ktpel", name = "NikChecks", sequence)]
pub struct PyNikChecks {
    inputs: Inputs,
    opts: CheckOptions,
    cols: core_nik::NikColumns,
}

impl PyNikChecks {
    /// The check of value `i`, rebuilt from its text as the batch read it.
    fn check_at(&self, i: usize) -> PyNikCheck {
        PyNikCheck(core_nik::check_with(self.inputs.get(i), &self.opts))
    }
}

#[pymethods]
impl PyNikChecks {
    fn __len__(&self) -> usize {
        self.cols.len()
    }
    fn __getitem__(&self, index: isize) -> PyResult<PyNikCheck> {
        let n = self.cols.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if !(0..n).contains(&i) {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "NikChecks index out of range",
            ));
        }
        Ok(self.check_at(i as usize))
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        PyList::new(py, self.to_list())?.try_iter()
    }
    /// Whether each value is valid.
    fn valid(&self) -> Vec<bool> {
        self.cols.valid.iter().map(|&v| v == 1).collect()
    }
    /// The error code of each value (None = valid).
    fn codes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        codes_list(py, &self.cols.code)
    }
    /// Number of valid values.
    fn count_valid(&self) -> usize {
        self.cols.valid.iter().filter(|&&v| v == 1).count()
    }
    /// All results as a list of NikCheck.
    fn to_list(&self) -> Vec<PyNikCheck> {
        (0..self.cols.len()).map(|i| self.check_at(i)).collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "NikChecks(len={}, valid={})",
            self.cols.len(),
            self.count_valid()
        )
    }
}

/// The code of each check as a list, one Python string per distinct code.
fn codes_list<'py>(py: Python<'py>, codes: &[u16]) -> PyResult<Bound<'py, PyList>> {
    // One object per code number, made on first use (0 is None).
    let mut objects: Vec<Option<Bound<'py, PyAny>>> = vec![None; usize::from(u16::MAX) + 1];
    objects[0] = Some(py.None().into_bound(py));
    for &n in codes {
        let slot = &mut objects[usize::from(n)];
        if slot.is_none() {
            let name = ktpel_core::Code::ALL
                .iter()
                .find(|c| c.as_u32() == u32::from(n))
                .map_or("UNKNOWN", |c| c.as_str());
            *slot = Some(PyString::new(py, name).into_any());
        }
    }
    PyList::new(py, codes.iter().map(|&n| objects[usize::from(n)].clone()))
}

/// Checks every value of `values` with one reference date and returns the
/// text read, the options used and the results as columns.
///
/// Fast path: every value's UTF-8 bytes are copied into one buffer, each
/// followed by `\n` (GIL held, one pass over the list), and the core splits
/// and checks the lines in one parallel pass without the GIL. It is used
/// only when the lines are exactly the values: every value is a `str`, none
/// holds `\r` (the core drops one before a line break), and the line count
/// equals the value count (a value holding `\n` changes it). Otherwise each
/// value is read on its own (`None` as empty, other objects through `str()`).
fn run_many(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<(Inputs, CheckOptions, core_nik::NikColumns)> {
    let mut opts = options(Origin::Nik, mode, reference_date, birth_year)?;
    // One reference date for the whole batch, even across midnight.
    opts.reference_date = Some(opts.resolved_reference_date());
    let list = as_list(values)?;
    let n = list.len();
    if let Some(text) = lines_of(&list).filter(|t| memchr::memchr(b'\r', t.as_bytes()).is_none()) {
        let cols = py.detach(|| {
            catch_panic(Origin::Nik, || {
                core_nik::NikColumns::check_lines(&text, &opts)
            })
        })?;
        // Every value ends with its own `\n`: one line per value unless a
        // value holds a `\n` itself.
        if cols.len() == n {
            return Ok((Inputs::Lines(text, std::sync::OnceLock::new()), opts, cols));
        }
    }
    let inputs = read_each(&list)?;
    let strs: Vec<&str> = (0..n).map(|i| inputs.get(i)).collect();
    let cols = py.detach(|| {
        catch_panic(Origin::Nik, || {
            core_nik::NikColumns::from_checks(&core_nik::check_many(&strs, &opts))
        })
    })?;
    drop(strs);
    Ok((inputs, opts, cols))
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
) -> PyResult<PyNikChecks> {
    let (inputs, opts, cols) = run_many(py, values, mode, reference_date, birth_year)?;
    Ok(PyNikChecks { inputs, opts, cols })
}

/// Checks many NIKs without the GIL; returns only the codes (None = valid).
#[pyfunction]
#[pyo3(signature = (values, mode="strict", reference_date=None, birth_year=None))]
pub fn nik_codes_many<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
) -> PyResult<Bound<'py, PyList>> {
    let (_, _, cols) = run_many(py, values, mode, reference_date, birth_year)?;
    codes_list(py, &cols.code)
}

/// Checks one KK number; never raises for a bad number (see `.valid` / `.code`).
#[pyfunction]
#[pyo3(signature = (s, *, mode="strict", reference_date=None))]
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
    m.add_class::<PyNikChecks>()?;
    m.add_function(wrap_pyfunction!(nik_check, m)?)?;
    m.add_function(wrap_pyfunction!(nik_parse, m)?)?;
    m.add_function(wrap_pyfunction!(nik_check_many, m)?)?;
    m.add_function(wrap_pyfunction!(nik_codes_many, m)?)?;
    m.add_function(wrap_pyfunction!(nik_format_display, m)?)?;
    m.add_function(wrap_pyfunction!(kk_check, m)?)?;
    m.add_function(wrap_pyfunction!(kk_parse, m)?)?;
    Ok(())
}
