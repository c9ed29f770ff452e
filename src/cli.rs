//! The command line: clap's derive structs and their conversion into the library's parameters.
//! The library never sees clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use weeklens::store::{ExportFormat, DEFAULT_DIR};

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
    Build {
        /// The archive: weekly issues YYYY-MM-DD-weekly.md, translations in en/, compilations.
        #[arg(long)]
        archive: PathBuf,
        /// Fail, leaving the store as it was, when any file has a problem.
        #[arg(long)]
        strict: bool,
        /// The number of topics (default: chosen over 12..=40 by coherence).
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
        k: Option<u32>,
        /// Dimensions of the LSA space the topics are found in (0: the BM25 rows themselves;
        /// 30 gave the most coherent topics on the real archive, see QUALITY.md).
        #[arg(long, default_value_t = 30)]
        dims: usize,
        /// Seed of the topic clustering.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Find topics afresh instead of carrying over the previous store's.
        #[arg(long)]
        fresh_topics: bool,
        /// Print the wall-clock time of each stage to standard error.
        #[arg(long)]
        timings: bool,
    },
    /// The topics: id, size, label in both languages, the most central entries.
    Topics {
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
        /// Coherence, silhouette and sizes, and the scores that chose k.
        #[arg(long)]
        stats: bool,
        /// The editor's topic names and merges.
        #[arg(long, env = "WEEKLENS_TOPICS", default_value = "weeklens-topics.toml")]
        edits: PathBuf,
    },
    /// One row per issue: counts per category against the counts the issue states, pairing with
    /// the translation, and the totals.
    Stats {
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
        /// Exit non-zero when any issue is off or any file had a problem.
        #[arg(long)]
        strict: bool,
    },
    /// Print the terms the engine sees in a text.
    Tokens {
        /// The text (markdown is fine).
        text: String,
    },
    /// The most weighted terms of the archive, of one issue or of one season (30 issues).
    Terms {
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, conflicts_with = "season")]
        issue: Option<u32>,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        season: Option<u32>,
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
    },
    /// Rising, falling and new terms and topics of the last issues (or those since a date)
    /// against every issue before them, scored by log-odds with an informative prior.
    Trends {
        /// The window: the last N issues.
        #[arg(long, conflicts_with = "since", value_parser = clap::value_parser!(u32).range(1..))]
        window: Option<u32>,
        /// The window: the issues dated on or after this day (YYYY-MM-DD).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Items per list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// A new item is absent before the window and in at least this many of its entries.
        #[arg(long, default_value_t = 3)]
        min_new: u32,
        /// The prior's weight for terms, in pseudo-counts (larger: rare terms need more
        /// evidence to rise).
        #[arg(long, default_value_t = weeklens::trends::TrendsParams::default().alpha0_terms)]
        alpha0_terms: f64,
        /// The prior's weight for topics, in pseudo-entries.
        #[arg(long, default_value_t = weeklens::trends::TrendsParams::default().alpha0_topics)]
        alpha0_topics: f64,
        /// Count terms in the titles only (the archive is title-only since mid 2025) or in
        /// titles and descriptions.
        #[arg(long, value_enum, default_value_t = TermsFrom::Titles)]
        terms_from: TermsFrom,
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
        /// The editor's topic names and merges.
        #[arg(long, env = "WEEKLENS_TOPICS", default_value = "weeklens-topics.toml")]
        edits: PathBuf,
    },
    /// Earlier entries related to an entry (ISSUE:CATEGORY:POSITION, e.g. 78:article:2), to a
    /// text, or to a URL; or, with --all, to every entry.
    Related {
        /// The entry: ISSUE:CATEGORY:POSITION.
        #[arg(conflicts_with_all = ["text", "url", "all"], required_unless_present_any = ["text", "url", "all"])]
        entry: Option<String>,
        #[arg(long, conflicts_with_all = ["url", "all"])]
        text: Option<String>,
        #[arg(long, conflicts_with = "all")]
        url: Option<String>,
        /// Every entry's related past entries, one JSON line each.
        #[arg(long)]
        all: bool,
        #[arg(short, default_value_t = 5)]
        k: usize,
        #[arg(long, default_value_t = 0.1)]
        min_score: f32,
        #[arg(long, value_enum, default_value_t = RelatedFormat::Table)]
        format: RelatedFormat,
    },
    /// Write the store's related index (related.idx) again from its tables, without a rebuild:
    /// for a store whose index is missing or damaged.
    Index,
    /// Was anything in a draft issue shared before? Exit status 1 when something was found.
    Check {
        /// The draft, in the archive's own format.
        draft: PathBuf,
        /// The draft's date (default: its pubDate, its file name, or a week after the last issue).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value_t = TextFormat::Table)]
        format: TextFormat,
    },
    /// Draft a draft issue's past-years section (往年回顾): the issues of the same week in earlier
    /// years, then the earlier entries most related to the draft's entries.
    PastYears {
        /// The draft, in the archive's own format.
        draft: PathBuf,
        /// The draft's date (default: its pubDate, its file name, or a week after the last issue).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// The language of the section: the Chinese issue's, or its English translation's.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Related entries must be at least this many weeks old.
        #[arg(long, default_value_t = 26)]
        min_age_weeks: u32,
        /// Do not repeat what the past-years sections of this many latest issues linked.
        #[arg(long, default_value_t = 4)]
        recent: usize,
        /// How many related entries to list.
        #[arg(short, default_value_t = 5)]
        k: usize,
        #[arg(long, default_value_t = 0.2)]
        min_score: f32,
        /// Where the issues are published: BASE + the issue file's name without `.md`.
        #[arg(long, default_value = weeklens::past_years::DEFAULT_BASE_URL)]
        base_url: String,
        #[arg(long, value_enum, default_value_t = SectionFormat::Markdown)]
        format: SectionFormat,
    },
    /// Write the editor's report of a season or a range of issues (or of every season):
    /// `<out>/<name>/index.md`, a self-contained `index.html` and the charts.
    Report {
        /// Season N: issues 30(N−1)+1 … 30N.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..), conflicts_with_all = ["from", "all_seasons"])]
        season: Option<u32>,
        /// The first issue of a range (with --to).
        #[arg(long, requires = "to", conflicts_with = "all_seasons")]
        from: Option<u32>,
        /// The last issue of a range (with --from).
        #[arg(long, requires = "from")]
        to: Option<u32>,
        /// One report per season the store holds.
        #[arg(long)]
        all_seasons: bool,
        /// Where the reports go.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// A CJK font (.ttf/.otf) for the PNG charts (default: found on the system; without one
        /// only SVG charts are written).
        #[arg(long)]
        font: Option<PathBuf>,
        /// The editor's topic names and merges.
        #[arg(long, env = "WEEKLENS_TOPICS", default_value = "weeklens-topics.toml")]
        edits: PathBuf,
    },
    /// Measure the tokenizer's word lists on the archive.
    Vocab {
        #[command(subcommand)]
        what: VocabCommand,
    },
    /// Write a synthetic archive shaped like the real one (pseudo-words, no real text), for
    /// scale measurements.
    Synth {
        /// Entries across all issues.
        #[arg(long)]
        entries: u64,
        /// The directory to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write a table for other tools.
    Export {
        #[arg(value_enum)]
        table: ExportTable,
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Jsonl)]
        format: ExportFormatArg,
        /// Output file (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The editor's topic names and merges, applied to the `topic` column.
        #[arg(long, env = "WEEKLENS_TOPICS", default_value = "weeklens-topics.toml")]
        edits: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum VocabCommand {
    /// Adjacent Chinese segments that jieba splits but that belong together: candidates for
    /// data/userdict.txt.
    Pairs {
        #[arg(long, default_value_t = 40)]
        top: usize,
        /// In at least this many entries.
        #[arg(long, default_value_t = 5)]
        min_entries: u32,
        /// With at least this pointwise mutual information, in bits.
        #[arg(long, default_value_t = 4.0)]
        min_pmi: f64,
    },
    /// Terms by document frequency, the domain stop words included and marked.
    Df {
        #[arg(long, default_value_t = 40)]
        top: usize,
    },
    /// Project and library names the stemmer would change: candidates for data/names.txt.
    Names {
        /// In at least this many entries.
        #[arg(long, default_value_t = 2)]
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

/// The window of `weeklens trends`: --since, else --window, else the last 12 issues.
pub fn trends_window(window: Option<u32>, since: Option<chrono::NaiveDate>) -> weeklens::trends::Window {
    use weeklens::trends::{TrendsParams, Window};
    match (since, window) {
        (Some(date), _) => Window::Since(date),
        (None, Some(n)) => Window::Last(n),
        (None, None) => TrendsParams::default().window,
    }
}
