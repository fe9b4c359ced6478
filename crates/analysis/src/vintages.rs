//! Vintages of a count series: breaks between them, and the backfill of
//! each period from vintage to vintage (docs/personnel.md).

use chrono::{Duration, NaiveDate};
use frontline_model::{CountStatus, PeriodCount, Vintage};
use serde::Serialize;
use std::collections::BTreeMap;

/// Periods that ended this long before a vintage count as settled: their
/// counts should only grow from then on.
pub const SETTLED_DAYS: i64 = 60;
/// A settled total falling below this share of the previous vintage's is a
/// break in the list's method, not a correction.
pub const BREAK_SHARE: f64 = 0.90;
/// Below this many, a fall is noise, not a break.
pub const BREAK_MIN: u64 = 100;
/// A settled period whose count falls by more than this share has been
/// re-dated or re-counted…
pub const FALL_SHARE: f64 = 0.10;
/// …and this many such periods are a break even when the totals hold
/// (counts moved between periods).
pub const FALLS_MAX: usize = 10;

/// Why `next` cannot be compared with `previous`, if it cannot: for a
/// status both give, the settled periods' total fell below
/// [`BREAK_SHARE`] of the previous vintage's, or more than [`FALLS_MAX`]
/// settled periods fell by more than [`FALL_SHARE`] each.
pub fn find_break(previous: &Vintage, next: &Vintage) -> Option<String> {
    let g = previous.series.granularity;
    let settled = |p: &PeriodCount| g.last_day(p.period) <= previous.vintage - Duration::days(SETTLED_DAYS);
    let key = |p: &PeriodCount| (p.period, p.status);
    let new: BTreeMap<_, u64> = next.counts.iter().map(|p| (key(p), p.count)).collect();
    for status in [CountStatus::Killed, CountStatus::Missing] {
        let (mut before, mut after, mut periods) = (0u64, 0u64, 0usize);
        let mut falls = Vec::new();
        for p in previous.counts.iter().filter(|p| p.status == status && settled(p)) {
            if let Some(n) = new.get(&key(p)) {
                before += p.count;
                after += n;
                periods += 1;
                if p.count >= 10 && (*n as f64) < (1.0 - FALL_SHARE) * p.count as f64 {
                    falls.push(format!("{} {} → {n}", g.key(p.period), p.count));
                }
            }
        }
        if falls.len() > FALLS_MAX {
            return Some(format!(
                "{} settled periods lost more than {:.0} % of their {} in the vintage of {} (e.g. {}): the list re-dated or \
                 re-counted them",
                falls.len(),
                FALL_SHARE * 100.0,
                status.as_str(),
                next.vintage,
                falls.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if before >= BREAK_MIN && (after as f64) < BREAK_SHARE * before as f64 {
            return Some(format!(
                "the {periods} periods that had settled by {} count {after} {} in the vintage of {} against {before} in \
                 that of {} ({:+.0} %): the list changed its method",
                previous.vintage - Duration::days(SETTLED_DAYS),
                status.as_str(),
                next.vintage,
                previous.vintage,
                (after as f64 / before as f64 - 1.0) * 100.0
            ));
        }
    }
    None
}

/// A later vintage, at least this many days on, that changes no period of
/// the previous one but its last is a stale copy, not a new reading.
pub const STALE_DAYS: i64 = 14;

/// Why `next` looks like a stale copy of `previous`, if it does.
pub fn find_stale(previous: &Vintage, next: &Vintage) -> Option<String> {
    if next.vintage - previous.vintage < Duration::days(STALE_DAYS) {
        return None;
    }
    let last = previous.counts.iter().map(|p| p.period).max()?;
    let new: BTreeMap<_, u64> = next.counts.iter().map(|p| ((p.period, p.status), p.count)).collect();
    let unchanged = previous
        .counts
        .iter()
        .filter(|p| p.period < last)
        .all(|p| new.get(&(p.period, p.status)) == Some(&p.count));
    unchanged.then(|| {
        format!(
            "{} days after the vintage of {}, the vintage of {} changes none of its periods but the last: a stale copy?",
            (next.vintage - previous.vintage).num_days(),
            previous.vintage,
            next.vintage
        )
    })
}

/// One period in one vintage, and what changed since the vintage before.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BackfillRow {
    /// The period's first day.
    pub period: NaiveDate,
    /// Its key (`2025-07`, `2025-W29`).
    pub key: String,
    /// The vintage.
    pub vintage: NaiveDate,
    /// Confirmed dead in this vintage.
    pub killed: u64,
    /// Missing in this vintage (none when the list keeps no missing).
    pub missing: Option<u64>,
    /// Killed plus missing.
    pub total: u64,
    /// Killed added since the previous vintage.
    pub killed_change: Option<i64>,
    /// Missing added (or, negative, resolved) since the previous vintage.
    pub missing_change: Option<i64>,
    /// The part of the new killed that the missing can account for: the
    /// smaller of killed added and missing resolved (a lower bound of the
    /// flow from missing to killed; named lists do not link the records).
    pub moved_to_killed: Option<u64>,
    /// Missing as a share of the total.
    pub share_missing: Option<f64>,
    /// Killed in this vintage as a share of killed in the latest.
    pub share_of_latest: Option<f64>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Every period of every vintage, oldest vintage first within a period.
pub fn backfill(vintages: &[Vintage]) -> Vec<BackfillRow> {
    let mut by: BTreeMap<NaiveDate, Vec<(NaiveDate, u64, Option<u64>)>> = BTreeMap::new();
    for v in vintages {
        let mut cells: BTreeMap<NaiveDate, (u64, Option<u64>)> = BTreeMap::new();
        for p in &v.counts {
            let e = cells.entry(p.period).or_default();
            match p.status {
                CountStatus::Killed => e.0 = p.count,
                CountStatus::Missing => e.1 = Some(p.count),
            }
        }
        for (period, (k, m)) in cells {
            by.entry(period).or_default().push((v.vintage, k, m));
        }
    }
    let g = vintages.first().map(|v| v.series.granularity);
    let mut out = Vec::new();
    for (period, mut cells) in by {
        cells.sort_by_key(|c| c.0);
        let latest = cells.last().map(|c| c.1);
        let mut prev: Option<(u64, Option<u64>)> = None;
        for (vintage, killed, missing) in cells {
            let total = killed + missing.unwrap_or(0);
            let killed_change = prev.map(|(k, _)| killed as i64 - k as i64);
            let missing_change = match (prev, missing) {
                (Some((_, Some(m0))), Some(m)) => Some(m as i64 - m0 as i64),
                _ => None,
            };
            let moved_to_killed = match (killed_change, missing_change) {
                (Some(k), Some(m)) => Some(k.max(0).min((-m).max(0)) as u64),
                _ => None,
            };
            out.push(BackfillRow {
                period,
                key: g.map(|g| g.key(period)).unwrap_or_default(),
                vintage,
                killed,
                missing,
                total,
                killed_change,
                missing_change,
                moved_to_killed,
                share_missing: missing.filter(|_| total > 0).map(|m| round4(m as f64 / total as f64)),
                share_of_latest: latest.filter(|l| *l > 0).map(|l| round4(killed as f64 / l as f64)),
            });
            prev = Some((killed, missing));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::{CountSeries, Granularity};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn v(day: &str, rows: &[(&str, u64, u64)]) -> Vintage {
        Vintage {
            series: CountSeries {
                subject: "Ukraine".into(),
                source: "ualosses".into(),
                granularity: Granularity::Month,
                edition: 1,
            },
            vintage: d(day),
            counts: rows
                .iter()
                .flat_map(|(p, k, m)| {
                    [
                        PeriodCount {
                            period: d(p),
                            status: CountStatus::Killed,
                            count: *k,
                        },
                        PeriodCount {
                            period: d(p),
                            status: CountStatus::Missing,
                            count: *m,
                        },
                    ]
                })
                .collect(),
        }
    }

    #[test]
    fn backfill_shows_growth_and_the_flow_from_missing() {
        let rows = backfill(&[
            v("2025-08-21", &[("2025-07-01", 718, 3063)]),
            v("2025-10-28", &[("2025-07-01", 1234, 2900)]),
        ]);
        let r = &rows[1];
        assert_eq!(
            (r.key.as_str(), r.killed_change, r.missing_change, r.moved_to_killed),
            ("2025-07", Some(516), Some(-163), Some(163))
        );
        assert_eq!(rows[0].share_of_latest, Some(0.5818));
    }

    #[test]
    fn a_fall_in_settled_periods_is_a_break() {
        let before = v("2025-10-28", &[("2024-06-01", 1774, 2299), ("2025-09-01", 50, 300)]);
        // The missing dropped to zero for a settled month: a break.
        let after = v("2025-11-08", &[("2024-06-01", 1740, 0), ("2025-09-01", 60, 0)]);
        let why = find_break(&before, &after).unwrap();
        assert!(why.contains("count 0 missing"), "{why}");
        // Growth, or a small correction, is not.
        let grown = v("2025-11-08", &[("2024-06-01", 1760, 2290), ("2025-09-01", 10, 0)]);
        assert_eq!(find_break(&before, &grown), None);
    }
}

/// Periods up to this old are nowcast.
pub const FINAL_AGE_DAYS: i64 = 365;
/// At most this many learned growth ratios, of the periods nearest in age
/// (within half a step), make one step's distribution.
const NEIGHBOURS: usize = 5;
/// Bootstrap draws for the interval.
const DRAWS: usize = 1000;

/// The expected count of a recent period once its reports are in.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CountNowcast {
    /// The period's first day.
    pub period: NaiveDate,
    /// Its key.
    pub key: String,
    /// Days from the period's end to the vintage.
    pub age_days: i64,
    /// Killed in the vintage.
    pub observed: u64,
    /// Expected killed `horizon_days` later (median of the draws).
    pub expected: f64,
    /// 5th percentile.
    pub low: f64,
    /// 95th percentile.
    pub high: f64,
    /// How far ahead.
    pub horizon_days: i64,
    /// How far to trust it: the backtest on the same vintages, or why
    /// there is none.
    pub caution: String,
}

/// Growth ratios learned from two vintages: per period, its age at the
/// first and the ratio of its killed count in the second to the first.
#[derive(Debug, Clone)]
pub struct Growth {
    /// Days between the two vintages.
    pub step_days: i64,
    /// (age at the first vintage, ratio), by age.
    pub ratios: Vec<(i64, f64)>,
}

/// Learns how killed counts grew from `from` to `to`, by the period's age
/// at `from` (periods with at least 5 killed then).
pub fn learn(from: &Vintage, to: &Vintage) -> Growth {
    let g = from.series.granularity;
    let later: BTreeMap<NaiveDate, u64> = killed(to);
    let mut ratios: Vec<(i64, f64)> = killed(from)
        .into_iter()
        .filter(|(_, c)| *c >= 5)
        .filter_map(|(p, c)| {
            let age = (from.vintage - g.last_day(p)).num_days();
            (age >= 0).then(|| later.get(&p).map(|l| (age, *l as f64 / c as f64)))?
        })
        .collect();
    ratios.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Growth {
        step_days: (to.vintage - from.vintage).num_days().max(1),
        ratios,
    }
}

fn killed(v: &Vintage) -> BTreeMap<NaiveDate, u64> {
    v.counts
        .iter()
        .filter(|c| c.status == CountStatus::Killed)
        .map(|c| (c.period, c.count))
        .collect()
}

impl Growth {
    /// The learned ratios of the periods nearest in age to `age`; none
    /// past the oldest learned age (a period that old grows no more).
    fn near(&self, age: i64) -> Vec<f64> {
        let oldest = self.ratios.last().map_or(0, |r| r.0);
        if age > oldest || self.ratios.is_empty() {
            return vec![1.0];
        }
        // Those within half a step of the age (at most NEIGHBOURS, the
        // nearest), else the nearest one.
        let mut by: Vec<&(i64, f64)> = self.ratios.iter().collect();
        by.sort_by_key(|r| (r.0 - age).abs());
        let close: Vec<f64> = by
            .iter()
            .filter(|r| (r.0 - age).abs() <= self.step_days / 2)
            .take(NEIGHBOURS)
            .map(|r| r.1)
            .collect();
        if close.is_empty() { vec![by[0].1] } else { close }
    }
}

/// Nowcasts each period of `now` younger than [`FINAL_AGE_DAYS`]: its
/// killed count is grown step by step (each step the learned interval
/// between two vintages, the last one a fraction) by a ratio drawn from
/// the periods that were of that age when learned; the draws' median and
/// 5th–95th percentiles. `horizon_days` is how far ahead; by default one
/// learned step, as far as the data reach without compounding.
pub fn nowcast(growth: &Growth, now: &Vintage, horizon_days: Option<i64>) -> Vec<CountNowcast> {
    let g = now.series.granularity;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut draw = move |n: usize| {
        // A fixed-seed xorshift: the same answer every run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let mut out = Vec::new();
    for (p, observed) in killed(now) {
        let age = (now.vintage - g.last_day(p)).num_days();
        if !(0..FINAL_AGE_DAYS).contains(&age) {
            continue;
        }
        let horizon = horizon_days.unwrap_or(growth.step_days);
        let steps = horizon as f64 / growth.step_days as f64;
        let mut finals: Vec<f64> = (0..DRAWS)
            .map(|_| {
                let mut x = observed as f64;
                let mut done = 0.0;
                let mut a = age;
                while done < steps {
                    let part = (steps - done).min(1.0);
                    let choices = growth.near(a);
                    x *= choices[draw(choices.len())].powf(part);
                    done += part;
                    a += growth.step_days;
                }
                x
            })
            .collect();
        finals.sort_by(f64::total_cmp);
        let q = |p: f64| (crate::evidence::lag::quantile(&finals, p) * 10.0).round() / 10.0;
        out.push(CountNowcast {
            period: p,
            key: g.key(p),
            age_days: age,
            observed,
            expected: q(0.5),
            low: q(0.05),
            high: q(0.95),
            horizon_days: horizon,
            caution: String::new(),
        });
    }
    out
}

/// How a nowcast made at one vintage compared with a later one.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CountBacktest {
    /// The vintages learned from.
    pub learned: String,
    /// The vintage nowcast from.
    pub nowcast_at: NaiveDate,
    /// The vintage it is scored against.
    pub scored_at: NaiveDate,
    /// Periods scored (younger than a year at `nowcast_at`).
    pub periods: usize,
    /// Mean absolute error of the nowcast.
    pub mae: f64,
    /// Mean absolute error of taking the counts as they stood.
    pub naive_mae: f64,
    /// `mae / naive_mae`.
    pub ratio: f64,
    /// Share of the scored counts inside the 90 % interval.
    pub coverage: f64,
}

/// Every three consecutive vintages a, b, c: learn from a → b, nowcast at
/// b for c's day, score against c.
pub fn backtest(vintages: &[Vintage]) -> Vec<CountBacktest> {
    vintages
        .windows(3)
        .map(|w| {
            let (a, b, c) = (&w[0], &w[1], &w[2]);
            let growth = learn(a, b);
            let horizon = (c.vintage - b.vintage).num_days();
            let truth = killed(c);
            let (mut n, mut err, mut naive, mut inside) = (0usize, 0.0, 0.0, 0usize);
            for row in nowcast(&growth, b, Some(horizon)) {
                let Some(t) = truth.get(&row.period).map(|t| *t as f64) else {
                    continue;
                };
                n += 1;
                err += (row.expected - t).abs();
                naive += (row.observed as f64 - t).abs();
                inside += usize::from(row.low <= t && t <= row.high);
            }
            let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
            let (mae, naive_mae) = (err / n.max(1) as f64, naive / n.max(1) as f64);
            CountBacktest {
                learned: format!("{} → {}", a.vintage, b.vintage),
                nowcast_at: b.vintage,
                scored_at: c.vintage,
                periods: n,
                mae: r3(mae),
                naive_mae: r3(naive_mae),
                ratio: r3(if naive_mae > 0.0 { mae / naive_mae } else { f64::NAN }),
                coverage: r3(inside as f64 / n.max(1) as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod nowcast_tests {
    use super::*;
    use frontline_model::{CountSeries, Granularity};

    fn month(day: &str, rows: &[(&str, u64)]) -> Vintage {
        Vintage {
            series: CountSeries {
                subject: "X".into(),
                source: "l".into(),
                granularity: Granularity::Month,
                edition: 1,
            },
            vintage: day.parse().unwrap(),
            counts: rows
                .iter()
                .map(|(p, k)| PeriodCount {
                    period: p.parse().unwrap(),
                    status: CountStatus::Killed,
                    count: *k,
                })
                .collect(),
        }
    }

    /// Counts that double in their first month after the period and stay:
    /// the nowcast of a fresh month is twice its count, an old month's is
    /// its count.
    #[test]
    fn growth_learned_is_growth_applied() {
        let a = month(
            "2025-03-01",
            &[("2024-12-01", 100), ("2025-01-01", 100), ("2025-02-01", 50)],
        );
        let b = month(
            "2025-04-01",
            &[
                ("2024-12-01", 100),
                ("2025-01-01", 100),
                ("2025-02-01", 100),
                ("2025-03-01", 40),
            ],
        );
        let growth = learn(&a, &b);
        assert_eq!(growth.step_days, 31);
        let rows = nowcast(&growth, &b, None);
        let by: BTreeMap<String, (u64, f64)> = rows.iter().map(|r| (r.key.clone(), (r.observed, r.expected))).collect();
        // March ended 1 day before: like February when learned (1 day), ×2.
        assert_eq!(by["2025-03"], (40, 80.0));
        // February is 29 days old: like January then (28 days), ×1.
        assert_eq!(by["2025-02"], (100, 100.0));
    }
}
