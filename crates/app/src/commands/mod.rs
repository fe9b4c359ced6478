//! One module per subcommand; each wires a store to the analysis and prints.

pub mod catalog;
pub mod claims;
pub mod counts;
pub mod demo;
pub mod geo;
pub mod import;
pub mod losses;
pub mod series;
pub mod territory;
pub mod tiles;

use crate::error::bail_bad;
use crate::requests::SeriesSelect;
use anyhow::{Result, anyhow};
use frontline_analysis::{DailyValue, DeriveOptions, derive_daily};
use frontline_model::{Category, Claimant, SeriesKey, Subject, TallySeries};
use frontline_store::Store;

/// An `as_of` day as the store takes it (`known_by`): today or earlier,
/// for every query that takes one. A later day would answer with today's
/// knowledge under a date it does not have.
pub(crate) fn known_by(as_of: Option<chrono::NaiveDate>) -> Result<Option<chrono::NaiveDate>> {
    let today = chrono::Utc::now().date_naive();
    match as_of {
        Some(day) if day > today => bail_bad!("as_of {day} is in the future (today is {today})"),
        other => Ok(other),
    }
}

/// Finds the one stored series a selection names, or says why it cannot.
pub fn resolve(store: &dyn Store, select: &SeriesSelect) -> Result<SeriesKey> {
    let category = Category::new(&select.category);
    let claimant = select.claimant.as_deref().map(Claimant::new);
    let subject = select.subject.as_deref().map(Subject::new);
    let catalog = store.tally_keys()?;
    let matching: Vec<&SeriesKey> = catalog
        .iter()
        .filter(|k| k.category == category)
        .filter(|k| claimant.as_ref().is_none_or(|c| &k.claimant == c))
        .filter(|k| subject.as_ref().is_none_or(|s| &k.subject == s))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let mut known: Vec<&str> = catalog.iter().map(|k| k.category.as_str()).collect();
            known.dedup();
            if known.is_empty() {
                return Err(crate::error::UserError::NotFound(
                    "no tallies stored yet; run `frontline import tallies FILE...` first".into(),
                )
                .into());
            }
            Err(crate::error::UserError::NotFound(format!(
                "unknown category `{}` for this selection; stored categories: {}",
                select.category,
                known.join(", ")
            ))
            .into())
        }
        many => {
            let list: Vec<String> = many.iter().map(|k| format!("{}/{}", k.claimant, k.subject)).collect();
            bail_bad!(
                "category `{category}` is claimed by several claimant/subject pairs ({}); name the claimant and the subject",
                list.join(", ")
            )
        }
    }
}

/// Loads a selected series and derives its daily values.
pub fn load_daily(store: &dyn Store, select: &SeriesSelect) -> Result<(TallySeries, Vec<DailyValue>)> {
    let key = resolve(store, select)?;
    let as_of = known_by(select.as_of)?;
    let series = store.tally_series(&key, as_of)?.ok_or_else(|| {
        anyhow!(
            "series {}/{}/{} vanished while reading",
            key.claimant,
            key.subject,
            key.category
        )
    })?;
    if let Some(c) = &series.continues {
        let from: Vec<&str> = c.from.iter().map(Category::as_str).collect();
        tracing::info!(
            "`{}` continues {} (baseline {} on the day before its first figure)",
            key.category,
            from.join(" + "),
            c.baseline
        );
    }
    let daily = derive_daily(
        &series,
        DeriveOptions {
            spread_catchups: select.spread_catchups,
        },
    );
    Ok((series, daily))
}
