//! The three dates every piece of evidence carries.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// When something happened, when its evidence was published, and when
/// Frontline recorded it.
///
/// Trackers that keep only one of these cannot tell a surge of events from a
/// surge of reporting: evidence of last month's losses published today looks
/// like today's losses. Keeping all three lets the analysis measure reporting
/// lag and nowcast incomplete recent counts.
///
/// * `event` may be unknown (a photo with no date).
/// * `published` is the first public appearance, as precise as the source
///   allows (a day for most sources).
/// * `recorded` is always known: the import that stored the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDates {
    /// When the event happened, if known.
    pub event: Option<NaiveDate>,
    /// When the evidence first became public, if known.
    pub published: Option<NaiveDate>,
    /// When Frontline stored it.
    pub recorded: DateTime<Utc>,
}

impl EvidenceDates {
    /// The three dates, in their order.
    pub fn new(event: Option<NaiveDate>, published: Option<NaiveDate>, recorded: DateTime<Utc>) -> Self {
        EvidenceDates {
            event,
            published,
            recorded,
        }
    }
}
