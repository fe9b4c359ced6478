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

impl ErrorClass {
    /// The HTTP status code of this class.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorClass::BadRequest => 400,
            ErrorClass::NotFound => 404,
            ErrorClass::Conflict => 409,
            ErrorClass::TooLarge => 413,
            ErrorClass::Unauthenticated => 401,
            ErrorClass::Forbidden => 403,
            ErrorClass::Unavailable => 503,
            ErrorClass::Internal => 500,
        }
    }

    /// The CLI exit code of this class: 1 for what the user can fix, 3 for
    /// a refused credential, 4 for "try again", 70 (EX_SOFTWARE) for faults.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::BadRequest | ErrorClass::NotFound | ErrorClass::Conflict | ErrorClass::TooLarge => 1,
            ErrorClass::Unauthenticated | ErrorClass::Forbidden => 3,
            ErrorClass::Unavailable => 4,
            ErrorClass::Internal => 70,
        }
    }
}

/// An error that knows whose fault it is. The default is internal: a
/// failure nobody classified is never blamed on the caller.
pub trait Classify {
    /// This error's class.
    fn class(&self) -> ErrorClass {
        ErrorClass::Internal
    }
}
