//! Front-line control maps and the places and outlines they are read against.

use chrono::{DateTime, Utc};
use geo_types::{Geometry, MultiPolygon, Point};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who holds an area, normalised across mappers.
///
/// * `occupied`: held by the invader (DeepState's Occupied, CADR and CALR,
///   Occupied Crimea);
/// * `liberated`: held by the defender beyond the line it held before, as
///   DeepState draws Ukrainian-held Kursk;
/// * `contested`: grey zone, status unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ControlStatus {
    /// Held by the invader.
    Occupied,
    /// Held by the defender beyond its earlier line.
    Liberated,
    /// Grey zone.
    Contested,
}

impl ControlStatus {
    /// Every status, in a stable order.
    pub const ALL: [ControlStatus; 3] = [
        ControlStatus::Occupied,
        ControlStatus::Liberated,
        ControlStatus::Contested,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Occupied => "occupied",
            ControlStatus::Liberated => "liberated",
            ControlStatus::Contested => "contested",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim().to_lowercase())
    }
}

impl fmt::Display for ControlStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who drew a control map: `deepstate`, `isw`, …
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mapper(String);

impl Mapper {
    /// A mapper by name (lower-cased).
    pub fn new(name: &str) -> Self {
        Mapper(name.trim().to_lowercase())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mapper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One control polygon as published, before any repair or union.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlFeature {
    /// 1-based position of the feature in its file, for error messages.
    pub feature: usize,
    /// Normalised status.
    pub status: ControlStatus,
    /// The mapper's own label, kept verbatim.
    pub label: String,
    /// Geometry in WGS84 lon/lat, z dropped.
    pub geometry: MultiPolygon<f64>,
}

/// A point feature of a control map (a unit, an attack direction): kept
/// apart from the areas.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// 1-based feature number.
    pub feature: usize,
    /// Label as published.
    pub label: String,
    /// Position.
    pub point: Point<f64>,
}

/// One control map at one time.
///
/// `taken_at` is the map's publication time (DeepState file names are epoch
/// seconds). The evidence dates: published = `taken_at`, event = unknown
/// (a map shows the state as its authors knew it), recorded = import time.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlSnapshot {
    /// Who drew it.
    pub mapper: Mapper,
    /// When it was published.
    pub taken_at: DateTime<Utc>,
    /// Area features.
    pub features: Vec<ControlFeature>,
    /// Point features.
    pub annotations: Vec<Annotation>,
    /// Polygon features whose label maps to no status (kept count only).
    pub unmapped: usize,
}

/// A country outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: String,
    /// Name.
    pub name: String,
    /// Outline.
    pub geometry: MultiPolygon<f64>,
}

/// A settlement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Name.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Population, if known.
    pub population: Option<u64>,
    /// First-level division name, if known.
    pub admin1: Option<String>,
    /// Country code, if known.
    pub country: Option<String>,
}

/// A feature of a reference layer (roads, power plants…), for distances.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeature {
    /// Name (or `feature N` when the source has none).
    pub name: String,
    /// Point or line geometry.
    pub geometry: Geometry<f64>,
}
