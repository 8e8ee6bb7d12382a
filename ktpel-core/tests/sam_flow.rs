//! End-to-end reader ↔ virtual chip: mutual authentication, secure reads,
//! anti-cloning, and every injected fault detected with its own error.

use ktpel_core::crypto::p256::{EcdsaError, RustCryptoP256};
use ktpel_core::sam::SamError;
use ktpel_core::sam::auth::{MemoryKeys, MutualAuth};
use ktpel_core::sam::kdf::Profile;
use ktpel_core::sam::reader::ReaderSession;
use ktpel_core::sam::sim::{FID_BIODATA, FID_CHIP_PUBLIC_KEY, FID_PHOTO, Fault, VirtualChip};
use ktpel_core::{Code, HasCode};

const SEED: [u8; 16] = *b"KTPEL-TEST-SEED!";

fn keys(profile: Profile) -> MemoryKeys {
    MemoryKeys::from_seed(profile, &SEED).unwrap()
}

fn auth(
    chip: &mut VirtualChip,
    profile: Profile,
) -> Result<ReaderSession<&mut VirtualChip>, SamError> {
    let mut s = ReaderSession::new(chip);
    s.authenticate(keys(profile), [0x11; 8], [0x22; 16])?;
    Ok(s)
}

#[test]
fn genuine_chip_passes_both_profiles() {
    for profile in [Profile::Icao9303, Profile::KtpEl] {
        let mut chip = VirtualChip::demo(profile, &SEED, 1);
        let issuers = chip.trusted_issuers();
        let photo = chip.file(FID_PHOTO).unwrap().to_vec();
        let mut s = auth(&mut chip, profile).unwrap();
        let doc = s.verify_document(&issuers, [9; 32]).unwrap();
        assert_eq!(doc.files[&FID_PHOTO], photo);
        assert_eq!(doc.files[&FID_PHOTO].len(), 8192);
        assert!(doc.files[&FID_BIODATA].starts_with(b"NIK="));
        assert_eq!(doc.chip_public_key, doc.files[&FID_CHIP_PUBLIC_KEY]);
        // Also with the pure-Rust verifier.
        let mut s = auth(&mut chip, profile)
            .unwrap()
            .with_verifier(&RustCryptoP256);
        s.verify_document(&issuers, [8; 32]).unwrap();
    }
}

#[test]
fn wrong_keys_fail_on_the_chip_side() {
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    let mut s = ReaderSession::new(&mut chip);
    let wrong = MemoryKeys::from_seed(Profile::KtpEl, b"another seed....").unwrap();
    let e = s.authenticate(wrong, [1; 8], [2; 16]).unwrap_err();
    assert!(
        matches!(
            e,
            SamError::CardError {
                command: "MUTUAL AUTHENTICATE",
                ..
            }
        ),
        "{e}"
    );
    // The 3-key profile cannot talk to a 2-key chip either.
    let mut chip = VirtualChip::demo(Profile::Icao9303, &SEED, 1);
    assert!(auth(&mut chip, Profile::KtpEl).is_err());
}

fn auth_fault(fault: Fault) -> SamError {
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    chip.inject(fault);
    let mut a = MutualAuth::new(keys(Profile::KtpEl), [3; 8], [4; 16]);
    let c = a.get_challenge().unwrap();
    let r = chip.process(&c.to_bytes());
    let c = a.on_challenge(&r).unwrap();
    let r = chip.process(&c.to_bytes());
    let e = a.on_authenticate(&r).unwrap_err();
    // Unusable afterwards.
    assert_eq!(a.on_authenticate(&r).unwrap_err(), SamError::SessionClosed);
    assert_eq!(a.get_challenge().unwrap_err(), SamError::SessionClosed);
    e
}

#[test]
fn authentication_faults_have_distinct_errors() {
    assert_eq!(auth_fault(Fault::BadAuthMac), SamError::AuthMacMismatch);
    assert_eq!(auth_fault(Fault::WrongNonce), SamError::AuthNonceMismatch);
    assert!(matches!(
        auth_fault(Fault::ShortAuthResponse),
        SamError::AuthResponseLength {
            got: 39,
            expected: 40,
            ..
        }
    ));
    assert!(matches!(
        auth_fault(Fault::LongAuthResponse),
        SamError::AuthResponseLength { got: 41, .. }
    ));
    let codes: std::collections::BTreeSet<Code> = [
        Fault::BadAuthMac,
        Fault::WrongNonce,
        Fault::ShortAuthResponse,
    ]
    .into_iter()
    .map(|f| auth_fault(f).code())
    .collect();
    assert_eq!(codes.len(), 3);
}

#[test]
fn steps_out_of_order_and_short_challenge() {
    let mut a = MutualAuth::new(keys(Profile::KtpEl), [3; 8], [4; 16]);
    assert!(matches!(
        a.on_challenge(&[0; 10]),
        Err(SamError::WrongState { .. })
    ));
    assert_eq!(a.get_challenge().unwrap_err(), SamError::SessionClosed);
    let mut a = MutualAuth::new(keys(Profile::KtpEl), [3; 8], [4; 16]);
    a.get_challenge().unwrap();
    assert!(matches!(
        a.on_challenge(&[1, 2, 3, 0x90, 0x00]),
        Err(SamError::AuthResponseLength { got: 3, .. })
    ));
    let mut a = MutualAuth::new(keys(Profile::KtpEl), [3; 8], [4; 16]);
    a.get_challenge().unwrap();
    assert!(matches!(
        a.on_challenge(&[0x6D, 0x00]),
        Err(SamError::CardError { .. })
    ));
}

#[test]
fn secure_messaging_faults_are_detected_and_close_the_session() {
    for fault in [Fault::BadMac, Fault::ReplaySsc] {
        let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
        let mut s = auth(&mut chip, Profile::KtpEl).unwrap();
        s.transport_mut().inject(fault);
        assert_eq!(
            s.select(FID_BIODATA).unwrap_err(),
            SamError::SmMacMismatch,
            "{fault:?}"
        );
        assert_eq!(s.select(FID_BIODATA).unwrap_err(), SamError::SessionClosed);
    }
}

#[test]
fn replayed_response_is_detected() {
    let mut chip = VirtualChip::demo(Profile::Icao9303, &SEED, 1);
    let mut a = MutualAuth::new(keys(Profile::Icao9303), [3; 8], [4; 16]);
    let c = a.get_challenge().unwrap();
    let c = a.on_challenge(&chip.process(&c.to_bytes())).unwrap();
    let mut sm = a.on_authenticate(&chip.process(&c.to_bytes())).unwrap();
    let select = ktpel_core::sam::apdu::CommandApdu::new(0, 0xA4, 2, 0x0C, vec![1, 1], None);
    let r1 = chip.process(&sm.protect(&select).unwrap().to_bytes());
    sm.unprotect(&r1).unwrap();
    chip.process(&sm.protect(&select).unwrap().to_bytes());
    // An attacker answers the second command with the first answer.
    assert_eq!(sm.unprotect(&r1).unwrap_err(), SamError::SmMacMismatch);
}

#[test]
fn clone_and_altered_data_are_told_apart_from_genuine() {
    let genuine = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    let issuers = genuine.trusted_issuers();

    // Clone: same files and signed list, other private key.
    let mut clone = VirtualChip::clone_of(&genuine, 99);
    let mut s = auth(&mut clone, Profile::KtpEl).unwrap();
    assert_eq!(
        s.verify_document(&issuers, [1; 32]).unwrap_err(),
        SamError::ChipAuthFailed
    );

    // Wrong signature fault on a genuine chip.
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    chip.inject(Fault::WrongSignature);
    let mut s = auth(&mut chip, Profile::KtpEl).unwrap();
    let e = s.verify_document(&issuers, [1; 32]).unwrap_err();
    assert_eq!(e, SamError::ChipAuthFailed);
    assert_eq!(e.code(), Code::SamChipAuthFailed);

    // Altered biodata.
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    let mut bio = chip.file(FID_BIODATA).unwrap().to_vec();
    bio[4] ^= 1;
    chip.tamper_file(FID_BIODATA, bio);
    let mut s = auth(&mut chip, Profile::KtpEl).unwrap();
    assert_eq!(
        s.verify_document(&issuers, [1; 32]).unwrap_err(),
        SamError::FileHashMismatch { fid: FID_BIODATA }
    );

    // Swapped chip key file (clone with its own key in the file): signed hash fails.
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    let other = ktpel_core::crypto::p256::P256SigningKey::from_bytes(&[3; 32]).unwrap();
    chip.tamper_file(FID_CHIP_PUBLIC_KEY, other.public_key_sec1().to_vec());
    let mut s = auth(&mut chip, Profile::KtpEl).unwrap();
    assert_eq!(
        s.verify_document(&issuers, [1; 32]).unwrap_err(),
        SamError::FileHashMismatch {
            fid: FID_CHIP_PUBLIC_KEY
        }
    );

    // Untrusted issuer list.
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    let mut s = auth(&mut chip, Profile::KtpEl).unwrap();
    let mut wrong = ktpel_core::sam::anticlone::TrustedIssuers::new();
    let k = ktpel_core::crypto::p256::P256SigningKey::from_bytes(&[4; 32]).unwrap();
    wrong.add(
        ktpel_core::sam::sim::DEMO_ISSUER_KEY_ID,
        &k.public_key_sec1(),
    );
    assert_eq!(
        s.verify_document(&wrong, [1; 32]).unwrap_err(),
        SamError::Ecdsa(EcdsaError::BadSignature)
    );
}

#[test]
fn chip_refuses_plain_reads_and_bad_protected_commands() {
    let mut chip = VirtualChip::demo(Profile::KtpEl, &SEED, 1);
    assert_eq!(chip.process(&[0x00, 0xB0, 0x00, 0x00, 0x10]), [0x69, 0x82]);
    let _s = auth(&mut chip, Profile::KtpEl).unwrap();
    // A forged protected command (wrong MAC) ends the chip's session.
    let forged = [
        0x0C, 0xB0, 0, 0, 0x0D, 0x97, 1, 4, 0x8E, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    assert_eq!(chip.process(&forged), [0x69, 0x88]);
    assert_eq!(chip.session_ssc(), None);
    assert_eq!(chip.process(&[1, 2]), [0x67, 0x00]);
}
