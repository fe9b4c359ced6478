//! The registry of live sources: what the CLI (`sync`, `reparse`), the
//! schedule, `review accept` and the configuration file enumerate. None of
//! them names a source. A new source is one module implementing
//! [`Connector`] and one line in [`ALL`].

use crate::connector::Connector;
use anyhow::Result;
use frontline_app::error::UserError;

/// Every source, in the order `sync --all` runs them.
pub const ALL: [&dyn Connector; 4] = [
    &crate::deepstate::DeepState,
    &crate::tallies::Tallies,
    &crate::warspotting::WarSpotting,
    &crate::oryx::Oryx,
];

/// The source of this name.
pub fn by_name(name: &str) -> Option<&'static dyn Connector> {
    ALL.into_iter().find(|c| c.name() == name)
}

/// Every source's name.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|c| c.name()).collect()
}

/// The source of this name, or a user error listing the known ones.
pub fn named(name: &str) -> Result<&'static dyn Connector> {
    by_name(name)
        .ok_or_else(|| UserError::BadRequest(format!("unknown source `{name}` ({})", names().join(", "))).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::{Run, RunOptions};
    use crate::{FetchConfig, Guardrails};

    #[test]
    fn the_registry_names_each_source_once_and_finds_it() {
        let names = names();
        assert_eq!(names, ["deepstate", "tallies", "warspotting", "oryx"]);
        for n in &names {
            assert_eq!(by_name(n).map(|c| c.name()), Some(*n));
        }
        let e = named("telegram").err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(e, "unknown source `telegram` (deepstate, tallies, warspotting, oryx)");
    }

    #[test]
    fn an_option_a_source_does_not_take_is_refused() {
        let o = RunOptions {
            reconcile: Some("2025-01-01..2025-01-31".into()),
            ..Default::default()
        };
        assert!(o.only("warspotting", &["reconcile"]).is_ok());
        let e = o.only("oryx", &[]).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(e, "--reconcile is not an option of `sync oryx`");
        // The connectors say which they take: Oryx refuses it before any
        // request (the store and the address are never touched).
        let mut store = frontline_store::SqliteStore::open_in_memory().expect("store");
        let e = by_name("oryx")
            .expect("oryx")
            .sync(
                &mut store,
                Run {
                    config: FetchConfig::new("http://127.0.0.1:9"),
                    options: o,
                    rails: Guardrails::default(),
                },
            )
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(e, "--reconcile is not an option of `sync oryx`");
    }
}
