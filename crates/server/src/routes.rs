//! Routes. [`endpoints`] is the one list of what the API offers: the
//! router is built from it and the OpenAPI document is generated from it
//! (`openapi.rs`), so a route cannot exist undocumented. Every read is a
//! query of `frontline-app` on its request type, rendered as JSON, CSV or
//! GeoJSON and cached per data version; writes import a posted file.

use crate::ApiError;
use crate::auth::{admin_only, importer_only, reader_only};
use crate::endpoint::{Answer, Endpoint, S, params, table};
use crate::params::{Answering, ImportParams, NoParams, Params, Q, ReviewParams};
use crate::state::Cached;
use axum::Router;
use axum::body::{Body as HttpBody, Bytes, to_bytes};
use axum::extract::{DefaultBodyLimit, Extension, Path, State};
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontline_app::answers;
use frontline_app::auth::Principal;
use frontline_app::imports::{self, ImportAnswer, ImportKind, SourceFile};
use frontline_app::output::{OutputFormat, Tabular};
use frontline_app::queries::{self, Query, Reply, Shape, Visit};
use frontline_app::requests::{self as rq};
use frontline_store::{AuditContext, Role, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use tower_http::services::ServeDir;

/// Every endpoint: the catalog's queries, then the rest.
pub(crate) fn endpoints() -> Vec<Endpoint> {
    let mut from_catalog = Catalog(Vec::new());
    queries::visit(&mut from_catalog);
    frontline_sync::queries::visit(&mut from_catalog);
    let mut all = hand_made();
    all.extend(crate::subscriptions::endpoints());
    all.extend(from_catalog.0);
    all
}

/// The catalog's queries as endpoints: `GET /api/v1{http}`, the request
/// type's fields as query parameters, a table (JSON or CSV) as answer.
struct Catalog(Vec<Endpoint>);

impl Visit for Catalog {
    fn query<T: Query>(&mut self) {
        let d = T::DECL;
        let url = |u: &str| format!("/api/v1{u}");
        self.0.push(Endpoint {
            method: "get",
            path: d.http,
            summary: d.summary,
            params: params::<T::Request>,
            path_params: d.path,
            body: None,
            answer: match <T::Answer as queries::Answer>::SHAPE {
                Shape::Table(schema) => Answer::Table(schema),
                Shape::GeoJson => Answer::GeoJson,
                Shape::Json(name) => Answer::Json(name),
            },
            example: Some(url(d.example)),
            errors: d.errors.iter().map(|(u, status)| (url(u), *status)).collect(),
            role: d.role,
            cli: d.cli,
            route: if d.path.is_empty() {
                |s| crate::auth::guarded(get(run_query::<T>), s, T::DECL.role)
            } else {
                |s| crate::auth::guarded(get(run_path_query::<T>), s, T::DECL.role)
            },
        });
    }
}

/// Answers a catalog query: cached like every read, unless a token is
/// needed to ask it (a private answer is never cached) or it depends on
/// the time of asking.
async fn run_query<T: Query>(State(s): State<S>, Q(q, how): Q<T::Request>) -> Result<Response, ApiError> {
    let state = s.clone();
    let (as_of, against) = (how.as_of, how.against);
    let ask = move |st: &mut dyn Store| -> Result<Body, ApiError> {
        let Some(other) = against else {
            return Ok(body(frontline_app::as_of::on(st, as_of, |st| {
                T::run(st, &state.memos, &q)
            })?));
        };
        let d = frontline_app::commands::diff::diff(st, as_of, other, |st| {
            match queries::Answer::reply(T::run(st, &state.memos, &q)?) {
                Reply::Rows(t) => t.rows(),
                Reply::Json(_) => Err(frontline_app::error::UserError::BadRequest(format!(
                    "`{}` answers a document, not rows: `against` compares tables",
                    T::DECL.name
                ))
                .into()),
            }
        })?;
        Ok(Body::Table(Box::new(d)))
    };
    if T::DECL.role.is_some() || !T::CACHED {
        return uncached(s, how, ask).await;
    }
    answer(s, how, ask).await
}

/// A catalog answer as the server renders it.
fn body(answer: impl queries::Answer) -> Body {
    match answer.reply() {
        Reply::Rows(t) => Body::Table(t),
        Reply::Json(v) => Body::Json(v),
    }
}

/// The same, for a query with `{name}` segments in its path.
async fn run_path_query<T: Query>(
    State(s): State<S>,
    Path(values): Path<Vec<String>>,
    Q(mut q, how): Q<T::Request>,
) -> Result<Response, ApiError> {
    T::set_path(&mut q, &values)?;
    run_query::<T>(State(s), Q(q, how)).await
}

/// The endpoints that are not (yet) catalog queries.
fn hand_made() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: "get",
            path: "/health",
            summary: "Liveness",
            params: params::<NoParams>,
            path_params: &[],
            body: None,
            answer: Answer::Json("Health"),
            example: Some("/api/v1/health".into()),
            errors: vec![],
            role: None,
            cli: &[],
            route: |_| get(|| async { axum::Json(json!({"status": "ok"})) }),
        },
        Endpoint {
            method: "get",
            path: "/openapi.json",
            summary: "This document",
            params: params::<NoParams>,
            path_params: &[],
            body: None,
            answer: Answer::Json("OpenApi"),
            example: Some("/api/v1/openapi.json".into()),
            errors: vec![],
            role: None,
            cli: &[],
            route: |_| get(openapi),
        },
        Endpoint {
            method: "get",
            path: "/tiles/control/{z}/{x}/{y}",
            summary: "A vector tile (MVT) of the whole control history and the settlements; each feature's `from` and `to` (days since 1970-01-01, `to` excluded) say when it holds",
            params: params::<rq::TilesRequest>,
            path_params: &[
                ("z", "zoom, 0 to 10 (deeper zooms: show zoom 10 magnified)", &[]),
                ("x", "column, 0 to 2^z - 1", &[]),
                ("y", "row from the north, 0 to 2^z - 1", &[]),
            ],
            body: None,
            answer: Answer::Tile,
            example: Some("/api/v1/tiles/control/0/0/0".into()),
            errors: vec![
                ("/api/v1/tiles/control/3/8/0".into(), 400),
                ("/api/v1/tiles/control/x/0/0".into(), 400),
                ("/api/v1/tiles/control/11/0/0".into(), 404),
            ],
            role: None,
            cli: &[],
            route: |_| get(control_tile),
        },
        Endpoint {
            method: "get",
            path: "/feeds/{file}",
            summary: "Events as a feed (`events`, `records` or `handovers`; `.atom` for Atom 1.0, `.json` for JSON Feed 1.1), with the `events` query's filters and titles in `lang`",
            params: params::<rq::EventsRequest>,
            path_params: &[(
                "file",
                "the feed and its form: events, records or handovers, then .atom or .json",
                &[],
            )],
            body: None,
            answer: Answer::Feed,
            example: Some("/api/v1/feeds/records.atom?category=personnel".into()),
            errors: vec![
                ("/api/v1/feeds/coups.atom".into(), 404),
                ("/api/v1/feeds/records.atom?kind=handover".into(), 400),
                ("/api/v1/feeds/events.json?lang=fr".into(), 400),
            ],
            role: None,
            cli: &[],
            route: |_| get(feed),
        },
        Endpoint {
            method: "get",
            path: "/bytes/{sha256}",
            summary: "The exact bytes a sync fetched, by SHA-256 (a history's `source_sha256`) (any token)",
            params: params::<NoParams>,
            path_params: &[("sha256", "64 hex digits", &[])],
            body: None,
            answer: Answer::Bytes,
            example: None,
            errors: vec![("/api/v1/bytes/abc".into(), 401)],
            role: Some(Role::Reader),
            cli: &[],
            route: |s| get(bytes).route_layer(middleware::from_fn_with_state(s.clone(), reader_only)),
        },
        Endpoint {
            method: "post",
            path: "/review/{id}/{decision}",
            summary: "Accept (apply the kept bytes) or reject a held revision, once (admin token)",
            params: params::<ReviewParams>,
            path_params: &[
                ("id", "the revision's number", &[]),
                ("decision", "what to do", &["accept", "reject"]),
            ],
            body: None,
            answer: Answer::Table(table::<Vec<frontline_sync::review::Decision>>),
            example: None,
            errors: vec![],
            role: Some(Role::Admin),
            cli: &[],
            route: |s| post(review_decide).route_layer(middleware::from_fn_with_state(s.clone(), admin_only)),
        },
        Endpoint {
            method: "post",
            path: "/import/{kind}",
            summary: "Import a file (the body); one transaction, idempotent (importer token)",
            params: params::<ImportParams>,
            path_params: &[("kind", "what the file holds", imports::UPLOADS)],
            body: None,
            answer: Answer::Table(table::<Vec<answers::ImportRow>>),
            example: None,
            errors: vec![],
            role: Some(Role::Importer),
            cli: &[],
            route: |s| post(import).route_layer(middleware::from_fn_with_state(s.clone(), importer_only)),
        },
    ]
}

/// The application's routes under `/api/v1`, plus the web page.
pub fn router(state: S) -> Router {
    let mut api = Router::new();
    for e in endpoints() {
        api = api.route(e.path, (e.route)(&state));
    }
    let api = api
        .fallback(|| async { ApiError::NotFound("no such endpoint; see /api/v1/openapi.json".into()) })
        .layer(DefaultBodyLimit::max(state.config.max_body));
    // The page's files (or the note that it is not built) carry the page's
    // headers, API answers their own, fewer (security::answer_headers).
    let page = match &state.config.web_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            // Resolved once here, and each request's file again when asked.
            let root = crate::security::WebRoot(Arc::new(dir.canonicalize().unwrap_or_else(|_| dir.clone())));
            // Around the file server only: API requests never pass it.
            let files = tower::Layer::layer(
                &middleware::from_fn_with_state(root, crate::security::stay_in_root),
                ServeDir::new(dir),
            );
            Router::new().fallback_service(files)
        }
        _ => Router::new().fallback(|| async {
            axum::response::Html("<h1>Frontline</h1><p>The web page is not built: run <code>npm ci && npm run build</code> in <code>web/</code>. The API is at <a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p>")
        }),
    };
    Router::new()
        .nest("/api/v1", api)
        .nest("/ogc", crate::ogc::router())
        .merge(page)
        .layer(middleware::from_fn(crate::security::answer_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// A rendered answer before caching.
enum Body {
    Table(Box<dyn Tabular + Send>),
    Json(Value),
    /// Bytes of a given content type (a vector tile).
    Bytes(&'static str, Vec<u8>),
}

/// An answer's content type and bytes: rows as CSV when asked, else JSON;
/// a FeatureCollection as GeoJSON.
fn render(body: Body, csv: bool) -> Result<(&'static str, Vec<u8>), ApiError> {
    Ok(match body {
        Body::Table(t) if csv => {
            let rows = t.rows().map_err(ApiError::Internal)?;
            (
                "text/csv; charset=utf-8",
                rows.render(OutputFormat::Csv).map_err(ApiError::Internal)?,
            )
        }
        Body::Table(t) => ("application/json", t.json().map_err(ApiError::Internal)?),
        Body::Bytes(content_type, bytes) => (content_type, bytes),
        Body::Json(v) => (
            if v.get("type").is_some_and(|t| t == "FeatureCollection") {
                "application/geo+json"
            } else {
                "application/json"
            },
            serde_json::to_vec(&v).map_err(|e| ApiError::Internal(e.into()))?,
        ),
    })
}

/// Answers from the cache, or runs the query; both on a blocking thread,
/// since checking the cache asks the store for its data version.
async fn answer<F>(state: S, how: Answering, f: F) -> Result<Response, ApiError>
where
    F: FnOnce(&mut dyn Store) -> Result<Body, ApiError> + Send + 'static,
{
    let arrived = std::time::Instant::now();
    let how_gzip = how.gzip;
    let outcome = tokio::task::spawn_blocking(move || -> Result<Option<(Cached, String)>, ApiError> {
        // The answer's ETag: the data version it is computed from and the
        // question, so a client holding it is told 304 without any work
        // until the data change.
        let now = state.data_version_since(arrived)?;
        let etag = crate::endpoint::etag(now, &how.key);
        if how.holds(&etag) {
            return Ok(None);
        }
        // The same version the tag names: one check of the store a request.
        if let Some(hit) = state.cached_at(now, &how.key)? {
            return Ok(Some((hit, etag)));
        }
        let version = state.cache_version();
        let body = state.with_store(f)?;
        let (content_type, bytes) = render(body, how.csv)?;
        let cached = Cached::new(content_type, bytes);
        state.remember(version, how.key, cached.clone());
        // Computed from the version the ETag names or a later one: name the
        // one it was computed from.
        Ok(Some((cached, etag)))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(respond(outcome, how_gzip))
}

/// An answer and its ETag as a response (gzip when the client takes it);
/// `None`: the client holds it already (304).
fn respond(outcome: Option<(Cached, String)>, gzip: bool) -> Response {
    let Some((hit, etag)) = outcome else {
        let mut resp = axum::http::StatusCode::NOT_MODIFIED.into_response();
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        return resp;
    };
    let mut resp = hit.response(gzip);
    let h = resp.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    resp
}

/// API answers: a cache may keep them but must ask again (`If-None-Match`).
const REVALIDATE: &str = "no-cache";

async fn openapi(State(s): State<S>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], s.openapi)
}

/// A feed of events: the `events` query's rows, as Atom or JSON Feed,
/// cached and revalidated like every read.
async fn feed(
    State(s): State<S>,
    Path(file): Path<String>,
    uri: axum::http::Uri,
    Q(mut q, how): Q<rq::EventsRequest>,
) -> Result<Response, ApiError> {
    if how.against.is_some() {
        return Err(ApiError::BadRequest(
            "a feed takes no `against`: it lists events, not a table's changes".into(),
        ));
    }
    let (name, form) = frontline_app::feeds::feed_for(&file, &mut q)?;
    // Its own URL under the site: the router is nested under /api/v1.
    let own = format!("/api/v1{}", uri.path_and_query().map_or(uri.path(), |p| p.as_str()));
    let as_of = how.as_of;
    answer(s, how, move |st| {
        let rows = frontline_app::as_of::on(st, as_of, |st| frontline_app::commands::events::list(st, &q))?;
        Ok(Body::Bytes(
            form.content_type(),
            frontline_app::feeds::render(name, form, &rows, &q, &own)?,
        ))
    })
    .await
}

async fn control_tile(
    State(s): State<S>,
    Path((z, x, y)): Path<(String, String, String)>,
    Q(q, how): Q<rq::TilesRequest>,
) -> Result<Response, ApiError> {
    // A tile holds the whole history, dated feature by feature (`from`,
    // `to`); a knowledge day is not one of its parameters.
    if how.as_of.is_some() || how.against.is_some() {
        return Err(ApiError::BadRequest(
            "tiles take no `as_of` or `against`: each feature carries the days it holds".into(),
        ));
    }
    let num = |name: &str, v: &str| {
        v.parse::<u32>()
            .map_err(|_| ApiError::BadRequest(format!("tile {name} `{v}` is not a whole number")))
    };
    let z = num("zoom", &z)?;
    let id = frontline_analysis::territory::tiles::TileId {
        z: u8::try_from(z).ok().filter(|z| *z <= 31).ok_or_else(|| {
            ApiError::BadRequest(format!("zoom {z} does not exist (0 to 31; tiles are stored to 10)"))
        })?,
        x: num("column", &x)?,
        y: num("row", &y)?,
    };
    let arrived = std::time::Instant::now();
    let gzip = how.gzip;
    let outcome = tokio::task::spawn_blocking(move || -> Result<Option<(Cached, String)>, ApiError> {
        let now = s.data_version_since(arrived)?;
        // The pyramid before while a new one is built (`tiles_at`): the
        // ETag names the version the tile was built from.
        let (built_at, pyramid) = s.tiles_at(now, q.mapper.as_deref())?;
        let etag = crate::endpoint::etag(built_at, &how.key);
        if how.holds(&etag) {
            return Ok(None);
        }
        // The pyramid keeps each tile and its compressed bytes: sent as
        // kept, not copied, and not kept again with the other answers.
        let (tile, gzip) = pyramid.shared(id)?;
        let tile = Cached::shared(
            "application/vnd.mapbox-vector-tile",
            tile.cloned().unwrap_or_default(),
            gzip.cloned(),
        );
        Ok(Some((tile, etag)))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(respond(outcome, gzip))
}

async fn review_decide(
    State(s): State<S>,
    Path((id, decision)): Path<(i64, String)>,
    Extension(who): Extension<Principal>,
    Params(q): Params<ReviewParams>,
) -> Result<Response, ApiError> {
    let done = tokio::task::spawn_blocking(move || {
        s.with_store(|st| {
            st.set_audit_context(AuditContext {
                actor: format!("token:{}", who.name),
                via: format!("POST /api/v1/review/{id}/{decision}"),
            });
            Ok(frontline_sync::review::decide(st, id, &decision, q.why.as_deref())?)
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    let body = vec![done].json().map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /bytes/{sha256}`: a kept body, decompressed. Bounded: a sync keeps
/// no body over its 64 MiB cap.
async fn bytes(State(s): State<S>, Path(sha): Path<String>) -> Result<Response, ApiError> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::BadRequest(format!(
            "`{sha}` is not a SHA-256 (64 hex digits)"
        )));
    }
    let body = tokio::task::spawn_blocking(move || {
        s.with_store(|st| match frontline_sync::fetch::kept(st, &sha.to_ascii_lowercase()) {
            Ok(b) => Ok(b),
            Err(frontline_sync::SyncError::Protocol { .. }) => Err(ApiError::NotFound(format!(
                "no kept body {sha}; only bytes a sync fetched are kept"
            ))),
            Err(e) => Err(ApiError::Internal(e.into())),
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], body).into_response())
}

/// Runs a query and renders it, bypassing the answer cache: for answers
/// that are private (the audit log) or depend on the time of asking.
async fn uncached<F>(s: S, how: Answering, f: F) -> Result<Response, ApiError>
where
    F: FnOnce(&mut dyn Store) -> Result<Body, ApiError> + Send + 'static,
{
    let body = tokio::task::spawn_blocking(move || s.with_store(f))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let (content_type, bytes) = render(body, how.csv)?;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// `POST /import/{kind}` with the file as the body (importer). The file is
/// stored under its given `name`, never under a path of this machine.
async fn import(
    State(s): State<S>,
    Path(kind): Path<String>,
    Extension(who): Extension<Principal>,
    Params(q): Params<ImportParams>,
    body: HttpBody,
) -> Result<Response, ApiError> {
    // Read here, within a time and a size limit, so that a slow or huge
    // upload holds nothing for long; every error is JSON.
    let too_large = || {
        ApiError::TooLarge(format!(
            "the body is over this server's limit of {} MiB",
            s.config.max_body >> 20
        ))
    };
    let body: Bytes = match tokio::time::timeout(s.config.limits.body_timeout, to_bytes(body, s.config.max_body)).await
    {
        Err(_) => {
            return Err(ApiError::BadRequest(format!(
                "the body did not arrive within {} s",
                s.config.limits.body_timeout.as_secs()
            )));
        }
        Ok(Err(e)) => {
            let inner = e.into_inner();
            if inner.is::<http_body_util::LengthLimitError>() {
                return Err(too_large());
            }
            return Err(ApiError::BadRequest(format!("could not read the body: {inner}")));
        }
        Ok(Ok(b)) => b,
    };
    let name = q.name.clone().unwrap_or_else(|| format!("upload-{kind}"));
    // The name is the source's provenance and is shown in answers: a plain
    // file name, or a 400 saying so.
    if name.is_empty()
        || name.len() > 200
        || name.chars().any(char::is_control)
        || name.contains(['/', '\\'])
        || name.starts_with('.')
    {
        return Err(ApiError::BadRequest(
            "`name` must be a plain file name of 1 to 200 characters, without control characters".into(),
        ));
    }
    // The bytes go to the importer as they came, under the given name:
    // nothing is written to this machine's disk, so no path of it can reach
    // an answer or the sources' provenance.
    let what = ImportKind::upload(
        &kind,
        SourceFile::from_bytes(name, Vec::from(body)),
        q.format,
        q.source.clone(),
    )?;
    let state = s.clone();
    let rows = tokio::task::spawn_blocking(move || -> Result<ImportAnswer, ApiError> {
        state.with_store(|st| {
            st.set_audit_context(AuditContext {
                actor: format!("token:{}", who.name),
                via: format!("POST /api/v1/import/{kind}"),
            });
            Ok(imports::run(st, &what)?)
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    // No invalidation here: the import changed the data version, which
    // every cached answer is checked against.
    let body = rows
        .rows()
        .map_err(ApiError::Internal)?
        .render(OutputFormat::Json)
        .map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every query of the catalog is served at its path, with its example
    /// and error examples (which the conformance tests ask).
    #[test]
    fn every_catalog_query_is_an_endpoint() {
        let all = endpoints();
        for d in queries::decls() {
            let e = all
                .iter()
                .find(|e| e.method == "get" && e.path == d.http)
                .unwrap_or_else(|| panic!("{} is not served at {}", d.name, d.http));
            assert_eq!(e.summary, d.summary);
            assert_eq!(e.example.as_deref(), Some(format!("/api/v1{}", d.example).as_str()));
            assert_eq!(e.errors.len(), d.errors.len(), "{}", d.name);
        }
        let paths: std::collections::HashSet<(&str, &str)> = all.iter().map(|e| (e.method, e.path)).collect();
        assert_eq!(paths.len(), all.len(), "a route declared twice");
    }
}
