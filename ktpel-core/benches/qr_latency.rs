//! IKD QR figures criterion does not give: single-core verification rate with
//! p50/p99 latency, the in-memory replay store under 8 threads, and its memory
//! per 1 M live tokens. Prints one JSON object.
//!
//! `cargo bench -p ktpel-core --bench qr_latency`
//! Optional: `-- --tokens-out FILE --keys-out FILE` writes fresh tokens and
//! the verifier's JWK Set (for the Python comparison in bench/qr/compare.sh).

use ktpel_core::qr::*;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::Instant;

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

fn rss_bytes() -> Option<usize> {
    let s = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn arg(name: &str) -> Option<String> {
    let a: Vec<String> = std::env::args().collect();
    a.iter()
        .position(|x| x == name)
        .and_then(|i| a.get(i + 1).cloned())
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing
    // special: keep the test run tiny.
    let quick = !std::env::args().any(|a| a == "--bench");
    // 1. Memory per 1 M live tokens.
    let live: usize = if quick { 10_000 } else { 1_000_000 };
    let before = rss_bytes();
    let mem_store = MemoryReplayStore::new(live);
    for i in 0..live as u64 {
        let mut cti = [0u8; 16];
        cti[..8].copy_from_slice(&i.to_le_bytes());
        mem_store
            .check_and_mark(&cti, 2_000_000_000, 1_780_000_000)
            .unwrap();
    }
    let after = rss_bytes();
    let heap = mem_store.approx_heap_bytes();

    let sig = SigningKey::generate("bench-sig").unwrap();
    let enc = EncryptionKey::generate("bench-enc").unwrap();
    let issuer = Issuer::new(sig.clone(), Some(enc.clone()), Arc::new(SystemClock));
    let verifier = Verifier::new(
        Arc::new(SystemClock),
        Arc::new(MemoryReplayStore::new(1 << 20)),
    )
    .trust(sig.verifying_key())
    .decryption_key(enc.clone())
    .audience("bank-xyz");
    let c = claims();

    if let (Some(tokens_out), Some(keys_out)) = (arg("--tokens-out"), arg("--keys-out")) {
        let tokens: Vec<String> = (0..200).map(|_| issuer.issue(&c, 90).unwrap()).collect();
        std::fs::write(&tokens_out, tokens.join("\n") + "\n").unwrap();
        let set = KeySet {
            signing: vec![],
            verifying: vec![sig.verifying_key()],
            encryption: vec![enc.clone()],
        };
        std::fs::write(&keys_out, set.to_jwks(false)).unwrap();
    }

    // 2. Single-core verification: rate and latency distribution.
    let n = if quick { 50 } else { 20_000 };
    let tokens: Vec<String> = (0..n).map(|_| issuer.issue(&c, 90).unwrap()).collect();
    let token_chars = tokens[0].len();
    for t in tokens.iter().take(n / 10) {
        black_box(verifier.verify(t).unwrap()); // warm-up
    }
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for t in &tokens[n / 10..] {
        let t0 = Instant::now();
        black_box(verifier.verify(black_box(t)).unwrap());
        lat.push(t0.elapsed().as_nanos() as u64);
    }
    let total = start.elapsed().as_secs_f64();
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    let verify_rate = lat.len() as f64 / total;

    // 3. In-memory replay store, 8 threads, distinct ids.
    let threads = 8;
    let per_thread: u64 = if quick { 1_000 } else { 1_000_000 };
    let store = Arc::new(MemoryReplayStore::new(threads * per_thread as usize * 2));
    let barrier = Arc::new(Barrier::new(threads + 1));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (s, b) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                for i in 0..per_thread {
                    let mut cti = [0u8; 16];
                    cti[..8].copy_from_slice(&i.to_le_bytes());
                    cti[8] = t as u8;
                    assert!(
                        s.check_and_mark(&cti, 2_000_000_000, 1_780_000_000)
                            .unwrap()
                    );
                }
            })
        })
        .collect();
    barrier.wait();
    let t0 = Instant::now();
    for h in handles {
        h.join().unwrap();
    }
    let store_secs = t0.elapsed().as_secs_f64();
    let store_rate = (threads as u64 * per_thread) as f64 / store_secs;
    drop(store);

    black_box(&mem_store);
    println!(
        "{}",
        serde_json::json!({
            "token_chars": token_chars,
            "verify_single_core": {
                "verifications": lat.len(),
                "per_second": verify_rate.round(),
                "p50_us": pct(0.50),
                "p99_us": pct(0.99),
                "max_us": pct(1.0),
            },
            "memory_replay_store_8_threads": {
                "checks": threads as u64 * per_thread,
                "per_second": store_rate.round(),
            },
            "memory_per_live_tokens": {
                "live_tokens": live,
                "table_bytes": heap,
                "rss_delta_bytes": match (before, after) { (Some(b), Some(a)) => Some(a.saturating_sub(b)), _ => None },
                "table_bytes_per_token": heap as f64 / live as f64,
            }
        })
    );
}
