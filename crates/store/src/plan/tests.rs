//! The import rules, without a database.

use super::*;
use chrono::{TimeZone, Utc};
use frontline_model::{Category, EvidenceDates, LossStatus, SourceKind, SourceMeta};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn item(key: &str, status: LossStatus, model: &str) -> EvidenceItem {
    EvidenceItem {
        source: "oryx".into(),
        key: key.into(),
        side: "Russia".into(),
        category: "tanks".into(),
        model: model.into(),
        status,
        count: 1,
        dates: EvidenceDates::new(
            Some(d("2024-08-10")),
            None,
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        ),
        location: None,
        proof_urls: vec![],
    }
}

fn file(sha: &str, items: Vec<EvidenceItem>, coverage: Coverage) -> EvidenceImport {
    EvidenceImport {
        meta: SourceMeta::new(
            format!("{sha}.csv"),
            sha,
            SourceKind::Losses,
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        ),
        items,
        coverage,
    }
}

/// The store after importing these items once (each at version `v`).
fn stored(items: &[(EvidenceItem, u32, bool)]) -> HashMap<String, KnownItem> {
    items
        .iter()
        .map(|(i, v, t)| {
            (
                i.id(),
                KnownItem {
                    version: *v,
                    tombstoned: *t,
                    current: i.clone(),
                },
            )
        })
        .collect()
}

fn ids<'a>(p: &'a EvidencePlan) -> Vec<(&'a str, u32, bool)> {
    p.files
        .iter()
        .flat_map(|f| f.writes.iter().map(|w| (w.id.as_str(), w.version, w.first)))
        .collect()
}

#[test]
fn new_changed_unchanged_and_returning_items() {
    use LossStatus::*;
    let known = stored(&[
        (item("1", Destroyed, "T-72B"), 1, false),
        (item("2", Destroyed, "T-80"), 3, false),
        (item("3", Destroyed, "T-90"), 1, true),
    ]);
    let files = [file(
        "a",
        vec![
            item("1", Destroyed, "T-72B"),
            item("2", Damaged, "T-80"),
            item("3", Destroyed, "T-90"),
            item("4", Captured, "BMP-2"),
        ],
        Coverage::Full,
    )];
    let p = evidence(&files, &HashSet::new(), known);
    // Unchanged is not written; a change is the next version; an item back
    // after being marked gone gets a version even with the same content.
    assert_eq!(
        ids(&p),
        [("oryx:2", 4, false), ("oryx:3", 2, false), ("oryx:4", 1, true)]
    );
    assert_eq!((p.report.added, p.report.updated, p.report.unchanged), (1, 2, 1));
    assert_eq!(p.report.files, 1);
}

#[test]
fn a_full_list_tombstones_only_the_statuses_it_lists() {
    use LossStatus::*;
    let known = stored(&[
        (item("1", Destroyed, "T-72B"), 1, false),
        (item("2", Destroyed, "T-80"), 1, false),
        (item("3", Captured, "T-90"), 1, false),
        (item("5", Destroyed, "T-62"), 2, true),
    ]);
    let files = [file("a", vec![item("1", Destroyed, "T-72B")], Coverage::Full)];
    let p = evidence(&files, &HashSet::new(), known);
    // 2 is a destroyed item this list no longer lists; 3 is captured, a
    // status this list says nothing of; 5 was gone already.
    assert_eq!(p.tombstone, ["oryx:2"]);
    assert_eq!(p.report.tombstoned, 1);
}

#[test]
fn a_partial_list_tombstones_what_it_names_unless_another_file_lists_it() {
    use LossStatus::*;
    let known = stored(&[
        (item("1", Destroyed, "T-72B"), 1, false),
        (item("2", Destroyed, "T-80"), 1, false),
        (item("3", Destroyed, "T-90"), 1, false),
        (item("4", Destroyed, "T-62"), 1, true),
    ]);
    let gone = |ids: &[&str]| Coverage::Partial {
        gone: ids.iter().map(|s| s.to_string()).collect(),
    };
    let files = [
        file("a", vec![], gone(&["oryx:1", "oryx:2", "oryx:4", "oryx:9"])),
        file("b", vec![item("2", Destroyed, "T-80")], gone(&[])),
    ];
    let p = evidence(&files, &HashSet::new(), known);
    // 2 is listed again by the second file; 4 was gone already; 9 was never
    // stored; 3 is not named, and a partial list's silence says nothing.
    assert_eq!(p.tombstone, ["oryx:1"]);
}

#[test]
fn bytes_imported_before_or_twice_in_one_import_are_skipped() {
    use LossStatus::*;
    let files = [
        file("old", vec![item("1", Destroyed, "x")], Coverage::Full),
        file("new", vec![item("2", Destroyed, "x")], Coverage::Full),
        file("new", vec![item("3", Destroyed, "x")], Coverage::Full),
    ];
    let before = HashSet::from(["old".to_string()]);
    let p = evidence(&files, &before, HashMap::new());
    assert_eq!(ids(&p), [("oryx:2", 1, true)]);
    assert_eq!((p.report.files, p.report.already_imported), (1, 2));

    // Nothing new: no source is written, so nothing can be marked gone.
    let known = stored(&[(item("7", Destroyed, "x"), 1, false)]);
    let p = evidence(&files[..1], &before, known);
    assert!(p.files.is_empty() && p.tombstone.is_empty());
}

#[test]
fn an_item_changed_by_two_files_of_one_import_gets_two_versions() {
    use LossStatus::*;
    let files = [
        file("a", vec![item("1", Damaged, "T-72")], Coverage::Full),
        file("b", vec![item("1", Destroyed, "T-72")], Coverage::Full),
        file("c", vec![item("1", Destroyed, "T-72")], Coverage::Full),
    ];
    let p = evidence(&files, &HashSet::new(), HashMap::new());
    assert_eq!(ids(&p), [("oryx:1", 1, true), ("oryx:1", 2, false)]);
    assert_eq!((p.report.added, p.report.updated, p.report.unchanged), (1, 1, 1));
    // The first file's status scope (damaged) lost the item to the second's:
    // it is listed, so never marked gone.
    assert!(p.tombstone.is_empty());
}

fn key(cat: &str) -> SeriesKey {
    SeriesKey {
        claimant: Claimant::new("gs"),
        subject: Subject::new("ru"),
        category: Category::new(cat),
    }
}

fn obs(cat: &str, day: &str, v: i64) -> TallyObservation {
    TallyObservation {
        key: key(cat),
        date: d(day),
        cumulative: v,
        qualifier: None,
    }
}

#[test]
fn a_tally_file_stores_only_new_and_revised_records() {
    let mut now = TallyState::default();
    now.observations.insert((key("tanks"), d("2024-01-01")), (100, None));
    now.observations.insert((key("tanks"), d("2024-01-02")), (105, None));
    now.corrections.insert((key("tanks"), d("2024-01-02")), -3);
    now.notes.insert(
        (Claimant::new("gs"), Subject::new("ru"), d("2024-01-02"), "note".into()),
        "as before".into(),
    );
    let mut revised = obs("tanks", "2024-01-01", 100);
    revised.qualifier = Some("about".into());
    let note = |text: &str| TallyNote {
        claimant: Claimant::new("gs"),
        subject: Subject::new("ru"),
        date: d("2024-01-02"),
        field: "note".into(),
        text: text.into(),
    };
    let batch = TallyBatch {
        observations: vec![
            obs("tanks", "2024-01-02", 105), // unchanged
            obs("tanks", "2024-01-03", 111), // new
            obs("tanks", "2024-01-03", 111), // the same again in one file
            revised,                         // same figure, new qualifier
            obs("apcs", "2024-01-02", 105),  // another series
        ],
        corrections: vec![
            TallyCorrection {
                key: key("tanks"),
                date: d("2024-01-02"),
                delta: -3,
            },
            TallyCorrection {
                key: key("tanks"),
                date: d("2024-01-03"),
                delta: 2,
            },
        ],
        notes: vec![note("as before"), note("revised")],
        merges: vec![],
    };
    let w = tallies(&batch, now);
    let got: Vec<(&str, NaiveDate, i64)> = w
        .observations
        .iter()
        .map(|o| (o.key.category.as_str(), o.date, o.cumulative))
        .collect();
    assert_eq!(
        got,
        [
            ("tanks", d("2024-01-03"), 111),
            ("tanks", d("2024-01-01"), 100),
            ("apcs", d("2024-01-02"), 105)
        ]
    );
    assert_eq!(w.corrections.len(), 1);
    assert_eq!(w.corrections[0].delta, 2);
    assert_eq!(w.notes.len(), 1);
    assert_eq!(w.notes[0].text, "revised");
    assert_eq!(w.len(), 5);
    assert_eq!(touched(&batch), [&key("tanks"), &key("apcs")]);
}
