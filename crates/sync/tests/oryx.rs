//! `sync oryx` against a local replay server that serves the two pages
//! (hand-made ones of the same layout, and the real recorded ones), with
//! ETags. Upstream changes: proofs added, a few removed, a category
//! renamed, 30 % of the items gone. No test touches the internet.

mod common;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use common::config;
use frontline_store::{EvidenceFilter, SqliteStore, Store};
use frontline_sync::{Guardrails, fetch, oryx};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Page bodies by path.
type Shared = Arc<Mutex<HashMap<String, String>>>;

async fn answer(State(s): State<Shared>, req: Request) -> Response {
    let pages = s.lock().unwrap();
    let Some(body) = pages.get(req.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", &frontline_ingest::sha256_hex(body.as_bytes())[..16]);
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (StatusCode::OK, [(header::ETAG, etag)], body.clone()).into_response()
}

fn replay(pages: Shared) -> String {
    let app = Router::new().fallback(answer).with_state(pages);
    common::serve(app)
}

/// A page in Oryx's layout: `tanks` T-72B3s and `trucks` Urals, one proof
/// each, numbered from 1; `heading` names the tanks' category.
fn page(side: &str, heading: &str, tanks: std::ops::Range<u32>, trucks: std::ops::Range<u32>) -> String {
    let proofs = |kind: &str, r: std::ops::Range<u32>| -> String {
        r.map(|i| {
            format!("<a href=\"https://i.postimg.cc/x/{side}-{kind}-{i}-destr-14-01-24.jpg\">({i}, destroyed)</a> ")
        })
        .collect()
    };
    let total = tanks.len() + trucks.len();
    format!(
        "<html><body><h3><span>{side} - {total}, of which: destroyed: {total}</span></h3>\
         <h3><span>{heading} </span>({t}, of which destroyed: {t})</h3>\
         <ul><li><img src=\"flag.png\" />&nbsp;{t} T-72B3:&nbsp;{tp}</li></ul>\
         <h3>Trucks, Vehicles and Jeeps ({u}, of which destroyed: {u})</h3>\
         <ul><li>{u} Ural-4320: {up}</li></ul></body></html>",
        t = tanks.len(),
        tp = proofs("tank", tanks),
        u = trucks.len(),
        up = proofs("truck", trucks),
    )
}

fn setup(russia: String, ukraine: String) -> (Shared, String, SqliteStore) {
    let pages: Shared = Arc::default();
    {
        let mut p = pages.lock().unwrap();
        p.insert(oryx::PAGES[0].1.into(), russia);
        p.insert(oryx::PAGES[1].1.into(), ukraine);
    }
    let base = replay(pages.clone());
    (pages, base, SqliteStore::open_in_memory().unwrap())
}

/// The Ukrainian page most tests start from: ten tanks, ten trucks.
fn ukraine() -> String {
    page("Ukraine", "Tanks", 1..11, 1..11)
}

/// Both pages served (the Russian: 40 tanks, 60 trucks) and synced once.
fn synced() -> (Shared, String, SqliteStore) {
    let (pages, base, mut store) = setup(page("Russia", "Tanks", 1..41, 1..61), ukraine());
    oryx::sync(&mut store, config(&base), Guardrails::default()).expect("the first sync");
    (pages, base, store)
}

/// Another run against the pages as they are now.
fn again(store: &mut SqliteStore, base: &str) -> frontline_sync::SyncReport {
    oryx::sync(store, config(base), Guardrails::default()).expect("a run")
}

/// Asserts that a run's message says `what`.
fn says(r: &frontline_sync::SyncReport, what: &str) {
    assert!(r.message.contains(what), "{r:?}");
}

fn set(pages: &Shared, side: usize, body: String) {
    pages.lock().unwrap().insert(oryx::PAGES[side].1.into(), body);
}

fn current(store: &SqliteStore) -> Vec<frontline_model::EvidenceItem> {
    store.evidence_items(&EvidenceFilter::default()).unwrap()
}

#[test]
fn syncs_both_pages_then_new_proofs_are_published_the_day_first_seen() {
    let (pages, base, mut store) = setup(page("Russia", "Tanks", 1..41, 1..61), ukraine());
    let r = again(&mut store, &base);
    assert_eq!((r.new_records, r.requests), (120, 2), "{r:?}");
    let items = current(&store);
    let ru_tanks = items
        .iter()
        .filter(|i| i.side == "russia" && i.category == "tanks")
        .count();
    assert_eq!(ru_tanks, 40);
    assert!(
        items.iter().all(|i| i.dates.published.is_none()),
        "first sync: when the items were published is not known"
    );
    assert!(
        items
            .iter()
            .all(|i| i.dates.event.map(|d| d.to_string()).as_deref() == Some("2024-01-14"))
    );
    // Any item traces to the exact bytes it was read from.
    let ua = items.iter().find(|i| i.side == "ukraine").unwrap();
    let h = store.evidence_history(&ua.id()).unwrap();
    let body = fetch::kept(&store, &h[0].source_sha256).unwrap();
    assert_eq!(body, pages.lock().unwrap()[oryx::PAGES[1].1].as_bytes());
    assert!(
        h[0].source_location.ends_with(oryx::PAGES[1].1),
        "{}",
        h[0].source_location
    );

    // Unchanged: two conditional requests, nothing read.
    let r = again(&mut store, &base);
    assert_eq!(
        (r.new_records, r.requests, r.message.as_str()),
        (0, 2, "no page changed")
    );

    // Two proofs added to the Russian page, one removed from it.
    set(&pages, 0, page("Russia", "Tanks", 2..43, 1..61));
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 2, "{r:?}");
    says(&r, "1 gone upstream");
    let items = current(&store);
    assert_eq!(items.len(), 121);
    let today = Utc::now().date_naive();
    let new: Vec<&str> = items
        .iter()
        .filter(|i| i.dates.published == Some(today))
        .map(|i| i.proof_urls[0].rsplit('/').next().unwrap())
        .collect();
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(
        new.iter()
            .all(|u| u.starts_with("Russia-tank-41") || u.starts_with("Russia-tank-42")),
        "{new:?}"
    );
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(health.iter().find(|h| h.source == "oryx").unwrap().status, "OK");
}

#[test]
fn a_renamed_category_is_held_until_a_person_accepts_it() {
    let (pages, base, mut store) = synced();
    set(&pages, 0, page("Russia", "Main Battle Tanks", 1..42, 1..61));
    let r = again(&mut store, &base);
    says(
        &r,
        "attack-on-europe-documenting-equipment.html: new heading `Main Battle Tanks`",
    );
    assert_eq!(current(&store).len(), 120, "held: nothing applied");
    let rev = frontline_sync::review::list(&store).unwrap();
    let shown = frontline_sync::review::get(&store, rev[0].id).unwrap();
    assert!(
        shown
            .diff
            .contains("heading `Main Battle Tanks` (41 stated, 41 read) is new"),
        "{}",
        shown.diff
    );
    frontline_sync::review::accept(&mut store, rev[0].id, "Oryx renamed the category").unwrap();
    assert_eq!(current(&store).len(), 121);
    // Known from now on: the next change under it is applied directly.
    set(&pages, 0, page("Russia", "Main Battle Tanks", 1..43, 1..61));
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 1, "{r:?}");
}

#[test]
fn a_page_that_loses_30_percent_of_its_items_is_held() {
    let (pages, base, mut store) = synced();
    set(&pages, 0, page("Russia", "Tanks", 1..41, 1..25));
    let r = again(&mut store, &base);
    says(
        &r,
        "36 of the 100 stored items of this side are gone from the page (36.0 %), more than 10",
    );
    assert_eq!(current(&store).len(), 120);
    let rev = frontline_sync::review::list(&store).unwrap();
    assert_eq!(rev[0].changes, 36);
    frontline_sync::review::reject(&mut store, rev[0].id, "a broken save of the page").unwrap();
    assert_eq!(current(&store).len(), 120, "rejected: nothing changes");
}

/// One page held (unreadable, or the other side's list) never stops the
/// other: its new items are imported, and nothing of the held page's side
/// is retired. Accepting or rejecting the held page afterwards leaves what
/// a clean import of the good pages leaves.
#[test]
fn a_bad_page_is_held_and_the_other_page_imported() {
    let (pages, base, mut store) = synced();
    // The Russian page comes back as the Ukrainian list (a moved page);
    // the Ukrainian page gains two proofs.
    set(&pages, 0, page("Ukraine", "Tanks", 1..41, 1..61));
    set(&pages, 1, page("Ukraine", "Tanks", 1..13, 1..11));
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 2, "{r:?}");
    says(
        &r,
        "attack-on-europe-documenting-equipment.html: the page lists `ukraine` losses, not `russia`",
    );
    let side = |s: &SqliteStore, side: &str| current(s).iter().filter(|i| i.side == side).count();
    assert_eq!((side(&store, "russia"), side(&store, "ukraine")), (100, 22));
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(health.iter().find(|h| h.source == "oryx").unwrap().status, "REVIEW");
    // The next run (the bad page unchanged, the good one changed again)
    // holds nothing new and imports the good page.
    set(&pages, 1, page("Ukraine", "Tanks", 1..14, 1..11));
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 1, "{r:?}");
    let rev = frontline_sync::review::list(&store).unwrap();
    assert_eq!(rev.len(), 1, "the same held page is not held twice: {rev:?}");
    // It cannot be applied as the Russian page: accepting it fails, changing
    // nothing; rejecting it clears the review.
    let e = frontline_sync::review::accept(&mut store, rev[0].id, "looks fine").unwrap_err();
    assert!(format!("{e:#}").contains("cannot be applied as either page"), "{e:#}");
    assert_eq!((side(&store, "russia"), side(&store, "ukraine")), (100, 23));
    frontline_sync::review::reject(&mut store, rev[0].id, "the wrong page").unwrap();
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(health.iter().find(|h| h.source == "oryx").unwrap().status, "OK");

    // An unreadable page (a truncated save that lost its summary heading)
    // is held the same way; accepting the held page once it is fixed
    // upstream is what a clean sync of it would do.
    set(&pages, 0, "<html><body><h3>Tanks</h3></body></html>".into());
    set(&pages, 1, page("Ukraine", "Tanks", 1..15, 1..11));
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 1, "{r:?}");
    says(&r, "attack-on-europe-documenting-equipment.html: cannot be read");
    assert_eq!((side(&store, "russia"), side(&store, "ukraine")), (100, 24));
}

/// The real recorded pages (`recorded-responses/oryx`): 10,111 and 3,203
/// items as `scripts/derive/oryx_pages.py` reads them; then the Russian
/// page saved with its tanks' category renamed, and with 30 % of its list
/// items cut, as upstream accidents would look.
#[test]
fn real_recorded_pages() {
    let Some(dir) =
        std::env::var_os("FRONTLINE_DATA").map(|d| std::path::PathBuf::from(d).join("recorded-responses/oryx"))
    else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            "CI must run this real-data test, but FRONTLINE_DATA is not set"
        );
        eprintln!("skipped: set FRONTLINE_DATA to sync the recorded Oryx pages");
        return;
    };
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (russia, ukraine) = (read("borderlands_russia.html"), read("borderlands_ukraine.html"));
    let (pages, base, mut store) = setup(russia.clone(), ukraine);
    let r = again(&mut store, &base);
    assert_eq!(r.new_records, 10_111 + 3_203, "{r:?}");
    assert!(r.message.ends_with("0 proofs unread"), "{r:?}");

    let renamed = russia.replacen("Tanks </span>(1907", "Main Battle Tanks </span>(1907", 1);
    assert_ne!(renamed, russia);
    set(&pages, 0, renamed);
    let r = again(&mut store, &base);
    says(&r, "new heading `Main Battle Tanks`");

    // Every third model's list item cut from the page: its proofs vanish.
    let mut cut = String::with_capacity(russia.len());
    for (n, part) in russia.split("<li>").enumerate() {
        if n > 0 && n % 3 != 0 {
            cut.push_str("<li>");
        } else if n > 0 {
            cut.push_str("<li style=\"display:none\"><!--");
            cut.push_str(&part.replacen("</li>", "--></li>", 1));
            continue;
        }
        cut.push_str(part);
    }
    set(&pages, 0, cut);
    let r = again(&mut store, &base);
    assert!(r.message.starts_with("held for review"), "{r:?}");
    says(&r, "3453 of the 10111 stored items of this side are gone from the page");
    assert_eq!(current(&store).len(), 13_314, "nothing applied");
}

/// `reparse`: the kept pages read again. Unchanged parser, unchanged
/// items; an item whose stored version went wrong (as a parser bug would
/// leave it) is rebuilt from the bytes, and its history leads to them.
#[test]
fn reparse_rebuilds_items_from_the_kept_pages() {
    use frontline_sync::reparse::reparse;
    use frontline_sync::schedule::Source;
    let (pages, _, mut store) = synced();
    let r = reparse(&mut store, Source::ORYX.0, Guardrails::default()).unwrap();
    assert_eq!((r.bodies, r.added, r.updated), (2, 0, 0), "{r:?}");
    // A wrong version of one item, from elsewhere.
    let mut wrong = current(&store).into_iter().find(|i| i.side == "ukraine").unwrap();
    let right_model = wrong.model.clone();
    wrong.model = "T-72B3 (misread)".into();
    common::import_buggy(&mut store, wrong.clone());
    let r = reparse(&mut store, Source::ORYX.0, Guardrails::default()).unwrap();
    assert_eq!((r.bodies, r.added, r.updated), (2, 0, 1), "{r:?}");
    let h = store.evidence_history(&wrong.id()).unwrap();
    assert_eq!(h.len(), 3);
    let last = h.last().unwrap();
    assert_eq!(last.item.model, right_model);
    assert!(last.source_location.contains("(reparse "), "{}", last.source_location);
    let body = fetch::kept(&store, &last.source_sha256).unwrap();
    assert_eq!(
        body,
        pages.lock().unwrap()[oryx::PAGES[1].1].as_bytes(),
        "it names the bytes it read"
    );
}
