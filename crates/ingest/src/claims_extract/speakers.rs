//! Who said it: sentences, attributions ("…, X said", "according to X",
//! a quote spanning sentences, "He said" for the last speaker), and the
//! names an article gives its people, so that "Mr X", "Gen. X", "the
//! general" and "the commander-in-chief" are the person named with them.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

use super::days::{ON_DAY, day_of};
use super::{MONTHS, re};

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:has |have |had )?(?:said|says|told|reported|stated|claimed|announced|estimated|placed|put|documented|verified|added|listed|calculated)\b",
    )
});
static ACCORDING: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\baccording to (?P<who>[^,.;]+)"));
static SAID_WHO: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:said|told reporters|added)\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s*(?:[,.;]|$)")
});
/// Time words before a name: "On Tuesday the Commander-in-Chief", "Two
/// days earlier Mr Zelensky", "Hours later, …".
static LEADING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?:(?:On|on|In|in)\s+(?:\d{{1,2}}\s+(?:{MONTHS})|(?:{MONTHS})\s+\d{{1,2}}|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*,?\s+|(?:(?:One|Two|Three|Four|Five|Six|\d+|A|a)\s+(?:days?|weeks?)\s+(?:earlier|later|ago)|Hours later|Earlier|Later|Meanwhile|Separately)\s*,?\s+|(?:and|but|Separately)\s+)+"
    ))
});
/// A body's figures stand for it: "Kyiv's own figures", "DeepState's
/// monthly count".
static FIGURES_OF: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?P<who>.+?)'s (?:own )?(?:\w+ )?(?:figures|count|data|estimates|tally|maps?)$"));
/// Time words after a name: "Ukraine's General Staff on Monday added".
static TRAILING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\s+(?:on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|yesterday|today|this week|earlier|later|also)$",
    )
});
/// A title before a name: dropped from the speaker, kept to resolve "the
/// general" and "Mr X".
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Gen\.|General|Lt\. Gen\.|Col\.|Mr|Mrs|Ms|Dr|President|Governor|Gov\.|Minister|Commander-in-Chief|Commander)\s+",
    )
});
/// A full name: two or three capitalised words (a title may precede it).
static FULL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?P<title>\b(?:Gen\.|General|President|Governor|Minister|Mr|Dr)\s+)?\b(?P<name>[A-Z][a-z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]+){1,2})",
    )
});
/// "the commander-in-chief, Oleksandr Syrskyi," and "Oleksandr Syrskyi, the
/// commander-in-chief,": a role in apposition to a name.
static APPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:\b[Tt]he |[A-Z]\w+'s )(?P<role>[a-z][\w -]{2,40}?|Commander-in-Chief),\s+(?:Gen\.\s+|General\s+)?(?P<name>[A-Z][a-z][\w'’-]+\s+[A-Z][a-z][\w'’-]+),|(?P<name2>[A-Z][a-z][\w'’-]+\s+[A-Z][a-z][\w'’-]+),\s+(?:the |[A-Z]\w+'s )(?P<role2>[a-z][\w -]{2,40}?),)",
    )
});

/// "the independent Russian outlet Agentstvo", "the monitoring group
/// DeepState": a body named after its kind, so that "the outlet said" is it.
static KIND_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b[Tt]he (?:[A-Za-z][\w-]* ){0,3}?(?P<role>outlet|group|site|website|ministry|agency|institute|newspaper|channel|project|monitor|think tank) (?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)",
    )
});
/// A sentence that goes on with the last speaker's figures ("The figure
/// tops the 1,171 reported on Tuesday").
static GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:The|That|This) (?:new |previous )?(?:figure|number|toll|total|tally|count|record|high|one-day high)\b")
});

/// Words that end a sentence with their stop without ending it ("Gen.
/// Oleksandr Syrskyi").
const ABBREVIATIONS: &[&str] = &[
    "Gen", "Lt", "Col", "Maj", "Sgt", "Capt", "Adm", "Mr", "Mrs", "Ms", "Dr", "St", "Gov", "Sen", "Rep", "Prof", "No",
];

/// Sentences of a paragraph: a stop, then a space and a capital or a
/// quote; not after a title's abbreviation.
pub fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = p.as_bytes();
    for i in 0..b.len() {
        if !matches!(b[i], b'.' | b'!' | b'?') {
            continue;
        }
        let word = p[..i].rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if b[i] == b'.' && ABBREVIATIONS.contains(&word) {
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

/// The people an article names: full names, the titles they were given
/// and the roles set beside them.
#[derive(Debug, Default)]
pub struct People {
    /// Full names, in order of appearance.
    names: Vec<String>,
    /// (title or role, lower case, name): "general" → "Oleksandr Syrskyi".
    roles: Vec<(String, String)>,
}

impl People {
    /// Reads the names and roles of the whole article.
    pub fn of(text: &str) -> Self {
        let mut p = People::default();
        for c in FULL_NAME.captures_iter(text) {
            let name = c["name"].to_string();
            if MONTHS.split('|').any(|m| name.starts_with(m)) || name.split_whitespace().any(is_place_word) {
                continue;
            }
            if let Some(t) = c.name("title") {
                let t = t.as_str().trim().trim_end_matches('.').to_lowercase();
                let t = if t == "gen" { "general".to_string() } else { t };
                p.roles.push((t, name.clone()));
            }
            if !p.names.contains(&name) {
                p.names.push(name);
            }
        }
        for c in KIND_NAME.captures_iter(text) {
            p.roles.push((c["role"].to_lowercase(), c["name"].to_string()));
        }
        for c in APPOSITION.captures_iter(text) {
            let (role, name) = match (c.name("role"), c.name("name"), c.name("role2"), c.name("name2")) {
                (Some(r), Some(n), _, _) | (_, _, Some(r), Some(n)) => (r.as_str(), n.as_str()),
                _ => continue,
            };
            p.roles.push((role.trim().to_lowercase(), name.to_string()));
        }
        p
    }

    /// The person a speaker stands for: a title and surname ("Mr
    /// Syrskyi", "Gen. Syrskyi") or a surname alone → the full name the
    /// article gave; "the general", "the commander-in-chief" → the person
    /// given that title or role; else the speaker as written (a role
    /// without a name stays a role).
    pub fn resolve(&self, who: &str) -> String {
        let bare = TITLE.replace(who, "").trim().to_string();
        if bare.split_whitespace().count() == 1
            && let Some(full) = self.names.iter().find(|n| n.ends_with(&format!(" {bare}")))
        {
            return full.clone();
        }
        let role = who
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .trim()
            .to_lowercase();
        if let Some((_, name)) = self
            .roles
            .iter()
            .rev()
            .find(|(r, _)| *r == role || r.ends_with(&format!(" {role}")))
        {
            return name.clone();
        }
        if bare != who && bare.split_whitespace().count() >= 2 {
            return bare;
        }
        who.to_string()
    }
}

/// Words that make a capitalised pair a place or a body, not a person.
fn is_place_word(w: &str) -> bool {
    [
        "Ukraine",
        "Ukraine's",
        "Russia",
        "Russia's",
        "Kursk",
        "Ministry",
        "Staff",
        "Defence",
        "Defense",
        "Forces",
        "Federation",
        "Kyiv",
        "Moscow",
        "Independent",
        "General",
        "Armed",
    ]
    .contains(&w)
}

/// The speaker of each sentence: its own attribution; else the quote's it
/// is part of (a quote spanning sentences is attributed where it opens or
/// closes); else, for a sentence opening with a pronoun, the last speaker.
/// With each, the day it is about, read from the whole quote for a
/// sentence in one ("…," the commander said on 10 August).
pub fn speakers(
    sentences: &[String],
    last: &mut String,
    said_on: NaiveDate,
    people: &People,
) -> (Vec<String>, Vec<NaiveDate>) {
    let own: Vec<String> = sentences.iter().map(|s| attribution(s, people)).collect();
    let mut days: Vec<NaiveDate> = sentences.iter().map(|s| day_of(s, said_on)).collect();
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
        let pronoun = ["He ", "She ", "They ", "It "].iter().any(|p| s.starts_with(p)) || GOES_ON.is_match(s);
        let says_pronoun = ["He", "She", "They", "It", "he", "she", "they", "it"].contains(&out[k].as_str());
        if (pronoun && out[k].is_empty()) || says_pronoun || (out[k].is_empty() && s.starts_with('"')) {
            out[k] = last.clone();
        }
        if !out[k].is_empty() {
            *last = out[k].clone();
        }
    }
    (out, days)
}

/// A role the article does not tie to a name ("the region's acting
/// governor told …") when the next sentence is said by a full name: the
/// wire's way of naming a speaker after introducing them. Over the
/// article's speakers, in order.
pub fn name_roles(who: &mut [String]) {
    for k in 0..who.len().saturating_sub(1) {
        let role = ["the ", "The ", "its ", "Its ", "his ", "their "]
            .iter()
            .any(|p| who[k].starts_with(p));
        let words: Vec<&str> = who[k + 1].split_whitespace().collect();
        let named = words.len() >= 2 && words.iter().all(|w| w.starts_with(char::is_uppercase));
        if role && named {
            who[k] = who[k + 1].clone();
        }
    }
}

/// "…, the General Staff said", "according to X", "said Jakub Janovsky".
fn attribution(s: &str, people: &People) -> String {
    if let Some(c) = ACCORDING.captures(s) {
        return clean(&c["who"], people);
    }
    if let Some(c) = SAID_WHO.captures(s) {
        return clean(&c["who"], people);
    }
    // A passive ("was reported on Monday") names no one.
    let Some(v) = ATTRIBUTION.find_iter(s).find(|v| {
        let b = s[..v.start()].trim_end();
        let b = b.trim_end_matches(" independently");
        !(b.ends_with(" was")
            || b.ends_with(" were")
            || b.ends_with(" been")
            || b.ends_with(" is")
            || b.ends_with(" be"))
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
    // An apposition ("Oryx, an open-source website, said"; "Oleksandr
    // Syrskyi, who briefed the president, said"): the name before.
    if who.starts_with("a ") || who.starts_with("an ") || who.starts_with("who ") {
        let parts: Vec<&str> = before.split(',').collect();
        if parts.len() >= 2 {
            who = parts[parts.len() - 2].trim().to_string();
        }
    }
    clean(&who, people)
}

/// A speaker without the time words before it, its figures ("Kyiv's own
/// figures" is Kyiv) or a date, resolved to the person it stands for.
fn clean(who: &str, people: &People) -> String {
    let who = LEADING_TIME.replace(who.trim(), "");
    let who = TRAILING_TIME.replace(who.trim(), "");
    let mut who = who.trim().to_string();
    if let Some(c) = FIGURES_OF.captures(&who) {
        who = c["who"].to_string();
    }
    if who.split_whitespace().count() > 10 || who.chars().any(|c| c.is_ascii_digit()) {
        return String::new();
    }
    if who.is_empty() {
        return who;
    }
    // "the outlet Agentstvo": the name.
    if let Some(c) = KIND_NAME
        .captures(&who)
        .filter(|c| c.get(0).is_some_and(|m| m.len() == who.len()))
    {
        return c["name"].to_string();
    }
    people.resolve(&who)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_abbreviations_and_roles_resolve_to_the_named_person() {
        let text = "Ukraine's commander-in-chief, Gen. Oleksandr Syrskyi, said on Tuesday that troops advanced. \
                    The general said more. Mr Syrskyi added nothing. President Volodymyr Zelensky spoke.";
        let s = sentences(text);
        assert_eq!(s.len(), 4, "{s:?}");
        let people = People::of(text);
        assert_eq!(people.resolve("The general"), "Oleksandr Syrskyi");
        assert_eq!(people.resolve("Mr Syrskyi"), "Oleksandr Syrskyi");
        assert_eq!(people.resolve("the commander-in-chief"), "Oleksandr Syrskyi");
        assert_eq!(people.resolve("Gen. Oleksandr Syrskyi"), "Oleksandr Syrskyi");
        assert_eq!(people.resolve("the president"), "Volodymyr Zelensky");
        // A role the article never names stays a role.
        assert_eq!(
            people.resolve("the region's acting governor"),
            "the region's acting governor"
        );
    }

    #[test]
    fn time_words_are_not_the_speaker() {
        let people = People::of("the Commander-in-Chief, Oleksandr Syrskyi, spoke.");
        let d = NaiveDate::from_ymd_opt(2024, 8, 27).unwrap();
        let mut last = String::new();
        let s = vec![
            "On Tuesday the Commander-in-Chief said 100 settlements were held.".to_string(),
            "Two days earlier Mr Smith said 74 settlements were held.".to_string(),
        ];
        let (who, _) = speakers(&s, &mut last, d, &people);
        assert_eq!(who, ["Oleksandr Syrskyi", "Mr Smith"]);
    }
}
