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
