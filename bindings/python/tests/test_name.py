"""Every case of tests/vectors/names.json and name_pairs.json through Python."""

from __future__ import annotations

from typing import Any, Dict

import pytest

import ktpel
from conftest import load

NAMES = load("names.json")
PAIRS = load("name_pairs.json")


@pytest.mark.parametrize("case", NAMES["cases"], ids=lambda c: repr(c["input"]))
def test_name_vector(case: Dict[str, Any]) -> None:
    n = ktpel.name.normalize(case["input"])
    assert n.display == case["display"]
    assert n.normalized == case["normalized"]
    assert [r.title for r in n.removed] == case["removed"]
    assert ktpel.name.matching_key(case["input"]) == case["matching_key"]
    assert ktpel.name.phonetic_key(case["input"]) == case["phonetic_key"]
    first = ktpel.name.check(case["input"])
    assert (first.code if first else None) == case["anomaly"]
    assert [a.code for a in ktpel.name.check_all(case["input"])] == case["anomalies"]
    if case.get("mother") is not None:
        assert first is not None and first.mother == case["mother"]


def test_pairs_quality_and_symmetry() -> None:
    hand = [p for p in PAIRS["pairs"] if p["origin"] == "hand"]
    assert len(hand) >= 100
    tp = fp = fn = 0
    for p in hand:
        s = ktpel.name.similarity(p["a"], p["b"])
        assert s == ktpel.name.similarity(p["b"], p["a"]), p["id"]
        assert 0.0 <= s <= 1.0
        hit = s >= ktpel.name.DEFAULT_THRESHOLD
        tp += hit and p["same"]
        fp += hit and not p["same"]
        fn += (not hit) and p["same"]
    # The same floors as the Rust test (ktpel-core/tests/name_vectors.rs).
    assert tp / (tp + fp) >= 0.94
    assert tp / (tp + fn) >= 0.97


def test_similarity_many_equals_single_calls() -> None:
    a = [p["a"] for p in PAIRS["pairs"]]
    b = [p["b"] for p in PAIRS["pairs"]]
    assert ktpel.name.similarity_many(a, b) == [ktpel.name.similarity(x, y) for x, y in zip(a, b)]
    with pytest.raises(ktpel.NameCheckError) as e:
        ktpel.name.similarity_many(a, b[:-1])
    assert e.value.code == "INVALID_ARGUMENT"


def test_scores_and_kernels() -> None:
    s = ktpel.name.similarity_scores("Muhammad Rizki", "MOCH RIZKY")
    assert s.combined == ktpel.name.similarity("Muhammad Rizki", "MOCH RIZKY")
    assert all(0.0 <= v <= 1.0 for v in (s.token, s.jaro_winkler, s.levenshtein))
    assert ktpel.name.levenshtein("KITTEN", "SITTING") == 3
    assert ktpel.name.jaro_winkler("MARTHA", "MARHTA") == pytest.approx(0.9611, abs=1e-4)
    assert ktpel.name.jaro("MARTHA", "MARHTA") == pytest.approx(0.9444, abs=1e-4)
    assert ktpel.name.normalized_levenshtein("AB", "AB") == 1.0
    assert ktpel.name.blocking_keys("Siti Aminah")


def test_jaro_winkler_block_cutoff_is_lossless() -> None:
    pairs = PAIRS["pairs"]
    keys = [ktpel.name.matching_key(p["b"]) for p in pairs]
    for q in [p["a"] for p in pairs[:20]]:
        full = ktpel.name.jaro_winkler_block(q, keys)
        qk = ktpel.name.matching_key(q)
        assert full == [ktpel.name.jaro_winkler(qk, k) for k in keys]
        for cutoff in (0.0, 0.7, 0.85, 0.95, 1.0):
            cut = ktpel.name.jaro_winkler_block(q, keys, cutoff)
            assert cut == [s if s >= cutoff else 0.0 for s in full]
    with pytest.raises(ktpel.KtpelError) as e:
        ktpel.name.jaro_winkler_block("SITI", keys, 1.5)
    assert e.value.code == "INVALID_ARGUMENT"
