//! Live connectors: `frontline sync SOURCE` fetches what a source published
//! since the last run, keeps the bytes it fetched (content-addressed, so
//! any stored figure traces back to them through its source's SHA-256),
//! imports them through the same code as a file import, and records the
//! run for `sources --health`.
//!
//! This layer sits above the app: the app knows no HTTP, the connectors know
//! no SQL.

pub mod deepstate;
pub mod error;
pub mod fetch;
pub mod health;

pub use error::{SyncError, classify};
pub use fetch::FetchConfig;

/// What one run did.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct SyncReport {
    /// The source.
    pub source: String,
    /// HTTP requests made.
    pub requests: usize,
    /// Records imported.
    pub new_records: usize,
    /// In a line.
    pub message: String,
}
