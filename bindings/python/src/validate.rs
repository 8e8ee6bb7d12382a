//! `validate`: the streaming file job over a CSV column of NIK or KK numbers.

use std::fs::File;
use std::io::{BufReader, BufWriter};

use chrono::NaiveDate;
use ktpel_core::validate::{Kind, OutputFormat, ValidateError, ValidateOptions, validate_csv};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{Origin, catch_panic, invalid_argument, to_py};

/// Validates the column `column` of `input` (CSV with a header) into
/// `output`; returns the summary as a dict. `progress(rows, bytes)` is called
/// after each block.
#[pyfunction]
#[pyo3(signature = (input, output, *, kind="nik", column="NIK", mode="strict", reference_date=None, birth_year=None, format="csv", delimiter=",", progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn validate<'py>(
    py: Python<'py>,
    input: std::path::PathBuf,
    output: std::path::PathBuf,
    kind: &str,
    column: &str,
    mode: &str,
    reference_date: Option<NaiveDate>,
    birth_year: Option<i32>,
    format: &str,
    delimiter: &str,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let kind = match kind {
        "nik" => Kind::Nik,
        "kk" => Kind::Kk,
        k => {
            return Err(invalid_argument(
                Origin::Validate,
                format!("kind: {k:?} is not \"nik\" or \"kk\""),
            ));
        }
    };
    let format = match format {
        "csv" => OutputFormat::Csv,
        "jsonl" => OutputFormat::Jsonl,
        f => {
            return Err(invalid_argument(
                Origin::Validate,
                format!("format: {f:?} is not \"csv\" or \"jsonl\""),
            ));
        }
    };
    let delimiter = match delimiter.as_bytes() {
        [b] => *b,
        _ => {
            return Err(invalid_argument(
                Origin::Validate,
                "delimiter: must be one ASCII character",
            ));
        }
    };
    let mut opts = ValidateOptions::new(kind, column);
    opts.check = crate::idnum::options(Origin::Validate, mode, reference_date, birth_year)?;
    opts.format = format;
    opts.delimiter = delimiter;
    let io = |e: std::io::Error| to_py(Origin::Validate, ValidateError::Io(e));
    let reader = BufReader::new(File::open(&input).map_err(io)?);
    let writer = BufWriter::new(File::create(&output).map_err(io)?);
    let mut callback_error: Option<PyErr> = None;
    let summary = py.detach(|| {
        let mut report = |p: ktpel_core::validate::Progress| {
            if let (Some(cb), None) = (&progress, &callback_error) {
                if let Err(e) = Python::attach(|py| cb.call1(py, (p.rows, p.bytes))) {
                    callback_error = Some(e);
                }
            }
        };
        catch_panic(Origin::Validate, || {
            validate_csv(reader, writer, &opts, &mut report)
        })
    })?;
    if let Some(e) = callback_error {
        return Err(e);
    }
    let s = summary.map_err(|e| to_py(Origin::Validate, e))?;
    let d = PyDict::new(py);
    d.set_item("rows", s.rows)?;
    d.set_item("valid", s.valid)?;
    d.set_item("invalid", s.invalid)?;
    d.set_item(
        "codes",
        s.codes
            .into_iter()
            .collect::<Vec<_>>()
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    )?;
    d.set_item("warnings", s.warnings)?;
    d.set_item("column_warnings", s.column_warnings)?;
    d.set_item("bytes", s.bytes)?;
    Ok(d)
}

/// Registers the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    Ok(())
}
