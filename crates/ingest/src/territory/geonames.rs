//! GeoNames' full country dumps (`UA.txt`, `RU.txt`, `allCountries.txt`):
//! every populated place, villages included, so that a count of the
//! settlements in an area is complete (docs/claims.md). Ukrainian and
//! Russian names come from `alternateNamesV2.txt` when it is given.
//!
//! The layout is GeoNames' own (its `readme.txt`): tab-separated, no
//! header, 19 columns per line; `alternateNamesV2.txt` has 10.

use crate::{IngestError, Record};
use frontline_model::{GazetteerCoverage, Place};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Columns of a country dump line.
const COLUMNS: usize = 19;
/// Columns of an `alternateNamesV2.txt` line.
const NAME_COLUMNS: usize = 10;

/// Feature codes of class `P` that are not a settlement standing today:
/// historical, abandoned and destroyed places, and sections of a place
/// (a town's district is not a settlement of its own).
const NOT_STANDING: &[&str] = &["PPLH", "PPLQ", "PPLW", "PPLCH", "PPLX"];

/// Reads a country dump: the places of feature class `P` that stand today,
/// with their names in Ukrainian and Russian from `names` (an
/// `alternateNamesV2.txt`, or its lines for these places) when given.
/// Its coverage is every populated place (`min_population` 0) of the
/// countries and codes read.
///
/// A line with the wrong number of columns, or a bad coordinate or
/// population, is refused naming its line.
pub fn parse_geonames(
    file: &Path,
    bytes: &[u8],
    names: Option<(&Path, &[u8])>,
) -> Result<(Vec<Place>, GazetteerCoverage), IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::shape(file, format!("not UTF-8: {e}")))?;
    let mut by_id: HashMap<u64, usize> = HashMap::new();
    let mut places = Vec::new();
    let (mut classes, mut countries) = (BTreeSet::new(), BTreeSet::new());
    let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for (i, line) in text.lines().enumerate() {
        let rec = Record::Line(i as u64 + 1);
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != COLUMNS {
            return Err(IngestError::field(
                file,
                rec,
                "columns",
                format!("{} tab-separated columns where a GeoNames dump has {COLUMNS}", f.len()),
            ));
        }
        if f[6] != "P" || NOT_STANDING.contains(&f[7]) {
            continue;
        }
        let id: u64 = f[0]
            .parse()
            .map_err(|_| IngestError::field(file, rec, "geonameid", format!("`{}` is not a number", f[0])))?;
        let coord = |s: &str, field: &str, limit: f64| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.abs() <= limit)
                .ok_or_else(|| IngestError::field(file, rec, field, format!("`{s}` is not a valid {field}")))
        };
        let (lat, lon) = (coord(f[4], "latitude", 90.0)?, coord(f[5], "longitude", 180.0)?);
        let population = match f[14] {
            "" | "0" => None,
            s => Some(
                s.parse::<u64>()
                    .ok()
                    .filter(|p| *p <= frontline_model::limits::MAX_POPULATION)
                    .ok_or_else(|| {
                        IngestError::field(file, rec, "population", format!("`{s}` is not a valid population"))
                    })?,
            ),
        };
        if f[1].is_empty() {
            return Err(IngestError::field(file, rec, "name", "empty"));
        }
        classes.insert(f[7].to_string());
        countries.insert(f[8].to_string());
        bbox = [bbox[0].min(lon), bbox[1].min(lat), bbox[2].max(lon), bbox[3].max(lat)];
        by_id.insert(id, places.len());
        places.push(Place {
            id: None,
            name: f[1].to_string(),
            name_uk: None,
            name_ru: None,
            lat,
            lon,
            population,
            // The dump gives admin1 as a code ("41"); its names are in a
            // separate file (admin1CodesASCII.txt) not read here.
            admin1: None,
            country: Some(f[8].to_string()).filter(|c| !c.is_empty()),
        });
    }
    if places.is_empty() {
        return Err(IngestError::shape(file, "no populated places (feature class P)"));
    }
    if let Some((path, bytes)) = names {
        add_names(path, bytes, &by_id, &mut places)?;
    }
    let coverage = GazetteerCoverage {
        min_population: Some(0),
        classes: classes.into_iter().collect(),
        countries: countries.into_iter().filter(|c| !c.is_empty()).collect(),
        bbox: Some(bbox),
        from: "GeoNames country dump: every populated place".into(),
    };
    Ok((places, coverage))
}

/// Sets `name_uk` and `name_ru` from `alternateNamesV2.txt`: the preferred
/// name in that language, else the first that is not colloquial,
/// historic or short.
fn add_names(file: &Path, bytes: &[u8], by_id: &HashMap<u64, usize>, places: &mut [Place]) -> Result<(), IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::shape(file, format!("not UTF-8: {e}")))?;
    // (place, language) → whether the name kept is a preferred one.
    let mut preferred: HashMap<(usize, bool), bool> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != NAME_COLUMNS {
            return Err(IngestError::field(
                file,
                Record::Line(i as u64 + 1),
                "columns",
                format!(
                    "{} tab-separated columns where alternateNamesV2.txt has {NAME_COLUMNS}",
                    f.len()
                ),
            ));
        }
        let uk = match f[2] {
            "uk" => true,
            "ru" => false,
            _ => continue,
        };
        let Some(&at) = f[1].parse::<u64>().ok().and_then(|id| by_id.get(&id)) else {
            continue;
        };
        let flag = |k: usize| f[k] == "1";
        if flag(5) || flag(6) || flag(7) || f[3].is_empty() {
            continue;
        }
        let pref = flag(4);
        let slot = if uk {
            &mut places[at].name_uk
        } else {
            &mut places[at].name_ru
        };
        match preferred.get(&(at, uk)) {
            Some(true) => continue,
            Some(false) if !pref => continue,
            _ => {}
        }
        *slot = Some(f[3].to_string());
        preferred.insert((at, uk), pref);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines in the dump's exact layout (19 tab-separated columns), for
    /// two villages of Kursk oblast, a town, a district of it and an
    /// abandoned place.
    fn dump() -> String {
        [
            "580054\tSudzha\tSudzha\tSudza,Суджа\t51.19055\t35.27083\tP\tPPLA2\tRU\t\t41\t\t\t\t5806\t\t170\tEurope/Moscow\t2019-09-05",
            "471101\tMakhnovka\tMakhnovka\t\t51.25\t35.18\tP\tPPL\tRU\t\t41\t\t\t\t0\t\t180\tEurope/Moscow\t2012-01-18",
            "471102\tKurilovka\tKurilovka\t\t51.23\t35.30\tP\tPPL\tRU\t\t41\t\t\t\t213\t\t170\tEurope/Moscow\t2012-01-18",
            "471103\tSudzha district\tSudzha district\t\t51.19\t35.27\tP\tPPLX\tRU\t\t41\t\t\t\t0\t\t170\tEurope/Moscow\t2012-01-18",
            "471104\tOld Farm\tOld Farm\t\t51.20\t35.20\tP\tPPLQ\tRU\t\t41\t\t\t\t0\t\t170\tEurope/Moscow\t2012-01-18",
            "471105\tPsel\tPsel\t\t51.20\t35.20\tH\tSTM\tRU\t\t41\t\t\t\t0\t\t170\tEurope/Moscow\t2012-01-18",
        ]
        .join("\n")
    }

    #[test]
    fn reads_every_standing_populated_place_with_its_coverage() {
        let (p, c) = parse_geonames(Path::new("RU.txt"), dump().as_bytes(), None).unwrap();
        let names: Vec<(&str, Option<u64>)> = p.iter().map(|p| (p.name.as_str(), p.population)).collect();
        assert_eq!(
            names,
            [("Sudzha", Some(5806)), ("Makhnovka", None), ("Kurilovka", Some(213))]
        );
        assert_eq!(c.min_population, Some(0));
        assert_eq!(c.classes, ["PPL", "PPLA2"]);
        assert_eq!(c.countries, ["RU"]);
        assert_eq!(c.bbox, Some([35.18, 51.19055, 35.30, 51.25]));
    }

    #[test]
    fn names_in_ukrainian_and_russian_prefer_the_preferred_one() {
        let names = [
            "1\t580054\tru\tСуджа\t\t\t\t\t\t",
            "2\t580054\tuk\tСудза\t\t\t\t\t\t",
            "3\t580054\tuk\tСуджа\t1\t\t\t\t\t",
            "4\t580054\tuk\tСудж\t\t\t\t\t\t",
            "5\t471101\tru\tМахновочка\t\t\t1\t\t\t",
            "6\t471101\ten\tMakhnovka\t\t\t\t\t\t",
        ]
        .join("\n");
        let (p, _) = parse_geonames(
            Path::new("RU.txt"),
            dump().as_bytes(),
            Some((Path::new("alternateNamesV2.txt"), names.as_bytes())),
        )
        .unwrap();
        assert_eq!(
            (p[0].name_uk.as_deref(), p[0].name_ru.as_deref()),
            (Some("Суджа"), Some("Суджа"))
        );
        // A colloquial name is not a label.
        assert_eq!(p[1].name_ru, None);
    }

    #[test]
    fn a_line_with_the_wrong_column_count_is_refused_naming_it() {
        let bad = format!("{}\n580099\tGuyevo\t51.1\t35.2", dump());
        let e = parse_geonames(Path::new("RU.txt"), bad.as_bytes(), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "RU.txt: line 7: field `columns`: 4 tab-separated columns where a GeoNames dump has 19"
        );
        let e = parse_geonames(
            Path::new("RU.txt"),
            dump().as_bytes(),
            Some((Path::new("alt.txt"), b"1\t580054\tuk\n".as_slice())),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("alt.txt: line 1: field `columns`"), "{e}");
        let e = parse_geonames(
            Path::new("RU.txt"),
            &dump().replace("51.25", "95.25").into_bytes(),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 2: field `latitude`"), "{e}");
    }
}
