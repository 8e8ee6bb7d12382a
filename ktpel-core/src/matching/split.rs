//! Field splitting for the matching jobs: the shared `csvio` splitter (one
//! reused `csv-core` reader per thread), decoded into `String`s or borrowed
//! (Latin-1 when not UTF-8, flagged).

use std::borrow::Cow;

use crate::csvio::{RawRecord, with_split};

/// One record's fields.
pub(crate) struct Split {
    pub(crate) fields: Vec<String>,
}

/// Splits `rec` on `delimiter` (RFC 4180).
pub(crate) fn split(rec: &RawRecord, delimiter: u8) -> Split {
    with_split(&rec.bytes, delimiter, |out, ends| {
        let mut fields = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &end in ends {
            let b = &out[start..end];
            match std::str::from_utf8(b) {
                Ok(s) => fields.push(s.to_string()),
                Err(_) => fields.push(b.iter().map(|&c| char::from(c)).collect()),
            }
            start = end;
        }
        Split { fields }
    })
}

/// Splits `rec` on `delimiter` and hands the fields to `f` borrowed from the
/// thread's scratch buffer: no allocation per field unless it is Latin-1.
/// `f` gets the fields and whether any was decoded as Latin-1.
pub(crate) fn with_fields<R>(
    rec: &RawRecord,
    delimiter: u8,
    f: impl FnOnce(&[Cow<'_, str>], bool) -> R,
) -> R {
    // Usual case: UTF-8 without quotes or line breaks (an ASCII delimiter):
    // the fields are the text between delimiters, as csv-core would give
    // them, borrowed from the record without running its state machine.
    let bytes = &rec.bytes[..];
    if !bytes.is_empty()
        && delimiter.is_ascii()
        && !matches!(delimiter, b'"' | b'\r' | b'\n')
        && memchr::memchr3(b'"', b'\r', b'\n', bytes).is_none()
        && let Ok(all) = std::str::from_utf8(bytes)
    {
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(32);
        let mut start = 0;
        for end in memchr::memchr_iter(delimiter, bytes) {
            fields.push(Cow::Borrowed(&all[start..end]));
            start = end + 1;
        }
        fields.push(Cow::Borrowed(&all[start..]));
        return f(&fields, false);
    }
    with_split(&rec.bytes, delimiter, |out, ends| {
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(ends.len());
        // Usual case: the whole record is UTF-8 and every field ends on a
        // character boundary, so each field is UTF-8: one check, not one
        // per field.
        if let Ok(all) = std::str::from_utf8(out)
            && ends.iter().all(|&e| all.is_char_boundary(e))
        {
            let mut start = 0;
            for &end in ends {
                fields.push(Cow::Borrowed(&all[start..end]));
                start = end;
            }
            return f(&fields, false);
        }
        let mut latin1 = false;
        let mut start = 0;
        for &end in ends {
            let b = &out[start..end];
            match std::str::from_utf8(b) {
                Ok(s) => fields.push(Cow::Borrowed(s)),
                Err(_) => {
                    latin1 = true;
                    fields.push(Cow::Owned(b.iter().map(|&c| char::from(c)).collect()));
                }
            }
            start = end;
        }
        f(&fields, latin1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csvio::RecordReader;

    #[test]
    fn unquoted_fast_path_splits_like_csv_core() {
        // Every record over a small alphabet up to length 6 (with and
        // without a non-ASCII letter), for three delimiters: the fast path
        // gives what csv-core gives.
        let alphabet: [&[u8]; 8] = [
            b"a",
            b",",
            b";",
            b" ",
            b"\"",
            b"\r",
            b"\n",
            "\u{e9}".as_bytes(),
        ];
        let mut records: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last = records.clone();
        for _ in 0..5 {
            let next: Vec<Vec<u8>> = last
                .iter()
                .flat_map(|r| {
                    alphabet.iter().map(move |c| {
                        let mut r = r.clone();
                        r.extend_from_slice(c);
                        r
                    })
                })
                .collect();
            records.extend(next.iter().cloned());
            last = next;
        }
        for delimiter in [b',', b';', b'\t'] {
            for r in &records {
                let rec = RawRecord::from_bytes(r.clone(), 1, delimiter);
                let slow = split(&rec, delimiter);
                with_fields(&rec, delimiter, |fields, _| {
                    let fast: Vec<&str> = fields.iter().map(|f| f.as_ref()).collect();
                    assert_eq!(fast, slow.fields, "{r:?}");
                });
            }
        }
    }

    #[test]
    fn same_fields_as_csvio() {
        let data = b"a,\"b,c\",\"d\"\"e\"\n,,\nJOS\xe9,x\nJOS\xc3\xa9,\"\xc3\xa9\",y\n\"multi\nline\",y\nlast";
        let mut r = RecordReader::new(&data[..], b',');
        while let Some(rec) = r.next_record().unwrap() {
            let ours = split(&rec, b',');
            let theirs = rec.fields();
            assert_eq!(ours.fields.len(), theirs.len());
            for (a, b) in ours.fields.iter().zip(&theirs) {
                assert_eq!(a, &b.text);
            }
            with_fields(&rec, b',', |fields, latin1| {
                assert_eq!(fields.len(), ours.fields.len());
                for (a, b) in fields.iter().zip(&ours.fields) {
                    assert_eq!(a, b);
                }
                assert_eq!(latin1, theirs.iter().any(|f| f.latin1));
            });
        }
    }
}
