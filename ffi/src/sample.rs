//! The sample-data generator as a file-to-file call: a population register,
//! an agency file with labelled corruption, a later snapshot and two truth
//! files (`docs/gen.md`).

use core::ffi::c_void;
use std::path::Path;

use chrono::NaiveDate;
use ktpel_core::sample::{self, ChangeKind, Config};
use serde_json::Value;

use crate::error::{Error, ffi_boundary};
use crate::util::{self, ktpel_str, put, write_out};

/// `ktpel_sample_config.agency`: write an agency file with no rows (0 means
/// the default, population / 10).
pub const KTPEL_SAMPLE_NO_AGENCY: u64 = u64::MAX;
/// Number of change kinds, the length of
/// `ktpel_sample_summary.changes_by_kind`.
pub const KTPEL_SAMPLE_CHANGE_KINDS: usize = 9;

const _: () = assert!(KTPEL_SAMPLE_CHANGE_KINDS == ChangeKind::ALL.len());

/// What to generate. All zero (with `seed` set as wanted) means the defaults
/// of `ktpel gen`: 10,000 register rows, population / 10 agency rows,
/// register as of 2022-11-30, later snapshot as of 2023-11-30, default
/// deceased share, corruption and change rates.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_sample_config {
    /// Seed of every random choice: the same seed and settings give
    /// byte-identical files. 0 is a seed like any other (`ktpel gen`'s
    /// default is 1).
    pub seed: u64,
    /// Register rows (living and deceased); 0 = 10,000.
    pub population: u64,
    /// Agency rows (exact); 0 = population / 10; `KTPEL_SAMPLE_NO_AGENCY` =
    /// none.
    pub agency: u64,
    /// As-of date of the register (and NIK reference date); year, month and
    /// day all 0 = 2022-11-30.
    pub as_of_year: i32,
    /// Month of `as_of` (1-12).
    pub as_of_month: u32,
    /// Day of `as_of` (1-31).
    pub as_of_day: u32,
    /// As-of date of the later snapshot; all 0 = 2023-11-30.
    pub later_as_of_year: i32,
    /// Month of `later_as_of` (1-12).
    pub later_as_of_month: u32,
    /// Day of `later_as_of` (1-31).
    pub later_as_of_day: u32,
    /// Optional JSON object overriding rates (empty = none), every value a
    /// probability: `{"deceased_fraction": 0.05, "corruption": {"typo": 0.2,
    /// ...}, "changes": {"births": 0.01, ...}}`. Keys: `corruption.typo`,
    /// `old_spelling`, `title_added`, `name_reordered`,
    /// `middle_name_dropped`, `muhammad_variant`, `day_month_swap`,
    /// `nik_wrong`, `nik_spreadsheet`, `missing_value`, `duplicate`,
    /// `not_in_register`; `changes.births`, `deaths`, `moves`, `arrivals`,
    /// `marriages`, `divorces`, `corrections`, `removals` (per resident per
    /// year). Unknown keys are rejected.
    pub rates_json: ktpel_str,
}

/// Counts of what `ktpel_sample_write_all` wrote.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_sample_summary {
    /// Rows of `population.csv` (header excluded).
    pub register_rows: u64,
    /// Rows of `population_later.csv`.
    pub later_rows: u64,
    /// Rows of `agency.csv` (= rows of `truth_agency.csv`).
    pub agency_rows: u64,
    /// Rows of `truth_changes.csv`.
    pub changes: u64,
    /// Changes per kind; `ktpel_sample_change_kind_name(i)` names kind `i`
    /// (`LAHIR`, `MATI`, `PINDAH`, `DATANG`, `KAWIN`, `CERAI_HIDUP`,
    /// `CERAI_MATI`, `UBAH_DATA`, `HAPUS`).
    pub changes_by_kind: [u64; KTPEL_SAMPLE_CHANGE_KINDS],
    /// Agency rows without any corruption.
    pub agency_clean: u64,
}

/// Progress callback of `ktpel_sample_write_all`, called on the calling
/// thread with the register rows written so far. It must not unwind (no C++
/// exception, no `longjmp`) through ktpel.
pub type ktpel_sample_progress_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, register_rows: u64)>;

fn date(arg: &str, (y, m, d): (i32, u32, u32), default: NaiveDate) -> Result<NaiveDate, Error> {
    if (y, m, d) == (0, 0, 0) {
        return Ok(default);
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Error::invalid(
            arg,
            format_args!("{y:04}-{m:02}-{d:02} is not a calendar date (all 0 means the default)"),
        )
    })
}

fn probability(key: &str, v: &Value) -> Result<f64, Error> {
    v.as_f64().ok_or_else(|| {
        Error::invalid(
            "config.rates_json",
            format_args!("`{key}` must be a number"),
        )
    })
}

/// The rate fields a JSON section may set.
fn rate_slot<'c>(cfg: &'c mut Config, section: &str, key: &str) -> Option<&'c mut f64> {
    let c = &mut cfg.corruption;
    let r = &mut cfg.changes;
    Some(match (section, key) {
        ("corruption", "typo") => &mut c.typo,
        ("corruption", "old_spelling") => &mut c.old_spelling,
        ("corruption", "title_added") => &mut c.title_added,
        ("corruption", "name_reordered") => &mut c.name_reordered,
        ("corruption", "middle_name_dropped") => &mut c.middle_name_dropped,
        ("corruption", "muhammad_variant") => &mut c.muhammad_variant,
        ("corruption", "day_month_swap") => &mut c.day_month_swap,
        ("corruption", "nik_wrong") => &mut c.nik_wrong,
        ("corruption", "nik_spreadsheet") => &mut c.nik_spreadsheet,
        ("corruption", "missing_value") => &mut c.missing_value,
        ("corruption", "duplicate") => &mut c.duplicate,
        ("corruption", "not_in_register") => &mut c.not_in_register,
        ("changes", "births") => &mut r.births,
        ("changes", "deaths") => &mut r.deaths,
        ("changes", "moves") => &mut r.moves,
        ("changes", "arrivals") => &mut r.arrivals,
        ("changes", "marriages") => &mut r.marriages,
        ("changes", "divorces") => &mut r.divorces,
        ("changes", "corrections") => &mut r.corrections,
        ("changes", "removals") => &mut r.removals,
        _ => return None,
    })
}

fn apply_rates(cfg: &mut Config, json: &str) -> Result<(), Error> {
    if json.trim().is_empty() {
        return Ok(());
    }
    let v: Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid("config.rates_json", format_args!("not JSON: {e}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| Error::invalid("config.rates_json", "must be a JSON object"))?;
    for (k, v) in obj {
        match k.as_str() {
            "deceased_fraction" => cfg.deceased_fraction = probability(k, v)?,
            section @ ("corruption" | "changes") => {
                let inner = v.as_object().ok_or_else(|| {
                    Error::invalid(
                        "config.rates_json",
                        format_args!("`{section}` must be an object"),
                    )
                })?;
                for (k2, v2) in inner {
                    let key = format!("{section}.{k2}");
                    let p = probability(&key, v2)?;
                    *rate_slot(cfg, section, k2).ok_or_else(|| {
                        Error::invalid("config.rates_json", format_args!("unknown rate `{key}`"))
                    })? = p;
                }
            }
            _ => {
                return Err(Error::invalid(
                    "config.rates_json",
                    format_args!(
                        "unknown key `{k}` (deceased_fraction, corruption, changes are accepted)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn count(arg: &str, n: u64) -> Result<usize, Error> {
    usize::try_from(n).map_err(|_| Error::invalid(arg, format_args!("{n} is too large")))
}

fn config(c: &ktpel_sample_config) -> Result<Config, Error> {
    let d = Config::default();
    let population = if c.population == 0 {
        d.population
    } else {
        count("config.population", c.population)?
    };
    let agency = match c.agency {
        0 => population / 10,
        KTPEL_SAMPLE_NO_AGENCY => 0,
        n => count("config.agency", n)?,
    };
    let mut cfg = Config {
        seed: c.seed,
        population,
        agency,
        as_of: date(
            "config.as_of_*",
            (c.as_of_year, c.as_of_month, c.as_of_day),
            d.as_of,
        )?,
        later_as_of: date(
            "config.later_as_of_*",
            (c.later_as_of_year, c.later_as_of_month, c.later_as_of_day),
            d.later_as_of,
        )?,
        ..d
    };
    // SAFETY: `rates_json` points to `len` readable bytes (caller contract).
    let rates = unsafe { util::text(c.rates_json.ptr, c.rates_json.len, "config.rates_json")? };
    apply_rates(&mut cfg, rates)?;
    Ok(cfg)
}

/// Generates a sample data set into the directory `out_dir` (UTF-8 path;
/// created if missing; files there are overwritten): `population.csv`,
/// `population_later.csv`, `agency.csv`, `truth_agency.csv`,
/// `truth_changes.csv` (formats in `docs/gen.md`). `progress` (may be NULL)
/// is called with `user_data` as register rows are written. On success the
/// counts go to `*out_summary`. Fails with `KTPEL_STATUS_INVALID_ARGUMENT`
/// for a setting out of range (the message names it; nothing is written) or
/// `KTPEL_STATUS_IO` (files written so far are left as they are).
/// Memory stays bounded (about 130 MB at 10 million rows); one extra thread
/// formats and writes.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sample_write_all(
    config_in: *const ktpel_sample_config,
    out_dir: *const u8,
    out_dir_len: usize,
    progress: ktpel_sample_progress_fn,
    user_data: *mut c_void,
    out_summary: *mut ktpel_sample_summary,
) -> u32 {
    ffi_boundary!(config_in, out_summary => {
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let cfg = config(unsafe { &*config_in })?;
        // SAFETY: `out_dir` has `out_dir_len` readable bytes (caller contract).
        let dir = unsafe { util::text(out_dir, out_dir_len, "out_dir")? };
        if dir.is_empty() {
            return Err(Error::invalid("out_dir", "the directory path is empty"));
        }
        let on_progress = |rows: u64| {
            if let Some(cb) = progress {
                // SAFETY: the caller supplies a valid function and its user data.
                unsafe { cb(user_data, rows) };
            }
        };
        let s = sample::write_all(&cfg, Path::new(dir), on_progress)?;
        let r = ktpel_sample_summary {
            register_rows: s.register_rows,
            later_rows: s.later_rows,
            agency_rows: s.agency_rows,
            changes: s.changes,
            changes_by_kind: s.changes_by_kind,
            agency_clean: s.agency_clean,
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_summary, r) };
        Ok(())
    })
}

/// Writes the name of change kind `index` (0 ≤ index <
/// `KTPEL_SAMPLE_CHANGE_KINDS`, the order of
/// `ktpel_sample_summary.changes_by_kind`) into `buf`, e.g. `LAHIR`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_sample_change_kind_name(
    index: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        let k = ChangeKind::ALL.get(index).ok_or_else(|| {
            Error::invalid("index", format_args!("{index} is not below KTPEL_SAMPLE_CHANGE_KINDS (9)"))
        })?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(k.as_str().as_bytes(), buf, len, out_written, "buf") }
    })
}
