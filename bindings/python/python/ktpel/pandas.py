"""pandas helpers. pandas is imported lazily: ``import ktpel`` never needs it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Optional

from . import nik as _nik

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

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
    series: "pd.Series[Any]",
    *,
    mode: str = "strict",
    reference_date: Optional[datetime.date] = None,
) -> "pd.DataFrame":
    """One row per value of ``series`` (same index) with the columns of :data:`COLUMNS`.

    Missing values (``None``/``NaN``) count as empty (``EMPTY``).
    """
    import pandas as pd

    values = [None if (v is None or (isinstance(v, float) and v != v)) else v for v in series.tolist()]
    checks = _nik.check_many(values, mode=mode, reference_date=reference_date)
    data = {c: [getattr(r, c) for r in checks] for c in COLUMNS}
    return pd.DataFrame(data, index=series.index, columns=COLUMNS)


__all__ = ["COLUMNS", "check_nik"]
