//! Held revisions: what `frontline review` lists, shows, accepts (applies
//! the kept bytes through the same import a sync uses, by the registry) and
//! rejects. The sources hold them through [`crate::held`], which knows no
//! source.

use anyhow::{Result, bail};
use chrono::Utc;
use frontline_app::error::UserError;
use frontline_store::{Revision, Store};
use schemars::JsonSchema;
use serde::Serialize;

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
    let Some(source) = crate::registry::by_name(&r.source) else {
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
