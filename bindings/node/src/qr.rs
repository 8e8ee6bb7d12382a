//! IKD QR tokens: issuer, verifier (async verify), key loading, replay store.

use crate::error::{JsErr, Result, guard, invalid_argument, reject, to_js};
use ktpel_core::qr::{
    self, Claims, Clock, EncryptionKey, FixedClock, KeySet, MemoryReplayStore, SigningKey,
    SystemClock, VerifiedClaims, VerifyingKey,
};
use napi::bindgen_prelude::{AsyncTask, Buffer, Env, ToNapiValue, TypeName, Uint8Array, ValueType};
use napi::{Task, sys};
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// Plain JSON data handed to JavaScript (claims keep the token's field names).
pub struct Json(pub Value);

impl TypeName for Json {
    fn type_name() -> &'static str {
        "unknown"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Json {
    #[allow(unsafe_code)]
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        // SAFETY: `env` is the live environment napi passes to this callback.
        unsafe { Value::to_napi_value(env, val.0) }
    }
}

fn clock(now: Option<i64>) -> Arc<dyn Clock> {
    match now {
        Some(t) => Arc::new(FixedClock(t)),
        None => Arc::new(SystemClock),
    }
}

fn verified_json(v: &VerifiedClaims) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| invalid_argument("claims", e))
}

/// A PEM public key with its key id.
#[napi(object)]
pub struct PemKey {
    /// Key id (`kid`) the tokens name.
    pub kid: String,
    /// SPKI (`PUBLIC KEY`) or PKCS#8 (`PRIVATE KEY`) PEM text.
    pub pem: String,
}

/// Options of an issuer.
#[napi(object)]
pub struct IssuerOpts {
    /// JWK Set with the signing key (EC P-256 with `d`) and optionally an `oct` encryption key.
    pub jwks: Option<String>,
    /// The signing key as PKCS#8 PEM (instead of `jwks`).
    pub signing_pem: Option<PemKey>,
    /// kid of the signing key to use from `jwks` (the first one by default).
    pub sign_kid: Option<String>,
    /// kid of the encryption key to use from `jwks` (the first one by default;
    /// no encryption when the set has none).
    pub enc_kid: Option<String>,
    /// Fixed clock, Unix seconds (tests); the system clock by default.
    pub now: Option<i64>,
    /// Longest TTL allowed, seconds (default 90).
    pub max_ttl: Option<u32>,
}

/// The layers of an issued token (for interop tests).
#[napi(object)]
pub struct IssuedLayers {
    /// The QR text.
    pub token: String,
    /// CBOR claims.
    pub claims_cbor: Buffer,
    /// COSE_Sign1.
    pub sign1: Buffer,
    /// Outer COSE structure.
    pub cose: Buffer,
    /// zlib-compressed COSE.
    pub zlib: Buffer,
}

fn pick<'a, T>(
    list: &'a [T],
    kid: Option<&str>,
    kid_of: impl Fn(&T) -> &[u8],
    what: &str,
) -> Result<Option<&'a T>> {
    match kid {
        None => Ok(list.first()),
        Some(k) => list
            .iter()
            .find(|x| kid_of(x) == k.as_bytes())
            .map(Some)
            .ok_or_else(|| invalid_argument(what, format!("no key with kid {k:?} in the set"))),
    }
}

/// Issues IKD QR tokens.
#[napi]
pub struct QrIssuer {
    inner: qr::Issuer,
}

#[napi]
impl QrIssuer {
    /// An issuer from a JWK Set or a PEM signing key.
    #[napi(constructor)]
    pub fn new(opts: IssuerOpts) -> Result<Self> {
        guard(|| {
            let (signing, encryption) = match (&opts.jwks, &opts.signing_pem) {
                (Some(j), None) => {
                    let set = KeySet::from_jwks(j).map_err(to_js)?;
                    let s = pick(
                        &set.signing,
                        opts.sign_kid.as_deref(),
                        |k: &SigningKey| k.kid(),
                        "signKid",
                    )?
                    .cloned()
                    .ok_or_else(|| {
                        invalid_argument("jwks", "has no private EC P-256 signing key")
                    })?;
                    let e = pick(
                        &set.encryption,
                        opts.enc_kid.as_deref(),
                        |k: &EncryptionKey| k.kid(),
                        "encKid",
                    )?
                    .cloned();
                    (s, e)
                }
                (None, Some(p)) => (
                    SigningKey::from_pkcs8_pem(p.kid.as_bytes(), &p.pem).map_err(to_js)?,
                    None,
                ),
                _ => {
                    return Err(invalid_argument(
                        "opts",
                        "give exactly one of jwks or signingPem",
                    ));
                }
            };
            let mut inner = qr::Issuer::new(signing, encryption, clock(opts.now));
            if let Some(t) = opts.max_ttl {
                inner = inner.max_ttl(t.into());
            }
            Ok(QrIssuer { inner })
        })
    }

    /// Issues a token for `claims` (`{iss, aud?, nbf?, identity}`) living `ttl` seconds.
    #[napi]
    pub fn issue(&self, claims: Value, ttl: u32) -> Result<String> {
        guard(|| {
            let c: Claims =
                serde_json::from_value(claims).map_err(|e| invalid_argument("claims", e))?;
            self.inner.issue(&c, ttl.into()).map_err(to_js)
        })
    }

    /// Issues with fixed `iat`, `cti` (16 bytes) and IV (12 bytes): reproducible
    /// tokens for test vectors. Never use fixed values in production.
    #[napi]
    pub fn issue_with(
        &self,
        claims: Value,
        ttl: u32,
        iat: i64,
        cti: Uint8Array,
        iv: Uint8Array,
    ) -> Result<IssuedLayers> {
        guard(|| {
            let c: Claims =
                serde_json::from_value(claims).map_err(|e| invalid_argument("claims", e))?;
            let iv: [u8; 12] = iv.as_ref().try_into().map_err(|_| {
                invalid_argument("iv", format!("expected 12 bytes, got {}", iv.len()))
            })?;
            let cti: [u8; 16] = cti.as_ref().try_into().map_err(|_| {
                invalid_argument("cti", format!("expected 16 bytes, got {}", cti.len()))
            })?;
            let t = self
                .inner
                .issue_with(&c, ttl.into(), iat, &cti, &iv)
                .map_err(to_js)?;
            Ok(IssuedLayers {
                token: t.token,
                claims_cbor: t.claims_cbor.into(),
                sign1: t.sign1.into(),
                cose: t.cose.into(),
                zlib: t.zlib.into(),
            })
        })
    }
}

/// Options of a verifier.
#[napi(object)]
pub struct VerifierOpts {
    /// JWK Set of trusted public keys and decryption keys.
    pub jwks: Option<String>,
    /// Trusted public keys as SPKI PEM.
    pub trust_pem: Option<Vec<PemKey>>,
    /// Required issuer (`iss`).
    pub issuer: Option<String>,
    /// This service's audience; tokens for another audience are refused.
    pub audience: Option<String>,
    /// Longest accepted TTL, seconds (default 90).
    pub max_ttl: Option<u32>,
    /// Clock leeway, seconds (default 5).
    pub leeway: Option<u32>,
    /// Refuse unencrypted tokens (default true).
    pub require_encryption: Option<bool>,
    /// Capacity of the in-memory replay store (default 100000).
    pub replay_capacity: Option<u32>,
    /// Fixed clock, Unix seconds (tests); the system clock by default.
    pub now: Option<i64>,
}

/// Verifies IKD QR tokens, each accepted once (in-memory replay store).
#[napi]
pub struct QrVerifier {
    inner: Arc<qr::Verifier>,
}

/// One verification on the thread pool.
pub struct VerifyTask {
    verifier: Arc<qr::Verifier>,
    token: String,
    now: Option<i64>,
}

impl Task for VerifyTask {
    type Output = std::result::Result<Value, JsErr>;
    type JsValue = Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let r = match self.now {
                Some(t) => self.verifier.verify_at(&self.token, t),
                None => self.verifier.verify(&self.token),
            };
            verified_json(&r.map_err(to_js)?)
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Json> {
        output.map(Json).map_err(|e| reject(&env, e))
    }
}

#[napi]
impl QrVerifier {
    /// A verifier trusting the keys in `opts`.
    #[napi(constructor)]
    pub fn new(opts: VerifierOpts) -> Result<Self> {
        guard(|| {
            let store = Arc::new(MemoryReplayStore::new(
                opts.replay_capacity.unwrap_or(100_000) as usize,
            ));
            let mut v = qr::Verifier::new(clock(opts.now), store)
                .require_encryption(opts.require_encryption.unwrap_or(true));
            if let Some(j) = &opts.jwks {
                v = v.keys(&KeySet::from_jwks(j).map_err(to_js)?);
            }
            for p in opts.trust_pem.iter().flatten() {
                v = v.trust(VerifyingKey::from_spki_pem(p.kid.as_bytes(), &p.pem).map_err(to_js)?);
            }
            if let Some(i) = opts.issuer {
                v = v.issuer(i);
            }
            if let Some(a) = opts.audience {
                v = v.audience(a);
            }
            if let Some(t) = opts.max_ttl {
                v = v.max_ttl(t.into());
            }
            if let Some(l) = opts.leeway {
                v = v.leeway(l.into());
            }
            Ok(QrVerifier { inner: Arc::new(v) })
        })
    }

    /// Verifies on the libuv thread pool; resolves to the verified claims.
    /// `now` (Unix seconds) overrides the clock for this call.
    #[napi(ts_return_type = "Promise<unknown>")]
    pub fn verify(&self, token: String, now: Option<i64>) -> AsyncTask<VerifyTask> {
        AsyncTask::new(VerifyTask {
            verifier: Arc::clone(&self.inner),
            token,
            now,
        })
    }

    /// Verifies on the calling thread (scripts, benchmarks).
    #[napi(ts_return_type = "unknown")]
    pub fn verify_sync(&self, token: String, now: Option<i64>) -> Result<Json> {
        guard(|| {
            let r = match now {
                Some(t) => self.inner.verify_at(&token, t),
                None => self.inner.verify(&token),
            };
            Ok(Json(verified_json(&r.map_err(to_js)?)?))
        })
    }
}

/// Generates a fresh JWK Set (private) with one signing and one encryption key.
#[napi]
pub fn qr_generate_jwks(sign_kid: String, enc_kid: String) -> Result<String> {
    guard(|| {
        let s = SigningKey::generate(sign_kid.as_bytes()).map_err(to_js)?;
        let e = EncryptionKey::generate(enc_kid.as_bytes()).map_err(to_js)?;
        let set = KeySet {
            verifying: vec![s.verifying_key()],
            signing: vec![s],
            encryption: vec![e],
        };
        Ok(set.to_jwks(true))
    })
}

/// The verifier half of a JWK Set: public EC keys and the A256GCM keys.
#[napi]
pub fn qr_public_jwks(jwks: String) -> Result<String> {
    guard(|| Ok(KeySet::from_jwks(&jwks).map_err(to_js)?.to_jwks(false)))
}
