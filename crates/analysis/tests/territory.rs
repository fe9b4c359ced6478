//! Territory geometry: golden areas from pyproj and algebraic properties.

use frontline_analysis::territory::{area_km2, change, union};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;

fn mp(points: &[(f64, f64)]) -> MultiPolygon<f64> {
    let mut ring: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
    ring.push(ring[0]);
    MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
}

/// Reference areas from pyproj 3.7.2 (PROJ 9.5.1),
/// `Geod(ellps="WGS84").geometry_area_perimeter(Polygon(...))`, computed for
/// this test; the bar is 0.01 %.
#[test]
fn areas_agree_with_pyproj() {
    type Case<'a> = (&'a str, &'a [(f64, f64)], f64);
    let cases: [Case; 4] = [
        (
            "square near Sudzha",
            &[(35.0, 51.0), (35.5, 51.0), (35.5, 51.5), (35.0, 51.5)],
            1941.8991621494447,
        ),
        (
            "triangle over Donbas",
            &[(37.0, 47.5), (38.5, 48.0), (37.4, 48.9)],
            7885.542599184723,
        ),
        (
            "long edges",
            &[(30.0, 45.0), (40.0, 45.0), (40.0, 52.0), (30.0, 52.0)],
            573887.6759069697,
        ),
        (
            "thin sliver",
            &[(36.0, 50.0), (36.3, 50.001), (36.6, 50.0), (36.3, 50.0005)],
            1.1961958151550294,
        ),
    ];
    for (name, pts, want) in cases {
        let got = area_km2(&mp(pts));
        let rel = (got - want).abs() / want;
        assert!(rel < 1e-4, "{name}: {got} vs pyproj {want} ({rel:e})");
        assert!(rel < 1e-7, "{name}: agreement is looser than expected: {rel:e}");
    }
}

/// Densifies a ring so that no edge is longer than 0.01°, like drawn maps,
/// nudging the new vertices off the straight line (overlays drop collinear
/// vertices, which would bring long edges back).
///
/// Overlays cut edges where they cross in the lon/lat plane while areas
/// follow geodesics between vertices; on edges of tens of km the two differ
/// by enough (~0.1 % here) to break exact additivity, on map-like edges by
/// nothing measurable.
fn dense(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (i, &(x0, y0)) in points.iter().enumerate() {
        let (x1, y1) = points[(i + 1) % points.len()];
        let steps = (((x1 - x0).abs().max((y1 - y0).abs())) / 0.01).ceil().max(1.0) as usize;
        for k in 0..steps {
            let t = k as f64 / steps as f64;
            let nudge = if k == 0 {
                0.0
            } else {
                1e-4 * if k % 2 == 0 { 1.0 } else { -1.0 }
            };
            out.push((x0 + t * (x1 - x0), y0 + t * (y1 - y0) + nudge));
        }
    }
    out
}

/// Random simple polygons near the front: star-shaped around a centre
/// (vertices at increasing angles), convex or not, densified.
///
/// No vertex is nearer the centre than 0.3 of the farthest radius: with
/// 0.05 a spike could narrow below the densifier's ±1e-4° nudges, whose
/// zigzags then crossed (a self-intersecting ring whose signed area is too
/// small, so its union looked larger than the sum: seen once, a 3-vertex
/// spike whose ring crossed itself three times near its tips).
fn arb_poly() -> impl Strategy<Value = MultiPolygon<f64>> {
    (
        34.0f64..36.0,
        49.0f64..51.0,
        prop::collection::vec((0.0f64..1.0, 0.3f64..1.0), 3..9),
    )
        .prop_map(|(x, y, v)| {
            let n = v.len() as f64;
            let pts: Vec<(f64, f64)> = v
                .iter()
                .enumerate()
                .map(|(i, (jitter, r))| {
                    let t = (i as f64 + 0.8 * jitter) / n * std::f64::consts::TAU;
                    (x + r * t.cos(), y + r * t.sin())
                })
                .collect();
            mp(&dense(&pts))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn union_is_no_larger_than_the_sum(a in arb_poly(), b in arb_poly()) {
        let u = union(a.0.iter().chain(&b.0));
        // i_overlay snaps to an integer grid: allow 1e-6 relative (the bar for areas is 1e-4).
        prop_assert!(area_km2(&u) <= (area_km2(&a) + area_km2(&b)) * (1.0 + 1e-6));
        prop_assert!(area_km2(&u) * (1.0 + 1e-6) >= area_km2(&a).max(area_km2(&b)));
    }

    #[test]
    fn gained_less_lost_is_the_change_in_area(a in arb_poly(), b in arb_poly(), c in arb_poly()) {
        let from = union(a.0.iter().chain(&b.0));
        let to = union(b.0.iter().chain(&c.0));
        let ch = change(&from, &to);
        let want = area_km2(&to) - area_km2(&from);
        let scale = area_km2(&to).max(area_km2(&from)).max(1.0);
        prop_assert!((ch.net_km2() - want).abs() < 1e-6 * scale, "net {} vs {}", ch.net_km2(), want);
        // Gained ground is part of `to`, lost ground part of `from`.
        prop_assert!(ch.gained_km2 <= area_km2(&to) * (1.0 + 1e-6));
        prop_assert!(ch.lost_km2 <= area_km2(&from) * (1.0 + 1e-6));
    }
}
