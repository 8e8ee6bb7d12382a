//! Households of the register, and the streaming [`Generator`] that emits
//! each household's register rows, later-snapshot rows, changes and agency
//! rows.

use chrono::{Days, NaiveDate};

use crate::kk::Kk;
use crate::nik::{Nik, Sex};
use crate::region::{Level, RegionCode};

use super::agency::{AgencyRow, AgencySampler};
use super::changes::{self, Change, NewIds};
use super::names::{self, Family, Style, Who};
use super::rng::{Rng, Stream, cumulative};
use super::serial::Counter;
use super::world::{World, styles, world};
use super::{
    Config, FamilyRelation, GenError, LifeStatus, MaritalStatus, Religion, Resident, age_on,
};

/// A person before the NIK is assigned.
#[derive(Clone)]
pub(crate) struct Draft {
    pub name: String,
    pub male: bool,
    pub birth: NaiveDate,
    pub birth_place: &'static str,
    pub marital: MaritalStatus,
    pub relation: FamilyRelation,
    pub occupation: &'static str,
    pub mother_name: String,
    pub dead: bool,
    /// Index into `World::all_districts` of the NIK's district.
    pub nik_district: RegionCode,
}

/// A household before numbers are assigned.
pub(crate) struct HouseholdDraft {
    pub district: usize,
    pub village: RegionCode,
    pub address: String,
    pub rt: u16,
    pub rw: u16,
    pub kk_date: NaiveDate,
    pub religion: Religion,
    pub family: Family,
    pub members: Vec<Draft>,
}

/// Occupations (JENIS_PKRJN, Dukcapil spellings) of working-age adults with
/// rough weights from the 2022 register's distribution.
const OCCUPATIONS: [(&str, f64); 22] = [
    ("WIRASWASTA", 20.0),
    ("KARYAWAN SWASTA", 18.0),
    ("PETANI/PEKEBUN", 15.0),
    ("BURUH HARIAN LEPAS", 10.0),
    ("PEDAGANG", 6.0),
    ("BELUM/TIDAK BEKERJA", 6.0),
    ("PEGAWAI NEGERI SIPIL (PNS)", 4.0),
    ("BURUH TANI/PERKEBUNAN", 3.0),
    ("GURU", 2.0),
    ("NELAYAN/PERIKANAN", 2.0),
    ("SOPIR", 1.5),
    ("KARYAWAN BUMN", 1.0),
    ("TUKANG BATU", 1.0),
    ("KARYAWAN HONORER", 1.0),
    ("TENTARA NASIONAL INDONESIA (TNI)", 0.6),
    ("KEPOLISIAN RI (POLRI)", 0.6),
    ("PERANGKAT DESA", 0.5),
    ("PERAWAT", 0.5),
    ("BIDAN", 0.3),
    ("DOKTER", 0.2),
    ("DOSEN", 0.2),
    ("PENSIUNAN", 0.2),
];

pub(crate) fn occupation(rng: &mut Rng, age: i32, male: bool) -> &'static str {
    if age < 5 {
        return "BELUM/TIDAK BEKERJA";
    }
    if age < 19 || (age < 23 && rng.chance(0.45)) {
        return "PELAJAR/MAHASISWA";
    }
    if !male && rng.chance(0.45) {
        return "MENGURUS RUMAH TANGGA";
    }
    if age >= 60 {
        let r = rng.unit();
        if r < 0.2 {
            return "PENSIUNAN";
        } else if r < 0.5 {
            return "BELUM/TIDAK BEKERJA";
        }
    }
    static CUM: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let cum = CUM.get_or_init(|| cumulative(&OCCUPATIONS.map(|o| o.1)));
    loop {
        let o = OCCUPATIONS[rng.weighted(cum)].0;
        if !male
            && matches!(
                o,
                "TENTARA NASIONAL INDONESIA (TNI)" | "SOPIR" | "TUKANG BATU" | "NELAYAN/PERIKANAN"
            )
        {
            continue;
        }
        if male && o == "BIDAN" {
            continue;
        }
        return o;
    }
}

/// A birth date for someone aged `age` (whole years) on `at`.
pub(crate) fn birth_for_age(rng: &mut Rng, at: NaiveDate, age: i32) -> NaiveDate {
    let days = age.max(0) as u64 * 365 + (age.max(0) as u64 / 4) + rng.below(365) as u64;
    at.checked_sub_days(Days::new(days)).unwrap_or(at)
}

/// An address in `village` (ALAMAT text).
pub(crate) fn address(rng: &mut Rng, w: &World, village: RegionCode, style: Style) -> String {
    let kelurahan = village.number() % 10_000 / 1000 == 1;
    let l = &w.names;
    let r = rng.unit();
    if kelurahan {
        if r < 0.55 {
            format!("JL. {} NO. {}", l.pick(rng, "street"), rng.range(1, 150))
        } else if r < 0.8 {
            format!("GG. {} NO. {}", l.pick(rng, "street"), rng.range(1, 60))
        } else {
            let blok = (b'A' + rng.below(8) as u8) as char;
            format!(
                "PERUM {} BLOK {}{} NO. {}",
                l.pick(rng, "housing"),
                blok,
                rng.range(1, 20),
                rng.range(1, 40)
            )
        }
    } else if r < 0.35 {
        let kp = if matches!(style, Style::Sunda) {
            "KP."
        } else {
            "DUSUN"
        };
        format!("{kp} {}", l.pick(rng, "hamlet"))
    } else if r < 0.6 {
        format!("JL. {} NO. {}", l.pick(rng, "street"), rng.range(1, 150))
    } else if r < 0.8 {
        format!("DUSUN {}", l.pick(rng, "hamlet"))
    } else {
        l.pick(rng, "hamlet").to_string()
    }
}

/// Relative mortality by age, used both for the deceased share of the
/// register and for deaths in the period.
pub(crate) fn death_weight(age: i32) -> f64 {
    match age {
        ..=0 => 0.6,
        1..=39 => 0.15,
        40..=59 => 0.8,
        60..=74 => 3.0,
        _ => 8.0,
    }
}

fn family_for(rng: &mut Rng, w: &World, prov: u8, religion: Religion) -> Family {
    let style = rng.pick_weighted(styles(prov, religion));
    let surname = style
        .family_section()
        .map(|s| w.names.pick(rng, s).to_string());
    let noble = match style {
        Style::Bugis => rng.chance(0.2),
        Style::Sasak => rng.chance(0.12),
        _ => false,
    };
    let caste = if style == Style::Bali {
        let r = rng.unit();
        if r < 0.05 {
            2
        } else if r < 0.15 {
            1
        } else {
            0
        }
    } else {
        0
    };
    Family {
        style,
        muslim: religion == Religion::Islam,
        surname,
        noble,
        caste,
    }
}

/// Another surname of the family's kind (a spouse's own marga / fam).
fn own_surname(rng: &mut Rng, w: &World, f: &Family) -> Option<String> {
    f.style
        .family_section()
        .map(|s| w.names.pick(rng, s).to_string())
}

pub(crate) struct DraftCtx<'a> {
    pub w: &'a World,
    pub as_of: NaiveDate,
    /// Multiplier of [`death_weight`] giving the probability of being
    /// deceased already at `as_of`.
    pub death_scale: f64,
}

#[allow(clippy::too_many_arguments)]
fn person_name(
    rng: &mut Rng,
    c: &DraftCtx<'_>,
    f: &Family,
    male: bool,
    birth: NaiveDate,
    order: usize,
    surname: Option<String>,
    titled: bool,
) -> String {
    let who = Who {
        male,
        birth_year: chrono::Datelike::year(&birth),
        birth_order: order,
        own_surname: surname,
    };
    let n = names::full_name(&c.w.names, rng, f, &who);
    if titled {
        let age = age_on(birth, c.as_of);
        names::add_register_title(rng, &n, male, f.muslim, age, who.birth_year)
    } else {
        n
    }
}

/// A mother's name for someone born on `birth` (not herself in the file).
fn mother_of(rng: &mut Rng, c: &DraftCtx<'_>, f: &Family, birth: NaiveDate) -> String {
    let mb = birth
        .checked_sub_days(Days::new(365 * rng.range(18, 38) as u64))
        .unwrap_or(birth);
    let s = own_surname(rng, c.w, f);
    let o = rng.below(4);
    person_name(rng, c, f, false, mb, o, s, false)
}

/// Draws one household living in a random district.
pub(crate) fn draft_household(rng: &mut Rng, c: &DraftCtx<'_>) -> HouseholdDraft {
    let w = c.w;
    let di = w.random_district(rng);
    draft_household_in(rng, c, di)
}

/// Draws one household living in district `di`.
pub(crate) fn draft_household_in(rng: &mut Rng, c: &DraftCtx<'_>, di: usize) -> HouseholdDraft {
    let w = c.w;
    let d = &w.districts[di];
    let prov = &w.provinces[d.province];
    let suffix = *rng.pick(&d.villages);
    let village =
        RegionCode::from_number(Level::Village, d.code.number() * 10_000 + u64::from(suffix))
            .unwrap_or(d.code);
    let religion = Religion::ALL[rng.weighted(&prov.religion_cum)];
    let family = family_for(rng, w, prov.code, religion);
    let addr = address(rng, w, village, family.style);
    let rt = rng.range(1, 15) as u16;
    let rw = rng.range(1, 12) as u16;

    let kind = rng.unit();
    let (single, couple, extended) = (kind < 0.09, (0.09..0.21).contains(&kind), kind >= 0.87);
    let head_male = if single {
        rng.chance(0.55)
    } else if couple {
        rng.chance(0.97)
    } else {
        rng.chance(0.86)
    };
    let head_age = if single {
        rng.range(19, 85)
    } else if couple {
        rng.range(22, 80)
    } else if extended {
        rng.range(38, 75)
    } else {
        rng.range(24, 68)
    } as i32;
    let with_spouse = couple || (!single && head_male && rng.chance(0.95));
    let head_birth = birth_for_age(rng, c.as_of, head_age);
    let mut members: Vec<Draft> = Vec::with_capacity(6);
    let place = d.birth_place;
    let draft = |rng: &mut Rng,
                 name: String,
                 male: bool,
                 birth: NaiveDate,
                 relation,
                 marital,
                 mother_name: String,
                 migrant_ok: bool| {
        let age = age_on(birth, c.as_of);
        let (mut nik_district, mut birth_place) = (d.code, place);
        if migrant_ok && rng.chance(0.12) {
            let o = &w.districts[w.random_district(rng)];
            nik_district = o.code;
            birth_place = o.birth_place;
        } else if let Some((h, last)) = d.historic
            && chrono::Datelike::year(&birth) <= last
            && rng.chance(0.8)
        {
            nik_district = h;
        }
        Draft {
            name,
            male,
            birth,
            birth_place,
            marital,
            relation,
            occupation: occupation(rng, age, male),
            mother_name,
            dead: false,
            nik_district,
        }
    };

    // head
    let head_marital = if with_spouse {
        MaritalStatus::Kawin
    } else if single && head_age < 32 {
        MaritalStatus::BelumKawin
    } else if single {
        [
            MaritalStatus::BelumKawin,
            MaritalStatus::CeraiHidup,
            MaritalStatus::CeraiMati,
        ][rng.below(3)]
    } else if rng.chance(0.6) {
        MaritalStatus::CeraiMati
    } else {
        MaritalStatus::CeraiHidup
    };
    let head_surname = if head_male {
        None
    } else {
        own_surname(rng, w, &family)
    };
    let o = rng.below(4);
    let head_name = person_name(
        rng,
        c,
        &family,
        head_male,
        head_birth,
        o,
        head_surname,
        true,
    );
    // the head's mother: an ORANG TUA in the household, or someone outside
    let parent = extended && rng.chance(0.5);
    let pa = (head_age + rng.range(20, 34) as i32).min(98);
    let parent_birth = birth_for_age(rng, c.as_of, pa);
    let parent_male = parent && rng.chance(0.3);
    // a MERTUA is the spouse's parent, an ORANG TUA the head's
    let mertua = parent && with_spouse && rng.chance(0.3);
    let parent_name = if parent {
        let s = if parent_male {
            None
        } else {
            own_surname(rng, w, &family)
        };
        let o = rng.below(4);
        person_name(rng, c, &family, parent_male, parent_birth, o, s, true)
    } else {
        String::new()
    };
    let head_mother = if parent && !parent_male && !mertua {
        parent_name.clone()
    } else {
        mother_of(rng, c, &family, head_birth)
    };
    let h = draft(
        rng,
        head_name,
        head_male,
        head_birth,
        FamilyRelation::KepalaKeluarga,
        head_marital,
        head_mother,
        true,
    );
    members.push(h);

    // spouse
    let mut mother_idx: Option<usize> = if head_male { None } else { Some(0) };
    if with_spouse {
        let s_male = !head_male;
        let s_age = if head_male {
            head_age - rng.range(-3, 8) as i32
        } else {
            head_age + rng.range(-2, 8) as i32
        }
        .max(17);
        let s_birth = birth_for_age(rng, c.as_of, s_age);
        let s_surname = if s_male {
            None
        } else {
            own_surname(rng, w, &family)
        };
        let o = rng.below(4);
        let s_name = person_name(rng, c, &family, s_male, s_birth, o, s_surname, true);
        let s_mother = if mertua && !parent_male {
            parent_name.clone()
        } else {
            mother_of(rng, c, &family, s_birth)
        };
        let rel = if s_male {
            FamilyRelation::Suami
        } else {
            FamilyRelation::Istri
        };
        members.push(draft(
            rng,
            s_name,
            s_male,
            s_birth,
            rel,
            MaritalStatus::Kawin,
            s_mother,
            true,
        ));
        if !s_male {
            mother_idx = Some(1);
        }
    }

    // children
    if !single && !couple {
        let mother_birth = mother_idx.map_or(head_birth, |i| members[i].birth);
        let mother_age = age_on(mother_birth, c.as_of);
        let n_kids =
            rng.pick_weighted(&[(1usize, 0.28), (2, 0.35), (3, 0.22), (4, 0.10), (5, 0.05)]);
        let max_age = (mother_age - 18).min(35);
        if max_age >= 0 {
            let mut ages: Vec<i32> = (0..n_kids)
                .map(|_| rng.range(0, i64::from(max_age)) as i32)
                .collect();
            ages.sort_unstable_by(|a, b| b.cmp(a));
            let mother_name = match mother_idx {
                Some(i) => members[i].name.clone(),
                None => mother_of(rng, c, &family, members[0].birth),
            };
            for (order, age) in ages.into_iter().enumerate() {
                let male = rng.chance(0.51);
                let birth = birth_for_age(rng, c.as_of, age);
                let birth = birth
                    .max(
                        mother_birth
                            .checked_add_days(Days::new(18 * 365))
                            .unwrap_or(birth),
                    )
                    .min(c.as_of);
                let name = person_name(rng, c, &family, male, birth, order, None, true);
                let marital = if age >= 19 && rng.chance(0.12) {
                    MaritalStatus::CeraiHidup
                } else {
                    MaritalStatus::BelumKawin
                };
                members.push(draft(
                    rng,
                    name,
                    male,
                    birth,
                    FamilyRelation::Anak,
                    marital,
                    mother_name.clone(),
                    false,
                ));
            }
        }
    }

    // extended family
    if extended {
        if parent {
            let m = mother_of(rng, c, &family, parent_birth);
            let rel = if mertua {
                FamilyRelation::Mertua
            } else {
                FamilyRelation::OrangTua
            };
            members.push(draft(
                rng,
                parent_name,
                parent_male,
                parent_birth,
                rel,
                MaritalStatus::CeraiMati,
                m,
                true,
            ));
        } else if head_age >= 45 && rng.chance(0.6) {
            let n = 1 + rng.below(2);
            let m = mother_of(rng, c, &family, c.as_of);
            for i in 0..n {
                let male = rng.chance(0.51);
                let a = rng.range(0, 12) as i32;
                let birth = birth_for_age(rng, c.as_of, a);
                let name = person_name(rng, c, &family, male, birth, i, None, false);
                members.push(draft(
                    rng,
                    name,
                    male,
                    birth,
                    FamilyRelation::Cucu,
                    MaritalStatus::BelumKawin,
                    m.clone(),
                    false,
                ));
            }
        } else {
            let male = rng.chance(0.5);
            let a = rng.range(15, 45) as i32;
            let birth = birth_for_age(rng, c.as_of, a);
            let s = own_surname(rng, w, &family);
            let o = rng.below(4);
            let name = person_name(rng, c, &family, male, birth, o, s, true);
            let m = mother_of(rng, c, &family, birth);
            let marital = if rng.chance(0.7) {
                MaritalStatus::BelumKawin
            } else {
                MaritalStatus::CeraiHidup
            };
            members.push(draft(
                rng,
                name,
                male,
                birth,
                FamilyRelation::FamiliLain,
                marital,
                m,
                true,
            ));
        }
    }

    // deceased at as_of
    for m in &mut members {
        let age = age_on(m.birth, c.as_of);
        if rng.chance(c.death_scale * death_weight(age)) {
            m.dead = true;
        }
    }
    if members.len() >= 2
        && members[1].relation != FamilyRelation::Anak
        && members[0].marital == MaritalStatus::Kawin
        && members[1].marital == MaritalStatus::Kawin
    {
        if members[0].dead && !members[1].dead {
            members[1].marital = MaritalStatus::CeraiMati;
        } else if members[1].dead && !members[0].dead {
            members[0].marital = MaritalStatus::CeraiMati;
        }
    }

    let youngest = members.iter().map(|m| m.birth).max().unwrap_or(c.as_of);
    let kk_from = youngest
        .max(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or(youngest))
        .min(c.as_of);
    let span = (c.as_of - kk_from).num_days().max(0);
    let kk_date = kk_from
        .checked_add_days(Days::new(rng.range(0, span) as u64))
        .unwrap_or(c.as_of);
    HouseholdDraft {
        district: di,
        village,
        address: addr,
        rt,
        rw,
        kk_date,
        religion,
        family,
        members,
    }
}

/// NIK for a draft, from `counter`.
pub(crate) fn make_nik(
    w: &World,
    counter: &mut Counter,
    district: RegionCode,
    birth: NaiveDate,
    male: bool,
    reference: NaiveDate,
) -> Result<Nik, GenError> {
    let di = w
        .district_index(district.number() as u32)
        .ok_or(GenError::Internal("district missing from the serial index"))?;
    let sex = if male { Sex::Male } else { Sex::Female };
    let serial = counter.next(di, birth, usize::from(!male))?;
    Nik::from_parts(district, birth, sex, serial, reference)
        .map_err(|_| GenError::Internal("generated NIK failed its own check"))
}

/// KK number for a household.
pub(crate) fn make_kk(
    w: &World,
    counter: &mut Counter,
    district: RegionCode,
    date: NaiveDate,
    reference: NaiveDate,
) -> Result<Kk, GenError> {
    let di = w
        .district_index(district.number() as u32)
        .ok_or(GenError::Internal("district missing from the serial index"))?;
    let serial = counter.next(di, date, 0)?;
    Kk::from_parts(district, date, serial, reference)
        .map_err(|_| GenError::Internal("generated KK failed its own check"))
}

/// Turns a household draft into register rows.
pub(crate) fn assign(
    w: &World,
    h: &HouseholdDraft,
    nik_c: &mut Counter,
    kk_c: &mut Counter,
    as_of: NaiveDate,
) -> Result<Vec<Resident>, GenError> {
    let d = &w.districts[h.district];
    let kk = make_kk(w, kk_c, d.code, h.kk_date, as_of)?;
    h.members
        .iter()
        .map(|m| {
            Ok(Resident {
                nik: make_nik(w, nik_c, m.nik_district, m.birth, m.male, as_of)?,
                no_kk: kk,
                name: m.name.clone(),
                birth_place: m.birth_place,
                birth_date: m.birth,
                sex: if m.male { Sex::Male } else { Sex::Female },
                religion: h.religion,
                marital_status: m.marital,
                relation: m.relation,
                occupation: m.occupation,
                address: h.address.clone(),
                rt: h.rt,
                rw: h.rw,
                village: h.village,
                mother_name: m.mother_name.clone(),
                status: if m.dead {
                    LifeStatus::Mati
                } else {
                    LifeStatus::Hidup
                },
            })
        })
        .collect()
}

/// Shares measured on a fixed calibration sample, used to turn per-resident
/// yearly rates into per-household or per-eligible-person probabilities.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Calibration {
    /// `deceased_fraction / mean(death_weight)`.
    pub death_scale: f64,
    /// Mean death weight over living people.
    pub living_death_weight: f64,
    /// Residents per household with a possible mother (married living woman 18-45, head or spouse).
    pub per_mother_household: f64,
    /// Residents per unmarried living person aged 19-60.
    pub per_unmarried_adult: f64,
    /// Residents per living married couple (head + spouse).
    pub per_couple: f64,
    /// Residents per living non-head adult (individual movers).
    pub per_mover: f64,
}

const CALIBRATION_HOUSEHOLDS: u64 = 3000;

impl Calibration {
    /// One fixed sample of households (seeded independently of the
    /// configuration's seed), weighted by each person's probability of
    /// being alive, gives the shares; cost ≈ 3000 households.
    pub(crate) fn measure(w: &World, cfg: &Config) -> Calibration {
        let c = DraftCtx {
            w,
            as_of: cfg.as_of,
            death_scale: 0.0,
        };
        let hs: Vec<HouseholdDraft> = (0..CALIBRATION_HOUSEHOLDS)
            .map(|i| {
                let mut rng = Rng::derive(0x00ca_11b7, Stream::Household, i);
                draft_household(&mut rng, &c)
            })
            .collect();
        let people = hs.iter().map(|h| h.members.len()).sum::<usize>() as f64;
        let weight = |m: &Draft| death_weight(age_on(m.birth, cfg.as_of));
        let mean_w = hs.iter().flat_map(|h| &h.members).map(weight).sum::<f64>() / people;
        let death_scale = cfg.deceased_fraction / mean_w;
        let alive = |m: &Draft| 1.0 - (death_scale * weight(m)).min(1.0);
        let (mut mothers, mut unmarried, mut couples, mut movers, mut living, mut lw) =
            (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for h in &hs {
            let m = &h.members;
            if let Some(i) = changes::mother_index(
                m.iter()
                    .map(|m| (m.male, false, m.marital, m.relation, m.birth)),
                cfg.as_of,
            ) {
                mothers += alive(&m[i]);
            }
            if changes::is_couple(m.iter().map(|m| (false, m.marital, m.relation))) {
                couples += alive(&m[0]) * alive(&m[1]);
            }
            for p in m {
                let a = alive(p);
                living += a;
                let age = age_on(p.birth, cfg.as_of);
                lw += a * death_weight(age);
                if changes::can_marry(p.marital, age) {
                    unmarried += a;
                }
                if changes::can_move_alone(p.relation, age) {
                    movers += a;
                }
            }
        }
        let per = |k: f64| if k <= 0.0 { f64::INFINITY } else { people / k };
        Calibration {
            death_scale,
            living_death_weight: lw / living.max(1.0),
            per_mother_household: per(mothers),
            per_unmarried_adult: per(unmarried),
            per_couple: per(couples),
            per_mover: per(movers),
        }
    }
}

/// Everything one household contributes to the output files.
#[derive(Debug, Clone, Default)]
pub struct HouseholdOutput {
    /// Rows of `population.csv` (the register at `as_of`).
    pub register: Vec<Resident>,
    /// Rows of `population_later.csv` (the register at `later_as_of`),
    /// including births and arrivals, without removed people.
    pub later: Vec<Resident>,
    /// Changes between the two (rows of `truth_changes.csv`).
    pub changes: Vec<Change>,
    /// Agency rows drawn from this household (and synthetic people), not
    /// yet shuffled and without IDs.
    pub agency: Vec<AgencyRow>,
}

/// The streaming generator: one [`HouseholdOutput`] per call of
/// [`Generator::next_household`] until the register has
/// [`Config::population`] rows.
pub struct Generator {
    cfg: Config,
    w: &'static World,
    calib: Calibration,
    index: u64,
    emitted: usize,
    nik: Counter,
    kk: Counter,
    ids: Option<NewIds>,
    sampler: Option<AgencySampler>,
}

impl Generator {
    /// A generator of all outputs (register, later snapshot, changes, agency).
    pub fn new(cfg: &Config) -> Result<Generator, GenError> {
        Generator::with_parts(cfg, true, cfg.agency > 0)
    }

    fn with_parts(cfg: &Config, changes: bool, agency: bool) -> Result<Generator, GenError> {
        cfg.validate()?;
        let w = world();
        let calib = Calibration::measure(w, cfg);
        let nd = w.all_districts.len();
        let nik_from = cfg
            .as_of
            .checked_sub_days(Days::new(111 * 366))
            .unwrap_or(cfg.as_of);
        let kk_from = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or(cfg.as_of);
        Ok(Generator {
            cfg: cfg.clone(),
            w,
            calib,
            index: 0,
            emitted: 0,
            nik: Counter::for_size(1, 4999, cfg.population, nd, nik_from, cfg.as_of, 2),
            kk: Counter::for_size(1, 4999, cfg.population / 3, nd, kk_from, cfg.as_of, 1),
            ids: changes.then(NewIds::new),
            sampler: if agency {
                Some(AgencySampler::new(cfg)?)
            } else {
                None
            },
        })
    }

    /// The calibrated shares (for reports and tests).
    pub fn expected_counts(&self) -> ExpectedCounts {
        let y = self.cfg.period_years();
        let n = self.cfg.population as f64;
        let r = &self.cfg.changes;
        ExpectedCounts {
            births: r.births * y * n,
            deaths: r.deaths * y * n,
            moves: r.moves * y * n,
            arrivals: r.arrivals * y * n,
            marriages: r.marriages * y * n,
            divorces: r.divorces * y * n,
            corrections: r.corrections * y * n,
            removals: r.removals * y * n,
        }
    }

    /// The next household, or `None` when the register is complete.
    pub fn next_household(&mut self) -> Result<Option<HouseholdOutput>, GenError> {
        if self.emitted >= self.cfg.population {
            if let Some(s) = &mut self.sampler {
                let rest = s.finish(self.w, &self.cfg)?;
                if !rest.is_empty() {
                    return Ok(Some(HouseholdOutput {
                        agency: rest,
                        ..HouseholdOutput::default()
                    }));
                }
            }
            return Ok(None);
        }
        let h = self.index;
        self.index += 1;
        let c = DraftCtx {
            w: self.w,
            as_of: self.cfg.as_of,
            death_scale: self.calib.death_scale,
        };
        let mut rng = Rng::derive(self.cfg.seed, Stream::Household, h);
        let mut draft = draft_household(&mut rng, &c);
        let room = self.cfg.population - self.emitted;
        draft.members.truncate(room);
        let register = assign(self.w, &draft, &mut self.nik, &mut self.kk, self.cfg.as_of)?;
        self.emitted += register.len();
        let mut out = HouseholdOutput {
            register,
            ..HouseholdOutput::default()
        };
        if let Some(ids) = &mut self.ids {
            let (later, ch) = changes::apply(
                self.w,
                &self.cfg,
                &self.calib,
                ids,
                h,
                &draft,
                &out.register,
            )?;
            out.later = later;
            out.changes = ch;
        }
        if let Some(s) = &mut self.sampler {
            out.agency = s.sample(self.w, &self.cfg, h, &out.register)?;
        }
        Ok(Some(out))
    }
}

/// Expected numbers of each change for the configured period and population.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct ExpectedCounts {
    pub births: f64,
    pub deaths: f64,
    pub moves: f64,
    pub arrivals: f64,
    pub marriages: f64,
    pub divorces: f64,
    pub corrections: f64,
    pub removals: f64,
}

/// Iterator over the register rows only (no later snapshot, no agency
/// sampling — the rows are identical to those of `population.csv`).
pub struct Population {
    g: Generator,
    buf: std::vec::IntoIter<Resident>,
}

/// Streams the register of `cfg` row by row.
pub fn population(cfg: &Config) -> Result<Population, GenError> {
    Ok(Population {
        g: Generator::with_parts(cfg, false, false)?,
        buf: Vec::new().into_iter(),
    })
}

impl Iterator for Population {
    type Item = Result<Resident, GenError>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.buf.next() {
                return Some(Ok(r));
            }
            match self.g.next_household() {
                Ok(Some(h)) => self.buf = h.register.into_iter(),
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// A whole data set in memory: the same rows as the five files of
/// `write_all` (agency rows shuffled, with IDs), for tests and benchmarks of
/// moderate size. Memory grows with the population; use [`Generator`] or
/// the file writer for large runs.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// `population.csv`
    pub register: Vec<Resident>,
    /// `population_later.csv`
    pub later: Vec<Resident>,
    /// `truth_changes.csv`
    pub changes: Vec<Change>,
    /// `agency.csv` and `truth_agency.csv`, in file order.
    pub agency: Vec<AgencyRow>,
}

/// Generates `cfg` into memory (see [`Dataset`]).
///
/// ```
/// use ktpel_core::sample::{self, Config};
/// let d = sample::dataset(&Config { population: 800, agency: 80, ..Config::default() }).unwrap();
/// assert_eq!((d.register.len(), d.agency.len()), (800, 80));
/// assert_eq!(d.agency[0].record.id, "PLG000000001");
/// ```
pub fn dataset(cfg: &Config) -> Result<Dataset, GenError> {
    let mut g = Generator::new(cfg)?;
    let mut d = Dataset::default();
    let (mut start, mut block, mut next_id) = (0usize, 0u64, 1u64);
    while let Some(h) = g.next_household()? {
        d.register.extend(h.register);
        d.later.extend(h.later);
        d.changes.extend(h.changes);
        d.agency.extend(h.agency);
        if d.agency.len() - start >= super::agency::SHUFFLE_BLOCK {
            super::agency::shuffle_block(&mut d.agency[start..], cfg.seed, block, &mut next_id);
            block += 1;
            start = d.agency.len();
        }
    }
    if d.agency.len() > start {
        super::agency::shuffle_block(&mut d.agency[start..], cfg.seed, block, &mut next_id);
    }
    Ok(d)
}
