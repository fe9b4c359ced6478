//! Storage for Frontline.
//!
//! [`Store`] is the one interface the rest of the program sees. It is kept
//! narrow (whole imports in, model values out) and computes nothing: the
//! analyses live in `frontline-analysis`. Two backends implement it and run
//! the same conformance suite (`crates/store-tests`):
//!
//! - [`SqliteStore`], the embedded default: one file, nothing to start;
//! - [`PgStore`], the team backend: PostgreSQL with PostGIS geometry.
//!
//! [`open`] picks the backend from a URL, so no caller names one.

mod as_of;
mod error;
mod plan;
mod postgres;
mod schema;
mod sqlite;
mod types;
mod wkb_codec;

pub use as_of::KnownBy;
pub use error::StoreError;
pub use frontline_model::{Classify, ErrorClass};
pub use postgres::PgStore;
pub use schema::SCHEMA_VERSION;
pub use sqlite::SqliteStore;
pub use types::{
    AreaFilter, Attempt, AttemptThen, AuditContext, AuditEntry, Blob, ControlEdit, Coverage, Days, DeliveryFilter,
    EventFilter, EvidenceFilter, EvidenceImport, EvidenceReport, EvidenceVersion, FetchRecord, FigureRevision,
    ImportReport, LayerLabels, PlaceChange, PlaceEdit, PlaceFilter, Revision, Role, SeriesSummary, SnapshotInfo,
    SourceRecord, StoredClaim, StoredLayer, StoredSnapshot, SubscriptionChange, SyncRun, TallyImport, TokenRecord,
};

/// Opens the store a `--db` value names, bringing its schema up to date:
///
/// - `postgres://…` or `postgresql://…`: the PostgreSQL + PostGIS backend;
/// - `sqlite:PATH` or a plain path: the embedded SQLite file.
///
/// The store is `Send`, so servers can pool them across threads.
pub fn open(url: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    match Backend::of(url)? {
        Backend::Postgres => Ok(Box::new(PgStore::connect(url)?)),
        Backend::Sqlite(path) => Ok(Box::new(SqliteStore::open(std::path::Path::new(path))?)),
    }
}

/// Opens an existing store for a command that only reads: an SQLite file
/// that is missing, empty or at an older schema version is refused and left
/// untouched. (A PostgreSQL database is a server's: connecting creates no
/// file, and its migrations run as for [`open`].)
pub fn open_existing(url: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    match Backend::of(url)? {
        Backend::Postgres => Ok(Box::new(PgStore::connect(url)?)),
        Backend::Sqlite(path) => Ok(Box::new(SqliteStore::open_existing(std::path::Path::new(path))?)),
    }
}

/// Which backend a `--db` value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend<'a> {
    /// PostgreSQL + PostGIS.
    Postgres,
    /// An SQLite file at this path.
    Sqlite(&'a str),
}

impl<'a> Backend<'a> {
    /// Reads a `--db` value.
    pub fn of(url: &'a str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres);
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(StoreError::BadUrl("the database path is empty".into()));
        }
        // `mysql://x` and the like are URLs of backends we do not have, not
        // file names: refuse them rather than create a file called that.
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(StoreError::BadUrl(format!(
                "unknown database scheme `{scheme}://`; use a file path, `sqlite:PATH` or `postgres://…`"
            )));
        }
        Ok(Backend::Sqlite(path))
    }
}

use chrono::NaiveDate;
use frontline_model::{
    Boundary, BoundaryLevel, Claim, Claimant, ControlStatus, CountSeries, Event, EvidenceItem, Gazetteer,
    GazetteerCoverage, LayerFeature, Mapper, Place, SeriesKey, SourceMeta, Subject, TallyNote, TallySeries, Vintage,
};
use frontline_model::{Delivery, Subscription};

/// What every storage backend provides.
///
/// Imports are atomic (all files of one call or none) and idempotent: a file
/// whose SHA-256 was imported before adds nothing, and a figure equal to the
/// one already stored is not stored again. A figure that differs from the
/// stored one is kept as a newer revision; the older one stays in history.
pub trait Store {
    /// The day this handle answers as of ([`KnownBy`]); `None`: now.
    fn known_by(&self) -> Option<NaiveDate> {
        None
    }

    /// A number that every committed write (by any process) changes; readers
    /// keep cached answers only while it stays the same.
    fn data_version(&self) -> Result<i64, StoreError>;

    /// Sets who writes through this handle from now on. Every write records
    /// an [`AuditEntry`] in its own transaction, so no write goes
    /// unrecorded.
    fn set_audit_context(&mut self, context: AuditContext);

    /// Recorded writes at or after `since`, oldest first.
    fn audit(&self, since: Option<chrono::DateTime<chrono::Utc>>) -> Result<Vec<AuditEntry>, StoreError>;

    /// Stores a new token. A name already in use (even revoked) is a
    /// [`StoreError::Conflict`].
    fn put_token(&mut self, token: &TokenRecord) -> Result<(), StoreError>;

    /// Revokes a token by name; `false` when no active token has that name.
    fn revoke_token(&mut self, name: &str) -> Result<bool, StoreError>;

    /// Every token, revoked ones included, by name.
    fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError>;

    /// Stores parsed tally files in one transaction.
    fn import_tallies(&mut self, files: &[TallyImport]) -> Result<Vec<ImportReport>, StoreError>;

    /// Every imported source, oldest first.
    fn sources(&self) -> Result<Vec<SourceRecord>, StoreError>;

    /// The keys of every tally series with at least one figure, without
    /// their spans (what resolving a category name needs, at a fraction of
    /// the cost of [`Store::tally_catalog`]). With `known_by`, those with a
    /// figure dated by then (a day's first figure is known from the day).
    fn tally_keys(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError>;

    /// Every stored tally series with its date span; with `known_by`, the
    /// spans of the figures dated by then.
    fn tally_catalog(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError>;

    /// The current figures of one series, or `None` when it is not stored.
    /// With `known_by`, the figures as known at the end of that day (UTC):
    /// days up to it, each day's newest figure known by then. A day's first
    /// figure is known from the day itself (a tally is published on the day
    /// it counts to), a revision from the day its file was imported.
    fn tally_series(&self, key: &SeriesKey, known_by: Option<NaiveDate>) -> Result<Option<TallySeries>, StoreError>;

    /// Stores a claims file in one transaction: a claim new by its id is
    /// added; one whose content changed gets a new version; the same file
    /// again adds nothing.
    fn import_claims(&mut self, meta: &SourceMeta, claims: &[Claim]) -> Result<ImportReport, StoreError>;

    /// The current version of every stored claim, by id. With `known_by`,
    /// the version known by the end of that day: a claim's first version
    /// (it was public when said; whether it was said by then is the
    /// caller's check), a later version from the day of its import.
    fn claims(&self, known_by: Option<NaiveDate>) -> Result<Vec<StoredClaim>, StoreError>;

    /// Stores one vintage of a count series in one transaction; a vintage
    /// the series already holds, or the same file again, adds nothing
    /// (whether a vintage may be stored is the caller's rule).
    fn import_vintage(&mut self, meta: &SourceMeta, vintage: &Vintage) -> Result<ImportReport, StoreError>;

    /// Every stored vintage of a series, oldest first, counts by period
    /// and status.
    fn vintages(&self, series: &CountSeries) -> Result<Vec<Vintage>, StoreError>;

    /// Every stored count series with the days of its vintages, oldest
    /// first.
    fn count_series(&self) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError>;

    /// Every revision of one day's figure of a series, oldest first (the
    /// last is current), each with the import it came from.
    fn figure_revisions(&self, key: &SeriesKey, date: NaiveDate) -> Result<Vec<FigureRevision>, StoreError>;

    /// Text attributes of reports on `days`.
    fn tally_notes(&self, claimant: &Claimant, subject: &Subject, days: Days) -> Result<Vec<TallyNote>, StoreError>;

    /// Whether a file with this SHA-256 was imported before.
    fn has_source(&self, sha256: &str) -> Result<bool, StoreError>;

    /// Opens one transaction for a stream of control-map snapshots: nothing
    /// is stored unless [`ControlImport::commit`] is called.
    fn import_control(&mut self) -> Result<Box<dyn ControlImport + '_>, StoreError>;

    /// Stores country outlines (newest import of a code wins). Clipped areas
    /// remembered for a re-imported code are forgotten.
    fn import_boundaries(&mut self, meta: &SourceMeta, boundaries: &[Boundary]) -> Result<ImportReport, StoreError>;

    /// Stores places; a place with the same name and coordinates is kept
    /// once, taking the Ukrainian and Russian names a later file gives it
    /// (such a place counts as added). The file's coverage is kept with it.
    fn import_places(
        &mut self,
        meta: &SourceMeta,
        coverage: &GazetteerCoverage,
        places: &[Place],
    ) -> Result<ImportReport, StoreError>;

    /// Stores a named reference layer.
    fn import_layer(
        &mut self,
        meta: &SourceMeta,
        layer: &str,
        features: &[LayerFeature],
    ) -> Result<ImportReport, StoreError>;

    /// Current snapshots (newest import per mapper and time), oldest first.
    fn control_snapshots(&self, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError>;

    /// The current snapshots (as [`Store::control_snapshots`]), each with its
    /// area of one status: without `within`, the layer's stored area (`None`:
    /// the snapshot has no such layer, 0 km²); with `within`, the remembered
    /// area clipped to that outline (`None`: not computed yet). One call, so
    /// a networked backend answers a timeline with its areas in one round
    /// trip. With `known_by`, the snapshots as known at the end of that day
    /// (UTC): those published by then, each time's newest import known by
    /// then (the first import from the day the map was published, a
    /// re-import of the same map from the day it was imported).
    fn snapshot_areas(&self, filter: AreaFilter<'_>) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError>;

    /// The layers of one snapshot with these statuses, in the order asked
    /// (a status the snapshot has no layer of is left out). Several at once,
    /// so a networked backend fetches a snapshot in one round trip.
    fn control_layers(&self, snapshot_id: i64, statuses: &[ControlStatus]) -> Result<Vec<StoredLayer>, StoreError>;

    /// The labels of the layers of these snapshots (of one status, or of
    /// all), without geometry, in the order of the ids asked, then by
    /// status (what `breaks` compares from one map to the next).
    fn control_labels(&self, ids: &[i64], status: Option<ControlStatus>) -> Result<Vec<LayerLabels>, StoreError>;

    /// Remembers areas of a status clipped to an outline, by snapshot id
    /// (read back through [`Store::snapshot_areas`]). They are computed by
    /// the analysis layer and only kept here; importing a new outline of
    /// that code forgets them.
    fn put_within_areas(&mut self, status: ControlStatus, within: &str, km2: &[(i64, f64)]) -> Result<(), StoreError>;

    /// Records where snapshots differ from the ones before them, replacing
    /// a snapshot's earlier record. Derived, like clipped areas: not
    /// audited.
    fn put_control_edits(&mut self, edits: &[ControlEdit]) -> Result<(), StoreError>;

    /// The recorded edits of `mapper`'s snapshots (of those taken on or
    /// after `from`, when given), in snapshot id order.
    fn control_edits(&self, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Vec<ControlEdit>, StoreError>;

    /// Every recorded edit of `mapper`'s snapshots as one place sees it
    /// (the pair, how far its places go, the place's change), in snapshot
    /// id order: a settlement's history without reading any boxes.
    fn place_edits(&self, mapper: &Mapper, place_id: i64) -> Result<Vec<PlaceEdit>, StoreError>;

    /// Records the events not recorded before (known by their id), in the
    /// order given, stamped with the time now; how many were new. They are
    /// derived from the data, like clipped areas: not audited.
    fn put_events(&mut self, events: &[Event]) -> Result<usize, StoreError>;

    /// Recorded events, the newest recorded first.
    fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, StoreError>;

    /// Adds a webhook subscription (audited). It is owed the events
    /// recorded after this moment, not those before.
    fn put_subscription(&mut self, subscription: &Subscription) -> Result<(), StoreError>;

    /// Every webhook subscription, by id.
    fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError>;

    /// Pauses, resumes or removes one (audited); `false` when no
    /// subscription has that id.
    fn change_subscription(&mut self, id: &str, change: &SubscriptionChange) -> Result<bool, StoreError>;

    /// Queues, due `now`, one delivery per subscription and recorded event
    /// of a kind it follows that it is owed and has none yet; how many were
    /// queued. Delivery bookkeeping leaves the data version alone (it
    /// changes no answer).
    fn queue_deliveries(&mut self, now: chrono::DateTime<chrono::Utc>) -> Result<usize, StoreError>;

    /// Deliveries with their events, oldest first.
    fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError>;

    /// Records an attempt at a delivery and what follows it.
    fn record_attempt(&mut self, delivery: i64, attempt: &Attempt) -> Result<(), StoreError>;

    /// Records a sync run with the requests it made and the bodies it
    /// kept (content-addressed: a body stored before is not stored again),
    /// in one write.
    fn record_sync(&mut self, run: &SyncRun, fetches: &[FetchRecord], blobs: &[Blob]) -> Result<(), StoreError>;

    /// Sync runs, oldest first, of one source or all.
    fn sync_runs(&self, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError>;

    /// The latest request made for `url`, if any (for conditional requests).
    fn last_fetch(&self, url: &str) -> Result<Option<FetchRecord>, StoreError>;

    /// A kept body by the SHA-256 of its bytes.
    fn blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError>;

    /// Holds a sync's result for review; its files' bodies must be kept
    /// already. Returns its number.
    fn put_revision(&mut self, revision: &Revision) -> Result<i64, StoreError>;

    /// Every held revision, oldest first.
    fn revisions(&self) -> Result<Vec<Revision>, StoreError>;

    /// Marks a pending revision accepted or rejected, by the audit actor,
    /// with the reason given; `false` when it is not pending (or unknown).
    fn decide_revision(&mut self, id: i64, accept: bool, why: &str) -> Result<bool, StoreError>;

    /// A country outline by ISO code (case-insensitive).
    ///
    /// `level` none: a country's de jure outline when one is stored, else
    /// its de facto one; a unit's outline. The latest import of each wins;
    /// with `known_by`, the latest imported by the end of that day, else
    /// (nothing imported yet then) the first import: outlines carry no
    /// publication date, and the first stands for what was published
    /// before it.
    fn boundary(
        &self,
        code: &str,
        level: Option<BoundaryLevel>,
        known_by: Option<NaiveDate>,
    ) -> Result<Option<Boundary>, StoreError>;

    /// The import (source id) of the outline [`Store::boundary`] gives for
    /// `code` with no level, without reading its geometry.
    fn boundary_source(&self, code: &str, known_by: Option<NaiveDate>) -> Result<Option<i64>, StoreError>;

    /// Every stored outline (the one in force of each code and level, as
    /// [`Store::boundary`] picks it), by code.
    fn boundaries(&self, known_by: Option<NaiveDate>) -> Result<Vec<Boundary>, StoreError>;

    /// Stored places passing the filter, in import order.
    fn places(&self, filter: &PlaceFilter) -> Result<Vec<Place>, StoreError>;

    /// Every imported gazetteer with its coverage, in import order (one
    /// imported before coverage was recorded has `min_population: None`
    /// and `from: "unknown"`).
    fn gazetteers(&self) -> Result<Vec<Gazetteer>, StoreError>;

    /// The features of a reference layer.
    fn layer(&self, name: &str) -> Result<Vec<LayerFeature>, StoreError>;

    /// Stores loss-list files in one transaction. Items are matched by id;
    /// a changed item gets a new version, an item of the same source and
    /// status no longer listed by a [`Coverage::Full`] file is tombstoned
    /// (never deleted), as is every item a [`Coverage::Partial`] file names
    /// gone.
    fn import_evidence(&mut self, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError>;

    /// Current, listed items that pass the filter, ordered by id.
    fn evidence_items(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError>;

    /// Every stored version of the item with this id, or of every item with
    /// this proof URL, oldest first.
    fn evidence_history(&self, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError>;
}

/// A control-map import in progress (one transaction).
pub trait ControlImport {
    /// Whether a file with this SHA-256 was imported before (or earlier in
    /// this transaction), so callers can skip parsing it.
    fn has_source(&mut self, sha256: &str) -> Result<bool, StoreError>;
    /// Adds one snapshot from one file; a file imported before adds nothing.
    fn add(&mut self, meta: &SourceMeta, snapshot: &StoredSnapshot) -> Result<ImportReport, StoreError>;
    /// Makes everything added permanent.
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}
