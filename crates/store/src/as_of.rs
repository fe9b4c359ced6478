//! A store as it was known at the end of a past day: [`KnownBy`].
//!
//! Every query of Frontline reads through [`Store`], so wrapping the store
//! is the one place where "as of" is decided: a query run on a `KnownBy`
//! answers exactly as it would have on that day, without knowing it. The
//! backends date each kind of record on its own clock (see
//! `docs/schema-and-dates.md`); this view only passes the day to the reads
//! that take one, and filters the others on the dates their records carry.
//! It computes nothing and writes nothing.

// The view implements the whole trait: every stored type is used.
use crate::types::*;
use crate::{ControlImport, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{
    Boundary, BoundaryLevel, Claim, Claimant, ControlStatus, CountSeries, Event, EvidenceItem, Gazetteer,
    GazetteerCoverage, LayerFeature, Mapper, Place, SeriesKey, SourceMeta, Subject, TallyNote, TallySeries, Vintage,
};
use frontline_model::{Delivery, Subscription};

/// A read-only view of a store as known at the end of `day` (UTC).
///
/// What each read keeps:
/// - tally figures, loss items and control maps: as the backend dates them
///   (`known_by` passed through, the earlier of the view's day and the
///   caller's);
/// - claims: those said by the day, each in the version known then (an
///   edit to the ledger from the day of its import);
/// - vintages, count series, notes: those dated by the day;
/// - sources, figure revisions, item versions, sync runs, held revisions:
///   those recorded by the end of the day;
/// - outlines: the import in force then (the newest imported by the day,
///   else the first import), clipped areas remembered per outline;
/// - places: those first imported by the day, else the first import's (a
///   later file's names for a place replace the earlier ones in place);
/// - reference layers: as stored.
///
/// Every write is refused: an answer as of a past day never changes the
/// store.
pub struct KnownBy<'a> {
    inner: &'a mut dyn Store,
    day: NaiveDate,
}

impl<'a> KnownBy<'a> {
    /// The view of `inner` at the end of `day`.
    pub fn new(inner: &'a mut dyn Store, day: NaiveDate) -> Self {
        KnownBy { inner, day }
    }

    /// The earlier of the view's day and `asked`.
    fn by(&self, asked: Option<NaiveDate>) -> Option<NaiveDate> {
        Some(asked.map_or(self.day, |a| a.min(self.day)))
    }

    /// Whether a moment falls by the end of the view's day.
    fn known(&self, at: DateTime<Utc>) -> bool {
        at.date_naive() <= self.day
    }

    /// The rows recorded (`at`) by the end of the day.
    fn known_of<T>(&self, rows: Vec<T>, at: impl Fn(&T) -> DateTime<Utc>) -> Vec<T> {
        rows.into_iter().filter(|r| self.known(at(r))).collect()
    }

    /// The key clipped areas are remembered under for an outline key
    /// (`CODE` or `CODE+SLIVERS`): the store's own while the outline in
    /// force then is today's; else one naming the import of the older
    /// outline (`CODE@SOURCE`), so areas clipped to each outline are kept
    /// apart and neither is read for the other.
    fn within_key(&self, within: &str) -> Result<String, StoreError> {
        let (code, rest) = within.split_once('+').map_or((within, ""), |(c, r)| (c, r));
        let then = self.inner.boundary_source(code, Some(self.day))?;
        if then == self.inner.boundary_source(code, None)? {
            return Ok(within.to_string());
        }
        let sep = if rest.is_empty() { "" } else { "+" };
        Ok(format!("{code}@{}{sep}{rest}", then.unwrap_or(0)))
    }

    fn refuse<T>(&self) -> Result<T, StoreError> {
        Err(StoreError::ReadOnly(format!(
            "a view as of {} only reads; writes go to the store itself",
            self.day
        )))
    }
}

impl Store for KnownBy<'_> {
    fn known_by(&self) -> Option<NaiveDate> {
        self.by(self.inner.known_by())
    }

    fn data_version(&self) -> Result<i64, StoreError> {
        self.inner.data_version()
    }

    fn set_audit_context(&mut self, context: AuditContext) {
        self.inner.set_audit_context(context);
    }

    fn audit(&self, since: Option<DateTime<Utc>>) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(self.known_of(self.inner.audit(since)?, |e| e.at))
    }

    fn put_token(&mut self, _: &TokenRecord) -> Result<(), StoreError> {
        self.refuse()
    }

    fn revoke_token(&mut self, _: &str) -> Result<bool, StoreError> {
        self.refuse()
    }

    fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        self.inner.tokens()
    }

    fn import_tallies(&mut self, _: &[TallyImport]) -> Result<Vec<ImportReport>, StoreError> {
        self.refuse()
    }

    fn sources(&self) -> Result<Vec<SourceRecord>, StoreError> {
        Ok(self.known_of(self.inner.sources()?, |s| s.imported_at))
    }

    fn tally_keys(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesKey>, StoreError> {
        self.inner.tally_keys(self.by(known_by))
    }

    fn tally_catalog(&self, known_by: Option<NaiveDate>) -> Result<Vec<SeriesSummary>, StoreError> {
        self.inner.tally_catalog(self.by(known_by))
    }

    fn tally_series(&self, key: &SeriesKey, known_by: Option<NaiveDate>) -> Result<Option<TallySeries>, StoreError> {
        self.inner.tally_series(key, self.by(known_by))
    }

    fn import_claims(&mut self, _: &SourceMeta, _: &[Claim]) -> Result<ImportReport, StoreError> {
        self.refuse()
    }

    fn claims(&self, known_by: Option<NaiveDate>) -> Result<Vec<StoredClaim>, StoreError> {
        let day = self.by(known_by);
        Ok(self
            .inner
            .claims(day)?
            .into_iter()
            .filter(|c| day.is_none_or(|d| c.claim.said_on <= d))
            .collect())
    }

    fn import_vintage(&mut self, _: &SourceMeta, _: &Vintage) -> Result<ImportReport, StoreError> {
        self.refuse()
    }

    fn vintages(&self, series: &CountSeries) -> Result<Vec<Vintage>, StoreError> {
        Ok(self
            .inner
            .vintages(series)?
            .into_iter()
            .filter(|v| v.vintage <= self.day)
            .collect())
    }

    fn count_series(&self) -> Result<Vec<(CountSeries, Vec<NaiveDate>)>, StoreError> {
        Ok(self
            .inner
            .count_series()?
            .into_iter()
            .filter_map(|(s, days)| {
                let days: Vec<NaiveDate> = days.into_iter().filter(|d| *d <= self.day).collect();
                (!days.is_empty()).then_some((s, days))
            })
            .collect())
    }

    fn figure_revisions(&self, key: &SeriesKey, date: NaiveDate) -> Result<Vec<FigureRevision>, StoreError> {
        if date > self.day {
            return Ok(Vec::new());
        }
        Ok(self
            .inner
            .figure_revisions(key, date)?
            .into_iter()
            .enumerate()
            // A day's first figure is known from the day itself (an archive
            // imported later still dates it so), a revision from its import.
            .filter(|(i, r)| *i == 0 || self.known(r.imported_at))
            .map(|(_, r)| r)
            .collect())
    }

    fn tally_notes(&self, claimant: &Claimant, subject: &Subject, days: Days) -> Result<Vec<TallyNote>, StoreError> {
        if *days.start() > self.day {
            return Ok(Vec::new());
        }
        let known = *days.start()..=(*days.end()).min(self.day);
        self.inner.tally_notes(claimant, subject, known)
    }

    fn has_source(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self.sources()?.iter().any(|s| s.sha256 == sha256))
    }

    fn import_control(&mut self) -> Result<Box<dyn ControlImport + '_>, StoreError> {
        self.refuse()
    }

    fn import_boundaries(&mut self, _: &SourceMeta, _: &[Boundary]) -> Result<ImportReport, StoreError> {
        self.refuse()
    }

    fn import_places(
        &mut self,
        _: &SourceMeta,
        _: &GazetteerCoverage,
        _: &[Place],
    ) -> Result<ImportReport, StoreError> {
        self.refuse()
    }

    fn import_layer(&mut self, _: &SourceMeta, _: &str, _: &[LayerFeature]) -> Result<ImportReport, StoreError> {
        self.refuse()
    }

    fn control_snapshots(&self, mapper: Option<&Mapper>) -> Result<Vec<SnapshotInfo>, StoreError> {
        // The snapshots as known then are the ones `snapshot_areas` dates
        // (the same rule, one place); the status only picks which area
        // comes along, and every snapshot is listed whatever its layers.
        Ok(self
            .inner
            .snapshot_areas(AreaFilter {
                known_by: Some(self.day),
                ..AreaFilter::new(mapper, ControlStatus::Occupied)
            })?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    }

    fn snapshot_areas(&self, filter: AreaFilter<'_>) -> Result<Vec<(SnapshotInfo, Option<f64>)>, StoreError> {
        let key = filter.within.map(|w| self.within_key(w)).transpose()?;
        let known_by = self.by(filter.known_by);
        self.inner.snapshot_areas(AreaFilter {
            within: key.as_deref(),
            known_by,
            ..filter
        })
    }

    fn control_layers(&self, snapshot_id: i64, statuses: &[ControlStatus]) -> Result<Vec<StoredLayer>, StoreError> {
        self.inner.control_layers(snapshot_id, statuses)
    }

    fn control_labels(&self, ids: &[i64], status: Option<ControlStatus>) -> Result<Vec<LayerLabels>, StoreError> {
        // The ids come from this view's snapshots: a snapshot's labels do
        // not change with the day.
        self.inner.control_labels(ids, status)
    }

    fn put_events(&mut self, _: &[Event]) -> Result<usize, StoreError> {
        self.refuse()
    }

    fn put_control_edits(&mut self, _: &[ControlEdit]) -> Result<(), StoreError> {
        self.refuse()
    }

    fn control_edits(&self, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Vec<ControlEdit>, StoreError> {
        // An edit ties two snapshot ids, which do not change with the day;
        // a reader uses one only where its own timeline has that pair.
        self.inner.control_edits(mapper, from)
    }

    fn place_edits(&self, mapper: &Mapper, place_id: i64) -> Result<Vec<PlaceEdit>, StoreError> {
        // As `control_edits`: pairs of snapshot ids and places' ids.
        self.inner.place_edits(mapper, place_id)
    }

    fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
        self.inner.events(&EventFilter {
            known_by: self.by(filter.known_by),
            ..filter.clone()
        })
    }

    // Subscriptions and deliveries are today's state, not the data's: a
    // view of a past day reads them as they are and changes none.
    fn put_subscription(&mut self, _: &Subscription) -> Result<(), StoreError> {
        self.refuse()
    }

    fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.inner.subscriptions()
    }

    fn change_subscription(&mut self, _: &str, _: &SubscriptionChange) -> Result<bool, StoreError> {
        self.refuse()
    }

    fn queue_deliveries(&mut self, _: DateTime<Utc>) -> Result<usize, StoreError> {
        self.refuse()
    }

    fn deliveries(&self, filter: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
        self.inner.deliveries(filter)
    }

    fn record_attempt(&mut self, _: i64, _: &Attempt) -> Result<(), StoreError> {
        self.refuse()
    }

    fn put_within_areas(&mut self, status: ControlStatus, within: &str, km2: &[(i64, f64)]) -> Result<(), StoreError> {
        // A clipped area belongs to one snapshot and one outline, whatever
        // the day it is asked as of: keeping it is not a change of the data.
        let key = self.within_key(within)?;
        self.inner.put_within_areas(status, &key, km2)
    }

    fn record_sync(&mut self, _: &SyncRun, _: &[FetchRecord], _: &[Blob]) -> Result<(), StoreError> {
        self.refuse()
    }

    fn sync_runs(&self, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError> {
        Ok(self.known_of(self.inner.sync_runs(source)?, |r| r.started_at))
    }

    fn last_fetch(&self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        self.inner.last_fetch(url)
    }

    fn blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        self.inner.blob(sha256)
    }

    fn put_revision(&mut self, _: &Revision) -> Result<i64, StoreError> {
        self.refuse()
    }

    fn revisions(&self) -> Result<Vec<Revision>, StoreError> {
        Ok(self.known_of(self.inner.revisions()?, |r| r.created_at))
    }

    fn decide_revision(&mut self, _: i64, _: bool, _: &str) -> Result<bool, StoreError> {
        self.refuse()
    }

    fn boundary(
        &self,
        code: &str,
        level: Option<BoundaryLevel>,
        known_by: Option<NaiveDate>,
    ) -> Result<Option<Boundary>, StoreError> {
        self.inner.boundary(code, level, self.by(known_by))
    }

    fn boundary_source(&self, code: &str, known_by: Option<NaiveDate>) -> Result<Option<i64>, StoreError> {
        self.inner.boundary_source(code, self.by(known_by))
    }

    fn boundaries(&self, known_by: Option<NaiveDate>) -> Result<Vec<Boundary>, StoreError> {
        self.inner.boundaries(self.by(known_by))
    }

    fn places(&self, filter: &PlaceFilter) -> Result<Vec<Place>, StoreError> {
        self.inner.places(&filter.as_known_by(self.by(filter.known_by)))
    }

    fn gazetteers(&self) -> Result<Vec<Gazetteer>, StoreError> {
        // The gazetteers imported by the day; none yet, the first one (the
        // same rule as `places`, which then answers from it).
        let all = self.inner.gazetteers()?;
        let known: Vec<Gazetteer> = all
            .iter()
            .filter(|g| g.imported_at.date_naive() <= self.day)
            .cloned()
            .collect();
        Ok(if known.is_empty() {
            all.into_iter().take(1).collect()
        } else {
            known
        })
    }

    fn layer(&self, name: &str) -> Result<Vec<LayerFeature>, StoreError> {
        self.inner.layer(name)
    }

    fn import_evidence(&mut self, _: &[EvidenceImport]) -> Result<EvidenceReport, StoreError> {
        self.refuse()
    }

    fn evidence_items(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>, StoreError> {
        self.inner.evidence_items(&filter.as_known_by(self.by(filter.known_by)))
    }

    fn evidence_history(&self, id_or_url: &str) -> Result<Vec<EvidenceVersion>, StoreError> {
        // A version is known from its import; the first from its listing
        // day when the source gives one (as `evidence_items` dates it).
        Ok(self
            .inner
            .evidence_history(id_or_url)?
            .into_iter()
            .filter(|v| {
                let recorded = v.item.dates.recorded.date_naive();
                let listed = v.item.dates.published.filter(|_| v.version == 1);
                listed.unwrap_or(recorded) <= self.day
            })
            .collect())
    }
}
