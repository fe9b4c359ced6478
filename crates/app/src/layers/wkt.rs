//! CSV with WKT: one row per feature, its geometry as Well-Known Text in a
//! `wkt` column (what GDAL's CSV driver, pandas and DuckDB read), then the
//! properties. A `.prov.json` beside it holds the provenance: CSV has no
//! place for it.

use anyhow::{Context, Result};
use serde_json::Value;
use std::path::Path;

fn coords(c: &Value) -> String {
    let xy = c.as_array().map(|a| {
        a.iter()
            .take(2)
            .map(|v| v.as_f64().unwrap_or(0.0).to_string())
            .collect::<Vec<_>>()
    });
    xy.map_or_else(String::new, |xy| xy.join(" "))
}

fn ring(r: &Value) -> String {
    let pts: Vec<String> = r.as_array().into_iter().flatten().map(coords).collect();
    format!("({})", pts.join(", "))
}

fn polygon(p: &Value) -> String {
    let rings: Vec<String> = p.as_array().into_iter().flatten().map(ring).collect();
    format!("({})", rings.join(", "))
}

/// A GeoJSON geometry as WKT (points, polygons, multipolygons).
pub(crate) fn of(g: &Value) -> String {
    let c = &g["coordinates"];
    match g["type"].as_str() {
        Some("Point") => format!("POINT ({})", coords(c)),
        Some("Polygon") => format!("POLYGON {}", polygon(c)),
        Some("MultiPolygon") => {
            let polys: Vec<String> = c.as_array().into_iter().flatten().map(polygon).collect();
            format!("MULTIPOLYGON ({})", polys.join(", "))
        }
        _ => "GEOMETRYCOLLECTION EMPTY".into(),
    }
}

/// Writes the features to `out`, and the provenance beside it.
pub(crate) fn write(out: &Path, features: &[Value], provenance: &Value) -> Result<()> {
    let cols = super::columns(features);
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut head = vec!["id".to_string(), "wkt".to_string()];
    head.extend(cols.iter().map(|(k, _)| k.clone()));
    w.write_record(&head)?;
    for f in features {
        let mut row = vec![super::feature_id(f), of(&f["geometry"])];
        for (k, _) in &cols {
            row.push(match &f["properties"][k] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                v => v.to_string(),
            });
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    let beside = out.with_extension("prov.json");
    std::fs::write(&beside, serde_json::to_vec_pretty(provenance)?)
        .with_context(|| format!("writing {}", beside.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn geometries_read_as_wkt() {
        assert_eq!(
            super::of(&json!({"type": "Point", "coordinates": [35.27, 51.19]})),
            "POINT (35.27 51.19)"
        );
        let square = json!([[[0, 0], [1, 0], [1, 1], [0, 0]]]);
        assert_eq!(
            super::of(&json!({"type": "Polygon", "coordinates": square})),
            "POLYGON ((0 0, 1 0, 1 1, 0 0))"
        );
        assert_eq!(
            super::of(&json!({"type": "MultiPolygon", "coordinates": [square]})),
            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"
        );
    }
}
