//! `sync deepstate` against a local replay server that answers as
//! DeepStateMap does (list + per-snapshot GeoJSON, ETags), with faults
//! injected: a rate limit with `Retry-After`, a server error, a key the
//! source requires, a list whose format changed, an empty map, and the
//! Ukrainian-only names of 2022. No test touches the internet.

mod common;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::config;
use frontline_model::class::ErrorClass;
use frontline_store::{SqliteStore, Store};
use frontline_sync::{SyncError, deepstate, fetch};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the replay server holds and how it misbehaves.
#[derive(Default)]
struct Upstream {
    snapshots: BTreeMap<i64, Vec<u8>>,
    /// Answers to give instead of the real one, next first: (status,
    /// Retry-After seconds).
    faults: VecDeque<(u16, Option<u64>)>,
    /// A header every request must carry, else 401.
    key: Option<(String, String)>,
    /// A list body to send instead of the real one.
    list_override: Option<Vec<u8>>,
    /// (path, User-Agent, If-None-Match) of every request.
    seen: Vec<(String, String, Option<String>)>,
    /// The daily mirror's files by name, and whether each request to it
    /// carried the source's key header.
    mirror: BTreeMap<String, Vec<u8>>,
    mirror_saw_key: Vec<bool>,
}

type Shared = Arc<Mutex<Upstream>>;

fn list_body(u: &Upstream) -> Vec<u8> {
    if let Some(b) = &u.list_override {
        return b.clone();
    }
    let items: Vec<serde_json::Value> = u
        .snapshots
        .keys()
        .rev()
        .map(|id| serde_json::json!({"id": id, "datetime": "x", "status": true}))
        .collect();
    serde_json::to_vec(&items).unwrap()
}

/// Logs the request and answers a fault or the key check, if one applies.
fn gate(u: &mut Upstream, path: String, headers: &HeaderMap) -> Option<Response> {
    let h = |n: header::HeaderName| headers.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    u.seen.push((
        path.clone(),
        h(header::USER_AGENT).unwrap_or_default(),
        h(header::IF_NONE_MATCH),
    ));
    if let Some((status, retry)) = u.faults.pop_front() {
        let mut r = (StatusCode::from_u16(status).unwrap(), "fault").into_response();
        if status == 301 {
            // As WarSpotting answers a path without its trailing slash.
            r.headers_mut()
                .insert(header::LOCATION, format!("{path}/").parse().unwrap());
        }
        if let Some(s) = retry {
            r.headers_mut()
                .insert(header::RETRY_AFTER, s.to_string().parse().unwrap());
        }
        return Some(r);
    }
    if let Some((name, value)) = &u.key {
        if headers.get(name.as_str()).and_then(|v| v.to_str().ok()) != Some(value.as_str()) {
            return Some((StatusCode::UNAUTHORIZED, "key required").into_response());
        }
    }
    None
}

async fn list(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let mut u = s.lock().unwrap();
    if let Some(r) = gate(&mut u, "/api/history/public".into(), &headers) {
        return r;
    }
    let body = list_body(&u);
    let etag = format!("\"{}\"", &frontline_ingest::sha256_hex(&body)[..16]);
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (StatusCode::OK, [(header::ETAG, etag)], body).into_response()
}

async fn snapshot(State(s): State<Shared>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let mut u = s.lock().unwrap();
    if let Some(r) = gate(&mut u, format!("/api/history/{id}/geojson"), &headers) {
        return r;
    }
    match u.snapshots.get(&id) {
        Some(b) => (StatusCode::OK, b.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The daily mirror (no key: it is a public repository).
async fn mirror_file(State(s): State<Shared>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    let mut u = s.lock().unwrap();
    let key = u.key.as_ref().map(|(k, _)| k.clone());
    let saw = key.is_some_and(|k| headers.contains_key(k.as_str()));
    u.mirror_saw_key.push(saw);
    match u.mirror.get(&name) {
        Some(b) => (StatusCode::OK, b.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts the replay server; returns its base URL.
fn replay(upstream: Shared) -> String {
    let app = Router::new()
        .route("/api/history/public", get(list))
        .route("/api/history/{id}/geojson", get(snapshot))
        .route("/data/{name}", get(mirror_file))
        .with_state(upstream);
    common::serve(app)
}

/// A DeepState-shaped map: one occupied square of `size` degrees near
/// Donetsk, named as DeepState names it since 2024 (or in 2022's way).
fn map(size: f64, ukrainian_only: bool) -> Vec<u8> {
    let name = if ukrainian_only {
        "Окуповано"
    } else {
        "Окуповано /// Occupied\u{a0}/// geoJSON.status.occupied"
    };
    let (x, y) = (37.5, 48.0);
    serde_json::to_vec(&serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [[[x, y, 0], [x + size, y, 0], [x + size, y + size, 0], [x, y + size, 0], [x, y, 0]]]}
    }]}))
    .unwrap()
}

fn setup(snapshots: &[(i64, Vec<u8>)]) -> (Shared, String, SqliteStore) {
    let upstream: Shared = Arc::default();
    upstream.lock().unwrap().snapshots = snapshots.iter().cloned().collect();
    let base = replay(upstream.clone());
    (upstream, base, SqliteStore::open_in_memory().unwrap())
}

const T1: i64 = 1_722_544_807; // 2024-08-01
const T2: i64 = 1_722_631_168;
const T3: i64 = 1_722_718_316;

fn occupied_areas(store: &SqliteStore) -> Vec<f64> {
    occupied_areas_of(store, None)
}

/// Occupied areas per snapshot, oldest first, of one mapper or all.
fn occupied_areas_of(store: &SqliteStore, mapper: Option<&str>) -> Vec<f64> {
    store
        .snapshot_areas(frontline_store::AreaFilter::new(
            mapper.map(frontline_model::Mapper::new).as_ref(),
            frontline_model::ControlStatus::Occupied,
        ))
        .unwrap()
        .into_iter()
        .map(|(_, a)| a.unwrap_or(0.0))
        .collect()
}

#[test]
fn syncs_new_snapshots_keeps_their_bytes_and_then_asks_once() {
    let (upstream, base, mut store) = setup(&[(T1, map(0.1, false)), (T2, map(0.2, false))]);
    let r = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!((r.new_records, r.requests), (2, 3), "{r:?}");
    assert_eq!(occupied_areas(&store).len(), 2);
    // Every stored snapshot traces to the exact bytes fetched.
    for src in store.sources().unwrap() {
        let body = fetch::kept(&store, &src.sha256).unwrap();
        let id: i64 = src.location.trim_end_matches(".geojson").parse().unwrap();
        assert_eq!(body, upstream.lock().unwrap().snapshots[&id]);
    }
    // Nothing new: one conditional request, answered 304, nothing imported.
    let again = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!((again.new_records, again.requests), (0, 1), "{again:?}");
    let seen = upstream.lock().unwrap().seen.clone();
    let last = seen.last().unwrap();
    assert!(last.2.is_some(), "the second list request is conditional: {last:?}");
    assert!(seen.iter().all(|(_, ua, _)| ua.starts_with("frontline/")), "{seen:?}");
    // A new snapshot upstream: the next run takes just that one.
    upstream.lock().unwrap().snapshots.insert(T3, map(0.3, false));
    let third = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!((third.new_records, third.requests), (1, 2), "{third:?}");
    assert_eq!(occupied_areas(&store).len(), 3);
    // Fresh the day the newest map was published, stale two days later.
    let newest = chrono::DateTime::from_timestamp(T3, 0).unwrap();
    let health = frontline_sync::health::all(&store, newest + chrono::Duration::hours(1)).unwrap();
    assert_eq!(health[0].status, "OK", "{health:?}");
    let health = frontline_sync::health::all(&store, newest + chrono::Duration::hours(48)).unwrap();
    assert_eq!(health[0].status, "STALE", "{health:?}");
}

#[test]
fn max_bounds_a_run_and_the_next_goes_on() {
    let (_, base, mut store) = setup(&[(T1, map(0.1, false)), (T2, map(0.2, false)), (T3, map(0.3, false))]);
    let first = deepstate::sync(&mut store, config(&base), Some(2), Default::default()).unwrap();
    assert_eq!(first.new_records, 2);
    let rest = deepstate::sync(&mut store, config(&base), Some(2), Default::default()).unwrap();
    assert_eq!(rest.new_records, 1);
    let areas = occupied_areas(&store);
    assert!(
        areas[0] < areas[1] && areas[1] < areas[2],
        "oldest first, none twice: {areas:?}"
    );
}

#[test]
fn rate_limits_and_server_errors_are_retried() {
    let (upstream, base, mut store) = setup(&[(T1, map(0.1, false))]);
    upstream.lock().unwrap().faults = VecDeque::from([(429, Some(1)), (500, None)]);
    let started = std::time::Instant::now();
    let r = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(
        (r.new_records, r.requests),
        (1, 4),
        "429, 500, then list and snapshot: {r:?}"
    );
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was obeyed");
}

#[test]
fn a_key_the_source_requires_is_sent_and_its_absence_explained() {
    let (upstream, base, mut store) = setup(&[(T1, map(0.1, false))]);
    upstream.lock().unwrap().key = Some(("X-Api-Key".into(), "k1".into()));
    let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("HTTP 401") && msg.contains("--header"), "{msg}");
    assert_eq!(frontline_app::error::classify(&err), ErrorClass::BadRequest);
    let h = frontline_sync::health::all(&store, chrono::Utc::now()).unwrap();
    assert_eq!(h[0].status, "FAILING");
    assert!(h[0].reason.contains("HTTP 401"), "{h:?}");
    let mut with_key = config(&base);
    with_key.headers.push(("X-Api-Key".into(), "k1".into()));
    assert_eq!(
        deepstate::sync(&mut store, with_key, None, Default::default())
            .unwrap()
            .new_records,
        1
    );
}

#[test]
fn a_changed_list_format_imports_nothing_and_says_so() {
    let (upstream, base, mut store) = setup(&[(T1, map(0.1, false))]);
    for (body, want) in [
        (br#"{"error":"moved"}"#.to_vec(), "not a JSON array"),
        (br#"[{"uuid":"a"}]"#.to_vec(), "entry 1 has no `id`"),
        (b"[{\"id\":17".to_vec(), "not JSON"),
        (b"[]".to_vec(), "an empty list"),
    ] {
        upstream.lock().unwrap().list_override = Some(body);
        let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains(want) && msg.contains("nothing imported"), "{msg}");
        assert!(matches!(
            err.downcast_ref::<SyncError>(),
            Some(SyncError::Protocol { .. })
        ));
        assert_eq!(frontline_app::error::classify(&err), ErrorClass::Conflict);
    }
    assert!(store.sources().unwrap().is_empty());
}

/// #21: one bad map in the middle of the list is held with its bytes and
/// reason, and the maps after it are imported; it is not fetched again;
/// rejecting it (or failing to accept it) leaves the figures of a clean
/// import of the good maps.
#[test]
fn an_empty_map_in_the_middle_is_held_and_the_rest_imported() {
    let empty = br#"{"type":"FeatureCollection","features":[]}"#.to_vec();
    let (_, base, mut store) = setup(&[(T1, map(0.1, false)), (T2, empty.clone()), (T3, map(0.1001, false))]);
    let r = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(r.new_records, 2, "{}", r.message);
    assert_eq!(r.message, "2 new snapshots of 3 listed; 1 held for review (revision 1)");
    let snapshots = store.control_snapshots(None).unwrap();
    let taken: Vec<i64> = snapshots.iter().map(|s| s.taken_at.timestamp()).collect();
    assert_eq!(taken, [T1, T3], "the maps before and after the bad one");
    let rev = &store.revisions().unwrap()[0];
    assert_eq!(rev.reason, format!("snapshot {T2} refused"));
    assert!(
        rev.diff
            .contains(&format!("{base}/api/history/{T2}/geojson (snapshot {T2}): "))
            && rev.diff.contains("refusing an empty map")
            && !rev.diff.contains("/tmp"),
        "named by URL and snapshot, not a temp file: {}",
        rev.diff
    );
    assert_eq!(
        rev.files,
        [(format!("{T2}.geojson"), frontline_ingest::sha256_hex(&empty))]
    );
    assert_eq!(
        fetch::kept(&store, &frontline_ingest::sha256_hex(&empty)).unwrap(),
        empty,
        "its bytes kept"
    );
    let h = frontline_sync::health::all(&store, chrono::Utc::now()).unwrap();
    assert_eq!(h[0].status, "REVIEW");
    // The next run asks for the list only: the held map is not fetched.
    let again = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!((again.requests, again.new_records), (1, 0), "{}", again.message);
    assert_eq!(store.revisions().unwrap().len(), 1);
    // Accepting it fails cleanly (it is still empty) and changes nothing;
    // rejecting it clears the review.
    let before = occupied_areas(&store);
    assert!(frontline_sync::review::accept(&mut store, 1, "looks fine").is_err());
    assert_eq!(occupied_areas(&store), before);
    frontline_sync::review::reject(&mut store, 1, "an empty map").unwrap();
    let h = frontline_sync::health::all(&store, chrono::Utc::now()).unwrap();
    // The fixture's maps are of 2024, so the source reads stale, no longer
    // held for review.
    assert_eq!(h[0].status, "STALE", "{}", h[0].reason);
    // The same figures as a clean import of the good maps.
    let (_, clean_base, mut clean) = setup(&[(T1, map(0.1, false)), (T3, map(0.1001, false))]);
    deepstate::sync(&mut clean, config(&clean_base), None, Default::default()).unwrap();
    assert_eq!(occupied_areas(&store), occupied_areas(&clean));
}

#[test]
fn all_three_name_formats_are_read() {
    // 2022-04: Ukrainian only; 2022-05 to 2024-03: "uk /// en"; since:
    // "uk /// en /// geoJSON.<code>" (map(…, false)).
    let middle = String::from_utf8(map(0.1, false)).unwrap().replace(
        "Окуповано /// Occupied\u{a0}/// geoJSON.status.occupied",
        "Окуповано /// Occupied",
    );
    assert!(middle.contains("\"Окуповано /// Occupied\""), "{middle}");
    let (_, base, mut store) = setup(&[(T1, map(0.1, true)), (T2, middle.into_bytes()), (T3, map(0.1, false))]);
    let r = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(r.new_records, 3);
    let areas = occupied_areas(&store);
    assert!(
        areas.iter().all(|a| (a - areas[0]).abs() < 1e-9 && *a > 80.0),
        "{areas:?}"
    );
}

#[test]
fn an_unreachable_source_is_retried_then_reported() {
    // A port nothing listens on.
    let base = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let mut store = SqliteStore::open_in_memory().unwrap();
    let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
    gave_up_after_retries(&store, &err);
}

/// A run that got no answer: unavailable, saying so, after one try and
/// three retries.
fn gave_up_after_retries(store: &SqliteStore, err: &anyhow::Error) {
    assert_eq!(frontline_app::error::classify(err), ErrorClass::Unavailable, "{err:#}");
    assert!(format!("{err:#}").contains("no answer"), "{err:#}");
    assert_eq!(
        store.sync_runs(None).unwrap()[0].requests,
        4,
        "one try and three retries"
    );
}

#[test]
fn a_map_that_loses_most_of_an_area_is_held_until_accepted() {
    let (upstream, base, mut store) = setup(&[(T1, map(1.0, false))]);
    deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    // Upstream publishes a half-drawn map: the occupied area falls by 90 %.
    upstream.lock().unwrap().snapshots.insert(T2, map(0.3, false));
    let held = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(held.new_records, 0);
    assert_eq!(
        held.message,
        "0 new snapshots of 2 listed; 1 held for review (revision 1)"
    );
    assert_eq!(occupied_areas(&store).len(), 1, "not applied");
    let r = &store.revisions().unwrap()[0];
    assert!(r.diff.starts_with("occupied 2024-08-02T20:39:28+00:00: "), "{}", r.diff);
    assert!(r.diff.ends_with("(-90.9 %)"), "{}", r.diff);
    let h = frontline_sync::health::all(&store, chrono::Utc::now()).unwrap();
    assert_eq!(h[0].status, "REVIEW");
    // Held maps are not fetched again; a person decides.
    let again = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(again.requests, 1, "the list only: the held map is not fetched again");
    assert_eq!(again.message, "0 new snapshots of 2 listed");
    assert_eq!(store.revisions().unwrap().len(), 1, "held once");
    assert_eq!(
        frontline_sync::review::accept(&mut store, 1, "a real retreat").unwrap(),
        1
    );
    assert_eq!(occupied_areas(&store).len(), 2, "applied from the kept bytes");
}

/// #21: a glitch (most of the area gone) then the usual map: the glitch is
/// held, the next map is judged against the last accepted one and imported.
#[test]
fn a_glitch_is_held_and_the_map_after_it_imported() {
    let (upstream, base, mut store) = setup(&[(T1, map(1.0, false))]);
    deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    upstream.lock().unwrap().snapshots.insert(T2, map(0.3, false));
    upstream.lock().unwrap().snapshots.insert(T3, map(1.001, false));
    let r = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    assert_eq!(r.message, "1 new snapshots of 3 listed; 1 held for review (revision 1)");
    assert_eq!(occupied_areas(&store).len(), 2);
    assert_eq!(store.revisions().unwrap()[0].files[0].0, format!("{T2}.geojson"));
}

#[test]
fn a_redirect_and_a_refused_client_are_explained() {
    let (upstream, base, mut store) = setup(&[(T1, map(0.1, false))]);
    upstream.lock().unwrap().faults = VecDeque::from([(301, None)]);
    let err = format!(
        "{:#}",
        deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err()
    );
    assert!(
        err.contains("HTTP 301") && err.contains("redirects to /api/history/public/") && err.contains("trailing slash"),
        "{err}"
    );
    // 520 (what WarSpotting answers a client without a User-Agent) is
    // retried like any 5xx, then explained.
    upstream.lock().unwrap().faults = VecDeque::from([(520, None); 4]);
    let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
    assert_eq!(frontline_app::error::classify(&err), ErrorClass::Unavailable);
    assert!(
        format!("{err:#}").contains("HTTP 520: the source refused the client"),
        "{err:#}"
    );
    assert_eq!(store.sync_runs(None).unwrap().last().unwrap().requests, 4);
}

/// The server's schedule runs each source on its own interval, one run at
/// a time: DeepState every 300 ms and the tallies every hour, watched for
/// 1.4 s, make about five DeepState runs and one tallies run.
#[test]
fn the_schedule_runs_each_source_on_its_own_interval() {
    use frontline_sync::schedule::{Plan, Source, start};
    let (upstream, base, _) = setup(&[(T1, map(0.1, false))]);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db").display().to_string();
    SqliteStore::open(std::path::Path::new(&db)).unwrap();
    start(Plan {
        db: db.clone(),
        sources: vec![
            (Source::DEEPSTATE, config(&base), Duration::from_millis(300)),
            // Answered 404 by this server: a failed run, recorded.
            (Source::TALLIES, config(&base), Duration::from_secs(3600)),
        ],
        rails: Default::default(),
    });
    std::thread::sleep(Duration::from_millis(1400));
    let store = SqliteStore::open(std::path::Path::new(&db)).unwrap();
    // A run that imports leaves a record of what it fetched first
    // ("…; importing"), then its own.
    let runs: Vec<_> = store
        .sync_runs(None)
        .unwrap()
        .into_iter()
        .filter(|r| !r.message.ends_with("; importing"))
        .collect();
    let deepstate: Vec<_> = runs.iter().filter(|r| r.source == "deepstate").collect();
    let tallies = runs.iter().filter(|r| r.source == "tallies").count();
    assert!((3..=6).contains(&deepstate.len()), "{runs:?}");
    assert_eq!(tallies, 1, "{runs:?}");
    assert_eq!(deepstate[0].new_records, 1);
    // Never two at once: each run ends before the next begins.
    let mut spans: Vec<_> = runs.iter().map(|r| (r.started_at, r.finished_at)).collect();
    spans.sort();
    assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "{spans:?}");
    let lists = upstream
        .lock()
        .unwrap()
        .seen
        .iter()
        .filter(|s| s.0 == "/api/history/public")
        .count();
    assert_eq!(lists, deepstate.len());
}

/// `reparse`: each kept snapshot read again, as a source of its own that
/// names the same bytes; the maps and their areas are unchanged.
#[test]
fn reparse_reads_the_kept_snapshots_again() {
    use frontline_sync::reparse::reparse;
    use frontline_sync::schedule::Source;
    let (_, base, mut store) = setup(&[(T1, map(0.1, false)), (T2, map(0.2, false))]);
    deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap();
    let before = occupied_areas(&store);
    let r = reparse(&mut store, Source::DEEPSTATE.0, Default::default()).unwrap();
    assert_eq!((r.bodies, r.added), (2, 2), "{r:?}");
    assert_eq!(occupied_areas(&store), before);
    let sources = store.sources().unwrap();
    let reparsed: Vec<_> = sources.iter().filter(|s| s.location.contains("(reparse ")).collect();
    assert_eq!(reparsed.len(), 2);
    for s in reparsed {
        let first = sources.iter().find(|o| o.sha256 == s.bytes_sha256).unwrap();
        assert!(
            s.location.starts_with(&first.location),
            "{} / {}",
            s.location,
            first.location
        );
    }
}

/// The list refuses (the key changed): with a mirror set, the mirror's
/// daily occupied-area maps since the last stored map are imported as
/// `deepstate-mirror`, the key never sent to it; without one, the error
/// says how to set it.
#[test]
fn a_refused_list_falls_back_to_the_daily_mirror() {
    let (upstream, base, mut store) = setup(&[]);
    let today = chrono::Utc::now().date_naive();
    let name = |back: i64| {
        format!(
            "deepstatemap_data_{}.geojson",
            (today - chrono::Duration::days(back)).format("%Y%m%d")
        )
    };
    {
        let mut u = upstream.lock().unwrap();
        u.key = Some(("X-Api-Key".into(), "new-key".into()));
        // Generic GeoJSON as the mirror keeps it: no status property.
        let square = |size: f64| {
            let (x, y) = (37.5, 48.0);
            serde_json::to_vec(&serde_json::json!({"type": "FeatureCollection", "features": [{
                "type": "Feature", "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [[[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]]}
            }]}))
            .unwrap()
        };
        u.mirror.insert(name(2), square(1.0));
        u.mirror.insert(name(1), square(1.01));
    }
    let mut c = config(&base);
    c.headers.push(("X-Api-Key".into(), "old-key".into()));
    let err = deepstate::sync(&mut store, c.clone(), None, Default::default()).unwrap_err();
    assert!(
        format!("{err:#}").contains("HTTP 401") && format!("{err:#}").contains("--mirror"),
        "{err:#}"
    );
    c.mirror = Some(base.clone());
    let r = deepstate::sync(&mut store, c.clone(), None, Default::default()).unwrap();
    assert_eq!(r.new_records, 2, "{r:?}");
    assert!(
        r.message
            .contains("fell back to the daily mirror: 2 daily maps imported as `deepstate-mirror`"),
        "{r:?}"
    );
    // A first fallback reads the last seven days; the mirror lacks five.
    assert!(
        r.message.ends_with(&format!(", {today}")) && r.message.contains("not on the mirror: "),
        "{r:?}"
    );
    let areas = occupied_areas_of(&store, Some("deepstate-mirror"));
    // A 1° square at 48° N is about 8,280 km²; the second 2 % larger.
    assert_eq!(areas.len(), 2);
    assert!((8_000.0..8_600.0).contains(&areas[0]), "{areas:?}");
    assert!((areas[1] / areas[0] - 1.0201).abs() < 0.002, "{areas:?}");
    assert!(
        occupied_areas_of(&store, Some("deepstate")).is_empty(),
        "DeepState's own maps are not faked"
    );
    let u = upstream.lock().unwrap();
    assert!(
        !u.mirror_saw_key.is_empty() && u.mirror_saw_key.iter().all(|k| !k),
        "the key stays with DeepState"
    );
    drop(u);
    // The next run asks only for the days after the last mirror map.
    let r = deepstate::sync(&mut store, c, None, Default::default()).unwrap();
    assert_eq!(r.new_records, 0, "{r:?}");
    assert_eq!(upstream.lock().unwrap().mirror_saw_key.len(), 7 + 1, "{r:?}");
}

/// A raw server that answers every connection with `reply` (bytes as sent,
/// then the connection closed), after `delay`.
fn raw(reply: &'static [u8], delay: Duration) -> String {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut c) = conn else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let _ = c.read(&mut buf);
                std::thread::sleep(delay);
                let _ = c.write_all(reply);
            });
        }
    });
    base
}

#[test]
fn a_timeout_is_retried_then_reported() {
    let base = raw(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
        Duration::from_secs(5),
    );
    let mut c = config(&base);
    c.timeout = Duration::from_millis(300);
    let mut store = SqliteStore::open_in_memory().unwrap();
    let err = deepstate::sync(&mut store, c, None, Default::default()).unwrap_err();
    gave_up_after_retries(&store, &err);
}

#[test]
fn a_truncated_body_imports_nothing() {
    // Fewer bytes than announced, then the connection closes.
    let base = raw(
        b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n[{\"id\": 17225",
        Duration::ZERO,
    );
    let mut store = SqliteStore::open_in_memory().unwrap();
    let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
    assert!(format!("{err:#}").contains("reading the body"), "{err:#}");
    // Cut without a length: the body ends early, and is no list.
    let base = raw(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n[{\"id\": 17225",
        Duration::ZERO,
    );
    let err = deepstate::sync(&mut store, config(&base), None, Default::default()).unwrap_err();
    assert!(format!("{err:#}").contains("not JSON"), "{err:#}");
    assert_eq!(frontline_app::error::classify(&err), ErrorClass::Conflict);
    assert!(store.control_snapshots(None).unwrap().is_empty());
    assert!(store.sync_runs(None).unwrap().iter().all(|r| !r.ok));
}
