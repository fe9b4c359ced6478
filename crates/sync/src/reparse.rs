//! `frontline reparse --source NAME`: after a parser fix, the bytes a sync
//! kept are read again by today's parser and what they yield is stored as
//! an import would store it: changed figures and items get a new version
//! (the old one stays, as history), unchanged ones add nothing.
//!
//! What is read again: the latest kept body of each thing the source
//! publishes (each DeepState snapshot; each tally file; each WarSpotting
//! page; each Oryx page). Each reparse is a source of its own, keyed by
//! the bytes and its time and naming the bytes, so `history` still leads
//! to them. Nothing is fetched.

use crate::guard::Guardrails;
use crate::schedule::Source;
use anyhow::Result;
use chrono::{NaiveDate, Utc};
use frontline_app::requests::Reparse;
use frontline_model::SourceKind;
use frontline_store::{SourceRecord, Store};
use std::collections::BTreeMap;

/// What a reparse did.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ReparseReport {
    /// The source.
    pub source: String,
    /// Kept bodies read again.
    pub bodies: usize,
    /// Records added (new items, figures or snapshots).
    pub added: usize,
    /// Items given a new version.
    pub updated: usize,
    /// In a line.
    pub message: String,
}

/// How an item list's reparse ended.
pub(crate) enum Outcome {
    /// Applied.
    Items(frontline_store::EvidenceReport),
    /// Held for review as this revision, for this reason.
    Held(i64, String),
}

/// The latest kept import of each thing `source` publishes, oldest first.
fn latest_kept(store: &dyn Store, source: Source) -> Result<Vec<SourceRecord>> {
    let wanted = |s: &SourceRecord| -> Option<String> {
        // A reparse's location ends ` (reparse …)`: the thing is what it read.
        let base = s.location.split(" (reparse ").next().unwrap_or(&s.location);
        // The page's own name, also in an accepted revision's `revision N NAME`.
        let name = base.rsplit(['/', ' ']).next().unwrap_or(base);
        let ok = match source {
            Source::Deepstate => {
                s.kind == SourceKind::ControlMap
                    && name
                        .strip_suffix(".geojson")
                        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            }
            Source::Tallies => crate::tallies::FILES.iter().any(|f| f.ends_with(&format!("/{name}"))),
            Source::Warspotting => s.kind == SourceKind::Losses && base.contains("/api/losses/russia/"),
            Source::Oryx => s.kind == SourceKind::Losses && crate::oryx::PAGES.iter().any(|(_, p)| p.ends_with(name)),
        };
        ok.then(|| base.to_string())
    };
    let mut latest: BTreeMap<String, SourceRecord> = BTreeMap::new();
    for s in store.sources()? {
        if let Some(thing) = wanted(&s) {
            latest.insert(thing, s); // sources come oldest first: the last wins
        }
    }
    let mut out = Vec::new();
    for s in latest.into_values() {
        // Only bytes a sync kept can be read again.
        if store.blob(&s.bytes_sha256)?.is_some() {
            out.push(s);
        }
    }
    out.sort_by_key(|s| s.id);
    Ok(out)
}

/// Reads `source`'s kept bytes again with today's parser.
pub fn reparse(store: &mut dyn Store, source: Source, rails: Guardrails) -> Result<ReparseReport> {
    let kept = latest_kept(store, source)?;
    let r = Reparse {
        at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    let n = kept.len();
    let report = |added: usize, updated: usize, message: String| ReparseReport {
        source: source.name().into(),
        bodies: n,
        added,
        updated,
        message,
    };
    if kept.is_empty() {
        return Ok(report(0, 0, "no kept bytes: nothing synced yet".into()));
    }
    match source {
        Source::Deepstate | Source::Tallies => {
            // The importers read files; the kept bytes are written under
            // the names they were imported as.
            let dir = tempfile::tempdir()?;
            let mut files = Vec::with_capacity(n);
            for s in &kept {
                let base = s.location.split(" (reparse ").next().unwrap_or(&s.location);
                let name = base.rsplit('/').next().unwrap_or(base);
                let path = dir.path().join(name);
                std::fs::write(&path, crate::fetch::kept(store, &s.bytes_sha256)?)?;
                files.push(path);
            }
            let added = match source {
                Source::Tallies => crate::tallies::import_files(store, dir.path(), files, Some(r))?,
                _ => crate::deepstate::import_files(store, dir.path(), Some(r))?,
            };
            let what = if source == Source::Tallies {
                "figures added or revised"
            } else {
                "snapshots read again"
            };
            Ok(report(added, 0, format!("{n} kept bodies read again: {added} {what}")))
        }
        Source::Warspotting => {
            let pages: Vec<(String, String)> = kept
                .iter()
                .map(|s| {
                    (
                        s.location.split(" (reparse ").next().unwrap_or(&s.location).to_string(),
                        s.bytes_sha256.clone(),
                    )
                })
                .collect();
            let e = crate::warspotting::reparse(store, &pages, &r)?;
            Ok(report(
                e.added,
                e.updated,
                format!(
                    "{n} kept pages read again: {} items added, {} updated",
                    e.added, e.updated
                ),
            ))
        }
        Source::Oryx => {
            let pages: Vec<(String, String, NaiveDate)> = kept
                .iter()
                .map(|s| {
                    (
                        s.location.split(" (reparse ").next().unwrap_or(&s.location).to_string(),
                        s.bytes_sha256.clone(),
                        s.imported_at.date_naive(),
                    )
                })
                .collect();
            match crate::oryx::reparse(store, &pages, &r, &rails)? {
                Outcome::Items(e) => Ok(report(
                    e.added,
                    e.updated,
                    format!(
                        "{n} kept pages read again: {} items added, {} updated, {} retired",
                        e.added, e.updated, e.tombstoned
                    ),
                )),
                Outcome::Held(id, why) => Ok(report(0, 0, format!("held for review as revision {id}: {why}"))),
            }
        }
    }
}
