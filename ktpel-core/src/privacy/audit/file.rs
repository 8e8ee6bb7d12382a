//! The log file writer: append-only, one `write_all` per entry, fsync by
//! policy, torn-tail detection on open, recovery by truncation.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{
    AuditFailure, Checkpoint, Entry, InclusionProof, VerifyReport, scan_entries, verify_bytes,
};
use crate::privacy::PrivacyError;
use crate::privacy::merkle::{self, Hash};
use crate::qr::{SigningKey, VerifyingKey};

/// When appended entries are forced to disk (`fsync`, `sync_data`).
///
/// Whatever the policy, a crash of the *process* loses nothing that
/// [`AuditLog::append`] returned for: the bytes are in the operating
/// system's cache. A crash of the *machine* loses at most the entries since
/// the last sync; a torn last entry is detected on open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPolicy {
    /// Sync after every entry (slowest; nothing is lost on power failure).
    EveryEntry,
    /// Sync once `entries` entries are pending or `interval` has passed since
    /// the last sync (checked at each append), and at every checkpoint and
    /// on [`AuditLog::sync`] / drop.
    Batch {
        /// Most entries pending.
        entries: u32,
        /// Longest time between syncs while appending.
        interval: Duration,
    },
}

impl Default for SyncPolicy {
    /// Batches of 64 entries or 200 ms.
    fn default() -> Self {
        SyncPolicy::Batch {
            entries: 64,
            interval: Duration::from_millis(200),
        }
    }
}

/// What [`AuditLog::recover`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverReport {
    /// Intact entries kept.
    pub entries: u64,
    /// Bytes cut off the end (0 when the log was intact).
    pub removed_bytes: u64,
    /// The problem found at the cut, if any.
    pub cut: Option<AuditFailure>,
}

/// The checkpoint file of a log: `<log>.checkpoints`.
pub fn checkpoints_path(log: &Path) -> PathBuf {
    let mut s = log.as_os_str().to_owned();
    s.push(".checkpoints");
    PathBuf::from(s)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> PrivacyError + '_ {
    move |e| PrivacyError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn read_or_empty(path: &Path) -> Result<Vec<u8>, PrivacyError> {
    match File::open(path) {
        Ok(mut f) => {
            let mut v = Vec::new();
            f.read_to_end(&mut v).map_err(io(path))?;
            Ok(v)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Verifies a log file and its checkpoint file (`<log>.checkpoints`, if
/// present). See [`verify_bytes`].
pub fn verify_file(log: &Path, key: Option<&VerifyingKey>) -> Result<VerifyReport, PrivacyError> {
    let data = read_or_empty(log)?;
    let cps = read_or_empty(&checkpoints_path(log))?;
    Ok(verify_bytes(&data, &cps, key))
}

/// Builds the inclusion proof of entry `index` against the latest signed
/// checkpoint covering it (or, when none does, against the whole log,
/// unsigned). The log must verify.
pub fn prove_file(log: &Path, index: u64) -> Result<InclusionProof, PrivacyError> {
    let data = read_or_empty(log)?;
    let cps = read_or_empty(&checkpoints_path(log))?;
    let rep = verify_bytes(&data, &cps, None);
    if let Some(f) = rep.first_bad {
        return Err(f.into());
    }
    let checkpoint = cps
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| Checkpoint::parse_line(l).ok())
        .rfind(|c| c.size > index);
    let size = checkpoint.as_ref().map_or(rep.entries, |c| c.size);
    let line = data
        .split(|&b| b == b'\n')
        .nth(index as usize)
        .filter(|_| index < rep.entries)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .unwrap_or_default();
    Ok(InclusionProof::build(
        &rep.leaves,
        index,
        size,
        line,
        checkpoint,
    )?)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// An open audit log, appending.
///
/// ```
/// use ktpel_core::privacy::audit::{AuditLog, SyncPolicy, verify_file};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("akses.log");
/// let mut log = AuditLog::open(&path, SyncPolicy::default()).unwrap();
/// log.append("op-17", "N1JKT1-7ZQ4M2D0XH3C9RTA", "bansos 2026", "SESUAI").unwrap();
/// log.sync().unwrap();
/// assert!(verify_file(&path, None).unwrap().is_valid());
/// ```
pub struct AuditLog {
    path: PathBuf,
    file: File,
    leaves: Vec<Hash>,
    policy: SyncPolicy,
    pending: u32,
    last_sync: Instant,
    split_writes: usize,
    line: String,
}

impl core::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuditLog")
            .field("path", &self.path)
            .field("entries", &self.leaves.len())
            .finish_non_exhaustive()
    }
}

impl AuditLog {
    /// Opens (or creates) a log for appending. The existing entries are
    /// verified first; a torn last entry is an error with code
    /// `AUDIT_TRUNCATED_TAIL` (use [`AuditLog::recover`]), so a damaged log
    /// is never silently extended.
    pub fn open(path: &Path, policy: SyncPolicy) -> Result<AuditLog, PrivacyError> {
        let created = !path.exists();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)
            .map_err(io(path))?;
        if created {
            file.sync_all().map_err(io(path))?;
            sync_dir(path);
        }
        let data = read_or_empty(path)?;
        let rep = scan_entries(&data);
        if let Some(f) = rep.first_bad {
            return Err(f.into());
        }
        Ok(AuditLog {
            path: path.to_path_buf(),
            file,
            leaves: rep.leaves,
            policy,
            pending: 0,
            last_sync: Instant::now(),
            split_writes: 0,
            line: String::new(),
        })
    }

    /// Cuts a log back to its intact entries: a torn last entry (a crash
    /// mid-write) or anything after the first bad entry is removed, and the
    /// file is synced. Reports what was cut.
    pub fn recover(path: &Path) -> Result<RecoverReport, PrivacyError> {
        let data = read_or_empty(path)?;
        let rep = scan_entries(&data);
        let removed = data.len() as u64 - rep.intact_bytes;
        if removed > 0 {
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io(path))?;
            f.set_len(rep.intact_bytes).map_err(io(path))?;
            f.sync_all().map_err(io(path))?;
        }
        Ok(RecoverReport {
            entries: rep.entries,
            removed_bytes: removed,
            cut: rep.first_bad,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        self.leaves.len() as u64
    }

    /// Whether the log has no entries.
    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// Hash of the last entry (zeros when empty).
    pub fn head(&self) -> Hash {
        self.leaves.last().copied().unwrap_or([0; 32])
    }

    /// Merkle root over all entries.
    pub fn root(&self) -> Hash {
        merkle::root(&self.leaves)
    }

    /// Appends an entry stamped with the current time; returns its number.
    pub fn append(
        &mut self,
        who: &str,
        subject: &str,
        purpose: &str,
        result: &str,
    ) -> Result<u64, PrivacyError> {
        self.append_at(now_ms(), who, subject, purpose, result)
    }

    /// Appends an entry with the given time (milliseconds since 1970 UTC).
    pub fn append_at(
        &mut self,
        time_ms: i64,
        who: &str,
        subject: &str,
        purpose: &str,
        result: &str,
    ) -> Result<u64, PrivacyError> {
        let e = Entry {
            seq: self.len(),
            time_ms,
            who: who.into(),
            subject: subject.into(),
            purpose: purpose.into(),
            result: result.into(),
            prev: self.head(),
        };
        e.check()?;
        let body = e.body();
        let h = merkle::leaf_hash(body.as_bytes());
        self.line.clear();
        self.line.push_str(&super::line_of(&body, &h));
        self.line.push('\n');
        let bytes = self.line.as_bytes();
        if self.split_writes == 0 {
            // One write of the whole line: with O_APPEND a process crash
            // leaves it whole or absent; a power failure may tear it, which
            // open() detects.
            self.file.write_all(bytes).map_err(io(&self.path))?;
        } else {
            for chunk in bytes.chunks(self.split_writes) {
                self.file.write_all(chunk).map_err(io(&self.path))?;
            }
        }
        self.leaves.push(h);
        self.pending += 1;
        match self.policy {
            SyncPolicy::EveryEntry => self.sync()?,
            SyncPolicy::Batch { entries, interval } => {
                if self.pending >= entries || self.last_sync.elapsed() >= interval {
                    self.sync()?;
                }
            }
        }
        Ok(self.len() - 1)
    }

    /// Forces the pending entries to disk.
    pub fn sync(&mut self) -> Result<(), PrivacyError> {
        if self.pending > 0 {
            self.file.sync_data().map_err(io(&self.path))?;
            self.pending = 0;
        }
        self.last_sync = Instant::now();
        Ok(())
    }

    /// Entries appended but not yet synced.
    pub fn pending(&self) -> u32 {
        self.pending
    }

    /// Syncs, then signs a checkpoint of the whole log and appends it to
    /// `<log>.checkpoints` (synced).
    pub fn checkpoint(&mut self, key: &SigningKey) -> Result<Checkpoint, PrivacyError> {
        self.sync()?;
        let c = Checkpoint::sign(self.len(), self.root(), self.head(), now_ms(), key);
        let cp = checkpoints_path(&self.path);
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&cp)
            .map_err(io(&cp))?;
        let mut line = c.line();
        line.push('\n');
        f.write_all(line.as_bytes()).map_err(io(&cp))?;
        f.sync_data().map_err(io(&cp))?;
        Ok(c)
    }

    /// Test hook: write each entry in chunks of `n` bytes (0 = one write),
    /// to simulate the torn writes a power failure can leave.
    #[doc(hidden)]
    pub fn debug_split_writes(&mut self, n: usize) {
        self.split_writes = n;
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        let _ = self.sync();
    }
}

fn sync_dir(path: &Path) {
    // Makes the new file's directory entry durable (POSIX); best effort.
    if let Some(dir) = path.parent()
        && let Ok(d) = File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
}
