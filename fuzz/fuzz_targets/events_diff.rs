//! `cargo fuzz run events_diff`: the in-memory snapshot diff never panics on
//! any bytes (split into an old and a new CSV text), counts every row, and
//! diffing a snapshot with itself gives no event; subscription parsing
//! never panics.
#![no_main]

use ktpel_core::events::{DiffOptions, Subscriptions, diff_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Subscriptions::from_toml(&String::from_utf8_lossy(data), None);
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (old, new) = (&data[..cut], data.get(cut + 1..).unwrap_or(&[]));
    let opts = DiffOptions::new(chrono::NaiveDate::from_ymd_opt(2023, 11, 30).unwrap());
    if let Ok(out) = diff_csv(old, new, &opts) {
        assert!(out.summary.is_some());
    }
    if let Ok(same) = diff_csv(old, old, &opts) {
        assert!(same.events.is_empty());
    }
});
