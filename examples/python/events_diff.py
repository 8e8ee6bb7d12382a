"""Change events: diff two register snapshots (the generator's, or yours),
route them to an agency, apply them to its dataset and print the M-SINK
table per province.

Usage: python events_diff.py [OLD.csv NEW.csv AS_OF]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import ktpel


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ktpel-events-"))
    if len(sys.argv) == 4:
        old, new, as_of = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    else:
        ktpel.sample.generate(work, population=5000, seed=1)
        old, new, as_of = work / "population.csv", work / "population_later.csv", "2023-11-30"
    subs = work / "subs.toml"
    subs.write_text(
        '[[agency]]\nname = "dinsos"\nelements = ["STATUS", "NO_KK", "ALAMAT", "NO_KEL"]\ntypes = ["MATI", "PINDAH"]\n'
    )
    s = ktpel.diff(old, new, as_of=as_of, out_dir=work / "out", subscriptions=subs)
    print("events per type:", s["events"], "anomalies:", s["anomalies_total"], "to dinsos:", s["agencies"]["dinsos"])
    applied = ktpel.events.apply(old, work / "out" / "dinsos.jsonl", work / "dinsos_updated.csv")
    print("values changed in the agency copy:", applied["values_changed"])
    table = ktpel.aggregate(work / "out" / "events.jsonl", level="province", period="year")
    for r in table["rows"][:10]:
        print(r["period"], r["region"], f'{r["category"]:<15}', r["documents"], r["persons"])


if __name__ == "__main__":
    main()
