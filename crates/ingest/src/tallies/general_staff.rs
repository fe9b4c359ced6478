//! The General Staff tallies as collected in PetroIvaniuk's dataset.
//!
//! A file is a JSON array of daily objects: `date`, `day`, one integer per
//! category (cumulative since 2022-02-24), `<category>*` qualifiers such as
//! `"about"`, and free-text fields such as `greatest losses direction`.
//! The corrections file has the same layout with signed one-off deltas.

use crate::{IngestError, Record};
use chrono::NaiveDate;
use frontline_model::limits::MAX_TALLY_FIGURE;
use frontline_model::{
    Category, CategoryMerge, Claimant, SeriesKey, Subject, TallyBatch, TallyCorrection, TallyNote, TallyObservation,
};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Merges the General Staff made, as (successor, predecessors). Each applies
/// only when the file shows the predecessors ending before the successor
/// starts.
const MERGES: &[(&str, &[&str])] = &[
    ("vehicles and fuel tanks", &["military auto", "fuel tank"]),
    ("cruise missiles", &["mobile srbm system"]),
];

fn key(category: Category) -> SeriesKey {
    SeriesKey {
        claimant: Claimant::ua_general_staff(),
        subject: Subject::russia(),
        category,
    }
}

/// Parses a JSON array of objects, with positions for error messages.
fn records(file: &Path, bytes: &[u8]) -> Result<Vec<Map<String, Value>>, IngestError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| IngestError::json(file, &e))?;
    let Value::Array(items) = value else {
        return Err(IngestError::shape(file, "expected a JSON array of daily records"));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(m) => Ok(m),
            _ => Err(IngestError::field(
                file,
                Record::Index(i + 1),
                "(record)",
                "expected an object",
            )),
        })
        .collect()
}

fn date_of(file: &Path, rec: Record, m: &Map<String, Value>) -> Result<NaiveDate, IngestError> {
    match m.get("date") {
        Some(Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| IngestError::field(file, rec, "date", format!("`{s}` is not a date (YYYY-MM-DD)"))),
        Some(other) => Err(IngestError::field(
            file,
            rec,
            "date",
            format!("expected a date string, found {other}"),
        )),
        None => Err(IngestError::field(file, rec, "date", "missing")),
    }
}

fn integer(file: &Path, rec: Record, field: &str, v: &Value) -> Result<i64, IngestError> {
    let n = v
        .as_i64()
        .ok_or_else(|| IngestError::field(file, rec, field, format!("expected a whole number, found {v}")))?;
    if n.unsigned_abs() > MAX_TALLY_FIGURE.unsigned_abs() {
        return Err(IngestError::field(
            file,
            rec,
            field,
            format!("{n} is beyond the plausible range of a tally (±{MAX_TALLY_FIGURE})"),
        ));
    }
    Ok(n)
}

/// Checks that dates strictly increase, dropping exact duplicate records and
/// rejecting a date given twice with different content.
fn check_order(file: &Path, recs: &[Map<String, Value>]) -> Result<Vec<(Record, NaiveDate, usize)>, IngestError> {
    let mut out: Vec<(Record, NaiveDate, usize)> = Vec::with_capacity(recs.len());
    for (i, m) in recs.iter().enumerate() {
        let rec = Record::Index(i + 1);
        let date = date_of(file, rec, m)?;
        if let Some(&(prev_rec, prev_date, prev_i)) = out.last() {
            if date == prev_date {
                if recs[prev_i] == *m {
                    continue;
                }
                return Err(IngestError::field(
                    file,
                    rec,
                    "date",
                    format!("{date} appears twice with different values ({prev_rec} and {rec})"),
                ));
            }
            if date < prev_date {
                return Err(IngestError::field(
                    file,
                    rec,
                    "date",
                    format!("dates out of order: {date} comes after {prev_date} ({prev_rec})"),
                ));
            }
        }
        out.push((rec, date, i));
    }
    Ok(out)
}

/// Parses the daily tallies file (personnel or equipment).
pub fn parse_general_staff(file: &Path, bytes: &[u8]) -> Result<TallyBatch, IngestError> {
    let recs = records(file, bytes)?;
    if recs.is_empty() {
        return Err(IngestError::shape(file, "no records"));
    }
    let mut batch = TallyBatch::default();
    let mut spans: BTreeMap<Category, (NaiveDate, NaiveDate)> = BTreeMap::new();
    // A field is text (a note) only if it is never a number: "many" in a
    // numeric column is an error, not a note.
    let numeric: HashSet<&str> = recs
        .iter()
        .flat_map(|m| m.iter())
        .filter(|(_, v)| v.is_number())
        .map(|(k, _)| k.as_str())
        .collect();
    for (rec, date, i) in check_order(file, &recs)? {
        let m = &recs[i];
        for (field, v) in m {
            if field == "date" || field == "day" || field.ends_with('*') || v.is_null() {
                continue;
            }
            if let Value::String(text) = v
                && !numeric.contains(field.as_str())
            {
                batch.notes.push(TallyNote {
                    claimant: Claimant::ua_general_staff(),
                    subject: Subject::russia(),
                    date,
                    field: field.clone(),
                    text: text.clone(),
                });
                continue;
            }
            let cumulative = integer(file, rec, field, v)?;
            if cumulative < 0 {
                return Err(IngestError::field(
                    file,
                    rec,
                    field,
                    format!("cumulative count {cumulative} is negative"),
                ));
            }
            let category = Category::new(field);
            if category.is_empty() {
                return Err(IngestError::field(file, rec, field, "empty category name"));
            }
            let qualifier = match m.get(&format!("{field}*")) {
                Some(Value::String(q)) => Some(q.clone()),
                Some(Value::Null) | None => None,
                Some(other) => {
                    return Err(IngestError::field(
                        file,
                        rec,
                        &format!("{field}*"),
                        format!("expected text, found {other}"),
                    ));
                }
            };
            spans
                .entry(category.clone())
                .and_modify(|s| s.1 = date)
                .or_insert((date, date));
            batch.observations.push(TallyObservation {
                key: key(category),
                date,
                cumulative,
                qualifier,
            });
        }
    }
    if batch.observations.is_empty() {
        return Err(IngestError::shape(
            file,
            "no numeric daily figures found; is this a daily tally file (the `_oryx.json` per-model totals are not)?",
        ));
    }
    batch.merges = merges(&spans);
    Ok(batch)
}

fn merges(spans: &BTreeMap<Category, (NaiveDate, NaiveDate)>) -> Vec<CategoryMerge> {
    let mut out = Vec::new();
    for (into, from) in MERGES {
        let into = Category::new(into);
        let Some(&(start, _)) = spans.get(&into) else { continue };
        let from: Vec<Category> = from.iter().map(|c| Category::new(c)).collect();
        let all_end_before = from.iter().all(|c| spans.get(c).is_some_and(|&(_, end)| end < start));
        if all_end_before {
            out.push(CategoryMerge {
                into: key(into),
                from,
                date: start,
            });
        }
    }
    out
}

/// Parses the corrections file: signed one-off deltas per day and category.
pub fn parse_corrections(file: &Path, bytes: &[u8]) -> Result<TallyBatch, IngestError> {
    let recs = records(file, bytes)?;
    let mut batch = TallyBatch::default();
    let mut seen: HashMap<(Category, NaiveDate), Record> = HashMap::new();
    for (i, m) in recs.iter().enumerate() {
        let rec = Record::Index(i + 1);
        let date = date_of(file, rec, m)?;
        for (field, v) in m {
            if field == "date" || field == "day" || field.ends_with('*') || v.is_null() {
                continue;
            }
            let delta = integer(file, rec, field, v)?;
            if delta == 0 {
                continue;
            }
            let category = Category::new(field);
            if let Some(prev) = seen.insert((category.clone(), date), rec) {
                return Err(IngestError::field(
                    file,
                    rec,
                    field,
                    format!("a correction for {date} was already given at {prev}"),
                ));
            }
            batch.corrections.push(TallyCorrection {
                key: key(category),
                date,
                delta,
            });
        }
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<TallyBatch, IngestError> {
        parse_general_staff(Path::new("t.json"), s.as_bytes())
    }

    #[test]
    fn reads_figures_qualifiers_and_notes() {
        let b = parse(
            r#"[{"date":"2022-04-25","day":61,"personnel":21800,"personnel*":"about","greatest losses direction":"Izyum"},
                {"date":"2022-04-26","day":62,"personnel":21900}]"#,
        )
        .unwrap();
        assert_eq!(b.observations.len(), 2);
        assert_eq!(b.observations[0].qualifier.as_deref(), Some("about"));
        assert_eq!(b.observations[0].key.category.as_str(), "personnel");
        assert_eq!(b.notes.len(), 1);
        assert_eq!(b.notes[0].text, "Izyum");
    }

    #[test]
    fn detects_merge_when_predecessors_end_first() {
        let b = parse(
            r#"[{"date":"2022-04-30","military auto":1701,"fuel tank":76},
                {"date":"2022-05-01","vehicles and fuel tanks":1796}]"#,
        )
        .unwrap();
        assert_eq!(b.merges.len(), 1);
        assert_eq!(b.merges[0].from.len(), 2);
        assert_eq!(b.merges[0].date.to_string(), "2022-05-01");
    }

    #[test]
    fn errors_name_record_and_field() {
        let cases = [
            (r#"[{"date":"2022-13-01","tank":1}]"#, "record 1: field `date`"),
            (
                r#"[{"date":"2022-03-01","tank":1},{"date":"2022-03-02","tank":-4}]"#,
                "record 2: field `tank`: cumulative count -4 is negative",
            ),
            (
                r#"[{"date":"2022-03-01","tank":1},{"date":"2022-03-02","tank":"many"}]"#,
                "record 2: field `tank`: expected a whole number",
            ),
            (
                r#"[{"date":"2022-03-01","tank":1.5}]"#,
                "record 1: field `tank`: expected a whole number",
            ),
            (
                r#"[{"date":"2022-03-02","tank":1},{"date":"2022-03-01","tank":2}]"#,
                "record 2: field `date`: dates out of order",
            ),
            (
                r#"[{"date":"2022-03-01","tank":1},{"date":"2022-03-01","tank":2}]"#,
                "record 2: field `date`: 2022-03-01 appears twice",
            ),
            (r#"[{"tank":1}]"#, "record 1: field `date`: missing"),
        ];
        for (input, want) in cases {
            let err = parse(input).unwrap_err().to_string();
            assert!(err.starts_with("t.json: ") && err.contains(want), "{input}: {err}");
        }
    }

    #[test]
    fn malformed_json_names_line() {
        let err = parse("[{\"date\":\n\"2022-03-01\",}]").unwrap_err().to_string();
        assert!(err.contains("malformed JSON at line 2"), "{err}");
    }

    #[test]
    fn exact_duplicate_day_is_dropped() {
        let b = parse(r#"[{"date":"2022-03-01","tank":1},{"date":"2022-03-01","tank":1}]"#).unwrap();
        assert_eq!(b.observations.len(), 1);
    }

    #[test]
    fn per_model_totals_are_refused() {
        let err = parse(r#"[{"date":"2022-03-01","model":"T-62M"}]"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not"), "{err}");
    }

    #[test]
    fn corrections_skip_zeros_and_keep_signs() {
        let b = parse_corrections(
            Path::new("c.json"),
            br#"[{"date":"2022-10-13","day":231,"APC":-25,"tank":0,"personnel":0}]"#,
        )
        .unwrap();
        assert_eq!(b.corrections.len(), 1);
        assert_eq!(b.corrections[0].delta, -25);
        assert_eq!(b.corrections[0].key.category.as_str(), "apc");
    }
}
