//! Loss evidence: items, their append-only versions, tombstones. What an
//! import writes is decided in `plan.rs`, for both backends.

use super::{parse_date, sources};
use crate::plan::{self, KnownItem};
use crate::{EvidenceFilter, EvidenceImport, EvidenceReport, EvidenceVersion, StoreError};
use chrono::NaiveDate;
use frontline_model::{EvidenceDates, EvidenceItem, Location, LossStatus};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};
use std::collections::{HashMap, HashSet};

const COLUMNS: &str = "v.item_id, v.side, v.category, v.model, v.status, v.count, v.event_date, v.published_date, \
                       v.recorded_at, v.lat, v.lon, v.precision_m, v.proof_urls";

/// Runs an evidence import: reads what is stored, lets [`plan::evidence`]
/// decide, writes what it says.
pub(crate) fn import(conn: &Connection, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
    let mut imported = HashSet::new();
    for f in files {
        if sources::find(conn, &f.meta.sha256)?.is_some() {
            imported.insert(f.meta.sha256.clone());
        }
    }
    let plan = plan::evidence(files, &imported, known(conn)?);
    let mut last_source = None;
    for f in &plan.files {
        let source_id = sources::insert(conn, &f.file.meta, f.file.items.len())?;
        last_source = Some(source_id);
        for w in &f.writes {
            let status = w.item.status.as_str();
            if w.first {
                conn.prepare_cached(
                    "INSERT INTO evidence_item (id, source, status, current_version) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![w.id, w.item.source, status, w.version])?;
            } else {
                conn.prepare_cached(
                    "UPDATE evidence_item SET current_version = ?2, status = ?3, tombstoned_source_id = NULL \
                     WHERE id = ?1",
                )?
                .execute(params![w.id, w.version, status])?;
            }
            insert_version(conn, &w.id, w.version, source_id, w.item)?;
        }
        sources::finish(conn, source_id, f.writes.len())?;
    }
    if let Some(source_id) = last_source {
        for id in &plan.tombstone {
            conn.prepare_cached("UPDATE evidence_item SET tombstoned_source_id = ?2 WHERE id = ?1")?
                .execute(params![id, source_id])?;
            conn.prepare_cached("INSERT INTO evidence_tombstone (item_id, source_id) VALUES (?1, ?2)")?
                .execute(params![id, source_id])?;
        }
    }
    Ok(plan.report)
}

/// Every stored item with its current version, read in one query.
fn known(conn: &Connection) -> Result<HashMap<String, KnownItem>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, i.current_version, i.tombstoned_source_id IS NOT NULL FROM evidence_item i \
         JOIN evidence_version v ON v.item_id = i.id AND v.version = i.current_version"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let (id, raw) = from_row(r)?;
        let known = KnownItem {
            version: r.get(13)?,
            tombstoned: r.get(14)?,
            current: build(&id, raw)?,
        };
        out.insert(id, known);
    }
    Ok(out)
}

fn insert_version(
    conn: &Connection,
    id: &str,
    version: u32,
    source_id: i64,
    i: &EvidenceItem,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO evidence_version (item_id, version, source_id, side, category, model, status, count, event_date, \
         published_date, recorded_at, lat, lon, precision_m, proof_urls) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        version,
        source_id,
        i.side,
        i.category,
        i.model,
        i.status.as_str(),
        i.count,
        i.dates.event.map(|d| d.to_string()),
        i.dates.published.map(|d| d.to_string()),
        i.dates.recorded.to_rfc3339(),
        i.location.map(|l| l.lat),
        i.location.map(|l| l.lon),
        i.location.and_then(|l| l.precision_m),
        i.proof_urls.join(" "),
    ])?;
    Ok(())
}

fn date(s: Option<String>, column: &'static str) -> Result<Option<NaiveDate>, StoreError> {
    s.map(|s| parse_date(&s, "evidence_version", column)).transpose()
}

fn from_row(r: &Row) -> rusqlite::Result<(String, EvidenceRaw)> {
    Ok((
        r.get(0)?,
        EvidenceRaw {
            side: r.get(1)?,
            category: r.get(2)?,
            model: r.get(3)?,
            status: r.get(4)?,
            count: r.get(5)?,
            event: r.get(6)?,
            published: r.get(7)?,
            recorded: r.get(8)?,
            lat: r.get(9)?,
            lon: r.get(10)?,
            precision: r.get(11)?,
            urls: r.get(12)?,
        },
    ))
}

struct EvidenceRaw {
    side: String,
    category: String,
    model: String,
    status: String,
    count: u32,
    event: Option<String>,
    published: Option<String>,
    recorded: String,
    lat: Option<f64>,
    lon: Option<f64>,
    precision: Option<f64>,
    urls: String,
}

fn build(id: &str, r: EvidenceRaw) -> Result<EvidenceItem, StoreError> {
    let (source, key) = id.split_once(':').unwrap_or(("", id));
    let status = LossStatus::parse(&r.status).ok_or(StoreError::Corrupt {
        table: "evidence_version",
        column: "status",
        value: r.status.clone(),
    })?;
    let recorded = super::time(&r.recorded, "evidence_version", "recorded_at")?;
    Ok(EvidenceItem {
        source: source.to_string(),
        key: key.to_string(),
        side: r.side,
        category: r.category,
        model: r.model,
        status,
        count: r.count,
        dates: EvidenceDates::new(
            date(r.event, "event_date")?,
            date(r.published, "published_date")?,
            recorded,
        ),
        location: match (r.lat, r.lon) {
            (Some(lat), Some(lon)) => Some(Location {
                lat,
                lon,
                precision_m: r.precision,
            }),
            _ => None,
        },
        proof_urls: r.urls.split_whitespace().map(str::to_string).collect(),
    })
}

pub(crate) fn items(conn: &Connection, f: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
    let mut args: Vec<Value> = Vec::new();
    let mut sql = match f.known_by {
        None => format!(
            "SELECT {COLUMNS} FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id \
             AND v.version = i.current_version WHERE i.tombstoned_source_id IS NULL"
        ),
        Some(day) => {
            // The rule is `EvidenceFilter::known_by`'s. Dates are ISO text and
            // times RFC 3339 in UTC, so their first ten characters are the day.
            args.push(Value::Text(day.to_string()));
            format!(
                "SELECT {COLUMNS} FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id \
                 AND v.version = (SELECT MAX(w.version) FROM evidence_version w WHERE w.item_id = i.id \
                   AND CASE WHEN w.version = 1 THEN COALESCE(w.published_date, substr(w.recorded_at, 1, 10)) \
                       ELSE substr(w.recorded_at, 1, 10) END <= ?1) \
                 WHERE NOT EXISTS (SELECT 1 FROM evidence_tombstone t JOIN source s ON s.id = t.source_id \
                   WHERE t.item_id = i.id AND t.source_id > v.source_id AND substr(s.imported_at, 1, 10) <= ?1)"
            )
        }
    };
    // Appends a clause whose one `?` binds `v`.
    fn arg(sql: &mut String, args: &mut Vec<Value>, clause: &str, v: Value) {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    }
    if !f.sources.is_empty() {
        let marks: Vec<String> = f
            .sources
            .iter()
            .map(|s| {
                args.push(Value::Text(s.clone()));
                format!("?{}", args.len())
            })
            .collect();
        sql.push_str(&format!(" AND i.source IN ({})", marks.join(", ")));
    }
    if let Some(side) = &f.side {
        arg(
            &mut sql,
            &mut args,
            " AND lower(v.side) = lower(?)",
            Value::Text(side.clone()),
        );
    }
    if let Some(c) = &f.category {
        arg(&mut sql, &mut args, " AND v.category = ?", Value::Text(c.clone()));
    }
    if let Some(st) = f.status {
        arg(
            &mut sql,
            &mut args,
            " AND v.status = ?",
            Value::Text(st.as_str().into()),
        );
    }
    if let Some(d) = f.event_from {
        arg(
            &mut sql,
            &mut args,
            " AND v.event_date >= ?",
            Value::Text(d.to_string()),
        );
    }
    if let Some(d) = f.event_to {
        arg(
            &mut sql,
            &mut args,
            " AND v.event_date <= ?",
            Value::Text(d.to_string()),
        );
    }
    if f.located || f.bbox.is_some() {
        sql.push_str(" AND v.lat IS NOT NULL AND v.lon IS NOT NULL");
    }
    if let Some([w, s, e, n]) = f.bbox {
        arg(&mut sql, &mut args, " AND v.lon >= ?", Value::Real(w));
        arg(&mut sql, &mut args, " AND v.lat >= ?", Value::Real(s));
        arg(&mut sql, &mut args, " AND v.lon <= ?", Value::Real(e));
        arg(&mut sql, &mut args, " AND v.lat <= ?", Value::Real(n));
    }
    sql.push_str(" ORDER BY i.id");
    if let Some(n) = f.limit {
        arg(
            &mut sql,
            &mut args,
            " LIMIT ?",
            Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
        );
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::new();
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    while let Some(row) = rows.next()? {
        let (id, raw) = from_row(row)?;
        out.push(build(&id, raw)?);
    }
    Ok(out)
}

pub(crate) fn history(conn: &Connection, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError> {
    let mut ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM evidence_item WHERE id = ?1")?
        .query_map([id_or_url], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        let like = format!("%{id_or_url}%");
        let found: Vec<String> = conn
            .prepare_cached("SELECT DISTINCT item_id FROM evidence_version WHERE proof_urls LIKE ?1 ORDER BY item_id")?
            .query_map([like], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids = found;
    }
    let tombs: HashMap<String, bool> = ids
        .iter()
        .map(|id| {
            let t: Option<i64> = conn.query_row(
                "SELECT tombstoned_source_id FROM evidence_item WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            Ok((id.clone(), t.is_some()))
        })
        .collect::<Result<_, rusqlite::Error>>()?;
    let sql = format!(
        "SELECT {COLUMNS}, v.version, s.location, COALESCE(s.bytes_sha256, s.sha256) FROM evidence_version v JOIN source s ON s.id = v.source_id \
         WHERE v.item_id = ?1 ORDER BY v.version"
    );
    let mut out = Vec::new();
    for id in &ids {
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                from_row(r)?,
                r.get::<_, u32>(13)?,
                r.get::<_, String>(14)?,
                r.get::<_, String>(15)?,
            ))
        })?;
        let versions: Vec<_> = rows.collect::<Result<_, _>>()?;
        let last = versions.len();
        for (n, ((id, raw), version, location, sha)) in versions.into_iter().enumerate() {
            out.push(EvidenceVersion {
                version,
                source_location: location,
                source_sha256: sha,
                item: build(&id, raw)?,
                tombstoned: n + 1 == last && tombs.get(&id).copied().unwrap_or(false),
            });
        }
    }
    Ok(out)
}
