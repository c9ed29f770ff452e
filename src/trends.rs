//! Trends: how the archive's topics and terms move over time. The stage after the store (it reads
//! issues, entries, their TF-IDF rows and topic assignments) and before the report and charts.
//!
//! Two kinds of result:
//!
//! - **Shares over time.** [`topic_shares`] counts the entries of each topic per period (an issue,
//!   a calendar month, a quarter, or a season of 30 issues) and gives the raw shares beside
//!   smoothed ones; [`category_shares`] does the same for the entry categories.
//! - **What moved in a window.** [`compute`] compares a window (the last N issues, or the issues
//!   since a date) against every issue before it, for terms and for topics, with the log-odds
//!   ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn, "Fightin' Words",
//!   2008; [`log_odds`]). Every score comes with the counts it was computed from.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::Result;
use crate::model::{Category, CategoryCounts, Entry, Issue, IssueFormat};
use crate::store::Store;
use crate::stories::{self, Story, StoryCorpus, StoryParams};
use crate::terms::SEASON_LENGTH;
use crate::tokenize::Tokenizer;
use crate::topics::{self, TopicEdits, TopicView};
use crate::vectorize::{FittedTfIdf, SparseVector};

// ---------------------------------------------------------------------------------------------
// Periods

/// How finely to cut the archive's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Issue,
    Month,
    Quarter,
    /// 30 issues, as the editor counts them: season N is issues 30(N−1)+1 … 30N.
    Season,
}

impl Granularity {
    pub const ALL: [Granularity; 4] = [
        Granularity::Issue,
        Granularity::Month,
        Granularity::Quarter,
        Granularity::Season,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Issue => "issue",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
            Granularity::Season => "season",
        }
    }

    /// The period an issue falls in: by its number for issues and seasons, by its date otherwise.
    pub fn period_of(self, issue: &Issue) -> PeriodKey {
        match self {
            Granularity::Issue => PeriodKey::Issue(issue.number),
            Granularity::Month => PeriodKey::Month {
                year: issue.date.year(),
                month: issue.date.month(),
            },
            Granularity::Quarter => PeriodKey::Quarter {
                year: issue.date.year(),
                quarter: (issue.date.month() - 1) / 3 + 1,
            },
            Granularity::Season => PeriodKey::Season(season_of(issue.number)),
        }
    }
}

/// The season an issue number belongs to (issue 30 is in S1, 31 in S2).
pub fn season_of(issue: u32) -> u32 {
    issue.saturating_sub(1) / SEASON_LENGTH + 1
}

/// A period of the timeline. Keys of one granularity sort in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKey {
    Issue(u32),
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Season(u32),
}

/// `#58`, `2024-06`, `2024-Q2`, `S2`.
impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PeriodKey::Issue(n) => write!(f, "#{n}"),
            PeriodKey::Month { year, month } => write!(f, "{year}-{month:02}"),
            PeriodKey::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PeriodKey::Season(s) => write!(f, "S{s}"),
        }
    }
}

impl Serialize for PeriodKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The issues of each period that holds any, in time order.
fn periods(issues: &[Issue], granularity: Granularity) -> BTreeMap<PeriodKey, Vec<&Issue>> {
    let mut out: BTreeMap<PeriodKey, Vec<&Issue>> = BTreeMap::new();
    for issue in issues {
        out.entry(granularity.period_of(issue)).or_default().push(issue);
    }
    for list in out.values_mut() {
        list.sort_by_key(|i| i.number);
    }
    out
}

/// Where a period starts and ends in the archive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSpan {
    pub period: PeriodKey,
    pub first_issue: u32,
    pub last_issue: u32,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub issues: u32,
}

impl PeriodSpan {
    fn of(period: PeriodKey, issues: &[&Issue]) -> PeriodSpan {
        PeriodSpan {
            period,
            first_issue: issues.iter().map(|i| i.number).min().unwrap_or(0),
            last_issue: issues.iter().map(|i| i.number).max().unwrap_or(0),
            first_date: issues.iter().map(|i| i.date).min().unwrap_or_default(),
            last_date: issues.iter().map(|i| i.date).max().unwrap_or_default(),
            issues: issues.len() as u32,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shares over time

/// How many neighbouring periods on each side the smoothed shares pool: 1 is a centred window
/// of 3 periods (2 at either end of the timeline).
pub const SMOOTHING_RADIUS: usize = 1;

/// Topic shares per period: counts, raw shares and smoothed shares.
///
/// Smoothing pools the counts of the periods within `radius` of each period (the neighbouring
/// rows of the table, so a gap in the archive is stepped over) and divides by the entries they
/// hold. Pooling, rather than averaging shares, lets a thin period (a title-only issue with a
/// handful of entries) weigh less than a full one; and each smoothed row still sums to 1, since
/// it is the share of one (larger) set of entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareTable {
    pub granularity: Granularity,
    pub radius: usize,
    /// The columns: topic ids (after the editor's merges), ascending.
    pub topics: Vec<u32>,
    pub rows: Vec<ShareRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    #[serde(flatten)]
    pub span: PeriodSpan,
    /// Entries of the period that have a topic (withdrawn placeholders have none).
    pub entries: u32,
    /// Entries per topic, in the order of [`ShareTable::topics`].
    pub counts: Vec<u32>,
    /// `counts / entries` (all zero for a period without entries).
    pub shares: Vec<f64>,
    pub smoothed: Vec<f64>,
}

/// Pooled shares over the rows within `radius` of each row.
fn smooth(counts: &[Vec<u32>], totals: &[u32], radius: usize) -> Vec<Vec<f64>> {
    (0..counts.len())
        .map(|r| {
            let range = r.saturating_sub(radius)..(r + radius + 1).min(counts.len());
            let total: u32 = totals[range.clone()].iter().sum();
            let width = counts.get(r).map_or(0, Vec::len);
            (0..width)
                .map(|c| {
                    let n: u32 = counts[range.clone()].iter().map(|row| row[c]).sum();
                    share(n, total)
                })
                .collect()
        })
        .collect()
}

fn share(n: u32, total: u32) -> f64 {
    if total == 0 {
        0.0
    } else {
        f64::from(n) / f64::from(total)
    }
}

/// The topic shares of each period. `assignments` is each entry's topic in the order of
/// `entries`, with the editor's merges applied ([`TopicEdits::apply`]).
pub fn topic_shares(
    issues: &[Issue],
    entries: &[Entry],
    assignments: &[Option<u32>],
    granularity: Granularity,
    radius: usize,
) -> ShareTable {
    let topics: Vec<u32> = {
        let mut ids: Vec<u32> = assignments.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let column: BTreeMap<u32, usize> = topics.iter().enumerate().map(|(c, &t)| (t, c)).collect();
    let mut per_issue: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (entry, topic) in entries.iter().zip(assignments) {
        if let (false, Some(t)) = (entry.withdrawn, topic) {
            per_issue
                .entry(entry.issue)
                .or_insert_with(|| vec![0; topics.len()])[column[t]] += 1;
        }
    }
    let spans = periods(issues, granularity);
    let mut counts = Vec::with_capacity(spans.len());
    let mut rows = Vec::with_capacity(spans.len());
    for (&period, list) in &spans {
        let mut row = vec![0u32; topics.len()];
        for issue in list {
            if let Some(c) = per_issue.get(&issue.number) {
                row.iter_mut().zip(c).for_each(|(a, b)| *a += b);
            }
        }
        rows.push(PeriodSpan::of(period, list));
        counts.push(row);
    }
    let totals: Vec<u32> = counts.iter().map(|r| r.iter().sum()).collect();
    let smoothed = smooth(&counts, &totals, radius);
    ShareTable {
        granularity,
        radius,
        topics,
        rows: rows
            .into_iter()
            .zip(counts)
            .zip(smoothed)
            .zip(&totals)
            .map(|(((span, counts), smoothed), &entries)| ShareRow {
                span,
                entries,
                shares: counts.iter().map(|&n| share(n, entries)).collect(),
                counts,
                smoothed,
            })
            .collect(),
    }
}

/// Entries per category in each period, from the issues' own parsed counts (withdrawn
/// placeholders excluded), with raw and smoothed shares as in [`ShareTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryTable {
    pub granularity: Granularity,
    pub radius: usize,
    pub rows: Vec<CategoryRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryRow {
    #[serde(flatten)]
    pub span: PeriodSpan,
    pub entries: u32,
    /// Per category, indexed by [`Category::index`].
    pub counts: CategoryCounts,
    pub shares: [f64; 6],
    pub smoothed: [f64; 6],
}

pub fn category_shares(issues: &[Issue], granularity: Granularity, radius: usize) -> CategoryTable {
    let spans = periods(issues, granularity);
    let counts: Vec<CategoryCounts> = spans
        .values()
        .map(|list| {
            let mut c = CategoryCounts::default();
            for issue in list {
                for cat in Category::ALL {
                    c.add(cat, issue.counts.get(cat));
                }
            }
            c
        })
        .collect();
    let as_vecs: Vec<Vec<u32>> = counts.iter().map(|c| c.0.to_vec()).collect();
    let totals: Vec<u32> = counts.iter().map(CategoryCounts::total).collect();
    let smoothed = smooth(&as_vecs, &totals, radius);
    let array = |v: &[f64]| -> [f64; 6] { std::array::from_fn(|i| v.get(i).copied().unwrap_or(0.0)) };
    CategoryTable {
        granularity,
        radius,
        rows: spans
            .iter()
            .zip(counts)
            .zip(smoothed)
            .map(|(((&period, list), counts), smoothed)| CategoryRow {
                span: PeriodSpan::of(period, list),
                entries: counts.total(),
                shares: std::array::from_fn(|i| share(counts.0[i], counts.total())),
                counts,
                smoothed: array(&smoothed),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The log-odds ratio with an informative Dirichlet prior

/// One item's score: the log-odds ratio of the window against the background, its estimated
/// variance and the z-score `delta / sqrt(variance)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogOdds {
    pub delta: f64,
    pub variance: f64,
    pub z: f64,
}

/// The informative Dirichlet prior: each item's pseudo-count `alpha0 × (its share of the
/// corpus)`, so the pseudo-counts sum to `alpha0`. `corpus` is the item counts of the whole
/// corpus (window and background together).
pub fn dirichlet_prior(corpus: &[u32], alpha0: f64) -> Vec<f64> {
    let total: f64 = corpus.iter().map(|&c| f64::from(c)).sum();
    if total == 0.0 {
        return vec![0.0; corpus.len()];
    }
    corpus.iter().map(|&c| alpha0 * f64::from(c) / total).collect()
}

/// The log-odds ratio of each item in `window` against `background` with the prior pseudo-counts
/// `prior` (Monroe, Colaresi and Quinn 2008, eq. 16–19):
///
/// ```text
/// δ_w  = ln((y_w + α_w) / (n + α₀ − y_w − α_w)) − ln((b_w + α_w) / (m + α₀ − b_w − α_w))
/// σ²_w ≈ 1 / (y_w + α_w) + 1 / (b_w + α_w)
/// z_w  = δ_w / σ_w
/// ```
///
/// where `y`, `b` are the window's and background's counts, `n`, `m` their totals and `α₀` the
/// sum of the prior. An item with no prior mass and no count on one side has no defined score:
/// `None`.
pub fn log_odds(window: &[u32], background: &[u32], prior: &[f64]) -> Vec<Option<LogOdds>> {
    let n: f64 = window.iter().map(|&c| f64::from(c)).sum();
    let m: f64 = background.iter().map(|&c| f64::from(c)).sum();
    let alpha0: f64 = prior.iter().sum();
    window
        .iter()
        .zip(background)
        .zip(prior)
        .map(|((&y, &b), &a)| {
            let (y, b) = (f64::from(y), f64::from(b));
            let in_window = (y + a) / (n + alpha0 - y - a);
            let in_background = (b + a) / (m + alpha0 - b - a);
            let delta = in_window.ln() - in_background.ln();
            let variance = 1.0 / (y + a) + 1.0 / (b + a);
            let z = delta / variance.sqrt();
            (delta.is_finite() && variance.is_finite() && z.is_finite()).then_some(LogOdds {
                delta,
                variance,
                z,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A window against everything before it

/// Which issues form the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The last N issues by number.
    Last(u32),
    /// The issues dated on or after this day.
    Since(NaiveDate),
    /// Issues `from` … `to` (a report's season or range): the issues after it take no part.
    Issues { from: u32, to: u32 },
}

/// What `weeklens trends` is asked for. [`TrendsParams::check`] turns it into something that can
/// run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendsParams {
    pub window: Window,
    /// Items per list (rising, falling, new).
    pub top: usize,
    /// A "new" item is absent before the window and in at least this many of its entries.
    pub min_new: u32,
    /// The prior's total pseudo-count for terms. A 12-issue window holds about 2,000 title-term
    /// presences, the archive about 27,000; 500, a quarter of the window, keeps terms seen in one
    /// or two entries off the rising list without drowning the common ones. The ranking barely
    /// moves between 100 and 5,000 (QUALITY.md, "Trends").
    pub alpha0_terms: f64,
    /// The prior's total pseudo-count for topics, in entries: a 12-issue window holds about
    /// 300; 10 to 200 give the same order.
    pub alpha0_topics: f64,
    /// How the window's stories are found.
    pub stories: StoryParams,
}

impl Default for TrendsParams {
    fn default() -> Self {
        TrendsParams {
            window: Window::Last(12),
            top: 10,
            min_new: 3,
            alpha0_terms: 500.0,
            alpha0_topics: 50.0,
            stories: StoryParams::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrendsError {
    #[error("the window must hold at least 1 issue (got 0)")]
    WindowZero,
    #[error("a list must hold at least 1 item (got 0)")]
    TopZero,
    #[error("a new item must be in at least 1 entry (got 0): an item seen in no entry is not new")]
    MinNewZero,
    #[error("the prior's alpha0 must be a positive number (got {0})")]
    Alpha0(f64),
    #[error("the window is empty: no issue in the store is dated on or after {0}")]
    EmptyWindow(NaiveDate),
    #[error("the store holds no issues")]
    NoIssues,
    #[error(
        "nothing before the window: it holds all {0} issue(s) of the store; choose a smaller \
         --window or a later --since"
    )]
    EmptyBackground(usize),
    #[error("the store holds no topics: rebuild it with `weeklens build`")]
    NoTopics,
    #[error("no issue in the store is numbered {from} to {to}")]
    EmptyRange { from: u32, to: u32 },
    #[error("the range starts after it ends: {from} > {to}")]
    RangeReversed { from: u32, to: u32 },
    #[error(
        "the window and the issues before it are not comparable in titles and descriptions: \
         {window_titles_only} of the window's {window_issues} issues are title-only, \
         {before_titles_only} of the {before_issues} before it; count terms in the titles \
         (--terms-from titles), which every issue has"
    )]
    FormatsDiffer {
        window_titles_only: u32,
        window_issues: u32,
        before_titles_only: u32,
        before_issues: u32,
    },
}

/// Parameters that passed [`TrendsParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedTrendsParams(TrendsParams);

impl TrendsParams {
    pub fn check(self) -> Result<CheckedTrendsParams, TrendsError> {
        if self.window == Window::Last(0) {
            return Err(TrendsError::WindowZero);
        }
        if self.top == 0 {
            return Err(TrendsError::TopZero);
        }
        if self.min_new == 0 {
            return Err(TrendsError::MinNewZero);
        }
        if let Window::Issues { from, to } = self.window {
            if from > to {
                return Err(TrendsError::RangeReversed { from, to });
            }
        }
        for alpha0 in [self.alpha0_terms, self.alpha0_topics] {
            if !(alpha0.is_finite() && alpha0 > 0.0) {
                return Err(TrendsError::Alpha0(alpha0));
            }
        }
        Ok(CheckedTrendsParams(self))
    }
}

/// What trends read: the store's records, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Corpus<'a> {
    pub issues: &'a [Issue],
    pub entries: &'a [Entry],
    /// Rows in the order of `entries` whose indices are the terms each entry holds (see
    /// [`term_rows`]).
    pub vectors: &'a [SparseVector],
    /// The vocabulary: `terms[i]` is the term of index `i` in the rows.
    pub terms: &'a [String],
    /// Each term as shown to people (see [`crate::vectorize::FittedTfIdf::shown`]).
    pub shown: &'a [String],
    /// Each entry's topic, the editor's merges applied.
    pub assignments: &'a [Option<u32>],
    /// The topics as shown (for their labels).
    pub topics: &'a [TopicView],
    /// What `vectors` were made from.
    pub text: TermText,
    /// The rows `related` ranks by (`related.parquet`), in the order of `entries`: what ties a
    /// story's entries.
    pub related: &'a [SparseVector],
}

/// Which of an entry's texts its terms are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermText {
    /// The titles, Chinese and English. The archive went title-only in mid 2025 (#110): counting
    /// the descriptions too would make the words of descriptions "fall" in a recent window and
    /// the few words of a title "rise", whatever the subject (QUALITY.md, "Trends").
    #[default]
    Titles,
    /// Titles and descriptions: the entry's stored TF-IDF row.
    Full,
}

/// The rows whose indices mark the terms each entry holds: the stored TF-IDF rows, or its titles
/// vectorised with the stored vocabulary (no refit).
pub fn term_rows(
    entries: &[Entry],
    stored: Vec<SparseVector>,
    vocabulary: &FittedTfIdf,
    text: TermText,
) -> Vec<SparseVector> {
    match text {
        TermText::Full => stored,
        TermText::Titles => {
            let tokenizer = Tokenizer::shared();
            let mut terms = Vec::new();
            entries
                .iter()
                .map(|e| {
                    if e.withdrawn {
                        return SparseVector::default();
                    }
                    terms.clear();
                    tokenizer.plain_terms_into(&e.title, &mut terms);
                    if let Some(en) = &e.en_title {
                        tokenizer.plain_terms_into(en, &mut terms);
                    }
                    vocabulary.transform(&terms)
                })
                .collect()
        }
    }
}

/// The store's records, loaded once, with the editor's topic edits applied.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub issues: Vec<Issue>,
    pub entries: Vec<Entry>,
    pub vectors: Vec<SparseVector>,
    pub terms: Vec<String>,
    /// Each term as shown to people.
    pub shown: Vec<String>,
    pub assignments: Vec<Option<u32>>,
    pub topics: Vec<TopicView>,
    pub text: TermText,
    /// The rows `related` ranks by.
    pub related: Vec<SparseVector>,
}

impl Loaded {
    pub fn from_store(store: &Store, edits: &TopicEdits, text: TermText) -> Result<Loaded> {
        let entries = store.entries()?;
        let vocabulary = store.vocabulary()?;
        let stored = store.vectors(entries.len())?;
        Loaded::from_parts(store, edits, text, entries, stored, &vocabulary)
    }

    /// The same, from the entries, their stored TF-IDF rows and the vocabulary a caller has
    /// already read (the report needs them too).
    pub fn from_parts(
        store: &Store,
        edits: &TopicEdits,
        text: TermText,
        entries: Vec<Entry>,
        stored: Vec<SparseVector>,
        vocabulary: &FittedTfIdf,
    ) -> Result<Loaded> {
        let related = store.related_rows(entries.len())?;
        let vectors = term_rows(&entries, stored, vocabulary, text);
        let assignments = edits.apply(&store.assignments()?);
        let topics = topics::views(&store.topics()?, &entries, edits);
        Ok(Loaded {
            issues: store.issues()?,
            terms: vocabulary.terms().to_vec(),
            shown: vocabulary.shown().to_vec(),
            entries,
            vectors,
            assignments,
            topics,
            text,
            related,
        })
    }

    pub fn corpus(&self) -> Corpus<'_> {
        Corpus {
            issues: &self.issues,
            entries: &self.entries,
            vectors: &self.vectors,
            terms: &self.terms,
            shown: &self.shown,
            assignments: &self.assignments,
            topics: &self.topics,
            text: self.text,
            related: &self.related,
        }
    }
}

/// A side of the comparison: which issues, how many entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub first_issue: u32,
    pub last_issue: u32,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub issues: u32,
    /// Issues of the title-only format (the archive's since #110).
    pub titles_only: u32,
    /// Live entries (withdrawn placeholders left out); in the window each resource once: an
    /// entry re-sharing one shared earlier in the window (the same URL or title) is not
    /// counted again.
    pub entries: u32,
    /// Entries left out as re-shares (the window only; 0 before it).
    pub reshares: u32,
}

/// One item's score with the counts behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The term as the archive writes it (`library`, `Claude`), or the topic's label.
    pub item: String,
    /// The vocabulary's term, for terms (what `weeklens tokens` gives for the item).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
    /// The topic's id (for topics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<u32>,
    /// For topics: the label of the topic's entries in the window (their terms weighted by how
    /// rare they are in the window), beside its archive-wide label in `item`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_label: Option<String>,
    /// For terms: the term's last burst over the archive that reaches the window (Kleinberg).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst: Option<crate::bursts::Burst>,
    /// Entries of the window that hold the term (are in the topic).
    pub window: u32,
    /// The same before the window.
    pub before: u32,
    #[serde(flatten)]
    pub score: LogOdds,
}

/// Rising, falling and new items of one kind, with the totals their counts are out of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movers {
    /// The prior's total pseudo-count.
    pub alpha0: f64,
    /// Sum of the counts in the window and before it (term presences, or entries with a topic):
    /// the `n` of the log-odds ratio.
    pub window_total: u32,
    pub before_total: u32,
    /// Highest z first, among items seen before the window (z > 0).
    pub rising: Vec<Scored>,
    /// Lowest z first (z < 0).
    pub falling: Vec<Scored>,
    /// Items never seen before the window and in at least `min_new` of its entries, highest z
    /// first.
    pub new: Vec<Scored>,
}

/// What `weeklens trends` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// The groups of the window's entries about one development, largest first.
    pub stories: Vec<Story>,
    pub window: Side,
    pub before: Side,
    pub min_new: u32,
    /// Which texts the terms were counted in.
    pub terms_from: TermText,
    pub terms: Movers,
    pub topics: Movers,
    /// Whether the window and the issues before it are alike in format (their shares of
    /// title-only issues within [`FORMAT_GAP`] of each other); when not, terms are counted in
    /// the titles only (a title-only window against full issues would make every description
    /// word "fall").
    pub formats_comparable: bool,
}

/// The largest difference between the window's and the background's shares of title-only
/// issues for which counting descriptions is still a fair comparison.
pub const FORMAT_GAP: f64 = 0.5;

/// A falling item must be this significant (z at most minus this: two-sided 5%) ...
pub const FALLING_Z: f64 = 1.96;
/// ... and expected in at least this many of the window's entries at its rate before the
/// window: an item too rare to be missed says nothing by being absent.
pub const FALLING_EXPECTED: f64 = 5.0;

fn side(issues: &[&Issue], entries: u32, reshares: u32) -> Side {
    let span = PeriodSpan::of(PeriodKey::Issue(0), issues);
    Side {
        first_issue: span.first_issue,
        last_issue: span.last_issue,
        first_date: span.first_date,
        last_date: span.last_date,
        issues: span.issues,
        titles_only: issues
            .iter()
            .filter(|i| i.format == IssueFormat::TitlesOnly)
            .count() as u32,
        entries,
        reshares,
    }
}

/// Ranks items into rising, falling and new lists. `label(i)` names item `i`.
fn movers(
    window: &[u32],
    before: &[u32],
    entries: [u32; 2],
    alpha0: f64,
    params: &TrendsParams,
    label: impl Fn(usize) -> (String, Option<String>, Option<u32>),
) -> Movers {
    let corpus: Vec<u32> = window.iter().zip(before).map(|(a, b)| a + b).collect();
    let scores = log_odds(window, before, &dirichlet_prior(&corpus, alpha0));
    let mut scored: Vec<(usize, LogOdds)> = scores
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| corpus[i] > 0)
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    // Highest z first; ties by the larger window count, then by item index (the vocabulary and
    // topic ids are sorted, so the order is the same on every run).
    scored.sort_by(|a, b| {
        b.1.z
            .total_cmp(&a.1.z)
            .then(window[b.0].cmp(&window[a.0]))
            .then(a.0.cmp(&b.0))
    });
    let make = |&(i, score): &(usize, LogOdds)| {
        let (item, term, topic) = label(i);
        Scored {
            item,
            term,
            topic,
            window_label: None,
            burst: None,
            window: window[i],
            before: before[i],
            score,
        }
    };
    let rising = scored
        .iter()
        .filter(|(i, s)| s.z > 0.0 && before[*i] > 0)
        .take(params.top)
        .map(make)
        .collect();
    let new = scored
        .iter()
        .filter(|(i, _)| before[*i] == 0 && window[*i] >= params.min_new)
        .take(params.top)
        .map(make)
        .collect();
    // Falling only where it carries information: significant, and frequent enough before the
    // window that its absence in the window is unlikely by chance.
    let rate = |i: usize| f64::from(before[i]) / f64::from(entries[1].max(1));
    let falling = scored
        .iter()
        .rev()
        .filter(|(i, s)| s.z <= -FALLING_Z && rate(*i) * f64::from(entries[0]) >= FALLING_EXPECTED)
        .take(params.top)
        .map(make)
        .collect();
    Movers {
        alpha0,
        window_total: window.iter().sum(),
        before_total: before.iter().sum(),
        rising,
        falling,
        new,
    }
}

/// Each topic's label ([`topic_label`]), by id.
pub fn topic_labels(topics: &[TopicView]) -> BTreeMap<u32, String> {
    topics.iter().map(|v| (v.id, topic_label(v))).collect()
}

/// Chinese and English terms in a topic's label, each.
const LABEL_TERMS: usize = 2;

/// A topic's label: the editor's name, else its first two Chinese and English terms (as the
/// store shows them: the words the archive writes, see [`crate::vectorize::FittedTfIdf::shown`]).
pub fn topic_label(view: &TopicView) -> String {
    if let Some(name) = &view.name {
        return name.clone();
    }
    let zh = view
        .label_zh
        .iter()
        .take(LABEL_TERMS)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let en = view
        .label_en
        .iter()
        .take(LABEL_TERMS)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    match (zh.is_empty(), en.is_empty()) {
        (false, false) => format!("{zh} / {en}"),
        (true, _) => en,
        (false, true) => zh,
    }
}

/// Rising, falling and new terms and topics of the window against everything before it.
///
/// Terms are counted once per entry (entries are a title and a few sentences, so a term's
/// repetitions say little); presence is read from the indices of the entry's row in
/// `corpus.vectors` (by default its titles vectorised, see [`TermText`]), which leaves out the
/// terms the vocabulary dropped (in fewer than 2 entries, or in more than half).
/// Topics are counted as entries per topic.
pub fn compute(corpus: &Corpus<'_>, params: &CheckedTrendsParams) -> Result<Trends, TrendsError> {
    let params = &params.0;
    if corpus.issues.is_empty() {
        return Err(TrendsError::NoIssues);
    }
    if corpus.topics.is_empty() || corpus.assignments.iter().all(Option::is_none) {
        return Err(TrendsError::NoTopics);
    }
    let mut ordered: Vec<&Issue> = corpus.issues.iter().collect();
    ordered.sort_by_key(|i| (i.number, i.date));
    let in_window: Vec<bool> = match params.window {
        Window::Last(n) => {
            let start = ordered.len().saturating_sub(n as usize);
            (0..ordered.len()).map(|k| k >= start).collect()
        }
        Window::Since(date) => ordered.iter().map(|i| i.date >= date).collect(),
        Window::Issues { from, to } => {
            ordered.retain(|i| i.number <= to);
            ordered.iter().map(|i| i.number >= from).collect()
        }
    };
    let (window_issues, before_issues): (Vec<&Issue>, Vec<&Issue>) = {
        let (w, b): (Vec<_>, Vec<_>) = ordered.iter().zip(&in_window).partition(|(_, w)| **w);
        (
            w.into_iter().map(|(i, _)| *i).collect(),
            b.into_iter().map(|(i, _)| *i).collect(),
        )
    };
    if window_issues.is_empty() {
        return Err(match params.window {
            Window::Since(date) => TrendsError::EmptyWindow(date),
            Window::Issues { from, to } => TrendsError::EmptyRange { from, to },
            Window::Last(_) => TrendsError::NoIssues,
        });
    }
    if before_issues.is_empty() {
        return Err(TrendsError::EmptyBackground(window_issues.len()));
    }
    let window_side = side(&window_issues, 0, 0);
    let before_side = side(&before_issues, 0, 0);
    let title_share = |s: &Side| f64::from(s.titles_only) / f64::from(s.issues.max(1));
    let formats_comparable = (title_share(&window_side) - title_share(&before_side)).abs() <= FORMAT_GAP;
    if !formats_comparable && corpus.text == TermText::Full {
        return Err(TrendsError::FormatsDiffer {
            window_titles_only: window_side.titles_only,
            window_issues: window_side.issues,
            before_titles_only: before_side.titles_only,
            before_issues: before_side.issues,
        });
    }
    let window_numbers: BTreeSet<u32> = window_issues.iter().map(|i| i.number).collect();
    let before_numbers: BTreeSet<u32> = before_issues.iter().map(|i| i.number).collect();

    let mut topic_ids: Vec<u32> = corpus.topics.iter().map(|t| t.id).collect();
    topic_ids.extend(corpus.assignments.iter().flatten());
    topic_ids.sort_unstable();
    topic_ids.dedup();
    let topic_column: BTreeMap<u32, usize> = topic_ids.iter().enumerate().map(|(c, &t)| (t, c)).collect();

    let mut terms = [vec![0u32; corpus.terms.len()], vec![0u32; corpus.terms.len()]];
    let mut topics = [vec![0u32; topic_ids.len()], vec![0u32; topic_ids.len()]];
    let mut entries = [0u32; 2];
    let mut reshares = [0u32; 2];
    // The window counts a resource once: the keys (URL, titles) seen in it so far.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut window_rows: Vec<usize> = Vec::new();
    let mut counted_window: Vec<usize> = Vec::new();
    let mut before_rows: Vec<usize> = Vec::new();
    for (row, entry) in corpus.entries.iter().enumerate() {
        if entry.withdrawn {
            continue;
        }
        let side = if window_numbers.contains(&entry.issue) {
            window_rows.push(row);
            0
        } else if before_numbers.contains(&entry.issue) {
            before_rows.push(row);
            1
        } else {
            continue;
        };
        // A re-share inside the window counts once (the same URL or title as an earlier entry
        // of the window). Before the window every entry counts: the keys of a million earlier
        // entries cost more than the few re-shares among them change.
        if side == 0 {
            let keys = stories::resource_keys(entry);
            let reshared = keys.iter().any(|k| seen.contains(k));
            seen.extend(keys);
            if reshared {
                reshares[side] += 1;
                continue;
            }
        }
        if side == 0 {
            counted_window.push(row);
        }
        entries[side] += 1;
        if let Some(vector) = corpus.vectors.get(row) {
            for &t in &vector.indices {
                if let Some(slot) = terms[side].get_mut(t as usize) {
                    *slot += 1;
                }
            }
        }
        if let Some(Some(t)) = corpus.assignments.get(row) {
            topics[side][topic_column[t]] += 1;
        }
    }

    let term_index: BTreeMap<&str, u32> = corpus
        .terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let terms_window = terms[0].clone();
    // Terms shown as the archive writes them: words, not stems.
    let terms = movers(&terms[0], &terms[1], entries, params.alpha0_terms, params, |i| {
        let term = corpus.terms[i].clone();
        (
            corpus.shown.get(i).cloned().unwrap_or_else(|| term.clone()),
            Some(term),
            None,
        )
    });
    let labels = topic_labels(corpus.topics);
    let story_corpus = StoryCorpus {
        entries: corpus.entries,
        rows: corpus.related,
        shown: corpus.shown,
    };
    let mut stories = stories::find(&story_corpus, &window_rows, &before_rows, &params.stories);
    let mut terms = terms;
    let mut topic_movers = movers(
        &topics[0],
        &topics[1],
        entries,
        params.alpha0_topics,
        params,
        |i| {
            let id = topic_ids[i];
            (
                labels.get(&id).cloned().unwrap_or_else(|| format!("topic {id}")),
                None,
                Some(id),
            )
        },
    );
    // Each listed topic's label in the window.
    let window_terms = &terms_window;
    for list in [
        &mut topic_movers.rising,
        &mut topic_movers.new,
        &mut topic_movers.falling,
    ] {
        for scored in list.iter_mut() {
            if let Some(id) = scored.topic {
                scored.window_label = window_label(corpus, &counted_window, window_terms, entries[0], id);
            }
        }
    }
    // Bursts of the rising and new terms and of each story's most shared term.
    let mut wanted: Vec<u32> = Vec::new();
    for s in terms.rising.iter().chain(&terms.new) {
        if let Some(t) = s.term.as_ref().and_then(|t| term_index.get(t.as_str())) {
            wanted.push(*t);
        }
    }
    wanted.extend(stories.iter().filter_map(|s| s.term_ids.first().copied()));
    let bursts = term_bursts(corpus, &ordered, &wanted, window_side.first_issue);
    for s in terms.rising.iter_mut().chain(terms.new.iter_mut()) {
        if let Some(t) = s.term.as_ref().and_then(|t| term_index.get(t.as_str())) {
            s.burst = bursts.get(t).copied().flatten();
        }
    }
    for story in &mut stories {
        story.burst = story
            .term_ids
            .first()
            .and_then(|t| bursts.get(t).copied().flatten());
    }
    Ok(Trends {
        window: side(&window_issues, entries[0], reshares[0]),
        before: side(&before_issues, entries[1], reshares[1]),
        min_new: params.min_new,
        terms_from: corpus.text,
        terms,
        stories,
        formats_comparable,
        topics: topic_movers,
    })
}

/// A topic's label in the window: the terms of its entries there (at least two of them hold
/// each), weighted by how rare the term is among all the window's entries (class-based TF-IDF
/// within the window), two per language as [`topic_label`] shows them. `None` when no term is
/// held twice.
fn window_label(
    corpus: &Corpus<'_>,
    rows: &[usize],
    window_terms: &[u32],
    window_entries: u32,
    topic: u32,
) -> Option<String> {
    let mut held: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        if corpus.assignments.get(r).copied().flatten() != Some(topic) {
            continue;
        }
        for &t in corpus.vectors.get(r).map_or(&[][..], |v| &v.indices[..]) {
            *held.entry(t).or_default() += 1;
        }
    }
    let mut scored: Vec<(f64, u32)> = held
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|(t, c)| {
            let df = window_terms.get(t as usize).copied().unwrap_or(c).max(1);
            (
                f64::from(c) * (f64::from(window_entries.max(1)) / f64::from(df)).ln().max(0.0),
                t,
            )
        })
        .filter(|&(score, _)| score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let shown = |t: u32| {
        corpus
            .shown
            .get(t as usize)
            .or_else(|| corpus.terms.get(t as usize))
            .cloned()
            .unwrap_or_default()
    };
    let is_zh = |w: &str| w.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let words: Vec<String> = scored.iter().map(|&(_, t)| shown(t)).collect();
    let zh: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| is_zh(w))
        .take(LABEL_TERMS)
        .collect();
    let en: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !is_zh(w))
        .take(LABEL_TERMS)
        .collect();
    match (zh.is_empty(), en.is_empty()) {
        (true, true) => None,
        (false, false) => Some(format!("{} / {}", zh.join(" "), en.join(" "))),
        (true, false) => Some(en.join(" ")),
        (false, true) => Some(zh.join(" ")),
    }
}

/// The burst reaching the window of each of `terms` ([`crate::bursts`]), over the issues of
/// `ordered` (up to the window's end), counted in `corpus.vectors`.
fn term_bursts(
    corpus: &Corpus<'_>,
    ordered: &[&Issue],
    terms: &[u32],
    window_start: u32,
) -> BTreeMap<u32, Option<crate::bursts::Burst>> {
    let numbers: Vec<u32> = ordered.iter().map(|i| i.number).collect();
    let position: BTreeMap<u32, usize> = numbers.iter().enumerate().map(|(k, &n)| (n, k)).collect();
    // term → its column, dense: every term of every row is looked up.
    let mut column: Vec<Option<usize>> = vec![None; corpus.terms.len()];
    for (k, &t) in terms.iter().enumerate() {
        if let Some(slot) = column.get_mut(t as usize) {
            *slot = Some(k);
        }
    }
    let mut totals = vec![0u32; numbers.len()];
    let mut hits = vec![vec![0u32; numbers.len()]; terms.len()];
    for (row, entry) in corpus.entries.iter().enumerate() {
        let Some(&k) = position.get(&entry.issue) else {
            continue;
        };
        if entry.withdrawn {
            continue;
        }
        totals[k] += 1;
        for t in corpus.vectors.get(row).map_or(&[][..], |v| &v.indices[..]) {
            if let Some(Some(c)) = column.get(*t as usize) {
                hits[*c][k] += 1;
            }
        }
    }
    terms
        .iter()
        .zip(&hits)
        .map(|(&t, h)| {
            let states = crate::bursts::states(h, &totals);
            (t, crate::bursts::last_burst(&numbers, &states, window_start))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn percent(n: u32, of: u32) -> f64 {
    share(n, of) * 100.0
}

fn render_list(out: &mut String, title: &str, kind: &str, items: &[Scored], trends: &Trends) {
    let _ = writeln!(out, "{title}");
    if items.is_empty() {
        let _ = writeln!(out, "  (none)");
        return;
    }
    let _ = writeln!(
        out,
        "  {:>6}  {:>6}  {:>6}  {:>6}  {:>7}  {:>6}  {}",
        "z",
        "delta",
        "window",
        "win%",
        "before",
        "bef%",
        if kind == "topic" { "id  topic" } else { kind }
    );
    for s in items {
        // A topic by its id and label, and its label in the window; a term with its burst.
        let mut item = match s.topic {
            Some(id) => format!("{id:>2}  {}", s.item),
            None => s.item.clone(),
        };
        if let Some(label) = &s.window_label {
            let _ = write!(item, "  [in the window: {label}]");
        }
        if let Some(b) = &s.burst {
            let _ = write!(item, "  {}", burst_text(b));
        }
        // Terms and topic labels come from the archive's text: shown without control characters.
        let item = crate::escape::terminal(&item);
        let _ = writeln!(
            out,
            "  {:>6.2}  {:>6.2}  {:>6}  {:>5.1}%  {:>7}  {:>5.1}%  {item}",
            s.score.z,
            s.score.delta,
            s.window,
            percent(s.window, trends.window.entries),
            s.before,
            percent(s.before, trends.before.entries),
        );
    }
}

/// The table `weeklens trends` prints.
pub fn render_table(trends: &Trends) -> String {
    let mut out = String::new();
    let w = &trends.window;
    let b = &trends.before;
    for (label, side) in [("window", w), ("before", b)] {
        let _ = write!(
            out,
            "{label}: #{}–#{} ({} – {}), {} issues ({} title-only), {} entries",
            side.first_issue,
            side.last_issue,
            side.first_date,
            side.last_date,
            side.issues,
            side.titles_only,
            side.entries
        );
        let _ = match side.reshares {
            0 => writeln!(out),
            n => writeln!(out, " ({n} re-shared in the window, counted once)"),
        };
    }
    if !trends.formats_comparable {
        let _ = writeln!(
            out,
            "note: the window and the issues before it differ in format (title-only against full \
             descriptions): terms are counted in the titles, which both have"
        );
    }
    render_stories(&mut out, trends);
    let _ = writeln!(
        out,
        "scores: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008); \
         window/before: entries holding the term or in the topic, win%/bef%: of all entries"
    );
    for (kind, movers) in [("term", &trends.terms), ("topic", &trends.topics)] {
        let from = match (kind, trends.terms_from) {
            ("term", TermText::Titles) => ", in the titles",
            ("term", TermText::Full) => ", in titles and descriptions",
            _ => "",
        };
        let _ = writeln!(
            out,
            "\n{kind}s{from}: alpha0 {}, counted {} times in the window, {} before",
            movers.alpha0, movers.window_total, movers.before_total
        );
        render_list(&mut out, &format!("rising {kind}s"), kind, &movers.rising, trends);
        render_list(
            &mut out,
            &format!("new {kind}s (none before, ≥ {} in the window)", trends.min_new),
            kind,
            &movers.new,
            trends,
        );
        render_list(
            &mut out,
            &format!(
                "falling {kind}s (z ≤ −{FALLING_Z}, expected in ≥ {FALLING_EXPECTED} of the window's \
                 entries at the rate before it)"
            ),
            kind,
            &movers.falling,
            trends,
        );
    }
    out
}

fn burst_text(b: &crate::bursts::Burst) -> String {
    if b.ongoing {
        format!("(burst since #{}, still going)", b.since_issue)
    } else {
        format!("(burst #{}–#{})", b.since_issue, b.until_issue)
    }
}

/// The stories, first in the table: each with its names, size, span, what it continues and its
/// entries with their titles.
fn render_stories(out: &mut String, trends: &Trends) {
    let _ = writeln!(
        out,
        "\nstories: entries of the window about one development (tied by the related rows, \
         shared URLs, titles and PEPs); {} found",
        trends.stories.len()
    );
    for (n, story) in trends.stories.iter().enumerate() {
        let name = if story.name_zh == story.name {
            story.name.clone()
        } else {
            format!("{} / {}", story.name_zh, story.name)
        };
        let _ = writeln!(
            out,
            "  {}. {}  — {} entries ({:.1}% of the window), #{}–#{} in {} issues",
            n + 1,
            crate::escape::terminal(&name),
            story.distinct,
            story.share * 100.0,
            story.first_issue,
            story.last_issue,
            story.issues
        );
        if let Some(b) = &story.burst {
            let _ = writeln!(
                out,
                "     {} {}",
                crate::escape::terminal(&story.terms[0]),
                burst_text(b)
            );
        }
        if let Some(first) = story.continues.first() {
            let ids: Vec<String> = story.continues.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "     continues since #{}: {}", first.issue, ids.join(", "));
        }
        for (id, title) in story.entries.iter().zip(&story.titles) {
            let _ = writeln!(
                out,
                "     {:<20} {}",
                id.to_string(),
                crate::escape::terminal(title)
            );
        }
    }
}

pub fn render_json(trends: &Trends) -> String {
    serde_json::to_string_pretty(trends).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IssueFormat, StatedCounts, Translation};

    fn issue(number: u32, date: &str) -> Issue {
        Issue {
            number,
            date: date.parse().expect("date"),
            title: String::new(),
            format: IssueFormat::Full,
            source: format!("{date}-weekly.md"),
            stated: StatedCounts::default(),
            counts: CategoryCounts::default(),
            withdrawn: 0,
            paired: 0,
            translation: Translation::Present,
            filled: 0,
            en_title: None,
            past_links: Vec::new(),
            past_heading: None,
        }
    }

    fn score(window: &[u32], background: &[u32], alpha0: f64) -> Vec<LogOdds> {
        let corpus: Vec<u32> = window.iter().zip(background).map(|(a, b)| a + b).collect();
        log_odds(window, background, &dirichlet_prior(&corpus, alpha0))
            .into_iter()
            .map(|s| s.expect("defined"))
            .collect()
    }

    #[test]
    fn swapping_window_and_background_negates_z() {
        let (a, b) = ([30, 5, 1, 64], [100, 80, 2, 18]);
        for (x, y) in score(&a, &b, 50.0).iter().zip(score(&b, &a, 50.0)) {
            assert!((x.z + y.z).abs() < 1e-9, "{x:?} {y:?}");
            assert!((x.delta + y.delta).abs() < 1e-9);
            assert!((x.variance - y.variance).abs() < 1e-9);
        }
    }

    #[test]
    fn equal_rates_score_near_zero() {
        // The background is ten times the window, item for item.
        let window = [40, 120, 8, 232];
        let background: Vec<u32> = window.iter().map(|c| c * 10).collect();
        for s in score(&window, &background, 100.0) {
            assert!(s.z.abs() < 0.05, "{s:?}");
        }
        // While a doubled rate is clearly positive.
        let s = score(&[80, 120, 8, 192], &background, 100.0);
        assert!(s[0].z > 3.0, "{:?}", s[0]);
    }

    #[test]
    fn a_frequent_window_only_item_outranks_a_rare_one() {
        // Items 0 and 1 are absent before the window; 0 is in 40 window entries, 1 in 2.
        let s = score(&[40, 2, 100, 58], &[0, 0, 900, 600], 100.0);
        assert!(s[0].z > s[1].z, "{:?} vs {:?}", s[0], s[1]);
        assert!(s[1].z > 0.0);
        assert!(s[2].z < 0.0 || s[3].z < 0.0);
    }

    #[test]
    fn the_prior_sums_to_alpha0_and_a_larger_one_shrinks_rare_items_more() {
        let prior = dirichlet_prior(&[3, 1, 6], 20.0);
        assert!((prior.iter().sum::<f64>() - 20.0).abs() < 1e-12);
        assert!((prior[2] - 12.0).abs() < 1e-12);
        assert_eq!(dirichlet_prior(&[0, 0], 5.0), vec![0.0, 0.0]);
        // A rare item (3 against 0) and a common one (300 against 100), both rising.
        let window = [3, 300, 697];
        let background = [0, 100, 900];
        let weak = score(&window, &background, 10.0);
        let strong = score(&window, &background, 1000.0);
        assert!(strong[0].delta.abs() < weak[0].delta.abs());
        let rare_shrink = strong[0].delta / weak[0].delta;
        let common_shrink = strong[1].delta / weak[1].delta;
        assert!(rare_shrink < common_shrink, "{rare_shrink} vs {common_shrink}");
    }

    proptest::proptest! {
        #[test]
        fn scores_are_antisymmetric_and_defined_where_there_is_mass(
            pairs in proptest::collection::vec((0u32..200, 0u32..200), 3..30),
            alpha0 in 0.5f64..5000.0,
        ) {
            let window: Vec<u32> = pairs.iter().map(|p| p.0).collect();
            let background: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            let corpus: Vec<u32> = pairs.iter().map(|p| p.0 + p.1).collect();
            // Two items carrying the mass on each side keep n + α₀ − y − α above zero.
            proptest::prop_assume!(window.iter().filter(|&&c| c > 0).count() >= 2);
            proptest::prop_assume!(background.iter().filter(|&&c| c > 0).count() >= 2);
            let prior = dirichlet_prior(&corpus, alpha0);
            proptest::prop_assert!((prior.iter().sum::<f64>() - alpha0).abs() < 1e-6 * alpha0);
            let forward = log_odds(&window, &background, &prior);
            let backward = log_odds(&background, &window, &prior);
            for (i, (f, b)) in forward.iter().zip(&backward).enumerate() {
                proptest::prop_assert_eq!(f.is_some(), corpus[i] > 0);
                if let (Some(f), Some(b)) = (f, b) {
                    proptest::prop_assert!((f.z + b.z).abs() < 1e-9 * (1.0 + f.z.abs()));
                    proptest::prop_assert!(f.variance > 0.0);
                    // The sign follows the item's share of each side.
                    let a = f64::from(window[i]) / f64::from(window.iter().sum::<u32>());
                    let c = f64::from(background[i]) / f64::from(background.iter().sum::<u32>());
                    if a > c * 1.0001 {
                        proptest::prop_assert!(f.delta > 0.0, "{a} vs {c}: {f:?}");
                    } else if c > a * 1.0001 {
                        proptest::prop_assert!(f.delta < 0.0, "{a} vs {c}: {f:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_item_with_no_mass_has_no_score() {
        let scores = log_odds(&[0, 5, 5], &[0, 5, 7], &[0.0, 1.0, 1.0]);
        assert_eq!(scores[0], None);
        assert!(scores[1].is_some() && scores[2].is_some());
    }

    #[test]
    fn seasons_are_thirty_issues() {
        assert_eq!(season_of(1), 1);
        assert_eq!(season_of(30), 1);
        assert_eq!(season_of(31), 2);
        assert_eq!(season_of(60), 2);
        assert_eq!(season_of(61), 3);
        assert_eq!(
            Granularity::Season
                .period_of(&issue(31, "2023-12-16"))
                .to_string(),
            "S2"
        );
        assert_eq!(
            Granularity::Season
                .period_of(&issue(30, "2023-12-09"))
                .to_string(),
            "S1"
        );
    }

    #[test]
    fn months_and_quarters_come_from_dates() {
        let i = issue(55, "2024-06-08");
        assert_eq!(Granularity::Month.period_of(&i).to_string(), "2024-06");
        assert_eq!(Granularity::Quarter.period_of(&i).to_string(), "2024-Q2");
        assert_eq!(Granularity::Issue.period_of(&i).to_string(), "#55");
        let q = |d: &str| Granularity::Quarter.period_of(&issue(1, d)).to_string();
        assert_eq!(q("2024-01-01"), "2024-Q1");
        assert_eq!(q("2024-03-31"), "2024-Q1");
        assert_eq!(q("2024-04-01"), "2024-Q2");
        assert_eq!(q("2023-12-31"), "2023-Q4");
        // Keys sort in time order across years.
        assert!(
            Granularity::Month.period_of(&issue(1, "2023-12-30"))
                < Granularity::Month.period_of(&issue(2, "2024-01-06"))
        );
    }

    #[test]
    fn smoothing_keeps_counts_and_rows_summing_to_one() {
        let counts = vec![vec![4, 0], vec![0, 2], vec![1, 1], vec![0, 0], vec![3, 3]];
        let totals: Vec<u32> = counts.iter().map(|r| r.iter().sum()).collect();
        let smoothed = smooth(&counts, &totals, 1);
        for row in &smoothed {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{row:?}");
        }
        // Row 1 pools rows 0..=2: 5 of 8 in the first column; the first row pools 0..=1.
        assert!((smoothed[1][0] - 5.0 / 8.0).abs() < 1e-12);
        assert!((smoothed[0][0] - 4.0 / 6.0).abs() < 1e-12);
        // Radius 0 gives the raw shares; an empty row pools its neighbours.
        let raw = smooth(&counts, &totals, 0);
        assert_eq!(raw[0], vec![1.0, 0.0]);
        assert_eq!(raw[3], vec![0.0, 0.0]);
        assert!((smoothed[3][0] - 4.0 / 8.0).abs() < 1e-12);
        // Constant shares stay constant.
        let flat = smooth(&[vec![1, 3], vec![2, 6], vec![5, 15]], &[4, 8, 20], 1);
        for row in flat {
            assert!((row[0] - 0.25).abs() < 1e-12);
        }
    }

    fn entry(issue: u32, position: u32) -> Entry {
        Entry {
            title: String::new(),
            line: position,
            ..Entry::stub(issue, Category::Article, position)
        }
    }

    #[test]
    fn topic_shares_count_every_live_entry_once() {
        let issues = vec![
            issue(1, "2023-05-13"),
            issue(2, "2023-05-20"),
            issue(31, "2023-12-16"),
        ];
        let mut entries = vec![entry(1, 1), entry(1, 2), entry(2, 1), entry(31, 1), entry(31, 2)];
        entries[4].withdrawn = true;
        let assignments = vec![Some(7), Some(3), Some(7), Some(3), None];
        let by_month = topic_shares(&issues, &entries, &assignments, Granularity::Month, 1);
        assert_eq!(by_month.topics, vec![3, 7]);
        let labels: Vec<String> = by_month.rows.iter().map(|r| r.span.period.to_string()).collect();
        assert_eq!(labels, ["2023-05", "2023-12"]);
        assert_eq!(by_month.rows[0].counts, vec![1, 2]);
        assert_eq!(by_month.rows[0].entries, 3);
        assert_eq!(by_month.rows[1].counts, vec![1, 0]);
        let total: u32 = by_month.rows.iter().map(|r| r.entries).sum();
        assert_eq!(total, 4);
        let by_season = topic_shares(&issues, &entries, &assignments, Granularity::Season, 0);
        assert_eq!(by_season.rows[0].span.last_issue, 2);
        assert_eq!(by_season.rows[1].span.period, PeriodKey::Season(2));
        assert_eq!(by_season.rows[1].shares, vec![1.0, 0.0]);
    }

    #[test]
    fn share_tables_serialise_with_period_labels() {
        let issues = vec![issue(1, "2023-05-13"), issue(31, "2023-12-16")];
        let entries = vec![entry(1, 1), entry(31, 1)];
        let table = topic_shares(&issues, &entries, &[Some(2), Some(5)], Granularity::Season, 1);
        let json = serde_json::to_value(&table).expect("json");
        assert_eq!(json["granularity"], "season");
        assert_eq!(json["rows"][1]["period"], "S2");
        assert_eq!(json["rows"][1]["first_issue"], 31);
        assert_eq!(json["rows"][1]["counts"], serde_json::json!([0, 1]));
        assert_eq!(json["rows"][1]["smoothed"], serde_json::json!([0.5, 0.5]));
        let mut counted = issues.clone();
        counted[0].counts.add(Category::Project, 3);
        counted[1].counts.add(Category::Article, 1);
        let categories = category_shares(&counted, Granularity::Quarter, 0);
        let json = serde_json::to_value(&categories).expect("json");
        assert_eq!(json["rows"][0]["period"], "2023-Q2");
        assert_eq!(json["rows"][0]["counts"], serde_json::json!([0, 3, 0, 0, 0, 0]));
        assert_eq!(json["rows"][1]["shares"][0], 1.0);
    }

    #[test]
    fn each_rule_of_the_params_has_its_error() {
        let ok = TrendsParams::default();
        assert!(ok.check().is_ok());
        let with = |f: fn(&mut TrendsParams)| {
            let mut p = ok;
            f(&mut p);
            p.check().expect_err("rejected")
        };
        assert_eq!(with(|p| p.window = Window::Last(0)), TrendsError::WindowZero);
        assert_eq!(with(|p| p.top = 0), TrendsError::TopZero);
        assert_eq!(with(|p| p.min_new = 0), TrendsError::MinNewZero);
        assert!(matches!(with(|p| p.alpha0_terms = 0.0), TrendsError::Alpha0(_)));
        assert!(matches!(
            with(|p| p.alpha0_topics = f64::NAN),
            TrendsError::Alpha0(_)
        ));
    }

    /// Six issues of four entries; topic 9 and the term "agent" appear in issues 5 and 6 only.
    fn toy() -> Loaded {
        let issues: Vec<Issue> = (1..=6)
            .map(|n| issue(n, &format!("2024-01-{:02}", n * 5)))
            .collect();
        let mut entries = Vec::new();
        let mut vectors = Vec::new();
        let mut assignments = Vec::new();
        for n in 1..=6u32 {
            for p in 1..=4u32 {
                entries.push(entry(n, p));
                // Term 0 everywhere; term 1 only in issues 5 and 6; term 2 only before.
                let mut indices = vec![0];
                if n >= 5 {
                    indices.push(1);
                } else if p == 1 {
                    indices.push(2);
                }
                vectors.push(SparseVector {
                    values: vec![1.0; indices.len()],
                    indices,
                });
                assignments.push(Some(if n >= 5 && p <= 3 { 9 } else { 4 }));
            }
        }
        let terms = vec!["python".to_string(), "agent".to_string(), "gil".to_string()];
        Loaded {
            issues,
            entries,
            related: vectors.clone(),
            vectors,
            shown: vec!["Python".to_string(), "agent".to_string(), "GIL".to_string()],
            terms,
            assignments,
            topics: vec![view(4), view(9)],
            text: TermText::Full,
        }
    }

    fn view(id: u32) -> TopicView {
        TopicView {
            id,
            size: 0,
            name: None,
            label_zh: vec!["智能体".to_string()],
            label_en: vec!["agent".to_string(), "llm".to_string(), "tool".to_string()],
            merged: Vec::new(),
            central: Vec::new(),
            npmi: 0.0,
        }
    }

    #[test]
    fn a_window_against_everything_before_it() {
        let loaded = toy();
        let corpus = loaded.corpus();
        let params = TrendsParams {
            window: Window::Last(2),
            ..TrendsParams::default()
        }
        .check()
        .expect("valid");
        let t = compute(&corpus, &params).expect("trends");
        assert_eq!(
            (t.window.first_issue, t.window.last_issue, t.window.entries),
            (5, 6, 8)
        );
        assert_eq!(
            (t.before.first_issue, t.before.last_issue, t.before.entries),
            (1, 4, 16)
        );
        assert_eq!(t.terms.new[0].item, "agent");
        assert_eq!((t.terms.new[0].window, t.terms.new[0].before), (8, 0));
        assert!(
            t.terms.rising.iter().all(|s| s.item != "agent"),
            "new is not rising"
        );
        // "gil" is absent from the window, but at its rate before (4 of 16 entries) only 2 of
        // the window's 8 were expected to hold it: too rare for its absence to say anything.
        assert!(t.terms.falling.iter().all(|s| s.term.as_deref() != Some("gil")));
        assert!(t.terms.falling.iter().all(|s| s.score.z <= -FALLING_Z));
        assert_eq!(t.terms.window_total, 16);
        assert_eq!(t.terms.before_total, 20);
        assert_eq!(t.topics.new[0].topic, Some(9));
        assert_eq!(t.topics.new[0].item, "智能体 / agent llm");
        // Topic 4 held every entry before and 2 of 8 now: expected in 8, significant.
        assert_eq!(t.topics.falling[0].topic, Some(4));
        assert_eq!((t.topics.falling[0].window, t.topics.falling[0].before), (2, 16));

        // The same window by date.
        let since = TrendsParams {
            window: Window::Since("2024-01-25".parse().expect("date")),
            ..TrendsParams::default()
        }
        .check()
        .expect("valid");
        assert_eq!(compute(&corpus, &since).expect("trends"), t);
    }

    #[test]
    fn an_empty_window_or_background_is_an_error() {
        let loaded = toy();
        let corpus = loaded.corpus();
        let run = |window| {
            compute(
                &corpus,
                &TrendsParams {
                    window,
                    ..TrendsParams::default()
                }
                .check()
                .expect("valid"),
            )
        };
        assert_eq!(run(Window::Last(6)), Err(TrendsError::EmptyBackground(6)));
        assert_eq!(run(Window::Last(60)), Err(TrendsError::EmptyBackground(6)));
        let late: NaiveDate = "2025-01-01".parse().expect("date");
        assert_eq!(run(Window::Since(late)), Err(TrendsError::EmptyWindow(late)));
        let early: NaiveDate = "2020-01-01".parse().expect("date");
        assert_eq!(run(Window::Since(early)), Err(TrendsError::EmptyBackground(6)));
    }
}
