//! The private native module of the `ktpel` npm package.
//!
//! Thin by design: each function converts its arguments, calls `ktpel-core`
//! and maps errors through [`error`]. The idiomatic API (camelCase objects,
//! `Date`s, classes, Promises) is the JS wrapper `index.js` / `index.d.ts`.
#![deny(unsafe_code)]

pub mod error;
pub mod events;
pub mod matching;
pub mod name;
pub mod nik;
pub mod privacy;
pub mod qr;
pub mod sam;
pub mod sample;
pub mod validate;

use napi_derive::napi;

/// The package version (the workspace version).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
