//! Feeds of events: Atom 1.0 and JSON Feed 1.1 (docs/events.md), for feed
//! readers and systems that poll. The server serves them under
//! `/api/v1/feeds/{name}` with the `events` query's filters; the entries
//! are that query's rows.
//!
//! Ids are tag URIs built from the event ids, so they stay the same across
//! restarts and re-imports. Links are relative to the site (the server does
//! not trust a request's `Host` to write them).

use crate::answers::EventRow;
use crate::commands::events::Lang;
use crate::error::{bail_bad, bail_missing};
use crate::requests::EventsRequest;
use anyhow::Result;
use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use serde_json::json;

/// The authority and date of the feeds' tag URIs (RFC 4151).
const TAG: &str = "tag:frontline.events,2026:";

/// A feed's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Atom 1.0 (`.atom`).
    Atom,
    /// JSON Feed 1.1 (`.json`).
    Json,
}

impl Form {
    /// Its content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Form::Atom => "application/atom+xml; charset=utf-8",
            Form::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// The feeds there are: their name, the kind they hold (all: none) and a
/// title in each language.
pub const FEEDS: [(&str, Option<&str>, [&str; 3]); 3] = [
    (
        "events",
        None,
        [
            "Frontline: what changed",
            "Frontline: що змінилося",
            "Frontline: что изменилось",
        ],
    ),
    (
        "records",
        Some("record"),
        [
            "Frontline: record days",
            "Frontline: рекордні дні",
            "Frontline: рекордные дни",
        ],
    ),
    (
        "handovers",
        Some("handover"),
        [
            "Frontline: settlements changing hands",
            "Frontline: зміна контролю над населеними пунктами",
            "Frontline: смена контроля над населёнными пунктами",
        ],
    ),
];

/// The feed a file name asks for (`records.atom`), with the kind it sets
/// in the request; a name that is none, or a `kind` the name already sets,
/// is refused.
pub fn feed_for(file: &str, request: &mut EventsRequest) -> Result<(&'static str, Form)> {
    let (name, form) = match file.rsplit_once('.') {
        Some((name, "atom")) => (name, Form::Atom),
        Some((name, "json")) => (name, Form::Json),
        _ => bail_missing!("no feed `{file}`: the feeds are events, records and handovers, each .atom or .json"),
    };
    let Some((name, kind, _)) = FEEDS.iter().find(|(n, _, _)| *n == name) else {
        bail_missing!("no feed `{file}`: the feeds are events, records and handovers, each .atom or .json");
    };
    if let Some(kind) = kind {
        if request.kind.is_some() {
            bail_bad!("kind: the feed `{name}` holds `{kind}` events only");
        }
        request.kind = Some((*kind).to_string());
    }
    Ok((name, form))
}

/// A feed of `rows` (the `events` answer for `request`), `path` its own
/// URL under the site (with its query).
pub fn render(name: &str, form: Form, rows: &[EventRow], request: &EventsRequest, path: &str) -> Result<Vec<u8>> {
    let lang = Lang::parse(request.lang.as_deref())?;
    let titles = FEEDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|f| f.2)
        .unwrap_or(FEEDS[0].2);
    let title = titles[match lang {
        Lang::En => 0,
        Lang::Uk => 1,
        Lang::Ru => 2,
    }];
    Ok(match form {
        Form::Atom => atom(title, lang, rows, path).into_bytes(),
        Form::Json => serde_json::to_vec(&json_feed(title, lang, rows, path))?,
    })
}

fn time(t: chrono::DateTime<chrono::Utc>) -> FixedDateTime {
    t.fixed_offset()
}

fn atom(title: &str, lang: Lang, rows: &[EventRow], path: &str) -> String {
    let entries: Vec<Entry> = rows
        .iter()
        .map(|r| {
            let mut categories = vec![Category {
                term: r.kind.clone(),
                ..Default::default()
            }];
            for term in [&r.subject, &r.scope].into_iter().filter(|t| !t.is_empty()) {
                categories.push(Category {
                    term: term.clone(),
                    ..Default::default()
                });
            }
            Entry {
                id: format!("{TAG}event/{}", r.id),
                title: Text::plain(r.title.clone()),
                updated: time(r.detected_at),
                published: Some(time(r.detected_at)),
                links: vec![Link {
                    href: r.permalink.clone(),
                    rel: "alternate".into(),
                    ..Default::default()
                }],
                categories,
                summary: Some(Text::plain(r.title.clone())),
                content: Some(Content {
                    value: Some(json!({"date": r.date, "figures": r.figures, "sources": r.sources}).to_string()),
                    content_type: Some("text".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let updated = rows
        .iter()
        .map(|r| r.detected_at)
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH);
    let feed = Feed {
        id: format!("{TAG}feed{path}"),
        title: Text::plain(title),
        updated: time(updated),
        authors: vec![Person {
            name: "Frontline".into(),
            ..Default::default()
        }],
        links: vec![
            Link {
                href: path.to_string(),
                rel: "self".into(),
                ..Default::default()
            },
            Link {
                href: "/".into(),
                rel: "alternate".into(),
                ..Default::default()
            },
        ],
        lang: Some(lang.code().into()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

fn json_feed(title: &str, lang: Lang, rows: &[EventRow], path: &str) -> serde_json::Value {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": format!("{TAG}event/{}", r.id),
                "url": r.permalink,
                "title": r.title,
                "content_text": r.title,
                "date_published": r.detected_at.to_rfc3339(),
                "tags": [r.kind, r.subject, r.scope],
                "_frontline": {"kind": r.kind, "date": r.date, "figures": r.figures, "sources": r.sources},
            })
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": "/",
        "feed_url": path,
        "language": lang.code(),
        "authors": [{"name": "Frontline"}],
        "items": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_name_sets_its_kind_and_unknown_ones_are_refused() {
        let mut r = EventsRequest::default();
        assert_eq!(feed_for("records.atom", &mut r).unwrap(), ("records", Form::Atom));
        assert_eq!(r.kind.as_deref(), Some("record"));
        let mut r = EventsRequest {
            kind: Some("handover".into()),
            ..Default::default()
        };
        let e = feed_for("records.json", &mut r).unwrap_err().to_string();
        assert_eq!(e, "kind: the feed `records` holds `record` events only");
        let mut r = EventsRequest::default();
        assert_eq!(feed_for("events.json", &mut r).unwrap(), ("events", Form::Json));
        assert_eq!(r.kind, None);
        for bad in ["coups.atom", "records.rss", "records"] {
            assert!(feed_for(bad, &mut EventsRequest::default()).is_err(), "{bad}");
        }
    }

    #[test]
    fn markup_in_a_title_is_text_in_the_atom_document() {
        let row = EventRow {
            id: "record/x/<b>".into(),
            kind: "record".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 11, 12).unwrap(),
            detected_at: chrono::DateTime::UNIX_EPOCH,
            title: "<script>alert(1)</script> <img src=x onerror=alert(2)> & more".into(),
            subject: "personnel".into(),
            scope: "russia".into(),
            figures: Default::default(),
            permalink: "/#date=2024-11-12".into(),
            sources: vec![],
        };
        let xml = String::from_utf8(
            render(
                "records",
                Form::Atom,
                &[row],
                &EventsRequest::default(),
                "/api/v1/feeds/records.atom",
            )
            .unwrap(),
        )
        .unwrap();
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; more";
        assert!(xml.contains(escaped), "{xml}");
        assert!(!xml.contains("<script>") && !xml.contains("<img"), "{xml}");
    }
}
