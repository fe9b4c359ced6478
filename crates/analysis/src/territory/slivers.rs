//! Border slivers: the thin pieces a layer leaves inside a country's
//! outline only because two drawings of one border disagree.
//!
//! Natural Earth's 1:10m border and a mapper's own border differ by up to a
//! few kilometres, so a liberated layer that follows the real border spills
//! over Natural Earth's line into "Russia" in long thin strips: 258–260 km²
//! of "liberated within RU" on 2024-08-05, before the Kursk incursion began.
//! The rule below applies where a layer **spills over** a country: when
//! less than a tenth of the layer lies inside it (liberated ground within
//! Russia), never to a layer that lies mostly inside (occupied ground within
//! Ukraine, whose spits and coastal strips are thin, shallow and real). It
//! removes a piece of the clipped layer when the piece is **thin** (mean
//! width, 2 × area / perimeter, under 2.5 km) **and shallow** (no vertex
//! more than 6 km from the outline's edge). Measured on DeepState's maps
//! (docs/territory.md): every pre-incursion piece is at most 2.3 km wide
//! and 5.4 km deep; the incursion's first pieces (2024-08-08) reach 9.2 and
//! 11.3 km in. What the rule removes is reported with every answer, never
//! dropped silently.

use super::area_km2;
use geo::{BoundingRect, Distance, Euclidean, Geodesic, Length, Line, MultiPolygon, Point, Polygon};

/// When a piece is a sliver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliverRule {
    /// The rule applies only when less than this share of the layer's
    /// area lies inside the country (the layer spills over it).
    pub max_inside_share: f64,
    /// A sliver's mean width (2 × area / perimeter) is under this, km.
    pub max_mean_width_km: f64,
    /// …and none of its vertices is farther than this from the outline's
    /// edge, km.
    pub max_depth_km: f64,
}

/// The rule Frontline applies (docs/territory.md).
pub const SLIVER_RULE: SliverRule = SliverRule {
    max_inside_share: 0.1,
    max_mean_width_km: 2.5,
    max_depth_km: 6.0,
};

/// Splits `clipped`, a layer of `layer_km2` already clipped to `outline`,
/// into the pieces kept and the area (km²) of those removed as slivers.
pub fn remove_slivers(
    clipped: &MultiPolygon<f64>,
    layer_km2: f64,
    outline: &MultiPolygon<f64>,
    rule: &SliverRule,
) -> (MultiPolygon<f64>, f64) {
    if area_km2(clipped) >= rule.max_inside_share * layer_km2 {
        return (clipped.clone(), 0.0);
    }
    let mut kept = Vec::with_capacity(clipped.0.len());
    let mut removed = 0.0;
    for piece in &clipped.0 {
        let one = MultiPolygon::new(vec![piece.clone()]);
        let a = area_km2(&one);
        if is_sliver(piece, a, outline, rule) {
            removed += a;
        } else {
            kept.push(piece.clone());
        }
    }
    (MultiPolygon::new(kept), removed)
}

fn is_sliver(piece: &Polygon<f64>, area: f64, outline: &MultiPolygon<f64>, rule: &SliverRule) -> bool {
    let perimeter_km = (Geodesic.length(piece.exterior())
        + piece.interiors().iter().map(|r| Geodesic.length(r)).sum::<f64>())
        / 1000.0;
    if perimeter_km <= 0.0 || 2.0 * area / perimeter_km >= rule.max_mean_width_km {
        return false;
    }
    let Some(bbox) = piece.bounding_rect() else {
        return false;
    };
    // A local plane around the piece, in km: at these sizes (tens of km)
    // its distances are within a fraction of a percent of the geodesic.
    let (lon0, lat0) = (bbox.center().x, bbox.center().y);
    let kx = 111.320 * lat0.to_radians().cos();
    let ky = 110.574;
    let at = |c: geo::Coord<f64>| Point::new((c.x - lon0) * kx, (c.y - lat0) * ky);
    // The outline's edges near the piece (deeper than the rule never matters).
    let (mx, my) = (rule.max_depth_km / kx * 1.5, rule.max_depth_km / ky * 1.5);
    let near = |l: &Line<f64>| {
        let (lo_x, hi_x) = (l.start.x.min(l.end.x), l.start.x.max(l.end.x));
        let (lo_y, hi_y) = (l.start.y.min(l.end.y), l.start.y.max(l.end.y));
        hi_x >= bbox.min().x - mx && lo_x <= bbox.max().x + mx && hi_y >= bbox.min().y - my && lo_y <= bbox.max().y + my
    };
    let edges: Vec<Line<f64>> = outline
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.lines())
        .filter(near)
        .map(|l| Line::new(at(l.start).0, at(l.end).0))
        .collect();
    if edges.is_empty() {
        return false;
    }
    // Shallow: every vertex within the depth of some edge.
    piece.exterior().coords().all(|c| {
        let p = at(*c);
        edges.iter().any(|e| Euclidean.distance(&p, e) <= rule.max_depth_km)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// An outline whose east edge is the meridian 36° E.
    fn outline() -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            polygon![(x: 30.0, y: 50.0), (x: 36.0, y: 50.0), (x: 36.0, y: 53.0), (x: 30.0, y: 53.0)],
        ])
    }

    /// A piece along the east edge, `depth_deg` deep, from `lat0` to `lat1`.
    fn strip(depth_deg: f64, lat0: f64, lat1: f64) -> Polygon<f64> {
        polygon![(x: 36.0 - depth_deg, y: lat0), (x: 36.0, y: lat0), (x: 36.0, y: lat1), (x: 36.0 - depth_deg, y: lat1)]
    }

    #[test]
    fn a_thin_strip_along_the_edge_is_a_sliver_a_deep_piece_is_not() {
        // 0.02° of longitude at 51° N is 1.4 km: a strip 1.4 km wide, 110 km long.
        let sliver = strip(0.02, 51.0, 52.0);
        // 0.2° is 14 km deep: an incursion.
        let deep = strip(0.2, 51.0, 51.1);
        let both = MultiPolygon::new(vec![sliver.clone(), deep.clone()]);
        let (kept, removed) = remove_slivers(&both, 1e6, &outline(), &SLIVER_RULE);
        assert_eq!(kept.0, vec![deep]);
        let want = area_km2(&MultiPolygon::new(vec![sliver]));
        assert!((removed - want).abs() < 1e-9 && want > 100.0, "{removed} vs {want}");
    }

    #[test]
    fn a_thin_piece_far_from_the_edge_is_kept() {
        // Thin (0.02° wide) but 2° (140 km) west of the edge: not a border artefact.
        let far = polygon![(x: 33.98, y: 51.0), (x: 34.0, y: 51.0), (x: 34.0, y: 52.0), (x: 33.98, y: 52.0)];
        let (kept, removed) = remove_slivers(&MultiPolygon::new(vec![far.clone()]), 1e6, &outline(), &SLIVER_RULE);
        assert_eq!((kept.0, removed), (vec![far], 0.0));
    }

    #[test]
    fn a_layer_mostly_inside_keeps_its_thin_pieces() {
        // A spit: thin and shallow, but of a layer that lies inside the
        // country (its whole area is this piece): real ground, kept.
        let spit = strip(0.02, 51.0, 52.0);
        let one = MultiPolygon::new(vec![spit.clone()]);
        let (kept, removed) = remove_slivers(&one, area_km2(&one), &outline(), &SLIVER_RULE);
        assert_eq!((kept.0, removed), (vec![spit], 0.0));
    }

    #[test]
    fn a_wide_shallow_piece_is_kept() {
        // 0.08° deep = 5.6 km, 0.1° long = 11 km: shallow but wide (mean width ~3.7 km).
        let wide = strip(0.08, 51.0, 51.1);
        let (kept, _) = remove_slivers(&MultiPolygon::new(vec![wide.clone()]), 1e6, &outline(), &SLIVER_RULE);
        assert_eq!(kept.0, vec![wide]);
    }
}
