//! `claims check`: every claim against the evidence, with the measured
//! value, the exact query it came from, and a verdict (docs/claims.md).

use crate::answers::{ClaimCheck, SeriesAnswer};
use crate::commands::{series, territory as terr};
use crate::error::UserError;
use crate::requests::{AreaRequest, ChangeRequest, RecordsRequest, SeriesRequest};
use anyhow::Result;
use frontline_analysis::Period;
use frontline_analysis::claims::{Verdict, verdict};
use frontline_model::{Claim, EvidenceDate, Metric, Qualifier};
use frontline_store::Store;

/// Records are compared from this day on, as on the page: the first
/// weeks' figures were rough estimates, the largest daily values of the war.
pub const RECORDS_SINCE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2022, 4, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// A measure: its value, the query it came from, and what it holds beyond
/// its number (settlement names); or why there is none.
type Measure = std::result::Result<Measured, String>;

/// A measured value and how it was made.
#[derive(Debug, Clone)]
struct Measured {
    value: f64,
    method: String,
    detail: String,
    /// Why the value is only a lower bound ("at least N: …"), when it is.
    at_least: Option<String>,
}

impl Measured {
    fn new(value: f64, method: String) -> Self {
        Measured {
            value,
            method,
            detail: String::new(),
            at_least: None,
        }
    }
}

/// Imports a claims file (CSV or JSON) into the ledger: one transaction; a
/// claim changed since its last import gets a new version.
pub fn import(store: &mut dyn Store, input: &crate::requests::Input) -> Result<Vec<crate::answers::ImportRow>> {
    let file = input.open()?;
    let claims = frontline_ingest::claims::parse_claims(file.path(), &file.bytes)?;
    let meta = frontline_model::SourceMeta::new(
        file.name.clone(),
        file.sha256.clone(),
        frontline_model::SourceKind::Claims,
        chrono::Utc::now(),
    );
    let report = store.import_claims(&meta, &claims)?;
    Ok(crate::commands::import::import_rows(&[report]))
}

/// Adds one claim, given as keys and values (`claims add`), read by the
/// same rules as a file's rows. Without an `id`, the claim's id is the
/// first 12 hex digits of the SHA-256 of its speaker, day and quote, so
/// the same claim added twice is stored once.
pub fn add(store: &mut dyn Store, fields: &[(String, String)]) -> Result<Vec<crate::answers::ImportRow>> {
    use sha2::{Digest, Sha256};
    let mut fields = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "id") {
        let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str());
        let key = format!("{}\n{}\n{}", get("speaker"), get("said_on"), get("quote"));
        let id = Sha256::digest(key.as_bytes())
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        fields.push(("id".into(), id));
    }
    let origin = std::path::Path::new("claims add");
    let claim = frontline_ingest::claims::claim_from_fields(origin, &fields)?;
    let json = serde_json::to_vec(&claim)?;
    let meta = frontline_model::SourceMeta::new(
        "claims add",
        frontline_ingest::SourceFile::from_bytes("claims add", json).sha256,
        frontline_model::SourceKind::Claims,
        chrono::Utc::now(),
    );
    let report = store.import_claims(&meta, &[claim])?;
    Ok(crate::commands::import::import_rows(&[report]))
}

/// Largest article `claims extract` reads: a long article is some
/// 50 kB of text; the rules' cost grows with it.
pub const MAX_ARTICLE_BYTES: usize = 1 << 20;

/// Candidate claims in an article's plain text (UTF-8), published on
/// `said_on` at `source_url`; nothing is stored.
pub fn extract(
    path: &std::path::Path,
    said_on: chrono::NaiveDate,
    source_url: Option<&str>,
) -> Result<Vec<frontline_ingest::claims_extract::Candidate>> {
    let file = frontline_ingest::SourceFile::read(path)?;
    if file.bytes.len() > MAX_ARTICLE_BYTES {
        return Err(UserError::BadRequest(format!(
            "{}: {} bytes, more than the {} MiB an article may have",
            path.display(),
            file.bytes.len(),
            MAX_ARTICLE_BYTES >> 20
        ))
        .into());
    }
    let text = String::from_utf8(file.bytes)
        .map_err(|e| UserError::BadRequest(format!("{}: not UTF-8 text ({e})", path.display())))?;
    let mut found = frontline_ingest::claims_extract::extract(&text, said_on);
    for c in &mut found {
        c.source_url = source_url.unwrap_or_default().to_string();
    }
    Ok(found)
}

/// The ledger: every claim's latest version.
pub fn list(store: &dyn Store) -> Result<Vec<crate::answers::ClaimRow>> {
    Ok(store
        .claims(None)?
        .into_iter()
        .map(|s| {
            let c = s.claim;
            crate::answers::ClaimRow {
                claimed: claimed(&c),
                metric: describe(&c.metric),
                id: c.id,
                version: s.version,
                speaker: c.speaker,
                role: c.role,
                said_on: c.said_on,
                published_on: c.published_on,
                quote: c.quote,
                language: c.language,
                source_url: c.source_url,
                source_file: s.source_location,
            }
        })
        .collect())
}

/// The claims a request names checked: a file's, or else the ledger's.
pub fn check_request(store: &mut dyn Store, req: &crate::requests::ClaimsCheckRequest) -> Result<Vec<ClaimCheck>> {
    let Some(path) = &req.file else {
        return check_stored(store);
    };
    let src = frontline_ingest::SourceFile::read(path)?;
    let claims = frontline_ingest::claims::parse_claims(path, &src.bytes)?;
    check(store, &claims)
}

/// Checks every claim of the ledger on the data stored now.
pub fn check_stored(store: &mut dyn Store) -> Result<Vec<ClaimCheck>> {
    let claims: Vec<Claim> = store.claims(None)?.into_iter().map(|c| c.claim).collect();
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
            let now = measure(store, c)?;
            // Measured again as Frontline knew it on the day the claim was
            // made: the store as of that day (the one `as_of` mechanism of
            // every query). Per-item evidence grew since, tally figures were
            // revised, maps redrawn.
            let then = if c.metric.last_day() > c.said_on {
                Err(format!(
                    "the claim is about {}, after it was said ({})",
                    c.metric.last_day(),
                    c.said_on
                ))
            } else {
                measure(&mut frontline_store::KnownBy::new(store, c.said_on), c)?
            };
            let (verdict, measured, method, detail, reason) = judge(c, now);
            let (verdict_then, measured_then, _, _, reason_then) = judge(c, then);
            Ok(ClaimCheck {
                id: c.id.clone(),
                speaker: c.speaker.clone(),
                said_on: c.said_on,
                quote: c.quote.clone(),
                claimed: claimed(c),
                metric: describe(&c.metric),
                measured,
                method,
                detail,
                verdict,
                reason,
                measured_then,
                verdict_then,
                reason_then,
                source_url: c.source_url.clone(),
                permalink: permalink(&c.metric),
            })
        })
        .collect()
}

/// The verdict, the value (to 3 decimals), the method, the detail and the
/// reason it could not be checked.
fn judge(c: &Claim, m: Measure) -> (Verdict, Option<f64>, String, String, String) {
    match m {
        Ok(m) => {
            let v = match c.metric {
                // Not a record day at all: the claim is wrong, not just high.
                Metric::Record { .. } if m.value == 0.0 => Verdict::Contradicted,
                _ if m.at_least.is_some() => frontline_analysis::claims::verdict_at_least(&c.quantity, m.value),
                _ => verdict(&c.quantity, m.value),
            };
            (
                v,
                Some((m.value * 1000.0).round() / 1000.0),
                m.method,
                m.detail,
                m.at_least.unwrap_or_default(),
            )
        }
        Err(why) => (Verdict::NotCheckable, None, String::new(), String::new(), why),
    }
}

/// The loss-list items a claim about evidence or its lag is measured on.
fn evidence_items(
    store: &mut dyn Store,
    source: &Option<String>,
    side: &Option<String>,
    category: &Option<String>,
    status: Option<frontline_model::LossStatus>,
) -> Result<Vec<frontline_model::EvidenceItem>> {
    crate::commands::losses::items(
        store,
        &crate::requests::ItemFilter {
            source: source.iter().cloned().collect(),
            side: side.clone(),
            category: category.clone(),
            status,
        },
    )
}

/// The page's view of the claim's day: the map at that day with the
/// status, or the chart of the category.
fn permalink(m: &Metric) -> String {
    match m {
        Metric::Area { status, date, .. }
        | Metric::PeakArea { status, date, .. }
        | Metric::Settlements { status, date, .. }
        | Metric::Largest { status, date, .. }
        | Metric::Distance { status, date, .. } => format!("/#date={date}&status={status}"),
        Metric::AreaChange { status, to, .. } => format!("/#date={to}&status={status}"),
        Metric::Cumulative { category, date }
        | Metric::Daily { category, date }
        | Metric::Record { category, date } => {
            format!("/#date={date}&category={category}")
        }
        Metric::Evidence { to, .. } | Metric::Lag { to, .. } => format!("/#date={to}"),
    }
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
        Metric::PeakArea {
            status,
            within: w,
            date,
        } => format!("largest {status} area{} on any map up to {date}", within(w)),
        Metric::Settlements {
            status,
            within: w,
            date,
        } => format!("settlements {status}{} on {date}", within(w)),
        Metric::Cumulative { category, date } => format!("cumulative {category} on {date}"),
        Metric::Daily { category, date } => format!("daily {category} on {date}"),
        Metric::Record { category, date } => format!("record {category} days running to {date}"),
        Metric::Largest {
            status,
            within: w,
            date,
        } => format!("population of the largest settlement {status}{} on {date}", within(w)),
        Metric::Distance { status, place, date } => format!("distance from the {status} area to {place} on {date}"),
        Metric::Lag {
            source,
            side,
            category,
            quantile,
            from,
            to,
        } => format!(
            "{} of the days from event to publication of {}{}{}, published from {from} to {to}",
            if *quantile == 0.5 {
                "median".to_string()
            } else {
                format!("{}th percentile", (quantile * 100.0).round())
            },
            category.as_deref().unwrap_or("losses"),
            side.as_ref().map(|s| format!(" of {s}")).unwrap_or_default(),
            source.as_ref().map(|s| format!(" in {s}")).unwrap_or_default(),
        ),
        Metric::Evidence {
            source,
            side,
            category,
            status,
            by,
            from,
            to,
        } => format!(
            "{} of {}{}{} {} from {from} to {to}",
            category.as_deref().unwrap_or("losses"),
            side.as_deref().unwrap_or("either side"),
            status.map(|s| format!(" {s}")).unwrap_or_default(),
            source.as_ref().map(|s| format!(" in {s}")).unwrap_or_default(),
            match by {
                EvidenceDate::Event => "with an event",
                EvidenceDate::Published => "published",
            }
        ),
    }
}

/// The measure, or why there is none; a store fault is an error. On a
/// store as of a past day ([`frontline_store::KnownBy`]), what was known
/// then, and the method says so.
fn measure(store: &mut dyn Store, c: &Claim) -> Result<Measure> {
    let w = |within: &Option<String>| within.as_ref().map(|w| format!(" --within {w}")).unwrap_or_default();
    let r: Result<Measured> = match &c.metric {
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
                w(within),
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
            Ok(Measured::new(v, q))
        })(),
        Metric::PeakArea { status, within, date } => (|| {
            let rows = terr::area::peak(
                store,
                &AreaRequest {
                    status: *status,
                    within: within.clone(),
                    mapper: None,
                    from: None,
                    to: Some(*date),
                },
            )?;
            let row = rows
                .first()
                .ok_or_else(|| UserError::NotFound(format!("no control map up to {date}")))?;
            Ok(Measured::new(
                row.area_km2.unwrap_or(0.0),
                format!(
                    "frontline territory peak --status {status}{} --to {date} (largest on {}, snapshot {})",
                    w(within),
                    row.date,
                    row.snapshot
                ),
            ))
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
                    geojson: None,
                },
            )?;
            let net = rows.first().and_then(|r| r.net_km2).unwrap_or(0.0);
            let q = format!(
                "frontline territory change --status {status}{} --from {from} --to {to}",
                w(within)
            );
            Ok(Measured::new(net, q))
        })(),
        Metric::Settlements { status, within, date } | Metric::Largest { status, within, date } => (|| {
            let mut places = terr::places::settlements(
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
            places.sort_by(|a, b| b.population.cmp(&a.population).then_with(|| a.name.cmp(&b.name)));
            let q = format!(
                "frontline territory settlements --date {date} --status {status}{} (the imported gazetteer's places)",
                w(within)
            );
            let value = if matches!(c.metric, Metric::Largest { .. }) {
                match places.first() {
                    Some(p) => p.population.unwrap_or(0) as f64,
                    None => {
                        return Err(UserError::NotFound(format!("no settlement {status} on {date}")).into());
                    }
                }
            } else {
                places.len() as f64
            };
            let mut m = Measured::new(value, q);
            m.detail = names(&places);
            // A count is only as complete as the gazetteer: one without
            // the villages gives a lower bound (a largest place is found
            // all the same: what is missing is smaller).
            if matches!(c.metric, Metric::Settlements { .. }) {
                let gazetteers: Vec<_> = store
                    .gazetteers()?
                    .into_iter()
                    .map(|g| (g.location, g.coverage))
                    .collect();
                let countries: Vec<String> = match within {
                    Some(w) => vec![w.split(['-', ':', '+']).next().unwrap_or(w).to_uppercase()],
                    // No region: the area may lie in any country a
                    // gazetteer covers, and each must be complete.
                    None => {
                        let set: std::collections::BTreeSet<String> =
                            gazetteers.iter().flat_map(|(_, c)| c.countries.clone()).collect();
                        set.into_iter().collect()
                    }
                };
                m.at_least = frontline_analysis::claims::count_floor(&gazetteers, &countries).reason(places.len());
            }
            Ok(m)
        })(),
        Metric::Distance { status, place, date } => (|| {
            let rows = terr::distance::run(
                store,
                &crate::requests::DistanceRequest {
                    status: *status,
                    within: None,
                    mapper: None,
                    date: *date,
                    place: Some(place.clone()),
                    layer: None,
                },
            )?;
            let row = rows
                .first()
                .ok_or_else(|| UserError::NotFound(format!("no place named `{place}`")))?;
            let km = row
                .km
                .ok_or_else(|| UserError::NotFound(format!("no distance to `{place}` on {date}")))?;
            Ok(Measured::new(
                km,
                format!(
                    "frontline territory distance --status {status} --date {date} --to \"{place}\" (geodesic, to the nearest edge; 0 inside)"
                ),
            ))
        })(),
        Metric::Lag {
            source,
            side,
            category,
            quantile,
            from,
            to,
        } => (|| {
            let items = evidence_items(store, source, side, category, None)?;
            let Some((days, n)) = frontline_analysis::evidence::lag_quantile(&items, *from, *to, *quantile) else {
                return Err(
                    UserError::NotFound(format!("no item published from {from} to {to} with an event date")).into(),
                );
            };
            let value = if c.quantity.unit == "weeks" { days / 7.0 } else { days };
            let mut m = Measured::new(
                value,
                format!(
                    "frontline lag{}{}{} --period month (quantile {quantile} of {n} items published {from} to {to}: {days} days)",
                    source.as_ref().map(|s| format!(" --source {s}")).unwrap_or_default(),
                    side.as_ref().map(|s| format!(" --side {s}")).unwrap_or_default(),
                    category
                        .as_ref()
                        .map(|s| format!(" --category {s}"))
                        .unwrap_or_default(),
                ),
            );
            m.detail = format!("{n} items");
            Ok(m)
        })(),
        Metric::Evidence {
            source,
            side,
            category,
            status,
            by,
            from,
            to,
        } => (|| {
            let items = evidence_items(store, source, side, category, *status)?;
            let (days, _) = match by {
                EvidenceDate::Event => {
                    frontline_analysis::evidence::count_by_period(&items, Period::Day, |i| i.dates.event)
                }
                EvidenceDate::Published => {
                    frontline_analysis::evidence::count_by_period(&items, Period::Day, |i| i.dates.published)
                }
            };
            let n: u64 = days
                .iter()
                .filter(|r| r.period >= *from && r.period <= *to)
                .map(|r| r.count)
                .sum();
            let mut q = format!("frontline losses count --period day --from {from} --to {to}");
            if *by == EvidenceDate::Published {
                q.push_str(" --by published");
            }
            for (flag, v) in [("source", source), ("side", side), ("category", category)] {
                if let Some(v) = v {
                    q.push_str(&format!(" --{flag} {v}"));
                }
            }
            if let Some(s) = status {
                q.push_str(&format!(" --status {s}"));
            }
            q.push_str(" (summed; items in several sources counted once)");
            Ok(Measured::new(n as f64, q))
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
            // The data it came from: the import that gave the day's figure.
            let source = series::figure(
                store,
                &crate::requests::FigureRequest {
                    category: category.clone(),
                    claimant: None,
                    subject: None,
                    date: *date,
                },
            )
            .ok()
            .and_then(|rows| rows.into_iter().find(|r| r.current))
            .map(|r| format!("; figure from source {} ({})", r.source_id, r.source_file))
            .unwrap_or_default();
            let q = format!(
                "frontline series {category} --from {date} --to {date} (its {}{source})",
                if cumulative { "cumulative" } else { "value" }
            );
            let v = if cumulative { day.cumulative } else { day.value };
            Ok(Measured::new(v as f64, q))
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
            Ok(Measured::new(
                f64::from(streak),
                format!(
                    "frontline records {category} --since {RECORDS_SINCE} --from {date} (the streak of record days ending {date})"
                ),
            ))
        })(),
    };
    // What the user could fix (no data for the day, an unknown outline)
    // makes the claim not checkable; anything else is a fault.
    match r {
        Ok(mut m) => {
            if let Some(day) = store.known_by() {
                m.method = m.method.replacen("frontline ", &format!("frontline --as-of {day} "), 1);
            }
            Ok(Ok(m))
        }
        Err(e) => match e.downcast_ref::<UserError>() {
            Some(u) => Ok(Err(u.to_string())),
            None => Err(e),
        },
    }
}

/// Most names a check lists.
const MAX_NAMES: usize = 20;

/// "Sudzha (5,500), Guyevo (…)", largest first, at most [`MAX_NAMES`].
fn names(places: &[crate::answers::Settlement]) -> String {
    let mut s: Vec<String> = places
        .iter()
        .take(MAX_NAMES)
        .map(|p| match p.population {
            Some(n) => format!("{} ({n})", p.name),
            None => p.name.clone(),
        })
        .collect();
    if places.len() > MAX_NAMES {
        s.push(format!("and {} more", places.len() - MAX_NAMES));
    }
    s.join(", ")
}
