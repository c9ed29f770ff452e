//! The command line: clap's derive structs and their conversion into the library's parameters.
//! The library never sees clap.
//!
//! Every number is checked as its flag is parsed, against the range its help names, so that a
//! bad value is an error naming the flag, the value and the range (exit status 2) instead of an
//! empty answer or a store without topics. The ranges are the library's own limits where it has
//! them; the library checks its parameters again, naming values rather than flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use weeklens::cluster::{MAX_DIMS, MAX_K};
use weeklens::parse::MAX_ISSUE_NUMBER;
use weeklens::store::{ExportFormat, DEFAULT_DIR};
use weeklens::terms::MAX_SEASON;

#[derive(Debug, Parser)]
#[command(
    name = "weeklens",
    version,
    about = "Analytics for the Python Trending Weekly archive"
)]
pub struct Cli {
    /// The store directory.
    #[arg(long, global = true, env = "WEEKLENS_STORE", default_value = DEFAULT_DIR)]
    pub store: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read an archive and write the store.
    Build(BuildArgs),
    /// The topics: id, size, label in both languages, the most central entries.
    Topics(TopicsArgs),
    /// One row per issue: counts per category against the counts the issue states, pairing with
    /// the translation, and the totals.
    Stats(StatsArgs),
    /// Print the terms the engine sees in a text.
    Tokens(TokensArgs),
    /// The most weighted terms of the archive, of one issue or of one season (30 issues).
    Terms(TermsArgs),
    /// Rising, falling and new terms and topics of the last issues (or those since a date)
    /// against every issue before them, scored by log-odds with an informative prior.
    Trends(TrendsArgs),
    /// Earlier entries related to an entry (ISSUE:CATEGORY:POSITION, e.g. 78:article:2), to a
    /// text, or to a URL; or, with --all, to every entry.
    Related(RelatedArgs),
    /// Write the store's related index (related.idx) again from its tables, without a rebuild:
    /// for a store whose index is missing or damaged.
    Index,
    /// Was anything in a draft issue shared before? Exit status 1 when something was found.
    Check(CheckArgs),
    /// Draft a draft issue's past-years section (往年回顾): the issues a year, two, three … back
    /// as the editor links them (issue N−50, N−100 …, within three weeks of the date; else the
    /// issue of the same week), then the earlier entries most related to the draft's entries.
    PastYears(PastYearsArgs),
    /// Write the editor's report of a season or a range of issues (or of every season):
    /// `<out>/<name>/index.md`, a self-contained `index.html` and the charts.
    Report(ReportArgs),
    /// Measure the tokenizer's word lists on the archive.
    Vocab(VocabArgs),
    /// Write a synthetic archive shaped like the real one (pseudo-words, no real text), for
    /// scale measurements.
    Synth(SynthArgs),
    /// Serve the archive in a browser: search, topics, entries with their related ones, issues,
    /// season reports and the draft checks. Prints the address, then serves until stopped.
    Serve(ServeArgs),
    /// Write a table for other tools.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The archive: weekly issues YYYY-MM-DD-weekly.md, translations in en/, compilations.
    #[arg(long)]
    pub archive: PathBuf,
    /// Fail, leaving the store as it was, when any file has a problem.
    #[arg(long)]
    pub strict: bool,
    /// The number of topics, 2 to 200, and fewer than the entries with enough terms to
    /// cluster (default: chosen over 12..=40 by coherence).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=MAX_K as i64))]
    pub k: Option<u32>,
    /// Dimensions of the LSA space the topics are found in, 2 to 300 (at most one fewer than
    /// the entries clustered), or 0 for the BM25 rows themselves; 30 gave the most coherent
    /// topics on the real archive, see QUALITY.md.
    #[arg(long, default_value_t = 30, value_parser = dims)]
    pub dims: usize,
    /// Seed of the topic clustering.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Find topics afresh instead of carrying over the previous store's.
    #[arg(long)]
    pub fresh_topics: bool,
    /// The editor's topic names and merges (default: `weeklens-topics.toml` in the working
    /// directory, when it is there): a build that numbers the topics afresh warns that the ids
    /// it names may now name other topics.
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
    /// Print the wall-clock time of each stage to standard error.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// How to print: a table for reading, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// Coherence, silhouette and sizes, and the scores that chose k.
    #[arg(long)]
    pub stats: bool,
    /// The editor's topic names and merges: a file named here must exist (default:
    /// `weeklens-topics.toml` in the working directory, when it is there).
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How to print: a table for reading, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// Exit non-zero when any issue is off or any file had a problem.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// The text (markdown is fine).
    pub text: String,
}

#[derive(Debug, Args)]
pub struct TermsArgs {
    /// How many terms, at least 1.
    #[arg(long, default_value_t = 20, value_parser = at_least_one)]
    pub top: usize,
    /// One issue's terms: its number, 1 to 99999.
    #[arg(long, conflicts_with = "season", value_parser = issue_number())]
    pub issue: Option<u32>,
    /// One season's terms (issues 30(N−1)+1 … 30N), 1 to 3334.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SEASON)))]
    pub season: Option<u32>,
    /// How to print: a table for reading, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// The window: the last N issues, at least 1 (default 12).
    #[arg(long, conflicts_with_all = ["since", "from", "to"], value_parser = clap::value_parser!(u32).range(1..))]
    pub window: Option<u32>,
    /// The window: the issues dated on or after this day (YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "to"], value_parser = date)]
    pub since: Option<chrono::NaiveDate>,
    /// The window: issues numbered A to B (with --to); the issues after B take no part.
    #[arg(long, requires = "to", value_parser = clap::value_parser!(u32).range(1..))]
    pub from: Option<u32>,
    /// The last issue of a --from window.
    #[arg(long, requires = "from", value_parser = clap::value_parser!(u32).range(1..))]
    pub to: Option<u32>,
    /// Items per list, at least 1.
    #[arg(long, default_value_t = 10, value_parser = at_least_one)]
    pub top: usize,
    /// A new item is absent before the window and in at least this many of its entries
    /// (at least 1).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub min_new: u32,
    /// The prior's weight for terms, in pseudo-counts, a number above 0 up to 1e9 (larger:
    /// rare terms need more evidence to rise).
    #[arg(long, default_value_t = weeklens::trends::TrendsParams::default().alpha0_terms, value_parser = positive)]
    pub alpha0_terms: f64,
    /// The prior's weight for topics, in pseudo-entries, a number above 0 up to 1e9.
    #[arg(long, default_value_t = weeklens::trends::TrendsParams::default().alpha0_topics, value_parser = positive)]
    pub alpha0_topics: f64,
    /// Count terms in the titles only (the archive is title-only since mid 2025) or in
    /// titles and descriptions.
    #[arg(long, value_enum, default_value_t = TermsFrom::Titles)]
    pub terms_from: TermsFrom,
    /// How to print: a table for reading, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// The editor's topic names and merges: a file named here must exist (default:
    /// `weeklens-topics.toml` in the working directory, when it is there).
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The entry: ISSUE:CATEGORY:POSITION.
    #[arg(conflicts_with_all = ["text", "url", "all"], required_unless_present_any = ["text", "url", "all"])]
    pub entry: Option<String>,
    /// A text (a title, a subject, a few words in Chinese or English): every entry about it,
    /// best first.
    #[arg(long, conflicts_with_all = ["url", "all"])]
    pub text: Option<String>,
    /// A link: the entries about what it points to (the entry it is the link of, if any, and
    /// those like it), best first; a GitHub repository no entry links, the entries about its
    /// name (said on standard error).
    #[arg(long, conflicts_with = "all")]
    pub url: Option<String>,
    /// Every entry's related past entries, one JSON line each.
    #[arg(long)]
    pub all: bool,
    /// With --text or --url: only entries of issues before this one, 1 to 99999 (without it,
    /// every entry about it, earlier and later; an entry is always answered with earlier ones).
    #[arg(long, conflicts_with_all = ["entry", "all"], value_parser = issue_number())]
    pub before: Option<u32>,
    /// How many related entries, 1 to 1000.
    #[arg(short, default_value_t = 5, value_parser = related_k)]
    pub k: usize,
    /// The lowest score (cosine similarity) shown, a number from 0 to 1.
    #[arg(long, default_value_t = 0.1, value_parser = score)]
    pub min_score: f32,
    /// How to print: a table for reading (the default), JSON, or JSON lines (one answer a line;
    /// --all writes JSON lines only).
    #[arg(long, value_enum)]
    pub format: Option<RelatedFormat>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The draft, in the archive's own format.
    pub draft: PathBuf,
    /// The draft's date (default: its pubDate, its file name, or a week after the last issue).
    #[arg(long, value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
    /// How to print: a table for reading, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    pub format: TextFormat,
    /// The language of the table's words (the titles are the archive's).
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct PastYearsArgs {
    /// The draft, in the archive's own format.
    pub draft: PathBuf,
    /// The draft's date (default: its pubDate, its file name, or a week after the last issue).
    #[arg(long, value_parser = date)]
    pub date: Option<chrono::NaiveDate>,
    /// The language of the section: the Chinese issue's, or its English translation's.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Related entries must be at least this many weeks old, 0 to 5200 (a century).
    #[arg(long, default_value_t = 26, value_parser = clap::value_parser!(u32).range(0..=i64::from(weeklens::past_years::MAX_AGE_WEEKS)))]
    pub min_age_weeks: u32,
    /// Do not repeat what the past-years sections of this many latest issues linked (0:
    /// link anything).
    #[arg(long, default_value_t = 4)]
    pub recent: usize,
    /// How many related entries to list, 1 to 100.
    #[arg(short, default_value_t = 5, value_parser = section_k)]
    pub k: usize,
    /// The lowest score (cosine similarity) a related entry may have, a number from 0 to 1.
    #[arg(long, default_value_t = 0.35, value_parser = score)]
    pub min_score: f32,
    /// Where the issues are published: BASE + the issue file's name without `.md`; an
    /// http:// or https:// URL.
    #[arg(long, default_value = weeklens::past_years::DEFAULT_BASE_URL, value_parser = web_url)]
    pub base_url: String,
    /// Where the section's heading links; an http:// or https:// URL (default: where the
    /// editor's latest past-years heading links, its words kept as he wrote them).
    #[arg(long, value_parser = web_url)]
    pub heading_url: Option<String>,
    /// How an issue is linked: short (`[#58：subject](link)`, the editor's style since #108) or
    /// long (the whole title and its date, his earlier style).
    #[arg(long, value_enum, default_value_t = StyleArg::Short)]
    pub style: StyleArg,
    /// Also list the older entries most related to the draft, under their own sub-heading.
    #[arg(long)]
    pub related: bool,
    /// How to print: the section as markdown to paste into the issue, or JSON.
    #[arg(long, value_enum, default_value_t = SectionFormat::Markdown)]
    pub format: SectionFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Season N: issues 30(N−1)+1 … 30N, N from 1 to 3334.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SEASON)), conflicts_with_all = ["from", "all_seasons"])]
    pub season: Option<u32>,
    /// The first issue of a range (with --to), 1 to 99999.
    #[arg(long, requires = "to", conflicts_with = "all_seasons", value_parser = issue_number())]
    pub from: Option<u32>,
    /// The last issue of a range (with --from), 1 to 99999, not before --from.
    #[arg(long, requires = "from", value_parser = issue_number())]
    pub to: Option<u32>,
    /// One report per season the store holds.
    #[arg(long)]
    pub all_seasons: bool,
    /// Where the reports go.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// A CJK font (.ttf/.otf, or a .ttc collection: its Simplified-Chinese face, or face N of
    /// FILE.ttc#N) for the PNG charts (default: found on the system; without one
    /// only SVG charts are written).
    #[arg(long)]
    pub font: Option<PathBuf>,
    /// The editor's topic names and merges: a file named here must exist (default:
    /// `weeklens-topics.toml` in the working directory, when it is there).
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
    /// The report's language: every heading, sentence, chart title, axis and legend.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Also write the season compilation (`compilation.md`) and its link-only edition
    /// (`links.md`) beside the report.
    #[arg(long)]
    pub compilation: bool,
    /// Reader numbers, a CSV with a header naming `issue` and `reads` (other numeric columns,
    /// such as `likes`, are shown too): adds the top 10 issues by reads.
    #[arg(long, value_name = "FILE.csv")]
    pub metrics: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VocabArgs {
    #[command(subcommand)]
    pub what: VocabCommand,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Entries across all issues, 1 to 2000000.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=weeklens::synth::MAX_ENTRIES))]
    pub entries: u64,
    /// The directory to write into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the pseudo-random archive: the same seed and count write the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (loopback unless another address is given; port 0: any free port).
    #[arg(long, default_value = weeklens::serve::DEFAULT_ADDR)]
    pub addr: std::net::SocketAddr,
    /// The editor's topic names and merges: a file named here must exist (default:
    /// `weeklens-topics.toml` in the working directory, when it is there).
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub table: ExportTable,
    /// The file format: JSON lines, CSV, or Parquet.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Jsonl)]
    pub format: ExportFormatArg,
    /// Output file (standard output when absent, or `-`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The editor's topic names and merges, applied to the `topic` column: a file named here must
    /// exist (default: `weeklens-topics.toml` in the working directory, when it is there).
    #[arg(long, env = "WEEKLENS_TOPICS")]
    pub edits: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum VocabCommand {
    /// Adjacent Chinese segments that jieba splits but that belong together: candidates for
    /// data/userdict.txt.
    Pairs {
        /// How many candidates, at least 1.
        #[arg(long, default_value_t = 40, value_parser = at_least_one)]
        top: usize,
        /// In at least this many entries (at least 1).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
        min_entries: u32,
        /// With at least this pointwise mutual information, in bits (a finite number).
        #[arg(long, default_value_t = 4.0, value_parser = finite, allow_negative_numbers = true)]
        min_pmi: f64,
    },
    /// Terms by document frequency, the domain stop words included and marked.
    Df {
        /// How many terms, at least 1.
        #[arg(long, default_value_t = 40, value_parser = at_least_one)]
        top: usize,
    },
    /// Project and library names the stemmer would change: candidates for data/names.txt.
    Names {
        /// In at least this many entries (at least 1).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
        min_entries: u32,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TextFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SectionFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StyleArg {
    Short,
    Long,
}

impl From<StyleArg> for weeklens::past_years::Style {
    fn from(style: StyleArg) -> Self {
        match style {
            StyleArg::Short => weeklens::past_years::Style::Short,
            StyleArg::Long => weeklens::past_years::Style::Long,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for weeklens::model::Lang {
    fn from(lang: LangArg) -> Self {
        match lang {
            LangArg::Zh => weeklens::model::Lang::Zh,
            LangArg::En => weeklens::model::Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TermsFrom {
    Titles,
    Full,
}

impl From<TermsFrom> for weeklens::trends::TermText {
    fn from(from: TermsFrom) -> Self {
        match from {
            TermsFrom::Titles => weeklens::trends::TermText::Titles,
            TermsFrom::Full => weeklens::trends::TermText::Full,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RelatedFormat {
    Table,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportTable {
    Entries,
    Issues,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormatArg {
    Jsonl,
    Csv,
    Parquet,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(format: ExportFormatArg) -> Self {
        match format {
            ExportFormatArg::Jsonl => ExportFormat::Jsonl,
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Parquet => ExportFormat::Parquet,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value parsers: each names the range in its message; clap adds the flag and the value.

/// A count of at least 1 (`--top`).
fn at_least_one(text: &str) -> Result<usize, String> {
    bounded(text, 1, usize::MAX)
}

/// `related -k`: 1 to [`weeklens::related::MAX_K`].
fn related_k(text: &str) -> Result<usize, String> {
    bounded(text, 1, weeklens::related::MAX_K)
}

/// `past-years -k`: 1 to [`weeklens::past_years::MAX_ENTRIES`].
fn section_k(text: &str) -> Result<usize, String> {
    bounded(text, 1, weeklens::past_years::MAX_ENTRIES)
}

/// An issue number as the parser reads them: 1 to [`MAX_ISSUE_NUMBER`].
fn issue_number() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..=i64::from(MAX_ISSUE_NUMBER))
}

/// An integer in `min..=max`, with the range in the message.
fn bounded(text: &str, min: usize, max: usize) -> Result<usize, String> {
    let range = if max == usize::MAX {
        format!("{min} or more")
    } else {
        format!("{min} to {max}")
    };
    let text = text.trim();
    let value: usize = text
        .parse()
        .map_err(|e: std::num::ParseIntError| match e.kind() {
            std::num::IntErrorKind::PosOverflow => format!("{text} is too large; give {min} to {max}"),
            _ => format!("not a whole number; give {range}"),
        })?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is out of range; give {range}"))
    }
}

/// `build --dims`: 0 (no reduction) or 2 to [`MAX_DIMS`].
fn dims(text: &str) -> Result<usize, String> {
    match bounded(text, 0, MAX_DIMS) {
        Ok(1) | Err(_) => Err(format!("give 0 (no reduction) or 2 to {MAX_DIMS} dimensions")),
        Ok(dims) => Ok(dims),
    }
}

/// A similarity score (`--min-score`): a finite number from 0 to 1.
fn score(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err("give a number from 0 to 1".to_string()),
    }
}

/// A prior's weight (`--alpha0-*`): a number above 0, up to [`weeklens::trends::MAX_ALPHA0`].
fn positive(text: &str) -> Result<f64, String> {
    let max = weeklens::trends::MAX_ALPHA0;
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value <= max => Ok(value),
        _ => Err(format!("give a number above 0, up to {max:e}")),
    }
}

/// Any finite number (`--min-pmi`).
fn finite(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        _ => Err("give a finite number".to_string()),
    }
}

/// A day (`--date`, `--since`): YYYY-MM-DD, a date the calendar has, in years 1 to 9999 (the
/// dates around it are computed, and chrono's calendar ends near year 262143).
fn date(text: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(day) if (1..=9999).contains(&day.year()) => Ok(day),
        _ => Err("give a day of the calendar from 0001-01-01 to 9999-12-31, as YYYY-MM-DD".to_string()),
    }
}

/// `--base-url`: where the issues are published, an http:// or https:// URL with a host.
fn web_url(text: &str) -> Result<String, String> {
    // Written with `//` (`http:example.com` parses, but is no address to join a file name to).
    let web = (text.starts_with("https://") || text.starts_with("http://"))
        && url::Url::parse(text).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
    if web {
        Ok(text.to_string())
    } else {
        Err("give an http:// or https:// URL with a host, such as https://pythoncat.top/posts/".to_string())
    }
}

/// The window of `weeklens trends`: --from/--to, else --since, else --window, else the last 12
/// issues.
pub fn trends_window(
    window: Option<u32>,
    since: Option<chrono::NaiveDate>,
    range: Option<(u32, u32)>,
) -> weeklens::trends::Window {
    use weeklens::trends::{TrendsParams, Window};
    match (range, since, window) {
        (Some((from, to)), _, _) => Window::Issues { from, to },
        (None, Some(date), _) => Window::Since(date),
        (None, None, Some(n)) => Window::Last(n),
        (None, None, None) => TrendsParams::default().window,
    }
}
