//! Record days and streaks of record days.

use crate::{DailyValue, Flag};
use chrono::NaiveDate;
use serde::Serialize;

/// A day whose value exceeded every earlier daily value in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordDay {
    /// The day.
    pub date: NaiveDate,
    /// Its value.
    pub value: i64,
    /// The record it beat; `None` on the window's first day.
    pub previous_record: Option<i64>,
    /// Consecutive record days ending on this day (1 = a lone record).
    pub streak: u32,
    /// Artefacts on the day, `+`-joined (a `catchup` record carries a backlog).
    pub flags: String,
}

/// Record days among `daily` (in date order) on or after `since`.
///
/// Early figures are often rough estimates that later days cannot fairly be
/// compared with; `since` starts the comparison after them. Days without a
/// report of their own (`missing`, `stale`) are never records, and they break
/// a streak.
///
/// ```
/// use chrono::NaiveDate;
/// use frontline_analysis::{records, DailyValue};
/// let d = |day| NaiveDate::from_ymd_opt(2024, 11, day).unwrap();
/// let v = |day, value| DailyValue { date: d(day), value, cumulative: 0, correction: 0, flags: vec![] };
/// let days = [v(10, 5), v(11, 7), v(12, 9), v(13, 2), v(14, 10)];
/// let recs = records(&days, None);
/// let streaks: Vec<_> = recs.iter().map(|r| (r.date.to_string(), r.streak)).collect();
/// assert_eq!(streaks, [("2024-11-10".into(), 1), ("2024-11-11".into(), 2), ("2024-11-12".into(), 3), ("2024-11-14".into(), 1)]);
/// ```
pub fn records(daily: &[DailyValue], since: Option<NaiveDate>) -> Vec<RecordDay> {
    let mut best: Option<i64> = None;
    let mut out: Vec<RecordDay> = Vec::new();
    let reported = |d: &&DailyValue| !d.has(Flag::Missing) && !d.has(Flag::Stale);
    for d in daily
        .iter()
        .filter(|d| since.is_none_or(|s| d.date >= s))
        .filter(reported)
    {
        if best.is_some_and(|b| d.value <= b) {
            continue;
        }
        let streak = match out.last() {
            Some(last) if last.date.succ_opt() == Some(d.date) => last.streak + 1,
            _ => 1,
        };
        out.push(RecordDay {
            date: d.date,
            value: d.value,
            previous_record: best,
            streak,
            flags: d.flags_text(),
        });
        best = Some(d.value);
    }
    out
}
