//! Which control layer a place falls in.

use frontline_model::ControlStatus;
use geo::indexed::IntervalTreeMultiPolygon;
use geo::{BoundingRect, Contains, Coord, MultiPolygon, Rect};

/// Control layers of one snapshot, indexed for point-in-polygon queries
/// (an interval tree over edges: far faster than a plain `contains` when
/// thousands of places are tested against layers of thousands of vertices).
pub struct PlaceIndex {
    layers: Vec<(ControlStatus, Rect<f64>, IntervalTreeMultiPolygon<f64>)>,
}

/// Precedence when layers overlap: the grey zone drawn over another layer is
/// the more specific statement.
const PRECEDENCE: [ControlStatus; 3] = [
    ControlStatus::Contested,
    ControlStatus::Occupied,
    ControlStatus::Liberated,
];

impl PlaceIndex {
    /// Indexes the given layers.
    pub fn new(layers: &[(ControlStatus, &MultiPolygon<f64>)]) -> Self {
        let mut indexed: Vec<_> = layers
            .iter()
            .filter_map(|(s, mp)| mp.bounding_rect().map(|r| (*s, r, IntervalTreeMultiPolygon::new(mp))))
            .collect();
        indexed.sort_by_key(|(s, _, _)| PRECEDENCE.iter().position(|p| p == s));
        PlaceIndex { layers: indexed }
    }

    /// The status at lon/lat, `None` outside every layer.
    pub fn status(&self, lon: f64, lat: f64) -> Option<ControlStatus> {
        let c = Coord { x: lon, y: lat };
        self.layers
            .iter()
            .find(|(_, rect, tree)| rect.contains(&c) && tree.contains(&c))
            .map(|(s, _, _)| *s)
    }
}

/// The status of one point against un-indexed layers (for one-off queries):
/// each polygon tested in one pass over its edges, with no index built (an
/// index costs a sort of every edge, which one point never pays back; a
/// settlement's history tests one point against every snapshot). The same
/// precedence, and the same rule on boundaries (a point on one is not
/// inside), as [`PlaceIndex::status`].
pub fn status_of(layers: &[(ControlStatus, &MultiPolygon<f64>)], lon: f64, lat: f64) -> Option<ControlStatus> {
    use geo::Contains;
    let c = Coord { x: lon, y: lat };
    PRECEDENCE.iter().copied().find(|status| {
        layers
            .iter()
            .filter(|(s, _)| s == status)
            .any(|(_, mp)| mp.contains(&c))
    })
}

/// Up to this many points are tested one by one ([`status_of`]) rather than
/// through a [`PlaceIndex`]: the index sorts every edge of the layers (the
/// whole front, a few milliseconds a map), which a handful of points tested
/// in one pass over the edges each never pays back. Comparing a day's map
/// with the one before usually leaves a few places to test, and the index
/// is worth building from a few dozen (measured on the 263 DeepState maps).
pub const FEW_POINTS: usize = 16;

/// The status of each lon/lat point, in order: one by one when they are
/// few, through an index otherwise (the same answers either way).
pub fn statuses(layers: &[(ControlStatus, &MultiPolygon<f64>)], points: &[(f64, f64)]) -> Vec<Option<ControlStatus>> {
    use rayon::prelude::*;
    if points.len() <= FEW_POINTS {
        points.par_iter().map(|&(x, y)| status_of(layers, x, y)).collect()
    } else {
        let index = PlaceIndex::new(layers);
        points.par_iter().map(|&(x, y)| index.status(x, y)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn contested_wins_over_occupied() {
        let occ = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)],
        ]);
        let grey = MultiPolygon::new(vec![
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)],
        ]);
        let idx = PlaceIndex::new(&[(ControlStatus::Occupied, &occ), (ControlStatus::Contested, &grey)]);
        assert_eq!(idx.status(0.5, 1.0), Some(ControlStatus::Occupied));
        assert_eq!(idx.status(1.5, 1.0), Some(ControlStatus::Contested));
        assert_eq!(idx.status(3.0, 1.0), None);
    }

    /// The one-off test and the index agree everywhere, boundaries
    /// included (a point on an edge or a vertex is not inside).
    #[test]
    fn the_one_off_test_answers_as_the_index() {
        let occ = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)],
            polygon![(x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0)],
        ]);
        let grey = MultiPolygon::new(vec![
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)],
        ]);
        let lib = MultiPolygon::new(vec![polygon![(x: -1.0, y: 2.0), (x: 0.0, y: 3.0), (x: -1.0, y: 3.0)]]);
        let layers = [
            (ControlStatus::Liberated, &lib),
            (ControlStatus::Occupied, &occ),
            (ControlStatus::Contested, &grey),
        ];
        let idx = PlaceIndex::new(&layers);
        for i in -6..=14 {
            for j in -2..=14 {
                let (x, y) = (f64::from(i) * 0.25, f64::from(j) * 0.25);
                assert_eq!(status_of(&layers, x, y), idx.status(x, y), "at {x}, {y}");
            }
        }
        assert_eq!(status_of(&layers, 1.5, 1.0), Some(ControlStatus::Contested));
        assert_eq!(status_of(&layers, 2.5, 0.25), Some(ControlStatus::Occupied));
        // In a batch, few points or many, each in its place.
        let grid: Vec<(f64, f64)> = (-6..=14)
            .flat_map(|i| (-2..=14).map(move |j| (f64::from(i) * 0.25, f64::from(j) * 0.25)))
            .collect();
        let expect: Vec<_> = grid.iter().map(|&(x, y)| idx.status(x, y)).collect();
        assert_eq!(statuses(&layers, &grid), expect);
        let few = &grid[grid.len() / 2..grid.len() / 2 + FEW_POINTS];
        assert_eq!(
            statuses(&layers, few),
            expect[grid.len() / 2..grid.len() / 2 + FEW_POINTS]
        );
    }
}
