//! Aggregates: the M-SINK table of event counts by category × region ×
//! period, as documents and as persons.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::EventsError;
use super::classify::{Event, EventKind, Region};
use super::diff::read_events;

/// Region level of an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Province (2 digits).
    Province,
    /// Regency/city (4 digits).
    Regency,
    /// District (6 digits).
    District,
    /// Village (10 digits).
    Village,
}

impl Level {
    /// Parses `province`, `regency`, `district` or `village` (also the
    /// Indonesian `provinsi`, `kabupaten`, `kecamatan`, `desa`/`kelurahan`).
    pub fn from_name(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "province" | "provinsi" | "prop" => Some(Level::Province),
            "regency" | "kabupaten" | "kota" | "kab" => Some(Level::Regency),
            "district" | "kecamatan" | "kec" => Some(Level::District),
            "village" | "desa" | "kelurahan" | "kel" => Some(Level::Village),
            _ => None,
        }
    }

    fn code(self, r: &Region) -> &str {
        match self {
            Level::Province => &r.province,
            Level::Regency => &r.regency,
            Level::District => &r.district,
            Level::Village => &r.village,
        }
    }
}

/// Period buckets of an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `YYYY-MM-DD`.
    Day,
    /// `YYYY-MM`.
    Month,
    /// `YYYY`.
    Year,
    /// One bucket `FROM..TO` (inclusive); events outside are not counted.
    Range(NaiveDate, NaiveDate),
}

impl Period {
    /// Parses `day`, `month`, `year` or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn from_name(s: &str) -> Option<Period> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" | "hari" => Some(Period::Day),
            "month" | "bulan" => Some(Period::Month),
            "year" | "tahun" => Some(Period::Year),
            t => {
                let (a, b) = t.split_once("..")?;
                Some(Period::Range(
                    a.trim().parse().ok()?,
                    b.trim().parse().ok()?,
                ))
            }
        }
    }

    fn bucket(self, d: NaiveDate) -> Option<String> {
        match self {
            Period::Day => Some(d.format("%Y-%m-%d").to_string()),
            Period::Month => Some(d.format("%Y-%m").to_string()),
            Period::Year => Some(d.format("%Y").to_string()),
            Period::Range(a, b) => (a <= d && d <= b).then(|| format!("{a}..{b}")),
        }
    }
}

/// M-SINK category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Births (`LAHIR`).
    Kelahiran,
    /// Deaths (`MATI`).
    Kematian,
    /// Marriages (`KAWIN`).
    Perkawinan,
    /// Divorces and widowhood (`CERAI_HIDUP`, `CERAI_MATI`).
    Perceraian,
    /// Moves out, at the origin region (`PINDAH`).
    Kepindahan,
    /// Arrivals, at the destination region (`PINDAH`, `DATANG`).
    Kedatangan,
    /// Data corrections (`UBAH_DATA`).
    PerubahanData,
    /// Removals (`HAPUS`).
    Penghapusan,
}

impl Category {
    /// The SCREAMING_SNAKE name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Kelahiran => "KELAHIRAN",
            Category::Kematian => "KEMATIAN",
            Category::Perkawinan => "PERKAWINAN",
            Category::Perceraian => "PERCERAIAN",
            Category::Kepindahan => "KEPINDAHAN",
            Category::Kedatangan => "KEDATANGAN",
            Category::PerubahanData => "PERUBAHAN_DATA",
            Category::Penghapusan => "PENGHAPUSAN",
        }
    }
}

/// Options of an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregateOptions {
    /// Region level.
    pub level: Level,
    /// Period buckets.
    pub period: Period,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AggregateRow {
    /// Period bucket.
    pub period: String,
    /// Region code at the level (empty when the events lack it).
    pub region: String,
    /// Category.
    pub category: Category,
    /// Documents: a family moving together (one new KK, one destination,
    /// one date) is one document; otherwise one per person.
    pub documents: u64,
    /// Persons.
    pub persons: u64,
}

/// The table, sorted by period, region and category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Aggregates {
    /// Events read.
    pub events: u64,
    /// Events inside the period (a range period skips the others).
    pub events_counted: u64,
    /// Rows.
    pub rows: Vec<AggregateRow>,
}

impl Aggregates {
    /// Writes the table as CSV (`PERIOD,REGION,CATEGORY,DOCUMENTS,PERSONS`).
    pub fn write_csv(&self, mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, "PERIOD,REGION,CATEGORY,DOCUMENTS,PERSONS")?;
        for r in &self.rows {
            writeln!(
                w,
                "{},{},{},{},{}",
                r.period,
                r.region,
                r.category.as_str(),
                r.documents,
                r.persons
            )?;
        }
        Ok(())
    }
}

/// Counts events by category × region level × period.
///
/// ```
/// use ktpel_core::events::{aggregate_events, AggregateOptions, Level, Period};
/// let a = aggregate_events(std::iter::empty(), AggregateOptions { level: Level::Province, period: Period::Month });
/// assert!(a.rows.is_empty());
/// ```
pub fn aggregate_events<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    opts: AggregateOptions,
) -> Aggregates {
    let mut acc = Acc::new(opts);
    for e in events {
        acc.add(e);
    }
    acc.finish()
}

type Cell = (String, String, Category);

struct Acc {
    opts: AggregateOptions,
    persons: BTreeMap<Cell, u64>,
    docs: BTreeMap<Cell, u64>,
    families: BTreeSet<(Cell, String, String)>,
    out: Aggregates,
}

impl Acc {
    fn new(opts: AggregateOptions) -> Acc {
        Acc {
            opts,
            persons: BTreeMap::new(),
            docs: BTreeMap::new(),
            families: BTreeSet::new(),
            out: Aggregates::default(),
        }
    }

    fn count(&mut self, period: &str, e: &Event, region: &Region, cat: Category, family: bool) {
        let key = (
            period.to_string(),
            self.opts.level.code(region).to_string(),
            cat,
        );
        *self.persons.entry(key.clone()).or_default() += 1;
        let doc = !family
            || e.no_kk.is_empty()
            || self.families.insert((
                key.clone(),
                e.no_kk.clone(),
                e.to.as_ref().map(|t| t.village.clone()).unwrap_or_default(),
            ));
        if doc {
            *self.docs.entry(key).or_default() += 1;
        }
    }

    fn add(&mut self, e: &Event) {
        self.out.events += 1;
        let Some(period) = self.opts.period.bucket(e.date) else {
            return;
        };
        self.out.events_counted += 1;
        let p = period.as_str();
        match e.kind {
            EventKind::Lahir => self.count(p, e, &e.region, Category::Kelahiran, false),
            EventKind::Mati => self.count(p, e, &e.region, Category::Kematian, false),
            EventKind::Kawin => self.count(p, e, &e.region, Category::Perkawinan, false),
            EventKind::CeraiHidup | EventKind::CeraiMati => {
                self.count(p, e, &e.region, Category::Perceraian, false)
            }
            EventKind::UbahData => self.count(p, e, &e.region, Category::PerubahanData, false),
            EventKind::Hapus => self.count(p, e, &e.region, Category::Penghapusan, false),
            EventKind::Datang => self.count(p, e, &e.region, Category::Kedatangan, true),
            EventKind::Pindah => {
                self.count(
                    p,
                    e,
                    e.from.as_ref().unwrap_or(&e.region),
                    Category::Kepindahan,
                    true,
                );
                self.count(
                    p,
                    e,
                    e.to.as_ref().unwrap_or(&e.region),
                    Category::Kedatangan,
                    true,
                );
            }
        }
    }

    fn finish(mut self) -> Aggregates {
        let docs = self.docs;
        self.out.rows = self
            .persons
            .into_iter()
            .map(|(k, p)| AggregateRow {
                documents: docs.get(&k).copied().unwrap_or(0),
                period: k.0,
                region: k.1,
                category: k.2,
                persons: p,
            })
            .collect();
        self.out
    }
}

/// [`aggregate_events`] over an events file (all events, or one agency's).
/// The events are streamed; memory grows with the number of table cells
/// and moving families, not with the events.
pub fn aggregate_file(path: &Path, opts: AggregateOptions) -> Result<Aggregates, EventsError> {
    let mut acc = Acc::new(opts);
    for e in read_events(path)? {
        acc.add(&e?);
    }
    Ok(acc.finish())
}
