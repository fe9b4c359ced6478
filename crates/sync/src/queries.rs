//! The sync layer's questions, declared with the app's query catalog
//! (`frontline_app::queries`): the CLI and the server walk [`visit`] after
//! the app's own, so they get a command, a route and a line of the API's
//! document the same way.

use crate::health::{self, SourceHealth};
use crate::review::{self, RevisionRow};
use crate::webhooks::{self, DeliveriesRequest, DeliveryRow, SubscriptionRow};
use frontline_app::queries::{Decl, Memos, Query, Visit};
use frontline_app::requests::NoParams;
use frontline_store::{Role, Store};

/// Walks this layer's queries.
pub fn visit(v: &mut impl Visit) {
    v.query::<Health>();
    v.query::<Review>();
    v.query::<Subscriptions>();
    v.query::<Deliveries>();
}

/// `sources health`: how fresh each synced source is.
pub struct Health;

impl Query for Health {
    const DECL: Decl = Decl {
        name: "sources-health",
        summary: "Per synced source: last attempt, last success, newest data, cadence, OK / STALE / REVIEW / FAILING / NEVER",
        cli: &["sources", "health"],
        http: "/sources/health",
        role: None,
        path: &[],
        example: "/sources/health",
        errors: &[],
    };
    type Request = NoParams;
    type Answer = Vec<SourceHealth>;
    /// Freshness depends on the clock as well as the data.
    const CACHED: bool = false;

    fn run(store: &mut dyn Store, _: &Memos, _: &NoParams) -> anyhow::Result<Vec<SourceHealth>> {
        Ok(health::all(store, chrono::Utc::now())?)
    }
}

/// `review list`: what syncs held for a person to decide.
pub struct Review;

impl Query for Review {
    const DECL: Decl = Decl {
        name: "review-list",
        summary: "Sync results held for review: source, when, why, status (admin token)",
        cli: &["review", "list"],
        http: "/review",
        role: Some(Role::Admin),
        path: &[],
        example: "/review",
        errors: &[("/review", 401)],
    };
    type Request = NoParams;
    type Answer = Vec<RevisionRow>;

    fn run(store: &mut dyn Store, _: &Memos, _: &NoParams) -> anyhow::Result<Vec<RevisionRow>> {
        review::list(store)
    }
}

/// `subscribe list`: the webhook subscriptions, never their secrets.
pub struct Subscriptions;

impl Query for Subscriptions {
    const DECL: Decl = Decl {
        name: "subscriptions",
        summary: "Webhook subscriptions: id, target, kinds, who added them, active or paused and why (admin token)",
        cli: &["subscribe", "list"],
        http: "/subscriptions",
        role: Some(Role::Admin),
        path: &[],
        example: "/subscriptions",
        errors: &[("/subscriptions", 401)],
    };
    type Request = NoParams;
    type Answer = Vec<SubscriptionRow>;
    const CACHED: bool = false;

    fn run(store: &mut dyn Store, _: &Memos, _: &NoParams) -> anyhow::Result<Vec<SubscriptionRow>> {
        webhooks::list(store)
    }
}

/// `subscribe deliveries`: each event owed to a subscription, where it
/// stands (`--status dead`: the dead letters).
pub struct Deliveries;

impl Query for Deliveries {
    const DECL: Decl = Decl {
        name: "deliveries",
        summary: "Webhook deliveries, oldest first: event, status (pending, delivered, dead), attempts, last error, idempotency key (admin token)",
        cli: &["subscribe", "deliveries"],
        http: "/deliveries",
        role: Some(Role::Admin),
        path: &[],
        example: "/deliveries?status=dead",
        errors: &[("/deliveries", 401)],
    };
    type Request = DeliveriesRequest;
    type Answer = Vec<DeliveryRow>;
    const CACHED: bool = false;

    fn run(store: &mut dyn Store, _: &Memos, request: &DeliveriesRequest) -> anyhow::Result<Vec<DeliveryRow>> {
        webhooks::deliveries(store, request)
    }
}
