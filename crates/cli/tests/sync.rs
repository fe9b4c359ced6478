//! `frontline sync deepstate` end to end, against a folder laid out as
//! DeepStateMap's API and served over loopback: the three recorded API
//! bodies of `$FRONTLINE_DATA/recorded-responses/deepstate` (one per name
//! format), then `sources health`.
//!
//! Areas derived independently (shapely + pyproj, same rules) by
//! `scripts/derive/territory_figures.py $FRONTLINE_DATA` (its last lines):
//!
//! | snapshot | occupied km² | liberated km² | contested km² |
//! | --- | --- | --- | --- |
//! | 1648989208 (2022-04-03, Ukrainian names) | 106,535.821 | 13,773.703 | 6,124.450 |
//! | 1711228520 (2024-03-23, first `/// geoJSON.` keys) | 108,761.101 | 43,321.003 | 584.438 |
//! | 1754251105 (2025-08-03) | 114,329.233 | 41,851.580 | 1,044.774 |

use serde_json::Value;
use std::path::Path;

mod common;
#[allow(dead_code)] // its client configuration is the sync crate's tests'
#[path = "../../sync/tests/common/mod.rs"]
mod replay;

/// Serves `dir` over loopback; returns the base URL.
fn serve(dir: &Path) -> String {
    replay::serve(axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dir)))
}

/// Lays out `bodies` (id, bytes) as `/api/history/public` and
/// `/api/history/{id}/geojson`.
fn api(root: &Path, bodies: &[(i64, Vec<u8>)]) {
    let history = root.join("api/history");
    std::fs::create_dir_all(&history).unwrap();
    let list: Vec<Value> = bodies.iter().map(|(id, _)| serde_json::json!({"id": id})).collect();
    std::fs::write(history.join("public"), serde_json::to_vec(&list).unwrap()).unwrap();
    for (id, body) in bodies {
        std::fs::create_dir_all(history.join(id.to_string())).unwrap();
        std::fs::write(history.join(id.to_string()).join("geojson"), body).unwrap();
    }
}

fn area(env: &common::Env, status: &str, day: &str) -> f64 {
    let rows = env.json(&["territory", "area", "--status", status, "--from", day, "--to", day]);
    rows[0]["area_km2"].as_f64().unwrap()
}

#[test]
fn syncs_the_recorded_deepstate_bodies_of_all_three_name_formats() {
    let Some(data) = common::shared_data("recorded-responses") else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder to run the real-data test");
        return;
    };
    let env = common::Env::new();
    let root = env.dir.path().join("upstream");
    let ids = [1_648_989_208_i64, 1_711_228_520, 1_754_251_105];
    let bodies: Vec<(i64, Vec<u8>)> = ids
        .iter()
        .map(|id| {
            let f = data.join(format!("recorded-responses/deepstate/history_{id}_geojson.json"));
            (*id, std::fs::read(f).unwrap())
        })
        .collect();
    api(&root, &bodies);
    let base = serve(&root);
    let report = env.json(&["sync", "deepstate", "--base-url", &base, "--interval-ms", "0"]);
    // Two years lie between the first two maps: the liberated area triples,
    // past the guardrails. Each map is judged alone (#21): the first is the
    // baseline and imported; the second, and the third (judged against the
    // first, the last accepted), are each held for a person.
    assert_eq!(
        (report[0]["new_records"].as_u64(), report[0]["requests"].as_u64()),
        (Some(1), Some(4)),
        "{report}"
    );
    assert_eq!(
        report[0]["message"],
        "1 new snapshots of 3 listed; 2 held for review (revision 1, 2)"
    );
    let shown = env.ok(&["review", "show", "1"]);
    assert!(
        shown.contains("  liberated 2024-03-23T21:15:20+00:00: 13773.7 → 43321.0 km² (+214.5 %)"),
        "{shown}"
    );
    assert_eq!(env.json(&["sources"]).as_array().unwrap().len(), 1, "the baseline only");
    env.ok(&["review", "accept", "1", "--why", "two years apart"]);
    env.ok(&["review", "accept", "2", "--why", "a year apart"]);
    for (day, want) in [
        ("2022-04-03", [106_535.821, 13_773.703, 6_124.450]),
        ("2024-03-23", [108_761.101, 43_321.003, 584.438]),
        ("2025-08-03", [114_329.233, 41_851.580, 1_044.774]),
    ] {
        for (status, km2) in ["occupied", "liberated", "contested"].iter().zip(want) {
            let got = area(&env, status, day);
            assert!((got - km2).abs() < 0.002, "{status} on {day}: {got} vs {km2}");
        }
    }
    // Each source is named by its snapshot, and its bytes are those served.
    let sources = env.json(&["sources"]);
    let names: Vec<&str> = common::strs(&sources, "/location");
    assert_eq!(
        names,
        ["1648989208.geojson", "1711228520.geojson", "1754251105.geojson"]
    );

    let again = env.json(&["sync", "deepstate", "--base-url", &base, "--interval-ms", "0"]);
    assert_eq!(
        (again[0]["new_records"].as_u64(), again[0]["requests"].as_u64()),
        (Some(0), Some(1)),
        "nothing new: the list only"
    );
    let health = env.json(&["sources", "health"]);
    assert_eq!(health[0]["source"], "deepstate");
    assert_eq!(health[0]["status"], "STALE", "the newest map is from 2025: {health}");

    // The source now wants a key: the run fails, says how to fix it, and
    // health shows FAILING with that reason.
    std::fs::remove_dir_all(&root).unwrap();
    common::fails(
        &env.run(&["sync", "deepstate", "--base-url", &base, "--interval-ms", "0"]),
        1,
        "/api/history/public: HTTP 404: not found",
    );
    let health = env.json(&["sources", "health"]);
    assert_eq!(health[0]["status"], "FAILING", "{health}");
}

#[test]
fn a_bad_header_flag_is_a_usage_error() {
    let env = common::Env::new();
    let out = env.run(&[
        "sync",
        "deepstate",
        "--base-url",
        "http://127.0.0.1:9",
        "--header",
        "no colon",
    ]);
    common::fails(&out, 1, "--header `no colon`: want `NAME: VALUE`");
}

/// The tallies' three files served from a folder laid out as the dataset's
/// repository: imported once; then asked again conditionally (unchanged:
/// answered 304, nothing imported); then one file changes and only that
/// one adds figures.
#[test]
fn syncs_the_tally_files_and_asks_conditionally() {
    let env = common::Env::new();
    let root = env.dir.path().join("upstream");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    for f in [
        "russia_losses_personnel.json",
        "russia_losses_equipment.json",
        "russia_losses_equipment_correction.json",
    ] {
        std::fs::copy(bundled.join(f), data.join(f)).unwrap();
    }
    let base = serve(&root);
    let sync = || env.json(&["sync", "tallies", "--base-url", &base, "--interval-ms", "0"]);
    let first = sync();
    // Every figure of the three files (scripts/derive/tally_figures.py reads
    // the same files): 22,666 records.
    assert_eq!(
        (first[0]["new_records"].as_u64(), first[0]["requests"].as_u64()),
        (Some(22_666), Some(3)),
        "{first}"
    );
    // Stored under the names the source gave, never a folder of this
    // machine's (the bytes go to the importer as they came).
    let sources = env.json(&["sources"]);
    let mut names: Vec<&str> = common::strs(&sources, "/location");
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "russia_losses_equipment.json",
            "russia_losses_equipment_correction.json",
            "russia_losses_personnel.json"
        ]
    );
    let again = sync();
    assert_eq!(
        (again[0]["new_records"].as_u64(), again[0]["message"].as_str()),
        (Some(0), Some("no file changed")),
        "{again}"
    );
    // A new day upstream.
    let personnel = data.join("russia_losses_personnel.json");
    let mut days: Vec<Value> = serde_json::from_slice(&std::fs::read(&personnel).unwrap()).unwrap();
    let last = days.last().unwrap().clone();
    let date = chrono::NaiveDate::parse_from_str(last["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let mut next = last.clone();
    next["date"] = Value::from(date.succ_opt().unwrap().to_string());
    next["personnel"] = Value::from(last["personnel"].as_i64().unwrap() + 1000);
    days.push(next);
    // Later than the served copy's time, so If-Modified-Since sees it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&personnel, serde_json::to_vec_pretty(&days).unwrap()).unwrap();
    let third = sync();
    assert_eq!(third[0]["message"], "1 files changed, 1 figures added", "{third}");
    let series = env.json(&["series", "personnel", "--from", &date.to_string()]);
    assert_eq!(series.as_array().unwrap().last().unwrap()["value"], 1000, "{series}");
    // The new day's figure traces to the exact bytes served.
    let next_day = date.succ_opt().unwrap().to_string();
    let fig = env.json(&["figure", "personnel", "--date", &next_day]);
    assert_eq!(
        (fig[0]["current"].as_bool(), fig.as_array().unwrap().len()),
        (Some(true), 1),
        "{fig}"
    );
    let sha = fig[0]["source_sha256"].as_str().unwrap();
    let bytes = common::run_on(&env.db, &["bytes", sha]);
    assert_eq!(bytes.stdout, std::fs::read(&personnel).unwrap(), "figure → bytes");
    let health = env.json(&["sources", "health"]);
    assert_eq!(health[1]["source"], "tallies", "{health}");
    assert_eq!(
        health[1]["status"], "STALE",
        "the bundled figures end in 2026-08: {health}"
    );
    // Read again from the kept bytes (the latest of each file): the same
    // parser finds the same figures, and nothing is fetched.
    let r = env.json(&["reparse", "--source", "tallies"]);
    assert_eq!(
        (r[0]["bodies"].as_u64(), r[0]["added"].as_u64()),
        (Some(3), Some(0)),
        "{r}"
    );
    let series = env.json(&["series", "personnel", "--from", &date.to_string()]);
    assert_eq!(series.as_array().unwrap().last().unwrap()["value"], 1000, "{series}");

    // The equipment file comes back cut short while the personnel file
    // gains a day: the equipment files are held (with their corrections),
    // the personnel day is imported.
    let mut later = days.last().unwrap().clone();
    later["date"] = Value::from(date.succ_opt().unwrap().succ_opt().unwrap().to_string());
    later["personnel"] = Value::from(later["personnel"].as_i64().unwrap() + 900);
    days.push(later);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&personnel, serde_json::to_vec_pretty(&days).unwrap()).unwrap();
    let equipment = data.join("russia_losses_equipment.json");
    let whole = std::fs::read(&equipment).unwrap();
    std::fs::write(&equipment, &whole[..whole.len() / 2]).unwrap();
    let fourth = sync();
    let message = fourth[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 files changed, 1 figures added; held for review as revision 1: "),
        "{fourth}"
    );
    assert!(
        message.contains("russia_losses_equipment.json + russia_losses_equipment_correction.json: cannot be read"),
        "{fourth}"
    );
    assert!(
        !message.contains(&env.dir.path().display().to_string()),
        "no private path: {message}"
    );
    let series = env.json(&["series", "personnel", "--from", &date.to_string()]);
    assert_eq!(series.as_array().unwrap().last().unwrap()["value"], 900, "{series}");
    let health = env.json(&["sources", "health"]);
    assert_eq!(
        (health[1]["source"].as_str(), health[1]["status"].as_str()),
        (Some("tallies"), Some("REVIEW")),
        "{health}"
    );
    // Accepting the cut file fails and changes nothing; rejecting it
    // clears the review.
    let refused = common::run_on(&env.db, &["review", "accept", "1", "--why", "looks fine"]);
    assert!(!refused.status.success());
    env.ok(&["review", "reject", "1", "--why", "a truncated upload"]);
    let health = env.json(&["sources", "health"]);
    assert_eq!(health[1]["status"], "STALE", "{health}");
}

/// The bundled tallies laid out as the dataset's repository, served over
/// loopback; returns its base URL.
fn tallies_upstream(env: &common::Env) -> String {
    let root = env.dir.path().join("upstream");
    std::fs::create_dir_all(root.join("data")).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    for f in [
        "russia_losses_personnel.json",
        "russia_losses_equipment.json",
        "russia_losses_equipment_correction.json",
    ] {
        std::fs::copy(bundled.join(f), root.join("data").join(f)).unwrap();
    }
    serve(&root)
}

/// `serve --sync`: the server syncs by itself at start, and its health
/// endpoint shows it.
#[test]
fn the_server_syncs_on_its_own() {
    let env = common::Env::new();
    let source_url = format!("tallies={}", tallies_upstream(&env));
    server_syncs_tallies(
        &env,
        &["--sync", "--sync-sources", "tallies", "--sync-base-url", &source_url],
    );
}

/// The same, the schedule read from a configuration file.
#[test]
fn the_server_syncs_as_its_configuration_file_says() {
    let env = common::Env::new();
    let file = env.dir.path().join("sync.toml");
    std::fs::write(
        &file,
        format!(
            "[sources.tallies]\nbase_url = \"{}\"\nevery_mins = 360\n[guardrails]\nmax_rewritten_percent = 2\n",
            tallies_upstream(&env)
        ),
    )
    .unwrap();
    server_syncs_tallies(&env, &["--sync", "--sync-config", &file.display().to_string()]);
    // A typo is refused at start, naming it.
    std::fs::write(&file, "[sources.taliies]\n").unwrap();
    let out = common::frontline()
        .arg("--db")
        .arg(&env.db)
        .args(["serve", "--sync", "--sync-config"])
        .arg(&file)
        .output()
        .unwrap();
    common::fails(&out, 1, "unknown source `taliies`");
}

fn server_syncs_tallies(env: &common::Env, args: &[&str]) {
    use std::io::{Read, Write};
    let mut all = vec!["--web", "/nonexistent"];
    all.extend_from_slice(args);
    let server = common::serve(&env.db.display().to_string(), &all);
    let addr = server.addr.clone();
    let get = |path: &str| -> Value {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        serde_json::from_str(raw.split_once("\r\n\r\n").unwrap().1).unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let health = loop {
        let h = get("/api/v1/sources/health");
        let tallies = common::rows(&h)
            .iter()
            .find(|r| r["source"] == "tallies")
            .unwrap()
            .clone();
        if tallies["status"] != "NEVER" && tallies["status"] != "FAILING" {
            break tallies;
        }
        assert!(std::time::Instant::now() < deadline, "no sync within a minute: {h}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(
        health["status"], "STALE",
        "synced; the bundled figures end in 2026-08: {health}"
    );
    let categories = get("/api/v1/categories");
    assert!(
        common::rows(&categories).iter().any(|c| c["category"] == "personnel"),
        "{categories}"
    );
    let audit = env.ok(&["audit"]);
    assert!(
        audit.contains("server:schedule"),
        "the schedule's writes are audited as its own: {audit}"
    );
}

/// kill -9 at several moments of a run, then a run to the end: every
/// snapshot stored exactly once, and every stored one traceable to kept
/// bytes (#9: resumable without duplicates or gaps).
#[test]
fn a_killed_run_resumes_without_duplicates_or_gaps() {
    let env = common::Env::new();
    let root = env.dir.path().join("upstream");
    let bodies: Vec<(i64, Vec<u8>)> = (0..40)
        .map(|i| {
            let id = 1_722_544_807 + i * 86_400;
            // Squares growing by a sliver a day: no guardrail trips.
            let size = 0.5 + i as f64 * 0.001;
            let (x, y) = (37.5, 48.0);
            let map = serde_json::json!({"type": "FeatureCollection", "features": [{
                "type": "Feature", "properties": {"name": "Окуповано /// Occupied /// geoJSON.status.occupied"},
                "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}
            }]});
            (id, serde_json::to_vec(&map).unwrap())
        })
        .collect();
    api(&root, &bodies);
    let base = serve(&root);
    let args = ["sync", "deepstate", "--base-url", &base, "--interval-ms", "25"];
    for delay_ms in [60, 350, 800, 1150] {
        let mut child = common::frontline()
            .arg("--db")
            .arg(&env.db)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    // Some killed runs may have finished or committed; the last one takes
    // whatever is missing.
    let last = env.json(&args);
    assert!(
        last[0]["message"]
            .as_str()
            .unwrap()
            .ends_with("new snapshots of 40 listed"),
        "{last}"
    );
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM control_snapshot"), 40);
    assert_eq!(count("SELECT COUNT(DISTINCT taken_at) FROM control_snapshot"), 40);
    assert_eq!(
        count("SELECT COUNT(*) FROM source s WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = s.sha256)"),
        0,
        "every stored snapshot traces to kept bytes"
    );
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
}

/// `sync --all --config FILE`: every source in turn, each from the server
/// the file names; one failing does not stop the others, and the command
/// fails at the end naming the failures.
#[test]
fn sync_all_runs_every_source_and_names_the_failures() {
    let env = common::Env::new();
    let base = tallies_upstream(&env);
    let file = env.dir.path().join("sync.toml");
    // Only the tallies are there; the others answer 404.
    let text: String = ["deepstate", "tallies", "warspotting", "oryx"]
        .iter()
        .map(|s| format!("[sources.{s}]\nbase_url = \"{base}\"\ninterval_ms = 0\n"))
        .collect();
    // The event thresholds live in the same file (#24).
    std::fs::write(&file, format!("{text}[events]\narea_change_km2 = 10\n")).unwrap();
    let out = common::frontline()
        .arg("--db")
        .arg(&env.db)
        .args(["sync", "--all", "--format", "json", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let err = common::fails(&out, 1, "3 of the sources failed: deepstate, warspotting, oryx");
    assert!(err.contains("sync warspotting: ") && err.contains("HTTP 404"), "{err}");
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["source"], "tallies", "{reports}");
    assert!(reports[0]["new_records"].as_u64().unwrap() > 1000, "{reports}");
    // Several sources and one --base-url: refused, it names one server.
    let out = common::run_on(&env.db, &["sync", "tallies", "oryx", "--base-url", &base]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base-url names one source's server"));
    // #24: each source's health after the runs is an event: three failing,
    // the tallies stale (their newest figure is from 2025); running again
    // changes no status, so records nothing new.
    let health = || {
        let ev = env.json(&common::words("events --kind source-health"));
        let mut statuses: Vec<String> = common::rows(&ev)
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["subject"].as_str().unwrap(),
                    e["figures"]["status"].as_str().unwrap()
                )
            })
            .collect();
        statuses.sort();
        statuses
    };
    let first = health();
    assert_eq!(
        first,
        [
            "deepstate FAILING",
            "oryx FAILING",
            "tallies STALE",
            "warspotting FAILING"
        ]
    );
    common::run_on(&env.db, &["sync", "--all", "--config", file.to_str().unwrap()]);
    assert_eq!(health(), first);
    // A typo in the thresholds is refused, naming the key.
    std::fs::write(&file, "[events]\narea_chnge_km2 = 10\n").unwrap();
    let out = common::run_on(&env.db, &["sync", "--all", "--config", file.to_str().unwrap()]);
    let err = common::fails(&out, 1, "area_chnge_km2");
    assert!(err.contains("unknown field"), "{err}");
}
