//! Frontline's domain model.
//!
//! Everything here is plain data: no I/O, no database, no HTTP. Parsers in
//! `frontline-ingest` produce these values, `frontline-store` persists them and
//! `frontline-analysis` derives figures from them.

pub mod category;
pub mod claim;
pub mod class;
pub mod dates;
pub mod event;
pub mod evidence;
pub mod limits;
pub mod party;
pub mod provenance;
pub mod tally;
pub mod territory;
pub mod vintage;
pub mod webhook;

pub use category::Category;
pub use claim::{Claim, EvidenceDate, Metric, Qualifier, Quantity};
pub use class::{Classifier, Classify, ErrorClass, class_of};
pub use dates::EvidenceDates;
pub use event::{Event, EventKind};
pub use evidence::{EvidenceItem, Location, LossStatus};
/// The registry behind [`classified!`]; re-exported so callers need not
/// depend on it.
#[doc(hidden)]
pub use inventory;
pub use party::{Claimant, Subject};
pub use provenance::{SourceKind, SourceMeta};
pub use tally::{
    CategoryMerge, Continuation, SeriesKey, TallyBatch, TallyCorrection, TallyNote, TallyObservation, TallyPoint,
    TallySeries,
};
pub use territory::{
    Annotation, Boundary, BoundaryLevel, ControlFeature, ControlSnapshot, ControlStatus, Gazetteer, GazetteerCoverage,
    LayerFeature, Mapper, Place,
};
pub use vintage::{CountSeries, CountStatus, Granularity, PeriodCount, Vintage};
pub use webhook::{Delivery, DeliveryStatus, Subscription};
