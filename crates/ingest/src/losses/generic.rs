//! A generic loss list for sources without a parser of their own.
//!
//! CSV columns (by name, any order): `id`, `side`, `category`, `model`,
//! `status` required; `count`, `event_date`, `published_date`, `lat`, `lon`,
//! `precision_m`, `proof_url` (several separated by spaces) optional. JSON: an
//! array of objects with the same fields.

use super::{LossParse, Reject, columns};
use crate::{IngestError, Record};
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, Location, LossStatus};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// One row as field name → text.
type Row<'a> = HashMap<&'a str, String>;

fn item(source: &str, row: &Row, recorded: DateTime<Utc>) -> Result<EvidenceItem, (String, String)> {
    let get = |k: &str| row.get(k).map(|s| s.trim()).unwrap_or("");
    let need = |k: &str| -> Result<String, (String, String)> {
        match get(k) {
            "" => Err((k.to_string(), "empty".to_string())),
            v => Ok(v.to_string()),
        }
    };
    let date = |k: &str| -> Result<Option<NaiveDate>, (String, String)> {
        match get(k) {
            "" => Ok(None),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| (k.to_string(), format!("`{s}` is not a date"))),
        }
    };
    let num = |k: &str| -> Result<Option<f64>, (String, String)> {
        match get(k) {
            "" => Ok(None),
            s => s
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or((k.to_string(), format!("`{s}` is not a number"))),
        }
    };
    let status_text = need("status")?;
    let status = LossStatus::parse(&status_text)
        .ok_or(("status".to_string(), format!("`{status_text}` is not a loss status")))?;
    let count = match get("count") {
        "" => 1,
        s => s
            .parse::<u32>()
            .ok()
            .filter(|c| *c > 0 && *c <= frontline_model::limits::MAX_ITEM_COUNT)
            .ok_or((
                "count".to_string(),
                format!(
                    "`{s}` is not a whole number from 1 to {}",
                    frontline_model::limits::MAX_ITEM_COUNT
                ),
            ))?,
    };
    let (event, published) = (date("event_date")?, date("published_date")?);
    if let (Some(e), Some(p)) = (event, published)
        && e > p
    {
        return Err(("event_date".into(), format!("{e} is after the published date {p}")));
    }
    let location = match (num("lat")?, num("lon")?) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some(Location {
            lat,
            lon,
            precision_m: num("precision_m")?,
        }),
        (None, None) => None,
        _ => return Err(("lat".into(), "lat and lon must both be given, in range".into())),
    };
    Ok(EvidenceItem {
        source: source.to_string(),
        key: need("id")?,
        side: need("side")?.to_lowercase(),
        category: need("category")?.to_lowercase(),
        model: need("model")?,
        status,
        count,
        dates: EvidenceDates::new(event, published, recorded),
        location,
        proof_urls: get("proof_url").split_whitespace().map(str::to_string).collect(),
    })
}

/// Parses the generic CSV.
pub fn parse_generic_csv(
    file: &Path,
    bytes: &[u8],
    source: &str,
    recorded: DateTime<Utc>,
) -> Result<LossParse, IngestError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    columns(file, &headers, ["id", "side", "category", "model", "status"])?;
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut out = LossParse::default();
    let mut seen = super::SeenIds::default();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let line = row.position().map_or(0, |p| p.line());
        let map: Row = names
            .iter()
            .map(String::as_str)
            .zip(row.iter().map(str::to_string))
            .collect();
        match item(source, &map, recorded).and_then(|i| {
            seen.check(Record::Line(line), &i)
                .map(|keep| keep.then_some(i))
                .map_err(|r| ("id".to_string(), r))
        }) {
            Ok(Some(i)) => out.items.push(i),
            Ok(None) => {}
            Err((field, reason)) => out.rejects.push(super::reject(file, line, &field, reason, &row)),
        }
    }
    Ok(out)
}

/// Parses the generic JSON (an array of flat objects).
pub fn parse_generic_json(
    file: &Path,
    bytes: &[u8],
    source: &str,
    recorded: DateTime<Utc>,
) -> Result<LossParse, IngestError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?;
    let Value::Array(rows) = value else {
        return Err(IngestError::shape(file, "expected a JSON array of items"));
    };
    let mut out = LossParse::default();
    let mut seen = super::SeenIds::default();
    for (i, v) in rows.iter().enumerate() {
        let Value::Object(m) = v else {
            return Err(IngestError::field(
                file,
                Record::Index(i + 1),
                "(record)",
                "expected an object",
            ));
        };
        let map: Row = m
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    match v {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" "),
                        other => other.to_string(),
                    },
                )
            })
            .collect();
        match item(source, &map, recorded).and_then(|it| {
            seen.check(Record::Index(i + 1), &it)
                .map(|keep| keep.then_some(it))
                .map_err(|r| ("id".to_string(), r))
        }) {
            Ok(Some(it)) => out.items.push(it),
            Ok(None) => {}
            Err((field, reason)) => out.rejects.push(Reject {
                file: file.to_path_buf(),
                record: Record::Index(i + 1),
                field,
                reason,
                raw: v.to_string(),
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_and_rejects() {
        let t = "id,side,category,model,status,count,event_date,published_date,lat,lon,proof_url\n\
                 a1,Russia,tanks,T-72B3,destroyed,2,2024-08-10,2024-08-12,51.2,35.3,https://x/1.jpg\n\
                 a2,Russia,tanks,T-72B3,destroyed,0,,,,,\n\
                 a3,Russia,tanks,T-72B3,destroyed,1,2024-08-13,2024-08-12,,,\n";
        let p = parse_generic_csv(Path::new("k.csv"), t.as_bytes(), "kursk", Utc::now()).unwrap();
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].count, 2);
        assert_eq!(p.items[0].id(), "kursk:a1");
        let msgs: Vec<String> = p.rejects.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "k.csv: line 3: field `count`: `0` is not a whole number from 1 to 10000",
                "k.csv: line 4: field `event_date`: 2024-08-13 is after the published date 2024-08-12"
            ]
        );
    }

    #[test]
    fn json_rows() {
        let t = r#"[{"id":"m1","side":"ukraine","category":"personnel","model":"-","status":"missing","event_date":"2024-03-01"}]"#;
        let p = parse_generic_json(Path::new("m.json"), t.as_bytes(), "families", Utc::now()).unwrap();
        assert_eq!(p.items[0].status, LossStatus::Missing);
    }
}
