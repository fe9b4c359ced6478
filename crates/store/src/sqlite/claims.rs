//! The claims ledger: each claim by its id, every version kept.

use super::sources;
use crate::{ImportReport, StoreError, StoredClaim};
use frontline_model::{Claim, SourceMeta};
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) fn import(conn: &Connection, meta: &SourceMeta, claims: &[Claim]) -> Result<ImportReport, StoreError> {
    if let Some(id) = sources::find(conn, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let source_id = sources::insert(conn, meta, claims.len())?;
    let mut added = 0;
    for c in claims {
        let body = crate::plan::claim_body(c)?;
        let last: Option<(u32, String)> = conn
            .prepare_cached("SELECT version, body FROM claim WHERE claim_id = ?1 ORDER BY version DESC LIMIT 1")?
            .query_row([&c.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let version = match last {
            Some((_, b)) if b == body => continue,
            Some((v, _)) => v + 1,
            None => 1,
        };
        conn.prepare_cached("INSERT INTO claim (claim_id, version, source_id, body) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![c.id, version, source_id, body])?;
        added += 1;
    }
    sources::finish(conn, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, claims.len(), added))
}

pub(crate) fn current(conn: &Connection, known_by: Option<chrono::NaiveDate>) -> Result<Vec<StoredClaim>, StoreError> {
    // With a knowledge day: the first version of each claim (the claim was
    // public when it was said; the caller checks that day), and later
    // versions (edits to the ledger) from their import day.
    let mut stmt = conn.prepare_cached(
        "SELECT c.version, c.body, s.location FROM claim c JOIN source s ON s.id = c.source_id \
         WHERE c.version = (SELECT MAX(w.version) FROM claim w JOIN source t ON t.id = w.source_id \
           WHERE w.claim_id = c.claim_id AND (?1 IS NULL OR w.version = 1 OR substr(t.imported_at, 1, 10) <= ?1)) \
         ORDER BY c.claim_id",
    )?;
    let rows = stmt.query_map([known_by.map(|d| d.to_string())], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, body, source_location) = row?;
        let claim = serde_json::from_str(&body).map_err(|_| StoreError::Corrupt {
            table: "claim",
            column: "body",
            value: body.clone(),
        })?;
        out.push(StoredClaim {
            claim,
            version,
            source_location,
        });
    }
    Ok(out)
}
