//! Keyed deterministic tokens: HMAC-SHA-256 under an agency key over a
//! domain-separation label and a canonical input, truncated to 80 bits and
//! written `N1<kid>-<16 Crockford base32>` (see `docs/privacy.md`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use super::PrivacyError;
use crate::name;
use crate::nik::{self, Mode};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Version digit of the token format written by this release.
pub const TOKEN_VERSION: u8 = b'1';
/// Bytes of the HMAC-SHA-256 output kept in a token (80 bits).
///
/// Why 80: for n tokens the chance that any two different inputs share a
/// token is about n² / 2^81; for the whole register (n = 2.75 × 10^8) that
/// is 3 × 10^-8, and 3 × 10^-6 for ten times the population, while the
/// token stays 16 characters.
pub const MAC_BYTES: usize = 10;
/// Domain-separation label of NIK tokens (followed by the 16 digits).
pub const NIK_LABEL: &[u8] = b"ktpel/token/v1/nik\0";
/// Domain-separation label of element tokens (followed by
/// [`element_input`]).
pub const ELEMENT_LABEL: &[u8] = b"ktpel/token/v1/element\0";

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TEXT_CHARS: usize = MAC_BYTES * 8 / 5;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A NIK (prefix `N`).
    Nik,
    /// An element combination: name matching key + birth date (prefix `E`).
    Element,
}

impl TokenKind {
    const fn letter(self) -> u8 {
        match self {
            TokenKind::Nik => b'N',
            TokenKind::Element => b'E',
        }
    }
}

/// A parsed token: kind, key id and the truncated MAC.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// What the token stands for.
    pub kind: TokenKind,
    /// The key id it was made with.
    pub kid: String,
    /// The first [`MAC_BYTES`] bytes of the HMAC-SHA-256.
    pub mac: [u8; MAC_BYTES],
}

impl Token {
    /// Parses `N1<kid>-<16 chars>` or `E1<kid>-<16 chars>` (exactly as
    /// written: upper case, no spaces).
    ///
    /// ```
    /// use ktpel_core::privacy::{Token, TokenKind};
    /// let t = Token::parse("N1JKT1-0000000000000000").unwrap();
    /// assert_eq!((t.kind, t.kid.as_str()), (TokenKind::Nik, "JKT1"));
    /// assert!(Token::parse("N2JKT1-0000000000000000").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Token, PrivacyError> {
        let b = s.as_bytes();
        if b.len() < 2 + 1 + 1 + TEXT_CHARS {
            return Err(PrivacyError::InvalidToken("too short"));
        }
        let kind = match b[0] {
            b'N' => TokenKind::Nik,
            b'E' => TokenKind::Element,
            _ => return Err(PrivacyError::InvalidToken("it must start with N or E")),
        };
        if b[1] != TOKEN_VERSION {
            return Err(PrivacyError::InvalidToken("unknown token version"));
        }
        let dash = b.len() - TEXT_CHARS - 1;
        if b[dash] != b'-' {
            return Err(PrivacyError::InvalidToken(
                "the key id must be followed by '-' and 16 characters",
            ));
        }
        let kid = &s[2..dash];
        check_kid(kid).map_err(|_| PrivacyError::InvalidToken("the key id is malformed"))?;
        let mut mac = [0u8; MAC_BYTES];
        let mut acc: u128 = 0;
        for &c in &b[dash + 1..] {
            let v = CROCKFORD
                .iter()
                .position(|&x| x == c)
                .ok_or(PrivacyError::InvalidToken(
                    "a character outside Crockford base32",
                ))?;
            acc = acc << 5 | v as u128;
        }
        for (i, m) in mac.iter_mut().enumerate() {
            *m = (acc >> (8 * (MAC_BYTES - 1 - i))) as u8;
        }
        Ok(Token {
            kind,
            kid: kid.into(),
            mac,
        })
    }

    /// The first 8 MAC bytes as a number (a hash-table key for matching;
    /// equality of tokens still compares all of them).
    pub fn key64(&self) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.mac[..8]);
        u64::from_be_bytes(b)
    }
}

fn encode_into(kind: TokenKind, kid: &str, mac: &[u8; MAC_BYTES], out: &mut String) {
    out.reserve(3 + kid.len() + TEXT_CHARS);
    out.push(kind.letter() as char);
    out.push(TOKEN_VERSION as char);
    out.push_str(kid);
    out.push('-');
    let mut acc: u128 = 0;
    for &m in mac {
        acc = acc << 8 | u128::from(m);
    }
    for i in (0..TEXT_CHARS).rev() {
        out.push(CROCKFORD[((acc >> (5 * i)) & 31) as usize] as char);
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        encode_into(self.kind, &self.kid, &self.mac, &mut s);
        f.write_str(&s)
    }
}

fn check_kid(kid: &str) -> Result<(), PrivacyError> {
    if kid.is_empty()
        || kid.len() > 8
        || !kid
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return Err(PrivacyError::InvalidKey(
            "the key id must be 1 to 8 characters 0-9 A-Z",
        ));
    }
    Ok(())
}

/// An agency token key: a key id and 32 secret bytes, with the HMAC inner
/// and outer states computed once (each token clones them).
///
/// The secret and the HMAC states are zeroized on drop; `Debug` shows only
/// the key id.
#[derive(Clone)]
pub struct TokenKey {
    kid: String,
    secret: Zeroizing<[u8; 32]>,
    mac: HmacSha256,
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The canonical input of an element token: the name's
/// [`name::matching_key`], a unit separator, and the birth date as
/// `YYYY-MM-DD` (empty when unknown).
pub fn element_input(
    name_text: &str,
    birth_date: Option<NaiveDate>,
) -> Result<String, PrivacyError> {
    if let Some(a) = name::check(name_text)
        && a.severity() == name::Severity::Error
    {
        return Err(PrivacyError::InvalidName { code: a.code() });
    }
    let key = name::matching_key(name_text);
    if key.is_empty() {
        return Err(PrivacyError::InvalidName {
            code: crate::Code::Empty,
        });
    }
    let mut s = key;
    s.push('\x1f');
    if let Some(d) = birth_date {
        use core::fmt::Write;
        let _ = write!(s, "{}", d.format("%Y-%m-%d"));
    }
    Ok(s)
}

impl TokenKey {
    /// A key from its id (1–8 characters `0-9 A-Z`; goes into every token,
    /// so a new key after rotation gets a new id) and 32 secret bytes.
    pub fn new(kid: &str, secret: &[u8]) -> Result<TokenKey, PrivacyError> {
        check_kid(kid)?;
        if secret.len() != 32 {
            return Err(PrivacyError::InvalidKey(
                "the secret must be exactly 32 bytes",
            ));
        }
        let mut raw = Zeroizing::new([0u8; 32]);
        raw.copy_from_slice(secret);
        let mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
            .map_err(|_| PrivacyError::InvalidKey("the secret must be exactly 32 bytes"))?;
        Ok(TokenKey {
            kid: kid.into(),
            secret: raw,
            mac,
        })
    }

    /// A fresh key from the operating system's random generator.
    #[cfg(feature = "std")]
    pub fn generate(kid: &str) -> Result<TokenKey, PrivacyError> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut k[..])
            .map_err(|_| PrivacyError::InvalidKey("the system random generator failed"))?;
        TokenKey::new(kid, &k[..])
    }

    /// Reads a key file: one JWK `{"kty":"oct","kid":"…","alg":"HS256","k":"<base64url of 32 bytes>"}`
    /// (the JWK form the `qr` module uses for its keys).
    pub fn from_jwk(json: &str) -> Result<TokenKey, PrivacyError> {
        use base64ct::{Base64UrlUnpadded, Encoding};
        let jwk: crate::qr::Jwk = serde_json::from_str(json)
            .map_err(|_| PrivacyError::InvalidKey("the key file is not a JSON Web Key"))?;
        if jwk.kty != "oct" || jwk.alg.as_deref().is_some_and(|a| a != "HS256") {
            return Err(PrivacyError::InvalidKey(
                "the key file must hold an oct JWK with alg HS256",
            ));
        }
        let kid = jwk
            .kid
            .as_deref()
            .ok_or(PrivacyError::InvalidKey("the key file has no kid"))?;
        let k = jwk
            .k
            .as_deref()
            .ok_or(PrivacyError::InvalidKey("the key file has no k"))?;
        let secret = Zeroizing::new(
            Base64UrlUnpadded::decode_vec(k)
                .map_err(|_| PrivacyError::InvalidKey("k is not base64url"))?,
        );
        TokenKey::new(kid, &secret)
    }

    /// The key file (a secret JWK; keep it secret). Zeroized on drop.
    pub fn to_jwk(&self) -> Zeroizing<String> {
        use base64ct::{Base64UrlUnpadded, Encoding};
        let k = Zeroizing::new(Base64UrlUnpadded::encode_string(&self.secret[..]));
        let kid = serde_json::to_string(&self.kid).unwrap_or_default();
        let mut s = Zeroizing::new(String::new());
        s.push_str("{\"kty\":\"oct\",\"kid\":");
        s.push_str(&kid);
        s.push_str(",\"alg\":\"HS256\",\"k\":\"");
        s.push_str(&k);
        s.push_str("\"}");
        s
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The full HMAC-SHA-256 of `label || input` (what a token truncates).
    pub fn mac(&self, label: &[u8], input: &[u8]) -> [u8; 32] {
        let mut m = self.mac.clone();
        m.update(label);
        m.update(input);
        m.finalize().into_bytes().into()
    }

    fn token(&self, kind: TokenKind, label: &[u8], input: &[u8], out: &mut String) {
        let full = Zeroizing::new(self.mac(label, input));
        let mut mac = [0u8; MAC_BYTES];
        mac.copy_from_slice(&full[..MAC_BYTES]);
        encode_into(kind, &self.kid, &mac, out);
    }

    /// Tokenizes a NIK checked strictly against `reference` (the date that
    /// rules out future birth dates). An invalid NIK is an error carrying the
    /// NIK check's code: it never gets a token.
    pub fn tokenize_nik_at(
        &self,
        nik_text: &str,
        reference: NaiveDate,
    ) -> Result<String, PrivacyError> {
        let mut out = String::new();
        self.tokenize_nik_into(nik_text, reference, &mut out)?;
        Ok(out)
    }

    /// [`TokenKey::tokenize_nik_at`] appending to `out` (no allocation when
    /// `out` has room): the batch path.
    pub fn tokenize_nik_into(
        &self,
        nik_text: &str,
        reference: NaiveDate,
        out: &mut String,
    ) -> Result<(), PrivacyError> {
        let check = nik::check_at(nik_text, Mode::Strict, reference, None);
        if let Some(code) = check.code() {
            return Err(PrivacyError::InvalidNik { code });
        }
        // Strict mode accepts only the 16 digits themselves.
        self.token(TokenKind::Nik, NIK_LABEL, nik_text.as_bytes(), out);
        Ok(())
    }

    /// Tokenizes a NIK checked strictly against today's date.
    #[cfg(feature = "std")]
    pub fn tokenize_nik(&self, nik_text: &str) -> Result<String, PrivacyError> {
        self.tokenize_nik_at(
            nik_text,
            nik::CheckOptions::strict().resolved_reference_date(),
        )
    }

    /// Tokenizes the element combination name + birth date: the name's
    /// matching key (so `HJ. SITI AMINAH` and `SITI AMINAH`, `MOCH.` and
    /// `MUHAMMAD` give the same token) and the date. A name that is empty or
    /// not a name (the anomalies of `name::check`) is an error.
    pub fn tokenize_element(
        &self,
        name_text: &str,
        birth_date: Option<NaiveDate>,
    ) -> Result<String, PrivacyError> {
        let input = element_input(name_text, birth_date)?;
        let mut out = String::new();
        self.token(
            TokenKind::Element,
            ELEMENT_LABEL,
            input.as_bytes(),
            &mut out,
        );
        Ok(out)
    }

    /// Tokenizes many NIKs; one result per input, in order.
    pub fn tokenize_many(
        &self,
        niks: &[&str],
        reference: NaiveDate,
    ) -> Vec<Result<String, PrivacyError>> {
        niks.iter()
            .map(|n| self.tokenize_nik_at(n, reference))
            .collect()
    }

    /// Checks that `token` is a well-formed token of this key's id.
    pub fn check_token(&self, token: &str) -> Result<Token, PrivacyError> {
        let t = Token::parse(token)?;
        if t.kid != self.kid {
            return Err(PrivacyError::TokenKeyMismatch {
                expected: self.kid.clone(),
                found: t.kid,
            });
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn tokens_roundtrip_and_separate_domains() {
        let k = TokenKey::new("A1", &[1u8; 32]).unwrap();
        let t = k
            .tokenize_nik_at("3174015708900123", d(2024, 1, 1))
            .unwrap();
        assert_eq!(t.len(), 2 + 2 + 1 + 16);
        let p = Token::parse(&t).unwrap();
        assert_eq!(p.to_string(), t);
        assert_eq!(p.kind, TokenKind::Nik);
        let full = k.mac(NIK_LABEL, b"3174015708900123");
        assert_eq!(p.mac[..], full[..MAC_BYTES]);
        let e = k
            .tokenize_element("HJ. SITI AMINAH", Some(d(1990, 8, 17)))
            .unwrap();
        assert_eq!(
            e,
            k.tokenize_element("SITI AMINAH", Some(d(1990, 8, 17)))
                .unwrap()
        );
        assert_ne!(
            e,
            k.tokenize_element("SITI AMINAH", Some(d(1990, 8, 18)))
                .unwrap()
        );
        assert!(e.starts_with("E1A1-"));
    }

    #[test]
    fn invalid_inputs_get_codes_not_tokens() {
        let k = TokenKey::new("A1", &[1u8; 32]).unwrap();
        let e = k
            .tokenize_nik_at("317401570890012", d(2024, 1, 1))
            .unwrap_err();
        assert_eq!(crate::HasCode::code(&e), crate::Code::WrongLength);
        let e = k.tokenize_element("NN", None).unwrap_err();
        assert_eq!(crate::HasCode::code(&e), crate::Code::Placeholder);
        assert!(TokenKey::new("a1", &[1u8; 32]).is_err());
        assert!(TokenKey::new("A1", &[1u8; 31]).is_err());
    }

    #[test]
    fn jwk_roundtrip_and_debug_hides_secret() {
        let k = TokenKey::new("K9", &[0xAB; 32]).unwrap();
        let j = k.to_jwk();
        let k2 = TokenKey::from_jwk(&j).unwrap();
        assert_eq!(k.mac(b"x", b"y"), k2.mac(b"x", b"y"));
        let dbg = alloc::format!("{k:?}");
        assert!(!dbg.contains("AB") && !dbg.contains("qq"), "{dbg}");
    }

    #[test]
    fn parse_rejects_noncanonical() {
        for bad in [
            "",
            "N1-0000000000000000",
            "N1JKT1_0000000000000000",
            "N1JKT1-000000000000000I",
            "N1jkt1-0000000000000000",
            "X1A-0000000000000000",
        ] {
            assert!(Token::parse(bad).is_err(), "{bad}");
        }
    }
}
