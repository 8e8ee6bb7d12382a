//! Anti-cloning: signed data (passive) and chip authentication (active).
//!
//! **Signed data.** The issuer signs a *security object* listing the SHA-256
//! of every file on the chip, including the file that holds the chip's own
//! P-256 public key. A reader that trusts the issuer's document-signing key
//! ([`TrustedIssuers`]) can tell altered data ([`SamError::FileHashMismatch`])
//! and forged lists ([`SamError::Ecdsa`]) from genuine ones — as ICAO 9303
//! passive authentication does with EF.SOD.
//!
//! **Chip authentication.** Copying files is easy; copying the chip's private
//! key is not. The reader sends a fresh 32-byte challenge in INTERNAL
//! AUTHENTICATE (`00 88 00 00 20 ‖ challenge ‖ 40`); the chip answers with an
//! ECDSA P-256 signature (raw `r‖s`) over SHA-256(challenge), which must
//! verify under the public key from the signed file
//! ([`SamError::ChipAuthFailed`] otherwise) — as ICAO 9303 active
//! authentication does with ECDSA.
//!
//! Security object encoding (BER-TLV, this crate's own documented layout,
//! because the KTP-el card's is not public):
//!
//! ```text
//! 77 L
//!    42 L  issuer key id
//!    61 L  { 81 02 file id ‖ 82 20 SHA-256(file) }     (one per file)
//!    5F37 40  ECDSA P-256 signature r‖s over SHA-256(all bytes from 42 up to 5F37)
//! ```

use alloc::vec::Vec;
use sha2::{Digest, Sha256};

use super::SamError;
use super::apdu::CommandApdu;
use super::tlv;
use crate::crypto::p256::{EcdsaError, EcdsaP256Verifier, P256SigningKey};

/// Length of the chip-authentication challenge.
pub const CHALLENGE_LEN: usize = 32;

/// The trusted document-signing keys, by key id.
#[derive(Debug, Clone, Default)]
pub struct TrustedIssuers {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
}

impl TrustedIssuers {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an issuer key (SEC1 public key) under its key id.
    pub fn add(&mut self, key_id: &[u8], public_key_sec1: &[u8]) {
        self.entries
            .push((key_id.to_vec(), public_key_sec1.to_vec()));
    }

    /// The public key for a key id.
    pub fn get(&self, key_id: &[u8]) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, k)| k.as_slice())
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A parsed security object: the signed list of file hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityObject {
    /// The id of the signing key.
    pub issuer_key_id: Vec<u8>,
    /// `(file id, SHA-256)` for every signed file.
    pub hashes: Vec<(u16, [u8; 32])>,
    signed: Vec<u8>,
    signature: Vec<u8>,
}

fn malformed(reason: &'static str) -> SamError {
    SamError::SecurityObjectMalformed { reason }
}

impl SecurityObject {
    /// Builds and signs a security object over `files` (issuer side; used by
    /// the virtual chip and test personalisation).
    pub fn sign(issuer_key_id: &[u8], files: &[(u16, &[u8])], issuer: &P256SigningKey) -> Vec<u8> {
        let mut signed = Vec::new();
        tlv::push_tlv(&mut signed, 0x42, issuer_key_id);
        for (fid, content) in files {
            let mut entry = Vec::with_capacity(40);
            tlv::push_tlv(&mut entry, 0x81, &fid.to_be_bytes());
            tlv::push_tlv(&mut entry, 0x82, &Sha256::digest(content));
            tlv::push_tlv(&mut signed, 0x61, &entry);
        }
        let sig = issuer.sign_raw(&signed);
        let mut body = signed;
        tlv::push_tlv(&mut body, 0x5F37, &sig);
        let mut out = Vec::with_capacity(body.len() + 4);
        tlv::push_tlv(&mut out, 0x77, &body);
        out
    }

    /// Parses the encoding (never panics; malformed input is an error).
    pub fn parse(bytes: &[u8]) -> Result<SecurityObject, SamError> {
        let (outer, rest) = tlv::next(bytes).ok_or(malformed("truncated outer 77 object"))?;
        if outer.tag != 0x77 || !rest.is_empty() {
            return Err(malformed("expected exactly one 77 object"));
        }
        let objects = tlv::parse_all(outer.value).ok_or(malformed("truncated data object"))?;
        let (last, entries) = objects
            .split_last()
            .ok_or(malformed("empty security object"))?;
        if last.tag != 0x5F37 {
            return Err(malformed("the signature 5F37 must come last"));
        }
        let (first, entries) = entries
            .split_first()
            .ok_or(malformed("missing issuer key id 42"))?;
        if first.tag != 0x42 {
            return Err(malformed("the issuer key id 42 must come first"));
        }
        let mut hashes = Vec::with_capacity(entries.len());
        for e in entries {
            if e.tag != 0x61 {
                return Err(malformed("file entries must be 61 objects"));
            }
            match tlv::parse_all(e.value).as_deref() {
                Some([fid, hash])
                    if fid.tag == 0x81
                        && fid.value.len() == 2
                        && hash.tag == 0x82
                        && hash.value.len() == 32 =>
                {
                    let id = u16::from_be_bytes([fid.value[0], fid.value[1]]);
                    if hashes.iter().any(|(f, _)| *f == id) {
                        return Err(malformed("a file is listed twice"));
                    }
                    let mut h = [0u8; 32];
                    h.copy_from_slice(hash.value);
                    hashes.push((id, h));
                }
                _ => {
                    return Err(malformed(
                        "a file entry needs 81 (2-byte id) and 82 (32-byte hash)",
                    ));
                }
            }
        }
        let signed_len = outer.value.len() - last.raw.len();
        Ok(SecurityObject {
            issuer_key_id: first.value.to_vec(),
            hashes,
            signed: outer.value[..signed_len].to_vec(),
            signature: last.value.to_vec(),
        })
    }

    /// Checks the issuer's signature with a trusted key.
    pub fn verify_signature(
        &self,
        issuers: &TrustedIssuers,
        verifier: &dyn EcdsaP256Verifier,
    ) -> Result<(), SamError> {
        let key = issuers
            .get(&self.issuer_key_id)
            .ok_or_else(|| SamError::UntrustedIssuer {
                key_id: super::hex::encode(&self.issuer_key_id),
            })?;
        verifier
            .verify_raw(key, &self.signed, &self.signature)
            .map_err(SamError::Ecdsa)
    }

    /// The signed hash of a file.
    pub fn hash_of(&self, fid: u16) -> Option<&[u8; 32]> {
        self.hashes.iter().find(|(f, _)| *f == fid).map(|(_, h)| h)
    }

    /// Checks a file's content against its signed hash (constant time).
    pub fn check_file(&self, fid: u16, content: &[u8]) -> Result<(), SamError> {
        use subtle::ConstantTimeEq;
        let expected = self.hash_of(fid).ok_or(SamError::FileNotSigned { fid })?;
        if bool::from(Sha256::digest(content).as_slice().ct_eq(expected)) {
            Ok(())
        } else {
            Err(SamError::FileHashMismatch { fid })
        }
    }
}

/// The INTERNAL AUTHENTICATE command carrying the reader's challenge.
pub fn chip_auth_command(challenge: &[u8; CHALLENGE_LEN]) -> CommandApdu {
    CommandApdu::new(0x00, 0x88, 0x00, 0x00, challenge.to_vec(), Some(64))
}

/// Checks the chip's answer to INTERNAL AUTHENTICATE: a raw `r‖s` signature
/// over SHA-256(`challenge`) under `chip_public_key`.
pub fn verify_chip_signature(
    verifier: &dyn EcdsaP256Verifier,
    chip_public_key: &[u8],
    challenge: &[u8; CHALLENGE_LEN],
    signature: &[u8],
) -> Result<(), SamError> {
    match verifier.verify_raw(chip_public_key, challenge, signature) {
        Ok(()) => Ok(()),
        Err(EcdsaError::InvalidPublicKey) => Err(SamError::Ecdsa(EcdsaError::InvalidPublicKey)),
        Err(_) => Err(SamError::ChipAuthFailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::p256::{RustCryptoP256, default_verifier};
    use proptest::prelude::*;

    fn setup() -> (P256SigningKey, TrustedIssuers, Vec<u8>) {
        let issuer = P256SigningKey::from_bytes(&[9; 32]).unwrap();
        let mut t = TrustedIssuers::new();
        t.add(b"DS1", &issuer.public_key_sec1());
        let so = SecurityObject::sign(b"DS1", &[(0x0101, b"abc"), (0x0102, &[7; 300])], &issuer);
        (issuer, t, so)
    }

    #[test]
    fn genuine_altered_and_forged() {
        let (_, trusted, so) = setup();
        let parsed = SecurityObject::parse(&so).unwrap();
        parsed
            .verify_signature(&trusted, default_verifier())
            .unwrap();
        parsed.check_file(0x0101, b"abc").unwrap();
        assert_eq!(
            parsed.check_file(0x0101, b"abd"),
            Err(SamError::FileHashMismatch { fid: 0x0101 })
        );
        assert_eq!(
            parsed.check_file(0x0103, b""),
            Err(SamError::FileNotSigned { fid: 0x0103 })
        );
        // A forger re-signs with his own key under the trusted id.
        let forger = P256SigningKey::from_bytes(&[8; 32]).unwrap();
        let forged = SecurityObject::sign(b"DS1", &[(0x0101, b"abd")], &forger);
        assert_eq!(
            SecurityObject::parse(&forged)
                .unwrap()
                .verify_signature(&trusted, &RustCryptoP256),
            Err(SamError::Ecdsa(EcdsaError::BadSignature))
        );
        let unknown = SecurityObject::sign(b"DS9", &[(0x0101, b"abc")], &forger);
        assert!(matches!(
            SecurityObject::parse(&unknown)
                .unwrap()
                .verify_signature(&trusted, &RustCryptoP256),
            Err(SamError::UntrustedIssuer { .. })
        ));
    }

    #[test]
    fn chip_signature() {
        let chip = P256SigningKey::from_bytes(&[5; 32]).unwrap();
        let challenge = [1u8; 32];
        let sig = chip.sign_raw(&challenge);
        let pk = chip.public_key_sec1();
        verify_chip_signature(default_verifier(), &pk, &challenge, &sig).unwrap();
        let clone = P256SigningKey::from_bytes(&[6; 32]).unwrap();
        assert_eq!(
            verify_chip_signature(
                default_verifier(),
                &pk,
                &challenge,
                &clone.sign_raw(&challenge)
            ),
            Err(SamError::ChipAuthFailed)
        );
        assert_eq!(
            verify_chip_signature(default_verifier(), &pk, &[2; 32], &sig),
            Err(SamError::ChipAuthFailed)
        );
        assert_eq!(
            chip_auth_command(&challenge).to_bytes().len(),
            4 + 1 + 32 + 1
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = SecurityObject::parse(&b);
        }

        #[test]
        fn any_bit_flip_is_rejected(i in 0usize..10_000, bit in 0u8..8) {
            let (_, trusted, mut so) = setup();
            let i = i % so.len();
            so[i] ^= 1 << bit;
            let ok = SecurityObject::parse(&so)
                .and_then(|p| p.verify_signature(&trusted, &RustCryptoP256).map(|_| p))
                .and_then(|p| { p.check_file(0x0101, b"abc")?; p.check_file(0x0102, &[7; 300]) });
            prop_assert!(ok.is_err());
        }
    }
}
