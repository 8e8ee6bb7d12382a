"""KTP-el SAM crypto, bytes in and bytes out: 3-key TDES, retail MAC, KDF,
APDUs, mutual authentication (:class:`MutualAuth`), secure messaging
(:class:`SecureMessaging`) and a simulated chip (:class:`VirtualChip`).

Errors are :class:`ktpel.SamError` with codes 600-699.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from . import _ktpel
from ._ktpel import MutualAuth, SecureMessaging, VirtualChip


class Command(NamedTuple):
    """A command APDU."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: Optional[int]


class Response(NamedTuple):
    """A response APDU."""

    data: bytes
    sw: int


def tdes_encrypt_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """3DES-CBC encryption (key 16 or 24 bytes, IV 8, data whole blocks)."""
    return _ktpel.sam_tdes_encrypt_cbc(key, iv, data)


def tdes_decrypt_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """3DES-CBC decryption."""
    return _ktpel.sam_tdes_decrypt_cbc(key, iv, data)


def retail_mac(key: bytes, data: bytes, padding: int = 2) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with padding method 1, 2 or 3 (8 bytes)."""
    return _ktpel.sam_retail_mac(key, data, padding)


def kdf(profile: str, seed: bytes, counter: int) -> bytes:
    """Key derivation: profile ``"ktpel"`` (SHA-256, 24-byte keys) or ``"icao"`` (SHA-1, 16-byte keys)."""
    return _ktpel.sam_kdf(profile, seed, counter)


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2."""
    return _ktpel.sam_pad(data)


def unpad(data: bytes) -> bytes:
    """Removes padding method 2; raises SamError on bad padding."""
    return _ktpel.sam_unpad(data)


def parse_command(apdu: bytes) -> Command:
    """Parses a command APDU (short or extended)."""
    cla, ins, p1, p2, data, le = _ktpel.sam_command_parse(apdu)
    return Command(cla, ins, p1, p2, data, le)


def build_command(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: Optional[int] = None) -> bytes:
    """Encodes a command APDU (extended length only when needed)."""
    return _ktpel.sam_command_build(cla, ins, p1, p2, data, le)


def parse_response(rapdu: bytes) -> Response:
    """Splits a response APDU into data and status word."""
    data, sw = _ktpel.sam_response_parse(rapdu)
    return Response(data, sw)


def status_meaning(sw: int) -> str:
    """What a status word means, e.g. ``0x6982``."""
    return _ktpel.sam_status_meaning(sw)


__all__ = [
    "Command",
    "MutualAuth",
    "Response",
    "SecureMessaging",
    "VirtualChip",
    "build_command",
    "kdf",
    "pad",
    "parse_command",
    "parse_response",
    "retail_mac",
    "status_meaning",
    "tdes_decrypt_cbc",
    "tdes_encrypt_cbc",
    "unpad",
]
