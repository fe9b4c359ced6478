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
    for v in mapper_breaks(store)? {
        if !wanted(&v.status) {
            continue;
        }
        let list = |names: &[String]| {
            if names.is_empty() {
                "nothing".to_string()
            } else {
                names.join(", ")
            }
        };
        out.push(BreakRow {
            claimant: v.mapper,
            subject: "control map".into(),
            category: v.status,
            date: v.date,
            kind: "vocabulary".into(),
            reason: format!(
                "the mapper's names for this status changed: added {}; removed {}. Areas of it may be drawn by \
                 another rule from this map on",
                list(&v.added),
                list(&v.removed)
            ),
            source_id: None,
            source_file: Some(v.source),
        });
    }
    out.sort_by(|a, b| (a.date, &a.category).cmp(&(b.date, &b.category)));
    Ok(out)
}

/// The vocabulary breaks of every mapper's maps (as this store knows
/// them: a view as of a day lists the maps published by then).
fn mapper_breaks(store: &dyn Store) -> Result<Vec<frontline_analysis::breaks::VocabularyBreak>> {
    let snapshots = store.control_snapshots(None)?;
    let ids: Vec<i64> = snapshots.iter().map(|s| s.id).collect();
    let by_id: HashMap<i64, &frontline_store::SnapshotInfo> = snapshots.iter().map(|s| (s.id, s)).collect();
    let layers: Vec<Layer> = store
        .control_labels(&ids)?
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
