//! The control edits case (#27): where each map differs from the one
//! before, kept per snapshot.

use crate::Db;
use crate::fixtures::*;
use frontline_model::{ControlStatus, Mapper, SourceKind};
use frontline_store::{ControlEdit, KnownBy, Store};

/// A snapshot's edit is kept with the snapshot before it and its boxes,
/// exactly; recording it again replaces it (never a second row); it is
/// listed under its own mapper only, in snapshot order, from a day when
/// asked; a view as of a day
/// reads the same records and refuses to write them.
pub fn control_edits_are_kept_per_snapshot(db: &Db) {
    let mut s = db.open();
    let day = |d: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 1, d, 12, 0, 0).unwrap();
    for (sha, mapper, d) in [
        ("a", "deepstate", 1),
        ("b", "deepstate", 2),
        ("c", "deepstate", 3),
        ("d", "isw", 2),
    ] {
        let mut tx = s.import_control().unwrap();
        tx.add(
            &meta(sha, SourceKind::ControlMap),
            &snapshot(mapper, day(d), ControlStatus::Occupied, 10.0),
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let ids: Vec<i64> = s
        .control_snapshots(Some(&Mapper::new("deepstate")))
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let isw = s.control_snapshots(Some(&Mapper::new("isw"))).unwrap()[0].id;
    let deepstate = Mapper::new("deepstate");
    assert_eq!(s.control_edits(&deepstate, None).unwrap(), []);
    let edit = |this: i64, prev: i64, boxes: Vec<[f64; 4]>| ControlEdit {
        snapshot_id: this,
        previous_id: prev,
        boxes,
    };
    // An odd coordinate, to show the boxes come back bit for bit.
    let w = 37.123_456_789_012_34;
    s.put_control_edits(&[
        edit(ids[2], ids[0], vec![]),
        edit(ids[1], ids[0], vec![[w, 47.5, 37.9, 48.25], [-0.5, -1.0, 0.0, 1.0]]),
        edit(isw, ids[0], vec![[1.0, 2.0, 3.0, 4.0]]),
    ])
    .unwrap();
    // Recorded again against another map before: replaced.
    s.put_control_edits(&[edit(ids[2], ids[1], vec![[36.0, 48.0, 36.5, 48.5]])])
        .unwrap();
    let want = vec![
        edit(ids[1], ids[0], vec![[w, 47.5, 37.9, 48.25], [-0.5, -1.0, 0.0, 1.0]]),
        edit(ids[2], ids[1], vec![[36.0, 48.0, 36.5, 48.5]]),
    ];
    assert_eq!(s.control_edits(&deepstate, None).unwrap(), want);
    assert_eq!(
        s.control_edits(&Mapper::new("isw"), None).unwrap(),
        [edit(isw, ids[0], vec![[1.0, 2.0, 3.0, 4.0]])]
    );
    // Of the maps taken from a day on.
    assert_eq!(
        s.control_edits(&deepstate, Some(crate::fixtures::d("2024-01-03")))
            .unwrap(),
        want[1..]
    );
    assert_eq!(
        s.control_edits(&deepstate, Some(crate::fixtures::d("2024-01-04")))
            .unwrap(),
        []
    );
    // Another handle reads what was written.
    assert_eq!(db.open().control_edits(&deepstate, None).unwrap(), want);
    let mut view = KnownBy::new(&mut *s, crate::fixtures::d("2024-01-02"));
    assert_eq!(view.control_edits(&deepstate, None).unwrap(), want);
    assert!(view.put_control_edits(&[edit(ids[1], ids[0], vec![])]).is_err());
}
