//! `import control|boundaries|places|layer`.

use crate::args::{ControlFormatArg, ImportControlArgs, ImportFileArgs, ImportLayerArgs};
use crate::output::Rows;
use anyhow::{Context, Result, bail};
use chrono::Utc;
use frontline_analysis::territory::{Region, clean_snapshot};
use frontline_ingest::SourceFile;
use frontline_ingest::territory::control::{ControlFormat, GenericSpec, parse_control};
use frontline_ingest::territory::{boundaries::parse_boundaries, decompress, layer::parse_layer, places::parse_places};
use frontline_model::{Mapper, SourceKind, SourceMeta};
use frontline_store::{ImportReport, Store, StoredLayer, StoredSnapshot};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Snapshots parsed and cleaned at once: enough to keep both cores busy,
/// few enough that memory stays flat however long the archive.
const CHUNK: usize = 16;

fn meta(file: &SourceFile, kind: SourceKind) -> SourceMeta {
    SourceMeta {
        location: file.path.display().to_string(),
        sha256: file.sha256.clone(),
        kind,
        imported_at: Utc::now(),
    }
}

fn report_rows(reports: &[ImportReport]) -> Rows {
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

/// Expands folders to their `.geojson` / `.geojson.gz` files, sorted.
fn control_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading folder {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    let n = f
                        .file_name()
                        .map(|n| n.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    n.ends_with(".geojson")
                        || n.ends_with(".geojson.gz")
                        || n.ends_with(".json")
                        || n.ends_with(".json.gz")
                })
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        bail!("no .geojson or .geojson.gz files found");
    }
    Ok(out)
}

fn format_of(args: &ImportControlArgs) -> Result<ControlFormat> {
    Ok(match args.input_format {
        ControlFormatArg::Deepstate => ControlFormat::DeepState,
        ControlFormatArg::Geojson => {
            let Some(status_property) = args.status_property.clone() else {
                bail!("--as geojson needs --status-property and at least one --map VALUE=STATUS");
            };
            if args.map.is_empty() {
                bail!("--as geojson needs at least one --map VALUE=STATUS");
            }
            ControlFormat::Generic(GenericSpec {
                mapper: Mapper::new(args.mapper.as_deref().unwrap_or("geojson")),
                status_property,
                map: args.map.clone(),
                time_property: args.time_property.clone(),
            })
        }
    })
}

/// Parses and cleans one file: pure work, run on both cores.
fn prepare(file: &SourceFile, format: &ControlFormat, region: &Region) -> Result<StoredSnapshot> {
    let bytes = decompress(&file.path, &file.bytes)?;
    let snap = parse_control(&file.path, &bytes, format)?;
    let (layers, report) = clean_snapshot(&snap.features, region);
    for (feature, reason) in &report.repaired {
        tracing::debug!(file = %file.path.display(), feature, "{reason}");
    }
    for (feature, reason) in &report.rejected {
        tracing::warn!("{}: feature {feature}: rejected: {reason}", file.path.display());
    }
    let layers = layers
        .into_iter()
        .map(|l| {
            let mut labels: Vec<String> = snap
                .features
                .iter()
                .filter(|f| f.status == l.status)
                .map(|f| f.label.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            labels.sort();
            labels.dedup();
            StoredLayer {
                status: l.status,
                geometry: l.geometry,
                area_km2: l.area_km2,
                features: l.features,
                labels,
            }
        })
        .collect();
    Ok(StoredSnapshot {
        mapper: snap.mapper,
        taken_at: snap.taken_at,
        layers,
        annotations: snap.annotations,
        unmapped: snap.unmapped,
        repaired: report.repaired.len(),
        rejected: report.rejected.len(),
        outside_region: report.outside_region,
    })
}

fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} [{elapsed_precise}, eta {eta}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("importing snapshots");
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Imports control maps in one transaction, streaming: a chunk of files is
/// read, parsed and cleaned in parallel, stored, then dropped.
pub fn control(store: &mut dyn Store, args: &ImportControlArgs) -> Result<Rows> {
    let files = control_files(&args.paths)?;
    let format = format_of(args)?;
    let region = Region::parse(&args.region).map_err(|e| anyhow::anyhow!("--region: {e}"))?;
    let bar = progress(files.len());
    let mut tx = store.import_control()?;
    let mut reports = Vec::with_capacity(files.len());
    let (mut new, mut skipped) = (0usize, 0usize);
    for chunk in files.chunks(CHUNK) {
        let read: Vec<SourceFile> = chunk.iter().map(|p| SourceFile::read(p)).collect::<Result<_, _>>()?;
        let mut todo = Vec::new();
        for f in read {
            if tx.has_source(&f.sha256)? {
                skipped += 1;
                reports.push(ImportReport {
                    location: f.path.display().to_string(),
                    source_id: 0,
                    already_imported: true,
                    records: 0,
                    added: 0,
                });
            } else {
                todo.push(f);
            }
        }
        let prepared: Vec<Result<StoredSnapshot>> = todo.par_iter().map(|f| prepare(f, &format, &region)).collect();
        for (f, snap) in todo.iter().zip(prepared) {
            let snap = snap?;
            reports.push(tx.add(&meta(f, SourceKind::ControlMap), &snap)?);
            new += 1;
        }
        bar.inc(chunk.len() as u64);
    }
    tx.commit()?;
    bar.finish_and_clear();
    tracing::info!("{new} snapshots imported, {skipped} already imported");
    Ok(report_rows(&reports))
}

fn read(path: &Path) -> Result<(SourceFile, Vec<u8>)> {
    let file = SourceFile::read(path)?;
    let bytes = decompress(path, &file.bytes)?;
    Ok((file, bytes))
}

/// Imports country outlines.
pub fn boundaries(store: &mut dyn Store, args: &ImportFileArgs) -> Result<Rows> {
    let (file, bytes) = read(&args.file)?;
    let items = parse_boundaries(&file.path, &bytes)?;
    Ok(report_rows(&[
        store.import_boundaries(&meta(&file, SourceKind::Boundaries), &items)?
    ]))
}

/// Imports a gazetteer.
pub fn places(store: &mut dyn Store, args: &ImportFileArgs) -> Result<Rows> {
    let (file, bytes) = read(&args.file)?;
    let items = parse_places(&file.path, &bytes)?;
    Ok(report_rows(&[
        store.import_places(&meta(&file, SourceKind::Places), &items)?
    ]))
}

/// Imports a reference layer.
pub fn layer(store: &mut dyn Store, args: &ImportLayerArgs) -> Result<Rows> {
    let (file, bytes) = read(&args.file)?;
    let items = parse_layer(&file.path, &bytes, &args.name_property)?;
    Ok(report_rows(&[store.import_layer(
        &meta(&file, SourceKind::Layer),
        &args.name,
        &items,
    )?]))
}
