//! Shared state: a pool of database connections and a cache of answers.
//!
//! SQLite connections are not shareable between threads, so each request
//! borrows one from a small pool. Reads repeat (every page load asks the
//! same series), so rendered answers are cached by URL until the next
//! import.

use crate::ApiError;
use frontline_store::{SqliteStore, Store};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The database file.
    pub db: PathBuf,
    /// Built web assets (`web/dist`), if any.
    pub web_dir: Option<PathBuf>,
    /// Bearer token for writes; `None` turns writes off.
    pub token: Option<String>,
    /// Largest accepted request body, bytes.
    pub max_body: usize,
}

/// A rendered answer.
#[derive(Clone)]
pub struct Cached {
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Arc<Vec<u8>>,
}

pub struct AppState {
    pub config: ServerConfig,
    pool: Mutex<Vec<SqliteStore>>,
    cache: RwLock<HashMap<String, Cached>>,
}

/// Entries kept before the cache starts over (answers are small; a page
/// asks a few dozen).
const CACHE_LIMIT: usize = 4096;

impl AppState {
    pub fn new(config: ServerConfig) -> anyhow::Result<Self> {
        // Open once up front so schema migrations run before any request.
        let first = SqliteStore::open(&config.db)?;
        Ok(AppState {
            config,
            pool: Mutex::new(vec![first]),
            cache: RwLock::new(HashMap::new()),
        })
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
            None => SqliteStore::open(&self.config.db).map_err(|e| ApiError::Internal(e.into()))?,
        };
        let out = f(&mut store);
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(store);
        }
        out
    }

    pub fn cached(&self, key: &str) -> Option<Cached> {
        self.cache.read().ok()?.get(key).cloned()
    }

    pub fn remember(&self, key: String, value: Cached) {
        if let Ok(mut c) = self.cache.write() {
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(key, value);
        }
    }

    /// Forgets every answer (after an import).
    pub fn invalidate(&self) {
        if let Ok(mut c) = self.cache.write() {
            c.clear();
        }
    }
}
