//! Generator throughput: register rows per second (`sample::population`),
//! and the full data set (all five files into memory) per register row.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::sample::{self, Config, Sinks};

const ROWS: usize = 100_000;

fn bench(c: &mut Criterion) {
    let cfg = Config {
        population: ROWS,
        agency: ROWS / 10,
        ..Config::default()
    };
    // build the region/name tables once, outside the measurement
    let _ = sample::population(&Config {
        population: 1,
        ..cfg.clone()
    })
    .unwrap()
    .count();
    let mut g = c.benchmark_group("gen");
    g.measurement_time(Duration::from_secs(3)).sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("population_100k_rows", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for r in sample::population(black_box(&cfg)).unwrap() {
                n += r.unwrap().name.len();
            }
            n
        })
    });
    g.bench_function("all_files_100k_register_rows", |b| {
        b.iter(|| {
            let mut s = Sinks {
                population: Vec::with_capacity(40 << 20),
                later: Vec::with_capacity(40 << 20),
                agency: Vec::with_capacity(4 << 20),
                truth_agency: Vec::with_capacity(4 << 20),
                truth_changes: Vec::with_capacity(4 << 20),
            };
            sample::write_to(black_box(&cfg), &mut s, |_| {})
                .unwrap()
                .register_rows
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
