//! `series` and `records`.

use super::load_daily;
use crate::answers::{RecordDay, SeriesAnswer, SeriesDay, SeriesPeriod};
use crate::requests::{RecordsRequest, SeriesRequest};
use anyhow::Result;
use frontline_analysis::{Period, aggregate, records, rolling_mean};
use frontline_store::Store;

/// Daily values, or sums per week or month, of a claimed series.
pub fn series(store: &dyn Store, args: &SeriesRequest) -> Result<SeriesAnswer> {
    let (_, daily) = load_daily(store, &args.select())?;
    let from = args.from.map(|d| args.period.start(d));
    let keep = |date: chrono::NaiveDate| from.is_none_or(|f| date >= f) && args.to.is_none_or(|t| date <= t);
    // The mean column is there only when asked for; its early values are null.
    let mean = |m: Option<f64>| args.rolling.map(|_| m);
    if args.period == Period::Day {
        let means = rolling_mean(
            &daily.iter().map(|d| d.value).collect::<Vec<_>>(),
            args.rolling.unwrap_or(0),
        );
        return Ok(SeriesAnswer::Days(
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
                    rolling_mean: mean(m),
                })
                .collect(),
        ));
    }
    let periods = aggregate(&daily, args.period);
    let means = rolling_mean(
        &periods.iter().map(|p| p.value).collect::<Vec<_>>(),
        args.rolling.unwrap_or(0),
    );
    Ok(SeriesAnswer::Periods(
        periods
            .iter()
            .zip(means)
            .filter(|(p, _)| keep(p.date))
            .map(|(p, m)| SeriesPeriod {
                date: p.date,
                value: p.value,
                days: p.days,
                unreported_days: p.unreported_days,
                rolling_mean: mean(m),
            })
            .collect(),
    ))
}

impl crate::output::Tabular for SeriesAnswer {
    fn rows(&self) -> Result<crate::output::Rows> {
        match self {
            SeriesAnswer::Days(v) => crate::output::Rows::of(v),
            SeriesAnswer::Periods(v) => crate::output::Rows::of(v),
        }
    }
}

/// Record days and streaks of a claimed series.
pub fn record_days(store: &dyn Store, args: &RecordsRequest) -> Result<Vec<RecordDay>> {
    let (_, daily) = load_daily(store, &args.select())?;
    Ok(records(&daily, args.since)
        .into_iter()
        .filter(|r| args.from.is_none_or(|f| r.date >= f))
        .map(|r| RecordDay {
            date: r.date,
            value: r.value,
            previous_record: r.previous_record,
            streak: r.streak,
            flags: r.flags,
        })
        .collect())
}
