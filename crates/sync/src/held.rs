//! Holding what a sync may not apply: a source that judges its new bytes
//! suspicious (a map that shrank, a list that lost items, a format that
//! changed) keeps them as a pending revision for a person
//! (`frontline review`), and the rest of the sync goes on.

use anyhow::Result;
use chrono::Utc;
use frontline_store::{Revision, Store};

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
