//! Numbers and their units as wire copy writes them: digits with
//! separators, "a thousand", ranges ("between 40 and 60", "1 to 3"), vague
//! quantities ("dozens", "a few dozen"), a unit run into the number
//! ("500sq km") or spelled out, square miles converted to km².

use regex::{Captures, Regex};
use std::sync::LazyLock;

use super::re;

/// Square kilometres in a square mile (international mile).
pub const KM2_PER_MI2: f64 = 2.589_988_110_336;

/// A number, a range or a vague quantity, at the start of a match.
pub static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:between\s+(?P<lo>\d[\d,]*(?:\.\d+)?)\s+and\s+(?P<hi>\d[\d,]*(?:\.\d+)?)|(?P<lo2>\d{1,3})\s+(?:to|-|–)\s+(?P<hi2>\d{1,3})\b|(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<vague>a\s+few\s+dozen|several\s+dozen|dozens|scores|a\s+dozen|hundreds)(?:\s+of)?|(?P<w>a|one)\s+(?P<mag>thousand|hundred)|(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety))\b(?P<pct>\s?%)?",
    )
});

/// The unit right after a number.
pub static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)^\s*(?:
        (?P<km2>square\s+kilomet(?:re|er)s?|sq\.?\s?km|km²|km2|square\s+km)
      | (?P<mi2>square\s+miles?|sq\.?\s?mi(?:les?)?\b)
      | (?P<km>kilomet(?:re|er)s?\b|km\b)
      | (?P<mi>miles?\b)
      | (?P<pct>percent\b|per\s+cent\b)
      | (?P<settl>(?:(?:small|Russian|Ukrainian|border|frontline|front-line)\s+)?(?:settlements|villages|localities|towns\s+and\s+villages))
      | (?P<people>inhabitants|residents|people)
      | (?:(?:distinct|confirmed|more|Russian|Ukrainian|enemy)\s+){0,3}(?P<cat>vehicles\s+and\s+fuel\s+tanks|(?:cruise\s+)?missiles|drones?|UAVs?|unmanned\s+aerial\s+vehicles|tanks?|artillery\s+systems?|armou?red\s+(?:combat\s+)?vehicles|(?:multiple\s+)?rocket\s+launchers|aircraft|helicopters?|troops|soldiers|servicemen|personnel|casualties|killed(?:\s+(?:and|or)\s+wounded)?)
    )")
});

/// A number with its range: `(low, high)`.
pub fn value(m: &Captures<'_>) -> Option<(f64, f64)> {
    let num = |s: &str| s.replace(',', "").parse::<f64>().ok();
    if let (Some(lo), Some(hi)) = (m.name("lo").or(m.name("lo2")), m.name("hi").or(m.name("hi2"))) {
        let (l, h) = (num(lo.as_str())?, num(hi.as_str())?);
        return (l <= h).then_some((l, h));
    }
    if let Some(n) = m.name("n") {
        let v = num(n.as_str())?;
        return Some((v, v));
    }
    if let Some(v) = m.name("vague") {
        return Some(vague(v.as_str()));
    }
    if let Some(w) = m.name("word") {
        let v = WORDS.iter().position(|x| x.eq_ignore_ascii_case(w.as_str())).map(|i| {
            if i < 20 {
                i as f64 + 1.0
            } else {
                (i as f64 - 17.0) * 10.0
            }
        })?;
        return Some((v, v));
    }
    m.name("w").map(|_| {
        let v = if m
            .name("mag")
            .is_some_and(|g| g.as_str().eq_ignore_ascii_case("thousand"))
        {
            1000.0
        } else {
            100.0
        };
        (v, v)
    })
}

/// Numbers in words, one to twenty, then the tens to ninety.
const WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// Whether the number is in words ("nine tanks"): it counts only with a
/// unit of its own.
pub fn in_words(m: &Captures<'_>) -> bool {
    m.name("word").is_some()
}

/// Vague quantities as ranges (docs/claims.md says why these): a dozen is
/// 12; "dozens" at least two dozen and under a hundred, "a few dozen" two
/// to five dozen, "several dozen" two to seven and a half, "scores" two
/// score (40) to under a hundred, "hundreds" 200 to 999.
fn vague(words: &str) -> (f64, f64) {
    let w = words.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    match w.as_str() {
        "a few dozen" => (24.0, 60.0),
        "several dozen" => (24.0, 90.0),
        "dozens" => (24.0, 99.0),
        "scores" => (40.0, 99.0),
        "a dozen" => (12.0, 12.0),
        _ => (200.0, 999.0),
    }
}

/// Whether the match is a vague quantity (it takes only a count's unit:
/// "dozens of villages", not "dozens of kilometres").
pub fn is_vague(m: &Captures<'_>) -> bool {
    m.name("vague").is_some()
}

/// Kilometres in a mile.
pub const KM_PER_MI: f64 = 1.609_344;

/// km from miles, to 0.1 km.
pub fn from_miles(v: f64) -> f64 {
    (v * KM_PER_MI * 10.0).round() / 10.0
}

/// km² from square miles, to 0.1 km² (the figure checked; the quote keeps
/// the original).
pub fn from_square_miles(v: f64) -> f64 {
    (v * KM2_PER_MI2 * 10.0).round() / 10.0
}

/// The qualifier the words just before a number give.
pub fn qualifier(before: &str) -> &'static str {
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
        "an estimated",
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

/// The loss category a unit word names, in the General Staff's tallies'
/// vocabulary (`tank`, `field artillery`, `apc`…), which the `daily`,
/// `cumulative` and `record` checks read; an evidence count uses the loss
/// lists' (`tanks`), see [`evidence_category`].
pub fn category(word: &str) -> String {
    let w = word.to_lowercase();
    if w.starts_with("vehicles and fuel") {
        "vehicles and fuel tanks"
    } else if w.starts_with("cruise") || w.starts_with("missile") {
        "cruise missiles"
    } else if w.starts_with("drone") || w.starts_with("uav") || w.starts_with("unmanned") {
        "drone"
    } else if w.starts_with("tank") {
        "tank"
    } else if w.starts_with("artillery") {
        "field artillery"
    } else if w.starts_with("armo") {
        "apc"
    } else if w.contains("rocket") {
        "mrl"
    } else if w.starts_with("aircraft") {
        "aircraft"
    } else if w.starts_with("helicopter") {
        "helicopter"
    } else {
        "personnel"
    }
    .into()
}

/// The loss lists' name of a tallies category (Oryx's "Tanks").
pub fn evidence_category(tally: &str) -> String {
    match tally {
        "tank" => "tanks",
        "field artillery" => "artillery",
        "apc" => "armoured-vehicles",
        other => other,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> (f64, f64) {
        let c = NUMBER.captures(text).unwrap();
        value(&c).unwrap()
    }

    #[test]
    fn ranges_words_and_vague_quantities() {
        assert_eq!(first("between 40 and 60 km"), (40.0, 60.0));
        assert_eq!(first("a further 1 to 3 km"), (1.0, 3.0));
        assert_eq!(first("a thousand troops"), (1000.0, 1000.0));
        assert_eq!(first("dozens of villages"), (24.0, 99.0));
        assert_eq!(first("a few dozen"), (24.0, 60.0));
        assert_eq!(first("scores of villages"), (40.0, 99.0));
        assert_eq!(first("1,294.5 sq km"), (1294.5, 1294.5));
    }

    #[test]
    fn units_as_wire_copy_writes_them() {
        for (text, group) in [
            (" sq km", "km2"),
            (" square kilometers", "km2"),
            (" square miles", "mi2"),
            (" sq mi", "mi2"),
            (" km from", "km"),
            (" small villages", "settl"),
            (" inhabitants", "people"),
            (" vehicles and fuel tanks", "cat"),
            (" drones", "cat"),
        ] {
            let u = UNIT.captures(text).unwrap_or_else(|| panic!("{text}"));
            assert!(u.name(group).is_some(), "{text}");
        }
        assert_eq!(from_square_miles(232.0), 600.9);
        assert_eq!(from_square_miles(500.0), 1295.0);
        assert_eq!(category("vehicles and fuel tanks"), "vehicles and fuel tanks");
        assert_eq!(category("UAVs"), "drone");
        assert_eq!(category("artillery systems"), "field artillery");
        assert_eq!(first("nine tanks"), (9.0, 9.0));
        assert_eq!(first("forty villages"), (40.0, 40.0));
    }
}
