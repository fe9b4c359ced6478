//! Webhook subscriptions and their deliveries (as `sqlite/webhooks.rs`).

use super::Query;
use crate::plan::{after_attempt, delivery_status, event_of, kinds_of, kinds_text};
use crate::{Attempt, DeliveryFilter, StoreError, SubscriptionChange};
use chrono::{DateTime, Utc};
use frontline_model::{Delivery, DeliveryStatus, Subscription};
use postgres::GenericClient;

pub(crate) fn put(c: &mut impl GenericClient, s: &Subscription) -> Result<(), StoreError> {
    if c.query_opt("SELECT 1 FROM subscription WHERE id = $1", &[&s.id])?
        .is_some()
    {
        return Err(StoreError::Conflict(format!(
            "a subscription `{}` exists already",
            s.id
        )));
    }
    c.execute(
        "INSERT INTO subscription (id, url, kinds, secret, created_by, created_at, after_seq, paused_at, paused_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(seq), 0) FROM event), $7, $8)",
        &[
            &s.id,
            &s.url,
            &kinds_text(&s.kinds),
            &s.secret,
            &s.created_by,
            &s.created_at,
            &s.paused.as_ref().map(|(at, _)| *at),
            &s.paused.as_ref().map(|(_, why)| why.clone()),
        ],
    )?;
    Ok(())
}

pub(crate) fn list(c: &mut impl Query) -> Result<Vec<Subscription>, StoreError> {
    let rows = c.q(
        "SELECT id, url, kinds, secret, created_by, created_at, paused_at, paused_reason FROM subscription \
         ORDER BY id COLLATE \"C\"",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let paused: Option<DateTime<Utc>> = r.get(6);
            Ok(Subscription {
                id: r.get(0),
                url: r.get(1),
                kinds: kinds_of(r.get(2))?,
                secret: r.get(3),
                created_by: r.get(4),
                created_at: r.get(5),
                paused: paused.map(|at| (at, r.get::<_, Option<String>>(7).unwrap_or_default())),
            })
        })
        .collect()
}

pub(crate) fn change(c: &mut impl GenericClient, id: &str, change: &SubscriptionChange) -> Result<bool, StoreError> {
    let n = match change {
        SubscriptionChange::Pause(at, why) => c.execute(
            "UPDATE subscription SET paused_at = $2, paused_reason = $3 WHERE id = $1",
            &[&id, at, why],
        )?,
        SubscriptionChange::Resume(at) => {
            c.execute(
                "UPDATE delivery SET next_at = $2 WHERE subscription = $1 AND status = 'pending'",
                &[&id, at],
            )?;
            c.execute(
                "UPDATE subscription SET paused_at = NULL, paused_reason = NULL WHERE id = $1",
                &[&id],
            )?
        }
        SubscriptionChange::Remove => {
            c.execute("DELETE FROM delivery WHERE subscription = $1", &[&id])?;
            c.execute("DELETE FROM subscription WHERE id = $1", &[&id])?
        }
    };
    Ok(n > 0)
}

pub(crate) fn queue(c: &mut impl GenericClient, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(c.execute(
        "INSERT INTO delivery (subscription, event_seq, status, attempts, created_at, next_at) \
         SELECT s.id, e.seq, 'pending', 0, $1, $1 FROM subscription s JOIN event e ON e.seq > s.after_seq \
         WHERE strpos(s.kinds, ',' || e.kind || ',') > 0 \
         AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.subscription = s.id AND d.event_seq = e.seq) \
         ORDER BY e.seq ON CONFLICT DO NOTHING",
        &[&now],
    )? as usize)
}

pub(crate) fn list_deliveries(c: &mut impl Query, f: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
    let rows = c.q(
        "SELECT d.id, d.subscription, e.body, e.detected_at, d.status, d.attempts, d.created_at, d.next_at, \
         d.last_at, d.last_status, d.last_error \
         FROM delivery d JOIN event e ON e.seq = d.event_seq JOIN subscription s ON s.id = d.subscription \
         WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.subscription = $2) \
         AND ($3::timestamptz IS NULL OR (d.status = 'pending' AND d.next_at <= $3 AND s.paused_at IS NULL)) \
         ORDER BY d.id LIMIT $4",
        &[
            &f.status.map(DeliveryStatus::as_str),
            &f.subscription,
            &f.due_by,
            &(f.limit as i64),
        ],
    )?;
    rows.iter()
        .map(|r| {
            let last_at: Option<DateTime<Utc>> = r.get(8);
            let last_status: Option<i32> = r.get(9);
            Ok(Delivery {
                id: r.get(0),
                subscription: r.get(1),
                event: event_of(r.get(2), r.get(3))?,
                status: delivery_status(r.get(4))?,
                attempts: r.get::<_, i32>(5).max(0) as u32,
                created_at: r.get(6),
                next_at: r.get(7),
                last: last_at.map(|at| (at, last_status.map(|s| s as u16), r.get(10))),
            })
        })
        .collect()
}

pub(crate) fn record(c: &mut impl GenericClient, id: i64, a: &Attempt) -> Result<(), StoreError> {
    let (status, next) = after_attempt(a.then);
    c.execute(
        "UPDATE delivery SET status = $2, attempts = attempts + 1, next_at = COALESCE($3, next_at), \
         last_at = $4, last_status = $5, last_error = $6 WHERE id = $1",
        &[&id, &status.as_str(), &next, &a.at, &a.status.map(i32::from), &a.error],
    )?;
    Ok(())
}
