//! A virtual KTP-el chip: static keys, files, mutual authentication, secure
//! messaging, chip authentication and fault injection.
//!
//! It answers raw command APDUs with raw response APDUs
//! ([`VirtualChip::process`]), so the same chip serves in-process tests, the
//! `ktpel sam selftest` command, the SAM-less tests of every binding and, via
//! [`vpcd`](super::vpcd), a real PC/SC stack.
//!
//! Commands: GET CHALLENGE (`84`), MUTUAL AUTHENTICATE (`82`), and under
//! secure messaging SELECT by file id (`A4 02 0C`), READ BINARY (`B0`,
//! 15-bit offset) and INTERNAL AUTHENTICATE (`88`, P-256 chip signature).
//! Files: [`FID_BIODATA`], [`FID_PHOTO`], [`FID_CHIP_PUBLIC_KEY`] and the
//! signed [`FID_SECURITY_OBJECT`].
//!
//! Randomness comes from a deterministic generator ([`ChipRandom`]) so tests
//! can replay published examples; a virtual chip is a test device, not a
//! secure element.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::anticlone::{SecurityObject, TrustedIssuers};
use super::apdu::{CommandApdu, ResponseApdu, StatusWord};
use super::auth::{
    AUTH_DATA_LEN, KEY_MATERIAL_LEN, KeyProvider, MemoryKeys, NONCE_LEN, initial_ssc,
};
use super::kdf::Profile;
use super::sm::{SecureMessaging, SessionKeys};
use crate::crypto::p256::P256SigningKey;

/// Demographic data file.
pub const FID_BIODATA: u16 = 0x0101;
/// Photo file (8 KiB in the demo chip).
pub const FID_PHOTO: u16 = 0x0102;
/// The chip's P-256 public key (65-byte SEC1 point).
pub const FID_CHIP_PUBLIC_KEY: u16 = 0x010F;
/// The issuer-signed security object.
pub const FID_SECURITY_OBJECT: u16 = 0x011D;

/// Key id of the demo document signer.
pub const DEMO_ISSUER_KEY_ID: &[u8] = b"KTPEL-DEMO-DS-01";

/// A fault the chip injects on purpose, to test that readers catch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Fault {
    /// Flip a bit of M.IC in the MUTUAL AUTHENTICATE answer.
    BadAuthMac,
    /// Return a wrong RND.IFD inside E.IC (properly MACed: a replayed answer).
    WrongNonce,
    /// Drop the last byte of the MUTUAL AUTHENTICATE answer.
    ShortAuthResponse,
    /// Append a byte to the MUTUAL AUTHENTICATE answer.
    LongAuthResponse,
    /// Flip a bit of DO'8E in secure messaging responses.
    BadMac,
    /// Protect responses with a replayed (not incremented) send sequence counter.
    ReplaySsc,
    /// Corrupt the INTERNAL AUTHENTICATE signature.
    WrongSignature,
}

/// Deterministic random bytes: queued bytes first, then
/// SHA-256(seed ‖ counter) blocks. For the virtual chip only.
#[derive(Debug, Clone)]
pub struct ChipRandom {
    seed: [u8; 32],
    counter: u64,
    queue: Vec<u8>,
}

impl ChipRandom {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        ChipRandom {
            seed: Sha256::digest(seed.to_be_bytes()).into(),
            counter: 0,
            queue: Vec::new(),
        }
    }

    /// Queues bytes to hand out next (e.g. RND.IC and K.IC of a published example).
    pub fn push(&mut self, bytes: &[u8]) {
        self.queue.extend_from_slice(bytes);
    }

    /// Fills `buf`.
    pub fn fill(&mut self, buf: &mut [u8]) {
        for b in buf.iter_mut() {
            if !self.queue.is_empty() {
                *b = self.queue.remove(0);
                continue;
            }
            let idx = (self.counter % 32) as usize;
            if idx == 0 {
                let block: [u8; 32] = Sha256::new()
                    .chain_update(self.seed)
                    .chain_update((self.counter / 32).to_be_bytes())
                    .finalize()
                    .into();
                self.seed = block;
            }
            *b = self.seed[idx];
            self.counter += 1;
        }
    }
}

enum ChipState {
    Idle,
    Challenged([u8; NONCE_LEN]),
    Secure {
        sm: SecureMessaging,
        selected: Option<u16>,
    },
}

/// A software KTP-el chip.
pub struct VirtualChip {
    keys: MemoryKeys,
    chip_key: P256SigningKey,
    files: BTreeMap<u16, Vec<u8>>,
    issuer_public_key: Vec<u8>,
    issuer_key_id: Vec<u8>,
    rng: ChipRandom,
    state: ChipState,
    faults: Vec<Fault>,
    commands: u64,
}

impl core::fmt::Debug for VirtualChip {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VirtualChip")
            .field("profile", &self.keys.profile())
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

fn sw(code: StatusWord) -> Vec<u8> {
    code.0.to_be_bytes().to_vec()
}

impl VirtualChip {
    /// A chip personalised with `files`; the chip's public key file and the
    /// security object (signed by `issuer` under `issuer_key_id`) are added.
    pub fn new(
        keys: MemoryKeys,
        chip_key: P256SigningKey,
        mut files: BTreeMap<u16, Vec<u8>>,
        issuer_key_id: &[u8],
        issuer: &P256SigningKey,
        rng: ChipRandom,
    ) -> Self {
        files.insert(FID_CHIP_PUBLIC_KEY, chip_key.public_key_sec1().to_vec());
        files.remove(&FID_SECURITY_OBJECT);
        let list: Vec<(u16, &[u8])> = files.iter().map(|(k, v)| (*k, v.as_slice())).collect();
        let so = SecurityObject::sign(issuer_key_id, &list, issuer);
        files.insert(FID_SECURITY_OBJECT, so);
        VirtualChip {
            keys,
            chip_key,
            files,
            issuer_public_key: issuer.public_key_sec1().to_vec(),
            issuer_key_id: issuer_key_id.to_vec(),
            rng,
            state: ChipState::Idle,
            faults: Vec::new(),
            commands: 0,
        }
    }

    /// The demo issuer's signing key (fixed, public: for tests only).
    pub fn demo_issuer() -> P256SigningKey {
        P256SigningKey::from_bytes(&Sha256::digest(b"ktpel demo document signer"))
            .expect("valid scalar")
    }

    /// A demo chip: keys from `seed` with the profile's KDF, a synthetic
    /// biodata record, an 8 KiB photo, a chip key and randomness from
    /// `rng_seed`, signed by [`demo_issuer`](Self::demo_issuer).
    pub fn demo(profile: Profile, seed: &[u8], rng_seed: u64) -> Self {
        let keys = MemoryKeys::from_seed(profile, seed).expect("KDF output is not weak");
        let mut rng = ChipRandom::new(rng_seed);
        let chip_key = P256SigningKey::generate(|b| rng.fill(b));
        let mut files = BTreeMap::new();
        files.insert(
            FID_BIODATA,
            b"NIK=3174095708900003;NAMA_LGKP=SITI AMINAH;TMPT_LHR=JAKARTA;TGL_LHR=17-08-1990;JENIS_KLMIN=PEREMPUAN;ALAMAT=JL. MERDEKA NO. 1;NO_RT=001;NO_RW=002;NO_PROP=31;NO_KAB=74;NO_KEC=09"
                .to_vec(),
        );
        let mut photo = alloc::vec![0u8; 8192];
        ChipRandom::new(0x0050_484F_544F).fill(&mut photo);
        files.insert(FID_PHOTO, photo);
        Self::new(
            keys,
            chip_key,
            files,
            DEMO_ISSUER_KEY_ID,
            &Self::demo_issuer(),
            rng,
        )
    }

    /// A clone of `genuine`: the same files and signed security object (which
    /// can be read out), but a different chip key, because the private key
    /// cannot be extracted. Chip authentication must catch it.
    pub fn clone_of(genuine: &VirtualChip, rng_seed: u64) -> Self {
        let mut rng = ChipRandom::new(rng_seed);
        let chip_key = P256SigningKey::generate(|b| rng.fill(b));
        VirtualChip {
            keys: genuine.keys.clone(),
            chip_key,
            files: genuine.files.clone(),
            issuer_public_key: genuine.issuer_public_key.clone(),
            issuer_key_id: genuine.issuer_key_id.clone(),
            rng,
            state: ChipState::Idle,
            faults: Vec::new(),
            commands: 0,
        }
    }

    /// The list of trusted issuers that accepts this chip's security object.
    pub fn trusted_issuers(&self) -> TrustedIssuers {
        let mut t = TrustedIssuers::new();
        t.add(&self.issuer_key_id, &self.issuer_public_key);
        t
    }

    /// The chip's random generator (to queue published nonces).
    pub fn rng_mut(&mut self) -> &mut ChipRandom {
        &mut self.rng
    }

    /// Replaces a file's content without re-signing (simulates altered data).
    pub fn tamper_file(&mut self, fid: u16, content: Vec<u8>) {
        self.files.insert(fid, content);
    }

    /// A file's content.
    pub fn file(&self, fid: u16) -> Option<&[u8]> {
        self.files.get(&fid).map(Vec::as_slice)
    }

    /// Turns a fault on.
    pub fn inject(&mut self, fault: Fault) {
        if !self.faults.contains(&fault) {
            self.faults.push(fault);
        }
    }

    /// Turns every fault off.
    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    fn has(&self, f: Fault) -> bool {
        self.faults.contains(&f)
    }

    /// The chip's SSC if a secure messaging session is open.
    pub fn session_ssc(&self) -> Option<u64> {
        match &self.state {
            ChipState::Secure { sm, .. } => Some(sm.ssc()),
            _ => None,
        }
    }

    /// Number of command APDUs processed.
    pub fn commands_processed(&self) -> u64 {
        self.commands
    }

    /// The answer-to-reset: T=1, historical bytes "KTP-el".
    pub fn atr(&self) -> Vec<u8> {
        let hist = b"KTP-el";
        let mut atr = alloc::vec![0x3B, 0x80 | hist.len() as u8, 0x80, 0x01];
        atr.extend_from_slice(hist);
        let tck = atr[1..].iter().fold(0u8, |a, b| a ^ b);
        atr.push(tck);
        atr
    }

    /// Power-off or reset: ends any session.
    pub fn reset(&mut self) {
        self.state = ChipState::Idle;
    }

    /// Processes one command APDU and returns the response APDU.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.commands += 1;
        let Ok(cmd) = CommandApdu::parse(apdu) else {
            return sw(StatusWord::WRONG_LENGTH);
        };
        if cmd.cla & 0x0C == 0x0C {
            return self.process_protected(&cmd);
        }
        if matches!(self.state, ChipState::Secure { .. }) {
            // A plain command ends the secure messaging session.
            self.state = ChipState::Idle;
            if cmd.ins != 0x84 {
                return sw(StatusWord::SM_MISSING);
            }
        }
        match cmd.ins {
            0x84 => self.get_challenge(&cmd),
            0x82 => self.mutual_authenticate(&cmd),
            0xA4 | 0xB0 | 0x88 => sw(StatusWord::SECURITY_STATUS),
            _ => sw(StatusWord::INS_NOT_SUPPORTED),
        }
    }

    fn get_challenge(&mut self, cmd: &CommandApdu) -> Vec<u8> {
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return sw(StatusWord::WRONG_P1P2);
        }
        if cmd.le != Some(NONCE_LEN as u32) || !cmd.data.is_empty() {
            return sw(StatusWord::WRONG_LENGTH);
        }
        let mut rnd = [0u8; NONCE_LEN];
        self.rng.fill(&mut rnd);
        self.state = ChipState::Challenged(rnd);
        ResponseApdu::new(rnd.to_vec(), StatusWord::OK).to_bytes()
    }

    fn mutual_authenticate(&mut self, cmd: &CommandApdu) -> Vec<u8> {
        let ChipState::Challenged(rnd_ic) = self.state else {
            return sw(StatusWord::CONDITIONS);
        };
        self.state = ChipState::Idle;
        if cmd.data.len() != AUTH_DATA_LEN {
            return sw(StatusWord::WRONG_LENGTH);
        }
        let (e_ifd, m_ifd) = cmd.data.split_at(32);
        let Ok(mac) = self.keys.mac(e_ifd) else {
            return sw(StatusWord(0x6F00));
        };
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&mac[..], m_ifd)) {
            return sw(StatusWord(0x6300));
        }
        let mut s = Zeroizing::new(e_ifd.to_vec());
        if self.keys.decrypt(&mut s).is_err() {
            return sw(StatusWord(0x6F00));
        }
        if s[8..16] != rnd_ic {
            return sw(StatusWord(0x6300));
        }
        let mut rnd_ifd = [0u8; NONCE_LEN];
        rnd_ifd.copy_from_slice(&s[..8]);
        let mut k_ic = Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        self.rng.fill(&mut k_ic[..]);
        let mut r = Zeroizing::new(Vec::with_capacity(32));
        r.extend_from_slice(&rnd_ic);
        r.extend_from_slice(&rnd_ifd);
        r.extend_from_slice(&k_ic[..]);
        if self.has(Fault::WrongNonce) {
            r[8] ^= 0x01;
        }
        let mut seed = Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        for i in 0..KEY_MATERIAL_LEN {
            seed[i] = s[16 + i] ^ k_ic[i];
        }
        let Ok(session) = SessionKeys::derive(self.keys.profile(), &seed[..]) else {
            return sw(StatusWord(0x6F00));
        };
        if self.keys.encrypt(&mut r).is_err() {
            return sw(StatusWord(0x6F00));
        }
        let Ok(mut m_ic) = self.keys.mac(&r) else {
            return sw(StatusWord(0x6F00));
        };
        if self.has(Fault::BadAuthMac) {
            m_ic[7] ^= 0x01;
        }
        let mut data = r.to_vec();
        data.extend_from_slice(&m_ic);
        if self.has(Fault::ShortAuthResponse) {
            data.pop();
        }
        if self.has(Fault::LongAuthResponse) {
            data.push(0x00);
        }
        self.state = ChipState::Secure {
            sm: SecureMessaging::new(session, initial_ssc(&rnd_ic, &rnd_ifd)),
            selected: None,
        };
        ResponseApdu::new(data, StatusWord::OK).to_bytes()
    }

    fn process_protected(&mut self, cmd: &CommandApdu) -> Vec<u8> {
        let ChipState::Secure { sm, .. } = &mut self.state else {
            return sw(StatusWord::CONDITIONS);
        };
        let plain = match sm.unprotect_command(cmd) {
            Ok(p) => p,
            Err(_) => {
                self.state = ChipState::Idle;
                return sw(StatusWord::SM_INCORRECT);
            }
        };
        let resp = self.execute(&plain);
        let replay = self.has(Fault::ReplaySsc);
        let bad_mac = self.has(Fault::BadMac);
        let ChipState::Secure { sm, .. } = &mut self.state else {
            return sw(StatusWord::CONDITIONS);
        };
        if replay {
            sm.rewind_ssc();
        }
        match sm.protect_response(&resp) {
            Ok(mut raw) => {
                if bad_mac {
                    let n = raw.len();
                    raw[n - 3] ^= 0x01; // last MAC byte, before SW1 SW2
                }
                raw
            }
            Err(_) => {
                self.state = ChipState::Idle;
                sw(StatusWord(0x6F00))
            }
        }
    }

    fn execute(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let err = |s: StatusWord| ResponseApdu::new(Vec::new(), s);
        let ChipState::Secure { selected, .. } = &mut self.state else {
            return err(StatusWord::CONDITIONS);
        };
        match cmd.ins {
            0xA4 => {
                if cmd.p1 != 0x02 || cmd.p2 != 0x0C {
                    return err(StatusWord::WRONG_P1P2);
                }
                if cmd.data.len() != 2 {
                    return err(StatusWord::WRONG_LENGTH);
                }
                let fid = u16::from_be_bytes([cmd.data[0], cmd.data[1]]);
                if self.files.contains_key(&fid) {
                    *selected = Some(fid);
                    err(StatusWord::OK)
                } else {
                    err(StatusWord::FILE_NOT_FOUND)
                }
            }
            0xB0 => {
                if cmd.p1 & 0x80 != 0 {
                    return err(StatusWord::WRONG_P1P2);
                }
                let Some(file) = selected.and_then(|f| self.files.get(&f)) else {
                    return err(StatusWord(0x6986));
                };
                let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
                let Some(le) = cmd.le else {
                    return err(StatusWord::WRONG_LENGTH);
                };
                if offset > file.len() {
                    return err(StatusWord::WRONG_OFFSET);
                }
                let end = file.len().min(offset + le as usize);
                let status = if end - offset < le as usize {
                    StatusWord::END_OF_FILE
                } else {
                    StatusWord::OK
                };
                ResponseApdu::new(file[offset..end].to_vec(), status)
            }
            0x88 => {
                if cmd.data.is_empty() || cmd.data.len() > 64 {
                    return err(StatusWord::WRONG_LENGTH);
                }
                let mut sig = self.chip_key.sign_raw(&cmd.data);
                if self.faults.contains(&Fault::WrongSignature) {
                    sig[63] ^= 0x01;
                }
                ResponseApdu::new(sig.to_vec(), StatusWord::OK)
            }
            _ => err(StatusWord::INS_NOT_SUPPORTED),
        }
    }
}
