//! Batch pemadanan: robustness on broken files, multi-pass equivalence, the
//! category sum property, and the shared vectors.

use std::path::Path;

use chrono::NaiveDate;
use ktpel_core::matching::{
    BatchOptions, Element, Mapping, Overall, Policy, Record, Summary, Verdict, run_batch, verify,
};
use proptest::prelude::*;

const POP_HEADER: &str = "NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU,STATUS";

fn nik(day: u32, month: u32, year: u32, female: bool, serial: u32) -> String {
    let d = if female { day + 40 } else { day };
    format!("317401{d:02}{month:02}{:02}{serial:04}", year % 100)
}

fn opts() -> BatchOptions {
    BatchOptions {
        reference_date: NaiveDate::from_ymd_opt(2026, 11, 23),
        ..BatchOptions::default()
    }
}

fn population(n: u32) -> String {
    let mut s = format!("{POP_HEADER}\n");
    for i in 0..n {
        let female = i % 2 == 1;
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 1950 + i % 50);
        let status = if i % 10 == 0 { "MATI" } else { "HIDUP" };
        s.push_str(&format!(
            "{},NAMA ORANG {},JAKARTA,{day:02}-{month:02}-{year},{},IBU {},{status}\n",
            nik(day, month, year, female, 1 + i / 1000),
            words(i),
            if female { "PEREMPUAN" } else { "LAKI-LAKI" },
            words(i + 7)
        ));
    }
    s
}

/// A distinct word sequence per number (names have no digits).
fn words(i: u32) -> String {
    const W: [&str; 10] = [
        "SARI", "BUDI", "WATI", "JOKO", "AMIN", "RINA", "DEWI", "AGUS", "TONO", "YANTI",
    ];
    let mut n = i;
    let mut v = Vec::new();
    loop {
        v.push(W[(n % 10) as usize]);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    v.join(" ")
}

fn agency_row(i: u32) -> String {
    let female = i % 2 == 1;
    let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 1950 + i % 50);
    format!(
        "A{i},{},NAMA ORANG {},JAKARTA,{day:02}-{month:02}-{year},{}",
        nik(day, month, year, female, 1 + i / 1000),
        words(i),
        if female { "P" } else { "L" }
    )
}

fn run(dir: &Path, agency: &[u8], pop: &str, o: &BatchOptions) -> Summary {
    std::fs::write(dir.join("a.csv"), agency).unwrap();
    std::fs::write(dir.join("p.csv"), pop).unwrap();
    run_batch(
        &dir.join("a.csv"),
        &dir.join("p.csv"),
        &dir.join("out"),
        o,
        &mut |_| {},
    )
    .unwrap()
}

fn hasil_categories(dir: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("out/hasil.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let k = h.iter().position(|c| c == "KATEGORI").unwrap();
    r.records().map(|x| x.unwrap()[k].to_string()).collect()
}

fn assert_sum(s: &Summary) {
    assert_eq!(
        s.received,
        s.matched + s.anomaly + s.duplicate + s.unmatched + s.nik_not_found,
        "{s:?}"
    );
}

#[test]
fn clean_rows_match_and_deceased_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = String::from("ID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\n");
    for i in 0..200 {
        a.push_str(&agency_row(i));
        a.push('\n');
    }
    let s = run(dir.path(), a.as_bytes(), &population(300), &opts());
    assert_eq!((s.received, s.matched), (200, 200), "{s:?}");
    assert_eq!(s.matched_deceased, 20);
    let cats = hasil_categories(dir.path());
    assert_eq!(cats.len(), 200);
    assert!(cats.iter().all(|c| c == "SESUAI"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/summary.json")).unwrap())
            .unwrap();
    for k in [
        "received",
        "matched",
        "matched_deceased",
        "anomaly",
        "duplicate",
        "unmatched",
        "nik_not_found",
    ] {
        assert!(json[k].is_u64(), "{k}");
    }
}

#[test]
fn broken_rows_are_findings_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let mut a: Vec<u8> = b"\xef\xbb\xbfID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\r\n".to_vec();
    a.extend_from_slice(format!("{}\r\n", agency_row(1)).as_bytes()); // 1 ok
    a.extend_from_slice(b"A2,too,few\r\n"); // 2 wrong columns
    a.extend_from_slice(b"A3,\"unclosed,NAMA,X,01-01-1990,L\r\n"); // 3 broken quote
    a.extend_from_slice(
        format!("{}\r\n", agency_row(4).replace("NAMA ORANG", "JOS\u{e9}")).as_bytes(),
    );
    // 5: Latin-1 bytes in the name: read, flagged, still matched on the rest? (name differs → TIDAK_SESUAI)
    let mut latin = agency_row(5).into_bytes();
    let pos = latin.windows(4).position(|w| w == b"NAMA").unwrap();
    latin[pos + 1] = 0xC1; // 'Á' in Latin-1, invalid UTF-8
    a.extend_from_slice(&latin);
    a.extend_from_slice(b"\r\n");
    a.extend_from_slice(b"A6,3174010101900001,BUDI,JAKARTA,31-02-1990,L\r\n"); // 6 bad date
    a.extend_from_slice(b"A7,3174010101900001,BUDI,JAKARTA,01-01-1990,X\r\n"); // 7 bad sex code
    a.extend_from_slice(b"A8,3.17401E+15,BUDI,JAKARTA,01-01-1990,L\r\n"); // 8 spreadsheet NIK
    a.extend_from_slice(b"A9,9999010101900001,XXX,JAKARTA,01-01-1990,L\r\n"); // 9 placeholder name
    a.extend_from_slice(format!("{}\r\n", agency_row(1)).as_bytes()); // 10 duplicate of 1
    // population without STATUS
    let pop: String = population(50)
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let s = run(dir.path(), &a, &pop, &opts());
    assert_sum(&s);
    assert_eq!(s.received, 10);
    assert_eq!(s.duplicate, 1);
    assert_eq!(s.anomaly, 6, "{s:?}");
    assert_eq!(s.codes["MALFORMED_ROW"], 2);
    assert_eq!(s.codes["UNPARSEABLE_DATE"], 1);
    assert_eq!(s.codes["UNKNOWN_SEX_CODE"], 1);
    assert_eq!(s.codes["SPREADSHEET_CORRUPTED"], 1);
    assert_eq!(s.codes["PLACEHOLDER"], 1);
    assert_eq!(s.warnings["LATIN1_DECODED"], 1);
    assert_eq!(s.warnings["NO_STATUS_COLUMN"], 1);
    assert!(!s.population.has_status);
    assert_eq!(s.matched_deceased, 0);
    let cats = hasil_categories(dir.path());
    assert_eq!(cats.len(), 10);
    assert_eq!(cats[0], "SESUAI");
    assert_eq!(cats[9], "GANDA");
    let anomali = std::fs::read_to_string(dir.path().join("out/anomali.csv")).unwrap();
    assert_eq!(anomali.lines().count(), 7);
}

#[test]
fn empty_and_header_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = run(dir.path(), b"", &population(5), &opts());
    assert_eq!(s.received, 0);
    assert_eq!(s.warnings["EMPTY"], 1);
    assert!(dir.path().join("out/hasil.csv").exists());
    let s = run(dir.path(), b"ID,NIK,NAMA_LGKP\n", &population(5), &opts());
    assert_eq!(s.received, 0);
    assert_eq!(hasil_categories(dir.path()).len(), 0);
    // An empty register: every valid row is NIK_TIDAK_DITEMUKAN.
    let a = format!(
        "ID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\n{}\n",
        agency_row(3)
    );
    let s = run(dir.path(), a.as_bytes(), "", &opts());
    assert_eq!(s.nik_not_found, 1);
}

#[test]
fn population_without_nik_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.csv"), "NIK\n").unwrap();
    std::fs::write(dir.path().join("p.csv"), "NAMA_LGKP\nX\n").unwrap();
    let e = run_batch(
        &dir.path().join("a.csv"),
        &dir.path().join("p.csv"),
        &dir.path().join("o"),
        &opts(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("NIK"), "{e}");
}

#[test]
fn multi_pass_output_equals_single_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = String::from("ID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\n");
    for i in 0..3000u32 {
        let mut row = agency_row(i * 7 % 3500);
        if i % 5 == 0 {
            row = row.replace("NAMA ORANG", "SEORANG LAIN");
        }
        if i % 11 == 0 {
            row = row.replace(",JAKARTA,", ",JAKARTA,,");
        }
        a.push_str(&row);
        a.push('\n');
    }
    let pop = population(3000);
    let one = run(dir.path(), a.as_bytes(), &pop, &opts());
    let hasil_one = std::fs::read(dir.path().join("out/hasil.csv")).unwrap();
    let mut small = opts();
    small.memory_budget = Some(60_000);
    small.block_rows = 100;
    let many = run(dir.path(), a.as_bytes(), &pop, &small);
    assert!(many.passes > 3, "{}", many.passes);
    let hasil_many = std::fs::read(dir.path().join("out/hasil.csv")).unwrap();
    assert!(hasil_one == hasil_many, "multi-pass hasil.csv differs");
    assert_eq!(
        (
            one.matched,
            one.unmatched,
            one.nik_not_found,
            one.anomaly,
            one.duplicate
        ),
        (
            many.matched,
            many.unmatched,
            many.nik_not_found,
            many.anomaly,
            many.duplicate
        )
    );
    assert!(one.matched > 0 && one.unmatched > 0 && one.nik_not_found > 0 && one.anomaly > 0);
    assert!(!dir.path().join("out/.hasil.part0").exists());
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("a,b".to_string()),
        Just("XXX".to_string()),
        Just("01-01-1990".to_string()),
        Just("31-31-1990".to_string()),
        Just("L".to_string()),
        (0u32..60).prop_map(agency_row),
        (0u32..60).prop_map(|i| nik(1 + i % 28, 1 + (i / 28) % 12, 1950 + i % 50, i % 2 == 1, 1)),
        "[A-Z ]{0,12}",
        proptest::collection::vec(any::<u8>(), 0..8)
            .prop_map(|v| String::from_utf8_lossy(&v).into_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn categories_always_sum_to_received(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..40),
        raw_tail in proptest::collection::vec(any::<u8>(), 0..64),
        budget in prop_oneof![Just(None), Just(Some(2_000u64))],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut a = b"ID,NIK,NAMA_LGKP,TMPT_LHR,TGL_LHR,JENIS_KLMIN\n".to_vec();
        for r in &rows {
            a.extend_from_slice(r.join(",").as_bytes());
            a.push(b'\n');
        }
        a.extend_from_slice(&raw_tail);
        let mut o = opts();
        o.memory_budget = budget;
        o.block_rows = 7;
        let s = run(dir.path(), &a, &population(60), &o);
        prop_assert_eq!(s.received, s.matched + s.anomaly + s.duplicate + s.unmatched + s.nik_not_found);
        prop_assert_eq!(hasil_categories(dir.path()).len() as u64, s.received);
    }
}

// ---- shared vectors -------------------------------------------------------

fn record_of(v: &serde_json::Value) -> Record {
    let pairs: Vec<(String, String)> = v
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Record::from_pairs(&refs).0
}

#[test]
fn vectors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/matching.json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert!(doc["source"].is_string());
    let cases = doc["verify"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let policy = match c.get("policy_toml").and_then(|p| p.as_str()) {
            Some(t) => Policy::from_toml(t).unwrap(),
            None => Policy::default(),
        };
        let sub = record_of(&c["submitted"]);
        let reference = c["reference"]
            .as_object()
            .map(|_| record_of(&c["reference"]));
        let v = verify(&sub, reference.as_ref(), &policy);
        let want_overall = c["overall"].as_str().unwrap();
        assert_eq!(v.overall.as_str(), want_overall, "{id}");
        let want: &serde_json::Map<String, serde_json::Value> = c["elements"].as_object().unwrap();
        assert_eq!(want.len(), v.elements.len(), "{id}");
        for e in &v.elements {
            let w = &want[e.element.dukcapil()];
            assert_eq!(
                e.verdict.as_str(),
                w["verdict"].as_str().unwrap(),
                "{id} {:?}",
                e.element
            );
            if let Some(f) = w.get("flag").and_then(|f| f.as_str()) {
                assert_eq!(e.flag.map(|c| c.as_str()), Some(f), "{id}");
            } else {
                assert_eq!(e.flag, None, "{id}");
            }
            if let Some(min) = w.get("score_min").and_then(|x| x.as_f64()) {
                assert!(e.score >= min, "{id} {:?} {}", e.element, e.score);
            }
            if let Some(max) = w.get("score_max").and_then(|x| x.as_f64()) {
                assert!(e.score <= max, "{id} {:?} {}", e.element, e.score);
            }
        }
        let want_ret: Vec<(String, String)> = c["returned"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let got_ret: Vec<(String, String)> = v
            .returned
            .iter()
            .map(|(e, s)| (e.dukcapil().to_string(), s.clone()))
            .collect();
        let mut a = want_ret.clone();
        a.sort();
        let mut b = got_ret;
        b.sort();
        assert_eq!(a, b, "{id}");
    }
    let _ = (Element::Name, Verdict::Sesuai, Overall::Sesuai);
}

// ---- generator data -------------------------------------------------------

/// On generator data: every SESUAI row and every recovered NIK is the true
/// NIK of the person, recovery finds most NIK_WRONG / NIK_SPREADSHEET rows,
/// and the outputs have one hasil row per agency row.
#[test]
fn generator_sample_matches_and_recovers_true_niks() {
    let (dir, cfg) = generated_sample(7, 6_000, 1_500);
    let (s, out) = recover_sample(dir.path(), &cfg, "agency.csv");
    assert_eq!(s.received, 1_500);
    assert_sum(&s);
    let rec = s.recovery.as_ref().unwrap();
    assert!(rec.recovered > 0 && rec.recovered <= rec.rows);
    let truth = read_truth(dir.path());
    let mut h = csv::Reader::from_path(out.join("hasil.csv")).unwrap();
    let hd = h.headers().unwrap().clone();
    let col = |n: &str| hd.iter().position(|c| c == n).unwrap();
    let (id, cat, cocok, pulih) = (
        col("ID_PELANGGAN"),
        col("KATEGORI"),
        col("NIK_COCOK"),
        col("NIK_PULIH"),
    );
    let (mut rows, mut matched, mut recovered, mut nik_rows, mut nik_recovered) = (0, 0, 0, 0, 0);
    for r in h.records() {
        let r = r.unwrap();
        rows += 1;
        let (true_nik, corruptions) = &truth[&r[id]];
        if &r[cat] == "SESUAI" {
            matched += 1;
            assert_eq!(&r[cocok], true_nik.as_str(), "row {}", &r[0]);
        }
        if !r[pulih].is_empty() {
            recovered += 1;
            assert_eq!(&r[pulih], true_nik.as_str(), "recovered row {}", &r[0]);
        }
        if corruptions.contains("NIK_WRONG") || corruptions.contains("NIK_SPREADSHEET") {
            nik_rows += 1;
            nik_recovered += u32::from(!r[pulih].is_empty());
        }
    }
    assert_eq!(rows, 1_500);
    assert_eq!(matched, s.matched);
    assert_eq!(recovered, rec.recovered);
    assert!(nik_rows > 20);
    assert!(
        nik_recovered * 10 >= nik_rows * 6,
        "{nik_recovered}/{nik_rows}"
    );
    let kandidat = std::fs::read_to_string(out.join("kandidat.csv")).unwrap();
    assert!(
        kandidat
            .starts_with("BARIS,ID_PELANGGAN,PERINGKAT,NIK,SKOR,PELUANG,ELEMEN_SESUAI,DITERIMA")
    );
}

/// An agency file without any NIK (no verified row to learn from): the
/// model's u comes from the register's own blocks, every recovered NIK is
/// the person's, persons not in the register are not recovered, and most
/// of the others are.
#[test]
fn generator_sample_without_niks_recovers_with_u_from_the_register() {
    let (dir, cfg) = generated_sample(5, 8_000, 1_000);
    // Blank the NIK column (the second; the first, ID_PELANGGAN, has no comma).
    let agency = std::fs::read_to_string(dir.path().join("agency.csv")).unwrap();
    let mut blanked = String::new();
    for (i, line) in agency.lines().enumerate() {
        if i == 0 {
            blanked.push_str(line);
        } else {
            let (id, rest) = line.split_once(',').unwrap();
            let (_, rest) = rest.split_once(',').unwrap();
            blanked.push_str(&format!("{id},,{rest}"));
        }
        blanked.push('\n');
    }
    std::fs::write(dir.path().join("agency_nonik.csv"), blanked).unwrap();
    let (s, out) = recover_sample(dir.path(), &cfg, "agency_nonik.csv");
    assert_eq!(s.received, 1_000);
    assert_eq!(s.matched, 0);
    assert_sum(&s);
    let rec = s.recovery.as_ref().unwrap();
    assert_eq!(rec.model.u_source, "register");
    assert!(rec.model.random_pairs > 1_000, "{}", rec.model.random_pairs);
    let truth = read_truth(dir.path());
    let mut h = csv::Reader::from_path(out.join("hasil.csv")).unwrap();
    let hd = h.headers().unwrap().clone();
    let col = |n: &str| hd.iter().position(|c| c == n).unwrap();
    let (id, pulih) = (col("ID_PELANGGAN"), col("NIK_PULIH"));
    let (mut in_register, mut recovered, mut outsiders) = (0, 0, 0);
    for r in h.records() {
        let r = r.unwrap();
        let (true_nik, corruptions) = &truth[&r[id]];
        if corruptions.contains("NOT_IN_REGISTER") {
            outsiders += 1;
            assert_eq!(&r[pulih], "", "row {} is not in the register", &r[0]);
            continue;
        }
        in_register += 1;
        if !r[pulih].is_empty() {
            recovered += 1;
            assert_eq!(&r[pulih], true_nik.as_str(), "recovered row {}", &r[0]);
        }
    }
    assert!(outsiders > 0);
    assert_eq!(recovered, rec.recovered);
    assert!(
        recovered * 10 >= in_register * 9,
        "{recovered}/{in_register}"
    );
}

/// `run_dedupe` on a register with planted duplicates: a second row of a
/// person under another NIK (name spelled differently) and a NIK reused by
/// someone else are found; the untouched register yields nothing.
#[test]
fn dedupe_finds_planted_duplicates() {
    use ktpel_core::matching::{DedupeOptions, run_dedupe};
    use ktpel_core::sample::{Config, population};
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        seed: 11,
        population: 3_000,
        agency: 0,
        ..Config::default()
    };
    write_sample_population(&cfg, &dir.path().join("p.csv"));
    let clean = run_dedupe(
        &dir.path().join("p.csv"),
        &dir.path().join("o1"),
        &DedupeOptions::default(),
    )
    .unwrap();
    let mut text = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Row 10 again, under another NIK, with the old spelling of U.
    let mut f: Vec<String> = lines[10].split(',').map(str::to_string).collect();
    let nik: u64 = f[0].parse().unwrap();
    f[0] = format!("{:016}", nik + 5000);
    f[2] = f[2].replace('U', "OE");
    text.push_str(&f.join(","));
    text.push('\n');
    // Row 20's NIK used by row 30's person.
    let mut g: Vec<String> = lines[30].split(',').map(str::to_string).collect();
    g[0] = lines[20].split(',').next().unwrap().to_string();
    text.push_str(&g.join(","));
    text.push('\n');
    std::fs::write(dir.path().join("q.csv"), &text).unwrap();
    let s = run_dedupe(
        &dir.path().join("q.csv"),
        &dir.path().join("o2"),
        &DedupeOptions::default(),
    )
    .unwrap();
    assert_eq!(s.rows, 3_002);
    assert_eq!(s.nik_shared, clean.nik_shared + 1, "{s:?}");
    assert!(
        s.person_multiple_nik > clean.person_multiple_nik,
        "{s:?} vs {clean:?}"
    );
    let out = std::fs::read_to_string(dir.path().join("o2/duplikat.csv")).unwrap();
    assert!(
        out.lines()
            .any(|l| l.starts_with("10,3001,PERSON_MULTIPLE_NIK")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("20,3002,NIK_SHARED")),
        "{out}"
    );
    let _ = population;
}

/// A generator sample (register, agency file, truth files) of `seed`
/// with `population` residents and `agency` agency rows, in a new
/// temporary directory.
fn generated_sample(
    seed: u64,
    population: usize,
    agency: usize,
) -> (tempfile::TempDir, ktpel_core::sample::Config) {
    use ktpel_core::sample::{Config, write_all};
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        seed,
        population,
        agency,
        ..Config::default()
    };
    write_all(&cfg, dir.path(), |_| {}).unwrap();
    (dir, cfg)
}

/// `run_batch` with recovery on a generator sample in `dir` (agency file
/// `agency`, the sample's register), into `dir/out`.
fn recover_sample(
    dir: &Path,
    cfg: &ktpel_core::sample::Config,
    agency: &str,
) -> (Summary, std::path::PathBuf) {
    let o = BatchOptions {
        reference_date: Some(cfg.as_of),
        recover: true,
        ..BatchOptions::default()
    };
    let out = dir.join("out");
    let s = run_batch(
        &dir.join(agency),
        &dir.join("population.csv"),
        &out,
        &o,
        &mut |_| {},
    )
    .unwrap();
    (s, out)
}

/// The generator's truth file: per agency ID its true NIK and corruptions.
fn read_truth(dir: &Path) -> std::collections::HashMap<String, (String, String)> {
    let mut truth = std::collections::HashMap::new();
    let mut t = csv::Reader::from_path(dir.join("truth_agency.csv")).unwrap();
    for r in t.records() {
        let r = r.unwrap();
        truth.insert(r[0].to_string(), (r[1].to_string(), r[2].to_string()));
    }
    truth
}

fn write_sample_population(cfg: &ktpel_core::sample::Config, path: &Path) {
    let dir = tempfile::tempdir().unwrap();
    ktpel_core::sample::write_all(cfg, dir.path(), |_| {}).unwrap();
    std::fs::copy(dir.path().join("population.csv"), path).unwrap();
}

// ---- recovery with generic elements --------------------------------------

/// An `id` extra with `compare` and a `block_on` rule: agency rows without
/// a NIK and without a birth date, whose names are unlike their resident's
/// (no built-in block reaches them), are recovered through the identifier
/// alone; without the rule the same rows get no candidate.
#[test]
fn id_extra_recovers_rows_only_its_block_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let pop = dir.path().join("p.csv");
    let agency = dir.path().join("a.csv");
    let mut p = format!("{POP_HEADER},NO_BPJS\n");
    for i in 0..300u32 {
        let female = i % 2 == 1;
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 1950 + i % 50);
        p.push_str(&format!(
            "{},NAMA ORANG {},JAKARTA,{day:02}-{month:02}-{year},{},IBU {},HIDUP,000-{:07}\n",
            nik(day, month, year, female, 1 + i / 1000),
            words(i),
            if female { "P" } else { "L" },
            words(i + 7),
            1_000_003 * (i + 1) % 9_999_991,
        ));
    }
    std::fs::write(&pop, p).unwrap();
    // Agency: every 6th resident, another name, no birth date, no NIK; the
    // BPJS number written without the dash.
    let mut a = String::from("ID,NAMA_LGKP,JENIS_KLMIN,NO_BPJS\n");
    let mut expected = Vec::new();
    for i in (0..300u32).step_by(6) {
        let female = i % 2 == 1;
        let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 1950 + i % 50);
        expected.push(nik(day, month, year, female, 1 + i / 1000));
        a.push_str(&format!(
            "A{i},PENGGUNA LAYANAN {},{},000{:07}\n",
            words(i + 500),
            if female { "P" } else { "L" },
            1_000_003 * (i + 1) % 9_999_991,
        ));
    }
    std::fs::write(&agency, a).unwrap();
    let run = |pop_toml: &str, agency_toml: &str, out: &str| {
        let o = BatchOptions {
            recover: true,
            population_mapping: Mapping::from_toml(pop_toml).unwrap(),
            agency_mapping: Mapping::from_toml(agency_toml).unwrap(),
            ..opts()
        };
        let out = dir.path().join(out);
        let s = run_batch(&agency, &pop, &out, &o, &mut |_| {}).unwrap();
        assert_sum(&s);
        let mut h = csv::Reader::from_path(out.join("hasil.csv")).unwrap();
        let pulih = h.headers().unwrap().iter().position(|c| c == "NIK_PULIH");
        let got: Vec<String> = h
            .records()
            .map(|r| r.unwrap()[pulih.unwrap()].to_string())
            .collect();
        (s, got)
    };
    let with_id = "[extras.bpjs]\ncolumn = \"NO_BPJS\"\ntype = \"id\"\ncompare = \"id\"\n\
                   [recovery]\nblock_on = [\"bpjs\"]\n";
    let agency_side = "[extras.bpjs]\ncolumn = \"NO_BPJS\"\ntype = \"id\"\n";
    let (s, got) = run(with_id, agency_side, "with");
    let rec = s.recovery.unwrap();
    assert_eq!(rec.rows, 50);
    assert_eq!(rec.recovered, 50);
    assert_eq!(got, expected);
    assert_eq!(rec.model.m.len(), 7, "six built-in elements and the id");
    let kandidat = std::fs::read_to_string(dir.path().join("with/kandidat.csv")).unwrap();
    assert!(
        kandidat.lines().skip(1).all(|l| l.contains("bpjs")),
        "{kandidat}"
    );
    // The register mapping without the rule: the id is compared but no block
    // reaches the rows, so nothing is recovered.
    let compared_only = "[extras.bpjs]\ncolumn = \"NO_BPJS\"\ntype = \"id\"\ncompare = \"id\"\n";
    let (s, got) = run(compared_only, agency_side, "without");
    let rec = s.recovery.unwrap();
    assert_eq!((rec.rows, rec.recovered, rec.pairs_scored), (50, 0, 0));
    assert!(got.iter().all(String::is_empty));
    // A rule naming an extra that is not compared is a configuration error.
    let o = BatchOptions {
        recover: true,
        population_mapping: Mapping::from_toml("[recovery]\nblock_on = [\"bpjs+birth_year\"]\n")
            .unwrap(),
        ..opts()
    };
    let e = run_batch(&agency, &pop, &dir.path().join("bad"), &o, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("bpjs"), "{e}");
}
