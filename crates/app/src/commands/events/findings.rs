//! Events drawn from the analyses: a loss list's reporting lag leaving its
//! usual range, and a stored claim's verdict changing on new data.

use super::{link, slug};
use anyhow::Result;
use frontline_analysis::period::Period;
use frontline_model::{Event, EventKind};
use frontline_store::{EventFilter, Store};
use serde_json::Map;

/// The period lag shifts are judged by: reporting lags are days to weeks,
/// so a week shows a shift while it is news.
const LAG_PERIOD: Period = Period::Week;

/// The weeks whose median reporting lag left the usual range, per loss
/// list (`lag --alerts --period week`), as events; how many were new.
pub fn detect_lag_shifts(store: &mut dyn Store) -> Result<usize> {
    let items = crate::commands::losses::items(&*store, &crate::requests::ItemFilter::default())?;
    let mut by_source: std::collections::BTreeMap<&str, Vec<frontline_model::EvidenceItem>> = Default::default();
    for it in &items {
        by_source.entry(it.source.as_str()).or_default().push(it.clone());
    }
    let mut events = Vec::new();
    for (source, items) in by_source {
        let rows = frontline_analysis::evidence::lag_by_period(&items, LAG_PERIOD);
        for a in frontline_analysis::evidence::lag_alerts(&items, LAG_PERIOD, &rows) {
            let mut figures = Map::new();
            figures.insert("source".into(), source.into());
            figures.insert("median_days".into(), a.median_days.into());
            figures.insert("baseline_days".into(), a.baseline_days.into());
            figures.insert("usual_low_days".into(), a.usual_low_days.into());
            figures.insert("usual_high_days".into(), a.usual_high_days.into());
            figures.insert("direction".into(), a.direction.into());
            figures.insert("cause".into(), a.cause.into());
            figures.insert("detail".into(), a.detail.clone().into());
            figures.insert("items".into(), a.n.into());
            events.push(Event::new(
                EventKind::LagShift,
                slug(&["lag-shift", source, "week", &a.period.to_string(), a.direction]),
                a.period,
                source,
                "",
                figures,
                link(&[("date", &a.period.to_string()), ("view", "lag"), ("source", source)]),
            ));
        }
    }
    Ok(store.put_events(&events)?)
}

/// Every stored claim checked on the data now: one whose verdict differs
/// from the last one recorded for it (or has none yet) gets an event,
/// numbered in its sequence; how many were new.
pub fn detect_verdicts(store: &mut dyn Store) -> Result<usize> {
    if store.claims(None)?.is_empty() {
        return Ok(0);
    }
    let earlier = store.events(&EventFilter {
        kinds: vec![EventKind::ClaimVerdict],
        limit: 20_000,
        ..Default::default()
    })?;
    let checks = crate::commands::claims::check_stored(store)?;
    let mut events = Vec::new();
    for c in checks {
        let verdict = serde_json::to_value(c.verdict)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        // Newest first: the first of this claim's is its last verdict.
        let mine: Vec<&Event> = earlier.iter().filter(|e| e.subject == c.id).collect();
        let last = mine.first().map(|e| e.text("verdict").to_string());
        if last.as_deref() == Some(verdict.as_str()) {
            continue;
        }
        let mut figures = Map::new();
        figures.insert("verdict".into(), verdict.clone().into());
        figures.insert("from_verdict".into(), last.into());
        figures.insert("measured".into(), c.measured.into());
        figures.insert("claimed".into(), c.claimed.clone().into());
        figures.insert("speaker".into(), c.speaker.clone().into());
        figures.insert("said_on".into(), c.said_on.to_string().into());
        figures.insert("method".into(), c.method.clone().into());
        figures.insert("reason".into(), c.reason.clone().into());
        let today = chrono::Utc::now().date_naive();
        events.push(Event::new(
            EventKind::ClaimVerdict,
            slug(&["claim-verdict", &c.id, &(mine.len() + 1).to_string()]),
            today,
            &c.id,
            &c.metric,
            figures,
            link(&[("view", "claims"), ("claim", &c.id)]),
        ));
    }
    Ok(store.put_events(&events)?)
}
