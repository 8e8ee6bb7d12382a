//! Property tests: generated valid NIKs round-trip; no input panics.

use chrono::{Datelike, NaiveDate};
use ktpel_core::nik::{self, CheckOptions, Mode, Nik, Sex};
use ktpel_core::{kk, region};
use proptest::prelude::*;

fn reference() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn valid_niks_round_trip(district_i in 0usize..7285, days in 0i64..(125 * 365), female: bool, serial in 1u16..=9999) {
        let districts = region::current_districts();
        let district = districts[district_i % districts.len()];
        let birth = reference() - chrono::Duration::days(days);
        let sex = if female { Sex::Female } else { Sex::Male };
        let n = Nik::from_parts(district, birth, sex, serial, reference()).unwrap();
        let text = n.to_string();
        let opts = CheckOptions::strict().with_reference_date(reference()).with_birth_year(birth.year());
        let back = Nik::parse_with(&text, &opts).unwrap();
        prop_assert_eq!(back.to_string(), text.clone());
        prop_assert_eq!(back.birth_date(), birth);
        prop_assert_eq!(back.sex(), sex);
        prop_assert_eq!(back.serial(), serial);
        prop_assert_eq!(back.district(), district);
        // Without the known year the date is right up to the century.
        let c = nik::check_with(&text, &CheckOptions::strict().with_reference_date(reference()));
        prop_assert!(c.is_valid());
        prop_assert_eq!(c.birth_date().unwrap().year() % 100, birth.year() % 100);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,40}") {
        for mode in [Mode::Strict, Mode::Lenient] {
            let opts = CheckOptions { mode, reference_date: Some(reference()), birth_year: None };
            let c = nik::check_with(&s, &opts);
            let _ = serde_json::to_string(&c).unwrap();
            let _ = kk::check_with(&s, &opts);
            let _ = region::lookup(&s);
            let _ = region::from_bps(&s);
        }
    }

    #[test]
    fn digit_strings_never_panic(s in "[0-9 .\\-eE+,']{0,24}", by in proptest::option::of(1800i32..2200)) {
        let opts = CheckOptions { mode: Mode::Lenient, reference_date: Some(reference()), birth_year: by };
        let c = nik::check_with(&s, &opts);
        // A valid result always has every decoded field.
        if c.is_valid() {
            prop_assert!(c.birth_date().is_some() && c.sex().is_some() && c.serial().unwrap() > 0);
        }
        let _ = kk::check_with(&s, &opts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The one-buffer batch paths give exactly the per-value results.
    #[test]
    fn check_lines_equals_check_many(
        values in proptest::collection::vec(prop_oneof!["[0-9]{16}", "[0-9 .\\-]{0,20}", "[^\n\r]{0,20}"], 1..200),
        crlf: bool,
        final_break: bool,
    ) {
        let opts = CheckOptions::strict().with_reference_date(reference());
        let sep = if crlf { "\r\n" } else { "\n" };
        let mut text = values.join(sep);
        if final_break {
            text.push_str(sep);
        }
        // An empty last value cannot be told from a final line break.
        let expect_len = if !final_break && values.last().is_some_and(|v| v.is_empty()) {
            values.len() - 1
        } else {
            values.len()
        };
        let lines = nik::check_lines(&text, &opts);
        let many = nik::check_many(&values, &opts);
        prop_assert_eq!(lines.len(), expect_len);
        prop_assert_eq!(&lines[..], &many[..lines.len()]);
        let cols = nik::NikColumns::check_lines(&text, &opts);
        prop_assert_eq!(&cols, &nik::NikColumns::from_checks(&lines));
        for (i, c) in lines.iter().enumerate() {
            prop_assert_eq!(cols.valid[i] == 1, c.is_valid());
            prop_assert_eq!(u32::from(cols.code[i]), c.code().map_or(0, |k| k.as_u32()));
            prop_assert_eq!(cols.serial[i], c.serial().map_or(-1, |s| s as i16));
            prop_assert_eq!(cols.district[i], c.district_code().unwrap_or(0));
            prop_assert_eq!(nik::Warnings::from_bits(cols.warnings[i]), c.warnings());
        }
    }
}
