//! Precision and recall of `claims extract` on articles annotated by hand
//! (tests/fixtures/articles/README.md). A candidate is right when its
//! metric and number (or range) are an answer key row's; each row is
//! matched once. Of the right ones, the speaker (either name containing
//! the other, case-insensitively), the day, the qualifier and the guessed
//! parameters are scored too. The figures are those in docs/claims.md:
//! a change in the rules that moves them fails here.

use chrono::NaiveDate;
use frontline_ingest::claims_extract::{Candidate, extract};
use std::path::Path;

#[derive(Debug, serde::Deserialize)]
struct Key {
    metric: String,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    qualifier: String,
    speaker: String,
    date: NaiveDate,
    status: String,
    within: String,
    category: String,
    place: String,
}

#[derive(Debug, Default, PartialEq)]
struct Score {
    candidates: usize,
    keys: usize,
    right: usize,
    speaker: usize,
    date: usize,
    qualifier: usize,
    parameters: usize,
}

fn range(v: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> (f64, f64) {
    match (v, lo, hi) {
        (Some(v), _, _) => (v, v),
        (None, Some(l), Some(h)) => (l, h),
        _ => (f64::NAN, f64::NAN),
    }
}

fn same_speaker(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    (a.is_empty() && b.is_empty()) || (!a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a)))
}

fn score(set: &str) -> Score {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(set);
    let mut s = Score::default();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    for txt in names {
        let raw = std::fs::read_to_string(&txt).unwrap();
        let (head, body) = raw.split_once('\n').unwrap();
        let said_on: NaiveDate = head["Said on ".len().."Said on ".len() + 10].parse().unwrap();
        let got = extract(body, said_on);
        let mut keys: Vec<Key> = csv::Reader::from_path(txt.with_extension("csv"))
            .unwrap()
            .deserialize()
            .map(Result::unwrap)
            .collect();
        s.candidates += got.len();
        s.keys += keys.len();
        for c in &got {
            let (lo, hi) = range(c.value, c.low, c.high);
            let hit = keys
                .iter()
                .position(|k| k.metric == c.metric && range(k.value, k.low, k.high) == (lo, hi));
            let Some(i) = hit else {
                eprintln!("{}: not a claim of the key: {}", txt.display(), show(c));
                continue;
            };
            let k = keys.remove(i);
            s.right += 1;
            s.speaker += usize::from(same_speaker(&k.speaker, &c.speaker));
            s.date += usize::from(Some(k.date) == c.date.or(c.to));
            s.qualifier += usize::from(k.qualifier == c.qualifier);
            let parameters = (k.status.is_empty() || k.status == c.status)
                && (k.within.is_empty() || k.within == c.within)
                && (k.category.is_empty() || k.category == c.category)
                && (k.place.is_empty() || k.place == c.place);
            s.parameters += usize::from(parameters);
            if !parameters || !same_speaker(&k.speaker, &c.speaker) || Some(k.date) != c.date.or(c.to) {
                eprintln!(
                    "{}: right claim, off in speaker, day or parameters: {} (key: {k:?})",
                    txt.display(),
                    show(c)
                );
            }
        }
        for k in keys {
            eprintln!("{}: missed: {k:?}", txt.display());
        }
    }
    eprintln!("{set}: {s:?}");
    s
}

fn show(c: &Candidate) -> String {
    format!(
        "{} {:?}/{:?}-{:?} {} {} [{}] on {:?} status={} within={} category={} place={}",
        c.metric,
        c.value,
        c.low,
        c.high,
        c.qualifier,
        c.unit,
        c.speaker,
        c.date,
        c.status,
        c.within,
        c.category,
        c.place
    )
}

/// The articles the rules were written on: all right, as they should be.
#[test]
fn extraction_on_the_rules_articles() {
    let s = score("dev");
    assert_eq!(
        s,
        Score {
            candidates: 14,
            keys: 14,
            right: 14,
            speaker: 14,
            date: 14,
            qualifier: 14,
            parameters: 14
        }
    );
}

/// Written before the rules and scored once: precision 12/13, recall
/// 12/13 (a "bringing the total to nearly 770,000" read as a daily figure);
/// of the 12, "he had put the area at 1,263" (and 93 settlements) takes
/// "he" for the speaker, and 3 miss a parameter (a status or region not in
/// the sentence, a category carried over wrongly).
#[test]
fn extraction_on_held_out_articles() {
    let s = score("held-out");
    assert_eq!(
        s,
        Score {
            candidates: 13,
            keys: 13,
            right: 12,
            speaker: 10,
            date: 12,
            qualifier: 12,
            parameters: 9
        }
    );
}
