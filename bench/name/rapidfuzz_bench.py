#!/usr/bin/env python3
"""Times Python RapidFuzz Jaro-Winkler on the pairs written by the Rust
example `name_speed` (columns: a, b, matching key a, matching key b) and
prints the ratio against the Rust figures (the `json:` line of its output).

Run through bench/name/compare_rapidfuzz.sh.
"""
import json
import sys
import time

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler


def cpu(f):
    t = time.process_time()
    r = f()
    return time.process_time() - t, r


def main():
    pairs_path, rust_path = sys.argv[1], sys.argv[2]
    ka, kb = [], []
    with open(pairs_path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            ka.append(cols[2])
            kb.append(cols[3])
    n = len(ka)
    rust = {}
    with open(rust_path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("json: "):
                rust = json.loads(line[len("json: "):])
    print(f"Python RapidFuzz on the same {n} matching-key pairs, single thread (workers=1), process CPU time\n")
    print("| what | items | time | rate | ktpel / this (pairwise: `name::jaro_winkler`; block: `BlockScorer::score_block`, same 1 M-key block) |")
    print("|---|---|---|---|---|")

    def row(label, items, secs, rust_key):
        rate = items / secs
        ratio = f"{rust[rust_key] / rate:.2f}x" if rust_key in rust else "n/a"
        print(f"| {label} | {items} | {secs:.3f} s | {rate / 1e6:.2f} M/s | {ratio} |")

    secs, loop_scores = cpu(lambda: [JaroWinkler.normalized_similarity(a, b) for a, b in zip(ka, kb)])
    row("`JaroWinkler.normalized_similarity` in a Python loop", n, secs, "jw_ktpel")
    if hasattr(process, "cpdist"):
        secs, _ = cpu(lambda: process.cpdist(ka, kb, scorer=JaroWinkler.normalized_similarity, workers=1))
        row("`process.cpdist` (pairwise, C++ loop)", n, secs, "jw_ktpel")
    queries = ka[:10]
    secs, _ = cpu(lambda: process.cdist(queries, kb, scorer=JaroWinkler.normalized_similarity, workers=1))
    row("`process.cdist`, 10 queries at once x all keys (multi-query SIMD)", 10 * n, secs, "block_ktpel_score_block")

    def one_at_a_time():
        for q in queries:
            process.cdist([q], kb, scorer=JaroWinkler.normalized_similarity, workers=1)

    secs, _ = cpu(one_at_a_time)
    row("`process.cdist`, one query at a time x all keys (one against many)", 10 * n, secs, "block_ktpel_score_block")

    # Agreement with ktpel's Jaro-Winkler (strsim semantics) on a sample.
    sample = min(n, 20000)
    print(f"\nRapidFuzz mean Jaro-Winkler on the first {sample} key pairs: {sum(loop_scores[:sample]) / sample:.6f} "
          f"(compare with ktpel's line above: the same scores up to rounding)")


if __name__ == "__main__":
    main()
