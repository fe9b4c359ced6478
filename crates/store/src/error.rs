use thiserror::Error;

/// A storage failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database file was written by a newer Frontline.
    #[error("database schema version {found} is newer than this program understands ({supported}); upgrade Frontline")]
    SchemaTooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A geometry could not be encoded or decoded.
    #[error("geometry encoding: {0}")]
    Geometry(String),
    /// A stored value could not be read back (a damaged or hand-edited file).
    #[error("corrupt stored value in {table}.{column}: {value}")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The offending text.
        value: String,
    },
}
