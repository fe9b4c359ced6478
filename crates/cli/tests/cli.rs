//! Drives the real `frontline` binary against a real database file.

use serde_json::Value;

mod common;

use common::Env;

fn fixture(name: &str) -> String {
    common::fixture(name)
}

trait Tallies {
    fn import_fixtures(&self);
}

impl Tallies for Env {
    fn import_fixtures(&self) {
        let files = ["personnel.json", "equipment.json", "equipment_correction.json"].map(fixture);
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        self.ok(&[&["import", "tallies"][..], &files].concat());
    }
}

#[test]
fn import_then_series_and_records() {
    let env = Env::new();
    env.import_fixtures();
    let series = env.json_raw(&["series", "personnel", "--from", "2024-11-10", "--format", "json"]);
    assert_eq!(series[0]["date"], "2024-11-10");
    assert_eq!(series[0]["value"], 1350);
    let records = env.json_raw(&["records", "personnel", "--format", "json"]);
    let last = records.as_array().unwrap().last().unwrap();
    assert_eq!(last["date"], "2024-11-12");
    assert_eq!(last["value"], 1950);
    assert_eq!(last["previous_record"], 1770);
    assert_eq!(last["streak"], 2);
}

/// #23: a series as known on a past day. The fixture's days are published
/// on their dates; a revision imported today is unknown before today, and
/// the record streak it makes is too.
#[test]
fn series_and_records_as_known_on_a_past_day() {
    let env = Env::new();
    env.ok(&["import", "tallies", &fixture("personnel.json")]);
    let revised = env.dir.path().join("personnel_revised.json");
    std::fs::write(
        &revised,
        r#"[{"date": "2024-11-12", "day": 993, "personnel": 712990, "personnel*": "about"}]"#,
    )
    .unwrap();
    env.ok(&["import", "tallies", revised.to_str().unwrap()]);
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let value = |as_of: Option<&str>| {
        let mut a = vec!["series", "personnel", "--from", "2024-11-12", "--to", "2024-11-12"];
        a.extend(["--format", "json"]);
        a.extend(as_of.map(|d| ["--as-of", d]).into_iter().flatten());
        env.json_raw(&a)[0]["value"].as_i64()
    };
    assert_eq!(value(None), Some(712_990 - 710_660));
    assert_eq!(value(Some(&yesterday)), Some(712_610 - 710_660));
    // Known on 2024-11-11, the series ends that day.
    let days = env.json_raw(&["series", "personnel", "--as-of", "2024-11-11", "--format", "json"]);
    assert_eq!(days.as_array().unwrap().last().unwrap()["date"], "2024-11-11");
    let last_record = |as_of: &str| {
        let r = env.json_raw(&["records", "personnel", "--as-of", as_of, "--format", "json"]);
        r.as_array().unwrap().last().unwrap()["value"].as_i64()
    };
    assert_eq!(last_record(&yesterday), Some(1950));
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(last_record(&today), Some(712_990 - 710_660));
    assert_eq!(env.exit(&["series", "personnel", "--as-of", "2999-01-01"]), Some(1));
}

#[test]
fn corrections_and_merges_shape_the_series() {
    let env = Env::new();
    env.import_fixtures();
    let tank = env.json_raw(&["series", "TANK", "--format", "json"]);
    let last = &tank.as_array().unwrap()[2];
    assert_eq!(
        (last["value"].as_i64(), last["correction"].as_i64()),
        (Some(12), Some(4))
    );
    assert_eq!(last["flags"], "correction");
    let vehicles = env.json_raw(&["series", "vehicles-and-fuel-tanks", "--format", "json"]);
    assert_eq!(vehicles[0]["value"], 19);
    assert_eq!(vehicles[0]["flags"], "merge");
    // #23: the merge is a break, marked on its day, named with its reason
    // and the file that brought the day's figure.
    let mark = vehicles[0]["break"].as_str().unwrap();
    assert!(
        mark.starts_with("continues: takes over fuel tank + military auto"),
        "{mark}"
    );
    assert!(mark.contains("(1777 in all)"), "{mark}");
    // These fixtures end it the next day, before the claimant's last report
    // (personnel, 2024): a stop.
    assert!(vehicles[1]["break"].as_str().unwrap().starts_with("stops: last figure"));
    let breaks = env.json_raw(&["breaks", "--format", "json"]);
    assert_eq!(
        common::table(&breaks, &["date", "category", "kind", "source_file"]),
        serde_json::json!([
            ["2022-04-30", "fuel tank", "stops", "equipment.json"],
            ["2022-04-30", "military auto", "stops", "equipment.json"],
            ["2022-05-01", "vehicles and fuel tanks", "continues", "equipment.json"],
            ["2022-05-02", "tank", "stops", "equipment.json"],
            ["2022-05-02", "vehicles and fuel tanks", "stops", "equipment.json"],
            ["2024-11-08", "personnel", "starts", "personnel.json"],
        ])
    );
    assert!(
        breaks[0]["reason"]
            .as_str()
            .unwrap()
            .contains("merged into vehicles and fuel tanks")
    );
    // A record is compared from where its series starts, and says so.
    let records = env.json_raw(&common::args(
        &["records", "vehicles and fuel tanks"],
        "--since 2022-04-01 --format json",
    ));
    let first = &records[0];
    assert_eq!(first["date"], "2022-05-01");
    assert!(
        first["break"]
            .as_str()
            .unwrap()
            .starts_with("compared from 2022-05-01, where the series continues"),
        "{first}"
    );
    // A monthly sum holding the break says so; the month after does not.
    let months = env.json_raw(&[
        "series",
        "vehicles and fuel tanks",
        "--period",
        "month",
        "--format",
        "json",
    ]);
    assert!(
        months[0]["break"]
            .as_str()
            .unwrap()
            .starts_with("2022-05-01 continues:"),
        "{months}"
    );
}

#[test]
fn periods_rolling_and_csv() {
    let env = Env::new();
    env.import_fixtures();
    let csv = env.ok(&common::words(
        "series personnel --period week --rolling 2 --format csv",
    ));
    assert_eq!(
        csv,
        "date,value,days,unreported_days,break,rolling_mean\n2024-11-04,3010,2,0,\"2024-11-08 starts: first figure, 924 days \
         after ua-general-staff's first report about russia (2022-04-29): the days before are not reported, not \
         zero\",\n2024-11-11,5490,3,0,,4250.0\n"
    );
}

#[test]
fn importing_twice_adds_nothing() {
    let env = Env::new();
    env.import_fixtures();
    let before = env.json_raw(&["sources", "--format", "json"]);
    let again = env.json_raw(&["import", "tallies", &fixture("personnel.json"), "--format", "json"]);
    assert_eq!(again[0]["added"], 0);
    assert_eq!(again[0]["status"], "already imported");
    assert_eq!(env.json_raw(&["sources", "--format", "json"]), before);
}

#[test]
fn bad_input_names_file_record_field_and_stores_nothing() {
    let env = Env::new();
    let good = fixture("personnel.json");
    for (bad, want) in [
        (
            "bad_count.csv",
            "bad_count.csv: line 3: field `cumulative`: `oops` is not a whole number",
        ),
        ("malformed.json", "malformed.json: malformed JSON at line 2"),
    ] {
        let out = env.run(&["import", "tallies", &good, &fixture(bad)]);
        common::fails(&out, 1, want);
        assert!(out.stdout.is_empty());
    }
    assert_eq!(env.json_raw(&["sources", "--format", "json"]), Value::Array(vec![]));
}

#[test]
fn unknown_category_and_usage_errors_have_distinct_codes() {
    let env = Env::new();
    env.import_fixtures();
    common::fails(&env.run(&["series", "battleship"]), 1, "unknown category `battleship`");
    assert_eq!(env.exit(&["series", "tank", "--period", "fortnight"]), Some(2));
}

#[test]
fn notes_keep_the_greatest_losses_direction() {
    let env = Env::new();
    env.import_fixtures();
    let notes = env.json_raw(&["notes", "--from", "2022-05-01", "--format", "json"]);
    assert_eq!(notes[0]["text"], "Izyum");
}

#[test]
fn demo_runs_on_bundled_data() {
    let env = Env::new();
    let out = env.ok(&["demo"]);
    // The demo's headline: the record days of November 2024 (figures of
    // scripts/derive/tally_figures.py), as a table row.
    let row = |date: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(date))
            .unwrap_or_else(|| panic!("no {date} row in {out}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("2024-11-11"), ["2024-11-11", "1770", "1740", "1"], "{out}");
    assert_eq!(row("2024-11-12"), ["2024-11-12", "1950", "1770", "2"], "{out}");
    let again = env.ok(&["demo"]);
    assert!(again.contains("already imported"));
}

/// `--db` picks the backend; a URL it cannot use gets a clear message and
/// the exit code of its class (4: unreachable, try again; 1: fix the
/// value), and no stray file is created for a URL of another scheme.
#[test]
fn db_urls_pick_the_backend_and_bad_ones_say_why() {
    let env = Env::new();
    let sqlite_url = format!("sqlite:{}", env.db.display());
    let out = common::frontline()
        .args(["--db", &sqlite_url, "import", "tallies", &fixture("personnel.json")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The same file through its plain path: the same database.
    let cats = env.json_raw(&["categories", "--format", "json"]);
    assert_eq!(cats[0]["category"], "personnel");

    let out = common::frontline()
        .args(["--db", "postgres://nobody:pw@127.0.0.1:1/frontline", "categories"])
        .output()
        .unwrap();
    let err = common::fails(
        &out,
        4,
        "cannot open the database postgres://nobody@127.0.0.1:1/frontline",
    );
    assert!(!err.contains("pw@"), "password shown: {err}");

    let out = common::frontline()
        .current_dir(env.dir.path())
        .args(["--db", "mysql://x/y", "categories"])
        .output()
        .unwrap();
    common::fails(&out, 1, "unknown database scheme `mysql://`");
    assert!(!env.dir.path().join("mysql:").exists());
}

/// Evidence-count claims on the bundled Oryx scrape
/// (tests/fixtures/claims/evidence.csv cites each press report; figures
/// from scripts/derive/claim_figures.py). The scrape reads higher than the
/// figures Oryx gave on the day (1,125 tanks destroyed first seen by
/// 9 February 2023 against CNN's 1,000): it holds each item's status as of
/// July 2025, so an item captured in 2022 and destroyed later counts as
/// destroyed — the verdict says what the data says, the method how.
/// A claim added by flags is checked on the data of its day (9 of the week's
/// 12 items were published by then) and on today's.
#[test]
fn claims_are_checked_against_loss_evidence() {
    let env = Env::new();
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/oryx-scarnecchia");
    let files: Vec<String> = ["destroyed", "damaged", "abandoned", "captured"]
        .iter()
        .map(|s| bundled.join(format!("event_{s}.csv")).display().to_string())
        .collect();
    let mut args = vec!["import", "losses", "--format", "oryx"];
    args.extend(files.iter().map(String::as_str));
    assert!(env.run(&args).status.success());
    let rows = env.json(&["claims", "check", &common::fixture("claims/evidence.csv")]);
    let got: Vec<(&str, &str, Option<f64>, Option<f64>)> = common::rows(&rows)
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["measured"].as_f64(),
                r["measured_then"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("cnn-destroyed", "understated", Some(1125.0), Some(1125.0)),
            ("cnn-captured", "understated", Some(660.0), Some(660.0)),
            ("db-destroyed", "understated", Some(694.0), Some(694.0)),
            ("db-all", "supported", Some(1222.0), Some(1222.0)),
        ]
    );
    assert_eq!(
        rows[0]["method"],
        "frontline losses count --period day --from 2022-02-24 --to 2023-02-09 --by published --source oryx \
         --side russia --category tanks --status destroyed (summed; items in several sources counted once)"
    );
    // One claim by flags (constructed for this test): the id comes from
    // its speaker, day and quote, so adding it again adds nothing.
    let add = [
        "claims",
        "add",
        "--speaker",
        "Frontline test (a constructed claim)",
        "--said-on",
        "2024-08-12",
        "--source-url",
        "https://www.oryxspioenkop.com/2022/02/attack-on-europe-documenting-equipment.html",
        "--quote",
        "Oryx lists nine Russian tanks destroyed last week",
        "--metric",
        "evidence",
        "--source",
        "oryx",
        "--side",
        "russia",
        "--category",
        "tanks",
        "--status",
        "destroyed",
        "--from",
        "2024-08-05",
        "--to",
        "2024-08-11",
        "--value",
        "9",
    ];
    assert_eq!(env.json(&add)[0]["added"], 1);
    assert_eq!(env.json(&add)[0]["status"], "already imported");
    let listed = env.json(&["claims", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["source_file"], "claims add");
    let c = &env.json(&["claims", "check"])[0];
    assert_eq!(
        (
            c["measured"].as_f64(),
            c["verdict"].as_str(),
            c["measured_then"].as_f64(),
            c["verdict_then"].as_str()
        ),
        (Some(12.0), Some("understated"), Some(9.0), Some("supported"))
    );
    assert_eq!(c["permalink"], "/#date=2024-08-11");
    // A bad flag names its field and stores nothing.
    let mut bad = add.to_vec();
    bad.extend(["--published-on", "2024-08-01"]);
    common::fails(
        &env.run(&bad),
        1,
        "claims add: record 1: field `published_on`: 2024-08-01 is before the claim was said (2024-08-12)",
    );
    assert_eq!(env.json(&["claims", "list"]).as_array().unwrap().len(), 1);
}

/// #26's phrasings go from an article through `claims extract --format
/// csv` into the ledger as they were read: a peak, square miles converted,
/// a change since the start of a month, a vague count as a range.
#[test]
fn wire_copy_phrasings_reach_the_ledger() {
    let env = Env::new();
    let article = env.dir.path().join("article.txt");
    std::fs::write(
        &article,
        "At its peak last August, Ukraine said it controlled some 1,300 square kilometres of Russian territory.\n\n\
         Russia has taken 232 square miles since the start of November, the outlet Agentstvo said.\n\n\
         Ukrainian troops hold dozens of villages in Russia's Kursk region, Kyiv says.\n",
    )
    .unwrap();
    let out = env.run(&[
        "claims",
        "extract",
        &article.display().to_string(),
        "--said-on",
        "2024-11-25",
        "--source-url",
        "https://example.invalid/article",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = env.dir.path().join("found.csv");
    std::fs::write(&csv, &out.stdout).unwrap();
    env.ok(&["claims", "import", &csv.display().to_string()]);
    let listed = env.json(&["claims", "list"]);
    let mut got: Vec<String> = common::rows(&listed)
        .iter()
        .map(|c| format!("{} {} {} {}", c["metric"], c["claimed"], c["speaker"], c["value"]))
        .collect();
    got.sort();
    assert_eq!(got.len(), 3, "{listed}");
    assert_eq!(
        got,
        [
            "\"largest liberated area within RU on any map up to 2024-11-25\" \"about 1300 km2\" \"Ukraine\" null",
            "\"net change of the occupied area from 2024-11-01 to 2024-11-25\" \"600.9 km2\" \"Agentstvo\" null",
            "\"settlements liberated within RU-KRS on 2024-11-25\" \"24–99 count\" \"Kyiv\" null"
        ]
    );
}

/// `claims extract` proposes, the analyst confirms: its CSV is a claims
/// file (`claims import` reads it as it is, once a source URL is given);
/// nothing is stored by the extraction itself; bad input is refused.
#[test]
fn claims_are_extracted_from_an_article_to_confirm() {
    let env = Env::new();
    let article = env.dir.path().join("article.txt");
    std::fs::write(
        &article,
        "KYIV, 12 November 2024 - Russia lost 1,950 troops killed and wounded over the past day, the General Staff said \
         on Tuesday, the second record in a row. Some 2,000 people were evacuated in 2023.\n",
    )
    .unwrap();
    let path = article.display().to_string();
    let found = env.json(&["claims", "extract", &path, "--said-on", "2024-11-12"]);
    let got: Vec<(&str, f64, &str, &str)> = common::rows(&found)
        .iter()
        .map(|c| {
            (
                c["metric"].as_str().unwrap(),
                c["value"].as_f64().unwrap(),
                c["speaker"].as_str().unwrap(),
                c["category"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("daily", 1950.0, "the General Staff", "personnel"),
            ("record", 2.0, "the General Staff", "personnel")
        ]
    );
    // Nothing stored: not even a database was made (#21).
    assert!(!env.db.exists(), "nothing stored");
    // As CSV, with the source URL: a claims file.
    let out = env.run(&[
        "claims",
        "extract",
        &path,
        "--said-on",
        "2024-11-12",
        "--source-url",
        "https://example.invalid/article",
        "--format",
        "csv",
    ]);
    assert!(out.status.success());
    let csv = env.dir.path().join("candidates.csv");
    std::fs::write(&csv, &out.stdout).unwrap();
    let imported = env.json(&["claims", "import", &csv.display().to_string()]);
    assert_eq!(imported[0]["added"], 2);
    // Not text, or too long: refused, naming the file.
    std::fs::write(&article, [0xff, 0xfe, 0x00]).unwrap();
    common::fails(
        &env.run(&["claims", "extract", &path, "--said-on", "2024-11-12"]),
        1,
        "article.txt: not UTF-8 text",
    );
    std::fs::write(&article, "x".repeat((1 << 20) + 1)).unwrap();
    let out = env.run(&["claims", "extract", &path, "--said-on", "2024-11-12"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than the 1 MiB an article may have"));
}

/// `claims check` on the bundled General Staff tallies, with claims taken
/// from press reports of them (tests/fixtures/claims/tallies.csv cites each
/// source): records, daily values and totals are supported; a report that
/// dates the General Staff's figure to the day before its reporting day
/// ("on 28 November … 2,030") is overstated for 28 November (1,220 that
/// day; the 2,030 is the figure of 29 November, which covers the 28th);
/// "November 15 … 1,650" likewise; a record claimed on a day that set none
/// is contradicted.
#[test]
fn claims_are_checked_against_the_tallies() {
    let env = Env::new();
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    let files: Vec<String> = ["russia_losses_personnel.json", "russia_losses_equipment.json"]
        .iter()
        .map(|f| bundled.join(f).display().to_string())
        .collect();
    let mut args = vec!["import", "tallies"];
    args.extend(files.iter().map(String::as_str));
    env.json(&args);
    let rows = env.json(&["claims", "check", &common::fixture("claims/tallies.csv")]);
    let got: Vec<(&str, &str, Option<f64>)> = common::rows(&rows)
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["measured"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("nov11-record", "supported", Some(1.0)),
            ("nov11-total", "supported", Some(710_660.0)),
            ("nov12-daily", "supported", Some(1950.0)),
            ("nov12-streak", "supported", Some(2.0)),
            ("nov12-total", "supported", Some(712_610.0)),
            ("nov16-daily", "overstated", Some(1520.0)),
            ("nov28-daily", "overstated", Some(1220.0)),
            ("nov13-record", "contradicted", Some(0.0)),
        ]
    );
    // The query, and the import the day's figure came from.
    let method = rows[2]["method"].as_str().unwrap();
    assert!(
        method.starts_with(
            "frontline series personnel --from 2024-11-12 --to 2024-11-12 (its value; figure from source 1 ("
        ) && method.ends_with("russia_losses_personnel.json))"),
        "{method}"
    );
    // The same claims kept in the ledger: checked alike; the same file
    // again adds nothing.
    let imported = env.json(&["claims", "import", &common::fixture("claims/tallies.csv")]);
    assert_eq!(
        (imported[0]["added"].as_u64(), imported[0]["status"].as_str()),
        (Some(8), Some("imported"))
    );
    let again = env.json(&["claims", "import", &common::fixture("claims/tallies.csv")]);
    assert_eq!(again[0]["status"], "already imported");
    let stored = env.json(&["claims", "check"]);
    let mut by_id: Vec<(String, String)> = common::rows(&stored)
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_id.sort();
    let mut want: Vec<(String, String)> = got.iter().map(|(i, v, _)| (i.to_string(), v.to_string())).collect();
    want.sort();
    assert_eq!(by_id, want);
    // A claim about a day with no figure cannot be checked, and says why.
    let tmp = env.dir.path().join("c.csv");
    std::fs::write(
        &tmp,
        "id,speaker,said_on,source_url,quote,metric,category,date,value\nold,S,2021-01-01,https://example.invalid,q,daily,personnel,2021-01-01,5\n",
    )
    .unwrap();
    let r = env.json(&["claims", "check", &tmp.display().to_string()]);
    assert_eq!(r[0]["verdict"], "not-checkable");
    assert!(
        r[0]["reason"]
            .as_str()
            .unwrap()
            .contains("no `personnel` figure for 2021-01-01"),
        "{r}"
    );
    // More claims than one check measures: refused, saying how to go on.
    let mut many = String::from("id,speaker,said_on,source_url,quote,metric,category,date,value\n");
    for i in 0..1001 {
        many.push_str(&format!(
            "c{i},S,2024-11-12,https://example.invalid,q,daily,personnel,2024-11-12,1950\n"
        ));
    }
    std::fs::write(&tmp, many).unwrap();
    common::fails(
        &env.run(&["claims", "check", &tmp.display().to_string()]),
        1,
        "1001 claims to check, more than 1000 at once",
    );
}

/// Vintages of a named list: the same vintage again adds nothing; an
/// older one than stored, one in the future, or a stored vintage with
/// other counts is refused and nothing changes; the backfill shows what
/// each vintage added (2025-07: killed 718 → 1,234, missing 3,063 →
/// 3,270, so none of the new dead can be the missing resolved).
#[test]
fn count_vintages_are_checked_before_they_are_stored() {
    let env = Env::new();
    let import = |file: &str, vintage: &str| {
        // The file's path may hold a space: it is one word of its own.
        let flags = format!("--format ualosses --subject Ukraine --vintage {vintage}");
        env.run(&common::args(&["import", "counts", file], &flags))
    };
    let (aug, oct) = (
        common::fixture("counts/ukraine_monthly_2025-08-21.json"),
        common::fixture("counts/ukraine_monthly_2025-10-28.json"),
    );
    assert!(import(&aug, "2025-08-21").status.success());
    assert!(import(&oct, "2025-10-28").status.success());
    let again = import(&oct, "2025-10-28");
    assert!(String::from_utf8_lossy(&again.stdout).contains("already imported"));
    let refused = |file: &str, vintage: &str, why: &str| {
        let out = import(file, vintage);
        common::fails(&out, 1, why);
    };
    refused(
        &aug,
        "2025-09-01",
        "the vintage 2025-09-01 is older than the stored 2025-10-28",
    );
    refused(&aug, "2999-01-01", "the vintage 2999-01-01 is in the future");
    refused(
        &aug,
        "2025-10-28",
        "the vintage 2025-10-28 of Ukraine (ualosses, by month, edition 1) is stored with other counts",
    );
    let two = env.dir.path().join("two.json");
    std::fs::write(
        &two,
        r#"{"2025-07": {"deaths": 1, "total": 1}, "2025-07-14": {"deaths": 1, "total": 1}}"#,
    )
    .unwrap();
    refused(&two.display().to_string(), "2025-11-01", "one granularity per file");
    let rows = env.json(&common::words(
        "backfill --subject Ukraine --period month --from 2025-07-01 --to 2025-07-01",
    ));
    let got: Vec<(String, u64, u64, i64, i64, u64)> = common::rows(&rows)
        .iter()
        .skip(1)
        .map(|r| {
            (
                r["vintage"].as_str().unwrap().to_string(),
                r["killed"].as_u64().unwrap(),
                r["missing"].as_u64().unwrap(),
                r["killed_change"].as_i64().unwrap(),
                r["missing_change"].as_i64().unwrap(),
                r["moved_to_killed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("2025-10-28".to_string(), 1234, 3270, 516, 207, 0)]);
    assert_eq!(
        rows.as_array().unwrap().len(),
        2,
        "nothing of the refused files was stored"
    );
    // A nowcast looks at most 730 days ahead: a longer horizon is refused,
    // not computed.
    let out = env.run(&common::words(
        "nowcast counts --subject Ukraine --period month --as-of 2025-10-28 --horizon-days 100000",
    ));
    common::fails(&out, 1, "horizon_days 100000: from 1 to 730");
}
