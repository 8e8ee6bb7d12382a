"""NIK (Nomor Induk Kependudukan): check, parse, batch check.

>>> import datetime, ktpel
>>> r = ktpel.nik.check("3174015708900123", reference_date=datetime.date(2026, 11, 23))
>>> r.valid, r.sex, r.birth_date, r.district_name
(True, 'P', datetime.date(1990, 8, 17), 'Tebet')
"""

from __future__ import annotations

import datetime
from typing import Iterable, List, Optional

from . import _ktpel
from ._ktpel import NikCheck, NikChecks

Mode = str  # "strict" or "lenient"


check = _ktpel.nik_check
"""Checks one NIK; never raises for a bad NIK (see ``.valid``/``.code``).

``check(s, *, mode="strict", reference_date=None, birth_year=None)``:
``mode`` is ``"strict"`` (exactly 16 digits) or ``"lenient"`` (spaces, dots,
dashes and a leading ``'`` removed, with the warning ``SEPARATORS_REMOVED``).
``reference_date`` (default today) settles the century and judges "in the
future"; ``birth_year`` known from elsewhere settles the century too. (The
native function itself, to keep the per-call overhead low.)
"""


def parse(
    s: str,
    *,
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
    birth_year: Optional[int] = None,
) -> NikCheck:
    """Like :func:`check` but raises :class:`ktpel.NikError` (with ``.code``) for an invalid NIK."""
    return _ktpel.nik_parse(s, mode, reference_date, birth_year)


def check_many(
    values: Iterable[object],
    *,
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
    birth_year: Optional[int] = None,
) -> NikChecks:
    """Checks many NIKs (a list, a NumPy array of strings, a pandas Series, any iterable).

    Returns a read-only sequence of :class:`NikCheck` (built on access) with
    fast columns: ``.valid()``, ``.codes()``, ``.count_valid()``; ``.to_list()``.

    The core works in parallel with the GIL released. ``None`` counts as an
    empty value; non-strings are read through ``str()`` so spreadsheet floats
    are reported as ``SPREADSHEET_CORRUPTED`` rather than lost.
    """
    return _ktpel.nik_check_many(values, mode, reference_date, birth_year)


def codes_many(
    values: Iterable[object],
    *,
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
    birth_year: Optional[int] = None,
) -> List[Optional[str]]:
    """Like :func:`check_many` but returns only the error code per value (``None`` = valid); faster."""
    return _ktpel.nik_codes_many(values, mode, reference_date, birth_year)


def format_display(digits: str) -> Optional[str]:
    """``3174015708900123`` → ``31.74.01.570890.0123``; ``None`` unless 16 ASCII digits."""
    return _ktpel.nik_format_display(digits)


__all__ = ["NikCheck", "NikChecks", "check", "check_many", "codes_many", "format_display", "parse"]
