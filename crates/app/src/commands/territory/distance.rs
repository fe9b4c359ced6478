//! `territory distance`.

use super::{Timeline, layer, within_outline};
use crate::args::DistanceArgs;
use crate::error::{bail_missing, missing};
use crate::output::Rows;
use anyhow::Result;
use frontline_analysis::territory::{clip, distance_km, distance_to_geometry_km};
use frontline_store::Store;
use geo::Point;
use serde_json::json;

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Distance from the status's edge on the day to a place or every feature of a layer.
pub fn run(store: &dyn Store, args: &DistanceArgs) -> Result<Rows> {
    let tl = Timeline::load(store, args.select.mapper.as_deref())?;
    let mut area = layer(store, tl.require(args.date)?, args.select.status, None)?;
    if let Some(o) = within_outline(store, &args.select, &[&area])? {
        area = clip(&area, &o);
    }
    if area.0.is_empty() {
        bail_missing!("no {} area on {} to measure from", args.select.status, args.date);
    }
    let mut rows = Rows::new(&["date", "to", "km"]);
    if let Some(name) = &args.to {
        let places = store.places()?;
        let place = places
            .iter()
            .filter(|p| p.name.eq_ignore_ascii_case(name))
            .max_by_key(|p| p.population.unwrap_or(0))
            .ok_or_else(|| {
                crate::error::UserError::NotFound(format!("no place named `{name}` in the imported gazetteer"))
            })?;
        let km = distance_km(&area, Point::new(place.lon, place.lat));
        rows.push(vec![json!(args.date), json!(place.name), json!(round(km))]);
    } else if let Some(layer_name) = &args.to_layer {
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
            rows.push(vec![json!(args.date), json!(n), json!(round(km))]);
        }
    }
    Ok(rows)
}
