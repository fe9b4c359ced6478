//! WarSpotting: Russian equipment losses, item by item, from its API.
//!
//! Endpoints (docs/sync.md): `GET {base}/api/losses/russia/recent/` → the
//! 100 items added last; `GET {base}/api/losses/russia/{YYYY-MM-DD}/` and
//! `…/{YYYY-MM-DD}/{page}/` → the items of one event day, 100 a page. Both
//! answer `{"losses": [...]}`. The trailing slash is part of every path (the
//! site redirects without it). A day with no item answers 404.
//!
//! Every page is imported as a *partial* list: a page never says an item
//! absent from it is gone. Items are retired only by a reconciliation of a
//! range of days, which compares the stored items of those days with every
//! page of them, and is held for review when it would retire many.

use crate::SyncReport;
use crate::error::SyncError;
use crate::fetch::{FetchConfig, Fetched, Fetcher};
use crate::guard::Guardrails;
use anyhow::Context;
use chrono::{NaiveDate, Utc};
use frontline_app::requests::Reparse;
use frontline_ingest::losses::{WarSpottingPage, parse_warspotting_json};
use frontline_model::EvidenceItem;
use frontline_store::{Coverage, EvidenceImport, Store};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The source's name in run records, health and evidence items.
pub const SOURCE: &str = "warspotting";

/// The live site.
pub const BASE_URL: &str = "https://ukr.warspotting.net";

/// Items on a full page: a shorter page is the day's last.
const PAGE_SIZE: usize = 100;

/// Most pages read for one day: a day with more than 5,000 items is no
/// day WarSpotting has had, and a page that never runs short would loop.
const MAX_PAGES_PER_DAY: usize = 50;

/// Days imported per transaction while catching up: each is a cursor step,
/// so a run killed while catching up loses at most this many days' work.
const DAYS_PER_STEP: usize = 31;

/// What a run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Add what was published since the last run: `/recent/`, or, when the
    /// store is empty or behind, every day's pages from where it stopped
    /// (at most `max_days` days this run).
    Update {
        /// Most days fetched by a catch-up run.
        max_days: Option<usize>,
        /// Where an empty store starts catching up (default: the war's
        /// first day; every day is at least one request).
        since: Option<NaiveDate>,
    },
    /// Fetch every page of these days again: update changed items, add
    /// missed ones, and retire the stored items of these days that the
    /// source no longer lists.
    Reconcile {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// The same for the stored items with a WarSpotting id in this range:
    /// the pages of the days they are about are read again, and those no
    /// page lists any more are retired.
    ReconcileIds {
        /// First id.
        from: u64,
        /// Last id.
        to: u64,
    },
}

/// One fetched page: its name in a held revision, body hash and items.
struct Page {
    name: String,
    url: String,
    sha256: String,
    read: WarSpottingPage,
    /// The published date of items new to the store: the day they were
    /// first seen, for `/recent/` only (an item found on a day's page may
    /// have been added any time).
    first_seen: Option<NaiveDate>,
}

/// Syncs WarSpotting (see [`Mode`]).
pub fn sync(store: &mut dyn Store, config: FetchConfig, mode: Mode, rails: Guardrails) -> anyhow::Result<SyncReport> {
    crate::recorded(store, SOURCE, config, |store, fetcher| match mode {
        Mode::Update { max_days, since } => update(store, fetcher, max_days, since),
        Mode::Reconcile { from, to } => reconcile(store, fetcher, Scope::Days(from, to), rails),
        Mode::ReconcileIds { from, to } => reconcile(store, fetcher, Scope::Ids(from, to), rails),
    })
}

fn update(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    max_days: Option<usize>,
    since: Option<NaiveDate>,
) -> anyhow::Result<(usize, String)> {
    let known = crate::stored_items(store, SOURCE)?;
    let today = Utc::now().date_naive();
    let mut recent = read(fetcher, store, "/api/losses/russia/recent/", "recent.json".into())?;
    // Added within one sync interval: first seen here is when they were
    // published, to the day.
    recent.first_seen = Some(today);
    let items = &recent.read.parse.items;
    let new = items.iter().filter(|i| !known.contains_key(&i.id())).count();
    // Some item of `/recent/` is stored already, or the page is not full:
    // everything added since the last run is on it.
    if new < items.len() || items.len() < PAGE_SIZE {
        return apply(store, fetcher, vec![recent], &known, Vec::new());
    }
    // A first run, a run after a long pause, or a catch-up cut short: the
    // days from where the store stops (or from the oldest day `/recent/`
    // is about, if earlier) are read in full. The newest stored day is the
    // cursor, committed with the items it covers.
    let newest = known.values().filter_map(|i| i.dates.event).max();
    let oldest_recent = items.iter().filter_map(|i| i.dates.event).min();
    let from = match (newest, oldest_recent) {
        (Some(n), Some(r)) => n.min(r),
        (Some(n), None) => n,
        (None, _) => since.unwrap_or_else(frontline_model::limits::war_start),
    };
    catch_up(store, fetcher, recent, from, today, max_days)
}

/// Imports `/recent/` with the first days, then every day from `from` to
/// `to`, `DAYS_PER_STEP` days per transaction.
fn catch_up(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    recent: Page,
    from: NaiveDate,
    to: NaiveDate,
    max_days: Option<usize>,
) -> anyhow::Result<(usize, String)> {
    let all: Vec<NaiveDate> = days(from, to).take(max_days.unwrap_or(usize::MAX)).collect();
    let mut added = 0;
    let mut recent = Some(recent);
    for step in all.chunks(DAYS_PER_STEP) {
        let known = crate::stored_items(store, SOURCE)?;
        let mut pages: Vec<Page> = recent.take().into_iter().collect();
        for day in step {
            pages.extend(day_pages(store, fetcher, *day, &format!("day {day}"))?);
        }
        let (n, message) = apply(store, fetcher, pages, &known, Vec::new())?;
        if message.starts_with("held") {
            return Ok((added, message));
        }
        added += n;
    }
    let last = all.last().map_or_else(|| from.to_string(), NaiveDate::to_string);
    Ok((
        added,
        format!("caught up {} days, {from} to {last}: {added} items added", all.len()),
    ))
}

/// What a reconciliation covers: the stored items it judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Items whose event day is in this range.
    Days(NaiveDate, NaiveDate),
    /// Items whose WarSpotting id is in this range (read through the days
    /// they are about).
    Ids(u64, u64),
}

impl Scope {
    fn covers(&self, i: &EvidenceItem) -> bool {
        match *self {
            Scope::Days(from, to) => i.dates.event.is_some_and(|d| (from..=to).contains(&d)),
            Scope::Ids(from, to) => {
                i.dates.event.is_some() && i.key.parse::<u64>().is_ok_and(|id| (from..=to).contains(&id))
            }
        }
    }

    /// How the run's page names begin, and how `import_kept` reads it back.
    fn label(&self) -> String {
        match self {
            Scope::Days(from, to) => format!("reconcile {from}..{to}"),
            Scope::Ids(from, to) => format!("reconcile-ids {from}..{to}"),
        }
    }

    fn from_name(name: &str) -> Option<Scope> {
        let (kind, rest) = name.split_once(' ')?;
        let (a, b) = rest.split(' ').next()?.split_once("..")?;
        match kind {
            "reconcile" => Some(Scope::Days(a.parse().ok()?, b.parse().ok()?)),
            "reconcile-ids" => Some(Scope::Ids(a.parse().ok()?, b.parse().ok()?)),
            _ => None,
        }
    }
}

fn reconcile(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    scope: Scope,
    rails: Guardrails,
) -> anyhow::Result<(usize, String)> {
    let known = crate::stored_items(store, SOURCE)?;
    let label = scope.label();
    let to_read: Vec<NaiveDate> = match scope {
        Scope::Days(from, to) => {
            if to < from || (to - from).num_days() > 366 {
                return Err(frontline_app::error::UserError::BadRequest(format!(
                    "{label}: the range must run forward and cover at most a year"
                ))
                .into());
            }
            days(from, to).collect()
        }
        Scope::Ids(from, to) => {
            let undated = known
                .values()
                .filter(|i| i.dates.event.is_none() && i.key.parse::<u64>().is_ok_and(|id| (from..=to).contains(&id)))
                .count();
            if undated > 0 {
                tracing::warn!(
                    "{label}: {undated} stored items have no event date: no day page lists them; not judged"
                );
            }
            let days: BTreeSet<NaiveDate> = known
                .values()
                .filter(|i| scope.covers(i))
                .filter_map(|i| i.dates.event)
                .collect();
            if days.is_empty() {
                return Err(frontline_app::error::UserError::NotFound(format!(
                    "{label}: no stored item with an id in that range"
                ))
                .into());
            }
            if days.len() > 366 {
                return Err(frontline_app::error::UserError::BadRequest(format!(
                    "{label}: its items are about {} days, more than a year's; narrow the range",
                    days.len()
                ))
                .into());
            }
            days.into_iter().collect()
        }
    };
    let mut pages = Vec::new();
    for day in &to_read {
        pages.extend(day_pages(store, fetcher, *day, &format!("{label} {day}"))?);
    }
    let listed: HashSet<String> = pages
        .iter()
        .flat_map(|p| p.read.parse.items.iter().map(EvidenceItem::id))
        .collect();
    if listed.is_empty() {
        return Err(SyncError::Protocol {
            url: fetcher.url(&format!("/api/losses/russia/{}/", to_read[0])),
            reason: format!(
                "{label}: no item listed on any of its days: an empty answer is not trusted; nothing retired"
            ),
        }
        .into());
    }
    let mut gone: Vec<&EvidenceItem> = known
        .values()
        .filter(|i| scope.covers(i) && !listed.contains(&i.id()))
        .collect();
    gone.sort_by(|a, b| (a.dates.event, &a.key).cmp(&(b.dates.event, &b.key)));
    let in_scope = known.values().filter(|i| scope.covers(i)).count();
    let limit = rails
        .min_removed_items
        .max((in_scope as f64 * rails.max_removed_share) as usize);
    let what = match scope {
        Scope::Days(from, to) => format!("{from}..{to}"),
        Scope::Ids(from, to) => format!("ids {from}..{to}"),
    };
    if gone.len() > limit {
        let reason = format!(
            "{} of the {in_scope} stored items of {what} are gone upstream ({:.1} %), more than {limit}",
            gone.len(),
            100.0 * gone.len() as f64 / in_scope.max(1) as f64
        );
        let lines: Vec<String> = gone
            .iter()
            .map(|i| {
                format!(
                    "gone upstream: {} {} {} {}",
                    i.id(),
                    i.model,
                    i.status.as_str(),
                    i.dates.event.map(|d| d.to_string()).unwrap_or_default()
                )
            })
            .collect();
        return hold(store, fetcher, &pages, &reason, &lines);
    }
    let gone_ids = gone.iter().map(|i| i.id()).collect();
    let (n, message) = apply(store, fetcher, pages, &known, gone_ids)?;
    Ok((n, format!("reconciled {what}: {message}, {} retired", gone.len())))
}

/// The days from `from` to `to`, both included.
fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// Every page of one day; none when the source has no item that day (404).
fn day_pages(store: &dyn Store, fetcher: &mut Fetcher, day: NaiveDate, label: &str) -> anyhow::Result<Vec<Page>> {
    let mut out = Vec::new();
    for page in 1..=MAX_PAGES_PER_DAY {
        let path = if page == 1 {
            format!("/api/losses/russia/{day}/")
        } else {
            format!("/api/losses/russia/{day}/{page}/")
        };
        let got = match read(fetcher, store, &path, format!("{label} p{page}.json")) {
            Ok(p) => p,
            Err(e) if page == 1 && is_not_found(&e) => return Ok(out),
            Err(e) => return Err(e),
        };
        let full = got.read.parse.items.len() + got.read.parse.rejects.len() >= PAGE_SIZE;
        out.push(got);
        if !full {
            return Ok(out);
        }
    }
    Err(SyncError::Protocol {
        url: fetcher.url(&format!("/api/losses/russia/{day}/")),
        reason: format!("more than {MAX_PAGES_PER_DAY} full pages for one day; stopped"),
    }
    .into())
}

fn is_not_found(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<SyncError>(),
        Some(SyncError::Status { status: 404, .. })
    )
}

/// Fetches and reads one page. A page with a row Frontline cannot read
/// fails the run: the source changed its format, and nothing is imported.
fn read(fetcher: &mut Fetcher, store: &dyn Store, path: &str, name: String) -> anyhow::Result<Page> {
    let Fetched { url, body, sha256, .. } = fetcher.get(store, path)?;
    let read = parse(&url, &body)?;
    Ok(Page {
        name,
        url,
        sha256,
        read,
        first_seen: None,
    })
}

fn parse(url: &str, body: &[u8]) -> anyhow::Result<WarSpottingPage> {
    let read = parse_warspotting_json(Path::new(url), body, Utc::now())?;
    if let Some(first) = read.parse.rejects.first() {
        return Err(SyncError::Protocol {
            url: url.to_string(),
            reason: format!(
                "{} items cannot be read, the first: {first}; the source may have changed its format. Nothing imported",
                read.parse.rejects.len()
            ),
        }
        .into());
    }
    Ok(read)
}

/// Imports the pages in one transaction, or holds them when they carry
/// fields Frontline does not know.
fn apply(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    pages: Vec<Page>,
    known: &HashMap<String, EvidenceItem>,
    gone: Vec<String>,
) -> anyhow::Result<(usize, String)> {
    let unknown: BTreeSet<&str> = pages
        .iter()
        .flat_map(|p| p.read.unknown_fields.iter().map(String::as_str))
        .collect();
    if !unknown.is_empty() {
        let fields = unknown.into_iter().collect::<Vec<_>>().join(", ");
        let reason = format!("the source sent fields Frontline does not know ({fields}): its format changed");
        let lines: Vec<String> = pages
            .iter()
            .filter(|p| !p.read.unknown_fields.is_empty())
            .map(|p| format!("{}: fields {}", p.url, p.read.unknown_fields.join(", ")))
            .collect();
        return hold(store, fetcher, &pages, &reason, &lines);
    }
    let n_pages = pages.len();
    crate::keep_before_import(store, fetcher, &format!("fetched {n_pages} pages; importing"))?;
    let report = import_pages(store, pages, known, gone, None)?;
    Ok((
        report.added,
        format!(
            "{n_pages} pages: {} items added, {} updated",
            report.added, report.updated
        ),
    ))
}

fn hold(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    pages: &[Page],
    reason: &str,
    lines: &[String],
) -> anyhow::Result<(usize, String)> {
    crate::keep_before_import(store, fetcher, &format!("fetched {} pages; holding", pages.len()))?;
    let files = pages.iter().map(|p| (p.name.clone(), p.sha256.clone())).collect();
    let id = crate::review::hold(store, SOURCE, reason, lines, files)?;
    tracing::warn!("warspotting: {reason}; held as revision {id} (frontline review show {id})");
    Ok((0, format!("held for review as revision {id}: {reason}")))
}

/// Stores pages as partial lists in one transaction. Items already stored
/// keep the published date they had; `gone` rides on the first page not
/// imported before (a page imported before is skipped whole).
fn import_pages(
    store: &mut dyn Store,
    pages: Vec<Page>,
    known: &HashMap<String, EvidenceItem>,
    mut gone: Vec<String>,
    reparse: Option<&Reparse>,
) -> anyhow::Result<frontline_store::EvidenceReport> {
    // An item on `/recent/` and on its day's page in one run: first seen
    // on `/recent/`, whichever page is imported first.
    let first_seen: HashMap<String, NaiveDate> = pages
        .iter()
        .filter_map(|p| p.first_seen.map(|d| (p, d)))
        .flat_map(|(p, d)| p.read.parse.items.iter().map(move |i| (i.id(), d)))
        .collect();
    let mut files = Vec::with_capacity(pages.len());
    let mut seen = HashSet::new();
    for p in pages {
        // The same bytes twice in one run (a day page that repeats
        // `/recent/`): one source.
        if !seen.insert(p.sha256.clone()) {
            continue;
        }
        let meta = crate::page_meta(p.url, p.sha256, reparse);
        let fresh = !store.has_source(&meta.sha256)?;
        let items = crate::keep_published(p.read.parse.items, known, |id| first_seen.get(id).copied());
        files.push(EvidenceImport {
            meta,
            items,
            coverage: Coverage::Partial {
                gone: if fresh { std::mem::take(&mut gone) } else { Vec::new() },
            },
        });
    }
    if !gone.is_empty() {
        anyhow::bail!(
            "{} items are gone upstream but no changed page carries the change; nothing imported",
            gone.len()
        );
    }
    store.import_evidence(&files).context("importing WarSpotting pages")
}

/// Applies a held revision's kept pages as the run that held them would
/// have: a reconciliation retires what its days no longer list.
pub(crate) fn import_kept(store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
    let known = crate::stored_items(store, SOURCE)?;
    let mut pages = Vec::with_capacity(revision.files.len());
    let mut scope: Option<Scope> = None;
    for (name, sha) in &revision.files {
        let body = crate::fetch::kept(store, sha)?;
        // `reconcile FROM..TO DAY pN.json`: what the run covered.
        scope = scope.or_else(|| Scope::from_name(name));
        pages.push(Page {
            name: name.clone(),
            url: format!("revision {} {name}", revision.id),
            sha256: sha.clone(),
            read: parse(name, &body)?,
            // New items of an update run were first seen when it was held.
            first_seen: (name == "recent.json").then(|| revision.created_at.date_naive()),
        });
    }
    let gone = match scope {
        Some(scope) => {
            let listed: HashSet<String> = pages
                .iter()
                .flat_map(|p| p.read.parse.items.iter().map(EvidenceItem::id))
                .collect();
            known
                .values()
                .filter(|i| scope.covers(i) && !listed.contains(&i.id()))
                .map(EvidenceItem::id)
                .collect()
        }
        None => Vec::new(),
    };
    Ok(import_pages(store, pages, &known, gone, None)?.added)
}

/// Reads kept pages again with today's parser (`frontline reparse`):
/// changed items get a new version; nothing is retired (a page is part of
/// the list). `kept_pages`: (location, SHA-256) of the latest import of
/// each page.
pub(crate) fn reparse(
    store: &mut dyn Store,
    kept_pages: &[(String, String)],
    r: &Reparse,
) -> anyhow::Result<frontline_store::EvidenceReport> {
    let known = crate::stored_items(store, SOURCE)?;
    let mut pages = Vec::with_capacity(kept_pages.len());
    for (location, sha) in kept_pages {
        let body = crate::fetch::kept(store, sha)?;
        pages.push(Page {
            name: location.clone(),
            url: location.clone(),
            sha256: sha.clone(),
            read: parse(location, &body)?,
            first_seen: None,
        });
    }
    import_pages(store, pages, &known, Vec::new(), Some(r))
}
