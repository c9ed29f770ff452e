//! What the archive reader must never drop or mix silently: issue files that are symbolic links,
//! files named with a date it cannot read, files cut short, translations that are empty or in
//! another language, and an archive of which no file is kept. Each case is named, with the file
//! and the reason; `--strict` turns it into a failure that leaves the store as it was.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{ok, stderr, stdout, weeklens};

/// A made-up weekly issue with `articles` linked articles, each with a one-line description.
fn issue(number: u32, date: &str, articles: u32) -> String {
    let mut text = format!(
        "---\ntitle: 'Python 潮流周刊#{number}：测试用的一期'\npubDate: {date}\n---\n\n你好，这是虚构的一期。\n\n## 🦄文章&教程\n\n"
    );
    for n in 1..=articles {
        text.push_str(&format!(
            "{n}、[第 {number} 期的第 {n} 篇文章](https://example.dev/{number}/{n})\n\n这是第 {n} 篇文章的描述，讲了一个虚构的主题。\n\n"
        ));
    }
    text
}

/// The English translation of [`issue`].
fn translation(number: u32, articles: u32) -> String {
    let mut text =
        format!("# Python Trending Weekly #{number}: an invented issue\n\n## Articles & Tutorials\n\n");
    for n in 1..=articles {
        text.push_str(&format!(
            "{n}. [Article {n} of issue {number}](https://example.dev/{number}/{n})\n\nThe description of article {n}, about an invented topic.\n\n"
        ));
    }
    text
}

/// A Japanese translation of [`issue`], as another translation folder of the archive holds it.
fn japanese(number: u32, articles: u32) -> String {
    let mut text = format!("# Python トレンド週刊 #{number}：テスト用の号\n\n## 記事とチュートリアル\n\n");
    for n in 1..=articles {
        text.push_str(&format!(
            "{n}. [第 {number} 号の {n} 番目の記事](https://example.dev/{number}/{n})\n\nこれは架空のテーマについての記事の説明です。\n\n"
        ));
    }
    text
}

struct Dir {
    _tmp: tempfile::TempDir,
    archive: PathBuf,
    store: PathBuf,
}

impl Dir {
    fn new() -> Dir {
        let tmp = tempfile::tempdir().expect("temp dir");
        let archive = tmp.path().join("archive");
        fs::create_dir_all(archive.join("en")).expect("mkdir");
        Dir {
            store: tmp.path().join("store"),
            archive,
            _tmp: tmp,
        }
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.archive.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn build(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["build", "--archive", self.archive.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        weeklens(&self.store, &args)
    }
}

/// The `stats --format json` of the store at `store`.
fn stats_json(store: &Path) -> serde_json::Value {
    serde_json::from_str(&ok(store, &["stats", "--format", "json"])).expect("stats json")
}

/// A strict build fails (exit 1), names `needle`, and leaves the store byte for byte.
fn strict_build_fails_naming(dir: &Dir, needle: &str) {
    let before = crate::support::snapshot(&dir.store);
    let output = dir.build(&["--strict"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains(needle), "{}", stderr(&output));
    assert_eq!(
        crate::support::snapshot(&dir.store),
        before,
        "a failed strict build leaves the store"
    );
}

#[cfg(unix)]
#[test]
fn issue_files_that_are_symbolic_links_are_read_through_or_named() {
    use std::os::unix::fs::symlink;

    let dir = Dir::new();
    // The issues live elsewhere; the archive holds links to them only.
    let real = dir._tmp.path().join("real");
    fs::create_dir_all(real.join("en")).expect("mkdir");
    fs::write(real.join("one.md"), issue(1, "2023-05-13", 2)).expect("write");
    fs::write(real.join("two.md"), issue(2, "2023-05-20", 3)).expect("write");
    fs::write(real.join("en/one.md"), translation(1, 2)).expect("write");
    symlink(real.join("one.md"), dir.archive.join("2023-05-13-weekly.md")).expect("link");
    symlink(real.join("two.md"), dir.archive.join("2023-05-20-weekly.md")).expect("link");
    symlink(
        real.join("en/one.md"),
        dir.archive.join("en/2023-05-13-weekly.md"),
    )
    .expect("link");
    // A link to nothing, a link to itself, and a translation's link to nothing.
    symlink(real.join("gone.md"), dir.archive.join("2023-05-27-weekly.md")).expect("link");
    symlink("2023-06-03-weekly.md", dir.archive.join("2023-06-03-weekly.md")).expect("link");
    symlink(
        real.join("en/gone.md"),
        dir.archive.join("en/2023-05-20-weekly.md"),
    )
    .expect("link");
    // A link to a folder is not entered, and is named.
    symlink(&real, dir.archive.join("2023-06-10-weekly.md")).expect("link");

    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("2023-05-27-weekly.md: symbolic link to `")
            && err.contains("gone.md` cannot be followed"),
        "{err}"
    );
    assert!(
        err.contains("2023-06-03-weekly.md: symbolic link to `2023-06-03-weekly.md` cannot be followed"),
        "{err}"
    );
    assert!(
        err.contains("en/2023-05-20-weekly.md: symbolic link to `")
            && err.contains("the issue is built without its translation"),
        "{err}"
    );
    assert!(
        err.contains("2023-06-10-weekly.md: symbolic link to a folder, not a file; file skipped"),
        "{err}"
    );
    assert!(
        err.contains("note: 3 file(s) of the archive are symbolic links"),
        "{err}"
    );
    assert!(
        stdout(&output).contains("2 issues, 5 entries"),
        "{}",
        stdout(&output)
    );

    let stats = stats_json(&dir.store);
    assert_eq!(stats["issues"][0]["translation"], "present");
    assert_eq!(stats["issues"][0]["paired"], 1.0);
    assert_eq!(stats["warnings"].as_array().expect("warnings").len(), 4);
    strict_build_fails_naming(&dir, "2023-05-27-weekly.md");
}

#[test]
fn a_build_that_keeps_no_issue_fails_and_leaves_the_store() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 2));
    ok(
        &dir.store,
        &["build", "--archive", dir.archive.to_str().expect("utf-8")],
    );
    let before = crate::support::snapshot(&dir.store);

    // An archive of another layout: every file is skipped.
    let other = Dir::new();
    for (k, date) in ["2023-05-13", "2023-05-20", "2023-05-27"].iter().enumerate() {
        other.write(
            &format!("{date}-weekly.md"),
            &format!("# Notes of week {k}\n\n## Articles\n\n1. [a](https://example.dev/{k})\n"),
        );
    }
    let output = weeklens(
        &dir.store,
        &["build", "--archive", other.archive.to_str().expect("utf-8")],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(
        err.contains("gave no issue (3 file(s) skipped, first: 2023-05-13-weekly.md:1: no issue number"),
        "{err}"
    );
    assert!(err.contains("the store was left as it was"), "{err}");
    assert_eq!(
        crate::support::snapshot(&dir.store),
        before,
        "the store is left byte for byte"
    );

    // Files all named with dates that cannot be read: the same.
    let misnamed = Dir::new();
    misnamed.write("2023-02-30-weekly.md", &issue(1, "2023-02-28", 2));
    let output = weeklens(
        &dir.store,
        &["build", "--archive", misnamed.archive.to_str().expect("utf-8")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("gave no issue (1 file(s) skipped, first: 2023-02-30-weekly.md: `2023-02-30`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        crate::support::snapshot(&dir.store),
        before,
        "the store is left byte for byte"
    );
}

#[test]
fn files_named_with_an_impossible_or_unpadded_date_are_named() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 2));
    dir.write("2023-02-30-weekly.md", &issue(2, "2023-02-28", 2));
    dir.write("2026-7-25-weekly.md", &issue(3, "2026-07-25", 2));
    dir.write("2024-7-17-sweekly.md", "# 第二季合集\n");
    // Named nearly as an issue: a browser's second download, another case.
    dir.write("2023-05-20-weekly (1).md", &issue(4, "2023-05-20", 2));
    dir.write("2023-05-27-Weekly.MD", &issue(5, "2023-05-27", 2));
    // Not named as an issue at all: not part of the archive, nothing to say.
    dir.write("README.md", "# 说明\n");
    dir.write("2023-05-13-weekly.md.bak", "# 备份\n");
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: 2023-02-30-weekly.md: `2023-02-30` in the file name is not a date; file skipped"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: 2026-7-25-weekly.md: the date `2026-7-25` in the file name is not written \
             YYYY-MM-DD (`2026-07-25`); file skipped"
        ),
        "{err}"
    );
    assert!(err.contains("2024-7-17-sweekly.md: the date"), "{err}");
    for (name, meant) in [
        ("2023-05-20-weekly (1).md", "2023-05-20-weekly.md"),
        ("2023-05-27-Weekly.MD", "2023-05-27-weekly.md"),
    ] {
        assert!(
            err.contains(&format!(
                "warning: {name}: named nearly like one of the archive's files: not read (the \
                 archive's name for it is `{meant}`); file skipped"
            )),
            "{err}"
        );
    }
    assert!(!err.contains("README") && !err.contains(".bak"), "{err}");
    assert!(
        stdout(&output).contains("1 issues, 2 entries"),
        "{}",
        stdout(&output)
    );
    let strict = weeklens(&dir.store, &["stats", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    strict_build_fails_naming(&dir, "2026-7-25-weekly.md");
}

#[test]
fn a_file_cut_short_is_told() {
    let dir = Dir::new();
    let whole = issue(1, "2023-05-13", 6);
    // Cut inside the fourth article's description, as `head -c` would.
    let at = whole.find("这是第 4 篇文章的描述").expect("fourth") + "这是第 4 篇文章的描".len();
    dir.write("2023-05-13-weekly.md", &whole[..at]);
    // Cut inside the title's link of the third article.
    let second = issue(2, "2023-05-20", 6);
    let at = second.find("](https://example.dev/2/3").expect("third") + "](https://exam".len();
    dir.write("2023-05-20-weekly.md", &second[..at]);
    // Whole, but fewer articles than the intro states.
    dir.write(
        "2023-05-27-weekly.md",
        &issue(3, "2023-05-27", 2).replace("你好，这是虚构的一期。", "本期分享了 5 篇文章。"),
    );
    // The same three, whole, are let be.
    let whole_dir = Dir::new();
    whole_dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 6));
    whole_dir.write("2023-05-20-weekly.md", &issue(2, "2023-05-20", 6));
    whole_dir.write(
        "2023-05-27-weekly.md",
        &issue(3, "2023-05-27", 5).replace("你好，这是虚构的一期。", "本期分享了 5 篇文章。"),
    );
    let output = whole_dir.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "2023-05-13-weekly.md:24: the text ends mid-sentence inside an entry (`…这是第 4 篇文章的描`"
        ),
        "{err}"
    );
    assert!(
        err.contains("2023-05-20-weekly.md:18: the text ends inside a link (`…")
            && err.contains("3 篇文章](https://exam`)"),
        "{err}"
    );
    assert!(
        err.contains(
            "2023-05-27-weekly.md:6: issue #3 lists fewer entries than its intro states (article: states 5, lists 2)"
        ),
        "{err}"
    );
    let strict = weeklens(&dir.store, &["stats", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stdout(&strict));
    assert!(
        stdout(&strict).contains("3 warning(s) at build time"),
        "{}",
        stdout(&strict)
    );
    strict_build_fails_naming(&dir, "ends mid-sentence");
}

#[test]
fn empty_and_foreign_translations_are_named_and_not_paired() {
    let dir = Dir::new();
    for (number, date) in [
        (1, "2023-05-13"),
        (2, "2023-05-20"),
        (3, "2023-05-27"),
        (4, "2023-06-03"),
    ] {
        dir.write(&format!("{date}-weekly.md"), &issue(number, date, 3));
    }
    dir.write("en/2023-05-13-weekly.md", "");
    dir.write("en/2023-05-20-weekly.md", &japanese(2, 3));
    dir.write("en/2023-05-27-weekly.md", &translation(3, 3));
    dir.write(
        "en/2023-06-03-weekly.md",
        "# Python Trending Weekly #4: an invented issue\n\nNo list here.\n",
    );
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: en/2023-05-13-weekly.md: the translation is empty; the issue is built without its translation"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: en/2023-05-20-weekly.md: the translation is not in English: ")
            && err.contains("% of its letters are Japanese ("),
        "{err}"
    );
    assert!(
        err.contains("warning: en/2023-06-03-weekly.md: the translation holds no entries"),
        "{err}"
    );
    assert!(!err.contains("en/2023-05-27-weekly.md"), "{err}");

    let stats = stats_json(&dir.store);
    let states: Vec<(&str, f64)> = stats["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|r| {
            (
                r["translation"].as_str().expect("state"),
                r["paired"].as_f64().expect("paired"),
            )
        })
        .collect();
    assert_eq!(
        states,
        vec![("empty", 0.0), ("foreign", 0.0), ("present", 1.0), ("empty", 0.0)]
    );
    // No Japanese text in the English fields.
    let export = ok(&dir.store, &["export", "entries", "--format", "jsonl"]);
    for line in export.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("json line");
        let blank = |v: &serde_json::Value| v.is_null() || v == "";
        if row["issue"] == 3 {
            assert!(
                row["en_title"].as_str().is_some_and(|t| t.contains("Article")),
                "{line}"
            );
        } else {
            assert!(blank(&row["en_title"]) && blank(&row["en_description"]), "{line}");
        }
    }
    strict_build_fails_naming(&dir, "en/2023-05-20-weekly.md");
}

#[test]
fn other_translation_folders_do_not_disturb_a_build() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 3));
    dir.write("en/2023-05-13-weekly.md", &translation(1, 3));
    let output = dir.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let export = |store: &Path| ok(store, &["export", "entries", "--format", "jsonl"]);
    let before = export(&dir.store);

    // A Japanese translation folder beside `en/`, with the same file names.
    dir.write("ja/2023-05-13-weekly.md", &japanese(1, 3));
    dir.write("ja/en/2023-05-13-weekly.md", &japanese(1, 3));
    let output = dir.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("ja/"), "{}", stderr(&output));
    assert_eq!(export(&dir.store), before);
}

/// Paired entries in the store at `store`, by issue.
fn paired(store: &Path) -> Vec<f64> {
    stats_json(store)["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|r| r["paired"].as_f64().expect("paired"))
        .collect()
}

#[cfg(unix)]
#[test]
fn an_en_folder_that_cannot_be_listed_is_named_not_dropped_silently() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 3));
    dir.write("elsewhere/2023-05-13-weekly.md", &translation(1, 3));
    let en = dir.archive.join("en");
    fs::remove_dir(&en).expect("rmdir");
    // No `en/` at all: no translation, nothing to say.
    let output = dir.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("en/"), "{}", stderr(&output));

    // A link to nothing, and a plain file, where the folder should be.
    std::os::unix::fs::symlink(dir.archive.join("gone"), &en).expect("link");
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("warning: en/: symbolic link to `")
            && err.contains("every issue is built without its translation"),
        "{err}"
    );
    strict_build_fails_naming(&dir, "en/: symbolic link to `");
    fs::remove_file(&en).expect("unlink");
    fs::write(&en, "not a folder").expect("write");
    strict_build_fails_naming(
        &dir,
        "en/: is not a folder; every issue is built without its translation",
    );

    // The folder itself, linked: read through.
    fs::remove_file(&en).expect("unlink");
    std::os::unix::fs::symlink(dir.archive.join("elsewhere"), &en).expect("link");
    let output = dir.build(&["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(paired(&dir.store), vec![1.0]);
}

#[test]
fn another_issues_translation_is_named_and_not_paired() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 3));
    dir.write("2023-05-20-weekly.md", &issue(2, "2023-05-20", 3));
    // #1's translation saved under #2's name as well: same categories and numbers, #1's links.
    dir.write("en/2023-05-13-weekly.md", &translation(1, 3));
    dir.write("en/2023-05-20-weekly.md", &translation(1, 3));
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: en/2023-05-20-weekly.md: its title names issue #1, but `2023-05-20-weekly.md` is \
             issue #2, and this file holds the links of only 0 of its 3 linked entries: it is another \
             issue's translation; the issue is built without its translation"
        ),
        "{err}"
    );
    assert!(!err.contains("en/2023-05-13-weekly.md"), "{err}");
    assert_eq!(paired(&dir.store), vec![1.0, 0.0]);
    let export = ok(&dir.store, &["export", "entries", "--format", "jsonl"]);
    for line in export.lines().filter(|l| l.contains("\"issue\":2")) {
        assert!(line.contains("\"en_title\":null"), "{line}");
    }
    strict_build_fails_naming(&dir, "en/2023-05-20-weekly.md: its title names issue #1");

    // #2's own translation under a title copied from #1's: its links are #2's, so its entries
    // are paired, and the wrong title is named and left out.
    dir.write(
        "en/2023-05-20-weekly.md",
        &translation(2, 3).replacen("Weekly #2:", "Weekly #1:", 1),
    );
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "warning: en/2023-05-20-weekly.md: its title names issue #1, but `2023-05-20-weekly.md` is \
             issue #2; this file holds the links of 3 of its 3 linked entries, so they are paired, but \
             its title is not used"
        ),
        "{}",
        stderr(&output)
    );
    assert_eq!(paired(&dir.store), vec![1.0, 1.0]);
    let issues = weeklens::store::Store::open(&dir.store)
        .expect("store")
        .issues()
        .expect("issues");
    let titles: Vec<Option<&str>> = issues.iter().map(|i| i.en_title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("Python Trending Weekly #1: an invented issue"), None],
        "#1's English title is not #2's"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_or_pipe_named_as_an_issue_and_a_translation_without_one_are_named() {
    let dir = Dir::new();
    dir.write("2023-05-13-weekly.md", &issue(1, "2023-05-13", 3));
    dir.write("en/2023-05-13-weekly.md", &translation(1, 3));
    fs::create_dir(dir.archive.join("2023-05-20-weekly.md")).expect("mkdir");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.archive.join("2023-05-27-weekly.md"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    fs::create_dir(dir.archive.join("en/2023-05-13-weekly.md.d")).expect("mkdir");
    // A translation whose issue is not in the archive, and one that is a folder.
    dir.write("en/2030-01-05-weekly.md", &translation(9, 3));
    dir.write("2023-06-03-weekly.md", &issue(4, "2023-06-03", 3));
    fs::create_dir(dir.archive.join("en/2023-06-03-weekly.md")).expect("mkdir");
    let output = dir.build(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "2023-05-20-weekly.md: a folder, not a file; file skipped",
        "2023-05-27-weekly.md: not a regular file (a pipe, socket or device); file skipped",
        "en/2030-01-05-weekly.md: no issue file `2030-01-05-weekly.md` beside `en/`: this translation is not read",
        "en/2023-06-03-weekly.md: a folder, not a file; the issue is built without its translation",
    ] {
        assert!(err.contains(expected), "{expected}:\n{err}");
    }
    assert!(!err.contains("2023-05-13-weekly.md"), "{err}");
    assert_eq!(paired(&dir.store), vec![1.0, 0.0]);
    strict_build_fails_naming(&dir, "en/2030-01-05-weekly.md");
}
