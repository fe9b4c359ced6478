//! FlatGeobuf (flatgeobuf.org), written by the georust `flatgeobuf` crate:
//! a header with EPSG:4326 and typed columns, the features Hilbert-sorted
//! behind a packed R-tree (so GDAL and QGIS can read a bbox without the
//! whole file), and the provenance as the header's `metadata` (a JSON object of
//! strings: GDAL shows each as a layer metadata item).

use anyhow::{Context, Result};
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};
use serde_json::Value;
use std::path::Path;

/// Writes `features` (with their `shapes`) as layer `layer` of a new file.
pub(crate) fn write(
    out: &Path,
    layer: &str,
    features: &[Value],
    shapes: &[geo::Geometry<f64>],
    provenance: &Value,
) -> Result<()> {
    let cols = super::columns(features);
    let kind = match super::shared_kind(shapes) {
        Some("Point") => GeometryType::Point,
        Some("Polygon") => GeometryType::Polygon,
        Some("MultiPolygon") => GeometryType::MultiPolygon,
        _ => GeometryType::Unknown,
    };
    // GDAL reads the metadata object's string values as the layer's
    // metadata items, and drops the rest: nested values go as JSON text.
    let flat: serde_json::Map<String, Value> = provenance
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| Value::String(v.to_string()), |_| v.clone()),
            )
        })
        .collect();
    let metadata = serde_json::to_string(&flat)?;
    let description = provenance["collection"].as_str().unwrap_or_default();
    let options = FgbWriterOptions {
        write_index: true,
        // The type is known; single and multi polygons stay what they are.
        detect_type: false,
        promote_to_multi: false,
        crs: FgbCrs {
            org: Some("EPSG"),
            code: 4326,
            wkt: Some(super::WGS84),
            ..Default::default()
        },
        title: Some(layer),
        description: Some(description),
        metadata: Some(&metadata),
        ..Default::default()
    };
    let mut fgb = FgbWriter::create_with_options(layer, kind, options)?;
    fgb.add_column("feature_id", ColumnType::String, |_, c| c.nullable = false);
    for (name, sql) in &cols {
        let t = match *sql {
            "INTEGER" => ColumnType::Long,
            "REAL" => ColumnType::Double,
            _ => ColumnType::String,
        };
        fgb.add_column(name, t, |_, _| {});
    }
    for (f, g) in features.iter().zip(shapes) {
        let mut failed = None;
        fgb.add_feature_geom(g.clone(), |w| {
            let id = super::feature_id(f);
            let mut put = |i: usize, name: &str, v: &ColumnValue| {
                if let Err(e) = w.property(i, name, v) {
                    failed.get_or_insert(e);
                }
            };
            put(0, "feature_id", &ColumnValue::String(&id));
            for (i, (name, sql)) in cols.iter().enumerate() {
                // A null is an absent property (FlatGeobuf's own null).
                let text;
                let v = match (&f["properties"][name], *sql) {
                    (Value::Null, _) => continue,
                    (Value::Number(n), "INTEGER") => ColumnValue::Long(n.as_i64().unwrap_or_default()),
                    (Value::Number(n), "REAL") => ColumnValue::Double(n.as_f64().unwrap_or_default()),
                    (Value::String(s), _) => ColumnValue::String(s),
                    (v, _) => {
                        text = v.to_string();
                        ColumnValue::String(&text)
                    }
                };
                put(i + 1, name, &v);
            }
        })?;
        if let Some(e) = failed {
            return Err(e).context("writing a FlatGeobuf property");
        }
    }
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    fgb.write(std::io::BufWriter::new(file))?;
    Ok(())
}
