//! The General Staff tallies: the three JSON files of the MIT dataset
//! (PetroIvaniuk/2022-Ukraine-Russia-War-Dataset), asked for conditionally
//! and imported in one transaction when any of them changed.

use crate::SyncReport;
use crate::connector::{Connector, Info, Reparsed, Reread, Run, accept_files, base_location, reparse_files};
use crate::fetch::{FetchConfig, Fetcher};
use crate::guard::{self, Guardrails};
use frontline_app::imports::{self, ImportKind, Input, SourceFile};
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

/// The files that are judged, held and imported together: the personnel
/// series alone, the equipment series with its corrections (a correction
/// means nothing without the figures it corrects).
const GROUPS: [&[usize]; 2] = [&[0], &[1, 2]];

/// Fetches the three files (conditionally: unchanged ones are answered 304
/// and read from the kept copy) and, when any changed, imports them; files
/// imported before add nothing.
///
/// Each group of files ([`GROUPS`]) is judged alone: one that cannot be
/// read, that the guardrails object to (a cumulative figure going down,
/// too many stored figures rewritten) or that the import refuses is held
/// as a revision for review, and the other group is imported.
pub fn sync(store: &mut dyn Store, config: FetchConfig, rails: Guardrails) -> anyhow::Result<SyncReport> {
    crate::recorded(store, SOURCE, config, |store, fetcher| run(store, fetcher, rails))
}

fn run(store: &mut dyn Store, fetcher: &mut Fetcher, rails: Guardrails) -> anyhow::Result<(usize, String)> {
    let mut fetched = Vec::with_capacity(FILES.len());
    for path in FILES {
        let got = fetcher.get(store, path)?;
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let file = Input::Bytes(SourceFile::from_bytes(name.clone(), got.body));
        fetched.push((file, name, got.sha256, !got.not_modified));
    }
    let changed = fetched.iter().filter(|f| f.3).count();
    if changed == 0 {
        return Ok((0, "no file changed".into()));
    }
    crate::keep_before_import(store, fetcher, &format!("{changed} files changed; importing"))?;
    let (mut added, mut notes) = (0, Vec::new());
    for group in GROUPS {
        let members: Vec<_> = group.iter().map(|i| &fetched[*i]).collect();
        if !members.iter().any(|m| m.3) {
            continue;
        }
        let files: Vec<Input> = members.iter().map(|m| m.0.clone()).collect();
        let kept: Vec<(String, String)> = members.iter().map(|m| (m.1.clone(), m.2.clone())).collect();
        let label = kept.iter().map(|k| k.0.as_str()).collect::<Vec<_>>().join(" + ");
        let plain = |e: &anyhow::Error| format!("{e:#}");
        let refusal = match guard::tally_diff(store, &files) {
            Err(e) => Some((format!("cannot be read: {}", plain(&e)), Vec::new())),
            Ok(diff) => diff.hold_reason(&rails).map(|r| (r, diff.lines)),
        };
        let outcome = match refusal {
            Some(refused) => Err(refused),
            None => match import_files(store, files, None) {
                Ok(n) => Ok(n),
                // Refused by the import (a fall no correction explains):
                // nothing of the group was stored; a person decides.
                Err(e) if is_refusal(&e) => Err((format!("refused: {}", plain(&e)), Vec::new())),
                Err(e) => return Err(e),
            },
        };
        match outcome {
            Ok(n) => added += n,
            Err((reason, lines)) => {
                let reason = format!("{label}: {reason}");
                let id = crate::held::hold(store, SOURCE, &reason, &lines, kept)?;
                tracing::warn!("tallies: {reason}; held as revision {id} (frontline review show {id})");
                notes.push(format!("held for review as revision {id}: {reason}"));
            }
        }
    }
    notes.insert(0, format!("{changed} files changed, {added} figures added"));
    Ok((added, notes.join("; ")))
}

/// An import that refused its input (the caller's fault, not the
/// program's or the store's).
fn is_refusal(e: &anyhow::Error) -> bool {
    use frontline_model::ErrorClass::{BadRequest, Conflict, NotFound, TooLarge};
    matches!(
        frontline_app::error::classify(e),
        BadRequest | Conflict | NotFound | TooLarge
    )
}

/// Imports tally files in one transaction (a reparse: read again, keyed
/// apart); figures added.
pub(crate) fn import_files(
    store: &mut dyn Store,
    files: Vec<Input>,
    reparse: Option<frontline_app::requests::Reparse>,
) -> anyhow::Result<usize> {
    let kind = ImportKind::Tallies(ImportTalliesRequest {
        files,
        format: TallyFormat::Auto,
        reparse,
    });
    Ok(imports::run(store, &kind)?.added())
}

/// The tallies as a [`Connector`].
pub struct Tallies;

impl Connector for Tallies {
    fn info(&self) -> &'static Info {
        &Info {
            name: SOURCE,
            about: "The General Staff's daily tallies (the MIT dataset's three files)",
            base_url: BASE_URL,
            every_mins: 180,
        }
    }

    fn sync(&self, store: &mut dyn Store, run: Run) -> anyhow::Result<SyncReport> {
        run.options.only(SOURCE, &[])?;
        sync(store, run.config, run.rails)
    }

    fn accept(&self, store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
        accept_files(store, revision, import_files)
    }

    fn kept_name(&self, s: &frontline_store::SourceRecord) -> Option<String> {
        let (base, name) = base_location(s);
        FILES
            .iter()
            .any(|f| f.ends_with(&format!("/{name}")))
            .then(|| base.to_string())
    }

    fn reparse(&self, store: &mut dyn Store, job: Reread<'_>) -> anyhow::Result<Reparsed> {
        reparse_files(store, job, import_files, "figures added or revised")
    }
}
