//! Fuzzes NIK and KK checking (strict and lenient) and region-code parsing:
//! no input may panic, and a valid result always carries its decoded fields.
#![no_main]

use chrono::NaiveDate;
use ktpel_core::nik::{CheckOptions, Mode};
use ktpel_core::{kk, nik, region};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for mode in [Mode::Strict, Mode::Lenient] {
        let opts = CheckOptions { mode, reference_date: Some(reference), birth_year: None };
        let c = nik::check_with(s, &opts);
        if c.is_valid() {
            assert!(c.birth_date().is_some() && c.sex().is_some() && c.normalized().is_some());
        }
        let _ = kk::check_with(s, &opts);
    }
    let _ = region::lookup(s);
    let _ = region::from_bps(s);
});
