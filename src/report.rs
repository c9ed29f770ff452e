//! The editor's batch reports: one window of issues (a season, or a range) summarised from the
//! store — counts, charts, the window's topics, rising and new themes, re-shares, sources and
//! cross-references to earlier issues. The last stage: it reads [`crate::trends`],
//! [`crate::related`], [`crate::check`] and draws with [`crate::chart`].
//!
//! [`compute`] builds a [`Report`] record; [`render_markdown`] and [`render_html`] turn it into
//! text (pure, so they are snapshot-tested); [`write`] is the one place that creates files:
//! `<out>/<name>/index.md`, a self-contained `index.html` with the charts inline, and the chart
//! files, written into a temporary directory and renamed into place.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::canon::canonical_url;
use crate::chart::{self, Chart, ChartFont};
use crate::check::{self, NEAR_DUPLICATE};
use crate::error::{Error, Result};
use crate::escape::{markdown_link, markdown_text};
use crate::model::{Category, CategoryCounts, Entry, EntryId, Issue, Lang};
use crate::parse::ParsedEntry;
use crate::related::{shared_terms, RelatedIndex, Request};
use crate::terms::SEASON_LENGTH;
use crate::tokenize::Tokenizer;
use crate::trends::{self, Trends};
use crate::vectorize::{FittedTfIdf, SparseVector};

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
    #[error("no issue of {0} is in the store")]
    EmptyScope(String),
    #[error("trends: {0}")]
    Trends(#[from] trends::TrendsError),
}

/// An entry as a report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRef {
    pub id: EntryId,
    pub date: NaiveDate,
    pub title: String,
    pub url: Option<String>,
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

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: String,
    pub title: String,
    pub first_issue: u32,
    pub last_issue: u32,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub issues: u32,
    pub counts: CategoryCounts,
    pub topics: Vec<WindowTopic>,
    /// Rising, falling and new themes against everything before the window; `None` for a window
    /// that starts with the first issue.
    pub trends: Option<Trends>,
    pub reshares: Vec<Reshare>,
    pub sources: Sources,
    pub cross_refs: Vec<CrossRef>,
    pub charts: Vec<NamedChart>,
}

/// What a report reads: the store's records, loaded once for any number of reports.
pub struct Inputs {
    /// The records as trends read them: each entry's terms from its titles
    /// ([`trends::TermText::Titles`]), the editor's topic edits applied.
    pub trends: trends::Loaded,
    /// The stored TF-IDF rows (titles and descriptions), for similarity.
    pub rows: Vec<SparseVector>,
    pub vocabulary: FittedTfIdf,
    pub index: RelatedIndex,
    pub identities: check::Identities,
    /// Each topic's label: the editor's name, else its leading terms.
    pub labels: BTreeMap<u32, String>,
}

impl Inputs {
    fn label(&self, id: u32) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("topic {id}"))
    }

    pub fn from_store(store: &crate::store::Store, edits: &crate::topics::TopicEdits) -> Result<Inputs> {
        let entries = store.entries()?;
        let vocabulary = store.vocabulary()?;
        let rows = store.vectors(entries.len())?;
        let index = RelatedIndex::build(&rows, &entries, vocabulary.terms().len());
        let identities = check::Identities::of(&entries);
        let trends = trends::Loaded::from_parts(
            store,
            edits,
            trends::TermText::Titles,
            entries,
            rows.clone(),
            &vocabulary,
        )?;
        let labels = trends::topic_labels(&trends.topics);
        Ok(Inputs {
            trends,
            rows,
            vocabulary,
            index,
            identities,
            labels,
        })
    }

    /// The seasons the store's issues fall in, in order.
    pub fn seasons(&self) -> Vec<u32> {
        let mut seasons: Vec<u32> = self
            .trends
            .issues
            .iter()
            .map(|i| trends::season_of(i.number))
            .collect();
        seasons.sort_unstable();
        seasons.dedup();
        seasons
    }
}

/// How many items the report's lists hold.
const TOP: usize = 10;

/// Chinese platforms: an entry linking here points to a Chinese source.
const CHINESE_HOSTS: &[&str] = &[
    "mp.weixin.qq.com",
    "zhihu.com",
    "zhuanlan.zhihu.com",
    "juejin.cn",
    "cnblogs.com",
    "csdn.net",
    "blog.csdn.net",
    "bilibili.com",
    "segmentfault.com",
    "oschina.net",
    "infoq.cn",
    "jianshu.com",
    "sspai.com",
    "v2ex.com",
    "douban.com",
    "gitee.com",
    "51cto.com",
    "xiaobot.net",
    "pythoncat.top",
    "ruanyifeng.com",
];

/// Code hosts: the entry shares a repository.
const CODE_HOSTS: &[&str] = &["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"];

fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

fn is_under(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// The language of an entry's source: the editor's marker where there is one, else the host.
fn source_kind(entry: &Entry, host: &str) -> SourceKind {
    if CODE_HOSTS.iter().any(|d| is_under(host, d)) {
        SourceKind::Repository
    } else if entry.lang == Lang::En {
        SourceKind::English
    } else if host.ends_with(".cn") || CHINESE_HOSTS.iter().any(|d| is_under(host, d)) {
        SourceKind::Chinese
    } else {
        SourceKind::English
    }
}

enum SourceKind {
    English,
    Chinese,
    Repository,
}

fn sources(entries: &[&Entry]) -> Sources {
    let mut domains: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Sources {
        domains: Vec::new(),
        english: 0,
        chinese: 0,
        repositories: 0,
    };
    for e in entries {
        let Some(host) = e.url.as_deref().and_then(host) else {
            continue;
        };
        match source_kind(e, &host) {
            SourceKind::English => out.english += 1,
            SourceKind::Chinese => out.chinese += 1,
            SourceKind::Repository => out.repositories += 1,
        }
        *domains.entry(host).or_default() += 1;
    }
    let mut ranked: Vec<(String, u32)> = domains.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(TOP);
    out.domains = ranked;
    out
}

/// An entry read back as a draft entry, for the already-shared check.
fn as_draft(e: &Entry) -> ParsedEntry {
    ParsedEntry {
        category: e.category,
        position: e.position,
        number: e.number,
        title: e.title.clone(),
        url: e.url.clone(),
        links: e.links.clone(),
        lang: Some(e.lang),
        description: e.description.clone(),
        image_alts: Vec::new(),
        withdrawn: e.withdrawn,
        line: e.line as usize,
        circled: false,
    }
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
    }
}

/// Builds the report of `scope` from `inputs`.
pub fn compute(inputs: &Inputs, scope: Scope) -> Result<Report, ReportError> {
    let scope = check_scope(scope)?;
    let data = &inputs.trends;
    let window_issues: Vec<&Issue> = data.issues.iter().filter(|i| scope.contains(i.number)).collect();
    let (Some(first), Some(last)) = (window_issues.first(), window_issues.last()) else {
        return Err(ReportError::EmptyScope(scope.name()));
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
    let trends = if has_background {
        let params = trends::TrendsParams {
            window: trends::Window::Issues {
                from: scope.first(),
                to: scope.last(),
            },
            ..trends::TrendsParams::default()
        }
        .check()?;
        Some(trends::compute(&data.corpus(), &params)?)
    } else {
        None
    };
    let topics = window_topics(inputs, scope, &rows, &dates);
    let charts = charts(inputs, scope, &rows, trends.as_ref());
    Ok(Report {
        name: scope.name(),
        title: match scope {
            Scope::Season(n) => format!("Season {n} (第 {n} 季)"),
            Scope::Issues { from, to } => format!("Issues #{from}–#{to}"),
        },
        first_issue: first.number,
        last_issue: last.number,
        first_date: first.date,
        last_date: last.date,
        issues: window_issues.len() as u32,
        counts,
        topics,
        trends,
        reshares: reshares(inputs, scope, &window_issues, &dates),
        sources: sources(&window_entries),
        cross_refs: cross_refs(inputs, scope, &rows, &dates),
        charts,
    })
}

/// The window's topics, most entries first: each with its share in the window and before it, and
/// the window's entries nearest the topic's centre there (the mean of its window rows).
fn window_topics(
    inputs: &Inputs,
    scope: Scope,
    rows: &[usize],
    dates: &BTreeMap<u32, NaiveDate>,
) -> Vec<WindowTopic> {
    let data = &inputs.trends;
    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for &r in rows {
        if let Some(t) = data.assignments[r] {
            members.entry(t).or_default().push(r);
        }
    }
    let before: Vec<usize> = (0..data.entries.len())
        .filter(|&r| !data.entries[r].withdrawn && data.entries[r].issue < scope.first())
        .collect();
    let before_with_topic = before.iter().filter(|&&r| data.assignments[r].is_some()).count();
    let in_window = members.values().map(Vec::len).sum::<usize>();
    let mut out: Vec<WindowTopic> = members
        .into_iter()
        .map(|(id, rows_of)| {
            let label = inputs.label(id);
            let earlier = before
                .iter()
                .filter(|&&r| data.assignments[r] == Some(id))
                .count();
            let centre = mean_row(rows_of.iter().map(|&r| &inputs.rows[r]));
            let mut ranked: Vec<(f32, usize)> = rows_of
                .iter()
                .map(|&r| (dot(&centre, &inputs.rows[r]), r))
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            WindowTopic {
                id,
                label,
                entries: rows_of.len() as u32,
                share: ratio(rows_of.len(), in_window),
                share_before: ratio(earlier, before_with_topic),
                representatives: ranked
                    .iter()
                    .take(3)
                    .map(|&(_, r)| entry_ref(&data.entries[r], dates))
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.entries.cmp(&a.entries).then(a.id.cmp(&b.id)));
    out
}

fn ratio(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

/// The mean of sparse rows, as a map from term to weight.
fn mean_row<'a>(rows: impl Iterator<Item = &'a SparseVector>) -> BTreeMap<u32, f32> {
    let mut sum: BTreeMap<u32, f32> = BTreeMap::new();
    for v in rows {
        for (&t, &w) in v.indices.iter().zip(&v.values) {
            *sum.entry(t).or_default() += w;
        }
    }
    sum
}

fn dot(centre: &BTreeMap<u32, f32>, v: &SparseVector) -> f32 {
    v.indices
        .iter()
        .zip(&v.values)
        .map(|(t, w)| centre.get(t).map_or(0.0, |c| c * w))
        .sum()
}

/// The window's entries that repeat an earlier entry (in the window or before it), by the same
/// signs as `weeklens check`.
fn reshares(
    inputs: &Inputs,
    scope: Scope,
    window_issues: &[&Issue],
    dates: &BTreeMap<u32, NaiveDate>,
) -> Vec<Reshare> {
    let data = &inputs.trends;
    let archive = check::Archive {
        issues: &data.issues,
        entries: &data.entries,
        vocabulary: &inputs.vocabulary,
        index: &inputs.index,
        identities: &inputs.identities,
    };
    let by_id: BTreeMap<EntryId, &Entry> = data.entries.iter().map(|e| (e.id(), e)).collect();
    let mut out = Vec::new();
    for issue in window_issues {
        let drafts: Vec<ParsedEntry> = data
            .entries
            .iter()
            .filter(|e| e.issue == issue.number)
            .map(as_draft)
            .collect();
        let results = check::check(
            &drafts,
            issue.date,
            Some(issue.number),
            &archive,
            Tokenizer::shared(),
        );
        for result in results {
            let later_id = EntryId {
                issue: issue.number,
                category: result.category,
                position: result.position,
            };
            let Some(later) = by_id.get(&later_id) else {
                continue;
            };
            // The first share is the one to name.
            let Some(hit) = result
                .hits
                .iter()
                .min_by_key(|h| (h.issue, h.category, h.position))
            else {
                continue;
            };
            let earlier_id = EntryId {
                issue: hit.issue,
                category: hit.category,
                position: hit.position,
            };
            let Some(earlier) = by_id.get(&earlier_id) else {
                continue;
            };
            out.push(Reshare {
                later: entry_ref(later, dates),
                earlier: entry_ref(earlier, dates),
                reasons: hit.reasons.iter().map(ToString::to_string).collect(),
                within: scope.contains(hit.issue),
            });
        }
    }
    out
}

/// The strongest links from the window's entries to entries before the window: each window entry's
/// best earlier match, the strongest first. Re-shares are left to [`reshares`].
fn cross_refs(
    inputs: &Inputs,
    scope: Scope,
    rows: &[usize],
    dates: &BTreeMap<u32, NaiveDate>,
) -> Vec<CrossRef> {
    let data = &inputs.trends;
    let mut found: Vec<(f32, usize, usize)> = Vec::new();
    for &r in rows {
        let own = data.entries[r].url.as_deref().and_then(canonical_url);
        let best = inputs
            .index
            .query(
                &Request::new(&inputs.rows[r], 3)
                    .before(scope.first())
                    .min_score(0.3),
            )
            .into_iter()
            .find(|s| {
                let url = data.entries[s.row].url.as_deref().and_then(canonical_url);
                s.score < NEAR_DUPLICATE && (own.is_none() || url != own)
            });
        if let Some(s) = best {
            found.push((s.score, r, s.row));
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found
        .into_iter()
        .take(TOP)
        .map(|(score, r, earlier)| CrossRef {
            entry: entry_ref(&data.entries[r], dates),
            earlier: entry_ref(&data.entries[earlier], dates),
            score,
            shared: shared_terms(&inputs.rows[r], &inputs.rows[earlier], 4)
                .into_iter()
                .filter_map(|t| data.shown.get(t as usize).cloned())
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Charts

/// Topics drawn as lines: more would not be told apart.
const LINE_TOPICS: usize = 8;

fn charts(inputs: &Inputs, scope: Scope, rows: &[usize], trends: Option<&Trends>) -> Vec<NamedChart> {
    let data = &inputs.trends;
    let window_issues: Vec<Issue> = data
        .issues
        .iter()
        .filter(|i| scope.contains(i.number))
        .cloned()
        .collect();
    // The timeline charts run from the first issue to the window's end.
    let upto: Vec<Issue> = data
        .issues
        .iter()
        .filter(|i| i.number <= scope.last())
        .cloned()
        .collect();
    let live = |c: Category| window_issues.iter().any(|i| i.counts.get(c) > 0);
    let categories: Vec<Category> = Category::ALL.into_iter().filter(|&c| live(c)).collect();
    let mut out = vec![NamedChart {
        file: "entries-per-issue".into(),
        chart: Chart::new(
            "Entries per issue by category",
            chart::ChartKind::StackedBars {
                x_labels: window_issues.iter().map(|i| format!("#{}", i.number)).collect(),
                series: categories
                    .iter()
                    .map(|&c| chart::Series {
                        name: c.to_string(),
                        values: window_issues.iter().map(|i| f64::from(i.counts.get(c))).collect(),
                    })
                    .collect(),
                percent: false,
            },
        )
        .with_axes("issue", "entries"),
    }];

    let seasons = trends::category_shares(&upto, trends::Granularity::Season, 0);
    let season_categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|&c| seasons.rows.iter().any(|r| r.counts.get(c) > 0))
        .collect();
    out.push(NamedChart {
        file: "category-shares".into(),
        chart: Chart::new(
            "Category shares per season",
            chart::ChartKind::StackedBars {
                x_labels: seasons.rows.iter().map(|r| r.span.period.to_string()).collect(),
                series: season_categories
                    .iter()
                    .map(|&c| chart::Series {
                        name: c.to_string(),
                        values: seasons.rows.iter().map(|r| f64::from(r.counts.get(c))).collect(),
                    })
                    .collect(),
                percent: true,
            },
        )
        .with_axes("season", "share of entries (%)"),
    });

    let label = |id: u32| inputs.label(id);
    let months = trends::topic_shares(
        &upto,
        &data.entries,
        &data.assignments,
        trends::Granularity::Month,
        trends::SMOOTHING_RADIUS,
    );
    // The window's largest topics.
    let mut in_window: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        if let Some(t) = data.assignments[r] {
            *in_window.entry(t).or_default() += 1;
        }
    }
    let mut largest: Vec<(u32, u32)> = in_window.into_iter().collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let column = |id: u32| months.topics.iter().position(|&t| t == id);
    out.push(NamedChart {
        file: "topic-shares".into(),
        chart: Chart::new(
            format!("Topic shares per month (the window's {LINE_TOPICS} largest topics, smoothed)"),
            chart::ChartKind::Lines {
                x_labels: months.rows.iter().map(|r| r.span.period.to_string()).collect(),
                series: largest
                    .iter()
                    .take(LINE_TOPICS)
                    .filter_map(|&(id, _)| {
                        let c = column(id)?;
                        Some(chart::Series {
                            name: label(id),
                            values: months.rows.iter().map(|r| 100.0 * r.smoothed[c]).collect(),
                        })
                    })
                    .collect(),
            },
        )
        .with_axes("month", "share of entries (%)"),
    });

    let quarters = trends::topic_shares(
        &upto,
        &data.entries,
        &data.assignments,
        trends::Granularity::Quarter,
        0,
    );
    out.push(NamedChart {
        file: "topic-quarter-heatmap".into(),
        chart: Chart::new(
            "Topics × quarter (share of the quarter's entries, %)",
            chart::ChartKind::Heatmap {
                row_labels: quarters.topics.iter().map(|&id| label(id)).collect(),
                col_labels: quarters.rows.iter().map(|r| r.span.period.to_string()).collect(),
                values: (0..quarters.topics.len())
                    .map(|c| {
                        quarters
                            .rows
                            .iter()
                            .map(|r| (1000.0 * r.shares[c]).round() / 10.0)
                            .collect()
                    })
                    .collect(),
                scale_title: "%".into(),
            },
        ),
    });

    if let Some(trends) = trends.filter(|t| !t.terms.rising.is_empty()) {
        out.push(NamedChart {
            file: "rising-terms".into(),
            chart: Chart::new(
                "Rising terms (log-odds z against all earlier issues)",
                chart::ChartKind::Bars {
                    labels: trends.terms.rising.iter().map(|s| s.item.clone()).collect(),
                    values: trends
                        .terms
                        .rising
                        .iter()
                        .map(|s| (s.score.z * 100.0).round() / 100.0)
                        .collect(),
                },
            )
            .with_axes("z", ""),
        });
    }

    let frequent = frequent_terms(inputs, rows);
    if !frequent.is_empty() {
        out.push(NamedChart {
            file: "frequent-terms".into(),
            chart: Chart::new(
                "Most frequent terms (entries holding them)",
                chart::ChartKind::Bars {
                    labels: frequent.iter().map(|(t, _)| t.clone()).collect(),
                    values: frequent.iter().map(|&(_, n)| f64::from(n)).collect(),
                },
            )
            .with_axes("entries", ""),
        });
    }
    out
}

/// The window's terms by the number of its entries holding them, most first (ties by term).
fn frequent_terms(inputs: &Inputs, rows: &[usize]) -> Vec<(String, u32)> {
    let data = &inputs.trends;
    let mut df: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        for &t in &data.vectors[r].indices {
            *df.entry(t).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, u32)> = df
        .into_iter()
        .filter_map(|(t, n)| Some((data.shown.get(t as usize)?.clone(), n)))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(15);
    ranked
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn entry_line(e: &EntryRef) -> String {
    format!(
        "{} — #{} {} ({})",
        markdown_link(&e.title, e.url.as_deref()),
        e.id.issue,
        e.id.category,
        e.date
    )
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The report as markdown; charts are referenced as `<file>.svg` beside it. Archive text enters it
/// through [`crate::escape`] only, so `<script>` stays text in the HTML rendered from it too.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown_text(&report.title));
    let _ = writeln!(
        out,
        "Issues #{}–#{} ({} issues, {} to {}).\n",
        report.first_issue, report.last_issue, report.issues, report.first_date, report.last_date
    );

    out.push_str("## Entries by category\n\n| category | entries |\n|---|---:|\n");
    for c in Category::ALL {
        let n = report.counts.get(c);
        if n > 0
            || matches!(
                c,
                Category::Article | Category::Project | Category::Media | Category::Discussion
            )
        {
            let _ = writeln!(out, "| {c} | {n} |");
        }
    }
    let _ = writeln!(out, "| **total** | **{}** |\n", report.counts.total());

    out.push_str("## Charts\n\n");
    for c in &report.charts {
        let _ = writeln!(out, "![{}]({}.svg)\n", markdown_text(&c.chart.title), c.file);
    }

    out.push_str("## Topics of the window\n\n");
    for t in &report.topics {
        let _ = writeln!(
            out,
            "### {} (topic {})\n\n{} entries, {} of the window ({} before it).\n",
            markdown_text(&t.label),
            t.id,
            t.entries,
            percent(t.share),
            percent(t.share_before)
        );
        for e in &t.representatives {
            let _ = writeln!(out, "- {}", entry_line(e));
        }
        out.push('\n');
    }

    out.push_str("## Rising and new themes\n\n");
    match &report.trends {
        None => out.push_str(
            "The window starts with the first issue: there is nothing earlier to compare it with.\n\n",
        ),
        Some(t) => {
            let _ = writeln!(
                out,
                "Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of the window \
                 ({} entries) against the {} issues before it ({} entries); counts are entries.\n",
                t.window.entries, t.before.issues, t.before.entries
            );
            for (title, list) in [
                ("Rising terms", &t.terms.rising),
                ("New terms", &t.terms.new),
                ("Falling terms", &t.terms.falling),
                ("Rising topics", &t.topics.rising),
                ("Falling topics", &t.topics.falling),
                ("New topics", &t.topics.new),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "### {title}\n\n| | z | in window | before |\n|---|---:|---:|---:|"
                );
                for s in list.iter() {
                    let _ = writeln!(
                        out,
                        "| {} | {:.2} | {} | {} |",
                        markdown_text(&s.item),
                        s.score.z,
                        s.window,
                        s.before
                    );
                }
                out.push('\n');
            }
        }
    }

    out.push_str("## Shared twice\n\n");
    if report.reshares.is_empty() {
        out.push_str("No entry of the window repeats an earlier one.\n\n");
    }
    for r in &report.reshares {
        let _ = writeln!(
            out,
            "- {}\n  first shared {}: {} ({})",
            entry_line(&r.later),
            if r.within { "in this window" } else { "before it" },
            entry_line(&r.earlier),
            markdown_text(&r.reasons.join("; "))
        );
    }
    out.push('\n');

    let s = &report.sources;
    let linked = s.english + s.chinese + s.repositories;
    out.push_str("## Sources\n\n");
    let share = |n: u32| percent(ratio(n as usize, linked as usize));
    let _ = writeln!(
        out,
        "Of {linked} linked entries: {} English sources ({}), {} Chinese sources ({}), {} code repositories ({}). \
         A source is Chinese by the editor's marker or its host (Chinese platforms, `.cn`).\n",
        s.english,
        share(s.english),
        s.chinese,
        share(s.chinese),
        s.repositories,
        share(s.repositories)
    );
    out.push_str("| domain | entries |\n|---|---:|\n");
    for (domain, n) in &s.domains {
        let _ = writeln!(out, "| {} | {n} |", markdown_text(domain));
    }
    out.push('\n');

    out.push_str("## Cross-references to earlier issues\n\n");
    if report.cross_refs.is_empty() {
        out.push_str("None.\n");
    }
    for c in &report.cross_refs {
        let _ = writeln!(
            out,
            "- {}\n  ↔ {} (cosine {:.2}; {})",
            entry_line(&c.entry),
            entry_line(&c.earlier),
            c.score,
            markdown_text(&c.shared.join(", "))
        );
    }
    out
}

/// The report as one self-contained HTML page: the markdown rendered, each chart's SVG inline in
/// place of its image, no script and nothing loaded from elsewhere. `svgs` maps a chart's file
/// name (`topic-shares.svg`) to its SVG.
pub fn render_html(report: &Report, markdown: &str, svgs: &BTreeMap<String, String>) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut events = Vec::new();
    let mut in_chart = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if svgs.contains_key(dest_url.as_ref()) => {
                let svg = &svgs[dest_url.as_ref()];
                let svg = svg.trim_start_matches(|c| c != '<');
                let svg = match svg.strip_prefix("<?xml") {
                    Some(rest) => rest.split_once("?>").map_or(rest, |(_, s)| s),
                    None => svg,
                };
                events.push(Event::Html(
                    format!("<figure class=\"chart\">{}</figure>", svg.trim()).into(),
                ));
                in_chart = true;
            }
            Event::End(TagEnd::Image) if in_chart => in_chart = false,
            _ if in_chart => {}
            other => events.push(other),
        }
    }
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events.into_iter());
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n<title>weeklens — {}</title>\n\
         <style>\nbody {{ font-family: \"Noto Sans CJK SC\", \"Droid Sans Fallback\", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}\n\
         table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 2px 8px; }}\n\
         figure.chart svg {{ max-width: 100%; height: auto; }}\n</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        html_escape::encode_text(&report.title),
        body
    )
}

/// Writes the report into `<out>/<name>/`: `index.md`, `index.html` and each chart as SVG (and
/// PNG when `font` is given). Everything is written into a temporary directory first and renamed
/// into place, so a failed run leaves the previous report; a file that cannot be written is named
/// as it would stand in the report (`reports/season-1/index.html`), not by its temporary path.
/// Returns the report's directory.
pub fn write(out: &Path, report: &Report, font: Option<&ChartFont>) -> Result<PathBuf> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let target = out.join(&report.name);
    fs::create_dir_all(out).map_err(io(out))?;
    let staging = tempfile::Builder::new()
        .prefix(".weeklens-report-")
        .tempdir_in(out)
        .map_err(io(out))?;
    let stage = |name: &str, bytes: &[u8]| {
        fs::write(staging.path().join(name), bytes).map_err(io(&target.join(name)))
    };
    let mut svgs = BTreeMap::new();
    for c in &report.charts {
        let svg = chart::svg(&c.chart)?;
        let name = format!("{}.svg", c.file);
        stage(&name, svg.as_bytes())?;
        svgs.insert(name, svg);
        if let Some(font) = font {
            stage(&format!("{}.png", c.file), &chart::png(&c.chart, font)?)?;
        }
    }
    let markdown = render_markdown(report);
    let html = render_html(report, &markdown, &svgs);
    for (name, text) in [("index.md", &markdown), ("index.html", &html)] {
        stage(name, text.as_bytes())?;
    }
    // The previous report steps aside before the new one takes its place, and goes only after.
    let old = out.join(format!(".{}.old", report.name));
    if old.exists() {
        if target.exists() {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            // A run killed between the two renames below: the report kept aside is the last one.
            fs::rename(&old, &target).map_err(io(&old))?;
        }
    }
    if target.exists() {
        fs::rename(&target, &old).map_err(io(&target))?;
    }
    if let Err(e) = fs::rename(staging.path(), &target) {
        if old.exists() {
            // Put the previous report back; the failure is the one to report.
            let _ = fs::rename(&old, &target);
        }
        return Err(io(&target)(e));
    }
    // The staging directory is the report now: nothing left to remove.
    let _ = staging.keep();
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(target)
}
