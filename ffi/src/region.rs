//! The embedded Kemendagri region table: lookup, names, status and successor,
//! children, and the BPS bridge.

use ktpel_core::Code;
use ktpel_core::region::{self, Level, Region, RegionCode, RegionStatus};

use crate::error::{Error, ffi_boundary};
use crate::util::{self, put, write_out};

/// `ktpel_region.level`: provinsi (2 digits).
pub const KTPEL_LEVEL_PROVINCE: u32 = 1;
/// `ktpel_region.level`: kabupaten/kota (4 digits).
pub const KTPEL_LEVEL_REGENCY: u32 = 2;
/// `ktpel_region.level`: kecamatan (6 digits).
pub const KTPEL_LEVEL_DISTRICT: u32 = 3;
/// `ktpel_region.level`: kelurahan/desa (10 digits).
pub const KTPEL_LEVEL_VILLAGE: u32 = 4;

/// Region status: never issued (only from `ktpel_region_status`).
pub const KTPEL_REGION_UNKNOWN: u32 = 0;
/// Region status: in the current (newest) Kemendagri snapshot.
pub const KTPEL_REGION_CURRENT: u32 = 1;
/// Region status: issued in an earlier snapshot only; still valid in a NIK
/// issued then.
pub const KTPEL_REGION_HISTORIC: u32 = 2;

/// One region of the table.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_region {
    /// The code's digits as a number, e.g. 317401 for `31.74.01` (print with
    /// as many digits as the level has: 2, 4, 6 or 10).
    pub code: u64,
    /// For a historic region, the code it went to when known (same level),
    /// else 0.
    pub successor: u64,
    /// `KTPEL_LEVEL_*`.
    pub level: u32,
    /// `KTPEL_REGION_CURRENT` or `KTPEL_REGION_HISTORIC`.
    pub status: u32,
    /// Bit `i` set when the code is in snapshot `i` (oldest first; see
    /// `ktpel_region_snapshot_years`).
    pub snapshots: u32,
    /// Villages: 1 for a kelurahan, 0 for a desa; -1 above the village level.
    pub is_kelurahan: i32,
}

fn level_number(l: Level) -> u32 {
    match l {
        Level::Province => KTPEL_LEVEL_PROVINCE,
        Level::Regency => KTPEL_LEVEL_REGENCY,
        Level::District => KTPEL_LEVEL_DISTRICT,
        _ => KTPEL_LEVEL_VILLAGE,
    }
}

fn status_parts(s: &RegionStatus) -> (u32, u64) {
    match s {
        RegionStatus::Current => (KTPEL_REGION_CURRENT, 0),
        RegionStatus::Historic { successor } => {
            (KTPEL_REGION_HISTORIC, successor.map_or(0, |c| c.number()))
        }
        _ => (KTPEL_REGION_UNKNOWN, 0),
    }
}

fn to_c(r: &Region) -> ktpel_region {
    let (status, successor) = status_parts(&r.status);
    ktpel_region {
        code: r.code.number(),
        successor,
        level: level_number(r.code.level()),
        status,
        snapshots: u32::from(r.snapshots),
        is_kelurahan: r.is_kelurahan().map_or(-1, i32::from),
    }
}

/// Reads a code argument.
///
/// # Safety
/// `ptr` has `len` readable bytes (or is NULL with len 0).
unsafe fn code_text<'a>(ptr: *const u8, len: usize) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    unsafe { util::text(ptr, len, "code") }
}

/// Looks up a region code given with or without dots (`31.74.01`, `317401`)
/// and writes it to `*out`. Fails with `KTPEL_STATUS_INVALID_REGION_CODE`
/// (malformed) or `KTPEL_STATUS_UNKNOWN_REGION` (never issued).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_lookup(
    code: *const u8,
    code_len: usize,
    out: *mut ktpel_region,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: `code` has `code_len` readable bytes (caller contract).
        let r = region::lookup(unsafe { code_text(code, code_len)? })?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, to_c(&r)) };
        Ok(())
    })
}

/// Writes the name of a region (as spelled in the newest snapshot that has
/// it, e.g. `Tebet`) into `buf`. Fails like `ktpel_region_lookup`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_name(
    code: *const u8,
    code_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `code` has `code_len` readable bytes (caller contract).
        let r = region::lookup(unsafe { code_text(code, code_len)? })?;
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(r.name.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the name of the district with the six digits `district_code` (e.g.
/// `ktpel_nik_result.district_code` 317401 gives `Tebet`) into `buf`. Fails
/// with `KTPEL_STATUS_UNKNOWN_REGION` when the table has no such district.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_district_name(
    district_code: u32,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        let name = RegionCode::from_number(Level::District, u64::from(district_code))
            .ok()
            .and_then(region::get)
            .map(|r| r.name)
            .ok_or_else(|| {
            Error::new(
                Code::UnknownRegion,
                format!("district code {district_code:06} is not in the region table"),
            )
        })?;
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(name.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the status of a code (`KTPEL_REGION_CURRENT`, `_HISTORIC` or
/// `_UNKNOWN`: never issued is a status here, not a failure) to `*out_status`
/// and its successor (0 if none) to `*out_successor`. Fails with
/// `KTPEL_STATUS_INVALID_REGION_CODE` for malformed codes.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_status(
    code: *const u8,
    code_len: usize,
    out_status: *mut u32,
    out_successor: *mut u64,
) -> u32 {
    ffi_boundary!(out_status, out_successor => {
        // SAFETY: `code` has `code_len` readable bytes (caller contract).
        let s = region::status(unsafe { code_text(code, code_len)? })?;
        let (st, succ) = status_parts(&s);
        // SAFETY: both non-NULL (boundary), writable.
        unsafe {
            put(out_status, st);
            put(out_successor, succ);
        }
        Ok(())
    })
}

/// Writes the codes (digits as numbers) of the regions directly below `code`
/// (historic ones included, in code order) to `out_codes`, an array of
/// `capacity` items, and their number to `*out_count`. An empty `code`
/// (length 0) lists the provinces. If `capacity` is too small the call fails
/// with `KTPEL_STATUS_BUFFER_TOO_SMALL` and `*out_count` is the number needed.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_children(
    code: *const u8,
    code_len: usize,
    out_codes: *mut u64,
    capacity: usize,
    out_count: *mut usize,
) -> u32 {
    ffi_boundary!(out_count => {
        let parent = if code_len == 0 {
            None
        } else {
            // SAFETY: `code` has `code_len` readable bytes (caller contract).
            Some(RegionCode::parse(unsafe { code_text(code, code_len)? })?)
        };
        let kids = region::children(parent);
        // SAFETY: `out_count` non-NULL (boundary).
        unsafe { util::ensure_capacity(kids.len(), capacity, out_count, "out_codes")? };
        // SAFETY: `out_codes` has `capacity >= kids.len()` writable items.
        let dst = unsafe { util::array_mut(out_codes, kids.len(), "out_codes")? };
        for (d, r) in dst.iter_mut().zip(&kids) {
            *d = r.code.number();
        }
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_count, kids.len()) };
        Ok(())
    })
}

/// Writes the years of the embedded snapshots, oldest first (bit `i` of
/// `ktpel_region.snapshots` is year `i`), to `out_years` (`capacity` items)
/// and their number to `*out_count`; too small a capacity fails with
/// `KTPEL_STATUS_BUFFER_TOO_SMALL` and the number needed.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_snapshot_years(
    out_years: *mut u16,
    capacity: usize,
    out_count: *mut usize,
) -> u32 {
    ffi_boundary!(out_count => {
        let years = region::snapshot_years();
        // SAFETY: `out_count` non-NULL (boundary).
        unsafe { util::ensure_capacity(years.len(), capacity, out_count, "out_years")? };
        // SAFETY: `out_years` has `capacity >= years.len()` writable items.
        let dst = unsafe { util::array_mut(out_years, years.len(), "out_years")? };
        dst.copy_from_slice(&years);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_count, years.len()) };
        Ok(())
    })
}

/// Converts a Kemendagri regency (4 digits) or district (6 digits) code, or a
/// province, to the BPS code (2, 4 or 7 digits) and writes it into `buf`.
/// Fails with `KTPEL_STATUS_UNKNOWN_REGION` when the bridge has no entry.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_to_bps(
    code: *const u8,
    code_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `code` has `code_len` readable bytes (caller contract).
        let bps = region::to_bps(unsafe { code_text(code, code_len)? })?;
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(bps.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Converts a BPS province (2 digits), regency (4) or district (7) code to the
/// Kemendagri code and writes it, dotted (`31.74.01`), into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_region_from_bps(
    code: *const u8,
    code_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `code` has `code_len` readable bytes (caller contract).
        let c = region::from_bps(unsafe { code_text(code, code_len)? })?;
        let dotted = c.to_string();
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(dotted.as_bytes(), buf, len, out_written, "buf") }
    })
}
