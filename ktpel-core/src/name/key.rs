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
use super::titles::{PRE, SUF, bare_title, pack, pack_const};

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
    key_from_normalized(norm.as_bytes(), &mut out);
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
    key_fast_tokens(name, out, &mut KeyTokens::new())
}

/// Where the tokens of a fast-path key lie in it, when the plain path
/// made it (`n` is `None` otherwise): saves scanning the key again.
pub(crate) struct KeyTokens {
    pub(crate) ranges: [(u8, u8); PLAIN_WORDS],
    pub(crate) n: Option<usize>,
}

impl KeyTokens {
    #[inline]
    pub(crate) fn new() -> Self {
        KeyTokens {
            ranges: [(0, 0); PLAIN_WORDS],
            n: None,
        }
    }
}

/// [`key_fast`], also recording the token ranges of the key in `tokens`
/// when the plain path takes the name.
#[inline]
pub(crate) fn key_fast_tokens(
    name: &str,
    out: &mut StackStr<KEY_CAP>,
    tokens: &mut KeyTokens,
) -> bool {
    if let Some(done) = key_plain(name.as_bytes(), out, tokens) {
        return done;
    }
    let mut norm = StackStr::<FAST_MAX>::new();
    if !normalized_fast(name, &mut norm) {
        return false;
    }
    key_from_normalized(Sink::as_bytes(&norm), out);
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

/// A word of at most 16 bytes as its length and packed bytes
/// ([`pack`]): equal pairs mean equal words, compared in two integer
/// compares instead of a `memcmp` call.
#[inline]
fn packed_word(w: &[u8]) -> (usize, u128) {
    (w.len(), pack(w))
}

const fn pack_words<const N: usize>(words: &[&[u8]]) -> [(usize, u128); N] {
    let mut out = [(0usize, 0u128); N];
    let mut i = 0;
    while i < N {
        out[i] = (words[i].len(), pack_const(words[i]));
        i += 1;
    }
    out
}

/// [`MUHAMMAD_FORMS`], packed.
static MUHAMMAD_PACKED: [(usize, u128); MUHAMMAD_FORMS.len()] = pack_words(MUHAMMAD_FORMS);

/// True for a token, raw or already keyed, that is a Muhammad variant.
fn is_muhammad(raw: &[u8], keyed: &[u8], first_of_many: bool) -> bool {
    if raw.first() != Some(&b'M') || raw.len() > 9 {
        return false;
    }
    if first_of_many && (raw == b"M" || raw == b"MD") {
        return true;
    }
    // most words that start with `M` have no form of their length and
    // second letter
    if !muhammad_shape(raw) && !muhammad_shape(keyed) {
        return false;
    }
    // `keyed` is never longer than `raw` (the token rules only shorten or
    // keep), so both fit in 16 bytes.
    let (r, k) = (packed_word(raw), packed_word(keyed));
    MUHAMMAD_PACKED.iter().any(|&f| f == r || f == k)
}

/// `MUHAMMAD_SHAPES[len]`: the second letters (bit `c & 31`) of the
/// [`MUHAMMAD_FORMS`] of `len` bytes.
static MUHAMMAD_SHAPES: [u32; 16] = {
    let mut t = [0u32; 16];
    let mut i = 0;
    while i < MUHAMMAD_FORMS.len() {
        let f = MUHAMMAD_FORMS[i];
        t[f.len()] |= 1 << (f[1] & 31);
        i += 1;
    }
    t
};

/// False when `w` is certainly none of [`MUHAMMAD_FORMS`]: no form has its
/// length and second letter.
#[inline]
fn muhammad_shape(w: &[u8]) -> bool {
    match (w.get(1), MUHAMMAD_SHAPES.get(w.len())) {
        (Some(&c), Some(&shapes)) => shapes & (1 << (c & 31)) != 0,
        _ => false,
    }
}

#[inline]
fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// Longest token keyed on the stack: the rules never lengthen a token, so
/// its key fits too.
const LOCAL_TOKEN: usize = 64;

/// Applies rules 4–13 to one ASCII token, appending to `out`.
fn key_token_rules(t: &[u8], out: &mut impl Sink) {
    if !needs_rules(t) {
        // every step would emit the byte itself, and no byte repeats
        out.push_ascii(t);
        return;
    }
    // Every byte is visited in turn; a byte that the previous step's rule
    // took as its second byte emits nothing. Stepping by one (rather than
    // by the rule's length) keeps the loop free of a chain through the
    // table loads.
    let mut skip = false;
    if t.len() <= LOCAL_TOKEN {
        // On the stack, with the length and the last byte in locals (in
        // registers): write each byte, keep it only if it differs from the
        // last one (rule 13). `k` stays below the capacity because no more
        // bytes are kept than the token has.
        let mut buf = [0u8; LOCAL_TOKEN];
        let mut k = 0usize;
        let mut last: u16 = 256;
        for i in 0..t.len() {
            let (mut b0, mut b1, adv) = rule_step(t, i);
            if skip {
                // `last` is a byte here (a step came before): writing it
                // again keeps nothing
                b0 = last as u8;
                b1 = last as u8;
            }
            skip = adv == 2 && !skip;
            for b in [b0, b1] {
                if let Some(slot) = buf.get_mut(k) {
                    *slot = b;
                }
                k += usize::from(u16::from(b) != last);
                last = u16::from(b);
            }
        }
        // ASCII in, ASCII out
        out.push_ascii(buf.get(..k).unwrap_or_default());
    } else {
        let mut last: Option<u8> = None;
        for i in 0..t.len() {
            if skip {
                skip = false;
                continue;
            }
            let (b0, b1, adv) = rule_step(t, i);
            skip = adv == 2;
            for b in [b0, b1] {
                if last != Some(b) {
                    out.push(b as char);
                    last = Some(b);
                }
            }
        }
    }
}

/// Whether any of rules 4–13 changes the token `t`: a `Q` or `J`, a
/// two-byte rule (`OE`, `DJ`, `TJ`, `SJ`, `NJ` — all with `J` —, `CH`, `DH`,
/// `TH`, `PH`, `DZ`), a doubled byte, or a final `Y` after a consonant other
/// than `Y`. Otherwise every step of [`rule_step`] emits its byte (`Y` stays
/// `Y`) and the collapse keeps it: the key token is the token. One table
/// load per byte and no store, cheaper than the rule loop it skips for most
/// tokens.
#[inline]
fn needs_rules(t: &[u8]) -> bool {
    let mut prev = 0u8;
    let mut prev_flags = 0u8;
    let mut hit = 0u8;
    for &c in t {
        let f = RULE_FLAGS[c as usize];
        // bit 0: always; bit 1: `H` after one of `C D T P`, bit 2: `E`
        // after `O`, bit 3: `Z` after `D` (the first-byte bits are the
        // second-byte bits shifted up by 4)
        hit |= (f & 1) | (f & (prev_flags >> 4) & 0b1110) | u8::from(c == prev);
        prev = c;
        prev_flags = f;
    }
    if hit != 0 {
        return true;
    }
    let n = t.len();
    n >= 2 && t[n - 1] == b'Y' && !is_vowel(t[n - 2]) && t[n - 2] != b'Y'
}

/// Flags of a byte for [`needs_rules`]: bit 0 it always changes (`Q`,
/// `J`); bits 1–3 it completes a two-byte rule as second byte (`H`, `E`,
/// `Z`); bits 5–7 it starts one as first byte (`C D T P` for `H`, `O` for
/// `E`, `D` for `Z`).
static RULE_FLAGS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'Q' as usize] |= 1;
    t[b'J' as usize] |= 1;
    t[b'H' as usize] |= 1 << 1;
    t[b'E' as usize] |= 1 << 2;
    t[b'Z' as usize] |= 1 << 3;
    t[b'C' as usize] |= 1 << 5;
    t[b'D' as usize] |= 1 << 5;
    t[b'T' as usize] |= 1 << 5;
    t[b'P' as usize] |= 1 << 5;
    t[b'O' as usize] |= 1 << 6;
    t[b'D' as usize] |= 1 << 7;
    t
};

/// One step of rules 4–12 at byte `i` of an ASCII token: the two bytes to
/// emit (the doubled-letter collapse of rule 13 applies to them) and how
/// many bytes of the token the step takes.
///
/// Table-driven and branch-free: the class of a byte (does it start a
/// rule?) and of the next one select what is emitted and how far to go,
/// always two bytes — a rule that emits one byte emits it twice, which the
/// collapse turns into once. The rules, in the order they are tried:
/// `OE`→`U`, `DJ`→`Y`, `TJ`→`C`, `SJ`→`SY`, `NJ`→`NY`, `CH`→`KH`, `DH`→`D`,
/// `DZ`→`Z`, `TH`→`T`, `PH`→`F`, `Q`→`K`, `J`/`Y`→`Y` (a final `Y` after a
/// consonant other than `Y` → `I`); no two share a first byte and a second,
/// so the order does not matter. Tested against the plain `match` it
/// replaces.
#[inline(always)]
fn rule_step(t: &[u8], i: usize) -> (u8, u8, usize) {
    let n = t.len();
    let c = t[i];
    let next = if i + 1 < n { t[i + 1] } else { 0 };
    let (mut b0, mut b1, adv) =
        RULES[RULE_CLASS[c as usize] as usize][NEXT_CLASS[next as usize] as usize];
    if b0 == 0 {
        // no rule: the byte itself
        b0 = c;
        b1 = c;
    }
    if c == b'Y' && i + 1 == n && i > 0 && !is_vowel(t[i - 1]) && t[i - 1] != b'Y' {
        // rule 11: final Y after a consonant is I
        b0 = b'I';
        b1 = b'I';
    }
    (b0, b1, adv as usize)
}

/// First bytes of rules: 1 `O`, 2 `D`, 3 `T`, 4 `S`, 5 `N`, 6 `C`, 7 `P`,
/// 8 `Q`, 9 `J`, 10 `Y`; 0 any other.
static RULE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let firsts = b"ODTSNCPQJY";
    let mut i = 0;
    while i < firsts.len() {
        t[firsts[i] as usize] = i as u8 + 1;
        i += 1;
    }
    t
};

/// Second bytes of rules: 1 `E`, 2 `J`, 3 `H`, 4 `Z`; 0 any other.
static NEXT_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'E' as usize] = 1;
    t[b'J' as usize] = 2;
    t[b'H' as usize] = 3;
    t[b'Z' as usize] = 4;
    t
};

/// `RULES[first class][next class]`: the two bytes to emit (0: the byte
/// itself) and how many bytes the rule takes.
static RULES: [[(u8, u8, u8); 5]; 11] = {
    const NONE: (u8, u8, u8) = (0, 0, 1);
    let mut r = [[NONE; 5]; 11];
    r[1][1] = (b'U', b'U', 2); // OE
    r[2][2] = (b'Y', b'Y', 2); // DJ
    r[3][2] = (b'C', b'C', 2); // TJ
    r[4][2] = (b'S', b'Y', 2); // SJ
    r[5][2] = (b'N', b'Y', 2); // NJ
    r[6][3] = (b'K', b'H', 2); // CH
    r[2][3] = (b'D', b'D', 2); // DH
    r[2][4] = (b'Z', b'Z', 2); // DZ
    r[3][3] = (b'T', b'T', 2); // TH
    r[7][3] = (b'F', b'F', 2); // PH
    let mut k = 0;
    while k < 5 {
        r[8][k] = (b'K', b'K', 1); // Q
        r[9][k] = (b'Y', b'Y', 1); // J
        r[10][k] = (b'Y', b'Y', 1); // Y
        k += 1;
    }
    r
};

/// The rules as first written, one `match`: what [`token_rules`] is tested
/// against.
#[cfg(test)]
fn token_rules_reference(t: &[u8], out: &mut alloc::vec::Vec<u8>) {
    let n = t.len();
    let mut i = 0;
    let push = |out: &mut alloc::vec::Vec<u8>, b: u8| {
        if out.last() != Some(&b) {
            out.push(b);
        }
    };
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
                if c == b'Y' && i + 1 == n && i > 0 && !is_vowel(t[i - 1]) && t[i - 1] != b'Y' {
                    (b"I", 1)
                } else {
                    (b"Y", 1)
                }
            }
            _ => {
                push(out, c);
                i += 1;
                continue;
            }
        };
        for &b in emit {
            push(out, b);
        }
        i += adv;
    }
}

/// Appends the matching key of an already normalized name to `out`.
///
/// `norm` is the bytes of a `str` (split at spaces, its tokens are `str`s).
pub(crate) fn key_from_normalized(norm: &[u8], out: &mut impl Sink) {
    let base = out.len();
    out.reserve(norm.len() + 8);
    // Split on the byte: a space is ASCII, so the tokens of a `str` split
    // there are `str`s too.
    let words = || norm.split(|&b| b == b' ').filter(|t| !t.is_empty());
    let ntok = words().count();
    let mut first = true;
    let mut scratch: Vec<u8> = Vec::new();
    let mut stack = [0u8; 32];
    for tok in words() {
        let is_first = first;
        first = false;
        // rule 1: letters only
        let letters: &[u8] = if tok.len() <= stack.len() && tok.is_ascii() {
            let mut n = 0;
            for &b in tok.iter().filter(|b| b.is_ascii_uppercase()) {
                stack[n] = b;
                n += 1;
            }
            &stack[..n]
        } else {
            scratch.clear();
            let tok = core::str::from_utf8(tok).unwrap_or_default();
            for ch in tok.chars().filter(|c| c.is_alphabetic()) {
                let mut b = [0u8; 4];
                scratch.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            }
            &scratch
        };
        key_token(letters, is_first && ntok > 1, base, out);
    }
}

/// Appends the key of one token (its letters, rule 1 done) to a key that
/// started at `base`: rules 2–13.
#[inline]
fn key_token(letters: &[u8], first_of_many: bool, base: usize, out: &mut impl Sink) {
    if letters.is_empty() {
        return;
    }
    if out.len() > base {
        out.push(' ');
    }
    let body_start = out.len();
    if !letters.is_ascii() {
        // non-Latin letters: kept as they are
        out.push_str(core::str::from_utf8(letters).unwrap_or_default());
        return;
    }
    if first_of_many && letters == b"ST" {
        out.push_str("SITI");
        return;
    }
    if letters == b"ABD" {
        out.push_str("ABDUL");
        return;
    }
    key_token_rules(letters, out);
    if is_muhammad(letters, &out.as_bytes()[body_start..], first_of_many) {
        out.truncate(body_start);
        out.push_str("MUHAMAD");
    }
}

/// Most words the plain path takes.
const PLAIN_WORDS: usize = 16;

/// The matching key of a plain name — ASCII letters and spaces only, at
/// most [`FAST_MAX`] bytes and [`PLAIN_WORDS`] words — straight from its
/// bytes: `None` for any other name. This is what the general path does
/// with such a name, step by step:
///
/// - folding only uppercases (NFKC leaves ASCII alone; no byte here is
///   mapped otherwise);
/// - the pieces are the words, all letters, none dotted, all in segment 0
///   (no comma): so no title after a comma, and every title candidate is
///   one word without dots, which [`normalize`](super::normalize) removes
///   only if it is allowed bare — while leading, if it may stand before the
///   name and a word stays after it; while trailing, if it may stand after
///   the name and two words stay before it (`longest_at` and
///   `longest_ending_at` reduce to a single-word lookup when no piece is
///   dotted);
/// - the comparison form is the remaining words joined by one space (no
///   apostrophe or hyphen to rewrite), and its tokens are those words, all
///   letters (rule 1 keeps them whole).
///
/// The property tests compare it with the general path on arbitrary
/// strings and every name in the test vectors.
fn key_plain(name: &[u8], out: &mut StackStr<KEY_CAP>, tokens: &mut KeyTokens) -> Option<bool> {
    if name.len() > FAST_MAX {
        return None;
    }
    // Eight bytes at a time without branches: uppercase every byte (a
    // space becomes 0, never read) and note where the spaces are and
    // whether any byte is neither a letter nor a space. Past the name,
    // spaces (uppercased to 0, never read).
    // (Each word of eight is read from the name itself: reading it back
    // from a buffer just filled by a copy would stall on store forwarding.)
    let mut buf = [0u8; FAST_MAX];
    let mut other = 0u64;
    let mut spaces = 0u64;
    for (k, chunk) in buf
        .chunks_exact_mut(8)
        .take(name.len().div_ceil(8))
        .enumerate()
    {
        let x = match name.get(8 * k..8 * k + 8) {
            Some(whole) => {
                let mut x = [0u8; 8];
                x.copy_from_slice(whole);
                u64::from_le_bytes(x)
            }
            // the last bytes, shifted in (a byte copy here would be a
            // `memcpy` call, and the load after it would stall too)
            None => name[8 * k..]
                .iter()
                .enumerate()
                .fold(u64::from_le_bytes([b' '; 8]), |v, (i, &c)| {
                    (v & !(0xFF << (8 * i))) | (u64::from(c) << (8 * i))
                }),
        };
        let (space, letter, u) = classify8(x);
        chunk.copy_from_slice(&u.to_le_bytes());
        other |= !(space | letter) & HIGH_BITS;
        spaces |= high_bits_to_mask(space) << (8 * k);
    }
    if other != 0 {
        return None;
    }
    // the words from the bit masks: a word starts at a letter after a
    // non-letter and ends after a letter before one
    const _: () = assert!(FAST_MAX <= 64, "a name's bytes must fit one u64 mask");
    let all = u64::MAX.checked_shr(64 - name.len() as u32).unwrap_or(0);
    let letters = all & !spaces;
    let mut starts = letters & !(letters << 1);
    let mut ends = letters & !(letters >> 1);
    let n = starts.count_ones() as usize;
    if n == 0 || n > PLAIN_WORDS {
        return None;
    }
    let mut words = [(0u8, 0u8); PLAIN_WORDS];
    for w in &mut words[..n] {
        *w = (
            starts.trailing_zeros() as u8,
            ends.trailing_zeros() as u8 + 1,
        );
        starts &= starts - 1;
        ends &= ends - 1;
    }
    let word = |k: usize| &buf[words[k].0 as usize..words[k].1 as usize];
    // leading titles, keeping at least one word
    let mut lead = 0;
    while lead + 1 < n && bare_title(word(lead), PRE) {
        lead += 1;
    }
    // trailing titles, keeping at least two words before each (counted
    // first: a two-word name needs no lookup)
    let mut end = n;
    while end > lead + 2 && bare_title(word(end - 1), SUF) {
        end -= 1;
    }
    let ntok = end - lead;
    for (r, k) in tokens.ranges.iter_mut().zip(lead..end) {
        // a word is letters, so its key token is never empty
        let start = out.len();
        let w = word(k);
        let first_of_many = k == lead && ntok > 1;
        if w[0] != b'M' && w != b"ABD" && !(first_of_many && w == b"ST") && !needs_rules(w) {
            // what `key_token` does with such a word (no Muhammad, `ST` or
            // `ABD` rule, no spelling rule): the word itself
            if start > 0 {
                out.push(' ');
            }
            // the word's bytes and what follows it in `buf` (cut off again
            // by the length)
            let at = words[k].0 as usize;
            let chunk = buf
                .get(at..at + 16)
                .and_then(|c| <&[u8; 16]>::try_from(c).ok());
            if !chunk.is_some_and(|c| out.push_chunk(c, w.len())) {
                out.push_ascii(w);
            }
        } else {
            key_token(w, first_of_many, 0, out);
        }
        *r = ((start + usize::from(start > 0)) as u8, out.len() as u8);
    }
    tokens.n = Some(ntok);
    Some(!out.overflowed())
}

/// The high bit of each of eight bytes.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes at once (SWAR): the high bit of each byte that is a space,
/// of each whose uppercase (`c & !0x20`) is a letter `A`–`Z`, and the
/// uppercased bytes. No carry crosses a byte: every sum below stays under
/// 0x100 per byte.
#[inline]
fn classify8(x: u64) -> (u64, u64, u64) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const fn rep(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let u = x & rep(!0x20);
    // a byte of `t` is zero exactly where `x` has a space
    let t = x ^ rep(b' ');
    let nonzero = (((t & LOW7) + LOW7) | t) & HIGH_BITS;
    let space = !nonzero & HIGH_BITS;
    // `v` is `u` without its high bit: at least 0x41 and below 0x5B, and
    // no high bit in `u`
    let v = u & LOW7;
    let at_least_a = (v + rep(0x80 - b'A')) & HIGH_BITS;
    let past_z = (v + rep(0x80 - b'Z' - 1)) & HIGH_BITS;
    let letter = at_least_a & !past_z & !u & HIGH_BITS;
    (space, letter, u)
}

/// The high bits of eight bytes as eight bits (byte `i` → bit `i`).
#[inline]
fn high_bits_to_mask(h: u64) -> u64 {
    // each set bit 8i + 7 lands on bit 56 + i; no two products overlap
    // below bit 64 (checked on every input by a test)
    ((h >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
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

/// Longest of [`COMMON_TOKENS`] (checked by a test).
const COMMON_MAX: usize = 7;

/// A word of at most [`COMMON_MAX`] bytes as one integer: its bytes
/// big-endian in the upper seven bytes, its length in the lowest, so that
/// equal integers mean equal words.
#[inline]
const fn common_word(w: &[u8]) -> u64 {
    let mut k: u64 = 0;
    let mut i = 0;
    while i < COMMON_MAX {
        k <<= 8;
        if i < w.len() {
            k |= w[i] as u64;
        }
        i += 1;
    }
    (k << 8) | w.len() as u64
}

const fn pack_common() -> [u64; COMMON_TOKENS.len()] {
    let mut out = [0u64; COMMON_TOKENS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = common_word(COMMON_TOKENS[i].as_bytes());
        i += 1;
    }
    out
}

/// Slots of [`COMMON_TABLE`].
const COMMON_SLOTS: usize = 128;

#[inline]
const fn common_slot(k: u64, mult: u64) -> usize {
    (k.wrapping_mul(mult) >> 57) as usize
}

/// A perfect hash table of [`COMMON_TOKENS`] as [`common_word`]s: the first
/// multiplier (of a fixed sequence) that puts every token in its own slot,
/// found at compile time. Empty slots hold 0, which no word packs to (its
/// length is in the lowest byte).
const fn build_common_table() -> (u64, [u64; COMMON_SLOTS]) {
    let packed = pack_common();
    let mut mult: u64 = 0x9E37_79B9_7F4A_7C15;
    loop {
        let mut table = [0u64; COMMON_SLOTS];
        let mut ok = true;
        let mut i = 0;
        while i < packed.len() {
            let slot = common_slot(packed[i], mult);
            if table[slot] != 0 {
                ok = false;
                break;
            }
            table[slot] = packed[i];
            i += 1;
        }
        if ok {
            return (mult, table);
        }
        mult = mult.wrapping_add(0x2545_F491_4F6C_DD1D) | 1;
    }
}

const COMMON_HASH: (u64, [u64; COMMON_SLOTS]) = build_common_table();
/// The multiplier of [`COMMON_TABLE`].
const COMMON_MULT: u64 = COMMON_HASH.0;
/// [`COMMON_TOKENS`], one per slot.
static COMMON_TABLE: [u64; COMMON_SLOTS] = COMMON_HASH.1;

/// One of [`COMMON_TOKENS`]: one multiply and one compare (a binary search
/// over so short a list costs more in mispredicted branches).
#[inline]
pub(crate) fn is_common(tok: &[u8]) -> bool {
    if tok.is_empty() || tok.len() > COMMON_MAX {
        return false;
    }
    let mut b = [0u8; 8];
    for (i, d) in b[..COMMON_MAX].iter_mut().enumerate() {
        *d = tok.get(i).copied().unwrap_or(0);
    }
    b[7] = tok.len() as u8;
    let k = u64::from_be_bytes(b);
    COMMON_TABLE[common_slot(k, COMMON_MULT)] == k
}

/// [`is_common`] of the token made of the first `len` bytes of `chunk`
/// (the bytes after them ignored): the same packed word from one load.
#[inline]
pub(crate) fn is_common_chunk(chunk: [u8; 8], len: usize) -> bool {
    if len == 0 || len > COMMON_MAX {
        return false;
    }
    // keep the first `len` bytes (the upper ones, big-endian); the length
    // in the lowest
    let k = (u64::from_be_bytes(chunk) & !(u64::MAX >> (8 * len))) | len as u64;
    COMMON_TABLE[common_slot(k, COMMON_MULT)] == k
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
        for t in COMMON_TOKENS {
            assert!(t.len() <= COMMON_MAX);
            assert!(is_common(t.as_bytes()), "{t}");
            let longer = alloc::format!("{t}A");
            let binary_search = COMMON_TOKENS.binary_search(&longer.as_str()).is_ok();
            assert_eq!(is_common(longer.as_bytes()), binary_search, "{longer}");
            assert!(!is_common(alloc::format!("{t}\0").as_bytes()));
        }
        // the chunked test: every token, cut short or not, with any tail
        let mut words: Vec<String> = COMMON_TOKENS.iter().map(|t| String::from(*t)).collect();
        for t in COMMON_TOKENS {
            words.push(String::from(&t[1..]));
            words.push(alloc::format!("{t}S"));
            words.push(String::from(&t[..t.len() - 1]));
        }
        for w in &words {
            for tail in [b"\0\0\0\0\0\0\0\0", b"SITI AGU", b"ZZZZZZZZ"] {
                let all: Vec<u8> = w.bytes().chain(tail.iter().copied()).collect();
                let mut chunk = [0u8; 8];
                chunk.copy_from_slice(&all[..8]);
                if w.len() <= 8 {
                    assert_eq!(
                        is_common_chunk(chunk, w.len()),
                        is_common(w.as_bytes()),
                        "{w}"
                    );
                }
            }
        }
        for t in [
            "",
            "A",
            "SIT",
            "SITII",
            "ZZZZZZZZZZZZZZZZZZ",
            "MUHAMMAD",
            "SITI\0",
            "I\0",
        ] {
            assert_eq!(
                is_common(t.as_bytes()),
                COMMON_TOKENS.binary_search(&t).is_ok(),
                "{t}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn token_rules_are_the_reference(t in "[A-Z]{0,80}|[DTSNCPQJYOEHZIA]{0,20}|[ -~]{0,20}") {
            let t = t.as_bytes();
            let mut want = Vec::new();
            token_rules_reference(t, &mut want);
            let mut got = String::new();
            key_token_rules(t, &mut got);
            proptest::prop_assert_eq!(got.as_bytes(), &want[..]);
            let mut stack = StackStr::<256>::new();
            key_token_rules(t, &mut stack);
            proptest::prop_assert_eq!(Sink::as_bytes(&stack), &want[..]);
        }
    }

    proptest::proptest! {
        #[test]
        fn muhammad_is_the_list(w in "M[A-Z]{0,8}|M[OUHA][HCKO]{0,3}[AEMD]{0,4}|[ -~]{0,10}", k in "M[A-Z]{0,8}|MUHAMAD|MOH") {
            let listed = |x: &str| MUHAMMAD_FORMS.contains(&x.as_bytes());
            let want = w.starts_with('M') && w.len() <= 9 && (listed(&w) || listed(&k));
            proptest::prop_assert_eq!(is_muhammad(w.as_bytes(), k.as_bytes(), false), want);
        }
    }

    #[test]
    fn swar_classification_is_per_byte() {
        for h in 0..=255u64 {
            let mut hb = 0u64;
            for i in 0..8 {
                if h & (1 << i) != 0 {
                    hb |= 0x80 << (8 * i);
                }
            }
            assert_eq!(high_bits_to_mask(hb), h);
        }
        let mut bytes: Vec<u8> = (0..=255u8).collect();
        bytes.extend_from_slice(b"SITI aminah  Z@[`{ ");
        for w in bytes.windows(8) {
            let mut x = [0u8; 8];
            x.copy_from_slice(w);
            let (space, letter, u) = classify8(u64::from_le_bytes(x));
            for (i, &c) in w.iter().enumerate() {
                let bit = |m: u64| m >> (8 * i + 7) & 1 == 1;
                assert_eq!(bit(space), c == b' ', "{c}");
                assert_eq!(bit(letter), (c & !0x20).is_ascii_uppercase(), "{c}");
                assert_eq!(u.to_le_bytes()[i], c & !0x20);
            }
        }
    }

    #[test]
    fn muhammad_packed_is_the_list() {
        for f in MUHAMMAD_FORMS {
            assert!(is_muhammad(f, f, false));
            assert!(!is_muhammad(&[f, b"X".as_slice()].concat(), b"", false));
        }
        assert!(!is_muhammad(b"MU", b"MU", false));
        assert!(is_muhammad(b"M", b"M", true));
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
