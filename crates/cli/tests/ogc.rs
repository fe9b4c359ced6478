//! OGC API – Features (#25, docs/ogc.md), read by a standard client:
//! GDAL's OAPIF driver (`ogrinfo`, `ogr2ogr`; Debian's gdal-bin, installed
//! by `.ci/run`). The areas of what GDAL read are computed again by
//! scripts/geodesic_area.py with GeographicLib, not by Frontline.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod common;

/// Whether `python3 -c probe` (or `cmd --version`) runs; in CI a missing
/// tool fails the test (.ci/run installs it) instead of skipping it.
fn here(cmd: &str, args: &[&str], what: &str) -> bool {
    let here = Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success());
    assert!(here || !common::in_ci(), "{what} is missing; .ci/run installs it");
    if !here {
        eprintln!("skipping: {what} is not installed");
    }
    here
}

/// Whether GDAL is here.
fn gdal() -> bool {
    here("ogrinfo", &["--version"], "ogrinfo (gdal-bin)")
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
    // Bad requests get OGC API's JSON exception (`code`, `description`)
    // with the right status, and the description names what is wrong.
    for (path, status, names) in [
        ("/ogc/collections/coups/items", 404, "`coups`"),
        ("/ogc/collections/settlements/items?limit=0", 400, "limit"),
        ("/ogc/collections/settlements/items?limit=10001", 400, "limit"),
        ("/ogc/collections/settlements/items?limit=ten", 400, "limit"),
        ("/ogc/collections/settlements/items?bbox=1,2,3", 400, "bbox"),
        (
            "/ogc/collections/settlements/items?bbox=34,50,181,51",
            400,
            "bbox: `34,50,181,51` is out of range",
        ),
        (
            "/ogc/collections/settlements/items?bbox=34,52,36,51",
            400,
            "bbox: `34,52,36,51` is inverted",
        ),
        ("/ogc/collections/settlements/items?datetime=soon", 400, "datetime"),
        ("/ogc/collections/settlements/items?colour=red", 400, "`colour`"),
        (
            "/ogc/collections/settlements/items?datetime=2024-08-01/2024-08-04",
            400,
            "interval",
        ),
        (
            "/ogc/collections/control-deepstate-occupied/items?f=xml",
            400,
            "f: `xml`",
        ),
        ("/ogc/collections/settlements/items/nowhere", 404, "nowhere"),
    ] {
        let (got, body) = get(&server.addr, path);
        let code = if status == 404 {
            "NotFound"
        } else {
            "InvalidParameterValue"
        };
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{path}: {body}");
        let description = body["description"].as_str().unwrap_or_default();
        assert!(description.contains(names), "{path}: {description}");
    }
    // Simple property filters, each collection its own; a name another
    // collection has is refused by this one, naming what it takes.
    for (path, matched) in [
        ("/ogc/collections/settlements/items?country=UA", 2),
        ("/ogc/collections/settlements/items?country=UA&name=Kramatorsk", 1),
        ("/ogc/collections/losses-warspotting/items?model=T-72B3", 1),
        ("/ogc/collections/losses-warspotting/items?status=destroyed", 2),
        ("/ogc/collections/losses-warspotting/items?status=damaged", 0),
        ("/ogc/collections/units-deepstate-occupied/items?code=UA-14", 1),
    ] {
        let (status, page) = get(&server.addr, path);
        assert_eq!(
            (status, page["numberMatched"].as_u64()),
            (200, Some(matched)),
            "{path}: {page}"
        );
    }
    let (status, refused) = get(
        &server.addr,
        "/ogc/collections/control-deepstate-occupied/items?model=T-72B3",
    );
    assert_eq!(status, 400);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("model: not a property filter"),
        "{refused}"
    );
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
/// 0.1 %, and the 3,505 GeoNames places come through 500 a page, each once;
/// the layer exported as FlatGeobuf and GeoParquet measures the same in geopandas.
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
    // The same layer exported as FlatGeobuf and GeoParquet, read by geopandas.
    if geopandas() {
        for form in ["fgb", "parquet"] {
            let out = tmp.path().join(format!("occupied.{form}")).display().to_string();
            let line =
                format!("export layer --what control --status occupied --date 2024-11-01 --format {form} --out {out}");
            common::ok_on(&db, &common::words(&line));
            let read = read_layer(&out);
            let km2: f64 = said(&read, "km2").parse().unwrap();
            assert_eq!(said(&read, "features"), said(&read, "ids"));
            assert!(
                (km2 - own).abs() <= 0.001 * own,
                "{form}: {km2} km², Frontline {own} km²"
            );
        }
    }
}

/// Whether geopandas (with pyogrio, pyarrow and pyproj) is here.
fn geopandas() -> bool {
    here(
        "python3",
        &["-c", "import geopandas, pyogrio, pyarrow, pyproj"],
        "geopandas, pyogrio or pyarrow",
    )
}

/// What scripts/read_layer.py (geopandas, pyogrio, pyarrow, pyproj) reads
/// in an exported file: its `name value` lines.
fn read_layer(path: &str) -> Vec<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/read_layer.py");
    run("python3", &[script.to_str().unwrap(), path])
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn said<'a>(lines: &'a [(String, String)], name: &str) -> &'a str {
    lines.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// `export layer` writes files GDAL and geopandas open unchanged: the
/// fixtures' occupied box of 2024-08-04 as a GeoPackage, FlatGeobuf,
/// GeoParquet and CSV with WKT measures 9,956.772 km² (pyproj) in each, in
/// EPSG:4326 (CRS84 for GeoParquet, its default: the same axes as the
/// data), with the provenance (the fixture files' SHA-256) in each file's
/// metadata; the settlements as points, each with its status; located
/// losses and units' change as layers too.
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
    let forms = [
        ("gpkg", "occupied.gpkg"),
        ("fgb", "occupied.fgb"),
        ("parquet", "occupied.parquet"),
        ("csv", "occupied.csv"),
    ];
    for (form, name) in forms {
        let out = to(&format!("{control} {form} --out"), name);
        assert!(out.status.success(), "{out:?}");
    }
    let sources = env.json(&["sources"]);
    let sha = common::rows(&sources)
        .iter()
        .find(|s| s["kind"] == "control-map")
        .unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    for name in ["occupied.gpkg", "occupied.fgb"] {
        let about = run("ogrinfo", &["-so", &file(name), "control_deepstate_occupied"]);
        assert!(
            about.contains("Feature Count: 1") && about.contains(r#"ID["EPSG",4326]"#),
            "{name}: {about}"
        );
    }
    let about = run(
        "ogrinfo",
        &["-so", &file("occupied.gpkg"), "control_deepstate_occupied"],
    );
    assert!(
        about.contains("GPKG_METADATA_ITEM_1") && about.contains(&sha),
        "the provenance names {sha}: {about}"
    );
    for (source, extra) in [
        (file("occupied.gpkg"), vec![]),
        (file("occupied.fgb"), vec![]),
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
    if geopandas() {
        for (form, name) in forms {
            let read = read_layer(&file(name));
            let km2: f64 = said(&read, "km2").parse().unwrap();
            assert!((km2 - 9_956.772).abs() <= 0.001 * 9_956.772, "{form}: {km2}");
            assert_eq!((said(&read, "features"), said(&read, "ids")), ("1", "1"), "{form}");
            let crs = if form == "parquet" { "OGC:CRS84" } else { "EPSG:4326" };
            assert_eq!(said(&read, "crs"), crs, "{form}");
            assert!(read.contains(&("sha256".into(), sha.clone())), "{form}: {read:?}");
            assert!(
                read.contains(&("column".into(), "area_km2 9956.772".into())),
                "{form}: {read:?}"
            );
        }
        // Located losses by event day: the T-80BV of 2024-08-10 alone.
        let line =
            "export layer --what losses --source warspotting --from 2024-08-01 --to 2024-08-10 --format parquet --out";
        assert!(to(line, "losses.parquet").status.success());
        let read = read_layer(&file("losses.parquet"));
        assert_eq!((said(&read, "features"), said(&read, "types")), ("1", "Point"));
        assert!(read.contains(&("column".into(), "model T-80BV".into())), "{read:?}");
        // Units over an interval: UA-14's change from 2024-08-02 to 2024-08-04.
        let line = "export layer --what units --status occupied --from 2024-08-02 --to 2024-08-04 --format fgb --out";
        assert!(to(line, "units.fgb").status.success());
        let read = read_layer(&file("units.fgb"));
        let units = run("ogrinfo", &["-al", "-where", "code = 'UA-14'", &file("units.fgb")]);
        assert!(units.contains("change_km2 (Real) = 1659.401"), "{units}");
        assert_eq!(said(&read, "features"), "4", "{read:?}");
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
        &to("export layer --what pies --format gpkg --out", "x.gpkg"),
        1,
        "what: `pies`",
    );
    common::fails(
        &to("export layer --what losses --format fgb --out", "x.fgb"),
        1,
        "source:",
    );
    common::fails(
        &to(
            "export layer --what control --status occupied --format shp --out",
            "x.shp",
        ),
        1,
        "format: `shp`",
    );
    // A loss list without located items gives no file, and says why.
    common::fails(
        &to(
            "export layer --what losses --source oryx --format parquet --out",
            "x.parquet",
        ),
        1,
        "located",
    );
    assert!(!dir.join("x.parquet").exists());
    common::fails(
        &to("export layer --what control --format gpkg --out", "x.gpkg"),
        1,
        "status:",
    );
}

/// A gazetteer without any control map is still a collection: each place
/// with a null status (no map says), and a status filter is refused.
#[test]
fn settlements_without_a_map_have_no_status() {
    let env = common::Env::new();
    env.ok(&["import", "places", &common::fixture("territory/places.csv")]);
    let server = common::serve(env.db.to_str().unwrap(), &[]);
    let (status, page) = get(&server.addr, "/ogc/collections/settlements/items?limit=100");
    assert_eq!((status, page["numberMatched"].as_u64()), (200, Some(4)), "{page}");
    for f in page["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["status"], Value::Null, "{f}");
        assert!(f["properties"]["population"].is_number(), "{f}");
    }
    let (status, answer) = get(&server.addr, "/ogc/collections/settlements/items?status=occupied");
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("no control map"), "{answer}");
}

/// `f=html` pages each document for a browser, with every text from the
/// data escaped (a place named with markup reads as that text), the
/// links leading to the next page's HTML, and the page's strict policy.
#[test]
fn html_pages_show_data_as_text() {
    let env = common::Env::new();
    let csv = env.dir.path().join("hostile.csv");
    std::fs::write(
        &csv,
        "name,lat,lon,population,admin1,country,name_uk,name_ru\n\
         <script>alert(1)</script>,51.19,35.27,5806,Kursk,RU,<img src=x onerror=alert(2)>,\"a&b\"\"c\"\n\
         Kursk,51.73,36.19,448733,Kursk,RU,Курськ,Курск\n",
    )
    .unwrap();
    env.ok(&["import", "places", csv.to_str().unwrap()]);
    let server = common::serve(env.db.to_str().unwrap(), &[]);
    let (status, head, ctype, body) = common::exchange(
        &server.addr,
        "GET",
        "/ogc/collections/settlements/items?limit=1&f=html",
        &[],
        b"",
    );
    let page = String::from_utf8(body).unwrap();
    assert_eq!((status, ctype.as_str()), (200, "text/html; charset=utf-8"), "{page}");
    assert!(
        head.to_lowercase()
            .contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    assert!(!page.contains("<script") && !page.contains("<img"), "{page}");
    let shown = page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.contains("Kursk");
    assert!(shown && page.contains("1 of 2 features"), "{page}");
    assert!(
        page.contains("offset=1&amp;f=html\">") || page.contains("f=html&amp;limit=1&amp;offset=1\">"),
        "{page}"
    );
    let (_, _, _, body) = common::exchange(
        &server.addr,
        "GET",
        "/ogc/collections/settlements/items?limit=2&f=html",
        &[],
        b"",
    );
    let page = String::from_utf8(body).unwrap();
    for shown in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;img src=x onerror=alert(2)&gt;",
        "a&amp;b&quot;c",
    ] {
        assert!(page.contains(shown), "{shown} in {page}");
    }
    assert!(!page.contains("<script") && !page.contains("<img"), "{page}");
    // The landing page links the collections' page; JSON stays the default.
    let (_, _, _, body) = common::exchange(&server.addr, "GET", "/ogc?f=html", &[], b"");
    let landing = String::from_utf8(body).unwrap();
    assert!(landing.contains("/ogc/collections?f=html\">"), "{landing}");
    assert_eq!(
        get(&server.addr, "/ogc/collections").1["collections"][0]["id"],
        "settlements"
    );
}

/// `GET path` with a `Host` of our choosing: (status, body as JSON).
fn get_as(addr: &str, host: &str, path: &str) -> (u16, Value) {
    let (status, _, _, body) = common::exchange(addr, "GET", path, &[("Host", host)], b"");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// OGC answers are kept in the answer cache like every other: the same
/// question is answered with the same document (its `timeStamp` says
/// when it was made) until the data change; another host gets its own
/// answer, with links to itself, never the first host's.
#[test]
fn answers_are_cached_per_host_until_the_data_change() {
    let env = common::Env::new();
    env.ok(&["import", "places", &common::fixture("territory/places.csv")]);
    let server = common::serve(env.db.to_str().unwrap(), &[]);
    let path = "/ogc/collections/settlements/items?limit=1";
    let (_, first) = get_as(&server.addr, "a.test:80", path);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_, again) = get_as(&server.addr, "a.test:80", path);
    assert_eq!(first["timeStamp"], again["timeStamp"], "kept: {again}");
    let (status, other) = get_as(&server.addr, "b.test:8080", path);
    assert_eq!(status, 200);
    let next = other["links"][1]["href"].as_str().unwrap();
    assert!(next.starts_with("http://b.test:8080/ogc/"), "{next}");
    assert_ne!(other["timeStamp"], first["timeStamp"], "made for b.test: {other}");
    let mine = first["links"][1]["href"].as_str().unwrap();
    assert!(mine.starts_with("http://a.test:80/ogc/"), "{mine}");
    // Compressed for a client that takes gzip (the cached body packed once,
    // or the compression layer: the client cannot tell), the same bytes.
    let (_, head, _, packed) = common::exchange(
        &server.addr,
        "GET",
        "/ogc/collections/settlements/items?limit=100",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    let (_, _, _, plain) = common::exchange(
        &server.addr,
        "GET",
        "/ogc/collections/settlements/items?limit=100",
        &[],
        b"",
    );
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&packed[..]), &mut unpacked).unwrap();
    assert_eq!(unpacked, plain);
    // New data: a new answer.
    env.ok(&["import", "boundaries", &common::fixture("territory/units.geojson")]);
    let (_, after) = get_as(&server.addr, "a.test:80", path);
    assert_ne!(after["timeStamp"], first["timeStamp"], "made again: {after}");
}
