//! One module per subcommand; each wires a store to the analysis and prints.

pub mod breaks;
pub mod catalog;
pub mod claims;
pub mod counts;
pub mod demo;
pub mod diff;
pub mod events;
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

/// Finds the one stored series a selection names, or says why it cannot.
pub fn resolve(store: &dyn Store, select: &SeriesSelect) -> Result<SeriesKey> {
    let category = Category::new(&select.category);
    let claimant = select.claimant.as_deref().map(Claimant::new);
    let subject = select.subject.as_deref().map(Subject::new);
    let catalog = store.tally_keys(None)?;
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
                return Err(crate::error::UserError::NotFound(match store.known_by() {
                    Some(day) => {
                        format!("no tally had been published by {day} (as_of): nothing to answer as of that day")
                    }
                    None => "no tallies stored yet; run `frontline import tallies FILE...` first".into(),
                })
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
    let series = store.tally_series(&key, None)?.ok_or_else(|| {
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
