//! `territory area` and `territory peak`.

use super::{areas_by_snapshot, boundary, days, describe};
use crate::answers::{AreaDay, round3};
use crate::requests::AreaRequest;
use anyhow::Result;
use frontline_analysis::territory::area_km2;
use frontline_store::Store;

/// One day: the snapshot that stands for it, its area, the slivers removed
/// (within a country).
type Daily = (chrono::NaiveDate, String, f64, Option<f64>, Option<String>);

/// Every day of the range.
fn daily(store: &mut dyn Store, args: &AreaRequest) -> Result<Vec<Daily>> {
    let a = areas_by_snapshot(store, args.mapper.as_deref(), args.status, args.within.as_deref())?;
    let tl = &a.timeline;
    let (from, to) = tl.range(args.from, args.to)?;
    let marks = crate::commands::breaks::vocabulary_marks(store, &tl.mapper, args.status)?;
    Ok(days(from, to)
        .filter_map(|d| {
            tl.for_day(d).map(|s| {
                (
                    d,
                    s.taken_at.to_rfc3339(),
                    a.areas.get(&s.id).copied().unwrap_or(0.0),
                    a.slivers.get(&s.id).copied(),
                    marks.iter().find(|(day, _)| *day == d).map(|(_, m)| m.clone()),
                )
            })
        })
        .collect())
}

/// The outline an answer is clipped to: its words, and its own area.
struct Within {
    outline: String,
    area_km2: f64,
}

fn within(store: &dyn Store, args: &AreaRequest) -> Result<Option<Within>> {
    let Some(code) = args.within.as_deref() else {
        return Ok(None);
    };
    let b = boundary(store, code)?;
    Ok(Some(Within {
        outline: describe(&b),
        area_km2: area_km2(&b.geometry),
    }))
}

fn row((date, snapshot, a, slivers, mark): Daily, w: Option<&Within>) -> AreaDay {
    AreaDay {
        date,
        area_km2: round3(a),
        slivers_km2: slivers.and_then(round3),
        snapshot,
        share_of_unit: w.and_then(|w| (w.area_km2 > 0.0).then(|| (a / w.area_km2 * 1e5).round() / 1e5 + 0.0)),
        outline: w.map(|w| w.outline.clone()),
        r#break: mark,
    }
}

/// Area per day.
pub fn area(store: &mut dyn Store, args: &AreaRequest) -> Result<Vec<AreaDay>> {
    let w = within(store, args)?;
    Ok(daily(store, args)?.into_iter().map(|r| row(r, w.as_ref())).collect())
}

/// The largest area and the first day it was reached.
pub fn peak(store: &mut dyn Store, args: &AreaRequest) -> Result<Vec<AreaDay>> {
    let w = within(store, args)?;
    let mut best: Option<Daily> = None;
    for row in daily(store, args)? {
        if best.as_ref().is_none_or(|b| row.2 > b.2) {
            best = Some(row);
        }
    }
    Ok(best.into_iter().map(|r| row(r, w.as_ref())).collect())
}
