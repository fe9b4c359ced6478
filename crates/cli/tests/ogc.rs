//! OGC API – Features (#25, docs/ogc.md), read by a standard client:
//! GDAL's OAPIF driver (`ogrinfo`, `ogr2ogr`; Debian's gdal-bin, installed
//! by `.ci/run`). The areas of what GDAL read are computed again by
//! scripts/geodesic_area.py with GeographicLib, not by Frontline.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod common;

/// Whether GDAL is here; in CI its absence fails the test.
fn gdal() -> bool {
    let here = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        here || !common::in_ci(),
        "ogrinfo (gdal-bin) is missing; .ci/run installs it"
    );
    if !here {
        eprintln!("skipping: ogrinfo (gdal-bin) is not installed");
    }
    here
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// GDAL's copy of a collection (`OAPIF:URL`, the URL's query kept on every
/// page) as GeoJSON, measured by the script: (features, distinct ids, km²).
fn read(dir: &Path, source: &str, page: &str) -> (usize, usize, f64) {
    let out = dir.join("read.geojson");
    let _ = std::fs::remove_file(&out);
    let page = format!("PAGE_SIZE={page}");
    run(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            "-oo",
            &page,
            out.to_str().unwrap(),
            &format!("OAPIF:{source}"),
        ],
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/geodesic_area.py");
    let said = run("python3", &[script.to_str().unwrap(), out.to_str().unwrap()]);
    let figure = |name: &str| {
        said.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    (
        figure("features ").parse().unwrap(),
        figure("ids ").parse().unwrap(),
        figure("km2 ").parse().unwrap(),
    )
}

/// The territory fixtures' places and DeepState maps, and WarSpotting's
/// two items, in a new database; `None` without GDAL.
fn fixtures() -> Option<common::Env> {
    if !gdal() {
        return None;
    }
    let env = common::Env::new();
    let territory = |name: &str| common::fixture(&format!("territory/{name}"));
    env.ok(&["import", "places", &territory("places.csv")]);
    env.ok(&["import", "boundaries", &territory("units.geojson")]);
    env.ok(&["import", "control", &territory("deepstate")]);
    let losses = common::fixture("losses/warspotting.csv");
    env.ok(&["import", "losses", &losses, "--format", "warspotting"]);
    Some(env)
}

fn get(addr: &str, path: &str) -> (u16, Value) {
    let (status, _, body) = common::http_get(addr, path);
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// The fixtures (fixtures/territory): DeepState's occupied box on
/// 2024-08-04 is 9,956.772 km² (pyproj), and the four places.
#[test]
fn gdal_reads_the_collections_areas_and_every_page() {
    let Some(env) = fixtures() else { return };
    let server = common::serve(env.db.to_str().unwrap(), &[]);
    let base = format!("http://{}/ogc", server.addr);
    let listed = run("ogrinfo", &["-ro", "-q", &format!("OAPIF:{base}")]);
    for id in [
        "control-deepstate-occupied",
        "control-deepstate-liberated",
        "losses-warspotting",
        "units-deepstate-occupied",
        "settlements",
    ] {
        assert!(listed.contains(&format!(": {id} ")), "{id} in {listed}");
    }
    let occupied = format!("{base}/collections/control-deepstate-occupied?datetime=2024-08-04");
    let (features, ids, km2) = read(env.dir.path(), &occupied, "10");
    assert_eq!((features, ids), (1, 1));
    assert!((km2 - 9_956.772).abs() <= 0.001 * 9_956.772, "{km2}");
    // An instant before the 2024-08-02 map: the 2024-08-01 one, the 37–38°
    // box (8,297.370 km²).
    let earlier = format!("{base}/collections/control-deepstate-occupied?datetime=2024-08-01T23:00:00Z");
    let (_, _, km2) = read(env.dir.path(), &earlier, "10");
    assert!((km2 - 8_297.370).abs() <= 0.001 * 8_297.370, "{km2}");
    // One feature a page: every settlement once, through the next links.
    let (features, ids, _) = read(env.dir.path(), &format!("{base}/collections/settlements"), "1");
    assert_eq!((features, ids), (4, 4));
    // The located losses: both WarSpotting items, one a page; by event day.
    let (features, ids, _) = read(env.dir.path(), &format!("{base}/collections/losses-warspotting"), "1");
    assert_eq!((features, ids), (2, 2));
    let (_, day) = get(
        &server.addr,
        "/ogc/collections/losses-warspotting/items?datetime=2024-08-10",
    );
    let models: Vec<&str> = day["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["model"].as_str())
        .collect();
    assert_eq!(models, ["T-80BV"], "{day}");

    // First-level units: the area at an interval's end and the change
    // since its start (the 0.2° strip, 1,659.401 km², all in UA-14).
    let (_, units) = get(
        &server.addr,
        "/ogc/collections/units-deepstate-occupied/items?datetime=2024-08-02/2024-08-04&limit=100",
    );
    let donetsk = units["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "UA-14")
        .cloned()
        .unwrap_or_default();
    let p = &donetsk["properties"];
    assert!((p["area_km2"].as_f64().unwrap() - 9_956.772).abs() < 0.01, "{donetsk}");
    assert!(
        (p["change_km2"].as_f64().unwrap() - 1_659.401).abs() < 0.01,
        "{donetsk}"
    );
    assert_eq!(donetsk["geometry"]["type"], "MultiPolygon");

    // Two mappers' disagreement (ISW's fixture box against DeepState's on
    // 2024-08-02): a 0.1° strip each, 829.751 km² (pyproj).
    env.ok(&[
        &["import", "control", &common::fixture("territory/isw")][..],
        common::ISW_FLAGS,
    ]
    .concat());
    let gap = "/ogc/collections/disagreement-deepstate-isw-occupied/items?datetime=2024-08-02";
    let (status, gap) = get(&server.addr, gap);
    assert_eq!(status, 200, "{gap}");
    let sides: Vec<(String, f64)> = gap["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["properties"]["area_km2"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sides.len(), 2, "{gap}");
    assert_eq!(
        (sides[0].0.as_str(), sides[1].0.as_str()),
        ("deepstate-2024-08-02", "isw-2024-08-02")
    );
    assert!(sides.iter().all(|(_, km2)| (km2 - 829.751).abs() < 0.01), "{sides:?}");
    let (status, one) = get(
        &server.addr,
        "/ogc/collections/disagreement-deepstate-isw-occupied/items/isw-2024-08-02",
    );
    assert_eq!((status, &one["properties"]["only"]), (200, &Value::from("isw")));

    // The documents themselves.
    let (status, page) = get(
        &server.addr,
        "/ogc/collections/settlements/items?limit=3&status=occupied&datetime=2024-08-04",
    );
    assert_eq!(status, 200, "{page}");
    let names: Vec<&str> = page["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str())
        .collect();
    assert_eq!(names, ["Makiivka"], "{page}");
    assert_eq!(
        (&page["numberMatched"], &page["numberReturned"]),
        (&Value::from(1), &Value::from(1))
    );
    let (_, page) = get(
        &server.addr,
        "/ogc/collections/settlements/items?limit=2&bbox=35,51,37,52",
    );
    assert_eq!(page["numberMatched"], 2, "Sudzha and Kursk: {page}");
    let next = page["links"].as_array().unwrap().iter().find(|l| l["rel"] == "next");
    assert!(next.is_none(), "no next page when all are here: {page}");
    let (_, first) = get(&server.addr, "/ogc/collections/settlements/items?limit=1");
    let next = first["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap()["href"]
        .clone();
    assert!(
        next.as_str()
            .unwrap()
            .ends_with("/ogc/collections/settlements/items?limit=1&offset=1"),
        "{next}"
    );
    let one = first["features"][0]["id"].as_str().unwrap().to_string();
    let (status, item) = get(&server.addr, &format!("/ogc/collections/settlements/items/{one}"));
    assert_eq!((status, &item["id"]), (200, &Value::from(one)));
    let (_, conf) = get(&server.addr, "/ogc/conformance");
    assert!(
        conf["conformsTo"]
            .to_string()
            .contains("ogcapi-features-1/1.0/conf/geojson")
    );
    for (path, status) in [
        ("/ogc/collections/coups/items", 404),
        ("/ogc/collections/settlements/items?limit=0", 400),
        ("/ogc/collections/settlements/items?bbox=1,2,3", 400),
        ("/ogc/collections/settlements/items?datetime=soon", 400),
        ("/ogc/collections/settlements/items?colour=red", 400),
        ("/ogc/collections/settlements/items?datetime=2024-08-01/2024-08-04", 400),
        ("/ogc/collections/control-deepstate-occupied/items?f=html", 400),
        ("/ogc/collections/settlements/items/nowhere", 404),
    ] {
        assert_eq!(get(&server.addr, path).0, status, "{path}");
    }
    // Revalidated: the ETag answers 304 until the data change.
    let (_, head, _, _) = common::exchange(&server.addr, "GET", "/ogc/collections", &[], b"");
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .trim()
        .to_string();
    let (status, _, _, _) = common::exchange(
        &server.addr,
        "GET",
        "/ogc/collections",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(status, 304);
}

/// The real DeepState archive: the occupied layer of 2024-11-01 as GDAL
/// reads it measures Frontline's own unclipped area (110,793.455 km²) to
/// 0.1 %, and the 3,505 GeoNames places come through 500 a page, each once.
#[test]
fn gdal_reads_the_real_archive() {
    if !gdal() {
        return;
    }
    let Some((dir, tmp, db)) = common::real("deepstate-history") else {
        return;
    };
    let p = |s: &str| dir.join(s).display().to_string();
    common::ok_on(
        &db,
        &[
            "import",
            "places",
            &p("gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv"),
        ],
    );
    common::ok_on(&db, &["import", "control", &p("deepstate-history")]);
    let own = common::json_on(
        &db,
        &common::words("territory area --status occupied --from 2024-11-01 --to 2024-11-01"),
    );
    let own = own[0]["area_km2"].as_f64().unwrap();
    let server = common::serve(db.to_str().unwrap(), &[]);
    let base = format!("http://{}/ogc", server.addr);
    let occupied = format!("{base}/collections/control-deepstate-occupied?datetime=2024-11-01");
    let (features, ids, km2) = read(tmp.path(), &occupied, "100");
    assert_eq!(features, ids);
    assert!(
        (km2 - own).abs() <= 0.001 * own,
        "GDAL's copy {km2} km², Frontline {own} km²"
    );
    let (features, ids, _) = read(
        tmp.path(),
        &format!("{base}/collections/settlements?datetime=2024-09-06"),
        "500",
    );
    assert_eq!((features, ids), (3_505, 3_505));
}

/// `export layer` writes files GDAL opens unchanged: the fixtures'
/// occupied box of 2024-08-04 as a GeoPackage and as CSV with WKT measures
/// 9,956.772 km² (pyproj) in both, in EPSG:4326, with the provenance (the
/// fixture files' SHA-256) in the GeoPackage's metadata; the settlements
/// as points, each with its status.
#[test]
fn exported_layers_open_in_gdal_with_their_area_crs_and_provenance() {
    let Some(env) = fixtures() else { return };
    let dir = env.dir.path();
    let file = |name: &str| dir.join(name).display().to_string();
    // A command line, then the file it writes.
    let to = |line: &str, name: &str| {
        let mut words = common::words(line);
        let path = file(name);
        words.push(&path);
        env.run(&words)
    };
    let control = "export layer --what control --status occupied --date 2024-08-04 --format";
    for (form, name) in [("gpkg", "occupied.gpkg"), ("csv", "occupied.csv")] {
        let out = to(&format!("{control} {form} --out"), name);
        assert!(out.status.success(), "{out:?}");
    }
    let about = run(
        "ogrinfo",
        &["-so", &file("occupied.gpkg"), "control_deepstate_occupied"],
    );
    assert!(
        about.contains("Feature Count: 1") && about.contains(r#"ID["EPSG",4326]"#),
        "{about}"
    );
    let sources = env.json(&["sources"]);
    let sha = common::rows(&sources)
        .iter()
        .find(|s| s["kind"] == "control-map")
        .unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        about.contains("GPKG_METADATA_ITEM_1") && about.contains(&sha),
        "the provenance names {sha}: {about}"
    );
    for (source, extra) in [
        (file("occupied.gpkg"), vec![]),
        (
            file("occupied.csv"),
            vec!["-oo", "GEOM_POSSIBLE_NAMES=wkt", "-a_srs", "EPSG:4326"],
        ),
    ] {
        let out = dir.join("copy.geojson");
        let _ = std::fs::remove_file(&out);
        run(
            "ogr2ogr",
            &[&["-f", "GeoJSON", out.to_str().unwrap(), &source][..], &extra].concat(),
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/geodesic_area.py");
        let said = run("python3", &[script.to_str().unwrap(), out.to_str().unwrap()]);
        let km2: f64 = said
            .lines()
            .find_map(|l| l.strip_prefix("km2 "))
            .unwrap()
            .parse()
            .unwrap();
        assert!((km2 - 9_956.772).abs() <= 0.001 * 9_956.772, "{source}: {km2}");
    }
    assert!(
        to(
            "export layer --what settlements --date 2024-08-04 --format gpkg --out",
            "places.gpkg"
        )
        .status
        .success()
    );
    let places = run("ogrinfo", &["-al", &file("places.gpkg")]);
    assert!(
        places.contains("Feature Count: 4") && places.contains("status (String) = occupied"),
        "{places}"
    );
    // A file that exists is never overwritten; a wrong request names its field.
    common::fails(
        &to("export layer --what settlements --format gpkg --out", "places.gpkg"),
        1,
        "exists",
    );
    common::fails(
        &to("export layer --what losses --format gpkg --out", "x.gpkg"),
        1,
        "what: `losses`",
    );
    common::fails(
        &to("export layer --what control --format gpkg --out", "x.gpkg"),
        1,
        "status:",
    );
}
