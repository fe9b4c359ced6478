//! Events: recorded once by id, read back newest first (as SQLite's).

use super::Query;
use crate::plan::{event_body, event_kinds, event_of};
use crate::{EventFilter, StoreError};
use frontline_model::Event;
use postgres::GenericClient;

/// Inserts the events whose id is new, stamped `now`; how many were.
pub(crate) fn put(
    c: &mut impl GenericClient,
    events: &[Event],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StoreError> {
    let mut added = 0;
    for e in events {
        let e = Event {
            detected_at: now,
            ..e.clone()
        };
        added += c.execute(
            "INSERT INTO event (id, kind, date, detected_at, body) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO NOTHING",
            &[&e.id, &e.kind.as_str(), &e.date, &now, &event_body(&e)?],
        )?;
    }
    Ok(added as usize)
}

pub(crate) fn list(c: &mut impl Query, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
    let rows = c.q(
        "SELECT body, detected_at FROM event WHERE ($1::date IS NULL OR date >= $1) \
         AND ($2::date IS NULL OR (detected_at AT TIME ZONE 'UTC')::date <= $2) AND kind = ANY($3) \
         ORDER BY seq DESC LIMIT $4",
        &[
            &filter.since,
            &filter.known_by,
            &event_kinds(filter),
            &(filter.limit as i64),
        ],
    )?;
    rows.iter()
        .map(|r| event_of(&r.get::<_, String>(0), r.get(1)))
        .collect()
}
