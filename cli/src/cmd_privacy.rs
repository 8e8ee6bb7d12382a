//! `ktpel privacy …`: token keys and NIK / element tokenization of CSV
//! files. Argument parsing only; the work is `ktpel_core::privacy`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use ktpel_core::HasCode;
use ktpel_core::privacy::{TokenColumn, TokenKey, tokenize_csv};
use zeroize::Zeroizing;

/// `ktpel privacy` subcommands.
#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Generate a token key (secret JWK, HS256, 32 random bytes).
    Keygen {
        /// Key id put into every token (1-8 characters 0-9 A-Z); use a new
        /// one when rotating keys.
        #[arg(long)]
        kid: String,
        /// Write the key here (file mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Replace NIK columns by NIK tokens and name + birth-date column pairs
    /// by element tokens; per-row problems go to the TOKEN_ERROR column.
    Tokenize {
        /// Input CSV (header first).
        #[arg(long = "in")]
        input: PathBuf,
        /// Output CSV.
        #[arg(long)]
        out: PathBuf,
        /// The token key file (from `ktpel privacy keygen`).
        #[arg(long)]
        key: PathBuf,
        /// Columns: NIK columns, and NAME+DATE pairs, e.g. NIK,NAMA_LGKP+TGL_LHR.
        #[arg(long, default_value = "NIK")]
        columns: String,
        /// Reference date of the NIK check (YYYY-MM-DD; default today).
        #[arg(long)]
        reference_date: Option<chrono::NaiveDate>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tokenize NIKs given on the command line: one token (or error code) a line.
    Token {
        /// The token key file.
        #[arg(long)]
        key: PathBuf,
        /// Reference date of the NIK check (YYYY-MM-DD; default today).
        #[arg(long)]
        reference_date: Option<chrono::NaiveDate>,
        /// NIKs.
        niks: Vec<String>,
    },
}

/// Writes key material and a line break to `path`, readable by its owner
/// only on Unix (0600); shared by `privacy keygen`, `audit keygen` and
/// `qr keygen`.
pub(crate) fn write_secret(path: &PathBuf, text: &str) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    Ok(())
}

fn load_key(path: &PathBuf) -> Result<TokenKey> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    );
    TokenKey::from_jwk(&text).with_context(|| format!("key file {}", path.display()))
}

fn reference(d: Option<chrono::NaiveDate>) -> chrono::NaiveDate {
    d.unwrap_or_else(|| ktpel_core::nik::CheckOptions::strict().resolved_reference_date())
}

/// Runs `ktpel privacy …`.
pub fn run(cmd: PrivacyCommand) -> Result<ExitCode> {
    match cmd {
        PrivacyCommand::Keygen { kid, out } => {
            let key = TokenKey::generate(&kid)?;
            let jwk = key.to_jwk();
            match out {
                Some(p) => write_secret(&p, &jwk)?,
                None => println!("{}", jwk.as_str()),
            }
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Tokenize {
            input,
            out,
            key,
            columns,
            reference_date,
            json,
        } => {
            let key = load_key(&key)?;
            let cols = TokenColumn::parse_list(&columns);
            anyhow::ensure!(!cols.is_empty(), "--columns names no column");
            let inp = File::open(&input).with_context(|| format!("reading {}", input.display()))?;
            let outp = BufWriter::with_capacity(
                1 << 20,
                File::create(&out).with_context(|| format!("writing {}", out.display()))?,
            );
            let s = tokenize_csv(inp, outp, &key, &cols, reference(reference_date))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("{:<26}{:>12}", "Baris", s.rows);
                println!("{:<26}{:>12}", "Ditokenisasi", s.tokenized);
                println!("{:<26}{:>12}", "Dengan galat", s.with_errors);
                for (code, n) in &s.codes {
                    println!("  {code:<24}{n:>12}");
                }
                println!("hasil: {}", out.display());
            }
            Ok(if s.with_errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        PrivacyCommand::Token {
            key,
            reference_date,
            niks,
        } => {
            let key = load_key(&key)?;
            let r = reference(reference_date);
            let mut bad = false;
            for n in &niks {
                match key.tokenize_nik_at(n, r) {
                    Ok(t) => println!("{t}"),
                    Err(e) => {
                        bad = true;
                        println!("{}\t{e}", e.code());
                    }
                }
            }
            Ok(if bad {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
