//! `ktpel region …`: look up Kemendagri region codes and convert to/from BPS.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use ktpel_core::HasCode;
use ktpel_core::region::{self, Level, Region, RegionStatus};

use crate::cmd_nik::TextOrJson;

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Show a region (code with or without dots), its status, parents and children count.
    Show {
        /// Region codes, e.g. 31.74.01 or 317401.
        #[arg(required = true)]
        codes: Vec<String>,
        /// Also list the regions directly below.
        #[arg(long)]
        children: bool,
        #[arg(long, value_enum, default_value_t)]
        format: TextOrJson,
    },
    /// Convert between Kemendagri and BPS codes (direction detected: 4-digit codes
    /// are tried as Kemendagri first; use --from-bps to force).
    Bps {
        /// Codes to convert.
        #[arg(required = true)]
        codes: Vec<String>,
        /// Treat the codes as BPS codes.
        #[arg(long)]
        from_bps: bool,
        #[arg(long, value_enum, default_value_t)]
        format: TextOrJson,
    },
    /// Search regions by name.
    Search {
        /// Name (case and the prefixes KAB./KOTA do not matter).
        name: String,
        /// Match names that start with the query.
        #[arg(long)]
        prefix: bool,
        /// Only this level.
        #[arg(long, value_parser = ["province", "regency", "district", "village"])]
        level: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: TextOrJson,
    },
}

fn region_json(r: &Region) -> serde_json::Value {
    let successor = match r.status {
        RegionStatus::Historic { successor } => successor.map(|s| s.to_string()),
        _ => None,
    };
    serde_json::json!({
        "code": r.code.to_string(),
        "digits": r.code.digits(),
        "level": r.code.level().as_str(),
        "name": r.name,
        "status": r.status.as_str(),
        "successor": successor,
        "years": r.years().collect::<Vec<_>>(),
        "parent": r.code.parent().map(|p| p.to_string()),
    })
}

fn describe(r: &Region) -> String {
    let status = match r.status {
        RegionStatus::Current => "current".to_string(),
        RegionStatus::Historic { successor: Some(s) } => format!("historic, now {s}"),
        RegionStatus::Historic { successor: None } => "historic".to_string(),
        RegionStatus::Unknown => "unknown".to_string(),
    };
    format!(
        "{:<14} {:<9} {} ({status})",
        r.code.to_string(),
        r.code.level().as_str(),
        r.name
    )
}

/// Runs `ktpel region …`.
pub fn run(cmd: RegionCommand) -> Result<ExitCode> {
    let mut ok = true;
    match cmd {
        RegionCommand::Show {
            codes,
            children,
            format,
        } => {
            for c in codes {
                match region::lookup(&c) {
                    Ok(r) => {
                        let kids = if children {
                            region::children(Some(r.code))
                        } else {
                            Vec::new()
                        };
                        match format {
                            TextOrJson::Json => {
                                let mut j = region_json(&r);
                                if children {
                                    j["children"] = kids.iter().map(region_json).collect();
                                }
                                println!("{j}");
                            }
                            TextOrJson::Text => {
                                let mut chain = Vec::new();
                                let mut p = r.code.parent();
                                while let Some(code) = p {
                                    if let Some(pr) = region::get(code) {
                                        chain.push(format!("{} {}", pr.code, pr.name));
                                    }
                                    p = code.parent();
                                }
                                println!("{}", describe(&r));
                                if !chain.is_empty() {
                                    println!("  in      {}", chain.join(" < "));
                                }
                                println!(
                                    "  years   {}",
                                    r.years()
                                        .map(|y| y.to_string())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                );
                                for k in &kids {
                                    println!("  {}", describe(k));
                                }
                            }
                        }
                    }
                    Err(e) => {
                        ok = false;
                        match format {
                            TextOrJson::Json => println!(
                                "{}",
                                serde_json::json!({"input": c, "code": e.code().as_str(), "message": e.to_string()})
                            ),
                            TextOrJson::Text => println!("{c}: {} — {e}", e.code()),
                        }
                    }
                }
            }
        }
        RegionCommand::Bps {
            codes,
            from_bps,
            format,
        } => {
            for c in codes {
                let digits = c.chars().filter(char::is_ascii_digit).count();
                // 7-digit and (with --from-bps) any code go BPS → Kemendagri.
                let result = if from_bps || digits == 7 {
                    region::from_bps(&c).map(|k| ("BPS", "KEMENDAGRI", k.to_string()))
                } else {
                    region::to_bps(&c).map(|b| ("KEMENDAGRI", "BPS", b))
                };
                match (result, format) {
                    (Ok((from, to, v)), TextOrJson::Text) => println!("{c} ({from}) -> {v} ({to})"),
                    (Ok((from, to, v)), TextOrJson::Json) => {
                        println!(
                            "{}",
                            serde_json::json!({"input": c, "from": from, "to": to, "result": v})
                        )
                    }
                    (Err(e), f) => {
                        ok = false;
                        match f {
                            TextOrJson::Json => println!(
                                "{}",
                                serde_json::json!({"input": c, "code": e.code().as_str(), "message": e.to_string()})
                            ),
                            TextOrJson::Text => println!("{c}: {} — {e}", e.code()),
                        }
                    }
                }
            }
        }
        RegionCommand::Search {
            name,
            prefix,
            level,
            format,
        } => {
            let level = level.map(|l| match l.as_str() {
                "province" => Level::Province,
                "regency" => Level::Regency,
                "district" => Level::District,
                _ => Level::Village,
            });
            let hits = region::search(&name, level, prefix);
            ok = !hits.is_empty();
            for r in hits.iter().take(200) {
                match format {
                    TextOrJson::Json => println!("{}", region_json(r)),
                    TextOrJson::Text => println!("{}", describe(r)),
                }
            }
            if hits.len() > 200 {
                eprintln!(
                    "… {} more; narrow the search with --level",
                    hits.len() - 200
                );
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
