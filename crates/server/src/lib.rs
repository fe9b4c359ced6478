//! Frontline's HTTP server: a JSON/CSV/GeoJSON API under `/api/v1/` over the
//! same queries as the CLI, an OpenAPI document, authenticated imports, and
//! the built web page.

mod auth;
mod error;
mod openapi;
mod params;
mod routes;
mod state;

pub use error::ApiError;
pub use state::ServerConfig;

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
    let state = Arc::new(state::AppState::new(config)?);
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

/// Serves until Ctrl-C.
pub async fn serve(addr: SocketAddr, config: ServerConfig) -> anyhow::Result<()> {
    // Opening a store is blocking I/O (and the PostgreSQL client runs its
    // own runtime, which may not start inside this one's workers).
    let app = tokio::task::spawn_blocking(move || router(config)).await??;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
