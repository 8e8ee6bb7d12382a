//! NIK/KK checking speed: strict `check_at` with region lookup, one thread;
//! `check_many` on all cores. Inputs: 100,000 valid NIKs spread over every
//! current district, plus a 10 % invalid mix.
//!
//! Run: cargo bench -p ktpel-core --bench nik

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::nik::{self, CheckOptions, Mode, Nik, Sex};
use ktpel_core::{kk, region};

fn inputs() -> Vec<String> {
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let districts = region::current_districts();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..100_000)
        .map(|i| {
            let r = next();
            if i % 10 == 9 {
                // invalid mix: wrong length, bad date, unknown district
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

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut g = c.benchmark_group("nik");
    g.measurement_time(Duration::from_secs(3)).sample_size(20);
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("check_at strict, 1 thread", |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for s in &inputs {
                valid +=
                    nik::check_at(black_box(s), Mode::Strict, reference, None).is_valid() as usize;
            }
            valid
        })
    });
    g.bench_function("kk check_at strict, 1 thread", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter(|s| kk::check_at(black_box(s), Mode::Strict, reference, None).is_valid())
                .count()
        })
    });
    let opts = CheckOptions::strict().with_reference_date(reference);
    g.bench_function("check_many (rayon, all cores)", |b| {
        b.iter(|| nik::check_many(black_box(&inputs), &opts).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
