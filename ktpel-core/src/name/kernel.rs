//! String-similarity kernels: Jaro, Jaro-Winkler and Levenshtein.
//!
//! The results are bit-for-bit those of the `strsim` crate (the tests compare
//! them on random strings), but the code is `no_std` and, for strings of at
//! most 64 bytes, bit-parallel: a pattern string is turned once into one
//! 64-bit mask per byte value ("where does this byte occur?"), after which
//! Jaro needs a handful of word operations per byte of the other string and
//! Levenshtein uses Hyyrö's bit-vector algorithm. `strsim` itself cannot be
//! used here: it needs `std` (it imports `std::collections::HashMap`).
//!
//! Strings longer than 64 bytes, or non-ASCII ones, fall back to the classic
//! quadratic algorithms over `char`s, with the same results.

use alloc::vec;
use alloc::vec::Vec;

/// Pattern-match masks of a pattern of at most 64 bytes, indexed by
/// `byte & (N - 1)`. With `N = 128` any ASCII pattern works; with `N = 32` the
/// alphabet must be `A`–`Z` and space (the alphabet of matching keys), which
/// then map to distinct slots 1–26 and 0.
#[derive(Clone)]
pub(crate) struct Pm<const N: usize> {
    masks: [u64; N],
}

impl<const N: usize> Pm<N> {
    /// Masks of `p` (at most 64 bytes, alphabet as described above).
    #[inline]
    pub(crate) fn new(p: &[u8]) -> Self {
        debug_assert!(p.len() <= 64);
        let mut masks = [0u64; N];
        for (i, &b) in p.iter().enumerate() {
            masks[b as usize & (N - 1)] |= 1u64 << i;
        }
        Pm { masks }
    }

    /// Turns the masks of `old` (what they were built from) into those of
    /// `new`: only the masks of `old`'s bytes are cleared, so a scorer reused
    /// for many queries does not clear all `N` each time.
    #[inline]
    pub(crate) fn refill(&mut self, old: &[u8], new: &[u8]) {
        debug_assert!(new.len() <= 64);
        for &b in old {
            self.masks[b as usize & (N - 1)] = 0;
        }
        for (i, &b) in new.iter().enumerate() {
            self.masks[b as usize & (N - 1)] |= 1u64 << i;
        }
    }

    #[inline(always)]
    fn get(&self, b: u8) -> u64 {
        self.masks[b as usize & (N - 1)]
    }
}

/// Jaro similarity of `a` against the pattern `p` (masks `pm`), exactly as
/// `strsim::jaro(a, p)`. Both at most 64 bytes.
///
/// Branch-free: the match window slides one bit per byte of `a`, the first
/// unmatched occurrence in the window is the lowest set bit, the masks of
/// matched bytes of `a` are kept in order, and transpositions are counted by
/// walking them against the matched bits of `p`.
#[inline]
pub(crate) fn jaro_pm<const N: usize>(pm: &Pm<N>, p_len: usize, a: &[u8]) -> f64 {
    let a = &a[..a.len().min(64)];
    let (matches, transpositions) = jaro_counts_pm(pm, p_len, a);
    jaro_of_counts(matches, transpositions, a.len(), p_len)
}

/// Jaro from its counts: `matches` and (halved) `transpositions` of
/// strings of `a_len` and `b_len` characters (1 for two empty strings).
#[inline(always)]
fn jaro_of_counts(matches: usize, transpositions: usize, a_len: usize, b_len: usize) -> f64 {
    if a_len == 0 || b_len == 0 {
        return if a_len == b_len { 1.0 } else { 0.0 };
    }
    if matches == 0 {
        return 0.0;
    }
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// Jaro's matches and (halved) transpositions of `a` (at most 64 bytes)
/// against a pattern of `p_len` bytes.
#[inline]
fn jaro_counts_pm<const N: usize>(pm: &Pm<N>, p_len: usize, a: &[u8]) -> (usize, usize) {
    // The scratch array of matched masks is sized to the string, so that
    // short names do not pay for clearing 64 words.
    if a.len() <= 16 {
        jaro_counts_cap::<N, 16>(pm, p_len, a)
    } else if a.len() <= 32 {
        jaro_counts_cap::<N, 32>(pm, p_len, a)
    } else {
        jaro_counts_cap::<N, 64>(pm, p_len, a)
    }
}

#[inline(always)]
fn jaro_counts_cap<const N: usize, const CAP: usize>(
    pm: &Pm<N>,
    p_len: usize,
    a: &[u8],
) -> (usize, usize) {
    let mut pass = Pass::<CAP>::new(&a[..a.len().min(CAP)], p_len);
    for i in 0..pass.a.len() {
        pass.step(pm, i);
    }
    pass.counts()
}

/// Whether Jaro-Winkler of `a` against the pattern `p` (masks `pm`; both
/// at most 64 bytes) is at least `tenths / 10`: the same answer as
/// `winkler(jaro_pm(pm, p.len(), a), a, p) >= tenths as f64 / 10.0`, but
/// decided on Jaro's integer counts — the float path's divisions wait on
/// each other, and recovery asks only "at least 0.6?" or "at least 0.9?"
/// of most pairs. With `a`, `p` ≤ 64 bytes two different fractions differ
/// by at least 1 / 8 M, far above the float path's rounding, so only an
/// exact tie (where rounding decides) takes the float path.
#[inline]
pub(crate) fn jaro_winkler_pm_at_least<const N: usize>(
    pm: &Pm<N>,
    p: &[u8],
    a: &[u8],
    tenths: u8,
) -> bool {
    let a = &a[..a.len().min(64)];
    let float = || winkler(jaro_pm(pm, p.len(), a), a, p) >= f64::from(tenths) / 10.0;
    if a.is_empty() || p.is_empty() {
        return float();
    }
    let (m, t) = jaro_counts_pm(pm, p.len(), a);
    if m == 0 {
        // Jaro 0, no prefix boost
        return tenths == 0;
    }
    let (m, t, la, lb) = (m as u64, t as u64, a.len() as u64, p.len() as u64);
    // Jaro = num / den (m/la + m/lb + (m - t)/m, over 3)
    let num = m * m * lb + m * m * la + (m - t) * la * lb;
    let den = 3 * la * lb * m;
    // The prefix boost applies when Jaro > 0.7.
    let boosted = match (10 * num).cmp(&(7 * den)) {
        core::cmp::Ordering::Greater => true,
        core::cmp::Ordering::Less => false,
        core::cmp::Ordering::Equal => return float(),
    };
    let l = if boosted { prefix4(a, p) as u64 } else { 0 };
    // JW = (Jaro (10 - l) + l) / 10 ≥ tenths / 10
    match (num * (10 - l) + l * den).cmp(&(u64::from(tenths) * den)) {
        core::cmp::Ordering::Greater => true,
        core::cmp::Ordering::Less => false,
        core::cmp::Ordering::Equal => float(),
    }
}

/// State of one [`jaro_pm`] match pass, so that two passes can be
/// interleaved by [`jaro_pm2`].
struct Pass<'a, const CAP: usize> {
    a: &'a [u8],
    range: usize,
    window: u64,
    b_flag: u64,
    matched: [u64; CAP],
    m: usize,
}

impl<'a, const CAP: usize> Pass<'a, CAP> {
    #[inline(always)]
    fn new(a: &'a [u8], b_len: usize) -> Self {
        let range = (a.len().max(b_len) / 2).saturating_sub(1);
        let window = if range + 1 >= 64 {
            !0
        } else {
            (1u64 << (range + 1)) - 1
        };
        Pass {
            a,
            range,
            window,
            b_flag: 0,
            matched: [0; CAP],
            m: 0,
        }
    }

    #[inline(always)]
    fn step<const N: usize>(&mut self, pm: &Pm<N>, i: usize) {
        let pc = pm.get(self.a[i]);
        let cand = pc & self.window & !self.b_flag;
        let low = cand & cand.wrapping_neg();
        self.b_flag |= low;
        self.matched[self.m % CAP] = pc;
        self.m += usize::from(low != 0);
        self.window = (self.window << 1) | u64::from(i < self.range);
    }

    /// Matches and (halved) transpositions, once every byte is stepped:
    /// the masks of matched bytes of `a`, in order, walked against the
    /// matched bits of the pattern.
    #[inline(always)]
    fn counts(&self) -> (usize, usize) {
        let mut t = 0usize;
        let mut bf = self.b_flag;
        for &pc in &self.matched[..self.m] {
            t += usize::from(pc & bf & bf.wrapping_neg() == 0);
            bf &= bf.wrapping_sub(1);
        }
        (self.m, t / 2)
    }

    #[inline(always)]
    fn finish(&self, b_len: usize) -> f64 {
        let (m, t) = self.counts();
        jaro_of_counts(m, t, self.a.len(), b_len)
    }
}

/// [`jaro_pm`] of two strings (each at most `CAP` ≤ 64 bytes) against one
/// pattern, their match loops interleaved: each loop is a chain of dependent
/// bit operations, and two independent chains run side by side.
#[inline]
pub(crate) fn jaro_pm2<const N: usize, const CAP: usize>(
    pm: &Pm<N>,
    p_len: usize,
    a: &[u8],
    b: &[u8],
) -> (f64, f64) {
    let mut x = Pass::<CAP>::new(&a[..a.len().min(CAP)], p_len);
    let mut y = Pass::<CAP>::new(&b[..b.len().min(CAP)], p_len);
    let common = x.a.len().min(y.a.len());
    for i in 0..common {
        x.step(pm, i);
        y.step(pm, i);
    }
    for i in common..x.a.len() {
        x.step(pm, i);
    }
    for i in common..y.a.len() {
        y.step(pm, i);
    }
    (x.finish(p_len), y.finish(p_len))
}

/// Jaro-Winkler of two candidates (each at most 32 bytes) against the
/// query `q` whose pattern is `pm`, by [`jaro_pm2`] with the narrower
/// buffer when both fit in 16 bytes: the block scorers' pair step.
#[inline]
pub(crate) fn jaro_winkler_pm2(pm: &Pm<128>, q: &[u8], a: &[u8], b: &[u8]) -> (f64, f64) {
    let (ja, jb) = if a.len() <= 16 && b.len() <= 16 {
        jaro_pm2::<128, 16>(pm, q.len(), a, b)
    } else {
        jaro_pm2::<128, 32>(pm, q.len(), a, b)
    };
    (winkler(ja, a, q), winkler(jb, b, q))
}

/// Winkler's prefix boost, as `strsim::jaro_winkler`.
#[inline(always)]
pub(crate) fn winkler<T: PartialEq>(sim: f64, a: &[T], b: &[T]) -> f64 {
    if sim > 0.7 {
        sim + 0.1 * prefix4(a, b) as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// The length of the common prefix of `a` and `b`, at most 4 (Winkler's).
#[inline(always)]
fn prefix4<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count()
}

/// Levenshtein distance of `t` against the pattern `p` (masks `pm`, length
/// `m` ≤ 64): Hyyrö's bit-vector algorithm.
#[inline]
pub(crate) fn levenshtein_pm<const N: usize>(pm: &Pm<N>, m: usize, t: &[u8]) -> usize {
    if m == 0 {
        return t.len();
    }
    let mut vp: u64 = if m >= 64 { !0 } else { (1u64 << m) - 1 };
    let mut vn: u64 = 0;
    let last = 1u64 << (m - 1);
    let mut dist = m;
    for &c in t {
        let x = pm.get(c) | vn;
        let d0 = ((x & vp).wrapping_add(vp) ^ vp) | x;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            dist += 1;
        } else if hn & last != 0 {
            dist -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    dist
}

/// Jaro over any slices, exactly `strsim::generic_jaro`.
pub(crate) fn jaro_generic<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let a_len = a.len();
    let b_len = b.len();
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut a_flags = vec![false; a_len];
    let mut b_flags = vec![false; b_len];
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        for j in lo..hi {
            if !b_flags[j] && *x == b[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, x) in a.iter().enumerate() {
        if a_flags[i] {
            while !b_flags[j] {
                j += 1;
            }
            if *x != b[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// Levenshtein distance over any slices (two-row dynamic programming).
pub(crate) fn levenshtein_generic<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let up = row[j + 1];
            let cost = if x == y { diag } else { diag + 1 };
            row[j + 1] = cost.min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// True when every byte is in 0x20..=0x5F (space, digits, punctuation,
/// uppercase letters): then `byte & 63` is distinct per byte.
#[inline]
fn upper_ascii(s: &[u8]) -> bool {
    s.iter().all(|&b| (0x20..0x60).contains(&b))
}

/// Jaro similarity of two byte strings (ASCII fast path, else over bytes).
/// Equal to `strsim::jaro` when both are ASCII.
#[inline]
pub(crate) fn jaro_bytes(a: &[u8], b: &[u8]) -> f64 {
    if a.len() <= 64 && b.len() <= 64 {
        if upper_ascii(a) && upper_ascii(b) {
            return jaro_pm(&Pm::<64>::new(b), b.len(), a);
        }
        if a.is_ascii() && b.is_ascii() {
            return jaro_pm(&Pm::<128>::new(b), b.len(), a);
        }
    }
    jaro_generic(a, b)
}

/// Levenshtein distance of two byte strings.
#[inline]
pub(crate) fn levenshtein_bytes(a: &[u8], b: &[u8]) -> usize {
    if b.len() <= 64 && upper_ascii(a) && upper_ascii(b) {
        levenshtein_pm(&Pm::<64>::new(b), b.len(), a)
    } else if !(a.is_ascii() && b.is_ascii()) {
        levenshtein_generic(a, b)
    } else if b.len() <= 64 {
        let pm = Pm::<128>::new(b);
        levenshtein_pm(&pm, b.len(), a)
    } else if a.len() <= 64 {
        let pm = Pm::<128>::new(a);
        levenshtein_pm(&pm, a.len(), b)
    } else {
        levenshtein_generic(a, b)
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Jaro similarity in [0, 1], bit-for-bit `strsim::jaro(a, b)`.
///
/// ```
/// use ktpel_core::name::jaro;
/// assert!((jaro("MARTHA", "MARHTA") - 0.944).abs() < 0.001);
/// ```
pub fn jaro(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        jaro_bytes(a.as_bytes(), b.as_bytes())
    } else {
        jaro_generic(&chars(a), &chars(b))
    }
}

/// Jaro-Winkler similarity in [0, 1], bit-for-bit `strsim::jaro_winkler(a, b)`
/// (prefix scale 0.1, at most 4 prefix characters, boost above 0.7).
///
/// ```
/// use ktpel_core::name::jaro_winkler;
/// assert!((jaro_winkler("DJOKO", "JOKO") - 0.933).abs() < 0.001);
/// assert_eq!(jaro_winkler("SUKARNO", "SUKARNO"), 1.0);
/// ```
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        winkler(jaro_bytes(a, b), a, b)
    } else {
        let (a, b) = (chars(a), chars(b));
        winkler(jaro_generic(&a, &b), &a, &b)
    }
}

/// Levenshtein (edit) distance counted in `char`s, as `strsim::levenshtein`.
///
/// ```
/// use ktpel_core::name::levenshtein;
/// assert_eq!(levenshtein("SOEKARNO", "SUKARNO"), 2);
/// ```
pub fn levenshtein(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        levenshtein_bytes(a.as_bytes(), b.as_bytes())
    } else {
        levenshtein_generic(&chars(a), &chars(b))
    }
}

/// `1 - levenshtein / max(len)` in [0, 1], bit-for-bit
/// `strsim::normalized_levenshtein(a, b)` (two empty strings give 1).
///
/// ```
/// use ktpel_core::name::normalized_levenshtein;
/// assert_eq!(normalized_levenshtein("ARIF", "ARIEF"), 0.8);
/// ```
pub fn normalized_levenshtein(a: &str, b: &str) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let len = a.chars().count().max(b.chars().count());
    1.0 - (levenshtein(a, b) as f64) / (len as f64)
}

/// Normalized Levenshtein on byte strings with the distance given.
#[inline(always)]
pub(crate) fn norm_lev(dist: usize, a_len: usize, b_len: usize) -> f64 {
    let len = a_len.max(b_len);
    if len == 0 {
        1.0
    } else {
        1.0 - dist as f64 / len as f64
    }
}

/// Edit distance with adjacent transpositions (optimal string alignment),
/// or `limit + 1` when it exceeds `limit`.
// Used by recovery (the `io` feature) and tests.
#[cfg_attr(not(feature = "io"), allow(dead_code))]
pub(crate) fn osa_within(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
    }
    d[a.len() * w + b.len()].min(limit + 1)
}

#[cfg(test)]
pub(super) mod tests {
    extern crate std;

    use super::*;
    use proptest::prelude::*;

    /// `jaro_winkler_pm_at_least` against the float score it stands for;
    /// returns how many of the 11 thresholds were exact ties.
    fn check(p: &[u8], a: &[u8]) -> usize {
        let pm = Pm::<128>::new(p);
        let score = winkler(jaro_pm(&pm, p.len(), a), a, p);
        assert_eq!(
            score.to_bits(),
            jaro_winkler_bytes_reference(a, p).to_bits()
        );
        let mut ties = 0;
        for tenths in 0..=10u8 {
            let want = score >= f64::from(tenths) / 10.0;
            assert_eq!(
                jaro_winkler_pm_at_least(&pm, p, a, tenths),
                want,
                "{:?} / {:?} at {tenths}/10 (score {score})",
                core::str::from_utf8(a),
                core::str::from_utf8(p),
            );
            ties += usize::from(score == f64::from(tenths) / 10.0);
        }
        ties
    }

    /// Every string over `alphabet` of at most `max_len` bytes, the empty
    /// one first.
    pub(in crate::name) fn all_strings(alphabet: &[u8], max_len: usize) -> Vec<Vec<u8>> {
        let mut all: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|w: &Vec<u8>| {
                    alphabet.iter().map(move |&c| {
                        let mut x = w.clone();
                        x.push(c);
                        x
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// The general (quadratic) Jaro-Winkler, independent of the masks.
    fn jaro_winkler_bytes_reference(a: &[u8], p: &[u8]) -> f64 {
        winkler(jaro_generic(a, p), a, p)
    }

    #[test]
    fn threshold_decisions_agree_with_the_score_on_every_short_string() {
        // every string of up to 5 letters over A, B, C against every other:
        // small alphabets make many exact ties (JW exactly 0.6, 0.7, ...)
        let words = all_strings(b"ABC", 5);
        let mut ties = 0;
        for p in &words {
            for a in &words {
                ties += check(p, a);
            }
        }
        // the tie path (decided by the float score) is exercised
        assert!(ties > 1000, "{ties} ties");
    }

    proptest! {
        #[test]
        fn threshold_decisions_agree_with_the_score(
            p in "[A-Z ]{0,64}|[ -~]{0,64}",
            a in "[A-Z ]{0,64}|[ -~]{0,64}",
        ) {
            check(p.as_bytes(), a.as_bytes());
            check(a.as_bytes(), p.as_bytes());
        }
    }
}
