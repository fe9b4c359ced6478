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

/// How a query is named and shown on each surface.
#[derive(Debug, Clone, Copy)]
pub struct Decl {
    /// A stable name (`territory-area`).
    pub name: &'static str,
    /// One line, for the CLI's help and the OpenAPI summary.
    pub summary: &'static str,
    /// The CLI's command words (`["territory", "area"]`).
    pub cli: &'static [&'static str],
    /// The path under `/api/v1` (`/territory/area`).
    pub http: &'static str,
    /// A query string that answers on the test fixtures; the catalog test
    /// asks it through both surfaces and compares the requests.
    pub example: &'static str,
    /// Query strings and the error status they must answer on the
    /// fixtures.
    pub errors: &'static [(&'static str, u16)],
}

/// One question.
pub trait Query: 'static {
    /// How it is named.
    const DECL: Decl;
    /// What it takes.
    type Request: Request;
    /// What it answers: rows for a table, CSV or JSON.
    type Answer: Tabular + JsonSchema + Send + 'static;
    /// Answers it.
    fn run(store: &mut dyn Store, request: &Self::Request) -> Result<Self::Answer>;
}

/// Something done with every query of the catalog, with its types.
pub trait Visit {
    /// Called once per query, in catalog order.
    fn query<Q: Query>(&mut self);
}

/// Walks the catalog.
pub fn visit(v: &mut impl Visit) {
    v.query::<territory::Area>();
    v.query::<territory::Peak>();
    v.query::<territory::Settlements>();
    v.query::<territory::Handovers>();
    v.query::<territory::Units>();
    v.query::<territory::Distance>();
    v.query::<losses::Count>();
    v.query::<losses::Lag>();
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

/// Declares a query: `name { decl } Request => Answer, run`.
macro_rules! query {
    ($(#[$doc:meta])* $name:ident { $($decl:tt)* } $req:ty => $ans:ty, $run:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::queries::Query for $name {
            const DECL: $crate::queries::Decl = $crate::queries::Decl { $($decl)* };
            type Request = $req;
            type Answer = $ans;
            fn run(store: &mut dyn frontline_store::Store, request: &$req) -> anyhow::Result<$ans> {
                ($run)(store, request)
            }
        }
    };
}

/// Territory: areas, places and distances from the control maps.
pub mod territory {
    use crate::answers::{AreaDay, Distance as DistanceRow, Handover, Settlement, UnitArea};
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
            example: "status=liberated&within=RU",
            errors: &[("", 400), ("status=held", 400)],
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
            example: "status=liberated&within=RU",
            errors: &[("status=liberated&within=XX", 404)],
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
            example: "date=2024-08-02&status=liberated&within=RU",
            errors: &[("status=liberated", 400)],
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
            example: "from=2024-08-01&to=2024-08-04",
            errors: &[("from=2024-08-01", 400)],
        }
        rq::HandoversRequest => Vec<Handover>, |s: &mut dyn Store, r| terr::places::handovers(s, r)
    );
    query!(
        /// `territory units`.
        Units {
            name: "territory-units",
            summary: "A status's area in every first-level unit of a country on a day, with shares and change",
            cli: &["territory", "units"],
            http: "/territory/units",
            example: "status=occupied&country=UA&date=2024-08-02&since=2024-08-01",
            errors: &[("status=occupied&country=XX", 404)],
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
            example: "date=2024-08-01&status=liberated&place=Kursk",
            errors: &[("date=2024-08-01&status=liberated&place=Atlantis", 404)],
        }
        rq::DistanceRequest => Vec<DistanceRow>, |s: &mut dyn Store, r| terr::distance::run(s, r)
    );
}

/// Per-item losses: counts and reporting lag.
pub mod losses {
    use crate::answers::{LagAnswer, PeriodCount};
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
            example: "side=russia&category=tanks&period=week",
            errors: &[("status=vaporised", 400), ("by=rumour", 400)],
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
            example: "source=oryx&period=month",
            errors: &[],
        }
        rq::LagRequest => LagAnswer, |s: &mut dyn Store, r| l::lag(s, r)
    );
}
