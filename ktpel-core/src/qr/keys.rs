//! Keys: ES256 signing/verifying keys and A256GCM content keys, each with its
//! `kid`, read from PEM/DER (SPKI, PKCS#8), raw bytes, JWK and JWK Sets
//! (RFC 7517).

use super::error::QrError;
use super::es256;
use aes_gcm::aead::KeyInit;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64UrlUnpadded, Encoding};
use core::fmt;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// A trusted ES256 (P-256) public key with its key id.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    kid: Vec<u8>,
    key: es256::PublicKey,
}

/// An ES256 (P-256) private key with its key id. Zeroized on drop; `Debug`
/// shows only the kid.
#[derive(Clone)]
pub struct SigningKey {
    kid: Vec<u8>,
    key: es256::SecretKey,
}

/// An A256GCM content-encryption key (32 bytes) with its key id. Zeroized on
/// drop; `Debug` shows only the kid.
#[derive(Clone)]
pub struct EncryptionKey {
    kid: Vec<u8>,
    raw: Zeroizing<[u8; 32]>,
    cipher: aes_gcm::Aes256Gcm,
}

fn kid_debug(kid: &[u8]) -> String {
    match core::str::from_utf8(kid) {
        Ok(s) => String::from(s),
        Err(_) => super::hex_upper(kid),
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("kid", &kid_debug(&self.kid))
            .finish_non_exhaustive()
    }
}
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &kid_debug(&self.kid))
            .finish_non_exhaustive()
    }
}
impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionKey")
            .field("kid", &kid_debug(&self.kid))
            .finish_non_exhaustive()
    }
}

fn check_kid(kid: &[u8]) -> Result<(), QrError> {
    if kid.is_empty() || kid.len() > 64 {
        return Err(QrError::invalid_key("kid must be 1 to 64 bytes"));
    }
    Ok(())
}

impl VerifyingKey {
    /// From a SEC1-encoded P-256 point (65-byte uncompressed or 33-byte compressed).
    pub fn from_sec1(kid: impl Into<Vec<u8>>, point: &[u8]) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::PublicKey::from_sec1(point)
            .ok_or(QrError::invalid_key("not a P-256 public point"))?;
        Ok(VerifyingKey { kid, key })
    }

    /// From a DER SubjectPublicKeyInfo (RFC 5280) holding a P-256 key.
    pub fn from_spki_der(kid: impl Into<Vec<u8>>, der: &[u8]) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::PublicKey::from_spki_der(der).ok_or(QrError::invalid_key(
            "not a P-256 SubjectPublicKeyInfo (DER)",
        ))?;
        Ok(VerifyingKey { kid, key })
    }

    /// From a PEM `-----BEGIN PUBLIC KEY-----` block holding a P-256 key.
    pub fn from_spki_pem(kid: impl Into<Vec<u8>>, pem: &str) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::PublicKey::from_spki_pem(pem)
            .ok_or(QrError::invalid_key("not a P-256 PUBLIC KEY (PEM)"))?;
        Ok(VerifyingKey { kid, key })
    }

    /// From one JWK (`"kty":"EC","crv":"P-256"`, with `kid`, `x`, `y`).
    pub fn from_jwk(json: &str) -> Result<Self, QrError> {
        match Jwk::parse(json)?.into_key()? {
            Key::Signing(k) => Ok(k.verifying_key()),
            Key::Verifying(k) => Ok(k),
            Key::Encryption(_) => Err(QrError::invalid_key("expected an EC P-256 JWK")),
        }
    }

    /// The key id.
    pub fn kid(&self) -> &[u8] {
        &self.kid
    }

    /// The uncompressed SEC1 point `04 || x || y`.
    pub fn to_sec1_uncompressed(&self) -> [u8; 65] {
        self.key.to_uncompressed()
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.key.to_spki_der()
    }

    /// The public JWK (`kty`, `crv`, `kid`, `x`, `y`, `alg: ES256`).
    pub fn to_jwk(&self) -> Jwk {
        let p = self.key.to_uncompressed();
        Jwk {
            kty: "EC".into(),
            crv: Some("P-256".into()),
            kid: Some(kid_debug(&self.kid)),
            alg: Some("ES256".into()),
            x: Some(Base64UrlUnpadded::encode_string(&p[1..33])),
            y: Some(Base64UrlUnpadded::encode_string(&p[33..])),
            d: None,
            k: None,
        }
    }

    pub(crate) fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        self.key.verify(msg, sig)
    }
}

impl SigningKey {
    /// From the 32-byte private scalar.
    pub fn from_scalar(kid: impl Into<Vec<u8>>, d: &[u8]) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::SecretKey::from_scalar(d)
            .ok_or(QrError::invalid_key("not a P-256 private scalar"))?;
        Ok(SigningKey { kid, key })
    }

    /// From a DER PKCS#8 `PrivateKeyInfo` (RFC 5208) holding a P-256 key.
    pub fn from_pkcs8_der(kid: impl Into<Vec<u8>>, der: &[u8]) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::SecretKey::from_pkcs8_der(der)
            .ok_or(QrError::invalid_key("not a P-256 PKCS#8 private key (DER)"))?;
        Ok(SigningKey { kid, key })
    }

    /// From a PEM `-----BEGIN PRIVATE KEY-----` block holding a P-256 key.
    pub fn from_pkcs8_pem(kid: impl Into<Vec<u8>>, pem: &str) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        let key = es256::SecretKey::from_pkcs8_pem(pem)
            .ok_or(QrError::invalid_key("not a P-256 PRIVATE KEY (PEM)"))?;
        Ok(SigningKey { kid, key })
    }

    /// From one private JWK (`"kty":"EC","crv":"P-256"` with `d`).
    pub fn from_jwk(json: &str) -> Result<Self, QrError> {
        match Jwk::parse(json)?.into_key()? {
            Key::Signing(k) => Ok(k),
            _ => Err(QrError::invalid_key(
                "expected a private EC P-256 JWK (with d)",
            )),
        }
    }

    /// A fresh random key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn generate(kid: impl Into<Vec<u8>>) -> Result<Self, QrError> {
        let kid = kid.into();
        loop {
            let mut d = Zeroizing::new([0u8; 32]);
            getrandom::fill(&mut d[..]).map_err(|_| QrError::RandomnessUnavailable)?;
            if let Ok(k) = Self::from_scalar(kid.clone(), &d[..]) {
                return Ok(k);
            }
        }
    }

    /// The key id.
    pub fn kid(&self) -> &[u8] {
        &self.kid
    }

    /// The matching public key, with the same kid.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey {
            kid: self.kid.clone(),
            key: self.key.public(),
        }
    }

    /// PKCS#8 PEM (zeroized on drop).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, QrError> {
        self.key
            .to_pkcs8_pem()
            .ok_or(QrError::invalid_key("PKCS#8 encoding failed"))
    }

    /// The private JWK (includes `d`: keep it secret).
    pub fn to_jwk(&self) -> Jwk {
        let mut jwk = self.verifying_key().to_jwk();
        jwk.d = Some(Base64UrlUnpadded::encode_string(&self.key.to_scalar()[..]));
        jwk
    }

    pub(crate) fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg)
    }
}

impl EncryptionKey {
    /// From 32 raw key bytes.
    pub fn from_bytes(kid: impl Into<Vec<u8>>, key: &[u8]) -> Result<Self, QrError> {
        let kid = kid.into();
        check_kid(&kid)?;
        if key.len() != 32 {
            return Err(QrError::invalid_key("an A256GCM key is exactly 32 bytes"));
        }
        let mut raw = Zeroizing::new([0u8; 32]);
        raw.copy_from_slice(key);
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(key)
            .map_err(|_| QrError::invalid_key("an A256GCM key is exactly 32 bytes"))?;
        Ok(EncryptionKey { kid, raw, cipher })
    }

    /// From one JWK (`"kty":"oct"` with `k` of 32 bytes).
    pub fn from_jwk(json: &str) -> Result<Self, QrError> {
        match Jwk::parse(json)?.into_key()? {
            Key::Encryption(k) => Ok(*k),
            _ => Err(QrError::invalid_key("expected an oct (A256GCM) JWK")),
        }
    }

    /// A fresh random key from the operating system's generator.
    #[cfg(feature = "std")]
    pub fn generate(kid: impl Into<Vec<u8>>) -> Result<Self, QrError> {
        let mut k = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut k[..]).map_err(|_| QrError::RandomnessUnavailable)?;
        Self::from_bytes(kid, &k[..])
    }

    /// The key id.
    pub fn kid(&self) -> &[u8] {
        &self.kid
    }

    /// The secret JWK (`kty: oct`, `alg: A256GCM`; keep it secret).
    pub fn to_jwk(&self) -> Jwk {
        Jwk {
            kty: "oct".into(),
            crv: None,
            kid: Some(kid_debug(&self.kid)),
            alg: Some("A256GCM".into()),
            x: None,
            y: None,
            d: None,
            k: Some(Base64UrlUnpadded::encode_string(&self.raw[..])),
        }
    }

    pub(crate) fn cipher(&self) -> &aes_gcm::Aes256Gcm {
        &self.cipher
    }
}

/// One JSON Web Key (RFC 7517/7518) of the two kinds `qr` uses: `EC` `P-256`
/// (ES256; `d` present for private keys) and `oct` (A256GCM).
///
/// Unknown members (`use`, `key_ops`, …) are ignored on input.
#[derive(Clone, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `"EC"` or `"oct"`.
    pub kty: String,
    /// Curve: `"P-256"` for `EC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// Key id; required by `qr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Algorithm: `"ES256"` or `"A256GCM"` (optional; checked when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// EC x coordinate, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// EC private scalar, base64url (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Symmetric key, base64url (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<String>,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Drop for Jwk {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        if let Some(d) = self.d.as_mut() {
            d.zeroize();
        }
        if let Some(k) = self.k.as_mut() {
            k.zeroize();
        }
    }
}

/// A key read from a JWK.
#[derive(Debug, Clone)]
pub enum Key {
    /// A private EC key (its public half is trusted too).
    Signing(SigningKey),
    /// A public EC key.
    Verifying(VerifyingKey),
    /// An `oct` A256GCM key (boxed: it holds the expanded AES key schedule).
    Encryption(Box<EncryptionKey>),
}

fn b64(field: &'static str, s: &Option<String>) -> Result<Zeroizing<Vec<u8>>, QrError> {
    let s = s.as_deref().ok_or(QrError::InvalidKey {
        reason: match field {
            "x" => "EC JWK lacks x",
            "y" => "EC JWK lacks y",
            _ => "oct JWK lacks k",
        },
    })?;
    Base64UrlUnpadded::decode_vec(s.trim_end_matches('='))
        .map(Zeroizing::new)
        .map_err(|_| QrError::invalid_key("a JWK member is not base64url"))
}

impl Jwk {
    /// Parses one JWK object.
    pub fn parse(json: &str) -> Result<Jwk, QrError> {
        serde_json::from_str(json).map_err(|_| QrError::invalid_key("not a JSON Web Key object"))
    }

    /// Turns the JWK into a key; the `kid` is required.
    pub fn into_key(self) -> Result<Key, QrError> {
        let kid = self
            .kid
            .clone()
            .ok_or(QrError::invalid_key("JWK lacks kid"))?
            .into_bytes();
        match self.kty.as_str() {
            "EC" => {
                if self.crv.as_deref() != Some("P-256") {
                    return Err(QrError::invalid_key("EC JWK must have crv P-256"));
                }
                if self.alg.as_deref().is_some_and(|a| a != "ES256") {
                    return Err(QrError::invalid_key("EC JWK alg must be ES256"));
                }
                let x = b64("x", &self.x)?;
                let y = b64("y", &self.y)?;
                let public = es256::PublicKey::from_xy(&x, &y)
                    .ok_or(QrError::invalid_key("EC JWK x/y is not a P-256 point"))?;
                match &self.d {
                    None => Ok(Key::Verifying(VerifyingKey { kid, key: public })),
                    Some(d) => {
                        let d = Base64UrlUnpadded::decode_vec(d.trim_end_matches('='))
                            .map(Zeroizing::new)
                            .map_err(|_| QrError::invalid_key("a JWK member is not base64url"))?;
                        let sk = SigningKey::from_scalar(kid, &d)?;
                        if sk.key.public() != public {
                            return Err(QrError::invalid_key("EC JWK d does not match x/y"));
                        }
                        Ok(Key::Signing(sk))
                    }
                }
            }
            "oct" => {
                if self.alg.as_deref().is_some_and(|a| a != "A256GCM") {
                    return Err(QrError::invalid_key("oct JWK alg must be A256GCM"));
                }
                let k = b64("k", &self.k)?;
                Ok(Key::Encryption(Box::new(EncryptionKey::from_bytes(
                    kid, &k,
                )?)))
            }
            _ => Err(QrError::invalid_key("JWK kty must be EC or oct")),
        }
    }
}

/// The keys of a JWK Set (RFC 7517 §5): signing, verifying and encryption keys.
///
/// A private EC key contributes both a [`SigningKey`] and its
/// [`VerifyingKey`].
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    /// Private ES256 keys (for issuers).
    pub signing: Vec<SigningKey>,
    /// Trusted ES256 public keys (for verifiers); several at once during rotation.
    pub verifying: Vec<VerifyingKey>,
    /// A256GCM keys (both sides).
    pub encryption: Vec<EncryptionKey>,
}

#[derive(Deserialize)]
struct JwkSetIn {
    keys: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct JwkSetOut<'a> {
    keys: &'a [Jwk],
}

impl KeySet {
    /// Parses a JWK Set `{"keys":[…]}`. Every key must be usable (EC P-256 or
    /// oct 32 bytes, with a kid) and kids must be unique per kind.
    pub fn from_jwks(json: &str) -> Result<KeySet, QrError> {
        let set: JwkSetIn = serde_json::from_str(json)
            .map_err(|_| QrError::invalid_key("not a JWK Set ({\"keys\":[...]})"))?;
        let mut out = KeySet::default();
        for v in set.keys {
            let jwk: Jwk = serde_json::from_value(v)
                .map_err(|_| QrError::invalid_key("a JWK Set entry is not a JWK object"))?;
            match jwk.into_key()? {
                Key::Signing(k) => {
                    out.verifying.push(k.verifying_key());
                    out.signing.push(k);
                }
                Key::Verifying(k) => out.verifying.push(k),
                Key::Encryption(k) => out.encryption.push(*k),
            }
        }
        let dup = |kids: &mut Vec<&[u8]>| {
            kids.sort_unstable();
            kids.windows(2).any(|w| w[0] == w[1])
        };
        if dup(&mut out.verifying.iter().map(|k| k.kid()).collect())
            || dup(&mut out.encryption.iter().map(|k| k.kid()).collect())
        {
            return Err(QrError::invalid_key("two keys of one kind share a kid"));
        }
        Ok(out)
    }

    /// Writes the set as a JWK Set. With `private` false only public EC keys
    /// and the A256GCM keys are written (what a verifier needs).
    pub fn to_jwks(&self, private: bool) -> String {
        let mut keys: Vec<Jwk> = Vec::new();
        if private {
            keys.extend(self.signing.iter().map(SigningKey::to_jwk));
            for v in &self.verifying {
                if !self.signing.iter().any(|s| s.kid() == v.kid()) {
                    keys.push(v.to_jwk());
                }
            }
        } else {
            keys.extend(self.verifying.iter().map(VerifyingKey::to_jwk));
        }
        keys.extend(self.encryption.iter().map(EncryptionKey::to_jwk));
        serde_json::to_string_pretty(&JwkSetOut { keys: &keys }).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_round_trip_and_rejects_bad_keys() {
        let sk = SigningKey::from_scalar("sig-1", &[9u8; 32]).unwrap();
        let ek = EncryptionKey::from_bytes("enc-1", &[3u8; 32]).unwrap();
        let set = KeySet {
            signing: alloc::vec![sk.clone()],
            verifying: alloc::vec![sk.verifying_key()],
            encryption: alloc::vec![ek],
        };
        let private = set.to_jwks(true);
        let back = KeySet::from_jwks(&private).unwrap();
        assert_eq!(back.signing.len(), 1);
        assert_eq!(back.verifying, set.verifying);
        assert_eq!(back.encryption.len(), 1);
        let public = set.to_jwks(false);
        assert!(!public.contains("\"d\""));
        let back = KeySet::from_jwks(&public).unwrap();
        assert!(back.signing.is_empty());
        assert_eq!(back.verifying, set.verifying);

        // Debug never shows secrets.
        let dbg = alloc::format!("{:?} {:?}", set, Jwk::parse(&sk.to_jwk_string()).unwrap());
        assert!(!dbg.contains(sk.to_jwk().d.as_deref().unwrap()));

        for bad in [
            r#"{"kty":"EC","crv":"P-384","kid":"a","x":"AA","y":"AA"}"#,
            r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
            r#"{"kty":"oct","kid":"a","k":"AAAA"}"#,
            r#"{"kty":"RSA","kid":"a"}"#,
            r#"{"kty":"oct","kid":"a","alg":"A128GCM","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
            r#"[1,2]"#,
        ] {
            let e = Jwk::parse(bad).and_then(Jwk::into_key).unwrap_err();
            assert_eq!(crate::HasCode::code(&e), crate::Code::InvalidKey, "{bad}");
        }
        // d that does not match x/y.
        let mut jwk = sk.to_jwk();
        jwk.d = SigningKey::from_scalar("x", &[8u8; 32])
            .unwrap()
            .to_jwk()
            .d
            .clone();
        assert!(jwk.into_key().is_err());
        // duplicate kid
        let dupe = r#"{"keys":[{"kty":"oct","kid":"a","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},{"kty":"oct","kid":"a","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}"#;
        assert!(KeySet::from_jwks(dupe).is_err());
    }

    impl SigningKey {
        fn to_jwk_string(&self) -> String {
            serde_json::to_string(&self.to_jwk()).unwrap()
        }
    }
}
