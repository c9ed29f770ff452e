//! The editor's batch reports: one window of issues (a season, or a range) summarised from the
//! store — counts, charts, the window's topics, rising and new themes, re-shares, sources and
//! cross-references to earlier issues. The last stage: it reads [`crate::trends`],
//! [`crate::related`], [`crate::check`] and draws with [`crate::chart`].
//!
//! [`compute`] builds a [`Report`] record; [`render_markdown`] and [`render_html`] turn it into
//! text (pure, so they are snapshot-tested); [`write`] is the one place that creates files:
//! `<out>/<name>/index.md`, a self-contained `index.html` with the charts inline, and the chart
//! files, written into a temporary directory and renamed into place.
//!
//! Split by job: `load` ([`Inputs`], its view of the read path's corpus, and [`Through`], the
//! store read up to the last window's end), `summary` (the editor's season
//! summary: span, counts, the typical issue, shares, the previous season, the cloud's words),
//! `sections` (topics, re-shares, sources, cross-references), `charts` (the [`NamedChart`]s),
//! `compilation` (the season compilation and its link-only edition), `metrics` (reader
//! numbers), `i18n` (every word the report writes, Chinese and English), `markdown` and `html`
//! (pure renderers) and `write` (the files).

use chrono::NaiveDate;
use serde::Serialize;

use crate::chart::Chart;
use crate::model::{CategoryCounts, Issue, Lang};
use crate::parse::markdown::has_cjk;
use crate::terms::SEASON_LENGTH;
use crate::trends::{self, Trends};

mod charts;
pub mod compilation;
mod files;
mod html;
pub mod i18n;
mod load;
mod markdown;
pub mod metrics;
mod sections;
pub mod summary;
mod write;

pub use compilation::{render_compilation, render_links, Compilation};
pub use html::render_html;
use i18n::Msg;
pub use i18n::Words;
pub use load::{Inputs, Through};
pub use markdown::render_markdown;
pub use metrics::{MetricRow, Metrics, MetricsError};
pub use summary::{Comparison, Pattern};
pub use write::{stage_report, write, Staged};

use crate::model::{Entry, EntryId};
use charts::{charts, TopicTables};
use sections::{cross_refs, reshares, sources, window_topics};
use std::collections::BTreeMap;

/// Which issues a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Issues 30(N−1)+1 … 30N.
    Season(u32),
    /// Issues `from` … `to`, both included.
    Issues { from: u32, to: u32 },
}

impl Scope {
    /// The report's directory name: `season-3`, `issues-61-90`.
    pub fn name(self) -> String {
        match self {
            Scope::Season(n) => format!("season-{n}"),
            Scope::Issues { from, to } => format!("issues-{from}-{to}"),
        }
    }

    pub fn first(self) -> u32 {
        match self {
            Scope::Season(n) => SEASON_LENGTH * (n - 1) + 1,
            Scope::Issues { from, .. } => from,
        }
    }

    pub fn last(self) -> u32 {
        match self {
            Scope::Season(n) => SEASON_LENGTH * n,
            Scope::Issues { to, .. } => to,
        }
    }

    pub fn contains(self, issue: u32) -> bool {
        (self.first()..=self.last()).contains(&issue)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error("seasons are numbered from 1 (got 0)")]
    SeasonZero,
    #[error("the range of issues {from}–{to} ends before it starts")]
    BadRange { from: u32, to: u32 },
    #[error("{scope} holds no issue of the store (its issues are #{first}–#{last})")]
    EmptyScope { scope: String, first: u32, last: u32 },
    #[error("trends: {0}")]
    Trends(#[from] trends::TrendsError),
    #[error("reader numbers: {0}")]
    Metrics(#[from] MetricsError),
    /// The store's index file, read for the re-share check, failed: its error's message (which
    /// names the file; the records of this error are compared and cloned, the store's are not).
    #[error("{0}")]
    Read(String),
}

/// An entry as a report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRef {
    pub id: EntryId,
    pub date: NaiveDate,
    /// The title in the report's language: the issue's (Chinese), or in English its
    /// translation's where it has one.
    pub title: String,
    pub url: Option<String>,
    /// The translation's title, which an English report shows.
    #[serde(skip)]
    en_title: Option<String>,
    /// In an English report, a title left in Chinese: the issue's translation has none for it.
    #[serde(skip)]
    pub untranslated: bool,
}

/// A topic as it stands in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowTopic {
    pub id: u32,
    pub label: String,
    /// The window's entries in the topic, and their share of the window's entries.
    pub entries: u32,
    pub share: f64,
    /// The topic's share of the entries before the window.
    pub share_before: f64,
    /// The window's entries nearest the topic's centre in the window.
    pub representatives: Vec<EntryRef>,
}

/// An entry of the window that shares again what an earlier entry shared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reshare {
    pub later: EntryRef,
    pub earlier: EntryRef,
    /// Why they count as the same (canonical URL, repository, project name, title, text).
    pub reasons: Vec<String>,
    /// The earlier entry is inside the window too.
    pub within: bool,
}

/// Where the window's entries link to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sources {
    /// Hosts by the number of entries linking there, most first (ties by name).
    pub domains: Vec<(String, u32)>,
    /// Entries whose source reads as English, as Chinese, or is a code repository (the language
    /// of a repository says nothing); entries without a link are not counted.
    pub english: u32,
    pub chinese: u32,
    pub repositories: u32,
    /// Entries without a link (title-only issues).
    pub unlinked: u32,
}

/// An entry of the window and the earlier entry most like it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossRef {
    pub entry: EntryRef,
    pub earlier: EntryRef,
    pub score: f32,
    pub shared: Vec<String>,
}

/// A chart of the report and the name of its files (`<file>.svg`, `<file>.png`).
#[derive(Debug, Clone)]
pub struct NamedChart {
    pub file: String,
    pub chart: Chart,
}

/// What a report holds besides its sections: its language, the compilation files and reader
/// numbers.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// Also write the season compilation and the link-only edition beside the report.
    pub compilation: bool,
    pub metrics: Option<Metrics>,
}

impl Default for Options {
    /// Chinese, as the editor writes; no compilation, no reader numbers.
    fn default() -> Options {
        Options {
            lang: Lang::Zh,
            compilation: false,
            metrics: None,
        }
    }
}

/// How many issues the reads table lists.
pub const TOP_READS: usize = 10;

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub lang: Lang,
    /// The season, for a season's report.
    pub season: Option<u32>,
    pub title: String,
    pub first_issue: u32,
    pub last_issue: u32,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub issues: u32,
    pub counts: CategoryCounts,
    /// The typical issue ("12 + 12 + x").
    pub pattern: Pattern,
    /// The previous season (or as many issues before a range); `None` when the store has none.
    pub previous: Option<Comparison>,
    /// Issues of the window that keep titles only (no links in the archive).
    pub title_only: u32,
    /// Whether an entry of the window has a description (the word cloud is made of its titles
    /// alone when none has).
    pub described: bool,
    pub topics: Vec<WindowTopic>,
    /// Rising, falling and new themes against everything before the window; `None` for a window
    /// that starts with the first issue.
    pub trends: Option<Trends>,
    pub reshares: Vec<Reshare>,
    pub sources: Sources,
    pub cross_refs: Vec<CrossRef>,
    pub charts: Vec<NamedChart>,
    /// The season compilation and link-only edition, when asked for.
    pub compilation: Option<Compilation>,
    /// Each issue's own title (without the newsletter's name), for the reads table.
    pub issue_titles: BTreeMap<u32, String>,
    /// The top issues by reads, and the file they came from, when reader numbers were given.
    pub reads: Option<(Metrics, Vec<MetricRow>)>,
    // A place for the stories section (helper "stories", trends/): a field here, filled in
    // `compute`, rendered in `markdown.rs` after the rising and new themes.
}

/// Checks a scope against the store's issues.
pub fn check_scope(scope: Scope) -> Result<Scope, ReportError> {
    match scope {
        Scope::Season(0) => Err(ReportError::SeasonZero),
        Scope::Issues { from, to } if from > to => Err(ReportError::BadRange { from, to }),
        scope => Ok(scope),
    }
}

fn entry_ref(e: &Entry, dates: &BTreeMap<u32, NaiveDate>) -> EntryRef {
    EntryRef {
        id: e.id(),
        date: dates.get(&e.issue).copied().unwrap_or_default(),
        title: e.title.clone(),
        url: e.url.clone(),
        en_title: e.en_title.clone(),
        untranslated: false,
    }
}

/// Terms and topics listed per list (rising, falling, new).
const TOP_MOVERS: usize = 10;

/// The movers of an English report: its terms without the Chinese ones (a row of a Chinese word
/// and its English translation as the English word, with its own counts), each list as long as
/// a Chinese report's.
fn english_movers(trends: &mut Trends) {
    for (list, falling) in [
        (&mut trends.terms.rising, false),
        (&mut trends.terms.falling, true),
        (&mut trends.terms.new, false),
    ] {
        for s in list.iter_mut() {
            if let Some(other) = s.translation.take() {
                if has_cjk(&s.item) {
                    *s = *other;
                }
            }
        }
        list.retain(|s| !has_cjk(&s.item));
        // A translation stood where its Chinese word did: in its own place by its own score, as
        // `trends` orders a list (ties by the larger window count, then the term; a falling list
        // the other way round).
        list.sort_by(|a, b| {
            let order = b
                .score
                .z
                .total_cmp(&a.score.z)
                .then(b.window.cmp(&a.window))
                .then(a.term.cmp(&b.term));
            if falling {
                order.reverse()
            } else {
                order
            }
        });
        list.truncate(TOP_MOVERS);
    }
    for list in [
        &mut trends.topics.rising,
        &mut trends.topics.falling,
        &mut trends.topics.new,
    ] {
        list.truncate(TOP_MOVERS);
    }
}

/// The report's archive words in its language. In English: each entry's title is its
/// translation's where it has one, each topic is named by its English terms, and the terms two
/// entries share are its English ones (the Chinese where they share no English term). A Chinese
/// report is left as computed (titles as the issues print them, labels in both languages).
fn localise(report: &mut Report, inputs: &Inputs, window_entries: &[&Entry]) {
    if report.lang != Lang::En {
        return;
    }
    let label = |id: u32| inputs.label_in(id, Lang::En);
    let english = |e: &mut EntryRef| match &e.en_title {
        Some(en) => e.title = en.clone(),
        None => e.untranslated = has_cjk(&e.title),
    };
    let untranslated = Words::new(Lang::En).get(Msg::NotTranslated);
    for topic in &mut report.topics {
        topic.label = label(topic.id);
        topic.representatives.iter_mut().for_each(english);
    }
    if let Some(previous) = &mut report.previous {
        for shift in previous.grown.iter_mut().chain(&mut previous.shrunk) {
            shift.label = label(shift.id);
        }
    }
    for reshare in &mut report.reshares {
        english(&mut reshare.later);
        english(&mut reshare.earlier);
    }
    for cross in &mut report.cross_refs {
        english(&mut cross.entry);
        english(&mut cross.earlier);
        if cross.shared.iter().any(|t| !has_cjk(t)) {
            cross.shared.retain(|t| !has_cjk(t));
        }
    }
    if let Some(trends) = &mut report.trends {
        let topics = &mut trends.topics;
        for scored in topics
            .rising
            .iter_mut()
            .chain(&mut topics.falling)
            .chain(&mut topics.new)
        {
            if let Some(id) = scored.topic {
                scored.item = label(id);
            }
        }
        let titles: BTreeMap<EntryId, &str> = window_entries
            .iter()
            .filter_map(|e| Some((e.id(), e.en_title.as_deref()?)))
            .collect();
        for story in &mut trends.stories {
            for (id, title) in story.entries.iter().zip(&mut story.titles) {
                match titles.get(id) {
                    Some(en) => *title = en.to_string(),
                    None if has_cjk(title) => *title = format!("{title} {untranslated}"),
                    None => {}
                }
            }
        }
    }
}

/// Builds the report of `scope` from `inputs`.
pub fn compute(inputs: &Inputs, scope: Scope, options: &Options) -> Result<Report, ReportError> {
    let scope = check_scope(scope)?;
    let data = &inputs.trends;
    let window_issues: Vec<&Issue> = data.issues.iter().filter(|i| scope.contains(i.number)).collect();
    let (Some(first), Some(last)) = (window_issues.first(), window_issues.last()) else {
        return Err(ReportError::EmptyScope {
            scope: match scope {
                Scope::Season(n) => format!("season {n}"),
                Scope::Issues { from, to } => format!("issues {from}–{to}"),
            },
            first: data.issues.iter().map(|i| i.number).min().unwrap_or(0),
            last: data.issues.iter().map(|i| i.number).max().unwrap_or(0),
        });
    };
    let dates: BTreeMap<u32, NaiveDate> = data.issues.iter().map(|i| (i.number, i.date)).collect();
    let rows: Vec<usize> = (0..data.entries.len())
        .filter(|&r| !data.entries[r].withdrawn && scope.contains(data.entries[r].issue))
        .collect();
    let window_entries: Vec<&Entry> = rows.iter().map(|&r| &data.entries[r]).collect();
    let mut counts = CategoryCounts::default();
    for e in &window_entries {
        counts.add(e.category, 1);
    }
    let has_background = data.issues.iter().any(|i| i.number < scope.first());
    let words = Words::of(options.lang, matches!(scope, Scope::Season(_)));
    // Independent parts, run side by side: the trends, the translation pairs of the cloud, the
    // topic charts' shares, and the window's topics with the comparison with the season before
    // on one side; the re-share check and the cross-references on the other (the trends and the
    // pairs each take one core; the searches of the re-share check and the cross-references take
    // any).
    let trends_part = || -> Result<Option<Trends>, ReportError> {
        if !has_background {
            return Ok(None);
        }
        // An English report lists English terms only: more are ranked, so that as many
        // remain once the Chinese ones are left out.
        let params = trends::TrendsParams {
            window: trends::Window::Issues {
                from: scope.first(),
                to: scope.last(),
            },
            top: match options.lang {
                Lang::Zh => TOP_MOVERS,
                Lang::En => 3 * TOP_MOVERS,
            },
            ..trends::TrendsParams::default()
        }
        .check()?;
        let mut trends = trends::compute(&inputs.trends_in(options.lang), &params)?;
        if options.lang == Lang::En {
            english_movers(&mut trends);
        }
        Ok(Some(trends))
    };
    let pairs_part = || inputs.translations.pairs_through(scope.last());
    let shares_part = || TopicTables::of(inputs, scope);
    let topics_part = || {
        (
            window_topics(inputs, scope, &rows, &dates),
            summary::compare(inputs, scope, &rows),
        )
    };
    let reshares_part = || reshares(inputs, scope, &window_issues, &dates, words);
    let cross_refs_part = || cross_refs(inputs, scope, &rows, &dates, words);
    // rayon runs the first of two closures on the calling thread at once and leaves the second
    // to any idle one: the parts on one core first, so that they start at once.
    let ((trends, (pairs, (shares, (topics, previous)))), (reshares, cross_refs)) = rayon::join(
        || {
            rayon::join(trends_part, || {
                rayon::join(pairs_part, || rayon::join(shares_part, topics_part))
            })
        },
        || rayon::join(reshares_part, cross_refs_part),
    );
    let (reshares, trends, cross_refs) = (reshares?, trends?, cross_refs?);
    let charts = charts(inputs, scope, &rows, trends.as_ref(), words, &pairs, shares);
    let reads = options.metrics.as_ref().map(|m| {
        let top = m.top(TOP_READS, |issue| scope.contains(issue));
        (m.clone(), top)
    });
    let mut report = Report {
        name: scope.name(),
        lang: options.lang,
        season: match scope {
            Scope::Season(n) => Some(n),
            Scope::Issues { .. } => None,
        },
        title: match scope {
            Scope::Season(n) => words.title_season(n),
            Scope::Issues { from, to } => words.title_issues(from, to),
        },
        pattern: summary::pattern(&window_issues),
        previous,
        title_only: window_issues
            .iter()
            .filter(|i| i.format == crate::model::IssueFormat::TitlesOnly)
            .count() as u32,
        described: window_entries.iter().any(|e| !e.description.is_empty()),
        compilation: options
            .compilation
            .then(|| compilation::collect(scope, data.issues, data.entries, options.lang)),
        reads,
        issue_titles: window_issues
            .iter()
            .map(|i| (i.number, compilation::own_title(&i.title).to_string()))
            .collect(),
        first_issue: first.number,
        last_issue: last.number,
        first_date: first.date,
        last_date: last.date,
        issues: window_issues.len() as u32,
        counts,
        topics,
        trends,
        reshares,
        sources: sources(&window_entries),
        cross_refs,
        charts,
    };
    localise(&mut report, inputs, &window_entries);
    Ok(report)
}
