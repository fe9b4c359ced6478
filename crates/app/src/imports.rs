//! Imports from bytes: every import reads [`SourceFile`]s (a name and its
//! bytes) and is run through one dispatcher, [`run`], whoever asks: the
//! CLI, an HTTP upload, a sync or a reparse. Nothing is written to a
//! temporary folder to be read back, and a file's provenance is the name
//! its provider gave (docs/architecture.md, "The import path").

use crate::answers::{ImportRow, LossImport};
use crate::commands::{claims, counts, import, losses, territory};
use crate::error::{UserError, bail_bad};
use crate::output::{Rows, Tabular};
/// One file an import reads (declared with the requests that take it).
pub use crate::requests::Input;
use crate::requests::{
    ImportControlRequest, ImportCountsRequest, ImportLayerRequest, ImportLossesRequest, ImportPlacesRequest,
    ImportTalliesRequest, LossLayout, TallyFormat,
};
use anyhow::Result;
pub use frontline_ingest::SourceFile;
use frontline_store::Store;

/// What to import, with its files and options: the one entry every front
/// end calls.
#[derive(Debug, Clone)]
pub enum ImportKind {
    /// Daily tallies (`import tallies`).
    Tallies(ImportTalliesRequest),
    /// Control maps (`import control`).
    Control(ImportControlRequest),
    /// Country or first-level outlines (`import boundaries`).
    Boundaries(Input),
    /// A gazetteer (`import places`).
    Places(ImportPlacesRequest),
    /// A reference layer (`import layer`).
    Layer(ImportLayerRequest),
    /// Per-item loss lists (`import losses`).
    Losses(ImportLossesRequest),
    /// Named-list vintages (`import counts`).
    Counts(ImportCountsRequest),
    /// A claims file (`claims import`).
    Claims(Input),
}

/// The kinds an HTTP upload may name (`POST /api/v1/import/{kind}`).
pub const UPLOADS: &[&str] = &["tallies", "boundaries", "places", "control", "losses", "claims"];

impl ImportKind {
    /// What it imports, as its command and its upload name it (`tallies`).
    pub fn name(&self) -> &'static str {
        match self {
            ImportKind::Tallies(_) => "tallies",
            ImportKind::Control(_) => "control",
            ImportKind::Boundaries(_) => "boundaries",
            ImportKind::Places(_) => "places",
            ImportKind::Layer(_) => "layer",
            ImportKind::Losses(_) => "losses",
            ImportKind::Counts(_) => "counts",
            ImportKind::Claims(_) => "claims",
        }
    }

    /// An upload of one file as `kind`, with the options an upload may set
    /// (the others keep their defaults; a loss list's layout is required).
    pub fn upload(kind: &str, file: SourceFile, layout: Option<LossLayout>, source: Option<String>) -> Result<Self> {
        let file = Input::Bytes(file);
        Ok(match kind {
            "tallies" => ImportKind::Tallies(ImportTalliesRequest {
                files: vec![file],
                format: TallyFormat::Auto,
                reparse: None,
            }),
            "boundaries" => ImportKind::Boundaries(file),
            "places" => ImportKind::Places(ImportPlacesRequest::csv(file)),
            "control" => ImportKind::Control(ImportControlRequest::deepstate(vec![file])),
            "losses" => {
                let Some(layout) = layout else {
                    bail_bad!("`format` is required: oryx, warspotting or generic");
                };
                ImportKind::Losses(ImportLossesRequest {
                    files: vec![file],
                    layout,
                    source,
                    strict: true,
                    rejects: None,
                    allow_shrink: false,
                })
            }
            "claims" => ImportKind::Claims(file),
            other => {
                return Err(
                    UserError::NotFound(format!("unknown import kind `{other}` ({})", UPLOADS.join(", "))).into(),
                );
            }
        })
    }
}

/// What an import did: a row per file, or a loss list's totals.
#[derive(Debug, Clone)]
pub enum ImportAnswer {
    /// One row per file.
    Files(Vec<ImportRow>),
    /// A loss-list import's totals.
    Losses(LossImport),
}

impl ImportAnswer {
    /// Figures, items or features the import added, summed over its files.
    pub fn added(&self) -> usize {
        match self {
            ImportAnswer::Files(rows) => rows.iter().map(|r| r.added).sum(),
            ImportAnswer::Losses(l) => l.added,
        }
    }
}

impl Tabular for ImportAnswer {
    fn rows(&self) -> Result<Rows> {
        match self {
            ImportAnswer::Files(rows) => rows.rows(),
            ImportAnswer::Losses(l) => Rows::of(std::slice::from_ref(l)),
        }
    }
    fn json(&self) -> Result<Vec<u8>> {
        match self {
            ImportAnswer::Files(rows) => rows.json(),
            ImportAnswer::Losses(l) => Ok(serde_json::to_vec(&[l])?),
        }
    }
}

/// Runs an import: every file parsed and judged before anything is stored
/// (per kind, as its importer documents).
pub fn run(store: &mut dyn Store, kind: &ImportKind) -> Result<ImportAnswer> {
    use crate::commands::events::{After, after_import};
    // The maps before a control import: those after it that are new are
    // where handovers are looked for (after a places import: every map).
    let before = match kind {
        ImportKind::Control(_) => Some(store.control_snapshots(None)?),
        _ => None,
    };
    let (answer, touched) = imported(store, kind)?;
    match kind {
        ImportKind::Tallies(_) => after_import(store, |_| Ok(After::Tallies(touched))),
        ImportKind::Control(_) | ImportKind::Places(_) => after_import(store, |store| {
            let known: std::collections::HashSet<i64> = before.iter().flatten().map(|s| s.id).collect();
            let mut since = std::collections::BTreeMap::new();
            for s in store
                .control_snapshots(None)?
                .into_iter()
                .filter(|s| !known.contains(&s.id))
            {
                let day = s.taken_at.date_naive();
                since
                    .entry(s.mapper)
                    .and_modify(|d: &mut chrono::NaiveDate| *d = (*d).min(day))
                    .or_insert(day);
            }
            Ok(After::Maps(since.into_iter().collect()))
        }),
        ImportKind::Losses(_) => after_import(store, |_| Ok(After::Losses)),
        ImportKind::Counts(_) | ImportKind::Boundaries(_) | ImportKind::Claims(_) => {
            after_import(store, |_| Ok(After::Other))
        }
        ImportKind::Layer(_) => {}
    }
    Ok(answer)
}

/// The import's answer, and the tally series it touched (none for the
/// other kinds).
fn imported(store: &mut dyn Store, kind: &ImportKind) -> Result<(ImportAnswer, Vec<frontline_model::SeriesKey>)> {
    use ImportAnswer::Files;
    let answer = match kind {
        ImportKind::Tallies(r) => {
            let (rows, touched) = import::tallies_touching(store, r)?;
            return Ok((Files(rows), touched));
        }
        ImportKind::Control(r) => Files(territory::import::control(store, r)?),
        ImportKind::Boundaries(f) => Files(territory::import::boundaries(store, f)?),
        ImportKind::Places(f) => Files(territory::import::places(store, f)?),
        ImportKind::Layer(r) => Files(territory::import::layer(store, r)?),
        ImportKind::Losses(r) => ImportAnswer::Losses(losses::import(store, r)?),
        ImportKind::Counts(r) => Files(counts::import(store, r)?),
        ImportKind::Claims(f) => Files(claims::import(store, f)?),
    };
    Ok((answer, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_names_a_known_kind_and_a_loss_list_its_layout() {
        let file = || SourceFile::from_bytes("x.json", b"{}".to_vec());
        for kind in UPLOADS.iter().filter(|k| **k != "losses") {
            let upload = ImportKind::upload(kind, file(), None, None).unwrap();
            assert_eq!(upload.name(), *kind, "an upload is the import of its name");
        }
        let e = ImportKind::upload("losses", file(), None, None).unwrap_err();
        assert!(e.to_string().contains("`format` is required"), "{e}");
        let e = ImportKind::upload("passwd", file(), None, None).unwrap_err();
        assert_eq!(crate::error::classify(&e), frontline_model::ErrorClass::NotFound);
        assert!(e.to_string().contains("unknown import kind `passwd`"), "{e}");
    }

    #[test]
    fn bytes_are_stored_under_the_name_given_never_a_path() {
        let mut store = frontline_store::SqliteStore::open_in_memory().unwrap();
        let csv = "date,claimant,subject,category,cumulative\n2024-11-01,ua-general-staff,Russia,tanks,9000\n";
        let file = SourceFile::from_bytes("from-a-journalist.csv", csv.as_bytes().to_vec());
        let answer = run(&mut store, &ImportKind::upload("tallies", file, None, None).unwrap()).unwrap();
        let ImportAnswer::Files(rows) = answer else {
            panic!("tallies answer a row per file")
        };
        assert_eq!((rows[0].file.as_str(), rows[0].added), ("from-a-journalist.csv", 1));
        let stored: Vec<String> = store.sources().unwrap().into_iter().map(|s| s.location).collect();
        assert_eq!(stored, ["from-a-journalist.csv"]);
    }
}
