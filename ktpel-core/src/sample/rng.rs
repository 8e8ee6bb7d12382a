//! The generator's own small PRNG.
//!
//! The output of `ktpel gen` must stay byte-identical for a seed across
//! releases, so it cannot depend on the stream or the range-sampling algorithm
//! of a third-party crate (those change between major versions). This is
//! wyrand (Wang Yi's 64-bit generator: a Weyl sequence mixed by a 128-bit
//! multiply), which passes BigCrush and PractRand, is two multiplications per
//! draw and needs no state beyond one `u64`. Streams are derived from
//! `(seed, index, purpose)` with SplitMix64 finalisers, so the register of
//! household *i* does not depend on how many numbers the agency sampler drew.

/// SplitMix64 finaliser: a bijective mix of 64 bits.
#[inline]
pub(crate) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Purposes of derived streams (never renumber: it changes every output).
#[derive(Clone, Copy)]
#[repr(u64)]
pub(crate) enum Stream {
    Household = 1,
    Changes = 2,
    Agency = 3,
    AgencySampler = 4,
    Arrivals = 5,
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    Shuffle = 6,
}

/// wyrand.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A stream for `(seed, purpose, index)`.
    pub(crate) fn derive(seed: u64, purpose: Stream, index: u64) -> Rng {
        let a = mix64(seed ^ 0x6a09_e667_f3bc_c909);
        let b = mix64(a ^ (purpose as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        Rng(mix64(b ^ index.wrapping_mul(0xd1b5_4a32_d192_ed03)))
    }

    /// Next 64 random bits.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64) ^ (t as u64)
    }

    /// Uniform in `0..n` (`n > 0`), by Lemire's multiply-shift (bias below
    /// 2^-32 for the small ranges used here; documented as accepted).
    #[inline]
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    #[inline]
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// Uniform in `[0, 1)` with 53 bits.
    #[inline]
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element (`items` non-empty).
    #[inline]
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Index drawn from cumulative weights (last element = total).
    pub(crate) fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let x = self.unit() * total;
        cumulative
            .partition_point(|&c| c <= x)
            .min(cumulative.len() - 1)
    }

    /// An item drawn by weight from `(item, weight)` pairs (non-empty).
    pub(crate) fn pick_weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|x| x.1).sum();
        let mut x = self.unit() * total;
        for &(t, w) in items {
            if x < w {
                return t;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }

    /// Fisher-Yates shuffle.
    #[cfg_attr(not(feature = "io"), allow(dead_code))]
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Cumulative sums of `weights`.
pub(crate) fn cumulative(weights: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = Rng::derive(7, Stream::Household, 3);
        let mut b = Rng::derive(7, Stream::Household, 3);
        let mut c = Rng::derive(7, Stream::Household, 4);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn below_and_weighted_stay_in_range_and_cover() {
        let mut r = Rng::derive(1, Stream::Agency, 0);
        let mut seen = [0usize; 5];
        for _ in 0..10_000 {
            seen[r.below(5)] += 1;
        }
        assert!(seen.iter().all(|&n| n > 1700 && n < 2300), "{seen:?}");
        let cum = cumulative(&[1.0, 0.0, 3.0]);
        let mut w = [0usize; 3];
        for _ in 0..10_000 {
            w[r.weighted(&cum)] += 1;
        }
        assert_eq!(w[1], 0);
        assert!(w[2] > 2 * w[0], "{w:?}");
    }
}
