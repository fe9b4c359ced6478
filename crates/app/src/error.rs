//! Errors that say the request, not the program, is at fault, and the one
//! place every failure is classified.
//!
//! Each error enum of Frontline classifies itself ([`Classify`]);
//! [`classify`] walks an error's chain and takes the first class it finds.
//! A failure nobody classified is internal: a 500 with a logged id for the
//! server, exit 70 for the CLI. It is never blamed on the caller.

use frontline_ingest::IngestError;
use frontline_model::{Classify, ErrorClass};
use frontline_store::StoreError;
use thiserror::Error;

/// A query that cannot be answered as asked.
#[derive(Debug, Error)]
pub enum UserError {
    /// The thing asked for does not exist (an unknown category, place…).
    #[error("{0}")]
    NotFound(String),
    /// A parameter is missing or wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The request conflicts with what is stored (e.g. a list that shrank).
    #[error("{0}")]
    Conflict(String),
}

impl Classify for UserError {
    fn class(&self) -> ErrorClass {
        match self {
            UserError::NotFound(_) => ErrorClass::NotFound,
            UserError::BadRequest(_) => ErrorClass::BadRequest,
            UserError::Conflict(_) => ErrorClass::Conflict,
        }
    }
}

/// The class of any error: the first classified error in its chain, else
/// internal.
pub fn classify(e: &anyhow::Error) -> ErrorClass {
    for cause in e.chain() {
        if let Some(c) = cause.downcast_ref::<UserError>() {
            return c.class();
        }
        if let Some(c) = cause.downcast_ref::<IngestError>() {
            return c.class();
        }
        if let Some(c) = cause.downcast_ref::<StoreError>() {
            return c.class();
        }
    }
    ErrorClass::Internal
}

/// An error for a malformed request (400, exit 1), from `format!` arguments.
macro_rules! bad {
    ($($t:tt)*) => { anyhow::Error::from($crate::error::UserError::BadRequest(format!($($t)*))) };
}

/// An error for something asked for that does not exist (404, exit 1).
macro_rules! missing {
    ($($t:tt)*) => { anyhow::Error::from($crate::error::UserError::NotFound(format!($($t)*))) };
}

/// Returns a [`bad!`] error.
macro_rules! bail_bad {
    ($($t:tt)*) => { return Err(anyhow::Error::from($crate::error::UserError::BadRequest(format!($($t)*)))) };
}

/// Returns a [`missing!`] error.
macro_rules! bail_missing {
    ($($t:tt)*) => { return Err(anyhow::Error::from($crate::error::UserError::NotFound(format!($($t)*)))) };
}

pub(crate) use {bad, bail_bad, bail_missing, missing};

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn the_first_classified_cause_decides_and_the_default_is_internal() {
        let e: anyhow::Error = UserError::NotFound("x".into()).into();
        assert_eq!(classify(&e.context("while answering")), ErrorClass::NotFound);
        let store: anyhow::Error = StoreError::Busy("locked".into()).into();
        assert_eq!(classify(&store), ErrorClass::Unavailable);
        let plain = anyhow::anyhow!("something nobody classified");
        assert_eq!(classify(&plain), ErrorClass::Internal);
        let io: Result<(), std::io::Error> = Err(std::io::Error::other("disk"));
        assert_eq!(classify(&io.context("writing").unwrap_err()), ErrorClass::Internal);
    }
}
