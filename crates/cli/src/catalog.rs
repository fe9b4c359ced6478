//! The catalog's queries as commands (`frontline_app::queries`): each is
//! added to the command tree at its CLI path, with its request type's flags
//! (derived on the type itself), `--format` and `--follow`, and run from
//! the matches. Nothing here names a query.

use crate::flags::FormatArg;
use anyhow::Result;
use clap::{ArgMatches, Args, Command, FromArgMatches};
use frontline_app::queries::{self, Answer, Query, Reply, Shape, Visit};
use frontline_store::Store;
use std::io::Write;

/// `--follow`, taken by every query that answers rows.
#[derive(Debug, Args)]
struct FollowArg {
    /// Keep asking, and write each row the answer before did not have, as
    /// it appears (as lines: JSON Lines with `--format json`), until
    /// stopped: `frontline events --follow` tails events as imports and
    /// syncs land.
    #[arg(long)]
    follow: bool,
    /// Seconds between two askings with `--follow`.
    #[arg(long, default_value_t = 2.0, requires = "follow", value_parser = every)]
    follow_every_secs: f64,
}

fn every(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| (0.1..=3600.0).contains(v))
        .ok_or_else(|| format!("`{s}`: seconds from 0.1 to 3600"))
}

/// What a group of commands made here (not in `flags.rs`) is about.
fn group_about(name: &str) -> &'static str {
    match name {
        "losses" => "Per-item loss evidence",
        "compare" => "One measure next to another",
        "territory" => "Territory held, gained and lost, settlements and distances",
        _ => "",
    }
}

/// Walks every query: the app's, then the sync layer's.
fn visit(v: &mut impl Visit) {
    queries::visit(v);
    frontline_sync::queries::visit(v);
}

/// The command tree with every catalog query added.
pub fn add(cmd: Command) -> Command {
    struct Adder(Option<Command>);
    impl Visit for Adder {
        fn query<Q: Query>(&mut self) {
            let d = Q::DECL;
            let Some((leaf, _)) = d.cli.split_last() else { return };
            let mut command = Q::Request::augment_args(Command::new(*leaf));
            // Rows take `--format`; a document (GeoJSON) is written as it is.
            if matches!(<Q::Answer as Answer>::SHAPE, Shape::Table(_)) {
                command = FollowArg::augment_args(FormatArg::augment_args(command));
            }
            // The summary last: augmenting takes a type's doc as the about.
            let command = command.about(d.summary).long_about(None);
            self.0 = self.0.take().map(|root| insert(root, d.cli, command));
        }
    }
    let mut a = Adder(Some(cmd));
    visit(&mut a);
    a.0.unwrap_or_else(|| Command::new("frontline"))
}

/// Puts `leaf` under `parent` at `path` (its last word is the leaf's
/// name), making the groups on the way that do not exist yet. A leaf may
/// have leaves below it (`nowcast`, `nowcast counts`), in either order.
fn insert(parent: Command, path: &[&'static str], leaf: Command) -> Command {
    match path {
        [] => parent,
        [name] if parent.find_subcommand(name).is_some() => {
            // A group made for a deeper leaf: this leaf takes its place and
            // keeps what is below it.
            parent.mut_subcommand(*name, |group| {
                group.get_subcommands().cloned().fold(above(leaf), Command::subcommand)
            })
        }
        [_] => parent.subcommand(leaf),
        [first, rest @ ..] => {
            if parent.find_subcommand(first).is_some() {
                parent.mut_subcommand(*first, |group| insert(above(group), rest, leaf))
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

/// A command with commands below it: its own flags, required or not, do
/// not apply to them.
fn above(c: Command) -> Command {
    c.args_conflicts_with_subcommands(true).subcommand_negates_reqs(true)
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

/// The `--as-of` day of the matches (`None`: now), read once for every
/// command that answers as of a day.
pub fn as_of(matches: &ArgMatches) -> Result<Option<chrono::NaiveDate>> {
    match matches.get_one::<String>("as_of") {
        Some(text) => frontline_app::as_of::parse_day("--as-of", text),
        None => Ok(None),
    }
}

/// Asks one catalog query with a command's flags, on a store.
type Ask = dyn Fn(&ArgMatches, &mut dyn Store) -> Result<Asked>;

/// Calls `then` with the catalog query the command words name, if any.
fn find(words: &[String], then: &mut dyn FnMut(&Ask)) {
    struct Finder<'a> {
        words: &'a [String],
        then: &'a mut dyn FnMut(&Ask),
        found: bool,
    }
    impl Visit for Finder<'_> {
        fn query<Q: Query>(&mut self) {
            if !self.found && self.words.iter().map(String::as_str).eq(Q::DECL.cli.iter().copied()) {
                self.found = true;
                (self.then)(&ask::<Q>);
            }
        }
    }
    visit(&mut Finder {
        words,
        then,
        found: false,
    });
}

/// A query's answer, and the format its flags asked for.
struct Asked {
    reply: Reply,
    format: frontline_app::output::OutputFormat,
    name: &'static str,
}

/// Asks query `Q` with the flags of `leaf`, on `store`.
fn ask<Q: Query>(leaf: &ArgMatches, store: &mut dyn Store) -> Result<Asked> {
    // clap has checked the values: a failure here is a mismatch between
    // the tree and the types, reported rather than unwrapped.
    let request = Q::Request::from_arg_matches(leaf)?;
    let format = match <Q::Answer as Answer>::SHAPE {
        Shape::Table(_) => FormatArg::from_arg_matches(leaf)?.get(),
        _ => frontline_app::output::OutputFormat::Json,
    };
    let reply = Q::run(store, &queries::Memos::default(), &request)?.reply();
    Ok(Asked {
        reply,
        format,
        name: Q::DECL.name,
    })
}

/// A store that only answers queries: it never creates or migrates one.
fn reader(db: &str) -> Result<Box<dyn Store + Send>> {
    let mut store = frontline_store::open_existing(db)?;
    store.set_audit_context(frontline_store::AuditContext {
        actor: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        via: "query".into(),
    });
    Ok(store)
}

/// Runs the catalog query the matches name, if they name one, as of the
/// `--as-of` day.
pub fn run(matches: &ArgMatches, out: &mut dyn Write) -> Option<Result<()>> {
    let (words, leaf) = path(matches);
    let db = matches.get_one::<String>("db").cloned().unwrap_or_default();
    let mut done = None;
    find(&words, &mut |ask| {
        done = Some((|| {
            let day = as_of(matches)?;
            let mut store = reader(&db)?;
            let asked = frontline_app::as_of::on(store.as_mut(), day, |s| ask(leaf, s))?;
            // Only rows take `--follow` (asking a command for a flag it
            // does not have is a programming error to clap).
            let takes = matches!(leaf.try_get_one::<bool>("follow"), Ok(Some(true)));
            let follow = takes.then(|| FollowArg::from_arg_matches(leaf)).transpose()?;
            if let (Some(f), Reply::Rows(t)) = (follow, &asked.reply) {
                if day.is_some() {
                    return Err(frontline_app::error::UserError::BadRequest(
                        "--follow asks about now; --as-of answers a past day, which does not change".into(),
                    )
                    .into());
                }
                let again = || match ask(leaf, store.as_mut())?.reply {
                    Reply::Rows(t) => t.rows(),
                    Reply::Json(_) => anyhow::bail!("the answer stopped being rows"),
                };
                return tail(t.rows()?, asked.format, f.follow_every_secs, again, out);
            }
            match asked.reply {
                Reply::Rows(t) => t.rows()?.write(asked.format, out)?,
                // The bytes the API answers, and a line end.
                Reply::Json(v) => {
                    serde_json::to_writer(&mut *out, &v)?;
                    writeln!(out)?;
                }
            }
            out.flush()?;
            Ok(())
        })());
    });
    done
}

/// `--follow`: writes the answer, then, every `secs`, the rows of the
/// next answer that the one before did not have, in its order. Bounded:
/// only the last answer's rows are kept to compare with.
fn tail(
    first: frontline_app::output::Rows,
    format: frontline_app::output::OutputFormat,
    secs: f64,
    mut again: impl FnMut() -> Result<frontline_app::output::Rows>,
    out: &mut dyn Write,
) -> Result<()> {
    let key = |row: &[serde_json::Value]| serde_json::to_string(row).unwrap_or_default();
    first.write_lines(format, out, true)?;
    out.flush()?;
    let mut seen: std::collections::HashSet<String> = first.values().iter().map(|r| key(r)).collect();
    loop {
        std::thread::sleep(std::time::Duration::from_secs_f64(secs));
        let now = again()?;
        let columns: Vec<&str> = now.columns().iter().map(String::as_str).collect();
        let mut fresh = frontline_app::output::Rows::new(&columns);
        for r in now.values().iter().filter(|r| !seen.contains(&key(r))) {
            fresh.push(r.clone());
        }
        if !fresh.is_empty() {
            fresh.write_lines(format, out, false)?;
            out.flush()?;
        }
        seen = now.values().iter().map(|r| key(r)).collect();
    }
}

/// `diff --as-of A --against B -- QUERY…`: the query asked at both days,
/// its rows compared.
pub fn diff(db: &str, as_of: Option<chrono::NaiveDate>, a: &crate::flags::DiffArgs, out: &mut dyn Write) -> Result<()> {
    use frontline_app::error::UserError;
    let against = frontline_app::as_of::parse_day("--against", &a.against)?;
    let argv = std::iter::once("frontline".to_string()).chain(a.query.iter().cloned());
    let tree = add(<crate::flags::Cli as clap::CommandFactory>::command());
    let matches = tree
        .try_get_matches_from(argv)
        .map_err(|e| UserError::BadRequest(format!("the query after `--`: {}", e.render())))?;
    let (words, leaf) = path(&matches);
    let mut store = reader(db)?;
    let mut answer = None;
    find(&words, &mut |ask| {
        answer = Some(frontline_app::commands::diff::diff(
            store.as_mut(),
            as_of,
            against,
            |s| {
                let asked = ask(leaf, s)?;
                match asked.reply {
                    Reply::Rows(t) => t.rows(),
                    Reply::Json(_) => Err(UserError::BadRequest(format!(
                        "`{}` answers a document, not rows: diff compares tables",
                        asked.name
                    ))
                    .into()),
                }
            },
        ));
    });
    let d = answer.ok_or_else(|| {
        UserError::BadRequest(format!(
            "`{}` is not a query; diff compares a query's answers",
            words.join(" ")
        ))
    })??;
    let format = a.format.get();
    match format {
        frontline_app::output::OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &d)?;
            writeln!(out)?;
        }
        _ => {
            frontline_app::output::Tabular::rows(&d)?.write(format, out)?;
            if format == frontline_app::output::OutputFormat::Table {
                let day = |d: Option<chrono::NaiveDate>| d.map_or("today".to_string(), |d| d.to_string());
                writeln!(
                    out,
                    "\nimports recorded after {} up to {}: {} (the newest {} listed)",
                    day(d.before),
                    day(d.after),
                    d.imports_total,
                    d.imports.len()
                )?;
                for i in &d.imports {
                    writeln!(
                        out,
                        "  source {} {} {} ({} records, {} added)",
                        i.id, i.kind, i.location, i.records, i.added
                    )?;
                }
                for r in &d.sync_runs {
                    writeln!(out, "  sync {r}")?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::Cli;

    /// The values of a URL's `{name}` segments against its template, and
    /// its query pairs.
    fn split(template: &str, url: &str) -> (Vec<String>, Vec<(String, String)>) {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let values = template
            .split('/')
            .zip(path.split('/'))
            .filter(|(t, _)| t.starts_with('{'))
            .map(|(_, v)| v.to_string())
            .collect();
        (values, serde_urlencoded::from_str(query).unwrap())
    }

    struct Check(Vec<String>);

    impl Check {
        /// Asks `values` (the path's) and `pairs` as flags and as a URL.
        fn compare<Q: Query>(&mut self, values: &[String], pairs: &[(String, String)], all: bool) {
            let d = Q::DECL;
            let tree = add(<Cli as clap::CommandFactory>::command());
            let leaf = d.cli.iter().try_fold(&tree, |c, w| c.find_subcommand(w));
            let Some(leaf) = leaf else {
                return self.0.push(format!("{}: no command {:?}", d.name, d.cli));
            };
            let mut argv: Vec<String> = std::iter::once("frontline".to_string())
                .chain(d.cli.iter().map(|w| w.to_string()))
                .collect();
            // Each parameter (of the path or the query) is the argument of
            // the same name: a positional one or a flag.
            let named = d.path.iter().map(|(n, _, _)| n.to_string()).zip(values.iter().cloned());
            for (name, value) in named.chain(pairs.iter().cloned()) {
                match leaf.get_arguments().find(|a| a.get_id() == name.as_str()) {
                    Some(a) if a.is_positional() => argv.push(value),
                    Some(a) => argv.extend([format!("--{}", a.get_long().unwrap_or(&name)), value]),
                    None => return self.0.push(format!("{}: no flag for parameter `{name}`", d.name)),
                }
            }
            let matches = match tree.clone().try_get_matches_from(&argv) {
                Ok(m) => m,
                Err(e) if !all && e.kind() == clap::error::ErrorKind::MissingRequiredArgument => return,
                Err(e) => return self.0.push(format!("{}: {argv:?}: {e}", d.name)),
            };
            let (words, m) = path(&matches);
            assert_eq!(words, d.cli, "{}", d.name);
            let from_flags = Q::Request::from_arg_matches(m).unwrap();
            let query = serde_urlencoded::to_string(pairs).unwrap();
            let mut from_url: Q::Request = serde_urlencoded::from_str(&query).unwrap();
            Q::set_path(&mut from_url, values).unwrap();
            if format!("{from_flags:?}") != format!("{from_url:?}") {
                self.0.push(format!(
                    "{} ({query}): flags {from_flags:?} but URL {from_url:?}",
                    d.name
                ));
            }
        }
    }

    impl Visit for Check {
        fn query<Q: Query>(&mut self) {
            let (values, mut pairs) = split(Q::DECL.http, Q::DECL.example);
            // The knowledge days are every query's (`--as-of`, global; the
            // request types have no such field), checked apart.
            pairs.retain(|(k, _)| k != "as_of" && k != "against");
            self.compare::<Q>(&values, &pairs, true);
            for i in 0..pairs.len() {
                let mut fewer = pairs.clone();
                fewer.remove(i);
                self.compare::<Q>(&values, &fewer, false);
            }
        }
    }

    /// clap's own checks over the whole tree, every command included (two
    /// flags of one command with the same id, a flag requiring one that
    /// does not exist…), not only over the commands a test runs.
    #[test]
    fn the_command_tree_is_well_formed() {
        add(<Cli as clap::CommandFactory>::command()).debug_assert();
    }

    /// Every query of the catalog is a command at its CLI path, and its
    /// example asked as flags and as a URL gives the same request: the same
    /// values, and the same defaults for everything not given. Asked in
    /// full, then without each query parameter in turn (so that every
    /// default is compared), except where the CLI requires it.
    #[test]
    fn every_query_is_a_command_with_the_apis_defaults() {
        let mut c = Check(Vec::new());
        visit(&mut c);
        assert!(c.0.is_empty(), "{:#?}", c.0);
        assert!(queries::decls().len() >= 30);
    }
}
