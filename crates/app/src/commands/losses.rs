//! Loss evidence: import, counts, lag, nowcast, backtest, overlap, history.

use crate::args::{
    BacktestArgs, DateBasis, HistoryArgs, ImportLossesArgs, ItemFilter, LagArgs, LossCountArgs, LossFormatArg,
    NowcastArgs, OverlapArgs,
};
use crate::error::{bad, bail_bad, bail_missing, missing};
use crate::output::Rows;
use anyhow::{Context, Result};
use chrono::Utc;
use frontline_analysis::evidence::nowcast::NowcastOptions;
use frontline_analysis::evidence::overlap::span;
use frontline_analysis::evidence::{backtest, count_by_period, lag_alerts, lag_by_period, nowcast, overlap};
use frontline_ingest::SourceFile;
use frontline_ingest::losses::{LossFormat, parse_losses};
use frontline_model::{EvidenceItem, LossStatus, SourceKind, SourceMeta};
use frontline_store::{EvidenceFilter, EvidenceImport, Store};
use serde_json::{Value, json};
use std::io::Write;

/// Imports loss lists: every file parsed first, then one transaction.
pub fn import(store: &mut dyn Store, args: &ImportLossesArgs) -> Result<Rows> {
    let recorded = Utc::now();
    let mut files = Vec::new();
    let mut rejects = Vec::new();
    for path in &args.files {
        let file = SourceFile::read(path)?;
        let format = match args.format {
            LossFormatArg::Oryx => LossFormat::Oryx,
            LossFormatArg::Warspotting => LossFormat::WarSpotting,
            LossFormatArg::Generic => LossFormat::Generic(args.source.clone().unwrap_or_else(|| {
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
        let meta = SourceMeta {
            location: path.display().to_string(),
            sha256: file.sha256,
            kind: SourceKind::Losses,
            imported_at: recorded,
        };
        files.push(EvidenceImport {
            meta,
            items: parsed.items,
        });
    }
    let parsed: usize = files.iter().map(|f| f.items.len()).sum();
    let report = store.import_evidence(&files)?;
    if !rejects.is_empty() {
        let path = args.rejects.clone().unwrap_or_else(|| {
            let mut p = args.files[0].clone().into_os_string();
            p.push(".rejects.csv");
            p.into()
        });
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
    let mut rows = Rows::new(&[
        "files",
        "already_imported",
        "parsed",
        "rejected",
        "added",
        "updated",
        "unchanged",
        "tombstoned",
    ]);
    rows.push(vec![
        json!(report.files),
        json!(report.already_imported),
        json!(parsed),
        json!(rejects.len()),
        json!(report.added),
        json!(report.updated),
        json!(report.unchanged),
        json!(report.tombstoned),
    ]);
    Ok(rows)
}

/// Current items passing the filter (the store applies it).
fn items(store: &dyn Store, f: &ItemFilter) -> Result<Vec<EvidenceItem>> {
    let status = match &f.status {
        Some(s) => Some(LossStatus::parse(s).ok_or_else(|| {
            crate::error::UserError::BadRequest(format!(
                "unknown status `{s}` (destroyed, damaged, abandoned, captured, killed, missing)"
            ))
        })?),
        None => None,
    };
    let filter = EvidenceFilter {
        sources: f.source.clone(),
        side: f.side.clone(),
        category: f
            .category
            .as_ref()
            .map(|c| c.trim().to_lowercase().replace([' ', '_'], "-")),
        status,
        ..Default::default()
    };
    let found = store.evidence_items(&filter)?;
    if found.is_empty()
        && store
            .evidence_items(&EvidenceFilter {
                sources: f.source.clone(),
                ..Default::default()
            })?
            .is_empty()
    {
        return Err(crate::error::UserError::NotFound(format!(
            "no loss evidence stored{}; run `frontline import losses FILE... --format …` first",
            if f.source.is_empty() {
                String::new()
            } else {
                format!(" for {}", f.source.join(", "))
            }
        ))
        .into());
    }
    Ok(found)
}

/// `losses count`.
pub fn count(store: &dyn Store, a: &LossCountArgs) -> Result<Rows> {
    let items = items(store, &a.filter)?;
    let (rows_in, undated) = match a.by {
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
    let mut rows = Rows::new(&["period", "count"]);
    for r in rows_in
        .iter()
        .filter(|r| from.is_none_or(|f| r.period >= f) && a.to.is_none_or(|t| r.period <= t))
    {
        rows.push(vec![json!(r.period), json!(r.count)]);
    }
    Ok(rows)
}

fn round(v: f64) -> Value {
    if v.is_finite() {
        json!((v * 1000.0).round() / 1000.0)
    } else {
        Value::Null
    }
}

/// `lag`.
pub fn lag(store: &dyn Store, a: &LagArgs) -> Result<Rows> {
    let items = items(store, &a.filter)?;
    let rows_in = lag_by_period(&items, a.period);
    if a.alerts {
        let mut rows = Rows::new(&["period", "median_days", "baseline_days", "direction", "cause", "detail"]);
        for r in lag_alerts(&items, a.period, &rows_in) {
            rows.push(vec![
                json!(r.period),
                round(r.median_days),
                round(r.baseline_days),
                json!(r.direction),
                json!(r.cause),
                json!(r.detail),
            ]);
        }
        return Ok(rows);
    }
    let mut rows = Rows::new(&["period", "n", "median_days", "p90_days"]);
    for r in rows_in {
        rows.push(vec![
            json!(r.period),
            json!(r.n),
            round(r.median_days),
            round(r.p90_days),
        ]);
    }
    Ok(rows)
}

/// `nowcast`.
pub fn nowcast_rows(store: &dyn Store, a: &NowcastArgs) -> Result<Rows> {
    let items = items(store, &a.filter)?;
    let mut o = NowcastOptions::new(a.period, a.as_of);
    o.recent = a.recent;
    let mut rows = Rows::new(&["period", "observed", "estimate", "lower", "upper"]);
    for r in nowcast(&items, &o) {
        rows.push(vec![
            json!(r.period),
            json!(r.observed),
            round(r.estimate),
            round(r.lower),
            round(r.upper),
        ]);
    }
    Ok(rows)
}

/// `backtest`.
pub fn backtest_rows(store: &dyn Store, a: &BacktestArgs) -> Result<Rows> {
    let items = items(store, &a.filter)?;
    let b = backtest(&items, a.period, a.from, a.to, a.recent);
    Ok(Rows::object(
        &["nowcast_mae", "naive_mae", "coverage", "n"],
        vec![round(b.nowcast_mae), round(b.naive_mae), round(b.coverage), json!(b.n)],
    ))
}

const CAVEAT: &str = "two-source (Chapman) estimate assumes the lists are independent; they are not (WarSpotting reuses Oryx proofs), so read it as indicative";

/// `overlap`.
pub fn overlap_rows(store: &dyn Store, a: &OverlapArgs, err: &mut dyn Write) -> Result<Rows> {
    let [x, y] = a.sources.as_slice() else {
        bail_bad!("--sources takes exactly two sources, e.g. oryx,warspotting")
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
    writeln!(err, "note: {CAVEAT}")?;
    Ok(Rows::object(
        &[
            "from", "to", "in_both", "only_a", "only_b", "in_a", "in_b", "estimate", "lower", "upper", "caveat",
        ],
        vec![
            json!(from),
            json!(to),
            json!(o.in_both),
            json!(o.only_a),
            json!(o.only_b),
            json!(o.in_a),
            json!(o.in_b),
            round(o.estimate),
            round(o.lower),
            round(o.upper),
            json!(CAVEAT),
        ],
    ))
}

/// `history`.
pub fn history(store: &dyn Store, a: &HistoryArgs) -> Result<Rows> {
    let versions = store.evidence_history(&a.item)?;
    if versions.is_empty() {
        bail_missing!("no item `{}` (give an id such as oryx:3f2a… or a proof URL)", a.item);
    }
    let mut rows = Rows::new(&[
        "id",
        "version",
        "source_file",
        "recorded_at",
        "side",
        "category",
        "model",
        "status",
        "count",
        "event_date",
        "published_date",
        "proof_urls",
        "tombstoned",
    ]);
    for v in versions {
        let i = &v.item;
        rows.push(vec![
            json!(i.id()),
            json!(v.version),
            json!(v.source_location),
            json!(i.dates.recorded.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            json!(i.side),
            json!(i.category),
            json!(i.model),
            json!(i.status.as_str()),
            json!(i.count),
            json!(i.dates.event),
            json!(i.dates.published),
            json!(i.proof_urls.join(" ")),
            json!(v.tombstoned),
        ]);
    }
    Ok(rows)
}
