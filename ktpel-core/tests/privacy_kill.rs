//! Crash safety of the audit log: a writer process is SIGKILLed while
//! appending; the log must then verify up to a torn last entry at most,
//! keep every entry the writer had synced, and recover by truncation.
//!
//! The test re-runs its own binary as the writer (`KTPEL_AUDIT_WRITER`).
//! The writer writes each entry in small chunks (`debug_split_writes`) so
//! that a kill lands mid-entry as a power failure can; it prints the number
//! of entries after each sync.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use ktpel_core::Code;
use ktpel_core::privacy::audit::{AuditLog, SyncPolicy, verify_file};

#[test]
fn writer_child() {
    let Ok(path) = std::env::var("KTPEL_AUDIT_WRITER") else {
        return;
    };
    let mut log = AuditLog::open(
        Path::new(&path),
        SyncPolicy::Batch {
            entries: 64,
            interval: Duration::from_secs(60),
        },
    )
    .unwrap();
    log.debug_split_writes(3);
    let pad = "x".repeat(300);
    loop {
        let n = log.len();
        log.append_at(
            n as i64,
            "writer",
            &format!("N1JKT1-{n:016}"),
            &pad,
            "SESUAI",
        )
        .unwrap();
        if log.pending() == 0 {
            println!("synced {}", log.len());
        }
    }
}

#[test]
fn sigkill_mid_write_is_detected_and_recovered() {
    if std::env::var("KTPEL_AUDIT_WRITER").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("akses.log");
    let mut torn_seen = 0;
    let mut total = 0;
    let mut rounds = 0;
    for round in 0..30u64 {
        rounds += 1;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
            .env("KTPEL_AUDIT_WRITER", &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut synced = 0u64;
        let target = 2 + round % 4;
        while let Some(Ok(l)) = lines.next() {
            if let Some(n) = l.strip_prefix("synced ") {
                synced = n.parse().unwrap();
                if synced >= total + target * 64 {
                    break;
                }
            }
        }
        // Most of a sync cycle is spent writing 64 entries, not in fsync:
        // a kill a moment after a sync lands mid-entry most of the time.
        std::thread::sleep(Duration::from_micros(1500 + 500 * (round % 7)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let rep = verify_file(&path, None).unwrap();
        assert!(
            rep.entries >= synced,
            "synced {synced}, intact {}",
            rep.entries
        );
        match &rep.first_bad {
            None => {}
            Some(f) => {
                assert_eq!(f.code, Code::AuditTruncatedTail, "{f}");
                assert_eq!(f.entry, Some(rep.entries));
                torn_seen += 1;
                // Opening refuses the damaged log; recovery cuts the tail.
                let e = AuditLog::open(&path, SyncPolicy::EveryEntry).unwrap_err();
                assert_eq!(ktpel_core::HasCode::code(&e), Code::AuditTruncatedTail);
                let r = AuditLog::recover(&path).unwrap();
                assert_eq!(r.entries, rep.entries);
                assert!(r.removed_bytes > 0);
            }
        }
        let after = verify_file(&path, None).unwrap();
        assert!(after.is_valid());
        assert_eq!(after.entries, rep.entries);
        total = after.entries;
        if torn_seen >= 2 && rounds >= 4 {
            break;
        }
    }
    // With 3-byte writes of ~450-byte entries most kills tear one.
    assert!(
        torn_seen >= 2,
        "only {torn_seen} of {rounds} kills landed mid-entry"
    );
}
