//! `series` and `records`.

use super::load_daily;
use crate::args::{RecordsArgs, SeriesArgs};
use crate::output::Rows;
use anyhow::Result;
use frontline_analysis::{Period, aggregate, records, rolling_mean};
use frontline_store::Store;
use serde_json::{Value, json};

/// Builds the rows of `frontline series`.
pub fn series(store: &dyn Store, args: &SeriesArgs) -> Result<Rows> {
    let (_, daily) = load_daily(store, &args.select)?;
    let from = args.from.map(|d| args.period.start(d));
    let keep = |date: chrono::NaiveDate| from.is_none_or(|f| date >= f) && args.to.is_none_or(|t| date <= t);
    let mean_col: &[&'static str] = if args.rolling.is_some() { &["rolling_mean"] } else { &[] };
    if args.period == Period::Day {
        let means = rolling_mean(
            &daily.iter().map(|d| d.value).collect::<Vec<_>>(),
            args.rolling.unwrap_or(0),
        );
        let mut rows = Rows::new(&[&["date", "value", "cumulative", "correction", "flags"][..], mean_col].concat());
        for (d, mean) in daily.iter().zip(means).filter(|(d, _)| keep(d.date)) {
            let mut row = vec![
                json!(d.date),
                json!(d.value),
                json!(d.cumulative),
                json!(d.correction),
                json!(d.flags_text()),
            ];
            if args.rolling.is_some() {
                row.push(mean.map_or(Value::Null, |m| json!(m)));
            }
            rows.push(row);
        }
        return Ok(rows);
    }
    let periods = aggregate(&daily, args.period);
    let means = rolling_mean(
        &periods.iter().map(|p| p.value).collect::<Vec<_>>(),
        args.rolling.unwrap_or(0),
    );
    let mut rows = Rows::new(&[&["date", "value", "days", "unreported_days"][..], mean_col].concat());
    for (p, mean) in periods.iter().zip(means).filter(|(p, _)| keep(p.date)) {
        let mut row = vec![json!(p.date), json!(p.value), json!(p.days), json!(p.unreported_days)];
        if args.rolling.is_some() {
            row.push(mean.map_or(Value::Null, |m| json!(m)));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Builds the rows of `frontline records`.
pub fn record_days(store: &dyn Store, args: &RecordsArgs) -> Result<Rows> {
    let (_, daily) = load_daily(store, &args.select)?;
    let mut rows = Rows::new(&["date", "value", "previous_record", "streak", "flags"]);
    for r in records(&daily, args.since)
        .iter()
        .filter(|r| args.from.is_none_or(|f| r.date >= f))
    {
        rows.push(vec![
            json!(r.date),
            json!(r.value),
            json!(r.previous_record),
            json!(r.streak),
            json!(r.flags),
        ]);
    }
    Ok(rows)
}
