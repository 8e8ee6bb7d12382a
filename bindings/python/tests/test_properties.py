"""Hypothesis: no input crashes the binding; results keep their invariants."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

import ktpel

REF = datetime.date(2026, 11, 23)
digits16 = st.text(alphabet="0123456789", min_size=16, max_size=16)
anything = st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(anything, digits16), st.sampled_from(["strict", "lenient"]))
def test_nik_check_never_crashes(s: str, mode: str) -> None:
    r = ktpel.nik.check(s, mode=mode, reference_date=REF)
    assert r.valid == (r.code is None)
    if not r.valid:
        try:
            ktpel.nik.parse(s, mode=mode, reference_date=REF)
            raise AssertionError("parse accepted an invalid NIK")
        except ktpel.NikError as e:
            assert e.code == r.code
    k = ktpel.kk.check(s, mode=mode, reference_date=REF)
    assert k.valid == (k.code is None)


@settings(max_examples=300, deadline=None)
@given(anything, anything)
def test_name_functions_never_crash(a: str, b: str) -> None:
    n = ktpel.name.normalize(a)
    assert isinstance(n.display, str)
    ktpel.name.matching_key(a)
    ktpel.name.phonetic_key(a)
    ktpel.name.check_all(a)
    s = ktpel.name.similarity(a, b)
    assert 0.0 <= s <= 1.0


@settings(max_examples=200, deadline=None)
@given(anything)
def test_region_and_qr_never_crash(s: str) -> None:
    try:
        ktpel.region.lookup(s)
    except ktpel.RegionError as e:
        assert e.code in ("INVALID_REGION_CODE", "UNKNOWN_REGION")
    ver = ktpel.qr.Verifier()
    try:
        ver.verify(s, now=1780000000)
    except ktpel.QrError as e:
        assert 500 <= e.number < 600


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_sam_parsers_never_crash(b: bytes) -> None:
    for f in (ktpel.sam.parse_command, ktpel.sam.parse_response, ktpel.sam.unpad):
        try:
            f(b)
        except ktpel.SamError as e:
            assert e.code
    chip = ktpel.sam.VirtualChip.demo("ktpel", bytes(16))
    assert len(chip.process(b)) >= 2
