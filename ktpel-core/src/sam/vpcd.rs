//! Serves a [`VirtualChip`] to a real PC/SC stack through the vsmartcard
//! `vpcd` reader driver.
//!
//! `vpcd` (loaded by `pcscd`) listens on TCP port 35963; the virtual card
//! connects to it. Each message is a 2-byte big-endian length and a payload.
//! One-byte payloads are control codes — `0` power off, `1` power on,
//! `2` reset, `4` get ATR (answered with the ATR) — and longer payloads are
//! command APDUs, answered with the response APDU.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};

use super::sim::VirtualChip;

/// The port `vpcd` listens on by default.
pub const VPCD_PORT: u16 = 35963;

fn send(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "response too long for vpcd"))?;
    let mut msg = Vec::with_capacity(payload.len() + 2);
    msg.extend_from_slice(&len.to_be_bytes());
    msg.extend_from_slice(payload);
    stream.write_all(&msg)
}

/// Handles one vpcd message; returns the reply, if any.
pub fn handle_message(chip: &mut VirtualChip, payload: &[u8]) -> Option<Vec<u8>> {
    match payload {
        [0] | [1] | [2] => {
            chip.reset();
            None
        }
        [4] => Some(chip.atr()),
        [_] => None,
        apdu => Some(chip.process(apdu)),
    }
}

/// Connects to vpcd at `addr` and serves `chip` until the connection
/// closes (returns `Ok(())`) or fails. `max_messages` bounds the loop.
pub fn serve(
    chip: &mut VirtualChip,
    addr: impl ToSocketAddrs,
    max_messages: u64,
) -> io::Result<()> {
    serve_with(addr, max_messages, |payload| handle_message(chip, payload))
}

/// Like [`serve`], with any message handler (e.g. a chip behind a mutex
/// that a test swaps for a clone).
pub fn serve_with(
    addr: impl ToSocketAddrs,
    max_messages: u64,
    mut handler: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> io::Result<()> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    for _ in 0..max_messages {
        let mut len = [0u8; 2];
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let mut payload = vec![0u8; usize::from(u16::from_be_bytes(len))];
        stream.read_exact(&mut payload)?;
        if let Some(reply) = handler(&payload) {
            send(&mut stream, &reply)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sam::kdf::Profile;
    use std::net::TcpListener;

    #[test]
    fn speaks_the_vpcd_framing() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let mut chip = VirtualChip::demo(Profile::KtpEl, &[1; 16], 1);
            serve(&mut chip, addr, 100).unwrap();
        });
        let (mut s, _) = listener.accept().unwrap();
        let mut ask = |payload: &[u8], reply: bool| -> Vec<u8> {
            let mut m = (payload.len() as u16).to_be_bytes().to_vec();
            m.extend_from_slice(payload);
            s.write_all(&m).unwrap();
            if !reply {
                return Vec::new();
            }
            let mut l = [0u8; 2];
            s.read_exact(&mut l).unwrap();
            let mut r = vec![0u8; usize::from(u16::from_be_bytes(l))];
            s.read_exact(&mut r).unwrap();
            r
        };
        ask(&[1], false);
        let atr = ask(&[4], true);
        assert_eq!(atr[0], 0x3B);
        let r = ask(&[0x00, 0x84, 0x00, 0x00, 0x08], true);
        assert_eq!((r.len(), &r[8..]), (10, &[0x90, 0x00][..]));
        drop(s);
        server.join().unwrap();
    }
}
