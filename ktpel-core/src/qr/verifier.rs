//! The verifier: token text → checked claims. Builds `no_std` + `alloc`.

use super::claims::{RawClaims, VerifiedClaims, kid_text, parse_claims};
use super::error::QrError;
use super::keys::{EncryptionKey, KeySet, VerifyingKey};
use super::replay::ReplayStore;
use super::{Clock, codec};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use ciborium::Value;
use coset::{AsCborValue, CoseEncrypt0, CoseSign1, Header, iana};

/// Default and recommended maximum token lifetime (`exp - iat`), seconds.
pub const DEFAULT_MAX_TTL: u64 = 90;

/// Default clock leeway, seconds: how far the scanner's clock may differ from
/// the issuer's. A token is accepted until `exp + leeway`, and from
/// `nbf - leeway` / `iat - leeway`; its id is remembered until `exp + leeway`.
pub const DEFAULT_LEEWAY: u64 = 5;

/// CBOR tags (RFC 9052 §2, RFC 8392 §6).
const TAG_ENCRYPT0: u64 = 16;
const TAG_SIGN1: u64 = 18;
const TAG_CWT: u64 = 61;

/// Verifies IKD QR tokens: transport, decryption, signature, claims, single
/// use — in that order; the token id is recorded as used only after every
/// other check passed.
///
/// Configuration: trusted signing keys by kid (several at once during key
/// rotation), decryption keys by kid, accepted issuers and audience,
/// `max_ttl` (default [`DEFAULT_MAX_TTL`]), `leeway` (default
/// [`DEFAULT_LEEWAY`]), whether encryption is required (default yes), a
/// [`Clock`] and a [`ReplayStore`].
///
/// ```
/// # #[cfg(feature = "std")] {
/// use ktpel_core::qr::*;
/// use std::sync::Arc;
///
/// let sig = SigningKey::from_scalar("sig-2026-01", &[0x11; 32]).unwrap();
/// let enc = EncryptionKey::from_bytes("enc-2026-01", &[0x22; 32]).unwrap();
/// let clock = Arc::new(FixedClock(1_780_000_000));
/// let issuer = Issuer::new(sig.clone(), Some(enc.clone()), clock.clone());
/// let claims = Claims {
///     iss: "dukcapil.kemendagri.go.id".into(),
///     aud: Some("bank-xyz".into()),
///     nbf: None,
///     identity: Identity { nik: Some("3174011501900001".into()), ..Identity::default() },
/// };
/// let token = issuer.issue(&claims, 90).unwrap();
///
/// let verifier = Verifier::new(clock, Arc::new(MemoryReplayStore::default()))
///     .trust(sig.verifying_key())
///     .decryption_key(enc)
///     .audience("bank-xyz");
/// let ok = verifier.verify(&token).unwrap();
/// assert_eq!(ok.identity.nik.as_deref(), Some("3174011501900001"));
/// // Single use: the second scan fails.
/// let again = verifier.verify(&token).unwrap_err();
/// assert_eq!(ktpel_core::HasCode::code(&again).as_str(), "REPLAYED");
/// # }
/// ```
#[derive(Clone)]
pub struct Verifier {
    signing_keys: Vec<VerifyingKey>,
    decryption_keys: Vec<EncryptionKey>,
    issuers: Vec<String>,
    audience: Option<String>,
    max_ttl: u64,
    leeway: u64,
    require_encryption: bool,
    clock: Arc<dyn Clock>,
    replay: Arc<dyn ReplayStore>,
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("signing_keys", &self.signing_keys)
            .field("decryption_keys", &self.decryption_keys)
            .field("issuers", &self.issuers)
            .field("audience", &self.audience)
            .field("max_ttl", &self.max_ttl)
            .field("leeway", &self.leeway)
            .field("require_encryption", &self.require_encryption)
            .finish_non_exhaustive()
    }
}

enum Cose {
    Encrypt0(CoseEncrypt0),
    Sign1(CoseSign1),
}

fn parse_cose(bytes: &[u8]) -> Result<Cose, QrError> {
    let mut rest = bytes;
    let v: Value = ciborium::de::from_reader(&mut rest)
        .map_err(|_| QrError::malformed("the content is not CBOR"))?;
    if !rest.is_empty() {
        return Err(QrError::malformed("bytes follow the COSE object"));
    }
    let v = match v {
        Value::Tag(TAG_CWT, inner) => *inner,
        v => v,
    };
    let bad = |_| QrError::malformed("the COSE structure is invalid");
    match v {
        Value::Tag(TAG_ENCRYPT0, inner) => Ok(Cose::Encrypt0(
            CoseEncrypt0::from_cbor_value(*inner).map_err(bad)?,
        )),
        Value::Tag(TAG_SIGN1, inner) => Ok(Cose::Sign1(
            CoseSign1::from_cbor_value(*inner).map_err(bad)?,
        )),
        Value::Tag(..) => Err(QrError::malformed("not a COSE_Encrypt0 or COSE_Sign1 tag")),
        Value::Array(a) if a.len() == 3 => Ok(Cose::Encrypt0(
            CoseEncrypt0::from_cbor_value(Value::Array(a)).map_err(bad)?,
        )),
        Value::Array(a) if a.len() == 4 => Ok(Cose::Sign1(
            CoseSign1::from_cbor_value(Value::Array(a)).map_err(bad)?,
        )),
        _ => Err(QrError::malformed("not a COSE_Encrypt0 or COSE_Sign1")),
    }
}

/// The kid from the protected header, else the unprotected one.
fn kid<'a>(protected: &'a Header, unprotected: &'a Header) -> &'a [u8] {
    if !protected.key_id.is_empty() {
        &protected.key_id
    } else {
        &unprotected.key_id
    }
}

fn no_crit(h: &Header) -> Result<(), QrError> {
    if h.crit.is_empty() {
        Ok(())
    } else {
        Err(QrError::UnsupportedAlgorithm {
            what: "crit header",
        })
    }
}

impl Verifier {
    /// A verifier with no keys yet, the given clock and replay store, and the
    /// defaults: max TTL 90 s, leeway 5 s, encryption required, no audience.
    pub fn new(clock: Arc<dyn Clock>, replay: Arc<dyn ReplayStore>) -> Self {
        Verifier {
            signing_keys: Vec::new(),
            decryption_keys: Vec::new(),
            issuers: Vec::new(),
            audience: None,
            max_ttl: DEFAULT_MAX_TTL,
            leeway: DEFAULT_LEEWAY,
            require_encryption: true,
            clock,
            replay,
        }
    }

    /// The system clock and an in-memory replay store of default capacity.
    #[cfg(feature = "std")]
    pub fn with_defaults() -> Self {
        Self::new(
            Arc::new(super::SystemClock),
            Arc::new(super::MemoryReplayStore::default()),
        )
    }

    /// Trusts an ES256 key for its kid (add several during key rotation).
    pub fn trust(mut self, key: VerifyingKey) -> Self {
        self.signing_keys.retain(|k| k.kid() != key.kid());
        self.signing_keys.push(key);
        self
    }

    /// Adds an A256GCM key for its kid.
    pub fn decryption_key(mut self, key: EncryptionKey) -> Self {
        self.decryption_keys.retain(|k| k.kid() != key.kid());
        self.decryption_keys.push(key);
        self
    }

    /// Trusts every public key and adds every encryption key of a key set.
    pub fn keys(mut self, set: &KeySet) -> Self {
        for k in &set.verifying {
            self = self.trust(k.clone());
        }
        for k in &set.encryption {
            self = self.decryption_key(k.clone());
        }
        self
    }

    /// Accepts tokens from this issuer (`iss`); call again for more. With
    /// none set, any issuer signing with a trusted key is accepted.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuers.push(iss.into());
        self
    }

    /// This verifier's audience: tokens must carry `aud` equal to it. Without
    /// an audience, tokens that carry an `aud` are rejected (RFC 8392 §3.1.3:
    /// a recipient not named in `aud` must reject).
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience = Some(aud.into());
        self
    }

    /// Maximum `exp - iat` in seconds (default 90).
    pub fn max_ttl(mut self, seconds: u64) -> Self {
        self.max_ttl = seconds;
        self
    }

    /// Clock leeway in seconds (default 5).
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Whether plain (signed, unencrypted) tokens are rejected (default true).
    pub fn require_encryption(mut self, yes: bool) -> Self {
        self.require_encryption = yes;
        self
    }

    /// Verifies a token at the clock's current time and marks it used.
    pub fn verify(&self, token: &str) -> Result<VerifiedClaims, QrError> {
        self.verify_at(token, self.clock.now())
    }

    /// Verifies a token at `now` (Unix seconds) and marks it used.
    pub fn verify_at(&self, token: &str, now: i64) -> Result<VerifiedClaims, QrError> {
        let (raw, kid, enc_kid) = self.check(token, now)?;
        let leeway = i64::try_from(self.leeway).unwrap_or(i64::MAX);
        let keep_until = raw.exp.saturating_add(leeway);
        match self.replay.check_and_mark(&raw.cti, keep_until, now) {
            Ok(true) => {}
            Ok(false) => return Err(QrError::Replayed),
            Err(e) => return Err(e.into()),
        }
        Ok(VerifiedClaims {
            iss: raw.iss,
            aud: raw.aud,
            iat: raw.iat,
            exp: raw.exp,
            nbf: raw.nbf,
            cti: super::hex_upper(&raw.cti),
            identity: raw.identity,
            kid,
            enc_kid,
        })
    }

    /// Every check except the replay store.
    fn check(&self, token: &str, now: i64) -> Result<(RawClaims, String, Option<String>), QrError> {
        let cose = codec::decode(token)?;
        let (sign1, enc_kid) = match parse_cose(&cose)? {
            Cose::Sign1(s) => {
                if self.require_encryption {
                    return Err(QrError::EncryptionRequired);
                }
                (s, None)
            }
            Cose::Encrypt0(e) => {
                let (plain, enc_kid) = self.decrypt(&e)?;
                match parse_cose(&plain)? {
                    Cose::Sign1(s) => (s, Some(enc_kid)),
                    Cose::Encrypt0(_) => {
                        return Err(QrError::malformed(
                            "the encrypted content is not a COSE_Sign1",
                        ));
                    }
                }
            }
        };
        let kid = self.check_signature(&sign1)?;
        let payload = sign1.payload.as_deref().unwrap_or_default();
        let raw = parse_claims(payload)?;
        self.check_claims(&raw, now)?;
        Ok((raw, kid, enc_kid))
    }

    fn decrypt(&self, e: &CoseEncrypt0) -> Result<(Vec<u8>, String), QrError> {
        use aes_gcm::aead::Aead;
        let p = &e.protected.header;
        no_crit(p)?;
        if p.alg != Some(coset::Algorithm::Assigned(iana::Algorithm::A256GCM)) {
            return Err(QrError::UnsupportedAlgorithm {
                what: "encryption alg (protected header)",
            });
        }
        let kid = kid(p, &e.unprotected);
        let key =
            self.decryption_keys
                .iter()
                .find(|k| k.kid() == kid)
                .ok_or(QrError::UnknownKey {
                    purpose: "decryption",
                })?;
        if !p.partial_iv.is_empty() || !e.unprotected.partial_iv.is_empty() {
            return Err(QrError::malformed("Partial IV is not used by IKD tokens"));
        }
        let iv = if !p.iv.is_empty() {
            &p.iv
        } else {
            &e.unprotected.iv
        };
        let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::try_from(iv.as_slice())
            .map_err(|_| QrError::malformed("the A256GCM IV must be 12 bytes"))?;
        let plain = e.decrypt_ciphertext(
            &[],
            || QrError::malformed("the COSE_Encrypt0 has no ciphertext"),
            |ct, aad| {
                key.cipher()
                    .decrypt(&nonce, aes_gcm::aead::Payload { msg: ct, aad })
                    .map_err(|_| QrError::DecryptFailed)
            },
        )?;
        Ok((plain, kid_text(kid)))
    }

    fn check_signature(&self, s: &CoseSign1) -> Result<String, QrError> {
        let p = &s.protected.header;
        no_crit(p)?;
        if p.alg != Some(coset::Algorithm::Assigned(iana::Algorithm::ES256)) {
            return Err(QrError::UnsupportedAlgorithm {
                what: "signature alg (protected header)",
            });
        }
        if s.payload.is_none() {
            return Err(QrError::malformed("the COSE_Sign1 has no payload"));
        }
        let kid = kid(p, &s.unprotected);
        let key = self
            .signing_keys
            .iter()
            .find(|k| k.kid() == kid)
            .ok_or(QrError::UnknownKey { purpose: "signing" })?;
        s.verify_signature(&[], |sig, tbs| {
            if key.verify(tbs, sig) {
                Ok(())
            } else {
                Err(QrError::BadSignature)
            }
        })?;
        Ok(kid_text(kid))
    }

    fn check_claims(&self, c: &RawClaims, now: i64) -> Result<(), QrError> {
        if !self.issuers.is_empty() && !self.issuers.contains(&c.iss) {
            return Err(QrError::WrongIssuer);
        }
        match (&self.audience, &c.aud) {
            (Some(_), None) => return Err(QrError::MissingClaim { claim: "aud" }),
            (Some(mine), Some(theirs)) if mine != theirs => return Err(QrError::WrongAudience),
            (None, Some(_)) => return Err(QrError::WrongAudience),
            _ => {}
        }
        if c.exp <= c.iat {
            return Err(QrError::invalid_claim("exp", "must lie after iat"));
        }
        let ttl = c.exp.saturating_sub(c.iat);
        if u64::try_from(ttl).unwrap_or(u64::MAX) > self.max_ttl {
            return Err(QrError::TtlTooLong {
                ttl,
                max: self.max_ttl,
            });
        }
        let leeway = i64::try_from(self.leeway).unwrap_or(i64::MAX);
        if now > c.exp.saturating_add(leeway) {
            return Err(QrError::Expired {
                seconds: now.saturating_sub(c.exp),
            });
        }
        if let Some(nbf) = c.nbf {
            if now.saturating_add(leeway) < nbf {
                return Err(QrError::NotYetValid {
                    claim: "nbf",
                    seconds: nbf.saturating_sub(now),
                });
            }
        }
        if now.saturating_add(leeway) < c.iat {
            return Err(QrError::NotYetValid {
                claim: "iat",
                seconds: c.iat.saturating_sub(now),
            });
        }
        Ok(())
    }
}
