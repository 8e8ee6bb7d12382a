//! `ktpel dedupe`: duplicate persons within one dataset. Argument parsing
//! only; the job is `ktpel_core::matching::run_dedupe`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use ktpel_core::matching::{self, DedupeOptions, Mapping};

/// `ktpel dedupe` arguments.
#[derive(Args)]
pub struct DedupeArgs {
    /// The file (CSV with a header; Dukcapil column names map automatically).
    file: PathBuf,
    /// Output directory: duplikat.csv, summary.json.
    #[arg(long)]
    out: PathBuf,
    /// Column mapping (TOML) for non-Dukcapil headers.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Lowest match probability of a "same person" pair.
    #[arg(long, default_value_t = 0.99)]
    accept: f64,
}

/// Runs `ktpel dedupe`. Exit status 0 when no duplicates, 1 otherwise.
pub fn run(args: DedupeArgs) -> Result<ExitCode> {
    let mut opts = DedupeOptions {
        accept: args.accept,
        ..DedupeOptions::default()
    };
    if let Some(p) = &args.mapping {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        opts.mapping = Mapping::from_toml(&text)?;
    }
    let s = matching::run_dedupe(&args.file, &args.out, &opts)?;
    println!("{:<34}{:>12}", "Baris", s.rows);
    println!("{:<34}{:>12}", "Baris rusak", s.malformed);
    println!("{:<34}{:>12}", "Satu NIK, dua orang", s.nik_shared);
    println!("{:<34}{:>12}", "Satu orang, dua NIK", s.person_multiple_nik);
    println!("hasil: {}", args.out.join("duplikat.csv").display());
    Ok(if s.nik_shared + s.person_multiple_nik == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
