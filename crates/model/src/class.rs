//! One classification of failures, shared by every error enum.
//!
//! Each error enum classifies itself ([`Classify`]) and registers that with
//! [`classified!`](crate::classified) next to its definition. [`class_of`]
//! walks an error's chain and asks the registered classifiers, so no place
//! holds a list of error types: a new enum in a new crate is classified as
//! soon as that crate is linked.

use std::error::Error;

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

/// One registered classifier: the class of an error if it is of the
/// registering type. Made by [`classified!`](crate::classified).
pub struct Classifier(pub fn(&(dyn Error + 'static)) -> Option<ErrorClass>);

inventory::collect!(Classifier);

/// Registers a [`Classify`] error type, next to its definition, so that
/// [`class_of`] finds it anywhere in a chain.
#[macro_export]
macro_rules! classified {
    ($t:ty) => {
        $crate::inventory::submit! {
            $crate::Classifier(|e| e.downcast_ref::<$t>().map($crate::Classify::class))
        }
    };
}

/// The class of an error: that of the first cause in its chain (itself,
/// then each `source()`) of a registered type, else internal.
pub fn class_of(e: &(dyn Error + 'static)) -> ErrorClass {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if let Some(class) = inventory::iter::<Classifier>.into_iter().find_map(|k| (k.0)(c)) {
            return class;
        }
        cause = c.source();
    }
    ErrorClass::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Refused;
    impl std::fmt::Display for Refused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("refused")
        }
    }
    impl Error for Refused {}
    impl Classify for Refused {
        fn class(&self) -> ErrorClass {
            ErrorClass::Conflict
        }
    }
    crate::classified!(Refused);

    /// Wraps another error, as a context does.
    #[derive(Debug)]
    struct While(Box<dyn Error + Send + Sync>);
    impl std::fmt::Display for While {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("while answering")
        }
    }
    impl Error for While {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&*self.0)
        }
    }

    #[test]
    fn a_registered_type_is_found_anywhere_in_the_chain_and_the_rest_is_internal() {
        assert_eq!(class_of(&Refused), ErrorClass::Conflict);
        assert_eq!(class_of(&While(Box::new(Refused))), ErrorClass::Conflict);
        let io = std::io::Error::other("disk");
        assert_eq!(class_of(&io), ErrorClass::Internal);
        assert_eq!(class_of(&While(Box::new(io))), ErrorClass::Internal);
    }
}
