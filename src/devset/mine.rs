//! Mines the development set from the archive's own evidence: for each entry, the earlier
//! entries the archive itself ties it to ([`Evidence`]). Nothing here uses the tokenizer or the
//! ranking: the set measures them, so it must not be made of them. Names and words are matched
//! as written, on ASCII word boundaries, case folded.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::{Evidence, Pair, Part};
use crate::model::{Entry, EntryId};

/// One piece of evidence: `later` is related to the earlier `earlier` because of `key` (a URL, a
/// repository, a PEP number, a project name, or the editor's words), which says why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub later: EntryId,
    pub earlier: EntryId,
    pub evidence: Evidence,
    pub key: String,
}

/// The set's lines from what was found: one per (query, earlier entry), with every kind of
/// evidence for it, sorted.
pub fn pairs(found: &[Found]) -> Vec<Pair> {
    let mut kinds: BTreeMap<(EntryId, EntryId), BTreeSet<Evidence>> = BTreeMap::new();
    for f in found {
        kinds.entry((f.later, f.earlier)).or_default().insert(f.evidence);
    }
    kinds
        .into_iter()
        .map(|((query, relevant), evidence)| Pair {
            query,
            relevant,
            evidence: evidence.into_iter().collect(),
            part: Part::of(query),
        })
        .collect()
}

/// Every piece of evidence in `entries` (withdrawn placeholders left out), sorted and without
/// repeats.
pub fn mine(entries: &[Entry]) -> Vec<Found> {
    let live: Vec<&Entry> = entries.iter().filter(|e| !e.withdrawn).collect();
    let mut found = Vec::new();
    same_resource(&live, &mut found);
    links(&live, &mut found);
    peps(&live, &mut found);
    projects(&live, &mut found);
    cross_references(&live, &mut found);
    found.sort();
    found.dedup();
    found
}

/// The newsletter's own pages, which an entry may link to without being about them.
const NEWSLETTER: &[&str] = &["xiaobot.net/p/python_weekly", "weekly.pythoncat.top"];

/// What a title link points to: a GitHub repository itself, or one page (any other URL,
/// canonical; a GitHub issue, pull request, release, discussion or file is a page of its own:
/// two pull requests of CPython are not the same resource).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Resource {
    Repo(String),
    Page(String),
}

impl Resource {
    fn of(raw: &str) -> Option<Resource> {
        let url = url::Url::parse(raw.trim()).ok()?;
        let host = url.host_str()?.to_lowercase();
        if host.trim_start_matches("www.") != "github.com" {
            return crate::canon::canonical_url(raw)
                .filter(|page| !NEWSLETTER.iter().any(|n| page.starts_with(n)))
                .map(Resource::Page);
        }
        let segments: Vec<String> = url
            .path_segments()?
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase)
            .collect();
        match segments.as_slice() {
            [owner, repo] => Some(Resource::Repo(format!(
                "{owner}/{}",
                repo.trim_end_matches(".git")
            ))),
            // The repository's tree at a branch is still the repository.
            [owner, repo, tree, _] if tree == "tree" => Some(Resource::Repo(format!("{owner}/{repo}"))),
            [_, _, ..] => Some(Resource::Page(format!("github.com/{}", segments.join("/")))),
            _ => None,
        }
    }

    fn key(&self) -> String {
        match self {
            Resource::Repo(r) => format!("https://github.com/{r}"),
            Resource::Page(p) => format!("https://{p}"),
        }
    }

    /// The repository's name (`owner/NAME`), for a repository.
    fn repo_name(&self) -> Option<&str> {
        match self {
            Resource::Repo(r) => r.split('/').nth(1),
            Resource::Page(_) => None,
        }
    }
}

/// Pairs every later entry with each earlier one in `groups` (entries in archive order).
fn each_earlier(groups: BTreeMap<String, Vec<&Entry>>, evidence: Evidence, found: &mut Vec<Found>) {
    for (key, group) in groups {
        for (i, later) in group.iter().enumerate() {
            for earlier in group[..i].iter().filter(|e| e.issue < later.issue) {
                found.push(Found {
                    later: later.id(),
                    earlier: earlier.id(),
                    evidence,
                    key: key.clone(),
                });
            }
        }
    }
}

/// Re-shares: the same title link (kind `url`), or the same repository (kind `repo`).
fn same_resource(entries: &[&Entry], found: &mut Vec<Found>) {
    let mut pages: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    let mut repos: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for &e in entries {
        match e.url.as_deref().and_then(Resource::of) {
            Some(r @ Resource::Repo(_)) => repos.entry(r.key()).or_default().push(e),
            Some(r @ Resource::Page(_)) => pages.entry(r.key()).or_default().push(e),
            None => {}
        }
    }
    each_earlier(pages, Evidence::Url, found);
    each_earlier(repos, Evidence::Repo, found);
}

/// A link inside an entry (not its title link) that is an earlier entry's title link.
fn links(entries: &[&Entry], found: &mut Vec<Found>) {
    let mut by_title_link: BTreeMap<Resource, Vec<&Entry>> = BTreeMap::new();
    for &e in entries {
        if let Some(r) = e.url.as_deref().and_then(Resource::of) {
            by_title_link.entry(r).or_default().push(e);
        }
    }
    for &later in entries {
        let own = later.url.as_deref().and_then(Resource::of);
        let targets: BTreeSet<Resource> = later
            .links
            .iter()
            .filter_map(|l| Resource::of(l))
            .filter(|r| Some(r) != own.as_ref())
            .collect();
        for target in targets {
            for earlier in by_title_link.get(&target).into_iter().flatten() {
                if earlier.issue < later.issue {
                    found.push(Found {
                        later: later.id(),
                        earlier: earlier.id(),
                        evidence: Evidence::Link,
                        key: target.key(),
                    });
                }
            }
        }
    }
}

static PEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bPEP\s*[-‐–_]?\s*0*(\d{1,4})\b").expect("valid regex"));

/// The PEP numbers an entry's titles (Chinese and English) name.
fn pep_numbers(e: &Entry) -> BTreeSet<u32> {
    [Some(e.title.as_str()), e.en_title.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| {
            PEP.captures_iter(t)
                .filter_map(|c| c[1].parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// The same PEP number in both titles.
fn peps(entries: &[&Entry], found: &mut Vec<Found>) {
    let mut groups: BTreeMap<u32, Vec<&Entry>> = BTreeMap::new();
    for &e in entries {
        for n in pep_numbers(e) {
            groups.entry(n).or_default().push(e);
        }
    }
    let keyed = groups
        .into_iter()
        .map(|(n, g)| (format!("https://peps.python.org/pep-{n:04}/"), g))
        .collect();
    each_earlier(keyed, Evidence::Pep, found);
}

/// The words of `text` as names are matched: runs of ASCII letters, digits, `-`, `_` and `.`,
/// lowercased, with `_` and `.` read as `-` and a trailing one dropped; a compound stays one word
/// ("uv-secure" is not "secure"). Words are grouped by the spaces between them: anything else
/// (a Chinese character, punctuation) starts a new group.
fn words(text: &str) -> Vec<Vec<String>> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ')))
        .map(|group| {
            group
                .split(' ')
                .map(|w| {
                    w.chars()
                        .map(|c| match c {
                            '_' | '.' => '-',
                            c => c.to_ascii_lowercase(),
                        })
                        .collect::<String>()
                        .trim_matches('-')
                        .to_string()
                })
                .filter(|w| !w.is_empty())
                .collect::<Vec<String>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// A name as it is matched: its words joined by `-`, so "Django Orbit", django-orbit and
/// django_orbit are one name.
fn name_of(text: &str) -> String {
    words(text).concat().join("-")
}

/// Whether `name` (from [`name_of`]) is written in a text of these [`words`]: as one word, or
/// as words with only spaces between them ("Django Orbit" holds django-orbit, "Go 与 Python"
/// does not hold go-python).
fn holds_name(words: &[Vec<String>], name: &str) -> bool {
    let parts = name.split('-').count();
    words.iter().any(|group| {
        (0..group.len()).any(|i| (i + 1..=group.len().min(i + parts)).any(|j| group[i..j].join("-") == name))
    })
}

/// Heads of titles that name a subject, not a project: "Python：…" is about anything.
const NOT_PROJECTS: &[&str] = &[
    "python",
    "pep",
    "ai",
    "llm",
    "github",
    "pycon",
    "cpython",
    "hacker-news",
];

static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    // One to three words of ASCII letters, digits and - _ . before a colon at the start.
    Regex::new(r"^\s*([A-Za-z][A-Za-z0-9_.\-]*(?: [A-Za-z0-9][A-Za-z0-9_.\-]*){0,2})\s*[：:]")
        .expect("valid regex")
});

/// A version at the end of a name: `-2-1` of "ReleaseKit 2.1", `-v3`.
static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"-v?\d+(?:-\d+)*$").expect("valid regex"));

/// The projects an entry is about, folded: the name before the colon that opens its title (a
/// version after it dropped), and its title link's repository name where the title writes it.
fn project_names(e: &Entry) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    if let Some(head) = HEAD.captures(&e.title) {
        names.insert(VERSION.replace(&name_of(&head[1]), "").to_string());
    }
    if let Some(name) = e
        .url
        .as_deref()
        .and_then(Resource::of)
        .as_ref()
        .and_then(Resource::repo_name)
    {
        let name = name_of(name);
        if holds_name(&words(&e.title), &name) {
            names.insert(name);
        }
    }
    names.retain(|n| n.len() >= 2 && !NOT_PROJECTS.contains(&n.as_str()) && !PEP.is_match(n));
    names
}

/// The same project: one entry is about a project (its name opens the title, or its title link
/// is the project's repository and the title names it) and the other's title names it too,
/// without being about another project. Two entries whose title links are different
/// repositories are different projects, whatever their names.
fn projects(entries: &[&Entry], found: &mut Vec<Found>) {
    let titles: Vec<Vec<Vec<String>>> = entries.iter().map(|e| words(&e.title)).collect();
    let names: Vec<BTreeSet<String>> = entries.iter().map(|e| project_names(e)).collect();
    let repos: Vec<Option<String>> = entries
        .iter()
        .map(|e| match e.url.as_deref().and_then(Resource::of) {
            Some(Resource::Repo(r)) => Some(r),
            _ => None,
        })
        .collect();
    for (l, later) in entries.iter().enumerate() {
        for (e, earlier) in entries[..l].iter().enumerate() {
            if earlier.issue >= later.issue {
                continue;
            }
            if let (Some(a), Some(b)) = (&repos[l], &repos[e]) {
                if a != b {
                    continue;
                }
            }
            // A title that names the project but is about a project of its own (django-orbit,
            // a Django tool, "mentions" django) is not about it.
            let mentions = |n: &String, other: usize| {
                holds_name(&titles[other], n) && (names[other].is_empty() || names[other].contains(n))
            };
            let shared = names[l]
                .iter()
                .find(|n| mentions(n, e))
                .or_else(|| names[e].iter().find(|n| mentions(n, l)));
            if let Some(name) = shared {
                found.push(Found {
                    later: later.id(),
                    earlier: earlier.id(),
                    evidence: Evidence::Project,
                    key: name.clone(),
                });
            }
        }
    }
}

/// A sentence where the editor says an earlier issue shared something: the marker (which issue)
/// and, after it, a verb of sharing.
static CROSS_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(上期|上一期|前几期|前两期|之前|此前|曾经|以前|往期|第\s*(\d{1,3})\s*期)[^。！？；]{0,40}?(推荐|分享|介绍)",
    )
    .expect("valid regex")
});

static LATIN_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9_.+\-]*[A-Za-z0-9+]").expect("valid regex"));

/// Words of a cross-reference that name nothing: the newsletter's own.
const NOT_NAMES: &[&str] = &["python", "pep", "pr", "star", "the", "of", "and"];

/// The editor's cross-references: 上期 (the issue before), 第 N 期 (issue N), 前几期 (the five
/// before), 之前 / 此前 / 曾经 / 以前 / 往期 (any earlier issue), followed in the same sentence
/// by 推荐 / 分享 / 介绍. For an issue named, the earlier entry is the one of that issue that
/// best matches the sentence: most of its names (Latin words) in its title, then most Chinese
/// character pairs shared with its title and text (at least 3 when no name matches; ties all
/// kept). For "any earlier issue", every entry whose title holds one of its names.
fn cross_references(entries: &[&Entry], found: &mut Vec<Found>) {
    let titles: Vec<Vec<Vec<String>>> = entries.iter().map(|e| words(&e.title)).collect();
    for later in entries {
        for sentence in later.description.split(['。', '！', '？', '；', '\n']) {
            let Some(m) = CROSS_REF.captures(sentence) else {
                continue;
            };
            let issues: Option<std::ops::Range<u32>> = match (&m[1], m.get(2)) {
                (_, Some(n)) => n.as_str().parse().ok().map(|n: u32| n..n + 1),
                ("上期" | "上一期", _) => Some(later.issue.saturating_sub(1)..later.issue),
                ("前几期" | "前两期", _) => Some(later.issue.saturating_sub(5)..later.issue),
                _ => None,
            };
            let names: BTreeSet<String> = LATIN_NAME
                .find_iter(sentence)
                .map(|w| name_of(w.as_str()))
                .filter(|w| w.len() >= 2 && !NOT_NAMES.contains(&w.as_str()))
                .collect();
            let wanted = character_pairs(sentence);
            // (names held, character pairs shared, row) of each entry the marker can mean.
            let scored: Vec<(usize, usize, usize)> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.issue < later.issue && issues.as_ref().is_none_or(|r| r.contains(&e.issue))
                })
                .map(|(i, e)| {
                    let held = names.iter().filter(|n| holds_name(&titles[i], n)).count();
                    let text = format!("{} {}", e.title, e.description);
                    (held, character_pairs(&text).intersection(&wanted).count(), i)
                })
                .collect();
            let chosen: Vec<usize> = if issues.is_some() {
                let best = scored.iter().map(|&(n, c, _)| (n, c)).max();
                match best {
                    Some((n, c)) if n > 0 || c >= 3 => scored
                        .iter()
                        .filter(|&&(n2, c2, _)| (n2, c2) == (n, c))
                        .map(|s| s.2)
                        .collect(),
                    _ => Vec::new(),
                }
            } else {
                scored.iter().filter(|s| s.0 > 0).map(|s| s.2).collect()
            };
            for i in chosen {
                found.push(Found {
                    later: later.id(),
                    earlier: entries[i].id(),
                    evidence: Evidence::CrossRef,
                    key: m[0].to_string(),
                });
            }
        }
    }
}

/// Character pairs that say an issue shared something, not what it shared.
const GENERIC_PAIRS: &[&str] = &[
    "上期", "周刊", "分享", "推荐", "介绍", "文章", "一篇", "项目", "一个", "之前", "这是", "这篇", "作者",
    "已经", "可以", "我们",
];

/// The pairs of adjacent Chinese characters in `text`, but the [`GENERIC_PAIRS`].
fn character_pairs(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .filter(|w| w.iter().all(|&c| crate::parse::markdown::is_cjk(c)))
        .map(|w| w.iter().collect::<String>())
        .filter(|p| !GENERIC_PAIRS.contains(&p.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn entry(issue: u32, position: u32, title: &str, url: Option<&str>) -> Entry {
        let mut e = Entry::stub(issue, Category::Article, position);
        e.title = title.to_string();
        e.url = url.map(str::to_string);
        e
    }

    fn kinds(found: &[Found]) -> Vec<(String, String, Evidence)> {
        found
            .iter()
            .map(|f| (f.later.to_string(), f.earlier.to_string(), f.evidence))
            .collect()
    }

    #[test]
    fn github_pages_are_their_own_resources_and_the_root_is_the_repository() {
        let repo = Resource::of("https://github.com/Quill/AsyncPipe");
        assert_eq!(repo, Some(Resource::Repo("quill/asyncpipe".into())));
        assert_eq!(Resource::of("https://github.com/quill/asyncpipe/tree/main"), repo);
        assert_ne!(
            Resource::of("https://github.com/python/cpython/pull/1"),
            Resource::of("https://github.com/python/cpython/pull/2")
        );
        assert_eq!(
            Resource::of("https://example.com/a?utm_source=x"),
            Resource::of("http://www.example.com/a/")
        );
    }

    #[test]
    fn a_reshare_is_paired_with_each_earlier_share_only() {
        let entries = vec![
            entry(1, 1, "快速的管道库", Some("https://example.com/post")),
            entry(
                2,
                1,
                "管道库再谈",
                Some("https://example.com/post/?utm_source=feed"),
            ),
            entry(2, 2, "同一期的另一份", Some("https://example.com/post")),
            entry(3, 1, "一个项目", Some("https://github.com/quill/pipe")),
            entry(4, 1, "还是它", Some("https://github.com/quill/pipe")),
            entry(5, 1, "它的一个 PR", Some("https://github.com/quill/pipe/pull/7")),
        ];
        let found = mine(&entries);
        assert_eq!(
            kinds(&found),
            vec![
                ("2:article:1".into(), "1:article:1".into(), Evidence::Url),
                ("2:article:2".into(), "1:article:1".into(), Evidence::Url),
                ("4:article:1".into(), "3:article:1".into(), Evidence::Repo),
            ]
        );
        assert_eq!(found[2].key, "https://github.com/quill/pipe");
    }

    #[test]
    fn an_inner_link_to_an_earlier_title_link_is_evidence() {
        let mut later = entry(3, 1, "管道库的新版本", Some("https://example.com/v2"));
        later.links = vec!["https://example.com/v1".into(), "https://example.com/v2".into()];
        let entries = vec![entry(1, 2, "管道库", Some("https://example.com/v1")), later];
        assert_eq!(
            kinds(&mine(&entries)),
            vec![("3:article:1".into(), "1:article:2".into(), Evidence::Link)]
        );
    }

    #[test]
    fn the_same_pep_in_two_titles_however_written() {
        let entries = vec![
            entry(1, 1, "PEP 7001：延迟求值", None),
            entry(2, 1, "pep-7001 被接受了", None),
            entry(3, 1, "PEP 70012 无关", None),
        ];
        let found = mine(&entries);
        assert_eq!(
            kinds(&found),
            vec![("2:article:1".into(), "1:article:1".into(), Evidence::Pep)]
        );
        assert_eq!(found[0].key, "https://peps.python.org/pep-7001/");
    }

    #[test]
    fn a_project_named_in_another_title_but_not_a_namesake() {
        let entries = vec![
            entry(1, 1, "Quill Pipe：一个管道库", None),
            entry(2, 1, "用 quill-pipe 写数据流", Some("https://example.com/p")),
            entry(3, 1, "quillpipes 不是它", None),
            entry(4, 1, "reader：阅读器", Some("https://github.com/alpha/reader")),
            entry(
                5,
                1,
                "reader：另一个阅读器",
                Some("https://github.com/beta/reader"),
            ),
            entry(6, 1, "Python：什么都可以", None),
            entry(7, 1, "Python 的另一篇", None),
            entry(8, 1, "ReleaseKit 2.1：版本发布", None),
            entry(9, 1, "releasekit 的用法", None),
            entry(10, 1, "uv-secure：检查依赖", None),
            entry(11, 1, "secure：安全请求头", None),
            entry(12, 1, "Go 与 Python 的对比", None),
            entry(13, 1, "go-python：在 Go 里写 Python", None),
            entry(14, 1, "quill-lint：给 Quill Pipe 用的检查器", None),
        ];
        let found = mine(&entries);
        assert_eq!(
            kinds(&found),
            vec![
                ("2:article:1".into(), "1:article:1".into(), Evidence::Project),
                ("9:article:1".into(), "8:article:1".into(), Evidence::Project),
            ]
        );
        assert_eq!(found[0].key, "quill-pipe");
    }

    #[test]
    fn the_editors_cross_references_find_the_entry_they_name() {
        let mut by_number = entry(9, 1, "管道库的回应", None);
        by_number.description = "周刊第 4 期分享过 QuillPipe 的发布，这是作者的回应。".into();
        let mut last = entry(5, 2, "再谈数据管道", None);
        last.description = "上期周刊分享了一篇实现数据管道模式的文章，这篇换了方法。".into();
        let mut vague = entry(6, 1, "无关", None);
        vague.description = "之前分享过一篇文章，这篇更好。".into();
        let entries = vec![
            entry(4, 1, "QuillPipe 1.0 发布", None),
            entry(4, 2, "实现数据管道模式的三种方法", None),
            entry(4, 3, "数据库", None),
            last,
            vague,
            by_number,
        ];
        assert_eq!(
            kinds(&mine(&entries)),
            vec![
                ("5:article:2".into(), "4:article:2".into(), Evidence::CrossRef),
                ("9:article:1".into(), "4:article:1".into(), Evidence::CrossRef),
            ]
        );
    }

    #[test]
    fn pairs_gather_the_kinds_of_one_pair_on_one_line() {
        let entries = vec![
            entry(
                1,
                1,
                "PEP 7001：延迟求值",
                Some("https://peps.python.org/pep-7001/"),
            ),
            entry(2, 1, "PEP 7001 被接受", Some("https://peps.python.org/pep-7001")),
        ];
        let lines = pairs(&mine(&entries));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].evidence, vec![Evidence::Url, Evidence::Pep]);
        assert_eq!(lines[0].part, Part::Dev);
    }
}
