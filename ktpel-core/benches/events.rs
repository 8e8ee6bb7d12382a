//! Criterion benches of the snapshot diff: classification of one changed
//! pair, and the in-memory diff of generated 20,000-resident snapshots
//! (unsorted: sorted in memory). Whole-file figures (1 M, 3 M, 10 M) are in
//! BENCHMARKS.md, measured with `ktpel diff` and `/usr/bin/time -v`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::events::{DiffOptions, Layout, classify, diff_csv};
use ktpel_core::sample::{self, Config, REGISTER_HEADERS};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("events");
    g.measurement_time(Duration::from_secs(3)).sample_size(20);
    let layout = Layout::new(&REGISTER_HEADERS).unwrap();
    let old = [
        "3202346509900001",
        "3202341001150001",
        "SITI AMINAH",
        "SUKABUMI",
        "25-09-1990",
        "PEREMPUAN",
        "ISLAM",
        "BELUM KAWIN",
        "ANAK",
        "KARYAWAN SWASTA",
        "JL. MAWAR NO. 1",
        "001",
        "002",
        "32",
        "02",
        "34",
        "2001",
        "ENOK",
        "HIDUP",
    ];
    let mut new = old;
    new[1] = "3271011503230002";
    new[7] = "KAWIN";
    new[8] = "ISTRI";
    new[14] = "71";
    let (since, as_of) = ("2022-11-30".parse().unwrap(), "2023-11-30".parse().unwrap());
    g.throughput(Throughput::Elements(1));
    g.bench_function("classify_changed_pair", |b| {
        b.iter(|| classify(&layout, Some(&old), Some(&new), since, as_of))
    });
    let dir = std::env::temp_dir().join(format!("ktpel-bench-events-{}", std::process::id()));
    let cfg = Config {
        population: 20_000,
        agency: 10,
        ..Config::default()
    };
    sample::write_all(&cfg, &dir, |_| {}).unwrap();
    let a = std::fs::read(dir.join("population.csv")).unwrap();
    let b2 = std::fs::read(dir.join("population_later.csv")).unwrap();
    let opts = DiffOptions::new(as_of).since(since);
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("diff_csv_20k_unsorted", |b| {
        b.iter(|| diff_csv(&a, &b2, &opts).unwrap())
    });
    g.finish();
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
