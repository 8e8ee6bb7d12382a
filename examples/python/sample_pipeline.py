"""Generate sample data, then check the agency file's NIKs and names (pemadanan pre-checks)."""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections import Counter
from pathlib import Path

import ktpel


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        counts = ktpel.sample.generate(out, population=5000, agency=1000, seed=42)
        print(f"generated: {counts['register_rows']} register rows, {counts['agency_rows']} agency rows, "
              f"{counts['changes']} changes")
        with (out / "agency.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        nik_col = next(c for c in rows[0] if c.upper() == "NIK")
        name_col = next(c for c in rows[0] if "NAMA" in c.upper())
        checks = ktpel.nik.check_many([r[nik_col] for r in rows], mode="lenient",
                                      reference_date=datetime.date(2022, 11, 30))
        print("agency NIK codes:", dict(Counter(c.code or "VALID" for c in checks).most_common()))
        anomalies = Counter(a.code for r in rows if (a := ktpel.name.check(r[name_col])) and a.is_error)
        print("agency name anomalies (set aside):", dict(anomalies))
        summary = ktpel.validate(out / "agency.csv", out / "agency_checked.csv", column=nik_col,
                                 mode="lenient", reference_date=datetime.date(2022, 11, 30))
        print(f"validate: {summary['valid']} valid + {summary['invalid']} invalid = {summary['rows']} rows")
        assert summary["valid"] + summary["invalid"] == summary["rows"] == len(rows)


if __name__ == "__main__":
    main()
