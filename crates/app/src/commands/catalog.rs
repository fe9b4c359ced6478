//! `sources`, `categories` and `notes`: what the database holds.

use crate::args::NotesArgs;
use crate::output::Rows;
use anyhow::Result;
use frontline_model::{Claimant, Subject};
use frontline_store::Store;
use serde_json::json;

/// Every imported source.
pub fn sources(store: &dyn Store) -> Result<Rows> {
    let mut rows = Rows::new(&["id", "location", "kind", "sha256", "imported_at", "records", "added"]);
    for s in store.sources()? {
        rows.push(vec![
            json!(s.id),
            json!(s.location),
            json!(s.kind.as_str()),
            json!(s.sha256),
            json!(s.imported_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            json!(s.records),
            json!(s.added),
        ]);
    }
    Ok(rows)
}

/// Every stored tally series.
pub fn categories(store: &dyn Store) -> Result<Rows> {
    let mut rows = Rows::new(&["claimant", "subject", "category", "first", "last", "days"]);
    for s in store.tally_catalog()? {
        rows.push(vec![
            json!(s.key.claimant.as_str()),
            json!(s.key.subject.as_str()),
            json!(s.key.category.as_str()),
            json!(s.first),
            json!(s.last),
            json!(s.days),
        ]);
    }
    Ok(rows)
}

/// Text attributes of reports in a date range.
pub fn notes(store: &dyn Store, args: &NotesArgs) -> Result<Rows> {
    let to = args.to.unwrap_or(args.from);
    let mut rows = Rows::new(&["date", "field", "text"]);
    for n in store.tally_notes(
        &Claimant::new(&args.claimant),
        &Subject::new(&args.subject),
        args.from,
        to,
    )? {
        rows.push(vec![json!(n.date), json!(n.field), json!(n.text)]);
    }
    Ok(rows)
}

/// Recorded writes at or after `since` (midnight UTC).
pub fn audit(store: &dyn Store, since: Option<chrono::NaiveDate>) -> Result<Rows> {
    let since = since.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc());
    let mut rows = Rows::new(&[
        "id",
        "at",
        "actor",
        "via",
        "action",
        "sources",
        "added",
        "updated",
        "tombstoned",
    ]);
    for e in store.audit(since)? {
        rows.push(vec![
            json!(e.id),
            json!(e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            json!(e.actor),
            json!(e.via),
            json!(e.action),
            json!(e.sources.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")),
            json!(e.added),
            json!(e.updated),
            json!(e.tombstoned),
        ]);
    }
    Ok(rows)
}

/// Every token by name, without its hash.
pub fn tokens(store: &dyn Store) -> Result<Rows> {
    let mut rows = Rows::new(&["name", "role", "created_at", "revoked_at"]);
    for t in store.tokens()? {
        rows.push(vec![
            json!(t.name),
            json!(t.role.as_str()),
            json!(t.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            json!(
                t.revoked_at
                    .map(|r| r.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            ),
        ]);
    }
    Ok(rows)
}
