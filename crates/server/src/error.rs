//! One error type that becomes the HTTP response: a JSON body with a
//! message and a fitting status. Internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontline_app::error::UserError;
use serde_json::json;
use thiserror::Error;

/// Everything a handler can fail with.
#[derive(Debug, Error)]
pub enum ApiError {
    /// A parameter is missing or malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A write without a valid bearer token.
    #[error("a valid `Authorization: Bearer TOKEN` header is required")]
    Unauthorized,
    /// Writes are off because no token is configured.
    #[error("writes are disabled: start the server with FRONTLINE_TOKEN or --token")]
    WritesDisabled,
    /// Anything else; the message is logged, not returned.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<UserError>() {
            Ok(UserError::NotFound(m)) => ApiError::NotFound(m),
            Ok(UserError::BadRequest(m)) => ApiError::BadRequest(m),
            // Storage failures are ours; any other failed query is about its input.
            Err(e) if e.chain().any(|c| c.is::<frontline_store::StoreError>()) => ApiError::Internal(e),
            Err(e) => ApiError::BadRequest(format!("{e:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::WritesDisabled => StatusCode::FORBIDDEN,
            ApiError::Internal(e) => {
                tracing::error!("{e:#}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (
            status,
            axum::Json(json!({"error": self.to_string(), "status": status.as_u16()})),
        )
            .into_response()
    }
}
