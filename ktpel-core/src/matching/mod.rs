//! Record matching (pemadanan): agency records against the population
//! register.
//!
//! | item | what for |
//! |---|---|
//! | [`Record`], [`Element`], [`Mapping`], [`Binding`] | the record schema; Dukcapil headers map automatically, other schemas through a TOML mapping; conversion problems are [`Finding`]s |
//! | [`verify`], [`Policy`], [`Verification`] | the web-service semantics: per element `SESUAI` / `TIDAK_SESUAI` / `TIDAK_DIISI`, overall `SESUAI` / `TIDAK_SESUAI` / `NIK_TIDAK_DITEMUKAN` |
//! | [`run_batch`] | the Dukcapil batch steps from CSV files to `hasil.csv`, `anomali.csv`, `ganda.csv`, `summary.json`; NIK recovery ([`recover`]) |
//! | [`run_dedupe`] | duplicate persons within one file: one person under two NIKs, one NIK used by two persons |
//!
//! Codes 300–399 ([`Code`]). Needs the `io` feature.
//!
//! ```
//! use ktpel_core::matching::{verify, Overall, Policy, Record};
//! let (agency, _) = Record::from_pairs(&[("NIK", "3174015708900123"), ("NAMA_LGKP", "SITI AMINAH"), ("TGL_LHR", "17-08-1990")]);
//! let (register, _) = Record::from_pairs(&[("NIK", "3174015708900123"), ("NAMA_LGKP", "HJ. SITI AMINAH"), ("TGL_LHR", "17-08-1990"), ("JENIS_KLMIN", "P")]);
//! assert_eq!(verify(&agency, Some(&register), &Policy::default()).overall, Overall::Sesuai);
//! ```

mod batch;
mod dedupe;
mod record;
pub mod recover;
mod split;
mod verify;

pub use batch::{
    BatchOptions, BatchProgress, Category, Phase, PopulationSummary, RecoverySummary, Summary,
    parse_size, run_batch,
};
pub use dedupe::{DedupeOptions, DedupeSummary, run_dedupe};
pub use record::{
    Binding, Columns, DEFAULT_DATE_FORMATS, DEFAULT_SEX_CODES, DEFAULT_STATUS_CODES, Element,
    Extra, ExtraCompare, ExtraSpec, ExtraType, Finding, LifeStatus, Mapping, Record, RecoveryRules,
};
pub use verify::{
    Comparison, DEFAULT_PLACE_THRESHOLD, ElementResult, Overall, Policy, Rule, SWAP_SCORE, Verdict,
    Verification, compare_element, normalize_text, place_similarity, verify,
};

use crate::{Code, HasCode};

/// Errors that stop a matching run before or while it runs. A bad row never
/// does: it becomes an anomaly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// Reading or writing a file failed.
    #[error("reading or writing {path} failed: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A mapping or policy file is invalid.
    #[error("the {what} file is invalid: {reason}")]
    Config {
        /// `mapping` or `policy`.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A column named in the mapping is not in the file.
    #[error("the file has no column {column:?}; its columns are: {available}")]
    ColumnMissing {
        /// The column.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
    /// The population file has no NIK column.
    #[error("the population file {path} has no NIK column; its columns are: {available}")]
    NoNikColumn {
        /// The file.
        path: String,
        /// The header, comma-separated.
        available: String,
    },
    /// A memory budget is unusable.
    #[error("the memory budget {0:?} is not a size such as 512M or 4G, or is below 1M")]
    MemoryBudget(String),
    /// The categories did not add up (a bug).
    #[error(
        "the categories add up to {sum} but {received} rows were received (a bug in ktpel; please report it)"
    )]
    CategorySum {
        /// Rows received.
        received: u64,
        /// Sum of the categories.
        sum: u64,
    },
}

impl HasCode for MatchError {
    fn code(&self) -> Code {
        match self {
            MatchError::Io { .. } => Code::Io,
            MatchError::Config { .. } => Code::InvalidConfig,
            MatchError::ColumnMissing { .. } => Code::MappingColumnMissing,
            MatchError::NoNikColumn { .. } => Code::NoNikColumn,
            MatchError::MemoryBudget(_) => Code::InvalidMemoryBudget,
            MatchError::CategorySum { .. } => Code::CategorySumMismatch,
        }
    }
}
