//! `demo`: import the bundled open data and print what it shows.

use super::{import, series};
use crate::args::{FormatArg, OutputFormat, RecordsArgs, SeriesArgs, SeriesSelect, TallyFormatArg};
use crate::error::{bail_missing, missing};
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
        "bundled data not found (looked in {}); pass --data DIR",
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
    writeln!(
        out,
        "# Importing the General Staff tallies bundled in {}",
        dir.display()
    )?;
    import::tallies(store, &files, TallyFormatArg::Auto)
        .context("importing bundled tallies")?
        .write(OutputFormat::Table, out)?;

    let select = |category: &str| SeriesSelect {
        category: category.to_string(),
        claimant: None,
        subject: None,
        spread_catchups: false,
    };
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();

    writeln!(
        out,
        "\n# Personnel claimed per month, last 6 months, with a 3-month mean"
    )?;
    let months = series::series(
        store,
        &SeriesArgs {
            select: select("personnel"),
            from: None,
            to: None,
            period: Period::Month,
            rolling: Some(3),
            format: FormatArg::default(),
        },
    )?;
    let all = months.len();
    months.tail(6.min(all)).write(OutputFormat::Table, out)?;

    writeln!(
        out,
        "\n# Record days of claimed personnel losses since 2022-04-01 (after the rough early estimates)"
    )?;
    series::record_days(
        store,
        &RecordsArgs {
            select: select("personnel"),
            since: date("2022-04-01"),
            from: None,
            format: FormatArg::default(),
        },
    )?
    .write(OutputFormat::Table, out)?;

    writeln!(out, "\n# Daily claimed tank losses, November 2024")?;
    series::series(
        store,
        &SeriesArgs {
            select: select("tank"),
            from: date("2024-11-01"),
            to: date("2024-11-30"),
            period: Period::Day,
            rolling: Some(7),
            format: FormatArg::default(),
        },
    )?
    .write(OutputFormat::Table, out)?;
    writeln!(
        out,
        "\nNext: `frontline series CATEGORY --period week`, `frontline records CATEGORY --since DATE`, `frontline categories`, `frontline sources`."
    )?;
    Ok(())
}
