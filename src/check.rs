//! The already-shared check: for each entry of a draft issue, the earlier entries it repeats, by
//! canonical URL, by the same project under another URL (the name before `：` in a project
//! title, or a repository named in the text), or by near-duplicate text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::canon::{canonical_url, github_repo};
use crate::model::{Category, Entry, Issue};
use crate::parse::ParsedEntry;
use crate::related::{RelatedIndex, Request};
use crate::tokenize::Tokenizer;
use crate::vectorize::FittedTfIdf;

/// Text at least this similar (cosine of TF-IDF rows) counts as a near duplicate.
pub const NEAR_DUPLICATE: f32 = 0.8;

/// Why a draft entry matched an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Reason {
    SameUrl(String),
    SameRepository(String),
    SameProject(String),
    SameTitle,
    SimilarText(f32),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::SameUrl(u) => write!(f, "same URL {u}"),
            Reason::SameRepository(r) => write!(f, "same repository github.com/{r}"),
            Reason::SameProject(p) => write!(f, "same project name `{p}`"),
            Reason::SameTitle => write!(f, "same title"),
            Reason::SimilarText(s) => write!(f, "similar text (cosine {s:.2})"),
        }
    }
}

/// An earlier entry a draft entry repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub issue: u32,
    pub date: String,
    pub category: Category,
    pub position: u32,
    pub title: String,
    pub weeks_ago: i64,
    pub reasons: Vec<Reason>,
}

/// A draft entry and what it repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftResult {
    pub category: Category,
    pub position: u32,
    pub title: String,
    pub hits: Vec<Hit>,
}

/// What identifies each entry of the archive: its canonical URL, the GitHub repositories it
/// links, its project name and its title, each mapped to the entries' rows. Built once, so that
/// checking many issues (a report's window) does not parse every URL again for each.
#[derive(Debug, Clone, Default)]
pub struct Identities {
    by_url: BTreeMap<String, Vec<usize>>,
    by_repo: BTreeMap<String, Vec<usize>>,
    by_name: BTreeMap<String, Vec<usize>>,
    by_title: BTreeMap<String, Vec<usize>>,
}

impl Identities {
    /// The identities of the live entries of `entries`, by row.
    pub fn of(entries: &[Entry]) -> Identities {
        let mut ids = Identities::default();
        for (row, e) in entries.iter().enumerate().filter(|(_, e)| !e.withdrawn) {
            if let Some(url) = e.url.as_deref().and_then(canonical_url) {
                ids.by_url.entry(url).or_default().push(row);
            }
            for repo in e.url.iter().chain(&e.links).filter_map(|u| github_repo(u)) {
                ids.by_repo.entry(repo).or_default().push(row);
            }
            if let Some(name) = project_name(&e.title) {
                ids.by_name.entry(name).or_default().push(row);
            }
            if let Some(title) = title_key(&e.title) {
                ids.by_title.entry(title).or_default().push(row);
            }
        }
        ids
    }
}

/// What the check reads of the archive.
pub struct Archive<'a> {
    pub issues: &'a [Issue],
    pub entries: &'a [Entry],
    pub vocabulary: &'a FittedTfIdf,
    pub index: &'a RelatedIndex,
    /// [`Identities::of`] the same entries.
    pub identities: &'a Identities,
}

/// The project name of a title `name：what it does`, lower-cased, when the part before the colon
/// reads as a name (no spaces, not too long).
pub fn project_name(title: &str) -> Option<String> {
    let (name, rest) = title.split_once(['：', ':'])?;
    let name = name.trim();
    let ok = !rest.trim().is_empty()
        && (2..=40).contains(&name.chars().count())
        && !name.contains(char::is_whitespace)
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    ok.then(|| name.to_lowercase())
}

/// A title folded for comparison; titles too short to identify anything give none.
fn title_key(title: &str) -> Option<String> {
    let key: String = title
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    (key.chars().count() >= 8).then_some(key)
}

/// Checks each entry of `draft` against the entries of issues before `before` (all when `None`).
pub fn check(
    draft: &[ParsedEntry],
    draft_date: NaiveDate,
    before: Option<u32>,
    archive: &Archive<'_>,
    tokenizer: &Tokenizer,
) -> Vec<DraftResult> {
    let dates: BTreeMap<u32, NaiveDate> = archive.issues.iter().map(|i| (i.number, i.date)).collect();
    let past = |e: &Entry| !e.withdrawn && before.is_none_or(|b| e.issue < b);
    let ids = archive.identities;
    // The earlier entries a key names.
    let earlier = |map: &'_ BTreeMap<String, Vec<usize>>, key: &str| -> Vec<usize> {
        map.get(key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&row| past(&archive.entries[row]))
            .collect()
    };

    draft
        .iter()
        .filter(|d| !d.withdrawn)
        .map(|d| {
            let mut reasons: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
            if let Some(url) = d.url.as_deref().and_then(canonical_url) {
                for row in earlier(&ids.by_url, &url) {
                    reasons.entry(row).or_default().push(Reason::SameUrl(url.clone()));
                }
            }
            let mut repos: Vec<String> = d
                .url
                .iter()
                .chain(&d.links)
                .filter_map(|u| github_repo(u))
                .collect();
            repos.dedup();
            for repo in repos {
                for row in earlier(&ids.by_repo, &repo) {
                    let r = reasons.entry(row).or_default();
                    if !r.iter().any(|x| matches!(x, Reason::SameUrl(_))) {
                        r.push(Reason::SameRepository(repo.clone()));
                    }
                }
            }
            if let Some(name) = project_name(&d.title) {
                for row in earlier(&ids.by_name, &name) {
                    reasons
                        .entry(row)
                        .or_default()
                        .push(Reason::SameProject(name.clone()));
                }
            }
            if let Some(title) = title_key(&d.title) {
                for row in earlier(&ids.by_title, &title) {
                    reasons.entry(row).or_default().push(Reason::SameTitle);
                }
            }
            let mut terms = Vec::new();
            tokenizer.plain_terms_into(&d.title, &mut terms);
            tokenizer.plain_terms_into(&d.description, &mut terms);
            let vector = archive.vocabulary.transform(&terms);
            let mut request = Request::new(&vector, 5).min_score(NEAR_DUPLICATE);
            if let Some(issue) = before {
                request = request.before(issue);
            }
            for s in archive.index.query(&request) {
                if past(&archive.entries[s.row]) {
                    reasons
                        .entry(s.row)
                        .or_default()
                        .push(Reason::SimilarText(s.score));
                }
            }
            let hits = reasons
                .into_iter()
                .map(|(row, reasons)| {
                    let e = &archive.entries[row];
                    let date = dates.get(&e.issue).copied().unwrap_or(draft_date);
                    Hit {
                        issue: e.issue,
                        date: date.to_string(),
                        category: e.category,
                        position: e.position,
                        title: e.title.clone(),
                        weeks_ago: (draft_date - date).num_days() / 7,
                        reasons,
                    }
                })
                .collect();
            DraftResult {
                category: d.category,
                position: d.position,
                title: d.title.clone(),
                hits,
            }
        })
        .collect()
}

/// Reads the draft at `path` and checks it against the store. The draft's date is `date`, else
/// its pubDate, else the date its file name starts with, else a week after the last issue.
pub fn check_file(
    store: &crate::store::Store,
    path: &std::path::Path,
    date: Option<NaiveDate>,
) -> crate::error::Result<(Vec<DraftResult>, Vec<crate::diagnostic::Diagnostic>)> {
    let draft = crate::draft::Draft::read(path)?;
    let loaded = crate::related::Loaded::from_store(store)?;
    let vectors = store.vectors(loaded.entries.len())?;
    let index = RelatedIndex::build(&vectors, &loaded.entries, loaded.vocabulary.terms().len());
    let identities = Identities::of(&loaded.entries);
    let archive = Archive {
        issues: &loaded.issues,
        entries: &loaded.entries,
        vocabulary: &loaded.vocabulary,
        index: &index,
        identities: &identities,
    };
    let results = check(
        &draft.issue.entries,
        draft.date(date, &loaded.issues),
        draft.issue.number,
        &archive,
        Tokenizer::shared(),
    );
    Ok((results, draft.problems))
}

/// The draft entries shared before, as terminal text (titles and reasons, which quote names and
/// URLs, stripped of control characters).
pub fn render_table(results: &[DraftResult]) -> String {
    use crate::escape::terminal;
    let mut out = String::new();
    let mut found = 0;
    for r in results.iter().filter(|r| !r.hits.is_empty()) {
        found += 1;
        let _ = writeln!(out, "{}:{}  {}", r.category, r.position, terminal(&r.title));
        for h in &r.hits {
            let why: Vec<String> = h.reasons.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                out,
                "    already shared: #{} ({}), {}, {} weeks ago: {}\n        {}",
                h.issue,
                h.date,
                h.category,
                h.weeks_ago,
                terminal(&why.join("; ")),
                terminal(&h.title)
            );
        }
    }
    let _ = writeln!(
        out,
        "{found} of {} draft entries were shared before",
        results.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_are_the_part_before_the_colon() {
        assert_eq!(
            project_name("asyncpipe：用管道符串联异步生成器").as_deref(),
            Some("asyncpipe")
        );
        assert_eq!(
            project_name("open_deep_research: Open Deep Research").as_deref(),
            Some("open_deep_research")
        );
        assert_eq!(project_name("PEP 750：模板字符串"), None);
        assert_eq!(project_name("为什么：没有名字"), None);
        assert_eq!(project_name("no colon here"), None);
    }
}
