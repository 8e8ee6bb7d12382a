//! Privacy and accountability: keyed NIK tokens, matching on tokens, and a
//! tamper-evident access log.
//!
//! | item | what for |
//! |---|---|
//! | [`TokenKey`], [`TokenKey::tokenize_nik`], [`TokenKey::tokenize_element`] | keyed deterministic pseudonyms (HMAC-SHA-256): two agencies sharing a key link records without exchanging NIKs; other keys give unlinkable tokens |
//! | [`Token`] | the versioned compact text form `N1<kid>-<16 Crockford base32>` and its parser |
//! | [`merkle`] | RFC 9162 Merkle tree hashing, inclusion proofs and their verification |
//! | [`audit`] | the append-only access log: entries chained by SHA-256, signed checkpoints (ECDSA P-256), verification naming the first bad entry |
//! | `audit::AuditLog`, `tokenize_csv` (feature `io`) | the crash-safe log file writer and the streaming CSV tokenizer |
//!
//! Token computation and log verification work without `std`; files need
//! the `io` feature. Codes 700–799 ([`Code`]). The design, formats and key
//! rotation are described in `docs/privacy.md`.
//!
//! ```
//! use ktpel_core::privacy::TokenKey;
//! let key = TokenKey::new("JKT1", &[7u8; 32]).unwrap();
//! let a = key.tokenize_nik("3174015708900123").unwrap();
//! assert!(a.starts_with("N1JKT1-"));
//! assert_eq!(a, key.tokenize_nik("3174015708900123").unwrap());
//! let other = TokenKey::new("JKT1", &[8u8; 32]).unwrap();
//! assert_ne!(a, other.tokenize_nik("3174015708900123").unwrap());
//! ```

pub mod audit;
pub mod merkle;
mod token;
#[cfg(feature = "io")]
mod tokenize_csv;

use alloc::string::String;

pub use token::{
    ELEMENT_LABEL, MAC_BYTES, NIK_LABEL, TOKEN_VERSION, Token, TokenKey, TokenKind, element_input,
};
#[cfg(feature = "io")]
pub use tokenize_csv::{TokenColumn, TokenizeSummary, tokenize_csv};

use crate::{Code, HasCode};

/// Errors of the privacy module. Messages never contain key material or the
/// value being tokenized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PrivacyError {
    /// The token key or its key file is invalid.
    #[error("the token key is invalid: {0}")]
    InvalidKey(&'static str),
    /// The NIK is not valid, so it gets no token (never a silent token).
    #[error("the NIK cannot be tokenized: {code} ({})", code.description())]
    InvalidNik {
        /// The NIK check's code (`WRONG_LENGTH`, `UNKNOWN_PROVINCE`, ...).
        code: Code,
    },
    /// The name is empty or not a name, so it gets no element token.
    #[error("the name cannot be tokenized: {code} ({})", code.description())]
    InvalidName {
        /// The name check's code (`EMPTY`, `PLACEHOLDER`, ...).
        code: Code,
    },
    /// The birth date could not be read.
    #[error("the birth date cannot be read: write it as DD-MM-YYYY")]
    InvalidDate,
    /// A text is not a token.
    #[error("the value is not a ktpel token: {0}")]
    InvalidToken(&'static str),
    /// A token was made under another key id.
    #[error("the token was made with key id {found:?}, expected {expected:?}")]
    TokenKeyMismatch {
        /// The expected key id.
        expected: String,
        /// The token's key id.
        found: String,
    },
    /// The audit log (or a proof, or a checkpoint) failed verification or
    /// could not be used.
    #[error("{0}")]
    Audit(audit::AuditFailure),
    /// Reading or writing a file failed.
    #[error("reading or writing {path} failed: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// A column named for tokenizing is not in the file.
    #[error("the file has no column {column:?}; its columns are: {available}")]
    ColumnNotFound {
        /// The column.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
}

impl HasCode for PrivacyError {
    fn code(&self) -> Code {
        match self {
            PrivacyError::InvalidKey(_) => Code::TokenKeyInvalid,
            PrivacyError::InvalidNik { code } | PrivacyError::InvalidName { code } => *code,
            PrivacyError::InvalidDate => Code::UnparseableDate,
            PrivacyError::InvalidToken(_) => Code::InvalidToken,
            PrivacyError::TokenKeyMismatch { .. } => Code::TokenKeyMismatch,
            PrivacyError::Audit(f) => f.code,
            PrivacyError::Io { .. } => Code::Io,
            PrivacyError::ColumnNotFound { .. } => Code::ColumnNotFound,
        }
    }
}

impl From<audit::AuditFailure> for PrivacyError {
    fn from(f: audit::AuditFailure) -> Self {
        PrivacyError::Audit(f)
    }
}

/// The matching policy of tokenized files: the element token (name
/// matching key + birth date, in the name column) must be equal; the
/// register's `STATUS` (not tokenized) is returned. On clear data the same
/// categories come from `NameKey` + exact `Date` rules, both required.
#[cfg(feature = "io")]
pub fn token_policy() -> crate::matching::Policy {
    use crate::matching::{Comparison, Element, Policy, Rule};
    Policy {
        rules: alloc::vec![Rule {
            element: Element::Name,
            comparison: Comparison::Exact,
            required: true,
        }],
        min_agreeing: 1,
        returned: alloc::vec![Element::Nik, Element::Status],
    }
}

/// Upper-case hex of `b` (vectors and log files use it).
pub(crate) fn hex_upper(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(H[usize::from(x >> 4)] as char);
        s.push(H[usize::from(x & 15)] as char);
    }
    s
}

/// Decodes exactly `N` bytes of upper-case hex (lower case is rejected so
/// that every value has one spelling).
pub(crate) fn unhex_upper<const N: usize>(s: &str) -> Option<[u8; N]> {
    let b = s.as_bytes();
    if b.len() != 2 * N {
        return None;
    }
    let nib = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = nib(b[2 * i])? << 4 | nib(b[2 * i + 1])?;
    }
    Some(out)
}
