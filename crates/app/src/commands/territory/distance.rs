//! `territory distance`.

use super::{Timeline, layer, within_outline};
use crate::answers::{Distance, round3};
use crate::error::{bail_bad, bail_missing};
use crate::requests::DistanceRequest;
use anyhow::Result;
use frontline_analysis::territory::{clip, distance_km, distance_to_geometry_km};
use frontline_store::Store;
use geo::Point;

/// Distance from the status's edge on the day to a place or every feature of a layer.
pub fn run(store: &dyn Store, args: &DistanceRequest) -> Result<Vec<Distance>> {
    let tl = Timeline::load(store, args.mapper.as_deref())?;
    let mut area = layer(store, tl.require(args.date)?, args.status, None)?;
    if let Some(o) = within_outline(store, &args.select(), &[&area])? {
        area = clip(&area, &o);
    }
    if area.0.is_empty() {
        bail_missing!("no {} area on {} to measure from", args.status, args.date);
    }
    let mut rows = Vec::new();
    let row = |to: String, km: f64| Distance {
        date: args.date,
        to,
        km: round3(km),
    };
    if let Some(name) = &args.place {
        // The store narrows by name; the exact (ASCII case-insensitive)
        // match is decided here, alike on every backend.
        let places = store.places(&frontline_store::PlaceFilter {
            name: Some(name.clone()),
            ..Default::default()
        })?;
        let place = places
            .iter()
            .filter(|p| p.name.eq_ignore_ascii_case(name))
            .max_by_key(|p| p.population.unwrap_or(0))
            .ok_or_else(|| {
                crate::error::UserError::NotFound(format!("no place named `{name}` in the imported gazetteer"))
            })?;
        let km = distance_km(&area, Point::new(place.lon, place.lat));
        rows.push(row(place.name.clone(), km));
    } else if let Some(layer_name) = &args.layer {
        let features = store.layer(layer_name)?;
        if features.is_empty() {
            bail_missing!("no layer named `{layer_name}`; run `frontline import layer FILE --name {layer_name}` first");
        }
        let mut d: Vec<(String, f64)> = features
            .iter()
            .map(|f| (f.name.clone(), distance_to_geometry_km(&area, &f.geometry)))
            .collect();
        d.sort_by(|a, b| a.1.total_cmp(&b.1));
        for (n, km) in d {
            rows.push(row(n, km));
        }
    } else {
        bail_bad!("give a place, or a layer to measure to");
    }
    Ok(rows)
}
