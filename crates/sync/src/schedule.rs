//! `serve --sync`: the server runs the syncs itself, one thread, sources in
//! turn, so two runs of a source never overlap within the process.

use crate::connector::{Connector, Run};
use crate::{FetchConfig, Guardrails, SyncReport};
use frontline_store::AuditContext;
use std::time::{Duration, Instant};

/// A source the schedule syncs: one connector of the registry
/// ([`crate::registry::ALL`]).
#[derive(Clone, Copy)]
pub struct Source(pub &'static dyn Connector);

impl Source {
    /// DeepStateMap.
    pub const DEEPSTATE: Source = Source(&crate::deepstate::DeepState);
    /// The General Staff tallies.
    pub const TALLIES: Source = Source(&crate::tallies::Tallies);
    /// WarSpotting.
    pub const WARSPOTTING: Source = Source(&crate::warspotting::WarSpotting);
    /// Oryx.
    pub const ORYX: Source = Source(&crate::oryx::Oryx);

    /// Every source of the registry.
    pub fn all() -> Vec<Source> {
        crate::registry::ALL.into_iter().map(Source).collect()
    }

    /// The source of this name.
    pub fn from_name(name: &str) -> Option<Source> {
        crate::registry::by_name(name).map(Source)
    }

    /// Its name in run records.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Minutes between two runs unless the configuration says otherwise.
    pub fn default_every_mins(self) -> u64 {
        self.0.default_every_mins()
    }

    /// The live base URL.
    pub fn base_url(self) -> &'static str {
        self.0.base_url()
    }

    /// One run, fetching what is new.
    pub fn sync(
        self,
        store: &mut dyn frontline_store::Store,
        config: FetchConfig,
        rails: Guardrails,
    ) -> anyhow::Result<SyncReport> {
        self.0.sync(store, Run::new(config, rails))
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Source {}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What to sync, where from, and how often.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The database (`--db`).
    pub db: String,
    /// Each source with how to ask it and the time between two runs.
    pub sources: Vec<(Source, FetchConfig, Duration)>,
    /// The guardrails.
    pub rails: Guardrails,
}

impl Plan {
    /// The plan a configuration file states: the sources it schedules, each
    /// with its address, headers and pace, and its guardrails.
    pub fn from_file(db: &str, path: &std::path::Path) -> Result<Plan, crate::SyncError> {
        let config = crate::SyncConfig::load(path)?;
        frontline_app::commands::events::configure(config.events.clone());
        let sources = config
            .scheduled()
            .into_iter()
            .map(|s| Ok((s, config.fetch_config(s)?, config.every(s))))
            .collect::<Result<Vec<_>, crate::SyncError>>()?;
        if sources.is_empty() {
            return Err(crate::SyncError::Config(format!(
                "{}: no source to sync (name one under [sources.NAME])",
                path.display()
            )));
        }
        Ok(Plan {
            db: db.to_string(),
            sources,
            rails: config.rails(),
        })
    }

    /// The plan `serve --sync-sources deepstate,tallies` states: each
    /// named source every `every`, at its default address unless
    /// `base_urls` holds `NAME=URL` for it; default guardrails.
    pub fn from_names(db: &str, names: &str, base_urls: &[String], every: Duration) -> Result<Plan, crate::SyncError> {
        let mut sources = Vec::new();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let source = Source::from_name(name).ok_or_else(|| {
                crate::SyncError::Config(format!(
                    "--sync-sources: unknown source `{name}` ({})",
                    crate::registry::names().join(", ")
                ))
            })?;
            let base = base_urls
                .iter()
                .find_map(|b| b.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
                .unwrap_or(source.base_url());
            sources.push((source, FetchConfig::new(base), every));
        }
        Ok(Plan {
            db: db.to_string(),
            sources,
            rails: Guardrails::default(),
        })
    }
}

/// Starts the schedule on its own thread: every source at once, then each
/// when its interval has passed since its last run began. One thread runs
/// them in turn, so two runs never overlap in the server; a run that takes
/// longer than a source's interval delays the next, never doubles it. A
/// failed run is recorded (health shows it) and the schedule goes on.
pub fn start(plan: Plan) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("frontline-sync".into())
        .spawn(move || {
            let now = Instant::now();
            let mut due: Vec<Instant> = plan.sources.iter().map(|_| now).collect();
            loop {
                let Some((i, at)) = due.iter().copied().enumerate().min_by_key(|(_, t)| *t) else {
                    return;
                };
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                let (source, config, every) = &plan.sources[i];
                let started = Instant::now();
                run(&plan, *source, config.clone());
                due[i] = started + *every;
            }
        })
        .expect("spawning the sync thread")
}

fn run(plan: &Plan, source: Source, config: FetchConfig) {
    let mut store = match frontline_store::open(&plan.db) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!("sync {}: cannot open the store: {e}", source.name());
            return;
        }
    };
    store.set_audit_context(AuditContext {
        actor: "server:schedule".into(),
        via: format!("sync {}", source.name()),
    });
    match source.sync(store.as_mut(), config, plan.rails) {
        Ok(r) => tracing::info!("sync {}: {}", source.name(), r.message),
        Err(e) => tracing::warn!("sync {}: {e:#}", source.name()),
    }
    if let Err(e) = crate::health::detect_events(store.as_mut(), chrono::Utc::now()) {
        tracing::warn!("source health events: {e:#}");
    }
}
