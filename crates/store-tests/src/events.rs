//! The events cases (kept apart from `cases.rs` to keep each file one
//! sitting's read).

use crate::Db;
use chrono::NaiveDate;
use frontline_model::{Event, EventKind};
use frontline_store::{EventFilter, KnownBy, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub(crate) fn event(kind: EventKind, subject: &str, date: &str, value: i64) -> Event {
    let mut figures = serde_json::Map::new();
    figures.insert("value".into(), value.into());
    Event {
        id: format!("{kind}/{subject}/{date}"),
        kind,
        date: day(date),
        detected_at: chrono::DateTime::UNIX_EPOCH,
        subject: subject.into(),
        scope: "gs russia".into(),
        figures,
        permalink: format!("/#date={date}"),
        sources: vec!["personnel.json".into()],
    }
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

/// Events are recorded once by id (detecting them again records nothing),
/// read back newest recorded first with their figures and the time they
/// were recorded, filtered by kind and day, capped; a view as of a day
/// before they were recorded has none, and refuses to record.
pub fn events_are_recorded_once_newest_first(db: &Db) {
    let mut s = db.open();
    let all = |s: &dyn Store, kinds: Vec<EventKind>, since: Option<&str>| {
        let filter = EventFilter {
            kinds,
            since: since.map(day),
            limit: 10,
            known_by: None,
        };
        s.events(&filter).unwrap()
    };
    let first = [
        event(EventKind::Record, "personnel", "2024-11-11", 1770),
        event(EventKind::Record, "personnel", "2024-11-12", 1950),
    ];
    let before = chrono::Utc::now();
    let v0 = s.data_version().unwrap();
    assert_eq!(s.put_events(&first).unwrap(), 2);
    let v1 = s.data_version().unwrap();
    assert_ne!(v1, v0, "new events move the data version (feeds revalidate)");
    assert_eq!(s.put_events(&first).unwrap(), 0, "the same events again are not new");
    assert_eq!(s.put_events(&[]).unwrap(), 0);
    // A detection that finds nothing new (a server's health check, every
    // minute) must not empty every cache and rebuild every tile pyramid.
    assert_eq!(s.data_version().unwrap(), v1, "no new event, no new data version");
    let handover = event(EventKind::Handover, "Sudzha", "2024-08-14", 5000);
    assert_eq!(s.put_events(&[first[1].clone(), handover.clone()]).unwrap(), 1);
    let got = all(&*s, vec![], None);
    assert_eq!(
        ids(&got),
        [
            "handover/Sudzha/2024-08-14",
            "record/personnel/2024-11-12",
            "record/personnel/2024-11-11"
        ]
    );
    assert_eq!(got[1].number("value"), 1950.0);
    assert_eq!(
        (got[1].subject.as_str(), got[1].sources.as_slice()),
        ("personnel", &["personnel.json".to_string()][..])
    );
    assert!(
        got[2].detected_at >= before - chrono::Duration::seconds(1),
        "stamped when recorded, not as given"
    );
    assert_eq!(
        ids(&all(&*s, vec![EventKind::Handover], None)),
        ["handover/Sudzha/2024-08-14"]
    );
    assert_eq!(
        ids(&all(&*s, vec![EventKind::Record], Some("2024-11-12"))),
        ["record/personnel/2024-11-12"]
    );
    let capped = s
        .events(&EventFilter {
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ids(&capped), ["handover/Sudzha/2024-08-14"]);
    // Recorded today: unknown to a view of yesterday, known to one of today.
    let today = chrono::Utc::now().date_naive();
    let mut then = KnownBy::new(&mut *s, today.pred_opt().unwrap());
    assert!(all(&then, vec![], None).is_empty());
    assert!(
        then.put_events(&[handover]).is_err(),
        "a view of a past day records nothing"
    );
    let now = KnownBy::new(&mut *s, today);
    assert_eq!(all(&now, vec![], None).len(), 3);
}
