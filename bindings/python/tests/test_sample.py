"""The sample-data generator through Python, and a check of its NIKs."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import List

import pytest

import ktpel


def test_generate_is_deterministic_and_valid(tmp_path: Path) -> None:
    seen: List[int] = []
    a = ktpel.sample.generate(tmp_path / "a", population=2000, agency=300, seed=7, progress=seen.append)
    b = ktpel.sample.generate(tmp_path / "b", population=2000, agency=300, seed=7)
    assert a["register_rows"] == 2000 and a["agency_rows"] == 300
    assert sum(a["changes_by_kind"].values()) == a["changes"]
    assert seen and seen[-1] <= a["register_rows"]
    for fa, fb in zip(a["files"], b["files"]):
        assert Path(fa).read_bytes() == Path(fb).read_bytes()
    # Every register NIK is valid on the register's as-of date.
    pop = Path(a["files"][0])
    with pop.open(encoding="utf-8") as f:
        niks = [row["NIK"] for row in csv.DictReader(f)]
    checks = ktpel.nik.check_many(niks, reference_date=datetime.date(2022, 11, 30))
    bad = [(n, c.code) for n, c in zip(niks, checks) if not c.valid]
    assert not bad, bad[:5]
    summary = ktpel.validate(pop, tmp_path / "checked.csv", reference_date=datetime.date(2022, 11, 30))
    assert summary["rows"] == 2000 and summary["valid"] == 2000


def test_generate_rejects_bad_config(tmp_path: Path) -> None:
    with pytest.raises(ktpel.SampleError) as e:
        ktpel.sample.generate(tmp_path, population=10, deceased_fraction=2.0)
    assert e.value.code == "INVALID_ARGUMENT"
