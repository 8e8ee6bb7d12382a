//! `normalize`: Unicode folding, punctuation, whitespace and title removal.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::buf::{Sink, StackStr};
use super::titles::{self, PRE, SUF, Title, TitleKind, TitlePosition};

/// A name after [`normalize`].
///
/// Three views of it:
///
/// - [`display`](Self::display): what a clerk should see and store — NFKC,
///   diacritics folded, uppercase, titles removed, whitespace collapsed, with
///   apostrophes and hyphens inside a word kept as `'` and `-`
///   (`MA'RUF AMIN`, `NUR-AINI`);
/// - [`as_str`](Self::as_str): the comparison form, the same tokens with the
///   apostrophe dropped and the hyphen made a space (`MARUF AMIN`,
///   `NUR AINI`); [`matching_key`](super::matching_key) starts from here;
/// - [`removed`](Self::removed): every title taken out, as written, with
///   its kind, its position and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NormalizedName {
    display: String,
    normalized: String,
    removed: Vec<RemovedTitle>,
}

impl NormalizedName {
    /// The display form, e.g. `MA'RUF AMIN`.
    pub fn display(&self) -> &str {
        &self.display
    }
    /// The comparison form, e.g. `MARUF AMIN`.
    pub fn as_str(&self) -> &str {
        &self.normalized
    }
    /// Titles removed, in the order they stood.
    pub fn removed(&self) -> &[RemovedTitle] {
        &self.removed
    }
    /// The space-separated tokens of the comparison form.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.normalized.split(' ').filter(|t| !t.is_empty())
    }
    /// Nothing of a name is left.
    pub fn is_empty(&self) -> bool {
        self.normalized.is_empty()
    }
    /// The [`matching_key`](super::matching_key) of this name.
    pub fn matching_key(&self) -> String {
        let mut out = String::new();
        super::key::key_from_normalized(self.normalized.as_bytes(), &mut out);
        out
    }
    /// Takes the display form out.
    pub fn into_display(self) -> String {
        self.display
    }
}

impl core::fmt::Display for NormalizedName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.display)
    }
}

/// One title that [`normalize`] removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedTitle {
    /// As written in the input, uppercased and folded, e.g. `S.PD.`.
    pub text: String,
    /// The usual written form, e.g. `S.Pd.`.
    pub title: &'static str,
    /// Academic, religious, professional, honorific or status.
    pub kind: TitleKind,
    /// Before the name, after it, or after a comma.
    pub position: TitlePosition,
    /// What the title stands for, e.g. `Sarjana Pendidikan`.
    pub meaning: &'static str,
}

/// Normalizes a name for display and comparison.
///
/// ```
/// use ktpel_core::name::normalize;
/// let n = normalize("Hj. Siti Aminah, S.Pd.");
/// assert_eq!(n.display(), "SITI AMINAH");
/// let removed: Vec<&str> = n.removed().iter().map(|r| r.title).collect();
/// assert_eq!(removed, ["Hj.", "S.Pd."]);
///
/// assert_eq!(normalize("  Ma’ruf   Amin ").display(), "MA'RUF AMIN");
/// assert_eq!(normalize("Ma’ruf Amin").as_str(), "MARUF AMIN");
/// assert_eq!(normalize("Nur-Aini").as_str(), "NUR AINI");
/// assert_eq!(normalize("HAJI").display(), "HAJI"); // a name, not a title
/// assert_eq!(normalize("Dr. H. M. Arief, S.H., M.Kn.").display(), "M ARIEF");
/// ```
pub fn normalize(input: &str) -> NormalizedName {
    let mut display = String::new();
    let mut normalized = String::new();
    let mut removed = Vec::new();
    run(
        input,
        Some(&mut display),
        &mut normalized,
        Some(&mut removed),
    );
    NormalizedName {
        display,
        normalized,
        removed,
    }
}

/// Only the comparison form (no display form, no list of titles): the fast
/// path of [`matching_key`](super::matching_key).
pub(crate) fn normalized_only(input: &str, out: &mut String) {
    run(input, None, out, None);
}

// ---------------------------------------------------------------------------
// Folding

/// Appends the folded form of `input` to `out`: NFKC, diacritics removed,
/// uppercase, typographic apostrophes and dashes made ASCII, whitespace and
/// control characters made spaces, format characters dropped.
pub(crate) fn fold(input: &str, out: &mut String) {
    out.reserve(input.len());
    if input.is_ascii() {
        out.extend(input.bytes().map(|b| fold_ascii_byte(b) as char));
        return;
    }
    for c in input.nfkc() {
        if c.is_ascii() {
            fold_ascii_char(c, out);
            continue;
        }
        decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                fold_char(d, out);
            }
        });
    }
}

/// The folded form of one ASCII byte: uppercase, controls and space made
/// spaces, the backtick made an apostrophe. Shared by [`fold`] and the ASCII
/// fast path, so that both fold alike.
#[inline]
pub(crate) fn fold_ascii_byte(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => b - 32,
        0..=0x20 | 0x7f => b' ',
        b'`' => b'\'',
        _ => b,
    }
}

#[inline]
fn fold_ascii_char(c: char, out: &mut String) {
    // `c` is ASCII here, so the byte and the char are one.
    out.push(fold_ascii_byte(c as u8) as char);
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        fold_ascii_char(c, out);
        return;
    }
    let s: &str = match c {
        // apostrophes, primes and modifier letters used as apostrophes
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{02BB}' | '\u{02BD}'
        | '\u{02B9}' | '\u{00B4}' | '\u{2032}' | '\u{02C8}' => "'",
        // dashes and hyphens
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{2043}' => "-",
        // invisible: soft hyphen, zero-width characters, BOM
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        // letters without a canonical decomposition
        'ß' | 'ẞ' => "SS",
        'æ' | 'Æ' => "AE",
        'œ' | 'Œ' => "OE",
        'ø' | 'Ø' => "O",
        'đ' | 'Đ' | 'ð' | 'Ð' => "D",
        'ł' | 'Ł' => "L",
        'ı' => "I",
        'ŧ' | 'Ŧ' => "T",
        'ħ' | 'Ħ' => "H",
        'þ' | 'Þ' => "TH",
        'ŋ' | 'Ŋ' => "NG",
        _ => {
            if c.is_whitespace() || c.is_control() {
                out.push(' ');
            } else if c.is_alphabetic() || c.is_numeric() {
                for u in c.to_uppercase() {
                    out.push(u);
                }
            } else {
                // any other symbol or punctuation separates words
                out.push(' ');
            }
            return;
        }
    };
    out.push_str(s);
}

// ---------------------------------------------------------------------------
// Tokenizing

/// A run of word characters between dots, spaces and other separators.
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: u32,
    end: u32,
    /// Followed directly by a dot.
    dotted: bool,
    /// Follows the previous piece's dot directly, without a space (`S.Pd`).
    tight: bool,
    /// Index of the comma-separated segment (0 = before the first comma).
    seg: u16,
    /// Made of ASCII letters (and `'`/`-`) only, so it may be part of a title.
    letters: bool,
    /// Title matched here, decided later.
    kind: PieceKind,
}

#[derive(Clone, Copy, Debug)]
enum PieceKind {
    Name,
    /// First piece of a removed title spanning `len` pieces.
    TitleStart {
        len: u8,
        pos: TitlePosition,
        title: &'static Title,
    },
    /// A later piece of a removed title.
    TitleRest,
}

#[inline]
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\'' || b == b'-' || b >= 0x80
}

impl Piece {
    const EMPTY: Piece = Piece {
        start: 0,
        end: 0,
        dotted: false,
        tight: false,
        seg: 0,
        letters: false,
        kind: PieceKind::Name,
    };
}

/// Where [`pieces`] puts the pieces: a `Vec` on the general path, a
/// [`PieceArray`] on the fast path.
trait PieceSink {
    /// Appends a piece; false if there is no room.
    fn push_piece(&mut self, p: Piece) -> bool;
    fn last_piece(&self) -> Option<&Piece>;
}

impl PieceSink for Vec<Piece> {
    #[inline]
    fn push_piece(&mut self, p: Piece) -> bool {
        self.push(p);
        true
    }
    #[inline]
    fn last_piece(&self) -> Option<&Piece> {
        self.last()
    }
}

/// Most pieces the fast path handles; more go to the general path.
const FAST_PIECES: usize = 16;

/// A fixed array of pieces on the stack.
struct PieceArray {
    ps: [Piece; FAST_PIECES],
    n: usize,
}

impl PieceSink for PieceArray {
    #[inline]
    fn push_piece(&mut self, p: Piece) -> bool {
        if self.n == FAST_PIECES {
            return false;
        }
        self.ps[self.n] = p;
        self.n += 1;
        true
    }
    #[inline]
    fn last_piece(&self) -> Option<&Piece> {
        self.ps[..self.n].last()
    }
}

/// Splits `s` into pieces; false if `out` ran out of room.
fn pieces(s: &str, out: &mut impl PieceSink) -> bool {
    let bytes = s.as_bytes();
    let mut seg: u16 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_word_byte(b) {
            let start = i;
            let mut letters = true;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                let c = bytes[i];
                if !(c.is_ascii_uppercase() || c == b'\'' || c == b'-') {
                    letters = false;
                }
                i += 1;
            }
            let dotted = i < bytes.len() && bytes[i] == b'.';
            if bytes[start..i].iter().all(|&c| c == b'\'' || c == b'-') {
                // only apostrophes and hyphens: not a word
                continue;
            }
            let tight = out
                .last_piece()
                .is_some_and(|p: &Piece| p.dotted && p.end as usize + 1 == start);
            let pushed = out.push_piece(Piece {
                start: start as u32,
                end: i as u32,
                dotted,
                tight,
                seg,
                letters,
                kind: PieceKind::Name,
            });
            if !pushed {
                return false;
            }
        } else {
            if b == b',' || b == b';' {
                // a new segment only once something came before it
                if let Some(last) = out.last_piece() {
                    if last.seg == seg {
                        seg = seg.saturating_add(1);
                    }
                }
            }
            i += 1;
        }
    }
    true
}

/// The flat form (letters only) of pieces `i..=j` into `buf`; `None` if a
/// piece is not all letters or the result is too long to be a title.
fn flat_of<'b>(
    s: &[u8],
    ps: &[Piece],
    i: usize,
    j: usize,
    buf: &'b mut [u8; 12],
) -> Option<&'b [u8]> {
    let mut n = 0;
    for p in &ps[i..=j] {
        if !p.letters {
            return None;
        }
        for &c in &s[p.start as usize..p.end as usize] {
            if c.is_ascii_uppercase() {
                if n == buf.len() {
                    return None;
                }
                buf[n] = c;
                n += 1;
            }
        }
    }
    Some(&buf[..n])
}

/// The longest title made of pieces `i..=j` (`j` from `i` up to `i + 3`,
/// earlier pieces dotted, all in one segment, and with `spaced` false all in
/// one word: `S.Pd` but not `S. Pd`) allowed by `ok`; returns the title and
/// the number of pieces.
fn longest_at(
    s: &[u8],
    ps: &[Piece],
    i: usize,
    limit: usize,
    spaced: bool,
    ok: impl Fn(&Title, bool) -> bool,
) -> Option<(&'static Title, usize)> {
    let mut buf = [0u8; 12];
    let mut last = i;
    while last + 1 < limit
        && last < i + 3
        && ps[last].dotted
        && ps[last + 1].seg == ps[i].seg
        && (spaced || ps[last + 1].tight)
    {
        last += 1;
    }
    let mut j = last + 1;
    while j > i {
        j -= 1;
        if let Some(flat) = flat_of(s, ps, i, j, &mut buf) {
            if let Some(t) = titles::lookup(flat) {
                let dotted = j > i || ps[j].dotted;
                if ok(t, dotted) {
                    return Some((t, j - i + 1));
                }
            }
        }
    }
    None
}

/// The longest title made of pieces `i..=end` for some `i` (the span ends at
/// `end`, earlier pieces dotted), allowed by `ok`; returns title and start.
fn longest_ending_at(
    s: &[u8],
    ps: &[Piece],
    end: usize,
    floor: usize,
    ok: impl Fn(&Title, bool, usize) -> bool,
) -> Option<(&'static Title, usize)> {
    let mut buf = [0u8; 12];
    let mut first = end;
    while first > floor
        && end - first < 3
        && ps[first - 1].dotted
        && ps[first - 1].seg == ps[end].seg
    {
        first -= 1;
    }
    for i in first..=end {
        if let Some(flat) = flat_of(s, ps, i, end, &mut buf) {
            if let Some(t) = titles::lookup(flat) {
                let dotted = end > i || ps[end].dotted;
                if ok(t, dotted, i) {
                    return Some((t, i));
                }
            }
        }
    }
    None
}

fn mark(ps: &mut [Piece], i: usize, len: usize, pos: TitlePosition, t: &'static Title) {
    ps[i].kind = PieceKind::TitleStart {
        len: len as u8,
        pos,
        title: t,
    };
    for p in &mut ps[i + 1..i + len] {
        p.kind = PieceKind::TitleRest;
    }
}

/// Decides which pieces are titles.
fn find_titles(s: &[u8], ps: &mut [Piece]) {
    let n = ps.len();
    let seg0_end = ps.iter().position(|p| p.seg > 0).unwrap_or(n);

    // 1. After a comma: any known title, dotted or not.
    let mut i = seg0_end;
    while i < n {
        match longest_at(s, ps, i, n, true, |_, _| true) {
            Some((t, len)) => {
                mark(ps, i, len, TitlePosition::AfterComma, t);
                i += len;
            }
            None => i += 1,
        }
    }
    // The first piece is always in segment 0; step 1 removes titles only,
    // and steps 2 and 3 keep at least one name piece, so something of the
    // name always remains.

    // 2. Leading titles before the name, while a name piece remains after
    //    (in segment 0 or after the comma).
    let names_after_comma = ps[seg0_end..]
        .iter()
        .any(|p| matches!(p.kind, PieceKind::Name));
    let mut i = 0;
    while i < seg0_end {
        // The title may not take the last piece of segment 0 unless a name
        // follows the comma: the longest title that leaves a name is taken.
        let limit = if names_after_comma {
            seg0_end
        } else {
            seg0_end - 1
        };
        if i >= limit {
            break;
        }
        let found = longest_at(s, ps, i, limit, false, |t, dotted| {
            t.pos & PRE != 0 && (t.bare_ok || dotted)
        });
        match found {
            Some((t, len)) => {
                mark(ps, i, len, TitlePosition::Prefix, t);
                i += len;
            }
            None => break,
        }
    }
    let lead_end = i;

    // 3. Trailing titles after the name (no comma), while name pieces
    //    remain: a bare title needs two name pieces before it, a dotted one
    //    one. The longest title that leaves enough is taken.
    let mut end = seg0_end;
    while end > lead_end {
        let found = longest_ending_at(s, ps, end - 1, lead_end, |t, dotted, start| {
            let need = if dotted { 1 } else { 2 };
            t.pos & SUF != 0 && (dotted || t.bare_ok) && start - lead_end >= need
        });
        match found {
            Some((t, start)) => {
                mark(ps, start, end - start, TitlePosition::Suffix, t);
                end = start;
            }
            None => break,
        }
    }
}

// ---------------------------------------------------------------------------
// Assembling

/// Pushes one name piece: trims leading/trailing `'`/`-`, collapses runs.
fn push_piece(piece: &str, display: Option<&mut String>, normalized: &mut impl Sink) {
    if !piece.bytes().any(|b| b == b'\'' || b == b'-') {
        // the common case: nothing to trim or rewrite
        if let Some(d) = display {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push_str(piece);
        }
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.push_str(piece);
        return;
    }
    let trimmed = piece.trim_matches(|c| c == '\'' || c == '-');
    if trimmed.is_empty() {
        return;
    }
    if let Some(d) = display {
        if !d.is_empty() {
            d.push(' ');
        }
        // A run of apostrophes and hyphens becomes one mark: a hyphen if the
        // run has one (it separates words), else an apostrophe.
        let mut run: Option<char> = None;
        for c in trimmed.chars() {
            if c == '\'' || c == '-' {
                run = Some(if c == '-' || run == Some('-') {
                    '-'
                } else {
                    '\''
                });
                continue;
            }
            if let Some(m) = run.take() {
                d.push(m);
            }
            d.push(c);
        }
    }
    if !normalized.is_empty() {
        normalized.push(' ');
    }
    let mut prev_space = false;
    for c in trimmed.chars() {
        match c {
            '\'' => {}
            '-' => {
                if !prev_space {
                    normalized.push(' ');
                    prev_space = true;
                }
            }
            _ => {
                normalized.push(c);
                prev_space = false;
            }
        }
    }
}

fn run(
    input: &str,
    mut display: Option<&mut String>,
    normalized: &mut String,
    removed: Option<&mut Vec<RemovedTitle>>,
) {
    let mut folded = String::new();
    fold(input, &mut folded);
    let mut ps: Vec<Piece> = Vec::with_capacity(8);
    // A Vec always has room.
    let _ = pieces(&folded, &mut ps);
    let s = folded.as_bytes();
    find_titles(s, &mut ps);

    if let Some(removed) = removed {
        for (i, p) in ps.iter().enumerate() {
            if let PieceKind::TitleStart { len, pos, title: t } = p.kind {
                let last = &ps[i + len as usize - 1];
                let end = last.end as usize + usize::from(last.dotted);
                removed.push(RemovedTitle {
                    text: String::from(&folded[p.start as usize..end]),
                    title: t.written,
                    kind: t.kind,
                    position: pos,
                    meaning: t.meaning,
                });
            }
        }
    }
    normalized.reserve(folded.len());
    if let Some(d) = display.as_deref_mut() {
        d.reserve(folded.len());
    }
    assemble(&folded, &ps, display, normalized);
}

/// Writes the name pieces of `folded` (titles left out).
fn assemble(
    folded: &str,
    ps: &[Piece],
    mut display: Option<&mut String>,
    normalized: &mut impl Sink,
) {
    for p in ps {
        if matches!(p.kind, PieceKind::Name) {
            push_piece(
                &folded[p.start as usize..p.end as usize],
                display.as_deref_mut(),
                normalized,
            );
        }
    }
}

// ---------------------------------------------------------------------------
// ASCII fast path

/// Longest input (bytes) the ASCII fast path takes.
pub(crate) const FAST_MAX: usize = 64;

/// The comparison form of `input` (as [`normalized_only`] writes it) into a
/// stack buffer, without allocating: for ASCII names of at most
/// [`FAST_MAX`] bytes and [`FAST_PIECES`] pieces, which is nearly every
/// register name. Returns false, with `out` unusable, for any other input;
/// the caller then takes the general path.
///
/// It is the general path with other buffers, not a second implementation:
/// for ASCII input [`fold`] is the byte map [`fold_ascii_byte`] (NFKC leaves
/// ASCII unchanged), and the pieces, titles and assembly are the same
/// functions. Property tests compare both on arbitrary strings and on every
/// name of the test vectors.
pub(crate) fn normalized_fast(input: &str, out: &mut StackStr<FAST_MAX>) -> bool {
    let bytes = input.as_bytes();
    if bytes.len() > FAST_MAX || !bytes.is_ascii() {
        return false;
    }
    let mut buf = [0u8; FAST_MAX];
    for (o, &c) in buf.iter_mut().zip(bytes) {
        *o = fold_ascii_byte(c);
    }
    let Ok(folded) = core::str::from_utf8(&buf[..bytes.len()]) else {
        return false;
    };
    let mut ps = PieceArray {
        ps: [Piece::EMPTY; FAST_PIECES],
        n: 0,
    };
    if !pieces(folded, &mut ps) {
        return false;
    }
    let ps = &mut ps.ps[..ps.n];
    find_titles(folded.as_bytes(), ps);
    assemble(folded, ps, None, out);
    !out.overflowed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn titles_of(s: &str) -> Vec<&'static str> {
        normalize(s).removed().iter().map(|r| r.title).collect()
    }

    #[test]
    fn titles_removed() {
        assert_eq!(normalize("Hj. Siti Aminah, S.Pd.").display(), "SITI AMINAH");
        assert_eq!(
            normalize("PROF. DR. IR. H. BAMBANG SUTRISNO, M.SC., PH.D").display(),
            "BAMBANG SUTRISNO"
        );
        assert_eq!(
            normalize("DRS. AHMAD SUDRAJAT, M.M").display(),
            "AHMAD SUDRAJAT"
        );
        assert_eq!(normalize("BUDI SANTOSO SE").display(), "BUDI SANTOSO");
        assert_eq!(normalize("BUDI SE").display(), "BUDI SE");
        assert_eq!(normalize("SITI AMINAH S.PD.I").display(), "SITI AMINAH");
        assert_eq!(normalize("RINA, S. Pd., M. Pd.").display(), "RINA");
        assert_eq!(normalize("dr. Andi Wijaya, Sp.A").display(), "ANDI WIJAYA");
        assert_eq!(normalize("NY. SITI").display(), "SITI");
        assert_eq!(normalize("MEI LING").display(), "MEI LING");
        assert_eq!(normalize("LINA MEI").display(), "LINA MEI");
        assert_eq!(normalize("DRAJAT").display(), "DRAJAT");
        assert_eq!(normalize("H").display(), "H");
        assert_eq!(normalize("HAJI").display(), "HAJI");
        assert_eq!(normalize("H. M. ARIF").display(), "M ARIF");
        assert_eq!(normalize("K.H. Ahmad Dahlan").display(), "AHMAD DAHLAN");
        assert_eq!(normalize("ST. AMINAH").display(), "ST AMINAH");
        assert_eq!(
            titles_of("Dr. H. M. Arief, S.H., M.Kn."),
            vec!["Dr.", "H.", "S.H.", "M.Kn."]
        );
        assert_eq!(normalize("SITI AMINAH (ALM)").display(), "SITI AMINAH");
    }

    #[test]
    fn folding() {
        assert_eq!(normalize("José  Ramos-Horta").display(), "JOSE RAMOS-HORTA");
        assert_eq!(normalize("Ｓｉｔｉ　Ａｍｉｎａｈ").display(), "SITI AMINAH");
        assert_eq!(normalize("MA''RUF").display(), "MA'RUF");
        assert_eq!(normalize("'ARIF-").display(), "ARIF");
        assert_eq!(normalize("Nur—Aini").as_str(), "NUR AINI");
        assert_eq!(normalize("SIT\u{200B}I").display(), "SITI");
    }

    #[test]
    fn idempotent_on_fuzz_findings() {
        for s in [
            "`\0H\u{1}\0\0\u{FFFD}D",
            "iR,I",
            "' H D",
            "- DR. ARIF",
            "`h.`J",
            "H.J",
            "A B S.E",
        ] {
            let n = normalize(s);
            assert_eq!(normalize(n.display()).display(), n.display(), "{s:?}");
        }
        assert_eq!(normalize("' H D").display(), "D");
    }
}
