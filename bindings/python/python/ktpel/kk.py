"""KK (Kartu Keluarga, family card) numbers: region(6) + issue date DDMMYY + serial(4)."""

from __future__ import annotations

import datetime
from typing import Optional

from . import _ktpel
from ._ktpel import KkCheck


check = _ktpel.kk_check
"""Checks one KK number; never raises for a bad number (see ``.valid``/``.code``).

``check(s, *, mode="strict", reference_date=None)`` (the native function itself).
"""


def parse(s: str, *, mode: str = "strict", reference_date: Optional[datetime.date] = None) -> KkCheck:
    """Like :func:`check` but raises :class:`ktpel.KkError` for an invalid number."""
    return _ktpel.kk_parse(s, mode, reference_date)


__all__ = ["KkCheck", "check", "parse"]
