//! Checks `tests/vectors/privacy.json`: RFC 4231 HMAC cases, NIK and
//! element tokens, Merkle roots and proofs, and audit logs with their
//! expected verification results.

use chrono::NaiveDate;
use ktpel_core::privacy::audit::{InclusionProof, verify_bytes};
use ktpel_core::privacy::{Token, TokenKey, element_input, merkle};
use ktpel_core::qr::VerifyingKey;
use ktpel_core::{Code, HasCode};
use serde_json::Value;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/privacy.json");

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn h32(s: &Value) -> [u8; 32] {
    unhex(s.as_str().unwrap()).try_into().unwrap()
}

fn key(v: &Value) -> TokenKey {
    let k = &v["token_key"];
    TokenKey::new(
        k["kid"].as_str().unwrap(),
        &unhex(k["secret"].as_str().unwrap()),
    )
    .unwrap()
}

#[test]
fn rfc4231_hmac_sha256() {
    let v = vectors();
    let cases = v["hmac_sha256"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for c in cases {
        let k = unhex(c["key"].as_str().unwrap());
        let d = unhex(c["data"].as_str().unwrap());
        let mac = unhex(c["mac"].as_str().unwrap());
        // The token key takes 32-byte secrets; RFC 4231 keys have other
        // lengths, so check the same HMAC through the hmac crate the token
        // key is built on, and through TokenKey where the key is 32 bytes.
        use hmac::{KeyInit, Mac};
        let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&k).unwrap();
        m.update(&d);
        let full = m.finalize().into_bytes();
        assert_eq!(&full[..mac.len()], &mac[..], "{}", c["case"]);
    }
    // Token keys compute plain HMAC-SHA-256 of label || input.
    let tk = TokenKey::new("K", &[0x0B; 32]).unwrap();
    use hmac::{KeyInit, Mac};
    let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&[0x0B; 32]).unwrap();
    m.update(b"Hi There");
    assert_eq!(tk.mac(b"Hi ", b"There")[..], m.finalize().into_bytes()[..]);
}

#[test]
fn nik_tokens() {
    let v = vectors();
    let k = key(&v);
    let other = TokenKey::new(
        v["token_key"]["kid"].as_str().unwrap(),
        &unhex(v["token_key"]["other_secret"].as_str().unwrap()),
    )
    .unwrap();
    let jwk = TokenKey::from_jwk(v["token_key"]["jwk"].as_str().unwrap()).unwrap();
    for c in v["nik_tokens"].as_array().unwrap() {
        let nik = c["nik"].as_str().unwrap();
        let r =
            NaiveDate::parse_from_str(c["reference_date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let t = k.tokenize_nik_at(nik, r).unwrap();
        assert_eq!(t, c["token"].as_str().unwrap(), "{nik}");
        assert_eq!(jwk.tokenize_nik_at(nik, r).unwrap(), t);
        assert_eq!(
            other.tokenize_nik_at(nik, r).unwrap(),
            c["token_other_key"].as_str().unwrap()
        );
        assert_eq!(Token::parse(&t).unwrap().to_string(), t);
        assert!(k.check_token(&t).is_ok());
    }
    let r = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for c in v["nik_invalid"].as_array().unwrap() {
        let e = k
            .tokenize_nik_at(c["nik"].as_str().unwrap(), r)
            .unwrap_err();
        assert_eq!(
            e.code().as_str(),
            c["code"].as_str().unwrap(),
            "{}",
            c["nik"]
        );
    }
    for bad in v["token_parse_invalid"].as_array().unwrap() {
        let e = Token::parse(bad.as_str().unwrap()).unwrap_err();
        assert_eq!(e.code(), Code::InvalidToken, "{bad}");
    }
}

#[test]
fn element_tokens() {
    let v = vectors();
    let k = key(&v);
    for c in v["element_tokens"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let d = c["birth_date"]
            .as_str()
            .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(
            element_input(name, d).unwrap(),
            c["input"].as_str().unwrap()
        );
        assert_eq!(
            k.tokenize_element(name, d).unwrap(),
            c["token"].as_str().unwrap(),
            "{name}"
        );
    }
    for c in v["element_invalid"].as_array().unwrap() {
        let e = k
            .tokenize_element(c["name"].as_str().unwrap(), None)
            .unwrap_err();
        assert_eq!(e.code().as_str(), c["code"].as_str().unwrap());
    }
}

#[test]
fn merkle_roots_and_proofs() {
    let v = vectors();
    let m = &v["merkle"];
    let leaves: Vec<[u8; 32]> = m["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| merkle::leaf_hash(&unhex(l.as_str().unwrap())))
        .collect();
    for (l, want) in leaves.iter().zip(m["leaf_hashes"].as_array().unwrap()) {
        assert_eq!(*l, h32(want));
    }
    for (n, want) in m["roots"].as_array().unwrap().iter().enumerate() {
        assert_eq!(merkle::root(&leaves[..n]), h32(want), "size {n}");
    }
    for p in m["proofs"].as_array().unwrap() {
        let (i, n) = (p["index"].as_u64().unwrap(), p["size"].as_u64().unwrap());
        let want: Vec<[u8; 32]> = p["path"].as_array().unwrap().iter().map(h32).collect();
        let got = merkle::inclusion_proof(&leaves[..n as usize], i as usize).unwrap();
        assert_eq!(got, want, "{i}/{n}");
        let root = merkle::root(&leaves[..n as usize]);
        assert!(merkle::verify_inclusion(
            &leaves[i as usize],
            i,
            n,
            &got,
            &root
        ));
        let mut bad = root;
        bad[0] ^= 1;
        assert!(!merkle::verify_inclusion(
            &leaves[i as usize],
            i,
            n,
            &got,
            &bad
        ));
    }
}

#[test]
fn audit_logs() {
    let v = vectors();
    let a = &v["audit"];
    let pk = VerifyingKey::from_jwk(a["checkpoint_public_jwk"].as_str().unwrap()).unwrap();
    let logs = a["logs"].as_array().unwrap();
    assert!(logs.len() >= 12);
    for c in logs {
        let log = unhex(c["log"].as_str().unwrap());
        let cps = unhex(c["checkpoints"].as_str().unwrap());
        let k = c["use_key"].as_bool().unwrap().then_some(&pk);
        let rep = verify_bytes(&log, &cps, k);
        let name = c["name"].as_str().unwrap();
        assert_eq!(
            rep.is_valid(),
            c["valid"].as_bool().unwrap(),
            "{name}: {:?}",
            rep.first_bad
        );
        if let Some(f) = &rep.first_bad {
            assert_eq!(f.code.as_str(), c["code"].as_str().unwrap(), "{name}");
            assert_eq!(f.entry, c["entry"].as_u64(), "{name}");
        }
        if name.starts_with("intact log with") {
            let hashes: Vec<[u8; 32]> = a["entry_hashes"]
                .as_array()
                .unwrap()
                .iter()
                .map(h32)
                .collect();
            assert_eq!(rep.leaves, hashes);
            assert_eq!(rep.root(), h32(&a["root"]));
            assert_eq!(rep.signed_size, 6);
        }
    }
    let p = &a["proof"];
    let proof = InclusionProof {
        index: p["index"].as_u64().unwrap(),
        size: p["size"].as_u64().unwrap(),
        entry_line: p["entry"].as_str().unwrap().into(),
        path: p["path"].as_array().unwrap().iter().map(h32).collect(),
        root: h32(&p["root"]),
        checkpoint: Some(
            ktpel_core::privacy::audit::Checkpoint::parse_line(
                p["checkpoint"].as_str().unwrap().as_bytes(),
            )
            .unwrap(),
        ),
    };
    assert_eq!(proof.verify(Some(&pk)).unwrap().who, "api:bpjs");
    let mut bad = proof.clone();
    bad.index = 1;
    assert_eq!(
        bad.verify(Some(&pk)).unwrap_err().code,
        Code::AuditProofInvalid
    );
}
