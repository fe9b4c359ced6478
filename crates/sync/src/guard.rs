//! Guardrails: a sync whose result would lower a cumulative figure, or
//! rewrite more than a set share of the figures already stored, is held for
//! a person to review instead of being applied (`frontline review`).

use anyhow::Result;
use frontline_ingest::SourceFile;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::SeriesKey;
use frontline_store::Store;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// When a sync is held rather than applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guardrails {
    /// Hold when more than this share of the stored figures a sync repeats
    /// would change (default 1 %: the General Staff's dataset revises a
    /// handful of days a year).
    pub max_rewritten_share: f64,
    /// Hold when any cumulative figure would go down (default on: a
    /// cumulative count of losses cannot fall; a fall is a typo, a glitch
    /// or a changed definition, and a person should say which).
    pub hold_lowered: bool,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            max_rewritten_share: 0.01,
            hold_lowered: true,
        }
    }
}

/// What applying new tally files would do to the stored figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TallyDiff {
    /// Stored figures the files repeat (same series, same day).
    pub compared: usize,
    /// Of those, how many would change.
    pub rewritten: usize,
    /// Of those, how many would go down.
    pub lowered: usize,
    /// One line per change, `category day: old → new`, in series and day order.
    pub lines: Vec<String>,
}

impl TallyDiff {
    /// Why `rails` hold this, if they do.
    pub fn hold_reason(&self, rails: &Guardrails) -> Option<String> {
        let share = self.rewritten as f64 / self.compared.max(1) as f64;
        let mut why = Vec::new();
        if rails.hold_lowered && self.lowered > 0 {
            why.push(format!("lowers {} cumulative figures", self.lowered));
        }
        if share > rails.max_rewritten_share {
            why.push(format!(
                "rewrites {} of {} stored figures ({:.1} %, more than {:.1} %)",
                self.rewritten,
                self.compared,
                share * 100.0,
                rails.max_rewritten_share * 100.0
            ));
        }
        (!why.is_empty()).then(|| why.join("; "))
    }
}

/// Compares the cumulative figures of tally `files` with the stored ones.
pub fn tally_diff(store: &dyn Store, files: &[PathBuf]) -> Result<TallyDiff> {
    let mut new: BTreeMap<SeriesKey, BTreeMap<chrono::NaiveDate, i64>> = BTreeMap::new();
    for path in files {
        let file = SourceFile::read(path)?;
        let (_, batch) = parse_tallies(&file, TallyFormat::Auto)?;
        for o in batch.observations {
            new.entry(o.key).or_default().insert(o.date, o.cumulative);
        }
    }
    let mut diff = TallyDiff::default();
    for (key, figures) in &new {
        let Some(stored) = store.tally_series(key)? else {
            continue;
        };
        let stored: HashMap<chrono::NaiveDate, i64> = stored.points.iter().map(|p| (p.date, p.cumulative)).collect();
        for (day, value) in figures {
            let Some(old) = stored.get(day) else { continue };
            diff.compared += 1;
            if old != value {
                diff.rewritten += 1;
                diff.lowered += usize::from(value < old);
                diff.lines
                    .push(format!("{} {day}: {old} → {value}", key.category.as_str()));
            }
        }
    }
    Ok(diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(compared: usize, rewritten: usize, lowered: usize) -> TallyDiff {
        TallyDiff {
            compared,
            rewritten,
            lowered,
            lines: vec![],
        }
    }

    #[test]
    fn held_when_a_figure_falls_or_too_many_change() {
        let rails = Guardrails::default();
        assert_eq!(diff(1000, 10, 0).hold_reason(&rails), None, "1 % is allowed");
        assert_eq!(
            diff(1000, 11, 0).hold_reason(&rails).as_deref(),
            Some("rewrites 11 of 1000 stored figures (1.1 %, more than 1.0 %)")
        );
        assert_eq!(
            diff(1000, 1, 1).hold_reason(&rails).as_deref(),
            Some("lowers 1 cumulative figures")
        );
        let lenient = Guardrails {
            max_rewritten_share: 0.5,
            hold_lowered: false,
        };
        assert_eq!(diff(1000, 11, 1).hold_reason(&lenient), None);
        assert_eq!(diff(0, 0, 0).hold_reason(&rails), None, "nothing stored yet");
    }
}
