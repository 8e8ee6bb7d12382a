//! The one place where core errors become JavaScript errors.
//!
//! Every core error implements [`HasCode`]; it is thrown as a JS `Error`
//! whose `.code` is the shared SCREAMING_SNAKE name (`INVALID_BIRTH_DATE`) and
//! whose message is the core's message. Bad arguments the core never sees are
//! `INVALID_ARGUMENT`; a panic is caught here and becomes `PANIC`. (napi's own
//! argument-type errors, raised before these functions run, carry napi status
//! names such as `InvalidArg`; `index.js` renames them `INVALID_ARGUMENT`.)

use ktpel_core::{Code, HasCode};
use napi::JsError;
use napi::bindgen_prelude::Env;
use napi_derive::napi;
use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The error type of every binding function: the status is the stable code.
pub type JsErr = napi::Error<String>;

/// `Result` of binding functions (named `Result` so napi-derive throws the error).
pub type Result<T> = std::result::Result<T, JsErr>;

/// A JS error with `code` and `message`.
pub fn coded(code: Code, message: impl Display) -> JsErr {
    napi::Error::new(code.as_str().to_string(), message.to_string())
}

/// Maps any core error to its JS error.
pub fn to_js<E: HasCode + Display>(e: E) -> JsErr {
    coded(e.code(), e)
}

/// `INVALID_ARGUMENT` naming the argument and the reason.
pub fn invalid_argument(what: &str, reason: impl Display) -> JsErr {
    coded(Code::InvalidArgument, format!("{what}: {reason}"))
}

/// Runs `f`, turning a panic into a `PANIC` error so none reaches JavaScript.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let detail = p
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(coded(
                Code::Panic,
                format!("{}: {detail}", Code::Panic.description()),
            ))
        }
    }
}

/// Turns a coded error into the `napi::Error` an `AsyncTask` rejects with,
/// keeping the code (the JS error object is built here, on the JS thread).
pub fn reject(env: &Env, e: JsErr) -> napi::Error {
    let value = JsError::from(e).into_unknown(*env);
    napi::Error::from(value)
}

/// One entry of the shared code registry.
#[napi(object)]
pub struct CodeInfo {
    /// SCREAMING_SNAKE name, the value of `err.code`.
    pub name: String,
    /// Stable number (the C status).
    pub number: u32,
    /// What the code means.
    pub description: String,
}

/// Every code of the shared registry (so tests can prove each one maps).
#[napi]
pub fn codes() -> Vec<CodeInfo> {
    Code::ALL
        .iter()
        .map(|c| CodeInfo {
            name: c.as_str().into(),
            number: c.as_u32(),
            description: c.description().into(),
        })
        .collect()
}

/// Builds the JS error for a code name and message (used by the tests to prove
/// every code maps to an `Error` with that `.code`).
#[napi]
pub fn error_for_code(name: String) -> Result<()> {
    let code = Code::from_name(&name)
        .ok_or_else(|| invalid_argument("name", format!("{name:?} is not a ktpel code")))?;
    Err(coded(code, code.description()))
}
