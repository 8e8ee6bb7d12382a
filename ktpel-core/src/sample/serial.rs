//! Serial-number allocation: NIK serials are unique per (district, birth
//! date, sex) and KK serials per (district, issue date), as the register
//! issues them (a counter per key, starting at 0001).
//!
//! The register pass uses a dense bit set (one bit per possible key: "serial
//! `first` already taken") plus a small map for the keys used more than once,
//! so memory is fixed by the number of districts and days (about 80 MB of
//! lazily zeroed pages at full scale), not by the number of rows. The sparse
//! streams (births, arrivals, synthetic agency persons, new KKs) use a map.
//! Each stream has its own serial range, so streams never collide:
//! register and births `0001–4999` (births have dates after the register's
//! as-of date, so their keys differ), arrivals `5000–7499`, agency persons
//! not in the register `7500–9999`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use super::GenError;

/// Hasher for the `u64` keys of the counters (SplitMix64 finaliser; the
/// keys are not attacker-controlled, so no DoS-resistant hash is needed).
#[derive(Default)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = super::rng::mix64(self.0 ^ u64::from(*b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = super::rng::mix64(self.0 ^ x);
    }
}

type FastMap = HashMap<u64, u16, BuildHasherDefault<MixHasher>>;

/// Below this many expected keys a map is cheaper than the dense bit set
/// (whose cost is dominated by first-touch page faults on ~80 MB).
pub(crate) const DENSE_THRESHOLD: usize = 1_000_000;

pub(crate) struct Counter {
    first: u16,
    max: u16,
    dense: Option<Dense>,
    overflow: FastMap,
}

struct Dense {
    base: NaiveDate,
    ndays: usize,
    slots: usize,
    bits: Vec<u64>,
}

impl Counter {
    /// A dense counter for `ndistricts` × dates in `base..=last` × `slots`
    /// (2 for NIKs: the sex, 1 for KKs).
    pub(crate) fn dense(
        first: u16,
        max: u16,
        ndistricts: usize,
        base: NaiveDate,
        last: NaiveDate,
        slots: usize,
    ) -> Counter {
        let ndays = (last - base).num_days().max(0) as usize + 1;
        let nbits = ndistricts * ndays * slots;
        Counter {
            first,
            max,
            dense: Some(Dense {
                base,
                ndays,
                slots,
                bits: vec![0u64; nbits.div_ceil(64)],
            }),
            overflow: FastMap::default(),
        }
    }

    /// A dense counter when `expected_keys` is large, a map otherwise; both
    /// give the same serials.
    pub(crate) fn for_size(
        first: u16,
        max: u16,
        expected_keys: usize,
        ndistricts: usize,
        base: NaiveDate,
        last: NaiveDate,
        slots: usize,
    ) -> Counter {
        if expected_keys >= DENSE_THRESHOLD {
            Counter::dense(first, max, ndistricts, base, last, slots)
        } else {
            let mut c = Counter::sparse(first, max);
            c.overflow.reserve(expected_keys);
            c
        }
    }

    /// A map-only counter.
    pub(crate) fn sparse(first: u16, max: u16) -> Counter {
        Counter {
            first,
            max,
            dense: None,
            overflow: FastMap::default(),
        }
    }

    /// Next serial for (district index, date, slot).
    pub(crate) fn next(
        &mut self,
        district: usize,
        date: NaiveDate,
        slot: usize,
    ) -> Result<u16, GenError> {
        let day = |base: NaiveDate| (date - base).num_days();
        if let Some(d) = &mut self.dense {
            let off = day(d.base);
            if off >= 0 && (off as usize) < d.ndays && slot < d.slots {
                let i = (district * d.ndays + off as usize) * d.slots + slot;
                let (w, b) = (i / 64, 1u64 << (i % 64));
                if d.bits[w] & b == 0 {
                    d.bits[w] |= b;
                    return Ok(self.first);
                }
            } else {
                return Err(GenError::Internal(
                    "date outside the serial counter's range",
                ));
            }
        }
        let days = (i64::from(date.to_epoch_days()) + (1 << 22)) as u64 & ((1 << 23) - 1);
        let key = ((district as u64) << 25) | (days << 2) | (slot as u64 & 3);
        let used = self
            .overflow
            .entry(key)
            .or_insert(if self.dense.is_some() { 1 } else { 0 });
        let serial = self.first + *used;
        if serial > self.max {
            return Err(GenError::Internal(
                "serial space of a (district, date) key exhausted",
            ));
        }
        *used += 1;
        Ok(serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_count_per_key() {
        let d0 = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap();
        let d1 = NaiveDate::from_ymd_opt(2022, 11, 30).unwrap();
        let mut c = Counter::dense(1, 4999, 10, d0, d1, 2);
        let x = NaiveDate::from_ymd_opt(1990, 5, 17).unwrap();
        assert_eq!(c.next(3, x, 0).unwrap(), 1);
        assert_eq!(c.next(3, x, 0).unwrap(), 2);
        assert_eq!(c.next(3, x, 1).unwrap(), 1);
        assert_eq!(c.next(4, x, 0).unwrap(), 1);
        assert_eq!(c.next(3, x, 0).unwrap(), 3);
        let mut s = Counter::sparse(5000, 7499);
        assert_eq!(s.next(3, x, 0).unwrap(), 5000);
        assert_eq!(s.next(3, x, 0).unwrap(), 5001);
        assert_eq!(s.next(3, x, 1).unwrap(), 5000);
        let mut tiny = Counter::sparse(9998, 9999);
        tiny.next(0, x, 0).unwrap();
        tiny.next(0, x, 0).unwrap();
        assert!(tiny.next(0, x, 0).is_err());
        // dense and sparse agree
        let mut a = Counter::dense(1, 4999, 10, d0, d1, 2);
        let mut b = Counter::sparse(1, 4999);
        for i in 0..2000u64 {
            let day = d0 + chrono::Days::new(i * 7919 % 300);
            let (d, sl) = ((i % 3) as usize, (i % 2) as usize);
            assert_eq!(a.next(d, day, sl).unwrap(), b.next(d, day, sl).unwrap());
        }
    }
}
