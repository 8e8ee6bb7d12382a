//! `ktpel qr …`: IKD QR tokens — key generation, issuance, verification.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ktpel_core::HasCode;
use ktpel_core::qr::{
    Claims, Clock, EncryptionKey, FixedClock, Issuer, KeySet, MemoryReplayStore, SigningKey,
    SystemClock, Verifier,
};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::cmd_privacy::write_secret;

/// Arguments of `ktpel qr`.
#[derive(Args)]
pub struct QrArgs {
    #[command(subcommand)]
    command: QrCommand,
}

#[derive(Subcommand)]
enum QrCommand {
    /// Generate an ES256 (P-256) signing key and an A256GCM key as a JWK Set.
    Keygen {
        /// kid of the signing key.
        #[arg(long, default_value = "sig-1")]
        sign_kid: String,
        /// kid of the encryption key.
        #[arg(long, default_value = "enc-1")]
        enc_kid: String,
        /// Write the private key set here (file mode 0600) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the verifiers' key set (public EC key + A256GCM key) here.
        #[arg(long)]
        public_out: Option<PathBuf>,
    },
    /// Issue a token for the claims in a JSON file; prints the token text.
    Issue {
        /// JWK Set with the private EC key (and the oct key unless --no-encrypt).
        #[arg(long)]
        keys: PathBuf,
        /// Claims JSON: {"iss":…, "aud":…, "nbf":…, "identity":{"nik":…,"nama":…,…}}.
        #[arg(long)]
        claims: PathBuf,
        /// Lifetime in seconds (1..=max-ttl).
        #[arg(long, default_value_t = 90)]
        ttl: u64,
        /// Largest lifetime allowed, seconds.
        #[arg(long, default_value_t = ktpel_core::qr::DEFAULT_MAX_TTL)]
        max_ttl: u64,
        /// kid of the signing key to use (default: the only one in the set).
        #[arg(long)]
        sign_kid: Option<String>,
        /// kid of the encryption key to use (default: the only one in the set).
        #[arg(long)]
        enc_kid: Option<String>,
        /// Sign only, do not encrypt.
        #[arg(long)]
        no_encrypt: bool,
        /// Issue at this time (Unix seconds) instead of now.
        #[arg(long)]
        now: Option<i64>,
        /// Print the QR code to stderr (Unicode blocks) with its version.
        #[arg(long)]
        show_qr: bool,
    },
    /// Verify tokens; prints one JSON object per token; exit 1 if any failed.
    Verify {
        /// JWK Set with trusted EC public keys and A256GCM keys.
        #[arg(long)]
        keys: PathBuf,
        /// This verifier's audience (tokens must carry this aud).
        #[arg(long)]
        aud: Option<String>,
        /// Accept only these issuers (repeatable).
        #[arg(long)]
        iss: Vec<String>,
        /// Verify at this time (Unix seconds) instead of now.
        #[arg(long)]
        now: Option<i64>,
        /// Clock leeway, seconds.
        #[arg(long, default_value_t = ktpel_core::qr::DEFAULT_LEEWAY)]
        leeway: u64,
        /// Largest accepted lifetime (exp - iat), seconds.
        #[arg(long, default_value_t = ktpel_core::qr::DEFAULT_MAX_TTL)]
        max_ttl: u64,
        /// Accept signed tokens that are not encrypted.
        #[arg(long)]
        allow_unencrypted: bool,
        /// Tokens; `-` reads tokens from standard input, one per line.
        #[arg(required = true)]
        tokens: Vec<String>,
    },
}

fn read_keys(path: &PathBuf) -> Result<KeySet> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key set {}", path.display()))?;
    KeySet::from_jwks(&text).with_context(|| format!("key set {}", path.display()))
}

fn pick<'a, T>(
    items: &'a [T],
    kid: Option<&str>,
    kid_of: impl Fn(&T) -> &[u8],
    what: &str,
) -> Result<&'a T> {
    match kid {
        Some(k) => items
            .iter()
            .find(|i| kid_of(i) == k.as_bytes())
            .with_context(|| format!("no {what} key with kid {k:?} in the key set")),
        None => match items {
            [one] => Ok(one),
            [] => bail!("the key set has no {what} key"),
            _ => bail!(
                "the key set has several {what} keys: choose one with --{}-kid",
                &what[..3]
            ),
        },
    }
}

/// Runs `ktpel qr …`.
pub fn run(args: QrArgs) -> Result<ExitCode> {
    match args.command {
        QrCommand::Keygen {
            sign_kid,
            enc_kid,
            out,
            public_out,
        } => {
            let s = SigningKey::generate(sign_kid)?;
            let set = KeySet {
                verifying: vec![s.verifying_key()],
                signing: vec![s],
                encryption: vec![EncryptionKey::generate(enc_kid)?],
            };
            match out {
                Some(p) => write_secret(&p, &set.to_jwks(true))?,
                None => println!("{}", set.to_jwks(true)),
            }
            if let Some(p) = public_out {
                // Holds the A256GCM key, so it is secret too.
                write_secret(&p, &set.to_jwks(false))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        QrCommand::Issue {
            keys,
            claims,
            ttl,
            max_ttl,
            sign_kid,
            enc_kid,
            no_encrypt,
            now,
            show_qr,
        } => {
            let set = read_keys(&keys)?;
            let text = std::fs::read_to_string(&claims)
                .with_context(|| format!("cannot read claims {}", claims.display()))?;
            let c: Claims = serde_json::from_str(&text).with_context(|| {
                format!(
                    "claims {}: expected {{\"iss\":…,\"identity\":{{…}}}}",
                    claims.display()
                )
            })?;
            let s = pick(&set.signing, sign_kid.as_deref(), |k| k.kid(), "signing")?.clone();
            let e = if no_encrypt {
                None
            } else {
                Some(
                    pick(
                        &set.encryption,
                        enc_kid.as_deref(),
                        |k| k.kid(),
                        "encryption",
                    )?
                    .clone(),
                )
            };
            let clock: Arc<dyn Clock> = match now {
                Some(t) => Arc::new(FixedClock(t)),
                None => Arc::new(SystemClock),
            };
            let token = Issuer::new(s, e, clock).max_ttl(max_ttl).issue(&c, ttl)?;
            println!("{token}");
            if show_qr {
                let code = qrcode::QrCode::with_error_correction_level(
                    token.as_bytes(),
                    qrcode::EcLevel::M,
                )
                .context("the token does not fit in a QR code")?;
                let qr::Version::Normal(v) = code.version() else {
                    bail!("unexpected Micro QR version");
                };
                let image = code
                    .render::<qrcode::render::unicode::Dense1x2>()
                    .quiet_zone(true)
                    .build();
                eprintln!("{image}");
                eprintln!(
                    "QR version {v} ({m}x{m} modules, error correction M), {} characters",
                    token.len(),
                    m = 17 + 4 * v
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        QrCommand::Verify {
            keys,
            aud,
            iss,
            now,
            leeway,
            max_ttl,
            allow_unencrypted,
            tokens,
        } => {
            let set = read_keys(&keys)?;
            let clock: Arc<dyn Clock> = match now {
                Some(t) => Arc::new(FixedClock(t)),
                None => Arc::new(SystemClock),
            };
            let mut v = Verifier::new(clock, Arc::new(MemoryReplayStore::default()))
                .keys(&set)
                .leeway(leeway)
                .max_ttl(max_ttl)
                .require_encryption(!allow_unencrypted);
            if let Some(a) = aud {
                v = v.audience(a);
            }
            for i in iss {
                v = v.issuer(i);
            }
            let mut all: Vec<String> = Vec::new();
            for t in tokens {
                if t == "-" {
                    for line in std::io::stdin().lock().lines() {
                        let line = line.context("cannot read tokens from stdin")?;
                        let line = line.trim();
                        if !line.is_empty() {
                            all.push(line.to_string());
                        }
                    }
                } else {
                    all.push(t);
                }
            }
            let mut failed = 0usize;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for t in &all {
                let line = match v.verify(t.trim()) {
                    Ok(c) => serde_json::to_string(&Outcome::Ok {
                        ok: true,
                        claims: Box::new(c),
                    })?,
                    Err(e) => {
                        failed += 1;
                        serde_json::to_string(&Outcome::Failed {
                            ok: false,
                            code: e.code().as_str(),
                            message: e.to_string(),
                        })?
                    }
                };
                writeln!(out, "{line}")?;
            }
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

use qrcode::types as qr;

/// One line of `ktpel qr verify` output, `ok` first.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Outcome {
    Ok {
        ok: bool,
        claims: Box<ktpel_core::qr::VerifiedClaims>,
    },
    Failed {
        ok: bool,
        code: &'static str,
        message: String,
    },
}
