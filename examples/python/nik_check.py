"""Check NIKs one by one and in a batch; print what a clerk needs to know."""

from __future__ import annotations

import datetime

import ktpel

REF = datetime.date(2026, 11, 23)


def main() -> None:
    for s in ["3174015708900123", "3174019908900123", "3.17401E+15", "31 74 01 570890 0123"]:
        r = ktpel.nik.check(s, mode="lenient", reference_date=REF)
        if r.valid:
            print(f"{s!r}: valid, {r.sex}, born {r.birth_date}, {r.district_name}, warnings {r.warnings}")
        else:
            print(f"{s!r}: {r.code}: {r.message}")
    try:
        ktpel.nik.parse("3174019908900123", reference_date=REF)
    except ktpel.NikError as e:
        print(f"parse raised {type(e).__name__} code={e.code} number={e.number}")
    batch = ktpel.nik.check_many([f"317401570890{i:04d}" for i in range(1, 10000)], reference_date=REF)
    print(f"check_many: {sum(r.valid for r in batch)} of {len(batch)} valid")
    kk = ktpel.kk.check("3174011203150007", reference_date=REF)
    print(f"KK valid={kk.valid} issued {kk.issue_date} in {kk.district_name}")
    region = ktpel.region.lookup("32.73")
    print(f"{region.code} {region.name} ({region.status}); BPS {ktpel.region.to_bps(region.code)}")


if __name__ == "__main__":
    main()
