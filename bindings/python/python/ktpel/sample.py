"""The deterministic sample-data generator.

Writes ``population.csv`` (the register), ``population_later.csv`` (a later
snapshot), ``agency.csv`` (an agency's file with realistic corruption) and the
truth files ``truth_agency.csv`` and ``truth_changes.csv``. The same seed gives
the same files.
"""

from __future__ import annotations

import datetime
import os
from typing import Any, Callable, Dict, Optional, Union

from . import _ktpel


def generate(
    out_dir: Union[str, "os.PathLike[str]"],
    *,
    population: int = 10_000,
    agency: int = 1_000,
    seed: int = 1,
    as_of: Optional[datetime.date] = None,
    later_as_of: Optional[datetime.date] = None,
    deceased_fraction: Optional[float] = None,
    progress: Optional[Callable[[int], object]] = None,
) -> Dict[str, Any]:
    """Generates the sample files into ``out_dir`` (created if missing).

    Returns the counts: ``register_rows``, ``later_rows``, ``agency_rows``,
    ``agency_clean``, ``changes``, ``changes_by_kind`` and ``files`` (paths).
    Raises :class:`ktpel.SampleError` (``INVALID_ARGUMENT``, ``IO``).
    """
    return _ktpel.sample_generate(
        os.fspath(out_dir),
        population=population,
        agency=agency,
        seed=seed,
        as_of=as_of,
        later_as_of=later_as_of,
        deceased_fraction=deceased_fraction,
        progress=progress,
    )


__all__ = ["generate"]
