//! The season's compilation and its link-only edition, in the editor's formats (his
//! `*-iweekly.md` and `*-lweekly.md`), from the store: [`collect`] gathers the records,
//! [`render_compilation`] and [`render_links`] write them as markdown (pure).
//!
//! The compilation: each issue as `## 61 title`, then `[博客原文](…) | 发布时间：…`, then its
//! sections (`### 🦄文章&教程`), each entry `N、[title](url)` with its description where the
//! archive has one (title-only issues as the store holds them: filled from a season
//! compilation at build where one exists). The link-only edition: per category, the window's
//! entries with a link, numbered through the window, with the count in its intro.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::i18n::{Msg, Words};
use super::Scope;
use crate::escape::{markdown_link, markdown_text, markdown_url};
use crate::model::{Category, Entry, Issue};
use crate::past_years::DEFAULT_BASE_URL;

/// An entry as the compilation lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledEntry {
    pub number: u32,
    pub title: String,
    pub url: Option<String>,
    pub description: String,
}

/// An issue of the compilation, its entries by category in the editor's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledIssue {
    pub number: u32,
    /// The issue's own title, without the newsletter's name (`PyPI 管理员密钥泄露事件`).
    pub title: String,
    pub date: NaiveDate,
    /// The blog post (`https://pythoncat.top/posts/2024-07-20-weekly`).
    pub url: String,
    pub sections: Vec<(Category, Vec<CompiledEntry>)>,
}

/// The window's issues, for the compilation and the link-only edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compilation {
    pub season: Option<u32>,
    pub first_issue: u32,
    pub last_issue: u32,
    pub issues: Vec<CompiledIssue>,
}

/// The file names beside `index.md`.
pub const COMPILATION_FILE: &str = "compilation.md";
pub const LINKS_FILE: &str = "links.md";

/// An issue's own title: what follows the newsletter's name and number (`Python 潮流周刊#61：…`).
pub(super) fn own_title(title: &str) -> &str {
    let after = title
        .split_once('：')
        .or_else(|| title.split_once(": "))
        .map_or(title, |(_, rest)| rest);
    after.trim()
}

/// The window's issues and their live entries, in issue order.
pub(super) fn collect(scope: Scope, issues: &[Issue], entries: &[Entry]) -> Compilation {
    let window: Vec<&Issue> = issues.iter().filter(|i| scope.contains(i.number)).collect();
    let compiled = window
        .iter()
        .map(|issue| {
            let sections = Category::ALL
                .into_iter()
                .filter_map(|c| {
                    let mut list: Vec<&Entry> = entries
                        .iter()
                        .filter(|e| e.issue == issue.number && e.category == c && !e.withdrawn)
                        .collect();
                    list.sort_by_key(|e| e.position);
                    (!list.is_empty()).then(|| {
                        (
                            c,
                            list.into_iter()
                                .map(|e| CompiledEntry {
                                    number: e.number.unwrap_or(e.position),
                                    title: e.title.clone(),
                                    url: e.url.clone(),
                                    description: e.description.clone(),
                                })
                                .collect(),
                        )
                    })
                })
                .collect();
            CompiledIssue {
                number: issue.number,
                title: own_title(&issue.title).to_string(),
                date: issue.date,
                url: format!("{DEFAULT_BASE_URL}{}-weekly", issue.date.format("%Y-%m-%d")),
                sections,
            }
        })
        .collect();
    Compilation {
        season: match scope {
            Scope::Season(n) => Some(n),
            Scope::Issues { .. } => None,
        },
        first_issue: window.first().map_or(scope.first(), |i| i.number),
        last_issue: window.last().map_or(scope.last(), |i| i.number),
        issues: compiled,
    }
}

/// A description as markdown paragraphs, each escaped.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(markdown_text)
        .collect()
}

/// The compilation as markdown in the editor's format.
pub fn render_compilation(c: &Compilation, words: Words) -> String {
    let entries: usize = c
        .issues
        .iter()
        .flat_map(|i| &i.sections)
        .map(|(_, list)| list.len())
        .sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n{}\n",
        words.compilation_title(c.season, (c.first_issue, c.last_issue)),
        words.compilation_intro(c.issues.len() as u32, entries as u32)
    );
    for issue in &c.issues {
        let _ = writeln!(out, "## {} {}\n", issue.number, markdown_text(&issue.title));
        let _ = writeln!(
            out,
            "{} | {}：{}\n",
            markdown_link(words.get(Msg::Blog), Some(&issue.url)),
            words.get(Msg::Published),
            issue.date.format("%Y-%m-%d")
        );
        for (category, list) in &issue.sections {
            let _ = writeln!(out, "### {}\n", words.category_heading(*category));
            for e in list {
                let _ = writeln!(
                    out,
                    "{}、{}\n",
                    e.number,
                    markdown_link(&e.title, e.url.as_deref())
                );
                for p in paragraphs(&e.description) {
                    let _ = writeln!(out, "{p}\n");
                }
            }
        }
    }
    out
}

/// The number of links the link-only edition lists: the window's entries with an http(s) link.
pub fn link_count(c: &Compilation) -> usize {
    c.issues
        .iter()
        .flat_map(|i| &i.sections)
        .flat_map(|(_, list)| list)
        .filter(|e| e.url.as_deref().and_then(markdown_url).is_some())
        .count()
}

/// The link-only edition: per category, the titles with links numbered through the window.
pub fn render_links(c: &Compilation, words: Words) -> String {
    let mut by_category: Vec<(Category, Vec<&CompiledEntry>)> = Vec::new();
    let mut unlinked = 0u32;
    for category in Category::ALL {
        let list: Vec<&CompiledEntry> = c
            .issues
            .iter()
            .flat_map(|i| &i.sections)
            .filter(|(cat, _)| *cat == category)
            .flat_map(|(_, list)| list)
            .collect();
        let (linked, rest): (Vec<&CompiledEntry>, Vec<&CompiledEntry>) = list
            .into_iter()
            .partition(|e| e.url.as_deref().and_then(markdown_url).is_some());
        unlinked += rest.len() as u32;
        if !linked.is_empty() {
            by_category.push((category, linked));
        }
    }
    let links: usize = by_category.iter().map(|(_, l)| l.len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n{}\n",
        words.links_title(c.season, (c.first_issue, c.last_issue)),
        words.links_intro(links as u32, by_category.len(), unlinked)
    );
    for (category, list) in &by_category {
        let _ = writeln!(out, "## {}\n", words.category_heading(*category));
        for (k, e) in list.iter().enumerate() {
            let _ = writeln!(out, "{}、{}\n", k + 1, markdown_link(&e.title, e.url.as_deref()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    #[test]
    fn an_issue_title_loses_the_newsletters_name() {
        assert_eq!(
            own_title("Python 潮流周刊#61：PyPI 管理员密钥泄露事件"),
            "PyPI 管理员密钥泄露事件"
        );
        assert_eq!(
            own_title("Python Trending Weekly #61: Leaked keys"),
            "Leaked keys"
        );
        assert_eq!(own_title("无标题"), "无标题");
    }

    fn sample() -> Compilation {
        let e = |n: u32, url: Option<&str>| CompiledEntry {
            number: n,
            title: format!("标题 {n} <b>"),
            url: url.map(str::to_string),
            description: "第一段。\n\n第二段 *强调*。".into(),
        };
        Compilation {
            season: Some(3),
            first_issue: 61,
            last_issue: 62,
            issues: vec![
                CompiledIssue {
                    number: 61,
                    title: "PyPI 密钥".into(),
                    date: NaiveDate::from_ymd_opt(2024, 7, 20).expect("date"),
                    url: "https://pythoncat.top/posts/2024-07-20-weekly".into(),
                    sections: vec![
                        (
                            Category::Article,
                            vec![e(1, Some("https://a.example/1")), e(2, None)],
                        ),
                        (Category::Project, vec![e(1, Some("https://b.example/1"))]),
                    ],
                },
                CompiledIssue {
                    number: 62,
                    title: "自由线程".into(),
                    date: NaiveDate::from_ymd_opt(2024, 7, 27).expect("date"),
                    url: "https://pythoncat.top/posts/2024-07-27-weekly".into(),
                    sections: vec![(Category::Article, vec![e(1, Some("javascript:alert(1)"))])],
                },
            ],
        }
    }

    #[test]
    fn the_compilation_has_the_editors_shape() {
        let md = render_compilation(&sample(), Words::new(Lang::Zh));
        assert!(md.contains("## 61 PyPI 密钥\n\n[博客原文](https://pythoncat.top/posts/2024-07-20-weekly) | 发布时间：2024-07-20\n"), "{md}");
        assert!(md.contains("### 🦄文章&教程\n\n1、[标题 1 &lt;b&gt;](https://a.example/1)\n\n第一段。\n\n第二段 \\*强调\\*。\n"), "{md}");
        assert!(
            md.contains("2、标题 2 &lt;b&gt;\n"),
            "an entry without a link is its title: {md}"
        );
        assert!(md.contains("### 🐿️项目&资源"), "{md}");
        assert!(!md.contains("javascript:"), "{md}");
    }

    #[test]
    fn the_link_only_edition_counts_and_numbers_its_links() {
        let c = sample();
        let md = render_links(&c, Words::new(Lang::Zh));
        assert_eq!(link_count(&c), 2);
        assert!(md.contains("本文总计 2 个链接，有 2 大分类"), "{md}");
        assert!(md.contains("另有 2 条"), "{md}");
        assert_eq!(md.matches("](https://").count(), 2, "{md}");
        assert!(
            md.contains("## 🦄文章&教程\n\n1、[标题 1 &lt;b&gt;](https://a.example/1)\n"),
            "{md}"
        );
        assert!(md.contains("## 🐿️项目&资源\n\n1、"), "{md}");
        let en = render_links(&c, Words::new(Lang::En));
        assert!(en.contains("2 links in 2 categories"), "{en}");
        assert!(en.contains("## 🦄Articles & tutorials"), "{en}");
    }
}
