//! `breaks`: where a series cannot be read across a day. A claimed series
//! starts, takes over merged categories or stops (`series::tally_breaks`);
//! a mapper changes its names for a status (`analysis::breaks::
//! vocabulary_breaks`). Both listed by day, each with why and its file.

use crate::answers::BreakRow;
use crate::requests::BreaksRequest;
use anyhow::Result;
use frontline_analysis::breaks::{Layer, vocabulary_breaks};
use frontline_store::Store;
use std::collections::HashMap;

/// Every break: the claimed series' and the control mappers', by day.
pub fn breaks(store: &dyn Store, args: &BreaksRequest) -> Result<Vec<BreakRow>> {
    let wanted = |name: &str| args.category.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    for b in super::series::tally_breaks(store)? {
        if !wanted(b.key.category.as_str()) {
            continue;
        }
        let source = store.figure_revisions(&b.key, b.date)?.into_iter().next();
        out.push(BreakRow {
            claimant: b.key.claimant.as_str().into(),
            subject: b.key.subject.as_str().into(),
            category: b.key.category.as_str().into(),
            date: b.date,
            kind: b.kind.as_str().into(),
            reason: b.reason,
            source_id: source.as_ref().map(|r| r.source_id),
            source_file: source.map(|r| r.location),
        });
    }
    for v in mapper_breaks(store, None, None)? {
        if !wanted(&v.status) {
            continue;
        }
        out.push(BreakRow {
            reason: describe(&v),
            claimant: v.mapper,
            subject: "control map".into(),
            category: v.status,
            date: v.date,
            kind: "vocabulary".into(),
            source_id: None,
            source_file: Some(v.source),
        });
    }
    out.sort_by(|a, b| (a.date, &a.category).cmp(&(b.date, &b.category)));
    Ok(out)
}

/// The days one mapper renamed one status, each with its mark
/// (`vocabulary: …`): what `territory area` and `change` carry in `break`.
pub(crate) fn vocabulary_marks(
    store: &dyn Store,
    mapper: &frontline_model::Mapper,
    status: frontline_model::ControlStatus,
) -> Result<Vec<(chrono::NaiveDate, String)>> {
    Ok(mapper_breaks(store, Some(mapper), Some(status))?
        .into_iter()
        .filter(|v| v.status == status.as_str())
        .map(|v| (v.date, format!("vocabulary: {}", describe(&v))))
        .collect())
}

/// Why a renamed status matters, in a sentence.
fn describe(v: &frontline_analysis::breaks::VocabularyBreak) -> String {
    let list = |names: &[String]| {
        if names.is_empty() {
            "nothing".to_string()
        } else {
            names.join(", ")
        }
    };
    format!(
        "the mapper's names for this status changed: added {}; removed {}. Areas of it may be drawn by another \
         rule from this map on",
        list(&v.added),
        list(&v.removed)
    )
}

/// The vocabulary breaks of the mappers' maps (as this store knows them:
/// a view as of a day lists the maps published by then).
fn mapper_breaks(
    store: &dyn Store,
    mapper: Option<&frontline_model::Mapper>,
    status: Option<frontline_model::ControlStatus>,
) -> Result<Vec<frontline_analysis::breaks::VocabularyBreak>> {
    let snapshots = store.control_snapshots(mapper)?;
    let ids: Vec<i64> = snapshots.iter().map(|s| s.id).collect();
    let by_id: HashMap<i64, &frontline_store::SnapshotInfo> = snapshots.iter().map(|s| (s.id, s)).collect();
    let layers: Vec<Layer> = store
        .control_labels(&ids, status)?
        .into_iter()
        .filter_map(|l| {
            by_id.get(&l.snapshot_id).map(|s| Layer {
                mapper: s.mapper.as_str().into(),
                day: s.taken_at.date_naive(),
                status: l.status.as_str().into(),
                labels: l.labels,
                source: l.source,
            })
        })
        .collect();
    Ok(vocabulary_breaks(&layers))
}
