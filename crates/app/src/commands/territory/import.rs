//! `import control|boundaries|places|layer`.

use crate::answers::ImportRow;
use crate::commands::import::import_rows;
use crate::error::{bad, bail_bad};
use crate::requests::Input;
use crate::requests::{ControlLayout, ImportControlRequest, ImportLayerRequest, ImportPlacesRequest, PlacesLayout};
use anyhow::{Context, Result};
use chrono::Utc;
use frontline_analysis::territory::{Region, Repair, clean_snapshot};
use frontline_ingest::SourceFile;
use frontline_ingest::territory::control::{ControlFormat, GenericSpec, parse_control};
use frontline_ingest::territory::{
    boundaries::parse_boundaries, decompress, geonames::parse_geonames, layer::parse_layer, places::read_places,
};
use frontline_model::{BoundaryLevel, Mapper, SourceKind, SourceMeta};
use frontline_store::{ImportReport, Store, StoredLayer, StoredSnapshot};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Snapshots parsed and cleaned at once: enough to keep both cores busy,
/// few enough that memory stays flat however long the archive.
const CHUNK: usize = 16;

fn meta(file: &SourceFile, kind: SourceKind) -> SourceMeta {
    SourceMeta {
        location: file.name.clone(),
        sha256: file.sha256.clone(),
        bytes_sha256: None,
        kind,
        imported_at: Utc::now(),
    }
}

/// Expands folders to their `.geojson` / `.geojson.gz` files, sorted.
fn control_files(inputs: &[Input]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for input in inputs {
        if let Input::Path(p) = input
            && p.is_dir()
        {
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
            out.extend(files.into_iter().map(Input::Path));
        } else {
            out.push(input.clone());
        }
    }
    if out.is_empty() {
        bail_bad!("no .geojson or .geojson.gz files found");
    }
    Ok(out)
}

fn format_of(args: &ImportControlRequest) -> Result<ControlFormat> {
    Ok(match args.layout {
        // DeepState maps are refused whole when a shape is missing: the
        // flag would read as applied while it was not.
        ControlLayout::Deepstate if args.drop_shapeless => {
            bail_bad!("--drop-shapeless applies to generic GeoJSON (`--as geojson`), not to DeepState maps")
        }
        ControlLayout::Deepstate => ControlFormat::DeepState,
        ControlLayout::Geojson if args.every.is_some() => ControlFormat::Generic(GenericSpec {
            mapper: Mapper::new(args.mapper.as_deref().unwrap_or("geojson")),
            status_property: String::new(),
            map: vec![],
            time_property: args.time_property.clone(),
            every: args.every,
            drop_shapeless: args.drop_shapeless,
        }),
        ControlLayout::Geojson => {
            let Some(status_property) = args.status_property.clone() else {
                bail_bad!("generic GeoJSON needs a status property and at least one VALUE=STATUS mapping");
            };
            if args.map.is_empty() {
                bail_bad!("generic GeoJSON needs at least one VALUE=STATUS mapping");
            }
            ControlFormat::Generic(GenericSpec {
                mapper: Mapper::new(args.mapper.as_deref().unwrap_or("geojson")),
                status_property,
                map: args.map.clone(),
                time_property: args.time_property.clone(),
                every: None,
                drop_shapeless: args.drop_shapeless,
            })
        }
    })
}

/// Logs what reading a file changed or left out, and returns it for the
/// import's answer: large repairs and rejections are warnings, small
/// repairs only debug lines.
fn warnings(file: &Path, repaired: &[Repair], rejected: &[(usize, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for r in repaired {
        let text = r.describe();
        if r.is_large() {
            tracing::warn!("{}: {text}", file.display());
            out.push(text);
        } else {
            tracing::debug!(file = %file.display(), "{text}");
        }
    }
    for (feature, reason) in rejected {
        tracing::warn!("{}: feature {feature}: rejected: {reason}", file.display());
        out.push(format!("feature {feature}: rejected: {reason}"));
    }
    out
}

/// Parses and cleans one file: pure work, run on both cores.
fn prepare(file: &SourceFile, format: &ControlFormat, region: &Region) -> Result<(StoredSnapshot, Vec<String>)> {
    let bytes = decompress(file.path(), &file.bytes)?;
    let snap = parse_control(file.path(), &bytes, format)?;
    let (layers, report) = clean_snapshot(&snap.features, region);
    // A map with no ground left would read as 0 km² and a fall of the
    // whole front in a day: refused, never stored.
    if layers.is_empty() {
        return Err(crate::error::UserError::BadRequest(format!(
            "{}: no area left to store: {} polygon(s) rejected{}, {} outside the region{}; \
             a map with no ground is refused (nothing imported)",
            file.name,
            report.rejected.len(),
            report
                .rejected
                .first()
                .map(|(f, why)| format!(" (feature {f}: {why})"))
                .unwrap_or_default(),
            report.outside_region,
            if report.outside_region > 0 {
                " (--region WEST,SOUTH,EAST,NORTH sets it; the default is Ukraine and the Russian border oblasts)"
            } else {
                ""
            }
        ))
        .into());
    }
    let mut warned = warnings(file.path(), &report.repaired, &report.rejected);
    if !snap.shapeless.is_empty() {
        let text = format!(
            "{} feature(s) without a geometry dropped as asked (features {})",
            snap.shapeless.len(),
            snap.shapeless
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        tracing::warn!("{}: {text}", file.name);
        warned.push(text);
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
    let snapshot = StoredSnapshot {
        mapper: snap.mapper,
        taken_at: snap.taken_at,
        layers,
        annotations: snap.annotations,
        unmapped: snap.unmapped,
        repaired: report.repaired.len(),
        // Dropped shapeless features count as rejected: the stored snapshot
        // keeps the trace.
        rejected: report.rejected.len() + snap.shapeless.len(),
        outside_region: report.outside_region,
    };
    Ok((snapshot, warned))
}

/// A control map as it would be stored: its time and the area of each
/// status, without storing it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPreview {
    /// Publication time.
    pub taken_at: chrono::DateTime<Utc>,
    /// Area per status present, km².
    pub areas: Vec<(frontline_model::ControlStatus, f64)>,
}

/// Reads and cleans control maps as [`control`] would, storing nothing, so
/// a sync can judge them before they are applied. Oldest first.
pub fn preview(args: &ImportControlRequest) -> Result<Vec<MapPreview>> {
    let files = control_files(&args.files)?;
    let format = format_of(args)?;
    let region = Region::parse(&args.region).map_err(|e| bad!("region: {e}"))?;
    let mut out = files
        .par_iter()
        .map(|input| {
            let (snap, _) = prepare(&*input.open()?, &format, &region)?;
            Ok(MapPreview {
                taken_at: snap.taken_at,
                areas: snap.layers.iter().map(|l| (l.status, l.area_km2)).collect(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by_key(|m| m.taken_at);
    Ok(out)
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

/// Imports control maps in one transaction, streaming: a worker thread
/// reads, parses and cleans chunks of files on both cores while this thread
/// stores the previous chunk; at most two chunks are in memory at once.
pub fn control(store: &mut dyn Store, args: &ImportControlRequest) -> Result<Vec<ImportRow>> {
    let files = control_files(&args.files)?;
    let format = format_of(args)?;
    let region = Region::parse(&args.region).map_err(|e| bad!("region: {e}"))?;
    let known: HashSet<String> = store.sources()?.into_iter().map(|s| s.sha256).collect();
    // The key each file is stored under: its SHA-256, or a reparse's.
    let reparse = args.reparse.as_ref();
    let key = move |sha: &str| match reparse {
        Some(r) => r.key(sha),
        None => sha.to_string(),
    };
    let bar = progress(files.len());
    let mut tx = store.import_control()?;
    let mut reports = Vec::with_capacity(files.len());
    let mut warned: Vec<Vec<String>> = Vec::with_capacity(files.len());
    let (mut new, mut skipped) = (0usize, 0usize);
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<Prepared>>>(1);
        scope.spawn(move || {
            for chunk in files.chunks(CHUNK) {
                let prepared = chunk
                    .par_iter()
                    .map(|input| {
                        // Owned: the prepared file goes to the storing thread.
                        let file = input.open()?.into_owned();
                        if known.contains(&key(&file.sha256)) {
                            return Ok(Prepared {
                                file,
                                snapshot: None,
                                warnings: vec![],
                            });
                        }
                        let (snapshot, warnings) = prepare(&file, &format, &region)?;
                        Ok(Prepared {
                            file,
                            snapshot: Some(snapshot),
                            warnings,
                        })
                    })
                    // In file order, so a failing import names the first bad
                    // file every time, not whichever core failed first.
                    .collect::<Vec<Result<Prepared>>>()
                    .into_iter()
                    .collect::<Result<Vec<_>>>();
                let failed = prepared.is_err();
                if send.send(prepared).is_err() || failed {
                    break;
                }
            }
        });
        for chunk in receive {
            for Prepared {
                file,
                snapshot,
                warnings,
            } in chunk?
            {
                match snapshot {
                    Some(snap) if !tx.has_source(&key(&file.sha256))? => {
                        let m = meta(&file, SourceKind::ControlMap);
                        let m = match &args.reparse {
                            Some(r) => r.meta(m),
                            None => m,
                        };
                        reports.push(tx.add(&m, &snap)?);
                        warned.push(warnings);
                        new += 1;
                    }
                    _ => {
                        warned.push(vec![]);
                        skipped += 1;
                        reports.push(ImportReport {
                            location: file.name.clone(),
                            source_id: 0,
                            already_imported: true,
                            records: 0,
                            added: 0,
                        });
                    }
                }
                bar.inc(1);
            }
        }
        Ok(())
    })?;
    tx.commit()?;
    bar.finish_and_clear();
    tracing::info!("{new} snapshots imported, {skipped} already imported");
    Ok(with_warnings(import_rows(&reports), warned))
}

/// Import rows with each file's warnings.
fn with_warnings(rows: Vec<ImportRow>, warned: Vec<Vec<String>>) -> Vec<ImportRow> {
    rows.into_iter()
        .zip(warned)
        .map(|(row, w)| ImportRow {
            warnings: w.join("; "),
            ..row
        })
        .collect()
}

/// A file read and, unless imported before, parsed and cleaned.
struct Prepared {
    file: SourceFile,
    snapshot: Option<StoredSnapshot>,
    warnings: Vec<String>,
}

fn read(input: &Input) -> Result<(std::borrow::Cow<'_, SourceFile>, Vec<u8>)> {
    let file = input.open()?;
    let bytes = decompress(file.path(), &file.bytes)?;
    Ok((file, bytes))
}

/// Imports outlines: countries as a map draws them, or first-level units.
/// With units, each of their countries also gets its de jure outline, the
/// union of its units by ISO 3166-2 code (Ukraine with UA-43 Crimea and
/// UA-40 Sevastopol, whatever country the map draws them in), stored in the
/// same transaction.
pub fn boundaries(store: &mut dyn Store, input: &Input) -> Result<Vec<ImportRow>> {
    let (file, bytes) = read(input)?;
    // Repaired like control polygons (self-intersections resolved, holes
    // outside their polygon cut nothing), each change a warning; a polygon
    // with no area left is refused. A polygon crossing the antimeridian is
    // kept as drawn: Natural Earth's Russia is one ring across it, which a
    // planar repair would "fix" into a shape 2.2 times the size. Empty or
    // degenerate outlines are refused by the parser.
    let mut items = parse_boundaries(file.path(), &bytes)?;
    let mut warned = Vec::new();
    for b in &mut items {
        let mut polys = Vec::with_capacity(b.geometry.0.len());
        for (i, poly) in b.geometry.0.iter().enumerate() {
            if crosses_antimeridian(poly) {
                polys.push(poly.clone());
                continue;
            }
            match frontline_analysis::territory::clean::repair(poly) {
                Ok((fixed, note)) => {
                    if let Some(r) = note.filter(|r| r.is_large()) {
                        let text = format!("outline {} ({}), polygon {}: {}", b.code, b.name, i + 1, r.describe());
                        tracing::warn!("{}: {text}", file.name);
                        warned.push(text);
                    }
                    polys.extend(fixed.0);
                }
                Err(why) => {
                    return Err(crate::error::UserError::BadRequest(format!(
                        "{}: outline {} ({}), polygon {}: {why}; nothing imported",
                        file.name,
                        b.code,
                        b.name,
                        i + 1
                    ))
                    .into());
                }
            }
        }
        b.geometry = geo::MultiPolygon::new(polys);
    }
    let mut by_country: std::collections::BTreeMap<String, Vec<&frontline_model::Boundary>> = Default::default();
    for b in items.iter().filter(|b| b.level == BoundaryLevel::Unit) {
        by_country.entry(b.country().to_string()).or_default().push(b);
    }
    // Named as the map names the country, when its outline is stored.
    let mut names = std::collections::HashMap::new();
    for country in by_country.keys() {
        let drawn = store.boundary(country, Some(BoundaryLevel::DeFacto), None)?;
        names.insert(country.clone(), drawn.map_or_else(|| country.clone(), |b| b.name));
    }
    let de_jure: Vec<frontline_model::Boundary> = by_country
        .into_par_iter()
        .map(|(country, units)| {
            let name = &names[&country];
            let geometry = frontline_analysis::territory::union(units.iter().flat_map(|u| u.geometry.0.iter()));
            frontline_model::Boundary {
                name: format!("{name} ({} first-level units)", units.len()),
                code: country,
                name_uk: None,
                name_ru: None,
                level: BoundaryLevel::DeJure,
                geometry,
            }
        })
        .collect();
    items.extend(de_jure);
    let rows = import_rows(&[store.import_boundaries(&meta(&file, SourceKind::Boundaries), &items)?]);
    Ok(with_warnings(rows, vec![warned]))
}

/// Whether a polygon runs across the antimeridian (a longitude beyond
/// ±180°, or a span of more than half the globe).
fn crosses_antimeridian(poly: &geo::Polygon<f64>) -> bool {
    use geo::BoundingRect;
    poly.bounding_rect()
        .is_none_or(|r| r.min().x < -180.0 || r.max().x > 180.0 || r.max().x - r.min().x > 180.0)
}

/// Imports a gazetteer with its coverage: read from the file (GeoNames'
/// extract names, a country dump's classes), the importer's
/// `--min-population` taking precedence.
pub fn places(store: &mut dyn Store, r: &ImportPlacesRequest) -> Result<Vec<ImportRow>> {
    let (file, bytes) = read(&r.file)?;
    let (items, mut coverage, key) = match r.format {
        PlacesLayout::Csv => {
            if r.names.is_some() {
                bail_bad!("`--names` reads GeoNames' alternate names, for `--format geonames`");
            }
            let (items, coverage) = read_places(file.path(), &bytes)?;
            (items, coverage, None)
        }
        PlacesLayout::Geonames => {
            let names = r.names.as_ref().map(|n| n.open()).transpose()?;
            let (items, coverage) = parse_geonames(
                file.path(),
                &bytes,
                names.as_ref().map(|n| (n.path(), n.bytes.as_slice())),
            )?;
            // The names are part of what was imported: the same dump with
            // other names is another import.
            let key = names.map(|n| (n.name.clone(), n.sha256.clone()));
            (items, coverage, key)
        }
    };
    if let Some(n) = r.min_population {
        coverage.min_population = Some(n);
        coverage.from = "--min-population".into();
    }
    let mut m = meta(&file, SourceKind::Places);
    if let Some((name, sha)) = key {
        m.location = format!("{} (names: {name})", m.location);
        m.bytes_sha256 = Some(m.sha256.clone());
        m.sha256 = frontline_ingest::sha256_hex(format!("{}+{sha}", m.sha256).as_bytes());
    }
    let mut rows = import_rows(&[store.import_places(&m, &coverage, &items)?]);
    // What the file leaves out, said at import: counts of places from it
    // are read against it (docs/claims.md).
    for row in &mut rows {
        row.warnings = match coverage.min_population {
            Some(0) => String::new(),
            Some(n) => format!("places under {n} people are not in it ({})", coverage.from),
            None => {
                "which places it holds is not known: counts from it are lower bounds (say --min-population N)".into()
            }
        };
    }
    Ok(rows)
}

/// Imports a reference layer.
pub fn layer(store: &mut dyn Store, args: &ImportLayerRequest) -> Result<Vec<ImportRow>> {
    let (file, bytes) = read(&args.file)?;
    let items = parse_layer(file.path(), &bytes, &args.name_property)?;
    Ok(import_rows(&[store.import_layer(
        &meta(&file, SourceKind::Layer),
        &args.name,
        &items,
    )?]))
}
