//! `diff`: one query asked at two knowledge days, its rows compared
//! (docs/schema-and-dates.md).

use crate::as_of::on;
use crate::error::UserError;
use crate::output::Rows;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_store::Store;
use serde_json::Value;

/// Most rows a diff compares on each side: a diff holds both answers.
pub const MAX_DIFF_ROWS: usize = 100_000;
/// Most imports and sync runs a diff lists (the newest; the totals are
/// given): an archive imported after both days would list every file.
pub const MAX_LISTED: usize = 50;

/// One query asked at two knowledge days: the rows added, removed and
/// changed, each change with both values, and the imports and sync runs
/// recorded between the two days (what can have changed it).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Diff {
    /// The earlier knowledge day (`null`: now).
    pub before: Option<NaiveDate>,
    /// The later knowledge day (`null`: now).
    pub after: Option<NaiveDate>,
    /// The columns that identify a row (its leading non-numeric ones).
    pub key: Vec<String>,
    /// `change` (`added`, `removed`, `changed`), the key columns, then
    /// `COLUMN_before` and `COLUMN_after` for every other column.
    pub rows: Vec<serde_json::Map<String, Value>>,
    /// Imports recorded after the earlier day, up to the later one: the
    /// newest [`MAX_LISTED`].
    pub imports: Vec<crate::answers::Source>,
    /// How many imports the span holds in all.
    pub imports_total: usize,
    /// Sync runs started in the same span, `source started_at ok|failed
    /// new_records`: the newest [`MAX_LISTED`].
    pub sync_runs: Vec<String>,
    /// How many sync runs the span holds in all.
    pub sync_runs_total: usize,
}

impl crate::output::Tabular for Diff {
    fn rows(&self) -> Result<Rows> {
        let mut columns: Vec<String> = vec!["change".into()];
        columns.extend(self.key.iter().cloned());
        if let Some(first) = self.rows.first() {
            columns.extend(
                first
                    .keys()
                    .filter(|k| !columns.contains(k))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        }
        let names: Vec<&str> = columns.iter().map(String::as_str).collect();
        let mut out = Rows::new(&names);
        for r in &self.rows {
            out.push(
                columns
                    .iter()
                    .map(|c| r.get(c).cloned().unwrap_or(Value::Null))
                    .collect(),
            );
        }
        Ok(out)
    }
    fn json(&self) -> Result<Vec<u8>> {
        Ok(serde_json::to_vec(self)?)
    }
}

/// Runs `ask` at `before` and at `after` and compares the answers. The two
/// days must differ (`None` is now), and `before` must be the earlier.
pub fn diff(
    store: &mut dyn Store,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
    mut ask: impl FnMut(&mut dyn Store) -> Result<Rows>,
) -> Result<Diff> {
    let order = |d: Option<NaiveDate>| d.unwrap_or(NaiveDate::MAX);
    if order(before) == order(after) {
        return Err(UserError::BadRequest(format!(
            "`as_of` and `against` are the same time ({}): nothing can differ",
            before.map_or("today".into(), |d| d.to_string())
        ))
        .into());
    }
    let (before, after) = if order(before) < order(after) {
        (before, after)
    } else {
        (after, before)
    };
    let old = on(store, before, &mut ask)?;
    let new = on(store, after, &mut ask)?;
    for side in [&old, &new] {
        if side.len() > MAX_DIFF_ROWS {
            return Err(UserError::BadRequest(format!(
                "one side has {} rows, more than the {MAX_DIFF_ROWS} a diff compares; narrow the query",
                side.len()
            ))
            .into());
        }
    }
    let (key, rows) = compare(&old, &new);
    let between = |at: chrono::DateTime<chrono::Utc>| {
        let d = at.date_naive();
        before.is_none_or(|b| d > b) && after.is_none_or(|a| d <= a)
    };
    let imports: Vec<crate::answers::Source> = super::catalog::sources(store)?
        .into_iter()
        .filter(|s| {
            chrono::DateTime::parse_from_rfc3339(&s.imported_at).is_ok_and(|t| between(t.with_timezone(&chrono::Utc)))
        })
        .collect();
    let sync_runs: Vec<String> = store
        .sync_runs(None)?
        .into_iter()
        .filter(|r| between(r.started_at))
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.source,
                r.started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                if r.ok { "ok" } else { "failed" },
                r.new_records
            )
        })
        .collect();
    Ok(Diff {
        before,
        after,
        key,
        rows,
        imports_total: imports.len(),
        imports: newest(imports),
        sync_runs_total: sync_runs.len(),
        sync_runs: newest(sync_runs),
    })
}

/// The last [`MAX_LISTED`] of a list.
fn newest<T>(mut v: Vec<T>) -> Vec<T> {
    let skip = v.len().saturating_sub(MAX_LISTED);
    v.drain(..skip);
    v
}

/// The key columns and the changed rows of two answers of one query.
///
/// A row is identified by its leading columns that hold no number in
/// either answer (a date, a period, a name, a category), or by its first
/// column when the first holds numbers; rows with the same key are paired
/// in order. The other columns are compared as values.
fn compare(old: &Rows, new: &Rows) -> (Vec<String>, Vec<serde_json::Map<String, Value>>) {
    let columns: Vec<String> = if new.columns().is_empty() {
        old.columns().to_vec()
    } else {
        new.columns().to_vec()
    };
    let column = |rows: &Rows, name: &str| rows.columns().iter().position(|c| c == name);
    let numeric = |name: &str| {
        [old, new]
            .iter()
            .any(|r| column(r, name).is_some_and(|i| r.values().iter().any(|v| v.get(i).is_some_and(Value::is_number))))
    };
    let mut keys: Vec<String> = columns.iter().take_while(|c| !numeric(c)).cloned().collect();
    if keys.is_empty() {
        keys.extend(columns.first().cloned());
    }
    let values: Vec<String> = columns.iter().filter(|c| !keys.contains(c)).cloned().collect();
    let cell = |rows: &Rows, row: &[Value], name: &str| column(rows, name).and_then(|i| row.get(i).cloned());
    let key_of = |rows: &Rows, row: &[Value]| -> Vec<Value> {
        keys.iter().map(|k| cell(rows, row, k).unwrap_or(Value::Null)).collect()
    };
    // Old rows by key, each key's rows in order, taken as they are paired.
    let mut pending: Vec<(Vec<Value>, &[Value])> =
        old.values().iter().map(|r| (key_of(old, r), r.as_slice())).collect();
    let mut out = Vec::new();
    let mut emit = |change: &str, key: &[Value], was: Option<&[Value]>, now: Option<&[Value]>| {
        let mut m = serde_json::Map::new();
        m.insert("change".into(), Value::String(change.into()));
        for (k, v) in keys.iter().zip(key) {
            m.insert(k.clone(), v.clone());
        }
        for c in &values {
            let b = was.and_then(|r| cell(old, r, c)).unwrap_or(Value::Null);
            let a = now.and_then(|r| cell(new, r, c)).unwrap_or(Value::Null);
            m.insert(format!("{c}_before"), b);
            m.insert(format!("{c}_after"), a);
        }
        out.push(m);
    };
    for r in new.values() {
        let k = key_of(new, r);
        match pending.iter().position(|(pk, _)| *pk == k) {
            Some(i) => {
                let (_, was) = pending.remove(i);
                let differs = values.iter().any(|c| cell(old, was, c) != cell(new, r, c));
                if differs {
                    emit("changed", &k, Some(was), Some(r));
                }
            }
            None => emit("added", &k, None, Some(r)),
        }
    }
    for (k, was) in pending {
        emit("removed", &k, Some(was), None);
    }
    (keys, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A table from lines of comma-separated cells, the first naming the
    /// columns; a cell that reads as a whole number is one.
    fn table(text: &str) -> Rows {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let columns: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let mut r = Rows::new(&columns);
        for line in lines {
            r.push(
                line.split(',')
                    .map(|c| c.parse::<i64>().map_or_else(|_| json!(c), |n| json!(n)))
                    .collect(),
            );
        }
        r
    }

    #[test]
    fn rows_are_matched_by_their_leading_text_columns() {
        let old = table(
            "period,side,count
             2024-09,russia,845
             2024-10,russia,700
             2024-11,russia,5",
        );
        let new = table(
            "period,side,count
             2024-09,russia,931
             2024-10,russia,700
             2024-12,russia,12",
        );
        let (key, out) = compare(&old, &new);
        assert_eq!(key, ["period", "side"]);
        let got: Vec<Value> = out.into_iter().map(Value::Object).collect();
        assert_eq!(
            got,
            vec![
                json!({"change": "changed", "period": "2024-09", "side": "russia", "count_before": 845, "count_after": 931}),
                json!({"change": "added", "period": "2024-12", "side": "russia", "count_before": null, "count_after": 12}),
                json!({"change": "removed", "period": "2024-11", "side": "russia", "count_before": 5, "count_after": null}),
            ]
        );
    }

    #[test]
    fn a_text_column_after_the_numbers_is_a_value() {
        let old = table("date,value,flags\n2024-11-02,1,");
        let new = table("date,value,flags\n2024-11-02,1,correction");
        let (key, out) = compare(&old, &new);
        assert_eq!(key, ["date"]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["flags_after"], json!("correction"));
    }
}
