//! `serve --sync`: the server runs the syncs itself, one thread, sources in
//! turn, so two runs of a source never overlap within the process.

use crate::{FetchConfig, Guardrails, SyncReport};
use frontline_store::AuditContext;
use std::time::Duration;

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
    /// Each source with how to ask it.
    pub sources: Vec<(Source, FetchConfig)>,
    /// Time from the start of one round to the next.
    pub every: Duration,
    /// The guardrails.
    pub rails: Guardrails,
}

/// Starts the schedule on its own thread: a round at once, then every
/// `plan.every`. A failed run is recorded (health shows it) and the
/// schedule goes on.
pub fn start(plan: Plan) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("frontline-sync".into())
        .spawn(move || {
            loop {
                let started = std::time::Instant::now();
                for (source, config) in &plan.sources {
                    round(&plan, *source, config.clone());
                }
                std::thread::sleep(plan.every.saturating_sub(started.elapsed()));
            }
        })
        .expect("spawning the sync thread")
}

fn round(plan: &Plan, source: Source, config: FetchConfig) {
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
