//! `territory change`.

use super::{Timeline, layer, within_outline};
use crate::answers::{ChangeRow, round3};
use crate::error::bad;
use crate::requests::ChangeRequest;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use frontline_analysis::Period;
use frontline_analysis::territory::{Change, change};
use frontline_store::Store;
use rayon::prelude::*;
use serde_json::json;

fn round(v: f64) -> f64 {
    // `+ 0.0`: never `-0.0`.
    (v * 1000.0).round() / 1000.0 + 0.0
}

/// Change over the range, or per period; the gained and lost polygons go
/// to the request's `geojson` file when it names one (the CLI's only).
pub fn run(store: &mut dyn Store, args: &ChangeRequest) -> Result<Vec<ChangeRow>> {
    let tl = Timeline::load(store, args.mapper.as_deref())?;
    let (from, to) = tl.range(args.from, args.to)?;
    let bounds: Vec<NaiveDate> = match args.period {
        None => vec![from, to],
        Some(p) => {
            let mut b = vec![from];
            let mut next = p.start(from);
            loop {
                next = match p {
                    Period::Day => next.succ_opt(),
                    Period::Week => next.checked_add_days(chrono::Days::new(7)),
                    Period::Month => next.checked_add_months(chrono::Months::new(1)),
                }
                .ok_or_else(|| bad!("date out of range"))?;
                if next >= to {
                    break;
                }
                b.push(next);
            }
            b.push(to);
            b
        }
    };
    let status = args.status;
    let mut states = Vec::with_capacity(bounds.len());
    for d in &bounds {
        states.push(layer(store, tl.require(*d)?, status, None)?);
    }
    let refs: Vec<_> = states.iter().collect();
    let outline = within_outline(store, &args.select(), &refs)?;
    if let Some(o) = &outline {
        for s in &mut states {
            *s = frontline_analysis::territory::clip(s, o);
        }
    }
    let mut rows = Vec::new();
    let mut changes: Vec<(NaiveDate, NaiveDate, Change)> = Vec::new();
    let computed: Vec<Change> = states.par_windows(2).map(|w| change(&w[0], &w[1])).collect();
    let marks = crate::commands::breaks::vocabulary_marks(store, &tl.mapper, status)?;
    for (i, c) in computed.into_iter().enumerate() {
        let (a, b) = (bounds[i], bounds[i + 1]);
        // A rename between the two maps compared: the change may compare
        // areas drawn by two rules.
        let within: Vec<String> = marks
            .iter()
            .filter(|(d, _)| a < *d && *d <= b)
            .map(|(d, m)| format!("{d} {m}"))
            .collect();
        rows.push(ChangeRow {
            from: a,
            to: b,
            gained_km2: round3(c.gained_km2),
            lost_km2: round3(c.lost_km2),
            net_km2: round3(c.net_km2()),
            r#break: (!within.is_empty()).then(|| within.join("; ")),
        });
        changes.push((bounds[i], bounds[i + 1], c));
    }
    if let Some(path) = &args.geojson {
        write_geojson(path, &changes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(rows)
}

fn write_geojson(path: &std::path::Path, changes: &[(NaiveDate, NaiveDate, Change)]) -> Result<()> {
    let mut features = Vec::new();
    for (from, to, c) in changes {
        for (kind, mp, km2) in [("gained", &c.gained, c.gained_km2), ("lost", &c.lost, c.lost_km2)] {
            if mp.0.is_empty() {
                continue;
            }
            let mut props = geojson::JsonObject::new();
            props.insert("kind".into(), json!(kind));
            props.insert("from".into(), json!(from));
            props.insert("to".into(), json!(to));
            props.insert("area_km2".into(), json!(round(km2)));
            features.push(geojson::Feature {
                geometry: Some(geojson::Geometry::from(mp)),
                properties: Some(props),
                ..Default::default()
            });
        }
    }
    let fc = geojson::FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    std::fs::write(path, fc.to_string())?;
    Ok(())
}
