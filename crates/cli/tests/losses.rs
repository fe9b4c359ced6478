//! Loss-evidence commands through the real binary, on small hand-made lists
//! (tests/fixtures/losses): an Oryx file with a bad status on line 4, a later
//! Oryx file that no longer lists the BMP-2, a WarSpotting file sharing the
//! T-80BV's proof URL, and a generic list whose T-72B3 lies 50 m from
//! WarSpotting's on the same day.

use serde_json::Value;

mod common;

use common::Env;

fn fixture(name: &str) -> String {
    common::fixture(&format!("losses/{name}"))
}

/// Imports the Oryx fixture, writing its rejects to `rejects`; the report.
fn import_oryx(env: &Env, rejects: &std::path::Path) -> String {
    let rejects = rejects.to_str().unwrap();
    env.ok(&[
        "import",
        "losses",
        &fixture("event_destroyed.csv"),
        "--format",
        "oryx",
        "--rejects",
        rejects,
    ])
}

#[test]
fn strict_fails_whole_import_and_stores_nothing() {
    let env = Env::new();
    let out = env.run(&[
        "import",
        "losses",
        &fixture("event_destroyed.csv"),
        "--format",
        "oryx",
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("event_destroyed.csv: line 4: field `status`: `exploded` is not a loss status"),
        "{err}"
    );
    assert_eq!(env.json(&["sources"]), Value::Array(vec![]));
}

#[test]
fn default_import_writes_rejects_and_counts() {
    let env = Env::new();
    let rejects = env.dir.path().join("rejects.csv");
    let report = import_oryx(&env, &rejects);
    let cells: Vec<&str> = report.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(cells, ["1", "0", "2", "1", "0", "2", "0", "0", "0"], "{report}");
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains("line 4,status,`exploded` is not a loss status"), "{text}");
}

#[test]
fn versions_tombstones_links_and_counts() {
    let env = Env::new();
    import_oryx(&env, &env.dir.path().join("r.csv"));
    // The later list drops the BMP-2: tombstoned, still in history.
    let report = env.ok(&[
        "import",
        "losses",
        &fixture("event_destroyed_v2.csv"),
        "--format",
        "oryx",
    ]);
    assert_eq!(
        report.lines().nth(1).unwrap().split_whitespace().last(),
        Some("1"),
        "{report}"
    );
    let h = env.json(&["history", "https://x.test/2-bmp2-destr-11-08-24.jpg"]);
    assert_eq!(h[0]["tombstoned"], true);
    // #23: as known on a past day, the BMP-2 (first listed Aug 13, dropped
    // today) is counted; the day before it was listed, it is not.
    let august = |as_of: Option<&str>| {
        let mut a = vec!["losses", "count", "--source", "oryx", "--period", "month"];
        a.extend(as_of.map(|d| ["--as-of", d]).into_iter().flatten());
        env.json(&a)[0]["count"].as_u64()
    };
    assert_eq!(august(None), Some(1));
    assert_eq!(august(Some("2024-08-13")), Some(2));
    assert_eq!(august(Some("2024-08-12")), Some(1));
    common::fails(
        &env.run(&["losses", "count", "--as-of", "2999-01-01"]),
        1,
        "`--as-of` 2999-01-01 is in the future",
    );
    env.ok(&[
        "import",
        "losses",
        &fixture("warspotting.csv"),
        "--format",
        "warspotting",
    ]);
    env.ok(&[
        "import",
        "losses",
        &fixture("kursk.csv"),
        "--format",
        "generic",
        "--source",
        "kursk",
    ]);
    // T-80BV: Oryx + WarSpotting by URL; T-72B3: WarSpotting + kursk by place.
    let weeks = env.json(&common::words(
        "losses count --side russia --category tanks --period week",
    ));
    assert_eq!(weeks, serde_json::json!([{"period": "2024-08-05", "count": 2}]));
    let both = env.json(&["history", "https://x.test/1-t80-destr-10-08-24.jpg"]);
    let ids: Vec<&str> = common::rows(&both).iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"warspotting:7"));
    let lag = env.json(&["lag", "--source", "oryx", "--period", "month"]);
    assert_eq!(
        (lag[0]["n"].as_u64(), lag[0]["median_days"].as_f64()),
        (Some(1), Some(2.0))
    );
    let o = env.json(&common::words(
        "overlap --sources oryx,warspotting --from 2024-08-01 --to 2024-08-31",
    ));
    assert_eq!((o["in_both"].as_u64(), o["only_b"].as_u64()), (Some(1), Some(1)), "{o}");
    // Chapman with n₁ = in_a, n₂ = in_b, m = in_both, and the caveat that
    // the lists are not independent, word for word.
    let (n1, n2, m) = (o["in_a"].as_f64().unwrap(), o["in_b"].as_f64().unwrap(), 1.0);
    let chapman = (n1 + 1.0) * (n2 + 1.0) / (m + 1.0) - 1.0;
    assert!((o["estimate"].as_f64().unwrap() - chapman).abs() < 1e-3, "{o}");
    assert_eq!(
        o["caveat"],
        "two-source (Chapman) estimate assumes the lists are independent; they are not (WarSpotting reuses Oryx \
         proofs), so read it as indicative"
    );
}

#[test]
fn nowcast_of_a_list_that_has_stopped_growing() {
    let env = Env::new();
    env.ok(&[
        "import",
        "losses",
        &fixture("event_destroyed_v2.csv"),
        "--format",
        "oryx",
    ]);
    // One item, destroyed 2024-08-10 (week of 08-05), first seen 08-12. As
    // of 08-20 every report it will get is in (no later report exists to
    // learn a delay from), so each week's estimate is what was observed and
    // the interval has no width: 1 for the week of 08-05, 0 after.
    let n = env.json(&["nowcast", "--as-of", "2024-08-20", "--period", "week", "--recent", "3"]);
    let row = |period: &str, count: u64| {
        let c = count as f64;
        serde_json::json!({"period": period, "observed": count, "estimate": c, "lower": c, "upper": c})
    };
    assert_eq!(
        n,
        serde_json::json!([row("2024-08-05", 1), row("2024-08-12", 0), row("2024-08-19", 0)])
    );
    let b = env.json(&common::words(
        "backtest --from 2024-08-01 --to 2024-08-31 --period week",
    ));
    // Nothing arrives late, so the nowcast cannot beat the naive count.
    assert_eq!(b["nowcast_mae"], b["naive_mae"], "{b}");
}
