//! One classification of failures, shared by every error enum.

/// How a failure is to be reported: whose fault it is decides the HTTP
/// status and the CLI exit code. Every error enum of Frontline classifies
/// itself; anything unclassified is internal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The request is malformed or names nothing (400).
    BadRequest,
    /// The thing asked for does not exist (404).
    NotFound,
    /// The request conflicts with stored state (409).
    Conflict,
    /// The request is too large (413).
    TooLarge,
    /// No or a wrong credential (401).
    Unauthenticated,
    /// A credential without the right (403).
    Forbidden,
    /// The service cannot answer now; the caller may retry (503).
    Unavailable,
    /// A fault of the program or its environment (500).
    Internal,
}

/// An error that knows whose fault it is. The default is internal: a
/// failure nobody classified is never blamed on the caller.
pub trait Classify {
    /// This error's class.
    fn class(&self) -> ErrorClass {
        ErrorClass::Internal
    }
}
