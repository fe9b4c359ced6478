//! A generic long CSV of cumulative tallies, one figure per line:
//! `date,claimant,subject,category,cumulative` (any column order, an optional
//! `qualifier` column, other columns ignored).

use crate::{IngestError, Record};
use chrono::NaiveDate;
use frontline_model::{Category, Claimant, SeriesKey, Subject, TallyBatch, TallyObservation};
use std::collections::HashMap;
use std::path::Path;

const REQUIRED: [&str; 5] = ["date", "claimant", "subject", "category", "cumulative"];

/// Parses the long CSV.
pub fn parse_csv(file: &Path, bytes: &[u8]) -> Result<TallyBatch, IngestError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut idx = [0usize; 5];
    for (slot, name) in idx.iter_mut().zip(REQUIRED) {
        *slot = col(name).ok_or_else(|| {
            IngestError::field(
                file,
                Record::Line(1),
                name,
                format!("missing column; the header must name {}", REQUIRED.join(",")),
            )
        })?;
    }
    let qualifier_col = col("qualifier");
    let mut batch = TallyBatch::default();
    // Last (date, cumulative, line) per series, to check order and duplicates.
    let mut last: HashMap<SeriesKey, (NaiveDate, i64, u64)> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let line = row.position().map_or(0, |p| p.line());
        let rec = Record::Line(line);
        let get = |i: usize| row.get(i).unwrap_or("");
        let date_s = get(idx[0]);
        let date = NaiveDate::parse_from_str(date_s, "%Y-%m-%d")
            .map_err(|_| IngestError::field(file, rec, "date", format!("`{date_s}` is not a date (YYYY-MM-DD)")))?;
        let claimant = Claimant::new(get(idx[1]));
        if claimant.is_empty() {
            return Err(IngestError::field(file, rec, "claimant", "empty"));
        }
        let subject = Subject::new(get(idx[2]));
        if subject.is_empty() {
            return Err(IngestError::field(file, rec, "subject", "empty"));
        }
        let category = Category::new(get(idx[3]));
        if category.is_empty() {
            return Err(IngestError::field(file, rec, "category", "empty"));
        }
        let cum_s = get(idx[4]);
        let cumulative: i64 = cum_s
            .parse()
            .map_err(|_| IngestError::field(file, rec, "cumulative", format!("`{cum_s}` is not a whole number")))?;
        if cumulative < 0 {
            return Err(IngestError::field(
                file,
                rec,
                "cumulative",
                format!("cumulative count {cumulative} is negative"),
            ));
        }
        if cumulative > frontline_model::limits::MAX_TALLY_FIGURE {
            return Err(IngestError::field(
                file,
                rec,
                "cumulative",
                format!(
                    "{cumulative} is beyond the plausible range of a tally (±{})",
                    frontline_model::limits::MAX_TALLY_FIGURE
                ),
            ));
        }
        let key = SeriesKey {
            claimant,
            subject,
            category,
        };
        if let Some(&(prev_date, prev_value, prev_line)) = last.get(&key) {
            if date == prev_date && cumulative == prev_value {
                continue;
            }
            if date == prev_date {
                return Err(IngestError::field(
                    file,
                    rec,
                    "cumulative",
                    format!(
                        "{date} appears twice for this series with different values (lines {prev_line} and {line})"
                    ),
                ));
            }
            if date < prev_date {
                return Err(IngestError::field(
                    file,
                    rec,
                    "date",
                    format!("dates out of order for this series: {date} comes after {prev_date} (line {prev_line})"),
                ));
            }
        }
        last.insert(key.clone(), (date, cumulative, line));
        let qualifier = qualifier_col.map(get).filter(|q| !q.is_empty()).map(str::to_string);
        batch.observations.push(TallyObservation {
            key,
            date,
            cumulative,
            qualifier,
        });
    }
    if batch.observations.is_empty() {
        return Err(IngestError::shape(file, "no data rows"));
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<TallyBatch, IngestError> {
        parse_csv(Path::new("t.csv"), s.as_bytes())
    }

    #[test]
    fn reads_rows_in_any_column_order() {
        let b = parse("category,date,cumulative,claimant,subject\ntank,2024-01-01,10,UA MoD,Russia\ntank,2024-01-02,12,UA MoD,Russia\n")
            .unwrap();
        assert_eq!(b.observations.len(), 2);
        assert_eq!(b.observations[1].cumulative, 12);
        assert_eq!(b.observations[1].key.claimant.as_str(), "ua-mod");
    }

    #[test]
    fn errors_name_line_and_field() {
        let h = "date,claimant,subject,category,cumulative\n";
        let cases = [
            (
                format!("{h}2024-01-01,a,b,tank,x\n"),
                "line 2: field `cumulative`: `x` is not a whole number",
            ),
            (
                format!("{h}2024-01-01,a,b,tank,-1\n"),
                "line 2: field `cumulative`: cumulative count -1 is negative",
            ),
            (format!("{h}2024-02-30,a,b,tank,1\n"), "line 2: field `date`"),
            (
                format!("{h}2024-01-02,a,b,tank,1\n2024-01-01,a,b,tank,2\n"),
                "line 3: field `date`: dates out of order",
            ),
            (
                format!("{h}2024-01-01,a,b,tank,1\n2024-01-01,a,b,tank,2\n"),
                "line 3: field `cumulative`: 2024-01-01 appears twice",
            ),
            (
                "date,claimant,subject,cumulative\n".to_string(),
                "line 1: field `category`: missing column",
            ),
            (format!("{h}2024-01-01,a,b,tank\n"), "malformed CSV at line 2"),
        ];
        for (input, want) in cases {
            let err = parse(&input).unwrap_err().to_string();
            assert!(err.starts_with("t.csv: ") && err.contains(want), "{input}: {err}");
        }
    }

    #[test]
    fn series_are_ordered_independently() {
        let b =
            parse("date,claimant,subject,category,cumulative\n2024-01-02,a,b,tank,1\n2024-01-01,a,b,apc,2\n").unwrap();
        assert_eq!(b.observations.len(), 2);
    }
}
