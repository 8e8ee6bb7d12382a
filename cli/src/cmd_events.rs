//! `ktpel events apply|aggregate|route`: work with an events file. Argument
//! parsing only; the jobs are in `ktpel_core::events`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::Subcommand;
use ktpel_core::events::{self, AggregateOptions, Level, Period, Subscriptions};

/// `ktpel events` subcommands.
#[derive(Subcommand)]
pub enum EventsCommand {
    /// Update an agency's dataset from its events (idempotent), with a change log.
    Apply {
        /// The agency's dataset (CSV with a NIK column and Dukcapil column names).
        #[arg(long)]
        data: PathBuf,
        /// Events (JSON lines from `ktpel diff`).
        #[arg(long)]
        events: PathBuf,
        /// Updated dataset.
        #[arg(long)]
        out: PathBuf,
        /// Change log (CSV: LINE,NIK,EVENT_ID,TYPE,ELEMENT,OLD,NEW); default: <out>.log.csv.
        #[arg(long)]
        log: Option<PathBuf>,
    },
    /// Count events by category (M-SINK) × region level × period.
    Aggregate {
        /// Events (JSON lines; all events or one agency's file).
        #[arg(long)]
        events: PathBuf,
        /// province, regency, district or village.
        #[arg(long, default_value = "province")]
        level: String,
        /// day, month, year or a range YYYY-MM-DD..YYYY-MM-DD.
        #[arg(long, default_value = "month")]
        period: String,
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Route an existing events file to one file per agency (one read).
    Route {
        /// Events (JSON lines).
        #[arg(long)]
        events: PathBuf,
        /// Subscriptions (TOML).
        #[arg(long)]
        subscriptions: PathBuf,
        /// Output directory.
        #[arg(long)]
        out_dir: PathBuf,
    },
}

/// Runs `ktpel events …`.
pub fn run(cmd: EventsCommand) -> Result<ExitCode> {
    match cmd {
        EventsCommand::Apply {
            data,
            events: ev,
            out,
            log,
        } => {
            let log = log.unwrap_or_else(|| out.with_extension("log.csv"));
            let s = events::apply_file(&data, &ev, &out, &log)?;
            println!("{:<34}{:>12}", "Baris (rows)", s.rows);
            println!(
                "{:<34}{:>12}",
                "Baris diubah (rows changed)", s.rows_changed
            );
            println!(
                "{:<34}{:>12}",
                "Nilai diubah (values changed)", s.values_changed
            );
            println!("{:<34}{:>12}", "Peristiwa (events)", s.events);
            println!(
                "{:<34}{:>12}",
                "Sudah diterapkan (already applied)", s.events_already_applied
            );
            println!(
                "{:<34}{:>12}",
                "NIK tidak ada (not in data)", s.events_not_in_data
            );
            println!("log: {}", log.display());
            Ok(ExitCode::SUCCESS)
        }
        EventsCommand::Aggregate {
            events: ev,
            level,
            period,
            format,
            out,
        } => {
            let level = Level::from_name(&level).ok_or_else(|| {
                anyhow!("--level {level:?}: use province, regency, district or village")
            })?;
            let period = Period::from_name(&period).ok_or_else(|| {
                anyhow!("--period {period:?}: use day, month, year or YYYY-MM-DD..YYYY-MM-DD")
            })?;
            let a = events::aggregate_file(&ev, AggregateOptions { level, period })?;
            let mut buf = Vec::new();
            match format.as_str() {
                "csv" => a.write_csv(&mut buf)?,
                "json" => {
                    serde_json::to_writer_pretty(&mut buf, &a)?;
                    buf.push(b'\n');
                }
                f => return Err(anyhow!("--format {f:?}: use csv or json")),
            }
            match out {
                Some(p) => std::fs::write(&p, buf)?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &buf)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        EventsCommand::Route {
            events: ev,
            subscriptions,
            out_dir,
        } => {
            let subs = Subscriptions::load(&subscriptions)?;
            for (name, n) in events::route_file(&subs, &ev, &out_dir)? {
                println!("{name:<34}{n:>12}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
