//! Reporting lag: days from an event to the first publication of its evidence.

use crate::Period;
use chrono::NaiveDate;
use frontline_model::EvidenceItem;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A stretch this long without any record is a gap in collection, not calm.
pub const GAP_DAYS: i64 = 5;

/// Lag distribution of the items published in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LagRow {
    /// First day of the publication period.
    pub period: NaiveDate,
    /// Items with both dates.
    pub n: usize,
    /// Median lag, days.
    pub median_days: f64,
    /// 90th percentile lag, days.
    pub p90_days: f64,
}

/// The `q` quantile of sorted values (linear interpolation between ranks).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Lag (published − event, in days; negative ones are data errors and left
/// out) by period of publication.
pub fn lag_by_period(items: &[EvidenceItem], period: Period) -> Vec<LagRow> {
    let mut by: BTreeMap<NaiveDate, Vec<f64>> = BTreeMap::new();
    for it in items {
        if let (Some(e), Some(p)) = (it.dates.event, it.dates.published) {
            let lag = (p - e).num_days();
            if lag >= 0 {
                by.entry(period.start(p))
                    .or_default()
                    .extend(std::iter::repeat_n(lag as f64, it.count as usize));
            }
        }
    }
    by.into_iter()
        .map(|(period, mut v)| {
            v.sort_by(f64::total_cmp);
            LagRow {
                period,
                n: v.len(),
                median_days: quantile(&v, 0.5),
                p90_days: quantile(&v, 0.9),
            }
        })
        .collect()
}

/// A period whose median lag left its usual range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LagAlert {
    /// First day of the period.
    pub period: NaiveDate,
    /// Its median lag.
    pub median_days: f64,
    /// Median of the preceding periods' medians.
    pub baseline_days: f64,
    /// `faster` or `slower` than usual.
    pub direction: &'static str,
    /// `lag change`, or `scraping gap` when a collection gap explains it.
    pub cause: &'static str,
    /// Human-readable detail.
    pub detail: String,
}

/// Periods before a period that form its baseline.
const BASELINE: usize = 8;

/// Flags periods whose median lag is outside the baseline's median ± 3
/// scaled MADs (at least ± 2 days), and tells a real change from a
/// collection gap: if the publication dates show [`GAP_DAYS`] or more without
/// any record, ending in or just before the period, the catch-up after the
/// gap inflates lags without anything having changed in reporting.
pub fn lag_alerts(items: &[EvidenceItem], period: Period, rows: &[LagRow]) -> Vec<LagAlert> {
    let recorded: BTreeSet<NaiveDate> = items.iter().filter_map(|i| i.dates.published).collect();
    let days: Vec<NaiveDate> = recorded.into_iter().collect();
    let gaps: Vec<(NaiveDate, NaiveDate)> = days
        .windows(2)
        .filter(|w| (w[1] - w[0]).num_days() > GAP_DAYS)
        .map(|w| (w[0], w[1]))
        .collect();
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i < BASELINE / 2 || row.n < 10 {
            continue;
        }
        let mut base: Vec<f64> = rows[i.saturating_sub(BASELINE)..i]
            .iter()
            .filter(|r| r.n >= 10)
            .map(|r| r.median_days)
            .collect();
        if base.len() < BASELINE / 2 {
            continue;
        }
        base.sort_by(f64::total_cmp);
        let centre = quantile(&base, 0.5);
        let mut dev: Vec<f64> = base.iter().map(|b| (b - centre).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let width = (3.0 * 1.4826 * quantile(&dev, 0.5)).max(2.0);
        let direction = if row.median_days > centre + width {
            "slower"
        } else if row.median_days < centre - width {
            "faster"
        } else {
            continue;
        };
        let period_end = next(period, row.period);
        let window_start = row.period - chrono::Days::new(7);
        let gap = gaps.iter().find(|(_, end)| *end >= window_start && *end < period_end);
        let (cause, detail) = match gap {
            Some((from, to)) => (
                "scraping gap",
                format!(
                    "no records from {} to {} ({} days), then a catch-up",
                    from.succ_opt().unwrap_or(*from),
                    to.pred_opt().unwrap_or(*to),
                    (*to - *from).num_days() - 1
                ),
            ),
            None => (
                "lag change",
                format!(
                    "median {:.1} days against a usual {:.1} ± {:.1}",
                    row.median_days, centre, width
                ),
            ),
        };
        out.push(LagAlert {
            period: row.period,
            median_days: row.median_days,
            baseline_days: centre,
            direction,
            cause,
            detail,
        });
    }
    out
}

/// The first day of the period after the one starting on `start`.
pub fn next(period: Period, start: NaiveDate) -> NaiveDate {
    match period {
        Period::Day => start.succ_opt().unwrap_or(start),
        Period::Week => start + chrono::Days::new(7),
        Period::Month => start.checked_add_months(chrono::Months::new(1)).unwrap_or(start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert!((quantile(&v, 0.9) - 3.7).abs() < 1e-12);
    }
}
