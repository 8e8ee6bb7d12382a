#!/usr/bin/env python3
"""Writes the hand-written part of tests/vectors/name_pairs.json.

Each line below is: pattern | A | B | same (Y/N) [| note]. Pairs come from
real-world variant patterns of Indonesian names (old spelling, titles,
abbreviations, Muhammad variants, reordering, dropped or joined tokens,
regional spelling, typos) and from hard negatives (different people sharing
tokens, siblings, gendered name pairs, patronymics).

Generator-derived pairs are kept: running this again replaces only the pairs
with "origin": "hand".
"""
import json
import pathlib

PAIRS = r"""
title | Hj. Siti Aminah, S.Pd. | SITI AMINAH | Y | issue example
abbreviation | St. Aminah | SITI AMINAH | Y | St. is the usual abbreviation of Siti
abbreviation | St. Aminah | Hj. Siti Aminah, S.Pd. | Y
old_spelling | SOEKARNO | SUKARNO | Y
muhammad | MOCH. ARIEF | MUHAMMAD ARIF | Y
muhammad | M ARIF | MUHAMMAD ARIF | Y
muhammad | MOCH. ARIEF | M ARIF | Y
old_spelling | DJOKO | JOKO | Y
old_spelling | DJOKO SUSILO | JOKO SUSILO | Y
old_spelling | SOEHARTO | SUHARTO | Y
old_spelling | TJAHJO KUMOLO | CAHYO KUMOLO | Y
old_spelling | SJAHRIR | SYAHRIR | Y
old_spelling | SUTAN SJAHRIR | SUTAN SYAHRIR | Y
old_spelling | NJOTO | NYOTO | Y
old_spelling | JUSUF KALLA | YUSUF KALLA | Y
old_spelling | CHAIRUL TANJUNG | KHAIRUL TANJUNG | Y
old_spelling | ACHMAD DJUNAEDI | AHMAD JUNAEDI | Y
old_spelling | SOEPARMAN | SUPARMAN | Y
old_spelling | DJUWITA SOEDJONO | JUWITA SUJONO | Y
old_spelling | TJOKROAMINOTO | COKROAMINOTO | Y
old_spelling | R. SOEDJATMIKO | R SUJATMIKO | Y
old_spelling | NJOMAN SOETARDJO | NYOMAN SUTARJO | Y
old_spelling | MOCHTAR LOEBIS | MOKHTAR LUBIS | Y
old_spelling | ROESLAN ABDULGANI | RUSLAN ABDULGANI | Y
old_spelling | SOEDIRMAN | SUDIRMAN | Y
old_spelling | OEMAR SAID | UMAR SAID | Y
old_spelling | DJAJADININGRAT | JAYADININGRAT | Y
old_spelling | SOEWARNI DJAJA | SUWARNI JAYA | Y
muhammad | MOHAMMAD HATTA | MUHAMMAD HATTA | Y
muhammad | MOCHAMAD RIDWAN | MUHAMAD RIDWAN | Y
muhammad | MUH. YAMIN | MUHAMMAD YAMIN | Y
muhammad | MHD. NASIR | MUHAMMAD NASIR | Y
muhammad | MOH. NATSIR | MOHAMAD NATSIR | Y
muhammad | M. RIZKI | MUHAMMAD RIZKI | Y | issue example
muhammad | MUHAMAD FAJAR SIDIK | M FAJAR SIDIQ | Y
muhammad | MUCHAMMAD ILHAM | MUHAMMAD ILHAM | Y
muhammad | MOKHAMAD SYAIFUL | MUHAMMAD SYAIFUL | Y
muhammad | MUHAMMED ALI | MUHAMMAD ALI | Y
muhammad | MOHD. FAUZI | MUHAMMAD FAUZI | Y
title | DRS. H. AHMAD SUDRAJAT, M.M. | AHMAD SUDRAJAT | Y
title | Prof. Dr. Ir. Bambang Sutrisno, M.Sc. | BAMBANG SUTRISNO | Y
title | dr. Andi Wijaya, Sp.A. | ANDI WIJAYA | Y
title | KH. Abdullah Syafii | ABDULLAH SYAFII | Y
title | H. Sulaiman | SULAIMAN | Y
title | Hj. Ratna Dewi | RATNA DEWI | Y
title | BUDI SANTOSO, SE | BUDI SANTOSO | Y
title | BUDI SANTOSO SE | BUDI SANTOSO | Y
title | Rina Marlina, S.Pd.I. | RINA MARLINA | Y
title | Ir. H. Joko Widodo | JOKO WIDODO | Y
title | Dra. Sri Mulyani, M.Si. | SRI MULYANI | Y
title | Ny. Suryani | SURYANI | Y
title | Bpk. Karyono | KARYONO | Y
title | Ustadz Abdul Somad, Lc., M.A. | ABDUL SOMAD | Y
title | Deni Kurniawan, S.Kom., M.Kom. | DENI KURNIAWAN | Y
title | Yulia Rahmawati, A.Md.Keb. | YULIA RAHMAWATI | Y
title | Ns. Fitri Handayani, S.Kep. | FITRI HANDAYANI | Y
title | apt. Wulan Sari, S.Farm. | WULAN SARI | Y
title | Dr. dr. Ketut Suastika, Sp.PD. | KETUT SUASTIKA | Y
title | Hendra Gunawan, S.T., M.T. | HENDRA GUNAWAN | Y
title | Nur Hidayah S.Sos | NUR HIDAYAH | Y
title | Rahmat Hidayat, S.H., M.H. | RAHMAT HIDAYAT | Y
title | Alm. H. Sukirman | SUKIRMAN | Y
abbreviation | ABD. RAHMAN | ABDUL RAHMAN | Y
abbreviation | ABD GANI | ABDUL GANI | Y
abbreviation | ST. NURHALIZA | SITI NURHALIZA | Y
initial | SITI A. | SITI AMINAH | Y
initial | A. RAHMAN | ABDUL RAHMAN | Y
initial | R. AYU LESTARI | RADEN AYU LESTARI | Y
initial | DEWI S. | DEWI SARTIKA | Y
initial | I. GUSTI NGURAH RAI | I GUSTI NGURAH RAI | Y
initial | E. KOSASIH | ENDANG KOSASIH | Y
initial | SUPRIYADI A. | SUPRIYADI AGUS | Y
reorder | SITI AMINAH | AMINAH SITI | Y
reorder | HARAHAP SAIFUL | SAIFUL HARAHAP | Y
reorder | NASUTION ABDUL HARIS | ABDUL HARIS NASUTION | Y
reorder | WIJAYA ANDI | ANDI WIJAYA | Y
reorder | SIREGAR MARTUA | MARTUA SIREGAR | Y
reorder | PUTRI LESTARI DEWI | DEWI PUTRI LESTARI | Y
dropped_middle | SITI NUR AMINAH | SITI AMINAH | Y
dropped_middle | AHMAD FAUZI RAHMAN | AHMAD RAHMAN | Y
dropped_middle | DEWI SRI LESTARI | DEWI LESTARI | Y
dropped_middle | MUHAMMAD RIZKI PRATAMA | MUHAMMAD PRATAMA | Y
dropped_middle | RADEN AJENG KARTINI | RADEN KARTINI | Y
dropped_middle | NI LUH PUTU ARIANI | NI LUH ARIANI | Y
dropped_middle | I WAYAN SUDIRTA | WAYAN SUDIRTA | Y | Balinese I dropped
dropped_middle | ANDI MUHAMMAD YUSUF | ANDI YUSUF | Y
dropped_middle | TEUKU MUHAMMAD HASAN | TEUKU HASAN | Y
dropped_middle | BUDI HARTONO SANTOSO | BUDI SANTOSO | Y
dropped_middle | FITRIANI DWI LESTARI | FITRIANI LESTARI | Y
dropped_middle | YOHANES BOSCO PAULUS | YOHANES PAULUS | Y
joined | NUR AINI | NURAINI | Y
joined | NUR-AINI | NUR AINI | Y
joined | ABDUL RAHMAN | ABDURRAHMAN | Y
joined | ABDUL ROHMAN | ABDURROHMAN | Y
joined | NURUL HIDAYAH | NURULHIDAYAH | Y
joined | SRI WAHYUNI | SRIWAHYUNI | Y
joined | MUHAMMAD NUR HUDA | MUHAMMAD NURHUDA | Y
joined | ABDUL LATIF | ABDULLATIF | Y
joined | NUR HASANAH | NURHASANAH | Y
apostrophe | MA'RUF AMIN | MARUF AMIN | Y
apostrophe | MA’RUF AMIN | MA'RUF AMIN | Y
apostrophe | SYAFI'I MAARIF | SYAFII MAARIF | Y
apostrophe | NU'MAN | NUMAN | Y
diacritics | José Ramos | JOSE RAMOS | Y
diacritics | Ruslan Effendi | RUSLAN EFENDI | Y
transliteration | RAMADHAN | RAMADAN | Y
transliteration | TAUFIQ HIDAYAT | TAUFIK HIDAYAT | Y
transliteration | FATHUR ROHMAN | FATUR ROHMAN | Y
transliteration | DZULKIFLI | ZULKIFLI | Y
transliteration | QOMARUDDIN | KOMARUDIN | Y
transliteration | SHOLIHIN | SOLIHIN | Y
transliteration | ABDUL QADIR | ABDUL KADIR | Y
transliteration | SYAMSUDDIN | SYAMSUDIN | Y
transliteration | ZAINAL ABIDIN | ZAENAL ABIDIN | Y
transliteration | SAIFUL ANWAR | SAEFUL ANWAR | Y
transliteration | ARIEF RACHMAN | ARIF RAHMAN | Y
transliteration | ACHMAD YANI | AHMAD YANI | Y
transliteration | STEPHANUS | STEFANUS | Y
y_i | RUDY HARTONO | RUDI HARTONO | Y
y_i | HENDRY SAPUTRA | HENDRI SAPUTRA | Y
y_i | DEWY SARTIKA | DEWI SARTIKA | Y
y_i | YUDHY PRASETYO | YUDI PRASETIO | Y
y_i | SETYAWAN | SETIAWAN | Y
y_i | RIZKY RAMADHAN | RIZKI RAMADAN | Y
y_i | ANDY WIJAYA | ANDI WIJAYA | Y
y_i | FERRY IRAWAN | FERI IRAWAN | Y
doubled | ARIFFIN | ARIFIN | Y
doubled | SITTI AMINAH | SITI AMINAH | Y
doubled | ANNISA RAHMA | ANISA RAHMA | Y
doubled | MOCHAMMAD SODIQ | MOCHAMAD SODIK | Y
regional | BUDI SANTOSO | BUDI SANTOSA | Y | Javanese final o/a
regional | SUSILO BAMBANG | SUSILA BAMBANG | Y
regional | WIDODO | WIDADA | Y
regional | SUHARTO | SUHARTA | Y
regional | FITRI | PITRI | Y | Sundanese f/p
regional | ZAENAL MUTAQIN | JAENAL MUTAKIN | Y | Sundanese z/j
regional | FATIMAH | FATIMA | Y
regional | AISYAH | AISAH | Y
regional | KHAIRUL ANWAR | HAIRUL ANWAR | Y
regional | SYAMSUL BAHRI | SAMSUL BAHRI | Y
typo | SRI MULYANI | SRI MULYAMI | Y
typo | AGUS SETIAWAN | AGUS SETIWAN | Y
typo | HERU PURNOMO | HERU PURNAMO | Y
typo | RATNA SARI DEWI | RATNA SARI DEW | Y
typo | SUPRIYANTO | SUPRAYINTO | Y
typo | WAHYU HIDAYAT | WAHYU HIDYAAT | Y
typo | ENDANG SUWARNI | ENDANG SUARNI | Y
typo | KURNIAWAN | KURNAIWAN | Y
typo | HARYANTO | HARIYANTO | Y
typo | DIAN PERMATASARI | DIAN PERMATA SARI | Y
typo | LESTARI HANDAYANI | LESTARI HANDAYNI | Y
typo | MUHAMMAD IQBAL | MUHAMMAD IKBAL | Y
typo | EKO PRASETYO | EKO PRASETIYO | Y
typo | TRI WAHYUNINGSIH | TRI WAHYUNINGSI | Y
typo | SUGENG RIYADI | SUGENG RIADI | Y
typo | NURUL FADILAH | NURUL FADHILAH | Y
typo | AGUS SALIM | AGUS SALIM. | Y
typo | YULIANA | JULIANA | Y
case | siti aminah | SITI AMINAH | Y
case | Siti  Aminah | SITI AMINAH | Y
combined | HJ. ST. AMINAH, S.PD | SITI AMINAH | Y
combined | H. MOCH. SOEHARTO | MUHAMMAD SUHARTO | Y
combined | DRS. MOCH. DJAELANI | MUHAMMAD JAELANI | Y
combined | TJOET NJA DHIEN | CUT NYA DIEN | Y
combined | R.A. KARTINI | RADEN AJENG KARTINI | Y | R.A. abbreviates Raden Ajeng
combined | ABDURRACHMAN WACHID | ABDURRAHMAN WAHID | Y
combined | SJAMSOEL MA'ARIF | SYAMSUL MAARIF | Y
combined | M. CHOIRUL ANAM | MUHAMMAD KHOIRUL ANAM | Y
combined | ACHMAD DHANI | AHMAD DANI | Y
combined | Drs. H. Moch. Ichsan, M.Pd. | MUHAMMAD IKHSAN | Y
combined | NOER HALIMAH | NUR HALIMAH | Y
combined | SOETJIPTO | SUCIPTO | Y
shared_token | SITI AMINAH | SITI RAHAYU | N | two women sharing the most common first name
shared_token | MUHAMMAD RIZKI | MUHAMMAD RIZAL | N
shared_token | MUHAMMAD ARIF | MUHAMMAD ARIFIN | N
shared_token | AHMAD FAUZI | AHMAD FAUZAN | N
shared_token | NUR HASANAH | NUR HALIMAH | N
shared_token | SRI WAHYUNI | SRI WAHYUNINGSIH | N
shared_token | AGUS SALIM | AGUS SALIMIN | N
shared_token | DEWI LESTARI | DEWI LESTARININGSIH | N
shared_token | BUDI SANTOSO | BUDI SUSANTO | N
shared_token | EKO PRASETYO | EKO PRASETIAWAN | N
shared_token | ABDUL RAHMAN | ABDUL RAHIM | N
shared_token | SITI NURHALIZA | SITI NURJANAH | N
shared_token | MUHAMMAD YUSUF | MUHAMMAD YUNUS | N
shared_token | NURUL HUDA | NURUL HIDAYAH | N
shared_token | DIAN PERMATA | DIAN PERTIWI | N
shared_token | ANDI WIJAYA | ANDI WIJAYANTO | N
shared_token | SUPARMAN HADI | SUPARMAN HADIWIJAYA | N
shared_token | TRI WAHYUNI | TRI WAHYUDI | N
shared_token | RATNA DEWI | RATNA DEWANTI | N
shared_token | HENDRA GUNAWAN | HENDRA GUNADI | N
shared_token | IWAN SETIAWAN | IWAN SETIADI | N
shared_token | AHMAD SUBAGYO | BUDI SUBAGYO | N | siblings: same family name
shared_token | ANDI MALLARANGENG | RIZAL MALLARANGENG | N
shared_token | MARTUA SIREGAR | PANDAPOTAN SIREGAR | N
shared_token | BENNY HUTAPEA | ROBERT HUTAPEA | N
shared_token | YOHANES PAULUS | YOHANES PETRUS | N
shared_token | AGUS SETIAWAN | HENDRA SETIAWAN | N
shared_token | DEDI MULYADI | ASEP MULYADI | N
shared_token | SITI AMINAH | SITI AISYAH | N
shared_token | SRI MULYANI | SRI MULYATI | N
shared_token | MUHAMMAD FAJAR | MUHAMMAD FAJRI | N
shared_token | NUR AINI | NUR AZIZAH | N
shared_token | ABDUL KADIR | ABDUL KARIM | N
balinese | I WAYAN SUDIRTA | I MADE SUDIRTA | N | brothers: birth-order names differ
balinese | I KETUT SUARDANA | I KOMANG SUARDANA | N
balinese | NI LUH PUTU ARIANI | NI KADEK ARIANI | N
balinese | I WAYAN SUDIRTA | I WAYAN SUKARTA | N
balinese | I GEDE MADE WIRAWAN | I GEDE KETUT WIRAWAN | N
balinese | NI MADE SUARTINI | NI MADE SUARTANA | N
gender | RIZKY ANANDA PUTRA | RIZKY ANANDA PUTRI | N | twins: putra (son) / putri (daughter)
gender | DIMAS PUTRA PRATAMA | DIMAS PUTRI PRATAMA | N
gender | HARYANTO | HARYANTI | N | Javanese -o male / -i female
gender | SUYANTO WIBOWO | SUYANTI WIBOWO | N
gender | AGUS SETIAWAN | AGUS SETIAWATI | N
gender | DEWA AYU | DEWI AYU | N
gender | KURNIAWAN SAPUTRA | KURNIAWATI SAPUTRA | N
gender | SRI WAHYUNO | SRI WAHYUNI | N
gender | YULIANTO | YULIANTI | N
gender | HERMAWAN | HERMAWATI | N
patronym | AHMAD BIN SALEH | SALEH BIN AHMAD | N | son and father
patronym | SITI BINTI ABDULLAH | ABDULLAH BIN SITI | N
patronym | HASAN BIN ALI | ALI BIN HASAN | N
different | SITI AMINAH | RATNA DEWI | N
different | JOKO WIDODO | BUDI SANTOSO | N
different | MUHAMMAD HATTA | MUHAMMAD NATSIR | N
different | SUKARNO | SUHARTO | N
different | SUDIRMAN | SUPARMAN | N
different | HARTONO | HARYONO | N
different | SURYADI | SURYANI | N
different | WAHYUDI | WAHYUNI | N
different | ANDI | ANDIKA | N
different | ADI | ADITYA | N
different | RINA | RINI | N
different | LINA | LINDA | N
different | YANTI | YANTO | N
different | SARI | SARIFAH | N
different | AMIN | AMINAH | N
different | ARIF | ARIFIN | N
different | RAHMAT | RAHMAN | N
different | HIDAYAT | HIDAYATI | N
different | TAUFIK HIDAYAT | TAUFIK HIDAYATULLAH | N
different | PUTU ARIANI | PUTU ARDANA | N
different | HASAN | HUSAIN | N
different | YUSUF | YUNUS | N
different | MARIA | MARIANA | N
different | CAHYO | CAHYONO | N
"""


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    path = root / "tests" / "vectors" / "name_pairs.json"
    kept = []
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        kept = [p for p in old["pairs"] if p.get("origin") != "hand"]
    hand = []
    for n, line in enumerate(l for l in PAIRS.strip().splitlines() if l.strip()):
        parts = [p.strip() for p in line.split("|")]
        pattern, a, b, same = parts[:4]
        assert same in ("Y", "N"), line
        entry = {
            "id": f"hand-{n + 1:03d}",
            "a": a,
            "b": b,
            "same": same == "Y",
            "origin": "hand",
            "pattern": pattern,
        }
        if len(parts) > 4 and parts[4]:
            entry["note"] = parts[4]
        hand.append(entry)
    doc = {
        "description": (
            "Labelled Indonesian name pairs: same person (true) or different people (false). "
            "origin 'hand': written from real-world variant patterns (bench/name/hand_pairs.py); "
            "origin 'generator': taken from the sample-data generator's truth file "
            "(appended by bench/name/append_generator_pairs.py). Read by "
            "`cargo run -p ktpel-core --release --example name_eval`."
        ),
        "fields": {
            "id": "unique id, 'hand-NNN' or 'gen-NNN'",
            "a": "first name as written in a record",
            "b": "second name as written in a record",
            "same": "true when both are the same person",
            "origin": "'hand' or 'generator'",
            "pattern": "variant pattern (old_spelling, muhammad, title, ...) or negative kind (shared_token, gender, ...)",
            "note": "optional explanation",
        },
        "pairs": hand + kept,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    same = sum(p["same"] for p in hand)
    print(f"{path}: {len(hand)} hand pairs ({same} same, {len(hand) - same} different), {len(kept)} other pairs kept")


if __name__ == "__main__":
    main()
