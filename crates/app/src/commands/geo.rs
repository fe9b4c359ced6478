//! GeoJSON answers for the map: control layers, places by status, outlines,
//! located loss items, snapshot dates.

use super::territory::Timeline;
use crate::error::{UserError, bad, bail_bad};
use crate::requests::LocatedRequest;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_model::BoundaryLevel;
use frontline_model::ControlStatus;
use frontline_store::{EvidenceFilter, Store};
use geo::MultiPolygon;
use serde_json::{Value, json};

/// One GeoJSON feature.
pub(crate) fn feature(geometry: geojson::Geometry, props: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": props})
}

/// A GeoJSON feature collection.
pub(crate) fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

/// Snapshot days of a mapper, oldest first (for the time slider).
pub fn snapshot_days(store: &dyn Store, mapper: Option<&str>) -> Result<Value> {
    // Every mapper stored, so the page can offer the others for comparison
    // (one read of the snapshots serves both).
    let all = store.control_snapshots(None)?;
    let mut mappers: Vec<String> = all.iter().map(|s| s.mapper.as_str().to_string()).collect();
    mappers.sort();
    mappers.dedup();
    let tl = Timeline::of(all, mapper)?;
    let mut days: Vec<String> = tl.snaps.iter().map(|s| s.taken_at.date_naive().to_string()).collect();
    days.dedup();
    Ok(json!({"mapper": tl.mapper.as_str(), "days": days, "mappers": mappers}))
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
                json!({"status": l.status.as_str(), "area_km2": (l.area_km2 * 1000.0).round() / 1000.0 + 0.0, "snapshot": snap.taken_at.to_rfc3339(), "labels": l.labels}),
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
                Some(snap) => Some(super::territory::places::index_for(store, snap)?),
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
                json!({"id": p.id, "name": p.name, "name_uk": p.name_uk, "name_ru": p.name_ru, "population": p.population, "admin1": p.admin1, "country": p.country, "status": status}),
            )
        })
        .collect();
    Ok(collection(features))
}

/// Country outlines as the map draws them (the offline basemap): one per
/// country, the de facto one where both are stored. Units and de jure
/// unions are for measuring, not drawing: they would only add weight.
pub fn boundaries(store: &dyn Store, bbox: Option<&str>) -> Result<Value> {
    let window = match bbox {
        Some(b) => Some(
            frontline_analysis::territory::Region::parse(b)
                .map_err(|e| bad!("bbox: {e}"))?
                .rect,
        ),
        None => None,
    };
    let all = store.boundaries(None)?;
    let drawn = |b: &&frontline_model::Boundary| match b.level {
        BoundaryLevel::DeFacto => true,
        BoundaryLevel::DeJure => !all
            .iter()
            .any(|o| o.code == b.code && o.level == BoundaryLevel::DeFacto),
        BoundaryLevel::Unit => false,
    };
    let features = all
        .iter()
        .filter(drawn)
        .filter_map(|b| {
            let shape = match window {
                Some(w) => frontline_analysis::territory::clip(&b.geometry, &MultiPolygon::new(vec![w.to_polygon()])),
                None => b.geometry.clone(),
            };
            (!shape.0.is_empty())
                .then(|| feature(geojson::Geometry::from(&shape), json!({"code": b.code, "name": b.name})))
        })
        .collect();
    Ok(collection(features))
}

/// Most located items in one answer (about 300 bytes each in GeoJSON, so
/// some 15 MB): past it the caller narrows by date or box instead of the
/// server building an answer of any size (hardening #12.8).
pub const MAX_LOCATED: usize = 50_000;

/// A `bbox` (OGC's, and every endpoint's that takes one): four numbers, west ≤ east, south ≤ north, in range.
pub fn parse_bbox(text: Option<&str>) -> Result<Option<[f64; 4]>> {
    let Some(text) = text else { return Ok(None) };
    let v: Vec<f64> = text
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad!("bbox: `{text}` is not four numbers west,south,east,north"))?;
    let &[w, s, e, n] = v.as_slice() else {
        bail_bad!("bbox: `{text}` is not four numbers west,south,east,north (CRS84)")
    };
    let lon = -180.0..=180.0;
    let lat = -90.0..=90.0;
    if !(lon.contains(&w) && lon.contains(&e) && lat.contains(&s) && lat.contains(&n)) {
        bail_bad!("bbox: `{text}` is out of range (longitudes -180 to 180, latitudes -90 to 90)");
    }
    // West above east would be a box across the antimeridian, which no
    // map here reaches: refused as inverted rather than read as the world.
    if w > e || s > n {
        bail_bad!("bbox: `{text}` is inverted (west must not exceed east, nor south north)");
    }
    Ok(Some([w, s, e, n]))
}

/// Loss items that have coordinates, optionally in an event-date range, a
/// box, of one side and of one category.
pub fn located_losses(store: &dyn Store, req: &LocatedRequest) -> Result<Value> {
    located_losses_at_most(store, req, MAX_LOCATED)
}

fn located_losses_at_most(store: &dyn Store, req: &LocatedRequest, cap: usize) -> Result<Value> {
    let filter = EvidenceFilter {
        located: true,
        event_from: req.from,
        event_to: req.to,
        bbox: parse_bbox(req.bbox.as_deref())?,
        side: req.side.clone(),
        category: req.category.as_deref().map(super::losses::category_key),
        // One more than the cap tells "too many" without reading them all.
        limit: Some(cap + 1),
        ..Default::default()
    };
    let items = store.evidence_items(&filter)?;
    // The map asks for every located item: none stored is an empty layer,
    // but a side or category no item has is a mistake worth saying.
    if items.is_empty() && (req.side.is_some() || req.category.is_some()) {
        super::losses::refuse_unknown(store, &[], req.side.as_deref(), req.category.as_deref())?;
    }
    if items.len() > cap {
        bail_bad!("more than {cap} located items match; narrow the answer with from/to (event dates) or bbox");
    }
    let features = items
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

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::LossStatus;
    use frontline_store::{SqliteStore, Store};
    use frontline_store_tests::fixtures::{item, loss_file};

    /// `n` items a degree of longitude apart, on consecutive August days.
    fn store_with(n: usize) -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let items = (0..n)
            .map(|i| {
                frontline_store_tests::fixtures::located(
                    item(&format!("{i:03}"), LossStatus::Destroyed, "T-72B3"),
                    &format!("2024-08-{:02}", i + 1),
                    51.0,
                    35.0 + i as f64,
                )
            })
            .collect();
        s.import_evidence(&[loss_file("l", items)]).unwrap();
        s
    }

    fn count(v: &Value) -> usize {
        v["features"].as_array().unwrap().len()
    }

    /// #12.8: past the cap the answer is a 400 that says how to narrow it,
    /// never a partial map; at the cap it is whole.
    #[test]
    fn located_items_are_capped_and_narrowed_by_date_or_box() {
        let mut s = store_with(3);
        let all = LocatedRequest::default();
        assert_eq!(count(&located_losses_at_most(&s, &all, 3).unwrap()), 3);
        let err = located_losses_at_most(&s, &all, 2).unwrap_err();
        assert_eq!(
            crate::error::classify(&err),
            frontline_model::class::ErrorClass::BadRequest
        );
        assert!(err.to_string().contains("more than 2 located items match"), "{err}");
        let east = LocatedRequest {
            bbox: Some("35.5,50,40,52".into()),
            ..Default::default()
        };
        assert_eq!(count(&located_losses_at_most(&s, &east, 2).unwrap()), 2);
        let late = LocatedRequest {
            from: chrono::NaiveDate::from_ymd_opt(2024, 8, 3),
            ..Default::default()
        };
        assert_eq!(count(&located_losses_at_most(&s, &late, 2).unwrap()), 1);
        // Whose and which: the fixture's items are Russia's tanks.
        let of = |side: &str, category: &str| LocatedRequest {
            side: Some(side.into()),
            category: Some(category.into()),
            ..Default::default()
        };
        assert_eq!(count(&located_losses(&s, &of("russia", "tanks")).unwrap()), 3);
        assert_eq!(count(&located_losses(&s, &of("Russia", "Tanks")).unwrap()), 3);
        // A side or category no item has is refused, naming what is stored,
        // not drawn as an empty map.
        for (req, said) in [
            (of("ukraine", "tanks"), "unknown side `ukraine`; stored sides: russia"),
            (
                of("russia", "tank"),
                "unknown category `tank`; stored categories: tanks",
            ),
        ] {
            let err = located_losses(&s, &req).unwrap_err();
            assert_eq!(
                crate::error::classify(&err),
                frontline_model::class::ErrorClass::NotFound
            );
            assert_eq!(err.to_string(), said);
        }
        // Names that exist but meet nowhere here give the empty answer, and
        // so does the map's layer on a store without losses.
        let west = LocatedRequest {
            bbox: Some("20,50,30,52".into()),
            ..of("russia", "tanks")
        };
        assert_eq!(count(&located_losses(&s, &west).unwrap()), 0);
        // As known on a past day: the fixture's items were first listed on
        // 2024-08-12 (#23); the day before, none was, and the answer says so.
        let tanks = of("russia", "tanks");
        let mut known = |day: u32| {
            let day = chrono::NaiveDate::from_ymd_opt(2024, 8, day).unwrap();
            crate::as_of::on(&mut s, Some(day), |v| located_losses(v, &tanks))
        };
        let before = known(11).unwrap_err();
        assert_eq!(
            crate::error::classify(&before),
            frontline_model::class::ErrorClass::NotFound
        );
        assert_eq!(
            before.to_string(),
            "no loss item had been listed by 2024-08-11 (as_of): nothing to answer as of that day"
        );
        assert_eq!(count(&known(12).unwrap()), 3);
        let empty = SqliteStore::open_in_memory().unwrap();
        assert_eq!(count(&located_losses(&empty, &all).unwrap()), 0);
        for bad in ["1,2,3", "40,50,35,52", "35,50,181,52", "a,b,c,d"] {
            let req = LocatedRequest {
                bbox: Some(bad.into()),
                ..Default::default()
            };
            let err = located_losses(&s, &req).unwrap_err().to_string();
            assert!(err.starts_with(&format!("bbox: `{bad}`")), "{err}");
        }
    }
}
