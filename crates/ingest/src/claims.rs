//! Claims as analysts keep them: a CSV (one claim a row), or a JSON array
//! or a YAML list (`.yaml`, `.yml`) of objects with the same keys. Every problem names the file, the record and
//! the field; one bad claim fails the file.
//!
//! Keys: `id, speaker, role, said_on, published_on, source_url, quote,
//! language, metric, status, within, place, source, side, by, category,
//! date, from, to, qualifier, value, low, high, unit`. `metric` is `area`,
//! `area-change`, `settlements`, `largest-settlement`, `distance`,
//! `cumulative`, `daily`, `record`, `evidence`, `lag` or `peak-area` (with `quantile`,
//! 0–1, default the median; without `from`, the 12 months to `to`, or to
//! the day it was said); a number is `value`, or `low` and `high` for a
//! range.

use crate::{IngestError, Record};
use chrono::NaiveDate;
use frontline_model::{Claim, ControlStatus, EvidenceDate, LossStatus, Metric, Qualifier, Quantity};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: Option<String>,
    speaker: Option<String>,
    role: Option<String>,
    said_on: Option<String>,
    published_on: Option<String>,
    source_url: Option<String>,
    quote: Option<String>,
    language: Option<String>,
    metric: Option<String>,
    status: Option<String>,
    within: Option<String>,
    place: Option<String>,
    source: Option<String>,
    side: Option<String>,
    by: Option<String>,
    category: Option<String>,
    date: Option<String>,
    from: Option<String>,
    to: Option<String>,
    qualifier: Option<String>,
    value: Option<String>,
    low: Option<String>,
    high: Option<String>,
    unit: Option<String>,
    quantile: Option<String>,
}

/// Reads a claims file: YAML by its extension (`.yaml`, `.yml`), JSON when
/// it starts with `[`, else CSV.
pub fn parse_claims(file: &Path, bytes: &[u8]) -> Result<Vec<Claim>, IngestError> {
    let yaml = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    // One claim as a bare object would read as a CSV of no rows.
    if !yaml && first == Some(&b'{') {
        return Err(IngestError::field(
            file,
            Record::Index(0),
            "claims",
            "a JSON claims file is an array of claims; this one holds a single object: wrap it in [ ]".to_string(),
        ));
    }
    let json = first == Some(&b'[');
    let rows: Vec<(Record, Row)> = if yaml || json {
        let values: Vec<serde_json::Value> = if yaml {
            serde_norway::from_slice(bytes).map_err(|e| {
                let at = e
                    .location()
                    .map(|l| Record::Line(l.line() as u64))
                    .unwrap_or(Record::Index(0));
                IngestError::field(file, at, "claims", format!("not a YAML list of claims: {e}"))
            })?
        } else {
            serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?
        };
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| row_of_json(file, Record::Index(i + 1), v).map(|r| (Record::Index(i + 1), r)))
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
    if rows.is_empty() {
        return Err(IngestError::field(
            file,
            Record::Index(0),
            "claims",
            "no claim in the file".to_string(),
        ));
    }
    let claims: Vec<(Record, Claim)> = rows
        .into_iter()
        .map(|(rec, row)| claim(file, rec, row).map(|c| (rec, c)))
        .collect::<Result<_, _>>()?;
    // An id twice in one file would silently become its own second version.
    let mut seen: std::collections::HashMap<&str, Record> = std::collections::HashMap::new();
    for (rec, c) in &claims {
        if let Some(first) = seen.insert(c.id.as_str(), *rec) {
            return Err(IngestError::field(
                file,
                *rec,
                "id",
                format!(
                    "claim `{}` is given twice in this file (first at {first}); give each claim once",
                    c.id
                ),
            ));
        }
    }
    Ok(claims.into_iter().map(|(_, c)| c).collect())
}

/// One claim from its keys and values (as `claims add` gives them), read
/// by the same rules as a file's rows; `origin` names where it came from.
pub fn claim_from_fields(origin: &Path, fields: &[(String, String)]) -> Result<Claim, IngestError> {
    let object = fields
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let row = row_of_json(origin, Record::Index(1), serde_json::Value::Object(object))?;
    claim(origin, Record::Index(1), row)
}

fn row_of_json(file: &Path, rec: Record, v: serde_json::Value) -> Result<Row, IngestError> {
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
    serde_json::from_value(v).map_err(|e| IngestError::field(file, rec, "claim", e.to_string()))
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
    let opt_day = |field: &str, v: &Option<String>| -> Result<Option<NaiveDate>, IngestError> {
        text(v).map(|_| day(field, v)).transpose()
    };
    let said_on = day("said_on", &r.said_on)?;
    let metric_name = need("metric", &r.metric)?;
    let metric = match metric_name.as_str() {
        "largest-settlement" => Metric::Largest {
            status: status()?,
            within: text(&r.within),
            date: day("date", &r.date)?,
        },
        "distance" => Metric::Distance {
            status: status()?,
            place: need("place", &r.place)?,
            date: day("date", &r.date)?,
        },
        "evidence" => {
            let status = text(&r.status)
                .map(|t| {
                    LossStatus::parse(&t).ok_or_else(|| {
                        bad(
                            "status",
                            format!(
                                "`{t}` is not a loss status (destroyed, damaged, abandoned, captured, killed, missing)"
                            ),
                        )
                    })
                })
                .transpose()?;
            let (from, to) = (day("from", &r.from)?, day("to", &r.to)?);
            if from > to {
                return Err(bad("from", format!("the period starts ({from}) after it ends ({to})")));
            }
            let by = match text(&r.by).as_deref() {
                None | Some("event") => EvidenceDate::Event,
                Some("published") => EvidenceDate::Published,
                Some(other) => return Err(bad("by", format!("`{other}` is not event or published"))),
            };
            Metric::Evidence {
                source: text(&r.source).map(|s| s.to_lowercase()),
                side: text(&r.side).map(|s| s.to_lowercase()),
                category: text(&r.category),
                status,
                by,
                from,
                to,
            }
        }
        "lag" => {
            // "Usually": the median over the 12 months before.
            let to = opt_day("to", &r.to)?.unwrap_or(said_on);
            let from = match opt_day("from", &r.from)? {
                Some(f) => f,
                None => to
                    .checked_sub_months(chrono::Months::new(12))
                    .map_or(to, |d| d + chrono::Duration::days(1)),
            };
            if from > to {
                return Err(bad("from", format!("the period starts ({from}) after it ends ({to})")));
            }
            let quantile = number("quantile", &r.quantile)?.unwrap_or(0.5);
            if !(0.0..=1.0).contains(&quantile) {
                return Err(bad("quantile", format!("`{quantile}` is not between 0 and 1")));
            }
            Metric::Lag {
                source: text(&r.source).map(|s| s.to_lowercase()),
                side: text(&r.side).map(|s| s.to_lowercase()),
                category: text(&r.category),
                quantile,
                from,
                to,
            }
        }
        "peak-area" => Metric::PeakArea {
            status: status()?,
            within: text(&r.within),
            date: opt_day("date", &r.date)?.unwrap_or(said_on),
        },
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
                format!(
                    "`{other}` is not area, peak-area, area-change, settlements, largest-settlement, distance, cumulative, daily, record, evidence or lag"
                ),
            ));
        }
    };
    let unit = text(&r.unit).unwrap_or_else(|| {
        match metric {
            Metric::Area { .. } | Metric::AreaChange { .. } | Metric::PeakArea { .. } => "km2",
            Metric::Record { .. } | Metric::Lag { .. } => "days",
            Metric::Largest { .. } => "people",
            Metric::Distance { .. } => "km",
            _ => "count",
        }
        .into()
    });
    let units: &[&str] = match metric {
        Metric::Area { .. } => &["km2", "percent"],
        Metric::AreaChange { .. } | Metric::PeakArea { .. } => &["km2"],
        Metric::Record { .. } => &["days"],
        Metric::Lag { .. } => &["days", "weeks"],
        Metric::Largest { .. } => &["people"],
        Metric::Distance { .. } => &["km"],
        _ => &["count"],
    };
    if !units.contains(&unit.as_str()) {
        return Err(bad(
            "unit",
            format!("`{unit}` does not measure {metric_name} ({})", units.join(", ")),
        ));
    }
    let published_on = opt_day("published_on", &r.published_on)?;
    if let Some(p) = published_on.filter(|p| *p < said_on) {
        return Err(bad(
            "published_on",
            format!("{p} is before the claim was said ({said_on})"),
        ));
    }
    Ok(Claim {
        id: need("id", &r.id)?,
        speaker: need("speaker", &r.speaker)?,
        role: text(&r.role).unwrap_or_default(),
        said_on,
        published_on,
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
        let yaml = "- id: k1\n  speaker: Oleksandr Syrskyi\n  role: Commander-in-Chief\n  said_on: 2024-08-12\n  \
                    source_url: https://x/1\n  quote: \"we control about 1,000 km²\"\n  metric: area\n  status: liberated\n  \
                    within: RU\n  date: 2024-08-12\n  qualifier: about\n  value: 1000\n  unit: km2\n";
        assert_eq!(parse_claims(Path::new("c.yaml"), yaml.as_bytes()).unwrap(), a);
        assert_eq!(
            parse_claims(Path::new("c.yml"), b"- id: [unclosed\n")
                .unwrap_err()
                .to_string()
                .split(": not")
                .next(),
            Some("c.yml: line 2: field `claims`")
        );
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
            "c.csv: line 2: field `metric`: `troops` is not area, peak-area, area-change, settlements, largest-settlement, distance, cumulative, daily, record, evidence or lag"
        );
        assert_eq!(
            e("k,S,R,2024-08-12,u,q,area,liberated,RU,2024-08-12,,1000,days"),
            "c.csv: line 2: field `unit`: `days` does not measure area (km2, percent)"
        );
    }

    #[test]
    fn reads_the_evidence_distance_and_largest_metrics() {
        let head = "id,speaker,said_on,published_on,source_url,quote,metric,status,within,place,source,side,category,from,to,date,qualifier,value,unit\n";
        let csv = format!(
            "{head}e,S,2024-09-01,2024-09-02,u,q,evidence,destroyed,,,Oryx,Russia,tanks,2024-08-01,2024-08-31,,more than,100,\n\
             d,S,2024-09-01,,u,q,distance,occupied,,Pokrovsk,,,,,,2024-09-01,about,8,km\n\
             l,S,2024-09-01,,u,q,largest-settlement,liberated,RU,,,,,,,2024-08-20,,5500,\n"
        );
        let c = parse_claims(Path::new("c.csv"), csv.as_bytes()).unwrap();
        assert_eq!(
            c[0].metric,
            Metric::Evidence {
                source: Some("oryx".into()),
                side: Some("russia".into()),
                category: Some("tanks".into()),
                status: Some(LossStatus::Destroyed),
                by: EvidenceDate::Event,
                from: NaiveDate::from_ymd_opt(2024, 8, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2024, 8, 31).unwrap(),
            }
        );
        assert_eq!(c[0].published_on, NaiveDate::from_ymd_opt(2024, 9, 2));
        assert_eq!(
            (c[0].quantity.unit.as_str(), c[0].quantity.qualifier),
            ("count", Qualifier::AtLeast)
        );
        assert!(matches!(&c[1].metric, Metric::Distance { place, .. } if place == "Pokrovsk"));
        assert_eq!(c[2].quantity.unit, "people");
        assert_eq!(c[0].metric.last_day(), NaiveDate::from_ymd_opt(2024, 8, 31).unwrap());
    }

    #[test]
    fn a_lag_claim_is_the_median_over_the_year_before_unless_told() {
        let head = "id,speaker,said_on,source_url,quote,metric,source,category,from,to,quantile,low,high,unit\n";
        let csv = format!(
            "{head}u,S,2024-11-30,u,q,lag,Oryx,,,,,1,2,weeks\n\
             p,S,2024-12-05,u,q,lag,,tanks,2024-09-01,2024-11-30,0.9,,,\n"
        );
        // The second row has no number: refused; with one, read.
        let e = parse_claims(Path::new("c.csv"), csv.as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("c.csv: line 3: field `value`"), "{e}");
        let csv = csv.replace("0.9,,,", "0.9,,,days").replace(",,,days", ",20,30,days");
        let c = parse_claims(Path::new("c.csv"), csv.as_bytes()).unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            c[0].metric,
            Metric::Lag {
                source: Some("oryx".into()),
                side: None,
                category: None,
                quantile: 0.5,
                from: d("2023-12-01"),
                to: d("2024-11-30"),
            }
        );
        assert_eq!(
            (c[0].quantity.low, c[0].quantity.high, c[0].quantity.unit.as_str()),
            (1.0, 2.0, "weeks")
        );
        assert!(
            matches!(c[1].metric, Metric::Lag { quantile, from, .. } if quantile == 0.9 && from == d("2024-09-01"))
        );
        let bad = csv.replace(",0.9,", ",90,");
        let e = parse_claims(Path::new("c.csv"), bad.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv: line 3: field `quantile`: `90` is not between 0 and 1"
        );
    }

    #[test]
    fn a_claim_from_flags_is_read_by_the_file_rules() {
        let mut f: Vec<(String, String)> = [
            ("id", "a1"),
            ("speaker", "S"),
            ("said_on", "2025-01-05"),
            ("source_url", "https://x"),
            ("quote", "q"),
            ("metric", "area"),
            ("status", "liberated"),
            ("within", "RU-KRS"),
            ("date", "2025-01-05"),
            ("value", "800"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec();
        let c = claim_from_fields(Path::new("claims add"), &f).unwrap();
        assert_eq!((c.quantity.low, c.quantity.unit.as_str()), (800.0, "km2"));
        f.push(("published_on".into(), "2025-01-04".into()));
        assert_eq!(
            claim_from_fields(Path::new("claims add"), &f).unwrap_err().to_string(),
            "claims add: record 1: field `published_on`: 2025-01-04 is before the claim was said (2025-01-05)"
        );
    }
}
