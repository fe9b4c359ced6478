//! `sources`, `categories`, `notes`, `audit` and `token list`: what the
//! database holds.

use crate::answers::{AuditRow, Category, GazetteerRow, Note, Source, TokenRow};
use crate::requests::NotesRequest;
use anyhow::Result;
use chrono::SecondsFormat;
use frontline_model::{Claimant, Subject};
use frontline_store::Store;

/// Every imported source.
pub fn sources(store: &dyn Store) -> Result<Vec<Source>> {
    Ok(store
        .sources()?
        .into_iter()
        .map(|s| Source {
            id: s.id,
            location: s.location,
            kind: s.kind.as_str().into(),
            sha256: s.sha256,
            imported_at: s.imported_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            records: s.records,
            added: s.added,
        })
        .collect())
}

/// Every imported gazetteer with its coverage, in import order.
pub fn gazetteers(store: &dyn Store) -> Result<Vec<GazetteerRow>> {
    Ok(store
        .gazetteers()?
        .into_iter()
        .map(|g| GazetteerRow {
            file: g.location,
            places: g.places,
            min_population: g.coverage.min_population,
            classes: g.coverage.classes.join(","),
            region: g.coverage.region(),
            coverage_from: g.coverage.from,
            imported_at: g.imported_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .collect())
}

/// Every stored tally series.
pub fn categories(store: &dyn Store) -> Result<Vec<Category>> {
    Ok(store
        .tally_catalog(None)?
        .into_iter()
        .map(|s| Category {
            claimant: s.key.claimant.as_str().into(),
            subject: s.key.subject.as_str().into(),
            category: s.key.category.as_str().into(),
            first: s.first,
            last: s.last,
            days: s.days,
        })
        .collect())
}

/// Text attributes of reports in a date range.
pub fn notes(store: &dyn Store, args: &NotesRequest) -> Result<Vec<Note>> {
    let to = args.to.unwrap_or(args.from);
    Ok(store
        .tally_notes(
            &Claimant::new(&args.claimant),
            &Subject::new(&args.subject),
            args.from..=to,
        )?
        .into_iter()
        .map(|n| Note {
            date: n.date,
            field: n.field,
            text: n.text,
        })
        .collect())
}

/// Recorded writes at or after `since` (midnight UTC).
pub fn audit(store: &dyn Store, since: Option<chrono::NaiveDate>) -> Result<Vec<AuditRow>> {
    let since = since.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc());
    Ok(store
        .audit(since)?
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: e.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            actor: e.actor,
            via: e.via,
            action: e.action,
            sources: e.sources.iter().map(i64::to_string).collect::<Vec<_>>().join(" "),
            added: e.added,
            updated: e.updated,
            tombstoned: e.tombstoned,
        })
        .collect())
}

/// Every token by name, without its hash.
pub fn tokens(store: &dyn Store) -> Result<Vec<TokenRow>> {
    Ok(store
        .tokens()?
        .into_iter()
        .map(|t| TokenRow {
            name: t.name,
            role: t.role.as_str().into(),
            created_at: t.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            revoked_at: t.revoked_at.map(|r| r.to_rfc3339_opts(SecondsFormat::Secs, true)),
        })
        .collect())
}
