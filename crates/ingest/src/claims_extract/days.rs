//! The day a claim is about, and the period of a change: "on 20 August",
//! "on Monday", "in a video posted on Monday", "two days earlier",
//! "since the start of November", "in November", "over the past week".

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

use super::{MONTHS, re};

/// "on 20 August", "on August 20", "on Monday".
pub static ON_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\bon\s+(?:(?P<d>\d{{1,2}})\s+(?P<m>{MONTHS})|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}})|(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
    ))
});
/// "during the past day, November 15": the day a daily report covers.
static PAST_DAY_IS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:past|last) (?:day|24 hours),\s+(?:(?P<d>\d{{1,2}})\s+(?P<m>{MONTHS})|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}}))\b"
    ))
});
/// The day of the sentence before: "the day's losses", "that day".
static SAME_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:the day's|that day|the same day)\b"));

/// Each sentence that speaks of "the day's" or "that day" without naming
/// one takes the day of the sentence before it (over the whole article).
pub fn carry_same_day(sentences: &[String], days: &mut [NaiveDate]) {
    for k in 1..days.len() {
        if SAME_DAY.is_match(&sentences[k]) && !ON_DAY.is_match(&sentences[k]) {
            days[k] = days[k - 1];
        }
    }
}

/// "two days earlier", "a week ago", at the start of a sentence or clause.
static DAYS_EARLIER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?P<n>a|one|two|three|four|five|six|\d+)\s+(?P<u>days?|weeks?)\s+(?:earlier|ago|before)\b")
});
/// A period: "since the start of November", "in November", "over the
/// past day / week / month", "this week".
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\bsince the (?:start|beginning) of (?P<since>{MONTHS})\b|\bin (?P<month>{MONTHS})\b|\b(?:over|in|during) the (?:past|last) (?P<last>day|24 hours|week|month)\b|\bthis (?P<this>week|month)\b|\bin the (?P<to>week|month) to (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today)\b"
    ))
});

/// The day a sentence is about: an explicit "on 20 August" or "on Monday"
/// (the latest such day up to publication), "N days earlier" (counted from
/// publication), else the day of publication.
pub fn day_of(sentence: &str, said_on: NaiveDate) -> NaiveDate {
    if let Some(c) = PAST_DAY_IS.captures(sentence) {
        return named_day(&c, said_on);
    }
    match ON_DAY.captures(sentence) {
        Some(c) => named_day(&c, said_on),
        None => DAYS_EARLIER
            .captures(sentence)
            .map_or(said_on, |c| said_on - Duration::days(days_back(&c))),
    }
}

/// The day a number is about when the words after it name one ("…, after
/// the 483 it reported on Saturday"): the first day named between it and
/// the next number.
pub fn day_after(after: &str, said_on: NaiveDate) -> Option<NaiveDate> {
    // The next number ends the words, unless it is the day itself ("on 15
    // December").
    let end = after
        .char_indices()
        .find(|&(i, c)| c.is_ascii_digit() && !after[..i].ends_with("on "))
        .map_or(after.len(), |(i, _)| i);
    let c = ON_DAY.captures(&after[..end.min(after.len())]).or_else(|| {
        ON_DAY
            .captures(after)
            .filter(|c| c.get(0).is_some_and(|m| m.start() <= end))
    })?;
    Some(named_day(&c, said_on))
}

fn days_back(c: &regex::Captures<'_>) -> i64 {
    let n = match c["n"].to_lowercase().as_str() {
        "a" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        d => d.parse().unwrap_or(0),
    };
    if c["u"].to_lowercase().starts_with("week") {
        n * 7
    } else {
        n
    }
}

fn named_day(c: &regex::Captures<'_>, said_on: NaiveDate) -> NaiveDate {
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
    let day: u32 = d.parse().unwrap_or(0);
    match NaiveDate::from_ymd_opt(said_on.year(), month(m), day) {
        Some(x) if x > said_on => NaiveDate::from_ymd_opt(said_on.year() - 1, month(m), day).unwrap_or(said_on),
        Some(x) => x,
        None => said_on,
    }
}

fn month(name: &str) -> u32 {
    MONTHS
        .split('|')
        .position(|x| x.eq_ignore_ascii_case(name))
        .map_or(1, |i| i as u32 + 1)
}

/// The latest first day of `name`'s month up to `day`.
fn month_start(name: &str, day: NaiveDate) -> NaiveDate {
    let m = month(name);
    let y = if m > day.month() { day.year() - 1 } else { day.year() };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(day)
}

/// The period of a change the words name, ending on `day` unless a whole
/// past month is named: `(from, to)`. Without words for one: the week
/// before, the default of "gained … this week".
pub fn period(words: &str, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let Some(c) = PERIOD.captures(words) else {
        return (day - Duration::days(7), day);
    };
    if let Some(m) = c.name("since") {
        return (month_start(m.as_str(), day), day);
    }
    if let Some(m) = c.name("month") {
        let from = month_start(m.as_str(), day);
        let next = from
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(day)
            .pred_opt()
            .unwrap_or(day);
        return (from, next.min(day));
    }
    let back = match c
        .name("last")
        .or(c.name("this"))
        .or(c.name("to"))
        .map(|m| m.as_str().to_lowercase())
    {
        Some(u) if u == "day" || u == "24 hours" => 1,
        Some(u) if u == "month" => 30,
        _ => 7,
    };
    (day - Duration::days(back), day)
}

/// Whether the words name a period of change.
pub fn names_a_period(words: &str) -> bool {
    PERIOD.is_match(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn days_named_counted_back_and_per_number() {
        let said = d("2024-08-15");
        assert_eq!(day_of("in a video posted on Monday", said), d("2024-08-12"));
        assert_eq!(day_of("Two days earlier Mr Zelensky said", said), d("2024-08-13"));
        assert_eq!(
            day_of(
                "lost 1,650 during the past day, November 15, it said on Saturday",
                d("2024-11-16")
            ),
            d("2024-11-15")
        );
        assert_eq!(day_of("on 20 August", d("2025-01-05")), d("2024-08-20"));
        assert_eq!(
            day_after(
                " vehicles, said on Sunday, a record after the 483 it reported on Saturday.",
                d("2026-05-31")
            ),
            Some(d("2026-05-31"))
        );
        assert_eq!(
            day_after(" it reported on Saturday.", d("2026-05-31")),
            Some(d("2026-05-30"))
        );
        assert_eq!(
            day_after(" it reported on 15 December.", d("2025-01-15")),
            Some(d("2024-12-15"))
        );
    }

    #[test]
    fn periods_of_change() {
        let day = d("2024-11-25");
        assert_eq!(period("since the start of November", day), (d("2024-11-01"), day));
        assert_eq!(period("over the past week", day), (d("2024-11-18"), day));
        assert_eq!(period("over the past day", day), (d("2024-11-24"), day));
        assert_eq!(
            period("took 730 square kilometres in November", d("2025-03-12")),
            (d("2024-11-01"), d("2024-11-30"))
        );
        assert_eq!(period("in August", d("2025-03-12")), (d("2024-08-01"), d("2024-08-31")));
    }
}
