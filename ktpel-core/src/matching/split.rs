//! Field splitting for the matching jobs: the shared `csvio` splitter (one
//! reused `csv-core` reader per thread), decoded straight into `String`s
//! (Latin-1 when not UTF-8, flagged).

use crate::csvio::{RawRecord, with_split};

/// One record's fields and whether any was decoded as Latin-1.
pub(crate) struct Split {
    pub(crate) fields: Vec<String>,
    pub(crate) latin1: bool,
}

/// Splits `rec` on `delimiter` (RFC 4180).
pub(crate) fn split(rec: &RawRecord, delimiter: u8) -> Split {
    with_split(&rec.bytes, delimiter, |out, ends| {
        let mut fields = Vec::with_capacity(ends.len());
        let mut latin1 = false;
        let mut start = 0;
        for &end in ends {
            let b = &out[start..end];
            match std::str::from_utf8(b) {
                Ok(s) => fields.push(s.to_string()),
                Err(_) => {
                    latin1 = true;
                    fields.push(b.iter().map(|&c| char::from(c)).collect());
                }
            }
            start = end;
        }
        Split { fields, latin1 }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csvio::RecordReader;

    #[test]
    fn same_fields_as_csvio() {
        let data = b"a,\"b,c\",\"d\"\"e\"\n,,\nJOS\xe9,x\n\"multi\nline\",y\nlast";
        let mut r = RecordReader::new(&data[..], b',');
        while let Some(rec) = r.next_record().unwrap() {
            let ours = split(&rec, b',');
            let theirs = rec.fields();
            assert_eq!(ours.fields.len(), theirs.len());
            for (a, b) in ours.fields.iter().zip(&theirs) {
                assert_eq!(a, &b.text);
            }
            assert_eq!(ours.latin1, theirs.iter().any(|f| f.latin1));
        }
    }
}
