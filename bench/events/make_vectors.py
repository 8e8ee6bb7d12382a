#!/usr/bin/env python3
"""Writes tests/vectors/events.json: hand-written old/new snapshot pairs with
the events and anomalies `ktpel diff` must report. Event ids are computed here
independently from the documented definition (docs/events.md): the first 16
bytes of SHA-256 over NUL-terminated parts "ktpel-event-v1", TYPE, NIK,
AS_OF, then ELEMENT, OLD, NEW per change, then KEY, VALUE per record entry
(sorted by key), as lower-case hex."""
import hashlib, json, os

H = ["NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "AGAMA", "STAT_KWN",
     "STAT_HBKEL", "JENIS_PKRJN", "ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "NO_KAB", "NO_KEC",
     "NO_KEL", "NAMA_LGKP_IBU", "STATUS"]
AS_OF, SINCE = "2023-11-30", "2022-11-30"

def row(nik, kk="3202341001150001", name="SITI AMINAH", born="25-09-1990", sex="PEREMPUAN",
        kwn="BELUM KAWIN", hb="ANAK", job="KARYAWAN SWASTA", addr="JL. MAWAR NO. 1", rt="001",
        rw="002", prop="32", kab="02", kec="34", kel="2001", status="HIDUP", religion="ISLAM"):
    return [nik, kk, name, "SUKABUMI", born, sex, religion, kwn, hb, job, addr, rt, rw, prop, kab,
            kec, kel, "ENOK", status]

def region(r):
    p, k, d, v = r[13], r[14], r[15], r[16]
    return {"province": p, "regency": p + k, "district": p + k + d, "village": p + k + d + v}

def event_id(kind, nik, changes, record):
    parts = [b"ktpel-event-v1", kind.encode(), nik.encode(), AS_OF.encode()]
    for c in changes:
        parts += [c["element"].encode(), c["old"].encode(), c["new"].encode()]
    for k in sorted(record):
        parts += [k.encode(), record[k].encode()]
    return hashlib.sha256(b"".join(p + b"\0" for p in parts)).hexdigest()[:32]

def ev(kind, old, new, elements=None, pindah=False):
    r = new if new is not None else old
    changes, record = [], {}
    if elements is None:
        record = {h: v for h, v in zip(H, r)}
    else:
        for e in elements:
            i = H.index(e)
            changes.append({"element": e, "old": old[i], "new": new[i]})
    e = {"id": event_id(kind, r[0], changes, record), "type": kind, "nik": r[0]}
    if changes:
        e["changes"] = changes
    if pindah:
        e["from"], e["to"] = region(old), region(new)
    return e

A = "3202346509900001"
base = row(A)
cases = []
def case(name, old, new, events, anomalies=()):
    cases.append({"name": name, "old": old, "new": new, "expected_events": events,
                  "expected_anomalies": list(anomalies)})

case("unchanged", [base], [base], [])
dead = row(A, status="MATI")
case("death", [base], [dead], [ev("MATI", base, dead, ["STATUS"])])
baby = row("3202346512230001", name="PUTRI AMINAH", born="25-12-2022", hb="ANAK")
case("birth in the period", [base], [base, baby], [ev("LAHIR", None, baby)])
arr = row("7303040101850001", name="ANDI BASO", born="01-01-1985", sex="LAKI-LAKI", hb="KEPALA KELUARGA",
          kk="3202342203230001", prop="73", kab="03", kec="04", kel="2003")
case("arrival", [base], [arr, base], [ev("DATANG", None, arr)])
case("removal", [base], [], [ev("HAPUS", base, None)])
wed = row(A, kk="3202342005230001", kwn="KAWIN", hb="ISTRI")
case("marriage leaving the family card", [base], [wed],
     [ev("KAWIN", base, wed, ["NO_KK", "STAT_KWN", "STAT_HBKEL"])])
head = row("3202342709680001", name="KOKO KURNIA", born="27-09-1968", sex="LAKI-LAKI", kwn="CERAI MATI",
           hb="KEPALA KELUARGA", job="PEDAGANG")
head2 = row("3202342709680001", name="KOKO KURNIA", born="27-09-1968", sex="LAKI-LAKI", kwn="KAWIN",
            hb="KEPALA KELUARGA", job="PEDAGANG", kk="3271011503230002", addr="JL. PAJAJARAN NO. 9",
            rt="004", rw="010", kab="71", kec="01", kel="1005")
case("remarriage of a head and a move to another city", [head], [head2],
     [ev("KAWIN", head, head2, ["STAT_KWN"]),
      ev("PINDAH", head, head2, ["NO_KK", "ALAMAT", "NO_RT", "NO_RW", "NO_KAB", "NO_KEC", "NO_KEL"], pindah=True)])
wife = row(A, kwn="KAWIN", hb="ISTRI")
div = row(A, kwn="CERAI HIDUP", hb="KEPALA KELUARGA", kk="3202342505230003")
case("divorce with an own family card", [wife], [div],
     [ev("CERAI_HIDUP", wife, div, ["NO_KK", "STAT_KWN", "STAT_HBKEL"])])
wid = row(A, kwn="CERAI MATI", hb="ISTRI")
case("widowhood", [wife], [wid], [ev("CERAI_MATI", wife, wid, ["STAT_KWN"])])
fix = row(A, name="SITI AMINAH PUTRI", job="WIRASWASTA")
case("name and occupation corrected", [base], [fix], [ev("UBAH_DATA", base, fix, ["NAMA_LGKP", "JENIS_PKRJN"])])
addr = row(A, addr="JL. MAWAR NO. 11")
case("address corrected within the village", [base], [addr], [ev("UBAH_DATA", base, addr, ["ALAMAT"])])
kk = row(A, kk="3202341212230004")
case("new family card alone (family split)", [base], [kk], [ev("UBAH_DATA", base, kk, ["NO_KK"])])
mv = row(A, kk="3202341212230004", addr="DUSUN KRAJAN", rt="007", hb="KEPALA KELUARGA")
case("move within the village with a new family card", [base], [mv],
     [ev("PINDAH", base, mv, ["NO_KK", "STAT_HBKEL", "ALAMAT", "NO_RT"], pindah=True)])
case("deceased alive again", [dead], [base], [], ["RESURRECTED"])
born = row(A, born="26-09-1990")
case("birth date moved", [base], [born], [], ["BIRTH_DATE_CHANGED"])
case("married back to unmarried", [wife], [row(A, hb="ISTRI")], [], ["IMPOSSIBLE_MARITAL_TRANSITION"])
case("duplicate NIK in the new snapshot: the first row counts", [base], [dead, base],
     [ev("MATI", base, dead, ["STATUS"])], ["SNAPSHOT_DUPLICATE_NIK"])
bad = row("32023465099")
case("row without a 16-digit NIK", [base], [base, bad], [], ["SNAPSHOT_INVALID_NIK"])
b2 = row("1101010101010001", name="AGUS", born="01-01-2001", sex="LAKI-LAKI")
b2d = row("1101010101010001", name="AGUS", born="01-01-2001", sex="LAKI-LAKI", status="MATI")
case("unsorted input: events come out in NIK order", [base, b2], [dead, b2d],
     [ev("MATI", b2, b2d, ["STATUS"]), ev("MATI", base, dead, ["STATUS"])])

out = {
    "source": "Hand-written by the ktpel events module (issue 5) from the classification rules in docs/events.md; "
              "rows modelled on the generator's register format (ktpel gen); names invented; ids computed by "
              "bench/events/make_vectors.py from the documented id definition, independently of the Rust code.",
    "format": "Each case: old and new snapshot rows (aligned with header), expected_events in output order "
              "(id, type, nik, changes [element, old, new], from/to region codes for PINDAH; LAHIR/DATANG/HAPUS "
              "carry the whole row as record instead of changes) and expected_anomalies (codes in order). "
              "Diff with as_of and since as given.",
    "as_of": AS_OF, "since": SINCE, "header": H, "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "vectors", "events.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(cases)} cases -> {os.path.normpath(path)}")
