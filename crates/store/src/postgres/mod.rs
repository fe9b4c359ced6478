//! The PostgreSQL + PostGIS team backend.
//!
//! Tables live in the `frontline` schema (see `migrations.rs`). Writes are
//! serialized across processes by a transaction-scoped advisory lock, the
//! same one-writer rule SQLite enforces by itself: the import logic reads
//! stored versions before it writes new ones, and two importers interleaving
//! would both decide an item is new. Readers never wait for it.

mod audit;
mod claims;
mod counts;
mod events;
mod evidence;
mod migrations;
#[cfg(test)]
pub(crate) use migrations::MIGRATIONS;
mod sync;
mod tallies;
mod territory;
mod webhooks;

use crate::{
    AreaFilter, Attempt, AuditContext, AuditEntry, Blob, ControlEdit, ControlImport, Days, DeliveryFilter, EventFilter,
    EvidenceFilter, EvidenceImport, EvidenceReport, EvidenceVersion, FetchRecord, FigureRevision, ImportReport,
    LayerLabels, PlaceFilter, Revision, SeriesSummary, SnapshotInfo, SourceRecord, Store, StoreError, StoredClaim,
    StoredLayer, SubscriptionChange, SyncRun, TallyImport, TokenRecord,
};
use chrono::NaiveDate;
use frontline_model::{
    Boundary, BoundaryLevel, Claim, Claimant, ControlStatus, CountSeries, Event, EvidenceItem, LayerFeature, Mapper,
    Place, SeriesKey, SourceKind, SourceMeta, Subject, TallyNote, TallySeries, Vintage,
};
use frontline_model::{Delivery, Subscription};
use frontline_model::{Gazetteer, GazetteerCoverage};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Row, Statement, Transaction};
use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

/// Advisory lock keys (arbitrary, fixed: "FRNTLN" + 1 / 2).
const WRITE_LOCK: i64 = 0x4652_4e54_4c4e_0001;
const MIGRATE_LOCK: i64 = 0x4652_4e54_4c4e_0002;

/// How long a writer waits for another writer before giving up with
/// [`StoreError::Busy`]. Imports of a whole map archive take a minute or
/// two, so the wait is long; a reader never waits.
const WRITE_WAIT: &str = "300s";

/// Reads through a cache of prepared statements (one per SQL text, per
/// connection): a statement prepared once is then executed in one round
/// trip, without parsing and planning it again. Writes go through
/// transactions directly.
pub(crate) trait Query {
    /// Rows of a query.
    fn q(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, postgres::Error>;
    /// At most one row.
    fn q_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, postgres::Error> {
        Ok(self.q(sql, params)?.into_iter().next())
    }
    /// Exactly one row.
    fn q_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, postgres::Error>;
}

impl<C: GenericClient> Query for C {
    fn q(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, postgres::Error> {
        self.query(sql, params)
    }
    fn q_opt(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, postgres::Error> {
        self.query_opt(sql, params)
    }
    fn q_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, postgres::Error> {
        self.query_one(sql, params)
    }
}

/// A connection with its statement cache.
pub(crate) struct Cached<'a> {
    client: &'a mut Client,
    statements: &'a mut HashMap<String, Statement>,
}

impl Cached<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

impl Query for Cached<'_> {
    fn q(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query(&s, params)
    }
    fn q_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query_one(&s, params)
    }
}

/// A Frontline database in PostgreSQL with PostGIS.
pub struct PgStore {
    // The client needs `&mut` for every query while the `Store` trait reads
    // through `&self`; one store is used by one thread at a time.
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    audit: AuditContext,
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        map_error(&e)
    }
}

/// The one place PostgreSQL errors become [`StoreError`]s.
fn map_error(e: &postgres::Error) -> StoreError {
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::T_R_SERIALIZATION_FAILURE => {
            StoreError::Busy(e.to_string())
        }
        _ => StoreError::Backend(message(e)),
    }
}

/// What went wrong, in words: the Display of a server error is only "db
/// error", its text is in the `DbError`.
fn message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

/// A URL with any password replaced, fit for messages and logs.
pub(crate) fn redacted(url: &str) -> String {
    match postgres::Config::from_str(url) {
        Ok(c) => {
            let hosts: Vec<String> = c
                .get_hosts()
                .iter()
                .map(|h| match h {
                    postgres::config::Host::Tcp(h) => h.clone(),
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .collect();
            let ports: Vec<String> = c.get_ports().iter().map(u16::to_string).collect();
            format!(
                "postgres://{}@{}:{}/{}",
                c.get_user().unwrap_or(""),
                hosts.join(","),
                ports.join(","),
                c.get_dbname().unwrap_or("")
            )
        }
        Err(_) => "(an unreadable postgres:// URL)".into(),
    }
}

impl PgStore {
    /// One write: `body` in a transaction holding the write lock, recorded
    /// in the audit log as `action` (with the sources it made), committed.
    fn audited<T>(
        &mut self,
        action: &str,
        body: impl FnOnce(&mut Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let out = body(&mut tx)?;
        audit::record(&mut tx, &self.audit, action, mark, 0, 0)?;
        tx.commit()?;
        Ok(out)
    }

    /// One write that fills `tables`: as [`PgStore::audited`], with the
    /// planner's statistics of those tables refreshed before the commit.
    fn loaded<T>(
        &mut self,
        action: &str,
        tables: &[&str],
        body: impl FnOnce(&mut Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.audited(action, |tx| {
            let out = body(tx)?;
            analyze(tx, tables)?;
            Ok(out)
        })
    }

    /// Runs `f` on the connection with its statement cache.
    fn cached<T>(&self, f: impl FnOnce(&mut Cached<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut client = self.client.borrow_mut();
        let mut statements = self.statements.borrow_mut();
        f(&mut Cached {
            client: &mut client,
            statements: &mut statements,
        })
    }

    /// Connects, checks PostGIS and brings the schema up to date.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config = postgres::Config::from_str(url)
            .map_err(|e| StoreError::BadUrl(format!("bad PostgreSQL URL {}: {e}", redacted(url))))?;
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("frontline");
        // Session settings travel in the startup packet: no round trip.
        config.options("-c search_path=frontline,public -c TimeZone=UTC");
        let mut client = config.connect(NoTls).map_err(|e| StoreError::Unreachable {
            target: redacted(url),
            reason: message(&e),
        })?;
        // The common case, a database already set up, costs one query; the
        // extension and migrations are looked at only when it is behind.
        let row = client.query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis'), \
             to_regclass('frontline.schema_version') IS NOT NULL",
            &[],
        )?;
        let (postgis, versioned): (bool, bool) = (row.get(0), row.get(1));
        let current = versioned
            && client
                .query_one("SELECT version FROM frontline.schema_version", &[])?
                .get::<_, i64>(0)
                == migrations::MIGRATIONS.len() as i64;
        if !(postgis && current) {
            ensure_postgis(&mut client, url)?;
            migrate(&mut client)?;
        }
        Ok(PgStore {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            audit: AuditContext::default(),
        })
    }

    /// The shared schema version this database is at (`schema.rs`), the
    /// same number an SQLite file at the same tables reports.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let applied = self.cached(|c| schema_version(c))?;
        Ok(crate::schema::reached(migrations::MIGRATIONS, applied))
    }
}

/// Starts a write: takes the writers' lock (waiting up to [`WRITE_WAIT`]),
/// bumps the data version, and returns the audit mark.
fn write(client: &mut Client) -> Result<(Transaction<'_>, i64), StoreError> {
    let mut tx = client.transaction()?;
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = '{WRITE_WAIT}'; SELECT pg_advisory_xact_lock({WRITE_LOCK}); \
         UPDATE data_version SET version = version + 1;"
    ))?;
    let mark = audit::mark(&mut tx)?;
    Ok((tx, mark))
}

/// Refreshes the planner's statistics of the tables a write just filled,
/// inside its transaction. Without them the planner takes a freshly loaded
/// table for empty until autovacuum comes round (up to a minute later) and
/// picks nested loops where a hash join is cheaper: the clipped-area lookup
/// ran in 0.53 ms instead of 0.25 ms (`EXPLAIN ANALYZE`, real DeepState
/// archive). ANALYZE samples at most 30,000 rows per table, so its cost is
/// bounded whatever the table's size (19 ms for the control layers).
pub(crate) fn analyze(c: &mut impl GenericClient, tables: &[&str]) -> Result<(), StoreError> {
    c.batch_execute(&format!("ANALYZE {}", tables.join(", ")))?;
    Ok(())
}

fn ensure_postgis(client: &mut Client, url: &str) -> Result<(), StoreError> {
    let present = client
        .query_opt("SELECT 1 FROM pg_extension WHERE extname = 'postgis'", &[])?
        .is_some();
    if present {
        return Ok(());
    }
    client
        .batch_execute("CREATE EXTENSION IF NOT EXISTS postgis")
        .map_err(|e| {
            let why = message(&e);
            StoreError::Setup(format!(
                "the database {} has no PostGIS and it could not be added ({why}); install PostGIS \
                 (Debian: postgresql-15-postgis-3) and run `CREATE EXTENSION postgis;` there as a superuser",
                redacted(url)
            ))
        })
}

fn schema_version(client: &mut impl Query) -> Result<i64, StoreError> {
    let exists = client
        .q_opt(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = 'frontline' AND table_name = 'schema_version'",
            &[],
        )?
        .is_some();
    if !exists {
        return Ok(0);
    }
    Ok(client
        .q_one("SELECT version FROM frontline.schema_version", &[])?
        .get(0))
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let supported = migrations::MIGRATIONS.len() as i64;
    let mut tx = client.transaction()?;
    // Two processes starting on an empty database must not both migrate.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS frontline; \
         CREATE TABLE IF NOT EXISTS frontline.schema_version (version BIGINT NOT NULL); \
         INSERT INTO frontline.schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM frontline.schema_version);",
    )?;
    let found = schema_version(&mut tx)?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (i, m) in migrations::MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.batch_execute(m.sql)?;
        tx.execute("UPDATE frontline.schema_version SET version = $1", &[&((i + 1) as i64)])?;
    }
    tx.commit()?;
    Ok(())
}

// ---- sources ---------------------------------------------------------------

/// The id of a source with these bytes, if imported before.
pub(crate) fn find_source(c: &mut impl Query, sha256: &str) -> Result<Option<i64>, StoreError> {
    Ok(c.q_opt("SELECT id FROM source WHERE sha256 = $1", &[&sha256])?
        .map(|r| r.get(0)))
}

/// Inserts a source row; its count of added rows is set by [`finish_source`].
pub(crate) fn insert_source(c: &mut impl GenericClient, meta: &SourceMeta, records: usize) -> Result<i64, StoreError> {
    Ok(c.query_one(
        "INSERT INTO source (location, sha256, kind, imported_at, records, added, bytes_sha256) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
        &[
            &meta.location,
            &meta.sha256,
            &meta.kind.as_str(),
            &meta.imported_at,
            &(records as i64),
            &meta.bytes_sha256,
        ],
    )?
    .get(0))
}

/// Records how many rows an import added.
pub(crate) fn finish_source(c: &mut impl GenericClient, id: i64, added: usize) -> Result<(), StoreError> {
    c.execute("UPDATE source SET added = $1 WHERE id = $2", &[&(added as i64), &id])?;
    Ok(())
}

fn list_sources(c: &mut impl Query) -> Result<Vec<SourceRecord>, StoreError> {
    let rows = c.q(
        "SELECT id, location, sha256, kind, imported_at, records, added, COALESCE(bytes_sha256, sha256) \
         FROM source ORDER BY id",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let kind: String = r.get(3);
            Ok(SourceRecord {
                id: r.get(0),
                location: r.get(1),
                sha256: r.get(2),
                kind: SourceKind::parse(&kind).ok_or(StoreError::Corrupt {
                    table: "source",
                    column: "kind",
                    value: kind.clone(),
                })?,
                imported_at: r.get(4),
                records: r.get::<_, i64>(5) as usize,
                added: r.get::<_, i64>(6) as usize,
                bytes_sha256: r.get(7),
            })
        })
        .collect()
}

impl Store for PgStore {
    fn data_version(&self) -> Result<i64, StoreError> {
        self.cached(|c| Ok(c.q_one("SELECT version FROM data_version", &[])?.get(0)))
    }

    fn set_audit_context(&mut self, context: AuditContext) {
        self.audit = context;
    }

    fn audit(&self, since: Option<chrono::DateTime<chrono::Utc>>) -> Result<Vec<AuditEntry>, StoreError> {
        self.cached(|c| audit::list(c, since))
    }

    fn record_sync(&mut self, run: &SyncRun, fetches: &[FetchRecord], blobs: &[Blob]) -> Result<(), StoreError> {
        self.audited(&format!("sync run {}", run.source), |tx| {
            sync::record(tx, run, fetches, blobs)?;
            Ok(())
        })
    }

    fn sync_runs(&self, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError> {
        self.cached(|c| sync::runs(c, source))
    }

    fn last_fetch(&self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        self.cached(|c| sync::last_fetch(c, url))
    }

    fn blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        self.cached(|c| sync::blob(c, sha256))
    }

    fn put_revision(&mut self, revision: &Revision) -> Result<i64, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let id = sync::put_revision(&mut tx, revision)?;
        audit::record(
            &mut tx,
            &self.audit,
            &format!("hold revision {id} of {}", revision.source),
            mark,
            0,
            0,
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn revisions(&self) -> Result<Vec<Revision>, StoreError> {
        self.cached(|c| sync::revisions(c))
    }

    fn decide_revision(&mut self, id: i64, accept: bool, why: &str) -> Result<bool, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let done = sync::decide(&mut tx, id, accept, &self.audit.actor, why)?;
        if done {
            let verb = if accept { "accept" } else { "reject" };
            audit::record(&mut tx, &self.audit, &format!("{verb} revision {id}"), mark, 0, 0)?;
        }
        tx.commit()?;
        Ok(done)
    }

    fn put_token(&mut self, token: &TokenRecord) -> Result<(), StoreError> {
        self.audited(&format!("token add {}", token.name), |tx| {
            audit::put_token(tx, token)?;
            Ok(())
        })
    }

    fn revoke_token(&mut self, name: &str) -> Result<bool, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let done = audit::revoke_token(&mut tx, name)?;
        if done {
            audit::record(&mut tx, &self.audit, &format!("token revoke {name}"), mark, 0, 0)?;
        }
        tx.commit()?;
        Ok(done)
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        self.cached(|c| audit::tokens(c))
    }

    fn import_tallies(&mut self, files: &[TallyImport]) -> Result<Vec<ImportReport>, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let reports = files
            .iter()
            .map(|f| tallies::import(&mut tx, f))
            .collect::<Result<Vec<_>, _>>()?;
        analyze(
            &mut tx,
            &[
                "source",
                "tally_series",
                "tally_observation",
                "tally_correction",
                "tally_note",
                "tally_merge",
            ],
        )?;
        audit::record(&mut tx, &self.audit, "import tallies", mark, 0, 0)?;
        tx.commit()?;
        Ok(reports)
    }

    fn sources(&self) -> Result<Vec<SourceRecord>, StoreError> {
        self.cached(|c| list_sources(c))
    }

    fn tally_keys(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError> {
        self.cached(|c| tallies::keys(c, known_by))
    }

    fn tally_catalog(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError> {
        self.cached(|c| tallies::catalog(c, known_by))
    }

    fn tally_series(&self, key: &SeriesKey, known_by: Option<NaiveDate>) -> Result<Option<TallySeries>, StoreError> {
        self.cached(|c| tallies::series(c, key, known_by))
    }

    fn figure_revisions(&self, key: &SeriesKey, date: NaiveDate) -> Result<Vec<FigureRevision>, StoreError> {
        self.cached(|c| tallies::figure_revisions(c, key, date))
    }

    fn tally_notes(&self, claimant: &Claimant, subject: &Subject, days: Days) -> Result<Vec<TallyNote>, StoreError> {
        self.cached(|c| tallies::notes(c, claimant, subject, &days))
    }

    fn has_source(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self.cached(|c| find_source(c, sha256))?.is_some())
    }

    fn import_control(&mut self) -> Result<Box<dyn ControlImport + '_>, StoreError> {
        let (tx, mark) = write(self.client.get_mut())?;
        Ok(Box::new(territory::PgControlImport {
            tx,
            mark,
            audit: self.audit.clone(),
        }))
    }

    fn import_boundaries(&mut self, meta: &SourceMeta, boundaries: &[Boundary]) -> Result<ImportReport, StoreError> {
        self.loaded("import boundaries", &["source", "boundary"], |tx| {
            territory::import_boundaries(tx, meta, boundaries)
        })
    }

    fn import_claims(&mut self, meta: &SourceMeta, claims: &[Claim]) -> Result<ImportReport, StoreError> {
        self.audited("import claims", |tx| claims::import(tx, meta, claims))
    }

    fn claims(&self, known_by: Option<NaiveDate>) -> Result<Vec<StoredClaim>, StoreError> {
        self.cached(|c| claims::current(c, known_by))
    }

    fn import_vintage(&mut self, meta: &SourceMeta, vintage: &Vintage) -> Result<ImportReport, StoreError> {
        self.audited("import counts", |tx| counts::import(tx, meta, vintage))
    }

    fn vintages(&self, series: &CountSeries) -> Result<Vec<Vintage>, StoreError> {
        self.cached(|c| counts::vintages(c, series))
    }

    fn count_series(&self) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError> {
        self.cached(|c| counts::series(c))
    }

    fn import_places(
        &mut self,
        meta: &SourceMeta,
        coverage: &GazetteerCoverage,
        places: &[Place],
    ) -> Result<ImportReport, StoreError> {
        self.loaded("import places", &["source", "place", "gazetteer"], |tx| {
            territory::import_places(tx, meta, coverage, places)
        })
    }

    fn import_layer(
        &mut self,
        meta: &SourceMeta,
        layer: &str,
        features: &[LayerFeature],
    ) -> Result<ImportReport, StoreError> {
        self.loaded("import layer", &["source", "layer_feature"], |tx| {
            territory::import_layer(tx, meta, layer, features)
        })
    }

    fn control_snapshots(&self, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError> {
        self.cached(|c| territory::snapshots(c, mapper))
    }

    fn snapshot_areas(&self, filter: AreaFilter<'_>) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
        self.cached(|c| territory::snapshot_areas(c, filter))
    }

    fn control_layers(&self, snapshot_id: i64, statuses: &[ControlStatus]) -> Result<Vec<StoredLayer>, StoreError> {
        self.cached(|c| territory::layers(c, snapshot_id, statuses))
    }

    fn control_labels(&self, ids: &[i64], status: Option<ControlStatus>) -> Result<Vec<LayerLabels>, StoreError> {
        self.cached(|c| territory::labels(c, ids, status))
    }

    fn put_control_edits(&mut self, edits: &[ControlEdit]) -> Result<(), StoreError> {
        // Derived, like clipped areas: not audited (as SQLite's).
        let (mut tx, _) = write(self.client.get_mut())?;
        territory::put_control_edits(&mut tx, edits)?;
        tx.commit()?;
        Ok(())
    }

    fn control_edits(&self, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Vec<ControlEdit>, StoreError> {
        self.cached(|c| territory::control_edits(c, mapper, from))
    }

    fn place_edits(&self, mapper: &Mapper, place_id: i64) -> Result<Vec<crate::PlaceEdit>, StoreError> {
        self.cached(|c| territory::place_edits(c, mapper, place_id))
    }

    fn put_events(&mut self, list: &[Event]) -> Result<usize, StoreError> {
        // Derived, like clipped areas: not audited (as SQLite's).
        let (mut tx, _) = write(self.client.get_mut())?;
        let added = events::put(&mut tx, list, chrono::Utc::now())?;
        // Nothing new: rolled back (on drop), data version included, as
        // SQLite's.
        if added > 0 {
            tx.commit()?;
        }
        Ok(added)
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
        self.cached(|c| events::list(c, filter))
    }

    fn put_subscription(&mut self, s: &Subscription) -> Result<(), StoreError> {
        self.audited(&format!("subscription add {}", s.id), |tx| webhooks::put(tx, s))
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.cached(|c| webhooks::list(c))
    }

    fn change_subscription(&mut self, id: &str, change: &SubscriptionChange) -> Result<bool, StoreError> {
        let action = format!("subscription {} {id}", crate::plan::change_name(change));
        self.audited(&action, |tx| webhooks::change(tx, id, change))
    }

    fn queue_deliveries(&mut self, now: chrono::DateTime<chrono::Utc>) -> Result<usize, StoreError> {
        // Bookkeeping, not data: the data version stays (as SQLite's).
        webhooks::queue(self.client.get_mut(), now)
    }

    fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
        self.cached(|c| webhooks::list_deliveries(c, filter))
    }

    fn record_attempt(&mut self, delivery: i64, attempt: &Attempt) -> Result<(), StoreError> {
        webhooks::record(self.client.get_mut(), delivery, attempt)
    }

    fn put_within_areas(&mut self, status: ControlStatus, within: &str, km2: &[(i64, f64)]) -> Result<(), StoreError> {
        // A memo of computed areas, not evidence: not audited.
        let (mut tx, _) = write(self.client.get_mut())?;
        territory::put_within_areas(&mut tx, status, within, km2)?;
        analyze(&mut tx, &["control_area_within"])?;
        tx.commit()?;
        Ok(())
    }

    fn boundary(
        &self,
        code: &str,
        level: Option<BoundaryLevel>,
        known_by: Option<NaiveDate>,
    ) -> Result<Option<Boundary>, StoreError> {
        Ok(self
            .cached(|c| territory::boundaries(c, Some(code), level, known_by))?
            .into_iter()
            .next()
            .map(|(b, _)| b))
    }

    fn boundary_source(&self, code: &str, known_by: Option<NaiveDate>) -> Result<Option<i64>, StoreError> {
        self.cached(|c| territory::boundary_source(c, code, known_by))
    }

    fn boundaries(&self, known_by: Option<NaiveDate>) -> Result<Vec<Boundary>, StoreError> {
        Ok(self
            .cached(|c| territory::boundaries(c, None, None, known_by))?
            .into_iter()
            .map(|(b, _)| b)
            .collect())
    }

    fn places(&self, filter: &PlaceFilter) -> Result<Vec<Place>, StoreError> {
        self.cached(|c| territory::places(c, filter))
    }

    fn gazetteers(&self) -> Result<Vec<Gazetteer>, StoreError> {
        self.cached(|c| territory::gazetteers(c))
    }

    fn layer(&self, name: &str) -> Result<Vec<LayerFeature>, StoreError> {
        self.cached(|c| territory::layer_features(c, name))
    }

    fn import_evidence(&mut self, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
        let (mut tx, mark) = write(self.client.get_mut())?;
        let r = evidence::import(&mut tx, files)?;
        analyze(&mut tx, &["source", "evidence_item", "evidence_version"])?;
        audit::record(&mut tx, &self.audit, "import losses", mark, r.updated, r.tombstoned)?;
        tx.commit()?;
        Ok(r)
    }

    fn evidence_items(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
        self.cached(|c| evidence::items(c, filter))
    }

    fn evidence_history(&self, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError> {
        self.cached(|c| evidence::history(c, id_or_url))
    }
}
