//! A replay store shared by a fleet of verifiers: Redis `SET key 1 NX PX ms`.

use super::replay::{ReplayStore, ReplayStoreError};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A [`ReplayStore`] in Redis (or Valkey): each used `cti` becomes the key
/// `<prefix><cti in upper-case hex>`, written with `SET … NX PX <ms>` so that
/// exactly one verifier in the fleet wins, and Redis drops the key once the
/// token's `exp` plus leeway has passed.
///
/// A small pool of blocking connections is kept (one per concurrent caller
/// up to `pool_size`); a broken connection is reopened on the next call. Any
/// Redis error makes the verification fail with `REPLAY_STORE_UNAVAILABLE`
/// (fail closed): a token is never accepted without being recorded.
pub struct RedisReplayStore {
    client: redis::Client,
    prefix: String,
    pool: Box<[Mutex<Option<redis::Connection>>]>,
    next: AtomicUsize,
    timeout: Duration,
}

impl core::fmt::Debug for RedisReplayStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The URL may hold a password: never printed.
        f.debug_struct("RedisReplayStore")
            .field("prefix", &self.prefix)
            .field("pool_size", &self.pool.len())
            .finish_non_exhaustive()
    }
}

impl RedisReplayStore {
    /// A store on the Redis server at `url` (`redis://host:port/db`), keys
    /// prefixed with `prefix` (e.g. `"ikd:cti:"`), with up to `pool_size`
    /// connections. Connects once to fail early on a bad URL or server.
    pub fn connect(url: &str, prefix: &str, pool_size: usize) -> Result<Self, ReplayStoreError> {
        let client = redis::Client::open(url)
            .map_err(|_| ReplayStoreError::Unavailable("the Redis URL is invalid".into()))?;
        let store = RedisReplayStore {
            client,
            prefix: prefix.into(),
            pool: (0..pool_size.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
            timeout: Duration::from_secs(2),
        };
        let conn = store.open()?;
        if let Ok(mut slot) = store.pool[0].lock() {
            *slot = Some(conn);
        }
        Ok(store)
    }

    fn open(&self) -> Result<redis::Connection, ReplayStoreError> {
        let conn = self
            .client
            .get_connection_with_timeout(self.timeout)
            .map_err(|e| unavailable(&e))?;
        conn.set_read_timeout(Some(self.timeout))
            .and_then(|_| conn.set_write_timeout(Some(self.timeout)))
            .map_err(|e| unavailable(&e))?;
        Ok(conn)
    }
}

fn unavailable(e: &redis::RedisError) -> ReplayStoreError {
    // Only the error category: messages may echo addresses.
    ReplayStoreError::Unavailable(format!("Redis error ({:?})", e.kind()))
}

impl ReplayStore for RedisReplayStore {
    fn check_and_mark(
        &self,
        cti: &[u8],
        keep_until: i64,
        now: i64,
    ) -> Result<bool, ReplayStoreError> {
        let key = format!("{}{}", self.prefix, super::hex_upper(cti));
        // At least one second, so a token right at its limit is still recorded.
        let ms = keep_until.saturating_sub(now).max(1).saturating_mul(1000);
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.pool.len();
        let mut slot = self.pool[i]
            .lock()
            .map_err(|_| ReplayStoreError::Unavailable("a connection lock is poisoned".into()))?;
        if slot.is_none() {
            *slot = Some(self.open()?);
        }
        let conn = slot
            .as_mut()
            .ok_or(ReplayStoreError::Unavailable("no connection".into()))?;
        let reply: redis::RedisResult<Option<String>> = redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(ms)
            .query(conn);
        match reply {
            Ok(Some(_)) => Ok(true),
            Ok(None) => Ok(false),
            Err(e) => {
                // Drop the connection; the next call reconnects.
                *slot = None;
                Err(unavailable(&e))
            }
        }
    }
}
