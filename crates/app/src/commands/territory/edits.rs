//! Where each map differs from the one before (#27): recorded after a
//! control import, so that a settlement's history decodes only the maps
//! that changed around the place instead of every map of the archive.
//!
//! A record ties a snapshot to the one before it when it was made. Maps
//! are never changed, so while that pair still follows in a timeline the
//! boxes hold; where another map has come between them (a backfill), or
//! the timeline is another (as of an earlier day), the reader tests the
//! map itself. The records are a shortcut, never a source of answers.

use anyhow::Result;
use chrono::NaiveDate;
use frontline_analysis::territory::changed_boxes;
use frontline_model::{ControlStatus, Mapper};
use frontline_store::{ControlEdit, SnapshotInfo, Store, StoredLayer};
use geo::{MultiPolygon, Rect, coord};
use std::collections::HashMap;

/// Records where each of `mapper`'s snapshots taken on or after `since`
/// differs from the one before it, for those not recorded against that one
/// yet; how many it recorded. New maps change the records of themselves and
/// of the maps after them only. An archive's first import decodes each map
/// once; a daily import, two.
pub fn record(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate) -> Result<usize> {
    let snaps = store.control_snapshots(Some(mapper))?;
    let first = snaps.iter().position(|s| s.taken_at.date_naive() >= since);
    let Some(first) = first else { return Ok(0) };
    let snaps = &snaps[first.saturating_sub(1)..];
    let known: HashMap<i64, i64> = store
        .control_edits(mapper, Some(since))?
        .into_iter()
        .map(|e| (e.snapshot_id, e.previous_id))
        .collect();
    let mut edits = Vec::new();
    let mut held: Option<(i64, Vec<StoredLayer>)> = None;
    for pair in snaps.windows(2) {
        let (prev, this) = (&pair[0], &pair[1]);
        if known.get(&this.id) == Some(&prev.id) {
            continue;
        }
        let old = match held.take() {
            Some((id, layers)) if id == prev.id => layers,
            _ => store.control_layers(prev.id, &ControlStatus::ALL)?,
        };
        let new = store.control_layers(this.id, &ControlStatus::ALL)?;
        let boxes = changed_boxes(&refs(&old), &refs(&new))
            .iter()
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
            .collect();
        edits.push(ControlEdit {
            snapshot_id: this.id,
            previous_id: prev.id,
            boxes,
        });
        held = Some((this.id, new));
    }
    if !edits.is_empty() {
        store.put_control_edits(&edits)?;
    }
    Ok(edits.len())
}

pub(crate) fn refs(layers: &[StoredLayer]) -> Vec<(ControlStatus, &MultiPolygon<f64>)> {
    layers.iter().map(|l| (l.status, &l.geometry)).collect()
}

/// The recorded edits of a timeline, to ask of each map whether a point
/// can have changed status since the map before.
pub struct Edits(HashMap<i64, (i64, Vec<Rect<f64>>)>);

impl Edits {
    /// The records of `mapper`'s maps (taken on or after `from`).
    pub fn load(store: &dyn Store, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Self> {
        Ok(Edits(
            store
                .control_edits(mapper, from)?
                .into_iter()
                .map(|e| {
                    let boxes = e
                        .boxes
                        .iter()
                        .map(|[w, s, e, n]| Rect::new(coord! { x: *w, y: *s }, coord! { x: *e, y: *n }))
                        .collect();
                    (e.snapshot_id, (e.previous_id, boxes))
                })
                .collect(),
        ))
    }

    /// Whether the point keeps on `this` the status it had on `prev`, the
    /// map before in the reader's timeline: only when `this` was recorded
    /// against that very map and the point lies outside its boxes. Anything
    /// else (no record, another map before) is "maybe not".
    pub fn unchanged(&self, prev: &SnapshotInfo, this: &SnapshotInfo, lon: f64, lat: f64) -> bool {
        self.boxes(prev, this)
            .is_some_and(|boxes| !frontline_analysis::territory::in_boxes(boxes, coord! { x: lon, y: lat }))
    }

    /// Where `this` can differ from `prev`, the map before in the reader's
    /// timeline, when it was recorded against that very map; else none.
    pub fn boxes(&self, prev: &SnapshotInfo, this: &SnapshotInfo) -> Option<&[Rect<f64>]> {
        self.0
            .get(&this.id)
            .filter(|(before, _)| *before == prev.id)
            .map(|(_, boxes)| boxes.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::SourceKind;
    use frontline_store::SqliteStore;
    use frontline_store_tests::fixtures::{meta, snapshot, square};

    /// Adds a map of one occupied square at `x0` (0.1° wide, at 48° N).
    fn add(s: &mut SqliteStore, sha: &str, day: u32, x0: f64) {
        let mut snap = snapshot(
            "deepstate",
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 8, day, 12, 0, 0).unwrap(),
            ControlStatus::Occupied,
            1.0,
        );
        snap.layers[0].geometry = square(x0, 48.0, 0.1, false);
        let mut tx = s.import_control().unwrap();
        tx.add(&meta(sha, SourceKind::ControlMap), &snap).unwrap();
        tx.commit().unwrap();
    }

    fn pairs(s: &SqliteStore) -> Vec<(i64, i64)> {
        let m = Mapper::new("deepstate");
        s.control_edits(&m, None)
            .unwrap()
            .iter()
            .map(|e| (e.snapshot_id, e.previous_id))
            .collect()
    }

    /// Each map is recorded against the one before it, once; a map that
    /// comes between two later has the second recorded again against it.
    /// The boxes hold where the squares moved, and nothing else.
    #[test]
    fn each_map_is_recorded_against_the_one_before() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let deepstate = Mapper::new("deepstate");
        let day1 = chrono::NaiveDate::from_ymd_opt(2024, 8, 1).unwrap();
        add(&mut s, "a", 1, 37.0);
        add(&mut s, "c", 3, 37.0);
        assert_eq!(record(&mut s, &deepstate, day1).unwrap(), 1);
        assert_eq!(record(&mut s, &deepstate, day1).unwrap(), 0);
        let ids: Vec<i64> = s.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
        assert_eq!(pairs(&s), [(ids[1], ids[0])]);
        assert_eq!(
            s.control_edits(&deepstate, None).unwrap()[0].boxes,
            Vec::<[f64; 4]>::new()
        );
        add(&mut s, "b", 2, 38.0);
        // From the new map's day: it, and the map after it again.
        let day2 = chrono::NaiveDate::from_ymd_opt(2024, 8, 2).unwrap();
        assert_eq!(record(&mut s, &deepstate, day2).unwrap(), 2);
        let ids: Vec<i64> = s.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
        // Listed in id order: the map of the 2nd came last.
        assert_eq!(pairs(&s), [(ids[2], ids[1]), (ids[1], ids[0])]);
        let edits = Edits::load(&s, &deepstate, None).unwrap();
        let snaps = s.control_snapshots(None).unwrap();
        // Where neither square lies, nothing changed; inside either, maybe.
        assert!(edits.unchanged(&snaps[0], &snaps[1], 36.5, 48.05));
        assert!(!edits.unchanged(&snaps[0], &snaps[1], 37.05, 48.05));
        assert!(!edits.unchanged(&snaps[1], &snaps[2], 38.05, 48.05));
        // Another map before than the one recorded: maybe.
        assert!(!edits.unchanged(&snaps[0], &snaps[2], 36.5, 48.05));
        // No record: maybe.
        assert!(!edits.unchanged(&snaps[2], &snaps[0], 36.5, 48.05));
    }
}
