//! Territory commands through the real binary, on small hand-made maps.
//!
//! Fixtures (tests/fixtures/territory): three DeepState-style snapshots
//! (2024-08-01, 08-02 gzipped, 08-04; 08-03 missing) with a liberated box in
//! "Russia", an occupied box in "Ukraine", a grey zone, a point annotation and
//! a far-away satirical polygon; rectangular outlines; four places; a layer
//! with a point and a road. Expected figures from pyproj 3.7.2
//! (`Geod(ellps="WGS84")`): box 35.0–35.2 E × 51.1–51.3 N = 311.040 km²,
//! 35.0–35.4 E = 622.079 km²; occupied gain 38.0–38.2 E × 47.5–48.5 N =
//! 1,659.501 km²; corner (35.2, 51.3) to Kursk (36.19, 51.73) = 83.735 km,
//! to the plant (35.31, 51.67) = 41.868 km; box top to the road 0.05° north =
//! 5.563 km.

use serde_json::Value;

mod common;

use common::Env;

fn fixture(name: &str) -> String {
    common::fixture(&format!("territory/{name}"))
}

trait Loaded {
    fn loaded() -> Self;
}

impl Loaded for Env {
    fn loaded() -> Self {
        let env = Env::new();
        env.json(&["import", "boundaries", &fixture("boundaries.geojson")]);
        env.ok(&["import", "places", &fixture("places.csv")]);
        env.json(&["import", "layer", &fixture("layer.geojson"), "--name", "infrastructure"]);
        env.json(&["import", "control", &fixture("deepstate")]);
        env
    }
}

fn close(v: &Value, want: f64, tol: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() <= tol)
}

#[test]
fn area_per_day_carries_missing_days_and_drops_far_polygons() {
    let env = Env::loaded();
    let rows = env.json(&["territory", "area", "--status", "liberated", "--within", "RU"]);
    let rows = rows.as_array().unwrap();
    let got: Vec<(&str, f64)> = rows
        .iter()
        .map(|r| (r["date"].as_str().unwrap(), r["area_km2"].as_f64().unwrap()))
        .collect();
    assert_eq!(got.len(), 4, "{got:?}");
    for ((date, area), (want_date, want)) in got.iter().zip([
        ("2024-08-01", 311.040),
        ("2024-08-02", 622.079),
        ("2024-08-03", 622.079),
        ("2024-08-04", 311.040),
    ]) {
        assert_eq!(*date, want_date);
        assert!((area - want).abs() < 0.01, "{date}: {area} vs {want}");
    }
    assert!(
        rows[2]["snapshot"].as_str().unwrap().starts_with("2024-08-02"),
        "08-03 is carried from 08-02"
    );
    // The Kuril polygon lies outside the region: occupied is only the box.
    let occ = env.json(&["territory", "area", "--status", "occupied", "--to", "2024-08-01"]);
    assert!(close(&occ[0]["area_km2"], 8297.370, 0.01), "{occ}");
}

#[test]
fn peak_change_settlements_handovers_distance() {
    let env = Env::loaded();
    let peak = env.json(&["territory", "peak", "--status", "liberated", "--within", "RU"]);
    assert_eq!(peak[0]["date"], "2024-08-02");
    assert!(close(&peak[0]["area_km2"], 622.079, 0.01));

    let ch = env.json(&common::words(
        "territory change --status occupied --from 2024-08-01 --to 2024-08-04",
    ));
    assert!(close(&ch[0]["gained_km2"], 1659.501, 0.01), "{ch}");
    assert!(close(&ch[0]["lost_km2"], 0.0, 1e-6));
    assert!(close(&ch[0]["net_km2"], 1659.501, 0.01));

    let series = env.json(&common::words(
        "territory change --status liberated --period week --from 2024-08-01 --to 2024-08-04",
    ));
    let nets: f64 = common::rows(&series)
        .iter()
        .map(|r| r["net_km2"].as_f64().unwrap())
        .sum();
    assert!(nets.abs() < 0.01, "the box moved but kept its size: {series}");

    let s = env.json(&common::words(
        "territory settlements --date 2024-08-02 --status liberated --within RU",
    ));
    assert_eq!(s.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            s[0]["name"].as_str(),
            s[0]["population"].as_u64(),
            s[0]["status"].as_str()
        ),
        (Some("Sudzha"), Some(5806), Some("liberated"))
    );
    let none = env.json(&common::words(
        "territory settlements --date 2024-08-01 --status liberated",
    ));
    assert_eq!(none, Value::Array(vec![]));

    let h = env.json(&["territory", "handovers", "--from", "2024-08-01", "--to", "2024-08-04"]);
    assert_eq!(h.as_array().unwrap().len(), 1, "{h}");
    assert_eq!(
        (
            h[0]["name"].as_str(),
            h[0]["from_status"].as_str(),
            h[0]["to_status"].as_str(),
            h[0]["date"].as_str()
        ),
        (Some("Sudzha"), Some("none"), Some("liberated"), Some("2024-08-02"))
    );
    // Only places of at least a population (Sudzha has 5,806 people).
    let at_least = |n: &str| {
        env.json(&common::words(&format!(
            "territory handovers --from 2024-08-01 --to 2024-08-04 --min-population {n}"
        )))
    };
    assert_eq!(at_least("5806").as_array().unwrap().len(), 1);
    assert_eq!(at_least("5807"), Value::Array(vec![]));

    let d = env.json(&common::words(
        "territory distance --date 2024-08-01 --status liberated --to kursk",
    ));
    assert_eq!(d[0]["to"], "Kursk");
    assert!(close(&d[0]["km"], 83.735, 0.01), "{d}");
    let layer = env.json(&common::words(
        "territory distance --date 2024-08-01 --status liberated --to-layer infrastructure",
    ));
    assert_eq!(layer[0]["to"], "Road R-200");
    assert!(close(&layer[0]["km"], 5.563, 0.01), "{layer}");
    assert!(close(&layer[1]["km"], 41.868, 0.01), "{layer}");
}

#[test]
fn change_writes_geojson() {
    let env = Env::loaded();
    let out = env.dir.path().join("change.geojson");
    env.json(&[
        "territory",
        "change",
        "--status",
        "liberated",
        "--from",
        "2024-08-01",
        "--to",
        "2024-08-04",
        "--geojson",
        out.to_str().unwrap(),
    ]);
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let kinds: Vec<&str> = common::strs(&fc["features"], "/properties/kind");
    assert_eq!(kinds, ["gained", "lost"]);
}

#[test]
fn reimport_adds_nothing_and_bad_file_stores_nothing() {
    let env = Env::loaded();
    let before = env.json(&["sources"]).as_array().unwrap().len();
    let again = env.json(&["import", "control", &fixture("deepstate")]);
    assert!(common::rows(&again).iter().all(|r| r["status"] == "already imported"));
    assert_eq!(env.json(&["sources"]).as_array().unwrap().len(), before);

    let fresh = Env::new();
    let out = fresh.run(&[
        "import",
        "control",
        &fixture("deepstate/1722544807.geojson"),
        &fixture("bad"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "1722900000.geojson: feature 2: field `geometry`: coordinate (38, 95) is not a WGS84 longitude/latitude"
        ),
        "{err}"
    );
    assert_eq!(fresh.json(&["sources"]), Value::Array(vec![]));
}

#[test]
fn generic_geojson_with_a_status_mapping() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("isw_2024-09-11.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"layer_type":"kursk_russian_advances"},
        "geometry":{"type":"Polygon","coordinates":[[[35.0,51.1],[35.2,51.1],[35.2,51.3],[35.0,51.3],[35.0,51.1]]]}}]}"#,
    )
    .unwrap();
    env.json(&[
        "import",
        "control",
        file.to_str().unwrap(),
        "--as",
        "geojson",
        "--mapper",
        "isw",
        "--status-property",
        "layer_type",
        "--map",
        "kursk_russian_advances=occupied",
    ]);
    let a = env.json(&["territory", "area", "--status", "occupied", "--mapper", "isw"]);
    assert_eq!(a[0]["date"], "2024-09-11");
    assert!(close(&a[0]["area_km2"], 311.040, 0.01));
}

#[test]
fn queries_explain_missing_data() {
    let env = Env::new();
    // No database at all: a read says so and creates none (#21).
    common::fails(
        &env.run(&["territory", "area", "--status", "occupied"]),
        1,
        "no Frontline database at",
    );
    assert!(!env.db.exists(), "a read created the database");
    env.ok(&["import", "boundaries", &fixture("boundaries.geojson")]);
    common::fails(
        &env.run(&["territory", "area", "--status", "occupied"]),
        1,
        "no control snapshots stored yet",
    );
    assert_eq!(env.exit(&["territory", "area", "--status", "held"]), Some(2));
}

/// First-level units (tests/fixtures/territory/units.geojson: four boxes,
/// Crimea drawn with the map's `iso_a2` RU but coded UA-43): areas within
/// a unit with its share, the units table with the change since a day, and
/// a country's de jure outline preferred to the map's, each answer saying
/// which it used. Box areas from pyproj 3.7.2 (`Geod(ellps="WGS84")`):
/// UA-14 37–39 E × 47–49.5 N = 41,282.866 km²; occupied 37.0–38.2 E ×
/// 47.5–48.5 N = 9,956.772 km², 37–38 E = 8,297.370 km².
#[test]
fn units_shares_and_de_jure_outlines() {
    let env = Env::loaded();
    env.json(&["import", "boundaries", &fixture("units.geojson")]);
    let day = |within: &str| {
        env.json(&common::words(&format!(
            "territory area --status occupied --within {within} --from 2024-08-04 --to 2024-08-04"
        )))[0]
            .clone()
    };
    let d = day("UA-14");
    assert!(close(&d["area_km2"], 9_956.772, 0.01), "{d}");
    assert!(close(&d["share_of_unit"], 9_956.772 / 41_282.866, 1e-5), "{d}");
    assert_eq!(d["outline"], "UA-14 Donetsk (first-level unit)");
    assert_eq!(day("UA-09")["area_km2"], 0.0);
    assert!(
        day("UA")["outline"]
            .as_str()
            .unwrap()
            .starts_with("UA de jure: Ukraine (3 first-level units)")
    );
    assert!(
        day("UA:de-facto")["outline"]
            .as_str()
            .unwrap()
            .starts_with("UA de facto: Ukraine")
    );
    common::fails(
        &env.run(&["territory", "area", "--status", "occupied", "--within", "UA:official"]),
        1,
        "after `:` comes `de-facto` or `de-jure`",
    );

    let units = env.json(&common::words(
        "territory units --status occupied --country ua --date 2024-08-04 --since 2024-08-01",
    ));
    let codes: Vec<&str> = common::strs(&units, "/code");
    assert_eq!(codes, ["UA-09", "UA-14", "UA-43"], "Crimea is Ukraine's by its code");
    let donetsk = &units[1];
    assert!(close(&donetsk["area_km2"], 9_956.772, 0.01), "{donetsk}");
    assert!(close(&donetsk["unit_km2"], 41_282.866, 0.01), "{donetsk}");
    assert!(close(&donetsk["change_km2"], 9_956.772 - 8_297.370, 0.01), "{donetsk}");
    assert_eq!(units[2]["name_uk"], "Автономна Республіка Крим");
    assert_eq!(units[2]["area_km2"], 0.0);
    // The liberated box lies in Kursk oblast, and so in de jure Russia.
    let kursk = env.json(&common::words(
        "territory area --status liberated --within RU-KRS --from 2024-08-01 --to 2024-08-01",
    ));
    assert!(close(&kursk[0]["area_km2"], 311.040, 0.01), "{kursk}");
    let out = env.run(&["territory", "units", "--status", "occupied", "--country", "BY"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no first-level units of `BY`"));
}

/// A second mapper (fixtures/territory/isw: ISW-style, one occupied box
/// 37.1–38.1 E × 47.5–48.5 N on 2024-08-02) against DeepState's 37.0–38.0
/// box: each draws a 0.1° strip the other does not. pyproj: each box
/// 8,297.370 km², each strip 829.751 km², DeepState's 37.0–38.2 box of
/// 2024-08-04 9,956.772 km².
#[test]
fn two_mappers_compared() {
    let env = Env::loaded();
    env.json(&[&["import", "control", &fixture("isw")][..], common::ISW_FLAGS].concat());
    // The flag that drops shapeless features does nothing for DeepState's
    // maps, so it is refused there rather than ignored.
    let o = env.run(&["import", "control", &fixture("deepstate"), "--drop-shapeless"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--drop-shapeless applies to generic GeoJSON"),
        "{o:?}"
    );
    // With a second mapper stored, queries that name none still read DeepState.
    let area = env.json(&["territory", "area", "--status", "occupied", "--from", "2024-08-04"]);
    assert!(close(&area[0]["area_km2"], 9_956.772, 0.01), "{area}");

    let out = env.dir.path().join("gap.geojson");
    let day = env.json(&[
        "territory",
        "compare",
        "--status",
        "occupied",
        "--mappers",
        "deepstate,isw",
        "--date",
        "2024-08-02",
        "--geojson",
        out.to_str().unwrap(),
    ]);
    let r = &day[0];
    assert!(
        close(&r["a_km2"], 8_297.370, 0.01) && close(&r["b_km2"], 8_297.370, 0.01),
        "{r}"
    );
    assert!(
        close(&r["only_a_km2"], 829.751, 0.01) && close(&r["only_b_km2"], 829.751, 0.01),
        "{r}"
    );
    assert!(close(&r["both_km2"], 8_297.370 - 829.751, 0.01), "{r}");
    assert!(close(&r["disagree_share"], 2.0 / 11.0, 1e-5), "{r}");
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let only: Vec<(&str, f64)> = common::rows(&fc["features"])
        .iter()
        .map(|f| {
            (
                f["properties"]["only"].as_str().unwrap(),
                f["properties"]["area_km2"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(only.iter().map(|o| o.0).collect::<Vec<_>>(), ["deepstate", "isw"]);
    assert!(only.iter().all(|o| (o.1 - 829.751).abs() < 0.01), "{only:?}");

    // On 2024-08-04 DeepState has grown to 38.2 E; ISW's map of 08-02 stands.
    let later = env.json(&common::words(
        "territory compare --status occupied --mappers deepstate,isw --date 2024-08-04",
    ));
    assert!(close(&later[0]["only_a_km2"], 2.0 * 829.751, 0.01), "{later}");
    assert!(close(&later[0]["only_b_km2"], 0.0, 0.001), "{later}");
    assert_eq!(later[0]["b_snapshot"], "2024-08-02T00:00:00+00:00");

    let fails = |args: &[&str], says: &str| {
        let o = env.run(&[&["territory", "compare", "--status", "occupied"][..], args].concat());
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(!o.status.success() && err.contains(says), "{args:?}: {err}");
    };
    fails(&["--mappers", "deepstate"], "`mappers` takes two mapper names");
    fails(&["--mappers", "isw,isw"], "names `isw` twice");
    fails(
        &["--mappers", "deepstate,rybar"],
        "no control snapshots by mapper `rybar`",
    );
    fails(
        &["--mappers", "deepstate,isw", "--date", "2024-08-01"],
        "no isw snapshot on or before 2024-08-01",
    );
    fails(
        &common::words("--mappers deepstate,isw --date 2024-08-02 --from 2024-08-01"),
        "either `date` or `from`/`to`",
    );
}

/// A settlement's history: Sudzha (35.27 E, 51.19 N) is outside the
/// liberated box of 2024-08-01 (35.0–35.2 E), inside the one of 08-02
/// (35.0–35.4 E) and of 08-04 (35.2–35.4 E): one change, dated by the
/// first map that shows it. The gazetteer's names in three languages reach
/// the map layer.
#[test]
fn a_settlement_history_lists_each_change_once() {
    let env = Env::loaded();
    let h = env.json(&["territory", "history", "--place", "sudzha"]);
    assert_eq!(
        common::table(&h, &["date", "status", "previous"]),
        serde_json::json!([["2024-08-01", "none", null], ["2024-08-02", "liberated", "none"]])
    );
    assert_eq!(h[1]["snapshot"], "2024-08-02T20:39:28+00:00");
    let id = h[0]["place_id"].as_i64().unwrap().to_string();
    assert_eq!(env.json(&["territory", "history", &id]), h);

    let o = env.run(&["territory", "history", "--place", "Atlantis"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no place named `Atlantis` in the gazetteer"));
    let o = env.run(&["territory", "history", "999"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no place with id 999"));
}

/// #27: a history skips the maps recorded as unchanged around the place,
/// and a map imported later between two others is not hidden by the record
/// made before it came. Makiivka (37.96 E, 48.05 N) is occupied only on
/// the map of 08-02, which is imported last: the 08-03 map was recorded as
/// unchanged from 08-01 (the same map), and must be tested again against
/// 08-02 once that map stands between them.
#[test]
fn a_map_imported_between_two_others_is_seen_by_histories() {
    let env = Env::new();
    env.ok(&["import", "places", &fixture("places.csv")]);
    let far = "[[37.0, 47.5], [37.5, 47.5], [37.5, 48.5], [37.0, 48.5], [37.0, 47.5]]";
    let near = "[[37.9, 48.0], [38.0, 48.0], [38.0, 48.1], [37.9, 48.1], [37.9, 48.0]]";
    let map = |rings: &[&str]| {
        let features: Vec<String> = rings
            .iter()
            .map(|r| {
                format!(
                    r#"{{"type": "Feature", "properties": {{"name": "Окуповано /// Occupied /// geoJSON.status.occupied"}}, "geometry": {{"type": "Polygon", "coordinates": [{r}]}}}}"#
                )
            })
            .collect();
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",")
        )
    };
    let (first, later) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // 2024-08-01 and 08-03, then 08-02; 20:40 UTC each.
    std::fs::write(first.path().join("1722544807.geojson"), map(&[far])).unwrap();
    // The same map in other bytes (the same bytes are one file, imported once).
    std::fs::write(first.path().join("1722717607.geojson"), map(&[far]) + "\n").unwrap();
    std::fs::write(later.path().join("1722631207.geojson"), map(&[far, near])).unwrap();
    let history = |env: &Env| {
        let h = env.json(&["territory", "history", "--place", "makiivka"]);
        common::table(&h, &["date", "status"])
    };
    env.json(&["import", "control", first.path().to_str().unwrap()]);
    assert_eq!(history(&env), serde_json::json!([["2024-08-01", "none"]]));
    env.json(&["import", "control", later.path().to_str().unwrap()]);
    assert_eq!(
        history(&env),
        serde_json::json!([
            ["2024-08-01", "none"],
            ["2024-08-02", "occupied"],
            ["2024-08-03", "none"]
        ])
    );
}

/// #23: a mapper that renames a status breaks its series. Two DeepState
/// maps written here, the second naming a territory the first did not:
/// `breaks` lists it on the second map's day with its file, and a day
/// before that map lists nothing for the mapper.
#[test]
fn a_renamed_status_is_a_vocabulary_break() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let square = r#"{"type": "Polygon", "coordinates": [[[38.0, 47.5], [38.2, 47.5], [38.2, 48.5], [38.0, 48.5], [38.0, 47.5]]]}"#;
    let map = |names: &[&str]| {
        let features: Vec<String> = names
            .iter()
            .map(|n| format!(r#"{{"type": "Feature", "properties": {{"name": "{n}"}}, "geometry": {square}}}"#))
            .collect();
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",")
        )
    };
    // 2024-08-01 and 2024-08-02, 20:40 UTC.
    std::fs::write(
        dir.path().join("1722544807.geojson"),
        map(&["Окуповано /// Occupied /// geoJSON.status.occupied"]),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("1722631207.geojson"),
        map(&[
            "Окуповано 02.08 /// Occupied /// geoJSON.status.occupied {{at:02.08}}",
            "ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo",
        ]),
    )
    .unwrap();
    env.json(&["import", "control", dir.path().to_str().unwrap()]);
    let breaks = env.json(&["breaks", "--category", "occupied"]);
    let rows = breaks.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{breaks}");
    let b = &rows[0];
    assert_eq!(
        (
            b["claimant"].as_str(),
            b["date"].as_str(),
            b["kind"].as_str(),
            b["source_file"].as_str()
        ),
        (
            Some("deepstate"),
            Some("2024-08-02"),
            Some("vocabulary"),
            Some("1722631207.geojson")
        )
    );
    let reason = b["reason"].as_str().unwrap();
    assert!(
        reason.contains("added geoJSON.territories.ordlo; removed nothing"),
        "{reason}"
    );
    // Known on the 1st, only the first map was: no break yet.
    let then = env.json(&["--as-of", "2024-08-01", "breaks", "--category", "occupied"]);
    assert_eq!(then, serde_json::json!([]));
    // The area series marks the day, and a change across it says so.
    let days = env.json(&["territory", "area", "--status", "occupied"]);
    let marks: Vec<Option<&str>> = days.as_array().unwrap().iter().map(|d| d["break"].as_str()).collect();
    assert_eq!(marks.len(), 2, "{days}");
    assert_eq!(marks[0], None);
    assert!(
        marks[1].is_some_and(|m| m.starts_with("vocabulary: the mapper's names")),
        "{marks:?}"
    );
    let change = env.json(&["territory", "change", "--status", "occupied"]);
    let mark = change[0]["break"].as_str().unwrap_or_default();
    assert!(mark.starts_with("2024-08-02 vocabulary:"), "{change}");
    // Another status of the same maps is not marked.
    let liberated = env.run(&["territory", "area", "--status", "liberated", "--format", "json"]);
    let liberated: Value = serde_json::from_slice(&liberated.stdout).unwrap_or_default();
    assert!(
        liberated
            .as_array()
            .is_none_or(|a| a.iter().all(|d| d["break"].is_null())),
        "{liberated}"
    );
}

/// #24: changes on the maps as events, with the fixtures' pyproj figures.
/// DeepState's occupied box grows by a 0.2° strip on 2024-08-04 (8,297.370
/// → 9,956.772 km², past the 25 km² default), on the whole map and in
/// UA-14; its liberated area doubles on 2024-08-02 (311.040 → 622.079) and
/// falls back on 2024-08-04. ISW's box against DeepState's disagrees on
/// 2024-08-02 by both strips (2 × 829.751 km², past the 500 km² default),
/// the first day both cover. Importing again records nothing.
#[test]
fn changes_on_the_maps_are_events_past_their_thresholds() {
    let env = Env::new();
    env.json(&["import", "boundaries", &fixture("boundaries.geojson")]);
    env.json(&["import", "boundaries", &fixture("units.geojson")]);
    env.json(&["import", "control", &fixture("deepstate")]);
    env.json(&[&["import", "control", &fixture("isw")][..], common::ISW_FLAGS].concat());
    let ev = env.json(&common::words("events --kind area-change,disagreement --limit 100"));
    let mut got: Vec<String> = common::rows(&ev)
        .iter()
        .map(|e| {
            let f = &e["figures"];
            let km2 = if e["kind"] == "disagreement" {
                &f["disagree_km2"]
            } else {
                &f["change_km2"]
            };
            format!("{} {}", e["id"].as_str().unwrap(), km2)
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "area-change/deepstate/liberated/all/2024-08-02 311.039",
            "area-change/deepstate/liberated/all/2024-08-04 -311.039",
            "area-change/deepstate/liberated/ru-krs/2024-08-02 311.039",
            "area-change/deepstate/liberated/ru-krs/2024-08-04 -311.039",
            "area-change/deepstate/occupied/all/2024-08-04 1659.401",
            "area-change/deepstate/occupied/ua-14/2024-08-04 1659.401",
            "disagreement/deepstate/isw/occupied/2024-08-02 1659.501",
        ],
        "{ev}"
    );
    let grown = common::rows(&ev)
        .iter()
        .find(|e| e["id"] == "area-change/deepstate/occupied/all/2024-08-04")
        .unwrap();
    assert!(
        close(&grown["figures"]["km2"], 9_956.772, 0.01) && close(&grown["figures"]["km2_before"], 8_297.370, 0.01)
    );
    assert_eq!(
        grown["title"],
        "occupied area (deepstate): +1659.401 km² on 2024-08-04 (since 2024-08-02; now 9956.772 km²)"
    );
    let uk = env.json(&common::words("events --kind area-change --within UA-14 --lang uk"));
    assert_eq!(
        uk[0]["title"],
        "окуповано площа (deepstate) в UA-14: +1659.401 km² за 2024-08-04 (від 2024-08-02; тепер 9956.772 km²)"
    );
    env.json(&["import", "control", &fixture("deepstate")]);
    let again = env.json(&common::words("events --kind area-change,disagreement --limit 100"));
    assert_eq!(common::rows(&again).len(), 7, "nothing new on a re-import");
}
