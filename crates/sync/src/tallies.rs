//! The General Staff tallies: the three JSON files of the MIT dataset
//! (PetroIvaniuk/2022-Ukraine-Russia-War-Dataset), asked for conditionally
//! and imported in one transaction when any of them changed.

use crate::SyncReport;
use crate::error::SyncError;
use crate::fetch::{FetchConfig, Fetcher};
use crate::guard::{self, Guardrails};
use frontline_app::commands::import;
use frontline_app::commands::with_upload_root;
use frontline_app::requests::{ImportTalliesRequest, TallyFormat};
use frontline_store::Store;

/// The source's name in run records and health.
pub const SOURCE: &str = "tallies";

/// The dataset's raw files on GitHub.
pub const BASE_URL: &str = "https://raw.githubusercontent.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset/main";

/// The files, under the base URL. Their names decide how each is read.
pub const FILES: [&str; 3] = [
    "/data/russia_losses_personnel.json",
    "/data/russia_losses_equipment.json",
    "/data/russia_losses_equipment_correction.json",
];

/// Fetches the three files (conditionally: unchanged ones are answered 304
/// and read from the kept copy) and, when any changed, imports them in one
/// transaction; files imported before add nothing.
///
/// A result the guardrails object to (a cumulative figure going down, too
/// many stored figures rewritten) is held as a revision for review instead.
pub fn sync(store: &mut dyn Store, config: FetchConfig, rails: Guardrails) -> anyhow::Result<SyncReport> {
    crate::recorded(store, SOURCE, config, |store, fetcher| run(store, fetcher, rails))
}

fn run(store: &mut dyn Store, fetcher: &mut Fetcher, rails: Guardrails) -> anyhow::Result<(usize, String)> {
    let dir = tempfile::tempdir().map_err(|e| SyncError::Setup(e.to_string()))?;
    let mut files = Vec::with_capacity(FILES.len());
    let mut kept = Vec::with_capacity(FILES.len());
    let mut changed = 0;
    for path in FILES {
        let got = fetcher.get(store, path)?;
        changed += usize::from(!got.not_modified);
        let name = path.rsplit('/').next().unwrap_or(path);
        let file = dir.path().join(name);
        std::fs::write(&file, &got.body).map_err(|e| SyncError::Setup(e.to_string()))?;
        files.push(file);
        kept.push((name.to_string(), got.sha256));
    }
    if changed == 0 {
        return Ok((0, "no file changed".into()));
    }
    let diff = guard::tally_diff(store, &files)?;
    if let Some(reason) = diff.hold_reason(&rails) {
        crate::keep_before_import(store, fetcher, &format!("{changed} files changed; holding for review"))?;
        let id = crate::review::hold(store, SOURCE, &reason, &diff.lines, kept)?;
        tracing::warn!("tallies: {reason}; held as revision {id} (frontline review show {id})");
        return Ok((0, format!("held for review as revision {id}: {reason}")));
    }
    crate::keep_before_import(store, fetcher, &format!("{changed} files changed; importing"))?;
    let added = import_files(store, dir.path(), files, None)?;
    Ok((added, format!("{changed} files changed, {added} figures added")))
}

/// Imports tally files that sit in `dir` in one transaction (a reparse:
/// read again, keyed apart); figures added.
pub(crate) fn import_files(
    store: &mut dyn Store,
    dir: &std::path::Path,
    files: Vec<std::path::PathBuf>,
    reparse: Option<frontline_app::requests::Reparse>,
) -> anyhow::Result<usize> {
    let request = ImportTalliesRequest {
        files,
        format: TallyFormat::Auto,
        reparse,
    };
    let rows = with_upload_root(dir, || import::tallies(store, &request))?;
    Ok(rows.iter().map(|r| r.added).sum())
}
