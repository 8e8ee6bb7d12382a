"""The region table through Python."""

from __future__ import annotations

import pytest

import ktpel


def test_lookup() -> None:
    r = ktpel.region.lookup("317401")
    assert (r.code, r.digits, r.name, r.level, r.status) == ("31.74.01", "317401", "Tebet", "DISTRICT", "CURRENT")
    assert r.parent == "31.74"
    assert 2025 in r.years
    assert r.is_kelurahan is None


def test_unknown_and_malformed() -> None:
    with pytest.raises(ktpel.RegionError) as e:
        ktpel.region.lookup("99.99")
    assert e.value.code in ("UNKNOWN_REGION", "INVALID_REGION_CODE")
    with pytest.raises(ktpel.RegionError) as e:
        ktpel.region.lookup("3x")
    assert e.value.code == "INVALID_REGION_CODE"
    assert ktpel.region.status("31.74").status == "CURRENT"


def test_children_and_search() -> None:
    provinces = ktpel.region.children()
    assert len(provinces) >= 34
    assert all(p.level == "PROVINCE" for p in provinces)
    assert any(c.code == "31.74" for c in ktpel.region.children("31"))
    hits = ktpel.region.search("kota bandung", level="REGENCY")
    assert hits[0].code == "32.73"
    assert ktpel.region.search("bandung", prefix=True)
    with pytest.raises(ktpel.RegionError):
        ktpel.region.search("x", level="COUNTRY")


def test_bps_bridge_round_trip() -> None:
    bps = ktpel.region.to_bps("32.73")
    assert ktpel.region.from_bps(bps) == "32.73"
    years = ktpel.region.snapshot_years()
    assert years == sorted(years) and years[-1] == 2025
