"""ktpel: Indonesian population-data integration.

NIK/KK validation (:mod:`ktpel.nik`, :mod:`ktpel.kk`), the Kemendagri region
table (:mod:`ktpel.region`), Indonesian names (:mod:`ktpel.name`), IKD QR
tokens (:mod:`ktpel.qr`), KTP-el SAM crypto (:mod:`ktpel.sam`,
:mod:`ktpel.crypto`), sample data (:mod:`ktpel.sample`), matching (:func:`ktpel.match`, :mod:`ktpel.matching`), change events (:func:`ktpel.diff`, :func:`ktpel.aggregate`, :mod:`ktpel.events`), the CSV validation job (:func:`ktpel.validate`) and
pandas helpers (:mod:`ktpel.pandas`, imports pandas lazily).

Every error is a :class:`KtpelError` with ``.code`` (the stable code shared by
the Rust, C, Python and Node surfaces, e.g. ``"INVALID_BIRTH_DATE"``) and
``.number``.
"""

from __future__ import annotations

from typing import List, NamedTuple, Type

from . import _ktpel
from ._ktpel import (
    CryptoError,
    EventsError,
    KkError,
    KtpelError,
    MatchError,
    NameCheckError,
    NikError,
    PrivacyError,
    QrError,
    RegionError,
    SamError,
    SampleError,
    ValidateError,
)
from . import crypto, events, kk, matching, name, nik, privacy, qr, region, sam, sample
from .events import aggregate, diff
from .matching import match
from ._validate import validate

__version__: str = _ktpel.__version__


class CodeInfo(NamedTuple):
    """One stable code: its name, number and description."""

    name: str
    number: int
    description: str


def codes() -> List[CodeInfo]:
    """Every stable code of ktpel, in number order."""
    return [CodeInfo(n, num, d) for (n, num, d) in _ktpel.all_codes()]


def exception_class(code: str) -> Type[KtpelError]:
    """The exception class raised for ``code`` (by the code's module range)."""
    return _ktpel.exception_class_for_code(code)


__all__ = [
    "CodeInfo",
    "CryptoError",
    "EventsError",
    "KkError",
    "KtpelError",
    "MatchError",
    "NameCheckError",
    "NikError",
    "PrivacyError",
    "QrError",
    "RegionError",
    "SamError",
    "SampleError",
    "ValidateError",
    "__version__",
    "aggregate",
    "codes",
    "crypto",
    "diff",
    "events",
    "exception_class",
    "kk",
    "match",
    "matching",
    "name",
    "nik",
    "privacy",
    "qr",
    "region",
    "sam",
    "sample",
    "validate",
]
