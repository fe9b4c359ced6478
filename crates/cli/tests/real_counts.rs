//! Named-list counts by vintage from `$FRONTLINE_DATA/ualosses-mediazona-vintages`.
//! Expected figures from `scripts/derive/vintage_figures.py`, which reads
//! the JSON files directly:
//!
//! * Ukraine, monthly: 2025-07 killed 718 → 825 → 1,234 and missing 3,063
//!   → 3,063 → 3,270 in the vintages of 2025-08-21, 2025-09-01, 2025-10-28;
//!   weekly 2025-W30 totals 707 → 731 → 901 (the folder's SOURCES.md gives
//!   the same);
//! * the 2025-11-08 vintage is not comparable (SOURCES.md): the 42 months
//!   settled by 2025-08-29 hold 70,002 missing in 2025-10-28 and 0 in it;
//! * Russia, weekly: the 2025-10-28 vintage changes only 2025-W31, the last
//!   period of 2025-08-21, and adds 2025-W32 (SOURCES.md: "equals");
//! * Mediazona's 2025-11-08 vintage names 4,275 Russian dead for
//!   February 2025 (the General Staff claimed 35,300 killed and wounded,
//!   `tally_figures.py`);
//! * taking Ukraine's months younger than a year on 2025-09-01 as they
//!   stood misses their 2025-10-28 counts by 187.833 on average (12
//!   months): the naive nowcast's error, against which the nowcast is
//!   scored.
//!
//! Skips, saying so, when `FRONTLINE_DATA` is not set.

use serde_json::Value;

mod common;

#[test]
fn vintages_fill_in_and_breaks_are_refused() {
    let Some((dir, _tmp, db)) = common::real("ualosses-mediazona-vintages") else {
        return;
    };
    let file = |name: &str| dir.join("ualosses-mediazona-vintages").join(name).display().to_string();
    let import = |name: &str, subject: &str, source: &str, vintage: &str| {
        common::run_on(
            &db,
            &[
                "import",
                "counts",
                &file(name),
                "--format",
                "ualosses",
                "--subject",
                subject,
                "--source",
                source,
                "--vintage",
                vintage,
            ],
        )
    };
    for v in ["2025-08-21", "2025-09-01", "2025-10-28"] {
        for g in ["monthly", "weekly"] {
            let out = import(&format!("ukraine_{g}-raw_{v}.json"), "Ukraine", "ualosses", v);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    let months: Value = common::json_on(
        &db,
        &common::words("backfill --subject Ukraine --period month --from 2025-07-01 --to 2025-07-01"),
    );
    assert_eq!(
        common::table(&months, &["vintage", "killed", "missing"]),
        serde_json::json!([
            ["2025-08-21", 718, 3063],
            ["2025-09-01", 825, 3063],
            ["2025-10-28", 1234, 3270]
        ])
    );
    assert_eq!(months[2]["killed_change"], 409);
    let weeks: Value = common::json_on(
        &db,
        &common::words("backfill --subject Ukraine --period week --from 2025-07-20 --to 2025-07-20"),
    );
    assert_eq!(
        common::table(&weeks, &["key", "total"]),
        serde_json::json!([["2025-W30", 707], ["2025-W30", 731], ["2025-W30", 901]])
    );

    // The nowcast's backtest on the only three comparable vintages: learned
    // from 11 days that carried a batch (+18 % for months a year old), it
    // misses the 2025-10-28 counts far more than the counts as they stood.
    // What the data say: three vintages cannot validate a nowcast.
    let bt: Value = common::json_on(
        &db,
        &["backtest", "--counts", "--subject", "Ukraine", "--period", "month"],
    );
    assert_eq!(
        (bt[0]["periods"].as_u64(), bt[0]["naive_mae"].as_f64()),
        (Some(12), Some(187.833))
    );
    assert_eq!(
        (bt[0]["ratio"].as_f64(), bt[0]["coverage"].as_f64()),
        (Some(11.335), Some(0.0))
    );
    let now: Value = common::json_on(
        &db,
        &common::words("nowcast counts --subject Ukraine --period month --as-of 2025-10-28"),
    );
    assert!(
        now[0]["caution"]
            .as_str()
            .unwrap()
            .contains("error 11.3× that of the counts as they stood"),
        "{now}"
    );

    // Claimed against named (Russia): the General Staff's February 2025
    // (35,300 killed and wounded, tally_figures.py) against Mediazona's
    // 4,275 named dead of that month in its 2025-11-08 vintage.
    let tallies = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    let files = common::files(&tallies, common::TALLY_FILES);
    let mut args = vec!["import", "tallies"];
    args.extend(files.iter().map(String::as_str));
    common::ok_on(&db, &args);
    for v in ["2025-08-21", "2025-11-08"] {
        let out = import(&format!("russia_monthly_{v}.json"), "Russia", "mediazona", v);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let cmp: Value = common::json_on(
        &db,
        &common::words(
            "compare personnel --claimed ua-general-staff --named mediazona --period month --from 2025-02-01 --to 2025-02-01",
        ),
    );
    assert_eq!(
        (
            cmp[0]["period"].as_str(),
            cmp[0]["claimed"].as_i64(),
            cmp[0]["named"].as_u64(),
            cmp[0]["ratio"].as_f64()
        ),
        (Some("2025-02"), Some(35_300), Some(4_275), Some(8.26)),
        "{cmp}"
    );
    assert!(
        cmp[0]["note"]
            .as_str()
            .unwrap()
            .contains("the ratio is not a rate of anything")
    );

    // The method changed on 2025-11-08: refused, naming the change; the
    // series is as it was.
    let out = import(
        "ukraine_monthly-raw_2025-11-08.json",
        "Ukraine",
        "ualosses",
        "2025-11-08",
    );
    let err = common::fails(&out, 1, "42 settled periods lost more than 10 % of their missing");
    assert!(err.contains("--edition 2"), "{err}");
    let after: Value = common::json_on(&db, &["backfill", "--subject", "Ukraine", "--period", "month"]);
    assert!(after.as_array().unwrap().iter().all(|r| r["vintage"] != "2025-11-08"));

    // Russia's 2025-10-28 weekly file is the 2025-08-21 one with a week
    // more: a stale copy, refused.
    assert!(
        import("russia_weekly_2025-08-21.json", "Russia", "mediazona", "2025-08-21")
            .status
            .success()
    );
    let out = import("russia_weekly_2025-10-28.json", "Russia", "mediazona", "2025-10-28");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("changes none of its periods but the last: a stale copy?"),
        "{err}"
    );
}
