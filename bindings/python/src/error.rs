//! The ONE place where ktpel's stable codes become Python exceptions.
//!
//! Every exception is a subclass of `ktpel.KtpelError` and carries `.code`
//! (the shared SCREAMING_SNAKE code, e.g. `"INVALID_BIRTH_DATE"`) and
//! `.number` (its stable integer). Which subclass is raised follows the
//! module the error came from; [`class_for_code`] gives the class for any code
//! by its registry range, and a test checks that every code in
//! `ktpel_core::Code::ALL` has one.

use core::fmt::Display;

use ktpel_core::{Code, HasCode};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    ktpel,
    KtpelError,
    PyException,
    "Base class of every ktpel error; `.code` is the stable code, `.number` its integer."
);
create_exception!(
    ktpel,
    NikError,
    KtpelError,
    "A NIK could not be parsed (codes 100-199)."
);
create_exception!(
    ktpel,
    KkError,
    KtpelError,
    "A KK number could not be parsed (codes 100-199)."
);
create_exception!(
    ktpel,
    RegionError,
    KtpelError,
    "A region code is malformed or unknown (codes 100-199)."
);
create_exception!(
    ktpel,
    NameCheckError,
    KtpelError,
    "A name is not usable as a name (codes 200-299)."
);
create_exception!(
    ktpel,
    ValidateError,
    KtpelError,
    "A file job could not run (general codes 0-99)."
);
create_exception!(
    ktpel,
    QrError,
    KtpelError,
    "An IKD QR token or key was rejected (codes 500-599)."
);
create_exception!(
    ktpel,
    SamError,
    KtpelError,
    "SAM crypto, APDU or secure-messaging failure (codes 600-699)."
);
create_exception!(
    ktpel,
    CryptoError,
    SamError,
    "ECDSA P-256 failure (codes 6xx, ECDSA_*)."
);
create_exception!(
    ktpel,
    MatchError,
    KtpelError,
    "Matching (pemadanan) could not run: mapping, policy, files (codes 300-399 and general)."
);
create_exception!(
    ktpel,
    SampleError,
    KtpelError,
    "The sample-data generator could not run (general codes INVALID_ARGUMENT, IO)."
);

create_exception!(
    ktpel,
    EventsError,
    KtpelError,
    "Change events (diff, apply, aggregate, subscriptions) could not run (codes 400-499 and general)."
);

create_exception!(
    ktpel,
    PrivacyError,
    KtpelError,
    "Tokenization or audit-log failure (codes 700-799; a NIK or name that cannot be tokenized carries its own code)."
);

/// Which module an error came from (selects the exception subclass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// General codes (arguments, files).
    General,
    /// `nik`.
    Nik,
    /// `kk`.
    Kk,
    /// `region`.
    Region,
    /// `name`.
    Name,
    /// `validate` (file jobs).
    Validate,
    /// `qr`.
    Qr,
    /// `sam`.
    Sam,
    /// `crypto` (ECDSA).
    Crypto,
    /// `sample` (the generator).
    Sample,
    /// `matching` (pemadanan).
    Matching,
    /// `events` (snapshot diff, apply, aggregates).
    Events,
    /// `privacy` (tokens, audit log).
    Privacy,
}

fn class(py: Python<'_>, origin: Origin) -> Bound<'_, PyType> {
    match origin {
        Origin::General => py.get_type::<KtpelError>(),
        Origin::Nik => py.get_type::<NikError>(),
        Origin::Kk => py.get_type::<KkError>(),
        Origin::Region => py.get_type::<RegionError>(),
        Origin::Name => py.get_type::<NameCheckError>(),
        Origin::Validate => py.get_type::<ValidateError>(),
        Origin::Qr => py.get_type::<QrError>(),
        Origin::Sam => py.get_type::<SamError>(),
        Origin::Crypto => py.get_type::<CryptoError>(),
        Origin::Sample => py.get_type::<SampleError>(),
        Origin::Matching => py.get_type::<MatchError>(),
        Origin::Events => py.get_type::<EventsError>(),
        Origin::Privacy => py.get_type::<PrivacyError>(),
    }
}

/// The origin of a code by its registry range; `None` for a range no
/// Python module handles yet (the completeness test fails on it).
pub fn origin_of(code: Code) -> Option<Origin> {
    let name = code.as_str();
    match code.as_u32() {
        0..=99 => Some(Origin::General),
        100..=199 => Some(match code {
            Code::InvalidIssueDate | Code::FutureIssueDate => Origin::Kk,
            Code::InvalidRegionCode | Code::UnknownRegion => Origin::Region,
            _ => Origin::Nik,
        }),
        200..=299 => Some(Origin::Name),
        300..=399 => Some(Origin::Matching),
        400..=499 => Some(Origin::Events),
        500..=599 => Some(Origin::Qr),
        600..=699 if name.starts_with("ECDSA_") => Some(Origin::Crypto),
        600..=699 => Some(Origin::Sam),
        700..=799 => Some(Origin::Privacy),
        _ => None,
    }
}

/// Builds the exception of `origin` for `code` with `message`.
pub fn raise(py: Python<'_>, origin: Origin, code: Code, message: impl Display) -> PyErr {
    let cls = class(py, origin);
    match cls.call1((message.to_string(),)) {
        Ok(exc) => {
            // Attribute setting on a fresh exception instance cannot fail in practice;
            // if it did, the exception still propagates with its message.
            let _ = exc.setattr("code", code.as_str());
            let _ = exc.setattr("number", code.as_u32());
            PyErr::from_value(exc)
        }
        Err(e) => e,
    }
}

/// Converts any core error into the exception of `origin`.
pub fn to_py<E: HasCode + Display>(origin: Origin, e: E) -> PyErr {
    Python::attach(|py| raise(py, origin, e.code(), e))
}

/// `INVALID_ARGUMENT` for an argument the binding cannot convert.
pub fn invalid_argument(origin: Origin, message: impl Display) -> PyErr {
    Python::attach(|py| raise(py, origin, Code::InvalidArgument, message))
}

/// Runs `f` (typically core work with the GIL released) and turns a panic
/// into the module's exception with code `PANIC`, so no panic reaches Python
/// as `PanicException`. The core is built never to panic; this is the net.
pub fn catch_panic<T>(origin: Origin, f: impl FnOnce() -> T) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| {
        Python::attach(|py| {
            raise(
                py,
                origin,
                Code::Panic,
                "internal error in ktpel (a bug); please report it",
            )
        })
    })
}

/// The exception class for a code name (by registry range), for the
/// completeness test: every code must map to a class.
#[pyfunction]
pub fn exception_class_for_code(py: Python<'_>, code: &str) -> PyResult<Py<PyType>> {
    let c = Code::from_name(code).ok_or_else(|| {
        invalid_argument(
            Origin::General,
            format!("code {code:?} is not a ktpel code"),
        )
    })?;
    let origin = origin_of(c).ok_or_else(|| {
        invalid_argument(
            Origin::General,
            format!("code {code} has no Python exception class"),
        )
    })?;
    Ok(class(py, origin).unbind())
}

/// Every code: `(name, number, description)`.
#[pyfunction]
pub fn all_codes() -> Vec<(&'static str, u32, &'static str)> {
    Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.as_u32(), c.description()))
        .collect()
}

/// Registers the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("KtpelError", py.get_type::<KtpelError>())?;
    m.add("NikError", py.get_type::<NikError>())?;
    m.add("KkError", py.get_type::<KkError>())?;
    m.add("RegionError", py.get_type::<RegionError>())?;
    m.add("NameCheckError", py.get_type::<NameCheckError>())?;
    m.add("ValidateError", py.get_type::<ValidateError>())?;
    m.add("QrError", py.get_type::<QrError>())?;
    m.add("SamError", py.get_type::<SamError>())?;
    m.add("CryptoError", py.get_type::<CryptoError>())?;
    m.add("SampleError", py.get_type::<SampleError>())?;
    m.add("MatchError", py.get_type::<MatchError>())?;
    m.add("EventsError", py.get_type::<EventsError>())?;
    m.add("PrivacyError", py.get_type::<PrivacyError>())?;
    m.add_function(wrap_pyfunction!(exception_class_for_code, m)?)?;
    m.add_function(wrap_pyfunction!(all_codes, m)?)?;
    Ok(())
}
