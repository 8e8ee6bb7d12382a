//! The Kemendagri region table: provinces, regencies/cities (kabupaten/kota),
//! districts (kecamatan) and villages (kelurahan/desa), embedded in the binary.
//!
//! The table is the union of six Kemendagri snapshots (2016, 2018, 2020, 2022,
//! 2023 after the Papua split, 2025 current; see `data/wilayah/SOURCE.md`).
//! A NIK keeps the district code under which it was first issued for life, so
//! a code that exists only in older snapshots is **historic**, not invalid;
//! where the code's new home can be derived (same name under the parent's
//! successor, as for 91.01 Merauke → 93.01 after the 2022 Papua split) it is
//! reported as the successor.
//!
//! ```
//! use ktpel_core::region::{self, RegionStatus};
//!
//! let r = region::lookup("31.74.01").unwrap();
//! assert_eq!(r.name, "Tebet");
//! assert_eq!(region::lookup("3174").unwrap().name, "Kota Administrasi Jakarta Selatan");
//!
//! // Merauke moved from Papua (91) to Papua Selatan (93) in 2022.
//! match region::status("91.01").unwrap() {
//!     RegionStatus::Historic { successor } => assert_eq!(successor.unwrap().to_string(), "93.01"),
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(region::to_bps("91.01").unwrap(), "9401");
//! ```

mod table;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::code::{Code, HasCode};

/// Errors of the region module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// The text is not a region code (wrong digits, grouping or structure).
    #[error("region code {input:?} is malformed: {reason}")]
    InvalidCode {
        /// The text given.
        input: String,
        /// Why it is not a region code.
        reason: &'static str,
    },
    /// Well-formed, but never issued by Kemendagri in any known snapshot.
    #[error("region code {code} was never issued (not in any Kemendagri snapshot 2016-2025)")]
    Unknown {
        /// The code, dotted.
        code: RegionCode,
    },
    /// No BPS ↔ Kemendagri correspondence is known for this code.
    #[error(
        "no BPS/Kemendagri correspondence for {input} (the bridge covers regencies and districts, 2020 codes)"
    )]
    NoBridge {
        /// The code given.
        input: String,
    },
}

impl HasCode for RegionError {
    fn code(&self) -> Code {
        match self {
            RegionError::InvalidCode { .. } => Code::InvalidRegionCode,
            RegionError::Unknown { .. } => Code::UnknownRegion,
            RegionError::NoBridge { .. } => Code::UnknownRegion,
        }
    }
}

/// Administrative level of a region code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    /// Provinsi — 2 digits, e.g. `31`.
    Province = 1,
    /// Kabupaten/kota — 4 digits, e.g. `31.74`.
    Regency = 2,
    /// Kecamatan — 6 digits, e.g. `31.74.01`.
    District = 3,
    /// Kelurahan/desa — 10 digits, e.g. `31.74.01.1001`.
    Village = 4,
}

impl Level {
    /// Number of digits of a code at this level.
    pub const fn digits(self) -> usize {
        match self {
            Level::Province => 2,
            Level::Regency => 4,
            Level::District => 6,
            Level::Village => 10,
        }
    }

    /// Stable upper-case name (`PROVINCE`, `REGENCY`, `DISTRICT`, `VILLAGE`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Province => "PROVINCE",
            Level::Regency => "REGENCY",
            Level::District => "DISTRICT",
            Level::Village => "VILLAGE",
        }
    }
}

/// A structurally valid Kemendagri region code (it may still be unknown).
///
/// Parsed from dotted (`31.74.01`) or plain (`317401`) digits. Display is the
/// dotted form; [`RegionCode::digits`] gives the plain form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode {
    level: Level,
    value: u64,
}

impl RegionCode {
    /// Parses a code with or without dots, checking the structural rules that
    /// hold even without the table: province 11–99, regency 01–99 but never
    /// 00 or 70 (01–69 are kabupaten, 71–99 kota), district never 00,
    /// village suffix never 0000.
    ///
    /// ```
    /// use ktpel_core::region::{Level, RegionCode};
    /// let c = RegionCode::parse("31.74.01").unwrap();
    /// assert_eq!(c.level(), Level::District);
    /// assert_eq!(c.digits(), "317401");
    /// assert!(RegionCode::parse("31.70").is_err()); // regency 70 never exists
    /// ```
    pub fn parse(input: &str) -> Result<RegionCode, RegionError> {
        let bad = |reason| RegionError::InvalidCode {
            input: input.into(),
            reason,
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(bad("empty"));
        }
        let mut digits = 0usize;
        let mut value = 0u64;
        let dotted = s.contains('.');
        for (i, part) in s.split('.').enumerate() {
            let want = if i == 3 { 4 } else { 2 };
            if dotted && part.len() != want {
                return Err(bad("dotted codes are grouped 2.2.2.4 (e.g. 31.74.01.1001)"));
            }
            for b in part.bytes() {
                if !b.is_ascii_digit() {
                    return Err(bad("only digits and dots are allowed"));
                }
                value = value * 10 + u64::from(b - b'0');
                digits += 1;
                if digits > 10 {
                    return Err(bad("too many digits (a village code has 10)"));
                }
            }
        }
        let level = match digits {
            2 => Level::Province,
            4 => Level::Regency,
            6 => Level::District,
            10 => Level::Village,
            _ => return Err(bad("a region code has 2, 4, 6 or 10 digits")),
        };
        let code = RegionCode { level, value };
        code.check_structure().map_err(bad)?;
        Ok(code)
    }

    /// Builds a code from its numeric value at a level (e.g. `317401` at
    /// [`Level::District`]), checking the structural rules.
    pub fn from_number(level: Level, value: u64) -> Result<RegionCode, RegionError> {
        let code = RegionCode { level, value };
        if value >= 10u64.pow(level.digits() as u32) {
            return Err(RegionError::InvalidCode {
                input: alloc::format!("{value}"),
                reason: "too many digits for the level",
            });
        }
        code.check_structure()
            .map_err(|reason| RegionError::InvalidCode {
                input: alloc::format!("{value}"),
                reason,
            })?;
        Ok(code)
    }

    fn check_structure(&self) -> Result<(), &'static str> {
        let p = self.province_number();
        if !(11..=99).contains(&p) {
            return Err("province codes run from 11 to 99");
        }
        if self.level >= Level::Regency {
            let r = self.regency_number() % 100;
            if r == 0 || r == 70 {
                return Err("regency 00 and 70 never exist (01-69 kabupaten, 71-99 kota)");
            }
        }
        if self.level >= Level::District && self.district_number() % 100 == 0 {
            return Err("district 00 never exists");
        }
        if self.level == Level::Village && self.value % 10_000 == 0 {
            return Err("village 0000 never exists");
        }
        Ok(())
    }

    /// The level of the code.
    pub const fn level(&self) -> Level {
        self.level
    }

    /// The numeric value without dots (`317401` for `31.74.01`).
    pub const fn number(&self) -> u64 {
        self.value
    }

    /// Plain digits without dots.
    pub fn digits(&self) -> String {
        alloc::format!("{:0width$}", self.value, width = self.level.digits())
    }

    fn prefix(&self, level: Level) -> u64 {
        self.value / 10u64.pow((self.level.digits() - level.digits()) as u32)
    }

    const fn province_number(&self) -> u64 {
        match self.level {
            Level::Province => self.value,
            Level::Regency => self.value / 100,
            Level::District => self.value / 10_000,
            Level::Village => self.value / 100_000_000,
        }
    }

    const fn regency_number(&self) -> u64 {
        match self.level {
            Level::Province => 0,
            Level::Regency => self.value,
            Level::District => self.value / 100,
            Level::Village => self.value / 1_000_000,
        }
    }

    const fn district_number(&self) -> u64 {
        match self.level {
            Level::Village => self.value / 10_000,
            _ => self.value,
        }
    }

    /// The enclosing code one level up (`None` for a province).
    pub fn parent(&self) -> Option<RegionCode> {
        let level = match self.level {
            Level::Province => return None,
            Level::Regency => Level::Province,
            Level::District => Level::Regency,
            Level::Village => Level::District,
        };
        Some(RegionCode {
            level,
            value: self.prefix(level),
        })
    }

    /// The code truncated to `level` (itself if already at or above it).
    pub fn ancestor(&self, level: Level) -> RegionCode {
        if level >= self.level {
            *self
        } else {
            RegionCode {
                level,
                value: self.prefix(level),
            }
        }
    }

    /// For a regency: `true` for a city (kota, 71–99), `false` for a kabupaten.
    pub fn is_city(&self) -> bool {
        self.level >= Level::Regency && self.regency_number() % 100 >= 71
    }

    /// Table key of this code (village keys use the district's index).
    fn key(&self) -> Option<u32> {
        match self.level {
            Level::Village => {
                let district = table::find(3, self.district_number() as u32)?;
                Some(((district as u32) << 16) | (self.value % 10_000) as u32)
            }
            _ => Some(self.value as u32),
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        let parts = [(0, 2), (2, 4), (4, 6), (6, 10)];
        for (i, &(a, b)) in parts.iter().enumerate() {
            if b > d.len() {
                break;
            }
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&d[a..b])?;
        }
        Ok(())
    }
}

impl core::str::FromStr for RegionCode {
    type Err = RegionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl serde::Serialize for RegionCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whether a code is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionStatus {
    /// In the current (2025) Kemendagri snapshot.
    Current,
    /// Issued in an earlier snapshot only; still valid in a NIK issued then.
    Historic {
        /// Where the region went, when it can be derived from the snapshots.
        successor: Option<RegionCode>,
    },
    /// Never issued.
    Unknown,
}

impl RegionStatus {
    /// `CURRENT`, `HISTORIC` or `UNKNOWN`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            RegionStatus::Current => "CURRENT",
            RegionStatus::Historic { .. } => "HISTORIC",
            RegionStatus::Unknown => "UNKNOWN",
        }
    }
}

/// One region of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The code.
    pub code: RegionCode,
    /// Name as spelled in the newest snapshot that has the code.
    pub name: &'static str,
    /// Current or historic.
    pub status: RegionStatus,
    /// Bit `i` set when the code is in snapshot `i` (see [`snapshot_years`]).
    pub snapshots: u8,
}

impl Region {
    /// Years of the snapshots that contain this code.
    pub fn years(&self) -> impl Iterator<Item = u16> + '_ {
        (0..table::N_SNAPSHOTS)
            .filter(|i| self.snapshots & (1 << i) != 0)
            .map(table::snapshot_year)
    }

    /// Whether the region is a kelurahan (village suffix 1xxx) rather than a
    /// desa (2xxx); `None` above the village level.
    pub fn is_kelurahan(&self) -> Option<bool> {
        (self.code.level == Level::Village).then_some(self.code.value % 10_000 / 1000 == 1)
    }
}

/// Years of the embedded snapshots, oldest first (the last one is current).
pub fn snapshot_years() -> Vec<u16> {
    (0..table::N_SNAPSHOTS).map(table::snapshot_year).collect()
}

/// Number of codes of `level` present in the snapshot of `year`.
pub fn count(level: Level, year: u16) -> Option<usize> {
    let i = (0..table::N_SNAPSHOTS).find(|&i| table::snapshot_year(i) == year)?;
    let lv = level as u8;
    Some(
        (0..table::entry_count(lv))
            .filter(|&e| table::entry(lv, e).2 & (1 << i) != 0)
            .count(),
    )
}

fn successor_of(code: &RegionCode) -> Option<RegionCode> {
    let (off, len) = table::SUCCESSORS;
    let n = len / table::SUCCESSOR_LEN;
    let want = (code.level as u8, code.value);
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let at = off + mid * table::SUCCESSOR_LEN;
        let k = (table::BLOB[at], table::u64_at(table::BLOB, at + 1));
        if k < want {
            lo = mid + 1;
        } else if k > want {
            hi = mid;
        } else {
            let to = table::u64_at(table::BLOB, at + 9);
            return Some(RegionCode {
                level: code.level,
                value: to,
            });
        }
    }
    None
}

fn region_at(code: RegionCode, index: usize) -> Region {
    let (_, name, mask) = table::entry(code.level as u8, index);
    let current = mask & (1 << (table::N_SNAPSHOTS - 1)) != 0;
    let status = if current {
        RegionStatus::Current
    } else {
        RegionStatus::Historic {
            successor: successor_of(&code),
        }
    };
    Region {
        code,
        name,
        status,
        snapshots: mask,
    }
}

/// Looks up a parsed code.
pub fn get(code: RegionCode) -> Option<Region> {
    let key = code.key()?;
    table::find(code.level as u8, key).map(|i| region_at(code, i))
}

/// Looks up a code given with or without dots.
pub fn lookup(code: &str) -> Result<Region, RegionError> {
    let code = RegionCode::parse(code)?;
    get(code).ok_or(RegionError::Unknown { code })
}

/// Current, historic (with successor) or unknown. Malformed codes are errors.
pub fn status(code: &str) -> Result<RegionStatus, RegionError> {
    let code = RegionCode::parse(code)?;
    Ok(get(code).map_or(RegionStatus::Unknown, |r| r.status))
}

/// The regions directly below `code` (historic ones included), in code order.
/// `None` lists the provinces.
pub fn children(code: Option<RegionCode>) -> Vec<Region> {
    let (level, lo_key, hi_key) = match code {
        None => (Level::Province, 0u32, 100u32),
        Some(c) => match c.level {
            Level::Province => (
                Level::Regency,
                c.value as u32 * 100,
                c.value as u32 * 100 + 100,
            ),
            Level::Regency => (
                Level::District,
                c.value as u32 * 100,
                c.value as u32 * 100 + 100,
            ),
            Level::District => match table::find(3, c.value as u32) {
                Some(d) => (Level::Village, (d as u32) << 16, ((d as u32) + 1) << 16),
                None => return Vec::new(),
            },
            Level::Village => return Vec::new(),
        },
    };
    let lv = level as u8;
    let mut out = Vec::new();
    let mut i = table::lower_bound(lv, lo_key);
    while i < table::entry_count(lv) {
        let (key, _, _) = table::entry(lv, i);
        if key >= hi_key {
            break;
        }
        let value = match level {
            Level::Village => code.map_or(0, |c| c.value) * 10_000 + u64::from(key & 0xffff),
            _ => u64::from(key),
        };
        out.push(region_at(RegionCode { level, value }, i));
        i += 1;
    }
    out
}

/// Upper-case ASCII letters and digits only, without the regency prefixes
/// (`KAB.`, `KABUPATEN`, `KOTA`, `KOTA ADMINISTRASI`), for name search.
pub fn normalize_region_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    for prefix in [
        "KABUPATEN ",
        "KAB ",
        "KOTA ADMINISTRASI ",
        "KOTA ADM ",
        "KOTA ",
    ] {
        if let Some(rest) = s.trim_start().strip_prefix(prefix) {
            s = rest.into();
            break;
        }
    }
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

/// Regions whose normalized name equals (or, with `prefix`, starts with) the
/// normalized `query`, optionally only at `level`. Exact matches first.
///
/// ```
/// use ktpel_core::region::{self, Level};
/// let hits = region::search("kota bandung", Some(Level::Regency), false);
/// assert_eq!(hits[0].code.to_string(), "32.73");
/// ```
pub fn search(query: &str, level: Option<Level>, prefix: bool) -> Vec<Region> {
    let q = normalize_region_name(query);
    if q.is_empty() {
        return Vec::new();
    }
    // "Kota Bandung" and "Kab. Bandung" are different regencies: honour the kind.
    let upper = query.trim().to_ascii_uppercase();
    let want_city = if upper.starts_with("KOTA") {
        Some(true)
    } else if upper.starts_with("KAB") {
        Some(false)
    } else {
        None
    };
    let mut out = Vec::new();
    let levels: &[Level] = match level {
        Some(ref l) => core::slice::from_ref(l),
        None => &[
            Level::Province,
            Level::Regency,
            Level::District,
            Level::Village,
        ],
    };
    for &lv in levels {
        let l = lv as u8;
        for i in 0..table::entry_count(l) {
            let (key, name, _) = table::entry(l, i);
            let n = normalize_region_name(name);
            let hit = if prefix { n.starts_with(&q) } else { n == q };
            let kind_ok = lv != Level::Regency || want_city.is_none_or(|c| (key % 100 >= 71) == c);
            if hit && kind_ok {
                let value = match lv {
                    Level::Village => {
                        let (dkey, _, _) = table::entry(3, (key >> 16) as usize);
                        u64::from(dkey) * 10_000 + u64::from(key & 0xffff)
                    }
                    _ => u64::from(key),
                };
                out.push(region_at(RegionCode { level: lv, value }, i));
            }
        }
    }
    out.sort_by_key(|r| (normalize_region_name(r.name) != q, r.code));
    out
}

/// Converts a Kemendagri regency (4 digits) or district (6 digits) code to
/// the BPS code (4 or 7 digits), using the 2020 BPS bridge. Provinces map
/// through their regencies (e.g. Kemendagri 91 Papua is BPS 94).
pub fn to_bps(code: &str) -> Result<String, RegionError> {
    let c = RegionCode::parse(code)?;
    let no = || RegionError::NoBridge { input: code.into() };
    match c.level {
        Level::Province => {
            let (sec, n) = (
                table::BPS_KAB_BY_DAGRI,
                table::pair_count(table::BPS_KAB_BY_DAGRI),
            );
            (0..n)
                .map(|i| table::pair(sec, i))
                .find(|(d, _)| u64::from(*d / 100) == c.value)
                .map(|(_, b)| alloc::format!("{:02}", b / 100))
                .ok_or_else(no)
        }
        Level::Regency => table::pair_lookup(table::BPS_KAB_BY_DAGRI, c.value as u32)
            .map(|b| alloc::format!("{b:04}"))
            .ok_or_else(no),
        Level::District => table::pair_lookup(table::BPS_KEC_BY_DAGRI, c.value as u32)
            .map(|b| alloc::format!("{b:07}"))
            .ok_or_else(no),
        Level::Village => Err(no()),
    }
}

/// Converts a BPS province (2 digits), regency (4) or district (7) code to the
/// Kemendagri code, dotted.
pub fn from_bps(code: &str) -> Result<RegionCode, RegionError> {
    let s: String = code.trim().chars().filter(|&c| c != '.').collect();
    let bad = || RegionError::InvalidCode {
        input: code.into(),
        reason: "a BPS code has 2, 4 or 7 digits",
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let v: u32 = s.parse().map_err(|_| bad())?;
    let no = || RegionError::NoBridge { input: code.into() };
    match s.len() {
        2 => {
            let (sec, n) = (
                table::BPS_KAB_BY_BPS,
                table::pair_count(table::BPS_KAB_BY_BPS),
            );
            (0..n)
                .map(|i| table::pair(sec, i))
                .find(|(b, _)| *b / 100 == v)
                .map(|(_, d)| RegionCode {
                    level: Level::Province,
                    value: u64::from(d / 100),
                })
                .ok_or_else(no)
        }
        4 => table::pair_lookup(table::BPS_KAB_BY_BPS, v)
            .map(|d| RegionCode {
                level: Level::Regency,
                value: u64::from(d),
            })
            .ok_or_else(no),
        7 => table::pair_lookup(table::BPS_KEC_BY_BPS, v)
            .map(|d| RegionCode {
                level: Level::District,
                value: u64::from(d),
            })
            .ok_or_else(no),
        _ => Err(bad()),
    }
}

/// Every current district (kecamatan) code, in code order; used by the
/// sample-data generator.
pub fn current_districts() -> Vec<RegionCode> {
    let cur = 1u8 << (table::N_SNAPSHOTS - 1);
    (0..table::entry_count(3))
        .map(|i| table::entry(3, i))
        .filter(|(_, _, m)| m & cur != 0)
        .map(|(k, _, _)| RegionCode {
            level: Level::District,
            value: u64::from(k),
        })
        .collect()
}

// ---- fast paths for NIK/KK validation (no allocation, O(1)) ----

/// Fast status of the region digits of a NIK/KK: `Ok(historic)` or the level
/// that is unknown.
#[inline]
pub(crate) fn check_nik_region(pp: u32, rr: u32, dd: u32) -> Result<bool, Level> {
    let p = table::province_status(pp);
    if p & table::EVER == 0 {
        return Err(Level::Province);
    }
    if rr == 0 || rr == 70 {
        return Err(Level::Regency);
    }
    let r = table::regency_status(pp * 100 + rr);
    if r & table::EVER == 0 {
        return Err(Level::Regency);
    }
    if dd == 0 {
        return Err(Level::District);
    }
    let d = table::district_status((pp * 100 + rr) * 100 + dd);
    if d & table::EVER == 0 {
        return Err(Level::District);
    }
    Ok((p & r & d & table::CURRENT) == 0)
}

/// Name of a district given as `PPRRDD`, if known.
pub(crate) fn district_name(pprrdd: u32) -> Option<&'static str> {
    table::find(3, pprrdd).map(|i| table::entry(3, i).1)
}

/// Name of a province or regency given as its number, if known.
pub(crate) fn name_of(level: Level, key: u32) -> Option<&'static str> {
    table::find(level as u8, key).map(|i| table::entry(level as u8, i).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_snapshot_match_the_source() {
        // data/wilayah/SOURCE.md, per snapshot: provinces, regencies, districts, villages.
        let expected: [(u16, [usize; 4]); 6] = [
            (2016, [34, 514, 7160, 83184]),
            (2018, [34, 514, 7201, 83436]),
            (2020, [34, 514, 7230, 83449]),
            (2022, [34, 514, 7266, 83467]),
            (2023, [37, 514, 7277, 83763]),
            (2025, [38, 514, 7285, 83762]),
        ];
        assert_eq!(snapshot_years(), [2016, 2018, 2020, 2022, 2023, 2025]);
        for (year, counts) in expected {
            for (lv, n) in [
                Level::Province,
                Level::Regency,
                Level::District,
                Level::Village,
            ]
            .into_iter()
            .zip(counts)
            {
                assert_eq!(count(lv, year), Some(n), "{year} {lv:?}");
            }
        }
        assert_eq!(count(Level::Province, 2019), None);
    }

    #[test]
    fn papua_split_successors() {
        for (old, new) in [
            ("91.01", "93.01"),
            ("91.02", "95.01"),
            ("91.04", "94.01"),
            ("92.71", "96.71"),
            ("92.01", "96.01"),
        ] {
            let r = lookup(old).unwrap();
            assert_eq!(
                r.status,
                RegionStatus::Historic {
                    successor: Some(RegionCode::parse(new).unwrap())
                },
                "{old}"
            );
            assert_eq!(lookup(new).unwrap().status, RegionStatus::Current);
        }
        // a district of Merauke follows its regency
        let merauke_district = children(Some(RegionCode::parse("91.01").unwrap()));
        assert!(!merauke_district.is_empty());
        for d in merauke_district {
            if let RegionStatus::Historic { successor: Some(s) } = d.status {
                assert!(s.to_string().starts_with("93.01."), "{} -> {}", d.code, s);
            }
        }
    }

    #[test]
    fn parse_and_display() {
        for (input, dotted, level) in [
            ("31", "31", Level::Province),
            ("3174", "31.74", Level::Regency),
            ("31.74.01", "31.74.01", Level::District),
            ("3174011001", "31.74.01.1001", Level::Village),
            (" 31.74.01.1001 ", "31.74.01.1001", Level::Village),
        ] {
            let c = RegionCode::parse(input).unwrap();
            assert_eq!(c.to_string(), dotted);
            assert_eq!(c.level(), level);
        }
        for bad in [
            "",
            "3",
            "317",
            "31.7401",
            "31.74.00",
            "31.00",
            "31.70",
            "10",
            "3a",
            "31.74.01.0000",
            "12345678901",
        ] {
            let e = RegionCode::parse(bad).unwrap_err();
            assert_eq!(e.code(), Code::InvalidRegionCode, "{bad}");
        }
        assert!(RegionCode::parse("31.71").unwrap().is_city());
        assert!(!RegionCode::parse("32.01").unwrap().is_city());
    }

    #[test]
    fn lookup_children_and_unknown() {
        assert_eq!(lookup("31").unwrap().name, "Daerah Khusus Ibukota Jakarta");
        let e = lookup("31.69").unwrap_err();
        assert_eq!(e.code(), Code::UnknownRegion);
        assert_eq!(status("31.69").unwrap(), RegionStatus::Unknown);
        let provs = children(None);
        assert_eq!(
            provs
                .iter()
                .filter(|r| r.status == RegionStatus::Current)
                .count(),
            38
        );
        let villages = children(Some(RegionCode::parse("31.74.01").unwrap()));
        assert!(
            villages
                .iter()
                .any(|v| v.name.eq_ignore_ascii_case("Tebet Barat"))
        );
        for v in &villages {
            assert_eq!(v.code.parent().unwrap().to_string(), "31.74.01");
            assert_eq!(get(v.code).unwrap().name, v.name);
        }
        let v = lookup("31.74.01.1001").unwrap();
        assert_eq!(v.is_kelurahan(), Some(true));
    }

    #[test]
    fn bps_bridge_both_ways() {
        assert_eq!(to_bps("91").unwrap(), "94");
        assert_eq!(from_bps("94").unwrap().to_string(), "91");
        assert_eq!(to_bps("11.09").unwrap(), "1101");
        assert_eq!(from_bps("1101").unwrap().to_string(), "11.09");
        assert_eq!(to_bps("11.09.07").unwrap(), "1101010");
        assert_eq!(from_bps("1101010").unwrap().to_string(), "11.09.07");
        assert_eq!(
            to_bps("11.09.07.2001").unwrap_err().code(),
            Code::UnknownRegion
        );
        assert_eq!(from_bps("12").unwrap().to_string(), "12");
        assert_eq!(from_bps("10").unwrap_err().code(), Code::UnknownRegion);
        assert_eq!(from_bps("x").unwrap_err().code(), Code::InvalidRegionCode);
        // every bridged regency round-trips
        for i in 0..table::pair_count(table::BPS_KAB_BY_DAGRI) {
            let (d, b) = table::pair(table::BPS_KAB_BY_DAGRI, i);
            assert_eq!(
                to_bps(&alloc::format!("{d}")).unwrap(),
                alloc::format!("{b:04}")
            );
            assert_eq!(
                from_bps(&alloc::format!("{b}")).unwrap().number(),
                u64::from(d)
            );
        }
    }

    #[test]
    fn search_by_name() {
        let hits = search("Merauke", Some(Level::Regency), false);
        let codes: Vec<String> = hits.iter().map(|r| r.code.to_string()).collect();
        assert_eq!(codes, ["91.01", "93.01"]);
        assert!(search("", None, false).is_empty());
        assert!(
            search("tebet", Some(Level::District), true)
                .iter()
                .any(|r| r.code.to_string() == "31.74.01")
        );
    }

    #[test]
    fn fast_path_agrees_with_lookup() {
        for d in current_districts().into_iter().step_by(7) {
            let v = d.number() as u32;
            assert_eq!(
                check_nik_region(v / 10_000, v / 100 % 100, v % 100),
                Ok(false),
                "{d}"
            );
        }
        assert_eq!(check_nik_region(91, 1, 1), Ok(true));
        assert_eq!(check_nik_region(10, 1, 1), Err(Level::Province));
        assert_eq!(check_nik_region(31, 70, 1), Err(Level::Regency));
        assert_eq!(check_nik_region(31, 74, 0), Err(Level::District));
        assert_eq!(check_nik_region(31, 74, 99), Err(Level::District));
    }
}
