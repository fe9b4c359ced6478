//! A GeoPackage (OGC 12-128r18, version 1.3), written with the SQLite
//! Frontline already links: the required tables, one feature table in
//! EPSG:4326 with GeoPackage geometry blobs, and the provenance in the
//! metadata extension (`gpkg_metadata`, referenced from the table).

use anyhow::{Context, Result};
use geo::BoundingRect;
use rusqlite::{Connection, params};
use serde_json::Value;
use std::path::Path;

const SCHEMA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset',
  md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '');
CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, row_id_value INTEGER,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id INTEGER,
  CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
  CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id));
INSERT INTO gpkg_extensions VALUES
  ('gpkg_metadata', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec121/#extension_metadata', 'read-write'),
  ('gpkg_metadata_reference', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec121/#extension_metadata', 'read-write');
"#;

/// A GeoPackage geometry blob: the `GP` header (version 0, little-endian,
/// an envelope of min x, max x, min y, max y), the SRS id, then WKB.
fn blob(g: &geo::Geometry<f64>) -> Result<Vec<u8>> {
    let mut out = b"GP".to_vec();
    out.push(0);
    let env = g.bounding_rect();
    out.push(if env.is_some() { 0b0000_0011 } else { 0b0001_0001 });
    out.extend_from_slice(&4326i32.to_le_bytes());
    if let Some(r) = env {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    wkb::writer::write_geometry(&mut out, g, &wkb::writer::WriteOptions::default()).context("WKB")?;
    Ok(out)
}

/// Writes `features` as table `layer` of a new GeoPackage at `out`.
pub(crate) fn write(
    out: &Path,
    layer: &str,
    features: &[Value],
    shapes: &[geo::Geometry<f64>],
    provenance: &Value,
) -> Result<()> {
    let cols = super::columns(features);
    let kind = super::shared_kind(shapes).map_or("GEOMETRY".to_string(), str::to_uppercase);
    let extent = super::extent(shapes);
    let mut conn = Connection::open(out).with_context(|| format!("creating {}", out.display()))?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES \
         ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'), \
         ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'), \
         ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [super::WGS84],
    )?;
    // Column names come from Frontline's own property names; quoted all
    // the same (a name is never markup or SQL).
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let defs: Vec<String> = cols.iter().map(|(k, t)| format!("{} {t}", quote(k))).collect();
    tx.execute_batch(&format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {kind}, feature_id TEXT{}{})",
        quote(layer),
        if defs.is_empty() { "" } else { ", " },
        defs.join(", ")
    ))?;
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
        params![
            layer,
            provenance["collection"].as_str().unwrap_or_default(),
            extent.map(|r| r[0]),
            extent.map(|r| r[1]),
            extent.map(|r| r[2]),
            extent.map(|r| r[3])
        ],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        params![layer, kind],
    )?;
    let marks: Vec<String> = (0..cols.len() + 2).map(|i| format!("?{}", i + 1)).collect();
    let names: Vec<String> = cols.iter().map(|(k, _)| quote(k)).collect();
    let sql = format!(
        "INSERT INTO {} (geom, feature_id{}{}) VALUES ({})",
        quote(layer),
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        marks.join(", ")
    );
    {
        let mut stmt = tx.prepare(&sql)?;
        for (f, g) in features.iter().zip(shapes) {
            let mut values: Vec<rusqlite::types::Value> = vec![blob(g)?.into(), super::feature_id(f).into()];
            for (k, _) in &cols {
                values.push(match &f["properties"][k] {
                    Value::Null => rusqlite::types::Value::Null,
                    Value::Number(n) if n.is_i64() => n.as_i64().unwrap_or_default().into(),
                    Value::Number(n) => n.as_f64().unwrap_or_default().into(),
                    Value::String(s) => s.clone().into(),
                    v => v.to_string().into(),
                });
            }
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.execute(
        "INSERT INTO gpkg_metadata (id, md_scope, md_standard_uri, mime_type, metadata) \
         VALUES (1, 'dataset', 'https://frontline.invalid/provenance', 'application/json', ?1)",
        [serde_json::to_string_pretty(provenance)?],
    )?;
    tx.execute(
        "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) VALUES ('table', ?1, 1)",
        [layer],
    )?;
    tx.commit()?;
    Ok(())
}
