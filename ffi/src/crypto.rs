//! ECDSA P-256 / SHA-256 (verification through the core's backend trait,
//! signing for tests and issuers) and SHA-256.

use ktpel_core::crypto::p256::{self, EcdsaP256Verifier, P256SigningKey, RustCryptoP256};

use crate::error::{Error, ffi_boundary};
use crate::util::{bytes, write_out};

/// Verification backend: the fastest compiled in (`ring` in the default build).
pub const KTPEL_P256_BACKEND_DEFAULT: u32 = 0;
/// Verification backend: pure Rust (RustCrypto `p256`), as in firmware builds.
pub const KTPEL_P256_BACKEND_RUSTCRYPTO: u32 = 1;
/// Verification backend: `ring` (the core's `fast-p256` feature).
pub const KTPEL_P256_BACKEND_RING: u32 = 2;

/// Signature encoding: raw `r‖s`, 64 bytes (IEEE P1363, COSE ES256).
pub const KTPEL_SIG_RAW: u32 = 0;
/// Signature encoding: ASN.1 DER `SEQUENCE { r, s }`.
pub const KTPEL_SIG_DER: u32 = 1;

fn backend(b: u32) -> Result<&'static dyn EcdsaP256Verifier, Error> {
    match b {
        KTPEL_P256_BACKEND_DEFAULT => Ok(p256::default_verifier()),
        KTPEL_P256_BACKEND_RUSTCRYPTO => Ok(&RustCryptoP256),
        KTPEL_P256_BACKEND_RING => p256::all_verifiers()
            .into_iter()
            .find(|v| v.name() == "ring")
            .ok_or_else(|| Error::invalid("backend", "the ring backend is not compiled in")),
        _ => Err(Error::invalid(
            "backend",
            format_args!("{b} is not a KTPEL_P256_BACKEND_* value"),
        )),
    }
}

fn sig_format(f: u32) -> Result<bool, Error> {
    match f {
        KTPEL_SIG_RAW => Ok(false),
        KTPEL_SIG_DER => Ok(true),
        _ => Err(Error::invalid(
            "sig_format",
            format_args!("{f} is neither KTPEL_SIG_RAW (0) nor KTPEL_SIG_DER (1)"),
        )),
    }
}

/// Verifies an ECDSA P-256 / SHA-256 signature over `msg` (hashed inside)
/// with a SEC1 public key (65-byte uncompressed or 33-byte compressed).
/// Returns `KTPEL_STATUS_OK` when it verifies, else
/// `KTPEL_STATUS_ECDSA_BAD_SIGNATURE`, `_ECDSA_INVALID_SIGNATURE_ENCODING`
/// or `_ECDSA_INVALID_PUBLIC_KEY`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_crypto_p256_verify(
    backend_id: u32,
    public_key: *const u8,
    public_key_len: usize,
    msg: *const u8,
    msg_len: usize,
    sig: *const u8,
    sig_len: usize,
    sig_format_id: u32,
) -> u32 {
    ffi_boundary!(=> {
        let v = backend(backend_id)?;
        let der = sig_format(sig_format_id)?;
        // SAFETY: each (ptr, len) pair is readable (caller contract).
        let (k, m, s) = unsafe {
            (
                bytes(public_key, public_key_len, "public_key")?,
                bytes(msg, msg_len, "msg")?,
                bytes(sig, sig_len, "sig")?,
            )
        };
        if der { v.verify_der(k, m, s)? } else { v.verify_raw(k, m, s)? }
        Ok(())
    })
}

/// Signs `msg` (SHA-256 inside, RFC 6979 deterministic nonce) with a 32-byte
/// private scalar and writes the signature (64 bytes raw, or DER) into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_crypto_p256_sign(
    private_key: *const u8,
    private_key_len: usize,
    msg: *const u8,
    msg_len: usize,
    sig_format_id: u32,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        let der = sig_format(sig_format_id)?;
        // SAFETY: readable (caller contract).
        let key = P256SigningKey::from_bytes(unsafe { bytes(private_key, private_key_len, "private_key")? })?;
        // SAFETY: readable (caller contract).
        let m = unsafe { bytes(msg, msg_len, "msg")? };
        let sig = if der { key.sign_der(m) } else { key.sign_raw(m).to_vec() };
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&sig, buf, len, out_written, "buf") }
    })
}

/// Writes the uncompressed SEC1 public key (65 bytes) of a 32-byte private
/// scalar into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_crypto_p256_public_key(
    private_key: *const u8,
    private_key_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: readable (caller contract).
        let key = P256SigningKey::from_bytes(unsafe { bytes(private_key, private_key_len, "private_key")? })?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&key.public_key_sec1(), buf, len, out_written, "buf") }
    })
}

/// Writes the SHA-256 digest (32 bytes) of `data` into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_crypto_sha256(
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: readable (caller contract).
        let d = unsafe { bytes(data, data_len, "data")? };
        let h = ktpel_core::crypto::sha256(d);
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&h, buf, len, out_written, "buf") }
    })
}
