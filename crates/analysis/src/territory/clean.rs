//! Geometry hygiene: region filter, repair, union per status.
//!
//! Control maps overlap themselves (adjacent polygons drawn twice), contain
//! self-intersections, and DeepState adds satirical "occupied" polygons far
//! from the war. Areas are only comparable once each status is one valid
//! MultiPolygon inside the region of interest.

use frontline_model::{ControlFeature, ControlStatus};
use geo::OpType;
use geo::bool_ops::FillRule;
use geo::orient::Direction;
use geo::{
    Area, BooleanOps, BoundingRect, Intersects, MultiPolygon, Orient, Polygon, Rect, Validation, coord, unary_union,
};
use std::collections::BTreeMap;

/// A lon/lat box outside which polygons are dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// West, south, east, north in degrees.
    pub rect: Rect<f64>,
}

impl Region {
    /// The default region: Ukraine and the Russian border oblasts
    /// (22–41.5° E, 44–53.5° N). It keeps Crimea and Kursk and drops
    /// DeepState's far-away satirical polygons (Karelia, the Kurils, East
    /// Prussia, Abkhazia…).
    pub fn default_war() -> Self {
        Region::new(22.0, 44.0, 41.5, 53.5)
    }

    /// A box from its bounds.
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Self {
        Region {
            rect: Rect::new(coord! { x: west, y: south }, coord! { x: east, y: north }),
        }
    }

    /// Parses `west,south,east,north`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        match v.as_slice() {
            [w, so, e, n] if w < e && so < n => Ok(Region::new(*w, *so, *e, *n)),
            _ => Err(format!(
                "`{s}` is not west,south,east,north with west < east and south < north"
            )),
        }
    }
}

/// One status of one snapshot, cleaned.
#[derive(Debug, Clone)]
pub struct CleanLayer {
    /// Status.
    pub status: ControlStatus,
    /// Union of every polygon of this status inside the region.
    pub geometry: MultiPolygon<f64>,
    /// Its geodesic area, km².
    pub area_km2: f64,
    /// Features that contributed.
    pub features: usize,
}

/// A repair of a polygon that changed its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// Feature number in the file (1-based).
    pub feature: usize,
    /// What was wrong.
    pub reason: String,
    /// Planar area before the repair (the exterior less its holes, in
    /// square degrees; only the ratio to `after` means anything).
    pub before: f64,
    /// Planar area after it.
    pub after: f64,
}

/// Repairs that change an area by more than this share are reported as
/// warnings (hardening #12.7: a hole drawn outside its polygon doubled the
/// area with only a debug log). Smaller ones are the usual slivers of
/// self-touching rings.
pub const REPORTED_AREA_CHANGE: f64 = 0.01;

impl Repair {
    /// The relative change of area, `None` when there was no area before.
    pub fn area_change(&self) -> Option<f64> {
        (self.before > 0.0).then(|| (self.after - self.before) / self.before)
    }

    /// Whether the repair changed the area enough to warn about.
    pub fn is_large(&self) -> bool {
        self.area_change().is_none_or(|c| c.abs() > REPORTED_AREA_CHANGE)
    }

    /// "feature 7: <reason>; repaired, area +98.0 %".
    pub fn describe(&self) -> String {
        let change = match self.area_change() {
            Some(c) => format!("area {:+.1} %", c * 100.0),
            None => "no area as drawn (its rings cancel out)".to_string(),
        };
        format!("feature {}: {}; repaired, {change}", self.feature, self.reason)
    }
}

/// What cleaning did, for the import report.
#[derive(Debug, Clone, Default)]
pub struct CleanReport {
    /// Polygons whose repair changed their shape.
    pub repaired: Vec<Repair>,
    /// (feature number, reason) of polygons rejected.
    pub rejected: Vec<(usize, String)>,
    /// Polygons dropped for lying outside the region.
    pub outside_region: usize,
}

/// Cleans a snapshot's features into one layer per status present.
pub fn clean_snapshot(features: &[ControlFeature], region: &Region) -> (Vec<CleanLayer>, CleanReport) {
    let mut report = CleanReport::default();
    let mut by_status: BTreeMap<ControlStatus, (Vec<Polygon<f64>>, usize)> = BTreeMap::new();
    for f in features {
        let mut kept = 0;
        for poly in &f.geometry.0 {
            if !poly.bounding_rect().is_some_and(|r| r.intersects(&region.rect)) {
                report.outside_region += 1;
                continue;
            }
            match repair(poly) {
                Ok((fixed, note)) => {
                    if let Some(r) = note {
                        report.repaired.push(Repair {
                            feature: f.feature,
                            ..r
                        });
                    }
                    kept += fixed.0.len();
                    by_status.entry(f.status).or_default().0.extend(fixed.0);
                }
                Err(reason) => report.rejected.push((f.feature, reason)),
            }
        }
        if kept > 0 {
            by_status.entry(f.status).or_default().1 += 1;
        }
    }
    let layers = by_status
        .into_iter()
        .map(|(status, (polys, features))| {
            let geometry = union(&polys);
            let area_km2 = super::area_km2(&geometry);
            CleanLayer {
                status,
                geometry,
                area_km2,
                features,
            }
        })
        .collect();
    (layers, report)
}

/// A valid, counter-clockwise version of a polygon, or why there is none,
/// with the repair when it changed the shape (its feature number left 0).
/// Self-intersections are resolved with the even-odd rule (what a map
/// reader sees filled), as PostGIS's `ST_MakeValid` does for the usual cases.
pub fn repair(poly: &Polygon<f64>) -> Result<(MultiPolygon<f64>, Option<Repair>), String> {
    let distinct = {
        let mut pts: Vec<(u64, u64)> = poly
            .exterior()
            .0
            .iter()
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect();
        pts.sort_unstable();
        pts.dedup();
        pts.len()
    };
    if distinct < 3 {
        return Err(format!("exterior ring has {distinct} distinct points"));
    }
    // Resolving with the even-odd rule costs one sweep; a full validity
    // check costs ten times more on real maps, so repair always and report
    // a repair only where it changed the shape. Holes are cut from the
    // resolved exterior rather than resolved with it: even-odd would fill a
    // hole drawn outside its polygon as more ground (double the area).
    let empty = MultiPolygon::<f64>::new(vec![]);
    let fixed = if poly.interiors().is_empty() {
        poly.boolean_op_with_fill_rule(&empty, OpType::Union, FillRule::EvenOdd)
    } else {
        let outer = Polygon::new(poly.exterior().clone(), vec![]).boolean_op_with_fill_rule(
            &empty,
            OpType::Union,
            FillRule::EvenOdd,
        );
        let holes: Vec<MultiPolygon<f64>> = poly
            .interiors()
            .iter()
            .map(|r| {
                Polygon::new(r.clone(), vec![]).boolean_op_with_fill_rule(&empty, OpType::Union, FillRule::EvenOdd)
            })
            .collect();
        let holes = holes.iter().fold(empty.clone(), |acc, h| acc.union(h));
        outer.difference(&holes)
    };
    if fixed.0.is_empty() {
        return Err("no area left after resolving self-intersections".to_string());
    }
    let before = poly.unsigned_area();
    let after = fixed.unsigned_area();
    let changed = (before - after).abs() > 1e-6 * after.max(before) || fixed.0.len() > 1;
    let note = changed.then(|| {
        let reason = poly
            .validation_errors()
            .into_iter()
            .next()
            .map_or_else(|| "invalid".to_string(), |e| e.to_string());
        Repair {
            feature: 0,
            reason,
            before,
            after,
        }
    });
    Ok((fixed.orient(Direction::Default), note))
}

/// The union of polygons of any winding order.
///
/// `geo::unary_union` picks its fill rule from the first ring's winding, so
/// rings are oriented consistently first (exteriors counter-clockwise).
pub fn union<'a>(polys: impl IntoIterator<Item = &'a Polygon<f64>>) -> MultiPolygon<f64> {
    let oriented: Vec<Polygon<f64>> = polys.into_iter().map(|p| p.orient(Direction::Default)).collect();
    unary_union(&oriented)
}

/// The part of `mp` inside `within`, both lon/lat.
pub fn clip(mp: &MultiPolygon<f64>, within: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if mp.0.is_empty() {
        return MultiPolygon::new(vec![]);
    }
    mp.intersection(within)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_hole_drawn_outside_its_polygon_cuts_nothing() {
        // A 1x1 square with a "hole" of the same size beside it: even-odd
        // filled it as a second square (twice the area, and an area of
        // zero before the repair, exterior minus hole).
        let outer = geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]);
        let beside = geo::LineString::from(vec![(2.0, 0.0), (3.0, 0.0), (3.0, 1.0), (2.0, 1.0), (2.0, 0.0)]);
        let (fixed, note) = repair(&Polygon::new(outer.clone(), vec![beside])).unwrap();
        assert!((fixed.unsigned_area() - 1.0).abs() < 1e-9, "{}", fixed.unsigned_area());
        let note = note.expect("reported");
        assert!(note.reason.contains("not contained"), "{}", note.reason);
        // A hole half outside cuts its inside half only.
        let half = geo::LineString::from(vec![(0.5, 0.25), (1.5, 0.25), (1.5, 0.75), (0.5, 0.75), (0.5, 0.25)]);
        let (fixed, _) = repair(&Polygon::new(outer.clone(), vec![half])).unwrap();
        assert!((fixed.unsigned_area() - 0.75).abs() < 1e-9, "{}", fixed.unsigned_area());
        // A proper hole is kept as a hole.
        let inside = geo::LineString::from(vec![
            (0.25, 0.25),
            (0.75, 0.25),
            (0.75, 0.75),
            (0.25, 0.75),
            (0.25, 0.25),
        ]);
        let (fixed, note) = repair(&Polygon::new(outer, vec![inside])).unwrap();
        assert!((fixed.unsigned_area() - 0.75).abs() < 1e-9 && note.is_none());
    }

    fn feature(n: usize, status: ControlStatus, p: Polygon<f64>) -> ControlFeature {
        ControlFeature {
            feature: n,
            status,
            label: String::new(),
            geometry: MultiPolygon::new(vec![p]),
        }
    }

    #[test]
    fn overlapping_polygons_are_unioned() {
        let a = polygon![(x: 30.0, y: 48.0), (x: 31.0, y: 48.0), (x: 31.0, y: 49.0), (x: 30.0, y: 49.0)];
        let b = polygon![(x: 30.5, y: 48.0), (x: 31.5, y: 48.0), (x: 31.5, y: 49.0), (x: 30.5, y: 49.0)];
        let (layers, _) = clean_snapshot(
            &[
                feature(1, ControlStatus::Occupied, a.clone()),
                feature(2, ControlStatus::Occupied, b),
            ],
            &Region::default_war(),
        );
        assert_eq!(layers.len(), 1);
        assert!((layers[0].geometry.unsigned_area() - 1.5).abs() < 1e-9);
        assert!(layers[0].area_km2 < 2.0 * super::super::area_km2(&MultiPolygon::new(vec![a])));
    }

    #[test]
    fn bow_tie_is_repaired_and_reported() {
        let bow = polygon![(x: 30.0, y: 48.0), (x: 31.0, y: 49.0), (x: 31.0, y: 48.0), (x: 30.0, y: 49.0)];
        let (layers, report) = clean_snapshot(&[feature(7, ControlStatus::Contested, bow)], &Region::default_war());
        assert_eq!(report.repaired.len(), 1);
        assert_eq!(report.repaired[0].feature, 7);
        assert!(
            (layers[0].geometry.unsigned_area() - 0.5).abs() < 1e-9,
            "{:?}",
            layers[0].geometry
        );
        // A bow tie's two lobes cancel in the shoelace sum: zero before.
        assert_eq!(report.repaired[0].area_change(), None);
        assert!(report.repaired[0].is_large());
    }

    /// Hardening #12.7: a hole drawn outside its polygon is filled by the
    /// even-odd repair, doubling the area; that must be a reported repair
    /// with its feature number and the change, not a debug line.
    #[test]
    fn hole_outside_its_polygon_is_a_large_reported_repair() {
        let ext = geo::LineString::from(vec![
            (30.0, 48.0),
            (31.0, 48.0),
            (31.0, 49.0),
            (30.0, 49.0),
            (30.0, 48.0),
        ]);
        let hole = geo::LineString::from(vec![
            (32.0, 48.0),
            (33.0, 48.0),
            (33.0, 48.5),
            (32.0, 48.5),
            (32.0, 48.0),
        ]);
        let p = Polygon::new(ext, vec![hole]);
        let (layers, report) = clean_snapshot(&[feature(12, ControlStatus::Occupied, p)], &Region::default_war());
        // #21: the hole cuts nothing (even-odd filled it as more ground).
        assert!((layers[0].geometry.unsigned_area() - 1.0).abs() < 1e-9);
        let r = &report.repaired[0];
        assert_eq!((r.feature, r.before, r.after), (12, 0.5, 1.0));
        assert!(r.is_large());
        assert_eq!(
            r.describe(),
            format!("feature 12: {}; repaired, area +100.0 %", r.reason)
        );
        let small = Repair {
            before: 1.0,
            after: 1.009,
            ..r.clone()
        };
        assert!(!small.is_large(), "a sliver is not a warning");
        assert!(Repair { after: 0.98, ..small }.is_large(), "a loss of 2 % is");
    }

    #[test]
    fn far_away_polygons_are_dropped_and_degenerate_rejected() {
        let far = polygon![(x: 145.0, y: 43.5), (x: 146.0, y: 43.5), (x: 146.0, y: 44.5)];
        let flat = polygon![(x: 30.0, y: 48.0), (x: 31.0, y: 48.0), (x: 30.0, y: 48.0)];
        let (layers, report) = clean_snapshot(
            &[
                feature(1, ControlStatus::Occupied, far),
                feature(2, ControlStatus::Occupied, flat),
            ],
            &Region::default_war(),
        );
        assert!(layers.is_empty());
        assert_eq!(report.outside_region, 1);
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].0, 2);
    }

    #[test]
    fn region_parses() {
        assert!(Region::parse("22,44,41.5,53.5").is_ok());
        assert!(Region::parse("41,44,22,53").is_err());
    }
}
