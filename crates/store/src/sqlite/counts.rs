//! Vintaged counts: each vintage of a series stored whole, once.

use super::sources;
use crate::{ImportReport, StoreError};
use chrono::NaiveDate;
use frontline_model::{CountSeries, CountStatus, Granularity, PeriodCount, SourceMeta, Vintage};
use rusqlite::{Connection, params};

const KEY: &str = "subject = ?1 AND list = ?2 AND granularity = ?3 AND edition = ?4";

pub(crate) fn import(conn: &Connection, meta: &SourceMeta, v: &Vintage) -> Result<ImportReport, StoreError> {
    if let Some(id) = sources::find(conn, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let s = &v.series;
    let held: i64 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM count_vintage WHERE {KEY} AND vintage = ?5"
        ))?
        .query_row(
            params![
                s.subject,
                s.source,
                s.granularity.as_str(),
                s.edition,
                v.vintage.to_string()
            ],
            |r| r.get(0),
        )?;
    let source_id = sources::insert(conn, meta, v.counts.len())?;
    let mut added = 0;
    if held == 0 {
        let mut ins = conn.prepare_cached(
            "INSERT INTO count_vintage (subject, list, granularity, edition, vintage, period, status, count, source_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for c in &v.counts {
            ins.execute(params![
                s.subject,
                s.source,
                s.granularity.as_str(),
                s.edition,
                v.vintage.to_string(),
                c.period.to_string(),
                c.status.as_str(),
                c.count as i64,
                source_id
            ])?;
            added += 1;
        }
    }
    sources::finish(conn, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, v.counts.len(), added))
}

fn day(table_value: String, column: &'static str) -> Result<NaiveDate, StoreError> {
    table_value.parse().map_err(|_| StoreError::Corrupt {
        table: "count_vintage",
        column,
        value: table_value.clone(),
    })
}

pub(crate) fn vintages(conn: &Connection, s: &CountSeries) -> Result<Vec<Vintage>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT vintage, period, status, count FROM count_vintage WHERE {KEY} ORDER BY vintage, period, status"
    ))?;
    let rows = stmt.query_map(params![s.subject, s.source, s.granularity.as_str(), s.edition], |r| {
        <(String, String, String, i64)>::try_from(r)
    })?;
    let mut counts = Vec::new();
    for row in rows {
        let (vintage, period, status, count) = row?;
        let c = PeriodCount {
            period: day(period, "period")?,
            status: CountStatus::parse(&status).ok_or(StoreError::Corrupt {
                table: "count_vintage",
                column: "status",
                value: status.clone(),
            })?,
            count: count.max(0) as u64,
        };
        counts.push((day(vintage, "vintage")?, c));
    }
    Ok(crate::plan::group_vintages(s, counts))
}

pub(crate) fn series(conn: &Connection) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT subject, list, granularity, edition, vintage FROM count_vintage \
         ORDER BY subject, list, granularity, edition, vintage",
    )?;
    let rows = stmt.query_map([], |r| <(String, String, String, u32, String)>::try_from(r))?;
    let mut out: Vec<(CountSeries, Vec<NaiveDate>)> = Vec::new();
    for row in rows {
        let (subject, source, g, edition, vintage) = row?;
        let series = CountSeries {
            subject,
            source,
            granularity: Granularity::parse(&g).ok_or(StoreError::Corrupt {
                table: "count_vintage",
                column: "granularity",
                value: g.clone(),
            })?,
            edition,
        };
        let vintage = day(vintage, "vintage")?;
        match out.last_mut() {
            Some((s, days)) if *s == series => days.push(vintage),
            _ => out.push((series, vec![vintage])),
        }
    }
    Ok(out)
}
