//! The `frontline` binary: a thin layer that wires parsers, the store and the
//! analysis together and prints.
//!
//! Exit codes: 0 success; 2 a usage error (clap); otherwise the class of the
//! failure, decided in one place (`frontline_app::error::classify`): 1 bad
//! input or nothing found, 3 a refused credential, 4 busy or unreachable
//! (try again), 70 an internal fault.

use anyhow::Result;
use clap::Parser;
use frontline_app::args::{Cli, Command, ImportCommand, LossesCommand, TerritoryCommand, TokenCommand};
use frontline_app::commands;
use frontline_app::commands::territory as terr;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(frontline_app::error::classify(&e).exit_code())
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
    let mut boxed = frontline_store::open(&cli.db)?;
    boxed.set_audit_context(frontline_store::AuditContext {
        actor: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        via: via(&cli.command),
    });
    let store: &mut dyn frontline_store::Store = boxed.as_mut();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (rows, format) = match &cli.command {
        Command::Import(ImportCommand::Tallies(a)) => (
            commands::import::tallies(store, &a.files, a.input_format)?,
            a.format.format,
        ),
        Command::Import(ImportCommand::Control(a)) => (terr::import::control(store, a)?, a.format.format),
        Command::Import(ImportCommand::Boundaries(a)) => (terr::import::boundaries(store, a)?, a.format.format),
        Command::Import(ImportCommand::Places(a)) => (terr::import::places(store, a)?, a.format.format),
        Command::Import(ImportCommand::Layer(a)) => (terr::import::layer(store, a)?, a.format.format),
        Command::Territory(t) => match t {
            TerritoryCommand::Area(a) => (terr::area::area(store, a)?, a.format.format),
            TerritoryCommand::Peak(a) => (terr::area::peak(store, a)?, a.format.format),
            TerritoryCommand::Change(a) => (terr::change::run(store, a)?, a.format.format),
            TerritoryCommand::Settlements(a) => (terr::places::settlements(store, a)?, a.format.format),
            TerritoryCommand::Handovers(a) => (terr::places::handovers(store, a)?, a.format.format),
            TerritoryCommand::Distance(a) => (terr::distance::run(store, a)?, a.format.format),
        },
        Command::Import(ImportCommand::Losses(a)) => (commands::losses::import(store, a)?, Default::default()),
        Command::Losses(LossesCommand::Count(a)) => (commands::losses::count(store, a)?, a.format.format),
        Command::Lag(a) => (commands::losses::lag(store, a)?, a.format.format),
        Command::Nowcast(a) => (commands::losses::nowcast_rows(store, a)?, a.format.format),
        Command::Backtest(a) => (commands::losses::backtest_rows(store, a)?, a.format.format),
        Command::Overlap(a) => (
            commands::losses::overlap_rows(store, a, &mut std::io::stderr())?,
            a.format.format,
        ),
        Command::History(a) => (commands::losses::history(store, a)?, a.format.format),
        Command::Series(a) => (commands::series::series(store, a)?, a.format.format),
        Command::Records(a) => (commands::series::record_days(store, a)?, a.format.format),
        Command::Sources(a) => (commands::catalog::sources(store)?, a.format),
        Command::Categories(a) => (commands::catalog::categories(store)?, a.format),
        Command::Notes(a) => (commands::catalog::notes(store, a)?, a.format.format),
        Command::Audit(a) => (commands::catalog::audit(store, a.since)?, a.format.format),
        Command::Token(TokenCommand::List(f)) => (commands::catalog::tokens(store)?, f.format),
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
        Command::Serve(a) => {
            drop(boxed);
            let web_dir = a.web.clone().or_else(|| {
                let default = std::path::PathBuf::from("web/dist");
                default.join("index.html").is_file().then_some(default)
            });
            let config = frontline_server::ServerConfig {
                db: cli.db.clone(),
                web_dir,
                token: a.token.clone().filter(|t| !t.is_empty()),
                max_body: a.max_body_mib * 1024 * 1024,
            };
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
            return runtime.block_on(frontline_server::serve(a.addr, config));
        }
        Command::Demo(a) => {
            commands::demo::run(store, a.data.as_deref(), &mut out)?;
            return Ok(());
        }
    };
    rows.write(format, &mut out)?;
    out.flush()?;
    Ok(())
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
        // Reads also write a memo of clipped areas, which is not audited.
        _ => "query",
    };
    words.to_string()
}
