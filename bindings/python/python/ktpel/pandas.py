"""pandas helpers. pandas is imported lazily: ``import ktpel`` never needs it."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from . import nik as _nik

COLUMNS = [
    "valid",
    "code",
    "warnings",
    "normalized",
    "province_code",
    "regency_code",
    "district_code",
    "province_name",
    "regency_name",
    "district_name",
    "sex",
    "birth_date",
    "century_ambiguous",
    "serial",
]


def check_nik(
    series: Any,
    *,
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
) -> Any:
    """A ``pandas.DataFrame`` with one row per value of the ``pandas.Series`` ``series`` (same index) with the columns of :data:`COLUMNS`.

    Missing values (``None``/``NaN``) count as empty (``EMPTY``).
    """
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    values = [None if (v is None or (isinstance(v, float) and v != v)) else v for v in series.tolist()]
    checks = _nik.check_many(values, mode=mode, reference_date=reference_date)
    rows = checks.to_list()
    data = {c: [getattr(r, c) for r in rows] for c in COLUMNS}
    return pd.DataFrame(data, index=series.index, columns=COLUMNS)


__all__ = ["COLUMNS", "check_nik"]
