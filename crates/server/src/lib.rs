//! Frontline's HTTP server: a JSON/CSV/GeoJSON API under `/api/v1/` over the
//! same queries as the CLI, an OpenAPI document, authenticated imports, and
//! the built web page.

mod auth;
mod conn;
mod endpoint;
mod error;
pub mod export;
mod ogc;
mod ogc_html;
mod openapi;
mod params;
mod parse_errors;
mod routes;
pub mod security;
mod state;
mod subscriptions;

pub use error::ApiError;
pub use state::{ConnLimits, ServerConfig};

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

/// The OpenAPI 3.1 document describing every route, generated from the
/// endpoint table and the request and answer types.
pub fn openapi() -> &'static str {
    openapi::DOCUMENT.as_str()
}

/// The application: API routes plus static web assets.
pub fn router(config: ServerConfig) -> anyhow::Result<Router> {
    if let Some(dir) = &config.web_dir {
        refuse_symlinks(dir)?;
    }
    let state = Arc::new(state::AppState::new(config, openapi::DOCUMENT.as_str())?);
    Ok(routes::router(state))
}

/// Refuses a web folder holding a symbolic link: the file server follows
/// links, and one pointing out of the folder (to the database, say) would be
/// served to anyone.
fn refuse_symlinks(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let t = e.file_type()?;
            if t.is_symlink() {
                anyhow::bail!(
                    "the web folder holds a symbolic link, {}; refusing to serve it (copy the file instead)",
                    e.path().display()
                );
            }
            if t.is_dir() {
                pending.push(e.path());
            }
        }
    }
    Ok(())
}

/// Serves until Ctrl-C. Connections are accepted here rather than by
/// `axum::serve`, which has no header-read timeout or connection limit:
/// past [`ConnLimits::max_connections`] new connections are closed at once,
/// as are a client's past [`ConnLimits::max_per_client`], and a client that
/// has not sent its headers within
/// [`ConnLimits::header_timeout`] is disconnected.
pub async fn serve(addr: SocketAddr, config: ServerConfig) -> anyhow::Result<()> {
    let limits = config.limits;
    if let Some(plan) = config.sync.clone() {
        let each: Vec<String> = plan
            .sources
            .iter()
            .map(|(s, _, every)| format!("{} every {} min", s.name(), every.as_secs() / 60))
            .collect();
        frontline_sync::schedule::start(plan);
        tracing::info!("syncing {}", each.join(", "));
    }
    // Deliveries run on their own thread and connection: a receiver that
    // never answers holds neither a request nor an import.
    frontline_sync::webhooks::deliver::start(config.db.clone(), config.webhooks.clone());
    // Opening a store is blocking I/O (and the PostgreSQL client runs its
    // own runtime, which may not start inside this one's workers).
    let app = tokio::task::spawn_blocking(move || router(config)).await??;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let per_client = conn::PerClient::default();
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors and the like: wait, do not spin.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!("{} connections open; closing a new one", limits.max_connections);
            drop(stream);
            continue;
        };
        // One client's stalled connections cannot take every slot.
        let Some(client_slot) = per_client.take(peer.ip(), limits.max_per_client) else {
            tracing::warn!(
                "{} holds {} connections already; closing a new one",
                conn::client_of(peer.ip()),
                limits.max_per_client
            );
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(parse_errors::MAX_HEAD_BYTES)
                .serve_connection(
                    hyper_util::rt::TokioIo::new(parse_errors::JsonParseErrors::new(stream)),
                    service,
                );
            if let Err(e) = conn.await {
                tracing::debug!("connection: {e}");
            }
            drop(slot);
            drop(client_slot);
        });
    }
}
