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
    #[serde(default)]
    from: Option<NaiveDate>,
    status: String,
    within: String,
    category: String,
    place: String,
}

/// Per field, how many paired candidates have it right; a candidate is
/// paired with a key row of the same number (or range), one of the same
/// metric first, each row once. Precision of a field is its count over
/// the candidates, recall over the key's rows; `whole` counts the claims
/// right in every field.
#[derive(Debug, Default, PartialEq)]
struct Score {
    candidates: usize,
    keys: usize,
    number: usize,
    metric: usize,
    speaker: usize,
    day: usize,
    qualifier: usize,
    parameters: usize,
    whole: usize,
}

impl Score {
    fn rates(&self) -> String {
        let pr = |n: usize| {
            format!(
                "{:.2}/{:.2}",
                n as f64 / self.candidates.max(1) as f64,
                n as f64 / self.keys.max(1) as f64
            )
        };
        format!(
            "precision/recall: number {}, metric {}, speaker {}, day {}, qualifier {}, parameters {}, whole claim {}",
            pr(self.number),
            pr(self.metric),
            pr(self.speaker),
            pr(self.day),
            pr(self.qualifier),
            pr(self.parameters),
            pr(self.whole)
        )
    }
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
            let n = range(c.value, c.low, c.high);
            let same = |k: &Key| range(k.value, k.low, k.high) == n;
            let hit = keys
                .iter()
                .position(|k| same(k) && k.metric == c.metric)
                .or_else(|| keys.iter().position(same));
            let Some(i) = hit else {
                eprintln!("{}: not a claim of the key: {}", txt.display(), show(c));
                continue;
            };
            let k = keys.remove(i);
            s.number += 1;
            let metric = k.metric == c.metric;
            let speaker = same_speaker(&k.speaker, &c.speaker);
            let day = Some(k.date) == c.date.or(c.to) && (k.from.is_none() || k.from == c.from);
            let qualifier = k.qualifier == c.qualifier;
            let parameters = (k.status.is_empty() || k.status == c.status)
                && (k.within.is_empty() || k.within == c.within)
                && (k.category.is_empty() || k.category == c.category)
                && (k.place.is_empty() || k.place == c.place);
            s.metric += usize::from(metric);
            s.speaker += usize::from(speaker);
            s.day += usize::from(day);
            s.qualifier += usize::from(qualifier);
            s.parameters += usize::from(parameters);
            let whole = metric && speaker && day && qualifier && parameters;
            s.whole += usize::from(whole);
            if !whole {
                eprintln!(
                    "{}: right number, off elsewhere: {} (key: {k:?})",
                    txt.display(),
                    show(c)
                );
            }
        }
        for k in keys {
            eprintln!("{}: missed: {k:?}", txt.display());
        }
    }
    eprintln!("{set}: {s:?}\n{set}: {}", s.rates());
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

/// Every set as today's rules read it: a change in the rules that moves
/// any figure fails here (print them with `cargo test -p frontline-ingest
/// --test extract_eval -- --nocapture`). The held-out sets' once-only
/// scores, before their misses were fixed, are in docs/claims.md.
#[test]
fn extraction_on_every_set() {
    let all = |n: usize| Score {
        candidates: n,
        keys: n,
        number: n,
        metric: n,
        speaker: n,
        day: n,
        qualifier: n,
        parameters: n,
        whole: n,
    };
    assert_eq!(score("dev"), all(14));
    assert_eq!(score("dev-2"), all(22));
    assert_eq!(score("held-out-2"), all(12));
    assert_eq!(score("held-out-4"), all(8));
    assert_eq!(score("held-out-5"), all(7));
    // "in late August" names no day (the key has the 27th).
    assert_eq!(
        score("held-out-3"),
        Score {
            day: 7,
            whole: 7,
            ..all(8)
        }
    );
    // The first held-out set: a status and region not in the sentence, a
    // total read as a daily figure ("bringing the total to nearly 770,000"
    // beside "over the past day") and a category carried over wrongly.
    assert_eq!(
        score("held-out"),
        Score {
            metric: 12,
            parameters: 10,
            whole: 9,
            ..all(13)
        }
    );
}
