//! The cases. Each names the behaviour it guards and checks values, not
//! shapes; each runs on every backend.

use crate::Db;
use crate::fixtures::*;
use frontline_model::{
    Boundary, BoundaryLevel, Category, CategoryMerge, Claimant, ControlStatus, GazetteerCoverage, LayerFeature,
    LossStatus, Mapper, Place, SourceKind, Subject, TallyCorrection, TallyNote,
};
use frontline_store::{
    AuditContext, Blob, Coverage, EvidenceFilter, FetchRecord, PlaceFilter, Revision, Role, Store, StoreError, SyncRun,
    TokenRecord,
};
use geo_types::{Geometry, Point};

pub use crate::edits::control_edits_are_kept_per_snapshot;
pub use crate::events::events_are_recorded_once_newest_first;
pub use crate::webhooks::webhook_deliveries_are_queued_once_and_kept;

/// Every write bumps the data version (so other processes' caches see it);
/// reads and writes that are refused leave it alone.
pub fn data_version_moves_on_every_write_only(db: &Db) {
    let mut s = db.open();
    let v0 = s.data_version().unwrap();
    s.tally_catalog(None).unwrap();
    s.sources().unwrap();
    assert_eq!(s.data_version().unwrap(), v0, "reads must not change the version");
    s.import_tallies(&[tally_file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    let v1 = s.data_version().unwrap();
    assert!(v1 > v0);
    s.import_boundaries(
        &meta("b", SourceKind::Boundaries),
        &[Boundary {
            name_uk: None,
            name_ru: None,
            level: BoundaryLevel::DeFacto,
            code: "UA".into(),
            name: "Ukraine".into(),
            geometry: square(30.0, 45.0, 5.0, false),
        }],
    )
    .unwrap();
    let v2 = s.data_version().unwrap();
    assert!(v2 > v1);
    let tx = s.import_control().unwrap();
    drop(tx);
    // A transaction rolled back may or may not count; a failed one must
    // not leave data behind (see failed_batch_stores_nothing).
    assert!(s.data_version().unwrap() >= v2);
}

pub fn same_bytes_twice_add_nothing(db: &Db) {
    let mut s = db.open();
    let f = tally_file("a", vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 7)]);
    let first = s.import_tallies(std::slice::from_ref(&f)).unwrap();
    assert_eq!((first[0].added, first[0].already_imported), (2, false));
    let second = s.import_tallies(&[f]).unwrap();
    assert!(second[0].already_imported);
    assert_eq!(second[0].added, 0);
    assert_eq!(second[0].source_id, first[0].source_id);
    let sources = s.sources().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!((sources[0].records, sources[0].added), (2, 2));
    assert_eq!(sources[0].kind, SourceKind::GeneralStaffJson);
    assert_eq!(sources[0].imported_at, at(1));
}

pub fn identical_figures_are_not_stored_again(db: &Db) {
    let mut s = db.open();
    s.import_tallies(&[tally_file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    let r = s
        .import_tallies(&[tally_file(
            "b",
            vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 6)],
        )])
        .unwrap();
    assert_eq!(r[0].added, 1);
}

pub fn a_revision_becomes_current(db: &Db) {
    let mut s = db.open();
    s.import_tallies(&[tally_file(
        "a",
        vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 8)],
    )])
    .unwrap();
    let r = s
        .import_tallies(&[tally_file("b", vec![obs("tank", "2024-01-01", 9)])])
        .unwrap();
    assert_eq!(r[0].added, 1, "the revision is stored");
    let series = s.tally_series(&key("tank"), None).unwrap().unwrap();
    let figures: Vec<(String, i64)> = series
        .points
        .iter()
        .map(|p| (p.date.to_string(), p.cumulative))
        .collect();
    assert_eq!(figures, [("2024-01-01".into(), 9), ("2024-01-02".into(), 8)]);
    // Going back to the first figure is a revision too.
    let r = s
        .import_tallies(&[tally_file("c", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    assert_eq!(r[0].added, 1);
    assert_eq!(
        s.tally_series(&key("tank"), None).unwrap().unwrap().points[0].cumulative,
        5
    );
    // Each revision of the day's figure, with the import it came from.
    let revs: Vec<(i64, String, String)> = s
        .figure_revisions(&key("tank"), d("2024-01-01"))
        .unwrap()
        .into_iter()
        .map(|r| (r.cumulative, r.location, r.bytes_sha256))
        .collect();
    assert_eq!(
        revs,
        [
            (5, "a.dat".to_string(), "a".to_string()),
            (9, "b.dat".to_string(), "b".to_string()),
            (5, "c.dat".to_string(), "c".to_string())
        ]
    );
    assert!(s.figure_revisions(&key("tank"), d("2023-01-01")).unwrap().is_empty());
    assert!(s.figure_revisions(&key("apc"), d("2024-01-01")).unwrap().is_empty());
}

pub fn merge_baseline_sums_predecessors_last_figures(db: &Db) {
    let mut s = db.open();
    let mut f = tally_file(
        "a",
        vec![
            obs("auto", "2022-04-29", 10),
            obs("auto", "2022-04-30", 12),
            obs("fuel", "2022-04-30", 3),
            obs("both", "2022-05-01", 20),
        ],
    );
    f.batch.merges.push(CategoryMerge {
        into: key("both"),
        from: vec![Category::new("auto"), Category::new("fuel")],
        date: d("2022-05-01"),
    });
    s.import_tallies(&[f]).unwrap();
    let series = s.tally_series(&key("both"), None).unwrap().unwrap();
    let c = series.continues.unwrap();
    assert_eq!(c.baseline, 15);
    let mut from: Vec<&str> = c.from.iter().map(Category::as_str).collect();
    from.sort();
    assert_eq!(from, ["auto", "fuel"]);
    let keys = s.tally_keys(None).unwrap();
    let categories: Vec<&str> = keys.iter().map(|k| k.category.as_str()).collect();
    assert_eq!(categories, ["auto", "both", "fuel"]);
    let catalog = s.tally_catalog(None).unwrap();
    let names: Vec<(&str, String, String, usize)> = catalog
        .iter()
        .map(|c| (c.key.category.as_str(), c.first.to_string(), c.last.to_string(), c.days))
        .collect();
    assert_eq!(
        names,
        [
            ("auto", "2022-04-29".into(), "2022-04-30".into(), 2),
            ("both", "2022-05-01".into(), "2022-05-01".into(), 1),
            ("fuel", "2022-04-30".into(), "2022-04-30".into(), 1),
        ]
    );
}

pub fn corrections_and_notes_round_trip(db: &Db) {
    let mut s = db.open();
    let mut f = tally_file("a", vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 9)]);
    f.batch.corrections.push(TallyCorrection {
        key: key("tank"),
        date: d("2024-01-02"),
        delta: -2,
    });
    for (date, field, text) in [
        ("2024-01-01", "direction", "Pokrovsk"),
        ("2024-01-02", "direction", "Kurakhove"),
        ("2024-01-02", "aa-note", "first"),
        ("2024-01-05", "direction", "outside"),
    ] {
        f.batch.notes.push(TallyNote {
            claimant: Claimant::new("gs"),
            subject: Subject::new("ru"),
            date: d(date),
            field: field.into(),
            text: text.into(),
        });
    }
    s.import_tallies(&[f]).unwrap();
    let series = s.tally_series(&key("tank"), None).unwrap().unwrap();
    assert_eq!(series.corrections, vec![(d("2024-01-02"), -2)]);
    let notes = s
        .tally_notes(
            &Claimant::new("gs"),
            &Subject::new("ru"),
            d("2024-01-01")..=d("2024-01-02"),
        )
        .unwrap();
    let got: Vec<String> = notes
        .iter()
        .map(|n| format!("{} {} {}", n.date, n.field, n.text))
        .collect();
    assert_eq!(
        got,
        [
            "2024-01-01 direction Pokrovsk",
            "2024-01-02 aa-note first",
            "2024-01-02 direction Kurakhove"
        ]
    );
}

pub fn unknown_series_is_none(db: &Db) {
    let s = db.open();
    assert!(s.tally_series(&key("tank"), None).unwrap().is_none());
    assert!(s.tally_catalog(None).unwrap().is_empty());
}

/// A batch whose second file breaks a constraint (the same day twice in
/// one file) stores nothing at all, not even the good first file.
pub fn failed_batch_stores_nothing(db: &Db) {
    let mut s = db.open();
    let good = tally_file("a", vec![obs("tank", "2024-01-01", 5)]);
    let bad = tally_file("b", vec![obs("apc", "2024-01-01", 5), obs("apc", "2024-01-01", 6)]);
    assert!(s.import_tallies(&[good, bad]).is_err());
    assert!(s.sources().unwrap().is_empty());
    assert!(s.tally_catalog(None).unwrap().is_empty());
    assert!(!s.has_source("a").unwrap());
}

pub fn control_import_commits_all_or_nothing(db: &Db) {
    let mut s = db.open();
    {
        let mut tx = s.import_control().unwrap();
        tx.add(
            &meta("m1", SourceKind::ControlMap),
            &snapshot("deepstate", at(2), ControlStatus::Occupied, 10.0),
        )
        .unwrap();
        // Dropped without commit.
    }
    assert!(s.control_snapshots(None).unwrap().is_empty());
    assert!(s.sources().unwrap().is_empty());
    let mut tx = s.import_control().unwrap();
    let r = tx
        .add(
            &meta("m1", SourceKind::ControlMap),
            &snapshot("deepstate", at(2), ControlStatus::Occupied, 10.0),
        )
        .unwrap();
    assert_eq!((r.records, r.already_imported), (1, false));
    assert!(tx.has_source("m1").unwrap(), "seen inside its own transaction");
    let again = tx
        .add(
            &meta("m1", SourceKind::ControlMap),
            &snapshot("deepstate", at(2), ControlStatus::Occupied, 10.0),
        )
        .unwrap();
    assert!(again.already_imported);
    tx.commit().unwrap();
    assert_eq!(s.control_snapshots(None).unwrap().len(), 1);
    assert!(s.has_source("m1").unwrap());
}

pub fn control_layers_round_trip_exactly(db: &Db) {
    let mut s = db.open();
    let mut snap = snapshot("deepstate", at(2), ControlStatus::Occupied, 1_234.567_890_123);
    let mut contested = snap.layers[0].clone();
    contested.status = ControlStatus::Contested;
    contested.area_km2 = 7.25;
    contested.labels = vec!["Grey zone".into()];
    snap.layers.push(contested);
    let mut tx = s.import_control().unwrap();
    tx.add(&meta("m1", SourceKind::ControlMap), &snap).unwrap();
    tx.commit().unwrap();
    let snaps = s.control_snapshots(Some(&Mapper::new("deepstate"))).unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].taken_at, at(2));
    assert!(s.control_snapshots(Some(&Mapper::new("isw"))).unwrap().is_empty());
    let layers = s.control_layers(snaps[0].id, &ControlStatus::ALL).unwrap();
    assert_eq!(layers, snap.layers, "every layer must come back bit for bit");
    let layer = &layers[0];
    assert_eq!(layer.area_km2, 1_234.567_890_123);
    assert_eq!(
        (layer.features, layer.labels.clone()),
        (2, vec!["Occupied".to_string(), "CADR".into()])
    );
    let statuses = |asked: &[ControlStatus]| -> Vec<ControlStatus> {
        s.control_layers(snaps[0].id, asked)
            .unwrap()
            .iter()
            .map(|l| l.status)
            .collect()
    };
    assert_eq!(
        statuses(&[ControlStatus::Contested, ControlStatus::Occupied]),
        [ControlStatus::Contested, ControlStatus::Occupied],
        "in the order asked"
    );
    assert_eq!(statuses(&[ControlStatus::Liberated]), [], "no such layer");
    assert_eq!(statuses(&[ControlStatus::Contested]), [ControlStatus::Contested]);
    assert_eq!(
        s.snapshot_areas(frontline_store::AreaFilter::new(
            Some(&Mapper::new("deepstate")),
            ControlStatus::Occupied
        ))
        .unwrap(),
        vec![(snaps[0].clone(), Some(1_234.567_890_123))]
    );
    assert_eq!(
        s.snapshot_areas(frontline_store::AreaFilter::new(None, ControlStatus::Liberated))
            .unwrap(),
        vec![(snaps[0].clone(), None)],
        "a snapshot without the layer is listed, with no area"
    );
}

/// Two files for the same mapper and time: the newer import is current.
pub fn newer_import_of_a_snapshot_wins(db: &Db) {
    let mut s = db.open();
    for (sha, area) in [("old", 10.0), ("new", 20.0)] {
        let mut tx = s.import_control().unwrap();
        tx.add(
            &meta(sha, SourceKind::ControlMap),
            &snapshot("deepstate", at(2), ControlStatus::Occupied, area),
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut tx = s.import_control().unwrap();
    tx.add(
        &meta("later", SourceKind::ControlMap),
        &snapshot("deepstate", at(3), ControlStatus::Occupied, 30.0),
    )
    .unwrap();
    tx.commit().unwrap();
    let areas: Vec<Option<f64>> = s
        .snapshot_areas(frontline_store::AreaFilter::new(
            Some(&Mapper::new("deepstate")),
            ControlStatus::Occupied,
        ))
        .unwrap()
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    assert_eq!(areas, [Some(20.0), Some(30.0)]);
    assert_eq!(s.control_snapshots(None).unwrap().len(), 2);
}

/// Occupied-area maps of 2024-01-01 (10 km²) and 01-05 (20 km²) imported on
/// 2026-01-01, as an archive is; the first redrawn (15 km²) and imported
/// again on 2026-01-10.
fn archived_maps(s: &mut Box<dyn Store + Send>) {
    let day = |d: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 1, d, 12, 0, 0).unwrap();
    for (sha, taken, area, imported) in [("a", 1, 10.0, 1), ("b", 5, 20.0, 1), ("a2", 1, 15.0, 10)] {
        let mut m = meta(sha, SourceKind::ControlMap);
        m.imported_at = at(imported);
        let mut tx = s.import_control().unwrap();
        tx.add(&m, &snapshot("deepstate", day(taken), ControlStatus::Occupied, area))
            .unwrap();
        tx.commit().unwrap();
    }
}

/// Control maps as known at the end of a day: those published by then;
/// a map's first import counts from its publication, a re-import of it from
/// the day it was imported.
pub fn snapshots_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    // Maps of 2024-01-01 and 01-05 imported on 2026-01-01 (an archive); the
    // first redrawn, imported again on 2026-01-10.
    archived_maps(&mut s);
    let as_of = |d: Option<&str>| -> Vec<(String, Option<f64>)> {
        s.snapshot_areas(frontline_store::AreaFilter {
            known_by: d.map(crate::fixtures::d),
            ..frontline_store::AreaFilter::new(None, ControlStatus::Occupied)
        })
        .unwrap()
        .into_iter()
        .map(|(i, a)| (i.taken_at.date_naive().to_string(), a))
        .collect()
    };
    assert_eq!(as_of(Some("2023-12-31")), []);
    assert_eq!(as_of(Some("2024-01-03")), [("2024-01-01".to_string(), Some(10.0))]);
    assert_eq!(
        as_of(Some("2026-01-05")),
        [
            ("2024-01-01".to_string(), Some(10.0)),
            ("2024-01-05".to_string(), Some(20.0))
        ]
    );
    let now = as_of(None);
    assert_eq!(now[0].1, Some(15.0));
    // From a day on: only the maps taken then or later (#27).
    let from = s
        .snapshot_areas(
            frontline_store::AreaFilter::new(None, ControlStatus::Occupied)
                .from(Some(crate::fixtures::d("2024-01-02"))),
        )
        .unwrap();
    assert_eq!(
        from.iter()
            .map(|(i, a)| (i.taken_at.date_naive().to_string(), *a))
            .collect::<Vec<_>>(),
        [("2024-01-05".to_string(), Some(20.0))]
    );
    assert_eq!(as_of(Some("2026-01-10")), now);
}

/// A store viewed as of a day ([`frontline_store::KnownBy`]) is the
/// store then, for every read a query makes: the maps published by then
/// (each time's import known then, with its layers), the tally spans and
/// revisions known then, the imports made by then; and it writes nothing.
pub fn a_view_as_of_a_day_is_the_store_then(db: &Db) {
    let mut s = db.open();
    // Maps of 2024-01-01 and 01-05 imported on 2026-01-01; the first
    // redrawn and imported again on 2026-01-10. Tallies: a first file on
    // 2026-01-01, a revision of 2024-01-01 on 2026-01-10.
    archived_maps(&mut s);
    let mut first = tally_file("t1", vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 8)]);
    first.meta.imported_at = at(1);
    let mut revised = tally_file("t2", vec![obs("tank", "2024-01-01", 9)]);
    revised.meta.imported_at = at(10);
    s.import_tallies(&[first]).unwrap();
    s.import_tallies(&[revised]).unwrap();
    let layer_area = |st: &dyn Store, id: i64| {
        let layers = st.control_layers(id, &[ControlStatus::Occupied]).unwrap();
        layers.first().map(|l| l.area_km2)
    };
    // The backend's own rule for the keys: a series from its first day.
    assert!(s.tally_keys(Some(d("2023-12-31"))).unwrap().is_empty());
    assert_eq!(s.tally_keys(Some(d("2024-01-01"))).unwrap(), [key("tank")]);
    let spans = s.tally_catalog(Some(d("2024-01-01"))).unwrap();
    assert_eq!(
        (spans[0].first, spans[0].last, spans[0].days),
        (d("2024-01-01"), d("2024-01-01"), 1)
    );
    let now_snaps = s.control_snapshots(None).unwrap();
    let before: Vec<(String, Option<f64>)> = {
        let v = frontline_store::KnownBy::new(s.as_mut(), d("2026-01-05"));
        assert_eq!(v.known_by(), Some(d("2026-01-05")));
        let snaps = v.control_snapshots(None).unwrap();
        // The maps by then, the first one as first drawn.
        let got = snaps
            .iter()
            .map(|i| (i.taken_at.date_naive().to_string(), layer_area(&v, i.id)))
            .collect();
        let catalog = v.tally_catalog(None).unwrap();
        assert_eq!(catalog.len(), 1);
        assert_eq!(
            (catalog[0].first, catalog[0].last, catalog[0].days),
            (d("2024-01-01"), d("2024-01-02"), 2)
        );
        let revisions = v.figure_revisions(&key("tank"), d("2024-01-01")).unwrap();
        assert_eq!(revisions.iter().map(|r| r.cumulative).collect::<Vec<_>>(), [5]);
        assert_eq!(v.sources().unwrap().len(), 3, "the two maps and the first tally file");
        got
    };
    assert_eq!(
        before,
        [
            ("2024-01-01".to_string(), Some(10.0)),
            ("2024-01-05".to_string(), Some(20.0))
        ]
    );
    {
        let v = frontline_store::KnownBy::new(s.as_mut(), d("2024-01-03"));
        assert_eq!(v.control_snapshots(None).unwrap().len(), 1);
        assert_eq!(v.tally_catalog(None).unwrap()[0].last, d("2024-01-02"));
        let v = frontline_store::KnownBy::new(s.as_mut(), d("2023-12-31"));
        assert!(v.control_snapshots(None).unwrap().is_empty());
        assert!(v.tally_keys(None).unwrap().is_empty());
    }
    // After the redraw and the revision: the same as the store itself.
    let (later_ids, later_revisions) = {
        let v = frontline_store::KnownBy::new(s.as_mut(), d("2026-01-10"));
        let ids: Vec<i64> = v.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
        (ids, v.figure_revisions(&key("tank"), d("2024-01-01")).unwrap().len())
    };
    assert_eq!(later_ids, now_snaps.iter().map(|i| i.id).collect::<Vec<_>>());
    assert_eq!(later_revisions, 2);
    // Nothing is written through a view, and the refusal is the caller's.
    let v0 = s.data_version().unwrap();
    let mut v = frontline_store::KnownBy::new(s.as_mut(), d("2026-01-05"));
    let e = v
        .import_tallies(&[tally_file("t3", vec![obs("tank", "2024-01-04", 20)])])
        .unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly(_)), "{e}");
    assert_eq!(
        frontline_store::Classify::class(&e),
        frontline_store::ErrorClass::BadRequest
    );
    assert!(v.import_control().is_err());
    assert_eq!(s.data_version().unwrap(), v0);
}

/// A snapshot's labels are read without its geometry, in the order of
/// the ids asked, each with the file it came from.
pub fn control_labels_come_without_geometry(db: &Db) {
    let mut s = db.open();
    let day = |d: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 1, d, 12, 0, 0).unwrap();
    for (sha, d, labels) in [
        ("m1", 1, vec!["Occupied", "CADR"]),
        ("m2", 2, vec!["Окуповано /// Occupied"]),
    ] {
        let mut snap = snapshot("deepstate", day(d), ControlStatus::Occupied, 10.0);
        snap.layers[0].labels = labels.into_iter().map(String::from).collect();
        let mut tx = s.import_control().unwrap();
        tx.add(&meta(sha, SourceKind::ControlMap), &snap).unwrap();
        tx.commit().unwrap();
    }
    let ids: Vec<i64> = s.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
    let got: Vec<(i64, String, ControlStatus, Vec<String>)> = s
        .control_labels(&[ids[1], ids[0]], None)
        .unwrap()
        .into_iter()
        .map(|l| (l.snapshot_id, l.source, l.status, l.labels))
        .collect();
    assert_eq!(
        got,
        [
            (
                ids[1],
                "m2.dat".to_string(),
                ControlStatus::Occupied,
                vec!["Окуповано /// Occupied".to_string()]
            ),
            (
                ids[0],
                "m1.dat".to_string(),
                ControlStatus::Occupied,
                vec!["Occupied".to_string(), "CADR".to_string()]
            ),
        ]
    );
    assert!(s.control_labels(&[], None).unwrap().is_empty());
    assert!(
        s.control_labels(&ids, Some(ControlStatus::Liberated))
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.control_labels(&ids, Some(ControlStatus::Occupied)).unwrap().len(), 2);
}

/// Areas clipped to an outline are remembered, and forgotten when a new
/// outline of that code is imported (hardening #2: they used to go stale).
pub fn clipped_areas_are_forgotten_with_their_outline(db: &Db) {
    let mut s = db.open();
    let outline = |sha: &str, size: f64, s: &mut Box<dyn Store + Send>| {
        s.import_boundaries(
            &meta(sha, SourceKind::Boundaries),
            &[
                outline("RU", "Russia", (30.0, 50.0), size),
                outline("UA", "Ukraine", (20.0, 45.0), size),
            ],
        )
        .unwrap();
    };
    outline("b1", 5.0, &mut s);
    let mut tx = s.import_control().unwrap();
    tx.add(
        &meta("m1", SourceKind::ControlMap),
        &snapshot("deepstate", at(2), ControlStatus::Liberated, 10.0),
    )
    .unwrap();
    tx.commit().unwrap();
    let id = s.control_snapshots(None).unwrap()[0].id;
    let dm = Mapper::new("deepstate");
    s.put_within_areas(ControlStatus::Liberated, "ru", &[(id, 4.5)])
        .unwrap();
    s.put_within_areas(ControlStatus::Liberated, "RU", &[(id, 5.5)])
        .unwrap();
    let within = |s: &(dyn Store + Send), status, code| -> Vec<Option<f64>> {
        s.snapshot_areas(frontline_store::AreaFilter::new(Some(&dm), status).within(Some(code)))
            .unwrap()
            .into_iter()
            .map(|(snap, a)| {
                assert_eq!(snap.id, id);
                a
            })
            .collect()
    };
    assert_eq!(
        within(s.as_ref(), ControlStatus::Liberated, "Ru"),
        [Some(5.5)],
        "codes are case-insensitive and a second put replaces"
    );
    assert_eq!(within(s.as_ref(), ControlStatus::Occupied, "RU"), [None]);
    assert_eq!(within(s.as_ref(), ControlStatus::Liberated, "UA"), [None]);
    outline("b2", 6.0, &mut s);
    assert_eq!(
        within(s.as_ref(), ControlStatus::Liberated, "RU"),
        [None],
        "areas clipped to the old outline must be forgotten"
    );
    assert_eq!(
        s.boundary("ru", None, None).unwrap().unwrap().geometry,
        square(30.0, 50.0, 6.0, false)
    );
}

/// Outlines as of a day: the newest imported by then, else the first
/// import; areas clipped through a view of a day whose outline is older
/// than today's are kept apart from today's.
pub fn outlines_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    let ru = |size: f64| outline("RU", "Russia", (30.0, 50.0), size);
    for (sha, size, day) in [("o1", 4.0, 1), ("o2", 6.0, 10)] {
        let mut m = meta(sha, SourceKind::Boundaries);
        m.imported_at = at(day);
        s.import_boundaries(&m, &[ru(size)]).unwrap();
    }
    let size = |s: &(dyn Store + Send), day: Option<&str>| {
        let b = s.boundary("ru", None, day.map(d)).unwrap().unwrap();
        (
            b.geometry == square(30.0, 50.0, 4.0, false),
            s.boundaries(day.map(d)).unwrap().len(),
        )
    };
    assert_eq!(size(s.as_ref(), None), (false, 1), "today: the second outline");
    assert_eq!(
        size(s.as_ref(), Some("2026-01-05")),
        (true, 1),
        "before its import: the first"
    );
    assert_eq!(size(s.as_ref(), Some("2026-01-10")), (false, 1));
    assert_eq!(
        size(s.as_ref(), Some("2020-01-01")),
        (true, 1),
        "before any import: the first stands in"
    );
    let first = s.boundary_source("ru", Some(d("2026-01-05"))).unwrap();
    let now = s.boundary_source("RU", None).unwrap();
    assert!(first.is_some() && now.is_some() && first < now, "{first:?} {now:?}");
    assert_eq!(s.boundary_source("xx", None).unwrap(), None);
    // A clipped area put through a view of the 5th belongs to the first
    // outline: today's reads do not see it, and the view does.
    let mut tx = s.import_control().unwrap();
    let snap = snapshot("deepstate", at(2), ControlStatus::Liberated, 9.0);
    tx.add(&meta("m", SourceKind::ControlMap), &snap).unwrap();
    tx.commit().unwrap();
    let id = s.control_snapshots(None).unwrap()[0].id;
    let then = |s: &mut Box<dyn Store + Send>| {
        let v = frontline_store::KnownBy::new(s.as_mut(), d("2026-01-05"));
        v.snapshot_areas(frontline_store::AreaFilter::new(None, ControlStatus::Liberated).within(Some("RU")))
            .unwrap()[0]
            .1
    };
    {
        let mut v = frontline_store::KnownBy::new(s.as_mut(), d("2026-01-05"));
        v.put_within_areas(ControlStatus::Liberated, "RU", &[(id, 1.5)])
            .unwrap();
    }
    assert_eq!(then(&mut s), Some(1.5));
    let today = s
        .snapshot_areas(frontline_store::AreaFilter::new(None, ControlStatus::Liberated).within(Some("RU")))
        .unwrap();
    assert_eq!(today[0].1, None, "an area clipped to the old outline is not today's");
    s.put_within_areas(ControlStatus::Liberated, "RU", &[(id, 2.5)])
        .unwrap();
    assert_eq!(then(&mut s), Some(1.5));
}

/// Places as of a day: those first imported by then, else the first
/// import's.
pub fn places_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    let place = |name: &str, lat: f64| Place {
        id: None,
        name: name.into(),
        name_uk: None,
        name_ru: None,
        lat,
        lon: 35.0,
        population: Some(1_000),
        admin1: None,
        country: Some("RU".into()),
    };
    let files = [
        ("p1", vec![place("Sudzha", 51.19)], 1),
        ("p2", vec![place("Sudzha", 51.19), place("Guyevo", 51.3)], 10),
    ];
    for (sha, places, day) in files {
        let mut m = meta(sha, SourceKind::Places);
        m.imported_at = at(day);
        s.import_places(&m, &GazetteerCoverage::default(), &places).unwrap();
    }
    let names = |day: Option<&str>| -> Vec<String> {
        let filter = PlaceFilter {
            known_by: day.map(d),
            ..Default::default()
        };
        s.places(&filter).unwrap().into_iter().map(|p| p.name).collect()
    };
    assert_eq!(names(None), ["Sudzha", "Guyevo"]);
    assert_eq!(names(Some("2026-01-05")), ["Sudzha"]);
    assert_eq!(names(Some("2026-01-10")), ["Sudzha", "Guyevo"]);
    assert_eq!(
        names(Some("2020-01-01")),
        ["Sudzha"],
        "before any import: the first stands in"
    );
    // The gazetteers (and their coverage) known then, by the same rule.
    let mut known = |day: &str| -> Vec<String> {
        let v = frontline_store::KnownBy::new(s.as_mut(), d(day));
        v.gazetteers().unwrap().into_iter().map(|g| g.location).collect()
    };
    assert_eq!(known("2026-01-05"), ["p1.dat"]);
    assert_eq!(known("2026-01-10"), ["p1.dat", "p2.dat"]);
    assert_eq!(known("2020-01-01"), ["p1.dat"]);
}

pub fn boundaries_places_and_layers(db: &Db) {
    let mut s = db.open();
    s.import_boundaries(
        &meta("b1", SourceKind::Boundaries),
        &[Boundary {
            name_uk: None,
            name_ru: None,
            level: BoundaryLevel::DeFacto,
            code: "UA".into(),
            name: "Ukraine".into(),
            geometry: square(22.0, 44.0, 18.0, true),
        }],
    )
    .unwrap();
    assert_eq!(s.boundaries(None).unwrap().len(), 1);
    assert_eq!(s.boundary("ua", None, None).unwrap().unwrap().name, "Ukraine");
    assert!(s.boundary("XX", None, None).unwrap().is_none());
    let places = vec![
        Place {
            id: None,
            name: "Sudzha".into(),
            name_uk: Some("Суджа".into()),
            name_ru: Some("Суджа".into()),
            lat: 51.19,
            lon: 35.27,
            population: Some(5_000),
            admin1: Some("Kursk".into()),
            country: Some("RU".into()),
        },
        Place {
            id: None,
            name: "Pokrovsk".into(),
            name_uk: Some("Покровськ".into()),
            name_ru: None,
            lat: 48.28,
            lon: 37.18,
            population: None,
            admin1: None,
            country: Some("UA".into()),
        },
    ];
    let towns = GazetteerCoverage {
        min_population: Some(500),
        classes: vec!["P".into()],
        countries: vec!["RU".into(), "UA".into()],
        bbox: Some([35.0, 48.28, 37.18, 51.19]),
        from: "file name (cities500.csv)".into(),
    };
    let r = s
        .import_places(&meta("p1", SourceKind::Places), &towns, &places)
        .unwrap();
    assert_eq!((r.records, r.added), (2, 2));
    // The same place from another file is kept once.
    let r = s
        .import_places(
            &meta("p2", SourceKind::Places),
            &GazetteerCoverage::default(),
            &places[..1],
        )
        .unwrap();
    // Each file keeps its own coverage, in import order.
    let g = s.gazetteers().unwrap();
    assert_eq!(
        g.iter()
            .map(|g| (g.location.as_str(), g.places, &g.coverage))
            .collect::<Vec<_>>(),
        [("p1.dat", 2, &towns), ("p2.dat", 1, &GazetteerCoverage::default())]
    );
    assert_eq!(r.added, 0);
    // A later file may give a stored place its names (counted as added);
    // a file without names keeps them.
    let ru = Place {
        name_ru: Some("Покровск".into()),
        name_uk: None,
        ..places[1].clone()
    };
    let r = s
        .import_places(
            &meta("p2-names", SourceKind::Places),
            &GazetteerCoverage::default(),
            &[ru],
        )
        .unwrap();
    assert_eq!(r.added, 1);
    let bare = Place {
        name_uk: None,
        name_ru: None,
        ..places[1].clone()
    };
    let r = s
        .import_places(
            &meta("p2-bare", SourceKind::Places),
            &GazetteerCoverage::default(),
            &[bare],
        )
        .unwrap();
    assert_eq!(r.added, 0);
    let places = {
        let mut v = places;
        v[1].name_ru = Some("Покровск".into());
        v
    };
    let stored = s.places(&PlaceFilter::default()).unwrap();
    let unnumbered = |v: &[Place]| v.iter().map(|p| Place { id: None, ..p.clone() }).collect::<Vec<_>>();
    assert_eq!(unnumbered(&stored), places);
    // Each stored place has an id that finds it again.
    let second = stored[1].id.expect("stored places have ids");
    let by_id = s
        .places(&PlaceFilter {
            id: Some(second),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_id, stored[1..]);
    let named = |name: &str| {
        s.places(&PlaceFilter {
            name: Some(name.into()),
            ..Default::default()
        })
        .unwrap()
    };
    assert_eq!(unnumbered(&named("sudzha")), places[..1]);
    assert!(named("Sudzh").is_empty(), "whole names only");
    let of = |s: &dyn Store, code: &str, min: u64| {
        s.places(&PlaceFilter {
            country_or_unknown: Some(code.into()),
            min_population: min,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
    };
    assert_eq!(of(s.as_ref(), "ru", 0), ["Sudzha"]);
    assert_eq!(of(s.as_ref(), "UA", 0), ["Pokrovsk"]);
    assert!(of(s.as_ref(), "RU", 5_001).is_empty());
    let mut unknown = places[1].clone();
    unknown.name = "Nowhere".into();
    unknown.country = None;
    unknown.population = Some(10);
    s.import_places(
        &meta("p3", SourceKind::Places),
        &GazetteerCoverage::default(),
        &[unknown],
    )
    .unwrap();
    assert_eq!(
        of(s.as_ref(), "RU", 0),
        ["Sudzha", "Nowhere"],
        "unknown country is left to the caller"
    );
    assert_eq!(of(s.as_ref(), "RU", 10), ["Sudzha", "Nowhere"]);
    let features = vec![
        LayerFeature {
            name: "plant".into(),
            geometry: Geometry::Point(Point::new(34.58, 47.51)),
        },
        LayerFeature {
            name: "road".into(),
            geometry: Geometry::LineString(vec![(35.0, 48.0), (36.0, 48.5)].into()),
        },
    ];
    s.import_layer(&meta("l1", SourceKind::Layer), "sites", &features)
        .unwrap();
    assert_eq!(s.layer("sites").unwrap(), features);
    assert!(s.layer("other").unwrap().is_empty());
}

pub fn evidence_versions_tombstones_and_history(db: &Db) {
    let mut s = db.open();
    let all = EvidenceFilter::default();
    let r = s
        .import_evidence(&[loss_file(
            "a",
            vec![
                item("1", LossStatus::Destroyed, "T-72B3"),
                item("2", LossStatus::Destroyed, "T-80BV"),
            ],
        )])
        .unwrap();
    assert_eq!((r.files, r.added, r.updated, r.tombstoned), (1, 2, 0, 0));
    // Same bytes: nothing. Changed content: a version. Missing: tombstone.
    assert_eq!(
        s.import_evidence(&[loss_file("a", vec![])]).unwrap().already_imported,
        1
    );
    let r = s
        .import_evidence(&[loss_file("b", vec![item("1", LossStatus::Destroyed, "T-72B3M")])])
        .unwrap();
    assert_eq!((r.added, r.updated, r.unchanged, r.tombstoned), (0, 1, 0, 1));
    let current = s.evidence_items(&all).unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0], item("1", LossStatus::Destroyed, "T-72B3M"));
    let h = s.evidence_history("oryx:1").unwrap();
    assert_eq!(
        h.iter()
            .map(|v| (
                v.version,
                v.item.model.as_str(),
                v.source_location.as_str(),
                v.tombstoned
            ))
            .collect::<Vec<_>>(),
        [(1, "T-72B3", "a.dat", false), (2, "T-72B3M", "b.dat", false)]
    );
    let gone = s.evidence_history("HTTPS://X/2.JPG").unwrap();
    assert_eq!(gone.len(), 1);
    assert!(gone[0].tombstoned);
    // Listed again: revived as a new version.
    let r = s
        .import_evidence(&[loss_file(
            "c",
            vec![
                item("1", LossStatus::Destroyed, "T-72B3M"),
                item("2", LossStatus::Destroyed, "T-80BV"),
            ],
        )])
        .unwrap();
    assert_eq!((r.unchanged, r.updated, r.tombstoned), (1, 1, 0));
    assert_eq!(s.evidence_items(&all).unwrap().len(), 2);
    assert_eq!(s.evidence_history("oryx:2").unwrap().len(), 2);
    // Two files in one import, the item changed in both: two versions.
    let r = s
        .import_evidence(&[
            loss_file("d", vec![item("3", LossStatus::Damaged, "BMP-2")]),
            loss_file("e", vec![item("3", LossStatus::Damaged, "BMP-2M")]),
        ])
        .unwrap();
    assert_eq!((r.files, r.added, r.updated), (2, 1, 1));
    let h = s.evidence_history("oryx:3").unwrap();
    assert_eq!(h.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    let now = s
        .evidence_items(&EvidenceFilter {
            status: Some(LossStatus::Damaged),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(now[0].model, "BMP-2M");
}

pub fn tombstones_stay_within_the_imported_statuses(db: &Db) {
    let mut s = db.open();
    s.import_evidence(&[loss_file(
        "a",
        vec![
            item("1", LossStatus::Destroyed, "T-72B3"),
            item("2", LossStatus::Captured, "T-80BV"),
        ],
    )])
    .unwrap();
    let r = s
        .import_evidence(&[loss_file("b", vec![item("1", LossStatus::Destroyed, "T-72B3")])])
        .unwrap();
    assert_eq!(r.tombstoned, 0, "captured items were not part of this import");
    assert_eq!(s.evidence_items(&EvidenceFilter::default()).unwrap().len(), 2);
}

/// A partial list (a day's page, the newest items) adds and updates what it
/// names and retires only the items named gone, never the ones it simply
/// does not hold; an item named gone but listed again stays.
pub fn partial_lists_retire_only_what_they_name_gone(db: &Db) {
    let mut s = db.open();
    let ids = |s: &dyn Store| -> Vec<String> {
        let mut v: Vec<String> = s
            .evidence_items(&EvidenceFilter::default())
            .unwrap()
            .iter()
            .map(|i| i.id())
            .collect();
        v.sort();
        v
    };
    s.import_evidence(&[loss_file(
        "a",
        vec![
            item("1", LossStatus::Destroyed, "T-72B3"),
            item("2", LossStatus::Destroyed, "T-80BV"),
            item("3", LossStatus::Destroyed, "T-90M"),
        ],
    )])
    .unwrap();
    let mut part = loss_file("b", vec![item("4", LossStatus::Destroyed, "BMP-3")]);
    part.coverage = Coverage::Partial { gone: vec![] };
    let r = s.import_evidence(&[part]).unwrap();
    assert_eq!((r.added, r.tombstoned), (1, 0));
    assert_eq!(ids(&*s), ["oryx:1", "oryx:2", "oryx:3", "oryx:4"]);
    let mut part = loss_file("c", vec![item("1", LossStatus::Destroyed, "T-72B3M")]);
    part.coverage = Coverage::Partial {
        gone: vec!["oryx:1".into(), "oryx:2".into(), "oryx:2".into(), "oryx:9".into()],
    };
    let r = s.import_evidence(&[part]).unwrap();
    assert_eq!(
        (r.updated, r.tombstoned),
        (1, 1),
        "2 retired; 1 is listed again; 9 was never stored"
    );
    assert_eq!(ids(&*s), ["oryx:1", "oryx:3", "oryx:4"]);
    let h = s.evidence_history("oryx:2").unwrap();
    assert!(
        h.last().unwrap().tombstoned,
        "the retirement is a trace, not a deletion"
    );
}

/// A country's de jure outline (the union of its units) is preferred to
/// the map's de facto one; either can be asked for; units are kept with
/// their names in three languages.
pub fn de_jure_outlines_units_and_names(db: &Db) {
    let mut s = db.open();
    let square =
        |x: f64| geo_types::MultiPolygon::new(vec![geo_types::Rect::new((x, 45.0), (x + 1.0, 46.0)).to_polygon()]);
    let b = |code: &str, level, x| Boundary {
        code: code.into(),
        name: code.into(),
        name_uk: (level == BoundaryLevel::Unit).then(|| format!("{code} (uk)")),
        name_ru: None,
        level,
        geometry: square(x),
    };
    s.import_boundaries(
        &meta("countries", SourceKind::Boundaries),
        &[b("UA", BoundaryLevel::DeFacto, 30.0)],
    )
    .unwrap();
    assert_eq!(
        s.boundary("ua", None, None).unwrap().unwrap().level,
        BoundaryLevel::DeFacto
    );
    s.import_boundaries(
        &meta("units", SourceKind::Boundaries),
        &[
            b("UA", BoundaryLevel::DeJure, 33.0),
            b("UA-43", BoundaryLevel::Unit, 33.0),
        ],
    )
    .unwrap();
    let preferred = s.boundary("UA", None, None).unwrap().unwrap();
    assert_eq!(
        (preferred.level, preferred.geometry),
        (BoundaryLevel::DeJure, square(33.0))
    );
    let drawn = s.boundary("UA", Some(BoundaryLevel::DeFacto), None).unwrap().unwrap();
    assert_eq!(drawn.geometry, square(30.0), "the de facto outline stays reachable");
    let unit = s.boundary("ua-43", None, None).unwrap().unwrap();
    assert_eq!(
        (unit.level, unit.name_uk.as_deref()),
        (BoundaryLevel::Unit, Some("UA-43 (uk)"))
    );
    let all: Vec<(String, BoundaryLevel)> = s
        .boundaries(None)
        .unwrap()
        .into_iter()
        .map(|b| (b.code, b.level))
        .collect();
    assert_eq!(
        all,
        [
            ("UA".to_string(), BoundaryLevel::DeJure),
            ("UA".to_string(), BoundaryLevel::DeFacto),
            ("UA-43".to_string(), BoundaryLevel::Unit)
        ]
    );
}

/// Claims are kept by id: new ones added, changed ones versioned, the same
/// file again adds nothing.
pub fn claims_are_versioned_by_id(db: &Db) {
    let mut s = db.open();
    let r = s
        .import_claims(&meta("c1", SourceKind::Claims), &[claim("a", 1000.0), claim("b", 50.0)])
        .unwrap();
    assert_eq!((r.added, r.already_imported), (2, false));
    let again = s
        .import_claims(&meta("c1", SourceKind::Claims), &[claim("a", 1000.0)])
        .unwrap();
    assert!(again.already_imported);
    // b changed, a did not.
    let r = s
        .import_claims(&meta("c2", SourceKind::Claims), &[claim("a", 1000.0), claim("b", 60.0)])
        .unwrap();
    assert_eq!(r.added, 1);
    let now: Vec<(String, u32, f64, String)> = s
        .claims(None)
        .unwrap()
        .into_iter()
        .map(|c| (c.claim.id.clone(), c.version, c.claim.quantity.low, c.source_location))
        .collect();
    assert_eq!(
        now,
        [
            ("a".to_string(), 1, 1000.0, "c1.dat".to_string()),
            ("b".to_string(), 2, 60.0, "c2.dat".to_string())
        ]
    );
    assert_eq!(s.claims(None).unwrap()[0].claim, claim("a", 1000.0), "stored as given");
}

/// The ledger as of a day: each claim's first version (public when it
/// was said), a later version from the day of its import.
pub fn claims_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    let mut first = meta("k1", SourceKind::Claims);
    first.imported_at = at(1);
    s.import_claims(&first, &[claim("a", 1000.0)]).unwrap();
    let mut edit = meta("k2", SourceKind::Claims);
    edit.imported_at = at(10);
    s.import_claims(&edit, &[claim("a", 1200.0)]).unwrap();
    let low = |day: Option<&str>| -> Vec<(u32, f64)> {
        s.claims(day.map(d))
            .unwrap()
            .iter()
            .map(|c| (c.version, c.claim.quantity.low))
            .collect()
    };
    assert_eq!(low(None), [(2, 1200.0)]);
    assert_eq!(low(Some("2026-01-09")), [(1, 1000.0)]);
    assert_eq!(low(Some("2026-01-10")), [(2, 1200.0)]);
    // The first version stands for the claim from any day (the caller
    // drops a claim not yet said): an archive imported later keeps it.
    assert_eq!(low(Some("2024-01-01")), [(1, 1000.0)]);
}

/// A tally series as known at the end of a day: days up to it; each day's
/// first figure known from the day itself, a revision from its import; a
/// correction likewise.
pub fn tallies_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    let mut first = tally_file("a", vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 8)]);
    first.batch.corrections = vec![TallyCorrection {
        key: key("tank"),
        date: d("2024-01-02"),
        delta: -1,
    }];
    // Imported long after the days it counts (an archive).
    first.meta.imported_at = at(1);
    let mut revised = tally_file("b", vec![obs("tank", "2024-01-01", 9), obs("tank", "2024-01-03", 12)]);
    revised.batch.corrections = vec![TallyCorrection {
        key: key("tank"),
        date: d("2024-01-02"),
        delta: -2,
    }];
    revised.meta.imported_at = at(10);
    s.import_tallies(&[first]).unwrap();
    s.import_tallies(&[revised]).unwrap();
    let as_of = |day: &str| {
        let t = s.tally_series(&key("tank"), Some(d(day))).unwrap().unwrap();
        let points: Vec<(String, i64)> = t.points.iter().map(|p| (p.date.to_string(), p.cumulative)).collect();
        let corrections: Vec<(String, i64)> = t.corrections.iter().map(|(d, v)| (d.to_string(), *v)).collect();
        (points, corrections)
    };
    let p = |v: &[(&str, i64)]| -> Vec<(String, i64)> { v.iter().map(|(d, n)| (d.to_string(), *n)).collect() };
    assert_eq!(as_of("2023-12-31"), (p(&[]), p(&[])));
    assert_eq!(as_of("2024-01-01"), (p(&[("2024-01-01", 5)]), p(&[])));
    // Before the revision's import: the first figures, every day published.
    assert_eq!(
        as_of("2026-01-05"),
        (
            p(&[("2024-01-01", 5), ("2024-01-02", 8), ("2024-01-03", 12)]),
            p(&[("2024-01-02", -1)])
        )
    );
    // After it: the same as now.
    let now = s.tally_series(&key("tank"), None).unwrap().unwrap();
    assert_eq!(now.points[0].cumulative, 9);
    assert_eq!(
        as_of("2026-01-10"),
        (
            p(&[("2024-01-01", 9), ("2024-01-02", 8), ("2024-01-03", 12)]),
            p(&[("2024-01-02", -2)])
        )
    );
}

/// An answer as of a past day sees each item as it was known then: a first
/// version from the day it was first listed (or recorded, without a listing
/// date), later versions and tombstones from the day they were recorded.
pub fn evidence_as_known_on_a_past_day(db: &Db) {
    let mut s = db.open();
    // One file a day: `a` on Jan 1, `b` on Jan 10, `c` on Jan 20 (2026).
    let file = |sha: &str, day: u32, items: Vec<frontline_model::EvidenceItem>| {
        let mut f = loss_file(sha, items);
        f.meta.imported_at = at(day);
        for i in &mut f.items {
            i.dates.recorded = at(day);
        }
        f
    };
    let listed = |key: &str, model: &str, published: Option<&str>| {
        let mut i = item(key, LossStatus::Destroyed, model);
        i.dates.published = published.map(d);
        i
    };
    s.import_evidence(&[file(
        "a",
        1,
        vec![
            listed("1", "T-72B3", Some("2024-08-12")),
            listed("2", "T-80BV", None),
            listed("3", "BMP-2", Some("2024-09-01")),
        ],
    )])
    .unwrap();
    // 1 changes, 2 is no longer listed (gone), 3 is unchanged.
    s.import_evidence(&[file(
        "b",
        10,
        vec![
            listed("1", "T-72B3M", Some("2024-08-12")),
            listed("3", "BMP-2", Some("2024-09-01")),
        ],
    )])
    .unwrap();
    // 2 is listed again.
    s.import_evidence(&[file(
        "c",
        20,
        vec![
            listed("1", "T-72B3M", Some("2024-08-12")),
            listed("2", "T-80BV", None),
            listed("3", "BMP-2", Some("2024-09-01")),
        ],
    )])
    .unwrap();
    let as_of = |day: &str| -> Vec<(String, String)> {
        let f = EvidenceFilter {
            known_by: Some(d(day)),
            ..Default::default()
        };
        let items = s.evidence_items(&f).unwrap();
        items.into_iter().map(|i| (i.key, i.model)).collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(k, m)| (k.to_string(), m.to_string())).collect()
    };
    assert_eq!(as_of("2024-08-11"), pairs(&[]));
    // Only 1 was listed by then; 2 has no listing date and was recorded later.
    assert_eq!(as_of("2024-08-31"), pairs(&[("1", "T-72B3")]));
    assert_eq!(
        as_of("2026-01-05"),
        pairs(&[("1", "T-72B3"), ("2", "T-80BV"), ("3", "BMP-2")])
    );
    // After `b`: 1's second version, 2 gone.
    assert_eq!(as_of("2026-01-15"), pairs(&[("1", "T-72B3M"), ("3", "BMP-2")]));
    // After `c`: 2 back; the same as now.
    let now: Vec<(String, String)> = s
        .evidence_items(&EvidenceFilter::default())
        .unwrap()
        .into_iter()
        .map(|i| (i.key, i.model))
        .collect();
    assert_eq!(as_of("2026-01-25"), now);
    assert_eq!(now.len(), 3);
    // The other filters apply on top.
    let f = EvidenceFilter {
        known_by: Some(d("2026-01-05")),
        event_to: Some(d("2024-08-10")),
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(s.evidence_items(&f).unwrap().len(), 1);
}

/// Each field of the filter narrows the answer, in the store.
pub fn evidence_filter_is_applied_by_the_store(db: &Db) {
    let mut s = db.open();
    let mut ws = item("w1", LossStatus::Destroyed, "BTR-82A");
    ws.source = "warspotting".into();
    ws.category = "apcs".into();
    let mut ua = item("u1", LossStatus::Captured, "T-64BV");
    ua.side = "Ukraine".into();
    let undated = {
        let mut i = item("n1", LossStatus::Destroyed, "T-90M");
        i.dates.event = None;
        i
    };
    s.import_evidence(&[
        loss_file(
            "a",
            vec![
                located(item("k1", LossStatus::Destroyed, "T-72B3"), "2024-08-10", 51.2, 35.3),
                located(item("k2", LossStatus::Destroyed, "T-72B3"), "2024-09-20", 48.3, 37.2),
                ua,
                undated,
            ],
        ),
        loss_file("b", vec![located(ws, "2024-08-15", 51.0, 35.0)]),
    ])
    .unwrap();
    let ids = |f: EvidenceFilter| -> Vec<String> { s.evidence_items(&f).unwrap().iter().map(|i| i.id()).collect() };
    assert_eq!(
        ids(EvidenceFilter::default()),
        ["oryx:k1", "oryx:k2", "oryx:n1", "oryx:u1", "warspotting:w1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            sources: vec!["warspotting".into()],
            ..Default::default()
        }),
        ["warspotting:w1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            side: Some("ukraine".into()),
            ..Default::default()
        }),
        ["oryx:u1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            category: Some("apcs".into()),
            ..Default::default()
        }),
        ["warspotting:w1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            status: Some(LossStatus::Captured),
            ..Default::default()
        }),
        ["oryx:u1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            event_from: Some(d("2024-08-11")),
            event_to: Some(d("2024-09-01")),
            ..Default::default()
        }),
        ["warspotting:w1"],
        "undated items are out once a date bound is set"
    );
    assert_eq!(
        ids(EvidenceFilter {
            located: true,
            ..Default::default()
        }),
        ["oryx:k1", "oryx:k2", "warspotting:w1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            bbox: Some([35.1, 50.0, 36.0, 52.0]),
            ..Default::default()
        }),
        ["oryx:k1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            sources: vec!["oryx".into(), "warspotting".into()],
            bbox: Some([34.0, 50.0, 36.0, 52.0]),
            event_to: Some(d("2024-08-12")),
            ..Default::default()
        }),
        ["oryx:k1"]
    );
    assert_eq!(
        ids(EvidenceFilter {
            located: true,
            limit: Some(2),
            ..Default::default()
        }),
        ["oryx:k1", "oryx:k2"],
        "a limit keeps the first by id, after the other filters"
    );
    assert_eq!(
        ids(EvidenceFilter {
            limit: Some(0),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
}

/// Two handles importing at once: both finish, nothing is lost or doubled.
/// In every round both import the same new items at the same moment, so
/// without serialization one would fail on a duplicate key or store a
/// second version 1.
pub fn concurrent_writers_are_serialized(db: &Db) {
    const ROUNDS: usize = 12;
    let _init = db.open();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let url = db.url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut s = frontline_store::open(&url).expect("open");
                let mut added = 0;
                for round in 0..ROUNDS {
                    // A list grows: each round lists every item so far.
                    let items: Vec<_> = (0..=round)
                        .flat_map(|r| (0..50).map(move |i| item(&format!("r{r}-{i}"), LossStatus::Destroyed, "T-72")))
                        .collect();
                    barrier.wait();
                    added += s
                        .import_evidence(&[loss_file(&format!("e{w}-{round}"), items)])
                        .expect("evidence import")
                        .added;
                    s.import_tallies(&[tally_file(
                        &format!("t{w}-{round}"),
                        vec![obs(
                            &format!("c{w}"),
                            &format!("2024-01-{:02}", round + 1),
                            round as i64,
                        )],
                    )])
                    .expect("tally import");
                }
                added
            })
        })
        .collect();
    let added: usize = workers.into_iter().map(|h| h.join().expect("worker")).sum();
    assert_eq!(added, ROUNDS * 50, "each item is new exactly once");
    let s = db.open();
    assert_eq!(s.sources().unwrap().len(), 4 * ROUNDS);
    assert_eq!(s.evidence_items(&EvidenceFilter::default()).unwrap().len(), ROUNDS * 50);
    assert_eq!(s.evidence_history("oryx:r7-7").unwrap().len(), 1);
    for w in 0..2 {
        assert_eq!(
            s.tally_series(&key(&format!("c{w}")), None)
                .unwrap()
                .unwrap()
                .points
                .len(),
            ROUNDS
        );
    }
}

/// What one process writes, another process's open handle sees, and its
/// data version tells it so.
pub fn a_write_is_seen_by_another_handle(db: &Db) {
    let reader = db.open();
    let mut writer = db.open();
    let before = reader.data_version().unwrap();
    assert!(reader.sources().unwrap().is_empty());
    writer
        .import_tallies(&[tally_file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    assert_ne!(reader.data_version().unwrap(), before);
    assert_eq!(reader.sources().unwrap().len(), 1);
}

/// Every write leaves one audit row in its own transaction: who, through
/// what, which operation, the sources it made and its counts. A failed
/// write leaves none.
pub fn every_write_is_audited(db: &Db) {
    let mut s = db.open();
    s.set_audit_context(AuditContext {
        actor: "token:desk".into(),
        via: "POST /api/v1/import/tallies".into(),
    });
    s.import_tallies(&[tally_file(
        "a",
        vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 6)],
    )])
    .unwrap();
    let bad = tally_file("b", vec![obs("apc", "2024-01-01", 5), obs("apc", "2024-01-01", 6)]);
    assert!(s.import_tallies(&[bad]).is_err());
    s.set_audit_context(AuditContext {
        actor: "cli:analyst".into(),
        via: "import losses".into(),
    });
    s.import_evidence(&[loss_file(
        "l1",
        vec![
            item("1", LossStatus::Destroyed, "T-72"),
            item("2", LossStatus::Destroyed, "T-80"),
        ],
    )])
    .unwrap();
    s.import_evidence(&[loss_file("l2", vec![item("1", LossStatus::Destroyed, "T-72B")])])
        .unwrap();
    let mut tx = s.import_control().unwrap();
    tx.add(
        &meta("m1", SourceKind::ControlMap),
        &snapshot("deepstate", at(2), ControlStatus::Occupied, 1.0),
    )
    .unwrap();
    tx.commit().unwrap();
    // Already imported: still a write attempt, recorded with nothing added.
    s.import_tallies(&[tally_file("a", vec![])]).unwrap();
    let log = s.audit(None).unwrap();
    let got: Vec<(&str, &str, &str, usize, i64, i64, i64)> = log
        .iter()
        .map(|e| {
            (
                e.actor.as_str(),
                e.via.as_str(),
                e.action.as_str(),
                e.sources.len(),
                e.added,
                e.updated,
                e.tombstoned,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "token:desk",
                "POST /api/v1/import/tallies",
                "import tallies",
                1,
                2,
                0,
                0
            ),
            ("cli:analyst", "import losses", "import losses", 1, 2, 0, 0),
            ("cli:analyst", "import losses", "import losses", 1, 1, 1, 1),
            ("cli:analyst", "import losses", "import control", 1, 1, 0, 0),
            ("cli:analyst", "import losses", "import tallies", 0, 0, 0, 0),
        ]
    );
    let sources = s.sources().unwrap();
    assert_eq!(log[0].sources, vec![sources[0].id]);
    assert!(log.windows(2).all(|w| w[0].id < w[1].id && w[0].at <= w[1].at));
    let later = s.audit(Some(log[3].at)).unwrap();
    assert_eq!(later.first().map(|e| e.id), Some(log[3].id));
    assert!(
        s.audit(Some(log[4].at + chrono::Duration::seconds(1)))
            .unwrap()
            .is_empty()
    );
}

/// Tokens are kept by name and hash; names are unique for ever; revoking
/// is recorded and happens once.
pub fn tokens_are_named_hashed_and_revocable(db: &Db) {
    let mut s = db.open();
    let t = |name: &str, role: Role, hash: &str| TokenRecord {
        name: name.into(),
        role,
        sha256: hash.into(),
        created_at: at(3),
        revoked_at: None,
    };
    s.put_token(&t("desk", Role::Importer, "aa")).unwrap();
    s.put_token(&t("boss", Role::Admin, "bb")).unwrap();
    let err = s.put_token(&t("desk", Role::Reader, "cc")).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        frontline_store::Classify::class(&err),
        frontline_store::ErrorClass::Conflict
    );
    assert!(s.revoke_token("desk").unwrap());
    assert!(!s.revoke_token("desk").unwrap(), "revoked once");
    assert!(!s.revoke_token("nobody").unwrap());
    let tokens = s.tokens().unwrap();
    let got: Vec<(&str, Role, &str, bool)> = tokens
        .iter()
        .map(|t| (t.name.as_str(), t.role, t.sha256.as_str(), t.revoked_at.is_some()))
        .collect();
    assert_eq!(
        got,
        [("boss", Role::Admin, "bb", false), ("desk", Role::Importer, "aa", true)]
    );
    assert!(
        s.put_token(&t("desk", Role::Importer, "dd")).is_err(),
        "a revoked name is not reused"
    );
    let actions: Vec<String> = s.audit(None).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["token add desk", "token add boss", "token revoke desk"]);
}

/// A sync run is kept with the requests it made and the bodies it fetched,
/// content-addressed (the same body twice is kept once), all or nothing.
pub fn sync_runs_requests_and_bodies_are_kept(db: &Db) {
    let mut s = db.open();
    let t = |m: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-25T10:{m:02}:00Z"))
            .unwrap()
            .to_utc()
    };
    let run = |ok: bool, at: u32, message: &str| SyncRun {
        source: "deepstate".into(),
        started_at: t(at),
        finished_at: t(at + 1),
        ok,
        new_records: usize::from(ok) * 2,
        requests: 3,
        message: message.into(),
    };
    let fetch = |url: &str, status: u16, sha: Option<&str>, etag: Option<&str>, at: u32| FetchRecord {
        source: "deepstate".into(),
        url: url.into(),
        status,
        fetched_at: t(at),
        sha256: sha.map(str::to_string),
        etag: etag.map(str::to_string),
        last_modified: None,
    };
    let body = Blob {
        sha256: "ab".repeat(32),
        bytes: vec![0, 159, 146, 150, 255],
        encoding: "gzip".into(),
    };
    let list = "http://x.test/api/history/public";
    s.record_sync(
        &run(true, 0, "2 snapshots"),
        &[fetch(list, 200, Some(&body.sha256), Some("\"v1\""), 0)],
        std::slice::from_ref(&body),
    )
    .unwrap();
    s.record_sync(
        &run(true, 10, "nothing new"),
        &[fetch(list, 304, Some(&body.sha256), Some("\"v1\""), 10)],
        std::slice::from_ref(&body),
    )
    .expect("a body kept before is not an error");
    s.record_sync(
        &run(false, 20, "401 Unauthorized"),
        &[fetch(list, 401, None, None, 20)],
        &[],
    )
    .unwrap();
    let runs = s.sync_runs(Some("deepstate")).unwrap();
    assert_eq!(
        runs,
        vec![
            run(true, 0, "2 snapshots"),
            run(true, 10, "nothing new"),
            run(false, 20, "401 Unauthorized")
        ]
    );
    assert!(s.sync_runs(Some("oryx")).unwrap().is_empty());
    assert_eq!(s.sync_runs(None).unwrap().len(), 3);
    assert_eq!(s.last_fetch(list).unwrap(), Some(fetch(list, 401, None, None, 20)));
    assert_eq!(s.last_fetch("http://x.test/other").unwrap(), None);
    assert_eq!(
        s.blob(&body.sha256).unwrap(),
        Some(body.clone()),
        "bytes back bit for bit"
    );
    assert_eq!(s.blob(&"cd".repeat(32)).unwrap(), None);

    // A request naming a body that was not kept fails the whole record.
    let before = s.data_version().unwrap();
    let err = s.record_sync(
        &run(true, 30, "x"),
        &[fetch(list, 200, Some(&"ef".repeat(32)), None, 30)],
        &[],
    );
    assert!(err.is_err(), "a fetch must point at a kept body");
    assert_eq!(s.sync_runs(None).unwrap().len(), 3, "nothing of it stored");
    assert_eq!(s.data_version().unwrap(), before);
}

/// A held revision points at kept bodies, is listed with its diff, and is
/// decided once, by the audit actor, with the reason given.
pub fn revisions_are_held_then_decided_once(db: &Db) {
    let mut s = db.open();
    let body = Blob {
        sha256: "ab".repeat(32),
        bytes: vec![1, 2, 3],
        encoding: "identity".into(),
    };
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
        .unwrap()
        .to_utc();
    let run = SyncRun {
        source: "tallies".into(),
        started_at: at,
        finished_at: at,
        ok: false,
        new_records: 0,
        requests: 1,
        message: "held".into(),
    };
    s.record_sync(&run, &[], std::slice::from_ref(&body)).unwrap();
    let held = Revision {
        id: 0,
        source: "tallies".into(),
        created_at: at,
        reason: "lowers 1 cumulative figure".into(),
        diff: "personnel 2025-02-28: 874,560 → 874,000\ntank 2025-02-28: 10,000 → 9,990".into(),
        files: vec![("russia losses personnel.json".into(), body.sha256.clone())],
        status: "pending".into(),
        decided_at: None,
        decided_by: None,
        why: None,
    };
    let missing = Revision {
        files: vec![("x.json".into(), "cd".repeat(32))],
        ..held.clone()
    };
    assert!(
        matches!(s.put_revision(&missing), Err(StoreError::Conflict(_))),
        "a revision must point at kept bodies"
    );
    let id = s.put_revision(&held).unwrap();
    let listed = s.revisions().unwrap();
    assert_eq!(
        listed,
        vec![Revision { id, ..held.clone() }],
        "back as held, names with spaces too"
    );
    s.set_audit_context(AuditContext {
        actor: "cli:ana".into(),
        via: "review reject".into(),
    });
    assert!(s.decide_revision(id, false, "upstream glitch").unwrap());
    assert!(!s.decide_revision(id, true, "too late").unwrap(), "decided once");
    assert!(!s.decide_revision(id + 1, true, "none").unwrap(), "unknown");
    let r = &s.revisions().unwrap()[0];
    assert_eq!(
        (r.status.as_str(), r.decided_by.as_deref(), r.why.as_deref()),
        ("rejected", Some("cli:ana"), Some("upstream glitch"))
    );
    assert!(r.decided_at.is_some());
}

/// A vintage is stored whole, once: the same vintage again (another file)
/// adds nothing; each series keeps its vintages apart, oldest first.
pub fn vintages_are_stored_whole_once(db: &Db) {
    use frontline_model::{CountSeries, CountStatus, Granularity, PeriodCount, Vintage};
    let mut s = db.open();
    let series = |edition| CountSeries {
        subject: "Ukraine".into(),
        source: "ualosses".into(),
        granularity: Granularity::Month,
        edition,
    };
    let v = |edition, day: &str, killed: u64| Vintage {
        series: series(edition),
        vintage: d(day),
        counts: vec![
            PeriodCount {
                period: d("2025-07-01"),
                status: CountStatus::Killed,
                count: killed,
            },
            PeriodCount {
                period: d("2025-07-01"),
                status: CountStatus::Missing,
                count: 3063,
            },
        ],
    };
    let r = s
        .import_vintage(&meta("v1", SourceKind::Counts), &v(1, "2025-08-21", 718))
        .unwrap();
    assert_eq!(r.added, 2);
    let again = s
        .import_vintage(&meta("v1b", SourceKind::Counts), &v(1, "2025-08-21", 718))
        .unwrap();
    assert_eq!((again.added, again.already_imported), (0, false));
    assert!(
        s.import_vintage(&meta("v1", SourceKind::Counts), &v(1, "2025-08-21", 718))
            .unwrap()
            .already_imported
    );
    s.import_vintage(&meta("v2", SourceKind::Counts), &v(1, "2025-10-28", 1234))
        .unwrap();
    s.import_vintage(&meta("e2", SourceKind::Counts), &v(2, "2025-11-08", 1204))
        .unwrap();
    let got = s.vintages(&series(1)).unwrap();
    assert_eq!(got, vec![v(1, "2025-08-21", 718), v(1, "2025-10-28", 1234)]);
    assert_eq!(s.vintages(&series(2)).unwrap(), vec![v(2, "2025-11-08", 1204)]);
    assert_eq!(
        s.count_series().unwrap(),
        vec![
            (series(1), vec![d("2025-08-21"), d("2025-10-28")]),
            (series(2), vec![d("2025-11-08")])
        ]
    );
}
