//! OGC API – Features, Part 1: Core, with GeoJSON (docs/ogc.md, #25), under
//! `/ogc`: the landing page, `conformance`, `collections`, one collection,
//! its `items` (paged by `limit` and `offset` through `next` links, with
//! `bbox`, `datetime` and, for settlements, `status`) and one item. GDAL's
//! OAPIF driver and QGIS read it as they read any such service.
//!
//! Links are absolute, as the clients expect, built from the request's
//! `Host` (checked to be a host name and port). The documents are kept in
//! the server's answer cache under a key that holds that host, so one
//! request's host never reaches another's answer; each is compressed once
//! and revalidated by an ETag of the data version and the question.

use crate::ApiError;
use crate::endpoint::{S, error_response};
use crate::state::Cached;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use frontline_app::features::{self, ItemsQuery};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The routes, nested under `/ogc` by the router.
pub(crate) fn router() -> Router<S> {
    Router::new()
        .route("/", get(landing))
        .route("/conformance", get(conformance))
        .route("/collections", get(collections))
        .route("/collections/{id}", get(collection))
        .route("/collections/{id}/items", get(items))
        .route("/collections/{id}/items/{feature}", get(item))
}

/// The conformance classes this implementation claims.
const CONFORMS: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
];

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// `http://HOST/ogc`, from a checked `Host` header.
fn base(headers: &HeaderMap) -> Result<String, ApiError> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let ok =
        !host.is_empty() && host.len() <= 255 && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if !ok {
        return Err(ApiError::BadRequest(
            "the Host header is not a host name and port".into(),
        ));
    }
    Ok(format!("http://{host}/ogc"))
}

/// The encoding `f` asks: JSON (`f=json`, or none) or HTML (`f=html`).
fn html(f: Option<&String>) -> Result<bool, ApiError> {
    match f.map(String::as_str) {
        None | Some("json") => Ok(false),
        Some("html") => Ok(true),
        Some(other) => Err(ApiError::BadRequest(format!(
            "f: `{other}` is not offered; f=json or f=html"
        ))),
    }
}

/// A JSON answer of a media type (or its HTML page), kept in the server's
/// answer cache and revalidated by the data version like every answer.
/// `key` names the question (the handler's path and its canonical query);
/// the cache key adds the host and the encoding, since the links carry the
/// host: one host's answer never reaches another's request.
async fn answer(
    s: S,
    headers: HeaderMap,
    key: String,
    f: Option<&String>,
    media: &'static str,
    make: impl FnOnce(&mut dyn frontline_store::Store, &str) -> Result<Value, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let html = html(f)?;
    let base = base(&headers)?;
    let key = format!("/ogc{key} {base} {}", if html { "html" } else { "json" });
    let asked = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let gzip = crate::params::accepts_gzip(&headers);
    let arrived = std::time::Instant::now();
    let outcome = tokio::task::spawn_blocking(move || -> Result<(String, Option<Cached>), ApiError> {
        let now = s.data_version_since(arrived)?;
        let etag = crate::endpoint::etag(now, &key);
        if asked.as_deref().is_some_and(|a| a.split(',').any(|t| t.trim() == etag)) {
            return Ok((etag, None));
        }
        if let Some(hit) = s.cached_at(now, &key)? {
            return Ok((etag, Some(hit)));
        }
        let version = s.cache_version();
        let doc = s.with_store(|st| make(st, &base))?;
        let cached = if html {
            Cached::new("text/html; charset=utf-8", crate::ogc_html::render(&doc).into_bytes())
        } else {
            Cached::new(
                media,
                serde_json::to_vec(&doc).map_err(|e| ApiError::Internal(e.into()))?,
            )
        };
        s.remember(version, key, cached.clone());
        Ok((etag, Some(cached)))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    let (etag, hit) = outcome;
    let mut resp = match hit {
        None => StatusCode::NOT_MODIFIED.into_response(),
        Some(hit) => hit.response(gzip),
    };
    let h = resp.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(resp)
}

fn link(href: String, rel: &str, kind: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": kind, "title": title})
}

/// Query parameters every document takes.
#[derive(Deserialize)]
struct Plain {
    f: Option<String>,
}

async fn landing(State(s): State<S>, headers: HeaderMap, Query(q): Query<Plain>) -> Result<Response, ApiError> {
    answer(s, headers, "/".into(), q.f.as_ref(), "application/json", |_, base| {
        Ok(json!({
            "title": "Frontline",
            "description": "Control areas and settlements of the war, as OGC API – Features collections",
            "links": [
                link(base.to_string(), "self", "application/json", "this document"),
                link(base.replace("/ogc", "/api/v1/openapi.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.1", "the API definition"),
                link(format!("{base}/conformance"), "conformance", "application/json", "conformance classes"),
                link(format!("{base}/collections"), "data", "application/json", "the collections"),
            ],
        }))
    })
    .await
}

async fn conformance(State(s): State<S>, headers: HeaderMap, Query(q): Query<Plain>) -> Result<Response, ApiError> {
    answer(
        s,
        headers,
        "/conformance".into(),
        q.f.as_ref(),
        "application/json",
        |_, _| Ok(json!({"conformsTo": CONFORMS})),
    )
    .await
}

/// A collection's description.
fn describe(c: &features::Collection, base: &str) -> Value {
    let items = format!("{base}/collections/{}/items", c.id);
    let interval = c.interval.map(|(a, b)| json!([[a.to_rfc3339(), b.to_rfc3339()]]));
    json!({
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {
            "spatial": {"bbox": [[22.0, 44.0, 41.5, 53.5]], "crs": CRS84},
            "temporal": {"interval": interval.unwrap_or(json!([[null, null]]))},
        },
        "links": [
            link(format!("{base}/collections/{}", c.id), "self", "application/json", &c.title),
            link(items, "items", "application/geo+json", &c.title),
        ],
    })
}

async fn collections(State(s): State<S>, headers: HeaderMap, Query(q): Query<Plain>) -> Result<Response, ApiError> {
    answer(
        s,
        headers,
        "/collections".into(),
        q.f.as_ref(),
        "application/json",
        |st, base| {
            let all = features::collections(st)?;
            Ok(json!({
                "links": [link(format!("{base}/collections"), "self", "application/json", "the collections")],
                "collections": all.iter().map(|c| describe(c, base)).collect::<Vec<_>>(),
            }))
        },
    )
    .await
}

async fn collection(
    State(s): State<S>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<Plain>,
) -> Result<Response, ApiError> {
    let key = format!("/collections/{id}");
    answer(s, headers, key, q.f.as_ref(), "application/json", move |st, base| {
        let all = features::collections(st)?;
        let c = all
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::NotFound(format!("no collection `{id}`; see /ogc/collections")))?;
        Ok(describe(c, base))
    })
    .await
}

/// The parameters `items` knows; any other is refused (a typo must not
/// silently answer everything).
const ITEM_PARAMS: [&str; 6] = ["f", "limit", "offset", "bbox", "datetime", "status"];

async fn items(
    State(s): State<S>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let known = |k: &str| ITEM_PARAMS.contains(&k) || features::QUERYABLES.contains(&k);
    if let Some(unknown) = q.keys().find(|k| !known(k)) {
        return Err(ApiError::BadRequest(format!(
            "`{unknown}` is not a parameter of items ({}, or a property filter: {})",
            ITEM_PARAMS.join(", "),
            features::QUERYABLES.join(", ")
        )));
    }
    let number = |name: &str, default: usize| -> Result<usize, ApiError> {
        q.get(name).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| ApiError::BadRequest(format!("{name}: `{v}` is not a whole number")))
        })
    };
    let query = ItemsQuery {
        limit: number("limit", features::DEFAULT_LIMIT)?,
        offset: number("offset", 0)?,
        bbox: features::parse_bbox(q.get("bbox").map(String::as_str))?,
        when: features::parse_datetime(q.get("datetime").map(String::as_str))?,
        status: q.get("status").cloned(),
        properties: {
            let mut p: Vec<(String, String)> = q
                .iter()
                .filter(|(k, _)| features::QUERYABLES.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            p.sort();
            p
        },
    };
    let f = q.get("f").cloned();
    let mut pairs: Vec<(&String, &String)> = q.iter().collect();
    pairs.sort();
    let key = format!(
        "/collections/{id}/items?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    );
    answer(s, headers, key, f.as_ref(), "application/geo+json", move |st, base| {
        let page = features::items(st, &id, &query)?;
        let returned = page.features.len();
        let here = |offset: usize| {
            let mut kept: Vec<(String, String)> = q
                .iter()
                .filter(|(k, _)| k.as_str() != "offset")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            kept.sort();
            kept.push(("offset".into(), offset.to_string()));
            let qs = serde_urlencoded::to_string(&kept).unwrap_or_default();
            format!("{base}/collections/{id}/items?{qs}")
        };
        let mut links = vec![link(here(query.offset), "self", "application/geo+json", "this page")];
        if query.offset + returned < page.matched {
            links.push(link(
                here(query.offset + returned),
                "next",
                "application/geo+json",
                "the next page",
            ));
        }
        Ok(json!({
            "type": "FeatureCollection",
            "features": page.features,
            "numberMatched": page.matched,
            "numberReturned": returned,
            "timeStamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "links": links,
        }))
    })
    .await
}

async fn item(
    State(s): State<S>,
    headers: HeaderMap,
    Path((id, feature)): Path<(String, String)>,
    Query(q): Query<Plain>,
) -> Result<Response, ApiError> {
    let key = format!("/collections/{id}/items/{feature}");
    answer(
        s,
        headers,
        key,
        q.f.as_ref(),
        "application/geo+json",
        move |st, base| {
            let mut f = features::item(st, &id, &feature)?;
            f["links"] = json!([
                link(
                    format!("{base}/collections/{id}/items/{feature}"),
                    "self",
                    "application/geo+json",
                    "this feature"
                ),
                link(
                    format!("{base}/collections/{id}"),
                    "collection",
                    "application/json",
                    "its collection"
                ),
            ]);
            Ok(f)
        },
    )
    .await
}

/// The OGC paths in the project's OpenAPI document (`openapi.rs` adds them
/// to the generated ones), each with an example the API's conformance
/// test calls.
pub(crate) fn paths() -> serde_json::Map<String, Value> {
    let param = |name: &str, description: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema});
    let f = param(
        "f",
        "the encoding: json (the default) or html (a page to browse)",
        json!({"type": "string", "enum": ["json", "html"]}),
    );
    let id = json!({"name": "collectionId", "in": "path", "required": true, "description": "a collection's id (`/ogc/collections`)", "schema": {"type": "string"}});
    let fid = json!({"name": "featureId", "in": "path", "required": true, "description": "a feature's id", "schema": {"type": "string"}});
    let items_params = vec![
        f.clone(),
        param(
            "limit",
            "features a page holds, 1 to 10,000 (default 10)",
            json!({"type": "integer", "minimum": 1, "maximum": features::MAX_LIMIT}),
        ),
        param(
            "offset",
            "features skipped (the `next` link carries it)",
            json!({"type": "integer", "minimum": 0}),
        ),
        param(
            "bbox",
            "west,south,east,north (CRS84): features whose box meets it",
            json!({"type": "string"}),
        ),
        param(
            "datetime",
            "an instant (RFC 3339 or a day: its end) picks the map in force; an interval `A/B` (`..` open) the maps in it, at most 31 (control collections only)",
            json!({"type": "string"}),
        ),
        param(
            "status",
            "settlements: their status on the map (occupied, liberated, contested or none); located losses: the item's (destroyed, damaged…)",
            json!({"type": "string"}),
        ),
    ];
    let filters: Vec<Value> = features::QUERYABLES
        .iter()
        .map(|name| {
            param(
                name,
                "a property filter: features whose property equals it (settlements: country, admin1, name; losses: side, category, model; units: code, name; disagreement: only; another collection refuses it)",
                json!({"type": "string"}),
            )
        })
        .collect();
    let items_params = [items_params, filters].concat();
    let ok = |media: &str, schema: Value| {
        json!({"description": "OK", "content": {media: {"schema": schema}, "text/html": {"schema": {"type": "string"}}},
               "headers": {"ETag": {"description": "the data version: send it back as If-None-Match", "schema": {"type": "string"}}}})
    };
    let op = |summary: &str, params: Vec<Value>, example: &str, media: &str, schema: Value| {
        json!({"get": {
            "summary": summary,
            "tags": ["OGC API – Features"],
            "parameters": params,
            "responses": {
                "200": ok(media, schema),
                "304": {"description": "not modified since the ETag sent"},
                "400": error_response("a parameter is malformed or unknown"),
                "404": error_response("no such collection or feature"),
            },
            "x-example": example,
        }})
    };
    let object = json!({"type": "object"});
    let collection = json!({"$ref": "#/components/schemas/FeatureCollection"});
    let feature = json!({"type": "object", "required": ["type", "geometry", "properties"]});
    [
        (
            "/ogc",
            op(
                "OGC API – Features landing page",
                vec![f.clone()],
                "/ogc",
                "application/json",
                object.clone(),
            ),
        ),
        (
            "/ogc/conformance",
            op(
                "The conformance classes claimed (Core, GeoJSON)",
                vec![f.clone()],
                "/ogc/conformance",
                "application/json",
                object.clone(),
            ),
        ),
        (
            "/ogc/collections",
            op(
                "The collections: control areas per mapper and status, settlements",
                vec![f.clone()],
                "/ogc/collections",
                "application/json",
                object.clone(),
            ),
        ),
        (
            "/ogc/collections/{collectionId}",
            op(
                "One collection",
                vec![id.clone(), f.clone()],
                "/ogc/collections/settlements",
                "application/json",
                object,
            ),
        ),
        (
            "/ogc/collections/{collectionId}/items",
            op(
                "A page of a collection's features, with numberMatched and a `next` link",
                [vec![id.clone()], items_params].concat(),
                "/ogc/collections/settlements/items?limit=2",
                "application/geo+json",
                collection,
            ),
        ),
        (
            "/ogc/collections/{collectionId}/items/{featureId}",
            op(
                "One feature by its id",
                vec![id, fid, f],
                "/ogc/collections/settlements/items/1",
                "application/geo+json",
                feature,
            ),
        ),
    ]
    .into_iter()
    .map(|(p, v)| (p.to_string(), v))
    .collect()
}
