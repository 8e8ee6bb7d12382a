//! `ktpel` — batch jobs on Indonesian population data for staff who do not
//! write code. Every subcommand is a thin layer over `ktpel-core`.
//!
//! Exit status: 0 = done and everything valid; 1 = done, but some inputs are
//! invalid (see the output); 2 = could not run (bad arguments, unreadable file).

mod cmd_audit;
mod cmd_dedupe;
mod cmd_diff;
mod cmd_events;
mod cmd_gen;
mod cmd_match;
mod cmd_name;
mod cmd_nik;
mod cmd_privacy;
mod cmd_qr;
mod cmd_region;
mod cmd_sam;
mod progress;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the batch jobs (`match`,
/// `validate` …) allocate per row on worker threads and free on others,
/// where glibc's malloc cost a third of the CPU (BENCHMARKS.md, `## matching`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ktpel_core::validate::Kind;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ktpel",
    version,
    about = "Indonesian population-data tools: NIK/KK validation, regions, names, matching, events, IKD QR, KTP-el SAM",
    after_help = "Exit status: 0 all valid, 1 some inputs invalid, 2 could not run."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// NIK (personal number): check numbers or validate a CSV column.
    Nik {
        #[command(subcommand)]
        cmd: cmd_nik::NumberCommand,
    },
    /// KK number (family card): check numbers or validate a CSV column.
    Kk {
        #[command(subcommand)]
        cmd: cmd_nik::NumberCommand,
    },
    /// Kemendagri region codes: show, search, convert to/from BPS.
    Region {
        #[command(subcommand)]
        cmd: cmd_region::RegionCommand,
    },
    /// List every stable error/warning code with its number and meaning.
    Codes,
    /// KTP-el reader crypto: self-test, MAC, TDES and KDF debugging aids.
    #[command(subcommand)]
    Sam(cmd_sam::SamCommand),
    /// IKD QR tokens: generate keys, issue and verify encrypted, signed, single-use tokens.
    Qr(cmd_qr::QrArgs),
    /// Indonesian names: normalize, check, similarity, keys.
    Name(cmd_name::NameArgs),
    /// Generate a deterministic sample data set: register, agency file with
    /// labelled corruption, later snapshot, truth files.
    Gen(cmd_gen::GenArgs),
    /// Pemadanan: match an agency file against the population register.
    Match(cmd_match::MatchArgs),
    /// Duplicate persons within one file: one person under two NIKs, one NIK used by two persons.
    Dedupe(cmd_dedupe::DedupeArgs),
    /// Change events between two register snapshots (LAHIR, MATI, PINDAH, …), routed per agency.
    Diff(cmd_diff::DiffArgs),
    /// Events: apply to an agency's dataset, aggregate per region and period, route per agency.
    #[command(subcommand)]
    Events(cmd_events::EventsCommand),
    /// NIK tokenization: token keys, tokenize CSV columns (match tokenized files with `match --tokens`).
    #[command(subcommand)]
    Privacy(cmd_privacy::PrivacyCommand),
    /// Tamper-evident access log: append, verify, checkpoint, prove, recover.
    #[command(subcommand)]
    Audit(cmd_audit::AuditCommand),
}

/// Lets `ktpel … | head` end quietly, as `cat` does: Rust ignores SIGPIPE,
/// so a write to a closed pipe would otherwise make `println!` panic.
#[cfg(unix)]
#[allow(unsafe_code)]
fn restore_sigpipe() {
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL
    // is a valid action for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    restore_sigpipe();
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Nik { cmd } => cmd_nik::run(Kind::Nik, cmd),
        Command::Kk { cmd } => cmd_nik::run(Kind::Kk, cmd),
        Command::Region { cmd } => cmd_region::run(cmd),
        Command::Codes => {
            for c in ktpel_core::Code::ALL {
                println!("{:>4}  {:<30} {}", c.as_u32(), c.as_str(), c.description());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sam(cmd) => cmd_sam::run(cmd),
        Command::Qr(args) => cmd_qr::run(args),
        Command::Name(args) => cmd_name::run(args),
        Command::Gen(a) => cmd_gen::run(a),
        Command::Match(args) => cmd_match::run(args),
        Command::Dedupe(args) => cmd_dedupe::run(args),
        Command::Diff(args) => cmd_diff::run(args),
        Command::Events(cmd) => cmd_events::run(cmd),
        Command::Privacy(cmd) => cmd_privacy::run(cmd),
        Command::Audit(cmd) => cmd_audit::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ktpel: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
