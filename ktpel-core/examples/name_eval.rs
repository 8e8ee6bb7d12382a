//! Quality of `ktpel_core::name` on the labelled pairs.
//!
//! ```text
//! cargo run -p ktpel-core --release --example name_eval [-- PATH] [--misses]
//! ```
//!
//! Reads `tests/vectors/name_pairs.json` (or PATH) and prints, as Markdown:
//! precision and recall of `similarity >= t` for t = 0.80 … 0.95 (overall and
//! per origin), the same for the component scores and plain strsim
//! Jaro-Winkler for comparison, recall per variant pattern, and the blocking
//! recall of `phonetic_key` / `blocking_keys` on the same-person pairs. Re-run
//! it when generator pairs are appended.

use ktpel_core::name;
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    pairs: Vec<Pair>,
}

#[derive(Deserialize, Clone)]
struct Pair {
    id: String,
    a: String,
    b: String,
    same: bool,
    origin: String,
    #[serde(default)]
    pattern: String,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, predicted: bool, same: bool) {
        match (predicted, same) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn thresholds() -> Vec<f64> {
    (0..=15).map(|i| 0.80 + 0.01 * i as f64).collect()
}

fn table(title: &str, scored: &[(f64, bool)]) {
    println!("\n### {title}\n");
    println!("| t | TP | FP | FN | TN | precision | recall | F1 |");
    println!("|---|---|---|---|---|---|---|---|");
    for t in thresholds() {
        let mut c = Counts::default();
        for &(s, same) in scored {
            c.add(s >= t - 1e-12, same);
        }
        let mark = if (t - name::DEFAULT_THRESHOLD).abs() < 1e-9 {
            " **(default)**"
        } else {
            ""
        };
        println!(
            "| {t:.2}{mark} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            c.tp,
            c.fp,
            c.fn_,
            c.tn,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_misses = args.iter().any(|a| a == "--misses");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/vectors/name_pairs.json"
            )
            .to_string()
        });
    let doc: Doc = serde_json::from_str(&std::fs::read_to_string(&path).expect("read pairs file"))
        .expect("parse pairs file");
    let pairs = doc.pairs;
    let n_same = pairs.iter().filter(|p| p.same).count();
    let mut origins: Vec<String> = pairs.iter().map(|p| p.origin.clone()).collect();
    origins.sort();
    origins.dedup();
    println!(
        "## Name similarity on `{}`\n",
        path.rsplit('/').next().unwrap_or(&path)
    );
    print!(
        "{} pairs: {} same person, {} different;",
        pairs.len(),
        n_same,
        pairs.len() - n_same
    );
    for o in &origins {
        print!(
            " {} from origin `{o}`",
            pairs.iter().filter(|p| &p.origin == o).count()
        );
    }
    println!(". Default threshold: {}.", name::DEFAULT_THRESHOLD);

    let scores: Vec<name::SimilarityScores> = pairs
        .iter()
        .map(|p| name::similarity_scores(&p.a, &p.b))
        .collect();
    let combined: Vec<(f64, bool)> = scores
        .iter()
        .zip(&pairs)
        .map(|(s, p)| (s.combined, p.same))
        .collect();
    table("`similarity` (combined), all pairs", &combined);
    if origins.len() > 1 {
        for o in &origins {
            let sub: Vec<(f64, bool)> = combined
                .iter()
                .zip(&pairs)
                .filter(|(_, p)| &p.origin == o)
                .map(|(s, _)| *s)
                .collect();
            table(&format!("`similarity` (combined), origin `{o}`"), &sub);
        }
    }
    let jw: Vec<(f64, bool)> = scores
        .iter()
        .zip(&pairs)
        .map(|(s, p)| (s.jaro_winkler, p.same))
        .collect();
    table("component: Jaro-Winkler of whole matching keys", &jw);
    let lev: Vec<(f64, bool)> = scores
        .iter()
        .zip(&pairs)
        .map(|(s, p)| (s.levenshtein, p.same))
        .collect();
    table(
        "component: normalized Levenshtein of whole matching keys",
        &lev,
    );
    let raw: Vec<(f64, bool)> = pairs
        .iter()
        .map(|p| {
            (
                name::jaro_winkler(&p.a.to_uppercase(), &p.b.to_uppercase()),
                p.same,
            )
        })
        .collect();
    table(
        "baseline: Jaro-Winkler of the uppercased raw names (no normalization)",
        &raw,
    );

    // Per pattern at the default threshold.
    let mut patterns: Vec<String> = pairs.iter().map(|p| p.pattern.clone()).collect();
    patterns.sort();
    patterns.dedup();
    println!("\n### Per pattern at the default threshold\n");
    println!("| pattern | label | pairs | judged same | mean score |");
    println!("|---|---|---|---|---|");
    for pat in &patterns {
        for label in [true, false] {
            let sel: Vec<f64> = pairs
                .iter()
                .zip(&scores)
                .filter(|(p, _)| &p.pattern == pat && p.same == label)
                .map(|(_, s)| s.combined)
                .collect();
            if sel.is_empty() {
                continue;
            }
            let judged = sel
                .iter()
                .filter(|&&s| s >= name::DEFAULT_THRESHOLD)
                .count();
            println!(
                "| {pat} | {} | {} | {} | {:.3} |",
                if label { "same" } else { "different" },
                sel.len(),
                judged,
                sel.iter().sum::<f64>() / sel.len() as f64
            );
        }
    }

    // Blocking recall on same-person pairs.
    let same: Vec<&Pair> = pairs.iter().filter(|p| p.same).collect();
    let mk = same
        .iter()
        .filter(|p| name::matching_key(&p.a) == name::matching_key(&p.b))
        .count();
    let pk = same
        .iter()
        .filter(|p| name::phonetic_key(&p.a) == name::phonetic_key(&p.b))
        .count();
    let bk = same
        .iter()
        .filter(|p| {
            let (a, b) = (name::blocking_keys(&p.a), name::blocking_keys(&p.b));
            a.iter().any(|k| b.contains(k))
        })
        .count();
    let diff: Vec<&Pair> = pairs.iter().filter(|p| !p.same).collect();
    let bk_diff = diff
        .iter()
        .filter(|p| {
            let (a, b) = (name::blocking_keys(&p.a), name::blocking_keys(&p.b));
            a.iter().any(|k| b.contains(k))
        })
        .count();
    let pct = |x: usize, n: usize| 100.0 * x as f64 / n.max(1) as f64;
    println!(
        "\n### Blocking recall on the {} same-person pairs\n",
        same.len()
    );
    println!("| key | same-person pairs sharing it | recall |");
    println!("|---|---|---|");
    println!(
        "| `matching_key` equal | {mk} | {:.1}% |",
        pct(mk, same.len())
    );
    println!(
        "| `phonetic_key` equal (whole name) | {pk} | {:.1}% |",
        pct(pk, same.len())
    );
    println!(
        "| `blocking_keys` share at least one key | {bk} | {:.1}% |",
        pct(bk, same.len())
    );
    println!(
        "\n(For reference: {bk_diff} of the {} different-person pairs, which are hard negatives chosen to share tokens, also share a blocking key.)",
        diff.len()
    );

    if show_misses {
        println!("\n### Misjudged at the default threshold\n");
        for (p, s) in pairs.iter().zip(&scores) {
            if (s.combined >= name::DEFAULT_THRESHOLD) != p.same {
                println!(
                    "- {} `{}` / `{}` labelled {} scored {:.3} (keys `{}` / `{}`)",
                    p.id,
                    p.a,
                    p.b,
                    if p.same { "same" } else { "different" },
                    s.combined,
                    name::matching_key(&p.a),
                    name::matching_key(&p.b)
                );
            }
        }
        println!("\n### Same-person pairs sharing no blocking key\n");
        for p in &same {
            let (a, b) = (name::blocking_keys(&p.a), name::blocking_keys(&p.b));
            if !a.iter().any(|k| b.contains(k)) {
                println!("- {} `{}` {:?} / `{}` {:?}", p.id, p.a, a, p.b, b);
            }
        }
    }
}
