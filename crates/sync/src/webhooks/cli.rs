//! `frontline subscribe …`: the subscriptions of a local store, managed as
//! an admin (whoever can write the database file is one). `subscribe list`
//! and `subscribe deliveries` are catalog queries (`crate::queries`).

use super::deliver::{self, WorkerConfig};
use super::{Action, NewSubscription};
use anyhow::{Context, Result};
use frontline_store::Store;
use std::io::Write;
use std::path::PathBuf;

/// What `subscribe` does besides listing.
#[derive(Debug, clap::Subcommand)]
pub enum SubscribeCommand {
    /// Add a subscription; its secret is read from a file, or made and
    /// printed once.
    Add {
        /// Where to deliver (http or https).
        #[arg(long)]
        url: String,
        /// The event kinds, comma-separated (every kind when absent).
        #[arg(long)]
        kind: Option<String>,
        /// A file holding the signing secret (16 to 256 characters; one
        /// trailing newline is dropped).
        #[arg(long)]
        secret_file: Option<PathBuf>,
        /// Take a loopback or private target (the server must allow it too).
        #[arg(long)]
        allow_private: bool,
    },
    /// Stop delivering to one; its deliveries wait.
    Pause {
        /// Its id.
        id: String,
    },
    /// Deliver to one again, what waited first.
    Resume {
        /// Its id.
        id: String,
    },
    /// Delete one and its deliveries.
    Remove {
        /// Its id.
        id: String,
    },
    /// One delivery pass now (what `serve` does every few seconds).
    Deliver(WorkerConfig),
}

impl SubscribeCommand {
    /// Runs it, writing what it did.
    pub fn run(&self, store: &mut dyn Store, out: &mut dyn Write) -> Result<()> {
        let (id, action) = match self {
            SubscribeCommand::Add {
                url,
                kind,
                secret_file,
                allow_private,
            } => {
                let secret = match secret_file {
                    Some(p) => {
                        let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
                        Some(text.strip_suffix('\n').unwrap_or(&text).to_string())
                    }
                    None => None,
                };
                let new = NewSubscription {
                    url: url.clone(),
                    kind: kind.clone(),
                    secret,
                };
                let added = super::add(store, &new, "cli", *allow_private)?;
                writeln!(out, "{}", added.id)?;
                if let Some(s) = added.secret {
                    eprintln!("subscription {} made; its secret is shown once, here:", added.id);
                    writeln!(out, "{s}")?;
                }
                return Ok(());
            }
            SubscribeCommand::Deliver(config) => {
                let r = deliver::pass(store, config, chrono::Utc::now())?;
                writeln!(
                    out,
                    "{} queued, {} delivered, {} to retry, {} dead",
                    r.queued, r.delivered, r.retried, r.dead
                )?;
                return Ok(());
            }
            SubscribeCommand::Pause { id } => (id, Action::Pause),
            SubscribeCommand::Resume { id } => (id, Action::Resume),
            SubscribeCommand::Remove { id } => (id, Action::Remove),
        };
        super::change(store, id, action, "cli")?;
        eprintln!("subscription {id}: {action:?}");
        Ok(())
    }
}
