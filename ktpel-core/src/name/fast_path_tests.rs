//! The allocation-free ASCII fast path of `matching_key`, `PreparedName::new`
//! and `similarity` against the general path (NFKC, heap buffers): byte for
//! byte the same keys and bit for bit the same scores, on arbitrary strings,
//! on every name of the test vectors and on generator names.

extern crate std;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::collections::BTreeSet;

use proptest::prelude::*;

use super::buf::StackStr;
use super::key::{KEY_CAP, key_fast, matching_key_general};
use super::normalize::{FAST_MAX, normalized_fast, normalized_only};
use super::{PreparedName, matching_key, similarity};

/// Asserts that every fast-path result for `s` equals the general one;
/// returns whether the fast path took it.
fn assert_same(s: &str) -> bool {
    let general = matching_key_general(s);
    assert_eq!(matching_key(s), general, "matching_key of {s:?}");
    let mut norm = StackStr::<FAST_MAX>::new();
    let fast_norm = normalized_fast(s, &mut norm);
    if fast_norm {
        let mut g = String::new();
        normalized_only(s, &mut g);
        assert_eq!(norm.as_str(), Some(g.as_str()), "comparison form of {s:?}");
    }
    let mut key = StackStr::<KEY_CAP>::new();
    let fast = key_fast(s, &mut key);
    if fast {
        assert_eq!(key.as_str(), Some(general.as_str()), "fast key of {s:?}");
    }
    assert_eq!(
        PreparedName::new(s),
        PreparedName::new_general(s),
        "PreparedName of {s:?}"
    );
    fast
}

fn similarity_general(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    PreparedName::new_general(a).similarity(&PreparedName::new_general(b))
}

fn assert_same_pair(a: &str, b: &str) {
    let (x, y) = (similarity(a, b), similarity_general(a, b));
    assert_eq!(x.to_bits(), y.to_bits(), "similarity of {a:?} / {b:?}");
}

fn vector(file: &str) -> serde_json::Value {
    let path = format!("{}/../tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn vectors_names_json() {
    let doc = vector("names.json");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 80);
    let mut fast = 0;
    for c in cases {
        let input = c["input"].as_str().expect("input");
        fast += usize::from(assert_same(input));
        assert_same(&input.to_lowercase());
    }
    // most vector names are plain ASCII: the fast path is really exercised
    assert!(
        fast * 2 > cases.len(),
        "fast path took {fast} of {}",
        cases.len()
    );
    let inputs: Vec<&str> = cases.iter().filter_map(|c| c["input"].as_str()).collect();
    for a in &inputs {
        for b in &inputs {
            assert_same_pair(a, b);
        }
    }
}

#[test]
fn vectors_name_pairs_json() {
    let doc = vector("name_pairs.json");
    let pairs = doc["pairs"].as_array().expect("pairs");
    assert!(pairs.len() >= 300);
    for p in pairs {
        let (a, b) = (p["a"].as_str().expect("a"), p["b"].as_str().expect("b"));
        assert_same(a);
        assert_same(b);
        assert_same_pair(a, b);
        assert_same_pair(b, a);
    }
}

/// Every name column of a small generated register and agency file.
#[cfg(feature = "io")]
fn generator_names() -> Vec<String> {
    use crate::sample::{self, Config};
    let cfg = Config {
        population: 3000,
        agency: 1500,
        seed: 11,
        ..Config::default()
    };
    let mut s = sample::Sinks {
        population: Vec::new(),
        later: Vec::new(),
        agency: Vec::new(),
        truth_agency: Vec::new(),
        truth_changes: Vec::new(),
    };
    sample::write_to(&cfg, &mut s, |_| {}).expect("generate");
    let mut names = BTreeSet::new();
    for file in [&s.population, &s.agency] {
        let mut r = csv::Reader::from_reader(file.as_slice());
        let headers = r.headers().expect("header").clone();
        let cols: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.contains("NAMA"))
            .map(|(i, _)| i)
            .collect();
        assert!(!cols.is_empty(), "no name column in {headers:?}");
        for rec in r.records() {
            let rec = rec.expect("row");
            for &i in &cols {
                if let Some(v) = rec.get(i) {
                    names.insert(v.to_string());
                }
            }
        }
    }
    names.into_iter().collect()
}

#[cfg(feature = "io")]
#[test]
fn generator_names_agree() {
    let names = generator_names();
    assert!(names.len() > 1000, "{} names", names.len());
    let fast = names.iter().filter(|n| assert_same(n)).count();
    assert!(
        fast * 10 > names.len() * 9,
        "fast path took {fast} of {}",
        names.len()
    );
    // neighbours in sorted order share a prefix: many close pairs
    for w in names.windows(2) {
        assert_same_pair(&w[0], &w[1]);
    }
    for (a, b) in names.iter().zip(names.iter().rev()).take(2000) {
        assert_same_pair(a, b);
    }
}

#[test]
fn edge_cases() {
    for s in [
        "",
        " ",
        "-",
        "M",
        "MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH MOH",
        "ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD ABD",
        "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z A B C D E F",
        "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R.S.T.U.V.W.X.Y.Z",
        "SITI AMINAH BINTI ABDULLAH BIN AHMAD BIN MUHAMMAD BIN ALI BIN ABU",
        "Hj. Siti Aminah, S.Pd.",
        "DR. H. M. ARIEF, S.H., M.KN.",
        "`h.`J",
        "' H D",
        "\u{0}\u{1}SITI\u{7f}",
        // the plain path reads eight bytes at a time: words across and at
        // the edges of its chunks, and bytes just outside `A`–`Z`
        "ABCDEFGH",
        "ABCDEFG HIJKLMNO P",
        "SITI AMINAH RAHAYU PUTRI DEWI LESTARI WAHYUNI HANDAYANI MULYANIA",
        "SITI AMINAH RAHAYU PUTRI DEWI LESTARI WAHYUNI HANDAYANI MULYANI",
        "SITI AMINAH RAHAYU PUTRI DEWI LESTARI WAHYUNI HANDAYANI MULYANIAB",
        "SITI AMINAé",
        "SITI @MINAH",
        "SITI [MINAH",
        "siti `minah",
        "siti {minah",
        "SITI\tAMINAH",
        "  SITI   AMINAH  ",
        "HAJI SITI AMINAH SH MM",
        "HJ SITI",
        "ST AMINAH",
        "MAYA MULYANI",
    ] {
        assert_same(s);
        assert_same_pair(s, "SITI AMINAH");
        assert_same_pair("MUHAMMAD ARIF", s);
    }
    // just over the fast-path limits
    let long = "SITI ".repeat(13);
    assert!(long.len() > FAST_MAX);
    assert!(!assert_same(&long));
    assert!(!assert_same("JOSÉ RAMOS"));
}

fn namey() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z .,;'`\\-]{0,70}",
        "(H\\. |HJ\\. |DR\\. |DRS\\. |M\\. |MOCH |MHD |ST\\. |ABD\\. |BAYI NY\\. |PROF\\. )*[A-Z]{1,9}( [A-Z]{1,9}){0,5}(, S\\.PD|, M\\.SI| SE|, S\\.H\\., M\\.KN\\.| BIN [A-Z]{2,6})?",
        // plain names (letters and spaces) with title words in every place
        "( {0,2}(HAJI|Hj|H|DR|drs|IR|IBU|NY|KH|PROF|SE|SH|MM|ST|MT|SPD|MA|M|MD|MOCH|ABD|BIN|ALM|SS|MEI|[A-Za-z]{1,12})){0,18} {0,2}",
        "[ -~]{0,70}",
        "[\\x00-\\x7f]{0,40}",
        "\\PC{0,30}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    #[test]
    fn fast_path_is_general_path(s in namey()) {
        assert_same(&s);
    }

    #[test]
    fn fast_similarity_is_general(a in namey(), b in namey()) {
        assert_same_pair(&a, &b);
    }

    #[test]
    fn similarity_to_key_is_similarity_of_from_key(a in namey(), b in namey()) {
        // on raw strings (any text may be stored) and on matching keys
        for (x, y) in [(a.clone(), b.clone()), (matching_key(&a), matching_key(&b)), (b.clone(), b.clone())] {
            let p = PreparedName::from_key(x.clone());
            let want = p.similarity(&PreparedName::from_key(y.clone()));
            prop_assert_eq!(p.similarity_to_key(&y).to_bits(), want.to_bits(), "{:?} / {:?}", x, y);
            let q = super::BlockScorer::from_prepared(p);
            prop_assert_eq!(q.similarity_to_key(&y).to_bits(), want.to_bits());
        }
    }

    #[test]
    fn a_scorer_set_to_each_query_in_turn_scores_as_a_new_one(
        queries in proptest::collection::vec(namey(), 1..6),
        candidate in namey(),
    ) {
        // raw and keyed: ASCII keys of ≤ 64 bytes get masks, others not,
        // so the sequence moves between the two paths
        let mut reused = super::BlockScorer::from_prepared(PreparedName::from_key(String::new()));
        let c = matching_key(&candidate);
        for q in queries.iter().flat_map(|q| [PreparedName::new(q), PreparedName::from_key(q.clone())]) {
            reused.set_query(&q);
            prop_assert_eq!(reused.query(), &q);
            let fresh = super::BlockScorer::from_prepared(q.clone());
            for cand in [candidate.as_str(), c.as_str(), q.key()] {
                let score = fresh.score(cand);
                prop_assert_eq!(reused.score(cand).to_bits(), score.to_bits(), "{:?} / {:?}", q.key(), cand);
                for tenths in [0, 6, 7, 9, 10] {
                    // (the masks' path on ASCII keys, the general one else)
                    prop_assert_eq!(reused.score_at_least(cand, tenths), score >= f64::from(tenths) / 10.0);
                }
            }
            prop_assert_eq!(reused.similarity_to_key(&c).to_bits(), fresh.similarity_to_key(&c).to_bits());
        }
    }
}
