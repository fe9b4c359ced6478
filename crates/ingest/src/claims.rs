//! Claims as analysts keep them: a CSV (one claim a row) or a JSON array of
//! objects with the same keys. Every problem names the file, the record and
//! the field; one bad claim fails the file.
//!
//! Keys: `id, speaker, role, said_on, source_url, quote, language, metric,
//! status, within, category, date, from, to, qualifier, value, low, high,
//! unit`. `metric` is `area`, `area-change`, `settlements`, `cumulative`,
//! `daily` or `record`; a number is `value`, or `low` and `high` for a range.

use crate::{IngestError, Record};
use chrono::NaiveDate;
use frontline_model::{Claim, ControlStatus, Metric, Qualifier, Quantity};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: Option<String>,
    speaker: Option<String>,
    role: Option<String>,
    said_on: Option<String>,
    source_url: Option<String>,
    quote: Option<String>,
    language: Option<String>,
    metric: Option<String>,
    status: Option<String>,
    within: Option<String>,
    category: Option<String>,
    date: Option<String>,
    from: Option<String>,
    to: Option<String>,
    qualifier: Option<String>,
    value: Option<String>,
    low: Option<String>,
    high: Option<String>,
    unit: Option<String>,
}

/// Reads a claims file: JSON when it starts with `[`, else CSV.
pub fn parse_claims(file: &Path, bytes: &[u8]) -> Result<Vec<Claim>, IngestError> {
    let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let rows: Vec<(Record, Row)> = if json {
        let values: Vec<serde_json::Value> = serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                // Numbers may come as numbers: read every value as text.
                let v = match v {
                    serde_json::Value::Object(m) => serde_json::Value::Object(
                        m.into_iter()
                            .map(|(k, v)| {
                                let t = match v {
                                    serde_json::Value::String(s) => serde_json::Value::String(s),
                                    serde_json::Value::Null => serde_json::Value::Null,
                                    other => serde_json::Value::String(other.to_string()),
                                };
                                (k, t)
                            })
                            .collect(),
                    ),
                    other => other,
                };
                serde_json::from_value(v)
                    .map(|r| (Record::Index(i + 1), r))
                    .map_err(|e| IngestError::field(file, Record::Index(i + 1), "claim", e.to_string()))
            })
            .collect::<Result<_, _>>()?
    } else {
        let mut reader = csv::Reader::from_reader(bytes);
        reader
            .deserialize::<Row>()
            .enumerate()
            .map(|(i, r)| {
                let rec = Record::Line(i as u64 + 2);
                r.map(|r| (rec, r))
                    .map_err(|e| IngestError::field(file, rec, "claim", e.to_string()))
            })
            .collect::<Result<_, _>>()?
    };
    rows.into_iter().map(|(rec, row)| claim(file, rec, row)).collect()
}

fn claim(file: &Path, rec: Record, r: Row) -> Result<Claim, IngestError> {
    let bad = |field: &str, why: String| IngestError::field(file, rec, field, why);
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let need = |field: &str, v: &Option<String>| text(v).ok_or_else(|| bad(field, "missing".into()));
    let day = |field: &str, v: &Option<String>| -> Result<NaiveDate, IngestError> {
        let t = need(field, v)?;
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|_| bad(field, format!("`{t}` is not a date (YYYY-MM-DD)")))
    };
    let number = |field: &str, v: &Option<String>| -> Result<Option<f64>, IngestError> {
        match text(v) {
            None => Ok(None),
            Some(t) => t
                .replace([',', '_', ' '], "")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| bad(field, format!("`{t}` is not a number"))),
        }
    };
    let (low, high) = match (
        number("value", &r.value)?,
        number("low", &r.low)?,
        number("high", &r.high)?,
    ) {
        (Some(v), None, None) => (v, v),
        (None, Some(l), Some(h)) if l <= h => (l, h),
        (None, Some(_), Some(_)) => return Err(bad("low", "the range's low end is above its high end".into())),
        _ => return Err(bad("value", "give `value`, or `low` and `high` for a range".into())),
    };
    let qualifier = {
        let t = r.qualifier.clone().unwrap_or_default();
        Qualifier::parse(&t)
            .ok_or_else(|| bad("qualifier", format!("`{t}` is not about, more than, up to or empty")))?
    };
    let status = || -> Result<ControlStatus, IngestError> {
        let t = need("status", &r.status)?;
        ControlStatus::parse(&t).ok_or_else(|| bad("status", format!("`{t}` is not occupied, liberated or contested")))
    };
    let metric_name = need("metric", &r.metric)?;
    let metric = match metric_name.as_str() {
        "area" => Metric::Area {
            status: status()?,
            within: text(&r.within),
            date: day("date", &r.date)?,
        },
        "settlements" => Metric::Settlements {
            status: status()?,
            within: text(&r.within),
            date: day("date", &r.date)?,
        },
        "area-change" => Metric::AreaChange {
            status: status()?,
            within: text(&r.within),
            from: day("from", &r.from)?,
            to: day("to", &r.to)?,
        },
        "cumulative" | "daily" | "record" => {
            let category = need("category", &r.category)?;
            let date = day("date", &r.date)?;
            match metric_name.as_str() {
                "cumulative" => Metric::Cumulative { category, date },
                "daily" => Metric::Daily { category, date },
                _ => Metric::Record { category, date },
            }
        }
        other => {
            return Err(bad(
                "metric",
                format!("`{other}` is not area, area-change, settlements, cumulative, daily or record"),
            ));
        }
    };
    let unit = text(&r.unit).unwrap_or_else(|| {
        match metric {
            Metric::Area { .. } | Metric::AreaChange { .. } => "km2",
            Metric::Record { .. } => "days",
            _ => "count",
        }
        .into()
    });
    let units: &[&str] = match metric {
        Metric::Area { .. } => &["km2", "percent"],
        Metric::AreaChange { .. } => &["km2"],
        Metric::Record { .. } => &["days"],
        _ => &["count"],
    };
    if !units.contains(&unit.as_str()) {
        return Err(bad(
            "unit",
            format!("`{unit}` does not measure {metric_name} ({})", units.join(", ")),
        ));
    }
    Ok(Claim {
        id: need("id", &r.id)?,
        speaker: need("speaker", &r.speaker)?,
        role: text(&r.role).unwrap_or_default(),
        said_on: day("said_on", &r.said_on)?,
        source_url: need("source_url", &r.source_url)?,
        quote: need("quote", &r.quote)?,
        language: text(&r.language).unwrap_or_else(|| "en".into()),
        quantity: Quantity {
            low,
            high,
            unit,
            qualifier,
        },
        metric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "id,speaker,role,said_on,source_url,quote,metric,status,within,date,qualifier,value,unit\n";

    #[test]
    fn reads_csv_and_json_alike() {
        let csv = format!(
            "{HEAD}k1,Oleksandr Syrskyi,Commander-in-Chief,2024-08-12,https://x/1,\"we control about 1,000 km²\",area,liberated,RU,2024-08-12,about,\"1,000\",km2\n"
        );
        let a = parse_claims(Path::new("c.csv"), csv.as_bytes()).unwrap();
        let json = r#"[{"id":"k1","speaker":"Oleksandr Syrskyi","role":"Commander-in-Chief","said_on":"2024-08-12",
            "source_url":"https://x/1","quote":"we control about 1,000 km²","metric":"area","status":"liberated",
            "within":"RU","date":"2024-08-12","qualifier":"about","value":1000,"unit":"km2"}]"#;
        let b = parse_claims(Path::new("c.json"), json.as_bytes()).unwrap();
        assert_eq!(a, b);
        assert_eq!((a[0].quantity.low, a[0].quantity.qualifier), (1000.0, Qualifier::About));
    }

    #[test]
    fn bad_claims_name_the_record_and_field() {
        let e = |row: &str| {
            parse_claims(Path::new("c.csv"), format!("{HEAD}{row}\n").as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e("k,S,R,2024-08-12,u,q,area,liberated,RU,12.08.2024,,1000,km2"),
            "c.csv: line 2: field `date`: `12.08.2024` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            e("k,S,R,2024-08-12,u,q,area,liberated,RU,2024-08-12,roughly speaking,1000,km2"),
            "c.csv: line 2: field `qualifier`: `roughly speaking` is not about, more than, up to or empty"
        );
        assert_eq!(
            e("k,S,R,2024-08-12,u,q,troops,,,2024-08-12,,20000,count"),
            "c.csv: line 2: field `metric`: `troops` is not area, area-change, settlements, cumulative, daily or record"
        );
        assert_eq!(
            e("k,S,R,2024-08-12,u,q,area,liberated,RU,2024-08-12,,1000,days"),
            "c.csv: line 2: field `unit`: `days` does not measure area (km2, percent)"
        );
    }
}
