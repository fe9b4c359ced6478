//! Errors that say the request, not the program, is at fault, and the one
//! place every failure is classified.
//!
//! Each error enum of Frontline classifies itself ([`Classify`]) and
//! registers that where it is defined; [`classify`] walks an error's chain
//! and takes the first class it finds.
//! A failure nobody classified is internal: a 500 with a logged id for the
//! server, exit 70 for the CLI. It is never blamed on the caller.

use frontline_model::{Classify, ErrorClass};
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

frontline_model::classified!(UserError);

impl Classify for UserError {
    fn class(&self) -> ErrorClass {
        match self {
            UserError::NotFound(_) => ErrorClass::NotFound,
            UserError::BadRequest(_) => ErrorClass::BadRequest,
            UserError::Conflict(_) => ErrorClass::Conflict,
        }
    }
}

/// The class of any error: that of the first classified cause in its
/// chain, else internal. Every error enum registers itself where it is
/// defined (`frontline_model::classified!`), so this holds no list of types.
pub fn classify(e: &anyhow::Error) -> ErrorClass {
    frontline_model::class_of(e.as_ref())
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
    use frontline_store::StoreError;

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
