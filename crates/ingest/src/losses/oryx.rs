//! The Oryx scrape (scarnecchia/oryx_data `event_*.csv`).
//!
//! `date_recorded` is when the scraper first saw the proof link: the
//! published date. The event date is taken from the proof image's file name
//! (`…-destr-23-09-24.jpg` = 23 Sept 2024) where present, else unknown.

use super::{LossParse, columns, reject};
use crate::IngestError;
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, LossStatus};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// The event date encoded as `DD-MM-YY` at the end of a proof file name.
///
/// ```
/// use frontline_ingest::losses::{UrlDate, event_date_from_url, url_date};
/// let oryx_date = |u: &str| match url_date(u) {
///     UrlDate::Absent => "absent",
///     UrlDate::Date(_) => "date",
///     UrlDate::Unreadable => "unreadable",
/// };
/// let d = event_date_from_url("https://i.postimg.cc/x/1032-a50-awacs-destr-14-01-24.jpg");
/// assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2024-01-14"));
/// assert_eq!(event_date_from_url("https://twitter.com/UAWeapons/status/1524489058235387912"), None);
/// assert_eq!(event_date_from_url("https://i.postimg.cc/x/31-02-24.jpg"), None);
/// assert_eq!(event_date_from_url("https://i.postimg.cc/x/1021-t72b3-destr-2022-09-12.jpg").map(|d| d.to_string()).as_deref(), Some("2022-09-12"));
/// // A model name is no date; a three-digit day is no date either (it was
/// // read as the year -113 before).
/// assert_eq!(oryx_date("https://i.postimg.cc/x/1168-BM-27.jpg"), "absent");
/// assert_eq!(oryx_date("https://i.postimg.cc/x/1046-tank-destr-113-08-24.jpg"), "unreadable");
/// ```
pub fn event_date_from_url(url: &str) -> Option<NaiveDate> {
    match url_date(url) {
        UrlDate::Date(d) => Some(d),
        UrlDate::Absent | UrlDate::Unreadable => None,
    }
}

/// What a proof file name says of its event date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlDate {
    /// No date-like tail.
    Absent,
    /// A date.
    Date(NaiveDate),
    /// A date-like tail that is no date (`…-113-08-24`: a three-digit day,
    /// `…-31-02-24`): counted, never guessed.
    Unreadable,
}

/// Reads the date at the end of a proof file name.
pub fn url_date(url: &str) -> UrlDate {
    let Some(name) = url.rsplit('/').next() else {
        return UrlDate::Absent;
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let b = stem.as_bytes();
    let n = b.len();
    // A few names carry an ISO date instead (`…-destr-2022-09-12.jpg`).
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if n >= 10
        && digits(n - 10..n - 6)
        && b[n - 6] == b'-'
        && digits(n - 5..n - 3)
        && b[n - 3] == b'-'
        && digits(n - 2..n)
    {
        let preceded_by_digit = n > 10 && b[n - 11].is_ascii_digit();
        return match NaiveDate::parse_from_str(&stem[n - 10..], "%Y-%m-%d") {
            Ok(d) if !preceded_by_digit => UrlDate::Date(d),
            _ => UrlDate::Unreadable,
        };
    }
    if n < 8 || b[n - 6] != b'-' || b[n - 3] != b'-' {
        return UrlDate::Absent;
    }
    if !(digits(n - 8..n - 6) && digits(n - 5..n - 3) && digits(n - 2..n)) {
        return UrlDate::Absent;
    }
    // `…-113-08-24`: the day has three digits; which two were meant is a guess.
    if n > 8 && b[n - 9].is_ascii_digit() {
        return UrlDate::Unreadable;
    }
    let num = |r: std::ops::Range<usize>| stem[r].parse::<u32>().unwrap_or(0);
    match NaiveDate::from_ymd_opt(2000 + num(n - 2..n) as i32, num(n - 5..n - 3), num(n - 8..n - 6)) {
        Some(d) => UrlDate::Date(d),
        None => UrlDate::Unreadable,
    }
}

/// Parses one `event_*.csv`.
pub fn parse_oryx(file: &Path, bytes: &[u8], recorded: DateTime<Utc>) -> Result<LossParse, IngestError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    let [country, system, status, url, date] =
        columns(file, &headers, ["country", "system", "status", "url", "date_recorded"])?;
    let mut out = LossParse::default();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize| row.get(i).unwrap_or("").trim();
        let bad = |field: &str, why: String| reject(file, line, field, why, &row);
        let Some(st) = LossStatus::parse(get(status)) else {
            out.rejects
                .push(bad("status", format!("`{}` is not a loss status", get(status))));
            continue;
        };
        let published = match NaiveDate::parse_from_str(get(date), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                out.rejects
                    .push(bad("date_recorded", format!("`{}` is not a date", get(date))));
                continue;
            }
        };
        let (side, sys, link) = (get(country), get(system), get(url));
        if side.is_empty() || sys.is_empty() {
            let field = if side.is_empty() { "country" } else { "system" };
            out.rejects.push(reject(file, line, field, "empty", &row));
            continue;
        }
        // A date before the war or "after" its first sighting is a
        // mis-encoded file name (`…-destr-113-08-24.jpg` reads as year 113):
        // the item is kept, without an event date, and counted.
        let event = match url_date(link) {
            UrlDate::Absent => None,
            UrlDate::Date(d) if (frontline_model::limits::war_start()..=published).contains(&d) => Some(d),
            UrlDate::Date(_) | UrlDate::Unreadable => {
                out.dates_unreadable += 1;
                None
            }
        };
        let base = hex16(&format!("{sys}|{}|{link}", st.as_str()));
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { base } else { format!("{base}-{n}") };
        out.items.push(EvidenceItem {
            source: "oryx".into(),
            key,
            side: side.to_lowercase(),
            category: super::classify_system(sys).to_string(),
            model: sys.to_string(),
            status: st,
            count: 1,
            dates: EvidenceDates::new(event, Some(published), recorded),
            location: None,
            proof_urls: if link.is_empty() {
                vec![]
            } else {
                vec![link.to_string()]
            },
        });
    }
    Ok(out)
}

pub(super) fn hex16(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID\n";

    #[test]
    fn reads_rows_with_event_dates() {
        let t = format!(
            "{HEAD}Russia,Russia,190 T-80BV,destroyed,https://i.postimg.cc/a/1-t80bv-destr-14-01-24.jpg,2024-01-20,1,1,1,7-1\n\
             Russia,Russia,BMP-2,destroyed,https://twitter.com/x/status/1,2022-05-06,2,2,1,7-2\n"
        );
        let p = parse_oryx(Path::new("event_destroyed.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert_eq!(p.items.len(), 2);
        assert!(p.rejects.is_empty());
        let tank = &p.items[0];
        assert_eq!(
            (tank.side.as_str(), tank.category.as_str(), tank.status),
            ("russia", "tanks", LossStatus::Destroyed)
        );
        assert_eq!(tank.dates.event.map(|d| d.to_string()).as_deref(), Some("2024-01-14"));
        assert_eq!(
            tank.dates.published.map(|d| d.to_string()).as_deref(),
            Some("2024-01-20")
        );
        assert_eq!(p.items[1].dates.event, None);
    }

    #[test]
    fn bad_rows_are_rejected_with_line_and_field() {
        let t = format!(
            "{HEAD}Russia,Russia,BMP-2,exploded,https://x/1.jpg,2022-05-06,2,2,1,7-2\nRussia,Russia,BMP-2,destroyed,https://x/2.jpg,06/05/2022,2,2,1,7-2\n"
        );
        let p = parse_oryx(Path::new("e.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert!(p.items.is_empty());
        let msgs: Vec<String> = p.rejects.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "e.csv: line 2: field `status`: `exploded` is not a loss status",
                "e.csv: line 3: field `date_recorded`: `06/05/2022` is not a date"
            ]
        );
    }

    #[test]
    fn same_photo_twice_gets_two_stable_keys() {
        let row = "Russia,Russia,BMP-2,destroyed,https://x/1.jpg,2022-05-06,2,2,1,7-2\n";
        let t = format!("{HEAD}{row}{row}");
        let p = parse_oryx(Path::new("e.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert_eq!(p.items.len(), 2);
        assert_ne!(p.items[0].key, p.items[1].key);
        let again = parse_oryx(Path::new("e.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert_eq!(p.items[1].key, again.items[1].key);
    }
}
