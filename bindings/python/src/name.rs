//! `name`: normalization, anomalies, similarity, keys.

use ktpel_core::name as core_name;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One removed title: `(text, title, kind, position, meaning)`.
pub type RemovedRow = (
    String,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Normalizes a name: `(display, normalized, removed)` where `removed` lists
/// `(text, title, kind, position, meaning)` tuples.
#[pyfunction]
pub fn name_normalize(s: &str) -> (String, String, Vec<RemovedRow>) {
    let n = core_name::normalize(s);
    let removed = n
        .removed()
        .iter()
        .map(|r| {
            (
                r.text.clone(),
                r.title,
                r.kind.as_str(),
                r.position.as_str(),
                r.meaning,
            )
        })
        .collect();
    (n.display().to_owned(), n.as_str().to_owned(), removed)
}

/// The matching key.
#[pyfunction]
pub fn name_matching_key(s: &str) -> String {
    core_name::matching_key(s)
}

/// The phonetic key.
#[pyfunction]
pub fn name_phonetic_key(s: &str) -> String {
    core_name::phonetic_key(s)
}

/// Blocking keys.
#[pyfunction]
pub fn name_blocking_keys(s: &str) -> Vec<String> {
    core_name::blocking_keys(s)
}

/// Every anomaly: `(code, severity, message, mother)` tuples, the most serious first.
#[pyfunction]
pub fn name_check_all(s: &str) -> Vec<(&'static str, &'static str, String, Option<String>)> {
    core_name::check_all(s)
        .into_iter()
        .map(|a| {
            (
                a.code().as_str(),
                a.severity().as_str(),
                a.to_string(),
                a.mother_name().map(str::to_owned),
            )
        })
        .collect()
}

/// The combined similarity in [0, 1].
#[pyfunction]
pub fn name_similarity(a: &str, b: &str) -> f64 {
    core_name::similarity(a, b)
}

/// The combined score and its components.
#[pyfunction]
pub fn name_similarity_scores<'py>(
    py: Python<'py>,
    a: &str,
    b: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let s = core_name::similarity_scores(a, b);
    let d = PyDict::new(py);
    d.set_item("combined", s.combined)?;
    d.set_item("token", s.token)?;
    d.set_item("jaro_winkler", s.jaro_winkler)?;
    d.set_item("levenshtein", s.levenshtein)?;
    Ok(d)
}

/// Similarity of many pairs without the GIL (one score per pair, in order).
#[pyfunction]
pub fn name_similarity_many(py: Python<'_>, a: Vec<String>, b: Vec<String>) -> PyResult<Vec<f64>> {
    if a.len() != b.len() {
        return Err(crate::error::invalid_argument(
            crate::error::Origin::Name,
            format!(
                "a and b have different lengths ({} and {})",
                a.len(),
                b.len()
            ),
        ));
    }
    py.detach(|| {
        crate::error::catch_panic(crate::error::Origin::Name, || {
            a.iter()
                .zip(&b)
                .map(|(x, y)| core_name::similarity(x, y))
                .collect()
        })
    })
}

/// Jaro-Winkler, Jaro, Levenshtein distance, normalized Levenshtein kernels.
#[pyfunction]
pub fn name_jaro_winkler(a: &str, b: &str) -> f64 {
    core_name::jaro_winkler(a, b)
}

/// Jaro-Winkler of `query`'s matching key against each candidate matching
/// key, without the GIL; with `cutoff`, scores below it are 0 and a
/// lossless prefilter skips most candidates.
#[pyfunction]
#[pyo3(signature = (query, keys, cutoff=None))]
pub fn name_jaro_winkler_block(
    py: Python<'_>,
    query: &str,
    keys: Vec<String>,
    cutoff: Option<f64>,
) -> PyResult<Vec<f64>> {
    if let Some(c) = cutoff
        && !(0.0..=1.0).contains(&c)
    {
        return Err(crate::error::invalid_argument(
            crate::error::Origin::Name,
            format!("cutoff: {c} is not in [0, 1]"),
        ));
    }
    py.detach(|| {
        crate::error::catch_panic(crate::error::Origin::Name, || {
            core_name::jaro_winkler_block(query, &keys, cutoff)
        })
    })
}

/// Jaro similarity.
#[pyfunction]
pub fn name_jaro(a: &str, b: &str) -> f64 {
    core_name::jaro(a, b)
}

/// Levenshtein distance.
#[pyfunction]
pub fn name_levenshtein(a: &str, b: &str) -> usize {
    core_name::levenshtein(a, b)
}

/// Normalized Levenshtein similarity.
#[pyfunction]
pub fn name_normalized_levenshtein(a: &str, b: &str) -> f64 {
    core_name::normalized_levenshtein(a, b)
}

/// Registers the functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NAME_DEFAULT_THRESHOLD", core_name::DEFAULT_THRESHOLD)?;
    m.add_function(wrap_pyfunction!(name_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(name_matching_key, m)?)?;
    m.add_function(wrap_pyfunction!(name_phonetic_key, m)?)?;
    m.add_function(wrap_pyfunction!(name_blocking_keys, m)?)?;
    m.add_function(wrap_pyfunction!(name_check_all, m)?)?;
    m.add_function(wrap_pyfunction!(name_similarity, m)?)?;
    m.add_function(wrap_pyfunction!(name_similarity_scores, m)?)?;
    m.add_function(wrap_pyfunction!(name_similarity_many, m)?)?;
    m.add_function(wrap_pyfunction!(name_jaro_winkler, m)?)?;
    m.add_function(wrap_pyfunction!(name_jaro_winkler_block, m)?)?;
    m.add_function(wrap_pyfunction!(name_jaro, m)?)?;
    m.add_function(wrap_pyfunction!(name_levenshtein, m)?)?;
    m.add_function(wrap_pyfunction!(name_normalized_levenshtein, m)?)?;
    Ok(())
}
