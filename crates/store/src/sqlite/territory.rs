//! Control snapshots, outlines, places and reference layers.

use super::sources;
use crate::wkb_codec::{decode, decode_mp, encode, encode_mp};
use crate::{
    AreaFilter, ControlEdit, ControlImport, ImportReport, LayerLabels, PlaceChange, PlaceEdit, PlaceFilter,
    SnapshotInfo, StoreError, StoredLayer, StoredSnapshot,
};
use frontline_model::{
    Boundary, BoundaryLevel, ControlStatus, Gazetteer, GazetteerCoverage, LayerFeature, Mapper, Place, SourceMeta,
};
use rusqlite::{Connection, Transaction, params};

/// A control-map import: one transaction over every snapshot added.
pub(crate) struct SqliteControlImport<'a> {
    pub(crate) tx: Transaction<'a>,
    /// Audit mark and context of this write.
    pub(crate) mark: i64,
    pub(crate) audit: crate::AuditContext,
}

impl ControlImport for SqliteControlImport<'_> {
    fn has_source(&mut self, sha256: &str) -> Result<bool, StoreError> {
        Ok(sources::find(&self.tx, sha256)?.is_some())
    }

    fn add(&mut self, meta: &SourceMeta, s: &StoredSnapshot) -> Result<ImportReport, StoreError> {
        let conn: &Connection = &self.tx;
        if let Some(id) = sources::find(conn, &meta.sha256)? {
            return Ok(ImportReport::already(meta, id));
        }
        let records = s.layers.len() + s.annotations.len();
        let source_id = sources::insert(conn, meta, records)?;
        conn.execute(
            "INSERT INTO control_snapshot (mapper, taken_at, source_id, annotations, unmapped, repaired, rejected, outside_region) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                s.mapper.as_str(),
                s.taken_at.to_rfc3339(),
                source_id,
                s.annotations.len() as i64,
                s.unmapped as i64,
                s.repaired as i64,
                s.rejected as i64,
                s.outside_region as i64
            ],
        )?;
        let snapshot_id = conn.last_insert_rowid();
        let mut layer = conn.prepare_cached(
            "INSERT INTO control_layer (snapshot_id, status, features, labels, area_km2, geometry) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for l in &s.layers {
            layer.execute(params![
                snapshot_id,
                l.status.as_str(),
                l.features as i64,
                l.labels.join("\n"),
                l.area_km2,
                encode_mp(&l.geometry)?
            ])?;
        }
        let mut ann = conn.prepare_cached(
            "INSERT INTO control_annotation (snapshot_id, feature, label, lon, lat) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &s.annotations {
            ann.execute(params![
                snapshot_id,
                a.feature as i64,
                a.label,
                a.point.x(),
                a.point.y()
            ])?;
        }
        sources::finish(conn, source_id, records)?;
        Ok(ImportReport::imported(meta, source_id, records, records))
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        super::audit::record(&self.tx, &self.audit, "import control", self.mark, 0, 0)?;
        self.tx.commit()?;
        Ok(())
    }
}

/// Imports one file's records under a new source, unless its bytes were
/// imported before; `store` writes the rows and returns how many it added.
fn import_file(
    conn: &Connection,
    meta: &SourceMeta,
    records: usize,
    store: impl FnOnce(i64) -> Result<usize, StoreError>,
) -> Result<ImportReport, StoreError> {
    if let Some(id) = sources::find(conn, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let source_id = sources::insert(conn, meta, records)?;
    let added = store(source_id)?;
    sources::finish(conn, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, records, added))
}

pub(crate) fn import_boundaries(
    conn: &Connection,
    meta: &SourceMeta,
    items: &[Boundary],
) -> Result<ImportReport, StoreError> {
    import_file(conn, meta, items.len(), |source_id| {
        for b in items {
            conn.execute(
                "INSERT INTO boundary (code, name, geometry, source_id, level, name_uk, name_ru) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    b.code,
                    b.name,
                    encode_mp(&b.geometry)?,
                    source_id,
                    b.level.as_str(),
                    b.name_uk,
                    b.name_ru
                ],
            )?;
            // Areas clipped to the old outline of this code are now wrong.
            conn.execute(
                "DELETE FROM control_area_within WHERE within = upper(?1) OR within LIKE upper(?1) || ':%' \
                 OR within LIKE upper(?1) || '+%'",
                params![b.code],
            )?;
        }
        Ok(items.len())
    })
}

pub(crate) fn import_places(
    conn: &Connection,
    meta: &SourceMeta,
    coverage: &GazetteerCoverage,
    items: &[Place],
) -> Result<ImportReport, StoreError> {
    import_file(conn, meta, items.len(), |source_id| {
        conn.execute(
            "INSERT INTO gazetteer (source_id, coverage) VALUES (?1, ?2)",
            params![source_id, crate::types::coverage_json(coverage)],
        )?;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO place (name, lat, lon, population, admin1, country, source_id, name_uk, name_ru) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (name, lat, lon) DO UPDATE SET \
             name_uk = COALESCE(excluded.name_uk, place.name_uk), name_ru = COALESCE(excluded.name_ru, place.name_ru) \
             WHERE (excluded.name_uk IS NOT NULL AND excluded.name_uk IS NOT place.name_uk) \
             OR (excluded.name_ru IS NOT NULL AND excluded.name_ru IS NOT place.name_ru)",
        )?;
        let mut added = 0;
        for p in items {
            added += stmt.execute(params![
                p.name,
                p.lat,
                p.lon,
                p.population.map(|v| v as i64),
                p.admin1,
                p.country,
                source_id,
                p.name_uk,
                p.name_ru
            ])?;
        }
        Ok(added)
    })
}

pub(crate) fn import_layer(
    conn: &Connection,
    meta: &SourceMeta,
    layer: &str,
    items: &[LayerFeature],
) -> Result<ImportReport, StoreError> {
    import_file(conn, meta, items.len(), |source_id| {
        for (i, f) in items.iter().enumerate() {
            conn.execute(
                "INSERT INTO layer_feature (layer, feature, name, geometry, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![layer, (i + 1) as i64, f.name, encode(&f.geometry)?, source_id],
            )?;
        }
        Ok(items.len())
    })
}

const CURRENT: &str =
    "s.source_id = (SELECT MAX(source_id) FROM control_snapshot WHERE mapper = s.mapper AND taken_at = s.taken_at)";

pub(crate) fn snapshots(conn: &Connection, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError> {
    let sql = format!(
        "SELECT s.id, s.mapper, s.taken_at, NULL FROM control_snapshot s WHERE (?1 IS NULL OR s.mapper = ?1) \
         AND {CURRENT} ORDER BY s.taken_at, s.mapper"
    );
    let rows = snapshot_rows(conn, &sql, params![mapper.map(Mapper::as_str)])?;
    Ok(rows.into_iter().map(|(s, _)| s).collect())
}

/// The current snapshot of a (mapper, time) as known at the end of the
/// day bound as `?{n}`: published by then, and the newest import known by
/// then (the first from the day of publication, a re-import from its
/// import day). Times are RFC 3339 in UTC: their first ten characters are
/// the day.
fn known_by(n: usize) -> String {
    format!(
        "substr(s.taken_at, 1, 10) <= ?{n} AND s.source_id = (SELECT MAX(p.source_id) FROM control_snapshot p \
         JOIN source src ON src.id = p.source_id WHERE p.mapper = s.mapper AND p.taken_at = s.taken_at \
         AND (substr(src.imported_at, 1, 10) <= ?{n} OR p.source_id = (SELECT MIN(q.source_id) \
         FROM control_snapshot q WHERE q.mapper = s.mapper AND q.taken_at = s.taken_at)))"
    )
}

/// Current snapshots (or as known by a day) with the area of one status:
/// the layer's own, or the remembered area clipped to `within`.
pub(crate) fn snapshot_areas(
    conn: &Connection,
    filter: AreaFilter<'_>,
) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
    let (mapper, status, within, known) = (filter.mapper, filter.status, filter.within, filter.known_by);
    use rusqlite::types::Value;
    let mut args: Vec<Value> = vec![
        mapper.map_or(Value::Null, |m| Value::Text(m.as_str().to_string())),
        Value::Text(status.as_str().to_string()),
    ];
    let area = match within {
        None => "LEFT JOIN control_layer a ON a.snapshot_id = s.id AND a.status = ?2".to_string(),
        Some(code) => {
            args.push(Value::Text(code.to_uppercase()));
            "LEFT JOIN control_area_within a ON a.snapshot_id = s.id AND a.status = ?2 AND a.within = ?3".to_string()
        }
    };
    let current = match known {
        None => CURRENT.to_string(),
        Some(day) => {
            args.push(Value::Text(day.to_string()));
            known_by(args.len())
        }
    };
    // `taken_at` is RFC 3339 text: a day compares as its prefix.
    let from = match filter.from {
        None => String::new(),
        Some(day) => {
            args.push(Value::Text(day.to_string()));
            format!(" AND s.taken_at >= ?{}", args.len())
        }
    };
    let sql = format!(
        "SELECT s.id, s.mapper, s.taken_at, a.area_km2 FROM control_snapshot s {area} \
         WHERE (?1 IS NULL OR s.mapper = ?1){from} AND {current} ORDER BY s.taken_at, s.mapper"
    );
    snapshot_rows(conn, &sql, rusqlite::params_from_iter(args))
}

/// Rows of (id, mapper, taken_at, area) as snapshots with an area.
fn snapshot_rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| <(i64, String, String, Option<f64>)>::try_from(r))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, mapper, taken_at, area) = row?;
        let taken_at = super::time(&taken_at, "control_snapshot", "taken_at")?;
        let snapshot = SnapshotInfo {
            id,
            mapper: Mapper::new(&mapper),
            taken_at,
        };
        out.push((snapshot, area));
    }
    Ok(out)
}

pub(crate) fn labels(
    conn: &Connection,
    snapshot_ids: &[i64],
    status: Option<ControlStatus>,
) -> Result<Vec<LayerLabels>, StoreError> {
    // One statement over every id (a JSON array), in the order asked.
    let ids = serde_json::to_string(snapshot_ids).map_err(|e| StoreError::Backend(e.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT l.snapshot_id, l.status, l.labels, src.location FROM json_each(?1) AS ask \
         JOIN control_layer l ON l.snapshot_id = ask.value JOIN control_snapshot s ON s.id = l.snapshot_id \
         JOIN source src ON src.id = s.source_id WHERE (?2 IS NULL OR l.status = ?2) ORDER BY ask.key, l.status",
    )?;
    let rows = stmt.query_map(params![ids, status.map(ControlStatus::as_str)], |r| {
        <(i64, String, String, String)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (snapshot_id, status, labels, source) = row?;
        out.push(LayerLabels {
            snapshot_id,
            source,
            status: crate::error::layer_status(&status)?,
            labels: labels.lines().map(str::to_string).collect(),
        });
    }
    Ok(out)
}

pub(crate) fn layers(
    conn: &Connection,
    snapshot_id: i64,
    statuses: &[ControlStatus],
) -> Result<Vec<StoredLayer>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, features, labels, area_km2, geometry FROM control_layer WHERE snapshot_id = ?1",
    )?;
    let rows = stmt.query_map(params![snapshot_id], |r| {
        <(String, i64, String, f64, Vec<u8>)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (status, features, labels, area_km2, geometry) = row?;
        let status = crate::error::layer_status(&status)?;
        // Decoded only when asked for: geometry is the cost.
        if !statuses.contains(&status) {
            continue;
        }
        out.push(StoredLayer {
            status,
            geometry: decode_mp(&geometry)?,
            area_km2,
            features: features as usize,
            labels: labels.lines().map(str::to_string).collect(),
        });
    }
    out.sort_by_key(|l| statuses.iter().position(|s| *s == l.status));
    Ok(out)
}

pub(crate) fn put_within_areas(
    conn: &Connection,
    status: ControlStatus,
    within: &str,
    areas: &[(i64, f64)],
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO control_area_within (snapshot_id, status, within, area_km2) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT DO UPDATE SET area_km2 = excluded.area_km2",
    )?;
    for (id, a) in areas {
        stmt.execute(params![id, status.as_str(), within.to_uppercase(), a])?;
    }
    Ok(())
}

pub(crate) fn put_control_edits(conn: &Connection, edits: &[ControlEdit]) -> Result<(), StoreError> {
    let mut edit = conn.prepare_cached(
        "INSERT INTO control_edit (snapshot_id, previous_id, boxes, places_upto) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT DO UPDATE SET previous_id = excluded.previous_id, boxes = excluded.boxes, \
         places_upto = excluded.places_upto",
    )?;
    let mut forget = conn.prepare_cached("DELETE FROM control_place_change WHERE snapshot_id = ?1")?;
    let mut change =
        conn.prepare_cached("INSERT INTO control_place_change (place_id, snapshot_id, status) VALUES (?1, ?2, ?3)")?;
    for e in edits {
        edit.execute(params![
            e.snapshot_id,
            e.previous_id,
            crate::types::boxes_bytes(&e.boxes),
            e.places_upto
        ])?;
        forget.execute(params![e.snapshot_id])?;
        for c in &e.changes {
            change.execute(params![c.place_id, e.snapshot_id, c.status.map(|s| s.as_str())])?;
        }
    }
    Ok(())
}

pub(crate) fn control_edits(
    conn: &Connection,
    mapper: &Mapper,
    from: Option<chrono::NaiveDate>,
) -> Result<Vec<ControlEdit>, StoreError> {
    // Read in the table's own order (its key): no sort of the boxes.
    // `taken_at` is RFC 3339 text: a day compares as its prefix.
    let mut stmt = conn.prepare_cached(
        "SELECT e.snapshot_id, e.previous_id, e.boxes, e.places_upto FROM control_edit e \
         WHERE e.snapshot_id IN (SELECT id FROM control_snapshot WHERE mapper = ?1 AND (?2 IS NULL OR taken_at >= ?2)) \
         ORDER BY e.snapshot_id",
    )?;
    let from = from.map(|d| d.to_string());
    let rows = stmt.query_map(params![mapper.as_str(), from], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (snapshot_id, previous_id, boxes, places_upto) = row?;
        out.push(ControlEdit {
            snapshot_id,
            previous_id,
            boxes: crate::types::boxes_of(&boxes)?,
            places_upto,
            changes: Vec::new(),
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.snapshot_id, c.place_id, c.status FROM control_place_change c \
         WHERE c.snapshot_id IN (SELECT id FROM control_snapshot WHERE mapper = ?1 AND (?2 IS NULL OR taken_at >= ?2)) \
         ORDER BY c.snapshot_id, c.place_id",
    )?;
    let rows = stmt.query_map(params![mapper.as_str(), from], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    let mut changes: Vec<(i64, PlaceChange)> = Vec::new();
    for row in rows {
        let (snapshot_id, place_id, status) = row?;
        let status = crate::error::change_status(status.as_deref())?;
        changes.push((snapshot_id, PlaceChange { place_id, status }));
    }
    crate::types::attach_changes(&mut out, changes);
    Ok(out)
}

pub(crate) fn place_edits(conn: &Connection, mapper: &Mapper, place_id: i64) -> Result<Vec<PlaceEdit>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.snapshot_id, e.previous_id, e.places_upto, c.snapshot_id IS NOT NULL, c.status \
         FROM control_edit e \
         LEFT JOIN control_place_change c ON c.place_id = ?2 AND c.snapshot_id = e.snapshot_id \
         WHERE e.snapshot_id IN (SELECT id FROM control_snapshot WHERE mapper = ?1) \
         ORDER BY e.snapshot_id",
    )?;
    let rows = stmt.query_map(params![mapper.as_str(), place_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (snapshot_id, previous_id, places_upto, changed, status) = row?;
        let change = if changed {
            Some(PlaceChange {
                place_id,
                status: crate::error::change_status(status.as_deref())?,
            })
        } else {
            None
        };
        out.push(PlaceEdit {
            snapshot_id,
            previous_id,
            places_upto,
            change,
        });
    }
    Ok(out)
}

/// Outlines: of one code (the de jure one before the de facto one, the
/// latest import of each), or, without a code, the latest of every code
/// and level.
/// The outline of each code and level in force (the newest import; with a
/// knowledge day, the newest imported by then, else the first import),
/// with its source.
const IN_FORCE: &str = "b.source_id = COALESCE(\
    (SELECT MAX(p.source_id) FROM boundary p JOIN source s ON s.id = p.source_id \
     WHERE p.code = b.code AND p.level = b.level AND (?3 IS NULL OR substr(s.imported_at, 1, 10) <= ?3)), \
    (SELECT MIN(q.source_id) FROM boundary q WHERE q.code = b.code AND q.level = b.level))";

pub(crate) fn boundaries(
    conn: &Connection,
    code: Option<&str>,
    level: Option<BoundaryLevel>,
    known_by: Option<chrono::NaiveDate>,
) -> Result<Vec<(Boundary, i64)>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.code, b.name, b.geometry, b.level, b.name_uk, b.name_ru, b.source_id FROM boundary b \
         WHERE (?1 IS NULL OR b.code = upper(?1)) AND (?2 IS NULL OR b.level = ?2) AND {IN_FORCE} \
         ORDER BY b.code, b.level = 'de-jure' DESC, b.level"
    ))?;
    let rows = stmt.query_map(
        params![code, level.map(BoundaryLevel::as_str), known_by.map(|d| d.to_string())],
        |r| <(String, String, Vec<u8>, String, Option<String>, Option<String>, i64)>::try_from(r),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (code, name, g, level, name_uk, name_ru, source) = row?;
        out.push((
            Boundary {
                code,
                name,
                name_uk,
                name_ru,
                level: BoundaryLevel::parse(&level).ok_or(StoreError::Corrupt {
                    table: "boundary",
                    column: "level",
                    value: level.clone(),
                })?,
                geometry: decode_mp(&g)?,
            },
            source,
        ));
    }
    Ok(out)
}

/// The source of the outline [`boundaries`] would give first for `code`,
/// without its geometry.
pub(crate) fn boundary_source(
    conn: &Connection,
    code: &str,
    known_by: Option<chrono::NaiveDate>,
) -> Result<Option<i64>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.source_id FROM boundary b WHERE b.code = upper(?1) AND (?2 IS NULL OR 1) AND {IN_FORCE} \
         ORDER BY b.level = 'de-jure' DESC, b.level LIMIT 1"
    ))?;
    let mut rows = stmt.query(params![code, Option::<String>::None, known_by.map(|d| d.to_string())])?;
    Ok(match rows.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

/// Every places import with its coverage (unknown when it has none).
pub(crate) fn gazetteers(conn: &Connection) -> Result<Vec<Gazetteer>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.location, s.sha256, s.imported_at, s.records, g.coverage FROM source s \
         LEFT JOIN gazetteer g ON g.source_id = s.id WHERE s.kind = 'places' ORDER BY s.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (location, sha256, at, records, coverage) = row?;
        out.push(Gazetteer {
            location,
            sha256,
            imported_at: super::time(&at, "source", "imported_at")?,
            places: records.max(0) as u64,
            coverage: crate::types::coverage_or_unknown(coverage.as_deref())?,
        });
    }
    Ok(out)
}

pub(crate) fn places(conn: &Connection, f: &PlaceFilter) -> Result<Vec<Place>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, lat, lon, population, admin1, country, id, name_uk, name_ru FROM place \
         WHERE (?1 IS NULL OR name = ?1 COLLATE NOCASE) \
         AND (?2 IS NULL OR country IS NULL OR upper(country) = upper(?2)) \
         AND COALESCE(population, 0) >= ?3 AND (?4 IS NULL OR id = ?4) \
         AND (?5 IS NULL OR source_id = COALESCE( \
           (SELECT MAX(s.id) FROM source s WHERE s.id = place.source_id AND substr(s.imported_at, 1, 10) <= ?5), \
           (SELECT MIN(q.source_id) FROM place q \
            WHERE NOT EXISTS (SELECT 1 FROM place r JOIN source u ON u.id = r.source_id \
              WHERE substr(u.imported_at, 1, 10) <= ?5)))) ORDER BY id",
    )?;
    let min = i64::try_from(f.min_population).unwrap_or(i64::MAX);
    let known = f.known_by.map(|d| d.to_string());
    let rows = stmt.query_map(params![f.name, f.country_or_unknown, min, f.id, known], |r| {
        Ok(Place {
            id: Some(r.get(6)?),
            name: r.get(0)?,
            name_uk: r.get(7)?,
            name_ru: r.get(8)?,
            lat: r.get(1)?,
            lon: r.get(2)?,
            population: r.get::<_, Option<i64>>(3)?.map(|v| v.max(0) as u64),
            admin1: r.get(4)?,
            country: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn layer_features(conn: &Connection, name: &str) -> Result<Vec<LayerFeature>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.name, f.geometry FROM layer_feature f WHERE f.layer = ?1 \
         AND f.source_id = (SELECT MAX(source_id) FROM layer_feature WHERE layer = f.layer) ORDER BY f.feature",
    )?;
    let rows = stmt.query_map([name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (name, g) = row?;
        out.push(LayerFeature {
            name,
            geometry: decode(&g)?,
        });
    }
    Ok(out)
}
