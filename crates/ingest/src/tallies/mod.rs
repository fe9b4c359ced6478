//! Cumulative loss tallies: General Staff JSON and a generic long CSV.

mod csv_long;
mod general_staff;

use crate::{IngestError, SourceFile};
use frontline_model::{SourceKind, TallyBatch};

pub use csv_long::parse_csv;
pub use general_staff::{parse_corrections, parse_general_staff};

/// How to read a tally file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyFormat {
    /// Decide from the file name: `*.csv` is the long CSV, `*correction*.json`
    /// the corrections file, any other `.json` the General Staff tallies.
    Auto,
    /// General Staff JSON.
    GeneralStaff,
    /// General Staff corrections JSON.
    Corrections,
    /// Long CSV `date,claimant,subject,category,cumulative`.
    Csv,
}

impl TallyFormat {
    /// The concrete format for a file, resolving [`TallyFormat::Auto`].
    pub fn resolve(self, file: &SourceFile) -> Result<SourceKind, IngestError> {
        let kind = match self {
            TallyFormat::GeneralStaff => SourceKind::GeneralStaffJson,
            TallyFormat::Corrections => SourceKind::GeneralStaffCorrections,
            TallyFormat::Csv => SourceKind::TallyCsv,
            TallyFormat::Auto => {
                let name = file
                    .path()
                    .file_name()
                    .map(|n| n.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                if name.ends_with(".csv") {
                    SourceKind::TallyCsv
                } else if name.ends_with(".json") && name.contains("correction") {
                    SourceKind::GeneralStaffCorrections
                } else if name.ends_with(".json") {
                    SourceKind::GeneralStaffJson
                } else {
                    return Err(IngestError::shape(
                        file.path(),
                        "cannot tell the tally format from the file name; pass --format general-staff, corrections or csv",
                    ));
                }
            }
        };
        Ok(kind)
    }
}

/// Parses one tally file in the given format.
pub fn parse_tallies(file: &SourceFile, format: TallyFormat) -> Result<(SourceKind, TallyBatch), IngestError> {
    let kind = format.resolve(file)?;
    let batch = match kind {
        SourceKind::GeneralStaffJson => parse_general_staff(file.path(), &file.bytes)?,
        SourceKind::GeneralStaffCorrections => parse_corrections(file.path(), &file.bytes)?,
        SourceKind::TallyCsv => parse_csv(file.path(), &file.bytes)?,
        other => {
            return Err(IngestError::shape(
                file.path(),
                format!("{} is not a tally format", other.as_str()),
            ));
        }
    };
    Ok((kind, batch))
}
