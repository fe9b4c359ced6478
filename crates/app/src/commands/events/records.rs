//! Record days: a claimed daily figure beating every earlier one of its
//! series, from [`RECORDS_SINCE`] on.

use super::{link, slug};
use anyhow::Result;
use chrono::NaiveDate;
use frontline_analysis::RecordDay;
use frontline_model::{Event, EventKind, SeriesKey};
use frontline_store::Store;
use serde_json::Map;

/// The day record events compare from: the first weeks' figures are rough
/// estimates (1,500 and 3,160 personnel a day in early March 2022), which
/// no later day beats; a record is news against the war's settled figures.
pub const RECORDS_SINCE: &str = "2022-04-01";

/// Record days of the stored series among `keys` (those an import
/// touched), as events; how many were new.
pub fn detect_records(store: &mut dyn Store, keys: &[SeriesKey]) -> Result<usize> {
    let since = NaiveDate::parse_from_str(RECORDS_SINCE, "%Y-%m-%d")?;
    let mut events = Vec::new();
    for (key, days) in crate::commands::series::record_days_of(&*store, keys, since)? {
        events.extend(record_events(&*store, &key, days)?);
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
    Ok(store.put_events(&events)?)
}

fn record_events(store: &dyn Store, key: &SeriesKey, days: Vec<RecordDay>) -> Result<Vec<Event>> {
    let category = key.category.as_str();
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
                sources: from.into_iter().collect(),
                ..Event::new(
                    EventKind::Record,
                    slug(&[
                        "record",
                        key.claimant.as_str(),
                        key.subject.as_str(),
                        category,
                        &r.date.to_string(),
                    ]),
                    r.date,
                    category,
                    key.subject.as_str(),
                    figures,
                    link(&[("date", &r.date.to_string()), ("category", category)]),
                )
            })
        })
        .collect()
}
