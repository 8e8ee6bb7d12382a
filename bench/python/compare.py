"""ktpel's Python binding against Python peers, in one run on the same inputs.

- NIK: ``ktpel.nik.check_many`` / ``codes_many`` vs python-stdnum's
  ``stdnum.id.nik.is_valid``, PyPI ``business-id-nik``'s ``parse_nik`` and a
  plain-Python regex-plus-date validator, on the same N NIKs (default 1 M).
- Names: ``ktpel.name.similarity_many`` and per-call ``similarity`` vs
  ``rapidfuzz`` (per call and ``process.cpdist``) and ``jellyfish`` on the same
  pairs (default 1 M).
- QR: ``ktpel.qr.Verifier.verify`` vs Python ``cwt`` decoding the same tokens.
- Per-call overhead of the binding: ``ktpel.nik.check`` and a near-empty native call.

Usage: bench/python/compare.sh (builds the release wheel and the venv), or
  python bench/python/compare.py [N_NIKS] [N_PAIRS]
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import ktpel

ROOT = Path(__file__).resolve().parents[2]
REF = datetime.date(2026, 11, 23)
N_NIKS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
N_PAIRS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
results: Dict[str, Any] = {}


def timed(label: str, fn: Callable[[], Any], n: int, repeat: int = 1) -> Tuple[float, Any]:
    """Best wall time of ``repeat`` runs; prints per-item figures."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"  {label:<58} {best:8.3f} s  {n / best / 1e6:8.3f} M/s  {best / n * 1e9:9.1f} ns/item")
    results[label] = {"seconds": round(best, 4), "items": n, "per_second": round(n / best)}
    return best, out


def districts() -> List[str]:
    out: List[str] = []
    for p in ktpel.region.children():
        for r in ktpel.region.children(p.code):
            out += [d.digits for d in ktpel.region.children(r.code) if d.status == "CURRENT"]
    return out


def make_niks(n: int) -> List[str]:
    rng = random.Random(20261123)
    ds = districts()
    niks = []
    for _ in range(n):
        d = rng.choice(ds)
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 80 * 365))
        day = born.day + (40 if rng.random() < 0.5 else 0)
        s = f"{d}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randrange(1, 10000):04d}"
        r = rng.random()
        if r < 0.03:
            s = s[:8] + "13" + s[10:]  # month 13
        elif r < 0.05:
            s = s[:15]  # lost digit
        elif r < 0.07:
            s = "99" + s[2:]  # unknown province
        elif r < 0.08:
            s = s[:5] + "O" + s[6:]  # letter O for zero
        niks.append(s)
    return niks


NIK_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{4})$")


def plain_python_factory() -> Callable[[str], bool]:
    provinces = {int(p.code) for p in ktpel.region.children()}

    def valid(s: str) -> bool:
        m = NIK_RE.match(s)
        if not m or int(m.group(1)) not in provinces or m.group(7) == "0000":
            return False
        day, month, yy = int(m.group(4)), int(m.group(5)), int(m.group(6))
        if day > 40:
            day -= 40
        year = 2000 + yy if 2000 + yy <= REF.year else 1900 + yy
        try:
            return datetime.date(year, month, day) <= REF
        except ValueError:
            return False

    return valid


def bench_nik() -> None:
    print(f"--- NIK: {N_NIKS} NIKs (92 % well-formed, 8 % broken), reference date {REF}")
    niks = make_niks(N_NIKS)
    t_many, checks = timed("ktpel.nik.check_many (list -> list[NikCheck])", lambda: ktpel.nik.check_many(niks, reference_date=REF), N_NIKS, 3)
    t_codes, codes = timed("ktpel.nik.codes_many (list -> list[code|None])", lambda: ktpel.nik.codes_many(niks, reference_date=REF), N_NIKS, 3)
    ktpel_valid = sum(c is None for c in codes)
    assert ktpel_valid == sum(c.valid for c in checks)
    peers: Dict[str, Tuple[float, int]] = {}
    plain = plain_python_factory()
    t, v = timed("plain Python regex + datetime.date", lambda: sum(map(plain, niks)), N_NIKS)
    peers["plain Python regex + date"] = (t, v)
    try:
        from stdnum.id import nik as stdnum_nik
        import stdnum

        stdnum_nik.is_valid(niks[0])  # load its locality table outside the timing
        t, v = timed(f"python-stdnum {stdnum.__version__} stdnum.id.nik.is_valid", lambda: sum(map(stdnum_nik.is_valid, niks)), N_NIKS)
        peers[f"python-stdnum {stdnum.__version__}"] = (t, v)
    except ImportError:
        print("  python-stdnum has no stdnum.id.nik module")
    try:
        from business_id_nik.business_id_nik import parse_nik

        def bidn() -> int:
            # parse_nik print()s every number it parses: send that to an in-memory sink.
            with contextlib.redirect_stdout(io.StringIO()):
                return sum(parse_nik(s)[0] == 200 for s in niks)

        t, v = timed("business-id-nik 0.93.1 parse_nik (its print() discarded)", bidn, N_NIKS)
        peers["business-id-nik 0.93.1"] = (t, v)
    except ImportError:
        print("  business-id-nik not installed")
    print(f"  valid: ktpel {ktpel_valid}; " + "; ".join(f"{k} {v}" for k, (_, v) in peers.items()))
    fastest = min(t for t, _ in peers.values())
    print(f"  ratio check_many / fastest peer: {fastest / t_many:.1f}x; codes_many / fastest peer: {fastest / t_codes:.1f}x")
    for k, (t, _) in peers.items():
        print(f"    vs {k}: check_many {t / t_many:.1f}x, codes_many {t / t_codes:.1f}x")
    results["nik_ratio_fastest_peer"] = {"check_many": round(fastest / t_many, 1), "codes_many": round(fastest / t_codes, 1)}
    try:
        import numpy as np

        arr = np.array(niks)
        timed("ktpel.nik.codes_many (NumPy array of str)", lambda: ktpel.nik.codes_many(arr, reference_date=REF), N_NIKS, 3)
    except ImportError:
        pass


def make_pairs(n: int) -> Tuple[List[str], List[str]]:
    out = ROOT / "target" / "py-bench-sample"
    if not (out / "population.csv").exists():
        ktpel.sample.generate(out, population=200_000, agency=0, seed=5)
    import csv

    with (out / "population.csv").open(encoding="utf-8") as f:
        r = csv.DictReader(f)
        col = next(c for c in (r.fieldnames or []) if c == "NAMA_LGKP")
        names = [row[col] for row in r]
    rng = random.Random(7)
    a, b = [], []
    for i in range(n):
        x = names[i % len(names)]
        if i % 2:
            y = names[rng.randrange(len(names))]
        else:  # a near variant: the same name with one character changed or a title added
            y = "H. " + x if rng.random() < 0.3 else x[:-1] + "A"
        a.append(x)
        b.append(y)
    return a, b


def bench_names() -> None:
    print(f"--- names: {N_PAIRS} pairs from ktpel.sample register names (half near variants)")
    a, b = make_pairs(N_PAIRS)
    t_many, _ = timed("ktpel.name.similarity_many (normalize + token alignment)", lambda: ktpel.name.similarity_many(a, b), N_PAIRS)
    t_call, _ = timed("ktpel.name.similarity per call", lambda: list(map(ktpel.name.similarity, a, b)), N_PAIRS)
    timed("ktpel.name.jaro_winkler per call (kernel only)", lambda: list(map(ktpel.name.jaro_winkler, a, b)), N_PAIRS)
    peers: Dict[str, float] = {}
    try:
        import rapidfuzz
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import JaroWinkler

        v = rapidfuzz.__version__
        peers[f"rapidfuzz {v} JaroWinkler per call"] = timed(f"rapidfuzz {v} JaroWinkler.normalized_similarity per call", lambda: list(map(JaroWinkler.normalized_similarity, a, b)), N_PAIRS)[0]
        peers[f"rapidfuzz {v} token_sort_ratio per call"] = timed(f"rapidfuzz {v} fuzz.token_sort_ratio per call", lambda: list(map(fuzz.token_sort_ratio, a, b)), N_PAIRS)[0]
        peers[f"rapidfuzz {v} cpdist JaroWinkler, 1 worker"] = timed(f"rapidfuzz {v} process.cpdist(JaroWinkler, workers=1)", lambda: process.cpdist(a, b, scorer=JaroWinkler.normalized_similarity, workers=1), N_PAIRS)[0]
        peers[f"rapidfuzz {v} cpdist token_sort_ratio, 1 worker"] = timed(f"rapidfuzz {v} process.cpdist(token_sort_ratio, workers=1)", lambda: process.cpdist(a, b, scorer=fuzz.token_sort_ratio, workers=1), N_PAIRS)[0]
    except ImportError:
        print("  rapidfuzz not installed")
    try:
        import jellyfish

        jv = getattr(jellyfish, "__version__", "1.x")
        peers[f"jellyfish {jv} jaro_winkler_similarity per call"] = timed(f"jellyfish {jv} jaro_winkler_similarity per call", lambda: list(map(jellyfish.jaro_winkler_similarity, a, b)), N_PAIRS)[0]
    except ImportError:
        print("  jellyfish not installed")
    for k, t in peers.items():
        print(f"    {k}: ktpel similarity_many is {t / t_many:.2f}x its speed; per call {t / t_call:.2f}x")


def bench_qr() -> None:
    n = 2000
    print(f"--- QR: {n} fresh ktpel tokens (ES256 + A256GCM + zlib + Base45), each verified once")
    sk, ek = ktpel.qr.generate_keys("bench-sig", "bench-enc")
    issuer = ktpel.qr.Issuer(sk, ek)
    claims = {"iss": "dukcapil.kemendagri.go.id", "aud": "bank-xyz", "identity": {"nik": "3174015708900123", "nama": "SITI AMINAH", "tgl_lhr": "1990-08-17", "jenis_klmin": "PEREMPUAN", "doc": ["KTP", "KK"]}}
    tokens = [issuer.issue(claims, 90) for _ in range(n)]
    ver = ktpel.qr.Verifier([sk.verifying_key()], [ek], audience="bank-xyz")
    t_k, _ = timed("ktpel.qr.Verifier.verify", lambda: [ver.verify(t) for t in tokens], n)
    try:
        sys.path.insert(0, str(ROOT / "tests" / "interop" / "qr"))
        import cwt
        import py_interop  # type: ignore[import-not-found]

        jwks = {"keys": [json.loads(sk.verifying_key().to_jwk()), json.loads(ek.to_jwk())]}
        sig_pub, _, enc = py_interop.load_keys(jwks)
        ctx = cwt.CWT.new(leeway=5)
        got = ctx.decode(py_interop.unwrap(tokens[0]), keys=sig_pub + enc)
        assert got[py_interop.IDENTITY]["nik"] == "3174015708900123"
        t_c, _ = timed(f"python cwt {cwt.__version__} decode (decrypt + ES256 + claims)", lambda: [ctx.decode(py_interop.unwrap(t), keys=sig_pub + enc) for t in tokens], n)
        print(f"    ktpel/cwt = {t_c / t_k:.1f}x")
    except ImportError as e:
        print(f"  cwt not available ({e})")


def bench_overhead() -> None:
    import timeit

    print("--- per-call overhead (timeit, 1 M calls, best of 3)")
    s = "3174015708900123"
    g = {"ktpel": ktpel, "s": s, "native": ktpel._ktpel, "REF": REF}
    for label, stmt in [
        ("ktpel.nik.check(s) (wrapper + native + core)", "ktpel.nik.check(s)"),
        ("ktpel.nik.check(s, reference_date=REF)", "ktpel.nik.check(s, reference_date=REF)"),
        ("native _ktpel.nik_check(s) (no Python wrapper)", "native.nik_check(s)"),
        ("native _ktpel.nik_format_display('x') (near-empty native call)", "native.nik_format_display('x')"),
        ("r = ktpel.nik.check(s); r.valid, r.birth_date (+2 getters)", "r = ktpel.nik.check(s); r.valid; r.birth_date"),
        ("len(s) (Python builtin call, for scale)", "len(s)"),
    ]:
        best = min(timeit.repeat(stmt, globals=g, number=1_000_000, repeat=3))
        print(f"  {label:<66} {best * 1e3:8.1f} ns/call")
        results[f"overhead: {label}"] = {"ns_per_call": round(best * 1e3, 1)}


def main() -> None:
    print("command: python bench/python/compare.py " + " ".join(sys.argv[1:]))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    print(f"ktpel {ktpel.__version__} from {Path(ktpel.__file__).parent}")
    bench_overhead()
    bench_nik()
    bench_names()
    bench_qr()
    out = ROOT / "target" / "py-bench.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
