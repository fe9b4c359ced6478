//! Webhook subscriptions over HTTP (admin token): add one, and pause,
//! resume or remove one. Listing them and their deliveries are catalog
//! queries (`frontline_sync::queries`).

use crate::ApiError;
use crate::endpoint::{Answer, Endpoint, S, params, table};
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use frontline_app::auth::Principal;
use frontline_app::output::Tabular;
use frontline_app::requests::NoParams;
use frontline_store::{AuditContext, Role};
use frontline_sync::webhooks::{self, Action, NewSubscription};

/// The endpoints.
pub(crate) fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: "post",
            path: "/subscriptions",
            summary: "Add a webhook subscription (JSON body: url, kind, secret); a secret made for it is shown once (admin token)",
            params: params::<NoParams>,
            path_params: &[],
            body: Some(params::<NewSubscription>),
            answer: Answer::Table(table::<Vec<webhooks::Added>>),
            example: None,
            errors: vec![],
            role: Some(Role::Admin),
            cli: &[],
            route: |s| crate::auth::guarded(post(add), s, Some(Role::Admin)),
        },
        Endpoint {
            method: "post",
            path: "/subscriptions/{id}/{action}",
            summary: "Pause, resume or remove a webhook subscription; answers it as it is now (admin token)",
            params: params::<NoParams>,
            path_params: &[
                ("id", "the subscription's id", &[]),
                ("action", "what to do", Action::NAMES),
            ],
            body: None,
            answer: Answer::Table(table::<Vec<webhooks::SubscriptionRow>>),
            example: None,
            errors: vec![],
            role: Some(Role::Admin),
            cli: &[],
            route: |s| crate::auth::guarded(post(change), s, Some(Role::Admin)),
        },
    ]
}

/// Runs `f` on a store handle acting for the token, off the async threads.
async fn as_admin<T: Tabular + Send + 'static>(
    s: S,
    who: Principal,
    via: String,
    f: impl FnOnce(&mut dyn frontline_store::Store, &str) -> Result<T, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let done = tokio::task::spawn_blocking(move || {
        s.with_store(|st| {
            st.set_audit_context(AuditContext {
                actor: format!("token:{}", who.name),
                via,
            });
            f(st, &who.name)
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    let body = done.json().map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `POST /subscriptions`: the body is a [`NewSubscription`]; the target is
/// checked against this server's `--webhook-allow-private`.
async fn add(State(s): State<S>, Extension(who): Extension<Principal>, body: Bytes) -> Result<Response, ApiError> {
    let new: NewSubscription = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("the body is not a subscription ({e}); see the API's document")))?;
    let private = s.config.webhooks.allow_private;
    as_admin(s, who, "POST /api/v1/subscriptions".into(), move |st, by| {
        Ok(vec![webhooks::add(st, &new, &format!("token:{by}"), private)?])
    })
    .await
}

/// `POST /subscriptions/{id}/{action}`.
async fn change(
    State(s): State<S>,
    Path((id, action)): Path<(String, String)>,
    Extension(who): Extension<Principal>,
) -> Result<Response, ApiError> {
    let Some(act) = Action::parse(&action) else {
        return Err(ApiError::NotFound(format!(
            "`{action}` is not one of {}",
            Action::NAMES.join(", ")
        )));
    };
    let via = format!("POST /api/v1/subscriptions/{id}/{action}");
    as_admin(s, who, via, move |st, by| {
        webhooks::change(st, &id, act, &format!("token:{by}"))?;
        Ok(webhooks::list(st)?
            .into_iter()
            .filter(|r| r.id == id)
            .collect::<Vec<_>>())
    })
    .await
}
