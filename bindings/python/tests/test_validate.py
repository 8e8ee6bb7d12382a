"""The CSV validation job and the pandas helper."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path
from typing import List, Tuple

import pytest

import ktpel
from conftest import load

REF = datetime.date(2026, 11, 23)


def _write(path: Path, rows: List[Tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["NAMA", "NIK"])
        w.writerows(rows)


def test_validate_counts_every_row_once(tmp_path: Path) -> None:
    cases = load("nik.json")["cases"]
    strict = [c for c in cases if c.get("mode", "strict") == "strict" and c["reference_date"] == REF.isoformat() and "birth_year" not in c]
    rows = [(f"ORANG {i}", c["input"]) for i, c in enumerate(strict)]
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, rows)
    seen: List[Tuple[int, int]] = []
    summary = ktpel.validate(src, out, reference_date=REF, progress=lambda r, b: seen.append((r, b)))
    assert summary["rows"] == len(rows)
    assert summary["valid"] + summary["invalid"] == summary["rows"]
    assert summary["valid"] == sum(c["expect"]["valid"] for c in strict)
    assert sum(summary["codes"].values()) == summary["invalid"]
    for code, n in summary["codes"].items():
        assert n == sum(c["expect"]["code"] == code for c in strict)
    assert seen and seen[-1][0] == len(rows)
    with out.open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) == len(rows)
    assert [r["code"] for r in table] == [c["expect"]["code"] or "" for c in strict]


def test_validate_jsonl_and_errors(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    _write(src, [("A", "3174015708900123"), ("B", "x")])
    s = ktpel.validate(str(src), str(out), reference_date=REF, format="jsonl")
    assert (s["rows"], s["valid"], s["invalid"]) == (2, 1, 1)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    with pytest.raises(ktpel.ValidateError) as e:
        ktpel.validate(src, out, column="NO_KK")
    assert e.value.code == "COLUMN_NOT_FOUND"
    with pytest.raises(ktpel.ValidateError) as e:
        ktpel.validate(tmp_path / "missing.csv", out)
    assert e.value.code == "IO"
    with pytest.raises(ktpel.ValidateError) as e:
        ktpel.validate(src, out, kind="npwp")
    assert e.value.code == "INVALID_ARGUMENT"


def test_progress_callback_error_propagates(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write(src, [("A", "3174015708900123")])

    def boom(rows: int, nbytes: int) -> None:
        raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        ktpel.validate(src, out, progress=boom)


def test_pandas_check_nik() -> None:
    pd = pytest.importorskip("pandas")
    import ktpel.pandas

    s = pd.Series(["3174015708900123", None, "31740157089001"], index=[10, 20, 30])
    df = ktpel.pandas.check_nik(s, reference_date=REF)
    assert list(df.index) == [10, 20, 30]
    assert list(df.columns) == ktpel.pandas.COLUMNS
    assert df["valid"].tolist() == [True, False, False]
    # pandas may store a missing code as None or NaN depending on its string dtype.
    assert [None if pd.isna(x) else x for x in df["code"].tolist()] == [None, "EMPTY", "WRONG_LENGTH"]
    assert df.loc[10, "birth_date"] == datetime.date(1990, 8, 17)
    assert df.loc[10, "district_name"] == "Tebet"
    nan = pd.Series([float("nan")])
    assert ktpel.pandas.check_nik(nan)["code"].tolist() == ["EMPTY"]


def test_pandas_verify_and_match(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    import ktpel.pandas

    case = load("matching.json")["verify"][0]
    sub = pd.DataFrame([case["submitted"], {"NIK": "3174015708900999", "NAMA_LGKP": "X Y"}], index=["a", "b"])
    ref = pd.DataFrame([case["reference"]], index=["a"])
    df = ktpel.pandas.verify(sub, ref)
    assert df.loc["a", "overall"] == case["overall"]
    assert df.loc["b", "overall"] == "NIK_TIDAK_DITEMUKAN"
    files = ktpel.sample.generate(tmp_path / "d", population=1500, agency=200, seed=4)["files"]
    agency = pd.read_csv(files[2], dtype=str, keep_default_na=False)
    population = pd.read_csv(files[0], dtype=str, keep_default_na=False)
    summary, hasil = ktpel.pandas.match(agency, population, reference_date=datetime.date(2022, 11, 30))
    direct = ktpel.match(files[2], files[0], tmp_path / "out", reference_date=datetime.date(2022, 11, 30))
    assert summary["received"] == len(hasil) == 200
    assert {k: summary[k] for k in ("matched", "anomaly", "duplicate", "unmatched", "nik_not_found")} == {
        k: direct[k] for k in ("matched", "anomaly", "duplicate", "unmatched", "nik_not_found")
    }
