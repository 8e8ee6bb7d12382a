//! Real PC/SC end to end: the virtual chip is served to pcscd through the
//! vsmartcard `vpcd` driver (TCP 127.0.0.1:35963) and the reader talks to it
//! through libpcsclite like any bank application would.
//!
//! Needs `--features pcsc` and a running pcscd with vpcd, so it is ignored by
//! default; `scripts/test.d/60-sam.sh` installs and starts everything and
//! runs it with `--ignored`.
#![cfg(feature = "pcsc")]

use ktpel_core::sam::SamError;
use ktpel_core::sam::auth::MemoryKeys;
use ktpel_core::sam::kdf::Profile;
use ktpel_core::sam::pcsc::{PcscTransport, list_readers};
use ktpel_core::sam::reader::ReaderSession;
use ktpel_core::sam::sim::{FID_PHOTO, Fault, VirtualChip};
use ktpel_core::sam::vpcd::{VPCD_PORT, handle_message, serve_with};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SEED: [u8; 16] = *b"KTPEL-PCSC-SEED!";

fn connect_card() -> PcscTransport {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match PcscTransport::connect("Virtual PCD") {
            Ok(t) => return t,
            Err(e) if Instant::now() > deadline => {
                panic!(
                    "no card in a Virtual PCD reader: {e}; readers: {:?}",
                    list_readers()
                )
            }
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

#[test]
#[ignore = "needs pcscd with vsmartcard-vpcd; run by scripts/test.d/60-sam.sh"]
fn pcsc_authentication_secure_read_and_anti_cloning() {
    let genuine = VirtualChip::demo(Profile::KtpEl, &SEED, 11);
    let issuers = genuine.trusted_issuers();
    let photo = genuine.file(FID_PHOTO).unwrap().to_vec();
    let clone = VirtualChip::clone_of(&genuine, 12);
    let chip = Arc::new(Mutex::new(genuine));
    let served = Arc::clone(&chip);
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let r = serve_with(("127.0.0.1", VPCD_PORT), 100_000, |m| {
                handle_message(&mut served.lock().unwrap(), m)
            });
            if r.is_ok() || Instant::now() > deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(200)); // vpcd not listening yet
        }
    });

    let transport = connect_card();
    eprintln!(
        "connected through PC/SC reader {:?}",
        transport.reader_name()
    );
    let mut session = ReaderSession::new(transport);

    // 1. Genuine chip: mutual authentication, secure reads, anti-cloning.
    let keys = MemoryKeys::from_seed(Profile::KtpEl, &SEED).unwrap();
    session.authenticate_random(keys.clone()).unwrap();
    let doc = session.verify_document(&issuers, [0x5A; 32]).unwrap();
    assert_eq!(doc.files[&FID_PHOTO], photo);
    eprintln!(
        "genuine chip: {} files verified, chip authenticated",
        doc.files.len()
    );

    // 2. Tampering on the wire (bad response MAC) is caught.
    chip.lock().unwrap().inject(Fault::BadMac);
    assert_eq!(
        session.read_file(FID_PHOTO).unwrap_err(),
        SamError::SmMacMismatch
    );
    chip.lock().unwrap().clear_faults();

    // 3. Wrong reader keys: the chip refuses mutual authentication.
    let wrong = MemoryKeys::from_seed(Profile::KtpEl, b"not-the-right-ky").unwrap();
    assert!(matches!(
        session.authenticate_random(wrong).unwrap_err(),
        SamError::CardError { .. }
    ));

    // 4. A clone (same data, other private key) in the same reader.
    *chip.lock().unwrap() = clone;
    session.authenticate_random(keys).unwrap();
    assert_eq!(
        session.verify_document(&issuers, [0x5B; 32]).unwrap_err(),
        SamError::ChipAuthFailed
    );
    eprintln!("clone detected through PC/SC");
}
