//! Verdicts: a claimed quantity against the measured value.
//!
//! Rules (docs/claims.md):
//! * a plain number is **supported** within 2 % of the measure, or within
//!   half its own rounding (a "1,000" is rounded to the hundred at least:
//!   ±50) but never more than 5 % (a "10 km" is not 5–15 km), whichever is
//!   wider;
//! * "about" widens that to 10 % (an "about 1,000" is not refuted by 960);
//! * "more than" / "at least" is supported when the measure reaches the
//!   number less the plain tolerance; "up to" / "less than" when it does
//!   not pass the number plus it;
//! * a range is supported when the measure lies within it, tolerances
//!   applied at both ends;
//! * otherwise the claim is **overstated** (it says more than measured) or
//!   **understated** (less); when the measure has the opposite sign of a
//!   non-zero claim (a gain claimed, a loss measured) it is
//!   **contradicted**;
//! * a count of places from a gazetteer that does not hold every place
//!   (GeoNames' cities500 holds places of 500 people or more) is a lower
//!   bound: a claim at or above it is **consistent**, one below it
//!   understated; it is never overstated ([`verdict_at_least`],
//!   [`count_floor`]).

use frontline_model::{GazetteerCoverage, Qualifier, Quantity};
use serde::Serialize;

/// The outcome of checking one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The measure agrees, within the rules' tolerance.
    Supported,
    /// The claim says more than was measured.
    Overstated,
    /// The claim says less than was measured.
    Understated,
    /// The measure points the other way.
    Contradicted,
    /// The measure is a lower bound ("at least N": a gazetteer without the
    /// smallest places) and the claim does not fall short of it: not
    /// refuted, not confirmed; the reason names the gazetteer's limit.
    Consistent,
    /// Nothing to measure it against (no data for the day, a metric open
    /// sources do not measure); the reason says which.
    NotCheckable,
}

/// Relative tolerance of a plain number.
pub const PLAIN: f64 = 0.02;
/// Relative tolerance of an "about".
pub const ABOUT: f64 = 0.10;
/// The most a number's own rounding widens its tolerance, relatively: a
/// round "1,000" stands for 950–1,050, a "100" for 95–105, not 50–150.
pub const ROUNDING_CAP: f64 = 0.05;

/// Half the rounding unit a number shows: 1,000 → 50, 1,250 → 5, 7 → 0.5.
pub fn rounding_half(v: f64) -> f64 {
    let v = v.abs();
    if v < 1.0 || v.fract() != 0.0 {
        return 0.0;
    }
    let mut unit: f64 = 1.0;
    let mut n = v as u64;
    while n > 0 && n.is_multiple_of(10) {
        n /= 10;
        unit *= 10.0;
    }
    // A round hundred or thousand is rounded to that: "1,000" is 950–1,050.
    unit.min(100.0) / 2.0
}

/// The verdict on `claimed` given the `measured` value (same unit).
pub fn verdict(claimed: &Quantity, measured: f64) -> Verdict {
    let rel = match claimed.qualifier {
        Qualifier::About => ABOUT,
        _ => PLAIN,
    };
    let tol = |v: f64| (v.abs() * rel).max(rounding_half(v).min(v.abs() * ROUNDING_CAP));
    let (lo, hi) = (claimed.low, claimed.high);
    let claimed_sign = if hi > 0.0 && lo >= 0.0 {
        1.0
    } else if lo < 0.0 && hi <= 0.0 {
        -1.0
    } else {
        0.0
    };
    if claimed_sign != 0.0 && measured * claimed_sign < 0.0 && measured.abs() > tol(measured) {
        return Verdict::Contradicted;
    }
    let (min, max) = match claimed.qualifier {
        Qualifier::AtLeast => (lo - tol(lo), f64::INFINITY),
        Qualifier::AtMost => (f64::NEG_INFINITY, hi + tol(hi)),
        Qualifier::Exact | Qualifier::About => (lo - tol(lo), hi + tol(hi)),
    };
    if measured < min {
        Verdict::Overstated
    } else if measured > max {
        Verdict::Understated
    } else {
        Verdict::Supported
    }
}

/// The verdict on `claimed` when the measure is only a lower bound: below
/// it (less the plain tolerance) the claim is understated, else
/// consistent — never overstated, since what was not counted may be there.
pub fn verdict_at_least(claimed: &Quantity, at_least: f64) -> Verdict {
    match verdict(claimed, at_least) {
        Verdict::Understated => Verdict::Understated,
        _ => Verdict::Consistent,
    }
}

/// How complete a count of places is, given the gazetteers it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum CountFloor {
    /// A gazetteer of every populated place covers each country counted.
    Complete,
    /// Places under `min_population` people may be missing (the smallest
    /// floor among the gazetteers covering the countries counted).
    Below {
        /// The population below which places may be missing.
        min_population: u64,
        /// The gazetteer that sets it, by file name.
        gazetteer: String,
    },
    /// No gazetteer states what it holds.
    Unknown,
}

impl CountFloor {
    /// "at least N" and why, for a check's reason; none when complete.
    pub fn reason(&self, n: usize) -> Option<String> {
        match self {
            CountFloor::Complete => None,
            CountFloor::Below {
                min_population,
                gazetteer,
            } => Some(format!(
                "at least {n}: the gazetteer ({gazetteer}) holds places of {min_population} people or more; smaller villages are not counted"
            )),
            CountFloor::Unknown => Some(format!(
                "at least {n}: no imported gazetteer states which places it holds (import places --min-population N, or a GeoNames country dump with --format geonames)"
            )),
        }
    }
}

/// How complete a count of places in `countries` is, from the gazetteers
/// imported (name and coverage, in import order): complete when, for each
/// country, a gazetteer holding every populated place covers it; else the
/// smallest stated floor among those covering them; else unknown. A
/// gazetteer that lists no countries is taken to cover any.
pub fn count_floor(gazetteers: &[(String, GazetteerCoverage)], countries: &[String]) -> CountFloor {
    let covers =
        |c: &GazetteerCoverage, country: &str| c.countries.is_empty() || c.countries.iter().any(|x| x == country);
    let complete = |country: &str| {
        gazetteers
            .iter()
            .any(|(_, c)| c.min_population == Some(0) && covers(c, country))
    };
    if !countries.is_empty() && countries.iter().all(|c| complete(c)) {
        return CountFloor::Complete;
    }
    // Countries not covered completely: the floor is the smallest stated
    // among the gazetteers that cover any of them.
    let open: Vec<&String> = countries.iter().filter(|c| !complete(c)).collect();
    gazetteers
        .iter()
        .filter(|(_, c)| open.is_empty() || open.iter().any(|o| covers(c, o)))
        .filter_map(|(name, c)| c.min_population.map(|m| (m, name)))
        .min_by_key(|(m, _)| *m)
        .map_or(CountFloor::Unknown, |(m, name)| {
            if m == 0 {
                CountFloor::Complete
            } else {
                CountFloor::Below {
                    min_population: m,
                    gazetteer: name.clone(),
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer(name: &str, min: Option<u64>, countries: &[&str]) -> (String, GazetteerCoverage) {
        (
            name.into(),
            GazetteerCoverage {
                min_population: min,
                countries: countries.iter().map(|c| c.to_string()).collect(),
                ..Default::default()
            },
        )
    }

    #[test]
    fn a_count_is_complete_only_where_a_gazetteer_holds_every_place() {
        let towns = gazetteer("cities500.csv", Some(500), &["RU", "UA"]);
        let names = gazetteer("place_names.csv", None, &[]);
        let ua = gazetteer("UA.txt", Some(0), &["UA"]);
        let ru = ["RU".to_string()];
        let below = CountFloor::Below {
            min_population: 500,
            gazetteer: "cities500.csv".into(),
        };
        assert_eq!(count_floor(&[towns.clone(), names.clone()], &ru), below);
        // Ukraine's dump does not complete a count in Russia…
        assert_eq!(count_floor(&[towns.clone(), ua.clone()], &ru), below);
        // …but does in Ukraine, and Russia's with it in both.
        assert_eq!(
            count_floor(&[towns.clone(), ua.clone()], &["UA".into()]),
            CountFloor::Complete
        );
        let both = ["RU".to_string(), "UA".to_string()];
        assert_eq!(count_floor(&[towns.clone(), ua.clone()], &both), below);
        let ru_dump = gazetteer("RU.txt", Some(0), &["RU"]);
        assert_eq!(count_floor(&[towns, ua, ru_dump], &both), CountFloor::Complete);
        assert_eq!(count_floor(&[names], &ru), CountFloor::Unknown);
        assert_eq!(count_floor(&[], &ru), CountFloor::Unknown);
    }

    #[test]
    fn a_lower_bound_is_never_overstated() {
        use Qualifier::*;
        let few_dozen = Quantity {
            low: 24.0,
            high: 60.0,
            unit: "count".into(),
            qualifier: Exact,
        };
        // "A few dozen villages" against the 2 towns of 500 people or more.
        assert_eq!(verdict(&few_dozen, 2.0), Verdict::Overstated);
        assert_eq!(verdict_at_least(&few_dozen, 2.0), Verdict::Consistent);
        // Below what even the towns alone count: understated.
        assert_eq!(verdict_at_least(&q(1.0, 1.0, Exact), 4.0), Verdict::Understated);
        assert_eq!(verdict_at_least(&q(4.0, 4.0, Exact), 4.0), Verdict::Consistent);
    }

    fn q(low: f64, high: f64, qualifier: Qualifier) -> Quantity {
        Quantity {
            low,
            high,
            unit: "km2".into(),
            qualifier,
        }
    }

    #[test]
    fn qualifiers_and_tolerances() {
        use Qualifier::*;
        use Verdict::*;
        // "about 1,000" is not refuted by 960, is by 850.
        assert_eq!(verdict(&q(1000.0, 1000.0, About), 960.0), Supported);
        assert_eq!(verdict(&q(1000.0, 1000.0, About), 850.0), Overstated);
        assert_eq!(verdict(&q(1000.0, 1000.0, About), 1150.0), Understated);
        // A plain round 1,000 stands for 950–1,050.
        assert_eq!(verdict(&q(1000.0, 1000.0, Exact), 960.0), Supported);
        assert_eq!(verdict(&q(1000.0, 1000.0, Exact), 940.0), Overstated);
        // A precise 1,234 gets 2 %.
        assert_eq!(verdict(&q(1234.0, 1234.0, Exact), 1215.0), Supported);
        assert_eq!(verdict(&q(1234.0, 1234.0, Exact), 1200.0), Overstated);
        assert_eq!(verdict(&q(1234.0, 1234.0, Exact), 1150.0), Overstated);
        // "more than 1,000": 1,200 supports, 300 does not; "up to 1,000": 300 does.
        assert_eq!(verdict(&q(1000.0, 1000.0, AtLeast), 1200.0), Supported);
        assert_eq!(verdict(&q(1000.0, 1000.0, AtLeast), 300.0), Overstated);
        assert_eq!(verdict(&q(1000.0, 1000.0, AtMost), 300.0), Supported);
        assert_eq!(verdict(&q(1000.0, 1000.0, AtMost), 1300.0), Understated);
        // A small round number is not widened past 5 %: "less than 10 km"
        // is not borne out by 15, "100 settlements" not by 90.
        assert_eq!(verdict(&q(10.0, 10.0, AtMost), 10.4), Supported);
        assert_eq!(verdict(&q(10.0, 10.0, AtMost), 14.99), Understated);
        assert_eq!(verdict(&q(100.0, 100.0, Exact), 96.0), Supported);
        assert_eq!(verdict(&q(100.0, 100.0, Exact), 90.0), Overstated);
        // A range.
        assert_eq!(verdict(&q(800.0, 900.0, Exact), 850.0), Supported);
        assert_eq!(verdict(&q(800.0, 900.0, Exact), 700.0), Overstated);
        // A gain claimed, a loss measured.
        assert_eq!(verdict(&q(40.0, 40.0, Exact), -120.0), Contradicted);
        assert_eq!(verdict(&q(40.0, 40.0, Exact), 0.0), Overstated);
    }

    #[test]
    fn rounding() {
        assert_eq!(rounding_half(1000.0), 50.0);
        assert_eq!(rounding_half(1250.0), 5.0);
        assert_eq!(rounding_half(7.0), 0.5);
        assert_eq!(rounding_half(99.5), 0.0);
    }
}
