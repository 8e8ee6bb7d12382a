"""Every case of tests/vectors/qr.json through Python, plus keys and replay."""

from __future__ import annotations

import json
import time
from typing import Any, Dict, Optional

import pytest

import ktpel
from conftest import load

QR = load("qr.json")
KEYS = ktpel.qr.load_jwks(json.dumps(QR["keys"]))
PUBLIC = json.dumps(QR["verifier_keys"])


def _verifier(audience: Optional[str], require_encryption: bool) -> ktpel.qr.Verifier:
    cfg = QR["verifier"]
    return ktpel.qr.Verifier(
        jwks=PUBLIC,
        audience=audience,
        require_encryption=require_encryption,
        max_ttl=cfg["max_ttl"],
        leeway=cfg["leeway"],
    )


def _issuer(sign_kid: str, enc_kid: Optional[str]) -> ktpel.qr.Issuer:
    signing = next(k for k in KEYS.signing if k.kid == sign_kid)
    enc = next(k for k in KEYS.encryption if k.kid == enc_kid) if enc_kid else None
    return ktpel.qr.Issuer(signing, enc)


@pytest.mark.parametrize("case", QR["valid"], ids=lambda c: c["name"])
def test_valid_vector_issues_the_same_token_and_verifies(case: Dict[str, Any]) -> None:
    i = case["issue"]
    token = _issuer(i["sign_kid"], i.get("enc_kid")).issue_with(
        i["claims"],
        i["ttl"],
        iat=i["iat"],
        cti=bytes.fromhex(i["cti"]),
        iv=bytes.fromhex(i["iv"]) if i.get("iv") else bytes(12),
    )
    assert token == case["token"]
    v = case["verify"]
    got = _verifier(v["audience"], v["require_encryption"]).verify(case["token"], now=v["now"])
    assert got == case["expected"]


@pytest.mark.parametrize("case", QR["invalid"], ids=lambda c: c["name"])
def test_invalid_vector_raises_its_code(case: Dict[str, Any]) -> None:
    with pytest.raises(ktpel.QrError) as e:
        _verifier(case["audience"], case["require_encryption"]).verify(case["token"], now=case["now"])
    assert e.value.code == case["code"]
    assert 500 <= e.value.number < 600


def test_single_use_and_generated_keys_with_pem() -> None:
    sk, ek = ktpel.qr.generate_keys("sig-test", "enc-test")
    issuer = ktpel.qr.Issuer(sk, ek)
    token = issuer.issue({"iss": "dukcapil.kemendagri.go.id", "identity": {"nik": "3174015708900123"}}, 60)
    pem = ktpel.qr.SigningKey.from_pem("sig-test", sk.to_pem()).verifying_key()
    assert pem.to_sec1() == sk.verifying_key().to_sec1()
    ver = ktpel.qr.Verifier([pem], [ek], issuers=["dukcapil.kemendagri.go.id"])
    claims = ver.verify(token)
    assert claims["identity"]["nik"] == "3174015708900123"
    assert claims["kid"] == "sig-test" and claims["enc_kid"] == "enc-test"
    assert abs(claims["iat"] - time.time()) < 120
    with pytest.raises(ktpel.QrError) as e:
        ver.verify(token)
    assert e.value.code == "REPLAYED"
    # JWK round trips; a key never prints its secret.
    assert ktpel.qr.VerifyingKey.from_jwk(sk.verifying_key().to_jwk()).kid == "sig-test"
    assert "d" in json.loads(sk.to_jwk()) and json.loads(sk.to_jwk())["d"] not in repr(sk)
    assert ktpel.qr.EncryptionKey.from_jwk(ek.to_jwk()).kid == "enc-test"


def test_bad_key_material_raises_qr_error() -> None:
    with pytest.raises(ktpel.QrError) as e:
        ktpel.qr.EncryptionKey.from_bytes("k", b"short")
    assert e.value.code == "INVALID_KEY"
    with pytest.raises(ktpel.QrError):
        ktpel.qr.load_jwks("not json")
    with pytest.raises(ktpel.QrError) as e:
        ktpel.qr.Issuer(KEYS.signing[0]).issue({"identity": 5}, 60)
    assert e.value.code == "INVALID_ARGUMENT"
