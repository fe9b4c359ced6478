//! Freshness of each synced source: when it was last tried, last
//! succeeded, when the newest data stored from it was published, and
//! whether that is older than its cadence allows (the source went quiet,
//! or the sync stopped bringing anything).

use chrono::{DateTime, Duration, Utc};
use frontline_model::Mapper;
use frontline_store::{Store, StoreError, SyncRun};
use serde::Serialize;

/// How often each source is expected to publish something new. DeepState
/// publishes a map most days; 36 hours allow for one late evening.
/// The tallies' dataset is updated daily, usually within a day of the
/// General Staff's morning post.
pub const CADENCES: &[(&str, i64)] = &[
    (crate::deepstate::SOURCE, 36),
    (crate::tallies::SOURCE, 48),
    // WarSpotting adds items every day; a quiet day happens, two rarely.
    (crate::warspotting::SOURCE, 48),
    // Oryx adds proofs most days, in batches; three quiet days are unusual.
    (crate::oryx::SOURCE, 72),
];

/// One source's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SourceHealth {
    /// The source.
    pub source: String,
    /// `OK`; `STALE` (the newest data is older than the cadence);
    /// `REVIEW` (a sync's result is held for a person: `frontline review`);
    /// `FAILING` (the last run failed); `NEVER` (never synced).
    pub status: String,
    /// Expected time between new data, hours.
    pub cadence_hours: i64,
    /// The last run's end.
    pub last_attempt: Option<DateTime<Utc>>,
    /// The last successful run's end.
    pub last_success: Option<DateTime<Utc>>,
    /// When the newest data stored from it was published (for DeepState,
    /// the newest snapshot's time).
    pub newest_data: Option<DateTime<Utc>>,
    /// Why it is not OK (the failed run's message, or how long it has
    /// been quiet).
    pub reason: String,
}

/// The health of `source` at `now`, from its runs (oldest first) and the
/// publication time of the newest data stored from it.
pub fn health(
    source: &str,
    cadence_hours: i64,
    runs: &[SyncRun],
    newest_data: Option<DateTime<Utc>>,
    pending_reviews: usize,
    now: DateTime<Utc>,
) -> SourceHealth {
    let mine: Vec<&SyncRun> = runs.iter().filter(|r| r.source == source).collect();
    let last_attempt = mine.last().map(|r| r.finished_at);
    let last_success = mine.iter().rev().find(|r| r.ok).map(|r| r.finished_at);
    let (status, reason) = match (mine.last(), newest_data) {
        (None, _) => ("NEVER", "never synced".to_string()),
        (Some(r), _) if !r.ok => ("FAILING", r.message.clone()),
        _ if pending_reviews > 0 => (
            "REVIEW",
            format!("{pending_reviews} revisions held for review (frontline review list)"),
        ),
        (Some(_), Some(t)) if now - t > Duration::hours(cadence_hours) => (
            "STALE",
            format!(
                "the newest data was published {} hours ago (expected every {cadence_hours})",
                (now - t).num_hours()
            ),
        ),
        (Some(_), None) => ("STALE", "no data stored from it yet".to_string()),
        (Some(_), Some(_)) => ("OK", String::new()),
    };
    SourceHealth {
        source: source.to_string(),
        status: status.to_string(),
        cadence_hours,
        last_attempt,
        last_success,
        newest_data,
        reason,
    }
}

/// SourceHealth of every source `sync` knows, at `now`.
pub fn all(store: &dyn Store, now: DateTime<Utc>) -> Result<Vec<SourceHealth>, StoreError> {
    let runs = store.sync_runs(None)?;
    let revisions = store.revisions()?;
    CADENCES
        .iter()
        .map(|(source, hours)| {
            let newest = newest_data(store, source, &runs)?;
            let pending = revisions
                .iter()
                .filter(|r| r.source == *source && r.status == "pending")
                .count();
            Ok(health(source, *hours, &runs, newest, pending, now))
        })
        .collect()
}

/// When the newest data stored from `source` was published; for item
/// lists, which publish no time, when a run last found new items.
fn newest_data(store: &dyn Store, source: &str, runs: &[SyncRun]) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(match source {
        crate::deepstate::SOURCE => store
            .control_snapshots(Some(&Mapper::new("deepstate")))?
            .last()
            .map(|s| s.taken_at),
        // A day's figure stands for that day; count it from its end.
        crate::tallies::SOURCE => store
            .tally_catalog(None)?
            .iter()
            .map(|s| s.last)
            .max()
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
        crate::warspotting::SOURCE | crate::oryx::SOURCE => runs
            .iter()
            .filter(|r| r.source == source && r.ok && r.new_records > 0)
            .map(|r| r.finished_at)
            .max(),
        _ => None,
    })
}

/// Each source whose status differs from the last one recorded for it, as
/// an event (`source-health`): gone stale, failing, held for review, or
/// recovered; a source first seen OK, or never synced, is not news. Called
/// after every sync run and, for sources that go stale without one, by the
/// server's worker every minute. How many were new.
pub fn detect_events(store: &mut dyn Store, now: DateTime<Utc>) -> anyhow::Result<usize> {
    use frontline_model::{Event, EventKind};
    let earlier = store.events(&frontline_store::EventFilter {
        kinds: vec![EventKind::SourceHealth],
        limit: 20_000,
        ..Default::default()
    })?;
    let mut events = Vec::new();
    for h in all(&*store, now)? {
        // Newest first: the first of this source's is its last status.
        let mine: Vec<&Event> = earlier.iter().filter(|e| e.subject == h.source).collect();
        let last = mine.first().map(|e| e.text("status"));
        if h.status == "NEVER" || last == Some(h.status.as_str()) || (last.is_none() && h.status == "OK") {
            continue;
        }
        let mut figures = serde_json::Map::new();
        figures.insert("status".into(), h.status.clone().into());
        figures.insert("from_status".into(), last.map(str::to_string).into());
        figures.insert("reason".into(), h.reason.clone().into());
        figures.insert("cadence_hours".into(), h.cadence_hours.into());
        figures.insert("last_success".into(), h.last_success.map(|t| t.to_rfc3339()).into());
        figures.insert("newest_data".into(), h.newest_data.map(|t| t.to_rfc3339()).into());
        events.push(Event::new(
            EventKind::SourceHealth,
            format!("source-health/{}/{}", h.source, mine.len() + 1),
            now.date_naive(),
            &h.source,
            "",
            figures,
            "/#view=sources".into(),
        ));
    }
    Ok(store.put_events(&events)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().to_utc() + Duration::hours(h)
    }

    fn run(h: i64, ok: bool, new_records: usize, message: &str) -> SyncRun {
        SyncRun {
            source: "deepstate".into(),
            started_at: at(h),
            finished_at: at(h),
            ok,
            new_records,
            requests: 1,
            message: message.into(),
        }
    }

    #[test]
    fn ok_stale_failing_and_never() {
        let runs = vec![run(0, true, 3, "3 new"), run(24, true, 0, "0 new")];
        let newest = Some(at(-2));
        let h = health("deepstate", 36, &runs, newest, 0, at(30));
        assert_eq!(
            (h.status.as_str(), h.last_attempt, h.last_success, h.newest_data),
            ("OK", Some(at(24)), Some(at(24)), Some(at(-2)))
        );
        let h = health("deepstate", 36, &runs, newest, 0, at(40));
        assert_eq!(h.status, "STALE", "runs succeed but bring nothing newer");
        assert_eq!(
            h.reason,
            "the newest data was published 42 hours ago (expected every 36)"
        );
        assert_eq!(health("deepstate", 36, &runs, None, 0, at(1)).status, "STALE");
        let mut failing = runs.clone();
        failing.push(run(41, false, 0, "HTTP 401: key"));
        let h = health("deepstate", 36, &failing, newest, 0, at(42));
        assert_eq!((h.status.as_str(), h.reason.as_str()), ("FAILING", "HTTP 401: key"));
        assert_eq!(h.last_success, Some(at(24)), "the last success stays visible");
        let h = health("deepstate", 36, &runs, newest, 2, at(30));
        assert_eq!(
            (h.status.as_str(), h.reason.as_str()),
            ("REVIEW", "2 revisions held for review (frontline review list)")
        );
        assert_eq!(health("deepstate", 36, &[], None, 0, at(0)).status, "NEVER");
        assert_eq!(
            health("oryx", 36, &runs, None, 0, at(0)).status,
            "NEVER",
            "runs of other sources do not count"
        );
    }
}
