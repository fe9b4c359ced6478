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
        env.json(&["import", "places", &fixture("places.csv")]);
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

    let ch = env.json(&[
        "territory",
        "change",
        "--status",
        "occupied",
        "--from",
        "2024-08-01",
        "--to",
        "2024-08-04",
    ]);
    assert!(close(&ch[0]["gained_km2"], 1659.501, 0.01), "{ch}");
    assert!(close(&ch[0]["lost_km2"], 0.0, 1e-6));
    assert!(close(&ch[0]["net_km2"], 1659.501, 0.01));

    let series = env.json(&[
        "territory",
        "change",
        "--status",
        "liberated",
        "--period",
        "week",
        "--from",
        "2024-08-01",
        "--to",
        "2024-08-04",
    ]);
    let nets: f64 = series
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["net_km2"].as_f64().unwrap())
        .sum();
    assert!(nets.abs() < 0.01, "the box moved but kept its size: {series}");

    let s = env.json(&[
        "territory",
        "settlements",
        "--date",
        "2024-08-02",
        "--status",
        "liberated",
        "--within",
        "RU",
    ]);
    assert_eq!(s.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            s[0]["name"].as_str(),
            s[0]["population"].as_u64(),
            s[0]["status"].as_str()
        ),
        (Some("Sudzha"), Some(5806), Some("liberated"))
    );
    let none = env.json(&[
        "territory",
        "settlements",
        "--date",
        "2024-08-01",
        "--status",
        "liberated",
    ]);
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

    let d = env.json(&[
        "territory",
        "distance",
        "--date",
        "2024-08-01",
        "--status",
        "liberated",
        "--to",
        "kursk",
    ]);
    assert_eq!(d[0]["to"], "Kursk");
    assert!(close(&d[0]["km"], 83.735, 0.01), "{d}");
    let layer = env.json(&[
        "territory",
        "distance",
        "--date",
        "2024-08-01",
        "--status",
        "liberated",
        "--to-layer",
        "infrastructure",
    ]);
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
    let kinds: Vec<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["gained", "lost"]);
}

#[test]
fn reimport_adds_nothing_and_bad_file_stores_nothing() {
    let env = Env::loaded();
    let before = env.json(&["sources"]).as_array().unwrap().len();
    let again = env.json(&["import", "control", &fixture("deepstate")]);
    assert!(
        again
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "already imported")
    );
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
    let out = env.run(&["territory", "area", "--status", "occupied"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no control snapshots stored yet"));
    let out = env.run(&["territory", "area", "--status", "held"]);
    assert_eq!(out.status.code(), Some(2));
}
