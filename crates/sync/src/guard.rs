//! Guardrails: a sync whose result would lower a cumulative figure, or
//! rewrite more than a set share of the figures already stored, is held for
//! a person to review instead of being applied (`frontline review`).

use anyhow::Result;
use frontline_app::commands::territory::import::MapPreview;
use frontline_app::imports::Input;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::{ControlStatus, SeriesKey};
use frontline_store::Store;
use std::collections::{BTreeMap, HashMap};

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
    /// Hold a control map whose occupied or liberated area differs from
    /// the map before it by more than this share (default 10 %: DeepState's
    /// daily changes are tenths of a percent; the Kursk incursion's fastest
    /// week added 2.5 % to the liberated area)…
    pub max_area_change: f64,
    /// …and by more than this many km² (default 500), so small layers
    /// moving by a village do not trip it.
    pub min_area_change_km2: f64,
    /// Hold a reconciliation that finds more than this share of the stored
    /// items of the days it covers gone upstream (default 10 %: lists drop
    /// a duplicate or a mistake now and then, never a tenth of a month)…
    pub max_removed_share: f64,
    /// …and more than this many items (default 10).
    pub min_removed_items: usize,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            max_rewritten_share: 0.01,
            hold_lowered: true,
            max_area_change: 0.10,
            min_area_change_km2: 500.0,
            max_removed_share: 0.10,
            min_removed_items: 10,
        }
    }
}

/// The statuses whose jumps are judged (contested zones are small and
/// change fast by nature).
const JUDGED: [ControlStatus; 2] = [ControlStatus::Occupied, ControlStatus::Liberated];

/// Area jumps between consecutive maps beyond the guardrails: `previous` is
/// the areas of the stored map just before the new ones (none: the first
/// new map is the baseline), `maps` the new ones, oldest first. One line
/// per jump.
pub fn map_jumps(previous: Option<&[(ControlStatus, f64)]>, maps: &[MapPreview], rails: &Guardrails) -> Vec<String> {
    let area = |areas: &[(ControlStatus, f64)], s: ControlStatus| {
        areas.iter().find(|(st, _)| *st == s).map_or(0.0, |(_, a)| *a)
    };
    let (mut before, maps) = match (previous, maps) {
        (Some(p), _) => (p.to_vec(), maps),
        (None, [first, rest @ ..]) => (first.areas.clone(), rest),
        (None, []) => return vec![],
    };
    let mut out = Vec::new();
    for m in maps {
        for s in JUDGED {
            let (old, new) = (area(&before, s), area(&m.areas, s));
            let change = new - old;
            if change.abs() > rails.min_area_change_km2 && change.abs() > rails.max_area_change * old {
                let share = if old > 0.0 {
                    format!("{:+.1} %", change / old * 100.0)
                } else {
                    "from nothing".to_string()
                };
                out.push(format!(
                    "{} {}: {old:.1} → {new:.1} km² ({share})",
                    s.as_str(),
                    m.taken_at.to_rfc3339()
                ));
            }
        }
        before = m.areas.clone();
    }
    out
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
pub fn tally_diff(store: &dyn Store, files: &[Input]) -> Result<TallyDiff> {
    let mut new: BTreeMap<SeriesKey, BTreeMap<chrono::NaiveDate, i64>> = BTreeMap::new();
    for input in files {
        let file = input.open()?;
        let (_, batch) = parse_tallies(&file, TallyFormat::Auto)?;
        for o in batch.observations {
            new.entry(o.key).or_default().insert(o.date, o.cumulative);
        }
    }
    let mut diff = TallyDiff::default();
    for (key, figures) in &new {
        let Some(stored) = store.tally_series(key, None)? else {
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
            ..Default::default()
        };
        assert_eq!(diff(1000, 11, 1).hold_reason(&lenient), None);
        assert_eq!(diff(0, 0, 0).hold_reason(&rails), None, "nothing stored yet");
    }

    #[test]
    fn map_jumps_beyond_both_bounds_are_listed() {
        let t = |d: u32| {
            chrono::DateTime::parse_from_rfc3339(&format!("2025-08-0{d}T20:00:00Z"))
                .unwrap()
                .to_utc()
        };
        let map = |d, occ: f64, lib: f64| MapPreview {
            taken_at: t(d),
            areas: vec![(ControlStatus::Occupied, occ), (ControlStatus::Liberated, lib)],
        };
        let stored = [
            (ControlStatus::Occupied, 114_000.0),
            (ControlStatus::Liberated, 41_000.0),
        ];
        let rails = Guardrails::default();
        // Ordinary days: a few km², and a +400 km² day (under 500 km²).
        let calm = [map(1, 114_010.0, 41_000.0), map(2, 114_410.0, 41_000.0)];
        assert!(map_jumps(Some(&stored), &calm, &rails).is_empty());
        // A map missing most of the occupied area, then back.
        let glitch = [map(1, 60_000.0, 41_000.0), map(2, 114_020.0, 41_000.0)];
        assert_eq!(
            map_jumps(Some(&stored), &glitch, &rails),
            [
                "occupied 2025-08-01T20:00:00+00:00: 114000.0 → 60000.0 km² (-47.4 %)",
                "occupied 2025-08-02T20:00:00+00:00: 60000.0 → 114020.0 km² (+90.0 %)"
            ]
        );
        // A layer that vanishes is a fall to nothing.
        let gone = [MapPreview {
            taken_at: t(3),
            areas: vec![(ControlStatus::Occupied, 114_000.0)],
        }];
        assert_eq!(
            map_jumps(Some(&stored), &gone, &rails),
            ["liberated 2025-08-03T20:00:00+00:00: 41000.0 → 0.0 km² (-100.0 %)"]
        );
        // Nothing stored yet: the first map is the baseline, not a jump.
        assert!(map_jumps(None, &calm, &rails).is_empty());
        assert_eq!(map_jumps(None, &glitch, &rails).len(), 1);
    }
}
