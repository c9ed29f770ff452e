//! The season's compilation and its link-only edition, in the editor's formats (his
//! `*-iweekly.md` and `*-lweekly.md`), from the store: [`collect`] gathers the records,
//! [`render_compilation`] and [`render_links`] write them as markdown (pure).
//!
//! The compilation: each issue as `## 61 title`, then `[博客原文](…) | 发布时间：…`, then its
//! sections (`### 🦄文章&教程`), each entry `N、[title](url)` with its description where the
//! archive has one (title-only issues as the store holds them: filled from a season
//! compilation at build where one exists), its links and code spans where the editor wrote
//! them; then the issue's own past-years section (`### [🐧 往年回顾](…)`, one line per issue it
//! linked: that issue's title and date), as his compilations keep it. The link-only edition:
//! per category, the window's entries with a link, numbered through the window, with the count
//! in its intro. In English: the translation's titles and descriptions where it has them (an
//! early issue, whose translation's title is its number alone, named by the entry its Chinese
//! subject was taken from, else by its Chinese title).

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::i18n::{Msg, Words};
use super::Scope;
use crate::escape::{markdown_link, markdown_marked, markdown_text, markdown_url};
use crate::model::{Category, Entry, Issue, Lang, Mark};
use crate::past_years::{english_title, Heading, DEFAULT_BASE_URL};

/// An entry as the compilation lists it, in the compilation's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledEntry {
    pub number: u32,
    pub title: String,
    pub url: Option<String>,
    pub description: String,
    /// The description's links and code spans ([`Entry::description_marks`]).
    pub marks: Vec<Mark>,
}

/// A line of an issue's past-years section: the issue it linked (its title and date, when the
/// store holds it) and the link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastLine {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub url: String,
}

/// An issue's past-years section (往年回顾) as it wrote it: its heading and its links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastSection {
    pub heading: Heading,
    pub lines: Vec<PastLine>,
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
    /// The issue's own past-years section, where it has one.
    pub past: Option<PastSection>,
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

/// An issue's title in `lang`: in English the translation's, named by its entries where it says
/// only the issue's number ([`english_title`]); the Chinese where the translation has no
/// subject or none.
fn title_in(issue: &Issue, entries: &[Entry], lang: Lang) -> String {
    match lang {
        Lang::En => english_title(issue, entries).unwrap_or_else(|| issue.title.clone()),
        Lang::Zh => issue.title.clone(),
    }
}

/// An entry as the compilation of `lang` lists it: in English the translation's title, and its
/// description where it has one (the Chinese where it has none, as `index.md` shows them).
fn compiled(e: &Entry, lang: Lang) -> CompiledEntry {
    let (title, description, marks) = match (lang, &e.en_title) {
        (Lang::En, Some(title)) => match &e.en_description {
            Some(d) => (title, d, &e.en_description_marks),
            None => (title, &e.description, &e.description_marks),
        },
        _ => (&e.title, &e.description, &e.description_marks),
    };
    CompiledEntry {
        number: e.number.unwrap_or(e.position),
        title: title.clone(),
        url: e.url.clone(),
        description: description.clone(),
        marks: marks.clone(),
    }
}

/// An issue's past-years section, its heading in `lang` and each link named by the issue it
/// links (`issues` by number).
fn past_section(issue: &Issue, issues: &[Issue], entries: &[Entry], lang: Lang) -> Option<PastSection> {
    let heading = Heading::parse(issue.past_heading.as_deref()?)?.in_lang(lang);
    let lines: Vec<PastLine> = issue
        .past_links
        .iter()
        .map(|link| {
            let linked = link.issue.and_then(|n| issues.iter().find(|i| i.number == n));
            PastLine {
                title: linked.map(|i| title_in(i, entries, lang)),
                date: linked.map(|i| i.date),
                url: link.url.clone(),
            }
        })
        .collect();
    (!lines.is_empty()).then_some(PastSection { heading, lines })
}

/// The window's issues and their live entries, in issue order, in `lang`.
pub(super) fn collect(scope: Scope, issues: &[Issue], entries: &[Entry], lang: Lang) -> Compilation {
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
                    (!list.is_empty()).then(|| (c, list.into_iter().map(|e| compiled(e, lang)).collect()))
                })
                .collect();
            CompiledIssue {
                number: issue.number,
                title: own_title(&title_in(issue, entries, lang)).to_string(),
                date: issue.date,
                url: format!("{DEFAULT_BASE_URL}{}-weekly", issue.date.format("%Y-%m-%d")),
                sections,
                past: past_section(issue, issues, entries, lang),
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

/// A title without the date an early translation ends it with (`… (2023-07-15)`): the line
/// writes the date after it.
fn without_date(title: &str) -> &str {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\s*[(（]\d{4}[-.]\d{2}[-.]\d{2}[)）]\s*$").expect("valid regex")
    });
    DATE.find(title).map_or(title, |m| &title[..m.start()])
}

/// The past-years section as the editor's compilations write it, one level below the issue's
/// heading: `### [🐧 往年回顾](…)`, then each linked issue's title and date
/// (`[Python潮流周刊#11：…](…)（2023.07.15）`), or the link alone for an issue the store lacks.
fn render_past(out: &mut String, past: &PastSection, words: Words) {
    let (open, close) = match words.lang {
        Lang::Zh => ("（", "）"),
        Lang::En => (" (", ")"),
    };
    let _ = writeln!(
        out,
        "### {}\n",
        markdown_link(&past.heading.label, past.heading.url.as_deref())
    );
    for line in &past.lines {
        let title = line.title.as_deref().map_or(line.url.as_str(), without_date);
        let _ = match line.date {
            Some(date) => writeln!(
                out,
                "{}{open}{}{close}\n",
                markdown_link(title, Some(&line.url)),
                date.format("%Y.%m.%d")
            ),
            None => writeln!(out, "{}\n", markdown_link(title, Some(&line.url))),
        };
    }
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
            "{} | {}\n",
            markdown_link(words.get(Msg::Blog), Some(&issue.url)),
            words.labelled(
                words.get(Msg::Published),
                &issue.date.format("%Y-%m-%d").to_string()
            )
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
                if !e.description.trim().is_empty() {
                    let _ = writeln!(out, "{}\n", markdown_marked(&e.description, &e.marks));
                }
            }
        }
        if let Some(past) = &issue.past {
            render_past(&mut out, past, words);
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
        // `用 uv run` a code span, `文档` a link, `*强调*` text.
        let description = "用 uv run 读文档\n第二行 *强调*。";
        let at = |s: &str| u32::try_from(description.find(s).expect("in the text")).expect("small");
        let e = |n: u32, url: Option<&str>| CompiledEntry {
            number: n,
            title: format!("标题 {n} <b>"),
            url: url.map(str::to_string),
            description: description.into(),
            marks: vec![
                Mark {
                    start: at("uv run"),
                    end: at(" 读"),
                    link: None,
                },
                Mark {
                    start: at("文档"),
                    end: at("\n"),
                    link: Some("https://docs.example/".into()),
                },
            ],
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
                    past: Some(PastSection {
                        heading: Heading::parse("## [🐧 往年回顾](https://sub.example/)").expect("heading"),
                        lines: vec![
                            PastLine {
                                title: Some("周刊#11：旧的一期".into()),
                                date: NaiveDate::from_ymd_opt(2023, 7, 15),
                                url: "https://pythoncat.top/posts/2023-07-15-weekly".into(),
                            },
                            PastLine {
                                title: None,
                                date: None,
                                url: "https://elsewhere.example/x".into(),
                            },
                        ],
                    }),
                },
                CompiledIssue {
                    number: 62,
                    title: "自由线程".into(),
                    date: NaiveDate::from_ymd_opt(2024, 7, 27).expect("date"),
                    url: "https://pythoncat.top/posts/2024-07-27-weekly".into(),
                    sections: vec![(Category::Article, vec![e(1, Some("javascript:alert(1)"))])],
                    past: None,
                },
            ],
        }
    }

    #[test]
    fn the_compilation_has_the_editors_shape() {
        let md = render_compilation(&sample(), Words::new(Lang::Zh));
        assert!(md.contains("## 61 PyPI 密钥\n\n[博客原文](https://pythoncat.top/posts/2024-07-20-weekly) | 发布时间：2024-07-20\n"), "{md}");
        assert!(md.contains("### 🦄文章&教程\n\n1、[标题 1 &lt;b&gt;](https://a.example/1)\n\n用 `uv run` 读[文档](https://docs.example/) 第二行 \\*强调\\*。\n"), "{md}");
        assert!(
            md.contains("2、标题 2 &lt;b&gt;\n"),
            "an entry without a link is its title: {md}"
        );
        assert!(md.contains("### 🐿️项目&资源"), "{md}");
        assert!(!md.contains("javascript:"), "{md}");
        assert!(
            md.contains("### [🐧 往年回顾](https://sub.example/)\n\n[周刊#11：旧的一期](https://pythoncat.top/posts/2023-07-15-weekly)（2023.07.15）\n\n[https://elsewhere.example/x](https://elsewhere.example/x)\n\n## 62 "),
            "the issue's past-years section closes it, one level down: {md}"
        );
        let en = render_compilation(&sample(), Words::new(Lang::En));
        assert!(en.contains(" | Published: 2024-07-20\n"), "{en}");
        assert!(
            en.contains("[周刊#11：旧的一期](https://pythoncat.top/posts/2023-07-15-weekly) (2023.07.15)\n"),
            "{en}"
        );
    }

    fn issue(number: u32, title: &str, en_title: Option<&str>) -> Issue {
        Issue {
            number,
            date: NaiveDate::from_ymd_opt(2023, 7, 15).expect("date")
                + chrono::Days::new(7 * u64::from(number)),
            title: title.into(),
            format: crate::model::IssueFormat::Full,
            source: format!("{number}.md"),
            stated: Default::default(),
            counts: Default::default(),
            withdrawn: 0,
            paired: 0,
            translation: crate::model::Translation::Present,
            filled: 0,
            en_title: en_title.map(str::to_string),
            past_links: Vec::new(),
            past_heading: None,
            en_named: None,
        }
    }

    #[test]
    fn in_english_the_translation_is_shown_where_it_has_the_words() {
        let mut issues = vec![
            issue(
                11,
                "Python潮流周刊#11：旧的一期",
                Some("Python Trending Weekly #11 (2023-09-30)"),
            ),
            issue(
                12,
                "Python 潮流周刊#12：自己的标题",
                Some("Python Trending Weekly #12: Own title"),
            ),
            issue(
                10,
                "Python潮流周刊#10：更早的一期",
                Some("Python Trending Weekly #10 (2023-09-23)"),
            ),
        ];
        issues[1].past_heading = Some("## [🐧 往年回顾](https://sub.example/)".into());
        issues[1].past_links = [11, 10]
            .map(|n| crate::model::PastLink {
                issue: Some(n),
                url: format!("https://pythoncat.top/posts/old-{n}"),
            })
            .to_vec();
        let entry = |position: u32, en_title: Option<&str>, en_description: Option<&str>| Entry {
            title: format!("中文标题 {position}"),
            url: Some(format!("https://x.example/{position}")),
            description: "中文描述".into(),
            description_marks: vec![Mark {
                start: 0,
                end: 6,
                link: Some("https://zh.example/".into()),
            }],
            en_title: en_title.map(str::to_string),
            en_description: en_description.map(str::to_string),
            en_description_marks: vec![Mark {
                start: 8,
                end: 12,
                link: None,
            }],
            ..Entry::stub(12, Category::Article, position)
        };
        let mut entries = vec![
            entry(1, Some("English title"), Some("English text")),
            entry(2, Some("Titled only"), None),
            entry(3, None, None),
        ];
        // Issue 11's subject was taken from its entry; issue 10's matches none of its entries.
        entries.push(Entry {
            title: "旧的一期呀".into(),
            en_title: Some("The old one".into()),
            ..Entry::stub(11, Category::Article, 1)
        });
        entries.push(Entry {
            title: "别的内容".into(),
            en_title: Some("Something else".into()),
            ..Entry::stub(10, Category::Article, 1)
        });
        let c = collect(Scope::Issues { from: 12, to: 12 }, &issues, &entries, Lang::En);
        let md = render_compilation(&c, Words::of(Lang::En, false));
        assert!(md.contains("## 12 Own title\n"), "{md}");
        assert!(
            md.contains("1、[English title](https://x.example/1)\n\nEnglish `text`\n"),
            "{md}"
        );
        assert!(
            md.contains("2、[Titled only](https://x.example/2)\n\n[中文](https://zh.example/)描述\n"),
            "{md}"
        );
        assert!(md.contains("3、[中文标题 3](https://x.example/3)\n"), "{md}");
        assert!(
            md.contains("### [🐧 Looking Back](https://sub.example/)\n\n[Python Trending Weekly #11: The old one](https://pythoncat.top/posts/old-11) (2023.09.30)\n\n[Python潮流周刊#10：更早的一期](https://pythoncat.top/posts/old-10) (2023.09.23)\n"),
            "an early issue named by the entry its subject was taken from, else in Chinese: {md}"
        );
        let early = collect(Scope::Issues { from: 10, to: 11 }, &issues, &entries, Lang::En);
        let md = render_compilation(&early, Words::of(Lang::En, false));
        assert!(md.contains("## 10 更早的一期\n"), "{md}");
        assert!(md.contains("## 11 The old one\n"), "{md}");
        let links = render_links(&c, Words::of(Lang::En, false));
        assert!(
            links.contains("1、[English title](https://x.example/1)"),
            "{links}"
        );
        let zh = render_compilation(
            &collect(Scope::Issues { from: 12, to: 12 }, &issues, &entries, Lang::Zh),
            Words::of(Lang::Zh, false),
        );
        assert!(zh.contains("## 12 自己的标题\n"), "{zh}");
        assert!(
            zh.contains("1、[中文标题 1](https://x.example/1)\n\n[中文](https://zh.example/)描述\n"),
            "{zh}"
        );
        assert!(
            zh.contains("[Python潮流周刊#11：旧的一期](https://pythoncat.top/posts/old-11)（2023.09.30）\n"),
            "{zh}"
        );
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
