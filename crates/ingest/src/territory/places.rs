//! Settlements: GeoNames extracts and a generic `name,lat,lon,population,admin1` CSV.

use crate::{IngestError, Record};
use frontline_model::{GazetteerCoverage, Place};
use std::collections::BTreeSet;
use std::path::Path;

/// What a places CSV covers, read from the file: the smallest population
/// from GeoNames' extract names (`cities500…`, `cities1000…`: every place
/// of at least that many people, and seats of government), the feature
/// codes from a `feature_code` column, the countries and the box from the
/// places. Neither said: the smallest population is unknown (`None`), and
/// counts from it are lower bounds.
fn coverage(file: &Path, places: &[Place], codes: BTreeSet<String>) -> GazetteerCoverage {
    static CITIES: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?i)\bcities(\d+)").unwrap_or_else(|e| panic!("{e}")));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let min_population = CITIES.captures(&name).and_then(|c| c[1].parse().ok());
    let mut classes = codes;
    if classes.is_empty() && min_population.is_some() {
        // GeoNames' extracts hold feature class P only.
        classes.insert("P".to_string());
    }
    let countries: BTreeSet<String> = places.iter().filter_map(|p| p.country.clone()).collect();
    let bbox = places.iter().fold(None::<[f64; 4]>, |b, p| {
        let [w, s, e, n] = b.unwrap_or([p.lon, p.lat, p.lon, p.lat]);
        Some([w.min(p.lon), s.min(p.lat), e.max(p.lon), n.max(p.lat)])
    });
    GazetteerCoverage {
        min_population,
        classes: classes.into_iter().collect(),
        countries: countries.into_iter().collect(),
        bbox,
        from: if min_population.is_some() {
            format!("file name ({name})")
        } else {
            "unknown".into()
        },
    }
}

/// Reads a places CSV ([`parse_places`]) with what it covers, in one pass.
pub fn read_places(file: &Path, bytes: &[u8]) -> Result<(Vec<Place>, GazetteerCoverage), IngestError> {
    let (places, codes) = parse(file, bytes)?;
    let c = coverage(file, &places, codes);
    Ok((places, c))
}

/// Reads a places CSV. Columns are found by name: `name`, `lat`, `lon`
/// required; `population`, `admin1` (or GeoNames' `admin1_name`),
/// `country`, and the names in Ukrainian and Russian (`name_uk`, `name_ru`,
/// or OpenStreetMap's `name:uk`, `name:ru`) optional. This covers the GeoNames cities500/cities1000
/// extracts and the generic layout.
pub fn parse_places(file: &Path, bytes: &[u8]) -> Result<Vec<Place>, IngestError> {
    parse(file, bytes).map(|(places, _)| places)
}

/// The places, and the feature codes of a `feature_code` column.
fn parse(file: &Path, bytes: &[u8]) -> Result<(Vec<Place>, BTreeSet<String>), IngestError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    let col = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| h.eq_ignore_ascii_case(n)))
    };
    let need = |names: &[&str]| {
        col(names).ok_or_else(|| IngestError::field(file, Record::Line(1), names[0], "missing column"))
    };
    let (name_c, lat_c, lon_c) = (
        need(&["name"])?,
        need(&["lat", "latitude"])?,
        need(&["lon", "lng", "longitude"])?,
    );
    let pop_c = col(&["population"]);
    let admin_c = col(&["admin1", "admin1_name"]);
    let country_c = col(&["country", "country_code"]);
    let (uk_c, ru_c) = (col(&["name_uk", "name:uk"]), col(&["name_ru", "name:ru"]));
    let code_c = col(&["feature_code"]);
    let mut codes = BTreeSet::new();
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let rec = Record::Line(row.position().map_or(0, |p| p.line()));
        let get = |i: usize| row.get(i).unwrap_or("");
        let name = get(name_c).to_string();
        if name.is_empty() {
            return Err(IngestError::field(file, rec, "name", "empty"));
        }
        let num = |i: usize, field: &str, range: std::ops::RangeInclusive<f64>| -> Result<f64, IngestError> {
            let s = get(i);
            s.parse::<f64>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| IngestError::field(file, rec, field, format!("`{s}` is not a valid {field}")))
        };
        let lat = num(lat_c, "lat", -90.0..=90.0)?;
        let lon = num(lon_c, "lon", -180.0..=180.0)?;
        let population = match pop_c.map(get).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.parse::<u64>()
                    .ok()
                    .filter(|p| *p <= frontline_model::limits::MAX_POPULATION)
                    .ok_or_else(|| {
                        IngestError::field(
                            file,
                            rec,
                            "population",
                            format!(
                                "`{s}` is not a whole number from 0 to {}",
                                frontline_model::limits::MAX_POPULATION
                            ),
                        )
                    })?,
            ),
        };
        let text = |c: Option<usize>| c.map(get).filter(|s| !s.is_empty()).map(str::to_string);
        codes.extend(text(code_c));
        out.push(Place {
            id: None,
            name,
            name_uk: text(uk_c),
            name_ru: text(ru_c),
            lat,
            lon,
            population,
            admin1: text(admin_c),
            country: text(country_c),
        });
    }
    if out.is_empty() {
        return Err(IngestError::shape(file, "no places"));
    }
    Ok((out, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_geonames_extract() {
        let t = "geonameid,name,country,admin1_code,admin1_name,iso3166_2,admin2_code,admin2_name,population,lat,lon\n\
                 580054,Sudzha,RU,RU.41,Kursk,RU-KRS,,,5806,51.19,35.27\n";
        let p = parse_places(Path::new("g.csv"), t.as_bytes()).unwrap();
        assert_eq!(p[0].name, "Sudzha");
        assert_eq!(p[0].population, Some(5806));
        assert_eq!(p[0].admin1.as_deref(), Some("Kursk"));
        assert_eq!(p[0].country.as_deref(), Some("RU"));
    }

    #[test]
    fn names_in_three_languages_when_given() {
        let t = "name,name:uk,name_ru,lat,lon\nKharkiv,Харків,Харьков,49.98,36.25\nIzium,,,49.21,37.26\n";
        let p = parse_places(Path::new("g.csv"), t.as_bytes()).unwrap();
        assert_eq!(
            (p[0].name_uk.as_deref(), p[0].name_ru.as_deref()),
            (Some("Харків"), Some("Харьков"))
        );
        assert_eq!((p[1].name_uk.as_deref(), p[1].name_ru.as_deref()), (None, None));
    }

    #[test]
    fn coverage_from_the_extract_name_and_the_feature_codes() {
        let t = "geonameid,name,country,feature_code,population,lat,lon\n1,A,RU,PPL,900,51.5,35.0\n2,B,UA,PPLA,2000,50.0,36.5\n";
        let path = Path::new("data/cities1000_ua_ru.csv");
        let (_, c) = read_places(path, t.as_bytes()).unwrap();
        assert_eq!(c.min_population, Some(1000));
        assert_eq!(c.classes, ["PPL", "PPLA"]);
        assert_eq!(c.countries, ["RU", "UA"]);
        assert_eq!(c.bbox, Some([35.0, 50.0, 36.5, 51.5]));
        assert_eq!(c.from, "file name (cities1000_ua_ru.csv)");
        // A list that does not say what it holds: unknown.
        let (_, c) = read_places(Path::new("my_places.csv"), t.as_bytes()).unwrap();
        assert_eq!((c.min_population, c.from.as_str()), (None, "unknown"));
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = parse_places(Path::new("g.csv"), b"name,lat,lon,population\nA,51,35,1\nB,91,35,2\n").unwrap_err();
        assert_eq!(e.to_string(), "g.csv: line 3: field `lat`: `91` is not a valid lat");
        let e = parse_places(Path::new("g.csv"), b"name,lat,lon,population\nA,51,35,many\n").unwrap_err();
        assert!(e.to_string().contains("line 2: field `population`"), "{e}");
    }
}
