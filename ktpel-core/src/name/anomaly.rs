//! `check`: records whose name is not a name.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;
use serde::ser::SerializeStruct;

use super::normalize::{fold, normalize};
use crate::{Code, HasCode};

/// Longest name the population register field holds, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// Whether an anomaly sets the record aside or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The name is not usable as a name: set the record aside.
    Error,
    /// The name is usable but does not follow Permendagri 73/2022 (at least
    /// two words, no abbreviations); common in older records.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Why a name is not (quite) a name. Each variant has a stable [`Code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameAnomaly {
    /// Empty or only whitespace.
    #[error("the name is empty")]
    Empty,
    /// No letter at all (`123`, `...`).
    #[error("the name has no letters")]
    NoLetters,
    /// Letters and digits (`SITI 2`, `BUD1`).
    #[error("the name contains digits")]
    ContainsDigits,
    /// A stand-in for an unknown name: `NN`, `XXX`, `-`, `TIDAK ADA`,
    /// `TANPA NAMA`, `HAMBA ALLAH`, …
    #[error("the name is a placeholder, not a name")]
    Placeholder,
    /// Only single letters (`A`, `A. B.`).
    #[error("the name is only single letters")]
    SingleLetter,
    /// A letter three or more times in a row, or a word of one repeated
    /// letter (`SITIII`, `AA`).
    #[error("the name has runs of repeated characters")]
    RepeatedCharacters,
    /// Longer than the register field (60 characters after normalization).
    #[error("the name has {chars} characters; the register field holds {MAX_NAME_CHARS}")]
    TooLong {
        /// Characters of the normalized display form.
        chars: usize,
    },
    /// A newborn registered before naming: `BAYI NY. SITI`, `BY NY SITI`,
    /// `BAYI PEREMPUAN NYONYA SITI`, `ANAK DARI SITI`.
    #[error("the name is a newborn placeholder{}", match .mother { Some(m) => alloc::format!(" (mother: {m})"), None => String::new() })]
    NewbornPlaceholder {
        /// The mother's name, normalized, when the placeholder carries it.
        mother: Option<String>,
    },
    /// Warning: one word only (Permendagri 73/2022 asks for at least two).
    #[error("the name is a single word")]
    SingleWord,
    /// Warning: initials or abbreviations (`M. ARIF`, `MOCH`, `ABD`).
    #[error("the name is abbreviated ({})", .tokens.join(", "))]
    Abbreviated {
        /// The abbreviated tokens, as in the display form.
        tokens: Vec<String>,
    },
}

impl NameAnomaly {
    /// The stable code.
    pub const fn code(&self) -> Code {
        match self {
            NameAnomaly::Empty => Code::Empty,
            NameAnomaly::NoLetters => Code::NoLetters,
            NameAnomaly::ContainsDigits => Code::ContainsDigits,
            NameAnomaly::Placeholder => Code::Placeholder,
            NameAnomaly::SingleLetter => Code::SingleLetter,
            NameAnomaly::RepeatedCharacters => Code::RepeatedCharacters,
            NameAnomaly::TooLong { .. } => Code::TooLong,
            NameAnomaly::NewbornPlaceholder { .. } => Code::NewbornPlaceholder,
            NameAnomaly::SingleWord => Code::SingleWord,
            NameAnomaly::Abbreviated { .. } => Code::Abbreviated,
        }
    }

    /// Error (set the record aside) or warning.
    pub const fn severity(&self) -> Severity {
        match self {
            NameAnomaly::SingleWord | NameAnomaly::Abbreviated { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// True for [`Severity::Error`].
    pub const fn is_error(&self) -> bool {
        matches!(self.severity(), Severity::Error)
    }

    /// The mother's name extracted from a newborn placeholder.
    pub fn mother_name(&self) -> Option<&str> {
        match self {
            NameAnomaly::NewbornPlaceholder { mother } => mother.as_deref(),
            _ => None,
        }
    }
}

impl HasCode for NameAnomaly {
    fn code(&self) -> Code {
        NameAnomaly::code(self)
    }
}

impl Serialize for NameAnomaly {
    /// `{"code": "NEWBORN_PLACEHOLDER", "severity": "error", "message": …,
    /// "mother": "SITI"}`; `chars`, `tokens` and `mother` only where they
    /// belong.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let extra = usize::from(matches!(
            self,
            NameAnomaly::TooLong { .. }
                | NameAnomaly::Abbreviated { .. }
                | NameAnomaly::NewbornPlaceholder { .. }
        ));
        let mut st = s.serialize_struct("NameAnomaly", 3 + extra)?;
        st.serialize_field("code", self.code().as_str())?;
        st.serialize_field("severity", self.severity().as_str())?;
        st.serialize_field("message", &self.to_string())?;
        match self {
            NameAnomaly::TooLong { chars } => st.serialize_field("chars", chars)?,
            NameAnomaly::Abbreviated { tokens } => st.serialize_field("tokens", tokens)?,
            NameAnomaly::NewbornPlaceholder { mother } => st.serialize_field("mother", mother)?,
            _ => {}
        }
        st.end()
    }
}

/// Whole names (letters and digits of the input, one space between words)
/// that stand for "no name". Sorted.
const PLACEHOLDERS: &[&str] = &[
    "0",
    "00",
    "000",
    "ABC",
    "ABCD",
    "ANONIM",
    "ANONYMOUS",
    "ASDF",
    "BELUM ADA",
    "BELUM ADA NAMA",
    "BELUM DIBERI NAMA",
    "BELUM DIISI",
    "BELUM DIKETAHUI",
    "DUMMY",
    "FULAN",
    "FULANAH",
    "HAMBA ALLAH",
    "HAMBA TUHAN",
    "KOSONG",
    "MR X",
    "MRS X",
    "N A",
    "N N",
    "NA",
    "NAMA",
    "NAMA LENGKAP",
    "NIL",
    "NN",
    "NN NN",
    "NO NAME",
    "NONAME",
    "NONE",
    "NULL",
    "QWERTY",
    "TAK BERNAMA",
    "TANPA NAMA",
    "TDK ADA",
    "TES",
    "TEST",
    "TESTING",
    "TIDAK ADA",
    "TIDAK ADA NAMA",
    "TIDAK BERNAMA",
    "TIDAK DIKETAHUI",
    "TIDAK TAHU",
    "TIDAK TAU",
    "TT",
    "UNKNOWN",
];

/// Tokens that abbreviate a name (besides single letters and tokens without a
/// vowel). Sorted.
const ABBREVIATIONS: &[&str] = &["ABD", "MOCH", "MOH", "MOHD", "MUH", "MUHD"];

fn is_vowel_like(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y') || !c.is_ascii()
}

/// Words of the folded input: runs of letters and digits, with byte offsets.
fn words(folded: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in folded.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            out.push((s, &folded[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &folded[s..]));
    }
    out
}

fn newborn(folded: &str, ws: &[(usize, &str)]) -> Option<NameAnomaly> {
    let first = ws.first()?.1;
    let is_baby = matches!(first, "BAYI" | "BY" | "BYI" | "BAY");
    let is_child = first == "ANAK";
    if !is_baby && !is_child {
        return None;
    }
    let mut k = 1;
    // sex and order markers: BAYI LAKI-LAKI, BY PR, BAYI KEMBAR II
    while k < ws.len()
        && matches!(
            ws[k].1,
            "LAKI"
                | "LK"
                | "L"
                | "PEREMPUAN"
                | "PR"
                | "P"
                | "KEMBAR"
                | "I"
                | "II"
                | "III"
                | "1"
                | "2"
                | "3"
                | "PERTAMA"
                | "KEDUA"
        )
        && k + 1 < ws.len()
    {
        k += 1;
    }
    let marker = ws.get(k).map(|w| w.1);
    let has_marker = matches!(
        marker,
        Some("NY" | "NYONYA" | "NYA" | "IBU" | "DARI" | "IB" | "BU")
    );
    if has_marker {
        k += 1;
    } else if is_child || (first == "BAY" && ws.len() > 1) {
        // "ANAK SITI" or "BAY SUPRIADI" may be real names
        return None;
    }
    if ws.len() == 1 && first == "BY" {
        return None;
    }
    let mother = ws
        .get(k)
        .map(|&(off, _)| normalize(&folded[off..]).into_display())
        .filter(|m| !m.is_empty());
    Some(NameAnomaly::NewbornPlaceholder { mother })
}

/// All anomalies of a name, errors first; empty for a clean name.
///
/// ```
/// use ktpel_core::name::{check_all, NameAnomaly};
/// assert_eq!(check_all("M. ARIF"), [NameAnomaly::Abbreviated { tokens: vec!["M".into()] }]);
/// assert!(check_all("SITI AMINAH").is_empty());
/// ```
pub fn check_all(name: &str) -> Vec<NameAnomaly> {
    let mut out = Vec::new();
    let mut folded = String::new();
    fold(name, &mut folded);
    let folded = folded.trim();
    if folded.is_empty() {
        out.push(NameAnomaly::Empty);
        return out;
    }
    let ws = words(folded);
    let compact = ws.iter().map(|w| w.1).collect::<Vec<_>>().join(" ");
    let only_x = !compact.is_empty() && compact.chars().all(|c| c == 'X' || c == ' ');
    if (ws.is_empty()
        && folded
            .chars()
            .all(|c| "-_.?/*#=+~,;:'\"!()[]".contains(c) || c == ' '))
        || only_x
        || PLACEHOLDERS.binary_search(&compact.as_str()).is_ok()
    {
        out.push(NameAnomaly::Placeholder);
        return out;
    }
    if let Some(n) = newborn(folded, &ws) {
        out.push(n);
        return out;
    }
    if !folded.chars().any(char::is_alphabetic) {
        out.push(NameAnomaly::NoLetters);
        return out;
    }
    if folded.chars().any(char::is_numeric) {
        out.push(NameAnomaly::ContainsDigits);
    }
    let n = normalize(name);
    let display = n.display();
    let chars = display.chars().count();
    if chars > MAX_NAME_CHARS {
        out.push(NameAnomaly::TooLong { chars });
    }
    let tokens: Vec<&str> = display.split(' ').filter(|t| !t.is_empty()).collect();
    let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count();
    let mut repeated = false;
    for t in &tokens {
        let mut run = 0;
        let mut prev = '\0';
        let mut distinct_first = None;
        let mut one_letter = true;
        for c in t.chars().filter(|c| c.is_alphabetic()) {
            run = if c == prev { run + 1 } else { 1 };
            prev = c;
            if run >= 3 {
                repeated = true;
            }
            match distinct_first {
                None => distinct_first = Some(c),
                Some(f) if f != c => one_letter = false,
                _ => {}
            }
        }
        if one_letter && letters(t) >= 2 {
            repeated = true;
        }
    }
    if repeated {
        out.push(NameAnomaly::RepeatedCharacters);
    }
    let all_single = tokens.iter().all(|t| letters(t) <= 1);
    if all_single {
        out.push(NameAnomaly::SingleLetter);
        return out;
    }
    let mut abbreviated = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let l = letters(t);
        // Balinese I and NI (I WAYAN, NI LUH) are not abbreviations.
        let balinese = i == 0 && tokens.len() > 1 && (*t == "I");
        let no_vowel =
            l >= 2 && !t.chars().any(is_vowel_like) && t.chars().all(char::is_alphabetic);
        let st_first = i == 0 && tokens.len() > 1 && *t == "ST";
        if (l == 1 && !balinese) || no_vowel || st_first || ABBREVIATIONS.binary_search(t).is_ok() {
            abbreviated.push(String::from(*t));
        }
    }
    if !abbreviated.is_empty() {
        out.push(NameAnomaly::Abbreviated {
            tokens: abbreviated,
        });
    }
    // Words of the comparison form: NUR-AINI is two.
    if n.tokens().count() == 1 {
        out.push(NameAnomaly::SingleWord);
    }
    out
}

/// The most important anomaly of a name, or `None` for a clean one: the
/// pemadanan step that sets aside records whose name is not a name.
///
/// ```
/// use ktpel_core::name::{check, NameAnomaly, Severity};
/// use ktpel_core::Code;
/// assert_eq!(check("SITI AMINAH"), None);
/// assert_eq!(check("  "), Some(NameAnomaly::Empty));
/// assert_eq!(check("N.N.").map(|a| a.code()), Some(Code::Placeholder));
/// let a = check("BAYI NY. SITI AMINAH").unwrap();
/// assert_eq!(a.code(), Code::NewbornPlaceholder);
/// assert_eq!(a.mother_name(), Some("SITI AMINAH"));
/// assert_eq!(check("SUKARNO").map(|a| a.severity()), Some(Severity::Warning));
/// ```
pub fn check(name: &str) -> Option<NameAnomaly> {
    check_all(name).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sorted() {
        assert!(PLACEHOLDERS.windows(2).all(|w| w[0] < w[1]));
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    }
}
