//! `export layer` (#25, docs/ogc.md): a spatial answer written as a file
//! the analyst's tools open without conversion: a GeoPackage (QGIS's own
//! format, written with the SQLite Frontline links), FlatGeobuf, GeoParquet
//! 1.1 (pandas, DuckDB, R) or CSV with WKT. Each carries the CRS (EPSG:4326,
//! longitude first), the same attributes as the OGC API's features, and the
//! provenance: the query, the knowledge time and the SHA-256 of every
//! stored source of the kinds it reads.

mod fgb;
mod gpkg;
mod parquet;
mod wkt;

use crate::error::{bad, bail_bad};
use crate::features::{self, ItemsQuery, When};
use crate::requests::ExportLayerRequest;
use anyhow::Result;
use frontline_model::SourceKind;
use frontline_store::Store;
use serde_json::{Value, json};

/// The most features one file holds (as the API's answers).
pub const MAX_FEATURES: usize = 50_000;

/// EPSG:4326 as the GeoPackage specification's own example defines it
/// (the FlatGeobuf header carries it too).
const WGS84: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]"#;

/// What was written.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct LayerWritten {
    /// The file.
    pub file: String,
    /// Its format.
    pub format: String,
    /// Features written.
    pub features: usize,
    /// The layer's name inside it.
    pub layer: String,
}

/// The OGC collection a request names, the status filter it passes on,
/// and the kinds of source its features are drawn from.
fn collection(req: &ExportLayerRequest) -> Result<(String, Option<String>, Vec<SourceKind>)> {
    let mapper = req.mapper.as_deref().unwrap_or("deepstate");
    let status = || {
        req.status
            .as_deref()
            .ok_or_else(|| bad!("status: `{}` needs one (occupied, liberated, contested)", req.what))
    };
    let maps = vec![SourceKind::ControlMap];
    Ok(match req.what.as_str() {
        "control" => (format!("control-{mapper}-{}", status()?), None, maps),
        "units" => (
            format!("units-{mapper}-{}", status()?),
            None,
            vec![SourceKind::ControlMap, SourceKind::Boundaries],
        ),
        "disagreement" => {
            let against = req
                .against
                .as_deref()
                .ok_or_else(|| bad!("against: `disagreement` needs the second mapper (--against isw)"))?;
            (format!("disagreement-{mapper}-{against}-{}", status()?), None, maps)
        }
        "settlements" => (
            "settlements".to_string(),
            req.status.clone(),
            vec![SourceKind::Places, SourceKind::ControlMap],
        ),
        "losses" => {
            let source = req
                .source
                .as_deref()
                .ok_or_else(|| bad!("source: `losses` needs a loss list (--source warspotting)"))?;
            (format!("losses-{source}"), None, vec![SourceKind::Losses])
        }
        other => bail_bad!("what: `{other}` is not one of control, units, disagreement, settlements, losses"),
    })
}

/// Writes the layer a request names.
pub fn export(store: &dyn Store, req: &ExportLayerRequest) -> Result<LayerWritten> {
    if req.out.exists() {
        bail_bad!(
            "out: {} exists; name a new file (a layer is written whole, never over another)",
            req.out.display()
        );
    }
    if !["gpkg", "fgb", "parquet", "csv"].contains(&req.format.as_str()) {
        bail_bad!("format: `{}` is not one of gpkg, fgb, parquet, csv", req.format);
    }
    let (collection, status, kinds) = collection(req)?;
    let when = match (req.date, req.from, req.to) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            bail_bad!("date: give a day or an interval (from, to), not both")
        }
        (Some(day), None, None) => features::parse_datetime(Some(&day.to_string()))?,
        (None, None, None) => When::Latest,
        (None, from, to) => {
            let end = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "..".to_string(), |d| d.to_string());
            features::parse_datetime(Some(&format!("{}/{}", end(from), end(to))))?
        }
    };
    let query = ItemsQuery {
        limit: features::MAX_LIMIT,
        offset: 0,
        bbox: features::parse_bbox(req.bbox.as_deref())?,
        when,
        status,
        properties: Vec::new(),
    };
    // The collection's features computed once, not once a page.
    let all = features::matching(store, &collection, &query)?;
    if all.len() > MAX_FEATURES {
        bail_bad!(
            "{} features, more than {MAX_FEATURES} in one file; narrow it with --bbox",
            all.len()
        );
    }
    if all.is_empty() {
        // An empty file reads as "nothing there", which the store cannot
        // say: it may hold no data of that kind, day or place.
        bail_bad!(
            "no features of {collection} match; nothing written (check the day, bbox and status; \
             a loss layer holds located items only)"
        );
    }
    let sources: Vec<Value> = store
        .sources()?
        .into_iter()
        .filter(|s| kinds.contains(&s.kind))
        .map(|s| json!({"location": s.location, "sha256": s.sha256, "imported_at": s.imported_at.to_rfc3339()}))
        .collect();
    let provenance = json!({
        "generator": concat!("frontline ", env!("CARGO_PKG_VERSION"), " export layer"),
        "collection": collection,
        "query": {
            "date": req.date, "from": req.from, "to": req.to, "status": req.status, "bbox": req.bbox,
            "mapper": req.mapper, "against": req.against, "source": req.source,
        },
        "known_at": chrono::Utc::now().to_rfc3339(),
        "data_version": store.data_version()?,
        "crs": "EPSG:4326",
        "sources": sources,
    });
    let layer = collection.replace('-', "_");
    let shapes = || -> Result<Vec<geo::Geometry<f64>>> { all.iter().map(|f| geometry(&f["geometry"])).collect() };
    match req.format.as_str() {
        "gpkg" => gpkg::write(&req.out, &layer, &all, &shapes()?, &provenance)?,
        "fgb" => fgb::write(&req.out, &layer, &all, &shapes()?, &provenance)?,
        "parquet" => parquet::write(&req.out, &all, &shapes()?, &provenance)?,
        _ => wkt::write(&req.out, &all, &provenance)?,
    }
    Ok(LayerWritten {
        file: req.out.display().to_string(),
        format: req.format.clone(),
        features: all.len(),
        layer,
    })
}

/// A feature's GeoJSON geometry as a `geo` one.
fn geometry(v: &Value) -> Result<geo::Geometry<f64>> {
    let g: geojson::Geometry = serde_json::from_value(v.clone())?;
    Ok(geo::Geometry::try_from(g)?)
}

/// The geometry type all `shapes` share (`None` when they are mixed).
fn shared_kind(shapes: &[geo::Geometry<f64>]) -> Option<&'static str> {
    let name = |g: &geo::Geometry<f64>| match g {
        geo::Geometry::Point(_) => "Point",
        geo::Geometry::Polygon(_) => "Polygon",
        geo::Geometry::MultiPolygon(_) => "MultiPolygon",
        _ => "Geometry",
    };
    let first = name(shapes.first()?);
    shapes.iter().all(|g| name(g) == first).then_some(first)
}

/// The extent of `shapes`: west, south, east, north.
fn extent(shapes: &[geo::Geometry<f64>]) -> Option<[f64; 4]> {
    use geo::BoundingRect;
    shapes
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .fold(None, |acc, r| {
            let [w, s, e, n] = acc.unwrap_or([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
            Some([w.min(r.min().x), s.min(r.min().y), e.max(r.max().x), n.max(r.max().y)])
        })
}

/// A feature's id as text.
fn feature_id(f: &Value) -> String {
    f["id"].as_str().map_or_else(|| f["id"].to_string(), str::to_string)
}

/// The properties every feature of a list has, in first-seen order, with
/// their SQL type: INTEGER, REAL or TEXT (what mixed values fall back to).
pub(crate) fn columns(features: &[Value]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for f in features {
        let Some(props) = f["properties"].as_object() else {
            continue;
        };
        for (k, v) in props {
            let kind = match v {
                Value::Number(n) if n.is_i64() => "INTEGER",
                Value::Number(_) => "REAL",
                Value::Null => "",
                _ => "TEXT",
            };
            match out.iter_mut().find(|(name, _)| name == k) {
                Some((_, t)) if t.is_empty() => *t = kind,
                Some((_, t)) if !kind.is_empty() && *t != kind => {
                    *t = if (*t, kind) == ("INTEGER", "REAL") || (*t, kind) == ("REAL", "INTEGER") {
                        "REAL"
                    } else {
                        "TEXT"
                    }
                }
                Some(_) => {}
                None => out.push((k.clone(), kind)),
            }
        }
    }
    out.into_iter()
        .map(|(k, t)| (k, if t.is_empty() { "TEXT" } else { t }))
        .collect()
}
