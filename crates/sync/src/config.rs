//! The sync configuration file: per source, whether and how often the
//! server syncs it, where from, with which headers and pace; and the
//! guardrails. TOML, every key optional (docs/sync.md shows one in full):
//!
//! ```toml
//! [sources.deepstate]
//! every_mins = 60
//! base_url = "https://deepstatemap.live"
//! headers = ["X-Api-Key: …"]
//!
//! [sources.warspotting]
//! every_mins = 120
//! interval_ms = 1000
//!
//! [guardrails]
//! max_removed_percent = 10
//!
//! [events]
//! area_change_km2 = 25
//! ```
//!
//! A source not named is not synced by the server; one named with
//! `enabled = false` neither. Unknown keys and sources are refused: a typo
//! must not silently leave a source unsynced or unguarded.

use crate::error::SyncError;
use crate::schedule::Source;
use crate::{FetchConfig, Guardrails};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// Per source, by name.
    #[serde(default)]
    pub sources: BTreeMap<String, SourceConfig>,
    /// Thresholds for holding a result for review.
    #[serde(default)]
    pub guardrails: GuardrailsConfig,
    /// When a change on the maps is an event (docs/events.md); the process
    /// that reads the file detects with them.
    #[serde(default)]
    pub events: frontline_app::commands::events::Thresholds,
}

/// One source.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Synced by `serve --sync` (default true when the source is named).
    pub enabled: Option<bool>,
    /// Minutes between two runs in the server (default per source:
    /// [`Source::default_every`]).
    pub every_mins: Option<u64>,
    /// Where the source's API is (a mirror).
    pub base_url: Option<String>,
    /// Extra request headers, `NAME: VALUE` (an API key).
    #[serde(default)]
    pub headers: Vec<String>,
    /// Least time between two requests, milliseconds (default 1000).
    pub interval_ms: Option<u64>,
    /// Seconds before a request is given up (default 60).
    pub timeout_secs: Option<u64>,
    /// DeepState: a daily mirror to fall back on when the list refuses
    /// (none by default; docs/sync.md).
    pub mirror: Option<String>,
}

/// The guardrails, in the units the CLI flags use.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardrailsConfig {
    /// Tallies: hold past this percent of stored figures rewritten.
    pub max_rewritten_percent: Option<f64>,
    /// Tallies: hold any lowered cumulative figure.
    pub hold_lowered: Option<bool>,
    /// DeepState: hold a map whose area moves by more than this percent…
    pub max_area_change_percent: Option<f64>,
    /// …and this many km².
    pub min_area_change_km2: Option<f64>,
    /// WarSpotting, Oryx: hold past this percent of items gone…
    pub max_removed_percent: Option<f64>,
    /// …and this many items.
    pub min_removed_items: Option<usize>,
}

impl SyncConfig {
    /// Reads and checks a file.
    pub fn load(path: &Path) -> Result<Self, SyncError> {
        let bad = |why: String| SyncError::Config(format!("{}: {why}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let config: SyncConfig = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
        for (name, s) in &config.sources {
            if Source::from_name(name).is_none() {
                let known = crate::registry::names().join(", ");
                return Err(bad(format!("unknown source `{name}` ({known})")));
            }
            if s.every_mins == Some(0) {
                return Err(bad(format!("sources.{name}.every_mins: at least 1")));
            }
            for h in &s.headers {
                header(h).map_err(|e| bad(format!("sources.{name}.headers: {e}")))?;
            }
        }
        let g = &config.guardrails;
        for (key, v) in [
            ("max_rewritten_percent", g.max_rewritten_percent),
            ("max_area_change_percent", g.max_area_change_percent),
            ("max_removed_percent", g.max_removed_percent),
        ] {
            if v.is_some_and(|v| !(0.0..=100.0).contains(&v)) {
                return Err(bad(format!("guardrails.{key}: a percent, 0 to 100")));
            }
        }
        Ok(config)
    }

    /// The sources the server syncs, in the file's order of names.
    pub fn scheduled(&self) -> Vec<Source> {
        self.sources
            .iter()
            .filter(|(_, s)| s.enabled.unwrap_or(true))
            .filter_map(|(n, _)| Source::from_name(n))
            .collect()
    }

    fn source(&self, source: Source) -> SourceConfig {
        self.sources.get(source.name()).cloned().unwrap_or_default()
    }

    /// How to ask `source`.
    pub fn fetch_config(&self, source: Source) -> Result<FetchConfig, SyncError> {
        let s = self.source(source);
        let mut c = FetchConfig::new(s.base_url.as_deref().unwrap_or(source.base_url()));
        if let Some(ms) = s.interval_ms {
            c.min_interval = Duration::from_millis(ms);
        }
        if let Some(t) = s.timeout_secs {
            c.timeout = Duration::from_secs(t.max(1));
        }
        c.mirror = s.mirror.clone();
        for h in &s.headers {
            c.headers.push(header(h)?);
        }
        Ok(c)
    }

    /// How to ask the source named `name` in one run: the run's flags where
    /// given, else this file, else the defaults (the one place they are
    /// merged, like [`SyncConfig::rails_with`]).
    pub fn fetch_config_with(&self, name: &str, run: &FetchFlags) -> Result<FetchConfig, SyncError> {
        let source = Source::from_name(name).ok_or_else(|| SyncError::Config(format!("unknown source `{name}`")))?;
        let mut c = self.fetch_config(source)?;
        if let Some(base) = &run.base_url {
            c.base_url = base.trim_end_matches('/').to_string();
        }
        if let Some(ms) = run.interval_ms {
            c.min_interval = Duration::from_millis(ms);
        }
        if let Some(m) = &run.mirror {
            c.mirror = Some(m.clone());
        }
        for h in &run.headers {
            c.headers
                .push(header(h).map_err(|_| SyncError::Config(format!("--header `{h}`: want `NAME: VALUE`")))?);
        }
        Ok(c)
    }

    /// Time between two runs of `source` in the server.
    pub fn every(&self, source: Source) -> Duration {
        let mins = self.source(source).every_mins.unwrap_or(source.default_every_mins());
        Duration::from_secs(mins.max(1) * 60)
    }

    /// The guardrails, defaults where the file is silent.
    pub fn rails(&self) -> Guardrails {
        self.rails_with(&GuardrailsConfig::default())
    }

    /// The guardrails with those given for one run (the command line's)
    /// over the file's, and defaults where both are silent: the one place
    /// they are merged.
    pub fn rails_with(&self, run: &GuardrailsConfig) -> Guardrails {
        let d = Guardrails::default();
        let f = &self.guardrails;
        let g = GuardrailsConfig {
            max_rewritten_percent: run.max_rewritten_percent.or(f.max_rewritten_percent),
            hold_lowered: run.hold_lowered.or(f.hold_lowered),
            max_area_change_percent: run.max_area_change_percent.or(f.max_area_change_percent),
            min_area_change_km2: run.min_area_change_km2.or(f.min_area_change_km2),
            max_removed_percent: run.max_removed_percent.or(f.max_removed_percent),
            min_removed_items: run.min_removed_items.or(f.min_removed_items),
        };
        Guardrails {
            max_rewritten_share: g.max_rewritten_percent.map_or(d.max_rewritten_share, |p| p / 100.0),
            hold_lowered: g.hold_lowered.unwrap_or(d.hold_lowered),
            max_area_change: g.max_area_change_percent.map_or(d.max_area_change, |p| p / 100.0),
            min_area_change_km2: g.min_area_change_km2.unwrap_or(d.min_area_change_km2),
            max_removed_share: g.max_removed_percent.map_or(d.max_removed_share, |p| p / 100.0),
            min_removed_items: g.min_removed_items.unwrap_or(d.min_removed_items),
        }
    }
}

/// What one run's flags say about how to ask a source (`sync --base-url`…);
/// each one given wins over the file.
#[derive(Debug, Default, Clone)]
pub struct FetchFlags {
    /// Where the source's API is.
    pub base_url: Option<String>,
    /// Least time between two requests, milliseconds.
    pub interval_ms: Option<u64>,
    /// DeepState's fallback mirror.
    pub mirror: Option<String>,
    /// Extra headers, `NAME: VALUE`.
    pub headers: Vec<String>,
}

/// `NAME: VALUE` → (name, value).
pub fn header(h: &str) -> Result<(String, String), SyncError> {
    let (name, value) = h
        .split_once(':')
        .filter(|(n, _)| !n.trim().is_empty())
        .ok_or_else(|| SyncError::Config(format!("header `{h}`: want `NAME: VALUE`")))?;
    Ok((name.trim().to_string(), value.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<SyncConfig, SyncError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sync.toml");
        std::fs::write(&p, text).unwrap();
        SyncConfig::load(&p)
    }

    #[test]
    fn reads_sources_intervals_and_guardrails() {
        let c = load(
            "[sources.deepstate]\nevery_mins = 30\nheaders = [\"X-Api-Key: k1\"]\nbase_url = \"http://mirror\"\n\
             [sources.oryx]\nenabled = false\n[sources.warspotting]\ninterval_ms = 1500\n\
             [guardrails]\nmax_removed_percent = 25\n",
        )
        .unwrap();
        assert_eq!(c.scheduled(), [Source::DEEPSTATE, Source::WARSPOTTING]);
        assert_eq!(c.every(Source::DEEPSTATE), Duration::from_secs(1800));
        assert_eq!(
            c.every(Source::WARSPOTTING),
            Duration::from_secs(120 * 60),
            "the source's default"
        );
        let f = c.fetch_config(Source::DEEPSTATE).unwrap();
        assert_eq!((f.base_url.as_str(), f.headers[0].1.as_str()), ("http://mirror", "k1"));
        assert_eq!(
            c.fetch_config(Source::WARSPOTTING).unwrap().min_interval,
            Duration::from_millis(1500)
        );
        assert_eq!(c.rails().max_removed_share, 0.25);
        assert_eq!(c.rails().max_area_change, Guardrails::default().max_area_change);
        // A run's own (the command line's) over the file's, over defaults.
        let run = GuardrailsConfig {
            max_removed_percent: Some(40.0),
            max_area_change_percent: Some(5.0),
            ..Default::default()
        };
        let r = c.rails_with(&run);
        assert_eq!((r.max_removed_share, r.max_area_change), (0.4, 0.05));
        assert_eq!(r.max_rewritten_share, Guardrails::default().max_rewritten_share);
        let r = c.rails_with(&GuardrailsConfig::default());
        assert_eq!(r.max_removed_share, 0.25, "the file's, when the run says nothing");
    }

    /// A run's flags win over the file, the file over the defaults, and
    /// headers add up.
    #[test]
    fn a_runs_flags_win_over_the_file() {
        let c =
            load("[sources.deepstate]\nbase_url = \"http://file/\"\ninterval_ms = 5\nheaders = [\"A: 1\"]\n").unwrap();
        let none = c.fetch_config_with("deepstate", &FetchFlags::default()).unwrap();
        assert_eq!(
            (none.base_url.as_str(), none.min_interval),
            ("http://file", Duration::from_millis(5))
        );
        let flags = FetchFlags {
            base_url: Some("http://flag/".into()),
            interval_ms: Some(7),
            mirror: Some("http://mirror".into()),
            headers: vec!["B: 2".into()],
        };
        let run = c.fetch_config_with("deepstate", &flags).unwrap();
        assert_eq!(
            (run.base_url.as_str(), run.min_interval, run.mirror.as_deref()),
            ("http://flag", Duration::from_millis(7), Some("http://mirror"))
        );
        assert_eq!(run.headers, [("A".into(), "1".into()), ("B".into(), "2".into())]);
        let tallies = c.fetch_config_with("tallies", &FetchFlags::default()).unwrap();
        assert_eq!(tallies.base_url, Source::from_name("tallies").unwrap().base_url());
        let bad = FetchFlags {
            headers: vec!["no colon".into()],
            ..Default::default()
        };
        let e = c.fetch_config_with("deepstate", &bad).unwrap_err().to_string();
        assert!(e.contains("--header `no colon`"), "{e}");
        assert!(c.fetch_config_with("telegram", &FetchFlags::default()).is_err());
    }

    #[test]
    fn typos_are_refused_with_the_key() {
        let e = load("[sources.deepstat]\nevery_mins = 30\n").unwrap_err().to_string();
        assert!(e.contains("unknown source `deepstat`"), "{e}");
        let e = load("[sources.oryx]\nevery_min = 30\n").unwrap_err().to_string();
        assert!(e.contains("unknown field `every_min`"), "{e}");
        let e = load("[guardrails]\nmax_removed_percent = 250\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("guardrails.max_removed_percent: a percent"), "{e}");
        let e = load("[sources.tallies]\nheaders = [\"no colon\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("want `NAME: VALUE`"), "{e}");
    }
}
