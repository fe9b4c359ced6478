//! Loss evidence: import, counts, lag, nowcast, backtest, overlap, history.

use crate::answers::{
    Backtest, HistoryRow, LagAlert, LagAnswer, LagPeriod, LossImport, NowcastRow, Overlap, PeriodCount, round3,
};
use crate::error::{UserError, bail_bad, bail_missing};
use crate::requests::{
    BacktestRequest, CountRequest, DateBasis, HistoryRequest, ImportLossesRequest, ItemFilter, LagRequest, LossLayout,
    NowcastRequest, OverlapRequest, split_list,
};
use anyhow::{Context, Result};
use chrono::Utc;
use frontline_analysis::evidence::nowcast::NowcastOptions;
use frontline_analysis::evidence::overlap::span;
use frontline_analysis::evidence::{count_by_period, lag_alerts, lag_by_period, nowcast, overlap};
use frontline_ingest::losses::{LossFormat, parse_losses};
use frontline_model::{EvidenceItem, LossStatus, SourceKind, SourceMeta};
use frontline_store::{Coverage, EvidenceFilter, EvidenceImport, Store};
use std::collections::HashSet;

/// Imports loss lists: every file parsed first, then one transaction.
pub fn import(store: &mut dyn Store, args: &ImportLossesRequest) -> Result<LossImport> {
    let recorded = Utc::now();
    let mut files = Vec::new();
    let mut rejects = Vec::new();
    let mut dates_unreadable = 0;
    for input in &args.files {
        let file = input.open()?;
        let path = file.path();
        let format = match args.layout {
            LossLayout::Oryx => LossFormat::Oryx,
            LossLayout::Warspotting => LossFormat::WarSpotting,
            LossLayout::Generic => LossFormat::Generic(args.source.clone().unwrap_or_else(|| {
                path.file_stem()
                    .map_or_else(|| "generic".to_string(), |s| s.to_string_lossy().to_lowercase())
            })),
        };
        let parsed = parse_losses(path, &file.bytes, &format, recorded)?;
        if args.strict
            && let Some(first) = parsed.rejects.first()
        {
            return Err(frontline_ingest::IngestError::from(first.clone()).into());
        }
        rejects.extend(parsed.rejects);
        dates_unreadable += parsed.dates_unreadable;
        let meta = SourceMeta::new(file.name.clone(), file.sha256.clone(), SourceKind::Losses, recorded);
        files.push(EvidenceImport {
            meta,
            items: parsed.items,
            coverage: Coverage::Full,
        });
    }
    let parsed: usize = files.iter().map(|f| f.items.len()).sum();
    if !args.allow_shrink {
        refuse_shrink(store, &files)?;
    }
    // Beside the first file when it is on this machine; bytes from elsewhere
    // have no folder here, so their caller names the file (before anything
    // is stored).
    let rejects_path: Option<std::path::PathBuf> = match (&args.rejects, args.files.first()) {
        _ if rejects.is_empty() => None,
        (Some(p), _) => Some(p.clone()),
        (None, Some(crate::requests::Input::Path(first))) => {
            let mut p = first.clone().into_os_string();
            p.push(".rejects.csv");
            Some(p.into())
        }
        (None, _) => {
            crate::error::bail_bad!(
                "{} rows were rejected; name a file to write them to. Nothing imported",
                rejects.len()
            )
        }
    };
    let report = store.import_evidence(&files)?;
    if dates_unreadable > 0 {
        tracing::warn!(
            "{dates_unreadable} items carry an event date that cannot be right (before the war began, after they \
             were first seen, or unreadable); they are kept without an event date"
        );
    }
    if let Some(path) = rejects_path {
        let mut w = csv::Writer::from_path(&path).with_context(|| format!("writing rejects to {}", path.display()))?;
        w.write_record(["file", "record", "field", "reason", "row"])?;
        for r in &rejects {
            w.write_record([
                r.file.display().to_string(),
                r.record.to_string(),
                r.field.clone(),
                r.reason.clone(),
                r.raw.clone(),
            ])?;
        }
        w.flush()?;
        tracing::warn!("{} rows rejected; see {}", rejects.len(), path.display());
    }
    Ok(LossImport {
        files: report.files,
        already_imported: report.already_imported,
        parsed,
        rejected: rejects.len(),
        dates_unreadable,
        added: report.added,
        updated: report.updated,
        unchanged: report.unchanged,
        tombstoned: report.tombstoned,
    })
}

/// Items an import may retire without `allow_shrink`: upstream lists do
/// drop duplicates and mistakes, a handful at a time.
const SHRINK_ITEMS: usize = 10;
/// …or this share of the (source, status) list, whichever is larger.
const SHRINK_SHARE: f64 = 0.01;

/// Refuses an import that would mark more stored items gone than a list
/// loses by itself: a truncated download or a changed page layout looks
/// like thousands of items vanishing at once (#12.3). Same rule as the
/// store's: items of an imported (source, status) that the import no
/// longer lists.
fn refuse_shrink(store: &dyn Store, files: &[EvidenceImport]) -> Result<()> {
    let mut listed: HashSet<String> = HashSet::new();
    let mut scopes: HashSet<(String, LossStatus)> = HashSet::new();
    for f in files {
        if store.has_source(&f.meta.sha256)? {
            continue;
        }
        for i in &f.items {
            listed.insert(i.id());
            scopes.insert((i.source.clone(), i.status));
        }
    }
    for (source, status) in scopes {
        let stored = store.evidence_items(&EvidenceFilter {
            sources: vec![source.clone()],
            status: Some(status),
            ..Default::default()
        })?;
        let gone = stored.iter().filter(|i| !listed.contains(&i.id())).count();
        let limit = SHRINK_ITEMS.max((stored.len() as f64 * SHRINK_SHARE) as usize);
        if gone > limit {
            return Err(crate::error::UserError::Conflict(format!(
                "this import would mark {gone} of the {} stored `{source}` items ({}) as gone upstream, more than {limit}; \
                 a truncated or changed list looks like this. Nothing was stored; check the file, or allow the shrink \
                 explicitly (CLI: --allow-shrink)",
                stored.len(),
                status.as_str()
            ))
            .into());
        }
    }
    Ok(())
}

/// The store's filter for the items an [`ItemFilter`] names.
fn evidence_filter(f: &ItemFilter) -> EvidenceFilter {
    EvidenceFilter {
        sources: f.source.clone(),
        side: f.side.clone(),
        category: f.category.as_deref().map(category_key),
        status: f.status,
        ..Default::default()
    }
}

/// Current items passing the filter (the store applies it).
pub(crate) fn items(store: &dyn Store, f: &ItemFilter) -> Result<Vec<EvidenceItem>> {
    let found = store.evidence_items(&evidence_filter(f))?;
    if found.is_empty() {
        refuse_unknown(store, &f.source, f.side.as_deref(), f.category.as_deref())?;
        if let Some(day) = store.known_by() {
            tracing::info!("no item of this selection was known by {day} (as_of)");
        }
    }
    Ok(found)
}

/// A category as the loss lists store it (`Armoured fighting_vehicles` →
/// `armoured-fighting-vehicles`).
pub(crate) fn category_key(c: &str) -> String {
    c.trim().to_lowercase().replace([' ', '_'], "-")
}

/// When a selection matched nothing, says why if it names something no
/// stored item has: no evidence at all from these sources, or a side or a
/// category they never use (a typo such as `tank` must not read as "no
/// losses"). Names that exist but do not meet give the empty answer.
pub(crate) fn refuse_unknown(
    store: &dyn Store,
    sources: &[String],
    side: Option<&str>,
    category: Option<&str>,
) -> Result<()> {
    // Only on the empty path, so reading the sources' items is bounded by
    // what an unfiltered answer would read.
    let all = store.evidence_items(&EvidenceFilter {
        sources: sources.to_vec(),
        ..Default::default()
    })?;
    let whose = if sources.is_empty() {
        String::new()
    } else {
        format!(" for {}", sources.join(", "))
    };
    if all.is_empty() {
        return Err(UserError::NotFound(match store.known_by() {
            Some(day) => {
                format!("no loss item{whose} had been listed by {day} (as_of): nothing to answer as of that day")
            }
            None => format!("no loss evidence stored{whose}; run `frontline import losses FILE... --format …` first"),
        })
        .into());
    }
    let known = |values: Vec<String>| -> Vec<String> {
        let mut v = values;
        v.sort_unstable();
        v.dedup();
        v
    };
    if let Some(side) = side {
        let sides = known(all.iter().map(|i| i.side.to_lowercase()).collect());
        if !sides.contains(&side.to_lowercase()) {
            return Err(UserError::NotFound(format!(
                "unknown side `{side}`{whose}; stored sides: {}",
                sides.join(", ")
            ))
            .into());
        }
    }
    if let Some(category) = category {
        let categories = known(all.iter().map(|i| i.category.clone()).collect());
        if !categories.contains(&category_key(category)) {
            return Err(UserError::NotFound(format!(
                "unknown category `{category}`{whose}; stored categories: {}",
                categories.join(", ")
            ))
            .into());
        }
    }
    Ok(())
}

/// `losses count`.
pub fn count(store: &dyn Store, a: &CountRequest) -> Result<Vec<PeriodCount>> {
    let items = items(store, &a.filter())?;
    let (counts, undated) = match a.by {
        DateBasis::Event => count_by_period(&items, a.period, |i| i.dates.event),
        DateBasis::Published => count_by_period(&items, a.period, |i| i.dates.published),
    };
    if undated > 0 {
        tracing::info!(
            "{undated} items have no {} date and are not counted",
            match a.by {
                DateBasis::Event => "event",
                DateBasis::Published => "published",
            }
        );
    }
    let from = a.from.map(|d| a.period.start(d));
    Ok(counts
        .into_iter()
        .filter(|r| from.is_none_or(|f| r.period >= f) && a.to.is_none_or(|t| r.period <= t))
        .map(|r| PeriodCount {
            period: r.period,
            count: r.count,
        })
        .collect())
}

/// `lag`.
pub fn lag(store: &dyn Store, a: &LagRequest) -> Result<LagAnswer> {
    let items = items(store, &a.filter())?;
    let periods = lag_by_period(&items, a.period);
    if a.alerts {
        return Ok(LagAnswer::Alerts(
            lag_alerts(&items, a.period, &periods)
                .into_iter()
                .map(|r| LagAlert {
                    period: r.period,
                    median_days: round3(r.median_days),
                    baseline_days: round3(r.baseline_days),
                    direction: r.direction.into(),
                    cause: r.cause.into(),
                    detail: r.detail,
                    n: r.n,
                    usual_n: round3(r.usual_n),
                    usual_low_days: round3(r.usual_low_days),
                    usual_high_days: round3(r.usual_high_days),
                })
                .collect(),
        ));
    }
    Ok(LagAnswer::Periods(
        periods
            .into_iter()
            .map(|r| LagPeriod {
                period: r.period,
                n: r.n,
                median_days: round3(r.median_days),
                p90_days: round3(r.p90_days),
            })
            .collect(),
    ))
}

crate::output::tabular!(LagAnswer: Periods, Alerts);

/// `nowcast`.
pub fn nowcast_rows(store: &dyn Store, a: &NowcastRequest) -> Result<Vec<NowcastRow>> {
    let items = items(store, &a.filter())?;
    // The nowcast's day is the day the store answers as of: what was known
    // then is all it may use.
    let day = store.known_by().ok_or_else(|| {
        crate::error::UserError::BadRequest(
            "a nowcast needs `as_of`, the day it nowcasts from (`--as-of DAY`, `?as_of=DAY`)".into(),
        )
    })?;
    let mut o = NowcastOptions::new(a.period, day);
    o.recent = a.recent;
    Ok(nowcast(&items, &o)
        .into_iter()
        .map(|r| NowcastRow {
            period: r.period,
            observed: r.observed,
            estimate: round3(r.estimate),
            lower: round3(r.lower),
            upper: round3(r.upper),
        })
        .collect())
}

/// `backtest`.
///
/// Each step is replayed on the store as known at its end (the one `as_of`
/// mechanism of every query): the items listed by then, as they were then,
/// without later removals. The finals are the items known now.
pub fn backtest_rows(store: &mut dyn Store, a: &BacktestRequest) -> Result<Backtest> {
    use frontline_analysis::evidence::{backtest_days, backtest_step, finals, score};
    let filter = a.filter();
    let now = items(store, &filter)?;
    let finals = finals(&now, a.period);
    drop(now);
    let mut pairs = Vec::new();
    for day in backtest_days(a.period, a.from, a.to) {
        // Nothing known yet on an early day is an empty step, not an error.
        let known = crate::as_of::on(store, Some(day), |s| Ok(s.evidence_items(&evidence_filter(&filter))?))?;
        pairs.extend(backtest_step(&known, &finals, a.period, day, a.recent));
    }
    let b = score(&pairs);
    Ok(Backtest {
        nowcast_mae: round3(b.nowcast_mae),
        naive_mae: round3(b.naive_mae),
        coverage: round3(b.coverage),
        n: b.n,
    })
}

crate::output::tabular!(one: Backtest);
crate::output::tabular!(one: Overlap);

const CAVEAT: &str = "two-source (Chapman) estimate assumes the lists are independent; they are not (WarSpotting reuses Oryx proofs), so read it as indicative";

/// `overlap`.
pub fn overlap_rows(store: &dyn Store, a: &OverlapRequest) -> Result<Overlap> {
    let sources = split_list(Some(&a.sources));
    let [x, y] = sources.as_slice() else {
        bail_bad!("the sources must be exactly two, e.g. oryx,warspotting")
    };
    let filter = ItemFilter {
        source: vec![x.clone(), y.clone()],
        side: a.side.clone(),
        category: a.category.clone(),
        status: None,
    };
    let all = items(store, &filter)?;
    let (sa, sb) = (span(&all, x), span(&all, y));
    let from = a.from.or(sa.zip(sb).map(|(p, q)| p.0.max(q.0)));
    let to = a.to.or(sa.zip(sb).map(|(p, q)| p.1.min(q.1)));
    let o = overlap(&all, x, y, from, to);
    Ok(Overlap {
        from,
        to,
        in_both: o.in_both,
        only_a: o.only_a,
        only_b: o.only_b,
        in_a: o.in_a,
        in_b: o.in_b,
        estimate: round3(o.estimate),
        lower: round3(o.lower),
        upper: round3(o.upper),
        caveat: CAVEAT.into(),
    })
}

/// `history`.
pub fn history(store: &dyn Store, a: &HistoryRequest) -> Result<Vec<HistoryRow>> {
    let versions = store.evidence_history(&a.item)?;
    if versions.is_empty() {
        bail_missing!("no item `{}` (give an id such as oryx:3f2a… or a proof URL)", a.item);
    }
    Ok(versions
        .into_iter()
        .map(|v| {
            let i = &v.item;
            HistoryRow {
                id: i.id(),
                version: v.version,
                source_file: v.source_location.clone(),
                source_sha256: v.source_sha256.clone(),
                recorded_at: i.dates.recorded.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                side: i.side.clone(),
                category: i.category.clone(),
                model: i.model.clone(),
                status: i.status.as_str().into(),
                count: i.count,
                event_date: i.dates.event,
                published_date: i.dates.published,
                proof_urls: i.proof_urls.join(" "),
                tombstoned: v.tombstoned,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::LossStatus;
    use frontline_store::SqliteStore;
    use frontline_store_tests::fixtures::{item, loss_file};

    fn ask(store: &dyn Store, side: Option<&str>, category: Option<&str>, status: Option<LossStatus>) -> Result<u64> {
        let req: CountRequest = serde_json::from_value(serde_json::json!({
            "side": side, "category": category, "status": status.map(|s| s.as_str()),
        }))?;
        Ok(count(store, &req)?.iter().map(|c| c.count).sum())
    }

    /// A typo in a side or category is refused with the stored names, not
    /// answered with zero losses; a real selection that matches nothing is
    /// an honest zero.
    #[test]
    fn unknown_names_are_refused_and_empty_selections_are_zero() {
        let empty = SqliteStore::open_in_memory().unwrap();
        let err = ask(&empty, None, Some("tanks"), None).unwrap_err();
        assert!(err.to_string().starts_with("no loss evidence stored;"), "{err}");

        let mut s = SqliteStore::open_in_memory().unwrap();
        let items = vec![
            item("1", LossStatus::Destroyed, "T-72B3"),
            item("2", LossStatus::Destroyed, "T-80"),
        ];
        s.import_evidence(&[loss_file("l", items)]).unwrap();
        assert_eq!(ask(&s, Some("Russia"), Some("Tanks"), None).unwrap(), 2);
        for (side, category, said) in [
            ("russia", "tank", "unknown category `tank`; stored categories: tanks"),
            ("ukrainee", "tanks", "unknown side `ukrainee`; stored sides: russia"),
        ] {
            let err = ask(&s, Some(side), Some(category), None).unwrap_err();
            assert_eq!(crate::error::classify(&err), frontline_model::ErrorClass::NotFound);
            assert_eq!(err.to_string(), said);
        }
        assert_eq!(
            ask(&s, Some("russia"), Some("tanks"), Some(LossStatus::Captured)).unwrap(),
            0
        );
    }
}
