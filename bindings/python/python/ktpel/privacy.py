"""Privacy: keyed NIK tokens and the tamper-evident access log.

- :class:`TokenKey` — an agency token key (HMAC-SHA-256; never printed);
  :func:`tokenize_nik`, :func:`tokenize_element`, :func:`tokenize_many`.
- :class:`AuditLog` — append-only log file (SHA-256 chain, Merkle tree,
  ECDSA P-256 signed checkpoints); :func:`verify_log`, :func:`prove`,
  :func:`verify_proof`, :func:`recover`.

Errors are :class:`ktpel.PrivacyError`; a NIK or name that cannot be
tokenized carries its own code (``WRONG_LENGTH``, ``PLACEHOLDER``, ...).
Formats and key rotation: ``docs/privacy.md``.
"""

from __future__ import annotations

import datetime
import os
from typing import List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _ktpel
from ._ktpel import AuditLog, TokenKey

PathLike = Union[str, "os.PathLike[str]"]


def tokenize_nik(key: TokenKey, nik: str, reference_date: Optional[datetime.date] = None) -> str:
    """The NIK token (``N1<kid>-…``); an invalid NIK raises with its NIK code."""
    return key.tokenize_nik(nik, reference_date)


def tokenize_element(key: TokenKey, name: str, birth_date: Optional[datetime.date] = None) -> str:
    """The element token (``E1<kid>-…``) of a name's matching key + birth date."""
    return key.tokenize_element(name, birth_date)


def tokenize_many(
    key: TokenKey, niks: Sequence[str], reference_date: Optional[datetime.date] = None
) -> List[Tuple[Optional[str], Optional[str]]]:
    """Tokens of many NIKs without the GIL: ``(token, None)`` or ``(None, code)`` each."""
    return key.tokenize_many(list(niks), reference_date)


class VerifyReport(NamedTuple):
    """The outcome of :func:`verify_log`."""

    valid: bool
    entries: int
    checkpoints: int
    signed_size: int
    signatures_checked: bool
    root: str
    code: Optional[str]
    entry: Optional[int]
    checkpoint: Optional[int]
    detail: Optional[str]


def verify_log(
    log: Union[PathLike, bytes],
    checkpoints: Optional[bytes] = None,
    *,
    public_jwk: Optional[str] = None,
) -> VerifyReport:
    """Verifies a log: a path (its ``.checkpoints`` file is read too) or the
    log's bytes (with ``checkpoints`` bytes). ``public_jwk`` is the checkpoint
    signer's public key; without it signatures are not checked. A damaged log
    is a report with ``valid=False``, its ``code`` and first bad ``entry``."""
    if isinstance(log, bytes):
        d = _ktpel.privacy_verify_log(log, checkpoints or b"", public_jwk)
    else:
        d = _ktpel.privacy_verify_log_file(log, public_jwk)
    return VerifyReport(**d)


def prove(path: PathLike, index: int) -> str:
    """The inclusion proof (JSON) of entry ``index`` against the latest signed checkpoint covering it."""
    return _ktpel.privacy_prove(path, index)


def verify_proof(proof_json: str, public_jwk: Optional[str] = None) -> int:
    """Checks an inclusion proof; returns the entry number or raises ``AUDIT_PROOF_INVALID`` / ``AUDIT_BAD_SIGNATURE``."""
    return _ktpel.privacy_verify_proof(proof_json, public_jwk)


def recover(path: PathLike) -> Tuple[int, int]:
    """Cuts a torn last entry off a log after a crash: ``(entries kept, bytes removed)``."""
    return _ktpel.privacy_recover(path)


__all__ = [
    "AuditLog",
    "TokenKey",
    "VerifyReport",
    "prove",
    "recover",
    "tokenize_element",
    "tokenize_many",
    "tokenize_nik",
    "verify_log",
    "verify_proof",
]
