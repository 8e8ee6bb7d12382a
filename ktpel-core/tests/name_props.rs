//! Properties of `ktpel_core::name` on arbitrary input.

use ktpel_core::name::{self, BlockScorer, KeyBlock};
use proptest::prelude::*;

/// Names-like strings: letters, Indonesian punctuation, titles and some
/// arbitrary Unicode.
fn namey() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z .,'\\-]{0,40}",
        "(H\\. |HJ\\. |DR\\. |M\\. |MOCH |ST\\. |BAYI NY\\. )?[A-Z]{1,9}( [A-Z]{1,9}){0,3}(, S\\.PD|, M\\.SI| SE)?",
        "\\PC{0,30}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn never_panics(s in namey()) {
        let n = name::normalize(&s);
        let _ = n.matching_key();
        let _ = name::matching_key(&s);
        let _ = name::phonetic_key(&s);
        let _ = name::blocking_keys(&s);
        let _ = name::check_all(&s);
        let _ = name::similarity_scores(&s, "SITI AMINAH");
    }

    #[test]
    fn normalize_is_idempotent(s in namey()) {
        let n = name::normalize(&s);
        let again = name::normalize(n.display());
        prop_assert_eq!(again.display(), n.display());
        prop_assert_eq!(again.as_str(), n.as_str());
        prop_assert!(again.removed().is_empty() || n.display().is_empty() || again.display() == n.display());
        prop_assert_eq!(name::matching_key(n.display()), n.matching_key());
    }

    #[test]
    fn similarity_symmetric_bounded_reflexive(a in namey(), b in namey()) {
        let ab = name::similarity_scores(&a, &b);
        let ba = name::similarity_scores(&b, &a);
        prop_assert_eq!(ab, ba);
        for v in [ab.combined, ab.token, ab.jaro_winkler, ab.levenshtein] {
            prop_assert!((0.0..=1.0).contains(&v), "{} out of range", v);
        }
        prop_assert_eq!(name::similarity(&a, &a), 1.0);
        prop_assert_eq!(name::similarity_scores(&a, &a).combined, 1.0);
        prop_assert_eq!(name::similarity(&a, &b), ab.combined);
    }

    #[test]
    fn kernels_are_strsim(a in "[A-Z ]{0,70}|\\PC{0,20}|[ -~]{0,30}", b in "[A-Z ]{0,70}|\\PC{0,20}|[ -~]{0,30}") {
        prop_assert_eq!(name::jaro(&a, &b), strsim::jaro(&a, &b));
        prop_assert_eq!(name::jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
        prop_assert_eq!(name::levenshtein(&a, &b), strsim::levenshtein(&a, &b));
        prop_assert_eq!(name::normalized_levenshtein(&a, &b), strsim::normalized_levenshtein(&a, &b));
    }

    #[test]
    fn block_scorer_is_pairwise(q in namey(), cs in proptest::collection::vec("[A-Z ]{0,70}|\\PC{0,12}", 0..12)) {
        let scorer = BlockScorer::new(&q);
        let key = scorer.query().key().to_string();
        let mut out = Vec::new();
        scorer.score_block(&cs, &mut out);
        for (c, s) in cs.iter().zip(&out) {
            prop_assert_eq!(*s, strsim::jaro_winkler(c, &key));
            prop_assert_eq!(scorer.score(c), *s);
            let cut = scorer.score_cutoff(c, 0.85);
            prop_assert!(cut == 0.0 || cut == *s);
            if *s >= 0.85 { prop_assert_eq!(cut, *s); }
        }
        let cand = name::PreparedName::new(&q);
        prop_assert_eq!(scorer.similarity(&cand), 1.0);
    }

    #[test]
    fn key_block_cutoff_is_unfiltered(
        q in "[A-F ]{0,24}|[A-Z ]{0,70}|\\PC{0,8}",
        cs in proptest::collection::vec("[A-F ]{0,24}|[A-Z ]{0,70}|\\PC{0,8}", 0..40),
        cutoff in prop_oneof![0.0f64..=1.0, Just(0.85), Just(0.9), Just(0.0), Just(1.0)],
    ) {
        // Small alphabets put many candidates near any cutoff: the
        // prefilter must never drop one that reaches it.
        let scorer = BlockScorer::from_prepared(name::PreparedName::from_key(q.clone()));
        let block: KeyBlock = cs.iter().collect();
        prop_assert_eq!(block.len(), cs.len());
        let mut full = Vec::new();
        scorer.score_keys(&block, &mut full);
        let mut cut = Vec::new();
        scorer.score_keys_cutoff(&block, cutoff, &mut cut);
        for (i, c) in cs.iter().enumerate() {
            prop_assert_eq!(block.get(i), Some(c.as_str()));
            let exact = strsim::jaro_winkler(c, &q);
            prop_assert_eq!(full[i], exact);
            prop_assert_eq!(cut[i], if exact >= cutoff { exact } else { 0.0 });
        }
    }
}
