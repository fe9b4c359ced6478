//! Frontline's queries, shared by the `frontline` CLI and its HTTP server.
//!
//! Each query takes a store and a parameter struct (the same struct is a
//! clap argument group for the CLI and a query string for the API) and
//! returns [`output::Rows`], which either front end renders as a table,
//! CSV or JSON.

pub mod args;
pub mod auth;
pub mod commands;

pub mod error;
pub mod output;
