//! `serve --sync`: the server runs the syncs itself, one thread, sources in
//! turn, so two runs of a source never overlap within the process.

use crate::{FetchConfig, Guardrails, SyncReport};
use frontline_store::AuditContext;
use std::time::{Duration, Instant};

/// A source the schedule syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// DeepStateMap snapshots.
    Deepstate,
    /// The General Staff tallies.
    Tallies,
    /// WarSpotting's items.
    Warspotting,
    /// Oryx's two pages.
    Oryx,
}

impl Source {
    /// Every source the schedule can run.
    pub const ALL: [Source; 4] = [Source::Deepstate, Source::Tallies, Source::Warspotting, Source::Oryx];

    /// The source of this name.
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Its name in run records.
    pub fn name(self) -> &'static str {
        match self {
            Source::Deepstate => crate::deepstate::SOURCE,
            Source::Tallies => crate::tallies::SOURCE,
            Source::Warspotting => crate::warspotting::SOURCE,
            Source::Oryx => crate::oryx::SOURCE,
        }
    }

    /// Minutes between two runs in the server unless the configuration
    /// says otherwise: about a tenth of the source's cadence, and no more
    /// often than its publishing makes useful.
    pub fn default_every_mins(self) -> u64 {
        match self {
            Source::Deepstate => 60,
            Source::Tallies => 180,
            Source::Warspotting => 120,
            Source::Oryx => 360,
        }
    }

    /// The live base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Source::Deepstate => crate::deepstate::BASE_URL,
            Source::Tallies => crate::tallies::BASE_URL,
            Source::Warspotting => crate::warspotting::BASE_URL,
            Source::Oryx => crate::oryx::BASE_URL,
        }
    }

    /// One run.
    pub fn sync(
        self,
        store: &mut dyn frontline_store::Store,
        config: FetchConfig,
        rails: Guardrails,
    ) -> anyhow::Result<SyncReport> {
        match self {
            Source::Deepstate => crate::deepstate::sync(store, config, None, rails),
            Source::Tallies => crate::tallies::sync(store, config, rails),
            Source::Warspotting => crate::warspotting::sync(
                store,
                config,
                crate::warspotting::Mode::Update {
                    max_days: None,
                    since: None,
                },
                rails,
            ),
            Source::Oryx => crate::oryx::sync(store, config, rails),
        }
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
}
