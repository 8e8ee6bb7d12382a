//! NIK and KK numbers: single and batch checks with decoded fields.

use chrono::{Datelike, NaiveDate};
use ktpel_core::nik::{Mode, Sex, Warnings};
use ktpel_core::{Code, HasCode, kk, nik};
use rayon::prelude::*;

use crate::error::{Error, ffi_boundary, status, status_of};
use crate::util::{self, ktpel_str, put, write_out};

/// `ktpel_check_options.mode`: exactly 16 ASCII digits.
pub const KTPEL_MODE_STRICT: u32 = 0;
/// `ktpel_check_options.mode`: surrounding whitespace, separators (space, `.`,
/// `-`) and a leading `'` are removed first (warning `SEPARATORS_REMOVED`).
pub const KTPEL_MODE_LENIENT: u32 = 1;

/// `ktpel_nik_result.sex`: not decoded (the day digits are not 01-31 or 41-71).
pub const KTPEL_SEX_UNKNOWN: u8 = 0;
/// `ktpel_nik_result.sex`: male (`L`, laki-laki): day 01-31.
pub const KTPEL_SEX_MALE: u8 = 1;
/// `ktpel_nik_result.sex`: female (`P`, perempuan): day 41-71 (day + 40).
pub const KTPEL_SEX_FEMALE: u8 = 2;

/// Options of a NIK or KK check. All zero means: strict mode, reference date
/// today, no known birth year.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_check_options {
    /// `KTPEL_MODE_STRICT` (0) or `KTPEL_MODE_LENIENT` (1).
    pub mode: u32,
    /// Reference date against which two-digit years are resolved and "in the
    /// future" is judged; year, month and day all 0 means today.
    pub reference_year: i32,
    /// Month of the reference date (1-12), or 0 with the other two for today.
    pub reference_month: u32,
    /// Day of the reference date (1-31), or 0 with the other two for today.
    pub reference_day: u32,
    /// A birth year (for a KK number: issue year) known from another source,
    /// used to settle the century; 0 = unknown.
    pub birth_year: i32,
}

/// The result of checking one NIK. A successful call always fills every
/// field; fields that could not be decoded are 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_nik_result {
    /// `KTPEL_STATUS_OK` (0) when valid, else the code of the first error
    /// (e.g. `KTPEL_STATUS_INVALID_BIRTH_DATE`; `KTPEL_STATUS_INVALID_UTF8`
    /// for bytes that are not UTF-8).
    pub code: u32,
    /// Warnings as a bitmask of `KTPEL_WARNING_*` (valid numbers may carry
    /// warnings).
    pub warnings: u32,
    /// Province digits 1-2 (e.g. 31), when `digits_read`.
    pub province_code: u32,
    /// Regency digits 1-4 (e.g. 3174), when `digits_read`.
    pub regency_code: u32,
    /// District digits 1-6 (e.g. 317401), when `digits_read`.
    pub district_code: u32,
    /// Birth year (four digits), 0 when the date digits are not a real date.
    pub birth_year: i32,
    /// Serial, digits 13-16, when `digits_read`.
    pub serial: u16,
    /// Birth month 1-12, 0 when not decoded.
    pub birth_month: u8,
    /// Birth day 1-31 (women's +40 removed), 0 when not decoded.
    pub birth_day: u8,
    /// 1 when the NIK is valid (warnings allowed), else 0.
    pub valid: u8,
    /// 1 when 16 digits were read (after lenient clean-up): `normalized`, the
    /// region codes and `serial` are then filled.
    pub digits_read: u8,
    /// `KTPEL_SEX_UNKNOWN`, `KTPEL_SEX_MALE` or `KTPEL_SEX_FEMALE`.
    pub sex: u8,
    /// 1 when both 19YY and 20YY were plausible birth years.
    pub century_ambiguous: u8,
    /// The 16 digits read, ASCII, not NUL-terminated (when `digits_read`).
    pub normalized: [u8; 16],
}

/// The result of checking one KK (family card) number. A successful call
/// always fills every field; fields that could not be decoded are 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_kk_result {
    /// `KTPEL_STATUS_OK` (0) when valid, else the code of the first error.
    pub code: u32,
    /// Warnings as a bitmask of `KTPEL_WARNING_*`.
    pub warnings: u32,
    /// Province digits 1-2, when `digits_read`.
    pub province_code: u32,
    /// Regency digits 1-4, when `digits_read`.
    pub regency_code: u32,
    /// District digits 1-6, when `digits_read`.
    pub district_code: u32,
    /// Year of the recording (issue) date, 0 when not decoded.
    pub issue_year: i32,
    /// Serial, digits 13-16, when `digits_read`.
    pub serial: u16,
    /// Month of the issue date, 0 when not decoded.
    pub issue_month: u8,
    /// Day of the issue date, 0 when not decoded.
    pub issue_day: u8,
    /// 1 when valid, else 0.
    pub valid: u8,
    /// 1 when 16 digits were read.
    pub digits_read: u8,
    /// 1 when both 19YY and 20YY were plausible.
    pub century_ambiguous: u8,
    /// Always 0 (keeps the layout explicit).
    pub reserved: u8,
    /// The 16 digits read, ASCII, not NUL-terminated (when `digits_read`).
    pub normalized: [u8; 16],
}

/// The first warning code; `KTPEL_WARNING_X == 1 << (KTPEL_STATUS_X - 150)`.
const WARNING_BASE: u32 = 150;

/// The `KTPEL_WARNING_*` bitmask of a warning set.
pub(crate) fn warning_bits(w: Warnings) -> u32 {
    w.iter()
        .map(|c| c.as_u32().wrapping_sub(WARNING_BASE))
        .filter(|&b| b < 32)
        .fold(0, |m, b| m | 1 << b)
}

pub(crate) struct Resolved {
    pub(crate) mode: Mode,
    pub(crate) reference: NaiveDate,
    pub(crate) birth_year: Option<i32>,
}

pub(crate) fn resolve_options(opts: &ktpel_check_options) -> Result<Resolved, Error> {
    let mode = match opts.mode {
        KTPEL_MODE_STRICT => Mode::Strict,
        KTPEL_MODE_LENIENT => Mode::Lenient,
        m => {
            return Err(Error::invalid(
                "opts.mode",
                format_args!("{m} is neither KTPEL_MODE_STRICT (0) nor KTPEL_MODE_LENIENT (1)"),
            ));
        }
    };
    let reference = match (
        opts.reference_year,
        opts.reference_month,
        opts.reference_day,
    ) {
        (0, 0, 0) => nik::today(),
        (y, m, d) => NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
            Error::invalid(
                "opts.reference_*",
                format_args!("{y:04}-{m:02}-{d:02} is not a calendar date (all 0 means today)"),
            )
        })?,
    };
    let birth_year = (opts.birth_year != 0).then_some(opts.birth_year);
    Ok(Resolved {
        mode,
        reference,
        birth_year,
    })
}

/// Reads one batch item; a bad item becomes a verdict code, not a failure.
fn item_text<'a>(s: &ktpel_str) -> Result<&'a str, Code> {
    // SAFETY: the caller of the entry point guarantees each item points to
    // `len` readable bytes (or is NULL with len 0) for the call.
    match unsafe { util::bytes(s.ptr, s.len, "inputs[i].ptr") } {
        Ok(b) => core::str::from_utf8(b).map_err(|_| Code::InvalidUtf8),
        Err(_) => Err(Code::NullArgument),
    }
}

/// The region codes and serial of 16 ASCII digits, read in one pass.
fn digit_fields(n: &str) -> (u32, u32, u32, u16, [u8; 16]) {
    let mut d = [0u8; 16];
    d.copy_from_slice(&n.as_bytes()[..16]);
    let num = |from: usize, to: usize| {
        d[from..to]
            .iter()
            .fold(0u32, |a, &b| a * 10 + u32::from(b.wrapping_sub(b'0')))
    };
    let district = num(0, 6);
    (
        district / 10_000,
        district / 100,
        district,
        num(12, 16) as u16,
        d,
    )
}

fn nik_result(c: &nik::NikCheck) -> ktpel_nik_result {
    let mut r = ktpel_nik_result {
        code: status_of(c.code()),
        warnings: warning_bits(c.warnings()),
        valid: u8::from(c.is_valid()),
        century_ambiguous: u8::from(c.century_ambiguous()),
        sex: match c.sex() {
            Some(Sex::Male) => KTPEL_SEX_MALE,
            Some(Sex::Female) => KTPEL_SEX_FEMALE,
            _ => KTPEL_SEX_UNKNOWN,
        },
        ..Default::default()
    };
    if let Some(n) = c.normalized() {
        let (p, rg, d, serial, digits) = digit_fields(n);
        r.digits_read = 1;
        (r.province_code, r.regency_code, r.district_code, r.serial) = (p, rg, d, serial);
        r.normalized = digits;
    }
    if let Some(d) = c.birth_date() {
        r.birth_year = d.year();
        r.birth_month = d.month() as u8;
        r.birth_day = d.day() as u8;
    }
    r
}

fn nik_failed(code: Code) -> ktpel_nik_result {
    ktpel_nik_result {
        code: status(code),
        ..Default::default()
    }
}

fn kk_result(c: &kk::KkCheck) -> ktpel_kk_result {
    let mut r = ktpel_kk_result {
        code: status_of(c.code()),
        warnings: warning_bits(c.warnings()),
        valid: u8::from(c.is_valid()),
        century_ambiguous: u8::from(c.century_ambiguous()),
        ..Default::default()
    };
    if let Some(n) = c.normalized() {
        let (p, rg, d, serial, digits) = digit_fields(n);
        r.digits_read = 1;
        (r.province_code, r.regency_code, r.district_code, r.serial) = (p, rg, d, serial);
        r.normalized = digits;
    }
    if let Some(d) = c.issue_date() {
        r.issue_year = d.year();
        r.issue_month = d.month() as u8;
        r.issue_day = d.day() as u8;
    }
    r
}

fn kk_failed(code: Code) -> ktpel_kk_result {
    ktpel_kk_result {
        code: status(code),
        ..Default::default()
    }
}

fn check_nik_item(s: &ktpel_str, o: &Resolved) -> ktpel_nik_result {
    match item_text(s) {
        Ok(t) => nik_result(&nik::check_at(t, o.mode, o.reference, o.birth_year)),
        Err(code) => nik_failed(code),
    }
}

fn check_kk_item(s: &ktpel_str, o: &Resolved) -> ktpel_kk_result {
    match item_text(s) {
        Ok(t) => kk_result(&kk::check_at(t, o.mode, o.reference, o.birth_year)),
        Err(code) => kk_failed(code),
    }
}

/// Items shared read-only across the rayon workers.
struct SharedInputs<'a>(&'a [ktpel_str]);
// SAFETY: the items are only read during the call, and the caller guarantees
// the memory they point to is neither freed nor written until it returns.
unsafe impl Sync for SharedInputs<'_> {}

impl SharedInputs<'_> {
    /// Item `i` (a method, so closures capture the `Sync` wrapper, not the
    /// slice inside it).
    fn get(&self, i: usize) -> &ktpel_str {
        &self.0[i]
    }
}

/// Checks one NIK (`input`, `input_len`: UTF-8 text) with `opts` and writes
/// the verdict and decoded fields to `*out`. An invalid NIK is a successful
/// call: see `out->valid` and `out->code`. Fails only for NULL `opts`/`out`
/// (`KTPEL_STATUS_NULL_ARGUMENT`) or bad options
/// (`KTPEL_STATUS_INVALID_ARGUMENT`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_nik_check(
    input: *const u8,
    input_len: usize,
    opts: *const ktpel_check_options,
    out: *mut ktpel_nik_result,
) -> u32 {
    ffi_boundary!(opts, out => {
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let o = resolve_options(unsafe { &*opts })?;
        let item = ktpel_str { ptr: input, len: input_len };
        let r = check_nik_item(&item, &o);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// Checks `count` NIKs in one call (in parallel on all cores) and writes one
/// result per input, in order, to `out` (an array of `count` results the
/// caller allocates); `*out_valid` receives the number of valid ones. A NULL
/// item pointer with a non-zero length, or bytes that are not UTF-8, give
/// that item the code `KTPEL_STATUS_NULL_ARGUMENT` / `KTPEL_STATUS_INVALID_UTF8`
/// without failing the batch.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_nik_check_batch(
    inputs: *const ktpel_str,
    count: usize,
    opts: *const ktpel_check_options,
    out: *mut ktpel_nik_result,
    out_valid: *mut usize,
) -> u32 {
    ffi_boundary!(opts, out_valid => {
        // SAFETY: the caller contract of this function is that of `check_batch`.
        unsafe { check_batch(inputs, count, opts, out, out_valid, check_nik_item, |r| r.valid == 1) }
    })
}

/// The body of `ktpel_nik_check_batch` / `ktpel_kk_check_batch`: checks
/// every item in parallel into `out` and counts the valid ones.
///
/// # Safety
/// `opts` and `out_valid` non-NULL; `inputs` has `count` readable items and
/// `out` `count` writable results.
unsafe fn check_batch<R: Send>(
    inputs: *const ktpel_str,
    count: usize,
    opts: *const ktpel_check_options,
    out: *mut R,
    out_valid: *mut usize,
    check: impl Fn(&ktpel_str, &Resolved) -> R + Sync,
    is_valid: impl Fn(&R) -> bool + Sync,
) -> Result<(), Error> {
    // SAFETY: non-NULL (caller); the caller passes a readable struct.
    let o = resolve_options(unsafe { &*opts })?;
    // SAFETY: `inputs` has `count` readable items (caller contract).
    let items = SharedInputs(unsafe { util::array(inputs, count, "inputs")? });
    // SAFETY: `out` has `count` writable results (caller contract).
    let results = unsafe { util::array_mut(out, count, "out")? };
    let items = &items;
    results
        .par_iter_mut()
        .enumerate()
        .with_min_len(4096)
        .for_each(|(i, r)| *r = check(items.get(i), &o));
    let valid = results.iter().filter(|r| is_valid(r)).count();
    // SAFETY: non-NULL (caller), writable.
    unsafe { put(out_valid, valid) };
    Ok(())
}

/// Checks one KK number; see `ktpel_nik_check` (`opts->birth_year`, when
/// set, is a known issue year that settles the century).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_kk_check(
    input: *const u8,
    input_len: usize,
    opts: *const ktpel_check_options,
    out: *mut ktpel_kk_result,
) -> u32 {
    ffi_boundary!(opts, out => {
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let o = resolve_options(unsafe { &*opts })?;
        let item = ktpel_str { ptr: input, len: input_len };
        let r = check_kk_item(&item, &o);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// Checks `count` KK numbers in one call; see `ktpel_nik_check_batch`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_kk_check_batch(
    inputs: *const ktpel_str,
    count: usize,
    opts: *const ktpel_check_options,
    out: *mut ktpel_kk_result,
    out_valid: *mut usize,
) -> u32 {
    ffi_boundary!(opts, out_valid => {
        // SAFETY: the caller contract of this function is that of `check_batch`.
        unsafe { check_batch(inputs, count, opts, out, out_valid, check_kk_item, |r| r.valid == 1) }
    })
}

/// Parses a NIK strictly and fails with its error code (e.g.
/// `KTPEL_STATUS_UNKNOWN_DISTRICT`) and a detail message in
/// `ktpel_last_error_message` when it is not valid; writes the display form
/// `PP.RR.DD.DDMMYY.SSSS` into `buf` when it is. The pass/fail form of
/// `ktpel_nik_check`, for callers that want the message.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_nik_parse(
    input: *const u8,
    input_len: usize,
    opts: *const ktpel_check_options,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(opts, out_written => {
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let o = resolve_options(unsafe { &*opts })?;
        // SAFETY: `input` has `input_len` readable bytes (caller contract).
        let text = unsafe { util::text(input, input_len, "input")? };
        let c = nik::check_at(text, o.mode, o.reference, o.birth_year);
        if let Some(e) = c.error() {
            return Err(Error::core(e));
        }
        let shown = c.normalized().and_then(nik::format_display).unwrap_or_default();
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(shown.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// As `ktpel_nik_parse`, for a KK number (display form `PP.RR.DD.DDMMYY.SSSS`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_kk_parse(
    input: *const u8,
    input_len: usize,
    opts: *const ktpel_check_options,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(opts, out_written => {
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let o = resolve_options(unsafe { &*opts })?;
        // SAFETY: `input` has `input_len` readable bytes (caller contract).
        let text = unsafe { util::text(input, input_len, "input")? };
        let c = kk::check_at(text, o.mode, o.reference, o.birth_year);
        if let Some(e) = c.error() {
            return Err(Error::new(e.code(), e.to_string()));
        }
        let shown = c.normalized().and_then(nik::format_display).unwrap_or_default();
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(shown.as_bytes(), buf, len, out_written, "buf") }
    })
}
