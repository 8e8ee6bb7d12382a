//! Criterion benches of IKD QR tokens: full verification (decode, decrypt,
//! ES256, claims, replay check), issuance, and the in-memory replay store.
//!
//! `cargo bench -p ktpel-core --bench qr`

use criterion::{Criterion, criterion_group, criterion_main};
use ktpel_core::qr::*;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOW: i64 = 1_780_000_000;

fn claims() -> Claims {
    let mut kl = BTreeMap::new();
    kl.insert("BPJS_KESEHATAN".to_string(), "0001234567890".to_string());
    kl.insert("NPWP".to_string(), "0912345678901000".to_string());
    Claims {
        iss: "dukcapil.kemendagri.go.id".into(),
        aud: Some("bank-xyz".into()),
        nbf: None,
        identity: Identity {
            nik: Some("3174011501900001".into()),
            nama: Some("BUDI SANTOSO".into()),
            tgl_lhr: Some("1990-01-15".into()),
            jenis_klmin: Some("LAKI-LAKI".into()),
            doc: vec!["KTP".into(), "KK".into()],
            kl,
            ..Identity::default()
        },
    }
}

fn bench(c: &mut Criterion) {
    let sig = SigningKey::from_scalar("sig", &[0x11; 32]).unwrap();
    let enc = EncryptionKey::from_bytes("enc", &[0x22; 32]).unwrap();
    let issuer = Issuer::new(sig.clone(), Some(enc.clone()), Arc::new(FixedClock(NOW)));
    let store = Arc::new(MemoryReplayStore::new(8 << 20));
    let verifier = Verifier::new(Arc::new(FixedClock(NOW)), store)
        .trust(sig.verifying_key())
        .decryption_key(enc)
        .audience("bank-xyz");
    let claims = claims();

    let mut g = c.benchmark_group("qr");
    g.measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1));

    // Every timed verification succeeds: tokens are issued (untimed) first.
    g.bench_function("verify (decode+decrypt+ES256+claims+replay)", |b| {
        b.iter_custom(|iters| {
            let tokens: Vec<String> = (0..iters)
                .map(|_| issuer.issue(&claims, 90).unwrap())
                .collect();
            let start = Instant::now();
            for t in &tokens {
                black_box(verifier.verify(black_box(t)).unwrap());
            }
            start.elapsed()
        })
    });
    g.bench_function("issue (ES256 sign+A256GCM+zlib+Base45)", |b| {
        b.iter(|| black_box(issuer.issue(black_box(&claims), 90).unwrap()))
    });
    let mem = MemoryReplayStore::new(64 << 20);
    let mut n: u64 = 0;
    g.bench_function("memory replay store check_and_mark (1 thread)", |b| {
        b.iter(|| {
            n += 1;
            let mut cti = [0u8; 16];
            cti[..8].copy_from_slice(&n.to_le_bytes());
            black_box(mem.check_and_mark(&cti, NOW + 95, NOW).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
