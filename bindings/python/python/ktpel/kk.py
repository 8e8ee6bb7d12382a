"""KK (Kartu Keluarga, family card) numbers: region(6) + issue date DDMMYY + serial(4)."""

from __future__ import annotations

import datetime
from typing import Optional

from . import _ktpel
from ._ktpel import KkCheck


def check(s: str, *, mode: str = "strict", reference_date: Optional[datetime.date] = None) -> KkCheck:
    """Checks one KK number; never raises for a bad number (see ``.valid``/``.code``)."""
    return _ktpel.kk_check(s, mode, reference_date)


def parse(s: str, *, mode: str = "strict", reference_date: Optional[datetime.date] = None) -> KkCheck:
    """Like :func:`check` but raises :class:`ktpel.KkError` for an invalid number."""
    return _ktpel.kk_parse(s, mode, reference_date)


__all__ = ["KkCheck", "check", "parse"]
