//! IKD QR tokens: key sets (JWKS, PEM), an issuer and a verifier with a
//! replay store.

use std::sync::Arc;

use ktpel_core::Code;
use ktpel_core::qr::{
    Claims, EncryptionKey, Issuer, KeySet, MemoryReplayStore, SigningKey, SystemClock,
    VerifiedClaims, Verifier, VerifyingKey,
};

use crate::error::{Error, ffi_boundary};
use crate::util::{
    self, bytes, free_handle, handle_mut, handle_ref, into_handle, ktpel_str, put, write_out,
};

/// Keys for issuing and verifying IKD QR tokens (opaque): ES256 signing and
/// verifying keys and A256GCM encryption keys, each under its `kid`.
/// `Send + Sync` when not being modified. Free with `ktpel_qr_keyset_free`.
pub struct ktpel_qr_keyset {
    inner: KeySet,
}

/// A token verifier (opaque) with its trusted keys, policy, the system clock
/// and an in-memory replay store (each token verifies once). `Send + Sync`:
/// one verifier may serve many threads. Free with `ktpel_qr_verifier_free`.
pub struct ktpel_qr_verifier {
    inner: Verifier,
}

/// A token issuer (opaque): signing key, optional encryption key, system
/// clock. `Send + Sync`. Free with `ktpel_qr_issuer_free`.
pub struct ktpel_qr_issuer {
    inner: Issuer,
}

/// The verified claims of a token (opaque, read-only, `Send + Sync`). Free
/// with `ktpel_qr_claims_free`.
pub struct ktpel_qr_claims {
    json: String,
    nik: Option<String>,
}

/// Verifier policy. All zero (empty strings) means: no audience (tokens
/// carrying `aud` are rejected), any issuer, max TTL 90 s, leeway 5 s,
/// encryption required.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_qr_verifier_options {
    /// The agency's own audience (`aud`), UTF-8; length 0 for none.
    pub audience: ktpel_str,
    /// The only accepted issuer (`iss`), UTF-8; length 0 accepts any.
    pub issuer: ktpel_str,
    /// Longest accepted time-to-live in seconds; 0 = 90.
    pub max_ttl: u64,
    /// Clock tolerance in seconds, used only when `set_leeway` is 1.
    pub leeway: u64,
    /// 1 to use `leeway` (0 is a valid leeway), 0 for the default 5 s.
    pub set_leeway: u8,
    /// 1 to accept signed-only (unencrypted) tokens.
    pub allow_unencrypted: u8,
}

/// Reads an optional UTF-8 string (length 0 = none).
///
/// # Safety
/// `s.ptr` has `s.len` readable bytes.
unsafe fn opt_text(s: &ktpel_str, arg: &str) -> Result<Option<String>, Error> {
    // SAFETY: forwarded contract.
    let t = unsafe { util::text(s.ptr, s.len, arg)? };
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// A key set from a JWKS document (`{"keys": [...]}`: EC P-256 keys with or
/// without `d`, `oct` A256GCM keys). `*out_keyset` receives a new handle.
/// Fails with `KTPEL_STATUS_INVALID_KEY` naming the bad key.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_from_jwks(
    jwks: *const u8,
    jwks_len: usize,
    out_keyset: *mut *mut ktpel_qr_keyset,
) -> u32 {
    ffi_boundary!(out_keyset => {
        // SAFETY: readable (caller contract).
        let j = unsafe { util::text(jwks, jwks_len, "jwks")? };
        let set = KeySet::from_jwks(j)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_keyset, into_handle(ktpel_qr_keyset { inner: set })) };
        Ok(())
    })
}

/// An empty key set; add keys with `ktpel_qr_keyset_add_pem`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_new(out_keyset: *mut *mut ktpel_qr_keyset) -> u32 {
    ffi_boundary!(out_keyset => {
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_keyset, into_handle(ktpel_qr_keyset { inner: KeySet::default() })) };
        Ok(())
    })
}

/// Adds a PEM key under `kid`: a public key (`-----BEGIN PUBLIC KEY-----`,
/// SPKI) becomes a verifying key, a private key (`-----BEGIN PRIVATE
/// KEY-----`, PKCS#8) a signing key (with its verifying key).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_add_pem(
    keyset: *mut ktpel_qr_keyset,
    kid: *const u8,
    kid_len: usize,
    pem: *const u8,
    pem_len: usize,
) -> u32 {
    ffi_boundary!(keyset => {
        // SAFETY: readable (caller contract).
        let kid = unsafe { bytes(kid, kid_len, "kid")? }.to_vec();
        // SAFETY: readable (caller contract).
        let pem = unsafe { util::text(pem, pem_len, "pem")? };
        // SAFETY: non-NULL live handle, not shared during the call (caller contract).
        let set = &mut unsafe { handle_mut(keyset) }.inner;
        if pem.contains("PRIVATE KEY") {
            let k = SigningKey::from_pkcs8_pem(kid, pem)?;
            set.verifying.push(k.verifying_key());
            set.signing.push(k);
        } else {
            set.verifying.push(VerifyingKey::from_spki_pem(kid, pem)?);
        }
        Ok(())
    })
}

/// Adds a 32-byte A256GCM key under `kid`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_add_encryption_key(
    keyset: *mut ktpel_qr_keyset,
    kid: *const u8,
    kid_len: usize,
    key: *const u8,
    key_len: usize,
) -> u32 {
    ffi_boundary!(keyset => {
        // SAFETY: readable (caller contract).
        let kid = unsafe { bytes(kid, kid_len, "kid")? }.to_vec();
        // SAFETY: readable (caller contract).
        let k = EncryptionKey::from_bytes(kid, unsafe { bytes(key, key_len, "key")? })?;
        // SAFETY: non-NULL live handle, not shared during the call (caller contract).
        unsafe { handle_mut(keyset) }.inner.encryption.push(k);
        Ok(())
    })
}

/// Writes the key set as a JWKS document into `buf`; private parts (`d`,
/// `k`) only when `include_private` is 1.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_to_jwks(
    keyset: *const ktpel_qr_keyset,
    include_private: u8,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(keyset, out_written => {
        // SAFETY: non-NULL live handle (caller contract).
        let j = unsafe { handle_ref(keyset) }.inner.to_jwks(include_private != 0);
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(j.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Frees a key set. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_keyset_free(keyset: *mut ktpel_qr_keyset) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(keyset) }
    })
}

/// A verifier trusting every verifying and encryption key of `keyset`
/// (copied) with the policy in `opts`. `*out_verifier` receives a new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_verifier_new(
    keyset: *const ktpel_qr_keyset,
    opts: *const ktpel_qr_verifier_options,
    out_verifier: *mut *mut ktpel_qr_verifier,
) -> u32 {
    ffi_boundary!(keyset, opts, out_verifier => {
        // SAFETY: non-NULL live handle and struct (caller contract).
        let (set, o) = unsafe { (&handle_ref(keyset).inner, &*opts) };
        let mut v = Verifier::new(Arc::new(SystemClock), Arc::new(MemoryReplayStore::default()))
            .keys(set)
            .require_encryption(o.allow_unencrypted == 0);
        // SAFETY: the strings are readable (caller contract).
        if let Some(a) = unsafe { opt_text(&o.audience, "opts.audience")? } {
            v = v.audience(a);
        }
        // SAFETY: as above.
        if let Some(i) = unsafe { opt_text(&o.issuer, "opts.issuer")? } {
            v = v.issuer(i);
        }
        if o.max_ttl != 0 {
            v = v.max_ttl(o.max_ttl);
        }
        if o.set_leeway != 0 {
            v = v.leeway(o.leeway);
        }
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_verifier, into_handle(ktpel_qr_verifier { inner: v })) };
        Ok(())
    })
}

/// Verifies a scanned token (`IKD1:...`): decode, decrypt, signature,
/// claims and policy, then marks it used. `now` is the time in Unix seconds,
/// or 0 for the system clock. On success `*out_claims` receives a new handle.
/// Fails with the `KTPEL_STATUS_*` qr code (500-599): e.g.
/// `KTPEL_STATUS_EXPIRED`, `KTPEL_STATUS_BAD_SIGNATURE`,
/// `KTPEL_STATUS_REPLAYED` for a second scan.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_verifier_verify(
    verifier: *const ktpel_qr_verifier,
    token: *const u8,
    token_len: usize,
    now: i64,
    out_claims: *mut *mut ktpel_qr_claims,
) -> u32 {
    ffi_boundary!(verifier, out_claims => {
        // SAFETY: readable (caller contract).
        let t = unsafe { util::text(token, token_len, "token")? };
        // SAFETY: non-NULL live handle; `Verifier` is Sync (caller contract).
        let v = &unsafe { handle_ref(verifier) }.inner;
        let c: VerifiedClaims = if now == 0 { v.verify(t)? } else { v.verify_at(t, now)? };
        let json = serde_json::to_string(&c)
            .map_err(|e| Error::new(Code::Panic, format!("claims JSON: {e}")))?;
        let nik = c.identity.nik.clone();
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_claims, into_handle(ktpel_qr_claims { json, nik })) };
        Ok(())
    })
}

/// Writes the verified claims as JSON (`iss`, `aud`, `iat`, `exp`, `nbf`,
/// `cti` as hex, `identity` {`nik`, `nama`, `tgl_lhr`, `jenis_klmin`, `doc`,
/// `kl`, ...}, `kid`, `enc_kid`) into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_claims_json(
    claims: *const ktpel_qr_claims,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(claims, out_written => {
        // SAFETY: non-NULL live handle (caller contract).
        let c = unsafe { handle_ref(claims) };
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(c.json.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the NIK of the verified identity into `buf`; fails with
/// `KTPEL_STATUS_MISSING_CLAIM` when the token carries none.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_claims_nik(
    claims: *const ktpel_qr_claims,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(claims, out_written => {
        // SAFETY: non-NULL live handle (caller contract).
        let c = unsafe { handle_ref(claims) };
        let nik = c.nik.as_deref().ok_or_else(|| Error::new(Code::MissingClaim, "the token's identity has no NIK"))?;
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(nik.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Frees claims. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_claims_free(claims: *mut ktpel_qr_claims) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(claims) }
    })
}

/// Frees a verifier. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_verifier_free(verifier: *mut ktpel_qr_verifier) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(verifier) }
    })
}

/// An issuer signing with the key `sign_kid` of `keyset` and encrypting with
/// its encryption key `enc_kid` (length 0: signed only). `*out_issuer`
/// receives a new handle. Fails with `KTPEL_STATUS_UNKNOWN_KEY` when a kid is
/// not in the set.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_issuer_new(
    keyset: *const ktpel_qr_keyset,
    sign_kid: *const u8,
    sign_kid_len: usize,
    enc_kid: *const u8,
    enc_kid_len: usize,
    out_issuer: *mut *mut ktpel_qr_issuer,
) -> u32 {
    ffi_boundary!(keyset, out_issuer => {
        // SAFETY: non-NULL live handle (caller contract).
        let set = &unsafe { handle_ref(keyset) }.inner;
        // SAFETY: readable (caller contract).
        let sk = unsafe { bytes(sign_kid, sign_kid_len, "sign_kid")? };
        // SAFETY: readable (caller contract).
        let ek = unsafe { bytes(enc_kid, enc_kid_len, "enc_kid")? };
        let unknown = |what: &str, kid: &[u8]| {
            Error::new(Code::UnknownKey, format!("{what} {:?} is not in the key set", String::from_utf8_lossy(kid)))
        };
        let signing = set.signing.iter().find(|k| k.kid() == sk).cloned().ok_or_else(|| unknown("signing key", sk))?;
        let encryption = if ek.is_empty() {
            None
        } else {
            Some(set.encryption.iter().find(|k| k.kid() == ek).cloned().ok_or_else(|| unknown("encryption key", ek))?)
        };
        let i = Issuer::new(signing, encryption, Arc::new(SystemClock));
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_issuer, into_handle(ktpel_qr_issuer { inner: i })) };
        Ok(())
    })
}

fn parse_claims(json: *const u8, json_len: usize) -> Result<Claims, Error> {
    // SAFETY: readable (caller contract of the entry points).
    let j = unsafe { util::text(json, json_len, "claims_json")? };
    serde_json::from_str(j).map_err(|e| {
        Error::new(
            Code::InvalidClaim,
            format!(
                "claims_json: {e} (expected {{\"iss\", \"aud\"?, \"nbf\"?, \"identity\": {{...}}}})"
            ),
        )
    })
}

/// Issues a token for the claims in `claims_json` (`{"iss": ..., "aud": ...,
/// "nbf": ..., "identity": {"nik": ..., "nama": ..., ...}}`) living
/// `ttl_seconds`, with a random token id and IV, and writes it (`IKD1:...`)
/// into `buf`. Every call makes a new token; when `len` is too small,
/// `*out_written` receives `KTPEL_QR_MAX_TOKEN_LEN`, which always suffices.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_issuer_issue(
    issuer: *const ktpel_qr_issuer,
    claims_json: *const u8,
    claims_json_len: usize,
    ttl_seconds: u64,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(issuer, out_written => {
        let claims = parse_claims(claims_json, claims_json_len)?;
        // SAFETY: non-NULL live handle (caller contract).
        let token = unsafe { handle_ref(issuer) }.inner.issue(&claims, ttl_seconds)?;
        if token.len() > len {
            // SAFETY: non-NULL (boundary).
            unsafe { util::ensure_capacity(KTPEL_QR_MAX_TOKEN_LEN, len, out_written, "buf")? };
        }
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(token.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// As `ktpel_qr_issuer_issue` with fixed issue time `iat` (Unix seconds),
/// token id `cti` (16 bytes) and IV (12 bytes): reproducible tokens for test
/// vectors. Never reuse an IV with the same key in production.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_issuer_issue_with(
    issuer: *const ktpel_qr_issuer,
    claims_json: *const u8,
    claims_json_len: usize,
    ttl_seconds: u64,
    iat: i64,
    cti: *const u8,
    cti_len: usize,
    iv: *const u8,
    iv_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(issuer, out_written => {
        let claims = parse_claims(claims_json, claims_json_len)?;
        // SAFETY: readable (caller contract).
        let cti: [u8; 16] = unsafe { bytes(cti, cti_len, "cti")? }
            .try_into()
            .map_err(|_| Error::invalid("cti", "must be 16 bytes"))?;
        // SAFETY: readable (caller contract).
        let iv: [u8; 12] = unsafe { bytes(iv, iv_len, "iv")? }
            .try_into()
            .map_err(|_| Error::invalid("iv", "must be 12 bytes"))?;
        // SAFETY: non-NULL live handle (caller contract).
        let t = unsafe { handle_ref(issuer) }.inner.issue_with(&claims, ttl_seconds, iat, &cti, &iv)?;
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(t.token.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Frees an issuer. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_qr_issuer_free(issuer: *mut ktpel_qr_issuer) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(issuer) }
    })
}

/// The longest token a verifier accepts, in bytes: a buffer of this size
/// holds any token `ktpel_qr_issuer_issue` makes.
pub const KTPEL_QR_MAX_TOKEN_LEN: usize = 4296;

#[cfg(test)]
mod tests {
    #[test]
    fn max_token_len_is_the_core_limit() {
        assert_eq!(
            super::KTPEL_QR_MAX_TOKEN_LEN,
            ktpel_core::qr::MAX_TOKEN_CHARS
        );
    }
}
