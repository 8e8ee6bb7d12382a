//! Deterministic sample data: a population register, an agency dataset drawn
//! from it with labelled corruption, and a later snapshot of the register
//! with labelled changes — the inputs every ktpel benchmark and quality test
//! uses (pemadanan, NIK recovery, snapshot diff, events).
//!
//! Everything derives from [`Config::seed`] through the generator's own PRNG
//! (see `rng.rs`: output stays byte-identical across releases of any
//! dependency). Generation streams household by household; memory does not
//! grow with the population (serial counters take a fixed ~80 MB of lazily
//! touched pages at full scale).
//!
//! ```
//! use ktpel_core::sample::{self, Config};
//!
//! let cfg = Config { population: 1000, agency: 200, ..Config::default() };
//! let people: Vec<sample::Resident> = sample::population(&cfg).unwrap().collect::<Result<_, _>>().unwrap();
//! assert_eq!(people.len(), 1000);
//! // the same seed gives the same register
//! let again: Vec<sample::Resident> = sample::population(&cfg).unwrap().collect::<Result<_, _>>().unwrap();
//! assert_eq!(people, again);
//! // every NIK is consistent with the person's birth date and sex
//! for p in &people {
//!     assert_eq!(p.nik.birth_date(), p.birth_date);
//!     assert_eq!(p.nik.sex(), p.sex);
//! }
//! ```
//!
//! Files written by [`write_all`] (feature `io`) are described in
//! `docs/gen.md`.

mod agency;
mod changes;
mod household;
mod names;
mod rng;
mod serial;
mod world;
#[cfg(feature = "io")]
mod write;

use core::fmt;

use chrono::{Datelike, NaiveDate};

use crate::code::{Code, HasCode};
use crate::kk::Kk;
use crate::nik::{Nik, Sex};
use crate::region::{Level, RegionCode};

pub use agency::{
    AGENCY_ELEMENTS, AgencyRecord, AgencyRow, AgencyTruth, Corruption, SHUFFLE_BLOCK,
};
pub use changes::{Change, ChangeKind};
pub use household::{
    Dataset, ExpectedCounts, Generator, HouseholdOutput, Population, dataset, population,
};
pub use names::{MAX_NAME_LEN, muhammad_forms};
#[cfg(feature = "io")]
pub use write::{
    AGENCY_HEADERS, FILES, Sinks, Summary, TRUTH_AGENCY_HEADERS, TRUTH_CHANGES_HEADERS, write_all,
    write_to,
};

/// Errors of the generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// A configuration value is out of range.
    #[error("generator setting {field} is invalid: {reason}")]
    InvalidConfig {
        /// The setting (`population`, `later_as_of`, `corruption.typo`, …).
        field: &'static str,
        /// What is wrong and what is accepted.
        reason: String,
    },
    /// Writing an output file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// An internal invariant failed (a bug in ktpel).
    #[error("internal generator error: {0}")]
    Internal(&'static str),
}

impl HasCode for GenError {
    fn code(&self) -> Code {
        match self {
            GenError::InvalidConfig { .. } => Code::InvalidArgument,
            GenError::Io { .. } => Code::Io,
            GenError::Internal(_) => Code::Panic,
        }
    }
}

/// Probabilities of each agency-file corruption, per agency row, applied
/// only where the corruption is possible (a middle name can only be dropped
/// from a name of three words or more). Several can hit one row. With the
/// defaults about 60 % of agency rows are clean.
#[derive(Debug, Clone, PartialEq)]
pub struct CorruptionRates {
    /// One character edit in NAMA_LGKP (substitution, deletion, insertion, transposition).
    pub typo: f64,
    /// Pre-1972 spelling (U→OE, J→DJ, C→TJ, SY→SJ, NY→NJ, KH→CH).
    pub old_spelling: f64,
    /// Title or honorific added (`H.`, `IBU`, `DRS.`, `, S.PD` …).
    pub title_added: f64,
    /// Last word moved to the front.
    pub name_reordered: f64,
    /// A middle word dropped (names of ≥ 3 words).
    pub middle_name_dropped: f64,
    /// Another spelling of Muhammad (`MUH.`, `MOCH.`, `MOHAMAD` …), names that contain one.
    pub muhammad_variant: f64,
    /// Day and month exchanged in TGL_LHR (days ≤ 12 only).
    pub day_month_swap: f64,
    /// NIK with one or two digits changed or two adjacent digits exchanged.
    pub nik_wrong: f64,
    /// NIK mangled by a spreadsheet (`3.17401E+15`, or last digit zeroed).
    pub nik_spreadsheet: f64,
    /// An empty NIK, TGL_LHR, NAMA_LGKP_IBU or ALAMAT.
    pub missing_value: f64,
    /// Share of agency rows that repeat a person already in the file.
    pub duplicate: f64,
    /// Share of agency rows for synthetic people not in the register.
    pub not_in_register: f64,
}

impl Default for CorruptionRates {
    fn default() -> Self {
        CorruptionRates {
            typo: 0.10,
            old_spelling: 0.06,
            title_added: 0.06,
            name_reordered: 0.04,
            middle_name_dropped: 0.04,
            muhammad_variant: 0.30,
            day_month_swap: 0.08,
            nik_wrong: 0.04,
            nik_spreadsheet: 0.03,
            missing_value: 0.05,
            duplicate: 0.02,
            not_in_register: 0.03,
        }
    }
}

/// Yearly register change rates per resident, scaled to the period between
/// the two snapshots and to the generated population. Births, deaths and
/// moves are the 2022 Dukcapil figures (0.6 M, 1.6 M, 7.3 M of ~275 M); the
/// others are documented estimates (see each field).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRates {
    /// Births per resident per year: 0.6 M / 275 M.
    pub births: f64,
    /// Deaths per resident per year: 1.6 M / 275 M (age-weighted).
    pub deaths: f64,
    /// People moving per resident per year: 7.3 M / 275 M (70 % as whole
    /// households, 30 % as individuals leaving their KK).
    pub moves: f64,
    /// People newly arriving (not born in the period) per resident per year:
    /// 0.1 %, an estimate (returning migrant workers, late registration).
    pub arrivals: f64,
    /// People marrying per resident per year: 2 × 1.7 M marriages (BPS 2022)
    /// / 275 M.
    pub marriages: f64,
    /// People divorcing per resident per year: 2 × 0.516 M divorces (BPS
    /// 2022) / 275 M.
    pub divorces: f64,
    /// Data corrections (name spelling, occupation, religion, address in the
    /// same village) per resident per year: 1 %, an estimate.
    pub corrections: f64,
    /// Removals without death (duplicate records, emigration) per resident
    /// per year: 0.01 %, an estimate.
    pub removals: f64,
}

impl Default for ChangeRates {
    fn default() -> Self {
        ChangeRates {
            births: 0.6 / 275.0,
            deaths: 1.6 / 275.0,
            moves: 7.3 / 275.0,
            arrivals: 0.001,
            marriages: 2.0 * 1.7 / 275.0,
            divorces: 2.0 * 0.516 / 275.0,
            corrections: 0.01,
            removals: 0.0001,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Seed of every random choice.
    pub seed: u64,
    /// Rows of the register at [`Config::as_of`] (living and deceased).
    pub population: usize,
    /// Rows of the agency file (exact), including duplicates and people not
    /// in the register; 0 for none.
    pub agency: usize,
    /// As-of date of the register (default 2022-11-30); also the NIK
    /// reference date.
    pub as_of: NaiveDate,
    /// As-of date of the later snapshot (default 2023-11-30).
    pub later_as_of: NaiveDate,
    /// Approximate share of register rows with STATUS = MATI (default 3 %),
    /// weighted to older people.
    pub deceased_fraction: f64,
    /// Agency-file corruption rates.
    pub corruption: CorruptionRates,
    /// Register change rates for the later snapshot.
    pub changes: ChangeRates,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 1,
            population: 10_000,
            agency: 1_000,
            as_of: NaiveDate::from_ymd_opt(2022, 11, 30).unwrap_or_default(),
            later_as_of: NaiveDate::from_ymd_opt(2023, 11, 30).unwrap_or_default(),
            deceased_fraction: 0.03,
            corruption: CorruptionRates::default(),
            changes: ChangeRates::default(),
        }
    }
}

impl Config {
    /// Checks ranges; every generator entry point calls it.
    pub fn validate(&self) -> Result<(), GenError> {
        let bad = |field, reason: &str| {
            Err(GenError::InvalidConfig {
                field,
                reason: reason.to_string(),
            })
        };
        if self.population == 0 {
            return bad("population", "must be at least 1");
        }
        if self.population > 2_000_000_000 {
            return bad("population", "must be at most 2,000,000,000");
        }
        if self.as_of.year() < 2010 || self.as_of.year() > 2090 {
            return bad("as_of", "must lie in 2010-2090");
        }
        if self.later_as_of <= self.as_of {
            return bad("later_as_of", "must be after as_of");
        }
        if (self.later_as_of - self.as_of).num_days() > 3660 {
            return bad("later_as_of", "must be at most 10 years after as_of");
        }
        let c = &self.corruption;
        let r = &self.changes;
        let all: [(&'static str, f64); 21] = [
            ("deceased_fraction", self.deceased_fraction),
            ("corruption.typo", c.typo),
            ("corruption.old_spelling", c.old_spelling),
            ("corruption.title_added", c.title_added),
            ("corruption.name_reordered", c.name_reordered),
            ("corruption.middle_name_dropped", c.middle_name_dropped),
            ("corruption.muhammad_variant", c.muhammad_variant),
            ("corruption.day_month_swap", c.day_month_swap),
            ("corruption.nik_wrong", c.nik_wrong),
            ("corruption.nik_spreadsheet", c.nik_spreadsheet),
            ("corruption.missing_value", c.missing_value),
            ("corruption.duplicate", c.duplicate),
            ("corruption.not_in_register", c.not_in_register),
            ("changes.births", r.births),
            ("changes.deaths", r.deaths),
            ("changes.moves", r.moves),
            ("changes.arrivals", r.arrivals),
            ("changes.marriages", r.marriages),
            ("changes.divorces", r.divorces),
            ("changes.corrections", r.corrections),
            ("changes.removals", r.removals),
        ];
        for (field, v) in all {
            if !(0.0..=1.0).contains(&v) {
                return bad(field, "must be a probability between 0 and 1");
            }
        }
        if self.deceased_fraction > 0.5 {
            return bad("deceased_fraction", "must be at most 0.5");
        }
        if c.duplicate + c.not_in_register > 0.9 {
            return bad(
                "corruption.duplicate",
                "duplicate + not_in_register must stay below 0.9",
            );
        }
        Ok(())
    }

    /// Length of the period between the snapshots in years (365.25 days).
    pub fn period_years(&self) -> f64 {
        (self.later_as_of - self.as_of).num_days() as f64 / 365.25
    }
}

/// AGAMA, with the register's spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Religion {
    /// ISLAM
    Islam,
    /// KRISTEN (Protestant)
    Kristen,
    /// KATHOLIK
    Katholik,
    /// HINDU
    Hindu,
    /// BUDHA
    Budha,
    /// KHONGHUCU
    Khonghucu,
    /// KEPERCAYAAN (kepercayaan terhadap Tuhan YME)
    Kepercayaan,
}

impl Religion {
    /// All, in register code order.
    pub const ALL: [Religion; 7] = [
        Religion::Islam,
        Religion::Kristen,
        Religion::Katholik,
        Religion::Hindu,
        Religion::Budha,
        Religion::Khonghucu,
        Religion::Kepercayaan,
    ];
    /// Register spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Religion::Islam => "ISLAM",
            Religion::Kristen => "KRISTEN",
            Religion::Katholik => "KATHOLIK",
            Religion::Hindu => "HINDU",
            Religion::Budha => "BUDHA",
            Religion::Khonghucu => "KHONGHUCU",
            Religion::Kepercayaan => "KEPERCAYAAN",
        }
    }
}

/// STAT_KWN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaritalStatus {
    /// BELUM KAWIN
    BelumKawin,
    /// KAWIN
    Kawin,
    /// CERAI HIDUP (divorced)
    CeraiHidup,
    /// CERAI MATI (widowed)
    CeraiMati,
}

impl MaritalStatus {
    /// Register spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            MaritalStatus::BelumKawin => "BELUM KAWIN",
            MaritalStatus::Kawin => "KAWIN",
            MaritalStatus::CeraiHidup => "CERAI HIDUP",
            MaritalStatus::CeraiMati => "CERAI MATI",
        }
    }
}

/// STAT_HBKEL (relation to the head of the family card).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FamilyRelation {
    /// KEPALA KELUARGA
    KepalaKeluarga,
    /// SUAMI
    Suami,
    /// ISTRI
    Istri,
    /// ANAK
    Anak,
    /// MENANTU
    Menantu,
    /// CUCU
    Cucu,
    /// ORANG TUA
    OrangTua,
    /// MERTUA
    Mertua,
    /// FAMILI LAIN
    FamiliLain,
}

impl FamilyRelation {
    /// Register spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            FamilyRelation::KepalaKeluarga => "KEPALA KELUARGA",
            FamilyRelation::Suami => "SUAMI",
            FamilyRelation::Istri => "ISTRI",
            FamilyRelation::Anak => "ANAK",
            FamilyRelation::Menantu => "MENANTU",
            FamilyRelation::Cucu => "CUCU",
            FamilyRelation::OrangTua => "ORANG TUA",
            FamilyRelation::Mertua => "MERTUA",
            FamilyRelation::FamiliLain => "FAMILI LAIN",
        }
    }
}

/// STATUS: living or deceased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifeStatus {
    /// HIDUP
    Hidup,
    /// MATI
    Mati,
}

impl LifeStatus {
    /// Register spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            LifeStatus::Hidup => "HIDUP",
            LifeStatus::Mati => "MATI",
        }
    }
}

/// JENIS_KLMIN spelling of a sex.
pub const fn sex_str(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "LAKI-LAKI",
        Sex::Female => "PEREMPUAN",
    }
}

/// The register elements written to `population*.csv`, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Element {
    Nik,
    NoKk,
    NamaLgkp,
    TmptLhr,
    TglLhr,
    JenisKlmin,
    Agama,
    StatKwn,
    StatHbkel,
    JenisPkrjn,
    Alamat,
    NoRt,
    NoRw,
    NoProp,
    NoKab,
    NoKec,
    NoKel,
    NamaLgkpIbu,
    Status,
}

impl Element {
    /// Every element in column order.
    pub const ALL: [Element; 19] = [
        Element::Nik,
        Element::NoKk,
        Element::NamaLgkp,
        Element::TmptLhr,
        Element::TglLhr,
        Element::JenisKlmin,
        Element::Agama,
        Element::StatKwn,
        Element::StatHbkel,
        Element::JenisPkrjn,
        Element::Alamat,
        Element::NoRt,
        Element::NoRw,
        Element::NoProp,
        Element::NoKab,
        Element::NoKec,
        Element::NoKel,
        Element::NamaLgkpIbu,
        Element::Status,
    ];

    /// The Dukcapil element name (CSV header).
    pub const fn as_str(self) -> &'static str {
        REGISTER_HEADERS[self as usize]
    }

    /// The element with this header name.
    pub fn from_name(name: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Column headers of `population.csv` and `population_later.csv`.
pub const REGISTER_HEADERS: [&str; 19] = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "TMPT_LHR",
    "TGL_LHR",
    "JENIS_KLMIN",
    "AGAMA",
    "STAT_KWN",
    "STAT_HBKEL",
    "JENIS_PKRJN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "NAMA_LGKP_IBU",
    "STATUS",
];

/// One register row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident {
    /// NIK (district of first issue, birth date, sex, serial).
    pub nik: Nik,
    /// Family card number of the household.
    pub no_kk: Kk,
    /// NAMA_LGKP, upper case, at most [`MAX_NAME_LEN`] bytes.
    pub name: String,
    /// TMPT_LHR (regency name, upper case).
    pub birth_place: &'static str,
    /// TGL_LHR.
    pub birth_date: NaiveDate,
    /// JENIS_KLMIN.
    pub sex: Sex,
    /// AGAMA.
    pub religion: Religion,
    /// STAT_KWN.
    pub marital_status: MaritalStatus,
    /// STAT_HBKEL.
    pub relation: FamilyRelation,
    /// JENIS_PKRJN (Dukcapil occupation list spelling).
    pub occupation: &'static str,
    /// ALAMAT (street / hamlet; no RT/RW, they have their own columns).
    pub address: String,
    /// NO_RT (1-999).
    pub rt: u16,
    /// NO_RW (1-999).
    pub rw: u16,
    /// Village (kelurahan/desa) of residence; NO_PROP/NO_KAB/NO_KEC/NO_KEL.
    pub village: RegionCode,
    /// NAMA_LGKP_IBU.
    pub mother_name: String,
    /// STATUS.
    pub status: LifeStatus,
}

/// Formats a date as the register's `DD-MM-YYYY`.
pub fn format_date(d: NaiveDate) -> String {
    let mut b = [0u8; 10];
    write_date(&mut b, d);
    String::from_utf8_lossy(&b).into_owned()
}

fn write_digits(out: &mut [u8], mut v: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

fn write_date(b: &mut [u8; 10], d: NaiveDate) {
    write_digits(&mut b[0..2], u64::from(d.day()));
    b[2] = b'-';
    write_digits(&mut b[3..5], u64::from(d.month()));
    b[5] = b'-';
    write_digits(&mut b[6..10], d.year().max(0) as u64);
}

/// Text of every column of a [`Resident`], formatted without allocating.
pub struct Fields<'a> {
    r: &'a Resident,
    /// `DD-MM-YYYY` (0..10), RT (10..13), RW (13..16), village code (16..26).
    buf: [u8; 26],
}

impl Resident {
    /// The row's column texts.
    pub fn fields(&self) -> Fields<'_> {
        let mut buf = [0u8; 26];
        let mut date = [0u8; 10];
        write_date(&mut date, self.birth_date);
        buf[..10].copy_from_slice(&date);
        write_digits(&mut buf[10..13], u64::from(self.rt));
        write_digits(&mut buf[13..16], u64::from(self.rw));
        write_digits(
            &mut buf[16..26],
            self.village.ancestor(Level::Village).number(),
        );
        Fields { r: self, buf }
    }

    /// Age in whole years on `at`.
    pub fn age_on(&self, at: NaiveDate) -> i32 {
        age_on(self.birth_date, at)
    }
}

pub(crate) fn age_on(birth: NaiveDate, at: NaiveDate) -> i32 {
    let mut a = at.year() - birth.year();
    if (at.month(), at.day()) < (birth.month(), birth.day()) {
        a -= 1;
    }
    a
}

impl Fields<'_> {
    /// Text of one element (`TGL_LHR` as `DD-MM-YYYY`, codes zero-padded:
    /// NO_PROP 2, NO_KAB 2, NO_KEC 2, NO_KEL 4 digits, NO_RT/NO_RW 3 digits).
    pub fn get(&self, e: Element) -> &str {
        let b = core::str::from_utf8(&self.buf).unwrap_or("");
        self.get_in(b, e)
    }

    fn get_in<'s>(&'s self, b: &'s str, e: Element) -> &'s str {
        let r = self.r;
        let s = |range: core::ops::Range<usize>| b.get(range).unwrap_or("");
        match e {
            Element::Nik => r.nik.as_str(),
            Element::NoKk => r.no_kk.as_str(),
            Element::NamaLgkp => &r.name,
            Element::TmptLhr => r.birth_place,
            Element::TglLhr => s(0..10),
            Element::JenisKlmin => sex_str(r.sex),
            Element::Agama => r.religion.as_str(),
            Element::StatKwn => r.marital_status.as_str(),
            Element::StatHbkel => r.relation.as_str(),
            Element::JenisPkrjn => r.occupation,
            Element::Alamat => &r.address,
            Element::NoRt => s(10..13),
            Element::NoRw => s(13..16),
            Element::NoProp => s(16..18),
            Element::NoKab => s(18..20),
            Element::NoKec => s(20..22),
            Element::NoKel => s(22..26),
            Element::NamaLgkpIbu => &r.mother_name,
            Element::Status => r.status.as_str(),
        }
    }

    /// All 19 columns in [`REGISTER_HEADERS`] order.
    pub fn array(&self) -> [&str; 19] {
        let b = core::str::from_utf8(&self.buf).unwrap_or("");
        Element::ALL.map(|e| self.get_in(b, e))
    }
}
