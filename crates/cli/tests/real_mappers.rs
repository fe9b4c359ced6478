//! Two mappers compared (`territory compare`, issue #13): DeepState's
//! occupied layer against ISW's `ukraine_control_map` (isw-kursk), within
//! Ukraine's de jure outline, on the ten days ISW published from
//! 2024-08-29 to 2025-05-16, from `$FRONTLINE_DATA`.
//!
//! Expected figures computed independently with shapely + pyproj by
//! `scripts/derive/mapper_figures.py $FRONTLINE_DATA`: on 2024-11-03
//! DeepState draws 109,110.432 km² and ISW 107,920.167 km²; 1,319.650 km²
//! only DeepState draws, 129.473 km² only ISW; Donetsk (UA-14) holds 727.189
//! and 29.345 of them; the disagreement runs from 1,209.522 km² (2025-05-16)
//! to 1,945.067 km² (2025-01-03).
//!
//! Every ISW file has three features without a geometry (0.2 km² by their
//! own `area_km2`): the import refuses them unless told to drop them.
//!
//! Skips, saying so, when `FRONTLINE_DATA` is not set.

use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;

fn within(v: &Value, want: f64, abs: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() <= abs)
}

/// The DeepState files standing for the ISW days: the latest published by
/// the end of each day (file names are epoch seconds).
fn deepstate_for(dir: &Path, days: &[&str]) -> Vec<String> {
    let mut snaps: Vec<(i64, PathBuf)> = std::fs::read_dir(dir.join("deepstate-history"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let t = p.file_name()?.to_str()?.split('.').next()?.parse().ok()?;
            Some((t, p))
        })
        .collect();
    snaps.sort();
    let mut out: Vec<String> = days
        .iter()
        .filter_map(|d| {
            let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            let end = day
                .succ_opt()
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp();
            snaps
                .iter()
                .rev()
                .find(|(t, _)| *t < end)
                .map(|(_, p)| p.display().to_string())
        })
        .collect();
    out.dedup();
    out
}

#[test]
fn deepstate_and_isw_compared_give_the_independently_computed_figures() {
    let Some((dir, _tmp, db)) = common::real("isw-kursk") else {
        return;
    };
    let p = |s: &str| dir.join(s).display().to_string();
    let isw_days = [
        "2024-07-18",
        "2024-08-29",
        "2024-11-03",
        "2024-11-24",
        "2024-12-17",
        "2025-01-03",
        "2025-01-08",
        "2025-03-04",
        "2025-03-08",
        "2025-05-16",
    ];
    let mut args = vec!["import".to_string(), "control".to_string()];
    args.extend(deepstate_for(&dir, &isw_days));
    common::ok_on(&db, &args.iter().map(String::as_str).collect::<Vec<_>>());
    common::ok_on(
        &db,
        &[
            "import",
            "boundaries",
            &p("admin1-naturalearth/admin1_ua_ru_by_ne10m.geojson"),
        ],
    );

    // ISW's files lose three shapes each: refused, nothing stored...
    let isw = p("isw-kursk/territory_geojson");
    let isw_args = [&["import", "control", &isw][..], common::ISW_FLAGS].concat();
    let out = common::frontline()
        .arg("--db")
        .arg(&db)
        .args(&isw_args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "2024-07-18.geojson: feature 5: field `geometry`: null geometry: refusing a map with a missing shape"
        ),
        "{err}"
    );
    let refused = common::run_on(
        &db,
        &common::words("territory compare --status occupied --mappers deepstate,isw"),
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("no control snapshots by mapper `isw`"),
        "{refused:?}"
    );
    // ...and dropped, each reported, when asked.
    let imported = common::json_on(&db, &[&isw_args[..], &["--drop-shapeless"]].concat());
    assert_eq!(imported.as_array().unwrap().len(), 10);
    assert_eq!(
        imported[0]["warnings"], "3 feature(s) without a geometry dropped as asked (features 5, 6, 11)",
        "{imported}"
    );

    let compare = |extra: &[&str]| {
        common::json_on(
            &db,
            &[
                &common::words("territory compare --status occupied --mappers deepstate,isw --within UA")[..],
                extra,
            ]
            .concat(),
        )
    };
    let day = compare(&["--date", "2024-11-03"]);
    let r = &day[0];
    assert!(within(&r["a_km2"], 109_110.432, 0.1), "{r}");
    assert!(within(&r["b_km2"], 107_920.167, 0.1), "{r}");
    assert!(within(&r["only_a_km2"], 1_319.650, 0.1), "{r}");
    assert!(within(&r["only_b_km2"], 129.473, 0.1), "{r}");
    assert!(within(&r["disagree_km2"], 1_449.123, 0.1), "{r}");
    assert_eq!(r["a_snapshot"], "2024-11-03T21:30:08+00:00");

    let by_unit = compare(&["--date", "2024-11-03", "--country", "UA"]);
    let donetsk = common::rows(&by_unit).iter().find(|u| u["unit"] == "UA-14").unwrap();
    assert!(within(&donetsk["only_a_km2"], 727.189, 0.1), "{donetsk}");
    assert!(within(&donetsk["only_b_km2"], 29.345, 0.1), "{donetsk}");
    let summed: f64 = common::rows(&by_unit)
        .iter()
        .map(|u| u["only_a_km2"].as_f64().unwrap())
        .sum();
    assert!((summed - 1_319.650).abs() < 0.5, "units add up to the whole: {summed}");

    // Over time: one row per ISW day that DeepState also covers (its first
    // map is of 2024-08-01, so ISW's 2024-07-18 has no partner).
    let series = compare(&["--from", "2024-07-01", "--to", "2025-06-30"]);
    let rows = series.as_array().unwrap();
    assert_eq!(rows.len(), 9, "{series}");
    assert_eq!(rows[0]["date"], "2024-08-29");
    for (date, disagree) in [("2025-01-03", 1_945.067), ("2025-05-16", 1_209.522)] {
        let r = rows.iter().find(|r| r["date"] == date).unwrap();
        assert!(within(&r["disagree_km2"], disagree, 0.1), "{r}");
    }
    // DeepState's data end on 2025-04-30: the row says which map stood in.
    assert_eq!(rows[8]["a_snapshot"], "2025-04-30T22:19:05+00:00");
}
