//! Runs the shared NIK and KK vectors (`tests/vectors/nik.json`, `kk.json`),
//! the same files every binding's tests read.

use chrono::NaiveDate;
use ktpel_core::nik::{CheckOptions, Mode};
use ktpel_core::{kk, nik};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn options(case: &Value) -> CheckOptions {
    let mode = match case["mode"].as_str().unwrap() {
        "strict" => Mode::Strict,
        "lenient" => Mode::Lenient,
        m => panic!("mode {m}"),
    };
    let reference =
        NaiveDate::parse_from_str(case["reference_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    CheckOptions {
        mode,
        reference_date: Some(reference),
        birth_year: case["birth_year"].as_i64().map(|y| y as i32),
    }
}

/// Compares every expected field present in `expect` with the serialized check.
fn compare(kind: &str, case: &Value, got: Value) {
    let expect = &case["expect"];
    let input = &case["input"];
    for (key, want) in expect.as_object().unwrap() {
        if key == "note" {
            continue;
        }
        assert!(
            got.get(key).is_some(),
            "{kind} {input}: result has no field {key}"
        );
        assert_eq!(
            &got[key], want,
            "{kind} {input} ({}): field {key}; got {got}",
            case["mode"]
        );
    }
}

#[test]
fn nik_vectors() {
    let v = load("nik.json");
    assert!(v["source"].as_str().is_some_and(|s| !s.is_empty()));
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for case in cases {
        let c = nik::check_with(case["input"].as_str().unwrap(), &options(case));
        compare("NIK", case, serde_json::to_value(c).unwrap());
        let parsed = nik::Nik::parse_with(case["input"].as_str().unwrap(), &options(case));
        assert_eq!(parsed.is_ok(), c.is_valid());
    }
}

#[test]
fn kk_vectors() {
    let v = load("kk.json");
    assert!(v["source"].as_str().is_some_and(|s| !s.is_empty()));
    for case in v["cases"].as_array().unwrap() {
        let c = kk::check_with(case["input"].as_str().unwrap(), &options(case));
        compare("KK", case, serde_json::to_value(c).unwrap());
        assert_eq!(
            kk::Kk::parse_with(case["input"].as_str().unwrap(), &options(case)).is_ok(),
            c.is_valid()
        );
    }
}

#[test]
fn every_nik_code_and_warning_is_covered() {
    let v = load("nik.json");
    let mut seen = std::collections::BTreeSet::new();
    for case in v["cases"].as_array().unwrap() {
        if let Some(c) = case["expect"]["code"].as_str() {
            seen.insert(c.to_string());
        }
        for w in case["expect"]["warnings"].as_array().unwrap() {
            seen.insert(w.as_str().unwrap().to_string());
        }
    }
    for code in [
        "EMPTY",
        "WRONG_LENGTH",
        "NON_DIGIT",
        "SPREADSHEET_CORRUPTED",
        "UNKNOWN_PROVINCE",
        "UNKNOWN_REGENCY",
        "UNKNOWN_DISTRICT",
        "INVALID_BIRTH_DATE",
        "FUTURE_BIRTH_DATE",
        "INVALID_SERIAL",
        "HISTORIC_REGION_CODE",
        "SEPARATORS_REMOVED",
        "CENTURY_AMBIGUOUS",
        "PLACEHOLDER_DATE_JUL_1",
        "PLACEHOLDER_DATE_DEC_31",
        "BIRTH_YEAR_MISMATCH",
    ] {
        assert!(seen.contains(code), "no NIK vector produces {code}");
    }
}
