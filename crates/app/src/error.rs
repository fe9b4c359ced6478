//! Errors that say the request, not the program, is at fault.

use thiserror::Error;

/// A query that cannot be answered as asked. The HTTP layer maps these to
/// 404 and 400; everything else is an internal error.
#[derive(Debug, Error)]
pub enum UserError {
    /// The thing asked for does not exist (an unknown category, place…).
    #[error("{0}")]
    NotFound(String),
    /// A parameter is missing or wrong.
    #[error("{0}")]
    BadRequest(String),
}
