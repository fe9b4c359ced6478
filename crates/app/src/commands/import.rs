//! `import tallies`: parse every file first, then store all in one transaction.

use crate::answers::ImportRow;
use crate::requests::{ImportTalliesRequest, TallyFormat as Layout};
use anyhow::Result;
use chrono::Utc;
use frontline_ingest::SourceFile;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::SourceMeta;
use frontline_store::{Store, TallyImport};

/// Imports tally files. Nothing is stored unless every file parses.
pub fn tallies(store: &mut dyn Store, req: &ImportTalliesRequest) -> Result<Vec<ImportRow>> {
    let format = match req.format {
        Layout::Auto => TallyFormat::Auto,
        Layout::GeneralStaff => TallyFormat::GeneralStaff,
        Layout::Corrections => TallyFormat::Corrections,
        Layout::Csv => TallyFormat::Csv,
    };
    let imported_at = Utc::now();
    let mut parsed = Vec::with_capacity(req.files.len());
    for path in &req.files {
        let file = SourceFile::read(path)?;
        let (kind, batch) = parse_tallies(&file, format)?;
        tracing::debug!(file = %path.display(), records = batch.len(), "parsed");
        let meta = SourceMeta {
            location: crate::commands::location(path),
            sha256: file.sha256,
            bytes_sha256: None,
            kind,
            imported_at,
        };
        parsed.push(TallyImport {
            meta: match &req.reparse {
                Some(r) => r.meta(meta),
                None => meta,
            },
            batch,
        });
    }
    let reports = store.import_tallies(&parsed)?;
    Ok(import_rows(&reports))
}

/// One row per imported file: what the import did with it.
pub fn import_rows(reports: &[frontline_store::ImportReport]) -> Vec<ImportRow> {
    reports
        .iter()
        .map(|r| ImportRow {
            file: r.location.clone(),
            source_id: r.source_id,
            records: r.records,
            added: r.added,
            status: if r.already_imported {
                "already imported"
            } else {
                "imported"
            }
            .into(),
            warnings: String::new(),
        })
        .collect()
}
