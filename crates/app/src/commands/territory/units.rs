//! `territory units`: a status's area in every first-level unit of a
//! country on a day, with the unit's share and the change since another day.

use super::{Timeline, layer};
use crate::answers::{UnitArea, round3};
use crate::error::bail_missing;
use crate::requests::UnitsRequest;
use anyhow::Result;
use frontline_analysis::territory::{area_km2, clip};
use frontline_model::{Boundary, BoundaryLevel, ControlStatus};
use frontline_store::{SnapshotInfo, Store};
use geo::{BoundingRect, Intersects, MultiPolygon};
use rayon::prelude::*;

/// The first-level units of `country` (as the store knows them), or why
/// there are none.
pub(crate) fn units_of(store: &dyn Store, country: &str) -> Result<Vec<Boundary>> {
    let country = country.to_uppercase();
    let units: Vec<Boundary> = store
        .boundaries(None)?
        .into_iter()
        .filter(|b| b.level == BoundaryLevel::Unit && b.country() == country)
        .collect();
    if units.is_empty() {
        bail_missing!(
            "no first-level units of `{country}`; import them first (`frontline import boundaries` on an admin-1 file)"
        );
    }
    Ok(units)
}

/// The area of `status` inside each unit of `country`, by code.
pub fn units(store: &dyn Store, args: &UnitsRequest) -> Result<Vec<UnitArea>> {
    let units = units_of(store, &args.country)?;
    let tl = Timeline::load(store, args.mapper.as_deref())?;
    let date = match args.date {
        Some(d) => d,
        None => tl.range(None, None)?.1,
    };
    let now_snap = tl.require(date)?;
    let now = by_unit(store, now_snap, args.status, &units)?;
    let before = match args.since {
        Some(d) => Some((d, by_unit(store, tl.require(d)?, args.status, &units)?)),
        None => None,
    };
    Ok(units
        .iter()
        .zip(now)
        .enumerate()
        .map(|(i, (u, (a, total)))| UnitArea {
            code: u.code.clone(),
            name: u.name.clone(),
            name_uk: u.name_uk.clone(),
            name_ru: u.name_ru.clone(),
            date,
            snapshot: now_snap.taken_at.to_rfc3339(),
            area_km2: round3(a),
            unit_km2: round3(total),
            share_of_unit: (total > 0.0).then(|| (a / total * 1e5).round() / 1e5 + 0.0),
            since: before.as_ref().map(|(d, _)| *d),
            change_km2: before.as_ref().and_then(|(_, b)| round3(a - b[i].0)),
        })
        .collect())
}

/// (area of the status inside, area of the unit) for each unit.
fn by_unit(
    store: &dyn Store,
    snap: &SnapshotInfo,
    status: ControlStatus,
    units: &[Boundary],
) -> Result<Vec<(f64, f64)>> {
    let l: MultiPolygon<f64> = layer(store, snap, status, None)?;
    let bbox = l.bounding_rect();
    Ok(units
        .par_iter()
        .map(|u| {
            // Units far from the layer hold none of it: skip the clip.
            let near = bbox.is_some_and(|b| u.geometry.bounding_rect().is_some_and(|r| r.intersects(&b)));
            let inside = if near { area_km2(&clip(&l, &u.geometry)) } else { 0.0 };
            (inside, area_km2(&u.geometry))
        })
        .collect())
}
