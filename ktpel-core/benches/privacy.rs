//! Privacy speed: NIK tokens per second on one core (the NIK check
//! included, and the HMAC alone), audit-log appends per second with fsync
//! after every entry and batched, and log verification.
//!
//! Run: cargo bench -p ktpel-core --bench privacy

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::nik::{Nik, Sex};
use ktpel_core::privacy::audit::{AuditLog, SyncPolicy, verify_bytes};
use ktpel_core::privacy::{NIK_LABEL, TokenKey};
use ktpel_core::region;

fn niks(n: usize) -> Vec<String> {
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let districts = region::current_districts();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let d = districts[(x % districts.len() as u64) as usize];
            let birth = reference - chrono::Duration::days((x >> 20) as i64 % (90 * 365));
            let sex = if x & 1 == 0 { Sex::Male } else { Sex::Female };
            Nik::from_parts(d, birth, sex, ((x >> 40) % 9999 + 1) as u16, reference)
                .unwrap()
                .to_string()
        })
        .collect()
}

fn tokens(c: &mut Criterion) {
    let key = TokenKey::new("BENCH", &[0x5C; 32]).unwrap();
    let input = niks(100_000);
    let reference = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut g = c.benchmark_group("privacy_tokens");
    g.measurement_time(Duration::from_secs(3)).sample_size(20);
    g.throughput(Throughput::Elements(input.len() as u64));
    g.bench_function("tokenize_nik_into (check + HMAC + encode), 1 core", |b| {
        let mut out = String::with_capacity(32);
        b.iter(|| {
            for n in &input {
                out.clear();
                key.tokenize_nik_into(n, reference, &mut out).unwrap();
                black_box(&out);
            }
        })
    });
    g.bench_function("tokenize_nik_at (allocating String), 1 core", |b| {
        b.iter(|| {
            for n in &input {
                black_box(key.tokenize_nik_at(n, reference).unwrap());
            }
        })
    });
    g.bench_function("HMAC-SHA-256 only (precomputed key states), 1 core", |b| {
        b.iter(|| {
            for n in &input {
                black_box(key.mac(NIK_LABEL, n.as_bytes()));
            }
        })
    });
    g.finish();
}

fn appends(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("privacy_audit_append");
    g.measurement_time(Duration::from_secs(3)).sample_size(20);
    g.throughput(Throughput::Elements(1));
    for (name, policy) in [
        ("fsync every entry", SyncPolicy::EveryEntry),
        ("fsync every 64 entries / 200 ms", SyncPolicy::default()),
        (
            "fsync every 1024 entries / 1 s",
            SyncPolicy::Batch {
                entries: 1024,
                interval: Duration::from_secs(1),
            },
        ),
    ] {
        let path = dir.path().join(name.replace([' ', '/'], "_"));
        let mut log = AuditLog::open(&path, policy).unwrap();
        let mut i = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                log.append_at(
                    1_767_225_600_000 + i as i64,
                    "op-17",
                    "N1JKT1-X1PRP8ACBEKEYKCX",
                    "bansos 2026",
                    "SESUAI",
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

fn verify(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("akses.log");
    let n = 100_000u64;
    {
        let mut log = AuditLog::open(
            &path,
            SyncPolicy::Batch {
                entries: 100_000,
                interval: Duration::from_secs(60),
            },
        )
        .unwrap();
        for i in 0..n {
            log.append_at(
                i as i64,
                "op-17",
                "N1JKT1-X1PRP8ACBEKEYKCX",
                "bansos 2026",
                "SESUAI",
            )
            .unwrap();
        }
    }
    let bytes = std::fs::read(&path).unwrap();
    let mut g = c.benchmark_group("privacy_audit_verify");
    g.measurement_time(Duration::from_secs(3)).sample_size(10);
    g.throughput(Throughput::Elements(n));
    g.bench_function(
        "verify_bytes, 100k entries (parse, chain, hashes, root)",
        |b| {
            b.iter_batched(
                || (),
                |_| {
                    let r = verify_bytes(&bytes, b"", None);
                    assert!(r.is_valid());
                    black_box(r.root())
                },
                BatchSize::SmallInput,
            )
        },
    );
    g.finish();
}

criterion_group!(benches, tokens, appends, verify);
criterion_main!(benches);
