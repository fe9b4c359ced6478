//! Every answer as of a past day, and what changed between two days.
//!
//! `as_of` is one parameter of every query, not a field of each request:
//! the query runs on the store as known at the end of that day
//! ([`frontline_store::KnownBy`]) and answers as Frontline would have then.
//! `diff` (`commands::diff`) runs one query at two days and compares the
//! rows.

use crate::error::UserError;
use anyhow::Result;
use chrono::NaiveDate;
use frontline_store::Store;

/// A knowledge day as a parameter gives it: `YYYY-MM-DD`, today or
/// earlier, or `today` (`None`: now). `param` names the parameter in the
/// error, so a user knows which of two days was wrong.
pub fn parse_day(param: &str, text: &str) -> Result<Option<NaiveDate>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("today") {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| UserError::BadRequest(format!("`{param}` must be a day (YYYY-MM-DD) or `today`, not `{text}`")))?;
    let today = chrono::Utc::now().date_naive();
    if day > today {
        return Err(UserError::BadRequest(format!("`{param}` {day} is in the future (today is {today})")).into());
    }
    // Today's knowledge is everything stored: no view needed.
    Ok((day < today).then_some(day))
}

/// Runs `f` on the store as known at the end of `day`, or on the store
/// itself for now.
pub fn on<T>(store: &mut dyn Store, day: Option<NaiveDate>, f: impl FnOnce(&mut dyn Store) -> Result<T>) -> Result<T> {
    match day {
        Some(day) => f(&mut frontline_store::KnownBy::new(store, day)),
        None => f(store),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_today_and_the_future_refused_naming_the_parameter() {
        let today = chrono::Utc::now().date_naive();
        assert_eq!(parse_day("as_of", "today").unwrap(), None);
        assert_eq!(parse_day("as_of", &today.to_string()).unwrap(), None);
        assert_eq!(
            parse_day("as_of", "2024-12-01").unwrap(),
            NaiveDate::from_ymd_opt(2024, 12, 1)
        );
        let e = parse_day("against", "2999-01-01").unwrap_err().to_string();
        assert!(e.contains("`against`") && e.contains("future"), "{e}");
        let e = parse_day("as_of", "last-week").unwrap_err().to_string();
        assert!(e.contains("`as_of`") && e.contains("last-week"), "{e}");
    }
}
