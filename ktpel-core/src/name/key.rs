//! `matching_key`, `phonetic_key` and `blocking_keys`.
//!
//! # Matching key rules
//!
//! The matching key starts from the comparison form of [`normalize`](super::normalize)
//! (titles gone, apostrophes dropped, hyphens made spaces) and applies, token
//! by token, in this order:
//!
//! | # | rule | example |
//! |---|---|---|
//! | 1 | digits and anything else that is not a letter are dropped | `SITI 2` → `SITI` |
//! | 2 | a Muhammad variant becomes `MUHAMAD` (full spellings anywhere, `MUHAMMAD MUHAMAD MOHAMMAD MOHAMAD MOCHAMMAD MOCHAMAD MUCHAMMAD MUKHAMAD MUHAMMED MOHAMED …`; the abbreviations `MOCH MOH MOKH MUH MUCH MHD MOHD MUHD` anywhere; `M` and `MD` only as the first of several tokens) | `MOCH. ARIEF`, `M ARIF`, `MUHAMMAD ARIF` → `MUHAMAD ARIEF`, `MUHAMAD ARIF`, `MUHAMAD ARIF` |
//! | 3 | `ST` as the first of several tokens is `SITI`; `ABD` is `ABDUL` | `ST. AMINAH` → `SITI AMINAH`, `ABD. RAHMAN` → `ABDUL RAHMAN` |
//! | 4 | old spelling `OE` → `U` | `SOEKARNO` → `SUKARNO` |
//! | 5 | old spelling `DJ` → `J` | `DJOKO` → `JOKO` (→ `YOKO` by rule 12) |
//! | 6 | old spelling `TJ` → `C` | `TJAHJO` → `CAHJO` (→ `CAHYO`) |
//! | 7 | old spelling `SJ` → `SY`, `NJ` → `NY` | `SJAHRIR` → `SYAHRIR`, `NJOTO` → `NYOTO` |
//! | 8 | old spelling `CH` → `KH` | `CHAIRUL` → `KHAIRUL`, `MOCHTAR` → `MOKHTAR` |
//! | 9 | Arabic transliteration `DH` → `D`, `DZ` → `Z`, `TH` → `T` | `RAMADHAN` → `RAMADAN`, `DZULKIFLI` → `ZULKIFLI`, `FATHUR` → `FATUR` |
//! | 10 | `PH` → `F`, `Q` → `K` | `STEPHANUS` → `STEFANUS`, `TAUFIQ` → `TAUFIK` |
//! | 11 | `Y` at the end of a token after a consonant is `I` | `RUDY` → `RUDI`, `HENDRY` → `HENDRI` |
//! | 12 | `J` and `Y` are one letter, written `Y` (old `J` is modern `Y`, but modern `J` is old `DJ`: only treating them as one letter makes `JUSUF` = `YUSUF` and `DJOKO` = `JOKO` at the same time) | `JUSUF` → `YUSUF`, `JOKO` → `YOKO` |
//! | 13 | doubled letters are collapsed | `ARIFFIN` → `ARIFIN`, `SITTI` → `SITI`, `MUHAMMAD` → `MUHAMAD` |
//!
//! Tokens are kept in their order, separated by one space; the key is used
//! for comparison only, never shown as the person's name.
//!
//! # Phonetic key rules
//!
//! The phonetic key is a blocking key: coarser than the matching key, so that
//! spelling variants of one name share it. From each matching-key token:
//!
//! | # | rule | example |
//! |---|---|---|
//! | 1 | `AI`, `AE` → `E`, `AU` → `O`, `IE` → `I`, `OU` → `U` | `ZAINAL` ~ `ZAENAL`, `TAUFIK` ~ `TOFIK`, `ARIEF` ~ `ARIF` |
//! | 2 | `KH` → `H`, `SY` → `S` | `KHAIRUL` ~ `HAIRUL`, `SYAMSUL` ~ `SAMSUL` |
//! | 3 | `F`, `V`, `P` → `P`; `Z` → `Y` (class of `J`/`Y`); `X` → `KS` | `FITRI` ~ `PITRI`, `ZAENAL` ~ `JAENAL` |
//! | 4 | `Y` after `I` before a vowel is dropped, after a consonant before a vowel it is `I` | `SETIYAWAN` ~ `SETYAWAN` ~ `SETIAWAN` |
//! | 5 | `H` is dropped unless first or between vowels | `RAHMAN` ~ `RACHMAN` ~ `RAMAN`, `FATIMAH` ~ `FATIMA` |
//! | 6 | final `D` → `T`, final `O` → `A` | `AHMAD` ~ `AHMAT`, `SANTOSO` ~ `SANTOSA` |
//! | 7 | `E` → `I`, `O` → `U` | `ERWIN` ~ `IRWIN` |
//! | 8 | doubled letters are collapsed | |

use alloc::string::String;
use alloc::vec::Vec;

use super::buf::{Sink, StackStr};
use super::normalize::{FAST_MAX, normalized_fast, normalized_only};

/// Collapses the matching key of `name`: see the [module rules](self).
///
/// ```
/// use ktpel_core::name::matching_key;
/// assert_eq!(matching_key("SOEKARNO"), matching_key("Sukarno"));
/// assert_eq!(matching_key("DJOKO"), matching_key("JOKO"));
/// assert_eq!(matching_key("JUSUF"), matching_key("YUSUF"));
/// assert_eq!(matching_key("MOCH. ARIEF"), "MUHAMAD ARIEF");
/// assert_eq!(matching_key("M ARIF"), matching_key("MUHAMMAD ARIF"));
/// assert_eq!(matching_key("Hj. Siti Aminah, S.Pd."), "SITI AMINAH");
/// ```
pub fn matching_key(name: &str) -> String {
    let mut key = StackStr::<KEY_CAP>::new();
    if key_fast(name, &mut key) {
        if let Some(k) = key.as_str() {
            return String::from(k);
        }
    }
    matching_key_general(name)
}

/// [`matching_key`] through the general path only (NFKC, heap buffers): what
/// the fast path is tested against.
pub(crate) fn matching_key_general(name: &str) -> String {
    let mut norm = String::new();
    normalized_only(name, &mut norm);
    let mut out = String::with_capacity(norm.len());
    key_from_normalized(&norm, &mut out);
    out
}

/// Capacity of a fast-path key: the comparison form is at most
/// [`FAST_MAX`] bytes and the Muhammad and `ABD`/`ST` rules at most double
/// it in the worst case (`MOH MOH …`); anything longer overflows and takes
/// the general path.
pub(crate) const KEY_CAP: usize = 2 * FAST_MAX;

/// The matching key of `name` into a stack buffer, without allocating;
/// false (with `out` unusable) when the name is not plain ASCII of at most
/// [`FAST_MAX`] bytes, and the general path must be taken. Same result as
/// [`matching_key_general`] whenever it returns true: see
/// [`normalized_fast`].
pub(crate) fn key_fast(name: &str, out: &mut StackStr<KEY_CAP>) -> bool {
    let mut norm = StackStr::<FAST_MAX>::new();
    if !normalized_fast(name, &mut norm) {
        return false;
    }
    let Some(n) = norm.as_str() else {
        return false;
    };
    key_from_normalized(n, out);
    !out.overflowed()
}

/// Muhammad spellings after the generic rules (CH→KH, doubles collapsed).
const MUHAMMAD_FORMS: &[&[u8]] = &[
    b"MAHAMAD",
    b"MHD",
    b"MOCH",
    b"MOH",
    b"MOHAMAD",
    b"MOHAMAT",
    b"MOHAMED",
    b"MOHD",
    b"MOKH",
    b"MOKHAMAD",
    b"MOKHAMED",
    b"MUH",
    b"MUHAMAD",
    b"MUHAMAT",
    b"MUHAMED",
    b"MUHD",
    b"MUKH",
    b"MUKHAMAD",
    b"MUKHAMED",
    b"MUHAMMAD",
    b"MUCH",
    b"MOHAMMAD",
];

/// True for a token, raw or already keyed, that is a Muhammad variant.
fn is_muhammad(raw: &[u8], keyed: &[u8], first_of_many: bool) -> bool {
    if raw.first() != Some(&b'M') || raw.len() > 9 {
        return false;
    }
    if first_of_many && (raw == b"M" || raw == b"MD") {
        return true;
    }
    MUHAMMAD_FORMS.contains(&raw) || MUHAMMAD_FORMS.contains(&keyed)
}

#[inline]
fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Applies rules 4–13 to one ASCII token, appending to `out`.
fn key_token_rules(t: &[u8], out: &mut impl Sink) {
    let start = out.len();
    let n = t.len();
    let mut i = 0;
    #[inline(always)]
    fn push(out: &mut impl Sink, start: usize, b: u8) {
        // rule 13: collapse doubled letters (within the token)
        if out.len() > start && out.as_bytes()[out.len() - 1] == b {
            return;
        }
        out.push(b as char);
    }
    while i < n {
        let c = t[i];
        let next = if i + 1 < n { t[i + 1] } else { 0 };
        let (emit, adv): (&[u8], usize) = match (c, next) {
            (b'O', b'E') => (b"U", 2),
            (b'D', b'J') => (b"Y", 2),
            (b'T', b'J') => (b"C", 2),
            (b'S', b'J') => (b"SY", 2),
            (b'N', b'J') => (b"NY", 2),
            (b'C', b'H') => (b"KH", 2),
            (b'D', b'H') => (b"D", 2),
            (b'D', b'Z') => (b"Z", 2),
            (b'T', b'H') => (b"T", 2),
            (b'P', b'H') => (b"F", 2),
            (b'Q', _) => (b"K", 1),
            (b'J', _) | (b'Y', _) => {
                // rule 11: final Y after a consonant is I
                if c == b'Y' && i + 1 == n && i > 0 && !is_vowel(t[i - 1]) && t[i - 1] != b'Y' {
                    (b"I", 1)
                } else {
                    (b"Y", 1)
                }
            }
            _ => {
                push(out, start, c);
                i += 1;
                continue;
            }
        };
        for &b in emit {
            push(out, start, b);
        }
        i += adv;
    }
}

/// Appends the matching key of an already normalized name to `out`.
pub(crate) fn key_from_normalized(norm: &str, out: &mut impl Sink) {
    let base = out.len();
    out.reserve(norm.len() + 8);
    let ntok = norm.split(' ').filter(|t| !t.is_empty()).count();
    let mut first = true;
    let mut scratch: Vec<u8> = Vec::new();
    let mut stack = [0u8; 32];
    for tok in norm.split(' ') {
        if tok.is_empty() {
            continue;
        }
        let is_first = first;
        first = false;
        // rule 1: letters only
        let letters: &[u8] = if tok.len() <= stack.len() && tok.is_ascii() {
            let mut n = 0;
            for b in tok.bytes().filter(u8::is_ascii_uppercase) {
                stack[n] = b;
                n += 1;
            }
            &stack[..n]
        } else {
            scratch.clear();
            for ch in tok.chars().filter(|c| c.is_alphabetic()) {
                let mut b = [0u8; 4];
                scratch.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            }
            &scratch
        };
        let scratch = letters;
        if scratch.is_empty() {
            continue;
        }
        if out.len() > base {
            out.push(' ');
        }
        let body_start = out.len();
        let first_of_many = is_first && ntok > 1;
        if !scratch.is_ascii() {
            // non-Latin letters: kept as they are
            out.push_str(core::str::from_utf8(scratch).unwrap_or_default());
            continue;
        }
        if first_of_many && scratch == b"ST" {
            out.push_str("SITI");
            continue;
        }
        if scratch == b"ABD" {
            out.push_str("ABDUL");
            continue;
        }
        key_token_rules(scratch, out);
        if is_muhammad(scratch, &out.as_bytes()[body_start..], first_of_many) {
            out.truncate(body_start);
            out.push_str("MUHAMAD");
        }
    }
}

/// Phonetic code of one matching-key token.
pub(crate) fn phonetic_token(t: &[u8], out: &mut Vec<u8>) {
    if !t.is_ascii() {
        out.extend_from_slice(t);
        return;
    }
    // pass 1: digraphs and consonant classes
    let mut a: Vec<u8> = Vec::with_capacity(t.len() + 2);
    let n = t.len();
    let mut i = 0;
    while i < n {
        let c = t[i];
        let next = if i + 1 < n { t[i + 1] } else { 0 };
        match (c, next) {
            (b'A', b'I') | (b'A', b'E') => {
                a.push(b'E');
                i += 2;
            }
            (b'A', b'U') => {
                a.push(b'O');
                i += 2;
            }
            (b'I', b'E') | (b'O', b'U') => {
                a.push(if c == b'I' { b'I' } else { b'U' });
                i += 2;
            }
            (b'K', b'H') => {
                a.push(b'H');
                i += 2;
            }
            (b'S', b'Y') => {
                a.push(b'S');
                i += 2;
            }
            _ => {
                match c {
                    b'F' | b'V' | b'P' => a.push(b'P'),
                    b'Z' | b'J' => a.push(b'Y'),
                    b'X' => a.extend_from_slice(b"KS"),
                    _ => a.push(c),
                }
                i += 1;
            }
        }
    }
    // pass 2: Y before a vowel, H, finals, vowel classes, doubles
    let n = a.len();
    let start = out.len();
    for i in 0..n {
        let c = a[i];
        let prev = if i > 0 { a[i - 1] } else { 0 };
        let next = if i + 1 < n { a[i + 1] } else { 0 };
        let last = i + 1 == n;
        let mapped = match c {
            b'Y' if i > 0 && is_vowel(next) => {
                if prev == b'I' {
                    continue;
                } else if !is_vowel(prev) {
                    b'I'
                } else {
                    b'Y'
                }
            }
            b'H' if i > 0 && !(is_vowel(prev) && is_vowel(next)) => continue,
            b'D' if last => b'T',
            b'O' if last => b'A',
            b'E' => b'I',
            b'O' => b'U',
            _ => c,
        };
        if out.len() > start && out[out.len() - 1] == mapped {
            continue;
        }
        out.push(mapped);
    }
    if out.len() == start {
        out.extend_from_slice(&a[..a.len().min(1)]);
    }
}

/// The phonetic key of a name: the phonetic code of each matching-key token,
/// in order, separated by spaces (see the [module rules](self)).
///
/// ```
/// use ktpel_core::name::phonetic_key;
/// assert_eq!(phonetic_key("ZAINAL ARIFIN"), phonetic_key("JAENAL ARIFFIN"));
/// assert_eq!(phonetic_key("ACHMAD SANTOSO"), phonetic_key("AHMAT SANTOSA"));
/// assert_eq!(phonetic_key("SJAMSUL RACHMAN"), phonetic_key("SAMSUL RAHMAN"));
/// ```
pub fn phonetic_key(name: &str) -> String {
    let key = matching_key(name);
    phonetic_of_key(&key)
}

pub(crate) fn phonetic_of_key(key: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(key.len());
    for tok in key.split(' ').filter(|t| !t.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        phonetic_token(tok.as_bytes(), &mut out);
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Matching-key tokens so common that sharing one says little: they weigh
/// half in [`similarity`](super::similarity) and are not blocking keys on
/// their own. Sorted.
pub const COMMON_TOKENS: &[&str] = &[
    "ABDUL", "AGUS", "AHMAD", "AYU", "BAGUS", "BIN", "BINTI", "DEWI", "GEDE", "GUSTI", "I", "IDA",
    "KADEK", "KETUT", "KOMANG", "LUH", "MADE", "MUHAMAD", "NI", "NUR", "NYOMAN", "PUTRI", "PUTU",
    "SITI", "SRI", "WAYAN",
];

#[inline]
pub(crate) fn is_common(tok: &[u8]) -> bool {
    COMMON_TOKENS
        .binary_search_by(|c| c.as_bytes().cmp(tok))
        .is_ok()
}

/// Blocking keys of a name for the matcher: the distinct phonetic codes of
/// its tokens, leaving out initials and [very common tokens](COMMON_TOKENS)
/// (`MUHAMAD`, `SITI`, `NUR`, `I`, `WAYAN`, …) unless nothing else is left,
/// plus the code of all tokens written together when there are several (so
/// that `NUR AINI` meets `NURAINI`). Two records are compared when they share
/// at least one key. Sorted.
///
/// ```
/// use ktpel_core::name::blocking_keys;
/// assert_eq!(blocking_keys("Hj. Siti Aminah"), ["AMINA", "SITIAMINA"]);
/// assert_eq!(blocking_keys("MUHAMMAD"), ["MUHAMAT"]);
/// let (a, b) = (blocking_keys("NUR AINI"), blocking_keys("NURAINI"));
/// assert!(a.iter().any(|k| b.contains(k)));
/// ```
pub fn blocking_keys(name: &str) -> Vec<String> {
    let key = matching_key(name);
    blocking_keys_of_key(&key)
}

pub(crate) fn blocking_keys_of_key(key: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut fallback: Vec<String> = Vec::new();
    let mut ntok = 0;
    for tok in key.split(' ').filter(|t| !t.is_empty()) {
        ntok += 1;
        let mut code = Vec::new();
        phonetic_token(tok.as_bytes(), &mut code);
        let code = String::from_utf8(code).unwrap_or_default();
        if tok.len() < 2 || is_common(tok.as_bytes()) {
            fallback.push(code);
        } else {
            keys.push(code);
        }
    }
    if keys.is_empty() {
        keys = fallback;
    }
    if ntok > 1 {
        let joined: String = key.split(' ').collect();
        let mut code = Vec::new();
        phonetic_token(joined.as_bytes(), &mut code);
        keys.push(String::from_utf8(code).unwrap_or_default());
    }
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_sorted() {
        for w in COMMON_TOKENS.windows(2) {
            assert!(w[0] < w[1]);
        }
    }

    #[test]
    fn key_rules_with_examples() {
        let k = |s: &str| matching_key(s);
        assert_eq!(k("SITI 2"), "SITI");
        assert_eq!(k("MOCH. ARIEF"), "MUHAMAD ARIEF");
        assert_eq!(k("M ARIF"), "MUHAMAD ARIF");
        assert_eq!(k("MUHAMMAD ARIF"), "MUHAMAD ARIF");
        assert_eq!(k("MOCHAMMAD ARIF"), "MUHAMAD ARIF");
        assert_eq!(k("MHD ARIF"), "MUHAMAD ARIF");
        assert_eq!(k("ARIF M"), "ARIF M");
        assert_eq!(k("ST. AMINAH"), "SITI AMINAH");
        assert_eq!(k("ABD. RAHMAN"), "ABDUL RAHMAN");
        assert_eq!(k("SOEKARNO"), "SUKARNO");
        assert_eq!(k("DJOKO"), "YOKO");
        assert_eq!(k("JOKO"), "YOKO");
        assert_eq!(k("TJAHJO"), "CAHYO");
        assert_eq!(k("CAHYO"), "CAHYO");
        assert_eq!(k("SJAHRIR"), k("SYAHRIR"));
        assert_eq!(k("NJOTO"), k("NYOTO"));
        assert_eq!(k("CHAIRUL"), "KHAIRUL");
        assert_eq!(k("MOCHTAR"), "MOKHTAR");
        assert_eq!(k("RAMADHAN"), "RAMADAN");
        assert_eq!(k("DZULKIFLI"), "ZULKIFLI");
        assert_eq!(k("FATHUR"), "FATUR");
        assert_eq!(k("STEPHANUS"), "STEFANUS");
        assert_eq!(k("TAUFIQ"), "TAUFIK");
        assert_eq!(k("RUDY"), "RUDI");
        assert_eq!(k("HENDRY"), "HENDRI");
        assert_eq!(k("JUSUF"), k("YUSUF"));
        assert_eq!(k("ARIFFIN"), "ARIFIN");
        assert_eq!(k("SITTI"), "SITI");
        assert_eq!(k("NUR-AINI"), "NUR AINI");
        assert_eq!(k("MA'RUF"), "MARUF");
    }
}
