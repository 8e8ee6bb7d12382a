//! Indonesian names: normalize, matching and phonetic keys, anomaly check,
//! similarity (single, batch, and a prepared one-against-many scorer).

use ktpel_core::Code;
use ktpel_core::name::{self, BlockScorer, NameAnomaly, PreparedName, Severity};
use rayon::prelude::*;

use crate::error::{Error, ffi_boundary};
use crate::util::{self, ktpel_str, put, text, write_out};

/// The similarity at or above which two names are taken as the same person
/// (`ktpel_core::name::DEFAULT_THRESHOLD`).
pub const KTPEL_NAME_DEFAULT_THRESHOLD: f64 = 0.85;
/// Longest name the population register field holds, in characters
/// (`ktpel_core::name::MAX_NAME_CHARS`).
pub const KTPEL_NAME_MAX_CHARS: u32 = 60;

/// `ktpel_name_check_result.severity`: the name is clean.
pub const KTPEL_NAME_SEVERITY_NONE: u32 = 0;
/// `ktpel_name_check_result.severity`: not usable as a name; set the record
/// aside.
pub const KTPEL_NAME_SEVERITY_ERROR: u32 = 1;
/// `ktpel_name_check_result.severity`: usable, but not as Permendagri 73/2022
/// asks (a single word, abbreviations).
pub const KTPEL_NAME_SEVERITY_WARNING: u32 = 2;

// The constants above mirror the core's; a mismatch fails the build.
const _: () = assert!(KTPEL_NAME_DEFAULT_THRESHOLD == name::DEFAULT_THRESHOLD);
const _: () = assert!(KTPEL_NAME_MAX_CHARS as usize == name::MAX_NAME_CHARS);

/// The result of `ktpel_name_check`: the first (most serious) anomaly of a
/// name, errors before warnings. A successful call fills every field.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_name_check_result {
    /// `KTPEL_STATUS_OK` (0) for a clean name, else the anomaly's code
    /// (`KTPEL_STATUS_EMPTY`, `KTPEL_STATUS_PLACEHOLDER`,
    /// `KTPEL_STATUS_NEWBORN_PLACEHOLDER`, `KTPEL_STATUS_SINGLE_WORD`, ...).
    pub code: u32,
    /// `KTPEL_NAME_SEVERITY_NONE`, `_ERROR` or `_WARNING`.
    pub severity: u32,
    /// Number of anomalies (all of them: `ktpel_name_check_all`).
    pub anomaly_count: u32,
    /// For `KTPEL_STATUS_TOO_LONG`: characters of the normalized name; else 0.
    pub chars: u32,
    /// 1 when `code` is `KTPEL_STATUS_NEWBORN_PLACEHOLDER` and the placeholder
    /// names the mother (read it with `ktpel_name_check_mother`); else 0.
    pub has_mother: u8,
}

/// The similarity of two names and its components, all in [0, 1].
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ktpel_name_scores {
    /// The score to threshold (`KTPEL_NAME_DEFAULT_THRESHOLD`): the
    /// token-aligned score, equal to `ktpel_name_similarity`.
    pub combined: f64,
    /// Token alignment (order-free, initials, common tokens weighing half).
    pub token: f64,
    /// Jaro-Winkler of the whole matching keys.
    pub jaro_winkler: f64,
    /// Normalized Levenshtein of the whole matching keys.
    pub levenshtein: f64,
}

/// A prepared query name scored against many candidates (opaque; wraps
/// `ktpel_core::name::BlockScorer`). Immutable after creation: `Send + Sync`,
/// may be used by several threads at once. Free with
/// `ktpel_name_scorer_free`.
pub struct ktpel_name_scorer {
    scorer: BlockScorer,
}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<ktpel_name_scorer>();
};

fn json(r: serde_json::Result<String>) -> Result<String, Error> {
    r.map_err(|e| Error::new(Code::Panic, format!("JSON output: {e}")))
}

/// Reads `count` input strings as UTF-8; a bad item fails the call, naming
/// its index.
///
/// # Safety
/// `items` must be NULL (with `count == 0`) or point to `count` readable
/// `ktpel_str`, each pointing to `len` readable bytes.
unsafe fn texts<'a>(
    items: *const ktpel_str,
    count: usize,
    arg: &str,
) -> Result<Vec<&'a str>, Error> {
    // SAFETY: forwarded contract.
    let items = unsafe { util::array(items, count, arg)? };
    items
        .iter()
        .enumerate()
        // SAFETY: each item points to `len` readable bytes (forwarded contract).
        .map(|(i, s)| unsafe { text(s.ptr, s.len, &format!("{arg}[{i}]")) })
        .collect()
}

/// Writes the display form of a name (`name`, `name_len`: UTF-8) into `buf`:
/// NFKC, diacritics folded, uppercase, titles removed, whitespace collapsed,
/// apostrophes and hyphens inside a word kept (`Hj. Siti Aminah, S.Pd.` →
/// `SITI AMINAH`; `Ma’ruf Amin` → `MA'RUF AMIN`). Empty when nothing of a
/// name is left.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_normalize(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let n = name::normalize(unsafe { text(name, name_len, "name")? });
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(n.display().as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the comparison form of a name into `buf`: the display form with
/// apostrophes dropped and hyphens made spaces (`Ma’ruf Amin` → `MARUF AMIN`,
/// `Nur-Aini` → `NUR AINI`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_normalize_compare(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let n = name::normalize(unsafe { text(name, name_len, "name")? });
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(n.as_str().as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the whole normalization as a JSON object into `buf`:
/// `{"display": "SITI AMINAH", "normalized": "SITI AMINAH", "removed":
/// [{"text": "HJ.", "title": "Hj.", "kind": "religious", "position":
/// "prefix", "meaning": "Hajjah"}, ...]}` — every removed title as written,
/// its usual form, kind (`academic`, `religious`, `professional`,
/// `honorific`, `status`), position (`prefix`, `suffix`, `after_comma`) and
/// meaning, in the order they stood.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_normalize_json(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let n = name::normalize(unsafe { text(name, name_len, "name")? });
        let j = json(serde_json::to_string(&n))?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(j.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the matching key of a name into `buf`: the aggressive comparison
/// form (old spelling, Muhammad variants, J/Y, doubled letters), equal for
/// `SOEKARNO` and `SUKARNO`. Store it to compare many names quickly.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_matching_key(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let k = name::matching_key(unsafe { text(name, name_len, "name")? });
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(k.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the phonetic key of a name into `buf`: a blocking key that spelling
/// variants of one name share (`SITI AMINAH` → `SITI AMINA`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_phonetic_key(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let k = name::phonetic_key(unsafe { text(name, name_len, "name")? });
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(k.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes the blocking keys of a name into `buf` as a JSON array of strings
/// (`["AMINA SITI", ...]`): two records whose names share a key are worth
/// comparing.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_blocking_keys_json(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let keys = name::blocking_keys(unsafe { text(name, name_len, "name")? });
        let j = json(serde_json::to_string(&keys))?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(j.as_bytes(), buf, len, out_written, "buf") }
    })
}

fn severity(a: &NameAnomaly) -> u32 {
    match a.severity() {
        Severity::Error => KTPEL_NAME_SEVERITY_ERROR,
        Severity::Warning => KTPEL_NAME_SEVERITY_WARNING,
    }
}

/// Checks whether a name is a name and writes the first (most serious)
/// anomaly to `*out`; `out->code == KTPEL_STATUS_OK` for a clean name. An
/// anomaly is a verdict, not a failure: the call returns `KTPEL_STATUS_OK`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_check(
    name: *const u8,
    name_len: usize,
    out: *mut ktpel_name_check_result,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let all = name::check_all(unsafe { text(name, name_len, "name")? });
        let r = match all.first() {
            None => ktpel_name_check_result::default(),
            Some(a) => ktpel_name_check_result {
                code: a.code().as_u32(),
                severity: severity(a),
                anomaly_count: u32::try_from(all.len()).unwrap_or(u32::MAX),
                chars: match a {
                    NameAnomaly::TooLong { chars } => u32::try_from(*chars).unwrap_or(u32::MAX),
                    _ => 0,
                },
                has_mother: u8::from(a.mother_name().is_some()),
            },
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// Writes the codes of all anomalies of a name (errors first; none for a
/// clean name) into `codes`, an array of `codes_len` entries, and their number
/// to `*out_count`. If `codes_len` is too small, returns
/// `KTPEL_STATUS_BUFFER_TOO_SMALL` with the number needed in `*out_count`
/// (at most 10 anomalies exist).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_check_all(
    name: *const u8,
    name_len: usize,
    codes: *mut u32,
    codes_len: usize,
    out_count: *mut usize,
) -> u32 {
    ffi_boundary!(out_count => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let all = name::check_all(unsafe { text(name, name_len, "name")? });
        if all.len() > codes_len {
            // SAFETY: non-NULL (boundary), writable.
            unsafe { put(out_count, all.len()) };
            return Err(Error::new(
                Code::BufferTooSmall,
                format!("array `codes` holds {codes_len} entries; {} are needed", all.len()),
            ));
        }
        // SAFETY: `codes` has `codes_len >= all.len()` writable entries.
        let dst = unsafe { util::array_mut(codes, all.len(), "codes")? };
        for (d, a) in dst.iter_mut().zip(&all) {
            *d = a.code().as_u32();
        }
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_count, all.len()) };
        Ok(())
    })
}

/// Writes the mother's name (normalized) that a newborn placeholder carries
/// (`BAYI NY. SITI AMINAH` → `SITI AMINAH`) into `buf`; writes 0 bytes when
/// the name is not a newborn placeholder or names no mother (see
/// `ktpel_name_check_result.has_mother`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_check_mother(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let first = name::check(unsafe { text(name, name_len, "name")? });
        let mother = first.as_ref().and_then(|a| a.mother_name()).unwrap_or("");
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(mother.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes all anomalies of a name as a JSON array into `buf` (`[]` for a
/// clean name): `[{"code": "NEWBORN_PLACEHOLDER", "severity": "error",
/// "message": "...", "mother": "SITI"}]`, with `chars` (TOO_LONG), `tokens`
/// (ABBREVIATED) and `mother` (NEWBORN_PLACEHOLDER) where they belong.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_check_json(
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(out_written => {
        // SAFETY: `name` has `name_len` readable bytes (caller contract).
        let all = name::check_all(unsafe { text(name, name_len, "name")? });
        let j = json(serde_json::to_string(&all))?;
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(j.as_bytes(), buf, len, out_written, "buf") }
    })
}

/// Writes how alike two names are, in [0, 1], to `*out` (symmetric; 1 for
/// names with the same matching key). Compare with
/// `KTPEL_NAME_DEFAULT_THRESHOLD`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_similarity(
    a: *const u8,
    a_len: usize,
    b: *const u8,
    b_len: usize,
    out: *mut f64,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: each (ptr, len) pair is readable (caller contract).
        let (a, b) = unsafe { (text(a, a_len, "a")?, text(b, b_len, "b")?) };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, name::similarity(a, b)) };
        Ok(())
    })
}

/// Writes the similarity of two names and its components to `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_similarity_scores(
    a: *const u8,
    a_len: usize,
    b: *const u8,
    b_len: usize,
    out: *mut ktpel_name_scores,
) -> u32 {
    ffi_boundary!(out => {
        // SAFETY: each (ptr, len) pair is readable (caller contract).
        let (a, b) = unsafe { (text(a, a_len, "a")?, text(b, b_len, "b")?) };
        let s = name::similarity_scores(a, b);
        let r = ktpel_name_scores {
            combined: s.combined,
            token: s.token,
            jaro_winkler: s.jaro_winkler,
            levenshtein: s.levenshtein,
        };
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// Scores `count` pairs in one call (in parallel): `out[i]` receives
/// `ktpel_name_similarity(a[i], b[i])`. `a`, `b` and `out` are arrays of
/// `count` entries. An item that is not UTF-8 fails the whole call
/// (`KTPEL_STATUS_INVALID_UTF8`, the message names the index).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_similarity_batch(
    a: *const ktpel_str,
    b: *const ktpel_str,
    count: usize,
    out: *mut f64,
) -> u32 {
    ffi_boundary!(=> {
        // SAFETY: `a` and `b` have `count` readable items (caller contract).
        let (a, b) = unsafe { (texts(a, count, "a")?, texts(b, count, "b")?) };
        // SAFETY: `out` has `count` writable entries (caller contract).
        let out = unsafe { util::array_mut(out, count, "out")? };
        out.par_iter_mut()
            .enumerate()
            .with_min_len(1024)
            .for_each(|(i, o)| *o = name::similarity(a[i], b[i]));
        Ok(())
    })
}

/// Prepares `query` (a raw name; normalized and keyed here) for scoring
/// against many candidates and writes a new handle to `*out_scorer`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_new(
    query: *const u8,
    query_len: usize,
    out_scorer: *mut *mut ktpel_name_scorer,
) -> u32 {
    ffi_boundary!(out_scorer => {
        // SAFETY: `query` has `query_len` readable bytes (caller contract).
        let q = unsafe { text(query, query_len, "query")? };
        let h = util::into_handle(ktpel_name_scorer { scorer: BlockScorer::new(q) });
        // SAFETY: non-NULL (boundary), writable.
        unsafe { put(out_scorer, h) };
        Ok(())
    })
}

/// Writes the query's matching key into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_key(
    scorer: *const ktpel_name_scorer,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> u32 {
    ffi_boundary!(scorer, out_written => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let s = unsafe { util::handle_ref(scorer) };
        // SAFETY: `out_written` non-NULL (boundary); `buf` has `len` bytes.
        unsafe { write_out(s.scorer.query().key().as_bytes(), buf, len, out_written, "buf") }
    })
}

/// The fast blocking pass: `out[i]` receives the Jaro-Winkler of
/// `candidate_keys[i]` — a MATCHING KEY (`ktpel_name_matching_key`, e.g.
/// stored in an index), not a raw name — against the query's key,
/// bit-parallel. Use `ktpel_name_scorer_similarity` on the survivors.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_jaro_winkler(
    scorer: *const ktpel_name_scorer,
    candidate_keys: *const ktpel_str,
    count: usize,
    out: *mut f64,
) -> u32 {
    ffi_boundary!(scorer => {
        // SAFETY: the caller contract of this function is that of `score_keys`.
        unsafe { score_keys(scorer, candidate_keys, count, None, out) }
    })
}

/// `ktpel_name_scorer_jaro_winkler` with a cutoff in [0, 1]: `out[i]` is
/// the exact score when it is at least `cutoff`, else 0. A lossless
/// prefilter skips most candidates without reading them, which makes large
/// blocks several times faster (`BlockScorer::score_keys_cutoff`).
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_jaro_winkler_cutoff(
    scorer: *const ktpel_name_scorer,
    candidate_keys: *const ktpel_str,
    count: usize,
    cutoff: f64,
    out: *mut f64,
) -> u32 {
    ffi_boundary!(scorer => {
        if !(0.0..=1.0).contains(&cutoff) {
            return Err(Error::invalid("cutoff", format_args!("{cutoff} is not in [0, 1]")));
        }
        // SAFETY: the caller contract of this function is that of `score_keys`.
        unsafe { score_keys(scorer, candidate_keys, count, Some(cutoff), out) }
    })
}

/// The body of `ktpel_name_scorer_jaro_winkler` (`cutoff` None) and
/// `_jaro_winkler_cutoff`: the candidate keys as one `KeyBlock`, scored.
///
/// # Safety
/// `scorer` non-NULL and live; `candidate_keys` has `count` readable items
/// and `out` `count` writable entries.
unsafe fn score_keys(
    scorer: *const ktpel_name_scorer,
    candidate_keys: *const ktpel_str,
    count: usize,
    cutoff: Option<f64>,
    out: *mut f64,
) -> Result<(), Error> {
    // SAFETY: non-NULL, a live handle (caller contract).
    let s = unsafe { util::handle_ref(scorer) };
    // SAFETY: `candidate_keys` has `count` readable items (caller contract).
    let keys = unsafe { texts(candidate_keys, count, "candidate_keys")? };
    // SAFETY: `out` has `count` writable entries (caller contract).
    let out = unsafe { util::array_mut(out, count, "out")? };
    let block = keys.iter().copied().collect();
    let mut scores = Vec::with_capacity(count);
    match cutoff {
        Some(c) => s.scorer.score_keys_cutoff(&block, c, &mut scores),
        None => s.scorer.score_keys(&block, &mut scores),
    }
    out.copy_from_slice(&scores);
    Ok(())
}

/// The full similarity of each candidate (a raw name, normalized here) to
/// the query: `out[i] == ktpel_name_similarity(query, candidates[i])`, in
/// parallel.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_similarity(
    scorer: *const ktpel_name_scorer,
    candidates: *const ktpel_str,
    count: usize,
    out: *mut f64,
) -> u32 {
    ffi_boundary!(scorer => {
        // SAFETY: non-NULL, a live handle (caller contract).
        let s = unsafe { util::handle_ref(scorer) };
        // SAFETY: `candidates` has `count` readable items (caller contract).
        let names = unsafe { texts(candidates, count, "candidates")? };
        // SAFETY: `out` has `count` writable entries (caller contract).
        let out = unsafe { util::array_mut(out, count, "out")? };
        out.par_iter_mut()
            .enumerate()
            .with_min_len(1024)
            .for_each(|(i, o)| *o = s.scorer.similarity(&PreparedName::new(names[i])));
        Ok(())
    })
}

/// Frees a scorer. NULL is a no-op.
#[unsafe(no_mangle)]
pub extern "C" fn ktpel_name_scorer_free(scorer: *mut ktpel_name_scorer) {
    crate::error::run_void(|| {
        // SAFETY: NULL or a handle from `ktpel_name_scorer_new`, freed once
        // (caller contract).
        unsafe { util::free_handle(scorer) }
    })
}
