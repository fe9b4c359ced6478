//! Counts of items per period, each cross-source cluster counted once.

use super::Clusters;
use crate::Period;
use chrono::NaiveDate;
use frontline_model::EvidenceItem;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Items per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountRow {
    /// First day of the period.
    pub period: NaiveDate,
    /// Items (a row standing for several counts several; linked items once).
    pub count: u64,
}

/// Counts items by the period of `date_of` (event or published date).
/// Items without that date are left out; the number left out is returned.
pub fn count_by_period(
    items: &[EvidenceItem],
    period: Period,
    date_of: impl Fn(&EvidenceItem) -> Option<NaiveDate>,
) -> (Vec<CountRow>, u64) {
    let ids = Clusters::link(items).ids();
    // One entry per cluster: its earliest date, and per source the items it
    // stands for; the cluster counts as many as its largest source says.
    let mut clusters: HashMap<usize, (Option<NaiveDate>, HashMap<&str, u32>)> = HashMap::new();
    for (it, id) in items.iter().zip(&ids) {
        let e = clusters.entry(*id).or_insert((None, HashMap::new()));
        e.0 = match (e.0, date_of(it)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        *e.1.entry(it.source.as_str()).or_default() += it.count;
    }
    let mut by: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut undated = 0;
    for (date, per_source) in clusters.values() {
        let count = u64::from(per_source.values().copied().max().unwrap_or(0));
        match date {
            Some(d) => *by.entry(period.start(*d)).or_default() += count,
            None => undated += count,
        }
    }
    (
        by.into_iter()
            .map(|(period, count)| CountRow { period, count })
            .collect(),
        undated,
    )
}
