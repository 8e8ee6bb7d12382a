"""ktpel.events: the shared vectors, the file jobs on generated snapshots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import ktpel
from conftest import load

V = load("events.json")


def _csv(header: List[str], rows: List[List[str]]) -> str:
    return "".join(",".join(r) + "\n" for r in [header, *rows])


@pytest.mark.parametrize("case", V["cases"], ids=[c["name"] for c in V["cases"]])
def test_vectors(case: Dict[str, Any]) -> None:
    got = ktpel.events.diff_csv(
        _csv(V["header"], case["old"]), _csv(V["header"], case["new"]), as_of=V["as_of"], since=V["since"]
    )
    assert len(got["events"]) == len(case["expected_events"])
    for g, w in zip(got["events"], case["expected_events"]):
        for k in ("id", "type", "nik", "changes", "from", "to"):
            assert g.get(k) == w.get(k), k
    assert [a["code"] for a in got["anomalies"]] == case["expected_anomalies"]
    for code in case["expected_anomalies"]:
        assert ktpel.exception_class(code) is ktpel.EventsError


def test_file_jobs(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    summary = ktpel.sample.generate(gen, population=2000, seed=9)
    (gen / "subs.toml").write_text(
        '[[agency]]\nname = "all"\nelements = ["*"]\n\n[[agency]]\nname = "mati"\nelements = ["STATUS"]\ntypes = ["MATI"]\n'
    )
    calls: List[str] = []
    s = ktpel.diff(
        gen / "population.csv",
        gen / "population_later.csv",
        as_of="2023-11-30",
        since="2022-11-30",
        out_dir=tmp_path / "out",
        subscriptions=gen / "subs.toml",
        progress=lambda phase, done, total: calls.append(phase),
    )
    assert s["events_total"] == summary["changes"]
    assert s["anomalies_total"] == 0
    assert s["agencies"]["all"] == s["events_total"]
    assert s["agencies"]["mati"] == s["events"]["MATI"]
    assert calls
    ev = tmp_path / "out" / "events.jsonl"
    assert json.loads((tmp_path / "out" / "summary.json").read_text()) == s
    first = ktpel.events.apply(gen / "population.csv", ev, tmp_path / "upd.csv")
    assert first["values_changed"] > 0
    second = ktpel.events.apply(tmp_path / "upd.csv", ev, tmp_path / "upd2.csv")
    assert second["values_changed"] == 0
    assert (tmp_path / "upd.csv").read_bytes() == (tmp_path / "upd2.csv").read_bytes()
    agg = ktpel.aggregate(ev, level="regency", period="year", csv=tmp_path / "agg.csv")
    assert agg["events"] == s["events_total"]
    births = sum(r["persons"] for r in agg["rows"] if r["category"] == "KELAHIRAN")
    assert births == s["events"]["LAHIR"]
    assert (tmp_path / "agg.csv").read_text().startswith("PERIOD,REGION,CATEGORY,DOCUMENTS,PERSONS")
    routed = ktpel.events.route(ev, gen / "subs.toml", tmp_path / "routed")
    assert routed == s["agencies"]


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(ktpel.EventsError) as e:
        ktpel.diff(tmp_path / "missing.csv", tmp_path / "missing.csv", as_of="2023-11-30", out_dir=tmp_path)
    assert e.value.code == "IO"
    with pytest.raises(ktpel.EventsError) as e:
        ktpel.events.diff_csv("NIK,A\n", "NIK,B\n", as_of="2023-11-30")
    assert e.value.code == "SNAPSHOT_HEADER_MISMATCH"
    (tmp_path / "e.jsonl").write_text("not json\n")
    with pytest.raises(ktpel.EventsError) as e:
        ktpel.aggregate(tmp_path / "e.jsonl")
    assert e.value.code == "BAD_EVENT_LINE"
    with pytest.raises(ktpel.EventsError) as e:
        ktpel.aggregate(tmp_path / "e.jsonl", level="planet")
    assert e.value.code == "INVALID_ARGUMENT"
