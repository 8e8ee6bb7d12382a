"""IKD QR tokens: keys, :class:`Issuer`, :class:`Verifier` (in-memory replay store).

Errors are :class:`ktpel.QrError` with codes 500-599 (``EXPIRED``,
``BAD_SIGNATURE``, ``REPLAYED``, ...).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple

from . import _ktpel
from ._ktpel import EncryptionKey, SigningKey, VerifyingKey

DEFAULT_MAX_TTL = 90
DEFAULT_LEEWAY = 5


class KeySet(NamedTuple):
    """The keys of a JWK Set, by use."""

    signing: List[SigningKey]
    verifying: List[VerifyingKey]
    encryption: List[EncryptionKey]


def load_jwks(jwks: str) -> KeySet:
    """Reads a JWK Set (JSON text): EC P-256 keys (private if ``d``) and ``oct`` A256GCM keys."""
    s, v, e = _ktpel.qr_load_jwks(jwks)
    return KeySet(s, v, e)


class Issuer:
    """Issues tokens: ES256-signed, A256GCM-encrypted when an encryption key is given."""

    def __init__(
        self,
        signing: SigningKey,
        encryption: Optional[EncryptionKey] = None,
        *,
        max_ttl: int = DEFAULT_MAX_TTL,
        now: Optional[int] = None,
    ) -> None:
        """``now`` fixes the clock (Unix seconds) for tests; default the system clock."""
        self._inner = _ktpel.Issuer(signing, encryption, max_ttl, now)

    def issue(self, claims: Mapping[str, Any], ttl: int = DEFAULT_MAX_TTL) -> str:
        """A token (``IKD1:...``) for ``claims`` (``iss``, optional ``aud``/``nbf``, ``identity``)."""
        return self._inner.issue(json.dumps(claims), ttl)

    def issue_with(self, claims: Mapping[str, Any], ttl: int, *, iat: int, cti: bytes, iv: bytes) -> str:
        """A token with fixed ``iat``, ``cti`` (16 bytes) and IV (12 bytes): for test vectors only."""
        return self._inner.issue_with(json.dumps(claims), ttl, iat, cti, iv)


class Verifier:
    """Verifies tokens: keys, times, audience, issuer, single use (in-memory replay store)."""

    def __init__(
        self,
        keys: Iterable[VerifyingKey] = (),
        decryption_keys: Iterable[EncryptionKey] = (),
        *,
        jwks: Optional[str] = None,
        pem_keys: Optional[Mapping[str, str]] = None,
        audience: Optional[str] = None,
        issuers: Iterable[str] = (),
        max_ttl: int = DEFAULT_MAX_TTL,
        leeway: int = DEFAULT_LEEWAY,
        require_encryption: bool = True,
        replay_capacity: Optional[int] = None,
    ) -> None:
        """Trusts ``keys``, the public EC keys of ``jwks`` and ``pem_keys`` (kid → SPKI PEM);
        decrypts with ``decryption_keys`` and the ``oct`` keys of ``jwks``."""
        verifying = list(keys)
        decrypting = list(decryption_keys)
        if jwks is not None:
            ks = load_jwks(jwks)
            verifying += ks.verifying + [k.verifying_key() for k in ks.signing]
            decrypting += ks.encryption
        for kid, pem in (pem_keys or {}).items():
            verifying.append(VerifyingKey.from_pem(kid, pem))
        self._inner = _ktpel.Verifier(
            verifying,
            decrypting,
            audience,
            list(issuers),
            max_ttl,
            leeway,
            require_encryption,
            replay_capacity,
        )

    def verify(self, token: str, *, now: Optional[int] = None) -> Dict[str, Any]:
        """The verified claims (``iss``, ``aud``, ``iat``, ``exp``, ``cti``, ``identity``, ``kid``, ``enc_kid``).

        Raises :class:`ktpel.QrError`. A token is accepted once (``REPLAYED`` after).
        ``now`` (Unix seconds) replaces the clock for tests.
        """
        result: Dict[str, Any] = json.loads(self._inner.verify(token, now))
        return result


def generate_keys(sign_kid: str, enc_kid: str) -> Tuple[SigningKey, EncryptionKey]:
    """A fresh signing key and encryption key."""
    return SigningKey.generate(sign_kid), EncryptionKey.generate(enc_kid)


__all__ = [
    "DEFAULT_LEEWAY",
    "DEFAULT_MAX_TTL",
    "EncryptionKey",
    "Issuer",
    "KeySet",
    "SigningKey",
    "Verifier",
    "VerifyingKey",
    "generate_keys",
    "load_jwks",
]
