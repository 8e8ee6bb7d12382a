"""Validate the NIK column of a CSV file with a progress callback; print the summary."""

from __future__ import annotations

import csv
import datetime
import json
import tempfile
from pathlib import Path

import ktpel


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "penerima.csv", Path(d) / "hasil.csv"
        with src.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["NAMA_LGKP", "NIK"])
            for i in range(1, 5001):
                nik = f"317401570890{i:04d}" if i % 10 else "3.17401E+15"
                w.writerow([f"PENERIMA {i}", nik])
        summary = ktpel.validate(
            src, out, column="NIK", reference_date=datetime.date(2026, 11, 23),
            progress=lambda rows, nbytes: print(f"  ... {rows} rows, {nbytes} bytes"),
        )
        print(json.dumps(summary, indent=1, sort_keys=True))
        assert summary["valid"] + summary["invalid"] == summary["rows"] == 5000


if __name__ == "__main__":
    main()
