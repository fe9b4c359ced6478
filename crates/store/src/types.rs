use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{SeriesKey, SourceKind, SourceMeta, TallyBatch};
use serde::Serialize;

/// Which areas [`crate::Store::snapshot_areas`] reads: one mapper's (every
/// mapper's when `None`), of one status, whole or clipped to an outline
/// (`within`, a code), as known by a day (`None`: today).
#[derive(Debug, Clone, Copy)]
pub struct AreaFilter<'a> {
    /// Whose maps.
    pub mapper: Option<&'a frontline_model::Mapper>,
    /// Which status.
    pub status: frontline_model::ControlStatus,
    /// The outline the areas are clipped to.
    pub within: Option<&'a str>,
    /// The day of knowledge.
    pub known_by: Option<NaiveDate>,
    /// Only maps taken on or after this day (UTC): what is new since an
    /// import, read without the whole history (#27).
    pub from: Option<NaiveDate>,
}

impl<'a> AreaFilter<'a> {
    /// The whole areas of `status` on `mapper`'s maps (every mapper's when
    /// `None`), as known today.
    pub fn new(mapper: Option<&'a frontline_model::Mapper>, status: frontline_model::ControlStatus) -> Self {
        AreaFilter {
            mapper,
            status,
            within: None,
            known_by: None,
            from: None,
        }
    }

    /// The same, from `day` on (when given).
    pub fn from(self, day: Option<NaiveDate>) -> Self {
        AreaFilter { from: day, ..self }
    }

    /// The same, clipped to the outline `within` (when given).
    pub fn within(self, within: Option<&'a str>) -> Self {
        AreaFilter { within, ..self }
    }
}

/// Which recorded events [`crate::Store::events`] reads, newest first.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Of these kinds (every kind when empty).
    pub kinds: Vec<frontline_model::EventKind>,
    /// About days from this one on.
    pub since: Option<NaiveDate>,
    /// At most this many (the newest).
    pub limit: usize,
    /// As recorded by the end of this day (`None`: today).
    pub known_by: Option<NaiveDate>,
}

/// Which deliveries [`crate::Store::deliveries`] reads, oldest first.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    /// In this state (any when `None`).
    pub status: Option<frontline_model::DeliveryStatus>,
    /// Of this subscription (any when `None`).
    pub subscription: Option<String>,
    /// Only pending ones due by then, of subscriptions not paused (the
    /// worker's question).
    pub due_by: Option<DateTime<Utc>>,
    /// At most this many.
    pub limit: usize,
}

/// What one delivery attempt came to ([`crate::Store::record_attempt`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// What follows.
    pub then: AttemptThen,
}

/// After an attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttemptThen {
    /// Accepted: delivered.
    Delivered,
    /// Try again then.
    Retry(DateTime<Utc>),
    /// Give up: a dead letter.
    Dead,
}

/// A change to a subscription ([`crate::Store::change_subscription`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SubscriptionChange {
    /// Stop delivering (queued deliveries wait), with when and why.
    Pause(DateTime<Utc>, String),
    /// Deliver again: what was queued is due now.
    Resume(DateTime<Utc>),
    /// Delete it and its deliveries.
    Remove,
}

/// Days from the first to the last, both included.
pub type Days = std::ops::RangeInclusive<NaiveDate>;

/// One parsed tally file ready to store.
#[derive(Debug, Clone)]
pub struct TallyImport {
    /// Where it came from.
    pub meta: SourceMeta,
    /// What it holds.
    pub batch: TallyBatch,
}

/// What one file's import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Path or URL.
    pub location: String,
    /// The source's id (the earlier one when already imported).
    pub source_id: i64,
    /// True when these bytes were imported before and nothing was done.
    pub already_imported: bool,
    /// Records parsed from the file.
    pub records: usize,
    /// Records newly stored (new figures or revisions).
    pub added: usize,
}

impl ImportReport {
    /// The report of a file whose bytes were imported before, as source `id`.
    pub fn already(meta: &SourceMeta, id: i64) -> Self {
        ImportReport {
            location: meta.location.clone(),
            source_id: id,
            already_imported: true,
            records: 0,
            added: 0,
        }
    }

    /// The report of a new import, as source `id`: `records` read, `added`
    /// of them new.
    pub fn imported(meta: &SourceMeta, id: i64, records: usize, added: usize) -> Self {
        ImportReport {
            location: meta.location.clone(),
            source_id: id,
            already_imported: false,
            records,
            added,
        }
    }
}

/// An imported source as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRecord {
    /// Id.
    pub id: i64,
    /// Path or URL.
    pub location: String,
    /// Hex SHA-256.
    pub sha256: String,
    /// Parser used.
    pub kind: SourceKind,
    /// When imported.
    pub imported_at: DateTime<Utc>,
    /// Records parsed.
    pub records: usize,
    /// Records newly stored.
    pub added: usize,
    /// The SHA-256 of the bytes read: `sha256`, except for a reparse.
    pub bytes_sha256: String,
}

/// One claim as stored: its current version and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredClaim {
    /// The claim.
    pub claim: frontline_model::Claim,
    /// Its version, from 1 (a re-imported claim that changed is a new one).
    pub version: u32,
    /// The file it came from.
    pub source_location: String,
}

/// One revision of one day's cumulative figure, with the import it came
/// from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureRevision {
    /// The cumulative figure as that import gave it.
    pub cumulative: i64,
    /// The claimant's qualifier, if any.
    pub qualifier: Option<String>,
    /// The import (source id).
    pub source_id: i64,
    /// Its file or URL.
    pub location: String,
    /// The SHA-256 of the bytes it was read from.
    pub bytes_sha256: String,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
}

/// A stored series and its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesSummary {
    /// Which series.
    pub key: SeriesKey,
    /// First day with a figure.
    pub first: NaiveDate,
    /// Last day with a figure.
    pub last: NaiveDate,
    /// Days with a figure.
    pub days: usize,
}

/// A control-map snapshot ready to store: one cleaned layer per status.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    /// Who drew it.
    pub mapper: frontline_model::Mapper,
    /// Publication time.
    pub taken_at: DateTime<Utc>,
    /// Cleaned layers.
    pub layers: Vec<StoredLayer>,
    /// Point features.
    pub annotations: Vec<frontline_model::Annotation>,
    /// Polygons whose label mapped to no status.
    pub unmapped: usize,
    /// Polygons repaired.
    pub repaired: usize,
    /// Polygons rejected.
    pub rejected: usize,
    /// Polygons outside the region of interest.
    pub outside_region: usize,
}

/// Where a snapshot's map differs from the one before it in its mapper's
/// timeline (#27): boxes holding every point whose status can differ
/// between the two (`territory::edits::changed_boxes`), kept so that a
/// place's history decodes only the maps that changed around it.
/// Derived, never evidence. It holds only while `previous_id` is still the
/// snapshot before: snapshots are never changed, so the pair of ids says
/// whether it does, and a reader that finds another snapshot before tests
/// the map itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlEdit {
    /// The snapshot.
    pub snapshot_id: i64,
    /// The snapshot before it when the boxes were found.
    pub previous_id: i64,
    /// `[west, south, east, north]` in degrees; none when the maps are the same.
    pub boxes: Vec<[f64; 4]>,
    /// Every place whose id is at most this was tested against both maps
    /// (place ids only grow and places never move): `changes` is complete
    /// for them. 0: no place was tested.
    pub places_upto: i64,
    /// The places (of those) whose status on the snapshot differs from the
    /// one on the snapshot before, in place id order.
    pub changes: Vec<PlaceChange>,
}

/// A place's status on a snapshot, where it differs from the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceChange {
    /// The place.
    pub place_id: i64,
    /// Its new status; `None`: outside every layer.
    pub status: Option<frontline_model::ControlStatus>,
}

/// One recorded edit of a mapper's snapshot as one place sees it: the pair
/// it holds for, how far its places go, and the place's change on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceEdit {
    /// The snapshot.
    pub snapshot_id: i64,
    /// The snapshot before it when the edit was recorded.
    pub previous_id: i64,
    /// As [`ControlEdit::places_upto`].
    pub places_upto: i64,
    /// The place's new status on the snapshot, when it changed.
    pub change: Option<PlaceChange>,
}

/// One cleaned status layer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLayer {
    /// Status.
    pub status: frontline_model::ControlStatus,
    /// Union of its polygons.
    pub geometry: geo_types::MultiPolygon<f64>,
    /// Geodesic area, km².
    pub area_km2: f64,
    /// Features that contributed.
    pub features: usize,
    /// Distinct raw labels, as published.
    pub labels: Vec<String>,
}

/// The labels of one layer of a snapshot, without its geometry: what a
/// mapper called the areas of a status that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerLabels {
    /// The snapshot.
    pub snapshot_id: i64,
    /// The file it was imported from, as given.
    pub source: String,
    /// The layer's status.
    pub status: frontline_model::ControlStatus,
    /// Its distinct raw labels, as published.
    pub labels: Vec<String>,
}

/// A stored snapshot's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    /// Id.
    pub id: i64,
    /// Who drew it.
    pub mapper: frontline_model::Mapper,
    /// Publication time.
    pub taken_at: DateTime<Utc>,
}

/// One parsed loss-list file ready to store.
#[derive(Debug, Clone)]
pub struct EvidenceImport {
    /// Where it came from.
    pub meta: frontline_model::SourceMeta,
    /// Its items.
    pub items: Vec<frontline_model::EvidenceItem>,
    /// Whether it is the whole list or a part of it.
    pub coverage: Coverage,
}

/// How much of a source's list one imported file covers: what its
/// *absence* of a stored item means.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Coverage {
    /// The whole list (a file export, a full page): a stored item of an
    /// imported (source, status) that it no longer names is marked gone
    /// upstream (tombstoned).
    #[default]
    Full,
    /// Part of the list (one day's page, the newest items): nothing is
    /// inferred from absence. Only the item ids named here, found gone by
    /// a reconciliation of the part they belong to, are tombstoned.
    Partial {
        /// Item ids (`source:key`) gone upstream.
        gone: Vec<String>,
    },
}

/// What a loss-list import did, over all its files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceReport {
    /// Files imported now.
    pub files: usize,
    /// Files whose bytes were imported before (skipped).
    pub already_imported: usize,
    /// Items seen for the first time.
    pub added: usize,
    /// Items whose content changed (a new version was stored).
    pub updated: usize,
    /// Items identical to the stored version.
    pub unchanged: usize,
    /// Items no longer listed by their source (kept, marked gone).
    pub tombstoned: usize,
}

/// One stored version of an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceVersion {
    /// Version number, from 1.
    pub version: u32,
    /// The file it came from.
    pub source_location: String,
    /// The SHA-256 of that file's bytes (`frontline bytes` shows them when
    /// a sync fetched it).
    pub source_sha256: String,
    /// The item as that version recorded it.
    pub item: frontline_model::EvidenceItem,
    /// Whether the item is now gone from its source (on the current version).
    pub tombstoned: bool,
}

/// Which current items [`crate::Store::evidence_items`] returns. Every
/// field narrows the answer; the default (all `None`, no sources) is every
/// current, listed item. The backend applies the filter, so a query for one
/// week of one category reads that week, not the whole list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceFilter {
    /// Only these sources (`oryx`, `warspotting`…); empty means all.
    pub sources: Vec<String>,
    /// Only this side, compared case-insensitively.
    pub side: Option<String>,
    /// Only this category (canonical spelling, e.g. `tanks`).
    pub category: Option<String>,
    /// Only this status.
    pub status: Option<frontline_model::LossStatus>,
    /// Only items whose event date is on or after this day (undated items
    /// are left out when either bound is set).
    pub event_from: Option<NaiveDate>,
    /// Only items whose event date is on or before this day.
    pub event_to: Option<NaiveDate>,
    /// Only items located inside `[west, south, east, north]` (degrees);
    /// unlocated items are left out.
    pub bbox: Option<[f64; 4]>,
    /// Only items with coordinates.
    pub located: bool,
    /// At most this many items (the first by id), so that an answer with a
    /// cap costs no more than the cap to read.
    pub limit: Option<usize>,
    /// As known at the end of this day (UTC) instead of now: each item's
    /// newest version known by then, unless a tombstone known by then came
    /// after it; items not known yet are left out. A first version is known
    /// from the day its source first listed it (the published date) when it
    /// has one, else from the day it was recorded; a later version and a
    /// tombstone from the day they were recorded (docs/schema-and-dates.md).
    pub known_by: Option<NaiveDate>,
}

impl EvidenceFilter {
    /// The same filter, as known by the end of `day` (`None`: today).
    pub fn as_known_by(&self, day: Option<NaiveDate>) -> Self {
        EvidenceFilter {
            known_by: day,
            ..self.clone()
        }
    }
}

/// The fields that make an item's content; the recorded date is not one.
pub(crate) fn same_content(a: &frontline_model::EvidenceItem, b: &frontline_model::EvidenceItem) -> bool {
    (
        &a.side,
        &a.category,
        &a.model,
        a.status,
        a.count,
        a.dates.event,
        a.dates.published,
        &a.proof_urls,
    ) == (
        &b.side,
        &b.category,
        &b.model,
        b.status,
        b.count,
        b.dates.event,
        b.dates.published,
        &b.proof_urls,
    ) && a.location.map(|l| (l.lat.to_bits(), l.lon.to_bits()))
        == b.location.map(|l| (l.lat.to_bits(), l.lon.to_bits()))
}

/// Who is writing, and through what; set on a store handle before writes,
/// recorded with each of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditContext {
    /// `cli:USER` or `token:NAME`.
    pub actor: String,
    /// The command or endpoint, e.g. `import control` or `POST /api/v1/import/places`.
    pub via: String,
}

impl Default for AuditContext {
    fn default() -> Self {
        AuditContext {
            actor: "unknown".into(),
            via: "library".into(),
        }
    }
}

/// One recorded write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When it was committed (the transaction's start).
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// Through what.
    pub via: String,
    /// Which store operation: `import tallies`, `import control`, `token add`…
    pub action: String,
    /// Sources created by the write.
    pub sources: Vec<i64>,
    /// Records added.
    pub added: i64,
    /// Items given a new version.
    pub updated: i64,
    /// Items marked gone.
    pub tombstoned: i64,
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads only.
    Reader,
    /// Reads and imports.
    Importer,
    /// Everything, including the audit log.
    Admin,
}

impl Role {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Importer => "importer",
            Role::Admin => "admin",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        [Role::Reader, Role::Importer, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_lowercase())
    }
}

/// A named write token as stored: never the token itself, only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    /// Unique name, shown in the audit log.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// Hex SHA-256 of the token.
    #[serde(skip)]
    pub sha256: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Which places [`crate::Store::places`] returns, in import order. The
/// default is every place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceFilter {
    /// Only the place with this store id.
    pub id: Option<i64>,
    /// Only places with this name, compared case-insensitively.
    pub name: Option<String>,
    /// Only places of this country code, or of no known country (callers
    /// decide those by an outline), compared case-insensitively.
    pub country_or_unknown: Option<String>,
    /// Only places of at least this population (unknown counts as 0).
    pub min_population: u64,
    /// As known at the end of this day: the places first imported by then;
    /// before any places import, those of the first one stand in (a
    /// gazetteer carries no publication date). A later file's names for a
    /// place replace the earlier ones in place, so names are today's.
    pub known_by: Option<chrono::NaiveDate>,
}

impl PlaceFilter {
    /// The same filter, as known by the end of `day` (`None`: today).
    pub fn as_known_by(&self, day: Option<NaiveDate>) -> Self {
        PlaceFilter {
            known_by: day,
            ..self.clone()
        }
    }
}

/// One HTTP request a sync made, and where its body is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FetchRecord {
    /// The source synced (`deepstate`, `warspotting`…).
    pub source: String,
    /// What was asked.
    pub url: String,
    /// HTTP status (304 for "not modified").
    pub status: u16,
    /// When the answer arrived.
    pub fetched_at: DateTime<Utc>,
    /// SHA-256 of the body, whose bytes are kept under it
    /// ([`crate::Store::blob`]); `None` when there was none to keep.
    pub sha256: Option<String>,
    /// The answer's `ETag`, for the next conditional request.
    pub etag: Option<String>,
    /// The answer's `Last-Modified`, likewise.
    pub last_modified: Option<String>,
}

/// One sync run of one source: what it did, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncRun {
    /// The source synced.
    pub source: String,
    /// When the run began.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// Whether it completed.
    pub ok: bool,
    /// Records imported (0: nothing new).
    pub new_records: usize,
    /// HTTP requests made.
    pub requests: usize,
    /// What happened, in a line (the error when it failed).
    pub message: String,
}

/// A body fetched by a sync, content-addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// SHA-256 of the bytes as fetched.
    pub sha256: String,
    /// The bytes as stored (the sync layer may compress them; `encoding`
    /// says how).
    pub bytes: Vec<u8>,
    /// `identity` or `gzip`.
    pub encoding: String,
}

/// A sync's result held for a person to review instead of being applied:
/// the bodies it fetched, why it looked suspicious, and what it would
/// change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// Its number (0 before it is stored).
    pub id: i64,
    /// The source synced.
    pub source: String,
    /// When it was held.
    pub created_at: DateTime<Utc>,
    /// Why it was held, in a line.
    pub reason: String,
    /// What applying it would change, one line per change.
    pub diff: String,
    /// (file name, SHA-256 of a kept body) of every file the sync fetched,
    /// in import order.
    pub files: Vec<(String, String)>,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided (the audit actor).
    pub decided_by: Option<String>,
    /// Why, as the person said.
    pub why: Option<String>,
}

/// Files as stored: one `SHA256 NAME` line each (names hold no newline).
pub(crate) fn files_text(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, sha)| format!("{sha} {name}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The inverse of [`files_text`].
pub(crate) fn files_of(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(sha, name)| (name.to_string(), sha.to_string()))
        .collect()
}

/// A gazetteer's stored coverage read back; none stored (imported before
/// coverage was recorded): unknown.
pub(crate) fn coverage_or_unknown(text: Option<&str>) -> Result<frontline_model::GazetteerCoverage, crate::StoreError> {
    match text {
        None => Ok(frontline_model::GazetteerCoverage {
            from: "unknown".into(),
            ..Default::default()
        }),
        Some(t) => serde_json::from_str(t).map_err(|_| crate::StoreError::Corrupt {
            table: "gazetteer",
            column: "coverage",
            value: t.to_string(),
        }),
    }
}

/// A gazetteer's coverage as stored (JSON).
pub(crate) fn coverage_json(c: &frontline_model::GazetteerCoverage) -> String {
    // Plain fields (numbers, strings): serialising cannot fail.
    serde_json::to_string(c).unwrap_or_default()
}

/// A control edit's boxes as stored: each `[west, south, east, north]` as
/// four little-endian f64s (a JSON list made reading 2,800 maps' edits a
/// tenth of a second of number parsing).
pub(crate) fn boxes_bytes(boxes: &[[f64; 4]]) -> Vec<u8> {
    boxes.iter().flatten().flat_map(|v| v.to_le_bytes()).collect()
}

/// A control edit's boxes read back.
pub(crate) fn boxes_of(bytes: &[u8]) -> Result<Vec<[f64; 4]>, crate::StoreError> {
    if !bytes.len().is_multiple_of(32) {
        return Err(crate::StoreError::Corrupt {
            table: "control_edit",
            column: "boxes",
            value: format!("{} bytes, not whole boxes of 32", bytes.len()),
        });
    }
    let f = |b: &[u8]| f64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    Ok(bytes
        .chunks_exact(32)
        .map(|b| [f(&b[0..8]), f(&b[8..16]), f(&b[16..24]), f(&b[24..32])])
        .collect())
}

/// Gives each edit (in snapshot id order) its changes, listed by snapshot
/// id: both backends read the two tables apart, to keep the boxes unsorted.
pub(crate) fn attach_changes(edits: &mut [ControlEdit], changes: Vec<(i64, PlaceChange)>) {
    for (snapshot_id, change) in changes {
        if let Ok(i) = edits.binary_search_by_key(&snapshot_id, |e| e.snapshot_id) {
            edits[i].changes.push(change);
        }
    }
}
