//! IKD QR tokens: encrypted, signed, short-lived (90 s), single-use identity
//! tokens shown by the IKD (Identitas Kependudukan Digital) app.
//!
//! Built on open standards so any COSE/CWT implementation interoperates
//! (format: `docs/qr-format.md`):
//!
//! 1. a CWT claims set (RFC 8392): `iss`, `iat`, `exp`, optional `nbf` and
//!    `aud`, `cti` (16 random bytes, the single-use id), and the identity map
//!    under the private-use claim key [`IDENTITY_CLAIM_KEY`] (`-65537`);
//! 2. signed as a COSE_Sign1 (RFC 9052) with ES256, `kid` in the protected
//!    header;
//! 3. encrypted (default) as a COSE_Encrypt0 with A256GCM, `kid` and a random
//!    12-byte IV in the unprotected header;
//! 4. zlib-compressed, Base45-encoded (RFC 9285) and prefixed `IKD1:`.
//!
//! [`Verifier`] (decode, decrypt, verify, claims, replay) builds without the
//! standard library (`no_std` + `alloc`): the caller supplies the [`Clock`]
//! and the [`ReplayStore`]. [`Issuer::issue`], [`SystemClock`] and
//! [`MemoryReplayStore`] need `std`; `RedisReplayStore` needs the `redis`
//! feature.
//!
//! Limits on untrusted input: token text at most [`MAX_TOKEN_CHARS`]
//! characters, decompressed content at most [`MAX_DECOMPRESSED_BYTES`] bytes,
//! CBOR nesting at most 256 levels (ciborium's limit).

mod claims;
mod codec;
mod error;
mod es256;
mod issuer;
mod keys;
#[cfg(feature = "redis")]
mod redis_store;
mod replay;
mod verifier;

pub use claims::{Claims, IDENTITY_CLAIM_KEY, Identity, VerifiedClaims};
pub use codec::{
    MAX_DECOMPRESSED_BYTES, MAX_TOKEN_CHARS, PREFIX, decode_transport, encode_transport,
};
pub use error::QrError;
pub use issuer::{IssuedToken, Issuer};
pub use keys::{EncryptionKey, Jwk, Key, KeySet, SigningKey, VerifyingKey};
#[cfg(feature = "redis")]
pub use redis_store::RedisReplayStore;
#[cfg(feature = "std")]
pub use replay::MemoryReplayStore;
pub use replay::{ReplayStore, ReplayStoreError};
pub use verifier::{DEFAULT_LEEWAY, DEFAULT_MAX_TTL, Verifier};

use alloc::string::String;

/// The time source of issuers and verifiers, in Unix seconds.
pub trait Clock: Send + Sync {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> i64;
}

/// A clock that always shows the same time (tests, `--now`, replaying logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0
    }
}

/// The operating system's wall clock.
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[cfg(feature = "std")]
impl Clock for SystemClock {
    fn now(&self) -> i64 {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        }
    }
}

/// Upper-case hex, the byte notation of the vectors and the CLI.
pub fn hex_upper(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}
