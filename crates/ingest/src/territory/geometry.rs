//! GeoJSON to `geo-types`, dropping z and checking every coordinate.

use crate::{IngestError, Record};
use flate2::read::GzDecoder;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, FeatureCollection, GeoJson, GeometryValue, Position};
use std::io::Read;
use std::path::Path;

/// The bytes of a file, gunzipped when its name ends in `.gz`.
pub fn decompress(file: &Path, bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
        let mut out = Vec::with_capacity(bytes.len() * 8);
        GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::shape(file, format!("not a valid gzip file: {e}")))?;
        Ok(out)
    } else {
        Ok(bytes.to_vec())
    }
}

/// Parses a FeatureCollection.
pub(crate) fn feature_collection(file: &Path, bytes: &[u8]) -> Result<FeatureCollection, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::shape(file, format!("not UTF-8 text: {e}")))?;
    match text.parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(fc)) => Ok(fc),
        Ok(_) => Err(IngestError::shape(file, "expected a GeoJSON FeatureCollection")),
        Err(e) => Err(IngestError::shape(file, format!("malformed GeoJSON: {e}"))),
    }
}

fn coord(file: &Path, n: usize, p: &Position) -> Result<Coord<f64>, IngestError> {
    let (x, y) = match p.as_slice() {
        [x, y, ..] => (*x, *y),
        _ => {
            return Err(IngestError::field(
                file,
                Record::Feature(n),
                "geometry",
                "a position has fewer than 2 coordinates",
            ));
        }
    };
    if !(x.is_finite() && y.is_finite() && (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)) {
        return Err(IngestError::field(
            file,
            Record::Feature(n),
            "geometry",
            format!("coordinate ({x}, {y}) is not a WGS84 longitude/latitude"),
        ));
    }
    Ok(Coord { x, y })
}

pub(crate) fn line(file: &Path, n: usize, ps: &[Position]) -> Result<LineString<f64>, IngestError> {
    ps.iter()
        .map(|p| coord(file, n, p))
        .collect::<Result<Vec<_>, _>>()
        .map(LineString::new)
}

fn polygon(file: &Path, n: usize, rings: &[Vec<Position>]) -> Result<Option<Polygon<f64>>, IngestError> {
    let mut rings = rings.iter().map(|r| line(file, n, r));
    let Some(exterior) = rings.next().transpose()? else {
        return Ok(None);
    };
    let interiors = rings.collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Polygon::new(exterior, interiors)))
}

/// The areal part of a feature as a MultiPolygon; `None` for points, lines
/// and features without geometry.
pub(crate) fn areal(file: &Path, n: usize, feature: &Feature) -> Result<Option<MultiPolygon<f64>>, IngestError> {
    let Some(g) = &feature.geometry else { return Ok(None) };
    areal_value(file, n, &g.value)
}

fn areal_value(file: &Path, n: usize, v: &GeometryValue) -> Result<Option<MultiPolygon<f64>>, IngestError> {
    Ok(match v {
        GeometryValue::Polygon { coordinates } => {
            Some(MultiPolygon::new(polygon(file, n, coordinates)?.into_iter().collect()))
        }
        GeometryValue::MultiPolygon { coordinates } => {
            let mut polys = Vec::with_capacity(coordinates.len());
            for p in coordinates {
                polys.extend(polygon(file, n, p)?);
            }
            Some(MultiPolygon::new(polys))
        }
        GeometryValue::GeometryCollection { geometries } => {
            let mut polys = Vec::new();
            for g in geometries {
                if let Some(mp) = areal_value(file, n, &g.value)? {
                    polys.extend(mp.0);
                }
            }
            (!polys.is_empty()).then(|| MultiPolygon::new(polys))
        }
        _ => None,
    })
}

/// Refuses an areal geometry with no polygon, or a ring with fewer than
/// three distinct positions: such a shape has no area, and storing it would
/// read as "no territory" rather than as an error.
pub(crate) fn require_area(file: &Path, n: usize, mp: &MultiPolygon<f64>) -> Result<(), IngestError> {
    if mp.0.is_empty() {
        return Err(IngestError::field(
            file,
            Record::Feature(n),
            "geometry",
            "empty coordinates: no polygon",
        ));
    }
    for p in &mp.0 {
        for (k, ring) in std::iter::once(p.exterior()).chain(p.interiors()).enumerate() {
            let mut distinct: Vec<(u64, u64)> = ring.0.iter().map(|c| (c.x.to_bits(), c.y.to_bits())).collect();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() < 3 {
                let which = if k == 0 {
                    "outer ring".to_string()
                } else {
                    format!("hole {k}")
                };
                return Err(IngestError::field(
                    file,
                    Record::Feature(n),
                    "geometry",
                    format!(
                        "degenerate {which}: {} distinct positions, a ring needs at least 3",
                        distinct.len()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The geometry of a point or line feature.
pub(crate) fn point_or_line(
    file: &Path,
    n: usize,
    feature: &Feature,
) -> Result<Option<geo_types::Geometry<f64>>, IngestError> {
    let Some(g) = &feature.geometry else { return Ok(None) };
    Ok(match &g.value {
        GeometryValue::Point { coordinates } => Some(geo_types::Point(coord(file, n, coordinates)?).into()),
        GeometryValue::MultiPoint { coordinates } => Some(
            geo_types::MultiPoint(
                coordinates
                    .iter()
                    .map(|p| coord(file, n, p).map(geo_types::Point))
                    .collect::<Result<Vec<_>, _>>()?,
            )
            .into(),
        ),
        GeometryValue::LineString { coordinates } => Some(line(file, n, coordinates)?.into()),
        GeometryValue::MultiLineString { coordinates } => Some(
            geo_types::MultiLineString(
                coordinates
                    .iter()
                    .map(|l| line(file, n, l))
                    .collect::<Result<Vec<_>, _>>()?,
            )
            .into(),
        ),
        _ => None,
    })
}

/// A string property, if present.
pub(crate) fn prop<'a>(feature: &'a Feature, key: &str) -> Option<&'a serde_json::Value> {
    feature.properties.as_ref().and_then(|p| p.get(key))
}

/// A property as text (strings as is, numbers printed).
pub(crate) fn prop_text(feature: &Feature, key: &str) -> Option<String> {
    match prop(feature, key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}
