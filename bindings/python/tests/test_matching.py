"""Every case of tests/vectors/matching.json through Python, and the batch job on generated data."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import ktpel
from conftest import load

MATCHING = load("matching.json")


@pytest.mark.parametrize("case", MATCHING["verify"], ids=lambda c: c["id"])
def test_verify_vector(case: Dict[str, Any]) -> None:
    got = ktpel.matching.verify(case["submitted"], case["reference"], policy=case.get("policy_toml"))
    assert got["overall"] == case["overall"]
    assert set(got["elements"]) == set(case["elements"])
    for name, want in case["elements"].items():
        e = got["elements"][name]
        assert e["verdict"] == want["verdict"], name
        assert e["flag"] == want.get("flag"), name
        if "score_min" in want:
            assert e["score"] >= want["score_min"], name
        if "score_max" in want:
            assert e["score"] <= want["score_max"], name
    assert got["returned"] == case["returned"]


def test_policy_from_dict_equals_toml() -> None:
    toml_text = 'min_agreeing = 1\nreturned = ["nik", "name"]\n[elements.name]\ncompare = "name"\nthreshold = 0.9\n'
    as_dict = {"min_agreeing": 1, "returned": ["nik", "name"], "elements": {"name": {"compare": "name", "threshold": 0.9}}}
    assert ktpel.matching.policy(toml_text) == ktpel.matching.policy(as_dict)
    with pytest.raises(ktpel.MatchError) as e:
        ktpel.matching.policy({"min_agreeing": 1, "no_such_key": 2})
    assert e.value.code == "INVALID_CONFIG"


def test_batch_on_generated_data(tmp_path: Path) -> None:
    files = ktpel.sample.generate(tmp_path / "data", population=3000, agency=600, seed=11)["files"]
    pop, agency = Path(files[0]), Path(files[2])
    seen: List[Tuple[int, int]] = []
    s = ktpel.match(agency, pop, tmp_path / "out", reference_date=datetime.date(2022, 11, 30),
                    progress=lambda done, total: seen.append((done, total)))
    assert s["received"] == 600
    assert s["received"] == s["matched"] + s["anomaly"] + s["duplicate"] + s["unmatched"] + s["nik_not_found"]
    assert s["matched"] > 300
    assert seen and seen[-1][0] <= seen[-1][1]
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["received"] == 600
    with (tmp_path / "out" / "hasil.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in csv.reader(f)) == 601
    with pytest.raises(ktpel.MatchError) as e:
        ktpel.match(agency, pop, tmp_path / "out2", memory_budget="lots")
    assert e.value.code == "INVALID_MEMORY_BUDGET"
    with pytest.raises(ktpel.MatchError) as e:
        ktpel.match(tmp_path / "missing.csv", pop, tmp_path / "out3")
    assert e.value.code == "IO"


def test_dedupe_finds_shared_nik_and_person_under_two_niks(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "NIK,NAMA_LGKP,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU\n"
        "3174015708900123,SITI AMINAH,17-08-1990,P,RATNA\n"
        "3174015708900123,BUDI SANTOSO,01-02-1970,L,SRI\n"
        "3273010101850001,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n"
        "3273010101850002,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n"
        '"broken,row\n',
        encoding="utf-8",
    )
    s = ktpel.matching.dedupe(f, tmp_path / "out")
    assert (s["rows"], s["malformed"], s["nik_shared"], s["person_multiple_nik"]) == (5, 1, 1, 1)
    lines = (tmp_path / "out" / "duplikat.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and "PERSON_MULTIPLE_NIK" in lines[2]
    with pytest.raises(ktpel.KtpelError) as e:
        ktpel.matching.dedupe(f, tmp_path / "out", accept=1.5)
    assert e.value.code == "INVALID_ARGUMENT"
    with pytest.raises(ktpel.MatchError) as e2:
        ktpel.matching.dedupe(tmp_path / "missing.csv", tmp_path / "out")
    assert e2.value.code == "IO"
