//! One interface for every live source, and what the sources share.
//!
//! The sources implement [`Connector`]; [`crate::registry`] lists them. A
//! source reaches this module (and [`crate::held`], to hold what it may not
//! apply) and nothing above it: the registry, schedule, review and reparse
//! call the sources, never the other way.

use crate::{FetchConfig, Guardrails, SyncReport};
use anyhow::Result;
use chrono::NaiveDate;
use frontline_app::error::UserError;
use frontline_app::imports::{Input, SourceFile};
use frontline_app::requests::Reparse;
use frontline_store::{Revision, SourceRecord, Store};

/// What one run is asked to do beyond fetching what is new. A connector
/// refuses an option it does not take, naming it.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// At most this many items (maps, days) in one run, oldest first.
    pub max: Option<usize>,
    /// Where a first sync starts catching up.
    pub since: Option<NaiveDate>,
    /// Read these days again, `YYYY-MM-DD..YYYY-MM-DD`, and retire what is
    /// gone.
    pub reconcile: Option<String>,
    /// The same for the items with ids in `FROM..TO`.
    pub reconcile_ids: Option<String>,
}

impl RunOptions {
    /// Refuses the options `source` does not take (`takes`: the ones it
    /// does, by flag name).
    pub fn only(&self, source: &str, takes: &[&str]) -> Result<()> {
        let given = [
            ("max", self.max.is_some()),
            ("since", self.since.is_some()),
            ("reconcile", self.reconcile.is_some()),
            ("reconcile-ids", self.reconcile_ids.is_some()),
        ];
        for (flag, set) in given {
            if set && !takes.contains(&flag) {
                return Err(UserError::BadRequest(format!("--{flag} is not an option of `sync {source}`")).into());
            }
        }
        Ok(())
    }
}

/// One run's settings: where to fetch, what beyond the new items, and the
/// guardrails its judgement applies.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where and how to fetch.
    pub config: FetchConfig,
    /// What beyond fetching what is new.
    pub options: RunOptions,
    /// What a run may apply without review.
    pub rails: Guardrails,
}

impl Run {
    /// A plain run: what is new, nothing more.
    pub fn new(config: FetchConfig, rails: Guardrails) -> Self {
        Run {
            config,
            options: RunOptions::default(),
            rails,
        }
    }
}

/// What a reparse is asked to read again: the latest kept bodies, under
/// the reparse's mark, with the guardrails in force.
#[derive(Debug, Clone, Copy)]
pub struct Reread<'a> {
    /// The latest kept bodies, one per name.
    pub kept: &'a [SourceRecord],
    /// The reparse's mark.
    pub reparse: &'a Reparse,
    /// The guardrails in force.
    pub rails: &'a Guardrails,
}

/// What a reparse did: records added, records updated, and one line.
pub type Reparsed = (usize, usize, String);

/// A connector's import of files (a reparse: read again, keyed apart):
/// records added.
pub(crate) type ImportFiles = fn(&mut dyn Store, Vec<Input>, Option<Reparse>) -> Result<usize>;

/// What names a source and sets its pace.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    /// Its name in run records, health, revisions and the CLI.
    pub name: &'static str,
    /// One line for the CLI's help.
    pub about: &'static str,
    /// The live base URL.
    pub base_url: &'static str,
    /// Minutes between two runs in the server unless the configuration
    /// says otherwise: about a tenth of the source's cadence.
    pub every_mins: u64,
}

/// A live source: how it is fetched, judged, imported and read again.
pub trait Connector: Sync {
    /// Its name, help line, base URL and pace.
    fn info(&self) -> &'static Info;
    /// Its name in run records, health, revisions and the CLI.
    fn name(&self) -> &'static str {
        self.info().name
    }
    /// One line for the CLI's help.
    fn about(&self) -> &'static str {
        self.info().about
    }
    /// The live base URL.
    fn base_url(&self) -> &'static str {
        self.info().base_url
    }
    /// Minutes between two runs in the server by default.
    fn default_every_mins(&self) -> u64 {
        self.info().every_mins
    }
    /// One run: fetch what is new, hold what cannot be trusted, import the
    /// rest, record the run.
    fn sync(&self, store: &mut dyn Store, run: Run) -> Result<SyncReport>;
    /// Applies a held revision's kept files as the run that held them
    /// would have; records added.
    fn accept(&self, store: &mut dyn Store, revision: &Revision) -> Result<usize>;
    /// What a stored source row of this connector's bodies is (a file, a
    /// page, a snapshot): `reparse` reads the latest of each. None: not
    /// one of its bodies.
    fn kept_name(&self, source: &SourceRecord) -> Option<String>;
    /// Reads the latest kept bodies again with today's parser: (added,
    /// updated, what it did).
    fn reparse(&self, store: &mut dyn Store, job: Reread<'_>) -> Result<Reparsed>;
}

/// A held revision's kept files imported through `import` (the files'
/// connectors' `accept`).
pub(crate) fn accept_files(store: &mut dyn Store, revision: &Revision, import: ImportFiles) -> Result<usize> {
    let files = revision_files(store, revision)?;
    import(store, files, None)
}

/// Kept bodies read again through `import`: (added, 0, "N kept bodies read
/// again: {added} `what`").
pub(crate) fn reparse_files(
    store: &mut dyn Store,
    job: Reread<'_>,
    import: ImportFiles,
    what: &str,
) -> Result<Reparsed> {
    let files = kept_files(store, job.kept)?;
    let added = import(store, files, Some(job.reparse.clone()))?;
    let n = job.kept.len();
    Ok((added, 0, format!("{n} kept bodies read again: {added} {what}")))
}

/// The location of a kept body without a reparse's suffix (what it read),
/// and its last word: the file or page's own name, also in an accepted
/// revision's `revision N NAME`.
pub(crate) fn base_location(s: &SourceRecord) -> (&str, &str) {
    let base = s.location.split(" (reparse ").next().unwrap_or(&s.location);
    (base, base.rsplit(['/', ' ']).next().unwrap_or(base))
}

/// A revision's kept files, under the names they were held as.
fn revision_files(store: &dyn Store, revision: &Revision) -> Result<Vec<Input>> {
    revision
        .files
        .iter()
        .map(|(name, sha)| {
            Ok(Input::Bytes(SourceFile::from_bytes(
                name.clone(),
                crate::fetch::kept(store, sha)?,
            )))
        })
        .collect()
}

/// Kept bodies, under the file names they were imported as (a reparse's
/// mark taken off).
fn kept_files(store: &dyn Store, kept: &[SourceRecord]) -> Result<Vec<Input>> {
    kept.iter()
        .map(|s| {
            let (base, _) = base_location(s);
            let name = base.rsplit('/').next().unwrap_or(base);
            Ok(Input::Bytes(SourceFile::from_bytes(
                name,
                crate::fetch::kept(store, &s.bytes_sha256)?,
            )))
        })
        .collect()
}
