//! ECDSA over NIST P-256 (secp256r1) with SHA-256.
//!
//! Verification goes through the [`EcdsaP256Verifier`] trait so the caller can
//! pick a backend:
//!
//! | backend | feature | `no_std` | notes |
//! |---|---|---|---|
//! | [`RustCryptoP256`] | always | yes | pure Rust (`p256` crate), for firmware |
//! | [`RingP256`] | `fast-p256` (default) | no | `ring`, ~4× faster verification, for servers |
//!
//! [`default_verifier`] returns the fastest backend compiled in. Both accept a
//! public key as a SEC1 point (`04‖X‖Y` uncompressed, or `02/03‖X`
//! compressed) and hash the message with SHA-256 themselves; signatures are
//! either raw `r‖s` (64 bytes, IEEE P1363 / COSE ES256 form) or ASN.1 DER.
//!
//! Signing ([`P256SigningKey`]) uses RFC 6979 deterministic nonces and is
//! needed only by the virtual chip and by test issuers.
//!
//! ```
//! use ktpel_core::crypto::p256::{default_verifier, P256SigningKey};
//! let key = P256SigningKey::from_bytes(&[7u8; 32]).unwrap();
//! let sig = key.sign_raw(b"hello");
//! let public = key.public_key_sec1();
//! assert!(default_verifier().verify_raw(&public, b"hello", &sig).is_ok());
//! assert!(default_verifier().verify_raw(&public, b"hellO", &sig).is_err());
//! ```

use alloc::vec::Vec;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

use crate::code::{Code, HasCode};

/// Why an ECDSA P-256 operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EcdsaError {
    /// The public key is not a valid SEC1-encoded point on P-256.
    #[error("public key: not a valid SEC1-encoded P-256 point")]
    InvalidPublicKey,
    /// The signature bytes are not a well-formed signature (wrong length, bad DER, r or s out of range).
    #[error(
        "signature: not a well-formed ECDSA P-256 signature (raw r||s is 64 bytes; DER must be strict)"
    )]
    InvalidSignatureEncoding,
    /// The signature is well formed but does not match the message and key.
    #[error("signature: does not verify against the message and public key")]
    BadSignature,
    /// The private key is not a scalar in [1, n-1].
    #[error("private key: not a valid P-256 scalar")]
    InvalidPrivateKey,
}

impl HasCode for EcdsaError {
    fn code(&self) -> Code {
        match self {
            EcdsaError::InvalidPublicKey => Code::EcdsaInvalidPublicKey,
            EcdsaError::InvalidSignatureEncoding => Code::EcdsaInvalidSignatureEncoding,
            EcdsaError::BadSignature => Code::EcdsaBadSignature,
            EcdsaError::InvalidPrivateKey => Code::EcdsaInvalidPrivateKey,
        }
    }
}

/// An ECDSA P-256 / SHA-256 signature verifier.
///
/// Implementations hash `msg` with SHA-256. A valid signature yields `Ok(())`;
/// everything else an [`EcdsaError`]. Both backends pass the same Project
/// Wycheproof vectors.
pub trait EcdsaP256Verifier: Send + Sync {
    /// Short backend name for reports, e.g. `"rustcrypto"`.
    fn name(&self) -> &'static str;

    /// Verifies a raw `r‖s` signature (64 bytes, big-endian scalars).
    fn verify_raw(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_rs: &[u8],
    ) -> Result<(), EcdsaError>;

    /// Verifies an ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` signature.
    fn verify_der(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_der: &[u8],
    ) -> Result<(), EcdsaError>;
}

/// The pure-Rust backend (RustCrypto `p256`); available in `no_std` builds.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCryptoP256;

impl RustCryptoP256 {
    fn key(public_key_sec1: &[u8]) -> Result<VerifyingKey, EcdsaError> {
        VerifyingKey::from_sec1_bytes(public_key_sec1).map_err(|_| EcdsaError::InvalidPublicKey)
    }
}

impl EcdsaP256Verifier for RustCryptoP256 {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn verify_raw(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_rs: &[u8],
    ) -> Result<(), EcdsaError> {
        let key = Self::key(public_key_sec1)?;
        let sig =
            Signature::from_slice(sig_rs).map_err(|_| EcdsaError::InvalidSignatureEncoding)?;
        key.verify(msg, &sig).map_err(|_| EcdsaError::BadSignature)
    }

    fn verify_der(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_der: &[u8],
    ) -> Result<(), EcdsaError> {
        let key = Self::key(public_key_sec1)?;
        let sig = Signature::from_der(sig_der).map_err(|_| EcdsaError::InvalidSignatureEncoding)?;
        key.verify(msg, &sig).map_err(|_| EcdsaError::BadSignature)
    }
}

/// The fast backend (`ring`), for servers verifying many chips or QR tokens.
///
/// `ring` reports every failure the same way, so after cheap format checks
/// (key prefix and length, raw signature length) any failure is reported as
/// [`EcdsaError::BadSignature`], including an off-curve public key.
/// Compressed public keys are decompressed with the pure-Rust backend first.
#[cfg(feature = "fast-p256")]
#[derive(Debug, Clone, Copy, Default)]
pub struct RingP256;

#[cfg(feature = "fast-p256")]
impl RingP256 {
    fn with_uncompressed<T>(
        public_key_sec1: &[u8],
        f: impl FnOnce(&[u8]) -> Result<T, EcdsaError>,
    ) -> Result<T, EcdsaError> {
        match (public_key_sec1.first(), public_key_sec1.len()) {
            (Some(0x04), 65) => f(public_key_sec1),
            (Some(0x02 | 0x03), 33) => {
                let key = RustCryptoP256::key(public_key_sec1)?;
                let point = key.to_sec1_point(false);
                f(point.as_bytes())
            }
            _ => Err(EcdsaError::InvalidPublicKey),
        }
    }
}

#[cfg(feature = "fast-p256")]
impl EcdsaP256Verifier for RingP256 {
    fn name(&self) -> &'static str {
        "ring"
    }

    fn verify_raw(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_rs: &[u8],
    ) -> Result<(), EcdsaError> {
        if sig_rs.len() != 64 {
            return Err(EcdsaError::InvalidSignatureEncoding);
        }
        Self::with_uncompressed(public_key_sec1, |pk| {
            ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, pk)
                .verify(msg, sig_rs)
                .map_err(|_| EcdsaError::BadSignature)
        })
    }

    fn verify_der(
        &self,
        public_key_sec1: &[u8],
        msg: &[u8],
        sig_der: &[u8],
    ) -> Result<(), EcdsaError> {
        Self::with_uncompressed(public_key_sec1, |pk| {
            ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, pk)
                .verify(msg, sig_der)
                .map_err(|_| EcdsaError::BadSignature)
        })
    }
}

/// The fastest verifier compiled in: [`RingP256`] with `fast-p256`, else
/// [`RustCryptoP256`].
pub fn default_verifier() -> &'static dyn EcdsaP256Verifier {
    #[cfg(feature = "fast-p256")]
    {
        &RingP256
    }
    #[cfg(not(feature = "fast-p256"))]
    {
        &RustCryptoP256
    }
}

/// Every verifier compiled in (tests run the same vectors against each).
pub fn all_verifiers() -> Vec<&'static dyn EcdsaP256Verifier> {
    #[allow(unused_mut)]
    let mut v: Vec<&'static dyn EcdsaP256Verifier> = alloc::vec![&RustCryptoP256];
    #[cfg(feature = "fast-p256")]
    v.push(&RingP256);
    v
}

/// A P-256 private key (zeroized on drop; `Debug` never shows it).
///
/// Signs with SHA-256 and RFC 6979 deterministic nonces.
#[derive(Clone)]
pub struct P256SigningKey {
    inner: SigningKey,
}

impl core::fmt::Debug for P256SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("P256SigningKey")
            .field("public_key", &crate_hex(&self.public_key_sec1()))
            .finish_non_exhaustive()
    }
}

fn crate_hex(b: &[u8]) -> alloc::string::String {
    use core::fmt::Write;
    let mut s = alloc::string::String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02X}");
    }
    s
}

impl P256SigningKey {
    /// A key from its 32-byte big-endian scalar (must be in [1, n-1]).
    pub fn from_bytes(scalar: &[u8]) -> Result<Self, EcdsaError> {
        SigningKey::from_slice(scalar)
            .map(|inner| Self { inner })
            .map_err(|_| EcdsaError::InvalidPrivateKey)
    }

    /// A fresh key from a source of random bytes (retries the rare
    /// out-of-range scalar).
    pub fn generate(mut fill: impl FnMut(&mut [u8])) -> Self {
        let mut buf = zeroize::Zeroizing::new([0u8; 32]);
        loop {
            fill(&mut buf[..]);
            if let Ok(k) = Self::from_bytes(&buf[..]) {
                return k;
            }
        }
    }

    /// The public key as an uncompressed SEC1 point (`04‖X‖Y`, 65 bytes).
    pub fn public_key_sec1(&self) -> [u8; 65] {
        let point = self.inner.verifying_key().to_sec1_point(false);
        let mut out = [0u8; 65];
        out.copy_from_slice(point.as_bytes());
        out
    }

    /// Signs SHA-256(`msg`); returns raw `r‖s` (64 bytes).
    pub fn sign_raw(&self, msg: &[u8]) -> [u8; 64] {
        let sig: Signature = self.inner.sign(msg);
        let mut out = [0u8; 64];
        out.copy_from_slice(&sig.to_bytes());
        out
    }

    /// Signs SHA-256(`msg`); returns the ASN.1 DER encoding.
    pub fn sign_der(&self, msg: &[u8]) -> Vec<u8> {
        let sig: Signature = self.inner.sign(msg);
        sig.to_der().as_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_and_verify_with_every_backend() {
        let key = P256SigningKey::from_bytes(&[0x11; 32]).unwrap();
        let pk = key.public_key_sec1();
        let raw = key.sign_raw(b"msg");
        let der = key.sign_der(b"msg");
        for v in all_verifiers() {
            assert_eq!(v.verify_raw(&pk, b"msg", &raw), Ok(()), "{}", v.name());
            assert_eq!(v.verify_der(&pk, b"msg", &der), Ok(()), "{}", v.name());
            assert_eq!(
                v.verify_raw(&pk, b"msh", &raw),
                Err(EcdsaError::BadSignature)
            );
            assert_eq!(
                v.verify_raw(&pk, b"msg", &raw[..63]),
                Err(EcdsaError::InvalidSignatureEncoding)
            );
            assert_eq!(
                v.verify_raw(&pk[..64], b"msg", &raw),
                Err(EcdsaError::InvalidPublicKey)
            );
            assert!(v.verify_der(&pk, b"msg", &raw).is_err());
        }
    }

    #[test]
    fn compressed_key_is_accepted() {
        let key = P256SigningKey::from_bytes(&[0x22; 32]).unwrap();
        let vk = VerifyingKey::from_sec1_bytes(&key.public_key_sec1()).unwrap();
        let compressed = vk.to_sec1_point(true);
        let sig = key.sign_raw(b"x");
        for v in all_verifiers() {
            assert_eq!(v.verify_raw(compressed.as_bytes(), b"x", &sig), Ok(()));
        }
    }

    #[test]
    fn zero_private_key_is_rejected() {
        assert_eq!(
            P256SigningKey::from_bytes(&[0u8; 32]).unwrap_err(),
            EcdsaError::InvalidPrivateKey
        );
        assert!(format!("{:?}", P256SigningKey::from_bytes(&[1u8; 32]).unwrap()).contains("04"));
    }
}
