use frontline_model::{Classify, ErrorClass};
use thiserror::Error;

/// A storage failure, whichever backend raised it.
///
/// No backend's own error type appears here: callers (the app, the server,
/// the CLI) must be able to react to a failure without knowing whether the
/// store is SQLite or PostgreSQL. Each backend maps its errors into these
/// variants in one place (`sqlite::map_error`, `postgres::map_error`).
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached or opened (a wrong path, host,
    /// port, user or password). The message names what was tried.
    #[error("cannot open the database {target}: {reason}")]
    Unreachable {
        /// The path or URL, without any password.
        target: String,
        /// What the backend said.
        reason: String,
    },
    /// The database URL itself is malformed or names an unknown backend.
    #[error("{0}")]
    BadUrl(String),
    /// The database is usable only after an administrator acts (for
    /// example PostGIS is missing from a PostgreSQL database).
    #[error("{0}")]
    Setup(String),
    /// Another writer holds the database and did not let go in time.
    #[error("the database is busy with another write; try again shortly ({0})")]
    Busy(String),
    /// The write conflicts with what is stored (a token name in use).
    #[error("{0}")]
    Conflict(String),
    /// The database reported any other error.
    #[error("database error: {0}")]
    Backend(String),
    /// A command that only reads was pointed at no database (a missing or
    /// empty file), or at one an older Frontline wrote: reads never create
    /// or migrate one.
    #[error("{0}")]
    NoDatabase(String),
    /// The database was written by a newer Frontline.
    #[error("database schema version {found} is newer than this program understands ({supported}); upgrade Frontline")]
    SchemaTooNew {
        /// Version in the database.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A write through a read-only view (a store as of a past day).
    #[error("{0}")]
    ReadOnly(String),
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

frontline_model::classified!(StoreError);

impl Classify for StoreError {
    fn class(&self) -> ErrorClass {
        match self {
            // A malformed `--db` or a database without PostGIS: the
            // operator's to fix, and nothing internal to hide.
            StoreError::BadUrl(_) | StoreError::Setup(_) | StoreError::ReadOnly(_) => ErrorClass::BadRequest,
            StoreError::NoDatabase(_) => ErrorClass::NotFound,
            StoreError::Unreachable { .. } => ErrorClass::Unavailable,
            StoreError::SchemaTooNew { .. } | StoreError::Conflict(_) => ErrorClass::Conflict,
            StoreError::Busy(_) => ErrorClass::Unavailable,
            StoreError::Backend(_) | StoreError::Geometry(_) | StoreError::Corrupt { .. } => ErrorClass::Internal,
        }
    }
}

/// A stored control layer's status read back; a word no status has is a
/// damaged or hand-edited row (both backends read it alike).
pub(crate) fn layer_status(text: &str) -> Result<frontline_model::ControlStatus, StoreError> {
    frontline_model::ControlStatus::parse(text).ok_or_else(|| StoreError::Corrupt {
        table: "control_layer",
        column: "status",
        value: text.to_string(),
    })
}

/// A place's recorded status read back (`None`: outside every layer).
pub(crate) fn change_status(text: Option<&str>) -> Result<Option<frontline_model::ControlStatus>, StoreError> {
    text.map(|t| {
        frontline_model::ControlStatus::parse(t).ok_or_else(|| StoreError::Corrupt {
            table: "control_place_change",
            column: "status",
            value: t.to_string(),
        })
    })
    .transpose()
}
