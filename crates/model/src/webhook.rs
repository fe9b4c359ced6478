//! Webhooks: who asked to be told of which events, and each delivery of an
//! event to them (docs/webhooks.md).
//!
//! A delivery is made once per subscription and event, and its state is
//! durable: a server stopped between an import and the delivery delivers
//! after its restart, and the receiver tells repeats apart by the delivery's
//! idempotency key.

use crate::event::{Event, EventKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A subscription: a target URL, the event kinds it follows, the secret its
/// deliveries are signed with.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// `sub_` and 16 hex digits.
    pub id: String,
    /// `http(s)` only, checked when added and again at each delivery.
    pub url: String,
    /// The kinds it is told of.
    pub kinds: Vec<EventKind>,
    /// The HMAC-SHA256 key (kept as given: signing needs it).
    pub secret: String,
    /// Who added it (a token's name, `cli`).
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Set while it is paused: when and why.
    pub paused: Option<(DateTime<Utc>, String)>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryStatus {
    /// Not yet accepted: due at its `next_at`.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up after the retry window: a dead letter.
    Dead,
}

impl DeliveryStatus {
    /// Every status.
    pub const ALL: [DeliveryStatus; 3] = [Self::Pending, Self::Delivered, Self::Dead];

    /// Its name in the store and in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Dead => "dead",
        }
    }

    /// The status of this name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// One event owed to one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The store's number for it.
    pub id: i64,
    /// The subscription's id.
    pub subscription: String,
    /// The event.
    pub event: Event,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it was queued (the retry window counts from here).
    pub created_at: DateTime<Utc>,
    /// When it is next due (pending only).
    pub next_at: DateTime<Utc>,
    /// The last attempt: when, the receiver's HTTP status if it answered,
    /// what went wrong if anything.
    pub last: Option<(DateTime<Utc>, Option<u16>, Option<String>)>,
}
