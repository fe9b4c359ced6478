//! Sync runs, their requests and the bodies they kept.

use super::time;
use crate::types::{files_of, files_text};
use crate::{Blob, FetchRecord, Revision, StoreError, SyncRun};
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

pub(crate) fn record(
    conn: &Connection,
    run: &SyncRun,
    fetches: &[FetchRecord],
    blobs: &[Blob],
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sync_run (source, started_at, finished_at, ok, new_records, requests, message) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            run.source,
            run.started_at.to_rfc3339(),
            run.finished_at.to_rfc3339(),
            run.ok,
            run.new_records as i64,
            run.requests as i64,
            run.message
        ],
    )?;
    let run_id = conn.last_insert_rowid();
    let mut put = conn.prepare_cached("INSERT OR IGNORE INTO blob (sha256, encoding, bytes) VALUES (?1, ?2, ?3)")?;
    for b in blobs {
        put.execute(params![b.sha256, b.encoding, b.bytes])?;
    }
    let mut log = conn.prepare_cached(
        "INSERT INTO http_fetch (run_id, source, url, status, fetched_at, sha256, etag, last_modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for f in fetches {
        log.execute(params![
            run_id,
            f.source,
            f.url,
            f.status,
            f.fetched_at.to_rfc3339(),
            f.sha256,
            f.etag,
            f.last_modified
        ])?;
    }
    Ok(())
}

pub(crate) fn runs(conn: &Connection, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT source, started_at, finished_at, ok, new_records, requests, message FROM sync_run \
         WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([source], |r| {
        <(String, String, String, bool, i64, i64, String)>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (source, started, finished, ok, new_records, requests, message) = row?;
        out.push(SyncRun {
            source,
            started_at: time(&started, "sync_run", "started_at")?,
            finished_at: time(&finished, "sync_run", "finished_at")?,
            ok,
            new_records: new_records.max(0) as usize,
            requests: requests.max(0) as usize,
            message,
        });
    }
    Ok(out)
}

pub(crate) fn last_fetch(conn: &Connection, url: &str) -> Result<Option<FetchRecord>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT source, url, status, fetched_at, sha256, etag, last_modified FROM http_fetch \
             WHERE url = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([url], |r| {
            <(
                String,
                String,
                u16,
                String,
                Option<String>,
                Option<String>,
                Option<String>,
            )>::try_from(r)
        })
        .optional()?;
    row.map(|(source, url, status, at, sha256, etag, last_modified)| {
        Ok(FetchRecord {
            source,
            url,
            status,
            fetched_at: time(&at, "fetch", "fetched_at")?,
            sha256,
            etag,
            last_modified,
        })
    })
    .transpose()
}

pub(crate) fn blob(conn: &Connection, sha256: &str) -> Result<Option<Blob>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT sha256, encoding, bytes FROM blob WHERE sha256 = ?1")?
        .query_row([sha256], |r| {
            Ok(Blob {
                sha256: r.get(0)?,
                encoding: r.get(1)?,
                bytes: r.get(2)?,
            })
        })
        .optional()?)
}

pub(crate) fn put_revision(conn: &Connection, r: &Revision) -> Result<i64, StoreError> {
    for (name, sha) in &r.files {
        let kept: Option<i64> = conn
            .prepare_cached("SELECT 1 FROM blob WHERE sha256 = ?1")?
            .query_row([sha], |row| row.get(0))
            .optional()?;
        if kept.is_none() {
            return Err(StoreError::Conflict(format!(
                "revision file {name}: no kept body {sha}"
            )));
        }
    }
    conn.execute(
        "INSERT INTO revision (source, created_at, reason, diff, files, status) VALUES (?1, ?2, ?3, ?4, ?5, 'pending')",
        params![
            r.source,
            r.created_at.to_rfc3339(),
            r.reason,
            r.diff,
            files_text(&r.files)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn revisions(conn: &Connection) -> Result<Vec<Revision>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, source, created_at, reason, diff, files, status, decided_at, decided_by, why FROM revision ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        <(
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        )>::try_from(r)
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, source, created, reason, diff, files, status, decided_at, decided_by, why) = row?;
        out.push(Revision {
            id,
            source,
            created_at: time(&created, "revision", "created_at")?,
            reason,
            diff,
            files: files_of(&files),
            status,
            decided_at: decided_at.map(|t| time(&t, "revision", "decided_at")).transpose()?,
            decided_by,
            why,
        });
    }
    Ok(out)
}

pub(crate) fn decide(conn: &Connection, id: i64, accept: bool, who: &str, why: &str) -> Result<bool, StoreError> {
    let n = conn.execute(
        "UPDATE revision SET status = ?2, decided_at = ?3, decided_by = ?4, why = ?5 WHERE id = ?1 AND status = 'pending'",
        params![
            id,
            if accept { "accepted" } else { "rejected" },
            Utc::now().to_rfc3339(),
            who,
            why
        ],
    )?;
    Ok(n == 1)
}
