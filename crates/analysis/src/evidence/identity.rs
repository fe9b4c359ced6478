//! The same item reported by several sources.
//!
//! Two items are the same when they share a proof URL, or, failing that,
//! when they have the same category, model and event date and lie within
//! [`SAME_PLACE_KM`] of each other. Linked items form a cluster that every
//! count treats as one.

use frontline_model::EvidenceItem;
use geo::{Distance, Haversine, Point};
use std::collections::HashMap;

/// Two reports of the same model on the same day this close are one item.
pub const SAME_PLACE_KM: f64 = 1.0;

/// Cluster id of every item (index-aligned with the items given).
#[derive(Debug, Clone)]
pub struct Clusters {
    parent: Vec<usize>,
}

impl Clusters {
    /// Links items by the rules above.
    pub fn link(items: &[EvidenceItem]) -> Self {
        let mut c = Clusters {
            parent: (0..items.len()).collect(),
        };
        // One photo often proves several items of one list (three tanks in a
        // row): within a source those stay distinct, and across sources the
        // k-th item of one list is paired with the k-th of the other.
        let mut by_url: HashMap<&str, HashMap<&str, Vec<usize>>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            for u in &it.proof_urls {
                by_url
                    .entry(u.as_str())
                    .or_default()
                    .entry(it.source.as_str())
                    .or_default()
                    .push(i);
            }
        }
        for per_source in by_url.values().filter(|m| m.len() > 1) {
            let lists: Vec<&Vec<usize>> = per_source.values().collect();
            for pair in lists.windows(2) {
                for (&i, &j) in pair[0].iter().zip(pair[1].iter()) {
                    c.union(i, j);
                }
            }
        }
        let mut by_day: HashMap<(&str, String, chrono::NaiveDate), Vec<usize>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            if let (Some(day), Some(_)) = (it.dates.event, it.location) {
                by_day
                    .entry((it.category.as_str(), it.model.to_lowercase(), day))
                    .or_default()
                    .push(i);
            }
        }
        for group in by_day.values().filter(|g| g.len() > 1) {
            for (n, &i) in group.iter().enumerate() {
                for &j in &group[n + 1..] {
                    if items[i].source == items[j].source || c.find(i) == c.find(j) {
                        continue;
                    }
                    if let (Some(a), Some(b)) = (items[i].location, items[j].location) {
                        let km = Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0;
                        if km <= SAME_PLACE_KM {
                            c.union(i, j);
                        }
                    }
                }
            }
        }
        c
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }

    /// The cluster representative of every item.
    pub fn ids(&mut self) -> Vec<usize> {
        (0..self.parent.len()).map(|i| self.find(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};
    use frontline_model::{EvidenceDates, Location, LossStatus};

    fn item(source: &str, url: &str, loc: Option<(f64, f64)>) -> EvidenceItem {
        EvidenceItem {
            source: source.into(),
            key: url.into(),
            side: "russia".into(),
            category: "tanks".into(),
            model: "T-72B3".into(),
            status: LossStatus::Destroyed,
            count: 1,
            dates: EvidenceDates::new(NaiveDate::from_ymd_opt(2024, 8, 10), None, Utc::now()),
            location: loc.map(|(lat, lon)| Location {
                lat,
                lon,
                precision_m: None,
            }),
            proof_urls: vec![url.into()],
        }
    }

    #[test]
    fn one_photo_of_several_items_keeps_them_apart() {
        let items = [
            item("oryx", "u", None),
            item("oryx", "u", None),
            item("warspotting", "u", None),
        ];
        let ids = Clusters::link(&items).ids();
        assert_eq!(ids[0], ids[2]);
        assert_ne!(ids[0], ids[1]);
    }

    #[test]
    fn url_then_place_rules() {
        let items = [
            item("oryx", "u1", None),
            item("warspotting", "u1", Some((51.0, 35.0))),
            item("kursk", "u2", Some((51.005, 35.0))),
            item("kursk", "u3", Some((51.2, 35.0))),
        ];
        let ids = Clusters::link(&items).ids();
        assert_eq!(ids[0], ids[1], "shared URL");
        assert_eq!(ids[1], ids[2], "same model, day, within 1 km");
        assert_ne!(ids[2], ids[3], "22 km apart");
    }
}
