//! Two-source overlap and a capture–recapture estimate of the total.

use super::Clusters;
use chrono::NaiveDate;
use frontline_model::EvidenceItem;
use serde::Serialize;
use std::collections::HashMap;

fn min(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// The span of dates (event, else published) of one source's items.
pub fn span(items: &[EvidenceItem], source: &str) -> Option<(NaiveDate, NaiveDate)> {
    let dates = items
        .iter()
        .filter(|i| i.source == source)
        .filter_map(|i| i.dates.event.or(i.dates.published));
    dates.fold(None, |acc, d| match acc {
        None => Some((d, d)),
        Some((lo, hi)) => Some((lo.min(d), hi.max(d))),
    })
}

/// Items in both sources and in one only, and Chapman's estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// Items (clusters) listed by the first source.
    pub in_a: u64,
    /// Items listed by the second source.
    pub in_b: u64,
    /// Items listed by both.
    pub in_both: u64,
    /// Items only the first lists.
    pub only_a: u64,
    /// Items only the second lists.
    pub only_b: u64,
    /// Chapman's estimate of all items, listed or not.
    pub estimate: f64,
    /// 95 % interval, lower bound (never below the items seen).
    pub lower: f64,
    /// 95 % interval, upper bound.
    pub upper: f64,
}

/// Overlap of sources `a` and `b` among `items`, over the items whose date
/// lies in `[from, to]`. An item's date is the earliest event date in its
/// cluster, else its earliest published date (Oryx leaves many event dates
/// unknown; their linked WarSpotting twin usually has one).
///
/// Chapman (1951): N̂ = (n₁+1)(n₂+1)/(m+1) − 1, variance
/// (n₁+1)(n₂+1)(n₁−m)(n₂−m) / ((m+1)²(m+2)). It assumes the two lists are
/// independent samples; loss lists copy each other (WarSpotting cites Oryx's
/// proofs), so the estimate is a lower bound on uncertainty, not a census.
pub fn overlap(items: &[EvidenceItem], a: &str, b: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Overlap {
    let ids = Clusters::link(items).ids();
    let mut seen: HashMap<usize, (bool, bool, Option<NaiveDate>, Option<NaiveDate>)> = HashMap::new();
    for (it, id) in items.iter().zip(ids) {
        let e = seen.entry(id).or_default();
        e.0 |= it.source == a;
        e.1 |= it.source == b;
        e.2 = min(e.2, it.dates.event);
        e.3 = min(e.3, it.dates.published);
    }
    let (mut n1, mut n2, mut m) = (0u64, 0u64, 0u64);
    let inside = |d: Option<NaiveDate>| d.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t));
    for (x, y, _, _) in seen
        .values()
        .filter(|(_, _, event, published)| inside(event.or(*published)))
    {
        n1 += u64::from(*x);
        n2 += u64::from(*y);
        m += u64::from(*x && *y);
    }
    let (f1, f2, fm) = (n1 as f64, n2 as f64, m as f64);
    let estimate = (f1 + 1.0) * (f2 + 1.0) / (fm + 1.0) - 1.0;
    let var = (f1 + 1.0) * (f2 + 1.0) * (f1 - fm) * (f2 - fm) / ((fm + 1.0).powi(2) * (fm + 2.0));
    let seen_total = (n1 + n2 - m) as f64;
    Overlap {
        in_a: n1,
        in_b: n2,
        in_both: m,
        only_a: n1 - m,
        only_b: n2 - m,
        estimate,
        lower: (estimate - 1.96 * var.sqrt()).max(seen_total),
        upper: estimate + 1.96 * var.sqrt(),
    }
}
