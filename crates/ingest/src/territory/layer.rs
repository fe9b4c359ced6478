//! Reference layers of points or lines (roads, power plants, …).

use super::geometry::{feature_collection, point_or_line, prop_text};
use crate::IngestError;
use frontline_model::LayerFeature;
use std::path::Path;

/// Reads the point and line features of a GeoJSON file. The name comes from
/// `name_property` (default `name`), else `feature N`.
pub fn parse_layer(file: &Path, bytes: &[u8], name_property: &str) -> Result<Vec<LayerFeature>, IngestError> {
    let fc = feature_collection(file, bytes)?;
    let mut out = Vec::new();
    for (i, f) in fc.features.iter().enumerate() {
        let n = i + 1;
        if let Some(geometry) = point_or_line(file, n, f)? {
            let name = prop_text(f, name_property).unwrap_or_else(|| format!("feature {n}"));
            out.push(LayerFeature { name, geometry });
        }
    }
    if out.is_empty() {
        return Err(IngestError::shape(file, "no point or line features"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_points_and_lines() {
        let t = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Kursk NPP"},"geometry":{"type":"Point","coordinates":[35.31,51.67]}},
          {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[35,51],[36,51]]}}]}"#;
        let l = parse_layer(Path::new("l.geojson"), t.as_bytes(), "name").unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[1].name, "feature 2");
    }
}
