"""Clean names and compare them."""

from __future__ import annotations

import ktpel


def main() -> None:
    for raw in ["Hj. Siti Aminah, S.Pd.", "BAYI NY. SITI", "NN", "Soekarno"]:
        n = ktpel.name.normalize(raw)
        problem = ktpel.name.check(raw)
        print(f"{raw!r} -> {n.display!r} key={ktpel.name.matching_key(raw)!r} "
              f"anomaly={problem.code if problem else None}")
    a, b = "Muhammad Rizki Ramadhan", "MOCH. RIZKY RAMADAN"
    s = ktpel.name.similarity_scores(a, b)
    verdict = "same person" if s.combined >= ktpel.name.DEFAULT_THRESHOLD else "different"
    print(f"{a!r} vs {b!r}: {s.combined:.3f} ({verdict}); token {s.token:.3f}, jw {s.jaro_winkler:.3f}")


if __name__ == "__main__":
    main()
