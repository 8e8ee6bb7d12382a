//! `cargo bench -p ktpel-core --bench name`: normalization, keys,
//! similarity, and Jaro-Winkler against `strsim` and `rapidfuzz`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::name::{self, BlockScorer, KeyBlock, PreparedName};

const NAMES: &[&str] = &[
    "Hj. Siti Aminah, S.Pd.",
    "SITI AMINAH",
    "MOCH. ARIEF",
    "MUHAMMAD ARIF",
    "DJOKO SUSILO",
    "BUDI SANTOSO",
    "I WAYAN SUDIRTA",
    "DRS. H. AHMAD SUDRAJAT, M.M.",
    "NUR AINI",
    "RATNA SARI DEWI",
    "ABDUL RAHMAN",
    "TJAHJO KUMOLO",
    "YULIA RAHMAWATI",
    "SOEKARNO",
    "DEDI MULYADI",
    "ANDI WIJAYA",
];

fn pairs() -> Vec<(&'static str, &'static str)> {
    NAMES
        .iter()
        .flat_map(|a| NAMES.iter().map(move |b| (*a, *b)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("name");
    g.measurement_time(Duration::from_secs(3));
    g.sample_size(20);
    g.throughput(Throughput::Elements(NAMES.len() as u64));
    g.bench_function("normalize", |b| {
        b.iter(|| {
            NAMES
                .iter()
                .map(|n| name::normalize(black_box(n)).as_str().len())
                .sum::<usize>()
        })
    });
    g.bench_function("matching_key", |b| {
        b.iter(|| {
            NAMES
                .iter()
                .map(|n| name::matching_key(black_box(n)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("phonetic_key", |b| {
        b.iter(|| {
            NAMES
                .iter()
                .map(|n| name::phonetic_key(black_box(n)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            NAMES
                .iter()
                .filter(|n| name::check(black_box(n)).is_some())
                .count()
        })
    });

    let ps = pairs();
    let keys: Vec<(String, String)> = ps
        .iter()
        .map(|(a, b)| (name::matching_key(a), name::matching_key(b)))
        .collect();
    let prepared: Vec<(PreparedName, PreparedName)> = ps
        .iter()
        .map(|(a, b)| (PreparedName::new(a), PreparedName::new(b)))
        .collect();
    g.throughput(Throughput::Elements(ps.len() as u64));
    g.bench_function("similarity/raw", |b| {
        b.iter(|| {
            ps.iter()
                .map(|(x, y)| name::similarity(black_box(x), black_box(y)))
                .sum::<f64>()
        })
    });
    g.bench_function("similarity/prepared", |b| {
        b.iter(|| {
            prepared
                .iter()
                .map(|(x, y)| black_box(x).similarity(black_box(y)))
                .sum::<f64>()
        })
    });
    g.bench_function("jaro_winkler/ktpel", |b| {
        b.iter(|| {
            keys.iter()
                .map(|(x, y)| name::jaro_winkler(black_box(x), black_box(y)))
                .sum::<f64>()
        })
    });
    g.bench_function("jaro_winkler/strsim", |b| {
        b.iter(|| {
            keys.iter()
                .map(|(x, y)| strsim::jaro_winkler(black_box(x), black_box(y)))
                .sum::<f64>()
        })
    });
    g.bench_function("jaro_winkler/rapidfuzz_bytes", |b| {
        b.iter(|| {
            keys.iter()
                .map(|(x, y)| {
                    rapidfuzz::distance::jaro_winkler::similarity(
                        black_box(x).bytes(),
                        black_box(y).bytes(),
                    )
                })
                .sum::<f64>()
        })
    });

    let block: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
    let scorer = BlockScorer::new("MOCH. ARIEF");
    let rf = rapidfuzz::distance::jaro_winkler::BatchComparator::new(scorer.query().key().bytes());
    g.throughput(Throughput::Elements(block.len() as u64));
    g.bench_function("block/BlockScorer::score", |b| {
        b.iter(|| {
            block
                .iter()
                .map(|k| scorer.score(black_box(k)))
                .sum::<f64>()
        })
    });
    let arena: KeyBlock = block.iter().collect();
    let mut out = Vec::with_capacity(arena.len());
    g.bench_function("block/BlockScorer::score_keys(KeyBlock)", |b| {
        b.iter(|| {
            scorer.score_keys(black_box(&arena), &mut out);
            out.iter().sum::<f64>()
        })
    });
    g.bench_function("block/BlockScorer::score_keys_cutoff(KeyBlock,0.85)", |b| {
        b.iter(|| {
            scorer.score_keys_cutoff(black_box(&arena), 0.85, &mut out);
            out.iter().sum::<f64>()
        })
    });
    g.bench_function("block/rapidfuzz_BatchComparator", |b| {
        b.iter(|| {
            block
                .iter()
                .map(|k| rf.similarity(black_box(k).bytes()))
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
