//! The tamper-evident access log.
//!
//! A log is a file of lines, one entry each, in a canonical JSON form:
//!
//! ```text
//! {"seq":0,"time":1763933836123,"who":"op-17","subject":"N1JKT1-…","purpose":"bansos","result":"SESUAI","prev":"00…00","hash":"9F…"}
//! ```
//!
//! - `hash` = `SHA-256(0x00 || body)` where body is the line up to `prev`'s
//!   closing quote followed by `}` — the RFC 9162 leaf hash of the entry, so
//!   the same value chains the entries and is the Merkle leaf;
//! - `prev` = the `hash` of the entry before (zeros for the first);
//! - `seq` = the entry's position, from 0.
//!
//! Checkpoints live in a second file (`<log>.checkpoints`), one line each:
//! tree size, Merkle root, chain head, time, key id and an ECDSA P-256
//! signature over `"ktpel-audit-checkpoint/v1\n"` + the line without `sig`.
//!
//! [`verify_bytes`] reads both files and names the first bad entry; any
//! change of a single byte is detected because every line must be exactly
//! the canonical re-encoding of what it parses to.

#[cfg(feature = "io")]
mod file;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::Deserialize;

use super::merkle::{self, Hash};
use super::{hex_upper, unhex_upper};
use crate::Code;
use crate::qr::{SigningKey, VerifyingKey};

#[cfg(feature = "io")]
pub use file::{AuditLog, RecoverReport, SyncPolicy, checkpoints_path, prove_file, verify_file};

/// Longest field of an entry, in bytes.
pub const MAX_FIELD_BYTES: usize = 1024;
/// Label prefixed to the signed form of a checkpoint.
pub const CHECKPOINT_LABEL: &[u8] = b"ktpel-audit-checkpoint/v1\n";

/// Why verification (or a proof, or opening a log) failed: the stable code,
/// the first bad entry (0-based) when one can be named, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFailure {
    /// `AUDIT_*`.
    pub code: Code,
    /// The first bad entry (0-based), when the failure is about an entry.
    pub entry: Option<u64>,
    /// The checkpoint (0-based line of the checkpoint file), when it is about one.
    pub checkpoint: Option<u64>,
    /// What was found, for a clerk.
    pub detail: String,
}

impl fmt::Display for AuditFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = self.entry {
            write!(f, "entry {e}: ")?;
        }
        if let Some(c) = self.checkpoint {
            write!(f, "checkpoint {c}: ")?;
        }
        write!(f, "{}: {}", self.code, self.detail)
    }
}

fn fail(code: Code, entry: Option<u64>, detail: String) -> AuditFailure {
    AuditFailure {
        code,
        entry,
        checkpoint: None,
        detail,
    }
}

/// One access: who, when, which NIK token or query, why, and the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// Time of the access, milliseconds since 1970-01-01 UTC.
    pub time_ms: i64,
    /// The user or system that accessed the data.
    pub who: String,
    /// The NIK token or the query.
    pub subject: String,
    /// The purpose (the legal basis, the PKS).
    pub purpose: String,
    /// The result (e.g. `SESUAI`, `NIK_TIDAK_DITEMUKAN`, a row count).
    pub result: String,
    /// Hash of the previous entry (zeros for the first).
    pub prev: Hash,
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn check_field(name: &str, v: &str, may_be_empty: bool) -> Result<(), AuditFailure> {
    if (!may_be_empty && v.is_empty()) || v.len() > MAX_FIELD_BYTES {
        return Err(fail(
            Code::AuditInvalidField,
            None,
            format!("the field {name} must be 1 to {MAX_FIELD_BYTES} bytes"),
        ));
    }
    Ok(())
}

impl Entry {
    /// Checks the fields: `who` and `purpose` non-empty, every field at most
    /// [`MAX_FIELD_BYTES`].
    pub fn check(&self) -> Result<(), AuditFailure> {
        check_field("who", &self.who, false)?;
        check_field("subject", &self.subject, true)?;
        check_field("purpose", &self.purpose, false)?;
        check_field("result", &self.result, true)
    }

    /// The canonical body (the Merkle leaf data).
    pub fn body(&self) -> String {
        let mut s = String::with_capacity(160 + self.who.len() + self.subject.len());
        s.push_str("{\"seq\":");
        s.push_str(&format!("{}", self.seq));
        s.push_str(",\"time\":");
        s.push_str(&format!("{}", self.time_ms));
        s.push_str(",\"who\":");
        push_json_str(&mut s, &self.who);
        s.push_str(",\"subject\":");
        push_json_str(&mut s, &self.subject);
        s.push_str(",\"purpose\":");
        push_json_str(&mut s, &self.purpose);
        s.push_str(",\"result\":");
        push_json_str(&mut s, &self.result);
        s.push_str(",\"prev\":\"");
        s.push_str(&hex_upper(&self.prev));
        s.push_str("\"}");
        s
    }

    /// The entry's hash: `SHA-256(0x00 || body)`.
    pub fn hash(&self) -> Hash {
        merkle::leaf_hash(self.body().as_bytes())
    }

    /// The full line without its `\n`: the body with `"hash"` added.
    pub fn line(&self) -> String {
        let body = self.body();
        let h = merkle::leaf_hash(body.as_bytes());
        line_of(&body, &h)
    }

    /// Parses one line (without `\n`), requiring the canonical form; returns
    /// the entry and its stored hash (not yet checked against the content).
    pub fn parse_line(line: &[u8]) -> Result<(Entry, Hash), AuditFailure> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            seq: u64,
            time: i64,
            who: String,
            subject: String,
            purpose: String,
            result: String,
            prev: String,
            hash: String,
        }
        let bad = |why: &str| fail(Code::AuditMalformedEntry, None, why.into());
        let raw: Raw =
            serde_json::from_slice(line).map_err(|_| bad("the line is not an audit entry"))?;
        let prev = unhex_upper::<32>(&raw.prev).ok_or_else(|| bad("prev is not 64 hex digits"))?;
        let hash = unhex_upper::<32>(&raw.hash).ok_or_else(|| bad("hash is not 64 hex digits"))?;
        let e = Entry {
            seq: raw.seq,
            time_ms: raw.time,
            who: raw.who,
            subject: raw.subject,
            purpose: raw.purpose,
            result: raw.result,
            prev,
        };
        if line_of(&e.body(), &hash).as_bytes() != line {
            return Err(bad("the line is not in canonical form (it was edited)"));
        }
        e.check()?;
        Ok((e, hash))
    }
}

fn line_of(body: &str, hash: &Hash) -> String {
    let mut s = String::with_capacity(body.len() + 80);
    s.push_str(&body[..body.len() - 1]);
    s.push_str(",\"hash\":\"");
    s.push_str(&hex_upper(hash));
    s.push_str("\"}");
    s
}

/// A signed statement of the log's state: the first `size` entries have
/// Merkle root `root` and the last of them has hash `head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Number of entries covered.
    pub size: u64,
    /// RFC 9162 Merkle tree head over those entries.
    pub root: Hash,
    /// Hash of entry `size - 1` (zeros when `size` is 0).
    pub head: Hash,
    /// When it was made, milliseconds since 1970-01-01 UTC.
    pub time_ms: i64,
    /// Key id of the signing key.
    pub kid: String,
    /// ECDSA P-256 signature (raw `r || s`) over [`CHECKPOINT_LABEL`] +
    /// [`Checkpoint::body`].
    pub sig: [u8; 64],
}

impl Checkpoint {
    /// The canonical line without `sig` (what is signed, after the label).
    pub fn body(&self) -> String {
        let mut s = format!(
            "{{\"size\":{},\"root\":\"{}\",\"head\":\"{}\",\"time\":{},\"kid\":",
            self.size,
            hex_upper(&self.root),
            hex_upper(&self.head),
            self.time_ms
        );
        push_json_str(&mut s, &self.kid);
        s.push('}');
        s
    }

    fn signed_message(&self) -> Vec<u8> {
        let mut m = CHECKPOINT_LABEL.to_vec();
        m.extend_from_slice(self.body().as_bytes());
        m
    }

    /// Makes and signs a checkpoint.
    pub fn sign(size: u64, root: Hash, head: Hash, time_ms: i64, key: &SigningKey) -> Checkpoint {
        let mut c = Checkpoint {
            size,
            root,
            head,
            time_ms,
            kid: String::from_utf8_lossy(key.kid()).into_owned(),
            sig: [0; 64],
        };
        c.sig = key.sign(&c.signed_message());
        c
    }

    /// Whether the signature verifies with `key` (and the key ids agree).
    pub fn verify_signature(&self, key: &VerifyingKey) -> bool {
        key.kid() == self.kid.as_bytes() && key.verify(&self.signed_message(), &self.sig)
    }

    /// The full line without `\n`.
    pub fn line(&self) -> String {
        let b = self.body();
        format!(
            "{},\"sig\":\"{}\"}}",
            &b[..b.len() - 1],
            hex_upper(&self.sig)
        )
    }

    /// Parses one canonical checkpoint line (without `\n`).
    pub fn parse_line(line: &[u8]) -> Result<Checkpoint, AuditFailure> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            size: u64,
            root: String,
            head: String,
            time: i64,
            kid: String,
            sig: String,
        }
        let bad = |why: &str| fail(Code::AuditMalformedEntry, None, why.into());
        let raw: Raw =
            serde_json::from_slice(line).map_err(|_| bad("the line is not a checkpoint"))?;
        let c = Checkpoint {
            size: raw.size,
            root: unhex_upper(&raw.root).ok_or_else(|| bad("root is not 64 hex digits"))?,
            head: unhex_upper(&raw.head).ok_or_else(|| bad("head is not 64 hex digits"))?,
            time_ms: raw.time,
            kid: raw.kid,
            sig: unhex_upper(&raw.sig).ok_or_else(|| bad("sig is not 128 hex digits"))?,
        };
        if c.line().as_bytes() != line {
            return Err(bad(
                "the checkpoint is not in canonical form (it was edited)",
            ));
        }
        Ok(c)
    }
}

/// The outcome of [`verify_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries read intact before the first problem (all of them when valid).
    pub entries: u64,
    /// Leaf hashes of those entries.
    pub leaves: Vec<Hash>,
    /// Checkpoints that matched the log (and whose signature verified, when a
    /// key was given).
    pub checkpoints: u64,
    /// Whether signatures were checked (a public key was given).
    pub signatures_checked: bool,
    /// Largest tree size covered by a good checkpoint.
    pub signed_size: u64,
    /// Byte length of the intact prefix of the log (where a recovery cuts).
    pub intact_bytes: u64,
    /// The first problem; `None` when the log is intact.
    pub first_bad: Option<AuditFailure>,
}

impl VerifyReport {
    /// Whether the log and its checkpoints verified.
    pub fn is_valid(&self) -> bool {
        self.first_bad.is_none()
    }

    /// Merkle root over the intact entries.
    pub fn root(&self) -> Hash {
        merkle::root(&self.leaves)
    }

    /// Hash of the last intact entry (zeros when none).
    pub fn head(&self) -> Hash {
        self.leaves.last().copied().unwrap_or([0; 32])
    }
}

/// Reads the entries of a log: checks canonical form, sequence, chain and
/// hashes, stopping at the first problem (which includes an incomplete last
/// line, `AUDIT_TRUNCATED_TAIL`).
pub fn scan_entries(log: &[u8]) -> VerifyReport {
    let mut rep = VerifyReport {
        entries: 0,
        leaves: Vec::new(),
        checkpoints: 0,
        signatures_checked: false,
        signed_size: 0,
        intact_bytes: 0,
        first_bad: None,
    };
    let mut pos = 0usize;
    let mut prev: Hash = [0; 32];
    while pos < log.len() {
        let i = rep.entries;
        let Some(nl) = log[pos..].iter().position(|&b| b == b'\n') else {
            rep.first_bad = Some(fail(
                Code::AuditTruncatedTail,
                Some(i),
                format!(
                    "the last {} bytes are an incomplete entry (no line end): the writer stopped mid-write",
                    log.len() - pos
                ),
            ));
            return rep;
        };
        let line = &log[pos..pos + nl];
        let (e, stored) = match Entry::parse_line(line) {
            Ok(x) => x,
            Err(mut f) => {
                f.entry = Some(i);
                rep.first_bad = Some(f);
                return rep;
            }
        };
        if e.seq != i {
            rep.first_bad = Some(fail(
                Code::AuditSequenceMismatch,
                Some(i),
                format!("the entry at position {i} is numbered {}", e.seq),
            ));
            return rep;
        }
        if e.prev != prev {
            rep.first_bad = Some(fail(
                Code::AuditChainBroken,
                Some(i),
                "prev is not the hash of the entry before it".into(),
            ));
            return rep;
        }
        let h = e.hash();
        if h != stored {
            rep.first_bad = Some(fail(
                Code::AuditHashMismatch,
                Some(i),
                "the stored hash does not match the content".into(),
            ));
            return rep;
        }
        prev = h;
        rep.leaves.push(h);
        rep.entries += 1;
        pos += nl + 1;
        rep.intact_bytes = pos as u64;
    }
    rep
}

/// Verifies a log and its checkpoint file (either may be empty). With
/// `key`, every checkpoint's signature must verify; without, checkpoints
/// are checked against the log only. The report names the first bad entry.
///
/// ```
/// use ktpel_core::privacy::audit::{verify_bytes, Entry};
/// let e = Entry { seq: 0, time_ms: 0, who: "op".into(), subject: "q".into(), purpose: "p".into(), result: "r".into(), prev: [0; 32] };
/// let mut log = e.line().into_bytes();
/// log.push(b'\n');
/// assert!(verify_bytes(&log, b"", None).is_valid());
/// log[20] ^= 1;
/// assert_eq!(verify_bytes(&log, b"", None).first_bad.unwrap().entry, Some(0));
/// ```
pub fn verify_bytes(log: &[u8], checkpoints: &[u8], key: Option<&VerifyingKey>) -> VerifyReport {
    let mut rep = scan_entries(log);
    rep.signatures_checked = key.is_some();
    let mut failures: Vec<AuditFailure> = rep.first_bad.take().into_iter().collect();
    let mut pos = 0usize;
    let mut ci = 0u64;
    let mut last_good = 0u64;
    while pos < checkpoints.len() {
        let cfail = |code, entry, detail: String| AuditFailure {
            code,
            entry,
            checkpoint: Some(ci),
            detail,
        };
        let Some(nl) = checkpoints[pos..].iter().position(|&b| b == b'\n') else {
            failures.push(cfail(
                Code::AuditTruncatedTail,
                None,
                "the checkpoint file ends in an incomplete checkpoint".into(),
            ));
            break;
        };
        let c = match Checkpoint::parse_line(&checkpoints[pos..pos + nl]) {
            Ok(c) => c,
            Err(f) => {
                failures.push(cfail(f.code, None, f.detail));
                break;
            }
        };
        pos += nl + 1;
        if c.size < last_good {
            failures.push(cfail(
                Code::AuditCheckpointMismatch,
                None,
                format!(
                    "covers {} entries, fewer than the checkpoint before it ({last_good})",
                    c.size
                ),
            ));
            break;
        }
        if let Some(k) = key
            && !c.verify_signature(k)
        {
            failures.push(cfail(
                Code::AuditBadSignature,
                None,
                "the signature does not verify with the given public key".into(),
            ));
            break;
        }
        if c.size > rep.entries {
            // An entry failure before this point already explains it.
            if failures.iter().all(|f| f.entry.is_none()) {
                failures.push(cfail(
                    Code::AuditEntriesMissing,
                    Some(rep.entries),
                    format!(
                        "the checkpoint covers {} entries but the log holds {}: entries {} to {} are missing",
                        c.size,
                        rep.entries,
                        rep.entries,
                        c.size - 1
                    ),
                ));
            }
            break;
        }
        let n = c.size as usize;
        let head = if n == 0 { [0; 32] } else { rep.leaves[n - 1] };
        if merkle::root(&rep.leaves[..n]) != c.root || head != c.head {
            failures.push(cfail(
                Code::AuditCheckpointMismatch,
                Some(last_good),
                format!(
                    "entries {last_good} to {} differ from what the checkpoint signed (altered, replaced or re-chained)",
                    c.size.saturating_sub(1)
                ),
            ));
            break;
        }
        last_good = c.size;
        rep.checkpoints += 1;
        rep.signed_size = c.size;
        ci += 1;
    }
    failures.sort_by_key(|f| f.entry.unwrap_or(u64::MAX));
    rep.first_bad = failures.into_iter().next();
    rep
}

/// An inclusion proof of one entry: the entry line, its position, the tree
/// size and root it is proven against, the audit path, and the signed
/// checkpoint of that size when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    /// The entry (0-based).
    pub index: u64,
    /// Tree size the proof is against.
    pub size: u64,
    /// The entry's full line (reveals this entry only).
    pub entry_line: String,
    /// The audit path, bottom first.
    pub path: Vec<Hash>,
    /// The Merkle root of the first `size` entries.
    pub root: Hash,
    /// The signed checkpoint of `size` entries, if the proof uses one.
    pub checkpoint: Option<Checkpoint>,
}

impl InclusionProof {
    /// Builds the proof of entry `index` in the tree of the first `size`
    /// entries, given their leaf hashes.
    pub fn build(
        leaves: &[Hash],
        index: u64,
        size: u64,
        entry_line: String,
        checkpoint: Option<Checkpoint>,
    ) -> Result<InclusionProof, AuditFailure> {
        if size as usize > leaves.len() || index >= size {
            return Err(fail(
                Code::InvalidArgument,
                Some(index),
                format!(
                    "entry {index} is not among the first {size} entries of a log of {}",
                    leaves.len()
                ),
            ));
        }
        let tree = &leaves[..size as usize];
        Ok(InclusionProof {
            index,
            size,
            entry_line,
            path: merkle::inclusion_proof(tree, index as usize).unwrap_or_default(),
            root: merkle::root(tree),
            checkpoint,
        })
    }

    /// Verifies the proof: the entry line is canonical with a matching hash,
    /// its `seq` is `index`, the path leads to `root`, and — with a
    /// checkpoint — the checkpoint has this size and root and (with `key`) a
    /// valid signature. Returns the entry.
    pub fn verify(&self, key: Option<&VerifyingKey>) -> Result<Entry, AuditFailure> {
        let bad = |d: &str| fail(Code::AuditProofInvalid, Some(self.index), d.into());
        let (e, stored) = Entry::parse_line(self.entry_line.as_bytes())?;
        let leaf = e.hash();
        if leaf != stored || e.seq != self.index {
            return Err(bad("the entry does not match its hash or position"));
        }
        if !merkle::verify_inclusion(&leaf, self.index, self.size, &self.path, &self.root) {
            return Err(bad("the audit path does not lead to the root"));
        }
        if let Some(c) = &self.checkpoint {
            if c.size != self.size || c.root != self.root {
                return Err(bad("the checkpoint is of another tree"));
            }
            if let Some(k) = key
                && !c.verify_signature(k)
            {
                return Err(fail(
                    Code::AuditBadSignature,
                    Some(self.index),
                    "the checkpoint signature does not verify".into(),
                ));
            }
        } else if key.is_some() {
            return Err(bad("the proof has no signed checkpoint"));
        }
        Ok(e)
    }

    /// The proof as JSON (hashes in upper-case hex).
    pub fn to_json(&self) -> String {
        let path: Vec<String> = self.path.iter().map(|h| hex_upper(h)).collect();
        let v = serde_json::json!({
            "index": self.index,
            "size": self.size,
            "entry": self.entry_line,
            "path": path,
            "root": hex_upper(&self.root),
            "checkpoint": self.checkpoint.as_ref().map(|c| c.line()),
        });
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// Reads a proof written by [`InclusionProof::to_json`].
    pub fn from_json(json: &str) -> Result<InclusionProof, AuditFailure> {
        #[derive(Deserialize)]
        struct Raw {
            index: u64,
            size: u64,
            entry: String,
            path: Vec<String>,
            root: String,
            checkpoint: Option<String>,
        }
        let bad = |d: &str| fail(Code::AuditProofInvalid, None, d.into());
        let r: Raw =
            serde_json::from_str(json).map_err(|_| bad("not an inclusion proof (JSON)"))?;
        let path = r
            .path
            .iter()
            .map(|h| unhex_upper::<32>(h).ok_or_else(|| bad("a path hash is not 64 hex digits")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(InclusionProof {
            index: r.index,
            size: r.size,
            entry_line: r.entry,
            path,
            root: unhex_upper(&r.root).ok_or_else(|| bad("root is not 64 hex digits"))?,
            checkpoint: match r.checkpoint {
                Some(c) => Some(Checkpoint::parse_line(c.as_bytes())?),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(n: u64) -> (Vec<u8>, Vec<Hash>) {
        let mut out = Vec::new();
        let mut prev = [0; 32];
        let mut leaves = Vec::new();
        for i in 0..n {
            let e = Entry {
                seq: i,
                time_ms: 1_700_000_000_000 + i as i64,
                who: format!("op{i}"),
                subject: "N1JKT1-0000000000000000".into(),
                purpose: "uji \"kutip\"\n".into(),
                result: "SESUAI".into(),
                prev,
            };
            prev = e.hash();
            leaves.push(prev);
            out.extend_from_slice(e.line().as_bytes());
            out.push(b'\n');
        }
        (out, leaves)
    }

    #[test]
    fn removal_reorder_and_truncation_are_named() {
        let (log, _) = log_of(5);
        assert!(verify_bytes(&log, b"", None).is_valid());
        let lines: Vec<&[u8]> = log.split_inclusive(|&b| b == b'\n').collect();
        let removed: Vec<u8> = [lines[0], lines[1], lines[3], lines[4]].concat();
        let f = verify_bytes(&removed, b"", None).first_bad.unwrap();
        assert_eq!((f.code, f.entry), (Code::AuditSequenceMismatch, Some(2)));
        let swapped: Vec<u8> = [lines[0], lines[2], lines[1], lines[3]].concat();
        assert_eq!(
            verify_bytes(&swapped, b"", None).first_bad.unwrap().entry,
            Some(1)
        );
        let torn = &log[..log.len() - 3];
        let f = verify_bytes(torn, b"", None).first_bad.unwrap();
        assert_eq!((f.code, f.entry), (Code::AuditTruncatedTail, Some(4)));
    }

    #[test]
    fn checkpoints_catch_cut_tail_and_bad_signature() {
        let (log, leaves) = log_of(6);
        let key = SigningKey::from_scalar("audit-1", &[0x42; 32]).unwrap();
        let c = Checkpoint::sign(6, merkle::root(&leaves), leaves[5], 1, &key);
        let cps = format!("{}\n", c.line());
        let rep = verify_bytes(&log, cps.as_bytes(), Some(&key.verifying_key()));
        assert!(rep.is_valid(), "{:?}", rep.first_bad);
        assert_eq!(rep.signed_size, 6);
        let cut_at = log.len() - log.rsplit(|&b| b == b'\n').nth(1).unwrap().len() - 1;
        let f = verify_bytes(&log[..cut_at], cps.as_bytes(), None)
            .first_bad
            .unwrap();
        assert_eq!((f.code, f.entry), (Code::AuditEntriesMissing, Some(5)));
        let other = SigningKey::from_scalar("audit-1", &[0x43; 32]).unwrap();
        let f = verify_bytes(&log, cps.as_bytes(), Some(&other.verifying_key()))
            .first_bad
            .unwrap();
        assert_eq!(f.code, Code::AuditBadSignature);
        let p = InclusionProof::build(
            &leaves,
            2,
            6,
            String::from_utf8(log.split(|&b| b == b'\n').nth(2).unwrap().to_vec()).unwrap(),
            Some(c),
        )
        .unwrap();
        let back = InclusionProof::from_json(&p.to_json()).unwrap();
        assert_eq!(back.verify(Some(&key.verifying_key())).unwrap().seq, 2);
    }
}
