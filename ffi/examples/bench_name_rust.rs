//! The Rust side of `bench/ffi/run_name.sh`: writes N name pairs (consecutive
//! register names of the sample generator, seed 1: household members, who
//! often share a family name) to a file the C benchmark reads, as `A\tB\n`,
//! then times `name::similarity` on them on one thread and on all cores.
//!
//! Usage: cargo run --release -p ktpel-ffi --example bench_name_rust -- FILE [N]

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use ktpel_core::name;
use ktpel_core::sample::{self, Config};
use rayon::prelude::*;

/// Best of `runs` timings of `f`, in seconds.
fn best(runs: usize, mut f: impl FnMut() -> f64) -> (f64, f64) {
    let mut best = f64::MAX;
    let mut out = 0.0;
    for _ in 0..runs {
        let t = Instant::now();
        out = black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: bench_name_rust FILE [N]")?;
    let n: usize = match args.next() {
        Some(s) => s.parse().map_err(|e| format!("N: {s:?}: {e}"))?,
        None => 200_000,
    };
    let cfg = Config {
        population: n + 1,
        agency: 0,
        ..Config::default()
    };
    let names: Vec<String> = sample::population(&cfg)?
        .map(|r| r.map(|r| r.name))
        .collect::<Result<_, _>>()?;
    let pairs: Vec<(&str, &str)> = names
        .windows(2)
        .map(|w| (w[0].as_str(), w[1].as_str()))
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for (a, b) in &pairs {
        writeln!(f, "{a}\t{b}")?;
    }
    f.flush()?;
    let (t1, s1) = best(3, || {
        pairs
            .iter()
            .map(|(a, b)| name::similarity(black_box(a), b))
            .sum()
    });
    let (tn, sn) = best(3, || {
        let v: Vec<f64> = pairs
            .par_iter()
            .map(|(a, b)| name::similarity(black_box(a), b))
            .collect();
        v.iter().sum()
    });
    assert_eq!(s1, sn);
    let n = pairs.len();
    println!(
        "rust similarity loop, 1 thread:    {:>8.3} M pairs/s  {:>7.1} ns/pair  (sum {s1:.6})",
        n as f64 / t1 / 1e6,
        t1 * 1e9 / n as f64
    );
    println!(
        "rust similarity par_iter, all cores: {:>6.3} M pairs/s  {:>7.1} ns/pair",
        n as f64 / tn / 1e6,
        tn * 1e9 / n as f64
    );
    Ok(())
}
