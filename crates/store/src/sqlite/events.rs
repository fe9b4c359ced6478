//! Events: recorded once by id, read back newest first.

use super::time;
use crate::plan::{event_body, event_kinds, event_of};
use crate::{EventFilter, StoreError};
use frontline_model::Event;
use rusqlite::{Connection, params};

/// Inserts the events whose id is new, stamped `now`; how many were.
pub(crate) fn put(
    conn: &Connection,
    events: &[Event],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO event (id, kind, date, detected_at, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut added = 0;
    for e in events {
        let e = Event {
            detected_at: now,
            ..e.clone()
        };
        added += stmt.execute(params![
            e.id,
            e.kind.as_str(),
            e.date.to_string(),
            now.to_rfc3339(),
            event_body(&e)?
        ])?;
    }
    Ok(added)
}

pub(crate) fn list(conn: &Connection, filter: &EventFilter) -> Result<Vec<Event>, StoreError> {
    // The kinds are few and known: one placeholder list, bound.
    let kinds = event_kinds(filter);
    let marks: Vec<String> = (0..kinds.len()).map(|i| format!("?{}", i + 4)).collect();
    let sql = format!(
        "SELECT body, detected_at FROM event WHERE (?1 IS NULL OR date >= ?1) \
         AND (?2 IS NULL OR substr(detected_at, 1, 10) <= ?2) AND kind IN ({}) ORDER BY seq DESC LIMIT ?3",
        marks.join(", ")
    );
    let mut args: Vec<rusqlite::types::Value> = vec![
        filter.since.map(|d| d.to_string()).into(),
        filter.known_by.map(|d| d.to_string()).into(),
        (filter.limit as i64).into(),
    ];
    args.extend(kinds.into_iter().map(rusqlite::types::Value::from));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (body, at) = row?;
        out.push(event_of(&body, time(&at, "event", "detected_at")?)?);
    }
    Ok(out)
}
