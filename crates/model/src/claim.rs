//! Claims: what someone said, about which measurable quantity.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a claimed number is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Qualifier {
    /// A plain number ("1,000 km²").
    Exact,
    /// About, around, approximately, nearly.
    About,
    /// More than, over, at least.
    AtLeast,
    /// Up to, less than, under, at most.
    AtMost,
}

impl Qualifier {
    /// Parses the words analysts write (`about`, `more than`, `up to`, …).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_lowercase().as_str() {
            "" | "exact" | "exactly" => Qualifier::Exact,
            "about" | "around" | "approximately" | "roughly" | "nearly" | "almost" | "some" => Qualifier::About,
            "more than" | "over" | "at least" | "at-least" | "more-than" | "above" => Qualifier::AtLeast,
            "up to" | "less than" | "under" | "at most" | "at-most" | "up-to" | "below" => Qualifier::AtMost,
            _ => return None,
        })
    }
}

/// The number claimed: a value or a range, with its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Lower end (the value, for a single number).
    pub low: f64,
    /// Upper end (the value, for a single number).
    pub high: f64,
    /// `km2`, `percent`, `count`, `days`.
    pub unit: String,
    /// How it was qualified.
    pub qualifier: Qualifier,
}

/// What a claim is about, with the parameters that make it measurable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Metric {
    /// Area of a status within an outline on a day (km², or percent of the
    /// outline).
    Area {
        /// Control status.
        status: crate::ControlStatus,
        /// Outline code (`RU`, `UA-09`, `UA:de-facto`), if any.
        within: Option<String>,
        /// The day.
        date: NaiveDate,
    },
    /// The largest that area was on any map up to a day, km²: "at its
    /// peak", "even at its largest" are about the peak, not the day of the
    /// article.
    PeakArea {
        /// Control status.
        status: crate::ControlStatus,
        /// Outline code, if any.
        within: Option<String>,
        /// The last day the peak is looked for.
        date: NaiveDate,
    },
    /// Net change of that area between two days, km².
    AreaChange {
        /// Control status.
        status: crate::ControlStatus,
        /// Outline code, if any.
        within: Option<String>,
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// Settlements (of the gazetteer, any population) inside a status
    /// within an outline on a day.
    Settlements {
        /// Control status.
        status: crate::ControlStatus,
        /// Outline code, if any.
        within: Option<String>,
        /// The day.
        date: NaiveDate,
    },
    /// A claimed cumulative total on a day.
    Cumulative {
        /// Loss category.
        category: String,
        /// The day.
        date: NaiveDate,
    },
    /// A claimed daily value.
    Daily {
        /// Loss category.
        category: String,
        /// The day.
        date: NaiveDate,
    },
    /// A record day, `value` days in a row ending on the day.
    Record {
        /// Loss category.
        category: String,
        /// The day.
        date: NaiveDate,
    },
    /// The population of the largest settlement inside a status within an
    /// outline on a day (people).
    Largest {
        /// Control status.
        status: crate::ControlStatus,
        /// Outline code, if any.
        within: Option<String>,
        /// The day.
        date: NaiveDate,
    },
    /// Geodesic distance from a status's edge on a day to a place of the
    /// gazetteer (km; 0 inside).
    Distance {
        /// Control status.
        status: crate::ControlStatus,
        /// The place's name, as the gazetteer writes it.
        place: String,
        /// The day.
        date: NaiveDate,
    },
    /// Items of per-item loss evidence with an event (or published) date
    /// in a period (each counted as many times as it stands for).
    Evidence {
        /// Only this source (`oryx`, `warspotting`), if given.
        source: Option<String>,
        /// Only this side (`russia`, `ukraine`), if given.
        side: Option<String>,
        /// Only this category (`tanks`), if given.
        category: Option<String>,
        /// Only this status (`destroyed`), if given.
        status: Option<crate::LossStatus>,
        /// Which of an item's dates the period is of.
        by: EvidenceDate,
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// Reporting lag: a quantile of the days from an item's event to its
    /// first publication, over the items published in a period ("reports
    /// usually take one to two weeks": the median over the 12 months
    /// before the claim). Per-item evidence only: a loss list's lag says
    /// nothing of a named-death list's (docs/claims.md).
    Lag {
        /// Only this source (`oryx`, `warspotting`), if given.
        source: Option<String>,
        /// Only this side, if given.
        side: Option<String>,
        /// Only this category, if given.
        category: Option<String>,
        /// The quantile, 0–1 (0.5: the median, what "usually" means).
        quantile: f64,
        /// First day of publication.
        from: NaiveDate,
        /// Last day of publication.
        to: NaiveDate,
    },
}

/// Which date of an evidence item places it in a claim's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceDate {
    /// When the loss happened ("lost in August").
    Event,
    /// When its proof was first published ("documented by 9 February":
    /// the list as it stood that day).
    Published,
}

impl Metric {
    /// The last day the claim is about: a check on the data of the day the
    /// claim was made cannot see past it.
    pub fn last_day(&self) -> NaiveDate {
        match self {
            Metric::Area { date, .. }
            | Metric::PeakArea { date, .. }
            | Metric::Settlements { date, .. }
            | Metric::Cumulative { date, .. }
            | Metric::Daily { date, .. }
            | Metric::Record { date, .. }
            | Metric::Largest { date, .. }
            | Metric::Distance { date, .. } => *date,
            Metric::AreaChange { to, .. } | Metric::Evidence { to, .. } | Metric::Lag { to, .. } => *to,
        }
    }
}

/// One claim, as an analyst records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The analyst's id for it.
    pub id: String,
    /// Who said it.
    pub speaker: String,
    /// Their role or organisation.
    pub role: String,
    /// When it was said.
    pub said_on: NaiveDate,
    /// When the report of it was published, if later or known apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<NaiveDate>,
    /// Where it was published.
    pub source_url: String,
    /// The words, verbatim.
    pub quote: String,
    /// Their language (`en`, `uk`, `ru`).
    pub language: String,
    /// The number.
    pub quantity: Quantity,
    /// What it is about.
    pub metric: Metric,
}
