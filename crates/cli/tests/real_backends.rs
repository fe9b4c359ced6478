//! The same real data, imported through the CLI into SQLite and into
//! PostgreSQL + PostGIS, must give the same figures (to 1e-6 relative):
//! territory peak, area, monthly change and settlements from the DeepState
//! archive; record days and monthly sums from the General Staff tallies;
//! counts, lag, nowcast and backtest from the Oryx list.
//!
//! The SQLite figures themselves are checked against independently derived
//! ones in `real_territory.rs`, `real_data.rs` and `real_losses.rs`; here
//! the peak is also checked directly, so a backend that agreed with a broken
//! SQLite would still fail.
//!
//! Needs `$FRONTLINE_DATA` and a local PostgreSQL (see
//! `frontline_store_tests::pg`); skips, saying so, without them, except in
//! CI where a missing PostgreSQL fails.

use serde_json::Value;
use std::path::Path;

mod common;

/// Every number in `a` equals the one at the same place in `b` to `rel`;
/// everything else is equal exactly.
fn same(a: &Value, b: &Value, rel: f64, at: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= rel * x.abs().max(y.abs()).max(1e-9),
                "{at}: {x} (SQLite) vs {y} (PostgreSQL)"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: lengths differ");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, rel, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<&String> = x.keys().collect();
            let ky: Vec<&String> = y.keys().collect();
            assert_eq!(kx, ky, "{at}: keys differ");
            for (k, p) in x {
                same(p, &y[k], rel, &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn sqlite_and_postgres_give_the_same_figures_on_real_data() {
    let Some(dir) = common::shared_data("deepstate-history") else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder to run the two-backend real-data test");
        return;
    };
    let Some(pg) = frontline_store_tests::pg::fresh_url() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let sqlite = tmp.path().join("real.db").display().to_string();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let p = |s: &str| dir.join(s).display().to_string();
    let tallies: Vec<String> = ["russia_losses_equipment.json", "russia_losses_personnel.json"]
        .iter()
        .map(|f| repo.join("data/general-staff-tallies").join(f).display().to_string())
        .collect();
    let oryx = common::files(&dir, common::ORYX_FILES);
    let imports: Vec<Vec<&str>> = vec![
        [
            &["import", "tallies"][..],
            &tallies.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
        vec!["import", "boundaries", "PLACEHOLDER_B"],
        vec!["import", "places", "PLACEHOLDER_P"],
        vec!["import", "control", "PLACEHOLDER_C"],
        [
            &["import", "losses"][..],
            &oryx.iter().map(String::as_str).collect::<Vec<_>>(),
            &["--format", "oryx"][..],
        ]
        .concat(),
    ];
    let b = p("boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson");
    let pl = p("gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv");
    let c = p("deepstate-history");
    for db in [&sqlite, &pg] {
        for args in &imports {
            let args: Vec<&str> = args
                .iter()
                .map(|a| match *a {
                    "PLACEHOLDER_B" => b.as_str(),
                    "PLACEHOLDER_P" => pl.as_str(),
                    "PLACEHOLDER_C" => c.as_str(),
                    other => other,
                })
                .collect();
            common::ok_on(Path::new(db), &args);
        }
    }
    let queries: &[&[&str]] = &[
        &["territory", "peak", "--status", "liberated", "--within", "RU"],
        &common::words("territory area --status occupied --from 2024-10-25 --to 2024-11-05"),
        &common::words("territory area --status liberated --within RU --from 2024-08-01 --to 2025-04-30"),
        &["territory", "change", "--status", "occupied", "--period", "month"],
        &common::words("territory settlements --date 2024-09-01 --status liberated --within RU"),
        &["territory", "handovers", "--from", "2025-03-01", "--to", "2025-03-31"],
        &common::words("territory distance --date 2024-09-01 --status liberated --to Kursk"),
        &["records", "personnel", "--since", "2022-04-01"],
        &["series", "tank", "--period", "month"],
        &["categories"],
        &common::words("losses count --source oryx --category tanks --period month"),
        &["lag", "--source", "oryx", "--period", "month"],
        &common::words("nowcast --source oryx --as-of 2024-12-31 --period week"),
        &common::words("backtest --source oryx --from 2024-06-01 --to 2025-03-31 --period week"),
    ];
    for q in queries {
        let a = common::json_on(Path::new(&sqlite), q);
        let b = common::json_on(Path::new(&pg), q);
        assert!(
            a.as_array().is_some_and(|r| !r.is_empty()) || a.is_object(),
            "{q:?} answered nothing on SQLite: {a}"
        );
        same(&a, &b, 1e-6, &q.join(" "));
    }
    let peak = common::json_on(Path::new(&pg), queries[0]);
    assert_eq!(peak[0]["date"], "2024-09-06");
    // The salient after the sliver rule, and what the rule removed
    // (scripts/derive/territory_figures.py, `slivers`).
    let area = peak[0]["area_km2"].as_f64().unwrap();
    assert!((area - 901.487).abs() < 0.01, "PostgreSQL peak {area}");
    let slivers = peak[0]["slivers_km2"].as_f64().unwrap();
    assert!((slivers - 257.728).abs() < 0.05, "PostgreSQL slivers {slivers}");
}
