//! Events: the moments the data says something happened (a record day, a
//! settlement changing hands), recorded once so people and systems can
//! follow them (`frontline events`, the feeds).
//!
//! An event is a pure function of the stored data: its id names what it is
//! about (the series and day, the place and day), so detecting it again
//! (a re-import, a restart, a reparse that changed nothing) finds the same
//! id and records nothing new.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What kind of moment an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A claimed daily figure beat every earlier one of its series.
    Record,
    /// A settlement's control status changed on a mapper's map.
    Handover,
    /// A status's area changed past a threshold between two days' maps of
    /// a mapper: on the whole map, or in one first-level unit.
    AreaChange,
    /// Two mappers' maps of a status came to disagree past a threshold.
    Disagreement,
    /// A loss list's reporting lag left its usual range.
    LagShift,
    /// A synced source went stale, failed, was held for review, or
    /// recovered.
    SourceHealth,
    /// A stored claim's verdict changed (or was first reached) on new data.
    ClaimVerdict,
    /// A webhook subscription kept failing and was paused (the admin's
    /// event: it names the subscription, never its URL).
    SubscriptionPaused,
}

impl EventKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [EventKind; 8] = [
        EventKind::Record,
        EventKind::Handover,
        EventKind::AreaChange,
        EventKind::Disagreement,
        EventKind::LagShift,
        EventKind::SourceHealth,
        EventKind::ClaimVerdict,
        EventKind::SubscriptionPaused,
    ];

    /// Its name in ids, filters and feed paths.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Record => "record",
            EventKind::Handover => "handover",
            EventKind::AreaChange => "area-change",
            EventKind::Disagreement => "disagreement",
            EventKind::LagShift => "lag-shift",
            EventKind::SourceHealth => "source-health",
            EventKind::ClaimVerdict => "claim-verdict",
            EventKind::SubscriptionPaused => "subscription-paused",
        }
    }

    /// The kind of this name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id: the kind and what it is about, never the time it was
    /// seen (`record/ua-general-staff/russia/personnel/2024-11-12`).
    pub id: String,
    /// Its kind.
    pub kind: EventKind,
    /// The day it is about.
    pub date: NaiveDate,
    /// When Frontline recorded it (set by the store).
    pub detected_at: DateTime<Utc>,
    /// What it is about: a loss category, a settlement's name.
    pub subject: String,
    /// Where: the claimant and subject of a series (`ua-general-staff
    /// russia`), or a settlement's first-level unit code (`RU-KRS`).
    pub scope: String,
    /// The figures, by name (`value`, `previous_record`, `streak`;
    /// `from_status`, `to_status`, `population`, `mapper`, …).
    pub figures: serde_json::Map<String, serde_json::Value>,
    /// The page's view of it: a path with a fragment (`/#date=…`).
    pub permalink: String,
    /// The stored sources that carry it (their locations).
    pub sources: Vec<String>,
}

impl Event {
    /// An event about `date`, with no sources yet; the store stamps
    /// `detected_at` when it records it.
    pub fn new(
        kind: EventKind,
        id: String,
        date: NaiveDate,
        subject: &str,
        scope: &str,
        figures: serde_json::Map<String, serde_json::Value>,
        permalink: String,
    ) -> Self {
        Event {
            id,
            kind,
            date,
            detected_at: DateTime::UNIX_EPOCH,
            subject: subject.to_string(),
            scope: scope.to_string(),
            figures,
            permalink,
            sources: vec![],
        }
    }

    /// A figure as a number (0 when absent).
    pub fn number(&self, name: &str) -> f64 {
        self.figures
            .get(name)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(0.0)
    }

    /// A figure as text (empty when absent).
    pub fn text(&self, name: &str) -> &str {
        self.figures.get(name).and_then(serde_json::Value::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_by_name_and_unknown_names_are_none() {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "record",
                "handover",
                "area-change",
                "disagreement",
                "lag-shift",
                "source-health",
                "claim-verdict",
                "subscription-paused"
            ]
        );
        assert!(EventKind::ALL.iter().all(|k| EventKind::parse(k.as_str()) == Some(*k)));
        assert_eq!(EventKind::parse("Record"), None);
        assert_eq!(serde_json::to_string(&EventKind::Handover).unwrap(), "\"handover\"");
    }
}
