//! Events: precision/recall against the generator's truth file, sorted vs
//! partitioned paths, ids across thread counts, apply, shared vectors.
#![cfg(all(feature = "io", feature = "parallel"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ktpel_core::events::{
    DiffOptions, DiffOutput, EventKind, FileSink, apply_file, diff_files, diff_rows, read_events,
};
use ktpel_core::sample::{self, Config};

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn generate(dir: &Path, population: usize, seed: u64) {
    let cfg = Config {
        seed,
        population,
        agency: 10,
        ..Config::default()
    };
    sample::write_all(&cfg, dir, |_| {}).unwrap();
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let h = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (h, rows)
}

fn write_sorted(src: &Path, dst: &Path) {
    let (h, mut rows) = read_csv(src);
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    let mut w = csv::Writer::from_path(dst).unwrap();
    w.write_record(&h).unwrap();
    for r in rows {
        w.write_record(&r).unwrap();
    }
}

fn run(old: &Path, new: &Path, opts: &DiffOptions, out: &Path) -> ktpel_core::events::DiffSummary {
    let mut sink =
        FileSink::create(&out.join("events.jsonl"), &out.join("anomalies.jsonl")).unwrap();
    diff_files(old, new, opts, &mut sink, &mut |_| {}).unwrap()
}

type Key = (String, String, String, String, String);

/// (NIK, TYPE, ELEMENTS, OLD, NEW) of every truth change.
fn truth(dir: &Path) -> BTreeSet<Key> {
    let (_, rows) = read_csv(&dir.join("truth_changes.csv"));
    rows.into_iter()
        .map(|r| {
            (
                r[0].clone(),
                r[1].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
            )
        })
        .collect()
}

fn found(events: &Path) -> BTreeSet<Key> {
    read_events(events)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let j = |f: &dyn Fn(&ktpel_core::events::Change) -> &str| {
                e.changes
                    .iter()
                    .map(|c| f(c).to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            };
            (
                e.nik.clone(),
                e.kind.as_str().to_string(),
                j(&|c| &c.element),
                j(&|c| &c.old),
                j(&|c| &c.new),
            )
        })
        .collect()
}

#[test]
fn generator_changes_are_found_with_full_precision_and_recall() {
    for seed in [1, 7] {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), 12_000, seed);
        let out = tempfile::tempdir().unwrap();
        let opts = DiffOptions::new(date("2023-11-30")).since(date("2022-11-30"));
        let s = run(
            &dir.path().join("population.csv"),
            &dir.path().join("population_later.csv"),
            &opts,
            out.path(),
        );
        assert!(!s.sorted, "the generator writes household order");
        assert_eq!(s.anomalies_total, 0);
        let (t, f) = (truth(dir.path()), found(&out.path().join("events.jsonl")));
        let mut report = BTreeMap::new();
        for k in EventKind::ALL {
            let name = k.as_str();
            let tk: BTreeSet<_> = t.iter().filter(|x| x.1 == name).collect();
            let fk: BTreeSet<_> = f.iter().filter(|x| x.1 == name).collect();
            let hit = tk.intersection(&fk).count();
            report.insert(name, (tk.len(), fk.len(), hit));
        }
        eprintln!("seed {seed}: type -> (truth, found, correct) {report:?}");
        let missing: Vec<_> = t.difference(&f).take(5).collect();
        let extra: Vec<_> = f.difference(&t).take(5).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}\nextra {extra:?}"
        );
        assert_eq!(t.len() as u64, s.events_total);
    }
}

#[test]
fn sorted_and_partitioned_paths_and_thread_counts_give_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 6_000, 3);
    let (old, new) = (
        dir.path().join("population.csv"),
        dir.path().join("population_later.csv"),
    );
    let (so, sn) = (
        dir.path().join("old_sorted.csv"),
        dir.path().join("new_sorted.csv"),
    );
    write_sorted(&old, &so);
    write_sorted(&new, &sn);
    let opts = DiffOptions::new(date("2023-11-30"));
    let read = |d: &Path| std::fs::read(d.join("events.jsonl")).unwrap();
    let a = tempfile::tempdir().unwrap();
    let sa = run(&so, &sn, &opts, a.path());
    assert!(sa.sorted);
    assert!(sa.since_derived);
    let b = tempfile::tempdir().unwrap();
    let sb = run(&old, &new, &opts.clone().memory_budget(16 << 20), b.path());
    assert!(!sb.sorted);
    assert_eq!(read(a.path()), read(b.path()));
    assert_eq!(sa.events, sb.events);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let c = tempfile::tempdir().unwrap();
        pool.install(|| run(&old, &new, &opts, c.path()));
        assert_eq!(read(a.path()), read(c.path()), "threads {threads}");
    }
    // Diffing a snapshot with itself gives nothing.
    let d = tempfile::tempdir().unwrap();
    let s = run(&old, &old, &opts, d.path());
    assert_eq!(s.events_total, 0);
    assert_eq!(read(d.path()), b"");
}

#[test]
fn applying_the_diff_to_the_old_snapshot_gives_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 5_000, 11);
    let (old, new) = (
        dir.path().join("population.csv"),
        dir.path().join("population_later.csv"),
    );
    let out = tempfile::tempdir().unwrap();
    run(
        &old,
        &new,
        &DiffOptions::new(date("2023-11-30")).since(date("2022-11-30")),
        out.path(),
    );
    let ev = out.path().join("events.jsonl");
    let (upd, log) = (out.path().join("updated.csv"), out.path().join("log.csv"));
    let s = apply_file(&old, &ev, &upd, &log).unwrap();
    assert!(s.values_changed > 0);
    let (_, b_rows) = read_csv(&new);
    let (_, u_rows) = read_csv(&upd);
    let b: BTreeMap<_, _> = b_rows.into_iter().map(|r| (r[0].clone(), r)).collect();
    let mut compared = 0;
    for r in &u_rows {
        if let Some(want) = b.get(&r[0]) {
            assert_eq!(r, want);
            compared += 1;
        }
    }
    assert!(compared > 4_000);
    // Idempotent: a second application changes nothing.
    let (upd2, log2) = (out.path().join("updated2.csv"), out.path().join("log2.csv"));
    let s2 = apply_file(&upd, &ev, &upd2, &log2).unwrap();
    assert_eq!(s2.values_changed, 0);
    assert_eq!(std::fs::read(&upd).unwrap(), std::fs::read(&upd2).unwrap());
}

#[test]
fn shared_vectors() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/events.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let header: Vec<String> = serde_json::from_value(v["header"].clone()).unwrap();
    let opts = DiffOptions::new(date(v["as_of"].as_str().unwrap()))
        .since(date(v["since"].as_str().unwrap()));
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for c in cases {
        let rows = |k: &str| -> Vec<Vec<String>> { serde_json::from_value(c[k].clone()).unwrap() };
        let out: DiffOutput =
            diff_rows(&header, &rows("old"), &header, &rows("new"), &opts).unwrap();
        let got = serde_json::to_value(&out.events).unwrap();
        let name = c["name"].as_str().unwrap();
        let want = c["expected_events"].as_array().unwrap();
        assert_eq!(got.as_array().unwrap().len(), want.len(), "{name}");
        for (g, w) in got.as_array().unwrap().iter().zip(want) {
            for k in ["id", "type", "nik", "changes", "from", "to"] {
                assert_eq!(g.get(k), w.get(k), "{name}: {k}");
            }
        }
        let codes: Vec<&str> = out.anomalies.iter().map(|a| a.code.as_str()).collect();
        let want_codes: Vec<&str> = c["expected_anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(codes, want_codes, "{name}");
    }
}
