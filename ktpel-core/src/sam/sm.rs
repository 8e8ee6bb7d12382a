//! Secure messaging (ICAO 9303 Part 11 §9.8, ISO/IEC 7816-4 §10) with the
//! session keys from mutual authentication.
//!
//! Command (reader, [`SecureMessaging::protect`]): SSC + 1; `DO'87` =
//! `87 L 01 ‖ TDES-CBC(KS_enc, IV 0, pad(data))` when there is data; `DO'97` =
//! `97 L Le` when Le is present; `DO'8E` = `8E 08 MAC(KS_mac, pad(SSC ‖
//! pad(CLA|0C INS P1 P2) ‖ DO'87 ‖ DO'97))`.
//!
//! Response (reader, [`SecureMessaging::unprotect`]): SSC + 1; the MAC over
//! `SSC ‖ DO'87 ‖ DO'99` must equal `DO'8E` (compared in constant time), then
//! `DO'87` is decrypted and unpadded and `DO'99` must equal the plain status
//! word. Any failure closes the session for good, as ICAO 9303 requires.
//!
//! The chip side ([`SecureMessaging::unprotect_command`],
//! [`SecureMessaging::protect_response`]) is the mirror image and is used by
//! the virtual chip.

use alloc::vec::Vec;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::SamError;
use super::apdu::{CommandApdu, ResponseApdu, StatusWord};
use super::kdf::{COUNTER_ENC, COUNTER_MAC, Profile, kdf};
use super::tdes::{BLOCK, Padding, TdesKey, pad_method2, unpad_method2};
use super::tlv;

/// Session keys KS_enc and KS_mac (zeroized on drop).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    #[zeroize(skip)]
    profile: Profile,
    ks_enc: TdesKey,
    ks_mac: TdesKey,
}

impl core::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionKeys")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl SessionKeys {
    /// Derives KS_enc (counter 1) and KS_mac (counter 2) from the session key
    /// seed `K.IFD xor K.IC`.
    pub fn derive(profile: Profile, seed: &[u8]) -> Result<SessionKeys, SamError> {
        Ok(SessionKeys {
            profile,
            ks_enc: kdf(profile, seed, COUNTER_ENC)?,
            ks_mac: kdf(profile, seed, COUNTER_MAC)?,
        })
    }

    /// Session keys given directly (tests, hardware SAM exports).
    pub fn from_keys(profile: Profile, ks_enc: TdesKey, ks_mac: TdesKey) -> Self {
        SessionKeys {
            profile,
            ks_enc,
            ks_mac,
        }
    }

    /// The profile the keys belong to.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// KS_enc (secret).
    pub fn ks_enc(&self) -> &TdesKey {
        &self.ks_enc
    }

    /// KS_mac (secret).
    pub fn ks_mac(&self) -> &TdesKey {
        &self.ks_mac
    }
}

/// An established secure messaging session: keys and send sequence counter.
#[derive(Debug)]
pub struct SecureMessaging {
    keys: SessionKeys,
    ssc: u64,
    closed: bool,
}

const ZERO_IV: [u8; 8] = [0; 8];

impl SecureMessaging {
    /// A session from its keys and initial SSC (`RND.IC[4..8] ‖ RND.IFD[4..8]`).
    pub fn new(keys: SessionKeys, ssc: u64) -> Self {
        SecureMessaging {
            keys,
            ssc,
            closed: false,
        }
    }

    /// The current send sequence counter.
    pub fn ssc(&self) -> u64 {
        self.ssc
    }

    /// The session keys.
    pub fn keys(&self) -> &SessionKeys {
        &self.keys
    }

    /// Whether an earlier failure closed the session.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Steps the counter back by one (the virtual chip's replay fault).
    pub(crate) fn rewind_ssc(&mut self) {
        self.ssc = self.ssc.wrapping_sub(1);
    }

    /// Closes the session; every later call fails with `SessionClosed`.
    pub fn close(&mut self) {
        self.closed = true;
    }

    fn step(&mut self) -> Result<[u8; 8], SamError> {
        if self.closed {
            return Err(SamError::SessionClosed);
        }
        match self.ssc.checked_add(1) {
            Some(s) => {
                self.ssc = s;
                Ok(s.to_be_bytes())
            }
            None => {
                self.closed = true;
                Err(SamError::SscOverflow)
            }
        }
    }

    fn fail<T>(&mut self, e: SamError) -> Result<T, SamError> {
        self.closed = true;
        Err(e)
    }

    fn mac(&self, ssc: &[u8; 8], parts: &[&[u8]]) -> [u8; 8] {
        let mut input = Vec::with_capacity(8 + parts.iter().map(|p| p.len()).sum::<usize>());
        input.extend_from_slice(ssc);
        for p in parts {
            input.extend_from_slice(p);
        }
        self.keys.ks_mac.retail_mac(&input, Padding::Method2)
    }

    fn encrypt_do87(&self, data: &[u8]) -> Vec<u8> {
        let mut enc = Vec::with_capacity(data.len() + 12);
        enc.push(0x01);
        enc.extend_from_slice(&pad_method2(data));
        self.keys
            .ks_enc
            .encrypt_cbc(&ZERO_IV, &mut enc[1..])
            .expect("padded data is whole blocks");
        let mut do87 = Vec::with_capacity(enc.len() + 4);
        tlv::push_tlv(&mut do87, 0x87, &enc);
        do87
    }

    fn decrypt_do87(&self, value: &[u8]) -> Result<Vec<u8>, SamError> {
        match value.split_first() {
            Some((0x01, ct)) if !ct.is_empty() && ct.len() % BLOCK == 0 => {
                let mut buf = ct.to_vec();
                self.keys.ks_enc.decrypt_cbc(&ZERO_IV, &mut buf)?;
                let plain = unpad_method2(&buf).map(<[u8]>::to_vec);
                buf.zeroize();
                plain
            }
            _ => Err(SamError::SmMalformed {
                reason: "DO'87 needs padding indicator 01 and whole cipher blocks",
            }),
        }
    }

    /// Reader side: protects a plain command APDU.
    pub fn protect(&mut self, cmd: &CommandApdu) -> Result<CommandApdu, SamError> {
        if cmd.cla & 0x0C != 0 {
            return self.fail(SamError::SmMalformed {
                reason: "command is already protected (CLA has secure messaging bits)",
            });
        }
        let ssc = self.step()?;
        let header = [cmd.cla | 0x0C, cmd.ins, cmd.p1, cmd.p2];
        let padded_header = pad_method2(&header);
        let do87 = if cmd.data.is_empty() {
            Vec::new()
        } else {
            self.encrypt_do87(&cmd.data)
        };
        let do97 = match cmd.le {
            None => Vec::new(),
            Some(le) if le <= 256 => alloc::vec![0x97, 0x01, (le % 256) as u8],
            Some(le) => {
                let mut v = alloc::vec![0x97, 0x02];
                v.extend_from_slice(&((le % 65536) as u16).to_be_bytes());
                v
            }
        };
        let cc = self.mac(&ssc, &[&padded_header, &do87, &do97]);
        let mut data = do87;
        data.extend_from_slice(&do97);
        data.extend_from_slice(&[0x8E, 0x08]);
        data.extend_from_slice(&cc);
        let extended = cmd.is_extended() || data.len() > 255;
        let mut out = CommandApdu::new(
            header[0],
            cmd.ins,
            cmd.p1,
            cmd.p2,
            data,
            Some(if extended { 65536 } else { 256 }),
        );
        out.extended = extended;
        Ok(out)
    }

    /// Reader side: checks and decrypts a protected response (raw bytes
    /// including the status word).
    pub fn unprotect(&mut self, rapdu: &[u8]) -> Result<ResponseApdu, SamError> {
        let ssc = self.step()?;
        let resp = match ResponseApdu::parse(rapdu) {
            Ok(r) => r,
            Err(e) => return self.fail(e),
        };
        if resp.data.is_empty() {
            // A card that rejects a protected command answers with a plain
            // error status word (e.g. 6987/6988), which cannot be authenticated.
            let e = if resp.sw.is_success() {
                SamError::SmMalformed {
                    reason: "response has no DO'8E (MAC)",
                }
            } else {
                SamError::CardError {
                    command: "secure messaging",
                    sw: resp.sw,
                }
            };
            return self.fail(e);
        }
        let Some(objects) = tlv::parse_all(&resp.data) else {
            return self.fail(SamError::SmMalformed {
                reason: "response data objects are truncated",
            });
        };
        let (mut do87, mut do99, mut do8e) = (None, None, None);
        for (i, o) in objects.iter().enumerate() {
            let slot = match o.tag {
                0x87 => &mut do87,
                0x99 => &mut do99,
                0x8E if i == objects.len() - 1 => &mut do8e,
                _ => {
                    return self.fail(SamError::SmMalformed {
                        reason: "unexpected or misplaced data object in the response",
                    });
                }
            };
            if slot.replace(*o).is_some() {
                return self.fail(SamError::SmMalformed {
                    reason: "a data object appears twice in the response",
                });
            }
        }
        let Some(do8e) = do8e.filter(|d| d.value.len() == 8) else {
            return self.fail(SamError::SmMalformed {
                reason: "response has no 8-byte DO'8E (MAC)",
            });
        };
        let Some(do99) = do99.filter(|d| d.value.len() == 2) else {
            return self.fail(SamError::SmMalformed {
                reason: "response has no 2-byte DO'99 (status)",
            });
        };
        let cc = self.mac(&ssc, &[do87.map_or(&[][..], |d| d.raw), do99.raw]);
        if !bool::from(cc.ct_eq(do8e.value)) {
            return self.fail(SamError::SmMacMismatch);
        }
        let protected_sw = StatusWord(u16::from_be_bytes([do99.value[0], do99.value[1]]));
        if protected_sw != resp.sw {
            return self.fail(SamError::SmStatusMismatch {
                plain: resp.sw,
                protected: protected_sw,
            });
        }
        let data = match do87 {
            Some(d) => match self.decrypt_do87(d.value) {
                Ok(p) => p,
                Err(e) => return self.fail(e),
            },
            None => Vec::new(),
        };
        Ok(ResponseApdu::new(data, protected_sw))
    }

    /// Chip side: checks and decrypts a protected command.
    pub fn unprotect_command(&mut self, cmd: &CommandApdu) -> Result<CommandApdu, SamError> {
        let ssc = self.step()?;
        if cmd.cla & 0x0C != 0x0C {
            return self.fail(SamError::SmMalformed {
                reason: "command is not protected (CLA lacks secure messaging bits)",
            });
        }
        let Some(objects) = tlv::parse_all(&cmd.data) else {
            return self.fail(SamError::SmMalformed {
                reason: "command data objects are truncated",
            });
        };
        let (mut do87, mut do97, mut do8e) = (None, None, None);
        for (i, o) in objects.iter().enumerate() {
            let slot = match o.tag {
                0x87 => &mut do87,
                0x97 => &mut do97,
                0x8E if i == objects.len() - 1 => &mut do8e,
                _ => {
                    return self.fail(SamError::SmMalformed {
                        reason: "unexpected or misplaced data object in the command",
                    });
                }
            };
            if slot.replace(*o).is_some() {
                return self.fail(SamError::SmMalformed {
                    reason: "a data object appears twice in the command",
                });
            }
        }
        let Some(do8e) = do8e.filter(|d| d.value.len() == 8) else {
            return self.fail(SamError::SmMalformed {
                reason: "command has no 8-byte DO'8E (MAC)",
            });
        };
        let header = pad_method2(&[cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
        let cc = self.mac(
            &ssc,
            &[
                &header,
                do87.map_or(&[][..], |d| d.raw),
                do97.map_or(&[][..], |d| d.raw),
            ],
        );
        if !bool::from(cc.ct_eq(do8e.value)) {
            return self.fail(SamError::SmMacMismatch);
        }
        let le = match do97.map(|d| d.value) {
            None => None,
            Some([0]) => Some(256),
            Some([l]) => Some(u32::from(*l)),
            Some([0, 0]) => Some(65536),
            Some([a, b]) => Some(u32::from(u16::from_be_bytes([*a, *b]))),
            Some(_) => {
                return self.fail(SamError::SmMalformed {
                    reason: "DO'97 must hold 1 or 2 bytes",
                });
            }
        };
        let data = match do87 {
            Some(d) => match self.decrypt_do87(d.value) {
                Ok(p) => p,
                Err(e) => return self.fail(e),
            },
            None => Vec::new(),
        };
        let mut plain = CommandApdu::new(cmd.cla & !0x0C, cmd.ins, cmd.p1, cmd.p2, data, le);
        plain.extended = le.is_some_and(|l| l > 256);
        Ok(plain)
    }

    /// Chip side: protects a response; returns the raw response bytes.
    pub fn protect_response(&mut self, resp: &ResponseApdu) -> Result<Vec<u8>, SamError> {
        let ssc = self.step()?;
        let do87 = if resp.data.is_empty() {
            Vec::new()
        } else {
            self.encrypt_do87(&resp.data)
        };
        let sw = resp.sw.0.to_be_bytes();
        let do99 = [0x99, 0x02, sw[0], sw[1]];
        let cc = self.mac(&ssc, &[&do87, &do99]);
        let mut out = do87;
        out.extend_from_slice(&do99);
        out.extend_from_slice(&[0x8E, 0x08]);
        out.extend_from_slice(&cc);
        out.extend_from_slice(&sw);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pair(profile: Profile) -> (SecureMessaging, SecureMessaging) {
        let keys = SessionKeys::derive(profile, &[0x5A; 16]).unwrap();
        (
            SecureMessaging::new(keys.clone(), 0x1122334455667788),
            SecureMessaging::new(keys, 0x1122334455667788),
        )
    }

    #[test]
    fn round_trip_both_profiles_all_cases() {
        for profile in [Profile::Icao9303, Profile::KtpEl] {
            let (mut reader, mut chip) = pair(profile);
            for (data, le) in [
                (Vec::new(), None),
                (Vec::new(), Some(4)),
                (alloc::vec![1, 2, 3], None),
                (alloc::vec![9; 300], Some(1000)),
            ] {
                let cmd = CommandApdu::new(0x00, 0xB0, 0, 0, data.clone(), le);
                let prot = reader.protect(&cmd).unwrap();
                let wire = CommandApdu::parse(&prot.to_bytes()).unwrap();
                let plain = chip.unprotect_command(&wire).unwrap();
                assert_eq!(plain.data, data);
                assert_eq!(plain.le, le);
                let resp = ResponseApdu::new(alloc::vec![7; 200], StatusWord::OK);
                let raw = chip.protect_response(&resp).unwrap();
                assert_eq!(reader.unprotect(&raw).unwrap(), resp);
            }
            assert_eq!(reader.ssc(), chip.ssc());
        }
    }

    #[test]
    fn plain_error_status_closes_session() {
        let (mut reader, _) = pair(Profile::KtpEl);
        reader
            .protect(&CommandApdu::new(0, 0xB0, 0, 0, Vec::new(), Some(1)))
            .unwrap();
        assert!(matches!(
            reader.unprotect(&[0x69, 0x88]),
            Err(SamError::CardError { .. })
        ));
        assert!(reader.is_closed());
        assert_eq!(
            reader.protect(&CommandApdu::new(0, 0xB0, 0, 0, Vec::new(), Some(1))),
            Err(SamError::SessionClosed)
        );
    }

    #[test]
    fn status_word_swap_is_detected() {
        let (mut reader, mut chip) = pair(Profile::Icao9303);
        reader
            .protect(&CommandApdu::new(0, 0xB0, 0, 0, Vec::new(), Some(1)))
            .unwrap();
        chip.step().unwrap();
        let mut raw = chip
            .protect_response(&ResponseApdu::new(alloc::vec![1], StatusWord::END_OF_FILE))
            .unwrap();
        let n = raw.len();
        raw[n - 2..].copy_from_slice(&[0x90, 0x00]);
        assert!(matches!(
            reader.unprotect(&raw),
            Err(SamError::SmStatusMismatch { .. })
        ));
    }

    proptest! {
        #[test]
        fn any_bit_flip_is_detected(byte in 0usize..1000, bit in 0u8..8) {
            let (mut reader, mut chip) = pair(Profile::KtpEl);
            let cmd = CommandApdu::new(0x00, 0xB0, 0, 0, Vec::new(), Some(32));
            let prot = reader.protect(&cmd).unwrap();
            chip.unprotect_command(&prot).unwrap();
            let mut raw = chip.protect_response(&ResponseApdu::new(alloc::vec![3; 32], StatusWord::OK)).unwrap();
            let i = byte % raw.len();
            raw[i] ^= 1 << bit;
            prop_assert!(reader.unprotect(&raw).is_err());
            prop_assert!(reader.is_closed());
        }

        #[test]
        fn unprotect_never_panics(b in proptest::collection::vec(any::<u8>(), 0..80)) {
            let (mut reader, mut chip) = pair(Profile::Icao9303);
            let _ = reader.unprotect(&b);
            if let Ok(c) = CommandApdu::parse(&b) {
                let _ = chip.unprotect_command(&c);
            }
        }
    }
}
