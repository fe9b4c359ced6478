//! Geodesic area on the WGS84 ellipsoid.

use geo::{LineString, MultiPolygon};
use geographiclib_rs::{Geodesic, PolygonArea, Winding};

/// The area of a lon/lat MultiPolygon on the WGS84 ellipsoid, in km².
///
/// Each ring's area is computed with GeographicLib's algorithm (Karney 2013,
/// via `geographiclib-rs`), the same as pyproj's
/// `Geod.geometry_area_perimeter`; planar areas in degrees or in a
/// projection would be off by percent at these latitudes. Rings are measured
/// by the absolute value of their signed area, so the result does not depend
/// on winding order (union outputs do not promise one); holes are subtracted.
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use frontline_analysis::territory::area_km2;
/// // One degree square at the equator: 12,308.8 km² on WGS84.
/// let sq = MultiPolygon::new(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
/// assert!((area_km2(&sq) - 12_308.778).abs() < 0.01);
/// ```
pub fn area_km2(mp: &MultiPolygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    let m2: f64 =
        mp.0.iter()
            .map(|p| ring_m2(&g, p.exterior()) - p.interiors().iter().map(|r| ring_m2(&g, r)).sum::<f64>())
            .sum();
    m2 / 1e6
}

fn ring_m2(g: &Geodesic, ring: &LineString<f64>) -> f64 {
    let mut pa = PolygonArea::new(g, Winding::CounterClockwise);
    let n = ring.0.len();
    // A closed ring repeats its first point; GeographicLib closes implicitly.
    let open = if n > 1 && ring.0[0] == ring.0[n - 1] { n - 1 } else { n };
    for c in &ring.0[..open] {
        pa.add_point(c.y, c.x);
    }
    let (_, area, _) = pa.compute(true);
    area.abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn winding_does_not_matter_and_holes_subtract() {
        let ccw = polygon![(x: 30.0, y: 48.0), (x: 31.0, y: 48.0), (x: 31.0, y: 49.0), (x: 30.0, y: 49.0)];
        let cw = polygon![(x: 30.0, y: 48.0), (x: 30.0, y: 49.0), (x: 31.0, y: 49.0), (x: 31.0, y: 48.0)];
        let a = area_km2(&MultiPolygon::new(vec![ccw]));
        assert!((a - area_km2(&MultiPolygon::new(vec![cw]))).abs() < 1e-9);
        let holed = polygon!(
            exterior: [(x: 30.0, y: 48.0), (x: 31.0, y: 48.0), (x: 31.0, y: 49.0), (x: 30.0, y: 49.0)],
            interiors: [[(x: 30.2, y: 48.2), (x: 30.4, y: 48.2), (x: 30.4, y: 48.4), (x: 30.2, y: 48.4)]],
        );
        let hole = area_km2(&MultiPolygon::new(vec![
            polygon![(x: 30.2, y: 48.2), (x: 30.4, y: 48.2), (x: 30.4, y: 48.4), (x: 30.2, y: 48.4)],
        ]));
        assert!((area_km2(&MultiPolygon::new(vec![holed])) - (a - hole)).abs() < 1e-6);
    }
}
