//! `demo`: import the bundled open data and print what it shows.

use super::{import, series};
use crate::error::bail_missing;
use crate::output::{OutputFormat, Tabular};
use crate::requests::{ImportTalliesRequest, RecordsRequest, SeriesRequest, TallyFormat};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use frontline_analysis::Period;
use frontline_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

const TALLY_FILES: [&str; 3] = [
    "russia_losses_personnel.json",
    "russia_losses_equipment.json",
    "russia_losses_equipment_correction.json",
];

/// The bundled data folder: as given, else `./data`, else the source tree's.
fn data_dir(given: Option<&Path>) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = match given {
        Some(p) => vec![p.to_path_buf()],
        None => vec![
            PathBuf::from("data"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        ],
    };
    for c in &candidates {
        if c.join("general-staff-tallies").is_dir() {
            return Ok(c.clone());
        }
    }
    bail_missing!(
        "bundled data not found (looked in {}); give the data folder",
        candidates
            .iter()
            .map(|c| c.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Runs the demo against `store`, writing a report to `out`.
pub fn run(store: &mut dyn Store, given: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let dir = data_dir(given)?.join("general-staff-tallies");
    let files: Vec<PathBuf> = TALLY_FILES.iter().map(|f| dir.join(f)).collect();
    let files = crate::requests::Input::paths(&files);
    writeln!(
        out,
        "# Importing the General Staff tallies bundled in {}",
        dir.display()
    )?;
    import::tallies(
        store,
        &ImportTalliesRequest {
            files,
            format: TallyFormat::Auto,
            reparse: None,
        },
    )
    .context("importing bundled tallies")?
    .rows()?
    .write(OutputFormat::Table, out)?;

    let series_of = |category: &str, from, to, period, rolling| SeriesRequest {
        category: category.to_string(),
        claimant: None,
        subject: None,
        spread_catchups: false,
        from,
        to,
        period,
        rolling,
    };
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();

    writeln!(
        out,
        "\n# Personnel claimed per month, last 6 months, with a 3-month mean"
    )?;
    let months = series::series(store, &series_of("personnel", None, None, Period::Month, Some(3)))?.rows()?;
    let all = months.len();
    months.tail(6.min(all)).write(OutputFormat::Table, out)?;

    writeln!(
        out,
        "\n# Record days of claimed personnel losses since 2022-04-01 (after the rough early estimates)"
    )?;
    series::record_days(
        store,
        &RecordsRequest {
            category: "personnel".into(),
            claimant: None,
            subject: None,
            spread_catchups: false,
            since: date("2022-04-01"),
            from: None,
        },
    )?
    .rows()?
    .write(OutputFormat::Table, out)?;

    writeln!(out, "\n# Daily claimed tank losses, November 2024")?;
    series::series(
        store,
        &series_of("tank", date("2024-11-01"), date("2024-11-30"), Period::Day, Some(7)),
    )?
    .rows()?
    .write(OutputFormat::Table, out)?;
    writeln!(
        out,
        "\nNext: `frontline series CATEGORY --period week`, `frontline records CATEGORY --since DATE`, `frontline categories`, `frontline sources`."
    )?;
    Ok(())
}
