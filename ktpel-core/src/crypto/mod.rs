//! Shared cryptographic backends used by several modules (`sam`, `qr`).
//!
//! - [`p256`]: ECDSA over NIST P-256 (secp256r1) with SHA-256, behind the
//!   [`EcdsaP256Verifier`](p256::EcdsaP256Verifier) trait, with a pure-Rust
//!   backend that works in `no_std` firmware and a fast `ring` backend for
//!   servers (feature `fast-p256`).

pub mod p256;
