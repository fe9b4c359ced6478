//! Regression tests for issue #21 ("no silent wrong figure"): each input a
//! held-out probe got through is refused naming its file, record and field,
//! or kept with a warning in the answer; none changes a figure silently.

use serde_json::Value;

mod common;

use common::{Env, fixture};

fn write(env: &Env, name: &str, body: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_string()
}

fn fails(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    err
}

/// A cumulative figure that falls from 5,840 to 100 overnight is refused,
/// naming the file, the day and the field; nothing is stored.
#[test]
fn a_cumulative_tally_that_falls_is_refused() {
    let env = Env::new();
    let day = |d: u32, p: i64| format!(r#"{{"date":"2022-03-{d:02}","day":{d},"personnel":{p}}}"#);
    let body = format!("[{},{},{}]", day(5, 5840), day(6, 100), day(7, 8900));
    let file = write(&env, "russia_losses_personnel.json", &body);
    let err = fails(&env, &["import", "tallies", &file]);
    assert!(
        err.contains(
            "russia_losses_personnel.json: record of 2022-03-06, field `personnel`: the cumulative figure falls from 5840 (2022-03-05) to 100"
        ),
        "{err}"
    );
    assert!(!env.db.exists() || env.json(&["categories"]).as_array().unwrap().is_empty());
    // A fall of a few units (the General Staff's own) is kept, with a
    // warning in the answer.
    let body = format!("[{},{},{}]", day(5, 5840), day(6, 5838), day(7, 8900));
    let file = write(&env, "russia_losses_personnel.json", &body);
    let rows = env.json(&["import", "tallies", &file]);
    let w = rows[0]["warnings"].as_str().unwrap();
    assert!(
        w.contains("record of 2022-03-06, field `personnel`") && w.contains("flagged `negative`"),
        "{w}"
    );
}

/// A bow-tie outline has an area (both triangles), so its share is set; a
/// hole drawn outside an outline cuts nothing, so shares stay within 100 %.
#[test]
fn bad_outlines_are_repaired_with_a_warning() {
    let env = Env::new();
    env.ok(&["import", "control", &fixture("territory/deepstate")]);
    let outline = |geometry: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"Donetsk","iso_3166_2":"UA-14","iso_a2":"UA","admin":"Ukraine"}},"geometry":{geometry}}}]}}"#
        )
    };
    // A bow-tie over the fixture maps' area (37-38.5 E, 47.5-48.5 N).
    let bowtie = r#"{"type":"Polygon","coordinates":[[[36,47],[39,49],[39,47],[36,49],[36,47]]]}"#;
    let file = write(&env, "bowtie.geojson", &outline(bowtie));
    let rows = env.json(&["import", "boundaries", &file]);
    let w = rows[0]["warnings"].as_str().unwrap();
    assert!(
        w.contains("outline UA-14 (Donetsk), polygon 1") && w.contains("self-intersection"),
        "{w}"
    );
    let a = env.json(&["territory", "area", "--status", "occupied", "--within", "UA-14"]);
    let share = a[0]["share_of_unit"]
        .as_f64()
        .expect("a share: the outline has an area");
    assert!(share > 0.0 && share <= 1.0, "{a}");

    let env = Env::new();
    env.ok(&["import", "control", &fixture("territory/deepstate")]);
    let holey = r#"{"type":"Polygon","coordinates":[[[36,47],[39,47],[39,49],[36,49],[36,47]],[[40,47],[43,47],[43,49],[40,49],[40,47]]]}"#;
    let file = write(&env, "holey.geojson", &outline(holey));
    let rows = env.json(&["import", "boundaries", &file]);
    assert!(
        rows[0]["warnings"].as_str().unwrap().contains("not contained"),
        "{rows}"
    );
    let a = env.json(&["territory", "area", "--status", "occupied", "--within", "UA-14"]);
    let share = a[0]["share_of_unit"].as_f64().unwrap();
    assert!(share > 0.0 && share <= 1.0, "a share of {share} is no share: {a}");
}

/// A map whose every polygon lies outside the region (or is rejected) is
/// refused: stored, it would read as 0 km² and a fall of the whole front.
#[test]
fn a_map_with_no_ground_left_is_refused() {
    let env = Env::new();
    env.ok(&["import", "control", &fixture("territory/deepstate")]);
    let before = env.json(&["territory", "area", "--status", "occupied"]);
    let far = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Occupied /// geoJSON.status.occupied"},"geometry":{"type":"Polygon","coordinates":[[[100,60],[101,60],[101,61],[100,61],[100,60]]]}}]}"#;
    let file = write(&env, "1722990000.geojson", far);
    let err = fails(&env, &["import", "control", &file]);
    assert!(
        err.contains("1722990000.geojson: no area left to store: 0 polygon(s) rejected, 1 outside the region"),
        "{err}"
    );
    assert_eq!(env.json(&["territory", "area", "--status", "occupied"]), before);
}

/// A claims file holding one object, or an id twice, is refused.
#[test]
fn claims_files_that_would_import_nothing_or_merge_ids_are_refused() {
    let env = Env::new();
    let one = r#"{"id":"a","speaker":"S","said_on":"2024-11-12","source_url":"https://example.org","quote":"q","metric":"daily","category":"personnel","date":"2024-11-12","value":"1950"}"#;
    let file = write(&env, "one.json", one);
    let err = fails(&env, &["claims", "import", &file]);
    assert!(
        err.contains("one.json") && err.contains("holds a single object: wrap it in [ ]"),
        "{err}"
    );
    let twice = "id,speaker,said_on,source_url,quote,metric,category,date,value\n\
                 a,S,2024-11-12,https://example.org,q,daily,personnel,2024-11-12,1950\n\
                 a,S,2024-11-12,https://example.org,q,daily,personnel,2024-11-12,1960\n";
    let file = write(&env, "twice.csv", twice);
    let err = fails(&env, &["claims", "import", &file]);
    assert!(
        err.contains("twice.csv: line 3: field `id`: claim `a` is given twice in this file (first at line 2)"),
        "{err}"
    );
}

/// Counts beyond any real list, and periods no list can have, are refused.
#[test]
fn impossible_counts_and_periods_are_refused() {
    let env = Env::new();
    for (body, want) in [
        (
            "period,vintage,subject,status,count\n2025-07,2025-08-21,Ukraine,killed,9223372036854775807\n",
            "bad.csv: line 2: field `count`: 9223372036854775807 is more than 10000000",
        ),
        (
            "period,vintage,subject,status,count\n99999-04,2025-08-21,Ukraine,killed,7\n",
            "bad.csv: line 2: field `period`: `99999-04` starts on",
        ),
    ] {
        let file = write(&env, "bad.csv", body);
        let err = fails(
            &env,
            &[
                "import",
                "counts",
                &file,
                "--format",
                "csv",
                "--subject",
                "Ukraine",
                "--vintage",
                "2025-08-21",
            ],
        );
        assert!(err.contains(want), "{err}");
    }
}

/// A read names the missing database and creates none; an empty file is
/// left empty.
#[test]
fn a_read_never_creates_or_migrates_a_database() {
    let env = Env::new();
    let err = fails(&env, &["sources"]);
    assert!(
        err.contains(&format!("no Frontline database at {}", env.db.display())),
        "{err}"
    );
    assert!(!env.db.exists());
    std::fs::write(&env.db, b"").unwrap();
    let err = fails(&env, &["territory", "area", "--status", "occupied"]);
    assert!(err.contains("the file is empty"), "{err}");
    assert_eq!(std::fs::metadata(&env.db).unwrap().len(), 0, "still empty");
}

/// Sources are named by file name and SHA-256, never a path of the machine
/// that imported them; messages name no program types.
#[test]
fn sources_show_no_paths_and_messages_no_program_types() {
    let env = Env::new();
    env.ok(&["import", "tallies", &fixture("personnel.json")]);
    let sources: Value = env.json(&["sources"]);
    let loc = sources[0]["location"].as_str().unwrap();
    assert_eq!(loc, "personnel.json");
    let file = write(
        &env,
        "1722900000.geojson",
        r#"{"type":"FeatureCollection","features":[5]}"#,
    );
    let err = fails(&env, &["import", "control", &file]);
    assert!(!err.contains("Helper") && !err.contains("struct "), "{err}");
    assert!(err.contains("expected a JSON object"), "{err}");
}
