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
use crate::connector::{Connector, Info, Reparsed, Reread, Run};
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
    /// The bytes, for the days a page names when it cannot be read whole.
    body: Vec<u8>,
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
    let newest = known.values().filter_map(|i| i.dates.event).max();
    let start = newest.unwrap_or_else(|| since.unwrap_or_else(frontline_model::limits::war_start));
    let recent = match read(fetcher, store, "/api/losses/russia/recent/", "recent.json".into())? {
        Got::Read(mut recent) if problem(&recent).is_none() => {
            // Added within one sync interval: first seen here is when they
            // were published, to the day.
            recent.first_seen = Some(today);
            recent
        }
        bad => {
            // `/recent/` cannot be read whole: every item on it is on its
            // day's page too, so those days (and the days since the store's
            // newest) are read instead, and only a day that cannot be read
            // is held.
            let (why, body_days) = match &bad {
                Got::Read(p) => (problem(p).unwrap_or_default(), dates_in(&p.body)),
                Got::Unreadable { reason, body, .. } => (reason.clone(), dates_in(body)),
            };
            tracing::warn!("warspotting: /recent/ {why}; reading the days it names instead");
            let mut wanted: BTreeSet<NaiveDate> = body_days.into_iter().filter(|d| *d <= today).collect();
            wanted.extend(days(start, today).take(max_days.unwrap_or(usize::MAX)));
            let (n, message) = catch_up(store, fetcher, None, wanted.into_iter().collect())?;
            return Ok((n, format!("/recent/ {why}: read by day; {message}")));
        }
    };
    let items = &recent.read.parse.items;
    let new = items.iter().filter(|i| !known.contains_key(&i.id())).count();
    // Some item of `/recent/` is stored already, or the page is not full:
    // everything added since the last run is on it.
    if new < items.len() || items.len() < PAGE_SIZE {
        let done = apply(store, fetcher, vec![Group::one(recent)], &known, Vec::new())?;
        return Ok((done.added, done.line()));
    }
    // A first run, a run after a long pause, or a catch-up cut short: the
    // days from where the store stops (or from the oldest day `/recent/`
    // is about, if earlier) are read in full. The newest stored day is the
    // cursor, committed with the items it covers.
    let oldest_recent = items.iter().filter_map(|i| i.dates.event).min();
    let from = match oldest_recent {
        Some(r) if newest.is_some() => start.min(r),
        _ => start,
    };
    let all = days(from, today).take(max_days.unwrap_or(usize::MAX)).collect();
    catch_up(store, fetcher, Some(recent), all)
}

/// The `date` of every entry of a page's `losses`, whether or not the
/// entry can be read (a page held for a bad row still names its days).
fn dates_in(body: &[u8]) -> Vec<NaiveDate> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    v.get("losses")
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(|i| i.get("date")?.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

/// Imports `/recent/` (if given) with the first days, then the other
/// days, `DAYS_PER_STEP` days per transaction; a day that cannot be read
/// is held and the others imported.
fn catch_up(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    recent: Option<Page>,
    all: Vec<NaiveDate>,
) -> anyhow::Result<(usize, String)> {
    let mut added = 0;
    let mut recent = recent;
    let mut held = Vec::new();
    for step in all.chunks(DAYS_PER_STEP) {
        let known = crate::stored_items(store, SOURCE)?;
        let mut groups: Vec<Group> = recent.take().map(Group::one).into_iter().collect();
        for day in step {
            groups.push(Group {
                what: format!("day {day}"),
                day: Some(*day),
                pages: day_pages(store, fetcher, *day, &format!("day {day}"))?,
            });
        }
        let done = apply(store, fetcher, groups, &known, Vec::new())?;
        held.extend(done.held);
        added += done.added;
    }
    let span = match (all.first(), all.last()) {
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        _ => String::new(),
    };
    let held = if held.is_empty() {
        String::new()
    } else {
        format!("; {}", held.join("; "))
    };
    Ok((
        added,
        format!("caught up {} days{span}: {added} items added{held}", all.len()),
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
    let mut groups = Vec::with_capacity(to_read.len());
    for day in &to_read {
        groups.push(Group {
            // Held alone, a day is applied later as a reconciliation of
            // that day (see `Scope::from_name`).
            what: format!("reconcile {day}..{day} {day}"),
            day: Some(*day),
            pages: day_pages(store, fetcher, *day, &format!("{label} {day}"))?,
        });
    }
    // A day that cannot be read is held; the items of its day are not
    // judged (nothing says whether they are gone).
    let held_days: HashSet<NaiveDate> = groups
        .iter()
        .filter(|g| g.problem().is_some())
        .filter_map(|g| g.day)
        .collect();
    let judged = |i: &EvidenceItem| scope.covers(i) && !i.dates.event.is_some_and(|d| held_days.contains(&d));
    let listed: HashSet<String> = groups
        .iter()
        .filter(|g| g.problem().is_none())
        .flat_map(|g| g.pages.iter())
        .filter_map(Got::page)
        .flat_map(|p| p.read.parse.items.iter().map(EvidenceItem::id))
        .collect();
    if listed.is_empty() && held_days.is_empty() {
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
        .filter(|i| judged(i) && !listed.contains(&i.id()))
        .collect();
    gone.sort_by(|a, b| (a.dates.event, &a.key).cmp(&(b.dates.event, &b.key)));
    let in_scope = known.values().filter(|i| judged(i)).count();
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
        // The whole reconciliation is held, under its own range.
        let pages: Vec<Got> = groups.into_iter().flat_map(|g| g.pages).collect();
        let whole = Group {
            what: label.clone(),
            day: None,
            pages,
        };
        crate::keep_before_import(store, fetcher, "fetched pages; holding")?;
        let id = hold(store, &whole, &reason, &lines)?;
        return Ok((0, format!("held for review as revision {id}: {reason}")));
    }
    let gone_ids = gone.iter().map(|i| i.id()).collect();
    let done = apply(store, fetcher, groups, &known, gone_ids)?;
    Ok((
        done.added,
        format!("reconciled {what}: {}, {} retired", done.line(), gone.len()),
    ))
}

/// The days from `from` to `to`, both included.
fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// Every page of one day; none when the source has no item that day
/// (404). A page that cannot be read ends the day: whether it was full,
/// and so whether more follow, is unknown.
fn day_pages(store: &dyn Store, fetcher: &mut Fetcher, day: NaiveDate, label: &str) -> anyhow::Result<Vec<Got>> {
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
        let full = got
            .page()
            .is_some_and(|p| p.read.parse.items.len() + p.read.parse.rejects.len() >= PAGE_SIZE);
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

/// A fetched page: read, or not readable at all (not the JSON WarSpotting
/// sends).
enum Got {
    Read(Page),
    Unreadable {
        name: String,
        sha256: String,
        body: Vec<u8>,
        reason: String,
    },
}

impl Got {
    fn page(&self) -> Option<&Page> {
        match self {
            Got::Read(p) => Some(p),
            Got::Unreadable { .. } => None,
        }
    }

    /// (name in a held revision, SHA-256 of the kept body).
    fn file(&self) -> (String, String) {
        match self {
            Got::Read(p) => (p.name.clone(), p.sha256.clone()),
            Got::Unreadable { name, sha256, .. } => (name.clone(), sha256.clone()),
        }
    }

    /// Why the page cannot be imported as it is, if it cannot.
    fn problem(&self) -> Option<String> {
        match self {
            Got::Read(p) => problem(p),
            Got::Unreadable { reason, .. } => Some(reason.clone()),
        }
    }
}

/// What is wrong with a read page, naming it: rows Frontline cannot read,
/// or fields it does not know (the source changed its format).
fn problem(p: &Page) -> Option<String> {
    let rejects = &p.read.parse.rejects;
    let unknown = &p.read.unknown_fields;
    if let Some(first) = rejects.first() {
        // Each reject names the page already.
        Some(format!("{} items cannot be read, the first: {first}", rejects.len()))
    } else if !unknown.is_empty() {
        Some(format!(
            "{}: fields Frontline does not know ({})",
            p.url,
            unknown.join(", ")
        ))
    } else {
        None
    }
}

/// The pages of one day (or `/recent/`), held or imported together.
struct Group {
    /// How a held revision names it (its pages are named after it).
    what: String,
    day: Option<NaiveDate>,
    pages: Vec<Got>,
}

impl Group {
    fn one(p: Page) -> Group {
        Group {
            what: p.name.trim_end_matches(".json").to_string(),
            day: None,
            pages: vec![Got::Read(p)],
        }
    }

    fn problem(&self) -> Option<String> {
        let why: Vec<String> = self.pages.iter().filter_map(Got::problem).collect();
        (!why.is_empty()).then(|| why.join("; "))
    }
}

/// Fetches and reads one page; a body that is not WarSpotting's JSON is
/// returned unread, to be held with its reason.
fn read(fetcher: &mut Fetcher, store: &dyn Store, path: &str, name: String) -> anyhow::Result<Got> {
    let Fetched { url, body, sha256, .. } = fetcher.get(store, path)?;
    Ok(match parse_warspotting_json(Path::new(&url), &body, Utc::now()) {
        Ok(read) => Got::Read(Page {
            name,
            url,
            sha256,
            read,
            first_seen: None,
            body,
        }),
        Err(e) => Got::Unreadable {
            reason: format!("{url}: cannot be read: {e}"),
            name,
            sha256,
            body,
        },
    })
}

/// What [`apply`] did.
struct Applied {
    pages: usize,
    added: usize,
    updated: usize,
    /// One line per held group, naming its revision.
    held: Vec<String>,
}

impl Applied {
    fn line(&self) -> String {
        let mut out = format!(
            "{} pages: {} items added, {} updated",
            self.pages, self.added, self.updated
        );
        for h in &self.held {
            out.push_str("; ");
            out.push_str(h);
        }
        out
    }
}

/// Imports the groups that can be read in one transaction (`gone` retired
/// with them), and holds each group that cannot, alone: one bad day never
/// stops the others.
fn apply(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    groups: Vec<Group>,
    known: &HashMap<String, EvidenceItem>,
    gone: Vec<String>,
) -> anyhow::Result<Applied> {
    let n_pages: usize = groups.iter().map(|g| g.pages.len()).sum();
    crate::keep_before_import(store, fetcher, &format!("fetched {n_pages} pages; importing"))?;
    let mut pages = Vec::new();
    let mut held = Vec::new();
    for g in groups {
        match g.problem() {
            Some(reason) => {
                let reason = format!("{}: {reason}", g.what);
                let id = hold(store, &g, &reason, std::slice::from_ref(&reason))?;
                held.push(format!("held for review as revision {id}: {reason}"));
            }
            None => pages.extend(g.pages.into_iter().filter_map(|p| match p {
                Got::Read(p) => Some(p),
                Got::Unreadable { .. } => None,
            })),
        }
    }
    let n = pages.len();
    let report = if pages.is_empty() && gone.is_empty() {
        frontline_store::EvidenceReport::default()
    } else {
        import_pages(store, pages, known, gone, None)?
    };
    Ok(Applied {
        pages: n,
        added: report.added,
        updated: report.updated,
        held,
    })
}

/// Holds a group's pages as one revision. A day held again with other
/// bytes supersedes the day's earlier pending revision (rejected, naming
/// the new one): only the newest pages of a day wait for review, so
/// accepting them can never be undone by accepting older ones.
fn hold(store: &mut dyn Store, group: &Group, reason: &str, lines: &[String]) -> anyhow::Result<i64> {
    let files: Vec<(String, String)> = group
        .pages
        .iter()
        .map(|p| match (p.file(), group.day) {
            // One day's pages are named after the group, so that accepting
            // them applies just that day (see `Scope::from_name`).
            ((name, sha), Some(_)) => (
                format!("{} {}", group.what, name.rsplit(' ').next().unwrap_or(&name)),
                sha,
            ),
            (file, None) => file,
        })
        .collect();
    let id = crate::held::hold(store, SOURCE, reason, lines, files)?;
    if let Some(day) = group.day {
        for r in store.revisions()? {
            let same_day = !r.files.is_empty() && r.files.iter().all(|(n, _)| held_day(n) == Some(day));
            if r.source == SOURCE && r.status == "pending" && r.id != id && same_day {
                store.decide_revision(
                    r.id,
                    false,
                    &format!("superseded by revision {id}: the day's pages fetched again"),
                )?;
            }
        }
    }
    tracing::warn!("warspotting: {reason}; held as revision {id} (frontline review show {id})");
    Ok(id)
}

/// The day a held page of one day is about (`day D pN.json`,
/// `reconcile D..D D pN.json`).
fn held_day(name: &str) -> Option<NaiveDate> {
    let mut words = name.rsplit(' ');
    words.next()?;
    let day: NaiveDate = words.next()?.parse().ok()?;
    match words.next()? {
        "day" => Some(day),
        range if range == format!("{day}..{day}") => Some(day),
        _ => None,
    }
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
/// have: a reconciliation retires what its days no longer list. A person
/// accepted them: rows that cannot be read are left out (and counted in
/// the log) and unknown fields ignored; a body that is not WarSpotting's
/// JSON cannot be applied.
pub(crate) fn import_kept(store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
    let known = crate::stored_items(store, SOURCE)?;
    let mut pages = Vec::with_capacity(revision.files.len());
    let mut scope: Option<Scope> = None;
    for (name, sha) in &revision.files {
        let body = crate::fetch::kept(store, sha)?;
        // `reconcile FROM..TO DAY pN.json`: what the run covered.
        scope = scope.or_else(|| Scope::from_name(name));
        let read = parse_warspotting_json(Path::new(name), &body, Utc::now())?;
        if let Some(first) = read.parse.rejects.first() {
            tracing::warn!(
                "revision {}: {name}: {} items left out, the first: {first}",
                revision.id,
                read.parse.rejects.len()
            );
        }
        pages.push(Page {
            name: name.clone(),
            url: format!("revision {} {name}", revision.id),
            sha256: sha.clone(),
            read,
            // New items of an update run were first seen when it was held.
            first_seen: (name == "recent.json").then(|| revision.created_at.date_naive()),
            body: Vec::new(),
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
/// the list). A page today's parser cannot read whole fails the reparse,
/// naming it. `kept_pages`: (location, SHA-256) of the latest import of
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
        let page = Page {
            name: location.clone(),
            url: location.clone(),
            sha256: sha.clone(),
            read: parse_warspotting_json(Path::new(location), &body, Utc::now())?,
            first_seen: None,
            body: Vec::new(),
        };
        if let Some(why) = problem(&page) {
            return Err(SyncError::Protocol {
                url: location.clone(),
                reason: format!("{why}; nothing reparsed"),
            }
            .into());
        }
        pages.push(page);
    }
    import_pages(store, pages, &known, Vec::new(), Some(r))
}

/// WarSpotting as a [`Connector`]: an update, or a reconciliation of days
/// (`reconcile`) or of ids (`reconcile_ids`).
pub struct WarSpotting;

impl Connector for WarSpotting {
    fn info(&self) -> &'static Info {
        &Info {
            name: SOURCE,
            about: "WarSpotting: Russian equipment losses, item by item",
            base_url: BASE_URL,
            every_mins: 120,
        }
    }

    fn sync(&self, store: &mut dyn Store, run: Run) -> anyhow::Result<SyncReport> {
        let o = &run.options;
        o.only(SOURCE, &["max", "since", "reconcile", "reconcile-ids"])?;
        let bad = |what: String| -> anyhow::Error { frontline_app::error::UserError::BadRequest(what).into() };
        let mode = match (&o.reconcile, &o.reconcile_ids) {
            (Some(_), Some(_)) => return Err(bad("--reconcile or --reconcile-ids, not both".into())),
            (Some(range), None) => {
                let (from, to) = range
                    .split_once("..")
                    .and_then(|(f, t)| f.parse().ok().zip(t.parse().ok()))
                    .ok_or_else(|| bad(format!("--reconcile `{range}`: want `YYYY-MM-DD..YYYY-MM-DD`")))?;
                Mode::Reconcile { from, to }
            }
            (None, Some(range)) => {
                let (from, to) = range
                    .split_once("..")
                    .and_then(|(f, t)| f.parse().ok().zip(t.parse().ok()))
                    .filter(|(f, t)| f <= t)
                    .ok_or_else(|| bad(format!("--reconcile-ids `{range}`: want `FROM..TO`, two ids in order")))?;
                Mode::ReconcileIds { from, to }
            }
            (None, None) => Mode::Update {
                max_days: o.max,
                since: o.since,
            },
        };
        sync(store, run.config, mode, run.rails)
    }

    fn accept(&self, store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
        import_kept(store, revision)
    }

    fn kept_name(&self, s: &frontline_store::SourceRecord) -> Option<String> {
        let (base, _) = crate::connector::base_location(s);
        (s.kind == frontline_model::SourceKind::Losses && base.contains("/api/losses/russia/"))
            .then(|| base.to_string())
    }

    fn reparse(&self, store: &mut dyn Store, job: Reread<'_>) -> anyhow::Result<Reparsed> {
        let pages: Vec<(String, String)> = (job.kept.iter())
            .map(|s| (crate::connector::base_location(s).0.to_string(), s.bytes_sha256.clone()))
            .collect();
        let e = reparse(store, &pages, job.reparse)?;
        let n = job.kept.len();
        let message = format!(
            "{n} kept pages read again: {} items added, {} updated",
            e.added, e.updated
        );
        Ok((e.added, e.updated, message))
    }
}
