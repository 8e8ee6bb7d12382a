//! `ktpel audit …`: the tamper-evident access log. Argument parsing only;
//! the work is `ktpel_core::privacy::audit`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use ktpel_core::privacy::audit::{self, AuditLog, InclusionProof, SyncPolicy};
use ktpel_core::qr::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::cmd_privacy::write_secret;

/// When appends reach the disk.
#[derive(Clone, Copy, ValueEnum)]
pub enum Sync {
    /// fsync after every entry.
    Every,
    /// fsync every 64 entries or 200 ms, and at the end.
    Batch,
}

/// `ktpel audit` subcommands.
#[derive(Subcommand)]
pub enum AuditCommand {
    /// Generate a checkpoint signing key (ES256 P-256 JWK) and its public key.
    Keygen {
        /// Key id.
        #[arg(long, default_value = "audit-1")]
        kid: String,
        /// Private key file (mode 0600).
        #[arg(long)]
        out: PathBuf,
        /// Public key file, for verifiers.
        #[arg(long)]
        public_out: PathBuf,
    },
    /// Append one entry; with --stdin, one entry per JSON line
    /// {"who","subject","purpose","result"}.
    Append {
        /// The log file (created if missing).
        log: PathBuf,
        /// Who accessed the data (user or system).
        #[arg(long, required_unless_present = "stdin")]
        who: Option<String>,
        /// The NIK token or the query.
        #[arg(long, default_value = "")]
        subject: String,
        /// Why (legal basis, PKS).
        #[arg(long, required_unless_present = "stdin")]
        purpose: Option<String>,
        /// The result.
        #[arg(long, default_value = "")]
        result: String,
        /// Read entries as JSON lines from standard input.
        #[arg(long)]
        stdin: bool,
        /// fsync policy.
        #[arg(long, value_enum, default_value = "batch")]
        sync: Sync,
    },
    /// Verify a log and its checkpoints; names the first bad entry.
    /// Exit 0 intact, 1 not intact.
    Verify {
        /// The log file.
        log: PathBuf,
        /// Public key of the checkpoint signer (JWK); without it signatures are not checked.
        #[arg(long = "pub")]
        public: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign a checkpoint of the whole log (appended to LOG.checkpoints).
    Checkpoint {
        /// The log file.
        log: PathBuf,
        /// The signing key (JWK from `ktpel audit keygen`).
        #[arg(long)]
        key: PathBuf,
    },
    /// Print the inclusion proof of one entry (JSON) against the latest
    /// signed checkpoint covering it.
    Prove {
        /// The log file.
        log: PathBuf,
        /// The entry number (0-based).
        index: u64,
    },
    /// Check an inclusion proof (from `prove`). Exit 0 valid, 1 not.
    VerifyProof {
        /// The proof file (JSON).
        proof: PathBuf,
        /// Public key of the checkpoint signer.
        #[arg(long = "pub")]
        public: Option<PathBuf>,
    },
    /// Cut a torn last entry (after a crash) off the log.
    Recover {
        /// The log file.
        log: PathBuf,
    },
}

fn read(path: &PathBuf) -> Result<Zeroizing<String>> {
    Ok(Zeroizing::new(
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    ))
}

fn public_key(p: &Option<PathBuf>) -> Result<Option<VerifyingKey>> {
    p.as_ref()
        .map(|p| {
            VerifyingKey::from_jwk(&read(p)?).with_context(|| format!("key file {}", p.display()))
        })
        .transpose()
}

/// Runs `ktpel audit …`.
pub fn run(cmd: AuditCommand) -> Result<ExitCode> {
    match cmd {
        AuditCommand::Keygen {
            kid,
            out,
            public_out,
        } => {
            let k = SigningKey::generate(kid)?;
            write_secret(&out, &serde_json::to_string(&k.to_jwk())?)?;
            std::fs::write(
                &public_out,
                serde_json::to_string(&k.verifying_key().to_jwk())? + "\n",
            )
            .with_context(|| format!("writing {}", public_out.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Append {
            log,
            who,
            subject,
            purpose,
            result,
            stdin,
            sync,
        } => {
            let policy = match sync {
                Sync::Every => SyncPolicy::EveryEntry,
                Sync::Batch => SyncPolicy::default(),
            };
            let mut l = AuditLog::open(&log, policy)?;
            if stdin {
                #[derive(serde::Deserialize)]
                struct Row {
                    who: String,
                    #[serde(default)]
                    subject: String,
                    purpose: String,
                    #[serde(default)]
                    result: String,
                }
                for (i, line) in std::io::stdin().lock().lines().enumerate() {
                    let line = line.context("reading standard input")?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    let r: Row = serde_json::from_str(&line)
                        .with_context(|| format!("standard input line {}", i + 1))?;
                    l.append(&r.who, &r.subject, &r.purpose, &r.result)?;
                }
            } else {
                let n = l.append(
                    who.as_deref().unwrap_or(""),
                    &subject,
                    purpose.as_deref().unwrap_or(""),
                    &result,
                )?;
                println!("{n}");
            }
            l.sync()?;
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify { log, public, json } => {
            let key = public_key(&public)?;
            let rep = audit::verify_file(&log, key.as_ref())?;
            let hex = |h: [u8; 32]| h.iter().map(|b| format!("{b:02X}")).collect::<String>();
            if json {
                let v = serde_json::json!({
                    "valid": rep.is_valid(),
                    "entries": rep.entries,
                    "checkpoints": rep.checkpoints,
                    "signed_size": rep.signed_size,
                    "signatures_checked": rep.signatures_checked,
                    "root": hex(rep.root()),
                    "head": hex(rep.head()),
                    "first_bad": rep.first_bad.as_ref().map(|f| serde_json::json!({
                        "code": f.code.as_str(),
                        "entry": f.entry,
                        "checkpoint": f.checkpoint,
                        "detail": f.detail,
                    })),
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!("{:<26}{:>12}", "Entri utuh", rep.entries);
                println!("{:<26}{:>12}", "Checkpoint cocok", rep.checkpoints);
                println!("{:<26}{:>12}", "Ditandatangani s.d.", rep.signed_size);
                if !rep.signatures_checked {
                    eprintln!("peringatan: tanda tangan tidak diperiksa (beri --pub)");
                }
                match &rep.first_bad {
                    None => println!("log utuh; root {}", hex(rep.root())),
                    Some(f) => println!("RUSAK: {f}"),
                }
            }
            Ok(if rep.is_valid() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCommand::Checkpoint { log, key } => {
            let k = SigningKey::from_jwk(&read(&key)?)
                .with_context(|| format!("key file {}", key.display()))?;
            let mut l = AuditLog::open(&log, SyncPolicy::EveryEntry)?;
            let c = l.checkpoint(&k)?;
            println!("{}", c.line());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Prove { log, index } => {
            let p = audit::prove_file(&log, index)?;
            println!("{}", p.to_json());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::VerifyProof { proof, public } => {
            let key = public_key(&public)?;
            let p = InclusionProof::from_json(&read(&proof)?)
                .map_err(ktpel_core::privacy::PrivacyError::from)?;
            match p.verify(key.as_ref()) {
                Ok(e) => {
                    println!(
                        "entry {} is in the log of {} entries{}: who={} purpose={} result={}",
                        e.seq,
                        p.size,
                        if key.is_some() {
                            " (signed checkpoint verified)"
                        } else {
                            ""
                        },
                        e.who,
                        e.purpose,
                        e.result
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(f) => {
                    println!("INVALID: {f}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        AuditCommand::Recover { log } => {
            let r = AuditLog::recover(&log)?;
            println!("{:<26}{:>12}", "Entri utuh", r.entries);
            println!("{:<26}{:>12}", "Byte dipotong", r.removed_bytes);
            if let Some(f) = r.cut {
                println!("dipotong pada: {f}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
