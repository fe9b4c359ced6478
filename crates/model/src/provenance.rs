//! Where stored data came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kind of input a source was parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// General Staff JSON (PetroIvaniuk's dataset layout).
    GeneralStaffJson,
    /// General Staff corrections JSON (the `_correction.json` file).
    GeneralStaffCorrections,
    /// Generic long CSV: `date,claimant,subject,category,cumulative`.
    TallyCsv,
    /// A control-map snapshot (DeepState or generic GeoJSON).
    ControlMap,
    /// Country outlines.
    Boundaries,
    /// A gazetteer of places.
    Places,
    /// A reference layer of points or lines.
    Layer,
    /// Per-item loss evidence.
    Losses,
    /// A file of claims (the claims ledger).
    Claims,
    /// Counts by period as published on a day (a vintage of a named list).
    Counts,
}

impl SourceKind {
    /// The stable name stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::GeneralStaffJson => "general-staff-json",
            SourceKind::GeneralStaffCorrections => "general-staff-corrections",
            SourceKind::TallyCsv => "tally-csv",
            SourceKind::ControlMap => "control-map",
            SourceKind::Boundaries => "boundaries",
            SourceKind::Places => "places",
            SourceKind::Layer => "layer",
            SourceKind::Losses => "losses",
            SourceKind::Claims => "claims",
            SourceKind::Counts => "counts",
        }
    }

    /// Parses the stable name back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Every kind.
    pub const ALL: [SourceKind; 10] = [
        SourceKind::GeneralStaffJson,
        SourceKind::GeneralStaffCorrections,
        SourceKind::TallyCsv,
        SourceKind::ControlMap,
        SourceKind::Boundaries,
        SourceKind::Places,
        SourceKind::Layer,
        SourceKind::Losses,
        SourceKind::Claims,
        SourceKind::Counts,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::parse(k.as_str()), Some(k));
        }
    }
}

/// Identity of one imported file: enough to find it again and to know
/// whether the same bytes were imported before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// Path or URL as given by the user.
    pub location: String,
    /// Hex SHA-256 of the file's bytes: the key an import is known by (the
    /// same bytes again add nothing).
    pub sha256: String,
    /// The SHA-256 of the bytes when the key is not it: a reparse (the
    /// same kept bytes read again by today's parser) is keyed by the bytes
    /// and the time of the reparse, and names the bytes here.
    pub bytes_sha256: Option<String>,
    /// How the file was parsed.
    pub kind: SourceKind,
    /// When the import ran.
    pub imported_at: DateTime<Utc>,
}

impl SourceMeta {
    /// A file known by the SHA-256 of its own bytes (not a reparse).
    pub fn new(
        location: impl Into<String>,
        sha256: impl Into<String>,
        kind: SourceKind,
        imported_at: DateTime<Utc>,
    ) -> Self {
        SourceMeta {
            location: location.into(),
            sha256: sha256.into(),
            bytes_sha256: None,
            kind,
            imported_at,
        }
    }
}
