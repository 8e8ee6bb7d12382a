"""Every case of tests/vectors/nik.json and kk.json through Python."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List

import pytest

import ktpel
from conftest import load

NIK = load("nik.json")
KK = load("kk.json")


def _opts(case: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "mode": case.get("mode", "strict"),
        "reference_date": datetime.date.fromisoformat(case["reference_date"]),
    }


def _compare(got: Dict[str, Any], expect: Dict[str, Any], ctx: str) -> None:
    assert got["valid"] is expect["valid"], ctx
    assert got["code"] == expect["code"], ctx
    assert sorted(got["warnings"]) == sorted(expect["warnings"]), ctx
    for field in ("sex", "district_code", "district_name", "serial", "century_ambiguous"):
        if field in expect:
            assert got[field] == expect[field], f"{ctx}: {field}"
    for field in ("birth_date", "issue_date"):
        if field in expect:
            want = None if expect[field] is None else datetime.date.fromisoformat(expect[field])
            assert got[field] == want, f"{ctx}: {field}"


def test_vector_files_have_a_source() -> None:
    assert len(NIK["source"]) > 20 and len(KK["source"]) > 20
    assert len(NIK["cases"]) >= 50 and len(KK["cases"]) >= 20


@pytest.mark.parametrize("case", NIK["cases"], ids=lambda c: repr(c["input"]))
def test_nik_vector(case: Dict[str, Any]) -> None:
    opts = _opts(case)
    r = ktpel.nik.check(case["input"], birth_year=case.get("birth_year"), **opts)
    expect = case["expect"]
    _compare(r.to_dict(), expect, case["input"])
    assert bool(r) is expect["valid"]
    if expect["valid"]:
        assert ktpel.nik.parse(case["input"], birth_year=case.get("birth_year"), **opts) == r
    else:
        with pytest.raises(ktpel.NikError) as e:
            ktpel.nik.parse(case["input"], birth_year=case.get("birth_year"), **opts)
        assert e.value.code == expect["code"]
        assert isinstance(e.value.number, int) and 100 <= e.value.number < 200
        assert str(e.value)


@pytest.mark.parametrize("case", KK["cases"], ids=lambda c: repr(c["input"]))
def test_kk_vector(case: Dict[str, Any]) -> None:
    opts = _opts(case)
    r = ktpel.kk.check(case["input"], **opts)
    _compare(r.to_dict(), case["expect"], case["input"])
    if case["expect"]["valid"]:
        assert ktpel.kk.parse(case["input"], **opts).valid
    else:
        with pytest.raises(ktpel.KkError) as e:
            ktpel.kk.parse(case["input"], **opts)
        assert e.value.code == case["expect"]["code"]


def test_check_many_agrees_with_check_on_every_vector() -> None:
    # check_many takes one option set: group the cases by it.
    groups: Dict[Any, List[Dict[str, Any]]] = {}
    for c in NIK["cases"]:
        groups.setdefault((c.get("mode", "strict"), c["reference_date"], c.get("birth_year")), []).append(c)
    for (mode, ref, year), cases in groups.items():
        ref_date = datetime.date.fromisoformat(ref)
        many = ktpel.nik.check_many([c["input"] for c in cases], mode=mode, reference_date=ref_date, birth_year=year)
        one = [ktpel.nik.check(c["input"], mode=mode, reference_date=ref_date, birth_year=year) for c in cases]
        assert many.to_list() == one
        assert list(many) == one and len(many) == len(one)
        assert many.valid() == [c.valid for c in one]
        assert many.codes() == [c.code for c in one]
        assert many.count_valid() == sum(c.valid for c in one)
        assert many[-1] == one[-1]
        codes = ktpel.nik.codes_many([c["input"] for c in cases], mode=mode, reference_date=ref_date, birth_year=year)
        assert codes == [c["expect"]["code"] for c in cases]


def test_check_many_accepts_numpy_and_generators() -> None:
    np = pytest.importorskip("numpy")
    values = ["3174015708900123", "317401570890012X", ""]
    ref = datetime.date(2026, 11, 23)
    want = [ktpel.nik.check(v, reference_date=ref) for v in values]
    assert list(ktpel.nik.check_many(np.array(values), reference_date=ref)) == want
    assert list(ktpel.nik.check_many((v for v in values), reference_date=ref)) == want
    assert list(ktpel.nik.check_many(tuple(values), reference_date=ref)) == want
    # A value with a line break still counts as one value.
    got_nl = ktpel.nik.check_many(["3174015708900123", "31740157\n08900123"], reference_date=ref)
    assert len(got_nl) == 2 and got_nl[1].code == "NON_DIGIT"
    with pytest.raises(IndexError):
        got_nl[2]
    # None is empty; a spreadsheet float is reported, not lost.
    got = ktpel.nik.check_many([None, 3.17401e15], reference_date=ref)
    assert [g.code for g in got] == ["EMPTY", "SPREADSHEET_CORRUPTED"]
    assert len(ktpel.nik.check_many([])) == 0


def test_check_many_results_do_not_follow_later_list_changes() -> None:
    values = ["3174015708900123", "x"]
    got = ktpel.nik.check_many(values, reference_date=datetime.date(2026, 11, 23))
    values[0] = "y"
    assert got[0].valid and got[0].normalized == "3174015708900123"
    assert got.valid() == [True, False]


def test_check_many_large_batch_in_order() -> None:
    ref = datetime.date(2026, 11, 23)
    values = [f"31740157089{i % 100000:05d}" for i in range(20000)]
    got = ktpel.nik.check_many(values, reference_date=ref)
    assert len(got) == len(values)
    assert all(g.normalized == v for g, v in zip(got, values))
    assert got[0].code == "INVALID_SERIAL"  # serial 0000
    assert got[1].valid


@pytest.mark.parametrize(
    "values",
    [
        ["3174015708900123", ""],  # empty last value: the join ends with a line break
        ["", "3174015708900123"],
        [""],
        ["3174015708900123\r", "3174015708900123"],  # a carriage return is part of the value
        ["3174015708900123", "3174015708900123\n"],
        ["3174015708900123", "\n"],
        ["31740157089001\u00e9", "3174015708900123"],  # not ASCII
    ],
)
def test_check_many_edge_values_equal_single_checks(values: List[str]) -> None:
    ref = datetime.date(2026, 11, 23)
    want = [ktpel.nik.check(v, reference_date=ref) for v in values]
    got = ktpel.nik.check_many(values, reference_date=ref)
    assert len(got) == len(values)
    assert list(got) == want
    assert got.codes() == [w.code for w in want]
    assert ktpel.nik.codes_many(values, reference_date=ref) == [w.code for w in want]


def test_check_many_reads_a_lone_surrogate_as_a_bad_character() -> None:
    # Such a str cannot be encoded as UTF-8: the batch reads it lossily
    # instead of failing the other values.
    got = ktpel.nik.check_many(["\ud800", "3174015708900123"], reference_date=datetime.date(2026, 11, 23))
    assert got.codes() == ["NON_DIGIT", None]


def test_bad_mode_is_an_invalid_argument() -> None:
    with pytest.raises(ktpel.NikError) as e:
        ktpel.nik.check("3174015708900123", mode="sloppy")
    assert e.value.code == "INVALID_ARGUMENT"


def test_result_is_frozen() -> None:
    r = ktpel.nik.check("3174015708900123")
    with pytest.raises(AttributeError):
        r.valid = False  # type: ignore[misc]


def test_format_display() -> None:
    assert ktpel.nik.format_display("3174015708900123") == "31.74.01.570890.0123"
    assert ktpel.nik.format_display("12") is None
