//! Tabular output in the three formats every query offers.

use anyhow::Result;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Write;

/// Output formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns for people.
    #[default]
    Table,
    /// Comma-separated with a header line.
    Csv,
    /// An array of flat objects.
    Json,
}

/// Rows of flat records with a fixed column order.
pub struct Rows {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    single: bool,
}

/// An answer that renders as rows: a list of typed records, or one.
pub trait Tabular {
    /// The rows.
    fn rows(&self) -> Result<Rows>;
    /// Compact JSON of the typed answer itself (what the API sends): the
    /// same objects as [`Rows`] renders, without building them cell by cell.
    fn json(&self) -> Result<Vec<u8>>;
}

/// [`Tabular`] for an answer that is one row (`one: Type`), or one of
/// several tables (`Type: Variant, …`, each variant holding a `Vec` of
/// rows); its JSON is the answer itself.
macro_rules! tabular {
    (one: $t:ty) => {
        impl $crate::output::Tabular for $t {
            fn rows(&self) -> anyhow::Result<$crate::output::Rows> {
                $crate::output::Rows::one(self)
            }
            fn json(&self) -> anyhow::Result<Vec<u8>> {
                Ok(serde_json::to_vec(self)?)
            }
        }
    };
    ($t:ty: $($variant:ident),+) => {
        impl $crate::output::Tabular for $t {
            fn rows(&self) -> anyhow::Result<$crate::output::Rows> {
                match self {
                    $(Self::$variant(rows) => $crate::output::Rows::of(rows),)+
                }
            }
            fn json(&self) -> anyhow::Result<Vec<u8>> {
                Ok(serde_json::to_vec(self)?)
            }
        }
    };
}
pub(crate) use tabular;

impl<T: Serialize + JsonSchema> Tabular for Vec<T> {
    fn rows(&self) -> Result<Rows> {
        Rows::of(self)
    }
    fn json(&self) -> Result<Vec<u8>> {
        Ok(serde_json::to_vec(self)?)
    }
}

impl Rows {
    /// An empty table with these columns.
    pub fn new(columns: &[&str]) -> Self {
        Rows {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            single: false,
        }
    }

    /// Typed records as rows. Columns are the fields of the first record
    /// (optional columns absent from it are absent from all), or, with no
    /// record, every field of the type's schema, in declaration order.
    pub fn of<T: Serialize + JsonSchema>(items: &[T]) -> Result<Self> {
        let objects: Vec<Map<String, Value>> = items
            .iter()
            .map(|i| match serde_json::to_value(i)? {
                Value::Object(m) => Ok(m),
                other => anyhow::bail!("a record must serialize as an object, not {other}"),
            })
            .collect::<Result<_>>()?;
        let columns: Vec<String> = match objects.first() {
            Some(o) => o.keys().cloned().collect(),
            None => schema_columns::<T>(),
        };
        let rows = objects
            .into_iter()
            .map(|mut o| columns.iter().map(|c| o.remove(c).unwrap_or(Value::Null)).collect())
            .collect();
        Ok(Rows {
            columns,
            rows,
            single: false,
        })
    }

    /// One record that JSON shows as an object rather than an array.
    pub fn one<T: Serialize + JsonSchema>(item: &T) -> Result<Self> {
        let mut r = Rows::of(std::slice::from_ref(item))?;
        r.single = true;
        Ok(r)
    }

    /// Appends a row; values in column order.
    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// The column names, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows' values, in column order.
    pub fn values(&self) -> &[Vec<Value>] {
        &self.rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The last `n` rows only.
    pub fn tail(mut self, n: usize) -> Self {
        let skip = self.rows.len().saturating_sub(n);
        self.rows.drain(..skip);
        self
    }

    /// Renders in `format` to bytes.
    pub fn render(&self, format: OutputFormat) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.write(format, &mut buf)?;
        Ok(buf)
    }

    /// Writes in `format` to `out`.
    pub fn write(&self, format: OutputFormat, out: &mut dyn Write) -> Result<()> {
        match format {
            OutputFormat::Json => self.write_json(out),
            OutputFormat::Csv => self.write_csv(out),
            OutputFormat::Table => self.write_table(out),
        }
    }

    /// Writes the rows as lines, for an answer written as it grows (the
    /// CLI's `--follow`): JSON as one compact object a line (JSON Lines);
    /// CSV and tables with their header only when `header`.
    pub fn write_lines(&self, format: OutputFormat, out: &mut dyn Write, header: bool) -> Result<()> {
        if format == OutputFormat::Json {
            for r in &self.rows {
                let obj: Map<String, Value> = self.columns.iter().cloned().zip(r.iter().cloned()).collect();
                writeln!(out, "{}", Value::Object(obj))?;
            }
            return Ok(());
        }
        let text = self.render(format)?;
        let skip = if header {
            0
        } else {
            text.iter().position(|b| *b == b'\n').map_or(text.len(), |i| i + 1)
        };
        out.write_all(&text[skip..])?;
        Ok(())
    }

    fn write_json(&self, out: &mut dyn Write) -> Result<()> {
        let array: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let obj: Map<String, Value> = self
                    .columns
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.clone(), v.clone()))
                    .collect();
                Value::Object(obj)
            })
            .collect();
        match (self.single, array.first()) {
            (true, Some(obj)) => serde_json::to_writer_pretty(&mut *out, obj)?,
            _ => serde_json::to_writer_pretty(&mut *out, &array)?,
        }
        writeln!(out)?;
        Ok(())
    }

    fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        for r in &self.rows {
            w.write_record(r.iter().map(text))?;
        }
        w.flush()?;
        Ok(())
    }

    fn write_table(&self, out: &mut dyn Write) -> Result<()> {
        let cells: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(text).collect()).collect();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cells
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([c.len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = (0..self.columns.len())
            .map(|i| self.rows.iter().all(|r| r[i].is_number() || r[i].is_null()))
            .collect();
        let line = |vals: Vec<&str>| -> String {
            vals.iter()
                .enumerate()
                .map(|(i, v)| {
                    if numeric[i] {
                        format!("{v:>w$}", w = widths[i])
                    } else {
                        format!("{v:<w$}", w = widths[i])
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        writeln!(out, "{}", line(self.columns.iter().map(String::as_str).collect()))?;
        for r in &cells {
            writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    }
}

/// The property names of a record type's schema, in order.
fn schema_columns<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A value as a table or CSV cell: strings bare, null empty, numbers as in JSON.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        // A negative zero from any computation prints as zero.
        Value::Number(n) if n.as_f64() == Some(0.0) => "0".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, JsonSchema)]
    struct Day {
        date: String,
        value: i64,
    }

    #[test]
    fn typed_records_keep_field_order_and_empty_answers_keep_their_header() {
        let r = Rows::of(&[Day {
            date: "2024-11-11".into(),
            value: 1770,
        }])
        .unwrap();
        assert_eq!(
            String::from_utf8(r.render(OutputFormat::Csv).unwrap()).unwrap(),
            "date,value\n2024-11-11,1770\n"
        );
        let empty = Rows::of::<Day>(&[]).unwrap();
        assert_eq!(
            String::from_utf8(empty.render(OutputFormat::Csv).unwrap()).unwrap(),
            "date,value\n"
        );
        assert_eq!(
            String::from_utf8(empty.render(OutputFormat::Json).unwrap()).unwrap(),
            "[]\n"
        );
    }

    fn sample() -> Rows {
        let mut r = Rows::new(&["date", "value", "mean"]);
        r.push(vec![json!("2024-11-11"), json!(1770), Value::Null]);
        r.push(vec![json!("2024-11-12"), json!(1950), json!(1860.0)]);
        r
    }

    fn render(format: OutputFormat) -> String {
        let mut buf = Vec::new();
        sample().write(format, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn csv_has_header_and_empty_nulls() {
        assert_eq!(
            render(OutputFormat::Csv),
            "date,value,mean\n2024-11-11,1770,\n2024-11-12,1950,1860.0\n"
        );
    }

    #[test]
    fn json_is_flat_objects_in_column_order() {
        let v: Value = serde_json::from_str(&render(OutputFormat::Json)).unwrap();
        assert_eq!(v[0], json!({"date": "2024-11-11", "value": 1770, "mean": null}));
        assert!(render(OutputFormat::Json).find("\"date\"") < render(OutputFormat::Json).find("\"value\""));
    }

    #[test]
    fn table_right_aligns_numbers() {
        let t = render(OutputFormat::Table);
        assert_eq!(t.lines().nth(1), Some("2024-11-11   1770"));
    }
}
