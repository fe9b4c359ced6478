//! Nowcasts of recent counts that evidence has not yet caught up with, and
//! their backtest.
//!
//! Method: a reporting triangle (rows = event period, columns = periods until
//! publication, cumulative counts as known on the as-of date) fitted by the
//! chain ladder (volume-weighted development factors), which gives each
//! development step's completeness, the share of a period's count that is in
//! by then. Delays beyond `max_delay` periods are folded into the last column.
//!
//! The recent periods are completed the Bornhuetter–Ferguson way (1972): the
//! outstanding count is the expected count times the share still to come,
//! where the expected count is the mean chain-ladder estimate of the periods
//! just before (by default 2–9 weeks back), not the period's own first
//! reports scaled up. The newest week holds a fraction of its items, and
//! scaling that fraction up multiplies its noise (on Oryx the chain ladder
//! alone misses the newest week by 85 items on average; this way by 35).
//! The outstanding count is drawn as negative-binomial with that mean and a
//! variance of φ·mean (φ: the triangle's over-dispersed Poisson scale, see
//! [`ChainLadder::dispersion`]) plus the spread of the expected count (the
//! share to come, squared, times the variance of the periods' estimates and
//! of their mean); Poisson when that variance is not above the mean and a
//! normal approximation above 50 expected items. Its 5 % and 95 % quantiles
//! give the 90 % prediction interval.
//!
//! With `prior_ages: None` the chain ladder completes each row itself, with
//! Mack's (1993) standard errors; the backtest compares the two.

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
    /// Ages (in periods, 0 = the as-of period) of the periods whose
    /// chain-ladder estimates are averaged into the expected count; `None`
    /// for the plain chain ladder.
    pub prior_ages: Option<(usize, usize)>,
}

impl NowcastOptions {
    /// Defaults for a period: 26 weeks or 6 months of delay, a year of history.
    pub fn new(period: Period, as_of: NaiveDate) -> Self {
        // The expected count comes from the periods just old enough for
        // their chain-ladder estimate to rest on several delay columns.
        let (max_delay, history, prior_ages) = match period {
            Period::Month => (6, 12, (1, 3)),
            Period::Week => (26, 52, (2, 9)),
            Period::Day => (120, 365, (14, 41)),
        };
        NowcastOptions {
            period,
            as_of,
            max_delay,
            history,
            recent: 8,
            prior_ages: Some(prior_ages),
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
    let triangle = Triangle { rows, width };
    let cl = ChainLadder::fit(&triangle);
    let n = origins.len();
    let expected = o.prior_ages.map(|ages| Expected::from_ladder(&cl, &triangle, ages));
    (n.saturating_sub(o.recent)..n)
        .map(|i| {
            let observed = cl.latest[i];
            let (mean, var) = match &expected {
                Some(e) => e.outstanding(&cl, ((now - origins[i]) as usize).min(d)),
                None => ((cl.ultimate[i] - observed).max(0.0), cl.se[i] * cl.se[i]),
            };
            NowcastRow {
                period: start_of(o.period, origins[i]),
                observed: observed as u64,
                estimate: observed + mean,
                lower: observed + outstanding_quantile(mean, var, 0.05),
                upper: observed + outstanding_quantile(mean, var, 0.95),
            }
        })
        .collect()
}

/// The expected count of a period (Bornhuetter–Ferguson's a-priori
/// ultimate) and what it needs for the outstanding count's variance.
struct Expected {
    /// Mean chain-ladder ultimate of the periods at the chosen ages.
    mean: f64,
    /// Variance of the period's count around that mean: the spread of the
    /// averaged estimates plus the error of their mean.
    var: f64,
    /// The triangle's over-dispersed Poisson scale.
    phi: f64,
}

impl Expected {
    fn from_ladder(cl: &ChainLadder, t: &Triangle, (young, old): (usize, usize)) -> Self {
        let n = cl.ultimate.len();
        let picked: Vec<f64> = (young..=old)
            .filter(|a| *a < n)
            .map(|a| cl.ultimate[n - 1 - a])
            .collect();
        let k = picked.len() as f64;
        let mean = if picked.is_empty() {
            0.0
        } else {
            picked.iter().sum::<f64>() / k
        };
        let spread = if picked.len() > 1 {
            picked.iter().map(|u| (u - mean).powi(2)).sum::<f64>() / (k - 1.0)
        } else {
            0.0
        };
        Expected {
            mean,
            var: spread * (1.0 + 1.0 / k.max(1.0)),
            phi: cl.dispersion(t),
        }
    }

    /// Mean and variance of the count still to come for a row whose latest
    /// development step is `step`.
    fn outstanding(&self, cl: &ChainLadder, step: usize) -> (f64, f64) {
        let to_come = (1.0 - cl.completeness(step)).max(0.0);
        let mean = to_come * self.mean;
        (mean, self.phi * mean + to_come * to_come * self.var)
    }
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

/// The days a backtest nowcasts from: the last day of each period from the
/// one holding `from` to the one holding `to`.
pub fn backtest_days(period: Period, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut s = period.start(from);
    while s <= to {
        let next_start = next(period, s);
        days.push(next_start.pred_opt().unwrap_or(s));
        s = next_start;
    }
    days
}

/// What each period finally counted (the items known now with an event and
/// a published date): what a backtest scores its nowcasts against.
pub fn finals(items: &[EvidenceItem], period: Period) -> HashMap<NaiveDate, f64> {
    let mut finals: HashMap<NaiveDate, f64> = HashMap::new();
    for it in items {
        if let (Some(e), Some(_)) = (it.dates.event, it.dates.published) {
            *finals.entry(period.start(e)).or_default() += f64::from(it.count);
        }
    }
    finals
}

/// One replayed step: the nowcast as of `day` from the items known then,
/// each row with its period's final count.
pub fn backtest_step(
    known: &[EvidenceItem],
    finals: &HashMap<NaiveDate, f64>,
    period: Period,
    day: NaiveDate,
    recent: usize,
) -> Vec<(f64, NowcastRow)> {
    let mut o = NowcastOptions::new(period, day);
    o.recent = recent;
    nowcast(known, &o)
        .into_iter()
        .map(|r| (finals.get(&r.period).copied().unwrap_or(0.0), r))
        .collect()
}

/// The scores of replayed steps: mean absolute errors of the nowcast and
/// of the naive count, and the share of finals inside the band.
pub fn score(pairs: &[(f64, NowcastRow)]) -> Backtest {
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

/// A backtest on items held in memory, each step reading the items by
/// their published date. The app replays on what the store knew each day
/// instead (`backtest_step` per day on a store as of it); both score alike.
pub fn backtest(items: &[EvidenceItem], period: Period, from: NaiveDate, to: NaiveDate, recent: usize) -> Backtest {
    let finals = finals(items, period);
    let pairs: Vec<(f64, NowcastRow)> = {
        use rayon::prelude::*;
        backtest_days(period, from, to)
            .par_iter()
            .flat_map(|day| backtest_step(items, &finals, period, *day, recent))
            .collect()
    };
    score(&pairs)
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

    fn item(event: NaiveDate, published: NaiveDate, key: usize) -> EvidenceItem {
        use frontline_model::{EvidenceDates, LossStatus};
        EvidenceItem {
            source: "test".into(),
            key: format!("{event}-{key}"),
            side: "russia".into(),
            category: "tanks".into(),
            model: String::new(),
            status: LossStatus::Destroyed,
            count: 1,
            dates: EvidenceDates::new(Some(event), Some(published), chrono::Utc::now()),
            location: None,
            proof_urls: Vec::new(),
        }
    }

    /// Eleven weeks of ten items, half published in the event's week and
    /// half the week after, then a newest week whose first reports are a
    /// burst of 20: the chain ladder doubles the burst (40), the expected
    /// count of the weeks before (10) tempers it to 20 + ½·10 = 25, with a
    /// Poisson(5) outstanding count (5 % and 95 % quantiles 2 and 9).
    #[test]
    fn the_newest_week_leans_on_the_weeks_before() {
        let monday = NaiveDate::from_ymd_opt(2024, 9, 2).unwrap();
        let day = |w: i64, d: i64| monday + chrono::Duration::days(7 * w + d);
        let mut items = Vec::new();
        for w in 0..11 {
            for k in 0..10 {
                let lag = if k < 5 { 2 } else { 7 };
                items.push(item(day(w, 2), day(w, 2 + lag), k));
            }
        }
        items.extend((0..20).map(|k| item(day(11, 2), day(11, 4), k)));
        let mut o = NowcastOptions::new(Period::Week, day(11, 6));
        o.recent = 2;
        let rows = nowcast(&items, &o);
        let r = |i: usize| (rows[i].observed, rows[i].estimate, rows[i].lower, rows[i].upper);
        assert_eq!(r(0), (10, 10.0, 10.0, 10.0));
        assert_eq!(r(1), (20, 25.0, 22.0, 29.0));
        o.prior_ages = None;
        assert_eq!(nowcast(&items, &o)[1].estimate, 40.0);
    }

    #[test]
    fn periods_round_trip() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 14).unwrap();
        for p in [Period::Week, Period::Month] {
            assert_eq!(start_of(p, index(p, d)), p.start(d));
        }
    }
}
