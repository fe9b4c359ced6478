//! The `frontline` binary: parses flags (`flags.rs`, the only place clap
//! lives), turns them into the app's requests, runs them and prints.
//!
//! Exit codes: 0 success; 2 a usage error (clap); otherwise the class of the
//! failure, decided in one place (`frontline_app::error::classify`): 1 bad
//! input or nothing found, 3 a refused credential, 4 busy or unreachable
//! (try again), 70 an internal fault.

mod flags;

use anyhow::Result;
use clap::Parser;
use flags::{Cli, Command, ImportCommand, LossesCommand, ReviewCommand, TerritoryCommand, TokenCommand, to_request};
use frontline_app::commands;
use frontline_app::commands::territory as terr;
use frontline_app::output::{OutputFormat, Tabular};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(frontline_sync::classify(&e).exit_code())
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FRONTLINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Serve(a) = &cli.command {
        let web_dir = a.web.clone().or_else(|| {
            let default = std::path::PathBuf::from("web/dist");
            default.join("index.html").is_file().then_some(default)
        });
        let config = frontline_server::ServerConfig {
            db: cli.db.clone(),
            web_dir,
            token: a.token.clone().filter(|t| !t.is_empty()),
            max_body: a.max_body_mib * 1024 * 1024,
            limits: frontline_server::ConnLimits {
                max_connections: a.max_connections.max(1),
                header_timeout: std::time::Duration::from_secs(a.header_timeout_secs.max(1)),
                body_timeout: std::time::Duration::from_secs(a.body_timeout_secs.max(1)),
            },
            sync: a.sync.then(|| sync_plan(&cli.db, a)).transpose()?,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        return runtime.block_on(frontline_server::serve(a.addr, config));
    }
    let mut boxed = frontline_store::open(&cli.db)?;
    boxed.set_audit_context(frontline_store::AuditContext {
        actor: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        via: via(&cli.command),
    });
    let store: &mut dyn frontline_store::Store = boxed.as_mut();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (answer, format): (Box<dyn Tabular>, OutputFormat) = match &cli.command {
        Command::Import(i) => match i {
            ImportCommand::Tallies(a) => (
                Box::new(commands::import::tallies(store, &a.request())?),
                a.format.get(),
            ),
            ImportCommand::Control(a) => (Box::new(terr::import::control(store, &a.request())?), a.format.get()),
            ImportCommand::Boundaries(a) => (Box::new(terr::import::boundaries(store, &a.file)?), a.format.get()),
            ImportCommand::Places(a) => (Box::new(terr::import::places(store, &a.file)?), a.format.get()),
            ImportCommand::Layer(a) => (Box::new(terr::import::layer(store, &a.request())?), a.format.get()),
            ImportCommand::Losses(a) => (
                Box::new(vec![commands::losses::import(store, &a.request())?]),
                OutputFormat::Table,
            ),
        },
        Command::Territory(t) => match t {
            TerritoryCommand::Area(a) => (Box::new(terr::area::area(store, &to_request(a)?)?), a.format.get()),
            TerritoryCommand::Peak(a) => (Box::new(terr::area::peak(store, &to_request(a)?)?), a.format.get()),
            TerritoryCommand::Change(a) => (
                Box::new(terr::change::run(store, &to_request(a)?, a.geojson.as_deref())?),
                a.format.get(),
            ),
            TerritoryCommand::Settlements(a) => (
                Box::new(terr::places::settlements(store, &to_request(a)?)?),
                a.format.get(),
            ),
            TerritoryCommand::Handovers(a) => (
                Box::new(terr::places::handovers(store, &to_request(a)?)?),
                a.format.get(),
            ),
            TerritoryCommand::Distance(a) => (Box::new(terr::distance::run(store, &to_request(a)?)?), a.format.get()),
        },
        Command::Losses(LossesCommand::Count(a)) => (
            Box::new(commands::losses::count(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Lag(a) => (Box::new(commands::losses::lag(store, &to_request(a)?)?), a.format.get()),
        Command::Nowcast(a) => (
            Box::new(commands::losses::nowcast_rows(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Backtest(a) => (
            Box::new(commands::losses::backtest_rows(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Overlap(a) => (
            Box::new(commands::losses::overlap_rows(
                store,
                &to_request(a)?,
                &mut std::io::stderr(),
            )?),
            a.format.get(),
        ),
        Command::History(a) => (
            Box::new(commands::losses::history(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Series(a) => (
            Box::new(commands::series::series(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Records(a) => (
            Box::new(commands::series::record_days(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Sources(a) if a.health => (
            Box::new(frontline_sync::health::all(store, chrono::Utc::now())?),
            a.format.get(),
        ),
        Command::Sources(a) => (Box::new(commands::catalog::sources(store)?), a.format.get()),
        Command::Sync(a) => {
            let rails = frontline_sync::Guardrails {
                max_rewritten_share: a.max_rewritten_percent / 100.0,
                max_area_change: a.max_area_change_percent / 100.0,
                max_removed_share: a.max_removed_percent / 100.0,
                ..Default::default()
            };
            let report = match a.source {
                flags::SyncSource::Deepstate => {
                    let config = fetch_config(a, frontline_sync::deepstate::BASE_URL)?;
                    frontline_sync::deepstate::sync(store, config, a.max, rails)?
                }
                flags::SyncSource::Tallies => {
                    let config = fetch_config(a, frontline_sync::tallies::BASE_URL)?;
                    frontline_sync::tallies::sync(store, config, rails)?
                }
                flags::SyncSource::Warspotting => {
                    let config = fetch_config(a, frontline_sync::warspotting::BASE_URL)?;
                    let mode = match &a.reconcile {
                        Some(range) => {
                            let (from, to) = range
                                .split_once("..")
                                .and_then(|(f, t)| f.parse().ok().zip(t.parse().ok()))
                                .ok_or_else(|| {
                                    frontline_app::error::UserError::BadRequest(format!(
                                        "--reconcile `{range}`: want `YYYY-MM-DD..YYYY-MM-DD`"
                                    ))
                                })?;
                            frontline_sync::warspotting::Mode::Reconcile { from, to }
                        }
                        None => frontline_sync::warspotting::Mode::Update {
                            max_days: a.max,
                            since: a.since,
                        },
                    };
                    frontline_sync::warspotting::sync(store, config, mode, rails)?
                }
                flags::SyncSource::Oryx => {
                    let config = fetch_config(a, frontline_sync::oryx::BASE_URL)?;
                    frontline_sync::oryx::sync(store, config, rails)?
                }
            };
            (Box::new(vec![report]), a.format.get())
        }
        Command::Categories(a) => (Box::new(commands::catalog::categories(store)?), a.get()),
        Command::Notes(a) => (
            Box::new(commands::catalog::notes(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Audit(a) => (Box::new(commands::catalog::audit(store, a.since)?), a.format.get()),
        Command::Token(TokenCommand::List(f)) => (Box::new(commands::catalog::tokens(store)?), f.get()),
        Command::Token(TokenCommand::Add { name, role }) => {
            let token = frontline_app::auth::add(store, name, role)?;
            eprintln!("token `{name}` made; it is shown once, here:");
            writeln!(out, "{token}")?;
            return Ok(());
        }
        Command::Token(TokenCommand::Revoke { name }) => {
            frontline_app::auth::revoke(store, name)?;
            eprintln!("token `{name}` revoked");
            return Ok(());
        }
        Command::Bytes { sha256 } => {
            let bytes = frontline_sync::fetch::kept(store, sha256).map_err(|e| match e {
                frontline_sync::SyncError::Protocol { .. } => {
                    anyhow::Error::from(frontline_app::error::UserError::NotFound(format!(
                        "no kept body {sha256}; only bytes a sync fetched are kept"
                    )))
                }
                other => other.into(),
            })?;
            out.write_all(&bytes)?;
            out.flush()?;
            return Ok(());
        }
        Command::Review(ReviewCommand::List(f)) => (Box::new(frontline_sync::review::list(store)?), f.get()),
        Command::Review(ReviewCommand::Show { id }) => {
            let r = frontline_sync::review::get(store, *id)?;
            writeln!(
                out,
                "revision {} of {} ({}), held {}",
                r.id,
                r.source,
                r.status,
                r.created_at.to_rfc3339()
            )?;
            writeln!(out, "why: {}", r.reason)?;
            if let (Some(who), Some(why)) = (&r.decided_by, &r.why) {
                writeln!(out, "decided by {who}: {why}")?;
            }
            for (name, sha) in &r.files {
                writeln!(out, "file: {name} (sha256 {sha})")?;
            }
            writeln!(out, "changes:")?;
            for line in r.diff.lines() {
                writeln!(out, "  {line}")?;
            }
            return Ok(());
        }
        Command::Review(ReviewCommand::Accept { id, why }) => {
            let added = frontline_sync::review::accept(store, *id, why)?;
            eprintln!("revision {id} accepted: {added} records added");
            return Ok(());
        }
        Command::Review(ReviewCommand::Reject { id, why }) => {
            frontline_sync::review::reject(store, *id, why)?;
            eprintln!("revision {id} rejected");
            return Ok(());
        }
        Command::Demo(a) => {
            commands::demo::run(store, a.data.as_deref(), &mut out)?;
            return Ok(());
        }
        Command::Serve(_) => unreachable!("handled above"),
    };
    answer.rows()?.write(format, &mut out)?;
    out.flush()?;
    Ok(())
}

/// The server's sync schedule, from `serve`'s flags.
fn sync_plan(db: &str, a: &flags::ServeArgs) -> Result<frontline_sync::schedule::Plan> {
    use frontline_sync::schedule::Source;
    let mut sources = Vec::new();
    for name in a.sync_sources.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let source = Source::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Source::ALL.iter().map(|s| s.name()).collect();
            frontline_app::error::UserError::BadRequest(format!(
                "--sync-sources: unknown source `{name}` ({})",
                known.join(", ")
            ))
        })?;
        let base = a
            .sync_base_urls
            .iter()
            .find_map(|b| b.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
            .unwrap_or(source.base_url());
        sources.push((source, frontline_sync::FetchConfig::new(base)));
    }
    Ok(frontline_sync::schedule::Plan {
        db: db.to_string(),
        sources,
        every: std::time::Duration::from_secs(a.sync_every_mins.max(1) * 60),
        rails: frontline_sync::Guardrails::default(),
    })
}

/// How to ask a source, from `sync`'s flags.
fn fetch_config(a: &flags::SyncArgs, default_base: &str) -> Result<frontline_sync::FetchConfig> {
    let mut config = frontline_sync::FetchConfig::new(a.base_url.as_deref().unwrap_or(default_base));
    config.min_interval = std::time::Duration::from_millis(a.interval_ms);
    for h in &a.headers {
        let (name, value) = h.split_once(':').filter(|(n, _)| !n.trim().is_empty()).ok_or_else(|| {
            frontline_app::error::UserError::BadRequest(format!("--header `{h}`: want `NAME: VALUE`"))
        })?;
        config.headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(config)
}

/// The words of a command, as the audit log records them.
fn via(c: &Command) -> String {
    let words = match c {
        Command::Import(i) => match i {
            ImportCommand::Tallies(_) => "import tallies",
            ImportCommand::Control(_) => "import control",
            ImportCommand::Boundaries(_) => "import boundaries",
            ImportCommand::Places(_) => "import places",
            ImportCommand::Layer(_) => "import layer",
            ImportCommand::Losses(_) => "import losses",
        },
        Command::Token(TokenCommand::Add { .. }) => "token add",
        Command::Token(TokenCommand::Revoke { .. }) => "token revoke",
        Command::Demo(_) => "demo",
        Command::Sync(_) => "sync",
        Command::Review(ReviewCommand::Accept { .. }) => "review accept",
        Command::Review(ReviewCommand::Reject { .. }) => "review reject",
        // Reads also write a memo of clipped areas, which is not audited.
        _ => "query",
    };
    words.to_string()
}
