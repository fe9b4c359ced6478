use super::*;
use chrono::{TimeZone, Utc};
use frontline_model::{Category, CategoryMerge, SourceKind, SourceMeta, TallyBatch, TallyCorrection, TallyObservation};

fn key(cat: &str) -> SeriesKey {
    SeriesKey {
        claimant: Claimant::new("gs"),
        subject: Subject::new("ru"),
        category: Category::new(cat),
    }
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn obs(cat: &str, date: &str, v: i64) -> TallyObservation {
    TallyObservation {
        key: key(cat),
        date: d(date),
        cumulative: v,
        qualifier: None,
    }
}

fn file(sha: &str, observations: Vec<TallyObservation>) -> TallyImport {
    TallyImport {
        meta: SourceMeta {
            location: format!("{sha}.json"),
            sha256: sha.to_string(),
            kind: SourceKind::GeneralStaffJson,
            imported_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        },
        batch: TallyBatch {
            observations,
            ..Default::default()
        },
    }
}

#[test]
fn fresh_database_is_at_latest_schema() {
    let s = SqliteStore::open_in_memory().unwrap();
    assert_eq!(s.schema_version().unwrap(), migrations::MIGRATIONS.len() as i64);
}

#[test]
fn reopening_a_file_keeps_data_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.import_tallies(&[file("a", vec![obs("tank", "2024-01-01", 5)])])
            .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.tally_series(&key("tank")).unwrap().unwrap().points.len(), 1);
}

#[test]
fn same_bytes_twice_add_nothing() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let f = file("a", vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 7)]);
    let first = s.import_tallies(std::slice::from_ref(&f)).unwrap();
    assert_eq!(first[0].added, 2);
    let second = s.import_tallies(&[f]).unwrap();
    assert!(second[0].already_imported);
    assert_eq!(second[0].added, 0);
    assert_eq!(s.sources().unwrap().len(), 1);
}

#[test]
fn identical_figures_from_another_file_are_not_stored_again() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.import_tallies(&[file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    let r = s
        .import_tallies(&[file(
            "b",
            vec![obs("tank", "2024-01-01", 5), obs("tank", "2024-01-02", 6)],
        )])
        .unwrap();
    assert_eq!(r[0].added, 1);
}

#[test]
fn a_revision_becomes_current_and_history_is_kept() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.import_tallies(&[file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    s.import_tallies(&[file("b", vec![obs("tank", "2024-01-01", 9)])])
        .unwrap();
    let series = s.tally_series(&key("tank")).unwrap().unwrap();
    assert_eq!(series.points.len(), 1);
    assert_eq!(series.points[0].cumulative, 9);
    let stored: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM tally_observation", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 2);
}

#[test]
fn merge_baseline_sums_predecessors_last_figures() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut f = file(
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
    f.batch.corrections.push(TallyCorrection {
        key: key("both"),
        date: d("2022-05-01"),
        delta: -2,
    });
    s.import_tallies(&[f]).unwrap();
    let series = s.tally_series(&key("both")).unwrap().unwrap();
    assert_eq!(series.continues.unwrap().baseline, 15);
    assert_eq!(series.corrections, vec![(d("2022-05-01"), -2)]);
    let catalog = s.tally_catalog().unwrap();
    assert_eq!(catalog.len(), 3);
}

#[test]
fn unknown_series_is_none() {
    let s = SqliteStore::open_in_memory().unwrap();
    assert!(s.tally_series(&key("tank")).unwrap().is_none());
}

mod evidence {
    use super::*;
    use crate::EvidenceImport;
    use frontline_model::{EvidenceDates, EvidenceItem, LossStatus};

    fn item(key: &str, status: LossStatus, model: &str) -> EvidenceItem {
        EvidenceItem {
            source: "oryx".into(),
            key: key.into(),
            side: "russia".into(),
            category: "tanks".into(),
            model: model.into(),
            status,
            count: 1,
            dates: EvidenceDates {
                event: Some(d("2024-08-10")),
                published: Some(d("2024-08-12")),
                recorded: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            },
            location: None,
            proof_urls: vec![format!("https://x/{key}.jpg")],
        }
    }

    fn import(s: &mut SqliteStore, sha: &str, items: Vec<EvidenceItem>) -> crate::EvidenceReport {
        let meta = SourceMeta {
            location: format!("{sha}.csv"),
            sha256: sha.into(),
            kind: SourceKind::Losses,
            imported_at: Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(),
        };
        s.import_evidence(&[EvidenceImport { meta, items }]).unwrap()
    }

    #[test]
    fn versions_tombstones_and_history() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let r = import(
            &mut s,
            "a",
            vec![
                item("1", LossStatus::Destroyed, "T-72B3"),
                item("2", LossStatus::Destroyed, "T-80BV"),
            ],
        );
        assert_eq!((r.added, r.updated, r.tombstoned), (2, 0, 0));
        // Same bytes: nothing. Changed content: a version. Missing: tombstone.
        assert_eq!(import(&mut s, "a", vec![]).already_imported, 1);
        let r = import(&mut s, "b", vec![item("1", LossStatus::Destroyed, "T-72B3M")]);
        assert_eq!((r.added, r.updated, r.unchanged, r.tombstoned), (0, 1, 0, 1));
        let current = s.evidence_items(None).unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].model, "T-72B3M");
        let h = s.evidence_history("oryx:1").unwrap();
        assert_eq!(
            h.iter().map(|v| (v.version, v.item.model.as_str())).collect::<Vec<_>>(),
            [(1, "T-72B3"), (2, "T-72B3M")]
        );
        let gone = s.evidence_history("https://x/2.jpg").unwrap();
        assert!(gone[0].tombstoned);
        // Listed again: revived as a new version.
        let r = import(
            &mut s,
            "c",
            vec![
                item("1", LossStatus::Destroyed, "T-72B3M"),
                item("2", LossStatus::Destroyed, "T-80BV"),
            ],
        );
        assert_eq!((r.unchanged, r.updated), (1, 1));
        assert_eq!(s.evidence_items(None).unwrap().len(), 2);
    }

    #[test]
    fn tombstones_stay_within_the_imported_statuses() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        import(
            &mut s,
            "a",
            vec![
                item("1", LossStatus::Destroyed, "T-72B3"),
                item("2", LossStatus::Captured, "T-80BV"),
            ],
        );
        let r = import(&mut s, "b", vec![item("1", LossStatus::Destroyed, "T-72B3")]);
        assert_eq!(r.tombstoned, 0, "captured items were not part of this import");
    }
}
