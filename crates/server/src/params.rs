//! Query strings: parsed into the same parameter structs the CLI uses, with
//! every failure a JSON 400.

use crate::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use chrono::NaiveDate;
use frontline_analysis::Period;
use frontline_model::ControlStatus;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// `Query<T>` whose rejection is an [`ApiError`].
pub struct Q<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(t)| Q(t))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

pub fn period(p: &Option<String>, default: Period) -> Result<Period, ApiError> {
    match p {
        None => Ok(default),
        Some(s) => s.parse().map_err(ApiError::BadRequest),
    }
}

pub fn status(s: &Option<String>) -> Result<ControlStatus, ApiError> {
    let s = s
        .as_deref()
        .ok_or_else(|| ApiError::BadRequest("`status` is required (occupied, liberated, contested)".into()))?;
    ControlStatus::parse(s)
        .ok_or_else(|| ApiError::BadRequest(format!("unknown status `{s}` (occupied, liberated, contested)")))
}

pub fn required<T: Copy>(v: Option<T>, name: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::BadRequest(format!("`{name}` is required")))
}

#[derive(Debug, Default, Deserialize)]
pub struct SeriesQ {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub period: Option<String>,
    pub rolling: Option<usize>,
    pub claimant: Option<String>,
    pub subject: Option<String>,
    #[serde(default)]
    pub spread_catchups: bool,
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TerritoryQ {
    pub status: Option<String>,
    pub within: Option<String>,
    pub mapper: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub date: Option<NaiveDate>,
    pub period: Option<String>,
    pub min_population: Option<u64>,
    #[serde(rename = "place")]
    pub place: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LossQ {
    pub source: Option<String>,
    pub side: Option<String>,
    pub category: Option<String>,
    pub status: Option<String>,
    pub period: Option<String>,
    pub by: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub as_of: Option<NaiveDate>,
    pub recent: Option<usize>,
    #[serde(default)]
    pub alerts: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ImportQ {
    /// File name (decides the layout where it can, e.g. `*_correction.json`).
    pub name: Option<String>,
    /// Loss-list layout: oryx, warspotting, generic.
    pub format: Option<String>,
    /// Source name for generic loss lists.
    pub source: Option<String>,
}
