//! The editor's batch reports: one window of issues (a season, or a range) summarised from the
//! store — counts, charts, the window's topics, rising and new themes, re-shares, sources and
//! cross-references to earlier issues. The last stage: it reads [`crate::trends`],
//! [`crate::related`], [`crate::check`] and draws with [`crate::chart`].
//!
//! [`compute`] builds a [`Report`] record; [`render_markdown`] and [`render_html`] turn it into
//! text (pure, so they are snapshot-tested); [`write`] is the one place that creates files:
//! `<out>/<name>/index.md`, a self-contained `index.html` with the charts inline, and the chart
//! files, written into a temporary directory and renamed into place.//!
//! Split by job: `load` ([`Inputs`], the store read once), `sections` (each section's records),
//! `charts` (the [`NamedChart`]s), `markdown` and `html` (pure renderers) and `write` (the files).

use chrono::NaiveDate;
use serde::Serialize;

use crate::chart::Chart;
use crate::model::{CategoryCounts, Issue};
use crate::terms::SEASON_LENGTH;
use crate::trends::{self, Trends};

mod charts;
mod html;
mod load;
mod markdown;
mod sections;
mod write;

pub use html::render_html;
pub use load::Inputs;
pub use markdown::render_markdown;
pub use write::write;

use crate::model::{Entry, EntryId};
use charts::charts;
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
