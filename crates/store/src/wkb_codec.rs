//! Geometries are stored as WKB (the format PostGIS reads natively).

use crate::StoreError;
use geo_traits::to_geo::ToGeoGeometry;
use geo_types::{Geometry, MultiPolygon};

pub(crate) fn encode(g: &Geometry<f64>) -> Result<Vec<u8>, StoreError> {
    let mut buf = Vec::new();
    wkb::writer::write_geometry(&mut buf, g, &wkb::writer::WriteOptions::default())
        .map_err(|e| StoreError::Geometry(e.to_string()))?;
    Ok(buf)
}

pub(crate) fn encode_mp(mp: &MultiPolygon<f64>) -> Result<Vec<u8>, StoreError> {
    encode(&Geometry::MultiPolygon(mp.clone()))
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Geometry<f64>, StoreError> {
    let w = wkb::reader::read_wkb(bytes).map_err(|e| StoreError::Geometry(e.to_string()))?;
    w.try_to_geometry()
        .ok_or_else(|| StoreError::Geometry("unsupported WKB geometry".into()))
}

pub(crate) fn decode_mp(bytes: &[u8]) -> Result<MultiPolygon<f64>, StoreError> {
    match decode(bytes)? {
        Geometry::MultiPolygon(mp) => Ok(mp),
        Geometry::Polygon(p) => Ok(MultiPolygon::new(vec![p])),
        other => Err(StoreError::Geometry(
            format!("expected a MultiPolygon, found {other:?}")
                .chars()
                .take(80)
                .collect(),
        )),
    }
}
