//! KTP-el reader crypto: TDES, retail MAC, KDF, APDUs, the mutual
//! authentication state machine and secure messaging as bytes in / bytes out
//! (a vendor's own transport moves the bytes), a virtual chip for tests, and
//! a whole reader session (secure reads, signed data, chip authentication)
//! over a caller-supplied transport.

use core::ffi::c_void;

use ktpel_core::Code;
use ktpel_core::sam::anticlone::{CHALLENGE_LEN, TrustedIssuers};
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu, StatusWord};
use ktpel_core::sam::auth::{MemoryKeys, MutualAuth};
use ktpel_core::sam::kdf::{self, Profile};
use ktpel_core::sam::reader::{ReaderSession, Transport, VerifiedDocument};
use ktpel_core::sam::sim::{Fault, VirtualChip};
use ktpel_core::sam::sm::{SecureMessaging, SessionKeys};
use ktpel_core::sam::tdes::{Padding, TdesKey};
use ktpel_core::sam::{SamError, os_random};

use crate::error::{Error, ffi_boundary};
use crate::util::{
    self, bytes, ensure_capacity, free_handle, handle_mut, handle_ref, into_handle, ktpel_str, put,
    write_out,
};

/// Profile: ICAO 9303 (2-key TDES, SHA-1 KDF; reproduces Doc 9303 Appendix D).
pub const KTPEL_SAM_PROFILE_ICAO9303: u32 = 1;
/// Profile: KTP-el (3-key TDES, SHA-256 KDF), the PMDN 76/2020 algorithms.
pub const KTPEL_SAM_PROFILE_KTPEL: u32 = 2;

/// Fault for `ktpel_sam_chip_inject_fault`: flip a bit of M.IC.
pub const KTPEL_SAM_FAULT_BAD_AUTH_MAC: u32 = 1;
/// Fault: a wrong RND.IFD inside E.IC (a replayed answer).
pub const KTPEL_SAM_FAULT_WRONG_NONCE: u32 = 2;
/// Fault: drop the last byte of the MUTUAL AUTHENTICATE answer.
pub const KTPEL_SAM_FAULT_SHORT_AUTH_RESPONSE: u32 = 3;
/// Fault: append a byte to the MUTUAL AUTHENTICATE answer.
pub const KTPEL_SAM_FAULT_LONG_AUTH_RESPONSE: u32 = 4;
/// Fault: flip a bit of DO'8E in secure messaging responses.
pub const KTPEL_SAM_FAULT_BAD_MAC: u32 = 5;
/// Fault: protect responses with a replayed send sequence counter.
pub const KTPEL_SAM_FAULT_REPLAY_SSC: u32 = 6;
/// Fault: corrupt the INTERNAL AUTHENTICATE signature.
pub const KTPEL_SAM_FAULT_WRONG_SIGNATURE: u32 = 7;

/// Length of the GET CHALLENGE command `ktpel_sam_auth_get_challenge` writes.
pub const KTPEL_SAM_GET_CHALLENGE_LEN: usize = 5;
/// Length of the MUTUAL AUTHENTICATE command `ktpel_sam_auth_on_challenge`
/// writes (header, Lc, 40 bytes E.IFD‖M.IFD, Le).
pub const KTPEL_SAM_MUTUAL_AUTH_LEN: usize = 46;
/// Buffer size `ktpel_sam_chip_process` requires: the longest possible
/// answer (65,536 data bytes, secure messaging objects, status word).
pub const KTPEL_SAM_RESPONSE_MAX: usize = 65_600;
/// Length of the chip-authentication challenge of `ktpel_sam_read_document`.
pub const KTPEL_SAM_CHALLENGE_LEN: usize = 32;

/// A parsed or to-be-encoded command APDU.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_sam_command_apdu {
    /// Command data (Lc = its length; length 0 means no Lc field). After
    /// `ktpel_sam_apdu_parse` it points into the parsed buffer.
    pub data: ktpel_str,
    /// Expected response length 1..65536 when `has_le` (256 is coded `00`
    /// short, 65536 `0000` extended).
    pub le: u32,
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// 1 when an Le field is present.
    pub has_le: u8,
    /// 1 for extended length encoding (forced on encode; as found on parse).
    pub extended: u8,
}

/// Static authentication keys K_enc and K_mac (opaque; zeroized when freed).
/// `Send`, not `Sync`. Free with `ktpel_sam_keys_free`.
pub struct ktpel_sam_keys {
    inner: MemoryKeys,
}

/// One run of reader-side mutual authentication (opaque): GET CHALLENGE →
/// MUTUAL AUTHENTICATE → session. `Send`, not `Sync`: one thread at a time.
/// Free with `ktpel_sam_auth_free`.
pub struct ktpel_sam_auth {
    inner: MutualAuth<MemoryKeys>,
}

/// An established secure messaging session (opaque): session keys and send
/// sequence counter. Any verification failure closes it. `Send`, not `Sync`.
/// Free with `ktpel_sam_sm_free`.
pub struct ktpel_sam_sm {
    inner: SecureMessaging,
}

/// A software KTP-el chip for tests (opaque), with fault injection. `Send`,
/// not `Sync`. Free with `ktpel_sam_chip_free`.
pub struct ktpel_sam_chip {
    inner: VirtualChip,
}

/// A document read over secure messaging whose files matched the
/// issuer-signed hashes and whose chip passed chip authentication (opaque,
/// read-only: `Send + Sync`). Free with `ktpel_sam_document_free`.
pub struct ktpel_sam_document {
    inner: VerifiedDocument,
}

fn profile(p: u32) -> Result<Profile, Error> {
    match p {
        KTPEL_SAM_PROFILE_ICAO9303 => Ok(Profile::Icao9303),
        KTPEL_SAM_PROFILE_KTPEL => Ok(Profile::KtpEl),
        _ => Err(Error::invalid(
            "profile",
            format_args!(
                "{p} is neither KTPEL_SAM_PROFILE_ICAO9303 (1) nor KTPEL_SAM_PROFILE_KTPEL (2)"
            ),
        )),
    }
}

fn fixed<const N: usize>(b: &[u8], arg: &'static str) -> Result<[u8; N], Error> {
    b.try_into().map_err(|_| {
        Error::from(SamError::InvalidLength {
            what: arg,
            expected: match N {
                8 => "8 bytes",
                16 => "16 bytes",
                _ => "32 bytes",
            },
            len: b.len(),
        })
    })
}

/// Reads a TDES key argument.
///
/// # Safety
/// `ptr` has `len` readable bytes (or is NULL with len 0).
unsafe fn tdes_key(ptr: *const u8, len: usize, arg: &str) -> Result<TdesKey, Error> {
    // SAFETY: forwarded contract.
    let k = unsafe { bytes(ptr, len, arg)? };
    Ok(TdesKey::new(k)?)
}

// ---- primitives -----------------------------------------------------------

fn cbc(
    encrypt: bool,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> Result<(), Error> {
    // SAFETY: each (ptr, len) pair is readable (caller contract).
    let k = unsafe { tdes_key(key, key_len, "key")? };
    // SAFETY: as above.
    let iv: [u8; 8] = fixed(unsafe { bytes(iv, iv_len, "iv")? }, "iv")?;
    // SAFETY: as above.
    let mut d = unsafe { bytes(data, data_len, "data")? }.to_vec();
    if encrypt {
        k.encrypt_cbc(&iv, &mut d)?;
    } else {
        k.decrypt_cbc(&iv, &mut d)?;
    }
    // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
    unsafe { write_out(&d, buf, len, out_written, "buf") }
}

/// TDES-CBC encryption (2-key: 16-byte key, 3-key: 24-byte key) of `data`, a
/// whole number of 8-byte blocks (no padding is added), with the 8-byte `iv`;
/// the ciphertext (same length) goes into `buf`. Fails with
/// `KTPEL_STATUS_SAM_INVALID_KEY`, `_SAM_WEAK_KEY` or `_SAM_INVALID_LENGTH`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_tdes_encrypt_cbc(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        cbc(true, key, key_len, iv, iv_len, data, data_len, buf, len, out_written)
    })
}

/// TDES-CBC decryption; see `ktpel_sam_tdes_encrypt_cbc`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_tdes_decrypt_cbc(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        cbc(false, key, key_len, iv, iv_len, data, data_len, buf, len, out_written)
    })
}

/// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") over `data` padded with
/// method `padding` (1, 2 or 3); the 8-byte MAC goes into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_retail_mac(
    key: *const u8,
    key_len: usize,
    padding: u32,
    data: *const u8,
    data_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: each (ptr, len) pair is readable (caller contract).
        let k = unsafe { tdes_key(key, key_len, "key")? };
        let p = u8::try_from(padding).ok().and_then(Padding::from_number).ok_or_else(|| {
            Error::invalid("padding", format_args!("{padding} is not an ISO/IEC 9797-1 padding method (1, 2 or 3)"))
        })?;
        // SAFETY: as above.
        let d = unsafe { bytes(data, data_len, "data")? };
        let mac = k.retail_mac(d, p);
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&mac, buf, len, out_written, "buf") }
    })
}

/// Derives a TDES key (16 bytes for ICAO, 24 for KTP-el, DES parity set) from
/// `seed` and `counter` (1: encryption key, 2: MAC key) with the profile's
/// KDF, into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_kdf(
    profile_id: u32,
    seed: *const u8,
    seed_len: usize,
    counter: u32,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        let p = profile(profile_id)?;
        // SAFETY: (seed, seed_len) is readable (caller contract).
        let s = unsafe { bytes(seed, seed_len, "seed")? };
        let k = kdf::kdf(p, s, counter)?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(k.expose_secret(), buf, len, out_written, "buf") }
    })
}

/// The ICAO 9303 key seed (first 16 bytes of SHA-1) of the MRZ information
/// (document number, birth date, expiry date, each with its check digit;
/// ASCII), into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_icao_key_seed(
    mrz_information: *const u8,
    mrz_information_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: readable (caller contract).
        let m = unsafe { util::text(mrz_information, mrz_information_len, "mrz_information")? };
        let seed = kdf::icao_key_seed(m);
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&seed, buf, len, out_written, "buf") }
    })
}

// ---- APDU -----------------------------------------------------------------

/// Encodes a command APDU (short or extended form as needed or forced) into
/// `buf`. Fails with `KTPEL_STATUS_SAM_APDU_MALFORMED` when a length is out
/// of range.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_apdu_encode(
    apdu: *const ktpel_sam_command_apdu,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(apdu, out_written => {
        // SAFETY: non-NULL (boundary), readable struct.
        let a = unsafe { &*apdu };
        // SAFETY: `a.data` is readable (caller contract).
        let data = unsafe { bytes(a.data.ptr, a.data.len, "apdu.data")? };
        let mut c = CommandApdu::new(a.cla, a.ins, a.p1, a.p2, data.to_vec(), (a.has_le != 0).then_some(a.le));
        c.extended = a.extended != 0;
        let b = c.try_to_bytes()?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(&b, buf, len, out_written, "buf") }
    })
}

/// Parses a command APDU. `out->data.ptr` points into `apdu` (no copy): it is
/// valid as long as `apdu` is.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_apdu_parse(
    apdu: *const u8,
    apdu_len: usize,
    out: *mut ktpel_sam_command_apdu,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: readable (caller contract).
        let raw = unsafe { bytes(apdu, apdu_len, "apdu")? };
        let c = CommandApdu::parse(raw)?;
        // The data field is the only run of `c.data.len()` bytes before the
        // Le field; find its offset from the encoding's layout.
        let header = if c.data.is_empty() { 4 } else if c.is_extended() { 7 } else { 5 };
        let data = if c.data.is_empty() {
            ktpel_str { ptr: raw.as_ptr(), len: 0 }
        } else {
            ktpel_str { ptr: raw[header..].as_ptr(), len: c.data.len() }
        };
        debug_assert!(c.data.is_empty() || raw[header..header + c.data.len()] == c.data[..]);
        let r = ktpel_sam_command_apdu {
            data,
            le: c.le.unwrap_or(0),
            cla: c.cla,
            ins: c.ins,
            p1: c.p1,
            p2: c.p2,
            has_le: u8::from(c.le.is_some()),
            extended: u8::from(c.is_extended()),
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// Splits a response APDU (data ‖ SW1 SW2): `*out_data_len` receives the
/// length of the data (which is the first bytes of `rapdu`) and `*out_sw` the
/// status word (e.g. 0x9000).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_response_parse(
    rapdu: *const u8,
    rapdu_len: usize,
    out_data_len: *mut usize,
    out_sw: *mut u16,
) -> u32 {
    ffi_boundary!(out_data_len, out_sw => {
        // SAFETY: readable (caller contract).
        let raw = unsafe { bytes(rapdu, rapdu_len, "rapdu")? };
        let r = ResponseApdu::parse(raw)?;
        // SAFETY: both non-NULL (boundary), writable.
        unsafe {
            put(out_data_len, r.data.len());
            put(out_sw, r.sw.0);
        }
        Ok(())
    })
}

/// Writes the ISO 7816-4 meaning of a status word (e.g. 0x6982: "security
/// status not satisfied") into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_status_word_meaning(
    sw: u16,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(StatusWord(sw).meaning().as_bytes(), buf, len, out_written, "buf") }
    })
}

// ---- keys -----------------------------------------------------------------

fn new_keys(keys: MemoryKeys, out: *mut *mut ktpel_sam_keys) {
    // SAFETY: the caller checked `out` for NULL (boundary list).
    unsafe { put(out, into_handle(ktpel_sam_keys { inner: keys })) };
}

/// Static keys derived from a key seed (16 bytes for ICAO; any length for
/// KTP-el) with the profile's KDF (counters 1 and 2). `*out_keys` receives a
/// new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_keys_from_seed(
    profile_id: u32,
    seed: *const u8,
    seed_len: usize,
    out_keys: *mut *mut ktpel_sam_keys,
) -> u32 {
    ffi_boundary!(out_keys => {
        let p = profile(profile_id)?;
        // SAFETY: readable (caller contract).
        let s = unsafe { bytes(seed, seed_len, "seed")? };
        new_keys(MemoryKeys::from_seed(p, s)?, out_keys);
        Ok(())
    })
}

/// Static keys given directly (16 bytes each for ICAO, 24 for KTP-el).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_keys_from_keys(
    profile_id: u32,
    k_enc: *const u8,
    k_enc_len: usize,
    k_mac: *const u8,
    k_mac_len: usize,
    out_keys: *mut *mut ktpel_sam_keys,
) -> u32 {
    ffi_boundary!(out_keys => {
        let p = profile(profile_id)?;
        // SAFETY: readable (caller contract).
        let e = unsafe { tdes_key(k_enc, k_enc_len, "k_enc")? };
        // SAFETY: readable (caller contract).
        let m = unsafe { tdes_key(k_mac, k_mac_len, "k_mac")? };
        new_keys(MemoryKeys::new(p, e, m)?, out_keys);
        Ok(())
    })
}

/// ICAO 9303 BAC keys from the MRZ information (see
/// `ktpel_sam_icao_key_seed`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_keys_from_mrz(
    mrz_information: *const u8,
    mrz_information_len: usize,
    out_keys: *mut *mut ktpel_sam_keys,
) -> u32 {
    ffi_boundary!(out_keys => {
        // SAFETY: readable (caller contract).
        let m = unsafe { util::text(mrz_information, mrz_information_len, "mrz_information")? };
        new_keys(MemoryKeys::from_mrz(m)?, out_keys);
        Ok(())
    })
}

/// Frees keys (zeroizing them). NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_keys_free(keys: *mut ktpel_sam_keys) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(keys) }
    })
}

// ---- mutual authentication ---------------------------------------------------

/// Starts mutual authentication with `keys` (copied; the handle may be freed
/// afterwards) and the reader's fresh random RND.IFD (8 bytes) and K.IFD (16
/// bytes). `*out_auth` receives a new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_new(
    keys: *const ktpel_sam_keys,
    rnd_ifd: *const u8,
    rnd_ifd_len: usize,
    k_ifd: *const u8,
    k_ifd_len: usize,
    out_auth: *mut *mut ktpel_sam_auth,
) -> u32 {
    ffi_boundary!(keys, out_auth => {
        // SAFETY: non-NULL live handle (caller contract).
        let k = unsafe { handle_ref(keys) }.inner.clone();
        // SAFETY: readable (caller contract).
        let rnd: [u8; 8] = fixed(unsafe { bytes(rnd_ifd, rnd_ifd_len, "rnd_ifd")? }, "rnd_ifd")?;
        // SAFETY: readable (caller contract).
        let kifd: [u8; 16] = fixed(unsafe { bytes(k_ifd, k_ifd_len, "k_ifd")? }, "k_ifd")?;
        let a = ktpel_sam_auth { inner: MutualAuth::new(k, rnd, kifd) };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_auth, into_handle(a)) };
        Ok(())
    })
}

/// As `ktpel_sam_auth_new`, with RND.IFD and K.IFD from the operating
/// system's random generator.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_new_random(
    keys: *const ktpel_sam_keys,
    out_auth: *mut *mut ktpel_sam_auth,
) -> u32 {
    ffi_boundary!(keys, out_auth => {
        // SAFETY: non-NULL live handle (caller contract).
        let k = unsafe { handle_ref(keys) }.inner.clone();
        let a = ktpel_sam_auth { inner: MutualAuth::new_random(k)? };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_auth, into_handle(a)) };
        Ok(())
    })
}

/// Step 1: writes the GET CHALLENGE command (`KTPEL_SAM_GET_CHALLENGE_LEN`
/// bytes) into `buf`; send it to the card.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_get_challenge(
    auth: *mut ktpel_sam_auth,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(auth, out_written => {
        // SAFETY: `out_written` non-NULL (boundary).
        unsafe { ensure_capacity(KTPEL_SAM_GET_CHALLENGE_LEN, len, out_written, "buf")? };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        let a = unsafe { handle_mut(auth) };
        let cmd = a.inner.get_challenge()?.try_to_bytes()?;
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(&cmd, buf, len, out_written, "buf") }
    })
}

/// Step 2: takes the card's answer to GET CHALLENGE (data ‖ SW) and writes
/// the MUTUAL AUTHENTICATE command (`KTPEL_SAM_MUTUAL_AUTH_LEN` bytes) into
/// `buf`. Any failure closes the run (`KTPEL_STATUS_SAM_SESSION_CLOSED`
/// afterwards).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_on_challenge(
    auth: *mut ktpel_sam_auth,
    rapdu: *const u8,
    rapdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(auth, out_written => {
        // SAFETY: `out_written` non-NULL (boundary).
        unsafe { ensure_capacity(KTPEL_SAM_MUTUAL_AUTH_LEN, len, out_written, "buf")? };
        // SAFETY: readable (caller contract).
        let r = unsafe { bytes(rapdu, rapdu_len, "rapdu")? };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        let a = unsafe { handle_mut(auth) };
        let cmd = a.inner.on_challenge(r)?.try_to_bytes()?;
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(&cmd, buf, len, out_written, "buf") }
    })
}

/// Step 3: takes the card's answer to MUTUAL AUTHENTICATE, verifies M.IC and
/// the echoed nonces, derives the session keys and writes a new secure
/// messaging handle to `*out_sm`. Fails with
/// `KTPEL_STATUS_SAM_AUTH_MAC_MISMATCH`, `_SAM_AUTH_NONCE_MISMATCH`,
/// `_SAM_AUTH_RESPONSE_LENGTH` or `_SAM_CARD_ERROR`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_on_authenticate(
    auth: *mut ktpel_sam_auth,
    rapdu: *const u8,
    rapdu_len: usize,
    out_sm: *mut *mut ktpel_sam_sm,
) -> u32 {
    ffi_boundary!(auth, out_sm => {
        // SAFETY: readable (caller contract).
        let r = unsafe { bytes(rapdu, rapdu_len, "rapdu")? };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        let a = unsafe { handle_mut(auth) };
        let sm = a.inner.on_authenticate(r)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_sm, into_handle(ktpel_sam_sm { inner: sm })) };
        Ok(())
    })
}

/// Frees an authentication run. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_auth_free(auth: *mut ktpel_sam_auth) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(auth) }
    })
}

// ---- secure messaging --------------------------------------------------------

/// A secure messaging session from session keys KS_enc, KS_mac (16 bytes each
/// for ICAO, 24 for KTP-el) and the initial send sequence counter (e.g. to
/// replay a published trace, or on the card side). `*out_sm` receives a new
/// handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_new(
    profile_id: u32,
    ks_enc: *const u8,
    ks_enc_len: usize,
    ks_mac: *const u8,
    ks_mac_len: usize,
    ssc: u64,
    out_sm: *mut *mut ktpel_sam_sm,
) -> u32 {
    ffi_boundary!(out_sm => {
        let p = profile(profile_id)?;
        // SAFETY: readable (caller contract).
        let e = unsafe { tdes_key(ks_enc, ks_enc_len, "ks_enc")? };
        // SAFETY: readable (caller contract).
        let m = unsafe { tdes_key(ks_mac, ks_mac_len, "ks_mac")? };
        for (k, what) in [(&e, "ks_enc"), (&m, "ks_mac")] {
            if k.len() != p.key_len() {
                return Err(Error::from(SamError::InvalidKey {
                    what,
                    expected: if p.key_len() == 16 { "16 bytes for the ICAO profile" } else { "24 bytes for the KTP-el profile" },
                    len: k.len(),
                }));
            }
        }
        let sm = SecureMessaging::new(SessionKeys::from_keys(p, e, m), ssc);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_sm, into_handle(ktpel_sam_sm { inner: sm })) };
        Ok(())
    })
}

/// Writes the current send sequence counter to `*out_ssc`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_ssc(sm: *const ktpel_sam_sm, out_ssc: *mut u64) -> u32 {
    ffi_boundary!(sm, out_ssc => {
        // SAFETY: non-NULL live handle (caller contract).
        let s = unsafe { handle_ref(sm) }.inner.ssc();
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_ssc, s) };
        Ok(())
    })
}

/// Runs one secure messaging step on a copy of the session and commits the
/// copy unless the output does not fit (then nothing changes, as README
/// rule 6 promises). A failed step is committed: it closes the session.
fn sm_step(
    sm: *mut ktpel_sam_sm,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
    step: impl FnOnce(&mut SecureMessaging) -> Result<Vec<u8>, SamError>,
) -> Result<(), Error> {
    // SAFETY: non-NULL live handle, one thread at a time (caller contract).
    let h = unsafe { handle_mut(sm) };
    let mut work = SecureMessaging::new(h.inner.keys().clone(), h.inner.ssc());
    if h.inner.is_closed() {
        work.close();
    }
    match step(&mut work) {
        Ok(out) => {
            // SAFETY: `out_written` non-NULL (checked by the caller's boundary).
            unsafe { ensure_capacity(out.len(), len, out_written, "buf")? };
            h.inner = work;
            // SAFETY: `buf` has `len >= out.len()` bytes.
            unsafe { write_out(&out, buf, len, out_written, "buf") }
        }
        Err(e) => {
            h.inner = work;
            Err(e.into())
        }
    }
}

/// Reader side: protects a plain command APDU (`apdu`) — DO'87 encrypted
/// data, DO'97 Le, DO'8E MAC — and writes the protected APDU into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_protect(
    sm: *mut ktpel_sam_sm,
    apdu: *const u8,
    apdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(sm, out_written => {
        // SAFETY: readable (caller contract).
        let cmd = CommandApdu::parse(unsafe { bytes(apdu, apdu_len, "apdu")? })?;
        sm_step(sm, buf, len, out_written, |s| s.protect(&cmd)?.try_to_bytes())
    })
}

/// Reader side: verifies and decrypts the card's protected response (data ‖
/// SW) and writes the plain response (data ‖ SW) into `buf`. Fails with
/// `KTPEL_STATUS_SAM_SM_MAC_MISMATCH`, `_SAM_SM_MALFORMED` or
/// `_SAM_SM_STATUS_MISMATCH`, which close the session.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_unprotect(
    sm: *mut ktpel_sam_sm,
    rapdu: *const u8,
    rapdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(sm, out_written => {
        // SAFETY: readable (caller contract).
        let r = unsafe { bytes(rapdu, rapdu_len, "rapdu")? };
        sm_step(sm, buf, len, out_written, |s| Ok(s.unprotect(r)?.to_bytes()))
    })
}

/// Card side: verifies and decrypts a protected command and writes the plain
/// command APDU into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_unprotect_command(
    sm: *mut ktpel_sam_sm,
    apdu: *const u8,
    apdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(sm, out_written => {
        // SAFETY: readable (caller contract).
        let cmd = CommandApdu::parse(unsafe { bytes(apdu, apdu_len, "apdu")? })?;
        sm_step(sm, buf, len, out_written, |s| s.unprotect_command(&cmd)?.try_to_bytes())
    })
}

/// Card side: protects a plain response (data ‖ SW) and writes the protected
/// response into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_protect_response(
    sm: *mut ktpel_sam_sm,
    rapdu: *const u8,
    rapdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(sm, out_written => {
        // SAFETY: readable (caller contract).
        let resp = ResponseApdu::parse(unsafe { bytes(rapdu, rapdu_len, "rapdu")? })?;
        sm_step(sm, buf, len, out_written, |s| s.protect_response(&resp))
    })
}

/// Frees a session (zeroizing its keys). NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_sm_free(sm: *mut ktpel_sam_sm) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(sm) }
    })
}

// ---- virtual chip ---------------------------------------------------------

/// A demo chip for tests: static keys derived from `seed` with the profile's
/// KDF, a synthetic biodata file (0x0101), an 8 KiB photo (0x0102), a chip key
/// and randomness from `rng_seed`, signed by the public demo issuer (key id
/// `KTPEL-DEMO-DS-01`). `*out_chip` receives a new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_new_demo(
    profile_id: u32,
    seed: *const u8,
    seed_len: usize,
    rng_seed: u64,
    out_chip: *mut *mut ktpel_sam_chip,
) -> u32 {
    ffi_boundary!(out_chip => {
        let p = profile(profile_id)?;
        // SAFETY: readable (caller contract).
        let s = unsafe { bytes(seed, seed_len, "seed")? };
        // Reject seeds the demo constructor cannot use before it runs.
        MemoryKeys::from_seed(p, s)?;
        let c = VirtualChip::demo(p, s, rng_seed);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_chip, into_handle(ktpel_sam_chip { inner: c })) };
        Ok(())
    })
}

/// A clone of `genuine`: the same files and signed data but another chip key
/// (the private key cannot be extracted), which chip authentication must
/// reject. `*out_chip` receives a new handle.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_new_clone(
    genuine: *const ktpel_sam_chip,
    rng_seed: u64,
    out_chip: *mut *mut ktpel_sam_chip,
) -> u32 {
    ffi_boundary!(genuine, out_chip => {
        // SAFETY: non-NULL live handle (caller contract).
        let g = unsafe { handle_ref(genuine) };
        let c = VirtualChip::clone_of(&g.inner, rng_seed);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_chip, into_handle(ktpel_sam_chip { inner: c })) };
        Ok(())
    })
}

/// Queues bytes the chip's random generator hands out next (e.g. RND.IC and
/// K.IC of a published trace).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_queue_random(
    chip: *mut ktpel_sam_chip,
    random: *const u8,
    random_len: usize,
) -> u32 {
    ffi_boundary!(chip => {
        // SAFETY: readable (caller contract).
        let r = unsafe { bytes(random, random_len, "random")? };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        unsafe { handle_mut(chip) }.inner.rng_mut().push(r);
        Ok(())
    })
}

/// Makes the chip misbehave on purpose (`KTPEL_SAM_FAULT_*`), to test that
/// the reader side catches it.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_inject_fault(chip: *mut ktpel_sam_chip, fault: u32) -> u32 {
    ffi_boundary!(chip => {
        let f = match fault {
            KTPEL_SAM_FAULT_BAD_AUTH_MAC => Fault::BadAuthMac,
            KTPEL_SAM_FAULT_WRONG_NONCE => Fault::WrongNonce,
            KTPEL_SAM_FAULT_SHORT_AUTH_RESPONSE => Fault::ShortAuthResponse,
            KTPEL_SAM_FAULT_LONG_AUTH_RESPONSE => Fault::LongAuthResponse,
            KTPEL_SAM_FAULT_BAD_MAC => Fault::BadMac,
            KTPEL_SAM_FAULT_REPLAY_SSC => Fault::ReplaySsc,
            KTPEL_SAM_FAULT_WRONG_SIGNATURE => Fault::WrongSignature,
            _ => return Err(Error::invalid("fault", format_args!("{fault} is not a KTPEL_SAM_FAULT_* value"))),
        };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        unsafe { handle_mut(chip) }.inner.inject(f);
        Ok(())
    })
}

/// Processes one command APDU as the card would and writes its answer (data
/// ‖ SW; errors are status words, never a failed call) into `buf`, which
/// must hold `KTPEL_SAM_RESPONSE_MAX` bytes (the answer's size is not known
/// before the chip has changed state).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_process(
    chip: *mut ktpel_sam_chip,
    apdu: *const u8,
    apdu_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(chip, out_written => {
        // SAFETY: `out_written` non-NULL (boundary).
        unsafe { ensure_capacity(KTPEL_SAM_RESPONSE_MAX, len, out_written, "buf")? };
        // SAFETY: readable (caller contract).
        let cmd = unsafe { bytes(apdu, apdu_len, "apdu")? };
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        let resp = unsafe { handle_mut(chip) }.inner.process(cmd);
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(&resp, buf, len, out_written, "buf") }
    })
}

/// Writes the chip's secure messaging send sequence counter to `*out_ssc`.
/// Fails with `KTPEL_STATUS_SAM_WRONG_STATE` before mutual authentication.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_session_ssc(
    chip: *const ktpel_sam_chip,
    out_ssc: *mut u64,
) -> u32 {
    ffi_boundary!(chip, out_ssc => {
        // SAFETY: non-NULL live handle (caller contract).
        let s = unsafe { handle_ref(chip) }.inner.session_ssc().ok_or_else(|| {
            Error::new(Code::SamWrongState, "the chip has no secure messaging session (authenticate first)")
        })?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_ssc, s) };
        Ok(())
    })
}

/// Writes the public key (SEC1, 65 bytes) of the issuer that signed the
/// chip's data into `buf`, for `ktpel_sam_read_document`'s trust list.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_issuer_public_key(
    chip: *const ktpel_sam_chip,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(chip, out_written => {
        // SAFETY: non-NULL live handle (caller contract).
        let t = unsafe { handle_ref(chip) }.inner.trusted_issuers();
        let key = t.get(ktpel_core::sam::sim::DEMO_ISSUER_KEY_ID).unwrap_or_default();
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(key, buf, len, out_written, "buf") }
    })
}

/// Frees a chip. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_chip_free(chip: *mut ktpel_sam_chip) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(chip) }
    })
}

// ---- reader session over a caller transport ----------------------------------

/// A transport: sends `command` (`command_len` bytes) to the card and writes
/// its answer (data ‖ SW) into `response` (`response_len` bytes, at least
/// `KTPEL_SAM_RESPONSE_MAX`) and its length into `*out_written`. Returns 0
/// on success, anything else on a transport failure. It must not unwind
/// through ktpel.
pub type ktpel_sam_transmit_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        command: *const u8,
        command_len: usize,
        response: *mut u8,
        response_len: usize,
        out_written: *mut usize,
    ) -> u32,
>;

struct CallbackTransport {
    f: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> u32,
    user_data: *mut c_void,
    buf: Vec<u8>,
}

impl Transport for CallbackTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        let mut n = 0usize;
        // SAFETY: the caller supplied a valid function and user data; the
        // buffers are ours and sized as documented.
        let rc = unsafe {
            (self.f)(
                self.user_data,
                command.as_ptr(),
                command.len(),
                self.buf.as_mut_ptr(),
                self.buf.len(),
                &mut n,
            )
        };
        if rc != 0 {
            return Err(SamError::Transport {
                reason: format!("the transport callback returned {rc}"),
            });
        }
        if n > self.buf.len() {
            return Err(SamError::Transport {
                reason: format!("the transport callback reported {n} bytes, more than the buffer"),
            });
        }
        Ok(self.buf[..n].to_vec())
    }
}

/// Chip as a transport for `ktpel_sam_read_document_chip`.
struct ChipTransport<'a>(&'a mut VirtualChip);

impl Transport for ChipTransport<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        Ok(self.0.process(command))
    }
}

#[allow(clippy::too_many_arguments)]
fn read_document<T: Transport>(
    transport: T,
    keys: *const ktpel_sam_keys,
    issuer_key_id: *const u8,
    issuer_key_id_len: usize,
    issuer_public_key: *const u8,
    issuer_public_key_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    out_document: *mut *mut ktpel_sam_document,
) -> Result<(), Error> {
    // SAFETY: non-NULL live handle (checked by the caller's boundary).
    let k = unsafe { handle_ref(keys) }.inner.clone();
    // SAFETY: readable (caller contract).
    let id = unsafe { bytes(issuer_key_id, issuer_key_id_len, "issuer_key_id")? };
    // SAFETY: readable (caller contract).
    let public = unsafe {
        bytes(
            issuer_public_key,
            issuer_public_key_len,
            "issuer_public_key",
        )?
    };
    // SAFETY: readable (caller contract).
    let ch: [u8; CHALLENGE_LEN] = fixed(
        unsafe { bytes(challenge, challenge_len, "challenge")? },
        "challenge",
    )?;
    let mut trusted = TrustedIssuers::new();
    trusted.add(id, public);
    let mut session = ReaderSession::new(transport);
    session.authenticate_random(k)?;
    let doc = session.verify_document(&trusted, ch)?;
    // SAFETY: non-NULL (checked by the caller's boundary), writable.
    unsafe { put(out_document, into_handle(ktpel_sam_document { inner: doc })) };
    Ok(())
}

/// A whole reader session over the caller's transport: mutual authentication
/// with `keys` (random nonces), secure reads of every file, the security
/// object's signature checked against the one trusted issuer
/// (`issuer_key_id`, SEC1 `issuer_public_key`), every file's SHA-256 checked,
/// then chip authentication with the 32-byte `challenge` (use fresh random
/// bytes). `*out_document` receives a new handle. Fails with the first
/// `KTPEL_STATUS_SAM_*` / `KTPEL_STATUS_ECDSA_*` problem found (e.g.
/// `_SAM_CHIP_AUTH_FAILED` for a clone, `_SAM_FILE_HASH_MISMATCH` for altered
/// data, `_SAM_TRANSPORT` when `transmit` returns non-zero).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_read_document(
    transmit: ktpel_sam_transmit_fn,
    user_data: *mut c_void,
    keys: *const ktpel_sam_keys,
    issuer_key_id: *const u8,
    issuer_key_id_len: usize,
    issuer_public_key: *const u8,
    issuer_public_key_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    out_document: *mut *mut ktpel_sam_document,
) -> u32 {
    ffi_boundary!(keys, out_document => {
        let f = transmit.ok_or_else(|| Error::null("transmit"))?;
        let t = CallbackTransport { f, user_data, buf: vec![0; KTPEL_SAM_RESPONSE_MAX] };
        read_document(t, keys, issuer_key_id, issuer_key_id_len, issuer_public_key, issuer_public_key_len, challenge, challenge_len, out_document)
    })
}

/// `ktpel_sam_read_document` with a virtual chip as the card.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_read_document_chip(
    chip: *mut ktpel_sam_chip,
    keys: *const ktpel_sam_keys,
    issuer_key_id: *const u8,
    issuer_key_id_len: usize,
    issuer_public_key: *const u8,
    issuer_public_key_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    out_document: *mut *mut ktpel_sam_document,
) -> u32 {
    ffi_boundary!(chip, keys, out_document => {
        // SAFETY: non-NULL live handle, one thread at a time (caller contract).
        let c = unsafe { handle_mut(chip) };
        read_document(ChipTransport(&mut c.inner), keys, issuer_key_id, issuer_key_id_len, issuer_public_key, issuer_public_key_len, challenge, challenge_len, out_document)
    })
}

/// Writes the content of file `fid` (e.g. 0x0101 biodata) of a verified
/// document into `buf`. Fails with `KTPEL_STATUS_INVALID_ARGUMENT` when the
/// document has no such file.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_document_file(
    document: *const ktpel_sam_document,
    fid: u16,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(document, out_written => {
        // SAFETY: non-NULL live handle (caller contract).
        let d = unsafe { handle_ref(document) };
        let f = d.inner.files.get(&fid).ok_or_else(|| Error::invalid("fid", format_args!("the document has no file {fid:04X}")))?;
        // SAFETY: `buf` has `len` bytes.
        unsafe { write_out(f, buf, len, out_written, "buf") }
    })
}

/// Frees a document. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_document_free(document: *mut ktpel_sam_document) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a live handle freed once (caller contract).
        unsafe { free_handle(document) }
    })
}

/// Fills `buf` (`len` bytes) with bytes from the operating system's
/// cryptographic random generator (nonces for `ktpel_sam_auth_new`,
/// challenges for `ktpel_sam_read_document`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sam_random(buf: *mut u8, len: usize) -> u32 {
    ffi_boundary!(=> {
        // SAFETY: `buf` has `len` writable bytes (caller contract).
        let b = unsafe { util::array_mut(buf, len, "buf")? };
        os_random(b)?;
        Ok(())
    })
}
