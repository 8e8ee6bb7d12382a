//! `privacy`: NIK / element tokens and the tamper-evident audit log.

use std::path::PathBuf;

use chrono::NaiveDate;
use ktpel_core::HasCode;
use ktpel_core::privacy::audit::{self, AuditLog, InclusionProof, SyncPolicy, VerifyReport};
use ktpel_core::privacy::{PrivacyError, TokenKey};
use ktpel_core::qr::{SigningKey, VerifyingKey};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{Origin, catch_panic, to_py};

fn err(e: PrivacyError) -> PyErr {
    to_py(Origin::Privacy, e)
}

fn reference(d: Option<NaiveDate>) -> NaiveDate {
    d.unwrap_or_else(|| ktpel_core::nik::CheckOptions::strict().resolved_reference_date())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn public_key(jwk: Option<&str>) -> PyResult<Option<VerifyingKey>> {
    jwk.map(|j| VerifyingKey::from_jwk(j).map_err(|e| to_py(Origin::Privacy, e)))
        .transpose()
}

/// A token key (kid + 32-byte secret; never printed, zeroized when freed).
#[pyclass(frozen, module = "ktpel._ktpel", name = "TokenKey")]
pub struct PyTokenKey(TokenKey);

#[pymethods]
impl PyTokenKey {
    /// A key from its id (1-8 characters 0-9 A-Z) and 32 secret bytes.
    #[new]
    fn new(kid: &str, secret: &[u8]) -> PyResult<Self> {
        TokenKey::new(kid, secret).map(Self).map_err(err)
    }
    /// A fresh random key.
    #[staticmethod]
    fn generate(kid: &str) -> PyResult<Self> {
        TokenKey::generate(kid).map(Self).map_err(err)
    }
    /// From a key file (JWK `kty` oct, `alg` HS256).
    #[staticmethod]
    fn from_jwk(json: &str) -> PyResult<Self> {
        TokenKey::from_jwk(json).map(Self).map_err(err)
    }
    /// The key id.
    #[getter]
    fn kid(&self) -> String {
        self.0.kid().to_string()
    }
    /// The key file (secret JWK text). Keep it secret.
    fn to_jwk(&self) -> String {
        self.0.to_jwk().as_str().to_string()
    }
    /// The NIK token (strict check against `reference_date`, default today).
    #[pyo3(signature = (nik, reference_date=None))]
    fn tokenize_nik(&self, nik: &str, reference_date: Option<NaiveDate>) -> PyResult<String> {
        self.0
            .tokenize_nik_at(nik, reference(reference_date))
            .map_err(err)
    }
    /// The element token of name + birth date.
    #[pyo3(signature = (name, birth_date=None))]
    fn tokenize_element(&self, name: &str, birth_date: Option<NaiveDate>) -> PyResult<String> {
        self.0.tokenize_element(name, birth_date).map_err(err)
    }
    /// Tokens of many NIKs (GIL released): per NIK `(token, None)` or
    /// `(None, code)`.
    #[pyo3(signature = (niks, reference_date=None))]
    fn tokenize_many(
        &self,
        py: Python<'_>,
        niks: Vec<String>,
        reference_date: Option<NaiveDate>,
    ) -> PyResult<Vec<(Option<String>, Option<&'static str>)>> {
        let r = reference(reference_date);
        py.detach(|| {
            catch_panic(Origin::Privacy, || {
                let mut buf = String::new();
                niks.iter()
                    .map(|n| {
                        buf.clear();
                        match self.0.tokenize_nik_into(n, r, &mut buf) {
                            Ok(()) => (Some(buf.clone()), None),
                            Err(e) => (None, Some(e.code().as_str())),
                        }
                    })
                    .collect()
            })
        })
    }
    fn __repr__(&self) -> String {
        format!("TokenKey(kid={:?})", self.0.kid())
    }
}

/// An audit log open for appending.
#[pyclass(module = "ktpel._ktpel", name = "AuditLog")]
pub struct PyAuditLog(Option<AuditLog>);

impl PyAuditLog {
    fn log(&mut self) -> PyResult<&mut AuditLog> {
        self.0.as_mut().ok_or_else(|| {
            crate::error::invalid_argument(Origin::Privacy, "the audit log is closed")
        })
    }
}

#[pymethods]
impl PyAuditLog {
    /// Opens (or creates) a log; a torn last entry raises `AUDIT_TRUNCATED_TAIL`.
    #[new]
    #[pyo3(signature = (path, sync_every_entry=false))]
    fn new(path: PathBuf, sync_every_entry: bool) -> PyResult<Self> {
        let policy = if sync_every_entry {
            SyncPolicy::EveryEntry
        } else {
            SyncPolicy::default()
        };
        AuditLog::open(&path, policy)
            .map(|l| Self(Some(l)))
            .map_err(err)
    }
    /// Appends an entry; returns its number.
    #[pyo3(signature = (who, subject, purpose, result=""))]
    fn append(&mut self, who: &str, subject: &str, purpose: &str, result: &str) -> PyResult<u64> {
        self.log()?
            .append(who, subject, purpose, result)
            .map_err(err)
    }
    /// Forces pending entries to disk.
    fn sync(&mut self) -> PyResult<()> {
        self.log()?.sync().map_err(err)
    }
    /// Signs a checkpoint with a private ES256 JWK; returns its line.
    fn checkpoint(&mut self, signing_jwk: &str) -> PyResult<String> {
        let k = SigningKey::from_jwk(signing_jwk).map_err(|e| to_py(Origin::Privacy, e))?;
        self.log()?.checkpoint(&k).map(|c| c.line()).map_err(err)
    }
    /// Syncs and closes the log.
    fn close(&mut self) -> PyResult<()> {
        if let Some(mut l) = self.0.take() {
            l.sync().map_err(err)?;
        }
        Ok(())
    }
    fn __len__(&mut self) -> PyResult<usize> {
        Ok(self.log()?.len() as usize)
    }
}

fn report<'py>(py: Python<'py>, rep: &VerifyReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("valid", rep.is_valid())?;
    d.set_item("entries", rep.entries)?;
    d.set_item("checkpoints", rep.checkpoints)?;
    d.set_item("signed_size", rep.signed_size)?;
    d.set_item("signatures_checked", rep.signatures_checked)?;
    d.set_item("root", hex(&rep.root()))?;
    let f = rep.first_bad.as_ref();
    d.set_item("code", f.map(|f| f.code.as_str()))?;
    d.set_item("entry", f.and_then(|f| f.entry))?;
    d.set_item("checkpoint", f.and_then(|f| f.checkpoint))?;
    d.set_item("detail", f.map(|f| f.to_string()))?;
    Ok(d)
}

/// Verifies a log and its checkpoints given as bytes.
#[pyfunction]
#[pyo3(signature = (log, checkpoints=None, public_jwk=None))]
pub fn privacy_verify_log<'py>(
    py: Python<'py>,
    log: Vec<u8>,
    checkpoints: Option<Vec<u8>>,
    public_jwk: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let k = public_key(public_jwk)?;
    let checkpoints = checkpoints.unwrap_or_default();
    let rep = py.detach(|| {
        catch_panic(Origin::Privacy, || {
            audit::verify_bytes(&log, &checkpoints, k.as_ref())
        })
    })?;
    report(py, &rep)
}

/// Verifies a log file and `<path>.checkpoints`.
#[pyfunction]
#[pyo3(signature = (path, public_jwk=None))]
pub fn privacy_verify_log_file<'py>(
    py: Python<'py>,
    path: PathBuf,
    public_jwk: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let k = public_key(public_jwk)?;
    let rep = py
        .detach(|| catch_panic(Origin::Privacy, || audit::verify_file(&path, k.as_ref())))?
        .map_err(err)?;
    report(py, &rep)
}

/// The inclusion proof (JSON) of entry `index` of a log file.
#[pyfunction]
pub fn privacy_prove(path: PathBuf, index: u64) -> PyResult<String> {
    audit::prove_file(&path, index)
        .map(|p| p.to_json())
        .map_err(err)
}

/// Verifies an inclusion proof; returns the entry number.
#[pyfunction]
#[pyo3(signature = (proof_json, public_jwk=None))]
pub fn privacy_verify_proof(proof_json: &str, public_jwk: Option<&str>) -> PyResult<u64> {
    let k = public_key(public_jwk)?;
    let p = InclusionProof::from_json(proof_json).map_err(|f| err(f.into()))?;
    p.verify(k.as_ref())
        .map(|e| e.seq)
        .map_err(|f| err(f.into()))
}

/// Cuts a torn last entry off a log file: `(entries kept, bytes removed)`.
#[pyfunction]
pub fn privacy_recover(path: PathBuf) -> PyResult<(u64, u64)> {
    AuditLog::recover(&path)
        .map(|r| (r.entries, r.removed_bytes))
        .map_err(err)
}

/// Registers the privacy functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTokenKey>()?;
    m.add_class::<PyAuditLog>()?;
    m.add_function(wrap_pyfunction!(privacy_verify_log, m)?)?;
    m.add_function(wrap_pyfunction!(privacy_verify_log_file, m)?)?;
    m.add_function(wrap_pyfunction!(privacy_prove, m)?)?;
    m.add_function(wrap_pyfunction!(privacy_verify_proof, m)?)?;
    m.add_function(wrap_pyfunction!(privacy_recover, m)?)?;
    Ok(())
}
