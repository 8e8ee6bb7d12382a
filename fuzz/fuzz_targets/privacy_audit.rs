//! Fuzzes the audit-log verifier, the checkpoint and proof parsers and the
//! token parser: no input may panic; a log that verifies re-verifies after
//! a recovery cut to its intact prefix; a parsed token prints back as its
//! input.
#![no_main]

use ktpel_core::privacy::Token;
use ktpel_core::privacy::audit::{InclusionProof, verify_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (log, cps) = data.split_at(split);
    let rep = verify_bytes(log, cps, None);
    let cut = &log[..rep.intact_bytes as usize];
    let again = verify_bytes(cut, b"", None);
    assert!(again.is_valid());
    assert_eq!(again.entries, rep.entries);
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = Token::parse(s) {
            assert_eq!(t.to_string(), s);
        }
        let _ = InclusionProof::from_json(s).map(|p| p.verify(None));
    }
});
