//! KTP-el reader crypto: Triple-DES, ISO/IEC 9797-1 MACs, key derivation,
//! ISO/IEC 7816-4 APDUs, mutual authentication, secure messaging, ECDSA P-256
//! chip authentication and signed-data checks, and a virtual chip.
//!
//! PMDN 76/2020 requires a KTP-el reader and its SAM to use ISO 7816-4 APDUs,
//! 3-key TDES, SHA-256, ECDSA P-256, mutual authentication and anti-cloning.
//! The card's real keys and file layout are not public, so this module builds
//! on the open standards the specification names and on ICAO 9303 Part 11,
//! which uses the same building blocks for the same purpose, in two profiles
//! ([`kdf::Profile`]): `Icao9303` (2-key TDES, SHA-1 KDF; reproduces the
//! Appendix D worked example byte for byte) and `KtpEl` (3-key TDES, SHA-256
//! KDF).
//!
//! Everything protocol-related is sans-IO: the caller moves bytes between the
//! state machines and a card ([`reader::Transport`] is an optional driver).
//! The module builds without `std` (`no_std` + `alloc`) for reader firmware.
//!
//! | part | what |
//! |---|---|
//! | [`tdes`] | TDES-CBC (2-/3-key), padding methods 1–3, MAC algorithm 3, parity |
//! | [`kdf`] | ICAO SHA-1 KDF, KTP-el SHA-256 KDF, MRZ key seed |
//! | [`apdu`] | command/response APDUs, status words |
//! | [`auth`] | mutual authentication state machine, [`auth::KeyProvider`] |
//! | [`sm`] | secure messaging (protect / unprotect, both sides) |
//! | [`anticlone`] | chip authentication (P-256 challenge–response), signed file hashes |
//! | [`sim`] | a software KTP-el chip with fault injection |
//! | [`reader`] | a reader session over any [`reader::Transport`] (virtual chip, PC/SC) |
//!
//! ```
//! use ktpel_core::sam::{kdf::Profile, reader::ReaderSession, sim::VirtualChip, auth::MemoryKeys};
//! let seed = [0x42u8; 16];
//! let mut chip = VirtualChip::demo(Profile::KtpEl, &seed, 7);
//! let issuers = chip.trusted_issuers();
//! let mut session = ReaderSession::new(&mut chip);
//! let keys = MemoryKeys::from_seed(Profile::KtpEl, &seed).unwrap();
//! session.authenticate(keys, [1; 8], [2; 16]).unwrap();
//! let doc = session.verify_document(&issuers, [3; 32]).unwrap();
//! assert!(doc.files.contains_key(&ktpel_core::sam::sim::FID_BIODATA));
//! ```

pub mod anticlone;
pub mod apdu;
pub mod auth;
pub mod hex;
pub mod kdf;
#[cfg(feature = "pcsc")]
pub mod pcsc;
pub mod reader;
pub mod sim;
pub mod sm;
pub mod tdes;
pub mod tlv;
#[cfg(feature = "std")]
pub mod vpcd;

use alloc::string::String;

pub use apdu::StatusWord;
pub use kdf::Profile;

use crate::code::{Code, HasCode};
use crate::crypto::p256::EcdsaError;

/// Everything that can go wrong in `sam`. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SamError {
    /// A key has the wrong length.
    #[error("{what}: expected {expected}, got {len} bytes")]
    InvalidKey {
        /// Which key.
        what: &'static str,
        /// The accepted length(s).
        expected: &'static str,
        /// The length given.
        len: usize,
    },
    /// A weak DES key or a TDES key whose parts are equal.
    #[error("{what}: weak key (a part is a weak DES key or two parts are equal)")]
    WeakKey {
        /// Which key.
        what: &'static str,
    },
    /// Malformed hex.
    #[error("{what}: not hexadecimal (odd length or a character outside 0-9A-F)")]
    InvalidHex {
        /// Which argument.
        what: &'static str,
    },
    /// Wrong data length.
    #[error("{what}: expected {expected}, got {len} bytes")]
    InvalidLength {
        /// Which argument.
        what: &'static str,
        /// The accepted length(s).
        expected: &'static str,
        /// The length given.
        len: usize,
    },
    /// Padding method 2 missing after decryption.
    #[error("decrypted data: no ISO 9797-1 padding method 2 (80 00..) at the end")]
    BadPadding,
    /// A malformed APDU.
    #[error("APDU: {reason}")]
    ApduMalformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The card answered with an error status word.
    #[error("{command}: card answered {sw}")]
    CardError {
        /// The command that failed.
        command: &'static str,
        /// The status word.
        sw: StatusWord,
    },
    /// The card's M.IC is wrong.
    #[error("mutual authentication: the card's MAC (M.IC) is wrong; wrong keys or a forged answer")]
    AuthMacMismatch,
    /// The card did not echo the nonces.
    #[error(
        "mutual authentication: the card's answer does not contain the exchanged challenges (RND.IC, RND.IFD)"
    )]
    AuthNonceMismatch,
    /// A card answer during authentication had the wrong length.
    #[error("mutual authentication: {step} answer has {got} data bytes, expected {expected}")]
    AuthResponseLength {
        /// The step.
        step: &'static str,
        /// Expected data length.
        expected: usize,
        /// Actual data length.
        got: usize,
    },
    /// A step was called out of order.
    #[error("protocol step out of order: call {expected}")]
    WrongState {
        /// What to call.
        expected: &'static str,
    },
    /// The session failed before.
    #[error("session closed by an earlier failure; authenticate again")]
    SessionClosed,
    /// DO'8E does not match.
    #[error("secure messaging: the response MAC (DO'8E) is wrong")]
    SmMacMismatch,
    /// Malformed secure messaging objects.
    #[error("secure messaging: {reason}")]
    SmMalformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// The plain status word differs from DO'99.
    #[error("secure messaging: plain status {plain} differs from the protected status {protected}")]
    SmStatusMismatch {
        /// The unprotected status word.
        plain: StatusWord,
        /// The status word in DO'99.
        protected: StatusWord,
    },
    /// SSC exhausted.
    #[error("secure messaging: send sequence counter exhausted; authenticate again")]
    SscOverflow,
    /// Unknown document signer.
    #[error("security object: signer key id {key_id} is not in the trusted issuer list")]
    UntrustedIssuer {
        /// The key id (upper-case hex).
        key_id: String,
    },
    /// Malformed security object.
    #[error("security object: {reason}")]
    SecurityObjectMalformed {
        /// What is wrong.
        reason: &'static str,
    },
    /// A file's hash differs from the signed hash.
    #[error("file {fid:04X}: SHA-256 differs from the issuer-signed hash; the data was altered")]
    FileHashMismatch {
        /// File identifier.
        fid: u16,
    },
    /// A file is not in the security object.
    #[error("file {fid:04X}: not listed in the security object, cannot be trusted")]
    FileNotSigned {
        /// File identifier.
        fid: u16,
    },
    /// The chip's signature over the challenge does not verify.
    #[error(
        "chip authentication: the chip's signature over the challenge does not verify with its signed public key (likely a clone)"
    )]
    ChipAuthFailed,
    /// The key provider failed.
    #[error("key provider: {reason}")]
    KeyProvider {
        /// What failed.
        reason: &'static str,
    },
    /// The transport failed.
    #[error("card reader: {reason}")]
    Transport {
        /// What failed.
        reason: String,
    },
    /// An ECDSA error (signature of the issuer, key format).
    #[error(transparent)]
    Ecdsa(#[from] EcdsaError),
}

impl HasCode for SamError {
    fn code(&self) -> Code {
        match self {
            SamError::InvalidKey { .. } => Code::SamInvalidKey,
            SamError::WeakKey { .. } => Code::SamWeakKey,
            SamError::InvalidHex { .. } => Code::SamInvalidHex,
            SamError::InvalidLength { .. } => Code::SamInvalidLength,
            SamError::BadPadding => Code::SamBadPadding,
            SamError::ApduMalformed { .. } => Code::SamApduMalformed,
            SamError::CardError { .. } => Code::SamCardError,
            SamError::AuthMacMismatch => Code::SamAuthMacMismatch,
            SamError::AuthNonceMismatch => Code::SamAuthNonceMismatch,
            SamError::AuthResponseLength { .. } => Code::SamAuthResponseLength,
            SamError::WrongState { .. } => Code::SamWrongState,
            SamError::SessionClosed => Code::SamSessionClosed,
            SamError::SmMacMismatch => Code::SamSmMacMismatch,
            SamError::SmMalformed { .. } => Code::SamSmMalformed,
            SamError::SmStatusMismatch { .. } => Code::SamSmStatusMismatch,
            SamError::SscOverflow => Code::SamSscOverflow,
            SamError::UntrustedIssuer { .. } => Code::SamUntrustedIssuer,
            SamError::SecurityObjectMalformed { .. } => Code::SamSecurityObjectMalformed,
            SamError::FileHashMismatch { .. } => Code::SamFileHashMismatch,
            SamError::FileNotSigned { .. } => Code::SamFileNotSigned,
            SamError::ChipAuthFailed => Code::SamChipAuthFailed,
            SamError::KeyProvider { .. } => Code::SamKeyProvider,
            SamError::Transport { .. } => Code::SamTransport,
            SamError::Ecdsa(e) => e.code(),
        }
    }
}

/// Fills `buf` from the operating system's cryptographic RNG.
#[cfg(feature = "std")]
pub fn os_random(buf: &mut [u8]) -> Result<(), SamError> {
    getrandom::fill(buf).map_err(|_| SamError::KeyProvider {
        reason: "the operating system's random number generator failed",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_sam_or_ecdsa_code() {
        let errs = [
            SamError::BadPadding,
            SamError::AuthMacMismatch,
            SamError::SessionClosed,
            SamError::ChipAuthFailed,
            SamError::Ecdsa(EcdsaError::BadSignature),
        ];
        for e in errs {
            let n = e.code().as_u32();
            assert!((600..700).contains(&n), "{e}: {n}");
        }
    }
}
