//! Transport layer: `IKD1:` + Base45 (RFC 9285) of zlib (RFC 1950) of the
//! COSE bytes.

use super::error::QrError;
use alloc::string::String;
use alloc::vec::Vec;

/// The prefix of every version-1 token.
pub const PREFIX: &str = "IKD1:";

/// The longest token text accepted, in characters: the alphanumeric capacity
/// of the largest QR code (version 40, error correction L).
pub const MAX_TOKEN_CHARS: usize = 4296;

/// The largest decompressed COSE object accepted, in bytes (zip-bomb bound).
/// A typical token is about 350 bytes.
pub const MAX_DECOMPRESSED_BYTES: usize = 16 * 1024;

/// The zlib level used by issuers (the output is mostly ciphertext, so the
/// level barely matters; 9 gives the smallest result for unencrypted tokens).
const ZLIB_LEVEL: u8 = 9;

/// Wraps COSE bytes into token text.
pub(crate) fn encode(cose: &[u8]) -> (String, Vec<u8>) {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(cose, ZLIB_LEVEL);
    let mut s = String::with_capacity(PREFIX.len() + z.len() * 3 / 2 + 2);
    s.push_str(PREFIX);
    s.push_str(&base45::encode(&z));
    (s, z)
}

/// Base45 value of a character, if it is in the RFC 9285 alphabet.
fn b45(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A'..=b'Z' => (c - b'A') as u32 + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return None,
    })
}

/// Wraps COSE bytes into token text: `IKD1:` + Base45(zlib(cose)).
pub fn encode_transport(cose: &[u8]) -> String {
    encode(cose).0
}

/// Unwraps token text into the COSE bytes it carries (no cryptographic
/// check), enforcing [`MAX_TOKEN_CHARS`] and [`MAX_DECOMPRESSED_BYTES`].
pub fn decode_transport(token: &str) -> Result<Vec<u8>, QrError> {
    decode(token)
}

/// Unwraps token text into COSE bytes, enforcing the size limits.
pub(crate) fn decode(token: &str) -> Result<Vec<u8>, QrError> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(QrError::TokenTooLarge {
            what: "token text",
            limit: MAX_TOKEN_CHARS,
        });
    }
    let body = match token.strip_prefix(PREFIX) {
        Some(b) => b,
        None => {
            let b = token.as_bytes();
            let digits = b
                .get(3..)
                .map(|r| r.iter().take_while(|c| c.is_ascii_digit()).count())
                .unwrap_or(0);
            if b.starts_with(b"IKD") && digits > 0 && b.get(3 + digits) == Some(&b':') {
                return Err(QrError::UnknownVersion);
            }
            return Err(QrError::malformed("the text does not start with IKD1:"));
        }
    };
    let bytes = body.as_bytes();
    // RFC 9285 §4: a trailing pair encodes one byte, so its value must be < 256;
    // the crate truncates instead, so reject non-canonical pairs here.
    if bytes.len() % 3 == 2 {
        let n = bytes.len();
        if let (Some(a), Some(b)) = (b45(bytes[n - 2]), b45(bytes[n - 1])) {
            if a + b * 45 > 255 {
                return Err(QrError::malformed("the Base45 text is not canonical"));
            }
        }
    }
    let z = base45::decode(bytes).map_err(|_| QrError::malformed("the text is not Base45"))?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&z, MAX_DECOMPRESSED_BYTES).map_err(
        |e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => QrError::TokenTooLarge {
                what: "decompressed content",
                limit: MAX_DECOMPRESSED_BYTES,
            },
            _ => QrError::DecompressFailed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, HasCode};

    #[test]
    fn base45_matches_rfc9285_examples() {
        // RFC 9285 §4.3 examples.
        assert_eq!(base45::encode("AB"), "BB8");
        assert_eq!(base45::encode("Hello!!"), "%69 VD92EX0");
        assert_eq!(base45::encode("base-45"), "UJCLQE7W581");
        assert_eq!(base45::decode("QED8WEX0").unwrap(), b"ietf!");
    }

    #[test]
    fn round_trip_and_limits() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7) as u8).collect();
        let (t, _) = encode(&data);
        assert!(t.starts_with(PREFIX));
        assert_eq!(decode(&t).unwrap(), data);

        let code = |s: &str| decode(s).unwrap_err().code();
        assert_eq!(code("IKD2:AAA"), Code::UnknownVersion);
        assert_eq!(code("IKD17:AAA"), Code::UnknownVersion);
        assert_eq!(code("IKD:AAA"), Code::Malformed);
        assert_eq!(code("HC1:AAA"), Code::Malformed);
        assert_eq!(code("IKD1:aa"), Code::Malformed);
        // "GG" = 16 + 16*45 = 736 > 255: non-canonical.
        assert_eq!(code("IKD1:GG"), Code::Malformed);
        // Valid Base45, not zlib.
        assert_eq!(
            code(&alloc::format!("{PREFIX}{}", base45::encode([1, 2, 3, 4]))),
            Code::DecompressFailed
        );
        let long = alloc::format!("{PREFIX}{}", "0".repeat(MAX_TOKEN_CHARS));
        assert_eq!(code(&long), Code::TokenTooLarge);
        // A zip bomb: 1 MiB of zeros compresses to about 1 KiB.
        let bomb = alloc::vec![0u8; 1 << 20];
        let (t, _) = encode(&bomb);
        assert!(t.len() <= MAX_TOKEN_CHARS, "{}", t.len());
        assert_eq!(code(&t), Code::TokenTooLarge);
        // A flipped Adler-32 byte is caught.
        let (_, mut z) = encode(&data);
        let n = z.len();
        z[n - 1] ^= 1;
        assert_eq!(
            code(&alloc::format!("{PREFIX}{}", base45::encode(&z))),
            Code::DecompressFailed
        );
    }
}
