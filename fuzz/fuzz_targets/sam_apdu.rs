//! Fuzzes the untrusted-input parsers of `sam`: command/response APDUs,
//! secure messaging unprotect (both sides) and the security object.
#![no_main]

use ktpel_core::sam::anticlone::SecurityObject;
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu};
use ktpel_core::sam::kdf::Profile;
use ktpel_core::sam::sm::{SecureMessaging, SessionKeys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = CommandApdu::parse(data) {
        assert_eq!(c.to_bytes(), data);
        let keys = SessionKeys::derive(Profile::KtpEl, &[1; 16]).unwrap();
        let _ = SecureMessaging::new(keys, 0).unprotect_command(&c);
    }
    let _ = ResponseApdu::parse(data);
    let keys = SessionKeys::derive(Profile::Icao9303, &[1; 16]).unwrap();
    let _ = SecureMessaging::new(keys, 0).unprotect(data);
    let _ = SecurityObject::parse(data);
});
