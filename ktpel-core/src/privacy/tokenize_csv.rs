//! Streaming CSV tokenization: NIK columns replaced by NIK tokens, name +
//! birth-date column pairs by element tokens; a row that cannot be
//! tokenized keeps its place with empty tokens and its codes in
//! `TOKEN_ERROR`.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use chrono::NaiveDate;

use super::{PrivacyError, TokenKey};
use crate::HasCode;
use crate::csvio::RecordReader;
use crate::matching::Mapping;

/// A column (or column pair) to tokenize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenColumn {
    /// A NIK column, replaced by its NIK token.
    Nik(String),
    /// A name column and a birth-date column: the name column receives the
    /// element token, the birth-date column is removed.
    Element {
        /// The name column.
        name: String,
        /// The birth-date column.
        birth_date: String,
    },
}

impl TokenColumn {
    /// Parses `NIK,NAMA_LGKP+TGL_LHR` (comma-separated; `A+B` is a name +
    /// birth-date pair).
    pub fn parse_list(spec: &str) -> Vec<TokenColumn> {
        spec.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s.split_once('+') {
                Some((n, d)) => TokenColumn::Element {
                    name: n.trim().into(),
                    birth_date: d.trim().into(),
                },
                None => TokenColumn::Nik(s.into()),
            })
            .collect()
    }
}

/// Counts of one [`tokenize_csv`] run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TokenizeSummary {
    /// Data rows read (= rows written).
    pub rows: u64,
    /// Rows with every requested token.
    pub tokenized: u64,
    /// Rows with at least one error.
    pub with_errors: u64,
    /// Errors by code.
    pub codes: BTreeMap<&'static str, u64>,
}

/// Tokenizes a CSV stream (`,`-separated, header first; BOM, CRLF and
/// Latin-1 tolerated as everywhere in ktpel). NIKs are checked strictly
/// against `reference`; dates are read as the matching module reads them
/// (`DD-MM-YYYY`, `YYYY-MM-DD`, `DD/MM/YYYY`, `DD.MM.YYYY`).
///
/// Output: the header without the birth-date columns of element pairs, plus
/// `TOKEN_ERROR` (`COLUMN:CODE;…`, empty when all went well). Every input
/// row gives one output row.
pub fn tokenize_csv<R: Read, W: Write>(
    input: R,
    mut output: W,
    key: &TokenKey,
    columns: &[TokenColumn],
    reference: NaiveDate,
) -> Result<TokenizeSummary, PrivacyError> {
    let ioerr = |e: std::io::Error| PrivacyError::Io {
        path: "(stream)".into(),
        reason: e.to_string(),
    };
    let mut reader = RecordReader::new(input, b',');
    let mut summary = TokenizeSummary::default();
    let Some(head) = reader.next_record().map_err(ioerr)? else {
        return Ok(summary);
    };
    let header: Vec<String> = head
        .fields()
        .iter()
        .map(|f| f.text.trim().to_string())
        .collect();
    let find = |c: &str| {
        header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(c))
            .ok_or_else(|| PrivacyError::ColumnNotFound {
                column: c.into(),
                available: header.join(","),
            })
    };
    // (kind, main column, date column)
    let mut plan: Vec<(bool, usize, usize)> = Vec::new();
    for c in columns {
        match c {
            TokenColumn::Nik(n) => plan.push((true, find(n)?, usize::MAX)),
            TokenColumn::Element { name, birth_date } => {
                plan.push((false, find(name)?, find(birth_date)?))
            }
        }
    }
    let dates = Mapping::dukcapil()
        .bind(&header)
        .map_err(|_| PrivacyError::InvalidDate)?;
    let dropped: Vec<usize> = plan.iter().filter(|p| !p.0).map(|p| p.2).collect();
    let keep: Vec<usize> = (0..header.len()).filter(|i| !dropped.contains(i)).collect();
    let mut line = Vec::with_capacity(256);
    let mut out_header: Vec<&str> = keep.iter().map(|&i| header[i].as_str()).collect();
    out_header.push("TOKEN_ERROR");
    crate::validate::write_csv_row(&mut line, out_header.iter().copied(), b',');
    output.write_all(&line).map_err(ioerr)?;
    let mut values: Vec<String> = Vec::new();
    while let Some(rec) = reader.next_record().map_err(ioerr)? {
        summary.rows += 1;
        let fields = rec.fields();
        let mut errors: Vec<(String, &'static str)> = Vec::new();
        values.clear();
        if rec.unbalanced_quote || fields.len() != header.len() {
            // Nothing of a broken row is passed on in clear.
            values.resize(keep.len(), String::new());
            errors.push((String::new(), crate::Code::MalformedRow.as_str()));
        } else {
            values.extend(fields.iter().map(|f| f.text.trim().to_string()));
            for &(is_nik, col, date_col) in &plan {
                let result = if is_nik {
                    key.tokenize_nik_at(&values[col], reference)
                } else {
                    let d = values[date_col].as_str();
                    let date = if d.is_empty() {
                        Ok(None)
                    } else {
                        dates
                            .parse_date(d)
                            .map(Some)
                            .ok_or(PrivacyError::InvalidDate)
                    };
                    date.and_then(|date| key.tokenize_element(&values[col], date))
                };
                match result {
                    Ok(t) => values[col] = t,
                    Err(e) => {
                        values[col].clear();
                        errors.push((header[col].clone(), e.code().as_str()));
                    }
                }
            }
            let mut kept = Vec::with_capacity(keep.len());
            for &i in &keep {
                kept.push(std::mem::take(&mut values[i]));
            }
            values = kept;
        }
        if errors.is_empty() {
            summary.tokenized += 1;
        } else {
            summary.with_errors += 1;
        }
        for (_, c) in &errors {
            *summary.codes.entry(c).or_default() += 1;
        }
        let err_text = errors
            .iter()
            .map(|(c, code)| {
                if c.is_empty() {
                    code.to_string()
                } else {
                    format!("{c}:{code}")
                }
            })
            .collect::<Vec<_>>()
            .join(";");
        line.clear();
        crate::validate::write_csv_row(
            &mut line,
            values.iter().map(String::as_str).chain([err_text.as_str()]),
            b',',
        );
        output.write_all(&line).map_err(ioerr)?;
    }
    output.flush().map_err(ioerr)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_and_reports_per_row() {
        let key = TokenKey::new("T", &[3; 32]).unwrap();
        let input = "NIK,NAMA_LGKP,TGL_LHR,KOTA\n3174015708900123,SITI AMINAH,17-08-1990,JAKARTA\n123,NN,xx,BOGOR\n";
        let mut out = Vec::new();
        let s = tokenize_csv(
            input.as_bytes(),
            &mut out,
            &key,
            &TokenColumn::parse_list("NIK,NAMA_LGKP+TGL_LHR"),
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "NIK,NAMA_LGKP,KOTA,TOKEN_ERROR");
        assert!(
            lines[1].starts_with("N1T-")
                && lines[1].contains(",E1T-")
                && lines[1].ends_with(",JAKARTA,")
        );
        assert_eq!(
            lines[2],
            ",,BOGOR,NIK:WRONG_LENGTH;NAMA_LGKP:UNPARSEABLE_DATE"
        );
        assert_eq!((s.rows, s.tokenized, s.with_errors), (2, 1, 1));
        assert!(!text.contains("3174015708900123") && !text.contains("SITI"));
    }
}
