//! `territory settlements` and `territory handovers`.

use super::edits::refs;
use super::{Timeline, days, outline};
use crate::answers::{Handover, Settlement, StatusChange};
use crate::error::{bail_bad, bail_missing};
use crate::requests::{HandoversRequest, PlaceHistoryRequest, SettlementsRequest};
use anyhow::Result;
use frontline_analysis::territory::{PlaceIndex, status_of};
use frontline_model::{ControlStatus, Place};
use frontline_store::{PlaceEdit, PlaceFilter, SnapshotInfo, Store};
use geo::{Contains, Point, Rect};
use rayon::prelude::*;
use std::collections::HashMap;

/// Longest daily listing of settlements, in days.
pub const MAX_LISTING_DAYS: i64 = 366;

use super::edits::NONE;

pub(crate) fn index_for(store: &dyn Store, snap: &SnapshotInfo) -> Result<PlaceIndex> {
    let layers = store.control_layers(snap.id, &ControlStatus::ALL)?;
    Ok(PlaceIndex::new(&refs(&layers)))
}

/// Places, kept to those of one country when asked: by the gazetteer's own
/// country code where it has one (1:10m outlines put border villages and
/// Crimea on the wrong side), else by the imported outline. Within a
/// first-level unit (`UA-09`), the places of its country inside its outline.
fn candidate_places(store: &dyn Store, within: Option<&str>, min_population: u64) -> Result<Vec<Place>> {
    let country = within.map(|w| w.split(['-', ':']).next().unwrap_or(w).to_string());
    let places = store.places(&PlaceFilter {
        country_or_unknown: country.clone(),
        min_population,
        ..Default::default()
    })?;
    if places.is_empty() && store.places(&PlaceFilter::default())?.is_empty() {
        bail_missing!("no places stored yet; run `frontline import places FILE` first");
    }
    let Some(code) = within else { return Ok(places) };
    let by_outline_only = country.as_deref() != Some(code);
    let (coded, places): (Vec<Place>, Vec<Place>) = if by_outline_only {
        (vec![], places)
    } else {
        places.into_iter().partition(|p| p.country.is_some())
    };
    let mut out: Vec<Place> = coded
        .into_iter()
        .filter(|p| p.country.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code)))
        .collect();
    if places.is_empty() {
        return Ok(out);
    }
    let world = Rect::new(geo::coord! { x: -180.0, y: -90.0 }, geo::coord! { x: 180.0, y: 90.0 });
    let (lo, hi) = places.iter().fold(((180f64, 90f64), (-180f64, -90f64)), |(lo, hi), p| {
        ((lo.0.min(p.lon), lo.1.min(p.lat)), (hi.0.max(p.lon), hi.1.max(p.lat)))
    });
    let around = if lo.0 <= hi.0 {
        Rect::new(geo::coord! { x: lo.0, y: lo.1 }, geo::coord! { x: hi.0, y: hi.1 })
    } else {
        world
    };
    let shape = outline(store, code, around)?;
    let tree = geo::indexed::IntervalTreeMultiPolygon::new(&shape);
    out.extend(places.into_iter().filter(|p| tree.contains(&Point::new(p.lon, p.lat))));
    Ok(out)
}

fn settlement(date: Option<chrono::NaiveDate>, p: &Place, status: &str) -> Settlement {
    Settlement {
        date,
        name: p.name.clone(),
        lat: p.lat,
        lon: p.lon,
        population: p.population,
        status: status.into(),
        admin1: p.admin1.clone(),
    }
}

/// Places whose status on the day (or each day of a range) is the requested
/// one, most populous first. A range adds a `date` column.
pub fn settlements(store: &dyn Store, args: &SettlementsRequest) -> Result<Vec<Settlement>> {
    let tl = Timeline::load(store, args.mapper.as_deref())?;
    let (from, to, ranged) = match (args.date, args.from, args.to) {
        (Some(d), _, _) => (d, d, false),
        (None, Some(f), Some(t)) => {
            let (f, t) = tl.range(Some(f), Some(t))?;
            // Places × days: a year of a front's villages is a big answer.
            if (t - f).num_days() >= MAX_LISTING_DAYS {
                bail_bad!(
                    "a daily listing covers at most {MAX_LISTING_DAYS} days; {f} to {t} is {} days",
                    (t - f).num_days() + 1
                );
            }
            (f, t, true)
        }
        _ => bail_bad!("give a date, or both from and to"),
    };
    let candidates: Vec<Place> = candidate_places(store, args.within.as_deref(), args.min_population)?;
    let days: Vec<(chrono::NaiveDate, &SnapshotInfo)> =
        days(from, to).map(|d| Ok((d, tl.require(d)?))).collect::<Result<_>>()?;
    let mut unique: Vec<&SnapshotInfo> = days.iter().map(|(_, s)| *s).collect();
    unique.dedup_by_key(|s| s.id);
    let indexes: Vec<(i64, PlaceIndex)> = unique
        .iter()
        .map(|s| Ok((s.id, index_for(store, s)?)))
        .collect::<Result<_>>()?;
    let inside: HashMap<i64, Vec<&Place>> = indexes
        .par_iter()
        .map(|(id, idx)| {
            let mut v: Vec<&Place> = candidates
                .iter()
                .filter(|p| idx.status(p.lon, p.lat) == Some(args.status))
                .collect();
            v.sort_by(|a, b| b.population.cmp(&a.population).then_with(|| a.name.cmp(&b.name)));
            (*id, v)
        })
        .collect();
    let mut rows = Vec::new();
    for (d, s) in &days {
        for p in &inside[&s.id] {
            rows.push(settlement(ranged.then_some(*d), p, args.status.as_str()));
        }
    }
    Ok(rows)
}

/// The place a history request names: by id, or by a name only one place has.
fn one_place(store: &dyn Store, req: &PlaceHistoryRequest) -> Result<Place> {
    let filter = match (req.id, &req.place) {
        (Some(id), _) => PlaceFilter {
            id: Some(id),
            ..Default::default()
        },
        (None, Some(name)) => PlaceFilter {
            name: Some(name.clone()),
            ..Default::default()
        },
        (None, None) => bail_bad!("name the place (`place`) or give its id"),
    };
    let mut found = store.places(&filter)?;
    match found.len() {
        0 => match req.id {
            Some(id) => bail_missing!("no place with id {id}"),
            None => bail_missing!(
                "no place named `{}` in the gazetteer",
                req.place.as_deref().unwrap_or_default()
            ),
        },
        1 => Ok(found.remove(0)),
        n => bail_bad!(
            "{n} places are named `{}`; give the id of one: {}",
            req.place.as_deref().unwrap_or_default(),
            found
                .iter()
                .map(|p| format!(
                    "{} ({}, {:.3} N {:.3} E)",
                    p.id.unwrap_or_default(),
                    p.admin1.as_deref().unwrap_or("?"),
                    p.lat,
                    p.lon
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Every change of a place's status over all of a mapper's snapshots: the
/// first snapshot's status, then a row each time it changes, dated by the
/// first snapshot that shows the new status. One pass over the snapshots;
/// a map is decoded and tested where the place is only where the recorded
/// edits (`edits`) cannot say that it kept its status since the map before.
pub fn history(store: &dyn Store, req: &PlaceHistoryRequest) -> Result<Vec<StatusChange>> {
    let place = one_place(store, req)?;
    let tl = Timeline::load(store, req.mapper.as_deref())?;
    let id = place.id.unwrap_or_default();
    // The recorded edits say, without a map, whether the place changed on
    // a snapshot: where one holds for this timeline's pair and this place
    // (`edits`). Elsewhere the map is tested, where its boxes (read only
    // then) hold the place.
    let recorded: HashMap<i64, PlaceEdit> = store
        .place_edits(&tl.mapper, id)?
        .into_iter()
        .map(|e| (e.snapshot_id, e))
        .collect();
    let mut boxes: Option<super::edits::Edits> = None;
    let mut status: Option<ControlStatus>;
    let mut rows: Vec<StatusChange> = Vec::new();
    for (k, snap) in tl.snaps.iter().enumerate() {
        let edit = recorded
            .get(&snap.id)
            .filter(|e| k > 0 && e.previous_id == tl.snaps[k - 1].id && e.places_upto >= id);
        if let Some(e) = edit {
            match &e.change {
                Some(c) => status = c.status,
                None => continue,
            }
        } else {
            if k > 0 {
                let edits = match &mut boxes {
                    Some(e) => e,
                    None => boxes.insert(super::edits::Edits::load(store, &tl.mapper, None)?),
                };
                if edits.unchanged(&tl.snaps[k - 1], snap, place.lon, place.lat) {
                    continue;
                }
            }
            // One point a snapshot: tested directly, no index built.
            let layers = store.control_layers(snap.id, &ControlStatus::ALL)?;
            status = status_of(&refs(&layers), place.lon, place.lat);
        }
        let status = status.map_or(NONE, ControlStatus::as_str);
        if rows.last().is_some_and(|r| r.status == status) {
            continue;
        }
        rows.push(StatusChange {
            place_id: id,
            name: place.name.clone(),
            date: snap.taken_at.date_naive(),
            snapshot: snap.taken_at.to_rfc3339(),
            status: status.into(),
            previous: rows.last().map(|r| r.status.clone()),
        });
    }
    Ok(rows)
}

/// Places whose status on `to` differs from that on `from`, with the first
/// day of the new status (the start of the run that lasts through `to`).
pub fn handovers(store: &dyn Store, args: &HandoversRequest) -> Result<Vec<Handover>> {
    let tl = Timeline::load(store, args.mapper.as_deref())?;
    let (from, to) = tl.range(Some(args.from), Some(args.to))?;
    let places = candidate_places(store, args.within.as_deref(), args.min_population)?;
    // One status vector per distinct snapshot in the range, both cores.
    let mut day_snap: Vec<(chrono::NaiveDate, i64)> = Vec::new();
    let mut unique: Vec<&SnapshotInfo> = Vec::new();
    for d in days(from, to) {
        let s = tl.require(d)?;
        if unique.last().is_none_or(|u| u.id != s.id) {
            unique.push(s);
        }
        day_snap.push((d, s.id));
    }
    let indexes: Vec<(i64, PlaceIndex)> = unique
        .iter()
        .map(|s| Ok((s.id, index_for(store, s)?)))
        .collect::<Result<_>>()?;
    let statuses: HashMap<i64, Vec<Option<ControlStatus>>> = indexes
        .par_iter()
        .map(|(id, idx)| (*id, places.iter().map(|p| idx.status(p.lon, p.lat)).collect()))
        .collect();
    let name = |s: Option<ControlStatus>| s.map_or(NONE, ControlStatus::as_str);
    let mut out: Vec<(chrono::NaiveDate, &Place, Option<ControlStatus>, Option<ControlStatus>)> = Vec::new();
    for (i, p) in places.iter().enumerate() {
        let at = |k: usize| statuses[&day_snap[k].1][i];
        let (first, last) = (at(0), at(day_snap.len() - 1));
        if first == last {
            continue;
        }
        let mut k = day_snap.len() - 1;
        while k > 0 && at(k - 1) == last {
            k -= 1;
        }
        out.push((day_snap[k].0, p, first, last));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.population.cmp(&a.1.population)));
    Ok(out
        .into_iter()
        .map(|(d, p, a, b)| Handover {
            name: p.name.clone(),
            from_status: name(a).into(),
            to_status: name(b).into(),
            date: d,
            lat: p.lat,
            lon: p.lon,
            population: p.population,
            admin1: p.admin1.clone(),
        })
        .collect())
}
