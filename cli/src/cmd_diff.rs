//! `ktpel diff`: change events between two register snapshots. Argument
//! parsing only; the job is `ktpel_core::events::run_diff`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use ktpel_core::events::{self, DiffOptions, Subscriptions};

use crate::progress;

/// `ktpel diff` arguments.
#[derive(Args)]
pub struct DiffArgs {
    /// The earlier register snapshot (CSV with Dukcapil column names, NIK and STATUS).
    #[arg(long)]
    old: PathBuf,
    /// The later register snapshot (the same columns).
    #[arg(long)]
    new: PathBuf,
    /// As-of date of the later snapshot (YYYY-MM-DD), stamped on every event.
    #[arg(long)]
    as_of: chrono::NaiveDate,
    /// Start of the period = as-of date of the earlier snapshot (YYYY-MM-DD):
    /// a new NIK born after it is LAHIR, else DATANG. Default: the latest
    /// birth date in the earlier snapshot (one extra read of it).
    #[arg(long)]
    since: Option<chrono::NaiveDate>,
    /// Events file (JSON lines); anomalies.jsonl and summary.json are written beside it.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output directory: events.jsonl (unless --out), anomalies.jsonl,
    /// summary.json and, with --subscriptions, one <agency>.jsonl per agency.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Agencies' subscriptions (TOML; see docs/events.md): routed in the same pass.
    #[arg(long)]
    subscriptions: Option<PathBuf>,
    /// Most memory for unsorted input, e.g. 512M or 2G (sorted input needs
    /// a few MiB whatever its size).
    #[arg(long, default_value = "2G")]
    memory_budget: String,
    /// Directory for temporary partition files (default: the system's).
    #[arg(long)]
    temp_dir: Option<PathBuf>,
    /// Print the summary as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `ktpel diff`. Exit status 0 without anomalies, 1 with.
pub fn run(args: DiffArgs) -> Result<ExitCode> {
    let mut opts = DiffOptions::new(args.as_of);
    opts.since = args.since;
    opts.memory_budget = ktpel_core::matching::parse_size(&args.memory_budget)?;
    opts.temp_dir = args.temp_dir.clone();
    let subs = args
        .subscriptions
        .as_deref()
        .map(Subscriptions::load)
        .transpose()?;
    let total = std::fs::metadata(&args.old).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(&args.new).map(|m| m.len()).unwrap_or(0);
    let bar = progress::bytes_bar(total, "diff");
    if args.quiet {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let s = events::run_diff(
        &args.old,
        &args.new,
        args.out.as_deref(),
        args.out_dir.as_deref(),
        subs.as_ref(),
        &opts,
        &mut |p| {
            bar.set_message(p.phase);
            bar.set_length(p.total_bytes.max(1));
            bar.set_position(p.bytes);
        },
    )?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        println!("{:<34}{:>12}", "Baris lama (old rows)", s.old_rows);
        println!("{:<34}{:>12}", "Baris baru (new rows)", s.new_rows);
        println!("{:<34}{:>12}", "Tidak berubah (unchanged)", s.unchanged);
        for (k, v) in &s.events {
            println!("{k:<34}{v:>12}");
        }
        println!("{:<34}{:>12}", "Anomali", s.anomalies_total);
        for (k, v) in &s.agencies {
            println!("  agency {k:<25}{v:>12}");
        }
        println!(
            "{}",
            if s.sorted {
                "input sorted by NIK: streaming merge".to_string()
            } else {
                format!("input not sorted by NIK: {} partition(s)", s.partitions)
            }
        );
    }
    Ok(if s.anomalies_total == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
