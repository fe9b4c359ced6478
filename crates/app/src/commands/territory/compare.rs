//! `territory compare`: where two mappers agree and disagree about one
//! status, on a day, by first-level unit, or on every day the second
//! published.

use super::{Timeline, layer, within_outline};
use crate::answers::{MapperGap, round3};
use crate::commands::geo::{collection, feature};
use crate::error::{bail_bad, bail_missing};
use crate::requests::{CompareRequest, TerritorySelect};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use frontline_analysis::territory::{Change, area_km2, change, clip};
use frontline_model::Boundary;
use frontline_store::{SnapshotInfo, Store};
use geo::MultiPolygon;
use rayon::prelude::*;
use serde_json::json;

/// Most days one request compares: each costs two polygon differences of
/// whole maps (about 0.3 s for occupied Ukraine).
pub const MAX_COMPARE_DAYS: usize = 60;

/// The two timelines a request names (`a,b`).
fn timelines(store: &dyn Store, mappers: &str) -> Result<(Timeline, Timeline)> {
    let names: Vec<&str> = mappers.split(',').map(str::trim).filter(|m| !m.is_empty()).collect();
    let [a, b] = names.as_slice() else {
        bail_bad!("`mappers` takes two mapper names separated by a comma, e.g. `deepstate,isw`; got `{mappers}`");
    };
    if a == b {
        bail_bad!("`mappers` names `{a}` twice; compare two different mappers");
    }
    Ok((Timeline::load(store, Some(a))?, Timeline::load(store, Some(b))?))
}

/// The days to compare: `date`, or every day in `from..=to` on which the
/// second mapper published (default: the last day both cover).
fn days(req: &CompareRequest, a: &Timeline, b: &Timeline) -> Result<Vec<NaiveDate>> {
    let first_both = match (a.snaps.first(), b.snaps.first()) {
        (Some(x), Some(y)) => x.taken_at.max(y.taken_at).date_naive(),
        _ => bail_missing!("no snapshots"),
    };
    if let Some(d) = req.date {
        if req.from.is_some() || req.to.is_some() {
            bail_bad!("give either `date` or `from`/`to`, not both");
        }
        return Ok(vec![d]);
    }
    if req.from.is_none() && req.to.is_none() {
        let last = a.range(None, None)?.1.min(b.range(None, None)?.1);
        return Ok(vec![last]);
    }
    let (from, to) = b.range(req.from, req.to)?;
    let from = from.max(first_both);
    let mut out: Vec<NaiveDate> = b
        .snaps
        .iter()
        .map(|s| s.taken_at.date_naive())
        .filter(|d| *d >= from && *d <= to)
        .collect();
    out.dedup();
    if out.is_empty() {
        bail_missing!(
            "{} published nothing from {from} to {to} that {} also covers",
            b.mapper,
            a.mapper
        );
    }
    if out.len() > MAX_COMPARE_DAYS {
        bail_bad!(
            "{} days to compare from {from} to {to}; at most {MAX_COMPARE_DAYS} a request: narrow the range",
            out.len()
        );
    }
    Ok(out)
}

/// One day's two layers, clipped to `within` when asked.
struct Pair<'t> {
    day: NaiveDate,
    snaps: (&'t SnapshotInfo, &'t SnapshotInfo),
    layers: (MultiPolygon<f64>, MultiPolygon<f64>),
}

fn pair<'t>(
    store: &dyn Store,
    req: &CompareRequest,
    a: &'t Timeline,
    b: &'t Timeline,
    day: NaiveDate,
) -> Result<Pair<'t>> {
    let snaps = (a.require(day)?, b.require(day)?);
    let mut layers = (
        layer(store, snaps.0, req.status, None)?,
        layer(store, snaps.1, req.status, None)?,
    );
    let select = TerritorySelect {
        status: req.status,
        within: req.within.clone(),
        mapper: None,
    };
    if let Some(o) = within_outline(store, &select, &[&layers.0, &layers.1])? {
        layers = (clip(&layers.0, &o), clip(&layers.1, &o));
    }
    Ok(Pair { day, snaps, layers })
}

fn row(p: &Pair, unit: Option<&Boundary>, a_km2: f64, b_km2: f64, only_a: f64, only_b: f64) -> MapperGap {
    let union = a_km2 + only_b;
    MapperGap {
        date: p.day,
        unit: unit.map(|u| u.code.clone()),
        unit_name: unit.map(|u| u.name.clone()),
        a_mapper: p.snaps.0.mapper.to_string(),
        b_mapper: p.snaps.1.mapper.to_string(),
        a_snapshot: p.snaps.0.taken_at.to_rfc3339(),
        b_snapshot: p.snaps.1.taken_at.to_rfc3339(),
        a_km2: round3(a_km2),
        b_km2: round3(b_km2),
        both_km2: round3((a_km2 - only_a).max(0.0)),
        only_a_km2: round3(only_a),
        only_b_km2: round3(only_b),
        disagree_km2: round3(only_a + only_b),
        disagree_share: (union > 0.0).then(|| ((only_a + only_b) / union * 1e5).round() / 1e5 + 0.0),
    }
}

/// Agreement and disagreement per day, or per unit of `country` on one day;
/// the disagreement on `date` goes to the request's `geojson` file when it
/// names one (the CLI's only).
pub fn compare(store: &dyn Store, req: &CompareRequest) -> Result<Vec<MapperGap>> {
    if let Some(path) = &req.geojson {
        let fc = polygons(store, req)?;
        std::fs::write(path, fc.to_string()).with_context(|| format!("writing {}", path.display()))?;
    }
    let (a, b) = timelines(store, &req.mappers)?;
    compare_timelines(store, req, &a, &b)
}

/// [`compare`] (without writing `geojson`) on the two timelines already
/// loaded, `a` and `b` as `mappers` names them: event detection compares
/// each status on the same two, and a timeline is a listing of every
/// snapshot, which grows with the archive (#27).
pub(crate) fn compare_timelines(
    store: &dyn Store,
    req: &CompareRequest,
    a: &Timeline,
    b: &Timeline,
) -> Result<Vec<MapperGap>> {
    let days = days(req, a, b)?;
    if let Some(country) = &req.country {
        let [day] = days.as_slice() else {
            bail_bad!("`country` breaks one day down by unit: give `date`, not `from`/`to`");
        };
        return by_unit(store, &pair(store, req, a, b, *day)?, country);
    }
    let pairs = days
        .iter()
        .map(|d| pair(store, req, a, b, *d))
        .collect::<Result<Vec<_>>>()?;
    Ok(pairs
        .par_iter()
        .map(|p| {
            let c = change(&p.layers.0, &p.layers.1);
            row(
                p,
                None,
                area_km2(&p.layers.0),
                area_km2(&p.layers.1),
                c.lost_km2,
                c.gained_km2,
            )
        })
        .collect())
}

fn by_unit(store: &dyn Store, p: &Pair, country: &str) -> Result<Vec<MapperGap>> {
    let units = super::units::units_of(store, country)?;
    let c: Change = change(&p.layers.0, &p.layers.1);
    Ok(units
        .par_iter()
        .map(|u| {
            let km2 = |m: &MultiPolygon<f64>| area_km2(&clip(m, &u.geometry));
            row(
                p,
                Some(u),
                km2(&p.layers.0),
                km2(&p.layers.1),
                km2(&c.lost),
                km2(&c.gained),
            )
        })
        .filter(|r| r.a_km2.unwrap_or(0.0) > 0.0 || r.b_km2.unwrap_or(0.0) > 0.0)
        .collect())
}

/// The disagreement on one day as GeoJSON: a feature per side, `only`
/// naming the mapper that draws it.
pub fn polygons(store: &dyn Store, req: &CompareRequest) -> Result<serde_json::Value> {
    let (a, b) = timelines(store, &req.mappers)?;
    let Some(day) = req.date else {
        bail_bad!("missing field `date`");
    };
    let p = pair(store, req, &a, &b, day)?;
    let c = change(&p.layers.0, &p.layers.1);
    let features = [(&a, &c.lost, c.lost_km2), (&b, &c.gained, c.gained_km2)]
        .into_iter()
        .filter(|(_, mp, _)| !mp.0.is_empty())
        .map(|(t, mp, km2)| {
            feature(
                geojson::Geometry::from(mp),
                json!({"only": t.mapper.as_str(), "date": day, "area_km2": round3(km2)}),
            )
        })
        .collect();
    Ok(collection(features))
}
