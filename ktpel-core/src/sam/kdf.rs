//! Key derivation for the two profiles.
//!
//! | profile | cipher | KDF |
//! |---|---|---|
//! | [`Profile::Icao9303`] | 2-key TDES (112-bit) | ICAO 9303 Part 11 §9.7.1: `SHA-1(seed ‖ counter)`, bytes 0–15, parity adjusted |
//! | [`Profile::KtpEl`] | 3-key TDES (168-bit) | `SHA-256(seed ‖ counter)`, bytes 0–23, parity adjusted |
//!
//! `counter` is a 32-bit big-endian integer: 1 for the encryption key, 2 for
//! the MAC key. The `KtpEl` KDF is the ICAO construction with SHA-256 (which
//! PMDN 76/2020 names) in place of SHA-1 and 24 output bytes for the 3-key
//! cipher, because the card's proprietary KDF is not public.
//!
//! ```
//! use ktpel_core::sam::{hex, kdf::{kdf, Profile}};
//! let seed = hex::decode("239AB9CB282DAF66231DC5A4DF6BFBAE", "seed").unwrap();
//! let k_enc = kdf(Profile::Icao9303, &seed, 1).unwrap();
//! assert_eq!(hex::encode(k_enc.expose_secret()), "AB94FDECF2674FDFB9B391F85D7F76F2");
//! ```

use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::SamError;
use super::tdes::{TdesKey, adjust_parity};

/// Counter for the encryption key.
pub const COUNTER_ENC: u32 = 1;
/// Counter for the MAC key.
pub const COUNTER_MAC: u32 = 2;

/// Which cipher and KDF a session uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// ICAO 9303 BAC: 2-key TDES, SHA-1 KDF (checkable against Appendix D).
    Icao9303,
    /// KTP-el: 3-key TDES (168-bit), SHA-256 KDF.
    KtpEl,
}

impl Profile {
    /// TDES key length in bytes: 16 or 24.
    pub const fn key_len(self) -> usize {
        match self {
            Profile::Icao9303 => 16,
            Profile::KtpEl => 24,
        }
    }

    /// Stable lower-case name (`icao` or `ktpel`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Icao9303 => "icao",
            Profile::KtpEl => "ktpel",
        }
    }

    /// Parses `icao`/`icao9303` or `ktpel`/`ktp-el` (any case).
    pub fn from_name(name: &str) -> Option<Profile> {
        match name.to_ascii_lowercase().as_str() {
            "icao" | "icao9303" => Some(Profile::Icao9303),
            "ktpel" | "ktp-el" => Some(Profile::KtpEl),
            _ => None,
        }
    }
}

/// Derives a TDES key from `seed` and `counter` with the profile's KDF.
pub fn kdf(profile: Profile, seed: &[u8], counter: u32) -> Result<TdesKey, SamError> {
    let mut out = [0u8; 32];
    match profile {
        Profile::Icao9303 => {
            let mut h = Sha1::new();
            h.update(seed);
            h.update(counter.to_be_bytes());
            out[..20].copy_from_slice(&h.finalize());
        }
        Profile::KtpEl => {
            let mut h = Sha256::new();
            h.update(seed);
            h.update(counter.to_be_bytes());
            out.copy_from_slice(&h.finalize());
        }
    }
    let n = profile.key_len();
    adjust_parity(&mut out[..n]);
    let key = TdesKey::new(&out[..n]);
    out.zeroize();
    key
}

/// The ICAO 9303 key seed from the MRZ information (document number, date of
/// birth, date of expiry, each followed by its check digit):
/// the first 16 bytes of SHA-1.
pub fn icao_key_seed(mrz_information: &str) -> [u8; 16] {
    let digest = Sha1::digest(mrz_information.as_bytes());
    let mut seed = [0u8; 16];
    seed.copy_from_slice(&digest[..16]);
    seed
}

/// The ICAO 9303 check digit (weights 7, 3, 1; `<` counts 0, letters A=10…).
/// Returns `None` for a character outside `0-9A-Z<`.
pub fn mrz_check_digit(field: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in field.bytes().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

/// Builds the MRZ information from its three fields, appending check digits.
/// The document number is padded with `<` to 9 characters.
pub fn mrz_information(
    document_number: &str,
    date_of_birth: &str,
    date_of_expiry: &str,
) -> Option<alloc::string::String> {
    use alloc::string::String;
    let mut doc = String::from(document_number);
    while doc.len() < 9 {
        doc.push('<');
    }
    let mut s = String::new();
    for f in [doc.as_str(), date_of_birth, date_of_expiry] {
        s.push_str(f);
        s.push(char::from(b'0' + mrz_check_digit(f)?));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::super::hex;
    use super::*;

    #[test]
    fn icao_d2_seed_and_keys() {
        let info = mrz_information("L898902C", "690806", "940623").unwrap();
        assert_eq!(info, "L898902C<369080619406236");
        let seed = icao_key_seed(&info);
        assert_eq!(hex::encode(&seed), "239AB9CB282DAF66231DC5A4DF6BFBAE");
        let k_mac = kdf(Profile::Icao9303, &seed, COUNTER_MAC).unwrap();
        assert_eq!(
            hex::encode(k_mac.expose_secret()),
            "7962D9ECE03D1ACD4C76089DCE131543"
        );
    }

    #[test]
    fn ktpel_kdf_is_sha256_with_parity() {
        let seed = [0x42u8; 16];
        let k = kdf(Profile::KtpEl, &seed, 1).unwrap();
        let mut expect = Sha256::new();
        expect.update(seed);
        expect.update([0, 0, 0, 1]);
        let mut d = expect.finalize()[..24].to_vec();
        adjust_parity(&mut d);
        assert_eq!(k.expose_secret(), &d[..]);
        assert_eq!(k.len(), 24);
        assert_eq!(Profile::from_name("KTPEL"), Some(Profile::KtpEl));
        assert_eq!(Profile::from_name("x"), None);
    }
}
