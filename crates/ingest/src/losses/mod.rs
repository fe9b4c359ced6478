//! Per-item loss lists: the Oryx scrape, WarSpotting, and a generic CSV/JSON.
//!
//! Parsers return good items and the bad rows with their reasons; the caller
//! decides whether one bad row fails the import (`--strict`) or is written to
//! a reject file.

mod category;
mod generic;
mod oryx;
mod oryx_page;
mod warspotting;

pub use category::{classify_system, warspotting_category};
pub use generic::{parse_generic_csv, parse_generic_json};
pub use oryx::{UrlDate, event_date_from_url, parse_oryx, url_date};
pub use oryx_page::{ORYX_HEADINGS, OryxCategory, OryxPage, heading_key, parse_oryx_page};
pub use warspotting::{WARSPOTTING_FIELDS, WarSpottingPage, parse_warspotting, parse_warspotting_json};

use crate::{IngestError, Record};
use frontline_model::EvidenceItem;
use std::fmt;
use std::path::{Path, PathBuf};

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The file.
    pub file: PathBuf,
    /// Where in it.
    pub record: Record,
    /// Which field.
    pub field: String,
    /// What is wrong.
    pub reason: String,
    /// The raw row, for the reject file.
    pub raw: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: field `{}`: {}",
            self.file.display(),
            self.record,
            self.field,
            self.reason
        )
    }
}

/// Ids seen in one file. A list names each item once: the same id twice
/// with different content would silently become two versions of one item
/// (#12.6), so the repeat is rejected (an error with `--strict`); an exact
/// repeat is dropped.
#[derive(Default)]
pub(crate) struct SeenIds(std::collections::HashMap<String, (Record, EvidenceItem)>);

impl SeenIds {
    /// `Ok(true)`: keep the item; `Ok(false)`: an exact repeat, drop it;
    /// `Err(reason)`: a conflicting repeat, reject the row.
    pub(crate) fn check(&mut self, rec: Record, item: &EvidenceItem) -> Result<bool, String> {
        match self.0.get(&item.key) {
            None => {
                self.0.insert(item.key.clone(), (rec, item.clone()));
                Ok(true)
            }
            Some((_, first)) if first == item => Ok(false),
            Some((at, _)) => Err(format!(
                "id `{}` is listed again with different content (first at {at}); a list names an item once",
                item.key
            )),
        }
    }
}

impl From<Reject> for IngestError {
    fn from(r: Reject) -> Self {
        IngestError::Field {
            file: r.file,
            record: r.record,
            field: r.field,
            message: r.reason,
        }
    }
}

/// Good items and rejected rows of one file.
#[derive(Debug, Clone, Default)]
pub struct LossParse {
    /// Items read.
    pub items: Vec<EvidenceItem>,
    /// Rows that could not be read.
    pub rejects: Vec<Reject>,
    /// Items kept without an event date because the date they carried
    /// cannot be right (before the war began, or after the item was first
    /// seen).
    pub dates_unreadable: usize,
}

/// Loss-list layouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LossFormat {
    /// scarnecchia/oryx_data `event_*.csv`.
    Oryx,
    /// WarSpotting `losses.csv`.
    WarSpotting,
    /// Generic CSV or JSON (by extension) under a source name.
    Generic(String),
}

/// Parses one file.
pub fn parse_losses(
    file: &Path,
    bytes: &[u8],
    format: &LossFormat,
    recorded: chrono::DateTime<chrono::Utc>,
) -> Result<LossParse, IngestError> {
    match format {
        LossFormat::Oryx => parse_oryx(file, bytes, recorded),
        LossFormat::WarSpotting => parse_warspotting(file, bytes, recorded),
        LossFormat::Generic(source) => {
            let json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if json {
                parse_generic_json(file, bytes, source, recorded)
            } else {
                parse_generic_csv(file, bytes, source, recorded)
            }
        }
    }
}

/// Reads a CSV's header and finds required columns, naming the missing one.
pub(crate) fn columns<const N: usize>(
    file: &Path,
    headers: &csv::StringRecord,
    names: [&str; N],
) -> Result<[usize; N], IngestError> {
    let mut out = [0usize; N];
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| IngestError::field(file, Record::Line(1), name, "missing column"))?;
    }
    Ok(out)
}

pub(crate) fn reject(
    file: &Path,
    line: u64,
    field: &str,
    reason: impl Into<String>,
    row: &csv::StringRecord,
) -> Reject {
    Reject {
        file: file.to_path_buf(),
        record: Record::Line(line),
        field: field.to_string(),
        reason: reason.into(),
        raw: row.iter().collect::<Vec<_>>().join(","),
    }
}
