//! Oryx: the two blog pages listing each side's equipment losses, item by
//! item with proof links, read by [`parse_oryx_page`].
//!
//! Both pages are asked for conditionally every run; when either changed,
//! both are read and compared with the store. Together they are the whole
//! list, so an item no longer on them is gone upstream: retired, unless so
//! many go at once that a person should look first. The pages carry no
//! dates: an item's published date is the day a sync first saw it.

use crate::SyncReport;
use crate::error::SyncError;
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
    location: String,
    sha256: String,
    read: OryxPage,
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Syncs both pages.
pub fn sync(store: &mut dyn Store, config: FetchConfig, rails: Guardrails) -> anyhow::Result<SyncReport> {
    crate::recorded(store, SOURCE, config, |store, fetcher| run(store, fetcher, rails))
}

fn run(store: &mut dyn Store, fetcher: &mut Fetcher, rails: Guardrails) -> anyhow::Result<(usize, String)> {
    let mut pages = Vec::with_capacity(PAGES.len());
    let mut changed = 0;
    for (side, path) in PAGES {
        let got = fetcher.get(store, path)?;
        changed += usize::from(!got.not_modified);
        let read = parse_oryx_page(Path::new(&got.url), &got.body, None, Utc::now())?;
        if read.side != side {
            return Err(SyncError::Protocol {
                url: got.url,
                reason: format!(
                    "the page lists `{}` losses, not `{side}`: it moved or changed; nothing imported",
                    read.side
                ),
            }
            .into());
        }
        pages.push(Page {
            name: file_name(path).to_string(),
            location: got.url,
            sha256: got.sha256,
            read,
        });
    }
    if changed == 0 {
        return Ok((0, "no page changed".into()));
    }
    let today = Utc::now().date_naive();
    let known = crate::stored_items(store, SOURCE)?;
    let verdict = judge(store, &pages, &known, &rails)?;
    if let Some((reason, lines)) = verdict.hold {
        crate::keep_before_import(store, fetcher, &format!("{changed} pages changed; holding"))?;
        let files = pages.iter().map(|p| (p.name.clone(), p.sha256.clone())).collect();
        let id = crate::review::hold(store, SOURCE, &reason, &lines, files)?;
        tracing::warn!("oryx: {reason}; held as revision {id} (frontline review show {id})");
        return Ok((0, format!("held for review as revision {id}: {reason}")));
    }
    crate::keep_before_import(store, fetcher, &format!("{changed} pages changed; importing"))?;
    let unread: usize = pages.iter().map(|p| p.read.parse.rejects.len()).sum();
    if let Some(first) = pages.iter().find_map(|p| p.read.parse.rejects.first()) {
        tracing::warn!("oryx: {unread} proofs could not be read; the first: {first}");
    }
    let r = import(store, pages, &known, verdict.gone, today, None)?;
    Ok((
        r.added,
        format!(
            "{changed} pages changed: {} items added, {} updated, {} gone upstream, {unread} proofs unread",
            r.added, r.updated, r.tombstoned
        ),
    ))
}

/// What the pages would do to the store.
struct Verdict {
    /// Why to hold, with one line per change, if they should be held.
    hold: Option<(String, Vec<String>)>,
    /// Stored items the pages no longer list.
    gone: Vec<String>,
}

/// Holds the pages when their layout changed (a heading neither Frontline
/// nor the page imported before knows; many proofs unreadable; a read
/// total far from the stated one) or when they would retire many items.
fn judge(
    store: &dyn Store,
    pages: &[Page],
    known: &HashMap<String, EvidenceItem>,
    rails: &Guardrails,
) -> anyhow::Result<Verdict> {
    let mut lines = Vec::new();
    let mut why = Vec::new();
    for p in pages {
        let headings = known_headings(store, &p.name)?;
        for c in &p.read.categories {
            if !headings.contains(&heading_key(&c.heading)) {
                why.push(format!("{}: new heading `{}`", p.name, c.heading));
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
            why.push(format!("{}: {unread} proofs unreadable", p.name));
            lines.extend(p.read.parse.rejects.iter().map(|r| format!("unreadable: {r}")));
        }
        if read.abs_diff(p.read.stated_total as usize) > limit {
            why.push(format!(
                "{}: {read} items read, the page states {}",
                p.name, p.read.stated_total
            ));
        }
    }
    let listed: HashSet<String> = pages
        .iter()
        .flat_map(|p| p.read.parse.items.iter().map(EvidenceItem::id))
        .collect();
    let mut gone: Vec<&EvidenceItem> = known.values().filter(|i| !listed.contains(&i.id())).collect();
    gone.sort_by(|a, b| (&a.side, &a.model, &a.key).cmp(&(&b.side, &b.model, &b.key)));
    let limit = rails
        .min_removed_items
        .max((known.len() as f64 * rails.max_removed_share) as usize);
    if gone.len() > limit {
        why.push(format!(
            "{} of the {} stored items are gone from the pages ({:.1} %), more than {limit}",
            gone.len(),
            known.len(),
            100.0 * gone.len() as f64 / known.len().max(1) as f64
        ));
        lines.extend(
            gone.iter()
                .map(|i| format!("gone upstream: {} {} {} {}", i.id(), i.side, i.model, i.status.as_str())),
        );
    }
    Ok(Verdict {
        hold: (!why.is_empty()).then(|| (why.join("; "), lines)),
        gone: gone.iter().map(|i| i.id()).collect(),
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

/// Stores both pages in one transaction: `gone` retired; an item seen
/// before keeps its published date, a new one is published `first_seen`
/// (none on the first sync: first seen then says nothing of when it was
/// published).
fn import(
    store: &mut dyn Store,
    pages: Vec<Page>,
    known: &HashMap<String, EvidenceItem>,
    gone: Vec<String>,
    first_seen: NaiveDate,
    reparse: Option<&Reparse>,
) -> anyhow::Result<frontline_store::EvidenceReport> {
    let first_sync = known.is_empty();
    let mut gone = Some(gone);
    let mut files = Vec::with_capacity(pages.len());
    for p in pages {
        let meta = crate::page_meta(p.location, p.sha256, reparse);
        let fresh = !store.has_source(&meta.sha256)?;
        let items = crate::keep_published(p.read.parse.items, known, |_| (!first_sync).then_some(first_seen));
        // Both pages are the whole list, but one may be unchanged (and
        // skipped as imported before): what is gone is named, not inferred.
        let gone = if fresh {
            gone.take().unwrap_or_default()
        } else {
            Vec::new()
        };
        files.push(EvidenceImport {
            meta,
            items,
            coverage: Coverage::Partial { gone },
        });
    }
    store.import_evidence(&files).context("importing the Oryx pages")
}

/// Applies a held revision's kept pages as the run that held them would
/// have, items new to the store published the day it was held.
pub(crate) fn import_kept(store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
    let mut pages = Vec::with_capacity(revision.files.len());
    for (name, sha) in &revision.files {
        let body = kept(store, sha)?;
        pages.push(Page {
            name: name.clone(),
            location: format!("revision {} {name}", revision.id),
            sha256: sha.clone(),
            read: parse_oryx_page(Path::new(name), &body, None, Utc::now())?,
        });
    }
    let known = crate::stored_items(store, SOURCE)?;
    let listed: HashSet<String> = pages
        .iter()
        .flat_map(|p| p.read.parse.items.iter().map(EvidenceItem::id))
        .collect();
    let gone = known.keys().filter(|id| !listed.contains(*id)).cloned().collect();
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
        pages.push(Page {
            name: location.rsplit(['/', ' ']).next().unwrap_or(location).to_string(),
            location: location.clone(),
            sha256: sha.clone(),
            read: parse_oryx_page(Path::new(location), &body, None, Utc::now())?,
        });
    }
    let fetched = kept_pages
        .iter()
        .map(|k| k.2)
        .max()
        .unwrap_or_else(|| Utc::now().date_naive());
    let known = crate::stored_items(store, SOURCE)?;
    let verdict = judge(store, &pages, &known, rails)?;
    if let Some((reason, lines)) = verdict.hold {
        let files = pages.iter().map(|p| (p.name.clone(), p.sha256.clone())).collect();
        let id = crate::review::hold(store, SOURCE, &format!("reparse: {reason}"), &lines, files)?;
        return Ok(crate::reparse::Outcome::Held(id, reason));
    }
    let report = import(store, pages, &known, verdict.gone, fetched, Some(r))?;
    Ok(crate::reparse::Outcome::Items(report))
}
