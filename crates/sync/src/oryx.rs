//! Oryx: the two blog pages listing each side's equipment losses, item by
//! item with proof links, read by [`parse_oryx_page`].
//!
//! Both pages are asked for conditionally every run; when either changed,
//! both are read and compared with the store. Together they are the whole
//! list, so an item no longer on them is gone upstream: retired, unless so
//! many go at once that a person should look first. The pages carry no
//! dates: an item's published date is the day a sync first saw it.

use crate::SyncReport;
use crate::connector::{Connector, Info, Reparsed, Reread, Run};
use crate::fetch::{FetchConfig, Fetcher, kept};
use crate::guard::Guardrails;
use anyhow::Context;
use chrono::{NaiveDate, Utc};
use frontline_app::requests::Reparse;
use frontline_ingest::losses::{ORYX_HEADINGS, OryxPage, heading_key, parse_oryx_page};
use frontline_model::{EvidenceItem, SourceKind};
use frontline_store::{Coverage, EvidenceImport, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The source's name in run records, health and evidence items.
pub const SOURCE: &str = "oryx";

/// The blog.
pub const BASE_URL: &str = "https://www.oryxspioenkop.com";

/// (side, path) of the two pages; the file name is also the page's name in
/// a held revision.
pub const PAGES: [(&str, &str); 2] = [
    ("russia", "/2022/02/attack-on-europe-documenting-equipment.html"),
    ("ukraine", "/2022/02/attack-on-europe-documenting-ukrainian.html"),
];

/// Read proofs beyond which a page is not trusted: this share of its items
/// (or 10) unreadable, or a read total this far from the stated one.
const MAX_UNREAD_SHARE: f64 = 0.01;

/// One fetched page.
struct Page {
    name: String,
    side: &'static str,
    location: String,
    sha256: String,
    read: OryxPage,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The side a page's file name is the list of (`None`: not a page of
/// [`PAGES`], as in a revision held by an older version).
fn side_of(name: &str) -> Option<&'static str> {
    PAGES
        .iter()
        .find(|(_, path)| file_name(path) == name)
        .map(|(side, _)| *side)
}

/// Syncs both pages.
pub fn sync(store: &mut dyn Store, config: FetchConfig, rails: Guardrails) -> anyhow::Result<SyncReport> {
    crate::recorded(store, SOURCE, config, |store, fetcher| run(store, fetcher, rails))
}

/// A page held for review: its kept file and why.
struct Held {
    name: String,
    sha256: String,
    reason: String,
    lines: Vec<String>,
}

fn run(store: &mut dyn Store, fetcher: &mut Fetcher, rails: Guardrails) -> anyhow::Result<(usize, String)> {
    let mut fetched = Vec::with_capacity(PAGES.len());
    let mut changed = 0;
    for (side, path) in PAGES {
        let got = fetcher.get(store, path)?;
        changed += usize::from(!got.not_modified);
        fetched.push((side, file_name(path).to_string(), got));
    }
    if changed == 0 {
        return Ok((0, "no page changed".into()));
    }
    // Each page is judged alone: one the parser cannot read, or that lists
    // the other side, is held, and the other page is imported.
    let mut pages = Vec::with_capacity(fetched.len());
    let mut held = Vec::new();
    for (side, name, got) in fetched {
        let refused = |reason: String| Held {
            name: name.clone(),
            sha256: got.sha256.clone(),
            lines: vec![format!("{}: {reason}", got.url)],
            reason: format!("{name}: {reason}"),
        };
        match parse_oryx_page(Path::new(&got.url), &got.body, None, Utc::now()) {
            Err(e) => held.push(refused(format!("cannot be read: {e}"))),
            Ok(read) if read.side != side => held.push(refused(format!(
                "the page lists `{}` losses, not `{side}`: it moved or changed",
                read.side
            ))),
            Ok(read) => pages.push(Page {
                name,
                side,
                location: got.url,
                sha256: got.sha256,
                read,
            }),
        }
    }
    let today = Utc::now().date_naive();
    let known = crate::stored_items(store, SOURCE)?;
    let mut gone = Vec::new();
    let mut good = Vec::with_capacity(pages.len());
    for p in pages {
        match judge(store, &p, &known, &rails)? {
            Verdict::Hold(reason, lines) => held.push(Held {
                name: p.name,
                sha256: p.sha256,
                reason,
                lines,
            }),
            Verdict::Import(g) => {
                gone.push(g);
                good.push(p);
            }
        }
    }
    crate::keep_before_import(
        store,
        fetcher,
        &format!("{changed} pages changed; {} held, importing {}", held.len(), good.len()),
    )?;
    let mut notes = Vec::new();
    for h in &held {
        let id = crate::held::hold(
            store,
            SOURCE,
            &h.reason,
            &h.lines,
            vec![(h.name.clone(), h.sha256.clone())],
        )?;
        tracing::warn!("oryx: {}; held as revision {id} (frontline review show {id})", h.reason);
        notes.push(format!("held for review as revision {id}: {}", h.reason));
    }
    if good.is_empty() {
        return Ok((0, notes.join("; ")));
    }
    let unread: usize = good.iter().map(|p| p.read.parse.rejects.len()).sum();
    if let Some(first) = good.iter().find_map(|p| p.read.parse.rejects.first()) {
        tracing::warn!("oryx: {unread} proofs could not be read; the first: {first}");
    }
    let r = import(store, good, &known, gone, today, None)?;
    // Held pages first: what needs a person leads the line.
    notes.push(format!(
        "{changed} pages changed: {} items added, {} updated, {} gone upstream, {unread} proofs unread",
        r.added, r.updated, r.tombstoned
    ));
    Ok((r.added, notes.join("; ")))
}

/// What one page would do to the store.
enum Verdict {
    /// Hold it: why, with one line per change.
    Hold(String, Vec<String>),
    /// Import it, retiring these stored items of its side it no longer
    /// lists.
    Import(Vec<String>),
}

/// Stored items of `side` that `page` no longer lists, in a stable order.
fn gone_from<'a>(known: &'a HashMap<String, EvidenceItem>, side: &str, page: &OryxPage) -> Vec<&'a EvidenceItem> {
    let listed: HashSet<String> = page.parse.items.iter().map(EvidenceItem::id).collect();
    let mut gone: Vec<&EvidenceItem> = known
        .values()
        .filter(|i| i.side == side && !listed.contains(&i.id()))
        .collect();
    gone.sort_by(|a, b| (&a.model, &a.key).cmp(&(&b.model, &b.key)));
    gone
}

/// Holds a page when its layout changed (a heading neither Frontline nor
/// the page imported before knows; many proofs unreadable; a read total
/// far from the stated one) or when it would retire many of its side's
/// items.
fn judge(
    store: &dyn Store,
    p: &Page,
    known: &HashMap<String, EvidenceItem>,
    rails: &Guardrails,
) -> anyhow::Result<Verdict> {
    let mut lines = Vec::new();
    let mut why = Vec::new();
    let headings = known_headings(store, &p.name)?;
    for c in &p.read.categories {
        if !headings.contains(&heading_key(&c.heading)) {
            why.push(format!("new heading `{}`", c.heading));
            lines.push(format!(
                "{}: heading `{}` ({} stated, {} read) is new: renamed, or a new category",
                p.name, c.heading, c.stated, c.read
            ));
        }
    }
    let read = p.read.parse.items.len();
    let limit = 10usize.max((p.read.stated_total as f64 * MAX_UNREAD_SHARE) as usize);
    let unread = p.read.parse.rejects.len();
    if unread > limit {
        why.push(format!("{unread} proofs unreadable"));
        lines.extend(p.read.parse.rejects.iter().map(|r| format!("unreadable: {r}")));
    }
    if read.abs_diff(p.read.stated_total as usize) > limit {
        why.push(format!("{read} items read, the page states {}", p.read.stated_total));
    }
    let gone = gone_from(known, p.side, &p.read);
    let stored = known.values().filter(|i| i.side == p.side).count();
    let limit = rails
        .min_removed_items
        .max((stored as f64 * rails.max_removed_share) as usize);
    if gone.len() > limit {
        why.push(format!(
            "{} of the {stored} stored items of this side are gone from the page ({:.1} %), more than {limit}",
            gone.len(),
            100.0 * gone.len() as f64 / stored.max(1) as f64
        ));
        lines.extend(
            gone.iter()
                .map(|i| format!("gone upstream: {} {} {} {}", i.id(), i.side, i.model, i.status.as_str())),
        );
    }
    Ok(if why.is_empty() {
        Verdict::Import(gone.iter().map(|i| i.id()).collect())
    } else {
        Verdict::Hold(format!("{}: {}", p.name, why.join("; ")), lines)
    })
}

/// Headings Frontline knows, and those of the page last imported from the
/// same place (so a heading a person accepted is known from then on).
fn known_headings(store: &dyn Store, name: &str) -> anyhow::Result<HashSet<String>> {
    let mut known: HashSet<String> = ORYX_HEADINGS.iter().map(|h| heading_key(h)).collect();
    let last = store
        .sources()?
        .into_iter()
        .filter(|s| s.kind == SourceKind::Losses && s.location.ends_with(name))
        .max_by_key(|s| s.id);
    if let Some(s) = last {
        let body = kept(store, &s.sha256)?;
        let before = parse_oryx_page(Path::new(name), &body, None, Utc::now())?;
        known.extend(before.categories.iter().map(|c| heading_key(&c.heading)));
    }
    Ok(known)
}

/// Stores pages in one transaction, each retiring its `gone` (the stored
/// items of its side it no longer lists); an item seen before keeps its
/// published date, a new one is published `first_seen` (none on the first
/// sync: first seen then says nothing of when it was published).
fn import(
    store: &mut dyn Store,
    pages: Vec<Page>,
    known: &HashMap<String, EvidenceItem>,
    gone: Vec<Vec<String>>,
    first_seen: NaiveDate,
    reparse: Option<&Reparse>,
) -> anyhow::Result<frontline_store::EvidenceReport> {
    let first_sync = known.is_empty();
    let mut files = Vec::with_capacity(pages.len());
    for (p, gone) in pages.into_iter().zip(gone) {
        let meta = crate::page_meta(p.location, p.sha256, reparse);
        // A page imported before is skipped whole, and what it no longer
        // listed was retired then.
        let fresh = !store.has_source(&meta.sha256)?;
        let items = crate::keep_published(p.read.parse.items, known, |_| (!first_sync).then_some(first_seen));
        files.push(EvidenceImport {
            meta,
            items,
            coverage: Coverage::Partial {
                gone: if fresh { gone } else { Vec::new() },
            },
        });
    }
    store.import_evidence(&files).context("importing the Oryx pages")
}

/// Applies a held revision's kept pages as the run that held them would
/// have, items new to the store published the day it was held. Each page
/// retires only what its own side no longer lists.
pub(crate) fn import_kept(store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
    let mut pages = Vec::with_capacity(revision.files.len());
    for (name, sha) in &revision.files {
        let body = kept(store, sha)?;
        let read = parse_oryx_page(Path::new(name), &body, None, Utc::now())?;
        let side = side_of(name).filter(|s| *s == read.side).ok_or_else(|| {
            anyhow::anyhow!(
                "{name}: the page lists `{}` losses; it cannot be applied as either page",
                read.side
            )
        })?;
        pages.push(Page {
            name: name.clone(),
            side,
            location: format!("revision {} {name}", revision.id),
            sha256: sha.clone(),
            read,
        });
    }
    let known = crate::stored_items(store, SOURCE)?;
    let gone = pages
        .iter()
        .map(|p| gone_from(&known, p.side, &p.read).iter().map(|i| i.id()).collect())
        .collect();
    Ok(import(store, pages, &known, gone, revision.created_at.date_naive(), None)?.added)
}

/// Reads kept pages again with today's parser (`frontline reparse`): as a
/// sync would apply them, held for review when they would retire many
/// items (a parser change that renames keys looks like that). `kept`:
/// (location, SHA-256, day fetched) of the latest import of each page.
pub(crate) fn reparse(
    store: &mut dyn Store,
    kept_pages: &[(String, String, NaiveDate)],
    r: &Reparse,
    rails: &Guardrails,
) -> anyhow::Result<crate::reparse::Outcome> {
    let mut pages = Vec::with_capacity(kept_pages.len());
    for (location, sha, _) in kept_pages {
        let body = kept(store, sha)?;
        let name = location.rsplit(['/', ' ']).next().unwrap_or(location).to_string();
        let read = parse_oryx_page(Path::new(location), &body, None, Utc::now())?;
        let side = side_of(&name)
            .filter(|s| *s == read.side)
            .ok_or_else(|| anyhow::anyhow!("{location}: the page lists `{}` losses, not its own", read.side))?;
        pages.push(Page {
            name,
            side,
            location: location.clone(),
            sha256: sha.clone(),
            read,
        });
    }
    let fetched = kept_pages
        .iter()
        .map(|k| k.2)
        .max()
        .unwrap_or_else(|| Utc::now().date_naive());
    let known = crate::stored_items(store, SOURCE)?;
    // A new parser reads both pages differently or neither: one objection
    // holds the whole reparse.
    let (mut why, mut lines, mut gone) = (Vec::new(), Vec::new(), Vec::new());
    for p in &pages {
        match judge(store, p, &known, rails)? {
            Verdict::Hold(reason, l) => {
                why.push(reason);
                lines.extend(l);
            }
            Verdict::Import(g) => gone.push(g),
        }
    }
    if !why.is_empty() {
        let reason = why.join("; ");
        let files = pages.iter().map(|p| (p.name.clone(), p.sha256.clone())).collect();
        let id = crate::held::hold(store, SOURCE, &format!("reparse: {reason}"), &lines, files)?;
        return Ok(crate::reparse::Outcome::Held(id, reason));
    }
    let report = import(store, pages, &known, gone, fetched, Some(r))?;
    Ok(crate::reparse::Outcome::Items(report))
}

/// Oryx as a [`Connector`].
pub struct Oryx;

impl Connector for Oryx {
    fn info(&self) -> &'static Info {
        &Info {
            name: SOURCE,
            about: "Oryx: both sides' equipment losses, from its two pages",
            base_url: BASE_URL,
            every_mins: 360,
        }
    }

    fn sync(&self, store: &mut dyn Store, run: Run) -> anyhow::Result<SyncReport> {
        run.options.only(SOURCE, &[])?;
        sync(store, run.config, run.rails)
    }

    fn accept(&self, store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
        import_kept(store, revision)
    }

    fn kept_name(&self, s: &frontline_store::SourceRecord) -> Option<String> {
        let (base, name) = crate::connector::base_location(s);
        (s.kind == SourceKind::Losses && PAGES.iter().any(|(_, p)| p.ends_with(name))).then(|| base.to_string())
    }

    fn reparse(&self, store: &mut dyn Store, job: Reread<'_>) -> anyhow::Result<Reparsed> {
        let pages: Vec<(String, String, NaiveDate)> = job
            .kept
            .iter()
            .map(|s| {
                (
                    crate::connector::base_location(s).0.to_string(),
                    s.bytes_sha256.clone(),
                    s.imported_at.date_naive(),
                )
            })
            .collect();
        let n = job.kept.len();
        Ok(match reparse(store, &pages, job.reparse, job.rails)? {
            crate::reparse::Outcome::Items(e) => (
                e.added,
                e.updated,
                format!(
                    "{n} kept pages read again: {} items added, {} updated, {} retired",
                    e.added, e.updated, e.tombstoned
                ),
            ),
            crate::reparse::Outcome::Held(id, why) => (0, 0, format!("held for review as revision {id}: {why}")),
        })
    }
}
