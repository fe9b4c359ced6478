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

/// The status of one point against un-indexed layers (for one-off queries).
pub fn status_of(layers: &[(ControlStatus, &MultiPolygon<f64>)], lon: f64, lat: f64) -> Option<ControlStatus> {
    PlaceIndex::new(layers).status(lon, lat)
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
}
