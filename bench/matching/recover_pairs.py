"""NIK recovery speed on the SAME candidate pairs: ktpel vs Splink 5 (DuckDB).

usage: python recover_pairs.py KTPEL GEN_DIR WORK_DIR

GEN_DIR holds `agency.csv` and `population.csv` (`ktpel gen`). The script
runs `ktpel match --recover` on them with `KTPEL_DUMP_PAIRS` set, so ktpel
writes its candidate pairs (`QUERY,NIK`) and prints its phase times
(prepare + train, blocking, EM, and comparison + scoring + ranking in one
pass). Splink then scores exactly
those pairs: every pair gets an id, its agency row and its register row are
written once per pair with that id, and Splink blocks on `l.pair_id =
r.pair_id`, so `predict` compares and scores the same pairs ktpel did, with
comparable comparisons (name and mother's name `NameComparison`, birth date
`DateOfBirthComparison`, sex exact, birth place Jaro-Winkler 0.9, submitted
NIK Damerau-Levenshtein <= 2). Splink's parameters are trained first (u by
random sampling, m by EM on the pairs themselves, as ktpel does; not timed),
then `predict()` is timed. ktpel's comparable time is its comparison +
scoring + ranking pass (blocking and EM excluded); its whole recovery time is shown
too. Both use the machine's cores (rayon / DuckDB threads).
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from splink_recover import comparisons


def tried_rows(out: Path) -> list[int]:
    """The rows ktpel tries to recover, in input order (as the batch collects them)."""
    nik_rows = set()
    with open(out / "anomali.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["ELEMEN"] == "NIK":
                nik_rows.add(int(r["BARIS"]))
    rows = []
    with open(out / "hasil.csv", newline="") as f:
        for r in csv.DictReader(f):
            row = int(r["BARIS"])
            if r["KATEGORI"] in ("TIDAK_SESUAI", "NIK_TIDAK_DITEMUKAN") or (
                r["KATEGORI"] == "ANOMALI" and row in nik_rows
            ):
                rows.append(row)
    return rows


def prep(d: pd.DataFrame) -> pd.DataFrame:
    x = pd.DataFrame(index=d.index)
    x["name"] = d["NAMA_LGKP"].str.upper().str.replace(r"[^A-Z ]", "", regex=True).str.strip()
    dob = pd.to_datetime(d["TGL_LHR"], format="%d-%m-%Y", errors="coerce")
    x["dob"] = dob.dt.strftime("%Y-%m-%d")
    x["sex"] = d["JENIS_KLMIN"].str[:1]
    x["place"] = d["TMPT_LHR"]
    x["mother"] = d["NAMA_LGKP_IBU"].str.upper().str.replace(r"[^A-Z ]", "", regex=True).str.strip()
    x["nik"] = d["NIK"]
    return x


def main() -> None:
    ktpel, gen, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    out, pairs_path = work / "out", work / "pairs.csv"
    print(f"data: {gen}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
    env = dict(os.environ, KTPEL_DUMP_PAIRS=str(pairs_path))
    t = time.perf_counter()
    p = subprocess.run(
        [ktpel, "match", "--agency", str(gen / "agency.csv"), "--population", str(gen / "population.csv"),
         "--out", str(out), "--recover", "--reference-date", "2022-11-30", "-q"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, check=False,
    )
    k_wall = time.perf_counter() - t
    line = next(l for l in p.stderr.splitlines() if l.startswith("recovery:"))
    print(f"ktpel match --recover: {k_wall:.1f} s wall; {line}")
    secs = {k: float(v) for k, v in re.findall(r"(\w[\w+]*) (\d+\.\d+) s", line)}
    k_pairs = int(re.search(r"(\d+) pairs", line).group(1))

    rows = tried_rows(out)
    pairs = pd.read_csv(pairs_path, dtype={"QUERY": int, "NIK": str})
    assert len(pairs) == k_pairs, (len(pairs), k_pairs)
    cols = ["NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "NAMA_LGKP_IBU"]
    agency = pd.read_csv(gen / "agency.csv", dtype=str, keep_default_na=False, usecols=cols)
    pop = pd.read_csv(gen / "population.csv", dtype=str, keep_default_na=False, usecols=cols)
    pop = pop[pop["NIK"].isin(set(pairs["NIK"]))].drop_duplicates("NIK")
    a = prep(agency.iloc[[rows[q] - 1 for q in pairs["QUERY"]]].reset_index(drop=True))
    b = prep(pop.set_index("NIK", drop=False).loc[pairs["NIK"]].reset_index(drop=True))
    for d in (a, b):
        d["pair_id"] = range(len(d))
        d["unique_id"] = range(len(d))
    a, b = (d.replace({"": None}).where(d.notna(), None) for d in (a, b))

    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    api = DuckDBAPI()
    ta = api.register(a, dataset_display_name="agency")
    tb = api.register(b, dataset_display_name="register")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[block_on("pair_id")],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker([ta, tb], settings, log_level=None)
    t0 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match([block_on("name", "dob", "sex")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("pair_id"))
    t1 = time.perf_counter()
    pred = linker.inference.predict()
    t2 = time.perf_counter()
    s_pairs = len(pred.as_pandas_dataframe())
    assert s_pairs == k_pairs, (s_pairs, k_pairs)
    s_time = t2 - t1
    k_time = secs["comparison+scoring+ranking"]
    print(f"splink {splink.__version__}; pairs: {k_pairs} (same for both)")
    print("| | pairs | time | pairs/s |")
    print("|---|---|---|---|")
    print(f"| ktpel comparison + scoring/ranking | {k_pairs:,} | {k_time:.3f} s | {k_pairs / k_time:,.0f} |")
    print(f"| ktpel whole recovery (prepare, train, blocking, comparison, EM, scoring) | {k_pairs:,} | {secs['total']:.3f} s | {k_pairs / secs['total']:,.0f} |")
    print(f"| Splink `predict` (training {t1 - t0:.1f} s not counted) | {s_pairs:,} | {s_time:.3f} s | {s_pairs / s_time:,.0f} |")
    print(f"ktpel / Splink pairs/s: {(k_pairs / k_time) / (s_pairs / s_time):.1f}x (comparison + scoring), "
          f"{(k_pairs / secs['total']) / (s_pairs / s_time):.1f}x (whole recovery)")


if __name__ == "__main__":
    main()
