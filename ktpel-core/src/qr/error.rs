//! The one error type of the `qr` module.

use crate::code::{Code, HasCode};
use alloc::string::String;

/// Why issuing or verifying an IKD QR token failed.
///
/// Every variant maps to one stable [`Code`] (numbers 500–599). Messages name
/// the field and the reason but never a key, a plaintext byte or the position
/// of a bad byte: a failed check tells the caller *which check* failed and
/// nothing more.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The token is not a well-formed IKD token.
    #[error("token: not a well-formed IKD QR token ({reason})")]
    Malformed {
        /// Which layer was malformed (prefix, Base45, CBOR, COSE).
        reason: &'static str,
    },
    /// `IKDn:` prefix with an unknown version.
    #[error("token: format version is not IKD1; update the scanner software")]
    UnknownVersion,
    /// The token or its decompressed content exceeds a limit.
    #[error("token: {what} is larger than the limit of {limit} bytes")]
    TokenTooLarge {
        /// What was too large (`"token text"`, `"decompressed content"`).
        what: &'static str,
        /// The limit in bytes (characters for the token text).
        limit: usize,
    },
    /// The zlib stream is corrupt.
    #[error("token: the zlib-compressed content is corrupt")]
    DecompressFailed,
    /// No key with the token's `kid`.
    #[error("{purpose} key: no trusted key has the token's kid; update the key set")]
    UnknownKey {
        /// `"signing"` or `"decryption"`.
        purpose: &'static str,
    },
    /// Algorithm or critical header not accepted.
    #[error("{what}: not accepted (only ES256 signatures and A256GCM encryption are)")]
    UnsupportedAlgorithm {
        /// The header that was not accepted.
        what: &'static str,
    },
    /// A256GCM authentication failed.
    #[error("encryption: the token could not be decrypted (wrong key or altered token)")]
    DecryptFailed,
    /// ES256 signature invalid.
    #[error("signature: not valid for the token's signing key (forged or altered token)")]
    BadSignature,
    /// Signed but not encrypted token while encryption is required.
    #[error("encryption: the token is not encrypted and this verifier requires encryption")]
    EncryptionRequired,
    /// Past `exp` + leeway.
    #[error("exp: the token expired {seconds} s ago; ask the holder for a fresh QR code")]
    Expired {
        /// How many seconds past `exp` the verification time is.
        seconds: i64,
    },
    /// Before `nbf`/`iat` - leeway.
    #[error("{claim}: the token is valid only {seconds} s from now; check the scanner clock")]
    NotYetValid {
        /// `"nbf"` or `"iat"`.
        claim: &'static str,
        /// Seconds until the token becomes valid.
        seconds: i64,
    },
    /// `exp - iat` above the maximum.
    #[error("exp - iat: the token lives {ttl} s, more than the allowed {max} s")]
    TtlTooLong {
        /// The token's lifetime `exp - iat` in seconds.
        ttl: i64,
        /// The verifier's maximum in seconds.
        max: u64,
    },
    /// `aud` mismatch.
    #[error("aud: the token is addressed to another audience")]
    WrongAudience,
    /// `iss` mismatch.
    #[error("iss: the token comes from an issuer this verifier does not accept")]
    WrongIssuer,
    /// A required claim is absent.
    #[error("{claim}: required claim is missing")]
    MissingClaim {
        /// The claim name (`"iss"`, `"exp"`, `"identity (-65537)"`, …).
        claim: &'static str,
    },
    /// A claim has the wrong type or value.
    #[error("{claim}: {reason}")]
    InvalidClaim {
        /// The claim name.
        claim: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `cti` already used.
    #[error("cti: this token was already used; ask the holder for a fresh QR code")]
    Replayed,
    /// The replay store failed; the token is not accepted (fail closed).
    #[error("replay store: unavailable ({reason}); the token was not accepted")]
    ReplayStoreUnavailable {
        /// Why (without addresses or credentials).
        reason: String,
    },
    /// The in-memory replay store is full of live entries.
    #[error(
        "replay store: full (bound {capacity} entries) of live tokens; the token was not accepted"
    )]
    ReplayStoreFull {
        /// The store's bound in entries.
        capacity: usize,
    },
    /// Invalid key material.
    #[error("key: {reason}")]
    InvalidKey {
        /// What is wrong with the key (never its value).
        reason: &'static str,
    },
    /// Issuer TTL out of range.
    #[error("ttl: {ttl} s is outside 1..={max} s")]
    InvalidTtl {
        /// The requested TTL in seconds.
        ttl: u64,
        /// The issuer's maximum in seconds.
        max: u64,
    },
    /// OS randomness failed.
    #[error("randomness: the system random number generator failed")]
    RandomnessUnavailable,
}

impl QrError {
    pub(crate) const fn malformed(reason: &'static str) -> Self {
        QrError::Malformed { reason }
    }
    pub(crate) const fn invalid_claim(claim: &'static str, reason: &'static str) -> Self {
        QrError::InvalidClaim { claim, reason }
    }
    pub(crate) const fn invalid_key(reason: &'static str) -> Self {
        QrError::InvalidKey { reason }
    }
}

impl HasCode for QrError {
    fn code(&self) -> Code {
        match self {
            QrError::Malformed { .. } => Code::Malformed,
            QrError::UnknownVersion => Code::UnknownVersion,
            QrError::TokenTooLarge { .. } => Code::TokenTooLarge,
            QrError::DecompressFailed => Code::DecompressFailed,
            QrError::UnknownKey { .. } => Code::UnknownKey,
            QrError::UnsupportedAlgorithm { .. } => Code::UnsupportedAlgorithm,
            QrError::DecryptFailed => Code::DecryptFailed,
            QrError::BadSignature => Code::BadSignature,
            QrError::EncryptionRequired => Code::EncryptionRequired,
            QrError::Expired { .. } => Code::Expired,
            QrError::NotYetValid { .. } => Code::NotYetValid,
            QrError::TtlTooLong { .. } => Code::TtlTooLong,
            QrError::WrongAudience => Code::WrongAudience,
            QrError::WrongIssuer => Code::WrongIssuer,
            QrError::MissingClaim { .. } => Code::MissingClaim,
            QrError::InvalidClaim { .. } => Code::InvalidClaim,
            QrError::Replayed => Code::Replayed,
            QrError::ReplayStoreUnavailable { .. } => Code::ReplayStoreUnavailable,
            QrError::ReplayStoreFull { .. } => Code::ReplayStoreFull,
            QrError::InvalidKey { .. } => Code::InvalidKey,
            QrError::InvalidTtl { .. } => Code::InvalidTtl,
            QrError::RandomnessUnavailable => Code::RandomnessUnavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_qr_code_is_in_range_and_messages_name_the_field() {
        let all = [
            QrError::malformed("x"),
            QrError::UnknownVersion,
            QrError::TokenTooLarge {
                what: "token text",
                limit: 1,
            },
            QrError::DecompressFailed,
            QrError::UnknownKey { purpose: "signing" },
            QrError::UnsupportedAlgorithm { what: "alg" },
            QrError::DecryptFailed,
            QrError::BadSignature,
            QrError::EncryptionRequired,
            QrError::Expired { seconds: 3 },
            QrError::NotYetValid {
                claim: "nbf",
                seconds: 3,
            },
            QrError::TtlTooLong { ttl: 100, max: 90 },
            QrError::WrongAudience,
            QrError::WrongIssuer,
            QrError::MissingClaim { claim: "exp" },
            QrError::invalid_claim("cti", "x"),
            QrError::Replayed,
            QrError::ReplayStoreUnavailable { reason: "x".into() },
            QrError::ReplayStoreFull { capacity: 1 },
            QrError::invalid_key("x"),
            QrError::InvalidTtl { ttl: 0, max: 90 },
            QrError::RandomnessUnavailable,
        ];
        let mut seen = alloc::collections::BTreeSet::new();
        for e in &all {
            let n = e.code().as_u32();
            assert!((500..600).contains(&n), "{e:?} -> {n}");
            assert!(seen.insert(n), "two variants share code {n}");
            assert!(!alloc::format!("{e}").is_empty());
        }
        assert_eq!(seen.len(), 22);
    }
}
