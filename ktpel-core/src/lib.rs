//! # ktpel-core
//!
//! Indonesian population-data integration ("Satu Data Kependudukan"): validate
//! NIK and KK numbers against the Kemendagri region table, clean and compare
//! names, match agency records against the population register (pemadanan),
//! turn register changes into events, verify IKD QR tokens and run the KTP-el
//! reader SAM crypto.
//!
//! This crate does all the work; the `ktpel` CLI, the C ABI and the Python and
//! Node packages are thin wrappers around it, and all of them share the error
//! vocabulary in [`Code`].
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | clocks ("today" as reference date), OS randomness, `std::error::Error` |
//! | `parallel` | yes | rayon-parallel batch functions |
//! | `io` | yes | CSV and file I/O: batch jobs, the sample-data generator's files (`sample::write_all`), [`matching`] (pemadanan; TOML mappings and policies), [`events`] (snapshot diff, subscriptions, apply, aggregates) |
//! | `fast-p256` | yes | `ring` backend for ECDSA P-256 verification (`crypto::p256::RingP256`; QR ES256 too), std only |
//! | `pcsc` | no | `sam::pcsc`: drive a real card reader over PC/SC (needs libpcsclite-dev, pkg-config) |
//! | `qr-std` | yes (via `std`) | [`qr`]: token issuance with OS randomness, system clock, in-memory replay store |
//! | `redis` | no | [`qr`]: Redis replay store (`SET NX PX`) shared by a fleet of verifiers |
//!
//! Without default features the crate is `no_std` + `alloc`, for reader and
//! scanner firmware.
//!
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod code;
pub mod crypto;
#[cfg(feature = "io")]
pub mod csvio;
#[cfg(feature = "io")]
pub mod events;
mod idnum;
pub mod kk;
#[cfg(feature = "io")]
pub mod matching;
pub mod name;
pub mod nik;
pub mod privacy;
pub mod qr;
pub mod region;
pub mod sam;
#[cfg(feature = "std")]
pub mod sample;
#[cfg(feature = "io")]
pub mod validate;

pub use code::{Code, HasCode};
