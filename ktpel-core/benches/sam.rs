//! sam benchmarks: TDES-CBC, retail MAC, secure messaging, ECDSA P-256 per
//! backend, and a full session against the virtual chip.
//! Run: `cargo bench -p ktpel-core --bench sam`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ktpel_core::crypto::p256::{P256SigningKey, all_verifiers};
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu, StatusWord};
use ktpel_core::sam::auth::MemoryKeys;
use ktpel_core::sam::kdf::Profile;
use ktpel_core::sam::reader::ReaderSession;
use ktpel_core::sam::sim::{FID_PHOTO, VirtualChip};
use ktpel_core::sam::sm::{SecureMessaging, SessionKeys};
use ktpel_core::sam::tdes::{Padding, TdesKey};
use std::hint::black_box;
use std::time::Duration;

fn short(c: &mut Criterion) -> criterion::BenchmarkGroup<'_, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group("sam");
    g.measurement_time(Duration::from_secs(3)).sample_size(20);
    g
}

const KEY3: [u8; 24] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01,
    0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23,
];

fn tdes(c: &mut Criterion) {
    let mut g = short(c);
    let k3 = TdesKey::new(&KEY3).unwrap();
    let mut buf = vec![0x5Au8; 8192];
    g.throughput(Throughput::Bytes(buf.len() as u64));
    g.bench_function("tdes3_cbc_encrypt_8KiB", |b| {
        b.iter(|| k3.encrypt_cbc(&[0; 8], black_box(&mut buf)).unwrap())
    });
    g.bench_function("retail_mac3_8KiB", |b| {
        b.iter(|| k3.retail_mac(black_box(&buf), Padding::Method2))
    });
    g.finish();
}

fn secure_messaging(c: &mut Criterion) {
    let mut g = short(c);
    let keys = SessionKeys::derive(Profile::KtpEl, &[7; 16]).unwrap();
    let mut reader = SecureMessaging::new(keys.clone(), 1);
    let mut chip = SecureMessaging::new(keys, 1);
    let cmd = CommandApdu::new(0x00, 0xB0, 0, 0, Vec::new(), Some(256));
    let resp = ResponseApdu::new(vec![0xA5; 256], StatusWord::OK);
    g.throughput(Throughput::Elements(1));
    g.bench_function("sm_read_binary_256B_reader_and_chip", |b| {
        b.iter(|| {
            let p = reader.protect(&cmd).unwrap();
            chip.unprotect_command(&p).unwrap();
            let raw = chip.protect_response(&resp).unwrap();
            reader.unprotect(black_box(&raw)).unwrap()
        })
    });
    g.finish();
}

fn ecdsa(c: &mut Criterion) {
    let mut g = short(c);
    let key = P256SigningKey::from_bytes(&[0x33; 32]).unwrap();
    let pk = key.public_key_sec1();
    let msg = [0x42u8; 32];
    let sig = key.sign_raw(&msg);
    g.throughput(Throughput::Elements(1));
    for v in all_verifiers() {
        g.bench_function(format!("ecdsa_p256_verify_{}", v.name()), |b| {
            b.iter(|| {
                v.verify_raw(black_box(&pk), black_box(&msg), black_box(&sig))
                    .unwrap()
            })
        });
    }
    g.bench_function("ecdsa_p256_sign_rustcrypto", |b| {
        b.iter(|| key.sign_raw(black_box(&msg)))
    });
    g.finish();
}

fn full_session(c: &mut Criterion) {
    let mut g = short(c);
    let seed = [0x42u8; 16];
    let mut chip = VirtualChip::demo(Profile::KtpEl, &seed, 1);
    let keys = MemoryKeys::from_seed(Profile::KtpEl, &seed).unwrap();
    g.throughput(Throughput::Elements(1));
    g.bench_function("mutual_auth_plus_8KiB_secure_read", |b| {
        b.iter(|| {
            let mut s = ReaderSession::new(&mut chip);
            s.authenticate(keys.clone(), [1; 8], [2; 16]).unwrap();
            s.read_file(FID_PHOTO).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, tdes, secure_messaging, ecdsa, full_session);
criterion_main!(benches);
