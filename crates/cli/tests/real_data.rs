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
//! Skips, saying so, when `FRONTLINE_DATA` is not set.

use serde_json::Value;

mod common;

fn data() -> Option<std::path::PathBuf> {
    common::shared_data("general-staff-tallies").map(|d| d.join("general-staff-tallies"))
}

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
    let Some(dir) = data() else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder to run the real-data test");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("real.db");
    let files: Vec<String> = [
        "russia_losses_personnel.json",
        "russia_losses_equipment.json",
        "russia_losses_equipment_correction.json",
    ]
    .iter()
    .map(|f| dir.join(f).display().to_string())
    .collect();
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
        &[
            "series",
            "tank",
            "--period",
            "month",
            "--from",
            "2024-11-01",
            "--to",
            "2024-11-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(sum(&tanks), 307);
    let personnel = run(
        &db,
        &[
            "series",
            "personnel",
            "--from",
            "2025-02-01",
            "--to",
            "2025-02-28",
            "--format",
            "json",
        ],
    );
    assert_eq!(sum(&personnel), 35_300);
    let drones = run(
        &db,
        &[
            "series",
            "drone",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--format",
            "json",
        ],
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
        &[
            "series",
            "personnel",
            "--from",
            "2025-02-28",
            "--to",
            "2025-02-28",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        (feb28[0]["value"].as_i64(), feb28[0]["correction"].as_i64()),
        (Some(1060), Some(1650))
    );
}
