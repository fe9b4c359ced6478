//! Vintaged counts (as SQLite's).

use super::{Query, find_source, finish_source, insert_source};
use crate::{ImportReport, StoreError};
use chrono::NaiveDate;
use frontline_model::{CountSeries, CountStatus, Granularity, PeriodCount, SourceMeta, Vintage};
use postgres::GenericClient;

const KEY: &str = "subject = $1 AND list = $2 AND granularity = $3 AND edition = $4";

pub(crate) fn import(c: &mut impl GenericClient, meta: &SourceMeta, v: &Vintage) -> Result<ImportReport, StoreError> {
    if let Some(id) = find_source(c, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let s = &v.series;
    let edition = s.edition as i32;
    let held: i64 = c
        .query_one(
            &format!("SELECT COUNT(*) FROM count_vintage WHERE {KEY} AND vintage = $5"),
            &[&s.subject, &s.source, &s.granularity.as_str(), &edition, &v.vintage],
        )?
        .get(0);
    let source_id = insert_source(c, meta, v.counts.len())?;
    let mut added = 0;
    if held == 0 {
        let ins = c.prepare(
            "INSERT INTO count_vintage (subject, list, granularity, edition, vintage, period, status, count, source_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )?;
        for p in &v.counts {
            c.execute(
                &ins,
                &[
                    &s.subject,
                    &s.source,
                    &s.granularity.as_str(),
                    &edition,
                    &v.vintage,
                    &p.period,
                    &p.status.as_str(),
                    &(p.count as i64),
                    &source_id,
                ],
            )?;
            added += 1;
        }
    }
    finish_source(c, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, v.counts.len(), added))
}

fn status(s: String) -> Result<CountStatus, StoreError> {
    CountStatus::parse(&s).ok_or(StoreError::Corrupt {
        table: "count_vintage",
        column: "status",
        value: s,
    })
}

pub(crate) fn vintages(c: &mut impl Query, s: &CountSeries) -> Result<Vec<Vintage>, StoreError> {
    let edition = s.edition as i32;
    let rows = c.q(
        &format!(
            "SELECT vintage, period, status, count FROM count_vintage WHERE {KEY} ORDER BY vintage, period, status"
        ),
        &[&s.subject, &s.source, &s.granularity.as_str(), &edition],
    )?;
    let mut counts = Vec::with_capacity(rows.len());
    for r in rows {
        let p = PeriodCount {
            period: r.get(1),
            status: status(r.get(2))?,
            count: r.get::<_, i64>(3).max(0) as u64,
        };
        counts.push((r.get::<_, NaiveDate>(0), p));
    }
    Ok(crate::plan::group_vintages(s, counts))
}

pub(crate) fn series(c: &mut impl Query) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError> {
    let rows = c.q(
        "SELECT DISTINCT subject, list, granularity, edition, vintage FROM count_vintage \
         ORDER BY subject, list, granularity, edition, vintage",
        &[],
    )?;
    let mut out: Vec<(CountSeries, Vec<NaiveDate>)> = Vec::new();
    for r in rows {
        let g: String = r.get(2);
        let series = CountSeries {
            subject: r.get(0),
            source: r.get(1),
            granularity: Granularity::parse(&g).ok_or(StoreError::Corrupt {
                table: "count_vintage",
                column: "granularity",
                value: g.clone(),
            })?,
            edition: r.get::<_, i32>(3).max(0) as u32,
        };
        let vintage: NaiveDate = r.get(4);
        match out.last_mut() {
            Some((s, days)) if *s == series => days.push(vintage),
            _ => out.push((series, vec![vintage])),
        }
    }
    Ok(out)
}
