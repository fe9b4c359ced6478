//! Official cumulative loss tallies ("claims"), as published day by day.

use crate::{Category, Claimant, Subject};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifies one cumulative series: who claims what about whom.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SeriesKey {
    /// Who makes the claim.
    pub claimant: Claimant,
    /// Whose losses are claimed.
    pub subject: Subject,
    /// What was lost.
    pub category: Category,
}

/// One cumulative figure as published for one day.
///
/// For a daily tally the event date and the publication date coincide with
/// `date` (the General Staff publishes each morning the total "as of" that
/// day); the recorded date is the import's time, kept on the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyObservation {
    /// Which series.
    pub key: SeriesKey,
    /// Reporting day.
    pub date: NaiveDate,
    /// Cumulative count since the start of the war, as claimed.
    pub cumulative: i64,
    /// The claimant's own qualifier, e.g. `about` for rough early estimates.
    pub qualifier: Option<String>,
}

/// A one-off correction folded into a day's cumulative figure.
///
/// The cumulative figure on `date` already includes `delta`; knowing it lets
/// the daily losses claimed for that day be told apart from the correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyCorrection {
    /// Which series.
    pub key: SeriesKey,
    /// Day whose figure includes the correction.
    pub date: NaiveDate,
    /// Signed size of the correction.
    pub delta: i64,
}

/// A text attribute of a day's report, e.g. the "greatest losses direction".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyNote {
    /// Who wrote it.
    pub claimant: Claimant,
    /// About whose losses.
    pub subject: Subject,
    /// Reporting day.
    pub date: NaiveDate,
    /// Attribute name as published.
    pub field: String,
    /// The text.
    pub text: String,
}

/// A category that continues one or more earlier ones from `date` on.
///
/// The General Staff merged `military auto` and `fuel tank` into
/// `vehicles and fuel tanks` on 2022-05-01; the new series' first figure
/// continues the sum of the old ones, so its first daily value is the
/// difference from that sum, not the whole cumulative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryMerge {
    /// The continuing series.
    pub into: SeriesKey,
    /// The categories it absorbs (same claimant and subject).
    pub from: Vec<Category>,
    /// First day of the continuing series.
    pub date: NaiveDate,
}

/// Everything parsed from one tally file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyBatch {
    /// Cumulative figures.
    pub observations: Vec<TallyObservation>,
    /// Corrections folded into figures.
    pub corrections: Vec<TallyCorrection>,
    /// Text attributes.
    pub notes: Vec<TallyNote>,
    /// Category merges known to the format.
    pub merges: Vec<CategoryMerge>,
}

impl TallyBatch {
    /// Number of records of all kinds.
    pub fn len(&self) -> usize {
        self.observations.len() + self.corrections.len() + self.notes.len() + self.merges.len()
    }

    /// True when the batch holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The series the batch touches (figures, corrections, merges into),
    /// each once, in order: what storing it reads, and what event
    /// detection derives again after it.
    pub fn touched(&self) -> Vec<&SeriesKey> {
        let mut seen = std::collections::HashSet::new();
        self.observations
            .iter()
            .map(|o| &o.key)
            .chain(self.corrections.iter().map(|c| &c.key))
            .chain(self.merges.iter().map(|m| &m.into))
            .filter(|k| seen.insert(*k))
            .collect()
    }
}

/// One day's stored figure of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyPoint {
    /// Reporting day.
    pub date: NaiveDate,
    /// Cumulative count.
    pub cumulative: i64,
    /// The claimant's qualifier, if any.
    pub qualifier: Option<String>,
}

/// Where a merged series continues from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continuation {
    /// The absorbed categories.
    pub from: Vec<Category>,
    /// Sum of their last cumulative figures: the baseline of the first day.
    pub baseline: i64,
}

/// Everything needed to derive a series' daily values: its figures in date
/// order, the corrections folded into them, and what it continues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallySeries {
    /// Which series.
    pub key: SeriesKey,
    /// Figures, strictly increasing dates (gaps allowed).
    pub points: Vec<TallyPoint>,
    /// Corrections by day.
    pub corrections: Vec<(NaiveDate, i64)>,
    /// Set when the series continues merged categories.
    pub continues: Option<Continuation>,
}
