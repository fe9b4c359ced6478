//! Live connectors: `frontline sync SOURCE` fetches what a source published
//! since the last run, keeps the bytes it fetched (content-addressed, so
//! any stored figure traces back to them through its source's SHA-256),
//! imports them through the same code as a file import, and records the
//! run for `sources health`.
//!
//! This layer sits above the app: the app knows no HTTP, the connectors know
//! no SQL.

pub mod config;
pub mod connector;
pub mod deepstate;
pub mod error;
pub mod fetch;
pub mod guard;
pub mod health;
pub mod held;
pub mod oryx;
pub mod queries;
pub mod registry;
pub mod reparse;
pub mod review;
pub mod run;
pub mod schedule;
pub mod tallies;
pub mod warspotting;
pub mod webhooks;

pub use config::SyncConfig;
pub use error::SyncError;
pub use fetch::{FetchConfig, Fetcher};
pub use guard::Guardrails;

use chrono::Utc;
use frontline_store::{Store, SyncRun};

/// What one run did.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct SyncReport {
    /// The source.
    pub source: String,
    /// HTTP requests made.
    pub requests: usize,
    /// Records imported.
    pub new_records: usize,
    /// In a line.
    pub message: String,
}

/// The current stored items of an item list, by id.
pub(crate) fn stored_items(
    store: &dyn Store,
    source: &str,
) -> anyhow::Result<std::collections::HashMap<String, frontline_model::EvidenceItem>> {
    let items = store.evidence_items(&frontline_store::EvidenceFilter {
        sources: vec![source.into()],
        ..Default::default()
    })?;
    Ok(items.into_iter().map(|i| (i.id(), i)).collect())
}

/// Items of a page with their published dates: a stored item keeps the one
/// it has (first seen is first seen once); a new one gets `new(id)`.
pub(crate) fn keep_published(
    items: Vec<frontline_model::EvidenceItem>,
    known: &std::collections::HashMap<String, frontline_model::EvidenceItem>,
    new: impl Fn(&str) -> Option<chrono::NaiveDate>,
) -> Vec<frontline_model::EvidenceItem> {
    items
        .into_iter()
        .map(|mut i| {
            let id = i.id();
            i.dates.published = match known.get(&id) {
                Some(s) => s.dates.published,
                None => new(&id),
            };
            i
        })
        .collect()
}

/// The source row of a fetched page of an item list (a reparse: keyed
/// apart, naming the bytes).
pub(crate) fn page_meta(
    location: String,
    sha256: String,
    reparse: Option<&frontline_app::requests::Reparse>,
) -> frontline_model::SourceMeta {
    let meta = frontline_model::SourceMeta {
        location,
        sha256,
        bytes_sha256: None,
        kind: frontline_model::SourceKind::Losses,
        imported_at: Utc::now(),
    };
    match reparse {
        Some(r) => r.meta(meta),
        None => meta,
    }
}

/// Runs `body` for `source` and records the run, whether it succeeded or
/// not, with every request it made and every body it fetched.
/// `body` returns the records imported and a line saying what it did.
pub(crate) fn recorded(
    store: &mut dyn Store,
    source: &str,
    config: FetchConfig,
    body: impl FnOnce(&mut dyn Store, &mut Fetcher) -> anyhow::Result<(usize, String)>,
) -> anyhow::Result<SyncReport> {
    let started_at = Utc::now();
    let mut fetcher = Fetcher::new(source, config)?;
    let result = body(store, &mut fetcher);
    let (ok, new_records, message) = match &result {
        Ok((n, message)) => (true, *n, message.clone()),
        Err(e) => (false, 0, format!("{e:#}")),
    };
    record(store, &mut fetcher, started_at, ok, new_records, &message)?;
    result.map(|_| SyncReport {
        source: source.into(),
        requests: fetcher.requests(),
        new_records,
        message,
    })
}

/// Records what was fetched so far, before importing it: a run killed after
/// the import still leaves every stored record traceable to its bytes. The
/// run stays "importing" (not ok) until its final record says otherwise.
pub(crate) fn keep_before_import(store: &mut dyn Store, fetcher: &mut Fetcher, message: &str) -> anyhow::Result<()> {
    record(store, fetcher, Utc::now(), false, 0, message)
}

/// Writes a run record with the requests and bodies not recorded yet.
fn record(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    started_at: chrono::DateTime<Utc>,
    ok: bool,
    new_records: usize,
    message: &str,
) -> anyhow::Result<()> {
    let run = SyncRun {
        source: fetcher.source().into(),
        started_at,
        finished_at: Utc::now(),
        ok,
        new_records,
        requests: fetcher.requests(),
        message: message.into(),
    };
    let (log, blobs) = (std::mem::take(&mut fetcher.log), std::mem::take(&mut fetcher.blobs));
    store.record_sync(&run, &log, &blobs)?;
    Ok(())
}
