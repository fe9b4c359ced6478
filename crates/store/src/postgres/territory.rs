//! Control snapshots, outlines, places and reference layers in PostGIS
//! columns. Geometry goes in and out as WKB, so what is read back is
//! bit-for-bit what was stored (areas are computed by the analysis layer from
//! these coordinates, identically on both backends).

use super::Query;
use super::{find_source, finish_source, insert_source};
use crate::wkb_codec::{decode, decode_mp, encode, encode_mp};
use crate::{
    AreaFilter, ControlEdit, ControlImport, ImportReport, LayerLabels, PlaceChange, PlaceEdit, PlaceFilter,
    SnapshotInfo, StoreError, StoredLayer, StoredSnapshot,
};
use frontline_model::{
    Boundary, BoundaryLevel, ControlStatus, Gazetteer, GazetteerCoverage, LayerFeature, Mapper, Place, SourceMeta,
};
use postgres::{GenericClient, Transaction};

/// A control-map import: one transaction over every snapshot added.
pub(crate) struct PgControlImport<'a> {
    pub(crate) tx: Transaction<'a>,
    /// Audit mark and context of this write.
    pub(crate) mark: i64,
    pub(crate) audit: crate::AuditContext,
}

impl ControlImport for PgControlImport<'_> {
    fn has_source(&mut self, sha256: &str) -> Result<bool, StoreError> {
        Ok(find_source(&mut self.tx, sha256)?.is_some())
    }

    fn add(&mut self, meta: &SourceMeta, s: &StoredSnapshot) -> Result<ImportReport, StoreError> {
        let c = &mut self.tx;
        if let Some(id) = find_source(c, &meta.sha256)? {
            return Ok(ImportReport::already(meta, id));
        }
        let records = s.layers.len() + s.annotations.len();
        let source_id = insert_source(c, meta, records)?;
        // The newest import of a (mapper, time) is the current one.
        c.execute(
            "UPDATE control_snapshot SET current = false WHERE mapper = $1 AND taken_at = $2 AND current",
            &[&s.mapper.as_str(), &s.taken_at],
        )?;
        let snapshot_id: i64 = c
            .query_one(
                "INSERT INTO control_snapshot (mapper, taken_at, source_id, annotations, unmapped, repaired, rejected, \
                 outside_region, current) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true) RETURNING id",
                &[
                    &s.mapper.as_str(),
                    &s.taken_at,
                    &source_id,
                    &(s.annotations.len() as i64),
                    &(s.unmapped as i64),
                    &(s.repaired as i64),
                    &(s.rejected as i64),
                    &(s.outside_region as i64),
                ],
            )?
            .get(0);
        let layer = c.prepare(
            "INSERT INTO control_layer (snapshot_id, status, features, labels, area_km2, geom) \
             VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_GeomFromWKB($6, 4326)))",
        )?;
        for l in &s.layers {
            c.execute(
                &layer,
                &[
                    &snapshot_id,
                    &l.status.as_str(),
                    &(l.features as i64),
                    &l.labels.join("\n"),
                    &l.area_km2,
                    &encode_mp(&l.geometry)?,
                ],
            )?;
        }
        // Points in one statement: a snapshot has hundreds of them.
        let feature: Vec<i64> = s.annotations.iter().map(|a| a.feature as i64).collect();
        let label: Vec<&str> = s.annotations.iter().map(|a| a.label.as_str()).collect();
        let x: Vec<f64> = s.annotations.iter().map(|a| a.point.x()).collect();
        let y: Vec<f64> = s.annotations.iter().map(|a| a.point.y()).collect();
        c.execute(
            "INSERT INTO control_annotation (snapshot_id, feature, label, geom) \
             SELECT $1, f, l, ST_SetSRID(ST_MakePoint(x, y), 4326) \
             FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::float8[]) AS t(f, l, x, y)",
            &[&snapshot_id, &feature, &label, &x, &y],
        )?;
        finish_source(c, source_id, records)?;
        Ok(ImportReport::imported(meta, source_id, records, records))
    }

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        // Not the annotations: they are read by snapshot id only, and
        // sampling their points costs 110 ms.
        super::analyze(&mut self.tx, &["source", "control_snapshot", "control_layer"])?;
        super::audit::record(&mut self.tx, &self.audit, "import control", self.mark, 0, 0)?;
        self.tx.commit()?;
        Ok(())
    }
}

/// Imports one file's records under a new source, unless its bytes were
/// imported before; `store` writes the rows and returns how many it added.
fn import_file<C: GenericClient>(
    c: &mut C,
    meta: &SourceMeta,
    records: usize,
    store: impl FnOnce(&mut C, i64) -> Result<usize, StoreError>,
) -> Result<ImportReport, StoreError> {
    if let Some(id) = find_source(c, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let source_id = insert_source(c, meta, records)?;
    let added = store(c, source_id)?;
    finish_source(c, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, records, added))
}

pub(crate) fn import_boundaries(
    c: &mut impl GenericClient,
    meta: &SourceMeta,
    items: &[Boundary],
) -> Result<ImportReport, StoreError> {
    import_file(c, meta, items.len(), |c, source_id| {
        for b in items {
            c.execute(
                "INSERT INTO boundary (code, name, geom, source_id, level, name_uk, name_ru) \
                 VALUES ($1, $2, ST_Multi(ST_GeomFromWKB($3, 4326)), $4, $5, $6, $7)",
                &[
                    &b.code,
                    &b.name,
                    &encode_mp(&b.geometry)?,
                    &source_id,
                    &b.level.as_str(),
                    &b.name_uk,
                    &b.name_ru,
                ],
            )?;
            // Areas clipped to the old outline of this code are now wrong.
            c.execute(
                "DELETE FROM control_area_within WHERE within = upper($1) OR within LIKE upper($1) || ':%' \
                 OR within LIKE upper($1) || '+%'",
                &[&b.code],
            )?;
        }
        Ok(items.len())
    })
}

pub(crate) fn import_places(
    c: &mut impl GenericClient,
    meta: &SourceMeta,
    coverage: &GazetteerCoverage,
    items: &[Place],
) -> Result<ImportReport, StoreError> {
    import_file(c, meta, items.len(), |c, source_id| {
        c.execute(
            "INSERT INTO gazetteer (source_id, coverage) VALUES ($1, $2)",
            &[&source_id, &crate::types::coverage_json(coverage)],
        )?;
        // One statement per batch; ORDER BY ord keeps the file's order in
        // the ids, which is the order places are read back in.
        let mut added = 0;
        for chunk in items.chunks(5000) {
            let name: Vec<&str> = chunk.iter().map(|p| p.name.as_str()).collect();
            let lat: Vec<f64> = chunk.iter().map(|p| p.lat).collect();
            let lon: Vec<f64> = chunk.iter().map(|p| p.lon).collect();
            let population: Vec<Option<i64>> = chunk
                .iter()
                .map(|p| p.population.map(|v| i64::try_from(v).unwrap_or(i64::MAX)))
                .collect();
            let admin1: Vec<Option<&str>> = chunk.iter().map(|p| p.admin1.as_deref()).collect();
            let country: Vec<Option<&str>> = chunk.iter().map(|p| p.country.as_deref()).collect();
            let uk: Vec<Option<&str>> = chunk.iter().map(|p| p.name_uk.as_deref()).collect();
            let ru: Vec<Option<&str>> = chunk.iter().map(|p| p.name_ru.as_deref()).collect();
            added += c.execute(
                "INSERT INTO place (name, lat, lon, population, admin1, country, source_id, name_uk, name_ru) \
                 SELECT n, la, lo, po, a, co, $7, uk, ru FROM unnest($1::text[], $2::float8[], $3::float8[], \
                 $4::bigint[], $5::text[], $6::text[], $8::text[], $9::text[]) \
                 WITH ORDINALITY AS t(n, la, lo, po, a, co, uk, ru, ord) ORDER BY ord \
                 ON CONFLICT (name, lat, lon) DO UPDATE SET \
                 name_uk = COALESCE(excluded.name_uk, place.name_uk), name_ru = COALESCE(excluded.name_ru, place.name_ru) \
                 WHERE (excluded.name_uk IS NOT NULL AND excluded.name_uk IS DISTINCT FROM place.name_uk) \
                 OR (excluded.name_ru IS NOT NULL AND excluded.name_ru IS DISTINCT FROM place.name_ru)",
                &[&name, &lat, &lon, &population, &admin1, &country, &source_id, &uk, &ru],
            )? as usize;
        }
        Ok(added)
    })
}

pub(crate) fn import_layer(
    c: &mut impl GenericClient,
    meta: &SourceMeta,
    layer: &str,
    items: &[LayerFeature],
) -> Result<ImportReport, StoreError> {
    import_file(c, meta, items.len(), |c, source_id| {
        for (i, f) in items.iter().enumerate() {
            c.execute(
                "INSERT INTO layer_feature (layer, feature, name, geom, source_id) \
                 VALUES ($1, $2, $3, ST_GeomFromWKB($4, 4326), $5)",
                &[&layer, &((i + 1) as i64), &f.name, &encode(&f.geometry)?, &source_id],
            )?;
        }
        Ok(items.len())
    })
}

/// The current snapshot of each (mapper, time), the newest import, is
/// flagged when stored (a correlated `MAX` per row cost a lookup each).
const CURRENT: &str = "s.current";

pub(crate) fn snapshots(c: &mut impl Query, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError> {
    let sql = format!(
        "SELECT s.id, s.mapper, s.taken_at, NULL::float8 FROM control_snapshot s \
         WHERE ($1::text IS NULL OR s.mapper = $1) AND {CURRENT} ORDER BY s.taken_at, s.mapper COLLATE \"C\""
    );
    let rows = c.q(&sql, &[&mapper.map(Mapper::as_str)])?;
    Ok(snapshot_rows(&rows).into_iter().map(|(s, _)| s).collect())
}

/// The current snapshot of a (mapper, time) as known at the end of the
/// day bound as `${n}`: published by then, and the newest import known by
/// then (the first from the day of publication, a re-import from its
/// import day). Sessions run in UTC.
fn known_by(n: usize) -> String {
    format!(
        "s.taken_at::date <= ${n} AND s.source_id = (SELECT MAX(p.source_id) FROM control_snapshot p \
         JOIN source src ON src.id = p.source_id WHERE p.mapper = s.mapper AND p.taken_at = s.taken_at \
         AND (src.imported_at::date <= ${n} OR p.source_id = (SELECT MIN(q.source_id) \
         FROM control_snapshot q WHERE q.mapper = s.mapper AND q.taken_at = s.taken_at)))"
    )
}

/// Current snapshots (or as known by a day) with the area of one status:
/// the layer's own, or the remembered area clipped to `within`. One
/// statement, so the timeline and its areas cost one round trip.
pub(crate) fn snapshot_areas(
    c: &mut impl Query,
    filter: AreaFilter<'_>,
) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
    let (mapper, status, within, known) = (filter.mapper, filter.status, filter.within, filter.known_by);
    let mapper = mapper.map(Mapper::as_str);
    let code = within.map(str::to_uppercase);
    let status = status.as_str();
    let mut args: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&mapper, &status];
    let area = match &code {
        None => "LEFT JOIN control_layer a ON a.snapshot_id = s.id AND a.status = $2",
        Some(code) => {
            args.push(code);
            "LEFT JOIN control_area_within a ON a.snapshot_id = s.id AND a.status = $2 AND a.within = $3"
        }
    };
    let current = match &known {
        None => CURRENT.to_string(),
        Some(day) => {
            args.push(day);
            known_by(args.len())
        }
    };
    let since = filter.from;
    let from = match &since {
        None => String::new(),
        Some(day) => {
            args.push(day);
            format!(
                " AND s.taken_at >= (${}::date)::timestamp AT TIME ZONE 'UTC'",
                args.len()
            )
        }
    };
    let sql = format!(
        "SELECT s.id, s.mapper, s.taken_at, a.area_km2 FROM control_snapshot s {area} \
         WHERE ($1::text IS NULL OR s.mapper = $1){from} AND {current} ORDER BY s.taken_at, s.mapper COLLATE \"C\""
    );
    Ok(snapshot_rows(&c.q(&sql, &args)?))
}

fn snapshot_rows(rows: &[postgres::Row]) -> Vec<(SnapshotInfo, Option<f64>)> {
    rows.iter()
        .map(|r| {
            let snapshot = SnapshotInfo {
                id: r.get(0),
                mapper: Mapper::new(r.get(1)),
                taken_at: r.get(2),
            };
            (snapshot, r.get(3))
        })
        .collect()
}

pub(crate) fn labels(
    c: &mut impl Query,
    snapshot_ids: &[i64],
    status: Option<ControlStatus>,
) -> Result<Vec<LayerLabels>, StoreError> {
    // One round trip; the order of the ids asked kept by their position.
    let rows = c.q(
        "SELECT l.snapshot_id, l.status, l.labels, src.location FROM control_layer l \
         JOIN control_snapshot s ON s.id = l.snapshot_id JOIN source src ON src.id = s.source_id \
         JOIN unnest($1::bigint[]) WITH ORDINALITY AS ask(id, n) ON ask.id = l.snapshot_id \
         WHERE ($2::text IS NULL OR l.status = $2) ORDER BY ask.n, l.status COLLATE \"C\"",
        &[&snapshot_ids, &status.map(ControlStatus::as_str)],
    )?;
    rows.iter()
        .map(|r| {
            let status: String = r.get(1);
            let labels: String = r.get(2);
            Ok(LayerLabels {
                snapshot_id: r.get(0),
                source: r.get(3),
                status: crate::error::layer_status(&status)?,
                labels: labels.lines().map(str::to_string).collect(),
            })
        })
        .collect()
}

pub(crate) fn layers(
    c: &mut impl Query,
    snapshot_id: i64,
    statuses: &[ControlStatus],
) -> Result<Vec<StoredLayer>, StoreError> {
    let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
    let rows = c.q(
        "SELECT status, features, labels, area_km2, wkb FROM control_layer WHERE snapshot_id = $1 AND status = ANY($2)",
        &[&snapshot_id, &names],
    )?;
    let mut out = rows
        .iter()
        .map(|r| {
            let status: String = r.get(0);
            let labels: String = r.get(2);
            Ok(StoredLayer {
                status: crate::error::layer_status(&status)?,
                geometry: decode_mp(r.get(4))?,
                area_km2: r.get(3),
                features: r.get::<_, i64>(1) as usize,
                labels: labels.lines().map(str::to_string).collect(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    out.sort_by_key(|l| statuses.iter().position(|s| *s == l.status));
    Ok(out)
}

pub(crate) fn put_within_areas(
    c: &mut impl GenericClient,
    status: ControlStatus,
    within: &str,
    areas: &[(i64, f64)],
) -> Result<(), StoreError> {
    let stmt = c.prepare(
        "INSERT INTO control_area_within (snapshot_id, status, within, area_km2) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (snapshot_id, status, within) DO UPDATE SET area_km2 = excluded.area_km2",
    )?;
    let within = within.to_uppercase();
    for (id, a) in areas {
        c.execute(&stmt, &[id, &status.as_str(), &within, a])?;
    }
    Ok(())
}

pub(crate) fn put_control_edits(c: &mut impl GenericClient, edits: &[ControlEdit]) -> Result<(), StoreError> {
    let edit = c.prepare(
        "INSERT INTO control_edit (snapshot_id, previous_id, boxes, places_upto) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (snapshot_id) DO UPDATE SET previous_id = excluded.previous_id, boxes = excluded.boxes, \
         places_upto = excluded.places_upto",
    )?;
    let forget = c.prepare("DELETE FROM control_place_change WHERE snapshot_id = $1")?;
    let change = c.prepare("INSERT INTO control_place_change (place_id, snapshot_id, status) VALUES ($1, $2, $3)")?;
    for e in edits {
        c.execute(
            &edit,
            &[
                &e.snapshot_id,
                &e.previous_id,
                &crate::types::boxes_bytes(&e.boxes),
                &e.places_upto,
            ],
        )?;
        c.execute(&forget, &[&e.snapshot_id])?;
        for ch in &e.changes {
            c.execute(&change, &[&ch.place_id, &e.snapshot_id, &ch.status.map(|s| s.as_str())])?;
        }
    }
    Ok(())
}

/// The snapshots of a mapper (taken on or after $2 when given), as SQL.
const OF_MAPPER: &str = "SELECT id FROM control_snapshot WHERE mapper = $1 \
    AND ($2::date IS NULL OR taken_at >= ($2::date)::timestamp AT TIME ZONE 'UTC')";

pub(crate) fn control_edits(
    c: &mut impl Query,
    mapper: &Mapper,
    from: Option<chrono::NaiveDate>,
) -> Result<Vec<ControlEdit>, StoreError> {
    let rows = c.q(
        &format!(
            "SELECT e.snapshot_id, e.previous_id, e.boxes, e.places_upto FROM control_edit e \
             WHERE e.snapshot_id IN ({OF_MAPPER}) ORDER BY e.snapshot_id"
        ),
        &[&mapper.as_str(), &from],
    )?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(ControlEdit {
                snapshot_id: r.get(0),
                previous_id: r.get(1),
                boxes: crate::types::boxes_of(r.get::<_, &[u8]>(2))?,
                places_upto: r.get(3),
                changes: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let rows = c.q(
        &format!(
            "SELECT c.snapshot_id, c.place_id, c.status FROM control_place_change c \
             WHERE c.snapshot_id IN ({OF_MAPPER}) ORDER BY c.snapshot_id, c.place_id"
        ),
        &[&mapper.as_str(), &from],
    )?;
    let changes = rows
        .iter()
        .map(|r| {
            Ok((
                r.get::<_, i64>(0),
                PlaceChange {
                    place_id: r.get(1),
                    status: crate::error::change_status(r.get::<_, Option<&str>>(2))?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    crate::types::attach_changes(&mut out, changes);
    Ok(out)
}

pub(crate) fn place_edits(c: &mut impl Query, mapper: &Mapper, place_id: i64) -> Result<Vec<PlaceEdit>, StoreError> {
    let rows = c.q(
        "SELECT e.snapshot_id, e.previous_id, e.places_upto, c.snapshot_id IS NOT NULL, c.status \
         FROM control_edit e \
         LEFT JOIN control_place_change c ON c.place_id = $2 AND c.snapshot_id = e.snapshot_id \
         WHERE e.snapshot_id IN (SELECT id FROM control_snapshot WHERE mapper = $1) \
         ORDER BY e.snapshot_id",
        &[&mapper.as_str(), &place_id],
    )?;
    rows.iter()
        .map(|r| {
            let change = if r.get::<_, bool>(3) {
                Some(PlaceChange {
                    place_id,
                    status: crate::error::change_status(r.get::<_, Option<&str>>(4))?,
                })
            } else {
                None
            };
            Ok(PlaceEdit {
                snapshot_id: r.get(0),
                previous_id: r.get(1),
                places_upto: r.get(2),
                change,
            })
        })
        .collect()
}

/// The outline in force, as SQLite's.
const IN_FORCE: &str = "b.source_id = COALESCE(\
    (SELECT MAX(p.source_id) FROM boundary p JOIN source s ON s.id = p.source_id \
     WHERE p.code = b.code AND p.level = b.level AND ($3::date IS NULL OR s.imported_at::date <= $3::date)), \
    (SELECT MIN(q.source_id) FROM boundary q WHERE q.code = b.code AND q.level = b.level))";

/// Outlines, as SQLite's `boundaries`.
pub(crate) fn boundaries(
    c: &mut impl Query,
    code: Option<&str>,
    level: Option<BoundaryLevel>,
    known_by: Option<chrono::NaiveDate>,
) -> Result<Vec<(Boundary, i64)>, StoreError> {
    let rows = c.q(
        &format!(
            "SELECT b.code, b.name, ST_AsBinary(b.geom), b.level, b.name_uk, b.name_ru, b.source_id FROM boundary b \
             WHERE ($1::text IS NULL OR b.code = upper($1)) AND ($2::text IS NULL OR b.level = $2) AND {IN_FORCE} \
             ORDER BY b.code COLLATE \"C\", b.level = 'de-jure' DESC, b.level COLLATE \"C\""
        ),
        &[&code, &level.map(BoundaryLevel::as_str), &known_by],
    )?;
    rows.iter()
        .map(|r| {
            let level: String = r.get(3);
            Ok((
                Boundary {
                    code: r.get(0),
                    name: r.get(1),
                    name_uk: r.get(4),
                    name_ru: r.get(5),
                    level: BoundaryLevel::parse(&level).ok_or(StoreError::Corrupt {
                        table: "boundary",
                        column: "level",
                        value: level.clone(),
                    })?,
                    geometry: decode_mp(r.get(2))?,
                },
                r.get(6),
            ))
        })
        .collect()
}

/// The source of the outline `boundaries` would give first for `code`.
pub(crate) fn boundary_source(
    c: &mut impl Query,
    code: &str,
    known_by: Option<chrono::NaiveDate>,
) -> Result<Option<i64>, StoreError> {
    let rows = c.q(
        &format!(
            "SELECT b.source_id FROM boundary b WHERE b.code = upper($1) AND ($2::text IS NULL OR true) AND {IN_FORCE} \
             ORDER BY b.level = 'de-jure' DESC, b.level COLLATE \"C\" LIMIT 1"
        ),
        &[&code, &Option::<String>::None, &known_by],
    )?;
    Ok(rows.first().map(|r| r.get(0)))
}

/// Every places import with its coverage (unknown when it has none).
pub(crate) fn gazetteers(c: &mut impl Query) -> Result<Vec<Gazetteer>, StoreError> {
    let rows = c.q(
        "SELECT s.location, s.sha256, s.imported_at, s.records, g.coverage FROM source s \
         LEFT JOIN gazetteer g ON g.source_id = s.id WHERE s.kind = 'places' ORDER BY s.id",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(Gazetteer {
                location: r.get(0),
                sha256: r.get(1),
                imported_at: r.get(2),
                places: r.get::<_, i64>(3).max(0) as u64,
                coverage: crate::types::coverage_or_unknown(r.get::<_, Option<String>>(4).as_deref())?,
            })
        })
        .collect()
}

pub(crate) fn places(c: &mut impl Query, f: &PlaceFilter) -> Result<Vec<Place>, StoreError> {
    let min = i64::try_from(f.min_population).unwrap_or(i64::MAX);
    let rows = c.q(
        "SELECT name, lat, lon, population, admin1, country, id, name_uk, name_ru FROM place \
         WHERE ($1::text IS NULL OR lower(name) = lower($1)) \
         AND ($2::text IS NULL OR country IS NULL OR upper(country) = upper($2)) \
         AND COALESCE(population, 0) >= $3 AND ($4::bigint IS NULL OR id = $4) \
         AND ($5::date IS NULL OR source_id = COALESCE( \
           (SELECT MAX(s.id) FROM source s WHERE s.id = place.source_id AND s.imported_at::date <= $5::date), \
           (SELECT MIN(q.source_id) FROM place q \
            WHERE NOT EXISTS (SELECT 1 FROM place r JOIN source u ON u.id = r.source_id \
              WHERE u.imported_at::date <= $5::date)))) ORDER BY id",
        &[&f.name, &f.country_or_unknown, &min, &f.id, &f.known_by],
    )?;
    Ok(rows
        .iter()
        .map(|r| Place {
            id: Some(r.get(6)),
            name: r.get(0),
            name_uk: r.get(7),
            name_ru: r.get(8),
            lat: r.get(1),
            lon: r.get(2),
            population: r.get::<_, Option<i64>>(3).map(|v| v.max(0) as u64),
            admin1: r.get(4),
            country: r.get(5),
        })
        .collect())
}

pub(crate) fn layer_features(c: &mut impl Query, name: &str) -> Result<Vec<LayerFeature>, StoreError> {
    let rows = c.q(
        "SELECT f.name, ST_AsBinary(f.geom) FROM layer_feature f WHERE f.layer = $1 \
         AND f.source_id = (SELECT MAX(source_id) FROM layer_feature WHERE layer = f.layer) ORDER BY f.feature",
        &[&name],
    )?;
    rows.iter()
        .map(|r| {
            Ok(LayerFeature {
                name: r.get(0),
                geometry: decode(r.get(1))?,
            })
        })
        .collect()
}
