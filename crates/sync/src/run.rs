//! One `sync` command: its flags (clap derives them behind the `cli`
//! feature, so the server never links clap) merged over the configuration
//! file, and its sources run in turn, one failing never stopping the rest.

use crate::config::{FetchFlags, GuardrailsConfig};
use crate::connector::{Run, RunOptions};
use crate::{SyncConfig, SyncReport};
use anyhow::Result;
use chrono::NaiveDate;
use frontline_app::error::UserError;
use frontline_store::Store;

/// What one `sync` asks beyond the configuration file; each flag given
/// wins over the file, and each connector refuses the ones it does not
/// take, naming them.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct RunFlags {
    /// Where the source's API is (a mirror, or a replay server in tests).
    #[cfg_attr(feature = "cli", arg(long))]
    pub base_url: Option<String>,
    /// An extra request header, `NAME: VALUE` (an API key); repeatable.
    #[cfg_attr(feature = "cli", arg(long = "header"))]
    pub headers: Vec<String>,
    /// At most this many new snapshots (deepstate) or days of catching up
    /// (warspotting) in one run, oldest first.
    #[cfg_attr(feature = "cli", arg(long))]
    pub max: Option<usize>,
    /// Where a first sync starts catching up, `YYYY-MM-DD` (warspotting;
    /// default the war's first day, one request a day at least).
    #[cfg_attr(feature = "cli", arg(long))]
    pub since: Option<NaiveDate>,
    /// DeepState: when the snapshot list refuses, fall back to this daily
    /// mirror of the occupied area (e.g. the one in docs/sync.md).
    #[cfg_attr(feature = "cli", arg(long))]
    pub mirror: Option<String>,
    /// Fetch every page of these days again, `YYYY-MM-DD..YYYY-MM-DD`, and
    /// retire the stored items the source no longer lists (warspotting).
    #[cfg_attr(feature = "cli", arg(long))]
    pub reconcile: Option<String>,
    /// The same for the stored items with ids in `FROM..TO` (warspotting):
    /// the days they are about are read again.
    #[cfg_attr(feature = "cli", arg(long, conflicts_with = "reconcile"))]
    pub reconcile_ids: Option<String>,
    /// Hold a result for review when it would retire more than this percent
    /// (and 10) of the stored items (oryx), or of the stored items of the
    /// days a reconciliation covers (warspotting).
    /// (default 10).
    #[cfg_attr(feature = "cli", arg(long))]
    pub max_removed_percent: Option<f64>,
    /// Least time between two requests, milliseconds.
    /// (default 1000).
    #[cfg_attr(feature = "cli", arg(long))]
    pub interval_ms: Option<u64>,
    /// Hold the result for review when it would change more than this
    /// share (percent) of the stored figures it repeats (tallies).
    /// (default 1).
    #[cfg_attr(feature = "cli", arg(long))]
    pub max_rewritten_percent: Option<f64>,
    /// Hold a control map whose occupied or liberated area differs from the
    /// map before by more than this percent (and 500 km²) (deepstate).
    /// (default 10).
    #[cfg_attr(feature = "cli", arg(long))]
    pub max_area_change_percent: Option<f64>,
}

impl RunFlags {
    /// The run of `source` these flags ask for, over `file`.
    pub fn run(&self, file: &SyncConfig, source: &str) -> Result<Run> {
        let fetch = FetchFlags {
            base_url: self.base_url.clone(),
            interval_ms: self.interval_ms,
            mirror: self.mirror.clone(),
            headers: self.headers.clone(),
        };
        let rails = GuardrailsConfig {
            max_rewritten_percent: self.max_rewritten_percent,
            max_area_change_percent: self.max_area_change_percent,
            max_removed_percent: self.max_removed_percent,
            ..Default::default()
        };
        let options = RunOptions {
            max: self.max,
            since: self.since,
            reconcile: self.reconcile.clone(),
            reconcile_ids: self.reconcile_ids.clone(),
        };
        let config = file.fetch_config_with(source, &fetch)?;
        Ok(Run {
            config,
            options,
            rails: file.rails_with(&rails),
        })
    }
}

/// What a `sync` of several sources did: the reports of those that ran,
/// and the failures, each with its source.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One per source that ran, in the order asked.
    pub reports: Vec<SyncReport>,
    /// The sources that failed, with why.
    pub failed: Vec<(String, anyhow::Error)>,
}

/// Runs `sources` (every registered one when `all`) in turn, each its own
/// run. One source: its error is the command's, classified. Several: one
/// failing does not stop the others; the failures are in the outcome.
pub fn sources(
    store: &mut dyn Store,
    sources: &[String],
    all: bool,
    file: &SyncConfig,
    flags: &RunFlags,
) -> Result<Outcome> {
    frontline_app::commands::events::configure(file.events.clone());
    let names: Vec<String> = match all {
        true => crate::registry::names().into_iter().map(String::from).collect(),
        false => sources.to_vec(),
    };
    let bad = |why: &str| -> anyhow::Error { UserError::BadRequest(why.into()).into() };
    if names.is_empty() {
        return Err(bad(
            "name a source to sync (deepstate, tallies, warspotting, oryx) or --all",
        ));
    }
    if names.len() > 1 && flags.base_url.is_some() {
        return Err(bad("--base-url names one source's server: sync one source with it"));
    }
    let mut outcome = Outcome::default();
    for name in &names {
        let ran = crate::registry::named(name).and_then(|c| c.sync(store, flags.run(file, name)?));
        match ran {
            Ok(r) => outcome.reports.push(r),
            Err(e) if names.len() == 1 => return Err(e),
            Err(e) => outcome.failed.push((name.clone(), e)),
        }
    }
    // What the runs did to each source's health, for those who follow it.
    if let Err(e) = crate::health::detect_events(store, chrono::Utc::now()) {
        tracing::warn!("source health events: {e:#}");
    }
    Ok(outcome)
}
