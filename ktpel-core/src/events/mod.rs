//! Change events from the population register (M-SINK): the snapshot diff
//! of two register CSV files keyed by NIK, typed events with deterministic
//! ids, anomalies, per-agency subscriptions, idempotent apply and regional
//! aggregates. See `docs/events.md`.
//!
//! - [`classify`] turns the old and new row of one NIK into [`Event`]s or
//!   [`Anomaly`]s (pure, no I/O).
//! - [`diff_files`] diffs two snapshot files: a streaming merge in constant
//!   memory when both are sorted by NIK, else a partitioned diff through
//!   temporary files within a memory budget. Sortedness is detected, not
//!   trusted.
//! - [`Subscriptions`] routes events to agencies in one pass, removing the
//!   elements an agency may not receive.
//! - [`apply_file`] updates an agency's dataset from events (idempotent).
//! - [`aggregate_file`] counts events by type × region level × period.
//!
//! ```
//! use ktpel_core::events::{diff_rows, DiffOptions, EventKind};
//! let header = ["NIK", "NAMA_LGKP", "TGL_LHR", "STATUS"];
//! let old = vec![vec!["3201010101900001", "SITI", "01-01-1990", "HIDUP"]];
//! let new = vec![vec!["3201010101900001", "SITI", "01-01-1990", "MATI"]];
//! let opts = DiffOptions::new("2023-11-30".parse().unwrap()).since("2022-11-30".parse().unwrap());
//! let out = diff_rows(&header, &old, &header, &new, &opts).unwrap();
//! assert_eq!(out.events.len(), 1);
//! assert_eq!(out.events[0].kind, EventKind::Mati);
//! ```

mod aggregate;
mod apply;
mod classify;
mod diff;
mod subs;

pub use aggregate::{
    AggregateOptions, AggregateRow, Aggregates, Category, Level, Period, aggregate_events,
    aggregate_file,
};
pub use apply::{ApplySummary, apply_file};
pub use classify::{Anomaly, Change, Event, EventKind, Layout, Outcome, Region, Side, classify};
pub use diff::{
    DiffOptions, DiffOutput, DiffProgress, DiffSummary, EventSink, FileSink, diff_csv, diff_files,
    diff_rows, read_events, run_diff,
};
pub use subs::{Agency, RouteSink, Subscriptions, route_file};

use crate::{Code, HasCode};

/// Errors that stop a diff, apply or aggregate run. A bad row never does: it
/// becomes an [`Anomaly`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventsError {
    /// Reading or writing a file failed.
    #[error("reading or writing {path} failed: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A snapshot has no NIK column.
    #[error("the snapshot {path} has no NIK column; its columns are: {available}")]
    NoNikColumn {
        /// The file.
        path: String,
        /// The header, comma-separated.
        available: String,
    },
    /// The two snapshots do not have the same columns.
    #[error(
        "the snapshots have different columns: {only_old} only in the old one, {only_new} only in the new one; export both with the same columns"
    )]
    HeaderMismatch {
        /// Columns only in the old snapshot.
        only_old: String,
        /// Columns only in the new snapshot.
        only_new: String,
    },
    /// A line of an events file is not an event.
    #[error("line {line} of the events file {path} is not an event: {reason}")]
    BadEvent {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// Why.
        reason: String,
    },
    /// A subscriptions file is invalid.
    #[error("the subscriptions file is invalid: {0}")]
    Subscriptions(String),
    /// A memory budget is unusable.
    #[error("the memory budget {0:?} is not a size such as 512M or 4G, or is below 16M")]
    MemoryBudget(String),
    /// An option has a value the job does not accept.
    #[error("{0}")]
    Invalid(String),
}

impl EventsError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> EventsError {
        EventsError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

impl HasCode for EventsError {
    fn code(&self) -> Code {
        match self {
            EventsError::Io { .. } => Code::Io,
            EventsError::NoNikColumn { .. } => Code::NoNikColumn,
            EventsError::HeaderMismatch { .. } => Code::SnapshotHeaderMismatch,
            EventsError::BadEvent { .. } => Code::BadEventLine,
            EventsError::Subscriptions(_) => Code::InvalidConfig,
            EventsError::MemoryBudget(_) => Code::InvalidMemoryBudget,
            EventsError::Invalid(_) => Code::InvalidArgument,
        }
    }
}
