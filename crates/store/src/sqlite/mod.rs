//! The embedded SQLite backend.

mod audit;
mod claims;
mod counts;
mod events;
mod evidence;
mod migrations;
#[cfg(test)]
pub(crate) use migrations::MIGRATIONS;
mod sources;
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
    Place, SeriesKey, SourceMeta, Subject, TallyNote, TallySeries, Vintage,
};
use frontline_model::{Delivery, Subscription};
use frontline_model::{Gazetteer, GazetteerCoverage};
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::path::Path;

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(e.to_string()),
            _ => StoreError::Backend(e.to_string()),
        }
    }
}

/// A Frontline database in one SQLite file (WAL mode).
pub struct SqliteStore {
    conn: Connection,
    audit: AuditContext,
}

impl SqliteStore {
    /// One write: `body` in an immediate transaction, recorded in the audit
    /// log as `action` (with the sources it made), committed.
    fn audited<T>(
        &mut self,
        action: &str,
        body: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        let out = body(&tx)?;
        audit::record(&tx, &self.audit, action, mark, 0, 0)?;
        tx.commit()?;
        Ok(out)
    }

    /// Opens or creates the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::Unreachable {
            target: path.display().to_string(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// Opens an existing database for a command that only reads: a missing
    /// or empty file, or one at an older schema version, is refused (with
    /// its path) and left as it is. Nothing is created or migrated.
    pub fn open_existing(path: &Path) -> Result<Self, StoreError> {
        let none = |why: &str| {
            StoreError::NoDatabase(format!(
                "no Frontline database at {}: {why}; import something first \
                 (frontline --db {} import …); a command that only reads never creates one",
                path.display(),
                path.display()
            ))
        };
        match std::fs::metadata(path) {
            Err(_) => return Err(none("no such file")),
            Ok(m) if m.len() == 0 => return Err(none("the file is empty")),
            Ok(_) => {}
        }
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Unreachable {
            target: path.display().to_string(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let supported = migrations::MIGRATIONS.len() as i64;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|_| none("not an SQLite database"))?;
        if found == 0 {
            return Err(none("an SQLite file without Frontline's tables"));
        }
        if found < supported {
            return Err(StoreError::NoDatabase(format!(
                "the database at {} is at schema version {found}, this Frontline's is {supported}: \
                 a command that writes (an import, or `frontline serve`) upgrades it; a read never does",
                path.display()
            )));
        }
        Self::open(path)
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            audit: AuditContext::default(),
        })
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Puts the database in WAL mode. Two processes opening a new file at once
/// (a server and its sync thread, say) both ask for it, and SQLite answers
/// the second "locked" at once, without waiting the busy timeout: so wait
/// here, as long as the busy timeout would.
fn wal(conn: &Connection) -> Result<(), StoreError> {
    let start = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return Ok(other?),
        }
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let supported = migrations::MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found, supported });
    }
    for (i, m) in migrations::MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now > i as i64 {
            continue;
        }
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.schema)?;
        tx.commit()?;
    }
    Ok(())
}

/// Starts a write. `IMMEDIATE` takes the write lock now, so the busy
/// timeout applies; a deferred transaction that upgrades later fails at once
/// with "database is locked" when another process writes. Returns the
/// transaction and the audit mark (see [`audit::record`]).
fn write(conn: &mut Connection) -> Result<(Transaction<'_>, i64), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    bump_version(&tx)?;
    let mark = audit::mark(&tx)?;
    Ok((tx, mark))
}

/// Every write changes the data version, so that readers in other
/// processes (a server's answer cache) see that the data moved.
fn bump_version(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("UPDATE data_version SET version = version + 1", [])?;
    Ok(())
}

impl Store for SqliteStore {
    fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT version FROM data_version", [], |r| r.get(0))?)
    }

    fn set_audit_context(&mut self, context: AuditContext) {
        self.audit = context;
    }

    fn audit(&self, since: Option<chrono::DateTime<chrono::Utc>>) -> Result<Vec<AuditEntry>, StoreError> {
        audit::list(&self.conn, since)
    }

    fn record_sync(&mut self, run: &SyncRun, fetches: &[FetchRecord], blobs: &[Blob]) -> Result<(), StoreError> {
        self.audited(&format!("sync run {}", run.source), |tx| {
            sync::record(tx, run, fetches, blobs)?;
            Ok(())
        })
    }

    fn sync_runs(&self, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError> {
        sync::runs(&self.conn, source)
    }

    fn last_fetch(&self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        sync::last_fetch(&self.conn, url)
    }

    fn blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        sync::blob(&self.conn, sha256)
    }

    fn put_revision(&mut self, revision: &Revision) -> Result<i64, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        let id = sync::put_revision(&tx, revision)?;
        audit::record(
            &tx,
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
        sync::revisions(&self.conn)
    }

    fn decide_revision(&mut self, id: i64, accept: bool, why: &str) -> Result<bool, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        let done = sync::decide(&tx, id, accept, &self.audit.actor, why)?;
        if done {
            let verb = if accept { "accept" } else { "reject" };
            audit::record(&tx, &self.audit, &format!("{verb} revision {id}"), mark, 0, 0)?;
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
        let (tx, mark) = write(&mut self.conn)?;
        let done = audit::revoke_token(&tx, name)?;
        if done {
            audit::record(&tx, &self.audit, &format!("token revoke {name}"), mark, 0, 0)?;
        }
        tx.commit()?;
        Ok(done)
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        audit::tokens(&self.conn)
    }

    fn import_tallies(&mut self, files: &[TallyImport]) -> Result<Vec<ImportReport>, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        let reports = files
            .iter()
            .map(|f| tallies::import(&tx, f))
            .collect::<Result<Vec<_>, _>>()?;
        audit::record(&tx, &self.audit, "import tallies", mark, 0, 0)?;
        tx.commit()?;
        Ok(reports)
    }

    fn sources(&self) -> Result<Vec<SourceRecord>, StoreError> {
        sources::list(&self.conn)
    }

    fn tally_keys(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError> {
        tallies::keys(&self.conn, known_by)
    }

    fn tally_catalog(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError> {
        tallies::catalog(&self.conn, known_by)
    }

    fn tally_series(&self, key: &SeriesKey, known_by: Option<NaiveDate>) -> Result<Option<TallySeries>, StoreError> {
        tallies::series(&self.conn, key, known_by)
    }

    fn figure_revisions(&self, key: &SeriesKey, date: NaiveDate) -> Result<Vec<FigureRevision>, StoreError> {
        tallies::figure_revisions(&self.conn, key, date)
    }

    fn tally_notes(&self, claimant: &Claimant, subject: &Subject, days: Days) -> Result<Vec<TallyNote>, StoreError> {
        tallies::notes(&self.conn, claimant, subject, &days)
    }

    fn has_source(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(sources::find(&self.conn, sha256)?.is_some())
    }

    fn import_control(&mut self) -> Result<Box<dyn ControlImport + '_>, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        Ok(Box::new(territory::SqliteControlImport {
            tx,
            mark,
            audit: self.audit.clone(),
        }))
    }

    fn import_boundaries(&mut self, meta: &SourceMeta, boundaries: &[Boundary]) -> Result<ImportReport, StoreError> {
        self.audited("import boundaries", |tx| {
            territory::import_boundaries(tx, meta, boundaries)
        })
    }

    fn import_claims(&mut self, meta: &SourceMeta, claims: &[Claim]) -> Result<ImportReport, StoreError> {
        self.audited("import claims", |tx| claims::import(tx, meta, claims))
    }

    fn claims(&self, known_by: Option<NaiveDate>) -> Result<Vec<StoredClaim>, StoreError> {
        claims::current(&self.conn, known_by)
    }

    fn import_vintage(&mut self, meta: &SourceMeta, vintage: &Vintage) -> Result<ImportReport, StoreError> {
        self.audited("import counts", |tx| counts::import(tx, meta, vintage))
    }

    fn vintages(&self, series: &CountSeries) -> Result<Vec<Vintage>, StoreError> {
        counts::vintages(&self.conn, series)
    }

    fn count_series(&self) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError> {
        counts::series(&self.conn)
    }

    fn import_places(
        &mut self,
        meta: &SourceMeta,
        coverage: &GazetteerCoverage,
        places: &[Place],
    ) -> Result<ImportReport, StoreError> {
        self.audited("import places", |tx| {
            territory::import_places(tx, meta, coverage, places)
        })
    }

    fn import_layer(
        &mut self,
        meta: &SourceMeta,
        layer: &str,
        features: &[LayerFeature],
    ) -> Result<ImportReport, StoreError> {
        self.audited("import layer", |tx| territory::import_layer(tx, meta, layer, features))
    }

    fn control_snapshots(&self, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError> {
        territory::snapshots(&self.conn, mapper)
    }

    fn snapshot_areas(&self, filter: AreaFilter<'_>) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
        territory::snapshot_areas(&self.conn, filter)
    }

    fn control_layers(&self, snapshot_id: i64, statuses: &[ControlStatus]) -> Result<Vec<StoredLayer>, StoreError> {
        territory::layers(&self.conn, snapshot_id, statuses)
    }

    fn control_labels(&self, ids: &[i64], status: Option<ControlStatus>) -> Result<Vec<LayerLabels>, StoreError> {
        territory::labels(&self.conn, ids, status)
    }

    fn put_control_edits(&mut self, edits: &[ControlEdit]) -> Result<(), StoreError> {
        // Derived, like clipped areas: not audited.
        let (tx, _) = write(&mut self.conn)?;
        territory::put_control_edits(&tx, edits)?;
        tx.commit()?;
        Ok(())
    }

    fn control_edits(&self, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Vec<ControlEdit>, StoreError> {
        territory::control_edits(&self.conn, mapper, from)
    }

    fn place_edits(&self, mapper: &Mapper, place_id: i64) -> Result<Vec<crate::PlaceEdit>, StoreError> {
        territory::place_edits(&self.conn, mapper, place_id)
    }

    fn put_events(&mut self, list: &[Event]) -> Result<usize, StoreError> {
        // Derived, like clipped areas: not audited; the data version moves
        // (the feeds revalidate).
        let (tx, _) = write(&mut self.conn)?;
        let added = events::put(&tx, list, chrono::Utc::now())?;
        // Nothing new: rolled back (on drop), data version included, so
        // that a detection finding nothing leaves every cache valid.
        if added > 0 {
            tx.commit()?;
        }
        Ok(added)
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
        events::list(&self.conn, filter)
    }

    fn put_subscription(&mut self, s: &Subscription) -> Result<(), StoreError> {
        self.audited(&format!("subscription add {}", s.id), |tx| webhooks::put(tx, s))
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        webhooks::list(&self.conn)
    }

    fn change_subscription(&mut self, id: &str, change: &SubscriptionChange) -> Result<bool, StoreError> {
        let action = format!("subscription {} {id}", crate::plan::change_name(change));
        self.audited(&action, |tx| webhooks::change(tx, id, change))
    }

    fn queue_deliveries(&mut self, now: chrono::DateTime<chrono::Utc>) -> Result<usize, StoreError> {
        // One statement, its own transaction; bookkeeping, not data: the
        // data version stays.
        webhooks::queue(&self.conn, now)
    }

    fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
        webhooks::list_deliveries(&self.conn, filter)
    }

    fn record_attempt(&mut self, delivery: i64, attempt: &Attempt) -> Result<(), StoreError> {
        webhooks::record(&self.conn, delivery, attempt)
    }

    fn put_within_areas(&mut self, status: ControlStatus, within: &str, km2: &[(i64, f64)]) -> Result<(), StoreError> {
        // A memo of computed areas, not evidence: not audited.
        let (tx, _) = write(&mut self.conn)?;
        territory::put_within_areas(&tx, status, within, km2)?;
        tx.commit()?;
        Ok(())
    }

    fn boundary(
        &self,
        code: &str,
        level: Option<BoundaryLevel>,
        known_by: Option<NaiveDate>,
    ) -> Result<Option<Boundary>, StoreError> {
        Ok(territory::boundaries(&self.conn, Some(code), level, known_by)?
            .into_iter()
            .next()
            .map(|(b, _)| b))
    }

    fn boundary_source(&self, code: &str, known_by: Option<NaiveDate>) -> Result<Option<i64>, StoreError> {
        territory::boundary_source(&self.conn, code, known_by)
    }

    fn boundaries(&self, known_by: Option<NaiveDate>) -> Result<Vec<Boundary>, StoreError> {
        Ok(territory::boundaries(&self.conn, None, None, known_by)?
            .into_iter()
            .map(|(b, _)| b)
            .collect())
    }

    fn places(&self, filter: &PlaceFilter) -> Result<Vec<Place>, StoreError> {
        territory::places(&self.conn, filter)
    }

    fn gazetteers(&self) -> Result<Vec<Gazetteer>, StoreError> {
        territory::gazetteers(&self.conn)
    }

    fn layer(&self, name: &str) -> Result<Vec<LayerFeature>, StoreError> {
        territory::layer_features(&self.conn, name)
    }

    fn import_evidence(&mut self, files: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
        let (tx, mark) = write(&mut self.conn)?;
        let r = evidence::import(&tx, files)?;
        audit::record(&tx, &self.audit, "import losses", mark, r.updated, r.tombstoned)?;
        tx.commit()?;
        Ok(r)
    }

    fn evidence_items(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
        evidence::items(&self.conn, filter)
    }

    fn evidence_history(&self, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError> {
        evidence::history(&self.conn, id_or_url)
    }
}

/// A stored `YYYY-MM-DD` day, or which table and column hold a broken one.
/// Days are read by the tens of thousands per series, so the canonical form
/// the store writes is read directly; anything else goes through chrono's
/// parser, which accepts and refuses exactly what it did before.
pub(crate) fn parse_date(s: &str, table: &'static str, column: &'static str) -> Result<NaiveDate, StoreError> {
    if let Some(day) = canonical_day(s.as_bytes()) {
        return Ok(day);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
        table,
        column,
        value: s.to_string(),
    })
}

/// `YYYY-MM-DD` with four, two and two ASCII digits, if it is a real day.
fn canonical_day(b: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(digits(0..4)?).ok()?, digits(5..7)?, digits(8..10)?)
}

#[cfg(test)]
mod tests;

/// A stored RFC 3339 time, or which table and column hold a broken one.
pub(crate) fn time(
    value: &str,
    table: &'static str,
    column: &'static str,
) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| StoreError::Corrupt {
            table,
            column,
            value: value.to_string(),
        })
}
