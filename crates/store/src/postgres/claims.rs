//! The claims ledger (as SQLite's).

use super::{Query, find_source, finish_source, insert_source};
use crate::{ImportReport, StoreError, StoredClaim};
use frontline_model::{Claim, SourceMeta};
use postgres::GenericClient;

pub(crate) fn import(
    c: &mut impl GenericClient,
    meta: &SourceMeta,
    claims: &[Claim],
) -> Result<ImportReport, StoreError> {
    if let Some(id) = find_source(c, &meta.sha256)? {
        return Ok(ImportReport::already(meta, id));
    }
    let source_id = insert_source(c, meta, claims.len())?;
    let mut added = 0;
    for cl in claims {
        let body = crate::plan::claim_body(cl)?;
        let last = c.query_opt(
            "SELECT version, body FROM claim WHERE claim_id = $1 ORDER BY version DESC LIMIT 1",
            &[&cl.id],
        )?;
        let version: i32 = match last {
            Some(r) if r.get::<_, String>(1) == body => continue,
            Some(r) => r.get::<_, i32>(0) + 1,
            None => 1,
        };
        c.execute(
            "INSERT INTO claim (claim_id, version, source_id, body) VALUES ($1, $2, $3, $4)",
            &[&cl.id, &version, &source_id, &body],
        )?;
        added += 1;
    }
    finish_source(c, source_id, added)?;
    Ok(ImportReport::imported(meta, source_id, claims.len(), added))
}

pub(crate) fn current(c: &mut impl Query, known_by: Option<chrono::NaiveDate>) -> Result<Vec<StoredClaim>, StoreError> {
    // As SQLite's: the first version, and later ones by their import day.
    c.q(
        "SELECT c.version, c.body, s.location FROM claim c JOIN source s ON s.id = c.source_id \
         WHERE c.version = (SELECT MAX(w.version) FROM claim w JOIN source t ON t.id = w.source_id \
           WHERE w.claim_id = c.claim_id AND ($1::date IS NULL OR w.version = 1 OR t.imported_at::date <= $1::date)) \
         ORDER BY c.claim_id COLLATE \"C\"",
        &[&known_by],
    )?
    .iter()
    .map(|r| {
        let body: String = r.get(1);
        Ok(StoredClaim {
            claim: serde_json::from_str(&body).map_err(|_| StoreError::Corrupt {
                table: "claim",
                column: "body",
                value: body.clone(),
            })?,
            version: r.get::<_, i32>(0) as u32,
            source_location: r.get(2),
        })
    })
    .collect()
}
