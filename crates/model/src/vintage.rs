//! Counts by period as a list published them on a day: a vintage. Named
//! lists (UALosses, Mediazona/BBC) keep adding people to past periods as
//! deaths are confirmed, so the count of a period depends on when it was
//! read; comparing vintages shows how counts fill in (docs/personnel.md).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A day (`2025-07-14`).
    Day,
    /// An ISO week, Monday to Sunday (`2025-W29`).
    Week,
    /// A calendar month (`2025-07`).
    Month,
    /// A week from Sunday as UALosses and Mediazona number them (`2022-W53`):
    /// week 1 holds 1 January, and weeks split at the year's end, so the
    /// first and last of a year can be short.
    SundayWeek,
}

/// Parses the stable name, as a flag value.
impl std::str::FromStr for Granularity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| format!("`{s}` is not day, week or month"))
    }
}

impl Granularity {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::SundayWeek => "sunday-week",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "day" => Some(Granularity::Day),
            "week" => Some(Granularity::Week),
            "month" => Some(Granularity::Month),
            "sunday-week" => Some(Granularity::SundayWeek),
            _ => None,
        }
    }

    /// Whether a series of this granularity answers a question asked by
    /// `asked` (a week is either kind of week).
    pub fn answers(self, asked: Granularity) -> bool {
        self == asked || (asked == Granularity::Week && self == Granularity::SundayWeek)
    }

    /// Reads a UALosses key: weeks are Sunday weeks.
    pub fn read_sunday_key(key: &str) -> Option<(Granularity, NaiveDate)> {
        let Some((y, w)) = key.trim().split_once("-W") else {
            return Granularity::read_key(key);
        };
        let (y, w): (i32, i64) = (y.parse().ok()?, w.parse().ok()?);
        let jan1 = NaiveDate::from_ymd_opt(y, 1, 1)?;
        // Week 1 starts on the Sunday on or before 1 January.
        let first_sunday = jan1 - Duration::days(i64::from(jan1.weekday().num_days_from_sunday()));
        let start = (first_sunday + Duration::weeks(w - 1)).max(jan1);
        (w >= 1 && start.year() == y).then_some((Granularity::SundayWeek, start))
    }

    /// Reads a period key (`2025-07-14`, `2025-W29`, `2025-07`): its
    /// granularity and first day.
    pub fn read_key(key: &str) -> Option<(Granularity, NaiveDate)> {
        let k = key.trim();
        if let Ok(d) = NaiveDate::parse_from_str(k, "%Y-%m-%d") {
            return Some((Granularity::Day, d));
        }
        if let Some((y, w)) = k.split_once("-W") {
            let (y, w) = (y.parse().ok()?, w.parse().ok()?);
            return NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon).map(|d| (Granularity::Week, d));
        }
        let (y, m) = k.split_once('-')?;
        if m.len() != 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1).map(|d| (Granularity::Month, d))
    }

    /// The key of the period starting on `start` (`2025-W29`…).
    pub fn key(self, start: NaiveDate) -> String {
        match self {
            Granularity::Day => start.to_string(),
            Granularity::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Granularity::Month => start.format("%Y-%m").to_string(),
            Granularity::SundayWeek => {
                let jan1 = NaiveDate::from_ymd_opt(start.year(), 1, 1).unwrap_or(start);
                let offset = i64::from(jan1.weekday().num_days_from_sunday());
                format!("{}-W{:02}", start.year(), (start.ordinal0() as i64 + offset) / 7 + 1)
            }
        }
    }

    /// The last day of the period starting on `start`.
    pub fn last_day(self, start: NaiveDate) -> NaiveDate {
        match self {
            Granularity::Day => start,
            Granularity::Week => start + Duration::days(6),
            Granularity::Month => {
                let (y, m) = if start.month() == 12 {
                    (start.year() + 1, 1)
                } else {
                    (start.year(), start.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).map_or(start, |d| d - Duration::days(1))
            }
            Granularity::SundayWeek => {
                let saturday = start + Duration::days(6 - i64::from(start.weekday().num_days_from_sunday()));
                let dec31 = NaiveDate::from_ymd_opt(start.year(), 12, 31).unwrap_or(saturday);
                saturday.min(dec31)
            }
        }
    }
}

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CountStatus {
    /// Confirmed dead.
    Killed,
    /// Missing in action.
    Missing,
}

impl CountStatus {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            CountStatus::Killed => "killed",
            CountStatus::Missing => "missing",
        }
    }

    /// Parses a name (`killed`, `deaths`, `dead`, `kia`; `missing`, `mia`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "killed" | "deaths" | "dead" | "kia" => Some(CountStatus::Killed),
            "missing" | "mia" => Some(CountStatus::Missing),
            _ => None,
        }
    }
}

/// Which series: whose losses, from which list, by which period, and the
/// list's edition (a list whose method changed starts a new edition, never
/// mixed with the old one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountSeries {
    /// Whose losses (`Ukraine`, `Russia`).
    pub subject: String,
    /// The list (`ualosses`, `mediazona`).
    pub source: String,
    /// Period length.
    pub granularity: Granularity,
    /// From 1; a break in the list's method starts the next.
    pub edition: u32,
}

/// One count of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeriodCount {
    /// The period's first day.
    pub period: NaiveDate,
    /// What is counted.
    pub status: CountStatus,
    /// How many.
    pub count: u64,
}

/// A series as published on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vintage {
    /// Which series.
    pub series: CountSeries,
    /// The day it was published (or saved).
    pub vintage: NaiveDate,
    /// Its counts, by period and status.
    pub counts: Vec<PeriodCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_keys_round_trip() {
        for k in ["2025-07-14", "2025-W29", "2025-07", "2022-W09", "2020-W53"] {
            let (g, d) = Granularity::read_key(k).unwrap();
            assert_eq!(g.key(d), k);
        }
        let (g, d) = Granularity::read_key("2025-W29").unwrap();
        assert_eq!(
            (g, d.to_string(), g.last_day(d).to_string()),
            (Granularity::Week, "2025-07-14".into(), "2025-07-20".into())
        );
        assert_eq!(
            Granularity::Month
                .last_day(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap())
                .to_string(),
            "2024-02-29"
        );
        assert_eq!(Granularity::read_key("2025-7"), None);
        // UALosses' weeks: 2022-W09 holds 24 February 2022 (Sunday 20 to
        // Saturday 26); 2022-W53 is Sunday 25 to Saturday 31 December;
        // 2022-W01 is 1 January alone (a Saturday).
        for (k, first, last) in [
            ("2022-W09", "2022-02-20", "2022-02-26"),
            ("2022-W53", "2022-12-25", "2022-12-31"),
            ("2022-W01", "2022-01-01", "2022-01-01"),
            ("2023-W01", "2023-01-01", "2023-01-07"),
        ] {
            let (g, d) = Granularity::read_sunday_key(k).unwrap();
            assert_eq!(
                (g, d.to_string(), g.last_day(d).to_string(), g.key(d)),
                (Granularity::SundayWeek, first.into(), last.into(), k.to_string())
            );
        }
        assert_eq!(Granularity::read_sunday_key("2022-W54"), None);
        assert_eq!(Granularity::read_key("2025-W60"), None);
    }
}
