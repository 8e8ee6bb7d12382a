//! The CWT claims set (RFC 8392) of an IKD token and its identity claim.

use super::error::QrError;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use ciborium::Value;
use coset::cwt::{ClaimName, ClaimsSet, Timestamp};
use serde::{Deserialize, Serialize};

/// The private-use CWT claim key holding the identity map. RFC 8392 §9.1
/// reserves integer claim keys below -65536 for private use.
pub const IDENTITY_CLAIM_KEY: i64 = -65537;

/// The identity shown by the IKD app, as a map with text keys. Which elements
/// are present is the issuer's choice; unknown keys are kept in
/// [`Identity::other`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// NIK, 16 digits (not validated here; see the `nik` module).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nik: Option<String>,
    /// Full name (NAMA_LGKP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nama: Option<String>,
    /// Birth date (TGL_LHR), `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tgl_lhr: Option<String>,
    /// Sex (JENIS_KLMIN), e.g. `LAKI-LAKI`, `PEREMPUAN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jenis_klmin: Option<String>,
    /// Documents the IKD shows: `KTP`, `KK`, `AKTA_LAHIR`, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doc: Vec<String>,
    /// Agency memberships (kementerian/lembaga), e.g. `BPJS_KESEHATAN` →
    /// card number, `NPWP` → tax number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kl: BTreeMap<String, String>,
    /// Other text-keyed elements, kept as given. In JSON, byte strings are
    /// upper-case hex, non-text map keys their JSON text, tags
    /// `{"tag":N,"value":…}`, integers beyond 64 bits decimal strings.
    #[serde(flatten, serialize_with = "other_as_json")]
    pub other: BTreeMap<String, Value>,
}

/// CBOR → JSON for values JSON cannot hold as they are (see [`Identity::other`]).
pub(crate) fn cbor_to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Integer(i) => {
            let n = i128::from(*i);
            if let Ok(x) = i64::try_from(n) {
                J::from(x)
            } else if let Ok(x) = u64::try_from(n) {
                J::from(x)
            } else {
                J::String(alloc::format!("{n}"))
            }
        }
        Value::Bytes(b) => J::String(super::hex_upper(b)),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Text(t) => J::String(t.clone()),
        Value::Bool(b) => J::Bool(*b),
        Value::Null => J::Null,
        Value::Tag(t, inner) => {
            let mut m = serde_json::Map::new();
            m.insert("tag".into(), J::from(*t));
            m.insert("value".into(), cbor_to_json(inner));
            J::Object(m)
        }
        Value::Array(a) => J::Array(a.iter().map(cbor_to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        other => serde_json::to_string(&cbor_to_json(other)).unwrap_or_default(),
                    };
                    (key, cbor_to_json(v))
                })
                .collect(),
        ),
        _ => J::Null,
    }
}

fn other_as_json<S: serde::Serializer>(
    other: &BTreeMap<String, Value>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(other.len()))?;
    for (k, v) in other {
        m.serialize_entry(k, &cbor_to_json(v))?;
    }
    m.end()
}

/// What an issuer puts in a token besides the times and the single-use id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer (`iss`), e.g. `dukcapil.kemendagri.go.id`.
    pub iss: String,
    /// Audience (`aud`): the agency app the token is for, if restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Not-before (`nbf`), Unix seconds; omitted when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// The identity (claim `-65537`).
    pub identity: Identity,
}

/// The claims of a token that passed every check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifiedClaims {
    /// Issuer.
    pub iss: String,
    /// Audience, if the token had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
    /// Not before, Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// The single-use token id (`cti`), upper-case hex.
    pub cti: String,
    /// The identity.
    pub identity: Identity,
    /// The kid of the key that signed the token (text, or hex if not UTF-8).
    pub kid: String,
    /// The kid of the key that decrypted the token; `None` if not encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enc_kid: Option<String>,
}

pub(crate) fn kid_text(kid: &[u8]) -> String {
    match core::str::from_utf8(kid) {
        Ok(s) => String::from(s),
        Err(_) => super::hex_upper(kid),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    }
}

impl Identity {
    pub(crate) fn to_cbor(&self) -> Value {
        let mut m: Vec<(Value, Value)> = Vec::new();
        let mut put = |k: &str, v: Value| m.push((Value::Text(k.into()), v));
        if let Some(v) = &self.nik {
            put("nik", Value::Text(v.clone()));
        }
        if let Some(v) = &self.nama {
            put("nama", Value::Text(v.clone()));
        }
        if let Some(v) = &self.tgl_lhr {
            put("tgl_lhr", Value::Text(v.clone()));
        }
        if let Some(v) = &self.jenis_klmin {
            put("jenis_klmin", Value::Text(v.clone()));
        }
        if !self.doc.is_empty() {
            put(
                "doc",
                Value::Array(self.doc.iter().cloned().map(Value::Text).collect()),
            );
        }
        if !self.kl.is_empty() {
            put(
                "kl",
                Value::Map(
                    self.kl
                        .iter()
                        .map(|(k, v)| (Value::Text(k.clone()), Value::Text(v.clone())))
                        .collect(),
                ),
            );
        }
        for (k, v) in &self.other {
            put(k, v.clone());
        }
        Value::Map(m)
    }

    pub(crate) fn from_cbor(v: Value) -> Result<Identity, QrError> {
        const C: &str = "identity (-65537)";
        let Value::Map(entries) = v else {
            return Err(QrError::invalid_claim(C, "must be a map with text keys"));
        };
        let mut id = Identity::default();
        let mut seen: Vec<String> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let Value::Text(k) = k else {
                return Err(QrError::invalid_claim(C, "must be a map with text keys"));
            };
            if seen.contains(&k) {
                return Err(QrError::invalid_claim(C, "a key appears twice"));
            }
            seen.push(k.clone());
            let need_text = |claim: &'static str| {
                text(&v).ok_or(QrError::invalid_claim(claim, "must be a text string"))
            };
            match k.as_str() {
                "nik" => id.nik = Some(need_text("identity.nik")?),
                "nama" => id.nama = Some(need_text("identity.nama")?),
                "tgl_lhr" => id.tgl_lhr = Some(need_text("identity.tgl_lhr")?),
                "jenis_klmin" => id.jenis_klmin = Some(need_text("identity.jenis_klmin")?),
                "doc" => {
                    id.doc = match &v {
                        Value::Text(s) => alloc::vec![s.clone()],
                        Value::Array(a) => a.iter().map(text).collect::<Option<Vec<_>>>().ok_or(
                            QrError::invalid_claim("identity.doc", "must be text strings"),
                        )?,
                        _ => {
                            return Err(QrError::invalid_claim(
                                "identity.doc",
                                "must be an array of text strings",
                            ));
                        }
                    }
                }
                "kl" => {
                    let Value::Map(m) = &v else {
                        return Err(QrError::invalid_claim(
                            "identity.kl",
                            "must be a map of text to text",
                        ));
                    };
                    for (a, b) in m {
                        match (text(a), text(b)) {
                            (Some(a), Some(b)) => {
                                id.kl.insert(a, b);
                            }
                            _ => {
                                return Err(QrError::invalid_claim(
                                    "identity.kl",
                                    "must be a map of text to text",
                                ));
                            }
                        }
                    }
                }
                _ => {
                    id.other.insert(k, v);
                }
            }
        }
        Ok(id)
    }
}

/// The CWT claims set as the issuer builds it.
pub(crate) fn build_claims_set(c: &Claims, iat: i64, exp: i64, cti: &[u8]) -> ClaimsSet {
    let mut b = coset::cwt::ClaimsSetBuilder::new().issuer(c.iss.clone());
    if let Some(aud) = &c.aud {
        b = b.audience(aud.clone());
    }
    b = b.expiration_time(Timestamp::WholeSeconds(exp));
    if let Some(nbf) = c.nbf {
        b = b.not_before(Timestamp::WholeSeconds(nbf));
    }
    b.issued_at(Timestamp::WholeSeconds(iat))
        .cwt_id(cti.to_vec())
        .private_claim(IDENTITY_CLAIM_KEY, c.identity.to_cbor())
        .build()
}

/// Claims read from a token, before the time/audience/replay checks.
pub(crate) struct RawClaims {
    pub iss: String,
    pub aud: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub nbf: Option<i64>,
    pub cti: Vec<u8>,
    pub identity: Identity,
}

fn seconds(claim: &'static str, t: Timestamp) -> Result<i64, QrError> {
    match t {
        Timestamp::WholeSeconds(s) => Ok(s),
        Timestamp::FractionalSeconds(f) => {
            // NumericDate may be a float (RFC 8392 §2); whole seconds, floored.
            if f.is_finite() && (-9.0e15..9.0e15).contains(&f) {
                // `as` saturates and floors toward zero; adjust negatives.
                let s = f as i64;
                Ok(if (s as f64) > f { s - 1 } else { s })
            } else {
                Err(QrError::invalid_claim(claim, "is not a usable NumericDate"))
            }
        }
    }
}

/// Reads the claims set from the CBOR payload of the COSE_Sign1.
pub(crate) fn parse_claims(payload: &[u8]) -> Result<RawClaims, QrError> {
    use coset::CborSerializable;
    let set = ClaimsSet::from_slice(payload).map_err(|e| match e {
        coset::CoseError::DuplicateMapKey => {
            QrError::invalid_claim("claims", "a claim appears twice")
        }
        coset::CoseError::UnexpectedItem(..) => {
            QrError::invalid_claim("claims", "a registered claim has the wrong CBOR type")
        }
        _ => QrError::malformed("the signed payload is not a CWT claims set"),
    })?;
    let iss = set.issuer.ok_or(QrError::MissingClaim { claim: "iss" })?;
    let exp = seconds(
        "exp",
        set.expiration_time
            .ok_or(QrError::MissingClaim { claim: "exp" })?,
    )?;
    let iat = seconds(
        "iat",
        set.issued_at
            .ok_or(QrError::MissingClaim { claim: "iat" })?,
    )?;
    let nbf = set.not_before.map(|t| seconds("nbf", t)).transpose()?;
    let cti = set.cwt_id.ok_or(QrError::MissingClaim { claim: "cti" })?;
    if cti.len() < 8 || cti.len() > 64 {
        return Err(QrError::invalid_claim(
            "cti",
            "must be 8 to 64 bytes (IKD uses 16 random bytes)",
        ));
    }
    let mut identity = None;
    for (name, value) in set.rest {
        if name == ClaimName::PrivateUse(IDENTITY_CLAIM_KEY) {
            identity = Some(Identity::from_cbor(value)?);
        }
    }
    // Other registered or private claims (e.g. sub, cnf) are ignored.
    let identity = identity.ok_or(QrError::MissingClaim {
        claim: "identity (-65537)",
    })?;
    Ok(RawClaims {
        iss,
        aud: set.audience,
        iat,
        exp,
        nbf,
        cti,
        identity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use coset::CborSerializable;

    fn sample() -> Claims {
        let mut kl = BTreeMap::new();
        kl.insert("BPJS_KESEHATAN".into(), "0001234567890".into());
        Claims {
            iss: "dukcapil".into(),
            aud: Some("bank".into()),
            nbf: Some(99),
            identity: Identity {
                nik: Some("3174011501900001".into()),
                nama: Some("BUDI".into()),
                doc: alloc::vec!["KTP".into(), "KK".into()],
                kl,
                ..Identity::default()
            },
        }
    }

    #[test]
    fn claims_round_trip() {
        let c = sample();
        let bytes = build_claims_set(&c, 100, 190, &[1; 16]).to_vec().unwrap();
        let r = parse_claims(&bytes).unwrap();
        assert_eq!((r.iat, r.exp, r.nbf), (100, 190, Some(99)));
        assert_eq!(r.iss, "dukcapil");
        assert_eq!(r.aud.as_deref(), Some("bank"));
        assert_eq!(r.cti, [1; 16]);
        assert_eq!(r.identity, c.identity);
    }

    #[test]
    fn unusual_identity_elements_serialize_to_json() {
        let mut id = Identity::default();
        id.other
            .insert("foto".into(), Value::Bytes(alloc::vec![0xAB, 0x01]));
        id.other.insert(
            "m".into(),
            Value::Map(alloc::vec![
                (Value::Integer(1.into()), Value::Float(f64::NAN)),
                (
                    Value::Bytes(alloc::vec![1]),
                    Value::Integer(u64::MAX.into())
                ),
            ]),
        );
        id.other.insert(
            "t".into(),
            Value::Tag(1, alloc::boxed::Box::new(Value::Integer((-5).into()))),
        );
        let j = serde_json::to_value(&id).unwrap();
        assert_eq!(j["foto"], "AB01");
        assert_eq!(j["m"]["1"], serde_json::Value::Null);
        assert_eq!(j["m"]["\"01\""], u64::MAX);
        assert_eq!(j["t"]["tag"], 1);
        assert_eq!(j["t"]["value"], -5);
        // Round trip through CBOR keeps the values.
        let back = Identity::from_cbor(id.to_cbor()).unwrap();
        assert_eq!(back.other.len(), 3);
        assert_eq!(back.other["foto"], Value::Bytes(alloc::vec![0xAB, 0x01]));
    }

    #[test]
    fn missing_and_invalid_claims() {
        let c = sample();
        let mut set = build_claims_set(&c, 100, 190, &[1; 16]);
        set.cwt_id = Some(alloc::vec![1, 2]);
        let e = parse_claims(&set.clone().to_vec().unwrap()).err().unwrap();
        assert!(matches!(e, QrError::InvalidClaim { claim: "cti", .. }));
        set.cwt_id = None;
        let e = parse_claims(&set.clone().to_vec().unwrap()).err().unwrap();
        assert_eq!(e, QrError::MissingClaim { claim: "cti" });
        let mut set = build_claims_set(&c, 100, 190, &[1; 16]);
        set.rest.clear();
        let e = parse_claims(&set.to_vec().unwrap()).err().unwrap();
        assert!(matches!(e, QrError::MissingClaim { .. }));
        let mut set = build_claims_set(&c, 100, 190, &[1; 16]);
        set.rest = alloc::vec![(
            ClaimName::PrivateUse(IDENTITY_CLAIM_KEY),
            Value::Map(alloc::vec![(
                Value::Text("nik".into()),
                Value::Integer(5.into())
            )])
        )];
        let e = parse_claims(&set.to_vec().unwrap()).err().unwrap();
        assert!(matches!(
            e,
            QrError::InvalidClaim {
                claim: "identity.nik",
                ..
            }
        ));
        let mut set = build_claims_set(&c, 100, 190, &[1; 16]);
        set.issued_at = Some(Timestamp::FractionalSeconds(100.7));
        assert_eq!(parse_claims(&set.to_vec().unwrap()).unwrap().iat, 100);
    }
}
