//! Per-item loss evidence: one destroyed vehicle, one missing person.

use crate::EvidenceDates;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LossStatus {
    /// Destroyed.
    Destroyed,
    /// Damaged.
    Damaged,
    /// Abandoned.
    Abandoned,
    /// Captured (equipment or people).
    Captured,
    /// Killed (people).
    Killed,
    /// Missing in action (people).
    Missing,
}

impl LossStatus {
    /// Every status.
    pub const ALL: [LossStatus; 6] = [
        LossStatus::Destroyed,
        LossStatus::Damaged,
        LossStatus::Abandoned,
        LossStatus::Captured,
        LossStatus::Killed,
        LossStatus::Missing,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            LossStatus::Destroyed => "destroyed",
            LossStatus::Damaged => "damaged",
            LossStatus::Abandoned => "abandoned",
            LossStatus::Captured => "captured",
            LossStatus::Killed => "killed",
            LossStatus::Missing => "missing",
        }
    }

    /// Parses a name, case-insensitively; `destr`, `dam`, `aband`, `capt`,
    /// `kia`, `mia` and `pow` are accepted too.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        Some(match s.as_str() {
            "destroyed" | "destr" => LossStatus::Destroyed,
            "damaged" | "dam" => LossStatus::Damaged,
            "abandoned" | "aband" => LossStatus::Abandoned,
            "captured" | "capt" | "pow" => LossStatus::Captured,
            "killed" | "kia" => LossStatus::Killed,
            "missing" | "mia" => LossStatus::Missing,
            _ => return None,
        })
    }
}

/// Parses a status as a flag or query value (the source spellings too).
impl std::str::FromStr for LossStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
            .ok_or_else(|| format!("unknown status `{s}` (destroyed, damaged, abandoned, captured, killed, missing)"))
    }
}

impl fmt::Display for LossStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an item was lost, as precisely as the source says.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Radius of uncertainty in metres, when known.
    pub precision_m: Option<f64>,
}

/// One evidence item as a source lists it.
///
/// `key` is the source's own stable identity of the item (WarSpotting's id;
/// for Oryx, which has none, the proof URL with the status and system), so a
/// re-import recognises the same item and stores a new version only when its
/// content changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Source name: `oryx`, `warspotting`, or a generic source's name.
    pub source: String,
    /// The item's identity within its source.
    pub key: String,
    /// Whose loss: `russia`, `ukraine`.
    pub side: String,
    /// Category, e.g. `tanks` (see `docs/losses.md` for the vocabulary).
    pub category: String,
    /// Model or system as published.
    pub model: String,
    /// What happened.
    pub status: LossStatus,
    /// How many items the row stands for.
    pub count: u32,
    /// Event, published and recorded dates.
    pub dates: EvidenceDates,
    /// Place, when given.
    pub location: Option<Location>,
    /// Proof links.
    pub proof_urls: Vec<String>,
}

impl EvidenceItem {
    /// The item's stable id across Frontline: `source:key`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.source, self.key)
    }
}
