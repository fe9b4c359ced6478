//! Titles in the page's three languages (`event_words.json`, kept as data).

use crate::error::bail_bad;
use anyhow::Result;
use frontline_model::{Event, EventKind};
use serde_json::Value;

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
    /// "area", "in", "since", "now": an area change.
    area: String,
    #[serde(rename = "in")]
    in_: String,
    since: String,
    now: String,
    /// Two mappers disagreeing.
    disagree: String,
    /// A lag shift, and the week it is about.
    lag: String,
    week_of: String,
    /// "Source", "Claim".
    source: String,
    claim: String,
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
        EventKind::AreaChange => {
            let unit = match e.scope.as_str() {
                "" => String::new(),
                code => format!(" {} {code}", w.in_),
            };
            format!(
                "{} {} ({}){unit}: {:+} km² {} {} ({} {}; {} {} km²)",
                w.status(&e.subject),
                w.area,
                e.text("mapper"),
                e.number("change_km2"),
                w.on,
                e.date,
                w.since,
                e.text("since"),
                w.now,
                e.number("km2")
            )
        }
        EventKind::Disagreement => format!(
            "{} ({}; {}): {} km² {} {}",
            w.disagree,
            e.scope.replace(' ', ", "),
            w.status(&e.subject),
            e.number("disagree_km2"),
            w.on,
            e.date
        ),
        EventKind::LagShift => format!(
            "{} ({}, {} {}): {}",
            w.lag,
            e.subject,
            w.week_of,
            e.date,
            e.text("detail")
        ),
        EventKind::SourceHealth => {
            let from = Some(e.text("from_status")).filter(|s| !s.is_empty()).unwrap_or("—");
            format!(
                "{} {}: {from} → {} ({})",
                w.source,
                e.subject,
                e.text("status"),
                e.text("reason")
            )
        }
        EventKind::ClaimVerdict => {
            let from = Some(e.text("from_verdict")).filter(|s| !s.is_empty()).unwrap_or("—");
            format!(
                "{} {} ({}): {from} → {}",
                w.claim,
                e.subject,
                e.text("speaker"),
                e.text("verdict")
            )
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
}
