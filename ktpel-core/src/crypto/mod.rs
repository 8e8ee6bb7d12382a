//! Shared cryptographic backends used by several modules (`sam`, `qr`).
//!
//! - [`p256`]: ECDSA over NIST P-256 (secp256r1) with SHA-256, behind the
//!   [`EcdsaP256Verifier`](p256::EcdsaP256Verifier) trait, with a pure-Rust
//!   backend that works in `no_std` firmware and a fast `ring` backend for
//!   servers (feature `fast-p256`).

pub mod p256;

/// SHA-256 (FIPS 180-4) of `data`: the digest the `sam` security object and
/// the `qr` replay store use, for callers that need the same hash (the C
/// ABI's `ktpel_crypto_sha256`).
///
/// ```
/// // FIPS 180-2 appendix B.1: SHA-256("abc")
/// let h = ktpel_core::crypto::sha256(b"abc");
/// assert_eq!(h[..4], [0xBA, 0x78, 0x16, 0xBF]);
/// assert_eq!(h[28..], [0xF2, 0x00, 0x15, 0xAD]);
/// ```
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_empty_and_two_block_vectors() {
        // FIPS 180-2 / NIST CSRC examples: "" and the 448-bit two-block message.
        let hex = |h: [u8; 32]| {
            h.iter()
                .map(|b| alloc::format!("{b:02X}"))
                .collect::<alloc::string::String>()
        };
        assert_eq!(
            hex(super::sha256(b"")),
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        );
        assert_eq!(
            hex(super::sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1"
        );
    }
}
