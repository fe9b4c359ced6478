//! SQLite-specific checks (schema version, files, raw rows). What every
//! backend must do is in the conformance suite, `crates/store-tests`.

use super::*;
use chrono::{TimeZone, Utc};
use frontline_model::{Category, SourceKind, SourceMeta, TallyBatch, TallyObservation};

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
        meta: SourceMeta::new(
            format!("{sha}.json"),
            sha,
            SourceKind::GeneralStaffJson,
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        ),
        batch: TallyBatch {
            observations,
            ..Default::default()
        },
    }
}

#[test]
fn fresh_database_is_at_latest_schema() {
    let s = SqliteStore::open_in_memory().unwrap();
    assert_eq!(s.schema_version().unwrap(), crate::SCHEMA_VERSION);
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
    assert_eq!(s.tally_series(&key("tank"), None).unwrap().unwrap().points.len(), 1);
}

#[test]
fn a_revision_becomes_current_and_history_is_kept() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.import_tallies(&[file("a", vec![obs("tank", "2024-01-01", 5)])])
        .unwrap();
    s.import_tallies(&[file("b", vec![obs("tank", "2024-01-01", 9)])])
        .unwrap();
    let series = s.tally_series(&key("tank"), None).unwrap().unwrap();
    assert_eq!(series.points.len(), 1);
    assert_eq!(series.points[0].cumulative, 9);
    let stored: i64 = s
        .conn
        .query_row("SELECT COUNT(*) FROM tally_observation", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 2);
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    match SqliteStore::open(&path) {
        Err(StoreError::SchemaTooNew { found: 999, supported }) => {
            assert_eq!(supported, migrations::MIGRATIONS.len() as i64)
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
    let v: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, 999, "left as it was");
}

/// Several processes opening a new database file at once all get it (a
/// server and its sync thread did not: switching the new file to WAL
/// answered one of them "locked" without waiting).
#[test]
fn a_new_file_opened_at_once_by_several_handles() {
    for _ in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    SqliteStore::open(&path).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().expect("every handle opens the new file");
        }
    }
}

#[test]
fn stored_days_read_as_chrono_reads_them() {
    // Every day of four years, plus forms only chrono's parser accepts and
    // strings it refuses: the fast path changes no answer.
    let mut cases: Vec<String> = (0..1461)
        .map(|n| (d("2022-01-01") + chrono::Days::new(n)).to_string())
        .collect();
    cases.extend(
        [
            "2024-1-05",
            "2024-01-5",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "20240101",
            "2024/01/01",
        ]
        .map(String::from),
    );
    cases.extend(
        [
            "2024-01-0a",
            "+2024-01-01",
            " 2024-01-01",
            "2024-01-01 ",
            "０２４-01-01",
        ]
        .map(String::from),
    );
    for s in cases {
        let chrono = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
        let ours = parse_date(&s, "t", "c").ok();
        assert_eq!(ours, chrono, "{s:?}");
        if let Some(day) = canonical_day(s.as_bytes()) {
            assert_eq!(Some(day), chrono, "{s:?}");
        }
    }
    assert_eq!(canonical_day(b"2024-02-29"), Some(d("2024-02-29")));
    assert_eq!(canonical_day(b"2024-1-05"), None);
}
