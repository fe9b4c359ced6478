//! Webhooks (#24, docs/webhooks.md), end to end: a receiver in this test
//! process, `frontline subscribe …`, imports of the bundled General Staff
//! personnel tallies (22 record days, `data/general-staff-tallies`, MIT),
//! delivery passes and a real `frontline serve` killed with SIGKILL.
//!
//! Signatures are checked here with the `hmac` crate, not with Frontline's
//! own `sign` module.

use hmac::{KeyInit, Mac};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

const SECRET: &str = "whsec_0123456789abcdef";

/// One request the receiver got, and what it answered (`None`: it held
/// the connection and never answered).
#[derive(Debug, Clone)]
struct Got {
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
    answered: Option<u16>,
}

/// A webhook receiver on a loopback port: it fails the first
/// `fail_first` requests of each idempotency key with 500, holds every
/// connection without answering while `hold` is set, and keeps what it got.
#[derive(Clone)]
struct Receiver {
    addr: String,
    got: Arc<Mutex<Vec<Got>>>,
    fail_first: Arc<AtomicUsize>,
    hold: Arc<AtomicBool>,
    holding: Arc<AtomicUsize>,
}

impl Receiver {
    fn start(fail_first: usize) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let r = Receiver {
            addr: listener.local_addr().unwrap().to_string(),
            got: Arc::default(),
            fail_first: Arc::new(AtomicUsize::new(fail_first)),
            hold: Arc::default(),
            holding: Arc::default(),
        };
        let me = r.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let me = me.clone();
                std::thread::spawn(move || me.answer(stream));
            }
        });
        r
    }

    fn answer(&self, mut stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut headers = BTreeMap::new();
        let mut line = String::new();
        reader.read_line(&mut line).unwrap_or(0);
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let key = headers.get("idempotency-key").cloned().unwrap_or_default();
        if self.hold.load(Ordering::SeqCst) {
            self.got.lock().unwrap().push(Got {
                headers,
                body,
                answered: None,
            });
            self.holding.fetch_add(1, Ordering::SeqCst);
            while self.hold.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
            self.holding.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        let mut got = self.got.lock().unwrap();
        let seen = got
            .iter()
            .filter(|g| g.headers.get("idempotency-key") == Some(&key) && g.answered.is_some())
            .count();
        let status = if seen < self.fail_first.load(Ordering::SeqCst) {
            500
        } else {
            200
        };
        got.push(Got {
            headers,
            body,
            answered: Some(status),
        });
        drop(got);
        let _ = write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }

    fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// Per idempotency key, the statuses answered, in order.
    fn by_key(&self) -> BTreeMap<String, Vec<Option<u16>>> {
        let mut out: BTreeMap<String, Vec<Option<u16>>> = BTreeMap::new();
        for g in self.got.lock().unwrap().iter() {
            out.entry(g.headers["idempotency-key"].clone())
                .or_default()
                .push(g.answered);
        }
        out
    }

    /// Waits (at most a minute) until `done` holds of what it got.
    fn wait_for(&self, what: &str, done: impl Fn(&Receiver) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(start.elapsed() < Duration::from_secs(60), "waited a minute for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The independent check of `Frontline-Signature: t=…,v1=…`.
fn signed(g: &Got) -> bool {
    let header = &g.headers["frontline-signature"];
    let (t, v1) = header.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&g.body);
    let want: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    want == v1
}

fn personnel() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    common::files(&dir, &common::TALLY_FILES[..1]).remove(0)
}

/// Subscribes `url` to record days with [`SECRET`]; the id.
fn subscribe(env: &common::Env, url: &str) -> String {
    let secret = env.dir.path().join("secret.txt");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let secret = secret.to_str().unwrap();
    let mut args = common::words("subscribe add --kind record --allow-private");
    args.extend(["--url", url, "--secret-file", secret]);
    let out = env.ok(&args);
    out.trim().to_string()
}

const FAST: &str = "subscribe deliver --webhook-allow-private --webhook-retry-secs 0.05 --webhook-retry-max-secs 0.1";

#[test]
fn a_receiver_failing_three_times_gets_each_event_once_more_with_one_key_and_valid_signatures() {
    let env = common::Env::new();
    let receiver = Receiver::start(3);
    let id = subscribe(&env, &receiver.url());
    assert!(id.starts_with("sub_") && id.len() == 20, "{id}");
    env.ok(&["import", "tallies", &personnel()]);
    let start = Instant::now();
    while receiver.by_key().len() < 22 || receiver.by_key().values().any(|s| s.last() != Some(&Some(200))) {
        assert!(start.elapsed() < Duration::from_secs(60), "{:?}", receiver.by_key());
        env.ok(&common::words(FAST));
        std::thread::sleep(Duration::from_millis(60));
    }
    let keys = receiver.by_key();
    assert_eq!(keys.len(), 22, "one key per record day");
    for (key, statuses) in &keys {
        assert_eq!(statuses, &[Some(500), Some(500), Some(500), Some(200)], "{key}");
    }
    let got = receiver.got.lock().unwrap().clone();
    assert!(got.iter().all(signed), "every attempt is signed with the secret");
    // Every attempt at one event carries the same body and key; the event
    // in the body is the record day the feeds show.
    let streak: Vec<&Got> = got
        .iter()
        .filter(|g| String::from_utf8_lossy(&g.body).contains("personnel/2024-11-12"))
        .collect();
    assert_eq!(streak.len(), 4);
    assert!(streak.iter().all(|g| g.body == streak[0].body));
    let body: Value = serde_json::from_slice(&streak[0].body).unwrap();
    assert_eq!(body["idempotency_key"], streak[0].headers["idempotency-key"].as_str());
    assert_eq!(body["subscription"], id.as_str());
    assert_eq!(
        (&body["event"]["figures"]["value"], &body["event"]["figures"]["streak"]),
        (&Value::from(1950), &Value::from(2))
    );
    let attempts: Vec<&str> = streak.iter().map(|g| g.headers["frontline-attempt"].as_str()).collect();
    assert_eq!(attempts, ["1", "2", "3", "4"]);
    assert_eq!(streak[0].headers["frontline-event"], "record");
    // The store says the same, and a further pass sends nothing.
    let done = env.json(&common::words("subscribe deliveries --status delivered"));
    assert_eq!(common::rows(&done).len(), 22);
    assert!(
        common::rows(&done)
            .iter()
            .all(|d| d["attempts"] == 4 && d["last_status"] == 200)
    );
    env.ok(&common::words(FAST));
    assert_eq!(receiver.got.lock().unwrap().len(), 22 * 4);
    // Importing the same file again makes no new event, so no delivery.
    env.ok(&["import", "tallies", &personnel()]);
    assert!(env.ok(&common::words(FAST)).starts_with("0 queued, 0 delivered"));
}

#[test]
fn a_receiver_failing_past_the_window_dead_letters_and_pauses_its_subscription() {
    let env = common::Env::new();
    let receiver = Receiver::start(usize::MAX);
    let id = subscribe(&env, &receiver.url());
    env.ok(&["import", "tallies", &personnel()]);
    let window = "--webhook-give-up-secs 0.3 --webhook-parallel 8";
    let start = Instant::now();
    loop {
        let out = env.ok(&common::words(&format!("{FAST} {window}")));
        if env.json(&common::words("subscribe list"))[0]["state"] == "paused" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{out}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let dead = env.json(&common::words("subscribe deliveries --status dead"));
    assert!(!common::rows(&dead).is_empty());
    assert!(
        common::rows(&dead)
            .iter()
            .all(|d| d["last_error"] == "HTTP 500 Internal Server Error"),
        "{dead}"
    );
    let listed = env.json(&common::words("subscribe list"));
    let why = listed[0]["paused_reason"].as_str().unwrap();
    assert!(why.contains("last: HTTP 500"), "{why}");
    assert!(!listed.to_string().contains(SECRET), "listings never show the secret");
    // The admin is told: an event of its own, naming the subscription only.
    let told = env.json(&common::words("events --kind subscription-paused"));
    assert_eq!(common::strs(&told, "/subject"), [id.as_str()]);
    assert!(!told.to_string().contains(&receiver.addr));
    // Paused, nothing is sent; resumed and answered, the rest arrive.
    let sent = receiver.got.lock().unwrap().len();
    env.ok(&common::words(FAST));
    assert_eq!(
        receiver.got.lock().unwrap().len(),
        sent,
        "a paused subscription gets nothing"
    );
    receiver.fail_first.store(0, Ordering::SeqCst);
    env.ok(&["subscribe", "resume", &id]);
    env.ok(&common::words(FAST));
    let pending = env.json(&common::words("subscribe deliveries --status pending"));
    assert!(common::rows(&pending).is_empty(), "{pending}");
}

#[test]
fn targets_are_checked_when_added() {
    let env = common::Env::new();
    let refused = env.run(&common::words("subscribe add --url http://127.0.0.1:9/hook"));
    common::fails(&refused, 1, "a loopback, private or reserved address");
    let refused = env.run(&common::words("subscribe add --url file:///etc/passwd --allow-private"));
    common::fails(&refused, 1, "only http and https");
    let made = env.ok(&common::words(
        "subscribe add --url http://127.0.0.1:9/hook --allow-private",
    ));
    let lines: Vec<&str> = made.lines().collect();
    assert!(lines[1].starts_with("whsec_") && lines[1].len() == 6 + 64, "{made}");
    let id = lines[0];
    env.ok(&["subscribe", "remove", id]);
    common::fails(&env.run(&["subscribe", "pause", id]), 1, "no subscription");
}

/// A server killed with SIGKILL while its worker waits on a receiver that
/// holds the connection: the import it was delivering is committed, so the
/// restarted server delivers every event, and the receiver accepts each
/// key once. While the receiver holds the worker, imports and reads go on.
#[test]
fn killed_between_commit_and_delivery_the_restarted_server_delivers_each_key_once() {
    let env = common::Env::new();
    let receiver = Receiver::start(0);
    receiver.hold.store(true, Ordering::SeqCst);
    subscribe(&env, &receiver.url());
    let db = env.db.to_str().unwrap();
    let flags = [
        "--webhook-allow-private",
        "--webhook-poll-secs",
        "0.1",
        "--webhook-timeout-secs",
        "60",
        "--webhook-retry-secs",
        "0.1",
    ];
    let server = common::serve(db, &flags);
    env.ok(&["import", "tallies", &personnel()]);
    receiver.wait_for("the worker's first delivery", |r| r.holding.load(Ordering::SeqCst) > 0);
    // Held: an import and a read go on regardless.
    let equipment =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies/russia_losses_equipment.json");
    env.ok(&["import", "tallies", equipment.to_str().unwrap()]);
    let (status, _, body) = common::http_get(&server.addr, "/api/v1/events?kind=record&category=personnel&limit=1");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        receiver.holding.load(Ordering::SeqCst) > 0,
        "still held while the import and the read ran"
    );
    drop(server); // SIGKILL
    let owed = common::rows(&env.json(&common::words("events --kind record --limit 1000"))).len();
    assert_eq!(owed, 164, "22 personnel and 142 equipment record days");
    receiver.hold.store(false, Ordering::SeqCst);
    let server = common::serve(db, &flags);
    receiver.wait_for("every record day accepted", |r| {
        r.by_key().values().filter(|s| s.contains(&Some(200))).count() == owed
    });
    // A few more polls: nothing is sent again.
    std::thread::sleep(Duration::from_millis(500));
    drop(server);
    for (key, statuses) in receiver.by_key() {
        let accepted = statuses.iter().filter(|s| **s == Some(200)).count();
        assert_eq!(accepted, 1, "{key}: {statuses:?}");
    }
    let done = env.json(&common::words("subscribe deliveries --status delivered"));
    assert_eq!(common::rows(&done).len(), owed);
}

/// Subscriptions over HTTP are an admin's: added with a JSON body (the
/// target checked against the server's own setting), listed without their
/// secrets, paused and removed.
#[test]
fn subscriptions_over_http_take_an_admin_token() {
    let env = common::Env::new();
    env.ok(&["import", "tallies", &personnel()]);
    let server = common::serve(env.db.to_str().unwrap(), &["--token", "t0ken-for-tests"]);
    let post = |path: &str, token: Option<&str>, body: &str| {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        let (status, _, _, body) = common::exchange(&server.addr, "POST", path, &headers, body.as_bytes());
        (status, String::from_utf8_lossy(&body).to_string())
    };
    let admin = Some("t0ken-for-tests");
    let new = r#"{"url": "https://1.1.1.1/hook", "kind": "record,handover"}"#;
    assert_eq!(post("/api/v1/subscriptions", None, new).0, 401);
    assert_eq!(post("/api/v1/subscriptions", Some("wrong"), new).0, 401);
    let (status, body) = post("/api/v1/subscriptions", admin, r#"{"url": "http://127.0.0.1:9/hook"}"#);
    assert_eq!(status, 400);
    assert!(body.contains("loopback"), "{body}");
    let (status, body) = post(
        "/api/v1/subscriptions",
        admin,
        r#"{"url": "https://1.1.1.1/", "secrt": "x"}"#,
    );
    assert_eq!((status, body.contains("unknown field `secrt`")), (400, true), "{body}");
    let (status, body) = post("/api/v1/subscriptions", admin, new);
    assert_eq!(status, 200, "{body}");
    let added: Value = serde_json::from_str(&body).unwrap();
    let id = added[0]["id"].as_str().unwrap().to_string();
    let secret = added[0]["secret"].as_str().unwrap().to_string();
    assert_eq!(added[0]["kinds"], "record,handover");
    assert!(secret.starts_with("whsec_"));
    let list = |token: &str| {
        let auth = format!("Bearer {token}");
        let (status, _, _, body) = common::exchange(
            &server.addr,
            "GET",
            "/api/v1/subscriptions",
            &[("Authorization", &auth)],
            b"",
        );
        (status, String::from_utf8_lossy(&body).to_string())
    };
    let (status, listed) = list("t0ken-for-tests");
    assert_eq!(status, 200);
    assert!(listed.contains(&id) && !listed.contains(&secret), "{listed}");
    let (status, body) = post(&format!("/api/v1/subscriptions/{id}/pause"), admin, "");
    assert_eq!(status, 200, "{body}");
    let paused: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (paused[0]["state"].as_str(), paused[0]["paused_reason"].as_str()),
        (Some("paused"), Some("paused by token:env"))
    );
    assert_eq!(post(&format!("/api/v1/subscriptions/{id}/explode"), admin, "").0, 404);
    assert_eq!(
        post(&format!("/api/v1/subscriptions/{id}/remove"), admin, ""),
        (200, "[]".to_string())
    );
    assert_eq!(post(&format!("/api/v1/subscriptions/{id}/remove"), admin, "").0, 404);
    let audit = env.ok(&common::words("audit"));
    assert!(audit.contains(&format!("subscription remove {id}")), "{audit}");
}
