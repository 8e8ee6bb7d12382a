//! Shared parsing of the 16-digit numbers NIK and KK: format checks in strict
//! and lenient modes, spreadsheet-corruption detection, century resolution.
//!
//! Everything here works on ASCII bytes and never allocates, so `nik::check`
//! stays in the tens of nanoseconds.

use chrono::{Datelike, NaiveDate};

use crate::code::{Code, HasCode};

/// How strictly the text of a NIK or KK number is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Exactly 16 ASCII digits, nothing else.
    #[default]
    Strict,
    /// Surrounding whitespace, the separators people type (space, `.`, `-`)
    /// and a leading spreadsheet text marker (`'`) are removed first; the
    /// result says so with the warning `SEPARATORS_REMOVED`.
    Lenient,
}

/// Options for checking a NIK or KK number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CheckOptions {
    /// Strict or lenient reading of the text.
    pub mode: Mode,
    /// The date against which the two-digit year is resolved and "in the
    /// future" is judged. `None` means today (with the `std` feature) or
    /// [`FALLBACK_REFERENCE_DATE`] without it.
    pub reference_date: Option<NaiveDate>,
    /// A birth year known from another source (e.g. the agency's own record),
    /// used to settle the century. Ignored for KK numbers.
    pub birth_year: Option<i32>,
}

impl CheckOptions {
    /// Strict mode, reference date today.
    pub const fn strict() -> Self {
        CheckOptions {
            mode: Mode::Strict,
            reference_date: None,
            birth_year: None,
        }
    }

    /// Lenient mode, reference date today.
    pub const fn lenient() -> Self {
        CheckOptions {
            mode: Mode::Lenient,
            reference_date: None,
            birth_year: None,
        }
    }

    /// The same options with a fixed reference date.
    pub const fn with_reference_date(mut self, date: NaiveDate) -> Self {
        self.reference_date = Some(date);
        self
    }

    /// The same options with a known birth year.
    pub const fn with_birth_year(mut self, year: i32) -> Self {
        self.birth_year = Some(year);
        self
    }

    /// The reference date these options resolve to now.
    pub fn resolved_reference_date(&self) -> NaiveDate {
        self.reference_date.unwrap_or_else(today)
    }
}

/// Reference date used without the `std` feature when none is given
/// (firmware has no clock we can trust; callers should pass one).
pub const FALLBACK_REFERENCE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Today's local date (with `std`), else [`FALLBACK_REFERENCE_DATE`].
pub fn today() -> NaiveDate {
    #[cfg(feature = "std")]
    {
        chrono::Local::now().date_naive()
    }
    #[cfg(not(feature = "std"))]
    {
        FALLBACK_REFERENCE_DATE
    }
}

/// A small set of warning codes, stored as bits (no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Warnings(u16);

/// The warning codes a [`Warnings`] set can hold, in bit order — which is
/// alphabetical, so every surface lists warnings in the same order.
const WARNING_CODES: [Code; 6] = [
    Code::BirthYearMismatch,
    Code::CenturyAmbiguous,
    Code::HistoricRegionCode,
    Code::PlaceholderDateDec31,
    Code::PlaceholderDateJul1,
    Code::SeparatorsRemoved,
];

impl Warnings {
    /// The warning codes a set can hold, in bit order (alphabetical).
    pub const CODES: [Code; 6] = WARNING_CODES;

    /// The set as bits: bit `i` set means [`Warnings::CODES`]`[i]`.
    pub const fn bits(&self) -> u16 {
        self.0
    }

    /// The set from [`Warnings::bits`]; unknown bits are dropped.
    pub const fn from_bits(bits: u16) -> Self {
        Warnings(bits & ((1 << WARNING_CODES.len()) - 1))
    }

    /// No warnings.
    pub const fn new() -> Self {
        Warnings(0)
    }

    /// Adds a warning (codes that are not warnings are ignored).
    pub fn insert(&mut self, code: Code) {
        if let Some(i) = WARNING_CODES.iter().position(|&c| c == code) {
            self.0 |= 1 << i;
        }
    }

    /// Whether `code` is present.
    pub fn contains(&self, code: Code) -> bool {
        WARNING_CODES
            .iter()
            .position(|&c| c == code)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// Number of warnings.
    pub const fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// The warnings in alphabetical order of their codes.
    pub fn iter(&self) -> impl Iterator<Item = Code> + '_ {
        WARNING_CODES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, &c)| c)
    }
}

impl serde::Serialize for Warnings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Why the text is not 16 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatError {
    Empty,
    WrongLength(usize),
    NonDigit(usize, char),
    Spreadsheet,
}

/// Reads 16 ASCII digits from `input` according to `mode`.
#[inline]
pub(crate) fn read_digits(
    input: &str,
    mode: Mode,
    warnings: &mut Warnings,
) -> Result<[u8; 16], FormatError> {
    let bytes = input.as_bytes();
    if bytes.len() == 16 && bytes.iter().all(u8::is_ascii_digit) && bytes[10..] != *b"000000" {
        let mut out = [0u8; 16];
        for (o, b) in out.iter_mut().zip(bytes) {
            *o = b - b'0';
        }
        return Ok(out);
    }
    read_digits_slow(input, mode, warnings)
}

#[cold]
fn read_digits_slow(
    input: &str,
    mode: Mode,
    warnings: &mut Warnings,
) -> Result<[u8; 16], FormatError> {
    let trimmed = input.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.is_empty() {
        return Err(FormatError::Empty);
    }
    if looks_like_spreadsheet_number(trimmed) {
        return Err(FormatError::Spreadsheet);
    }
    let mut out = [0u8; 16];
    let mut n = 0usize;
    match mode {
        Mode::Strict => {
            for (i, c) in input.char_indices() {
                if !c.is_ascii_digit() {
                    return Err(FormatError::NonDigit(i, c));
                }
            }
            return Err(FormatError::WrongLength(input.len()));
        }
        Mode::Lenient => {
            let body = trimmed.strip_prefix('\'').unwrap_or(trimmed);
            let mut removed = body.len() != input.len();
            for (i, c) in body.char_indices() {
                match c {
                    '0'..='9' => {
                        if n < 16 {
                            out[n] = c as u8 - b'0';
                        }
                        n += 1;
                    }
                    ' ' | '.' | '-' | '\t' => removed = true,
                    _ => {
                        return Err(FormatError::NonDigit(
                            i + (input.len() - body.len()).min(i + 1),
                            c,
                        ));
                    }
                }
            }
            if n != 16 {
                return Err(if n == 0 {
                    FormatError::Empty
                } else {
                    FormatError::WrongLength(n)
                });
            }
            if removed {
                warnings.insert(Code::SeparatorsRemoved);
            }
        }
    }
    Ok(out)
}

/// Recognises the shapes spreadsheets give a 16-digit number: scientific
/// notation (`3.17401E+15`, `3,17401E+15`), a decimal tail
/// (`3174010101900000.0`), or 16 digits whose last six are zeros: the zeros
/// of lost precision run from the serial into the birth year, which a real
/// NIK never shows (a value with only its serial `0000` is reported as
/// `INVALID_SERIAL` instead). A 16-digit value that lost only its last digit
/// (15 significant digits then one zero) cannot be told apart from a real
/// NIK one by one; batch validation reports it per column instead.
fn looks_like_spreadsheet_number(s: &str) -> bool {
    let b = s.as_bytes();
    // scientific notation: d[.,]ddddE[+]dd
    if let Some(e) = b.iter().position(|&c| c == b'E' || c == b'e') {
        let (mant, exp) = (&b[..e], &b[e + 1..]);
        let exp = exp.strip_prefix(b"+").unwrap_or(exp);
        let mant_ok = !mant.is_empty()
            && mant[0].is_ascii_digit()
            && mant.iter().filter(|&&c| c == b'.' || c == b',').count() <= 1
            && mant
                .iter()
                .all(|&c| c.is_ascii_digit() || c == b'.' || c == b',');
        return mant_ok && !exp.is_empty() && exp.len() <= 2 && exp.iter().all(u8::is_ascii_digit);
    }
    // decimal tail: 15-17 digits, then [.,] and zeros
    if let Some(p) = b.iter().position(|&c| c == b'.' || c == b',') {
        let (int, frac) = (&b[..p], &b[p + 1..]);
        return (15..=17).contains(&int.len())
            && int.iter().all(u8::is_ascii_digit)
            && !frac.is_empty()
            && frac.iter().all(|&c| c == b'0');
    }
    // lost precision: 16 digits ending in six or more zeros
    b.len() == 16 && b.iter().all(u8::is_ascii_digit) && b[10..] == *b"000000"
}

/// The 16 ASCII digits of a NIK or KK number that passed the format check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Digits(pub(crate) [u8; 16]);

impl Digits {
    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or("")
    }

    /// The number formed by `len` digits from `from`.
    pub(crate) fn num(&self, from: usize, len: usize) -> u32 {
        self.0[from..from + len]
            .iter()
            .fold(0u32, |a, &b| a * 10 + u32::from(b - b'0'))
    }
}

/// Which region digits of a number were never issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegionFail {
    /// Digits 1-2.
    Province(u32),
    /// Digits 1-4 (`PPRR`).
    Regency(u32),
    /// Digits 1-6 (`PPRRDD`).
    District(u32),
}

/// What NIK and KK checks share: the format check, then the region check
/// (which adds `HISTORIC_REGION_CODE` to `warnings`).
#[inline]
pub(crate) fn read_and_check_region(
    input: &str,
    mode: Mode,
    warnings: &mut Warnings,
) -> Result<([u8; 16], Digits, Option<RegionFail>), FormatError> {
    let d = read_digits(input, mode, warnings)?;
    let mut ascii = d;
    for b in ascii.iter_mut() {
        *b += b'0';
    }
    let (pp, rr, dd) = (two(&d, 0), two(&d, 2), two(&d, 4));
    let fail = match crate::region::check_nik_region(pp, rr, dd) {
        Ok(historic) => {
            if historic {
                warnings.insert(Code::HistoricRegionCode);
            }
            None
        }
        Err(crate::region::Level::Province) => Some(RegionFail::Province(pp)),
        Err(crate::region::Level::Regency) => Some(RegionFail::Regency(pp * 100 + rr)),
        Err(_) => Some(RegionFail::District(pp * 10_000 + rr * 100 + dd)),
    };
    Ok((d, Digits(ascii), fail))
}

/// Accessors of the decoded digits shared by `NikCheck` and `KkCheck`
/// (both have a `digits: Option<Digits>` field).
macro_rules! digit_accessors {
    () => {
        /// The 16 digits read (after lenient clean-up), when the format was right.
        pub fn normalized(&self) -> Option<&str> {
            self.digits.as_ref().map(|d| d.as_str())
        }

        /// Province digits (1-2).
        pub fn province_code(&self) -> Option<u32> {
            self.digits.map(|d| d.num(0, 2))
        }

        /// Regency digits (1-4, including the province).
        pub fn regency_code(&self) -> Option<u32> {
            self.digits.map(|d| d.num(0, 4))
        }

        /// District digits (1-6, including province and regency).
        pub fn district_code(&self) -> Option<u32> {
            self.digits.map(|d| d.num(0, 6))
        }

        /// District as a region code, when it is structurally valid.
        pub fn district(&self) -> Option<crate::region::RegionCode> {
            crate::region::RegionCode::from_number(
                crate::region::Level::District,
                u64::from(self.district_code()?),
            )
            .ok()
        }

        /// Name of the district from the region table, when known.
        pub fn district_name(&self) -> Option<&'static str> {
            crate::region::district_name(self.district_code()?)
        }

        /// Name of the province, when known.
        pub fn province_name(&self) -> Option<&'static str> {
            crate::region::name_of(crate::region::Level::Province, self.province_code()?)
        }

        /// Name of the regency/city, when known.
        pub fn regency_name(&self) -> Option<&'static str> {
            crate::region::name_of(crate::region::Level::Regency, self.regency_code()?)
        }

        /// Serial (digits 13-16).
        pub fn serial(&self) -> Option<u16> {
            self.digits.map(|d| d.num(12, 4) as u16)
        }
    };
}
pub(crate) use digit_accessors;

/// Writes the entries every check result serializes: `valid`, `code`,
/// `message`, `warnings`, `normalized`, `province_code`, `regency_code`,
/// `district_code` (6 digits), `province_name`, `regency_name`,
/// `district_name`, `serial` (4 digits).
pub(crate) fn serialize_common<M: serde::ser::SerializeMap, E: core::fmt::Display + HasCode>(
    m: &mut M,
    error: Option<E>,
    warnings: &Warnings,
    digits: Option<Digits>,
) -> Result<(), M::Error> {
    m.serialize_entry("valid", &error.is_none())?;
    m.serialize_entry("code", &error.as_ref().map(|e| e.code()))?;
    m.serialize_entry("message", &error.as_ref().map(|e| alloc::format!("{e}")))?;
    m.serialize_entry("warnings", warnings)?;
    m.serialize_entry("normalized", &digits.as_ref().map(|d| d.as_str()))?;
    let code = |from, len| digits.map(|d| alloc::format!("{:0len$}", d.num(from, len), len = len));
    m.serialize_entry("province_code", &code(0, 2))?;
    m.serialize_entry("regency_code", &code(0, 4))?;
    m.serialize_entry("district_code", &code(0, 6))?;
    let name =
        |level, from, len| digits.and_then(|d| crate::region::name_of(level, d.num(from, len)));
    m.serialize_entry("province_name", &name(crate::region::Level::Province, 0, 2))?;
    m.serialize_entry("regency_name", &name(crate::region::Level::Regency, 0, 4))?;
    m.serialize_entry(
        "district_name",
        &digits.and_then(|d| crate::region::district_name(d.num(0, 6))),
    )?;
    m.serialize_entry("serial", &code(12, 4))?;
    Ok(())
}

/// Formats a packed date as ISO `YYYY-MM-DD`.
pub(crate) fn iso(d: Ymd) -> alloc::string::String {
    alloc::format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Two-digit number at `i`.
#[inline]
pub(crate) fn two(d: &[u8; 16], i: usize) -> u32 {
    u32::from(d[i]) * 10 + u32::from(d[i + 1])
}

/// A calendar date packed into a `u32` (`year << 9 | month << 5 | day`), so
/// dates compare as integers and the hot path builds no `NaiveDate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Ymd(u32);

impl Ymd {
    /// Packs a date already known to be valid.
    #[inline]
    pub(crate) const fn new(year: i32, month: u32, day: u32) -> Ymd {
        Ymd(((year as u32) << 9) | (month << 5) | day)
    }

    /// The date if it exists in the calendar.
    #[inline]
    pub(crate) fn checked(year: i32, month: u32, day: u32) -> Option<Ymd> {
        (day >= 1 && (1..=12).contains(&month) && day <= days_in_month(year, month))
            .then(|| Ymd::new(year, month, day))
    }

    #[inline]
    pub(crate) fn from_naive(d: NaiveDate) -> Ymd {
        Ymd::new(d.year(), d.month(), d.day())
    }

    #[inline]
    pub(crate) const fn year(self) -> i32 {
        (self.0 >> 9) as i32
    }

    #[inline]
    pub(crate) const fn month(self) -> u32 {
        (self.0 >> 5) & 0xf
    }

    #[inline]
    pub(crate) const fn day(self) -> u32 {
        self.0 & 0x1f
    }

    /// The `NaiveDate`; every `Ymd` is made from a valid date.
    pub(crate) fn to_naive(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), self.day()).unwrap_or(NaiveDate::MIN)
    }
}

#[inline]
const fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

#[inline]
const fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Outcome of resolving DDMMYY against a reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateResolution {
    Ok { date: Ymd, ambiguous: bool },
    Invalid,
    Future(Ymd),
}

/// People older than this are not considered when judging whether 19YY is a
/// plausible alternative to 20YY (the oldest verified Indonesians are ~120).
pub(crate) const MAX_AGE_YEARS: i32 = 120;

/// No 16-digit KK number records a date before this year: the numbers come
/// from the computerised civil registry (SIAK) era, and older family cards
/// were reissued. A KK date whose 20YY reading is in the future and whose
/// 19YY reading is before this year is reported as a future date.
pub const KK_MIN_YEAR: i32 = 1970;

/// Lower bound used for NIK birth dates (none in practice).
pub(crate) const NIK_MIN_YEAR: i32 = 1900;

/// Resolves day/month/2-digit year to a full date.
///
/// 20YY is chosen when it is not after the reference date, else 19YY; a date
/// that exists only in one century (29 February of `00`) uses that century.
/// `ambiguous` is set when both centuries give a plausible date (19YY no more
/// than [`MAX_AGE_YEARS`] before the reference date). A 19YY date before
/// `min_year` is not a candidate at all (KK numbers: [`KK_MIN_YEAR`]).
#[inline]
pub(crate) fn resolve_date(
    day: u32,
    month: u32,
    yy: u32,
    reference: NaiveDate,
    known_year: Option<i32>,
    min_year: i32,
) -> DateResolution {
    let reference = Ymd::from_naive(reference);
    if let Some(y) = known_year {
        if y.rem_euclid(100) as u32 == yy {
            return match Ymd::checked(y, month, day) {
                None => DateResolution::Invalid,
                Some(d) if d > reference => DateResolution::Future(d),
                Some(d) => DateResolution::Ok {
                    date: d,
                    ambiguous: false,
                },
            };
        }
    }
    let d20 = Ymd::checked(2000 + yy as i32, month, day);
    let d19 = Ymd::checked(1900 + yy as i32, month, day).filter(|d| d.year() >= min_year);
    match (d20, d19) {
        (None, None) => DateResolution::Invalid,
        (Some(d), alt) if d <= reference => {
            let ambiguous = alt.is_some_and(|a| reference.year() - a.year() <= MAX_AGE_YEARS);
            DateResolution::Ok { date: d, ambiguous }
        }
        (_, Some(d)) if d <= reference => DateResolution::Ok {
            date: d,
            ambiguous: false,
        },
        (Some(d), _) | (None, Some(d)) => DateResolution::Future(d),
    }
}

/// Adds the placeholder-date flags registers use when the real date is unknown.
#[inline]
pub(crate) fn placeholder_flags(date: Ymd, warnings: &mut Warnings) {
    match (date.month(), date.day()) {
        (7, 1) => warnings.insert(Code::PlaceholderDateJul1),
        (12, 31) => warnings.insert(Code::PlaceholderDateDec31),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn y(y: i32, m: u32, dd: u32) -> Ymd {
        Ymd::checked(y, m, dd).unwrap()
    }

    #[test]
    fn spreadsheet_shapes() {
        for s in [
            "3.17401E+15",
            "3,17401E+15",
            "3.174010101900E+15",
            "3E15",
            "3174010101900000.0",
            "3174010101900000,00",
            "3174010000000000",
            "3174011201000000",
        ] {
            assert!(looks_like_spreadsheet_number(s), "{s}");
        }
        for s in [
            "3174010101900001",
            "3174010101900010",
            "3174010101900000",
            "abc",
            "E+15",
            "3.1.4E+15",
            "3174010101900100",
            "1.5",
        ] {
            assert!(!looks_like_spreadsheet_number(s), "{s}");
        }
    }

    #[test]
    fn century_resolution() {
        let r = d(2026, 11, 23);
        assert_eq!(
            resolve_date(1, 1, 90, r, None, NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(1990, 1, 1),
                ambiguous: false
            }
        );
        assert_eq!(
            resolve_date(1, 1, 10, r, None, NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(2010, 1, 1),
                ambiguous: true
            }
        );
        assert_eq!(
            resolve_date(1, 1, 10, r, Some(1910), NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(1910, 1, 1),
                ambiguous: false
            }
        );
        assert_eq!(
            resolve_date(1, 1, 3, r, None, NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(2003, 1, 1),
                ambiguous: false
            }
        );
        // 24 Nov 2026 is tomorrow: 1926 instead
        assert_eq!(
            resolve_date(24, 11, 26, r, None, NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(1926, 11, 24),
                ambiguous: false
            }
        );
        assert_eq!(
            resolve_date(29, 2, 0, r, None, NIK_MIN_YEAR),
            DateResolution::Ok {
                date: y(2000, 2, 29),
                ambiguous: false
            }
        );
        assert_eq!(
            resolve_date(29, 2, 1, r, None, NIK_MIN_YEAR),
            DateResolution::Invalid
        );
        assert_eq!(
            resolve_date(31, 4, 90, r, None, NIK_MIN_YEAR),
            DateResolution::Invalid
        );
        // 29 Feb 2000 judged in 1999: 1900 has no 29 Feb, 2000 lies ahead
        assert_eq!(
            resolve_date(29, 2, 0, d(1999, 6, 1), None, NIK_MIN_YEAR),
            DateResolution::Future(y(2000, 2, 29))
        );
        assert_eq!(
            resolve_date(1, 1, 30, r, Some(2030), NIK_MIN_YEAR),
            DateResolution::Future(y(2030, 1, 1))
        );
    }
}
