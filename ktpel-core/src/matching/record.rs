//! The record schema: canonical elements, typed extras, and the mapping from
//! a CSV header (Dukcapil element names automatically, anything else through
//! a TOML [`Mapping`]) to [`Record`]s. Conversion failures are per-field
//! [`Finding`]s, never errors.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::MatchError;
use crate::Code;
use crate::nik::Sex;

/// A canonical element of a population record. The TOML / JSON key is the
/// snake_case name (`birth_date`); [`Element::dukcapil`] is the register's
/// column name (`TGL_LHR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// `NIK`.
    Nik,
    /// `NO_KK`.
    NoKk,
    /// `NAMA_LGKP`.
    Name,
    /// `TMPT_LHR`.
    BirthPlace,
    /// `TGL_LHR` (parsed to a date).
    BirthDate,
    /// `JENIS_KLMIN` (parsed to `L`/`P`).
    Sex,
    /// `NAMA_LGKP_IBU`.
    MotherName,
    /// `ALAMAT`.
    Address,
    /// `NO_RT`.
    Rt,
    /// `NO_RW`.
    Rw,
    /// `NO_PROP`.
    Province,
    /// `NO_KAB`.
    Regency,
    /// `NO_KEC`.
    District,
    /// `NO_KEL`.
    Village,
    /// `STAT_KWN`.
    MaritalStatus,
    /// `AGAMA`.
    Religion,
    /// `STAT_HBKEL`.
    FamilyRelation,
    /// `JENIS_PKRJN`.
    Occupation,
    /// `STATUS` (parsed to alive / deceased).
    Status,
}

impl Element {
    /// Number of elements.
    pub const COUNT: usize = 19;
    /// Every element, in schema order.
    pub const ALL: [Element; Element::COUNT] = [
        Element::Nik,
        Element::NoKk,
        Element::Name,
        Element::BirthPlace,
        Element::BirthDate,
        Element::Sex,
        Element::MotherName,
        Element::Address,
        Element::Rt,
        Element::Rw,
        Element::Province,
        Element::Regency,
        Element::District,
        Element::Village,
        Element::MaritalStatus,
        Element::Religion,
        Element::FamilyRelation,
        Element::Occupation,
        Element::Status,
    ];

    /// The Dukcapil column name.
    pub const fn dukcapil(self) -> &'static str {
        match self {
            Element::Nik => "NIK",
            Element::NoKk => "NO_KK",
            Element::Name => "NAMA_LGKP",
            Element::BirthPlace => "TMPT_LHR",
            Element::BirthDate => "TGL_LHR",
            Element::Sex => "JENIS_KLMIN",
            Element::MotherName => "NAMA_LGKP_IBU",
            Element::Address => "ALAMAT",
            Element::Rt => "NO_RT",
            Element::Rw => "NO_RW",
            Element::Province => "NO_PROP",
            Element::Regency => "NO_KAB",
            Element::District => "NO_KEC",
            Element::Village => "NO_KEL",
            Element::MaritalStatus => "STAT_KWN",
            Element::Religion => "AGAMA",
            Element::FamilyRelation => "STAT_HBKEL",
            Element::Occupation => "JENIS_PKRJN",
            Element::Status => "STATUS",
        }
    }

    /// The snake_case key used in TOML and JSON.
    pub const fn key(self) -> &'static str {
        match self {
            Element::Nik => "nik",
            Element::NoKk => "no_kk",
            Element::Name => "name",
            Element::BirthPlace => "birth_place",
            Element::BirthDate => "birth_date",
            Element::Sex => "sex",
            Element::MotherName => "mother_name",
            Element::Address => "address",
            Element::Rt => "rt",
            Element::Rw => "rw",
            Element::Province => "province",
            Element::Regency => "regency",
            Element::District => "district",
            Element::Village => "village",
            Element::MaritalStatus => "marital_status",
            Element::Religion => "religion",
            Element::FamilyRelation => "family_relation",
            Element::Occupation => "occupation",
            Element::Status => "status",
        }
    }

    /// The element whose Dukcapil column name is `header` (case-insensitive,
    /// trimmed; `NAMA` and `NAMA_IBU`-style synonyms are not guessed).
    pub fn from_dukcapil(header: &str) -> Option<Element> {
        let h = header.trim();
        Element::ALL
            .into_iter()
            .find(|e| e.dukcapil().eq_ignore_ascii_case(h))
    }

    /// The element whose snake_case key or Dukcapil name is `s`.
    pub fn from_name(s: &str) -> Option<Element> {
        let t = s.trim();
        Element::ALL
            .into_iter()
            .find(|e| e.key().eq_ignore_ascii_case(t))
            .or_else(|| Element::from_dukcapil(t))
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// A typed value of an extra (non-canonical) column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Extra {
    /// An identifier the agency needs back (customer number …), copied to
    /// the outputs.
    Id(String),
    /// Free text.
    Text(String),
    /// A date (parsed with the mapping's date formats).
    Date(NaiveDate),
}

/// Whether a resident is alive or deceased (`STATUS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LifeStatus {
    /// `HIDUP`.
    Hidup,
    /// `MATI`.
    Mati,
}

impl LifeStatus {
    /// `HIDUP` or `MATI`.
    pub const fn as_str(self) -> &'static str {
        match self {
            LifeStatus::Hidup => "HIDUP",
            LifeStatus::Mati => "MATI",
        }
    }
}

/// One record in canonical form: the text of each element (trimmed; `None`
/// when empty), the parsed birth date, sex and status, and the extras.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    values: [Option<Box<str>>; Element::COUNT],
    /// `TGL_LHR` parsed (`None` when empty or unparseable).
    pub birth_date: Option<NaiveDate>,
    /// `JENIS_KLMIN` parsed.
    pub sex: Option<Sex>,
    /// `STATUS` parsed.
    pub status: Option<LifeStatus>,
    /// Extra columns, in header order.
    pub extras: Vec<(String, Extra)>,
}

impl Record {
    /// The text of `element` as read (trimmed), or `None` when empty.
    pub fn get(&self, element: Element) -> Option<&str> {
        self.values[element.index()].as_deref()
    }

    /// Sets the text of `element` (trimmed; empty means `None`). Does not
    /// parse: use [`Mapping::dukcapil`] + [`Binding::convert`] for that, or
    /// set [`Record::birth_date`], [`Record::sex`], [`Record::status`] too.
    pub fn set(&mut self, element: Element, value: &str) {
        let v = value.trim();
        self.values[element.index()] = (!v.is_empty()).then(|| v.into());
    }

    /// The record's text for `element` in canonical output form: dates as
    /// `DD-MM-YYYY`, sex as `L`/`P`, status as `HIDUP`/`MATI`, else the text.
    pub fn canonical(&self, element: Element) -> Option<String> {
        match element {
            Element::BirthDate => self
                .birth_date
                .map(|d| d.format("%d-%m-%Y").to_string())
                .or_else(|| self.get(element).map(str::to_string)),
            Element::Sex => self
                .sex
                .map(|s| s.as_str().to_string())
                .or_else(|| self.get(element).map(str::to_string)),
            Element::Status => self
                .status
                .map(|s| s.as_str().to_string())
                .or_else(|| self.get(element).map(str::to_string)),
            _ => self.get(element).map(str::to_string),
        }
    }

    /// Builds a record from `(column, value)` pairs with Dukcapil column
    /// names (or snake_case keys), parsing dates, sex and status with the
    /// default [`Mapping`]. Unknown columns become text extras.
    ///
    /// ```
    /// use ktpel_core::matching::{Element, Record};
    /// let (r, findings) = Record::from_pairs(&[("NAMA_LGKP", "SITI AMINAH"), ("TGL_LHR", "17-08-1990"), ("JENIS_KLMIN", "PEREMPUAN")]);
    /// assert!(findings.is_empty());
    /// assert_eq!(r.canonical(Element::BirthDate).as_deref(), Some("17-08-1990"));
    /// assert_eq!(r.canonical(Element::Sex).as_deref(), Some("P"));
    /// ```
    pub fn from_pairs(pairs: &[(&str, &str)]) -> (Record, Vec<Finding>) {
        let header: Vec<String> = pairs
            .iter()
            .map(|(k, _)| {
                Element::from_name(k)
                    .map(|e| e.dukcapil().to_string())
                    .unwrap_or_else(|| k.to_string())
            })
            .collect();
        let binding = Mapping::dukcapil()
            .bind(&header)
            .expect("the Dukcapil mapping binds any header");
        let values: Vec<&str> = pairs.iter().map(|(_, v)| *v).collect();
        binding.convert(&values)
    }
}

/// A row converted as [`Binding::convert`] would, borrowing its texts
/// from the split fields: see [`Binding::convert_view`].
#[derive(Default)]
pub(crate) struct RowView<'f> {
    values: [Option<std::borrow::Cow<'f, str>>; Element::COUNT],
    /// `TGL_LHR` parsed.
    pub(crate) birth_date: Option<NaiveDate>,
    /// `JENIS_KLMIN` parsed.
    pub(crate) sex: Option<Sex>,
    /// `STATUS` parsed.
    pub(crate) status: Option<LifeStatus>,
}

impl RowView<'_> {
    /// The text of `element` as [`Record::get`] gives it.
    pub(crate) fn get(&self, element: Element) -> Option<&str> {
        self.values[element.index()].as_deref()
    }
}

/// A per-field conversion problem (unparseable date, unknown code, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// The canonical element concerned, if any.
    pub element: Option<Element>,
    /// The source column(s), as in the header.
    pub column: String,
    /// The offending value.
    pub value: String,
}

impl Finding {
    /// Whether the finding sets the record aside (an anomaly) rather than
    /// only warning.
    pub fn is_error(&self) -> bool {
        !matches!(self.code, Code::Latin1Decoded)
    }
}

/// One or several source columns of a canonical element.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Columns {
    /// One column.
    One(String),
    /// Several columns joined with [`Mapping::join_separator`] (empty parts skipped).
    Many(Vec<String>),
}

impl Columns {
    fn names(&self) -> Vec<&str> {
        match self {
            Columns::One(s) => vec![s.as_str()],
            Columns::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Type of an extra column in a [`Mapping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraType {
    /// Identifier copied to the outputs.
    Id,
    /// Free text.
    Text,
    /// A date.
    Date,
}

/// How an extra column is compared when it takes part in NIK recovery
/// (`compare` of an extra in a [`Mapping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraCompare {
    /// An identifier (social security number, customer number): upper-cased
    /// letters and digits only; levels equal / one edit / two edits (an
    /// adjacent swap counts as one) / other.
    Id,
    /// Free text (street, postcode, locality): upper-cased, spaces
    /// collapsed; levels equal / Jaro-Winkler ≥ 0.9 / other.
    Text,
}

/// An extra column in a [`Mapping`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraSpec {
    /// The source column.
    pub column: String,
    /// Its type.
    #[serde(rename = "type", default = "default_extra_type")]
    pub kind: ExtraType,
    /// When set, the extra is an element of NIK recovery's model, compared
    /// this way (see [`super::recover`]); absent: only copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<ExtraCompare>,
}

/// The `[recovery]` section of a [`Mapping`]: blocking rules added to
/// recovery's built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryRules {
    /// Each rule is one or more parts joined by `+`; a record's key for the
    /// rule exists when every part is filled, and records sharing a key are
    /// candidates. Parts: the name of an extra with `compare`, or
    /// `birth_date`, `birth_year`, `sex`, `name` / `mother_name` (their
    /// phonetic keys), `birth_place`. Example: `["soc_sec_id",
    /// "postcode+birth_year"]`.
    #[serde(default)]
    pub block_on: Vec<String>,
}

fn default_extra_type() -> ExtraType {
    ExtraType::Text
}

/// Date formats tried in order when none are configured (`chrono` syntax):
/// the Dukcapil export form first, then ISO, then other day-first forms.
pub const DEFAULT_DATE_FORMATS: &[&str] = &["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"];

/// Codes for sex understood without configuration (case-insensitive).
pub const DEFAULT_SEX_CODES: &[(&str, Sex)] = &[
    ("L", Sex::Male),
    ("P", Sex::Female),
    ("LAKI-LAKI", Sex::Male),
    ("LAKI LAKI", Sex::Male),
    ("LAKI", Sex::Male),
    ("PEREMPUAN", Sex::Female),
    ("PRIA", Sex::Male),
    ("WANITA", Sex::Female),
    ("1", Sex::Male),
    ("2", Sex::Female),
    ("M", Sex::Male),
    ("F", Sex::Female),
    ("MALE", Sex::Male),
    ("FEMALE", Sex::Female),
];

/// Codes for the living status understood without configuration.
pub const DEFAULT_STATUS_CODES: &[(&str, LifeStatus)] = &[
    ("HIDUP", LifeStatus::Hidup),
    ("MATI", LifeStatus::Mati),
    ("MENINGGAL", LifeStatus::Mati),
    ("MENINGGAL DUNIA", LifeStatus::Mati),
    ("WAFAT", LifeStatus::Mati),
    ("ALIVE", LifeStatus::Hidup),
    ("DECEASED", LifeStatus::Mati),
];

/// How the columns of a file become a [`Record`]. The default
/// ([`Mapping::dukcapil`]) maps Dukcapil column names; a TOML file adds or
/// overrides:
///
/// ```toml
/// delimiter = ";"
/// date_formats = ["%d/%m/%Y", "%Y%m%d"]
/// join_separator = " "
/// [fields]
/// nik = "NOMOR_INDUK"
/// name = ["NAMA_DEPAN", "NAMA_BELAKANG"]   # joined
/// birth_date = "TANGGAL_LAHIR"
/// sex = "JK"
/// [sex_codes]          # added to the defaults (L/P, LAKI-LAKI/PEREMPUAN, 1/2, M/F …)
/// "01" = "L"
/// "02" = "P"
/// [extras.id_pelanggan]
/// column = "IDPEL"
/// type = "id"          # id | text | date
/// compare = "id"       # optional: an element of NIK recovery (id | text)
/// [recovery]
/// block_on = ["id_pelanggan", "id_pelanggan+birth_year"]   # optional
/// ```
///
/// Columns neither mapped nor named like a Dukcapil element become extras:
/// `id` when the header starts with `ID`, `text` otherwise.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field delimiter (one byte); `,` when absent.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Date formats tried in order (`chrono` strftime syntax).
    #[serde(default = "default_date_formats")]
    pub date_formats: Vec<String>,
    /// Separator when several columns are joined into one element.
    #[serde(default = "default_join")]
    pub join_separator: String,
    /// Map Dukcapil-named columns automatically for elements not in `fields`.
    #[serde(default = "yes")]
    pub dukcapil_headers: bool,
    /// Element → source column(s).
    #[serde(default)]
    pub fields: BTreeMap<Element, Columns>,
    /// Extra sex codes (value → `L` or `P`), on top of [`DEFAULT_SEX_CODES`].
    #[serde(default)]
    pub sex_codes: BTreeMap<String, String>,
    /// Extra status codes (value → `HIDUP` or `MATI`).
    #[serde(default)]
    pub status_codes: BTreeMap<String, LifeStatus>,
    /// Named extra columns.
    #[serde(default)]
    pub extras: BTreeMap<String, ExtraSpec>,
    /// Extra blocking rules of NIK recovery.
    #[serde(default, skip_serializing_if = "is_default_rules")]
    pub recovery: RecoveryRules,
}

fn is_default_rules(r: &RecoveryRules) -> bool {
    r.block_on.is_empty()
}

fn default_date_formats() -> Vec<String> {
    DEFAULT_DATE_FORMATS.iter().map(|s| s.to_string()).collect()
}
fn default_join() -> String {
    " ".into()
}
fn yes() -> bool {
    true
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping::dukcapil()
    }
}

impl Mapping {
    /// The mapping for files with Dukcapil column names.
    pub fn dukcapil() -> Mapping {
        Mapping {
            delimiter: None,
            date_formats: default_date_formats(),
            join_separator: default_join(),
            dukcapil_headers: true,
            fields: BTreeMap::new(),
            sex_codes: BTreeMap::new(),
            status_codes: BTreeMap::new(),
            extras: BTreeMap::new(),
            recovery: RecoveryRules::default(),
        }
    }

    /// Parses a TOML mapping.
    ///
    /// ```
    /// use ktpel_core::matching::{Element, Mapping};
    /// let m = Mapping::from_toml("[fields]\nname = [\"DEPAN\", \"BELAKANG\"]\nsex = \"JK\"\n[sex_codes]\n\"01\" = \"L\"\n").unwrap();
    /// let b = m.bind(&["DEPAN".into(), "BELAKANG".into(), "JK".into()]).unwrap();
    /// let (r, findings) = b.convert(&["SITI", "AMINAH", "01"]);
    /// assert!(findings.is_empty());
    /// assert_eq!(r.get(Element::Name), Some("SITI AMINAH"));
    /// assert_eq!(r.canonical(Element::Sex).as_deref(), Some("L"));
    /// ```
    pub fn from_toml(text: &str) -> Result<Mapping, MatchError> {
        let m: Mapping = toml::from_str(text).map_err(|e| MatchError::Config {
            what: "mapping",
            reason: e.to_string(),
        })?;
        for (k, v) in &m.sex_codes {
            if !matches!(v.trim().to_ascii_uppercase().as_str(), "L" | "P") {
                return Err(MatchError::Config {
                    what: "mapping",
                    reason: format!("sex_codes.{k} must be \"L\" or \"P\", not {v:?}"),
                });
            }
        }
        m.delimiter_byte()?;
        Ok(m)
    }

    /// The delimiter as one byte.
    pub fn delimiter_byte(&self) -> Result<u8, MatchError> {
        match self.delimiter.as_deref() {
            None => Ok(b','),
            Some("\\t") | Some("\t") => Ok(b'\t'),
            Some(d) if d.len() == 1 => Ok(d.as_bytes()[0]),
            Some(d) => Err(MatchError::Config {
                what: "mapping",
                reason: format!("delimiter must be one character, not {d:?}"),
            }),
        }
    }

    /// Resolves the mapping against a header row.
    pub fn bind(&self, header: &[String]) -> Result<Binding, MatchError> {
        let find = |name: &str| -> Result<usize, MatchError> {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| MatchError::ColumnMissing {
                    column: name.to_string(),
                    available: header.join(","),
                })
        };
        let mut used = vec![false; header.len()];
        let mut elements: Vec<(Element, Vec<usize>)> = Vec::new();
        for (e, cols) in &self.fields {
            let mut idx = Vec::new();
            for c in cols.names() {
                let i = find(c)?;
                used[i] = true;
                idx.push(i);
            }
            elements.push((*e, idx));
        }
        let mut extras = Vec::new();
        for (name, spec) in &self.extras {
            let i = find(&spec.column)?;
            used[i] = true;
            extras.push((name.clone(), spec.kind, i));
        }
        if self.dukcapil_headers {
            for (i, h) in header.iter().enumerate() {
                if used[i] {
                    continue;
                }
                if let Some(e) = Element::from_dukcapil(h)
                    && !elements.iter().any(|(m, _)| *m == e)
                {
                    used[i] = true;
                    elements.push((e, vec![i]));
                }
            }
        }
        for (i, h) in header.iter().enumerate() {
            if !used[i] {
                let h = h.trim();
                let kind = if h.len() >= 2 && h[..2].eq_ignore_ascii_case("ID") {
                    ExtraType::Id
                } else {
                    ExtraType::Text
                };
                extras.push((h.to_string(), kind, i));
            }
        }
        extras.sort_by_key(|e| e.2);
        elements.sort_by_key(|e| e.0);
        let mut sex_codes: Vec<(String, Sex)> = DEFAULT_SEX_CODES
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        for (k, v) in &self.sex_codes {
            let s = if v.trim().eq_ignore_ascii_case("P") {
                Sex::Female
            } else {
                Sex::Male
            };
            sex_codes.retain(|(c, _)| !c.eq_ignore_ascii_case(k.trim()));
            sex_codes.push((k.trim().to_ascii_uppercase(), s));
        }
        let mut status_codes: Vec<(String, LifeStatus)> = DEFAULT_STATUS_CODES
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        for (k, v) in &self.status_codes {
            status_codes.retain(|(c, _)| !c.eq_ignore_ascii_case(k.trim()));
            status_codes.push((k.trim().to_ascii_uppercase(), *v));
        }
        Ok(Binding {
            header: header.iter().map(|h| h.trim().to_string()).collect(),
            elements,
            extras,
            date_formats: self.date_formats.clone(),
            join: self.join_separator.clone(),
            sex_codes,
            status_codes,
        })
    }
}

/// A [`Mapping`] resolved against one header: converts rows to records.
#[derive(Debug, Clone)]
pub struct Binding {
    header: Vec<String>,
    elements: Vec<(Element, Vec<usize>)>,
    extras: Vec<(String, ExtraType, usize)>,
    date_formats: Vec<String>,
    join: String,
    sex_codes: Vec<(String, Sex)>,
    status_codes: Vec<(String, LifeStatus)>,
}

impl Binding {
    /// Number of columns of the header.
    pub fn columns(&self) -> usize {
        self.header.len()
    }

    /// The header as read (trimmed).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Whether `element` comes from some column.
    pub fn has(&self, element: Element) -> bool {
        self.elements.iter().any(|(e, _)| *e == element)
    }

    /// Names and types of the extras, in header order.
    pub fn extras(&self) -> impl Iterator<Item = (&str, ExtraType)> {
        self.extras.iter().map(|(n, k, _)| (n.as_str(), *k))
    }

    /// Keeps only the given elements (and no extras): for reading a file of
    /// which only some elements are needed.
    pub fn retain(&mut self, keep: &[Element]) {
        self.elements.retain(|(e, _)| keep.contains(e));
        self.extras.clear();
    }

    /// Keeps only the given elements and the named extras: for reading the
    /// register, whose compared extras recovery needs.
    pub(crate) fn retain_with_extras(&mut self, keep: &[Element], extras: &[&str]) {
        self.elements.retain(|(e, _)| keep.contains(e));
        self.extras.retain(|(n, _, _)| extras.contains(&n.as_str()));
    }

    /// Keeps only the given elements but all extras: for reading the agency
    /// side, whose extras go to the outputs.
    pub(crate) fn retain_elements(&mut self, keep: &[Element]) {
        self.elements.retain(|(e, _)| keep.contains(e));
    }

    /// Parses a date with the configured formats.
    pub fn parse_date(&self, s: &str) -> Option<NaiveDate> {
        let s = s.trim();
        // Fast path for the two commonest forms when configured.
        let b = s.as_bytes();
        let num = |r: core::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |a, &c| {
                c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() == 10 {
            let f = self.date_formats.first().map(String::as_str);
            if f == Some("%d-%m-%Y") && b[2] == b'-' && b[5] == b'-' {
                if let (Some(d), Some(m), Some(y)) = (num(0..2), num(3..5), num(6..10))
                    && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
                {
                    return Some(date);
                }
            } else if f == Some("%Y-%m-%d")
                && b[4] == b'-'
                && b[7] == b'-'
                && let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10))
                && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
            {
                return Some(date);
            }
        }
        self.date_formats
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
    }

    /// The text of `element` in a row as [`Binding::convert`] reads it
    /// (trimmed; several columns joined), without building a [`Record`]:
    /// `None` when no column maps to it. For the batch's register load.
    pub(crate) fn text_of<'f, S: AsRef<str>>(
        &self,
        element: Element,
        fields: &'f [S],
    ) -> Option<std::borrow::Cow<'f, str>> {
        let (_, cols) = self.elements.iter().find(|(e, _)| *e == element)?;
        Some(self.columns_text(cols, fields))
    }

    /// The text of an element's columns in a row: one column trimmed and
    /// borrowed (the usual case), several trimmed, the empty ones dropped,
    /// joined with the mapping's separator; missing trailing fields read
    /// as empty.
    fn columns_text<'f, S: AsRef<str>>(
        &self,
        cols: &[usize],
        fields: &'f [S],
    ) -> std::borrow::Cow<'f, str> {
        let get = |i: usize| fields.get(i).map(|s| s.as_ref()).unwrap_or("");
        if cols.len() == 1 {
            std::borrow::Cow::Borrowed(get(cols[0]).trim())
        } else {
            std::borrow::Cow::Owned(
                cols.iter()
                    .map(|&i| get(i).trim())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(&self.join),
            )
        }
    }

    /// [`Binding::convert`] without building a [`Record`]: the elements'
    /// texts borrowed from `fields` where possible, the parsed birth date,
    /// sex and status, and the same findings in the same order (appended
    /// to `findings`). Extras are only checked (a date extra that does not
    /// parse is a finding), not copied. For the batch's agency rows.
    pub(crate) fn convert_view<'f, S: AsRef<str>>(
        &self,
        fields: &'f [S],
        findings: &mut Vec<Finding>,
    ) -> RowView<'f> {
        let mut view = RowView::default();
        let get = |i: usize| fields.get(i).map(|s| s.as_ref()).unwrap_or("");
        for (e, cols) in &self.elements {
            let text = self.columns_text(cols, fields);
            // As `Record::set` stores it: trimmed, empty is `None`.
            let stored = match &text {
                std::borrow::Cow::Borrowed(t) => std::borrow::Cow::Borrowed(t.trim()),
                std::borrow::Cow::Owned(t) if t.trim().len() == t.len() => {
                    std::borrow::Cow::Owned(t.clone())
                }
                std::borrow::Cow::Owned(t) => std::borrow::Cow::Owned(t.trim().to_string()),
            };
            view.values[e.index()] = (!stored.is_empty()).then_some(stored);
            if text.is_empty() {
                continue;
            }
            let column = || {
                cols.iter()
                    .map(|&i| self.header[i].as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            };
            let failed = match e {
                Element::BirthDate => {
                    view.birth_date = self.parse_date(&text);
                    view.birth_date.is_none().then_some(Code::UnparseableDate)
                }
                Element::Sex => {
                    view.sex = self.parse_sex(&text);
                    view.sex.is_none().then_some(Code::UnknownSexCode)
                }
                Element::Status => {
                    view.status = self.parse_status(&text);
                    view.status.is_none().then_some(Code::UnknownStatusCode)
                }
                _ => None,
            };
            if let Some(code) = failed {
                findings.push(Finding {
                    code,
                    element: Some(*e),
                    column: column(),
                    value: text.into_owned(),
                });
            }
        }
        for (_, kind, i) in &self.extras {
            let v = get(*i).trim();
            if *kind == ExtraType::Date && !v.is_empty() && self.parse_date(v).is_none() {
                findings.push(Finding {
                    code: Code::UnparseableDate,
                    element: None,
                    column: self.header[*i].clone(),
                    value: v.to_string(),
                });
            }
        }
        view
    }

    /// The column of the first extra named `name`.
    pub(crate) fn extra_column(&self, name: &str) -> Option<usize> {
        self.extras
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, i)| *i)
    }

    /// A sex code as [`Binding::convert`] reads it (`None` when unknown).
    pub(crate) fn parse_sex(&self, text: &str) -> Option<Sex> {
        self.sex_codes
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(text))
            .map(|(_, s)| *s)
    }

    /// A status code as [`Binding::convert`] reads it (`None` when unknown).
    pub(crate) fn parse_status(&self, text: &str) -> Option<LifeStatus> {
        self.status_codes
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(text))
            .map(|(_, s)| *s)
    }

    /// Converts one row (missing trailing fields read as empty). Never
    /// fails: problems are returned as findings.
    pub fn convert<S: AsRef<str>>(&self, fields: &[S]) -> (Record, Vec<Finding>) {
        let mut findings = Vec::new();
        // The elements and every finding as the batch's borrowed view has
        // them; the record owns copies and adds the extras' values.
        let view = self.convert_view(fields, &mut findings);
        let mut rec = Record::default();
        for (e, _) in &self.elements {
            rec.set(*e, view.get(*e).unwrap_or(""));
        }
        rec.birth_date = view.birth_date;
        rec.sex = view.sex;
        rec.status = view.status;
        let get = |i: usize| fields.get(i).map(|s| s.as_ref()).unwrap_or("");
        for (name, kind, i) in &self.extras {
            let v = get(*i).trim();
            let extra = match kind {
                ExtraType::Id => Extra::Id(v.to_string()),
                ExtraType::Text => Extra::Text(v.to_string()),
                // An unparseable date stays as text (`convert_view` reported it).
                ExtraType::Date => match (v.is_empty(), self.parse_date(v)) {
                    (false, Some(d)) => Extra::Date(d),
                    _ => Extra::Text(v.to_string()),
                },
            };
            rec.extras.push((name.clone(), extra));
        }
        (rec, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dukcapil_headers_map_automatically() {
        let b = Mapping::dukcapil()
            .bind(&h(&[
                "ID_PELANGGAN",
                "nik",
                "NAMA_LGKP",
                "TGL_LHR",
                "JENIS_KLMIN",
                "CATATAN",
            ]))
            .unwrap();
        let (r, f) = b.convert(&[
            "PLG1",
            "3174015708900123",
            "SITI",
            "17-08-1990",
            "PEREMPUAN",
            "x",
        ]);
        assert!(f.is_empty());
        assert_eq!(r.get(Element::Nik), Some("3174015708900123"));
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1990, 8, 17));
        assert_eq!(r.sex, Some(Sex::Female));
        assert_eq!(
            r.extras[0],
            ("ID_PELANGGAN".into(), Extra::Id("PLG1".into()))
        );
        assert_eq!(r.extras[1], ("CATATAN".into(), Extra::Text("x".into())));
    }

    #[test]
    fn sex_code_tables() {
        let b = Mapping::dukcapil().bind(&h(&["JENIS_KLMIN"])).unwrap();
        for (v, s) in [
            ("L", Sex::Male),
            ("p", Sex::Female),
            ("Laki-Laki", Sex::Male),
            ("2", Sex::Female),
            ("M", Sex::Male),
            ("F", Sex::Female),
        ] {
            assert_eq!(b.convert(&[v]).0.sex, Some(s), "{v}");
        }
        let (r, f) = b.convert(&["X"]);
        assert_eq!(r.sex, None);
        assert_eq!(f[0].code, Code::UnknownSexCode);
        assert_eq!(f[0].column, "JENIS_KLMIN");
    }

    #[test]
    fn date_failures_are_findings() {
        let b = Mapping::dukcapil().bind(&h(&["TGL_LHR"])).unwrap();
        for ok in ["1990-08-17", "17/08/1990", "17.08.1990", " 17-08-1990 "] {
            assert_eq!(
                b.convert(&[ok]).0.birth_date,
                NaiveDate::from_ymd_opt(1990, 8, 17)
            );
        }
        for bad in ["31-02-1990", "17 Agustus 1990", "1990"] {
            let (r, f) = b.convert(&[bad]);
            assert_eq!(r.birth_date, None);
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].code, Code::UnparseableDate);
            assert_eq!(r.get(Element::BirthDate), Some(bad.trim()));
        }
        assert!(b.convert(&[""]).1.is_empty());
    }

    #[test]
    fn toml_mapping_joins_and_configures() {
        let m = Mapping::from_toml(
            r#"
delimiter = ";"
date_formats = ["%Y%m%d"]
[fields]
nik = "NOMOR"
name = ["DEPAN", "TENGAH", "BELAKANG"]
birth_date = "LAHIR"
[sex_codes]
"9" = "P"
[extras.tanggal_daftar]
column = "DAFTAR"
type = "date"
"#,
        )
        .unwrap();
        assert_eq!(m.delimiter_byte().unwrap(), b';');
        let b = m
            .bind(&h(&[
                "NOMOR",
                "DEPAN",
                "TENGAH",
                "BELAKANG",
                "LAHIR",
                "JENIS_KLMIN",
                "DAFTAR",
            ]))
            .unwrap();
        let (r, f) = b.convert(&["1", "SITI", "", "AMINAH", "19900817", "9", "20200101"]);
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(r.get(Element::Name), Some("SITI AMINAH"));
        assert_eq!(r.birth_date, NaiveDate::from_ymd_opt(1990, 8, 17));
        assert_eq!(r.sex, Some(Sex::Female));
        assert_eq!(
            r.extras,
            vec![(
                "tanggal_daftar".into(),
                Extra::Date(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap())
            )]
        );
        // A mapped column the file lacks is an error naming it.
        let e = m.bind(&h(&["NOMOR"])).unwrap_err();
        assert!(e.to_string().contains("DEPAN"), "{e}");
    }

    #[test]
    fn bad_toml_is_an_error_not_a_panic() {
        assert!(Mapping::from_toml("[fields]\nnot_an_element = \"X\"").is_err());
        assert!(Mapping::from_toml("[sex_codes]\nX = \"Q\"").is_err());
        assert!(Mapping::from_toml("delimiter = \";;\"").is_err());
        assert!(Mapping::from_toml("[[[").is_err());
    }

    #[test]
    fn short_rows_read_missing_fields_as_empty() {
        let b = Mapping::dukcapil().bind(&h(&["NIK", "NAMA_LGKP"])).unwrap();
        let (r, f) = b.convert(&["1"]);
        assert!(f.is_empty());
        assert_eq!(r.get(Element::Name), None);
    }
}
