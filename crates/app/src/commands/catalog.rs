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
