//! `import counts` and `backfill`: vintages of named lists
//! (docs/personnel.md).

use crate::answers::ImportRow;
use crate::error::{bail_bad, bail_missing};
use crate::requests::{BackfillRequest, CountFormat, CountNowcastRequest, ImportCountsRequest};
use anyhow::Result;
use frontline_analysis::vintages::{
    BackfillRow, CountBacktest, CountNowcast, backfill as rows, backtest as counts_backtest, find_break, find_stale,
    learn, nowcast as counts_nowcast,
};
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
    for input in &req.files {
        let file = input.open()?;
        let path = file.path();
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
            check(&known, v, today, req.allow_identical, &file.name)?;
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
                location: file.name.clone(),
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

/// The series a question asks for: its subject and period, its list and
/// edition if given (the latest edition else).
fn select(
    store: &dyn Store,
    subject: &str,
    period: frontline_model::Granularity,
    source: Option<&str>,
    edition: Option<u32>,
) -> Result<CountSeries> {
    let all = store.count_series()?;
    let mut matching: Vec<&CountSeries> = all
        .iter()
        .map(|(s, _)| s)
        .filter(|s| {
            s.subject.eq_ignore_ascii_case(subject)
                && s.granularity.answers(period)
                && source.is_none_or(|x| s.source.eq_ignore_ascii_case(x))
                && edition.is_none_or(|e| s.edition == e)
        })
        .collect();
    matching.sort_by_key(|s| s.edition);
    let Some(series) = matching.last() else {
        bail_missing!(
            "no counts of {subject} by {} stored; run `frontline import counts FILE --format ualosses --subject {subject} --vintage DAY` first",
            period.as_str()
        );
    };
    let lists: std::collections::BTreeSet<&str> = matching.iter().map(|s| s.source.as_str()).collect();
    if lists.len() > 1 {
        bail_bad!(
            "{subject} has counts from several lists ({}); choose one with `source`",
            lists.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    Ok((*series).clone())
}

/// Per period, the count in each vintage and what changed since the one
/// before.
pub fn backfill(store: &dyn Store, req: &BackfillRequest) -> Result<Vec<BackfillRow>> {
    let series = select(store, &req.subject, req.period, req.source.as_deref(), req.edition)?;
    let series = &series;
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

/// The vintages a nowcast may use: those on or before its day (the
/// store's `as_of` day, when it answers as of one).
fn vintages_until(store: &dyn Store, req: &CountNowcastRequest) -> Result<Vec<Vintage>> {
    let series = select(store, &req.subject, req.period, req.source.as_deref(), req.edition)?;
    Ok(store.vintages(&series)?)
}

/// Farthest a count nowcast looks ahead.
pub const MAX_HORIZON_DAYS: i64 = 730;
/// Most learned steps a count nowcast chains.
pub const MAX_STEPS: i64 = 60;

/// Expected killed of the periods younger than a year, from the latest
/// vintage on or before the day, grown as the two latest vintages grew
/// (docs/personnel.md).
pub fn nowcast(store: &dyn Store, req: &CountNowcastRequest) -> Result<Vec<CountNowcast>> {
    let v = vintages_until(store, req)?;
    let [.., before, latest] = v.as_slice() else {
        bail_missing!(
            "a nowcast learns from two vintages; {} of {} stored{}",
            v.len(),
            req.subject,
            store
                .known_by()
                .map(|d| format!(" on or before {d}"))
                .unwrap_or_default()
        );
    };
    // Bounded cost: each day ahead is a step of every draw of every period.
    let step = (latest.vintage - before.vintage).num_days().max(1);
    if let Some(h) = req.horizon_days
        && (!(1..=MAX_HORIZON_DAYS).contains(&h) || h / step > MAX_STEPS)
    {
        bail_bad!(
            "horizon_days {h}: from 1 to {MAX_HORIZON_DAYS}, and at most {MAX_STEPS} times the {step} days learned from"
        );
    }
    // How far to trust it, said on every row: the backtest on the same
    // vintages, when there are three.
    let caution = match counts_backtest(&v).last() {
        Some(b) => format!(
            "backtest (learned {}, nowcast at {}, scored at {}): error {:.1}× that of the counts as they stood, {:.0} % inside \
             the 90 % interval",
            b.learned,
            b.nowcast_at,
            b.scored_at,
            b.ratio,
            b.coverage * 100.0
        ),
        None => format!("no backtest: {} vintages, three are needed", v.len()),
    };
    Ok(counts_nowcast(&learn(before, latest), latest, req.horizon_days)
        .into_iter()
        .map(|r| CountNowcast {
            caution: caution.clone(),
            ..r
        })
        .collect())
}

/// How nowcasts from the stored vintages would have done: every three
/// consecutive vintages.
pub fn backtest(store: &dyn Store, req: &CountNowcastRequest) -> Result<Vec<CountBacktest>> {
    let v = vintages_until(store, req)?;
    if v.len() < 3 {
        bail_missing!(
            "a backtest needs three vintages (learn from two, score on the third); {} of {} stored",
            v.len(),
            req.subject
        );
    }
    Ok(counts_backtest(&v))
}

/// Claimed against named, per period of the named list.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ClaimedNamedRow {
    /// The period's key (`2025-07`, `2025-W29`).
    pub period: String,
    /// Its first day.
    pub from: chrono::NaiveDate,
    /// Its last day.
    pub to: chrono::NaiveDate,
    /// The claimant's daily personnel figures summed over the period
    /// (killed and wounded, as claimed); none unless every day has one.
    pub claimed: Option<i64>,
    /// The named list's confirmed dead for the period, in its latest vintage.
    pub named: u64,
    /// The vintage the named count is from.
    pub named_vintage: chrono::NaiveDate,
    /// `claimed / named`.
    pub ratio: Option<f64>,
    /// What the two measure.
    pub note: String,
}

/// The General Staff's daily personnel claims next to a named list's
/// confirmed dead, per period of the list (docs/personnel.md). They
/// measure different things — killed and wounded as claimed by the other
/// side, against the dead a list could name so far — and every row says so.
pub fn claimed_vs_named(store: &dyn Store, req: &crate::requests::ClaimedNamedRequest) -> Result<Vec<ClaimedNamedRow>> {
    let series = select(store, &req.subject, req.period, Some(&req.named), None)?;
    let vintages = store.vintages(&series)?;
    let Some(latest) = vintages.last() else {
        bail_missing!("no vintage of {} stored", req.named);
    };
    let g = series.granularity;
    let periods: Vec<&frontline_model::PeriodCount> = latest
        .counts
        .iter()
        .filter(|c| c.status == frontline_model::CountStatus::Killed)
        .filter(|c| req.from.is_none_or(|f| g.last_day(c.period) >= f) && req.to.is_none_or(|t| c.period <= t))
        .collect();
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    // The claimed days of the whole periods asked for.
    let days = match crate::commands::series::series(
        store,
        &crate::requests::SeriesRequest {
            category: "personnel".into(),
            claimant: Some(req.claimed.clone()),
            subject: Some(req.subject.to_lowercase()),
            spread_catchups: false,
            from: Some(first.period),
            to: Some(g.last_day(last.period)),
            period: frontline_analysis::Period::Day,
            rolling: None,
        },
    )? {
        crate::answers::SeriesAnswer::Days(d) => d,
        crate::answers::SeriesAnswer::Periods(_) => Vec::new(),
    };
    let by_day: std::collections::BTreeMap<chrono::NaiveDate, i64> = days.iter().map(|d| (d.date, d.value)).collect();
    let note = format!(
        "{} claims Russia's personnel losses killed and wounded; {} names confirmed dead, and keeps adding to past periods \
         (vintage {}): the ratio is not a rate of anything",
        req.claimed, req.named, latest.vintage
    );
    Ok(periods
        .into_iter()
        .map(|c| {
            let to = g.last_day(c.period);
            let span: Vec<chrono::NaiveDate> = c.period.iter_days().take_while(|d| *d <= to).collect();
            let claimed = span.iter().map(|d| by_day.get(d).copied()).sum::<Option<i64>>();
            ClaimedNamedRow {
                period: g.key(c.period),
                from: c.period,
                to,
                claimed,
                named: c.count,
                named_vintage: latest.vintage,
                ratio: claimed
                    .filter(|_| c.count > 0)
                    .map(|x| (x as f64 / c.count as f64 * 100.0).round() / 100.0),
                note: note.clone(),
            }
        })
        .collect())
}
