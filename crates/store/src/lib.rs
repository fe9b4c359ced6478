//! Storage for Frontline.
//!
//! [`Store`] is the one interface the rest of the program sees. It is kept
//! narrow (whole imports in, model values out) so that a PostgreSQL backend
//! can implement it without analysis or CLI code changing. [`SqliteStore`] is
//! the embedded default: one file, nothing to start.

mod error;
mod sqlite;
mod types;

pub use error::StoreError;
pub use sqlite::SqliteStore;
pub use types::{ImportReport, SeriesSummary, SourceRecord, TallyImport};

use chrono::NaiveDate;
use frontline_model::{Claimant, SeriesKey, Subject, TallyNote, TallySeries};

/// What every storage backend provides.
///
/// Imports are atomic (all files of one call or none) and idempotent: a file
/// whose SHA-256 was imported before adds nothing, and a figure equal to the
/// one already stored is not stored again. A figure that differs from the
/// stored one is kept as a newer revision; the older one stays in history.
pub trait Store {
    /// Stores parsed tally files in one transaction.
    fn import_tallies(&mut self, files: &[TallyImport]) -> Result<Vec<ImportReport>, StoreError>;

    /// Every imported source, oldest first.
    fn sources(&self) -> Result<Vec<SourceRecord>, StoreError>;

    /// Every stored tally series with its date span.
    fn tally_catalog(&self) -> Result<Vec<SeriesSummary>, StoreError>;

    /// The current figures of one series, or `None` when it is not stored.
    fn tally_series(&self, key: &SeriesKey) -> Result<Option<TallySeries>, StoreError>;

    /// Text attributes of reports between two days, inclusive.
    fn tally_notes(
        &self,
        claimant: &Claimant,
        subject: &Subject,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<TallyNote>, StoreError>;
}
