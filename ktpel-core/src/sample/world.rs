//! Static facts the generator draws from: provinces with population weights,
//! districts with their villages and historic predecessor codes, religion
//! shares per province and naming styles per (province, religion).

use std::sync::OnceLock;

use crate::region::{self, Level, RegionCode, RegionStatus};

use super::Religion;
use super::names::{Lists, Style};
use super::rng::{Rng, cumulative};

/// One current district.
pub(crate) struct District {
    pub code: RegionCode,
    /// Index of the province in [`World::provinces`].
    pub province: usize,
    /// TMPT_LHR spelling of the district's regency (e.g. `JAKARTA SELATAN`).
    pub birth_place: &'static str,
    /// Village suffixes (4 digits), current villages only.
    pub villages: Vec<u16>,
    /// A historic code this district had (e.g. 91.01.01 for 93.01.01) and
    /// the last snapshot year it was in force.
    pub historic: Option<(RegionCode, i32)>,
}

pub(crate) struct Province {
    pub code: u8,
    /// Index range into [`World::districts`].
    pub districts: core::ops::Range<usize>,
    pub religion_cum: Vec<f64>,
}

pub(crate) struct World {
    pub provinces: Vec<Province>,
    pub province_cum: Vec<f64>,
    pub districts: Vec<District>,
    /// Every district code ever issued (current and historic), sorted: the
    /// index space of the NIK serial counters.
    pub all_districts: Vec<u32>,
    pub names: Lists,
}

static WORLD: OnceLock<World> = OnceLock::new();

pub(crate) fn world() -> &'static World {
    WORLD.get_or_init(World::build)
}

/// Approximate 2022 population in millions per province (BPS projections
/// rounded; the Papua provinces split as after the 2022 law).
const PROVINCE_POP: [(u8, f64); 38] = [
    (11, 5.4),
    (12, 15.1),
    (13, 5.6),
    (14, 6.6),
    (15, 3.6),
    (16, 8.7),
    (17, 2.0),
    (18, 9.2),
    (19, 1.5),
    (21, 2.1),
    (31, 10.7),
    (32, 49.4),
    (33, 37.0),
    (34, 3.7),
    (35, 41.1),
    (36, 12.3),
    (51, 4.4),
    (52, 5.5),
    (53, 5.5),
    (61, 5.5),
    (62, 2.7),
    (63, 4.2),
    (64, 3.9),
    (65, 0.7),
    (71, 2.6),
    (72, 3.0),
    (73, 9.2),
    (74, 2.7),
    (75, 1.2),
    (76, 1.4),
    (81, 1.9),
    (82, 1.3),
    (91, 1.0),
    (92, 0.55),
    (93, 0.5),
    (94, 1.4),
    (95, 1.4),
    (96, 0.6),
];

/// Religion shares in percent per province, in [`Religion::ALL`] order
/// (ISLAM, KRISTEN, KATHOLIK, HINDU, BUDHA, KHONGHUCU, KEPERCAYAAN).
/// Rounded from Dukcapil's 2022 aggregates; provinces not listed use the
/// Java/Sumatra default.
fn religion_shares(prov: u8) -> [f64; 7] {
    match prov {
        11 => [98.6, 1.0, 0.2, 0.0, 0.2, 0.0, 0.0],
        12 => [63.5, 27.0, 6.2, 0.1, 3.0, 0.05, 0.15],
        14 => [87.0, 8.5, 1.3, 0.05, 3.0, 0.15, 0.0],
        19 => [90.0, 2.0, 1.3, 0.1, 5.0, 1.5, 0.1],
        21 => [79.0, 10.5, 2.8, 0.1, 7.0, 0.6, 0.0],
        31 => [83.9, 8.5, 3.9, 0.2, 3.4, 0.1, 0.0],
        34 => [92.0, 2.6, 5.1, 0.1, 0.1, 0.0, 0.1],
        51 => [10.1, 1.7, 0.9, 86.8, 0.5, 0.0, 0.0],
        52 => [96.8, 0.3, 0.2, 2.4, 0.3, 0.0, 0.0],
        53 => [9.6, 35.0, 53.3, 0.1, 0.0, 0.0, 2.0],
        61 => [60.5, 11.5, 21.5, 0.2, 5.4, 0.8, 0.1],
        62 => [74.0, 16.5, 3.0, 6.3, 0.2, 0.0, 0.0],
        64 => [86.9, 8.0, 3.9, 0.2, 0.9, 0.1, 0.0],
        65 => [72.0, 21.5, 5.5, 0.2, 0.7, 0.1, 0.0],
        71 => [31.0, 63.6, 4.7, 0.6, 0.1, 0.0, 0.0],
        72 => [78.0, 17.0, 1.1, 3.7, 0.2, 0.0, 0.0],
        73 => [90.0, 7.1, 1.5, 0.9, 0.4, 0.0, 0.1],
        74 => [95.0, 2.0, 0.8, 2.1, 0.1, 0.0, 0.0],
        75 => [98.0, 1.6, 0.2, 0.1, 0.1, 0.0, 0.0],
        76 => [83.0, 15.0, 1.3, 0.6, 0.1, 0.0, 0.0],
        81 => [52.0, 41.0, 6.8, 0.1, 0.1, 0.0, 0.0],
        82 => [74.5, 24.8, 0.6, 0.0, 0.1, 0.0, 0.0],
        91..=96 => [16.0, 65.0, 18.5, 0.1, 0.1, 0.0, 0.3],
        33 => [97.3, 1.6, 1.0, 0.05, 0.05, 0.0, 0.0],
        35 => [97.0, 1.8, 0.6, 0.3, 0.2, 0.0, 0.1],
        32 | 36 => [97.5, 1.7, 0.5, 0.05, 0.25, 0.0, 0.0],
        _ => [96.5, 2.0, 0.6, 0.2, 0.6, 0.05, 0.05],
    }
}

/// Naming styles (weights) for a family of `religion` living in `prov`.
pub(crate) fn styles(prov: u8, religion: Religion) -> &'static [(Style, f64)] {
    use Style::*;
    match religion {
        Religion::Hindu => match prov {
            62 => &[(Dayak, 0.7), (Bali, 0.3)],
            _ => &[(Bali, 1.0)],
        },
        Religion::Budha | Religion::Khonghucu => &[(Tionghoa, 1.0)],
        Religion::Kristen | Religion::Katholik | Religion::Kepercayaan => match prov {
            12 => &[(BatakKristen, 0.8), (Nias, 0.15), (Tionghoa, 0.05)],
            53 => &[(Ntt, 1.0)],
            71 => &[(Minahasa, 0.95), (Tionghoa, 0.05)],
            81 => &[(Ambon, 0.9), (Tionghoa, 0.1)],
            91..=96 => &[
                (Papua, 0.85),
                (Ntt, 0.05),
                (Minahasa, 0.05),
                (BatakKristen, 0.05),
            ],
            61 | 62 | 64 | 65 => &[
                (Dayak, 0.6),
                (Tionghoa, 0.2),
                (BatakKristen, 0.1),
                (JawaKristen, 0.1),
            ],
            31 | 32 | 36 => &[
                (BatakKristen, 0.35),
                (Tionghoa, 0.3),
                (JawaKristen, 0.2),
                (Minahasa, 0.1),
                (Ambon, 0.05),
            ],
            33..=35 => &[(JawaKristen, 0.65), (Tionghoa, 0.3), (BatakKristen, 0.05)],
            72 | 73 | 74 | 76 => &[(Minahasa, 0.4), (Ntt, 0.3), (Tionghoa, 0.3)],
            _ => &[
                (BatakKristen, 0.4),
                (Tionghoa, 0.3),
                (JawaKristen, 0.2),
                (Ntt, 0.1),
            ],
        },
        Religion::Islam => match prov {
            11 => &[(Melayu, 1.0)],
            12 => &[(Melayu, 0.4), (BatakIslam, 0.35), (Jawa, 0.25)],
            13 => &[(Minang, 1.0)],
            14 | 15 | 16 | 17 | 19 | 21 => &[(Melayu, 0.7), (Jawa, 0.2), (Minang, 0.1)],
            18 => &[(Jawa, 0.6), (Melayu, 0.3), (Sunda, 0.1)],
            31 => &[
                (Melayu, 0.35),
                (Jawa, 0.35),
                (Sunda, 0.2),
                (Minang, 0.05),
                (BatakIslam, 0.05),
            ],
            32 | 36 => &[(Sunda, 0.8), (Jawa, 0.1), (Melayu, 0.1)],
            33..=35 => &[(Jawa, 0.92), (Melayu, 0.08)],
            51 => &[(Jawa, 0.6), (Sasak, 0.2), (Melayu, 0.2)],
            52 => &[(Sasak, 0.7), (Melayu, 0.3)],
            61..=65 => &[(Melayu, 0.6), (Jawa, 0.25), (Bugis, 0.15)],
            73 | 76 => &[(Bugis, 0.85), (Melayu, 0.15)],
            74 => &[(Buton, 0.5), (Bugis, 0.35), (Melayu, 0.15)],
            72 | 75 | 71 => &[(Melayu, 0.6), (Bugis, 0.3), (Jawa, 0.1)],
            81 | 82 => &[(AmbonIslam, 0.5), (Melayu, 0.4), (Buton, 0.1)],
            91..=96 => &[(Jawa, 0.5), (Bugis, 0.3), (Melayu, 0.2)],
            _ => &[(Melayu, 0.6), (Jawa, 0.4)],
        },
    }
}

/// TMPT_LHR form of a regency name: upper case without the administrative
/// prefix (`Kota Administrasi Jakarta Selatan` → `JAKARTA SELATAN`).
pub(crate) fn birth_place_of(regency_name: &str) -> String {
    let up = regency_name.to_uppercase();
    let mut s = up.as_str();
    for p in ["KABUPATEN ", "KOTA ADMINISTRASI ", "KOTA ", "KAB. ", "KAB "] {
        if let Some(rest) = s.strip_prefix(p) {
            s = rest;
            break;
        }
    }
    s.trim().to_string()
}

impl World {
    fn build() -> World {
        let mut provinces = Vec::new();
        let mut weights = Vec::new();
        let mut districts = Vec::new();
        let mut all = Vec::new();
        // successor (current district) -> (historic code, last year)
        let mut historic: Vec<(u64, RegionCode, i32)> = Vec::new();
        for p in region::children(None) {
            let pnum = p.code.number() as u8;
            let start = districts.len();
            for r in region::children(Some(p.code)) {
                let place: &'static str = Box::leak(birth_place_of(r.name).into_boxed_str());
                for d in region::children(Some(r.code)) {
                    all.push(d.code.number() as u32);
                    match d.status {
                        RegionStatus::Current => {
                            let villages = region::children(Some(d.code))
                                .into_iter()
                                .filter(|v| v.status == RegionStatus::Current)
                                .map(|v| (v.code.number() % 10_000) as u16)
                                .collect::<Vec<_>>();
                            if villages.is_empty() {
                                continue;
                            }
                            districts.push(District {
                                code: d.code,
                                province: provinces.len(),
                                birth_place: place,
                                villages,
                                historic: None,
                            });
                        }
                        RegionStatus::Historic { successor: Some(s) }
                            if s.level() == Level::District =>
                        {
                            let last = d.years().max().map_or(2016, i32::from);
                            historic.push((s.number(), d.code, last));
                        }
                        _ => {}
                    }
                }
            }
            if districts.len() == start {
                continue;
            }
            let w = PROVINCE_POP
                .iter()
                .find(|(c, _)| *c == pnum)
                .map_or(0.5, |x| x.1);
            weights.push(w);
            provinces.push(Province {
                code: pnum,
                districts: start..districts.len(),
                religion_cum: cumulative(&religion_shares(pnum)),
            });
        }
        historic.sort_by_key(|h| (h.0, h.1));
        for d in &mut districts {
            let n = d.code.number();
            let i = historic.partition_point(|h| h.0 < n);
            if let Some(h) = historic.get(i).filter(|h| h.0 == n) {
                d.historic = Some((h.1, h.2));
            }
        }
        all.sort_unstable();
        all.dedup();
        World {
            provinces,
            province_cum: cumulative(&weights),
            districts,
            all_districts: all,
            names: Lists::parse(),
        }
    }

    /// A district drawn by province population weight, uniform within it.
    pub(crate) fn random_district(&self, rng: &mut Rng) -> usize {
        let p = &self.provinces[rng.weighted(&self.province_cum)];
        p.districts.start + rng.below(p.districts.len())
    }

    /// Another district of the same province (or the same when it is alone).
    pub(crate) fn district_in_province(&self, rng: &mut Rng, province: usize) -> usize {
        let p = &self.provinces[province];
        p.districts.start + rng.below(p.districts.len())
    }

    /// Index of a district code in [`World::all_districts`].
    pub(crate) fn district_index(&self, number: u32) -> Option<usize> {
        self.all_districts.binary_search(&number).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_covers_all_provinces_with_villages_and_papua_history() {
        let w = world();
        assert_eq!(w.provinces.len(), 38);
        assert!(w.districts.len() > 7000);
        assert!(w.districts.iter().all(|d| !d.villages.is_empty()));
        let merauke = w
            .districts
            .iter()
            .find(|d| d.code.to_string() == "93.01.01")
            .unwrap();
        assert_eq!(merauke.historic.unwrap().0.to_string(), "91.01.01");
        assert_eq!(merauke.birth_place, "MERAUKE");
        for p in &w.provinces {
            for rel in Religion::ALL {
                let s: f64 = styles(p.code, rel).iter().map(|x| x.1).sum();
                assert!((s - 1.0).abs() < 1e-9, "{} {:?}", p.code, rel);
            }
        }
        assert_eq!(
            birth_place_of("Kota Administrasi Jakarta Selatan"),
            "JAKARTA SELATAN"
        );
        assert_eq!(birth_place_of("Kabupaten Bandung"), "BANDUNG");
    }
}
