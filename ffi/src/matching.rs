//! Record matching (pemadanan): one record verified against its register
//! record with a policy, and the Dukcapil batch job file to file.

use core::ffi::c_void;
use std::path::Path;

use chrono::NaiveDate;
use ktpel_core::Code;
use ktpel_core::matching::{self, BatchOptions, Mapping, Phase, Policy, Record, Summary};

use crate::error::{Error, ffi_boundary};
use crate::util::{self, ktpel_str, put, text, write_out};

/// One field of a record: a column name (`NIK`, `NAMA_LGKP`, `TGL_LHR`,
/// `JENIS_KLMIN`, `TMPT_LHR`, `NAMA_LGKP_IBU`, `STATUS`, ... — Dukcapil
/// headers or element names) and its value, both UTF-8.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_field {
    /// Column name.
    pub name: ktpel_str,
    /// Value as written (dates `DD-MM-YYYY`, sex `L`/`P`/`LAKI-LAKI`/...).
    pub value: ktpel_str,
}

/// `ktpel_match_progress_fn` phase: loading (a share of) the register.
pub const KTPEL_MATCH_PHASE_POPULATION: u32 = 0;
/// `ktpel_match_progress_fn` phase: streaming the agency file.
pub const KTPEL_MATCH_PHASE_AGENCY: u32 = 1;
/// `ktpel_match_progress_fn` phase: merging the passes' results.
pub const KTPEL_MATCH_PHASE_MERGE: u32 = 2;

/// Progress callback of `ktpel_match_run_batch`, called on the calling
/// thread with the phase (`KTPEL_MATCH_PHASE_*`), the pass (0-based) of
/// `passes`, and the bytes done of `total_bytes` over the whole job. It must
/// not unwind (no C++ exception, no `longjmp`) through ktpel.
pub type ktpel_match_progress_fn = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        phase: u32,
        pass: u32,
        passes: u32,
        bytes: u64,
        total_bytes: u64,
    ),
>;

/// Options of `ktpel_match_run_batch`. All zero means: the default policy
/// (name, birth date and sex required; birth place and mother's name
/// optional), Dukcapil column names on both sides, today as the NIK
/// reference date, no memory budget, 16,384-row blocks, no NIK recovery.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_match_options {
    /// Policy as TOML text (the `--policy` file of `ktpel match`); empty =
    /// the default policy.
    pub policy_toml: ktpel_str,
    /// Mapping of the agency file's columns as TOML; empty = Dukcapil names.
    pub agency_mapping_toml: ktpel_str,
    /// Mapping of the population file's columns as TOML; empty = Dukcapil
    /// names.
    pub population_mapping_toml: ktpel_str,
    /// Reference date of the NIK check; year, month, day all 0 = today.
    pub reference_year: i32,
    /// Month of the reference date (1-12).
    pub reference_month: u32,
    /// Day of the reference date (1-31).
    pub reference_day: u32,
    /// Rows per block; 0 = 16,384.
    pub block_rows: u32,
    /// Most bytes the in-memory register may take (the register is then
    /// matched in several passes); 0 = no limit.
    pub memory_budget: u64,
    /// 1 = try to recover the NIK of rows that fail because of it (writes
    /// `kandidat.csv` and the `NIK_PULIH` column); needs no memory budget.
    pub recover: u8,
    /// Lowest match probability of an accepted recovery; 0 = 0.99.
    pub recover_accept: f64,
    /// Score (bits) by which the best candidate must beat the runner-up;
    /// 0 = 3.0.
    pub recover_margin: f64,
    /// Candidates listed per row in `kandidat.csv`; 0 = 3.
    pub recover_top: u32,
}

/// Counts of a batch: `received = matched + anomaly + duplicate + unmatched
/// + nik_not_found`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_match_counts {
    /// Agency rows read (header excluded).
    pub received: u64,
    /// Rows that agree with the register (SESUAI).
    pub matched: u64,
    /// Of `matched`, residents recorded as deceased.
    pub matched_deceased: u64,
    /// Rows set aside as anomalies (unreadable NIK, date, ...).
    pub anomaly: u64,
    /// Rows set aside as duplicates.
    pub duplicate: u64,
    /// Rows that disagree with the register (TIDAK_SESUAI).
    pub unmatched: u64,
    /// Rows whose NIK is not in the register (NIK_TIDAK_DITEMUKAN).
    pub nik_not_found: u64,
}

/// The summary of a finished `ktpel_match_run_batch` (opaque). Read-only:
/// `Send + Sync`. Free with `ktpel_match_report_free`.
pub struct ktpel_match_report {
    summary: Summary,
    json: String,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<ktpel_match_report>();
};

fn json_error(e: serde_json::Error) -> Error {
    Error::new(Code::Panic, format!("JSON output: {e}"))
}

/// Reads `count` fields into a record; also returns the conversion findings.
///
/// # Safety
/// `fields` must be NULL (with `count == 0`) or point to `count` readable
/// `ktpel_field`, each string pointing to its `len` readable bytes.
unsafe fn record(
    fields: *const ktpel_field,
    count: usize,
    arg: &str,
) -> Result<(Record, Vec<matching::Finding>), Error> {
    // SAFETY: forwarded contract.
    let fields = unsafe { util::array(fields, count, arg)? };
    let mut pairs = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        // SAFETY: each string has `len` readable bytes (forwarded contract).
        let k = unsafe { text(f.name.ptr, f.name.len, &format!("{arg}[{i}].name"))? };
        // SAFETY: as above.
        let v = unsafe { text(f.value.ptr, f.value.len, &format!("{arg}[{i}].value"))? };
        pairs.push((k, v));
    }
    Ok(Record::from_pairs(&pairs))
}

/// # Safety
/// `s` must point to `len` readable bytes (or be NULL with `len == 0`).
unsafe fn policy(s: &ktpel_str, arg: &str) -> Result<Policy, Error> {
    // SAFETY: forwarded contract.
    let t = unsafe { text(s.ptr, s.len, arg)? };
    if t.trim().is_empty() {
        Ok(Policy::default())
    } else {
        Ok(Policy::from_toml(t)?)
    }
}

/// Verifies a submitted record (`submitted`, `submitted_count` fields)
/// against the register record with the same NIK (`reference`,
/// `reference_count` fields; `reference == NULL` when the register has no
/// such NIK) under a policy (`policy_toml`, TOML text as `ktpel match
/// --policy` reads it; empty = the default policy), and writes the
/// verification as JSON into `buf`: `{"overall": "SESUAI" | "TIDAK_SESUAI" |
/// "NIK_TIDAK_DITEMUKAN", "elements": [{"element", "verdict": "SESUAI" |
/// "TIDAK_SESUAI" | "TIDAK_DIISI", "score", "flag"}], "returned": [[element,
/// value], ...], "findings": {"submitted": [...], "reference": [...]}}` —
/// `findings` lists values that could not be converted (unparseable date,
/// unknown sex code) with their code. Fails with
/// `KTPEL_STATUS_INVALID_CONFIG` for a bad policy.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_verify(
    submitted: *const ktpel_field,
    submitted_count: usize,
    reference: *const ktpel_field,
    reference_count: usize,
    policy_toml: *const u8,
    policy_toml_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        let p = ktpel_str { ptr: policy_toml, len: policy_toml_len };
        // SAFETY: readable (caller contract).
        let p = unsafe { policy(&p, "policy_toml")? };
        // SAFETY: `submitted` has `submitted_count` readable fields (caller contract).
        let (sub, sub_findings) = unsafe { record(submitted, submitted_count, "submitted")? };
        let (reg, reg_findings) = if reference.is_null() {
            (None, Vec::new())
        } else {
            // SAFETY: `reference` has `reference_count` readable fields (caller contract).
            let (r, f) = unsafe { record(reference, reference_count, "reference")? };
            (Some(r), f)
        };
        let v = matching::verify(&sub, reg.as_ref(), &p);
        let mut j = serde_json::to_value(&v).map_err(json_error)?;
        if let Some(o) = j.as_object_mut() {
            o.insert(
                "findings".into(),
                serde_json::json!({ "submitted": sub_findings, "reference": reg_findings }),
            );
        }
        let s = serde_json::to_string(&j).map_err(json_error)?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(s.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// # Safety
/// `s` must point to `len` readable bytes (or be NULL with `len == 0`).
unsafe fn mapping(s: &ktpel_str, arg: &str) -> Result<Mapping, Error> {
    // SAFETY: forwarded contract.
    let t = unsafe { text(s.ptr, s.len, arg)? };
    if t.trim().is_empty() {
        Ok(Mapping::dukcapil())
    } else {
        Ok(Mapping::from_toml(t)?)
    }
}

fn options(o: &ktpel_match_options) -> Result<BatchOptions, Error> {
    let mut b = BatchOptions::default();
    // SAFETY: the strings of `o` have their lengths in readable bytes (caller contract).
    unsafe {
        b.policy = policy(&o.policy_toml, "opts.policy_toml")?;
        b.agency_mapping = mapping(&o.agency_mapping_toml, "opts.agency_mapping_toml")?;
        b.population_mapping = mapping(&o.population_mapping_toml, "opts.population_mapping_toml")?;
    }
    b.reference_date = match (o.reference_year, o.reference_month, o.reference_day) {
        (0, 0, 0) => None,
        (y, m, d) => Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
            Error::invalid(
                "opts.reference_*",
                format_args!("{y:04}-{m:02}-{d:02} is not a calendar date (all 0 means today)"),
            )
        })?),
    };
    if o.block_rows != 0 {
        b.block_rows = o.block_rows as usize;
    }
    if o.memory_budget != 0 {
        b.memory_budget = Some(o.memory_budget);
    }
    b.recover = match o.recover {
        0 => false,
        1 => true,
        r => {
            return Err(Error::invalid(
                "opts.recover",
                format_args!("{r} is neither 0 nor 1"),
            ));
        }
    };
    if o.recover_accept != 0.0 {
        b.recover_accept = o.recover_accept;
    }
    if o.recover_margin != 0.0 {
        b.recover_margin = o.recover_margin;
    }
    if o.recover_top != 0 {
        b.recover_top = o.recover_top as usize;
    }
    Ok(b)
}

/// Runs the Dukcapil batch job: matches the agency CSV file `agency_path`
/// against the population CSV file `population_path` and writes
/// `hasil.csv`, `anomali.csv`, `ganda.csv`, `summary.json` (and with
/// recovery `kandidat.csv`) into the directory `out_dir` (created if
/// missing). Paths are UTF-8. `progress` (may be NULL) is called with
/// `user_data`. A bad row never fails the run (it becomes an anomaly). On
/// success `*out_report` receives a new report (free with
/// `ktpel_match_report_free`). Fails with `KTPEL_STATUS_IO`,
/// `KTPEL_STATUS_INVALID_CONFIG` (policy or mapping),
/// `KTPEL_STATUS_MAPPING_COLUMN_MISSING`, `KTPEL_STATUS_NO_NIK_COLUMN` or
/// `KTPEL_STATUS_INVALID_MEMORY_BUDGET`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_run_batch(
    agency_path: *const u8,
    agency_path_len: usize,
    population_path: *const u8,
    population_path_len: usize,
    out_dir: *const u8,
    out_dir_len: usize,
    opts: *const ktpel_match_options,
    progress: ktpel_match_progress_fn,
    user_data: *mut c_void,
    out_report: *mut *mut ktpel_match_report,
) -> u32 {
    ffi_boundary!(opts, out_report => {
        // SAFETY: each path has its length in readable bytes (caller contract).
        let (agency, population, out) = unsafe {
            (
                text(agency_path, agency_path_len, "agency_path")?,
                text(population_path, population_path_len, "population_path")?,
                text(out_dir, out_dir_len, "out_dir")?,
            )
        };
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let b = options(unsafe { &*opts })?;
        let mut on_progress = |p: matching::BatchProgress| {
            if let Some(cb) = progress {
                let phase = match p.phase {
                    Phase::Population => KTPEL_MATCH_PHASE_POPULATION,
                    Phase::Agency => KTPEL_MATCH_PHASE_AGENCY,
                    _ => KTPEL_MATCH_PHASE_MERGE,
                };
                let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
                // SAFETY: the caller supplies a valid function and its user data.
                unsafe { cb(user_data, phase, n(p.pass), n(p.passes), p.bytes, p.total_bytes) };
            }
        };
        let summary = matching::run_batch(
            Path::new(agency),
            Path::new(population),
            Path::new(out),
            &b,
            &mut on_progress,
        )?;
        let json = serde_json::to_string(&summary).map_err(json_error)?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_report, util::into_handle(ktpel_match_report { summary, json })) };
        Ok(())
    })
}

/// Writes the counts of a batch report to `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_report_counts(
    report: *const ktpel_match_report,
    out: *mut ktpel_match_counts,
) -> u32 {
    ffi_boundary!(report, out => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let s = &unsafe { util::handle_ref(report) }.summary;
        let c = ktpel_match_counts {
            received: s.received,
            matched: s.matched,
            matched_deceased: s.matched_deceased,
            anomaly: s.anomaly,
            duplicate: s.duplicate,
            unmatched: s.unmatched,
            nik_not_found: s.nik_not_found,
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, c) };
        Ok(())
    })
}

/// Writes the whole summary as JSON (the content of `summary.json`) into
/// `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_report_json(
    report: *const ktpel_match_report,
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

/// Frees a batch report. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_report_free(report: *mut ktpel_match_report) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from `ktpel_match_run_batch`, freed once
        // (caller contract).
        unsafe { util::free_handle(report) }
    })
}

/// Counts of a duplicate-person search (`ktpel_match_dedupe`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_dedupe_counts {
    /// Data rows read.
    pub rows: u64,
    /// Rows that could not be read (broken quoting, wrong column count).
    pub malformed: u64,
    /// Pairs of rows with one NIK and two persons.
    pub nik_shared: u64,
    /// Pairs of rows with one person and two NIKs.
    pub person_multiple_nik: u64,
    /// Candidate pairs scored.
    pub pairs_scored: u64,
}

/// Finds duplicate persons within one CSV file `input_path` (one person under
/// two NIKs, one NIK used by two persons) and writes `duplikat.csv` and
/// `summary.json` (with the estimated model) into the directory `out_dir`
/// (created if missing). `mapping_toml` is the column mapping as TOML text
/// (empty = Dukcapil column names); `accept` is the lowest match probability
/// of a "same person" pair (0 = the default 0.99). Paths are UTF-8. On
/// success the counts are written to `*out_counts`. Fails with
/// `KTPEL_STATUS_IO`, `KTPEL_STATUS_INVALID_CONFIG` (mapping) or
/// `KTPEL_STATUS_INVALID_ARGUMENT` (`accept` outside 0..=1).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_match_dedupe(
    input_path: *const u8,
    input_path_len: usize,
    out_dir: *const u8,
    out_dir_len: usize,
    mapping_toml: *const u8,
    mapping_toml_len: usize,
    accept: f64,
    out_counts: *mut ktpel_dedupe_counts,
) -> u32 {
    ffi_boundary!(out_counts => {
        // SAFETY: each string has its length in readable bytes (caller contract).
        let (input, out) = unsafe {
            (
                text(input_path, input_path_len, "input_path")?,
                text(out_dir, out_dir_len, "out_dir")?,
            )
        };
        let m = ktpel_str { ptr: mapping_toml, len: mapping_toml_len };
        // SAFETY: readable (caller contract).
        let mapping = unsafe { mapping(&m, "mapping_toml")? };
        if !(0.0..=1.0).contains(&accept) {
            return Err(Error::invalid("accept", format_args!("{accept} is not a probability in 0..=1")));
        }
        let mut opts = matching::DedupeOptions { mapping, ..Default::default() };
        if accept != 0.0 {
            opts.accept = accept;
        }
        let s = matching::run_dedupe(Path::new(input), Path::new(out), &opts)?;
        let counts = ktpel_dedupe_counts {
            rows: s.rows,
            malformed: s.malformed,
            nik_shared: s.nik_shared,
            person_multiple_nik: s.person_multiple_nik,
            pairs_scored: s.pairs_scored,
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_counts, counts) };
        Ok(())
    })
}
