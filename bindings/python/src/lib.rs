//! `ktpel._ktpel`: the private native module of the `ktpel` Python package.
//!
//! Thin by design: argument conversion and error mapping only; all logic is
//! in `ktpel-core`. The public API is the Python package in `python/ktpel`.
//! Errors are mapped to exceptions in exactly one place, [`error`].

mod error;
mod events;
mod idnum;
mod matching;
mod name;
mod privacy;
mod qr;
mod region;
mod sam;
mod sample;
mod validate;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _ktpel(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    error::register(m)?;
    idnum::register(m)?;
    region::register(m)?;
    name::register(m)?;
    validate::register(m)?;
    matching::register(m)?;
    events::register(m)?;
    qr::register(m)?;
    sam::register(m)?;
    sample::register(m)?;
    privacy::register(m)?;
    Ok(())
}
