//! Throughput of `ktpel_core::name` against `strsim`, the `rapidfuzz` crate
//! and (through `bench/name/compare_rapidfuzz.sh`) Python RapidFuzz, on the
//! same 1 M name pairs, single thread.
//!
//! ```text
//! cargo run -p ktpel-core --release --example name_speed [-- --pairs N] [--write PATH]
//! ```
//!
//! The pairs are generated deterministically (SplitMix64, fixed seed) from
//! Indonesian given and family names, ~14 characters, half of them variants of
//! one name (old spelling, titles, typos, abbreviations) and half two
//! different names. `--write PATH` also writes them as TSV
//! (`a, b, matching key of a, matching key of b`) for the Python script.
//!
//! `--digest` prints instead a digest (FNV-1a, 64 bits) of every result of
//! `normalize`, `matching_key`, `phonetic_key`, `blocking_keys`,
//! `similarity` (both orders), `similarity_scores` and
//! `PreparedName::similarity` on the pairs, raw, lowercased and with titles
//! added: equal digests before and after a speed change mean no result
//! changed. `--only-similarity` times raw `similarity` alone (for profiling).

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use ktpel_core::name::{self, BlockScorer, KeyBlock, PreparedName};

const GIVEN: &[&str] = &[
    "SITI", "MUHAMMAD", "AHMAD", "BUDI", "AGUS", "DEWI", "SRI", "NUR", "RINA", "ANDI", "EKO",
    "DIAN", "HENDRA", "YUSUF", "RIZKI", "FITRI", "DWI", "TRI", "JOKO", "ADI", "PUTRI", "AYU",
    "RATNA", "WAHYU", "ARIF", "IWAN", "LINA", "SUSI", "YANTI", "DEDI", "ASEP", "NENG", "IMAM",
    "FAJAR", "INDAH", "RUDI", "HERU", "BAMBANG", "SUPARMAN", "KARTINI", "ABDUL", "I WAYAN",
    "NI MADE", "TEUKU", "CUT", "ANDI", "DENI", "MAYA", "YULI",
];
const FAMILY: &[&str] = &[
    "AMINAH",
    "SANTOSO",
    "RAHAYU",
    "HIDAYAT",
    "SETIAWAN",
    "LESTARI",
    "WIJAYA",
    "SAPUTRA",
    "PRATAMA",
    "KURNIAWAN",
    "HANDAYANI",
    "NASUTION",
    "SIREGAR",
    "HARAHAP",
    "SUDIRMAN",
    "SUHARTO",
    "RAHMAN",
    "HASANAH",
    "MULYANI",
    "WAHYUNI",
    "PURNOMO",
    "NUGROHO",
    "SUSANTO",
    "HARTONO",
    "GUNAWAN",
    "SETIADI",
    "FAUZI",
    "RAMADHAN",
    "SUDRAJAT",
    "MARLINA",
    "PERMATASARI",
    "ARIFIN",
    "SYAHRIR",
    "TANJUNG",
    "LUBIS",
    "SIMANJUNTAK",
    "SUKARNO",
    "SUDARSONO",
    "MAHARANI",
    "HALIM",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn random_name(r: &mut Rng) -> String {
    format!("{} {}", r.pick(GIVEN), r.pick(FAMILY))
}

fn variant(r: &mut Rng, s: &str) -> String {
    match r.below(8) {
        0 => s.replace('U', "OE").replace('Y', "J"),
        1 => format!("H. {s}, S.PD."),
        2 => {
            let mut b = s.as_bytes().to_vec();
            let i = r.below(b.len());
            if b[i] != b' ' {
                b[i] = b'A' + r.below(26) as u8;
            }
            String::from_utf8(b).unwrap()
        }
        3 => {
            let mut b = s.as_bytes().to_vec();
            let i = r.below(b.len() - 1);
            b.swap(i, i + 1);
            String::from_utf8(b).unwrap()
        }
        4 => s.to_lowercase(),
        5 => match s.split_once(' ') {
            Some((a, b)) => format!("{b} {a}"),
            None => s.to_string(),
        },
        6 => match s.split_once(' ') {
            Some((a, b)) => format!("{}. {b}", &a[..1]),
            None => s.to_string(),
        },
        _ => s.replace("MUHAMMAD", "MOCH."),
    }
}

/// The benchmark pairs: deterministic for a given count.
fn pairs(n: usize) -> Vec<(String, String)> {
    let mut r = Rng(0x6b74_7065_6c00_0001);
    (0..n)
        .map(|i| {
            let a = random_name(&mut r);
            let b = if i % 2 == 0 {
                variant(&mut r, &a)
            } else {
                random_name(&mut r)
            };
            (a, b)
        })
        .collect()
}

/// CPU time of this thread in seconds (Linux `schedstat`), so that other
/// processes on the machine do not count; wall time elsewhere.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// FNV-1a over bytes.
struct Fnv(u64);
impl Fnv {
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        // a separator, so that ("AB", "C") and ("A", "BC") differ
        self.0 = (self.0 ^ 0xFF).wrapping_mul(0x0000_0100_0000_01B3);
    }
    fn f64(&mut self, x: f64) {
        self.bytes(&x.to_bits().to_le_bytes());
    }
}

/// Digest of every name result on the pairs, raw, lowercased and with
/// titles added (see the module documentation).
fn digest(ps: &[(String, String)]) -> u64 {
    let mut h = Fnv(0xCBF2_9CE4_8422_2325);
    for (a, b) in ps {
        let forms = [
            (a.clone(), b.clone()),
            (a.to_lowercase(), b.to_lowercase()),
            (format!("Hj. {a}, S.Pd."), format!("DR. {b} M.KOM")),
        ];
        for (a, b) in &forms {
            for s in [a, b] {
                let n = name::normalize(s);
                h.bytes(n.display().as_bytes());
                h.bytes(n.as_str().as_bytes());
                h.bytes(format!("{:?}", n.removed()).as_bytes());
                h.bytes(name::matching_key(s).as_bytes());
                h.bytes(name::phonetic_key(s).as_bytes());
                for k in name::blocking_keys(s) {
                    h.bytes(k.as_bytes());
                }
            }
            h.f64(name::similarity(a, b));
            h.f64(name::similarity(b, a));
            let sc = name::similarity_scores(a, b);
            for x in [sc.combined, sc.token, sc.jaro_winkler, sc.levenshtein] {
                h.f64(x);
            }
            h.f64(PreparedName::new(a).similarity(&PreparedName::new(b)));
        }
    }
    h.0
}

fn rate(label: &str, count: usize, f: impl FnOnce() -> f64) -> f64 {
    let t = Instant::now();
    let c0 = cpu_seconds();
    let sink = f();
    let secs = match (c0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => t.elapsed().as_secs_f64(),
    };
    black_box(sink);
    let per_s = count as f64 / secs;
    println!(
        "| {label} | {count} | {:.3} s | {:.2} M/s |",
        secs,
        per_s / 1e6
    );
    per_s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut n = 1_000_000usize;
    let mut write = None;
    let mut digest_only = false;
    let mut similarity_only = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--pairs" => {
                n = args[i + 1].parse().expect("--pairs N");
                i += 1;
            }
            "--write" => {
                write = Some(args[i + 1].clone());
                i += 1;
            }
            "--digest" => digest_only = true,
            "--only-similarity" => similarity_only = true,
            other => panic!("unknown argument {other}"),
        }
        i += 1;
    }
    let ps = pairs(n);
    if digest_only {
        println!("digest over {n} pairs: {:016x}", digest(&ps));
        return;
    }
    if similarity_only {
        for _ in 0..3 {
            rate("`similarity` on raw names (normalizes both)", n, || {
                ps.iter().map(|(a, b)| name::similarity(a, b)).sum()
            });
        }
        return;
    }
    let keys: Vec<(String, String)> = ps
        .iter()
        .map(|(a, b)| (name::matching_key(a), name::matching_key(b)))
        .collect();
    if let Some(path) = &write {
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(path).expect("create pairs file"));
        for ((a, b), (ka, kb)) in ps.iter().zip(&keys) {
            writeln!(f, "{a}\t{b}\t{ka}\t{kb}").unwrap();
        }
        f.flush().unwrap();
        eprintln!("wrote {n} pairs to {path}");
    }
    let mean_len = ps.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>() as f64 / (2 * n) as f64;
    let mean_key =
        keys.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>() as f64 / (2 * n) as f64;
    println!(
        "{n} pairs, mean raw length {mean_len:.1}, mean key length {mean_key:.1}; single thread, thread CPU time\n"
    );
    println!("| what | items | time | rate |");
    println!("|---|---|---|---|");

    let names: Vec<&str> = ps
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let r_norm = rate("`normalize` (names)", names.len(), || {
        names
            .iter()
            .map(|s| name::normalize(s).as_str().len() as f64)
            .sum()
    });
    let r_key = rate("`matching_key` (names)", names.len(), || {
        names
            .iter()
            .map(|s| name::matching_key(s).len() as f64)
            .sum()
    });
    let r_prep = rate("`PreparedName::new` (names)", names.len(), || {
        names
            .iter()
            .map(|s| PreparedName::new(s).token_count() as f64)
            .sum()
    });
    let r_simraw = rate("`similarity` on raw names (normalizes both)", n, || {
        ps.iter().map(|(a, b)| name::similarity(a, b)).sum()
    });
    let prepared: Vec<(PreparedName, PreparedName)> = ps
        .iter()
        .map(|(a, b)| (PreparedName::new(a), PreparedName::new(b)))
        .collect();
    let r_simprep = rate(
        "`similarity` on prepared names (keys computed once)",
        n,
        || prepared.iter().map(|(a, b)| a.similarity(b)).sum(),
    );
    println!("| *raw Jaro-Winkler on the matching keys* | | | |");
    let ours = rate("ktpel `name::jaro_winkler`", n, || {
        keys.iter().map(|(a, b)| name::jaro_winkler(a, b)).sum()
    });
    let st = rate("`strsim::jaro_winkler`", n, || {
        keys.iter().map(|(a, b)| strsim::jaro_winkler(a, b)).sum()
    });
    let rf_chars = rate("`rapidfuzz` crate, chars", n, || {
        keys.iter()
            .map(|(a, b)| rapidfuzz::distance::jaro_winkler::similarity(a.chars(), b.chars()))
            .sum()
    });
    let rf_bytes = rate("`rapidfuzz` crate, bytes", n, || {
        keys.iter()
            .map(|(a, b)| rapidfuzz::distance::jaro_winkler::similarity(a.bytes(), b.bytes()))
            .sum()
    });
    println!("| *one query against a block of 1 M keys (10 queries)* | | | |");
    let block: Vec<&str> = keys.iter().map(|(_, b)| b.as_str()).collect();
    let queries: Vec<&str> = ps.iter().take(10).map(|(a, _)| a.as_str()).collect();
    let bs = rate("ktpel `BlockScorer::score`", 10 * n, || {
        let mut s = 0.0;
        for q in &queries {
            let sc = BlockScorer::new(q);
            for c in &block {
                s += sc.score(c);
            }
        }
        s
    });
    let bsb = rate("ktpel `BlockScorer::score_block`", 10 * n, || {
        let mut s = 0.0;
        let mut out = Vec::with_capacity(block.len());
        for q in &queries {
            BlockScorer::new(q).score_block(&block, &mut out);
            s += out.iter().sum::<f64>();
        }
        s
    });
    let arena: KeyBlock = block.iter().collect();
    let bsk = rate(
        "ktpel `BlockScorer::score_keys` (contiguous `KeyBlock`)",
        10 * n,
        || {
            let mut s = 0.0;
            let mut out = Vec::with_capacity(arena.len());
            for q in &queries {
                BlockScorer::new(q).score_keys(&arena, &mut out);
                s += out.iter().sum::<f64>();
            }
            s
        },
    );
    let mut kept = 0usize;
    let bskc = rate(
        "ktpel `BlockScorer::score_keys_cutoff(0.85)` (`KeyBlock`, prefiltered)",
        10 * n,
        || {
            let mut s = 0.0;
            let mut out = Vec::with_capacity(arena.len());
            for q in &queries {
                BlockScorer::new(q).score_keys_cutoff(&arena, 0.85, &mut out);
                s += out.iter().sum::<f64>();
                kept += out.iter().filter(|&&x| x > 0.0).count();
            }
            s
        },
    );
    let small: Vec<&str> = block.iter().take(4096).copied().collect();
    let rounds = 10 * n / small.len();
    let r_cache = rate(
        "ktpel `BlockScorer::score`, 4096-key block (in cache)",
        rounds * small.len(),
        || {
            let mut s = 0.0;
            let sc = BlockScorer::new(queries[0]);
            for _ in 0..rounds {
                for c in &small {
                    s += sc.score(c);
                }
            }
            s
        },
    );
    let r_cache_block = rate(
        "ktpel `BlockScorer::score_block`, 4096-key block (in cache)",
        rounds * small.len(),
        || {
            let mut s = 0.0;
            let sc = BlockScorer::new(queries[0]);
            let mut out = Vec::with_capacity(small.len());
            for _ in 0..rounds {
                sc.score_block(&small, &mut out);
                s += out.iter().sum::<f64>();
            }
            s
        },
    );
    let r_cut = rate("ktpel `BlockScorer::score_cutoff(0.85)`", 10 * n, || {
        let mut s = 0.0;
        for q in &queries {
            let sc = BlockScorer::new(q);
            for c in &block {
                s += sc.score_cutoff(c, 0.85);
            }
        }
        s
    });
    let rf_batch = rate("`rapidfuzz` crate `BatchComparator`, bytes", 10 * n, || {
        let mut s = 0.0;
        for q in &queries {
            let k = name::matching_key(q);
            let cmp = rapidfuzz::distance::jaro_winkler::BatchComparator::new(k.bytes());
            for c in &block {
                s += cmp.similarity(c.bytes());
            }
        }
        s
    });
    println!();
    println!(
        "`score_keys_cutoff(0.85)` kept {kept} of {} comparisons ({:.3}%)",
        10 * n,
        100.0 * kept as f64 / (10 * n) as f64
    );
    let sample = keys.len().min(20000);
    let mean = keys[..sample]
        .iter()
        .map(|(a, b)| name::jaro_winkler(a, b))
        .sum::<f64>()
        / sample as f64;
    println!("ktpel mean Jaro-Winkler on the first {sample} key pairs: {mean:.6}");
    let results = [
        ("normalize", r_norm),
        ("matching_key", r_key),
        ("prepared_name", r_prep),
        ("similarity_raw", r_simraw),
        ("similarity_prepared", r_simprep),
        ("jw_ktpel", ours),
        ("jw_strsim", st),
        ("jw_rapidfuzz_crate_chars", rf_chars),
        ("jw_rapidfuzz_crate_bytes", rf_bytes),
        ("block_ktpel", bs),
        ("block_ktpel_score_block", bsb),
        ("block_ktpel_score_keys", bsk),
        ("block_ktpel_score_keys_cutoff", bskc),
        ("block_ktpel_in_cache", r_cache),
        ("block_ktpel_score_block_in_cache", r_cache_block),
        ("block_ktpel_cutoff", r_cut),
        ("block_rapidfuzz_crate", rf_batch),
    ];
    let fields: Vec<String> = results
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v:.0}"))
        .collect();
    println!("json: {{{}}}", fields.join(", "));
    println!(
        "ratios: ktpel/strsim {:.2}x, ktpel/rapidfuzz(chars) {:.2}x, ktpel/rapidfuzz(bytes) {:.2}x, BlockScorer::score/rapidfuzz BatchComparator {:.2}x, BlockScorer::score_block/rapidfuzz BatchComparator {:.2}x",
        ours / st,
        ours / rf_chars,
        ours / rf_bytes,
        bs / rf_batch,
        bsb / rf_batch
    );
}
