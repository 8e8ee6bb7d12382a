//! ISO/IEC 7816-4 command and response APDUs: all four cases, short and
//! extended length, and status words with their meaning.
//!
//! Parsing never panics on any input; a malformed APDU is
//! [`SamError::ApduMalformed`].
//!
//! ```
//! use ktpel_core::sam::apdu::{CommandApdu, StatusWord};
//! let select = CommandApdu::new(0x00, 0xA4, 0x02, 0x0C, vec![0x01, 0x1E], None);
//! assert_eq!(select.to_bytes(), [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E]);
//! let parsed = CommandApdu::parse(&select.to_bytes()).unwrap();
//! assert_eq!(parsed, select);
//! assert_eq!(StatusWord(0x6A82).meaning(), "file or application not found");
//! ```

use alloc::vec::Vec;

use super::SamError;

/// A command APDU.
///
/// `le` is the number of response bytes expected: `None` (no Le field) or
/// 1..=65536 (256 is coded `00` in short form, 65536 `0000` in extended form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandApdu {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data (Lc = its length; empty means no Lc field).
    pub data: Vec<u8>,
    /// Expected response length, if any.
    pub le: Option<u32>,
    /// Force extended length encoding even when short would do.
    pub extended: bool,
}

impl CommandApdu {
    /// A command; extended encoding is chosen only when needed.
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8, data: Vec<u8>, le: Option<u32>) -> Self {
        CommandApdu {
            cla,
            ins,
            p1,
            p2,
            data,
            le,
            extended: false,
        }
    }

    /// ISO 7816-4 case: 1 (no data, no Le), 2 (Le), 3 (data), 4 (data and Le).
    pub fn case(&self) -> u8 {
        match (self.data.is_empty(), self.le.is_some()) {
            (true, false) => 1,
            (true, true) => 2,
            (false, false) => 3,
            (false, true) => 4,
        }
    }

    /// Whether [`to_bytes`](Self::to_bytes) uses extended length fields.
    pub fn is_extended(&self) -> bool {
        self.extended || self.data.len() > 255 || self.le.is_some_and(|le| le > 256)
    }

    /// The encoded APDU. Panics only if `data` exceeds 65535 bytes or `le`
    /// exceeds 65536, which no ISO 7816 APDU can carry; use
    /// [`try_to_bytes`](Self::try_to_bytes) for unchecked input.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.try_to_bytes()
            .expect("APDU data <= 65535 bytes and Le <= 65536")
    }

    /// The encoded APDU, or an error if a length does not fit.
    pub fn try_to_bytes(&self) -> Result<Vec<u8>, SamError> {
        if self.data.len() > 65535 {
            return Err(SamError::ApduMalformed {
                reason: "command data longer than 65535 bytes",
            });
        }
        if self.le.is_some_and(|le| le == 0 || le > 65536) {
            return Err(SamError::ApduMalformed {
                reason: "Le must be between 1 and 65536",
            });
        }
        let mut out = Vec::with_capacity(self.data.len() + 9);
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let ext = self.is_extended();
        if !self.data.is_empty() {
            if ext {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if ext {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % 65536) as u16).to_be_bytes());
            } else {
                out.push((le % 256) as u8);
            }
        }
        Ok(out)
    }

    /// Parses a command APDU (ISO/IEC 7816-3 §12.1.3 case detection).
    pub fn parse(b: &[u8]) -> Result<CommandApdu, SamError> {
        let bad = |reason| Err(SamError::ApduMalformed { reason });
        if b.len() < 4 {
            return bad("command APDU shorter than 4 bytes");
        }
        let mut c = CommandApdu::new(b[0], b[1], b[2], b[3], Vec::new(), None);
        let body = &b[4..];
        match body.len() {
            0 => {}
            1 => {
                c.le = Some(if body[0] == 0 {
                    256
                } else {
                    u32::from(body[0])
                })
            }
            _ if body[0] != 0 => {
                let lc = usize::from(body[0]);
                if body.len() == 1 + lc {
                    c.data = body[1..].to_vec();
                } else if body.len() == 2 + lc {
                    c.data = body[1..1 + lc].to_vec();
                    let le = body[1 + lc];
                    c.le = Some(if le == 0 { 256 } else { u32::from(le) });
                } else {
                    return bad("short Lc does not match the command length");
                }
            }
            2 => return bad("extended length field is truncated"),
            3 => {
                c.extended = true;
                let le = u32::from(u16::from_be_bytes([body[1], body[2]]));
                c.le = Some(if le == 0 { 65536 } else { le });
            }
            _ => {
                c.extended = true;
                let lc = usize::from(u16::from_be_bytes([body[1], body[2]]));
                if lc == 0 {
                    return bad("extended Lc is zero");
                }
                if body.len() == 3 + lc {
                    c.data = body[3..].to_vec();
                } else if body.len() == 5 + lc {
                    c.data = body[3..3 + lc].to_vec();
                    let le = u32::from(u16::from_be_bytes([body[3 + lc], body[4 + lc]]));
                    c.le = Some(if le == 0 { 65536 } else { le });
                } else {
                    return bad("extended Lc does not match the command length");
                }
            }
        }
        Ok(c)
    }
}

/// A status word SW1‖SW2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// `90 00`, normal processing.
    pub const OK: StatusWord = StatusWord(0x9000);
    /// `62 82`, end of file reached before Le bytes.
    pub const END_OF_FILE: StatusWord = StatusWord(0x6282);
    /// `67 00`, wrong length.
    pub const WRONG_LENGTH: StatusWord = StatusWord(0x6700);
    /// `69 82`, security status not satisfied.
    pub const SECURITY_STATUS: StatusWord = StatusWord(0x6982);
    /// `69 85`, conditions of use not satisfied.
    pub const CONDITIONS: StatusWord = StatusWord(0x6985);
    /// `69 87`, expected secure messaging data objects missing.
    pub const SM_MISSING: StatusWord = StatusWord(0x6987);
    /// `69 88`, incorrect secure messaging data objects.
    pub const SM_INCORRECT: StatusWord = StatusWord(0x6988);
    /// `6A 80`, incorrect parameters in the data field.
    pub const WRONG_DATA: StatusWord = StatusWord(0x6A80);
    /// `6A 82`, file not found.
    pub const FILE_NOT_FOUND: StatusWord = StatusWord(0x6A82);
    /// `6A 86`, incorrect P1/P2.
    pub const WRONG_P1P2: StatusWord = StatusWord(0x6A86);
    /// `6B 00`, offset outside the file.
    pub const WRONG_OFFSET: StatusWord = StatusWord(0x6B00);
    /// `6D 00`, instruction not supported.
    pub const INS_NOT_SUPPORTED: StatusWord = StatusWord(0x6D00);
    /// `6E 00`, class not supported.
    pub const CLA_NOT_SUPPORTED: StatusWord = StatusWord(0x6E00);

    /// SW1.
    pub fn sw1(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// SW2.
    pub fn sw2(self) -> u8 {
        self.0 as u8
    }

    /// Normal processing (`9000`, `61xx`) or a warning (`62xx`, `63xx`).
    pub fn is_success(self) -> bool {
        matches!(self.sw1(), 0x90 | 0x61 | 0x62 | 0x63) && !(self.sw1() == 0x90 && self.sw2() != 0)
    }

    /// What the status word means (ISO/IEC 7816-4 §5.6).
    pub fn meaning(self) -> &'static str {
        match (self.sw1(), self.sw2()) {
            (0x90, 0x00) => "normal processing",
            (0x61, _) => "normal processing; SW2 more response bytes available",
            (0x62, 0x81) => "warning: part of returned data may be corrupted",
            (0x62, 0x82) => "warning: end of file reached before reading Le bytes",
            (0x62, _) => "warning: state of non-volatile memory unchanged",
            (0x63, x) if x & 0xF0 == 0xC0 => "warning: counter (SW2 low nibble) tries left",
            (0x63, _) => "warning: state of non-volatile memory changed",
            (0x64, _) => "execution error: state of non-volatile memory unchanged",
            (0x65, 0x81) => "execution error: memory failure",
            (0x65, _) => "execution error: state of non-volatile memory changed",
            (0x67, 0x00) => "wrong length",
            (0x68, 0x82) => "secure messaging not supported",
            (0x68, _) => "function in CLA not supported",
            (0x69, 0x82) => "security status not satisfied",
            (0x69, 0x83) => "authentication method blocked",
            (0x69, 0x84) => "reference data not usable",
            (0x69, 0x85) => "conditions of use not satisfied",
            (0x69, 0x86) => "command not allowed (no current EF)",
            (0x69, 0x87) => "expected secure messaging data objects missing",
            (0x69, 0x88) => "incorrect secure messaging data objects",
            (0x69, _) => "command not allowed",
            (0x6A, 0x80) => "incorrect parameters in the command data field",
            (0x6A, 0x82) => "file or application not found",
            (0x6A, 0x86) => "incorrect parameters P1-P2",
            (0x6A, 0x88) => "referenced data not found",
            (0x6A, _) => "wrong parameters P1-P2",
            (0x6B, 0x00) => "wrong parameters (offset outside the EF)",
            (0x6C, _) => "wrong Le field; SW2 is the exact length",
            (0x6D, 0x00) => "instruction code not supported or invalid",
            (0x6E, 0x00) => "class not supported",
            (0x6F, 0x00) => "no precise diagnosis",
            _ => "unknown status word",
        }
    }
}

impl core::fmt::Display for StatusWord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:04X} ({})", self.0, self.meaning())
    }
}

/// A response APDU: data and a status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseApdu {
    /// Response data.
    pub data: Vec<u8>,
    /// Status word.
    pub sw: StatusWord,
}

impl ResponseApdu {
    /// A response from data and a status word.
    pub fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        ResponseApdu { data, sw }
    }

    /// Parses `data ‖ SW1 SW2`; needs at least 2 bytes.
    pub fn parse(b: &[u8]) -> Result<ResponseApdu, SamError> {
        if b.len() < 2 {
            return Err(SamError::ApduMalformed {
                reason: "response APDU shorter than 2 bytes (no status word)",
            });
        }
        let (data, sw) = b.split_at(b.len() - 2);
        Ok(ResponseApdu {
            data: data.to_vec(),
            sw: StatusWord(u16::from_be_bytes([sw[0], sw[1]])),
        })
    }

    /// `data ‖ SW1 SW2`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.data.len() + 2);
        v.extend_from_slice(&self.data);
        v.extend_from_slice(&self.sw.0.to_be_bytes());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn four_cases_short_and_extended() {
        let c1 = CommandApdu::new(0, 0x84, 0, 0, Vec::new(), None);
        assert_eq!(c1.to_bytes(), [0, 0x84, 0, 0]);
        let c2 = CommandApdu::new(0, 0x84, 0, 0, Vec::new(), Some(8));
        assert_eq!(c2.to_bytes(), [0, 0x84, 0, 0, 8]);
        let c2_256 = CommandApdu::new(0, 0xB0, 0, 0, Vec::new(), Some(256));
        assert_eq!(c2_256.to_bytes(), [0, 0xB0, 0, 0, 0]);
        let c2e = CommandApdu::new(0, 0xB0, 0, 0, Vec::new(), Some(65536));
        assert_eq!(c2e.to_bytes(), [0, 0xB0, 0, 0, 0, 0, 0]);
        let c3 = CommandApdu::new(0, 0xA4, 2, 0x0C, vec![1, 0x1E], None);
        assert_eq!(c3.to_bytes(), [0, 0xA4, 2, 0x0C, 2, 1, 0x1E]);
        let c4 = CommandApdu::new(0, 0x88, 0, 0, vec![9; 3], Some(256));
        assert_eq!(c4.to_bytes(), [0, 0x88, 0, 0, 3, 9, 9, 9, 0]);
        let c4e = CommandApdu::new(0, 0x88, 0, 0, vec![9; 300], Some(300));
        let b = c4e.to_bytes();
        assert_eq!(&b[4..7], [0, 1, 44]);
        assert_eq!(&b[b.len() - 2..], [1, 44]);
        for c in [c1, c2, c2_256, c2e, c3, c4, c4e] {
            let back = CommandApdu::parse(&c.to_bytes()).unwrap();
            assert_eq!(back.to_bytes(), c.to_bytes());
            assert_eq!(back.case(), c.case());
        }
    }

    #[test]
    fn malformed_commands_are_errors() {
        for b in [
            &[0u8, 1, 2][..],
            &[0, 0xA4, 0, 0, 3, 1, 2],
            &[0, 0xA4, 0, 0, 1, 1, 2, 3],
            &[0, 0xA4, 0, 0, 0, 1],
            &[0, 0xA4, 0, 0, 0, 0, 0, 1],
            &[0, 0xA4, 0, 0, 0, 0, 2, 1],
        ] {
            assert!(CommandApdu::parse(b).is_err(), "{b:?}");
        }
        assert!(ResponseApdu::parse(&[0x90]).is_err());
        let bad_le = CommandApdu::new(0, 0, 0, 0, Vec::new(), Some(0));
        assert!(bad_le.try_to_bytes().is_err());
    }

    #[test]
    fn status_words() {
        assert!(StatusWord::OK.is_success());
        assert!(StatusWord::END_OF_FILE.is_success());
        assert!(!StatusWord(0x9001).is_success());
        assert!(!StatusWord::SM_INCORRECT.is_success());
        assert_eq!(
            alloc::format!("{}", StatusWord(0x6982)),
            "6982 (security status not satisfied)"
        );
        let r = ResponseApdu::parse(&[1, 2, 0x90, 0]).unwrap();
        assert_eq!(r.data, [1, 2]);
        assert_eq!(r.to_bytes(), [1, 2, 0x90, 0]);
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(b in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(c) = CommandApdu::parse(&b) {
                prop_assert_eq!(c.to_bytes(), b.clone());
            }
            let _ = ResponseApdu::parse(&b);
        }

        #[test]
        fn encode_parse_round_trip(
            data in proptest::collection::vec(any::<u8>(), 0..400),
            le in proptest::option::of(1u32..=65536),
            ext in any::<bool>(),
        ) {
            let mut c = CommandApdu::new(0x0C, 0xB0, 1, 2, data, le);
            c.extended = ext;
            let back = CommandApdu::parse(&c.to_bytes()).unwrap();
            prop_assert_eq!(&back.data, &c.data);
            prop_assert_eq!(back.le, c.le);
        }
    }
}
