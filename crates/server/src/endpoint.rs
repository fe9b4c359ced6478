//! What an endpoint is: its route and its documentation, declared
//! together, so that the router and the OpenAPI document are built from
//! one list (`routes::endpoints`).

use crate::state::AppState;
use axum::routing::MethodRouter;
use frontline_store::Role;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use std::sync::Arc;

/// The state every handler gets.
pub(crate) type S = Arc<AppState>;

/// What an endpoint answers, for the document.
pub(crate) enum Answer {
    /// Typed records; `?format=csv` gives CSV.
    Table(fn(&mut SchemaGenerator) -> Schema),
    /// A JSON object described by a named schema of `openapi.rs`.
    Json(&'static str),
    /// GeoJSON FeatureCollection.
    GeoJson,
    /// Bytes as they were fetched.
    Bytes,
    /// A Mapbox Vector Tile.
    Tile,
    /// A feed: Atom 1.0 or JSON Feed 1.1.
    Feed,
}

/// One endpoint: its route and its documentation.
pub(crate) struct Endpoint {
    /// `get` or `post`.
    pub method: &'static str,
    /// Path under `/api/v1`, axum syntax (`{name}` segments).
    pub path: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The query parameters' request type.
    pub params: fn(&mut SchemaGenerator) -> Schema,
    /// Path parameters: name, description, allowed values (empty: any).
    pub path_params: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// The JSON body a `post` takes, if not a file's bytes.
    pub body: Option<fn(&mut SchemaGenerator) -> Schema>,
    /// The answer.
    pub answer: Answer,
    /// A URL that answers 200 on the test fixtures.
    pub example: Option<String>,
    /// URLs and the error status they must answer on the fixtures.
    pub errors: Vec<(String, u16)>,
    /// The role a bearer token needs, if any.
    pub role: Option<Role>,
    /// The CLI command that asks the same (a catalog query's).
    pub cli: &'static [&'static str],
    /// The handler.
    pub route: fn(&S) -> MethodRouter<S>,
}

/// A request type's schema, as an endpoint's parameters.
pub(crate) fn params<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.root_schema_for::<T>()
}

/// A row type's schema, as an endpoint's answer.
pub(crate) fn table<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

/// A documented error answer: the `Error` schema, described.
pub(crate) fn error_response(description: &str) -> serde_json::Value {
    serde_json::json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// `"v{data version}-{16 hex digits of the question's SHA-256}"`.
pub(crate) fn etag(version: i64, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(key.as_bytes());
    format!(
        "\"v{version}-{}\"",
        h.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>()
    )
}
