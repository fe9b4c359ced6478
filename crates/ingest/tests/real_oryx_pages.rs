//! The two recorded Oryx pages (`recorded-responses/oryx`), read by the page
//! parser, against figures derived independently by
//! `scripts/derive/oryx_pages.py` (Python's html.parser and regular
//! expressions). Skips without `FRONTLINE_DATA`; CI sets it.

use chrono::Utc;
use frontline_ingest::losses::{ORYX_HEADINGS, heading_key, parse_oryx_page};
use frontline_model::LossStatus;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data() -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("FRONTLINE_DATA").map(PathBuf::from) else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            "CI must run this real-data test, but FRONTLINE_DATA is not set"
        );
        eprintln!("skipped: set FRONTLINE_DATA to read the recorded Oryx pages");
        return None;
    };
    Some(dir.join("recorded-responses/oryx"))
}

/// (side, stated total, read total, [destroyed, damaged, abandoned, captured])
/// as `python3 scripts/derive/oryx_pages.py FILE` prints them.
const EXPECTED: [(&str, &str, u64, usize, [usize; 4]); 2] = [
    (
        "borderlands_russia.html",
        "russia",
        10110,
        10111,
        [6581, 312, 394, 2824],
    ),
    ("borderlands_ukraine.html", "ukraine", 3204, 3203, [2067, 183, 88, 865]),
];

#[test]
fn recorded_pages_read_as_derived() {
    let Some(dir) = data() else { return };
    let known: Vec<String> = ORYX_HEADINGS.iter().map(|h| heading_key(h)).collect();
    for (file, side, stated, read, by_status) in EXPECTED {
        let path = dir.join(file);
        let p = parse_oryx_page(&path, &std::fs::read(&path).unwrap(), None, Utc::now()).unwrap();
        assert_eq!((p.side.as_str(), p.stated_total), (side, stated), "{file}");
        assert_eq!(p.parse.items.len(), read, "{file}");
        assert!(p.parse.rejects.is_empty(), "{file}: {:?}", p.parse.rejects.first());
        let mut counts: BTreeMap<LossStatus, usize> = BTreeMap::new();
        for i in &p.parse.items {
            *counts.entry(i.status).or_default() += 1;
        }
        use LossStatus::*;
        let got = [Destroyed, Damaged, Abandoned, Captured].map(|s| counts.get(&s).copied().unwrap_or(0));
        assert_eq!(got, by_status, "{file}");
        assert_eq!(p.categories.len(), 24, "{file}");
        assert!(
            p.categories.iter().all(|c| known.contains(&heading_key(&c.heading))),
            "{file}: every recorded heading is a known one"
        );
        // Keys are unique: one item, one key.
        let keys: std::collections::HashSet<&str> = p.parse.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys.len(), read, "{file}");
    }
    // The Russian page's tanks: the heading states 1,907, one more is
    // proven ("(9, and 10, destroyed)"), as the derivation reads too.
    let path = dir.join("borderlands_russia.html");
    let p = parse_oryx_page(&path, &std::fs::read(&path).unwrap(), None, Utc::now()).unwrap();
    assert_eq!(
        (
            p.categories[0].heading.as_str(),
            p.categories[0].stated,
            p.categories[0].read
        ),
        ("Tanks", 1907, 1908)
    );
}
