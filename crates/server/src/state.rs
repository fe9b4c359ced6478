//! Shared state: a pool of database connections and a cache of answers.
//!
//! Store handles are not shareable between threads, so each request
//! borrows one from a small pool. Reads repeat (every page load asks the
//! same series), so rendered answers are cached by URL while the store's
//! data version stays the same. Every write, by this server or by another
//! process (a CLI import, a scheduled sync), changes that version, so no
//! answer outlives the data it was computed from.

use crate::ApiError;
use frontline_store::Store;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The database: a file path, `sqlite:PATH` or `postgres://…`.
    pub db: String,
    /// Built web assets (`web/dist`), if any.
    pub web_dir: Option<PathBuf>,
    /// Bearer token for writes; `None` turns writes off.
    pub token: Option<String>,
    /// Largest accepted request body, bytes.
    pub max_body: usize,
    /// Connection limits and timeouts.
    pub limits: ConnLimits,
    /// Syncs the server runs itself (`serve --sync`), if any.
    pub sync: Option<frontline_sync::schedule::Plan>,
    /// How webhook deliveries are made (the worker runs in `serve`).
    pub webhooks: frontline_sync::webhooks::deliver::WorkerConfig,
}

/// What one client may hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Open connections at once; more are closed as they arrive.
    pub max_connections: usize,
    /// Open connections of one client address (an IPv4 address, an IPv6
    /// /64) at once; more from it are closed as they arrive, so one client
    /// cannot hold every slot.
    pub max_per_client: usize,
    /// Time to send the request line and headers; then the connection is
    /// closed (a client that never finishes them holds nothing for long).
    pub header_timeout: std::time::Duration,
    /// Time to send an upload's body.
    pub body_timeout: std::time::Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            max_connections: 512,
            max_per_client: 64,
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// A rendered answer.
#[derive(Clone)]
pub struct Cached {
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Arc<Vec<u8>>,
    /// The body gzip-compressed once, for the clients that accept it (none
    /// for a body too small to gain).
    pub gzip: Option<Arc<Vec<u8>>>,
}

impl Cached {
    /// An answer, compressed once here rather than on every request.
    pub fn new(content_type: &'static str, body: Vec<u8>) -> Self {
        let gzip = packed(&body).map(Arc::new);
        Cached {
            content_type,
            body: Arc::new(body),
            gzip,
        }
    }

    /// An answer kept elsewhere (a tile), with its compressed bytes when
    /// it has them: shared, not copied.
    pub fn shared(content_type: &'static str, body: Arc<Vec<u8>>, gzip: Option<Arc<Vec<u8>>>) -> Self {
        Cached {
            content_type,
            body,
            gzip,
        }
    }

    /// The answer as a response: the body compressed once with the answer
    /// when the client takes gzip (the compression layer leaves an encoded
    /// answer alone), with its content type.
    pub fn response(&self, gzip: bool) -> axum::response::Response {
        use axum::http::{HeaderValue, header};
        use axum::response::IntoResponse;
        let packed = self.gzip.as_ref().filter(|_| gzip);
        // Shared with the response, not copied: a tile can be megabytes,
        // and each connection sending one held a copy of it.
        let bytes = |b: &Arc<Vec<u8>>| axum::body::Bytes::from_owner(Shared(b.clone()));
        let mut resp = match packed {
            Some(g) => bytes(g).into_response(),
            None => bytes(&self.body).into_response(),
        };
        let h = resp.headers_mut();
        if packed.is_some() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        resp
    }

    /// Bytes it holds in the cache.
    fn size(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, |g| g.len())
    }
}

/// A pyramid with each tile worth it gzip-compressed once, so that a tile
/// request neither copies nor compresses (a tile of a long history is
/// megabytes: 8.9 MB at 2,800 maps, which 32 connections each compressing
/// took the server past 1.5 GB).
fn pack(mut t: frontline_app::commands::tiles::ControlTiles) -> frontline_app::commands::tiles::ControlTiles {
    t.gzip = t
        .tiles
        .iter()
        .filter_map(|(id, b)| Some((*id, Arc::new(packed(b)?))))
        .collect();
    t
}

/// A body gzip-compressed, when it is long enough to gain ([`GZIP_FROM`]).
fn packed(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    if body.len() < GZIP_FROM {
        return None;
    }
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(body).ok()?;
    e.finish().ok()
}

/// An answer's bytes as a response body owns them.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Bodies shorter than this are sent as they are.
const GZIP_FROM: usize = 1024;

pub struct AppState {
    pub config: ServerConfig,
    pool: Mutex<Vec<Box<dyn Store + Send>>>,
    /// Answers, and the data version they were computed at.
    cache: RwLock<AnswerCache>,
    /// The last data-version check: when it started, what it read.
    gate: Mutex<Option<(Instant, i64)>>,
    /// Derived daily series, per data version (answers that miss the cache
    /// still share the derivation).
    pub memos: frontline_app::queries::Memos,
    /// The control history's tile pyramids, the newest of each mapper (a
    /// build takes seconds on a long history: see [`AppState::tiles_at`]).
    tiles: Mutex<frontline_app::commands::tiles::TileCache>,
    /// Held while a mapper's first pyramid is built (readers wait for it,
    /// and only one builds).
    first_tiles: Mutex<()>,
    /// The OpenAPI document, served as it was generated from the routes
    /// (given here, so that the routes need not know how it is made).
    pub openapi: &'static str,
}

/// Entries kept before the cache starts over (a page asks a few dozen).
const CACHE_LIMIT: usize = 4096;
/// Bytes of answers kept before the cache starts over. Keys are canonical
/// and unknown parameters refused, so junk URLs cannot fill it; this bounds
/// what the legitimate parameter space can.
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Answers larger than this are served but not kept.
pub const CACHE_ENTRY_BYTES: usize = 8 * 1024 * 1024;

impl AppState {
    pub fn new(config: ServerConfig, openapi: &'static str) -> anyhow::Result<Self> {
        // Open once up front so schema migrations run before any request.
        let first = frontline_store::open(&config.db)?;
        let version = first.data_version()?;
        Ok(AppState {
            config,
            pool: Mutex::new(vec![first]),
            cache: RwLock::new(AnswerCache {
                version,
                ..Default::default()
            }),
            gate: Mutex::new(None),
            memos: Default::default(),
            tiles: Default::default(),
            first_tiles: Mutex::new(()),
            openapi,
        })
    }

    /// The tile pyramid of `mapper` to serve at data version `now`, and the
    /// version it was built at. Once a mapper has a pyramid, no reader waits
    /// for another: after a change of data the one before is served while a
    /// thread builds the new one (one at a time), and a tile's ETag names
    /// the version of the pyramid it came from. The first pyramid of a
    /// mapper is built while its readers wait.
    pub fn tiles_at(
        self: &Arc<Self>,
        now: i64,
        mapper: Option<&str>,
    ) -> Result<(i64, Arc<frontline_app::commands::tiles::ControlTiles>), ApiError> {
        use frontline_app::commands::tiles::{self, MAX_ZOOM, Serve};
        let cache = || self.tiles.lock().map_err(|_| poisoned());
        let known = cache()?.key_at(mapper, now);
        let key = match known {
            Some(k) => k,
            None => {
                let k = self.with_store(|st| Ok(tiles::mapper_key(st, mapper)?))?;
                cache()?.remember_key(mapper, now, &k);
                k
            }
        };
        let built = cache()?.serve(&key, now);
        match built {
            Serve::Built { version, tiles, build } => {
                if build {
                    let state = self.clone();
                    std::thread::spawn(move || {
                        let built = state
                            .with_store(|st| Ok(tiles::build(st, Some(&key), MAX_ZOOM)?))
                            .map(pack);
                        if let Err(e) = &built {
                            tracing::warn!("building the tiles of {key} at data version {now}: {e}");
                        }
                        if let Ok(mut c) = state.tiles.lock() {
                            c.finish(&key, now, built.ok().map(Arc::new));
                        }
                    });
                }
                Ok((version, tiles))
            }
            Serve::Nothing => {
                let one = self.first_tiles.lock().map_err(|_| poisoned())?;
                // Built by another reader while this one waited.
                if cache()?.has(&key) {
                    drop(one);
                    return self.tiles_at(now, mapper);
                }
                let built = Arc::new(pack(self.with_store(|st| Ok(tiles::build(st, Some(&key), MAX_ZOOM)?))?));
                cache()?.finish(&key, now, Some(built.clone()));
                Ok((now, built))
            }
        }
    }

    /// Runs `f` with a pooled connection.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut dyn Store) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let taken = self
            .pool
            .lock()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("pool poisoned")))?
            .pop();
        let mut store = match taken {
            Some(s) => s,
            None => frontline_store::open(&self.config.db).map_err(ApiError::from)?,
        };
        let out = f(store.as_mut());
        // A pooled handle must not keep the last caller's identity.
        store.set_audit_context(frontline_store::AuditContext::default());
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(store);
        }
        out
    }

    /// The cached answer to `key` if it was computed at data version `now`
    /// (read once for the request); a newer version empties the cache.
    pub fn cached_at(&self, now: i64, key: &str) -> Result<Option<Cached>, ApiError> {
        {
            let c = self.cache.read().map_err(|_| poisoned())?;
            if c.version == now {
                return Ok(c.answers.get(key).cloned());
            }
        }
        let mut c = self.cache.write().map_err(|_| poisoned())?;
        if c.version != now {
            c.start_over(now);
        }
        Ok(None)
    }

    /// The data version as of a moment at or after `arrived`. Checks are
    /// serialized; a check that started after `arrived` saw every write
    /// committed before it, so a request queued behind it takes its result
    /// instead of asking again. Under load one round trip to the store
    /// serves every request that arrived while the previous check ran, and
    /// no request is ever answered from data older than its arrival.
    pub fn data_version_since(&self, arrived: Instant) -> Result<i64, ApiError> {
        let mut gate = self.gate.lock().map_err(|_| poisoned())?;
        if let Some((started, version)) = *gate
            && started >= arrived
        {
            return Ok(version);
        }
        let started = Instant::now();
        let version = self.with_store(|s| s.data_version().map_err(ApiError::from))?;
        *gate = Some((started, version));
        Ok(version)
    }

    /// Keeps an answer computed at data version `version`.
    pub fn remember(&self, version: i64, key: String, value: Cached) {
        if let Ok(mut c) = self.cache.write() {
            // Computed from older data than the cache now holds: drop it.
            if c.version != version || value.body.len() > CACHE_ENTRY_BYTES {
                return;
            }
            if c.answers.len() >= CACHE_LIMIT || c.bytes + value.size() > CACHE_BYTES {
                c.start_over(version);
            }
            c.bytes += value.size();
            if let Some(old) = c.answers.insert(key, value) {
                c.bytes -= old.size();
            }
        }
    }

    /// The data version answers are cached at.
    pub fn cache_version(&self) -> i64 {
        self.cache.read().map(|c| c.version).unwrap_or(-1)
    }
}

/// Rendered answers of one data version, and their total size.
#[derive(Default)]
struct AnswerCache {
    version: i64,
    answers: HashMap<String, Cached>,
    bytes: usize,
}

impl AnswerCache {
    fn start_over(&mut self, version: i64) {
        self.version = version;
        self.answers.clear();
        self.bytes = 0;
    }
}

fn poisoned() -> ApiError {
    ApiError::Internal(anyhow::anyhow!("answer cache poisoned"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_analysis::territory::tiles::TileId;
    use std::collections::BTreeMap;

    /// A tile worth it is compressed once when the pyramid is kept, and
    /// sent as kept: compressed to a client that takes gzip, as it is to
    /// one that does not; a small tile is never compressed.
    #[test]
    fn tiles_are_compressed_once_and_sent_as_kept() {
        let (big, small) = (TileId { z: 1, x: 0, y: 0 }, TileId { z: 1, x: 1, y: 0 });
        let day = chrono::NaiveDate::default();
        let raw: Vec<u8> = (0..5000u32).map(|i| (i % 7) as u8).collect();
        let tiles = pack(frontline_app::commands::tiles::ControlTiles {
            mapper: "deepstate".into(),
            max_zoom: 1,
            days: (day, day),
            tiles: BTreeMap::from([(big, Arc::new(raw.clone())), (small, Arc::new(vec![1, 2, 3]))]),
            gzip: BTreeMap::new(),
        });
        assert_eq!(tiles.gzip.keys().copied().collect::<Vec<_>>(), [big]);
        let gz = tiles.gzip[&big].clone();
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back).unwrap();
        assert_eq!(back, raw);
        let (body, packed) = tiles.shared(big).unwrap();
        let answer = Cached::shared("application/x-test", body.cloned().unwrap(), packed.cloned());
        let body_of = |r: axum::response::Response| {
            let encoding = r
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            let bytes = futures_bytes(r);
            (encoding, bytes)
        };
        assert_eq!(body_of(answer.response(true)), (Some("gzip".into()), (*gz).clone()));
        assert_eq!(body_of(answer.response(false)), (None, raw));
        let (body, packed) = tiles.shared(small).unwrap();
        assert_eq!((body.map(|b| b.len()), packed), (Some(3), None));
    }

    /// A response's whole body (the test runs without an async runtime of
    /// its own).
    fn futures_bytes(r: axum::response::Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(axum::body::to_bytes(r.into_body(), usize::MAX))
            .unwrap()
            .to_vec()
    }
}
