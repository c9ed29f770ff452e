//! Topics: built with the store, deterministic, stable as the archive grows, the editor's names
//! and merges applied.

use std::fs;
use std::path::Path;

use weeklens::store::Store;

use crate::support::{
    assert_same_store, built, ok, sample_archive, stderr, stdout, store_files, topics_by_entry, weeklens,
};

/// A store of an archive too small for topics says why it has none, not "rebuild it", which
/// cannot help (session 25's battery).
#[test]
fn a_store_too_small_for_topics_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("archive");
    fs::write(
        archive.join("2023-05-13-weekly.md"),
        "---\ntitle: 'Python 潮流周刊#1：一期'\npubDate: 2023-05-13\n---\n\n## 🦄文章&教程\n\n\
         1、[标题](https://a.dev/x)\n\n描述。\n",
    )
    .expect("issue");
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    for args in [&["topics"][..], &["trends"]] {
        let output = weeklens(&store, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("its archive has too few entries to find any"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn every_live_entry_has_a_topic_and_topics_print() {
    let (_dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("store");
    let entries = opened.entries().expect("entries");
    let assignments = opened.assignments().expect("assignments");
    for (e, t) in entries.iter().zip(&assignments) {
        assert_eq!(t.is_some(), !e.withdrawn, "{}", e.id());
    }
    let topics = opened.topics().expect("topics");
    assert!(topics.len() >= 2);
    let total: u32 = topics.iter().map(|t| t.size).sum();
    assert_eq!(total as usize, assignments.iter().flatten().count());
    let table = ok(&store, &["topics"]);
    assert!(table.starts_with("topic"), "{table}");
    let live = entries.iter().filter(|e| !e.withdrawn).count();
    assert!(
        table.ends_with(&format!(
            "\n{total} of the {live} entries in {} topics\n",
            topics.len()
        )),
        "{table}"
    );
    let stats = ok(&store, &["topics", "--stats"]);
    assert!(stats.contains("mean NPMI"), "{stats}");
}

#[test]
fn same_archive_same_topics() {
    let (_a, first) = built(&sample_archive());
    let (_b, second) = built(&sample_archive());
    assert_eq!(
        ok(&first, &["topics", "--format", "json"]),
        ok(&second, &["topics", "--format", "json"])
    );
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    fs::create_dir_all(to).expect("mkdir");
    for item in fs::read_dir(from).expect("read dir").flatten() {
        let name = item.file_name();
        let target = to.join(&name);
        if item.file_type().expect("type").is_dir() {
            copy_dir(&item.path(), &target, skip);
        } else if name.to_string_lossy() != skip {
            fs::copy(item.path(), target).expect("copy");
        }
    }
}

#[test]
fn rebuilding_the_same_archive_changes_no_byte_of_the_store() {
    let (_dir, store) = built(&sample_archive());
    let fresh = store_files(&store);
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    for rebuild in 1..=3 {
        ok(&store, &["build", "--archive", archive]);
        assert_same_store(&fresh, &store_files(&store), &format!("rebuild {rebuild}"));
    }
    ok(&store, &["build", "--archive", archive, "--fresh-topics"]);
    assert_same_store(
        &fresh,
        &store_files(&store),
        "a fresh build over the rebuilt store",
    );
}

#[test]
fn adding_an_issue_keeps_topic_ids_and_memberships() {
    let dir = tempfile::tempdir().expect("temp dir");
    let older = dir.path().join("older");
    copy_dir(&sample_archive(), &older, "2024-06-29-weekly.md");
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", older.to_str().expect("utf-8")]);
    let before = topics_by_entry(&store);
    let topics = |store: &Path| Store::open(store).expect("store").topics().expect("topics").len();
    let topics_before = topics(&store);
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    ok(&store, &["build", "--archive", archive]);
    let after = topics_by_entry(&store);
    // Every older entry keeps its topic: the sample's topics stay under a tenth of the entries,
    // so none is split.
    let after_by_id: std::collections::HashMap<_, _> = after.iter().copied().collect();
    let moved: Vec<_> = before
        .iter()
        .filter(|(id, topic)| after_by_id.get(id) != Some(topic))
        .collect();
    assert!(moved.is_empty(), "older entries moved: {moved:?}");
    assert!(after.len() > before.len(), "the issue's entries were added");
    assert_eq!(topics(&store), topics_before);
    // And from there, a rebuild is a fixed point too.
    let grown = store_files(&store);
    ok(&store, &["build", "--archive", archive]);
    assert_same_store(
        &grown,
        &store_files(&store),
        "a rebuild after the issue was added",
    );
}

#[test]
fn editor_names_and_merges_apply_to_topics_and_export() {
    let (dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("store");
    let topics = opened.topics().expect("topics");
    let (a, b) = (topics[0].id, topics[1].id);
    let edits = dir.path().join("edits.toml");
    fs::write(
        &edits,
        format!("[names]\n{a} = \"编辑命名\"\n\n[[merge]]\ninto = {a}\nfrom = [{b}]\n"),
    )
    .expect("write");
    let edits = edits.to_str().expect("utf-8");
    let json = ok(&store, &["topics", "--format", "json", "--edits", edits]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let shown = json["topics"].as_array().expect("topics");
    assert_eq!(shown.len(), topics.len() - 1);
    let merged = shown.iter().find(|t| t["id"] == a).expect("kept topic");
    assert_eq!(merged["name"], "编辑命名");
    assert_eq!(merged["size"], topics[0].size + topics[1].size);
    let export = ok(
        &store,
        &["export", "entries", "--format", "jsonl", "--edits", edits],
    );
    assert!(export.lines().all(|l| !l.contains(&format!("\"topic\":{b}}}"))));
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "[names]\nfirst = \"x\"\n").expect("write");
    let output = weeklens(&store, &["topics", "--edits", bad.to_str().expect("utf-8")]);
    assert!(!output.status.success());
}

/// The sample archive's text, every file of both languages.
fn sample_text() -> String {
    let mut text = String::new();
    for dir in [sample_archive(), sample_archive().join("en")] {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("sample dir")
            .map(|f| f.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            text.push_str(&std::fs::read_to_string(&file).expect("sample file"));
            text.push('\n');
        }
    }
    text
}

/// No stem reaches a person (issue 16, 8): every term shown — in the topics' labels, the
/// trends, the heaviest terms — is a word the archive writes as it is shown (`replace`, not
/// `replac`; `Jupyter`, not `jupyt`), and a label never says a word twice (`GIL gil-free`).
#[test]
fn terms_are_shown_as_the_archive_writes_them() {
    let (_dir, store) = built(&sample_archive());
    let text = sample_text();
    let mut shown: Vec<String> = Vec::new();
    let topics: serde_json::Value =
        serde_json::from_str(&ok(&store, &["topics", "--format", "json"])).expect("json");
    for topic in topics["topics"].as_array().expect("topics") {
        let mut words: Vec<String> = Vec::new();
        for lang in ["label_zh", "label_en"] {
            for term in topic[lang].as_array().expect("label") {
                let term = term.as_str().expect("term");
                shown.push(term.to_string());
                words.extend(term.split([' ', '-']).map(str::to_lowercase));
            }
        }
        let distinct: std::collections::BTreeSet<&String> = words.iter().collect();
        assert_eq!(distinct.len(), words.len(), "a word twice in {topic}");
    }
    let trends: serde_json::Value =
        serde_json::from_str(&ok(&store, &["trends", "--window", "4", "--format", "json"])).expect("json");
    for list in ["rising", "falling", "new"] {
        for s in trends["terms"][list].as_array().expect("list") {
            shown.push(s["item"].as_str().expect("item").to_string());
        }
    }
    let terms: serde_json::Value =
        serde_json::from_str(&ok(&store, &["terms", "--top", "40", "--format", "json"])).expect("json");
    for t in terms.as_array().expect("terms") {
        shown.push(t["term"].as_str().expect("term").to_string());
    }
    assert!(shown.len() > 60, "{} terms shown", shown.len());
    let stems: Vec<&String> = shown.iter().filter(|w| !text.contains(w.as_str())).collect();
    assert!(stems.is_empty(), "shown but never written so: {stems:?}");
}

#[test]
fn topic_edits_that_cannot_apply_are_errors_naming_the_file() {
    let (dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("store");
    let topics = opened.topics().expect("topics");
    let (a, b) = (topics[0].id, topics[1].id);
    let refused = |text: Option<&str>, needles: &[&str]| {
        let path = dir.path().join("edits.toml");
        match text {
            Some(text) => fs::write(&path, text).expect("write"),
            None => {
                let _ = fs::remove_file(&path);
            }
        }
        let path = path.to_str().expect("utf-8");
        for args in [
            vec!["topics", "--edits", path],
            vec!["trends", "--window", "4", "--edits", path],
            vec!["export", "entries", "--edits", path],
        ] {
            let output = weeklens(&store, &args);
            assert!(!output.status.success(), "{args:?}: {}", stdout(&output));
            for needle in needles.iter().chain(&["edits.toml"]) {
                assert!(
                    stderr(&output).contains(needle),
                    "{args:?} {needle}: {}",
                    stderr(&output)
                );
            }
        }
        // The same file named by the environment.
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"))
            .args(["topics"])
            .env("WEEKLENS_STORE", &store)
            .env("WEEKLENS_TOPICS", path)
            .output()
            .expect("runs");
        assert!(!output.status.success(), "{}", stdout(&output));
        assert!(stderr(&output).contains("edits.toml"), "{}", stderr(&output));
    };
    // Named, and not there.
    refused(None, &["No such file"]);
    // A build refuses it too, before building: the store is left as it was.
    let before = crate::support::snapshot(&store);
    let missing = dir.path().join("edits.toml");
    let archive = crate::support::sample_archive();
    let output = weeklens(
        &store,
        &[
            "build",
            "--archive",
            archive.to_str().expect("utf-8"),
            "--edits",
            missing.to_str().expect("utf-8"),
        ],
    );
    assert!(!output.status.success(), "{}", stdout(&output));
    assert!(stderr(&output).contains("edits.toml"), "{}", stderr(&output));
    assert_eq!(crate::support::snapshot(&store), before);
    // A topic the store lacks, named or merged.
    refused(Some("[names]\n999 = \"x\"\n"), &["topic 999", "no topic 999"]);
    refused(
        Some(&format!("[[merge]]\ninto = {a}\nfrom = [999]\n")),
        &["no topic 999"],
    );
    // A circle, and a chain.
    refused(
        Some(&format!(
            "[[merge]]\ninto = {a}\nfrom = [{b}]\n[[merge]]\ninto = {b}\nfrom = [{a}]\n"
        )),
        &["cannot chain or go in a circle"],
    );
    // Without a file named, an absent default file means no edits.
    ok(&store, &["topics"]);
}

#[test]
fn a_topic_name_with_control_characters_leaves_the_charts_well_formed() {
    let (dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("store");
    let a = opened.topics().expect("topics")[0].id;
    let edits = dir.path().join("edits.toml");
    fs::write(&edits, format!("[names]\n{a} = \"bell\\u0007 \\u001b[31mred\"\n")).expect("write");
    let out = dir.path().join("reports");
    ok(
        &store,
        &[
            "report",
            "--season",
            "2",
            "--out",
            out.to_str().expect("utf-8"),
            "--edits",
            edits.to_str().expect("utf-8"),
        ],
    );
    let mut svgs = 0;
    for file in fs::read_dir(out.join("season-2")).expect("report folder") {
        let path = file.expect("file").path();
        if path.extension().is_some_and(|e| e == "svg") {
            let svg = fs::read_to_string(&path).expect("svg");
            assert!(
                !svg.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')),
                "{}: a control character",
                path.display()
            );
            svgs += 1;
        }
    }
    assert!(svgs > 0);
    let heatmap = fs::read_to_string(out.join("season-2/topic-quarter-heatmap.svg")).expect("heat map");
    assert!(
        heatmap.contains("bell [31mred"),
        "the name is shown, its controls gone"
    );
}

/// The editor's names and merges are applied by id. A build that numbers the topics afresh
/// (`--fresh-topics`, another `--k`) warns, naming the edits file and the ids it names, and says
/// how to check them; a build that carries the topics over says nothing. The file is found as the
/// other commands find it: `--edits` / `WEEKLENS_TOPICS`, else `weeklens-topics.toml` in the
/// working directory.
#[test]
fn a_build_that_numbers_the_topics_afresh_warns_about_the_topic_edits() {
    let (dir, store) = built(&sample_archive());
    let edits = dir.path().join(weeklens::topics::DEFAULT_EDITS);
    fs::write(
        &edits,
        "[names]\n1 = \"mine\"\n\n[[merge]]\ninto = 2\nfrom = [3]\n",
    )
    .expect("edits");
    let edits_arg = edits.to_str().expect("utf-8");
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    let k = topics_by_entry(&store)
        .iter()
        .filter_map(|(_, t)| *t)
        .max()
        .expect("topics")
        + 1;
    let other_k = (k - 1).to_string();
    let build = |extra: &[&str], env: Option<&str>, cwd: &Path| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"));
        command
            .args(["build", "--archive", archive])
            .args(extra)
            .env("WEEKLENS_STORE", &store)
            .env_remove("WEEKLENS_TOPICS")
            .current_dir(cwd);
        if let Some(file) = env {
            command.env("WEEKLENS_TOPICS", file);
        }
        let output = command.output().expect("runs");
        assert!(output.status.success(), "{}", stderr(&output));
        stderr(&output)
    };
    let carried = build(&["--edits", edits_arg], None, dir.path());
    assert!(!carried.contains("numbered afresh"), "{carried}");
    for (extra, env, shown) in [
        (vec!["--fresh-topics", "--edits", edits_arg], None, edits_arg),
        (vec!["--k", other_k.as_str()], Some(edits_arg), edits_arg),
        (vec!["--fresh-topics"], None, weeklens::topics::DEFAULT_EDITS),
    ] {
        let err = build(&extra, env, dir.path());
        assert!(
            err.contains("numbered afresh")
                && err.contains(&format!("topic(s) 1, 2, 3 that {shown} names"))
                && err.contains("`weeklens topics`"),
            "{extra:?}: {err}"
        );
    }
    // No edits file: nothing to warn about.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("a folder without edits");
    let none = build(&["--fresh-topics"], None, &elsewhere);
    assert!(!none.contains("numbered afresh"), "{none}");
}
