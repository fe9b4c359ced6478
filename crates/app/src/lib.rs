//! Frontline's queries, shared by the `frontline` CLI and its HTTP server.
//!
//! Each query takes a store and a plain request ([`requests`]: the CLI
//! parses its flags into it, the API deserializes query strings into it)
//! and returns a typed answer ([`answers`]), which either front end renders
//! as a table, CSV or JSON ([`output`]). The questions are declared once,
//! in the catalog ([`queries`]), which both front ends walk; every import
//! runs from bytes through one dispatcher ([`imports`]). This crate
//! knows no HTTP, and clap only behind the `cli` feature (the request
//! types' flags); errors are classified once, in [`error`].

pub mod answers;
pub mod as_of;
pub mod auth;
pub mod commands;

pub mod error;
pub mod features;
pub mod feeds;
pub mod imports;
pub mod layers;
pub mod output;
pub mod queries;
pub mod requests;
