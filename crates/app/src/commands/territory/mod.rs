//! `territory …` queries and the control-map imports.

pub mod area;
pub mod change;
pub mod compare;
pub mod distance;
pub mod edits;
pub mod import;
pub mod places;
pub mod units;

use crate::error::{bail_bad, missing};
use crate::requests::TerritorySelect;
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use frontline_analysis::territory::{SLIVER_RULE, area_km2, clip, remove_slivers, snapshot_for_day};
use frontline_model::{Boundary, BoundaryLevel, ControlStatus, Mapper};
use frontline_store::{SnapshotInfo, Store};
use geo::{BoundingRect, MultiPolygon, Rect};
use rayon::prelude::*;
use std::collections::HashMap;

/// The snapshots of one mapper, in time order.
pub struct Timeline {
    /// Whose.
    pub mapper: Mapper,
    /// Snapshots, oldest first.
    pub snaps: Vec<SnapshotInfo>,
    times: Vec<DateTime<Utc>>,
}

impl Timeline {
    /// Loads the snapshots of `mapper`, or of the only mapper stored.
    pub fn load(store: &dyn Store, mapper: Option<&str>) -> Result<Self> {
        let all = store.control_snapshots(mapper.map(Mapper::new).as_ref())?;
        if all.is_empty() {
            none_published_by(store)?;
        }
        Self::of(all, mapper)
    }

    /// The timeline of `mapper`, or of the only mapper, among `all` current
    /// snapshots (oldest first).
    pub(crate) fn of(all: Vec<SnapshotInfo>, mapper: Option<&str>) -> Result<Self> {
        let mut mappers: Vec<&Mapper> = all.iter().map(|s| &s.mapper).collect();
        mappers.sort();
        mappers.dedup();
        let mapper = match (mapper, mappers.as_slice()) {
            (_, []) => {
                return Err(crate::error::UserError::NotFound(match mapper {
                    Some(m) => format!("no control snapshots by mapper `{m}`"),
                    None => "no control snapshots stored yet; run `frontline import control PATH` first".to_string(),
                })
                .into());
            }
            (_, [one]) => (*one).clone(),
            // DeepState is the map the page and the docs are about: a second
            // mapper imported for comparison must not break every query
            // that names none.
            (None, many) if many.iter().any(|m| m.as_str() == "deepstate") => Mapper::new("deepstate"),
            (None, many) => bail_bad!(
                "snapshots by several mappers are stored ({}); name one as the mapper",
                many.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
            ),
            (Some(m), _) => Mapper::new(m),
        };
        let snaps: Vec<SnapshotInfo> = all.into_iter().filter(|s| s.mapper == mapper).collect();
        let times = snaps.iter().map(|s| s.taken_at).collect();
        Ok(Timeline { mapper, snaps, times })
    }

    /// The snapshot standing for `day` (the latest published by its end).
    pub fn for_day(&self, day: NaiveDate) -> Option<&SnapshotInfo> {
        snapshot_for_day(&self.times, day).map(|i| &self.snaps[i])
    }

    /// The requested range clamped to the days the snapshots cover, so an
    /// answer has at most one row per day of data whatever range is asked
    /// (#12.8: `to=9999-12-31` built a 312 MB answer). After the last
    /// snapshot the map would only repeat itself.
    pub fn range(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(NaiveDate, NaiveDate)> {
        let first = self
            .times
            .first()
            .map(|t| t.date_naive())
            .ok_or_else(|| missing!("no snapshots"))?;
        let last = self
            .times
            .last()
            .map(|t| t.date_naive())
            .ok_or_else(|| missing!("no snapshots"))?;
        let from = from.unwrap_or(first).max(first);
        let to = to.unwrap_or(last).min(last);
        if from > to {
            bail_bad!("empty range: {from} is after {to} (snapshots cover {first} to {last})");
        }
        Ok((from, to))
    }

    /// The snapshot for `day`, or an error saying what is covered.
    pub fn require(&self, day: NaiveDate) -> Result<&SnapshotInfo> {
        self.for_day(day).ok_or_else(|| {
            missing!(
                "no {} snapshot on or before {day} (the first is {})",
                self.mapper,
                self.times
                    .first()
                    .map_or_else(String::new, |t| t.date_naive().to_string())
            )
        })
    }
}

/// Every day from `from` to `to`, inclusive.
pub fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// The outline a `within` names: `UA` (the country's de jure outline when
/// its first-level units are imported, else the map's), `UA-09` (a unit),
/// or `UA:de-facto` / `UA:de-jure` (that one).
pub fn boundary(store: &dyn Store, within: &str) -> Result<Boundary> {
    let (code, level) = match within.split_once(':') {
        None => (within, None),
        Some((code, view)) => match BoundaryLevel::parse(&view.to_lowercase()) {
            Some(l @ (BoundaryLevel::DeFacto | BoundaryLevel::DeJure)) => (code, Some(l)),
            _ => bail_bad!("within `{within}`: after `:` comes `de-facto` or `de-jure`"),
        },
    };
    store.boundary(code, level, None)?.ok_or_else(|| match level {
        Some(l) => missing!(
            "no {} outline for `{code}`; {}",
            l.as_str(),
            if l == BoundaryLevel::DeJure {
                "import its first-level units (`frontline import boundaries` on an admin-1 file)"
            } else {
                "import the countries (`frontline import boundaries` on a countries file)"
            }
        ),
        None => missing!("no outline for `{code}`; run `frontline import boundaries FILE` first"),
    })
}

/// Which outline an answer used, in words: "UA de jure: Ukraine …".
pub fn describe(b: &Boundary) -> String {
    match b.level {
        BoundaryLevel::Unit => format!("{} {} (first-level unit)", b.code, b.name),
        BoundaryLevel::DeJure => format!("{} de jure: {}", b.code, b.name),
        BoundaryLevel::DeFacto => format!("{} de facto: {} as the map draws it", b.code, b.name),
    }
}

/// An outline cut down to a box, so clipping stays cheap (Russia's
/// outline spans the globe).
pub fn outline(store: &dyn Store, code: &str, around: Rect<f64>) -> Result<MultiPolygon<f64>> {
    let b = boundary(store, code)?;
    let (min, max) = (around.min(), around.max());
    let rect = Rect::new(
        geo::coord! { x: min.x - 0.5, y: min.y - 0.5 },
        geo::coord! { x: max.x + 0.5, y: max.y + 0.5 },
    );
    Ok(clip(&b.geometry, &MultiPolygon::new(vec![rect.to_polygon()])))
}

/// A status layer of a snapshot, clipped to an outline when given.
pub fn layer(
    store: &dyn Store,
    snap: &SnapshotInfo,
    status: ControlStatus,
    within: Option<&MultiPolygon<f64>>,
) -> Result<MultiPolygon<f64>> {
    let mp = store
        .control_layers(snap.id, &[status])?
        .pop()
        .map(|l| l.geometry)
        .unwrap_or_else(|| MultiPolygon::new(vec![]));
    Ok(match within {
        Some(w) => clip(&mp, w),
        None => mp,
    })
}

/// The outline to clip to for `select`, sized to the given layers.
pub fn within_outline(
    store: &dyn Store,
    select: &TerritorySelect,
    layers: &[&MultiPolygon<f64>],
) -> Result<Option<MultiPolygon<f64>>> {
    let Some(code) = &select.within else { return Ok(None) };
    let rect = layers.iter().filter_map(|l| l.bounding_rect()).reduce(|a, b| {
        Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    });
    match rect {
        Some(r) => Ok(Some(outline(store, code, r)?)),
        None => Ok(Some(MultiPolygon::new(vec![]))),
    }
}

/// Areas of a status per snapshot, and what the sliver rule removed.
pub struct SnapshotAreas {
    /// The snapshots.
    pub timeline: Timeline,
    /// km² per snapshot id.
    pub areas: HashMap<i64, f64>,
    /// Within a country: km² removed as border slivers per snapshot id
    /// (frontline_analysis::territory::slivers); empty otherwise.
    pub slivers: HashMap<i64, f64>,
}

/// The timeline of a mapper with the area in km² of `status` for each of its
/// snapshots, clipped to `within` when given: read in one store call, and
/// clipped areas not computed before are computed here (both cores) and
/// remembered in the store. Within a country (not a unit: the mappers draw
/// no internal borders to disagree with) that the layer spills over,
/// border slivers are removed and their area kept apart, under the key
/// `CODE+SLIVERS`.
///
/// On a store as of a past day, the snapshots as known at the end of that
/// day: the timeline ends with the last map published by then.
pub fn areas_by_snapshot(
    store: &mut dyn Store,
    mapper: Option<&str>,
    status: ControlStatus,
    within: Option<&str>,
) -> Result<SnapshotAreas> {
    let code = within.map(str::to_uppercase);
    let rows = store.snapshot_areas(
        frontline_store::AreaFilter::new(mapper.map(Mapper::new).as_ref(), status).within(code.as_deref()),
    )?;
    if rows.is_empty() {
        none_published_by(store)?;
    }
    let mut known: HashMap<i64, Option<f64>> = rows.iter().map(|(s, a)| (s.id, *a)).collect();
    let tl = Timeline::of(rows.into_iter().map(|(s, _)| s).collect(), mapper)?;
    known.retain(|id, _| tl.snaps.iter().any(|s| s.id == *id));
    let Some(code) = code else {
        // A snapshot without the layer has none of that status: 0 km².
        let areas = known.into_iter().map(|(id, a)| (id, a.unwrap_or(0.0))).collect();
        return Ok(SnapshotAreas {
            timeline: tl,
            areas,
            slivers: HashMap::new(),
        });
    };
    let country = boundary(store, &code)?.level != BoundaryLevel::Unit;
    let sliver_key = format!("{code}+SLIVERS");
    let mut cached: HashMap<i64, f64> = known.iter().filter_map(|(id, a)| a.map(|a| (*id, a))).collect();
    let mut slivers: HashMap<i64, f64> = if country {
        store
            .snapshot_areas(
                frontline_store::AreaFilter::new(mapper.map(Mapper::new).as_ref(), status).within(Some(&sliver_key)),
            )?
            .into_iter()
            .filter_map(|(s, a)| a.map(|a| (s.id, a)))
            .collect()
    } else {
        HashMap::new()
    };
    let missing: Vec<&SnapshotInfo> = tl
        .snaps
        .iter()
        .filter(|s| !cached.contains_key(&s.id) || (country && !slivers.contains_key(&s.id)))
        .collect();
    if missing.is_empty() {
        return Ok(SnapshotAreas {
            timeline: tl,
            areas: cached,
            slivers,
        });
    }
    let mut layers = Vec::with_capacity(missing.len());
    for s in &missing {
        layers.push((s.id, layer(store, s, status, None)?));
    }
    let refs: Vec<&MultiPolygon<f64>> = layers.iter().map(|(_, l)| l).collect();
    let select = TerritorySelect {
        status,
        within: Some(code.clone()),
        mapper: None,
    };
    let outline = within_outline(store, &select, &refs)?.unwrap_or_else(|| MultiPolygon::new(vec![]));
    let computed: Vec<(i64, f64, f64)> = layers
        .par_iter()
        .map(|(id, l)| {
            let clipped = clip(l, &outline);
            if country {
                let (kept, removed) = remove_slivers(&clipped, area_km2(l), &outline, &SLIVER_RULE);
                (*id, area_km2(&kept), removed)
            } else {
                (*id, area_km2(&clipped), 0.0)
            }
        })
        .collect();
    let areas: Vec<(i64, f64)> = computed.iter().map(|(id, a, _)| (*id, *a)).collect();
    store
        .put_within_areas(status, &code, &areas)
        .context("caching clipped areas")?;
    if country {
        let removed: Vec<(i64, f64)> = computed.iter().map(|(id, _, r)| (*id, *r)).collect();
        store
            .put_within_areas(status, &sliver_key, &removed)
            .context("caching sliver areas")?;
        slivers.extend(removed);
    }
    cached.extend(areas);
    Ok(SnapshotAreas {
        timeline: tl,
        areas: cached,
        slivers,
    })
}

/// On a store as of a past day, no map at all is "none published by
/// then", said as such rather than as an empty store.
fn none_published_by(store: &dyn Store) -> Result<()> {
    match store.known_by() {
        Some(day) => Err(crate::error::UserError::NotFound(format!(
            "no control map had been published by {day} (as_of): nothing to answer as of that day"
        ))
        .into()),
        None => Ok(()),
    }
}
