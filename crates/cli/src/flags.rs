//! The command-line grammar, private to the binary (as ripgrep keeps its
//! flags in `crates/core/flags/`): clap parses the flags here, and each query
//! becomes the app's plain request type (`frontline_app::requests`).
//!
//! Query flags carry no defaults of their own: [`to_request`] serializes
//! only the flags given and deserializes them into the request type, whose
//! serde defaults are the one place a default is stated (the API applies
//! the same ones to query strings).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use frontline_analysis::Period;
use frontline_app::imports::{ImportKind, Input};
use frontline_app::output::OutputFormat;
use frontline_app::requests;
use serde::Serialize;
use std::path::PathBuf;

/// Turns parsed flags into the request they stand for.
pub fn to_request<F: Serialize, R: serde::de::DeserializeOwned>(flags: &F) -> anyhow::Result<R> {
    // A failure here is a mismatch between flags and request: ours, not
    // the user's (clap has checked the values).
    Ok(serde_json::from_value(serde_json::to_value(flags)?)?)
}

/// Frontline: track a war from open sources.
#[derive(Debug, Parser)]
#[command(name = "frontline", version, about)]
pub struct Cli {
    /// Database: a file path or `sqlite:PATH` (embedded), or
    /// `postgres://USER@HOST:PORT/DB` (team backend, PostGIS).
    #[arg(long, global = true, env = "FRONTLINE_DB", default_value = "frontline.db")]
    pub db: String,
    /// Answer as Frontline knew it at the end of this day (UTC),
    /// `YYYY-MM-DD` or `today`: every query, `diff` and `backtest --counts`
    /// (docs/schema-and-dates.md says which clock dates each source).
    #[arg(long = "as-of", global = true, value_name = "DAY")]
    pub as_of: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import evidence files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Claims checked against the evidence.
    #[command(subcommand)]
    Claims(ClaimsCommand),
    /// Fetch what a live source published since the last run, keep the
    /// bytes, and import it (one transaction per run).
    Sync(SyncArgs),
    /// Read a synced source's kept bytes again with today's parser (after
    /// a parser fix): changed records get a new version, nothing is fetched.
    Reparse(ReparseArgs),
    /// How past nowcasts compare with the counts finally reported.
    Backtest(BacktestArgs),
    /// What changed in a query's answer between two days:
    /// `frontline diff --as-of A --against B -- QUERY…` (rows added,
    /// removed and changed, and the imports and syncs in between).
    Diff(DiffArgs),
    /// Serve the HTTP API and the web page.
    Serve(ServeArgs),
    /// Publish without a server: a static site, or the tiles alone.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The exact bytes a sync fetched, by SHA-256 (as `sources` lists
    /// them), written to standard output.
    Bytes {
        /// The SHA-256 of the body.
        sha256: String,
    },
    /// Sync results held for a person: list, show, accept, reject.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Named write tokens for the HTTP API (reader, importer, admin).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Webhooks: add, list, pause, resume or remove a subscription; its deliveries.
    #[command(subcommand)]
    Subscribe(frontline_sync::webhooks::cli::SubscribeCommand),
    /// Import the bundled open data and show what it says.
    Demo(DemoArgs),
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Official cumulative loss tallies (General Staff JSON, corrections JSON, long CSV).
    Tallies(Import<requests::ImportTalliesRequest>),
    /// Control-map snapshots (DeepState or generic GeoJSON; folders, .gz allowed).
    Control(Import<requests::ImportControlRequest>),
    /// Country outlines (GeoJSON with iso_a2 and name).
    Boundaries(ImportFileArgs),
    /// Settlements: a CSV (GeoNames extract, or name,lat,lon,population,admin1)
    /// or a GeoNames country dump (`--format geonames`); its answer is a table.
    Places(requests::ImportPlacesRequest),
    /// A reference layer of points or lines (roads, plants…) for distances.
    Layer(Import<requests::ImportLayerRequest>),
    /// Per-item loss lists (Oryx, WarSpotting, generic CSV/JSON).
    Losses(requests::ImportLossesRequest),
    /// Counts by period as a named list published them on a day (a
    /// vintage): UALosses / Mediazona JSON or a long CSV.
    Counts(requests::ImportCountsRequest),
}

/// An import's flags (its request's, declared with it in the app) and how
/// its answer is written.
#[derive(Debug, Args)]
pub struct Import<R: Args> {
    #[command(flatten)]
    pub request: R,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum FormatFlag {
    /// Aligned columns for people.
    #[default]
    Table,
    /// Comma-separated with a header line.
    Csv,
    /// An array of flat objects.
    Json,
}

/// `--format`.
#[derive(Debug, Args, Default)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatFlag::Table)]
    pub format: FormatFlag,
}

impl FormatArg {
    /// The app's output format.
    pub fn get(&self) -> OutputFormat {
        match self.format {
            FormatFlag::Table => OutputFormat::Table,
            FormatFlag::Csv => OutputFormat::Csv,
            FormatFlag::Json => OutputFormat::Json,
        }
    }
}

/// `claims`.
#[derive(Debug, Subcommand)]
pub enum ClaimsCommand {
    /// Store a claims file (CSV or JSON, docs/claims.md) in the ledger: new
    /// claims added, changed ones versioned.
    Import {
        /// The claims file.
        file: PathBuf,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Store one claim given by flags (the same keys and rules as a file's
    /// rows, docs/claims.md).
    Add(Box<ClaimAddArgs>),
    /// Candidate claims found in an article's plain text, to confirm:
    /// `--format csv` gives a claims file to edit and import. Nothing is
    /// stored.
    Extract {
        /// The article, plain UTF-8 text.
        file: PathBuf,
        /// The day it was published.
        #[arg(long)]
        said_on: NaiveDate,
        /// Where it was published (a stored claim needs one).
        #[arg(long)]
        source_url: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}

/// `claims add`: each flag is the file key of the same name
/// (`--said-on` is `said_on`); the app reads them by the file's rules.
#[derive(Debug, Args, Serialize)]
pub struct ClaimAddArgs {
    /// The claim's id [default: from its speaker, day and quote].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who said it.
    #[arg(long)]
    pub speaker: String,
    /// Their role or organisation.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// When it was said (YYYY-MM-DD).
    #[arg(long)]
    pub said_on: String,
    /// When the report of it was published, if later.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<String>,
    /// Where it was published.
    #[arg(long)]
    pub source_url: String,
    /// The words, verbatim.
    #[arg(long)]
    pub quote: String,
    /// Their language [default: en].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// area, area-change, settlements, largest-settlement, distance,
    /// cumulative, daily, record or evidence.
    #[arg(long)]
    pub metric: String,
    /// Control status (territory metrics) or loss status (evidence).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Outline code: `RU`, `UA-09`, `UA:de-facto`.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// A gazetteer place (distance).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Evidence source (`oryx`, `warspotting`).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whose losses (evidence).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Which date of an item the period is of: event [default] or published.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Loss category.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The day the claim is about.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// First day of its period.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day of its period.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// about, more than, up to (empty: a plain number).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The number.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A range's low end.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<String>,
    /// A range's high end.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<String>,
    /// km2, percent, count, days, weeks, people or km [default: the metric's].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For `lag`: the quantile, 0–1 [default: 0.5, the median].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantile: Option<String>,
    #[command(flatten)]
    #[serde(skip)]
    pub format: FormatArg,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder of bundled open data.
    #[arg(long, env = "FRONTLINE_DEMO_DATA")]
    pub data: Option<PathBuf>,
}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
}

/// `import boundaries`.
#[derive(Debug, Args)]
pub struct ImportFileArgs {
    /// The file.
    pub file: PathBuf,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Which items.
#[derive(Debug, Args, Clone, Serialize)]
pub struct ItemFilter {
    /// Sources, comma-separated (default: all).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whose losses (e.g. Russia).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Category (e.g. tanks).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Status (destroyed, damaged, abandoned, captured, killed, missing).
    #[arg(long, value_parser = parse_loss_status)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<frontline_model::LossStatus>,
}

/// `backtest`: the per-item nowcast replayed over a range of days, or
/// (`--counts`) a named list's count nowcast over its stored vintages. The
/// CLI's only: a replay's cost grows with its range, and the API has no
/// bound for it yet.
#[derive(Debug, Args, Serialize)]
pub struct BacktestArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub filter: ItemFilter,
    /// First as-of period.
    #[arg(long, required_unless_present = "counts")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last as-of period.
    #[arg(long, required_unless_present = "counts")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Week or month [default: week; with `--counts`, month].
    #[arg(long, value_parser = parse_period)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Recent periods nowcast at each step.
    #[arg(long, help = format!("Recent periods nowcast at each step [default: {}]", requests::BACKTEST_RECENT))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recent: Option<usize>,
    /// How a nowcast of a named list's counts (`nowcast counts`,
    /// docs/personnel.md) would have done on the stored vintages: every
    /// three consecutive ones.
    #[arg(long, conflicts_with_all = ["from", "to", "recent"], requires = "subject")]
    #[serde(skip)]
    pub counts: bool,
    /// Whose losses (with `--counts`).
    #[arg(long, requires = "counts")]
    #[serde(skip)]
    pub subject: Option<String>,
    #[command(flatten)]
    #[serde(skip)]
    pub format: FormatArg,
}

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The other day, `YYYY-MM-DD` or `today` (the first is `--as-of`).
    #[arg(long, value_name = "DAY")]
    pub against: String,
    /// The query, after `--`, as it is asked alone (`losses count --source oryx`).
    #[arg(last = true, required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A static site: the page, the control history and settlements as
    /// vector tiles (one PMTiles archive), and the JSON the charts read.
    /// Serve the folder with any static file server that answers range
    /// requests.
    Site(ExportSiteArgs),
    /// The control history and settlements as one PMTiles archive.
    Tiles(ExportTilesArgs),
    /// A spatial answer (control areas, units, disagreement, settlements,
    /// located losses) as a GeoPackage, FlatGeobuf, GeoParquet or CSV with WKT.
    Layer(frontline_app::requests::ExportLayerRequest),
}

/// `export site`.
#[derive(Debug, Args)]
pub struct ExportSiteArgs {
    /// Folder to write (new, empty, or an earlier export).
    #[arg(long)]
    pub out: PathBuf,
    /// The built page.
    #[arg(long, default_value = "web/dist")]
    pub web: PathBuf,
    #[command(flatten)]
    pub tiles: TileArgs,
}

/// `export tiles`.
#[derive(Debug, Args)]
pub struct ExportTilesArgs {
    /// The archive to write (`.pmtiles`).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub tiles: TileArgs,
}

/// Which tiles.
#[derive(Debug, Args)]
pub struct TileArgs {
    /// Whose control maps (default: DeepState when stored, else the only
    /// mapper).
    #[arg(long)]
    pub mapper: Option<String>,
    /// Deepest zoom stored (readers zoomed further see it magnified).
    #[arg(long, default_value_t = frontline_app::commands::tiles::MAX_ZOOM,
          value_parser = clap::value_parser!(u8).range(0..=i64::from(frontline_app::commands::tiles::MAX_ZOOM)))]
    pub max_zoom: u8,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Built web assets (default: `web/dist` if present).
    #[arg(long)]
    pub web: Option<PathBuf>,
    /// Bearer token that allows imports over HTTP; without one, writes are off.
    #[arg(long, env = "FRONTLINE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest accepted upload, MiB.
    #[arg(long, default_value_t = 64)]
    pub max_body_mib: usize,
    /// Open connections at once; more are closed as they arrive.
    #[arg(long, default_value_t = 512)]
    pub max_connections: usize,
    /// Open connections of one client address (IPv6: its /64) at once; more
    /// from it are closed as they arrive.
    #[arg(long, default_value_t = 64)]
    pub max_connections_per_client: usize,
    /// Seconds a client has to send its request headers.
    #[arg(long, default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send an upload's body.
    #[arg(long, default_value_t = 60)]
    pub body_timeout_secs: u64,
    /// Run the syncs in the server: every source at start, then every
    /// `--sync-every-mins` (one at a time, never overlapping).
    #[arg(long)]
    pub sync: bool,
    /// The sync configuration file (TOML): which sources the server syncs,
    /// each with its own interval, base URL, headers and pace, and the
    /// guardrails. Replaces the other `--sync-*` flags.
    #[arg(long, requires = "sync", conflicts_with_all = ["sync_sources", "sync_base_urls"])]
    pub sync_config: Option<PathBuf>,
    /// Minutes between sync rounds.
    #[arg(long, default_value_t = 60)]
    pub sync_every_mins: u64,
    /// Which sources to sync, comma-separated (deepstate, tallies, warspotting, oryx).
    #[arg(long, default_value = "deepstate,tallies")]
    pub sync_sources: String,
    /// A source's base URL, `SOURCE=URL` (a mirror, a test server); repeatable.
    #[arg(long = "sync-base-url")]
    pub sync_base_urls: Vec<String>,
    #[command(flatten)]
    pub webhooks: frontline_sync::webhooks::deliver::WorkerConfig,
}

/// The registry's source names, as the values `sync` and `reparse` take.
fn source_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        frontline_sync::registry::ALL
            .iter()
            .map(|c| clap::builder::PossibleValue::new(c.name()).help(c.about())),
    )
}

/// `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Which sources, in turn (each its own run).
    #[arg(value_parser = source_names())]
    pub sources: Vec<String>,
    /// Every source.
    #[arg(long, conflicts_with = "sources")]
    pub all: bool,
    /// The sync configuration file (TOML: per source its base URL, headers
    /// and pace; the guardrails); flags given here win over it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub run: frontline_sync::run::RunFlags,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `reparse`.
#[derive(Debug, Args)]
pub struct ReparseArgs {
    /// Which source.
    #[arg(long, value_parser = source_names())]
    pub source: String,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `review`.
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// One revision: why it was held, and every change it would make.
    Show {
        /// Its number.
        id: i64,
    },
    /// Apply it (import the kept bytes) and mark it accepted.
    Accept {
        /// Its number.
        id: i64,
        /// Why, for the record.
        #[arg(long, default_value = "accepted")]
        why: String,
    },
    /// Leave it unapplied and mark it rejected.
    Reject {
        /// Its number.
        id: i64,
        /// Why, for the record.
        #[arg(long)]
        why: String,
    },
}

/// `token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token; it is printed once and stored only as a hash.
    Add {
        /// A unique name, shown in the audit log.
        name: String,
        /// reader, importer or admin.
        #[arg(long, default_value = "importer")]
        role: String,
    },
    /// Every token by name and role, revoked ones included.
    List(FormatArg),
    /// Revoke a token: it stops working at once.
    Revoke {
        /// Its name.
        name: String,
    },
}

fn parse_loss_status(s: &str) -> Result<frontline_model::LossStatus, String> {
    frontline_model::LossStatus::parse(s)
        .ok_or_else(|| format!("unknown status `{s}` (destroyed, damaged, abandoned, captured, killed, missing)"))
}

impl ImportCommand {
    /// The import it asks for, as the one dispatcher takes it.
    pub fn kind(&self) -> ImportKind {
        match self {
            ImportCommand::Tallies(a) => ImportKind::Tallies(a.request.clone()),
            ImportCommand::Control(a) => ImportKind::Control(a.request.clone()),
            ImportCommand::Boundaries(a) => ImportKind::Boundaries(Input::Path(a.file.clone())),
            ImportCommand::Places(r) => ImportKind::Places(r.clone()),
            ImportCommand::Layer(a) => ImportKind::Layer(a.request.clone()),
            ImportCommand::Losses(r) => ImportKind::Losses(r.clone()),
            ImportCommand::Counts(r) => ImportKind::Counts(r.clone()),
        }
    }

    /// How its answer is written (a loss or count import's is a table:
    /// their `--format` is the file's layout).
    pub fn output(&self) -> OutputFormat {
        match self {
            ImportCommand::Tallies(a) => a.format.get(),
            ImportCommand::Control(a) => a.format.get(),
            ImportCommand::Boundaries(a) => a.format.get(),
            ImportCommand::Layer(a) => a.format.get(),
            ImportCommand::Losses(_) | ImportCommand::Counts(_) | ImportCommand::Places(_) => OutputFormat::Table,
        }
    }
}
