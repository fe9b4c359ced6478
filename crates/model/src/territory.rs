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

/// Parses the stable name, as a flag or query value.
impl std::str::FromStr for ControlStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("unknown status `{s}` (occupied, liberated, contested)"))
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
    /// Features without a geometry that the import was told to drop
    /// (numbered from 1); by default such a map is refused.
    pub shapeless: Vec<usize>,
}

/// A country's or a first-level unit's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    /// ISO 3166-1 alpha-2 code of a country (`UA`), or ISO 3166-2 code of a
    /// first-level unit (`UA-09`), upper case.
    pub code: String,
    /// Name, in English.
    pub name: String,
    /// Name in Ukrainian, when the source gives it.
    pub name_uk: Option<String>,
    /// Name in Russian, when the source gives it.
    pub name_ru: Option<String>,
    /// What the outline is.
    pub level: BoundaryLevel,
    /// Outline.
    pub geometry: MultiPolygon<f64>,
}

/// What an outline stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BoundaryLevel {
    /// A country as a map draws it (Natural Earth's countries: Crimea drawn
    /// as Russia).
    DeFacto,
    /// A country as its internationally recognised territory: the union of
    /// its first-level units by ISO 3166-2 code (Ukraine with UA-43 Crimea
    /// and UA-40 Sevastopol).
    DeJure,
    /// A first-level unit (oblast, krai, republic, city of special status).
    Unit,
}

impl BoundaryLevel {
    /// The stable name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            BoundaryLevel::DeFacto => "de-facto",
            BoundaryLevel::DeJure => "de-jure",
            BoundaryLevel::Unit => "unit",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "de-facto" => BoundaryLevel::DeFacto,
            "de-jure" => BoundaryLevel::DeJure,
            "unit" => BoundaryLevel::Unit,
            _ => return None,
        })
    }
}

impl Boundary {
    /// The country of a unit (`UA` for `UA-09`); a country's own code.
    pub fn country(&self) -> &str {
        self.code.split('-').next().unwrap_or(&self.code)
    }
}

/// A settlement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The store's id; `None` before the place is stored.
    pub id: Option<i64>,
    /// Name, as the gazetteer gives it (GeoNames: Latin script).
    pub name: String,
    /// Ukrainian name, when the gazetteer has one.
    pub name_uk: Option<String>,
    /// Russian name, when the gazetteer has one.
    pub name_ru: Option<String>,
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

/// What a gazetteer holds, so that a count of its places is read for what
/// it is: a gazetteer of towns of 500 people or more cannot count villages
/// (docs/claims.md, "Counts that know their gazetteer").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GazetteerCoverage {
    /// The smallest population it holds every place of: `Some(0)` for
    /// every populated place (a GeoNames country dump), `Some(500)` for
    /// GeoNames' cities500, `None` when neither the file nor the importer
    /// said (its counts are then lower bounds too).
    pub min_population: Option<u64>,
    /// Feature classes or codes it holds (GeoNames' `P`, `PPL`, `PPLA`…),
    /// as read from the file; empty when the file does not say.
    pub classes: Vec<String>,
    /// Countries of its places (ISO 3166-1 alpha-2), sorted.
    pub countries: Vec<String>,
    /// The box its places lie in: west, south, east, north (degrees).
    pub bbox: Option<[f64; 4]>,
    /// Where the coverage was read: `file name`, `feature classes`,
    /// `--min-population` or `unknown`.
    pub from: String,
}

impl GazetteerCoverage {
    /// The region in words: "UA, RU in 30.0–41.0 E, 46.0–53.5 N".
    pub fn region(&self) -> String {
        let countries = if self.countries.is_empty() {
            "places".to_string()
        } else {
            self.countries.join(", ")
        };
        match self.bbox {
            Some([w, s, e, n]) => format!("{countries} in {w:.1}–{e:.1} E, {s:.1}–{n:.1} N"),
            None => countries,
        }
    }
}

/// A gazetteer as imported: its file and what it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gazetteer {
    /// The file's name as given.
    pub location: String,
    /// The file's SHA-256.
    pub sha256: String,
    /// When it was imported.
    pub imported_at: chrono::DateTime<chrono::Utc>,
    /// Places the file held.
    pub places: u64,
    /// What it covers.
    pub coverage: GazetteerCoverage,
}

/// A feature of a reference layer (roads, power plants…), for distances.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeature {
    /// Name (or `feature N` when the source has none).
    pub name: String,
    /// Point or line geometry.
    pub geometry: Geometry<f64>,
}
