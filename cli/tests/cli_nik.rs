//! End-to-end tests of `ktpel nik|kk|region` through the built binary.

use std::process::Command;

fn ktpel(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ktpel"))
        .args(args)
        .output()
        .expect("run ktpel");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn nik_check_json_has_the_documented_fields() {
    let (code, out, _) = ktpel(&[
        "nik",
        "check",
        "--format",
        "json",
        "--ref-date",
        "2026-11-23",
        "3174015708900123",
        "3.17401E+15",
    ]);
    assert_eq!(code, 1, "one input is invalid");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let v = &lines[0];
    for key in [
        "input",
        "valid",
        "code",
        "warnings",
        "province_code",
        "regency_code",
        "district_code",
        "district_name",
        "sex",
        "birth_date",
        "century_ambiguous",
        "serial",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["valid"], true);
    assert_eq!(v["district_code"], "317401");
    assert_eq!(v["sex"], "P");
    assert_eq!(v["birth_date"], "1990-08-17");
    assert_eq!(lines[1]["code"], "SPREADSHEET_CORRUPTED");
    assert_eq!(lines[1]["valid"], false);
}

#[test]
fn nik_check_lenient_and_exit_codes() {
    let (code, out, _) = ktpel(&[
        "nik",
        "check",
        "--lenient",
        "--ref-date",
        "2026-11-23",
        "3174-0157-0890-0123",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("VALID") && out.contains("SEPARATORS_REMOVED"));
    let (code, _, _) = ktpel(&[
        "nik",
        "check",
        "--strict",
        "--ref-date",
        "2026-11-23",
        "3174-0157-0890-0123",
    ]);
    assert_eq!(code, 1);
    let (code, _, err) = ktpel(&["nik", "check", "--ref-date", "not-a-date", "1"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn kk_check() {
    let (code, out, _) = ktpel(&[
        "kk",
        "check",
        "--format",
        "json",
        "--ref-date",
        "2026-11-23",
        "3174014103150007",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["code"], "INVALID_ISSUE_DATE");
}

#[test]
fn nik_validate_file_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "ID;NIK;NAMA\n1;3174015708900123;SITI\n2;3.17401E+15;BUDI\n3;\"broken;X\n4;3174011708900123;A;EXTRA\n5;;KOSONG\n",
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    let (code, stdout, err) = ktpel(&[
        "nik",
        "validate",
        input.to_str().unwrap(),
        "--column",
        "nik",
        "--delimiter",
        ";",
        "--format",
        "jsonl",
        "--out",
        out.to_str().unwrap(),
        "--ref-date",
        "2026-11-23",
        "--summary-json",
    ]);
    assert_eq!(code, 1, "{err}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["rows"], 5);
    assert_eq!(summary["valid"], 1);
    assert_eq!(summary["codes"]["MALFORMED_ROW"], 2);
    assert_eq!(summary["codes"]["SPREADSHEET_CORRUPTED"], 1);
    assert_eq!(summary["codes"]["EMPTY"], 1);
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["record"]["NAMA"], "SITI");
    assert_eq!(rows[4]["row"], 5);
}

#[test]
fn validate_reports_a_missing_column_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "A,B\n1,2\n").unwrap();
    let (code, _, err) = ktpel(&[
        "nik",
        "validate",
        input.to_str().unwrap(),
        "--column",
        "NIK",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("COLUMN_NOT_FOUND") && err.contains("A,B"),
        "{err}"
    );
    let (code, _, err) = ktpel(&["nik", "validate", "/nonexistent/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot open"), "{err}");
}

#[test]
fn region_commands() {
    let (code, out, _) = ktpel(&["region", "show", "--format", "json", "91.01"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["status"], "HISTORIC");
    assert_eq!(v["successor"], "93.01");
    let (code, out, _) = ktpel(&["region", "bps", "--format", "json", "9101", "1101010"]);
    assert_eq!(code, 0);
    let l: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(l[0]["result"], "9401");
    assert_eq!(l[1]["result"], "11.09.07");
    let (code, out, _) = ktpel(&["region", "bps", "--from-bps", "9401"]);
    assert_eq!(code, 0);
    assert!(out.contains("91.01"));
    let (code, _, _) = ktpel(&["region", "show", "31.69"]);
    assert_eq!(code, 1);
}

/// `ktpel nik check … | head -c 1`: the closed pipe ends the process by
/// SIGPIPE, not by a panic or an error message on stderr.
#[cfg(unix)]
#[test]
fn closed_stdout_pipe_ends_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ktpel"))
        .args(["nik", "check", "--ref-date", "2026-11-23"])
        // ~1 MB of output: far more than a pipe buffer holds.
        .args(std::iter::repeat_n("3174015708900123", 10_000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ktpel");
    // Read one byte, then close the pipe while ktpel still has lines to write.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(stderr.is_empty(), "stderr: {stderr}");
    assert!(
        status.success() || status.signal() == Some(libc_sigpipe()),
        "status {status:?}"
    );
}

#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13 // SIGPIPE on Linux and the BSDs
}
