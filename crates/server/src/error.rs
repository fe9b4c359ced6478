//! One error type that becomes the HTTP response: a JSON body with a
//! message and the status of the error's class. The class is decided once,
//! by `frontline_app::error::classify`; internal faults are logged with an
//! id, and only that id is sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontline_model::ErrorClass;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// The request conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// A write without a valid bearer token.
    #[error("a valid `Authorization: Bearer TOKEN` header is required")]
    Unauthorized,
    /// The request body is over the limit.
    #[error("{0}")]
    TooLarge(String),
    /// A valid token without the role this needs.
    #[error("{0}")]
    Forbidden(String),
    /// Writes are off because no token is configured.
    #[error(
        "writes are disabled: make a token with `frontline token add NAME`, or start the server with FRONTLINE_TOKEN"
    )]
    WritesDisabled,
    /// The store is busy with another writer; retry shortly.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else; the message is logged, not returned.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        let message = format!("{e:#}");
        match frontline_app::error::classify(&e) {
            ErrorClass::BadRequest => ApiError::BadRequest(message),
            ErrorClass::TooLarge => ApiError::TooLarge(message),
            ErrorClass::NotFound => ApiError::NotFound(message),
            ErrorClass::Conflict => ApiError::Conflict(message),
            ErrorClass::Unauthenticated => ApiError::Unauthorized,
            ErrorClass::Forbidden => ApiError::WritesDisabled,
            ErrorClass::Unavailable => ApiError::Unavailable(message),
            ErrorClass::Internal => ApiError::Internal(e),
        }
    }
}

impl From<frontline_store::StoreError> for ApiError {
    fn from(e: frontline_store::StoreError) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl ApiError {
    /// This error's class.
    pub fn class(&self) -> ErrorClass {
        match self {
            ApiError::BadRequest(_) => ErrorClass::BadRequest,
            ApiError::NotFound(_) => ErrorClass::NotFound,
            ApiError::Conflict(_) => ErrorClass::Conflict,
            ApiError::TooLarge(_) => ErrorClass::TooLarge,
            ApiError::Unauthorized => ErrorClass::Unauthenticated,
            ApiError::WritesDisabled | ApiError::Forbidden(_) => ErrorClass::Forbidden,
            ApiError::Unavailable(_) => ErrorClass::Unavailable,
            ApiError::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// The HTTP status of each class: the one place the server maps them (the
/// CLI maps them to exit codes in its own `main`).
pub fn status_of(class: ErrorClass) -> StatusCode {
    match class {
        ErrorClass::BadRequest => StatusCode::BAD_REQUEST,
        ErrorClass::NotFound => StatusCode::NOT_FOUND,
        ErrorClass::Conflict => StatusCode::CONFLICT,
        ErrorClass::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorClass::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorClass::Forbidden => StatusCode::FORBIDDEN,
        ErrorClass::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorClass::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The exception code of each class, as OGC API – Common's JSON exception
/// (`code`, `description`) names them; every answer's error carries it, so
/// `/ogc` clients and the rest of the API read one shape (docs/ogc.md).
pub fn code_of(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::BadRequest => "InvalidParameterValue",
        ErrorClass::NotFound => "NotFound",
        ErrorClass::Conflict => "Conflict",
        ErrorClass::TooLarge => "TooLarge",
        ErrorClass::Unauthenticated => "Unauthorized",
        ErrorClass::Forbidden => "Forbidden",
        ErrorClass::Unavailable => "ServiceUnavailable",
        ErrorClass::Internal => "ServerError",
    }
}

/// Ids that tie a 500 answer to its log line.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let class = self.class();
        let status = status_of(class);
        let body = match &self {
            ApiError::Internal(e) => {
                let id = format!("{:x}-{}", std::process::id(), NEXT_ID.fetch_add(1, Ordering::Relaxed));
                tracing::error!(error_id = %id, "{e:#}");
                json!({"code": code_of(class), "description": "internal error", "error": "internal error",
                       "status": status.as_u16(), "error_id": id})
            }
            other => {
                let message = other.to_string();
                json!({"code": code_of(class), "description": message, "error": message, "status": status.as_u16()})
            }
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if class == ErrorClass::Unavailable {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        resp
    }
}
