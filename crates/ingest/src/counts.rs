//! Counts by period from named lists, one vintage at a time.
//!
//! * UALosses / Mediazona JSON (the ukrwarlosses repository's files): an
//!   object keyed by period (`2025-07-14`, `2025-W29` or `2025-07`) of
//!   `{deaths, missing, total}` (Russia: `{deaths, total}`). Its weeks run
//!   from Sunday, week 1 holding 1 January (checked against its daily
//!   files: all 184 weeks of the 2025-09-01 vintage are the sums of its
//!   days so counted).
//! * A long CSV: `period,vintage,subject,status,count`, any number of
//!   vintages and subjects, one granularity.
//!
//! A file mixing granularities, a negative count, or a total that is not
//! deaths plus missing fails, naming the record and the field.

use crate::{IngestError, Record};
use chrono::NaiveDate;
use frontline_model::limits::{MAX_PERIOD_COUNT, lists_start};
use frontline_model::{CountSeries, CountStatus, Granularity, PeriodCount, Vintage};
use std::collections::BTreeMap;
use std::path::Path;

/// One UALosses / Mediazona file: the vintage `vintage` of `subject`'s
/// counts in list `source`, edition `edition`.
pub fn parse_ualosses(
    file: &Path,
    bytes: &[u8],
    subject: &str,
    source: &str,
    edition: u32,
    vintage: NaiveDate,
) -> Result<Vintage, IngestError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?;
    let mut granularity = None;
    let mut counts = Vec::new();
    for (i, (key, v)) in object.iter().enumerate() {
        let rec = Record::Index(i + 1);
        let (_, start) = period(file, rec, key, &mut granularity, Granularity::read_sunday_key)?;
        let number = |name: &str| -> Result<Option<u64>, IngestError> {
            match v.get(name) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(n) => match n.as_i64() {
                    Some(x) if x > MAX_PERIOD_COUNT as i64 => Err(IngestError::field(
                        file,
                        rec,
                        &format!("{key}.{name}"),
                        format!("{x} is more than {MAX_PERIOD_COUNT}, no real list's count of a period"),
                    )),
                    Some(x) if x >= 0 => Ok(Some(x as u64)),
                    Some(x) => Err(IngestError::field(
                        file,
                        rec,
                        &format!("{key}.{name}"),
                        format!("{x} is negative"),
                    )),
                    None => Err(IngestError::field(
                        file,
                        rec,
                        &format!("{key}.{name}"),
                        format!("`{n}` is not a whole number"),
                    )),
                },
            }
        };
        let deaths =
            number("deaths")?.ok_or_else(|| IngestError::field(file, rec, &format!("{key}.deaths"), "missing"))?;
        let missing = number("missing")?;
        if let Some(total) = number("total")? {
            let sum = deaths + missing.unwrap_or(0);
            if total != sum {
                return Err(IngestError::field(
                    file,
                    rec,
                    &format!("{key}.total"),
                    format!("{total} is not deaths plus missing ({sum})"),
                ));
            }
        }
        counts.push(PeriodCount {
            period: start,
            status: CountStatus::Killed,
            count: deaths,
        });
        if let Some(m) = missing {
            counts.push(PeriodCount {
                period: start,
                status: CountStatus::Missing,
                count: m,
            });
        }
    }
    let Some(granularity) = granularity else {
        return Err(IngestError::field(
            file,
            Record::Index(0),
            "periods",
            "the file has no period",
        ));
    };
    counts.sort();
    Ok(Vintage {
        series: CountSeries {
            subject: subject.to_string(),
            source: source.to_string(),
            granularity,
            edition,
        },
        vintage,
        counts,
    })
}

/// A long CSV, `period,vintage,subject,status,count`: one vintage per
/// (subject, vintage) found, in list `source`, edition `edition`.
pub fn parse_long_csv(file: &Path, bytes: &[u8], source: &str, edition: u32) -> Result<Vec<Vintage>, IngestError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Row {
        period: String,
        vintage: String,
        subject: String,
        status: String,
        count: String,
    }
    let mut reader = csv::Reader::from_reader(bytes);
    let mut granularity = None;
    let mut by: BTreeMap<(String, NaiveDate), BTreeMap<(NaiveDate, CountStatus), u64>> = BTreeMap::new();
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        let rec = Record::Line(i as u64 + 2);
        let r = row.map_err(|e| IngestError::field(file, rec, "row", e.to_string()))?;
        let (_, start) = period(file, rec, &r.period, &mut granularity, Granularity::read_key)?;
        let vintage = NaiveDate::parse_from_str(r.vintage.trim(), "%Y-%m-%d").map_err(|_| {
            IngestError::field(
                file,
                rec,
                "vintage",
                format!("`{}` is not a date (YYYY-MM-DD)", r.vintage),
            )
        })?;
        let status = CountStatus::parse(&r.status).ok_or_else(|| {
            IngestError::field(file, rec, "status", format!("`{}` is not killed or missing", r.status))
        })?;
        let count: i64 = r
            .count
            .trim()
            .parse()
            .map_err(|_| IngestError::field(file, rec, "count", format!("`{}` is not a whole number", r.count)))?;
        if count < 0 {
            return Err(IngestError::field(file, rec, "count", format!("{count} is negative")));
        }
        if count as u64 > MAX_PERIOD_COUNT {
            return Err(IngestError::field(
                file,
                rec,
                "count",
                format!("{count} is more than {MAX_PERIOD_COUNT}, no real list's count of a period"),
            ));
        }
        let subject = r.subject.trim().to_string();
        if subject.is_empty() {
            return Err(IngestError::field(file, rec, "subject", "missing"));
        }
        let cell = by.entry((subject, vintage)).or_default();
        if cell.insert((start, status), count as u64).is_some() {
            return Err(IngestError::field(
                file,
                rec,
                "period",
                format!(
                    "{} {} is given twice for this subject and vintage",
                    r.period,
                    status.as_str()
                ),
            ));
        }
    }
    let Some(granularity) = granularity else {
        return Err(IngestError::field(file, Record::Line(1), "rows", "the file has no row"));
    };
    Ok(by
        .into_iter()
        .map(|((subject, vintage), counts)| Vintage {
            series: CountSeries {
                subject,
                source: source.to_string(),
                granularity,
                edition,
            },
            vintage,
            counts: counts
                .into_iter()
                .map(|((period, status), count)| PeriodCount { period, status, count })
                .collect(),
        })
        .collect())
}

/// A period key, which must have the file's one granularity.
fn period(
    file: &Path,
    rec: Record,
    key: &str,
    granularity: &mut Option<Granularity>,
    read: fn(&str) -> Option<(Granularity, NaiveDate)>,
) -> Result<(Granularity, NaiveDate), IngestError> {
    let (g, start) = read(key).ok_or_else(|| {
        IngestError::field(
            file,
            rec,
            "period",
            format!("`{key}` is not a day (2025-07-14), an ISO week (2025-W29) or a month (2025-07)"),
        )
    })?;
    // 99999-04 reads as a month; no list counts it.
    let latest = chrono::Utc::now().date_naive() + chrono::Duration::days(366);
    if start < lists_start() || start > latest {
        return Err(IngestError::field(
            file,
            rec,
            "period",
            format!(
                "`{key}` starts on {start}, outside {} to a year from now",
                lists_start()
            ),
        ));
    }
    match granularity {
        Some(first) if *first != g => Err(IngestError::field(
            file,
            rec,
            "period",
            format!(
                "`{key}` is a {}, but the file's periods are {}s: one granularity per file",
                g.as_str(),
                first.as_str()
            ),
        )),
        _ => {
            *granularity = Some(g);
            Ok((g, start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reads_ualosses_months() {
        let v = parse_ualosses(
            Path::new("u.json"),
            br#"{"2025-06": {"deaths": 836, "missing": 3584, "total": 4420}, "2025-07": {"deaths": 718, "missing": 3063, "total": 3781}}"#,
            "Ukraine",
            "ualosses",
            1,
            day("2025-08-21"),
        )
        .unwrap();
        assert_eq!(v.series.granularity, Granularity::Month);
        assert_eq!(v.counts.len(), 4);
        assert_eq!(
            v.counts[2],
            PeriodCount {
                period: day("2025-07-01"),
                status: CountStatus::Killed,
                count: 718
            }
        );
    }

    #[test]
    fn bad_counts_name_the_record_and_field() {
        let e = |body: &str| {
            parse_ualosses(
                Path::new("u.json"),
                body.as_bytes(),
                "Ukraine",
                "ualosses",
                1,
                day("2025-08-21"),
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            e(r#"{"2025-06": {"deaths": 1, "total": 1}, "2025-W27": {"deaths": 1, "total": 1}}"#),
            "u.json: record 2: field `period`: `2025-W27` is a sunday-week, but the file's periods are months: one granularity per file"
        );
        assert_eq!(
            e(r#"{"2025-06": {"deaths": -4, "total": 1}}"#),
            "u.json: record 1: field `2025-06.deaths`: -4 is negative"
        );
        assert_eq!(
            e(r#"{"2025-06": {"deaths": 4, "missing": 2, "total": 7}}"#),
            "u.json: record 1: field `2025-06.total`: 7 is not deaths plus missing (6)"
        );
        let csv = "period,vintage,subject,status,count\n2025-07,2025-08-21,Ukraine,killed,718\n2025-07,2025-08-21,Ukraine,missing,-1\n";
        assert_eq!(
            parse_long_csv(Path::new("c.csv"), csv.as_bytes(), "ualosses", 1)
                .unwrap_err()
                .to_string(),
            "c.csv: line 3: field `count`: -1 is negative"
        );
    }

    #[test]
    fn a_long_csv_gives_one_vintage_per_subject_and_day() {
        let csv = "period,vintage,subject,status,count\n\
                   2025-07,2025-08-21,Ukraine,killed,718\n2025-07,2025-10-28,Ukraine,killed,1234\n\
                   2025-07,2025-10-28,Ukraine,missing,3270\n";
        let v = parse_long_csv(Path::new("c.csv"), csv.as_bytes(), "ualosses", 1).unwrap();
        assert_eq!(
            v.iter()
                .map(|v| (v.vintage.to_string(), v.counts.len()))
                .collect::<Vec<_>>(),
            [("2025-08-21".to_string(), 1), ("2025-10-28".to_string(), 2)]
        );
    }
}
