#!/usr/bin/env python3
"""Appends name pairs from the sample-data generator's truth file to
tests/vectors/name_pairs.json as "origin": "generator" (replacing earlier
generator pairs; hand pairs are kept).

The truth file is CSV with a header, or JSON Lines; name the columns that
hold the two names and the same-person label:

  python3 bench/name/append_generator_pairs.py TRUTH.csv \\
      --a name_a --b name_b --same same_person --limit 200 --seed 1

A label is true for 1/true/yes/y/same (any case). Pairs are sampled
deterministically (the seed), half same-person and half different where the
file has both. Then re-run the evaluation:

  cargo run -p ktpel-core --release --example name_eval
"""
import argparse
import csv
import json
import pathlib
import random


def truthy(v):
    return str(v).strip().lower() in ("1", "true", "yes", "y", "same", "t")


def rows(path):
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if path.endswith(".jsonl") or path.endswith(".ndjson"):
        return [json.loads(l) for l in text.splitlines() if l.strip()]
    return list(csv.DictReader(text.splitlines()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("--a", default="name_a")
    ap.add_argument("--b", default="name_b")
    ap.add_argument("--same", default="same")
    ap.add_argument("--pattern", default="", help="column with the variant kind, if any")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    data = [r for r in rows(args.truth) if r.get(args.a) is not None and r.get(args.b) is not None]
    same = [r for r in data if truthy(r[args.same])]
    diff = [r for r in data if not truthy(r[args.same])]
    rng = random.Random(args.seed)
    rng.shuffle(same)
    rng.shuffle(diff)
    half = args.limit // 2
    picked = same[:half] + diff[: args.limit - min(half, len(same))]
    picked = picked[: args.limit]

    root = pathlib.Path(__file__).resolve().parents[2]
    path = root / "tests" / "vectors" / "name_pairs.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    hand = [p for p in doc["pairs"] if p.get("origin") != "generator"]
    gen = []
    for i, r in enumerate(picked):
        e = {"id": f"gen-{i + 1:03d}", "a": r[args.a], "b": r[args.b], "same": truthy(r[args.same]),
             "origin": "generator", "pattern": (r.get(args.pattern) or "generator") if args.pattern else "generator"}
        gen.append(e)
    doc["pairs"] = hand + gen
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path}: {len(hand)} other pairs kept, {len(gen)} generator pairs "
          f"({sum(p['same'] for p in gen)} same, {sum(not p['same'] for p in gen)} different)")


if __name__ == "__main__":
    main()
