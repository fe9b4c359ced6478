//! `import counts` and `backfill`: vintages of named lists
//! (docs/personnel.md).

use crate::answers::ImportRow;
use crate::error::{bail_bad, bail_missing};
use crate::requests::{BackfillRequest, CountFormat, ImportCountsRequest};
use anyhow::Result;
use frontline_analysis::vintages::{BackfillRow, backfill as rows, find_break, find_stale};
use frontline_model::{CountSeries, SourceKind, SourceMeta, Vintage};
use frontline_store::Store;

/// Imports vintages, each in its own transaction, after the checks that
/// keep a series honest: a vintage in the future, older than one stored,
/// stored before with other counts, identical to the latest stored one
/// (a stale copy), or breaking with it (the list changed its method) is
/// refused with the reason, and nothing of it is stored.
pub fn import(store: &mut dyn Store, req: &ImportCountsRequest) -> Result<Vec<ImportRow>> {
    let today = chrono::Utc::now().date_naive();
    let mut out = Vec::new();
    for path in &req.files {
        let file = frontline_ingest::SourceFile::read(path)?;
        let vintages = match req.format {
            CountFormat::Ualosses => {
                let (Some(subject), Some(vintage)) = (&req.subject, req.vintage) else {
                    bail_bad!("--format ualosses needs --subject and --vintage (the day the file was saved)");
                };
                vec![frontline_ingest::counts::parse_ualosses(
                    path,
                    &file.bytes,
                    subject,
                    req.source.as_deref().unwrap_or("ualosses"),
                    req.edition,
                    vintage,
                )?]
            }
            CountFormat::Csv => frontline_ingest::counts::parse_long_csv(
                path,
                &file.bytes,
                req.source.as_deref().unwrap_or("generic"),
                req.edition,
            )?,
        };
        // Each vintage against the stored ones and the file's earlier ones,
        // all before anything is stored.
        let mut seen: Vec<Vintage> = Vec::new();
        for v in &vintages {
            let mut known = store.vintages(&v.series)?;
            known.extend(seen.iter().filter(|s| s.series == v.series).cloned());
            check(&known, v, today, req.allow_identical, &path.display().to_string())?;
            seen.push(v.clone());
        }
        for (i, v) in vintages.iter().enumerate() {
            // One source per vintage: a file of several vintages is several
            // imports, each traceable to the file.
            let sha256 = if vintages.len() == 1 {
                file.sha256.clone()
            } else {
                format!("{}:{i}", file.sha256)
            };
            let meta = SourceMeta {
                location: crate::commands::location(path),
                sha256,
                bytes_sha256: None,
                kind: SourceKind::Counts,
                imported_at: chrono::Utc::now(),
            };
            let report = store.import_vintage(&meta, v)?;
            out.extend(crate::commands::import::import_rows(&[report]));
        }
    }
    Ok(out)
}

fn check(stored: &[Vintage], v: &Vintage, today: chrono::NaiveDate, allow_identical: bool, file: &str) -> Result<()> {
    if v.vintage > today {
        bail_bad!("{file}: the vintage {} is in the future", v.vintage);
    }
    if let Some(same) = stored.iter().find(|s| s.vintage == v.vintage) {
        if same.counts != v.counts {
            bail_bad!(
                "{file}: the vintage {} of {} is stored with other counts; a published vintage does not change — \
                 if the list changed, import it as --edition {}",
                v.vintage,
                name(&v.series),
                v.series.edition + 1
            );
        }
        return Ok(());
    }
    let Some(latest) = stored.last() else {
        return Ok(());
    };
    if latest.vintage > v.vintage {
        bail_bad!(
            "{file}: the vintage {} is older than the stored {} of {}: vintages are imported oldest first",
            v.vintage,
            latest.vintage,
            name(&v.series)
        );
    }
    if let Some(why) = find_stale(latest, v).filter(|_| !allow_identical) {
        bail_bad!("{file}: {why} (--allow-identical stores it)");
    }
    if let Some(why) = find_break(latest, v) {
        bail_bad!(
            "{file}: not comparable with the stored vintages of {}: {why}; import it as --edition {} to start a new series",
            name(&v.series),
            v.series.edition + 1
        );
    }
    Ok(())
}

fn name(s: &CountSeries) -> String {
    format!(
        "{} ({}, by {}, edition {})",
        s.subject,
        s.source,
        s.granularity.as_str(),
        s.edition
    )
}

/// Most rows a backfill answers: periods × vintages.
pub const MAX_ROWS: usize = 20_000;

/// Per period, the count in each vintage and what changed since the one
/// before.
pub fn backfill(store: &dyn Store, req: &BackfillRequest) -> Result<Vec<BackfillRow>> {
    let all = store.count_series()?;
    let mut matching: Vec<&CountSeries> = all
        .iter()
        .map(|(s, _)| s)
        .filter(|s| {
            s.subject.eq_ignore_ascii_case(&req.subject)
                && s.granularity.answers(req.period)
                && req.source.as_ref().is_none_or(|x| s.source.eq_ignore_ascii_case(x))
                && req.edition.is_none_or(|e| s.edition == e)
        })
        .collect();
    // The latest edition unless one is asked for.
    matching.sort_by_key(|s| s.edition);
    let Some(series) = matching.last() else {
        bail_missing!(
            "no counts of {} by {} stored; run `frontline import counts FILE --format ualosses --subject {} --vintage DAY` first",
            req.subject,
            req.period.as_str(),
            req.subject
        );
    };
    let lists: std::collections::BTreeSet<&str> = matching.iter().map(|s| s.source.as_str()).collect();
    if lists.len() > 1 {
        bail_bad!(
            "{} has counts from several lists ({}); choose one with `source`",
            req.subject,
            lists.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    let out: Vec<BackfillRow> = rows(&store.vintages(series)?)
        .into_iter()
        .filter(|r| req.from.is_none_or(|f| r.period >= f) && req.to.is_none_or(|t| r.period <= t))
        .collect();
    if out.len() > MAX_ROWS {
        bail_bad!(
            "{} rows, more than {MAX_ROWS}: narrow the periods with `from` and `to`",
            out.len()
        );
    }
    Ok(out)
}
