//! `ktpel name …` end to end, including every case of
//! `tests/vectors/names.json`.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn ktpel(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ktpel"))
        .args(args)
        .output()
        .expect("run ktpel");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

fn vectors() -> Vec<Value> {
    let path = format!("{}/../tests/vectors/names.json", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

#[test]
fn normalize_json_matches_vectors() {
    let cases = vectors();
    let inputs: Vec<&str> = cases.iter().map(|c| c["input"].as_str().unwrap()).collect();
    let mut args = vec!["name", "normalize", "--format", "json", "--"];
    args.extend(&inputs);
    let (code, out) = ktpel(&args);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len(), "one JSON object per input");
    for (c, line) in cases.iter().zip(lines) {
        let v: Value = serde_json::from_str(line).unwrap();
        let ctx = c["input"].as_str().unwrap();
        for field in [
            "display",
            "normalized",
            "matching_key",
            "phonetic_key",
            "anomaly",
        ] {
            assert_eq!(v[field], c[field], "{field} of {ctx:?}");
        }
        assert_eq!(v["input"], c["input"]);
        let removed: Vec<&Value> = v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["title"])
            .collect();
        let expected: Vec<&Value> = c["removed"].as_array().unwrap().iter().collect();
        assert_eq!(removed, expected, "removed of {ctx:?}");
        let codes: Vec<&Value> = v["anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["code"])
            .collect();
        let expected: Vec<&Value> = c["anomalies"].as_array().unwrap().iter().collect();
        assert_eq!(codes, expected, "anomalies of {ctx:?}");
        if let Some(m) = c.get("mother") {
            assert_eq!(&v["anomalies"][0]["mother"], m, "mother of {ctx:?}");
        }
    }
}

#[test]
fn text_outputs_and_exit_codes() {
    let (code, out) = ktpel(&["name", "normalize", "Hj. Siti Aminah, S.Pd."]);
    assert_eq!(code, 0);
    assert!(out.starts_with("SITI AMINAH\tremoved: Hj."), "{out}");

    let (code, out) = ktpel(&["name", "check", "SITI AMINAH", "SUKARNO"]);
    assert_eq!(code, 0, "warnings only: {out}");
    assert!(out.contains("SINGLE_WORD"));
    let (code, out) = ktpel(&["name", "check", "SITI AMINAH", "BAYI NY. SITI"]);
    assert_eq!(code, 1, "an error: {out}");
    assert!(
        out.contains("NEWBORN_PLACEHOLDER") && out.contains("mother: SITI"),
        "{out}"
    );

    let (code, out) = ktpel(&["name", "key", "SOEKARNO", "DJOKO"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("SUKARNO\t"), "{out}");
}

#[test]
fn similarity_json() {
    let (code, out) = ktpel(&[
        "name",
        "similarity",
        "--format",
        "json",
        "MOCH. ARIEF",
        "M ARIF",
    ]);
    assert_eq!(code, 0, "same person exits 0");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    for field in ["combined", "token", "jaro_winkler", "levenshtein"] {
        let x = v[field].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{field}");
    }
    assert_eq!(v["same_person"], Value::Bool(true));
    assert_eq!(v["matching_key_a"], "MUHAMAD ARIEF");
    let (code, _) = ktpel(&["name", "similarity", "SITI AMINAH", "SITI RAHAYU"]);
    assert_eq!(code, 1, "different people exit 1");
    let (code, _) = ktpel(&["name", "similarity", "--threshold", "2", "A", "B"]);
    assert_eq!(code, 2, "bad threshold is a usage error");
}

#[test]
fn names_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ktpel"))
        .args(["name", "key", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"SOEKARNO\nSUKARNO\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["matching_key"], lines[1]["matching_key"]);
}
