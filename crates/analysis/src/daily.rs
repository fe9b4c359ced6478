//! Daily values from a cumulative tally, with reporting artefacts flagged.
//!
//! A cumulative tally's daily value is the change from the previous day, less
//! any correction the claimant folded into that day's figure. Real reporting
//! leaves artefacts that this module makes visible rather than hiding:
//!
//! * a day with no report at all (`missing`), or one whose figure did not move
//!   in a category that moves nearly every day (`stale`), followed by a jump
//!   that carries the backlog (`catchup`);
//! * a fall in the cumulative figure not explained by a published correction
//!   (`negative`), and days that include a published correction
//!   (`correction`);
//! * the first day of a series that continues merged categories (`merge`),
//!   whose value is measured from the sum of the absorbed categories.
//!
//! The first figure of a series that continues nothing is a baseline, not a
//! day's losses, so it yields no daily value.

use chrono::NaiveDate;
use frontline_model::TallySeries;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Share of days with a change above which a zero-change day is taken for a
/// stale report rather than a quiet day. Personnel moves every day; aircraft
/// rarely do, and a quiet day there is real.
const BUSY_SHARE: f64 = 0.9;

/// A reporting artefact on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flag {
    /// No report for this day.
    Missing,
    /// The figure did not move in a category that almost always moves.
    Stale,
    /// The first change after missing or stale days: it carries their backlog.
    Catchup,
    /// The figure includes a published one-off correction.
    Correction,
    /// The daily value is negative and no correction explains it.
    Negative,
    /// First day of a series continuing merged categories.
    Merge,
}

impl Flag {
    /// The stable name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Missing => "missing",
            Flag::Stale => "stale",
            Flag::Catchup => "catchup",
            Flag::Correction => "correction",
            Flag::Negative => "negative",
            Flag::Merge => "merge",
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One day of a derived series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyValue {
    /// The day.
    pub date: NaiveDate,
    /// Losses claimed for the day: change of the cumulative figure less any
    /// correction (spread over stale days when asked).
    pub value: i64,
    /// The cumulative figure that day (carried forward on missing days).
    pub cumulative: i64,
    /// The published correction folded into the day's figure.
    pub correction: i64,
    /// Artefacts on this day.
    pub flags: Vec<Flag>,
}

impl DailyValue {
    /// True when the day carries `flag`.
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    /// Flags joined by `+`, empty when none: the form used in tables and CSV.
    pub fn flags_text(&self) -> String {
        self.flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("+")
    }
}

/// Choices for [`derive_daily`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeriveOptions {
    /// Spread each catch-up jump evenly over itself and the missing or stale
    /// days before it, instead of leaving it on one day.
    pub spread_catchups: bool,
}

/// Derives one value per calendar day from the series' first figure (or its
/// merge day) to its last.
///
/// ```
/// use chrono::NaiveDate;
/// use frontline_analysis::{derive_daily, DeriveOptions};
/// use frontline_model::{Category, Claimant, SeriesKey, Subject, TallyPoint, TallySeries};
/// let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// let p = |s, c| TallyPoint { date: d(s), cumulative: c, qualifier: None };
/// let series = TallySeries {
///     key: SeriesKey { claimant: Claimant::new("gs"), subject: Subject::new("ru"), category: Category::new("tank") },
///     points: vec![p("2024-01-01", 100), p("2024-01-02", 104), p("2024-01-04", 110)],
///     corrections: vec![],
///     continues: None,
/// };
/// let days = derive_daily(&series, DeriveOptions::default());
/// let values: Vec<i64> = days.iter().map(|v| v.value).collect();
/// assert_eq!(values, [4, 0, 6]); // 2024-01-03 missing, 2024-01-04 catches up
/// ```
pub fn derive_daily(series: &TallySeries, opts: DeriveOptions) -> Vec<DailyValue> {
    let Some(first) = series.points.first() else {
        return Vec::new();
    };
    let corrections: HashMap<NaiveDate, i64> = series.corrections.iter().copied().collect();
    let busy = is_busy(series);
    let mut out: Vec<DailyValue> = Vec::with_capacity(series.points.len() * 2);
    // (previous cumulative, first daily point to emit)
    let (mut prev, rest) = match &series.continues {
        Some(c) => (c.baseline, &series.points[..]),
        None => (first.cumulative, &series.points[1..]),
    };
    let mut prev_date = match &series.continues {
        Some(_) => first.date.pred_opt().unwrap_or(first.date),
        None => first.date,
    };
    let mut backlog = 0usize; // missing or stale days since the last change
    for p in rest {
        let mut day = prev_date.succ_opt();
        while let Some(d) = day.filter(|d| *d < p.date) {
            out.push(DailyValue {
                date: d,
                value: 0,
                cumulative: prev,
                correction: 0,
                flags: vec![Flag::Missing],
            });
            backlog += 1;
            day = d.succ_opt();
        }
        let correction = corrections.get(&p.date).copied().unwrap_or(0);
        let value = p.cumulative - prev - correction;
        let mut flags = Vec::new();
        if series.continues.is_some() && out.is_empty() {
            flags.push(Flag::Merge);
        }
        if correction != 0 {
            flags.push(Flag::Correction);
        }
        if value < 0 {
            flags.push(Flag::Negative);
        }
        let mut value = value;
        if value == 0 && correction == 0 && busy {
            flags.push(Flag::Stale);
            backlog += 1;
        } else {
            if value > 0 && backlog > 0 {
                flags.push(Flag::Catchup);
                if opts.spread_catchups {
                    value = spread(&mut out, backlog, value);
                }
            }
            backlog = 0;
        }
        out.push(DailyValue {
            date: p.date,
            value,
            cumulative: p.cumulative,
            correction,
            flags,
        });
        prev = p.cumulative;
        prev_date = p.date;
    }
    out
}

/// Spreads a catch-up `jump` evenly over the last `backlog` days of `out`
/// and the catch-up day itself; returns the catch-up day's share. Integer
/// shares, remainder to the latest days, so the total is unchanged.
fn spread(out: &mut [DailyValue], backlog: usize, jump: i64) -> i64 {
    let n = backlog as i64 + 1;
    let (base, rem) = (jump / n, jump % n);
    let start = out.len() - backlog;
    for (i, day) in out[start..].iter_mut().enumerate() {
        let from_end = n - 1 - i as i64; // days before the catch-up day
        day.value = base + i64::from(from_end < rem);
    }
    base + i64::from(rem > 0)
}

/// Whether zero-change days are implausible in this series.
fn is_busy(series: &TallySeries) -> bool {
    let changes = series
        .points
        .windows(2)
        .filter(|w| w[1].cumulative != w[0].cumulative)
        .count();
    let pairs = series.points.len().saturating_sub(1);
    pairs > 0 && changes as f64 >= BUSY_SHARE * pairs as f64
}

/// Share of the previous cumulative figure beyond which a fall that no
/// published correction explains is refused rather than flagged. The
/// General Staff's largest fall in 2022-2026 is 2.2 % (special equipment,
/// 2024-11-30, which its correction file explains; read without that file
/// it must still import); its unexplained ones are a few units. A figure
/// that loses 5 % overnight is a typo or a glitch.
pub const MAX_UNEXPLAINED_FALL: f64 = 0.05;

/// A day whose cumulative figure falls by more than its correction explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fall {
    /// The day the figure falls.
    pub date: NaiveDate,
    /// The figure before it, and its day.
    pub before: (NaiveDate, i64),
    /// The day's figure.
    pub after: i64,
    /// The correction published for the day (0: none).
    pub correction: i64,
}

impl Fall {
    /// The part of the fall no (negative) correction explains.
    pub fn unexplained(&self) -> i64 {
        (self.before.1 - self.after + self.correction.min(0)).max(0)
    }

    /// Whether it is beyond [`MAX_UNEXPLAINED_FALL`] of the figure before.
    pub fn is_implausible(&self) -> bool {
        self.unexplained() as f64 > MAX_UNEXPLAINED_FALL * self.before.1.max(1) as f64
    }
}

/// Every day of `series` whose cumulative figure falls below the day
/// before by more than a published (negative) correction explains. A
/// figure that rises less than a positive correction is not a fall: the
/// `negative` flag of [`derive_daily`] shows it.
pub fn unexplained_falls(series: &TallySeries) -> Vec<Fall> {
    let corrections: HashMap<NaiveDate, i64> = series.corrections.iter().copied().collect();
    series
        .points
        .windows(2)
        .map(|w| Fall {
            date: w[1].date,
            before: (w[0].date, w[0].cumulative),
            after: w[1].cumulative,
            correction: corrections.get(&w[1].date).copied().unwrap_or(0),
        })
        .filter(|f| f.unexplained() > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_beyond_their_correction_are_found_and_judged() {
        use frontline_model::{Category, Claimant, SeriesKey, Subject, TallyPoint};
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = |s, c| TallyPoint {
            date: d(s),
            cumulative: c,
            qualifier: None,
        };
        let series = TallySeries {
            key: SeriesKey {
                claimant: Claimant::new("gs"),
                subject: Subject::new("ru"),
                category: Category::new("personnel"),
            },
            // The probe's typo (5,840 then 100), a rise smaller than its
            // correction (not a fall), a fall a correction explains, and a
            // General Staff-sized unexplained one.
            points: vec![
                p("2022-03-05", 5840),
                p("2022-03-06", 100),
                p("2022-03-07", 8900),
                p("2022-03-08", 8815),
                p("2022-03-09", 8812),
            ],
            corrections: vec![(d("2022-03-08"), -90), (d("2022-03-07"), 9000)],
            continues: None,
        };
        let falls = unexplained_falls(&series);
        assert_eq!(falls.len(), 2, "{falls:?}");
        assert_eq!((falls[0].date, falls[0].unexplained()), (d("2022-03-06"), 5740));
        assert!(falls[0].is_implausible());
        assert_eq!((falls[1].date, falls[1].unexplained()), (d("2022-03-09"), 3));
        assert!(!falls[1].is_implausible(), "3 of 8,815 is flagged, not refused");
    }
}
