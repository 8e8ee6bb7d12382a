//! Names: normalization, anomalies, similarity, keys.

use crate::error::{Result, guard};
use ktpel_core::name;
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

/// A title removed by `normalize`.
#[napi(object)]
pub struct RemovedTitleInfo {
    /// As written (uppercased, folded), e.g. `S.PD.`.
    pub text: String,
    /// Usual written form, e.g. `S.Pd.`.
    pub title: String,
    /// What it stands for.
    pub meaning: String,
}

/// A normalized name.
#[napi(object)]
pub struct NormalizedNameInfo {
    /// For display: uppercased, titles removed, apostrophes kept.
    pub display: String,
    /// For comparison.
    pub normalized: String,
    /// Titles removed.
    pub removed: Vec<RemovedTitleInfo>,
}

/// Normalizes a name (titles removed, case and spacing folded).
#[napi]
pub fn name_normalize(input: String) -> Result<NormalizedNameInfo> {
    guard(|| {
        let n = name::normalize(&input);
        Ok(NormalizedNameInfo {
            display: n.display().into(),
            normalized: n.as_str().into(),
            removed: n
                .removed()
                .iter()
                .map(|r| RemovedTitleInfo {
                    text: r.text.clone(),
                    title: r.title.into(),
                    meaning: r.meaning.into(),
                })
                .collect(),
        })
    })
}

/// The key records are compared on.
#[napi]
pub fn name_matching_key(input: String) -> Result<String> {
    guard(|| Ok(name::matching_key(&input)))
}

/// Phonetic key (spelling variants collapse).
#[napi]
pub fn name_phonetic_key(input: String) -> Result<String> {
    guard(|| Ok(name::phonetic_key(&input)))
}

/// Blocking keys for candidate search.
#[napi]
pub fn name_blocking_keys(input: String) -> Result<Vec<String>> {
    guard(|| Ok(name::blocking_keys(&input)))
}

/// One anomaly of a name.
#[napi(object, use_nullable = true)]
pub struct NameAnomalyInfo {
    /// Stable code, e.g. `PLACEHOLDER`.
    pub code: String,
    /// `error` (set the record aside) or `warning`.
    pub severity: String,
    /// Message a clerk can act on.
    pub message: String,
    /// Mother's name extracted from a newborn placeholder (`BY NY SITI`).
    pub mother: Option<String>,
}

fn anomaly(a: &name::NameAnomaly) -> NameAnomalyInfo {
    let mother = match a {
        name::NameAnomaly::NewbornPlaceholder { mother } => mother.clone(),
        _ => None,
    };
    NameAnomalyInfo {
        code: a.code().as_str().into(),
        severity: a.severity().as_str().into(),
        message: a.to_string(),
        mother,
    }
}

/// Every anomaly of a name, most severe first; empty for a clean name.
#[napi]
pub fn name_check(input: String) -> Result<Vec<NameAnomalyInfo>> {
    guard(|| Ok(name::check_all(&input).iter().map(anomaly).collect()))
}

/// Similarity components.
#[napi(object)]
pub struct SimilarityInfo {
    /// The combined score in [0, 1] (what `similarity` returns).
    pub combined: f64,
    /// Token-set score.
    pub token: f64,
    /// Jaro-Winkler of the keys.
    pub jaro_winkler: f64,
    /// Normalized Levenshtein of the keys.
    pub levenshtein: f64,
}

/// Similarity of two names in [0, 1] (symmetric).
#[napi]
pub fn name_similarity(a: String, b: String) -> Result<f64> {
    guard(|| Ok(name::similarity(&a, &b)))
}

/// Similarity with its components.
#[napi]
pub fn name_similarity_scores(a: String, b: String) -> Result<SimilarityInfo> {
    guard(|| {
        let s = name::similarity_scores(&a, &b);
        Ok(SimilarityInfo {
            combined: s.combined,
            token: s.token,
            jaro_winkler: s.jaro_winkler,
            levenshtein: s.levenshtein,
        })
    })
}

/// Jaro-Winkler of `query`'s matching key against each candidate matching
/// key; with `cutoff`, scores below it are 0 and a lossless prefilter skips
/// most candidates.
#[napi]
pub fn name_jaro_winkler_block(
    query: String,
    keys: Vec<String>,
    cutoff: Option<f64>,
) -> Result<Float64Array> {
    guard(|| {
        if let Some(c) = cutoff
            && !(0.0..=1.0).contains(&c)
        {
            return Err(crate::error::invalid_argument(
                "cutoff",
                format_args!("{c} is not in [0, 1]"),
            ));
        }
        Ok(name::jaro_winkler_block(&query, &keys, cutoff).into())
    })
}

/// The score at or above which two names are taken as the same person.
#[napi]
pub fn name_default_threshold() -> f64 {
    name::DEFAULT_THRESHOLD
}
