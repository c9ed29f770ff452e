//! A window of issues against everything before it: the parameters, the view of the corpus
//! counted in, and [`compute`] with its movers, labels and bursts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::periods::{PeriodKey, PeriodSpan};
use super::statistics::{dirichlet_prior, log_odds, LogOdds};
use crate::error::Result;
use crate::model::{Entry, Issue, IssueFormat};
use crate::parse::markdown::has_cjk;
use crate::stories::{self, Story, StoryCorpus, StoryParams};
use crate::topics::TopicView;
use crate::vectorize::SparseVector;
use crate::wording;

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

/// The strongest prior a trend comparison takes (`alpha0_terms`, `alpha0_topics`): a billion
/// pseudo-counts outweighs any archive; far beyond it the counts are lost in the prior's
/// precision (the scores go wrong by 1e20, every list is empty by 1e100).
pub const MAX_ALPHA0: f64 = 1e9;

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
    #[error("the prior's alpha0 must be a positive number up to {MAX_ALPHA0:e} (got {0})")]
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
    #[error(
        "nothing before the window: issues {from} to {to} begin with the store's first issue, \
         #{first}; choose a --from after {first}"
    )]
    RangeFromFirst { from: u32, to: u32, first: u32 },
    #[error(
        "the store holds no topics: its archive has too few entries to find any (build it from more issues)"
    )]
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
            if !(alpha0.is_finite() && alpha0 > 0.0 && alpha0 <= MAX_ALPHA0) {
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
    /// [`Corpus::of`]); only the indices are read (a report's rows carry no values).
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
    /// Where given, each entry's title terms by language (`translations.parquet`, in the order of
    /// `entries`): a term only an English translation writes is then not counted, so a report in
    /// Chinese ranks the words the Chinese titles write ("via" and "powerful" of the
    /// translations do not rise; "Django" and "AI", which the Chinese titles write, do).
    pub chinese_titles: Option<&'a [SparseVector]>,
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

impl<'a> Corpus<'a> {
    /// The view of `corpus` that trends count in: its terms from `text`, the editor's topic edits
    /// (given when the corpus was opened) applied.
    pub fn of(corpus: &'a crate::corpus::Corpus, text: TermText) -> Result<Corpus<'a>> {
        let vocabulary = corpus.vocabulary()?;
        let vectors = match text {
            TermText::Titles => corpus.title_rows()?,
            TermText::Full => corpus.vectors()?,
        };
        Ok(Corpus {
            issues: corpus.issues()?,
            entries: corpus.entries()?,
            vectors,
            terms: vocabulary.terms(),
            shown: vocabulary.shown(),
            assignments: corpus.assignments()?,
            topics: corpus.topics()?,
            text,
            related: corpus.related_rows()?,
            chinese_titles: None,
        })
    }

    /// The terms counted of row `row`: its row's (`vectors`), less those only its English
    /// translation writes where [`Corpus::chinese_titles`] is given.
    pub fn terms_of(&self, row: usize) -> impl Iterator<Item = u32> + '_ {
        // Both rows ascending: the translation row is walked beside the terms, once.
        let mut only = self
            .chinese_titles
            .and_then(|rows| rows.get(row))
            .map(crate::vectorize::translation_only_terms)
            .into_iter()
            .flatten()
            .peekable();
        self.vectors
            .get(row)
            .map_or(&[][..], |v| &v.indices[..])
            .iter()
            .copied()
            .filter(move |&t| {
                while only.next_if(|&o| o < t).is_some() {}
                only.peek() != Some(&t)
            })
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
    /// For a term: the term of the other language that translates it (a Chinese title's word
    /// and its translation's: `skills` and 技能, see [`compute`]), with its own counts, listed
    /// with it as one row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<Box<Scored>>,
    /// Entries of the window that hold the term (are in the topic).
    pub window: u32,
    /// The same before the window.
    pub before: u32,
    #[serde(flatten)]
    pub score: LogOdds,
}

impl Scored {
    /// The item as a list shows it: with its translation where it has one ("skills / 技能").
    pub fn shown(&self) -> String {
        match &self.translation {
            Some(other) => format!("{} / {}", self.item, other.item),
            None => self.item.clone(),
        }
    }
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

/// A rising item must be this significant (z at least this: two-sided 5%), and in at least
/// `min_new` of the window's entries.
pub const RISING_Z: f64 = 1.96;
/// A falling item must be this significant (z at most minus this: two-sided 5%) ...
pub const FALLING_Z: f64 = 1.96;
/// ... and expected in at least this many of the window's entries at its rate before the
/// window: an item too rare to be missed says nothing by being absent.
pub const FALLING_EXPECTED: f64 = 5.0;

pub(super) fn side(issues: &[&Issue], entries: u32, reshares: u32) -> Side {
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

/// Ranks items into rising, falling and new lists. `label(i)` names item `i`; `translates(i, j)`,
/// where given, tells whether items `i` and `j`, words of two languages, are one word and its
/// translation, listed as one row.
pub(super) fn movers(
    window: &[u32],
    before: &[u32],
    entries: [u32; 2],
    alpha0: f64,
    params: &TrendsParams,
    label: impl Fn(usize) -> (String, Option<String>, Option<u32>),
    translates: Option<&dyn Fn(usize, usize) -> bool>,
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
        let scored = Scored {
            item,
            term,
            topic,
            window_label: None,
            burst: None,
            translation: None,
            window: window[i],
            before: before[i],
            score,
        };
        (i, scored)
    };
    let list =
        |items: &mut dyn Iterator<Item = (usize, Scored)>| one_row_a_word(items, params.top, translates);
    // Rising, as falling, only where it carries information: significant, and in as many of the
    // window's entries as a new item must be (one entry more than before is no rise).
    let rising = list(
        &mut scored
            .iter()
            .filter(|(i, s)| s.z >= RISING_Z && before[*i] > 0 && window[*i] >= params.min_new)
            .map(make),
    );
    let new = list(
        &mut scored
            .iter()
            .filter(|(i, _)| before[*i] == 0 && window[*i] >= params.min_new)
            .map(make),
    );
    // Falling only where it carries information: significant, and frequent enough before the
    // window that its absence in the window is unlikely by chance.
    let rate = |i: usize| f64::from(before[i]) / f64::from(entries[1].max(1));
    let falling = list(
        &mut scored
            .iter()
            .rev()
            .filter(|(i, s)| s.z <= -FALLING_Z && rate(*i) * f64::from(entries[0]) >= FALLING_EXPECTED)
            .map(make),
    );
    Movers {
        alpha0,
        window_total: window.iter().sum(),
        before_total: before.iter().sum(),
        rising,
        falling,
        new,
    }
}

/// The first `top` rows of `items` (each with its index), each word once. Two terms shown alike
/// (`multi-agent`, and `multi`, written only as a part of it) are one word to a reader, listed
/// where the first stands; a term of the other language than a listed one that `translates` it
/// (`skills` and 技能) is that row's translation. A topic is its id, whatever its label.
fn one_row_a_word(
    items: &mut dyn Iterator<Item = (usize, Scored)>,
    top: usize,
    translates: Option<&dyn Fn(usize, usize) -> bool>,
) -> Vec<Scored> {
    let mut out: Vec<(usize, Scored)> = Vec::new();
    let mut shown = BTreeSet::new();
    let mut past = 0;
    for (i, s) in items {
        if s.term.is_some() {
            if !shown.insert(s.item.to_lowercase()) {
                continue;
            }
            let pair = translates.and_then(|translates| {
                out.iter_mut().find(|(j, row)| {
                    row.term.is_some()
                        && row.translation.is_none()
                        && has_cjk(&row.item) != has_cjk(&s.item)
                        && translates(*j, i)
                })
            });
            if let Some((_, row)) = pair {
                row.translation = Some(Box::new(s));
                continue;
            }
        }
        if out.len() < top {
            out.push((i, s));
        } else {
            // Past the list's end only a listed row's translation is still looked for, among the
            // next items: a word and its translation rank alike.
            past += 1;
            if past > 2 * top {
                break;
            }
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

/// Each topic's label by id: the editor's name, else its first two Chinese and English terms
/// ([`TopicView::label`]; as the store shows them: the words the archive writes, see
/// [`crate::vectorize::FittedTfIdf::shown`]).
pub fn topic_labels(topics: &[TopicView]) -> BTreeMap<u32, String> {
    topics
        .iter()
        .map(|v| (v.id, v.label(None, LABEL_TERMS)))
        .collect()
}

/// Chinese and English terms in a topic's label, each.
pub const LABEL_TERMS: usize = 2;

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
        return Err(match params.window {
            Window::Issues { from, to } => TrendsError::RangeFromFirst {
                from,
                to,
                first: window_issues[0].number,
            },
            _ => TrendsError::EmptyBackground(window_issues.len()),
        });
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
    // The window's entries each term is counted in (rows ascending): what tells a word and its
    // translation.
    let mut window_of: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut topics = [vec![0u32; topic_ids.len()], vec![0u32; topic_ids.len()]];
    let mut entries = [0u32; 2];
    let mut reshares = [0u32; 2];
    // The window counts a resource once: the keys (URL, titles) seen in it so far.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut window_rows: Vec<usize> = Vec::new();
    let mut counted_window: Vec<usize> = Vec::new();
    let mut before_rows: Vec<usize> = Vec::new();
    let mut side_of = ByIssueRun::new(|issue| {
        if window_numbers.contains(&issue) {
            Some(0)
        } else if before_numbers.contains(&issue) {
            Some(1)
        } else {
            None
        }
    });
    for (row, entry) in corpus.entries.iter().enumerate() {
        if entry.withdrawn {
            continue;
        }
        let side = match side_of.get(entry.issue) {
            Some(0) => {
                window_rows.push(row);
                0
            }
            Some(_) => {
                before_rows.push(row);
                1
            }
            None => continue,
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
        for t in corpus.terms_of(row) {
            if let Some(slot) = terms[side].get_mut(t as usize) {
                *slot += 1;
                if side == 0 {
                    window_of.entry(t).or_default().push(row as u32);
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
    // A word and its translation (a Chinese title's word and its translation's, `skills` and 技能):
    // at least three of the window's entries, and at least half of those either is in, hold
    // both, and before the window neither is in more than twice the entries the other is. Never a
    // name: "Pyrefly" stands beside 类型检查器 in every title that names it, and translates none.
    let named = |i: usize| {
        let term = corpus.terms.get(i).map_or("", String::as_str);
        crate::related::is_name(term, corpus.shown.get(i).map_or(term, String::as_str))
    };
    let translates = |i: usize, j: usize| {
        let (Some(a), Some(b)) = (window_of.get(&(i as u32)), window_of.get(&(j as u32))) else {
            return false;
        };
        if named(i) || named(j) {
            return false;
        }
        let both = a.iter().filter(|row| b.binary_search(row).is_ok()).count();
        let either = a.len() + b.len() - both;
        let (x, y) = (terms[1][i], terms[1][j]);
        both >= 3 && 2 * both >= either && x.max(y) <= 2 * x.min(y)
    };
    let terms = movers(
        &terms[0],
        &terms[1],
        entries,
        params.alpha0_terms,
        params,
        |i| {
            let term = corpus.terms[i].clone();
            (
                corpus.shown.get(i).cloned().unwrap_or_else(|| term.clone()),
                Some(term),
                None,
            )
        },
        Some(&translates),
    );
    let labels = topic_labels(corpus.topics);
    let story_corpus = StoryCorpus {
        entries: corpus.entries,
        rows: corpus.related,
        shown: corpus.shown,
        topics: corpus.assignments,
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
        None,
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

/// A lookup by issue number asked once per run of entries of one issue (the entries come in
/// runs of one issue: a million entries, a few tens of thousands of lookups).
struct ByIssueRun<T, F> {
    lookup: F,
    last: Option<(u32, T)>,
}

impl<T: Copy, F: FnMut(u32) -> T> ByIssueRun<T, F> {
    fn new(lookup: F) -> Self {
        ByIssueRun { lookup, last: None }
    }

    /// The lookup's answer for `issue`: the last one again while the issue stays the same.
    fn get(&mut self, issue: u32) -> T {
        match self.last {
            Some((last, value)) if last == issue => value,
            _ => {
                let value = (self.lookup)(issue);
                self.last = Some((issue, value));
                value
            }
        }
    }
}

/// A topic's label in the window: the terms of its entries there (at least two of them hold
/// each), weighted by how rare the term is among all the window's entries (class-based TF-IDF
/// within the window), two per language as [`topic_labels`] shows them. `None` when no term is
/// held twice.
pub(super) fn window_label(
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
        for t in corpus.terms_of(r) {
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
    // As every label: no word twice, in the order the topic's titles in the window write them.
    let members = || {
        rows.iter()
            .filter(|&&r| corpus.assignments.get(r).copied().flatten() == Some(topic))
            .filter_map(|&r| corpus.entries.get(r))
    };
    let zh_titles: Vec<&str> = members().map(|e| e.title.as_str()).collect();
    let en_titles: Vec<&str> = members()
        .map(|e| e.en_title.as_deref().unwrap_or(&e.title))
        .collect();
    let zh = wording::label_words(words.iter().filter(|w| is_zh(w)), LABEL_TERMS, &zh_titles);
    let en = wording::label_words(words.iter().filter(|w| !is_zh(w)), LABEL_TERMS, &en_titles);
    match (zh.is_empty(), en.is_empty()) {
        (true, true) => None,
        (false, false) => Some(format!("{} / {}", zh.join(" "), en.join(" "))),
        (true, false) => Some(en.join(" ")),
        (false, true) => Some(zh.join(" ")),
    }
}

/// The burst reaching the window of each of `terms` ([`crate::bursts`]), over the issues of
/// `ordered` (up to the window's end), counted in `corpus.vectors`.
pub(super) fn term_bursts(
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
    let mut position_of = ByIssueRun::new(|issue| position.get(&issue).copied());
    for (row, entry) in corpus.entries.iter().enumerate() {
        let Some(k) = position_of.get(entry.issue) else {
            continue;
        };
        if entry.withdrawn {
            continue;
        }
        totals[k] += 1;
        // The terms counted are among the row's: a row holding none of `terms` needs no walk
        // of its translation row (most rows, for a few dozen terms).
        let row_terms = corpus.vectors.get(row).map_or(&[][..], |v| &v.indices[..]);
        if !row_terms
            .iter()
            .any(|&t| column.get(t as usize).is_some_and(Option::is_some))
        {
            continue;
        }
        for t in corpus.terms_of(row) {
            if let Some(Some(c)) = column.get(t as usize) {
                hits[*c][k] += 1;
            }
        }
    }
    last_bursts(terms, &hits, &totals, &numbers, window_start)
}

/// Each of `terms`' last burst up to `window_start`: its entries per issue (`hits`, in the order
/// of `terms`) against the live entries per issue (`totals`), the issues `numbers` in order.
pub(super) fn last_bursts(
    terms: &[u32],
    hits: &[Vec<u32>],
    totals: &[u32],
    numbers: &[u32],
    window_start: u32,
) -> BTreeMap<u32, Option<crate::bursts::Burst>> {
    terms
        .iter()
        .zip(hits)
        .map(|(&t, h)| {
            let states = crate::bursts::states(h, totals);
            (t, crate::bursts::last_burst(numbers, &states, window_start))
        })
        .collect()
}
