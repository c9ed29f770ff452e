//! Related past entries: the re-shares of the sample archive find their first share, only the
//! past is suggested, and `--all` writes one line per entry.

use crate::support::{built, ok, sample_archive, weeklens};

/// Re-shares in the sample: (later entry, earlier entry).
const RESHARES: [(&str, &str); 2] = [
    // The same repository, once at its root and once at its README.
    ("56:project:1", "29:project:1"),
    // The same article, once with tracking parameters.
    ("55:article:3", "30:article:1"),
];

#[test]
fn a_reshare_finds_its_first_share_first() {
    let (_dir, store) = built(&sample_archive());
    for (later, earlier) in RESHARES {
        let json = ok(&store, &["related", later, "-k", "3", "--format", "json"]);
        let found: serde_json::Value = serde_json::from_str(&json).expect("json");
        let first = &found[0];
        let id = format!(
            "{}:{}:{}",
            first["issue"],
            first["category"].as_str().expect("str"),
            first["position"]
        );
        assert_eq!(id, earlier, "{later}: {json}");
        assert!(!first["shared"].as_array().expect("terms").is_empty());
    }
}

/// The table of an entry's related entries names the entry first: its id, date and title.
#[test]
fn an_entrys_table_names_the_entry_first() {
    let (_dir, store) = built(&sample_archive());
    let (later, _) = RESHARES[0];
    let entries = weeklens::store::Store::open(&store)
        .expect("store")
        .entries()
        .expect("entries");
    let entry = entries
        .iter()
        .find(|e| e.id().to_string() == later)
        .expect("the entry");
    let date = weeklens::store::Store::open(&store)
        .expect("store")
        .issues()
        .expect("issues")
        .into_iter()
        .find(|i| i.number == entry.issue)
        .expect("its issue")
        .date;
    let table = ok(&store, &["related", later, "-k", "3"]);
    assert!(
        table.starts_with(&format!("related to {later}  {date}  {}\n\n0.", entry.title)),
        "{table}"
    );
}

#[test]
fn all_writes_one_line_per_entry_with_past_suggestions_only() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(&store, &["related", "--all", "-k", "3", "--format", "jsonl"]);
    // Without --format the same lines; a table or one JSON document asked for is refused, not
    // answered with JSON lines unsaid.
    assert_eq!(ok(&store, &["related", "--all", "-k", "3"]), out);
    for format in ["table", "json"] {
        let output = crate::support::weeklens(&store, &["related", "--all", "--format", format]);
        let err = crate::support::stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("--format {format} is for one entry's")),
            "{err}"
        );
    }
    let stats: serde_json::Value =
        serde_json::from_str(&ok(&store, &["stats", "--format", "json"])).expect("json");
    assert_eq!(
        out.lines().count() as u64,
        stats["totals"]["entries"].as_u64().expect("count")
    );
    for line in out.lines() {
        assert!(
            line.starts_with("{\"issue\":"),
            "fields in contract order: {line}"
        );
        let row: serde_json::Value = serde_json::from_str(line).expect("json line");
        let related = row["related"].as_array().expect("related");
        assert!(related.len() <= 3);
        let mut last = f64::INFINITY;
        for r in related {
            let earlier = r["issue"].as_u64().expect("a related entry's issue");
            assert!(
                earlier < row["issue"].as_u64().expect("the entry's issue"),
                "{line}"
            );
            let score = r["score"].as_f64().expect("score");
            assert!(score <= last && (0.0..=1.0001).contains(&score), "{line}");
            last = score;
        }
    }
}

#[test]
fn text_queries_and_unknown_entries() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(
        &store,
        &["related", "--text", "asyncio 异步生成器 管道", "-k", "2"],
    );
    assert!(out.contains("asyncpipe"), "{out}");
    let missing = weeklens(&store, &["related", "999:article:1"]);
    assert!(!missing.status.success());
    let malformed = weeklens(&store, &["related", "not-an-id"]);
    assert!(!malformed.status.success());
    // An empty text is refused; a text nothing scores for says so instead of printing nothing.
    let empty = weeklens(&store, &["related", "--text", "  "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(crate::support::stderr(&empty).contains("`--text` is empty"));
    let nothing = weeklens(&store, &["related", "--text", "zzqxv"]);
    assert!(nothing.status.success());
    assert!(crate::support::stdout(&nothing).is_empty());
    assert!(
        crate::support::stderr(&nothing).contains("nothing related"),
        "{}",
        crate::support::stderr(&nothing)
    );
    let json = ok(&store, &["related", "--text", "zzqxv", "--format", "json"]);
    assert_eq!(json.trim(), "[]");
    // The first issue's entries have nothing earlier: said so, not blamed on the floor; so is a
    // --before the first issue. A later entry's empty answer blames the floor.
    let first = crate::support::stderr(&weeklens(&store, &["related", "1:article:1"]));
    assert!(first.contains("no issue comes before #1"), "{first}");
    let before = crate::support::stderr(&weeklens(
        &store,
        &["related", "--text", "asyncio", "--before", "1"],
    ));
    assert!(before.contains("no issue comes before #1"), "{before}");
    let floor = crate::support::stderr(&weeklens(&store, &["related", "2:article:1", "--min-score", "1"]));
    assert!(floor.contains("--min-score sets the floor"), "{floor}");
    // A text of stop words alone has no term to relate anything: said so, not blamed on the floor.
    let stop_words = crate::support::stderr(&weeklens(&store, &["related", "--text", "的 了 是"]));
    assert!(
        stop_words.contains("holds no word that relates entries"),
        "{stop_words}"
    );
}

/// The ids of a `related --format json` answer, in order.
fn ids(json: &str) -> Vec<String> {
    let found: serde_json::Value = serde_json::from_str(json).expect("json");
    found
        .as_array()
        .expect("array")
        .iter()
        .map(|v| {
            format!(
                "{}:{}:{}",
                v["issue"],
                v["category"].as_str().expect("str"),
                v["position"]
            )
        })
        .collect()
}

#[test]
fn a_word_in_many_entries_is_still_a_key() {
    // asyncio is in 11 of the sample's 144 entries (7.6%): a former rule left out any match on
    // one word held by more than 1% of the entries, and this query found nothing.
    let (_dir, store) = built(&sample_archive());
    let json = ok(
        &store,
        &[
            "related",
            "--text",
            "asyncio",
            "--min-score",
            "0",
            "-k",
            "50",
            "--format",
            "json",
        ],
    );
    let found: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert!(found.len() >= 8, "{json}");
    let entries = ok(&store, &["export", "entries", "--format", "jsonl"]);
    for f in &found {
        let entry = entries
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
            .find(|e| {
                e["issue"] == f["issue"] && e["category"] == f["category"] && e["position"] == f["position"]
            })
            .expect("a found entry is an entry");
        let text = ["title", "description", "en_title", "en_description"]
            .iter()
            .map(|k| entry[*k].as_str().unwrap_or_default().to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains("asyncio"), "{f} does not mention asyncio");
    }
}

#[test]
fn a_url_or_a_text_finds_every_entry_about_it_and_before_keeps_the_past() {
    let (_dir, store) = built(&sample_archive());
    // The first share of asyncpipe (issue 29), asked by its URL: itself first, then its re-share
    // of issue 56, which an entry query of issue 29 could never see.
    let url = "https://github.com/quillfern/asyncpipe";
    let found = ids(&ok(
        &store,
        &["related", "--url", url, "-k", "5", "--format", "json"],
    ));
    assert_eq!(
        found.first().map(String::as_str),
        Some("29:project:1"),
        "{found:?}"
    );
    assert!(found.iter().any(|id| id == "56:project:1"), "{found:?}");
    // The re-share's URL finds the first share too, and itself.
    let reshare = "https://github.com/quillfern/asyncpipe/blob/main/README.md";
    let found = ids(&ok(
        &store,
        &["related", "--url", reshare, "-k", "5", "--format", "json"],
    ));
    assert!(
        found.iter().any(|id| id == "29:project:1") && found.iter().any(|id| id == "56:project:1"),
        "{found:?}"
    );
    // A release of the repository, which no entry links: answered as the repository.
    let release = "https://github.com/quillfern/asyncpipe/releases/tag/v9.9";
    let found = ids(&ok(
        &store,
        &["related", "--url", release, "-k", "5", "--format", "json"],
    ));
    assert_eq!(
        found.first().map(String::as_str),
        Some("29:project:1"),
        "{found:?}"
    );
    // A repository no entry links but the archive names is answered by its name, and said so.
    let named = crate::support::weeklens(
        &store,
        &[
            "related",
            "--url",
            "https://github.com/elsewhere/asyncpipe",
            "--format",
            "json",
        ],
    );
    assert!(named.status.success());
    assert!(ids(&crate::support::stdout(&named)).contains(&"29:project:1".to_string()));
    let said = crate::support::stderr(&named);
    assert!(
        said.contains("no entry links") && said.contains("`asyncpipe`"),
        "{said}"
    );
    // A link to nothing the archive shared is an error naming it.
    let output = crate::support::weeklens(
        &store,
        &["related", "--url", "https://github.com/nobody/nothing/issues/1"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(crate::support::stderr(&output).contains("nobody/nothing"));
    // --before keeps the issues before it: the re-share of issue 56 goes, the first share stays.
    let past = ids(&ok(
        &store,
        &[
            "related", "--url", url, "--before", "56", "-k", "5", "--format", "json",
        ],
    ));
    assert!(past.iter().any(|id| id == "29:project:1"), "{past:?}");
    assert!(
        past.iter()
            .all(|id| id.split(':').next().and_then(|i| i.parse::<u32>().ok()) < Some(56)),
        "{past:?}"
    );
    // A text: every issue, later ones included; with --before only earlier ones.
    let text = ids(&ok(
        &store,
        &["related", "--text", "asyncpipe", "-k", "5", "--format", "json"],
    ));
    assert!(
        text.iter().any(|id| id == "56:project:1") && text.iter().any(|id| id == "29:project:1"),
        "{text:?}"
    );
    let text = ids(&ok(
        &store,
        &[
            "related",
            "--text",
            "asyncpipe",
            "--before",
            "30",
            "-k",
            "5",
            "--format",
            "json",
        ],
    ));
    assert_eq!(text, vec!["29:project:1".to_string()]);
    // An entry keeps to its past, and --before is refused with it (and outside 1..=99999).
    let entry = ids(&ok(
        &store,
        &["related", "29:project:1", "-k", "5", "--format", "json"],
    ));
    assert!(
        entry
            .iter()
            .all(|id| id.split(':').next().and_then(|i| i.parse::<u32>().ok()) < Some(29)),
        "{entry:?}"
    );
    for bad in [
        vec!["related", "29:project:1", "--before", "40"],
        vec!["related", "--all", "--before", "40"],
        vec!["related", "--text", "x", "--before", "0"],
    ] {
        let out = weeklens(&store, &bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(crate::support::stderr(&out).contains("--before"), "{bad:?}");
    }
}

#[test]
fn an_unreadable_draft_is_named() {
    let (dir, store) = built(&sample_archive());
    let draft = dir.path().join("2024-07-06-weekly.md");
    std::fs::write(&draft, b"## \xff\xfe\n").expect("write");
    let output = weeklens(&store, &["check", draft.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    let err = crate::support::stderr(&output);
    assert!(err.contains("2024-07-06-weekly.md:1: not UTF-8"), "{err}");
}

/// What a query shows, with the score's bits, to compare two ways of answering it.
fn shown(views: &[weeklens::related::SuggestionView]) -> Vec<(String, u32)> {
    views
        .iter()
        .map(|v| {
            (
                format!(
                    "{}:{}:{} {} {} [{}]",
                    v.issue,
                    v.category,
                    v.position,
                    v.date,
                    v.title,
                    v.shared.join(",")
                ),
                v.score.to_bits(),
            )
        })
        .collect()
}

/// The index file, the index in memory and the exhaustive walk give the same answers for every
/// entry of `store`'s rows in `rows` (by id and by URL), with the defaults and with more asked.
pub fn index_file_agrees(store: &std::path::Path, rows: impl Iterator<Item = usize>) -> usize {
    use weeklens::related::{suggest_from_index, Query, Request};
    let opened = weeklens::store::Store::open(store).expect("store");
    let corpus = weeklens::corpus::Corpus::open(
        weeklens::store::Store::open(store).expect("store"),
        Default::default(),
    );
    let loaded = corpus.ranking().expect("loaded");
    let mut compared = 0;
    for row in rows {
        let e = &loaded.entries[row];
        for (k, min_score) in [(5, 0.1), (12, 0.0)] {
            let query = Query::Entry(e.id());
            let memory = loaded.suggest(&query, k, min_score).expect("in memory");
            let file = suggest_from_index(&opened, &query, k, min_score).expect("from the file");
            assert_eq!(shown(&file), shown(&memory), "{} k={k}", e.id());
            compared += 1;
            if let Some(url) = e
                .url
                .as_deref()
                .filter(|u| weeklens::canon::canonical_url(u).is_some())
            {
                let query = Query::Url(url.to_string());
                let memory = loaded.suggest(&query, k, min_score).expect("in memory");
                let file = suggest_from_index(&opened, &query, k, min_score).expect("from the file");
                assert_eq!(shown(&file), shown(&memory), "{url} k={k}");
            }
            // The pruned search in memory against walking every list to its end.
            let v = &loaded.related_rows[row];
            let request = Request::new(v, k)
                .before(e.issue)
                .excluding(row)
                .min_score(min_score);
            let pruned = loaded.related_index.query(&request);
            let exhaustive = loaded.related_index.query_exhaustive(&request);
            let bits = |s: &[weeklens::related::Suggestion]| -> Vec<(usize, u32)> {
                s.iter().map(|s| (s.row, s.score.to_bits())).collect()
            };
            assert_eq!(bits(&pruned), bits(&exhaustive), "{} k={k}", e.id());
        }
    }
    compared
}

#[test]
fn the_index_file_answers_every_sample_entry_as_the_store_loaded_in_memory() {
    let (_dir, store) = built(&sample_archive());
    let n = weeklens::store::Store::open(&store).expect("store").entry_count();
    assert_eq!(index_file_agrees(&store, 0..n), 2 * n);
}

#[test]
fn a_missing_or_damaged_index_is_named_and_written_again() {
    let (_dir, store) = built(&sample_archive());
    let before = ok(&store, &["related", "56:project:1", "--format", "json"]);
    let index_file = || crate::support::store_file(&store, weeklens::related::file::FILE);
    let bytes = std::fs::read(index_file()).expect("the build wrote the index");

    for damage in [None, Some(&bytes[..bytes.len() / 2])] {
        let file = index_file();
        match damage {
            None => std::fs::remove_file(&file).expect("remove"),
            Some(cut) => std::fs::write(&file, cut).expect("write"),
        }
        let output = weeklens(&store, &["related", "56:project:1"]);
        assert_eq!(output.status.code(), Some(2));
        let err = crate::support::stderr(&output);
        assert!(
            err.contains("related.idx") && err.contains("weeklens index"),
            "{err}"
        );
        ok(&store, &["index"]);
        assert_eq!(std::fs::read(index_file()).expect("written again"), bytes);
        assert_eq!(
            ok(&store, &["related", "56:project:1", "--format", "json"]),
            before
        );
    }
}

#[test]
fn the_same_archive_gives_the_same_index_bytes() {
    let (_a, first) = built(&sample_archive());
    let (_b, second) = built(&sample_archive());
    let file = weeklens::related::file::FILE;
    assert_eq!(
        std::fs::read(crate::support::store_file(&first, file)).expect("read"),
        std::fs::read(crate::support::store_file(&second, file)).expect("read")
    );
}

#[test]
fn all_searched_on_every_core_gives_each_entry_the_exhaustive_walks_answer_in_order() {
    // A synthetic archive of 2,500 entries: more than one block of entries searched at once.
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("synth");
    let archive = archive.to_str().expect("utf-8");
    ok(
        &dir.path().join("unused"),
        &["synth", "--entries", "2500", "--out", archive],
    );
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", archive, "--k", "8"]);
    let corpus = weeklens::corpus::Corpus::open(
        weeklens::store::Store::open(&store).expect("store"),
        Default::default(),
    );
    let loaded = corpus.ranking().expect("loaded");
    let all = weeklens::related::AllRelated {
        keys: corpus.entry_keys().expect("ids"),
        related_rows: corpus.related_rows().expect("rows"),
        related_index: corpus.related_index().expect("index"),
    };
    let lines: Vec<weeklens::related::RelatedLine> = all.lines(5, 0.1).collect();
    let live: Vec<usize> = (0..loaded.entries.len())
        .filter(|&r| !loaded.entries[r].withdrawn)
        .collect();
    assert_eq!(lines.len(), live.len());
    for (line, &row) in lines.iter().zip(&live) {
        let e = &loaded.entries[row];
        assert_eq!(
            (line.issue, line.position),
            (e.issue, e.position),
            "archive order"
        );
        let want: Vec<(usize, f32)> = loaded
            .related_index
            .query_exhaustive(
                &weeklens::related::Request::new(&loaded.related_rows[row], 5)
                    .before(e.issue)
                    .excluding(row)
                    .min_score(0.1),
            )
            .into_iter()
            .map(|s| (s.row, s.score))
            .collect();
        let got: Vec<(u32, u32, f32)> = line
            .related
            .iter()
            .map(|r| (r.issue, r.position, r.score))
            .collect();
        let want: Vec<(u32, u32, f32)> = want
            .iter()
            .map(|&(r, score)| (loaded.entries[r].issue, loaded.entries[r].position, score))
            .collect();
        assert_eq!(got, want, "{}", e.id());
    }
}

/// A project named in one entry only is no term of the vocabulary (a term of one entry relates
/// no two entries): a text naming it finds it by its name, first, scored 1, the name written as
/// the archive writes it; `--before` still keeps the past.
#[test]
fn a_name_written_once_is_found_by_its_name() {
    let (_dir, store) = built(&sample_archive());
    let table = ok(&store, &["related", "--text", "TomlSmith"]);
    let first = table.lines().next().expect("a line");
    assert!(
        first.starts_with("1.000") && first.contains("tomlsmith："),
        "{table}"
    );
    assert!(
        table
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("shared: tomlsmith")),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(
        &store,
        &["related", "--text", "tomlsmith 编辑库", "--format", "json"],
    ))
    .expect("json");
    let issue = json[0]["issue"].as_u64().expect("issue");
    assert!(
        json[0]["title"].as_str().expect("title").starts_with("tomlsmith"),
        "{json}"
    );
    let before = ok(
        &store,
        &["related", "--text", "tomlsmith", "--before", &issue.to_string()],
    );
    assert!(!before.contains("tomlsmith："), "{before}");
}

/// A word of a longer text that the vocabulary holds is weighed with the text's other words, not
/// put first at 1.000 as a name: "asyncio 任务取消" put "asyncio：一个充满痛点的库" above the
/// article on cancelling asyncio tasks. The name alone, or one the vocabulary lacks, still is.
#[test]
fn a_known_name_inside_a_longer_text_is_weighed_with_its_words() {
    let (_dir, store) = built(&sample_archive());
    let first_score = |text: &str| -> f64 {
        let json: serde_json::Value =
            serde_json::from_str(&ok(&store, &["related", "--text", text, "--format", "json"]))
                .expect("json");
        assert!(
            json[0]["title"]
                .as_str()
                .expect("title")
                .starts_with("copy-and-patch"),
            "{text}: {json}"
        );
        json[0]["score"].as_f64().expect("score")
    };
    assert_eq!(first_score("copy-and-patch"), 1.0);
    let among_words = first_score("copy-and-patch 编译器 论文");
    assert!(among_words < 1.0, "{among_words}");
}
