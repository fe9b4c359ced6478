//! The audit log and named tokens (same rules as `sqlite/audit.rs`).

use super::Query;
use crate::{AuditContext, AuditEntry, Role, StoreError, TokenRecord};
use chrono::{DateTime, Utc};
use postgres::GenericClient;

/// The newest source id: sources above it were made by the write at hand.
pub(crate) fn mark(c: &mut impl GenericClient) -> Result<i64, StoreError> {
    Ok(c.query_one("SELECT COALESCE(MAX(id), 0)::bigint FROM source", &[])?
        .get(0))
}

/// Appends the audit row of a write, inside its transaction.
pub(crate) fn record(
    c: &mut impl GenericClient,
    ctx: &AuditContext,
    action: &str,
    mark: i64,
    updated: usize,
    tombstoned: usize,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO audit (at, actor, via, action, sources, added, updated, tombstoned) \
         SELECT clock_timestamp(), $1, $2, $3, COALESCE(array_agg(id ORDER BY id), '{}'), COALESCE(SUM(added), 0)::bigint, $4, $5 \
         FROM source WHERE id > $6",
        &[
            &ctx.actor,
            &ctx.via,
            &action,
            &(updated as i64),
            &(tombstoned as i64),
            &mark,
        ],
    )?;
    Ok(())
}

pub(crate) fn list(c: &mut impl Query, since: Option<DateTime<Utc>>) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = c.q(
        "SELECT id, at, actor, via, action, sources, added, updated, tombstoned FROM audit \
         WHERE $1::timestamptz IS NULL OR at >= $1 ORDER BY id",
        &[&since],
    )?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry {
            id: r.get(0),
            at: r.get(1),
            actor: r.get(2),
            via: r.get(3),
            action: r.get(4),
            sources: r.get(5),
            added: r.get(6),
            updated: r.get(7),
            tombstoned: r.get(8),
        })
        .collect())
}

pub(crate) fn put_token(c: &mut impl GenericClient, t: &TokenRecord) -> Result<(), StoreError> {
    if c.query_opt("SELECT 1 FROM token WHERE name = $1", &[&t.name])?
        .is_some()
    {
        return Err(StoreError::Conflict(format!(
            "a token named `{}` exists already (names are never reused, even after revoking)",
            t.name
        )));
    }
    c.execute(
        "INSERT INTO token (name, role, sha256, created_at) VALUES ($1, $2, $3, $4)",
        &[&t.name, &t.role.as_str(), &t.sha256, &t.created_at],
    )?;
    Ok(())
}

pub(crate) fn revoke_token(c: &mut impl GenericClient, name: &str) -> Result<bool, StoreError> {
    Ok(c.execute(
        "UPDATE token SET revoked_at = clock_timestamp() WHERE name = $1 AND revoked_at IS NULL",
        &[&name],
    )? > 0)
}

pub(crate) fn tokens(c: &mut impl Query) -> Result<Vec<TokenRecord>, StoreError> {
    c.q(
        "SELECT name, role, sha256, created_at, revoked_at FROM token ORDER BY name COLLATE \"C\"",
        &[],
    )?
    .iter()
    .map(|r| {
        let role: String = r.get(1);
        Ok(TokenRecord {
            name: r.get(0),
            role: Role::parse(&role).ok_or(StoreError::Corrupt {
                table: "token",
                column: "role",
                value: role.clone(),
            })?,
            sha256: r.get(2),
            created_at: r.get(3),
            revoked_at: r.get(4),
        })
    })
    .collect()
}
