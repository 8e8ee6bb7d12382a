"""Shared fixtures: the vectors in tests/vectors/*.json at the repository root."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict

import pytest

VECTORS = Path(os.environ.get("KTPEL_VECTORS", Path(__file__).resolve().parents[3] / "tests" / "vectors"))


def load(name: str) -> Dict[str, Any]:
    """One vector file."""
    data: Dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """Where the shared vectors live."""
    return VECTORS
