//! Replay stores: remember each token id (`cti`) until its expiry, so a token
//! is accepted once.

use super::error::QrError;
use alloc::string::String;

/// Why a replay store could not answer. The verifier then rejects the token
/// (fail closed).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplayStoreError {
    /// The backing service is unreachable or answered with an error.
    Unavailable(String),
    /// The store is at its memory bound with live entries.
    Full {
        /// The store's bound in entries.
        capacity: usize,
    },
}

/// Where verifiers record used token ids.
///
/// [`ReplayStore::check_and_mark`] must be atomic: when several threads (or
/// several verifier machines sharing one store) present the same `cti`, exactly
/// one call returns `Ok(true)`.
pub trait ReplayStore: Send + Sync {
    /// Records `cti` as used and returns `Ok(true)` if it was not used before,
    /// `Ok(false)` if it was. The entry must be kept at least until
    /// `keep_until` (Unix seconds: the token's `exp` plus the verifier's
    /// leeway); `now` is the verifier's current time.
    fn check_and_mark(
        &self,
        cti: &[u8],
        keep_until: i64,
        now: i64,
    ) -> Result<bool, ReplayStoreError>;
}

impl<T: ReplayStore + ?Sized> ReplayStore for alloc::sync::Arc<T> {
    fn check_and_mark(
        &self,
        cti: &[u8],
        keep_until: i64,
        now: i64,
    ) -> Result<bool, ReplayStoreError> {
        (**self).check_and_mark(cti, keep_until, now)
    }
}

impl From<ReplayStoreError> for QrError {
    fn from(e: ReplayStoreError) -> Self {
        match e {
            ReplayStoreError::Unavailable(reason) => QrError::ReplayStoreUnavailable { reason },
            ReplayStoreError::Full { capacity } => QrError::ReplayStoreFull { capacity },
        }
    }
}

#[cfg(feature = "std")]
pub use memory::MemoryReplayStore;

#[cfg(feature = "std")]
mod memory {
    use super::{ReplayStore, ReplayStoreError};
    use std::collections::HashMap;
    use std::hash::{BuildHasher, RandomState};
    use std::sync::Mutex;

    /// 16-byte key: the cti itself when it is 16 bytes (the IKD format), else
    /// the first 16 bytes of its SHA-256.
    type Key = [u8; 16];

    fn key_of(cti: &[u8]) -> Key {
        let mut k = [0u8; 16];
        if cti.len() == 16 {
            k.copy_from_slice(cti);
        } else {
            use sha2::Digest;
            let h = sha2::Sha256::digest(cti);
            k.copy_from_slice(&h[..16]);
        }
        k
    }

    struct Shard {
        map: HashMap<Key, i64, RandomState>,
        /// Last time (Unix seconds) expired entries were dropped.
        last_sweep: i64,
    }

    impl Shard {
        fn sweep(&mut self, now: i64) {
            self.map.retain(|_, until| *until >= now);
            self.last_sweep = now;
        }
    }

    /// The default replay store: an in-process, sharded hash map with a
    /// memory bound.
    ///
    /// - Sharded (64 mutex-protected maps) so many threads check in parallel.
    /// - Entries are dropped once `keep_until` (`exp` + leeway) has passed:
    ///   each shard sweeps itself at most once per second, and whenever it is
    ///   full.
    /// - Bounded: each shard holds at most `capacity / 64` entries plus 1/8
    ///   headroom (ids spread unevenly over shards), so the store accepts
    ///   `capacity` live tokens and never holds more than
    ///   [`MemoryReplayStore::max_entries`]. A new token arriving when its
    ///   shard is full of *live* entries is rejected with
    ///   [`ReplayStoreError::Full`] rather than evicting a live id (eviction
    ///   would let that token be replayed).
    ///
    /// Memory: about 40 bytes per live token (16-byte id, 8-byte expiry, hash
    /// table overhead); see `BENCHMARKS.md` for the measured figure.
    ///
    /// ```
    /// use ktpel_core::qr::{MemoryReplayStore, ReplayStore};
    /// let store = MemoryReplayStore::new(1_000);
    /// assert_eq!(store.check_and_mark(&[7; 16], 190, 100), Ok(true));
    /// assert_eq!(store.check_and_mark(&[7; 16], 190, 101), Ok(false));
    /// ```
    pub struct MemoryReplayStore {
        shards: Box<[Mutex<Shard>]>,
        shard_capacity: usize,
        max_entries: usize,
        hasher: RandomState,
    }

    const SHARDS: usize = 64;

    impl MemoryReplayStore {
        /// A store sized for `capacity` live token ids.
        pub fn new(capacity: usize) -> Self {
            let per_shard = capacity.div_ceil(SHARDS);
            let shard_capacity = per_shard + per_shard / 8 + 2;
            let shards = (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        map: HashMap::with_hasher(RandomState::new()),
                        last_sweep: i64::MIN,
                    })
                })
                .collect();
            MemoryReplayStore {
                shards,
                shard_capacity,
                max_entries: shard_capacity * SHARDS,
                hasher: RandomState::new(),
            }
        }

        /// The hard bound on entries held (the requested capacity plus the
        /// per-shard headroom).
        pub fn max_entries(&self) -> usize {
            self.max_entries
        }

        /// The number of entries currently held (live or not yet swept).
        pub fn len(&self) -> usize {
            self.shards
                .iter()
                .map(|s| s.lock().map(|s| s.map.len()).unwrap_or(0))
                .sum()
        }

        /// True when no entry is held.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Bytes allocated by the hash tables (buckets × entry size plus
        /// control bytes), an estimate of the heap the store uses now.
        pub fn approx_heap_bytes(&self) -> usize {
            let per_bucket = core::mem::size_of::<(Key, i64)>() + 1;
            self.shards
                .iter()
                .map(|s| s.lock().map(|s| s.map.capacity()).unwrap_or(0))
                .map(|cap| {
                    // hashbrown: buckets = next power of two of cap * 8 / 7.
                    if cap == 0 {
                        0
                    } else {
                        (cap * 8 / 7).next_power_of_two() * per_bucket
                    }
                })
                .sum()
        }

        /// Drops every entry whose `keep_until` lies before `now`.
        pub fn purge_expired(&self, now: i64) {
            for s in self.shards.iter() {
                if let Ok(mut s) = s.lock() {
                    s.sweep(now);
                }
            }
        }
    }

    impl Default for MemoryReplayStore {
        /// Capacity 4 M live tokens (about 44 000 scans per second sustained
        /// with 90 s tokens).
        fn default() -> Self {
            Self::new(4 << 20)
        }
    }

    impl core::fmt::Debug for MemoryReplayStore {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("MemoryReplayStore")
                .field("max_entries", &self.max_entries)
                .finish_non_exhaustive()
        }
    }

    impl ReplayStore for MemoryReplayStore {
        fn check_and_mark(
            &self,
            cti: &[u8],
            keep_until: i64,
            now: i64,
        ) -> Result<bool, ReplayStoreError> {
            let key = key_of(cti);
            let h = self.hasher.hash_one(key);
            let shard = &self.shards[(h >> 58) as usize % SHARDS];
            let mut s = shard.lock().map_err(|_| {
                ReplayStoreError::Unavailable("a replay-store lock is poisoned".into())
            })?;
            if now > s.last_sweep {
                s.sweep(now);
            }
            if let Some(until) = s.map.get_mut(&key) {
                if *until >= now {
                    return Ok(false);
                }
                // Expired but not yet swept: the token itself is expired, so
                // the verifier rejected it before; treat as fresh.
                *until = keep_until;
                return Ok(true);
            }
            if s.map.len() >= self.shard_capacity {
                s.sweep(now);
                if s.map.len() >= self.shard_capacity {
                    return Err(ReplayStoreError::Full {
                        capacity: self.max_entries,
                    });
                }
            }
            s.map.insert(key, keep_until);
            Ok(true)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn marks_once_expires_and_bounds_memory() {
            let s = MemoryReplayStore::new(64);
            assert_eq!(s.max_entries(), 64 * 3);
            assert_eq!(s.check_and_mark(b"0123456789abcdef", 10, 0), Ok(true));
            assert_eq!(s.check_and_mark(b"0123456789abcdef", 10, 5), Ok(false));
            assert_eq!(s.check_and_mark(b"0123456789abcdef", 10, 10), Ok(false));
            // Non-16-byte ids are hashed.
            assert_eq!(s.check_and_mark(b"short-id", 10, 0), Ok(true));
            assert_eq!(s.check_and_mark(b"short-id", 10, 1), Ok(false));
            assert_eq!(s.len(), 2);
            // After keep_until the entry is dropped.
            s.purge_expired(11);
            assert!(s.is_empty());
            // Fill to the bound: capacity 64 = 1 per shard; eventually a shard is full.
            let mut full = false;
            for i in 0u32..1000 {
                let mut id = [0u8; 16];
                id[..4].copy_from_slice(&i.to_le_bytes());
                match s.check_and_mark(&id, 100, 20) {
                    Ok(true) => {}
                    Err(ReplayStoreError::Full { capacity: 192 }) => {
                        full = true;
                        break;
                    }
                    other => panic!("{other:?}"),
                }
            }
            assert!(full);
            assert!(s.len() <= 192);
            // A store sized for 100 000 accepts 100 000 distinct ids.
            let big = MemoryReplayStore::new(100_000);
            for i in 0u32..100_000 {
                let mut id = [0u8; 16];
                id[..4].copy_from_slice(&i.to_le_bytes());
                assert_eq!(big.check_and_mark(&id, 100, 20), Ok(true));
            }
            // Once the entries expire, there is room again.
            let mut id = [0xAA; 16];
            id[0] = 1;
            assert_eq!(s.check_and_mark(&id, 300, 101), Ok(true));
        }
    }
}
