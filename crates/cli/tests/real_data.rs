//! The General Staff tallies in `$FRONTLINE_DATA/general-staff-tallies`,
//! checked against figures computed independently over the same JSON by
//! `python3 scripts/derive/tally_figures.py $FRONTLINE_DATA/general-staff-tallies`
//! (daily value = change of the cumulative figure less the published
//! correction of that day; records compared from 2022-04-01):
//!
//! * 16 personnel record days since 2022-04-01, the last 2024-12-20 (2,200);
//!   2024-11-11 (1,770) and 2024-11-12 (1,950) are consecutive records;
//! * tanks in November 2024: 307; personnel in February 2025: 35,300;
//! * drones over 2025: 76,370; the tank record since 2022-04-01: 55 on 2023-10-20.
//!
//! A corrected file after the real one (#23): as of a day before its import
//! the first figures, and `diff` lists exactly the rows that
//! `python3 scripts/derive/tally_revision_diff.py $FRONTLINE_DATA/general-staff-tallies`
//! derives from the two files.
//!
//! The series breaks of the same files (#23) are the ten that
//! `python3 scripts/derive/tally_breaks.py $FRONTLINE_DATA/general-staff-tallies`
//! derives: special equipment, mobile SRBM systems, submarines and ground
//! robotic systems start late; military auto and fuel tanks stop on
//! 2022-04-30 and "vehicles and fuel tanks" takes over on 2022-05-01 (and
//! cruise missiles the SRBM systems); prisoners of war stop on 2022-04-27.
//!
//! Skips, saying so, when `FRONTLINE_DATA` is not set.

use serde_json::Value;

mod common;

fn run(db: &std::path::Path, args: &[&str]) -> Value {
    serde_json::from_str(&common::ok_on(db, args)).unwrap()
}

fn sum(rows: &Value) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_i64().unwrap())
        .sum()
}

#[test]
fn general_staff_tallies_give_the_independently_computed_figures() {
    let Some((dir, _tmp, db)) = common::real("general-staff-tallies") else {
        return;
    };
    let dir = dir.join("general-staff-tallies");
    let files = common::files(&dir, common::TALLY_FILES);
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let imported = run(&db, &[&["import", "tallies", "--format", "json"][..], &files].concat());
    assert_eq!(imported.as_array().unwrap().len(), 3);

    let records = run(
        &db,
        &["records", "personnel", "--since", "2022-04-01", "--format", "json"],
    );
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 16);
    let last = records.last().unwrap();
    assert_eq!(
        (last["date"].as_str(), last["value"].as_i64()),
        (Some("2024-12-20"), Some(2200))
    );
    let nov12 = records.iter().find(|r| r["date"] == "2024-11-12").unwrap();
    assert_eq!(
        (
            nov12["value"].as_i64(),
            nov12["previous_record"].as_i64(),
            nov12["streak"].as_i64()
        ),
        (Some(1950), Some(1770), Some(2))
    );

    let tanks = run(
        &db,
        &common::words("series tank --period month --from 2024-11-01 --to 2024-11-30 --format json"),
    );
    assert_eq!(sum(&tanks), 307);
    let personnel = run(
        &db,
        &common::words("series personnel --from 2025-02-01 --to 2025-02-28 --format json"),
    );
    assert_eq!(sum(&personnel), 35_300);
    let drones = run(
        &db,
        &common::words("series drone --from 2025-01-01 --to 2025-12-31 --format json"),
    );
    assert_eq!(sum(&drones), 76_370);
    let tank_records = run(&db, &["records", "tank", "--since", "2022-04-01", "--format", "json"]);
    let top = tank_records.as_array().unwrap().last().unwrap();
    assert_eq!(
        (top["date"].as_str(), top["value"].as_i64()),
        (Some("2023-10-20"), Some(55))
    );

    // The 2025-02-28 jump of 2,710 is 1,060 claimed that day plus a published
    // correction of 1,650: it must not count as a record.
    let feb28 = run(
        &db,
        &common::words("series personnel --from 2025-02-28 --to 2025-02-28 --format json"),
    );
    assert_eq!(
        (feb28[0]["value"].as_i64(), feb28[0]["correction"].as_i64()),
        (Some(1060), Some(1650))
    );
}

/// The real personnel file, then a corrected copy raising three days'
/// cumulative figures. The first import is dated 2026-08-10, after the
/// file's last day (its time rewritten in the database: the CLI always
/// imports "now"), the correction today. As of 2026-08-20 the first figures
/// stand; `diff` against today
/// lists exactly the rows `scripts/derive/tally_revision_diff.py` derives.
#[test]
fn a_corrected_file_is_seen_as_of_its_import_and_diffed() {
    let Some((dir, tmp, db)) = common::real("general-staff-tallies") else {
        return;
    };
    let dir = dir.join("general-staff-tallies");
    let original = dir.join("russia_losses_personnel.json");
    run(
        &db,
        &["import", "tallies", original.to_str().unwrap(), "--format", "json"],
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let moved = conn
        .execute("UPDATE source SET imported_at = '2026-08-10T00:00:00Z'", [])
        .unwrap();
    assert_eq!(moved, 1);
    drop(conn);
    let mut rows: Value = serde_json::from_slice(&std::fs::read(&original).unwrap()).unwrap();
    let corrected = [("2023-07-11", 50), ("2024-02-01", 30), ("2025-01-15", 40)];
    for r in rows.as_array_mut().unwrap() {
        if let Some((_, add)) = corrected.iter().find(|(d, _)| r["date"] == *d) {
            r["personnel"] = (r["personnel"].as_i64().unwrap() + add).into();
        }
    }
    let later = tmp.path().join("russia_losses_personnel.json");
    std::fs::write(&later, serde_json::to_vec(&rows).unwrap()).unwrap();
    run(&db, &["import", "tallies", later.to_str().unwrap(), "--format", "json"]);

    let july = |as_of: &str| -> Vec<(i64, i64)> {
        let args = [
            "--as-of",
            as_of,
            "series",
            "personnel",
            "--from",
            "2023-07-11",
            "--to",
            "2023-07-12",
            "--format",
            "json",
        ];
        common::rows(&run(&db, &args))
            .iter()
            .map(|d| (d["value"].as_i64().unwrap(), d["cumulative"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(july("2026-08-20"), [(540, 235_020), (510, 235_530)]);
    assert_eq!(july("today"), [(590, 235_070), (460, 235_530)]);

    let d = run(
        &db,
        &common::words("diff --as-of 2026-08-20 --against today --format json -- series personnel"),
    );
    let got: Vec<String> = common::rows(&d["rows"])
        .iter()
        .map(|r| {
            format!(
                "{} {} value {} -> {} cumulative {} -> {}",
                r["change"].as_str().unwrap(),
                r["date"].as_str().unwrap(),
                r["value_before"],
                r["value_after"],
                r["cumulative_before"],
                r["cumulative_after"]
            )
        })
        .collect();
    // scripts/derive/tally_revision_diff.py, line for line.
    assert_eq!(
        got,
        [
            "changed 2023-07-11 value 540 -> 590 cumulative 235020 -> 235070",
            "changed 2023-07-12 value 510 -> 460 cumulative 235530 -> 235530",
            "changed 2024-02-01 value 1000 -> 1030 cumulative 386230 -> 386260",
            "changed 2024-02-02 value 830 -> 800 cumulative 387060 -> 387060",
            "changed 2025-01-15 value 1580 -> 1620 cumulative 812670 -> 812710",
            "changed 2025-01-16 value 1480 -> 1440 cumulative 814150 -> 814150",
        ]
    );
    assert_eq!(d["key"], serde_json::json!(["date"]));
    // The import responsible: the corrected file, and only it.
    assert_eq!(d["imports_total"], 1);
    assert_eq!(d["imports"][0]["location"], "russia_losses_personnel.json");
    assert_eq!(d["before"], "2026-08-20");
    assert!(d["after"].is_null());
}

/// The breaks of the real files, line for line as
/// `scripts/derive/tally_breaks.py` lists them, and a record of a series
/// that takes over others says where its comparison starts.
#[test]
fn the_real_series_breaks_are_the_independently_derived_ones() {
    let Some((dir, _tmp, db)) = common::real("general-staff-tallies") else {
        return;
    };
    let dir = dir.join("general-staff-tallies");
    let files: Vec<String> = ["russia_losses_personnel.json", "russia_losses_equipment.json"]
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    run(&db, &[&["import", "tallies", "--format", "json"][..], &files].concat());
    let breaks = run(&db, &["breaks", "--format", "json"]);
    let got = common::lines(&breaks, &["date", "category", "kind"]);
    assert_eq!(
        got,
        [
            "2022-03-16 special equipment starts",
            "2022-03-26 mobile srbm system starts",
            "2022-04-27 pow stops",
            "2022-04-30 fuel tank stops",
            "2022-04-30 military auto stops",
            "2022-04-30 mobile srbm system stops",
            "2022-05-01 cruise missiles continues",
            "2022-05-01 vehicles and fuel tanks continues",
            "2023-09-14 submarines starts",
            "2026-05-03 ground robotic systems starts",
        ]
    );
    // Each names the file its day's figure came from.
    assert!(
        common::rows(&breaks)
            .iter()
            .all(|b| b["source_file"].as_str().is_some_and(|f| f.ends_with(".json")))
    );
    let records = run(
        &db,
        &common::args(
            &["records", "vehicles and fuel tanks"],
            "--since 2022-04-01 --format json",
        ),
    );
    let records = records.as_array().unwrap();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r["break"].as_str().is_some_and(|b| {
        b.starts_with("compared from 2022-05-01, where the series continues: takes over fuel tank + military auto")
    })));
    // A series that spans every report has no break, and its records say none.
    let personnel = run(
        &db,
        &["records", "personnel", "--since", "2022-04-01", "--format", "json"],
    );
    assert!(personnel.as_array().unwrap().iter().all(|r| r["break"].is_null()));
}
