//! `ktpel name …`: normalize, check, compare and key Indonesian names.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use ktpel_core::name::{self, NameAnomaly};
use serde_json::{Value, json};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per input for people.
    Text,
    /// One JSON object per input, one per line.
    Json,
}

/// `ktpel name` arguments.
#[derive(Args)]
pub struct NameArgs {
    #[command(subcommand)]
    command: NameCommand,
}

#[derive(Subcommand)]
enum NameCommand {
    /// Normalize names: fold, uppercase, remove titles (H., Hj., Dr., S.Pd., …).
    ///
    /// With no NAME, reads one name per line from standard input.
    Normalize(Inputs),
    /// Check whether names are names: EMPTY, PLACEHOLDER, NEWBORN_PLACEHOLDER,
    /// CONTAINS_DIGITS, … (errors) and SINGLE_WORD, ABBREVIATED (warnings).
    ///
    /// Exits with status 1 when any name has an error.
    Check(Inputs),
    /// Compare two names: the combined score and its components.
    ///
    /// Exits with status 0 when the names are the same person by the
    /// threshold, 1 otherwise.
    Similarity {
        /// First name.
        a: String,
        /// Second name.
        b: String,
        /// Same person when the combined score is at least this.
        #[arg(long, default_value_t = name::DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Matching key, phonetic key and blocking keys of names.
    Key(Inputs),
}

#[derive(Args)]
struct Inputs {
    /// Names (quote each one); none reads names from standard input, one a line.
    names: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

impl Inputs {
    fn names(&self) -> Result<Vec<String>> {
        if !self.names.is_empty() {
            return Ok(self.names.clone());
        }
        let stdin = std::io::stdin();
        let mut out = Vec::new();
        for line in stdin.lock().lines() {
            out.push(line.context("reading names from standard input")?);
        }
        Ok(out)
    }
}

/// The JSON object of one name, shared by `normalize`, `check` and `key`.
pub fn name_json(input: &str) -> Value {
    let n = name::normalize(input);
    let key = n.matching_key();
    let anomalies = name::check_all(input);
    json!({
        "input": input,
        "display": n.display(),
        "normalized": n.as_str(),
        "matching_key": key,
        "phonetic_key": name::phonetic_key(input),
        "blocking_keys": name::blocking_keys(input),
        "removed": n.removed(),
        "anomaly": anomalies.first().map(|a| a.code().as_str()),
        "anomalies": anomalies,
    })
}

fn anomaly_text(a: &NameAnomaly) -> String {
    format!("{} ({}): {}", a.code(), a.severity().as_str(), a)
}

/// Runs `ktpel name …`.
pub fn run(args: NameArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.command {
        NameCommand::Normalize(inp) => {
            for s in inp.names()? {
                if inp.format == Format::Json {
                    writeln!(out, "{}", name_json(&s))?;
                    continue;
                }
                let n = name::normalize(&s);
                let removed: Vec<String> = n
                    .removed()
                    .iter()
                    .map(|r| {
                        format!(
                            "{} ({} {}, {})",
                            r.title,
                            r.kind.as_str(),
                            r.position.as_str(),
                            r.meaning
                        )
                    })
                    .collect();
                if removed.is_empty() {
                    writeln!(out, "{}", n.display())?;
                } else {
                    writeln!(out, "{}\tremoved: {}", n.display(), removed.join("; "))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        NameCommand::Check(inp) => {
            let mut any_error = false;
            for s in inp.names()? {
                let all = name::check_all(&s);
                any_error |= all.iter().any(NameAnomaly::is_error);
                if inp.format == Format::Json {
                    writeln!(out, "{}", name_json(&s))?;
                    continue;
                }
                if all.is_empty() {
                    writeln!(out, "{s:?}\tOK")?;
                } else {
                    let parts: Vec<String> = all.iter().map(anomaly_text).collect();
                    writeln!(out, "{s:?}\t{}", parts.join("; "))?;
                }
            }
            Ok(if any_error {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        NameCommand::Similarity {
            a,
            b,
            threshold,
            format,
        } => {
            if !(0.0..=1.0).contains(&threshold) {
                bail!("--threshold must be between 0 and 1, got {threshold}");
            }
            let sc = name::similarity_scores(&a, &b);
            let same = sc.combined >= threshold;
            if format == Format::Json {
                let v = json!({
                    "a": a,
                    "b": b,
                    "matching_key_a": name::matching_key(&a),
                    "matching_key_b": name::matching_key(&b),
                    "combined": sc.combined,
                    "token": sc.token,
                    "jaro_winkler": sc.jaro_winkler,
                    "levenshtein": sc.levenshtein,
                    "threshold": threshold,
                    "same_person": same,
                });
                writeln!(out, "{v}")?;
            } else {
                writeln!(
                    out,
                    "{:.4}\t{}\t(token {:.4}, jaro-winkler {:.4}, levenshtein {:.4}; keys {:?} / {:?})",
                    sc.combined,
                    if same { "same person" } else { "different" },
                    sc.token,
                    sc.jaro_winkler,
                    sc.levenshtein,
                    name::matching_key(&a),
                    name::matching_key(&b),
                )?;
            }
            Ok(if same {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        NameCommand::Key(inp) => {
            for s in inp.names()? {
                if inp.format == Format::Json {
                    writeln!(out, "{}", name_json(&s))?;
                } else {
                    writeln!(
                        out,
                        "{}\tphonetic {}\tblocking {}",
                        name::matching_key(&s),
                        name::phonetic_key(&s),
                        name::blocking_keys(&s).join(",")
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
