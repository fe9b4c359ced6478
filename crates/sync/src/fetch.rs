//! One polite HTTP client per sync run: a User-Agent on every request, a
//! minimum interval between requests, timeouts, retries with exponential
//! backoff and jitter, `Retry-After` honoured, redirects reported instead of
//! followed, bodies bounded, and conditional requests from the last fetch of
//! the same URL. Every answer is logged with the SHA-256 of its body, and
//! the body kept (gzip) for the run's record.

use crate::error::SyncError;
use chrono::Utc;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use frontline_store::{Blob, FetchRecord, Store};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Sent with every request: some sources answer 520 without one, and an
/// operator should be able to tell who is calling.
pub const USER_AGENT: &str = concat!("frontline/", env!("CARGO_PKG_VERSION"), " (open-source war tracker)");

/// How a source is asked.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// `scheme://host[:port]` the paths are appended to (a mirror, a
    /// replay server in tests).
    pub base_url: String,
    /// Extra headers (an API key).
    pub headers: Vec<(String, String)>,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Least time between two requests (a rate limit).
    pub min_interval: Duration,
    /// Retries after a timeout, a 5xx or a 429.
    pub retries: u32,
    /// First backoff; doubled on every retry, plus up to 50 % jitter.
    pub backoff: Duration,
    /// Longest `Retry-After` obeyed; a source asking for more fails the run.
    pub max_retry_after: Duration,
    /// Largest body read.
    pub max_body: u64,
    /// A mirror to fall back on when the source refuses its list
    /// (DeepState: [`crate::deepstate::MIRROR_URL`]); none by default.
    pub mirror: Option<String>,
}

impl FetchConfig {
    /// Defaults for a live source at `base_url`.
    pub fn new(base_url: &str) -> Self {
        FetchConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            headers: vec![],
            timeout: Duration::from_secs(60),
            min_interval: Duration::from_millis(1000),
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(120),
            max_body: 64 * 1024 * 1024,
            mirror: None,
        }
    }
}

/// An answer with a body.
#[derive(Debug)]
pub struct Fetched {
    /// The URL asked.
    pub url: String,
    /// The body (from the kept copy when the source said "not modified").
    pub body: Vec<u8>,
    /// SHA-256 of the body, hex.
    pub sha256: String,
    /// Whether the source answered 304 (nothing changed since last time).
    pub not_modified: bool,
}

/// The client of one run, with what it fetched.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    config: FetchConfig,
    source: String,
    last: Option<Instant>,
    requests: usize,
    /// Every answer received, in order, not yet recorded.
    pub log: Vec<FetchRecord>,
    /// Bodies to keep, by SHA-256 (gzip).
    pub blobs: Vec<Blob>,
}

impl Fetcher {
    /// A client for `source` (its name in the run records).
    pub fn new(source: &str, config: FetchConfig) -> Result<Self, SyncError> {
        let client = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SyncError::Setup(e.to_string()))?;
        Ok(Fetcher {
            client,
            config,
            source: source.to_string(),
            last: None,
            requests: 0,
            log: vec![],
            blobs: vec![],
        })
    }

    /// Asks another server from now on (a mirror), with its own headers
    /// and pace: a key meant for the source is never sent to the mirror.
    /// What was fetched so far stays to be recorded with the run.
    pub fn switch(&mut self, config: FetchConfig) -> Result<(), SyncError> {
        let fresh = Fetcher::new(&self.source, config)?;
        self.client = fresh.client;
        self.config = fresh.config;
        self.last = None;
        Ok(())
    }

    /// The source this client fetches for.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Requests made so far.
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    fn pace(&mut self) {
        if let Some(last) = self.last {
            let wait = self.config.min_interval.saturating_sub(last.elapsed());
            std::thread::sleep(wait);
        }
        self.last = Some(Instant::now());
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.config.backoff.saturating_mul(1 << attempt.min(10));
        // Jitter from the clock: enough to keep clients apart, no RNG needed.
        let nanos = u64::from(Utc::now().timestamp_subsec_nanos());
        base + base.mul_f64((nanos % 500) as f64 / 1000.0)
    }

    /// GETs `path`, conditionally when the store knows the URL's last
    /// answer; retries what is worth retrying and explains the rest.
    pub fn get(&mut self, store: &dyn Store, path: &str) -> Result<Fetched, SyncError> {
        let url = self.url(path);
        let previous = store.last_fetch(&url)?.filter(|f| f.sha256.is_some());
        let mut attempt = 0;
        loop {
            self.pace();
            self.requests += 1;
            let mut req = self.client.get(&url);
            for (k, v) in &self.config.headers {
                req = req.header(k, v);
            }
            if let Some(p) = &previous {
                if let Some(etag) = &p.etag {
                    req = req.header("If-None-Match", etag);
                }
                if let Some(lm) = &p.last_modified {
                    req = req.header("If-Modified-Since", lm);
                }
            }
            let answer = match req.send() {
                Ok(a) => a,
                Err(e) if attempt < self.config.retries && (e.is_timeout() || e.is_connect()) => {
                    tracing::warn!("{url}: {e}; retrying");
                    std::thread::sleep(self.backoff(attempt));
                    attempt += 1;
                    continue;
                }
                Err(e) => {
                    return Err(SyncError::Unreachable {
                        url,
                        reason: e.to_string(),
                    });
                }
            };
            let status = answer.status().as_u16();
            let header = |name: &str| {
                answer
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let (etag, last_modified) = (header("etag"), header("last-modified"));
            let retry_after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
            let location = header("location");
            let mut record = FetchRecord {
                source: self.source.clone(),
                url: url.clone(),
                status,
                fetched_at: Utc::now(),
                sha256: None,
                etag,
                last_modified,
            };
            match status {
                200 => {
                    let body = read_bounded(answer, self.config.max_body, &url)?;
                    let sha = frontline_ingest::sha256_hex(&body);
                    record.sha256 = Some(sha.clone());
                    self.log.push(record);
                    self.keep(&sha, &body)?;
                    return Ok(Fetched {
                        url,
                        body,
                        sha256: sha,
                        not_modified: false,
                    });
                }
                304 => {
                    let Some(p) = previous else {
                        return Err(SyncError::Protocol {
                            url,
                            reason: "304 Not Modified to an unconditional request".into(),
                        });
                    };
                    let sha = p.sha256.clone().unwrap_or_default();
                    let body = kept(store, &sha)?;
                    record.sha256 = Some(sha.clone());
                    // Keep the validators the source sent before if it sent none.
                    record.etag = record.etag.or(p.etag);
                    record.last_modified = record.last_modified.or(p.last_modified);
                    self.log.push(record);
                    return Ok(Fetched {
                        url,
                        body,
                        sha256: sha,
                        not_modified: true,
                    });
                }
                429 | 503 if attempt < self.config.retries => {
                    self.log.push(record);
                    let wait = match retry_after {
                        Some(s) if Duration::from_secs(s) > self.config.max_retry_after => {
                            return Err(SyncError::Status {
                                url,
                                status,
                                hint: format!("the source asks to wait {s} s before retrying; try again later"),
                            });
                        }
                        Some(s) => Duration::from_secs(s),
                        None => self.backoff(attempt),
                    };
                    tracing::warn!("{url}: {status}; retrying in {} ms", wait.as_millis());
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                500..=599 if attempt < self.config.retries => {
                    self.log.push(record);
                    tracing::warn!("{url}: {status}; retrying");
                    std::thread::sleep(self.backoff(attempt));
                    attempt += 1;
                }
                _ => {
                    self.log.push(record);
                    let hint = match status {
                        301 | 302 | 307 | 308 => format!(
                            "the source redirects to {} (a missing trailing slash, or a moved endpoint); \
                             fix the base URL or the path",
                            location.as_deref().unwrap_or("?")
                        ),
                        401 | 403 => "the source refused the request: it may need an API key \
                                      (--header 'NAME: KEY'), or the key changed"
                            .to_string(),
                        404 => "not found: the endpoint moved or the base URL is wrong".to_string(),
                        429 | 503 => "the source is still refusing after retries (rate limit)".to_string(),
                        520 => "the source refused the client (some answer 520 without a User-Agent)".to_string(),
                        _ => "unexpected answer".to_string(),
                    };
                    return Err(SyncError::Status { url, status, hint });
                }
            }
        }
    }

    fn keep(&mut self, sha: &str, body: &[u8]) -> Result<(), SyncError> {
        if self.blobs.iter().any(|b| b.sha256 == sha) {
            return Ok(());
        }
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(body).map_err(|e| SyncError::Setup(e.to_string()))?;
        let bytes = gz.finish().map_err(|e| SyncError::Setup(e.to_string()))?;
        self.blobs.push(Blob {
            sha256: sha.to_string(),
            bytes,
            encoding: "gzip".into(),
        });
        Ok(())
    }
}

/// The body, refusing more than `max` bytes.
fn read_bounded(answer: reqwest::blocking::Response, max: u64, url: &str) -> Result<Vec<u8>, SyncError> {
    let mut body = Vec::new();
    answer
        .take(max + 1)
        .read_to_end(&mut body)
        .map_err(|e| SyncError::Unreachable {
            url: url.to_string(),
            reason: format!("reading the body: {e}"),
        })?;
    if body.len() as u64 > max {
        return Err(SyncError::Protocol {
            url: url.to_string(),
            reason: format!("the body is over the {max}-byte limit"),
        });
    }
    Ok(body)
}

/// A kept body, as fetched.
pub fn kept(store: &dyn Store, sha: &str) -> Result<Vec<u8>, SyncError> {
    let blob = store.blob(sha)?.ok_or_else(|| SyncError::Protocol {
        url: String::new(),
        reason: format!("no kept body {sha}"),
    })?;
    match blob.encoding.as_str() {
        "identity" => Ok(blob.bytes),
        "gzip" => {
            let mut out = Vec::new();
            GzDecoder::new(blob.bytes.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| SyncError::Setup(format!("kept body {sha}: {e}")))?;
            Ok(out)
        }
        other => Err(SyncError::Setup(format!("kept body {sha}: unknown encoding `{other}`"))),
    }
}
