//! `qr`: IKD QR token keys, issuer and verifier.

use std::sync::Arc;

use ktpel_core::qr::{
    Claims, Clock, EncryptionKey, FixedClock, Issuer, KeySet, MemoryReplayStore, SigningKey,
    SystemClock, Verifier, VerifyingKey,
};
use pyo3::prelude::*;

use crate::error::{Origin, invalid_argument, to_py};

fn qr_err(e: ktpel_core::qr::QrError) -> PyErr {
    to_py(Origin::Qr, e)
}

fn jwk_json(j: &ktpel_core::qr::Jwk) -> String {
    serde_json::to_string(j).unwrap_or_default()
}

fn kid_text(kid: &[u8]) -> String {
    String::from_utf8_lossy(kid).into_owned()
}

/// An ES256 private key (never printed).
#[pyclass(frozen, module = "ktpel._ktpel", name = "SigningKey")]
pub struct PySigningKey(SigningKey);

#[pymethods]
impl PySigningKey {
    /// A fresh key from the OS random number generator.
    #[staticmethod]
    fn generate(kid: &str) -> PyResult<Self> {
        SigningKey::generate(kid.as_bytes())
            .map(Self)
            .map_err(qr_err)
    }
    /// From a JWK (`kty` EC, `d` present).
    #[staticmethod]
    fn from_jwk(json: &str) -> PyResult<Self> {
        SigningKey::from_jwk(json).map(Self).map_err(qr_err)
    }
    /// From a PKCS#8 PEM.
    #[staticmethod]
    fn from_pem(kid: &str, pem: &str) -> PyResult<Self> {
        SigningKey::from_pkcs8_pem(kid.as_bytes(), pem)
            .map(Self)
            .map_err(qr_err)
    }
    /// The key id.
    #[getter]
    fn kid(&self) -> String {
        kid_text(self.0.kid())
    }
    /// The public half.
    fn verifying_key(&self) -> PyVerifyingKey {
        PyVerifyingKey(self.0.verifying_key())
    }
    /// The private JWK (JSON text). Keep it secret.
    fn to_jwk(&self) -> String {
        jwk_json(&self.0.to_jwk())
    }
    /// The private key as PKCS#8 PEM. Keep it secret.
    fn to_pem(&self) -> PyResult<String> {
        self.0
            .to_pkcs8_pem()
            .map(|p| p.as_str().to_owned())
            .map_err(qr_err)
    }
    fn __repr__(&self) -> String {
        format!("SigningKey(kid={:?})", self.kid())
    }
}

/// A trusted ES256 public key.
#[pyclass(frozen, module = "ktpel._ktpel", name = "VerifyingKey")]
pub struct PyVerifyingKey(VerifyingKey);

#[pymethods]
impl PyVerifyingKey {
    /// From a public JWK.
    #[staticmethod]
    fn from_jwk(json: &str) -> PyResult<Self> {
        VerifyingKey::from_jwk(json).map(Self).map_err(qr_err)
    }
    /// From an SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    #[staticmethod]
    fn from_pem(kid: &str, pem: &str) -> PyResult<Self> {
        VerifyingKey::from_spki_pem(kid.as_bytes(), pem)
            .map(Self)
            .map_err(qr_err)
    }
    /// From a SEC1 point (65 bytes uncompressed or 33 compressed).
    #[staticmethod]
    fn from_sec1(kid: &str, point: &[u8]) -> PyResult<Self> {
        VerifyingKey::from_sec1(kid.as_bytes(), point)
            .map(Self)
            .map_err(qr_err)
    }
    /// The key id.
    #[getter]
    fn kid(&self) -> String {
        kid_text(self.0.kid())
    }
    /// The public JWK (JSON text).
    fn to_jwk(&self) -> String {
        jwk_json(&self.0.to_jwk())
    }
    /// The uncompressed SEC1 point.
    fn to_sec1(&self) -> Vec<u8> {
        self.0.to_sec1_uncompressed().to_vec()
    }
    fn __repr__(&self) -> String {
        format!("VerifyingKey(kid={:?})", self.kid())
    }
}

/// An A256GCM key (never printed).
#[pyclass(frozen, module = "ktpel._ktpel", name = "EncryptionKey")]
pub struct PyEncryptionKey(EncryptionKey);

#[pymethods]
impl PyEncryptionKey {
    /// A fresh key.
    #[staticmethod]
    fn generate(kid: &str) -> PyResult<Self> {
        EncryptionKey::generate(kid.as_bytes())
            .map(Self)
            .map_err(qr_err)
    }
    /// From a JWK (`kty` oct).
    #[staticmethod]
    fn from_jwk(json: &str) -> PyResult<Self> {
        EncryptionKey::from_jwk(json).map(Self).map_err(qr_err)
    }
    /// From 32 raw bytes.
    #[staticmethod]
    fn from_bytes(kid: &str, key: &[u8]) -> PyResult<Self> {
        EncryptionKey::from_bytes(kid.as_bytes(), key)
            .map(Self)
            .map_err(qr_err)
    }
    /// The key id.
    #[getter]
    fn kid(&self) -> String {
        kid_text(self.0.kid())
    }
    /// The JWK (JSON text). Keep it secret.
    fn to_jwk(&self) -> String {
        jwk_json(&self.0.to_jwk())
    }
    fn __repr__(&self) -> String {
        format!("EncryptionKey(kid={:?})", self.kid())
    }
}

/// Reads a JWK Set: `(signing, verifying, encryption)` keys.
#[pyfunction]
pub fn qr_load_jwks(
    json: &str,
) -> PyResult<(Vec<PySigningKey>, Vec<PyVerifyingKey>, Vec<PyEncryptionKey>)> {
    let set = KeySet::from_jwks(json).map_err(qr_err)?;
    Ok((
        set.signing.into_iter().map(PySigningKey).collect(),
        set.verifying.into_iter().map(PyVerifyingKey).collect(),
        set.encryption.into_iter().map(PyEncryptionKey).collect(),
    ))
}

fn clock(now: Option<i64>) -> Arc<dyn Clock> {
    match now {
        Some(t) => Arc::new(FixedClock(t)),
        None => Arc::new(SystemClock),
    }
}

/// Issues IKD QR tokens.
#[pyclass(frozen, module = "ktpel._ktpel", name = "Issuer")]
pub struct PyIssuer(Issuer);

#[pymethods]
impl PyIssuer {
    #[new]
    #[pyo3(signature = (signing, encryption=None, max_ttl=90, now=None))]
    fn new(
        signing: &PySigningKey,
        encryption: Option<&PyEncryptionKey>,
        max_ttl: u64,
        now: Option<i64>,
    ) -> Self {
        PyIssuer(
            Issuer::new(
                signing.0.clone(),
                encryption.map(|k| k.0.clone()),
                clock(now),
            )
            .max_ttl(max_ttl),
        )
    }
    /// Issues a token for `claims_json` (iss, aud, nbf, identity).
    fn issue(&self, claims_json: &str, ttl: u64) -> PyResult<String> {
        let claims = claims(claims_json)?;
        self.0.issue(&claims, ttl).map_err(qr_err)
    }
    /// Issues with caller-given iat, cti (16 bytes) and IV (12 bytes), for vectors.
    fn issue_with(
        &self,
        claims_json: &str,
        ttl: u64,
        iat: i64,
        cti: &[u8],
        iv: &[u8],
    ) -> PyResult<String> {
        let claims = claims(claims_json)?;
        let cti: [u8; 16] = cti
            .try_into()
            .map_err(|_| invalid_argument(Origin::Qr, "cti: must be 16 bytes"))?;
        let iv: [u8; 12] = iv
            .try_into()
            .map_err(|_| invalid_argument(Origin::Qr, "iv: must be 12 bytes"))?;
        self.0
            .issue_with(&claims, ttl, iat, &cti, &iv)
            .map(|t| t.token)
            .map_err(qr_err)
    }
}

fn claims(json: &str) -> PyResult<Claims> {
    serde_json::from_str(json).map_err(|e| invalid_argument(Origin::Qr, format!("claims: {e}")))
}

/// Verifies IKD QR tokens with an in-memory replay store.
#[pyclass(frozen, module = "ktpel._ktpel", name = "Verifier")]
pub struct PyVerifier(Verifier);

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (keys, decryption_keys, audience=None, issuers=Vec::new(), max_ttl=90, leeway=5, require_encryption=true, replay_capacity=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        keys: Vec<PyRef<'_, PyVerifyingKey>>,
        decryption_keys: Vec<PyRef<'_, PyEncryptionKey>>,
        audience: Option<String>,
        issuers: Vec<String>,
        max_ttl: u64,
        leeway: u64,
        require_encryption: bool,
        replay_capacity: Option<usize>,
    ) -> Self {
        let store = match replay_capacity {
            Some(n) => MemoryReplayStore::new(n),
            None => MemoryReplayStore::default(),
        };
        let mut v = Verifier::new(Arc::new(SystemClock), Arc::new(store))
            .max_ttl(max_ttl)
            .leeway(leeway)
            .require_encryption(require_encryption);
        for k in keys {
            v = v.trust(k.0.clone());
        }
        for k in decryption_keys {
            v = v.decryption_key(k.0.clone());
        }
        for i in issuers {
            v = v.issuer(i);
        }
        if let Some(a) = audience {
            v = v.audience(a);
        }
        PyVerifier(v)
    }
    /// Verifies a token; returns the verified claims as JSON text.
    #[pyo3(signature = (token, now=None))]
    fn verify(&self, py: Python<'_>, token: &str, now: Option<i64>) -> PyResult<String> {
        let r = py.detach(|| {
            crate::error::catch_panic(Origin::Qr, || match now {
                Some(t) => self.0.verify_at(token, t),
                None => self.0.verify(token),
            })
        })?;
        let claims = r.map_err(qr_err)?;
        serde_json::to_string(&claims).map_err(|e| invalid_argument(Origin::Qr, e))
    }
}

/// Registers the classes and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySigningKey>()?;
    m.add_class::<PyVerifyingKey>()?;
    m.add_class::<PyEncryptionKey>()?;
    m.add_class::<PyIssuer>()?;
    m.add_class::<PyVerifier>()?;
    m.add_function(wrap_pyfunction!(qr_load_jwks, m)?)?;
    Ok(())
}
