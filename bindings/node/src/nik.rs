//! NIK, KK and region: argument conversion only.

use crate::error::{Result, guard, invalid_argument, to_js};
use chrono::{Datelike, NaiveDate};
use ktpel_core::nik::{CheckOptions, Mode};
use ktpel_core::region::{self, Level, Region, RegionCode, RegionStatus};
use ktpel_core::{kk, nik};
use napi::bindgen_prelude::{Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array};
use napi_derive::napi;

/// Options of a NIK or KK check.
#[napi(object)]
#[derive(Default)]
pub struct CheckOpts {
    /// `"strict"` (default) or `"lenient"`.
    pub mode: Option<String>,
    /// ISO date (`YYYY-MM-DD`) the two-digit year is resolved against; today by default.
    pub reference_date: Option<String>,
    /// A birth year known from another source, to settle the century (NIK only).
    pub birth_year: Option<i32>,
}

pub(crate) fn parse_date(what: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| invalid_argument(what, format!("{s:?} is not an ISO date YYYY-MM-DD")))
}

pub(crate) fn check_options(opts: Option<CheckOpts>) -> Result<CheckOptions> {
    let o = opts.unwrap_or_default();
    let mode = match o.mode.as_deref() {
        None | Some("strict") => Mode::Strict,
        Some("lenient") => Mode::Lenient,
        Some(other) => {
            return Err(invalid_argument(
                "mode",
                format!("{other:?} is neither \"strict\" nor \"lenient\""),
            ));
        }
    };
    let reference_date = o
        .reference_date
        .as_deref()
        .map(|s| parse_date("referenceDate", s))
        .transpose()?;
    Ok(CheckOptions {
        mode,
        reference_date,
        birth_year: o.birth_year,
    })
}

fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn pad(v: Option<u32>, width: usize) -> Option<String> {
    v.map(|v| format!("{v:0width$}"))
}

/// The verdict of a NIK check and every field that could be decoded.
#[napi(object, use_nullable = true)]
pub struct NikCheckInfo {
    /// Whether the NIK is valid (warnings allowed).
    pub valid: bool,
    /// Error code, `null` when valid.
    pub code: Option<String>,
    /// Message a clerk can act on, `null` when valid.
    pub message: Option<String>,
    /// Warning codes, alphabetical.
    pub warnings: Vec<String>,
    /// The 16 digits read.
    pub normalized: Option<String>,
    /// Two digits.
    pub province_code: Option<String>,
    /// Four digits.
    pub regency_code: Option<String>,
    /// Six digits, no dots.
    pub district_code: Option<String>,
    /// Province name.
    pub province_name: Option<String>,
    /// Regency name.
    pub regency_name: Option<String>,
    /// District name.
    pub district_name: Option<String>,
    /// `L` or `P`.
    pub sex: Option<String>,
    /// ISO birth date.
    pub birth_date: Option<String>,
    /// The two-digit year could belong to two centuries.
    pub century_ambiguous: bool,
    /// Four digits.
    pub serial: Option<String>,
}

/// The verdict of a KK check and every field that could be decoded.
#[napi(object, use_nullable = true)]
pub struct KkCheckInfo {
    /// Whether the number is valid (warnings allowed).
    pub valid: bool,
    /// Error code, `null` when valid.
    pub code: Option<String>,
    /// Message a clerk can act on, `null` when valid.
    pub message: Option<String>,
    /// Warning codes, alphabetical.
    pub warnings: Vec<String>,
    /// The 16 digits read.
    pub normalized: Option<String>,
    /// Two digits.
    pub province_code: Option<String>,
    /// Four digits.
    pub regency_code: Option<String>,
    /// Six digits, no dots.
    pub district_code: Option<String>,
    /// Province name.
    pub province_name: Option<String>,
    /// Regency name.
    pub regency_name: Option<String>,
    /// District name.
    pub district_name: Option<String>,
    /// ISO issue date.
    pub issue_date: Option<String>,
    /// The two-digit year could belong to two centuries.
    pub century_ambiguous: bool,
    /// Four digits.
    pub serial: Option<String>,
}

fn warnings(w: ktpel_core::nik::Warnings) -> Vec<String> {
    w.iter().map(|c| c.as_str().to_string()).collect()
}

/// Checks one NIK; never throws for a bad NIK (the verdict is in the result).
#[napi]
pub fn nik_check(input: String, opts: Option<CheckOpts>) -> Result<NikCheckInfo> {
    guard(|| {
        let c = nik::check_with(&input, &check_options(opts)?);
        Ok(NikCheckInfo {
            valid: c.is_valid(),
            code: c.code().map(|k| k.as_str().to_string()),
            message: c.error().map(|e| e.to_string()),
            warnings: warnings(c.warnings()),
            normalized: c.normalized().map(str::to_string),
            province_code: pad(c.province_code(), 2),
            regency_code: pad(c.regency_code(), 4),
            district_code: pad(c.district_code(), 6),
            province_name: c.province_name().map(str::to_string),
            regency_name: c.regency_name().map(str::to_string),
            district_name: c.district_name().map(str::to_string),
            sex: c.sex().map(|s| s.as_str().to_string()),
            birth_date: c.birth_date().map(iso),
            century_ambiguous: c.century_ambiguous(),
            serial: pad(c.serial().map(u32::from), 4),
        })
    })
}

/// Checks one KK number; never throws for a bad number.
#[napi]
pub fn kk_check(input: String, opts: Option<CheckOpts>) -> Result<KkCheckInfo> {
    guard(|| {
        let c = kk::check_with(&input, &check_options(opts)?);
        Ok(KkCheckInfo {
            valid: c.is_valid(),
            code: c.code().map(|k| k.as_str().to_string()),
            message: c.error().map(|e| e.to_string()),
            warnings: warnings(c.warnings()),
            normalized: c.normalized().map(str::to_string),
            province_code: pad(c.province_code(), 2),
            regency_code: pad(c.regency_code(), 4),
            district_code: pad(c.district_code(), 6),
            province_name: c.province_name().map(str::to_string),
            regency_name: c.regency_name().map(str::to_string),
            district_name: c.district_name().map(str::to_string),
            issue_date: c.issue_date().map(iso),
            century_ambiguous: c.century_ambiguous(),
            serial: pad(c.serial().map(u32::from), 4),
        })
    })
}

/// Parses a NIK strictly, throwing its coded error when invalid; returns the
/// normalized 16 digits.
#[napi]
pub fn nik_parse(input: String, opts: Option<CheckOpts>) -> Result<String> {
    guard(|| {
        let n = nik::Nik::parse_with(&input, &check_options(opts)?).map_err(to_js)?;
        Ok(n.as_str().to_string())
    })
}

/// Parses a KK number, throwing its coded error when invalid.
#[napi]
pub fn kk_parse(input: String, opts: Option<CheckOpts>) -> Result<String> {
    guard(|| {
        let n = kk::Kk::parse_with(&input, &check_options(opts)?).map_err(to_js)?;
        Ok(n.as_str().to_string())
    })
}

/// Column-wise result of checking many NIKs (one entry per input, in order).
#[napi(object)]
pub struct NikColumns {
    /// 1 when the NIK is valid (warnings allowed).
    pub valid: Uint8Array,
    /// Number of the error code (see `codes()`), 0 when valid.
    pub code: Uint16Array,
    /// Bit `i` set when warning `warning_names[i]` applies.
    pub warnings: Uint16Array,
    /// The warning codes the bits of `warnings` stand for.
    pub warning_names: Vec<String>,
    /// 0 unknown, 1 `L`, 2 `P`.
    pub sex: Uint8Array,
    /// Birth date as days since 1970-01-01; `-2147483648` when not decoded.
    pub birth_days: Int32Array,
    /// District digits `PPRRDD` as a number; 0 when not decoded.
    pub district: Uint32Array,
    /// Serial; -1 when not decoded.
    pub serial: Int16Array,
}

impl From<nik::NikColumns> for NikColumns {
    fn from(c: nik::NikColumns) -> Self {
        NikColumns {
            valid: c.valid.into(),
            code: c.code.into(),
            warnings: c.warnings.into(),
            warning_names: nik::Warnings::CODES
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            sex: c.sex.into(),
            birth_days: c.birth_days.into(),
            district: c.district.into(),
            serial: c.serial.into(),
        }
    }
}

/// Checks NIKs given one per line, with one reference date, in parallel,
/// and returns column arrays. `count` is set when the JS wrapper joined an
/// array with `\n`: then every value is checked exactly as given (a value
/// holding `\n` is an error, a trailing `\r` is kept), and without it the
/// text is a file's content (CRLF accepted, a final line break ends the last
/// line).
#[napi]
pub fn nik_check_lines(
    text: String,
    count: Option<u32>,
    opts: Option<CheckOpts>,
) -> Result<NikColumns> {
    guard(|| {
        let opts = check_options(opts)?;
        let Some(count) = count else {
            return Ok(nik::NikColumns::check_lines(&text, &opts).into());
        };
        let cols = if count == 0 {
            nik::NikColumns::default()
        } else if text.ends_with('\n') || text.contains('\r') {
            // An empty last value or a value ending in \r: split exactly.
            let inputs: Vec<&str> = text.split('\n').collect();
            nik::NikColumns::from_checks(&nik::check_many(&inputs, &opts))
        } else {
            nik::NikColumns::check_lines(&text, &opts)
        };
        if cols.len() != count as usize {
            return Err(invalid_argument(
                "inputs",
                "a NIK contains a line break (the inputs are joined with \\n)",
            ));
        }
        Ok(cols.into())
    })
}

/// Formats 16 digits for display (`31.74.01.670190.0123`); `null` otherwise.
#[napi]
pub fn nik_format_display(digits: String) -> Option<String> {
    nik::format_display(&digits)
}

/// A region of the Kemendagri table.
#[napi(object, use_nullable = true)]
pub struct RegionInfo {
    /// Dotted code, e.g. `31.74.01`.
    pub code: String,
    /// Plain digits, e.g. `317401`.
    pub digits: String,
    /// `PROVINCE`, `REGENCY`, `DISTRICT` or `VILLAGE`.
    pub level: String,
    /// Name in the newest snapshot that has the code.
    pub name: String,
    /// `CURRENT`, `HISTORIC` or `UNKNOWN`.
    pub status: String,
    /// Dotted code of the successor of a historic region, when known.
    pub successor: Option<String>,
    /// Years of the snapshots that contain the code.
    pub years: Vec<u32>,
    /// Kelurahan (true) or desa (false); absent above village level.
    pub is_kelurahan: Option<bool>,
}

fn successor(s: &RegionStatus) -> Option<String> {
    match s {
        RegionStatus::Historic { successor } => successor.map(|c| c.to_string()),
        _ => None,
    }
}

fn region_info(r: &Region) -> RegionInfo {
    RegionInfo {
        code: r.code.to_string(),
        digits: r.code.digits(),
        level: r.code.level().as_str().into(),
        name: r.name.into(),
        status: r.status.as_str().into(),
        successor: successor(&r.status),
        years: r.years().map(u32::from).collect(),
        is_kelurahan: r.is_kelurahan(),
    }
}

fn level(s: &str) -> Result<Level> {
    Ok(match s.to_ascii_uppercase().as_str() {
        "PROVINCE" => Level::Province,
        "REGENCY" => Level::Regency,
        "DISTRICT" => Level::District,
        "VILLAGE" => Level::Village,
        _ => {
            return Err(invalid_argument(
                "level",
                format!("{s:?} is not PROVINCE, REGENCY, DISTRICT or VILLAGE"),
            ));
        }
    })
}

/// Looks a region code up (dotted or plain); throws `UNKNOWN_*`/`INVALID_*` codes.
#[napi]
pub fn region_lookup(code: String) -> Result<RegionInfo> {
    guard(|| {
        region::lookup(&code)
            .map(|r| region_info(&r))
            .map_err(to_js)
    })
}

/// Status of a region code and, for historic codes, its successor.
#[napi(object, use_nullable = true)]
pub struct RegionStatusInfo {
    /// `CURRENT`, `HISTORIC` or `UNKNOWN`.
    pub status: String,
    /// Dotted code of the successor, when known.
    pub successor: Option<String>,
}

/// Whether a code is current, historic or never issued.
#[napi]
pub fn region_status(code: String) -> Result<RegionStatusInfo> {
    guard(|| {
        let s = region::status(&code).map_err(to_js)?;
        Ok(RegionStatusInfo {
            status: s.as_str().into(),
            successor: successor(&s),
        })
    })
}

/// Children of a region (provinces when `code` is null).
#[napi]
pub fn region_children(code: Option<String>) -> Result<Vec<RegionInfo>> {
    guard(|| {
        let parent = code
            .as_deref()
            .map(RegionCode::parse)
            .transpose()
            .map_err(to_js)?;
        Ok(region::children(parent).iter().map(region_info).collect())
    })
}

/// Searches regions by name (accents, case and prefixes such as `KAB.` ignored).
#[napi]
pub fn region_search(
    query: String,
    level_name: Option<String>,
    prefix: Option<bool>,
) -> Result<Vec<RegionInfo>> {
    guard(|| {
        let lv = level_name.as_deref().map(level).transpose()?;
        Ok(region::search(&query, lv, prefix.unwrap_or(false))
            .iter()
            .map(region_info)
            .collect())
    })
}

/// Kemendagri code to BPS code.
#[napi]
pub fn region_to_bps(code: String) -> Result<String> {
    guard(|| region::to_bps(&code).map_err(to_js))
}

/// BPS code to Kemendagri code (dotted).
#[napi]
pub fn region_from_bps(code: String) -> Result<String> {
    guard(|| {
        region::from_bps(&code)
            .map(|c| c.to_string())
            .map_err(to_js)
    })
}

/// Years of the embedded region snapshots, oldest first.
#[napi]
pub fn region_snapshot_years() -> Vec<u32> {
    region::snapshot_years()
        .into_iter()
        .map(u32::from)
        .collect()
}
