#!/usr/bin/env python3
"""Writes tests/vectors/names.json from the inputs below and the `ktpel`
CLI's JSON output, for review: every surface's tests read the file, so a
change in an expected value must be deliberate (diff it before committing).

Usage: cargo build -p ktpel-cli && python3 bench/name/names_vectors.py
"""
import json
import pathlib
import subprocess

# (input, note)
CASES = [
    ("Hj. Siti Aminah, S.Pd.", "issue example: religious prefix and degree after a comma"),
    ("SITI AMINAH", "clean name"),
    ("St. Aminah", "St. abbreviates Siti: kept in display, SITI in the key, ABBREVIATED warning"),
    ("SOEKARNO", "old spelling OE; single word warning"),
    ("MOCH. ARIEF", "Muhammad abbreviation"),
    ("MUHAMMAD ARIF", "Muhammad full"),
    ("M ARIF", "Muhammad initial"),
    ("DJOKO WIDODO", "old spelling DJ"),
    ("TJAHJO KUMOLO", "old spelling TJ, J/Y"),
    ("SJAHRIR", "old spelling SJ"),
    ("NJOTO", "old spelling NJ"),
    ("CHAIRUL TANJUNG", "CH -> KH"),
    ("JUSUF KALLA", "old J = modern Y"),
    ("Ma'ruf Amin", "apostrophe kept in display"),
    ("Ma’ruf Amin", "typographic apostrophe"),
    ("NUR-AINI", "hyphen kept in display, space in comparison form"),
    ("José Ramos-Horta", "diacritics folded"),
    ("Ｓｉｔｉ　Ａｍｉｎａｈ", "full-width letters and space (NFKC)"),
    ("  siti   aminah  ", "whitespace collapsed, uppercase"),
    ("PROF. DR. IR. H. BAMBANG SUTRISNO, M.SC., PH.D", "many titles"),
    ("DRS. H. AHMAD SUDRAJAT, M.M.", "Drs., H., M.M."),
    ("Dra. Sri Mulyani, M.Si.", "Dra. (not inside DRAJAT)"),
    ("DRAJAT", "DRA inside a word is not a title"),
    ("ANDI WIJAYA", "ANDI is a name, not a title"),
    ("dr. Andi Wijaya, Sp.A.", "dr. and specialist degree"),
    ("HAJI", "HAJI alone is a name"),
    ("HAJI SUPARMAN", "HAJI before a name is a title"),
    ("H", "a single letter stays"),
    ("H. M. ARIF", "H. is Haji, M. is Muhammad"),
    ("K.H. Ahmad Dahlan", "K.H."),
    ("KH ABDULLAH SYAFII", "KH without dots"),
    ("BUDI SANTOSO SE", "bare degree after two name words"),
    ("BUDI SE", "bare degree after one word is kept (could be a name)"),
    ("SITI AMINAH S.PD.I", "dotted degree without comma"),
    ("RINA, S. Pd., M. Pd.", "spaced dotted degrees"),
    ("Yulia Rahmawati, A.Md.Keb.", "diploma"),
    ("Ns. Fitri Handayani, S.Kep.", "professional prefix"),
    ("Ustadz Abdul Somad, Lc., M.A.", "religious prefix, Lc."),
    ("MEI LING", "MEI (a name) is not M.E.I."),
    ("LINA MEI", "trailing MEI is not removed without dots"),
    ("Alm. H. Sukirman", "deceased marker"),
    ("SITI AMINAH (ALM)", "deceased marker in parentheses"),
    ("Ny. Suryani", "Ny. honorific"),
    ("Bpk. Karyono", "Bapak"),
    ("AMINAH, SITI", "reversed order with a comma: kept"),
    ("ABD. RAHMAN", "ABD abbreviates ABDUL"),
    ("RAMADHAN", "DH"),
    ("TAUFIQ HIDAYAT", "Q"),
    ("RUDY HARTONO", "final Y after consonant"),
    ("ARIFFIN", "doubled letters"),
    ("I WAYAN SUDIRTA", "Balinese I is not an initial"),
    ("NI LUH PUTU ARIANI", "Balinese"),
    ("AHMAD BIN SALEH", "patronym"),
    ("TJOET NJA DHIEN", "old spelling, several rules"),
    ("", "empty"),
    ("   ", "only spaces"),
    ("-", "placeholder dash"),
    ("--", "placeholder dashes"),
    ("?", "placeholder question mark"),
    ("NN", "nomen nescio"),
    ("N.N.", "nomen nescio with dots"),
    ("XXX", "placeholder"),
    ("xxxxx", "placeholder lower case"),
    ("TIDAK ADA", "placeholder 'none'"),
    ("TANPA NAMA", "placeholder 'without name'"),
    ("tidak diketahui", "placeholder 'unknown'"),
    ("HAMBA ALLAH", "anonymous"),
    ("TEST", "test record"),
    ("BAYI NY. SITI", "newborn placeholder"),
    ("BY NY SITI AMINAH", "newborn placeholder, short form"),
    ("BAYI NYONYA SITI AMINAH", "newborn placeholder, long form"),
    ("BY. NY. HJ. SITI AMINAH, S.PD", "newborn placeholder with titles on the mother"),
    ("BAYI PEREMPUAN NY. RATNA", "newborn placeholder with sex"),
    ("BAYI LAKI-LAKI NY. DEWI", "newborn placeholder with sex (hyphenated)"),
    ("BAYI", "newborn placeholder without the mother's name"),
    ("ANAK DARI SITI", "child of"),
    ("12345", "no letters"),
    ("...", "punctuation only: placeholder"),
    ("SITI 2", "digits"),
    ("BUD1 SANTOSO", "digit inside a word"),
    ("A", "single letter"),
    ("A. B.", "only initials"),
    ("AAAA", "repeated characters"),
    ("SITIII AMINAH", "run of three"),
    ("SUKARNO", "single word (warning)"),
    ("M. ARIF", "abbreviated (warning)"),
    ("SITI A.", "abbreviated trailing initial"),
    ("MHD NASIR", "consonant-only abbreviation"),
    ("SITI AMINAH BINTI ABDULLAH SYAFII RAHMAN HIDAYATULLAH WIRANEGARA KUSUMA", "too long (61+ characters)"),
    ("Dr. H. M. Arief, S.H., M.Kn.", "doc example"),
]


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    exe = root / "target" / "debug" / "ktpel"
    out = []
    for inp, note in CASES:
        res = subprocess.run([str(exe), "name", "normalize", "--format", "json", "--", inp], capture_output=True, text=True, check=True)
        v = json.loads(res.stdout)
        case = {
            "input": inp,
            "note": note,
            "display": v["display"],
            "normalized": v["normalized"],
            "matching_key": v["matching_key"],
            "phonetic_key": v["phonetic_key"],
            "removed": [r["title"] for r in v["removed"]],
            "anomaly": v["anomaly"],
            "anomalies": [a["code"] for a in v["anomalies"]],
        }
        mothers = [a.get("mother") for a in v["anomalies"] if a["code"] == "NEWBORN_PLACEHOLDER"]
        if mothers:
            case["mother"] = mothers[0]
        out.append(case)
    doc = {
        "description": (
            "Normalization and anomaly cases for ktpel_core::name, read by the tests of every surface. "
            "display/normalized/matching_key/phonetic_key: expected outputs; removed: titles removed (usual written form); "
            "anomaly: the code check() returns (null for a clean name); anomalies: all codes of check_all(); "
            "mother: the mother's name extracted from a newborn placeholder."
        ),
        "cases": out,
    }
    path = root / "tests" / "vectors" / "names.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{path}: {len(out)} cases")


if __name__ == "__main__":
    main()
