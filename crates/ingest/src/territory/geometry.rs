//! GeoJSON to `geo-types`, dropping z and checking every coordinate.

use crate::{IngestError, Record};
use flate2::read::GzDecoder;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, FeatureCollection, GeoJson, GeometryValue, Position};
use std::io::Read;
use std::path::Path;

/// Largest size a gzipped file may inflate to: 256 MiB. The largest
/// DeepState snapshot is under 2 MB of GeoJSON; a "zip bomb" (3 MB that
/// inflates to 3 GB) stops here instead of exhausting memory.
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// The bytes of a file, gunzipped when its name ends in `.gz` (at most
/// [`MAX_INFLATED`] bytes).
pub fn decompress(file: &Path, bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
        let mut out = Vec::with_capacity(bytes.len().saturating_mul(8).min(64 << 20));
        GzDecoder::new(bytes)
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out)
            .map_err(|e| IngestError::shape(file, format!("not a valid gzip file: {e}")))?;
        if out.len() as u64 > MAX_INFLATED {
            return Err(IngestError::shape(
                file,
                format!("inflates to more than {} MiB; refusing it", MAX_INFLATED >> 20),
            ));
        }
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
        Err(e) => Err(IngestError::shape(
            file,
            format!("malformed GeoJSON: {}", crate::error::plain_message(&e.to_string())),
        )),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_gzip_bomb_stops_at_the_inflated_limit() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..(MAX_INFLATED >> 20) + 1 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let e = decompress(Path::new("bomb.geojson.gz"), &bomb).unwrap_err().to_string();
        assert_eq!(e, "bomb.geojson.gz: inflates to more than 256 MiB; refusing it");
        let small = {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(b"{}").unwrap();
            gz.finish().unwrap()
        };
        assert_eq!(decompress(Path::new("s.geojson.gz"), &small).unwrap(), b"{}");
    }
}
