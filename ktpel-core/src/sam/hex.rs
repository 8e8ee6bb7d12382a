//! Upper-case hexadecimal, the form every `sam` vector and CLI output uses.

use alloc::string::String;
use alloc::vec::Vec;

use super::SamError;

/// Encodes bytes as upper-case hex without separators.
///
/// ```
/// assert_eq!(ktpel_core::sam::hex::encode(&[0x0c, 0xA4]), "0CA4");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0F)] as char);
    }
    s
}

/// Decodes hex (either case); spaces, colons and dashes between bytes are
/// ignored. `what` names the argument in the error.
///
/// ```
/// assert_eq!(ktpel_core::sam::hex::decode("0c a4", "data").unwrap(), vec![0x0C, 0xA4]);
/// assert!(ktpel_core::sam::hex::decode("0CA", "data").is_err());
/// ```
pub fn decode(text: &str, what: &'static str) -> Result<Vec<u8>, SamError> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b' ' | b':' | b'-' | b'\n' | b'\r' | b'\t'))
        .collect();
    if digits.len() % 2 != 0 {
        return Err(SamError::InvalidHex { what });
    }
    let nibble = |c: u8| -> Result<u8, SamError> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(SamError::InvalidHex { what }),
        }
    };
    digits
        .chunks_exact(2)
        .map(|p| Ok((nibble(p[0])? << 4) | nibble(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(decode(&encode(&bytes), "x").unwrap(), bytes);
        }

        #[test]
        fn decode_never_panics(s in ".{0,40}") {
            let _ = decode(&s, "x");
        }
    }

    #[test]
    fn rejects_non_hex() {
        assert_eq!(
            decode("0G", "key"),
            Err(SamError::InvalidHex { what: "key" })
        );
    }
}
