//! Parsers from source files to [`frontline_model`] values.
//!
//! Parsers take bytes and the file's name (for error messages) and return
//! model values or an [`IngestError`] that names the file, the record and the
//! field. They never touch a database: storing is `frontline-store`'s job, so
//! a file that fails to parse changes nothing.

pub mod claims;
pub mod claims_extract;
pub mod counts;
mod error;
pub mod losses;
pub mod source;
pub mod tallies;
pub mod territory;

pub use error::{IngestError, Record};
pub use source::{SourceFile, sha256_hex};
