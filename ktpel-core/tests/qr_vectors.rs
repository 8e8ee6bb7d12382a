//! Checks `tests/vectors/qr.json`: every valid case re-issues to the same
//! bytes at every layer and verifies to the expected claims; every invalid
//! case fails with its code.
//!
//! Regenerate (after an intended format change only) with
//! `KTPEL_REGEN_VECTORS=1 cargo test -p ktpel-core --test qr_vectors`.

use ktpel_core::HasCode;
use ktpel_core::qr::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/qr.json");
const NOW: i64 = 1_780_000_000;

fn hex(b: &[u8]) -> String {
    hex_upper(b)
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The fixed key set of the vectors (test keys: never use them for real).
fn keyset() -> KeySet {
    let s1 = SigningKey::from_scalar(
        "dukcapil-sig-2026-01",
        &unhex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"),
    )
    .unwrap();
    let s0 = SigningKey::from_scalar(
        "dukcapil-sig-2025-12",
        &unhex("519B423D715F8B581F4FA8EE59F4771A5B44C8130B4E3EACCA54A56DDA72B464"),
    )
    .unwrap();
    let e1 = EncryptionKey::from_bytes(
        "ikd-enc-2026-01",
        &unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
    )
    .unwrap();
    KeySet {
        verifying: vec![s1.verifying_key(), s0.verifying_key()],
        signing: vec![s1, s0],
        encryption: vec![e1],
    }
}

fn identity_full() -> Identity {
    let mut kl = BTreeMap::new();
    kl.insert("BPJS_KESEHATAN".to_string(), "0001234567890".to_string());
    kl.insert("NPWP".to_string(), "0912345678901000".to_string());
    Identity {
        nik: Some("3174011501900001".into()),
        nama: Some("BUDI SANTOSO".into()),
        tgl_lhr: Some("1990-01-15".into()),
        jenis_klmin: Some("LAKI-LAKI".into()),
        doc: vec!["KTP".into(), "KK".into(), "AKTA_LAHIR".into()],
        kl,
        ..Identity::default()
    }
}

struct Case {
    name: &'static str,
    claims: Claims,
    iat: i64,
    ttl: u64,
    cti: [u8; 16],
    iv: [u8; 12],
    sign_kid: &'static str,
    enc_kid: Option<&'static str>,
    now: i64,
    audience: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "encrypted, full identity, audience",
            claims: Claims {
                iss: "dukcapil.kemendagri.go.id".into(),
                aud: Some("bank-xyz".into()),
                nbf: None,
                identity: identity_full(),
            },
            iat: NOW,
            ttl: 90,
            cti: *b"\x6F\x1A\x9C\x2B\x44\x0E\x7D\x31\xA8\x55\xC3\x10\x9E\x42\xB7\x08",
            iv: *b"\x02\xD1\x7E\x4A\x90\x33\x6C\xBB\x15\xE8\x27\x5F",
            sign_kid: "dukcapil-sig-2026-01",
            enc_kid: Some("ikd-enc-2026-01"),
            now: NOW + 30,
            audience: Some("bank-xyz"),
        },
        Case {
            name: "encrypted, NIK only, nbf, no audience",
            claims: Claims {
                iss: "dukcapil.kemendagri.go.id".into(),
                aud: None,
                nbf: Some(NOW + 2),
                identity: Identity {
                    nik: Some("3273024107850002".into()),
                    ..Identity::default()
                },
            },
            iat: NOW,
            ttl: 60,
            cti: [0x11; 16],
            iv: [0x22; 12],
            sign_kid: "dukcapil-sig-2026-01",
            enc_kid: Some("ikd-enc-2026-01"),
            now: NOW + 2,
            audience: None,
        },
        Case {
            name: "encrypted, signed with the previous key (rotation)",
            claims: Claims {
                iss: "dukcapil.kemendagri.go.id".into(),
                aud: Some("bpjs-kesehatan".into()),
                nbf: None,
                identity: Identity {
                    nik: Some("3578106512000003".into()),
                    nama: Some("SITI AMINAH".into()),
                    jenis_klmin: Some("PEREMPUAN".into()),
                    doc: vec!["KTP".into()],
                    ..Identity::default()
                },
            },
            iat: NOW - 80,
            ttl: 90,
            cti: [0xA5; 16],
            iv: [0x5A; 12],
            sign_kid: "dukcapil-sig-2025-12",
            enc_kid: Some("ikd-enc-2026-01"),
            now: NOW + 14,
            audience: Some("bpjs-kesehatan"),
        },
        Case {
            name: "signed only (verifier configured to accept unencrypted tokens)",
            claims: Claims {
                iss: "dukcapil.kemendagri.go.id".into(),
                aud: Some("bank-xyz".into()),
                nbf: None,
                identity: identity_full(),
            },
            iat: NOW,
            ttl: 90,
            cti: [0x3C; 16],
            iv: [0; 12],
            sign_kid: "dukcapil-sig-2026-01",
            enc_kid: None,
            now: NOW,
            audience: Some("bank-xyz"),
        },
    ]
}

fn issuer_for(set: &KeySet, sign_kid: &str, enc_kid: Option<&str>) -> Issuer {
    let s = set
        .signing
        .iter()
        .find(|k| k.kid() == sign_kid.as_bytes())
        .unwrap()
        .clone();
    let e = enc_kid.map(|kid| {
        set.encryption
            .iter()
            .find(|k| k.kid() == kid.as_bytes())
            .unwrap()
            .clone()
    });
    Issuer::new(s, e, Arc::new(FixedClock(0)))
}

fn verifier_for(public: &KeySet, audience: Option<&str>, require_encryption: bool) -> Verifier {
    let mut v = Verifier::new(
        Arc::new(FixedClock(0)),
        Arc::new(MemoryReplayStore::new(1000)),
    )
    .keys(public)
    .require_encryption(require_encryption);
    if let Some(a) = audience {
        v = v.audience(a);
    }
    v
}

fn generate() -> Value {
    let set = keyset();
    let mut valid = Vec::new();
    for c in cases() {
        let t = issuer_for(&set, c.sign_kid, c.enc_kid)
            .issue_with(&c.claims, c.ttl, c.iat, &c.cti, &c.iv)
            .unwrap();
        let v = verifier_for(&set, c.audience, c.enc_kid.is_some())
            .verify_at(&t.token, c.now)
            .unwrap();
        valid.push(json!({
            "name": c.name,
            "issue": {
                "claims": c.claims,
                "iat": c.iat,
                "ttl": c.ttl,
                "cti": hex(&c.cti),
                "iv": if c.enc_kid.is_some() { json!(hex(&c.iv)) } else { Value::Null },
                "sign_kid": c.sign_kid,
                "enc_kid": c.enc_kid,
            },
            "layers": {
                "claims_cbor": hex(&t.claims_cbor),
                "sign1": hex(&t.sign1),
                "cose": hex(&t.cose),
                "zlib": hex(&t.zlib),
            },
            "token": t.token,
            "token_chars": t.token.len(),
            "verify": {
                "now": c.now,
                "audience": c.audience,
                "require_encryption": c.enc_kid.is_some(),
            },
            "expected": v,
        }));
    }
    let base = cases().remove(0);
    let good = |now: i64, aud: Option<&str>| -> Value {
        let t = issuer_for(&set, base.sign_kid, base.enc_kid)
            .issue_with(&base.claims, 90, NOW, &base.cti, &base.iv)
            .unwrap();
        json!({"token": t.token, "now": now, "audience": aud, "require_encryption": true})
    };
    let mut invalid: Vec<(String, Value)> = Vec::new();
    let mut add = |name: &str, mut v: Value| {
        v["name"] = json!(name);
        invalid.push((name.to_string(), v));
    };
    add(
        "expired: now = exp + leeway + 1",
        good(NOW + 90 + 6, Some("bank-xyz")),
    );
    add(
        "not yet valid: now = iat - leeway - 1",
        good(NOW - 6, Some("bank-xyz")),
    );
    add("wrong audience", good(NOW, Some("bpjs-kesehatan")));
    add(
        "audience configured, token has another",
        good(NOW, Some("kpu")),
    );
    add("verifier without audience, token has aud", good(NOW, None));
    let no_aud = cases().remove(1);
    let t = issuer_for(&set, no_aud.sign_kid, no_aud.enc_kid)
        .issue_with(
            &no_aud.claims,
            no_aud.ttl,
            no_aud.iat,
            &no_aud.cti,
            &no_aud.iv,
        )
        .unwrap();
    add(
        "verifier with audience, token without aud",
        json!({"token": t.token, "now": no_aud.now, "audience": "bank-xyz", "require_encryption": true}),
    );
    let base_token = good(NOW, None)["token"].as_str().unwrap().to_string();
    let mut with_token = |name: &str, token: String, now: i64, req: bool| {
        add(
            name,
            json!({"token": token, "now": now, "audience": "bank-xyz", "require_encryption": req}),
        );
    };
    with_token(
        "unknown version prefix",
        base_token.replacen("IKD1:", "IKD2:", 1),
        NOW,
        true,
    );
    with_token("not an IKD token", "HC1:6BFOXN%TS3DH".into(), NOW, true);
    with_token("empty", String::new(), NOW, true);
    with_token(
        "Base45 text not zlib",
        format!("IKD1:{}", "0".repeat(30)),
        NOW,
        true,
    );
    with_token(
        "token text too long",
        format!("IKD1:{}", "0".repeat(MAX_TOKEN_CHARS)),
        NOW,
        true,
    );
    with_token(
        "zip bomb (1 MiB of zeros)",
        encode_transport(&vec![0u8; 1 << 20]),
        NOW,
        true,
    );
    // One ciphertext byte flipped (last byte of the COSE_Encrypt0 = GCM tag).
    let mut cose = decode_transport(&base_token).unwrap();
    let n = cose.len();
    cose[n - 1] ^= 0x01;
    with_token(
        "ciphertext tag byte flipped",
        encode_transport(&cose),
        NOW,
        true,
    );
    // Wrong keys under trusted kids.
    let forged_sig = SigningKey::from_scalar("dukcapil-sig-2026-01", &[0x42; 32]).unwrap();
    let forged_enc = EncryptionKey::from_bytes("ikd-enc-2026-01", &[0x43; 32]).unwrap();
    let enc = set.encryption[0].clone();
    let iss = |s: SigningKey, e: Option<EncryptionKey>| Issuer::new(s, e, Arc::new(FixedClock(0)));
    let tok = |i: Issuer, ttl: u64| {
        i.max_ttl(3600)
            .issue_with(&base.claims, ttl, NOW, &base.cti, &base.iv)
            .unwrap()
            .token
    };
    with_token(
        "signature by another key under a trusted kid",
        tok(iss(forged_sig, Some(enc.clone())), 90),
        NOW,
        true,
    );
    with_token(
        "encrypted with another key under the trusted kid",
        tok(iss(set.signing[0].clone(), Some(forged_enc)), 90),
        NOW,
        true,
    );
    let unknown_enc = EncryptionKey::from_bytes("ikd-enc-2099-01", &[0x44; 32]).unwrap();
    with_token(
        "unknown decryption kid",
        tok(iss(set.signing[0].clone(), Some(unknown_enc)), 90),
        NOW,
        true,
    );
    let unknown_sig = SigningKey::from_scalar("someone-else", &[0x45; 32]).unwrap();
    with_token(
        "unknown signing kid",
        tok(iss(unknown_sig, Some(enc.clone())), 90),
        NOW,
        true,
    );
    with_token(
        "ttl 600 s > max 90 s",
        tok(iss(set.signing[0].clone(), Some(enc.clone())), 600),
        NOW,
        true,
    );
    with_token(
        "signed only, encryption required",
        tok(iss(set.signing[0].clone(), None), 90),
        NOW,
        true,
    );
    let sealed = |payload: &[u8]| {
        iss(set.signing[0].clone(), Some(enc.clone()))
            .seal_payload(payload, &base.iv)
            .unwrap()
            .token
    };
    // {1: "dukcapil.kemendagri.go.id", 3: "bank-xyz", 6: NOW, 7: h'11..'} — no exp.
    let mut no_exp = Vec::new();
    ciborium::ser::into_writer(
        &ciborium::Value::Map(vec![
            (1.into(), "dukcapil.kemendagri.go.id".into()),
            (3.into(), "bank-xyz".into()),
            (6.into(), NOW.into()),
            (7.into(), ciborium::Value::Bytes(vec![0x11; 16])),
        ]),
        &mut no_exp,
    )
    .unwrap();
    with_token("claims set without exp", sealed(&no_exp), NOW, true);
    let mut cti_short = Vec::new();
    ciborium::ser::into_writer(
        &ciborium::Value::Map(vec![
            (1.into(), "dukcapil.kemendagri.go.id".into()),
            (3.into(), "bank-xyz".into()),
            (4.into(), (NOW + 90).into()),
            (6.into(), NOW.into()),
            (7.into(), ciborium::Value::Bytes(vec![0x11; 2])),
            (
                (-65537).into(),
                ciborium::Value::Map(vec![("nik".into(), "3174011501900001".into())]),
            ),
        ]),
        &mut cti_short,
    )
    .unwrap();
    with_token("cti of 2 bytes", sealed(&cti_short), NOW, true);
    // A128GCM in the protected header.
    use coset::TaggedCborSerializable;
    let a128 = coset::CoseEncrypt0Builder::new()
        .protected(
            coset::HeaderBuilder::new()
                .algorithm(coset::iana::Algorithm::A128GCM)
                .build(),
        )
        .unprotected(
            coset::HeaderBuilder::new()
                .key_id(b"ikd-enc-2026-01".to_vec())
                .iv(vec![0; 12])
                .build(),
        )
        .ciphertext(vec![0; 40])
        .build()
        .to_tagged_vec()
        .unwrap();
    with_token(
        "A128GCM instead of A256GCM",
        encode_transport(&a128),
        NOW,
        true,
    );

    let v_public = KeySet {
        signing: vec![],
        verifying: set.verifying.clone(),
        encryption: set.encryption.clone(),
    };
    let invalid: Vec<Value> = invalid
        .into_iter()
        .map(|(_, mut v)| {
            let ver = verifier_for(
                &v_public,
                v["audience"].as_str(),
                v["require_encryption"].as_bool().unwrap(),
            );
            let e = ver
                .verify_at(v["token"].as_str().unwrap(), v["now"].as_i64().unwrap())
                .unwrap_err();
            v["code"] = json!(e.code().as_str());
            v
        })
        .collect();

    let jwks: Value = serde_json::from_str(&set.to_jwks(true)).unwrap();
    let jwks_public: Value = serde_json::from_str(&v_public.to_jwks(false)).unwrap();
    json!({
        "source": "Generated by ktpel (ktpel-core/tests/qr_vectors.rs, KTPEL_REGEN_VECTORS=1) from the fixed test keys, clock, cti and IV below; ES256 signatures use RFC 6979 deterministic nonces, so the bytes are reproducible. The valid tokens are independently verified by Python `cwt` and Node `cose-js` in scripts/test.d/70-qr.sh. The signing key dukcapil-sig-2026-01 is the P-256 key of RFC 6979 appendix A.2.5. The base45 cases are the examples of RFC 9285 section 4.3. Test keys only: never use them for real tokens.",
        "format": "docs/qr-format.md: IKD1: + Base45(zlib(COSE_Encrypt0[A256GCM](COSE_Sign1[ES256](CWT claims))))",
        "notes": [
            "Bytes are upper-case hex. Times are Unix seconds.",
            "The zlib layer is informative: other deflate implementations may produce different but equivalent streams; compare `cose` after decoding the token.",
            "Verifier defaults used by every case: leeway 5 s, max_ttl 90 s, no issuer restriction, fresh replay store per case.",
            "`verify.audience` null means the verifier has no audience (tokens carrying aud are then rejected)."
        ],
        "keys": jwks,
        "verifier_keys": jwks_public,
        "verifier": {"leeway": DEFAULT_LEEWAY, "max_ttl": DEFAULT_MAX_TTL},
        "valid": valid,
        "invalid": invalid,
        "base45": [
            {"hex": hex(b"AB"), "text": "BB8"},
            {"hex": hex(b"Hello!!"), "text": "%69 VD92EX0"},
            {"hex": hex(b"base-45"), "text": "UJCLQE7W581"},
            {"hex": hex(b"ietf!"), "text": "QED8WEX0"}
        ]
    })
}

#[test]
fn vectors_match_and_verify() {
    if std::env::var_os("KTPEL_REGEN_VECTORS").is_some() {
        let v = generate();
        std::fs::write(PATH, serde_json::to_string_pretty(&v).unwrap() + "\n").unwrap();
    }
    let text = std::fs::read_to_string(PATH).expect("tests/vectors/qr.json is missing");
    let file: Value = serde_json::from_str(&text).unwrap();
    assert!(file["source"].as_str().unwrap().len() > 20);

    // Keys come from the file itself, as another surface would read them.
    let set = KeySet::from_jwks(&file["keys"].to_string()).unwrap();
    let public = KeySet::from_jwks(&file["verifier_keys"].to_string()).unwrap();
    assert!(public.signing.is_empty());

    let valid = file["valid"].as_array().unwrap();
    assert_eq!(valid.len(), 4);
    for c in valid {
        let name = c["name"].as_str().unwrap();
        let i = &c["issue"];
        let claims: Claims = serde_json::from_value(i["claims"].clone()).unwrap();
        let cti: [u8; 16] = unhex(i["cti"].as_str().unwrap()).try_into().unwrap();
        let iv: [u8; 12] = match i["iv"].as_str() {
            Some(s) => unhex(s).try_into().unwrap(),
            None => [0; 12],
        };
        let t = issuer_for(&set, i["sign_kid"].as_str().unwrap(), i["enc_kid"].as_str())
            .issue_with(
                &claims,
                i["ttl"].as_u64().unwrap(),
                i["iat"].as_i64().unwrap(),
                &cti,
                &iv,
            )
            .unwrap();
        let l = &c["layers"];
        assert_eq!(hex(&t.claims_cbor), l["claims_cbor"], "{name}: claims_cbor");
        assert_eq!(hex(&t.sign1), l["sign1"], "{name}: sign1");
        assert_eq!(hex(&t.cose), l["cose"], "{name}: cose");
        assert_eq!(hex(&t.zlib), l["zlib"], "{name}: zlib");
        assert_eq!(t.token, c["token"], "{name}: token");
        assert_eq!(
            hex(&decode_transport(c["token"].as_str().unwrap()).unwrap()),
            l["cose"]
        );
        let vv = &c["verify"];
        let ver = verifier_for(
            &public,
            vv["audience"].as_str(),
            vv["require_encryption"].as_bool().unwrap(),
        );
        let got = ver
            .verify_at(c["token"].as_str().unwrap(), vv["now"].as_i64().unwrap())
            .unwrap();
        assert_eq!(serde_json::to_value(&got).unwrap(), c["expected"], "{name}");
    }

    let invalid = file["invalid"].as_array().unwrap();
    assert!(invalid.len() >= 20);
    for c in invalid {
        let ver = verifier_for(
            &public,
            c["audience"].as_str(),
            c["require_encryption"].as_bool().unwrap(),
        );
        let e = ver
            .verify_at(c["token"].as_str().unwrap(), c["now"].as_i64().unwrap())
            .unwrap_err();
        assert_eq!(e.code().as_str(), c["code"], "{}", c["name"]);
    }

    for c in file["base45"].as_array().unwrap() {
        let text = c["text"].as_str().unwrap();
        let cose = unhex(c["hex"].as_str().unwrap());
        // Our transport wraps zlib around the bytes, so check Base45 through
        // the public transport: IKD1:<text of zlib(bytes)> round-trips, and
        // the text of the raw bytes is the RFC's.
        assert_eq!(
            decode_transport(&encode_transport(&cose)).unwrap(),
            cose,
            "{text}"
        );
        assert_eq!(base45_of(&cose), text);
    }
}

/// RFC 9285 Base45, written out here so the vectors check the encoding rule
/// itself, not only the library's agreement with itself.
fn base45_of(b: &[u8]) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut s = String::new();
    for ch in b.chunks(2) {
        let mut n = if ch.len() == 2 {
            ch[0] as u32 * 256 + ch[1] as u32
        } else {
            ch[0] as u32
        };
        let digits = if ch.len() == 2 { 3 } else { 2 };
        for _ in 0..digits {
            s.push(A[(n % 45) as usize] as char);
            n /= 45;
        }
    }
    s
}
