//! `cargo fuzz run name_normalize`: no input panics, `normalize` is
//! idempotent, `similarity` is symmetric and reflexive.
#![no_main]

use ktpel_core::name;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    // Split the input in two names at the first 0xFF byte (or the middle).
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len() / 2);
    let a = String::from_utf8_lossy(&data[..cut]);
    let b = String::from_utf8_lossy(&data[(cut + 1).min(data.len())..]);

    let n = name::normalize(&s);
    let again = name::normalize(n.display());
    assert_eq!(again.display(), n.display(), "normalize not idempotent on {s:?}");
    assert_eq!(again.as_str(), n.as_str());
    let _ = name::matching_key(&s);
    let _ = name::phonetic_key(&s);
    let _ = name::blocking_keys(&s);
    let _ = name::check_all(&s);

    let ab = name::similarity_scores(&a, &b);
    let ba = name::similarity_scores(&b, &a);
    assert_eq!(ab, ba, "similarity not symmetric on {a:?} / {b:?}");
    assert!((0.0..=1.0).contains(&ab.combined));
    assert_eq!(name::similarity(&a, &a), 1.0);
    let scorer = name::BlockScorer::new(&a);
    let key_b = name::matching_key(&b);
    assert_eq!(scorer.score(&key_b), name::jaro_winkler(&key_b, scorer.query().key()));
});
