//! Checks 1,000,000 generated NIKs in a loop; used with callgrind/perf to
//! count instructions per check (see BENCHMARKS.md).
//!
//! Run: cargo run --release -p ktpel-core --example nik_profile

use chrono::NaiveDate;
use ktpel_core::nik::{self, Mode, Nik, Sex};
use ktpel_core::region;

fn main() {
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let districts = region::current_districts();
    let inputs: Vec<String> = (0..100_000u64)
        .map(|i| {
            let r = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let d = districts[(r % districts.len() as u64) as usize];
            let birth = reference - chrono::Duration::days((r >> 20) as i64 % (90 * 365));
            let sex = if r & 1 == 0 { Sex::Male } else { Sex::Female };
            Nik::from_parts(d, birth, sex, ((r >> 40) % 9999 + 1) as u16, reference)
                .unwrap()
                .to_string()
        })
        .collect();
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let start = std::time::Instant::now();
    let mut valid = 0usize;
    for _ in 0..rounds {
        for s in &inputs {
            valid += nik::check_at(std::hint::black_box(s), Mode::Strict, reference, None)
                .is_valid() as usize;
        }
    }
    let el = start.elapsed();
    let n = rounds * inputs.len();
    println!(
        "{valid} valid of {n} in {el:?} = {:.1} M/s",
        n as f64 / el.as_secs_f64() / 1e6
    );
}
