//! Fuzzes the IKD QR verifier: token text (transport layer first) and raw
//! COSE bytes behind a valid transport layer (reaches the CBOR/COSE/claims
//! parsers). Must never panic.
#![no_main]

use ktpel_core::qr::{
    EncryptionKey, FixedClock, MemoryReplayStore, SigningKey, Verifier, encode_transport,
};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fn verifier() -> &'static (Verifier, Verifier) {
    static V: OnceLock<(Verifier, Verifier)> = OnceLock::new();
    V.get_or_init(|| {
        let sig = SigningKey::from_scalar("sig", &[0x11; 32]).unwrap();
        let enc = EncryptionKey::from_bytes("enc", &[0x22; 32]).unwrap();
        let v = Verifier::new(
            Arc::new(FixedClock(1_780_000_000)),
            Arc::new(MemoryReplayStore::new(1 << 16)),
        )
        .trust(sig.verifying_key())
        .decryption_key(enc);
        (v.clone(), v.require_encryption(false))
    })
}

fuzz_target!(|data: &[u8]| {
    let (encrypted, plain) = verifier();
    match data.split_first() {
        Some((0, rest)) => {
            let _ = plain.verify(&encode_transport(rest));
        }
        Some((1, rest)) => {
            let _ = encrypted.verify(&encode_transport(rest));
        }
        _ => {
            if let Ok(s) = std::str::from_utf8(data) {
                let _ = encrypted.verify(s);
            }
        }
    }
});
