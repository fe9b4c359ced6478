//! DeepStateMap: the list of published snapshots, then each new one's
//! GeoJSON, imported in one transaction.
//!
//! Endpoints (see docs/sync.md): `GET {base}/api/history/public` → a JSON
//! array of `{id, …}` where `id` is the publication time in Unix seconds;
//! `GET {base}/api/history/{id}/geojson` → a bare FeatureCollection.

use crate::SyncReport;
use crate::connector::{Connector, Info, Reparsed, Reread, Run, accept_files, base_location, reparse_files};
use crate::error::SyncError;
use crate::fetch::{FetchConfig, Fetcher};
use crate::guard::{self, Guardrails};
use chrono::Utc;
use frontline_app::commands::territory::import as territory_import;
use frontline_app::imports::{self, ImportAnswer, ImportKind, Input, SourceFile};
use frontline_app::requests::ImportControlRequest;
use frontline_model::{ControlStatus, Mapper};
use frontline_store::Store;
use std::collections::HashSet;

/// The source's name in run records and health.
pub const SOURCE: &str = "deepstate";

/// The live site.
pub const BASE_URL: &str = "https://deepstatemap.live";

/// A daily mirror of the occupied area (github.com/cyterat/deepstate-map-data:
/// `data/deepstatemap_data_YYYYMMDD.geojson`, one dissolved occupied
/// polygon a day), used when the list refuses and a mirror is set.
pub const MIRROR_URL: &str = "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main";

/// The mapper the mirror's maps are stored under: they draw the occupied
/// area only, so they must not pass for DeepState's own maps (which draw
/// liberated and contested ground too).
pub const MIRROR_MAPPER: &str = "deepstate-mirror";

/// Most days one fallback run fetches from the mirror.
const MIRROR_MAX_DAYS: usize = 62;

/// Publication times (Unix seconds) of the snapshots the list names.
fn snapshot_ids(url: &str, body: &[u8]) -> Result<Vec<i64>, SyncError> {
    let changed = |why: String| SyncError::Protocol {
        url: url.to_string(),
        reason: format!("the snapshot list is not what DeepStateMap sends ({why}); nothing imported"),
    };
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| changed(format!("not JSON: {e}")))?;
    let items = v.as_array().ok_or_else(|| changed("not a JSON array".into()))?;
    let mut ids = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            it.get("id")
                .and_then(serde_json::Value::as_i64)
                // From the start of the war to a day ahead: a number outside
                // is not a publication time.
                .filter(|id| (1_645_660_800..=Utc::now().timestamp() + 86_400).contains(id))
                .ok_or_else(|| changed(format!("entry {} has no `id` that is a publication time", i + 1)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(changed("an empty list".into()));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Fetches the snapshots published since the last one stored and imports
/// them in one transaction; `max` bounds how many one run takes (oldest
/// first, so the next run goes on where this one stopped).
///
/// Maps whose occupied or liberated area jumps beyond the guardrails are
/// held as a revision for review instead (a glitch upstream, a half-drawn
/// map).
///
/// When the list refuses (401, 403: a key is needed; 404: it moved) and
/// `config.mirror` is set, the daily mirror's occupied-area maps since the last
/// one stored are imported instead, as mapper [`MIRROR_MAPPER`].
pub fn sync(
    store: &mut dyn Store,
    config: FetchConfig,
    max: Option<usize>,
    rails: Guardrails,
) -> anyhow::Result<SyncReport> {
    // The mirror is asked with the source's pace but none of its headers:
    // a key meant for DeepState is not sent to a third party.
    let mirror = config.mirror.as_ref().map(|base| {
        let mut m = FetchConfig::new(base);
        m.min_interval = config.min_interval;
        m.timeout = config.timeout;
        m
    });
    crate::recorded(store, SOURCE, config, |store, fetcher| {
        run(store, fetcher, max, rails, mirror)
    })
}

fn run(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    max: Option<usize>,
    rails: Guardrails,
    mirror: Option<FetchConfig>,
) -> anyhow::Result<(usize, String)> {
    let list = match fetcher.get(store, "/api/history/public") {
        Ok(list) => list,
        Err(SyncError::Status { url, status, hint }) if matches!(status, 401 | 403 | 404) => {
            let refused = format!("{url}: HTTP {status}: {hint}");
            return match mirror {
                Some(m) => from_mirror(store, fetcher, m, max, rails, &refused),
                None => Err(SyncError::Status {
                    url,
                    status,
                    hint: format!(
                        "{hint}; or fall back to the daily mirror of the occupied area \
                         (--mirror {MIRROR_URL}, docs/sync.md)"
                    ),
                }
                .into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let listed = snapshot_ids(&list.url, &list.body)?;
    let known: HashSet<i64> = store
        .control_snapshots(Some(&Mapper::new("deepstate")))?
        .iter()
        .map(|s| s.taken_at.timestamp())
        .collect();
    // A map held for review (or rejected) is not fetched again: the run
    // goes on with the maps after it.
    let held = held_ids(store)?;
    let new: Vec<i64> = listed
        .iter()
        .copied()
        .filter(|id| !known.contains(id) && !held.contains(id))
        .take(max.unwrap_or(usize::MAX))
        .collect();
    if new.is_empty() {
        return Ok((0, format!("0 new snapshots of {} listed", listed.len())));
    }
    // Named by publication time, as the importer reads a DeepState map.
    let mut fetched = Vec::with_capacity(new.len());
    for id in &new {
        let snap = fetcher.get(store, &format!("/api/history/{id}/geojson"))?;
        let name = format!("{id}.geojson");
        let file = Input::Bytes(SourceFile::from_bytes(name.clone(), snap.body));
        fetched.push((*id, name, snap.sha256, snap.url, file));
    }
    // Every body is kept before any is judged: a held map is applied later
    // from its kept bytes.
    crate::keep_before_import(
        store,
        fetcher,
        &format!("fetched {} new snapshots; importing", new.len()),
    )?;
    // Each map is judged alone, against the last map accepted before it
    // (stored, or accepted earlier in this run): one refused or jumping
    // map is held and the ones after it are imported.
    let mut previous = stored_before(store, chrono::DateTime::from_timestamp(new[0], 0))?;
    let mut held_now = Vec::new();
    let mut accepted = Vec::with_capacity(fetched.len());
    for (id, name, sha, url, file) in &fetched {
        let request = ImportControlRequest::deepstate(vec![file.clone()]);
        let verdict = match territory_import::preview(&request) {
            // Said with the URL and the snapshot id.
            Err(e) => Err((
                format!("snapshot {id} refused"),
                vec![format!("{url} (snapshot {id}): {e:#}")],
            )),
            Ok(maps) => {
                let jumps = guard::map_jumps(previous.as_deref(), &maps, &rails);
                if jumps.is_empty() {
                    Ok(maps)
                } else {
                    Err((
                        format!("snapshot {id}: {} area jumps beyond the guardrails", jumps.len()),
                        jumps,
                    ))
                }
            }
        };
        match verdict {
            Ok(maps) => {
                if let Some(m) = maps.last() {
                    previous = Some(m.areas.clone());
                }
                accepted.push(file.clone());
            }
            Err((reason, lines)) => {
                let rev = crate::held::hold(store, SOURCE, &reason, &lines, vec![(name.clone(), sha.clone())])?;
                tracing::warn!("deepstate: {reason}; held as revision {rev} (frontline review show {rev})");
                held_now.push(rev);
            }
        }
    }
    let n = if accepted.is_empty() {
        0
    } else {
        import_files(store, accepted, None)?
    };
    let held_note = if held_now.is_empty() {
        String::new()
    } else {
        format!(
            "; {} held for review (revision {})",
            held_now.len(),
            held_now.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        )
    };
    Ok((n, format!("{n} new snapshots of {} listed{held_note}", listed.len())))
}

/// Publication times of the maps held in a DeepState revision that is
/// pending or was rejected: not fetched again.
fn held_ids(store: &dyn Store) -> anyhow::Result<HashSet<i64>> {
    Ok(store
        .revisions()?
        .iter()
        .filter(|r| r.source == SOURCE && r.status != "accepted")
        .flat_map(|r| r.files.iter())
        .filter_map(|(name, _)| name.strip_suffix(".geojson")?.parse().ok())
        .collect())
}

/// The judged areas of the stored map published just before `t`.
fn stored_before(
    store: &dyn Store,
    t: Option<chrono::DateTime<Utc>>,
) -> anyhow::Result<Option<Vec<(ControlStatus, f64)>>> {
    let Some(t) = t else { return Ok(None) };
    let mapper = Mapper::new("deepstate");
    let mut out = Vec::new();
    for status in [ControlStatus::Occupied, ControlStatus::Liberated] {
        let rows = store.snapshot_areas(frontline_store::AreaFilter::new(Some(&mapper), status))?;
        match rows.iter().rev().find(|(s, _)| s.taken_at < t) {
            Some((_, area)) => out.push((status, area.unwrap_or(0.0))),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// Imports DeepState maps in one transaction, in the order of their names
/// (their publication times), as a folder of them would be (a reparse:
/// read again, keyed apart); snapshots added.
pub(crate) fn import_files(
    store: &mut dyn Store,
    mut files: Vec<Input>,
    reparse: Option<frontline_app::requests::Reparse>,
) -> anyhow::Result<usize> {
    files.sort_by_key(Input::name);
    let mut request = ImportControlRequest::deepstate(files);
    request.reparse = reparse;
    imported(&imports::run(store, &ImportKind::Control(request))?)
}

/// Snapshots an import stored (not those it had already).
fn imported(answer: &ImportAnswer) -> anyhow::Result<usize> {
    match answer {
        ImportAnswer::Files(rows) => Ok(rows.iter().filter(|r| r.status == "imported").count()),
        ImportAnswer::Losses(_) => anyhow::bail!("a control import answered as a loss import"),
    }
}

/// The fallback: the mirror's daily maps from the day after the last one
/// stored (or after DeepState's own last map) to today, imported in one
/// transaction as [`MIRROR_MAPPER`], every feature occupied. A day the
/// mirror lacks is skipped, and named.
fn from_mirror(
    store: &mut dyn Store,
    fetcher: &mut Fetcher,
    mirror: FetchConfig,
    max: Option<usize>,
    rails: Guardrails,
    refused: &str,
) -> anyhow::Result<(usize, String)> {
    tracing::warn!(
        "deepstate: {refused}; falling back to the daily mirror {}",
        mirror.base_url
    );
    fetcher.switch(mirror)?;
    let last = |mapper: &str| -> anyhow::Result<Option<chrono::NaiveDate>> {
        Ok(store
            .control_snapshots(Some(&Mapper::new(mapper)))?
            .last()
            .map(|s| s.taken_at.date_naive()))
    };
    let today = Utc::now().date_naive();
    let from = match (last(MIRROR_MAPPER)?, last("deepstate")?) {
        (Some(d), _) | (None, Some(d)) => d.succ_opt().unwrap_or(d),
        (None, None) => today - chrono::Duration::days(6),
    };
    let (mut files, mut inputs, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    let days = from.iter_days().take_while(|d| *d <= today);
    for day in days.take(max.unwrap_or(MIRROR_MAX_DAYS)) {
        let name = format!("deepstatemap_data_{}.geojson", day.format("%Y%m%d"));
        match fetcher.get(store, &format!("/data/{name}")) {
            Ok(got) => {
                inputs.push(Input::Bytes(SourceFile::from_bytes(name.clone(), got.body)));
                files.push((name, got.sha256));
            }
            Err(SyncError::Status { status: 404, .. }) => missing.push(day.to_string()),
            Err(e) => return Err(e.into()),
        }
    }
    let skipped = if missing.is_empty() {
        String::new()
    } else {
        format!("; not on the mirror: {}", missing.join(", "))
    };
    if files.is_empty() {
        return Ok((
            0,
            format!("{refused}; fell back to the daily mirror: no new day{skipped}"),
        ));
    }
    let mut request = ImportControlRequest::deepstate(inputs);
    request.layout = frontline_app::requests::ControlLayout::Geojson;
    request.mapper = Some(MIRROR_MAPPER.into());
    request.every = Some(ControlStatus::Occupied);
    // Judged as DeepState's own maps are, against the last mirror map.
    let maps = territory_import::preview(&request)?;
    let previous = store
        .snapshot_areas(frontline_store::AreaFilter::new(
            Some(&Mapper::new(MIRROR_MAPPER)),
            ControlStatus::Occupied,
        ))?
        .last()
        .map(|(_, a)| vec![(ControlStatus::Occupied, a.unwrap_or(0.0))]);
    let jumps = guard::map_jumps(previous.as_deref(), &maps, &rails);
    if !jumps.is_empty() {
        let reason = format!("mirror: {} area jumps beyond the guardrails", jumps.len());
        crate::keep_before_import(store, fetcher, "fetched mirror maps; holding")?;
        let id = crate::held::hold(store, SOURCE, &reason, &jumps, files)?;
        return Ok((
            0,
            format!("{refused}; held the mirror's maps for review as revision {id}: {reason}"),
        ));
    }
    crate::keep_before_import(store, fetcher, "fetched mirror maps; importing")?;
    let n = imported(&imports::run(store, &ImportKind::Control(request))?)?;
    Ok((
        n,
        format!(
            "{refused}; fell back to the daily mirror: {n} daily maps imported as `{MIRROR_MAPPER}` (occupied area only){skipped}"
        ),
    ))
}

/// DeepStateMap as a [`Connector`].
pub struct DeepState;

impl Connector for DeepState {
    fn info(&self) -> &'static Info {
        &Info {
            name: SOURCE,
            about: "DeepStateMap: new control-map snapshots",
            base_url: BASE_URL,
            every_mins: 60,
        }
    }

    fn sync(&self, store: &mut dyn Store, run: Run) -> anyhow::Result<SyncReport> {
        run.options.only(SOURCE, &["max"])?;
        sync(store, run.config, run.options.max, run.rails)
    }

    fn accept(&self, store: &mut dyn Store, revision: &frontline_store::Revision) -> anyhow::Result<usize> {
        accept_files(store, revision, import_files)
    }

    fn kept_name(&self, s: &frontline_store::SourceRecord) -> Option<String> {
        let (base, name) = base_location(s);
        let snapshot = name
            .strip_suffix(".geojson")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        (s.kind == frontline_model::SourceKind::ControlMap && snapshot).then(|| base.to_string())
    }

    fn reparse(&self, store: &mut dyn Store, job: Reread<'_>) -> anyhow::Result<Reparsed> {
        reparse_files(store, job, import_files, "snapshots read again")
    }
}
