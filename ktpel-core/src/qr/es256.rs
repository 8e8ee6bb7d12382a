//! The single seam through which `qr` does ES256 (ECDSA P-256 with SHA-256).
//!
//! Everything that touches P-256 — key parsing, signing, verifying — lives
//! here. Verification goes through the shared backend in
//! [`crate::crypto::p256`] (RustCrypto, `no_std`; `ring` with the default
//! `fast-p256` feature); signing stays on RustCrypto, whose RFC 6979 nonces
//! keep the test vectors reproducible.
//!
//! Signatures are the COSE form: `r || s`, 32 bytes each, big-endian
//! (RFC 9053 §2.1).

use alloc::string::String;
use alloc::vec::Vec;
use p256::ecdsa::signature::Signer;
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use zeroize::Zeroizing;

/// A P-256 public key, ready to verify.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PublicKey(p256::ecdsa::VerifyingKey, [u8; 65]);

/// A P-256 private key (zeroized on drop by `p256`).
#[derive(Clone)]
pub(crate) struct SecretKey(p256::ecdsa::SigningKey);

impl PublicKey {
    fn new(key: p256::ecdsa::VerifyingKey) -> Self {
        let mut sec1 = [0u8; 65];
        sec1.copy_from_slice(key.to_sec1_point(false).as_bytes());
        PublicKey(key, sec1)
    }

    /// From a SEC1 point (uncompressed `04 || x || y` or compressed).
    pub(crate) fn from_sec1(bytes: &[u8]) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .ok()
            .map(PublicKey::new)
    }

    /// From affine coordinates (JWK `x`, `y`).
    pub(crate) fn from_xy(x: &[u8], y: &[u8]) -> Option<Self> {
        if x.len() != 32 || y.len() != 32 {
            return None;
        }
        let mut sec1 = [0u8; 65];
        sec1[0] = 4;
        sec1[1..33].copy_from_slice(x);
        sec1[33..].copy_from_slice(y);
        Self::from_sec1(&sec1)
    }

    /// From a DER SubjectPublicKeyInfo.
    pub(crate) fn from_spki_der(der: &[u8]) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_public_key_der(der)
            .ok()
            .map(PublicKey::new)
    }

    /// From a PEM `PUBLIC KEY` block.
    pub(crate) fn from_spki_pem(pem: &str) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_public_key_pem(pem)
            .ok()
            .map(PublicKey::new)
    }

    /// The uncompressed SEC1 point `04 || x || y`.
    pub(crate) fn to_uncompressed(&self) -> [u8; 65] {
        self.1
    }

    /// DER SubjectPublicKeyInfo.
    pub(crate) fn to_spki_der(&self) -> Vec<u8> {
        self.0
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default()
    }

    /// Verifies an `r || s` signature over `msg` (hashed with SHA-256), on
    /// the fastest backend compiled in (`crypto::p256::default_verifier`:
    /// `ring` with `fast-p256`, else RustCrypto).
    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        crate::crypto::p256::default_verifier()
            .verify_raw(&self.1, msg, sig)
            .is_ok()
    }
}

impl SecretKey {
    /// From the 32-byte big-endian scalar (JWK `d`).
    pub(crate) fn from_scalar(d: &[u8]) -> Option<Self> {
        if d.len() != 32 {
            return None;
        }
        p256::ecdsa::SigningKey::from_slice(d).ok().map(SecretKey)
    }

    /// From a DER PKCS#8 `PrivateKeyInfo`.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Option<Self> {
        p256::ecdsa::SigningKey::from_pkcs8_der(der)
            .ok()
            .map(SecretKey)
    }

    /// From a PEM `PRIVATE KEY` block.
    pub(crate) fn from_pkcs8_pem(pem: &str) -> Option<Self> {
        p256::ecdsa::SigningKey::from_pkcs8_pem(pem)
            .ok()
            .map(SecretKey)
    }

    /// PEM PKCS#8 (zeroized when dropped).
    pub(crate) fn to_pkcs8_pem(&self) -> Option<Zeroizing<String>> {
        self.0
            .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
            .ok()
            .map(|s| Zeroizing::new(String::from(s.as_str())))
    }

    /// The 32-byte scalar (zeroized when dropped).
    pub(crate) fn to_scalar(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.0.to_bytes());
        out
    }

    /// The matching public key.
    pub(crate) fn public(&self) -> PublicKey {
        PublicKey::new(*self.0.verifying_key())
    }

    /// Signs `msg` (hashed with SHA-256 here), deterministic nonce (RFC 6979).
    pub(crate) fn sign(&self, msg: &[u8]) -> [u8; 64] {
        let sig: p256::ecdsa::Signature = self.0.sign(msg);
        let mut out = [0u8; 64];
        out.copy_from_slice(&sig.to_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 6979 appendix A.2.5 (P-256, SHA-256, message "sample"): the public
    /// key of the published private key, and the deterministic signature.
    #[test]
    fn rfc6979_a25_vector() {
        let sk = SecretKey::from_scalar(&unhex(
            "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        ))
        .unwrap();
        let pk = sk.public().to_uncompressed();
        assert_eq!(
            pk[1..33],
            unhex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6")[..]
        );
        assert_eq!(
            pk[33..],
            unhex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")[..]
        );
        let sig = sk.sign(b"sample");
        assert_eq!(
            sig[..32],
            unhex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716")[..]
        );
        assert_eq!(
            sig[32..],
            unhex("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8")[..]
        );
        assert!(sk.public().verify(b"sample", &sig));
        // PKCS#8 DER round trip.
        let der = p256::pkcs8::EncodePrivateKey::to_pkcs8_der(&sk.0).unwrap();
        let back = SecretKey::from_pkcs8_der(der.as_bytes()).unwrap();
        assert_eq!(*back.to_scalar(), *sk.to_scalar());
        assert!(SecretKey::from_pkcs8_der(&der.as_bytes()[1..]).is_none());
    }

    #[test]
    fn sign_then_verify_and_reject_changes() {
        let sk = SecretKey::from_scalar(&[7u8; 32]).unwrap();
        let pk = sk.public();
        let sig = sk.sign(b"hello");
        assert!(pk.verify(b"hello", &sig));
        assert!(!pk.verify(b"hellp", &sig));
        let mut bad = sig;
        bad[10] ^= 1;
        assert!(!pk.verify(b"hello", &bad));
        assert!(!pk.verify(b"hello", &sig[..63]));
        let round = PublicKey::from_sec1(&pk.to_uncompressed()).unwrap();
        assert!(round == pk);
        let der = pk.to_spki_der();
        assert!(PublicKey::from_spki_der(&der).unwrap() == pk);
        let pem = sk.to_pkcs8_pem().unwrap();
        let back = SecretKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(*back.to_scalar(), *sk.to_scalar());
        assert!(SecretKey::from_scalar(&[0u8; 32]).is_none());
        assert!(PublicKey::from_xy(&[1u8; 32], &[2u8; 32]).is_none());
    }
}
