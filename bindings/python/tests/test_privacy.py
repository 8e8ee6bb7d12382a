"""ktpel.privacy against tests/vectors/privacy.json, plus a log file round trip."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, Dict

import pytest

import ktpel
from ktpel import privacy

from conftest import load

V: Dict[str, Any] = load("privacy.json")
REF = datetime.date(2026, 1, 1)


def key() -> privacy.TokenKey:
    k = V["token_key"]
    return privacy.TokenKey(k["kid"], bytes.fromhex(k["secret"]))


def test_nik_tokens_match_vectors() -> None:
    k = key()
    other = privacy.TokenKey(V["token_key"]["kid"], bytes.fromhex(V["token_key"]["other_secret"]))
    jk = privacy.TokenKey.from_jwk(V["token_key"]["jwk"])
    for c in V["nik_tokens"]:
        assert privacy.tokenize_nik(k, c["nik"], REF) == c["token"]
        assert jk.tokenize_nik(c["nik"], REF) == c["token"]
        assert other.tokenize_nik(c["nik"], REF) == c["token_other_key"]
    assert "secret" not in repr(k) and V["token_key"]["secret"][:8] not in repr(k)


def test_invalid_niks_raise_with_their_code() -> None:
    k = key()
    for c in V["nik_invalid"]:
        with pytest.raises(ktpel.PrivacyError) as e:
            k.tokenize_nik(c["nik"], REF)
        assert e.value.code == c["code"]


def test_tokenize_many_equals_single() -> None:
    k = key()
    niks = [c["nik"] for c in V["nik_tokens"]] + [c["nik"] for c in V["nik_invalid"]]
    out = privacy.tokenize_many(k, niks, REF)
    n = len(V["nik_tokens"])
    assert [t for t, _ in out[:n]] == [c["token"] for c in V["nik_tokens"]]
    assert [c for _, c in out[n:]] == [c["code"] for c in V["nik_invalid"]]


def test_element_tokens() -> None:
    k = key()
    for c in V["element_tokens"]:
        d = datetime.date.fromisoformat(c["birth_date"]) if c["birth_date"] else None
        assert privacy.tokenize_element(k, c["name"], d) == c["token"]
    for c in V["element_invalid"]:
        with pytest.raises(ktpel.PrivacyError) as e:
            k.tokenize_element(c["name"])
        assert e.value.code == c["code"]


def test_bad_key_is_token_key_invalid() -> None:
    with pytest.raises(ktpel.PrivacyError) as e:
        privacy.TokenKey("JKT1", b"short")
    assert e.value.code == "TOKEN_KEY_INVALID"


def test_audit_log_vectors() -> None:
    a = V["audit"]
    for c in a["logs"]:
        r = privacy.verify_log(
            bytes.fromhex(c["log"]),
            bytes.fromhex(c["checkpoints"]),
            public_jwk=a["checkpoint_public_jwk"] if c["use_key"] else None,
        )
        assert r.valid == c["valid"], c["name"]
        assert r.code == c["code"], c["name"]
        if not c["valid"]:
            assert r.entry == c["entry"], c["name"]


def test_log_file_roundtrip(tmp_path: Path) -> None:
    a = V["audit"]
    pub = json.loads(a["checkpoint_public_jwk"])
    import base64

    d = base64.urlsafe_b64encode(bytes.fromhex(a["checkpoint_private_scalar"])).rstrip(b"=").decode()
    signer = json.dumps({**pub, "d": d})
    path = tmp_path / "akses.log"
    log = privacy.AuditLog(path)
    for i in range(6):
        assert log.append("op-py", f"N1JKT1-{i:016d}", "uji python", "SESUAI") == i
    line = log.checkpoint(signer)
    assert line.startswith('{"size":6,')
    log.close()
    r = privacy.verify_log(path, public_jwk=a["checkpoint_public_jwk"])
    assert r.valid and r.entries == 6 and r.signed_size == 6
    proof = privacy.prove(path, 4)
    assert privacy.verify_proof(proof, a["checkpoint_public_jwk"]) == 4
    with pytest.raises(ktpel.PrivacyError):
        privacy.verify_proof(proof.replace('"index":4', '"index":3'), a["checkpoint_public_jwk"])
    with open(path, "ab") as f:
        f.write(b'{"seq":6,"ti')
    r = privacy.verify_log(path)
    assert (r.valid, r.code, r.entry) == (False, "AUDIT_TRUNCATED_TAIL", 6)
    with pytest.raises(ktpel.PrivacyError) as e:
        privacy.AuditLog(path)
    assert e.value.code == "AUDIT_TRUNCATED_TAIL"
    assert privacy.recover(path) == (6, 12)
    assert privacy.verify_log(path).valid
