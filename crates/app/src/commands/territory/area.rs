//! `territory area` and `territory peak`.

use super::{Timeline, areas_by_snapshot, days};
use crate::args::TerritoryRange;
use crate::output::Rows;
use anyhow::Result;
use frontline_store::Store;
use serde_json::json;

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// (day, snapshot time, area) for every day of the range.
fn daily(store: &mut dyn Store, args: &TerritoryRange) -> Result<Vec<(chrono::NaiveDate, String, f64)>> {
    let tl = Timeline::load(store, args.select.mapper.as_deref())?;
    let (from, to) = tl.range(args.from, args.to)?;
    let areas = areas_by_snapshot(store, &tl, args.select.status, args.select.within.as_deref())?;
    Ok(days(from, to)
        .filter_map(|d| {
            tl.for_day(d)
                .map(|s| (d, s.taken_at.to_rfc3339(), areas.get(&s.id).copied().unwrap_or(0.0)))
        })
        .collect())
}

/// Area per day.
pub fn area(store: &mut dyn Store, args: &TerritoryRange) -> Result<Rows> {
    let mut rows = Rows::new(&["date", "area_km2", "snapshot"]);
    for (d, snap, a) in daily(store, args)? {
        rows.push(vec![json!(d), json!(round(a)), json!(snap)]);
    }
    Ok(rows)
}

/// The largest area and the first day it was reached.
pub fn peak(store: &mut dyn Store, args: &TerritoryRange) -> Result<Rows> {
    let mut best: Option<(chrono::NaiveDate, String, f64)> = None;
    for row in daily(store, args)? {
        if best.as_ref().is_none_or(|b| row.2 > b.2) {
            best = Some(row);
        }
    }
    let mut rows = Rows::new(&["date", "area_km2", "snapshot"]);
    if let Some((d, snap, a)) = best {
        rows.push(vec![json!(d), json!(round(a)), json!(snap)]);
    }
    Ok(rows)
}
