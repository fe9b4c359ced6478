//! `claims extract`: candidate claims found in an article's plain text, for
//! an analyst to confirm. Rule-based, English only; it proposes, it never
//! stores (docs/claims.md gives the rules and their measured precision and
//! recall).
//!
//! A candidate is a number with a unit Frontline measures (km², square
//! miles, km, %, settlements, troops, tanks, drones…) or a vague count
//! ("dozens of villages"), its qualifier (about, more than, up to), the
//! speaker it is attributed to ([`speakers`]), the day or period it is
//! about ([`days`]), and a guessed metric with its parameters. Numbers
//! that are not such claims (years, days of the month, evacuees, a city's
//! population, a salient's depth) are left out.

mod days;
mod quantities;
mod speakers;

use chrono::NaiveDate;
use quantities::{NUMBER, UNIT};
use regex::Regex;
use serde::Serialize;
use speakers::People;
use std::sync::LazyLock;

/// One candidate claim, with the keys of a claims file (docs/claims.md):
/// `--format csv` gives a file to edit and `claims import`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Candidate {
    /// `x-` and 10 hex digits of the SHA-256 of its day, sentence, metric
    /// and number: the same in every run.
    pub id: String,
    /// Who it is attributed to (empty when the text does not say).
    pub speaker: String,
    /// The day the text was published (given).
    pub said_on: NaiveDate,
    /// Where the text was published (given; a claim needs one to be stored).
    pub source_url: String,
    /// The sentence it is in.
    pub quote: String,
    /// Always `en`: the rules read English.
    pub language: String,
    /// The guessed metric (`area`, `area-change`, `settlements`,
    /// `distance`, `daily`, `cumulative`, `record`, `evidence`).
    pub metric: String,
    /// Control status, or loss status for evidence (empty when no guess).
    pub status: String,
    /// Outline code (`RU-KRS`, `UA-09`, `RU`), when a region is named.
    pub within: String,
    /// A place (distance).
    pub place: String,
    /// Evidence source.
    pub source: String,
    /// Whose losses (evidence).
    pub side: String,
    /// `published` for evidence counts ("has documented … since the start").
    pub by: String,
    /// Loss category.
    pub category: String,
    /// The day the claim is about.
    pub date: Option<NaiveDate>,
    /// First day of a period.
    pub from: Option<NaiveDate>,
    /// Last day of a period.
    pub to: Option<NaiveDate>,
    /// `about`, `more than`, `up to` or empty.
    pub qualifier: String,
    /// The number (none for a range).
    pub value: Option<f64>,
    /// A range's low end.
    pub low: Option<f64>,
    /// A range's high end.
    pub high: Option<f64>,
    /// `km2`, `km`, `percent`, `count`, `days`.
    pub unit: String,
}

fn re(s: &str) -> Regex {
    match Regex::new(s) {
        Ok(r) => r,
        Err(e) => panic!("a fixed pattern: {e}"),
    }
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December";

static DATELINE: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Z][A-Z /.]+,[^-–—]{0,30}\s[-–—]\s"));
/// A number run into its unit ("500sq km", "234.79km2").
static RUN_TOGETHER: LazyLock<Regex> = LazyLock::new(|| re(r"(\d)(sq\b|sq\.|km\b|km²|km2\b|square\b)"));
static LOSS_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(killed|wounded|lost|losses|casualties|eliminated|destroyed|documented|verified)\b"));
static DAILY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(over|in|during) the (past|last) (day|24 hours)|over the day|in a single day|in one day|per day|a day\b|record",
    )
});
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(total|in all|overall|since the (start|beginning)|to date)\b"));
static HIGHEST: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(record|highest|largest|most|high)\b"));
static EVIDENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(Oryx|WarSpotting|visually confirmed|documented|verified)\b"));
/// "figures that cannot be independently verified": no evidence count.
static UNVERIFIED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:cannot|can't|could not|not) (?:be )?(?:independently )?(?:verified|confirmed)"));
static LOSS_STATUS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(destroyed|damaged|abandoned|captured)\b"));
/// "the second record in a row", "the third straight day of record
/// losses", "a record for the second consecutive day".
static STREAK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<n>second|third|fourth|fifth|two|three|four|five)\s+(?:record|consecutive record|days?)[^.]*?\b(?:in a row|running|straight)\b|\brecord\b[^.]*?\bfor the (?P<m>second|third|fourth|fifth) (?:day|time) (?:in a row|running)|\b(?P<k>second|third|fourth|fifth|two|three|four|five)\s+(?:straight|consecutive|successive)\s+days?\b",
    )
});
static RECORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\brecord\b"));
/// The largest extent, not the day's: "at its peak", "even at its largest".
static PEAK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bat (?:its|their) (?:peak|largest|height|greatest extent|maximum)\b|\bat the height of\b")
});
static LARGEST: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(largest|biggest)\b"));
static NOT_A_CLAIM: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)(?:\b(?:{MONTHS})\s*$)")));
static AFTER_IS_MONTH: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\s*(?:{MONTHS})\b")));
static PLACE_FROM: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[^.]{0,40}?\b(?:from|of|to)\s+(?P<p>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"));
/// A salient's size, not a distance to a place: "40 km wide", "12 km
/// deep", "along a 40 km stretch".
static EXTENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:kilomet(?:re|er)s?|km|miles?)\s*(?:-\s*)?(?:wide|deep|long|in depth|in width|stretch|front)\b")
});
/// A distance "from the front (line)": to the place the sentence is about.
static FROM_FRONT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*\w+\s+(?:from|of) the front\b"));
static CAPITAL: LazyLock<Regex> = LazyLock::new(|| re(r"\b[A-Z][a-z][\w'’-]+\b"));
static CHANGE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(gained|lost|advanced|took|taken|captured|seized|grabbed|occupied)\b"));
/// A count of settlements put at a number: "the number of settlements at
/// 93", "settlements stood at 93".
static SETTLEMENTS_AT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)settlements (?:at|to|was|is|stood at|reached)\s*$"));
/// The number the last figure was put at: "put the number at a few dozen".
static COUNT_AT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:number|figure|count|tally) (?:at|was|is|stood at)\s*$"));
/// A span of time after a number.
static TIME_SPAN: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:-\s*)?(?:hours?|days?|weeks?|months?|years?)\b"));
/// A figure compared with another of the same kind: "up from 363".
static COMPARED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:up|down) from\s*$|\bcompared with\s*$"));
/// A figure that breaks down the one before: "Of those, 624 were destroyed".
static OF_THOSE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:of (?:those|them|these|which),?\s*)$"));
static OCCUPIED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(Russia|Russian forces|Russian troops|Russian units|the enemy|Moscow)\b[^.]*\b(holds?|held|occupie[sd]|occupy|captured|seized|took|taken|gained|advanced|controls?|controlled)\b",
    )
});
static LIBERATED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(Ukrain\w*|we|our (?:forces|troops)|his (?:forces|troops)|Kyiv\w*)\b[^.]*\b(control|controls|controlled|took|taken|liberated|captured|held|holds?|foothold|incursion)\b",
    )
});

/// Regions named in texts, and the outline codes Frontline imports
/// (admin1-naturalearth's ISO 3166-2).
const REGIONS: &[(&str, &str)] = &[
    ("Kursk", "RU-KRS"),
    ("Belgorod", "RU-BEL"),
    ("Bryansk", "RU-BRY"),
    ("Luhansk", "UA-09"),
    ("Donetsk", "UA-14"),
    ("Zaporizhzhia", "UA-23"),
    ("Kherson", "UA-65"),
    ("Kharkiv", "UA-63"),
    ("Crimea", "UA-43"),
    ("Sumy", "UA-59"),
    ("Dnipropetrovsk", "UA-12"),
    ("Mykolaiv", "UA-48"),
    ("Chernihiv", "UA-74"),
];

/// The day after the war began: evidence counts run from it.
const WAR_START: NaiveDate = match NaiveDate::from_ymd_opt(2022, 2, 24) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// What the article said so far that a later figure leans on.
#[derive(Default)]
struct Context {
    /// The last loss category: "the previous record, 1,770" is of it.
    category: String,
    /// The last loss basis (daily or cumulative).
    metric: String,
    /// The last speaker, for "He said".
    speaker: String,
    /// Oryx or WarSpotting named: loss figures are evidence counts.
    evidence: bool,
    /// The region of the sentence before.
    region: &'static str,
    /// The last territory candidate: "the number at a few dozen" is a
    /// count of the same.
    territory: Option<Candidate>,
    /// The last candidate: "Of those, 624 …" breaks it down.
    last: Option<Candidate>,
}

/// Candidate claims in `text`, published on `said_on`.
pub fn extract(text: &str, said_on: NaiveDate) -> Vec<Candidate> {
    let text = text
        .replace(['“', '”', '„'], "\"")
        .replace(['‘', '’'], "'")
        .replace('\u{a0}', " ");
    let text = RUN_TOGETHER.replace_all(&text, "$1 $2").into_owned();
    let people = People::of(&text);
    let mut out: Vec<Candidate> = Vec::new();
    let mut cx = Context {
        metric: "daily".into(),
        ..Default::default()
    };
    // Sentences, with who said each and the day it is about, over the whole
    // article (a speaker may be named in the paragraph after).
    let (mut sentences, mut who, mut days) = (Vec::new(), Vec::new(), Vec::new());
    // Where each paragraph starts: a region carries over from the sentence
    // before within a paragraph, or into a paragraph that opens a quote or
    // speaks of "the region".
    let mut starts = std::collections::HashSet::new();
    for paragraph in text.split("\n\n") {
        starts.insert(sentences.len());
        let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let paragraph = DATELINE.replace(&paragraph, "").to_string();
        let these = speakers::sentences(&paragraph);
        let (w, d) = speakers::speakers(&these, &mut cx.speaker, said_on, &people);
        sentences.extend(these);
        who.extend(w);
        days.extend(d);
    }
    speakers::name_roles(&mut who);
    days::carry_same_day(&sentences, &mut days);
    for (i, sentence) in sentences.iter().enumerate() {
        if starts.contains(&i) && !sentence.starts_with('"') && !sentence.contains("the region") {
            cx.region = "";
        }
        let next = sentences.get(i + 1).map_or("", String::as_str);
        sentence_claims(sentence, next, &who[i], days[i], said_on, &mut cx, &mut out);
        let here = within(sentence);
        cx.region = if here.is_empty() { cx.region } else { here };
    }
    finish(out)
}

/// The candidates of one sentence, about `day` unless the words after a
/// number name another.
fn sentence_claims(
    sentence: &str,
    next: &str,
    speaker: &str,
    day: NaiveDate,
    said_on: NaiveDate,
    cx: &mut Context,
    out: &mut Vec<Candidate>,
) {
    if (EVIDENCE.is_match(sentence) && !UNVERIFIED.is_match(sentence)) || speaker.contains("Oryx") {
        cx.evidence = true;
    }
    let mut sentence_category = String::new();
    // Where the last km² figure's unit ended: a square-mile figure right
    // after it is its conversion ("600 square kilometres (232 square miles)").
    let mut km2_end: Option<usize> = None;
    for m in NUMBER.captures_iter(sentence) {
        let Some(whole) = m.get(0) else { continue };
        let (before, after) = (&sentence[..whole.start()], &sentence[whole.end()..]);
        let Some((low, high)) = quantities::value(&m) else {
            continue;
        };
        // Days of the month and years are dates, not claims.
        if NOT_A_CLAIM.is_match(before)
            || AFTER_IS_MONTH.is_match(after)
            || (low == high && (1990.0..=2100.0).contains(&low) && !whole.as_str().contains(','))
        {
            continue;
        }
        // "the past 24 hours", "three weeks after": a span, not a figure.
        if TIME_SPAN.is_match(after) {
            continue;
        }
        let unit = UNIT.captures(after);
        let group = |g: &str| unit.as_ref().and_then(|u| u.name(g)).is_some();
        let unit_end = whole.end() + unit.as_ref().and_then(|u| u.get(0)).map_or(0, |u| u.end());
        let vague = quantities::is_vague(&m);
        let day = days::day_after(after, said_on).unwrap_or(day);
        let mut c = blank(said_on, sentence, speaker);
        c.qualifier = quantities::qualifier(before).into();
        c.date = Some(day);
        let (mut low, mut high) = (low, high);
        if vague && !group("settl") && !COUNT_AT.is_match(before) && !SETTLEMENTS_AT.is_match(before) {
            continue;
        }
        if quantities::in_words(&m) && unit.is_none() {
            continue;
        }
        if m.name("pct").is_some() || group("pct") {
            c.unit = "percent".into();
            c.metric = "area".into();
        } else if group("km2") || group("mi2") {
            if group("mi2") {
                let conversion = km2_end.is_some_and(|end| {
                    let gap = sentence[end..whole.start()]
                        .trim()
                        .trim_start_matches([',', '('])
                        .trim();
                    [
                        "",
                        "or",
                        "or about",
                        "or some",
                        "or roughly",
                        "about",
                        "some",
                        "roughly",
                    ]
                    .contains(&gap)
                });
                if conversion {
                    continue;
                }
                (low, high) = (quantities::from_square_miles(low), quantities::from_square_miles(high));
            } else {
                km2_end = Some(unit_end);
            }
            c.unit = "km2".into();
            area_metric(&mut c, sentence, before, after, day);
        } else if group("km") || group("mi") {
            // A salient's depth or width is not a distance to a place.
            if EXTENT.is_match(after) {
                continue;
            }
            if group("mi") {
                (low, high) = (quantities::from_miles(low), quantities::from_miles(high));
            }
            c.unit = "km".into();
            c.metric = "distance".into();
            c.status = "occupied".into();
            c.place = place(sentence, whole.start(), after, speaker);
            if c.place.is_empty() {
                continue;
            }
        } else if group("settl") || SETTLEMENTS_AT.is_match(before) {
            c.unit = "count".into();
            c.metric = "settlements".into();
        } else if group("people") {
            // A town's size is a claim only as the largest place held.
            if !(LARGEST.is_match(sentence) || LARGEST.is_match(next)) {
                continue;
            }
            c.unit = "people".into();
            c.metric = "largest-settlement".into();
        } else if let Some(t) = cx
            .territory
            .as_ref()
            .filter(|_| COUNT_AT.is_match(before) || COMPARED.is_match(before))
        {
            // "the number at a few dozen", "up from 363 in August": the
            // same measure as the last territory figure.
            c.unit = t.unit.clone();
            c.metric = t.metric.clone();
            c.status = t.status.clone();
            c.within = t.within.clone();
            if c.metric == "area-change" {
                let (from, to) = days::period(after, day);
                (c.from, c.to, c.date) = (Some(from), Some(to), None);
            }
        } else if let Some(prev) = cx.last.as_ref().filter(|_| OF_THOSE.is_match(before)) {
            // "Of those, 624 were destroyed": the same count, narrower.
            c = Candidate {
                quote: sentence.trim().to_string(),
                status: LOSS_STATUS
                    .find(after)
                    .map(|s| s.as_str().to_lowercase())
                    .unwrap_or_else(|| prev.status.clone()),
                qualifier: c.qualifier,
                ..prev.clone()
            };
        } else if !loss_figure(&mut c, &m, sentence, before, after, &unit, &mut sentence_category, cx) {
            continue;
        }
        if ["area", "area-change", "peak-area", "settlements", "largest-settlement"].contains(&c.metric.as_str()) {
            if c.status.is_empty() {
                c.status = control_status(sentence).into();
            }
            // "It captured another …": the subject, and its side, of the
            // figure before.
            if c.status.is_empty() && ["It ", "They "].iter().any(|p| sentence.starts_with(p)) {
                c.status = cx.territory.as_ref().map(|t| t.status.clone()).unwrap_or_default();
            }
            if c.within.is_empty() {
                // The region of the sentence, else of the one before; a
                // place's size is often followed by where it lies.
                let here = within(sentence);
                let after = if c.metric == "largest-settlement" {
                    within(next)
                } else {
                    ""
                };
                c.within = [here, cx.region, after]
                    .into_iter()
                    .find(|r| !r.is_empty())
                    .unwrap_or("")
                    .into();
            }
        }
        (c.value, c.low, c.high) = if low == high {
            (Some(low), None, None)
        } else {
            (None, Some(low), Some(high))
        };
        if ["area", "area-change", "peak-area", "settlements"].contains(&c.metric.as_str()) {
            cx.territory = Some(c.clone());
        }
        cx.last = Some(c.clone());
        out.push(c);
    }
    // "the second record in a row": a streak of record days.
    if let Some(s) = STREAK.captures(sentence).filter(|_| RECORD.is_match(sentence)) {
        let n = s
            .name("n")
            .or(s.name("m"))
            .or(s.name("k"))
            .map_or("", |m| m.as_str())
            .to_lowercase();
        let days = match n.as_str() {
            "second" | "two" => 2.0,
            "third" | "three" => 3.0,
            "fourth" | "four" => 4.0,
            _ => 5.0,
        };
        let mut c = blank(said_on, sentence, speaker);
        c.metric = "record".into();
        c.category = if sentence_category.is_empty() {
            cx.category.clone()
        } else {
            sentence_category
        };
        c.value = Some(days);
        c.unit = "days".into();
        c.date = Some(day);
        out.push(c);
    }
}

/// An area figure: at the peak ("at its largest"), a change over a period
/// ("took … in November", "another … over the past week"), or the area
/// on the day.
fn area_metric(c: &mut Candidate, sentence: &str, before: &str, after: &str, day: NaiveDate) {
    if PEAK.is_match(sentence) {
        c.metric = "peak-area".into();
        return;
    }
    // The period in the words after the number up to the next one, else in
    // the sentence.
    let end = after.find(|ch: char| ch.is_ascii_digit()).unwrap_or(after.len());
    let words = if days::names_a_period(&after[..end]) {
        &after[..end]
    } else {
        sentence
    };
    let another = before.trim_end().to_lowercase().ends_with("another");
    if another || (CHANGE.is_match(sentence) && days::names_a_period(words)) {
        c.metric = "area-change".into();
        let (from, to) = days::period(words, day);
        (c.from, c.to, c.date) = (Some(from), Some(to), None);
    } else {
        c.metric = "area".into();
    }
}

/// A loss figure: its category from its unit, or from the list or record
/// it continues; daily, cumulative or an evidence count. False when the
/// number is no loss figure.
#[allow(clippy::too_many_arguments)]
fn loss_figure(
    c: &mut Candidate,
    m: &regex::Captures<'_>,
    sentence: &str,
    before: &str,
    after: &str,
    unit: &Option<regex::Captures<'_>>,
    sentence_category: &mut String,
    cx: &mut Context,
) -> bool {
    if quantities::is_vague(m) {
        return false;
    }
    let category = match unit.as_ref().and_then(|u| u.name("cat")) {
        Some(cat) => quantities::category(cat.as_str()),
        // A list goes on: "544 tanks captured, 79 damaged".
        None if !sentence_category.is_empty() && LOSS_STATUS.is_match(after) => sentence_category.clone(),
        // "The previous record, 1,770", "the 1,171 reported on Tuesday,
        // itself a record": the article's category.
        None if !cx.category.is_empty()
            && (HIGHEST.is_match(before)
                || TOTAL.is_match(before)
                || RECORD.is_match(sentence)
                || HIGHEST.is_match(after)) =>
        {
            cx.category.clone()
        }
        None => return false,
    };
    let loss = LOSS_WORDS.is_match(sentence)
        || HIGHEST.is_match(sentence)
        || TOTAL.is_match(sentence)
        || (cx.evidence && LOSS_STATUS.is_match(sentence));
    if !loss {
        return false;
    }
    c.unit = "count".into();
    c.category = category.clone();
    *sentence_category = category.clone();
    cx.category = category;
    if cx.evidence && ((EVIDENCE.is_match(sentence) && !UNVERIFIED.is_match(sentence)) || c.speaker.contains("Oryx")) {
        c.metric = "evidence".into();
        c.category = quantities::evidence_category(&c.category);
        c.source = if sentence.contains("WarSpotting") {
            "warspotting"
        } else {
            "oryx"
        }
        .into();
        c.side = if sentence.contains("Ukrainian tanks") {
            "ukraine"
        } else {
            "russia"
        }
        .into();
        c.status = LOSS_STATUS
            .find(after)
            .map(|s| s.as_str().to_lowercase())
            .unwrap_or_default();
        c.by = "published".into();
        c.from = Some(WAR_START);
        c.to = c.date;
    } else {
        c.metric = if HIGHEST.is_match(before) {
            "daily".into()
        } else if TOTAL.is_match(sentence) && !DAILY.is_match(sentence) {
            "cumulative".into()
        } else if DAILY.is_match(sentence) {
            "daily".into()
        } else {
            cx.metric.clone()
        };
        cx.metric = c.metric.clone();
    }
    true
}

/// The same claim said twice (a paraphrase, then the quote) kept once, and
/// each candidate's id.
fn finish(out: Vec<Candidate>) -> Vec<Candidate> {
    // The same claim said twice (a paraphrase, then the quote) is one: the
    // direct quote's, which has the words and names who said them.
    let key = |c: &Candidate| {
        (
            c.metric.clone(),
            c.value.map(f64::to_bits),
            c.low.map(f64::to_bits),
            c.high.map(f64::to_bits),
            c.date.or(c.to),
        )
    };
    let mut kept: Vec<Candidate> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for c in out {
        let at = *index.entry(key(&c)).or_insert(kept.len());
        match kept.get_mut(at) {
            Some(k) if !k.quote.contains('"') && c.quote.contains('"') => {
                // The paraphrase may name the region more closely.
                let region = if k.within.contains('-') && !c.within.contains('-') {
                    k.within.clone()
                } else {
                    c.within.clone()
                };
                *k = Candidate { within: region, ..c };
            }
            Some(_) => {}
            None => kept.push(c),
        }
    }
    let mut out = kept;
    // An id from what the claim is, so that two articles' candidates never
    // share one (the ledger would take the second for a new version of
    // the first) and the same article extracted again gives the same ids.
    for c in &mut out {
        use sha2::{Digest, Sha256};
        let key = format!(
            "{}|{}|{}|{:?}|{:?}|{:?}",
            c.said_on, c.quote, c.metric, c.value, c.low, c.high
        );
        let h = Sha256::digest(key.as_bytes());
        c.id = format!("x-{}", h.iter().take(5).map(|b| format!("{b:02x}")).collect::<String>());
    }
    out
}

fn blank(said_on: NaiveDate, sentence: &str, speaker: &str) -> Candidate {
    Candidate {
        id: String::new(),
        speaker: speaker.to_string(),
        said_on,
        source_url: String::new(),
        quote: sentence.trim().to_string(),
        language: "en".into(),
        metric: String::new(),
        status: String::new(),
        within: String::new(),
        place: String::new(),
        source: String::new(),
        side: String::new(),
        by: String::new(),
        category: String::new(),
        date: None,
        from: None,
        to: None,
        qualifier: String::new(),
        value: None,
        low: None,
        high: None,
        unit: String::new(),
    }
}

/// Whose ground a figure is: the side whose forces are the subject that
/// comes first ("Ukraine now controls … in Russia's Kursk region" is
/// Ukraine's).
fn control_status(sentence: &str) -> &'static str {
    let at = |r: &Regex| r.find(sentence).map(|m| m.start());
    match (at(&OCCUPIED), at(&LIBERATED)) {
        (Some(o), Some(l)) if l < o => "liberated",
        (Some(_), _) => "occupied",
        (None, Some(_)) => "liberated",
        (None, None) => "",
    }
}

fn within(sentence: &str) -> &'static str {
    for (name, code) in REGIONS {
        if sentence.contains(name) {
            return code;
        }
    }
    if ["Russian territory", "in Russia", "inside Russia", "Russian Federation"]
        .iter()
        .any(|w| sentence.contains(w))
    {
        return "RU";
    }
    ""
}

/// The place a distance is to: "… km from Pokrovsk", else the nearest
/// capitalised name before the number that is not the speaker's, a month
/// or a nationality.
fn place(sentence: &str, at: usize, after: &str, speaker: &str) -> String {
    if let Some(c) = PLACE_FROM.captures(after) {
        let p = c["p"].to_string();
        if !MONTHS.split('|').any(|m| m == p) {
            return p;
        }
    }
    // "Pokrovsk, a mining town in …, lies 10 miles from the front": the
    // sentence's subject.
    let from_front = FROM_FRONT.is_match(after);
    CAPITAL
        .find_iter(&sentence[..at])
        .filter(|m| m.start() > 0 || from_front)
        .map(|m| m.as_str())
        .filter(|w| !speaker.contains(w) && !MONTHS.split('|').any(|m| m == *w))
        .filter(|w| {
            ![
                "Russian",
                "Ukrainian",
                "British",
                "Russia",
                "Ukraine",
                "In",
                "On",
                "The",
            ]
            .contains(w)
        })
        .reduce(|first, last| if from_front { first } else { last })
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_quote_spanning_sentences_takes_its_speaker() {
        let text = "\"We hold 40 settlements. We also control 500 square kilometres of Russian territory,\" the commander said on 10 August.";
        let c = extract(text, d("2024-08-12"));
        let got: Vec<(&str, Option<f64>, &str, Option<NaiveDate>)> = c
            .iter()
            .map(|c| (c.metric.as_str(), c.value, c.speaker.as_str(), c.date))
            .collect();
        assert_eq!(
            got,
            [
                ("settlements", Some(40.0), "the commander", Some(d("2024-08-10"))),
                ("area", Some(500.0), "the commander", Some(d("2024-08-10")))
            ]
        );
        assert_eq!((c[1].status.as_str(), c[1].within.as_str()), ("liberated", "RU"));
    }

    #[test]
    fn qualifiers_ranges_and_dates() {
        let c = extract(
            "Russian forces gained between 40 and 60 square kilometres over the past week, analysts said. \
             The town is now less than 10 km from Pokrovsk, according to DeepState. \
             In February 2022 some 2,000 people lived there.",
            d("2024-08-17"),
        );
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(
            (
                c[0].metric.as_str(),
                c[0].low,
                c[0].high,
                c[0].from,
                c[0].status.as_str()
            ),
            ("area-change", Some(40.0), Some(60.0), Some(d("2024-08-10")), "occupied")
        );
        assert_eq!(
            (
                c[1].metric.as_str(),
                c[1].qualifier.as_str(),
                c[1].place.as_str(),
                c[1].speaker.as_str()
            ),
            ("distance", "up to", "Pokrovsk", "DeepState")
        );
    }
}
