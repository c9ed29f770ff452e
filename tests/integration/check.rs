//! `check`: what a draft repeats of the archive, with a verdict for each match (fixtures in
//! `tests/fixtures/check/`, whose README says what each draft entry exercises).

use crate::support::{built, repo, weeklens};

fn fixtures() -> std::path::PathBuf {
    repo().join("tests/fixtures/check")
}

/// The draft checked as JSON, with the exit status.
fn checked() -> (serde_json::Value, Option<i32>, String) {
    let (_dir, store) = built(&fixtures().join("archive"));
    let draft = fixtures().join("drafts/2024-02-03-weekly.md");
    let draft = draft.to_str().expect("utf-8");
    let json = weeklens(&store, &["check", draft, "--format", "json"]);
    let table = weeklens(&store, &["check", draft]);
    assert_eq!(json.status.code(), table.status.code());
    let value = serde_json::from_slice(&json.stdout).expect("json");
    (value, json.status.code(), crate::support::stdout(&table))
}

/// The draft entry `category:position` of the results.
fn entry<'a>(results: &'a serde_json::Value, category: &str, position: u64) -> &'a serde_json::Value {
    results
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["category"] == category && r["position"] == position)
        .unwrap_or_else(|| panic!("no {category}:{position} in {results}"))
}

/// Each earlier match of a draft entry as (issue:category:position, verdict, reason kinds).
fn matches(result: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    ["hits", "covered"]
        .iter()
        .flat_map(|k| result[k].as_array().expect("list").iter())
        .map(|h| {
            (
                format!(
                    "{}:{}:{}",
                    h["issue"],
                    h["category"].as_str().expect("category"),
                    h["position"]
                ),
                h["verdict"].as_str().expect("verdict").to_string(),
                h["reasons"]
                    .as_array()
                    .expect("reasons")
                    .iter()
                    .map(|r| r["kind"].as_str().expect("kind").to_string())
                    .collect(),
            )
        })
        .collect()
}

fn m(id: &str, verdict: &str, kinds: &[&str]) -> (String, String, Vec<String>) {
    (
        id.into(),
        verdict.into(),
        kinds.iter().map(|k| k.to_string()).collect(),
    )
}

#[test]
fn pull_requests_generic_heads_and_namesakes_are_not_repeats() {
    let (results, _, _) = checked();
    // A new pull request is not the repository, nor the earlier pull requests.
    assert_eq!(matches(entry(&results, "article", 1)), vec![]);
    // "Python：" opens both titles but names no project.
    assert_eq!(matches(entry(&results, "article", 2)), vec![]);
    // reader of another repository than the earlier reader.
    assert_eq!(matches(entry(&results, "project", 1)), vec![]);
}

#[test]
fn repeats_are_already_shared_follow_ups_covered_links_mentioned() {
    let (results, code, _) = checked();
    // "Resume Matcher" is Resume-Matcher, folded.
    assert_eq!(
        matches(entry(&results, "project", 2)),
        vec![m("1:project:2", "already_shared", &["same_project"])]
    );
    // The name is shown as the draft writes it, not folded.
    let resume = &entry(&results, "project", 2)["hits"][0]["reasons"][0];
    assert_eq!(resume["detail"], "Resume Matcher", "{resume}");
    // The same repository, its owner in capitals and a trailing slash.
    let repeat = entry(&results, "project", 3);
    assert_eq!(repeat["hits"][0]["verdict"], "already_shared");
    assert_eq!(
        repeat["hits"][0]["url"], "https://github.com/quill/asyncpipe",
        "{repeat}"
    );
    assert!(
        matches(repeat)[0].2.contains(&"same_repository".to_string()),
        "{repeat}"
    );
    // The accepted PEP after its draft: a new stage.
    assert_eq!(
        matches(entry(&results, "article", 3)),
        vec![m("1:article:3", "covered_before", &["same_pep"])]
    );
    // An article naming a project shared before.
    assert_eq!(
        matches(entry(&results, "article", 4)),
        vec![m("1:project:3", "covered_before", &["names_project"])]
    );
    // A link an earlier description gave as context.
    assert_eq!(
        matches(entry(&results, "article", 5)),
        vec![m("1:article:1", "mentioned", &["mentioned"])]
    );
    assert_eq!(code, Some(1), "already shared sets exit status 1");
}

#[test]
fn an_entry_repeated_inside_the_draft_is_reported() {
    let (results, _, table) = checked();
    assert!(entry(&results, "project", 4)["in_draft"]
        .as_array()
        .expect("list")
        .is_empty());
    let twice = &entry(&results, "project", 5)["in_draft"];
    assert_eq!(twice[0]["position"], 4, "{twice}");
    assert_eq!(twice[0]["reasons"][0]["kind"], "same_url");
    assert!(table.contains("also in this draft: project:4"), "{table}");
}

/// A draft of copies: each copy names the first, not every copy before it (n copies would
/// list n² pairs: a hostile draft of 3,000 copies made a 438 MB page).
#[test]
fn a_copy_inside_the_draft_names_the_first_copy_alone() {
    let (dir, store) = built(&crate::support::sample_archive());
    let mut draft = String::from("# Python 潮流周刊#61：副本\n\n## 🦄文章&教程\n\n");
    for n in 1..=4 {
        draft.push_str(&format!(
            "{n}、[同一篇文章](https://copies.example.org/a)\n\n说明。\n\n"
        ));
    }
    let path = dir.path().join("2024-07-20-weekly.md");
    std::fs::write(&path, draft).expect("draft");
    let output = weeklens(
        &store,
        &["check", path.to_str().expect("utf-8"), "--format", "json"],
    );
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for position in 2..=4 {
        let copies = entry(&results, "article", position)["in_draft"]
            .as_array()
            .expect("list")
            .clone();
        let named: Vec<_> = copies.iter().map(|c| c["position"].clone()).collect();
        assert_eq!(named, [1], "article {position}: {results}");
    }
}

#[test]
fn the_table_shows_verdicts_and_the_earlier_link() {
    let (_, _, table) = checked();
    assert!(
        table.contains("already shared: #1 (2024-01-06), project:2"),
        "{table}"
    );
    assert!(
        table.contains("https://github.com/cvtools/Resume-Matcher"),
        "{table}"
    );
    assert!(
        table.contains("covered before: #1 (2024-01-06), article:3"),
        "{table}"
    );
    assert!(
        table.contains("mentioned in #1 (2024-01-06), article:1"),
        "{table}"
    );
    assert!(
        table.ends_with("3 of 10 draft entries were shared before; 3 more covered before\n"),
        "{table}"
    );
}

#[test]
fn covered_before_alone_does_not_set_the_exit_status() {
    let (_dir, store) = built(&fixtures().join("archive"));
    let dir = tempfile::tempdir().expect("temp dir");
    let draft = dir.path().join("2024-02-03-weekly.md");
    std::fs::write(
        &draft,
        "---\ntitle: 'Python 潮流周刊#3：草稿'\npubDate: 2024-02-03\n---\n\n## 🦄文章&教程\n\n\
         1、[PEP 9001 被接受了](https://discuss.example.org/pep-9001-accepted)\n\n指导委员会接受了提案。\n",
    )
    .expect("write");
    let output = weeklens(&store, &["check", draft.to_str().expect("utf-8")]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        crate::support::stdout(&output)
    );
    assert!(crate::support::stdout(&output).contains("covered before: #1"));
}

/// A draft made from last week's file whose number was not changed yet: the store holds an issue
/// of that number with another date. It is checked against every issue dated before it — last
/// week's too, where its repeats are — and a warning says the number is taken.
#[test]
fn a_draft_with_a_number_the_store_holds_is_checked_against_the_issue_of_that_number_too() {
    let (dir, store) = built(&crate::support::sample_archive());
    let text =
        std::fs::read_to_string(crate::support::sample_archive().join("2024-06-29-weekly.md")).expect("#58");
    let draft = dir.path().join("2024-07-06-weekly.md");
    std::fs::write(&draft, text).expect("draft");
    let output = weeklens(
        &store,
        &["check", draft.to_str().expect("utf-8"), "--format", "json"],
    );
    let err = crate::support::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("already holds #58 (2024-06-29)"), "{err}");
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let from_58 = results
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|r| r["hits"].as_array().expect("hits"))
        .filter(|h| h["issue"] == 58)
        .count();
    assert!(from_58 >= 10, "{results}");
}

fn english_fixtures() -> std::path::PathBuf {
    repo().join("tests/fixtures/check-en")
}

/// An English draft (the translation's file) is compared with the earlier entries'
/// translations: its first article retells an earlier one under another link, in nearly the same
/// English words and other Chinese ones, so only the English finds it. The table says which
/// texts were compared.
#[test]
fn an_english_draft_is_compared_with_the_translations() {
    let (_dir, store) = built(&crate::support::sample_archive());
    // The draft's first article is found as the earlier one it retells; the exit status says so.
    // A Chinese draft says the translations decided: its Chinese title is not the earlier one's.
    let finds_the_retelling = |draft: &str, reason: &str| {
        let output = weeklens(&store, &["check", draft, "--format", "json"]);
        let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(
            matches(entry(&results, "article", 1)),
            vec![m("29:article:5", "already_shared", &[reason])],
            "{results}"
        );
        assert_eq!(output.status.code(), Some(1));
    };
    let english = english_fixtures().join("drafts/en/2024-07-20-weekly.md");
    let english = english.to_str().expect("utf-8");
    finds_the_retelling(english, "similar_text");
    let table = crate::support::stdout(&weeklens(&store, &["check", english]));
    assert!(
        table.starts_with("(an English draft: its titles and descriptions were compared with the earlier entries' English translations"),
        "{table}"
    );
    // The earlier entry is shown as it was translated, in the draft's language.
    assert!(
        table.contains("Adding Graceful Shutdown to asyncio Programs"),
        "{table}"
    );
    assert!(!table.contains("给 asyncio 程序加上优雅退出"), "{table}");
    // The Chinese draft with its translation beside it finds it too, by the English side.
    let chinese = english_fixtures().join("drafts/2024-07-20-weekly.md");
    let chinese = chinese.to_str().expect("utf-8");
    finds_the_retelling(chinese, "similar_translation");
    let table = crate::support::stdout(&weeklens(&store, &["check", chinese]));
    assert!(table.contains("similar translation (cosine"), "{table}");
    assert!(
        table.starts_with("(the draft's Chinese titles and descriptions were compared with the earlier entries' Chinese ones, and its translation's (en/)"),
        "{table}"
    );
    assert!(table.contains("给 asyncio 程序加上优雅退出"), "{table}");
}

/// A translation beside the draft that is no file (a pipe, which would wait for a writer) or
/// holds no entries is said and not read; the draft is checked in Chinese alone.
#[test]
fn a_translation_that_is_no_file_is_said_not_waited_for() {
    let (dir, store) = built(&crate::support::sample_archive());
    let drafts = dir.path().join("drafts");
    std::fs::create_dir_all(drafts.join("en")).expect("en/");
    let draft = drafts.join("2024-07-20-weekly.md");
    std::fs::copy(english_fixtures().join("drafts/2024-07-20-weekly.md"), &draft).expect("copy");
    let pipe = drafts.join("en/2024-07-20-weekly.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"))
        .args(["check", draft.to_str().expect("utf-8")])
        .env("WEEKLENS_STORE", &store)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().expect("kill");
            panic!("check waited for a writer of {}", pipe.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    let err = crate::support::stderr(&output);
    assert!(
        err.contains("en/2024-07-20-weekly.md: not a file: not read as the draft's translation"),
        "{err}"
    );
    assert!(crate::support::stdout(&output).starts_with("(the draft's Chinese titles and descriptions were compared with the earlier entries' Chinese ones (no translation"));
    // An empty translation is said too.
    std::fs::remove_file(&pipe).expect("remove");
    std::fs::write(&pipe, "").expect("write");
    let err = crate::support::stderr(&weeklens(&store, &["check", draft.to_str().expect("utf-8")]));
    assert!(
        err.contains("it holds no entries: not read as the draft's translation"),
        "{err}"
    );
}

/// A name two projects bear: the draft's `jitviz` is a pixel-art tool on its own site, the
/// sample's a JIT trace viewer on GitHub; their texts share nothing besides the name. Covered
/// before, never already shared.
#[test]
fn a_name_alone_on_unrelated_text_is_no_repeat() {
    let (_dir, store) = built(&crate::support::sample_archive());
    for draft in ["drafts/2024-07-20-weekly.md", "drafts/en/2024-07-20-weekly.md"] {
        let draft = english_fixtures().join(draft);
        let output = weeklens(
            &store,
            &["check", draft.to_str().expect("utf-8"), "--format", "json"],
        );
        let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(
            matches(entry(&results, "project", 1)),
            vec![m("29:project:2", "covered_before", &["same_name_other_text"])],
            "{results}"
        );
    }
}

/// A new draft whose date slipped a year back (`2023-…` for `2024-…`), with a section under a
/// heading no section is known by: both are said, by `check` and `past-years` alike, with the
/// file and the line, instead of negative ages and entries lost silently.
#[test]
fn a_draft_dated_before_the_latest_issue_and_an_unknown_section_are_said() {
    let (dir, store) = built(&crate::support::sample_archive());
    let draft = dir.path().join("2023-07-20-weekly.md");
    std::fs::write(
        &draft,
        "## 🦄文章&教程\n\n1、[一篇新文章](https://new.example.dev/a)\n\n新的内容。\n\n\
         ## 🎯 本周工具\n\n1、[一个工具](https://new.example.dev/b)\n\n2、[另一个工具](https://new.example.dev/c)\n",
    )
    .expect("draft");
    let draft = draft.to_str().expect("utf-8");
    for args in [vec!["check", draft], vec!["past-years", draft]] {
        let output = weeklens(&store, &args);
        let err = crate::support::stderr(&output);
        assert!(
            err.contains("2023-07-20-weekly.md: the draft is dated 2023-07-20, before the latest issue #"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("2023-07-20-weekly.md:7: `🎯 本周工具` names no section")
                && err.contains("the 2 numbered line(s) after it are not read as entries"),
            "{args:?}: {err}"
        );
    }
    // Three weeks after the latest issue (2024-06-29), the draft's date is no slip; years after it, it
    // is said too.
    let output = weeklens(&store, &["check", draft, "--date", "2024-07-20"]);
    assert!(!crate::support::stderr(&output).contains("the draft is dated"));
    let output = weeklens(&store, &["check", draft, "--date", "2099-01-01"]);
    let err = crate::support::stderr(&output);
    assert!(
        err.contains("the draft is dated 2099-01-01, more than a year after the latest issue #"),
        "{err}"
    );
    // A repeat of an issue later than the slipped date is said as such, not "-1 weeks ago".
    let repeat = dir.path().join("2023-01-07-weekly.md");
    std::fs::write(
        &repeat,
        "## 🦄文章&教程\n\n1、[礼貌的爬虫](https://blog.example.dev/posts/polite-asyncio-crawler)\n",
    )
    .expect("draft");
    let output = weeklens(&store, &["check", repeat.to_str().expect("utf-8")]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("#1 (2023-05-13), article:1, 18 weeks after the draft's date"),
        "{out}"
    );
    let output = weeklens(
        &store,
        &["check", repeat.to_str().expect("utf-8"), "--date", "2023-05-10"],
    );
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("article:1, less than a week after the draft's date"),
        "{out}"
    );
}

/// An article naming a project the archive shared by its title alone (the format since #110:
/// no link, no repository) follows it up: covered before, as one naming a linked repository is.
#[test]
fn an_article_naming_a_title_only_project_is_covered_before() {
    let (dir, store) = built(&crate::support::sample_archive());
    let draft = dir.path().join("2024-07-20-weekly.md");
    std::fs::write(
        &draft,
        "## 🦄文章&教程\n\n① toolcall-schema 的使用体验\n\n② 给 AI 编码助手配置一份 schema 清单\n",
    )
    .expect("draft");
    let output = weeklens(
        &store,
        &["check", draft.to_str().expect("utf-8"), "--format", "json"],
    );
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        matches(entry(&results, "article", 1)),
        vec![m("58:project:1", "covered_before", &["names_project"])],
        "{results}"
    );
    assert_eq!(matches(entry(&results, "article", 2)), vec![], "{results}");
}

/// A draft whose numbers repeat, or whose intro states more entries than its sections hold, is
/// said to be so (the file and the line), by `check` and `past-years` alike.
#[test]
fn a_draft_numbered_twice_or_short_of_its_stated_count_is_said() {
    let (dir, store) = built(&crate::support::sample_archive());
    let draft = dir.path().join("2024-07-20-weekly.md");
    std::fs::write(
        &draft,
        "本期分享了 3 篇文章，1 个开源项目。\n\n## 🦄文章&教程\n\n1、[一](https://a.example.dev/1)\n\n\
         2、[二](https://a.example.dev/2)\n\n2、[又一个二](https://a.example.dev/3)\n\n\
         ## 🐿️项目&资源\n\n1、[甲](https://a.example.dev/4)\n\n2、[乙](https://a.example.dev/5)\n",
    )
    .expect("draft");
    let draft = draft.to_str().expect("utf-8");
    for args in [vec!["check", draft], vec!["past-years", draft]] {
        let err = crate::support::stderr(&weeklens(&store, &args));
        assert!(
            err.contains("2024-07-20-weekly.md:9: entry number 2 of the article section is given again (line 7 first, then line 9)"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(
                "2024-07-20-weekly.md:1: the intro states 1 project entries, the draft's sections hold 2"
            ),
            "{args:?}: {err}"
        );
        assert!(!err.contains("states 3 article"), "{args:?}: {err}");
    }
}

/// A draft whose links are written by reference (`[title][1]`, `[1]: url` at the end) or as an
/// HTML anchor is checked by those links: a shared URL under other words is already shared.
#[test]
fn links_written_by_reference_or_as_anchors_are_checked_by_their_url() {
    let (dir, store) = built(&crate::support::sample_archive());
    let draft = dir.path().join("2024-07-20-weekly.md");
    std::fs::write(
        &draft,
        "## 🦄文章&教程\n\n1、[一份迁移笔记][uv]\n\n写给团队的记录。\n\n\
         2、<a href=\"https://gilfree.example.org/free-threading-313-beta-benchmarks\">性能数据</a>\n\n\
         一些数字。\n\n[uv]: https://toolchain.example.dev/a-week-with-uv\n",
    )
    .expect("draft");
    let output = weeklens(
        &store,
        &["check", draft.to_str().expect("utf-8"), "--format", "json"],
    );
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    for (position, earlier) in [(1, "55:article:1"), (2, "55:article:2")] {
        let found = matches(entry(&results, "article", position));
        assert_eq!(
            found.first().map(|(id, verdict, kinds)| (
                id.as_str(),
                verdict.as_str(),
                kinds.contains(&"same_url".to_string())
            )),
            Some((earlier, "already_shared", true)),
            "{results}"
        );
    }
    assert_eq!(output.status.code(), Some(1));
}
