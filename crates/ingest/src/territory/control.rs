//! Control-map snapshots: DeepState GeoJSON and generic GeoJSON with a
//! property-to-status mapping.

use super::geometry::{areal, feature_collection, prop, prop_text};
use crate::{IngestError, Record};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use frontline_model::{Annotation, ControlFeature, ControlSnapshot, ControlStatus, Mapper};
use geojson::GeometryValue;
use std::path::Path;

/// How to read a control map.
#[derive(Debug, Clone)]
pub enum ControlFormat {
    /// DeepStateMap: status from the trilingual `name`, time from the file name.
    DeepState,
    /// Any GeoJSON: status from a property through a value map.
    Generic(GenericSpec),
}

/// The mapping for generic GeoJSON.
#[derive(Debug, Clone)]
pub struct GenericSpec {
    /// Who drew the map (`isw`, …).
    pub mapper: Mapper,
    /// Property holding the status value.
    pub status_property: String,
    /// Property value → status; values not listed are left out.
    pub map: Vec<(String, ControlStatus)>,
    /// Property holding the snapshot time (first feature that has it);
    /// without it the time comes from the file name.
    pub time_property: Option<String>,
    /// Every areal feature has this status, whatever its properties: a
    /// file that draws one status only (a daily mirror's dissolved
    /// occupied area). `status_property` and `map` are then unused.
    pub every: Option<ControlStatus>,
    /// Drop features whose geometry is null instead of refusing the map
    /// (an export that lost a few slivers); they are listed in
    /// [`ControlSnapshot::shapeless`] and reported.
    pub drop_shapeless: bool,
}

/// The status DeepState's `name` stands for, from its last `///` part (a
/// stable key such as `geoJSON.status.occupied`), else its English label;
/// names of the first format (Ukrainian only, to 2022-05-12) by their
/// Ukrainian label.
///
/// ```
/// use frontline_ingest::territory::control::deepstate_status;
/// use frontline_model::ControlStatus;
/// assert_eq!(deepstate_status("Звільнено /// Liberated\u{a0}/// geoJSON.status.dismissed"), Some(ControlStatus::Liberated));
/// assert_eq!(deepstate_status("ОРДЛО /// CADR and CALR /// geoJSON.territories.ordlo"), Some(ControlStatus::Occupied));
/// assert_eq!(deepstate_status("Придністров'я/// Transnistria /// geoJSON.territories.transnistria"), None);
/// // The 2022 format: Ukrainian only.
/// assert_eq!(deepstate_status("Звільнено 25.03"), Some(ControlStatus::Liberated));
/// assert_eq!(deepstate_status("Окуповано"), Some(ControlStatus::Occupied));
/// assert_eq!(deepstate_status("Під питанням"), Some(ControlStatus::Contested));
/// assert_eq!(deepstate_status("Ізюм. Окуповано"), Some(ControlStatus::Occupied));
/// assert_eq!(deepstate_status("Крим"), Some(ControlStatus::Occupied));
/// assert_eq!(deepstate_status("Начебто звільнено 26.03"), Some(ControlStatus::Contested));
/// assert_eq!(deepstate_status("Придністров'я"), None);
/// assert_eq!(deepstate_status("Camp N°1 \"Dublin\""), None);
/// ```
pub fn deepstate_status(name: &str) -> Option<ControlStatus> {
    let parts: Vec<&str> = name
        .split("///")
        .map(|p| p.trim_matches(|c: char| c.is_whitespace()))
        .collect();
    let key = parts.last().copied().unwrap_or("");
    if key.starts_with("geoJSON.status.dismissed") {
        return Some(ControlStatus::Liberated);
    }
    match key {
        "geoJSON.status.occupied"
        | "geoJSON.territories.ordlo"
        | "geoJSON.territories.crimea"
        | "geoJSON.territories.tuzla" => {
            return Some(ControlStatus::Occupied);
        }
        "geoJSON.status.unknown" => return Some(ControlStatus::Contested),
        _ => {}
    }
    // Keys DeepState has not used yet: fall back to the English label. The
    // satirical far-away "occupied" territories land here and are dropped
    // later by the region filter.
    // The first format (to 2022-05-12) had Ukrainian names only, often free
    // text ("Ізюм. Окуповано", "Звільнено 25.03"): read the words that
    // carry the status; anything else stays unmapped and is counted.
    if parts.len() == 1 {
        let uk = key.to_lowercase();
        return if uk.starts_with("начебто") || uk.starts_with("під питанням") || uk.starts_with("невідомо")
        {
            // "Supposedly liberated", "in question", "unknown".
            Some(ControlStatus::Contested)
        } else if uk.contains("окупов") || uk.contains("зайняті ворогом") || uk == "ордло" || uk == "крим"
        {
            Some(ControlStatus::Occupied)
        } else if uk.contains("звільнено") {
            Some(ControlStatus::Liberated)
        } else {
            None
        };
    }
    let english = parts.get(1).map(|s| s.to_lowercase()).unwrap_or_default();
    if english.starts_with("occupied") || english.contains("temporarily occupied") {
        Some(ControlStatus::Occupied)
    } else if english.starts_with("liberated") {
        Some(ControlStatus::Liberated)
    } else if english.starts_with("unknown status") {
        Some(ControlStatus::Contested)
    } else {
        None
    }
}

/// A snapshot time from a file name: epoch seconds (`1722544807.geojson.gz`)
/// or a date (`…_20240801.geojson`, `2024-08-01.geojson`, midnight UTC).
pub fn time_from_name(file: &Path) -> Option<DateTime<Utc>> {
    let name = file.file_name()?.to_str()?;
    let stem = name.split('.').next()?;
    if !stem.is_empty() && stem.len() >= 9 && stem.bytes().all(|b| b.is_ascii_digit()) && stem.len() != 8 {
        return Utc.timestamp_opt(stem.parse().ok()?, 0).single();
    }
    let digits: String = stem.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    for fmt in ["%Y-%m-%d", "%Y%m%d"] {
        for start in 0..digits.len() {
            for len in [10, 8] {
                if let Some(s) = digits.get(start..start + len)
                    && let Ok(d) = NaiveDate::parse_from_str(s, fmt)
                {
                    return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
                }
            }
        }
    }
    None
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    text.parse::<i64>().ok().and_then(|s| Utc.timestamp_opt(s, 0).single())
}

/// Parses one control-map file (already decompressed).
pub fn parse_control(file: &Path, bytes: &[u8], format: &ControlFormat) -> Result<ControlSnapshot, IngestError> {
    let fc = feature_collection(file, bytes)?;
    let (mapper, label_key) = match format {
        ControlFormat::DeepState => (Mapper::new("deepstate"), "name"),
        ControlFormat::Generic(spec) => (spec.mapper.clone(), spec.status_property.as_str()),
    };
    let mut taken_at = match format {
        ControlFormat::Generic(GenericSpec {
            time_property: Some(p), ..
        }) => fc
            .features
            .iter()
            .find_map(|f| prop_text(f, p))
            .map(|t| {
                parse_time(&t).ok_or_else(|| IngestError::shape(file, format!("property `{p}`: `{t}` is not a time")))
            })
            .transpose()?,
        _ => None,
    };
    if taken_at.is_none() {
        taken_at = time_from_name(file);
    }
    let taken_at = taken_at.ok_or_else(|| {
        IngestError::shape(
            file,
            "no snapshot time: name the file by epoch seconds or a date, or give a time property",
        )
    })?;
    let mut snap = ControlSnapshot {
        mapper,
        taken_at,
        features: Vec::new(),
        annotations: Vec::new(),
        unmapped: 0,
        shapeless: Vec::new(),
    };
    for (i, f) in fc.features.iter().enumerate() {
        let n = i + 1;
        let label = prop_text(f, label_key).unwrap_or_default();
        if let Some(geojson::Geometry {
            value: GeometryValue::Point { coordinates },
            ..
        }) = &f.geometry
        {
            if let [x, y, ..] = coordinates.as_slice() {
                snap.annotations.push(Annotation {
                    feature: n,
                    label,
                    point: geo_types::Point::new(*x, *y),
                });
            }
            continue;
        }
        if f.geometry.is_none() {
            if let ControlFormat::Generic(GenericSpec {
                drop_shapeless: true, ..
            }) = format
            {
                snap.shapeless.push(n);
                continue;
            }
            // A shape lost in transit must not read as ground nobody holds.
            return Err(IngestError::field(
                file,
                Record::Feature(n),
                "geometry",
                "null geometry: refusing a map with a missing shape",
            ));
        }
        let Some(geometry) = areal(file, n, f)? else { continue };
        if geometry.0.is_empty() || geometry.0.iter().any(|p| p.exterior().0.is_empty()) {
            return Err(IngestError::field(
                file,
                Record::Feature(n),
                "geometry",
                "empty coordinates: refusing a map with a missing shape",
            ));
        }
        let status = match format {
            ControlFormat::DeepState => deepstate_status(&label),
            ControlFormat::Generic(GenericSpec { every: Some(s), .. }) => Some(*s),
            ControlFormat::Generic(spec) => {
                if prop(f, label_key).is_none() {
                    return Err(IngestError::field(
                        file,
                        Record::Feature(n),
                        label_key,
                        "missing status property",
                    ));
                }
                spec.map.iter().find(|(v, _)| *v == label).map(|(_, s)| *s)
            }
        };
        match status {
            Some(status) => snap.features.push(ControlFeature {
                feature: n,
                status,
                label,
                geometry,
            }),
            None => snap.unmapped += 1,
        }
    }
    if snap.features.is_empty() {
        // An empty map (a failed download, an upstream glitch) would read
        // as zero territory from its date on: refuse it.
        return Err(IngestError::shape(
            file,
            format!(
                "no control polygons ({} features, {} unmapped): refusing an empty map, which would read as no territory held",
                fc.features.len(),
                snap.unmapped
            ),
        ));
    }
    Ok(snap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"Окуповано /// Occupied /// geoJSON.status.occupied"},
       "geometry":{"type":"Polygon","coordinates":[[[37,47,0],[38,47,0],[38,48,0],[37,47,0]]]}},
      {"type":"Feature","properties":{"name":"Підрозділ"},"geometry":{"type":"Point","coordinates":[37.5,47.5,0]}},
      {"type":"Feature","properties":{"name":"Придністров'я/// Transnistria /// geoJSON.territories.transnistria"},
       "geometry":{"type":"Polygon","coordinates":[[[29,47],[30,47],[30,48],[29,47]]]}}
    ]}"#;

    #[test]
    fn deepstate_sample_is_read() {
        let s = parse_control(
            Path::new("1722544807.geojson"),
            SAMPLE.as_bytes(),
            &ControlFormat::DeepState,
        )
        .unwrap();
        assert_eq!(s.taken_at.to_rfc3339(), "2024-08-01T20:40:07+00:00");
        assert_eq!(s.features.len(), 1);
        assert_eq!(s.features[0].status, ControlStatus::Occupied);
        assert_eq!(s.features[0].feature, 1);
        assert_eq!(s.annotations.len(), 1);
        assert_eq!(s.unmapped, 1);
    }

    #[test]
    fn names_give_times() {
        let t = |s: &str| time_from_name(Path::new(s)).map(|t| t.to_rfc3339());
        assert_eq!(
            t("deepstatemap_data_20240801.geojson.gz").as_deref(),
            Some("2024-08-01T00:00:00+00:00")
        );
        assert_eq!(t("2024-09-11.geojson").as_deref(), Some("2024-09-11T00:00:00+00:00"));
        assert_eq!(t("map.geojson"), None);
    }

    #[test]
    fn generic_mapping_and_time_property() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"layer":"RU","date":"2024-09-11"},
           "geometry":{"type":"Polygon","coordinates":[[[35,51],[35.1,51],[35.1,51.1],[35,51]]]}}]}"#;
        let spec = GenericSpec {
            mapper: Mapper::new("ISW"),
            status_property: "layer".into(),
            map: vec![("RU".into(), ControlStatus::Occupied)],
            time_property: Some("date".into()),
            every: None,
            drop_shapeless: false,
        };
        let s = parse_control(Path::new("x.geojson"), text.as_bytes(), &ControlFormat::Generic(spec)).unwrap();
        assert_eq!(s.mapper.as_str(), "isw");
        assert_eq!(s.taken_at.date_naive().to_string(), "2024-09-11");
        assert_eq!(s.features.len(), 1);
    }

    #[test]
    fn shapeless_features_are_refused_or_dropped_as_asked() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"date":"2024-09-11"},
           "geometry":{"type":"Polygon","coordinates":[[[35,51],[35.1,51],[35.1,51.1],[35,51]]]}},
          {"type":"Feature","properties":{"date":"2024-09-11"},"geometry":null}]}"#;
        let mut spec = GenericSpec {
            mapper: Mapper::new("isw"),
            status_property: String::new(),
            map: vec![],
            time_property: Some("date".into()),
            every: Some(ControlStatus::Occupied),
            drop_shapeless: false,
        };
        let parse = |spec: &GenericSpec| {
            parse_control(
                Path::new("x.geojson"),
                text.as_bytes(),
                &ControlFormat::Generic(spec.clone()),
            )
        };
        let err = parse(&spec).unwrap_err().to_string();
        assert!(err.contains("feature 2: field `geometry`: null geometry"), "{err}");
        spec.drop_shapeless = true;
        let s = parse(&spec).unwrap();
        assert_eq!((s.features.len(), s.shapeless.clone()), (1, vec![2]));
    }

    #[test]
    fn bad_coordinates_name_the_feature() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a /// Occupied /// geoJSON.status.occupied"},
          "geometry":{"type":"Polygon","coordinates":[[[37,47],[380,47],[38,48],[37,47]]]}}]}"#;
        let err = parse_control(
            Path::new("1722544807.geojson"),
            text.as_bytes(),
            &ControlFormat::DeepState,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "1722544807.geojson: feature 1: field `geometry`: coordinate (380, 47) is not a WGS84 longitude/latitude"
        );
    }

    #[test]
    fn malformed_geojson_is_an_error() {
        let err = parse_control(
            Path::new("1722544807.geojson"),
            b"{\"type\":",
            &ControlFormat::DeepState,
        )
        .unwrap_err();
        assert!(err.to_string().contains("malformed GeoJSON"), "{err}");
    }
}
