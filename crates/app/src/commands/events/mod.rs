//! Events (docs/events.md): after each import, what the data now says
//! happened (record days, settlements changing hands, areas changing,
//! mappers disagreeing, lag shifts, claim verdicts), recorded once by a
//! stable id; and `events`, which lists them.
//!
//! Detection is a pure function of the stored data. Running it again
//! after a re-import, a reparse that changed nothing or a restart finds the
//! same ids, and the store records nothing new.

use crate::answers::EventRow;
use crate::error::bail_bad;
use crate::requests::EventsRequest;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_model::{Event, EventKind, Mapper, SeriesKey};
use frontline_store::{EventFilter, Store};

mod findings;
mod maps;
mod records;
mod words;

pub use findings::{detect_lag_shifts, detect_verdicts};
pub use maps::{detect_area_changes, detect_disagreements, detect_handovers};
pub use records::{RECORDS_SINCE, detect_records};
pub use words::{Lang, title};

/// Most events one `events` answer lists.
pub const MAX_EVENTS: usize = 1_000;

/// When a change on the maps is news (the configuration file's `[events]`
/// table, docs/events.md); every key optional.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A status's area on a mapper's whole map changing by at least this
    /// between two days, km².
    pub area_change_km2: f64,
    /// The same inside one first-level unit, km².
    pub unit_change_km2: f64,
    /// Two mappers' maps of a status disagreeing by at least this (after a
    /// day under it), km².
    pub disagreement_km2: f64,
    /// Unit and disagreement events are looked for on at most this many of
    /// an import's newest days (clipping is the costly part; a bulk
    /// import's history is not news).
    pub recent_days: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            area_change_km2: 25.0,
            unit_change_km2: 10.0,
            disagreement_km2: 500.0,
            recent_days: 3,
        }
    }
}

/// The thresholds this process detects with ([`configure`]d once from the
/// configuration file by `serve` and `sync`; the defaults otherwise).
static THRESHOLDS: std::sync::OnceLock<Thresholds> = std::sync::OnceLock::new();

/// Sets this process's thresholds; `false` if they were set already.
pub fn configure(t: Thresholds) -> bool {
    THRESHOLDS.set(t).is_ok()
}

/// This process's thresholds.
pub fn thresholds() -> Thresholds {
    THRESHOLDS.get().cloned().unwrap_or_default()
}

/// Detects what an import may have made happen (`what` reads, after the
/// import, what it changed), then the claims' verdicts (any data may move
/// them); a failure, reading included, is logged and never undoes the
/// import or fails it (the next detection finds the same ids).
pub fn after_import(store: &mut dyn Store, what: impl FnOnce(&dyn Store) -> Result<After>) {
    let (t, started) = (thresholds(), std::time::Instant::now());
    let found = what(&*store).and_then(|what| {
        let n = match what {
            After::Tallies(touched) => detect_records(store, &touched)?,
            After::Maps(since) => {
                let mut n = 0;
                for (mapper, day) in since {
                    // Records where the maps changed first (a failure
                    // leaves histories to test the maps themselves).
                    n += detect_handovers(store, &mapper, day)?;
                    n += detect_area_changes(store, &mapper, day, &t)?;
                    n += detect_disagreements(store, &mapper, day, &t)?;
                }
                n
            }
            After::Losses => detect_lag_shifts(store)?,
            After::Other => 0,
        };
        Ok(n + detect_verdicts(store)?)
    });
    // Tenths of a millisecond: a tally import's detection takes a few.
    let ms = started.elapsed().as_secs_f64() * 1e3;
    match found {
        Ok(0) => tracing::debug!("no new events ({ms:.1} ms)"),
        Ok(n) => tracing::info!("{n} new events ({ms:.1} ms)"),
        Err(e) => tracing::warn!("event detection: {e:#}"),
    }
}

/// What an import changed, for [`after_import`].
pub enum After {
    /// Tally figures, of these series (no other series' records can
    /// change).
    Tallies(Vec<SeriesKey>),
    /// Control maps, or the places they are tested at: per mapper, the
    /// first day whose maps are new.
    Maps(Vec<(Mapper, NaiveDate)>),
    /// Per-item loss lists.
    Losses,
    /// Anything else a claim may be measured on (counts, outlines, claims).
    Other,
}

/// `events`: recorded events, newest first, filtered.
pub fn list(store: &dyn Store, req: &EventsRequest) -> Result<Vec<EventRow>> {
    let kinds = kinds(req.kind.as_deref())?;
    let limit = req.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_EVENTS {
        bail_bad!("limit must be 1 to {MAX_EVENTS}, not {limit}");
    }
    let lang = Lang::parse(req.lang.as_deref())?;
    // The filters on figures are applied here, over at most MAX_EVENTS × 20
    // of the newest events of the kinds asked (bounded work per request).
    let filter = EventFilter {
        kinds,
        since: req.since,
        limit: MAX_EVENTS * 20,
        known_by: None,
    };
    let wanted = |e: &Event| {
        req.category
            .as_deref()
            .is_none_or(|c| e.kind == EventKind::Record && e.subject.eq_ignore_ascii_case(c))
            && req.within.as_deref().is_none_or(|w| within(&e.scope, w))
            && (req.min_population == 0 || e.number("population") >= req.min_population as f64)
            && req.place.as_deref().is_none_or(|p| about_place(e, p))
            && req.source.as_deref().is_none_or(|s| of_source(e, s))
    };
    Ok(store
        .events(&filter)?
        .into_iter()
        .filter(wanted)
        .take(limit)
        .map(|e| EventRow {
            title: title(&e, lang),
            id: e.id,
            kind: e.kind.to_string(),
            date: e.date,
            detected_at: e.detected_at,
            subject: e.subject,
            scope: e.scope,
            figures: e.figures,
            permalink: e.permalink,
            sources: e.sources,
        })
        .collect())
}

/// The kinds a comma-separated list names (all when none).
pub fn kinds(list: Option<&str>) -> Result<Vec<EventKind>> {
    let Some(list) = list.filter(|l| !l.trim().is_empty()) else {
        return Ok(vec![]);
    };
    list.split(',')
        .map(|k| match EventKind::parse(k.trim()) {
            Some(kind) => Ok(kind),
            None => {
                let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                bail_bad!("kind: unknown event kind `{}` (known: {})", k.trim(), known.join(", "))
            }
        })
        .collect()
}

/// Whether a handover is about the place named (in any language).
fn about_place(e: &Event, name: &str) -> bool {
    e.kind == EventKind::Handover
        && [e.subject.as_str(), e.text("name_uk"), e.text("name_ru")]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
}

/// Whether an event comes of a source: a synced source or loss list (its
/// subject), a mapper (its figures), or a file a figure came from.
fn of_source(e: &Event, source: &str) -> bool {
    let is = |s: &str| !s.is_empty() && s.eq_ignore_ascii_case(source);
    (matches!(e.kind, EventKind::LagShift | EventKind::SourceHealth) && is(&e.subject))
        || ["mapper", "a_mapper", "b_mapper"].iter().any(|k| is(e.text(k)))
        || e.sources.iter().any(|s| is(s) || s.rsplit('/').next().is_some_and(is))
}

/// Whether a unit code is `within` (itself, or a unit of the country).
fn within(scope: &str, within: &str) -> bool {
    scope.eq_ignore_ascii_case(within)
        || scope.len() > within.len()
            && scope[..within.len()].eq_ignore_ascii_case(within)
            && scope.as_bytes()[within.len()] == b'-'
}

/// A stable id from its parts: lower case, spaces as `-`, parts by `/`.
pub(super) fn slug(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim().to_lowercase().replace(char::is_whitespace, "-"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The page's view: `/#` and its state, form-encoded.
pub(super) fn link(state: &[(&str, &str)]) -> String {
    format!("/#{}", serde_urlencoded::to_string(state).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_slugs_and_units_nest_in_countries() {
        assert_eq!(
            slug(&[
                "record",
                "ua-general-staff",
                "russia",
                "anti aircraft warfare",
                "2024-11-12"
            ]),
            "record/ua-general-staff/russia/anti-aircraft-warfare/2024-11-12"
        );
        assert!(
            within("RU-KRS", "RU") && within("RU-KRS", "ru-krs") && !within("RU-KRS", "RU-K") && !within("UA-14", "RU")
        );
        assert_eq!(
            link(&[("date", "2024-11-12"), ("category", "fuel tank")]),
            "/#date=2024-11-12&category=fuel+tank"
        );
        assert!(kinds(Some("record, handover")).is_ok());
        let e = kinds(Some("record,coup")).unwrap_err().to_string();
        assert_eq!(
            e,
            "kind: unknown event kind `coup` (known: record, handover, area-change, disagreement, lag-shift, \
             source-health, claim-verdict, subscription-paused)"
        );
    }
}
