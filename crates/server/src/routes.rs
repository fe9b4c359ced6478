//! Routes: every read is a query of `frontline-app`, rendered as JSON, CSV
//! or GeoJSON and cached by URL; writes import a posted file.

use crate::params::{ImportQ, LossQ, Q, SeriesQ, TerritoryQ, period, required, status};
use crate::state::{AppState, Cached};
use crate::{ApiError, OPENAPI};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path, Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use frontline_analysis::Period;
use frontline_app::args::*;
use frontline_app::auth::{self, Principal};
use frontline_app::commands::{self, geo, losses, territory as terr};
use frontline_app::output::Rows;
use frontline_store::{AuditContext, Role, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use tower_http::services::ServeDir;

type S = Arc<AppState>;

pub fn router(state: S) -> Router {
    let api = Router::new()
        .route("/health", get(|| async { axum::Json(json!({"status": "ok"})) }))
        .route("/openapi.json", get(openapi))
        .route("/categories", get(categories))
        .route("/sources", get(sources))
        .route("/series/{category}", get(series))
        .route("/records/{category}", get(records))
        .route("/territory/snapshots", get(snapshots))
        .route("/territory/control", get(control))
        .route("/territory/area", get(area))
        .route("/territory/peak", get(peak))
        .route("/territory/change", get(change))
        .route("/territory/settlements", get(settlements))
        .route("/territory/handovers", get(handovers))
        .route("/territory/distance", get(distance))
        .route("/places", get(places))
        .route("/boundaries", get(boundaries))
        .route("/losses/count", get(loss_count))
        .route("/losses/located", get(located))
        .route("/lag", get(lag))
        .route("/nowcast", get(nowcast))
        .route(
            "/import/{kind}",
            post(import).route_layer(middleware::from_fn_with_state(state.clone(), importer_only)),
        )
        .route(
            "/audit",
            get(audit).route_layer(middleware::from_fn_with_state(state.clone(), admin_only)),
        )
        .fallback(|| async { ApiError::NotFound("no such endpoint; see /api/v1/openapi.json".into()) })
        .layer(DefaultBodyLimit::max(state.config.max_body));
    let mut app = Router::new().nest("/api/v1", api);
    app = match &state.config.web_dir {
        Some(dir) if dir.join("index.html").is_file() => app.fallback_service(ServeDir::new(dir)),
        _ => app.fallback(|| async {
            axum::response::Html("<h1>Frontline</h1><p>The web page is not built: run <code>npm ci && npm run build</code> in <code>web/</code>. The API is at <a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p>")
        }),
    };
    app.with_state(state)
}

enum Body {
    Table(Rows),
    Json(Value),
}

fn wants_csv(uri: &Uri) -> bool {
    uri.query().is_some_and(|q| q.split('&').any(|kv| kv == "format=csv"))
}

/// Answers from the cache, or runs the query; both on a blocking thread,
/// since checking the cache asks the store for its data version.
async fn answer<F>(state: S, uri: Uri, f: F) -> Result<Response, ApiError>
where
    F: FnOnce(&mut dyn Store) -> Result<Body, ApiError> + Send + 'static,
{
    let key = uri.to_string();
    let csv = wants_csv(&uri);
    let hit = tokio::task::spawn_blocking(move || -> Result<Cached, ApiError> {
        if let Some(hit) = state.cached(&key)? {
            return Ok(hit);
        }
        let version = state.cache_version();
        let body = state.with_store(f)?;
        let cached = match body {
            Body::Table(rows) if csv => Cached {
                content_type: "text/csv; charset=utf-8",
                body: Arc::new(rows.render(OutputFormat::Csv).map_err(ApiError::Internal)?),
            },
            Body::Table(rows) => Cached {
                content_type: "application/json",
                body: Arc::new(rows.render(OutputFormat::Json).map_err(ApiError::Internal)?),
            },
            Body::Json(v) => Cached {
                content_type: if v.get("type").is_some_and(|t| t == "FeatureCollection") {
                    "application/geo+json"
                } else {
                    "application/json"
                },
                body: Arc::new(serde_json::to_vec(&v).map_err(|e| ApiError::Internal(e.into()))?),
            },
        };
        state.remember(version, key, cached.clone());
        Ok(cached)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    let mut resp = (*hit.body).clone().into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(hit.content_type));
    Ok(resp)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

async fn categories(State(s): State<S>, uri: Uri) -> Result<Response, ApiError> {
    answer(s, uri, |st| Ok(Body::Table(commands::catalog::categories(st)?))).await
}

async fn sources(State(s): State<S>, uri: Uri) -> Result<Response, ApiError> {
    answer(s, uri, |st| Ok(Body::Table(commands::catalog::sources(st)?))).await
}

fn select(category: String, q: &SeriesQ) -> SeriesSelect {
    SeriesSelect {
        category,
        claimant: q.claimant.clone(),
        subject: q.subject.clone(),
        spread_catchups: q.spread_catchups,
    }
}

async fn series(
    State(s): State<S>,
    uri: Uri,
    Path(category): Path<String>,
    Q(q): Q<SeriesQ>,
) -> Result<Response, ApiError> {
    let args = SeriesArgs {
        select: select(category, &q),
        from: q.from,
        to: q.to,
        period: period(&q.period, Period::Day)?,
        rolling: q.rolling,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(commands::series::series(st, &args)?))).await
}

async fn records(
    State(s): State<S>,
    uri: Uri,
    Path(category): Path<String>,
    Q(q): Q<SeriesQ>,
) -> Result<Response, ApiError> {
    let args = RecordsArgs {
        select: select(category, &q),
        since: q.since,
        from: q.from,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| {
        Ok(Body::Table(commands::series::record_days(st, &args)?))
    })
    .await
}

async fn snapshots(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    answer(s, uri, move |st| {
        Ok(Body::Json(geo::snapshot_days(st, q.mapper.as_deref())?))
    })
    .await
}

async fn control(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let date = required(q.date, "date")?;
    answer(s, uri, move |st| {
        Ok(Body::Json(geo::control(st, date, q.mapper.as_deref())?))
    })
    .await
}

fn tselect(q: &TerritoryQ) -> Result<TerritorySelect, ApiError> {
    Ok(TerritorySelect {
        status: status(&q.status)?,
        within: q.within.clone(),
        mapper: q.mapper.clone(),
    })
}

async fn area(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let args = TerritoryRange {
        select: tselect(&q)?,
        from: q.from,
        to: q.to,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::area::area(st, &args)?))).await
}

async fn peak(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let args = TerritoryRange {
        select: tselect(&q)?,
        from: q.from,
        to: q.to,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::area::peak(st, &args)?))).await
}

async fn change(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let p = match &q.period {
        None => None,
        Some(_) => Some(period(&q.period, Period::Week)?),
    };
    let args = ChangeArgs {
        select: tselect(&q)?,
        from: q.from,
        to: q.to,
        period: p,
        geojson: None,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::change::run(st, &args)?))).await
}

async fn settlements(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let args = SettlementsArgs {
        select: tselect(&q)?,
        date: Some(required(q.date, "date")?),
        from: None,
        to: None,
        min_population: q.min_population.unwrap_or(0),
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::places::settlements(st, &args)?))).await
}

async fn handovers(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let args = HandoversArgs {
        from: required(q.from, "from")?,
        to: required(q.to, "to")?,
        within: q.within.clone(),
        mapper: q.mapper.clone(),
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::places::handovers(st, &args)?))).await
}

async fn distance(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    let place = q
        .place
        .clone()
        .ok_or_else(|| ApiError::BadRequest("`place` is required".into()))?;
    let args = DistanceArgs {
        select: tselect(&q)?,
        date: required(q.date, "date")?,
        to: Some(place),
        to_layer: None,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(terr::distance::run(st, &args)?))).await
}

async fn places(State(s): State<S>, uri: Uri, Q(q): Q<TerritoryQ>) -> Result<Response, ApiError> {
    answer(s, uri, move |st| {
        Ok(Body::Json(geo::places(
            st,
            q.date,
            q.min_population.unwrap_or(0),
            q.mapper.as_deref(),
        )?))
    })
    .await
}

async fn boundaries(State(s): State<S>, uri: Uri) -> Result<Response, ApiError> {
    answer(s, uri, |st| Ok(Body::Json(geo::boundaries(st)?))).await
}

fn filter(q: &LossQ) -> ItemFilter {
    ItemFilter {
        source: q.source.iter().flat_map(|s| s.split(',')).map(str::to_string).collect(),
        side: q.side.clone(),
        category: q.category.clone(),
        status: q.status.clone(),
    }
}

async fn loss_count(State(s): State<S>, uri: Uri, Q(q): Q<LossQ>) -> Result<Response, ApiError> {
    let by = match q.by.as_deref() {
        None | Some("event") => DateBasis::Event,
        Some("published") => DateBasis::Published,
        Some(o) => {
            return Err(ApiError::BadRequest(format!(
                "unknown `by` value `{o}` (event, published)"
            )));
        }
    };
    let args = LossCountArgs {
        filter: filter(&q),
        period: period(&q.period, Period::Week)?,
        by,
        from: q.from,
        to: q.to,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(losses::count(st, &args)?))).await
}

async fn located(State(s): State<S>, uri: Uri, Q(q): Q<LossQ>) -> Result<Response, ApiError> {
    answer(s, uri, move |st| Ok(Body::Json(geo::located_losses(st, q.from, q.to)?))).await
}

async fn lag(State(s): State<S>, uri: Uri, Q(q): Q<LossQ>) -> Result<Response, ApiError> {
    let args = LagArgs {
        filter: filter(&q),
        period: period(&q.period, Period::Month)?,
        alerts: q.alerts,
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(losses::lag(st, &args)?))).await
}

async fn nowcast(State(s): State<S>, uri: Uri, Q(q): Q<LossQ>) -> Result<Response, ApiError> {
    let args = NowcastArgs {
        filter: filter(&q),
        as_of: required(q.as_of, "as_of")?,
        period: period(&q.period, Period::Week)?,
        recent: q.recent.unwrap_or(8),
        format: FormatArg::default(),
    };
    answer(s, uri, move |st| Ok(Body::Table(losses::nowcast_rows(st, &args)?))).await
}

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

async fn importer_only(State(s): State<S>, req: Request, next: Next) -> Result<Response, ApiError> {
    authorize(s, req, next, Role::Importer).await
}

async fn admin_only(State(s): State<S>, req: Request, next: Next) -> Result<Response, ApiError> {
    authorize(s, req, next, Role::Admin).await
}

#[derive(serde::Deserialize)]
struct AuditQ {
    since: Option<chrono::NaiveDate>,
}

/// `GET /api/v1/audit` (admin): every recorded write. Not cached.
async fn audit(State(s): State<S>, uri: Uri, Q(q): Q<AuditQ>) -> Result<Response, ApiError> {
    let csv = wants_csv(&uri);
    let rows = tokio::task::spawn_blocking(move || s.with_store(|st| Ok(commands::catalog::audit(st, q.since)?)))
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let (ctype, format) = if csv {
        ("text/csv; charset=utf-8", OutputFormat::Csv)
    } else {
        ("application/json", OutputFormat::Json)
    };
    let body = rows.render(format).map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, ctype)], body).into_response())
}

/// `POST /api/v1/import/{kind}` with the file as the body (importer).
async fn import(
    State(s): State<S>,
    Path(kind): Path<String>,
    Extension(who): Extension<Principal>,
    Q(q): Q<ImportQ>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let name = q.name.clone().unwrap_or_else(|| format!("upload-{kind}"));
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(ApiError::BadRequest("`name` must be a plain file name".into()));
    }
    let state = s.clone();
    let rows = tokio::task::spawn_blocking(move || -> Result<Rows, ApiError> {
        let dir = tempfile::tempdir().map_err(|e| ApiError::Internal(e.into()))?;
        let path = dir.path().join(&name);
        std::fs::write(&path, &body).map_err(|e| ApiError::Internal(e.into()))?;
        let shown = dir.path().display().to_string();
        let hide = |e: ApiError| match e {
            ApiError::BadRequest(m) => ApiError::BadRequest(m.replace(&format!("{shown}/"), "")),
            other => other,
        };
        state
            .with_store(|st| {
                st.set_audit_context(AuditContext {
                    actor: format!("token:{}", who.name),
                    via: format!("POST /api/v1/import/{kind}"),
                });
                let rows = match kind.as_str() {
                    "tallies" => commands::import::tallies(st, std::slice::from_ref(&path), TallyFormatArg::Auto)?,
                    "boundaries" => terr::import::boundaries(
                        st,
                        &ImportFileArgs {
                            file: path.clone(),
                            format: FormatArg::default(),
                        },
                    )?,
                    "places" => terr::import::places(
                        st,
                        &ImportFileArgs {
                            file: path.clone(),
                            format: FormatArg::default(),
                        },
                    )?,
                    "control" => terr::import::control(
                        st,
                        &ImportControlArgs {
                            paths: vec![path.clone()],
                            input_format: ControlFormatArg::Deepstate,
                            mapper: None,
                            status_property: None,
                            map: vec![],
                            time_property: None,
                            region: "22,44,41.5,53.5".into(),
                            format: FormatArg::default(),
                        },
                    )?,
                    "losses" => {
                        let format = match q.format.as_deref() {
                            Some("oryx") => LossFormatArg::Oryx,
                            Some("warspotting") => LossFormatArg::Warspotting,
                            Some("generic") => LossFormatArg::Generic,
                            _ => {
                                return Err(ApiError::BadRequest(
                                    "`format` must be oryx, warspotting or generic".into(),
                                ));
                            }
                        };
                        let args = ImportLossesArgs {
                            files: vec![path.clone()],
                            format,
                            source: q.source.clone(),
                            strict: true,
                            rejects: None,
                        };
                        losses::import(st, &args)?
                    }
                    other => {
                        return Err(ApiError::NotFound(format!(
                            "unknown import kind `{other}` (tallies, boundaries, places, control, losses)"
                        )));
                    }
                };
                Ok(rows)
            })
            .map_err(hide)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    // No invalidation here: the import changed the data version, which
    // every cached answer is checked against.
    let body = rows.render(OutputFormat::Json).map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}
