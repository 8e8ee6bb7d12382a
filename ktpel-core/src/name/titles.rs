//! The table of academic, religious, professional and honorific titles that
//! [`normalize`](super::normalize) removes.
//!
//! Each entry is keyed by its *flat* form: uppercase letters only, dots,
//! apostrophes and hyphens dropped (`S.Pd.I.` → `SPDI`, `Sp.THT-KL` →
//! `SPTHTKL`). Where a title may stand and whether it may be written without
//! dots is part of the entry, so that real name tokens survive: `ANDI`,
//! `HABIB` and `RADEN` are not titles at all, `MEI` (a given name) is removed
//! only as `M.E.I.` or after a comma, and `HAJI` alone stays a name.

use serde::Serialize;

/// What kind of title a removed token was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleKind {
    /// Academic degree or academic rank: `S.Pd.`, `M.Si.`, `Dr.`, `Prof.`, `Ir.`.
    Academic,
    /// Religious title: `H.`, `Hj.`, `KH`, `Ustadz`, `Pdt.`.
    Religious,
    /// Professional title: `Ns.`, `apt.`, `Bd.`, `Ak.`.
    Professional,
    /// Form of address: `Bapak`, `Ibu`, `Ny.`, `Sdr.`, `Tn.`.
    Honorific,
    /// Status marker of a deceased person: `Alm.`, `Almh.`.
    Status,
}

impl TitleKind {
    /// The lower-case name used in JSON output (`"academic"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            TitleKind::Academic => "academic",
            TitleKind::Religious => "religious",
            TitleKind::Professional => "professional",
            TitleKind::Honorific => "honorific",
            TitleKind::Status => "status",
        }
    }
}

/// Where a removed title stood in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitlePosition {
    /// Before the name: `Hj. Siti Aminah`.
    Prefix,
    /// After the name without a comma: `Budi Santoso S.E.`.
    Suffix,
    /// After a comma: `Siti Aminah, S.Pd.`.
    AfterComma,
}

impl TitlePosition {
    /// The lower-case name used in JSON output (`"prefix"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            TitlePosition::Prefix => "prefix",
            TitlePosition::Suffix => "suffix",
            TitlePosition::AfterComma => "after_comma",
        }
    }
}

/// May stand before the name.
pub(crate) const PRE: u8 = 1;
/// May stand after the name.
pub(crate) const SUF: u8 = 2;

/// One known title.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Title {
    /// Uppercase letters only, the lookup key.
    pub flat: &'static str,
    /// The usual written form, e.g. `S.Pd.`.
    pub written: &'static str,
    pub kind: TitleKind,
    /// `PRE`, `SUF` or both.
    pub pos: u8,
    /// Removed even when written without dots and not after a comma. `false`
    /// for titles whose bare form is also a name or a word (`MEI`, `MA`, `SS`).
    pub bare_ok: bool,
    /// What it stands for.
    pub meaning: &'static str,
}

use TitleKind::{Academic as A, Honorific as O, Professional as P, Religious as R, Status as X};

macro_rules! t {
    ($flat:literal, $written:literal, $kind:expr, $pos:expr, $bare:literal, $meaning:literal) => {
        Title {
            flat: $flat,
            written: $written,
            kind: $kind,
            pos: $pos,
            bare_ok: $bare,
            meaning: $meaning,
        }
    };
}

/// Sorted by `flat` (checked by a test) for binary search.
pub(crate) const TITLES: &[Title] = &[
    t!("AK", "Ak.", P, SUF, false, "Akuntan"),
    t!("ALM", "Alm.", X, PRE | SUF, true, "Almarhum (deceased)"),
    t!(
        "ALMARHUM",
        "Almarhum",
        X,
        PRE | SUF,
        true,
        "Almarhum (deceased)"
    ),
    t!(
        "ALMARHUMAH",
        "Almarhumah",
        X,
        PRE | SUF,
        true,
        "Almarhumah (deceased)"
    ),
    t!("ALMH", "Almh.", X, PRE | SUF, true, "Almarhumah (deceased)"),
    t!("AMA", "A.Ma.", A, SUF, false, "Ahli Madya (D2)"),
    t!("AMAPD", "A.Ma.Pd.", A, SUF, true, "Ahli Madya Pendidikan"),
    t!("AMD", "A.Md.", A, SUF, true, "Ahli Madya (D3)"),
    t!("AMDAK", "A.Md.Ak.", A, SUF, true, "Ahli Madya Akuntansi"),
    t!("AMDFARM", "A.Md.Farm.", A, SUF, true, "Ahli Madya Farmasi"),
    t!("AMDGZ", "A.Md.Gz.", A, SUF, true, "Ahli Madya Gizi"),
    t!("AMDKEB", "A.Md.Keb.", A, SUF, true, "Ahli Madya Kebidanan"),
    t!(
        "AMDKEP",
        "A.Md.Kep.",
        A,
        SUF,
        true,
        "Ahli Madya Keperawatan"
    ),
    t!("AMDKES", "A.Md.Kes.", A, SUF, true, "Ahli Madya Kesehatan"),
    t!(
        "AMDKG",
        "A.Md.KG.",
        A,
        SUF,
        true,
        "Ahli Madya Kesehatan Gigi"
    ),
    t!("AMDKOM", "A.Md.Kom.", A, SUF, true, "Ahli Madya Komputer"),
    t!("AMDT", "A.Md.T.", A, SUF, true, "Ahli Madya Teknik"),
    t!("AMK", "A.M.K.", A, SUF, true, "Ahli Madya Keperawatan"),
    t!("AMKEB", "A.M.Keb.", A, SUF, true, "Ahli Madya Kebidanan"),
    t!("AP", "A.P.", A, SUF, false, "Ahli Pemerintahan"),
    t!("APT", "apt.", P, PRE | SUF, false, "Apoteker"),
    t!("BA", "B.A.", A, SUF, false, "Bachelor of Arts"),
    t!("BAPAK", "Bapak", O, PRE, true, "Bapak (Mr)"),
    t!("BD", "Bd.", P, PRE | SUF, false, "Bidan"),
    t!("BP", "Bp.", O, PRE, true, "Bapak (Mr)"),
    t!("BPK", "Bpk.", O, PRE, true, "Bapak (Mr)"),
    t!("BSC", "B.Sc.", A, SUF, true, "Bachelor of Science"),
    t!("DR", "Dr.", A, PRE | SUF, true, "Doktor / dokter"),
    t!("DRA", "Dra.", A, PRE, true, "Doktoranda"),
    t!("DRG", "drg.", A, PRE, true, "dokter gigi"),
    t!("DRH", "drh.", A, PRE, true, "dokter hewan"),
    t!("DRS", "Drs.", A, PRE, true, "Doktorandus"),
    t!("H", "H.", R, PRE, true, "Haji"),
    t!("HAJAH", "Hajah", R, PRE, true, "Hajah"),
    t!("HAJI", "Haji", R, PRE, true, "Haji"),
    t!("HAJJAH", "Hajjah", R, PRE, true, "Hajjah"),
    t!("HJ", "Hj.", R, PRE, true, "Hajah"),
    t!("IBU", "Ibu", O, PRE, true, "Ibu (Mrs)"),
    t!("IR", "Ir.", A, PRE | SUF, true, "Insinyur"),
    t!("KH", "K.H.", R, PRE, true, "Kiai Haji"),
    t!("KIAI", "Kiai", R, PRE, true, "Kiai"),
    t!("KYAI", "Kyai", R, PRE, true, "Kiai"),
    t!("LC", "Lc.", A, SUF, false, "Licence (Al-Azhar)"),
    t!(
        "MA",
        "M.A.",
        A,
        SUF,
        false,
        "Master of Arts / Magister Agama"
    ),
    t!("MAG", "M.Ag.", A, SUF, true, "Magister Agama"),
    t!("MAK", "M.Ak.", A, SUF, false, "Magister Akuntansi"),
    t!("MAP", "M.AP.", A, SUF, true, "Magister Administrasi Publik"),
    t!(
        "MBA",
        "MBA",
        A,
        SUF,
        true,
        "Master of Business Administration"
    ),
    t!("MD", "M.D.", A, SUF, false, "Medical Doctor"),
    t!("ME", "M.E.", A, SUF, false, "Magister Ekonomi"),
    t!("MEI", "M.E.I.", A, SUF, false, "Magister Ekonomi Islam"),
    t!("MENG", "M.Eng.", A, SUF, true, "Master of Engineering"),
    t!("MFARM", "M.Farm.", A, SUF, true, "Magister Farmasi"),
    t!("MH", "M.H.", A, SUF, true, "Magister Hukum"),
    t!("MHI", "M.H.I.", A, SUF, true, "Magister Hukum Islam"),
    t!("MHUM", "M.Hum.", A, SUF, true, "Magister Humaniora"),
    t!(
        "MIKOM",
        "M.I.Kom.",
        A,
        SUF,
        true,
        "Magister Ilmu Komunikasi"
    ),
    t!("MIP", "M.IP.", A, SUF, true, "Magister Ilmu Pemerintahan"),
    t!("MKED", "M.Ked.", A, SUF, true, "Magister Kedokteran"),
    t!("MKEP", "M.Kep.", A, SUF, true, "Magister Keperawatan"),
    t!("MKES", "M.Kes.", A, SUF, true, "Magister Kesehatan"),
    t!(
        "MKM",
        "M.K.M.",
        A,
        SUF,
        true,
        "Magister Kesehatan Masyarakat"
    ),
    t!("MKN", "M.Kn.", A, SUF, true, "Magister Kenotariatan"),
    t!("MKOM", "M.Kom.", A, SUF, true, "Magister Komputer"),
    t!("MM", "M.M.", A, SUF, true, "Magister Manajemen"),
    t!("MP", "M.P.", A, SUF, false, "Magister Pertanian"),
    t!("MPD", "M.Pd.", A, SUF, true, "Magister Pendidikan"),
    t!("MPDI", "M.Pd.I.", A, SUF, true, "Magister Pendidikan Islam"),
    t!("MPH", "M.P.H.", A, SUF, true, "Master of Public Health"),
    t!("MPHIL", "M.Phil.", A, SUF, true, "Master of Philosophy"),
    t!("MPSI", "M.Psi.", A, SUF, true, "Magister Psikologi"),
    t!("MR", "Mr.", O, PRE, false, "Mister"),
    t!("MRS", "Mrs.", O, PRE, true, "Missis"),
    t!("MS", "M.S.", A, SUF, false, "Magister Sains"),
    t!("MSC", "M.Sc.", A, SUF, true, "Master of Science"),
    t!("MSI", "M.Si.", A, SUF, true, "Magister Sains"),
    t!("MSN", "M.Sn.", A, SUF, true, "Magister Seni"),
    t!("MT", "M.T.", A, SUF, true, "Magister Teknik"),
    t!(
        "MTI",
        "M.T.I.",
        A,
        SUF,
        true,
        "Magister Teknologi Informasi"
    ),
    t!("NN", "Nn.", O, PRE, false, "Nona (Miss)"),
    t!("NONA", "Nona", O, PRE, true, "Nona (Miss)"),
    t!("NS", "Ns.", P, PRE | SUF, false, "Ners (registered nurse)"),
    t!("NY", "Ny.", O, PRE, true, "Nyonya (Mrs)"),
    t!("NYONYA", "Nyonya", O, PRE, true, "Nyonya (Mrs)"),
    t!("PDT", "Pdt.", R, PRE, true, "Pendeta"),
    t!("PHD", "Ph.D.", A, SUF, true, "Doctor of Philosophy"),
    t!("PROF", "Prof.", A, PRE, true, "Profesor"),
    t!("SAB", "S.AB.", A, SUF, true, "Sarjana Administrasi Bisnis"),
    t!("SAG", "S.Ag.", A, SUF, true, "Sarjana Agama"),
    t!("SAK", "S.Ak.", A, SUF, true, "Sarjana Akuntansi"),
    t!("SAP", "S.AP.", A, SUF, true, "Sarjana Administrasi Publik"),
    t!("SAUDARA", "Saudara", O, PRE, true, "Saudara"),
    t!("SAUDARI", "Saudari", O, PRE, true, "Saudari"),
    t!("SDR", "Sdr.", O, PRE, true, "Saudara"),
    t!("SDRA", "Sdra.", O, PRE, true, "Saudara"),
    t!("SDRI", "Sdri.", O, PRE, true, "Saudari"),
    t!("SDS", "S.Ds.", A, SUF, true, "Sarjana Desain"),
    t!("SE", "S.E.", A, SUF, true, "Sarjana Ekonomi"),
    t!("SEI", "S.E.I.", A, SUF, true, "Sarjana Ekonomi Islam"),
    t!("SFARM", "S.Farm.", A, SUF, true, "Sarjana Farmasi"),
    t!("SFIL", "S.Fil.", A, SUF, true, "Sarjana Filsafat"),
    t!("SFT", "S.Ft.", A, SUF, true, "Sarjana Fisioterapi"),
    t!("SGZ", "S.Gz.", A, SUF, true, "Sarjana Gizi"),
    t!("SH", "S.H.", A, SUF, true, "Sarjana Hukum"),
    t!("SHI", "S.H.I.", A, SUF, true, "Sarjana Hukum Islam"),
    t!("SHUM", "S.Hum.", A, SUF, true, "Sarjana Humaniora"),
    t!("SHUT", "S.Hut.", A, SUF, true, "Sarjana Kehutanan"),
    t!("SIKOM", "S.I.Kom.", A, SUF, true, "Sarjana Ilmu Komunikasi"),
    t!("SIP", "S.IP.", A, SUF, true, "Sarjana Ilmu Politik"),
    t!("SKEB", "S.Keb.", A, SUF, true, "Sarjana Kebidanan"),
    t!("SKED", "S.Ked.", A, SUF, true, "Sarjana Kedokteran"),
    t!("SKEP", "S.Kep.", A, SUF, true, "Sarjana Keperawatan"),
    t!("SKG", "S.KG.", A, SUF, true, "Sarjana Kedokteran Gigi"),
    t!("SKH", "S.KH.", A, SUF, true, "Sarjana Kedokteran Hewan"),
    t!(
        "SKM",
        "S.K.M.",
        A,
        SUF,
        true,
        "Sarjana Kesehatan Masyarakat"
    ),
    t!("SKOM", "S.Kom.", A, SUF, true, "Sarjana Komputer"),
    t!("SM", "S.M.", A, SUF, false, "Sarjana Manajemen"),
    t!("SP", "S.P.", A, SUF, false, "Sarjana Pertanian"),
    t!("SPA", "Sp.A.", A, SUF, true, "Spesialis Anak"),
    t!("SPAN", "Sp.An.", A, SUF, true, "Spesialis Anestesi"),
    t!("SPB", "Sp.B.", A, SUF, true, "Spesialis Bedah"),
    t!("SPBS", "Sp.BS.", A, SUF, true, "Spesialis Bedah Saraf"),
    t!("SPD", "S.Pd.", A, SUF, true, "Sarjana Pendidikan"),
    t!("SPDI", "S.Pd.I.", A, SUF, true, "Sarjana Pendidikan Islam"),
    t!(
        "SPDSD",
        "S.Pd.SD.",
        A,
        SUF,
        true,
        "Sarjana Pendidikan Sekolah Dasar"
    ),
    t!(
        "SPDV",
        "Sp.DV.",
        A,
        SUF,
        true,
        "Spesialis Dermatologi dan Venereologi"
    ),
    t!("SPF", "Sp.F.", A, SUF, true, "Spesialis Forensik"),
    t!("SPI", "S.Pi.", A, SUF, true, "Sarjana Perikanan"),
    t!(
        "SPJP",
        "Sp.JP.",
        A,
        SUF,
        true,
        "Spesialis Jantung dan Pembuluh Darah"
    ),
    t!("SPKJ", "Sp.KJ.", A, SUF, true, "Spesialis Kedokteran Jiwa"),
    t!(
        "SPKK",
        "Sp.KK.",
        A,
        SUF,
        true,
        "Spesialis Kulit dan Kelamin"
    ),
    t!("SPM", "Sp.M.", A, SUF, true, "Spesialis Mata"),
    t!("SPN", "Sp.N.", A, SUF, true, "Spesialis Neurologi"),
    t!(
        "SPOG",
        "Sp.OG.",
        A,
        SUF,
        true,
        "Spesialis Obstetri dan Ginekologi"
    ),
    t!("SPOT", "Sp.OT.", A, SUF, true, "Spesialis Ortopedi"),
    t!("SPP", "Sp.P.", A, SUF, true, "Spesialis Paru"),
    t!("SPPA", "Sp.PA.", A, SUF, true, "Spesialis Patologi Anatomi"),
    t!("SPPD", "Sp.PD.", A, SUF, true, "Spesialis Penyakit Dalam"),
    t!("SPPK", "Sp.PK.", A, SUF, true, "Spesialis Patologi Klinik"),
    t!("SPRAD", "Sp.Rad.", A, SUF, true, "Spesialis Radiologi"),
    t!("SPS", "Sp.S.", A, SUF, true, "Spesialis Saraf"),
    t!("SPSI", "S.Psi.", A, SUF, true, "Sarjana Psikologi"),
    t!("SPT", "S.Pt.", A, SUF, true, "Sarjana Peternakan"),
    t!("SPTHT", "Sp.THT.", A, SUF, true, "Spesialis THT"),
    t!(
        "SPTHTKL",
        "Sp.THT-KL.",
        A,
        SUF,
        true,
        "Spesialis THT Kepala Leher"
    ),
    t!("SPU", "Sp.U.", A, SUF, true, "Spesialis Urologi"),
    t!("SS", "S.S.", A, SUF, false, "Sarjana Sastra"),
    t!("SSI", "S.Si.", A, SUF, true, "Sarjana Sains"),
    t!("SSN", "S.Sn.", A, SUF, true, "Sarjana Seni"),
    t!("SSOS", "S.Sos.", A, SUF, true, "Sarjana Sosial"),
    t!("SST", "S.ST.", A, SUF, true, "Sarjana Sains Terapan"),
    t!(
        "SSTP",
        "S.STP.",
        A,
        SUF,
        true,
        "Sarjana Sains Terapan Pemerintahan"
    ),
    t!("SSY", "S.Sy.", A, SUF, true, "Sarjana Syariah"),
    t!("ST", "S.T.", A, SUF, true, "Sarjana Teknik"),
    t!("STH", "S.Th.", A, SUF, true, "Sarjana Teologi"),
    t!("STHI", "S.Th.I.", A, SUF, true, "Sarjana Theologi Islam"),
    t!("STP", "S.TP.", A, SUF, true, "Sarjana Teknologi Pertanian"),
    t!("STR", "S.Tr.", A, SUF, true, "Sarjana Terapan"),
    t!(
        "STRKEB",
        "S.Tr.Keb.",
        A,
        SUF,
        true,
        "Sarjana Terapan Kebidanan"
    ),
    t!(
        "STRKEP",
        "S.Tr.Kep.",
        A,
        SUF,
        true,
        "Sarjana Terapan Keperawatan"
    ),
    t!(
        "STRKES",
        "S.Tr.Kes.",
        A,
        SUF,
        true,
        "Sarjana Terapan Kesehatan"
    ),
    t!("STRT", "S.Tr.T.", A, SUF, true, "Sarjana Terapan Teknik"),
    t!("TGH", "TGH", R, PRE, true, "Tuan Guru Haji"),
    t!("TN", "Tn.", O, PRE, true, "Tuan (Mr)"),
    t!("TUAN", "Tuan", O, PRE, true, "Tuan (Mr)"),
    t!("UST", "Ust.", R, PRE, true, "Ustadz"),
    t!("USTADZ", "Ustadz", R, PRE, true, "Ustadz"),
    t!("USTADZAH", "Ustadzah", R, PRE, true, "Ustadzah"),
    t!("USTAZ", "Ustaz", R, PRE, true, "Ustadz"),
    t!("USTAZAH", "Ustazah", R, PRE, true, "Ustadzah"),
];

/// A flat form of at most 16 letters packed big-endian into a `u128`,
/// zero-padded: for strings of letters the numeric order is the
/// lexicographic order, so [`KEYS`] is sorted like [`TITLES`].
///
/// This is the compile-time form that builds the tables; [`pack`] is the
/// same at run time, without the byte-by-byte loop.
pub(crate) const fn pack_const(s: &[u8]) -> u128 {
    let mut k: u128 = 0;
    let mut i = 0;
    while i < 16 {
        k <<= 8;
        if i < s.len() {
            k |= s[i] as u128;
        }
        i += 1;
    }
    k
}

/// [`pack_const`] at run time: the first 16 bytes, big-endian, zero-padded.
#[inline(always)]
pub(crate) fn pack(s: &[u8]) -> u128 {
    // a fixed-length loop, not a `memcpy` call of a variable length
    let mut b = [0u8; 16];
    for (i, d) in b.iter_mut().enumerate() {
        *d = s.get(i).copied().unwrap_or(0);
    }
    u128::from_be_bytes(b)
}

const fn build_keys() -> [u128; TITLES.len()] {
    let mut keys = [0u128; TITLES.len()];
    let mut i = 0;
    while i < TITLES.len() {
        keys[i] = pack_const(TITLES[i].flat.as_bytes());
        i += 1;
    }
    keys
}

/// Packed flat forms of [`TITLES`], for a lookup without string compares.
static KEYS: [u128; TITLES.len()] = build_keys();

/// The two bit positions (of 1024) of a packed flat form in [`BLOOM`].
#[inline]
const fn bloom_bits(k: u128) -> (usize, usize) {
    let h = ((k as u64) ^ ((k >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((h >> 54) as usize, ((h >> 44) & 1023) as usize)
}

const fn build_bloom() -> [u64; 16] {
    let mut bits = [0u64; 16];
    let mut i = 0;
    while i < TITLES.len() {
        let (a, b) = bloom_bits(pack_const(TITLES[i].flat.as_bytes()));
        bits[a / 64] |= 1 << (a % 64);
        bits[b / 64] |= 1 << (b % 64);
        i += 1;
    }
    bits
}

/// A Bloom filter of [`KEYS`]: most name words are told apart from titles
/// by two bit tests instead of a binary search. A word whose bits are not
/// both set is certainly no title; one whose bits are set is looked up.
static BLOOM: [u64; 16] = build_bloom();

/// The title whose flat form is `flat` (uppercase ASCII letters), if any.
#[inline]
pub(crate) fn lookup(flat: &[u8]) -> Option<&'static Title> {
    if flat.is_empty() || flat.len() > 10 {
        return None;
    }
    let k = pack(flat);
    let (a, b) = bloom_bits(k);
    if BLOOM[a / 64] & (1 << (a % 64)) == 0 || BLOOM[b / 64] & (1 << (b % 64)) == 0 {
        return None;
    }
    KEYS.binary_search(&k).ok().map(|i| &TITLES[i])
}

/// `BARE_START[pos][len][first letter]`: the second letters (bit
/// `c - b'A'`; bit 31 for a one-letter title) of the titles of `len` letters
/// that [`lookup`] finds allowed bare (`bare_ok`) at `pos` (0: before the
/// name, `PRE`; 1: after it, `SUF`). A word whose first two letters are not
/// in its entry is no such title, without the lookup.
static BARE_START: [[[u32; 26]; 11]; 2] = {
    let mut t = [[[0u32; 26]; 11]; 2];
    let mut i = 0;
    while i < TITLES.len() {
        let f = TITLES[i].flat.as_bytes();
        if TITLES[i].bare_ok && !f.is_empty() && f.len() <= 10 {
            let bit = if f.len() > 1 {
                1u32 << ((f[1] - b'A') as u32)
            } else {
                1 << 31
            };
            let first = (f[0] - b'A') as usize;
            if TITLES[i].pos & PRE != 0 {
                t[0][f.len()][first] |= bit;
            }
            if TITLES[i].pos & SUF != 0 {
                t[1][f.len()][first] |= bit;
            }
        }
        i += 1;
    }
    t
};

/// The title that `word` (uppercase letters `A`–`Z` only) is when allowed
/// bare at `pos` (`PRE` or `SUF`): the [`lookup`] of a plain word, with
/// most words ruled out by one table load first.
#[inline]
pub(crate) fn bare_title(word: &[u8], pos: u8) -> bool {
    let (Some(&c), true) = (word.first(), word.len() <= 10) else {
        return false;
    };
    let Some(&seconds) =
        BARE_START[usize::from(pos == SUF)][word.len()].get(usize::from(c.wrapping_sub(b'A')))
    else {
        return false;
    };
    let bit = match word.get(1) {
        Some(&d) => 1u32 << (d.wrapping_sub(b'A') & 31),
        None => 1 << 31,
    };
    if seconds & bit == 0 {
        return false;
    }
    matches!(lookup(word), Some(t) if t.pos & pos != 0 && t.bare_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_flat() {
        for w in TITLES.windows(2) {
            assert!(w[0].flat < w[1].flat, "{} !< {}", w[0].flat, w[1].flat);
        }
        for t in TITLES {
            assert!(t.flat.bytes().all(|b| b.is_ascii_uppercase()), "{}", t.flat);
            assert!(t.flat.len() <= 10);
            let flat_of_written: alloc::string::String = t
                .written
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            assert_eq!(flat_of_written, t.flat, "written form of {}", t.flat);
            assert!(t.pos != 0);
        }
    }

    #[test]
    fn pack_at_run_time_is_pack_const() {
        for s in [
            &b""[..],
            b"A",
            b"SPTHTKL",
            b"ABCDEFGHIJKLMNOP",
            b"ABCDEFGHIJKLMNOPQRS",
            b"\0\xff",
        ] {
            assert_eq!(pack(s), pack_const(s), "{s:?}");
        }
    }

    #[test]
    fn bare_title_is_the_lookup() {
        let mut words: alloc::vec::Vec<alloc::string::String> =
            TITLES.iter().map(|t| t.flat.into()).collect();
        for t in TITLES {
            for c in b'A'..=b'Z' {
                let mut w = alloc::string::String::from(t.flat);
                w.push(c as char);
                words.push(w.clone());
                w.remove(0);
                words.push(w);
            }
        }
        for w in ["SITI", "HAJI", "ANDI", "ABCDEFGHIJK", "Z", "A"] {
            words.push(w.into());
        }
        for a in b'A'..=b'Z' {
            words.push(alloc::string::String::from(a as char));
            for b in b'A'..=b'Z' {
                words.push([a as char, b as char].iter().collect());
            }
        }
        for w in &words {
            for pos in [PRE, SUF] {
                let want = matches!(lookup(w.as_bytes()), Some(t) if t.pos & pos != 0 && t.bare_ok);
                assert_eq!(bare_title(w.as_bytes(), pos), want, "{w}");
            }
        }
    }

    #[test]
    fn packed_keys_are_sorted() {
        assert!(KEYS.windows(2).all(|w| w[0] < w[1]));
        for t in TITLES {
            assert_eq!(lookup(t.flat.as_bytes()).map(|x| x.flat), Some(t.flat));
        }
    }

    #[test]
    fn real_names_are_not_titles() {
        for name in [
            "ANDI", "HABIB", "RADEN", "TEUKU", "SITI", "NUR", "M", "MOCH", "ST", "GUS",
        ] {
            let t = lookup(name.as_bytes());
            assert!(t.is_none() || t.unwrap().pos & PRE == 0, "{name}");
        }
    }
}
