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
    /// 25th percentile lag, days.
    pub p25_days: f64,
    /// 75th percentile lag, days.
    pub p75_days: f64,
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

/// The `q` quantile of the lag (days) of the items published from `from`
/// to `to`, and how many items it is of (each counted as many times as it
/// stands for); `None` when no item has both dates there.
pub fn lag_quantile(items: &[EvidenceItem], from: NaiveDate, to: NaiveDate, q: f64) -> Option<(f64, usize)> {
    let mut v: Vec<f64> = Vec::new();
    for it in items {
        if let (Some(e), Some(p)) = (it.dates.event, it.dates.published)
            && p >= from
            && p <= to
            && p >= e
        {
            v.extend(std::iter::repeat_n((p - e).num_days() as f64, it.count as usize));
        }
    }
    v.sort_by(f64::total_cmp);
    (!v.is_empty()).then(|| (quantile(&v, q), v.len()))
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
                p25_days: quantile(&v, 0.25),
                p75_days: quantile(&v, 0.75),
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
    /// `lag change`; `scraping gap` when a collection gap explains it;
    /// `burst of events` when many more items than usual, reported fresh,
    /// shorten the median.
    pub cause: &'static str,
    /// In words: "reports usually arrive 14–21 days after the event
    /// (median 17), this week the median is 3: …".
    pub detail: String,
    /// Items in the period.
    pub n: usize,
    /// The usual number: median of the baseline periods'.
    pub usual_n: f64,
    /// The usual range: medians of the baseline periods' 25th and 75th
    /// percentiles, days.
    pub usual_low_days: f64,
    /// See `usual_low_days`.
    pub usual_high_days: f64,
}

/// Periods before a period that form its baseline.
const BASELINE: usize = 8;

/// A period with this many times the usual items is a burst of events.
pub const BURST: f64 = 2.0;

/// Flags periods of at least 10 items whose median lag is outside the
/// baseline's (the up to 8 periods before, of 10 items or more) median
/// of medians ± 3 scaled MADs (at least ± 2 days), and tells a real change
/// from a collection gap and from a burst: if the publication dates show
/// [`GAP_DAYS`] or more without any record, ending in or just before the
/// period, the catch-up after the gap inflates lags without anything
/// having changed in reporting; if a faster period has [`BURST`] times the
/// usual items, a burst of fresh events reported at once shortens the
/// median. The words give the usual range (the baseline's middle half).
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
        let baseline: Vec<&LagRow> = rows[i.saturating_sub(BASELINE)..i]
            .iter()
            .filter(|r| r.n >= 10)
            .collect();
        let middle = |f: fn(&LagRow) -> f64| {
            let mut v: Vec<f64> = baseline.iter().map(|r| f(r)).collect();
            v.sort_by(f64::total_cmp);
            quantile(&v, 0.5)
        };
        let (usual_low, usual_high) = (middle(|r| r.p25_days), middle(|r| r.p75_days));
        let usual_n = middle(|r| r.n as f64);
        let mut base: Vec<f64> = baseline.iter().map(|r| r.median_days).collect();
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
        let unit = match period {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        };
        let usual = format!(
            "reports usually arrive {:.0}–{:.0} days after the event (median {:.0}), this {unit} the median is {:.0}",
            usual_low, usual_high, centre, row.median_days
        );
        let (cause, detail) = match gap {
            Some((from, to)) => (
                "scraping gap",
                format!(
                    "{usual}: no records from {} to {} ({} days), then a catch-up — the collection paused, reporting did not change",
                    from.succ_opt().unwrap_or(*from),
                    to.pred_opt().unwrap_or(*to),
                    (*to - *from).num_days() - 1
                ),
            ),
            None if direction == "faster" && row.n as f64 >= BURST * usual_n => (
                "burst of events",
                format!(
                    "{usual}: {} items against a usual {:.0} — many fresh events reported at once shorten the median; \
                     reporting need not have sped up",
                    row.n, usual_n
                ),
            ),
            None => (
                "lag change",
                format!(
                    "{usual}: reports arrive {direction} than usual (the median left {centre:.1} ± {width:.1} days)"
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
            n: row.n,
            usual_n,
            usual_low_days: usual_low,
            usual_high_days: usual_high,
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

    use chrono::{Duration, Utc};
    use frontline_model::{EvidenceDates, LossStatus};

    fn item(event: NaiveDate, lag: i64) -> EvidenceItem {
        EvidenceItem {
            source: "mia".into(),
            key: format!("{event}-{lag}"),
            side: "ukraine".into(),
            category: "personnel".into(),
            model: String::new(),
            status: LossStatus::Missing,
            count: 1,
            dates: EvidenceDates::new(Some(event), Some(event + Duration::days(lag)), Utc::now()),
            location: None,
            proof_urls: Vec::new(),
        }
    }

    #[test]
    fn a_lag_quantile_counts_the_items_published_in_the_period() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Published 1 (on the first day), 2, 5, 9, 10 (on the last day) and
        // 30 days after the event; the last one in October.
        let items = [
            item(d("2024-08-31"), 1),
            item(d("2024-09-01"), 2),
            item(d("2024-09-10"), 5),
            item(d("2024-09-20"), 9),
            item(d("2024-09-20"), 10),
            item(d("2024-09-25"), 30),
        ];
        let (from, to) = (d("2024-09-01"), d("2024-09-30"));
        assert_eq!(lag_quantile(&items, from, to, 0.5), Some((5.0, 5)));
        assert_eq!(lag_quantile(&items, from, to, 1.0), Some((10.0, 5)));
        assert_eq!(lag_quantile(&items, from, to, 0.0), Some((1.0, 5)));
        assert_eq!(lag_quantile(&items, from, d("2024-10-31"), 0.5), Some((7.0, 6)));
        assert_eq!(lag_quantile(&items, d("2025-01-01"), d("2025-01-31"), 0.5), None);
    }

    /// Ten weeks of 20 reports published 14–21 days after the event, then a
    /// week of 20 published after 3 days (a lag change), or of 60 (a burst).
    fn weeks(last: usize) -> Vec<EvidenceItem> {
        let monday = NaiveDate::from_ymd_opt(2024, 11, 4).unwrap();
        let mut items = Vec::new();
        for w in 0..10 {
            for k in 0..20 {
                let lag = 14 + k % 8;
                items.push(item(
                    monday + Duration::weeks(w) - Duration::days(lag) + Duration::days(k % 5),
                    lag,
                ));
            }
        }
        for k in 0..last {
            items.push(item(
                monday + Duration::weeks(10) - Duration::days(3) + Duration::days((k % 5) as i64),
                3,
            ));
        }
        items
    }

    #[test]
    fn a_lag_shift_is_told_in_words_and_apart_from_a_burst() {
        let items = weeks(20);
        let rows = lag_by_period(&items, Period::Week);
        let alerts = lag_alerts(&items, Period::Week, &rows);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        let a = &alerts[0];
        assert_eq!((a.cause, a.direction), ("lag change", "faster"));
        assert!(
            a.detail.starts_with(
                "reports usually arrive 15–19 days after the event (median 17), this week the median is 3: reports arrive faster"
            ),
            "{}",
            a.detail
        );
        let items = weeks(60);
        let rows = lag_by_period(&items, Period::Week);
        let a = &lag_alerts(&items, Period::Week, &rows)[0];
        assert_eq!((a.cause, a.n, a.usual_n), ("burst of events", 60, 20.0));
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert!((quantile(&v, 0.9) - 3.7).abs() < 1e-12);
    }
}
