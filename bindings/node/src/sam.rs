//! SAM primitives, APDUs, secure messaging, mutual authentication, the
//! virtual chip and ECDSA P-256 verification. Bytes in and out are `Buffer`s.

use crate::error::{Result, guard, invalid_argument, to_js};
use ktpel_core::crypto::p256;
use ktpel_core::sam::StatusWord;
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu};
use ktpel_core::sam::auth::{MemoryKeys, MutualAuth as CoreAuth};
use ktpel_core::sam::kdf::{self, Profile};
use ktpel_core::sam::sim::VirtualChip as CoreChip;
use ktpel_core::sam::sm::SecureMessaging as CoreSm;
use ktpel_core::sam::tdes::{Padding, TdesKey};
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;

fn profile(name: &str) -> Result<Profile> {
    match name {
        "ktpel" => Ok(Profile::KtpEl),
        "icao" => Ok(Profile::Icao9303),
        _ => Err(invalid_argument(
            "profile",
            format!("{name:?} is not \"ktpel\" or \"icao\""),
        )),
    }
}

fn iv8(iv: &[u8]) -> Result<[u8; 8]> {
    iv.try_into()
        .map_err(|_| invalid_argument("iv", format!("expected 8 bytes, got {}", iv.len())))
}

/// 3DES-CBC encryption (16- or 24-byte key, 8-byte IV, data a multiple of 8 bytes).
#[napi]
pub fn tdes_encrypt_cbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array) -> Result<Buffer> {
    guard(|| {
        let k = TdesKey::new(&key).map_err(to_js)?;
        let mut d = data.to_vec();
        k.encrypt_cbc(&iv8(&iv)?, &mut d).map_err(to_js)?;
        Ok(d.into())
    })
}

/// 3DES-CBC decryption.
#[napi]
pub fn tdes_decrypt_cbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array) -> Result<Buffer> {
    guard(|| {
        let k = TdesKey::new(&key).map_err(to_js)?;
        let mut d = data.to_vec();
        k.decrypt_cbc(&iv8(&iv)?, &mut d).map_err(to_js)?;
        Ok(d.into())
    })
}

/// ISO 9797-1 MAC algorithm 3 (retail MAC) with padding method 1, 2 (default) or 3.
#[napi]
pub fn retail_mac(key: Uint8Array, data: Uint8Array, padding: Option<u32>) -> Result<Buffer> {
    guard(|| {
        let k = TdesKey::new(&key).map_err(to_js)?;
        let n = padding.unwrap_or(2);
        let p = u8::try_from(n)
            .ok()
            .and_then(Padding::from_number)
            .ok_or_else(|| invalid_argument("padding", format!("{n} is not 1, 2 or 3")))?;
        Ok(k.retail_mac(&data, p).to_vec().into())
    })
}

/// The profile's key derivation: key number `counter` (1 = ENC, 2 = MAC) from `seed`.
#[napi]
pub fn kdf(profile_name: String, seed: Uint8Array, counter: u32) -> Result<Buffer> {
    guard(|| {
        let k = kdf::kdf(profile(&profile_name)?, &seed, counter).map_err(to_js)?;
        Ok(k.expose_secret().to_vec().into())
    })
}

/// ICAO MRZ information (document number, birth and expiry dates with check digits).
#[napi]
pub fn mrz_information(document_number: String, birth: String, expiry: String) -> Result<String> {
    guard(|| {
        kdf::mrz_information(&document_number, &birth, &expiry).ok_or_else(|| {
            invalid_argument(
                "mrz",
                "document number or dates are not MRZ characters (A-Z, 0-9, <; dates YYMMDD)",
            )
        })
    })
}

/// ICAO key seed: the first 16 bytes of SHA-1 over the MRZ information.
#[napi]
pub fn icao_key_seed(mrz_information: String) -> Buffer {
    kdf::icao_key_seed(&mrz_information).to_vec().into()
}

/// SHA-256.
#[napi]
pub fn sha256(data: Uint8Array) -> Buffer {
    ktpel_core::crypto::sha256(&data).to_vec().into()
}

/// Verifies an ECDSA P-256 / SHA-256 signature (raw `r‖s` of 64 bytes, or DER)
/// over `message` with an SEC1 public key; throws `BAD_SIGNATURE`-style codes.
#[napi]
pub fn ecdsa_p256_verify(
    public_key: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
) -> Result<()> {
    guard(|| {
        let v = p256::default_verifier();
        if signature.len() == 64 {
            v.verify_raw(&public_key, &message, &signature)
        } else {
            v.verify_der(&public_key, &message, &signature)
        }
        .map_err(to_js)
    })
}

/// A command APDU.
#[napi(object)]
pub struct Apdu {
    /// Class byte.
    pub cla: u32,
    /// Instruction byte.
    pub ins: u32,
    /// Parameter 1.
    pub p1: u32,
    /// Parameter 2.
    pub p2: u32,
    /// Command data.
    pub data: Buffer,
    /// Expected response length, if any.
    pub le: Option<u32>,
}

fn byte(what: &str, v: u32) -> Result<u8> {
    u8::try_from(v).map_err(|_| invalid_argument(what, format!("{v} is not a byte")))
}

/// Parses a command APDU.
#[napi]
pub fn apdu_parse(bytes: Uint8Array) -> Result<Apdu> {
    guard(|| {
        let c = CommandApdu::parse(&bytes).map_err(to_js)?;
        Ok(Apdu {
            cla: c.cla.into(),
            ins: c.ins.into(),
            p1: c.p1.into(),
            p2: c.p2.into(),
            data: c.data.into(),
            le: c.le,
        })
    })
}

fn command(a: &Apdu) -> Result<CommandApdu> {
    Ok(CommandApdu::new(
        byte("cla", a.cla)?,
        byte("ins", a.ins)?,
        byte("p1", a.p1)?,
        byte("p2", a.p2)?,
        a.data.to_vec(),
        a.le,
    ))
}

/// Encodes a command APDU.
#[napi]
pub fn apdu_encode(apdu: Apdu) -> Result<Buffer> {
    guard(|| Ok(command(&apdu)?.try_to_bytes().map_err(to_js)?.into()))
}

/// A response APDU: data and status word.
#[napi(object)]
pub struct Response {
    /// Response data.
    pub data: Buffer,
    /// Status word, e.g. `0x9000`.
    pub sw: u32,
}

/// Splits a response APDU into data and status word.
#[napi]
pub fn response_parse(bytes: Uint8Array) -> Result<Response> {
    guard(|| {
        let r = ResponseApdu::parse(&bytes).map_err(to_js)?;
        Ok(Response {
            data: r.data.into(),
            sw: r.sw.0.into(),
        })
    })
}

/// Secure messaging after mutual authentication (send sequence counter inside).
#[napi]
pub struct SecureMessaging {
    inner: CoreSm,
}

#[napi]
impl SecureMessaging {
    /// The send sequence counter as 16 upper-case hex digits.
    #[napi(getter)]
    pub fn ssc(&self) -> String {
        format!("{:016X}", self.inner.ssc())
    }

    /// Wraps a plain command APDU (bytes) into its protected form.
    #[napi]
    pub fn protect(&mut self, apdu: Uint8Array) -> Result<Buffer> {
        guard(|| {
            let c = CommandApdu::parse(&apdu).map_err(to_js)?;
            Ok(self.inner.protect(&c).map_err(to_js)?.to_bytes().into())
        })
    }

    /// Checks and decrypts a protected response APDU.
    #[napi]
    pub fn unprotect(&mut self, rapdu: Uint8Array) -> Result<Response> {
        guard(|| {
            let r = self.inner.unprotect(&rapdu).map_err(to_js)?;
            Ok(Response {
                data: r.data.into(),
                sw: r.sw.0.into(),
            })
        })
    }
}

/// Keys for mutual authentication: `{mrz}` (ICAO) or `{profile, seed}`.
#[napi(object)]
pub struct AuthKeys {
    /// ICAO MRZ information (document number, dates, check digits).
    pub mrz: Option<String>,
    /// `"ktpel"` or `"icao"` (with `seed`).
    pub profile: Option<String>,
    /// Key seed (with `profile`).
    pub seed: Option<Uint8Array>,
}

fn memory_keys(k: &AuthKeys) -> Result<MemoryKeys> {
    match (&k.mrz, &k.profile, &k.seed) {
        (Some(m), None, None) => MemoryKeys::from_mrz(m).map_err(to_js),
        (None, Some(p), Some(s)) => MemoryKeys::from_seed(profile(p)?, s).map_err(to_js),
        _ => Err(invalid_argument(
            "keys",
            "give either {mrz} or {profile, seed}",
        )),
    }
}

/// The reader side of mutual authentication, one step per card answer.
#[napi]
pub struct MutualAuth {
    inner: Option<CoreAuth<MemoryKeys>>,
}

#[napi]
impl MutualAuth {
    /// A state machine with the given keys; `rndIfd` (8 bytes) and `kIfd`
    /// (16 bytes) are drawn from the OS when omitted.
    #[napi(constructor)]
    pub fn new(
        keys: AuthKeys,
        rnd_ifd: Option<Uint8Array>,
        k_ifd: Option<Uint8Array>,
    ) -> Result<Self> {
        guard(|| {
            let keys = memory_keys(&keys)?;
            let inner = match (rnd_ifd, k_ifd) {
                (Some(r), Some(k)) => {
                    let r: [u8; 8] = r.as_ref().try_into().map_err(|_| {
                        invalid_argument("rndIfd", format!("expected 8 bytes, got {}", r.len()))
                    })?;
                    let k: [u8; 16] = k.as_ref().try_into().map_err(|_| {
                        invalid_argument("kIfd", format!("expected 16 bytes, got {}", k.len()))
                    })?;
                    CoreAuth::new(keys, r, k)
                }
                (None, None) => CoreAuth::new_random(keys).map_err(to_js)?,
                _ => return Err(invalid_argument("rndIfd, kIfd", "give both or neither")),
            };
            Ok(MutualAuth { inner: Some(inner) })
        })
    }

    fn auth(&mut self) -> Result<&mut CoreAuth<MemoryKeys>> {
        self.inner
            .as_mut()
            .ok_or_else(|| to_js(ktpel_core::sam::SamError::SessionClosed))
    }

    /// Step 1: the GET CHALLENGE command.
    #[napi]
    pub fn get_challenge(&mut self) -> Result<Buffer> {
        guard(|| {
            Ok(self
                .auth()?
                .get_challenge()
                .map_err(to_js)?
                .to_bytes()
                .into())
        })
    }

    /// Step 2: given the card's answer to GET CHALLENGE, the MUTUAL AUTHENTICATE command.
    #[napi]
    pub fn on_challenge(&mut self, rapdu: Uint8Array) -> Result<Buffer> {
        guard(|| {
            Ok(self
                .auth()?
                .on_challenge(&rapdu)
                .map_err(to_js)?
                .to_bytes()
                .into())
        })
    }

    /// Step 3: given the card's answer, the secure-messaging session.
    #[napi]
    pub fn on_authenticate(&mut self, rapdu: Uint8Array) -> Result<SecureMessaging> {
        guard(|| {
            let sm = self.auth()?.on_authenticate(&rapdu).map_err(to_js)?;
            self.inner = None;
            Ok(SecureMessaging { inner: sm })
        })
    }
}

/// A simulated KTP-el chip answering APDUs (for tests and demos).
#[napi]
pub struct VirtualChip {
    inner: CoreChip,
}

#[napi]
impl VirtualChip {
    /// The demo chip: keys from `seed` with the profile's KDF, a synthetic
    /// biodata file, randomness from `rngSeed`.
    #[napi(factory)]
    pub fn demo(profile_name: String, seed: Uint8Array, rng_seed: Option<u32>) -> Result<Self> {
        guard(|| {
            Ok(VirtualChip {
                inner: CoreChip::demo(profile(&profile_name)?, &seed, rng_seed.unwrap_or(0).into()),
            })
        })
    }

    /// Answers one command APDU (never throws: errors are status words).
    #[napi]
    pub fn process(&mut self, apdu: Uint8Array) -> Buffer {
        self.inner.process(&apdu).into()
    }

    /// Queues bytes the chip's random source returns next (test vectors).
    #[napi]
    pub fn push_random(&mut self, bytes: Uint8Array) {
        self.inner.rng_mut().push(&bytes);
    }

    /// Content of a file, if present.
    #[napi]
    pub fn file(&self, fid: u32) -> Option<Buffer> {
        let fid = u16::try_from(fid).ok()?;
        self.inner.file(fid).map(|b| b.to_vec().into())
    }
}

/// Meaning of a status word, e.g. `0x6982` → security status not satisfied.
#[napi]
pub fn status_word_meaning(sw: u32) -> Result<String> {
    let v = u16::try_from(sw).map_err(|_| invalid_argument("sw", "not a 16-bit status word"))?;
    Ok(StatusWord(v).meaning().to_string())
}
