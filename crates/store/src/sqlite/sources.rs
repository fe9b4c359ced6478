//! The `source` table: provenance of every import.

use crate::{SourceRecord, StoreError};
use frontline_model::{SourceKind, SourceMeta};
use rusqlite::{Connection, OptionalExtension, params};

/// The id of a source with these bytes, if imported before.
pub(crate) fn find(conn: &Connection, sha256: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row("SELECT id FROM source WHERE sha256 = ?1", [sha256], |r| r.get(0))
        .optional()?)
}

/// Inserts a source row; its counts are set by [`finish`] once known.
pub(crate) fn insert(conn: &Connection, meta: &SourceMeta, records: usize) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO source (location, sha256, kind, imported_at, records, added, bytes_sha256) \
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
        params![
            meta.location,
            meta.sha256,
            meta.kind.as_str(),
            meta.imported_at.to_rfc3339(),
            records as i64,
            meta.bytes_sha256
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records how many rows an import added.
pub(crate) fn finish(conn: &Connection, id: i64, added: usize) -> Result<(), StoreError> {
    conn.execute("UPDATE source SET added = ?1 WHERE id = ?2", params![added as i64, id])?;
    Ok(())
}

pub(crate) fn list(conn: &Connection) -> Result<Vec<SourceRecord>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT id, location, sha256, kind, imported_at, records, added, COALESCE(bytes_sha256, sha256) FROM source ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        <(i64, String, String, String, String, i64, i64, String)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, location, sha256, kind, at, records, added, bytes_sha256) = row?;
        let kind = SourceKind::parse(&kind).ok_or(StoreError::Corrupt {
            table: "source",
            column: "kind",
            value: kind.clone(),
        })?;
        let imported_at = super::time(&at, "source", "imported_at")?;
        out.push(SourceRecord {
            id,
            location,
            sha256,
            kind,
            imported_at,
            records: records as usize,
            added: added as usize,
            bytes_sha256,
        });
    }
    Ok(out)
}
