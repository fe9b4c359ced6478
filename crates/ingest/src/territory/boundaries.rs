//! Country outlines from GeoJSON (Natural Earth style properties).

use super::geometry::{areal, feature_collection, prop_text, require_area};
use crate::{IngestError, Record};
use frontline_model::Boundary;
use std::path::Path;

/// Reads every areal feature as a country outline. The code comes from
/// `iso_a2` (else `ISO_A2`, `code`), the name from `name` (else `NAME`).
pub fn parse_boundaries(file: &Path, bytes: &[u8]) -> Result<Vec<Boundary>, IngestError> {
    let fc = feature_collection(file, bytes)?;
    let mut out = Vec::new();
    for (i, f) in fc.features.iter().enumerate() {
        let n = i + 1;
        let Some(geometry) = areal(file, n, f)? else { continue };
        // An empty or degenerate outline would clip every area to zero.
        require_area(file, n, &geometry)?;
        let code = ["iso_a2", "ISO_A2", "code"]
            .iter()
            .find_map(|k| prop_text(f, k))
            .filter(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()))
            .ok_or_else(|| IngestError::field(file, Record::Feature(n), "iso_a2", "missing or not a two-letter code"))?
            .to_uppercase();
        let name = ["name", "NAME"]
            .iter()
            .find_map(|k| prop_text(f, k))
            .unwrap_or_else(|| code.clone());
        out.push(Boundary { code, name, geometry });
    }
    if out.is_empty() {
        return Err(IngestError::shape(file, "no polygon features"));
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
            "b.geojson: feature 1: field `iso_a2`: missing or not a two-letter code"
        );
    }
}
