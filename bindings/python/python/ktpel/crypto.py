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


def p256_sign(private_scalar: bytes, message: bytes, *, der: bool = False) -> bytes:
    """Deterministic (RFC 6979) ECDSA P-256 / SHA-256 signature with a 32-byte private scalar."""
    return _ktpel.crypto_p256_sign(private_scalar, message, der)


def p256_public_key(private_scalar: bytes) -> bytes:
    """The uncompressed SEC1 public key (65 bytes) of a private scalar."""
    return _ktpel.crypto_p256_public_key(private_scalar)


__all__ = ["p256_is_valid", "p256_public_key", "p256_sign", "p256_verify"]
