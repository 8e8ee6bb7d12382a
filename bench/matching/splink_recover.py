"""NIK recovery on generator data: ktpel vs Splink 5 (DuckDB), same rows.

usage: python splink_recover.py GEN_DIR KTPEL_OUT_DIR KTPEL_PLAIN_TIME KTPEL_RECOVER_TIME

GEN_DIR holds `agency.csv`, `population.csv` and `truth_agency.csv`
(`ktpel gen`); KTPEL_OUT_DIR is the output of `ktpel match --recover` on
them; the two times are the user CPU seconds of the run without and with
`--recover` (their difference is ktpel's recovery time).

Splink gets exactly the rows ktpel tried to recover (`TIDAK_SESUAI`,
`NIK_TIDAK_DITEMUKAN`, and anomalies whose element is the NIK) linked
against the whole register, with ktpel's blocking (birth date + sex +
province, name + birth year, mother's name + birth year + province, and
for a row without a province birth date + sex in every province; Splink
has no phonetic key, so exact normalised names) and the same elements compared (name, birth date,
sex, birth place, mother's name, submitted NIK by Damerau-Levenshtein ≤ 2),
u by random sampling, m by EM. A row is recovered when its best candidate
has match probability ≥ 0.99 (ktpel's accept threshold). Prints pairs
scored and pairs per second for both, and per corruption type how many rows
each recovered correctly and wrongly.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections import Counter, defaultdict  # noqa: F401

import pandas as pd


def comparisons() -> list:
    """Splink comparisons of ktpel's recovery elements (also used by
    recover_pairs.py, so both benchmarks compare the same way)."""
    import splink.comparison_library as cl

    return [
        cl.NameComparison("name"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("sex"),
        cl.JaroWinklerAtThresholds("place", [0.9]),
        cl.NameComparison("mother"),
        cl.DamerauLevenshteinAtThresholds("nik", [2]),
    ]


def main() -> None:
    gen, out, t_plain, t_rec = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    import json

    summary = json.load(open(os.path.join(out, "summary.json")))
    k_pairs = summary["recovery"]["pairs_scored"]
    nik_rows = set()
    with open(os.path.join(out, "anomali.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["ELEMEN"] == "NIK":
                nik_rows.add(int(r["BARIS"]))
    tried, k_rec = [], {}
    with open(os.path.join(out, "hasil.csv"), newline="") as f:
        for r in csv.DictReader(f):
            row = int(r["BARIS"])
            if r["KATEGORI"] in ("TIDAK_SESUAI", "NIK_TIDAK_DITEMUKAN") or (
                r["KATEGORI"] == "ANOMALI" and row in nik_rows
            ):
                tried.append(row)
            if r["NIK_PULIH"]:
                k_rec[row] = r["NIK_PULIH"]
    truth = pd.read_csv(os.path.join(gen, "truth_agency.csv"), dtype=str, keep_default_na=False)
    cols = ["NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "NO_PROP", "NAMA_LGKP_IBU"]
    agency = pd.read_csv(os.path.join(gen, "agency.csv"), dtype=str, keep_default_na=False, usecols=cols)
    agency["row"] = range(1, len(agency) + 1)
    q = agency[agency["row"].isin(set(tried))].copy()
    pop = pd.read_csv(os.path.join(gen, "population.csv"), dtype=str, keep_default_na=False, usecols=cols)

    def prep(d: pd.DataFrame, uid: str) -> pd.DataFrame:
        x = pd.DataFrame()
        x["unique_id"] = d[uid]
        x["name"] = d["NAMA_LGKP"].str.upper().str.replace(r"[^A-Z ]", "", regex=True).str.strip()
        dob = pd.to_datetime(d["TGL_LHR"], format="%d-%m-%Y", errors="coerce")
        x["dob"] = dob.dt.strftime("%Y-%m-%d")
        x["yob"] = dob.dt.year.astype("Int64").astype(str)
        x["sex"] = d["JENIS_KLMIN"].str[:1]
        x["place"] = d["TMPT_LHR"]
        x["mother"] = d["NAMA_LGKP_IBU"].str.upper().str.replace(r"[^A-Z ]", "", regex=True).str.strip()
        x["nik"] = d["NIK"]
        x["prop"] = d["NO_PROP"]
        return x.replace({"": None, "<NA>": None, "NaT": None})

    qa = prep(q.assign(uid=q["row"].astype(str)), "uid")
    pb = prep(pop, "NIK")

    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    t0 = time.perf_counter()
    api = DuckDBAPI()
    ta = api.register(qa, dataset_display_name="agency")
    tb = api.register(pb, dataset_display_name="register")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[
            block_on("dob", "sex", "prop"),
            block_on("name", "yob"),
            block_on("mother", "yob", "prop"),
            # ktpel looks a row without a province up in every province
            "l.dob = r.dob and l.sex = r.sex and l.prop is null",
        ],
    )
    linker = Linker([ta, tb], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("name", "dob", "sex")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "sex", "prop"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "yob"))
    t1 = time.perf_counter()
    pred = linker.inference.predict().as_pandas_dataframe()
    t2 = time.perf_counter()
    s_pairs = len(pred)
    best = pred.sort_values("match_probability", ascending=False)
    best = best[best["source_dataset_l"] == "agency"] if "source_dataset_l" in best else best
    best = best.drop_duplicates("unique_id_l")
    best = best[best["match_probability"] >= 0.99]
    s_rec = {int(l): r for l, r in zip(best["unique_id_l"], best["unique_id_r"])}

    k_time = t_rec - t_plain
    print(f"rows tried: {len(tried)}; register rows: {len(pop)}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"ktpel  recovery: {k_pairs} pairs scored, {k_time:.1f} s CPU (with --recover minus without) -> {k_pairs / k_time:,.0f} pairs/CPU-s (incl. blocking, EM, output)")
    print(f"Splink predict:  {s_pairs} pairs scored in {t2 - t1:.1f} s wall ({s_pairs / (t2 - t1):,.0f} pairs/s); training {t1 - t0:.1f} s")
    kinds = dict(zip(truth.index + 1, truth["CORRUPTIONS"]))
    true_nik = dict(zip(truth.index + 1, truth["TRUE_NIK"]))
    tab: dict[str, Counter] = defaultdict(Counter)
    for row in tried:
        # A row with several corruptions counts under each of them.
        for kind in (kinds.get(row, "?") or "CLEAN").split("|"):
            t = tab[kind]
            t["rows"] += 1
            for name, rec in (("ktpel", k_rec), ("splink", s_rec)):
                if row in rec:
                    t[f"{name}_ok" if rec[row] == true_nik.get(row) else f"{name}_wrong"] += 1
        t = tab["(all rows)"]
        t["rows"] += 1
        for name, rec in (("ktpel", k_rec), ("splink", s_rec)):
            if row in rec:
                t[f"{name}_ok" if rec[row] == true_nik.get(row) else f"{name}_wrong"] += 1
    print("| corruption | rows tried | ktpel correct | ktpel wrong | Splink correct | Splink wrong |")
    print("|---|---|---|---|---|---|")
    for kind, t in sorted(tab.items(), key=lambda kv: -kv[1]["rows"]):
        print(f"| {kind} | {t['rows']} | {t['ktpel_ok']} | {t['ktpel_wrong']} | {t['splink_ok']} | {t['splink_wrong']} |")


if __name__ == "__main__":
    main()
