#!/usr/bin/env python3
"""Builds labelled name pairs from a `ktpel gen` sample for
bench/name/append_generator_pairs.py.

Same person: an agency row's name (possibly corrupted: TYPO, OLD_SPELLING,
TITLE_ADDED, NAME_REORDERED, MIDDLE_NAME_DROPPED, MUHAMMAD_VARIANT, or CLEAN)
against the register name of its TRUE_NIK (from truth_agency.csv).
Different person: the same agency name against a register person with a
different NIK who shares a name token (hard negatives: what blocking
produces), or, when none shares one, a random resident.

  ktpel gen --out /tmp/np -n 200000 --agency 20000 --seed 7 --quiet
  python3 bench/name/pairs_from_sample.py /tmp/np > /tmp/np/pairs.csv
  python3 bench/name/append_generator_pairs.py /tmp/np/pairs.csv \
      --a name_a --b name_b --same same --pattern pattern --limit 300 --seed 1
"""
import csv
import random
import sys

NAME_CORRUPTIONS = {"TYPO", "OLD_SPELLING", "TITLE_ADDED", "NAME_REORDERED", "MIDDLE_NAME_DROPPED", "MUHAMMAD_VARIANT"}


def main():
    d = sys.argv[1]
    rng = random.Random(7)
    register = {}
    by_token = {}
    with open(f"{d}/population.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            register[r["NIK"]] = r["NAMA_LGKP"]
            for t in set(r["NAMA_LGKP"].replace(",", " ").split()):
                if len(t) > 2 and len(by_token.setdefault(t, [])) < 50:
                    by_token[t].append(r["NIK"])
    truth = {}
    with open(f"{d}/truth_agency.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[r["ID_PELANGGAN"]] = r
    niks = list(register)
    out = csv.writer(sys.stdout)
    out.writerow(["name_a", "name_b", "same", "pattern"])
    with open(f"{d}/agency.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            t = truth[r["ID_PELANGGAN"]]
            true_nik = t["TRUE_NIK"]
            if true_nik not in register or not r["NAMA_LGKP"].strip():
                continue
            kinds = [c for c in t["CORRUPTIONS"].split("|") if c in NAME_CORRUPTIONS]
            if kinds or (t["CORRUPTIONS"] == "CLEAN" and rng.random() < 0.1):
                out.writerow([r["NAMA_LGKP"], register[true_nik], "true", "+".join(kinds) or "CLEAN"])
                tokens = [x for x in register[true_nik].split() if x in by_token]
                others = [n for x in tokens for n in by_token[x] if register[n] != register[true_nik] and n != true_nik]
                if others:
                    out.writerow([r["NAMA_LGKP"], register[rng.choice(others)], "false", "shared_token"])
                else:
                    out.writerow([r["NAMA_LGKP"], register[rng.choice(niks)], "false", "random"])


if __name__ == "__main__":
    main()
