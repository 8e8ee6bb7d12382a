//! A [`Transport`] over PC/SC (feature `pcsc`; needs `pcscd` at run time and
//! `libpcsclite-dev` + `pkg-config` to build).

use std::ffi::CString;

use super::SamError;
use super::reader::Transport;

fn err(what: &str, e: impl core::fmt::Display) -> SamError {
    SamError::Transport {
        reason: format!("{what}: {e}"),
    }
}

/// A card in a PC/SC reader.
pub struct PcscTransport {
    card: pcsc::Card,
    reader: String,
    buf: Vec<u8>,
}

impl core::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .finish_non_exhaustive()
    }
}

/// The names of the PC/SC readers present.
pub fn list_readers() -> Result<Vec<String>, SamError> {
    let ctx = pcsc::Context::establish(pcsc::Scope::User).map_err(|e| err("PC/SC context", e))?;
    let names = ctx
        .list_readers_owned()
        .map_err(|e| err("list readers", e))?;
    Ok(names
        .into_iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect())
}

impl PcscTransport {
    /// Connects (shared, T=1 or T=0) to the card in the first reader whose
    /// name contains `name_contains`.
    pub fn connect(name_contains: &str) -> Result<Self, SamError> {
        let ctx =
            pcsc::Context::establish(pcsc::Scope::User).map_err(|e| err("PC/SC context", e))?;
        let names = ctx
            .list_readers_owned()
            .map_err(|e| err("list readers", e))?;
        let name: CString = names
            .into_iter()
            .find(|n| n.to_string_lossy().contains(name_contains))
            .ok_or_else(|| SamError::Transport {
                reason: format!("no PC/SC reader whose name contains {name_contains:?}"),
            })?;
        let card = ctx
            .connect(&name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
            .map_err(|e| err("connect to card", e))?;
        Ok(PcscTransport {
            card,
            reader: name.to_string_lossy().into_owned(),
            buf: vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        })
    }

    /// The reader's name.
    pub fn reader_name(&self) -> &str {
        &self.reader
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, SamError> {
        let resp = self
            .card
            .transmit(command, &mut self.buf)
            .map_err(|e| err("transmit", e))?;
        Ok(resp.to_vec())
    }
}
