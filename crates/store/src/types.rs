use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{SeriesKey, SourceKind, SourceMeta, TallyBatch};
use serde::Serialize;

/// One parsed tally file ready to store.
#[derive(Debug, Clone)]
pub struct TallyImport {
    /// Where it came from.
    pub meta: SourceMeta,
    /// What it holds.
    pub batch: TallyBatch,
}

/// What one file's import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Path or URL.
    pub location: String,
    /// The source's id (the earlier one when already imported).
    pub source_id: i64,
    /// True when these bytes were imported before and nothing was done.
    pub already_imported: bool,
    /// Records parsed from the file.
    pub records: usize,
    /// Records newly stored (new figures or revisions).
    pub added: usize,
}

/// An imported source as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRecord {
    /// Id.
    pub id: i64,
    /// Path or URL.
    pub location: String,
    /// Hex SHA-256.
    pub sha256: String,
    /// Parser used.
    pub kind: SourceKind,
    /// When imported.
    pub imported_at: DateTime<Utc>,
    /// Records parsed.
    pub records: usize,
    /// Records newly stored.
    pub added: usize,
}

/// A stored series and its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesSummary {
    /// Which series.
    pub key: SeriesKey,
    /// First day with a figure.
    pub first: NaiveDate,
    /// Last day with a figure.
    pub last: NaiveDate,
    /// Days with a figure.
    pub days: usize,
}
