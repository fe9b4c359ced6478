//! Sync runs, their requests and the bodies they kept.

use super::Query;
use crate::types::{files_of, files_text};
use crate::{Blob, FetchRecord, Revision, StoreError, SyncRun};
use postgres::GenericClient;

pub(crate) fn record(
    c: &mut impl GenericClient,
    run: &SyncRun,
    fetches: &[FetchRecord],
    blobs: &[Blob],
) -> Result<(), StoreError> {
    let run_id: i64 = c
        .query_one(
            "INSERT INTO sync_run (source, started_at, finished_at, ok, new_records, requests, message) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &run.source,
                &run.started_at,
                &run.finished_at,
                &run.ok,
                &(run.new_records as i64),
                &(run.requests as i64),
                &run.message,
            ],
        )?
        .get(0);
    for b in blobs {
        c.execute(
            "INSERT INTO blob (sha256, encoding, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
            &[&b.sha256, &b.encoding, &b.bytes],
        )?;
    }
    for f in fetches {
        c.execute(
            "INSERT INTO http_fetch (run_id, source, url, status, fetched_at, sha256, etag, last_modified) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &run_id,
                &f.source,
                &f.url,
                &i32::from(f.status),
                &f.fetched_at,
                &f.sha256,
                &f.etag,
                &f.last_modified,
            ],
        )?;
    }
    Ok(())
}

pub(crate) fn runs(c: &mut impl Query, source: Option<&str>) -> Result<Vec<SyncRun>, StoreError> {
    let rows = c.q(
        "SELECT source, started_at, finished_at, ok, new_records, requests, message FROM sync_run \
         WHERE $1::text IS NULL OR source = $1 ORDER BY id",
        &[&source],
    )?;
    Ok(rows
        .iter()
        .map(|r| SyncRun {
            source: r.get(0),
            started_at: r.get(1),
            finished_at: r.get(2),
            ok: r.get(3),
            new_records: r.get::<_, i64>(4).max(0) as usize,
            requests: r.get::<_, i64>(5).max(0) as usize,
            message: r.get(6),
        })
        .collect())
}

pub(crate) fn last_fetch(c: &mut impl Query, url: &str) -> Result<Option<FetchRecord>, StoreError> {
    let rows = c.q(
        "SELECT source, url, status, fetched_at, sha256, etag, last_modified FROM http_fetch \
         WHERE url = $1 ORDER BY id DESC LIMIT 1",
        &[&url],
    )?;
    Ok(rows.first().map(|r| FetchRecord {
        source: r.get(0),
        url: r.get(1),
        status: u16::try_from(r.get::<_, i32>(2)).unwrap_or(0),
        fetched_at: r.get(3),
        sha256: r.get(4),
        etag: r.get(5),
        last_modified: r.get(6),
    }))
}

pub(crate) fn blob(c: &mut impl Query, sha256: &str) -> Result<Option<Blob>, StoreError> {
    let rows = c.q("SELECT sha256, encoding, bytes FROM blob WHERE sha256 = $1", &[&sha256])?;
    Ok(rows.first().map(|r| Blob {
        sha256: r.get(0),
        encoding: r.get(1),
        bytes: r.get(2),
    }))
}

pub(crate) fn put_revision(c: &mut impl GenericClient, r: &Revision) -> Result<i64, StoreError> {
    for (name, sha) in &r.files {
        if c.query_opt("SELECT 1 FROM blob WHERE sha256 = $1", &[sha])?.is_none() {
            return Err(StoreError::Conflict(format!(
                "revision file {name}: no kept body {sha}"
            )));
        }
    }
    Ok(c.query_one(
        "INSERT INTO revision (source, created_at, reason, diff, files, status) \
         VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id",
        &[&r.source, &r.created_at, &r.reason, &r.diff, &files_text(&r.files)],
    )?
    .get(0))
}

pub(crate) fn revisions(c: &mut impl Query) -> Result<Vec<Revision>, StoreError> {
    let rows = c.q(
        "SELECT id, source, created_at, reason, diff, files, status, decided_at, decided_by, why FROM revision ORDER BY id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| Revision {
            id: r.get(0),
            source: r.get(1),
            created_at: r.get(2),
            reason: r.get(3),
            diff: r.get(4),
            files: files_of(r.get(5)),
            status: r.get(6),
            decided_at: r.get(7),
            decided_by: r.get(8),
            why: r.get(9),
        })
        .collect())
}

pub(crate) fn decide(
    c: &mut impl GenericClient,
    id: i64,
    accept: bool,
    who: &str,
    why: &str,
) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE revision SET status = $2, decided_at = now(), decided_by = $3, why = $4 \
         WHERE id = $1 AND status = 'pending'",
        &[&id, &(if accept { "accepted" } else { "rejected" }), &who, &why],
    )?;
    Ok(n == 1)
}
