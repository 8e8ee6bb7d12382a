//! Change events (M-SINK): the snapshot diff file to file (with
//! subscriptions routing), apply to an agency's dataset, aggregates, and the
//! in-memory diff of two small CSV texts.

use core::ffi::c_void;
use std::path::Path;

use chrono::NaiveDate;
use ktpel_core::Code;
use ktpel_core::events::{self, AggregateOptions, DiffOptions, Level, Period, Subscriptions};

use crate::error::{Error, ffi_boundary};
use crate::util::{self, ktpel_str, put, text, write_out};

/// `ktpel_events_progress_fn` phase: reading the old snapshot to derive `since`.
pub const KTPEL_EVENTS_PHASE_SCAN: u32 = 0;
/// Phase: streaming merge of sorted snapshots.
pub const KTPEL_EVENTS_PHASE_MERGE: u32 = 1;
/// Phase: partitioning unsorted snapshots into temporary files.
pub const KTPEL_EVENTS_PHASE_PARTITION: u32 = 2;
/// Phase: diffing the partitions (`done`/`total` count partitions).
pub const KTPEL_EVENTS_PHASE_DIFF: u32 = 3;

/// Progress callback of `ktpel_events_diff`, called on the calling thread
/// with the phase (`KTPEL_EVENTS_PHASE_*`) and the bytes (partitions in
/// `KTPEL_EVENTS_PHASE_DIFF`) done of `total`. It must not unwind through
/// ktpel.
pub type ktpel_events_progress_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, phase: u32, done: u64, total: u64)>;

/// Options of `ktpel_events_diff` and `ktpel_events_diff_csv`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_events_options {
    /// As-of date of the new snapshot: year (required).
    pub as_of_year: i32,
    /// Month (1-12).
    pub as_of_month: u32,
    /// Day (1-31).
    pub as_of_day: u32,
    /// Start of the period (as-of date of the old snapshot); year, month,
    /// day all 0 = the latest birth date in the old snapshot.
    pub since_year: i32,
    /// Month of `since`.
    pub since_month: u32,
    /// Day of `since`.
    pub since_day: u32,
    /// Memory budget in bytes for unsorted input; 0 = 2 GiB.
    pub memory_budget: u64,
    /// Subscriptions TOML file (UTF-8 path); empty = no routing.
    pub subscriptions_path: ktpel_str,
    /// Directory for temporary files; empty = the system's.
    pub temp_dir: ktpel_str,
}

/// The result of an events job (opaque): its summary as JSON. Read-only:
/// `Send + Sync`. Free with `ktpel_events_report_free`.
pub struct ktpel_events_report {
    json: String,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<ktpel_events_report>();
};

fn json_error(e: serde_json::Error) -> Error {
    Error::new(Code::Panic, format!("JSON output: {e}"))
}

fn date(y: i32, m: u32, d: u32, arg: &str) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Error::invalid(
            arg,
            format_args!("{y:04}-{m:02}-{d:02} is not a calendar date"),
        )
    })
}

/// # Safety
/// The strings of `o` must have their lengths in readable bytes.
unsafe fn options(o: &ktpel_events_options) -> Result<(DiffOptions, Option<Subscriptions>), Error> {
    let mut d = DiffOptions::new(date(
        o.as_of_year,
        o.as_of_month,
        o.as_of_day,
        "opts.as_of_*",
    )?);
    if (o.since_year, o.since_month, o.since_day) != (0, 0, 0) {
        d.since = Some(date(
            o.since_year,
            o.since_month,
            o.since_day,
            "opts.since_*",
        )?);
    }
    if o.memory_budget != 0 {
        d.memory_budget = o.memory_budget;
    }
    // SAFETY: forwarded contract.
    let (subs, tmp) = unsafe {
        (
            text(
                o.subscriptions_path.ptr,
                o.subscriptions_path.len,
                "opts.subscriptions_path",
            )?,
            text(o.temp_dir.ptr, o.temp_dir.len, "opts.temp_dir")?,
        )
    };
    if !tmp.is_empty() {
        d.temp_dir = Some(tmp.into());
    }
    let subs = if subs.is_empty() {
        None
    } else {
        Some(Subscriptions::load(Path::new(subs))?)
    };
    Ok((d, subs))
}

fn report(
    out: *mut *mut ktpel_events_report,
    json: Result<String, serde_json::Error>,
) -> Result<(), Error> {
    let json = json.map_err(json_error)?;
    // SAFETY: non-NULL (checked by the boundary of the caller), writable.
    unsafe { put(out, util::into_handle(ktpel_events_report { json })) };
    Ok(())
}

/// Diffs the register snapshot CSV files `old_path` and `new_path` (UTF-8
/// paths; first row the header, Dukcapil column names, sorted by NIK or
/// not) and writes the events as JSON lines to `events_path` (empty =
/// `out_dir/events.jsonl`), with `anomalies.jsonl` and `summary.json` in
/// `out_dir` (empty = the events file's directory) and, with
/// `opts->subscriptions_path`, one `<agency>.jsonl` per agency in `out_dir`
/// (routed in the same pass). `progress` may be NULL. On success
/// `*out_report` receives the summary (free with `ktpel_events_report_free`).
/// Fails with `KTPEL_STATUS_IO`, `KTPEL_STATUS_NO_NIK_COLUMN`,
/// `KTPEL_STATUS_SNAPSHOT_HEADER_MISMATCH`, `KTPEL_STATUS_INVALID_CONFIG`
/// (subscriptions), `KTPEL_STATUS_INVALID_MEMORY_BUDGET` or
/// `KTPEL_STATUS_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_diff(
    old_path: *const u8,
    old_path_len: usize,
    new_path: *const u8,
    new_path_len: usize,
    events_path: *const u8,
    events_path_len: usize,
    out_dir: *const u8,
    out_dir_len: usize,
    opts: *const ktpel_events_options,
    progress: ktpel_events_progress_fn,
    user_data: *mut c_void,
    out_report: *mut *mut ktpel_events_report,
) -> u32 {
    ffi_boundary!(opts, out_report => {
        // SAFETY: each path has its length in readable bytes (caller contract).
        let (old, new, ev, dir) = unsafe {
            (
                text(old_path, old_path_len, "old_path")?,
                text(new_path, new_path_len, "new_path")?,
                text(events_path, events_path_len, "events_path")?,
                text(out_dir, out_dir_len, "out_dir")?,
            )
        };
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let (d, subs) = unsafe { options(&*opts)? };
        let mut on_progress = |p: events::DiffProgress| {
            if let Some(cb) = progress {
                let phase = match p.phase {
                    "scan" => KTPEL_EVENTS_PHASE_SCAN,
                    "merge" => KTPEL_EVENTS_PHASE_MERGE,
                    "partition" => KTPEL_EVENTS_PHASE_PARTITION,
                    _ => KTPEL_EVENTS_PHASE_DIFF,
                };
                // SAFETY: the caller supplies a valid function and its user data.
                unsafe { cb(user_data, phase, p.bytes, p.total_bytes) };
            }
        };
        let s = events::run_diff(
            Path::new(old),
            Path::new(new),
            (!ev.is_empty()).then(|| Path::new(ev)),
            (!dir.is_empty()).then(|| Path::new(dir)),
            subs.as_ref(),
            &d,
            &mut on_progress,
        )?;
        report(out_report, serde_json::to_string(&s))
    })
}

/// Diffs two small snapshots given as CSV text (`old_csv`, `new_csv`; first
/// row the header) in memory and writes `{"events": [...], "anomalies":
/// [...], "summary": {...}}` (events as in the JSON-lines files) into `buf`.
/// `opts->subscriptions_path` and `memory_budget` are ignored.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_diff_csv(
    old_csv: *const u8,
    old_csv_len: usize,
    new_csv: *const u8,
    new_csv_len: usize,
    opts: *const ktpel_events_options,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(opts, out_written => {
        // SAFETY: each buffer has its length in readable bytes (caller contract).
        let (old, new) = unsafe {
            (
                util::bytes(old_csv, old_csv_len, "old_csv")?,
                util::bytes(new_csv, new_csv_len, "new_csv")?,
            )
        };
        // SAFETY: non-NULL (boundary); a readable struct (caller contract).
        let o = unsafe { &*opts };
        let mut d = DiffOptions::new(date(o.as_of_year, o.as_of_month, o.as_of_day, "opts.as_of_*")?);
        if (o.since_year, o.since_month, o.since_day) != (0, 0, 0) {
            d.since = Some(date(o.since_year, o.since_month, o.since_day, "opts.since_*")?);
        }
        let out = events::diff_csv(old, new, &d)?;
        let j = serde_json::json!({ "events": out.events, "anomalies": out.anomalies, "summary": out.summary });
        let s = serde_json::to_string(&j).map_err(json_error)?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(s.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Applies the events file `events_path` to the agency CSV `data_path` and
/// writes the updated dataset to `out_path` and the change log CSV to
/// `log_path` (all UTF-8 paths). Idempotent: applying the same events to
/// the output changes nothing. `*out_report` receives the counts.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_apply(
    data_path: *const u8,
    data_path_len: usize,
    events_path: *const u8,
    events_path_len: usize,
    out_path: *const u8,
    out_path_len: usize,
    log_path: *const u8,
    log_path_len: usize,
    out_report: *mut *mut ktpel_events_report,
) -> u32 {
    ffi_boundary!(out_report => {
        // SAFETY: each path has its length in readable bytes (caller contract).
        let (data, ev, out, log) = unsafe {
            (
                text(data_path, data_path_len, "data_path")?,
                text(events_path, events_path_len, "events_path")?,
                text(out_path, out_path_len, "out_path")?,
                text(log_path, log_path_len, "log_path")?,
            )
        };
        let s = events::apply_file(Path::new(data), Path::new(ev), Path::new(out), Path::new(log))?;
        report(out_report, serde_json::to_string(&s))
    })
}

/// Counts the events file `events_path` by M-SINK category × region `level`
/// (`province`, `regency`, `district`, `village`) × `period` (`day`,
/// `month`, `year`, `YYYY-MM-DD..YYYY-MM-DD`). `*out_report` receives the
/// table as JSON (`{"events", "events_counted", "rows": [{"period",
/// "region", "category", "documents", "persons"}]}`); with a non-empty
/// `csv_path` the table is also written there as CSV.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_aggregate(
    events_path: *const u8,
    events_path_len: usize,
    level: *const u8,
    level_len: usize,
    period: *const u8,
    period_len: usize,
    csv_path: *const u8,
    csv_path_len: usize,
    out_report: *mut *mut ktpel_events_report,
) -> u32 {
    ffi_boundary!(out_report => {
        // SAFETY: each string has its length in readable bytes (caller contract).
        let (ev, lv, pd, csv) = unsafe {
            (
                text(events_path, events_path_len, "events_path")?,
                text(level, level_len, "level")?,
                text(period, period_len, "period")?,
                text(csv_path, csv_path_len, "csv_path")?,
            )
        };
        let level = Level::from_name(lv)
            .ok_or_else(|| Error::invalid("level", format_args!("{lv:?}: use province, regency, district or village")))?;
        let period = Period::from_name(pd)
            .ok_or_else(|| Error::invalid("period", format_args!("{pd:?}: use day, month, year or YYYY-MM-DD..YYYY-MM-DD")))?;
        let a = events::aggregate_file(Path::new(ev), AggregateOptions { level, period })?;
        if !csv.is_empty() {
            let mut b = Vec::new();
            a.write_csv(&mut b).map_err(|e| Error::new(Code::Io, e.to_string()))?;
            std::fs::write(csv, b).map_err(|e| Error::new(Code::Io, format!("writing {csv}: {e}")))?;
        }
        report(out_report, serde_json::to_string(&a))
    })
}

/// Routes the events file `events_path` to one `<agency>.jsonl` per agency
/// of the subscriptions TOML `subscriptions_path` in `out_dir`, reading the
/// events once. `*out_report` receives `{"agency": events written}`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_route(
    events_path: *const u8,
    events_path_len: usize,
    subscriptions_path: *const u8,
    subscriptions_path_len: usize,
    out_dir: *const u8,
    out_dir_len: usize,
    out_report: *mut *mut ktpel_events_report,
) -> u32 {
    ffi_boundary!(out_report => {
        // SAFETY: each path has its length in readable bytes (caller contract).
        let (ev, sp, dir) = unsafe {
            (
                text(events_path, events_path_len, "events_path")?,
                text(subscriptions_path, subscriptions_path_len, "subscriptions_path")?,
                text(out_dir, out_dir_len, "out_dir")?,
            )
        };
        let subs = Subscriptions::load(Path::new(sp))?;
        let counts = events::route_file(&subs, Path::new(ev), Path::new(dir))?;
        report(out_report, serde_json::to_string(&counts))
    })
}

/// Writes the report's JSON (for a diff: the content of `summary.json`)
/// into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_report_json(
    report: *const ktpel_events_report,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(report, out_written => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let r = unsafe { util::handle_ref(report) };
        // SAFETY: `out_written` non-NULL; `buf` has `len` bytes (caller contract).
        unsafe { write_out(r.json.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Frees an events report. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_events_report_free(report: *mut ktpel_events_report) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from an events job, freed once (caller contract).
        unsafe { util::free_handle(report) }
    })
}
