//! The catalog's queries as commands (`frontline_app::queries`): each is
//! added to the command tree at its CLI path, with its request type's flags
//! (derived on the type itself) and `--format`, and run from the matches.
//! Nothing here names a query.

use crate::flags::FormatArg;
use anyhow::Result;
use clap::{ArgMatches, Args, Command, FromArgMatches};
use frontline_app::output::Tabular;
use frontline_app::queries::{self, Query, Visit};
use std::io::Write;

/// What a group of commands made here (not in `flags.rs`) is about.
fn group_about(name: &str) -> &'static str {
    match name {
        "losses" => "Per-item loss evidence",
        _ => "",
    }
}

/// The command tree with every catalog query added.
pub fn add(cmd: Command) -> Command {
    struct Adder(Option<Command>);
    impl Visit for Adder {
        fn query<Q: Query>(&mut self) {
            let d = Q::DECL;
            let Some((leaf, _)) = d.cli.split_last() else { return };
            // The summary last: augmenting takes a type's doc as the about.
            let command = FormatArg::augment_args(Q::Request::augment_args(Command::new(*leaf)))
                .about(d.summary)
                .long_about(None);
            self.0 = self.0.take().map(|root| insert(root, d.cli, command));
        }
    }
    let mut a = Adder(Some(cmd));
    queries::visit(&mut a);
    a.0.unwrap_or_else(|| Command::new("frontline"))
}

/// Puts `leaf` under `parent` at `path` (its last word is the leaf's
/// name), making the groups on the way that do not exist yet.
fn insert(parent: Command, path: &[&'static str], leaf: Command) -> Command {
    match path {
        [] | [_] => parent.subcommand(leaf),
        [first, rest @ ..] => {
            if parent.find_subcommand(first).is_some() {
                parent.mut_subcommand(*first, |group| insert(group, rest, leaf))
            } else {
                let group = Command::new(*first)
                    .about(group_about(first))
                    .subcommand_required(true)
                    .arg_required_else_help(true);
                parent.subcommand(insert(group, rest, leaf))
            }
        }
    }
}

/// The command words the matches name, and the innermost matches.
fn path(matches: &ArgMatches) -> (Vec<String>, &ArgMatches) {
    let mut words = Vec::new();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        words.push(name.to_string());
        m = sub;
    }
    (words, m)
}

/// Runs the catalog query the matches name, if they name one.
pub fn run(matches: &ArgMatches, out: &mut dyn Write) -> Option<Result<()>> {
    struct Runner<'a> {
        words: Vec<String>,
        leaf: &'a ArgMatches,
        db: String,
        out: &'a mut dyn Write,
        done: Option<Result<()>>,
    }
    impl Visit for Runner<'_> {
        fn query<Q: Query>(&mut self) {
            if self.done.is_some() || !self.words.iter().map(String::as_str).eq(Q::DECL.cli.iter().copied()) {
                return;
            }
            self.done = Some(run_one::<Q>(self.leaf, &self.db, self.out));
        }
    }
    let (words, leaf) = path(matches);
    let db = matches.get_one::<String>("db").cloned().unwrap_or_default();
    let mut r = Runner {
        words,
        leaf,
        db,
        out,
        done: None,
    };
    queries::visit(&mut r);
    r.done
}

fn run_one<Q: Query>(leaf: &ArgMatches, db: &str, out: &mut dyn Write) -> Result<()> {
    // clap has checked the values: a failure here is a mismatch between
    // the tree and the types, reported rather than unwrapped.
    let request = Q::Request::from_arg_matches(leaf)?;
    let format = FormatArg::from_arg_matches(leaf)?;
    // A query only reads: it never creates or migrates a database.
    let mut store = frontline_store::open_existing(db)?;
    store.set_audit_context(frontline_store::AuditContext {
        actor: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        via: "query".into(),
    });
    let answer = Q::run(store.as_mut(), &request)?;
    answer.rows()?.write(format.get(), out)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::Cli;

    /// Every query of the catalog is a command at its CLI path, and its
    /// example asked as flags and as a query string gives the same request:
    /// the same values, and the same defaults for everything not given.
    /// Asked in full, then without each of its parameters in turn (so that
    /// every default is compared), except where the CLI requires it.
    #[test]
    fn every_query_is_a_command_with_the_apis_defaults() {
        struct Check(Vec<String>);
        impl Check {
            fn compare<Q: Query>(&mut self, pairs: &[(String, String)], all: bool) {
                let d = Q::DECL;
                let mut argv: Vec<String> = std::iter::once("frontline".to_string())
                    .chain(d.cli.iter().map(|w| w.to_string()))
                    .collect();
                for (k, v) in pairs {
                    argv.push(format!("--{}", k.replace('_', "-")));
                    argv.push(v.clone());
                }
                let tree = add(<Cli as clap::CommandFactory>::command());
                let matches = match tree.try_get_matches_from(&argv) {
                    Ok(m) => m,
                    Err(e) if !all && e.kind() == clap::error::ErrorKind::MissingRequiredArgument => return,
                    Err(e) => return self.0.push(format!("{}: {argv:?}: {e}", d.name)),
                };
                let (words, leaf) = path(&matches);
                assert_eq!(words, d.cli, "{}", d.name);
                let from_flags = Q::Request::from_arg_matches(leaf).unwrap();
                let query = serde_urlencoded::to_string(pairs).unwrap();
                let from_query: Q::Request = serde_urlencoded::from_str(&query).unwrap();
                if format!("{from_flags:?}") != format!("{from_query:?}") {
                    self.0.push(format!(
                        "{} ({query}): flags {from_flags:?} but query {from_query:?}",
                        d.name
                    ));
                }
            }
        }
        impl Visit for Check {
            fn query<Q: Query>(&mut self) {
                let pairs: Vec<(String, String)> = serde_urlencoded::from_str(Q::DECL.example).unwrap();
                self.compare::<Q>(&pairs, true);
                for i in 0..pairs.len() {
                    let mut fewer = pairs.clone();
                    fewer.remove(i);
                    self.compare::<Q>(&fewer, false);
                }
            }
        }
        let mut c = Check(Vec::new());
        queries::visit(&mut c);
        assert!(c.0.is_empty(), "{:#?}", c.0);
        assert!(queries::decls().len() >= 8);
    }
}
