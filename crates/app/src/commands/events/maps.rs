//! Events drawn from the maps: settlements changing hands, areas changing
//! past a threshold, two mappers coming to disagree.

use super::{Thresholds, link, slug};
use crate::requests::CompareRequest;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_model::{ControlStatus, Event, EventKind, Mapper};
use frontline_store::{AreaFilter, SnapshotInfo, Store};
use serde_json::Map;

/// Settlements changing status on the maps of `mapper` taken from `since`
/// on (each against the map before), as events; how many were new. The
/// changes are those recorded with where each map differs from the one
/// before (`territory::edits`), recorded first where they are not yet.
pub fn detect_handovers(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate) -> Result<usize> {
    let changes = crate::commands::territory::edits::record(store, mapper, since)?.changes;
    let units = if changes.is_empty() {
        Units::default()
    } else {
        Units::load(&*store)?
    };
    let events: Vec<Event> = changes
        .into_iter()
        .map(|c| {
            let date = c.snapshot.taken_at.date_naive();
            let id = c.place.id.unwrap_or_default().to_string();
            let mut figures = Map::new();
            figures.insert("from_status".into(), c.from.into());
            figures.insert("to_status".into(), c.to.into());
            figures.insert("population".into(), c.place.population.into());
            figures.insert("mapper".into(), mapper.as_str().into());
            figures.insert("place_id".into(), c.place.id.into());
            figures.insert("lat".into(), c.place.lat.into());
            figures.insert("lon".into(), c.place.lon.into());
            figures.insert("snapshot".into(), c.snapshot.taken_at.to_rfc3339().into());
            figures.insert("admin1".into(), c.place.admin1.clone().into());
            figures.insert("name_uk".into(), c.place.name_uk.clone().into());
            figures.insert("name_ru".into(), c.place.name_ru.clone().into());
            let status = if c.to == "none" { c.from } else { c.to };
            Event::new(
                EventKind::Handover,
                slug(&["handover", mapper.as_str(), &id, &date.to_string(), c.to]),
                date,
                &c.place.name,
                &units.code_at(&c.place),
                figures,
                link(&[
                    ("date", &date.to_string()),
                    ("status", status),
                    ("layers", "control,places"),
                ]),
            )
        })
        .collect();
    Ok(store.put_events(&events)?)
}

/// The first-level units' outlines, to give a settlement its unit's code
/// (`RU-KRS`: the gazetteer names units, it does not code them).
#[derive(Default)]
struct Units(Vec<(String, geo::Rect<f64>, geo::MultiPolygon<f64>)>);

impl Units {
    fn load(store: &dyn Store) -> Result<Self> {
        use geo::BoundingRect;
        Ok(Units(
            store
                .boundaries(None)?
                .into_iter()
                .filter(|b| b.level == frontline_model::BoundaryLevel::Unit)
                .filter_map(|b| b.geometry.bounding_rect().map(|r| (b.code.clone(), r, b.geometry)))
                .collect(),
        ))
    }

    /// The code of the unit the place is in; else its country's code.
    fn code_at(&self, p: &frontline_model::Place) -> String {
        use geo::Contains;
        let at = geo::Point::new(p.lon, p.lat);
        self.0
            .iter()
            .find(|(_, r, shape)| r.contains(&at) && shape.contains(&at))
            .map(|(code, _, _)| code.clone())
            .or_else(|| p.country.clone())
            .unwrap_or_default()
    }
}

/// The last map of each day of `mapper` with its area of `status`, in day
/// order (a day stands for its last map, as everywhere in Frontline).
fn daily_areas(
    store: &dyn Store,
    mapper: &Mapper,
    status: ControlStatus,
    from: Option<NaiveDate>,
) -> Result<Vec<(NaiveDate, SnapshotInfo, f64)>> {
    let mut days: Vec<(NaiveDate, SnapshotInfo, f64)> = Vec::new();
    for (snap, km2) in store.snapshot_areas(AreaFilter::new(Some(mapper), status).from(from))? {
        let Some(km2) = km2 else { continue };
        let day = snap.taken_at.date_naive();
        match days.last_mut() {
            Some(last) if last.0 == day => *last = (day, snap, km2),
            _ => days.push((day, snap, km2)),
        }
    }
    Ok(days)
}

/// A status's area changing past the thresholds between consecutive days
/// of `mapper`, the later day from `since` on: on the whole map (every
/// day), and in each first-level unit (the newest `recent_days` days only:
/// clipping by every unit is the costly part, and a bulk import's history
/// is not news), as events; how many were new.
pub fn detect_area_changes(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate, t: &Thresholds) -> Result<usize> {
    use rayon::prelude::*;
    // Every first-level unit, read once (their outlines are large).
    let units: Vec<frontline_model::Boundary> = store
        .boundaries(None)?
        .into_iter()
        .filter(|b| b.level == frontline_model::BoundaryLevel::Unit)
        .collect();
    let mut events = Vec::new();
    for status in ControlStatus::ALL {
        // The days since the import and the one before them, read without
        // the whole history (#27): a window first, all of it only when the
        // window holds no day before `since` (a first import, a gap).
        let mut days = daily_areas(
            &*store,
            mapper,
            status,
            Some(since - chrono::Duration::days(WINDOW_DAYS)),
        )?;
        if days.first().is_none_or(|(d, _, _)| *d >= since) {
            days = daily_areas(&*store, mapper, status, None)?;
        }
        let Some(first) = days.iter().position(|(d, _, _)| *d >= since) else {
            continue;
        };
        let pairs: Vec<usize> = (first.max(1)..days.len()).collect();
        // A change from the day before day `k` to it, past `threshold`.
        let mut past = |k: usize, (a, b): (f64, f64), threshold: f64, unit: Option<(&str, &str)>| {
            if (b - a).abs() >= threshold {
                let ((before, _, _), (day, snap, _)) = (&days[k - 1], &days[k]);
                let c = AreaChange {
                    mapper,
                    status,
                    day: *day,
                    before: *before,
                    km2_before: a,
                    km2: b,
                };
                events.push(c.event(snap, unit));
            }
        };
        for &k in &pairs {
            past(k, (days[k - 1].2, days[k].2), t.area_change_km2, None);
        }
        // The newest pairs: each day's map clipped by every unit once.
        let recent = &pairs[pairs.len().saturating_sub(t.recent_days)..];
        let Some(&lowest) = recent.first().filter(|_| !units.is_empty()) else {
            continue;
        };
        let mut layers: std::collections::HashMap<usize, geo::MultiPolygon<f64>> = Default::default();
        for (k, (_, snap, _)) in days.iter().enumerate().skip(lowest - 1) {
            layers.insert(k, crate::commands::territory::layer(&*store, snap, status, None)?);
        }
        // A day's area in a unit, clipped once though two pairs share the day.
        let mut clipped: std::collections::HashMap<(usize, usize), f64> = Default::default();
        for &k in recent {
            let changed = units_meeting(&layers[&(k - 1)], &layers[&k], status, &units);
            let mut need: Vec<(usize, usize)> = changed.iter().flat_map(|&i| [(k - 1, i), (k, i)]).collect();
            need.retain(|key| !clipped.contains_key(key));
            let areas: Vec<f64> = need
                .par_iter()
                .map(|&(day, i)| unit_area(&layers[&day], &units[i]))
                .collect();
            clipped.extend(need.into_iter().zip(areas));
            for i in changed {
                let u = &units[i];
                let (a, b) = (clipped[&(k - 1, i)], clipped[&(k, i)]);
                past(k, (a, b), t.unit_change_km2, Some((u.code.as_str(), u.name.as_str())));
            }
        }
    }
    Ok(store.put_events(&events)?)
}

/// The units (indexes into `units`) the map of `status` changed in
/// between two maps. A unit away from every stretch the map redrew
/// (`changed_boxes`) holds the same area on both, so it is not clipped: on
/// a daily map that is most of them.
fn units_meeting(
    before: &geo::MultiPolygon<f64>,
    after: &geo::MultiPolygon<f64>,
    status: ControlStatus,
    units: &[frontline_model::Boundary],
) -> Vec<usize> {
    use frontline_analysis::territory::changed_boxes;
    use geo::{BoundingRect, Intersects};
    let boxes = changed_boxes(&[(status, before)], &[(status, after)]);
    (0..units.len())
        .filter(|&i| {
            units[i]
                .geometry
                .bounding_rect()
                .is_some_and(|r| boxes.iter().any(|b| b.intersects(&r)))
        })
        .collect()
}

/// The km² of `layer` inside `unit` (nothing clipped when their boxes do
/// not meet).
fn unit_area(layer: &geo::MultiPolygon<f64>, unit: &frontline_model::Boundary) -> f64 {
    use frontline_analysis::territory::{area_km2, clip};
    use geo::{BoundingRect, Intersects};
    let near = layer
        .bounding_rect()
        .zip(unit.geometry.bounding_rect())
        .is_some_and(|(a, b)| a.intersects(&b));
    if near {
        area_km2(&clip(layer, &unit.geometry))
    } else {
        0.0
    }
}

/// One area change, before it is an event.
struct AreaChange<'a> {
    mapper: &'a Mapper,
    status: ControlStatus,
    day: NaiveDate,
    before: NaiveDate,
    km2_before: f64,
    km2: f64,
}

impl AreaChange<'_> {
    /// As an event: of the whole map, or of a unit (its code and name).
    fn event(&self, snap: &SnapshotInfo, unit: Option<(&str, &str)>) -> Event {
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        let mut figures = Map::new();
        figures.insert("mapper".into(), self.mapper.as_str().into());
        figures.insert("status".into(), self.status.as_str().into());
        figures.insert("since".into(), self.before.to_string().into());
        figures.insert("km2_before".into(), round(self.km2_before).into());
        figures.insert("km2".into(), round(self.km2).into());
        figures.insert("change_km2".into(), round(self.km2 - self.km2_before).into());
        figures.insert("snapshot".into(), snap.taken_at.to_rfc3339().into());
        if let Some((_, name)) = unit {
            figures.insert("unit_name".into(), name.into());
        }
        let scope = unit.map_or("all", |(code, _)| code);
        Event {
            id: slug(&[
                "area-change",
                self.mapper.as_str(),
                self.status.as_str(),
                scope,
                &self.day.to_string(),
            ]),
            kind: EventKind::AreaChange,
            date: self.day,
            detected_at: chrono::DateTime::UNIX_EPOCH,
            subject: self.status.as_str().to_string(),
            scope: unit.map_or(String::new(), |(code, _)| code.to_string()),
            figures,
            permalink: link(&[
                ("date", &self.day.to_string()),
                ("status", self.status.as_str()),
                ("layers", "control"),
            ]),
            sources: vec![],
        }
    }
}

/// How far before an import's window the day a disagreement is judged
/// against is looked for (the less frequent mapper's previous map).
const LOOKBACK_DAYS: i64 = 90;
/// Days before an import's first that area changes read to find the map
/// before it: maps are daily, the archive's longest gap is 4 days.
const WINDOW_DAYS: i64 = 62;

/// Two mappers' maps of a status coming to disagree past the threshold,
/// on the newest `recent_days` days from `since` on of `mapper` (each a
/// day the less frequent mapper published): an event when the day before
/// (its previous map within [`LOOKBACK_DAYS`]) was under the threshold, or
/// there is none (a standing disagreement is news once, not daily); how
/// many were new.
pub fn detect_disagreements(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate, t: &Thresholds) -> Result<usize> {
    use crate::commands::territory::{Timeline, compare::compare_timelines};
    // Every snapshot listed once, for every comparison below (the listing
    // grows with the archive; each comparison would list both mappers).
    let all = store.control_snapshots(None)?;
    let counts: std::collections::BTreeMap<&Mapper, usize> = all.iter().fold(Default::default(), |mut m, s| {
        *m.entry(&s.mapper).or_default() += 1;
        m
    });
    let mut events = Vec::new();
    for (other, n) in counts.iter().filter(|(m, _)| **m != mapper) {
        // The one that publishes more often first (`territory compare`'s rule).
        let (a, b) = if counts.get(mapper).copied().unwrap_or(0) >= *n {
            (mapper, *other)
        } else {
            (*other, mapper)
        };
        let timelines = (
            Timeline::of(all.clone(), Some(a.as_str()))?,
            Timeline::of(all.clone(), Some(b.as_str()))?,
        );
        for status in ControlStatus::ALL {
            let days = daily_areas(&*store, mapper, status, Some(since))?;
            let recent: Vec<NaiveDate> = days.iter().map(|(d, _, _)| *d).filter(|d| *d >= since).collect();
            let first = recent.len().saturating_sub(t.recent_days.max(1));
            let (Some(from), Some(to)) = (recent.get(first), recent.last()) else {
                continue;
            };
            let request = CompareRequest {
                status,
                mappers: format!("{a},{b}"),
                within: None,
                date: None,
                from: Some(*from - chrono::Duration::days(LOOKBACK_DAYS)),
                to: Some(*to),
                country: None,
                geojson: None,
            };
            let rows = match compare_timelines(&*store, &request, &timelines.0, &timelines.1) {
                Ok(rows) => rows,
                // No day both cover: nothing to compare.
                Err(e) if crate::error::classify(&e) != frontline_model::ErrorClass::Internal => continue,
                Err(e) => return Err(e),
            };
            for (k, row) in rows.iter().enumerate().filter(|(_, r)| r.date >= *from) {
                let km2 = row.disagree_km2.unwrap_or(0.0);
                let before = k.checked_sub(1).map(|j| rows[j].disagree_km2.unwrap_or(0.0));
                if km2 >= t.disagreement_km2 && before.is_none_or(|was| was < t.disagreement_km2) {
                    events.push(disagreement(row, status, before));
                }
            }
        }
    }
    Ok(store.put_events(&events)?)
}

fn disagreement(g: &crate::answers::MapperGap, status: ControlStatus, before: Option<f64>) -> Event {
    let mut figures = Map::new();
    figures.insert("a_mapper".into(), g.a_mapper.clone().into());
    figures.insert("b_mapper".into(), g.b_mapper.clone().into());
    figures.insert("status".into(), status.as_str().into());
    figures.insert("disagree_km2".into(), g.disagree_km2.into());
    figures.insert("disagree_share".into(), g.disagree_share.into());
    figures.insert("only_a_km2".into(), g.only_a_km2.into());
    figures.insert("only_b_km2".into(), g.only_b_km2.into());
    figures.insert("before_km2".into(), before.into());
    let pair = format!("{} {}", g.a_mapper, g.b_mapper);
    Event {
        id: slug(&[
            "disagreement",
            &g.a_mapper,
            &g.b_mapper,
            status.as_str(),
            &g.date.to_string(),
        ]),
        kind: EventKind::Disagreement,
        date: g.date,
        detected_at: chrono::DateTime::UNIX_EPOCH,
        subject: status.as_str().to_string(),
        scope: pair,
        figures,
        permalink: link(&[
            ("date", &g.date.to_string()),
            ("status", status.as_str()),
            ("layers", "control,compare"),
        ]),
        sources: vec![],
    }
}
