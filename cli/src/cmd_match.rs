//! `ktpel match`: batch pemadanan of an agency file against the population
//! register. Argument parsing only; the job is `ktpel_core::matching::run_batch`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use ktpel_core::matching::{self, BatchOptions, Mapping, Phase, Policy};

use crate::progress;

/// `ktpel match` arguments.
#[derive(Args)]
pub struct MatchArgs {
    /// The agency's file (CSV with a header; Dukcapil column names map automatically).
    #[arg(long)]
    agency: PathBuf,
    /// The population register (CSV with Dukcapil column names, STATUS for the living status).
    #[arg(long)]
    population: PathBuf,
    /// Output directory: hasil.csv, anomali.csv, ganda.csv, summary.json.
    #[arg(long)]
    out: PathBuf,
    /// The agreed element combination and PKS allow-list (TOML; see docs/matching.md).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Column mapping of the agency file (TOML), for non-Dukcapil headers.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Column mapping of the population file (TOML).
    #[arg(long)]
    population_mapping: Option<PathBuf>,
    /// Most memory the register may take in memory, e.g. 512M or 4G; above
    /// it the job runs in several passes by NIK.
    #[arg(long)]
    memory_budget: Option<String>,
    /// Reference date of the NIK check (YYYY-MM-DD; default today).
    #[arg(long, alias = "ref-date")]
    reference_date: Option<chrono::NaiveDate>,
    /// Recover the NIK of rows that do not verify, have no valid NIK or are
    /// not found (blocking + Fellegi-Sunter scoring); writes kandidat.csv.
    #[arg(long)]
    recover: bool,
    /// Lowest match probability at which a recovered NIK is accepted.
    #[arg(long, default_value_t = 0.99)]
    recover_accept: f64,
    /// Both files are tokenized with the same key (`ktpel privacy tokenize
    /// --columns NIK,NAMA_LGKP+TGL_LHR`): match on the tokens. Without
    /// --policy, the element tokens must be equal.
    #[arg(long)]
    tokens: bool,
    /// Print the summary as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
}

fn read(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Runs `ktpel match`. Exit status 0 when every row matched, 1 otherwise.
pub fn run(args: MatchArgs) -> Result<ExitCode> {
    let mut opts = BatchOptions {
        tokens: args.tokens,
        ..BatchOptions::default()
    };
    if args.tokens {
        opts.policy = ktpel_core::privacy::token_policy();
    }
    if let Some(p) = &args.policy {
        opts.policy = Policy::from_toml(&read(p)?)?;
    }
    if let Some(p) = &args.mapping {
        opts.agency_mapping = Mapping::from_toml(&read(p)?)?;
    }
    if let Some(p) = &args.population_mapping {
        opts.population_mapping = Mapping::from_toml(&read(p)?)?;
    }
    if let Some(b) = &args.memory_budget {
        opts.memory_budget = Some(matching::parse_size(b)?);
    }
    opts.reference_date = args.reference_date;
    opts.recover = args.recover;
    opts.recover_accept = args.recover_accept;
    let bar = progress::bytes_bar(0, "pemadanan");
    if args.quiet {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let summary =
        matching::run_batch(&args.agency, &args.population, &args.out, &opts, &mut |p| {
            bar.set_length(p.total_bytes);
            bar.set_position(p.bytes);
            let what = match p.phase {
                Phase::Population => "memuat penduduk",
                Phase::Agency => "memadankan",
                Phase::Merge => "menggabungkan",
            };
            if p.passes > 1 {
                bar.set_message(format!("{what} ({}/{})", p.pass + 1, p.passes));
            } else {
                bar.set_message(what);
            }
        })?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        for (label, n) in summary.table() {
            println!("{label:<26}{n:>12}");
        }
        if let Some(r) = &summary.recovery {
            println!("{:<26}{:>12}", "Dicoba pulihkan NIK", r.rows);
            println!("{:<26}{:>12}", "NIK dipulihkan", r.recovered);
        }
        for (code, n) in &summary.warnings {
            eprintln!("peringatan {code}: {n}");
        }
        println!("hasil: {}", args.out.display());
    }
    Ok(if summary.matched == summary.received {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
