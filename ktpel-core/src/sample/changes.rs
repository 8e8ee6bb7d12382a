//! The later snapshot: births, deaths, moves, arrivals, marriages, divorces,
//! widowhood, corrections and removals applied to each household, with one
//! [`Change`] per person and event.
//!
//! Invariant (tested): for every NIK the elements named by its changes are
//! disjoint, and they are exactly the elements that differ between the two
//! snapshots; births and arrivals are the NIKs only in the later snapshot,
//! removals the NIKs only in the earlier one.

// Members are addressed by index across several parallel vectors (rows,
// touched elements, died, left); index loops are the clearer form here.
#![allow(clippy::needless_range_loop)]

use chrono::{Days, NaiveDate};

use crate::nik::Sex;
use crate::region::{Level, RegionCode};

use super::household::{
    self, Calibration, DraftCtx, HouseholdDraft, death_weight, make_kk, make_nik,
};
use super::names::{self, OldRules, Who};
use super::rng::{Rng, Stream};
use super::serial::Counter;
use super::world::World;
use super::{
    Config, Element, FamilyRelation, GenError, LifeStatus, MaritalStatus, Religion, Resident,
    age_on,
};

/// Kind of register change (the `TYPE` column of `truth_changes.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Birth in the period: a new NIK in the mother's family card.
    Lahir,
    /// Death: STATUS HIDUP → MATI.
    Mati,
    /// Move to another village/district (address columns, usually NO_KK;
    /// STAT_HBKEL when someone leaves a family card alone).
    Pindah,
    /// Arrival of someone not born in the period (new NIK in the snapshot).
    Datang,
    /// Marriage: STAT_KWN BELUM KAWIN → KAWIN (and a new KK when leaving
    /// the parents' card).
    Kawin,
    /// Divorce: STAT_KWN KAWIN → CERAI HIDUP (the spouse gets an own KK).
    CeraiHidup,
    /// Widowhood: STAT_KWN KAWIN → CERAI MATI after the spouse's death.
    CeraiMati,
    /// Correction of data (name spelling, occupation, religion, address).
    UbahData,
    /// Removal without death (duplicate record, emigration).
    Hapus,
}

impl ChangeKind {
    /// Every kind.
    pub const ALL: [ChangeKind; 9] = [
        ChangeKind::Lahir,
        ChangeKind::Mati,
        ChangeKind::Pindah,
        ChangeKind::Datang,
        ChangeKind::Kawin,
        ChangeKind::CeraiHidup,
        ChangeKind::CeraiMati,
        ChangeKind::UbahData,
        ChangeKind::Hapus,
    ];

    /// Stable name: `LAHIR`, `MATI`, `PINDAH`, `DATANG`, `KAWIN`,
    /// `CERAI_HIDUP`, `CERAI_MATI`, `UBAH_DATA`, `HAPUS`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Lahir => "LAHIR",
            ChangeKind::Mati => "MATI",
            ChangeKind::Pindah => "PINDAH",
            ChangeKind::Datang => "DATANG",
            ChangeKind::Kawin => "KAWIN",
            ChangeKind::CeraiHidup => "CERAI_HIDUP",
            ChangeKind::CeraiMati => "CERAI_MATI",
            ChangeKind::UbahData => "UBAH_DATA",
            ChangeKind::Hapus => "HAPUS",
        }
    }

    /// The kind with this name.
    pub fn from_name(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One change of one person between the snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// NIK of the person.
    pub nik: String,
    /// What happened.
    pub kind: ChangeKind,
    /// When (within the period).
    pub date: NaiveDate,
    /// Elements that changed (empty for LAHIR, DATANG and HAPUS: the whole
    /// row appears or disappears).
    pub elements: Vec<Element>,
    /// Old values, aligned with `elements`.
    pub old: Vec<String>,
    /// New values, aligned with `elements`.
    pub new: Vec<String>,
}

/// Serial counters of the later snapshot's new numbers.
pub(crate) struct NewIds {
    births: Counter,
    arrivals: Counter,
    kk: Counter,
}

impl NewIds {
    pub(crate) fn new() -> NewIds {
        NewIds {
            births: Counter::sparse(1, 4999),
            arrivals: Counter::sparse(5000, 7499),
            kk: Counter::sparse(1, 4999),
        }
    }
}

pub(crate) fn can_marry(m: MaritalStatus, age: i32) -> bool {
    m == MaritalStatus::BelumKawin && (19..=60).contains(&age)
}

pub(crate) fn can_move_alone(rel: FamilyRelation, age: i32) -> bool {
    rel != FamilyRelation::KepalaKeluarga && (18..=70).contains(&age)
}

/// Index of a possible mother: living married woman aged 18-45, head or spouse.
pub(crate) fn mother_index(
    members: impl Iterator<Item = (bool, bool, MaritalStatus, FamilyRelation, NaiveDate)>,
    at: NaiveDate,
) -> Option<usize> {
    members.take(2).position(|(male, dead, m, rel, birth)| {
        !male
            && !dead
            && m == MaritalStatus::Kawin
            && matches!(rel, FamilyRelation::KepalaKeluarga | FamilyRelation::Istri)
            && (18..=45).contains(&age_on(birth, at))
    })
}

/// Whether head and spouse are a living married couple.
pub(crate) fn is_couple(
    mut members: impl Iterator<Item = (bool, MaritalStatus, FamilyRelation)>,
) -> bool {
    let (Some(a), Some(b)) = (members.next(), members.next()) else {
        return false;
    };
    !a.0 && !b.0
        && a.1 == MaritalStatus::Kawin
        && b.1 == MaritalStatus::Kawin
        && matches!(b.2, FamilyRelation::Istri | FamilyRelation::Suami)
}

fn diff(a: &Resident, b: &Resident) -> (Vec<Element>, Vec<String>, Vec<String>) {
    let (fa, fb) = (a.fields(), b.fields());
    let (xa, xb) = (fa.array(), fb.array());
    let mut e = Vec::new();
    let mut o = Vec::new();
    let mut n = Vec::new();
    for el in Element::ALL {
        let (x, y) = (xa[el as usize], xb[el as usize]);
        if x != y {
            e.push(el);
            o.push(x.to_string());
            n.push(y.to_string());
        }
    }
    (e, o, n)
}

struct State<'a> {
    later: Vec<Resident>,
    touched: Vec<u32>,
    changes: Vec<Change>,
    cfg: &'a Config,
}

impl State<'_> {
    fn alive(&self, i: usize) -> bool {
        self.later[i].status == LifeStatus::Hidup
    }

    fn free(&self, i: usize, els: &[Element]) -> bool {
        els.iter().all(|e| self.touched[i] & (1 << *e as u32) == 0)
    }

    /// Applies `f` to person `i` and records the change.
    fn change(
        &mut self,
        i: usize,
        kind: ChangeKind,
        date: NaiveDate,
        f: impl FnOnce(&mut Resident),
    ) -> Result<(), GenError> {
        let before = self.later[i].clone();
        f(&mut self.later[i]);
        let (elements, old, new) = diff(&before, &self.later[i]);
        if elements.is_empty() {
            return Ok(());
        }
        let mut mask = 0u32;
        for e in &elements {
            mask |= 1 << *e as u32;
        }
        if self.touched[i] & mask != 0 {
            return Err(GenError::Internal(
                "two changes of one person touch the same element",
            ));
        }
        self.touched[i] |= mask;
        self.changes.push(Change {
            nik: before.nik.as_str().to_string(),
            kind,
            date,
            elements,
            old,
            new,
        });
        Ok(())
    }

    fn date(&self, rng: &mut Rng) -> NaiveDate {
        let days = (self.cfg.later_as_of - self.cfg.as_of).num_days().max(1);
        self.cfg
            .as_of
            .checked_add_days(Days::new(1 + rng.below(days as usize) as u64))
            .unwrap_or(self.cfg.later_as_of)
    }
}

/// A new place to live: district index, village, address, RT, RW.
fn new_place(
    rng: &mut Rng,
    w: &World,
    from: usize,
    style: names::Style,
) -> (usize, RegionCode, String, u16, u16) {
    let r = rng.unit();
    let d = if r < 0.4 {
        from
    } else if r < 0.7 {
        w.district_in_province(rng, w.districts[from].province)
    } else {
        w.random_district(rng)
    };
    let dist = &w.districts[d];
    let suffix = *rng.pick(&dist.villages);
    let village = RegionCode::from_number(
        Level::Village,
        dist.code.number() * 10_000 + u64::from(suffix),
    )
    .unwrap_or(dist.code);
    let addr = household::address(rng, w, village, style);
    (
        d,
        village,
        addr,
        rng.range(1, 15) as u16,
        rng.range(1, 12) as u16,
    )
}

fn district_of(w: &World, village: RegionCode) -> usize {
    let d = village.ancestor(Level::District);
    w.districts
        .partition_point(|x| x.code < d)
        .min(w.districts.len() - 1)
}

/// One character edit of a name (a clerk's correction of a typo).
pub(crate) fn edit_name(rng: &mut Rng, name: &str) -> String {
    let b: Vec<u8> = name.bytes().collect();
    let letters: Vec<usize> = (0..b.len())
        .filter(|&i| b[i].is_ascii_uppercase())
        .collect();
    if letters.is_empty() {
        return name.to_string();
    }
    let i = *rng.pick(&letters);
    let mut out = b.clone();
    match rng.below(4) {
        0 => {
            let mut c = b'A' + rng.below(26) as u8;
            if c == b[i] {
                c = if c == b'Z' { b'A' } else { c + 1 };
            }
            out[i] = c;
        }
        1 if letters.len() > 3 => {
            out.remove(i);
        }
        2 => out.insert(i, b[i]),
        _ => {
            if i + 1 < b.len() && b[i + 1].is_ascii_uppercase() && b[i + 1] != b[i] {
                out.swap(i, i + 1);
            } else {
                out.insert(i, b[i]);
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| name.to_string())
}

/// Applies the period's changes to one household.
pub(crate) fn apply(
    w: &World,
    cfg: &Config,
    calib: &Calibration,
    ids: &mut NewIds,
    h: u64,
    draft: &HouseholdDraft,
    register: &[Resident],
) -> Result<(Vec<Resident>, Vec<Change>), GenError> {
    let mut rng = Rng::derive(cfg.seed, Stream::Changes, h);
    let y = cfg.period_years();
    let r = &cfg.changes;
    let n = register.len();
    let mut s = State {
        later: register.to_vec(),
        touched: vec![0; n],
        changes: Vec::new(),
        cfg,
    };
    let mut left = vec![false; n];
    let later_ref = cfg.later_as_of;

    // deaths
    let mut died = vec![false; n];
    for i in 0..n {
        if !s.alive(i) {
            continue;
        }
        let age = age_on(s.later[i].birth_date, cfg.as_of);
        let p = r.deaths * y * death_weight(age) / calib.living_death_weight;
        if rng.chance(p) {
            let d = s.date(&mut rng);
            s.change(i, ChangeKind::Mati, d, |p| p.status = LifeStatus::Mati)?;
            died[i] = true;
        }
    }
    // widowhood
    let couple_before = n >= 2
        && matches!(
            s.later[1].relation,
            FamilyRelation::Istri | FamilyRelation::Suami
        )
        && register[0].status == LifeStatus::Hidup
        && register[1].status == LifeStatus::Hidup
        && register[0].marital_status == MaritalStatus::Kawin
        && register[1].marital_status == MaritalStatus::Kawin;
    if couple_before && died[0] != died[1] {
        let survivor = if died[0] { 1 } else { 0 };
        let d = s.date(&mut rng);
        s.change(survivor, ChangeKind::CeraiMati, d, |p| {
            p.marital_status = MaritalStatus::CeraiMati
        })?;
    }
    // divorce
    if couple_before && !died[0] && !died[1] && rng.chance(r.divorces / 2.0 * y * calib.per_couple)
    {
        let d = s.date(&mut rng);
        let kk = make_kk(
            w,
            &mut ids.kk,
            draft_district_code(w, &s.later[1]),
            d,
            later_ref,
        )?;
        s.change(0, ChangeKind::CeraiHidup, d, |p| {
            p.marital_status = MaritalStatus::CeraiHidup
        })?;
        s.change(1, ChangeKind::CeraiHidup, d, |p| {
            p.marital_status = MaritalStatus::CeraiHidup;
            p.no_kk = kk;
            p.relation = FamilyRelation::KepalaKeluarga;
        })?;
        left[1] = true;
    }
    // marriages
    for i in 0..n {
        let age = age_on(s.later[i].birth_date, cfg.as_of);
        if !s.alive(i)
            || !can_marry(s.later[i].marital_status, age)
            || !s.free(i, &[Element::StatKwn])
        {
            continue;
        }
        if rng.chance(r.marriages * y * calib.per_unmarried_adult) {
            let d = s.date(&mut rng);
            let head = s.later[i].relation == FamilyRelation::KepalaKeluarga;
            let kk = if head {
                None
            } else {
                Some(make_kk(
                    w,
                    &mut ids.kk,
                    draft_district_code(w, &s.later[i]),
                    d,
                    later_ref,
                )?)
            };
            s.change(i, ChangeKind::Kawin, d, |p| {
                p.marital_status = MaritalStatus::Kawin;
                if let Some(kk) = kk {
                    p.no_kk = kk;
                    p.relation = if p.sex == Sex::Male {
                        FamilyRelation::KepalaKeluarga
                    } else {
                        FamilyRelation::Istri
                    };
                }
            })?;
            left[i] |= !head;
        }
    }
    // household move
    let place_els = [
        Element::Alamat,
        Element::NoRt,
        Element::NoRw,
        Element::NoKel,
        Element::NoKk,
    ];
    if n > 0 && rng.chance(r.moves * 0.7 * y) {
        let (d, village, addr, rt, rw) = new_place(&mut rng, w, draft.district, draft.family.style);
        let date = s.date(&mut rng);
        let kk = make_kk(w, &mut ids.kk, w.districts[d].code, date, later_ref)?;
        for i in 0..n {
            if !s.alive(i) || left[i] || !s.free(i, &place_els) {
                continue;
            }
            let addr = addr.clone();
            s.change(i, ChangeKind::Pindah, date, |p| {
                p.village = village;
                p.address = addr;
                p.rt = rt;
                p.rw = rw;
                p.no_kk = kk;
            })?;
        }
    }
    // individual moves
    for i in 0..n {
        let age = age_on(s.later[i].birth_date, cfg.as_of);
        if !s.alive(i)
            || left[i]
            || !can_move_alone(s.later[i].relation, age)
            || !s.free(i, &place_els)
            || !s.free(i, &[Element::StatHbkel])
        {
            continue;
        }
        if rng.chance(r.moves * 0.3 * y * calib.per_mover) {
            let from = district_of(w, s.later[i].village);
            let (d, village, addr, rt, rw) = new_place(&mut rng, w, from, draft.family.style);
            let date = s.date(&mut rng);
            let kk = make_kk(w, &mut ids.kk, w.districts[d].code, date, later_ref)?;
            s.change(i, ChangeKind::Pindah, date, |p| {
                p.village = village;
                p.address = addr;
                p.rt = rt;
                p.rw = rw;
                p.no_kk = kk;
                p.relation = FamilyRelation::KepalaKeluarga;
            })?;
            left[i] = true;
        }
    }
    // corrections
    for i in 0..n {
        if !s.alive(i) || !rng.chance(r.corrections * y) {
            continue;
        }
        let x = rng.unit();
        let el = if x < 0.4 {
            Element::NamaLgkp
        } else if x < 0.8 {
            Element::JenisPkrjn
        } else if x < 0.95 {
            Element::Alamat
        } else {
            Element::Agama
        };
        if !s.free(i, &[el]) {
            continue;
        }
        let d = s.date(&mut rng);
        match el {
            Element::NamaLgkp => {
                let old = s.later[i].name.clone();
                let modern = names::old_spelling(&old, OldRules(0));
                let fixed = if rng.chance(0.3) {
                    names::old_spelling(&old, OldRules(OldRules::OE))
                } else {
                    edit_name(&mut rng, &modern)
                };
                let fixed = names::fit(fixed);
                s.change(i, ChangeKind::UbahData, d, |p| p.name = fixed)?;
            }
            Element::JenisPkrjn => {
                let age = age_on(s.later[i].birth_date, cfg.as_of);
                let male = s.later[i].sex == Sex::Male;
                let mut o = household::occupation(&mut rng, age, male);
                for _ in 0..4 {
                    if o != s.later[i].occupation {
                        break;
                    }
                    o = household::occupation(&mut rng, age.max(25), male);
                }
                s.change(i, ChangeKind::UbahData, d, |p| p.occupation = o)?;
            }
            Element::Alamat => {
                let a = household::address(&mut rng, w, s.later[i].village, draft.family.style);
                s.change(i, ChangeKind::UbahData, d, |p| p.address = a)?;
            }
            _ => {
                let cur = s.later[i].religion;
                let other = Religion::ALL[(cur as usize + 1 + rng.below(2)) % 3];
                s.change(i, ChangeKind::UbahData, d, |p| p.religion = other)?;
            }
        }
    }
    // removals
    let mut removed = vec![false; n];
    for (i, rm) in removed.iter_mut().enumerate() {
        if s.alive(i) && s.touched[i] == 0 && rng.chance(r.removals * y) {
            *rm = true;
            let d = s.date(&mut rng);
            s.changes.push(Change {
                nik: s.later[i].nik.as_str().to_string(),
                kind: ChangeKind::Hapus,
                date: d,
                elements: Vec::new(),
                old: Vec::new(),
                new: Vec::new(),
            });
            s.touched[i] = u32::MAX;
        }
    }
    // births
    let mother = mother_index(
        s.later.iter().map(|p| {
            (
                p.sex == Sex::Male,
                p.status == LifeStatus::Mati,
                register_marital(p),
                p.relation,
                p.birth_date,
            )
        }),
        cfg.as_of,
    )
    .filter(|&m| !left[m] && !removed[m] && s.later[m].marital_status == MaritalStatus::Kawin);
    let mut newborns = Vec::new();
    if let Some(m) = mother
        && rng.chance(r.births * y * calib.per_mother_household)
    {
        let birth = s.date(&mut rng);
        let male = rng.chance(0.51);
        let mo = &s.later[m];
        let order = s
            .later
            .iter()
            .filter(|p| p.relation == FamilyRelation::Anak)
            .count();
        let who = Who {
            male,
            birth_year: chrono::Datelike::year(&birth),
            birth_order: order,
            own_surname: None,
        };
        let name = names::full_name(&w.names, &mut rng, &draft.family, &who);
        let dist = mo.village.ancestor(Level::District);
        let di = district_of(w, mo.village);
        let nik = make_nik(w, &mut ids.births, dist, birth, male, later_ref)?;
        let child = Resident {
            nik,
            no_kk: mo.no_kk,
            name,
            birth_place: w.districts[di].birth_place,
            birth_date: birth,
            sex: if male { Sex::Male } else { Sex::Female },
            religion: mo.religion,
            marital_status: MaritalStatus::BelumKawin,
            relation: FamilyRelation::Anak,
            occupation: "BELUM/TIDAK BEKERJA",
            address: mo.address.clone(),
            rt: mo.rt,
            rw: mo.rw,
            village: mo.village,
            mother_name: mo.name.clone(),
            status: LifeStatus::Hidup,
        };
        s.changes.push(Change {
            nik: child.nik.as_str().to_string(),
            kind: ChangeKind::Lahir,
            date: birth,
            elements: Vec::new(),
            old: Vec::new(),
            new: Vec::new(),
        });
        newborns.push(child);
    }
    // arrivals: a whole household appearing after this one
    let mut arrivals = Vec::new();
    if rng.chance(r.arrivals * y) {
        let mut arng = Rng::derive(cfg.seed, Stream::Arrivals, h);
        let c = DraftCtx {
            w,
            as_of: cfg.as_of,
            death_scale: 0.0,
        };
        let hd = household::draft_household(&mut arng, &c);
        let date = s.date(&mut arng);
        let dcode = w.districts[hd.district].code;
        let kk = make_kk(w, &mut ids.kk, dcode, date, later_ref)?;
        for m in &hd.members {
            let nik = make_nik(
                w,
                &mut ids.arrivals,
                m.nik_district,
                m.birth,
                m.male,
                later_ref,
            )?;
            s.changes.push(Change {
                nik: nik.as_str().to_string(),
                kind: ChangeKind::Datang,
                date,
                elements: Vec::new(),
                old: Vec::new(),
                new: Vec::new(),
            });
            arrivals.push(Resident {
                nik,
                no_kk: kk,
                name: m.name.clone(),
                birth_place: m.birth_place,
                birth_date: m.birth,
                sex: if m.male { Sex::Male } else { Sex::Female },
                religion: hd.religion,
                marital_status: m.marital,
                relation: m.relation,
                occupation: m.occupation,
                address: hd.address.clone(),
                rt: hd.rt,
                rw: hd.rw,
                village: hd.village,
                mother_name: m.mother_name.clone(),
                status: LifeStatus::Hidup,
            });
        }
    }
    let mut later: Vec<Resident> = s
        .later
        .into_iter()
        .zip(removed)
        .filter_map(|(p, rm)| (!rm).then_some(p))
        .collect();
    later.extend(newborns);
    later.extend(arrivals);
    Ok((later, s.changes))
}

fn register_marital(p: &Resident) -> MaritalStatus {
    p.marital_status
}

fn draft_district_code(_w: &World, p: &Resident) -> RegionCode {
    p.village.ancestor(Level::District)
}
