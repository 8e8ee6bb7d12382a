//! Curated name lists (`data/names.txt`) and the rules that turn them into
//! register names: naming customs per ethnic style, titles, old spelling.

use std::collections::BTreeMap;

use super::rng::Rng;

const NAMES_TXT: &str = include_str!("data/names.txt");

/// Longest NAMA_LGKP the register accepts.
pub const MAX_NAME_LEN: usize = 60;

/// The parsed lists, by section name.
pub(crate) struct Lists {
    map: BTreeMap<&'static str, Vec<String>>,
}

impl Lists {
    pub(crate) fn parse() -> Lists {
        let mut map: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut current: Option<&'static str> = None;
        for line in NAMES_TXT.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(sec) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = Some(sec);
                map.entry(sec).or_default();
                continue;
            }
            if let Some(sec) = current {
                let v = map.entry(sec).or_default();
                v.extend(line.split_whitespace().map(|w| w.replace('_', " ")));
            }
        }
        Lists { map }
    }

    /// The list of a section (panics on a section missing from the embedded
    /// file, which the unit tests rule out).
    pub(crate) fn get(&self, section: &str) -> &[String] {
        self.map
            .get(section)
            .map(Vec::as_slice)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| panic!("names.txt lacks section [{section}]"))
    }

    pub(crate) fn pick(&self, rng: &mut Rng, section: &str) -> &str {
        rng.pick(self.get(section)).as_str()
    }

    #[cfg(test)]
    pub(crate) fn sections(&self) -> impl Iterator<Item = (&str, usize)> {
        self.map.iter().map(|(k, v)| (*k, v.len()))
    }
}

/// Naming custom of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Jawa,
    JawaKristen,
    Sunda,
    Melayu,
    Minang,
    BatakKristen,
    BatakIslam,
    Nias,
    Bugis,
    Buton,
    Sasak,
    Bali,
    Tionghoa,
    Ntt,
    Minahasa,
    Ambon,
    AmbonIslam,
    Papua,
    Dayak,
}

impl Style {
    /// Whether children inherit a family / clan name from the father.
    pub(crate) fn family_section(self) -> Option<&'static str> {
        Some(match self {
            Style::BatakKristen => "batak_marga_kristen",
            Style::BatakIslam => "batak_marga_islam",
            Style::Nias => "nias_family",
            Style::Tionghoa => "tionghoa_family",
            Style::Ntt => "ntt_family",
            Style::Minahasa => "minahasa_family",
            Style::Ambon => "ambon_family",
            Style::AmbonIslam => "ambon_family_islam",
            Style::Papua => "papua_family",
            Style::Dayak => "dayak_name",
            _ => return None,
        })
    }

    /// Whether old (pre-1972) spelling may appear for people born early.
    pub(crate) fn old_spelling_possible(self) -> bool {
        matches!(
            self,
            Style::Jawa
                | Style::JawaKristen
                | Style::Sunda
                | Style::Melayu
                | Style::Minang
                | Style::Sasak
        )
    }
}

/// Family-level naming context shared by all members.
#[derive(Debug, Clone)]
pub(crate) struct Family {
    pub style: Style,
    pub muslim: bool,
    /// Father's family name (inherited by the children).
    pub surname: Option<String>,
    /// Noble prefix (Bugis ANDI, Sasak LALU/BAIQ, Balinese caste) for the line.
    pub noble: bool,
    /// Balinese caste: 0 commoner (I/NI + birth order), 1 GUSTI, 2 IDA.
    pub caste: u8,
}

/// Inputs for one name.
pub(crate) struct Who {
    pub male: bool,
    pub birth_year: i32,
    /// 0-based birth order among siblings (Balinese names).
    pub birth_order: usize,
    /// Inherits the family's surname (children of the head) or has an own one.
    pub own_surname: Option<String>,
}

const MUHAMMAD_FORMS: [&str; 10] = [
    "MUHAMMAD",
    "MUHAMAD",
    "MOHAMMAD",
    "MOHAMAD",
    "MOCHAMMAD",
    "MOCHAMAD",
    "MUH.",
    "MOH.",
    "MOCH.",
    "M.",
];

/// Forms of Muhammad as they appear in registers and agency files.
pub fn muhammad_forms() -> &'static [&'static str] {
    &MUHAMMAD_FORMS
}

fn push_word(out: &mut String, w: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(w);
}

fn muhammad(rng: &mut Rng) -> &'static str {
    // register frequencies: full forms dominate, abbreviations common in Java
    const W: [(usize, f64); 10] = [
        (0, 40.0),
        (1, 12.0),
        (2, 10.0),
        (3, 6.0),
        (4, 6.0),
        (5, 3.0),
        (6, 10.0),
        (7, 8.0),
        (8, 4.0),
        (9, 1.0),
    ];
    MUHAMMAD_FORMS[rng.pick_weighted(&W)]
}

/// A second (tail) name that fits the sex: women get PUTRI rather than
/// PUTRA, men do not get the feminine -I forms (SUSANTI, RAMADHANI, …).
fn tail(l: &Lists, rng: &mut Rng, section: &str, male: bool) -> String {
    let mut t = l.pick(rng, section);
    for _ in 0..8 {
        let feminine = t.ends_with('I') && t != "ALFARIZI";
        if male != feminine {
            break;
        }
        if !male && t.contains("PUTRA") {
            return t.replace("PUTRA", "PUTRI");
        }
        t = l.pick(rng, section);
    }
    t.to_string()
}

fn young(year: i32) -> bool {
    year >= 1995
}

/// A first name for the family's style (without prefixes/surname).
fn given(l: &Lists, rng: &mut Rng, f: &Family, who: &Who) -> String {
    let m = who.male;
    let y = young(who.birth_year) && rng.chance(0.7);
    let mut out = String::new();
    match f.style {
        Style::Jawa | Style::Sunda => {
            let (g, t) = match (f.style, m) {
                (Style::Jawa, true) => ("jawa_m", "jawa_tail"),
                (Style::Jawa, false) => ("jawa_f", "jawa_tail"),
                (_, true) => ("sunda_m", "sunda_tail"),
                (_, false) => ("sunda_f", "sunda_tail"),
            };
            if f.muslim && m && rng.chance(0.10) {
                push_word(&mut out, muhammad(rng));
            } else if f.muslim && !m && rng.chance(0.10) {
                push_word(&mut out, "SITI");
            }
            if y {
                push_word(
                    &mut out,
                    l.pick(rng, if m { "modern_m" } else { "modern_f" }),
                );
                let sec = if rng.chance(0.5) { "modern_tail" } else { t };
                push_word(&mut out, &tail(l, rng, sec, m));
            } else {
                push_word(&mut out, l.pick(rng, g));
                let p_tail = if who.birth_year < 1965 { 0.15 } else { 0.55 };
                if rng.chance(p_tail) {
                    push_word(&mut out, &tail(l, rng, t, m));
                }
            }
        }
        Style::JawaKristen => {
            push_word(
                &mut out,
                l.pick(rng, if m { "kristen_m" } else { "kristen_f" }),
            );
            push_word(&mut out, l.pick(rng, if m { "jawa_m" } else { "jawa_f" }));
        }
        Style::Melayu
        | Style::Minang
        | Style::BatakIslam
        | Style::AmbonIslam
        | Style::Sasak
        | Style::Bugis => {
            let (gm, gf) = match f.style {
                Style::Minang if rng.chance(0.6) => ("minang_m", "minang_f"),
                Style::Sasak if rng.chance(0.6) => ("sasak_m", "sasak_f"),
                Style::Bugis if rng.chance(0.6) => ("bugis_m", "bugis_f"),
                _ => ("muslim_m", "muslim_f"),
            };
            if m {
                let r = rng.unit();
                if r < 0.20 {
                    push_word(&mut out, muhammad(rng));
                } else if r < 0.27 {
                    push_word(&mut out, "ABDUL");
                }
            } else {
                let r = rng.unit();
                if r < 0.15 {
                    push_word(&mut out, "SITI");
                } else if r < 0.22 {
                    push_word(&mut out, "NUR");
                }
            }
            if y {
                push_word(
                    &mut out,
                    l.pick(rng, if m { "modern_m" } else { "modern_f" }),
                );
            } else {
                push_word(&mut out, l.pick(rng, if m { gm } else { gf }));
            }
            let has_family = f.style.family_section().is_some();
            if !has_family && rng.chance(0.45) {
                let t = match f.style {
                    Style::Bugis if rng.chance(0.4) => "bugis_tail",
                    _ if y => "modern_tail",
                    _ => "muslim_tail",
                };
                push_word(&mut out, &tail(l, rng, t, m));
            }
        }
        Style::BatakKristen => {
            let s = match (m, rng.chance(0.5)) {
                (true, true) => "batak_given_kristen",
                (true, false) => "kristen_m",
                (false, true) => "batak_given_kristen_f",
                (false, false) => "kristen_f",
            };
            push_word(&mut out, l.pick(rng, s));
            if rng.chance(0.25) {
                push_word(
                    &mut out,
                    l.pick(
                        rng,
                        if m {
                            "batak_given_kristen"
                        } else {
                            "batak_given_kristen_f"
                        },
                    ),
                );
            }
        }
        Style::Bali => {
            push_word(
                &mut out,
                l.pick(rng, if m { "bali_given_m" } else { "bali_given_f" }),
            );
            if rng.chance(0.4) {
                push_word(
                    &mut out,
                    l.pick(rng, if m { "bali_given_m" } else { "bali_given_f" }),
                );
            }
        }
        Style::Tionghoa => {
            push_word(
                &mut out,
                l.pick(
                    rng,
                    if m {
                        "tionghoa_given_m"
                    } else {
                        "tionghoa_given_f"
                    },
                ),
            );
        }
        Style::Buton => {
            push_word(&mut out, l.pick(rng, if m { "buton_m" } else { "buton_f" }));
        }
        Style::Nias | Style::Ntt | Style::Minahasa | Style::Ambon | Style::Papua | Style::Dayak => {
            push_word(
                &mut out,
                l.pick(rng, if m { "kristen_m" } else { "kristen_f" }),
            );
            if rng.chance(0.3) {
                push_word(
                    &mut out,
                    l.pick(rng, if m { "kristen_m" } else { "kristen_f" }),
                );
            }
        }
    }
    out
}

const BALI_ORDER: [[&str; 3]; 4] = [
    ["WAYAN", "PUTU", "GEDE"],
    ["MADE", "KADEK", "NENGAH"],
    ["NYOMAN", "KOMANG", "NYOMAN"],
    ["KETUT", "KETUT", "KETUT"],
];

/// A complete register name (without titles).
pub(crate) fn full_name(l: &Lists, rng: &mut Rng, f: &Family, who: &Who) -> String {
    let m = who.male;
    let mut out = String::new();
    match f.style {
        Style::Bali => {
            match f.caste {
                2 => push_word(&mut out, if m { "IDA BAGUS" } else { "IDA AYU" }),
                1 => push_word(&mut out, if m { "I GUSTI NGURAH" } else { "I GUSTI AYU" }),
                _ => {
                    push_word(&mut out, if m { "I" } else { "NI" });
                    let row = &BALI_ORDER[who.birth_order % 4];
                    let form = if m && who.birth_order % 4 == 0 && rng.chance(0.3) {
                        2
                    } else {
                        rng.below(2)
                    };
                    push_word(&mut out, row[form]);
                }
            }
            out.push(' ');
            out.push_str(&given(l, rng, f, who));
        }
        Style::Bugis if f.noble => {
            push_word(&mut out, "ANDI");
            out.push(' ');
            out.push_str(&given(l, rng, f, who));
        }
        Style::Buton => {
            push_word(&mut out, if m { "LA" } else { "WA" });
            out.push(' ');
            out.push_str(&given(l, rng, f, who));
        }
        Style::Sasak if f.noble => {
            push_word(&mut out, if m { "LALU" } else { "BAIQ" });
            out.push(' ');
            out.push_str(&given(l, rng, f, who));
        }
        _ => out.push_str(&given(l, rng, f, who)),
    }
    if let Some(sec) = f.style.family_section() {
        let surname = who
            .own_surname
            .clone()
            .or_else(|| f.surname.clone())
            .unwrap_or_else(|| l.pick(rng, sec).to_string());
        let older_tionghoa = f.style == Style::Tionghoa && who.birth_year < 1970 && rng.chance(0.5);
        if !older_tionghoa {
            if matches!(f.style, Style::BatakKristen | Style::BatakIslam) && !m && rng.chance(0.5) {
                push_word(&mut out, if rng.chance(0.8) { "BR" } else { "BR." });
            }
            push_word(&mut out, &surname);
        }
    }
    if f.style.old_spelling_possible() && who.birth_year < 1972 && rng.chance(0.35) {
        out = old_spelling(&out, OldRules::ALL);
    }
    fit(out)
}

/// Drops words from the end (keeping at least one) until the name fits.
pub(crate) fn fit(mut s: String) -> String {
    while s.len() > MAX_NAME_LEN {
        match s.rfind(' ') {
            Some(i) => s.truncate(i),
            None => s.truncate(MAX_NAME_LEN),
        }
    }
    s
}

/// Which old-spelling rules to apply (bit set).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct OldRules(pub u8);

impl OldRules {
    pub const OE: u8 = 1;
    pub const DJ: u8 = 2;
    pub const TJ: u8 = 4;
    pub const SJ: u8 = 8;
    pub const NJ: u8 = 16;
    pub const CH: u8 = 32;
    pub const J_FOR_Y: u8 = 64;
    pub const ALL: OldRules = OldRules(127);
}

/// Rewrites a modern (EYD, 1972) spelling into the older Soewandi / van
/// Ophuijsen-era forms: U→OE, J→DJ, C→TJ, SY→SJ, NY→NJ, KH→CH, Y→J.
pub(crate) fn old_spelling(name: &str, rules: OldRules) -> String {
    let r = rules.0;
    let b = name.as_bytes();
    let mut out = String::with_capacity(name.len() + 4);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        match c {
            b'K' if next == Some(b'H') && r & OldRules::CH != 0 => {
                out.push_str("CH");
                i += 2;
                continue;
            }
            b'N' if next == Some(b'Y') && r & OldRules::NJ != 0 => {
                out.push_str("NJ");
                i += 2;
                continue;
            }
            b'S' if next == Some(b'Y') && r & OldRules::SJ != 0 => {
                out.push_str("SJ");
                i += 2;
                continue;
            }
            b'C' if next != Some(b'H') && r & OldRules::TJ != 0 => out.push_str("TJ"),
            b'J' if !matches!(prev, b'D' | b'T' | b'S' | b'N') && r & OldRules::DJ != 0 => {
                out.push_str("DJ")
            }
            b'Y' if r & OldRules::J_FOR_Y != 0
                && i > 0
                && prev != b' '
                && next.is_some_and(|n| n != b' ') =>
            {
                out.push('J')
            }
            b'U' if r & OldRules::OE != 0 && prev != b'O' && prev != b'E' && prev != b'A' => {
                out.push_str("OE")
            }
            _ => out.push(c as char),
        }
        i += 1;
    }
    out
}

/// Register-style titles: religious (H./HJ.) prefixes and academic prefixes
/// and suffixes as they appear in older register entries.
pub(crate) fn add_register_title(
    rng: &mut Rng,
    name: &str,
    male: bool,
    muslim: bool,
    age: i32,
    birth_year: i32,
) -> String {
    let r = rng.unit();
    let s = if muslim && age >= 40 && r < 0.04 {
        format!("{}{}", if male { "H. " } else { "HJ. " }, name)
    } else if age >= 25 && r < 0.06 {
        let suf = [
            "S.PD", "S.E", "S.H", "S.KOM", "S.T", "A.MD", "S.SOS", "S.AG", "S.KEP", "S.IP",
        ];
        format!("{name}, {}", rng.pick(&suf))
    } else if birth_year < 1970 && r < 0.075 {
        format!("{}{}", if rng.chance(0.7) { "DRS. " } else { "IR. " }, name)
    } else {
        return name.to_string();
    };
    if s.len() <= MAX_NAME_LEN {
        s
    } else {
        name.to_string()
    }
}

/// Titles and honorifics agencies add in front of or behind names.
pub(crate) const AGENCY_PREFIXES_M: [&str; 9] = [
    "H.", "BPK.", "BAPAK", "DR.", "DRS.", "IR.", "TN.", "SDR.", "HAJI",
];
/// Female prefixes.
pub(crate) const AGENCY_PREFIXES_F: [&str; 7] =
    ["HJ.", "IBU", "NY.", "DR.", "DRA.", "SDRI.", "HAJJAH"];
/// Academic suffixes.
pub(crate) const AGENCY_SUFFIXES: [&str; 10] = [
    ", S.PD", ", S.E.", ", S.H.", ", SE", ", S.KOM", ", M.M.", ", AMD", ", S.T.", ", M.SI",
    ", SH, MH",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::rng::Stream;

    #[test]
    fn every_section_is_present_and_non_trivial() {
        let l = Lists::parse();
        let total: usize = l.sections().map(|(_, n)| n).sum();
        assert!(total > 1300, "{total}");
        for (s, n) in l.sections() {
            assert!(n >= 5, "section {s} has only {n} names");
        }
        for s in [
            "jawa_m",
            "jawa_f",
            "jawa_tail",
            "sunda_m",
            "sunda_f",
            "sunda_tail",
            "muslim_m",
            "muslim_f",
            "muslim_tail",
            "modern_m",
            "modern_f",
            "modern_tail",
            "batak_marga_kristen",
            "batak_marga_islam",
            "kristen_m",
            "kristen_f",
            "batak_given_kristen",
            "batak_given_kristen_f",
            "minang_m",
            "minang_f",
            "bugis_m",
            "bugis_f",
            "bugis_tail",
            "buton_m",
            "buton_f",
            "sasak_m",
            "sasak_f",
            "bali_given_m",
            "bali_given_f",
            "tionghoa_given_m",
            "tionghoa_given_f",
            "tionghoa_family",
            "ntt_family",
            "minahasa_family",
            "ambon_family",
            "ambon_family_islam",
            "papua_family",
            "nias_family",
            "dayak_name",
            "street",
            "hamlet",
            "housing",
        ] {
            assert!(!l.get(s).is_empty());
        }
    }

    #[test]
    fn old_spelling_rules() {
        assert_eq!(old_spelling("SUHARTO", OldRules::ALL), "SOEHARTO");
        assert_eq!(
            old_spelling("JOKO CAHYONO", OldRules::ALL),
            "DJOKO TJAHJONO"
        );
        assert_eq!(old_spelling("SYAMSUL", OldRules(OldRules::SJ)), "SJAMSUL");
        assert_eq!(old_spelling("NYOMAN", OldRules(OldRules::NJ)), "NJOMAN");
        assert_eq!(old_spelling("KHAIRUL", OldRules(OldRules::CH)), "CHAIRUL");
        assert_eq!(old_spelling("SUKARNO", OldRules(OldRules::OE)), "SOEKARNO");
        assert_eq!(old_spelling("BUDI", OldRules(OldRules::DJ)), "BUDI");
    }

    #[test]
    fn names_fit_and_are_upper_ascii() {
        let l = Lists::parse();
        let mut rng = Rng::derive(1, Stream::Household, 0);
        for style in [
            Style::Jawa,
            Style::Bali,
            Style::BatakKristen,
            Style::Tionghoa,
            Style::Bugis,
            Style::Papua,
        ] {
            let f = Family {
                style,
                muslim: true,
                surname: None,
                noble: true,
                caste: 0,
            };
            for i in 0..200 {
                let who = Who {
                    male: i % 2 == 0,
                    birth_year: 1940 + i as i32 % 80,
                    birth_order: i % 5,
                    own_surname: None,
                };
                let n = full_name(&l, &mut rng, &f, &who);
                assert!(!n.is_empty() && n.len() <= MAX_NAME_LEN, "{n}");
                assert!(
                    n.bytes()
                        .all(|b| b.is_ascii_uppercase() || b" .,'-".contains(&b)),
                    "{n}"
                );
                assert!(!n.contains('|'));
            }
        }
    }
}
