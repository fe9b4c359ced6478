//! `import tallies`: parse every file first, then store all in one transaction.

use crate::args::TallyFormatArg;
use crate::output::Rows;
use anyhow::Result;
use chrono::Utc;
use frontline_ingest::SourceFile;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::SourceMeta;
use frontline_store::{Store, TallyImport};
use serde_json::json;
use std::path::PathBuf;

/// Imports tally files. Nothing is stored unless every file parses.
pub fn tallies(store: &mut dyn Store, files: &[PathBuf], format: TallyFormatArg) -> Result<Rows> {
    let format = match format {
        TallyFormatArg::Auto => TallyFormat::Auto,
        TallyFormatArg::GeneralStaff => TallyFormat::GeneralStaff,
        TallyFormatArg::Corrections => TallyFormat::Corrections,
        TallyFormatArg::Csv => TallyFormat::Csv,
    };
    let imported_at = Utc::now();
    let mut parsed = Vec::with_capacity(files.len());
    for path in files {
        let file = SourceFile::read(path)?;
        let (kind, batch) = parse_tallies(&file, format)?;
        tracing::debug!(file = %path.display(), records = batch.len(), "parsed");
        parsed.push(TallyImport {
            meta: SourceMeta {
                location: path.display().to_string(),
                sha256: file.sha256,
                kind,
                imported_at,
            },
            batch,
        });
    }
    let reports = store.import_tallies(&parsed)?;
    Ok(import_rows(&reports))
}

/// One row per imported file: what the import did with it.
pub fn import_rows(reports: &[frontline_store::ImportReport]) -> Rows {
    let mut rows = Rows::new(&["file", "source_id", "records", "added", "status"]);
    for r in reports {
        let status = if r.already_imported {
            "already imported"
        } else {
            "imported"
        };
        rows.push(vec![
            json!(r.location),
            json!(r.source_id),
            json!(r.records),
            json!(r.added),
            json!(status),
        ]);
    }
    rows
}
