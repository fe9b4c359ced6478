//! Ground that changed hands between two snapshots of one status.

use super::area_km2;
use geo::{BooleanOps, MultiPolygon};

/// Gained and lost ground between two layers of one status.
#[derive(Debug, Clone)]
pub struct Change {
    /// In `to` but not in `from`.
    pub gained: MultiPolygon<f64>,
    /// In `from` but not in `to`.
    pub lost: MultiPolygon<f64>,
    /// Geodesic area gained, km².
    pub gained_km2: f64,
    /// Geodesic area lost, km².
    pub lost_km2: f64,
}

impl Change {
    /// Gained less lost: equals area(to) − area(from).
    pub fn net_km2(&self) -> f64 {
        self.gained_km2 - self.lost_km2
    }
}

/// Differences both ways between `from` and `to`.
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use frontline_analysis::territory::{area_km2, change};
/// let a = MultiPolygon::new(vec![polygon![(x: 35.0, y: 51.0), (x: 35.2, y: 51.0), (x: 35.2, y: 51.2), (x: 35.0, y: 51.2)]]);
/// let b = MultiPolygon::new(vec![polygon![(x: 35.1, y: 51.0), (x: 35.3, y: 51.0), (x: 35.3, y: 51.2), (x: 35.1, y: 51.2)]]);
/// let c = change(&a, &b);
/// assert!((c.net_km2() - (area_km2(&b) - area_km2(&a))).abs() < 1e-6);
/// assert!(c.gained_km2 > 0.0 && c.lost_km2 > 0.0);
/// ```
pub fn change(from: &MultiPolygon<f64>, to: &MultiPolygon<f64>) -> Change {
    // The two differences are independent: one per core. (A single
    // symmetric difference split by membership is cheaper but merges a
    // gained and a lost piece that share an edge, which real maps produce.)
    let (gained, lost) = rayon::join(
        || {
            if from.0.is_empty() {
                to.clone()
            } else {
                to.difference(from)
            }
        },
        || {
            if to.0.is_empty() {
                from.clone()
            } else {
                from.difference(to)
            }
        },
    );
    let (gained_km2, lost_km2) = (area_km2(&gained), area_km2(&lost));
    Change {
        gained,
        lost,
        gained_km2,
        lost_km2,
    }
}
