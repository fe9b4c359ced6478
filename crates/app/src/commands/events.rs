//! Events (docs/events.md): after each import, what the data now says
//! happened (record days, settlements changing hands), recorded once by a
//! stable id; and `events`, which lists them.
//!
//! Detection is a pure function of the stored data. Running it again
//! after a re-import, a reparse that changed nothing or a restart finds the
//! same ids, and the store records nothing new.

use crate::answers::EventRow;
use crate::error::bail_bad;
use crate::requests::{EventsRequest, RecordsRequest};
use anyhow::Result;
use chrono::NaiveDate;
use frontline_model::{Event, EventKind, Mapper, SeriesKey};
use frontline_store::{EventFilter, Store};
use serde_json::{Map, Value};

/// Most events one `events` answer lists.
pub const MAX_EVENTS: usize = 1_000;

/// The day record events compare from: the first weeks' figures are rough
/// estimates (1,500 and 3,160 personnel a day in early March 2022), which
/// no later day beats; a record is news against the war's settled figures.
pub const RECORDS_SINCE: &str = "2022-04-01";

/// Record days of every stored series, as events; how many were new.
pub fn detect_records(store: &mut dyn Store) -> Result<usize> {
    let since = NaiveDate::parse_from_str(RECORDS_SINCE, "%Y-%m-%d")?;
    let mut events = Vec::new();
    for key in store.tally_keys(None)? {
        events.extend(record_events(&*store, &key, since)?);
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    Ok(store.put_events(&events)?)
}

fn record_events(store: &dyn Store, key: &SeriesKey, since: NaiveDate) -> Result<Vec<Event>> {
    let request = RecordsRequest {
        category: key.category.to_string(),
        claimant: Some(key.claimant.to_string()),
        subject: Some(key.subject.to_string()),
        spread_catchups: false,
        since: Some(since),
        from: None,
    };
    let category = key.category.as_str();
    let days = crate::commands::series::record_days(store, &request)?;
    days.into_iter()
        .map(|r| {
            // The import the day's figure came from (its latest revision).
            let from = store.figure_revisions(key, r.date)?.pop().map(|f| f.location);
            let mut figures = Map::new();
            figures.insert("value".into(), r.value.into());
            figures.insert("previous_record".into(), r.previous_record.into());
            figures.insert("streak".into(), r.streak.into());
            figures.insert("claimant".into(), key.claimant.as_str().into());
            figures.insert("category".into(), category.into());
            Ok(Event {
                id: slug(&[
                    "record",
                    key.claimant.as_str(),
                    key.subject.as_str(),
                    category,
                    &r.date.to_string(),
                ]),
                kind: EventKind::Record,
                date: r.date,
                detected_at: chrono::DateTime::UNIX_EPOCH,
                subject: category.to_string(),
                scope: key.subject.as_str().to_string(),
                figures,
                permalink: link(&[("date", &r.date.to_string()), ("category", category)]),
                sources: from.into_iter().collect(),
            })
        })
        .collect()
}

/// Settlements changing status on the maps of `mapper` taken from `since`
/// on (each against the map before), as events; how many were new.
pub fn detect_handovers(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate) -> Result<usize> {
    let changes = crate::commands::territory::places::changes_since(&*store, mapper, since, 0)?;
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
            Event {
                id: slug(&["handover", mapper.as_str(), &id, &date.to_string(), c.to]),
                kind: EventKind::Handover,
                date,
                detected_at: chrono::DateTime::UNIX_EPOCH,
                subject: c.place.name.clone(),
                scope: units.code_at(&c.place),
                figures,
                permalink: link(&[
                    ("date", &date.to_string()),
                    ("status", status),
                    ("layers", "control,places"),
                ]),
                sources: vec![],
            }
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

/// Detects what an import may have made happen (`what` reads, after the
/// import, what it changed); a failure, reading included, is logged and
/// never undoes the import or fails it (the next detection finds the same
/// ids).
pub fn after_import(store: &mut dyn Store, what: impl FnOnce(&dyn Store) -> Result<After>) {
    let found = what(&*store).and_then(|what| match what {
        After::Tallies => detect_records(store),
        After::Maps(since) => since
            .into_iter()
            .map(|(mapper, day)| detect_handovers(store, &mapper, day))
            .sum::<Result<usize>>(),
    });
    match found {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} new events"),
        Err(e) => tracing::warn!("event detection: {e:#}"),
    }
}

/// What an import changed, for [`after_import`].
pub enum After {
    /// Tally figures.
    Tallies,
    /// Control maps, or the places they are tested at: per mapper, the
    /// first day whose maps are new.
    Maps(Vec<(Mapper, NaiveDate)>),
}

/// `events`: recorded events, newest first, filtered.
pub fn list(store: &dyn Store, req: &EventsRequest) -> Result<Vec<EventRow>> {
    let kinds = kinds(req.kind.as_deref())?;
    let limit = req.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_EVENTS {
        bail_bad!("limit must be 1 to {MAX_EVENTS}, not {limit}");
    }
    let lang = Lang::parse(req.lang.as_deref())?;
    // The filters on figures are applied here, over at most MAX_EVENTS × 20
    // of the newest events of the kinds asked (bounded work per request).
    let filter = EventFilter {
        kinds,
        since: req.since,
        limit: MAX_EVENTS * 20,
        known_by: None,
    };
    let wanted = |e: &Event| {
        req.category
            .as_deref()
            .is_none_or(|c| e.kind == EventKind::Record && e.subject.eq_ignore_ascii_case(c))
            && req.within.as_deref().is_none_or(|w| within(&e.scope, w))
            && (req.min_population == 0 || e.number("population") >= req.min_population as f64)
    };
    Ok(store
        .events(&filter)?
        .into_iter()
        .filter(wanted)
        .take(limit)
        .map(|e| EventRow {
            title: title(&e, lang),
            id: e.id,
            kind: e.kind.to_string(),
            date: e.date,
            detected_at: e.detected_at,
            subject: e.subject,
            scope: e.scope,
            figures: e.figures,
            permalink: e.permalink,
            sources: e.sources,
        })
        .collect())
}

/// The kinds a comma-separated list names (all when none).
pub fn kinds(list: Option<&str>) -> Result<Vec<EventKind>> {
    let Some(list) = list.filter(|l| !l.trim().is_empty()) else {
        return Ok(vec![]);
    };
    list.split(',')
        .map(|k| match EventKind::parse(k.trim()) {
            Some(kind) => Ok(kind),
            None => {
                let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                bail_bad!("kind: unknown event kind `{}` (known: {})", k.trim(), known.join(", "))
            }
        })
        .collect()
}

/// Whether a unit code is `within` (itself, or a unit of the country).
fn within(scope: &str, within: &str) -> bool {
    scope.eq_ignore_ascii_case(within)
        || scope.len() > within.len()
            && scope[..within.len()].eq_ignore_ascii_case(within)
            && scope.as_bytes()[within.len()] == b'-'
}

/// A stable id from its parts: lower case, spaces as `-`, parts by `/`.
fn slug(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim().to_lowercase().replace(char::is_whitespace, "-"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The page's view: `/#` and its state, form-encoded.
fn link(state: &[(&str, &str)]) -> String {
    format!("/#{}", serde_urlencoded::to_string(state).unwrap_or_default())
}

/// The languages of titles: the page's three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Ukrainian.
    Uk,
    /// Russian.
    Ru,
}

impl Lang {
    /// The language named (English when none).
    pub fn parse(name: Option<&str>) -> Result<Self> {
        Ok(match name.unwrap_or("en") {
            "en" => Lang::En,
            "uk" => Lang::Uk,
            "ru" => Lang::Ru,
            other => bail_bad!("lang: `{other}` is not one of en, uk, ru"),
        })
    }

    /// Its code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Uk => "uk",
            Lang::Ru => "ru",
        }
    }
}

/// The words of titles in one language (`event_words.json`: the page's
/// three languages, kept as data).
#[derive(serde::Deserialize)]
struct Words {
    /// "Record".
    record: String,
    /// A paused webhook subscription.
    paused: String,
    /// Before the day.
    on: String,
    /// "previous record".
    previous: String,
    /// "{n} record days in a row".
    in_a_row: String,
    /// "population".
    population: String,
    /// The statuses by their names (`none`: outside every layer).
    statuses: std::collections::HashMap<String, String>,
    /// Which name field of a place to prefer (empty: the gazetteer's).
    name: String,
}

impl Words {
    fn of(lang: Lang) -> &'static Words {
        static ALL: std::sync::LazyLock<std::collections::HashMap<String, Words>> = std::sync::LazyLock::new(|| {
            serde_json::from_str(include_str!("event_words.json"))
                .expect("event_words.json is valid (a unit test reads it)")
        });
        &ALL[lang.code()]
    }

    fn status<'a>(&'a self, s: &'a str) -> &'a str {
        self.statuses.get(s).map_or(s, String::as_str)
    }
}

/// A readable title (plain text: the feeds and the page escape it).
pub fn title(e: &Event, lang: Lang) -> String {
    let w = Words::of(lang);
    match e.kind {
        EventKind::Record => {
            let previous = e.figures.get("previous_record").filter(|p| !p.is_null());
            let previous = previous.map(Value::to_string).unwrap_or_else(|| "—".into());
            let run = e.number("streak") as u64;
            let streak = if run > 1 {
                format!("; {run} {}", w.in_a_row)
            } else {
                String::new()
            };
            let head = match lang {
                Lang::En => format!("{} {}", w.record, e.subject),
                _ => format!("{} ({})", w.record, e.subject),
            };
            format!(
                "{head}: {} {} {} ({} {previous}{streak})",
                e.number("value"),
                w.on,
                e.date,
                w.previous
            )
        }
        EventKind::Handover => {
            let name = Some(e.text(&w.name))
                .filter(|n| !w.name.is_empty() && !n.is_empty())
                .unwrap_or(&e.subject);
            let people = e.figures.get("population").filter(|p| !p.is_null());
            let people = people.map(|p| format!(", {} {p}", w.population)).unwrap_or_default();
            let (from, to) = (w.status(e.text("from_status")), w.status(e.text("to_status")));
            format!("{name} ({}{people}): {from} → {to} {} {}", e.scope, w.on, e.date)
        }
        EventKind::SubscriptionPaused => format!("{} ({}): {}", w.paused, e.subject, e.text("reason")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_words() {
        for lang in [Lang::En, Lang::Uk, Lang::Ru] {
            let w = Words::of(lang);
            assert!(!w.record.is_empty() && !w.on.is_empty(), "{lang:?}");
            assert_eq!(w.statuses.len(), 4, "{lang:?}");
        }
        assert_eq!(Words::of(Lang::Uk).status("occupied"), "окуповано");
    }

    #[test]
    fn ids_are_stable_slugs_and_units_nest_in_countries() {
        assert_eq!(
            slug(&[
                "record",
                "ua-general-staff",
                "russia",
                "anti aircraft warfare",
                "2024-11-12"
            ]),
            "record/ua-general-staff/russia/anti-aircraft-warfare/2024-11-12"
        );
        assert!(
            within("RU-KRS", "RU") && within("RU-KRS", "ru-krs") && !within("RU-KRS", "RU-K") && !within("UA-14", "RU")
        );
        assert_eq!(
            link(&[("date", "2024-11-12"), ("category", "fuel tank")]),
            "/#date=2024-11-12&category=fuel+tank"
        );
        assert!(kinds(Some("record, handover")).is_ok());
        let e = kinds(Some("record,coup")).unwrap_err().to_string();
        assert_eq!(
            e,
            "kind: unknown event kind `coup` (known: record, handover, subscription-paused)"
        );
    }
}
