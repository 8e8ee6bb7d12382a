//! Matching on tokens gives the categories matching on clear data gives,
//! for the tokenized elements, on the generator's data set.
//!
//! Clear side: the agency and register files cut to `NIK, NAMA_LGKP,
//! TGL_LHR` (+ `STATUS`), matched with the policy "name matching keys equal
//! and birth dates equal". Token side: the same files through
//! `tokenize_csv` (`NIK,NAMA_LGKP+TGL_LHR`), matched with `tokens = true`
//! and the policy "element tokens equal".

use std::fs::File;
use std::path::Path;

use ktpel_core::csvio::RecordReader;
use ktpel_core::matching::{BatchOptions, Comparison, Element, Policy, Rule, run_batch};
use ktpel_core::privacy::{TokenColumn, TokenKey, tokenize_csv};
use ktpel_core::sample::{Config, write_all};

fn cut(src: &Path, dst: &Path, keep: &[&str]) {
    let mut r = RecordReader::new(File::open(src).unwrap(), b',');
    let header: Vec<String> = r
        .next_record()
        .unwrap()
        .unwrap()
        .fields()
        .iter()
        .map(|f| f.text.to_string())
        .collect();
    let idx: Vec<usize> = keep
        .iter()
        .map(|k| header.iter().position(|h| h == k).unwrap())
        .collect();
    let mut out = String::new();
    out.push_str(&keep.join(","));
    out.push('\n');
    while let Some(rec) = r.next_record().unwrap() {
        let f = rec.fields();
        let row: Vec<String> = idx
            .iter()
            .map(|&i| {
                let t = f.get(i).map(|x| x.text.to_string()).unwrap_or_default();
                if t.contains([',', '"']) {
                    format!("\"{}\"", t.replace('"', "\"\""))
                } else {
                    t
                }
            })
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    std::fs::write(dst, out).unwrap();
}

fn categories(out: &Path) -> Vec<String> {
    let mut r = RecordReader::new(File::open(out.join("hasil.csv")).unwrap(), b',');
    let header: Vec<String> = r
        .next_record()
        .unwrap()
        .unwrap()
        .fields()
        .iter()
        .map(|f| f.text.to_string())
        .collect();
    let k = header.iter().position(|h| h == "KATEGORI").unwrap();
    let mut v = Vec::new();
    while let Some(rec) = r.next_record().unwrap() {
        v.push(rec.fields()[k].text.to_string());
    }
    v
}

#[test]
fn token_matching_equals_clear_matching_on_generator_data() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cfg = Config {
        population: 6_000,
        agency: 3_000,
        ..Config::default()
    };
    write_all(&cfg, d, |_| {}).unwrap();
    cut(
        &d.join("agency.csv"),
        &d.join("a.csv"),
        &["ID_PELANGGAN", "NIK", "NAMA_LGKP", "TGL_LHR"],
    );
    cut(
        &d.join("population.csv"),
        &d.join("p.csv"),
        &["NIK", "NAMA_LGKP", "TGL_LHR", "STATUS"],
    );
    let key = TokenKey::new("UJI1", &[0x24; 32]).unwrap();
    let cols = TokenColumn::parse_list("NIK,NAMA_LGKP+TGL_LHR");
    for (src, dst) in [("a.csv", "a_tok.csv"), ("p.csv", "p_tok.csv")] {
        tokenize_csv(
            File::open(d.join(src)).unwrap(),
            File::create(d.join(dst)).unwrap(),
            &key,
            &cols,
            cfg.as_of,
        )
        .unwrap();
    }
    let tok = std::fs::read_to_string(d.join("a_tok.csv")).unwrap();
    let clear = std::fs::read_to_string(d.join("a.csv")).unwrap();
    let some_nik = clear.lines().nth(1).unwrap().split(',').nth(1).unwrap();
    assert!(
        !tok.contains(some_nik),
        "a clear NIK leaked into the token file"
    );

    let clear_policy = Policy {
        rules: vec![
            Rule {
                element: Element::Name,
                comparison: Comparison::NameKey,
                required: true,
            },
            Rule {
                element: Element::BirthDate,
                comparison: Comparison::Date { accept_swap: false },
                required: true,
            },
        ],
        min_agreeing: 2,
        returned: vec![Element::Status],
    };
    let token_policy = Policy {
        rules: vec![Rule {
            element: Element::Name,
            comparison: Comparison::Exact,
            required: true,
        }],
        min_agreeing: 1,
        returned: vec![Element::Status],
    };
    let clear_opts = BatchOptions {
        policy: clear_policy,
        reference_date: Some(cfg.as_of),
        ..BatchOptions::default()
    };
    let token_opts = BatchOptions {
        policy: token_policy,
        reference_date: Some(cfg.as_of),
        tokens: true,
        ..BatchOptions::default()
    };
    let s1 = run_batch(
        &d.join("a.csv"),
        &d.join("p.csv"),
        &d.join("out_clear"),
        &clear_opts,
        &mut |_| {},
    )
    .unwrap();
    let s2 = run_batch(
        &d.join("a_tok.csv"),
        &d.join("p_tok.csv"),
        &d.join("out_tok"),
        &token_opts,
        &mut |_| {},
    )
    .unwrap();
    let (c1, c2) = (
        categories(&d.join("out_clear")),
        categories(&d.join("out_tok")),
    );
    assert_eq!(c1.len(), 3_000);
    let diffs: Vec<(usize, &String, &String)> = c1
        .iter()
        .zip(&c2)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i, a, b))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} rows differ, first: {:?}",
        diffs.len(),
        &diffs[..diffs.len().min(5)]
    );
    assert_eq!(
        (
            s1.matched,
            s1.matched_deceased,
            s1.unmatched,
            s1.nik_not_found,
            s1.anomaly,
            s1.duplicate
        ),
        (
            s2.matched,
            s2.matched_deceased,
            s2.unmatched,
            s2.nik_not_found,
            s2.anomaly,
            s2.duplicate
        )
    );
    // The data set exercises every category.
    for (what, n) in [
        ("matched", s1.matched),
        ("unmatched", s1.unmatched),
        ("nik_not_found", s1.nik_not_found),
        ("anomaly", s1.anomaly),
        ("duplicate", s1.duplicate),
    ] {
        assert!(n > 0, "no {what} rows");
    }
    // Other keys give unlinkable tokens: nothing matches.
    let other = TokenKey::new("UJI1", &[0x25; 32]).unwrap();
    tokenize_csv(
        File::open(d.join("p.csv")).unwrap(),
        File::create(d.join("p_other.csv")).unwrap(),
        &other,
        &cols,
        cfg.as_of,
    )
    .unwrap();
    let s3 = run_batch(
        &d.join("a_tok.csv"),
        &d.join("p_other.csv"),
        &d.join("out_other"),
        &token_opts,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(s3.matched + s3.unmatched, 0);
}
