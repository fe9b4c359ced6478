//! Webhook subscriptions and their deliveries (docs/webhooks.md).

use super::time;
use crate::plan::{after_attempt, delivery_status, event_of, kinds_of, kinds_text};
use crate::{Attempt, DeliveryFilter, StoreError, SubscriptionChange};
use chrono::{DateTime, SecondsFormat, Utc};
use frontline_model::{Delivery, DeliveryStatus, Subscription};
use rusqlite::{Connection, OptionalExtension, params};

/// Times as fixed-width UTC text, so that comparing the text compares
/// the times (`next_at <= ?`).
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn put(conn: &Connection, s: &Subscription) -> Result<(), StoreError> {
    let taken: Option<i64> = conn
        .query_row("SELECT 1 FROM subscription WHERE id = ?1", [&s.id], |r| r.get(0))
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "a subscription `{}` exists already",
            s.id
        )));
    }
    conn.execute(
        "INSERT INTO subscription (id, url, kinds, secret, created_by, created_at, after_seq, paused_at, paused_reason) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT COALESCE(MAX(seq), 0) FROM event), ?7, ?8)",
        params![
            s.id,
            s.url,
            kinds_text(&s.kinds),
            s.secret,
            s.created_by,
            stamp(s.created_at),
            s.paused.as_ref().map(|(at, _)| stamp(*at)),
            s.paused.as_ref().map(|(_, why)| why.clone()),
        ],
    )?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<Subscription>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, url, kinds, secret, created_by, created_at, paused_at, paused_reason FROM subscription ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (kinds, created, paused_at): (String, String, Option<String>) = (r.get(2)?, r.get(5)?, r.get(6)?);
        let paused = match paused_at {
            Some(at) => Some((
                time(&at, "subscription", "paused_at")?,
                r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            )),
            None => None,
        };
        out.push(Subscription {
            id: r.get(0)?,
            url: r.get(1)?,
            kinds: kinds_of(&kinds)?,
            secret: r.get(3)?,
            created_by: r.get(4)?,
            created_at: time(&created, "subscription", "created_at")?,
            paused,
        });
    }
    Ok(out)
}

pub(crate) fn change(conn: &Connection, id: &str, change: &SubscriptionChange) -> Result<bool, StoreError> {
    let n = match change {
        SubscriptionChange::Pause(at, why) => conn.execute(
            "UPDATE subscription SET paused_at = ?2, paused_reason = ?3 WHERE id = ?1",
            params![id, stamp(*at), why],
        )?,
        SubscriptionChange::Resume(at) => {
            // What waited is due now (the retry window starts again).
            conn.execute(
                "UPDATE delivery SET next_at = ?2 WHERE subscription = ?1 AND status = 'pending'",
                params![id, stamp(*at)],
            )?;
            conn.execute(
                "UPDATE subscription SET paused_at = NULL, paused_reason = NULL WHERE id = ?1",
                [id],
            )?
        }
        SubscriptionChange::Remove => {
            conn.execute("DELETE FROM delivery WHERE subscription = ?1", [id])?;
            conn.execute("DELETE FROM subscription WHERE id = ?1", [id])?
        }
    };
    Ok(n > 0)
}

pub(crate) fn queue(conn: &Connection, now: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "INSERT INTO delivery (subscription, event_seq, status, attempts, created_at, next_at) \
         SELECT s.id, e.seq, 'pending', 0, ?1, ?1 FROM subscription s JOIN event e ON e.seq > s.after_seq \
         WHERE instr(s.kinds, ',' || e.kind || ',') > 0 \
         AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.subscription = s.id AND d.event_seq = e.seq) \
         ORDER BY e.seq",
        [stamp(now)],
    )?)
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    u32,
    String,
    String,
    Option<String>,
    Option<u16>,
    Option<String>,
);

pub(crate) fn list_deliveries(conn: &Connection, f: &DeliveryFilter) -> Result<Vec<Delivery>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.subscription, e.body, e.detected_at, d.status, d.attempts, d.created_at, d.next_at, \
         d.last_at, d.last_status, d.last_error \
         FROM delivery d JOIN event e ON e.seq = d.event_seq JOIN subscription s ON s.id = d.subscription \
         WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.subscription = ?2) \
         AND (?3 IS NULL OR (d.status = 'pending' AND d.next_at <= ?3 AND s.paused_at IS NULL)) \
         ORDER BY d.id LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![
            f.status.map(DeliveryStatus::as_str),
            f.subscription,
            f.due_by.map(stamp),
            f.limit as i64
        ],
        |r| Row::try_from(r),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, subscription, body, detected, status, attempts, created, next, last_at, last_status, last_error) =
            row?;
        out.push(Delivery {
            id,
            subscription,
            event: event_of(&body, time(&detected, "event", "detected_at")?)?,
            status: delivery_status(&status)?,
            attempts,
            created_at: time(&created, "delivery", "created_at")?,
            next_at: time(&next, "delivery", "next_at")?,
            last: match last_at {
                Some(at) => Some((time(&at, "delivery", "last_at")?, last_status, last_error)),
                None => None,
            },
        });
    }
    Ok(out)
}

pub(crate) fn record(conn: &Connection, id: i64, a: &Attempt) -> Result<(), StoreError> {
    let (status, next) = after_attempt(a.then);
    conn.execute(
        "UPDATE delivery SET status = ?2, attempts = attempts + 1, next_at = COALESCE(?3, next_at), \
         last_at = ?4, last_status = ?5, last_error = ?6 WHERE id = ?1",
        params![id, status.as_str(), next.map(stamp), stamp(a.at), a.status, a.error],
    )?;
    Ok(())
}
