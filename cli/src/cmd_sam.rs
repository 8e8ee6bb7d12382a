//! `ktpel sam …`: KTP-el reader crypto self-test and vendor debugging aids
//! (upper-case hex in and out, in the spirit of `openssl enc` / `dgst`).

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ktpel_core::HasCode;
use ktpel_core::crypto::p256::default_verifier;
use ktpel_core::sam::auth::{MemoryKeys, MutualAuth};
use ktpel_core::sam::hex;
use ktpel_core::sam::kdf::{Profile, kdf};
use ktpel_core::sam::reader::ReaderSession;
use ktpel_core::sam::sim::{FID_BIODATA, FID_PHOTO, Fault, VirtualChip};
use ktpel_core::sam::tdes::{Padding, TdesKey};
use ktpel_core::sam::{SamError, os_random};
use std::process::ExitCode;

/// KTP-el reader crypto (TDES, MAC, KDF, mutual authentication, secure messaging, ECDSA).
#[derive(Subcommand)]
pub enum SamCommand {
    /// Run the whole reader flow against the virtual chip and print each step.
    Selftest(SelftestArgs),
    /// ISO/IEC 9797-1 MAC algorithm 3 (retail MAC); prints the 8-byte MAC.
    Mac(MacArgs),
    /// Triple-DES CBC without padding (16- or 24-byte key).
    Tdes(TdesArgs),
    /// Key derivation: ICAO 9303 (SHA-1, 2-key) or KTP-el (SHA-256, 3-key).
    Kdf(KdfArgs),
}

/// Arguments of `sam selftest`.
#[derive(Args)]
pub struct SelftestArgs {
    /// Profile: `ktpel` (3-key TDES, SHA-256 KDF) or `icao`.
    #[arg(long, default_value = "ktpel")]
    profile: String,
}

/// Arguments of `sam mac`.
#[derive(Args)]
pub struct MacArgs {
    /// Key, 16 (K1‖K2) or 24 (K1‖K2‖K3) bytes in hex.
    #[arg(long)]
    key: String,
    /// ISO/IEC 9797-1 padding method: 1, 2 or 3.
    #[arg(long, default_value_t = 2)]
    padding: u8,
    /// Data in hex.
    #[arg(long)]
    data: String,
}

/// Arguments of `sam tdes`.
#[derive(Args)]
pub struct TdesArgs {
    /// Encrypt.
    #[arg(long, conflicts_with = "decrypt", required_unless_present = "decrypt")]
    encrypt: bool,
    /// Decrypt.
    #[arg(long)]
    decrypt: bool,
    /// Key, 16 or 24 bytes in hex.
    #[arg(long)]
    key: String,
    /// IV, 8 bytes in hex (default zero).
    #[arg(long)]
    iv: Option<String>,
    /// Data in hex, a multiple of 8 bytes.
    #[arg(long)]
    data: String,
}

/// Arguments of `sam kdf`.
#[derive(Args)]
pub struct KdfArgs {
    /// `icao` or `ktpel`.
    #[arg(long)]
    profile: String,
    /// Key seed in hex.
    #[arg(long)]
    seed: String,
    /// Counter: 1 for the encryption key, 2 for the MAC key.
    #[arg(long)]
    counter: u32,
}

fn coded(e: SamError) -> anyhow::Error {
    anyhow::anyhow!("{} ({})", e, e.code().as_str())
}

fn profile(name: &str) -> Result<Profile> {
    Profile::from_name(name)
        .with_context(|| format!("--profile: expected icao or ktpel, got {name:?}"))
}

/// Runs a `sam` subcommand.
pub fn run(cmd: SamCommand) -> Result<ExitCode> {
    match cmd {
        SamCommand::Selftest(a) => selftest(profile(&a.profile)?),
        other => {
            println!("{}", compute(&other)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The upper-case hex output of `mac`, `tdes` and `kdf`.
fn compute(cmd: &SamCommand) -> Result<String> {
    Ok(match cmd {
        SamCommand::Mac(a) => {
            let key = TdesKey::new(&hex::decode(&a.key, "--key").map_err(coded)?).map_err(coded)?;
            let padding = Padding::from_number(a.padding)
                .with_context(|| format!("--padding: expected 1, 2 or 3, got {}", a.padding))?;
            let data = hex::decode(&a.data, "--data").map_err(coded)?;
            hex::encode(&key.retail_mac(&data, padding))
        }
        SamCommand::Tdes(a) => {
            let key = TdesKey::new(&hex::decode(&a.key, "--key").map_err(coded)?).map_err(coded)?;
            let iv: [u8; 8] =
                match &a.iv {
                    None => [0; 8],
                    Some(iv) => hex::decode(iv, "--iv").map_err(coded)?.try_into().map_err(
                        |v: Vec<u8>| anyhow::anyhow!("--iv: expected 8 bytes, got {}", v.len()),
                    )?,
                };
            let mut data = hex::decode(&a.data, "--data").map_err(coded)?;
            if a.encrypt {
                key.encrypt_cbc(&iv, &mut data).map_err(coded)?;
            } else {
                key.decrypt_cbc(&iv, &mut data).map_err(coded)?;
            }
            hex::encode(&data)
        }
        SamCommand::Kdf(a) => {
            let p = profile(&a.profile)?;
            let seed = hex::decode(&a.seed, "--seed").map_err(coded)?;
            let key = kdf(p, &seed, a.counter).map_err(coded)?;
            hex::encode(key.expose_secret())
        }
        SamCommand::Selftest(_) => bail!("selftest prints its own report"),
    })
}

fn step(n: &mut u32, what: &str, ok: bool, detail: &str) -> bool {
    *n += 1;
    println!(
        "[{:>2}] {:<58} {}  {}",
        n,
        what,
        if ok { "ok  " } else { "FAIL" },
        detail
    );
    ok
}

fn selftest(p: Profile) -> Result<ExitCode> {
    let mut seed = [0u8; 16];
    os_random(&mut seed).map_err(coded)?;
    let mut rng_seed = [0u8; 8];
    os_random(&mut rng_seed).map_err(coded)?;
    let rng_seed = u64::from_be_bytes(rng_seed);
    let keys = MemoryKeys::from_seed(p, &seed).map_err(coded)?;
    let mut chip = VirtualChip::demo(p, &seed, rng_seed);
    let issuers = chip.trusted_issuers();
    println!(
        "ktpel sam selftest: profile {} ({}-key TDES), ECDSA P-256 backend {}",
        p.as_str(),
        p.key_len() / 8,
        default_verifier().name()
    );
    let mut n = 0;
    let mut all = true;

    // Mutual authentication step by step.
    let mut rnd_ifd = [0u8; 8];
    let mut k_ifd = [0u8; 16];
    os_random(&mut rnd_ifd).map_err(coded)?;
    os_random(&mut k_ifd).map_err(coded)?;
    let mut auth = MutualAuth::new(keys.clone(), rnd_ifd, k_ifd);
    let c = auth.get_challenge().map_err(coded)?;
    let r = chip.process(&c.to_bytes());
    all &= step(
        &mut n,
        "GET CHALLENGE",
        r.len() == 10,
        &format!("RND.IC={}", hex::encode(&r[..r.len().min(8)])),
    );
    let c = auth.on_challenge(&r).map_err(coded)?;
    let r = chip.process(&c.to_bytes());
    let sm = auth.on_authenticate(&r);
    all &= step(
        &mut n,
        "MUTUAL AUTHENTICATE (E.IFD||M.IFD -> E.IC||M.IC verified)",
        sm.is_ok(),
        &sm.as_ref()
            .map(|s| format!("SSC={:016X}", s.ssc()))
            .unwrap_or_else(|e| e.to_string()),
    );

    // Secure reads and anti-cloning through the reader session.
    let mut session = ReaderSession::new(&mut chip);
    session
        .authenticate(keys.clone(), rnd_ifd, k_ifd)
        .map_err(coded)?;
    let bio = session.read_file(FID_BIODATA);
    all &= step(
        &mut n,
        "secure READ BINARY of biodata (DO'87/DO'97/DO'8E)",
        bio.is_ok(),
        &bio.as_ref()
            .map(|b| format!("{} bytes", b.len()))
            .unwrap_or_else(|e| e.to_string()),
    );
    let photo = session.read_file(FID_PHOTO);
    all &= step(
        &mut n,
        "secure READ BINARY of photo",
        photo.as_ref().is_ok_and(|b| b.len() == 8192),
        &photo
            .as_ref()
            .map(|b| format!("{} bytes", b.len()))
            .unwrap_or_else(|e| e.to_string()),
    );
    let mut challenge = [0u8; 32];
    os_random(&mut challenge).map_err(coded)?;
    let doc = session.verify_document(&issuers, challenge);
    all &= step(
        &mut n,
        "signed data + chip authentication (ECDSA P-256)",
        doc.is_ok(),
        &doc.as_ref()
            .map(|d| {
                format!(
                    "{} files, issuer {}",
                    d.files.len(),
                    String::from_utf8_lossy(&d.issuer_key_id)
                )
            })
            .unwrap_or_else(|e| e.to_string()),
    );
    let ssc = session.secure_messaging().map(|s| s.ssc()).unwrap_or(0);
    drop(session);

    // Faults must be detected.
    let mut expect_fail =
        |name: &str, fault: Option<Fault>, clone: bool, want: fn(&SamError) -> bool| -> bool {
            let genuine = VirtualChip::demo(p, &seed, rng_seed ^ 1);
            let mut chip = if clone {
                VirtualChip::clone_of(&genuine, rng_seed ^ 2)
            } else {
                genuine
            };
            if let Some(f) = fault {
                chip.inject(f);
            }
            let mut s = ReaderSession::new(&mut chip);
            let r = s
                .authenticate(keys.clone(), rnd_ifd, k_ifd)
                .and_then(|_| s.verify_document(&issuers, challenge).map(|_| ()));
            let ok = matches!(&r, Err(e) if want(e));
            step(
                &mut n,
                name,
                ok,
                &match r {
                    Err(e) => format!("rejected: {}", e.code().as_str()),
                    Ok(()) => "NOT DETECTED".into(),
                },
            )
        };
    all &= expect_fail(
        "fault: bad M.IC in mutual authentication",
        Some(Fault::BadAuthMac),
        false,
        |e| *e == SamError::AuthMacMismatch,
    );
    all &= expect_fail(
        "fault: wrong nonce echo",
        Some(Fault::WrongNonce),
        false,
        |e| *e == SamError::AuthNonceMismatch,
    );
    all &= expect_fail(
        "fault: short MUTUAL AUTHENTICATE answer",
        Some(Fault::ShortAuthResponse),
        false,
        |e| matches!(e, SamError::AuthResponseLength { .. }),
    );
    all &= expect_fail(
        "fault: bad secure messaging MAC",
        Some(Fault::BadMac),
        false,
        |e| *e == SamError::SmMacMismatch,
    );
    all &= expect_fail(
        "fault: replayed send sequence counter",
        Some(Fault::ReplaySsc),
        false,
        |e| *e == SamError::SmMacMismatch,
    );
    all &= expect_fail(
        "fault: wrong chip signature",
        Some(Fault::WrongSignature),
        false,
        |e| *e == SamError::ChipAuthFailed,
    );
    all &= expect_fail("clone: same data, other chip key", None, true, |e| {
        *e == SamError::ChipAuthFailed
    });
    println!("final SSC of the genuine session: {ssc:016X}");
    if all {
        println!("selftest: {n} passed, 0 failed");
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("selftest failed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(key: &str, padding: u8, data: &str) -> Result<String> {
        compute(&SamCommand::Mac(MacArgs {
            key: key.into(),
            padding,
            data: data.into(),
        }))
    }

    #[test]
    fn mac_tdes_kdf_match_published_values() {
        // ICAO 9303 Part 11 Appendix D.3: M.IFD.
        assert_eq!(
            mac(
                "7962D9ECE03D1ACD4C76089DCE131543",
                2,
                "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
            )
            .unwrap(),
            "5F1448EEA8AD90A7"
        );
        assert!(
            mac("00", 2, "00")
                .unwrap_err()
                .to_string()
                .contains("SAM_INVALID_KEY")
        );
        assert!(mac("7962D9ECE03D1ACD4C76089DCE131543", 4, "00").is_err());
        // NIST SP 800-67 TDEA example, first block.
        let tdes = |encrypt: bool, data: &str| {
            compute(&SamCommand::Tdes(TdesArgs {
                encrypt,
                decrypt: !encrypt,
                key: "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123".into(),
                iv: None,
                data: data.into(),
            }))
        };
        assert_eq!(tdes(true, "5468652071756663").unwrap(), "A826FD8CE53B855F");
        assert_eq!(tdes(false, "a826fd8ce53b855f").unwrap(), "5468652071756663");
        assert!(
            tdes(true, "0011")
                .unwrap_err()
                .to_string()
                .contains("SAM_INVALID_LENGTH")
        );
        let k = compute(&SamCommand::Kdf(KdfArgs {
            profile: "icao".into(),
            seed: "239AB9CB282DAF66231DC5A4DF6BFBAE".into(),
            counter: 1,
        }))
        .unwrap();
        assert_eq!(k, "AB94FDECF2674FDFB9B391F85D7F76F2");
    }

    #[test]
    fn selftest_passes_for_both_profiles() {
        assert_eq!(selftest(Profile::KtpEl).unwrap(), ExitCode::SUCCESS);
        assert_eq!(selftest(Profile::Icao9303).unwrap(), ExitCode::SUCCESS);
    }
}
