//! A reader session: drives the sans-IO state machines over a
//! [`Transport`] — the virtual chip in-process, or a PC/SC reader
//! ([`pcsc`](super) feature).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::SamError;
use super::anticlone::{
    CHALLENGE_LEN, SecurityObject, TrustedIssuers, chip_auth_command, verify_chip_signature,
};
use super::apdu::{CommandApdu, ResponseApdu, StatusWord};
use super::auth::{KEY_MATERIAL_LEN, KeyProvider, MutualAuth, NONCE_LEN};
use super::sim::{FID_CHIP_PUBLIC_KEY, FID_SECURITY_OBJECT, VirtualChip};
use super::sm::SecureMessaging;
use crate::crypto::p256::{EcdsaP256Verifier, default_verifier};

/// Moves one command APDU to a card and returns its response APDU.
pub trait Transport {
    /// Sends `command` and returns the raw response (data ‖ SW1 SW2).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError>;
}

impl Transport for VirtualChip {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        Ok(self.process(command))
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        (**self).transmit(command)
    }
}

/// Bytes asked for per READ BINARY: the protected answer (DO'87 with padding,
/// DO'99, DO'8E, SW) then still fits a short response APDU.
pub const DEFAULT_READ_CHUNK: usize = 0xDF;

/// What [`ReaderSession::verify_document`] proved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDocument {
    /// Every signed file, checked against its signed hash.
    pub files: BTreeMap<u16, Vec<u8>>,
    /// The chip's public key, which also passed chip authentication.
    pub chip_public_key: Vec<u8>,
    /// Id of the document-signing key that signed the data.
    pub issuer_key_id: Vec<u8>,
}

/// A reader talking to one chip.
pub struct ReaderSession<T: Transport> {
    transport: T,
    sm: Option<SecureMessaging>,
    verifier: &'static dyn EcdsaP256Verifier,
    chunk: usize,
}

impl<T: Transport> core::fmt::Debug for ReaderSession<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReaderSession")
            .field("authenticated", &self.sm.is_some())
            .field("verifier", &self.verifier.name())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> ReaderSession<T> {
    /// A session over `transport`, using the default ECDSA verifier.
    pub fn new(transport: T) -> Self {
        ReaderSession {
            transport,
            sm: None,
            verifier: default_verifier(),
            chunk: DEFAULT_READ_CHUNK,
        }
    }

    /// Uses another ECDSA backend.
    pub fn with_verifier(mut self, verifier: &'static dyn EcdsaP256Verifier) -> Self {
        self.verifier = verifier;
        self
    }

    /// Sets the READ BINARY chunk size (1..=223 for short APDUs).
    pub fn with_read_chunk(mut self, chunk: usize) -> Self {
        self.chunk = chunk.clamp(1, 0x7FFF);
        self
    }

    /// The transport.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The secure messaging session, once authenticated.
    pub fn secure_messaging(&self) -> Option<&SecureMessaging> {
        self.sm.as_ref()
    }

    /// Runs mutual authentication with the reader's random RND.IFD and K.IFD.
    pub fn authenticate<K: KeyProvider>(
        &mut self,
        keys: K,
        rnd_ifd: [u8; NONCE_LEN],
        k_ifd: [u8; KEY_MATERIAL_LEN],
    ) -> Result<(), SamError> {
        self.sm = None;
        let mut auth = MutualAuth::new(keys, rnd_ifd, k_ifd);
        let cmd = auth.get_challenge()?;
        let resp = self.transport.transmit(&cmd.to_bytes())?;
        let cmd = auth.on_challenge(&resp)?;
        let resp = self.transport.transmit(&cmd.to_bytes())?;
        self.sm = Some(auth.on_authenticate(&resp)?);
        Ok(())
    }

    /// Mutual authentication with randomness from the operating system.
    #[cfg(feature = "std")]
    pub fn authenticate_random<K: KeyProvider>(&mut self, keys: K) -> Result<(), SamError> {
        let mut rnd = [0u8; NONCE_LEN];
        let mut k = zeroize::Zeroizing::new([0u8; KEY_MATERIAL_LEN]);
        super::os_random(&mut rnd)?;
        super::os_random(&mut k[..])?;
        self.authenticate(keys, rnd, *k)
    }

    /// Sends a command under secure messaging and returns the verified,
    /// decrypted response. A transport failure closes the session (the
    /// counters would no longer agree).
    pub fn transmit_secure(&mut self, cmd: &CommandApdu) -> Result<ResponseApdu, SamError> {
        let sm = self.sm.as_mut().ok_or(SamError::WrongState {
            expected: "authenticate before secure commands",
        })?;
        let protected = sm.protect(cmd)?;
        let raw = match self.transport.transmit(&protected.try_to_bytes()?) {
            Ok(r) => r,
            Err(e) => {
                sm.close();
                return Err(e);
            }
        };
        sm.unprotect(&raw)
    }

    /// SELECT a file by its 2-byte identifier.
    pub fn select(&mut self, fid: u16) -> Result<(), SamError> {
        let cmd = CommandApdu::new(0x00, 0xA4, 0x02, 0x0C, fid.to_be_bytes().to_vec(), None);
        let resp = self.transmit_secure(&cmd)?;
        if resp.sw != StatusWord::OK {
            return Err(SamError::CardError {
                command: "SELECT",
                sw: resp.sw,
            });
        }
        Ok(())
    }

    /// READ BINARY of up to `len` bytes at `offset` of the selected file.
    pub fn read_binary(&mut self, offset: u16, len: usize) -> Result<Vec<u8>, SamError> {
        if offset > 0x7FFF {
            return Err(SamError::InvalidLength {
                what: "READ BINARY offset",
                expected: "at most 32767",
                len: usize::from(offset),
            });
        }
        let o = offset.to_be_bytes();
        let cmd = CommandApdu::new(0x00, 0xB0, o[0], o[1], Vec::new(), Some(len as u32));
        let resp = self.transmit_secure(&cmd)?;
        if !resp.sw.is_success() {
            return Err(SamError::CardError {
                command: "READ BINARY",
                sw: resp.sw,
            });
        }
        Ok(resp.data)
    }

    /// Selects and reads a whole file (until a short read).
    pub fn read_file(&mut self, fid: u16) -> Result<Vec<u8>, SamError> {
        self.select(fid)?;
        let mut out = Vec::new();
        loop {
            let offset = u16::try_from(out.len())
                .ok()
                .filter(|o| *o <= 0x7FFF)
                .ok_or(SamError::InvalidLength {
                    what: "file",
                    expected: "at most 32767 bytes",
                    len: out.len(),
                })?;
            let part = self.read_binary(offset, self.chunk)?;
            let done = part.len() < self.chunk;
            out.extend_from_slice(&part);
            if done {
                return Ok(out);
            }
        }
    }

    /// Chip authentication: the chip must sign `challenge` with the private
    /// key of `chip_public_key`.
    pub fn chip_authenticate(
        &mut self,
        chip_public_key: &[u8],
        challenge: &[u8; CHALLENGE_LEN],
    ) -> Result<(), SamError> {
        let resp = self.transmit_secure(&chip_auth_command(challenge))?;
        if resp.sw != StatusWord::OK {
            return Err(SamError::CardError {
                command: "INTERNAL AUTHENTICATE",
                sw: resp.sw,
            });
        }
        verify_chip_signature(self.verifier, chip_public_key, challenge, &resp.data)
    }

    /// The whole anti-cloning check: read and verify the security object
    /// against `issuers`, read every signed file and check its hash, then run
    /// chip authentication with the signed chip public key and the fresh
    /// `challenge`.
    pub fn verify_document(
        &mut self,
        issuers: &TrustedIssuers,
        challenge: [u8; CHALLENGE_LEN],
    ) -> Result<VerifiedDocument, SamError> {
        let so_bytes = self.read_file(FID_SECURITY_OBJECT)?;
        let so = SecurityObject::parse(&so_bytes)?;
        so.verify_signature(issuers, self.verifier)?;
        let mut files = BTreeMap::new();
        for (fid, _) in &so.hashes {
            let content = self.read_file(*fid)?;
            so.check_file(*fid, &content)?;
            files.insert(*fid, content);
        }
        let chip_public_key =
            files
                .get(&FID_CHIP_PUBLIC_KEY)
                .cloned()
                .ok_or(SamError::FileNotSigned {
                    fid: FID_CHIP_PUBLIC_KEY,
                })?;
        self.chip_authenticate(&chip_public_key, &challenge)?;
        Ok(VerifiedDocument {
            files,
            chip_public_key,
            issuer_key_id: so.issuer_key_id,
        })
    }
}
