//! The file-to-file batch job: validate a NIK or KK column of a CSV file.

use core::ffi::c_void;
use std::fs::File;
use std::io::{BufWriter, Write};

use ktpel_core::Code;
use ktpel_core::validate::{self, Kind, OutputFormat, ValidateOptions, ValidateSummary};

use crate::error::{Error, ffi_boundary};
use crate::nik::ktpel_check_options;
use crate::util::{self, ktpel_str, put, write_out};

/// `ktpel_validate_options.kind`: the column holds NIKs.
pub const KTPEL_KIND_NIK: u32 = 0;
/// `ktpel_validate_options.kind`: the column holds KK numbers.
pub const KTPEL_KIND_KK: u32 = 1;
/// `ktpel_validate_options.format`: CSV out (input columns + verdict columns).
pub const KTPEL_FORMAT_CSV: u32 = 0;
/// `ktpel_validate_options.format`: JSON Lines out (one object per row).
pub const KTPEL_FORMAT_JSONL: u32 = 1;

/// Progress callback of `ktpel_validate_csv`, called after each block with
/// the rows done and input bytes consumed so far, on the calling thread. It
/// must not unwind (no C++ exception, no `longjmp`) through ktpel.
pub type ktpel_progress_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, rows: u64, bytes: u64)>;

/// Options of `ktpel_validate_csv`. All zero (with `column` set) means: NIK,
/// CSV out, comma, strict, today, 65,536-row blocks.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ktpel_validate_options {
    /// Header of the column to check (UTF-8; matched case-insensitively,
    /// trimmed). Required.
    pub column: ktpel_str,
    /// Mode, reference date and known birth year of every check.
    pub check: ktpel_check_options,
    /// `KTPEL_KIND_NIK` or `KTPEL_KIND_KK`.
    pub kind: u32,
    /// `KTPEL_FORMAT_CSV` or `KTPEL_FORMAT_JSONL`.
    pub format: u32,
    /// Rows per block (memory bound and parallel grain); 0 = 65,536.
    pub block_rows: u32,
    /// Field delimiter of the input (and CSV output) as an ASCII byte; 0 = `,`.
    pub delimiter: u8,
}

/// Counts of a validation run; `valid + invalid == rows`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_validate_counts {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows whose number is valid (warnings allowed).
    pub valid: u64,
    /// Rows whose number is invalid or which could not be read.
    pub invalid: u64,
    /// Bytes of input read.
    pub bytes: u64,
}

/// The summary of a finished `ktpel_validate_csv` run (opaque). Read-only:
/// `Send + Sync`, may be read from several threads. Free with
/// `ktpel_validate_report_free`.
pub struct ktpel_validate_report {
    summary: ValidateSummary,
    json: String,
}

fn options(o: &ktpel_validate_options) -> Result<ValidateOptions, Error> {
    let kind = match o.kind {
        KTPEL_KIND_NIK => Kind::Nik,
        KTPEL_KIND_KK => Kind::Kk,
        k => {
            return Err(Error::invalid(
                "opts.kind",
                format_args!("{k} is neither KTPEL_KIND_NIK (0) nor KTPEL_KIND_KK (1)"),
            ));
        }
    };
    // SAFETY: the caller guarantees `column` points to `len` readable bytes.
    let column = unsafe { util::text(o.column.ptr, o.column.len, "opts.column")? };
    if column.trim().is_empty() {
        return Err(Error::invalid("opts.column", "the column name is empty"));
    }
    let mut v = ValidateOptions::new(kind, column);
    let r = crate::nik::resolve_options(&o.check)?;
    v.check.mode = r.mode;
    v.check.reference_date = Some(r.reference);
    v.check.birth_year = r.birth_year;
    v.format = match o.format {
        KTPEL_FORMAT_CSV => OutputFormat::Csv,
        KTPEL_FORMAT_JSONL => OutputFormat::Jsonl,
        f => {
            return Err(Error::invalid(
                "opts.format",
                format_args!("{f} is neither KTPEL_FORMAT_CSV (0) nor KTPEL_FORMAT_JSONL (1)"),
            ));
        }
    };
    if o.delimiter != 0 {
        if !o.delimiter.is_ascii() || o.delimiter == b'"' || o.delimiter == b'\n' {
            return Err(Error::invalid(
                "opts.delimiter",
                "must be an ASCII byte other than a quote or newline",
            ));
        }
        v.delimiter = o.delimiter;
    }
    if o.block_rows != 0 {
        v.block_rows = o.block_rows as usize;
    }
    Ok(v)
}

fn io_error(what: &str, path: &str, e: std::io::Error) -> Error {
    Error::new(Code::Io, format!("cannot {what} {path:?}: {e}"))
}

/// Streams the CSV file `input_path` (UTF-8 path, with a header row) to
/// `output_path` (created or truncated), checking the column named in `opts`:
/// every input row gives exactly one output row. `progress` (may be NULL) is
/// called after each block with `user_data`. On success `*out_report`
/// receives a new report handle (free with `ktpel_validate_report_free`).
/// Fails with `KTPEL_STATUS_IO`, `KTPEL_STATUS_CSV` or
/// `KTPEL_STATUS_COLUMN_NOT_FOUND`; a bad row never fails the run.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_validate_csv(
    input_path: *const u8,
    input_path_len: usize,
    output_path: *const u8,
    output_path_len: usize,
    opts: *const ktpel_validate_options,
    progress: ktpel_progress_fn,
    user_data: *mut c_void,
    out_report: *mut *mut ktpel_validate_report,
) -> u32 {
    ffi_boundary!(opts, out_report => {
        // SAFETY: both paths have their lengths in readable bytes (caller contract).
        let input = unsafe { util::text(input_path, input_path_len, "input_path")? };
        // SAFETY: as above.
        let output = unsafe { util::text(output_path, output_path_len, "output_path")? };
        // SAFETY: non-NULL (boundary); the caller passes a readable struct.
        let v = options(unsafe { &*opts })?;
        let reader = File::open(input).map_err(|e| io_error("open", input, e))?;
        let sink = File::create(output).map_err(|e| io_error("create", output, e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, sink);
        let mut on_progress = |p: validate::Progress| {
            if let Some(cb) = progress {
                // SAFETY: the caller supplies a valid function and its user data.
                unsafe { cb(user_data, p.rows, p.bytes) };
            }
        };
        let summary = validate::validate_csv(reader, &mut writer, &v, &mut on_progress)?;
        writer.flush().map_err(|e| io_error("write", output, e))?;
        let json = serde_json::to_string(&summary)
            .map_err(|e| Error::new(Code::Panic, format!("summary JSON: {e}")))?;
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_report, util::into_handle(ktpel_validate_report { summary, json })) };
        Ok(())
    })
}

/// Writes the counts of a report to `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_validate_report_counts(
    report: *const ktpel_validate_report,
    out: *mut ktpel_validate_counts,
) -> u32 {
    ffi_boundary!(report, out => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let s = &unsafe { util::handle_ref(report) }.summary;
        let c = ktpel_validate_counts { rows: s.rows, valid: s.valid, invalid: s.invalid, bytes: s.bytes };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, c) };
        Ok(())
    })
}

/// Writes the number of rows counted under `status` (an error code such as
/// `KTPEL_STATUS_SPREADSHEET_CORRUPTED` or `KTPEL_STATUS_MALFORMED_ROW`, or a
/// warning code such as `KTPEL_STATUS_HISTORIC_REGION_CODE`) to `*out_rows`;
/// 0 when none.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_validate_report_rows_with(
    report: *const ktpel_validate_report,
    status: u32,
    out_rows: *mut u64,
) -> u32 {
    ffi_boundary!(report, out_rows => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let s = &unsafe { util::handle_ref(report) }.summary;
        let code = Code::from_u32(status)
            .ok_or_else(|| Error::invalid("status", format_args!("{status} is not a ktpel status")))?;
        let n = s.codes.get(code.as_str()).copied().unwrap_or(0)
            + s.warnings.get(code.as_str()).copied().unwrap_or(0);
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_rows, n) };
        Ok(())
    })
}

/// Writes the whole summary as JSON (`rows`, `valid`, `invalid`, `codes`,
/// `warnings`, `column_warnings`, `bytes`; the same object the CLI prints)
/// into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_validate_report_json(
    report: *const ktpel_validate_report,
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

/// Frees a report. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_validate_report_free(report: *mut ktpel_validate_report) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from `ktpel_validate_csv`, freed once
        // (caller contract).
        unsafe { util::free_handle(report) }
    })
}
