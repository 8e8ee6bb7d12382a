#!/usr/bin/env python3
"""Precision and recall per event type of `ktpel diff` output against the
generator's truth_changes.csv: a change counts as found when NIK, TYPE,
ELEMENTS, OLD_VALUES and NEW_VALUES all agree.
Usage: precision_recall.py truth_changes.csv events.jsonl"""
import csv, json, sys
from collections import Counter

truth = set()
with open(sys.argv[1], newline="") as f:
    for r in csv.DictReader(f):
        truth.add((r["NIK"], r["TYPE"], r["ELEMENTS"], r["OLD_VALUES"], r["NEW_VALUES"]))
found = set()
with open(sys.argv[2]) as f:
    for line in f:
        e = json.loads(line)
        ch = e.get("changes", [])
        found.add((e["nik"], e["type"], "|".join(c["element"] for c in ch),
                   "|".join(c["old"] for c in ch), "|".join(c["new"] for c in ch)))
hit = truth & found
t, fo, h = Counter(x[1] for x in truth), Counter(x[1] for x in found), Counter(x[1] for x in hit)
print(f"{'type':<12}{'truth':>9}{'found':>9}{'correct':>9}{'precision':>11}{'recall':>9}")
for k in sorted(set(t) | set(fo)):
    p = h[k] / fo[k] if fo[k] else 1.0
    r = h[k] / t[k] if t[k] else 1.0
    print(f"{k:<12}{t[k]:>9}{fo[k]:>9}{h[k]:>9}{p:>10.2%}{r:>9.2%}")
print(f"{'all':<12}{len(truth):>9}{len(found):>9}{len(hit):>9}"
      f"{len(hit) / max(len(found), 1):>10.2%}{len(hit) / max(len(truth), 1):>9.2%}")
