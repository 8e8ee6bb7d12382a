//! Property tests of the snapshot diff: diff(A, A) is empty; applying
//! diff(A, B) to A gives B on every element the events carry; no input
//! panics; ids do not depend on row order.
#![cfg(feature = "io")]

use std::collections::BTreeMap;

use ktpel_core::events::{DiffOptions, EventKind, diff_rows};
use proptest::prelude::*;

const H: [&str; 10] = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "TGL_LHR",
    "STAT_KWN",
    "STAT_HBKEL",
    "ALAMAT",
    "NO_PROP",
    "NO_KAB",
    "STATUS",
];

fn opts() -> DiffOptions {
    DiffOptions::new("2023-11-30".parse().unwrap()).since("2022-11-30".parse().unwrap())
}

fn row() -> impl Strategy<Value = Vec<String>> {
    (
        0u32..40,
        prop::sample::select(vec!["3201010101150001", "3201010101150002"]),
        prop::sample::select(vec!["SITI", "SITI AMINAH", "BUDI"]),
        prop::sample::select(vec!["01-01-1990", "02-02-2023"]),
        prop::sample::select(vec!["BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"]),
        prop::sample::select(vec!["ANAK", "ISTRI", "KEPALA KELUARGA"]),
        prop::sample::select(vec!["JL. A", "JL. B"]),
        prop::sample::select(vec!["32", "33"]),
        prop::sample::select(vec!["01", "02"]),
        prop::sample::select(vec!["HIDUP", "MATI"]),
    )
        .prop_map(|(n, kk, name, born, kwn, hb, addr, p, k, st)| {
            vec![
                format!("32010101019{n:05}"),
                kk.into(),
                name.into(),
                born.into(),
                kwn.into(),
                hb.into(),
                addr.into(),
                p.into(),
                k.into(),
                st.into(),
            ]
        })
}

fn dedup(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut seen = std::collections::BTreeSet::new();
    rows.into_iter()
        .filter(|r| seen.insert(r[0].clone()))
        .collect()
}

proptest! {
    #[test]
    fn diff_of_a_snapshot_with_itself_is_empty(a in prop::collection::vec(row(), 0..30)) {
        let a = dedup(a);
        let out = diff_rows(&H, &a, &H, &a, &opts()).unwrap();
        prop_assert!(out.events.is_empty());
        prop_assert!(out.anomalies.is_empty());
    }

    #[test]
    fn applying_the_diff_gives_the_new_snapshot(a in prop::collection::vec(row(), 0..30), b in prop::collection::vec(row(), 0..30)) {
        let (a, b) = (dedup(a), dedup(b));
        let out = diff_rows(&H, &a, &H, &b, &opts()).unwrap();
        let mut state: BTreeMap<String, Vec<String>> = a.iter().map(|r| (r[0].clone(), r.clone())).collect();
        for e in &out.events {
            let r = state.entry(e.nik.clone()).or_insert_with(|| vec![String::new(); H.len()]);
            for c in &e.changes {
                let i = H.iter().position(|h| *h == c.element).unwrap();
                prop_assert_eq!(&r[i], &c.old);
                r[i] = c.new.clone();
            }
            if matches!(e.kind, EventKind::Lahir | EventKind::Datang) {
                for (k, v) in &e.record {
                    r[H.iter().position(|h| h == k).unwrap()] = v.clone();
                }
            }
            if e.kind == EventKind::Hapus {
                state.remove(&e.nik);
            }
        }
        let anomalous: std::collections::BTreeSet<_> = out.anomalies.iter().map(|x| x.nik.clone()).collect();
        for r in &b {
            if !anomalous.contains(&r[0]) {
                prop_assert_eq!(state.get(&r[0]), Some(r));
            }
        }
        // Same events whatever the row order.
        let mut ra = a.clone();
        ra.reverse();
        let mut rb = b.clone();
        rb.reverse();
        let again = diff_rows(&H, &ra, &H, &rb, &opts()).unwrap();
        prop_assert_eq!(again.events, out.events);
    }

    #[test]
    fn arbitrary_rows_never_panic(a in prop::collection::vec(prop::collection::vec(".{0,20}", 0..12), 0..8), b in prop::collection::vec(prop::collection::vec(".{0,20}", 0..12), 0..8)) {
        let out = diff_rows(&H, &a, &H, &b, &opts()).unwrap();
        let s = out.summary.unwrap();
        prop_assert_eq!(s.old_rows, a.len() as u64);
        prop_assert_eq!(s.new_rows, b.len() as u64);
    }
}
