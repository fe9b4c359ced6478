//! Events and their feeds (#24, docs/events.md), end to end on the bundled
//! General Staff tallies (`data/general-staff-tallies`, MIT).
//!
//! The record days are those `frontline records personnel --since
//! 2022-04-01` lists and the README quotes: 1,770 on 2024-11-11 beat 1,740,
//! and 1,950 on 2024-11-12 beat that, a streak of 2. The feeds are read by
//! Python's feedparser (scripts/check_feed.py), not by Frontline's code.

use serde_json::Value;
use std::path::Path;

mod common;

/// The bundled tally files.
fn bundled() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    common::files(&dir, common::TALLY_FILES)
}

fn import(env: &common::Env) {
    let files = bundled();
    let mut args = vec!["import", "tallies"];
    args.extend(files.iter().map(String::as_str));
    env.ok(&args);
}

#[test]
fn importing_the_bundled_tallies_records_their_record_days_once() {
    let env = common::Env::new();
    import(&env);
    let ev = env.json(&common::words(
        "events --kind record --category personnel --since 2024-11-11",
    ));
    assert_eq!(
        common::lines(&ev, &["date", "subject", "scope"])[2..],
        ["2024-11-12 personnel russia", "2024-11-11 personnel russia"],
        "{ev}"
    );
    assert_eq!(
        common::strs(&ev, "/id")[2..],
        [
            "record/ua-general-staff/russia/personnel/2024-11-12",
            "record/ua-general-staff/russia/personnel/2024-11-11"
        ]
    );
    let streak = &ev[2];
    assert_eq!(
        (
            &streak["figures"]["value"],
            &streak["figures"]["previous_record"],
            &streak["figures"]["streak"]
        ),
        (&Value::from(1950), &Value::from(1770), &Value::from(2)),
        "{streak}"
    );
    assert_eq!(
        streak["title"],
        "Record personnel: 1950 on 2024-11-12 (previous record 1770; 2 record days in a row)"
    );
    assert_eq!(streak["permalink"], "/#date=2024-11-12&category=personnel");
    assert_eq!(streak["sources"], serde_json::json!(["russia_losses_personnel.json"]));
    // In Ukrainian.
    let uk = env.json(&common::words(
        "events --kind record --category personnel --since 2024-11-12 --lang uk",
    ));
    let last = common::rows(&uk).last().cloned().unwrap_or_default();
    assert_eq!(
        last["title"],
        "Рекорд (personnel): 1950 за 2024-11-12 (попередній рекорд 1770; 2 рекордні дні поспіль)"
    );
    // The same files again, and a changed file that adds no record: no new
    // event, and the recorded ones keep their time.
    let all = env.json(&common::words("events --limit 1000"));
    import(&env);
    assert_eq!(env.json(&common::words("events --limit 1000")), all);
    // Bad filters name the parameter; a view of yesterday knows none.
    common::fails(
        &env.run(&common::words("events --kind coup")),
        1,
        "kind: unknown event kind `coup` (known: record, handover, area-change, disagreement, lag-shift, source-health, claim-verdict, subscription-paused)",
    );
    common::fails(
        &env.run(&common::words("events --limit 0")),
        1,
        "limit must be 1 to 1000, not 0",
    );
    common::fails(
        &env.run(&common::words("events --lang fr")),
        1,
        "lang: `fr` is not one of en, uk, ru",
    );
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    assert_eq!(env.json(&["events", "--as-of", &yesterday]), serde_json::json!([]));
}

/// Reads a feed with feedparser; `None` (having said so) where Python's
/// feedparser is not installed outside CI, which installs it (.ci/run).
fn parsed(bytes: &[u8]) -> Option<Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed");
    std::fs::write(&file, bytes).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check_feed.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !common::in_ci() && err.contains("No module named 'feedparser'"),
            "{err}"
        );
        eprintln!("skipped: pip install feedparser to read the feeds with an independent parser");
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_feeds_read_in_an_independent_parser_with_stable_ids() {
    let env = common::Env::new();
    import(&env);
    let server = common::serve(&env.db.display().to_string(), &[]);
    let fetch = |path: &str| {
        let (status, ctype, body) = common::http_get(&server.addr, path);
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        (ctype, body)
    };
    let path = "/api/v1/feeds/records.atom?category=personnel&since=2024-11-11&lang=uk";
    let (ctype, atom) = fetch(path);
    assert_eq!(ctype, "application/atom+xml; charset=utf-8");
    let (_, json) = fetch("/api/v1/feeds/records.json?category=personnel&since=2024-11-11");
    let Some(feed) = parsed(&atom) else { return };
    assert_eq!(
        (&feed["bozo"], &feed["version"]),
        (&Value::from(false), &Value::from("atom10")),
        "{feed}"
    );
    assert_eq!(
        (&feed["title"], &feed["language"]),
        (&Value::from("Frontline: рекордні дні"), &Value::from("uk"))
    );
    let entries = feed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "{feed}");
    assert_eq!(
        entries[2]["id"],
        "tag:frontline.events,2026:event/record/ua-general-staff/russia/personnel/2024-11-12"
    );
    assert_eq!(entries[2]["link"], "/#date=2024-11-12&category=personnel");
    assert_eq!(entries[2]["tags"], serde_json::json!(["record", "personnel", "russia"]));
    assert!(
        entries[2]["title"]
            .as_str()
            .unwrap()
            .starts_with("Рекорд (personnel): 1950 за 2024-11-12"),
        "{feed}"
    );
    // JSON Feed 1.1 of the same events, the same ids.
    let json: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["items"][2]["id"], entries[2]["id"]);
    assert_eq!(json["items"][2]["_frontline"]["figures"]["streak"], 2);
    // A restart of the server: the same ids.
    drop(server);
    let again = common::serve(&env.db.display().to_string(), &[]);
    let (_, body, atom2) = common::http_get(&again.addr, path);
    assert_eq!(body, "application/atom+xml; charset=utf-8");
    let ids = |f: &Value| {
        f["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&parsed(&atom2).unwrap()), ids(&feed));
    // A feed name that is none, and a kind the name sets, are refused.
    assert_eq!(common::http_get(&again.addr, "/api/v1/feeds/coups.atom").0, 404);
    assert_eq!(
        common::http_get(&again.addr, "/api/v1/feeds/records.atom?kind=handover").0,
        400
    );
}

/// `events --follow` tails events as imports land: the answer first, then
/// each new event once, as JSON Lines; an event already written is not
/// written again.
#[test]
fn events_follow_writes_each_new_event_once_as_imports_land() {
    use std::io::BufRead;
    let env = common::Env::new();
    let files = bundled();
    env.ok(&["import", "tallies", &files[0]]);
    let mut child = common::frontline()
        .arg("--db")
        .arg(&env.db)
        .args(common::words(
            "events --kind record --limit 1000 --follow --follow-every-secs 0.2 --format json",
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            let _ = tx.send(line);
        }
    });
    let take = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| {
                let line = rx
                    .recv_timeout(std::time::Duration::from_secs(30))
                    .unwrap_or_else(|_| panic!("line {i} of {n} never came"));
                serde_json::from_str(&line).unwrap()
            })
            .collect()
    };
    let first = take(22);
    assert!(first.iter().all(|e| e["kind"] == "record"), "{first:?}");
    let before: std::collections::BTreeSet<&str> = first.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(before.len(), 22);
    env.ok(&["import", "tallies", &files[1]]);
    let next = take(142);
    let ids: std::collections::BTreeSet<&str> = next.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids.len(), 142);
    assert!(ids.is_disjoint(&before), "nothing written twice");
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert!(rx.try_recv().is_err(), "no event without an import");
    let _ = child.kill();
    let _ = child.wait();
    common::fails(
        &env.run(&common::words("events --follow --as-of 2024-01-01")),
        1,
        "--follow asks about now",
    );
    assert_eq!(
        env.exit(&common::words("events --follow-every-secs 1")),
        Some(2),
        "needs --follow"
    );
}

/// #24: a stored claim's verdict is an event when first reached and each
/// time new data change it. The ledger's claims (fixtures/claims) are
/// not checkable before any tally is stored; the bundled personnel figures
/// make `nov12-daily` (1,950 on 2024-11-12) supported. Importing the same
/// figures again changes no verdict, so records nothing.
#[test]
fn claim_verdicts_are_events_when_new_data_change_them() {
    let env = common::Env::new();
    env.ok(&["claims", "import", &common::fixture("claims/tallies.csv")]);
    let verdicts = |env: &common::Env| {
        let ev = env.json(&common::words("events --kind claim-verdict --limit 1000"));
        let mut got: Vec<String> = common::rows(&ev)
            .iter()
            .map(|e| {
                let f = &e["figures"];
                format!(
                    "{} {} {}",
                    e["id"].as_str().unwrap(),
                    f["from_verdict"],
                    f["verdict"].as_str().unwrap()
                )
            })
            .collect();
        got.sort();
        got
    };
    let first = verdicts(&env);
    assert_eq!(first.len(), 8, "{first:?}");
    assert!(first.iter().all(|l| l.ends_with(" null not-checkable")), "{first:?}");
    env.ok(&["import", "tallies", &bundled()[0]]);
    let now = verdicts(&env);
    assert!(
        now.contains(&"claim-verdict/nov12-daily/2 \"not-checkable\" supported".to_string()),
        "{now:?}"
    );
    let checked = env.json(&common::words("claims check"));
    let changed = common::rows(&checked)
        .iter()
        .filter(|c| c["verdict"] != "not-checkable")
        .count();
    assert_eq!(now.len(), 8 + changed, "one event per verdict that changed: {now:?}");
    env.ok(&["import", "tallies", &bundled()[0]]);
    assert_eq!(verdicts(&env), now);
    let titled = env.json(&common::words("events --kind claim-verdict --limit 1"));
    assert!(titled[0]["title"].as_str().unwrap().starts_with("Claim "), "{titled}");
}

/// `--source` keeps the events a source made (a record day, the file its
/// figure came from); `--place` the settlements' (none here).
#[test]
fn events_filter_by_source_and_place() {
    let env = common::Env::new();
    import(&env);
    let of = |file: &str| {
        let ev = env.json(&common::words(&format!("events --limit 1000 --source {file}")));
        common::rows(&ev).len()
    };
    // 2025-02-28 is no record with the corrections file: 1,650 of its
    // 2,710 are a correction.
    assert_eq!(of("russia_losses_personnel.json"), 21);
    assert_eq!(of("RUSSIA_LOSSES_EQUIPMENT.JSON"), 144, "names compare without case");
    assert_eq!(of("oryx"), 0);
    let placed = env.json(&common::words("events --limit 1000 --place Sudzha"));
    assert!(common::rows(&placed).is_empty());
}
