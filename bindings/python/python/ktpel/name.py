"""Indonesian names: normalization, anomalies, similarity, keys.

>>> import ktpel
>>> ktpel.name.normalize("Hj. Siti Aminah, S.Pd.").display
'SITI AMINAH'
>>> ktpel.name.similarity("Muhammad Rizki", "MOCH RIZKY") > 0.8
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from . import _ktpel


DEFAULT_THRESHOLD: float = _ktpel.NAME_DEFAULT_THRESHOLD
"""Similarity at or above which two names are taken as the same person's."""


@dataclass(frozen=True)
class RemovedTitle:
    """A title :func:`normalize` took out of a name."""

    text: str
    """As written, uppercased and folded, e.g. ``S.PD.``."""
    title: str
    """The usual written form, e.g. ``S.Pd.``."""
    kind: str
    """Academic, religious, professional, honorific or status."""
    position: str
    """Before the name, after it, or after a comma."""
    meaning: str
    """What the title stands for."""


@dataclass(frozen=True)
class NormalizedName:
    """The result of :func:`normalize`."""

    display: str
    """Display form, e.g. ``MA'RUF AMIN``."""
    normalized: str
    """Comparison form, e.g. ``MARUF AMIN``."""
    removed: Tuple[RemovedTitle, ...]
    """Titles removed, in the order they stood."""

    @property
    def tokens(self) -> List[str]:
        """The words of the comparison form."""
        return [t for t in self.normalized.split(" ") if t]

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class Anomaly:
    """Why a name is not (quite) a name."""

    code: str
    """Stable code, e.g. ``PLACEHOLDER``, ``SINGLE_WORD``."""
    severity: str
    """``"error"`` (set the record aside) or ``"warning"``."""
    message: str
    """What is wrong, for a clerk."""
    mother: Optional[str]
    """For a newborn placeholder (``BAYI NY. SITI``), the mother's name."""

    @property
    def is_error(self) -> bool:
        """True when the record should be set aside."""
        return self.severity == "error"


@dataclass(frozen=True)
class SimilarityScores:
    """The combined score and its components, all in [0, 1]."""

    combined: float
    token: float
    jaro_winkler: float
    levenshtein: float


def normalize(s: str) -> NormalizedName:
    """Uppercases, folds, removes titles and degrees."""
    display, normalized, removed = _ktpel.name_normalize(s)
    return NormalizedName(display, normalized, tuple(RemovedTitle(*r) for r in removed))


def matching_key(s: str) -> str:
    """The key two spellings of one name share (old spellings, MUHAMMAD variants, ...)."""
    return _ktpel.name_matching_key(s)


def phonetic_key(s: str) -> str:
    """A phonetic key tuned for Indonesian names."""
    return _ktpel.name_phonetic_key(s)


def blocking_keys(s: str) -> List[str]:
    """Keys for blocking candidate pairs in record linkage."""
    return _ktpel.name_blocking_keys(s)


def check_all(s: str) -> List[Anomaly]:
    """Every anomaly of the name, the most serious first."""
    return [Anomaly(*a) for a in _ktpel.name_check_all(s)]


def check(s: str) -> Optional[Anomaly]:
    """The most serious anomaly, or ``None`` for a clean name."""
    found = check_all(s)
    return found[0] if found else None


def similarity(a: str, b: str) -> float:
    """The combined similarity of two names in [0, 1] (threshold this one)."""
    return _ktpel.name_similarity(a, b)


def similarity_scores(a: str, b: str) -> SimilarityScores:
    """The combined score with its components."""
    d = _ktpel.name_similarity_scores(a, b)
    return SimilarityScores(d["combined"], d["token"], d["jaro_winkler"], d["levenshtein"])


def similarity_many(a: Sequence[str], b: Sequence[str]) -> List[float]:
    """Similarity of ``a[i]`` and ``b[i]`` for every ``i``, with the GIL released."""
    return _ktpel.name_similarity_many(list(a), list(b))


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings as given."""
    return _ktpel.name_jaro_winkler(a, b)


def jaro_winkler_block(query: str, keys: Sequence[str], cutoff: Optional[float] = None) -> List[float]:
    """Jaro-Winkler of ``query``'s matching key against each candidate MATCHING KEY.

    The blocking pass of a matcher that keeps :func:`matching_key` values in
    an index: one score per key, in order, with the GIL released. With
    ``cutoff`` (in [0, 1]) scores below it are 0 and a lossless prefilter
    skips most candidates, which is several times faster on large blocks.
    """
    return _ktpel.name_jaro_winkler_block(query, list(keys), cutoff)


def jaro(a: str, b: str) -> float:
    """Jaro similarity of two strings as given."""
    return _ktpel.name_jaro(a, b)


def levenshtein(a: str, b: str) -> int:
    """Levenshtein edit distance (in characters)."""
    return _ktpel.name_levenshtein(a, b)


def normalized_levenshtein(a: str, b: str) -> float:
    """1 - distance / longer length."""
    return _ktpel.name_normalized_levenshtein(a, b)


__all__ = [
    "Anomaly",
    "DEFAULT_THRESHOLD",
    "NormalizedName",
    "RemovedTitle",
    "SimilarityScores",
    "blocking_keys",
    "jaro_winkler_block",
    "check",
    "check_all",
    "jaro",
    "jaro_winkler",
    "levenshtein",
    "matching_key",
    "normalize",
    "normalized_levenshtein",
    "phonetic_key",
    "similarity",
    "similarity_many",
    "similarity_scores",
]
