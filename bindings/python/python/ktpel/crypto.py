"""ECDSA P-256 / SHA-256 signature verification (the backend ``sam`` and ``qr`` use)."""

from __future__ import annotations

from . import _ktpel


def p256_verify(public_key_sec1: bytes, message: bytes, signature: bytes, *, der: bool = False) -> None:
    """Verifies ``signature`` (raw r‖s, or DER with ``der=True``) of ``message``.

    Returns ``None`` when valid; raises :class:`ktpel.CryptoError`
    (``ECDSA_BAD_SIGNATURE``, ``ECDSA_INVALID_PUBLIC_KEY``, ...) otherwise.
    """
    _ktpel.crypto_p256_verify(public_key_sec1, message, signature, der)


def p256_is_valid(public_key_sec1: bytes, message: bytes, signature: bytes, *, der: bool = False) -> bool:
    """Like :func:`p256_verify` but returns False instead of raising."""
    try:
        _ktpel.crypto_p256_verify(public_key_sec1, message, signature, der)
    except _ktpel.CryptoError:
        return False
    return True


__all__ = ["p256_is_valid", "p256_verify"]
