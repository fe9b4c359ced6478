//! Spatial answers as collections of features, for OGC API – Features
//! (docs/ogc.md, #25): the control areas of each mapper and status, and the
//! settlements with their status. Each feature has a stable id; a query
//! picks the snapshot in force at an instant (or the snapshots of an
//! interval), keeps the features whose box meets a `bbox`, and pages by
//! `limit` and `offset`. The HTTP documents and their links are the
//! server's; this module knows no HTTP.

pub use crate::commands::geo::parse_bbox;
use crate::commands::territory::Timeline;
use crate::error::{bad, bail_bad, bail_missing};
use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{ControlStatus, Mapper};
use frontline_store::{AreaFilter, PlaceFilter, SnapshotInfo, Store};
use geo::{BoundingRect, Intersects};
use serde_json::{Map, Value, json};

/// The most features one page holds (OGC's `limit` is capped here).
pub const MAX_LIMIT: usize = 10_000;
/// A page's size when no `limit` is asked (OGC's default).
pub const DEFAULT_LIMIT: usize = 10;
/// The most snapshots an interval may span (each holds a map's polygons).
pub const MAX_SNAPSHOTS: usize = 31;

/// One collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// Its id in paths: `control-deepstate-occupied`, `settlements`.
    pub id: String,
    /// A title.
    pub title: String,
    /// What it holds.
    pub description: String,
    /// The first and last time it covers.
    pub interval: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Which collection an id names.
enum Which {
    Control(Mapper, ControlStatus),
    Settlements,
    Losses(String),
    Units(Mapper, ControlStatus),
    Disagreement(Mapper, Mapper, ControlStatus),
}

fn which(id: &str) -> Result<Which> {
    if id == "settlements" {
        return Ok(Which::Settlements);
    }
    if let Some(source) = id.strip_prefix("losses-").filter(|s| !s.is_empty()) {
        return Ok(Which::Losses(source.to_string()));
    }
    let of = |rest: &str| {
        let (mapper, status) = rest.rsplit_once('-')?;
        Some((Mapper::new(mapper), ControlStatus::parse(status)?))
    };
    if let Some((m, s)) = id.strip_prefix("control-").and_then(of) {
        return Ok(Which::Control(m, s));
    }
    let pair = id.strip_prefix("disagreement-").and_then(|rest| {
        let (a, rest) = rest.split_once('-')?;
        let (m, s) = of(rest)?;
        Some((Mapper::new(a), m, s))
    });
    if let Some((a, b, s)) = pair {
        return Ok(Which::Disagreement(a, b, s));
    }
    match id.strip_prefix("units-").and_then(of) {
        Some((m, s)) => Ok(Which::Units(m, s)),
        None => bail_missing!("no collection `{id}`; see /ogc/collections"),
    }
}

/// Every collection the store holds data for.
pub fn collections(store: &dyn Store) -> Result<Vec<Collection>> {
    let snaps = store.control_snapshots(None)?;
    let mut mappers: Vec<&Mapper> = snaps.iter().map(|s| &s.mapper).collect();
    mappers.sort();
    mappers.dedup();
    let has_units = store
        .boundaries(None)?
        .iter()
        .any(|b| b.level == frontline_model::BoundaryLevel::Unit);
    let mut out = Vec::new();
    for mapper in mappers {
        for status in ControlStatus::ALL {
            let areas = store.snapshot_areas(AreaFilter::new(Some(mapper), status))?;
            let held: Vec<&SnapshotInfo> = areas
                .iter()
                .filter(|(_, a)| a.unwrap_or(0.0) > 0.0)
                .map(|(s, _)| s)
                .collect();
            let (Some(first), Some(last)) = (held.first(), held.last()) else {
                continue;
            };
            out.push(Collection {
                id: format!("control-{}-{}", mapper.as_str(), status.as_str()),
                title: format!("{} {} areas", mapper.as_str(), status.as_str()),
                description: format!(
                    "The {} layer of {}'s maps, one feature per polygon; `datetime` picks the map in force",
                    status.as_str(),
                    mapper.as_str()
                ),
                interval: Some((first.taken_at, last.taken_at)),
            });
            if has_units {
                out.push(Collection {
                    id: format!("units-{}-{}", mapper.as_str(), status.as_str()),
                    title: format!("{} {} by first-level unit", mapper.as_str(), status.as_str()),
                    description: format!(
                        "Each first-level unit's outline with its {} area, share and, for an interval, change (its start to its end) on {}'s maps",
                        status.as_str(),
                        mapper.as_str()
                    ),
                    interval: Some((first.taken_at, last.taken_at)),
                });
            }
        }
    }
    out.extend(disagreements(&snaps, &out));
    for (source, (first, last)) in loss_sources(store)? {
        out.push(Collection {
            id: format!("losses-{source}"),
            title: format!("{source} located losses"),
            description: format!(
                "The items of {source}'s list with a location, one point each; `datetime` picks them by event date"
            ),
            interval: Some((first, last)),
        });
    }
    if !store.places(&PlaceFilter::default())?.is_empty() {
        let tl = Timeline::load(store, None).ok();
        out.push(Collection {
            id: "settlements".into(),
            title: "settlements".into(),
            description: "The gazetteer's settlements, each with its status on the map in force at `datetime`".into(),
            interval: tl.and_then(|t| Some((t.snaps.first()?.taken_at, t.snaps.last()?.taken_at))),
        });
    }
    Ok(out)
}

/// The time a query asks about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// The newest map.
    Latest,
    /// The map in force then.
    At(DateTime<Utc>),
    /// Every map published in the interval (open ends: `..`).
    Between(Option<DateTime<Utc>>, Option<DateTime<Utc>>),
}

/// An OGC `datetime`: an instant (RFC 3339, or a day: its end), or an
/// interval `A/B` with `..` for an open end (a day as `A` is its start).
pub fn parse_datetime(text: Option<&str>) -> Result<When> {
    let Some(text) = text else { return Ok(When::Latest) };
    let instant = |s: &str, end_of_day: bool| -> Result<Option<DateTime<Utc>>> {
        if s == ".." || s.is_empty() {
            return Ok(None);
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Some(t.with_timezone(&Utc)));
        }
        let day = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| bad!("datetime: `{s}` is not an RFC 3339 time, a YYYY-MM-DD day or `..`"))?;
        let t = if end_of_day {
            day.and_hms_milli_opt(23, 59, 59, 999)
        } else {
            day.and_hms_opt(0, 0, 0)
        };
        Ok(t.map(|t| t.and_utc()))
    };
    Ok(match text.split_once('/') {
        Some((a, b)) => When::Between(instant(a, false)?, instant(b, true)?),
        None => When::At(instant(text, true)?.ok_or_else(|| bad!("datetime: `..` alone is no time"))?),
    })
}

/// What an items query asks.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemsQuery {
    /// Features a page holds.
    pub limit: usize,
    /// Features skipped.
    pub offset: usize,
    /// West, south, east, north (CRS84).
    pub bbox: Option<[f64; 4]>,
    /// When.
    pub when: When,
    /// Settlements: of this status on the map (`none`: outside every
    /// layer); located losses: of this item status (`destroyed`…).
    pub status: Option<String>,
    /// Simple property filters: `(name, value)`, a feature kept when its
    /// property's text equals the value; the names a collection takes are
    /// its [`queryables`].
    pub properties: Vec<(String, String)>,
}

/// Every property name some collection can be filtered by (each
/// collection's own are fewer; see [`queryables`]).
pub const QUERYABLES: [&str; 8] = ["country", "admin1", "name", "side", "category", "model", "code", "only"];

/// The properties collection `id`'s features can be filtered by, besides
/// `status` (settlements and losses).
pub fn queryables(id: &str) -> Result<&'static [&'static str]> {
    Ok(which(id)?.queryables())
}

impl Which {
    fn queryables(&self) -> &'static [&'static str] {
        match self {
            Which::Control(..) => &[],
            Which::Settlements => &["country", "admin1", "name"],
            Which::Losses(_) => &["side", "category", "model"],
            Which::Units(..) => &["code", "name"],
            Which::Disagreement(..) => &["only"],
        }
    }
}

/// A property's value as the text a filter compares.
fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// A page of features.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its features, GeoJSON.
    pub features: Vec<Value>,
    /// How many the query matches in all.
    pub matched: usize,
}

/// A page of collection `id`.
pub fn items(store: &dyn Store, id: &str, q: &ItemsQuery) -> Result<Page> {
    if q.limit == 0 || q.limit > MAX_LIMIT {
        bail_bad!("limit must be 1 to {MAX_LIMIT}, not {}", q.limit);
    }
    let all = matching(store, id, q)?;
    let matched = all.len();
    Ok(Page {
        features: all.into_iter().skip(q.offset).take(q.limit).collect(),
        matched,
    })
}

/// Every feature of collection `id` the query matches, unpaged (`limit`
/// and `offset` are not read): what a page is cut from, and what `export
/// layer` writes whole.
pub fn matching(store: &dyn Store, id: &str, q: &ItemsQuery) -> Result<Vec<Value>> {
    let which = which(id)?;
    let allowed = which.queryables();
    if let Some((name, _)) = q.properties.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        bail_bad!(
            "{name}: not a property filter of {id} (it takes {})",
            if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed.join(", ")
            }
        );
    }
    let mut all = match which {
        Which::Control(mapper, status) => control(store, &mapper, status, q)?,
        Which::Settlements => settlements(store, q)?,
        Which::Losses(source) => losses(store, &source, q)?,
        Which::Units(mapper, status) => units(store, &mapper, status, q)?,
        Which::Disagreement(a, b, status) => disagreement(store, &a, &b, status, q)?,
    };
    all.retain(|f| q.properties.iter().all(|(k, v)| text(&f["properties"][k]) == *v));
    Ok(all)
}

/// One feature of collection `id` by its id.
pub fn item(store: &dyn Store, id: &str, feature: &str) -> Result<Value> {
    let not_found = || bad_id(id, feature);
    let all = match which(id)? {
        Which::Control(mapper, status) => {
            let snap: i64 = feature
                .split('-')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(not_found)?;
            let snaps = store.control_snapshots(Some(&mapper))?;
            let s = snaps.into_iter().find(|s| s.id == snap).ok_or_else(not_found)?;
            polygons(store, &s, status, None)?
        }
        Which::Settlements => {
            let q = ItemsQuery {
                limit: MAX_LIMIT,
                offset: 0,
                bbox: None,
                when: When::Latest,
                status: None,
                properties: Vec::new(),
            };
            settlements(store, &q)?
        }
        Which::Losses(source) => {
            let q = ItemsQuery {
                limit: MAX_LIMIT,
                offset: 0,
                bbox: None,
                when: When::Between(None, None),
                status: None,
                properties: Vec::new(),
            };
            losses(store, &source, &q)?
        }
        Which::Units(mapper, status) => {
            let q = ItemsQuery {
                limit: MAX_LIMIT,
                offset: 0,
                bbox: None,
                when: When::Latest,
                status: None,
                properties: Vec::new(),
            };
            units(store, &mapper, status, &q)?
        }
        Which::Disagreement(a, b, status) => {
            // The id names its day: `{mapper}-{YYYY-MM-DD}`.
            let day = feature.get(feature.len().saturating_sub(10)..);
            let at = day.and_then(|d| parse_datetime(Some(d)).ok()).ok_or_else(not_found)?;
            let q = ItemsQuery {
                limit: MAX_LIMIT,
                offset: 0,
                bbox: None,
                when: at,
                status: None,
                properties: Vec::new(),
            };
            disagreement(store, &a, &b, status, &q)?
        }
    };
    all.into_iter().find(|f| f["id"] == feature).ok_or_else(not_found)
}

fn bad_id(id: &str, feature: &str) -> anyhow::Error {
    anyhow::Error::from(crate::error::UserError::NotFound(format!(
        "no feature `{feature}` in `{id}`"
    )))
}

/// The snapshots a query's time picks, oldest first.
fn snapshots(tl: &Timeline, when: When) -> Result<Vec<SnapshotInfo>> {
    Ok(match when {
        When::Latest => tl.snaps.last().cloned().into_iter().collect(),
        When::At(t) => tl
            .snaps
            .iter()
            .rfind(|s| s.taken_at <= t)
            .cloned()
            .into_iter()
            .collect(),
        When::Between(a, b) => {
            let picked: Vec<SnapshotInfo> = tl
                .snaps
                .iter()
                .filter(|s| a.is_none_or(|a| s.taken_at >= a) && b.is_none_or(|b| s.taken_at <= b))
                .cloned()
                .collect();
            if picked.len() > MAX_SNAPSHOTS {
                bail_bad!(
                    "datetime: the interval holds {} maps, more than {MAX_SNAPSHOTS}; ask a shorter one",
                    picked.len()
                );
            }
            picked
        }
    })
}

fn control(store: &dyn Store, mapper: &Mapper, status: ControlStatus, q: &ItemsQuery) -> Result<Vec<Value>> {
    if q.status.is_some() {
        bail_bad!("status: a control collection holds one status already");
    }
    let tl = Timeline::load(store, Some(mapper.as_str()))?;
    let mut out = Vec::new();
    for s in snapshots(&tl, q.when)? {
        out.extend(polygons(store, &s, status, q.bbox)?);
    }
    Ok(out)
}

fn meets(bbox: Option<[f64; 4]>, r: Option<geo::Rect<f64>>) -> bool {
    let Some([w, s, e, n]) = bbox else { return true };
    let query = geo::Rect::new(geo::coord! { x: w, y: s }, geo::coord! { x: e, y: n });
    r.is_some_and(|r| r.intersects(&query))
}

/// The polygons of one map's layer, as features `{snapshot id}-{n}`.
fn polygons(store: &dyn Store, s: &SnapshotInfo, status: ControlStatus, bbox: Option<[f64; 4]>) -> Result<Vec<Value>> {
    let layers = store.control_layers(s.id, &[status])?;
    let mut out = Vec::new();
    for layer in layers {
        for (n, p) in layer.geometry.0.into_iter().enumerate() {
            if !meets(bbox, p.bounding_rect()) {
                continue;
            }
            let one = geo::MultiPolygon(vec![p]);
            let km2 = (frontline_analysis::territory::area_km2(&one) * 1000.0).round() / 1000.0;
            out.push(json!({
                "type": "Feature",
                "id": format!("{}-{n}", s.id),
                "geometry": geojson::Geometry::from(&one),
                "properties": {
                    "mapper": s.mapper.as_str(),
                    "status": status.as_str(),
                    "snapshot": s.taken_at.to_rfc3339(),
                    "date": s.taken_at.date_naive().to_string(),
                    "area_km2": km2,
                },
            }));
        }
    }
    Ok(out)
}

fn settlements(store: &dyn Store, q: &ItemsQuery) -> Result<Vec<Value>> {
    // Without a control map the places are still a gazetteer: their status
    // is null (no map says), and a status filter has nothing to match.
    let mapped = !store.control_snapshots(None)?.is_empty();
    if !mapped && q.status.is_some() {
        bail_bad!("status: no control map is stored, so no place has a status");
    }
    let tl = if mapped {
        Some(Timeline::load(store, None)?)
    } else {
        None
    };
    let mut map = None;
    if let Some(tl) = &tl {
        let snaps = snapshots(tl, q.when)?;
        let [snap] = snaps.as_slice() else {
            bail_bad!("datetime: settlements take an instant (their status on one map), not an interval");
        };
        map = Some((
            snap.clone(),
            crate::commands::territory::places::index_for(store, snap)?,
        ));
    }
    let mut out = Vec::new();
    for p in store.places(&PlaceFilter::default())? {
        if !meets(
            q.bbox,
            Some(geo::Rect::new(
                geo::coord! { x: p.lon, y: p.lat },
                geo::coord! { x: p.lon, y: p.lat },
            )),
        ) {
            continue;
        }
        let status = map
            .as_ref()
            .map(|(_, index)| index.status(p.lon, p.lat).map_or("none", ControlStatus::as_str));
        if q.status.is_some() && q.status.as_deref() != status {
            continue;
        }
        let mut props = Map::new();
        props.insert("name".into(), p.name.clone().into());
        props.insert("name_uk".into(), p.name_uk.clone().into());
        props.insert("name_ru".into(), p.name_ru.clone().into());
        props.insert("population".into(), p.population.into());
        props.insert("country".into(), p.country.clone().into());
        props.insert("admin1".into(), p.admin1.clone().into());
        props.insert("status".into(), status.into());
        props.insert("mapper".into(), tl.as_ref().map(|t| t.mapper.as_str()).into());
        props.insert(
            "snapshot".into(),
            map.as_ref().map(|(s, _)| s.taken_at.to_rfc3339()).into(),
        );
        out.push(json!({
            "type": "Feature",
            "id": p.id.map_or_else(|| format!("{}@{},{}", p.name, p.lon, p.lat), |id| id.to_string()),
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": props,
        }));
    }
    Ok(out)
}

/// Each first-level unit with the status's area inside it on the map in
/// force (an instant), or at an interval's end with the change since its
/// start; the unit's outline as geometry, its code as id.
fn units(store: &dyn Store, mapper: &Mapper, status: ControlStatus, q: &ItemsQuery) -> Result<Vec<Value>> {
    if q.status.is_some() {
        bail_bad!("status: a units collection holds one status already");
    }
    let tl = Timeline::load(store, Some(mapper.as_str()))?;
    let last = tl.snaps.last().map(|s| s.taken_at.date_naive());
    let (day, since) = match q.when {
        When::Latest => (last, None),
        When::At(t) => (Some(t.date_naive()), None),
        When::Between(a, b) => (b.map(|t| t.date_naive()).or(last), a.map(|t| t.date_naive())),
    };
    let outlines: Vec<frontline_model::Boundary> = store
        .boundaries(None)?
        .into_iter()
        .filter(|b| b.level == frontline_model::BoundaryLevel::Unit)
        .collect();
    let mut countries: Vec<String> = outlines.iter().map(|b| b.country().to_string()).collect();
    countries.sort();
    countries.dedup();
    let mut out = Vec::new();
    for country in countries {
        let request = crate::requests::UnitsRequest {
            status,
            country,
            mapper: Some(mapper.as_str().to_string()),
            date: day,
            since,
        };
        for row in crate::commands::territory::units::units(store, &request)? {
            let Some(outline) = outlines.iter().find(|b| b.code == row.code) else {
                continue;
            };
            if !meets(q.bbox, outline.geometry.bounding_rect()) {
                continue;
            }
            out.push(json!({
                "type": "Feature",
                "id": row.code,
                "geometry": geojson::Geometry::from(&outline.geometry),
                "properties": serde_json::to_value(&row)?,
            }));
        }
    }
    Ok(out)
}

/// A disagreement collection for each two mappers drawing a status (the
/// one with more maps first, as `territory compare` asks).
fn disagreements(snaps: &[SnapshotInfo], control: &[Collection]) -> Vec<Collection> {
    let mut counts: std::collections::BTreeMap<&Mapper, usize> = Default::default();
    for s in snaps {
        *counts.entry(&s.mapper).or_default() += 1;
    }
    let mut by_count: Vec<(&Mapper, usize)> = counts.into_iter().collect();
    by_count.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    let mut out = Vec::new();
    for (i, (a, _)) in by_count.iter().enumerate() {
        for (b, _) in &by_count[i + 1..] {
            for status in ControlStatus::ALL {
                let held = |m: &Mapper| {
                    control
                        .iter()
                        .any(|c| c.id == format!("control-{}-{}", m.as_str(), status.as_str()))
                };
                if held(a) && held(b) {
                    out.push(Collection {
                        id: format!("disagreement-{}-{}-{}", a.as_str(), b.as_str(), status.as_str()),
                        title: format!("{} against {}: {}", a.as_str(), b.as_str(), status.as_str()),
                        description: format!(
                            "What one of {} and {} draws as {} and the other does not, on a day both cover (`datetime`: an instant)",
                            a.as_str(),
                            b.as_str(),
                            status.as_str()
                        ),
                        interval: None,
                    });
                }
            }
        }
    }
    out
}

/// Two mappers' disagreement on a day: a feature per mapper, what it draws
/// and the other does not (`territory compare --geojson`), id
/// `{mapper}-{day}`.
fn disagreement(
    store: &dyn Store,
    a: &Mapper,
    b: &Mapper,
    status: ControlStatus,
    q: &ItemsQuery,
) -> Result<Vec<Value>> {
    if q.status.is_some() {
        bail_bad!("status: a disagreement collection holds one status already");
    }
    let mut request = crate::requests::CompareRequest {
        status,
        mappers: format!("{},{}", a.as_str(), b.as_str()),
        within: None,
        date: None,
        from: None,
        to: None,
        country: None,
        geojson: None,
    };
    request.date = Some(match q.when {
        When::At(t) => t.date_naive(),
        When::Latest => match crate::commands::territory::compare::compare(store, &request)?.first() {
            Some(row) => row.date,
            None => return Ok(vec![]),
        },
        When::Between(..) => bail_bad!("datetime: a disagreement takes an instant (one day), not an interval"),
    });
    let doc = crate::commands::territory::compare::polygons(store, &request)?;
    Ok(doc["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            let g: Option<geo::Geometry<f64>> = serde_json::from_value::<geojson::Geometry>(f["geometry"].clone())
                .ok()
                .and_then(|g| geo::Geometry::try_from(g).ok());
            meets(q.bbox, g.and_then(|g| g.bounding_rect()))
        })
        .map(|f| {
            let mut f = f.clone();
            let id = format!(
                "{}-{}",
                f["properties"]["only"].as_str().unwrap_or_default(),
                f["properties"]["date"].as_str().unwrap_or_default()
            );
            f["id"] = id.into();
            f
        })
        .collect())
}

/// The most located items a loss collection answers for one query (as
/// the API's located losses).
const MAX_ITEMS: usize = 50_000;

/// The loss lists with located items, with their first and last event day.
/// A span of time, first to last.
type Span = (DateTime<Utc>, DateTime<Utc>);

fn loss_sources(store: &dyn Store) -> Result<std::collections::BTreeMap<String, Span>> {
    let filter = frontline_store::EvidenceFilter {
        located: true,
        limit: Some(MAX_ITEMS),
        ..Default::default()
    };
    let mut out: std::collections::BTreeMap<String, Span> = Default::default();
    for i in store.evidence_items(&filter)? {
        let Some(day) = i.dates.event.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()) else {
            continue;
        };
        let span = out.entry(i.source.clone()).or_insert((day, day));
        *span = (span.0.min(day), span.1.max(day));
    }
    Ok(out)
}

/// A loss list's located items: by event day (an instant: that day; an
/// interval: its days; none: every item), in the `bbox`.
fn losses(store: &dyn Store, source: &str, q: &ItemsQuery) -> Result<Vec<Value>> {
    let (from, to) = match q.when {
        When::Latest => (None, None),
        When::At(t) => (Some(t.date_naive()), Some(t.date_naive())),
        When::Between(a, b) => (a.map(|t| t.date_naive()), b.map(|t| t.date_naive())),
    };
    let filter = frontline_store::EvidenceFilter {
        sources: vec![source.to_string()],
        located: true,
        event_from: from,
        event_to: to,
        bbox: q.bbox,
        limit: Some(MAX_ITEMS + 1),
        ..Default::default()
    };
    let items = store.evidence_items(&filter)?;
    if items.len() > MAX_ITEMS {
        bail_bad!("more than {MAX_ITEMS} items match; narrow them with datetime or bbox");
    }
    Ok(items
        .into_iter()
        .filter(|i| q.status.as_deref().is_none_or(|s| s == i.status.as_str()))
        .filter_map(|i| {
            let l = i.location?;
            Some(json!({
                "type": "Feature",
                "id": i.id(),
                "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                "properties": {
                    "source": i.source, "side": i.side, "category": i.category, "model": i.model,
                    "status": i.status.as_str(), "event_date": i.dates.event, "published_date": i.dates.published,
                    "proof_urls": i.proof_urls.join(" "),
                },
            }))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_and_boxes_read_as_ogc_says() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(parse_datetime(None).unwrap(), When::Latest);
        assert_eq!(
            parse_datetime(Some("2024-11-01")).unwrap(),
            When::At(t("2024-11-01T23:59:59.999Z"))
        );
        assert_eq!(
            parse_datetime(Some("2024-11-01T12:00:00Z")).unwrap(),
            When::At(t("2024-11-01T12:00:00Z"))
        );
        assert_eq!(
            parse_datetime(Some("2024-11-01/..")).unwrap(),
            When::Between(Some(t("2024-11-01T00:00:00Z")), None)
        );
        assert!(parse_datetime(Some("yesterday")).is_err() && parse_datetime(Some("..")).is_err());
        assert_eq!(
            parse_bbox(Some("34.5,50.9,36,51.6")).unwrap(),
            Some([34.5, 50.9, 36.0, 51.6])
        );
        for bad in ["1,2,3", "36,50,34,51", "a,b,c,d", "0,-91,1,0"] {
            assert!(parse_bbox(Some(bad)).is_err(), "{bad}");
        }
        assert!(matches!(
            which("control-deepstate-occupied"),
            Ok(Which::Control(_, ControlStatus::Occupied))
        ));
        assert!(which("control-deepstate").is_err() && which("losses").is_err() && which("losses-").is_err());
        assert!(matches!(which("losses-oryx"), Ok(Which::Losses(s)) if s == "oryx"));
        assert!(matches!(
            which("units-isw-occupied"),
            Ok(Which::Units(_, ControlStatus::Occupied))
        ));
    }
}
