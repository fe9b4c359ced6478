//! Held revisions: what `frontline review` lists, shows, accepts (applies
//! the kept bytes through the same import a sync uses) and rejects.

use anyhow::{Result, bail};
use chrono::Utc;
use frontline_app::error::UserError;
use frontline_store::{Revision, Store};
use schemars::JsonSchema;
use serde::Serialize;

/// Most diff lines kept with a revision; the count of the rest is noted.
const MAX_DIFF_LINES: usize = 1000;

/// Holds a sync's result: its kept files, why, and what it would change.
/// The same files held already and still pending are not held twice;
/// a pending revision of the same file names is superseded (rejected,
/// naming the new one).
pub(crate) fn hold(
    store: &mut dyn Store,
    source: &str,
    reason: &str,
    lines: &[String],
    files: Vec<(String, String)>,
) -> Result<i64> {
    if let Some(r) = store
        .revisions()?
        .into_iter()
        .find(|r| r.source == source && r.status == "pending" && r.files == files)
    {
        return Ok(r.id);
    }
    let mut diff: Vec<String> = lines.iter().take(MAX_DIFF_LINES).cloned().collect();
    if lines.len() > MAX_DIFF_LINES {
        diff.push(format!("… and {} more", lines.len() - MAX_DIFF_LINES));
    }
    let names: std::collections::HashSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let id = store.put_revision(&Revision {
        id: 0,
        source: source.into(),
        created_at: Utc::now(),
        reason: reason.into(),
        diff: diff.join("\n"),
        files,
        status: "pending".into(),
        decided_at: None,
        decided_by: None,
        why: None,
    })?;
    // Newer bytes of the same files supersede a pending revision of them:
    // accepting the older one afterwards would undo the newer.
    for r in store.revisions()? {
        let same = !r.files.is_empty() && r.files.iter().all(|(n, _)| names.contains(n));
        if r.source == source && r.status == "pending" && r.id != id && same {
            store.decide_revision(
                r.id,
                false,
                &format!("superseded by revision {id}: the same files fetched again"),
            )?;
        }
    }
    Ok(id)
}

/// One revision as `review list` shows it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RevisionRow {
    /// Its number.
    pub id: i64,
    /// The source.
    pub source: String,
    /// When it was held.
    pub created_at: chrono::DateTime<Utc>,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    /// Why it was held.
    pub reason: String,
    /// Lines of changes.
    pub changes: usize,
    /// Who decided, and why.
    pub decision: String,
}

impl From<&Revision> for RevisionRow {
    fn from(r: &Revision) -> Self {
        RevisionRow {
            id: r.id,
            source: r.source.clone(),
            created_at: r.created_at,
            status: r.status.clone(),
            reason: r.reason.clone(),
            changes: r.diff.lines().count(),
            decision: match (&r.decided_by, &r.why) {
                (Some(who), Some(why)) => format!("{who}: {why}"),
                _ => String::new(),
            },
        }
    }
}

/// Every revision, oldest first.
pub fn list(store: &dyn Store) -> Result<Vec<RevisionRow>> {
    Ok(store.revisions()?.iter().map(RevisionRow::from).collect())
}

/// One revision, or "no such revision".
pub fn get(store: &dyn Store, id: i64) -> Result<Revision> {
    store
        .revisions()?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| UserError::NotFound(format!("no revision {id}; `frontline review list` shows them")).into())
}

/// Applies a pending revision: its kept files are imported as the sync
/// would have, then it is marked accepted. Importing is idempotent (files
/// are known by their SHA-256), so an accept interrupted between the two
/// steps is simply run again.
pub fn accept(store: &mut dyn Store, id: i64, why: &str) -> Result<usize> {
    let r = pending(store, id)?;
    let Some(source) = crate::connector::by_name(&r.source) else {
        bail!("revisions of `{}` cannot be applied by this version", r.source);
    };
    let added = source.accept(store, &r)?;
    if !store.decide_revision(id, true, why)? {
        return Err(UserError::Conflict(format!("revision {id} was decided meanwhile")).into());
    }
    Ok(added)
}

/// Rejects a pending revision: nothing is applied; the reason is kept.
pub fn reject(store: &mut dyn Store, id: i64, why: &str) -> Result<()> {
    pending(store, id)?;
    if !store.decide_revision(id, false, why)? {
        return Err(UserError::Conflict(format!("revision {id} was decided meanwhile")).into());
    }
    Ok(())
}

fn pending(store: &dyn Store, id: i64) -> Result<Revision> {
    let r = get(store, id)?;
    if r.status != "pending" {
        return Err(UserError::Conflict(format!(
            "revision {id} is {} already ({})",
            r.status,
            r.why.as_deref().unwrap_or("")
        ))
        .into());
    }
    Ok(r)
}

/// What deciding a revision did.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Decision {
    /// The revision.
    pub id: i64,
    /// `accepted` or `rejected`.
    pub status: String,
    /// Records the accept added.
    pub added: usize,
}

/// Accepts or rejects a pending revision as `decision` says.
pub fn decide(store: &mut dyn Store, id: i64, decision: &str, why: Option<&str>) -> Result<Decision> {
    match (decision, why) {
        ("accept", why) => {
            let added = accept(store, id, why.unwrap_or("accepted"))?;
            Ok(Decision {
                id,
                status: "accepted".into(),
                added,
            })
        }
        ("reject", Some(why)) if !why.trim().is_empty() => {
            reject(store, id, why)?;
            Ok(Decision {
                id,
                status: "rejected".into(),
                added: 0,
            })
        }
        ("reject", _) => Err(UserError::BadRequest("say why a revision is rejected (`why`)".into()).into()),
        (other, _) => Err(UserError::NotFound(format!("unknown decision `{other}` (accept, reject)")).into()),
    }
}
