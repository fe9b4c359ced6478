//! Loss evidence: items, their append-only versions, tombstones. What an
//! import writes is decided in `plan.rs`, for both backends.
//!
//! Round trips dominate on a server, so an import reads every current
//! version in one query and writes new rows in batches through `unnest`.

use super::Query;
use super::{find_source, finish_source, insert_source};
use crate::plan::{self, KnownItem};
use crate::{EvidenceFilter, EvidenceImport, EvidenceReport, EvidenceVersion, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, Location, LossStatus};
use postgres::types::ToSql;
use postgres::{GenericClient, Row};
use std::collections::{HashMap, HashSet};

const COLUMNS: &str = "v.item_id, v.side, v.category, v.model, v.status, v.count, v.event_date, v.published_date, \
                       v.recorded_at, v.lat, v.lon, v.precision_m, v.proof_urls";

/// Rows written per `INSERT … SELECT FROM unnest(…)`.
const BATCH: usize = 2000;

fn build(r: &Row) -> Result<EvidenceItem, StoreError> {
    let id: String = r.get(0);
    let (source, key) = id.split_once(':').unwrap_or(("", &id));
    let status: String = r.get(4);
    let status = LossStatus::parse(&status).ok_or(StoreError::Corrupt {
        table: "evidence_version",
        column: "status",
        value: status.clone(),
    })?;
    let count: i64 = r.get(5);
    let urls: String = r.get(12);
    Ok(EvidenceItem {
        source: source.to_string(),
        key: key.to_string(),
        side: r.get(1),
        category: r.get(2),
        model: r.get(3),
        status,
        count: u32::try_from(count).map_err(|_| StoreError::Corrupt {
            table: "evidence_version",
            column: "count",
            value: count.to_string(),
        })?,
        dates: EvidenceDates::new(r.get(6), r.get(7), r.get(8)),
        location: match (r.get::<_, Option<f64>>(9), r.get::<_, Option<f64>>(10)) {
            (Some(lat), Some(lon)) => Some(Location {
                lat,
                lon,
                precision_m: r.get(11),
            }),
            _ => None,
        },
        proof_urls: urls.split_whitespace().map(str::to_string).collect(),
    })
}

/// New rows of one import, column by column, for `unnest`.
#[derive(Default)]
struct Pending {
    new_items: (Vec<String>, Vec<String>, Vec<String>),
    updated: (Vec<String>, Vec<i32>, Vec<String>),
    versions: Versions,
}

#[derive(Default)]
struct Versions {
    id: Vec<String>,
    version: Vec<i32>,
    source_id: Vec<i64>,
    side: Vec<String>,
    category: Vec<String>,
    model: Vec<String>,
    status: Vec<String>,
    count: Vec<i64>,
    event: Vec<Option<NaiveDate>>,
    published: Vec<Option<NaiveDate>>,
    recorded: Vec<DateTime<Utc>>,
    lat: Vec<Option<f64>>,
    lon: Vec<Option<f64>>,
    precision: Vec<Option<f64>>,
    urls: Vec<String>,
}

impl Versions {
    fn push(&mut self, id: &str, version: u32, source_id: i64, i: &EvidenceItem) {
        self.id.push(id.to_string());
        self.version.push(version as i32);
        self.source_id.push(source_id);
        self.side.push(i.side.clone());
        self.category.push(i.category.clone());
        self.model.push(i.model.clone());
        self.status.push(i.status.as_str().to_string());
        self.count.push(i64::from(i.count));
        self.event.push(i.dates.event);
        self.published.push(i.dates.published);
        self.recorded.push(i.dates.recorded);
        self.lat.push(i.location.map(|l| l.lat));
        self.lon.push(i.location.map(|l| l.lon));
        self.precision.push(i.location.and_then(|l| l.precision_m));
        self.urls.push(i.proof_urls.join(" "));
    }
}

/// Runs an evidence import: reads what is stored, lets [`plan::evidence`]
/// decide, writes what it says in batches.
pub(crate) fn import(c: &mut impl GenericClient, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
    let mut imported = HashSet::new();
    for f in files {
        if find_source(c, &f.meta.sha256)?.is_some() {
            imported.insert(f.meta.sha256.clone());
        }
    }
    // Every stored item with its current version, read in one query.
    let sql = format!(
        "SELECT {COLUMNS}, i.current_version, i.tombstoned_source_id IS NOT NULL FROM evidence_item i \
         JOIN evidence_version v ON v.item_id = i.id AND v.version = i.current_version"
    );
    let mut known = HashMap::new();
    for r in c.query(&sql, &[])? {
        let v: i32 = r.get(13);
        let item = KnownItem {
            version: v as u32,
            tombstoned: r.get(14),
            current: build(&r)?,
        };
        known.insert(r.get(0), item);
    }
    let plan = plan::evidence(files, &imported, known);
    let mut pending = Pending::default();
    let mut last_source = None;
    for f in &plan.files {
        let source_id = insert_source(c, &f.file.meta, f.file.items.len())?;
        last_source = Some(source_id);
        for w in &f.writes {
            let status = w.item.status.as_str().to_string();
            if w.first {
                pending.new_items.0.push(w.id.clone());
                pending.new_items.1.push(w.item.source.clone());
                pending.new_items.2.push(status);
            } else {
                pending.updated.0.push(w.id.clone());
                pending.updated.1.push(w.version as i32);
                pending.updated.2.push(status);
            }
            pending.versions.push(&w.id, w.version, source_id, w.item);
        }
        finish_source(c, source_id, f.writes.len())?;
    }
    write(c, &pending)?;
    if let Some(source_id) = last_source {
        for start in (0..plan.tombstone.len()).step_by(BATCH) {
            let ids = &plan.tombstone[start..(start + BATCH).min(plan.tombstone.len())];
            c.execute(
                "UPDATE evidence_item SET tombstoned_source_id = $2 WHERE id = ANY($1)",
                &[&ids, &source_id],
            )?;
            c.execute(
                "INSERT INTO evidence_tombstone (item_id, source_id) SELECT unnest($1::text[]), $2",
                &[&ids, &source_id],
            )?;
        }
    }
    Ok(plan.report)
}

/// Writes the pending rows in batches. An item updated twice in one import
/// (two files) gets its last version as current.
fn write(c: &mut impl GenericClient, p: &Pending) -> Result<(), StoreError> {
    let (ids, sources, statuses) = &p.new_items;
    for start in (0..ids.len()).step_by(BATCH) {
        let end = (start + BATCH).min(ids.len());
        c.execute(
            "INSERT INTO evidence_item (id, source, status, current_version) \
             SELECT id, source, status, 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, source, status)",
            &[&&ids[start..end], &&sources[start..end], &&statuses[start..end]],
        )?;
    }
    let v = &p.versions;
    for start in (0..v.id.len()).step_by(BATCH) {
        let r = start..(start + BATCH).min(v.id.len());
        let params: [&(dyn ToSql + Sync); 15] = [
            &&v.id[r.clone()],
            &&v.version[r.clone()],
            &&v.source_id[r.clone()],
            &&v.side[r.clone()],
            &&v.category[r.clone()],
            &&v.model[r.clone()],
            &&v.status[r.clone()],
            &&v.count[r.clone()],
            &&v.event[r.clone()],
            &&v.published[r.clone()],
            &&v.recorded[r.clone()],
            &&v.lat[r.clone()],
            &&v.lon[r.clone()],
            &&v.precision[r.clone()],
            &&v.urls[r.clone()],
        ];
        c.execute(
            "INSERT INTO evidence_version (item_id, version, source_id, side, category, model, status, count, \
             event_date, published_date, recorded_at, lat, lon, precision_m, proof_urls) \
             SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::bigint[], $9::date[], $10::date[], $11::timestamptz[], $12::float8[], $13::float8[], \
             $14::float8[], $15::text[])",
            &params,
        )?;
    }
    let (ids, versions, statuses) = &p.updated;
    for start in (0..ids.len()).step_by(BATCH) {
        let end = (start + BATCH).min(ids.len());
        c.execute(
            "UPDATE evidence_item i SET current_version = GREATEST(i.current_version, u.v), status = u.status, \
             tombstoned_source_id = NULL \
             FROM (SELECT DISTINCT ON (id) id, v, status FROM unnest($1::text[], $2::int[], $3::text[]) \
                   AS t(id, v, status) ORDER BY id, v DESC) u WHERE i.id = u.id",
            &[&&ids[start..end], &&versions[start..end], &&statuses[start..end]],
        )?;
    }
    Ok(())
}

pub(crate) fn items(c: &mut impl Query, f: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut sql = match f.known_by {
        None => format!(
            "SELECT {COLUMNS} FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id \
             AND v.version = i.current_version WHERE i.tombstoned_source_id IS NULL"
        ),
        Some(day) => {
            // The rule is `EvidenceFilter::known_by`'s; sessions run in UTC.
            args.push(Box::new(day));
            format!(
                "SELECT {COLUMNS} FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id \
                 AND v.version = (SELECT MAX(w.version) FROM evidence_version w WHERE w.item_id = i.id \
                   AND CASE WHEN w.version = 1 THEN COALESCE(w.published_date, w.recorded_at::date) \
                       ELSE w.recorded_at::date END <= $1) \
                 WHERE NOT EXISTS (SELECT 1 FROM evidence_tombstone t JOIN source s ON s.id = t.source_id \
                   WHERE t.item_id = i.id AND t.source_id > v.source_id AND s.imported_at::date <= $1)"
            )
        }
    };
    // Appends a clause whose one `?` binds `v`.
    fn arg(sql: &mut String, args: &mut Vec<Box<dyn ToSql + Sync>>, clause: &str, v: Box<dyn ToSql + Sync>) {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    }
    if !f.sources.is_empty() {
        arg(
            &mut sql,
            &mut args,
            " AND i.source = ANY(?)",
            Box::new(f.sources.clone()),
        );
    }
    if let Some(side) = &f.side {
        arg(
            &mut sql,
            &mut args,
            " AND lower(v.side) = lower(?)",
            Box::new(side.clone()),
        );
    }
    if let Some(cat) = &f.category {
        arg(&mut sql, &mut args, " AND v.category = ?", Box::new(cat.clone()));
    }
    if let Some(st) = f.status {
        arg(
            &mut sql,
            &mut args,
            " AND v.status = ?",
            Box::new(st.as_str().to_string()),
        );
    }
    if let Some(d) = f.event_from {
        arg(&mut sql, &mut args, " AND v.event_date >= ?", Box::new(d));
    }
    if let Some(d) = f.event_to {
        arg(&mut sql, &mut args, " AND v.event_date <= ?", Box::new(d));
    }
    if f.located || f.bbox.is_some() {
        sql.push_str(" AND v.lat IS NOT NULL AND v.lon IS NOT NULL");
    }
    if let Some([w, s, e, n]) = f.bbox {
        // The GiST index on the generated point answers this.
        arg(&mut sql, &mut args, " AND v.geom && ST_MakeEnvelope(?", Box::new(w));
        arg(&mut sql, &mut args, ", ?", Box::new(s));
        arg(&mut sql, &mut args, ", ?", Box::new(e));
        arg(&mut sql, &mut args, ", ?, 4326)", Box::new(n));
    }
    sql.push_str(" ORDER BY i.id COLLATE \"C\"");
    if let Some(n) = f.limit {
        arg(
            &mut sql,
            &mut args,
            " LIMIT ?",
            Box::new(i64::try_from(n).unwrap_or(i64::MAX)),
        );
    }
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|b| b.as_ref()).collect();
    c.q(&sql, &refs)?.iter().map(build).collect()
}

pub(crate) fn history(c: &mut impl Query, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError> {
    let mut ids: Vec<String> = c
        .q("SELECT id FROM evidence_item WHERE id = $1", &[&id_or_url])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if ids.is_empty() {
        // SQLite's LIKE ignores ASCII case; ILIKE keeps the two backends alike.
        let like = format!("%{id_or_url}%");
        ids = c
            .q(
                "SELECT DISTINCT item_id COLLATE \"C\" FROM evidence_version WHERE proof_urls ILIKE $1 ORDER BY 1",
                &[&like],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
    }
    let sql = format!(
        "SELECT {COLUMNS}, v.version, s.location, i.tombstoned_source_id IS NOT NULL, COALESCE(s.bytes_sha256, s.sha256) \
         FROM evidence_version v JOIN source s ON s.id = v.source_id JOIN evidence_item i ON i.id = v.item_id \
         WHERE v.item_id = $1 ORDER BY v.version"
    );
    let mut out = Vec::new();
    for id in &ids {
        let rows = c.q(&sql, &[id])?;
        let last = rows.len();
        for (n, r) in rows.iter().enumerate() {
            let tomb: bool = r.get(15);
            out.push(EvidenceVersion {
                version: r.get::<_, i32>(13) as u32,
                source_location: r.get(14),
                source_sha256: r.get(16),
                item: build(r)?,
                tombstoned: n + 1 == last && tomb,
            });
        }
    }
    Ok(out)
}
