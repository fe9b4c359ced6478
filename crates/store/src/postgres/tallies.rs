//! Tally series, figures, corrections, notes and merges (same rules as the
//! SQLite backend: the current figure of a day is the newest source's).

use super::{find_source, finish_source, insert_source};
use crate::{ImportReport, SeriesSummary, StoreError, TallyImport};
use chrono::NaiveDate;
use frontline_model::{Category, Claimant, Continuation, SeriesKey, Subject, TallyNote, TallyPoint, TallySeries};
use postgres::GenericClient;
use std::collections::HashMap;

pub(crate) fn import(c: &mut impl GenericClient, file: &TallyImport) -> Result<ImportReport, StoreError> {
    let records = file.batch.len();
    if let Some(id) = find_source(c, &file.meta.sha256)? {
        return Ok(ImportReport {
            records,
            ..super::already(&file.meta, id)
        });
    }
    let source_id = insert_source(c, &file.meta, records)?;
    let mut ids = SeriesIds::default();
    let mut added = 0;
    let current_obs = c.prepare(
        "SELECT cumulative, qualifier FROM tally_observation WHERE series_id = $1 AND date = $2 \
         ORDER BY source_id DESC LIMIT 1",
    )?;
    let insert_obs = c.prepare(
        "INSERT INTO tally_observation (series_id, date, cumulative, qualifier, source_id) VALUES ($1, $2, $3, $4, $5)",
    )?;
    for o in &file.batch.observations {
        let sid = ids.get(c, &o.key)?;
        let existing: Option<(i64, Option<String>)> = c
            .query_opt(&current_obs, &[&sid, &o.date])?
            .map(|r| (r.get(0), r.get(1)));
        if existing.as_ref() == Some(&(o.cumulative, o.qualifier.clone())) {
            continue;
        }
        c.execute(&insert_obs, &[&sid, &o.date, &o.cumulative, &o.qualifier, &source_id])?;
        added += 1;
    }
    let current_corr = c.prepare(
        "SELECT delta FROM tally_correction WHERE series_id = $1 AND date = $2 ORDER BY source_id DESC LIMIT 1",
    )?;
    for k in &file.batch.corrections {
        let sid = ids.get(c, &k.key)?;
        let existing: Option<i64> = c.query_opt(&current_corr, &[&sid, &k.date])?.map(|r| r.get(0));
        if existing == Some(k.delta) {
            continue;
        }
        c.execute(
            "INSERT INTO tally_correction (series_id, date, delta, source_id) VALUES ($1, $2, $3, $4)",
            &[&sid, &k.date, &k.delta, &source_id],
        )?;
        added += 1;
    }
    let current_note = c.prepare(
        "SELECT text FROM tally_note WHERE claimant = $1 AND subject = $2 AND date = $3 AND field = $4 \
         ORDER BY source_id DESC LIMIT 1",
    )?;
    for n in &file.batch.notes {
        let existing: Option<String> = c
            .query_opt(
                &current_note,
                &[&n.claimant.as_str(), &n.subject.as_str(), &n.date, &n.field],
            )?
            .map(|r| r.get(0));
        if existing.as_deref() == Some(n.text.as_str()) {
            continue;
        }
        c.execute(
            "INSERT INTO tally_note (claimant, subject, date, field, text, source_id) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &n.claimant.as_str(),
                &n.subject.as_str(),
                &n.date,
                &n.field,
                &n.text,
                &source_id,
            ],
        )?;
        added += 1;
    }
    for m in &file.batch.merges {
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

fn series_id(c: &mut impl GenericClient, key: &SeriesKey) -> Result<Option<i64>, StoreError> {
    Ok(c.query_opt(
        "SELECT id FROM tally_series WHERE claimant = $1 AND subject = $2 AND category = $3",
        &[&key.claimant.as_str(), &key.subject.as_str(), &key.category.as_str()],
    )?
    .map(|r| r.get(0)))
}

pub(crate) fn catalog(c: &mut impl GenericClient) -> Result<Vec<SeriesSummary>, StoreError> {
    let rows = c.query(
        "SELECT s.claimant, s.subject, s.category, MIN(o.date), MAX(o.date), COUNT(DISTINCT o.date) \
         FROM tally_series s JOIN tally_observation o ON o.series_id = s.id \
         GROUP BY s.id ORDER BY s.claimant COLLATE \"C\", s.subject COLLATE \"C\", s.category COLLATE \"C\"",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| SeriesSummary {
            key: SeriesKey {
                claimant: Claimant::new(r.get(0)),
                subject: Subject::new(r.get(1)),
                category: Category::new(r.get(2)),
            },
            first: r.get(3),
            last: r.get(4),
            days: r.get::<_, i64>(5) as usize,
        })
        .collect())
}

fn points(c: &mut impl GenericClient, series_id: i64) -> Result<Vec<TallyPoint>, StoreError> {
    let rows = c.query(
        "SELECT o.date, o.cumulative, o.qualifier FROM tally_observation o \
         WHERE o.series_id = $1 AND o.source_id = \
           (SELECT MAX(source_id) FROM tally_observation WHERE series_id = o.series_id AND date = o.date) \
         ORDER BY o.date",
        &[&series_id],
    )?;
    Ok(rows
        .iter()
        .map(|r| TallyPoint {
            date: r.get(0),
            cumulative: r.get(1),
            qualifier: r.get(2),
        })
        .collect())
}

pub(crate) fn series(c: &mut impl GenericClient, key: &SeriesKey) -> Result<Option<TallySeries>, StoreError> {
    let Some(id) = series_id(c, key)? else {
        return Ok(None);
    };
    let points = points(c, id)?;
    let corrections = c
        .query(
            "SELECT k.date, k.delta FROM tally_correction k WHERE k.series_id = $1 AND k.source_id = \
               (SELECT MAX(source_id) FROM tally_correction WHERE series_id = k.series_id AND date = k.date) \
             ORDER BY k.date",
            &[&id],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let continues = continuation(c, key, id)?;
    Ok(Some(TallySeries {
        key: key.clone(),
        points,
        corrections,
        continues,
    }))
}

fn continuation(c: &mut impl GenericClient, key: &SeriesKey, id: i64) -> Result<Option<Continuation>, StoreError> {
    let merged: Vec<(String, NaiveDate)> = c
        .query(
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
            baseline += points(c, pid)?
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
    c: &mut impl GenericClient,
    claimant: &Claimant,
    subject: &Subject,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<TallyNote>, StoreError> {
    let rows = c.query(
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
