//! The audit log and named tokens.

use crate::{AuditContext, AuditEntry, Role, StoreError, TokenRecord};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// The newest source id: sources above it were made by the write at hand.
pub(crate) fn mark(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) FROM source", [], |r| r.get(0))?)
}

/// Appends the audit row of a write, inside its transaction. Sources and
/// records added are read from the sources the write made after `mark`.
pub(crate) fn record(
    conn: &Connection,
    ctx: &AuditContext,
    action: &str,
    mark: i64,
    updated: usize,
    tombstoned: usize,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, added FROM source WHERE id > ?1 ORDER BY id")?;
    let made: Vec<(i64, i64)> = stmt
        .query_map([mark], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let ids: Vec<String> = made.iter().map(|(id, _)| id.to_string()).collect();
    let added: i64 = made.iter().map(|(_, a)| a).sum();
    conn.execute(
        "INSERT INTO audit (at, actor, via, action, sources, added, updated, tombstoned) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            Utc::now().to_rfc3339(),
            ctx.actor,
            ctx.via,
            action,
            ids.join(","),
            added,
            updated as i64,
            tombstoned as i64
        ],
    )?;
    Ok(())
}

pub(crate) fn list(conn: &Connection, since: Option<DateTime<Utc>>) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, via, action, sources, added, updated, tombstoned FROM audit ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        <(i64, String, String, String, String, String, i64, i64, i64)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at, actor, via, action, sources, added, updated, tombstoned) = row?;
        let at = super::time(&at, "audit", "at")?;
        if since.is_some_and(|s| at < s) {
            continue;
        }
        out.push(AuditEntry {
            id,
            at,
            actor,
            via,
            action,
            sources: sources.split(',').filter_map(|s| s.parse().ok()).collect(),
            added,
            updated,
            tombstoned,
        });
    }
    Ok(out)
}

pub(crate) fn put_token(conn: &Connection, t: &TokenRecord) -> Result<(), StoreError> {
    let taken: bool = conn.query_row("SELECT COUNT(*) > 0 FROM token WHERE name = ?1", [&t.name], |r| {
        r.get(0)
    })?;
    if taken {
        return Err(StoreError::Conflict(format!(
            "a token named `{}` exists already (names are never reused, even after revoking)",
            t.name
        )));
    }
    conn.execute(
        "INSERT INTO token (name, role, sha256, created_at, revoked_at) VALUES (?1, ?2, ?3, ?4, NULL)",
        params![t.name, t.role.as_str(), t.sha256, t.created_at.to_rfc3339()],
    )?;
    Ok(())
}

pub(crate) fn revoke_token(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "UPDATE token SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, Utc::now().to_rfc3339()],
    )? > 0)
}

pub(crate) fn tokens(conn: &Connection) -> Result<Vec<TokenRecord>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT name, role, sha256, created_at, revoked_at FROM token ORDER BY name")?;
    let rows = stmt.query_map([], |r| <(String, String, String, String, Option<String>)>::try_from(r))?;
    let mut out = Vec::new();
    for row in rows {
        let (name, role, sha256, created, revoked) = row?;
        out.push(TokenRecord {
            name,
            role: Role::parse(&role).ok_or(StoreError::Corrupt {
                table: "token",
                column: "role",
                value: role.clone(),
            })?,
            sha256,
            created_at: super::time(&created, "token", "created_at")?,
            revoked_at: revoked
                .as_deref()
                .map(|r| super::time(r, "token", "revoked_at"))
                .transpose()?,
        });
    }
    Ok(out)
}
