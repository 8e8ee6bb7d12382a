//! `ktpel gen`: generate a deterministic sample data set (register, agency
//! file, later snapshot and the two truth files) with `ktpel_core::sample`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ktpel_core::sample::{self, ChangeKind, Config};

/// Arguments of `ktpel gen`.
#[derive(Args, Debug)]
pub struct GenArgs {
    /// Directory to write the five CSV files into (created if missing).
    #[arg(long, short)]
    out: PathBuf,
    /// Register rows (living and deceased) at the as-of date.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    population: usize,
    /// Agency-file rows (exact); default: a tenth of the population.
    #[arg(long)]
    agency: Option<usize>,
    /// Seed: the same seed and settings give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// As-of date of the register (YYYY-MM-DD).
    #[arg(long, default_value = "2022-11-30")]
    as_of: NaiveDate,
    /// As-of date of the later snapshot (YYYY-MM-DD).
    #[arg(long, default_value = "2023-11-30")]
    later_as_of: NaiveDate,
    /// Approximate share of deceased register rows.
    #[arg(long, default_value_t = 0.03)]
    deceased_fraction: f64,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// Runs `ktpel gen`.
pub fn run(a: GenArgs) -> anyhow::Result<ExitCode> {
    let cfg = Config {
        seed: a.seed,
        population: a.population,
        agency: a.agency.unwrap_or(a.population / 10),
        as_of: a.as_of,
        later_as_of: a.later_as_of,
        deceased_fraction: a.deceased_fraction,
        ..Config::default()
    };
    cfg.validate()?;
    let bar = if a.quiet || cfg.population < 100_000 {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(cfg.population as u64).with_style(
            ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} register rows, {per_sec}, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    };
    let t = Instant::now();
    let s = sample::write_all(&cfg, &a.out, |n| bar.set_position(n))
        .with_context(|| format!("generating into {}", a.out.display()))?;
    bar.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    let d = a.out.display();
    println!("seed {} | register as of {} | later snapshot as of {}", cfg.seed, cfg.as_of, cfg.later_as_of);
    println!("{d}/population.csv        {:>11} rows", s.register_rows);
    println!("{d}/population_later.csv  {:>11} rows", s.later_rows);
    println!("{d}/agency.csv            {:>11} rows ({} clean)", s.agency_rows, s.agency_clean);
    println!("{d}/truth_agency.csv      {:>11} rows", s.agency_rows);
    println!("{d}/truth_changes.csv     {:>11} rows", s.changes);
    let kinds: Vec<String> = ChangeKind::ALL
        .iter()
        .zip(s.changes_by_kind)
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    println!("changes: {}", kinds.join(", "));
    println!(
        "{:.2} s, {:.0} register rows/s",
        secs,
        s.register_rows as f64 / secs.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
