//! Privacy: NIK / element tokens and the tamper-evident audit log. Work
//! that touches files or many NIKs runs on the libuv pool (Promises).

use crate::error::{JsErr, Result, guard, invalid_argument, reject, to_js};
use crate::nik::parse_date;
use ktpel_core::HasCode;
use ktpel_core::privacy::audit::{
    self, AuditLog as CoreLog, InclusionProof, SyncPolicy, VerifyReport,
};
use ktpel_core::privacy::{PrivacyError, TokenKey as CoreKey};
use ktpel_core::qr::{SigningKey, VerifyingKey};
use napi::Task;
use napi::bindgen_prelude::{AsyncTask, Env, Uint8Array};
use napi_derive::napi;
use serde_json::{Value, json};
use std::path::PathBuf;

fn err(e: PrivacyError) -> JsErr {
    to_js(e)
}

fn reference(s: Option<&str>) -> Result<chrono::NaiveDate> {
    Ok(match s {
        Some(s) => parse_date("referenceDate", s)?,
        None => ktpel_core::nik::CheckOptions::strict().resolved_reference_date(),
    })
}

fn public_key(jwk: Option<&str>) -> Result<Option<VerifyingKey>> {
    jwk.map(|j| VerifyingKey::from_jwk(j).map_err(to_js))
        .transpose()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn report(rep: &VerifyReport) -> Value {
    let f = rep.first_bad.as_ref();
    json!({
        "valid": rep.is_valid(),
        "entries": rep.entries,
        "checkpoints": rep.checkpoints,
        "signedSize": rep.signed_size,
        "signaturesChecked": rep.signatures_checked,
        "root": hex(&rep.root()),
        "code": f.map(|f| f.code.as_str()),
        "entry": f.and_then(|f| f.entry),
        "checkpoint": f.and_then(|f| f.checkpoint),
        "detail": f.map(|f| f.to_string()),
    })
}

/// An agency token key (kid + 32-byte secret; never shown, zeroized when
/// collected).
#[napi]
pub struct TokenKey {
    inner: CoreKey,
}

/// One result of `tokenizeMany`: the token, or the code of why there is none.
#[napi(object, use_nullable = true)]
pub struct TokenResult {
    /// `N1<kid>-…`, or null.
    pub token: Option<String>,
    /// The NIK check's code when there is no token, else null.
    pub code: Option<String>,
}

#[napi]
impl TokenKey {
    /// A key from its id (1-8 characters 0-9 A-Z) and 32 secret bytes.
    #[napi(constructor)]
    pub fn new(kid: String, secret: Uint8Array) -> Result<Self> {
        guard(|| {
            CoreKey::new(&kid, &secret)
                .map(|inner| TokenKey { inner })
                .map_err(err)
        })
    }
    /// A fresh random key.
    #[napi(factory)]
    pub fn generate(kid: String) -> Result<Self> {
        guard(|| {
            CoreKey::generate(&kid)
                .map(|inner| TokenKey { inner })
                .map_err(err)
        })
    }
    /// From a key file (JWK `kty` oct, `alg` HS256).
    #[napi(factory)]
    pub fn from_jwk(json: String) -> Result<Self> {
        guard(|| {
            CoreKey::from_jwk(&json)
                .map(|inner| TokenKey { inner })
                .map_err(err)
        })
    }
    /// The key id.
    #[napi(getter)]
    pub fn kid(&self) -> String {
        self.inner.kid().to_string()
    }
    /// The key file (secret JWK text). Keep it secret.
    #[napi]
    pub fn to_jwk(&self) -> String {
        self.inner.to_jwk().as_str().to_string()
    }
    /// The NIK token (strict check against `referenceDate` (ISO), default
    /// today); an invalid NIK throws with its NIK code.
    #[napi]
    pub fn tokenize_nik(&self, nik: String, reference_date: Option<String>) -> Result<String> {
        guard(|| {
            self.inner
                .tokenize_nik_at(&nik, reference(reference_date.as_deref())?)
                .map_err(err)
        })
    }
    /// The element token of a name + birth date (ISO).
    #[napi]
    pub fn tokenize_element(&self, name: String, birth_date: Option<String>) -> Result<String> {
        guard(|| {
            let d = birth_date
                .as_deref()
                .map(|s| parse_date("birthDate", s))
                .transpose()?;
            self.inner.tokenize_element(&name, d).map_err(err)
        })
    }
    /// Tokens of many NIKs on the thread pool: one `{token, code}` each.
    #[napi(ts_return_type = "Promise<TokenResult[]>")]
    pub fn tokenize_many(
        &self,
        niks: Vec<String>,
        reference_date: Option<String>,
    ) -> Result<AsyncTask<TokenizeTask>> {
        guard(|| {
            Ok(AsyncTask::new(TokenizeTask {
                key: self.inner.clone(),
                niks,
                reference: reference(reference_date.as_deref())?,
            }))
        })
    }
}

/// `tokenizeMany` on the thread pool.
pub struct TokenizeTask {
    key: CoreKey,
    niks: Vec<String>,
    reference: chrono::NaiveDate,
}

impl Task for TokenizeTask {
    type Output = std::result::Result<Vec<TokenResult>, JsErr>;
    type JsValue = Vec<TokenResult>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| {
            let mut buf = String::new();
            Ok(self
                .niks
                .iter()
                .map(|n| {
                    buf.clear();
                    match self.key.tokenize_nik_into(n, self.reference, &mut buf) {
                        Ok(()) => TokenResult {
                            token: Some(buf.clone()),
                            code: None,
                        },
                        Err(e) => TokenResult {
                            token: None,
                            code: Some(e.code().as_str().into()),
                        },
                    }
                })
                .collect())
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Vec<TokenResult>> {
        output.map_err(|e| reject(&env, e))
    }
}

/// An audit log open for appending (synchronous appends: each is one write
/// to the OS cache, with fsync by policy).
#[napi]
pub struct AuditLog {
    inner: Option<CoreLog>,
}

impl AuditLog {
    fn log(&mut self) -> Result<&mut CoreLog> {
        self.inner
            .as_mut()
            .ok_or_else(|| invalid_argument("auditLog", "the log is closed"))
    }
}

#[napi]
impl AuditLog {
    /// Opens (or creates) a log; a torn last entry throws
    /// `AUDIT_TRUNCATED_TAIL`. `syncEveryEntry` fsyncs each entry; by
    /// default every 64 entries or 200 ms.
    #[napi(constructor)]
    pub fn new(path: String, sync_every_entry: Option<bool>) -> Result<Self> {
        guard(|| {
            let policy = if sync_every_entry.unwrap_or(false) {
                SyncPolicy::EveryEntry
            } else {
                SyncPolicy::default()
            };
            CoreLog::open(std::path::Path::new(&path), policy)
                .map(|l| AuditLog { inner: Some(l) })
                .map_err(err)
        })
    }
    /// Appends an entry; returns its number.
    #[napi]
    pub fn append(
        &mut self,
        who: String,
        subject: String,
        purpose: String,
        result: Option<String>,
    ) -> Result<i64> {
        guard(|| {
            self.log()?
                .append(&who, &subject, &purpose, result.as_deref().unwrap_or(""))
                .map(|n| n as i64)
                .map_err(err)
        })
    }
    /// Forces pending entries to disk.
    #[napi]
    pub fn sync(&mut self) -> Result<()> {
        guard(|| self.log()?.sync().map_err(err))
    }
    /// Signs a checkpoint with a private ES256 JWK; returns its line.
    #[napi]
    pub fn checkpoint(&mut self, signing_jwk: String) -> Result<String> {
        guard(|| {
            let k = SigningKey::from_jwk(&signing_jwk).map_err(to_js)?;
            self.log()?.checkpoint(&k).map(|c| c.line()).map_err(err)
        })
    }
    /// Number of entries.
    #[napi(getter)]
    pub fn length(&mut self) -> Result<i64> {
        guard(|| Ok(self.log()?.len() as i64))
    }
    /// Syncs and closes the log.
    #[napi]
    pub fn close(&mut self) -> Result<()> {
        guard(|| {
            if let Some(mut l) = self.inner.take() {
                l.sync().map_err(err)?;
            }
            Ok(())
        })
    }
}

/// Verifies a log and its checkpoints given as bytes (synchronous).
#[napi(ts_return_type = "Record<string, any>")]
pub fn privacy_verify_log(
    log: Uint8Array,
    checkpoints: Option<Uint8Array>,
    public_jwk: Option<String>,
) -> Result<crate::qr::Json> {
    guard(|| {
        let k = public_key(public_jwk.as_deref())?;
        let cps: &[u8] = checkpoints.as_deref().unwrap_or(&[]);
        Ok(crate::qr::Json(report(&audit::verify_bytes(
            &log,
            cps,
            k.as_ref(),
        ))))
    })
}

/// Verifies an inclusion proof (JSON); returns the entry number.
#[napi]
pub fn privacy_verify_proof(proof_json: String, public_jwk: Option<String>) -> Result<i64> {
    guard(|| {
        let k = public_key(public_jwk.as_deref())?;
        let p = InclusionProof::from_json(&proof_json).map_err(|f| err(f.into()))?;
        p.verify(k.as_ref())
            .map(|e| e.seq as i64)
            .map_err(|f| err(f.into()))
    })
}

enum FileJob {
    Verify(Option<VerifyingKey>),
    Prove(u64),
    Recover,
}

/// A file job of the audit log on the thread pool.
pub struct AuditFileTask {
    path: PathBuf,
    job: FileJob,
}

impl Task for AuditFileTask {
    type Output = std::result::Result<Value, JsErr>;
    type JsValue = crate::qr::Json;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(guard(|| match &self.job {
            FileJob::Verify(k) => audit::verify_file(&self.path, k.as_ref())
                .map(|r| report(&r))
                .map_err(err),
            FileJob::Prove(i) => audit::prove_file(&self.path, *i)
                .map(|p| Value::String(p.to_json()))
                .map_err(err),
            FileJob::Recover => CoreLog::recover(&self.path)
                .map(|r| json!({"entries": r.entries, "removedBytes": r.removed_bytes}))
                .map_err(err),
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<crate::qr::Json> {
        output.map(crate::qr::Json).map_err(|e| reject(&env, e))
    }
}

/// Verifies a log file and `<path>.checkpoints` (thread pool).
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn privacy_verify_log_file(
    path: String,
    public_jwk: Option<String>,
) -> Result<AsyncTask<AuditFileTask>> {
    guard(|| {
        Ok(AsyncTask::new(AuditFileTask {
            path: path.into(),
            job: FileJob::Verify(public_key(public_jwk.as_deref())?),
        }))
    })
}

/// The inclusion proof (JSON text) of entry `index` of a log file (thread pool).
#[napi(ts_return_type = "Promise<string>")]
pub fn privacy_prove(path: String, index: i64) -> Result<AsyncTask<AuditFileTask>> {
    guard(|| {
        let i = u64::try_from(index).map_err(|_| invalid_argument("index", "must be >= 0"))?;
        Ok(AsyncTask::new(AuditFileTask {
            path: path.into(),
            job: FileJob::Prove(i),
        }))
    })
}

/// Cuts a torn last entry off a log file (thread pool); resolves to
/// `{entries, removedBytes}`.
#[napi(ts_return_type = "Promise<Record<string, any>>")]
pub fn privacy_recover(path: String) -> Result<AsyncTask<AuditFileTask>> {
    guard(|| {
        Ok(AsyncTask::new(AuditFileTask {
            path: path.into(),
            job: FileJob::Recover,
        }))
    })
}
