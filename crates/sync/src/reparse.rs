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

use crate::connector::Connector;
use crate::guard::Guardrails;
use anyhow::Result;
use chrono::Utc;
use frontline_app::requests::Reparse;
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

/// The latest kept body of each thing `source` publishes (its bytes still
/// kept), oldest import first.
fn latest_kept(store: &dyn Store, source: &dyn Connector) -> Result<Vec<SourceRecord>> {
    let mut latest: BTreeMap<String, SourceRecord> = BTreeMap::new();
    for s in store.sources()? {
        if let Some(thing) = source.kept_name(&s) {
            // Sources come oldest first: the last wins.
            latest.insert(thing, s);
        }
    }
    let mut out = Vec::new();
    for s in latest.into_values() {
        if store.blob(&s.bytes_sha256)?.is_some() {
            out.push(s);
        }
    }
    out.sort_by_key(|s| s.id);
    Ok(out)
}

/// Reads `source`'s kept bodies again (see the module's doc).
pub fn reparse(store: &mut dyn Store, source: &dyn Connector, rails: Guardrails) -> Result<ReparseReport> {
    let kept = latest_kept(store, source)?;
    let report = |added: usize, updated: usize, message: String| ReparseReport {
        source: source.name().into(),
        bodies: kept.len(),
        added,
        updated,
        message,
    };
    if kept.is_empty() {
        return Ok(report(0, 0, "no kept bytes: nothing synced yet".into()));
    }
    let r = Reparse {
        at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    let job = crate::connector::Reread {
        kept: &kept,
        reparse: &r,
        rails: &rails,
    };
    let (added, updated, message) = source.reparse(store, job)?;
    Ok(report(added, updated, message))
}
