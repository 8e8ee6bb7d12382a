//! Mutual authentication between reader (IFD) and chip (IC) as a sans-IO
//! state machine, exactly as ICAO 9303 Part 11 §9.7 Basic Access Control.
//!
//! 1. [`MutualAuth::get_challenge`] → send `00 84 00 00 08`.
//! 2. [`MutualAuth::on_challenge`] with the card's answer (`RND.IC ‖ 9000`) →
//!    send `00 82 00 00 28 ‖ E.IFD ‖ M.IFD ‖ 28`, where
//!    `S = RND.IFD ‖ RND.IC ‖ K.IFD`, `E.IFD = TDES(K_enc, S)`,
//!    `M.IFD = MAC(K_mac, E.IFD)`.
//! 3. [`MutualAuth::on_authenticate`] with the card's answer
//!    (`E.IC ‖ M.IC ‖ 9000`): checks M.IC in constant time, decrypts
//!    `R = RND.IC ‖ RND.IFD ‖ K.IC`, checks both nonces, and returns a
//!    [`SecureMessaging`] session with keys from `K.IFD xor K.IC` and
//!    `SSC = RND.IC[4..8] ‖ RND.IFD[4..8]`.
//!
//! The caller moves the bytes; nothing here does I/O. Any failure moves the
//! machine to a closed state: every later call returns
//! [`SamError::SessionClosed`].
//!
//! The static keys K_enc/K_mac sit behind the [`KeyProvider`] trait, so a
//! hardware SAM can hold them; [`MemoryKeys`] keeps them in (zeroized) memory.

use alloc::vec::Vec;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::SamError;
use super::apdu::{CommandApdu, ResponseApdu};
use super::kdf::{COUNTER_ENC, COUNTER_MAC, Profile, icao_key_seed, kdf};
use super::sm::{SecureMessaging, SessionKeys};
use super::tdes::{Padding, TdesKey};

/// Holds the static authentication keys K_enc and K_mac and computes with
/// them, so the keys can stay inside a hardware SAM.
pub trait KeyProvider {
    /// The profile (cipher and KDF) the keys belong to.
    fn profile(&self) -> Profile;
    /// TDES-CBC encryption with K_enc, zero IV, in place (whole blocks).
    fn encrypt(&mut self, data: &mut [u8]) -> Result<(), SamError>;
    /// TDES-CBC decryption with K_enc, zero IV, in place (whole blocks).
    fn decrypt(&mut self, data: &mut [u8]) -> Result<(), SamError>;
    /// ISO/IEC 9797-1 MAC algorithm 3 with K_mac over `data` padded with method 2.
    fn mac(&mut self, data: &[u8]) -> Result<[u8; 8], SamError>;
}

/// Static keys held in memory (zeroized on drop).
#[derive(Clone)]
pub struct MemoryKeys {
    profile: Profile,
    k_enc: TdesKey,
    k_mac: TdesKey,
}

impl core::fmt::Debug for MemoryKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryKeys")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl MemoryKeys {
    /// Keys derived from a key seed with the profile's KDF (counters 1, 2).
    pub fn from_seed(profile: Profile, seed: &[u8]) -> Result<Self, SamError> {
        Ok(MemoryKeys {
            profile,
            k_enc: kdf(profile, seed, COUNTER_ENC)?,
            k_mac: kdf(profile, seed, COUNTER_MAC)?,
        })
    }

    /// ICAO 9303 BAC keys from the MRZ information
    /// (see [`mrz_information`](super::kdf::mrz_information)).
    pub fn from_mrz(mrz_information: &str) -> Result<Self, SamError> {
        let mut seed = icao_key_seed(mrz_information);
        let k = Self::from_seed(Profile::Icao9303, &seed);
        seed.zeroize();
        k
    }

    /// Keys given directly; their length must match the profile.
    pub fn new(profile: Profile, k_enc: TdesKey, k_mac: TdesKey) -> Result<Self, SamError> {
        for k in [&k_enc, &k_mac] {
            if k.len() != profile.key_len() {
                return Err(SamError::InvalidKey {
                    what: "static key",
                    expected: if profile.key_len() == 16 {
                        "16 bytes for the ICAO profile"
                    } else {
                        "24 bytes for the KTP-el profile"
                    },
                    len: k.len(),
                });
            }
        }
        Ok(MemoryKeys {
            profile,
            k_enc,
            k_mac,
        })
    }
}

impl KeyProvider for MemoryKeys {
    fn profile(&self) -> Profile {
        self.profile
    }

    fn encrypt(&mut self, data: &mut [u8]) -> Result<(), SamError> {
        self.k_enc.encrypt_cbc(&[0; 8], data)
    }

    fn decrypt(&mut self, data: &mut [u8]) -> Result<(), SamError> {
        self.k_enc.decrypt_cbc(&[0; 8], data)
    }

    fn mac(&mut self, data: &[u8]) -> Result<[u8; 8], SamError> {
        Ok(self.k_mac.retail_mac(data, Padding::Method2))
    }
}

impl<K: KeyProvider + ?Sized> KeyProvider for &mut K {
    fn profile(&self) -> Profile {
        (**self).profile()
    }
    fn encrypt(&mut self, data: &mut [u8]) -> Result<(), SamError> {
        (**self).encrypt(data)
    }
    fn decrypt(&mut self, data: &mut [u8]) -> Result<(), SamError> {
        (**self).decrypt(data)
    }
    fn mac(&mut self, data: &[u8]) -> Result<[u8; 8], SamError> {
        (**self).mac(data)
    }
}

/// Length of RND.IFD / RND.IC.
pub const NONCE_LEN: usize = 8;
/// Length of K.IFD / K.IC.
pub const KEY_MATERIAL_LEN: usize = 16;
/// Length of the MUTUAL AUTHENTICATE data (E ‖ M).
pub const AUTH_DATA_LEN: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    AwaitChallenge,
    AwaitAuthenticate,
    Done,
    Closed,
}

/// Reader-side mutual authentication (see the module docs for the steps).
///
/// ```
/// use ktpel_core::sam::auth::{MemoryKeys, MutualAuth};
/// use ktpel_core::sam::kdf::Profile;
/// use ktpel_core::sam::sim::VirtualChip;
///
/// let seed = [0x42u8; 16];
/// let mut chip = VirtualChip::demo(Profile::KtpEl, &seed, 1);
/// let keys = MemoryKeys::from_seed(Profile::KtpEl, &seed).unwrap();
/// let mut auth = MutualAuth::new(keys, [1; 8], [2; 16]);
/// let cmd = auth.get_challenge().unwrap();
/// let resp = chip.process(&cmd.to_bytes());
/// let cmd = auth.on_challenge(&resp).unwrap();
/// let resp = chip.process(&cmd.to_bytes());
/// let session = auth.on_authenticate(&resp).unwrap();
/// assert_eq!(session.ssc(), chip.session_ssc().unwrap());
/// ```
pub struct MutualAuth<K: KeyProvider> {
    keys: K,
    state: State,
    rnd_ifd: [u8; NONCE_LEN],
    k_ifd: Zeroizing<[u8; KEY_MATERIAL_LEN]>,
    rnd_ic: [u8; NONCE_LEN],
}

impl<K: KeyProvider> core::fmt::Debug for MutualAuth<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MutualAuth")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<K: KeyProvider> MutualAuth<K> {
    /// A new run with the reader's fresh random RND.IFD and K.IFD (the caller
    /// supplies randomness so this works without an OS; see
    /// [`new_random`](Self::new_random) with `std`).
    pub fn new(keys: K, rnd_ifd: [u8; NONCE_LEN], k_ifd: [u8; KEY_MATERIAL_LEN]) -> Self {
        MutualAuth {
            keys,
            state: State::Start,
            rnd_ifd,
            k_ifd: Zeroizing::new(k_ifd),
            rnd_ic: [0; NONCE_LEN],
        }
    }

    /// A new run with RND.IFD and K.IFD from the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn new_random(keys: K) -> Result<Self, SamError> {
        let mut rnd = [0u8; NONCE_LEN];
        let mut k = Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        super::os_random(&mut rnd)?;
        super::os_random(&mut k[..])?;
        Ok(Self::new(keys, rnd, *k))
    }

    /// The profile of the keys.
    pub fn profile(&self) -> Profile {
        self.keys.profile()
    }

    fn fail<T>(&mut self, e: SamError) -> Result<T, SamError> {
        self.state = State::Closed;
        Err(e)
    }

    fn expect(&mut self, state: State, step: &'static str) -> Result<(), SamError> {
        match self.state {
            s if s == state => Ok(()),
            State::Closed => Err(SamError::SessionClosed),
            _ => self.fail(SamError::WrongState { expected: step }),
        }
    }

    /// Step 1: the GET CHALLENGE command.
    pub fn get_challenge(&mut self) -> Result<CommandApdu, SamError> {
        self.expect(State::Start, "get_challenge first")?;
        self.state = State::AwaitChallenge;
        Ok(CommandApdu::new(
            0x00,
            0x84,
            0x00,
            0x00,
            Vec::new(),
            Some(8),
        ))
    }

    /// Step 2: takes the GET CHALLENGE response (raw bytes with status word)
    /// and returns the MUTUAL AUTHENTICATE command.
    pub fn on_challenge(&mut self, rapdu: &[u8]) -> Result<CommandApdu, SamError> {
        self.expect(State::AwaitChallenge, "on_challenge after get_challenge")?;
        let resp = match ResponseApdu::parse(rapdu) {
            Ok(r) => r,
            Err(e) => return self.fail(e),
        };
        if resp.sw.0 != 0x9000 {
            return self.fail(SamError::CardError {
                command: "GET CHALLENGE",
                sw: resp.sw,
            });
        }
        if resp.data.len() != NONCE_LEN {
            return self.fail(SamError::AuthResponseLength {
                step: "GET CHALLENGE",
                expected: NONCE_LEN,
                got: resp.data.len(),
            });
        }
        self.rnd_ic.copy_from_slice(&resp.data);
        let mut s = Zeroizing::new(Vec::with_capacity(AUTH_DATA_LEN));
        s.extend_from_slice(&self.rnd_ifd);
        s.extend_from_slice(&self.rnd_ic);
        s.extend_from_slice(&self.k_ifd[..]);
        if let Err(e) = self.keys.encrypt(&mut s) {
            return self.fail(e);
        }
        let m = match self.keys.mac(&s) {
            Ok(m) => m,
            Err(e) => return self.fail(e),
        };
        let mut data = s.to_vec();
        data.extend_from_slice(&m);
        self.state = State::AwaitAuthenticate;
        Ok(CommandApdu::new(
            0x00,
            0x82,
            0x00,
            0x00,
            data,
            Some(AUTH_DATA_LEN as u32),
        ))
    }

    /// Step 3: takes the MUTUAL AUTHENTICATE response and returns the
    /// secure messaging session.
    pub fn on_authenticate(&mut self, rapdu: &[u8]) -> Result<SecureMessaging, SamError> {
        self.expect(
            State::AwaitAuthenticate,
            "on_authenticate after on_challenge",
        )?;
        let resp = match ResponseApdu::parse(rapdu) {
            Ok(r) => r,
            Err(e) => return self.fail(e),
        };
        if resp.sw.0 != 0x9000 {
            return self.fail(SamError::CardError {
                command: "MUTUAL AUTHENTICATE",
                sw: resp.sw,
            });
        }
        if resp.data.len() != AUTH_DATA_LEN {
            return self.fail(SamError::AuthResponseLength {
                step: "MUTUAL AUTHENTICATE",
                expected: AUTH_DATA_LEN,
                got: resp.data.len(),
            });
        }
        let (e_ic, m_ic) = resp.data.split_at(32);
        let mac = match self.keys.mac(e_ic) {
            Ok(m) => m,
            Err(e) => return self.fail(e),
        };
        if !bool::from(mac.ct_eq(m_ic)) {
            return self.fail(SamError::AuthMacMismatch);
        }
        let mut r = Zeroizing::new(e_ic.to_vec());
        if let Err(e) = self.keys.decrypt(&mut r) {
            return self.fail(e);
        }
        let nonces_ok = r[..8].ct_eq(&self.rnd_ic) & r[8..16].ct_eq(&self.rnd_ifd);
        if !bool::from(nonces_ok) {
            return self.fail(SamError::AuthNonceMismatch);
        }
        let mut seed = Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        for (i, s) in seed.iter_mut().enumerate() {
            *s = self.k_ifd[i] ^ r[16 + i];
        }
        let keys = match SessionKeys::derive(self.keys.profile(), &seed[..]) {
            Ok(k) => k,
            Err(e) => return self.fail(e),
        };
        self.state = State::Done;
        Ok(SecureMessaging::new(
            keys,
            initial_ssc(&self.rnd_ic, &self.rnd_ifd),
        ))
    }
}

/// `SSC = RND.IC[4..8] ‖ RND.IFD[4..8]` as a big-endian integer.
pub fn initial_ssc(rnd_ic: &[u8; NONCE_LEN], rnd_ifd: &[u8; NONCE_LEN]) -> u64 {
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&rnd_ic[4..]);
    b[4..].copy_from_slice(&rnd_ifd[4..]);
    u64::from_be_bytes(b)
}
