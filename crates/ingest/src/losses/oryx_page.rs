//! Oryx's own pages (the blog posts listing each side's equipment losses),
//! read as a stream of HTML tokens: a summary heading (`Russia - 10110, of
//! which: destroyed: 6579, …`), then per category a heading (`Tanks (1907,
//! of which destroyed: 1161, …)`) and list items, one per model (`53
//! T-62M:` then links), each link one proof of one or more numbered items
//! (`(6 and 7, destroyed)`).
//!
//! Item keys follow the scrape's rule (a hash of model, status and proof
//! URL, numbered when one proof shows several), so a key stays when Oryx
//! renumbers a model's list. The page carries no dates: the event date comes
//! from the proof's file name, as for the scrape; the published date is
//! the caller's (the day the item was first seen).

use super::{LossParse, Reject, UrlDate, url_date};
use crate::{IngestError, Record};
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, LossStatus};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::HashMap;
use std::path::Path;

/// Category headings of the two pages as recorded (normalized by
/// [`heading_key`]). A heading outside them, and outside the page imported
/// before, means the page changed: the sync holds it for a person.
pub const ORYX_HEADINGS: [&str; 25] = [
    "Tanks",
    "Armoured Fighting Vehicles",
    "Infantry Fighting Vehicles",
    "Armoured Personnel Carriers",
    "Mine-Resistant Ambush Protected (MRAP) Vehicles",
    "Infantry Mobility Vehicles",
    "Command Posts And Communications Stations",
    "Engineering Vehicles And Equipment",
    "Self-Propelled Anti-Tank Missile Systems",
    "Artillery Support Vehicles And Equipment",
    "Towed Artillery",
    "Self-Propelled Artillery",
    "Multiple Rocket Launchers",
    "Anti-Aircraft Guns",
    "Self-Propelled Anti-Aircraft Guns",
    "Surface-To-Air Missile Systems",
    "Radars",
    "Radars And Communications Equipment",
    "Jammers And Deception Systems",
    "Aircraft",
    "Helicopters",
    "Unmanned Combat Aerial Vehicles",
    "Reconnaissance Unmanned Aerial Vehicles",
    "Naval Ships",
    "Trucks, Vehicles and Jeeps",
];

/// A heading compared loosely: case, punctuation and "and" aside (the
/// pages write both "Trucks, Vehicles and Jeeps" and "…, and Jeeps").
pub fn heading_key(h: &str) -> String {
    h.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and")
        .collect::<Vec<_>>()
        .join(" ")
}

/// One category as the page states it and as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OryxCategory {
    /// The heading's name.
    pub heading: String,
    /// The count the heading states.
    pub stated: u64,
    /// Items read under it.
    pub read: u64,
}

/// One page read.
#[derive(Debug, Clone, Default)]
pub struct OryxPage {
    /// Whose losses (`russia`, `ukraine`), from the summary heading.
    pub side: String,
    /// The total the summary heading states.
    pub stated_total: u64,
    /// Every category heading, in page order.
    pub categories: Vec<OryxCategory>,
    /// Items and the proofs that could not be read.
    pub parse: LossParse,
}

/// Reads one page. `published`: the published date of every item (the
/// caller replaces it for items seen before); `None` when unknown.
pub fn parse_oryx_page(
    file: &Path,
    bytes: &[u8],
    published: Option<NaiveDate>,
    recorded: DateTime<Utc>,
) -> Result<OryxPage, IngestError> {
    let text = String::from_utf8_lossy(bytes);
    let mut emitter = DefaultEmitter::default();
    // Script and style bodies are text, not tags (the pages' scripts
    // hold `<h3>` and `<a>` in strings).
    emitter.naively_switch_states(true);
    let mut page = OryxPage::default();
    let mut w = Walk::default();
    let latest = published.unwrap_or_else(|| recorded.date_naive());
    for token in Tokenizer::new_with_emitter(text.as_ref(), emitter).flatten() {
        match token {
            Token::StartTag(t) => match t.name.as_slice() {
                b"h3" => w.heading = Some(String::new()),
                b"li" => {
                    w.model_text = Some(String::new());
                    w.model = None;
                }
                b"a" => {
                    w.link = Some((attr(&t.attributes, b"href").trim().to_string(), String::new()));
                    if let Some(before) = w.model_text.take() {
                        w.model = model_name(&before);
                    }
                }
                _ => {}
            },
            Token::EndTag(t) => match t.name.as_slice() {
                b"h3" => {
                    if let Some(h) = w.heading.take() {
                        heading(&mut page, &mut w, &h);
                    }
                }
                b"li" => {
                    w.model_text = None;
                    w.model = None;
                }
                b"a" => {
                    if let Some((href, label)) = w.link.take() {
                        proof(file, &mut page, &mut w, &href, &label, published, latest, recorded);
                    }
                }
                _ => {}
            },
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s.value);
                if let Some((_, label)) = &mut w.link {
                    label.push_str(&s);
                } else if let Some(h) = &mut w.heading {
                    h.push_str(&s);
                } else if let Some(m) = &mut w.model_text {
                    m.push_str(&s);
                }
            }
            _ => {}
        }
    }
    if page.side.is_empty() {
        return Err(IngestError::field(
            file,
            Record::Index(0),
            "summary",
            "no heading like `Russia - 10110, of which: …`: not an Oryx losses page, or its layout changed",
        ));
    }
    if page.categories.is_empty() {
        return Err(IngestError::field(
            file,
            Record::Index(0),
            "category",
            "no category heading like `Tanks (1907, of which …)`: the page's layout changed",
        ));
    }
    Ok(page)
}

/// Where the walk is.
#[derive(Default)]
struct Walk {
    heading: Option<String>,
    /// The current list item's text before its first link.
    model_text: Option<String>,
    model: Option<String>,
    link: Option<(String, String)>,
    /// Index of the current category in `page.categories`.
    category: Option<usize>,
    /// Items per (model, status, proof), for numbered keys.
    seen: HashMap<String, u32>,
    links: usize,
}

fn attr(
    attrs: &std::collections::BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>,
    name: &[u8],
) -> String {
    attrs
        .iter()
        .find(|(k, _)| k.as_slice() == name)
        .map(|(_, v)| String::from_utf8_lossy(&v.value).into_owned())
        .unwrap_or_default()
}

/// `Russia - 10110, of which: …` sets the side; `Tanks (1907, of which …)`
/// opens a category; any other heading closes it.
fn heading(page: &mut OryxPage, w: &mut Walk, raw: &str) {
    let h = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    w.category = None;
    if let Some((who, rest)) = h.split_once(" - ")
        && let Some((n, _)) = rest.split_once(", of which")
        && let Ok(n) = n.trim().parse::<u64>()
        && page.side.is_empty()
    {
        page.side = who.trim().to_lowercase();
        page.stated_total = n;
        return;
    }
    let Some(open) = h.rfind(" (").or_else(|| h.rfind('(')) else {
        return;
    };
    let (name, rest) = h.split_at(open);
    let rest = rest.trim_start().trim_start_matches('(');
    if let Some((n, _)) = rest.split_once(", of which")
        && let Ok(n) = n.trim().parse::<u64>()
    {
        page.categories.push(OryxCategory {
            heading: name.trim().to_string(),
            stated: n,
            read: 0,
        });
        w.category = Some(page.categories.len() - 1);
    }
}

/// `\u{a0}53 T-62M:\u{a0}` → `T-62M`.
fn model_name(text: &str) -> Option<String> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == ':');
    let t = match t.split_once(' ') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    };
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == ':');
    (!t.is_empty()).then(|| t.to_string())
}

/// The items one proof link stands for: `(6 and 7, destroyed)`.
#[allow(clippy::too_many_arguments)]
fn proof(
    file: &Path,
    page: &mut OryxPage,
    w: &mut Walk,
    href: &str,
    label: &str,
    published: Option<NaiveDate>,
    latest: NaiveDate,
    recorded: DateTime<Utc>,
) {
    let Some(cat) = w.category else { return };
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    // Only `(…)` links are proofs; others are prose links.
    let Some(inner) = label.strip_prefix('(').and_then(|l| l.strip_suffix(')')) else {
        return;
    };
    w.links += 1;
    let reject = |field: &str, reason: String| Reject {
        file: file.to_path_buf(),
        record: Record::Index(w.links),
        field: field.into(),
        reason,
        raw: format!("{href} {label}"),
    };
    let Some(model) = w.model.clone() else {
        page.parse
            .rejects
            .push(reject("model", "a proof outside a model's list item".into()));
        return;
    };
    let (numbers, rest) = item_numbers(inner);
    if numbers == 0 {
        page.parse
            .rejects
            .push(reject("number", format!("`{label}` names no item number")));
        return;
    }
    let status_text = rest.rsplit(',').next().unwrap_or("").trim();
    let Some(status) = status(status_text) else {
        page.parse
            .rejects
            .push(reject("status", format!("`{status_text}` is not a loss status")));
        return;
    };
    let event = match url_date(href) {
        UrlDate::Absent => None,
        UrlDate::Date(d) if (frontline_model::limits::war_start()..=latest).contains(&d) => Some(d),
        UrlDate::Date(_) | UrlDate::Unreadable => {
            page.parse.dates_unreadable += numbers;
            None
        }
    };
    let base = super::oryx::hex16(&format!("{model}|{}|{href}", status.as_str()));
    for _ in 0..numbers {
        let n = w.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { base.clone() } else { format!("{base}-{n}") };
        page.parse.items.push(EvidenceItem {
            source: "oryx".into(),
            key,
            side: page.side.clone(),
            category: super::classify_system(&model).to_string(),
            model: model.clone(),
            status,
            count: 1,
            dates: EvidenceDates::new(event, published, recorded),
            location: None,
            proof_urls: if href.is_empty() {
                vec![]
            } else {
                vec![href.to_string()]
            },
        });
    }
    page.categories[cat].read += numbers as u64;
}

/// How many item numbers open `inner` (`6 and 7, destroyed` → 2), and the
/// rest. Numbers are separated by commas and "and".
fn item_numbers(inner: &str) -> (usize, &str) {
    let mut count = 0;
    let mut rest = inner;
    loop {
        let r = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let digits = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && r[digits..].chars().next().is_none_or(|c| c == ',' || c.is_whitespace()) {
            count += 1;
            rest = &r[digits..];
            continue;
        }
        if count > 0
            && let Some(after) = r.strip_prefix("and ")
            && after.starts_with(|c: char| c.is_ascii_digit())
        {
            rest = after;
            continue;
        }
        return (count, r);
    }
}

/// Oryx's status phrases, by the state the item ended in: `captured and
/// later destroyed` is destroyed, `damaged and captured` captured. Sunk,
/// scuttled and "damaged beyond economical repair" count as destroyed, as
/// the pages' own totals count them.
fn status(text: &str) -> Option<LossStatus> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    Some(if has(&["destroyed", "sunk", "scuttled", "beyond economical repair"]) {
        LossStatus::Destroyed
    } else if has(&["captured"]) {
        LossStatus::Captured
    } else if has(&["abandoned", "abanonded"]) {
        LossStatus::Abandoned
    } else if has(&["damaged", "damagd"]) {
        LossStatus::Damaged
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body>
      <h3><span>Russia - 6, of which: destroyed: 4, captured: 2</span></h3>
      <h3><span class="mw-headline">Tanks </span>(5, of which destroyed: 3, captured: 2)</h3>
      <ul><li><img src="flag.png" />&nbsp;3 T-62M:&nbsp;<a href="https://i.postimg.cc/a/1024-t62m-destr-11-01-23.jpg">(1, destroyed)</a>
          <a href="https://x/2.jpg">(2 and 3, captured and later destroyed)</a></li>
          <li>2 T-72B3:<a href="https://x/3.jpg">(1, 2 and 3, damaged and captured)</a> <a href="https://x/w">a prose link</a></li></ul>
      <h3>Helicopters (1, of which destroyed: 1)</h3>
      <ul><li>1 Ka-52: <a href="https://x/4.jpg">(1, exploded)</a></li></ul>
      <script>var s = '<h3>Tanks (9, of which x)</h3><ul><li>1 X:<a href="y">(1, destroyed)</a>';</script>
    </body></html>"#;

    #[test]
    fn reads_headings_models_numbers_and_statuses() {
        let p = parse_oryx_page(Path::new("ru.html"), PAGE.as_bytes(), None, Utc::now()).unwrap();
        assert_eq!((p.side.as_str(), p.stated_total), ("russia", 6));
        let cats: Vec<(&str, u64, u64)> = p
            .categories
            .iter()
            .map(|c| (c.heading.as_str(), c.stated, c.read))
            .collect();
        assert_eq!(cats, [("Tanks", 5, 6), ("Helicopters", 1, 0)]);
        let got: Vec<(&str, LossStatus, Option<String>)> = p
            .parse
            .items
            .iter()
            .map(|i| (i.model.as_str(), i.status, i.dates.event.map(|d| d.to_string())))
            .collect();
        use LossStatus::*;
        assert_eq!(
            got,
            [
                ("T-62M", Destroyed, Some("2023-01-11".into())),
                ("T-62M", Destroyed, None),
                ("T-62M", Destroyed, None),
                ("T-72B3", Captured, None),
                ("T-72B3", Captured, None),
                ("T-72B3", Captured, None),
            ]
        );
        assert!(
            p.parse
                .items
                .iter()
                .all(|i| i.side == "russia" && i.category == "tanks")
        );
        // One proof of two items: two keys, numbered, stable.
        assert_eq!(p.parse.items[2].key, format!("{}-2", p.parse.items[1].key));
        let again = parse_oryx_page(Path::new("ru.html"), PAGE.as_bytes(), None, Utc::now()).unwrap();
        assert_eq!(p.parse.items[5].key, again.parse.items[5].key);
        let rejects: Vec<String> = p.parse.rejects.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            rejects,
            ["ru.html: record 4: field `status`: `exploded` is not a loss status"]
        );
    }

    #[test]
    fn numbers_and_statuses_as_the_pages_write_them() {
        assert_eq!(item_numbers("6 and 7, destroyed"), (2, "destroyed"));
        assert_eq!(item_numbers("2, 3, 4 and 5, damaged"), (4, "damaged"));
        assert_eq!(item_numbers("76 and 77 destroyed"), (2, "destroyed"));
        assert_eq!(
            item_numbers("26, with 23mm ZU-23, destroyed"),
            (1, "with 23mm ZU-23, destroyed")
        );
        assert_eq!(item_numbers("4, damaged and abandoned").0, 1);
        assert_eq!(item_numbers("unknown, captured").0, 0);
        assert_eq!(status("captured and later destroyed"), Some(LossStatus::Destroyed));
        assert_eq!(status("damaged and captured"), Some(LossStatus::Captured));
        assert_eq!(status("damaged and abanonded"), Some(LossStatus::Abandoned));
        assert_eq!(status("damaged beyond economical repair"), Some(LossStatus::Destroyed));
        assert_eq!(status("sunk but later raised by Russia"), Some(LossStatus::Destroyed));
        assert_eq!(status("damaged on the ground"), Some(LossStatus::Damaged));
        assert_eq!(
            model_name("\u{a0}53 T-62 Obr. 1967:\u{a0}").as_deref(),
            Some("T-62 Obr. 1967")
        );
        assert_eq!(
            heading_key("Trucks, Vehicles, and Jeeps"),
            heading_key("Trucks, Vehicles and Jeeps")
        );
    }

    #[test]
    fn a_page_without_its_headings_is_refused() {
        let e = parse_oryx_page(Path::new("p.html"), b"<h3>Hello</h3>", None, Utc::now()).unwrap_err();
        assert!(e.to_string().contains("not an Oryx losses page"), "{e}");
        let e = parse_oryx_page(
            Path::new("p.html"),
            b"<h3>Russia - 5, of which: x</h3>",
            None,
            Utc::now(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no category heading"), "{e}");
    }
}
