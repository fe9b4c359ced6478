//! What each query takes: plain request types, shared by the CLI (which
//! parses its flags into them, `crates/cli/src/flags.rs`) and the HTTP API
//! (which deserializes query strings straight into them). Defaults are
//! stated here once; unknown fields are refused.
//!
//! Field names are the API's query parameters and, with `-` for `_`, the
//! CLI's flags.

use chrono::NaiveDate;
use frontline_analysis::Period;
use frontline_ingest::SourceFile;
use frontline_model::{ControlStatus, LossStatus};
use schemars::JsonSchema;
use serde::Deserialize;
use std::borrow::Cow;
use std::path::PathBuf;

/// The region of interest of control maps, `west,south,east,north`:
/// Ukraine and the Russian border oblasts (see `Region::war`).
pub const WAR_REGION: &str = "22,44,41.5,53.5";
/// Recent periods a nowcast reports by default.
pub const NOWCAST_RECENT: usize = 8;
/// Recent periods nowcast at each step of a backtest by default.
pub const BACKTEST_RECENT: usize = 4;
/// The claimant and subject of `notes` by default.
pub const NOTES_CLAIMANT: &str = "ua-general-staff";
/// See [`NOTES_CLAIMANT`].
pub const NOTES_SUBJECT: &str = "russia";

fn day() -> Period {
    Period::Day
}
fn week() -> Period {
    Period::Week
}
fn month() -> Period {
    Period::Month
}
fn nowcast_recent() -> usize {
    NOWCAST_RECENT
}
fn backtest_recent() -> usize {
    BACKTEST_RECENT
}
fn notes_claimant() -> String {
    NOTES_CLAIMANT.into()
}
fn notes_subject() -> String {
    NOTES_SUBJECT.into()
}

/// Which tally series: a category and, when several parties claim it, who
/// about whom.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SeriesSelect {
    /// Loss category, e.g. `personnel`, `tank`.
    pub category: String,
    /// Claimant, when the category is claimed by several.
    pub claimant: Option<String>,
    /// Subject, when the category is claimed about several.
    pub subject: Option<String>,
    /// Spread each catch-up jump over the stale or missing days before it.
    pub spread_catchups: bool,
}

/// A request with no parameters (any parameter but `format` is refused).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// `series` / `GET /series/{category}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct SeriesRequest {
    /// Loss category (the path segment in the API).
    #[serde(default)]
    #[schemars(skip)]
    pub category: String,
    /// Claimant, when the category is claimed by several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub claimant: Option<String>,
    /// Subject, when the category is claimed about several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: Option<String>,
    /// Spread each catch-up jump over the stale or missing days before it.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub spread_catchups: bool,
    /// First day (periods overlapping it are included whole).
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// Period to sum over.
    #[serde(default = "day")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = day()))]
    pub period: Period,
    /// Add a trailing mean over this many periods.
    #[cfg_attr(feature = "cli", arg(long))]
    pub rolling: Option<usize>,
}

/// `figure` / `GET /figure/{category}`: one day's figure, every revision.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct FigureRequest {
    /// Loss category (the path segment in the API).
    #[serde(default)]
    #[schemars(skip)]
    pub category: String,
    /// Claimant, when the category is claimed by several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub claimant: Option<String>,
    /// Subject, when the category is claimed about several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: Option<String>,
    /// The reporting day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: NaiveDate,
}

/// `records` / `GET /records/{category}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct RecordsRequest {
    /// Loss category (the path segment in the API).
    #[serde(default)]
    #[schemars(skip)]
    pub category: String,
    /// Claimant, when the category is claimed by several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub claimant: Option<String>,
    /// Subject, when the category is claimed about several.
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: Option<String>,
    /// Spread each catch-up jump over the stale or missing days before it.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub spread_catchups: bool,
    /// Compare only days from this one on (early estimates are rough).
    #[cfg_attr(feature = "cli", arg(long))]
    pub since: Option<NaiveDate>,
    /// Show only records set on or after this day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
}

impl SeriesRequest {
    /// The series it names.
    pub fn select(&self) -> SeriesSelect {
        SeriesSelect {
            category: self.category.clone(),
            claimant: self.claimant.clone(),
            subject: self.subject.clone(),
            spread_catchups: self.spread_catchups,
        }
    }
}

impl RecordsRequest {
    /// The series it names.
    pub fn select(&self) -> SeriesSelect {
        SeriesSelect {
            category: self.category.clone(),
            claimant: self.claimant.clone(),
            subject: self.subject.clone(),
            spread_catchups: self.spread_catchups,
        }
    }
}

/// `breaks` / `GET /breaks`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BreaksRequest {
    /// Only this category's breaks (a tally category, or a control status
    /// for a mapper's).
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
}

/// `events` / `GET /events` (and the feeds, which take the same filters).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct EventsRequest {
    /// Only events about days from this one on.
    #[cfg_attr(feature = "cli", arg(long))]
    pub since: Option<NaiveDate>,
    /// Only these kinds, comma-separated (`record`, `handover`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub kind: Option<String>,
    /// Only record days of this category (`personnel`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
    /// Only settlements of this first-level unit (`RU-KRS`) or country.
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Only settlements of at least this many people.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0))]
    pub min_population: u64,
    /// Only events about this settlement (its name in any of the
    /// gazetteer's languages).
    #[cfg_attr(feature = "cli", arg(long))]
    pub place: Option<String>,
    /// Only events of this source: a synced source or loss list (`oryx`),
    /// a mapper (`deepstate`), or the file a figure came from.
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// The titles' language: `en`, `uk` or `ru` [default: en].
    #[cfg_attr(feature = "cli", arg(long))]
    pub lang: Option<String>,
    /// At most this many, the newest [default: 100; at most 1,000].
    #[cfg_attr(feature = "cli", arg(long))]
    pub limit: Option<usize>,
}

/// `export layer`: a spatial answer as a file (docs/ogc.md).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct ExportLayerRequest {
    /// What: `control` (a mapper's areas of one status), `units` (each
    /// first-level unit's area and share of one status), `disagreement`
    /// (what only one of two mappers draws), `settlements` (each with its
    /// status) or `losses` (a loss list's located items).
    #[cfg_attr(feature = "cli", arg(long))]
    pub what: String,
    /// Whose maps (default deepstate).
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// `disagreement`: the mapper compared with `mapper`.
    #[cfg_attr(feature = "cli", arg(long))]
    pub against: Option<String>,
    /// The status: required for control, units and disagreement; for
    /// settlements, only those of it.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: Option<String>,
    /// `losses`: whose list (oryx, warspotting…).
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// The day whose map is in force (default: the newest map).
    #[cfg_attr(feature = "cli", arg(long, conflicts_with_all = ["from", "to"]))]
    pub date: Option<NaiveDate>,
    /// An interval's first day instead: the maps published in it (at most
    /// 31), or the losses of events in it; for units, the change over it.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// The interval's last day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// Only features meeting west,south,east,north (CRS84).
    #[cfg_attr(feature = "cli", arg(long))]
    pub bbox: Option<String>,
    /// `gpkg` (GeoPackage), `fgb` (FlatGeobuf), `parquet` (GeoParquet 1.1)
    /// or `csv` (CSV with WKT, the provenance beside).
    #[cfg_attr(feature = "cli", arg(long = "format"))]
    pub format: String,
    /// The file to write (a new one).
    #[cfg_attr(feature = "cli", arg(long))]
    pub out: PathBuf,
}

/// `notes` / `GET /notes`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct NotesRequest {
    /// First day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: NaiveDate,
    /// Last day (default: `from`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// Claimant.
    #[serde(default = "notes_claimant")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = notes_claimant()))]
    pub claimant: String,
    /// Subject.
    #[serde(default = "notes_subject")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = notes_subject()))]
    pub subject: String,
}

/// Which control layer: a status, optionally clipped to an outline, of one
/// mapper.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritorySelect {
    /// Control status.
    pub status: ControlStatus,
    /// Clip to an imported outline: a country (`UA`: de jure when its units
    /// are imported; `UA:de-facto` as the map draws it) or a unit (`UA-09`).
    pub within: Option<String>,
    /// Which mapper's snapshots (needed when several are stored).
    pub mapper: Option<String>,
}

/// `territory area|peak` / `GET /territory/area|peak`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct AreaRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// Clip to an imported outline: a country (`UA`: de jure when its units
    /// are imported; `UA:de-facto` as the map draws it) or a unit (`UA-09`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Which mapper's snapshots (needed when several are stored).
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// First day (default: first snapshot).
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day (default: last snapshot).
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
}

/// `territory change` / `GET /territory/change`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// Clip to an imported outline: a country (`UA`: de jure when its units
    /// are imported; `UA:de-facto` as the map draws it) or a unit (`UA-09`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// First day (default: first snapshot).
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day (default: last snapshot).
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// One change per week or month instead of one overall.
    #[cfg_attr(feature = "cli", arg(long))]
    pub period: Option<Period>,
    /// Write the gained and lost polygons to this GeoJSON file. The CLI's
    /// only: the API refuses it as an unknown parameter (a file of this
    /// machine is never a URL's to name).
    #[cfg_attr(feature = "cli", arg(long))]
    #[serde(skip)]
    #[schemars(skip)]
    pub geojson: Option<PathBuf>,
}

/// `territory compare` / `GET /territory/compare`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// The two mappers, comma-separated (`deepstate,isw`); name the one that
    /// publishes less often second.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mappers: String,
    /// Clip both to an imported outline (as for `territory change`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// The day (default: the last day both cover).
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: Option<NaiveDate>,
    /// First day of a range: one row per day the second mapper published.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day of that range.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// Break the day down by the first-level units of this country (`UA`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub country: Option<String>,
    /// Write the disagreement on `date` to this GeoJSON file (a feature per
    /// mapper: what it draws and the other does not). The CLI's only, as
    /// for `territory change`; over HTTP it is `/territory/compare/polygons`.
    #[cfg_attr(feature = "cli", arg(long, requires = "date"))]
    #[serde(skip)]
    #[schemars(skip)]
    pub geojson: Option<PathBuf>,
}

/// `territory history` / `GET /places/{id}/history`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct PlaceHistoryRequest {
    /// The place's id (as `/places` gives it; the API takes it from the
    /// path, the CLI as its argument).
    #[serde(default)]
    pub id: Option<i64>,
    /// Or its name, when only one place has it.
    #[cfg_attr(feature = "cli", arg(long, required_unless_present = "id"))]
    pub place: Option<String>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
}

/// `GET /tiles/control/{z}/{x}/{y}`: whose control maps.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TilesRequest {
    /// Which mapper's snapshots (default: DeepState when stored, else the
    /// only mapper).
    pub mapper: Option<String>,
}

/// `territory settlements` / `GET /territory/settlements`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct SettlementsRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// Only places inside this imported outline.
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// The day (or give `from` and `to` for a daily listing).
    #[cfg_attr(feature = "cli", arg(long, required_unless_present = "from", conflicts_with_all = ["from", "to"]))]
    pub date: Option<NaiveDate>,
    /// First day of a daily listing.
    #[cfg_attr(feature = "cli", arg(long, requires = "to"))]
    pub from: Option<NaiveDate>,
    /// Last day of a daily listing.
    #[cfg_attr(feature = "cli", arg(long, requires = "from"))]
    pub to: Option<NaiveDate>,
    /// Only places of at least this population.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t))]
    pub min_population: u64,
}

/// `territory handovers` / `GET /territory/handovers`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct HandoversRequest {
    /// First day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: NaiveDate,
    /// Last day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: NaiveDate,
    /// Only places inside this imported outline.
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// Only places of at least this population.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t))]
    pub min_population: u64,
}

/// `territory units` / `GET /territory/units`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct UnitsRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// The country whose first-level units to list (ISO code, e.g. UA).
    #[cfg_attr(feature = "cli", arg(long))]
    pub country: String,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// The day (default: the last snapshot's).
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: Option<NaiveDate>,
    /// Also the change since this day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub since: Option<NaiveDate>,
}

/// `territory distance` / `GET /territory/distance`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct DistanceRequest {
    /// Control status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: ControlStatus,
    /// Clip to an imported outline first.
    #[cfg_attr(feature = "cli", arg(long))]
    pub within: Option<String>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// The day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: NaiveDate,
    /// A place name from the imported gazetteer (CLI: `--to`).
    #[cfg_attr(
        feature = "cli",
        arg(long, alias = "to", conflicts_with = "layer", required_unless_present = "layer")
    )]
    pub place: Option<String>,
    /// An imported reference layer: one row per feature, nearest first
    /// (CLI: `--to-layer`).
    #[cfg_attr(feature = "cli", arg(long, alias = "to-layer"))]
    pub layer: Option<String>,
}

macro_rules! territory_select {
    ($($t:ty),*) => {$(
        impl $t {
            /// The layer it names.
            pub fn select(&self) -> TerritorySelect {
                TerritorySelect {
                    status: self.status,
                    within: self.within.clone(),
                    mapper: self.mapper.clone(),
                }
            }
        }
    )*};
}
territory_select!(AreaRequest, ChangeRequest, SettlementsRequest, DistanceRequest);

/// `GET /territory/snapshots`, `/territory/control`, `/places`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct MapRequest {
    /// The day (required by `/territory/control`; colours places by status
    /// in `/places`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub date: Option<NaiveDate>,
    /// Which mapper's snapshots.
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// Only places of at least this population (`/places`).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0))]
    pub min_population: u64,
}

/// `GET /boundaries`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BoundariesRequest {
    /// Only what falls in this box, `west,south,east,north` in degrees: the
    /// page asks for the theatre only (Russia's whole outline is most of
    /// the answer's weight).
    #[cfg_attr(feature = "cli", arg(long))]
    pub bbox: Option<String>,
}

/// `GET /losses/located`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct LocatedRequest {
    /// First event day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last event day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
    /// Only items inside `west,south,east,north` (degrees), e.g. the map's
    /// viewport.
    #[cfg_attr(feature = "cli", arg(long))]
    pub bbox: Option<String>,
    /// Whose losses (e.g. russia).
    #[cfg_attr(feature = "cli", arg(long))]
    pub side: Option<String>,
    /// Category (e.g. tanks).
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
}

/// Which loss items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemFilter {
    /// Sources (empty: all).
    pub source: Vec<String>,
    /// Whose losses (e.g. Russia).
    pub side: Option<String>,
    /// Category (e.g. tanks).
    pub category: Option<String>,
    /// Status.
    pub status: Option<LossStatus>,
}

/// Which date places an item in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum DateBasis {
    /// When the loss happened.
    #[default]
    Event,
    /// When its evidence was first published.
    Published,
}

/// `losses count` / `GET /losses/count`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct CountRequest {
    /// Sources, comma-separated (default: all).
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// Whose losses (e.g. russia).
    #[cfg_attr(feature = "cli", arg(long))]
    pub side: Option<String>,
    /// Category (e.g. tanks).
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
    /// Status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: Option<LossStatus>,
    /// Period.
    #[serde(default = "week")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = week()))]
    pub period: Period,
    /// Date counted by.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub by: DateBasis,
    /// First day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
}

/// `lag` / `GET /lag`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct LagRequest {
    /// Sources, comma-separated (default: all).
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// Whose losses.
    #[cfg_attr(feature = "cli", arg(long))]
    pub side: Option<String>,
    /// Category.
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
    /// Status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: Option<LossStatus>,
    /// Period of publication.
    #[serde(default = "month")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = month()))]
    pub period: Period,
    /// Only periods whose lag left its usual range, with the likely cause.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub alerts: bool,
}

/// `nowcast` / `GET /nowcast`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct NowcastRequest {
    /// Sources, comma-separated (default: all).
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// Whose losses.
    #[cfg_attr(feature = "cli", arg(long))]
    pub side: Option<String>,
    /// Category.
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
    /// Status.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: Option<LossStatus>,
    /// Week or month.
    #[serde(default = "week")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = week()))]
    pub period: Period,
    /// Recent periods to report.
    #[serde(default = "nowcast_recent")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = nowcast_recent()))]
    pub recent: usize,
}

/// `backtest`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {
    /// Sources, comma-separated (default: all).
    pub source: Option<String>,
    /// Whose losses.
    pub side: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Status.
    pub status: Option<LossStatus>,
    /// First as-of period.
    pub from: NaiveDate,
    /// Last as-of period.
    pub to: NaiveDate,
    /// Week or month.
    #[serde(default = "week")]
    pub period: Period,
    /// Recent periods nowcast at each step.
    #[serde(default = "backtest_recent")]
    pub recent: usize,
}

macro_rules! item_filter {
    ($($t:ident),*) => {$(
        impl $t {
            /// The items it names.
            pub fn filter(&self) -> ItemFilter {
                ItemFilter {
                    source: split_list(self.source.as_deref()),
                    side: self.side.clone(),
                    category: self.category.clone(),
                    status: self.status,
                }
            }
        }
    )*};
}
// The day a query answers as of is the store's (`Store::known_by`), not a
// field of any request: one parameter, every query (docs/schema-and-dates.md).
item_filter!(CountRequest, LagRequest, NowcastRequest, BacktestRequest);

/// `a,b` → `[a, b]`, blanks dropped.
pub fn split_list(s: Option<&str>) -> Vec<String> {
    s.into_iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `overlap` / `GET /losses/overlap`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct OverlapRequest {
    /// The two sources, comma-separated.
    #[cfg_attr(feature = "cli", arg(long))]
    pub sources: String,
    /// Whose losses.
    #[cfg_attr(feature = "cli", arg(long))]
    pub side: Option<String>,
    /// Category.
    #[cfg_attr(feature = "cli", arg(long))]
    pub category: Option<String>,
    /// First event day (default: where both sources have events).
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last event day (default: where both sources have events).
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
}

/// `history`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct HistoryRequest {
    /// Item id (`source:key`) or a proof URL.
    pub item: String,
}

/// `audit` / `GET /audit`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct AuditRequest {
    /// Only writes on or after this day (UTC).
    #[cfg_attr(feature = "cli", arg(long))]
    pub since: Option<NaiveDate>,
}

/// `claims check` / `GET /claims/check`: the ledger's claims, or a file's.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct ClaimsCheckRequest {
    /// A claims file to check instead of the ledger. The CLI's only: the
    /// API refuses it as an unknown parameter.
    #[serde(skip)]
    #[schemars(skip)]
    pub file: Option<PathBuf>,
}

/// Tally file layouts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum TallyFormat {
    /// By file name: `*.csv`, `*correction*.json`, other `*.json`.
    #[default]
    Auto,
    /// General Staff daily JSON.
    GeneralStaff,
    /// General Staff corrections JSON.
    Corrections,
    /// Long CSV `date,claimant,subject,category,cumulative`.
    Csv,
}

/// A reparse: kept bytes read again by today's parser, after a parser fix.
/// The bytes were imported before, so their SHA-256 alone would make the
/// import a no-op; a reparse is keyed by the bytes and its time, and names
/// the bytes (`SourceMeta::bytes_sha256`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reparse {
    /// When the reparse ran (RFC 3339): part of its key and its name.
    pub at: String,
}

impl Reparse {
    /// The key this reparse of bytes with SHA-256 `sha` is stored under.
    pub fn key(&self, sha: &str) -> String {
        use sha2::Digest;
        let key = sha2::Sha256::digest(format!("{sha} reparse {}", self.at).as_bytes());
        key.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The source of `file` read again: keyed apart, naming its bytes.
    pub fn meta(&self, mut meta: frontline_model::SourceMeta) -> frontline_model::SourceMeta {
        let key = self.key(&meta.sha256);
        meta.bytes_sha256 = Some(std::mem::replace(&mut meta.sha256, key));
        meta.location = format!("{} (reparse {})", meta.location, self.at);
        meta
    }
}

/// `import tallies`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportTalliesRequest {
    /// Files to import, all in one transaction.
    #[cfg_attr(feature = "cli", arg(required = true, value_parser = cli::input))]
    pub files: Vec<Input>,
    /// How to read them; `auto` decides from each file's name.
    // Its own id: `format` is the answer's (`--format`).
    #[cfg_attr(feature = "cli", arg(id = "tally_format", long = "as", value_enum, default_value_t))]
    pub format: TallyFormat,
    /// Set by a reparse: the same bytes read again by today's parser,
    /// stored as an import of their own (see [`Reparse`]).
    #[cfg_attr(feature = "cli", arg(skip))]
    pub reparse: Option<Reparse>,
}

/// Control-map layouts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum ControlLayout {
    /// DeepStateMap GeoJSON.
    #[default]
    Deepstate,
    /// Any GeoJSON with --status-property and --map.
    Geojson,
}

/// `import control`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportControlRequest {
    /// Files or folders (`.geojson`, `.geojson.gz`), all in one
    /// transaction.
    #[cfg_attr(feature = "cli", arg(required = true, value_name = "PATHS", value_parser = cli::input))]
    pub files: Vec<Input>,
    /// Input layout.
    #[cfg_attr(feature = "cli", arg(long = "as", value_enum, default_value_t))]
    pub layout: ControlLayout,
    /// Mapper name for generic GeoJSON (e.g. `isw`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub mapper: Option<String>,
    /// Generic GeoJSON: property holding the status value.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status_property: Option<String>,
    /// Generic GeoJSON: `VALUE=STATUS` (occupied, liberated, contested);
    /// repeatable.
    #[cfg_attr(feature = "cli", arg(long = "map", value_parser = cli::mapping))]
    pub map: Vec<(String, ControlStatus)>,
    /// Generic GeoJSON: property holding the snapshot time (else the file
    /// name).
    #[cfg_attr(feature = "cli", arg(long))]
    pub time_property: Option<String>,
    /// Generic GeoJSON: every feature has this status (occupied, liberated,
    /// contested), for a file that draws one status only.
    #[cfg_attr(
        feature = "cli",
        arg(long = "every-feature", value_parser = cli::status, conflicts_with_all = ["status_property", "map"])
    )]
    pub every: Option<ControlStatus>,
    /// Generic GeoJSON: drop features without a geometry (each reported,
    /// counted as rejected) instead of refusing the file.
    #[cfg_attr(feature = "cli", arg(long))]
    pub drop_shapeless: bool,
    /// Region of interest `west,south,east,north`; polygons outside are
    /// dropped.
    #[cfg_attr(feature = "cli", arg(long, default_value = WAR_REGION))]
    pub region: String,
    /// Set by a reparse (see [`Reparse`]).
    #[cfg_attr(feature = "cli", arg(skip))]
    pub reparse: Option<Reparse>,
}

impl ImportControlRequest {
    /// DeepState files with the default region.
    pub fn deepstate(files: Vec<Input>) -> Self {
        ImportControlRequest {
            files,
            layout: ControlLayout::Deepstate,
            mapper: None,
            status_property: None,
            map: vec![],
            time_property: None,
            every: None,
            drop_shapeless: false,
            region: WAR_REGION.into(),
            reparse: None,
        }
    }
}

/// `import layer`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportLayerRequest {
    /// GeoJSON of points or lines.
    #[cfg_attr(feature = "cli", arg(value_parser = cli::input))]
    pub file: Input,
    /// Name to store the layer under (e.g. `roads`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub name: String,
    /// Property naming each feature.
    #[cfg_attr(feature = "cli", arg(long, default_value = "name"))]
    pub name_property: String,
}

/// Gazetteer layouts (`import places --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum PlacesLayout {
    /// A CSV with `name`, `lat`, `lon` and optional columns (GeoNames'
    /// cities500/cities1000 extracts among them).
    #[default]
    Csv,
    /// A GeoNames country dump (`UA.txt`, `RU.txt`): every populated
    /// place, villages included.
    Geonames,
}

/// `import places`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportPlacesRequest {
    /// The gazetteer.
    #[cfg_attr(feature = "cli", arg(value_parser = cli::input))]
    pub file: Input,
    /// Its layout.
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value = "csv"))]
    pub format: PlacesLayout,
    /// The smallest population the file holds every place of, when its
    /// name does not say (GeoNames' `cities500` does): counts of places
    /// are read against it (docs/claims.md).
    #[cfg_attr(feature = "cli", arg(long))]
    pub min_population: Option<u64>,
    /// GeoNames' alternate names (`alternateNamesV2.txt`, or a country's
    /// `alternatenames/UA.txt`), for the places' names in Ukrainian and
    /// Russian (with `--format geonames`).
    #[cfg_attr(feature = "cli", arg(long, value_parser = cli::input))]
    pub names: Option<Input>,
}

impl ImportPlacesRequest {
    /// A CSV gazetteer with nothing more said (an upload).
    pub fn csv(file: Input) -> Self {
        ImportPlacesRequest {
            file,
            format: PlacesLayout::Csv,
            min_population: None,
            names: None,
        }
    }
}

/// Loss-list layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum LossLayout {
    /// scarnecchia/oryx_data event_*.csv.
    Oryx,
    /// WarSpotting losses.csv.
    Warspotting,
    /// Generic CSV or JSON (id, side, category, model, status, …).
    Generic,
}

/// `import losses`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportLossesRequest {
    /// Files to import, all in one transaction.
    #[cfg_attr(feature = "cli", arg(required = true, value_parser = cli::input))]
    pub files: Vec<Input>,
    /// Input layout.
    #[cfg_attr(feature = "cli", arg(long = "format", value_enum))]
    pub layout: LossLayout,
    /// Source name for generic files (default: the file name's stem).
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// Fail the whole import on the first bad row (default: skip bad rows
    /// and write them to a reject file).
    #[cfg_attr(feature = "cli", arg(long))]
    pub strict: bool,
    /// Where to write rejected rows (default: `<first file>.rejects.csv`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub rejects: Option<PathBuf>,
    /// Let this import mark more than a few stored items as gone upstream
    /// (by default more than 10 items or 1 % of a list is refused).
    #[cfg_attr(feature = "cli", arg(long))]
    pub allow_shrink: bool,
}

/// One file an import reads.
#[derive(Debug, Clone)]
pub enum Input {
    /// Bytes in hand (an upload, a sync's fetch, a kept body), under the
    /// name their provider gave.
    Bytes(SourceFile),
    /// A file on this machine, read when its turn comes (so that a long
    /// archive of maps is never all in memory at once) and named by its
    /// own file name.
    Path(PathBuf),
}

impl Input {
    /// The file's name and bytes: read now for a path, borrowed (not
    /// copied) when in hand.
    pub fn open(&self) -> anyhow::Result<Cow<'_, SourceFile>> {
        match self {
            Input::Bytes(f) => Ok(Cow::Borrowed(f)),
            Input::Path(p) => Ok(Cow::Owned(SourceFile::read(p)?)),
        }
    }

    /// The name the file will be stored under.
    pub fn name(&self) -> String {
        match self {
            Input::Bytes(f) => f.name.clone(),
            Input::Path(p) => SourceFile::name_of(p),
        }
    }

    /// Paths given on a command line.
    pub fn paths(paths: &[PathBuf]) -> Vec<Input> {
        paths.iter().cloned().map(Input::Path).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file to read or write is the CLI's only: over HTTP (a query
    /// string, JSON alike) it is an unknown parameter, never a path of the
    /// server's machine.
    #[test]
    fn cli_only_files_are_unknown_parameters() {
        let refused = |e: serde_json::Error| e.to_string().contains("unknown field");
        let q = serde_json::json!({"file": "/etc/passwd"});
        assert!(serde_json::from_value::<ClaimsCheckRequest>(q).is_err_and(refused));
        let q = serde_json::json!({"status": "occupied", "geojson": "/tmp/x.geojson"});
        assert!(serde_json::from_value::<ChangeRequest>(q).is_err_and(refused));
        let q = serde_json::json!({"status": "occupied", "mappers": "a,b", "geojson": "/tmp/x.geojson"});
        assert!(serde_json::from_value::<CompareRequest>(q).is_err_and(refused));
        // Without it, each is read.
        assert!(serde_json::from_value::<ClaimsCheckRequest>(serde_json::json!({})).is_ok());
        let q = serde_json::json!({"status": "occupied"});
        assert!(serde_json::from_value::<ChangeRequest>(q).is_ok());
    }

    #[test]
    fn defaults_are_applied_and_unknown_parameters_refused() {
        let q: NowcastRequest = serde_urlencoded::from_str("recent=3").unwrap();
        assert_eq!((q.recent, q.period), (3, Period::Week));
        let q: NowcastRequest = serde_urlencoded::from_str("").unwrap();
        assert_eq!((q.recent, q.period), (NOWCAST_RECENT, Period::Week));
        let q: LagRequest = serde_urlencoded::from_str("").unwrap();
        assert_eq!((q.period, q.alerts), (Period::Month, false));
        let bad = serde_urlencoded::from_str::<LagRequest>("period=week&cb=1");
        assert!(bad.unwrap_err().to_string().contains("unknown field `cb`"));
    }
}

/// How a counts file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum CountFormat {
    /// UALosses / Mediazona JSON: `{period: {deaths, missing, total}}`.
    Ualosses,
    /// Long CSV: `period,vintage,subject,status,count`.
    Csv,
}

/// `import counts`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ImportCountsRequest {
    /// Files to import, each vintage in its own transaction.
    #[cfg_attr(feature = "cli", arg(required = true, value_parser = cli::input))]
    pub files: Vec<Input>,
    /// How to read them.
    #[cfg_attr(feature = "cli", arg(long = "format", value_enum))]
    pub format: CountFormat,
    /// Whose losses (for UALosses JSON, which names none).
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: Option<String>,
    /// The day the file was saved (for UALosses JSON, which names none).
    #[cfg_attr(feature = "cli", arg(long))]
    pub vintage: Option<NaiveDate>,
    /// The list's name [default: `ualosses`; `generic` for CSV].
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// The list's edition: a list whose method changed starts the next.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 1))]
    pub edition: u32,
    /// Store a vintage identical to the latest stored one.
    #[cfg_attr(feature = "cli", arg(long))]
    pub allow_identical: bool,
}

/// `backfill` / `GET /backfill`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BackfillRequest {
    /// Whose losses (`Ukraine`, `Russia`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: String,
    /// Period length: `day`, `week` or `month`.
    #[cfg_attr(feature = "cli", arg(long))]
    pub period: frontline_model::Granularity,
    /// The list, when several are stored.
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// The edition [default: the latest].
    #[cfg_attr(feature = "cli", arg(long))]
    pub edition: Option<u32>,
    /// First period (its first day).
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last period (its first day).
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
}

/// `nowcast counts` / `GET /nowcast/counts`; `backtest --counts`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct CountNowcastRequest {
    /// Whose losses (`Ukraine`, `Russia`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub subject: String,
    /// Period length: `day`, `week` or `month`.
    #[cfg_attr(feature = "cli", arg(long))]
    pub period: frontline_model::Granularity,
    /// The list, when several are stored.
    #[cfg_attr(feature = "cli", arg(long))]
    pub source: Option<String>,
    /// The edition [default: the latest].
    #[cfg_attr(feature = "cli", arg(long))]
    pub edition: Option<u32>,
    /// How far ahead [default: the days between the two vintages learned
    /// from].
    #[cfg_attr(feature = "cli", arg(long))]
    pub horizon_days: Option<i64>,
}

/// `compare personnel` / `GET /compare/personnel`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct ClaimedNamedRequest {
    /// The claimant of the daily figures (`ua-general-staff`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub claimed: String,
    /// The named list (`mediazona`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub named: String,
    /// Whose losses [default: Russia].
    #[serde(default = "russia")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = russia()))]
    pub subject: String,
    /// Period length: the named list's (`month`, `week`).
    #[cfg_attr(feature = "cli", arg(long))]
    pub period: frontline_model::Granularity,
    /// First day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[cfg_attr(feature = "cli", arg(long))]
    pub to: Option<NaiveDate>,
}

fn russia() -> String {
    "Russia".into()
}

/// What the flags of the import requests are read with (the `cli`
/// feature).
#[cfg(feature = "cli")]
mod cli {
    use super::Input;
    use frontline_model::ControlStatus;

    /// A file named on the command line, read when its turn comes.
    pub fn input(s: &str) -> Result<Input, String> {
        Ok(Input::Path(s.into()))
    }

    /// A control status by name.
    pub fn status(s: &str) -> Result<ControlStatus, String> {
        ControlStatus::parse(s).ok_or_else(|| format!("unknown status `{s}` (occupied, liberated, contested)"))
    }

    /// `VALUE=STATUS`.
    pub fn mapping(s: &str) -> Result<(String, ControlStatus), String> {
        let (value, status) = s.split_once('=').ok_or_else(|| format!("`{s}` is not VALUE=STATUS"))?;
        Ok((value.to_string(), self::status(status)?))
    }
}
