//! Element verification: the web-service semantics (per element `SESUAI`,
//! `TIDAK_SESUAI`, `TIDAK_DIISI`; overall `SESUAI`, `TIDAK_SESUAI`,
//! `NIK_TIDAK_DITEMUKAN`) under an agreed [`Policy`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::MatchError;
use super::record::{Element, Record};
use crate::Code;
use crate::name;

/// How one element is compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "compare", rename_all = "snake_case")]
pub enum Comparison {
    /// Byte-equal after trimming.
    Exact,
    /// Equal after upper-casing, and reducing punctuation and runs of
    /// whitespace to one space.
    Normalized,
    /// Numbers equal ignoring leading zeros (`001` = `1`; RT, RW, codes);
    /// non-numbers compared normalized.
    Digits,
    /// Name similarity ([`name::similarity`]) at least `threshold`.
    Name {
        /// Lowest similarity that counts as the same name.
        #[serde(default = "default_name_threshold")]
        threshold: f64,
    },
    /// Birth dates equal; with `accept_swap` a day/month swap (`05-03` vs
    /// `03-05`, same year) is accepted and flagged `DAY_MONTH_SWAPPED`.
    Date {
        /// Accept a day/month swap.
        #[serde(default = "yes")]
        accept_swap: bool,
    },
    /// Name matching keys ([`name::matching_key`]) equal: the comparison an
    /// element token (`privacy`) makes, for checking token matching against
    /// clear data.
    NameKey,
    /// Place names: Jaro-Winkler of the normalized places, with
    /// administrative prefixes (`KAB.`, `KOTA`, `KABUPATEN`) removed, at
    /// least `threshold`.
    Fuzzy {
        /// Lowest similarity that counts as the same place.
        #[serde(default = "default_place_threshold")]
        threshold: f64,
    },
}

fn default_name_threshold() -> f64 {
    name::DEFAULT_THRESHOLD
}
fn default_place_threshold() -> f64 {
    DEFAULT_PLACE_THRESHOLD
}
fn yes() -> bool {
    true
}

/// Default threshold of [`Comparison::Fuzzy`] for birth places.
pub const DEFAULT_PLACE_THRESHOLD: f64 = 0.90;

/// One element of the agreed combination.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rule {
    /// The element.
    pub element: Element,
    /// How it is compared.
    pub comparison: Comparison,
    /// Whether it decides the overall verdict: a filled required element that
    /// does not agree makes the record `TIDAK_SESUAI`. Other elements get a
    /// verdict for information only.
    pub required: bool,
}

/// The agreed element combination of a cooperation agreement (PKS).
///
/// The overall verdict is `SESUAI` when no filled required element is
/// `TIDAK_SESUAI` and at least [`Policy::min_agreeing`] required elements
/// are `SESUAI`; `TIDAK_SESUAI` otherwise; `NIK_TIDAK_DITEMUKAN` when there
/// is no reference record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// Compared elements, in output order.
    pub rules: Vec<Rule>,
    /// Required elements that must be `SESUAI` (empty ones do not count).
    pub min_agreeing: usize,
    /// Reference elements the agency may receive (the PKS allow-list).
    pub returned: Vec<Element>,
}

impl Default for Policy {
    /// The default combination:
    ///
    /// | element | comparison | required |
    /// |---|---|---|
    /// | `NAMA_LGKP` | name ≥ 0.85 | yes |
    /// | `TGL_LHR` | date, day/month swap accepted and flagged | yes |
    /// | `JENIS_KLMIN` | exact (`L`/`P`) | yes |
    /// | `TMPT_LHR` | fuzzy ≥ 0.90 | no |
    /// | `NAMA_LGKP_IBU` | name ≥ 0.85 | no |
    ///
    /// with `min_agreeing = 2` and only `NIK` and `STATUS` returned.
    ///
    /// Why: 0.85 is the name threshold measured on the hand-labelled pairs
    /// (precision 0.960, recall 0.988; BENCHMARKS.md `## name`), so 1.2 % of
    /// true name variants fail and 4 % of accepted pairs are different
    /// people; requiring the birth date as well — an independent element —
    /// removes nearly all of those false agreements, and two agreeing
    /// elements means a name alone never verifies. Day/month swaps are the
    /// commonest date error of manual entry, so they verify but are flagged.
    /// Birth place and mother's name are filled inconsistently by agencies
    /// (`JAKARTA` / `DKI JAKARTA`, mothers' names missing), so they are
    /// reported but do not decide. The allow-list is the minimum; a PKS
    /// widens it.
    fn default() -> Self {
        Policy {
            rules: vec![
                Rule {
                    element: Element::Name,
                    comparison: Comparison::Name {
                        threshold: name::DEFAULT_THRESHOLD,
                    },
                    required: true,
                },
                Rule {
                    element: Element::BirthDate,
                    comparison: Comparison::Date { accept_swap: true },
                    required: true,
                },
                Rule {
                    element: Element::Sex,
                    comparison: Comparison::Exact,
                    required: true,
                },
                Rule {
                    element: Element::BirthPlace,
                    comparison: Comparison::Fuzzy {
                        threshold: DEFAULT_PLACE_THRESHOLD,
                    },
                    required: false,
                },
                Rule {
                    element: Element::MotherName,
                    comparison: Comparison::Name {
                        threshold: name::DEFAULT_THRESHOLD,
                    },
                    required: false,
                },
            ],
            min_agreeing: 2,
            returned: vec![Element::Nik, Element::Status],
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyToml {
    #[serde(default)]
    min_agreeing: Option<usize>,
    #[serde(default)]
    returned: Option<Vec<Element>>,
    #[serde(default)]
    elements: Option<BTreeMap<Element, RuleToml>>,
}

#[derive(Deserialize)]
struct RuleToml {
    #[serde(flatten)]
    comparison: Comparison,
    #[serde(default = "yes")]
    required: bool,
}

impl Policy {
    /// Parses a TOML policy. Absent keys keep the defaults; an `[elements]`
    /// table replaces the whole rule list.
    ///
    /// ```
    /// use ktpel_core::matching::{Element, Policy};
    /// let p = Policy::from_toml(r#"
    /// min_agreeing = 3
    /// returned = ["nik", "name", "birth_date", "status"]
    /// [elements.name]
    /// compare = "name"
    /// threshold = 0.9
    /// [elements.birth_date]
    /// compare = "date"
    /// accept_swap = false
    /// [elements.birth_place]
    /// compare = "fuzzy"
    /// "#).unwrap();
    /// assert_eq!(p.rules.len(), 3);
    /// assert_eq!(p.returned[1], Element::Name);
    /// ```
    pub fn from_toml(text: &str) -> Result<Policy, MatchError> {
        let t: PolicyToml = toml::from_str(text).map_err(|e| MatchError::Config {
            what: "policy",
            reason: e.to_string(),
        })?;
        let mut p = Policy::default();
        if let Some(m) = t.min_agreeing {
            p.min_agreeing = m;
        }
        if let Some(r) = t.returned {
            p.returned = r;
        }
        if let Some(els) = t.elements {
            p.rules = els
                .into_iter()
                .map(|(element, r)| Rule {
                    element,
                    comparison: r.comparison,
                    required: r.required,
                })
                .collect();
        }
        p.validate()?;
        Ok(p)
    }

    /// Checks thresholds and that `min_agreeing` can be reached.
    pub fn validate(&self) -> Result<(), MatchError> {
        let bad = |reason: String| {
            Err(MatchError::Config {
                what: "policy",
                reason,
            })
        };
        for r in &self.rules {
            if let Comparison::Name { threshold } | Comparison::Fuzzy { threshold } = r.comparison
                && !(0.0..=1.0).contains(&threshold)
            {
                return bad(format!(
                    "the threshold of {} must lie between 0 and 1",
                    r.element.key()
                ));
            }
            if r.element == Element::Nik {
                return bad("nik is the key of the lookup; it cannot be a compared element".into());
            }
        }
        let required = self.rules.iter().filter(|r| r.required).count();
        if self.min_agreeing > required {
            return bad(format!(
                "min_agreeing is {} but only {required} elements are required",
                self.min_agreeing
            ));
        }
        if self.min_agreeing == 0 {
            return bad("min_agreeing must be at least 1".into());
        }
        Ok(())
    }
}

/// The verdict on one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Agrees with the register.
    Sesuai,
    /// Does not agree.
    TidakSesuai,
    /// Not filled in the submitted record (or absent from the register
    /// record), so not compared.
    TidakDiisi,
}

impl Verdict {
    /// `SESUAI`, `TIDAK_SESUAI` or `TIDAK_DIISI`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Sesuai => "SESUAI",
            Verdict::TidakSesuai => "TIDAK_SESUAI",
            Verdict::TidakDiisi => "TIDAK_DIISI",
        }
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Overall {
    /// The agreed combination agrees.
    Sesuai,
    /// Some required element disagrees, or too few agree.
    TidakSesuai,
    /// No register record has this NIK.
    NikTidakDitemukan,
}

impl Overall {
    /// `SESUAI`, `TIDAK_SESUAI` or `NIK_TIDAK_DITEMUKAN`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Overall::Sesuai => "SESUAI",
            Overall::TidakSesuai => "TIDAK_SESUAI",
            Overall::NikTidakDitemukan => "NIK_TIDAK_DITEMUKAN",
        }
    }
}

/// One element's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementResult {
    /// The element.
    pub element: Element,
    /// The verdict.
    pub verdict: Verdict,
    /// The score behind it in [0, 1] (0 when not compared).
    pub score: f64,
    /// A flag on an agreeing element (`DAY_MONTH_SWAPPED`).
    pub flag: Option<Code>,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// The overall verdict.
    pub overall: Overall,
    /// One result per policy rule, in policy order (empty when the NIK was
    /// not found).
    pub elements: Vec<ElementResult>,
    /// The allowed reference elements, in allow-list order (only when the
    /// NIK was found; empty values left out).
    pub returned: Vec<(Element, String)>,
}

/// Verifies a submitted record against the register record with the same
/// NIK (`None` when there is none).
///
/// ```
/// use ktpel_core::matching::{verify, Element, Overall, Policy, Record, Verdict};
/// let (sub, _) = Record::from_pairs(&[("NIK", "3174015708900123"), ("NAMA_LGKP", "Hj. Siti Aminah"), ("TGL_LHR", "08-17-1990"), ("JENIS_KLMIN", "P")]);
/// let (reg, _) = Record::from_pairs(&[("NIK", "3174015708900123"), ("NAMA_LGKP", "SITI AMINAH"), ("TGL_LHR", "17-08-1990"), ("JENIS_KLMIN", "PEREMPUAN"), ("STATUS", "HIDUP")]);
/// let v = verify(&sub, Some(&reg), &Policy::default());
/// // "08-17-1990" does not parse as DD-MM-YYYY: the date is not compared.
/// assert_eq!(v.elements[1].verdict, Verdict::TidakDiisi);
/// assert_eq!(v.overall, Overall::Sesuai);
/// assert_eq!(v.returned, vec![(Element::Nik, "3174015708900123".into()), (Element::Status, "HIDUP".into())]);
/// assert_eq!(verify(&sub, None, &Policy::default()).overall, Overall::NikTidakDitemukan);
/// ```
pub fn verify(submitted: &Record, reference: Option<&Record>, policy: &Policy) -> Verification {
    let Some(reference) = reference else {
        return Verification {
            overall: Overall::NikTidakDitemukan,
            elements: Vec::new(),
            returned: Vec::new(),
        };
    };
    let mut elements = Vec::with_capacity(policy.rules.len());
    let overall = verify_into(
        submitted,
        PreparedKeys::default(),
        reference,
        policy,
        &mut elements,
    );
    let returned = policy
        .returned
        .iter()
        .filter_map(|&e| reference.canonical(e).map(|v| (e, v)))
        .collect();
    Verification {
        overall,
        elements,
        returned,
    }
}

pub(crate) fn overall_of(
    rules: &[Rule],
    elements: &[ElementResult],
    min_agreeing: usize,
) -> Overall {
    let mut agree = 0;
    for (r, e) in rules.iter().zip(elements) {
        if !r.required {
            continue;
        }
        match e.verdict {
            Verdict::TidakSesuai => return Overall::TidakSesuai,
            Verdict::Sesuai => agree += 1,
            Verdict::TidakDiisi => {}
        }
    }
    if agree >= min_agreeing {
        Overall::Sesuai
    } else {
        Overall::TidakSesuai
    }
}

/// What verification reads of a reference record: a [`Record`], or the
/// batch's view of a register row stored in its arena (no `Record` built
/// per lookup). Texts are trimmed and `None` when empty, as
/// [`Record::get`] gives them.
pub(crate) trait Reference {
    /// The text of `element`.
    fn text(&self, element: Element) -> Option<&str>;
    /// `TGL_LHR` parsed.
    fn birth_date(&self) -> Option<chrono::NaiveDate>;
    /// `JENIS_KLMIN` parsed.
    fn sex(&self) -> Option<crate::nik::Sex>;
    /// `STATUS` parsed.
    fn status(&self) -> Option<super::record::LifeStatus>;
}

impl Reference for Record {
    fn text(&self, element: Element) -> Option<&str> {
        self.get(element)
    }
    fn birth_date(&self) -> Option<chrono::NaiveDate> {
        self.birth_date
    }
    fn sex(&self) -> Option<crate::nik::Sex> {
        self.sex
    }
    fn status(&self) -> Option<super::record::LifeStatus> {
        self.status
    }
}

impl Reference for super::record::RowView<'_> {
    fn text(&self, element: Element) -> Option<&str> {
        self.get(element)
    }
    fn birth_date(&self) -> Option<chrono::NaiveDate> {
        self.birth_date
    }
    fn sex(&self) -> Option<crate::nik::Sex> {
        self.sex
    }
    fn status(&self) -> Option<super::record::LifeStatus> {
        self.status
    }
}

/// The submitted record's names prepared from their matching keys, when
/// the caller has the keys already (the batch computes them for the
/// duplicate step). Each must be [`name::PreparedName::new`] of the
/// record's text, so not for a name without letters, whose empty key
/// `PreparedName::new` replaces. A name comparison then keys only the
/// reference's name.
#[derive(Clone, Copy, Default)]
pub(crate) struct PreparedKeys<'a> {
    /// `NAMA_LGKP`.
    pub(crate) name: Option<&'a name::PreparedName>,
    /// `NAMA_LGKP_IBU`.
    pub(crate) mother_name: Option<&'a name::PreparedName>,
}

/// [`verify`]'s element comparisons and overall verdict for a found
/// reference, into `elements` (cleared first; one per rule), with the
/// submitted names' [`PreparedKeys`]. Same results as [`verify`].
pub(crate) fn verify_into<S: Reference, R: Reference>(
    submitted: &S,
    keys: PreparedKeys<'_>,
    reference: &R,
    policy: &Policy,
    elements: &mut Vec<ElementResult>,
) -> Overall {
    elements.clear();
    elements.extend(
        policy
            .rules
            .iter()
            .map(|r| compare_with(submitted, keys, reference, r)),
    );
    overall_of(&policy.rules, elements, policy.min_agreeing)
}

/// Compares one element of two records under a rule.
pub fn compare_element(submitted: &Record, reference: &Record, rule: &Rule) -> ElementResult {
    compare_with(submitted, PreparedKeys::default(), reference, rule)
}

fn compare_with<S: Reference, R: Reference>(
    submitted: &S,
    keys: PreparedKeys<'_>,
    reference: &R,
    rule: &Rule,
) -> ElementResult {
    let e = rule.element;
    let not_filled = ElementResult {
        element: e,
        verdict: Verdict::TidakDiisi,
        score: 0.0,
        flag: None,
    };
    let verdict = |ok: bool, score: f64, flag: Option<Code>| ElementResult {
        element: e,
        verdict: if ok {
            Verdict::Sesuai
        } else {
            Verdict::TidakSesuai
        },
        score,
        flag: if ok { flag } else { None },
    };
    // Parsed elements compare their parsed values; an unparsed value counts
    // as not filled (conversion already reported it).
    match e {
        Element::BirthDate => {
            let (Some(a), Some(b)) = (submitted.birth_date(), reference.birth_date()) else {
                return not_filled;
            };
            return compare_dates(a, b, rule.comparison, verdict);
        }
        Element::Sex => {
            let (Some(a), Some(b)) = (submitted.sex(), reference.sex()) else {
                return not_filled;
            };
            return verdict(a == b, f64::from(u8::from(a == b)), None);
        }
        Element::Status => {
            let (Some(a), Some(b)) = (submitted.status(), reference.status()) else {
                return not_filled;
            };
            return verdict(a == b, f64::from(u8::from(a == b)), None);
        }
        _ => {}
    }
    let (Some(a), Some(b)) = (submitted.text(e), reference.text(e)) else {
        return not_filled;
    };
    let prepared = match e {
        Element::Name => keys.name,
        Element::MotherName => keys.mother_name,
        _ => None,
    };
    if let (Some(prepared), Comparison::Name { threshold }) = (prepared, rule.comparison)
        && a != b
    {
        // `similarity(a, b)` would key both names; the submitted one is
        // keyed already (same key, same spans: same score).
        let s = prepared.similarity(&name::PreparedName::new(b));
        return verdict(s >= threshold, s, None);
    }
    compare_text(a, b, rule.comparison, verdict)
}

fn compare_dates(
    a: chrono::NaiveDate,
    b: chrono::NaiveDate,
    comparison: Comparison,
    verdict: impl Fn(bool, f64, Option<Code>) -> ElementResult,
) -> ElementResult {
    use chrono::Datelike;
    if a == b {
        return verdict(true, 1.0, None);
    }
    let swapped = a.year() == b.year() && a.day() == b.month() && a.month() == b.day();
    match comparison {
        Comparison::Date { accept_swap: true } if swapped => {
            verdict(true, SWAP_SCORE, Some(Code::DayMonthSwapped))
        }
        _ => verdict(false, if swapped { SWAP_SCORE } else { 0.0 }, None),
    }
}

/// Score of a day/month swap.
pub const SWAP_SCORE: f64 = 0.9;

fn compare_text(
    a: &str,
    b: &str,
    comparison: Comparison,
    verdict: impl Fn(bool, f64, Option<Code>) -> ElementResult,
) -> ElementResult {
    let bool_score = |ok: bool| verdict(ok, f64::from(u8::from(ok)), None);
    match comparison {
        Comparison::Exact => bool_score(a.trim() == b.trim()),
        Comparison::Normalized | Comparison::Date { .. } => {
            bool_score(normalize_text(a) == normalize_text(b))
        }
        Comparison::Digits => {
            let (x, y) = (a.trim(), b.trim());
            if !x.is_empty()
                && !y.is_empty()
                && x.bytes().all(|c| c.is_ascii_digit())
                && y.bytes().all(|c| c.is_ascii_digit())
            {
                bool_score(x.trim_start_matches('0') == y.trim_start_matches('0'))
            } else {
                bool_score(normalize_text(a) == normalize_text(b))
            }
        }
        Comparison::Name { threshold } => {
            let s = name::similarity(a, b);
            verdict(s >= threshold, s, None)
        }
        Comparison::NameKey => bool_score(name::matching_key(a) == name::matching_key(b)),
        Comparison::Fuzzy { threshold } => {
            let s = place_similarity(a, b);
            verdict(s >= threshold, s, None)
        }
    }
}

/// Upper-case, punctuation and whitespace runs reduced to one space, trimmed.
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_uppercase());
        } else {
            space = true;
        }
    }
    out
}

/// Similarity of two place names: administrative prefixes removed, then
/// Jaro-Winkler; 1 when one normalized place equals the last words of the
/// other (`DKI JAKARTA` / `JAKARTA`).
pub fn place_similarity(a: &str, b: &str) -> f64 {
    // Equal texts clean to equal places (both empty or not): 1, without
    // the cleaning's allocations.
    if a == b {
        return 1.0;
    }
    place_similarity_clean(&clean_place(a), &clean_place(b))
}

/// A place name as [`place_similarity`] compares it: normalized, the
/// administrative prefixes removed (recovery keeps it per resident).
pub(crate) fn clean_place(s: &str) -> String {
    let n = normalize_text(s);
    let words: Vec<&str> = n
        .split(' ')
        .filter(|w| {
            !matches!(
                *w,
                "KAB"
                    | "KABUPATEN"
                    | "KOTA"
                    | "KOTAMADYA"
                    | "KOTA ADM"
                    | "ADM"
                    | "DKI"
                    | "PROV"
                    | "PROVINSI"
            )
        })
        .collect();
    words.join(" ")
}

/// [`place_similarity`] of two [`clean_place`] forms.
pub(crate) fn place_similarity_clean(x: &str, y: &str) -> f64 {
    if x.is_empty() || y.is_empty() {
        return if x == y { 1.0 } else { 0.0 };
    }
    if x == y {
        return 1.0;
    }
    name::jaro_winkler(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(p: &[(&str, &str)]) -> Record {
        Record::from_pairs(p).0
    }

    #[test]
    fn swap_is_accepted_and_flagged_or_rejected() {
        let a = rec(&[
            ("NAMA_LGKP", "BUDI SANTOSO"),
            ("TGL_LHR", "03-05-1980"),
            ("JENIS_KLMIN", "L"),
        ]);
        let b = rec(&[
            ("NAMA_LGKP", "BUDI SANTOSO"),
            ("TGL_LHR", "05-03-1980"),
            ("JENIS_KLMIN", "L"),
        ]);
        let v = verify(&a, Some(&b), &Policy::default());
        assert_eq!(v.overall, Overall::Sesuai);
        assert_eq!(v.elements[1].flag, Some(Code::DayMonthSwapped));
        let strict = Policy::from_toml("[elements.name]\ncompare = \"name\"\n[elements.birth_date]\ncompare = \"date\"\naccept_swap = false\n").unwrap();
        let v = verify(&a, Some(&b), &strict);
        assert_eq!(v.overall, Overall::TidakSesuai);
        assert_eq!(v.elements[1].verdict, Verdict::TidakSesuai);
    }

    #[test]
    fn one_disagreeing_required_element_fails() {
        let a = rec(&[
            ("NAMA_LGKP", "SITI AMINAH"),
            ("TGL_LHR", "17-08-1990"),
            ("JENIS_KLMIN", "L"),
        ]);
        let b = rec(&[
            ("NAMA_LGKP", "SITI AMINAH"),
            ("TGL_LHR", "17-08-1990"),
            ("JENIS_KLMIN", "P"),
        ]);
        let v = verify(&a, Some(&b), &Policy::default());
        assert_eq!(v.overall, Overall::TidakSesuai);
        assert_eq!(v.elements[2].verdict, Verdict::TidakSesuai);
    }

    #[test]
    fn name_alone_does_not_verify() {
        let a = rec(&[("NAMA_LGKP", "SITI AMINAH")]);
        let b = rec(&[
            ("NAMA_LGKP", "SITI AMINAH"),
            ("TGL_LHR", "17-08-1990"),
            ("JENIS_KLMIN", "P"),
        ]);
        let v = verify(&a, Some(&b), &Policy::default());
        assert_eq!(v.elements[1].verdict, Verdict::TidakDiisi);
        assert_eq!(v.overall, Overall::TidakSesuai);
    }

    #[test]
    fn places_and_digits() {
        assert_eq!(place_similarity("DKI JAKARTA", "Jakarta"), 1.0);
        assert_eq!(place_similarity("KAB. BANDUNG", "BANDUNG"), 1.0);
        assert!(place_similarity("SURABAYA", "MAKASSAR") < DEFAULT_PLACE_THRESHOLD);
        let r = Rule {
            element: Element::Rt,
            comparison: Comparison::Digits,
            required: true,
        };
        let a = rec(&[("NO_RT", "001")]);
        let b = rec(&[("NO_RT", "1")]);
        assert_eq!(compare_element(&a, &b, &r).verdict, Verdict::Sesuai);
    }

    #[test]
    fn policy_validation() {
        assert!(Policy::default().validate().is_ok());
        assert!(Policy::from_toml("min_agreeing = 9").is_err());
        assert!(Policy::from_toml("[elements.name]\ncompare = \"name\"\nthreshold = 1.5").is_err());
        assert!(Policy::from_toml("[elements.nik]\ncompare = \"exact\"").is_err());
        assert!(Policy::from_toml("[elements.name]\ncompare = \"soundex\"").is_err());
        assert!(Policy::from_toml("bogus = 1").is_err());
    }
}
