//! KK number (Nomor Kartu Keluarga), the 16-digit family-card number.
//!
//! Layout: issuing district(6) + recording date `DDMMYY` (no +40: a day of
//! 41–71 is an error here) + serial(4, never `0000`). The date may not lie
//! after the reference date.
//!
//! ```
//! use chrono::NaiveDate;
//! use ktpel_core::kk::{self, CheckOptions};
//!
//! let opts = CheckOptions::strict().with_reference_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
//! let c = kk::check_with("3174011203150007", &opts);
//! assert!(c.is_valid());
//! assert_eq!(c.issue_date().unwrap().to_string(), "2015-03-12");
//! assert_eq!(kk::check_with("3174015203150007", &opts).code().unwrap().as_str(), "INVALID_ISSUE_DATE");
//! ```

use core::fmt;

use chrono::NaiveDate;

use crate::code::{Code, HasCode};
use crate::idnum::{self, DateResolution, FormatError, RegionFail, two};
pub use crate::idnum::{CheckOptions, KK_MIN_YEAR, Mode, Warnings};
use crate::nik::{DistrictDigits, RegencyDigits};
use crate::region::RegionCode;

/// Why a text is not a valid KK number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KkError {
    /// Nothing was given.
    #[error("KK number is empty")]
    Empty,
    /// Not 16 digits.
    #[error("KK number has {found} digits; a KK number has exactly 16")]
    WrongLength {
        /// Number of digits (strict mode: characters) found.
        found: usize,
    },
    /// A character other than 0-9.
    #[error("KK number contains {found:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// 1-based character position.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// Mangled by a spreadsheet.
    #[error(
        "KK number was mangled by a spreadsheet (scientific notation, decimals or lost digits); export the column as text"
    )]
    SpreadsheetCorrupted,
    /// Province code never issued.
    #[error("KK province code {province:02} (digits 1-2) was never issued")]
    UnknownProvince {
        /// Digits 1-2.
        province: u8,
    },
    /// Regency code never issued.
    #[error("KK regency code {regency} (digits 3-4) was never issued")]
    UnknownRegency {
        /// Digits 1-4 as written, dotted.
        regency: RegencyDigits,
    },
    /// District code never issued.
    #[error("KK district code {district} (digits 5-6) was never issued")]
    UnknownDistrict {
        /// Digits 1-6.
        district: DistrictDigits,
    },
    /// Digits 7-12 are not a calendar date.
    #[error("KK digits 7-12 ({ddmmyy:06}) are not a real date (DDMMYY; no +40 in a KK number)")]
    InvalidIssueDate {
        /// The six date digits.
        ddmmyy: u32,
    },
    /// Recording date after the reference date.
    #[error("KK recording date {date} lies in the future")]
    FutureIssueDate {
        /// The decoded date.
        date: NaiveDate,
    },
    /// Serial `0000`.
    #[error("KK serial (digits 13-16) is 0000, which is never issued")]
    InvalidSerial,
}

impl HasCode for KkError {
    fn code(&self) -> Code {
        match self {
            KkError::Empty => Code::Empty,
            KkError::WrongLength { .. } => Code::WrongLength,
            KkError::NonDigit { .. } => Code::NonDigit,
            KkError::SpreadsheetCorrupted => Code::SpreadsheetCorrupted,
            KkError::UnknownProvince { .. } => Code::UnknownProvince,
            KkError::UnknownRegency { .. } => Code::UnknownRegency,
            KkError::UnknownDistrict { .. } => Code::UnknownDistrict,
            KkError::InvalidIssueDate { .. } => Code::InvalidIssueDate,
            KkError::FutureIssueDate { .. } => Code::FutureIssueDate,
            KkError::InvalidSerial => Code::InvalidSerial,
        }
    }
}

impl From<FormatError> for KkError {
    fn from(e: FormatError) -> Self {
        match e {
            FormatError::Empty => KkError::Empty,
            FormatError::WrongLength(found) => KkError::WrongLength { found },
            FormatError::NonDigit(i, c) => KkError::NonDigit {
                position: i + 1,
                found: c,
            },
            FormatError::Spreadsheet => KkError::SpreadsheetCorrupted,
        }
    }
}

/// The result of [`check`]: verdict, first error, warnings, decoded fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KkCheck {
    digits: Option<idnum::Digits>,
    error: Option<KkError>,
    warnings: Warnings,
    issue_date: Option<idnum::Ymd>,
    century_ambiguous: bool,
}

impl KkCheck {
    /// Whether the number is valid (warnings allowed).
    pub const fn is_valid(&self) -> bool {
        self.error.is_none()
    }

    /// The first error, if any.
    pub const fn error(&self) -> Option<KkError> {
        self.error
    }

    /// The code of the first error, if any.
    pub fn code(&self) -> Option<Code> {
        self.error.map(|e| e.code())
    }

    /// Warnings (`HISTORIC_REGION_CODE`, `SEPARATORS_REMOVED`, `CENTURY_AMBIGUOUS`).
    pub const fn warnings(&self) -> Warnings {
        self.warnings
    }

    idnum::digit_accessors!();

    /// Recording (issue) date.
    pub fn issue_date(&self) -> Option<NaiveDate> {
        self.issue_date.map(idnum::Ymd::to_naive)
    }

    /// Whether both 19YY and 20YY were plausible.
    pub const fn century_ambiguous(&self) -> bool {
        self.century_ambiguous
    }
}

/// Serializes `valid`, `code`, `message`, `warnings`, `normalized`,
/// `province_code`, `regency_code`, `district_code`, `district_name`,
/// `issue_date`, `century_ambiguous`, `serial`.
impl serde::Serialize for KkCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        idnum::serialize_common(&mut m, self.error, &self.warnings, self.digits)?;
        m.serialize_entry("issue_date", &self.issue_date.map(idnum::iso))?;
        m.serialize_entry("century_ambiguous", &self.century_ambiguous)?;
        m.end()
    }
}

/// A validated KK number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kk {
    digits: [u8; 16],
    issue_date: NaiveDate,
}

impl Kk {
    /// Parses a KK number strictly against today.
    pub fn parse(input: &str) -> Result<Kk, KkError> {
        Kk::parse_with(input, &CheckOptions::strict())
    }

    /// Parses with options.
    pub fn parse_with(input: &str, opts: &CheckOptions) -> Result<Kk, KkError> {
        let c = check_with(input, opts);
        match (c.error, c.digits, c.issue_date) {
            (Some(e), _, _) => Err(e),
            (None, Some(digits), Some(issue_date)) => Ok(Kk {
                digits: digits.0,
                issue_date: issue_date.to_naive(),
            }),
            _ => Err(KkError::Empty),
        }
    }

    /// Composes a KK number (used by the sample-data generator).
    pub fn from_parts(
        district: RegionCode,
        issue_date: NaiveDate,
        serial: u16,
        reference_date: NaiveDate,
    ) -> Result<Kk, KkError> {
        use chrono::Datelike;
        let mut buf = [0u8; 16];
        crate::nik::write_number(&mut buf, district, issue_date.day(), issue_date, serial);
        let s = core::str::from_utf8(&buf).map_err(|_| KkError::Empty)?;
        Kk::parse_with(
            s,
            &CheckOptions::strict()
                .with_reference_date(reference_date)
                .with_birth_year(issue_date.year()),
        )
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.digits).unwrap_or("")
    }

    /// Recording date.
    pub const fn issue_date(&self) -> NaiveDate {
        self.issue_date
    }
}

impl fmt::Display for Kk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for Kk {
    type Err = KkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kk::parse(s)
    }
}

/// Checks a KK number strictly against today. Never fails.
pub fn check(input: &str) -> KkCheck {
    check_with(input, &CheckOptions::strict())
}

/// Checks a KK number with options. Never fails or panics on any input.
/// `birth_year` in the options, if set, is used as a known issue year.
pub fn check_with(input: &str, opts: &CheckOptions) -> KkCheck {
    check_at(
        input,
        opts.mode,
        opts.resolved_reference_date(),
        opts.birth_year,
    )
}

/// [`check_with`] with the reference date already resolved.
pub fn check_at(input: &str, mode: Mode, reference: NaiveDate, known_year: Option<i32>) -> KkCheck {
    let mut warnings = Warnings::new();
    let mut out = KkCheck {
        digits: None,
        error: None,
        warnings,
        issue_date: None,
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
        RegionFail::Province(pp) => KkError::UnknownProvince { province: pp as u8 },
        RegionFail::Regency(pprr) => KkError::UnknownRegency {
            regency: RegencyDigits(pprr),
        },
        RegionFail::District(d6) => KkError::UnknownDistrict {
            district: DistrictDigits(d6),
        },
    });
    let (day, month, yy) = (two(&d, 6), two(&d, 8), two(&d, 10));
    let ddmmyy = day * 10_000 + month * 100 + yy;
    let date_error = if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        Some(KkError::InvalidIssueDate { ddmmyy })
    } else {
        match idnum::resolve_date(day, month, yy, reference, known_year, idnum::KK_MIN_YEAR) {
            DateResolution::Ok { date, ambiguous } => {
                out.issue_date = Some(date);
                out.century_ambiguous = ambiguous;
                if ambiguous {
                    warnings.insert(Code::CenturyAmbiguous);
                }
                None
            }
            DateResolution::Invalid => Some(KkError::InvalidIssueDate { ddmmyy }),
            DateResolution::Future(date) => {
                out.issue_date = Some(date);
                Some(KkError::FutureIssueDate {
                    date: date.to_naive(),
                })
            }
        }
    };
    error = error.or(date_error);
    if error.is_none() && d[12..] == [0, 0, 0, 0] {
        error = Some(KkError::InvalidSerial);
    }
    out.error = error;
    out.warnings = warnings;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kk_rules() {
        let o = CheckOptions::strict()
            .with_reference_date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let code = |s: &str| check_with(s, &o).code().map(|c| c.as_str());
        assert_eq!(code("3174011203150007"), None);
        assert_eq!(code("3174014103150007"), Some("INVALID_ISSUE_DATE"));
        assert_eq!(code("3174011203150000"), Some("INVALID_SERIAL"));
        assert_eq!(code("9101011203150007"), None);
        assert!(
            check_with("9101011203150007", &o)
                .warnings()
                .contains(Code::HistoricRegionCode)
        );
        let d = RegionCode::parse("32.73.01").unwrap();
        let kk = Kk::from_parts(
            d,
            NaiveDate::from_ymd_opt(2019, 5, 2).unwrap(),
            77,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .unwrap();
        assert_eq!(kk.as_str(), "3273010205190077");
    }
}
