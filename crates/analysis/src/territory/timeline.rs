//! Which snapshot stands for a day.
//!
//! Rule: day D is shown by the **latest snapshot published on or before the
//! end of D (23:59:59 UTC)**. A day without a snapshot of its own carries the
//! previous one forward (the last known state); callers report which
//! snapshot they used so a carried day is visible.

use chrono::{DateTime, NaiveDate, Utc};

/// Index into `times` (ascending publication times) of the snapshot that
/// stands for `day`, or `None` before the first snapshot.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use frontline_analysis::territory::snapshot_for_day;
/// let t = [Utc.with_ymd_and_hms(2024, 8, 1, 20, 0, 0).unwrap(), Utc.with_ymd_and_hms(2024, 8, 3, 9, 0, 0).unwrap()];
/// let d = |day| NaiveDate::from_ymd_opt(2024, 8, day).unwrap();
/// assert_eq!(snapshot_for_day(&t, d(1)), Some(0));
/// assert_eq!(snapshot_for_day(&t, d(2)), Some(0)); // carried forward
/// assert_eq!(snapshot_for_day(&t, d(3)), Some(1));
/// assert_eq!(snapshot_for_day(&t, NaiveDate::from_ymd_opt(2024, 7, 31).unwrap()), None);
/// ```
pub fn snapshot_for_day(times: &[DateTime<Utc>], day: NaiveDate) -> Option<usize> {
    let end = day.succ_opt()?.and_hms_opt(0, 0, 0)?.and_utc();
    let after = times.partition_point(|t| *t < end);
    after.checked_sub(1)
}
