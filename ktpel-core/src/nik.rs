//! NIK (Nomor Induk Kependudukan), the 16-digit personal number.
//!
//! Layout: province(2) regency(2) district(2) — the district where the number
//! was first issued — then the birth date `DDMMYY` (women: day + 40), then a
//! serial(4) that is never `0000`.
//!
//! Two entry points:
//! - [`Nik::parse`] / [`Nik::parse_with`] return a validated [`Nik`] or a
//!   [`NikError`];
//! - [`check`] / [`check_with`] never fail: they return a [`NikCheck`] with the
//!   verdict, the error code, warnings and every field that could be decoded —
//!   what batch validation and the bindings report.
//!
//! ```
//! use chrono::NaiveDate;
//! use ktpel_core::nik::{self, CheckOptions, Sex};
//!
//! let opts = CheckOptions::strict().with_reference_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
//! let c = nik::check_with("3174015708900123", &opts);
//! assert!(c.is_valid());
//! assert_eq!(c.sex(), Some(Sex::Female));                 // day 57 = 17 + 40
//! assert_eq!(c.birth_date().unwrap().to_string(), "1990-08-17");
//! assert_eq!(c.district_name(), Some("Tebet"));
//!
//! let bad = nik::check_with("3.17401E+15", &opts);
//! assert_eq!(bad.code().unwrap().as_str(), "SPREADSHEET_CORRUPTED");
//! ```

use alloc::string::String;
use core::fmt;

use chrono::{Datelike, NaiveDate};

use crate::code::{Code, HasCode};
use crate::idnum::{self, DateResolution, FormatError, RegionFail, two};
pub use crate::idnum::{CheckOptions, FALLBACK_REFERENCE_DATE, Mode, Warnings, today};
use crate::region::{Level, RegionCode};

/// Why a text is not a valid NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NikError {
    /// Nothing was given.
    #[error("NIK is empty")]
    Empty,
    /// Not 16 digits.
    #[error("NIK has {found} digits; a NIK has exactly 16")]
    WrongLength {
        /// Number of digits (strict mode: characters) found.
        found: usize,
    },
    /// A character other than 0-9.
    #[error("NIK contains {found:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// 1-based character position.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// The value was mangled by a spreadsheet.
    #[error(
        "NIK was mangled by a spreadsheet (scientific notation, decimals or lost digits); export the column as text"
    )]
    SpreadsheetCorrupted,
    /// Province code never issued.
    #[error("NIK province code {province:02} (digits 1-2) was never issued")]
    UnknownProvince {
        /// Digits 1-2.
        province: u8,
    },
    /// Regency code never issued in the province.
    #[error("NIK regency code {regency} (digits 3-4) was never issued")]
    UnknownRegency {
        /// Digits 1-4 as written (possibly `00` or `70`), dotted.
        regency: RegencyDigits,
    },
    /// District code never issued in the regency.
    #[error("NIK district code {district} (digits 5-6) was never issued")]
    UnknownDistrict {
        /// Digits 1-6, dotted (structurally valid, but never issued).
        district: DistrictDigits,
    },
    /// Digits 7-12 are not a calendar date.
    #[error("NIK digits 7-12 ({ddmmyy:06}) are not a real date (DDMMYY, women: day + 40)")]
    InvalidBirthDate {
        /// The six date digits.
        ddmmyy: u32,
    },
    /// The birth date is after the reference date.
    #[error("NIK birth date {date} lies in the future")]
    FutureBirthDate {
        /// The decoded date.
        date: NaiveDate,
    },
    /// Serial `0000`.
    #[error("NIK serial (digits 13-16) is 0000, which is never issued")]
    InvalidSerial,
}

impl HasCode for NikError {
    fn code(&self) -> Code {
        match self {
            NikError::Empty => Code::Empty,
            NikError::WrongLength { .. } => Code::WrongLength,
            NikError::NonDigit { .. } => Code::NonDigit,
            NikError::SpreadsheetCorrupted => Code::SpreadsheetCorrupted,
            NikError::UnknownProvince { .. } => Code::UnknownProvince,
            NikError::UnknownRegency { .. } => Code::UnknownRegency,
            NikError::UnknownDistrict { .. } => Code::UnknownDistrict,
            NikError::InvalidBirthDate { .. } => Code::InvalidBirthDate,
            NikError::FutureBirthDate { .. } => Code::FutureBirthDate,
            NikError::InvalidSerial => Code::InvalidSerial,
        }
    }
}

/// Six district digits `PPRRDD` as they appear in a number (possibly never
/// issued, possibly `00`), displayed dotted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DistrictDigits(pub u32);

impl fmt::Display for DistrictDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}.{:02}.{:02}",
            self.0 / 10_000,
            self.0 / 100 % 100,
            self.0 % 100
        )
    }
}

/// Four regency digits `PPRR` as they appear in a number (possibly never
/// issued, possibly the impossible `00` or `70`), displayed dotted (`31.70`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegencyDigits(pub u32);

impl fmt::Display for RegencyDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl From<FormatError> for NikError {
    fn from(e: FormatError) -> Self {
        match e {
            FormatError::Empty => NikError::Empty,
            FormatError::WrongLength(found) => NikError::WrongLength { found },
            FormatError::NonDigit(i, c) => NikError::NonDigit {
                position: i + 1,
                found: c,
            },
            FormatError::Spreadsheet => NikError::SpreadsheetCorrupted,
        }
    }
}

/// Sex encoded in the NIK (day + 40 for women).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    /// Laki-laki (`L`).
    Male,
    /// Perempuan (`P`).
    Female,
}

impl Sex {
    /// The register's code: `L` (laki-laki) or `P` (perempuan).
    pub const fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }
}

impl serde::Serialize for Sex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The result of [`check`]: never an error itself; holds the verdict, the
/// first error, all warnings and every field that could be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NikCheck {
    digits: Option<idnum::Digits>,
    error: Option<NikError>,
    warnings: Warnings,
    birth_date: Option<idnum::Ymd>,
    sex: Option<Sex>,
    century_ambiguous: bool,
}

impl NikCheck {
    /// Whether the NIK is valid (warnings allowed).
    pub const fn is_valid(&self) -> bool {
        self.error.is_none()
    }

    /// The first error found, if any.
    pub const fn error(&self) -> Option<NikError> {
        self.error
    }

    /// The code of the first error, if any.
    pub fn code(&self) -> Option<Code> {
        self.error.map(|e| e.code())
    }

    /// Warnings (`HISTORIC_REGION_CODE`, `SEPARATORS_REMOVED`,
    /// `CENTURY_AMBIGUOUS`, placeholder-date flags, `BIRTH_YEAR_MISMATCH`).
    pub const fn warnings(&self) -> Warnings {
        self.warnings
    }

    idnum::digit_accessors!();

    /// Birth date, when the date digits form a real date.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date.map(idnum::Ymd::to_naive)
    }

    /// Sex, when the day digits are in 01-31 or 41-71.
    pub const fn sex(&self) -> Option<Sex> {
        self.sex
    }

    /// Whether both 19YY and 20YY were plausible birth years.
    pub const fn century_ambiguous(&self) -> bool {
        self.century_ambiguous
    }

    /// The validated NIK, if valid.
    pub fn nik(&self) -> Option<Nik> {
        match (self.error, self.digits, self.birth_date, self.sex) {
            (None, Some(digits), Some(birth_date), Some(sex)) => Some(Nik {
                digits: digits.0,
                birth_date: birth_date.to_naive(),
                sex,
                century_ambiguous: self.century_ambiguous,
                warnings: self.warnings,
            }),
            _ => None,
        }
    }
}

/// Serializes the fields every surface reports: `valid`, `code`, `message`,
/// `warnings`, `normalized`, `province_code`, `regency_code`,
/// `district_code` (6 digits, no dots), `province_name`, `regency_name`,
/// `district_name`, `sex` (`L`/`P`), `birth_date` (ISO), `century_ambiguous`,
/// `serial` (4 digits).
impl serde::Serialize for NikCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        idnum::serialize_common(&mut m, self.error, &self.warnings, self.digits)?;
        m.serialize_entry("sex", &self.sex)?;
        m.serialize_entry("birth_date", &self.birth_date.map(idnum::iso))?;
        m.serialize_entry("century_ambiguous", &self.century_ambiguous)?;
        m.end()
    }
}

/// A validated NIK.
///
/// ```
/// use ktpel_core::nik::Nik;
/// let nik: Nik = "3174016701900123".parse().unwrap();  // reference date: today
/// assert_eq!(nik.to_string(), "3174016701900123");
/// assert_eq!(nik.district().to_string(), "31.74.01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nik {
    digits: [u8; 16],
    birth_date: NaiveDate,
    sex: Sex,
    century_ambiguous: bool,
    warnings: Warnings,
}

impl Nik {
    /// Parses a NIK strictly, resolving the century against today.
    pub fn parse(input: &str) -> Result<Nik, NikError> {
        Nik::parse_with(input, &CheckOptions::strict())
    }

    /// Parses a NIK with the given options.
    pub fn parse_with(input: &str, opts: &CheckOptions) -> Result<Nik, NikError> {
        let c = check_with(input, opts);
        match c.error {
            Some(e) => Err(e),
            None => c.nik().ok_or(NikError::Empty),
        }
    }

    /// Composes a NIK from its parts (used by the sample-data generator).
    /// The result is checked like any other NIK against `reference_date`.
    pub fn from_parts(
        district: RegionCode,
        birth_date: NaiveDate,
        sex: Sex,
        serial: u16,
        reference_date: NaiveDate,
    ) -> Result<Nik, NikError> {
        let mut buf = [0u8; 16];
        write_number(
            &mut buf,
            district,
            birth_date.day() + if sex == Sex::Female { 40 } else { 0 },
            birth_date,
            serial,
        );
        let s = core::str::from_utf8(&buf).map_err(|_| NikError::Empty)?;
        let opts = CheckOptions::strict()
            .with_reference_date(reference_date)
            .with_birth_year(birth_date.year());
        Nik::parse_with(s, &opts)
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.digits).unwrap_or("")
    }

    /// The district of first issue.
    pub fn district(&self) -> RegionCode {
        let v = self.digits[..6]
            .iter()
            .fold(0u64, |a, &b| a * 10 + u64::from(b - b'0'));
        RegionCode::from_number(Level::District, v).unwrap_or_else(|_| unreachable_region())
    }

    /// Birth date.
    pub const fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Sex.
    pub const fn sex(&self) -> Sex {
        self.sex
    }

    /// Serial (digits 13-16).
    pub fn serial(&self) -> u16 {
        self.digits[12..]
            .iter()
            .fold(0u16, |a, &b| a * 10 + u16::from(b - b'0'))
    }

    /// Whether both 19YY and 20YY were plausible.
    pub const fn century_ambiguous(&self) -> bool {
        self.century_ambiguous
    }

    /// Warnings raised while parsing.
    pub const fn warnings(&self) -> Warnings {
        self.warnings
    }
}

#[cold]
fn unreachable_region() -> RegionCode {
    // A parsed NIK passed the region checks, which imply a valid structure.
    RegionCode::parse("11.01.01").unwrap_or_else(|_| panic!("static code"))
}

/// Writes `PPRRDD DDMMYY SSSS` as ASCII into `buf` (shared with `kk`).
pub(crate) fn write_number(
    buf: &mut [u8; 16],
    district: RegionCode,
    day: u32,
    date: NaiveDate,
    serial: u16,
) {
    let d = district.ancestor(Level::District).number();
    let parts: [(u64, usize); 5] = [
        (d, 6),
        (u64::from(day), 2),
        (u64::from(date.month()), 2),
        (date.year().rem_euclid(100) as u64, 2),
        (u64::from(serial), 4),
    ];
    let mut at = 0;
    for (v, w) in parts {
        let mut v = v;
        for i in (0..w).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        at += w;
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Nik {
    type Err = NikError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nik::parse(s)
    }
}

impl serde::Serialize for Nik {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Checks a NIK strictly against today's date. Never fails; see [`NikCheck`].
pub fn check(input: &str) -> NikCheck {
    check_with(input, &CheckOptions::strict())
}

/// Checks a NIK with the given options. Never fails and never panics, on any
/// input.
///
/// Order of checks (the first failure is the error; later fields are still
/// decoded where possible): format, province, regency, district, birth date,
/// serial.
pub fn check_with(input: &str, opts: &CheckOptions) -> NikCheck {
    let reference = opts.resolved_reference_date();
    check_at(input, opts.mode, reference, opts.birth_year)
}

/// The core of [`check_with`] with the reference date already resolved (what
/// batch validation calls once per row).
#[inline]
pub fn check_at(
    input: &str,
    mode: Mode,
    reference: NaiveDate,
    birth_year: Option<i32>,
) -> NikCheck {
    let mut warnings = Warnings::new();
    let mut out = NikCheck {
        digits: None,
        error: None,
        warnings,
        birth_date: None,
        sex: None,
        century_ambiguous: false,
    };
    let (d, digits, region_fail) = match idnum::read_and_check_region(input, mode, &mut warnings) {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(e.into());
            out.warnings = warnings;
            return out;
        }
    };
    out.digits = Some(digits);
    let mut error = region_fail.map(|f| match f {
        RegionFail::Province(pp) => NikError::UnknownProvince { province: pp as u8 },
        RegionFail::Regency(pprr) => NikError::UnknownRegency {
            regency: RegencyDigits(pprr),
        },
        RegionFail::District(d6) => NikError::UnknownDistrict {
            district: DistrictDigits(d6),
        },
    });
    let (day_raw, month, yy) = (two(&d, 6), two(&d, 8), two(&d, 10));
    let (day, sex) = if day_raw > 40 {
        (day_raw - 40, Sex::Female)
    } else {
        (day_raw, Sex::Male)
    };
    let ddmmyy = day_raw * 10_000 + month * 100 + yy;
    if (1..=31).contains(&day) {
        out.sex = Some(sex);
    }
    if let Some(y) = birth_year {
        if y.rem_euclid(100) as u32 != yy {
            warnings.insert(Code::BirthYearMismatch);
        }
    }
    let date_error = if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        Some(NikError::InvalidBirthDate { ddmmyy })
    } else {
        match idnum::resolve_date(day, month, yy, reference, birth_year, idnum::NIK_MIN_YEAR) {
            DateResolution::Ok { date, ambiguous } => {
                out.birth_date = Some(date);
                out.century_ambiguous = ambiguous;
                if ambiguous {
                    warnings.insert(Code::CenturyAmbiguous);
                }
                idnum::placeholder_flags(date, &mut warnings);
                None
            }
            DateResolution::Invalid => Some(NikError::InvalidBirthDate { ddmmyy }),
            DateResolution::Future(date) => {
                out.birth_date = Some(date);
                Some(NikError::FutureBirthDate {
                    date: date.to_naive(),
                })
            }
        }
    };
    error = error.or(date_error);
    if error.is_none() && d[12..] == [0, 0, 0, 0] {
        error = Some(NikError::InvalidSerial);
    }
    out.error = error;
    out.warnings = warnings;
    out
}

/// Checks many NIKs with one resolved reference date; in parallel with the
/// `parallel` feature. The output has one result per input, in order.
pub fn check_many<S: AsRef<str> + Sync>(
    inputs: &[S],
    opts: &CheckOptions,
) -> alloc::vec::Vec<NikCheck> {
    let reference = opts.resolved_reference_date();
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        inputs
            .par_iter()
            .with_min_len(4096)
            .map(|s| check_at(s.as_ref(), opts.mode, reference, opts.birth_year))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        inputs
            .iter()
            .map(|s| check_at(s.as_ref(), opts.mode, reference, opts.birth_year))
            .collect()
    }
}

/// Checks NIKs given as one text with one NIK per line (`\n`; a `\r`
/// before it is dropped), with one resolved reference date, in parallel with
/// the `parallel` feature. One result per line, in order; an empty text has
/// no lines, and a final line break does not start another line.
///
/// This is [`check_many`] for bindings and files: the caller hands over one
/// buffer instead of a slice of strings, and the line splitting runs in the
/// same parallel pass as the checks.
///
/// ```
/// use ktpel_core::nik::{self, CheckOptions};
/// let checks = nik::check_lines("3174015708900123\r\n123\n", &CheckOptions::default());
/// assert_eq!(checks.len(), 2);
/// assert!(checks[0].is_valid());
/// assert!(!checks[1].is_valid());
/// ```
pub fn check_lines(text: &str, opts: &CheckOptions) -> alloc::vec::Vec<NikCheck> {
    let starts = line_starts(text);
    let line = line_checker(text, opts);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        // Indexed, so rayon writes each result straight into its slot of
        // the output in parallel (no per-chunk vectors to concatenate).
        starts.par_windows(2).with_min_len(4096).map(line).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        starts.windows(2).map(line).collect()
    }
}

/// The results of many checks as columns (a struct of arrays): what a
/// binding hands to another runtime as typed arrays, instead of one object
/// per NIK. All columns have the same length, one entry per check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NikColumns {
    /// 1 when the NIK is valid, else 0.
    pub valid: alloc::vec::Vec<u8>,
    /// The error's [`Code::as_u32`], 0 when valid (codes fit in 16 bits).
    pub code: alloc::vec::Vec<u16>,
    /// Warning bits: bit `i` set means [`Warnings::CODES`]`[i]`.
    pub warnings: alloc::vec::Vec<u16>,
    /// 0 not decoded, 1 male (`L`), 2 female (`P`).
    pub sex: alloc::vec::Vec<u8>,
    /// Birth date in days since 1970-01-01, `i32::MIN` when not decoded.
    pub birth_days: alloc::vec::Vec<i32>,
    /// District code as a number (`317401`), 0 when not decoded.
    pub district: alloc::vec::Vec<u32>,
    /// Serial number (1–9999), -1 when not decoded.
    pub serial: alloc::vec::Vec<i16>,
}

impl NikColumns {
    /// Spreads `checks` into columns (in parallel with `parallel`).
    ///
    /// ```
    /// use ktpel_core::nik::{self, CheckOptions, NikColumns};
    /// let checks = nik::check_lines("3174015708900123\n31740157089001", &CheckOptions::default());
    /// let cols = NikColumns::from_checks(&checks);
    /// assert_eq!(cols.valid, [1, 0]);
    /// assert_eq!(cols.district[0], 317401);
    /// assert_eq!(cols.serial, [123, -1]);
    /// ```
    pub fn from_checks(checks: &[NikCheck]) -> Self {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            Self::fill(checks.len(), checks.par_iter().copied())
        }
        #[cfg(not(feature = "parallel"))]
        {
            Self::fill(checks.len(), checks.iter().copied())
        }
    }

    /// [`check_lines`] straight into columns, without the intermediate
    /// [`NikCheck`]s (a third of the memory traffic).
    ///
    /// ```
    /// use ktpel_core::nik::{CheckOptions, NikColumns};
    /// let cols = NikColumns::check_lines("3174015708900123\n", &CheckOptions::default());
    /// assert_eq!(cols.valid, [1]);
    /// ```
    pub fn check_lines(text: &str, opts: &CheckOptions) -> Self {
        Self::check_lines_in_chunks(text, opts, LINE_CHUNK_BYTES)
    }

    /// [`Self::check_lines`] with the text cut into pieces of about
    /// `chunk_bytes` (each ending after a line break) that are split and
    /// checked in parallel: counting the lines of every piece first gives
    /// each piece its rows of the columns, so no table of line starts is
    /// built and the split itself runs on every core.
    fn check_lines_in_chunks(text: &str, opts: &CheckOptions, chunk_bytes: usize) -> Self {
        let check = line_check(opts);
        let chunks = line_chunks(text, chunk_bytes.max(1));
        #[cfg(feature = "parallel")]
        use rayon::prelude::*;
        #[cfg(feature = "parallel")]
        let counts: alloc::vec::Vec<usize> = chunks.par_iter().map(|c| line_count(c)).collect();
        #[cfg(not(feature = "parallel"))]
        let counts: alloc::vec::Vec<usize> = chunks.iter().map(|c| line_count(c)).collect();
        let mut cols = Self::zeroed(counts.iter().sum());
        let mut parts = alloc::vec::Vec::with_capacity(chunks.len());
        let mut rest = ColumnsMut::of(&mut cols);
        for (&chunk, &k) in chunks.iter().zip(&counts) {
            let (part, tail) = rest.split_at(k);
            parts.push((chunk, part));
            rest = tail;
        }
        let fill = |(chunk, mut part): (&str, ColumnsMut<'_>)| {
            for (i, line) in Lines::new(chunk).enumerate() {
                part.set(i, &check(line));
            }
        };
        #[cfg(feature = "parallel")]
        parts.into_par_iter().for_each(fill);
        #[cfg(not(feature = "parallel"))]
        parts.into_iter().for_each(fill);
        cols
    }

    /// Zeroed columns of `n` rows filled from `checks` (exactly `n` items).
    #[cfg(feature = "parallel")]
    fn fill<I>(n: usize, checks: I) -> Self
    where
        I: rayon::iter::IndexedParallelIterator<Item = NikCheck>,
    {
        use rayon::prelude::*;
        // Zeroed allocations are lazily mapped pages: the parallel fill
        // takes the page faults on every core.
        let mut c = Self::zeroed(n);
        checks
            .zip(
                c.valid.par_iter_mut().zip(
                    c.code.par_iter_mut().zip(
                        c.warnings.par_iter_mut().zip(
                            c.sex.par_iter_mut().zip(
                                c.birth_days
                                    .par_iter_mut()
                                    .zip(c.district.par_iter_mut().zip(c.serial.par_iter_mut())),
                            ),
                        ),
                    ),
                ),
            )
            .with_min_len(4096)
            .for_each(|(chk, (v, (code, (w, (sex, (b, (d, serial)))))))| {
                Self::row(&chk, v, code, w, sex, b, d, serial)
            });
        c
    }

    /// Zeroed columns of `n` rows filled from `checks` (exactly `n` items).
    #[cfg(not(feature = "parallel"))]
    fn fill<I: Iterator<Item = NikCheck>>(n: usize, checks: I) -> Self {
        let mut c = Self::zeroed(n);
        let mut rows = ColumnsMut::of(&mut c);
        for (i, chk) in checks.enumerate() {
            rows.set(i, &chk);
        }
        c
    }

    fn zeroed(n: usize) -> Self {
        NikColumns {
            valid: alloc::vec![0; n],
            code: alloc::vec![0; n],
            warnings: alloc::vec![0; n],
            sex: alloc::vec![0; n],
            birth_days: alloc::vec![0; n],
            district: alloc::vec![0; n],
            serial: alloc::vec![0; n],
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn row(
        chk: &NikCheck,
        valid: &mut u8,
        code: &mut u16,
        warnings: &mut u16,
        sex: &mut u8,
        birth_days: &mut i32,
        district: &mut u32,
        serial: &mut i16,
    ) {
        *valid = u8::from(chk.is_valid());
        *code = chk.code().map_or(0, |k| k.as_u32() as u16);
        *warnings = chk.warnings.bits();
        *sex = match chk.sex {
            None => 0,
            Some(Sex::Male) => 1,
            Some(Sex::Female) => 2,
        };
        *birth_days = chk
            .birth_date()
            .map_or(i32::MIN, |d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
        *district = chk.district_code().unwrap_or(0);
        *serial = chk.serial().map_or(-1, |s| s as i16);
    }

    /// Moves the rows of `other` to the end of `self` (for callers that
    /// check a batch in blocks).
    pub fn append(&mut self, other: &mut NikColumns) {
        self.valid.append(&mut other.valid);
        self.code.append(&mut other.code);
        self.warnings.append(&mut other.warnings);
        self.sex.append(&mut other.sex);
        self.birth_days.append(&mut other.birth_days);
        self.district.append(&mut other.district);
        self.serial.append(&mut other.serial);
    }

    /// Number of checks.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }
}

/// Bytes per piece of [`NikColumns::check_lines`]: about 3,800 NIK lines,
/// enough pieces for every core and few enough to cost nothing to plan.
const LINE_CHUNK_BYTES: usize = 64 * 1024;

/// Mutable row ranges of every column of a [`NikColumns`], to fill pieces
/// of it on different threads.
struct ColumnsMut<'a> {
    valid: &'a mut [u8],
    code: &'a mut [u16],
    warnings: &'a mut [u16],
    sex: &'a mut [u8],
    birth_days: &'a mut [i32],
    district: &'a mut [u32],
    serial: &'a mut [i16],
}

impl<'a> ColumnsMut<'a> {
    fn of(c: &'a mut NikColumns) -> Self {
        ColumnsMut {
            valid: &mut c.valid,
            code: &mut c.code,
            warnings: &mut c.warnings,
            sex: &mut c.sex,
            birth_days: &mut c.birth_days,
            district: &mut c.district,
            serial: &mut c.serial,
        }
    }

    /// The first `k` rows and the rest.
    fn split_at(self, k: usize) -> (Self, Self) {
        let (valid, valid_rest) = self.valid.split_at_mut(k);
        let (code, code_rest) = self.code.split_at_mut(k);
        let (warnings, warnings_rest) = self.warnings.split_at_mut(k);
        let (sex, sex_rest) = self.sex.split_at_mut(k);
        let (birth_days, birth_days_rest) = self.birth_days.split_at_mut(k);
        let (district, district_rest) = self.district.split_at_mut(k);
        let (serial, serial_rest) = self.serial.split_at_mut(k);
        (
            ColumnsMut {
                valid,
                code,
                warnings,
                sex,
                birth_days,
                district,
                serial,
            },
            ColumnsMut {
                valid: valid_rest,
                code: code_rest,
                warnings: warnings_rest,
                sex: sex_rest,
                birth_days: birth_days_rest,
                district: district_rest,
                serial: serial_rest,
            },
        )
    }

    fn set(&mut self, i: usize, chk: &NikCheck) {
        NikColumns::row(
            chk,
            &mut self.valid[i],
            &mut self.code[i],
            &mut self.warnings[i],
            &mut self.sex[i],
            &mut self.birth_days[i],
            &mut self.district[i],
            &mut self.serial[i],
        );
    }
}

/// `text` cut into pieces of about `chunk_bytes`, each ending just after a
/// `\n` (the last one at the end of the text), so no line is split.
fn line_chunks(text: &str, chunk_bytes: usize) -> alloc::vec::Vec<&str> {
    let bytes = text.as_bytes();
    let mut chunks = alloc::vec::Vec::with_capacity(bytes.len() / chunk_bytes + 1);
    let mut start = 0;
    while start < bytes.len() {
        let from = (start + chunk_bytes).min(bytes.len()) - 1;
        let end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i + 1);
        // Both ends follow a `\n` or are the ends of the text: char boundaries.
        chunks.push(&text[start..end]);
        start = end;
    }
    chunks
}

/// Lines of a piece from [`line_chunks`]: a final `\n` does not start another.
fn line_count(chunk: &str) -> usize {
    let breaks = memchr::memchr_iter(b'\n', chunk.as_bytes()).count();
    breaks + usize::from(!chunk.is_empty() && !chunk.ends_with('\n'))
}

/// The lines of a text (without their `\n`); a final `\n` does not start
/// another line.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, pos: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        let end = nik_line_end(bytes, start)
            .or_else(|| memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i))
            .unwrap_or(bytes.len());
        self.pos = end + 1;
        Some(&self.text[start..end])
    }
}

/// `Some(start + 16)` when the line at `start` is 16 bytes long (a NIK):
/// its 16 bytes hold no `\n` and the next byte is one. Checking two words
/// for a `\n` byte is cheaper than a search call per short line.
#[inline]
fn nik_line_end(bytes: &[u8], start: usize) -> Option<usize> {
    let line = bytes.get(start..start + 17)?;
    if line[16] != b'\n' {
        return None;
    }
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_break = |w: u64| {
        let x = w ^ (ONES * u64::from(b'\n'));
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    };
    let word = |i: usize| u64::from_le_bytes(line[i..i + 8].try_into().unwrap_or([0; 8]));
    (!has_break(word(0)) && !has_break(word(8))).then_some(start + 16)
}

/// `NaiveDate::num_days_from_ce` of 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Checks the line between two consecutive [`line_starts`] entries (a `\r`
/// before its `\n` dropped), with `opts`' reference date resolved once.
fn line_checker<'a>(
    text: &'a str,
    opts: &'a CheckOptions,
) -> impl Fn(&[usize]) -> NikCheck + Sync + 'a {
    let check = line_check(opts);
    move |w: &[usize]| check(&text[w[0]..w[1] - 1])
}

/// Checks one line (without its `\n`; a `\r` at its end dropped), with
/// `opts`' reference date resolved once.
fn line_check(opts: &CheckOptions) -> impl Fn(&str) -> NikCheck + Sync + '_ {
    let reference = opts.resolved_reference_date();
    move |line: &str| {
        check_at(
            line.strip_suffix('\r').unwrap_or(line),
            opts.mode,
            reference,
            opts.birth_year,
        )
    }
}

/// Where each line of `text` starts, plus one sentinel: line `i` is
/// `text[starts[i]..starts[i + 1] - 1]` (its `\n` excluded). An empty text
/// has no lines; a final `\n` does not start another line.
pub fn line_starts(text: &str) -> alloc::vec::Vec<usize> {
    if text.is_empty() {
        return alloc::vec::Vec::new();
    }
    let bytes = text.as_bytes();
    let breaks = memchr::memchr_iter(b'\n', bytes).count();
    let mut starts = alloc::vec::Vec::with_capacity(breaks + 2);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    if bytes.last() != Some(&b'\n') {
        // The sentinel acts as the `\n` the last line does not have.
        starts.push(bytes.len() + 1);
    }
    starts
}

/// Formats a NIK with the separators people use for display
/// (`31.74.01.670190.0123`). Returns `None` unless `digits` is 16 ASCII digits.
pub fn format_display(digits: &str) -> Option<String> {
    let b = digits.as_bytes();
    if b.len() != 16 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(alloc::format!(
        "{}.{}.{}.{}.{}",
        &digits[0..2],
        &digits[2..4],
        &digits[4..6],
        &digits[6..12],
        &digits[12..16]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Cutting the text into pieces of any size (many pieces, lines
        /// across the nominal cut, 16-byte lines next to other lengths)
        /// gives the same columns as checking the lines one by one.
        #[test]
        fn check_lines_in_chunks_equals_line_by_line(
            values in proptest::collection::vec(
                proptest::prop_oneof!["[0-9]{16}", "[0-9]{15,17}", "[0-9\r ]{0,18}", "[^\n]{0,20}"],
                0..120,
            ),
            final_break: bool,
            chunk in 1usize..80,
        ) {
            let opts = CheckOptions::strict()
                .with_reference_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
            let mut text = values.join("\n");
            if final_break {
                text.push('\n');
            }
            let expect = NikColumns::from_checks(&check_lines(&text, &opts));
            proptest::prop_assert_eq!(&NikColumns::check_lines_in_chunks(&text, &opts, chunk), &expect);
            proptest::prop_assert_eq!(&NikColumns::check_lines(&text, &opts), &expect);
        }
    }

    #[test]
    fn nik_line_end_needs_sixteen_bytes_without_a_break() {
        assert_eq!(nik_line_end(b"3174015708900123\nX", 0), Some(16));
        assert_eq!(nik_line_end(b"3174015708900123\n", 0), Some(16));
        assert_eq!(nik_line_end(b"317401\n5708900123\n", 0), None);
        assert_eq!(nik_line_end(b"31740157089001234\n", 0), None);
        assert_eq!(nik_line_end(b"3174015708900123", 0), None);
        assert_eq!(nik_line_end(b"\n3174015708900123\n", 1), Some(17));
        let lines: Vec<&str> = Lines::new("317401\n5708900123\n\nab").collect();
        assert_eq!(lines, ["317401", "5708900123", "", "ab"]);
    }

    fn opts() -> CheckOptions {
        CheckOptions::strict().with_reference_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    }

    #[test]
    fn decodes_fields() {
        let c = check_with("3174015708900123", &opts());
        assert!(c.is_valid(), "{:?}", c.error());
        assert_eq!(c.sex(), Some(Sex::Female));
        assert_eq!(c.birth_date(), NaiveDate::from_ymd_opt(1990, 8, 17));
        assert_eq!(c.serial(), Some(123));
        assert_eq!(c.district_code(), Some(317401));
        assert_eq!(c.district_name(), Some("Tebet"));
        assert!(c.warnings().is_empty());
    }

    #[test]
    fn errors_in_order() {
        let o = opts();
        let code = |s: &str| check_with(s, &o).code().map(|c| c.as_str());
        assert_eq!(code(""), Some("EMPTY"));
        assert_eq!(code("   "), Some("EMPTY"));
        assert_eq!(code("317401570890012"), Some("WRONG_LENGTH"));
        assert_eq!(code("31740157089001234"), Some("WRONG_LENGTH"));
        assert_eq!(code("3174 0157 0890 0123"), Some("NON_DIGIT"));
        assert_eq!(code("317401570890012A"), Some("NON_DIGIT"));
        assert_eq!(code("3.17401E+15"), Some("SPREADSHEET_CORRUPTED"));
        assert_eq!(code("1074015708900123"), Some("UNKNOWN_PROVINCE"));
        assert_eq!(code("3170015708900123"), Some("UNKNOWN_REGENCY"));
        assert_eq!(code("3174995708900123"), Some("UNKNOWN_DISTRICT"));
        assert_eq!(code("3174013208900123"), Some("INVALID_BIRTH_DATE"));
        assert_eq!(code("3174010101300000"), Some("INVALID_SERIAL"));
        assert_eq!(code("3174010101270001"), None); // 1927
    }

    #[test]
    fn unknown_region_messages_name_the_digits_as_written() {
        let o = opts();
        let msg = |s: &str| check_with(s, &o).error().unwrap().to_string();
        assert!(
            msg("3170015708900123").contains("31.70"),
            "{}",
            msg("3170015708900123")
        );
        assert!(msg("3100015708900123").contains("31.00"));
        assert!(msg("3169015708900123").contains("31.69"));
        assert!(msg("3174995708900123").contains("31.74.99"));
        let kk = |s: &str| crate::kk::check_with(s, &o).error().unwrap().to_string();
        assert!(
            kk("3170011203150007").contains("regency code 31.70 "),
            "{}",
            kk("3170011203150007")
        );
    }

    #[test]
    fn lenient_mode_strips_separators() {
        let o = CheckOptions {
            mode: Mode::Lenient,
            ..opts()
        };
        let c = check_with(" 31.74.01-570890 0123 ", &o);
        assert!(c.is_valid());
        assert!(c.warnings().contains(Code::SeparatorsRemoved));
        assert_eq!(c.normalized(), Some("3174015708900123"));
        let c = check_with("'3174015708900123", &o);
        assert!(c.is_valid());
        assert_eq!(
            check_with("3174015708900123x", &o).code(),
            Some(Code::NonDigit)
        );
        assert_eq!(
            check_with("3174015708900123", &o).warnings(),
            Warnings::new()
        );
    }

    #[test]
    fn unicode_digits_are_errors_not_panics() {
        let o = CheckOptions {
            mode: Mode::Lenient,
            ..opts()
        };
        for s in [
            "３１７４０１５７０８９００１２３",
            "317401570890012³",
            "3174015708900123\u{0663}",
            "٣١٧٤٠١٥٧٠٨٩٠٠١٢٣",
        ] {
            assert_eq!(check_with(s, &o).code(), Some(Code::NonDigit), "{s}");
            assert_eq!(check_with(s, &opts()).code(), Some(Code::NonDigit), "{s}");
        }
    }

    #[test]
    fn from_parts_round_trips() {
        let r = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = RegionCode::parse("32.73.01").unwrap();
        let date = NaiveDate::from_ymd_opt(1985, 3, 9).unwrap();
        let n = Nik::from_parts(d, date, Sex::Female, 42, r).unwrap();
        assert_eq!(n.as_str(), "3273014903850042");
        assert_eq!(n.birth_date(), date);
        assert_eq!(n.sex(), Sex::Female);
        assert_eq!(n.serial(), 42);
        assert_eq!(format_display(n.as_str()).unwrap(), "32.73.01.490385.0042");
    }
}
