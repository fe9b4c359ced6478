//! Territory: geodesic areas of control layers, their changes, the places
//! inside them and distances from them.

pub mod area;
pub mod change;
pub mod clean;
pub mod distance;
pub mod edits;
pub mod places;
pub mod slivers;
pub mod tiles;
pub mod timeline;

pub use area::area_km2;
pub use change::{Change, change};
pub use clean::{CleanLayer, CleanReport, REPORTED_AREA_CHANGE, Region, Repair, clean_snapshot, clip, union};
pub use distance::{distance_km, distance_to_geometry_km};
pub use edits::{PointsByLon, changed_boxes, in_boxes};
pub use places::{FEW_POINTS, PlaceIndex, status_of, statuses};
pub use slivers::{SLIVER_RULE, SliverRule, remove_slivers};
pub use timeline::snapshot_for_day;
