//! `export layer` (#25, docs/ogc.md): a spatial answer written as a file
//! the analyst's tools open without conversion: a GeoPackage (QGIS's own
//! format, written with the SQLite Frontline links) or CSV with WKT. Each
//! carries the CRS (EPSG:4326), the same attributes as the OGC API's
//! features, and the provenance: the query, the knowledge time and the
//! SHA-256 of every stored source of the kinds it reads.

mod gpkg;
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

/// Writes the layer a request names.
pub fn export(store: &dyn Store, req: &ExportLayerRequest) -> Result<LayerWritten> {
    if req.out.exists() {
        bail_bad!(
            "out: {} exists; name a new file (a layer is written whole, never over another)",
            req.out.display()
        );
    }
    let (collection, status, kinds) = match req.what.as_str() {
        "control" => {
            let status = req
                .status
                .as_deref()
                .ok_or_else(|| bad!("status: `control` needs one (occupied, liberated, contested)"))?;
            let mapper = req.mapper.as_deref().unwrap_or("deepstate");
            (format!("control-{mapper}-{status}"), None, vec![SourceKind::ControlMap])
        }
        "settlements" => (
            "settlements".to_string(),
            req.status.clone(),
            vec![SourceKind::Places, SourceKind::ControlMap],
        ),
        other => bail_bad!("what: `{other}` is not one of control, settlements"),
    };
    let when = match req.date {
        Some(day) => features::parse_datetime(Some(&day.to_string()))?,
        None => When::Latest,
    };
    let mut query = ItemsQuery {
        limit: features::MAX_LIMIT,
        offset: 0,
        bbox: features::parse_bbox(req.bbox.as_deref())?,
        when,
        status,
    };
    let mut all: Vec<Value> = Vec::new();
    loop {
        let page = features::items(store, &collection, &query)?;
        if page.matched > MAX_FEATURES {
            bail_bad!(
                "{} features, more than {MAX_FEATURES} in one file; narrow it with --bbox",
                page.matched
            );
        }
        let n = page.features.len();
        all.extend(page.features);
        query.offset += n;
        if n == 0 || query.offset >= page.matched {
            break;
        }
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
        "query": {"date": req.date, "status": req.status, "bbox": req.bbox, "mapper": req.mapper},
        "known_at": chrono::Utc::now().to_rfc3339(),
        "data_version": store.data_version()?,
        "crs": "EPSG:4326",
        "sources": sources,
    });
    let layer = collection.replace('-', "_");
    match req.format.as_str() {
        "gpkg" => gpkg::write(&req.out, &layer, &all, &provenance)?,
        "csv" => wkt::write(&req.out, &all, &provenance)?,
        other => bail_bad!("format: `{other}` is not one of gpkg, csv"),
    }
    Ok(LayerWritten {
        file: req.out.display().to_string(),
        format: req.format.clone(),
        features: all.len(),
        layer,
    })
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
