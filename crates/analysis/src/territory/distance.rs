//! Geodesic distance from an area's edge to a place or a feature.

use geo::{Contains, Coord, Geometry, Intersects, LineString, MultiPolygon, Point};
use geographiclib_rs::{Geodesic, InverseGeodesic};

/// Distance in km from the edge of `area` to the point (lon/lat); 0 inside.
///
/// The nearest edge point is found in a local equirectangular frame centred
/// on the point (good to well under a metre for edges of a few km), then the
/// distance to it is measured on the WGS84 ellipsoid with GeographicLib.
///
/// ```
/// use geo::{MultiPolygon, Point, polygon};
/// use frontline_analysis::territory::distance_km;
/// let area = MultiPolygon::new(vec![polygon![(x: 35.0, y: 51.0), (x: 35.5, y: 51.0), (x: 35.5, y: 51.5), (x: 35.0, y: 51.5)]]);
/// // Due east of the edge by 0.5° of longitude at 51.25° N: about 34.9 km.
/// let km = distance_km(&area, Point::new(36.0, 51.25));
/// assert!((km - 34.9).abs() < 0.1, "{km}");
/// assert_eq!(distance_km(&area, Point::new(35.2, 51.2)), 0.0);
/// ```
pub fn distance_km(area: &MultiPolygon<f64>, p: Point<f64>) -> f64 {
    if area.contains(&p) {
        return 0.0;
    }
    nearest_on_rings(rings(area), p).map_or(f64::INFINITY, |c| geodesic_km(p.0, c))
}

/// Distance in km from the edge of `area` to a point or line geometry; 0
/// when they touch or the geometry is inside.
pub fn distance_to_geometry_km(area: &MultiPolygon<f64>, g: &Geometry<f64>) -> f64 {
    if area.intersects(g) {
        return 0.0;
    }
    let lines: Vec<LineString<f64>> = match g {
        Geometry::Point(p) => return distance_km(area, *p),
        Geometry::MultiPoint(mp) => return mp.0.iter().map(|p| distance_km(area, *p)).fold(f64::INFINITY, f64::min),
        Geometry::LineString(l) => vec![l.clone()],
        Geometry::MultiLineString(ml) => ml.0.clone(),
        _ => return f64::INFINITY,
    };
    // Two disjoint polylines are closest at a vertex of one of them.
    let mut best = f64::INFINITY;
    for l in &lines {
        for c in &l.0 {
            best = best.min(distance_km(area, Point(*c)));
        }
    }
    for ring in rings(area) {
        for c in &ring.0 {
            if let Some(n) = nearest_on_rings(lines.iter(), Point(*c)) {
                best = best.min(geodesic_km(*c, n));
            }
        }
    }
    best
}

fn rings(area: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    area.0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// The point of the polylines nearest to `p`, in a local equirectangular frame.
fn nearest_on_rings<'a>(lines: impl Iterator<Item = &'a LineString<f64>>, p: Point<f64>) -> Option<Coord<f64>> {
    let k = p.y().to_radians().cos();
    let local = |c: Coord<f64>| ((c.x - p.x()) * k, c.y - p.y());
    let mut best: Option<(f64, Coord<f64>)> = None;
    for l in lines {
        for seg in l.lines() {
            let (ax, ay) = local(seg.start);
            let (bx, by) = local(seg.end);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (x, y) = (ax + t * dx, ay + t * dy);
            let d2 = x * x + y * y;
            if best.is_none_or(|(b, _)| d2 < b) {
                let c = Coord {
                    x: seg.start.x + t * (seg.end.x - seg.start.x),
                    y: seg.start.y + t * (seg.end.y - seg.start.y),
                };
                best = Some((d2, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

fn geodesic_km(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let s12: f64 = Geodesic::wgs84().inverse(a.y, a.x, b.y, b.x);
    s12 / 1000.0
}
