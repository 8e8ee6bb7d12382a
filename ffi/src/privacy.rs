//! Privacy: keyed NIK / element tokens (opaque key handle, single and
//! batch), and the tamper-evident audit log (writer handle, verification,
//! inclusion proofs, recovery).

use chrono::NaiveDate;
use ktpel_core::Code;
use ktpel_core::privacy::audit::{self, AuditLog, InclusionProof, SyncPolicy, VerifyReport};
use ktpel_core::privacy::{PrivacyError, TokenKey};
use ktpel_core::qr::{SigningKey, VerifyingKey};
use std::path::Path;

use crate::error::{Error, ffi_boundary};
use crate::util::{
    self, free_handle, handle_mut, handle_ref, into_handle, ktpel_str, put, text, write_out,
};

/// Longest token text in bytes (`N1` + 8-character kid + `-` + 16); batch
/// slots are this long plus one NUL.
pub const KTPEL_TOKEN_MAX: usize = 27;
/// Size of one slot of `ktpel_privacy_tokenize_batch`'s output: the token,
/// then NUL padding.
pub const KTPEL_TOKEN_SLOT: usize = 32;

/// A token key: key id and 32-byte secret with precomputed HMAC states
/// (opaque). The secret is zeroized by `ktpel_token_key_free`. Read-only
/// after creation: `Send + Sync` (one key may serve many threads).
pub struct ktpel_token_key {
    inner: TokenKey,
}

/// An open audit log appending to a file (opaque). `Send`, not `Sync`: use
/// it from one thread at a time. `ktpel_audit_log_free` syncs and closes it.
pub struct ktpel_audit_log {
    inner: AuditLog,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    const fn send<T: Send>() {}
    send_sync::<ktpel_token_key>();
    send::<ktpel_audit_log>();
};

fn core(e: PrivacyError) -> Error {
    Error::core(e)
}

fn date(y: i32, m: u32, d: u32, arg: &str) -> Result<Option<NaiveDate>, Error> {
    match (y, m, d) {
        (0, 0, 0) => Ok(None),
        (y, m, d) => NaiveDate::from_ymd_opt(y, m, d).map(Some).ok_or_else(|| {
            Error::invalid(
                arg,
                format_args!("{y:04}-{m:02}-{d:02} is not a calendar date (all 0 means none)"),
            )
        }),
    }
}

fn reference(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    Ok(date(y, m, d, "reference_*")?
        .unwrap_or_else(|| ktpel_core::nik::CheckOptions::strict().resolved_reference_date()))
}

/// A token key from its id (1-8 characters `0-9 A-Z`) and a 32-byte
/// secret. `*out_key` receives a new handle (free with
/// `ktpel_token_key_free`). Fails with `KTPEL_STATUS_TOKEN_KEY_INVALID`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_token_key_new(
    kid: *const u8,
    kid_len: usize,
    secret: *const u8,
    secret_len: usize,
    out_key: *mut *mut ktpel_token_key,
) -> u32 {
    ffi_boundary!(out_key => {
        // SAFETY: readable (caller contract).
        let k = unsafe { text(kid, kid_len, "kid")? };
        // SAFETY: readable (caller contract).
        let s = unsafe { util::bytes(secret, secret_len, "secret")? };
        let inner = TokenKey::new(k, s).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_key, into_handle(ktpel_token_key { inner })) };
        Ok(())
    })
}

/// A token key from its key file (one JWK `{"kty":"oct","kid":…,"alg":"HS256","k":…}`).
/// `*out_key` receives a new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_token_key_from_jwk(
    jwk: *const u8,
    jwk_len: usize,
    out_key: *mut *mut ktpel_token_key,
) -> u32 {
    ffi_boundary!(out_key => {
        // SAFETY: readable (caller contract).
        let j = unsafe { text(jwk, jwk_len, "jwk")? };
        let inner = TokenKey::from_jwk(j).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_key, into_handle(ktpel_token_key { inner })) };
        Ok(())
    })
}

/// Frees (and zeroizes) a token key; NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_token_key_free(key: *mut ktpel_token_key) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from ktpel_token_key_new/_from_jwk, freed once.
        unsafe { free_handle(key) }
    })
}

/// The NIK token of `nik` (checked strictly against the reference date;
/// all 0 = today) into the caller buffer (at most `KTPEL_TOKEN_MAX` bytes).
/// An invalid NIK fails with the NIK check's status
/// (`KTPEL_STATUS_WRONG_LENGTH`, ...): it never gets a token.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_privacy_tokenize_nik(
    key: *const ktpel_token_key,
    nik: *const u8,
    nik_len: usize,
    reference_year: i32,
    reference_month: u32,
    reference_day: u32,
    out_buf: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(key, out_written => {
        // SAFETY: non-NULL handle (boundary), live (caller contract).
        let k = unsafe { handle_ref(key) };
        // SAFETY: readable (caller contract).
        let n = unsafe { text(nik, nik_len, "nik")? };
        let r = reference(reference_year, reference_month, reference_day)?;
        let t = k.inner.tokenize_nik_at(n, r).map_err(core)?;
        // SAFETY: caller buffer contract; out_written non-NULL (boundary).
        unsafe { write_out(t.as_bytes(), out_buf, out_len, out_written, "out_buf") }
    })
}

/// The element token of a name + birth date (year, month, day all 0 = no
/// date) into the caller buffer. A name that is empty or not a name fails
/// with the name check's status (`KTPEL_STATUS_EMPTY`, `_PLACEHOLDER`, ...).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_privacy_tokenize_element(
    key: *const ktpel_token_key,
    name: *const u8,
    name_len: usize,
    birth_year: i32,
    birth_month: u32,
    birth_day: u32,
    out_buf: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(key, out_written => {
        // SAFETY: non-NULL handle (boundary), live (caller contract).
        let k = unsafe { handle_ref(key) };
        // SAFETY: readable (caller contract).
        let n = unsafe { text(name, name_len, "name")? };
        let d = date(birth_year, birth_month, birth_day, "birth_*")?;
        let t = k.inner.tokenize_element(n, d).map_err(core)?;
        // SAFETY: caller buffer contract; out_written non-NULL (boundary).
        unsafe { write_out(t.as_bytes(), out_buf, out_len, out_written, "out_buf") }
    })
}

/// Tokenizes `count` NIKs. Item `i`'s token goes into
/// `out_tokens[i * KTPEL_TOKEN_SLOT ..]`, NUL-padded (so a C string), and
/// its status into `out_status[i]` (`KTPEL_STATUS_OK` or the NIK check's
/// code, with an all-NUL slot). The call succeeds when every item was
/// handled; a non-UTF-8 item is `KTPEL_STATUS_INVALID_UTF8` in its slot.
/// `out_tokens` holds `count * KTPEL_TOKEN_SLOT` bytes, `out_status`
/// `count` entries.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_privacy_tokenize_batch(
    key: *const ktpel_token_key,
    niks: *const ktpel_str,
    count: usize,
    reference_year: i32,
    reference_month: u32,
    reference_day: u32,
    out_tokens: *mut u8,
    out_status: *mut u32,
) -> u32 {
    ffi_boundary!(key => {
        // SAFETY: non-NULL handle (boundary), live (caller contract).
        let k = unsafe { handle_ref(key) };
        // SAFETY: `count` readable items (caller contract).
        let items = unsafe { util::array(niks, count, "niks")? };
        let need = count.checked_mul(KTPEL_TOKEN_SLOT).ok_or_else(|| Error::invalid("count", "too large"))?;
        // SAFETY: `count * KTPEL_TOKEN_SLOT` writable bytes (caller contract).
        let toks = unsafe { util::array_mut(out_tokens, need, "out_tokens")? };
        // SAFETY: `count` writable entries (caller contract).
        let stats = unsafe { util::array_mut(out_status, count, "out_status")? };
        let r = reference(reference_year, reference_month, reference_day)?;
        let mut buf = String::with_capacity(KTPEL_TOKEN_MAX);
        for (i, s) in items.iter().enumerate() {
            let slot = &mut toks[i * KTPEL_TOKEN_SLOT..(i + 1) * KTPEL_TOKEN_SLOT];
            slot.fill(0);
            // SAFETY: each item's (ptr, len) is readable (caller contract).
            let status = match unsafe { text(s.ptr, s.len, "niks[i]") } {
                Err(e) => e.code.as_u32(),
                Ok(n) => {
                    buf.clear();
                    match k.inner.tokenize_nik_into(n, r, &mut buf) {
                        Ok(()) => {
                            slot[..buf.len()].copy_from_slice(buf.as_bytes());
                            Code::Ok.as_u32()
                        }
                        Err(e) => ktpel_core::HasCode::code(&e).as_u32(),
                    }
                }
            };
            stats[i] = status;
        }
        Ok(())
    })
}

/// Result of an audit verification.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_audit_result {
    /// 1 when the log and its checkpoints verified.
    pub valid: u8,
    /// 1 when checkpoint signatures were checked (a public key was given).
    pub signatures_checked: u8,
    /// Entries read intact (all of them when valid).
    pub entries: u64,
    /// Checkpoints that matched.
    pub checkpoints: u64,
    /// Largest tree size covered by a good checkpoint.
    pub signed_size: u64,
    /// The first problem's status (`KTPEL_STATUS_AUDIT_*`), 0 when valid.
    pub status: u32,
    /// The first bad entry (0-based), -1 when none is named.
    pub bad_entry: i64,
    /// The checkpoint (0-based) the problem is about, -1 when none.
    pub bad_checkpoint: i64,
    /// Merkle root of the intact entries.
    pub root: [u8; 32],
}

fn result_of(rep: &VerifyReport) -> ktpel_audit_result {
    let f = rep.first_bad.as_ref();
    if let Some(f) = f {
        crate::error::set_last_error(f.to_string());
    }
    ktpel_audit_result {
        valid: u8::from(rep.is_valid()),
        signatures_checked: u8::from(rep.signatures_checked),
        entries: rep.entries,
        checkpoints: rep.checkpoints,
        signed_size: rep.signed_size,
        status: f.map_or(0, |f| f.code.as_u32()),
        bad_entry: f.and_then(|f| f.entry).map_or(-1, |e| e as i64),
        bad_checkpoint: f.and_then(|f| f.checkpoint).map_or(-1, |e| e as i64),
        root: rep.root(),
    }
}

/// Reads an optional public key JWK (length 0 = none).
///
/// # Safety
/// `(ptr, len)` readable.
unsafe fn public_key(ptr: *const u8, len: usize) -> Result<Option<VerifyingKey>, Error> {
    // SAFETY: forwarded contract.
    let t = unsafe { text(ptr, len, "public_jwk")? };
    if t.is_empty() {
        return Ok(None);
    }
    Ok(Some(VerifyingKey::from_jwk(t)?))
}

/// Verifies a log and its checkpoint file given as bytes. A log that does
/// not verify is a successful call (`valid = 0`, `status` and `bad_entry`
/// name the first problem; `ktpel_last_error_message` describes it).
/// `public_jwk` (length 0 = none) is the checkpoint signer's public key.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_verify(
    log: *const u8,
    log_len: usize,
    checkpoints: *const u8,
    checkpoints_len: usize,
    public_jwk: *const u8,
    public_jwk_len: usize,
    out: *mut ktpel_audit_result,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: readable (caller contract).
        let l = unsafe { util::bytes(log, log_len, "log")? };
        // SAFETY: readable (caller contract).
        let c = unsafe { util::bytes(checkpoints, checkpoints_len, "checkpoints")? };
        // SAFETY: readable (caller contract).
        let k = unsafe { public_key(public_jwk, public_jwk_len)? };
        let rep = audit::verify_bytes(l, c, k.as_ref());
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, result_of(&rep)) };
        Ok(())
    })
}

/// Verifies a log file and `<path>.checkpoints`. As `ktpel_audit_verify`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_verify_file(
    path: *const u8,
    path_len: usize,
    public_jwk: *const u8,
    public_jwk_len: usize,
    out: *mut ktpel_audit_result,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: readable (caller contract).
        let p = unsafe { text(path, path_len, "path")? };
        // SAFETY: readable (caller contract).
        let k = unsafe { public_key(public_jwk, public_jwk_len)? };
        let rep = audit::verify_file(Path::new(p), k.as_ref()).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, result_of(&rep)) };
        Ok(())
    })
}

/// Opens (or creates) a log for appending. `sync_every_entry` = 1 syncs
/// after every entry; 0 batches syncs (64 entries or 200 ms, and at
/// checkpoints, `ktpel_audit_log_sync` and free). A torn last entry fails
/// with `KTPEL_STATUS_AUDIT_TRUNCATED_TAIL` (see `ktpel_audit_recover`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_open(
    path: *const u8,
    path_len: usize,
    sync_every_entry: u8,
    out_log: *mut *mut ktpel_audit_log,
) -> u32 {
    ffi_boundary!(out_log => {
        // SAFETY: readable (caller contract).
        let p = unsafe { text(path, path_len, "path")? };
        let policy = if sync_every_entry != 0 { SyncPolicy::EveryEntry } else { SyncPolicy::default() };
        let inner = AuditLog::open(Path::new(p), policy).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_log, into_handle(ktpel_audit_log { inner })) };
        Ok(())
    })
}

/// Appends an entry stamped with the current time; `*out_seq` receives its
/// number. `who` and `purpose` must be non-empty; every field at most 1024
/// bytes (`KTPEL_STATUS_AUDIT_INVALID_FIELD`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_append(
    log: *mut ktpel_audit_log,
    who: ktpel_str,
    subject: ktpel_str,
    purpose: ktpel_str,
    result: ktpel_str,
    out_seq: *mut u64,
) -> u32 {
    ffi_boundary!(log, out_seq => {
        // SAFETY: non-NULL handle, one thread at a time (caller contract).
        let l = unsafe { handle_mut(log) };
        // SAFETY: each (ptr, len) readable (caller contract).
        let (w, s, p, r) = unsafe {
            (
                text(who.ptr, who.len, "who")?,
                text(subject.ptr, subject.len, "subject")?,
                text(purpose.ptr, purpose.len, "purpose")?,
                text(result.ptr, result.len, "result")?,
            )
        };
        let n = l.inner.append(w, s, p, r).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_seq, n) };
        Ok(())
    })
}

/// Forces pending entries to disk.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_sync(log: *mut ktpel_audit_log) -> u32 {
    ffi_boundary!(log => {
        // SAFETY: non-NULL handle, one thread at a time (caller contract).
        unsafe { handle_mut(log) }.inner.sync().map_err(core)
    })
}

/// Signs a checkpoint of the whole log with the private ES256 JWK
/// `signing_jwk`, appends it to `<path>.checkpoints` and writes its line
/// into the caller buffer. The buffer must hold the documented upper bound
/// 360 + 6 × (kid length) bytes, checked before anything is signed or
/// written (`KTPEL_STATUS_BUFFER_TOO_SMALL` reports that bound).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_checkpoint(
    log: *mut ktpel_audit_log,
    signing_jwk: *const u8,
    signing_jwk_len: usize,
    out_buf: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(log, out_written => {
        // SAFETY: non-NULL handle, one thread at a time (caller contract).
        let l = unsafe { handle_mut(log) };
        // SAFETY: readable (caller contract).
        let j = unsafe { text(signing_jwk, signing_jwk_len, "signing_jwk")? };
        let key = SigningKey::from_jwk(j)?;
        // Size first, so a too-small buffer changes no state (rule 6).
        let need = 360 + key.kid().len() * 6;
        if out_len < need {
            // SAFETY: out_written non-NULL (boundary).
            unsafe { util::ensure_capacity(need, out_len, out_written, "out_buf")? };
        }
        let c = l.inner.checkpoint(&key).map_err(core)?;
        // SAFETY: caller buffer contract.
        unsafe { write_out(c.line().as_bytes(), out_buf, out_len, out_written, "out_buf") }
    })
}

/// Number of entries in an open log.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_len(log: *const ktpel_audit_log, out_len: *mut u64) -> u32 {
    ffi_boundary!(log, out_len => {
        // SAFETY: non-NULL handle (boundary), live.
        let n = unsafe { handle_ref(log) }.inner.len();
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_len, n) };
        Ok(())
    })
}

/// Syncs and closes a log; NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_log_free(log: *mut ktpel_audit_log) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from ktpel_audit_log_open, freed once.
        unsafe { free_handle(log) }
    })
}

/// The inclusion proof (JSON) of entry `index` of a log file, against the
/// latest signed checkpoint covering it (unsigned whole-log root when
/// none). The log must verify.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_prove_file(
    path: *const u8,
    path_len: usize,
    index: u64,
    out_buf: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: readable (caller contract).
        let p = unsafe { text(path, path_len, "path")? };
        let proof = audit::prove_file(Path::new(p), index).map_err(core)?;
        // SAFETY: caller buffer contract.
        unsafe { write_out(proof.to_json().as_bytes(), out_buf, out_len, out_written, "out_buf") }
    })
}

/// Verifies an inclusion proof (JSON from `ktpel_audit_prove_file`); with
/// `public_jwk` (length 0 = none) the checkpoint signature too. Returns
/// `KTPEL_STATUS_OK` and the entry number in `*out_index`, or
/// `KTPEL_STATUS_AUDIT_PROOF_INVALID` / `_AUDIT_BAD_SIGNATURE` /
/// `_AUDIT_MALFORMED_ENTRY`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_verify_proof(
    proof_json: *const u8,
    proof_json_len: usize,
    public_jwk: *const u8,
    public_jwk_len: usize,
    out_index: *mut u64,
) -> u32 {
    ffi_boundary!(out_index => {
        // SAFETY: readable (caller contract).
        let j = unsafe { text(proof_json, proof_json_len, "proof_json")? };
        // SAFETY: readable (caller contract).
        let k = unsafe { public_key(public_jwk, public_jwk_len)? };
        let p = InclusionProof::from_json(j).map_err(|f| core(f.into()))?;
        let e = p.verify(k.as_ref()).map_err(|f| core(f.into()))?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_index, e.seq) };
        Ok(())
    })
}

/// Cuts a torn last entry (after a crash) off a log file; reports the
/// intact entries kept and the bytes removed.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_audit_recover(
    path: *const u8,
    path_len: usize,
    out_entries: *mut u64,
    out_removed_bytes: *mut u64,
) -> u32 {
    ffi_boundary!(out_entries, out_removed_bytes => {
        // SAFETY: readable (caller contract).
        let p = unsafe { text(path, path_len, "path")? };
        let r = AuditLog::recover(Path::new(p)).map_err(core)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe {
            put(out_entries, r.entries);
            put(out_removed_bytes, r.removed_bytes);
        }
        Ok(())
    })
}
