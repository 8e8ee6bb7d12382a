//! Indonesian names: normalization, anomaly detection, similarity and
//! phonetic keys.
//!
//! The same person appears in agency records as `Hj. Siti Aminah, S.Pd.`,
//! `SITI AMINAH` and `St. Aminah`; as `SOEKARNO` and `SUKARNO`; as
//! `MOCH. ARIEF`, `MUHAMMAD ARIF` and `M ARIF`; as `DJOKO` and `JOKO`; with
//! tokens reordered or a middle name dropped. This module is what the
//! matcher stands on:
//!
//! | function | what for |
//! |---|---|
//! | [`normalize`] | display and comparison form, titles removed and listed |
//! | [`matching_key`] | aggressive comparison form: old spelling, Muhammad variants, J/Y, doubled letters ([rules](key)) |
//! | [`check`] / [`check_all`] | is this a name at all? ([`NameAnomaly`], codes 200–299) |
//! | [`similarity`] / [`similarity_scores`] | same person? combined and component scores |
//! | [`phonetic_key`] / [`blocking_keys`] | blocking keys that variants of one name share ([rules](key)) |
//! | [`BlockScorer`] | one query against a block of candidates, bit-parallel |
//! | [`KeyBlock`] | a block of candidate keys in one buffer, for [`BlockScorer::score_keys_cutoff`] |
//! | [`jaro_winkler`], [`normalized_levenshtein`], … | the kernels, bit-for-bit `strsim` |
//!
//! Everything here works without `std` (`no_std` + `alloc`).
//!
//! Speed: names that are plain ASCII (nearly all register names) are keyed
//! without NFKC and without heap allocation — names of letters and spaces
//! straight from their bytes, others through the same steps on stack
//! buffers — so [`similarity`] on raw strings allocates nothing for them.
//! The results are those of the general path (property-tested on arbitrary
//! strings and on every name of the test vectors and of the generator).
//!
//! ```
//! use ktpel_core::name::{self, DEFAULT_THRESHOLD};
//! assert_eq!(name::normalize("Hj. Siti Aminah, S.Pd.").display(), "SITI AMINAH");
//! assert_eq!(name::matching_key("SOEKARNO"), name::matching_key("SUKARNO"));
//! assert!(name::similarity("MOCH. ARIEF", "M ARIF") >= DEFAULT_THRESHOLD);
//! assert!(name::similarity("SITI AMINAH", "SITI RAHAYU") < DEFAULT_THRESHOLD);
//! assert!(name::check("XXX").is_some());
//! ```

mod anomaly;
mod block;
mod buf;
#[cfg(all(test, feature = "std"))]
mod fast_path_tests;
mod kernel;
pub mod key;
mod normalize;
mod similarity;
mod titles;

pub use anomaly::{MAX_NAME_CHARS, NameAnomaly, Severity, check, check_all};
pub use block::{KeyBlock, jaro_winkler_block};
pub use kernel::{jaro, jaro_winkler, levenshtein, normalized_levenshtein};
pub use key::{COMMON_TOKENS, blocking_keys, matching_key, phonetic_key};
pub use normalize::{NormalizedName, RemovedTitle, normalize};
pub use similarity::{
    BlockScorer, COMMON_TOKEN_WEIGHT, DEFAULT_THRESHOLD, DROPPED_TOKEN_WEIGHT, INITIAL_SCORE,
    PreparedName, SimilarityScores, similarity, similarity_scores,
};
pub use titles::{TitleKind, TitlePosition};
// Used by recovery, which needs the `io` feature.
#[cfg(feature = "io")]
pub(crate) use kernel::osa_within;
#[cfg(feature = "io")]
pub(crate) use similarity::near_miss;
