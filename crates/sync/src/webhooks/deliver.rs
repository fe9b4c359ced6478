//! The delivery worker: queues what each subscription is owed, sends what
//! is due, and records every attempt, so that a restart resumes where it
//! stopped. It runs on its own thread in `serve` (or once, `subscribe
//! deliver`), with its own store connection and no lock held while it
//! waits on a receiver: a receiver that never answers costs one worker slot
//! for the timeout, never an import or a request.

use super::sign;
use super::target;
use chrono::{DateTime, Utc};
use frontline_model::{Delivery, Event, EventKind, Subscription};
use frontline_store::{Attempt, AttemptThen, DeliveryFilter, Store, SubscriptionChange};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;

/// How deliveries are made (`serve`'s and `subscribe deliver`'s flags).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct WorkerConfig {
    /// Seconds between two looks for new events and due retries.
    #[cfg_attr(feature = "cli", arg(long = "webhook-poll-secs", default_value = "2", value_parser = secs))]
    pub poll: Duration,
    /// Seconds a receiver has to answer a delivery.
    #[cfg_attr(feature = "cli", arg(long = "webhook-timeout-secs", default_value = "10", value_parser = secs))]
    pub timeout: Duration,
    /// The first retry's delay, seconds; each next one doubles, up to
    /// `--webhook-retry-max-secs`, less up to half at random (jitter).
    #[cfg_attr(feature = "cli", arg(long = "webhook-retry-secs", default_value = "30", value_parser = secs))]
    pub retry_base: Duration,
    /// The longest delay between two attempts, seconds.
    #[cfg_attr(feature = "cli", arg(long = "webhook-retry-max-secs", default_value = "3600", value_parser = secs))]
    pub retry_max: Duration,
    /// Seconds after which a delivery not yet accepted is a dead letter and
    /// its subscription is paused (a day).
    #[cfg_attr(feature = "cli", arg(long = "webhook-give-up-secs", default_value = "86400", value_parser = secs))]
    pub give_up: Duration,
    /// Deliver to loopback and private addresses too (tests, an intranet).
    #[cfg_attr(feature = "cli", arg(long = "webhook-allow-private"))]
    pub allow_private: bool,
    /// Deliveries sent at once.
    #[cfg_attr(feature = "cli", arg(long = "webhook-parallel", default_value_t = 4))]
    pub parallel: usize,
}

/// Seconds, possibly fractional, as a duration.
#[cfg(feature = "cli")]
fn secs(s: &str) -> Result<Duration, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= 7.0 * 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("`{s}`: seconds, above 0 and at most a week"))
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            poll: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            give_up: Duration::from_secs(86_400),
            allow_private: false,
            parallel: 4,
        }
    }
}

/// The most deliveries one pass sends.
pub const BATCH: usize = 64;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PassReport {
    /// Deliveries queued for new events.
    pub queued: usize,
    /// Accepted by their receivers.
    pub delivered: usize,
    /// Failed, to be tried again.
    pub retried: usize,
    /// Given up: dead letters.
    pub dead: usize,
    /// Subscriptions paused for it.
    pub paused: Vec<String>,
}

/// The key a receiver tells repeats apart by: the same for every attempt
/// at one event for one subscription (32 hex digits of a SHA-256).
pub fn idempotency_key(subscription: &str, event: &str) -> String {
    let digest = Sha256::digest(format!("{subscription}\n{event}").as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The body of a delivery: the same bytes at every attempt.
pub fn body(d: &Delivery) -> Vec<u8> {
    let title = frontline_app::commands::events::title(&d.event, frontline_app::commands::events::Lang::En);
    let doc = serde_json::json!({
        "idempotency_key": idempotency_key(&d.subscription, &d.event.id),
        "subscription": d.subscription,
        "event": d.event,
        "title": title,
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

/// The delay before attempt `n + 1`, after `n` failed: the base doubled
/// `n - 1` times, capped, less up to half by a jitter drawn from the key
/// (deliveries failing together retry apart; the same delivery, the same).
pub fn delay(config: &WorkerConfig, key: &str, failed: u32) -> Duration {
    let doubled = config.retry_base.as_secs_f64() * 2f64.powi(failed.saturating_sub(1).min(30) as i32);
    let full = doubled.min(config.retry_max.as_secs_f64());
    let draw = Sha256::digest(format!("{key}/{failed}").as_bytes());
    let unit = f64::from(u16::from_be_bytes([draw[0], draw[1]])) / f64::from(u16::MAX);
    Duration::from_secs_f64(full * (1.0 - unit / 2.0))
}

/// One pass: queue, send what is due (`parallel` at once), record.
pub fn pass(store: &mut dyn Store, config: &WorkerConfig, now: DateTime<Utc>) -> anyhow::Result<PassReport> {
    let subscriptions: HashMap<String, Subscription> =
        store.subscriptions()?.into_iter().map(|s| (s.id.clone(), s)).collect();
    let mut report = PassReport::default();
    if subscriptions.is_empty() {
        return Ok(report);
    }
    report.queued = store.queue_deliveries(now)?;
    let due = store.deliveries(&DeliveryFilter {
        due_by: Some(now),
        limit: BATCH,
        ..Default::default()
    })?;
    let mut outcomes = Vec::new();
    for chunk in due.chunks(config.parallel.max(1)) {
        let sent: Vec<Attempt> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|d| scope.spawn(|| attempt(&subscriptions[&d.subscription], d, config)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| failed(None, "the attempt panicked")))
                .collect()
        });
        outcomes.extend(chunk.iter().zip(sent));
    }
    for (d, mut a) in outcomes {
        if a.then != AttemptThen::Delivered {
            let wait = chrono::Duration::from_std(delay(
                config,
                &idempotency_key(&d.subscription, &d.event.id),
                d.attempts + 1,
            ))?;
            let window = chrono::Duration::from_std(config.give_up)?;
            a.then = if a.at + wait > d.created_at + window {
                AttemptThen::Dead
            } else {
                AttemptThen::Retry(a.at + wait)
            };
        }
        store.record_attempt(d.id, &a)?;
        match a.then {
            AttemptThen::Delivered => report.delivered += 1,
            AttemptThen::Retry(_) => report.retried += 1,
            AttemptThen::Dead => {
                report.dead += 1;
                if !report.paused.contains(&d.subscription) {
                    pause(store, d, &a)?;
                    report.paused.push(d.subscription.clone());
                }
            }
        }
    }
    Ok(report)
}

/// A failed attempt (what follows is decided by the caller).
fn failed(status: Option<u16>, why: &str) -> Attempt {
    Attempt {
        at: Utc::now(),
        status,
        error: Some(why.chars().take(300).collect()),
        then: AttemptThen::Dead,
    }
}

/// Sends one delivery, to the addresses its target resolves to now.
fn attempt(s: &Subscription, d: &Delivery, config: &WorkerConfig) -> Attempt {
    let target = match target::check(&s.url, config.allow_private) {
        Ok(t) => t,
        Err(e) => return failed(None, &e.to_string()),
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .resolve_to_addrs(&target.host, &target.addrs)
        .user_agent(concat!("frontline-webhooks/", env!("CARGO_PKG_VERSION")))
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => return failed(None, &format!("client: {e}")),
    };
    let bytes = body(d);
    let at = Utc::now();
    let sent = client
        .post(target.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(sign::HEADER, sign::signature(&s.secret, at.timestamp(), &bytes))
        .header("Idempotency-Key", idempotency_key(&s.id, &d.event.id))
        .header("Frontline-Event", d.event.kind.as_str())
        .header("Frontline-Delivery", d.id.to_string())
        .header("Frontline-Attempt", (d.attempts + 1).to_string())
        .body(bytes)
        .send();
    match sent {
        Ok(r) if r.status().is_success() => Attempt {
            at,
            status: Some(r.status().as_u16()),
            error: None,
            then: AttemptThen::Delivered,
        },
        Ok(r) => failed(Some(r.status().as_u16()), &format!("HTTP {}", r.status())),
        Err(e) if e.is_timeout() => failed(None, &format!("no answer within {} s", config.timeout.as_secs_f64())),
        Err(e) => failed(None, &format!("{e}")),
    }
}

/// Pauses a subscription whose delivery died, and records that as an
/// event of its own (the admin's: it names the subscription, not the URL).
fn pause(store: &mut dyn Store, d: &Delivery, a: &Attempt) -> anyhow::Result<()> {
    let last = a.error.clone().unwrap_or_default();
    let why = format!("deliveries failed for the whole retry window; last: {last}");
    store.change_subscription(&d.subscription, &SubscriptionChange::Pause(a.at, why.clone()))?;
    let mut figures = serde_json::Map::new();
    figures.insert("reason".into(), why.into());
    figures.insert("delivery".into(), d.id.into());
    figures.insert("attempts".into(), (d.attempts + 1).into());
    store.put_events(&[Event::new(
        EventKind::SubscriptionPaused,
        format!("subscription-paused/{}/{}", d.subscription, a.at.timestamp()),
        a.at.date_naive(),
        &d.subscription,
        "webhooks",
        figures,
        "/".into(),
    )])?;
    tracing::warn!("webhook subscription {} paused: {last}", d.subscription);
    Ok(())
}

/// Runs passes every `config.poll` on a thread of its own, with its own
/// store connection (reopened after an error), until the process ends.
pub fn start(db: String, config: WorkerConfig) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("frontline-webhooks".into())
        .spawn(move || {
            let mut store = None;
            // Staleness comes without a sync run: health is looked at here
            // too, once a minute.
            let mut health_at = std::time::Instant::now();
            loop {
                if store.is_none() {
                    store = frontline_store::open(&db)
                        .map_err(|e| tracing::warn!("webhooks: cannot open the store: {e}"))
                        .ok();
                }
                if let Some(s) = store.as_mut()
                    && health_at.elapsed() >= Duration::from_secs(60)
                {
                    health_at = std::time::Instant::now();
                    if let Err(e) = crate::health::detect_events(s.as_mut(), Utc::now()) {
                        tracing::warn!("source health events: {e:#}");
                    }
                }
                if let Some(s) = store.as_mut() {
                    match pass(s.as_mut(), &config, Utc::now()) {
                        Ok(r) if r.queued + r.delivered + r.retried + r.dead > 0 => tracing::info!(
                            "webhooks: {} queued, {} delivered, {} to retry, {} dead",
                            r.queued,
                            r.delivered,
                            r.retried,
                            r.dead
                        ),
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!("webhooks: {e:#}");
                            store = None;
                        }
                    }
                }
                std::thread::sleep(config.poll);
            }
        })
        .expect("spawning the webhook thread")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_less_a_jitter_of_at_most_half() {
        let c = WorkerConfig::default();
        let d = |n| delay(&c, "k", n).as_secs_f64();
        for (n, full) in [(1, 30.0), (2, 60.0), (3, 120.0), (8, 3600.0), (40, 3600.0)] {
            assert!(d(n) <= full && d(n) >= full / 2.0, "attempt {n}: {}", d(n));
        }
        assert_eq!(
            delay(&c, "k", 3),
            delay(&c, "k", 3),
            "the same delivery, the same delay"
        );
        let spread: std::collections::BTreeSet<u128> =
            (0..20).map(|i| delay(&c, &format!("k{i}"), 3).as_millis()).collect();
        assert!(spread.len() > 15, "keys retry apart: {spread:?}");
    }

    #[test]
    fn keys_are_per_subscription_and_event() {
        let k = idempotency_key("sub_a", "record/x/2024-11-12");
        assert_eq!(k.len(), 32);
        assert_eq!(k, idempotency_key("sub_a", "record/x/2024-11-12"));
        assert_ne!(k, idempotency_key("sub_b", "record/x/2024-11-12"));
    }
}
