//! `series` and `records`.

use super::load_daily;
use crate::answers::{RecordDay, SeriesAnswer, SeriesDay, SeriesPeriod};
use crate::requests::{RecordsRequest, SeriesRequest, SeriesSelect};
use anyhow::Result;
use chrono::NaiveDate;
use frontline_analysis::breaks::{Break, BreakKind};
use frontline_analysis::{DailyValue, DeriveOptions, Period, aggregate, derive_daily, records, rolling_mean};
use frontline_model::SeriesKey;
use frontline_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Series kept by a [`DailyMemo`] at most; past it the memo starts over.
const MEMO_SERIES: usize = 256;

/// Derived daily values of the series asked for, kept while the data does
/// not change: a server answering many different ranges of one series
/// derives it once per data version, not once per request. Each use asks
/// the store for its data version, so nothing stale is ever returned.
#[derive(Default)]
pub struct DailyMemo {
    inner: Mutex<(i64, Memo)>,
}

/// A series' derived daily values, and its breaks.
pub struct Derived {
    /// Daily values, in date order.
    pub daily: Vec<DailyValue>,
    /// Where the series starts, continues merged categories or stops.
    pub breaks: Vec<Break>,
}

/// Derived series by the selection they answer, and the day they are
/// known as of (`None`: now).
type Memo = HashMap<(SeriesSelect, Option<chrono::NaiveDate>), Arc<Derived>>;

impl DailyMemo {
    /// The derived values of `select`, from the memo or derived now.
    pub fn derived(&self, store: &dyn Store, select: &SeriesSelect) -> Result<Arc<Derived>> {
        let version = store.data_version()?;
        let key = (select.clone(), store.known_by());
        if let Ok(m) = self.inner.lock()
            && m.0 == version
            && let Some(d) = m.1.get(&key)
        {
            return Ok(d.clone());
        }
        let derived = Arc::new(derive(store, select)?);
        if let Ok(mut m) = self.inner.lock() {
            if m.0 != version || m.1.len() >= MEMO_SERIES {
                m.0 = version;
                m.1.clear();
            }
            m.1.insert(key, derived.clone());
        }
        Ok(derived)
    }
}

/// The daily values of a selected series and its breaks.
fn derive(store: &dyn Store, select: &SeriesSelect) -> Result<Derived> {
    let all = tally_breaks(store)?;
    let (series, daily) = load_daily(store, select)?;
    let breaks = all.into_iter().filter(|b| b.key == series.key).collect();
    Ok(Derived { daily, breaks })
}

/// The breaks of every stored series (`breaks` and the marks of `series`
/// and `records`): each series' span against its claimant's, and what it
/// continues. Only a series starting after its claimant's first report
/// can continue others, so only those are read whole.
pub fn tally_breaks(store: &dyn Store) -> Result<Vec<Break>> {
    use frontline_analysis::breaks::{Span, breaks};
    let catalog = store.tally_catalog(None)?;
    let mut spans = Vec::with_capacity(catalog.len());
    for s in &catalog {
        let group_first = catalog
            .iter()
            .filter(|o| o.key.claimant == s.key.claimant && o.key.subject == s.key.subject)
            .map(|o| o.first)
            .min()
            .unwrap_or(s.first);
        let continues = if s.first > group_first {
            store.tally_series(&s.key, None)?.and_then(|t| t.continues)
        } else {
            None
        };
        spans.push(Span {
            key: s.key.clone(),
            first: s.first,
            last: s.last,
            continues,
        });
    }
    Ok(breaks(&spans))
}

/// The record days from `since` of the stored series among `keys`
/// (claimed daily figures, catch-ups not spread), each series read once:
/// what event detection compares after a tally import, for the series it
/// touched. A record's day, value, previous record and streak depend on its
/// own series alone; the break marks of `records` do not come with them.
pub fn record_days_of(
    store: &dyn Store,
    keys: &[SeriesKey],
    since: NaiveDate,
) -> Result<Vec<(SeriesKey, Vec<frontline_analysis::RecordDay>)>> {
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(series) = store.tally_series(key, None)? else {
            continue;
        };
        let daily = derive_daily(&series, DeriveOptions { spread_catchups: false });
        out.push((key.clone(), records(&daily, Some(since))));
    }
    Ok(out)
}

/// `kind: reason` of a break, as answers mark it.
fn mark(b: &Break) -> String {
    format!("{}: {}", b.kind.as_str(), b.reason)
}

/// Daily values, or sums per week or month, of a claimed series.
pub fn series(store: &dyn Store, args: &SeriesRequest) -> Result<SeriesAnswer> {
    Ok(series_of(&derive(store, &args.select())?, args))
}

/// [`series`] through a memo of derived values.
pub fn series_memo(store: &dyn Store, args: &SeriesRequest, memo: &DailyMemo) -> Result<SeriesAnswer> {
    Ok(series_of(&*memo.derived(store, &args.select())?, args))
}

fn series_of(derived: &Derived, args: &SeriesRequest) -> SeriesAnswer {
    let daily = &derived.daily;
    let on = |day: chrono::NaiveDate| derived.breaks.iter().find(|b| b.date == day).map(mark);
    let from = args.from.map(|d| args.period.start(d));
    let keep = |date: chrono::NaiveDate| from.is_none_or(|f| date >= f) && args.to.is_none_or(|t| date <= t);
    // The mean column is there only when asked for; its early values are null.
    let mean = |m: Option<f64>| args.rolling.map(|_| m);
    if args.period == Period::Day {
        let means = rolling_mean(
            &daily.iter().map(|d| d.value).collect::<Vec<_>>(),
            args.rolling.unwrap_or(0),
        );
        return SeriesAnswer::Days(
            daily
                .iter()
                .zip(means)
                .filter(|(d, _)| keep(d.date))
                .map(|(d, m)| SeriesDay {
                    date: d.date,
                    value: d.value,
                    cumulative: d.cumulative,
                    correction: d.correction,
                    flags: d.flags_text(),
                    r#break: on(d.date),
                    rolling_mean: mean(m),
                })
                .collect(),
        );
    }
    let periods = aggregate(daily, args.period);
    let means = rolling_mean(
        &periods.iter().map(|p| p.value).collect::<Vec<_>>(),
        args.rolling.unwrap_or(0),
    );
    SeriesAnswer::Periods(
        periods
            .iter()
            .zip(means)
            .filter(|(p, _)| keep(p.date))
            .map(|(p, m)| {
                // A sum over a break covers only part of the period, or
                // parts of two series: it says so.
                let within: Vec<String> = derived
                    .breaks
                    .iter()
                    .filter(|b| args.period.start(b.date) == p.date)
                    .map(|b| format!("{} {}", b.date, mark(b)))
                    .collect();
                SeriesPeriod {
                    date: p.date,
                    value: p.value,
                    days: p.days,
                    unreported_days: p.unreported_days,
                    r#break: (!within.is_empty()).then(|| within.join("; ")),
                    rolling_mean: mean(m),
                }
            })
            .collect(),
    )
}

crate::output::tabular!(SeriesAnswer: Days, Periods);

/// Record days and streaks of a claimed series.
pub fn record_days(store: &dyn Store, args: &RecordsRequest) -> Result<Vec<RecordDay>> {
    Ok(records_of(&derive(store, &args.select())?, args))
}

/// [`record_days`] through a memo of derived values.
pub fn record_days_memo(store: &dyn Store, args: &RecordsRequest, memo: &DailyMemo) -> Result<Vec<RecordDay>> {
    Ok(records_of(&*memo.derived(store, &args.select())?, args))
}

fn records_of(derived: &Derived, args: &RecordsRequest) -> Vec<RecordDay> {
    // A record is compared with the days of its own series only: where the
    // series starts or continues merged categories after `since`, the
    // comparison starts there, and every record after it says so.
    let starts: Vec<&Break> = derived
        .breaks
        .iter()
        .filter(|b| b.kind != BreakKind::Stops && args.since.is_none_or(|s| b.date > s))
        .collect();
    records(&derived.daily, args.since)
        .into_iter()
        .filter(|r| args.from.is_none_or(|f| r.date >= f))
        .map(|r| {
            let across: Vec<String> = starts
                .iter()
                .filter(|b| b.date <= r.date)
                .map(|b| format!("compared from {}, where the series {}", b.date, mark(b)))
                .collect();
            RecordDay {
                date: r.date,
                value: r.value,
                previous_record: r.previous_record,
                streak: r.streak,
                flags: r.flags,
                r#break: (!across.is_empty()).then(|| across.join("; ")),
            }
        })
        .collect()
}

/// Every revision of one day's figure, oldest first, each with the import
/// and the bytes it came from: provenance for a claimed figure.
pub fn figure(store: &dyn Store, args: &crate::requests::FigureRequest) -> Result<Vec<crate::answers::FigureRow>> {
    let key = crate::commands::resolve(
        store,
        &SeriesSelect {
            category: args.category.clone(),
            claimant: args.claimant.clone(),
            subject: args.subject.clone(),
            spread_catchups: false,
        },
    )?;
    let revs = store.figure_revisions(&key, args.date)?;
    if revs.is_empty() {
        crate::error::bail_missing!("no `{}` figure stored for {}", key.category.as_str(), args.date);
    }
    let last = revs.len() - 1;
    Ok(revs
        .into_iter()
        .enumerate()
        .map(|(i, r)| crate::answers::FigureRow {
            date: args.date,
            cumulative: r.cumulative,
            qualifier: r.qualifier,
            current: i == last,
            source_id: r.source_id,
            source_file: r.location,
            source_sha256: r.bytes_sha256,
            imported_at: r.imported_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .collect())
}
