#!/usr/bin/env python3
"""Scores `ktpel match` output against the generator's truth file.

usage: accuracy.py SAMPLE_DIR MATCH_DIR

Reads SAMPLE_DIR/agency.csv, SAMPLE_DIR/truth_agency.csv and
MATCH_DIR/hasil.csv (joined on ID_PELANGGAN) and prints, per corruption type
(a row with several corruptions counts under each), how rows were
categorized, and overall precision / recall / F1 of the SESUAI category:

- a matched row (SESUAI, or with a recovered NIK_PULIH) is correct when its
  NIK equals TRUE_NIK, wrong otherwise (precision = correct / matched);
- recall is per person: the share of distinct TRUE_NIKs in the agency file
  (people in the register) that got at least one correct match; a person
  matched on two rows (the two copies of a DUPLICATE both matched) is
  counted under "persons matched twice".
"""
import csv
import sys
from collections import Counter, defaultdict

sample, out = sys.argv[1], sys.argv[2]
truth = {}
with open(f"{sample}/truth_agency.csv", newline="") as f:
    for r in csv.DictReader(f):
        truth[r["ID_PELANGGAN"]] = r
cats = ["SESUAI", "TIDAK_SESUAI", "NIK_TIDAK_DITEMUKAN", "ANOMALI", "GANDA"]
per = defaultdict(Counter)
tp = fp = 0
persons = set()
persons_ok = Counter()
rec_tp = rec_fp = recovered_total = 0
with open(f"{out}/hasil.csv", newline="") as f:
    rd = csv.DictReader(f)
    has_rec = "NIK_PULIH" in rd.fieldnames
    for r in rd:
        t = truth[r["ID_PELANGGAN"]]
        corr = t["CORRUPTIONS"].split("|")
        cat = r["KATEGORI"]
        nik = r["NIK_COCOK"] or (r.get("NIK_PULIH") or "")
        matched = cat == "SESUAI" or (has_rec and r.get("NIK_PULIH"))
        if t["TRUE_NIK"]:
            persons.add(t["TRUE_NIK"])
        if matched:
            if nik == t["TRUE_NIK"]:
                persons_ok[nik] += 1
                tp += 1
                ok = "correct"
            else:
                fp += 1
                ok = "WRONG"
        else:
            ok = ""
        if has_rec and r.get("NIK_PULIH"):
            recovered_total += 1
            if nik == t["TRUE_NIK"]:
                rec_tp += 1
            else:
                rec_fp += 1
        for c in corr:
            per[c]["rows"] += 1
            per[c][cat] += 1
            if ok:
                per[c]["matched_" + ok] += 1
            if has_rec and r.get("NIK_PULIH"):
                per[c]["recovered_" + ("correct" if nik == t["TRUE_NIK"] else "WRONG")] += 1

cols = ["rows"] + cats + ["matched_correct", "matched_WRONG"]
if has_rec:
    cols += ["recovered_correct", "recovered_WRONG"]
print("| corruption | " + " | ".join(cols) + " |")
print("|" + "---|" * (len(cols) + 1))
for c in sorted(per, key=lambda k: -per[k]["rows"]):
    print(f"| {c} | " + " | ".join(str(per[c][k]) for k in cols) + " |")
should = len(persons)
p = tp / (tp + fp) if tp + fp else 0.0
rc = len(persons_ok) / should if should else 0.0
f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
print(f"\nmatched (SESUAI{' + recovered' if has_rec else ''}): precision {p:.4f} recall {rc:.4f} F1 {f1:.4f}"
      f"  (correct rows {tp}, wrong rows {fp}, persons {should}, persons matched {len(persons_ok)},"
      f" persons matched twice {sum(1 for v in persons_ok.values() if v > 1)})")
if has_rec:
    print(f"recovered: {recovered_total}, correct {rec_tp}, wrong {rec_fp}")
