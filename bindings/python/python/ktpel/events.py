"""Change events (M-SINK): diff two register snapshots into typed events
(``LAHIR``, ``DATANG``, ``MATI``, ``PINDAH``, ``KAWIN``, ``CERAI_HIDUP``,
``CERAI_MATI``, ``UBAH_DATA``, ``HAPUS``), route them to agencies, apply them
to an agency's dataset, and count them per region and period.

File jobs release the GIL. Errors are :class:`ktpel.EventsError` (codes
400-499, ``IO``, ``INVALID_CONFIG``, ``INVALID_MEMORY_BUDGET``, ...).
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, Callable, Dict, Optional, Union

from . import _ktpel

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["aggregate", "apply", "diff", "diff_csv", "route"]


def _date(d: Union[str, datetime.date]) -> datetime.date:
    return datetime.date.fromisoformat(d) if isinstance(d, str) else d


def diff(
    old: PathLike,
    new: PathLike,
    *,
    as_of: Union[str, datetime.date],
    since: Union[str, datetime.date, None] = None,
    out: Optional[PathLike] = None,
    out_dir: Optional[PathLike] = None,
    subscriptions: Optional[PathLike] = None,
    memory_budget: Optional[str] = None,
    temp_dir: Optional[PathLike] = None,
    progress: Optional[Callable[[str, int, int], object]] = None,
) -> Dict[str, Any]:
    """Diffs the register snapshots ``old`` and ``new`` (CSV files, sorted by NIK or not).

    Writes the events as JSON lines to ``out`` (or ``out_dir/events.jsonl``),
    ``anomalies.jsonl`` and ``summary.json`` beside them and, with
    ``subscriptions`` (a TOML file), one ``<agency>.jsonl`` per agency in
    ``out_dir`` in the same pass. ``since`` (the old snapshot's as-of date)
    separates ``LAHIR`` from ``DATANG``; by default the latest birth date in
    ``old``. ``progress(phase, done, total)`` is called now and then.
    Returns the summary (the content of ``summary.json``).
    """
    result: Dict[str, Any] = json.loads(
        _ktpel.events_diff(
            old,
            new,
            _date(as_of),
            since=None if since is None else _date(since),
            out=out,
            out_dir=out_dir,
            subscriptions=subscriptions,
            memory_budget=memory_budget,
            temp_dir=temp_dir,
            progress=progress,
        )
    )
    return result


def diff_csv(
    old_csv: str,
    new_csv: str,
    *,
    as_of: Union[str, datetime.date],
    since: Union[str, datetime.date, None] = None,
) -> Dict[str, Any]:
    """Diffs two small snapshots given as CSV text, in memory.

    Returns ``{"events": [...], "anomalies": [...], "summary": {...}}``.
    """
    result: Dict[str, Any] = json.loads(
        _ktpel.events_diff_csv(old_csv, new_csv, _date(as_of), None if since is None else _date(since))
    )
    return result


def apply(data: PathLike, events: PathLike, out: PathLike, log: Optional[PathLike] = None) -> Dict[str, Any]:
    """Applies ``events`` to the agency CSV ``data``; writes ``out`` and the change log ``log``.

    Idempotent: applying the same events again changes nothing. ``log``
    defaults to ``<out>.log.csv``. Returns the counts.
    """
    log_path = log if log is not None else os.fspath(out) + ".log.csv"
    result: Dict[str, Any] = json.loads(_ktpel.events_apply(data, events, out, log_path))
    return result


def aggregate(
    events: PathLike,
    *,
    level: str = "province",
    period: str = "month",
    csv: Optional[PathLike] = None,
) -> Dict[str, Any]:
    """Counts ``events`` by M-SINK category × region ``level`` × ``period``.

    ``level``: province, regency, district, village; ``period``: day, month,
    year or ``"YYYY-MM-DD..YYYY-MM-DD"``. Returns ``{"events",
    "events_counted", "rows": [{"period", "region", "category", "documents",
    "persons"}]}``; with ``csv`` the table is also written there.
    """
    result: Dict[str, Any] = json.loads(_ktpel.events_aggregate(events, level, period, csv))
    return result


def route(events: PathLike, subscriptions: PathLike, out_dir: PathLike) -> Dict[str, int]:
    """Routes an events file to one ``<agency>.jsonl`` per agency in ``out_dir`` (one read)."""
    result: Dict[str, int] = json.loads(_ktpel.events_route(events, subscriptions, out_dir))
    return result
