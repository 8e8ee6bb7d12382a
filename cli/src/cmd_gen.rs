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
            ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} register rows, {per_sec}, eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    };
    let t = Instant::now();
    let s = sample::write_all(&cfg, &a.out, |n| bar.set_position(n))
        .with_context(|| format!("generating into {}", a.out.display()))?;
    bar.finish_and_clear();
    let secs = t.elapsed().as_secs_f64();
    let d = a.out.display();
    println!(
        "seed {} | register as of {} | later snapshot as of {}",
        cfg.seed, cfg.as_of, cfg.later_as_of
    );
    println!("{d}/population.csv        {:>11} rows", s.register_rows);
    println!("{d}/population_later.csv  {:>11} rows", s.later_rows);
    println!(
        "{d}/agency.csv            {:>11} rows ({} clean)",
        s.agency_rows, s.agency_clean
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        a: GenArgs,
    }

    fn gen_into(dir: &std::path::Path, extra: &[&str]) -> anyhow::Result<ExitCode> {
        let mut args = vec![
            "ktpel-gen",
            "--out",
            dir.to_str().unwrap_or("."),
            "-n",
            "600",
            "-q",
        ];
        args.extend_from_slice(extra);
        run(T::try_parse_from(args)?.a)
    }

    #[test]
    fn writes_five_files_reproducibly() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        gen_into(a.path(), &["--agency", "60", "--seed", "9"]).unwrap();
        gen_into(b.path(), &["--agency", "60", "--seed", "9"]).unwrap();
        for f in sample::FILES {
            let x = std::fs::read(a.path().join(f)).unwrap();
            assert!(!x.is_empty());
            assert_eq!(x, std::fs::read(b.path().join(f)).unwrap(), "{f}");
        }
        let pop = std::fs::read_to_string(a.path().join("population.csv")).unwrap();
        assert_eq!(pop.lines().count(), 601);
        let agency = std::fs::read_to_string(a.path().join("agency.csv")).unwrap();
        assert_eq!(agency.lines().count(), 61);
    }

    #[test]
    fn bad_settings_are_errors_not_panics() {
        let d = tempfile::tempdir().unwrap();
        let e = gen_into(d.path(), &["--later-as-of", "2020-01-01"]).unwrap_err();
        assert!(e.to_string().contains("later_as_of"), "{e}");
        assert!(gen_into(d.path(), &["--agency", "100000"]).is_err());
    }
}
