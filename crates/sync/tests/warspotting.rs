//! `sync warspotting` against a local replay server that answers as
//! WarSpotting's API does: `/recent/`, per-day pages of 100, 404 for a day
//! without items, 301 without the trailing slash, 520 without a
//! User-Agent, 429 with `Retry-After`. No test touches the internet.

mod common;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration as Days, NaiveDate, Utc};
use common::config;
use frontline_store::{EvidenceFilter, SqliteStore, Store};
use frontline_sync::Guardrails;
use frontline_sync::warspotting::{self, Mode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Upstream {
    /// Items by id (ids grow as items are added).
    items: BTreeMap<u64, Value>,
    /// Answer every third request 429 with `Retry-After: 1`, as the site
    /// does past 10 requests in 10 s.
    rate_limited: bool,
    /// (path, User-Agent, when) of each request.
    seen: Vec<(String, String, Instant)>,
    /// A day whose pages answer an HTML error page with status 200.
    broken_day: Option<String>,
}

type Shared = Arc<Mutex<Upstream>>;

async fn answer(State(s): State<Shared>, req: Request) -> Response {
    let mut u = s.lock().unwrap();
    let path = req.uri().path().to_string();
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    u.seen.push((path.clone(), ua.clone(), Instant::now()));
    if ua.is_empty() {
        return (StatusCode::from_u16(520).unwrap(), "no user agent").into_response();
    }
    if u.rate_limited && u.seen.len() % 3 == 0 {
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")], "slow down").into_response();
    }
    let Some(rest) = path.strip_prefix("/api/losses/russia/") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(rest) = rest.strip_suffix('/') else {
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, format!("{path}/"))]).into_response();
    };
    let page: Vec<Value> = if rest == "recent" {
        u.items.values().rev().take(100).cloned().collect()
    } else {
        let mut parts = rest.split('/');
        let day = parts.next().unwrap_or("");
        if u.broken_day.as_deref() == Some(day) {
            return (StatusCode::OK, "<html>upstream error</html>").into_response();
        }
        let n: usize = parts.next().map_or(1, |p| p.parse().unwrap_or(0));
        let of_day: Vec<Value> = u.items.values().filter(|i| i["date"] == day).cloned().collect();
        if of_day.is_empty() {
            return StatusCode::NOT_FOUND.into_response();
        }
        of_day.into_iter().skip((n - 1) * 100).take(100).collect()
    };
    axum::Json(json!({ "losses": page })).into_response()
}

fn replay(upstream: Shared) -> String {
    let app = Router::new().fallback(answer).with_state(upstream);
    common::serve(app)
}

fn day(back: i64) -> NaiveDate {
    Utc::now().date_naive() - Days::days(back)
}

fn item(id: u64, date: NaiveDate, model: &str) -> Value {
    json!({"id": id, "type": "Tanks", "model": model, "status": "Destroyed", "lost_by": "Russia",
           "date": date.to_string(), "nearest_location": "Pokrovsk", "geo": "48.28,37.18", "unit": null, "tags": null})
}

/// 250 items over the last six days, 120 of them on one day (two pages).
fn setup() -> (Shared, String, SqliteStore) {
    let upstream: Shared = Arc::default();
    {
        let mut u = upstream.lock().unwrap();
        for id in 1..=250u64 {
            let d = if id <= 120 { day(5) } else { day(4 - (id as i64 % 4)) };
            u.items.insert(id, item(id, d, "T-72B3"));
        }
    }
    let base = replay(upstream.clone());
    (upstream, base, SqliteStore::open_in_memory().unwrap())
}

fn update(since: Option<NaiveDate>) -> Mode {
    Mode::Update { max_days: None, since }
}

fn stored(store: &SqliteStore) -> BTreeMap<String, frontline_model::EvidenceItem> {
    store
        .evidence_items(&EvidenceFilter::default())
        .unwrap()
        .into_iter()
        .map(|i| (i.key.clone(), i))
        .collect()
}

#[test]
fn catches_up_day_by_day_then_takes_only_the_newest_in_one_request() {
    let (upstream, base, mut store) = setup();
    let r = warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    // /recent/, then 7 days: one 404, one day of two pages, five of one.
    assert_eq!((r.new_records, r.requests), (250, 1 + 7 + 1), "{r:?}");
    let items = stored(&store);
    assert_eq!(items.len(), 250);
    let i = &items["121"];
    assert_eq!(
        (
            i.category.as_str(),
            i.model.as_str(),
            i.dates.event,
            i.location.map(|l| (l.lat, l.lon))
        ),
        ("tanks", "T-72B3", Some(day(3)), Some((48.28, 37.18)))
    );
    // Seen on /recent/ (the newest 100): published the day first seen;
    // found on a day's page only: published unknown.
    assert_eq!(items["250"].dates.published, Some(day(0)));
    assert_eq!(items["1"].dates.published, None);
    {
        let u = upstream.lock().unwrap();
        assert!(
            u.seen
                .iter()
                .all(|(p, ua, _)| p.ends_with('/') && ua.starts_with("frontline/")),
            "{:?}",
            u.seen
        );
    }

    // Three items added upstream, one with an old event date: one request.
    {
        let mut u = upstream.lock().unwrap();
        u.items.insert(251, item(251, day(1), "T-90M"));
        u.items.insert(252, item(252, day(1), "BMP-3"));
        u.items.insert(253, item(253, day(40), "2S19"));
    }
    let r = warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    assert_eq!((r.new_records, r.requests), (3, 1), "{r:?}");
    let items = stored(&store);
    assert_eq!(items["253"].dates.published, Some(day(0)));
    assert_eq!(items["253"].dates.event, Some(day(40)));
    assert_eq!(
        items["250"].dates.published,
        Some(day(0)),
        "a stored item keeps its published date"
    );

    // Nothing new: one request, nothing added, no new version.
    let r = warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    assert_eq!((r.new_records, r.requests), (0, 1), "{r:?}");
    assert_eq!(store.evidence_history("warspotting:250").unwrap().len(), 1);
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    let ws = health.iter().find(|h| h.source == "warspotting").unwrap();
    assert_eq!(ws.status, "OK", "{ws:?}");
}

#[test]
fn more_than_a_page_added_since_the_last_run_is_read_from_the_days() {
    let (upstream, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    {
        let mut u = upstream.lock().unwrap();
        for id in 251..=400u64 {
            u.items.insert(id, item(id, day(2), "T-80BVM"));
        }
    }
    let r = warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    assert_eq!(r.new_records, 150, "{r:?}");
    assert_eq!(stored(&store).len(), 400);
}

#[test]
fn a_reconciliation_retires_deleted_items_and_holds_a_mass_deletion() {
    let (upstream, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    let range = Mode::Reconcile {
        from: day(5),
        to: day(5),
    };
    // Upstream drops 2 of day 5's 120 items and rewrites one: applied.
    {
        let mut u = upstream.lock().unwrap();
        u.items.remove(&7);
        u.items.remove(&8);
        u.items.insert(9, item(9, day(5), "T-72B3M"));
    }
    let r = warspotting::sync(&mut store, config(&base), range, Guardrails::default()).unwrap();
    assert!(r.message.ends_with("2 retired"), "{r:?}");
    let items = stored(&store);
    assert_eq!(items.len(), 248);
    assert!(!items.contains_key("7") && !items.contains_key("8"));
    assert_eq!(items["9"].model, "T-72B3M");
    assert!(
        store
            .evidence_history("warspotting:7")
            .unwrap()
            .last()
            .unwrap()
            .tombstoned
    );

    // Upstream loses 30 % of the day: held, nothing applied.
    {
        let mut u = upstream.lock().unwrap();
        for id in 10..46 {
            u.items.remove(&id);
        }
    }
    let r = warspotting::sync(&mut store, config(&base), range, Guardrails::default()).unwrap();
    assert!(r.message.starts_with("held for review"), "{r:?}");
    assert!(r.message.contains("36 of the 118 stored items"), "{r:?}");
    assert_eq!(stored(&store).len(), 248, "a held result changes nothing");
    let rev = frontline_sync::review::list(&store).unwrap();
    assert_eq!((rev.len(), rev[0].changes), (1, 36), "{rev:?}");
    let shown = frontline_sync::review::get(&store, rev[0].id).unwrap();
    assert!(
        shown.diff.starts_with("gone upstream: warspotting:10 T-72B3 destroyed"),
        "{}",
        shown.diff
    );
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(
        health.iter().find(|h| h.source == "warspotting").unwrap().status,
        "REVIEW"
    );
    // A person confirms it: applied from the kept bytes.
    frontline_sync::review::accept(&mut store, rev[0].id, "confirmed: duplicates removed upstream").unwrap();
    assert_eq!(stored(&store).len(), 212);

    // Raised threshold: the same kind of loss is applied directly.
    upstream.lock().unwrap().items.retain(|id, _| !(46..60).contains(id));
    let lenient = Guardrails {
        max_removed_share: 0.5,
        ..Default::default()
    };
    let r = warspotting::sync(&mut store, config(&base), range, lenient).unwrap();
    assert!(r.message.ends_with("14 retired"), "{r:?}");
}

/// One day that cannot be read (a field the parser does not know, a row
/// it cannot read) is held alone, with its bytes; the other days are
/// imported. Accepting one held day and rejecting the other leaves the
/// same items as a clean sync of the good ones.
#[test]
fn a_bad_day_is_held_and_the_other_days_imported() {
    let (upstream, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    let mut odd = item(251, day(1), "T-90M");
    odd["photo_count"] = json!(3);
    let mut broken = item(252, day(2), "T-90M");
    broken["lost_by"] = Value::Null;
    {
        let mut u = upstream.lock().unwrap();
        u.items.insert(251, odd);
        u.items.insert(252, broken);
        u.items.insert(253, item(253, day(3), "BMP-2"));
        u.items.insert(254, item(254, day(0), "BMP-3"));
    }
    let r = warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    assert_eq!(r.new_records, 2, "{r:?}");
    assert!(
        r.message.contains("fields Frontline does not know (photo_count)"),
        "{r:?}"
    );
    assert!(
        r.message.contains("record 34: field `lost_by`: missing or not text"),
        "{r:?}"
    );
    let keys = |s: &SqliteStore| stored(s).into_keys().collect::<std::collections::BTreeSet<_>>();
    assert!(keys(&store).contains("253") && keys(&store).contains("254"));
    assert_eq!(keys(&store).len(), 252);
    let pending = |s: &SqliteStore| {
        frontline_sync::review::list(s)
            .unwrap()
            .into_iter()
            .filter(|r| r.status == "pending")
            .collect::<Vec<_>>()
    };
    let held = pending(&store);
    assert_eq!(held.len(), 2, "{held:?}");
    let of_day = |rows: &[frontline_sync::review::RevisionRow], d: NaiveDate| {
        rows.iter()
            .find(|r| r.reason.starts_with(&format!("day {d}:")))
            .map(|r| r.id)
            .unwrap()
    };
    let (odd_id, broken_id) = (of_day(&held, day(1)), of_day(&held, day(2)));
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(
        health.iter().find(|h| h.source == "warspotting").unwrap().status,
        "REVIEW"
    );

    // Nothing changed upstream: the same days are held again as the same
    // revisions, not new ones.
    warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    assert_eq!(
        pending(&store).iter().map(|r| r.id).collect::<Vec<_>>(),
        held.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    // The broken day gains an item: its new pages supersede the old ones.
    upstream.lock().unwrap().items.insert(255, item(255, day(2), "T-80BV"));
    warspotting::sync(&mut store, config(&base), update(None), Guardrails::default()).unwrap();
    let now = pending(&store);
    assert_eq!(now.len(), 2, "{now:?}");
    assert_eq!(of_day(&now, day(1)), odd_id);
    let newer = of_day(&now, day(2));
    assert!(newer > broken_id);
    let old = frontline_sync::review::get(&store, broken_id).unwrap();
    assert_eq!(old.status, "rejected");
    assert!(
        old.why
            .unwrap_or_default()
            .contains(&format!("superseded by revision {newer}"))
    );

    // In either order: reject the broken day, accept the odd one.
    frontline_sync::review::reject(&mut store, newer, "WarSpotting broke a row").unwrap();
    frontline_sync::review::accept(&mut store, odd_id, "a new field, harmless").unwrap();
    let after = keys(&store);
    assert!(after.contains("251"), "the accepted day is applied");

    // A clean sync of the good days, from scratch, stores the same items.
    let (clean_up, clean_base, mut clean) = setup();
    {
        let mut u = clean_up.lock().unwrap();
        u.items.insert(251, item(251, day(1), "T-90M"));
        u.items.insert(253, item(253, day(3), "BMP-2"));
        u.items.insert(254, item(254, day(0), "BMP-3"));
    }
    warspotting::sync(
        &mut clean,
        config(&clean_base),
        update(Some(day(6))),
        Guardrails::default(),
    )
    .unwrap();
    assert_eq!(after, keys(&clean));
    let health = frontline_sync::health::all(&store, Utc::now()).unwrap();
    assert_eq!(health.iter().find(|h| h.source == "warspotting").unwrap().status, "OK");
}

/// A reconciliation with one day whose page is not JSON at all: that day is
/// held and none of its items retired; the other days are reconciled.
#[test]
fn a_reconciliation_holds_an_unreadable_day_and_judges_the_rest() {
    let (upstream, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    {
        let mut u = upstream.lock().unwrap();
        u.broken_day = Some(day(3).to_string());
        // Deleted upstream: one item of day 4 and one of day 3.
        let on = |u: &Upstream, d: NaiveDate| *u.items.iter().find(|(_, v)| v["date"] == d.to_string()).unwrap().0;
        let (a, b) = (on(&u, day(4)), on(&u, day(3)));
        u.items.remove(&a);
        u.items.remove(&b);
    }
    let range = Mode::Reconcile {
        from: day(5),
        to: day(1),
    };
    let r = warspotting::sync(&mut store, config(&base), range, Guardrails::default()).unwrap();
    assert!(r.message.ends_with("1 retired"), "{r:?}");
    assert!(r.message.contains("cannot be read"), "{r:?}");
    let held = frontline_sync::review::list(&store).unwrap();
    assert_eq!(held.len(), 1);
    assert!(
        held[0].reason.starts_with(&format!("reconcile {0}..{0} {0}", day(3))),
        "{held:?}"
    );
    assert_eq!(stored(&store).len(), 249);
    // Its bytes are not WarSpotting's JSON: accepting fails and changes
    // nothing; rejecting clears the review.
    let e = frontline_sync::review::accept(&mut store, held[0].id, "try").unwrap_err();
    assert!(format!("{e:#}").contains("p1.json"), "{e:#}");
    assert_eq!(stored(&store).len(), 249);
    frontline_sync::review::reject(&mut store, held[0].id, "an outage page").unwrap();
    // Fixed upstream: the day is reconciled, its deleted item retired.
    upstream.lock().unwrap().broken_day = None;
    let r = warspotting::sync(
        &mut store,
        config(&base),
        Mode::Reconcile {
            from: day(3),
            to: day(3),
        },
        Guardrails::default(),
    )
    .unwrap();
    assert!(r.message.ends_with("1 retired"), "{r:?}");
    assert_eq!(stored(&store).len(), 248);
}

#[test]
fn the_rate_limit_is_honoured() {
    let (upstream, base, mut store) = setup();
    upstream.lock().unwrap().rate_limited = true;
    let r = warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    assert_eq!(r.new_records, 250, "{r:?}");
    let u = upstream.lock().unwrap();
    // The 9 requests of the catch-up, and a retry for each of the 4 429s.
    assert_eq!((r.requests, u.seen.len()), (13, 13), "{r:?}");
    for refused in (2..13).step_by(3) {
        let waited = u.seen[refused + 1].2 - u.seen[refused].2;
        assert!(
            waited >= Duration::from_secs(1),
            "request {refused} retried after {waited:?}"
        );
    }
}

/// `$FRONTLINE_DATA/recorded-responses`, required in CI (a real-data test
/// that skips there checks nothing).
fn recorded() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("FRONTLINE_DATA").map(|d| std::path::PathBuf::from(d).join("recorded-responses"));
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    match dir {
        Some(d) if d.is_dir() => Some(d),
        _ if ci => panic!("CI must run the real-data tests, but $FRONTLINE_DATA/recorded-responses is missing"),
        _ => None,
    }
}

/// The 12 real API items recorded in `recorded-responses/warspotting`,
/// served on their days (the file lacks the `{"losses": …}` wrapper the
/// server adds), read by a reconciliation of March–May 2022. The expected
/// values are the file's own, read with `python3 -c 'import json; …'`.
#[test]
fn real_recorded_items_are_read_as_recorded() {
    let Some(dir) = recorded() else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder");
        return;
    };
    let body = std::fs::read(dir.join("warspotting/atlas_data_json_first12.json")).unwrap();
    let items: Vec<Value> = serde_json::from_slice(&body).unwrap();
    let upstream: Shared = Arc::default();
    upstream.lock().unwrap().items = items.iter().map(|i| (i["id"].as_u64().unwrap(), i.clone())).collect();
    let base = replay(upstream.clone());
    let mut store = SqliteStore::open_in_memory().unwrap();
    let from = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2022, 5, 31).unwrap();
    let r = warspotting::sync(
        &mut store,
        config(&base),
        Mode::Reconcile { from, to },
        Guardrails::default(),
    )
    .unwrap();
    assert_eq!((r.new_records, r.requests), (12, 92), "{r:?}");
    let got = stored(&store);
    let keys: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(keys, ["1", "10", "11", "13", "15", "17", "2", "20", "3", "5", "6", "8"]);
    let by_status = |s: frontline_model::LossStatus| got.values().filter(|i| i.status == s).count();
    use frontline_model::LossStatus::*;
    assert_eq!(
        (by_status(Destroyed), by_status(Damaged), by_status(Captured)),
        (9, 2, 1)
    );
    let first = &got["1"];
    assert_eq!(
        (first.side.as_str(), first.category.as_str(), first.model.as_str()),
        ("russia", "tanks", "T-64BV")
    );
    assert_eq!(first.dates.event, NaiveDate::from_ymd_opt(2022, 3, 14));
    assert_eq!(first.location.map(|l| (l.lat, l.lon)), Some((49.027241, 38.343374)));
    assert_eq!(got["20"].location, None, "`geo: null` is no location");
    assert_eq!(got["13"].model, "T-64A");
    assert!(
        got.values().all(|i| i.dates.published.is_none()),
        "found on day pages: published unknown"
    );
}

/// `reparse`: every kept page read again; an item whose stored version went
/// wrong is rebuilt, keeping the published date it had.
#[test]
fn reparse_rebuilds_items_from_the_kept_pages() {
    use frontline_sync::reparse::reparse;
    use frontline_sync::schedule::Source;
    let (_, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    let mut wrong = stored(&store)["250"].clone();
    assert_eq!(wrong.dates.published, Some(day(0)));
    wrong.model = "T-72B3 (misread)".into();
    common::import_buggy(&mut store, wrong);
    let r = reparse(&mut store, Source::WARSPOTTING.0, Guardrails::default()).unwrap();
    // /recent/ and the six pages of the four days with items (one of two).
    assert_eq!((r.bodies, r.added, r.updated), (7, 0, 1), "{r:?}");
    let fixed = &stored(&store)["250"];
    assert_eq!((fixed.model.as_str(), fixed.dates.published), ("T-72B3", Some(day(0))));
}

/// A reconciliation by id range: the days its stored items are about are
/// read again; those no page lists are retired, a mass deletion held.
#[test]
fn an_id_range_reconciliation_finds_deleted_items() {
    let (upstream, base, mut store) = setup();
    warspotting::sync(&mut store, config(&base), update(Some(day(6))), Guardrails::default()).unwrap();
    // Ids 121..=160 are spread over days 1–4; two of them go upstream.
    upstream.lock().unwrap().items.retain(|id, _| *id != 125 && *id != 150);
    let ids = Mode::ReconcileIds { from: 121, to: 160 };
    let r = warspotting::sync(&mut store, config(&base), ids, Guardrails::default()).unwrap();
    assert!(
        r.message.starts_with("reconciled ids 121..160") && r.message.ends_with("2 retired"),
        "{r:?}"
    );
    assert_eq!(r.requests, 4, "one page for each of the four days: {r:?}");
    let items = stored(&store);
    assert!(!items.contains_key("125") && !items.contains_key("150") && items.contains_key("126"));
    // Twelve of the remaining 38 gone: held; accepted, applied.
    upstream.lock().unwrap().items.retain(|id, _| !(130..142).contains(id));
    let r = warspotting::sync(&mut store, config(&base), ids, Guardrails::default()).unwrap();
    assert!(
        r.message.contains("12 of the 38 stored items of ids 121..160 are gone"),
        "{r:?}"
    );
    assert_eq!(stored(&store).len(), 248);
    let rev = frontline_sync::review::list(&store).unwrap();
    frontline_sync::review::accept(&mut store, rev[0].id, "checked on the site").unwrap();
    assert_eq!(stored(&store).len(), 236);
    // No stored item in the range: said, not guessed.
    let none = Mode::ReconcileIds { from: 9000, to: 9100 };
    let e = warspotting::sync(&mut store, config(&base), none, Guardrails::default()).unwrap_err();
    assert!(
        format!("{e:#}").contains("no stored item with an id in that range"),
        "{e:#}"
    );
}
