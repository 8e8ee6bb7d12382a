#!/usr/bin/env python3
"""Builds the embedded Kemendagri region table `ktpel-core/src/region/table.bin`.

Input: `data/wilayah/` (copied from the Kemendagri snapshots 2016-2025 and the
BPS<->Kemendagri bridge; see data/wilayah/SOURCE.md for provenance).

Usage:  python3 tools/gen_region_table.py            # (re)writes table.bin
        python3 tools/gen_region_table.py --check    # fails if table.bin is stale

The blob is read in place by `ktpel-core/src/region/table.rs` (safe slice
reads, no parsing at start-up). Layout, all integers little-endian:

    header   b"KTPW", u16 version, u8 n_snapshots, u8 reserved,
             n_snapshots x u16 year, then SECTIONS x (u32 offset, u32 length)
    0 names      UTF-8 name pool (deduplicated)
    1..4 entries per level (province, regency, district, village), sorted by
             key, 9 bytes each: u32 key, u32 name_ref (offset << 8 | length),
             u8 snapshot mask (bit i = present in snapshot i)
             key: province 11, regency 1101, district 110101,
                  village (district_index << 16) | 4-digit suffix
    5 successors  sorted (u8 level, u64 numeric code, u64 successor code)
    6 province status [u8; 100]      bit0 ever issued, bit1 current
    7 regency slot   [u16; 10000]    0 = never issued, else 1 + regency index
    8 district status [u8; 100] per regency index (indexed by district digits)
    9 bps kab  by dagri: (u32 dagri, u32 bps)   10 (u32 bps, u32 dagri) by bps
    11 bps kec by dagri: (u32 dagri, u32 bps)   12 (u32 bps, u32 dagri) by bps
"""
import csv
import os
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "wilayah")
OUT = os.path.join(ROOT, "ktpel-core", "src", "region", "table.bin")
YEARS = [2016, 2018, 2020, 2022, 2023, 2025]
VERSION = 1
N_SECTIONS = 13


def numeric(code):
    return int(code.replace(".", ""))


def norm_name(level, name):
    """Name used to find the successor of a historic code (case, prefixes, spaces)."""
    s = name.upper()
    if level == 2:
        s = re.sub(r"^(KABUPATEN|KAB\.?|KOTA ADM\.?|KOTA)\s*", "", s)
    return re.sub(r"[^A-Z0-9]", "", s)


def load():
    entries = {}  # code -> {"level", "mask", "name"}
    for i, y in enumerate(YEARS):
        with open(os.path.join(DATA, f"kode_wilayah_{y}.csv"), encoding="utf-8") as f:
            rd = csv.reader(f)
            assert next(rd) == ["kode", "nama"]
            for code, name in rd:
                e = entries.setdefault(code, {"level": code.count(".") + 1, "mask": 0, "name": name})
                e["mask"] |= 1 << i
                e["name"] = name.strip()  # the newest snapshot's spelling wins
    return entries


def successors(entries):
    """Historic code -> current code with the same name under the parent (or the parent's successor)."""
    cur_bit = 1 << (len(YEARS) - 1)
    current = {c: e for c, e in entries.items() if e["mask"] & cur_bit}
    by_parent_name = {}
    for c, e in current.items():
        parent = c.rsplit(".", 1)[0] if "." in c else ""
        by_parent_name.setdefault((e["level"], parent, norm_name(e["level"], e["name"])), []).append(c)
    by_level_name = {}
    for c, e in current.items():
        by_level_name.setdefault((e["level"], norm_name(e["level"], e["name"])), []).append(c)
    succ = {}
    for level in (1, 2, 3, 4):
        for c, e in sorted(entries.items()):
            if e["level"] != level or e["mask"] & cur_bit:
                continue
            n = norm_name(level, e["name"])
            parent = c.rsplit(".", 1)[0] if "." in c else ""
            cands = []
            # the parent moved (e.g. regency 91.01 -> 93.01): look under its successor
            for p in [succ.get(parent), parent]:
                if p is not None and not cands:
                    cands = by_parent_name.get((level, p, n), [])
            if not cands and level == 2:
                # a regency moved to a new province: unique name nationally, same kind (kab/kota)
                kind = int(c[-2:]) >= 71
                cands = [x for x in by_level_name.get((level, n), []) if (int(x[-2:]) >= 71) == kind]
            if len(cands) == 1:
                succ[c] = cands[0]
    return succ


def load_bridge(fname):
    pairs = []
    with open(os.path.join(DATA, fname), encoding="utf-8") as f:
        rd = csv.DictReader(f)
        for r in rd:
            pairs.append((int(r["kode_dagri"]), int(r["kode_bps"])))
    return pairs


def build():
    entries = load()
    succ = successors(entries)
    cur_bit = 1 << (len(YEARS) - 1)
    pool = bytearray()
    pool_index = {}

    def name_ref(name):
        b = name.encode("utf-8")
        assert len(b) < 256, name
        if b not in pool_index:
            pool_index[b] = len(pool)
            pool.extend(b)
        off = pool_index[b]
        assert off < (1 << 24)
        return (off << 8) | len(b)

    levels = {lv: sorted((c for c, e in entries.items() if e["level"] == lv), key=numeric) for lv in (1, 2, 3, 4)}
    district_index = {c: i for i, c in enumerate(levels[3])}
    assert len(levels[3]) < 65536

    def key(c):
        if entries[c]["level"] == 4:
            d, v = c.rsplit(".", 1)
            return (district_index[d] << 16) | int(v)
        return numeric(c)

    sections = [bytes(pool)]  # placeholder, replaced at the end (pool grows)
    level_blobs = []
    for lv in (1, 2, 3, 4):
        codes = sorted(levels[lv], key=key)
        blob = bytearray()
        for c in codes:
            e = entries[c]
            blob += struct.pack("<IIB", key(c), name_ref(e["name"]), e["mask"])
        level_blobs.append(bytes(blob))
    sections = [bytes(pool)] + level_blobs

    sblob = bytearray()
    for c in sorted(succ, key=lambda c: (entries[c]["level"], numeric(c))):
        sblob += struct.pack("<BQQ", entries[c]["level"], numeric(c), numeric(succ[c]))
    sections.append(bytes(sblob))

    def status(mask):
        return 1 | (2 if mask & cur_bit else 0)

    prov = bytearray(100)
    for c in levels[1]:
        prov[int(c)] = status(entries[c]["mask"])
    sections.append(bytes(prov))

    reg_slot = [0] * 10000
    for i, c in enumerate(levels[2]):
        reg_slot[numeric(c)] = i + 1
    sections.append(struct.pack("<10000H", *reg_slot))

    dist = bytearray(100 * len(levels[2]))
    reg_idx = {c: i for i, c in enumerate(levels[2])}
    for c in levels[3]:
        r, d = c.rsplit(".", 1)
        dist[reg_idx[r] * 100 + int(d)] = status(entries[c]["mask"])
    sections.append(bytes(dist))

    for fname in ("bps_kemendagri_kabkota_2020.csv", "bps_kemendagri_kecamatan_2020.csv"):
        pairs = load_bridge(fname)
        sections.append(b"".join(struct.pack("<II", d, b) for d, b in sorted(pairs)))
        sections.append(b"".join(struct.pack("<II", b, d) for d, b in sorted(pairs, key=lambda p: (p[1], p[0]))))
    assert len(sections) == N_SECTIONS

    header = b"KTPW" + struct.pack("<HBB", VERSION, len(YEARS), 0) + struct.pack(f"<{len(YEARS)}H", *YEARS)
    table_len = 8 * N_SECTIONS
    off = len(header) + table_len
    table = bytearray()
    body = bytearray()
    for s in sections:
        table += struct.pack("<II", off + len(body), len(s))
        body += s
    return bytes(header + table + body), entries, succ


def main():
    blob, entries, succ = build()
    if "--check" in sys.argv:
        with open(OUT, "rb") as f:
            if f.read() != blob:
                sys.exit(f"{OUT} is stale: run python3 tools/gen_region_table.py")
        print("region table up to date")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(blob)
    n_hist = sum(1 for e in entries.values() if not e["mask"] & (1 << (len(YEARS) - 1)))
    print(f"wrote {OUT}: {len(blob)} bytes, {len(entries)} codes, {n_hist} historic, {len(succ)} with successor")


if __name__ == "__main__":
    main()
