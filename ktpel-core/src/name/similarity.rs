//! Name similarity on matching keys with token alignment, and the
//! one-against-a-block kernel.

// Index loops over parallel token arrays read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::buf::{Sink, StackStr};
use super::kernel::{self, Pm, jaro_pm, jaro_winkler_pm2, levenshtein_pm, norm_lev, winkler};
use super::key::{
    KEY_CAP, KeyTokens, is_common, is_common_chunk, key_fast, key_fast_tokens, key_from_normalized,
};
use super::normalize::normalized_only;

/// The threshold above which [`similarity`] calls two names the same person,
/// chosen on the labelled pairs in `tests/vectors/name_pairs.json` (see
/// BENCHMARKS.md for the precision/recall table behind it).
pub const DEFAULT_THRESHOLD: f64 = 0.85;

/// Score of an initial against a full token that starts with it
/// (`M` / `MARIA`, `A.` / `ABDUL`).
pub const INITIAL_SCORE: f64 = 0.85;

/// Weight of a token that is left over because one name has more tokens
/// (a dropped middle name), relative to a token that is compared and found
/// different. Applies when the shorter name has at least two tokens; a
/// one-token name against a longer one pays the full weight.
pub const DROPPED_TOKEN_WEIGHT: f64 = 0.5;

/// Weight factor of very common tokens (`MUHAMAD`, `SITI`, `NUR`, `I`,
/// `WAYAN`, …): sharing one of them says little.
pub const COMMON_TOKEN_WEIGHT: f64 = 0.5;

/// The combined score and its components, all in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SimilarityScores {
    /// The score to threshold: the token-aligned score (see [`similarity`]).
    pub combined: f64,
    /// Token alignment: every token paired with its best counterpart
    /// (order-free), each pair scored by the mean of Jaro-Winkler and
    /// normalized Levenshtein, initials against full tokens, common tokens
    /// weighing half, left-over tokens discounted, joined tokens
    /// (`ABDUL RAHMAN` / `ABDURRAHMAN`) tried as one.
    pub token: f64,
    /// Jaro-Winkler of the whole matching keys (`strsim::jaro_winkler`).
    pub jaro_winkler: f64,
    /// Normalized Levenshtein of the whole matching keys
    /// (`strsim::normalized_levenshtein`).
    pub levenshtein: f64,
}

/// A name prepared for many comparisons: its matching key and token spans.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedName {
    key: String,
    /// The tokens of `key`.
    spans: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    start: u16,
    end: u16,
    /// Bit `c & 31` set for each byte `c` (the letters `A`–`Z` in a key
    /// token): a cheap bound on common characters.
    set: u32,
    /// Weight in the alignment.
    w: f64,
}

#[inline]
fn letter_mask(t: &[u8]) -> u32 {
    t.iter().fold(0u32, |m, &c| m | (1u32 << (c & 31)))
}

/// At most this many tokens are aligned; further tokens are joined to the last.
const MAX_TOKENS: usize = 8;

impl Span {
    const EMPTY: Span = Span {
        start: 0,
        end: 0,
        set: 0,
        w: 0.0,
    };
}

/// The token spans of a key (at most [`MAX_TOKENS`]; further tokens are
/// joined to the last; none for a key longer than `u16::MAX`), with their
/// letter masks and weights. Returns the number of spans.
fn spans_of(b: &[u8], spans: &mut [Span; MAX_TOKENS]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() && b.len() <= u16::MAX as usize {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && b[i] != b' ' {
            i += 1;
        }
        if n == MAX_TOKENS {
            spans[n - 1].end = i as u16;
        } else {
            spans[n] = Span {
                start: s as u16,
                end: i as u16,
                set: 0,
                w: 0.0,
            };
            n += 1;
        }
    }
    for sp in &mut spans[..n] {
        let t = &b[sp.start as usize..sp.end as usize];
        sp.set = letter_mask(t);
        sp.w = weight(t);
    }
    n
}

/// [`spans_of`] from the token ranges of the key `b`, known beforehand;
/// `padded` is `b` and whatever follows it in its buffer, for reading
/// short tokens eight bytes at a time.
fn spans_of_ranges(
    b: &[u8],
    padded: &[u8],
    ranges: &[(u8, u8)],
    spans: &mut [Span; MAX_TOKENS],
) -> usize {
    let n = ranges.len().min(MAX_TOKENS);
    for (sp, &(s, e)) in spans.iter_mut().zip(ranges) {
        *sp = Span {
            start: u16::from(s),
            end: u16::from(e),
            set: 0,
            w: 0.0,
        };
    }
    if ranges.len() > MAX_TOKENS {
        // further tokens are joined to the last
        spans[MAX_TOKENS - 1].end = u16::from(ranges[ranges.len() - 1].1);
    }
    for sp in &mut spans[..n] {
        let (s, e) = (sp.start as usize, sp.end as usize);
        let t = &b[s..e];
        sp.set = letter_mask(t);
        let chunk = padded
            .get(s..s + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok());
        sp.w = match chunk {
            // the weight of `weight`, the common-token test from one load
            Some(c) => {
                let len = t.len() as f64;
                if is_common_chunk(c, t.len()) {
                    len * COMMON_TOKEN_WEIGHT
                } else {
                    len
                }
            }
            None => weight(t),
        };
    }
    n
}

/// What the scoring reads of a prepared name: the key and its spans,
/// borrowed from a [`PreparedName`] or from a [`StackPrepared`].
#[derive(Clone, Copy)]
struct View<'a> {
    /// The key's bytes (a `str`'s, compared bytewise like `str`s).
    key: &'a [u8],
    spans: &'a [Span],
}

impl<'a> View<'a> {
    #[inline]
    fn token(&self, i: usize) -> &'a [u8] {
        let sp = &self.spans[i];
        &self.key[sp.start as usize..sp.end as usize]
    }
}

/// A [`PreparedName`] on the stack, for [`similarity`] on raw strings: no
/// allocation. Made only through the ASCII fast path, for names with a
/// non-empty key; anything else takes [`PreparedName::new`].
struct StackPrepared {
    key: StackStr<KEY_CAP>,
    spans: [Span; MAX_TOKENS],
    n: usize,
}

impl StackPrepared {
    #[inline]
    fn new() -> Self {
        StackPrepared {
            key: StackStr::new(),
            spans: [Span::EMPTY; MAX_TOKENS],
            n: 0,
        }
    }

    /// Prepares `name` in place (no moves of the buffers); false if the
    /// fast path does not take it.
    #[inline]
    fn fill(&mut self, name: &str) -> bool {
        let mut tokens = KeyTokens::new();
        if !key_fast_tokens(name, &mut self.key, &mut tokens) {
            return false;
        }
        let k = Sink::as_bytes(&self.key);
        if k.is_empty() {
            // `PreparedName::new` has a fallback for names without letters
            return false;
        }
        self.n = match tokens.n {
            // the plain path said where its tokens are: what `spans_of`
            // finds by scanning (checked in debug builds)
            Some(t) => spans_of_ranges(k, self.key.padded(), &tokens.ranges[..t], &mut self.spans),
            None => spans_of(k, &mut self.spans),
        };
        debug_assert!({
            let mut check = [Span::EMPTY; MAX_TOKENS];
            let n = spans_of(k, &mut check);
            n == self.n && check[..n] == self.spans[..n]
        });
        true
    }

    #[inline]
    fn view(&self) -> View<'_> {
        View {
            key: Sink::as_bytes(&self.key),
            spans: &self.spans[..self.n],
        }
    }
}

impl PreparedName {
    /// Normalizes `name` and computes its matching key.
    pub fn new(name: &str) -> Self {
        let mut fast = StackStr::<KEY_CAP>::new();
        if key_fast(name, &mut fast) {
            if let Some(k) = fast.as_str().filter(|k| !k.is_empty()) {
                return Self::from_key(String::from(k));
            }
        }
        Self::new_general(name)
    }

    /// [`new`](Self::new) through the general path only (NFKC, heap
    /// buffers): what the fast path is tested against.
    pub(crate) fn new_general(name: &str) -> Self {
        let mut norm = String::new();
        normalized_only(name, &mut norm);
        let mut key = String::with_capacity(norm.len());
        key_from_normalized(norm.as_bytes(), &mut key);
        if key.is_empty() {
            // No letters at all: compare what there is instead, so that two
            // different non-names (`-`, `?`, `123`) are not "identical".
            if norm.is_empty() {
                let mut folded = String::new();
                super::normalize::fold(name, &mut folded);
                key = folded.split_whitespace().collect::<Vec<_>>().join(" ");
            } else {
                key = norm;
            }
        }
        Self::from_key(key)
    }

    /// Wraps a matching key computed earlier (for example stored in an index).
    pub fn from_key(key: String) -> Self {
        let mut arr = [Span::EMPTY; MAX_TOKENS];
        let n = spans_of(key.as_bytes(), &mut arr);
        PreparedName {
            key,
            spans: arr[..n].to_vec(),
        }
    }

    #[inline]
    fn view(&self) -> View<'_> {
        View {
            key: self.key.as_bytes(),
            spans: &self.spans,
        }
    }

    /// The matching key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Number of tokens.
    pub fn token_count(&self) -> usize {
        self.spans.len()
    }

    /// [`similarity`] against another prepared name.
    pub fn similarity(&self, other: &PreparedName) -> f64 {
        combined(self.view(), other.view())
    }

    /// [`similarity_scores`] against another prepared name.
    pub fn similarity_scores(&self, other: &PreparedName) -> SimilarityScores {
        scores(self, other)
    }

    /// [`similarity`](Self::similarity) against a matching key taken as it
    /// is (not keyed again), for keys stored in an index: bit for bit
    /// `self.similarity(&PreparedName::from_key(key.into()))`, without
    /// allocating. Crate-internal (recovery's index) until the bindings
    /// expose it; `fast_path_tests` checks the equality.
    // Called by recovery, which needs the `io` feature.
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    pub(crate) fn similarity_to_key(&self, key: &str) -> f64 {
        if self.key == key {
            // what `combined` returns before looking at the tokens
            return 1.0;
        }
        let mut spans = [Span::EMPTY; MAX_TOKENS];
        let n = spans_of(key.as_bytes(), &mut spans);
        combined(
            self.view(),
            View {
                key: key.as_bytes(),
                spans: &spans[..n],
            },
        )
    }
}

/// How alike two names are, in [0, 1]; 1 for names with the same matching
/// key. Symmetric, and `similarity(a, a) == 1`.
///
/// Both names are reduced to matching keys ([`matching_key`](super::matching_key)),
/// split into tokens, and each token of one is paired with its best
/// counterpart in the other (greedily, best pair first), so reordered tokens
/// cost nothing. A pair scores the mean of Jaro-Winkler and normalized
/// Levenshtein, sharpened so that merely similar different names
/// (`RIZKI`/`RIZAL`) count little; an initial against a token it starts with
/// scores [`INITIAL_SCORE`]. Pairs weigh by token length, common tokens
/// ([`COMMON_TOKEN_WEIGHT`]) half; a token left over in the longer name
/// counts [`DROPPED_TOKEN_WEIGHT`]. Adjacent tokens of the longer name are
/// also tried joined (`ABDUL RAHMAN` / `ABDURRAHMAN`).
///
/// ```
/// use ktpel_core::name::{similarity, DEFAULT_THRESHOLD};
/// assert_eq!(similarity("M. RIZKI", "MUHAMMAD RIZKI"), 1.0);
/// assert_eq!(similarity("AMINAH SITI", "Hj. Siti Aminah, S.Pd."), 1.0);
/// assert!(similarity("SITI NUR AMINAH", "SITI AMINAH") > DEFAULT_THRESHOLD);
/// assert!(similarity("ABDUL RAHMAN", "ABDURRAHMAN") > DEFAULT_THRESHOLD);
/// assert!(similarity("SITI AMINAH", "SITI RAHAYU") < 0.5);
/// ```
pub fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    // Plain ASCII names (nearly all) are keyed on the stack without
    // allocating; the keys are those of `PreparedName::new`.
    let (mut x, mut y) = (StackPrepared::new(), StackPrepared::new());
    if x.fill(a) && y.fill(b) {
        return combined(x.view(), y.view());
    }
    combined(PreparedName::new(a).view(), PreparedName::new(b).view())
}

/// [`similarity`] with its components.
///
/// ```
/// use ktpel_core::name::similarity_scores;
/// let s = similarity_scores("SOEKARNO", "SUKARNO");
/// assert_eq!((s.combined, s.jaro_winkler, s.levenshtein), (1.0, 1.0, 1.0));
/// ```
pub fn similarity_scores(a: &str, b: &str) -> SimilarityScores {
    scores(&PreparedName::new(a), &PreparedName::new(b))
}

#[cfg(test)]
fn ordered<'p>(a: View<'p>, b: View<'p>) -> (View<'p>, View<'p>) {
    // A canonical order makes every score exactly symmetric.
    if a.key <= b.key { (a, b) } else { (b, a) }
}

fn scores(a: &PreparedName, b: &PreparedName) -> SimilarityScores {
    if a.key == b.key {
        return SimilarityScores {
            combined: 1.0,
            token: 1.0,
            jaro_winkler: 1.0,
            levenshtein: 1.0,
        };
    }
    // the canonical order of `ordered`
    let (a, b) = if a.key <= b.key { (a, b) } else { (b, a) };
    let (ka, kb) = (a.key.as_bytes(), b.key.as_bytes());
    let (jw, lev) = if ka.is_ascii() && kb.is_ascii() {
        (
            winkler(kernel::jaro_bytes(kb, ka), kb, ka),
            norm_lev(kernel::levenshtein_bytes(ka, kb), ka.len(), kb.len()),
        )
    } else {
        (
            kernel::jaro_winkler(&b.key, &a.key),
            kernel::normalized_levenshtein(&a.key, &b.key),
        )
    };
    let token = token_score(a.view(), b.view());
    SimilarityScores {
        combined: token,
        token,
        jaro_winkler: jw,
        levenshtein: lev,
    }
}

fn combined(a: View<'_>, b: View<'_>) -> f64 {
    // equal keys score 1; else the canonical order of `ordered`, from one
    // comparison
    match a.key.cmp(b.key) {
        core::cmp::Ordering::Equal => 1.0,
        core::cmp::Ordering::Less => token_score(a, b),
        core::cmp::Ordering::Greater => token_score(b, a),
    }
}

// ---------------------------------------------------------------------------
// Token alignment

#[derive(Clone, Copy)]
struct Tok<'a> {
    b: &'a [u8],
    /// [`letter_mask`] of `b`.
    set: u32,
    w: f64,
    /// 0: given name; 1: `BIN`/`BINTI` and the father's name after it.
    side: u8,
}

#[inline]
fn weight(t: &[u8]) -> f64 {
    let len = t.len() as f64;
    if is_common(t) {
        len * COMMON_TOKEN_WEIGHT
    } else {
        len
    }
}

/// Turns a raw pair similarity into a pair score: kept above 0.85, falling
/// linearly to nothing at 0.6, so that different names with some letters in
/// common contribute (almost) nothing.
#[inline]
fn sharpen(raw: f64) -> f64 {
    let f = ((raw - 0.6) / 0.25).clamp(0.0, 1.0);
    raw * f
}

/// Tokens that differ the way a man's and a woman's form of one name do:
/// final `A`/`O` against `I` (`PUTRA`/`PUTRI`, `HARYANTO`/`HARYANTI`),
/// `-WAN`/`-WATI` (`SETIAWAN`/`SETIAWATI`), Arabic feminine `-AH`
/// (`AMIN`/`AMINAH`) and `-AT`/`-ATI` (`HIDAYAT`/`HIDAYATI`). Siblings and
/// twins differ exactly so; such a pair scores 0.
pub(crate) fn gender_pair(x: &[u8], y: &[u8]) -> bool {
    let (s, l) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let n = s.len();
    if n < 3 {
        return false;
    }
    if n == l.len() {
        let (a, b) = (s[n - 1], l[n - 1]);
        return n >= 4
            && s[..n - 1] == l[..n - 1]
            && matches!((a.min(b), a.max(b)), (b'A', b'I') | (b'I', b'O'));
    }
    if s.ends_with(b"WAN") && l.ends_with(b"WATI") && s[..n - 3] == l[..l.len() - 4] {
        return true;
    }
    if l.len() == n + 2 && l.starts_with(s) && l.ends_with(b"AH") {
        return true;
    }
    l.len() == n + 1 && l.starts_with(s) && s.ends_with(b"AT") && l[n] == b'I'
}

/// Whether two different matching keys are a near miss: one edit apart (a
/// letter changed, added or dropped, or two adjacent letters swapped: a
/// typist's slip).
///
/// [`similarity`] scores many near misses low on purpose: `DEVI` / `DENI`
/// are two names, `PUTRA` / `PUTRI` a brother and a sister, but `FBEY` /
/// `FEBY` is a slip of one name, and it cannot tell them apart. Recovery
/// gives near misses a comparison level of their own, so that the data
/// decides what they weigh together with the other elements (a sister
/// differs in sex too). (1 M agency rows: 3,008 typing slips were a bare
/// 0.963 short of acceptance, their other elements all agreeing. A
/// dropped word — `NGADIMAN` / `NGADIMAN SUGIARTO` — as a near miss too
/// recovered 418 more rows but put 6 persons who are not in the register
/// on a relative: not kept.)
// Called by recovery, which needs the `io` feature.
#[cfg_attr(not(feature = "io"), allow(dead_code))]
pub(crate) fn near_miss(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a != b && one_slip(a, b)
}

/// Whether `a` and `b` (different) are one edit apart.
fn one_slip(a: &[u8], b: &[u8]) -> bool {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if l.len() - s.len() > 1 {
        return false;
    }
    let p = s.iter().zip(l).take_while(|(x, y)| x == y).count();
    if s.len() == l.len() {
        // a changed letter, or two adjacent ones swapped
        p < s.len()
            && (s[p + 1..] == l[p + 1..]
                || (p + 1 < s.len()
                    && s[p] == l[p + 1]
                    && s[p + 1] == l[p]
                    && s[p + 2..] == l[p + 2..]))
    } else {
        // a letter added to the shorter one
        s[p..] == l[p + 1..]
    }
}

/// An upper bound of the raw pair score `(jw + lev) / 2` from lengths,
/// letter sets and the common prefix: each distinct letter of one token
/// missing from the other leaves at least one position unmatched.
#[cfg(test)]
fn raw_bound(x: &Tok<'_>, y: &Tok<'_>) -> f64 {
    let (m, p) = bound_inputs(x, y);
    bound_of(m, x.b.len(), y.b.len(), p)
}

/// What [`raw_bound`] depends on besides the lengths: at most how many
/// positions can match, and the common prefix (at most 4).
#[inline(always)]
fn bound_inputs(x: &Tok<'_>, y: &Tok<'_>) -> (usize, usize) {
    let (lx, ly) = (x.b.len(), y.b.len());
    let mx = lx.saturating_sub((x.set & !y.set).count_ones() as usize);
    let my = ly.saturating_sub((y.set & !x.set).count_ones() as usize);
    let prefix =
        x.b.iter()
            .take(4)
            .zip(y.b)
            .take_while(|(a, b)| a == b)
            .count();
    (mx.min(my), prefix)
}

/// [`raw_bound`] from `m` matchable positions, the lengths and the common
/// prefix.
const fn bound_of(m: usize, lx: usize, ly: usize, prefix: usize) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let m = m as f64;
    let jaro = (m / lx as f64 + m / ly as f64 + 1.0) / 3.0;
    let jw = jaro + 0.1 * prefix as f64 * (1.0 - jaro);
    let lev = m / (if lx > ly { lx } else { ly }) as f64;
    0.5 * (jw + lev)
}

/// Below this raw score a pair scores exactly 0 (the sharpening floor, less
/// a margin for rounding of the bound).
const FLOOR: f64 = 0.6 - 1e-9;

/// Longest token length in [`MIN_MATCHABLE`].
const BOUND_LEN: usize = 24;

/// `MIN_MATCHABLE[lx][ly][prefix]`: the fewest matchable positions `m` for
/// which [`bound_of`] reaches [`FLOOR`] (`u8::MAX` if none does). The bound
/// grows with `m` (by at least 1 / (3 · 24) per step, far above rounding),
/// so `bound_of(m, …) < FLOOR` exactly when `m` is below the entry: the
/// same decision without a division (checked for every entry by a test).
static MIN_MATCHABLE: [[[u8; 5]; BOUND_LEN + 1]; BOUND_LEN + 1] = {
    let mut t = [[[u8::MAX; 5]; BOUND_LEN + 1]; BOUND_LEN + 1];
    let mut lx = 1;
    while lx <= BOUND_LEN {
        let mut ly = 1;
        while ly <= BOUND_LEN {
            let mut p = 0;
            while p < 5 {
                let mut m = 1;
                let most = if lx < ly { lx } else { ly };
                while m <= most {
                    if bound_of(m, lx, ly, p) >= FLOOR {
                        t[lx][ly][p] = m as u8;
                        break;
                    }
                    m += 1;
                }
                p += 1;
            }
            ly += 1;
        }
        lx += 1;
    }
    t
};

/// True when the bound rules the pair out: `raw_bound(x, y) < FLOOR`, so
/// that the exact score is 0.
#[inline(always)]
fn ruled_out(x: &Tok<'_>, y: &Tok<'_>) -> bool {
    let (lx, ly) = (x.b.len(), y.b.len());
    let (m, p) = bound_inputs(x, y);
    if lx <= BOUND_LEN && ly <= BOUND_LEN {
        m < usize::from(MIN_MATCHABLE[lx][ly][p])
    } else {
        bound_of(m, lx, ly, p) < FLOOR
    }
}

/// Score of token `x` (pattern, masks `pm` if any) against token `y`.
#[inline]
fn pair(x: &[u8], pm: Option<&Pm<32>>, y: &[u8]) -> f64 {
    if x == y {
        return 1.0;
    }
    if x.len() == 1 || y.len() == 1 {
        return if x[0] == y[0] { INITIAL_SCORE } else { 0.0 };
    }
    if gender_pair(x, y) {
        return 0.0;
    }
    pair_kernels(x, pm, y)
}

/// The part of [`pair`] after its early returns: the kernels.
#[inline]
fn pair_kernels(x: &[u8], pm: Option<&Pm<32>>, y: &[u8]) -> f64 {
    let (jw, lev) = match pm {
        Some(pm) if y.len() <= 64 && is_key_alpha(y) => {
            let j = winkler(jaro_pm(pm, x.len(), y), y, x);
            let d = levenshtein_pm(pm, x.len(), y);
            (j, norm_lev(d, x.len(), y.len()))
        }
        _ => {
            let j = winkler(kernel::jaro_bytes(y, x), y, x);
            let d = kernel::levenshtein_bytes(x, y);
            (j, norm_lev(d, x.len(), y.len()))
        }
    };
    sharpen(0.5 * (jw + lev))
}

#[inline]
fn is_key_alpha(t: &[u8]) -> bool {
    t.iter().all(|&c| c.is_ascii_uppercase())
}

/// Pair scores of the alignment: `s[i][j]` scores token `i` of one name
/// against token `j` of the other.
type Matrix = [[f64; MAX_TOKENS]; MAX_TOKENS];

/// The alignment score of tokens `x` and `y`: 0 across a patronym
/// (with BIN/BINTI on both sides, a given name never pairs with a father's
/// name: AHMAD BIN SALEH is not SALEH BIN AHMAD), 0 when the bound rules the
/// pair out, else [`pair`]. `pm` holds the masks of `x`, made when a pair
/// first needs them (`alpha`: `x` can have masks).
#[inline(always)]
fn cell(x: &Tok<'_>, alpha: bool, pm: &mut Option<Pm<32>>, y: &Tok<'_>, patronyms: bool) -> f64 {
    if patronyms && x.side != y.side {
        0.0
    } else if x.b.len() > 1 && y.b.len() > 1 && x.b != y.b && ruled_out(x, y) {
        // cannot reach the sharpening floor: the exact score is 0
        0.0
    } else {
        if alpha && pm.is_none() {
            *pm = Some(Pm::<32>::new(x.b));
        }
        pair(x.b, pm.as_ref(), y.b)
    }
}

/// Whether token `x` gets pattern masks.
#[inline]
fn masks_ok(x: &Tok<'_>) -> bool {
    x.b.len() <= 64 && is_key_alpha(x.b)
}

/// Row `x` of the matrix: `x` against every token of `b`. The same scores
/// as [`cell`] for each, in two passes: first every pair decided without
/// the kernels (across a patronym, ruled out by the bound, equal tokens,
/// initials, gender pairs — the early returns of [`pair`]), then, with the
/// masks of `x` made once and only if some pair needs them, the others.
#[inline]
fn score_row(x: &Tok<'_>, b: &[Tok<'_>], patronyms: bool, row: &mut [f64; MAX_TOKENS]) {
    let mut todo = 0u32;
    for (j, y) in b.iter().enumerate() {
        row[j] = if patronyms && x.side != y.side {
            0.0
        } else if x.b == y.b {
            1.0
        } else if x.b.len() == 1 || y.b.len() == 1 {
            if x.b[0] == y.b[0] { INITIAL_SCORE } else { 0.0 }
        } else if ruled_out(x, y) || gender_pair(x.b, y.b) {
            0.0
        } else {
            todo |= 1 << j;
            0.0
        };
    }
    if todo == 0 {
        return;
    }
    if masks_ok(x) {
        let pm = Pm::<32>::new(x.b);
        while todo != 0 {
            let j = todo.trailing_zeros() as usize;
            todo &= todo - 1;
            row[j] = pair_kernels(x.b, Some(&pm), b[j].b);
        }
    } else {
        while todo != 0 {
            let j = todo.trailing_zeros() as usize;
            todo &= todo - 1;
            row[j] = pair_kernels(x.b, None, b[j].b);
        }
    }
}

/// The pair scores of two token lists (both non-empty).
fn score_matrix(a: &[Tok<'_>], b: &[Tok<'_>], patronyms: bool, s: &mut Matrix) {
    for (i, x) in a.iter().enumerate() {
        score_row(x, b, patronyms, &mut s[i]);
    }
}

/// Greedy best-first alignment of two non-empty token lists, their pair
/// scores in `s`.
fn greedy(a: &[Tok<'_>], b: &[Tok<'_>], s: &Matrix) -> f64 {
    let (n, m) = (a.len(), b.len());
    let mut used_a = 0u32;
    let mut used_b = 0u32;
    let mut num = 0.0;
    let mut den = 0.0;
    for _ in 0..n.min(m) {
        let mut best = (-1.0f64, 0usize, 0usize);
        for i in 0..n {
            if used_a & (1 << i) != 0 {
                continue;
            }
            for j in 0..m {
                if used_b & (1 << j) == 0 && s[i][j] > best.0 {
                    best = (s[i][j], i, j);
                }
            }
        }
        let (sc, i, j) = best;
        used_a |= 1 << i;
        used_b |= 1 << j;
        let (x, y) = (&a[i], &b[j]);
        // An initial weighs as much as the token it stands for.
        let w = if x.b.len() == 1 && y.b.len() > 1 {
            2.0 * y.w
        } else if y.b.len() == 1 && x.b.len() > 1 {
            2.0 * x.w
        } else {
            x.w + y.w
        };
        num += w * sc;
        den += w;
    }
    let lambda = if n.min(m) >= 2 {
        DROPPED_TOKEN_WEIGHT
    } else {
        1.0
    };
    for (i, x) in a.iter().enumerate() {
        if used_a & (1 << i) == 0 {
            den += lambda * x.w;
        }
    }
    for (j, y) in b.iter().enumerate() {
        if used_b & (1 << j) == 0 {
            den += lambda * y.w;
        }
    }
    if den <= 0.0 {
        0.0
    } else {
        (num / den).min(1.0)
    }
}

fn is_bin(t: &[u8]) -> bool {
    t == b"BIN" || t == b"BINTI"
}

/// Fills `out` with the tokens of `p`; true if it has a patronym
/// (`BIN`/`BINTI` after the first token).
fn tokens_of<'p>(p: View<'p>, out: &mut [Tok<'p>; MAX_TOKENS]) -> bool {
    let mut side = 0u8;
    for i in 0..p.spans.len() {
        let t = p.token(i);
        if i > 0 && is_bin(t) {
            side = 1;
        }
        out[i] = Tok {
            b: t,
            set: p.spans[i].set,
            w: p.spans[i].w,
            side,
        };
    }
    side == 1
}

fn token_score(a: View<'_>, b: View<'_>) -> f64 {
    const NO_TOK: Tok<'static> = Tok {
        b: &[],
        set: 0,
        w: 0.0,
        side: 0,
    };
    let mut ta = [NO_TOK; MAX_TOKENS];
    let mut tb = [NO_TOK; MAX_TOKENS];
    let (n, m) = (a.spans.len(), b.spans.len());
    let pa = tokens_of(a, &mut ta);
    let pb = tokens_of(b, &mut tb);
    if n == 0 || m == 0 {
        return if n == m { 1.0 } else { 0.0 };
    }
    let patronyms = pa && pb;
    let mut base: Matrix = [[0.0; MAX_TOKENS]; MAX_TOKENS];
    score_matrix(&ta[..n], &tb[..m], patronyms, &mut base);
    let mut best = greedy(&ta[..n], &tb[..m], &base);
    if n != m && best < 1.0 {
        // Try each pair of adjacent tokens of the longer name as one token.
        // Only the pairs of the joined token are new: the others are those
        // of `base`, shifted past the join.
        let a_longer = n > m;
        let (long, len_long) = if a_longer { (&ta, n) } else { (&tb, m) };
        let mut buf = [0u8; 128];
        let mut s: Matrix = [[0.0; MAX_TOKENS]; MAX_TOKENS];
        for k in 0..len_long - 1 {
            let (x, y) = (long[k].b, long[k + 1].b);
            if x.len() + y.len() > buf.len() || long[k].side != long[k + 1].side || is_bin(y) {
                continue;
            }
            buf[..x.len()].copy_from_slice(x);
            buf[x.len()..x.len() + y.len()].copy_from_slice(y);
            let joined = &buf[..x.len() + y.len()];
            let mut v: [Tok<'_>; MAX_TOKENS] = *long;
            v[k] = Tok {
                b: joined,
                set: long[k].set | long[k + 1].set,
                w: weight(joined),
                side: long[k].side,
            };
            for t in k + 1..len_long - 1 {
                v[t] = v[t + 1];
            }
            let sc = if a_longer {
                // rows: the tokens of `a`, joined at `k`
                for t in 0..n - 1 {
                    if t == k {
                        score_row(&v[k], &tb[..m], patronyms, &mut s[k]);
                    } else {
                        s[t] = base[if t < k { t } else { t + 1 }];
                    }
                }
                greedy(&v[..n - 1], &tb[..m], &s)
            } else {
                // columns: the tokens of `b`, joined at `k`
                for i in 0..n {
                    let x = &ta[i];
                    let mut pm: Option<Pm<32>> = None;
                    for j in 0..m - 1 {
                        s[i][j] = if j == k {
                            cell(x, masks_ok(x), &mut pm, &v[k], patronyms)
                        } else {
                            base[i][if j < k { j } else { j + 1 }]
                        };
                    }
                }
                greedy(&ta[..n], &v[..m - 1], &s)
            };
            if sc > best {
                best = sc;
            }
        }
    }
    best
}

// ---------------------------------------------------------------------------
// One against many

/// Scores one query name against many candidates, with the query's
/// pattern masks computed once: the kernel the matcher's blocking runs.
///
/// [`score`](Self::score) is the raw Jaro-Winkler of the whole matching keys,
/// bit-parallel (bit-for-bit `strsim::jaro_winkler(candidate_key,
/// query_key)`); [`score_block`](Self::score_block) does the same for a whole
/// block, two candidates at a time; for large blocks, hold the candidate
/// keys in a [`KeyBlock`](super::KeyBlock) (one contiguous buffer) and use
/// [`score_keys`](Self::score_keys), or
/// [`score_keys_cutoff`](Self::score_keys_cutoff) when only scores above a
/// cutoff matter — its lossless prefilter rules out most candidates from a
/// fixed-width record without reading their bytes (figures in
/// BENCHMARKS.md); [`similarity`](Self::similarity) is the full
/// [`similarity`] for the survivors.
///
/// ```
/// use ktpel_core::name::{BlockScorer, PreparedName, matching_key};
/// let q = BlockScorer::new("MOCH. ARIEF");
/// let block = ["MUHAMAD ARIF", "MUHAMAD RIZAL", "ARIF MUHAMAD"];
/// let jw: Vec<f64> = block.iter().map(|k| q.score(k)).collect();
/// assert!(jw[0] > jw[1]);
/// let full = q.similarity(&PreparedName::new("ARIF MUHAMMAD"));
/// assert!(full > 0.9);
/// ```
#[derive(Clone)]
pub struct BlockScorer {
    query: PreparedName,
    /// Boxed: the masks are 1 KiB, and a scorer is moved around.
    pm: Option<Box<Pm<128>>>,
}

impl core::fmt::Debug for BlockScorer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BlockScorer")
            .field("query", &self.query)
            .finish()
    }
}

impl BlockScorer {
    /// Prepares the query name (raw; it is normalized and keyed here).
    pub fn new(query: &str) -> Self {
        Self::from_prepared(PreparedName::new(query))
    }

    /// Uses an already prepared query.
    pub fn from_prepared(query: PreparedName) -> Self {
        let k = query.key.as_bytes();
        let pm = if k.len() <= 64 && k.is_ascii() {
            Some(Box::new(Pm::<128>::new(k)))
        } else {
            None
        };
        BlockScorer { query, pm }
    }

    /// Scores against `query` from now on, reusing this scorer's buffers:
    /// one scorer per thread serves many queries without allocating or
    /// clearing its 1 KiB of masks per query. The same scores as
    /// `BlockScorer::from_prepared(query.clone())`.
    // Called by recovery, which needs the `io` feature.
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    pub(crate) fn set_query(&mut self, query: &PreparedName) {
        let k = query.key.as_bytes();
        if k.len() <= 64 && k.is_ascii() {
            match &mut self.pm {
                Some(pm) => pm.refill(self.query.key.as_bytes(), k),
                None => self.pm = Some(Box::new(Pm::<128>::new(k))),
            }
        } else {
            self.pm = None;
        }
        self.query.key.clone_from(&query.key);
        self.query.spans.clone_from(&query.spans);
    }

    /// The prepared query.
    pub fn query(&self) -> &PreparedName {
        &self.query
    }

    /// The query key's pattern masks, if it is ASCII of at most 64 bytes.
    #[inline]
    pub(super) fn pm(&self) -> Option<&Pm<128>> {
        self.pm.as_deref()
    }

    /// Jaro-Winkler of a candidate's matching key against the query's.
    #[inline]
    pub fn score(&self, candidate_key: &str) -> f64 {
        let c = candidate_key.as_bytes();
        let q = self.query.key.as_bytes();
        match &self.pm {
            Some(pm) if c.len() <= 64 && c.is_ascii() => winkler(jaro_pm(pm, q.len(), c), c, q),
            _ => kernel::jaro_winkler(candidate_key, &self.query.key),
        }
    }

    /// Whether [`score`](Self::score) is at least `tenths / 10`, decided
    /// without the score's float divisions where the masks apply (the same
    /// answer, see `kernel::jaro_winkler_pm_at_least`): recovery's
    /// prefilters and its birth-place agreement.
    #[inline]
    // Called by recovery, which needs the `io` feature.
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    pub(crate) fn score_at_least(&self, candidate_key: &str, tenths: u8) -> bool {
        let c = candidate_key.as_bytes();
        match &self.pm {
            Some(pm) if c.len() <= 64 && c.is_ascii() => {
                kernel::jaro_winkler_pm_at_least(pm, self.query.key.as_bytes(), c, tenths)
            }
            _ => self.score(candidate_key) >= f64::from(tenths) / 10.0,
        }
    }

    /// Like [`score`](Self::score), but returns 0 without comparing when the
    /// lengths alone rule out a score of `cutoff` or more (Jaro is at most
    /// `(s/l1 + s/l2 + 1) / 3` with `s` the shorter length, and the prefix
    /// boost at most adds 0.4 of the rest).
    #[inline]
    pub fn score_cutoff(&self, candidate_key: &str, cutoff: f64) -> f64 {
        // Lengths as the kernels count them: bytes for ASCII, else chars.
        let q = self.query.key.as_str();
        let (l1, l2) = if candidate_key.is_ascii() && q.is_ascii() {
            (candidate_key.len() as f64, q.len() as f64)
        } else {
            (
                candidate_key.chars().count() as f64,
                q.chars().count() as f64,
            )
        };
        let s = l1.min(l2);
        if l1 > 0.0 && l2 > 0.0 {
            let jaro_max = (s / l1 + s / l2 + 1.0) / 3.0;
            let jw_max = jaro_max + 0.4 * (1.0 - jaro_max);
            // the margin covers rounding of the bound and of the score
            if jw_max < cutoff - 1e-9 {
                return 0.0;
            }
        }
        let sc = self.score(candidate_key);
        if sc >= cutoff { sc } else { 0.0 }
    }

    /// Scores a whole block of candidate keys into `out` (cleared first):
    /// `out[i] == self.score(candidate_keys[i])`, two candidates at a time
    /// (their match loops interleaved). The fast path for blocking.
    pub fn score_block<S: AsRef<str>>(&self, candidate_keys: &[S], out: &mut Vec<f64>) {
        out.clear();
        out.reserve(candidate_keys.len());
        let q = self.query.key.as_bytes();
        let Some(pm) = &self.pm else {
            out.extend(candidate_keys.iter().map(|k| self.score(k.as_ref())));
            return;
        };
        let mut chunks = candidate_keys.chunks_exact(2);
        for pair in &mut chunks {
            let (a, b) = (pair[0].as_ref().as_bytes(), pair[1].as_ref().as_bytes());
            if a.len() <= 32 && b.len() <= 32 && a.is_ascii() && b.is_ascii() {
                let (sa, sb) = jaro_winkler_pm2(pm, q, a, b);
                out.push(sa);
                out.push(sb);
            } else {
                out.push(self.score(pair[0].as_ref()));
                out.push(self.score(pair[1].as_ref()));
            }
        }
        out.extend(chunks.remainder().iter().map(|k| self.score(k.as_ref())));
    }

    /// The full [`similarity`] of a prepared candidate to the query.
    pub fn similarity(&self, candidate: &PreparedName) -> f64 {
        combined(self.query.view(), candidate.view())
    }

    /// The full [`similarity`] of a candidate's stored matching key to the
    /// query: [`PreparedName::similarity_to_key`] of the query.
    #[inline]
    // Called by recovery, which needs the `io` feature.
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    pub(crate) fn similarity_to_key(&self, candidate_key: &str) -> f64 {
        self.query.similarity_to_key(candidate_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_one_edit_apart() {
        for (a, b) in [
            ("FBEY", "FEBY"),
            ("EKO", "EOK"),
            ("SITI ZAHAR", "SITI ZAHRA"),
            ("DEVI", "DENI"),
            ("PUTRA", "PUTRI"),
            ("ADI", "ADIT"),
            ("WAWAN", "WAWN"),
            ("A", ""),
        ] {
            assert!(near_miss(a, b) && near_miss(b, a), "{a} / {b}");
        }
        for (a, b) in [
            ("EKO", "EKO"),
            ("BAGEOS", "BAGUS"),
            ("NENG", "NENENG"),
            ("ABC", "CBA"),
            ("NGADIMAN", "NGADIMAN SUGIARTO"),
        ] {
            assert!(!near_miss(a, b) && !near_miss(b, a), "{a} / {b}");
        }
        // every pair of short strings over two letters and the space
        let words = super::super::kernel::tests::all_strings(b"AB ", 4);
        for a in &words {
            for b in &words {
                let (x, y) = (
                    core::str::from_utf8(a).unwrap(),
                    core::str::from_utf8(b).unwrap(),
                );
                let osa = super::super::kernel::osa_within(x, y, 2);
                assert_eq!(near_miss(x, y), osa == 1, "{x:?} / {y:?}");
            }
        }
    }

    #[test]
    fn examples() {
        let s = similarity;
        assert_eq!(s("SOEKARNO", "SUKARNO"), 1.0);
        assert_eq!(s("DJOKO WIDODO", "JOKO WIDODO"), 1.0);
        assert!(s("MOCH. ARIEF", "MUHAMMAD ARIF") > 0.9);
        assert_eq!(s("M ARIF", "MUHAMMAD ARIF"), 1.0);
        assert!(s("BUDI SANTOSO", "BUDI SANTOSA") > 0.9);
        assert!(
            s("MUHAMMAD RIZKI", "MUHAMMAD RIZAL") < 0.7,
            "{}",
            s("MUHAMMAD RIZKI", "MUHAMMAD RIZAL")
        );
        assert!(s("I WAYAN SUDIRTA", "I WAYAN SUKARTA") < 0.8);
        assert!(s("NUR AINI", "NURAINI") > 0.95);
        assert!(s("SITI A.", "SITI AMINAH") > 0.85);
        assert_eq!(s("", ""), 1.0);
        assert_eq!(s("-", "?"), 0.0);
        assert_eq!(s("", "SITI"), 0.0);
    }

    #[test]
    fn bound_table_is_the_bound() {
        for lx in 1..=BOUND_LEN {
            for ly in 1..=BOUND_LEN {
                for p in 0..5 {
                    for m in 0..=lx.min(ly) {
                        let by_table = m < usize::from(MIN_MATCHABLE[lx][ly][p]);
                        let by_float = bound_of(m, lx, ly, p) < FLOOR;
                        assert_eq!(by_table, by_float, "m {m} lx {lx} ly {ly} p {p}");
                    }
                }
            }
        }
    }

    /// The token score as first written: every alignment, joined or not,
    /// scored from scratch, and the float bound.
    fn token_score_reference(a: View<'_>, b: View<'_>) -> f64 {
        fn align_ref(a: &[Tok<'_>], b: &[Tok<'_>], patronyms: bool) -> f64 {
            let (n, m) = (a.len(), b.len());
            if n == 0 || m == 0 {
                return if n == m { 1.0 } else { 0.0 };
            }
            let mut s = [[0f64; MAX_TOKENS]; MAX_TOKENS];
            for (i, x) in a.iter().enumerate() {
                for (j, y) in b.iter().enumerate() {
                    let across = patronyms && x.side != y.side;
                    let ruled_out = x.b != y.b
                        && x.b.len() > 1
                        && y.b.len() > 1
                        && raw_bound(x, y) < 0.6 - 1e-9;
                    s[i][j] = if across || ruled_out {
                        0.0
                    } else {
                        pair(x.b, None, y.b)
                    };
                }
            }
            greedy(a, b, &s)
        }
        const NO_TOK: Tok<'static> = Tok {
            b: &[],
            set: 0,
            w: 0.0,
            side: 0,
        };
        let (mut ta, mut tb) = ([NO_TOK; MAX_TOKENS], [NO_TOK; MAX_TOKENS]);
        let (n, m) = (a.spans.len(), b.spans.len());
        let pa = tokens_of(a, &mut ta);
        let pb = tokens_of(b, &mut tb);
        let patronyms = pa && pb;
        let mut best = align_ref(&ta[..n], &tb[..m], patronyms);
        if n != m && best < 1.0 {
            let a_longer = n > m;
            let (long, len_long) = if a_longer { (&ta, n) } else { (&tb, m) };
            for k in 0..len_long - 1 {
                let (x, y) = (long[k].b, long[k + 1].b);
                if x.len() + y.len() > 128 || long[k].side != long[k + 1].side || is_bin(y) {
                    continue;
                }
                let joined = [x, y].concat();
                let mut v: Vec<Tok<'_>> = long[..len_long].to_vec();
                v[k] = Tok {
                    b: &joined,
                    set: long[k].set | long[k + 1].set,
                    w: weight(&joined),
                    side: long[k].side,
                };
                v.remove(k + 1);
                let sc = if a_longer {
                    align_ref(&v, &tb[..m], patronyms)
                } else {
                    align_ref(&ta[..n], &v, patronyms)
                };
                if sc > best {
                    best = sc;
                }
            }
        }
        best
    }

    /// The token score against [`token_score_reference`] on the names of
    /// the pair vectors (every name against every other of a window) and
    /// on arbitrary token lists.
    #[cfg(feature = "std")]
    #[test]
    fn token_score_is_the_reference_on_vectors() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/name_pairs.json"
        ))
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut names: Vec<PreparedName> = Vec::new();
        for p in v["pairs"].as_array().unwrap() {
            for side in ["a", "b"] {
                names.push(PreparedName::new(p[side].as_str().unwrap()));
            }
        }
        assert!(names.len() >= 600);
        let mut checked = 0;
        for (i, x) in names.iter().enumerate() {
            for y in &names[i..(i + 40).min(names.len())] {
                let (a, b) = ordered(x.view(), y.view());
                let want = token_score_reference(a, b);
                assert_eq!(
                    token_score(a, b).to_bits(),
                    want.to_bits(),
                    "{} / {}",
                    a_key(a),
                    a_key(b)
                );
                checked += 1;
            }
        }
        assert!(checked > 20_000);
    }

    fn a_key<'a>(v: View<'a>) -> &'a str {
        core::str::from_utf8(v.key).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn token_score_is_the_reference(
            a in "((BIN|BINTI|M|A|SITI|NUR|[A-E]{1,4}|[A-Z]{2,9}) ){0,9}[A-Z]{0,6}",
            b in "((BIN|BINTI|M|A|SITI|NUR|[A-E]{1,4}|[A-Z]{2,9}) ){0,9}[A-Z]{0,6}",
        ) {
            let (x, y) = (PreparedName::from_key(a), PreparedName::from_key(b));
            let (a, b) = ordered(x.view(), y.view());
            proptest::prop_assert_eq!(
                token_score(a, b).to_bits(),
                token_score_reference(a, b).to_bits()
            );
        }
    }

    #[test]
    fn block_scorer_matches_pairwise() {
        let q = BlockScorer::new("Hj. Siti Aminah");
        let block = [
            "SITI AMINAH",
            "SITI AMINA",
            "AMINAH",
            "",
            "SITI RAHAYU",
            "RAHAYU SITI AMINAH BINTI ABDULAH",
            "X",
        ];
        for c in block {
            assert_eq!(q.score(c), kernel::jaro_winkler(c, "SITI AMINAH"));
        }
        let mut out = Vec::new();
        q.score_block(&block, &mut out);
        let one: Vec<f64> = block.iter().map(|c| q.score(c)).collect();
        assert_eq!(out, one);
    }
}
