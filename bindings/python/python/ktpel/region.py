"""The Kemendagri region table (snapshots 2016-2025) and the BPS bridge.

>>> import ktpel
>>> ktpel.region.lookup("31.74.01").name
'Tebet'
"""

from __future__ import annotations

from typing import List, NamedTuple, Optional

from . import _ktpel
from ._ktpel import Region


class Status(NamedTuple):
    """``CURRENT``, ``HISTORIC`` (with the successor code when known) or ``UNKNOWN``."""

    status: str
    successor: Optional[str]


def lookup(code: str) -> Region:
    """The region with this code (dotted or plain); raises :class:`ktpel.RegionError`."""
    return _ktpel.region_lookup(code)


def status(code: str) -> Status:
    """Whether the code is in force; raises :class:`ktpel.RegionError` for a malformed code."""
    s, succ = _ktpel.region_status(code)
    return Status(s, succ)


def children(code: Optional[str] = None) -> List[Region]:
    """Regions directly below ``code`` (historic included); ``None`` lists the provinces."""
    return _ktpel.region_children(code)


def search(query: str, *, level: Optional[str] = None, prefix: bool = False) -> List[Region]:
    """Regions by name (``level``: PROVINCE, REGENCY, DISTRICT, VILLAGE); exact matches first."""
    return _ktpel.region_search(query, level, prefix)


def to_bps(code: str) -> str:
    """Kemendagri code → BPS code; raises :class:`ktpel.RegionError` without a correspondence."""
    return _ktpel.region_to_bps(code)


def from_bps(code: str) -> str:
    """BPS code → Kemendagri code (dotted)."""
    return _ktpel.region_from_bps(code)


def snapshot_years() -> List[int]:
    """Years of the embedded snapshots, oldest first."""
    return _ktpel.region_snapshot_years()


__all__ = ["Region", "Status", "children", "from_bps", "lookup", "search", "snapshot_years", "status", "to_bps"]
