//! The query catalog: each question Frontline answers, declared once.
//!
//! A declaration ([`Query`]) names the question, its request type (fields,
//! defaults, documentation and validation, stated once in
//! [`crate::requests`]), its answer type, the function that answers it,
//! its CLI path and its HTTP path. The CLI's commands, the server's
//! routes and the OpenAPI document are built by walking [`visit`]: a new
//! query is one declaration here, a new parameter one field of its
//! request type.
//!
//! With the `cli` feature the request types also derive their flags
//! (`clap::Args`); the server builds without it and never links clap.

use crate::output::Tabular;
use anyhow::Result;
use frontline_store::Store;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// What a query's request type must be: read from a query string (serde,
/// unknown fields refused), documented (JSON Schema) and, with the `cli`
/// feature, parsed from flags.
pub trait Request: DeserializeOwned + JsonSchema + std::fmt::Debug + Send + Sync + 'static + CliArgs {}
impl<T: DeserializeOwned + JsonSchema + std::fmt::Debug + Send + Sync + 'static + CliArgs> Request for T {}

/// Flags of a request type (the `cli` feature).
#[cfg(feature = "cli")]
pub trait CliArgs: clap::Args + clap::FromArgMatches {}
#[cfg(feature = "cli")]
impl<T: clap::Args + clap::FromArgMatches> CliArgs for T {}

/// Flags of a request type (nothing without the `cli` feature).
#[cfg(not(feature = "cli"))]
pub trait CliArgs {}
#[cfg(not(feature = "cli"))]
impl<T> CliArgs for T {}

/// A path parameter: its name (a field of the request), what it is, and
/// the values it may take (empty: any).
pub type PathParam = (&'static str, &'static str, &'static [&'static str]);

/// How a query is named and shown on each surface.
#[derive(Debug, Clone, Copy)]
pub struct Decl {
    /// A stable name (`territory-area`).
    pub name: &'static str,
    /// One line, for the CLI's help and the OpenAPI summary.
    pub summary: &'static str,
    /// The CLI's command words (`["territory", "area"]`).
    pub cli: &'static [&'static str],
    /// The path under `/api/v1`, axum syntax (`/series/{category}`).
    pub http: &'static str,
    /// The role a bearer token needs to ask it over HTTP; such an answer
    /// is private, so it is never cached. The CLI, which holds the
    /// database itself, needs none.
    pub role: Option<frontline_store::Role>,
    /// Its `{name}` segments, in order.
    pub path: &'static [PathParam],
    /// A URL under `/api/v1` that answers on the test fixtures; the
    /// catalog test asks it through both surfaces and compares the
    /// requests.
    pub example: &'static str,
    /// URLs under `/api/v1` and the error status they must answer on the
    /// fixtures.
    pub errors: &'static [(&'static str, u16)],
}

/// What outlives one request: memos the server keeps between requests
/// (the CLI starts with empty ones).
#[derive(Default)]
pub struct Memos {
    /// Derived daily series, per data version.
    pub daily: crate::commands::series::DailyMemo,
}

/// What an answer is, for the surfaces that render and document it.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Rows: a table, CSV or JSON (`format`), with the JSON Schema of
    /// the rows.
    Table(fn(&mut schemars::SchemaGenerator) -> schemars::Schema),
    /// One GeoJSON FeatureCollection.
    GeoJson,
    /// One JSON document, described by the named schema of the API's
    /// document.
    Json(&'static str),
}

/// An answer ready to render.
pub enum Reply {
    /// Rows.
    Rows(Box<dyn Tabular + Send>),
    /// One JSON document (GeoJSON or other).
    Json(serde_json::Value),
}

/// What a query answers: rows, or one document.
pub trait Answer: Send + 'static {
    /// Its shape.
    const SHAPE: Shape;
    /// Made ready to render.
    fn reply(self) -> Reply;
}

fn rows_schema<T: JsonSchema>(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    g.subschema_for::<T>()
}

impl<T: Tabular + JsonSchema + Send + 'static> Answer for T {
    const SHAPE: Shape = Shape::Table(rows_schema::<T>);
    fn reply(self) -> Reply {
        Reply::Rows(Box::new(self))
    }
}

/// A GeoJSON FeatureCollection.
pub struct GeoJson(pub serde_json::Value);

impl Answer for GeoJson {
    const SHAPE: Shape = Shape::GeoJson;
    fn reply(self) -> Reply {
        Reply::Json(self.0)
    }
}

/// The days with a control-map snapshot, per mapper (the `Snapshots`
/// schema of the API's document).
pub struct Snapshots(pub serde_json::Value);

impl Answer for Snapshots {
    const SHAPE: Shape = Shape::Json("Snapshots");
    fn reply(self) -> Reply {
        Reply::Json(self.0)
    }
}

/// One question.
pub trait Query: 'static {
    /// How it is named.
    const DECL: Decl;
    /// What it takes.
    type Request: Request;
    /// What it answers: rows for a table, CSV or JSON, or one document.
    type Answer: Answer;
    /// Whether its answer may be kept until the data change: not for one
    /// that depends on the time of asking (a source's freshness).
    const CACHED: bool = true;
    /// Answers it.
    fn run(store: &mut dyn Store, memos: &Memos, request: &Self::Request) -> Result<Self::Answer>;
    /// Puts the path's values (in [`Decl::path`] order) into the request;
    /// a value that cannot be one is the caller's error.
    fn set_path(request: &mut Self::Request, values: &[String]) -> Result<()> {
        let _ = (request, values);
        Ok(())
    }
}

/// Something done with every query of the catalog, with its types.
pub trait Visit {
    /// Called once per query, in catalog order.
    fn query<Q: Query>(&mut self);
}

/// Walks the catalog. The crates above the app add queries of their own
/// (`frontline_sync::queries`), declared with the same trait.
pub fn visit(v: &mut impl Visit) {
    v.query::<tallies::Sources>();
    v.query::<tallies::Gazetteers>();
    v.query::<tallies::Categories>();
    v.query::<tallies::Series>();
    v.query::<tallies::Figure>();
    v.query::<tallies::Records>();
    v.query::<tallies::Breaks>();
    v.query::<tallies::Notes>();
    v.query::<events::Events>();
    v.query::<counts::Backfill>();
    v.query::<counts::ComparePersonnel>();
    v.query::<losses::Nowcast>();
    v.query::<counts::Nowcast>();
    v.query::<claims::List>();
    v.query::<claims::Check>();
    v.query::<claims::Audit>();
    v.query::<territory::Area>();
    v.query::<territory::Peak>();
    v.query::<territory::Settlements>();
    v.query::<territory::Handovers>();
    v.query::<territory::Change>();
    v.query::<territory::Compare>();
    v.query::<territory::Units>();
    v.query::<territory::Distance>();
    v.query::<territory::PlaceHistory>();
    v.query::<maps::Snapshots>();
    v.query::<maps::Control>();
    v.query::<maps::ComparePolygons>();
    v.query::<maps::Places>();
    v.query::<maps::Boundaries>();
    v.query::<maps::Located>();
    v.query::<losses::Count>();
    v.query::<losses::Lag>();
    v.query::<losses::History>();
    v.query::<losses::Overlap>();
}

/// Every declaration, in catalog order.
pub fn decls() -> Vec<Decl> {
    struct Names(Vec<Decl>);
    impl Visit for Names {
        fn query<Q: Query>(&mut self) {
            self.0.push(Q::DECL);
        }
    }
    let mut n = Names(Vec::new());
    visit(&mut n);
    n.0
}

/// Declares a query: `Name { decl } Request => Answer, run` where `run`
/// takes (store, request), or `memo run` taking (store, request, memos);
/// then, for a path parameter, `path |request, values| …`.
macro_rules! query {
    ($(#[$doc:meta])* $name:ident { $($decl:tt)* } $req:ty => $ans:ty, $run:expr $(, path $set:expr)?) => {
        query!(@ $(#[$doc])* $name { $($decl)* } $req => $ans,
            |store: &mut dyn frontline_store::Store, _: &$crate::queries::Memos, request: &$req| ($run)(store, request)
            $(, path $set)?);
    };
    ($(#[$doc:meta])* $name:ident { $($decl:tt)* } $req:ty => $ans:ty, memo $run:expr $(, path $set:expr)?) => {
        query!(@ $(#[$doc])* $name { $($decl)* } $req => $ans, $run $(, path $set)?);
    };
    (@ $(#[$doc:meta])* $name:ident { $($decl:tt)* } $req:ty => $ans:ty, $run:expr $(, path $set:expr)?) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::queries::Query for $name {
            const DECL: $crate::queries::Decl = $crate::queries::Decl { $($decl)* };
            type Request = $req;
            type Answer = $ans;
            fn run(
                store: &mut dyn frontline_store::Store,
                memos: &$crate::queries::Memos,
                request: &$req,
            ) -> anyhow::Result<$ans> {
                ($run)(store, memos, request)
            }
            $(
                fn set_path(request: &mut $req, values: &[String]) -> anyhow::Result<()> {
                    ($set)(request, values)
                }
            )?
        }
    };
}

/// The first path value (a query declared with one `{name}` segment).
fn first(values: &[String]) -> Result<String> {
    values
        .first()
        .cloned()
        .ok_or_else(|| crate::error::UserError::BadRequest("a path segment is missing".into()).into())
}

/// The claimed daily tallies.
pub mod tallies {
    use super::{Memos, first};
    use crate::answers::{BreakRow, Category, FigureRow, GazetteerRow, Note, RecordDay, SeriesAnswer, Source};
    use crate::commands::{catalog, series};
    use crate::requests as rq;
    use frontline_store::Store;

    query!(
        /// `sources`: every imported file, tallies or not.
        Sources {
            name: "sources",
            summary: "Imported sources: name, SHA-256, time, counts",
            cli: &["sources"],
            http: "/sources",
            role: None,
            path: &[],
            example: "/sources",
            errors: &[],
        }
        rq::NoParams => Vec<Source>, |s: &mut dyn Store, _: &rq::NoParams| catalog::sources(s)
    );
    query!(
        /// `gazetteers`: what each imported list of places holds.
        Gazetteers {
            name: "gazetteers",
            summary: "Imported gazetteers and what each covers: smallest population, classes, region",
            cli: &["gazetteers"],
            http: "/gazetteers",
            role: None,
            path: &[],
            example: "/gazetteers",
            errors: &[],
        }
        rq::NoParams => Vec<GazetteerRow>, |s: &mut dyn Store, _: &rq::NoParams| catalog::gazetteers(s)
    );
    query!(
        /// `categories`.
        Categories {
            name: "categories",
            summary: "Stored tally series and their spans",
            cli: &["categories"],
            http: "/categories",
            role: None,
            path: &[],
            example: "/categories",
            errors: &[("/categories?cb=1", 400)],
        }
        rq::NoParams => Vec<Category>, |s: &mut dyn Store, _: &rq::NoParams| catalog::categories(s)
    );
    query!(
        /// `series`.
        Series {
            name: "series",
            summary: "Daily values (or weekly/monthly sums) of a claimed series",
            cli: &["series"],
            http: "/series/{category}",
            role: None,
            path: &[("category", "loss category, e.g. personnel, tank", &[])],
            example: "/series/personnel?from=2024-11-01&to=2024-11-30&rolling=7&as_of=2024-11-20",
            errors: &[
                ("/series/battleship", 404),
                ("/series/personnel?as_of=2999-01-01", 400),
                ("/series/tank?period=fortnight", 400),
                ("/series/tank?format=xml", 400),
            ],
        }
        rq::SeriesRequest => SeriesAnswer,
        memo |s: &mut dyn Store, m: &Memos, r| series::series_memo(s, r, &m.daily),
        path |r: &mut rq::SeriesRequest, v: &[String]| { r.category = first(v)?; anyhow::Ok(()) }
    );
    query!(
        /// `figure`.
        Figure {
            name: "figure",
            summary: "One day's claimed figure: every revision with its file and the SHA-256 of its bytes",
            cli: &["figure"],
            http: "/figure/{category}",
            role: None,
            path: &[("category", "loss category", &[])],
            example: "/figure/personnel?date=2024-11-12",
            errors: &[("/figure/personnel?date=1999-01-01", 404)],
        }
        rq::FigureRequest => Vec<FigureRow>, |s: &mut dyn Store, r| series::figure(s, r),
        path |r: &mut rq::FigureRequest, v: &[String]| { r.category = first(v)?; anyhow::Ok(()) }
    );
    query!(
        /// `records`.
        Records {
            name: "records",
            summary: "Record days and streaks of a claimed series",
            cli: &["records"],
            http: "/records/{category}",
            role: None,
            path: &[("category", "loss category", &[])],
            example: "/records/personnel?since=2022-04-01",
            errors: &[("/records/personnel?since=yesterday", 400)],
        }
        rq::RecordsRequest => Vec<RecordDay>,
        memo |s: &mut dyn Store, m: &Memos, r| series::record_days_memo(s, r, &m.daily),
        path |r: &mut rq::RecordsRequest, v: &[String]| { r.category = first(v)?; anyhow::Ok(()) }
    );
    query!(
        /// `breaks`.
        Breaks {
            name: "breaks",
            summary: "Where a claimed series starts, takes over merged categories or stops, and where a mapper renames a status: the days sums and records must not silently cross",
            cli: &["breaks"],
            http: "/breaks",
            role: None,
            path: &[],
            example: "/breaks?category=vehicles%20and%20fuel%20tanks",
            errors: &[("/breaks?category=x&cb=1", 400)],
        }
        rq::BreaksRequest => Vec<BreakRow>, |s: &mut dyn Store, r| crate::commands::breaks::breaks(s, r)
    );
    query!(
        /// `notes`.
        Notes {
            name: "notes",
            summary: "Text attached to daily reports, such as the greatest-losses direction",
            cli: &["notes"],
            http: "/notes",
            role: None,
            path: &[],
            example: "/notes?from=2022-05-01",
            errors: &[("/notes", 400), ("/notes?from=2022-05-01&to=yesterday", 400)],
        }
        rq::NotesRequest => Vec<Note>, |s: &mut dyn Store, r| catalog::notes(s, r)
    );
}

/// Named lists read at each vintage.
pub mod counts {
    use crate::commands::counts::{self as c, ClaimedNamedRow};
    use crate::requests as rq;
    use frontline_analysis::vintages::{BackfillRow, CountNowcast};
    use frontline_store::Store;

    query!(
        /// `backfill`.
        Backfill {
            name: "backfill",
            summary: "Named-list counts per period at each vintage: growth, missing turned killed, share still missing",
            cli: &["backfill"],
            http: "/backfill",
            role: None,
            path: &[],
            example: "/backfill?subject=Ukraine&period=month",
            errors: &[("/backfill?subject=Atlantis&period=month", 404), ("/backfill?subject=Ukraine&period=fortnight", 400)],
        }
        rq::BackfillRequest => Vec<BackfillRow>, |s: &mut dyn Store, r| c::backfill(s, r)
    );
    query!(
        /// `compare personnel`.
        ComparePersonnel {
            name: "compare-personnel",
            summary: "Claimed daily personnel losses per period of a named list, next to its confirmed dead (they measure different things)",
            cli: &["compare", "personnel"],
            http: "/compare/personnel",
            role: None,
            path: &[],
            example: "/compare/personnel?claimed=ua-general-staff&named=mediazona&period=month",
            errors: &[(
                "/compare/personnel?claimed=ua-general-staff&named=mediazona&period=month&subject=Belarus",
                404,
            )],
        }
        rq::ClaimedNamedRequest => Vec<ClaimedNamedRow>, |s: &mut dyn Store, r| c::claimed_vs_named(s, r)
    );
    query!(
        /// `nowcast counts`.
        Nowcast {
            name: "nowcast-counts",
            summary: "Expected killed of a named list's recent periods, grown as its two latest vintages grew, with the backtest's caution",
            cli: &["nowcast", "counts"],
            http: "/nowcast/counts",
            role: None,
            path: &[],
            example: "/nowcast/counts?subject=Ukraine&period=month",
            errors: &[("/nowcast/counts?subject=Ukraine&period=month&as_of=2025-09-01", 404)],
        }
        rq::CountNowcastRequest => Vec<CountNowcast>, |s: &mut dyn Store, r| c::nowcast(s, r)
    );
}

/// The claims ledger.
/// Events: what the data says happened.
pub mod events {
    use crate::answers::EventRow;
    use crate::requests as rq;
    use frontline_store::Store;

    query!(
        /// `events`.
        Events {
            name: "events",
            summary: "What the data says happened, newest recorded first: record days, settlements changing hands (filters: kind, since, category, within, min_population; titles in en, uk or ru)",
            cli: &["events"],
            http: "/events",
            role: None,
            path: &[],
            example: "/events?kind=record&category=personnel&lang=uk",
            errors: &[("/events?kind=coup", 400), ("/events?limit=0", 400), ("/events?lang=fr", 400)],
        }
        rq::EventsRequest => Vec<EventRow>, |s: &mut dyn Store, r| crate::commands::events::list(s, r)
    );
}

pub mod claims {
    use crate::answers::{AuditRow, ClaimCheck, ClaimRow};
    use crate::requests as rq;
    use frontline_store::{Role, Store};

    query!(
        /// `claims list`.
        List {
            name: "claims-list",
            summary: "The claims ledger: every claim's latest version, with its file",
            cli: &["claims", "list"],
            http: "/claims",
            role: None,
            path: &[],
            example: "/claims",
            errors: &[],
        }
        rq::NoParams => Vec<ClaimRow>, |s: &mut dyn Store, _: &rq::NoParams| crate::commands::claims::list(s)
    );
    query!(
        /// `claims check`.
        Check {
            name: "claims-check",
            summary: "Every claim of the ledger against the evidence: measured value, the query, a verdict",
            cli: &["claims", "check"],
            http: "/claims/check",
            role: None,
            path: &[],
            example: "/claims/check",
            // A file to check is the CLI's only: the API refuses it.
            errors: &[("/claims/check?file=/etc/passwd", 400)],
        }
        rq::ClaimsCheckRequest => Vec<ClaimCheck>, |s: &mut dyn Store, r| crate::commands::claims::check_request(s, r)
    );
    query!(
        /// `audit`: who wrote what. The ledger's kin: every write of the
        /// database, claims included.
        Audit {
            name: "audit",
            summary: "Every recorded write: who, when, through what, counts (admin token)",
            cli: &["audit"],
            http: "/audit",
            role: Some(Role::Admin),
            path: &[],
            example: "/audit?since=2020-01-01",
            errors: &[("/audit", 401)],
        }
        rq::AuditRequest => Vec<AuditRow>, |s: &mut dyn Store, r: &rq::AuditRequest| crate::commands::catalog::audit(s, r.since)
    );
}

/// Territory: areas, places and distances from the control maps.
pub mod territory {
    use crate::answers::{
        AreaDay, ChangeRow, Distance as DistanceRow, Handover, MapperGap, Settlement, StatusChange, UnitArea,
    };
    use crate::commands::territory as terr;
    use crate::requests as rq;
    use frontline_store::Store;

    query!(
        /// `territory area`.
        Area {
            name: "territory-area",
            summary: "Area of a status per day, km² (geodesic)",
            cli: &["territory", "area"],
            http: "/territory/area",
            role: None,
            path: &[],
            example: "/territory/area?status=liberated&within=RU",
            errors: &[
                ("/territory/area", 400),
                ("/territory/area?status=held", 400),
                ("/territory/area?status=occupied&as_of=2000-01-01", 404),
                ("/territory/area?status=occupied&as_of=2999-01-01", 400),
            ],
        }
        rq::AreaRequest => Vec<AreaDay>, terr::area::area
    );
    query!(
        /// `territory peak`.
        Peak {
            name: "territory-peak",
            summary: "Largest extent of a status and its first day",
            cli: &["territory", "peak"],
            http: "/territory/peak",
            role: None,
            path: &[],
            example: "/territory/peak?status=liberated&within=RU",
            errors: &[("/territory/peak?status=liberated&within=XX", 404)],
        }
        rq::AreaRequest => Vec<AreaDay>, terr::area::peak
    );
    query!(
        /// `territory settlements`.
        Settlements {
            name: "territory-settlements",
            summary: "Places inside a status on a day (or each day of a range)",
            cli: &["territory", "settlements"],
            http: "/territory/settlements",
            role: None,
            path: &[],
            example: "/territory/settlements?date=2024-08-02&status=liberated&within=RU",
            errors: &[("/territory/settlements?status=liberated", 400)],
        }
        rq::SettlementsRequest => Vec<Settlement>, |s: &mut dyn Store, r| terr::places::settlements(s, r)
    );
    query!(
        /// `territory handovers`.
        Handovers {
            name: "territory-handovers",
            summary: "Places whose status changed between two days",
            cli: &["territory", "handovers"],
            http: "/territory/handovers",
            role: None,
            path: &[],
            example: "/territory/handovers?from=2024-08-01&to=2024-08-04&min_population=500",
            errors: &[("/territory/handovers?from=2024-08-01", 400)],
        }
        rq::HandoversRequest => Vec<Handover>, |s: &mut dyn Store, r| terr::places::handovers(s, r)
    );
    query!(
        /// `territory change`.
        Change {
            name: "territory-change",
            summary: "Ground gained and lost, overall or per week/month",
            cli: &["territory", "change"],
            http: "/territory/change",
            role: None,
            path: &[],
            example: "/territory/change?status=occupied&period=week",
            // A file to write is the CLI's only: the API refuses it.
            errors: &[("/territory/change?status=occupied&geojson=/no-such-folder/x.geojson", 400)],
        }
        rq::ChangeRequest => Vec<ChangeRow>, |s: &mut dyn Store, r| terr::change::run(s, r)
    );
    query!(
        /// `territory compare`.
        Compare {
            name: "territory-compare",
            summary: "Where two mappers agree and disagree about a status: on a day, by unit, or on every day the second published",
            cli: &["territory", "compare"],
            http: "/territory/compare",
            role: None,
            path: &[],
            example: "/territory/compare?status=occupied&mappers=deepstate,isw&date=2024-08-02",
            errors: &[
                ("/territory/compare?status=occupied&mappers=deepstate", 400),
                ("/territory/compare?status=occupied&mappers=deepstate,rybar", 404),
                ("/territory/compare?status=occupied&mappers=deepstate,isw&date=2024-07-01", 404),
                ("/territory/compare?status=occupied&mappers=deepstate,isw&date=2024-08-02&geojson=/no-such-folder/x.geojson", 400),
            ],
        }
        rq::CompareRequest => Vec<MapperGap>, |s: &mut dyn Store, r| terr::compare::compare(s, r)
    );
    query!(
        /// `territory units`.
        Units {
            name: "territory-units",
            summary: "A status's area in every first-level unit of a country on a day, with shares and change",
            cli: &["territory", "units"],
            http: "/territory/units",
            role: None,
            path: &[],
            example: "/territory/units?status=occupied&country=UA&date=2024-08-02&since=2024-08-01",
            errors: &[("/territory/units?status=occupied&country=XX", 404)],
        }
        rq::UnitsRequest => Vec<UnitArea>, |s: &mut dyn Store, r| terr::units::units(s, r)
    );
    query!(
        /// `territory distance`.
        Distance {
            name: "territory-distance",
            summary: "Geodesic distance from a status's edge to a place or layer",
            cli: &["territory", "distance"],
            http: "/territory/distance",
            role: None,
            path: &[],
            example: "/territory/distance?date=2024-08-01&status=liberated&place=Kursk",
            errors: &[("/territory/distance?date=2024-08-01&status=liberated&place=Atlantis", 404)],
        }
        rq::DistanceRequest => Vec<DistanceRow>, |s: &mut dyn Store, r| terr::distance::run(s, r)
    );
    query!(
        /// `territory history`.
        PlaceHistory {
            name: "place-history",
            summary: "Every change of a settlement's status, with the snapshot that first shows it",
            cli: &["territory", "history"],
            http: "/places/{id}/history",
            role: None,
            path: &[("id", "the place's id, as `/places` gives it", &[])],
            example: "/places/1/history",
            errors: &[("/places/99999/history", 404), ("/places/x/history", 400)],
        }
        rq::PlaceHistoryRequest => Vec<StatusChange>, |s: &mut dyn Store, r| terr::places::history(s, r),
        path |r: &mut rq::PlaceHistoryRequest, v: &[String]| {
            let id = super::first(v)?;
            let id = id.parse::<i64>().map_err(|_| {
                crate::error::UserError::BadRequest(format!(
                    "`{id}` is not a place id (a whole number, as `/places` gives it)"
                ))
            })?;
            r.id = Some(id);
            anyhow::Ok(())
        }
    );
}

/// Per-item losses: counts, reporting lag, an item's history.
pub mod losses {
    use crate::answers::{HistoryRow, LagAnswer, NowcastRow, Overlap as OverlapRow, PeriodCount};
    use crate::commands::losses as l;
    use crate::requests as rq;
    use frontline_store::Store;

    query!(
        /// `losses count`.
        Count {
            name: "losses-count",
            summary: "Loss items per period, linked items counted once",
            cli: &["losses", "count"],
            http: "/losses/count",
            role: None,
            path: &[],
            example: "/losses/count?side=russia&category=tanks&period=week",
            errors: &[
                ("/losses/count?status=vaporised", 400),
                ("/losses/count?by=rumour", 400),
                ("/losses/count?as_of=2999-01-01", 400),
                ("/losses/count?as_of=last-week", 400),
                ("/losses/count?category=tank", 404),
            ],
        }
        rq::CountRequest => Vec<PeriodCount>, |s: &mut dyn Store, r| l::count(s, r)
    );
    query!(
        /// `lag`.
        Lag {
            name: "lag",
            summary: "Reporting lag (event → publication) per period, or its alerts",
            cli: &["lag"],
            http: "/lag",
            role: None,
            path: &[],
            example: "/lag?source=oryx&period=month&as_of=2024-08-31",
            errors: &[],
        }
        rq::LagRequest => LagAnswer, |s: &mut dyn Store, r| l::lag(s, r)
    );
    query!(
        /// `history`.
        History {
            name: "losses-history",
            summary: "Every version of one loss item, each with its source and the SHA-256 of the bytes it came from",
            cli: &["history"],
            http: "/losses/history",
            role: None,
            path: &[],
            example: "/losses/history?item=warspotting:7",
            errors: &[("/losses/history?item=oryx:nothing", 404), ("/losses/history", 400)],
        }
        rq::HistoryRequest => Vec<HistoryRow>, |s: &mut dyn Store, r| l::history(s, r)
    );
    query!(
        /// `nowcast`.
        Nowcast {
            name: "nowcast",
            summary: "Counts expected once late evidence is in, with 90 % intervals",
            cli: &["nowcast"],
            http: "/nowcast",
            role: None,
            path: &[],
            example: "/nowcast?source=oryx&as_of=2024-08-20&recent=2",
            errors: &[("/nowcast?source=oryx", 400), ("/nowcast?as_of=2024-08-20&recent=-1", 400)],
        }
        rq::NowcastRequest => Vec<NowcastRow>, |s: &mut dyn Store, r| l::nowcast_rows(s, r)
    );
    query!(
        /// `overlap`.
        Overlap {
            name: "losses-overlap",
            summary: "Items in both sources or one only, and a two-source estimate of the total (the lists are not independent: see its caveat)",
            cli: &["overlap"],
            http: "/losses/overlap",
            role: None,
            path: &[],
            example: "/losses/overlap?sources=oryx,warspotting&from=2024-08-01&to=2024-08-31",
            errors: &[("/losses/overlap?sources=oryx", 400)],
        }
        rq::OverlapRequest => OverlapRow, |s: &mut dyn Store, r| l::overlap_rows(s, r)
    );
}

/// The map's layers as GeoJSON: control, places, outlines, located items.
pub mod maps {
    use super::{GeoJson, Snapshots as Days};
    use crate::commands::geo;
    use crate::commands::territory as terr;
    use crate::error::bad;
    use crate::requests as rq;
    use frontline_store::Store;

    query!(
        /// `territory snapshots`.
        Snapshots {
            name: "territory-snapshots",
            summary: "Days with a control-map snapshot (for the time slider)",
            cli: &["territory", "snapshots"],
            http: "/territory/snapshots",
            role: None,
            path: &[],
            example: "/territory/snapshots",
            errors: &[],
        }
        rq::MapRequest => Days, |s: &mut dyn Store, r: &rq::MapRequest| Ok(Days(geo::snapshot_days(s, r.mapper.as_deref())?))
    );
    query!(
        /// `territory control`.
        Control {
            name: "territory-control",
            summary: "Control layers standing for a day (GeoJSON); `date` is required",
            cli: &["territory", "control"],
            http: "/territory/control",
            role: None,
            path: &[],
            example: "/territory/control?date=2024-08-02",
            errors: &[("/territory/control", 400), ("/territory/control?date=2000-01-01", 404)],
        }
        rq::MapRequest => GeoJson, |s: &mut dyn Store, r: &rq::MapRequest| {
            let date = r.date.ok_or_else(|| bad!("missing field `date`"))?;
            Ok(GeoJson(geo::control(s, date, r.mapper.as_deref())?))
        }
    );
    query!(
        /// `territory disagreement`.
        ComparePolygons {
            name: "territory-compare-polygons",
            summary: "The ground only one of two mappers draws on a day (GeoJSON, a feature per mapper); `date` is required",
            cli: &["territory", "disagreement"],
            http: "/territory/compare/polygons",
            role: None,
            path: &[],
            example: "/territory/compare/polygons?status=occupied&mappers=deepstate,isw&date=2024-08-02",
            errors: &[("/territory/compare/polygons?status=occupied&mappers=deepstate,isw", 400)],
        }
        rq::CompareRequest => GeoJson, |s: &mut dyn Store, r| Ok(GeoJson(terr::compare::polygons(s, r)?))
    );
    query!(
        /// `places`.
        Places {
            name: "places",
            summary: "Places (GeoJSON), with their status on `date` when given",
            cli: &["places"],
            http: "/places",
            role: None,
            path: &[],
            example: "/places?date=2024-08-02",
            errors: &[],
        }
        rq::MapRequest => GeoJson, |s: &mut dyn Store, r: &rq::MapRequest| {
            Ok(GeoJson(geo::places(s, r.date, r.min_population, r.mapper.as_deref())?))
        }
    );
    query!(
        /// `boundaries`.
        Boundaries {
            name: "boundaries",
            summary: "Imported outlines (GeoJSON), within a box when asked",
            cli: &["boundaries"],
            http: "/boundaries",
            role: None,
            path: &[],
            example: "/boundaries?bbox=10,38,60,62",
            errors: &[("/boundaries?bbox=60,38,10,62", 400)],
        }
        rq::BoundariesRequest => GeoJson, |s: &mut dyn Store, r: &rq::BoundariesRequest| {
            Ok(GeoJson(geo::boundaries(s, r.bbox.as_deref())?))
        }
    );
    query!(
        /// `losses located`.
        Located {
            name: "losses-located",
            summary: "Loss items with coordinates (GeoJSON), by event date and box; at most 50,000 per answer",
            cli: &["losses", "located"],
            http: "/losses/located",
            role: None,
            path: &[],
            example: "/losses/located?side=russia",
            errors: &[],
        }
        rq::LocatedRequest => GeoJson, |s: &mut dyn Store, r| Ok(GeoJson(geo::located_losses(s, r)?))
    );
}
