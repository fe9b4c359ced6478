//! What each query answers: typed records, serialized the same way by the
//! CLI (table, CSV, JSON) and the API (JSON, CSV), and described by their
//! JSON Schema in the OpenAPI document. Field order is column order.
//!
//! Areas and distances are rounded to the metre (3 decimals of km²/km),
//! rates to 3 decimals; a figure that cannot be computed is `null`.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

/// Rounds to 3 decimals; `None` for a figure that is not finite.
pub fn round3(v: f64) -> Option<f64> {
    // `+ 0.0`: a tiny negative rounds to -0.0, which prints as `-0.0`.
    v.is_finite().then(|| (v * 1000.0).round() / 1000.0 + 0.0)
}

/// A stored tally series and its span.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Category {
    /// Who claims it.
    pub claimant: String,
    /// About whom.
    pub subject: String,
    /// The category.
    pub category: String,
    /// First day with a figure.
    pub first: NaiveDate,
    /// Last day with a figure.
    pub last: NaiveDate,
    /// Days with a figure.
    pub days: usize,
}

/// An imported source.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Source {
    /// Id.
    pub id: i64,
    /// The name it was imported under.
    pub location: String,
    /// Parser used.
    pub kind: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// When imported (UTC, RFC 3339).
    pub imported_at: String,
    /// Records parsed.
    pub records: usize,
    /// Records newly stored.
    pub added: usize,
}

/// An imported gazetteer and what it covers (docs/claims.md).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct GazetteerRow {
    /// The name it was imported under.
    pub file: String,
    /// Places it held.
    pub places: u64,
    /// The smallest population it holds every place of (0: every
    /// populated place; none: not stated, so its counts are lower bounds).
    pub min_population: Option<u64>,
    /// Feature classes or codes, `,`-separated.
    pub classes: String,
    /// Countries and the box its places lie in.
    pub region: String,
    /// Where the coverage was read: the file's name or layout,
    /// `--min-population`, or `unknown`.
    pub coverage_from: String,
    /// When imported (UTC, RFC 3339).
    pub imported_at: String,
}

/// A text attribute of a daily report.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Note {
    /// Day.
    pub date: NaiveDate,
    /// Field, e.g. `greatest_losses_direction`.
    pub field: String,
    /// Text as published.
    pub text: String,
}

/// A break (`breaks`): where a claimed series starts, takes over merged
/// categories or stops, or where a mapper renames a status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BreakRow {
    /// Claimant, or the mapper.
    pub claimant: String,
    /// Subject, or `control map`.
    pub subject: String,
    /// Category, or the control status.
    pub category: String,
    /// The day: its first figure (starts, continues), its last (stops),
    /// the first map with the new names (vocabulary).
    pub date: NaiveDate,
    /// `starts`, `continues`, `stops` or `vocabulary`.
    pub kind: String,
    /// Why it matters.
    pub reason: String,
    /// The import that gave the day's figure (tallies).
    pub source_id: Option<i64>,
    /// Its file, or the map's, as given.
    pub source_file: Option<String>,
}

/// One recorded write.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AuditRow {
    /// Sequence number.
    pub id: i64,
    /// When (UTC, RFC 3339, milliseconds).
    pub at: String,
    /// `cli:USER` or `token:NAME`.
    pub actor: String,
    /// Command or endpoint.
    pub via: String,
    /// Store operation.
    pub action: String,
    /// Source ids made, space-separated.
    pub sources: String,
    /// Records added.
    pub added: i64,
    /// Items given a new version.
    pub updated: i64,
    /// Items marked gone.
    pub tombstoned: i64,
}

/// A token, without its secret.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct TokenRow {
    /// Name.
    pub name: String,
    /// reader, importer or admin.
    pub role: String,
    /// When made.
    pub created_at: String,
    /// When revoked.
    pub revoked_at: Option<String>,
}

/// One claim checked against the evidence.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ClaimCheck {
    /// The analyst's id for the claim.
    pub id: String,
    /// Who said it.
    pub speaker: String,
    /// When.
    pub said_on: NaiveDate,
    /// The words.
    pub quote: String,
    /// The number claimed, with its qualifier and unit.
    pub claimed: String,
    /// What it is about.
    pub metric: String,
    /// The measured value, in the claim's unit, on today's data (none when
    /// not checkable).
    pub measured: Option<f64>,
    /// The exact query it came from, with the snapshot and outline used.
    pub method: String,
    /// What the measure holds beyond its number: the settlements by name,
    /// largest first (at most 20).
    pub detail: String,
    /// supported, consistent, overstated, understated, contradicted,
    /// not-checkable — on today's data.
    pub verdict: frontline_analysis::claims::Verdict,
    /// Why it could not be checked on today's data, or why the measure is
    /// only a lower bound ("at least 2: the gazetteer … holds places of
    /// 500 people or more").
    pub reason: String,
    /// The measured value on the data available on the day the claim was
    /// made (docs/claims.md).
    pub measured_then: Option<f64>,
    /// The verdict on that data.
    pub verdict_then: frontline_analysis::claims::Verdict,
    /// Why it could not be checked on that data.
    pub reason_then: String,
    /// Where it was published.
    pub source_url: String,
    /// The page's state that shows it: `/#date=…&status=…` or
    /// `/#date=…&category=…` (empty when no day or view fits).
    pub permalink: String,
}

/// A claim of the ledger, in its latest version.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ClaimRow {
    /// The analyst's id for the claim.
    pub id: String,
    /// Its version, from 1.
    pub version: u32,
    /// Who said it.
    pub speaker: String,
    /// Their role or organisation.
    pub role: String,
    /// When.
    pub said_on: NaiveDate,
    /// When the report of it was published, if known apart.
    pub published_on: Option<NaiveDate>,
    /// The words.
    pub quote: String,
    /// Their language.
    pub language: String,
    /// The number claimed, with its qualifier and unit.
    pub claimed: String,
    /// What it is about.
    pub metric: String,
    /// Where it was published.
    pub source_url: String,
    /// The file (or `claims add`) it came from.
    pub source_file: String,
}

/// One revision of one day's cumulative figure, and the bytes it came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FigureRow {
    /// Reporting day.
    pub date: NaiveDate,
    /// Cumulative figure as this import gave it.
    pub cumulative: i64,
    /// The claimant's qualifier, if any.
    pub qualifier: Option<String>,
    /// Whether this revision is the one in effect (the latest import).
    pub current: bool,
    /// The import (source id).
    pub source_id: i64,
    /// Its file or URL.
    pub source_file: String,
    /// The SHA-256 of its bytes: `frontline bytes SHA256` (or `GET
    /// /api/v1/bytes/SHA256`) gives them back when a sync fetched them.
    pub source_sha256: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
}

/// One day of a claimed series.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SeriesDay {
    /// Day.
    pub date: NaiveDate,
    /// Daily value, net of published corrections.
    pub value: i64,
    /// Cumulative figure as published.
    pub cumulative: i64,
    /// Correction published for the day.
    pub correction: i64,
    /// Artefacts: missing, stale, catchup, correction, negative, merge.
    pub flags: String,
    /// A break of the series on the day (`starts`, `continues`, `stops`,
    /// with why; `GET /breaks`), else null.
    pub r#break: Option<String>,
    /// Trailing mean, when `rolling` was asked (null until enough days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling_mean: Option<Option<f64>>,
}

/// One week or month of a claimed series.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SeriesPeriod {
    /// First day of the period.
    pub date: NaiveDate,
    /// Sum of daily values.
    pub value: i64,
    /// Days of the period with a value.
    pub days: u32,
    /// Days of the period with no report.
    pub unreported_days: u32,
    /// The breaks of the series within the period (the sum covers part of
    /// it, or parts of two series), else null.
    pub r#break: Option<String>,
    /// Trailing mean, when `rolling` was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolling_mean: Option<Option<f64>>,
}

/// Daily or per-period values.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum SeriesAnswer {
    /// `period=day`.
    Days(Vec<SeriesDay>),
    /// `period=week|month`.
    Periods(Vec<SeriesPeriod>),
}

/// A record day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RecordDay {
    /// Day.
    pub date: NaiveDate,
    /// Its value.
    pub value: i64,
    /// The record it beat (none for the first day compared).
    pub previous_record: Option<i64>,
    /// Consecutive record days ending here.
    pub streak: u32,
    /// Artefacts of the day.
    pub flags: String,
    /// Where the comparison starts later than asked because the series
    /// starts or continues merged categories there, else null.
    pub r#break: Option<String>,
}

/// Area of a status on a day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AreaDay {
    /// Day.
    pub date: NaiveDate,
    /// Geodesic area, km².
    pub area_km2: Option<f64>,
    /// The snapshot that stands for the day (RFC 3339).
    pub snapshot: String,
    /// Within a country: km² of border slivers removed from the area
    /// (docs/territory.md; add them back for the raw clip).
    pub slivers_km2: Option<f64>,
    /// With `within`: the area as a share of the outline's own (0–1).
    pub share_of_unit: Option<f64>,
    /// With `within`: the outline used, in words (a country's de jure
    /// outline, the map's de facto one, or a first-level unit).
    pub outline: Option<String>,
    /// A break of the mapper's series on the day (it renamed the status:
    /// `vocabulary: …`, `GET /breaks`), else null.
    pub r#break: Option<String>,
}

/// A status's area inside one first-level unit on a day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct UnitArea {
    /// ISO 3166-2 code.
    pub code: String,
    /// Name, in English.
    pub name: String,
    /// Name in Ukrainian.
    pub name_uk: Option<String>,
    /// Name in Russian.
    pub name_ru: Option<String>,
    /// Day.
    pub date: NaiveDate,
    /// The snapshot that stands for the day (RFC 3339).
    pub snapshot: String,
    /// Geodesic area of the status inside the unit, km².
    pub area_km2: Option<f64>,
    /// Geodesic area of the unit, km².
    pub unit_km2: Option<f64>,
    /// The status's share of the unit (0–1).
    pub share_of_unit: Option<f64>,
    /// With `since`: that day.
    pub since: Option<NaiveDate>,
    /// With `since`: the change of the area since that day, km².
    pub change_km2: Option<f64>,
}

/// Ground gained and lost between two days.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ChangeRow {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Newly inside the status, km².
    pub gained_km2: Option<f64>,
    /// No longer inside, km².
    pub lost_km2: Option<f64>,
    /// Gained − lost, km².
    pub net_km2: Option<f64>,
    /// The mapper's breaks within the period (it renamed the status),
    /// else null: the change may compare areas drawn by two rules.
    pub r#break: Option<String>,
}

/// Where two mappers agree and disagree about one status on a day (in one
/// unit when broken down by unit).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MapperGap {
    /// The day.
    pub date: NaiveDate,
    /// First-level unit code, when broken down by unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Its English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// The first mapper.
    pub a_mapper: String,
    /// The second mapper.
    pub b_mapper: String,
    /// The first mapper's snapshot standing for the day (published by its end).
    pub a_snapshot: String,
    /// The second mapper's.
    pub b_snapshot: String,
    /// The status's area by the first mapper, km² (geodesic).
    pub a_km2: Option<f64>,
    /// By the second.
    pub b_km2: Option<f64>,
    /// Drawn by both.
    pub both_km2: Option<f64>,
    /// Drawn by the first only.
    pub only_a_km2: Option<f64>,
    /// Drawn by the second only.
    pub only_b_km2: Option<f64>,
    /// Drawn by one only: `only_a_km2 + only_b_km2`.
    pub disagree_km2: Option<f64>,
    /// Disagreement as a share of what either draws (the union).
    pub disagree_share: Option<f64>,
}

/// A place inside a status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Settlement {
    /// Day, in a daily listing (`from`/`to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Population, if known.
    pub population: Option<u64>,
    /// Status on the day.
    pub status: String,
    /// First-level division.
    pub admin1: Option<String>,
}

/// A place whose status changed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Handover {
    /// Name.
    pub name: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
    /// First day in the new status.
    pub date: NaiveDate,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Population, if known.
    pub population: Option<u64>,
    /// First-level division.
    pub admin1: Option<String>,
}

/// A settlement's status from one snapshot on: a row per change.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct StatusChange {
    /// The place's id.
    pub place_id: i64,
    /// Its name.
    pub name: String,
    /// The day of the first snapshot showing the status.
    pub date: NaiveDate,
    /// That snapshot's publication time.
    pub snapshot: String,
    /// The status from then on (`none`: outside every area).
    pub status: String,
    /// The status before (absent on the first row, the first snapshot's).
    pub previous: Option<String>,
}

/// A distance from a status's edge.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Distance {
    /// Day.
    pub date: NaiveDate,
    /// Place or feature name.
    pub to: String,
    /// Geodesic distance, km.
    pub km: Option<f64>,
}

/// Items per period.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PeriodCount {
    /// First day of the period.
    pub period: NaiveDate,
    /// Items, linked items counted once.
    pub count: u64,
}

/// Reporting lag of a period of publication.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LagPeriod {
    /// First day of the period.
    pub period: NaiveDate,
    /// Items published in it with an event date.
    pub n: usize,
    /// Median event → publication delay, days.
    pub median_days: Option<f64>,
    /// 90th percentile, days.
    pub p90_days: Option<f64>,
}

/// A period whose lag left its usual range.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LagAlert {
    /// First day of the period.
    pub period: NaiveDate,
    /// Its median lag, days.
    pub median_days: Option<f64>,
    /// The usual median, days.
    pub baseline_days: Option<f64>,
    /// `shorter` or `longer`.
    pub direction: String,
    /// The likely cause: `lag change`, `scraping gap`, `burst of events`.
    pub cause: String,
    /// In words: "usually 14–21 days, this week 3: …".
    pub detail: String,
    /// Items in the period.
    pub n: usize,
    /// The usual number of items.
    pub usual_n: Option<f64>,
    /// The usual range's low end (25th percentile), days.
    pub usual_low_days: Option<f64>,
    /// The usual range's high end (75th percentile), days.
    pub usual_high_days: Option<f64>,
}

/// Lag per period, or only its alerts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum LagAnswer {
    /// Every period.
    Periods(Vec<LagPeriod>),
    /// `alerts=true`.
    Alerts(Vec<LagAlert>),
}

/// A nowcast of one period.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NowcastRow {
    /// First day of the period.
    pub period: NaiveDate,
    /// Items published by the as-of day.
    pub observed: u64,
    /// Expected once late evidence is in.
    pub estimate: Option<f64>,
    /// 90 % interval, lower bound.
    pub lower: Option<f64>,
    /// 90 % interval, upper bound.
    pub upper: Option<f64>,
}

/// How past nowcasts compare with the counts finally reported.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Backtest {
    /// Mean absolute error of the nowcast.
    pub nowcast_mae: Option<f64>,
    /// Mean absolute error of the count as seen then.
    pub naive_mae: Option<f64>,
    /// Share of final counts inside the 90 % interval.
    pub coverage: Option<f64>,
    /// Periods compared.
    pub n: usize,
}

/// Items in both sources or one only, and a two-source estimate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Overlap {
    /// First event day compared.
    pub from: Option<NaiveDate>,
    /// Last event day compared.
    pub to: Option<NaiveDate>,
    /// In both lists.
    pub in_both: u64,
    /// In the first only.
    pub only_a: u64,
    /// In the second only.
    pub only_b: u64,
    /// In the first.
    pub in_a: u64,
    /// In the second.
    pub in_b: u64,
    /// Chapman estimate of the total.
    pub estimate: Option<f64>,
    /// Its 95 % interval, lower bound.
    pub lower: Option<f64>,
    /// Upper bound.
    pub upper: Option<f64>,
    /// How to read it.
    pub caveat: String,
}

/// A stored version of an item.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HistoryRow {
    /// Item id.
    pub id: String,
    /// Version, from 1.
    pub version: u32,
    /// The file it came from.
    pub source_file: String,
    /// The SHA-256 of its bytes: `frontline bytes SHA256` (or `GET
    /// /api/v1/bytes/SHA256`) gives them back when a sync fetched them.
    pub source_sha256: String,
    /// When recorded.
    pub recorded_at: String,
    /// Whose loss.
    pub side: String,
    /// Category.
    pub category: String,
    /// Model.
    pub model: String,
    /// Status.
    pub status: String,
    /// Items.
    pub count: u32,
    /// Event date.
    pub event_date: Option<NaiveDate>,
    /// Published date.
    pub published_date: Option<NaiveDate>,
    /// Proof links, space-separated.
    pub proof_urls: String,
    /// Gone from its source now.
    pub tombstoned: bool,
}

/// What one file's import did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ImportRow {
    /// The name it was imported under.
    pub file: String,
    /// Source id (the earlier one when already imported).
    pub source_id: i64,
    /// Records parsed.
    pub records: usize,
    /// Records newly stored.
    pub added: usize,
    /// `imported` or `already imported`.
    pub status: String,
    /// What was changed or left out while reading it, `; `-separated:
    /// features rejected, and repairs that changed an area by more than
    /// 1 % (each with its feature number). Empty when nothing was.
    pub warnings: String,
}

/// What a loss-list import did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct LossImport {
    /// Files imported now.
    pub files: usize,
    /// Files imported before (skipped).
    pub already_imported: usize,
    /// Rows parsed.
    pub parsed: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Items kept without an event date because theirs cannot be right
    /// (before the war, after first sighting, a three-digit day).
    pub dates_unreadable: usize,
    /// Items seen for the first time.
    pub added: usize,
    /// Items given a new version.
    pub updated: usize,
    /// Items identical to the stored version.
    pub unchanged: usize,
    /// Items no longer listed (kept, marked gone).
    pub tombstoned: usize,
}

#[cfg(test)]
mod tests {
    #[test]
    fn rounding_never_gives_negative_zero() {
        let r = super::round3(-0.0001).unwrap();
        assert!(r == 0.0 && r.is_sign_positive(), "{r}");
        assert_eq!(serde_json::to_string(&r).unwrap(), "0.0");
    }
}

/// An event (docs/events.md).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EventRow {
    /// Stable id: the kind and what it is about.
    pub id: String,
    /// `record` or `handover`.
    pub kind: String,
    /// The day it is about.
    pub date: NaiveDate,
    /// When Frontline recorded it.
    pub detected_at: chrono::DateTime<chrono::Utc>,
    /// One line, in the language asked.
    pub title: String,
    /// A loss category, a settlement's name.
    pub subject: String,
    /// The series' subject, or the settlement's first-level unit.
    pub scope: String,
    /// The figures, by name.
    pub figures: serde_json::Map<String, serde_json::Value>,
    /// The page's view of it.
    pub permalink: String,
    /// The stored sources that carry it (a record day: the file of its
    /// figure).
    pub sources: Vec<String>,
}
