//! What an import changes, decided once for every backend.
//!
//! A backend reads the state an import depends on (each stored item's
//! current version, the current figures of the series a file touches),
//! hands it here and runs the writes it gets back. The rules live only
//! here: when an item gets a new version, what a full list's silence
//! tombstones, which figures are unchanged and not stored again. So the two
//! backends cannot drift apart on them, and the rules are tested without a
//! database.

use crate::types::same_content;
use crate::{Coverage, EvidenceImport, EvidenceReport};
use chrono::NaiveDate;
use frontline_model::{
    Claimant, EvidenceItem, SeriesKey, Subject, TallyBatch, TallyCorrection, TallyNote, TallyObservation,
};
use std::collections::{HashMap, HashSet};

/// What the store holds of one item before an import.
#[derive(Debug, Clone)]
pub(crate) struct KnownItem {
    /// Its current version number.
    pub version: u32,
    /// True when a source has marked it gone.
    pub tombstoned: bool,
    /// The content of its current version.
    pub current: EvidenceItem,
}

/// One version to store: a first one (a new item) or the next one.
#[derive(Debug)]
pub(crate) struct VersionWrite<'a> {
    /// The item's id.
    pub id: String,
    /// The version number to store; the item's current version after.
    pub version: u32,
    /// True for an item never stored before.
    pub first: bool,
    /// Its content.
    pub item: &'a EvidenceItem,
}

/// One file to record as a source, with the versions it brings.
#[derive(Debug)]
pub(crate) struct FilePlan<'a> {
    /// The file.
    pub file: &'a EvidenceImport,
    /// The versions it stores, in the file's order.
    pub writes: Vec<VersionWrite<'a>>,
}

/// Everything one evidence import does.
#[derive(Debug)]
pub(crate) struct EvidencePlan<'a> {
    /// Files not imported before, in order.
    pub files: Vec<FilePlan<'a>>,
    /// Items to mark gone, by the source of the last planned file (sorted).
    pub tombstone: Vec<String>,
    /// What the import does, counted.
    pub report: EvidenceReport,
}

/// Plans an evidence import. `imported` holds the hashes among `files`
/// stored before; `known` every stored item by id.
///
/// - An item is stored as a new version when it is new, changed, or comes
///   back after being marked gone; an identical one is unchanged.
/// - A full list marks gone the stored items of each (source, status) it
///   lists that it no longer lists; a partial one only the items it names
///   gone, unless another file of the import lists them.
pub(crate) fn evidence<'a>(
    files: &'a [EvidenceImport],
    imported: &HashSet<String>,
    mut known: HashMap<String, KnownItem>,
) -> EvidencePlan<'a> {
    let mut report = EvidenceReport::default();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut listed: HashSet<String> = HashSet::new();
    let mut scope: HashSet<(&str, &'static str)> = HashSet::new();
    let mut named_gone: Vec<&str> = Vec::new();
    let mut planned = Vec::new();
    for f in files {
        if imported.contains(&f.meta.sha256) || !seen.insert(&f.meta.sha256) {
            report.already_imported += 1;
            continue;
        }
        report.files += 1;
        let full = match &f.coverage {
            Coverage::Full => true,
            Coverage::Partial { gone } => {
                named_gone.extend(gone.iter().map(String::as_str));
                false
            }
        };
        let mut writes = Vec::new();
        for item in &f.items {
            let id = item.id();
            if full {
                scope.insert((item.source.as_str(), item.status.as_str()));
            }
            listed.insert(id.clone());
            let (version, first) = match known.get(&id) {
                None => {
                    report.added += 1;
                    (1, true)
                }
                Some(k) if !k.tombstoned && same_content(&k.current, item) => {
                    report.unchanged += 1;
                    continue;
                }
                Some(k) => {
                    report.updated += 1;
                    (k.version + 1, false)
                }
            };
            known.insert(
                id.clone(),
                KnownItem {
                    version,
                    tombstoned: false,
                    current: item.clone(),
                },
            );
            writes.push(VersionWrite {
                id,
                version,
                first,
                item,
            });
        }
        planned.push(FilePlan { file: f, writes });
    }
    let mut tombstone: Vec<String> = Vec::new();
    if !planned.is_empty() {
        tombstone.extend(
            named_gone
                .into_iter()
                .filter(|id| !listed.contains(*id) && known.get(*id).is_some_and(|k| !k.tombstoned))
                .map(str::to_string),
        );
        // A full list's silence: stored items of its (source, status) scopes
        // it did not list. Only listed items were rewritten above, so what
        // `known` holds of the others is what was stored before the import.
        tombstone.extend(
            known
                .iter()
                .filter(|(id, k)| {
                    !k.tombstoned
                        && !listed.contains(*id)
                        && scope.contains(&(k.current.source.as_str(), k.current.status.as_str()))
                })
                .map(|(id, _)| id.clone()),
        );
        // An item named gone may also be missing from a full list.
        tombstone.sort_unstable();
        tombstone.dedup();
    }
    report.tombstoned = tombstone.len();
    EvidencePlan {
        files: planned,
        tombstone,
        report,
    }
}

/// The current figures a tally file is compared with: for each series it
/// touches, the newest stored value of each day.
#[derive(Debug, Default)]
pub(crate) struct TallyState {
    /// Cumulative figure and qualifier by series and day.
    pub observations: HashMap<(SeriesKey, NaiveDate), (i64, Option<String>)>,
    /// Correction by series and day.
    pub corrections: HashMap<(SeriesKey, NaiveDate), i64>,
    /// Note text by claimant, subject, day and field.
    pub notes: HashMap<(Claimant, Subject, NaiveDate, String), String>,
}

/// The records of a tally file to store: those that differ from the
/// current ones (a revision), or are new. Merges are not here: a merge is
/// stored once, whoever states it again.
#[derive(Debug, Default)]
pub(crate) struct TallyWrites<'a> {
    /// Figures to store.
    pub observations: Vec<&'a TallyObservation>,
    /// Corrections to store.
    pub corrections: Vec<&'a TallyCorrection>,
    /// Notes to store.
    pub notes: Vec<&'a TallyNote>,
}

impl TallyWrites<'_> {
    /// Records to store.
    pub fn len(&self) -> usize {
        self.observations.len() + self.corrections.len() + self.notes.len()
    }
}

/// Plans a tally import against the current figures: a record equal to the
/// current one (or to one earlier in the same file) is not stored again.
pub(crate) fn tallies<'a>(batch: &'a TallyBatch, mut now: TallyState) -> TallyWrites<'a> {
    let mut out = TallyWrites::default();
    for o in &batch.observations {
        let v = (o.cumulative, o.qualifier.clone());
        if now.observations.insert((o.key.clone(), o.date), v.clone()) != Some(v) {
            out.observations.push(o);
        }
    }
    for c in &batch.corrections {
        if now.corrections.insert((c.key.clone(), c.date), c.delta) != Some(c.delta) {
            out.corrections.push(c);
        }
    }
    for n in &batch.notes {
        let k = (n.claimant.clone(), n.subject.clone(), n.date, n.field.clone());
        if now.notes.insert(k, n.text.clone()).as_ref() != Some(&n.text) {
            out.notes.push(n);
        }
    }
    out
}

/// The series a tally file touches, each once ([`TallyBatch::touched`]).
pub(crate) fn touched(batch: &TallyBatch) -> Vec<&SeriesKey> {
    batch.touched()
}

/// The (claimant, subject) pairs whose notes a tally file states, each once.
pub(crate) fn note_subjects(batch: &TallyBatch) -> Vec<(&Claimant, &Subject)> {
    let mut seen = HashSet::new();
    batch
        .notes
        .iter()
        .map(|n| (&n.claimant, &n.subject))
        .filter(|p| seen.insert(*p))
        .collect()
}

#[cfg(test)]
mod tests;

/// A list's stored counts, ordered by vintage, grouped into its vintages
/// (each backend reads the rows; the grouping is one rule).
pub(crate) fn group_vintages(
    series: &frontline_model::CountSeries,
    rows: Vec<(NaiveDate, frontline_model::PeriodCount)>,
) -> Vec<frontline_model::Vintage> {
    let mut out: Vec<frontline_model::Vintage> = Vec::new();
    for (vintage, count) in rows {
        match out.last_mut() {
            Some(v) if v.vintage == vintage => v.counts.push(count),
            _ => out.push(frontline_model::Vintage {
                series: series.clone(),
                vintage,
                counts: vec![count],
            }),
        }
    }
    out
}

/// A claim as stored: its JSON (a version is new when this text differs).
pub(crate) fn claim_body(claim: &frontline_model::Claim) -> Result<String, crate::StoreError> {
    serde_json::to_string(claim).map_err(|e| crate::StoreError::Corrupt {
        table: "claim",
        column: "body",
        value: e.to_string(),
    })
}

/// An event as stored: its JSON (the columns beside it are for filtering).
pub(crate) fn event_body(event: &frontline_model::Event) -> Result<String, crate::StoreError> {
    serde_json::to_string(event).map_err(|e| crate::StoreError::Corrupt {
        table: "event",
        column: "body",
        value: e.to_string(),
    })
}

/// An event read back, with the time it was recorded.
pub(crate) fn event_of(
    body: &str,
    detected_at: chrono::DateTime<chrono::Utc>,
) -> Result<frontline_model::Event, crate::StoreError> {
    let mut event: frontline_model::Event = serde_json::from_str(body).map_err(|e| crate::StoreError::Corrupt {
        table: "event",
        column: "body",
        value: e.to_string(),
    })?;
    event.detected_at = detected_at;
    Ok(event)
}

/// The kinds an event filter names, as stored (every kind when none).
pub(crate) fn event_kinds(filter: &crate::EventFilter) -> Vec<String> {
    let kinds = match filter.kinds.is_empty() {
        true => frontline_model::EventKind::ALL.to_vec(),
        false => filter.kinds.clone(),
    };
    kinds.iter().map(|k| k.as_str().to_string()).collect()
}

/// A subscription's kinds as stored: `,record,handover,` (each between
/// commas, so one `instr`/`strpos` tells whether it follows a kind).
pub(crate) fn kinds_text(kinds: &[frontline_model::EventKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    format!(",{},", names.join(","))
}

/// A subscription's stored kinds read back.
pub(crate) fn kinds_of(text: &str) -> Result<Vec<frontline_model::EventKind>, crate::StoreError> {
    text.split(',')
        .filter(|k| !k.is_empty())
        .map(|k| {
            frontline_model::EventKind::parse(k).ok_or_else(|| crate::StoreError::Corrupt {
                table: "subscription",
                column: "kinds",
                value: text.to_string(),
            })
        })
        .collect()
}

/// A delivery's stored status read back.
pub(crate) fn delivery_status(text: &str) -> Result<frontline_model::DeliveryStatus, crate::StoreError> {
    frontline_model::DeliveryStatus::parse(text).ok_or_else(|| crate::StoreError::Corrupt {
        table: "delivery",
        column: "status",
        value: text.to_string(),
    })
}

/// The status and next due time an attempt leaves a delivery with (a
/// finished one keeps its last due time).
pub(crate) fn after_attempt(
    then: crate::AttemptThen,
) -> (frontline_model::DeliveryStatus, Option<chrono::DateTime<chrono::Utc>>) {
    use frontline_model::DeliveryStatus as D;
    match then {
        crate::AttemptThen::Delivered => (D::Delivered, None),
        crate::AttemptThen::Retry(at) => (D::Pending, Some(at)),
        crate::AttemptThen::Dead => (D::Dead, None),
    }
}

/// A subscription change's name in the audit log.
pub(crate) fn change_name(change: &crate::SubscriptionChange) -> &'static str {
    match change {
        crate::SubscriptionChange::Pause(..) => "pause",
        crate::SubscriptionChange::Resume(_) => "resume",
        crate::SubscriptionChange::Remove => "remove",
    }
}
