//! Regression tests for issue #12 ("no silent wrong numbers"), each named
//! after what it guards: bad or suspicious input gets a clear error naming
//! the file, the feature and the field, and changes no figure.

use serde_json::Value;

mod common;

use common::{Env, fixture};

/// A territory database with the fixture outlines and DeepState maps.
fn territory() -> Env {
    let env = Env::new();
    env.ok(&["import", "boundaries", &fixture("territory/boundaries.geojson")]);
    env.ok(&["import", "control", &fixture("territory/deepstate")]);
    env
}

fn areas(env: &Env) -> Value {
    env.json(&["territory", "area", "--status", "occupied"])
}

/// #1: an empty map, a null geometry or empty coordinates must not zero the
/// occupied area from their date on.
#[test]
fn an_empty_or_broken_control_map_is_refused_and_changes_nothing() {
    let env = territory();
    let before = areas(&env);
    let sources = env.json(&["sources"]).as_array().unwrap().len();
    let occupied = r#"{"type":"Feature","properties":{"name":"Occupied /// geoJSON.status.occupied"},"#;
    for (body, want) in [
        (
            r#"{"type":"FeatureCollection","features":[]}"#.to_string(),
            "1722900000.geojson: no control polygons (0 features, 0 unmapped): refusing an empty map".to_string(),
        ),
        (
            format!(r#"{{"type":"FeatureCollection","features":[{occupied}"geometry":null}}]}}"#),
            "1722900000.geojson: feature 1: field `geometry`: null geometry".to_string(),
        ),
        (
            format!(
                r#"{{"type":"FeatureCollection","features":[{occupied}"geometry":{{"type":"Polygon","coordinates":[]}}}}]}}"#
            ),
            "1722900000.geojson: feature 1: field `geometry`: empty coordinates".to_string(),
        ),
    ] {
        let path = env.dir.path().join("1722900000.geojson");
        std::fs::write(&path, body).unwrap();
        common::fails(&env.run(&["import", "control", path.to_str().unwrap()]), 1, &want);
    }
    assert_eq!(areas(&env), before, "no figure changed");
    assert_eq!(
        env.json(&["sources"]).as_array().unwrap().len(),
        sources,
        "nothing stored"
    );
}

/// #1 and #7: an outline with no polygon or a two-point ring is refused
/// (`import control` rejects the same ring), naming the feature.
#[test]
fn an_empty_or_degenerate_outline_is_refused() {
    let env = territory();
    let within = |env: &Env| env.json(&["territory", "area", "--status", "occupied", "--within", "UA"]);
    let before = within(&env);
    for (geometry, want) in [
        (
            r#"{"type":"MultiPolygon","coordinates":[]}"#,
            "feature 1: field `geometry`: empty coordinates",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[30,50],[31,50],[30,50],[31,50]]]}"#,
            "feature 1: field `geometry`: degenerate outer ring: 2 distinct positions",
        ),
    ] {
        let path = env.dir.path().join("outline.geojson");
        std::fs::write(
            &path,
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"Ukraine","iso_a2":"UA"}},"geometry":{geometry}}}]}}"#
            ),
        )
        .unwrap();
        common::fails(
            &env.run(&["import", "boundaries", path.to_str().unwrap()]),
            1,
            &format!("outline.geojson: {want}"),
        );
    }
    assert_eq!(within(&env), before);
}

/// #2: after a newer outline of a country, areas clipped to it are
/// recomputed, whether or not the query ran before; the answer equals that
/// of a database that never saw the old outline.
#[test]
fn a_newer_outline_is_used_for_clipped_areas() {
    let smaller = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Ukraine","iso_a2":"UA"},
      "geometry":{"type":"Polygon","coordinates":[[[37.5,46.0],[40.0,46.0],[40.0,51.0],[37.5,51.0],[37.5,46.0]]]}}]}"#;
    let query = ["territory", "area", "--status", "occupied", "--within", "UA"];
    let warm = territory();
    let old = warm.json(&query);
    let path = warm.dir.path().join("smaller.geojson");
    std::fs::write(&path, smaller).unwrap();
    warm.ok(&["import", "boundaries", path.to_str().unwrap()]);
    let after = warm.json(&query);
    assert_ne!(after, old, "the area must follow the new outline");

    let fresh = Env::new();
    fresh.ok(&["import", "control", &fixture("territory/deepstate")]);
    fresh.ok(&["import", "boundaries", path.to_str().unwrap()]);
    assert_eq!(
        fresh.json(&query),
        after,
        "same answer as a database that never saw the old outline"
    );
}

/// An Oryx-layout list of `n` destroyed tanks.
fn oryx_list(n: usize) -> String {
    let mut s = String::from("country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID\n");
    for i in 1..=n {
        s.push_str(&format!(
            "Russia,Russia,T-72B3,destroyed,https://x.test/{i}-t72-destr-10-08-24.jpg,2024-08-12,{i},{i},1,7-{i}\n"
        ));
    }
    s
}

/// #3: a list cut in the middle of a row (a truncated download), imported
/// leniently, must not retire the items after the cut; with
/// `--allow-shrink` it may.
#[test]
fn a_truncated_loss_list_retires_nothing_without_allow_shrink() {
    let env = Env::new();
    let full = env.dir.path().join("event_destroyed.csv");
    std::fs::write(&full, oryx_list(200)).unwrap();
    env.ok(&["import", "losses", full.to_str().unwrap(), "--format", "oryx"]);
    let count = |env: &Env| -> u64 {
        common::rows(&env.json(&["losses", "count", "--source", "oryx", "--period", "month"]))
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(count(&env), 200);
    let text = oryx_list(200);
    let cut = &text[..text.len() / 3];
    // Whole rows kept after the header; the row cut in half is rejected.
    let kept = cut.matches('\n').count() - 1;
    assert!(kept > 50 && kept < 100, "{kept}");
    let truncated = env.dir.path().join("event_destroyed_cut.csv");
    std::fs::write(&truncated, cut).unwrap();
    let out = env.run(&["import", "losses", truncated.to_str().unwrap(), "--format", "oryx"]);
    common::fails(
        &out,
        1,
        &format!(
            "would mark {} of the 200 stored `oryx` items (destroyed) as gone upstream, more than 10",
            200 - kept
        ),
    );
    assert_eq!(count(&env), 200, "nothing retired");
    // A handful gone is a normal upstream correction.
    let minus_three = env.dir.path().join("event_destroyed_197.csv");
    std::fs::write(&minus_three, oryx_list(197)).unwrap();
    env.ok(&["import", "losses", minus_three.to_str().unwrap(), "--format", "oryx"]);
    assert_eq!(count(&env), 197);
    env.ok(&[
        "import",
        "losses",
        truncated.to_str().unwrap(),
        "--format",
        "oryx",
        "--allow-shrink",
    ]);
    assert_eq!(count(&env), kept as u64);
}

/// #6: the same WarSpotting id twice in one file with different models is
/// an error with `--strict` and a rejected row otherwise, never two
/// versions of one item; an exact repeat is harmless.
#[test]
fn an_id_listed_twice_in_one_file_is_refused() {
    let env = Env::new();
    let header = "id,type,model,status,lost_by,date,geolocation,oryx_url\n";
    let row = |model: &str| format!("7,Tanks,{model},destroyed,Russia,2024-06-01,,\n");
    let path = env.dir.path().join("losses.csv");
    std::fs::write(
        &path,
        format!("{header}{}{}{}", row("T-72B3"), row("T-72B3"), row("T-80BVM")),
    )
    .unwrap();
    let out = env.run(&[
        "import",
        "losses",
        path.to_str().unwrap(),
        "--format",
        "warspotting",
        "--strict",
    ]);
    common::fails(
        &out,
        1,
        "losses.csv: line 4: field `id`: id `7` is listed again with different content (first at line 2)",
    );
    assert_eq!(env.json(&["sources"]), serde_json::json!([]), "strict: nothing stored");
    let report = env.ok(&["import", "losses", path.to_str().unwrap(), "--format", "warspotting"]);
    let cells: Vec<&str> = report.lines().nth(1).unwrap().split_whitespace().collect();
    // files, already, parsed, rejected, dates unreadable, added, updated, …
    assert_eq!(cells[..7], ["1", "0", "1", "1", "0", "1", "0"], "{report}");
    let history = env.json(&["history", "warspotting:7"]);
    assert_eq!(history.as_array().unwrap().len(), 1, "one version, not two");
    assert_eq!(history[0]["model"], "T-72B3");
}

/// #8: a range far beyond the data answers the days the data covers, not
/// one row per day to the year 9999; a daily settlement listing is capped.
#[test]
fn ranges_are_clamped_to_the_data() {
    let env = territory();
    env.ok(&["import", "places", &fixture("territory/places.csv")]);
    let all = env.json(&["territory", "area", "--status", "occupied"]);
    let wide = env.json(&common::words(
        "territory area --status occupied --from 1900-01-01 --to 9999-12-31",
    ));
    assert_eq!(wide, all);
    assert_eq!(wide.as_array().unwrap().len(), 4, "2024-08-01 to 2024-08-04");
    let out = env.run(&common::words(
        "territory settlements --status occupied --from 2020-01-01 --to 9999-12-31",
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env.run(&common::words(
        "territory area --status occupied --from 2030-01-01 --to 2031-01-01",
    ));
    common::fails(&out, 1, "empty range: 2030-01-01 is after 2024-08-04");
}

/// #7: a repair that changes an area by more than 1 % (here a hole drawn
/// outside its polygon, which the even-odd repair fills: +200 %) is a
/// warning naming the feature, on stderr and in the import's answer; a
/// clean file has no warnings.
#[test]
fn repairs_that_change_an_area_are_reported_with_the_feature() {
    let env = Env::new();
    let map = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Occupied /// geoJSON.status.occupied"},
       "geometry":{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]]]}},
      {"type":"Feature","properties":{"name":"Occupied /// geoJSON.status.occupied"},
       "geometry":{"type":"Polygon","coordinates":[[[35,47],[36,47],[36,48],[35,48],[35,47]],
                                                   [[33,47],[34,47],[34,47.5],[33,47.5],[33,47]]]}}]}"#;
    let path = env.dir.path().join("1722900000.geojson");
    std::fs::write(&path, map).unwrap();
    let out = env.run(&["import", "control", path.to_str().unwrap(), "--format", "json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = rows[0]["warnings"].as_str().unwrap();
    assert!(
        // The hole beside the square cuts nothing: the square's own area.
        warning.starts_with("feature 2: interior ring")
            && warning.contains("not contained")
            && warning.ends_with("; repaired, area +100.0 %"),
        "{warning}"
    );
    assert!(err.contains(&format!("1722900000.geojson: {warning}")), "{err}");

    let clean = env.json(&["import", "control", &fixture("territory/deepstate")]);
    assert!(clean.as_array().unwrap().iter().all(|r| r["warnings"] == ""), "{clean}");
}
