//! The control edits case (#27): where each map differs from the one
//! before, kept per snapshot.

use crate::Db;
use crate::fixtures::*;
use frontline_model::{ControlStatus, GazetteerCoverage, Mapper, Place, SourceKind};
use frontline_store::{ControlEdit, KnownBy, PlaceChange, PlaceEdit, PlaceFilter, Store};

/// A snapshot's edit is kept with the snapshot before it, its boxes,
/// exactly, and the places it changed; recording it again replaces it and
/// its places (never a second row); one place reads every edit of a mapper
/// with its own change only; an edit is
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
    let place = |name: &str| Place {
        id: None,
        name: name.into(),
        name_uk: None,
        name_ru: None,
        lat: 48.0,
        lon: 37.0,
        population: Some(1_000),
        admin1: None,
        country: Some("UA".into()),
    };
    s.import_places(
        &meta("p", SourceKind::Places),
        &GazetteerCoverage::default(),
        &[place("Avdiivka"), place("Pokrovsk")],
    )
    .unwrap();
    let p: Vec<i64> = s
        .places(&PlaceFilter::default())
        .unwrap()
        .iter()
        .filter_map(|p| p.id)
        .collect();
    let change = |place_id: i64, status: Option<ControlStatus>| PlaceChange { place_id, status };
    let edit = |this: i64, prev: i64, boxes: Vec<[f64; 4]>, changes: Vec<PlaceChange>| ControlEdit {
        snapshot_id: this,
        previous_id: prev,
        boxes,
        places_upto: if changes.is_empty() { 0 } else { p[1] },
        changes,
    };
    // An odd coordinate, to show the boxes come back bit for bit.
    let w = 37.123_456_789_012_34;
    s.put_control_edits(&[
        edit(ids[2], ids[0], vec![], vec![change(p[0], None)]),
        edit(
            ids[1],
            ids[0],
            vec![[w, 47.5, 37.9, 48.25], [-0.5, -1.0, 0.0, 1.0]],
            vec![
                change(p[0], Some(ControlStatus::Occupied)),
                change(p[1], Some(ControlStatus::Contested)),
            ],
        ),
        edit(isw, ids[0], vec![[1.0, 2.0, 3.0, 4.0]], vec![]),
    ])
    .unwrap();
    // Recorded again against another map before: replaced, its places too.
    s.put_control_edits(&[edit(
        ids[2],
        ids[1],
        vec![[36.0, 48.0, 36.5, 48.5]],
        vec![change(p[1], None)],
    )])
    .unwrap();
    let want = vec![
        edit(
            ids[1],
            ids[0],
            vec![[w, 47.5, 37.9, 48.25], [-0.5, -1.0, 0.0, 1.0]],
            vec![
                change(p[0], Some(ControlStatus::Occupied)),
                change(p[1], Some(ControlStatus::Contested)),
            ],
        ),
        edit(ids[2], ids[1], vec![[36.0, 48.0, 36.5, 48.5]], vec![change(p[1], None)]),
    ];
    assert_eq!(s.control_edits(&deepstate, None).unwrap(), want);
    assert_eq!(
        s.control_edits(&Mapper::new("isw"), None).unwrap(),
        [edit(isw, ids[0], vec![[1.0, 2.0, 3.0, 4.0]], vec![])]
    );
    // One place's view: every edit of the mapper, with its change only.
    let seen = |this: i64, prev: i64, change: Option<PlaceChange>| PlaceEdit {
        snapshot_id: this,
        previous_id: prev,
        places_upto: p[1],
        change,
    };
    assert_eq!(
        s.place_edits(&deepstate, p[0]).unwrap(),
        [
            seen(ids[1], ids[0], Some(change(p[0], Some(ControlStatus::Occupied)))),
            seen(ids[2], ids[1], None),
        ]
    );
    assert_eq!(
        s.place_edits(&deepstate, p[1]).unwrap(),
        [
            seen(ids[1], ids[0], Some(change(p[1], Some(ControlStatus::Contested)))),
            seen(ids[2], ids[1], Some(change(p[1], None))),
        ]
    );
    let isw_seen = s.place_edits(&Mapper::new("isw"), p[1]).unwrap();
    assert_eq!(isw_seen.len(), 1);
    assert_eq!((isw_seen[0].places_upto, &isw_seen[0].change), (0, &None));
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
    assert_eq!(view.place_edits(&deepstate, p[1]).unwrap().len(), 2);
    assert!(view.put_control_edits(&[edit(ids[1], ids[0], vec![], vec![])]).is_err());
}
