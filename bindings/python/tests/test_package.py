"""The package itself: installed (not the source tree), version, codes, exceptions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ktpel
from ktpel import _ktpel


def test_imported_from_an_installed_wheel() -> None:
    assert "site-packages" in Path(ktpel.__file__).parts, ktpel.__file__


def test_version_is_the_workspace_version() -> None:
    root = Path(__file__).resolve().parents[3]
    text = (root / "Cargo.toml").read_text(encoding="utf-8")
    m = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', text, re.S)
    assert m is not None
    assert ktpel.__version__ == m.group(1)


def test_every_code_has_an_exception_class() -> None:
    codes = ktpel.codes()
    assert len(codes) > 80
    names = [c.name for c in codes]
    assert len(set(names)) == len(names)
    for c in codes:
        cls = ktpel.exception_class(c.name)
        assert issubclass(cls, ktpel.KtpelError), c
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", c.name)
        assert c.description


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("INVALID_BIRTH_DATE", ktpel.NikError),
        ("FUTURE_ISSUE_DATE", ktpel.KkError),
        ("UNKNOWN_REGION", ktpel.RegionError),
        ("PLACEHOLDER", ktpel.NameCheckError),
        ("EXPIRED", ktpel.QrError),
        ("SAM_SM_MAC_MISMATCH", ktpel.SamError),
        ("ECDSA_BAD_SIGNATURE", ktpel.CryptoError),
        ("COLUMN_NOT_FOUND", ktpel.KtpelError),
        ("NIK_NOT_FOUND", ktpel.MatchError),
    ],
)
def test_exception_class_by_range(code: str, cls: type) -> None:
    assert ktpel.exception_class(code) is cls


def test_unknown_code_is_rejected() -> None:
    with pytest.raises(ktpel.KtpelError) as e:
        ktpel.exception_class("NOT_A_CODE")
    assert e.value.code == "INVALID_ARGUMENT"


def test_exceptions_are_not_runtime_errors() -> None:
    for cls in (ktpel.NikError, ktpel.KkError, ktpel.RegionError, ktpel.QrError, ktpel.SamError):
        assert issubclass(cls, ktpel.KtpelError)
        assert not issubclass(cls, RuntimeError)
    assert _ktpel.KtpelError is ktpel.KtpelError
