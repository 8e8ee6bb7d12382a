//! The issuer: claims → signed (ES256), encrypted (A256GCM), compressed,
//! Base45 token text.

use super::claims::{Claims, build_claims_set};
use super::error::QrError;
use super::keys::{EncryptionKey, SigningKey};
use super::verifier::DEFAULT_MAX_TTL;
use super::{Clock, codec};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use coset::{CborSerializable, TaggedCborSerializable, iana};

/// A token and each of its layers, for test vectors and the format document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The token text (`IKD1:…`), what the QR code holds.
    pub token: String,
    /// The CWT claims set (CBOR): the COSE_Sign1 payload.
    pub claims_cbor: Vec<u8>,
    /// The tagged COSE_Sign1.
    pub sign1: Vec<u8>,
    /// The outer COSE object: the tagged COSE_Encrypt0, or `sign1` when not
    /// encrypting.
    pub cose: Vec<u8>,
    /// The zlib stream of `cose` (Base45-encoded into `token`).
    pub zlib: Vec<u8>,
}

/// Issues IKD QR tokens: signs with ES256 (`kid` in the protected header),
/// then — when an encryption key is set, the default for IKD — encrypts the
/// COSE_Sign1 into a COSE_Encrypt0 with A256GCM and a random 12-byte IV.
///
/// The TTL of every token is at most `max_ttl` (default 90 s).
#[derive(Clone)]
pub struct Issuer {
    signing: SigningKey,
    encryption: Option<EncryptionKey>,
    clock: Arc<dyn Clock>,
    max_ttl: u64,
}

impl core::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Issuer")
            .field("signing", &self.signing)
            .field("encryption", &self.encryption)
            .field("max_ttl", &self.max_ttl)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// An issuer signing with `signing` and, if given, encrypting with
    /// `encryption`, taking `iat` from `clock`.
    pub fn new(
        signing: SigningKey,
        encryption: Option<EncryptionKey>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Issuer {
            signing,
            encryption,
            clock,
            max_ttl: DEFAULT_MAX_TTL,
        }
    }

    /// Allows TTLs up to `seconds` (default 90). Verifiers must be configured
    /// with a matching `max_ttl` to accept longer-lived tokens.
    pub fn max_ttl(mut self, seconds: u64) -> Self {
        self.max_ttl = seconds;
        self
    }

    /// Issues a token valid for `ttl_seconds` from now, with a random 16-byte
    /// `cti` and a random IV from the operating system.
    #[cfg(feature = "std")]
    pub fn issue(&self, claims: &Claims, ttl_seconds: u64) -> Result<String, QrError> {
        let mut cti = [0u8; 16];
        let mut iv = [0u8; 12];
        getrandom::fill(&mut cti).map_err(|_| QrError::RandomnessUnavailable)?;
        getrandom::fill(&mut iv).map_err(|_| QrError::RandomnessUnavailable)?;
        self.issue_with_randomness(claims, ttl_seconds, &cti, &iv)
    }

    /// Issues a token valid for `ttl_seconds` from the clock's now, with
    /// caller-supplied random `cti` and IV (for `no_std` targets that have
    /// their own random number generator).
    pub fn issue_with_randomness(
        &self,
        claims: &Claims,
        ttl_seconds: u64,
        cti: &[u8; 16],
        iv: &[u8; 12],
    ) -> Result<String, QrError> {
        Ok(self
            .issue_with(claims, ttl_seconds, self.clock.now(), cti, iv)?
            .token)
    }

    /// Issues a token with caller-supplied `iat`, `cti` and IV, returning each
    /// layer. For test vectors and for platforms without OS randomness.
    ///
    /// The IV must never repeat under one encryption key (AES-GCM loses its
    /// confidentiality and integrity if it does); `cti` must be unique.
    pub fn issue_with(
        &self,
        claims: &Claims,
        ttl_seconds: u64,
        iat: i64,
        cti: &[u8; 16],
        iv: &[u8; 12],
    ) -> Result<IssuedToken, QrError> {
        if ttl_seconds == 0 || ttl_seconds > self.max_ttl {
            return Err(QrError::InvalidTtl {
                ttl: ttl_seconds,
                max: self.max_ttl,
            });
        }
        if claims.iss.is_empty() {
            return Err(QrError::invalid_claim("iss", "must not be empty"));
        }
        let exp = iat
            .checked_add(i64::try_from(ttl_seconds).unwrap_or(i64::MAX))
            .ok_or(QrError::invalid_claim("iat", "is out of range"))?;
        let claims_cbor = build_claims_set(claims, iat, exp, cti)
            .to_vec()
            .map_err(|_| QrError::invalid_claim("claims", "cannot be encoded as CBOR"))?;
        self.seal_payload(&claims_cbor, iv)
    }

    /// Signs (and encrypts, if this issuer has an encryption key) an arbitrary
    /// payload as it is, without checking that it is a valid claims set. For
    /// negative test vectors and other profiles; use [`Issuer::issue`] for
    /// real tokens.
    pub fn seal_payload(&self, payload: &[u8], iv: &[u8; 12]) -> Result<IssuedToken, QrError> {
        let encode_err = |_| QrError::invalid_claim("claims", "cannot be encoded as CBOR");
        let claims_cbor = payload.to_vec();
        let protected = coset::HeaderBuilder::new()
            .algorithm(iana::Algorithm::ES256)
            .key_id(self.signing.kid().to_vec())
            .build();
        let sign1 = coset::CoseSign1Builder::new()
            .protected(protected)
            .payload(claims_cbor.clone())
            .create_signature(&[], |tbs| self.signing.sign(tbs).to_vec())
            .build()
            .to_tagged_vec()
            .map_err(encode_err)?;
        let cose = match &self.encryption {
            None => sign1.clone(),
            Some(key) => {
                use aes_gcm::aead::Aead;
                let nonce = aes_gcm::Nonce::<aes_gcm::aead::consts::U12>::from(*iv);
                let protected = coset::HeaderBuilder::new()
                    .algorithm(iana::Algorithm::A256GCM)
                    .build();
                let unprotected = coset::HeaderBuilder::new()
                    .key_id(key.kid().to_vec())
                    .iv(iv.to_vec())
                    .build();
                let mut failed = false;
                let enc = coset::CoseEncrypt0Builder::new()
                    .protected(protected)
                    .unprotected(unprotected)
                    .create_ciphertext(&sign1, &[], |pt, aad| {
                        key.cipher()
                            .encrypt(&nonce, aes_gcm::aead::Payload { msg: pt, aad })
                            .unwrap_or_else(|_| {
                                failed = true;
                                Vec::new()
                            })
                    })
                    .build();
                if failed {
                    return Err(QrError::invalid_claim("claims", "too large to encrypt"));
                }
                enc.to_tagged_vec().map_err(encode_err)?
            }
        };
        let (token, zlib) = codec::encode(&cose);
        Ok(IssuedToken {
            token,
            claims_cbor,
            sign1,
            cose,
            zlib,
        })
    }
}
