//! Tally series, figures, corrections, notes and merges.
//!
//! Every row carries the source that stored it. The current figure of a day
//! is the one from the newest source; older ones remain as history.

use super::{parse_date, sources};
use crate::plan::{self, TallyState};
use crate::{Days, FigureRevision, ImportReport, SeriesSummary, StoreError, TallyImport};
use chrono::NaiveDate;
use frontline_model::{
    Category, Claimant, Continuation, SeriesKey, Subject, TallyBatch, TallyNote, TallyPoint, TallySeries,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

pub(crate) fn import(conn: &Connection, file: &TallyImport) -> Result<ImportReport, StoreError> {
    let records = file.batch.len();
    if let Some(id) = sources::find(conn, &file.meta.sha256)? {
        return Ok(ImportReport {
            location: file.meta.location.clone(),
            source_id: id,
            already_imported: true,
            records,
            added: 0,
        });
    }
    let source_id = sources::insert(conn, &file.meta, records)?;
    let mut ids = SeriesIds::default();
    let now = current(conn, &mut ids, &file.batch)?;
    let writes = plan::tallies(&file.batch, now);
    let mut added = writes.len();
    let mut insert = conn.prepare_cached(
        "INSERT INTO tally_observation (series_id, date, cumulative, qualifier, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for o in writes.observations {
        let sid = ids.get(conn, &o.key)?;
        insert.execute(params![sid, o.date.to_string(), o.cumulative, o.qualifier, source_id])?;
    }
    let mut insert = conn
        .prepare_cached("INSERT INTO tally_correction (series_id, date, delta, source_id) VALUES (?1, ?2, ?3, ?4)")?;
    for c in writes.corrections {
        let sid = ids.get(conn, &c.key)?;
        insert.execute(params![sid, c.date.to_string(), c.delta, source_id])?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO tally_note (claimant, subject, date, field, text, source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for n in writes.notes {
        insert.execute(params![
            n.claimant.as_str(),
            n.subject.as_str(),
            n.date.to_string(),
            n.field,
            n.text,
            source_id
        ])?;
    }
    for m in &file.batch.merges {
        let sid = ids.get(conn, &m.into)?;
        let mut inserted = 0;
        for from in &m.from {
            inserted += conn.execute(
                "INSERT INTO tally_merge (into_series_id, from_category, date, source_id) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT DO NOTHING",
                params![sid, from.as_str(), m.date.to_string(), source_id],
            )?;
        }
        added += usize::from(inserted > 0);
    }
    sources::finish(conn, source_id, added)?;
    Ok(ImportReport {
        location: file.meta.location.clone(),
        source_id,
        already_imported: false,
        records,
        added,
    })
}

/// The newest stored figure, correction and note of each day of the series
/// and subjects a file touches: what [`plan::tallies`] compares it with.
fn current(conn: &Connection, ids: &mut SeriesIds, batch: &TallyBatch) -> Result<TallyState, StoreError> {
    let mut now = TallyState::default();
    // Ordered by source, so the newest overwrites the older.
    let mut figures = conn.prepare_cached(
        "SELECT date, cumulative, qualifier FROM tally_observation WHERE series_id = ?1 ORDER BY date, source_id",
    )?;
    let mut corrections =
        conn.prepare_cached("SELECT date, delta FROM tally_correction WHERE series_id = ?1 ORDER BY date, source_id")?;
    for key in plan::touched(batch) {
        let sid = ids.get(conn, key)?;
        for row in figures.query_map([sid], |r| <(String, i64, Option<String>)>::try_from(r))? {
            let (date, v, q) = row?;
            let date = parse_date(&date, "tally_observation", "date")?;
            now.observations.insert((key.clone(), date), (v, q));
        }
        for row in corrections.query_map([sid], |r| <(String, i64)>::try_from(r))? {
            let (date, delta) = row?;
            let date = parse_date(&date, "tally_correction", "date")?;
            now.corrections.insert((key.clone(), date), delta);
        }
    }
    let mut notes = conn.prepare_cached(
        "SELECT date, field, text FROM tally_note WHERE claimant = ?1 AND subject = ?2 ORDER BY date, field, source_id",
    )?;
    for (cl, su) in plan::note_subjects(batch) {
        for row in notes.query_map(params![cl.as_str(), su.as_str()], |r| {
            <(String, String, String)>::try_from(r)
        })? {
            let (date, field, text) = row?;
            let date = parse_date(&date, "tally_note", "date")?;
            now.notes.insert((cl.clone(), su.clone(), date, field), text);
        }
    }
    Ok(now)
}

/// Caches series ids within one import, creating series on first sight.
#[derive(Default)]
struct SeriesIds(HashMap<SeriesKey, i64>);

impl SeriesIds {
    fn get(&mut self, conn: &Connection, key: &SeriesKey) -> Result<i64, StoreError> {
        if let Some(&id) = self.0.get(key) {
            return Ok(id);
        }
        let id = match series_id(conn, key)? {
            Some(id) => id,
            None => {
                conn.execute(
                    "INSERT INTO tally_series (claimant, subject, category) VALUES (?1, ?2, ?3)",
                    params![key.claimant.as_str(), key.subject.as_str(), key.category.as_str()],
                )?;
                conn.last_insert_rowid()
            }
        };
        self.0.insert(key.clone(), id);
        Ok(id)
    }
}

fn series_id(conn: &Connection, key: &SeriesKey) -> Result<Option<i64>, StoreError> {
    // Cached: asked once per series read and per figure's provenance.
    Ok(conn
        .prepare_cached("SELECT id FROM tally_series WHERE claimant = ?1 AND subject = ?2 AND category = ?3")?
        .query_row(
            params![key.claimant.as_str(), key.subject.as_str(), key.category.as_str()],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn keys(conn: &Connection, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError> {
    // A series is known from its first figure's day (dates are ISO text).
    let mut stmt = conn.prepare_cached(
        "SELECT s.claimant, s.subject, s.category FROM tally_series s \
         WHERE EXISTS (SELECT 1 FROM tally_observation o WHERE o.series_id = s.id AND (?1 IS NULL OR o.date <= ?1)) \
         ORDER BY s.claimant, s.subject, s.category",
    )?;
    let rows = stmt.query_map([known_by.map(|d| d.to_string())], |r| {
        Ok(SeriesKey {
            claimant: Claimant::new(&r.get::<_, String>(0)?),
            subject: Subject::new(&r.get::<_, String>(1)?),
            category: Category::new(&r.get::<_, String>(2)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn catalog(conn: &Connection, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.claimant, s.subject, s.category, MIN(o.date), MAX(o.date), COUNT(DISTINCT o.date) \
         FROM tally_series s JOIN tally_observation o ON o.series_id = s.id AND (?1 IS NULL OR o.date <= ?1) \
         GROUP BY s.id ORDER BY s.claimant, s.subject, s.category",
    )?;
    let rows = stmt.query_map([known_by.map(|d| d.to_string())], |r| {
        <(String, String, String, String, String, i64)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (claimant, subject, category, first, last, days) = row?;
        out.push(SeriesSummary {
            key: SeriesKey {
                claimant: Claimant::new(&claimant),
                subject: Subject::new(&subject),
                category: Category::new(&category),
            },
            first: parse_date(&first, "tally_observation", "date")?,
            last: parse_date(&last, "tally_observation", "date")?,
            days: days as usize,
        });
    }
    Ok(out)
}

/// Which row of a (series, day) in `table` (aliased `o`) is current as
/// known by the day bound as `?2`: the newest known by then (a day's first
/// row from the day itself, a revision from its import day). Times are
/// RFC 3339 in UTC, so their first ten characters are the day.
fn current_row(table: &str) -> String {
    format!(
        "o.date <= ?2 AND o.source_id = (SELECT MAX(p.source_id) FROM {table} p JOIN source s ON s.id = p.source_id \
         WHERE p.series_id = o.series_id AND p.date = o.date AND (substr(s.imported_at, 1, 10) <= ?2 \
         OR p.source_id = (SELECT MIN(q.source_id) FROM {table} q WHERE q.series_id = o.series_id AND q.date = o.date)))"
    )
}

/// The arguments of a [`current_row`] query.
fn args(series_id: i64, known_by: Option<NaiveDate>) -> Vec<rusqlite::types::Value> {
    let mut v = vec![rusqlite::types::Value::Integer(series_id)];
    v.extend(known_by.map(|d| rusqlite::types::Value::Text(d.to_string())));
    v
}

/// Appends a row read in (day, source) order, replacing the row before when
/// it is of the same day: the newest import's row of each day is kept.
fn newest_of_day<T>(out: &mut Vec<T>, row: T, day: impl Fn(&T) -> NaiveDate) {
    match out.last_mut() {
        Some(last) if day(last) == day(&row) => *last = row,
        _ => out.push(row),
    }
}

/// Current figures of one series (as known by a day), by date.
fn points(conn: &Connection, series_id: i64, known_by: Option<NaiveDate>) -> Result<Vec<TallyPoint>, StoreError> {
    let sql = match known_by {
        // Every row in primary-key order, the newest of each day last: one
        // pass with no lookup or aggregate per row (below, a day's later
        // row replaces the one before).
        None => "SELECT o.date, o.cumulative, o.qualifier FROM tally_observation o \
                 WHERE o.series_id = ?1 ORDER BY o.date, o.source_id"
            .to_string(),
        Some(_) => format!(
            "SELECT o.date, o.cumulative, o.qualifier FROM tally_observation o WHERE o.series_id = ?1 AND {} ORDER BY o.date",
            current_row("tally_observation")
        ),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args(series_id, known_by)))?;
    let mut out: Vec<TallyPoint> = Vec::new();
    // The day is read in place: a series is read whole, day by day.
    while let Some(r) = rows.next()? {
        let date = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let point = TallyPoint {
            date: parse_date(date, "tally_observation", "date")?,
            cumulative: r.get(1)?,
            qualifier: r.get(2)?,
        };
        newest_of_day(&mut out, point, |p| p.date);
    }
    Ok(out)
}

pub(crate) fn figure_revisions(
    conn: &Connection,
    key: &SeriesKey,
    date: NaiveDate,
) -> Result<Vec<FigureRevision>, StoreError> {
    let Some(id) = series_id(conn, key)? else {
        return Ok(vec![]);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT o.cumulative, o.qualifier, s.id, s.location, COALESCE(s.bytes_sha256, s.sha256), s.imported_at \
         FROM tally_observation o JOIN source s ON s.id = o.source_id \
         WHERE o.series_id = ?1 AND o.date = ?2 ORDER BY o.source_id",
    )?;
    let rows = stmt.query_map(params![id, date.to_string()], |r| {
        <(i64, Option<String>, i64, String, String, String)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (cumulative, qualifier, source_id, location, bytes_sha256, at) = row?;
        out.push(FigureRevision {
            cumulative,
            qualifier,
            source_id,
            location,
            bytes_sha256,
            imported_at: super::time(&at, "source", "imported_at")?,
        });
    }
    Ok(out)
}

pub(crate) fn series(
    conn: &Connection,
    key: &SeriesKey,
    known_by: Option<NaiveDate>,
) -> Result<Option<TallySeries>, StoreError> {
    let Some(id) = series_id(conn, key)? else {
        return Ok(None);
    };
    let points = points(conn, id, known_by)?;
    let sql = match known_by {
        // As in `points`: every row, the newest of each day last.
        None => "SELECT o.date, o.delta FROM tally_correction o WHERE o.series_id = ?1 ORDER BY o.date, o.source_id"
            .to_string(),
        Some(_) => format!(
            "SELECT o.date, o.delta FROM tally_correction o WHERE o.series_id = ?1 AND {} ORDER BY o.date",
            current_row("tally_correction")
        ),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut corrections = Vec::new();
    for row in stmt.query_map(rusqlite::params_from_iter(args(id, known_by)), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })? {
        let (date, delta) = row?;
        newest_of_day(
            &mut corrections,
            (parse_date(&date, "tally_correction", "date")?, delta),
            |c| c.0,
        );
    }
    let continues = continuation(conn, key, id, known_by)?;
    Ok(Some(TallySeries {
        key: key.clone(),
        points,
        corrections,
        continues,
    }))
}

/// What a merged series continues: the absorbed categories and the sum of
/// their last figures before the merge day.
fn continuation(
    conn: &Connection,
    key: &SeriesKey,
    id: i64,
    known_by: Option<NaiveDate>,
) -> Result<Option<Continuation>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT from_category, date FROM tally_merge WHERE into_series_id = ?1")?;
    let merged: Vec<(String, String)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if merged.is_empty() {
        return Ok(None);
    }
    let mut from = Vec::new();
    let mut baseline = 0;
    for (category, date) in merged {
        let date = parse_date(&date, "tally_merge", "date")?;
        let category = Category::new(&category);
        let pred = SeriesKey {
            category: category.clone(),
            ..key.clone()
        };
        if let Some(pid) = series_id(conn, &pred)? {
            baseline += points(conn, pid, known_by)?
                .iter()
                .rev()
                .find(|p| p.date < date)
                .map_or(0, |p| p.cumulative);
        }
        from.push(category);
    }
    Ok(Some(Continuation { from, baseline }))
}

pub(crate) fn notes(
    conn: &Connection,
    claimant: &Claimant,
    subject: &Subject,
    days: &Days,
) -> Result<Vec<TallyNote>, StoreError> {
    let (from, to) = (*days.start(), *days.end());
    let mut stmt = conn.prepare_cached(
        "SELECT n.date, n.field, n.text FROM tally_note n \
         WHERE n.claimant = ?1 AND n.subject = ?2 AND n.date BETWEEN ?3 AND ?4 AND n.source_id = \
           (SELECT MAX(source_id) FROM tally_note WHERE claimant = n.claimant AND subject = n.subject \
            AND date = n.date AND field = n.field) \
         ORDER BY n.date, n.field",
    )?;
    let rows = stmt.query_map(
        params![claimant.as_str(), subject.as_str(), from.to_string(), to.to_string()],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (date, field, text) = row?;
        out.push(TallyNote {
            claimant: claimant.clone(),
            subject: subject.clone(),
            date: parse_date(&date, "tally_note", "date")?,
            field,
            text,
        });
    }
    Ok(out)
}
