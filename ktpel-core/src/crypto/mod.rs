//! Shared cryptographic backends used by several modules (`sam`, `qr`).
//!
//! - [`p256`]: ECDSA over NIST P-256 (secp256r1) with SHA-256, behind the
//!   [`EcdsaP256Verifier`](p256::EcdsaP256Verifier) trait, with a pure-Rust
//!   backend that works in `no_std` firmware and a fast `ring` backend for
//!   servers (feature `fast-p256`).

pub mod p256;

/// SHA-256 of `data` (FIPS 180-4), the digest the KTP-el SAM and the security
/// object use; exposed so the C, Python and Node surfaces share one
/// implementation.
///
/// ```
/// let d = ktpel_core::crypto::sha256(b"abc");
/// assert_eq!(d[..4], [0xBA, 0x78, 0x16, 0xBF]);
/// ```
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
