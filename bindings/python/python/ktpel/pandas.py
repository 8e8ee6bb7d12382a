"""pandas helpers. pandas is imported lazily: ``import ktpel`` never needs it."""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from . import matching as _matching
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


def verify(
    submitted: Any,
    reference: Any,
    *,
    policy: _matching.PolicyLike = None,
) -> Any:
    """Verifies each row of the ``pandas.DataFrame`` ``submitted`` against the row with the same
    index label in ``reference`` (missing label: the NIK was not found).

    Columns are Dukcapil names (``NIK``, ``NAMA_LGKP``, ``TGL_LHR``, ...).
    Returns a DataFrame with the same index: ``overall``, one verdict column
    per compared element and ``returned`` (dict of the allowed register elements).
    """
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    def as_record(row: Any) -> Dict[str, str]:
        return {str(k): str(v) for k, v in row.items() if not (v is None or (isinstance(v, float) and v != v))}

    rows = []
    for label, row in submitted.iterrows():
        ref = as_record(reference.loc[label]) if label in reference.index else None
        v = _matching.verify(as_record(row), ref, policy=policy)
        out: Dict[str, Any] = {"overall": v["overall"]}
        out.update({k: e["verdict"] for k, e in v["elements"].items()})
        out["returned"] = v["returned"]
        rows.append(out)
    return pd.DataFrame(rows, index=submitted.index)


def match(
    agency: Any,
    population: Any,
    *,
    policy: _matching.PolicyLike = None,
    reference_date: Optional[datetime.date] = None,
    recover: bool = False,
) -> Tuple[Dict[str, Any], Any]:
    """Batch pemadanan of two DataFrames (columns named as in the register: ``NIK``, ``NAMA_LGKP``, ...).

    Writes both to temporary CSV files, runs :func:`ktpel.match` and returns
    ``(summary, hasil)`` where ``hasil`` is the per-row result as a DataFrame
    (all columns as text).
    """
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    with tempfile.TemporaryDirectory() as d:
        a, p, out = Path(d) / "agency.csv", Path(d) / "population.csv", Path(d) / "out"
        agency.to_csv(a, index=False)
        population.to_csv(p, index=False)
        summary = _matching.match(a, p, out, policy=policy, reference_date=reference_date, recover=recover)
        hasil = pd.read_csv(os.path.join(out, "hasil.csv"), dtype=str, keep_default_na=False)
    return summary, hasil


__all__ = ["COLUMNS", "check_nik", "match", "verify"]
