//! External vectors from tests/vectors/sam.json: ICAO 9303 Part 11 Appendix D
//! (byte for byte), NIST SHA-256 and TDES, OpenSSL-computed TDES-CBC and
//! retail MACs, and the KTP-el profile session computed with OpenSSL.

use ktpel_core::sam::anticlone::TrustedIssuers;
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu};
use ktpel_core::sam::auth::{MemoryKeys, MutualAuth};
use ktpel_core::sam::hex;
use ktpel_core::sam::kdf::{Profile, icao_key_seed, kdf, mrz_information};
use ktpel_core::sam::reader::{ReaderSession, Transport};
use ktpel_core::sam::sim::{ChipRandom, VirtualChip};
use ktpel_core::sam::tdes::{Padding, TdesKey};
use ktpel_core::sam::{SamError, StatusWord};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/sam.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap(), "vector").unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[test]
fn file_names_its_sources() {
    let v = vectors();
    assert!(s(&v["source"]).contains("ICAO Doc 9303"));
    assert!(v["icao9303_appendix_d"]["_source"]["document"].is_string());
}

#[test]
fn nist_sha256() {
    let v = vectors();
    let cases = v["sha256"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for c in cases {
        let msg: Vec<u8> = if let Some(m) = c["message_ascii"].as_str() {
            m.as_bytes().to_vec()
        } else {
            let r = &c["message_ascii_repeat"];
            s(&r["text"])
                .repeat(r["count"].as_u64().unwrap() as usize)
                .into_bytes()
        };
        assert_eq!(
            hex::encode(&Sha256::digest(&msg)),
            s(&c["digest"]),
            "{}",
            c["source"]
        );
    }
}

#[test]
fn nist_tdes_ecb_and_openssl_cbc() {
    let v = vectors();
    for c in v["tdes_ecb"].as_array().unwrap() {
        let key = TdesKey::new(&h(&c["key"])).unwrap();
        // ECB = CBC block by block with a zero IV.
        let mut out = Vec::new();
        for block in h(&c["plaintext"]).chunks(8) {
            let mut b = block.to_vec();
            key.encrypt_cbc(&[0; 8], &mut b).unwrap();
            out.extend_from_slice(&b);
        }
        assert_eq!(hex::encode(&out), s(&c["ciphertext"]));
    }
    let cbc = v["tdes_cbc"].as_array().unwrap();
    assert_eq!(cbc.len(), 2);
    for c in cbc {
        let key = TdesKey::new(&h(&c["key"])).unwrap();
        let iv: [u8; 8] = h(&c["iv"]).try_into().unwrap();
        let mut data = h(&c["plaintext"]);
        key.encrypt_cbc(&iv, &mut data).unwrap();
        assert_eq!(hex::encode(&data), s(&c["ciphertext"]));
        key.decrypt_cbc(&iv, &mut data).unwrap();
        assert_eq!(data, h(&c["plaintext"]));
    }
}

#[test]
fn openssl_retail_macs() {
    let v = vectors();
    let cases = v["retail_mac"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for c in cases {
        let key = TdesKey::new(&h(&c["key"])).unwrap();
        let mac = key.retail_mac(&h(&c["data"]), Padding::Method2);
        assert_eq!(hex::encode(&mac), s(&c["mac"]));
    }
}

#[test]
fn icao_d2_key_derivation() {
    let v = vectors();
    let d2 = &v["icao9303_appendix_d"]["D2_key_derivation"];
    let info = mrz_information(
        s(&d2["document_number"]).trim_end_matches('<'),
        s(&d2["date_of_birth"]),
        s(&d2["date_of_expiry"]),
    )
    .unwrap();
    assert_eq!(info, s(&d2["mrz_information"]));
    let seed = icao_key_seed(&info);
    assert_eq!(hex::encode(&seed), s(&d2["k_seed"]));
    let k_enc = kdf(Profile::Icao9303, &seed, 1).unwrap();
    let k_mac = kdf(Profile::Icao9303, &seed, 2).unwrap();
    assert_eq!(hex::encode(k_enc.expose_secret()), s(&d2["k_enc"]));
    assert_eq!(hex::encode(k_mac.expose_secret()), s(&d2["k_mac"]));
}

/// A transport that records the wire and forwards to a chip.
struct Recorder<'a> {
    chip: &'a mut VirtualChip,
    log: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Transport for Recorder<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        let r = self.chip.process(command);
        self.log.push((command.to_vec(), r.clone()));
        Ok(r)
    }
}

/// The whole Appendix D session, reader against the virtual chip, compared
/// byte for byte on the wire.
#[test]
fn icao_appendix_d_session_byte_for_byte() {
    let v = vectors();
    let icao = &v["icao9303_appendix_d"];
    let d2 = &icao["D2_key_derivation"];
    let d3 = &icao["D3_authentication_and_session_keys"];
    let d4 = &icao["D4_secure_messaging"];

    let mut rng = ChipRandom::new(0);
    let issuer = VirtualChip::demo_issuer();
    let chip_key = ktpel_core::crypto::p256::P256SigningKey::generate(|b| rng.fill(b));
    let mut files = BTreeMap::new();
    files.insert(0x011E, h(&d4["ef_com_reassembled"]));
    let mut chip = VirtualChip::new(
        MemoryKeys::from_mrz(s(&d2["mrz_information"])).unwrap(),
        chip_key,
        files,
        b"DS",
        &issuer,
        rng,
    );
    chip.rng_mut().push(&h(&d3["rnd_ic"]));
    chip.rng_mut().push(&h(&d3["k_ic"]));

    let mut rec = Recorder {
        chip: &mut chip,
        log: Vec::new(),
    };
    let mut session = ReaderSession::new(&mut rec);
    session
        .authenticate(
            MemoryKeys::from_mrz(s(&d2["mrz_information"])).unwrap(),
            h(&d3["rnd_ifd"]).try_into().unwrap(),
            h(&d3["k_ifd"]).try_into().unwrap(),
        )
        .unwrap();
    let sm = session.secure_messaging().unwrap();
    assert_eq!(
        hex::encode(sm.keys().ks_enc().expose_secret()),
        s(&d3["ks_enc"])
    );
    assert_eq!(
        hex::encode(sm.keys().ks_mac().expose_secret()),
        s(&d3["ks_mac"])
    );
    assert_eq!(format!("{:016X}", sm.ssc()), s(&d3["ssc"]));

    session.select(0x011E).unwrap();
    let first = session.read_binary(0, 4).unwrap();
    let rest = session.read_binary(4, 18).unwrap();
    let steps = d4["steps"].as_array().unwrap();
    assert_eq!(hex::encode(&first), s(&steps[1]["decrypted_data"]));
    assert_eq!(hex::encode(&rest), s(&steps[2]["decrypted_data"]));
    drop(session);

    let log = &rec.log;
    assert_eq!(log.len(), 5);
    assert_eq!(hex::encode(&log[0].0), s(&d3["get_challenge_apdu"]));
    assert_eq!(hex::encode(&log[0].1[..8]), s(&d3["rnd_ic"]));
    assert_eq!(hex::encode(&log[1].0), s(&d3["mutual_authenticate_apdu"]));
    assert_eq!(
        hex::encode(&log[1].1),
        format!("{}9000", s(&d3["resp_data"]))
    );
    for (i, step) in steps.iter().enumerate() {
        assert_eq!(
            hex::encode(&log[2 + i].0),
            s(&step["protected_apdu"]),
            "{}",
            step["name"]
        );
        assert_eq!(
            hex::encode(&log[2 + i].1),
            s(&step["rapdu"]),
            "{}",
            step["name"]
        );
        // The plain command the reader asked for is the documented one.
        let plain = CommandApdu::parse(&h(&step["unprotected_apdu"])).unwrap();
        assert_eq!(plain.ins, log[2 + i].0[1]);
    }
}

/// The Appendix D state machine alone, driven with the published card answers.
#[test]
fn icao_appendix_d_state_machine_with_published_answers() {
    let v = vectors();
    let icao = &v["icao9303_appendix_d"];
    let d3 = &icao["D3_authentication_and_session_keys"];
    let keys = MemoryKeys::from_mrz(s(&icao["D2_key_derivation"]["mrz_information"])).unwrap();
    let mut auth = MutualAuth::new(
        keys,
        h(&d3["rnd_ifd"]).try_into().unwrap(),
        h(&d3["k_ifd"]).try_into().unwrap(),
    );
    assert_eq!(
        hex::encode(&auth.get_challenge().unwrap().to_bytes()),
        s(&d3["get_challenge_apdu"])
    );
    let mut ch = h(&d3["rnd_ic"]);
    ch.extend_from_slice(&[0x90, 0x00]);
    let ma = auth.on_challenge(&ch).unwrap();
    assert_eq!(
        hex::encode(&ma.to_bytes()),
        s(&d3["mutual_authenticate_apdu"])
    );
    let mut resp = h(&d3["resp_data"]);
    resp.extend_from_slice(&[0x90, 0x00]);
    let mut sm = auth.on_authenticate(&resp).unwrap();
    for step in icao["D4_secure_messaging"]["steps"].as_array().unwrap() {
        let plain = CommandApdu::parse(&h(&step["unprotected_apdu"])).unwrap();
        let prot = sm.protect(&plain).unwrap();
        assert_eq!(hex::encode(&prot.to_bytes()), s(&step["protected_apdu"]));
        assert_eq!(format!("{:016X}", sm.ssc()), s(&step["ssc_command"]));
        let r = sm.unprotect(&h(&step["rapdu"])).unwrap();
        assert_eq!(format!("{:016X}", sm.ssc()), s(&step["ssc_response"]));
        assert_eq!(
            r,
            ResponseApdu::new(h(&step["decrypted_data"]), StatusWord::OK)
        );
    }
}

/// The KTP-el profile (3-key TDES, SHA-256 KDF), values computed with OpenSSL.
#[test]
fn ktpel_profile_session_matches_openssl() {
    let v = vectors();
    for (name, profile) in [
        ("ktpel_session", Profile::KtpEl),
        ("icao_profile_recomputed", Profile::Icao9303),
    ] {
        let k = &v[name];
        let keys = MemoryKeys::from_seed(profile, &h(&k["k_seed"])).unwrap();
        assert_eq!(
            hex::encode(kdf(profile, &h(&k["k_seed"]), 1).unwrap().expose_secret()),
            s(&k["k_enc"])
        );
        assert_eq!(
            hex::encode(kdf(profile, &h(&k["k_seed"]), 2).unwrap().expose_secret()),
            s(&k["k_mac"])
        );
        let mut auth = MutualAuth::new(
            keys,
            h(&k["rnd_ifd"]).try_into().unwrap(),
            h(&k["k_ifd"]).try_into().unwrap(),
        );
        auth.get_challenge().unwrap();
        let mut ch = h(&k["rnd_ic"]);
        ch.extend_from_slice(&[0x90, 0x00]);
        let ma = auth.on_challenge(&ch).unwrap();
        assert_eq!(
            hex::encode(&ma.to_bytes()),
            s(&k["mutual_authenticate_apdu"]),
            "{name}"
        );
        let mut resp = h(&k["resp_data"]);
        resp.extend_from_slice(&[0x90, 0x00]);
        let mut sm = auth.on_authenticate(&resp).unwrap();
        assert_eq!(
            hex::encode(sm.keys().ks_enc().expose_secret()),
            s(&k["ks_enc"])
        );
        assert_eq!(
            hex::encode(sm.keys().ks_mac().expose_secret()),
            s(&k["ks_mac"])
        );
        assert_eq!(format!("{:016X}", sm.ssc()), s(&k["ssc"]));
        let rb = &k["read_binary"];
        let prot = sm
            .protect(&CommandApdu::parse(&h(&rb["unprotected_apdu"])).unwrap())
            .unwrap();
        assert_eq!(
            hex::encode(&prot.to_bytes()),
            s(&rb["protected_apdu"]),
            "{name}"
        );
        let r = sm.unprotect(&h(&rb["rapdu"])).unwrap();
        assert_eq!(hex::encode(&r.data), s(&rb["plain_data"]));
    }
    // Unused import guard: the trusted list type is part of the public API.
    assert!(TrustedIssuers::new().is_empty());
}
