//! `sam` and `crypto`: TDES, retail MAC, KDF, APDUs, mutual authentication,
//! secure messaging, the virtual chip, ECDSA P-256 verification. Bytes in,
//! bytes out.

use ktpel_core::crypto::p256 as core_p256;
use ktpel_core::sam::apdu::{CommandApdu, ResponseApdu};
use ktpel_core::sam::auth::{KEY_MATERIAL_LEN, MemoryKeys, MutualAuth, NONCE_LEN};
use ktpel_core::sam::sim::VirtualChip;
use ktpel_core::sam::sm::{SecureMessaging, SessionKeys};
use ktpel_core::sam::tdes::{Padding, TdesKey};
use ktpel_core::sam::{Profile, SamError, kdf};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::error::{Origin, invalid_argument, to_py};

fn sam_err(e: SamError) -> PyErr {
    to_py(Origin::Sam, e)
}

fn profile(name: &str) -> PyResult<Profile> {
    Profile::from_name(name).ok_or_else(|| {
        invalid_argument(
            Origin::Sam,
            format!("profile: {name:?} is not \"ktpel\" or \"icao\""),
        )
    })
}

fn key(bytes: &[u8]) -> PyResult<TdesKey> {
    TdesKey::new(bytes).map_err(sam_err)
}

fn iv8(iv: &[u8]) -> PyResult<[u8; 8]> {
    iv.try_into()
        .map_err(|_| invalid_argument(Origin::Sam, "iv: must be 8 bytes"))
}

/// 3DES-CBC encryption of whole blocks.
#[pyfunction]
pub fn sam_tdes_encrypt_cbc<'py>(
    py: Python<'py>,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let mut buf = data.to_vec();
    self::key(key)?
        .encrypt_cbc(&iv8(iv)?, &mut buf)
        .map_err(sam_err)?;
    Ok(PyBytes::new(py, &buf))
}

/// 3DES-CBC decryption of whole blocks.
#[pyfunction]
pub fn sam_tdes_decrypt_cbc<'py>(
    py: Python<'py>,
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let mut buf = data.to_vec();
    self::key(key)?
        .decrypt_cbc(&iv8(iv)?, &mut buf)
        .map_err(sam_err)?;
    Ok(PyBytes::new(py, &buf))
}

/// ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with padding method 1, 2 or 3.
#[pyfunction]
#[pyo3(signature = (key, data, padding=2))]
pub fn sam_retail_mac<'py>(
    py: Python<'py>,
    key: &[u8],
    data: &[u8],
    padding: u8,
) -> PyResult<Bound<'py, PyBytes>> {
    let padding = Padding::from_number(padding)
        .ok_or_else(|| invalid_argument(Origin::Sam, "padding: must be 1, 2 or 3"))?;
    Ok(PyBytes::new(py, &self::key(key)?.retail_mac(data, padding)))
}

/// Key derivation of the profile (`ktpel`: SHA-256, 24-byte keys; `icao`: SHA-1, 16-byte keys).
#[pyfunction]
pub fn sam_kdf<'py>(
    py: Python<'py>,
    profile: &str,
    seed: &[u8],
    counter: u32,
) -> PyResult<Bound<'py, PyBytes>> {
    let k = kdf::kdf(self::profile(profile)?, seed, counter).map_err(sam_err)?;
    Ok(PyBytes::new(py, k.expose_secret()))
}

/// ISO/IEC 9797-1 padding method 2.
#[pyfunction]
pub fn sam_pad<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &ktpel_core::sam::tdes::pad_method2(data))
}

/// Removes padding method 2.
#[pyfunction]
pub fn sam_unpad<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    Ok(PyBytes::new(
        py,
        ktpel_core::sam::tdes::unpad_method2(data).map_err(sam_err)?,
    ))
}

/// A parsed command: `(cla, ins, p1, p2, data, le)`.
pub type CommandRow = (u8, u8, u8, u8, Vec<u8>, Option<u32>);

/// Parses a command APDU: `(cla, ins, p1, p2, data, le)`.
#[pyfunction]
pub fn sam_command_parse(apdu: &[u8]) -> PyResult<CommandRow> {
    let c = CommandApdu::parse(apdu).map_err(sam_err)?;
    Ok((c.cla, c.ins, c.p1, c.p2, c.data, c.le))
}

/// Encodes a command APDU (extended length only when needed).
#[pyfunction]
#[pyo3(signature = (cla, ins, p1, p2, data=Vec::new(), le=None))]
pub fn sam_command_build<'py>(
    py: Python<'py>,
    cla: u8,
    ins: u8,
    p1: u8,
    p2: u8,
    data: Vec<u8>,
    le: Option<u32>,
) -> PyResult<Bound<'py, PyBytes>> {
    let b = CommandApdu::new(cla, ins, p1, p2, data, le)
        .try_to_bytes()
        .map_err(sam_err)?;
    Ok(PyBytes::new(py, &b))
}

/// Parses a response APDU: `(data, sw)`.
#[pyfunction]
pub fn sam_response_parse(rapdu: &[u8]) -> PyResult<(Vec<u8>, u16)> {
    let r = ResponseApdu::parse(rapdu).map_err(sam_err)?;
    Ok((r.data, r.sw.0))
}

/// What a status word means.
#[pyfunction]
pub fn sam_status_meaning(sw: u16) -> &'static str {
    ktpel_core::sam::StatusWord(sw).meaning()
}

/// An established secure-messaging session.
#[pyclass(module = "ktpel._ktpel", name = "SecureMessaging")]
pub struct PySecureMessaging(SecureMessaging);

#[pymethods]
impl PySecureMessaging {
    /// A session from explicit session keys and send sequence counter.
    #[new]
    fn new(profile: &str, ks_enc: &[u8], ks_mac: &[u8], ssc: u64) -> PyResult<Self> {
        let keys = SessionKeys::from_keys(self::profile(profile)?, key(ks_enc)?, key(ks_mac)?);
        Ok(Self(SecureMessaging::new(keys, ssc)))
    }
    /// The send sequence counter.
    #[getter]
    fn ssc(&self) -> u64 {
        self.0.ssc()
    }
    /// Whether the session was closed (after an error).
    #[getter]
    fn closed(&self) -> bool {
        self.0.is_closed()
    }
    /// The session encryption key (secret).
    fn ks_enc<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.keys().ks_enc().expose_secret())
    }
    /// The session MAC key (secret).
    fn ks_mac<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.keys().ks_mac().expose_secret())
    }
    /// Protects a plain command APDU.
    fn protect<'py>(&mut self, py: Python<'py>, apdu: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let cmd = CommandApdu::parse(apdu).map_err(sam_err)?;
        let p = self.0.protect(&cmd).map_err(sam_err)?;
        Ok(PyBytes::new(py, &p.try_to_bytes().map_err(sam_err)?))
    }
    /// Checks and decrypts a protected response: `(data, sw)`.
    fn unprotect(&mut self, rapdu: &[u8]) -> PyResult<(Vec<u8>, u16)> {
        let r = self.0.unprotect(rapdu).map_err(sam_err)?;
        Ok((r.data, r.sw.0))
    }
    /// Closes the session (keys are zeroized).
    fn close(&mut self) {
        self.0.close();
    }
    fn __repr__(&self) -> String {
        format!(
            "SecureMessaging(ssc={:#018X}, closed={})",
            self.0.ssc(),
            self.0.is_closed()
        )
    }
}

/// The reader's side of mutual authentication, as a state machine.
#[pyclass(module = "ktpel._ktpel", name = "MutualAuth")]
pub struct PyMutualAuth(MutualAuth<MemoryKeys>);

#[pymethods]
impl PyMutualAuth {
    /// Keys derived from `k_seed` with the profile's KDF; `rnd_ifd` (8 bytes)
    /// and `k_ifd` (16 bytes) from the OS unless given.
    #[new]
    #[pyo3(signature = (profile, k_seed, rnd_ifd=None, k_ifd=None))]
    fn new(
        profile: &str,
        k_seed: &[u8],
        rnd_ifd: Option<&[u8]>,
        k_ifd: Option<&[u8]>,
    ) -> PyResult<Self> {
        let keys = MemoryKeys::from_seed(self::profile(profile)?, k_seed).map_err(sam_err)?;
        match (rnd_ifd, k_ifd) {
            (None, None) => MutualAuth::new_random(keys).map(Self).map_err(sam_err),
            (Some(r), Some(k)) => {
                let r: [u8; NONCE_LEN] = r
                    .try_into()
                    .map_err(|_| invalid_argument(Origin::Sam, "rnd_ifd: must be 8 bytes"))?;
                let k: [u8; KEY_MATERIAL_LEN] = k
                    .try_into()
                    .map_err(|_| invalid_argument(Origin::Sam, "k_ifd: must be 16 bytes"))?;
                Ok(Self(MutualAuth::new(keys, r, k)))
            }
            _ => Err(invalid_argument(
                Origin::Sam,
                "rnd_ifd and k_ifd: give both or neither",
            )),
        }
    }
    /// Step 1: the GET CHALLENGE command.
    fn get_challenge<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let c = self.0.get_challenge().map_err(sam_err)?;
        Ok(PyBytes::new(py, &c.try_to_bytes().map_err(sam_err)?))
    }
    /// Step 2: the chip's answer to GET CHALLENGE → the MUTUAL AUTHENTICATE command.
    fn on_challenge<'py>(
        &mut self,
        py: Python<'py>,
        rapdu: &[u8],
    ) -> PyResult<Bound<'py, PyBytes>> {
        let c = self.0.on_challenge(rapdu).map_err(sam_err)?;
        Ok(PyBytes::new(py, &c.try_to_bytes().map_err(sam_err)?))
    }
    /// Step 3: the chip's answer to MUTUAL AUTHENTICATE → the secure-messaging session.
    fn on_authenticate(&mut self, rapdu: &[u8]) -> PyResult<PySecureMessaging> {
        self.0
            .on_authenticate(rapdu)
            .map(PySecureMessaging)
            .map_err(sam_err)
    }
}

/// A simulated KTP-el chip that answers APDUs (for tests and demos).
#[pyclass(module = "ktpel._ktpel", name = "VirtualChip")]
pub struct PyVirtualChip(VirtualChip);

#[pymethods]
impl PyVirtualChip {
    /// A demo chip with keys from `k_seed`, randomness from `rng_seed`.
    #[staticmethod]
    #[pyo3(signature = (profile, k_seed, rng_seed=0))]
    fn demo(profile: &str, k_seed: &[u8], rng_seed: u64) -> PyResult<Self> {
        Ok(Self(VirtualChip::demo(
            self::profile(profile)?,
            k_seed,
            rng_seed,
        )))
    }
    /// Answers one command APDU with a response APDU.
    fn process<'py>(&mut self, py: Python<'py>, apdu: &[u8]) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.process(apdu))
    }
    /// The answer to reset.
    fn atr<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.atr())
    }
    /// Resets the chip (drops any session).
    fn reset(&mut self) {
        self.0.reset();
    }
    /// Content of an elementary file, if present.
    fn file(&self, fid: u16) -> Option<Vec<u8>> {
        self.0.file(fid).map(<[u8]>::to_vec)
    }
    /// Commands processed so far.
    #[getter]
    fn commands_processed(&self) -> u64 {
        self.0.commands_processed()
    }
}

/// ECDSA P-256 / SHA-256 verification (raw r‖s or DER signature). Raises
/// CryptoError (e.g. `ECDSA_BAD_SIGNATURE`) unless valid.
#[pyfunction]
#[pyo3(signature = (public_key_sec1, message, signature, der=false))]
pub fn crypto_p256_verify(
    py: Python<'_>,
    public_key_sec1: &[u8],
    message: &[u8],
    signature: &[u8],
    der: bool,
) -> PyResult<()> {
    let v = core_p256::default_verifier();
    let r = py.detach(|| {
        if der {
            v.verify_der(public_key_sec1, message, signature)
        } else {
            v.verify_raw(public_key_sec1, message, signature)
        }
    });
    r.map_err(|e| to_py(Origin::Crypto, e))
}

/// ECDSA P-256 / SHA-256 signature of `message` with the private scalar
/// (32 bytes): raw r‖s, or DER with `der`. Deterministic (RFC 6979).
#[pyfunction]
#[pyo3(signature = (private_scalar, message, der=false))]
pub fn crypto_p256_sign<'py>(
    py: Python<'py>,
    private_scalar: &[u8],
    message: &[u8],
    der: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let k = core_p256::P256SigningKey::from_bytes(private_scalar)
        .map_err(|e| to_py(Origin::Crypto, e))?;
    Ok(if der {
        PyBytes::new(py, &k.sign_der(message))
    } else {
        PyBytes::new(py, &k.sign_raw(message))
    })
}

/// The uncompressed SEC1 public key of a private scalar.
#[pyfunction]
pub fn crypto_p256_public_key<'py>(
    py: Python<'py>,
    private_scalar: &[u8],
) -> PyResult<Bound<'py, PyBytes>> {
    let k = core_p256::P256SigningKey::from_bytes(private_scalar)
        .map_err(|e| to_py(Origin::Crypto, e))?;
    Ok(PyBytes::new(py, &k.public_key_sec1()))
}

/// Registers the functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySecureMessaging>()?;
    m.add_class::<PyMutualAuth>()?;
    m.add_class::<PyVirtualChip>()?;
    m.add_function(wrap_pyfunction!(sam_tdes_encrypt_cbc, m)?)?;
    m.add_function(wrap_pyfunction!(sam_tdes_decrypt_cbc, m)?)?;
    m.add_function(wrap_pyfunction!(sam_retail_mac, m)?)?;
    m.add_function(wrap_pyfunction!(sam_kdf, m)?)?;
    m.add_function(wrap_pyfunction!(sam_pad, m)?)?;
    m.add_function(wrap_pyfunction!(sam_unpad, m)?)?;
    m.add_function(wrap_pyfunction!(sam_command_parse, m)?)?;
    m.add_function(wrap_pyfunction!(sam_command_build, m)?)?;
    m.add_function(wrap_pyfunction!(sam_response_parse, m)?)?;
    m.add_function(wrap_pyfunction!(sam_status_meaning, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_p256_verify, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_p256_sign, m)?)?;
    m.add_function(wrap_pyfunction!(crypto_p256_public_key, m)?)?;
    Ok(())
}
