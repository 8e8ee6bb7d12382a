"""Matching (pemadanan): verify one record against the register, or match
an agency CSV file against a population CSV file.

Policies (the agreed element combination and the PKS allow-list) and column
mappings are TOML: pass the TOML text as ``str``, a TOML file as a
``pathlib.Path``, or (policies only) a ``dict`` with the same structure.
Errors are :class:`ktpel.MatchError` (codes 300-399, ``INVALID_CONFIG``, ``IO``).
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

from . import _ktpel

PathLike = Union[str, "os.PathLike[str]"]
PolicyLike = Union[str, Path, Mapping[str, Any], None]


def _policy(policy: PolicyLike) -> Tuple[Optional[str], Optional[str]]:
    if policy is None:
        return None, None
    if isinstance(policy, Path):
        return policy.read_text(encoding="utf-8"), None
    if isinstance(policy, str):
        return policy, None
    return None, json.dumps(dict(policy))


def _toml(mapping: Union[str, Path, None]) -> Optional[str]:
    if isinstance(mapping, Path):
        return mapping.read_text(encoding="utf-8")
    return mapping


def policy(policy: PolicyLike = None) -> Dict[str, Any]:
    """Checks a policy and returns it in full (rules, ``min_agreeing``, ``returned``)."""
    t, j = _policy(policy)
    result: Dict[str, Any] = json.loads(_ktpel.match_policy(t, j))
    return result


def verify(
    submitted: Mapping[str, str],
    reference: Optional[Mapping[str, str]] = None,
    *,
    policy: PolicyLike = None,
) -> Dict[str, Any]:
    """Compares a submitted record with the register's record (``None``: no resident has the NIK).

    Records are dicts of Dukcapil column names (``NIK``, ``NAMA_LGKP``,
    ``TGL_LHR``, ``JENIS_KLMIN``, ...) to text. Returns ``overall``
    (``SESUAI``, ``TIDAK_SESUAI``, ``NIK_TIDAK_DITEMUKAN``), ``elements``
    (per compared element: ``verdict``, ``score``, ``flag``), ``returned`` (the
    register's elements the policy allows) and ``findings`` (conversion
    problems of the submitted record).
    """
    t, j = _policy(policy)
    result: Dict[str, Any] = json.loads(
        _ktpel.match_verify(
            list(submitted.items()),
            None if reference is None else list(reference.items()),
            t,
            j,
        )
    )
    return result


def match(
    agency: PathLike,
    population: PathLike,
    out_dir: PathLike,
    *,
    policy: PolicyLike = None,
    agency_mapping: Union[str, Path, None] = None,
    population_mapping: Union[str, Path, None] = None,
    reference_date: Optional[datetime.date] = None,
    memory_budget: Optional[str] = None,
    recover: bool = False,
    progress: Optional[Callable[[int, int], object]] = None,
) -> Dict[str, Any]:
    """Batch pemadanan of the agency file against the population file.

    Writes ``hasil.csv`` (one row per agency row with its category) and
    ``summary.json`` into ``out_dir`` (and ``kandidat.csv`` with ``recover``);
    returns the summary: ``received = matched + anomaly + duplicate +
    unmatched + nik_not_found``, with ``matched_deceased``, ``codes``,
    ``warnings``, ``population``, ``passes`` and ``recovery``.
    ``memory_budget`` (``"512M"``, ``"4G"``) bounds the in-memory register;
    ``progress(bytes_done, bytes_total)`` is called as the job runs.
    """
    t, j = _policy(policy)
    result: Dict[str, Any] = json.loads(
        _ktpel.match_batch(
            os.fspath(agency),
            os.fspath(population),
            os.fspath(out_dir),
            policy_toml=t,
            policy_json=j,
            agency_mapping=_toml(agency_mapping),
            population_mapping=_toml(population_mapping),
            reference_date=reference_date,
            memory_budget=memory_budget,
            recover=recover,
            progress=progress,
        )
    )
    return result


def dedupe(
    path: PathLike,
    out_dir: PathLike,
    *,
    mapping: Union[str, Path, None] = None,
    accept: Optional[float] = None,
) -> Dict[str, Any]:
    """Duplicate persons within one file: one NIK used by two persons
    (``NIK_SHARED``) and one person under two NIKs (``PERSON_MULTIPLE_NIK``).

    Writes ``duplikat.csv`` and ``summary.json`` into ``out_dir`` and returns
    the summary: ``rows``, ``malformed``, ``nik_shared``,
    ``person_multiple_nik``, ``pairs_scored`` and the estimated ``model``.
    ``accept`` is the lowest match probability of a "same person" pair
    (default 0.99).
    """
    result: Dict[str, Any] = json.loads(
        _ktpel.match_dedupe(os.fspath(path), os.fspath(out_dir), mapping=_toml(mapping), accept=accept)
    )
    return result


__all__ = ["dedupe", "match", "policy", "verify"]
