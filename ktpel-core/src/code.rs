//! The one vocabulary of error and warning codes shared by every surface.
//!
//! Each module keeps its own `thiserror` enum (`NikError`, `QrError`, …), and
//! every variant maps to exactly one [`Code`]. A code has:
//!
//! - a stable SCREAMING_SNAKE name ([`Code::as_str`]) — the `.code` of a Python
//!   exception or a JavaScript `Error`;
//! - a stable number ([`Code::as_u32`]) — the C `ktpel_status` value.
//!
//! Numbers are grouped by module and never reused: a retired code stays here as
//! a comment. The same code means the same thing everywhere (for example
//! `EMPTY` is "the value is empty" whether it is a NIK or a name).
//!
//! | range | module |
//! |---|---|
//! | 0–99 | general (`OK`, `PANIC`, argument and I/O errors) |
//! | 100–199 | `nik`, `kk`, `region` |
//! | 200–299 | `name` |
//! | 300–399 | `matching` |
//! | 400–499 | `events` |
//! | 500–599 | `qr` |
//! | 600–699 | `sam` |
//! | 700–799 | `privacy` |

macro_rules! define_codes {
    ($( $(#[$meta:meta])* $variant:ident = $num:literal => $name:literal, $desc:literal; )*) => {
        /// A stable error or warning code shared by Rust, C, Python and Node.
        ///
        /// ```
        /// use ktpel_core::Code;
        /// assert_eq!(Code::WrongLength.as_str(), "WRONG_LENGTH");
        /// assert_eq!(Code::from_name("WRONG_LENGTH"), Some(Code::WrongLength));
        /// assert_eq!(Code::from_u32(Code::WrongLength.as_u32()), Some(Code::WrongLength));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$meta])* $variant = $num, )*
        }

        impl Code {
            /// Every code, in numeric order of definition.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The SCREAMING_SNAKE name, e.g. `"INVALID_BIRTH_DATE"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The stable number (the C `ktpel_status` value).
            pub const fn as_u32(self) -> u32 {
                self as u32
            }

            /// A one-line English description a clerk can act on.
            pub const fn description(self) -> &'static str {
                match self { $( Code::$variant => $desc, )* }
            }

            /// The code with this number, if any.
            pub const fn from_u32(n: u32) -> Option<Code> {
                match n { $( $num => Some(Code::$variant), )* _ => None }
            }

            /// The code with this SCREAMING_SNAKE name, if any.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

define_codes! {
    // ---- general 0..99 -------------------------------------------------
    /// Success (C status only).
    Ok = 0 => "OK", "success";
    /// A panic was caught at a language boundary; this is a bug in ktpel.
    Panic = 1 => "PANIC", "internal error (a bug in ktpel); please report it";
    /// A required argument was missing (NULL pointer in C).
    NullArgument = 2 => "NULL_ARGUMENT", "a required argument was missing (NULL)";
    /// An argument was not valid UTF-8.
    InvalidUtf8 = 3 => "INVALID_UTF8", "text is not valid UTF-8";
    /// An argument had a value outside what the function accepts.
    InvalidArgument = 4 => "INVALID_ARGUMENT", "an argument has a value the function does not accept";
    /// A caller buffer was too small; the required length was reported.
    BufferTooSmall = 5 => "BUFFER_TOO_SMALL", "the output buffer is too small";
    /// Reading or writing a file failed.
    Io = 6 => "IO", "reading or writing a file failed";
    /// A CSV file could not be read.
    Csv = 7 => "CSV", "a CSV file could not be read";
    /// A configuration file (policy, mapping, subscriptions) is invalid.
    InvalidConfig = 8 => "INVALID_CONFIG", "a configuration file is invalid";
    // ---- nik / kk / region 100..199 -------------------------------------
    /// The value is empty.
    Empty = 100 => "EMPTY", "the value is empty";
    /// Not exactly 16 digits.
    WrongLength = 101 => "WRONG_LENGTH", "a NIK or KK number has exactly 16 digits";
    /// A character other than an ASCII digit.
    NonDigit = 102 => "NON_DIGIT", "only the digits 0-9 are allowed";
    /// The number was mangled by a spreadsheet (scientific notation, `.0`, lost digits).
    SpreadsheetCorrupted = 103 => "SPREADSHEET_CORRUPTED", "the number was mangled by a spreadsheet (e.g. 3.17401E+15); export the column as text";
    /// Province code never issued.
    UnknownProvince = 104 => "UNKNOWN_PROVINCE", "the province code (digits 1-2) was never issued";
    /// Regency/city code never issued.
    UnknownRegency = 105 => "UNKNOWN_REGENCY", "the regency/city code (digits 3-4) was never issued in this province";
    /// District code never issued.
    UnknownDistrict = 106 => "UNKNOWN_DISTRICT", "the district code (digits 5-6) was never issued in this regency";
    /// Birth (or KK issue) date is not a calendar date.
    InvalidBirthDate = 107 => "INVALID_BIRTH_DATE", "digits 7-12 are not a real date (DDMMYY, women: day + 40)";
    /// Birth date lies after the reference date.
    FutureBirthDate = 108 => "FUTURE_BIRTH_DATE", "the birth date lies in the future";
    /// Serial `0000`.
    InvalidSerial = 109 => "INVALID_SERIAL", "the serial (digits 13-16) may not be 0000";
    /// KK: date digits are not a calendar date.
    InvalidIssueDate = 110 => "INVALID_ISSUE_DATE", "digits 7-12 of a KK number are not a real date (DDMMYY, no +40)";
    /// KK: issue date after the reference date.
    FutureIssueDate = 111 => "FUTURE_ISSUE_DATE", "the KK issue date lies in the future";
    /// A region code is malformed (wrong digits, level or structure).
    InvalidRegionCode = 112 => "INVALID_REGION_CODE", "a region code is malformed";
    /// A region code was never issued.
    UnknownRegion = 113 => "UNKNOWN_REGION", "the region code was never issued";
    /// Warning: the region code existed in an earlier regulation only.
    HistoricRegionCode = 150 => "HISTORIC_REGION_CODE", "the region code is historic (issued before a regency split); still valid";
    /// Warning: lenient mode removed whitespace or separators.
    SeparatorsRemoved = 151 => "SEPARATORS_REMOVED", "spaces, dots or dashes were removed";
    /// Warning: both 19YY and 20YY are possible birth years.
    CenturyAmbiguous = 152 => "CENTURY_AMBIGUOUS", "the two-digit year fits both 19YY and 20YY";
    /// Info: birth date is 1 July, a placeholder used when the real date is unknown.
    PlaceholderDateJul1 = 153 => "PLACEHOLDER_DATE_JUL_1", "birth date 1 July is often a placeholder for an unknown date";
    /// Info: birth date is 31 December, a placeholder used when the real date is unknown.
    PlaceholderDateDec31 = 154 => "PLACEHOLDER_DATE_DEC_31", "birth date 31 December is often a placeholder for an unknown date";
    // ---- name 200..299 ---------------------------------------------------
    /// A name without a single letter.
    NoLetters = 200 => "NO_LETTERS", "the name has no letters";
    /// A name with digits in it.
    ContainsDigits = 201 => "CONTAINS_DIGITS", "the name contains digits";
    /// A stand-in for an unknown name (NN, XXX, -, TIDAK ADA, TANPA NAMA, ...).
    Placeholder = 202 => "PLACEHOLDER", "the name is a placeholder (NN, XXX, -, TIDAK ADA, ...), not a name";
    /// A name of single letters only.
    SingleLetter = 203 => "SINGLE_LETTER", "the name is only single letters";
    /// A letter three times in a row, or a word of one repeated letter.
    RepeatedCharacters = 204 => "REPEATED_CHARACTERS", "the name has runs of repeated characters";
    /// Longer than the register's 60-character name field.
    TooLong = 205 => "TOO_LONG", "the name is longer than the register field (60 characters)";
    /// A newborn registered before naming (BAYI NY. SITI); the mother's name is extracted.
    NewbornPlaceholder = 206 => "NEWBORN_PLACEHOLDER", "newborn placeholder (BAYI NY. ...): register the child's own name";
    /// Warning: one word only (Permendagri 73/2022 asks for at least two).
    SingleWord = 250 => "SINGLE_WORD", "the name is a single word; Permendagri 73/2022 asks for at least two";
    /// Warning: initials or abbreviations (M. ARIF, MOCH, ABD).
    Abbreviated = 251 => "ABBREVIATED", "the name is abbreviated (M., MOCH, ABD); Permendagri 73/2022 asks for no abbreviations";
    // ---- end name --------------------------------------------------------
    // ---- matching 300..399 -----------------------------------------------
    // ---- end matching ----------------------------------------------------
    // ---- events 400..499 -------------------------------------------------
    // ---- end events ------------------------------------------------------
    // ---- qr 500..599 -----------------------------------------------------
    // ---- end qr ----------------------------------------------------------
    // ---- sam 600..699 ----------------------------------------------------
    // ---- end sam ---------------------------------------------------------
    // ---- privacy 700..799 ------------------------------------------------
    // ---- end privacy -----------------------------------------------------
}

impl core::fmt::Display for Code {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Implemented by every module's error type: the stable [`Code`] of an error.
pub trait HasCode {
    /// The stable code of this error.
    fn code(&self) -> Code;
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    #[test]
    fn names_and_numbers_are_unique_and_round_trip() {
        let mut names = BTreeSet::new();
        let mut nums = BTreeSet::new();
        for &c in Code::ALL {
            assert!(names.insert(c.as_str()), "duplicate name {}", c.as_str());
            assert!(nums.insert(c.as_u32()), "duplicate number {}", c.as_u32());
            assert_eq!(Code::from_u32(c.as_u32()), Some(c));
            assert_eq!(Code::from_name(c.as_str()), Some(c));
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            );
            assert!(!c.description().is_empty());
        }
        assert_eq!(Code::from_u32(99_999), None);
    }
}
