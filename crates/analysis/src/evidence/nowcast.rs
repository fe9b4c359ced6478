//! Nowcasts of recent counts that evidence has not yet caught up with, and
//! their backtest.
//!
//! Method: a reporting triangle (rows = event period, columns = periods until
//! publication, cumulative counts as known on the as-of date) completed by the
//! chain ladder (volume-weighted development factors), with Mack's (1993)
//! standard error of each row's outstanding count. The outstanding count is
//! drawn as negative-binomial with that mean and variance (Poisson when the
//! variance is not above the mean; a normal approximation above 50 expected
//! items), which gives the 90 % prediction interval. Delays beyond
//! `max_delay` periods are folded into the last column.

use super::chain_ladder::{ChainLadder, Triangle};
use super::lag::next;
use crate::Period;
use chrono::{Datelike, NaiveDate};
use frontline_model::EvidenceItem;
use serde::Serialize;
use std::collections::HashMap;

/// Choices for [`nowcast`].
#[derive(Debug, Clone, Copy)]
pub struct NowcastOptions {
    /// Week or month.
    pub period: Period,
    /// The day the nowcast is made: evidence published later is unknown.
    pub as_of: NaiveDate,
    /// Longest delay tracked, in periods (longer ones join the last column).
    pub max_delay: usize,
    /// Fully developed rows used to estimate the factors.
    pub history: usize,
    /// Recent periods reported.
    pub recent: usize,
}

impl NowcastOptions {
    /// Defaults for a period: 26 weeks or 6 months of delay, a year of history.
    pub fn new(period: Period, as_of: NaiveDate) -> Self {
        let (max_delay, history) = match period {
            Period::Month => (6, 12),
            Period::Week => (26, 52),
            Period::Day => (120, 365),
        };
        NowcastOptions {
            period,
            as_of,
            max_delay,
            history,
            recent: 8,
        }
    }
}

/// One nowcast period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NowcastRow {
    /// First day of the event period.
    pub period: NaiveDate,
    /// Items with an event in the period published by the as-of date.
    pub observed: u64,
    /// Count expected once all evidence is in.
    pub estimate: f64,
    /// 5 % bound.
    pub lower: f64,
    /// 95 % bound.
    pub upper: f64,
}

/// Days-from-CE of Mondays modulo 7 (2024-01-01 was a Monday).
fn monday_offset() -> i32 {
    NaiveDate::from_ymd_opt(2024, 1, 1).map_or(0, |d| d.num_days_from_ce().rem_euclid(7))
}

fn index(period: Period, d: NaiveDate) -> i64 {
    match period {
        Period::Day => i64::from(d.num_days_from_ce()),
        Period::Week => i64::from(period.start(d).num_days_from_ce() - monday_offset()) / 7,
        Period::Month => i64::from(d.year()) * 12 + i64::from(d.month0()),
    }
}

fn start_of(period: Period, idx: i64) -> NaiveDate {
    match period {
        Period::Day => NaiveDate::from_num_days_from_ce_opt(idx as i32).unwrap_or_default(),
        Period::Week => NaiveDate::from_num_days_from_ce_opt((idx * 7) as i32 + monday_offset()).unwrap_or_default(),
        Period::Month => {
            NaiveDate::from_ymd_opt(idx.div_euclid(12) as i32, idx.rem_euclid(12) as u32 + 1, 1).unwrap_or_default()
        }
    }
}

/// Nowcasts the most recent event periods.
pub fn nowcast(items: &[EvidenceItem], o: &NowcastOptions) -> Vec<NowcastRow> {
    let now = index(o.period, o.as_of);
    let d = o.max_delay;
    let first = now - (o.history + d) as i64 + 1;
    let width = d + 1;
    let mut counts: HashMap<i64, Vec<f64>> = HashMap::new();
    for it in items {
        let (Some(e), Some(p)) = (it.dates.event, it.dates.published) else {
            continue;
        };
        if p > o.as_of || e > p {
            continue;
        }
        let origin = index(o.period, e);
        if origin < first {
            continue;
        }
        let delay = ((index(o.period, p) - origin).max(0) as usize).min(d);
        counts.entry(origin).or_insert_with(|| vec![0.0; width])[delay] += f64::from(it.count);
    }
    let origins: Vec<i64> = (first..=now).collect();
    let rows: Vec<Vec<f64>> = origins
        .iter()
        .map(|o| {
            let c = counts.get(o).cloned().unwrap_or_else(|| vec![0.0; width]);
            let observed = ((now - o) as usize).min(d);
            let mut acc = 0.0;
            c[..=observed]
                .iter()
                .map(|x| {
                    acc += x;
                    acc
                })
                .collect()
        })
        .collect();
    let cl = ChainLadder::fit(&Triangle { rows, width });
    let n = origins.len();
    (n.saturating_sub(o.recent)..n)
        .map(|i| {
            let observed = cl.latest[i];
            let mean = (cl.ultimate[i] - observed).max(0.0);
            let var = cl.se[i] * cl.se[i];
            NowcastRow {
                period: start_of(o.period, origins[i]),
                observed: observed as u64,
                estimate: cl.ultimate[i].max(observed),
                lower: observed + outstanding_quantile(mean, var, 0.05),
                upper: observed + outstanding_quantile(mean, var, 0.95),
            }
        })
        .collect()
}

/// The `q` quantile of the outstanding count (see the module docs).
pub fn outstanding_quantile(mean: f64, var: f64, q: f64) -> f64 {
    if mean < 1e-9 {
        return 0.0;
    }
    let var = if var.is_finite() { var.max(mean) } else { mean };
    if mean > 50.0 {
        let z = if q < 0.5 {
            -1.644_853_626_951_472
        } else {
            1.644_853_626_951_472
        };
        return (mean + z * var.sqrt()).max(0.0).round();
    }
    let (mut pmf, ratio): (f64, Box<dyn Fn(f64) -> f64>) = if var <= mean * (1.0 + 1e-9) {
        ((-mean).exp(), Box::new(move |k: f64| mean / (k + 1.0)))
    } else {
        let r = mean * mean / (var - mean);
        let p = r / (r + mean);
        (p.powf(r), Box::new(move |k: f64| (k + r) / (k + 1.0) * (1.0 - p)))
    };
    let mut cdf = pmf;
    let mut k = 0.0;
    while cdf < q && k < 100_000.0 {
        pmf *= ratio(k);
        k += 1.0;
        cdf += pmf;
    }
    k
}

/// How nowcasts made in the past compare with the counts finally reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// Mean absolute error of the nowcast estimate.
    pub nowcast_mae: f64,
    /// Mean absolute error of the count as known then.
    pub naive_mae: f64,
    /// Share of final counts inside the 90 % interval.
    pub coverage: f64,
    /// Nowcast periods compared.
    pub n: usize,
}

/// Replays history: for every period from `from` to `to`, nowcasts the
/// `recent` latest event periods as known at that period's end and compares
/// with the counts known today (the latest data).
pub fn backtest(items: &[EvidenceItem], period: Period, from: NaiveDate, to: NaiveDate, recent: usize) -> Backtest {
    let mut finals: HashMap<NaiveDate, f64> = HashMap::new();
    for it in items {
        if let (Some(e), Some(_)) = (it.dates.event, it.dates.published) {
            *finals.entry(period.start(e)).or_default() += f64::from(it.count);
        }
    }
    let mut as_of_starts = Vec::new();
    let mut s = period.start(from);
    while s <= to {
        as_of_starts.push(s);
        s = next(period, s);
    }
    let results: Vec<Vec<(f64, NowcastRow)>> = {
        use rayon::prelude::*;
        as_of_starts
            .par_iter()
            .map(|start| {
                let as_of = next(period, *start).pred_opt().unwrap_or(*start);
                let mut o = NowcastOptions::new(period, as_of);
                o.recent = recent;
                nowcast(items, &o)
                    .into_iter()
                    .map(|r| (finals.get(&r.period).copied().unwrap_or(0.0), r))
                    .collect()
            })
            .collect()
    };
    let pairs: Vec<(f64, NowcastRow)> = results.into_iter().flatten().collect();
    let n = pairs.len();
    if n == 0 {
        return Backtest {
            nowcast_mae: f64::NAN,
            naive_mae: f64::NAN,
            coverage: f64::NAN,
            n,
        };
    }
    let nf = n as f64;
    Backtest {
        nowcast_mae: pairs.iter().map(|(f, r)| (r.estimate - f).abs()).sum::<f64>() / nf,
        naive_mae: pairs.iter().map(|(f, r)| (r.observed as f64 - f).abs()).sum::<f64>() / nf,
        coverage: pairs.iter().filter(|(f, r)| *f >= r.lower && *f <= r.upper).count() as f64 / nf,
        n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_bracket_the_mean() {
        for (mean, var) in [(5.0, 5.0), (5.0, 20.0), (40.0, 90.0), (400.0, 900.0)] {
            let (lo, hi) = (
                outstanding_quantile(mean, var, 0.05),
                outstanding_quantile(mean, var, 0.95),
            );
            assert!(lo <= mean && mean <= hi, "{mean} {var}: {lo}..{hi}");
        }
        assert_eq!(outstanding_quantile(0.0, 0.0, 0.95), 0.0);
        // Poisson(5): P(X ≤ 9) = 0.968 is the first ≥ 0.95.
        assert_eq!(outstanding_quantile(5.0, 5.0, 0.95), 9.0);
    }

    #[test]
    fn periods_round_trip() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 14).unwrap();
        for p in [Period::Week, Period::Month] {
            assert_eq!(start_of(p, index(p, d)), p.start(d));
        }
    }
}
