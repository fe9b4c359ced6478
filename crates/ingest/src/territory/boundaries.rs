//! Outlines from GeoJSON (Natural Earth style properties): countries, or
//! first-level units (oblasts) keyed by their ISO 3166-2 code.

use super::geometry::{areal, feature_collection, prop_text, require_area};
use crate::{IngestError, Record};
use frontline_model::{Boundary, BoundaryLevel};
use std::collections::HashMap;
use std::path::Path;

/// `UA-09`, `RU-KRS`: two letters, a dash, a short code. Natural Earth
/// also has a few provisional ones (`RU-X01~`, a nameless piece of the
/// Urals): kept as they are, they still name their country.
fn is_unit_code(c: &str) -> bool {
    let Some((country, sub)) = c.split_once('-') else {
        return false;
    };
    country.len() == 2
        && country.chars().all(|ch| ch.is_ascii_alphabetic())
        && (1..=6).contains(&sub.len())
        && sub.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '~')
}

/// Reads every areal feature as an outline. A feature with an ISO 3166-2
/// code (`iso_3166_2`) is a first-level unit; otherwise the code comes from
/// `iso_a2` (else `ISO_A2`, `code`) and the feature is a country as the map
/// draws it (de facto). Names from `name_en` / `name` (else `NAME`),
/// `name_uk`, `name_ru`. A code given twice is refused, naming both
/// features: one outline per code and file.
pub fn parse_boundaries(file: &Path, bytes: &[u8]) -> Result<Vec<Boundary>, IngestError> {
    let fc = feature_collection(file, bytes)?;
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, f) in fc.features.iter().enumerate() {
        let n = i + 1;
        let Some(geometry) = areal(file, n, f)? else { continue };
        // An empty or degenerate outline would clip every area to zero.
        require_area(file, n, &geometry)?;
        let unit = prop_text(f, "iso_3166_2")
            .map(|c| c.trim().to_uppercase())
            .filter(|c| is_unit_code(c));
        let (code, level) = match unit {
            Some(c) => (c, BoundaryLevel::Unit),
            None => (
                ["iso_a2", "ISO_A2", "code"]
                    .iter()
                    .find_map(|k| prop_text(f, k))
                    .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
                    .ok_or_else(|| {
                        IngestError::field(
                            file,
                            Record::Feature(n),
                            "iso_a2",
                            "missing or not a two-letter code (and no `iso_3166_2` unit code)",
                        )
                    })?
                    .to_uppercase(),
                BoundaryLevel::DeFacto,
            ),
        };
        if let Some(first) = seen.insert(code.clone(), n) {
            return Err(IngestError::field(
                file,
                Record::Feature(n),
                if level == BoundaryLevel::Unit {
                    "iso_3166_2"
                } else {
                    "iso_a2"
                },
                format!("code `{code}` again (first at feature {first}); one outline per code"),
            ));
        }
        let name = ["name_en", "name", "NAME"]
            .iter()
            .find_map(|k| prop_text(f, k))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| code.clone());
        let text = |k: &str| prop_text(f, k).filter(|t| !t.trim().is_empty());
        out.push(Boundary {
            code,
            name,
            name_uk: text("name_uk"),
            name_ru: text("name_ru"),
            level,
            geometry,
        });
    }
    if out.is_empty() {
        return Err(IngestError::shape(file, "no polygon features"));
    }
    // A country's de jure outline is made from its units: a file with both
    // would give two outlines of one code.
    let unit = out.iter().position(|b| b.level == BoundaryLevel::Unit);
    let country = out.iter().position(|b| b.level != BoundaryLevel::Unit);
    if let (Some(u), Some(c)) = (unit, country) {
        return Err(IngestError::shape(
            file,
            format!(
                "outline `{}` is a country and `{}` a first-level unit: a file holds one or the other",
                out[c].code, out[u].code
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_and_name() {
        let t = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Ukraine","iso_a2":"ua"},
          "geometry":{"type":"MultiPolygon","coordinates":[[[[30,50],[31,50],[31,51],[30,50]]]]}}]}"#;
        let b = parse_boundaries(Path::new("b.geojson"), t.as_bytes()).unwrap();
        assert_eq!((b[0].code.as_str(), b[0].name.as_str()), ("UA", "Ukraine"));
    }

    #[test]
    fn missing_code_names_feature() {
        let t = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
          "geometry":{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,50]]]}}]}"#;
        let e = parse_boundaries(Path::new("b.geojson"), t.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "b.geojson: feature 1: field `iso_a2`: missing or not a two-letter code (and no `iso_3166_2` unit code)"
        );
    }

    #[test]
    fn units_by_iso_3166_2_with_three_names() {
        let t = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Luhans'k","name_en":"Luhansk","name_uk":"Луганська область","name_ru":"Луганская область","iso_3166_2":"UA-09","iso_a2":"UA"},
           "geometry":{"type":"Polygon","coordinates":[[[38,48],[40,48],[40,50],[38,48]]]}},
          {"type":"Feature","properties":{"name":"Crimea","iso_3166_2":"UA-43","iso_a2":"RU","adm0_a3":"RUS"},
           "geometry":{"type":"Polygon","coordinates":[[[33,45],[35,45],[35,46],[33,45]]]}}]}"#;
        let b = parse_boundaries(Path::new("a.geojson"), t.as_bytes()).unwrap();
        assert_eq!(
            (
                b[0].code.as_str(),
                b[0].name.as_str(),
                b[0].name_uk.as_deref(),
                b[0].level
            ),
            ("UA-09", "Luhansk", Some("Луганська область"), BoundaryLevel::Unit)
        );
        // Crimea is Ukraine's by its ISO code, whatever the map's `iso_a2`.
        assert_eq!((b[1].code.as_str(), b[1].country()), ("UA-43", "UA"));
    }

    #[test]
    fn a_code_twice_is_refused_naming_both_features() {
        let f = r#"{"type":"Feature","properties":{"iso_a2":"UA"},"geometry":{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,50]]]}}"#;
        let t = format!(r#"{{"type":"FeatureCollection","features":[{f},{f}]}}"#);
        let e = parse_boundaries(Path::new("b.geojson"), t.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "b.geojson: feature 2: field `iso_a2`: code `UA` again (first at feature 1); one outline per code"
        );
    }
}
