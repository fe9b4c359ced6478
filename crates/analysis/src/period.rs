//! Sums of daily values over weeks and months.

use crate::DailyValue;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The length of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// One calendar day.
    #[default]
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

/// A period as a named list's counts are binned (a vintage's granularity).
impl From<Period> for frontline_model::Granularity {
    fn from(p: Period) -> Self {
        match p {
            Period::Day => Self::Day,
            Period::Week => Self::Week,
            Period::Month => Self::Month,
        }
    }
}

impl Period {
    /// The first day of the period containing `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use frontline_analysis::Period;
    /// let d = NaiveDate::from_ymd_opt(2024, 11, 14).unwrap(); // a Thursday
    /// assert_eq!(Period::Week.start(d), NaiveDate::from_ymd_opt(2024, 11, 11).unwrap());
    /// assert_eq!(Period::Month.start(d), NaiveDate::from_ymd_opt(2024, 11, 1).unwrap());
    /// ```
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            other => Err(format!("unknown period `{other}` (expected day, week or month)")),
        }
    }
}

/// The sum of one period's daily values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodValue {
    /// First day of the period.
    pub date: NaiveDate,
    /// Sum of the daily values.
    pub value: i64,
    /// Days of the period the series covers (fewer at its ends).
    pub days: u32,
    /// Days in the period flagged missing or stale.
    pub unreported_days: u32,
}

/// Sums daily values (in date order) by period.
pub fn aggregate(daily: &[DailyValue], period: Period) -> Vec<PeriodValue> {
    let mut out: Vec<PeriodValue> = Vec::new();
    for d in daily {
        let start = period.start(d.date);
        let unreported = u32::from(d.has(crate::Flag::Missing) || d.has(crate::Flag::Stale));
        match out.last_mut() {
            Some(last) if last.date == start => {
                last.value += d.value;
                last.days += 1;
                last.unreported_days += unreported;
            }
            _ => out.push(PeriodValue {
                date: start,
                value: d.value,
                days: 1,
                unreported_days: unreported,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::Granularity;

    /// `backtest --counts --period week` bins the named list by week.
    #[test]
    fn each_period_is_the_granularity_of_the_same_name() {
        for (p, g) in [
            (Period::Day, Granularity::Day),
            (Period::Week, Granularity::Week),
            (Period::Month, Granularity::Month),
        ] {
            assert_eq!(Granularity::from(p), g);
        }
    }
}
