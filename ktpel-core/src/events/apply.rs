//! Apply: bring an agency's dataset up to date from its events.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::EventsError;
use super::classify::{Event, EventKind};
use super::diff::{open, read_events, split_fields};
use crate::csvio::RecordReader;

/// Counts of an apply run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplySummary {
    /// Data rows read (= rows written).
    pub rows: u64,
    /// Rows with at least one value changed.
    pub rows_changed: u64,
    /// Values changed (= lines of the change log).
    pub values_changed: u64,
    /// Events read.
    pub events: u64,
    /// Events whose NIK is not in the dataset.
    pub events_not_in_data: u64,
    /// Events whose values the dataset already had (applied before).
    pub events_already_applied: u64,
    /// Whether a `STATUS` column was added to flag deceased residents.
    pub status_column_added: bool,
}

/// Applies `events` to the agency CSV `data` (first row a header with a NIK
/// column; Dukcapil element names are updated, other columns are kept as
/// they are) and writes `out` plus a change log CSV `log` (`LINE,NIK,
/// EVENT_ID,TYPE,ELEMENT,OLD,NEW`). `MATI` sets `STATUS` to `MATI` (the
/// column is added when missing); `PINDAH` sets the new address, region
/// codes and NO_KK; every other event sets the new values it carries.
/// `HAPUS` changes nothing. Applying the same events again changes nothing:
/// values are set, never toggled or appended.
pub fn apply_file(
    data: &Path,
    events: &Path,
    out: &Path,
    log: &Path,
) -> Result<ApplySummary, EventsError> {
    let mut s = ApplySummary::default();
    let mut by_nik: HashMap<String, Vec<Event>> = HashMap::new();
    for e in read_events(events)? {
        let e = e?;
        s.events += 1;
        by_nik.entry(e.nik.clone()).or_default().push(e);
    }
    let mut r = RecordReader::new(open(data)?, b',');
    let header = match r.next_record().map_err(|e| EventsError::io(data, e))? {
        Some(h) => split_fields(&h.bytes, b','),
        None => return Err(EventsError::Invalid(format!("{} is empty", data.display()))),
    };
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let nik_col = col("NIK").ok_or_else(|| EventsError::NoNikColumn {
        path: data.display().to_string(),
        available: header.join(","),
    })?;
    let mut out_header = header.clone();
    let status_col = match col("STATUS") {
        Some(c) => c,
        None => {
            out_header.push("STATUS".into());
            s.status_column_added = true;
            out_header.len() - 1
        }
    };
    let mk = |p: &Path| {
        csv::WriterBuilder::new()
            .from_path(p)
            .map_err(|e| EventsError::Invalid(format!("{}: {e}", p.display())))
    };
    let mut w = mk(out)?;
    let mut lw = mk(log)?;
    let csv_err = |e: csv::Error| EventsError::Invalid(format!("writing output: {e}"));
    w.write_record(&out_header).map_err(csv_err)?;
    lw.write_record(["LINE", "NIK", "EVENT_ID", "TYPE", "ELEMENT", "OLD", "NEW"])
        .map_err(csv_err)?;
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    while let Some(rec) = r.next_record().map_err(|e| EventsError::io(data, e))? {
        s.rows += 1;
        let mut f = split_fields(&rec.bytes, b',');
        f.resize(out_header.len(), String::new());
        let nik = f[nik_col].trim().to_string();
        let mut changed_row = false;
        if let Some(evs) = by_nik.get(&nik) {
            seen.insert(nik.clone());
            for e in evs {
                let mut sets: Vec<(usize, String)> = Vec::new();
                match e.kind {
                    EventKind::Hapus => {}
                    EventKind::Mati => sets.push((status_col, "MATI".into())),
                    EventKind::Lahir | EventKind::Datang => {
                        for (k, v) in &e.record {
                            if let Some(c) = col(k).filter(|&c| c != nik_col) {
                                sets.push((c, v.clone()));
                            }
                        }
                    }
                    _ => {}
                }
                for c in &e.changes {
                    if let Some(i) = col(&c.element).filter(|&i| i != nik_col) {
                        sets.push((i, c.new.clone()));
                    } else if c.element.eq_ignore_ascii_case("STATUS") {
                        sets.push((status_col, c.new.clone()));
                    }
                }
                let mut any = false;
                for (i, v) in sets {
                    if f[i].trim() != v.trim() {
                        lw.write_record([
                            rec.line.to_string().as_str(),
                            &nik,
                            &e.id,
                            e.kind.as_str(),
                            &out_header[i],
                            &f[i],
                            &v,
                        ])
                        .map_err(csv_err)?;
                        f[i] = v;
                        s.values_changed += 1;
                        any = true;
                    }
                }
                if !any && e.kind != EventKind::Hapus {
                    s.events_already_applied += 1;
                }
                changed_row |= any;
            }
        }
        s.rows_changed += u64::from(changed_row);
        w.write_record(&f).map_err(csv_err)?;
    }
    s.events_not_in_data = by_nik
        .iter()
        .filter(|(n, _)| !seen.contains(*n))
        .map(|(_, v)| v.len() as u64)
        .sum();
    w.flush().map_err(|e| EventsError::io(out, e))?;
    lw.flush().map_err(|e| EventsError::io(log, e))?;
    Ok(s)
}
