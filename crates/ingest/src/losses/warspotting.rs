//! WarSpotting's per-item list: the `losses.csv` export and the API's JSON
//! pages (`{"losses": [...]}`): event date, nearest place, coordinates,
//! unit. Neither carries a publication date.

use super::{LossParse, columns, reject};
use crate::IngestError;
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, Location, LossStatus};
use std::path::Path;

/// Parses WarSpotting `losses.csv`.
pub fn parse_warspotting(file: &Path, bytes: &[u8], recorded: DateTime<Utc>) -> Result<LossParse, IngestError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    let [id, kind, model, status, lost_by, date, geo, url] = columns(
        file,
        &headers,
        [
            "id",
            "type",
            "model",
            "status",
            "lost_by",
            "date",
            "geolocation",
            "oryx_url",
        ],
    )?;
    let mut out = LossParse::default();
    let mut seen = super::SeenIds::default();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize| row.get(i).unwrap_or("").trim();
        let bad = |field: &str, why: String| reject(file, line, field, why, &row);
        let key = get(id);
        if key.is_empty() {
            out.rejects.push(reject(file, line, "id", "empty", &row));
            continue;
        }
        let st = get(status).split_whitespace().next().and_then(LossStatus::parse);
        let Some(st) = st else {
            out.rejects
                .push(bad("status", format!("`{}` is not a loss status", get(status))));
            continue;
        };
        let event = match get(date) {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    out.rejects
                        .push(reject(file, line, "date", format!("`{s}` is not a date"), &row));
                    continue;
                }
            },
        };
        let location = match get(geo) {
            "" => None,
            s => match parse_lat_lon(s) {
                Some((lat, lon)) => Some(Location {
                    lat,
                    lon,
                    precision_m: None,
                }),
                None => {
                    out.rejects.push(bad("geolocation", format!("`{s}` is not `lat,lon`")));
                    continue;
                }
            },
        };
        let item = EvidenceItem {
            source: "warspotting".into(),
            key: key.to_string(),
            side: get(lost_by).to_lowercase(),
            category: super::warspotting_category(get(kind)).to_string(),
            model: get(model).to_string(),
            status: st,
            count: 1,
            dates: EvidenceDates::new(event, None, recorded),
            location,
            proof_urls: match get(url) {
                "" => vec![],
                u => vec![u.to_string()],
            },
        };
        match seen.check(crate::Record::Line(line), &item) {
            Ok(true) => out.items.push(item),
            Ok(false) => {}
            Err(reason) => out.rejects.push(reject(file, line, "id", reason, &row)),
        }
    }
    Ok(out)
}

/// The fields of an API item Frontline knows. Any other is a change of
/// format a person should look at before it is trusted (the sync holds it).
pub const WARSPOTTING_FIELDS: [&str; 12] = [
    "id",
    "type",
    "model",
    "status",
    "lost_by",
    "date",
    "nearest_location",
    "geo",
    "unit",
    "tags",
    "comment",
    "sources",
];

/// One API page read: its items, rejected items, and the field names it
/// carried that Frontline does not know.
#[derive(Debug, Clone, Default)]
pub struct WarSpottingPage {
    /// Items and rejects.
    pub parse: LossParse,
    /// Unknown field names, sorted.
    pub unknown_fields: Vec<String>,
}

/// Parses one WarSpotting API page, `{"losses": [item, …]}`; the same item
/// rules as [`parse_warspotting`].
pub fn parse_warspotting_json(
    file: &Path,
    bytes: &[u8],
    recorded: DateTime<Utc>,
) -> Result<WarSpottingPage, IngestError> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?;
    let list = v.get("losses").and_then(serde_json::Value::as_array).ok_or_else(|| {
        IngestError::field(
            file,
            crate::Record::Index(0),
            "losses",
            "no `losses` array: not a WarSpotting page",
        )
    })?;
    let mut out = WarSpottingPage::default();
    let mut unknown = std::collections::BTreeSet::new();
    let mut seen = super::SeenIds::default();
    for (n, entry) in list.iter().enumerate() {
        let rec = crate::Record::Index(n + 1);
        let raw = entry.to_string();
        let bad = |field: &str, reason: String| super::Reject {
            file: file.to_path_buf(),
            record: rec,
            field: field.into(),
            reason,
            raw: raw.clone(),
        };
        let Some(obj) = entry.as_object() else {
            out.parse.rejects.push(bad("losses", "not an object".into()));
            continue;
        };
        unknown.extend(
            obj.keys()
                .filter(|k| !WARSPOTTING_FIELDS.contains(&k.as_str()))
                .cloned(),
        );
        let text = |k: &str| obj.get(k).and_then(serde_json::Value::as_str).map(str::trim);
        let key = match obj.get("id") {
            Some(serde_json::Value::Number(n)) if n.as_u64().is_some() => n.to_string(),
            _ => {
                out.parse
                    .rejects
                    .push(bad("id", "missing or not a whole number".into()));
                continue;
            }
        };
        let mut missing = ["type", "model", "status", "lost_by"]
            .into_iter()
            .filter(|k| text(k).is_none());
        if let Some(k) = missing.next() {
            out.parse.rejects.push(bad(k, "missing or not text".into()));
            continue;
        }
        let status = text("status").unwrap_or_default();
        let Some(st) = status.split_whitespace().next().and_then(LossStatus::parse) else {
            out.parse
                .rejects
                .push(bad("status", format!("`{status}` is not a loss status")));
            continue;
        };
        let event = match obj.get("date") {
            None | Some(serde_json::Value::Null) => None,
            Some(d) => match d.as_str().map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d")) {
                Some(Ok(d)) => Some(d),
                _ => {
                    out.parse.rejects.push(bad("date", format!("`{d}` is not a date")));
                    continue;
                }
            },
        };
        let location = match obj.get("geo") {
            None | Some(serde_json::Value::Null) => None,
            Some(g) => match g.as_str().and_then(parse_lat_lon) {
                Some((lat, lon)) => Some(Location {
                    lat,
                    lon,
                    precision_m: None,
                }),
                None => {
                    out.parse.rejects.push(bad("geo", format!("`{g}` is not `lat,lon`")));
                    continue;
                }
            },
        };
        let item = EvidenceItem {
            source: "warspotting".into(),
            key,
            side: text("lost_by").unwrap_or_default().to_lowercase(),
            category: super::warspotting_category(text("type").unwrap_or_default()).to_string(),
            model: text("model").unwrap_or_default().to_string(),
            status: st,
            count: 1,
            dates: EvidenceDates::new(event, None, recorded),
            location,
            proof_urls: vec![],
        };
        match seen.check(rec, &item) {
            Ok(true) => out.parse.items.push(item),
            Ok(false) => {}
            Err(reason) => out.parse.rejects.push(bad("id", reason)),
        }
    }
    out.unknown_fields = unknown.into_iter().collect();
    Ok(out)
}

fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "id,type,model,status,lost_by,date,nearest_location,geolocation,unit,oryx_url,Latitude,Longitude\n";

    #[test]
    fn reads_rows() {
        let t = format!(
            "{HEAD}2,Tanks,T-64BV,Destroyed,Russia,2022-03-16,\"Mariupol\",\"47.09,37.52\",,https://i.postimg.cc/v.png,47.09,37.52\n"
        );
        let p = parse_warspotting(Path::new("losses.csv"), t.as_bytes(), Utc::now()).unwrap();
        let i = &p.items[0];
        assert_eq!(
            (i.key.as_str(), i.category.as_str(), i.side.as_str()),
            ("2", "tanks", "russia")
        );
        assert_eq!(i.location.map(|l| (l.lat, l.lon)), Some((47.09, 37.52)));
        assert_eq!(i.dates.published, None);
    }

    #[test]
    fn reads_api_pages_and_names_unknown_fields() {
        let page = br#"{"losses": [
            {"id": 2, "type": "Tanks", "model": "T-64BV", "status": "Destroyed", "lost_by": "Russia",
             "date": "2022-03-16", "nearest_location": "Mariupol", "geo": "47.09,37.52", "unit": null, "tags": null},
            {"id": 3, "type": "Tanks", "model": "T-72B", "status": "Captured", "lost_by": "Russia",
             "date": null, "geo": null, "photo_count": 2},
            {"id": "x", "type": "Tanks"},
            {"id": 5, "type": "Tanks", "model": "T-72B", "status": "Captured", "lost_by": "Russia", "date": "16.03.22"}
        ]}"#;
        let p = parse_warspotting_json(Path::new("page.json"), page, Utc::now()).unwrap();
        let got: Vec<_> = p
            .parse
            .items
            .iter()
            .map(|i| {
                (
                    i.key.as_str(),
                    i.category.as_str(),
                    i.status,
                    i.dates.event.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2", "tanks", LossStatus::Destroyed, Some("2022-03-16".into())),
                ("3", "tanks", LossStatus::Captured, None)
            ]
        );
        assert_eq!(p.parse.items[0].location.map(|l| (l.lat, l.lon)), Some((47.09, 37.52)));
        assert_eq!(p.unknown_fields, ["photo_count"]);
        let msgs: Vec<String> = p.parse.rejects.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "page.json: record 3: field `id`: missing or not a whole number",
                "page.json: record 4: field `date`: `\"16.03.22\"` is not a date"
            ]
        );
        let err = parse_warspotting_json(Path::new("p.json"), br#"{"items": []}"#, Utc::now()).unwrap_err();
        assert!(err.to_string().contains("no `losses` array"), "{err}");
    }

    #[test]
    fn bad_geolocation_is_rejected() {
        let t = format!("{HEAD}2,Tanks,T-64BV,Destroyed,Russia,2022-03-16,M,\"north\",,,,\n");
        let p = parse_warspotting(Path::new("losses.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert_eq!(
            p.rejects[0].to_string(),
            "losses.csv: line 2: field `geolocation`: `north` is not `lat,lon`"
        );
    }
}
