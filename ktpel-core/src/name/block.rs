//! [`KeyBlock`]: candidate keys laid out for one-against-many scoring, and
//! the [`BlockScorer`] passes over it.
//!
//! A block of a million keys held as a million `String`s is a million heap
//! objects; a scan over them chases pointers and, past the caches, waits on
//! memory. A `KeyBlock` holds the same keys back to back in one buffer,
//! with a small fixed-width record per key (length, first bytes, letter
//! set) in one array, so a scan streams through memory in order — and the
//! records alone rule out most candidates for a cutoff before their bytes
//! are read (see [`BlockScorer::score_keys_cutoff`]).

use alloc::string::String;
use alloc::vec::Vec;

use super::kernel::{jaro_pm, jaro_winkler_pm2, winkler};
use super::similarity::BlockScorer;

/// Candidate matching keys in one contiguous buffer, for
/// [`BlockScorer::score_keys`] and [`BlockScorer::score_keys_cutoff`].
///
/// ```
/// use ktpel_core::name::{BlockScorer, KeyBlock};
/// let keys = ["MUHAMAD ARIF", "SITI AMINAH", "BUDI SANTOSO"];
/// let block: KeyBlock = keys.into_iter().collect();
/// assert_eq!(block.len(), 3);
/// assert_eq!(block.get(1), Some("SITI AMINAH"));
/// let q = BlockScorer::new("MOCH. ARIEF");
/// let mut scores = Vec::new();
/// q.score_keys_cutoff(&block, 0.85, &mut scores);
/// assert!(scores[0] >= 0.85);
/// assert_eq!(&scores[1..], [0.0, 0.0]);
/// for (k, s) in keys.iter().zip(&scores) {
///     assert_eq!(*s, q.score_cutoff(k, 0.85));
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyBlock {
    /// All keys back to back.
    text: String,
    /// `ends[i]` is where key `i` ends in `text` (it starts at `ends[i - 1]`
    /// or 0).
    ends: Vec<usize>,
    /// One fixed-width record per key, in order.
    meta: Vec<Meta>,
}

/// What the prefilter reads of a key.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Meta {
    /// Bit `b & 63` set for every byte `b` of the key (`A`–`Z` and space,
    /// the bytes of matching keys, get bits of their own).
    mask: u64,
    /// The first four bytes, big-endian, zero-padded.
    head: u32,
    /// Length in bytes, or 0 when the key takes the exact path only: empty,
    /// longer than 64 bytes, or not ASCII.
    len: u8,
}

/// Longest key scored bit-parallel (a 64-bit mask per byte value).
const MAX_FAST: usize = 64;

#[inline]
fn mask_of(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |m, &c| m | (1u64 << (c & 63)))
}

#[inline]
fn head_of(b: &[u8]) -> u32 {
    let mut h = [0u8; 4];
    for (d, &c) in h.iter_mut().zip(b) {
        *d = c;
    }
    u32::from_be_bytes(h)
}

impl KeyBlock {
    /// An empty block.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty block with room for `keys` keys of `bytes` bytes in all.
    pub fn with_capacity(keys: usize, bytes: usize) -> Self {
        KeyBlock {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(keys),
            meta: Vec::with_capacity(keys),
        }
    }

    /// Appends a matching key (as [`matching_key`](super::matching_key)
    /// gives, or as stored in an index).
    pub fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len());
        let b = key.as_bytes();
        let fast = !b.is_empty() && b.len() <= MAX_FAST && b.is_ascii();
        self.meta.push(Meta {
            mask: mask_of(b),
            head: head_of(b),
            len: if fast { b.len() as u8 } else { 0 },
        });
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No keys.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Key `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// The keys in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Bytes of key `i` (which exists).
    #[inline]
    fn bytes(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text.as_bytes()[start..self.ends[i]]
    }
}

impl<S: AsRef<str>> FromIterator<S> for KeyBlock {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut b = KeyBlock::new();
        for k in iter {
            b.push(k.as_ref());
        }
        b
    }
}

impl<S: AsRef<str>> Extend<S> for KeyBlock {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for k in iter {
            self.push(k.as_ref());
        }
    }
}

/// Margin below the cutoff under which the bound must fall before a
/// candidate is dropped: the bound and the score are each computed in
/// `f64` within a few ulps (~1e-16) of their exact values, so a candidate
/// whose computed score reaches the cutoff always has a computed bound above
/// `cutoff - 1e-9`.
const BOUND_MARGIN: f64 = 1e-9;

/// A [`need`] not computed yet.
const UNKNOWN: u8 = u8::MAX - 1;

/// For a query of `lq` bytes and a cutoff: the fewest matching characters a
/// candidate of `lc` bytes sharing a prefix of `p` (≤ 4) bytes with the
/// query must be able to have for its Jaro-Winkler to possibly reach the
/// cutoff (`u8::MAX`: none can). Filled in on first use: a block holds few
/// distinct lengths, and a small block should not pay for all of them.
///
/// The bound: Jaro is `(m/lc + m/lq + (m - t)/m) / 3` with `m` matches and
/// `t` half-transpositions ≥ 0, so at most `J(m) = (m/lc + m/lq + 1) / 3`;
/// Jaro-Winkler is Jaro, or (above 0.7) `Jaro + 0.1 p (1 - Jaro)`, which
/// grows with Jaro (its slope is `1 - 0.1 p ≥ 0.6`), so it is at most
/// `J(m) + 0.1 p (1 - J(m))`, and that grows with `m`. A candidate whose
/// possible `m` is below `need` cannot reach the cutoff.
#[cold]
fn need(lq: usize, lc: usize, p: usize, cutoff: f64) -> u8 {
    for m in 0..=lc.min(lq) {
        let m_f = m as f64;
        let jaro = (m_f / lc as f64 + m_f / lq as f64 + 1.0) / 3.0;
        let jw = jaro + 0.1 * p as f64 * (1.0 - jaro);
        if jw >= cutoff - BOUND_MARGIN {
            return m as u8;
        }
    }
    u8::MAX
}

impl BlockScorer {
    /// Scores every key of `block` into `out` (cleared first):
    /// `out[i] == self.score(block.get(i))`, two candidates at a time, from
    /// one contiguous buffer.
    pub fn score_keys(&self, block: &KeyBlock, out: &mut Vec<f64>) {
        out.clear();
        out.reserve(block.len());
        let q = self.query().key().as_bytes();
        let Some(pm) = self.pm() else {
            out.extend(block.iter().map(|k| self.score(k)));
            return;
        };
        let n = block.len();
        let mut i = 0;
        while i + 1 < n {
            let (la, lb) = (block.meta[i].len as usize, block.meta[i + 1].len as usize);
            if la != 0 && lb != 0 && la <= 32 && lb <= 32 {
                let (a, b) = (block.bytes(i), block.bytes(i + 1));
                let (sa, sb) = jaro_winkler_pm2(pm, q, a, b);
                out.push(sa);
                out.push(sb);
            } else {
                out.push(self.score_one(block, i));
                out.push(self.score_one(block, i + 1));
            }
            i += 2;
        }
        if i < n {
            out.push(self.score_one(block, i));
        }
    }

    /// Like [`score_keys`](Self::score_keys), but only scores that reach
    /// `cutoff` are kept: `out[i]` is `self.score(key)` if that is at least
    /// `cutoff`, else 0 — exactly [`score_cutoff`](Self::score_cutoff) of
    /// each key.
    ///
    /// Most candidates are ruled out from their fixed-width record alone,
    /// without reading their bytes: the number of characters a candidate
    /// can match is at most its length less the distinct letters it has
    /// that the query lacks (and the same the other way round), and with the
    /// common prefix (≤ 4) known from the first bytes, that bounds its
    /// Jaro-Winkler from above (the bound is proved at `need`). Only
    /// candidates whose bound reaches the cutoff are scored; the others
    /// could not have reached it, so the result is the same as scoring
    /// them all (tested against that).
    pub fn score_keys_cutoff(&self, block: &KeyBlock, cutoff: f64, out: &mut Vec<f64>) {
        out.clear();
        out.reserve(block.len());
        let q = self.query().key().as_bytes();
        let keep = |sc: f64| if sc >= cutoff { sc } else { 0.0 };
        let pm = match self.pm() {
            Some(pm) if !q.is_empty() && q.len() <= MAX_FAST => pm,
            _ => {
                out.extend(block.iter().map(|k| keep(self.score(k))));
                return;
            }
        };
        let lq = q.len();
        let mut need_at = [[UNKNOWN; MAX_FAST + 1]; 5];
        let qmask = mask_of(q);
        let qhead = head_of(q);
        let qlen4 = lq.min(4);
        for (i, m) in block.meta.iter().enumerate() {
            let lc = m.len as usize;
            if lc == 0 {
                out.push(keep(self.score_one(block, i)));
                continue;
            }
            // common prefix of the first (up to) four bytes
            let diff = m.head ^ qhead;
            let p = ((diff.leading_zeros() / 8) as usize)
                .min(lc.min(4))
                .min(qlen4);
            let mc = lc - (m.mask & !qmask).count_ones() as usize;
            let mq = lq.saturating_sub((qmask & !m.mask).count_ones() as usize);
            let mut at_least = need_at[p][lc];
            if at_least == UNKNOWN {
                at_least = need(lq, lc, p, cutoff);
                need_at[p][lc] = at_least;
            }
            if mc.min(mq) < at_least as usize {
                out.push(0.0);
                continue;
            }
            let c = block.bytes(i);
            out.push(keep(winkler(jaro_pm(pm, lq, c), c, q)));
        }
    }

    /// [`score`](Self::score) of key `i` of `block`.
    #[inline]
    fn score_one(&self, block: &KeyBlock, i: usize) -> f64 {
        self.score(block.get(i).unwrap_or_default())
    }
}

/// The Jaro-Winkler of `query`'s matching key against every candidate
/// MATCHING KEY (not raw names) in `keys`, in order: the blocking pass of a
/// matcher, for callers that hold keys in an index. With `cutoff`, scores
/// below it are 0 and a lossless prefilter skips most candidates
/// ([`BlockScorer::score_keys_cutoff`]); without, every score is exact.
///
/// ```
/// use ktpel_core::name::{jaro_winkler_block, matching_key};
/// let keys = [matching_key("MUHAMMAD ARIF"), matching_key("SITI AMINAH")];
/// let all = jaro_winkler_block("MOCH. ARIEF", &keys, None);
/// let cut = jaro_winkler_block("MOCH. ARIEF", &keys, Some(0.85));
/// assert!(all[0] >= 0.85 && cut[0] == all[0]);
/// assert!(all[1] < 0.85 && cut[1] == 0.0);
/// ```
pub fn jaro_winkler_block<S: AsRef<str>>(query: &str, keys: &[S], cutoff: Option<f64>) -> Vec<f64> {
    let scorer = BlockScorer::new(query);
    let block: KeyBlock = keys.iter().map(AsRef::as_ref).collect();
    let mut out = Vec::with_capacity(keys.len());
    match cutoff {
        Some(c) => scorer.score_keys_cutoff(&block, c, &mut out),
        None => scorer.score_keys(&block, &mut out),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn block_layout() {
        let mut b = KeyBlock::with_capacity(4, 32);
        assert!(b.is_empty());
        b.push("SITI AMINAH");
        b.push("");
        b.push("JOSÉ");
        b.extend(["A"]);
        assert_eq!(b.len(), 4);
        let keys: Vec<&str> = b.iter().collect();
        assert_eq!(keys, ["SITI AMINAH", "", "JOSÉ", "A"]);
        assert_eq!(b.get(4), None);
        assert_eq!(b.meta[0].len, 11);
        assert_eq!(b.meta[1].len, 0);
        assert_eq!(b.meta[2].len, 0);
        assert_eq!(b.meta[0].head, u32::from_be_bytes(*b"SITI"));
        assert_eq!(b.meta[3].head, u32::from_be_bytes([b'A', 0, 0, 0]));
    }

    #[test]
    fn cutoff_equals_unfiltered_on_names() {
        let keys = vec![
            "SITI AMINAH",
            "SITI AMINA",
            "AMINAH SITI",
            "",
            "SITI RAHAYU",
            "MUHAMAD ARIF",
            "MUHAMAD ARIEF",
            "ARIF MUHAMAD",
            "X",
            "S",
            "SITI",
            "SITI AMINAH BINTI ABDULAH BIN MUHAMAD BIN ALI BIN ABU BAKAR SIDIK",
            "JOSÉ RAMOS",
        ];
        let block: KeyBlock = keys.iter().collect();
        for q in ["Hj. Siti Aminah", "MOCH. ARIEF", "", "S", "José Ramos"] {
            let s = BlockScorer::new(q);
            let mut full = Vec::new();
            s.score_keys(&block, &mut full);
            let single: Vec<f64> = keys.iter().map(|k| s.score(k)).collect();
            assert_eq!(full, single, "{q}");
            for cutoff in [0.0, 0.5, 0.7, 0.85, 0.9, 0.95, 1.0, f64::NAN] {
                let mut cut = Vec::new();
                s.score_keys_cutoff(&block, cutoff, &mut cut);
                let want: Vec<f64> = single
                    .iter()
                    .map(|&x| if x >= cutoff { x } else { 0.0 })
                    .collect();
                assert_eq!(cut, want, "{q} at {cutoff}");
                let one: Vec<f64> = keys.iter().map(|k| s.score_cutoff(k, cutoff)).collect();
                assert_eq!(cut, one, "{q} at {cutoff}");
            }
        }
    }
}
