//! Loss evidence: items, their append-only versions, tombstones (same rules
//! as the SQLite backend; see `sqlite/evidence.rs`).
//!
//! Round trips dominate on a server, so an import reads every current
//! version in one query and writes new rows in batches through `unnest`.

use super::Query;
use super::{find_source, finish_source, insert_source};
use crate::types::same_content;
use crate::{Coverage, EvidenceFilter, EvidenceImport, EvidenceReport, EvidenceVersion, StoreError};
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
        dates: EvidenceDates {
            event: r.get(6),
            published: r.get(7),
            recorded: r.get(8),
        },
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

pub(crate) fn import(c: &mut impl GenericClient, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
    let mut report = EvidenceReport::default();
    let mut listed: HashSet<String> = HashSet::new();
    let mut scope: HashSet<(String, &'static str)> = HashSet::new();
    // Named gone by partial lists (a reconciliation), if not listed again.
    let mut named_gone: Vec<String> = Vec::new();
    let mut last_source = None;
    // Current version, tombstone and content of every stored item, read once.
    let mut known: HashMap<String, (u32, bool, Option<EvidenceItem>)> = HashMap::new();
    let sql = format!(
        "SELECT {COLUMNS}, i.current_version, i.tombstoned_source_id IS NOT NULL FROM evidence_item i \
         JOIN evidence_version v ON v.item_id = i.id AND v.version = i.current_version"
    );
    for r in c.query(&sql, &[])? {
        let v: i32 = r.get(13);
        known.insert(r.get(0), (v as u32, r.get(14), Some(build(&r)?)));
    }
    let mut pending = Pending::default();
    for f in files {
        if find_source(c, &f.meta.sha256)?.is_some() {
            report.already_imported += 1;
            continue;
        }
        let source_id = insert_source(c, &f.meta, f.items.len())?;
        last_source = Some(source_id);
        report.files += 1;
        let full = match &f.coverage {
            Coverage::Full => true,
            Coverage::Partial { gone } => {
                named_gone.extend(gone.iter().cloned());
                false
            }
        };
        let mut added = 0;
        for item in &f.items {
            let id = item.id();
            if full {
                scope.insert((item.source.clone(), item.status.as_str()));
            }
            listed.insert(id.clone());
            let version = match known.get(&id) {
                None => {
                    pending.new_items.0.push(id.clone());
                    pending.new_items.1.push(item.source.clone());
                    pending.new_items.2.push(item.status.as_str().to_string());
                    report.added += 1;
                    1
                }
                Some((v, tomb, stored)) => {
                    if !tomb && stored.as_ref().is_some_and(|s| same_content(s, item)) {
                        report.unchanged += 1;
                        continue;
                    }
                    pending.updated.0.push(id.clone());
                    pending.updated.1.push((v + 1) as i32);
                    pending.updated.2.push(item.status.as_str().to_string());
                    report.updated += 1;
                    v + 1
                }
            };
            pending.versions.push(&id, version, source_id, item);
            known.insert(id, (version, false, Some(item.clone())));
            added += 1;
        }
        finish_source(c, source_id, added)?;
    }
    write(c, &pending)?;
    if let Some(source_id) = last_source {
        named_gone.retain(|id| !listed.contains(id) && known.get(id).is_some_and(|k| !k.1));
        report.tombstoned = tombstone(c, &scope, &listed, named_gone, source_id)?;
    }
    Ok(report)
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

/// Marks listed-before items of the imported (source, status) scopes that
/// this import no longer lists, and the current items named gone.
fn tombstone(
    c: &mut impl GenericClient,
    scope: &HashSet<(String, &'static str)>,
    listed: &HashSet<String>,
    named_gone: Vec<String>,
    source_id: i64,
) -> Result<usize, StoreError> {
    let mut gone = named_gone;
    for (source, status) in scope {
        for r in c.query(
            "SELECT id FROM evidence_item WHERE source = $1 AND status = $2 AND tombstoned_source_id IS NULL",
            &[source, status],
        )? {
            let id: String = r.get(0);
            if !listed.contains(&id) {
                gone.push(id);
            }
        }
    }
    // An item named gone may also be missing from a full list.
    gone.sort_unstable();
    gone.dedup();
    c.execute(
        "UPDATE evidence_item SET tombstoned_source_id = $2 WHERE id = ANY($1)",
        &[&gone, &source_id],
    )?;
    Ok(gone.len())
}

pub(crate) fn items(c: &mut impl Query, f: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id AND v.version = i.current_version \
         WHERE i.tombstoned_source_id IS NULL"
    );
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
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
