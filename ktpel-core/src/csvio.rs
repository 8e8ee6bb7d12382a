//! Robust CSV reading for agency files: every physical input ends up in
//! exactly one record, whatever its defects.
//!
//! A general CSV parser lets an unclosed quote swallow the rest of the file
//! into one field. Agency exports do contain such rows, so records are cut
//! here first: a line whose quotes are unbalanced is joined with the next
//! lines only while that is plausible (at most [`MAX_JOINED_LINES`] lines and
//! [`MAX_RECORD_BYTES`] bytes); if the quote never closes, the first line
//! alone becomes a record flagged [`RawRecord::unbalanced_quote`] and reading
//! resumes at the following line. (An unclosed quote followed, within the
//! limits, by a line with an odd number of quotes is indistinguishable from
//! a multi-line field and is joined with it.) Each record is then split into fields by
//! `csv-core` (RFC 4180: quoted fields, doubled quotes, CRLF). Fields that are
//! not UTF-8 are decoded as Latin-1, the usual Windows export encoding, and
//! flagged.
//!
//! ```
//! use ktpel_core::csvio::RecordReader;
//! let data = b"A,B\n\"multi\nline\",y\n1,\"unclosed\n2,x\n";
//! let mut r = RecordReader::new(&data[..], b',');
//! let mut rows = Vec::new();
//! while let Some(rec) = r.next_record().unwrap() {
//!     rows.push((rec.fields().iter().map(|f| f.text.to_string()).collect::<Vec<_>>(), rec.unbalanced_quote));
//! }
//! assert_eq!(rows.len(), 4);
//! assert_eq!(rows[1].0, ["multi\nline", "y"]);
//! assert!(rows[2].1);                       // the unclosed quote is one bad row
//! assert_eq!(rows[3].0, ["2", "x"]);        // and the next row survives
//! ```

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

/// Most physical lines one quoted field may span.
pub const MAX_JOINED_LINES: usize = 16;
/// Most bytes one record may have before an unclosed quote is given up on.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// One logical record, not yet split into fields.
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    /// The bytes of the record without the final line break.
    pub bytes: Vec<u8>,
    /// 1-based physical line where the record starts.
    pub line: u64,
    /// A quote was opened and never closed within the limits.
    pub unbalanced_quote: bool,
    delimiter: u8,
}

/// One field of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The text (unquoted; Latin-1 decoded when not UTF-8).
    pub text: Cow<'a, str>,
    /// The bytes were not UTF-8 and were read as Latin-1.
    pub latin1: bool,
}

impl RawRecord {
    /// A record from bytes already cut out of a file (no final line break).
    pub(crate) fn from_bytes(bytes: Vec<u8>, line: u64, delimiter: u8) -> RawRecord {
        RawRecord {
            bytes,
            line,
            unbalanced_quote: false,
            delimiter,
        }
    }

    /// Splits the record into fields (RFC 4180).
    pub fn fields(&self) -> Vec<Field<'static>> {
        split_fields(&self.bytes, self.delimiter)
            .into_iter()
            .map(|b| match String::from_utf8(b) {
                Ok(s) => Field {
                    text: Cow::Owned(s),
                    latin1: false,
                },
                Err(e) => Field {
                    text: Cow::Owned(e.into_bytes().iter().map(|&c| char::from(c)).collect()),
                    latin1: true,
                },
            })
            .collect()
    }
}

/// A thread's `csv-core` readers (one per delimiter) and scratch buffers.
type Splitters = (Vec<(u8, csv_core::Reader)>, Vec<u8>, Vec<usize>);

std::thread_local! {
    /// Building a `csv-core` reader's DFA costs far more than splitting a
    /// record, so each thread keeps one per delimiter, reset between records,
    /// with its output buffers.
    static SPLITTERS: std::cell::RefCell<Splitters> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
}

/// Splits one record's bytes (RFC 4180) and hands the unquoted field bytes
/// (`out`) and the end offset of each field (`ends`) to `f`, without
/// allocating per record.
pub(crate) fn with_split<R>(
    record: &[u8],
    delimiter: u8,
    f: impl FnOnce(&[u8], &[usize]) -> R,
) -> R {
    SPLITTERS.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let (readers, out, ends) = &mut *scratch;
        let i = match readers.iter().position(|(d, _)| *d == delimiter) {
            Some(i) => i,
            None => {
                readers.push((
                    delimiter,
                    csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
                ));
                readers.len() - 1
            }
        };
        let rdr = &mut readers[i].1;
        rdr.reset();
        out.clear();
        out.resize(record.len() + 1, 0);
        ends.clear();
        ends.resize(record.len() + 2, 0);
        let (mut nin_total, mut nout_total, mut nend_total) = (0, 0, 0);
        loop {
            // An empty input tells csv-core the data ended, which completes the record.
            let input: &[u8] = &record[nin_total..];
            let (res, nin, nout, nend) =
                rdr.read_record(input, &mut out[nout_total..], &mut ends[nend_total..]);
            nin_total += nin;
            nout_total += nout;
            nend_total += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty if !input.is_empty() => {}
                // Output can never be larger than the input, so the Full cases cannot
                // happen; stop rather than loop.
                _ => break,
            }
        }
        f(&out[..nout_total], &ends[..nend_total])
    })
}

/// Splits one record's bytes into raw field bytes.
fn split_fields(record: &[u8], delimiter: u8) -> Vec<Vec<u8>> {
    with_split(record, delimiter, |out, ends| {
        let mut start = 0;
        ends.iter()
            .map(|&end| {
                let field = out[start..end].to_vec();
                start = end;
                field
            })
            .collect()
    })
}

/// Reads [`RawRecord`]s from any reader. See the module docs.
pub struct RecordReader<R: Read> {
    input: BufReader<R>,
    pending: VecDeque<(Vec<u8>, u64)>,
    line: u64,
    delimiter: u8,
    bytes_read: u64,
    first: bool,
}

impl<R: Read> RecordReader<R> {
    /// A reader splitting on `delimiter` (usually `,` or `;`).
    pub fn new(input: R, delimiter: u8) -> Self {
        RecordReader {
            input: BufReader::with_capacity(1 << 20, input),
            pending: VecDeque::new(),
            line: 0,
            delimiter,
            bytes_read: 0,
            first: true,
        }
    }

    /// Bytes consumed from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    fn next_line(&mut self) -> io::Result<Option<(Vec<u8>, u64)>> {
        if let Some(l) = self.pending.pop_front() {
            return Ok(Some(l));
        }
        let mut buf = Vec::with_capacity(128);
        let n = self.input.read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.bytes_read += n as u64;
        self.line += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        if self.first {
            self.first = false;
            if buf.starts_with(b"\xef\xbb\xbf") {
                buf.drain(..3);
            }
        }
        Ok(Some((buf, self.line)))
    }

    /// The next record, or `None` at the end of the input. Only I/O errors
    /// are errors; defects of the data are flagged on the record.
    pub fn next_record(&mut self) -> io::Result<Option<RawRecord>> {
        let Some((first, line)) = self.next_line()? else {
            return Ok(None);
        };
        let quotes = |b: &[u8]| b.iter().filter(|&&c| c == b'"').count();
        let mut count = quotes(&first);
        if count % 2 == 0 {
            return Ok(Some(RawRecord {
                bytes: first,
                line,
                unbalanced_quote: false,
                delimiter: self.delimiter,
            }));
        }
        // A quoted field spans lines: join until the quotes balance, within limits.
        let mut joined = first.clone();
        let mut taken = Vec::new();
        while count % 2 == 1
            && taken.len() + 1 < MAX_JOINED_LINES
            && joined.len() <= MAX_RECORD_BYTES
        {
            let Some((next, next_line)) = self.next_line()? else {
                break;
            };
            count += quotes(&next);
            joined.push(b'\n');
            joined.extend_from_slice(&next);
            taken.push((next, next_line));
        }
        if count % 2 == 0 {
            return Ok(Some(RawRecord {
                bytes: joined,
                line,
                unbalanced_quote: false,
                delimiter: self.delimiter,
            }));
        }
        // Never closed: the first line alone is the bad record; the rest is re-read.
        for l in taken.into_iter().rev() {
            self.pending.push_front(l);
        }
        Ok(Some(RawRecord {
            bytes: first,
            line,
            unbalanced_quote: true,
            delimiter: self.delimiter,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(data: &[u8]) -> Vec<(Vec<String>, bool, u64)> {
        let mut r = RecordReader::new(data, b',');
        let mut v = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            v.push((
                rec.fields().iter().map(|f| f.text.to_string()).collect(),
                rec.unbalanced_quote,
                rec.line,
            ));
        }
        v
    }

    #[test]
    fn rfc4180_basics() {
        let v = all(b"\xef\xbb\xbfa,b\r\n\"x,y\",\"he said \"\"hi\"\"\"\r\n,\r\nlast");
        assert_eq!(v[0].0, ["a", "b"]);
        assert_eq!(v[1].0, ["x,y", "he said \"hi\""]);
        assert_eq!(v[2].0, ["", ""]);
        assert_eq!(v[3].0, ["last"]);
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn latin1_fields_are_decoded_and_flagged() {
        let mut r = RecordReader::new(&b"JOS\xe9,1\n"[..], b',');
        let rec = r.next_record().unwrap().unwrap();
        let f = rec.fields();
        assert_eq!(f[0].text, "JOSé");
        assert!(f[0].latin1 && !f[1].latin1);
    }

    #[test]
    fn unclosed_quote_costs_one_row() {
        let mut data = b"h\n\"open\n".to_vec();
        for i in 0..100 {
            data.extend_from_slice(format!("row{i}\n").as_bytes());
        }
        let v = all(&data);
        assert_eq!(v.len(), 102);
        assert!(v[1].1);
        assert_eq!(v[2].0, ["row0"]);
        assert_eq!(v[2].2, 3);
    }

    #[test]
    fn semicolon_delimiter() {
        let mut r = RecordReader::new(&b"a;b,c\n"[..], b';');
        assert_eq!(r.next_record().unwrap().unwrap().fields().len(), 2);
    }
}
