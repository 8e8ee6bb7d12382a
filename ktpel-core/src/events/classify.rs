//! Classification of one NIK's old and new register rows into typed events.
//! Pure: only `alloc` and `chrono`, no I/O, so it can run anywhere.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Code;
use crate::matching::Element;

/// Type of a register change event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    /// A new NIK born within the period (TGL_LHR after `since`).
    Lahir,
    /// A new NIK not born within the period (arrival, late registration).
    Datang,
    /// STATUS became MATI.
    Mati,
    /// The region changed, or a new family card together with a new address.
    Pindah,
    /// STAT_KWN became KAWIN.
    Kawin,
    /// STAT_KWN KAWIN → CERAI HIDUP.
    CeraiHidup,
    /// STAT_KWN KAWIN → CERAI MATI.
    CeraiMati,
    /// Any other element changed (name correction, KK split, address within
    /// the village, occupation, religion …).
    UbahData,
    /// The NIK is gone from the later snapshot without a death.
    Hapus,
}

impl EventKind {
    /// Every kind, in the order of [`EventKind::as_str`] listings.
    pub const ALL: [EventKind; 9] = [
        EventKind::Lahir,
        EventKind::Datang,
        EventKind::Mati,
        EventKind::Pindah,
        EventKind::Kawin,
        EventKind::CeraiHidup,
        EventKind::CeraiMati,
        EventKind::UbahData,
        EventKind::Hapus,
    ];

    /// Stable name: `LAHIR`, `DATANG`, `MATI`, `PINDAH`, `KAWIN`,
    /// `CERAI_HIDUP`, `CERAI_MATI`, `UBAH_DATA`, `HAPUS`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Lahir => "LAHIR",
            EventKind::Datang => "DATANG",
            EventKind::Mati => "MATI",
            EventKind::Pindah => "PINDAH",
            EventKind::Kawin => "KAWIN",
            EventKind::CeraiHidup => "CERAI_HIDUP",
            EventKind::CeraiMati => "CERAI_MATI",
            EventKind::UbahData => "UBAH_DATA",
            EventKind::Hapus => "HAPUS",
        }
    }

    /// The kind with this name.
    pub fn from_name(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// One changed element: column name, value before, value after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Column name (Dukcapil element name such as `NO_KK`).
    pub element: String,
    /// Value in the old snapshot.
    pub old: String,
    /// Value in the new snapshot.
    pub new: String,
}

/// Region codes of a resident at every level (Kemendagri codes, e.g.
/// province `32`, regency `3202`, district `320234`, village `3202342001`).
/// Empty strings where the snapshot lacks the column.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Region {
    /// `NO_PROP`.
    pub province: String,
    /// `NO_PROP` + `NO_KAB`.
    pub regency: String,
    /// … + `NO_KEC`.
    pub district: String,
    /// … + `NO_KEL`.
    pub village: String,
}

/// One register change of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Deterministic id: the first 128 bits of SHA-256 over type, NIK, as-of
    /// date and the changed elements, as 32 lower-case hex digits.
    pub id: String,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The person.
    pub nik: String,
    /// As-of date of the new snapshot.
    pub as_of: NaiveDate,
    /// Date of the event as far as the snapshots tell: the birth date for
    /// `LAHIR`, the as-of date otherwise.
    pub date: NaiveDate,
    /// Family card number now (before, for `HAPUS`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub no_kk: String,
    /// Region now (before, for `HAPUS`).
    pub region: Region,
    /// `PINDAH`: region before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Region>,
    /// `PINDAH`: region after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Region>,
    /// Element-level before/after, in column order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// `LAHIR`/`DATANG`: the new row; `HAPUS`: the removed row.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub record: BTreeMap<String, String>,
}

/// Which snapshot an anomaly was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The old snapshot.
    Old,
    /// The new snapshot.
    New,
}

/// Something impossible or unreadable, reported instead of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    /// Stable code (`RESURRECTED`, `BIRTH_DATE_CHANGED`, …).
    pub code: Code,
    /// The NIK, when one could be read.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nik: String,
    /// The snapshot, when the anomaly is in one row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// 1-based line of the row in its file (0 when not from a file).
    #[serde(skip_serializing_if = "is_zero")]
    pub line: u64,
    /// The elements that changed, when the anomaly is a transition.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Where the elements the classification needs are in a snapshot's header.
#[derive(Debug, Clone)]
pub struct Layout {
    columns: Vec<String>,
    pos: [Option<usize>; Element::COUNT],
}

impl Layout {
    /// The layout of `header` (Dukcapil element names, case-insensitive;
    /// other columns are compared too and reported as `UBAH_DATA`). `None`
    /// when there is no NIK column.
    pub fn new<S: AsRef<str>>(header: &[S]) -> Option<Layout> {
        let columns: Vec<String> = header
            .iter()
            .map(|h| h.as_ref().trim().to_string())
            .collect();
        let mut pos = [None; Element::COUNT];
        for (i, c) in columns.iter().enumerate() {
            if let Some(e) = Element::from_dukcapil(c)
                && pos[e as usize].is_none()
            {
                pos[e as usize] = Some(i);
            }
        }
        pos[Element::Nik as usize]?;
        Some(Layout { columns, pos })
    }

    /// The column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Index of `element`'s column.
    pub fn position(&self, element: Element) -> Option<usize> {
        self.pos[element as usize]
    }

    /// Index of the NIK column.
    pub fn nik(&self) -> usize {
        self.pos[Element::Nik as usize].unwrap_or(0)
    }

    fn get<'a>(&self, row: &[&'a str], e: Element) -> &'a str {
        self.pos[e as usize]
            .and_then(|i| row.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// Region codes of a row at every level.
    pub fn region(&self, row: &[&str]) -> Region {
        let p = self.get(row, Element::Province);
        let k = self.get(row, Element::Regency);
        let d = self.get(row, Element::District);
        let v = self.get(row, Element::Village);
        let mut r = Region {
            province: p.to_string(),
            ..Region::default()
        };
        if !k.is_empty() {
            r.regency = [p, k].concat();
            if !d.is_empty() {
                r.district = [p, k, d].concat();
                if !v.is_empty() {
                    r.village = [p, k, d, v].concat();
                }
            }
        }
        r
    }

    /// The row as a column → value map.
    pub fn record(&self, row: &[&str]) -> BTreeMap<String, String> {
        self.columns
            .iter()
            .zip(row)
            .map(|(c, v)| (c.clone(), v.trim().to_string()))
            .collect()
    }
}

/// The events and anomalies of one NIK.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Events in a fixed order: MATI, marital, PINDAH, UBAH_DATA.
    pub events: Vec<Event>,
    /// Anomalies (then there are no events for the NIK).
    pub anomalies: Vec<Anomaly>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marital {
    Belum,
    Kawin,
    CeraiHidup,
    CeraiMati,
}

fn marital(s: &str) -> Option<Marital> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| {
            if c == '_' || c == '-' {
                ' '
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    match t.as_str() {
        "BELUM KAWIN" => Some(Marital::Belum),
        "KAWIN" | "KAWIN TERCATAT" | "KAWIN BELUM TERCATAT" => Some(Marital::Kawin),
        "CERAI HIDUP" => Some(Marital::CeraiHidup),
        "CERAI MATI" => Some(Marital::CeraiMati),
        _ => None,
    }
}

fn deceased(s: &str) -> Option<bool> {
    match s.trim().to_ascii_uppercase().as_str() {
        "HIDUP" | "H" | "1" => Some(false),
        "MATI" | "MENINGGAL" | "M" | "0" => Some(true),
        _ => None,
    }
}

/// Parses a birth date written `DD-MM-YYYY`, `DD/MM/YYYY` or `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    NaiveDate::parse_from_str(t, "%d-%m-%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

/// The birth date of a row, if readable.
pub(crate) fn birth_date(layout: &Layout, row: &[&str]) -> Option<NaiveDate> {
    parse_date(layout.get(row, Element::BirthDate))
}

/// Deterministic event id: SHA-256 over a version tag, type, NIK, as-of
/// date and the changes (or the record), truncated to 128 bits.
fn event_id(
    kind: EventKind,
    nik: &str,
    as_of: NaiveDate,
    changes: &[Change],
    record: &BTreeMap<String, String>,
) -> String {
    let mut m: Vec<u8> = Vec::with_capacity(256);
    let date = as_of.format("%Y-%m-%d").to_string();
    for part in [
        b"ktpel-event-v1".as_slice(),
        kind.as_str().as_bytes(),
        nik.as_bytes(),
        date.as_bytes(),
    ] {
        m.extend_from_slice(part);
        m.push(0);
    }
    for c in changes {
        for part in [&c.element, &c.old, &c.new] {
            m.extend_from_slice(part.as_bytes());
            m.push(0);
        }
    }
    for (k, v) in record {
        m.extend_from_slice(k.as_bytes());
        m.push(0);
        m.extend_from_slice(v.as_bytes());
        m.push(0);
    }
    let h = crate::crypto::sha256(&m);
    let mut s = String::with_capacity(32);
    for b in &h[..16] {
        s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    s
}

struct Ctx<'a> {
    layout: &'a Layout,
    nik: &'a str,
    as_of: NaiveDate,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        kind: EventKind,
        date: NaiveDate,
        row: &[&str],
        from: Option<Region>,
        to: Option<Region>,
        changes: Vec<Change>,
        record: BTreeMap<String, String>,
    ) -> Event {
        Event {
            id: event_id(kind, self.nik, self.as_of, &changes, &record),
            kind,
            nik: self.nik.to_string(),
            as_of: self.as_of,
            date,
            no_kk: self.layout.get(row, Element::NoKk).to_string(),
            region: self.layout.region(row),
            from,
            to,
            changes,
            record,
        }
    }
}

/// Classifies one NIK: `old`/`new` are its rows (aligned with the layout's
/// columns) in the old and new snapshot, `None` when absent. `since` is the
/// start of the period (a new NIK born after it is `LAHIR`, else `DATANG`),
/// `as_of` the date of the new snapshot.
///
/// Rules (docs/events.md): STATUS HIDUP→MATI is `MATI`; STAT_KWN transitions
/// are `KAWIN`/`CERAI_HIDUP`/`CERAI_MATI`, and a marriage or divorce that
/// changes STAT_HBKEL also carries the new NO_KK (the family split); a
/// changed region code, or a new NO_KK with a new address/RT/RW, is `PINDAH`
/// (with STAT_HBKEL when it changed); everything else is `UBAH_DATA`. A
/// changed birth date, a deceased resident alive again, or a marital status
/// going back to BELUM KAWIN is an anomaly and produces no event.
pub fn classify(
    layout: &Layout,
    old: Option<&[&str]>,
    new: Option<&[&str]>,
    since: NaiveDate,
    as_of: NaiveDate,
) -> Outcome {
    let mut out = Outcome::default();
    let row = match (old, new) {
        (_, Some(n)) | (Some(n), None) => n,
        (None, None) => return out,
    };
    let nik = layout.get(row, Element::Nik);
    let cx = Ctx { layout, nik, as_of };
    let (o, n) = match (old, new) {
        (None, Some(n)) => {
            let born = birth_date(layout, n);
            let (kind, date) = match born {
                Some(b) if b > since => (EventKind::Lahir, b),
                _ => (EventKind::Datang, as_of),
            };
            out.events
                .push(cx.event(kind, date, n, None, None, Vec::new(), layout.record(n)));
            return out;
        }
        (Some(o), None) => {
            out.events.push(cx.event(
                EventKind::Hapus,
                as_of,
                o,
                None,
                None,
                Vec::new(),
                layout.record(o),
            ));
            return out;
        }
        (Some(o), Some(n)) => (o, n),
        (None, None) => return out,
    };
    let ncol = layout.columns.len();
    fn val<'a>(r: &[&'a str], i: usize) -> &'a str {
        r.get(i).map(|s| s.trim()).unwrap_or("")
    }
    let changed: Vec<usize> = (0..ncol).filter(|&i| val(o, i) != val(n, i)).collect();
    if changed.is_empty() {
        return out;
    }
    // Compared trimmed (padding alone is no change), reported as written.
    let raw = |r: &[&str], i: usize| r.get(i).copied().unwrap_or("").to_string();
    let change_of = |i: usize| Change {
        element: layout.columns[i].clone(),
        old: raw(o, i),
        new: raw(n, i),
    };
    let anomaly = |code: Code| Anomaly {
        code,
        nik: nik.to_string(),
        side: None,
        line: 0,
        changes: changed.iter().map(|&i| change_of(i)).collect(),
    };
    let pos = |e: Element| layout.position(e);
    let is_changed = |e: Element| pos(e).is_some_and(|p| changed.contains(&p));
    if is_changed(Element::BirthDate) {
        out.anomalies.push(anomaly(Code::BirthDateChanged));
        return out;
    }
    let (d0, d1) = (
        deceased(layout.get(o, Element::Status)),
        deceased(layout.get(n, Element::Status)),
    );
    if d0 == Some(true) && d1 == Some(false) {
        out.anomalies.push(anomaly(Code::Resurrected));
        return out;
    }
    let marital_kind = if is_changed(Element::MaritalStatus) {
        let m0 = marital(layout.get(o, Element::MaritalStatus));
        let m1 = marital(layout.get(n, Element::MaritalStatus));
        match (m0, m1) {
            (Some(_), Some(Marital::Kawin)) => Some(EventKind::Kawin),
            (Some(Marital::Kawin), Some(Marital::CeraiHidup)) => Some(EventKind::CeraiHidup),
            (Some(Marital::Kawin), Some(Marital::CeraiMati)) => Some(EventKind::CeraiMati),
            // A correction between the two widowed/divorced states.
            (
                Some(Marital::CeraiHidup | Marital::CeraiMati),
                Some(Marital::CeraiHidup | Marital::CeraiMati),
            ) => None,
            _ => {
                out.anomalies
                    .push(anomaly(Code::ImpossibleMaritalTransition));
                return out;
            }
        }
    } else {
        None
    };
    let mut taken = vec![false; ncol];
    let take = |e: Element, taken: &mut Vec<bool>, list: &mut Vec<usize>| {
        if let Some(p) = pos(e)
            && changed.contains(&p)
            && !taken[p]
        {
            taken[p] = true;
            list.push(p);
        }
    };
    let finish = |mut cols: Vec<usize>| -> Vec<Change> {
        cols.sort_unstable();
        cols.into_iter().map(change_of).collect()
    };
    if d0 == Some(false) && d1 == Some(true) {
        let mut cols = Vec::new();
        take(Element::Status, &mut taken, &mut cols);
        out.events.push(cx.event(
            EventKind::Mati,
            as_of,
            n,
            None,
            None,
            finish(cols),
            BTreeMap::new(),
        ));
    }
    if let Some(kind) = marital_kind {
        let mut cols = Vec::new();
        take(Element::MaritalStatus, &mut taken, &mut cols);
        // Marriage or divorce that leaves a family card: new KK, new relation.
        if kind != EventKind::CeraiMati && is_changed(Element::FamilyRelation) {
            take(Element::FamilyRelation, &mut taken, &mut cols);
            take(Element::NoKk, &mut taken, &mut cols);
        }
        out.events
            .push(cx.event(kind, as_of, n, None, None, finish(cols), BTreeMap::new()));
    }
    let region_changed = [
        Element::Province,
        Element::Regency,
        Element::District,
        Element::Village,
    ]
    .into_iter()
    .any(is_changed);
    let address_changed = [Element::Address, Element::Rt, Element::Rw]
        .into_iter()
        .any(is_changed);
    let kk_free = pos(Element::NoKk).is_some_and(|p| changed.contains(&p) && !taken[p]);
    if region_changed || (kk_free && address_changed) {
        let mut cols = Vec::new();
        for e in [
            Element::NoKk,
            Element::Address,
            Element::Rt,
            Element::Rw,
            Element::Province,
            Element::Regency,
            Element::District,
            Element::Village,
            Element::FamilyRelation,
        ] {
            take(e, &mut taken, &mut cols);
        }
        let (from, to) = (layout.region(o), layout.region(n));
        out.events.push(cx.event(
            EventKind::Pindah,
            as_of,
            n,
            Some(from),
            Some(to),
            finish(cols),
            BTreeMap::new(),
        ));
    }
    let rest: Vec<usize> = changed.iter().copied().filter(|&p| !taken[p]).collect();
    if !rest.is_empty() {
        out.events.push(cx.event(
            EventKind::UbahData,
            as_of,
            n,
            None,
            None,
            finish(rest),
            BTreeMap::new(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The generator's register columns (io implies std, so `sample` is there).
    const H: [&str; 19] = crate::sample::REGISTER_HEADERS;
    const A: [&str; 19] = [
        "3202346509900001",
        "3202341001150001",
        "SITI AMINAH",
        "SUKABUMI",
        "25-09-1990",
        "PEREMPUAN",
        "ISLAM",
        "BELUM KAWIN",
        "ANAK",
        "KARYAWAN SWASTA",
        "JL. MAWAR NO. 1",
        "001",
        "002",
        "32",
        "02",
        "34",
        "2001",
        "ENOK",
        "HIDUP",
    ];

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn run(old: Option<&[&str]>, new: Option<&[&str]>) -> Outcome {
        let l = Layout::new(&H).unwrap();
        classify(&l, old, new, d("2022-11-30"), d("2023-11-30"))
    }

    fn with(changes: &[(usize, &'static str)]) -> [&'static str; 19] {
        let mut r = A;
        for &(i, v) in changes {
            r[i] = v;
        }
        r
    }

    fn kinds(o: &Outcome) -> Vec<(EventKind, Vec<String>)> {
        o.events
            .iter()
            .map(|e| {
                (
                    e.kind,
                    e.changes.iter().map(|c| c.element.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn unchanged_row_gives_nothing() {
        assert_eq!(run(Some(&A), Some(&A)), Outcome::default());
    }

    #[test]
    fn marriage_leaving_the_card_carries_the_new_kk() {
        let b = with(&[(1, "3202342005230001"), (7, "KAWIN"), (8, "ISTRI")]);
        let o = run(Some(&A), Some(&b));
        assert_eq!(
            kinds(&o),
            [(
                EventKind::Kawin,
                vec!["NO_KK".into(), "STAT_KWN".into(), "STAT_HBKEL".into()]
            )]
        );
    }

    #[test]
    fn marriage_plus_household_move_is_two_events() {
        let b = with(&[
            (1, "3202342005230001"),
            (7, "KAWIN"),
            (10, "JL. MELATI"),
            (16, "2002"),
        ]);
        let o = run(Some(&A), Some(&b));
        assert_eq!(kinds(&o)[0].0, EventKind::Kawin);
        assert_eq!(
            kinds(&o)[1],
            (
                EventKind::Pindah,
                vec!["NO_KK".into(), "ALAMAT".into(), "NO_KEL".into()]
            )
        );
        let p = &o.events[1];
        assert_eq!(p.from.as_ref().unwrap().village, "3202342001");
        assert_eq!(p.to.as_ref().unwrap().village, "3202342002");
    }

    #[test]
    fn move_within_the_village_with_a_new_card_is_pindah_but_address_alone_is_ubah_data() {
        let b = with(&[(1, "3202342005230001"), (10, "JL. MELATI"), (11, "005")]);
        assert_eq!(kinds(&run(Some(&A), Some(&b)))[0].0, EventKind::Pindah);
        let c = with(&[(10, "JL. MELATI NO. 2")]);
        assert_eq!(
            kinds(&run(Some(&A), Some(&c))),
            [(EventKind::UbahData, vec!["ALAMAT".into()])]
        );
        let k = with(&[(1, "3202342005230001")]);
        assert_eq!(kinds(&run(Some(&A), Some(&k)))[0].0, EventKind::UbahData);
    }

    #[test]
    fn death_and_anomalies() {
        let b = with(&[(18, "MATI")]);
        assert_eq!(
            kinds(&run(Some(&A), Some(&b))),
            [(EventKind::Mati, vec!["STATUS".into()])]
        );
        let o = run(Some(&b), Some(&A));
        assert!(o.events.is_empty());
        assert_eq!(o.anomalies[0].code, Code::Resurrected);
        let c = with(&[(4, "26-09-1990")]);
        assert_eq!(
            run(Some(&A), Some(&c)).anomalies[0].code,
            Code::BirthDateChanged
        );
        let k = with(&[(7, "KAWIN")]);
        let back = run(Some(&k), Some(&A));
        assert_eq!(back.anomalies[0].code, Code::ImpossibleMaritalTransition);
    }

    #[test]
    fn new_and_removed_niks() {
        let baby = with(&[(0, "3202346512230001"), (4, "25-12-2023")]);
        let o = run(None, Some(&baby));
        assert_eq!(o.events[0].kind, EventKind::Lahir);
        assert_eq!(o.events[0].date, d("2023-12-25"));
        assert_eq!(run(None, Some(&A)).events[0].kind, EventKind::Datang);
        let h = run(Some(&A), None);
        assert_eq!(h.events[0].kind, EventKind::Hapus);
        assert_eq!(h.events[0].record["NAMA_LGKP"], "SITI AMINAH");
    }

    #[test]
    fn padding_is_no_change_but_changed_values_are_reported_as_written() {
        let pad = with(&[(2, " SITI AMINAH ")]);
        assert_eq!(run(Some(&A), Some(&pad)), Outcome::default());
        let cut = with(&[(2, " AMINAH")]);
        assert_eq!(
            run(Some(&A), Some(&cut)).events[0].changes[0].new,
            " AMINAH"
        );
    }

    #[test]
    fn ids_are_deterministic_and_distinct() {
        let b = with(&[(2, "SITI AMINA")]);
        let x = run(Some(&A), Some(&b));
        let y = run(Some(&A), Some(&b));
        assert_eq!(x.events[0].id, y.events[0].id);
        assert_eq!(x.events[0].id.len(), 32);
        let c = with(&[(2, "SITI AMINAH S")]);
        assert_ne!(run(Some(&A), Some(&c)).events[0].id, x.events[0].id);
    }
}
