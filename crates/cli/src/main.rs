//! The `frontline` binary: parses flags (`flags.rs`, the only place clap
//! lives), turns them into the app's requests, runs them and prints.
//!
//! Exit codes: 0 success; 2 a usage error (clap); otherwise the class of the
//! failure, decided in one place (`frontline_app::error::classify`): 1 bad
//! input or nothing found, 3 a refused credential, 4 busy or unreachable
//! (try again), 70 an internal fault.

mod catalog;
mod flags;

use anyhow::{Context, Result};
use flags::{Cli, Command, ReviewCommand, TokenCommand, to_request};
use frontline_app::commands;
use frontline_app::output::{OutputFormat, Tabular};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // The derived commands, and the catalog's queries added to them.
    let matches = catalog::add(<Cli as clap::CommandFactory>::command()).get_matches();
    init_logging();
    let outcome = match catalog::run(&matches, &mut std::io::stdout().lock()) {
        Some(done) => done,
        None => match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
            Ok(cli) => run(cli, &matches),
            Err(e) => e.exit(),
        },
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(frontline_app::error::classify(&e)))
        }
    }
}

/// The exit code of each class of failure: 1 for what the user can fix, 3
/// for a refused credential, 4 for "try again", 70 (EX_SOFTWARE) for
/// faults. The one place the CLI maps them (the README lists them).
fn exit_code(class: frontline_model::ErrorClass) -> u8 {
    use frontline_model::ErrorClass::*;
    match class {
        BadRequest | NotFound | Conflict | TooLarge => 1,
        Unauthenticated | Forbidden => 3,
        Unavailable => 4,
        Internal => 70,
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

fn run(cli: Cli, matches: &clap::ArgMatches) -> Result<()> {
    let as_of = catalog::as_of(matches)?;
    if let Command::Diff(a) = &cli.command {
        return catalog::diff(&cli.db, as_of, a, &mut std::io::stdout().lock());
    }
    if as_of.is_some() && !matches!(&cli.command, Command::Backtest(b) if b.counts) {
        return Err(frontline_app::error::UserError::BadRequest(format!(
            "--as-of applies to queries, `diff` and `backtest --counts`, not to `{}`",
            via(&cli.command)
        ))
        .into());
    }
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
                max_per_client: a.max_connections_per_client.max(1),
                header_timeout: std::time::Duration::from_secs(a.header_timeout_secs.max(1)),
                body_timeout: std::time::Duration::from_secs(a.body_timeout_secs.max(1)),
            },
            sync: a.sync.then(|| sync_plan(&cli.db, a)).transpose()?,
            webhooks: a.webhooks.clone(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        return runtime.block_on(frontline_server::serve(a.addr, config));
    }
    if let Command::Export(flags::ExportCommand::Site(a)) = &cli.command {
        let req = frontline_server::export::SiteRequest {
            db: cli.db.clone(),
            web: a.web.clone(),
            out: a.out.clone(),
            mapper: a.tiles.mapper.clone(),
            max_zoom: a.tiles.max_zoom,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        let r = runtime.block_on(frontline_server::export::site(&req))?;
        println!(
            "wrote {}: {} page files, {} answers ({} bytes), {} tiles in tiles/control.pmtiles ({} bytes) covering {} to {}",
            a.out.display(),
            r.page_files,
            r.answers,
            r.answer_bytes,
            r.tiles,
            r.archive_bytes,
            r.first_day,
            r.last_day
        );
        return Ok(());
    }
    // A command that only reads never creates or migrates a database: a
    // typo in --db says so instead of leaving an empty file behind.
    let mut boxed: Box<dyn frontline_store::Store + Send> = if writes(&cli.command) {
        frontline_store::open(&cli.db)?
    } else if matches!(cli.command, Command::Claims(flags::ClaimsCommand::Extract { .. })) {
        // Reads an article, stores nothing, needs no database.
        Box::new(frontline_store::SqliteStore::open_in_memory()?)
    } else {
        frontline_store::open_existing(&cli.db)?
    };
    boxed.set_audit_context(frontline_store::AuditContext {
        actor: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        via: via(&cli.command),
    });
    let store: &mut dyn frontline_store::Store = boxed.as_mut();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (answer, format): (Box<dyn Tabular>, OutputFormat) = match &cli.command {
        Command::Import(i) => (Box::new(frontline_app::imports::run(store, &i.kind())?), i.output()),
        Command::Backtest(a) if a.counts => {
            let req = frontline_app::requests::CountNowcastRequest {
                subject: a
                    .subject
                    .clone()
                    .ok_or_else(|| frontline_app::error::UserError::BadRequest("--counts needs --subject".into()))?,
                period: a.period.unwrap_or(frontline_analysis::Period::Month).into(),
                source: a.filter.source.clone(),
                edition: None,
                horizon_days: None,
            };
            // Learned and scored on the vintages known by `--as-of`.
            let rows = frontline_app::as_of::on(store, as_of, |s| commands::counts::backtest(s, &req))?;
            (Box::new(rows), a.format.get())
        }
        Command::Backtest(a) => (
            Box::new(commands::losses::backtest_rows(store, &to_request(a)?)?),
            a.format.get(),
        ),
        Command::Claims(flags::ClaimsCommand::Add(a)) => {
            // The flags' names are the file's keys: one reading rule for both.
            let fields: Vec<(String, String)> = match serde_json::to_value(a.as_ref())? {
                serde_json::Value::Object(m) => m
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                    .collect(),
                _ => Vec::new(),
            };
            (Box::new(commands::claims::add(store, &fields)?), a.format.get())
        }
        Command::Claims(flags::ClaimsCommand::Extract {
            file,
            said_on,
            source_url,
            format,
        }) => (
            Box::new(commands::claims::extract(file, *said_on, source_url.as_deref())?),
            format.get(),
        ),
        Command::Claims(flags::ClaimsCommand::Import { file, format }) => {
            let kind = frontline_app::imports::ImportKind::Claims(frontline_app::imports::Input::Path(file.clone()));
            (Box::new(frontline_app::imports::run(store, &kind)?), format.get())
        }
        Command::Sync(a) => {
            let file = match &a.config {
                Some(p) => frontline_sync::SyncConfig::load(p)?,
                None => frontline_sync::SyncConfig::default(),
            };
            let mut done = frontline_sync::run::sources(store, &a.sources, a.all, &file, &a.run)?;
            if !done.failed.is_empty() {
                done.reports.rows()?.write(a.format.get(), &mut out)?;
                out.flush()?;
                let names: Vec<&str> = done.failed.iter().map(|(n, _)| n.as_str()).collect();
                let summary = format!("{} of the sources failed: {}", names.len(), names.join(", "));
                for (source, e) in &done.failed {
                    eprintln!("sync {source}: {e:#}");
                }
                // The exit code is the first failure's class (it stays the cause).
                let (_, first) = done.failed.swap_remove(0);
                return Err(first.context(summary));
            }
            (Box::new(done.reports), a.format.get())
        }
        Command::Reparse(a) => {
            let source = frontline_sync::registry::named(&a.source)?;
            let report = frontline_sync::reparse::reparse(store, source, frontline_sync::Guardrails::default())?;
            (Box::new(vec![report]), a.format.get())
        }
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
        Command::Demo(a) => return commands::demo::run(store, a.data.as_deref(), &mut out),
        Command::Subscribe(c) => return c.run(store, &mut out),
        Command::Export(flags::ExportCommand::Tiles(a)) => {
            let built = commands::tiles::build(store, a.tiles.mapper.as_deref(), a.tiles.max_zoom)?;
            let f = std::fs::File::create(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
            built.write_pmtiles(std::io::BufWriter::new(f))?;
            writeln!(
                out,
                "wrote {}: {} tiles, zoom 0 to {}, {} to {}",
                a.out.display(),
                built.tiles.len(),
                built.max_zoom,
                built.days.0,
                built.days.1
            )?;
            return Ok(());
        }
        Command::Export(flags::ExportCommand::Layer(r)) => (
            Box::new(vec![frontline_app::layers::export(store, r)?]),
            OutputFormat::Table,
        ),
        Command::Serve(_) | Command::Export(flags::ExportCommand::Site(_)) | Command::Diff(_) => {
            unreachable!("handled above")
        }
    };
    answer.rows()?.write(format, &mut out)?;
    out.flush()?;
    Ok(())
}

/// The server's sync schedule, from `serve`'s flags or its configuration
/// file.
fn sync_plan(db: &str, a: &flags::ServeArgs) -> Result<frontline_sync::schedule::Plan> {
    use frontline_sync::schedule::Plan;
    Ok(match &a.sync_config {
        Some(path) => Plan::from_file(db, path)?,
        None => {
            let every = std::time::Duration::from_secs(a.sync_every_mins.max(1) * 60);
            Plan::from_names(db, &a.sync_sources, &a.sync_base_urls, every)?
        }
    })
}

/// Whether a command may write to the database (and so create or upgrade
/// it). Everything else only reads.
fn writes(c: &Command) -> bool {
    matches!(
        c,
        Command::Import(_)
            | Command::Sync(_)
            | Command::Reparse(_)
            | Command::Serve(_)
            | Command::Token(_)
            | Command::Review(_)
            | Command::Subscribe(_)
            | Command::Demo(_)
            | Command::Claims(flags::ClaimsCommand::Import { .. } | flags::ClaimsCommand::Add(_))
    )
}

/// The words of a command, as the audit log records them.
fn via(c: &Command) -> String {
    let words = match c {
        Command::Import(i) => return format!("import {}", i.kind().name()),
        Command::Token(TokenCommand::Add { .. }) => "token add",
        Command::Token(TokenCommand::Revoke { .. }) => "token revoke",
        Command::Demo(_) => "demo",
        Command::Sync(_) => "sync",
        Command::Reparse(_) => "reparse",
        Command::Subscribe(_) => "subscribe",
        Command::Review(ReviewCommand::Accept { .. }) => "review accept",
        Command::Review(ReviewCommand::Reject { .. }) => "review reject",
        // Reads also write a memo of clipped areas, which is not audited.
        _ => "query",
    };
    words.to_string()
}
