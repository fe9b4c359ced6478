//! What can go wrong talking to a source, classified once.

use frontline_model::class::{Classify, ErrorClass};
use frontline_store::StoreError;

/// A sync failure, naming the URL and saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No answer: refused, timed out, reset.
    #[error("{url}: no answer ({reason})")]
    Unreachable {
        /// What was asked.
        url: String,
        /// Why there was no answer.
        reason: String,
    },
    /// An answer that is not the data.
    #[error("{url}: HTTP {status}: {hint}")]
    Status {
        /// What was asked.
        url: String,
        /// The status.
        status: u16,
        /// What it likely means and what to do.
        hint: String,
    },
    /// An answer that does not look like what the source sends: its format
    /// changed, or the body is cut or too large. Nothing is imported.
    #[error("{url}: {reason}")]
    Protocol {
        /// What was asked.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The client could not be set up.
    #[error("sync setup: {0}")]
    Setup(String),
    /// The sync configuration (file or flags) is wrong.
    #[error("sync configuration: {0}")]
    Config(String),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

frontline_model::classified!(SyncError);

impl Classify for SyncError {
    fn class(&self) -> ErrorClass {
        match self {
            // Upstream trouble: try again later (exit 4, 503).
            SyncError::Unreachable { .. } => ErrorClass::Unavailable,
            SyncError::Status { status, .. } if *status == 429 || *status >= 500 => ErrorClass::Unavailable,
            // A wrong base URL, path or key: the caller's to fix.
            SyncError::Status { .. } => ErrorClass::BadRequest,
            // The source changed under us: refused, kept for a person.
            SyncError::Protocol { .. } => ErrorClass::Conflict,
            SyncError::Store(e) => e.class(),
            SyncError::Setup(_) => ErrorClass::Internal,
            SyncError::Config(_) => ErrorClass::BadRequest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    /// The app's one classifier knows a type it never names, because this
    /// crate registered it: a sync failure inside a context is still "try
    /// again later", and a store error inside a sync error keeps its class.
    #[test]
    fn the_apps_classifier_finds_a_sync_error_it_never_names() {
        let down: Result<(), SyncError> = Err(SyncError::Unreachable {
            url: "http://x/".into(),
            reason: "refused".into(),
        });
        let e = down.context("syncing deepstate").unwrap_err();
        assert_eq!(frontline_app::error::classify(&e), ErrorClass::Unavailable);
        let wrong = anyhow::Error::from(SyncError::Status {
            status: 404,
            url: "http://x/".into(),
            hint: "wrong path".into(),
        });
        assert_eq!(frontline_app::error::classify(&wrong), ErrorClass::BadRequest);
        let busy = anyhow::Error::from(SyncError::Store(StoreError::Busy("locked".into())));
        assert_eq!(frontline_app::error::classify(&busy), ErrorClass::Unavailable);
    }
}
