//! Command-line grammar.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use frontline_analysis::Period;
use std::path::PathBuf;

/// Frontline: track a war from open sources.
#[derive(Debug, Parser)]
#[command(name = "frontline", version, about)]
pub struct Cli {
    /// SQLite database file.
    #[arg(long, global = true, env = "FRONTLINE_DB", default_value = "frontline.db")]
    pub db: PathBuf,
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
    /// Daily, weekly or monthly values of a claimed loss category.
    Series(SeriesArgs),
    /// Record days and streaks of a claimed loss category.
    Records(RecordsArgs),
    /// Imported sources: file, SHA-256, time, counts.
    Sources(FormatArg),
    /// Stored tally series with their spans.
    Categories(FormatArg),
    /// Text attached to daily reports, such as the greatest-losses direction.
    Notes(NotesArgs),
    /// Import the bundled open data and show what it says.
    Demo(DemoArgs),
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Official cumulative loss tallies (General Staff JSON, corrections JSON, long CSV).
    Tallies(ImportTalliesArgs),
}

/// `import tallies`.
#[derive(Debug, Args)]
pub struct ImportTalliesArgs {
    /// Files to import, all in one transaction.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// How to read them; `auto` decides from each file's name.
    #[arg(long = "as", value_enum, default_value_t = TallyFormatArg::Auto)]
    pub input_format: TallyFormatArg,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Tally input formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TallyFormatArg {
    /// By file name: `*.csv`, `*correction*.json`, other `*.json`.
    Auto,
    /// General Staff daily JSON.
    GeneralStaff,
    /// General Staff corrections JSON.
    Corrections,
    /// Long CSV `date,claimant,subject,category,cumulative`.
    Csv,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum OutputFormat {
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
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Which series: a category and, when several parties claim it, who about whom.
#[derive(Debug, Args)]
pub struct SeriesSelect {
    /// Loss category, e.g. `personnel`, `tank`, `field-artillery`.
    pub category: String,
    /// Claimant, when the category is claimed by several.
    #[arg(long)]
    pub claimant: Option<String>,
    /// Subject, when the category is claimed about several.
    #[arg(long)]
    pub subject: Option<String>,
    /// Spread each catch-up jump over the stale or missing days before it.
    #[arg(long)]
    pub spread_catchups: bool,
}

/// `series`.
#[derive(Debug, Args)]
pub struct SeriesArgs {
    #[command(flatten)]
    pub select: SeriesSelect,
    /// First day (periods overlapping it are included whole).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day.
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Period to sum over.
    #[arg(long, default_value = "day", value_parser = parse_period)]
    pub period: Period,
    /// Add a trailing mean over this many periods.
    #[arg(long)]
    pub rolling: Option<usize>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `records`.
#[derive(Debug, Args)]
pub struct RecordsArgs {
    #[command(flatten)]
    pub select: SeriesSelect,
    /// Compare only days from this one on (early estimates are rough).
    #[arg(long)]
    pub since: Option<NaiveDate>,
    /// Show only records set on or after this day (still compared with all since `--since`).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `notes`.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// First day.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day (default: same as --from).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Claimant.
    #[arg(long, default_value = "ua-general-staff")]
    pub claimant: String,
    /// Subject.
    #[arg(long, default_value = "russia")]
    pub subject: String,
    #[command(flatten)]
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
