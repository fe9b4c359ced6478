//! Control maps, country outlines, gazetteers and reference layers.

pub mod boundaries;
pub mod control;
mod geometry;
pub mod geonames;
pub mod layer;
pub mod places;

pub use geometry::decompress;
