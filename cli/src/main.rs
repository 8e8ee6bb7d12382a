//! `ktpel` — batch jobs on Indonesian population data for staff who do not
//! write code. Every subcommand is a thin layer over `ktpel-core`.

use clap::{Parser, Subcommand};

mod cmd_gen;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ktpel",
    version,
    about = "Indonesian population-data tools: NIK/KK validation, names, matching, events, IKD QR, KTP-el SAM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every stable error/warning code with its number and meaning.
    Codes,
    /// Generate a deterministic sample data set: register, agency file with
    /// labelled corruption, later snapshot, truth files.
    Gen(cmd_gen::GenArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Codes => {
            for c in ktpel_core::Code::ALL {
                println!("{:>4}  {:<28} {}", c.as_u32(), c.as_str(), c.description());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen(a) => cmd_gen::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ktpel: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
