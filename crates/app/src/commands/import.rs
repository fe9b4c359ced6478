//! `import tallies`: parse every file first, then store all in one transaction.

use crate::answers::ImportRow;
use crate::error::UserError;
use crate::requests::{ImportTalliesRequest, TallyFormat as Layout};
use anyhow::Result;
use chrono::NaiveDate;
use chrono::Utc;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::{SeriesKey, SourceMeta, TallyPoint, TallySeries};
use frontline_store::{Store, TallyImport};

/// Imports tally files. Nothing is stored unless every file parses.
pub fn tallies(store: &mut dyn Store, req: &ImportTalliesRequest) -> Result<Vec<ImportRow>> {
    Ok(tallies_touching(store, req)?.0)
}

/// [`tallies`], and the series whose figures the files state, correct or
/// merge into (each once, in file order): the only ones whose derived
/// values the import can change, so the only ones event detection reads
/// again.
pub fn tallies_touching(store: &mut dyn Store, req: &ImportTalliesRequest) -> Result<(Vec<ImportRow>, Vec<SeriesKey>)> {
    let format = match req.format {
        Layout::Auto => TallyFormat::Auto,
        Layout::GeneralStaff => TallyFormat::GeneralStaff,
        Layout::Corrections => TallyFormat::Corrections,
        Layout::Csv => TallyFormat::Csv,
    };
    let imported_at = Utc::now();
    let mut parsed = Vec::with_capacity(req.files.len());
    for input in &req.files {
        let file = input.open()?;
        let (kind, batch) = parse_tallies(&file, format)?;
        tracing::debug!(file = %file.name, records = batch.len(), "parsed");
        let meta = SourceMeta {
            location: file.name.clone(),
            sha256: file.sha256.clone(),
            bytes_sha256: None,
            kind,
            imported_at,
        };
        parsed.push(TallyImport {
            meta: match &req.reparse {
                Some(r) => r.meta(meta),
                None => meta,
            },
            batch,
        });
    }
    let warned = judge_falls(store, &parsed)?;
    let reports = store.import_tallies(&parsed)?;
    let mut seen = std::collections::HashSet::new();
    let touched = parsed
        .iter()
        .flat_map(|t| t.batch.touched())
        .filter(|k| seen.insert(*k))
        .cloned()
        .collect();
    let rows = import_rows(&reports)
        .into_iter()
        .zip(warned)
        .map(|(row, w)| ImportRow {
            warnings: w.join("; "),
            ..row
        })
        .collect();
    Ok((rows, touched))
}

/// A cumulative figure cannot fall unless a correction says so. Each series
/// the files touch is read as it would stand after the import (stored
/// figures, the files' figures over them, both sets of corrections): a fall
/// beyond [`frontline_analysis::daily::MAX_UNEXPLAINED_FALL`] that no
/// correction explains is refused, naming the file, the day and the field;
/// a smaller one is kept, flagged `negative` in the series, and named in
/// the file's warnings (one list per file).
fn judge_falls(store: &dyn Store, parsed: &[TallyImport]) -> Result<Vec<Vec<String>>> {
    use std::collections::{BTreeMap, HashMap};
    let mut warned = vec![Vec::new(); parsed.len()];
    let mut figures: BTreeMap<&SeriesKey, BTreeMap<NaiveDate, (i64, Option<usize>)>> = BTreeMap::new();
    let mut corrections: HashMap<&SeriesKey, BTreeMap<NaiveDate, i64>> = HashMap::new();
    for (i, t) in parsed.iter().enumerate() {
        for o in &t.batch.observations {
            figures
                .entry(&o.key)
                .or_default()
                .insert(o.date, (o.cumulative, Some(i)));
        }
        for c in &t.batch.corrections {
            *corrections.entry(&c.key).or_default().entry(c.date).or_insert(0) += c.delta;
        }
    }
    for (key, new) in figures {
        let stored = store.tally_series(key, None)?;
        let mut points: BTreeMap<NaiveDate, (i64, Option<usize>)> = stored
            .iter()
            .flat_map(|s| s.points.iter().map(|p| (p.date, (p.cumulative, None))))
            .collect();
        points.extend(new);
        let mut fixes: BTreeMap<NaiveDate, i64> = stored.iter().flat_map(|s| s.corrections.iter().copied()).collect();
        fixes.extend(corrections.get(key).into_iter().flatten().map(|(d, v)| (*d, *v)));
        let series = TallySeries {
            key: key.clone(),
            points: points
                .iter()
                .map(|(d, (c, _))| TallyPoint {
                    date: *d,
                    cumulative: *c,
                    qualifier: None,
                })
                .collect(),
            corrections: fixes.into_iter().collect(),
            continues: None,
        };
        for fall in frontline_analysis::unexplained_falls(&series) {
            // Only falls these files make: one already stored was judged
            // when it came.
            let file = points[&fall.date].1.or(points[&fall.before.0].1);
            let Some(i) = file else { continue };
            let what = format!(
                "record of {}, field `{}`: the cumulative figure falls from {} ({}) to {}{}",
                fall.date,
                key.category.as_str(),
                fall.before.1,
                fall.before.0,
                fall.after,
                if fall.correction == 0 {
                    " with no correction for that day".to_string()
                } else {
                    format!(", more than that day's correction of {}", fall.correction)
                }
            );
            if fall.is_implausible() {
                return Err(UserError::BadRequest(format!(
                    "{}: {what} ({:.1} % of the figure before); a cumulative count of losses cannot fall like that: \
                     fix the figure, or publish the correction (a `*_correction.json` file). Nothing imported",
                    parsed[i].meta.location,
                    100.0 * fall.unexplained() as f64 / fall.before.1.max(1) as f64
                ))
                .into());
            }
            warned[i].push(format!("{what}: kept, flagged `negative`"));
        }
    }
    Ok(warned)
}

/// One row per imported file: what the import did with it.
pub fn import_rows(reports: &[frontline_store::ImportReport]) -> Vec<ImportRow> {
    reports
        .iter()
        .map(|r| ImportRow {
            file: r.location.clone(),
            source_id: r.source_id,
            records: r.records,
            added: r.added,
            status: if r.already_imported {
                "already imported"
            } else {
                "imported"
            }
            .into(),
            warnings: String::new(),
        })
        .collect()
}
