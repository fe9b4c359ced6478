//! Small values to store: tallies, snapshots, outlines, loss items.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use frontline_model::{
    Boundary, BoundaryLevel, Category, Claimant, ControlStatus, EvidenceDates, EvidenceItem, Location, LossStatus,
    Mapper, SeriesKey, SourceKind, SourceMeta, Subject, TallyBatch, TallyObservation,
};
use frontline_store::{EvidenceImport, StoredLayer, StoredSnapshot, TallyImport};
use geo_types::{LineString, MultiPolygon, Polygon};

/// A day.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("fixture date")
}

/// A fixed import time, so runs compare equal.
pub fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()
}

/// Provenance of a file named after its fake hash.
pub fn meta(sha: &str, kind: SourceKind) -> SourceMeta {
    SourceMeta {
        location: format!("{sha}.dat"),
        sha256: sha.to_string(),
        bytes_sha256: None,
        kind,
        imported_at: at(1),
    }
}

/// The series `gs/ru/CAT`.
pub fn key(cat: &str) -> SeriesKey {
    SeriesKey {
        claimant: Claimant::new("gs"),
        subject: Subject::new("ru"),
        category: Category::new(cat),
    }
}

/// One cumulative figure.
pub fn obs(cat: &str, date: &str, v: i64) -> TallyObservation {
    TallyObservation {
        key: key(cat),
        date: d(date),
        cumulative: v,
        qualifier: None,
    }
}

/// A tally file of these figures.
pub fn tally_file(sha: &str, observations: Vec<TallyObservation>) -> TallyImport {
    TallyImport {
        meta: meta(sha, SourceKind::GeneralStaffJson),
        batch: TallyBatch {
            observations,
            ..Default::default()
        },
    }
}

/// A de facto outline: a square of `size` degrees from (`x`, `y`).
pub fn outline(code: &str, name: &str, (x, y): (f64, f64), size: f64) -> Boundary {
    Boundary {
        name_uk: None,
        name_ru: None,
        level: BoundaryLevel::DeFacto,
        code: code.into(),
        name: name.into(),
        geometry: square(x, y, size, false),
    }
}

/// An axis-aligned box as a multipolygon, with a hole when asked.
pub fn square(x0: f64, y0: f64, size: f64, hole: bool) -> MultiPolygon<f64> {
    let ring = |x: f64, y: f64, s: f64| LineString::from(vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)]);
    let holes = if hole {
        vec![ring(x0 + size / 4.0, y0 + size / 4.0, size / 2.0)]
    } else {
        vec![]
    };
    MultiPolygon::new(vec![Polygon::new(ring(x0, y0, size), holes)])
}

/// A snapshot with one layer of `status`.
pub fn snapshot(mapper: &str, taken_at: DateTime<Utc>, status: ControlStatus, area: f64) -> StoredSnapshot {
    StoredSnapshot {
        mapper: Mapper::new(mapper),
        taken_at,
        layers: vec![StoredLayer {
            status,
            // Irrational-looking coordinates: a lossy round trip would show.
            geometry: square(35.123_456_789_012_3, 48.987_654_321_098_7, 0.333_333_333_333_3, true),
            area_km2: area,
            features: 2,
            labels: vec!["Occupied".into(), "CADR".into()],
        }],
        annotations: vec![],
        unmapped: 1,
        repaired: 0,
        rejected: 0,
        outside_region: 0,
    }
}

/// A loss item of Oryx.
pub fn item(key: &str, status: LossStatus, model: &str) -> EvidenceItem {
    EvidenceItem {
        source: "oryx".into(),
        key: key.into(),
        side: "Russia".into(),
        category: "tanks".into(),
        model: model.into(),
        status,
        count: 1,
        dates: EvidenceDates::new(Some(d("2024-08-10")), Some(d("2024-08-12")), at(1)),
        location: None,
        proof_urls: vec![format!("https://x/{key}.jpg")],
    }
}

/// The same item with an event date and a place.
pub fn located(mut i: EvidenceItem, event: &str, lat: f64, lon: f64) -> EvidenceItem {
    i.dates.event = Some(d(event));
    i.location = Some(Location {
        lat,
        lon,
        precision_m: Some(100.0),
    });
    i
}

/// A loss-list file of these items.
pub fn loss_file(sha: &str, items: Vec<EvidenceItem>) -> EvidenceImport {
    EvidenceImport {
        meta: meta(sha, SourceKind::Losses),
        items,
        coverage: Default::default(),
    }
}

/// A claim about liberated area in Russia on 2024-08-12, of `value` km².
pub fn claim(id: &str, value: f64) -> frontline_model::Claim {
    frontline_model::Claim {
        id: id.into(),
        speaker: "S".into(),
        role: "R".into(),
        said_on: d("2024-08-12"),
        published_on: Some(d("2024-08-13")),
        source_url: "https://example.invalid".into(),
        quote: "about a thousand".into(),
        language: "en".into(),
        quantity: frontline_model::Quantity {
            low: value,
            high: value,
            unit: "km2".into(),
            qualifier: frontline_model::Qualifier::About,
        },
        metric: frontline_model::Metric::Area {
            status: ControlStatus::Liberated,
            within: Some("RU".into()),
            date: d("2024-08-12"),
        },
    }
}
