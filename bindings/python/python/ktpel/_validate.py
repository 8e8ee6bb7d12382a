"""The CSV validation job (``ktpel.validate``)."""

from __future__ import annotations

import datetime
import os
from typing import Any, Callable, Dict, Optional, Union

from . import _ktpel

PathLike = Union[str, "os.PathLike[str]"]


def validate(
    input: PathLike,
    output: PathLike,
    *,
    kind: str = "nik",
    column: str = "NIK",
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
    birth_year: Optional[int] = None,
    format: str = "csv",
    delimiter: str = ",",
    progress: Optional[Callable[[int, int], object]] = None,
) -> Dict[str, Any]:
    """Checks column ``column`` of the CSV file ``input`` and writes every row with its verdict to ``output``.

    ``kind`` is ``"nik"`` or ``"kk"``; ``format`` ``"csv"`` or ``"jsonl"``.
    Streams in blocks with bounded memory; ``progress(rows, bytes)`` is called
    after each block. Returns the summary: ``rows``, ``valid``, ``invalid``,
    ``codes`` (invalid rows per code), ``warnings``, ``column_warnings``,
    ``bytes``. Raises :class:`ktpel.ValidateError` (``IO``, ``CSV``,
    ``COLUMN_NOT_FOUND``) when the job cannot run; bad rows never stop it.
    """
    return _ktpel.validate(
        os.fspath(input),
        os.fspath(output),
        kind=kind,
        column=column,
        mode=mode,
        reference_date=reference_date,
        birth_year=birth_year,
        format=format,
        delimiter=delimiter,
        progress=progress,
    )
