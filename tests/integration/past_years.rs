//! The past-years section: the same week of earlier years and, on request, the related older
//! entries, in the editor's format, in both languages; the sections the issues already hold are
//! read back.

use crate::support::{built, ok, sample_archive};

/// A draft dated 2024-06-01 with one entry about asyncio pipelines, a topic of the sample archive.
const DRAFT: &str = "---\ntitle: Python 潮流周刊#59：草稿\npubDate: 2024-06-01\n---\n\n\
## 🦄文章&教程\n\n\
1、[又一个异步管道库](https://blog.example.net/yet-another-pipeline)\n\n\
用 asyncio 异步生成器 搭建数据 管道，背压与取消都考虑到了。\n";

fn draft(dir: &std::path::Path) -> String {
    let path = dir.join("2024-06-01-weekly.md");
    std::fs::write(&path, DRAFT).expect("write draft");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn the_section_links_the_same_week_a_year_back_and_related_older_entries() {
    let (dir, store) = built(&sample_archive());
    let draft = draft(dir.path());
    let markdown = ok(&store, &["past-years", &draft, "--related", "--style", "long"]);
    let json: serde_json::Value = serde_json::from_str(&ok(
        &store,
        &["past-years", &draft, "--related", "--format", "json"],
    ))
    .expect("json");

    // 2023-06-01 is two days from #4 (2023-06-03): the week's issue a year back.
    let issues = json["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 1, "{json}");
    assert_eq!(issues[0]["issue"], 4);
    assert!(
        markdown.starts_with("## [🐧往年回顾](https://weekly.pythoncat.top)\n"),
        "{markdown}"
    );
    // The related entries stand under their own sub-heading, after the issues.
    let (issues_part, related_part) = markdown.split_once("\n### 相关旧文\n").expect("sub-heading");
    assert!(issues_part.contains("2023-06-03-weekly"), "{markdown}");
    assert!(
        markdown.contains("](https://pythoncat.top/posts/2023-06-03-weekly)（2023.06.03）"),
        "{markdown}"
    );

    // The most related entry is among the first `related` ranks for the same text before the
    // draft's issue (past-years weighs the draft entry's title up as the build does an entry's,
    // which a text query, having no title, cannot), and it is old.
    let entries = json["entries"].as_array().expect("entries");
    assert!(!entries.is_empty(), "{json}");
    let text = "又一个异步管道库\n用 asyncio 异步生成器 搭建数据 管道，背压与取消都考虑到了。";
    let related: serde_json::Value = serde_json::from_str(&ok(
        &store,
        &[
            "related", "--text", text, "--before", "59", "-k", "3", "--format", "json",
        ],
    ))
    .expect("json");
    let first_three = related.as_array().expect("array");
    assert!(
        first_three.iter().any(|r| r["title"] == entries[0]["title"]),
        "{json}\n{related}"
    );
    let date = entries[0]["date"].as_str().expect("date").replace('-', ".");
    assert!(
        related_part.contains(&format!("（第 {} 期，{date}）", entries[0]["issue"])),
        "{markdown}"
    );
    for e in entries {
        assert!(
            e["date"].as_str().expect("date") <= "2023-12-02",
            "older than 26 weeks: {e}"
        );
        assert!(e["score"].as_f64().expect("score") >= 0.2);
        assert!(
            e["shared"].as_array().expect("shared").len() >= 2,
            "one word is not enough: {e}"
        );
        let title = e["title"].as_str().expect("title");
        assert!(markdown.contains(title), "{title} in\n{markdown}");
    }
}

#[test]
fn by_default_only_issues_in_the_short_style() {
    let (dir, store) = built(&sample_archive());
    let draft = draft(dir.path());
    let markdown = ok(&store, &["past-years", &draft]);
    let title = std::fs::read_to_string(sample_archive().join("2023-06-03-weekly.md"))
        .expect("issue")
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("front matter title")
        .trim_matches(['"', '\''])
        .to_string();
    let subject = &title[title.find('#').expect("#")..];
    assert_eq!(
        markdown,
        format!(
            "## [🐧往年回顾](https://weekly.pythoncat.top)\n\n[{subject}](https://pythoncat.top/posts/2023-06-03-weekly)\n"
        )
    );
}

#[test]
fn english_sections_use_the_translation() {
    let (dir, store) = built(&sample_archive());
    let draft = draft(dir.path());
    let markdown = ok(
        &store,
        &[
            "past-years",
            &draft,
            "--lang",
            "en",
            "--style",
            "long",
            "--related",
        ],
    );
    assert!(
        markdown.starts_with("## [🐧Looking Back](https://weekly.pythoncat.top)\n"),
        "{markdown}"
    );
    let en_title = std::fs::read_to_string(sample_archive().join("en/2023-06-03-weekly.md"))
        .expect("translation")
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("front matter title")
        .trim_matches(['"', '\''])
        .to_string();
    assert!(
        markdown.contains(&format!(
            "[{en_title}](https://pythoncat.top/posts/2023-06-03-weekly) (2023.06.03)"
        )),
        "{en_title} in\n{markdown}"
    );
    // No Chinese title in the English section.
    assert!(
        !markdown.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{markdown}"
    );
}

#[test]
fn the_issues_own_sections_are_kept_in_the_store() {
    let (_dir, store) = built(&sample_archive());
    let issues = weeklens::store::Store::open(&store)
        .expect("store")
        .issues()
        .expect("issues");
    let linked = |n: u32| -> Vec<Option<u32>> {
        let issue = issues.iter().find(|i| i.number == n).expect("issue");
        issue.past_links.iter().map(|l| l.issue).collect()
    };
    // Heading sections (#55, #56) and bold-line sections of the title-only issues (#57, #58).
    assert_eq!(linked(55), vec![Some(1)]);
    assert_eq!(linked(56), vec![Some(2)]);
    assert_eq!(linked(57), vec![Some(3)]);
    assert_eq!(linked(58), vec![Some(4)]);
    assert!(linked(1).is_empty());
}

#[test]
fn a_bad_base_url_is_refused_by_name() {
    let (dir, store) = built(&sample_archive());
    let draft = draft(dir.path());
    let output = crate::support::weeklens(&store, &["past-years", &draft, "--base-url", "ftp:/x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(crate::support::stderr(&output).contains("--base-url"));
}

/// A draft of `date`, the same entry as [`DRAFT`].
fn draft_of(dir: &std::path::Path, date: &str) -> String {
    let path = dir.join(format!("{date}-weekly.md"));
    std::fs::write(&path, DRAFT.replace("2024-06-01", date)).expect("write draft");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn the_heading_is_the_editors_latest_as_he_wrote_it() {
    let (dir, store) = built(&sample_archive());
    // After #56 (2024-06-15): its heading, emoji, space and link as the sample writes them.
    let after_56 = draft_of(dir.path(), "2024-06-20");
    let markdown = ok(&store, &["past-years", &after_56]);
    assert!(
        markdown.starts_with("## [🐧 往年回顾](https://weekly.example.dev/subscribe)\n"),
        "{markdown}"
    );
    let english = ok(&store, &["past-years", &after_56, "--lang", "en"]);
    assert!(
        english.starts_with("## [🐧 Looking Back](https://weekly.example.dev/subscribe)\n"),
        "{english}"
    );
    // After #58, whose section heads with a bold line: its link.
    let after_58 = draft_of(dir.path(), "2024-07-03");
    let markdown = ok(&store, &["past-years", &after_58]);
    assert!(
        markdown.starts_with("## [🐧 往年回顾](https://weekly.example.dev)\n"),
        "{markdown}"
    );
    // --heading-url overrides the link, the words kept.
    let over = ok(
        &store,
        &["past-years", &after_56, "--heading-url", "https://example.org/w"],
    );
    assert!(
        over.starts_with("## [🐧 往年回顾](https://example.org/w)\n"),
        "{over}"
    );
    let issues = weeklens::store::Store::open(&store)
        .expect("store")
        .issues()
        .expect("issues");
    let heading = |n: u32| {
        issues
            .iter()
            .find(|i| i.number == n)
            .and_then(|i| i.past_heading.clone())
    };
    assert_eq!(
        heading(55).as_deref(),
        Some("## [🐧 往年回顾](https://weekly.example.dev/subscribe)")
    );
    assert_eq!(heading(1), None);
}

#[test]
fn an_empty_section_says_why() {
    let (dir, store) = built(&sample_archive());
    // The sample has no issue of the week of 2024-07-06 a year back; 2024-06-01's has one.
    let empty = crate::support::weeklens(&store, &["past-years", &draft_of(dir.path(), "2024-07-06")]);
    assert!(empty.status.success());
    let said = crate::support::stderr(&empty);
    assert!(
        said.contains("the section is empty") && said.contains("2024-07-06"),
        "{said}"
    );
    assert!(said.contains("--related"), "{said}");
    let full = crate::support::weeklens(&store, &["past-years", &draft_of(dir.path(), "2024-06-01")]);
    assert!(!crate::support::stderr(&full).contains("empty"));
}

/// The ids of a section's related entries, in order, and their titles.
fn related_of(json: &serde_json::Value) -> Vec<(String, String)> {
    json["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                format!(
                    "{}:{}:{}",
                    e["issue"],
                    e["category"].as_str().expect("category"),
                    e["position"]
                ),
                e["title"].as_str().expect("title").to_string(),
            )
        })
        .collect()
}

/// The English section relates the same entries as the Chinese one, in the same order: an entry
/// never translated is shown by its Chinese title, not left out for another. An English draft
/// (`en/NAME`) stands for its Chinese original `NAME` beside it.
#[test]
fn english_and_chinese_sections_relate_the_same_entries() {
    // The sample archive with the translation of #29 taken away: its entries have none.
    let work = tempfile::tempdir().expect("temp dir");
    let archive = work.path().join("archive");
    std::fs::create_dir_all(archive.join("en")).expect("en/");
    for file in std::fs::read_dir(sample_archive()).expect("sample").flatten() {
        let path = file.path();
        if path.is_file() {
            std::fs::copy(&path, archive.join(file.file_name())).expect("copy");
        }
    }
    for file in std::fs::read_dir(sample_archive().join("en"))
        .expect("sample en/")
        .flatten()
    {
        if file.file_name() != "2023-12-02-weekly.md" {
            std::fs::copy(file.path(), archive.join("en").join(file.file_name())).expect("copy");
        }
    }
    let (dir, store) = built(&archive);
    let draft = draft(dir.path());
    let section = |draft: &str, lang: &str| -> serde_json::Value {
        serde_json::from_str(&ok(
            &store,
            &[
                "past-years",
                draft,
                "--related",
                "--lang",
                lang,
                "--format",
                "json",
            ],
        ))
        .expect("json")
    };
    let zh = related_of(&section(&draft, "zh"));
    let en = related_of(&section(&draft, "en"));
    let ids = |s: &[(String, String)]| s.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    assert!(
        zh.iter().any(|(id, _)| id.starts_with("29:")),
        "the draft relates to an entry of #29: {zh:?}"
    );
    assert_eq!(ids(&en), ids(&zh));
    // #29's entries in Chinese, the others in English.
    for ((id, en_title), (_, zh_title)) in en.iter().zip(&zh) {
        assert_eq!(
            id.starts_with("29:"),
            en_title == zh_title,
            "{id}: {en_title} / {zh_title}"
        );
    }
}

/// An English draft (`en/NAME`, the translation's file) stands for its Chinese original `NAME`
/// beside it: its section relates the entries the Chinese one does, whatever its English says.
#[test]
fn an_english_draft_chooses_as_its_chinese_original() {
    let (dir, store) = built(&sample_archive());
    let draft = draft(dir.path());
    let section = |draft: &str| -> Vec<(String, String)> {
        related_of(
            &serde_json::from_str(&ok(
                &store,
                &[
                    "past-years",
                    draft,
                    "--related",
                    "--lang",
                    "en",
                    "--format",
                    "json",
                ],
            ))
            .expect("json"),
        )
    };
    let en = section(&draft);
    assert!(!en.is_empty());
    std::fs::create_dir_all(dir.path().join("en")).expect("en/");
    let translation = dir.path().join("en/2024-06-01-weekly.md");
    std::fs::write(
        &translation,
        "---\ntitle: 'Python Trending Weekly #59: Draft'\npubDate: 2024-06-01\n---\n\n\
         ## 🦄Articles & Tutorials\n\n\
         1、[Yet another pipeline library](https://blog.example.net/yet-another-pipeline)\n\n\
         Totally unrelated words: gardening, weather, bicycles.\n",
    )
    .expect("write translation");
    assert_eq!(section(translation.to_str().expect("utf-8")), en);
}

#[test]
fn an_english_title_of_the_number_alone_is_named_as_the_editors_english_section_named_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    // #1's translation titled by its number alone, as the real archive's first 42 are; a later
    // English section names #1 in words of its own.
    let edit = |name: &str, from: &str, to: &str| {
        let path = archive.join(name);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{name}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    };
    edit(
        "en/2023-05-13-weekly.md",
        "title: 'Python Trending Weekly #1: Writing a Polite Crawler with asyncio'",
        "title: 'Python Trending Weekly #1 (2023-05-13)'",
    );
    edit(
        "en/2024-06-08-weekly.md",
        "[Python Trending Weekly #1: Writing a Polite Crawler with asyncio]",
        "[#1: A Polite Crawler, Written with asyncio]",
    );
    let (_built, store) = built(&archive);
    let draft = draft_of(dir.path(), "2024-05-11");
    let english = ok(&store, &["past-years", &draft, "--lang", "en"]);
    assert!(
        english.contains(
            "A Polite Crawler, Written with asyncio](https://pythoncat.top/posts/2023-05-13-weekly)"
        ),
        "{english}"
    );
    assert!(!weeklens::parse::markdown::has_cjk(&english), "{english}");
}
