//! `cargo fuzz run matching_convert`: CSV record conversion never panics on
//! any bytes, mapping-file parsing never panics, and verification of any two
//! converted records gives one verdict per policy rule.
#![no_main]

use ktpel_core::csvio::RecordReader;
use ktpel_core::matching::{Mapping, Policy, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Mapping::from_toml(&String::from_utf8_lossy(data));
    let _ = Policy::from_toml(&String::from_utf8_lossy(data));
    let mut reader = RecordReader::new(data, b',');
    let Ok(Some(header)) = reader.next_record() else {
        return;
    };
    let header: Vec<String> = header.fields().iter().map(|f| f.text.to_string()).collect();
    let Ok(binding) = Mapping::dukcapil().bind(&header) else {
        return;
    };
    let policy = Policy::default();
    let mut prev = None;
    while let Ok(Some(rec)) = reader.next_record() {
        let fields = rec.fields();
        let texts: Vec<&str> = fields.iter().map(|f| f.text.as_ref()).collect();
        let (r, _findings) = binding.convert(&texts);
        if let Some(p) = &prev {
            let v = verify(&r, Some(p), &policy);
            assert_eq!(v.elements.len(), policy.rules.len());
        }
        prev = Some(r);
    }
});
