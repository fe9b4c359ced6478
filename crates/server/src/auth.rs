//! Bearer tokens, checked before a write's body is read: the middleware
//! runs ahead of the handler's body extractor, so a caller without a valid
//! token never makes the server read (or buffer) its upload.

use crate::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::MethodRouter;
use frontline_app::auth;
use frontline_store::Role;
use std::sync::Arc;

type S = Arc<AppState>;

/// Checks the bearer token before anything else (the body of a write is
/// not read for a caller without a valid token), and passes on who it is.
async fn authorize(s: S, mut req: Request, next: Next, needed: Role) -> Result<Response, ApiError> {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let state = s.clone();
    let principal = tokio::task::spawn_blocking(move || {
        state.with_store(|st| {
            let env = state.config.token.as_deref();
            if !auth::writes_enabled(st, env)? {
                return Err(ApiError::WritesDisabled);
            }
            let Some(p) = presented else {
                return Err(ApiError::Unauthorized);
            };
            auth::authenticate(st, env, &p)?.ok_or(ApiError::Unauthorized)
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    if principal.role < needed {
        return Err(ApiError::Forbidden(format!(
            "token `{}` is a {}; this needs {}",
            principal.name,
            principal.role.as_str(),
            needed.as_str()
        )));
    }
    req.extensions_mut().insert(principal);
    Ok(next.run(req).await)
}

/// Any valid token: reads that are not for the public (the bytes fetched
/// from a source are the source's content, not Frontline's).
pub async fn reader_only(State(s): State<S>, req: Request, next: Next) -> Result<Response, ApiError> {
    authorize(s, req, next, Role::Reader).await
}

pub async fn importer_only(State(s): State<S>, req: Request, next: Next) -> Result<Response, ApiError> {
    authorize(s, req, next, Role::Importer).await
}

pub async fn admin_only(State(s): State<S>, req: Request, next: Next) -> Result<Response, ApiError> {
    authorize(s, req, next, Role::Admin).await
}

/// A route behind a token of `role`, checked before its handler runs
/// (none: open to all).
pub fn guarded(route: MethodRouter<S>, s: &S, role: Option<Role>) -> MethodRouter<S> {
    match role {
        None => route,
        Some(Role::Reader) => route.route_layer(from_fn_with_state(s.clone(), reader_only)),
        Some(Role::Importer) => route.route_layer(from_fn_with_state(s.clone(), importer_only)),
        Some(Role::Admin) => route.route_layer(from_fn_with_state(s.clone(), admin_only)),
    }
}
