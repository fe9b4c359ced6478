//! Tally series, figures, corrections, notes and merges. The current figure
//! of a day is the newest source's; what an import stores is decided in
//! `plan.rs`, for both backends.

use super::Query;
use super::{find_source, finish_source, insert_source};
use crate::plan::{self, TallyState};
use crate::{Days, FigureRevision, ImportReport, SeriesSummary, StoreError, TallyImport};
use chrono::NaiveDate;
use frontline_model::{
    Category, Claimant, Continuation, SeriesKey, Subject, TallyBatch, TallyNote, TallyPoint, TallySeries,
};
use postgres::GenericClient;
use std::collections::HashMap;

pub(crate) fn import(c: &mut impl GenericClient, file: &TallyImport) -> Result<ImportReport, StoreError> {
    let records = file.batch.len();
    if let Some(id) = find_source(c, &file.meta.sha256)? {
        return Ok(ImportReport {
            records,
            ..ImportReport::already(&file.meta, id)
        });
    }
    let source_id = insert_source(c, &file.meta, records)?;
    let mut ids = SeriesIds::default();
    let b = &file.batch;
    let now = current(c, &mut ids, b)?;
    let writes = plan::tallies(b, now);
    let mut added = writes.len();

    let (mut sid, mut date, mut cum, mut qual) = (vec![], vec![], vec![], vec![]);
    for o in writes.observations {
        sid.push(ids.get(c, &o.key)?);
        date.push(o.date);
        cum.push(o.cumulative);
        qual.push(o.qualifier.clone());
    }
    c.execute(
        "INSERT INTO tally_observation (series_id, date, cumulative, qualifier, source_id) \
         SELECT s, d, v, q, $5 FROM unnest($1::bigint[], $2::date[], $3::bigint[], $4::text[]) AS t(s, d, v, q)",
        &[&sid, &date, &cum, &qual, &source_id],
    )?;
    let (mut sid, mut date, mut delta) = (vec![], vec![], vec![]);
    for k in writes.corrections {
        sid.push(ids.get(c, &k.key)?);
        date.push(k.date);
        delta.push(k.delta);
    }
    c.execute(
        "INSERT INTO tally_correction (series_id, date, delta, source_id) \
         SELECT s, d, v, $4 FROM unnest($1::bigint[], $2::date[], $3::bigint[]) AS t(s, d, v)",
        &[&sid, &date, &delta, &source_id],
    )?;
    let (mut cl, mut su, mut date, mut field, mut text) = (vec![], vec![], vec![], vec![], vec![]);
    for n in writes.notes {
        cl.push(n.claimant.as_str());
        su.push(n.subject.as_str());
        date.push(n.date);
        field.push(n.field.as_str());
        text.push(n.text.as_str());
    }
    c.execute(
        "INSERT INTO tally_note (claimant, subject, date, field, text, source_id) \
         SELECT a, b, d, f, t, $6 FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[]) AS x(a, b, d, f, t)",
        &[&cl, &su, &date, &field, &text, &source_id],
    )?;

    for m in &b.merges {
        let sid = ids.get(c, &m.into)?;
        let mut inserted = 0;
        for from in &m.from {
            inserted += c.execute(
                "INSERT INTO tally_merge (into_series_id, from_category, date, source_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
                &[&sid, &from.as_str(), &m.date, &source_id],
            )?;
        }
        added += usize::from(inserted > 0);
    }
    finish_source(c, source_id, added)?;
    Ok(ImportReport {
        location: file.meta.location.clone(),
        source_id,
        already_imported: false,
        records,
        added,
    })
}

/// The newest stored figure, correction and note of each day of the series
/// and subjects a file touches, read once: what [`plan::tallies`] compares
/// it with.
fn current(c: &mut impl GenericClient, ids: &mut SeriesIds, b: &TallyBatch) -> Result<TallyState, StoreError> {
    let mut by_id = HashMap::new();
    for key in plan::touched(b) {
        by_id.insert(ids.get(c, key)?, key);
    }
    let series: Vec<i64> = by_id.keys().copied().collect();
    let mut now = TallyState::default();
    for r in c.query(
        "SELECT DISTINCT ON (series_id, date) series_id, date, cumulative, qualifier FROM tally_observation \
         WHERE series_id = ANY($1) ORDER BY series_id, date, source_id DESC",
        &[&series],
    )? {
        let key = by_id[&r.get::<_, i64>(0)];
        now.observations.insert((key.clone(), r.get(1)), (r.get(2), r.get(3)));
    }
    for r in c.query(
        "SELECT DISTINCT ON (series_id, date) series_id, date, delta FROM tally_correction \
         WHERE series_id = ANY($1) ORDER BY series_id, date, source_id DESC",
        &[&series],
    )? {
        let key = by_id[&r.get::<_, i64>(0)];
        now.corrections.insert((key.clone(), r.get(1)), r.get(2));
    }
    for (cl, su) in plan::note_subjects(b) {
        for r in c.query(
            "SELECT DISTINCT ON (date, field) date, field, text FROM tally_note WHERE claimant = $1 AND subject = $2 \
             ORDER BY date, field, source_id DESC",
            &[&cl.as_str(), &su.as_str()],
        )? {
            now.notes.insert((cl.clone(), su.clone(), r.get(0), r.get(1)), r.get(2));
        }
    }
    Ok(now)
}

/// Series ids within one import, creating series on first sight.
#[derive(Default)]
struct SeriesIds(HashMap<SeriesKey, i64>);

impl SeriesIds {
    fn get(&mut self, c: &mut impl GenericClient, key: &SeriesKey) -> Result<i64, StoreError> {
        if let Some(&id) = self.0.get(key) {
            return Ok(id);
        }
        let id = match series_id(c, key)? {
            Some(id) => id,
            None => c
                .query_one(
                    "INSERT INTO tally_series (claimant, subject, category) VALUES ($1, $2, $3) RETURNING id",
                    &[&key.claimant.as_str(), &key.subject.as_str(), &key.category.as_str()],
                )?
                .get(0),
        };
        self.0.insert(key.clone(), id);
        Ok(id)
    }
}

fn series_id(c: &mut impl Query, key: &SeriesKey) -> Result<Option<i64>, StoreError> {
    Ok(c.q_opt(
        "SELECT id FROM tally_series WHERE claimant = $1 AND subject = $2 AND category = $3",
        &[&key.claimant.as_str(), &key.subject.as_str(), &key.category.as_str()],
    )?
    .map(|r| r.get(0)))
}

/// The rows of `sql` (with `cond` the condition on `o.date`): all of them,
/// or those of figures known by the end of `known_by`.
fn known_rows(
    c: &mut impl Query,
    sql: impl Fn(&str) -> String,
    known_by: Option<NaiveDate>,
) -> Result<Vec<postgres::Row>, StoreError> {
    Ok(match known_by {
        Some(day) => c.q(&sql(" AND o.date <= $1"), &[&day])?,
        None => c.q(&sql(""), &[])?,
    })
}

/// A series key from its first three columns.
fn key_of(r: &postgres::Row) -> SeriesKey {
    SeriesKey {
        claimant: Claimant::new(r.get(0)),
        subject: Subject::new(r.get(1)),
        category: Category::new(r.get(2)),
    }
}

pub(crate) fn keys(c: &mut impl Query, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError> {
    // A series is known from its first figure's day; the ORDER BY is
    // byte-wise, as SQLite's.
    let sql = |cond: &str| {
        format!(
            "SELECT s.claimant, s.subject, s.category FROM tally_series s \
             WHERE EXISTS (SELECT 1 FROM tally_observation o WHERE o.series_id = s.id{cond}) \
             ORDER BY s.claimant COLLATE \"C\", s.subject COLLATE \"C\", s.category COLLATE \"C\""
        )
    };
    let rows = known_rows(c, sql, known_by)?;
    Ok(rows.iter().map(key_of).collect())
}

pub(crate) fn catalog(c: &mut impl Query, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError> {
    let sql = |cond: &str| {
        format!(
            "SELECT s.claimant, s.subject, s.category, MIN(o.date), MAX(o.date), COUNT(DISTINCT o.date) \
             FROM tally_series s JOIN tally_observation o ON o.series_id = s.id{cond} \
             GROUP BY s.id ORDER BY s.claimant COLLATE \"C\", s.subject COLLATE \"C\", s.category COLLATE \"C\""
        )
    };
    let rows = known_rows(c, sql, known_by)?;
    Ok(rows
        .iter()
        .map(|r| SeriesSummary {
            key: key_of(r),
            first: r.get(3),
            last: r.get(4),
            days: r.get::<_, i64>(5) as usize,
        })
        .collect())
}

/// Which row of a (series, day) in `table` (aliased `o`) is current: the
/// newest; with a knowledge day bound as `$2`, the newest known by then (a
/// day's first row from the day itself, a revision from its import day;
/// sessions run in UTC).
fn current_row(table: &str, known: bool) -> String {
    if known {
        format!(
            "o.date <= $2 AND o.source_id = (SELECT MAX(p.source_id) FROM {table} p JOIN source s ON s.id = p.source_id \
             WHERE p.series_id = o.series_id AND p.date = o.date AND (s.imported_at::date <= $2 \
             OR p.source_id = (SELECT MIN(q.source_id) FROM {table} q WHERE q.series_id = o.series_id AND q.date = o.date)))"
        )
    } else {
        format!("o.source_id = (SELECT MAX(source_id) FROM {table} WHERE series_id = o.series_id AND date = o.date)")
    }
}

/// Rows of a [`current_row`] query on one series.
fn current_rows(
    c: &mut impl Query,
    sql: &str,
    series_id: i64,
    known_by: Option<NaiveDate>,
) -> Result<Vec<postgres::Row>, StoreError> {
    Ok(match known_by {
        Some(day) => c.q(sql, &[&series_id, &day])?,
        None => c.q(sql, &[&series_id])?,
    })
}

/// Current figures of one series (as known by a day), by date.
fn points(c: &mut impl Query, series_id: i64, known_by: Option<NaiveDate>) -> Result<Vec<TallyPoint>, StoreError> {
    let sql = format!(
        "SELECT o.date, o.cumulative, o.qualifier FROM tally_observation o WHERE o.series_id = $1 AND {} ORDER BY o.date",
        current_row("tally_observation", known_by.is_some())
    );
    Ok(current_rows(c, &sql, series_id, known_by)?
        .iter()
        .map(|r| TallyPoint {
            date: r.get(0),
            cumulative: r.get(1),
            qualifier: r.get(2),
        })
        .collect())
}

pub(crate) fn figure_revisions(
    c: &mut impl Query,
    key: &SeriesKey,
    date: NaiveDate,
) -> Result<Vec<FigureRevision>, StoreError> {
    let Some(id) = series_id(c, key)? else {
        return Ok(vec![]);
    };
    Ok(c.q(
        "SELECT o.cumulative, o.qualifier, s.id, s.location, COALESCE(s.bytes_sha256, s.sha256), s.imported_at \
         FROM tally_observation o JOIN source s ON s.id = o.source_id \
         WHERE o.series_id = $1 AND o.date = $2 ORDER BY o.source_id",
        &[&id, &date],
    )?
    .iter()
    .map(|r| FigureRevision {
        cumulative: r.get(0),
        qualifier: r.get(1),
        source_id: r.get(2),
        location: r.get(3),
        bytes_sha256: r.get(4),
        imported_at: r.get(5),
    })
    .collect())
}

pub(crate) fn series(
    c: &mut impl Query,
    key: &SeriesKey,
    known_by: Option<NaiveDate>,
) -> Result<Option<TallySeries>, StoreError> {
    let Some(id) = series_id(c, key)? else {
        return Ok(None);
    };
    let points = points(c, id, known_by)?;
    let sql = format!(
        "SELECT o.date, o.delta FROM tally_correction o WHERE o.series_id = $1 AND {} ORDER BY o.date",
        current_row("tally_correction", known_by.is_some())
    );
    let corrections = current_rows(c, &sql, id, known_by)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let continues = continuation(c, key, id, known_by)?;
    Ok(Some(TallySeries {
        key: key.clone(),
        points,
        corrections,
        continues,
    }))
}

fn continuation(
    c: &mut impl Query,
    key: &SeriesKey,
    id: i64,
    known_by: Option<NaiveDate>,
) -> Result<Option<Continuation>, StoreError> {
    let merged: Vec<(String, NaiveDate)> = c
        .q(
            "SELECT from_category, date FROM tally_merge WHERE into_series_id = $1",
            &[&id],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    if merged.is_empty() {
        return Ok(None);
    }
    let mut from = Vec::new();
    let mut baseline = 0;
    for (category, date) in merged {
        let category = Category::new(&category);
        let pred = SeriesKey {
            category: category.clone(),
            ..key.clone()
        };
        if let Some(pid) = series_id(c, &pred)? {
            baseline += points(c, pid, known_by)?
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
    c: &mut impl Query,
    claimant: &Claimant,
    subject: &Subject,
    days: &Days,
) -> Result<Vec<TallyNote>, StoreError> {
    let (from, to) = (*days.start(), *days.end());
    let rows = c.q(
        "SELECT n.date, n.field, n.text FROM tally_note n \
         WHERE n.claimant = $1 AND n.subject = $2 AND n.date BETWEEN $3 AND $4 AND n.source_id = \
           (SELECT MAX(source_id) FROM tally_note WHERE claimant = n.claimant AND subject = n.subject \
            AND date = n.date AND field = n.field) \
         ORDER BY n.date, n.field COLLATE \"C\"",
        &[&claimant.as_str(), &subject.as_str(), &from, &to],
    )?;
    Ok(rows
        .iter()
        .map(|r| TallyNote {
            claimant: claimant.clone(),
            subject: subject.clone(),
            date: r.get(0),
            field: r.get(1),
            text: r.get(2),
        })
        .collect())
}
