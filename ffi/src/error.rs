//! The one place where core errors become C statuses, and the boundary every
//! entry point runs in.
//!
//! - [`Error`] carries a core [`Code`] and a detail message; every core error
//!   type converts into it here (and only here).
//! - [`run`] catches unwinds, turns `Err` into its status number and stores
//!   the message in the thread-local last error.
//! - `ffi_boundary!` wraps a function body in [`run`] after rejecting the
//!   listed NULL pointers.

use core::fmt::Display;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ktpel_core::{Code, HasCode};

/// A failed call: its status code and a detail message for
/// `ktpel_last_error_message`.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) code: Code,
    pub(crate) message: String,
}

impl Error {
    /// An error with an explicit code.
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// A required pointer argument was NULL.
    pub(crate) fn null(arg: &str) -> Self {
        Error::new(
            Code::NullArgument,
            format!("argument `{arg}` is NULL but a value is required"),
        )
    }

    /// An argument has a value the function does not accept.
    pub(crate) fn invalid(arg: &str, reason: impl Display) -> Self {
        Error::new(Code::InvalidArgument, format!("argument `{arg}`: {reason}"))
    }

    /// A caller buffer is too small.
    pub(crate) fn too_small(arg: &str, have: usize, need: usize) -> Self {
        Error::new(
            Code::BufferTooSmall,
            format!("buffer `{arg}` holds {have} bytes; {need} are needed"),
        )
    }

    /// Any core error: its own code and message.
    pub(crate) fn core<E: HasCode + Display>(e: E) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

/// Conversions of the core's error types (one line per type; all go through
/// [`HasCode`], so the status is always `Code::as_u32()` of the core error).
macro_rules! from_core {
    ($($t:ty),* $(,)?) => {
        $(impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::core(e)
            }
        })*
    };
}

from_core!(
    ktpel_core::nik::NikError,
    ktpel_core::kk::KkError,
    ktpel_core::region::RegionError,
    ktpel_core::validate::ValidateError,
    ktpel_core::sam::SamError,
    ktpel_core::crypto::p256::EcdsaError,
    ktpel_core::qr::QrError,
    ktpel_core::sample::GenError,
    ktpel_core::matching::MatchError,
    ktpel_core::events::EventsError,
);

/// The C status of a code (the core's stable number).
pub(crate) const fn status(code: Code) -> u32 {
    code.as_u32()
}

/// The C status of an optional verdict code: 0 when there is none.
pub(crate) fn status_of(code: Option<Code>) -> u32 {
    code.map_or(status(Code::Ok), status)
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Stores the detail message of the last failure on this thread.
pub(crate) fn set_last_error(message: String) {
    LAST_ERROR.with(|m| *m.borrow_mut() = message);
}

/// The detail message of the last failure on this thread.
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|m| m.borrow().clone())
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("internal error (a bug in ktpel, please report it): {what}")
}

/// Runs one entry point's body: no unwind escapes, `Err` becomes its status
/// and its message the thread's last error.
pub(crate) fn run(f: impl FnOnce() -> Result<(), Error>) -> u32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => status(Code::Ok),
        Ok(Err(e)) => {
            set_last_error(e.message);
            status(e.code)
        }
        Err(payload) => {
            set_last_error(panic_message(payload.as_ref()));
            status(Code::Panic)
        }
    }
}

/// Runs a body that returns nothing (the `_free` functions): no unwind
/// escapes; a panic is recorded as the last error.
pub(crate) fn run_void(f: impl FnOnce()) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(f)) {
        set_last_error(panic_message(payload.as_ref()));
    }
}

/// The boundary of every `extern "C"` function returning a status:
/// `ffi_boundary!(ptr_a, ptr_b => { body })` returns
/// `KTPEL_STATUS_NULL_ARGUMENT` if a listed pointer is NULL, else runs the
/// body (a block of type `Result<(), Error>`) inside [`run`], which catches
/// unwinds (`KTPEL_STATUS_PANIC`).
macro_rules! ffi_boundary {
    ($($arg:ident),* => $body:block) => {
        $crate::error::run(|| {
            $(
                if $arg.is_null() {
                    return Err($crate::error::Error::null(stringify!($arg)));
                }
            )*
            $body
        })
    };
}
pub(crate) use ffi_boundary;
