//! Subscriptions: which agency receives which events and elements. Routing
//! reads the events once, whatever the number of agencies.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::EventsError;
use super::classify::{Anomaly, Event, EventKind};
use super::diff::{EventSink, open, read_events, split_fields};
use crate::csvio::RecordReader;

const MULTI: u32 = 1 << 31;

/// One agency's subscription.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Name; the agency's events go to `<name>.jsonl`.
    pub name: String,
    /// The NIKs it serves, inline.
    #[serde(default)]
    pub niks: Vec<String>,
    /// A CSV file (first row a header with a `NIK` column, e.g. the matched
    /// rows of `ktpel match`) with more NIKs; relative to the TOML file.
    /// Without `niks` and `niks_file` the agency receives every NIK (a
    /// regional government scoped by `regions`).
    #[serde(default)]
    pub niks_file: Option<PathBuf>,
    /// Elements it may receive (Dukcapil names); `"*"` for all. Changes
    /// and record values of other elements are removed.
    pub elements: Vec<String>,
    /// Event types it receives (default: all).
    #[serde(default)]
    pub types: Vec<String>,
    /// Region code prefixes (`"32"`, `"3273"`); an event is in scope when
    /// its region, or for `PINDAH` its origin or destination, starts with one.
    #[serde(default)]
    pub regions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File_ {
    #[serde(default)]
    agency: Vec<Agency>,
}

/// Parsed subscriptions with a NIK index for one-pass routing.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    agencies: Vec<Agency>,
    kinds: Vec<Option<Vec<EventKind>>>,
    /// NIK → one agency index, or `MULTI | i` for `multi[i]` (most NIKs
    /// have one subscriber: 16 bytes an entry instead of a `Vec` each).
    by_nik: HashMap<u64, u32>,
    multi: Vec<Vec<u32>>,
    every_nik: Vec<u32>,
}

fn nik_number(s: &str) -> Option<u64> {
    let t = s.trim();
    (t.len() == 16 && t.bytes().all(|c| c.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

impl Subscriptions {
    /// Parses a subscriptions TOML (see docs/events.md); `base` resolves
    /// relative `niks_file` paths.
    ///
    /// ```
    /// let s = ktpel_core::events::Subscriptions::from_toml(r#"
    /// [[agency]]
    /// name = "bpjs"
    /// niks = ["3201010101900001"]
    /// elements = ["STATUS"]
    /// "#, None).unwrap();
    /// assert_eq!(s.agencies()[0].name, "bpjs");
    /// ```
    pub fn from_toml(text: &str, base: Option<&Path>) -> Result<Subscriptions, EventsError> {
        let f: File_ =
            toml::from_str(text).map_err(|e| EventsError::Subscriptions(e.to_string()))?;
        Subscriptions::new(f.agency, base)
    }

    /// Reads a subscriptions TOML file.
    pub fn load(path: &Path) -> Result<Subscriptions, EventsError> {
        let text = std::fs::read_to_string(path).map_err(|e| EventsError::io(path, e))?;
        Subscriptions::from_toml(&text, path.parent())
    }

    /// Builds the index from agencies.
    pub fn new(agencies: Vec<Agency>, base: Option<&Path>) -> Result<Subscriptions, EventsError> {
        let mut by_nik: HashMap<u64, u32> = HashMap::new();
        let mut multi: Vec<Vec<u32>> = Vec::new();
        let mut every_nik = Vec::new();
        let mut kinds = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, a) in agencies.iter().enumerate() {
            let i = i as u32;
            if a.name.is_empty()
                || !a
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(EventsError::Subscriptions(format!(
                    "agency name {:?} must be letters, digits, - or _ (it names the output file)",
                    a.name
                )));
            }
            if !names.insert(a.name.clone()) {
                return Err(EventsError::Subscriptions(format!(
                    "agency {:?} is listed twice",
                    a.name
                )));
            }
            let mut add = |s: &str| -> Result<(), EventsError> {
                let n = nik_number(s).ok_or_else(|| {
                    EventsError::Subscriptions(format!(
                        "agency {:?}: {s:?} is not a 16-digit NIK",
                        a.name
                    ))
                })?;
                match by_nik.get(&n).copied() {
                    None => {
                        by_nik.insert(n, i);
                    }
                    Some(j) if j == i => {}
                    Some(j) if j & MULTI == 0 => {
                        by_nik.insert(n, MULTI | multi.len() as u32);
                        multi.push(vec![j, i]);
                    }
                    Some(j) => {
                        let v = &mut multi[(j & !MULTI) as usize];
                        if v.last() != Some(&i) {
                            v.push(i);
                        }
                    }
                }
                Ok(())
            };
            for n in &a.niks {
                add(n)?;
            }
            if let Some(f) = &a.niks_file {
                let p = base.map(|b| b.join(f)).unwrap_or_else(|| f.clone());
                let mut r = RecordReader::new(open(&p)?, b',');
                let mut col = None;
                while let Some(rec) = r.next_record().map_err(|e| EventsError::io(&p, e))? {
                    let fields = split_fields(&rec.bytes, b',');
                    match col {
                        None => {
                            col = Some(
                                fields
                                    .iter()
                                    .position(|h| h.trim().eq_ignore_ascii_case("NIK"))
                                    .ok_or_else(|| {
                                        EventsError::Subscriptions(format!(
                                            "{} has no NIK column",
                                            p.display()
                                        ))
                                    })?,
                            )
                        }
                        Some(c) => {
                            // Rows without a valid NIK (unmatched rows) are not subscribed.
                            if let Some(v) = fields.get(c)
                                && nik_number(v).is_some()
                            {
                                add(v)?;
                            }
                        }
                    }
                }
            }
            if a.niks.is_empty() && a.niks_file.is_none() {
                every_nik.push(i);
            }
            if a.elements.is_empty() {
                return Err(EventsError::Subscriptions(format!(
                    "agency {:?} lists no elements; list the elements its agreement allows, or \"*\"",
                    a.name
                )));
            }
            let k = if a.types.is_empty() {
                None
            } else {
                Some(
                    a.types
                        .iter()
                        .map(|t| {
                            EventKind::from_name(t).ok_or_else(|| {
                                EventsError::Subscriptions(format!(
                                    "agency {:?}: unknown event type {t:?}",
                                    a.name
                                ))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                )
            };
            kinds.push(k);
        }
        Ok(Subscriptions {
            agencies,
            kinds,
            by_nik,
            multi,
            every_nik,
        })
    }

    /// The agencies, in file order.
    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    /// The copies of `event` each agency receives: `(agency index, event
    /// with disallowed elements removed)`. An `UBAH_DATA` event with no
    /// allowed element left is not delivered.
    pub fn route(&self, event: &Event) -> Vec<(usize, Event)> {
        let mut out = Vec::new();
        let listed: &[u32] = match nik_number(&event.nik).and_then(|n| self.by_nik.get(&n)) {
            None => &[],
            Some(j) if j & MULTI == 0 => core::slice::from_ref(j),
            Some(j) => &self.multi[(j & !MULTI) as usize],
        };
        let candidates = listed.iter().chain(self.every_nik.iter());
        for &i in candidates {
            let i = i as usize;
            let a = &self.agencies[i];
            if let Some(k) = &self.kinds[i]
                && !k.contains(&event.kind)
            {
                continue;
            }
            if !a.regions.is_empty() {
                let regions = [Some(&event.region), event.from.as_ref(), event.to.as_ref()];
                let inside = regions.into_iter().flatten().any(|r| {
                    let code = [&r.village, &r.district, &r.regency, &r.province]
                        .into_iter()
                        .find(|c| !c.is_empty())
                        .map_or("", |c| c.as_str());
                    a.regions.iter().any(|p| code.starts_with(p.as_str()))
                });
                if !inside {
                    continue;
                }
            }
            let all = a.elements.iter().any(|e| e == "*");
            let allowed = |el: &str| all || a.elements.iter().any(|e| e.eq_ignore_ascii_case(el));
            let mut e = event.clone();
            e.changes.retain(|c| allowed(&c.element));
            e.record.retain(|k, _| allowed(k));
            if !allowed("NO_KK") {
                e.no_kk.clear();
            }
            if e.kind == EventKind::UbahData && e.changes.is_empty() {
                continue;
            }
            out.push((i, e));
        }
        out.sort_by_key(|(i, _)| *i);
        out
    }
}

/// Writes each agency's events to `<dir>/<name>.jsonl` as they arrive.
pub struct RouteSink<'a> {
    subs: &'a Subscriptions,
    files: Vec<BufWriter<File>>,
    /// Events written per agency.
    pub counts: Vec<u64>,
}

impl<'a> RouteSink<'a> {
    /// Creates `dir` and one file per agency.
    pub fn create(subs: &'a Subscriptions, dir: &Path) -> Result<RouteSink<'a>, EventsError> {
        std::fs::create_dir_all(dir).map_err(|e| EventsError::io(dir, e))?;
        let files = subs
            .agencies
            .iter()
            .map(|a| {
                let p = dir.join(format!("{}.jsonl", a.name));
                File::create(&p)
                    .map(|f| BufWriter::with_capacity(1 << 18, f))
                    .map_err(|e| EventsError::io(&p, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RouteSink {
            subs,
            counts: vec![0; files.len()],
            files,
        })
    }

    /// Events written per agency name.
    pub fn counts_by_name(&self) -> BTreeMap<String, u64> {
        self.subs
            .agencies
            .iter()
            .map(|a| a.name.clone())
            .zip(self.counts.iter().copied())
            .collect()
    }
}

impl EventSink for RouteSink<'_> {
    fn event(&mut self, event: &Event) -> io::Result<()> {
        for (i, e) in self.subs.route(event) {
            serde_json::to_writer(&mut self.files[i], &e)?;
            self.files[i].write_all(b"\n")?;
            self.counts[i] += 1;
        }
        Ok(())
    }
    fn anomaly(&mut self, _: &Anomaly) -> io::Result<()> {
        Ok(())
    }
    fn reset(&mut self) -> io::Result<()> {
        for f in &mut self.files {
            f.flush()?;
            f.get_mut().set_len(0)?;
            io::Seek::rewind(f.get_mut())?;
        }
        self.counts.iter_mut().for_each(|c| *c = 0);
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.files.iter_mut().try_for_each(|f| f.flush())
    }
}

/// Routes an events file to one file per agency in `dir`, reading it once.
/// Returns the events written per agency.
pub fn route_file(
    subs: &Subscriptions,
    events: &Path,
    dir: &Path,
) -> Result<BTreeMap<String, u64>, EventsError> {
    let mut sink = RouteSink::create(subs, dir)?;
    for e in read_events(events)? {
        sink.event(&e?).map_err(|e| EventsError::io(dir, e))?;
    }
    sink.finish().map_err(|e| EventsError::io(dir, e))?;
    Ok(sink.counts_by_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Change, Region};

    fn event(kind: EventKind, nik: &str, province: &str) -> Event {
        Event {
            id: "x".into(),
            kind,
            nik: nik.into(),
            as_of: "2023-11-30".parse().unwrap(),
            date: "2023-11-30".parse().unwrap(),
            no_kk: "3201010101230001".into(),
            region: Region {
                province: province.into(),
                ..Region::default()
            },
            from: None,
            to: None,
            changes: vec![
                Change {
                    element: "NAMA_LGKP".into(),
                    old: "A".into(),
                    new: "B".into(),
                },
                Change {
                    element: "STATUS".into(),
                    old: "HIDUP".into(),
                    new: "MATI".into(),
                },
            ],
            record: BTreeMap::new(),
        }
    }

    #[test]
    fn routes_to_every_subscriber_with_allowed_elements_only() {
        let s = Subscriptions::from_toml(
            r#"
            [[agency]]
            name = "a"
            niks = ["3201010101900001", "3201010101900002"]
            elements = ["STATUS"]
            [[agency]]
            name = "b"
            niks = ["3201010101900001"]
            elements = ["*"]
            types = ["UBAH_DATA"]
            [[agency]]
            name = "jabar"
            elements = ["NAMA_LGKP"]
            regions = ["32"]
            "#,
            None,
        )
        .unwrap();
        let r = s.route(&event(EventKind::UbahData, "3201010101900001", "32"));
        assert_eq!(r.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(r[0].1.changes.len(), 1);
        assert_eq!(r[0].1.changes[0].element, "STATUS");
        assert!(r[0].1.no_kk.is_empty());
        assert_eq!(r[1].1.changes.len(), 2);
        assert_eq!(r[2].1.changes[0].element, "NAMA_LGKP");
        let r = s.route(&event(EventKind::Mati, "3201010101900002", "33"));
        assert_eq!(r.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0]);
        assert!(
            s.route(&event(EventKind::Mati, "3201010101900009", "33"))
                .is_empty()
        );
        assert!(
            Subscriptions::from_toml("[[agency]]\nname = \"a b\"\nelements = [\"*\"]\n", None)
                .is_err()
        );
        assert!(
            Subscriptions::from_toml("[[agency]]\nname = \"a\"\nelements = []\n", None).is_err()
        );
    }
}
