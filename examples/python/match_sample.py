"""Match two generated CSV files (agency file against the register) and print the summary."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import ktpel


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        data = Path(d)
        files = ktpel.sample.generate(data, population=20_000, agency=2_000, seed=3)["files"]
        summary = ktpel.match(
            files[2], files[0], data / "hasil",
            policy={"min_agreeing": 2, "returned": ["nik", "status"]},
            reference_date=datetime.date(2022, 11, 30),
            recover=True,
        )
        for label, key in [("Diterima", "received"), ("Sesuai", "matched"),
                           ("  di antaranya meninggal", "matched_deceased"), ("Anomali", "anomaly"),
                           ("Ganda", "duplicate"), ("Tidak sesuai", "unmatched"),
                           ("NIK tidak ditemukan", "nik_not_found")]:
            print(f"{label:<26} {summary[key]:>7}")
        print("codes:", summary["codes"])
        if summary.get("recovery"):
            print(f"NIK recovery: {summary['recovery']['recovered']} of {summary['recovery']['rows']} rows")
        one = ktpel.matching.verify(
            {"NIK": "3174015708900123", "NAMA_LGKP": "Hj. Siti Aminah", "TGL_LHR": "17-08-1990"},
            {"NIK": "3174015708900123", "NAMA_LGKP": "SITI AMINAH", "TGL_LHR": "17-08-1990",
             "JENIS_KLMIN": "PEREMPUAN", "STATUS": "HIDUP"},
        )
        print("one record:", one["overall"], {k: v["verdict"] for k, v in one["elements"].items()})


if __name__ == "__main__":
    main()
