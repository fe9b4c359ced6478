//! Query strings, deserialized straight into the app's request types.
//!
//! `format` (json or csv) is the one parameter every tabular answer takes;
//! it is read here and removed, and everything else must be a field of the
//! request (its type refuses unknown fields), so junk parameters get a 400
//! rather than an entry in the answer cache.

use crate::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A request of type `T` from the query string, and how to answer it.
pub struct Q<T>(pub T, pub Answering);

/// How to answer, and the cache key: the path and the query's parameters
/// in a canonical order, so `a=1&b=2` and `b=2&a=1` share an entry.
#[derive(Debug, Clone)]
pub struct Answering {
    /// `?format=csv`.
    pub csv: bool,
    /// Canonical key.
    pub key: String,
    /// The `If-None-Match` the client sent: the ETag of the answer it holds.
    pub if_none_match: Option<String>,
    /// Whether the client accepts gzip (the cached compressed body is sent).
    pub gzip: bool,
    /// `?as_of=DAY`: answer as known at the end of that day (`None`: now).
    pub as_of: Option<chrono::NaiveDate>,
    /// `?against=DAY`: answer with what changed between `as_of` and this
    /// day (`Some(None)`: today).
    pub against: Option<Option<chrono::NaiveDate>>,
}

impl Answering {
    /// Whether the client holds the answer tagged `etag` (`If-None-Match`
    /// names it): a 304 then.
    pub fn holds(&self, etag: &str) -> bool {
        self.if_none_match
            .as_deref()
            .is_some_and(|m| m.split(',').any(|t| t.trim() == etag))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|e| ApiError::BadRequest(format!("malformed query string: {e}")))?;
        let mut csv = false;
        let mut bad_format = None;
        pairs.retain(|(k, v)| {
            if k != "format" {
                return true;
            }
            match v.as_str() {
                "csv" => csv = true,
                "json" => csv = false,
                other => bad_format = Some(other.to_string()),
            }
            false
        });
        if let Some(f) = bad_format {
            return Err(ApiError::BadRequest(format!("unknown format `{f}` (json, csv)")));
        }
        // The knowledge days every query takes, read here and kept in the
        // cache key (an answer as of a day is another answer).
        let day = |name: &str| -> Result<Option<Option<chrono::NaiveDate>>, ApiError> {
            let mut found = pairs.iter().filter(|(k, _)| k == name);
            let (Some((_, v)), None) = (found.next(), found.next()) else {
                let n = pairs.iter().filter(|(k, _)| k == name).count();
                return if n == 0 {
                    Ok(None)
                } else {
                    Err(ApiError::BadRequest(format!("`{name}` given {n} times")))
                };
            };
            Ok(Some(frontline_app::as_of::parse_day(name, v)?))
        };
        let as_of = day("as_of")?.flatten();
        let against = day("against")?;
        let keyed = pairs.clone();
        pairs.retain(|(k, _)| k != "as_of" && k != "against");
        let rest = serde_urlencoded::to_string(&pairs).map_err(|e| ApiError::Internal(e.into()))?;
        let request: T = serde_urlencoded::from_str(&rest).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let mut pairs = keyed;
        pairs.sort();
        let canonical = serde_urlencoded::to_string(&pairs).map_err(|e| ApiError::Internal(e.into()))?;
        let key = format!("{}?{canonical}{}", parts.uri.path(), if csv { "#csv" } else { "" });
        let if_none_match = parts
            .headers
            .get(axum::http::header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let gzip = accepts_gzip(&parts.headers);
        Ok(Q(
            request,
            Answering {
                csv,
                key,
                if_none_match,
                gzip,
                as_of,
                against,
            },
        ))
    }
}

pub use frontline_app::requests::NoParams;

/// `POST /import/{kind}` parameters.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// File name: decides the tally layout (e.g. `*_correction.json`) and,
    /// for a DeepState control map, the snapshot time (epoch seconds, e.g.
    /// `1722544807.geojson`). Stored as the source's name.
    pub name: Option<String>,
    /// Loss layout (losses only).
    pub format: Option<frontline_app::requests::LossLayout>,
    /// Source name for generic loss lists.
    pub source: Option<String>,
}

/// `POST /review/{id}/{decision}` parameters.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewParams {
    /// Why, for the record (required to reject).
    pub why: Option<String>,
}

/// A request of type `T` from the whole query string (no `format`
/// handling), for endpoints whose answer is not tabular.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(Params)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

/// Whether a request takes gzip: `gzip` listed in `Accept-Encoding`, and
/// not with `q=0`.
pub(crate) fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|c| {
            let mut parts = c.split(';').map(str::trim);
            parts.next().is_some_and(|n| n.eq_ignore_ascii_case("gzip"))
                && !parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                })
        })
}
