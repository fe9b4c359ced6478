//! The webhook cases: subscriptions, and deliveries that survive restarts.

use crate::Db;
use crate::events::event;
use chrono::{Duration, SubsecRound, Utc};
use frontline_model::{DeliveryStatus, EventKind, Subscription};
use frontline_store::{Attempt, AttemptThen, DeliveryFilter, Store, SubscriptionChange};

fn subscription(id: &str, kinds: Vec<EventKind>) -> Subscription {
    Subscription {
        id: id.into(),
        url: format!("https://example.org/{id}"),
        kinds,
        secret: "s3cret".into(),
        created_by: "test".into(),
        created_at: Utc::now(),
        paused: None,
    }
}

fn of(s: &dyn Store, status: Option<DeliveryStatus>, sub: Option<&str>) -> Vec<(String, String)> {
    let filter = DeliveryFilter {
        status,
        subscription: sub.map(str::to_string),
        due_by: None,
        limit: 100,
    };
    let list = s.deliveries(&filter).unwrap();
    list.into_iter().map(|d| (d.subscription, d.event.id)).collect()
}

fn due(s: &dyn Store, by: chrono::DateTime<Utc>) -> Vec<i64> {
    let filter = DeliveryFilter {
        due_by: Some(by),
        limit: 100,
        ..Default::default()
    };
    s.deliveries(&filter).unwrap().into_iter().map(|d| d.id).collect()
}

/// A subscription is owed the events recorded after it was added, of the
/// kinds it follows, once each (queueing again queues nothing, and another
/// handle sees the same queue); an attempt's outcome is kept (a retry is due
/// at its time, a delivered or dead one never again); a paused
/// subscription's deliveries wait and are due at once when it resumes; a
/// removed one takes its deliveries with it. Queueing and attempts leave
/// the data version alone; changing a subscription is audited.
pub fn webhook_deliveries_are_queued_once_and_kept(db: &Db) {
    let mut s = db.open();
    s.put_events(&[event(EventKind::Record, "personnel", "2024-11-11", 1770)])
        .unwrap();
    s.put_subscription(&subscription("sub_a", vec![EventKind::Record]))
        .unwrap();
    s.put_subscription(&subscription("sub_b", vec![EventKind::Handover, EventKind::Record]))
        .unwrap();
    assert!(
        s.put_subscription(&subscription("sub_a", vec![])).is_err(),
        "ids are unique"
    );
    let listed = s.subscriptions().unwrap();
    assert_eq!(listed[1].kinds, [EventKind::Handover, EventKind::Record]);
    assert_eq!((listed[0].id.as_str(), listed[0].secret.as_str()), ("sub_a", "s3cret"));
    // Both backends keep times to the microsecond.
    let now = Utc::now().trunc_subsecs(6);
    assert_eq!(s.queue_deliveries(now).unwrap(), 0, "owed only what comes after");
    s.put_events(&[
        event(EventKind::Record, "personnel", "2024-11-12", 1950),
        event(EventKind::Handover, "Sudzha", "2024-08-14", 5000),
    ])
    .unwrap();
    let version = s.data_version().unwrap();
    assert_eq!(s.queue_deliveries(now).unwrap(), 3);
    assert_eq!(db.open().queue_deliveries(now).unwrap(), 0, "once, whoever queues");
    assert_eq!(
        of(&*s, None, Some("sub_b")),
        [
            ("sub_b".to_string(), "record/personnel/2024-11-12".to_string()),
            ("sub_b".to_string(), "handover/Sudzha/2024-08-14".to_string())
        ]
    );
    assert_eq!(of(&*s, None, Some("sub_a")).len(), 1, "sub_a follows records only");
    let ids = due(&*s, now);
    assert_eq!(ids.len(), 3);
    let later = now + Duration::minutes(5);
    let attempt = |then| Attempt {
        at: now,
        status: Some(500),
        error: Some("HTTP 500".into()),
        then,
    };
    s.record_attempt(ids[0], &attempt(AttemptThen::Retry(later))).unwrap();
    s.record_attempt(ids[1], &attempt(AttemptThen::Delivered)).unwrap();
    s.record_attempt(ids[2], &attempt(AttemptThen::Dead)).unwrap();
    assert_eq!(s.data_version().unwrap(), version, "bookkeeping is not data");
    assert!(due(&*s, now).is_empty());
    assert_eq!(due(&*s, later), [ids[0]]);
    let pending = s
        .deliveries(&DeliveryFilter {
            status: Some(DeliveryStatus::Pending),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(pending.len(), 1);
    let d = &pending[0];
    assert_eq!((d.attempts, d.next_at), (1, later));
    assert_eq!(d.last, Some((now, Some(500), Some("HTTP 500".into()))));
    assert_eq!(of(&*s, Some(DeliveryStatus::Dead), None).len(), 1);
    // Paused: its deliveries wait, however late; resumed: due at once.
    let sub = d.subscription.clone();
    let far = now + Duration::days(2);
    let why = SubscriptionChange::Pause(now, "failing".into());
    assert!(s.change_subscription(&sub, &why).unwrap());
    assert!(due(&*s, far).is_empty());
    let paused = s.subscriptions().unwrap().into_iter().find(|x| x.id == sub).unwrap();
    assert_eq!(paused.paused, Some((now, "failing".to_string())));
    assert!(s.change_subscription(&sub, &SubscriptionChange::Resume(now)).unwrap());
    assert_eq!(due(&*s, now), [ids[0]]);
    assert!(!s.change_subscription("sub_zz", &SubscriptionChange::Remove).unwrap());
    assert!(s.change_subscription("sub_b", &SubscriptionChange::Remove).unwrap());
    assert!(of(&*s, None, Some("sub_b")).is_empty());
    assert_eq!(s.subscriptions().unwrap().len(), 1);
    let audited: Vec<String> = s.audit(None).unwrap().into_iter().map(|a| a.action).collect();
    assert!(audited.iter().any(|a| a == "subscription remove sub_b"), "{audited:?}");
}
