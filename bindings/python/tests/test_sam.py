"""Every case of tests/vectors/sam.json through Python, and a session with the virtual chip."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import ktpel
from conftest import load

SAM = load("sam.json")
H = bytes.fromhex


@pytest.mark.parametrize("case", SAM["tdes_cbc"], ids=lambda c: c["iv"])
def test_tdes_cbc(case: Dict[str, str]) -> None:
    ct = ktpel.sam.tdes_encrypt_cbc(H(case["key"]), H(case["iv"]), H(case["plaintext"]))
    assert ct.hex().upper() == case["ciphertext"]
    assert ktpel.sam.tdes_decrypt_cbc(H(case["key"]), H(case["iv"]), ct) == H(case["plaintext"])


@pytest.mark.parametrize("case", SAM["tdes_ecb"])
def test_tdes_ecb_as_cbc_blocks(case: Dict[str, str]) -> None:
    pt = H(case["plaintext"])
    ct = b"".join(ktpel.sam.tdes_encrypt_cbc(H(case["key"]), bytes(8), pt[i : i + 8]) for i in range(0, len(pt), 8))
    assert ct.hex().upper() == case["ciphertext"]


@pytest.mark.parametrize("case", SAM["retail_mac"], ids=lambda c: f"{c['padding']}-{len(c['data'])}")
def test_retail_mac(case: Dict[str, Any]) -> None:
    assert ktpel.sam.retail_mac(H(case["key"]), H(case["data"]), case["padding"]).hex().upper() == case["mac"]


def _run_session(v: Dict[str, Any]) -> None:
    profile = v["profile"]
    seed = H(v["k_seed"])
    assert ktpel.sam.kdf(profile, seed, 1).hex().upper() == v["k_enc"]
    assert ktpel.sam.kdf(profile, seed, 2).hex().upper() == v["k_mac"]
    auth = ktpel.sam.MutualAuth(profile, seed, rnd_ifd=H(v["rnd_ifd"]), k_ifd=H(v["k_ifd"]))
    assert auth.get_challenge().hex().upper() == "0084000008"
    cmd = auth.on_challenge(H(v["rnd_ic"]) + b"\x90\x00")
    assert cmd.hex().upper() == v["mutual_authenticate_apdu"]
    sm = auth.on_authenticate(H(v["resp_data"]) + b"\x90\x00")
    assert sm.ks_enc().hex().upper() == v["ks_enc"]
    assert sm.ks_mac().hex().upper() == v["ks_mac"]
    assert sm.ssc == int(v["ssc"], 16)
    rb = v["read_binary"]
    assert sm.protect(H(rb["unprotected_apdu"])).hex().upper() == rb["protected_apdu"]
    data, sw = sm.unprotect(H(rb["rapdu"]))
    assert (data.hex().upper(), sw) == (rb["plain_data"], 0x9000)
    # The same session built from explicit keys protects identically.
    sm2 = ktpel.sam.SecureMessaging(profile, H(v["ks_enc"]), H(v["ks_mac"]), int(v["ssc"], 16))
    assert sm2.protect(H(rb["unprotected_apdu"])).hex().upper() == rb["protected_apdu"]


def test_ktpel_session_vector() -> None:
    _run_session(SAM["ktpel_session"])


def test_icao_profile_vector() -> None:
    _run_session(SAM["icao_profile_recomputed"])


def test_icao_appendix_d_secure_messaging() -> None:
    d = SAM["icao9303_appendix_d"]
    d3, d4 = d["D3_authentication_and_session_keys"], d["D4_secure_messaging"]
    sm = ktpel.sam.SecureMessaging("icao", H(d3["ks_enc"]), H(d3["ks_mac"]), int(d3["ssc"], 16))
    for step in d4["steps"]:
        assert sm.protect(H(step["unprotected_apdu"])).hex().upper() == step["protected_apdu"], step["name"]
        data, sw = sm.unprotect(H(step["rapdu"]))
        assert data.hex().upper() == step["decrypted_data"] or data.hex().upper() == step.get("plain_data"), step["name"]
        assert sw == 0x9000


def test_mac_mismatch_closes_the_session() -> None:
    v = SAM["ktpel_session"]
    sm = ktpel.sam.SecureMessaging("ktpel", H(v["ks_enc"]), H(v["ks_mac"]), int(v["ssc"], 16))
    sm.protect(H(v["read_binary"]["unprotected_apdu"]))
    bad = bytearray(H(v["read_binary"]["rapdu"]))
    bad[-4] ^= 1
    with pytest.raises(ktpel.SamError) as e:
        sm.unprotect(bytes(bad))
    assert e.value.code.startswith("SAM_")
    assert 600 <= e.value.number < 700


def test_full_session_with_the_virtual_chip() -> None:
    seed = bytes(range(16))
    chip = ktpel.sam.VirtualChip.demo("ktpel", seed, rng_seed=7)
    assert chip.atr()
    auth = ktpel.sam.MutualAuth("ktpel", seed)
    cmd = auth.on_challenge(chip.process(auth.get_challenge()))
    sm = auth.on_authenticate(chip.process(cmd))
    select = ktpel.sam.build_command(0x00, 0xA4, 0x02, 0x0C, b"\x01\x01")
    data, sw = sm.unprotect(chip.process(sm.protect(select)))
    assert sw == 0x9000, ktpel.sam.status_meaning(sw)
    data, sw = sm.unprotect(chip.process(sm.protect(ktpel.sam.build_command(0x00, 0xB0, 0, 0, le=16))))
    assert sw == 0x9000 and data.startswith(b"NIK=")
    # A wrong key seed fails authentication with a SAM code.
    auth2 = ktpel.sam.MutualAuth("ktpel", bytes(16))
    cmd2 = auth2.on_challenge(chip.process(auth2.get_challenge()))
    with pytest.raises(ktpel.SamError):
        auth2.on_authenticate(chip.process(cmd2))


def test_apdu_codec_and_padding() -> None:
    raw = ktpel.sam.build_command(0x00, 0xB0, 0x00, 0x00, le=256)
    assert raw.hex().upper() == "00B0000000"
    assert ktpel.sam.parse_command(raw) == ktpel.sam.Command(0, 0xB0, 0, 0, b"", 256)
    assert ktpel.sam.parse_response(b"\x01\x02\x90\x00") == ktpel.sam.Response(b"\x01\x02", 0x9000)
    assert ktpel.sam.unpad(ktpel.sam.pad(b"abc")) == b"abc"
    with pytest.raises(ktpel.SamError):
        ktpel.sam.parse_command(b"\x00")
    with pytest.raises(ktpel.SamError) as e:
        ktpel.sam.retail_mac(b"short", b"")
    assert e.value.code == "SAM_INVALID_KEY"
    with pytest.raises(ktpel.SamError) as e:
        ktpel.sam.kdf("nope", b"", 1)
    assert e.value.code == "INVALID_ARGUMENT"


def test_p256_verify() -> None:
    sk = ktpel.qr.SigningKey.generate("k")
    pub = sk.verifying_key().to_sec1()
    assert len(pub) == 65
    with pytest.raises(ktpel.CryptoError) as e:
        ktpel.crypto.p256_verify(pub, b"msg", bytes(64))
    assert e.value.code.startswith("ECDSA_")
    assert not ktpel.crypto.p256_is_valid(pub, b"msg", bytes(64))
    with pytest.raises(ktpel.CryptoError) as e:
        ktpel.crypto.p256_verify(b"\x04" + bytes(64), b"msg", bytes(64))
    # The ring backend reports a point off the curve as a bad signature (one opaque failure).
    assert e.value.code in ("ECDSA_INVALID_PUBLIC_KEY", "ECDSA_BAD_SIGNATURE")


def test_p256_sign_verify_round_trip() -> None:
    scalar = bytes(range(1, 33))
    pub = ktpel.crypto.p256_public_key(scalar)
    for der in (False, True):
        sig = ktpel.crypto.p256_sign(scalar, b"KTP-el", der=der)
        ktpel.crypto.p256_verify(pub, b"KTP-el", sig, der=der)
        assert ktpel.crypto.p256_is_valid(pub, b"KTP-el", sig, der=der)
        assert not ktpel.crypto.p256_is_valid(pub, b"KTP-eL", sig, der=der)
    with pytest.raises(ktpel.CryptoError) as e:
        ktpel.crypto.p256_sign(bytes(32), b"x")
    assert e.value.code == "ECDSA_INVALID_PRIVATE_KEY"
