//! Property tests of the privacy module: any single-byte change to an audit
//! log or its checkpoint file is detected; parsers never panic.

use ktpel_core::privacy::audit::{Checkpoint, Entry, InclusionProof, verify_bytes};
use ktpel_core::privacy::{Token, merkle};
use ktpel_core::qr::SigningKey;
use proptest::prelude::*;

fn sample_log(n: u64) -> (Vec<u8>, Vec<u8>, SigningKey) {
    let key = SigningKey::from_scalar("audit-prop", &[0x5A; 32]).unwrap();
    let mut log = Vec::new();
    let mut prev = [0u8; 32];
    let mut leaves = Vec::new();
    let mut cps = Vec::new();
    for i in 0..n {
        let e = Entry {
            seq: i,
            time_ms: 1_767_225_600_000 + 997 * i as i64,
            who: format!("op-{}", i % 3),
            subject: format!("N1JKT1-{:016}", i * 7919),
            purpose: "bansos \"2026\"\tPKS".into(),
            result: if i % 2 == 0 {
                "SESUAI".into()
            } else {
                String::new()
            },
            prev,
        };
        prev = e.hash();
        leaves.push(prev);
        log.extend_from_slice(e.line().as_bytes());
        log.push(b'\n');
        if i % 3 == 2 || i == n - 1 {
            let c = Checkpoint::sign(i + 1, merkle::root(&leaves), prev, 1000 + i as i64, &key);
            cps.extend_from_slice(c.line().as_bytes());
            cps.push(b'\n');
        }
    }
    (log, cps, key)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_single_byte_change_to_the_log_is_detected(pos in any::<prop::sample::Index>(), delta in 1u8..=255) {
        let (mut log, cps, key) = sample_log(7);
        let vk = key.verifying_key();
        prop_assert!(verify_bytes(&log, &cps, Some(&vk)).is_valid());
        let i = pos.index(log.len());
        log[i] = log[i].wrapping_add(delta);
        let rep = verify_bytes(&log, &cps, Some(&vk));
        prop_assert!(!rep.is_valid(), "byte {} changed undetected", i);
        // Without the key, the log still fails on its own or against the checkpoints.
        prop_assert!(!verify_bytes(&log, &cps, None).is_valid());
    }

    #[test]
    fn any_single_byte_change_to_the_checkpoints_is_detected(pos in any::<prop::sample::Index>(), delta in 1u8..=255) {
        let (log, mut cps, key) = sample_log(7);
        let i = pos.index(cps.len());
        cps[i] = cps[i].wrapping_add(delta);
        prop_assert!(!verify_bytes(&log, &cps, Some(&key.verifying_key())).is_valid());
    }

    #[test]
    fn verify_never_panics(log in prop::collection::vec(any::<u8>(), 0..600), cps in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = verify_bytes(&log, &cps, None);
        let _ = Entry::parse_line(&log);
        let _ = Checkpoint::parse_line(&cps);
    }

    #[test]
    fn token_and_proof_parsers_never_panic(s in ".{0,80}") {
        let _ = Token::parse(&s);
        let _ = InclusionProof::from_json(&s);
    }

    #[test]
    fn token_text_roundtrips(mac in any::<[u8; 10]>(), kid in "[0-9A-Z]{1,8}", elem in any::<bool>()) {
        let t = Token { kind: if elem { ktpel_core::privacy::TokenKind::Element } else { ktpel_core::privacy::TokenKind::Nik }, kid, mac };
        let s = t.to_string();
        prop_assert_eq!(Token::parse(&s).unwrap(), t);
    }
}
