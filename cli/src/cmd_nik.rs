//! `ktpel nik …` and `ktpel kk …`: check numbers given as arguments, or
//! validate a column of a CSV file.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use ktpel_core::nik::{CheckOptions, Mode};
use ktpel_core::validate::{self, Kind, OutputFormat, ValidateOptions};
use ktpel_core::{HasCode, kk, nik};

/// Subcommands shared by `nik` and `kk`.
#[derive(Subcommand)]
pub enum NumberCommand {
    /// Check numbers given on the command line.
    Check(CheckArgs),
    /// Validate a column of a CSV file of any size; writes every row with its verdict.
    Validate(ValidateArgs),
}

#[derive(Clone, Copy, ValueEnum, Default)]
pub enum TextOrJson {
    #[default]
    Text,
    Json,
}

#[derive(Args)]
pub struct ModeArgs {
    /// Exactly 16 digits (default).
    #[arg(long, conflicts_with = "lenient")]
    strict: bool,
    /// Allow surrounding spaces and the separators people type (space, '.', '-').
    #[arg(long)]
    lenient: bool,
    /// Date against which the two-digit year is resolved (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    ref_date: Option<NaiveDate>,
    /// A birth year known from another source, to settle the century (NIK only).
    #[arg(long, value_name = "YYYY")]
    birth_year: Option<i32>,
}

impl ModeArgs {
    fn options(&self) -> CheckOptions {
        CheckOptions {
            mode: if self.lenient {
                Mode::Lenient
            } else {
                Mode::Strict
            },
            reference_date: self.ref_date,
            birth_year: self.birth_year,
        }
    }
}

#[derive(Args)]
pub struct CheckArgs {
    /// The numbers to check.
    #[arg(required = true)]
    numbers: Vec<String>,
    #[command(flatten)]
    mode: ModeArgs,
    /// Output format: text for people, json for programs (one object per line).
    #[arg(long, value_enum, default_value_t)]
    format: TextOrJson,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FileFormat {
    Csv,
    Jsonl,
}

#[derive(Args)]
pub struct ValidateArgs {
    /// Input CSV file with a header row.
    file: PathBuf,
    /// Header of the column holding the numbers.
    #[arg(long, default_value = "NIK")]
    column: String,
    /// Where to write the rows with their verdicts (default: standard output).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FileFormat,
    /// Field delimiter of the input, e.g. ';' for Excel exports in Indonesian locale.
    #[arg(long, default_value = ",")]
    delimiter: char,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    summary_json: bool,
    #[command(flatten)]
    mode: ModeArgs,
}

/// Runs `ktpel nik …` (`kind == Nik`) or `ktpel kk …`.
pub fn run(kind: Kind, cmd: NumberCommand) -> Result<ExitCode> {
    match cmd {
        NumberCommand::Check(a) => check(kind, a),
        NumberCommand::Validate(a) => validate_file(kind, a),
    }
}

fn check(kind: Kind, a: CheckArgs) -> Result<ExitCode> {
    let opts = a.mode.options();
    let reference = opts.resolved_reference_date();
    let mut all_valid = true;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for input in &a.numbers {
        let (mut json, valid) = match kind {
            Kind::Nik => {
                let c = nik::check_at(input, opts.mode, reference, opts.birth_year);
                (serde_json::to_value(c)?, c.is_valid())
            }
            Kind::Kk => {
                let c = kk::check_at(input, opts.mode, reference, opts.birth_year);
                (serde_json::to_value(c)?, c.is_valid())
            }
        };
        all_valid &= valid;
        match a.format {
            TextOrJson::Json => {
                let mut obj = serde_json::Map::new();
                obj.insert("input".into(), input.as_str().into());
                if let serde_json::Value::Object(m) = json.take() {
                    obj.extend(m);
                }
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
            TextOrJson::Text => write_text(&mut out, kind, input, &json)?,
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_text(
    out: &mut impl Write,
    kind: Kind,
    input: &str,
    j: &serde_json::Value,
) -> io::Result<()> {
    let s = |k: &str| j[k].as_str().unwrap_or("-").to_string();
    if j["valid"].as_bool() == Some(true) {
        writeln!(out, "{input}: VALID")?;
    } else {
        writeln!(out, "{input}: INVALID {} — {}", s("code"), s("message"))?;
    }
    if j["district_code"].is_string() {
        writeln!(
            out,
            "  region   {} {} / {} / {}",
            s("district_code"),
            j["province_name"].as_str().unwrap_or("?"),
            j["regency_name"].as_str().unwrap_or("?"),
            j["district_name"].as_str().unwrap_or("?")
        )?;
    }
    match kind {
        Kind::Nik => {
            let sex = match j["sex"].as_str() {
                Some("L") => "L (laki-laki)",
                Some("P") => "P (perempuan)",
                _ => "-",
            };
            writeln!(
                out,
                "  born     {}{}",
                s("birth_date"),
                if j["century_ambiguous"] == true {
                    " (century ambiguous)"
                } else {
                    ""
                }
            )?;
            writeln!(out, "  sex      {sex}")?;
        }
        Kind::Kk => writeln!(out, "  issued   {}", s("issue_date"))?,
    }
    writeln!(out, "  serial   {}", s("serial"))?;
    if let Some(w) = j["warnings"].as_array().filter(|w| !w.is_empty()) {
        for code in w.iter().filter_map(|c| c.as_str()) {
            let desc = ktpel_core::Code::from_name(code).map_or("", |c| c.description());
            writeln!(out, "  warning  {code}: {desc}")?;
        }
    }
    Ok(())
}

fn validate_file(kind: Kind, a: ValidateArgs) -> Result<ExitCode> {
    let file = File::open(&a.file).with_context(|| format!("cannot open {}", a.file.display()))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut opts = ValidateOptions::new(kind, &a.column);
    opts.check = a.mode.options();
    opts.format = match a.format {
        FileFormat::Csv => OutputFormat::Csv,
        FileFormat::Jsonl => OutputFormat::Jsonl,
    };
    anyhow::ensure!(
        a.delimiter.is_ascii(),
        "the delimiter must be one ASCII character"
    );
    opts.delimiter = a.delimiter as u8;
    let sink: Box<dyn Write> = match &a.out {
        Some(p) => {
            Box::new(File::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        None => Box::new(io::stdout().lock()),
    };
    let writer = BufWriter::with_capacity(1 << 20, sink);
    let bar = crate::progress::bytes_bar(total, "validating");
    let summary = validate::validate_csv(file, writer, &opts, &mut |p| bar.set_position(p.bytes))
        .map_err(|e| anyhow::anyhow!("{} [{}]", e, e.code()))?;
    bar.finish_and_clear();
    // The report goes to stdout when rows went to a file, else to stderr.
    let mut report: Box<dyn Write> = if a.out.is_some() {
        Box::new(io::stdout())
    } else {
        Box::new(io::stderr())
    };
    if a.summary_json {
        writeln!(report, "{}", serde_json::to_string(&summary)?)?;
    } else {
        let what = if kind == Kind::Nik { "NIK" } else { "KK" };
        writeln!(report, "{what} validation of {}", a.file.display())?;
        writeln!(report, "  rows read      {:>12}", summary.rows)?;
        writeln!(report, "  valid          {:>12}", summary.valid)?;
        writeln!(report, "  invalid        {:>12}", summary.invalid)?;
        for (code, n) in &summary.codes {
            writeln!(report, "    {code:<26} {n:>10}")?;
        }
        if !summary.warnings.is_empty() {
            writeln!(report, "  warnings (rows)")?;
            for (code, n) in &summary.warnings {
                writeln!(report, "    {code:<26} {n:>10}")?;
            }
        }
        for w in &summary.column_warnings {
            let desc = ktpel_core::Code::from_name(w).map_or("", |c| c.description());
            writeln!(report, "  COLUMN WARNING {w}: {desc}")?;
        }
        if let Some(p) = &a.out {
            writeln!(report, "  written to     {}", p.display())?;
        }
    }
    let _ = io::stderr().is_terminal();
    Ok(if summary.invalid == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
