//! Webhooks (docs/webhooks.md): subscriptions managed by an admin, and the
//! worker that delivers each event to them at least once, signed, retried
//! with backoff for a day, then dead-lettered.
//!
//! This sits with the connectors: both speak HTTP to the outside, through
//! the same client and under the same limits.

#[cfg(feature = "cli")]
pub mod cli;
pub mod deliver;
pub mod sign;
pub mod target;

use chrono::{DateTime, Utc};
use frontline_model::class::{Classify, ErrorClass};
use frontline_model::{DeliveryStatus, EventKind, Subscription};
use frontline_store::{DeliveryFilter, Store, SubscriptionChange};
use serde::{Deserialize, Serialize};

/// The most subscriptions a store keeps (each costs a delivery per event).
pub const MAX_SUBSCRIPTIONS: usize = 100;
/// The most deliveries one listing answers.
pub const MAX_LISTED: usize = 1000;

/// What can go wrong managing subscriptions.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// A target refused (scheme, address, length).
    #[error("url: {0}")]
    Target(String),
    /// Another field refused.
    #[error("{0}")]
    Bad(String),
    /// No subscription of that id.
    #[error("no subscription `{0}`")]
    NoSuch(String),
}

frontline_model::classified!(WebhookError);

impl Classify for WebhookError {
    fn class(&self) -> ErrorClass {
        match self {
            WebhookError::Target(_) | WebhookError::Bad(_) => ErrorClass::BadRequest,
            WebhookError::NoSuch(_) => ErrorClass::NotFound,
        }
    }
}

/// What adding a subscription takes (the CLI's flags, the HTTP body).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscription {
    /// Where to deliver: `http(s)`, public addresses only unless the
    /// configuration allows private ones.
    pub url: String,
    /// The event kinds, comma-separated (every kind when empty).
    #[serde(default)]
    pub kind: Option<String>,
    /// The signing secret, 16 to 256 characters; one is made and shown once
    /// when none is given.
    #[serde(default)]
    pub secret: Option<String>,
}

/// A subscription added.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Added {
    /// Its id.
    pub id: String,
    /// Its target.
    pub url: String,
    /// The kinds it follows.
    pub kinds: String,
    /// The secret made for it, shown this once (none when one was given).
    pub secret: Option<String>,
}

/// Adds a subscription for `by` (a token's name, `cli`).
pub fn add(store: &mut dyn Store, new: &NewSubscription, by: &str, allow_private: bool) -> anyhow::Result<Added> {
    target::check(&new.url, allow_private)?;
    let kinds = frontline_app::commands::events::kinds(new.kind.as_deref())?;
    let kinds = if kinds.is_empty() {
        EventKind::ALL.to_vec()
    } else {
        kinds
    };
    let made = match &new.secret {
        Some(s) if !(16..=256).contains(&s.chars().count()) || s.chars().any(char::is_control) => {
            return Err(WebhookError::Bad("secret: 16 to 256 characters, no control characters".into()).into());
        }
        Some(_) => None,
        None => Some(format!("whsec_{}", &frontline_app::auth::generate()?[3..])),
    };
    if store.subscriptions()?.len() >= MAX_SUBSCRIPTIONS {
        return Err(WebhookError::Bad(format!("{MAX_SUBSCRIPTIONS} subscriptions at most; remove one first")).into());
    }
    let id = format!("sub_{}", &frontline_app::auth::generate()?[3..19]);
    let subscription = Subscription {
        id: id.clone(),
        url: new.url.clone(),
        kinds: kinds.clone(),
        secret: new.secret.clone().or_else(|| made.clone()).unwrap_or_default(),
        created_by: by.to_string(),
        created_at: Utc::now(),
        paused: None,
    };
    store.put_subscription(&subscription)?;
    Ok(Added {
        id,
        url: new.url.clone(),
        kinds: names(&kinds),
        secret: made,
    })
}

fn names(kinds: &[EventKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

/// What an admin does to a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Stop delivering; deliveries wait.
    Pause,
    /// Deliver again, what waited first.
    Resume,
    /// Delete it and its deliveries.
    Remove,
}

impl Action {
    /// Every action, as paths name them.
    pub const NAMES: &'static [&'static str] = &["pause", "resume", "remove"];

    /// The action of this name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "pause" => Action::Pause,
            "resume" => Action::Resume,
            "remove" => Action::Remove,
            _ => return None,
        })
    }
}

/// Does `action` to subscription `id`.
pub fn change(store: &mut dyn Store, id: &str, action: Action, by: &str) -> anyhow::Result<()> {
    let now = Utc::now();
    let change = match action {
        Action::Pause => SubscriptionChange::Pause(now, format!("paused by {by}")),
        Action::Resume => SubscriptionChange::Resume(now),
        Action::Remove => SubscriptionChange::Remove,
    };
    if store.change_subscription(id, &change)? {
        Ok(())
    } else {
        Err(WebhookError::NoSuch(id.to_string()).into())
    }
}

/// One subscription as listed: never its secret.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SubscriptionRow {
    /// Its id.
    pub id: String,
    /// Its target.
    pub url: String,
    /// The kinds it follows.
    pub kinds: String,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// `active` or `paused`.
    pub state: String,
    /// When and why it was paused.
    pub paused_at: Option<DateTime<Utc>>,
    /// Why.
    pub paused_reason: Option<String>,
}

/// Every subscription.
pub fn list(store: &dyn Store) -> anyhow::Result<Vec<SubscriptionRow>> {
    Ok(store
        .subscriptions()?
        .into_iter()
        .map(|s| SubscriptionRow {
            kinds: names(&s.kinds),
            state: if s.paused.is_some() { "paused" } else { "active" }.into(),
            paused_at: s.paused.as_ref().map(|p| p.0),
            paused_reason: s.paused.map(|p| p.1),
            id: s.id,
            url: s.url,
            created_by: s.created_by,
            created_at: s.created_at,
        })
        .collect())
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct DeliveriesRequest {
    /// pending, delivered or dead (dead letters); any when absent.
    #[cfg_attr(feature = "cli", arg(long))]
    pub status: Option<String>,
    /// Of this subscription only.
    #[cfg_attr(feature = "cli", arg(long))]
    pub subscription: Option<String>,
    /// At most this many, oldest first (default and cap 1000).
    #[cfg_attr(feature = "cli", arg(long))]
    pub limit: Option<usize>,
}

/// One delivery as listed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeliveryRow {
    /// The store's number.
    pub id: i64,
    /// The subscription.
    pub subscription: String,
    /// The event's id.
    pub event: String,
    /// Its kind.
    pub kind: String,
    /// pending, delivered or dead.
    pub status: String,
    /// Attempts made.
    pub attempts: u32,
    /// The receiver's key for telling repeats apart.
    pub idempotency_key: String,
    /// When queued.
    pub created_at: DateTime<Utc>,
    /// When next due (pending).
    pub next_at: DateTime<Utc>,
    /// The last attempt.
    pub last_at: Option<DateTime<Utc>>,
    /// The receiver's status then, if it answered.
    pub last_status: Option<u16>,
    /// What went wrong then.
    pub last_error: Option<String>,
}

/// Deliveries, oldest first.
pub fn deliveries(store: &dyn Store, req: &DeliveriesRequest) -> anyhow::Result<Vec<DeliveryRow>> {
    let status = match req.status.as_deref() {
        None => None,
        Some(s) => Some(
            DeliveryStatus::parse(s)
                .ok_or_else(|| WebhookError::Bad(format!("status: `{s}` is not one of pending, delivered, dead")))?,
        ),
    };
    let filter = DeliveryFilter {
        status,
        subscription: req.subscription.clone(),
        due_by: None,
        limit: req.limit.unwrap_or(MAX_LISTED).min(MAX_LISTED),
    };
    Ok(store
        .deliveries(&filter)?
        .into_iter()
        .map(|d| {
            let (last_at, last_status, last_error) = match d.last {
                Some((at, status, error)) => (Some(at), status, error),
                None => (None, None, None),
            };
            DeliveryRow {
                idempotency_key: deliver::idempotency_key(&d.subscription, &d.event.id),
                id: d.id,
                subscription: d.subscription,
                kind: d.event.kind.to_string(),
                event: d.event.id,
                status: d.status.as_str().into(),
                attempts: d.attempts,
                created_at: d.created_at,
                next_at: d.next_at,
                last_at,
                last_status,
                last_error,
            }
        })
        .collect())
}
