//! The Rust side of `bench/ffi/run.sh`: writes N NIKs (valid ones spread over
//! every current district plus a 10 % invalid mix, as `cargo bench -p
//! ktpel-core --bench nik`) to a file the C benchmark reads, then times the
//! Rust API on the same inputs: `nik::check_at` on one thread and
//! `nik::check_many` on all cores.
//!
//! Usage: cargo run --release -p ktpel-ffi --example bench_nik_rust -- FILE [N]

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use chrono::NaiveDate;
use ktpel_core::nik::{self, CheckOptions, Mode, Nik, Sex};
use ktpel_core::region;

fn inputs(n: usize) -> Vec<String> {
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let districts = region::current_districts();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let r = next();
            if i % 10 == 9 {
                return ["317401570890012", "3174013208900123", "3174995708900123"]
                    [(r % 3) as usize]
                    .to_string();
            }
            let d = districts[(r % districts.len() as u64) as usize];
            let birth = reference - chrono::Duration::days((r >> 20) as i64 % (90 * 365));
            let sex = if r & 1 == 0 { Sex::Male } else { Sex::Female };
            Nik::from_parts(d, birth, sex, ((r >> 40) % 9999 + 1) as u16, reference)
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Best of `runs` timings of `f`, in seconds.
fn best(runs: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut out = 0;
    for _ in 0..runs {
        let t = Instant::now();
        out = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: bench_nik_rust FILE [N]");
    let n: usize = args.next().map_or(1_000_000, |s| s.parse().expect("N"));
    let inputs = inputs(n);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&file).expect("create FILE"));
    for s in &inputs {
        writeln!(f, "{s}").unwrap();
    }
    f.flush().unwrap();
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (t1, v1) = best(5, || {
        inputs
            .iter()
            .filter(|s| nik::check_at(black_box(s), Mode::Strict, reference, None).is_valid())
            .count()
    });
    let opts = CheckOptions::strict().with_reference_date(reference);
    let (tn, vn) = best(5, || {
        nik::check_many(black_box(&inputs), &opts)
            .iter()
            .filter(|c| c.is_valid())
            .count()
    });
    assert_eq!(v1, vn);
    // The C entry point called from Rust: the cost of the boundary itself
    // (argument checks, unwind guard, result struct), without any C.
    let copts = ktpel::nik::ktpel_check_options {
        mode: ktpel::nik::KTPEL_MODE_STRICT,
        reference_year: 2026,
        reference_month: 11,
        reference_day: 23,
        birth_year: 0,
    };
    let (tc, vc) = best(5, || {
        let mut r = ktpel::nik::ktpel_nik_result::default();
        let mut v = 0usize;
        for s in &inputs {
            ktpel::nik::ktpel_nik_check(s.as_ptr(), s.len(), &copts, &mut r);
            v += usize::from(r.valid);
        }
        v
    });
    assert_eq!(v1, vc);
    println!(
        "rust check_at loop, 1 thread:      {:>8.2} M NIKs/s  {:>6.1} ns/NIK  ({v1} valid of {n})",
        n as f64 / t1 / 1e6,
        t1 * 1e9 / n as f64
    );
    println!(
        "rust -> ktpel_nik_check, 1 thread: {:>8.2} M NIKs/s  {:>6.1} ns/NIK",
        n as f64 / tc / 1e6,
        tc * 1e9 / n as f64
    );
    println!(
        "rust check_many, all cores:        {:>8.2} M NIKs/s  {:>6.1} ns/NIK",
        n as f64 / tn / 1e6,
        tn * 1e9 / n as f64
    );
}
