//! Series breaks: where a claimed series starts, stops or continues others.
//!
//! A claimant's categories do not all span its reports: the General Staff
//! added "cruise missiles" in May 2022 and "ground robotic systems" in
//! 2026, and folded "military auto" and "fuel tank" into "vehicles and fuel
//! tanks". A sum or a record over such a day compares things that are not
//! alike, so each break is named, with its reason, and answers that cross
//! one say so. Breaks follow from the stored figures (each series' first
//! and last day against its claimant's) and from the declared merges; they
//! are derived, not kept a second time. A control mapper breaks its own
//! series when it renames a status ([`vocabulary_breaks`]).

use chrono::NaiveDate;
use frontline_model::{Category, Continuation, SeriesKey};

/// What happens to a series on a break day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// Its first figure, after the claimant's first report.
    Starts,
    /// Its first figure, continuing categories merged into it.
    Continues,
    /// Its last figure, before the claimant's last report.
    Stops,
}

impl BreakKind {
    /// The word answers show.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Starts => "starts",
            BreakKind::Continues => "continues",
            BreakKind::Stops => "stops",
        }
    }
}

/// One break of one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The series.
    pub key: SeriesKey,
    /// The day: its first figure (starts, continues) or its last (stops).
    pub date: NaiveDate,
    /// What happens.
    pub kind: BreakKind,
    /// Why it matters, in a sentence.
    pub reason: String,
}

/// A series as [`breaks`] reads it: its key, its first and last day, and
/// the categories it continues, if any.
#[derive(Debug, Clone)]
pub struct Span {
    /// The series.
    pub key: SeriesKey,
    /// Its first figure's day.
    pub first: NaiveDate,
    /// Its last figure's day.
    pub last: NaiveDate,
    /// What it continues.
    pub continues: Option<Continuation>,
}

/// The breaks of every series, by claimant and subject: a series that
/// starts after its claimant's first report about the subject, continues
/// merged categories, or stops before the claimant's last report. Sorted
/// by day, then category.
pub fn breaks(spans: &[Span]) -> Vec<Break> {
    let mut out = Vec::new();
    for s in spans {
        let group = spans
            .iter()
            .filter(|o| o.key.claimant == s.key.claimant && o.key.subject == s.key.subject);
        let (first, last) = group.fold((s.first, s.last), |(f, l), o| (f.min(o.first), l.max(o.last)));
        let names = |c: &[Category]| c.iter().map(Category::as_str).collect::<Vec<_>>().join(" + ");
        match &s.continues {
            Some(c) => out.push(Break {
                key: s.key.clone(),
                date: s.first,
                kind: BreakKind::Continues,
                reason: format!(
                    "takes over {}: its cumulative figure carries their last ones ({} in all), so its first daily \
                     value is measured against them and nothing of it exists before {}",
                    names(&c.from),
                    c.baseline,
                    s.first
                ),
            }),
            None if s.first > first => out.push(Break {
                key: s.key.clone(),
                date: s.first,
                kind: BreakKind::Starts,
                reason: format!(
                    "first figure, {} days after {}'s first report about {} ({first}): the days before are not \
                     reported, not zero",
                    (s.first - first).num_days(),
                    s.key.claimant,
                    s.key.subject
                ),
            }),
            None => {}
        }
        if s.last < last {
            let into: Vec<&str> = spans
                .iter()
                .filter(|o| {
                    o.continues.as_ref().is_some_and(|c| c.from.contains(&s.key.category))
                        && o.key.claimant == s.key.claimant
                        && o.key.subject == s.key.subject
                })
                .map(|o| o.key.category.as_str())
                .collect();
            let reason = if into.is_empty() {
                format!(
                    "last figure; {} reports it no more (last report about {}: {last})",
                    s.key.claimant, s.key.subject
                )
            } else {
                format!("last figure; merged into {} from the next report", into.join(", "))
            };
            out.push(Break {
                key: s.key.clone(),
                date: s.last,
                kind: BreakKind::Stops,
                reason,
            });
        }
    }
    out.sort_by(|a, b| (a.date, a.key.category.as_str()).cmp(&(b.date, b.key.category.as_str())));
    out
}

/// One layer of one map, as [`vocabulary_breaks`] reads it.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Who drew the map.
    pub mapper: String,
    /// The map's day.
    pub day: NaiveDate,
    /// The layer's status.
    pub status: String,
    /// Its raw labels, as published.
    pub labels: Vec<String>,
    /// The file the map came from.
    pub source: String,
}

/// Where a mapper's names for one status change from a map to its next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabularyBreak {
    /// Who drew the maps.
    pub mapper: String,
    /// The layer's status.
    pub status: String,
    /// The first map with the new names.
    pub date: NaiveDate,
    /// Names it has that the map before did not.
    pub added: Vec<String>,
    /// Names the map before had that it does not.
    pub removed: Vec<String>,
    /// The file of the first map with the new names.
    pub source: String,
}

/// The name a label stands for. DeepState writes
/// `Ukrainian /// English /// geoJSON.status.occupied {{at:19.09}}`: the
/// code after the last `///`, without its `{{…}}` arguments, is the name,
/// so a date in the label or a mangled letter in a translation is no
/// change of vocabulary. Any other label is its own name, trimmed.
pub fn label_code(label: &str) -> String {
    let code = label.rsplit("///").next().unwrap_or(label);
    let mut out = String::new();
    let mut rest = code;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("}}").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Where each mapper's names for a status change from one map to the next
/// that has a layer of it (a method or vocabulary change: DeepState's 2022
/// status names; areas of the status may be drawn by another rule from
/// that map on). `layers` in date order.
pub fn vocabulary_breaks(layers: &[Layer]) -> Vec<VocabularyBreak> {
    use std::collections::{BTreeSet, HashMap};
    let mut last: HashMap<(&str, &str), BTreeSet<String>> = HashMap::new();
    let mut out = Vec::new();
    for l in layers {
        // A DeepState name over several lines is stored a line at a time:
        // where the layer's labels carry codes, the lines without one are
        // fragments of a translation (often with mangled letters), not names.
        let coded = l.labels.iter().any(|s| s.contains("///"));
        let names: BTreeSet<String> = l
            .labels
            .iter()
            .filter(|s| !coded || s.contains("///"))
            .map(|s| label_code(s))
            .filter(|c| !c.is_empty())
            .collect();
        if let Some(before) = last.get(&(l.mapper.as_str(), l.status.as_str()))
            && *before != names
        {
            out.push(VocabularyBreak {
                mapper: l.mapper.clone(),
                status: l.status.clone(),
                date: l.day,
                added: names.difference(before).cloned().collect(),
                removed: before.difference(&names).cloned().collect(),
                source: l.source.clone(),
            });
        }
        last.insert((l.mapper.as_str(), l.status.as_str()), names);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::{Claimant, Subject};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(category: &str, first: &str, last: &str, continues: Option<(&[&str], i64)>) -> Span {
        Span {
            key: SeriesKey {
                claimant: Claimant::new("ua-general-staff"),
                subject: Subject::new("russia"),
                category: Category::new(category),
            },
            first: d(first),
            last: d(last),
            continues: continues.map(|(from, baseline)| Continuation {
                from: from.iter().map(|c| Category::new(c)).collect(),
                baseline,
            }),
        }
    }

    /// The General Staff's own breaks, as its file has them.
    #[test]
    fn starts_merges_and_stops_are_named() {
        let spans = [
            span("tank", "2022-02-25", "2026-08-08", None),
            span("military auto", "2022-02-25", "2022-04-30", None),
            span("fuel tank", "2022-02-25", "2022-04-30", None),
            span(
                "vehicles and fuel tanks",
                "2022-05-01",
                "2026-08-08",
                Some((&["military auto", "fuel tank"], 1_796)),
            ),
            span("ground robotic systems", "2026-05-03", "2026-08-08", None),
        ];
        let b = breaks(&spans);
        let got: Vec<(String, &str, &str)> = b
            .iter()
            .map(|b| (b.date.to_string(), b.key.category.as_str(), b.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("2022-04-30".to_string(), "fuel tank", "stops"),
                ("2022-04-30".to_string(), "military auto", "stops"),
                ("2022-05-01".to_string(), "vehicles and fuel tanks", "continues"),
                ("2026-05-03".to_string(), "ground robotic systems", "starts"),
            ]
        );
        assert!(
            b[0].reason.contains("merged into vehicles and fuel tanks"),
            "{}",
            b[0].reason
        );
        assert!(
            b[2].reason.contains("takes over military auto + fuel tank"),
            "{}",
            b[2].reason
        );
        assert!(b[3].reason.contains("1528 days after"), "{}", b[3].reason);
    }

    /// A series that spans its claimant's reports has no break, and the
    /// reports of another claimant do not make one.
    #[test]
    fn a_full_series_has_none() {
        let mut other = span("tank", "2020-01-01", "2030-01-01", None);
        other.key.claimant = Claimant::new("someone-else");
        let spans = [span("tank", "2022-02-25", "2026-08-08", None), other];
        assert_eq!(breaks(&spans), []);
    }

    #[test]
    fn deepstate_labels_stand_for_their_code() {
        assert_eq!(
            label_code("Звільнено 02.07 /// Liberated 02.07 /// geoJSON.status.dismissed_at {{at:02.07}}"),
            "geoJSON.status.dismissed_at"
        );
        assert_eq!(
            label_code("Зві��ьнено /// Liberated /// geoJSON.status.dismissed"),
            "geoJSON.status.dismissed"
        );
        assert_eq!(label_code("  Russian advance "), "Russian advance");
    }

    /// A change of names is a break on the first map that has the new ones;
    /// a date in a label, another mapper or another status is not.
    #[test]
    fn a_change_of_names_is_a_break() {
        let layer = |mapper: &str, day: &str, status: &str, labels: &[&str]| Layer {
            mapper: mapper.into(),
            day: d(day),
            status: status.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            source: format!("{mapper}-{day}.geojson"),
        };
        let layers = [
            layer(
                "deepstate",
                "2022-06-01",
                "occupied",
                &[
                    "Окуповано /// Occupied /// geoJSON.status.occupied",
                    "Окупований Крим",
                    "/// geoJSON.territories.crimea",
                ],
            ),
            // The first line of a two-line name, mangled: no change.
            layer(
                "deepstate",
                "2022-06-02",
                "occupied",
                &[
                    "Окуповано /// Occupied /// geoJSON.status.occupied",
                    "Окупов��ний Крим",
                    "/// geoJSON.territories.crimea",
                ],
            ),
            layer("isw", "2022-06-02", "occupied", &["Assessed Russian-controlled"]),
            layer(
                "deepstate",
                "2022-06-02",
                "liberated",
                &["Звільнено 01.06 /// Liberated /// geoJSON.status.dismissed_at {{at:01.06}}"],
            ),
            layer(
                "deepstate",
                "2022-06-03",
                "liberated",
                &["Звільнено 02.06 /// Liberated /// geoJSON.status.dismissed_at {{at:02.06}}"],
            ),
            layer(
                "deepstate",
                "2022-06-03",
                "occupied",
                &[
                    "Окуповано /// Occupied /// geoJSON.status.occupied",
                    "/// geoJSON.territories.crimea",
                    "ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo",
                ],
            ),
            layer("isw", "2022-06-04", "occupied", &["Assessed Russian advance"]),
        ];
        let got = vocabulary_breaks(&layers);
        assert_eq!(
            got,
            [
                VocabularyBreak {
                    mapper: "deepstate".into(),
                    status: "occupied".into(),
                    date: d("2022-06-03"),
                    added: vec!["geoJSON.territories.ordlo".into()],
                    removed: vec![],
                    source: "deepstate-2022-06-03.geojson".into(),
                },
                VocabularyBreak {
                    mapper: "isw".into(),
                    status: "occupied".into(),
                    date: d("2022-06-04"),
                    added: vec!["Assessed Russian advance".into()],
                    removed: vec!["Assessed Russian-controlled".into()],
                    source: "isw-2022-06-04.geojson".into(),
                },
            ]
        );
    }
}
