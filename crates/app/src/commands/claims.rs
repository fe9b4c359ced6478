//! `claims check`: every claim against the evidence, with the measured
//! value, the exact query it came from, and a verdict (docs/claims.md).

use crate::answers::{ClaimCheck, SeriesAnswer};
use crate::commands::{series, territory as terr};
use crate::error::UserError;
use crate::requests::{AreaRequest, ChangeRequest, RecordsRequest, SeriesRequest};
use anyhow::Result;
use frontline_analysis::Period;
use frontline_analysis::claims::{Verdict, verdict};
use frontline_model::{Claim, Metric, Qualifier};
use frontline_store::Store;

/// Records are compared from this day on, as on the page: the first
/// weeks' figures were rough estimates, the largest daily values of the war.
pub const RECORDS_SINCE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2022, 4, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// A measure and how it was made, or why there is none.
type Measure = std::result::Result<(f64, String), String>;

/// Imports a claims file (CSV or JSON) into the ledger: one transaction; a
/// claim changed since its last import gets a new version.
pub fn import(store: &mut dyn Store, path: &std::path::Path) -> Result<Vec<crate::answers::ImportRow>> {
    let file = frontline_ingest::SourceFile::read(path)?;
    let claims = frontline_ingest::claims::parse_claims(path, &file.bytes)?;
    let meta = frontline_model::SourceMeta {
        location: crate::commands::location(path),
        sha256: file.sha256.clone(),
        bytes_sha256: None,
        kind: frontline_model::SourceKind::Claims,
        imported_at: chrono::Utc::now(),
    };
    let report = store.import_claims(&meta, &claims)?;
    Ok(crate::commands::import::import_rows(&[report]))
}

/// Checks every claim of the ledger on the data stored now.
pub fn check_stored(store: &mut dyn Store) -> Result<Vec<ClaimCheck>> {
    let claims: Vec<Claim> = store.claims()?.into_iter().map(|c| c.claim).collect();
    if claims.is_empty() {
        crate::error::bail_missing!("no claims stored yet; run `frontline claims import FILE` first");
    }
    check(store, &claims)
}

/// Most claims one check measures: each can cost an area computation over
/// a map, so a request's cost stays bounded; a larger ledger is checked
/// by file, a part at a time.
pub const MAX_CLAIMS: usize = 1_000;

/// Checks every claim on the data stored now.
pub fn check(store: &mut dyn Store, claims: &[Claim]) -> Result<Vec<ClaimCheck>> {
    if claims.len() > MAX_CLAIMS {
        return Err(UserError::BadRequest(format!(
            "{} claims to check, more than {MAX_CLAIMS} at once; check them by file, a part at a time",
            claims.len()
        ))
        .into());
    }
    claims
        .iter()
        .map(|c| {
            let measured = measure(store, c)?;
            let (verdict, value, method, reason) = match measured {
                Ok((m, method)) => {
                    let v = match c.metric {
                        // Not a record day at all: the claim is wrong, not just high.
                        Metric::Record { .. } if m == 0.0 => Verdict::Contradicted,
                        _ => verdict(&c.quantity, m),
                    };
                    (v, Some((m * 1000.0).round() / 1000.0), method, String::new())
                }
                Err(why) => (Verdict::NotCheckable, None, String::new(), why),
            };
            Ok(ClaimCheck {
                id: c.id.clone(),
                speaker: c.speaker.clone(),
                said_on: c.said_on,
                quote: c.quote.clone(),
                claimed: claimed(c),
                metric: describe(&c.metric),
                measured: value,
                method,
                verdict,
                reason,
                source_url: c.source_url.clone(),
            })
        })
        .collect()
}

/// "about 1000 km2", "800–900 km2", "more than 3 days".
fn claimed(c: &Claim) -> String {
    let q = &c.quantity;
    let n = if q.low == q.high {
        format!("{}", q.low)
    } else {
        format!("{}–{}", q.low, q.high)
    };
    let how = match q.qualifier {
        Qualifier::Exact => "",
        Qualifier::About => "about ",
        Qualifier::AtLeast => "at least ",
        Qualifier::AtMost => "at most ",
    };
    format!("{how}{n} {}", q.unit)
}

fn describe(m: &Metric) -> String {
    let within = |w: &Option<String>| w.as_ref().map(|w| format!(" within {w}")).unwrap_or_default();
    match m {
        Metric::Area {
            status,
            within: w,
            date,
        } => format!("{status} area{} on {date}", within(w)),
        Metric::AreaChange {
            status,
            within: w,
            from,
            to,
        } => format!("net change of the {status} area{} from {from} to {to}", within(w)),
        Metric::Settlements {
            status,
            within: w,
            date,
        } => format!("settlements {status}{} on {date}", within(w)),
        Metric::Cumulative { category, date } => format!("cumulative {category} on {date}"),
        Metric::Daily { category, date } => format!("daily {category} on {date}"),
        Metric::Record { category, date } => format!("record {category} days running to {date}"),
    }
}

/// The measure, or why there is none; a store fault is an error.
fn measure(store: &mut dyn Store, c: &Claim) -> Result<Measure> {
    // What the user could fix (no data for the day, an unknown outline)
    // makes the claim not checkable; anything else is a fault.
    let soft = |e: anyhow::Error| -> Result<Measure> {
        match e.downcast_ref::<UserError>() {
            Some(u) => Ok(Err(u.to_string())),
            None => Err(e),
        }
    };
    let r: Result<(f64, String)> = match &c.metric {
        Metric::Area { status, within, date } => (|| {
            let rows = terr::area::area(
                store,
                &AreaRequest {
                    status: *status,
                    within: within.clone(),
                    mapper: None,
                    from: Some(*date),
                    to: Some(*date),
                },
            )?;
            let row = rows
                .first()
                .ok_or_else(|| UserError::NotFound(format!("no control map for {date}")))?;
            let q = format!(
                "frontline territory area --status {status}{} --from {date} --to {date} (snapshot {}{})",
                within.as_ref().map(|w| format!(" --within {w}")).unwrap_or_default(),
                row.snapshot,
                row.outline.as_ref().map(|o| format!("; {o}")).unwrap_or_default()
            );
            let v = if c.quantity.unit == "percent" {
                row.share_of_unit
                    .map(|s| s * 100.0)
                    .ok_or_else(|| UserError::BadRequest("a share needs `within`".into()))?
            } else {
                row.area_km2.unwrap_or(0.0)
            };
            Ok((v, q))
        })(),
        Metric::AreaChange {
            status,
            within,
            from,
            to,
        } => (|| {
            let rows = terr::change::run(
                store,
                &ChangeRequest {
                    status: *status,
                    within: within.clone(),
                    mapper: None,
                    from: Some(*from),
                    to: Some(*to),
                    period: None,
                },
                None,
            )?;
            let net = rows.first().and_then(|r| r.net_km2).unwrap_or(0.0);
            let q = format!(
                "frontline territory change --status {status}{} --from {from} --to {to}",
                within.as_ref().map(|w| format!(" --within {w}")).unwrap_or_default()
            );
            Ok((net, q))
        })(),
        Metric::Settlements { status, within, date } => (|| {
            let places = terr::places::settlements(
                store,
                &crate::requests::SettlementsRequest {
                    status: *status,
                    within: within.clone(),
                    mapper: None,
                    date: Some(*date),
                    from: None,
                    to: None,
                    min_population: 0,
                },
            )?;
            let q = format!(
                "frontline territory settlements --date {date} --status {status}{} (the imported gazetteer's places)",
                within.as_ref().map(|w| format!(" --within {w}")).unwrap_or_default()
            );
            Ok((places.len() as f64, q))
        })(),
        Metric::Cumulative { category, date } | Metric::Daily { category, date } => (|| {
            let answer = series::series(
                store,
                &SeriesRequest {
                    category: category.clone(),
                    claimant: None,
                    subject: None,
                    spread_catchups: false,
                    from: Some(*date),
                    to: Some(*date),
                    period: Period::Day,
                    rolling: None,
                },
            )?;
            let day = match answer {
                SeriesAnswer::Days(d) => d.into_iter().find(|d| d.date == *date),
                SeriesAnswer::Periods(_) => None,
            }
            .ok_or_else(|| UserError::NotFound(format!("no `{category}` figure for {date}")))?;
            let cumulative = matches!(c.metric, Metric::Cumulative { .. });
            let q = format!(
                "frontline series {category} --from {date} --to {date} (its {})",
                if cumulative { "cumulative" } else { "value" }
            );
            Ok((
                if cumulative {
                    day.cumulative as f64
                } else {
                    day.value as f64
                },
                q,
            ))
        })(),
        Metric::Record { category, date } => (|| {
            let days = series::record_days(
                store,
                &RecordsRequest {
                    category: category.clone(),
                    claimant: None,
                    subject: None,
                    spread_catchups: false,
                    since: Some(RECORDS_SINCE),
                    from: Some(*date),
                },
            )?;
            let streak = days.iter().find(|d| d.date == *date).map_or(0, |d| d.streak);
            Ok((
                f64::from(streak),
                format!(
                    "frontline records {category} --since {RECORDS_SINCE} --from {date} (the streak of record days ending {date})"
                ),
            ))
        })(),
    };
    match r {
        Ok(m) => Ok(Ok(m)),
        Err(e) => soft(e),
    }
}
