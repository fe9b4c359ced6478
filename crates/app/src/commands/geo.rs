//! GeoJSON answers for the map: control layers, places by status, outlines,
//! located loss items, snapshot dates.

use super::territory::{Timeline, layer};
use crate::error::UserError;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_analysis::territory::PlaceIndex;
use frontline_model::ControlStatus;
use frontline_store::{EvidenceFilter, Store};
use geo::MultiPolygon;
use serde_json::{Value, json};

fn feature(geometry: geojson::Geometry, props: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": props})
}

fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

/// Snapshot days of a mapper, oldest first (for the time slider).
pub fn snapshot_days(store: &dyn Store, mapper: Option<&str>) -> Result<Value> {
    let tl = Timeline::load(store, mapper)?;
    let mut days: Vec<String> = tl.snaps.iter().map(|s| s.taken_at.date_naive().to_string()).collect();
    days.dedup();
    Ok(json!({"mapper": tl.mapper.as_str(), "days": days}))
}

/// The control layers standing for a day, one feature per status.
pub fn control(store: &dyn Store, date: NaiveDate, mapper: Option<&str>) -> Result<Value> {
    let tl = Timeline::load(store, mapper)?;
    let snap = tl
        .for_day(date)
        .ok_or_else(|| UserError::NotFound(format!("no snapshot on or before {date}")))?;
    let mut features = Vec::new();
    for l in store.control_layers(snap.id, &ControlStatus::ALL)? {
        {
            features.push(feature(
                geojson::Geometry::from(&l.geometry),
                json!({"status": l.status.as_str(), "area_km2": (l.area_km2 * 1000.0).round() / 1000.0, "snapshot": snap.taken_at.to_rfc3339(), "labels": l.labels}),
            ));
        }
    }
    Ok(collection(features))
}

/// Places with their status on a day (all places when no map is stored).
pub fn places(store: &dyn Store, date: Option<NaiveDate>, min_population: u64, mapper: Option<&str>) -> Result<Value> {
    let index = match date {
        Some(d) => match Timeline::load(store, mapper) {
            Ok(tl) => match tl.for_day(d) {
                Some(snap) => {
                    let layers: Vec<(ControlStatus, MultiPolygon<f64>)> = ControlStatus::ALL
                        .iter()
                        .map(|s| Ok((*s, layer(store, snap, *s, None)?)))
                        .collect::<Result<_>>()?;
                    let refs: Vec<(ControlStatus, &MultiPolygon<f64>)> = layers.iter().map(|(s, l)| (*s, l)).collect();
                    Some(PlaceIndex::new(&refs))
                }
                None => None,
            },
            Err(_) => None,
        },
        None => None,
    };
    let features = store
        .places(&frontline_store::PlaceFilter {
            min_population,
            ..Default::default()
        })?
        .into_iter()
        .map(|p| {
            let status = index.as_ref().and_then(|i| i.status(p.lon, p.lat)).map_or("none", ControlStatus::as_str);
            feature(
                geojson::Geometry::new(geojson::GeometryValue::new_point([p.lon, p.lat])),
                json!({"name": p.name, "population": p.population, "admin1": p.admin1, "country": p.country, "status": status}),
            )
        })
        .collect();
    Ok(collection(features))
}

/// Country outlines (the offline basemap).
pub fn boundaries(store: &dyn Store) -> Result<Value> {
    let features = store
        .boundaries()?
        .iter()
        .map(|b| {
            feature(
                geojson::Geometry::from(&b.geometry),
                json!({"code": b.code, "name": b.name}),
            )
        })
        .collect();
    Ok(collection(features))
}

/// Loss items that have coordinates, optionally in an event-date range.
pub fn located_losses(store: &dyn Store, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Value> {
    let filter = EvidenceFilter {
        located: true,
        event_from: from,
        event_to: to,
        ..Default::default()
    };
    let features = store
        .evidence_items(&filter)?
        .into_iter()
        .filter_map(|i| {
            let l = i.location?;
            Some(feature(
                geojson::Geometry::new(geojson::GeometryValue::new_point([l.lon, l.lat])),
                json!({
                    "id": i.id(), "source": i.source, "side": i.side, "category": i.category, "model": i.model,
                    "status": i.status.as_str(), "event_date": i.dates.event, "published_date": i.dates.published,
                    "proof_urls": i.proof_urls,
                }),
            ))
        })
        .collect();
    Ok(collection(features))
}
