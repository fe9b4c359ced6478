//! `claims extract`: candidate claims found in an article's plain text, for
//! an analyst to confirm. Rule-based, English only; it proposes, it never
//! stores (docs/claims.md gives the rules and their measured precision and
//! recall).
//!
//! A candidate is a number with a unit Frontline measures (km², km, %,
//! settlements, troops, tanks…), its qualifier (about, more than, up to),
//! the speaker it is attributed to (said / told / according to / a quote
//! that spans sentences), the day it is about, and a guessed metric with
//! its parameters. Numbers that are not such claims (years, days of the
//! month, evacuees, a city's population) are left out.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use serde::Serialize;
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

static DATELINE: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Z][A-Z .]+,[^-–—]{0,30}\s[-–—]\s"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:between\s+(?P<lo>\d[\d,]*(?:\.\d+)?)\s+and\s+(?P<hi>\d[\d,]*(?:\.\d+)?)|(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<w>a|one)\s+(?P<mag>thousand|hundred))\b(?P<pct>\s?%)?",
    )
});
static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)^\s*(?:
        (?P<km2>square\s+kilomet(?:re|er)s?|sq\.?\s?km|km²|km2|square\s+km)
      | (?P<km>kilomet(?:re|er)s?\b|km\b)
      | (?P<pct>percent\b|per\s+cent\b)
      | (?P<settl>settlements|villages|localities)
      | (?:(?:Russian|Ukrainian|enemy)\s+)?(?P<cat>tanks?|artillery\s+systems?|armou?red\s+(?:combat\s+)?vehicles|troops|soldiers|servicemen|personnel|casualties)
    )")
});
static LOSS_WORDS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(killed|wounded|lost|losses|casualties|eliminated|destroyed|documented|verified)\b"));
static DAILY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(over|in|during) the (past|last) (day|24 hours)|over the day|in a single day|in one day|per day|a day\b|record",
    )
});
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(total|in all|overall|since the (start|beginning)|to date)\b"));
static HIGHEST: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(record|highest|largest|most)\b"));
static EVIDENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(Oryx|WarSpotting|visually confirmed|documented|verified)\b"));
static LOSS_STATUS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(destroyed|damaged|abandoned|captured)\b"));
static STREAK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<n>second|third|fourth|fifth|two|three|four|five)\s+(?:record|consecutive record|days?)[^.]*?\b(?:in a row|running|straight)\b|\brecord\b[^.]*?\bfor the (?P<m>second|third|fourth|fifth) (?:day|time) (?:in a row|running)",
    )
});
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:has |have |had )?(?:said|says|told|reported|stated|claimed|announced|estimated|placed|put|documented|verified)\b",
    )
});
static ACCORDING: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\baccording to (?P<who>[^,.;]+)"));
static SAID_WHO: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:said|told reporters|added)\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s*(?:[,.;]|$)")
});
static ON_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\bon\s+(?:(?P<d>\d{{1,2}})\s+(?P<m>{MONTHS})|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}})|(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
    ))
});
static NOT_A_CLAIM: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)(?:\b(?:{MONTHS})\s*$)")));
static AFTER_IS_MONTH: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\s*(?:{MONTHS})\b")));
static PLACE_FROM: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[^.]{0,40}?\b(?:from|of|to)\s+(?P<p>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"));
static CAPITAL: LazyLock<Regex> = LazyLock::new(|| re(r"\b[A-Z][a-z][\w'’-]+\b"));
static CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(gained|lost|advanced|took|captured|seized)\b[^.]*\b(over|in|during) the (past|last) (week|month)|this (week|month)",
    )
});
static SETTLEMENTS_AT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)settlements (?:at|to|was|is|stood at|reached)\s*$"));
static OCCUPIED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(Russia|Russian forces|Russian troops|the enemy|Moscow)\b[^.]*\b(holds?|held|occupie[sd]|occupy|captured|seized|took|gained|advanced|controls?)\b",
    )
});
static LIBERATED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(Ukrain\w*|we|our forces|his forces)\b[^.]*\b(control|controls|took|taken|liberated|captured|held|holds)\b",
    )
});
static NOT_A_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?:On|on|In|in)\s+\d{{1,2}}\s+(?:{MONTHS})\s+|(?:and|but|Separately)\s+)"
    ))
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

/// Candidate claims in `text`, published on `said_on`.
pub fn extract(text: &str, said_on: NaiveDate) -> Vec<Candidate> {
    let text = text
        .replace(['“', '”', '„'], "\"")
        .replace(['‘', '’'], "'")
        .replace('\u{a0}', " ");
    let mut out: Vec<Candidate> = Vec::new();
    // What the article is about so far: a number with no unit of its own
    // ("the previous record, 1,770") takes the last loss category, and a
    // loss figure with no time words the last basis (daily or total).
    let mut last_category = String::new();
    let mut last_metric = String::from("daily");
    let mut last_speaker = String::new();
    let mut evidence_context = false;
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let paragraph = DATELINE.replace(&paragraph, "").to_string();
        let sentences = sentences(&paragraph);
        let (speakers, days) = speakers(&sentences, &mut last_speaker, said_on);
        for ((sentence, speaker), day) in sentences.iter().zip(speakers).zip(days) {
            if EVIDENCE.is_match(sentence) || speaker.contains("Oryx") {
                evidence_context = true;
            }
            let mut sentence_category = String::new();
            for m in NUMBER.captures_iter(sentence) {
                let Some(whole) = m.get(0) else { continue };
                let (before, after) = (&sentence[..whole.start()], &sentence[whole.end()..]);
                let num = |s: &str| s.replace(',', "").parse::<f64>().ok();
                let (low, high) = if let (Some(lo), Some(hi)) = (m.name("lo"), m.name("hi")) {
                    match (num(lo.as_str()), num(hi.as_str())) {
                        (Some(l), Some(h)) => (l, h),
                        _ => continue,
                    }
                } else if let Some(n) = m.name("n").and_then(|n| num(n.as_str())) {
                    (n, n)
                } else if m.name("w").is_some() {
                    let v = if m
                        .name("mag")
                        .is_some_and(|g| g.as_str().eq_ignore_ascii_case("thousand"))
                    {
                        1000.0
                    } else {
                        100.0
                    };
                    (v, v)
                } else {
                    continue;
                };
                // Days of the month and years are dates, not claims.
                if NOT_A_CLAIM.is_match(before)
                    || AFTER_IS_MONTH.is_match(after)
                    || (low == high && (1990.0..=2100.0).contains(&low) && !whole.as_str().contains(','))
                {
                    continue;
                }
                let unit = UNIT.captures(after);
                let group = |g: &str| unit.as_ref().and_then(|u| u.name(g)).is_some();
                let mut c = blank(said_on, sentence, &speaker);
                c.qualifier = qualifier(before).into();
                c.date = Some(day);
                if m.name("pct").is_some() || group("pct") {
                    c.unit = "percent".into();
                    c.metric = "area".into();
                } else if group("km2") {
                    c.unit = "km2".into();
                    c.metric = if CHANGE.is_match(sentence) {
                        "area-change".into()
                    } else {
                        "area".into()
                    };
                } else if group("km") {
                    c.unit = "km".into();
                    c.metric = "distance".into();
                    c.status = "occupied".into();
                    c.place = place(sentence, whole.start(), after, &speaker);
                } else if group("settl") || SETTLEMENTS_AT.is_match(before) {
                    c.unit = "count".into();
                    c.metric = "settlements".into();
                } else {
                    let category = match unit.as_ref().and_then(|u| u.name("cat")) {
                        Some(cat) => category(cat.as_str()),
                        // A list goes on: "544 tanks captured, 79 damaged".
                        None if !sentence_category.is_empty() && LOSS_STATUS.is_match(after) => {
                            sentence_category.clone()
                        }
                        // "The previous record, 1,770": the article's category.
                        None if !last_category.is_empty() && (HIGHEST.is_match(before) || TOTAL.is_match(before)) => {
                            last_category.clone()
                        }
                        None => continue,
                    };
                    let loss = LOSS_WORDS.is_match(sentence)
                        || HIGHEST.is_match(sentence)
                        || TOTAL.is_match(sentence)
                        || (evidence_context && LOSS_STATUS.is_match(sentence));
                    if !loss {
                        continue;
                    }
                    c.unit = "count".into();
                    c.category = category.clone();
                    sentence_category = category.clone();
                    last_category = category;
                    if evidence_context && (EVIDENCE.is_match(sentence) || speaker.contains("Oryx")) {
                        c.metric = "evidence".into();
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
                            last_metric.clone()
                        };
                        last_metric = c.metric.clone();
                    }
                }
                if ["area", "area-change", "settlements"].contains(&c.metric.as_str()) {
                    c.status = control_status(sentence).into();
                    c.within = within(sentence).into();
                    if c.metric == "area-change" {
                        let back = if sentence.contains("month") { 30 } else { 7 };
                        c.to = c.date;
                        c.from = c.date.map(|d| d - Duration::days(back));
                        c.date = None;
                    }
                }
                if low == high {
                    c.value = Some(low);
                } else {
                    (c.low, c.high) = (Some(low), Some(high));
                }
                out.push(c);
            }
            // "the second record in a row": a streak of record days.
            if let Some(s) = STREAK.captures(sentence) {
                let n = s.name("n").or(s.name("m")).map_or("", |m| m.as_str()).to_lowercase();
                let days = match n.as_str() {
                    "second" | "two" => 2.0,
                    "third" | "three" => 3.0,
                    "fourth" | "four" => 4.0,
                    _ => 5.0,
                };
                let mut c = blank(said_on, sentence, &speaker);
                c.metric = "record".into();
                c.category = if sentence_category.is_empty() {
                    last_category.clone()
                } else {
                    sentence_category.clone()
                };
                c.value = Some(days);
                c.unit = "days".into();
                c.date = Some(day);
                out.push(c);
            }
        }
    }
    // The same claim said twice (a paraphrase, then the quote) is one: the
    // direct quote's, which has the words and names who said them.
    let key = |c: &Candidate| {
        (
            c.metric.clone(),
            c.value.map(f64::to_bits),
            c.low.map(f64::to_bits),
            c.date,
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

/// Sentences of a paragraph: a stop, then a space and a capital or a quote.
fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = p.as_bytes();
    for i in 0..b.len() {
        let stop = matches!(b[i], b'.' | b'!' | b'?');
        if !stop {
            continue;
        }
        // A closing quote right after the stop belongs to the sentence.
        let end = if b.get(i + 1) == Some(&b'"') { i + 2 } else { i + 1 };
        let next = p[end..].trim_start();
        let starts = next.chars().next().is_some_and(|c| c.is_uppercase() || c == '"');
        if b.get(end) == Some(&b' ') && starts {
            out.push(p[start..end].trim().to_string());
            start = end;
        }
    }
    if start < p.len() && !p[start..].trim().is_empty() {
        out.push(p[start..].trim().to_string());
    }
    out
}

/// The speaker of each sentence: its own attribution; else the quote's it
/// is part of (a quote spanning sentences is attributed where it opens or
/// closes); else, for a sentence opening with a pronoun, the last speaker.
/// With each, the day it is about, read from the whole quote for a
/// sentence in one ("…," the commander said on 10 August).
fn speakers(sentences: &[String], last: &mut String, said_on: NaiveDate) -> (Vec<String>, Vec<NaiveDate>) {
    let own: Vec<String> = sentences.iter().map(|s| attribution(s)).collect();
    let mut days: Vec<NaiveDate> = sentences.iter().map(|s| day_of(s, said_on)).collect();
    // Quote runs: sentences from an opening quote to its closing one.
    let mut out = own.clone();
    let mut i = 0;
    while i < sentences.len() {
        let opens = sentences[i].matches('"').count() % 2 == 1;
        if opens {
            let mut j = i + 1;
            while j < sentences.len() && sentences[j].matches('"').count().is_multiple_of(2) {
                j += 1;
            }
            let j = j.min(sentences.len() - 1);
            let who = (i..=j)
                .map(|k| own[k].clone())
                .find(|w| !w.is_empty())
                .unwrap_or_default();
            for item in out.iter_mut().take(j + 1).skip(i) {
                if item.is_empty() {
                    *item = who.clone();
                }
            }
            // The first day named in the quote or its attribution.
            let run_day = (i..=j)
                .find(|&k| ON_DAY.is_match(&sentences[k]))
                .map_or(said_on, |k| days[k]);
            for day in days.iter_mut().take(j + 1).skip(i) {
                *day = run_day;
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    for (k, s) in sentences.iter().enumerate() {
        let pronoun = ["He ", "She ", "They ", "It "].iter().any(|p| s.starts_with(p));
        let says_pronoun = ["He", "She", "They", "It"].contains(&out[k].as_str());
        if (pronoun && (out[k].is_empty() || says_pronoun)) || (out[k].is_empty() && s.starts_with('"')) {
            out[k] = last.clone();
        }
        if !out[k].is_empty() {
            *last = out[k].clone();
        }
    }
    (out, days)
}

/// "…, the General Staff said", "according to X", "said Jakub Janovsky".
fn attribution(s: &str) -> String {
    if let Some(c) = ACCORDING.captures(s) {
        return clean(&c["who"]);
    }
    if let Some(c) = SAID_WHO.captures(s) {
        return clean(&c["who"]);
    }
    // A passive ("was reported on Monday") names no one.
    let Some(v) = ATTRIBUTION.find_iter(s).find(|v| {
        let b = s[..v.start()].trim_end();
        !(b.ends_with(" was") || b.ends_with(" were") || b.ends_with(" been") || b.ends_with(" is"))
    }) else {
        return String::new();
    };
    let before = s[..v.start()].trim_end().trim_end_matches(',');
    let mut who = before
        .rsplit([',', '"', ';', ':'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    // An apposition ("Oryx, an open-source website, said"): the name before.
    if who.starts_with("a ") || who.starts_with("an ") {
        let parts: Vec<&str> = before.split(',').collect();
        if parts.len() >= 2 {
            who = parts[parts.len() - 2].trim().to_string();
        }
    }
    clean(&who)
}

fn clean(who: &str) -> String {
    let who = who.trim();
    // A date or a conjunction before the name is not the name.
    let who = NOT_A_NAME.replace(who, "");
    let who = who.trim();
    if who.split_whitespace().count() > 10 || who.chars().any(|c| c.is_ascii_digit()) {
        return String::new();
    }
    who.to_string()
}

fn qualifier(before: &str) -> &'static str {
    let tail = before.trim_end().to_lowercase();
    let ends = |words: &[&str]| words.iter().any(|w| tail.ends_with(w));
    if ends(&[
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "some",
        "close to",
    ]) {
        "about"
    } else if ends(&["more than", "over", "at least", "above", "upwards of"]) {
        "more than"
    } else if ends(&[
        "up to",
        "less than",
        "under",
        "at most",
        "fewer than",
        "within",
        "below",
    ]) {
        "up to"
    } else {
        ""
    }
}

/// The day a sentence is about: an explicit "on 20 August" or "on Monday"
/// (the latest such day up to publication), else the day of publication.
fn day_of(sentence: &str, said_on: NaiveDate) -> NaiveDate {
    let Some(c) = ON_DAY.captures(sentence) else {
        return said_on;
    };
    if let Some(wd) = c.name("wd") {
        let target: Weekday = wd.as_str().parse().unwrap_or(said_on.weekday());
        let mut d = said_on;
        while d.weekday() != target {
            d -= Duration::days(1);
        }
        return d;
    }
    let (d, m) = match (c.name("d").or(c.name("d2")), c.name("m").or(c.name("m2"))) {
        (Some(d), Some(m)) => (d.as_str(), m.as_str()),
        _ => return said_on,
    };
    let month = MONTHS
        .split('|')
        .position(|x| x.eq_ignore_ascii_case(m))
        .map_or(0, |i| i as u32 + 1);
    let day: u32 = d.parse().unwrap_or(0);
    match NaiveDate::from_ymd_opt(said_on.year(), month, day) {
        Some(x) if x > said_on => NaiveDate::from_ymd_opt(said_on.year() - 1, month, day).unwrap_or(said_on),
        Some(x) => x,
        None => said_on,
    }
}

fn category(word: &str) -> String {
    let w = word.to_lowercase();
    if w.starts_with("tank") {
        "tanks"
    } else if w.starts_with("artillery") {
        "artillery"
    } else if w.starts_with("armo") {
        "armoured-vehicles"
    } else {
        "personnel"
    }
    .into()
}

fn control_status(sentence: &str) -> &'static str {
    if OCCUPIED.is_match(sentence) {
        "occupied"
    } else if LIBERATED.is_match(sentence) {
        "liberated"
    } else {
        ""
    }
}

fn within(sentence: &str) -> &'static str {
    for (name, code) in REGIONS {
        if sentence.contains(name) {
            return code;
        }
    }
    if sentence.contains("Russian territory") || sentence.contains("in Russia") {
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
    CAPITAL
        .find_iter(&sentence[..at])
        .filter(|m| m.start() > 0)
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
        .last()
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
