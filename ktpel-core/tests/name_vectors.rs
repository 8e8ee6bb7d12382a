//! `tests/vectors/names.json` and `tests/vectors/name_pairs.json` against
//! `ktpel_core::name`.

use ktpel_core::name;
use serde::Deserialize;

#[derive(Deserialize)]
struct NamesDoc {
    cases: Vec<NameCase>,
}

#[derive(Deserialize)]
struct NameCase {
    input: String,
    note: String,
    display: String,
    normalized: String,
    matching_key: String,
    phonetic_key: String,
    removed: Vec<String>,
    anomaly: Option<String>,
    anomalies: Vec<String>,
    #[serde(default)]
    mother: Option<String>,
}

fn read(file: &str) -> String {
    let path = format!("{}/../tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn names_json() {
    let doc: NamesDoc = serde_json::from_str(&read("names.json")).unwrap();
    assert!(doc.cases.len() >= 80);
    for c in &doc.cases {
        let ctx = format!("{:?} ({})", c.input, c.note);
        let n = name::normalize(&c.input);
        assert_eq!(n.display(), c.display, "display of {ctx}");
        assert_eq!(n.as_str(), c.normalized, "normalized of {ctx}");
        assert_eq!(
            name::matching_key(&c.input),
            c.matching_key,
            "matching_key of {ctx}"
        );
        assert_eq!(
            n.matching_key(),
            c.matching_key,
            "NormalizedName::matching_key of {ctx}"
        );
        assert_eq!(
            name::phonetic_key(&c.input),
            c.phonetic_key,
            "phonetic_key of {ctx}"
        );
        let removed: Vec<&str> = n.removed().iter().map(|r| r.title).collect();
        assert_eq!(removed, c.removed, "removed of {ctx}");
        let first = name::check(&c.input);
        assert_eq!(
            first.as_ref().map(|a| a.code().as_str().to_string()),
            c.anomaly,
            "check of {ctx}"
        );
        let all: Vec<String> = name::check_all(&c.input)
            .iter()
            .map(|a| a.code().as_str().to_string())
            .collect();
        assert_eq!(all, c.anomalies, "check_all of {ctx}");
        if let Some(m) = &c.mother {
            assert_eq!(
                first.as_ref().and_then(|a| a.mother_name()),
                Some(m.as_str()),
                "mother of {ctx}"
            );
        }
        // Every anomaly code is registered in the name range or is EMPTY.
        for a in name::check_all(&c.input) {
            let num = a.code().as_u32();
            assert!(
                (200..300).contains(&num) || a.code() == ktpel_core::Code::Empty,
                "{ctx}"
            );
        }
    }
}

#[derive(Deserialize)]
struct PairsDoc {
    pairs: Vec<Pair>,
}

#[derive(Deserialize)]
struct Pair {
    id: String,
    a: String,
    b: String,
    same: bool,
    origin: String,
}

#[test]
fn name_pairs_quality_floor() {
    let doc: PairsDoc = serde_json::from_str(&read("name_pairs.json")).unwrap();
    let hand: Vec<&Pair> = doc.pairs.iter().filter(|p| p.origin == "hand").collect();
    assert!(hand.len() >= 100, "at least 100 hand-written pairs");
    let mut ids = std::collections::BTreeSet::new();
    for p in &doc.pairs {
        assert!(ids.insert(p.id.as_str()), "duplicate id {}", p.id);
        assert!(
            p.origin == "hand" || p.origin == "generator",
            "{}: origin {}",
            p.id,
            p.origin
        );
    }
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    let (mut same, mut blocked) = (0, 0);
    for p in &hand {
        let s = name::similarity(&p.a, &p.b);
        assert_eq!(s, name::similarity(&p.b, &p.a), "{} symmetric", p.id);
        match (s >= name::DEFAULT_THRESHOLD, p.same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
        if p.same {
            same += 1;
            let (ka, kb) = (name::blocking_keys(&p.a), name::blocking_keys(&p.b));
            if ka.iter().any(|k| kb.contains(k)) {
                blocked += 1;
            }
        }
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fneg) as f64;
    let blocking = blocked as f64 / same as f64;
    // Floors a little under the figures in BENCHMARKS.md: a regression guard.
    assert!(precision >= 0.94, "precision {precision:.3}");
    assert!(recall >= 0.97, "recall {recall:.3}");
    assert!(blocking >= 0.92, "blocking recall {blocking:.3}");
}
