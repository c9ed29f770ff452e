//! Trends: `weeklens trends` on the sample store, its counts checked against the store's own
//! entries, rows and topics; the same window by count and by date; an empty background refused.

use std::collections::BTreeSet;
use std::path::Path;

use weeklens::store::Store;

use crate::support::{built, ok, sample_archive, stderr, weeklens};

/// Checks every count of a `trends --format json` output against the store: the window is the
/// issues `window`, the background every earlier issue. The window counts a resource once: an
/// entry sharing a URL or a title with an earlier entry of the window is a re-share.
pub fn check_counts(store: &Path, json: &serde_json::Value, window: &BTreeSet<u32>) {
    let opened = Store::open(store).expect("store");
    let issues = opened.issues().expect("issues");
    let entries = opened.entries().expect("entries");
    let vectors = opened.vectors(entries.len()).expect("vectors");
    let terms = opened.vocabulary().expect("vocabulary").terms().to_vec();
    let assignments = opened.assignments().expect("assignments");
    let first = *window.first().expect("a window");
    let before: BTreeSet<u32> = issues.iter().map(|i| i.number).filter(|&n| n < first).collect();

    // The entries each side counts: live, and not a re-share of an earlier one on its side.
    let mut counted = vec![false; entries.len()];
    for (k, e) in entries.iter().enumerate() {
        counted[k] = !e.withdrawn && before.contains(&e.issue);
    }
    {
        let set = window;
        let mut seen = BTreeSet::new();
        for (k, e) in entries.iter().enumerate() {
            if e.withdrawn || !set.contains(&e.issue) {
                continue;
            }
            let keys = weeklens::stories::resource_keys(e);
            counted[k] = !keys.iter().any(|key| seen.contains(key));
            seen.extend(keys);
        }
    }
    let side = |set: &BTreeSet<u32>, name: &str| {
        let live = entries
            .iter()
            .filter(|e| !e.withdrawn && set.contains(&e.issue))
            .count();
        let once = entries
            .iter()
            .zip(&counted)
            .filter(|(e, c)| **c && set.contains(&e.issue))
            .count();
        assert_eq!(json[name]["entries"], once as u64, "{name} entries");
        assert_eq!(json[name]["reshares"], (live - once) as u64, "{name} re-shares");
        assert_eq!(json[name]["issues"], set.len() as u64, "{name} issues");
        assert_eq!(json[name]["first_issue"], *set.first().expect("issue"));
        assert_eq!(json[name]["last_issue"], *set.last().expect("issue"));
    };
    side(window, "window");
    side(&before, "before");

    // The vocabulary terms each entry holds: in its stored row, or in its titles.
    let held: Vec<BTreeSet<String>> = match json["terms_from"].as_str().expect("terms_from") {
        "full" => vectors
            .iter()
            .map(|v| v.indices.iter().map(|&i| terms[i as usize].clone()).collect())
            .collect(),
        _ => {
            let tokenizer = weeklens::tokenize::Tokenizer::shared();
            let vocabulary: BTreeSet<&String> = terms.iter().collect();
            entries
                .iter()
                .map(|e| {
                    // Entry texts are plain text already: tokenised as the vectoriser does.
                    let mut words = Vec::new();
                    for title in std::iter::once(&e.title).chain(&e.en_title) {
                        tokenizer.plain_terms_into(title, &mut words);
                    }
                    words.into_iter().filter(|w| vocabulary.contains(w)).collect()
                })
                .collect()
        }
    };
    let presence = |set: &BTreeSet<u32>, term: &str| -> u64 {
        assert!(terms.iter().any(|t| t == term), "{term} is a vocabulary term");
        entries
            .iter()
            .zip(&held)
            .zip(&counted)
            .filter(|((e, h), c)| **c && set.contains(&e.issue) && h.contains(term))
            .count() as u64
    };
    let total = |set: &BTreeSet<u32>| -> u64 {
        entries
            .iter()
            .zip(&held)
            .zip(&counted)
            .filter(|((e, _), c)| **c && set.contains(&e.issue))
            .map(|((_, h), _)| h.len() as u64)
            .sum()
    };
    assert_eq!(json["terms"]["window_total"], total(window));
    assert_eq!(json["terms"]["before_total"], total(&before));
    let in_topic = |set: &BTreeSet<u32>, topic: u64| -> u64 {
        entries
            .iter()
            .zip(&assignments)
            .zip(&counted)
            .filter(|((e, t), c)| **c && set.contains(&e.issue) && t.map(u64::from) == Some(topic))
            .count() as u64
    };
    let mut checked = 0;
    for kind in ["terms", "topics"] {
        for list in ["rising", "falling", "new"] {
            for item in json[kind][list].as_array().expect("list") {
                let (w, b) = if kind == "terms" {
                    let term = item["term"].as_str().expect("term");
                    (presence(window, term), presence(&before, term))
                } else {
                    let topic = item["topic"].as_u64().expect("topic id");
                    (in_topic(window, topic), in_topic(&before, topic))
                };
                if let (Some(term), Some(word)) = (item["term"].as_str(), item["item"].as_str()) {
                    // A term is shown as a word it was made from, never as a stem.
                    if word.is_ascii() {
                        let tokenizer = weeklens::tokenize::Tokenizer::shared();
                        assert!(tokenizer.terms(word).iter().any(|t| t == term), "{item}");
                    }
                }
                assert_eq!(item["window"], w, "{kind} {list} {item}");
                assert_eq!(item["before"], b, "{kind} {list} {item}");
                let z = item["z"].as_f64().expect("z");
                match list {
                    "rising" => assert!(
                        z >= weeklens::trends::RISING_Z
                            && b > 0
                            && w >= json["min_new"].as_u64().expect("min_new"),
                        "{item}"
                    ),
                    "falling" => assert!(z <= -weeklens::trends::FALLING_Z, "{item}"),
                    _ => assert!(
                        b == 0 && w >= json["min_new"].as_u64().expect("min_new"),
                        "{item}"
                    ),
                }
                checked += 1;
            }
        }
        // Rising items come highest z first, falling ones lowest first.
        for (list, sign) in [("rising", -1.0), ("falling", 1.0)] {
            let z: Vec<f64> = json[kind][list]
                .as_array()
                .expect("list")
                .iter()
                .map(|s| s["z"].as_f64().expect("z") * sign)
                .collect();
            assert!(z.windows(2).all(|p| p[0] <= p[1]), "{kind} {list}: {z:?}");
        }
    }
    assert!(checked > 0, "nothing scored");
    check_stories(&entries, json, window, &before);
    if terms.len() > 1000 {
        // On an archive of any size, some English stem is shown as the word it was made from.
        let words = ["rising", "falling", "new"]
            .iter()
            .flat_map(|l| json["terms"][*l].as_array().expect("list"))
            .filter(|s| s["item"] != s["term"])
            .count();
        assert!(words > 0, "no stem shown as its word");
    }
}

#[test]
fn trends_counts_agree_with_the_store() {
    let (_dir, store) = built(&sample_archive());
    let json = ok(&store, &["trends", "--window", "4", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    check_counts(&store, &parsed, &BTreeSet::from([55, 56, 57, 58]));
    // The sample's window is too small for a term to rise significantly; its new terms are
    // listed (uv, free-threading).
    assert!(!parsed["terms"]["new"].as_array().expect("list").is_empty());
    // Nothing falls in the sample's window with significance and support (10 issues): the
    // falling lists hold only what does (checked in `check_counts`), here nothing.
    assert!(parsed["topics"]["falling"].as_array().expect("list").is_empty());
    assert!(parsed["terms"]["falling"].as_array().expect("list").is_empty());

    // The same window by date, and the same bytes on a second run.
    let since = ok(&store, &["trends", "--since", "2024-06-08", "--format", "json"]);
    assert_eq!(json, since);
    let table = ok(&store, &["trends", "--window", "4"]);
    assert!(table.starts_with("window: #55–#58"), "{table}");
    assert!(
        table.contains("rising terms") && table.contains("falling topics"),
        "{table}"
    );
    assert_eq!(table, ok(&store, &["trends", "--window", "4"]));
    // A window of one issue is named as one, in the singular.
    let one = ok(&store, &["trends", "--window", "1"]);
    assert!(one.starts_with("window: #58 (2024-06-29), 1 issue ("), "{one}");

    // Counted in titles and descriptions, the counts still agree with the stored rows.
    let full = ok(
        &store,
        &[
            "trends",
            "--window",
            "4",
            "--terms-from",
            "full",
            "--format",
            "json",
        ],
    );
    let full: serde_json::Value = serde_json::from_str(&full).expect("json");
    assert_eq!(full["terms_from"], "full");
    check_counts(&store, &full, &BTreeSet::from([55, 56, 57, 58]));
    assert!(full["terms"]["window_total"].as_u64() > parsed["terms"]["window_total"].as_u64());
}

/// The stories of a `trends --format json` output: ids as the export writes them, each of the
/// window, in at most one story, at least 3 per story, in archive order; what they continue is
/// before the window.
fn check_stories(
    entries: &[weeklens::model::Entry],
    json: &serde_json::Value,
    window: &BTreeSet<u32>,
    before: &BTreeSet<u32>,
) {
    let ids: BTreeSet<String> = entries.iter().map(|e| e.id().to_string()).collect();
    let mut seen = BTreeSet::new();
    for story in json["stories"].as_array().expect("stories") {
        let list: Vec<&str> = story["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|v| v.as_str().expect("an id"))
            .collect();
        assert!(list.len() >= 3, "{story}");
        // At least three resources, or a piece shared twice and one close to it.
        let distinct = story["distinct"].as_u64().expect("distinct");
        assert!(distinct >= 3 || (distinct == 2 && list.len() >= 3), "{story}");
        let parsed: Vec<weeklens::model::EntryId> = list
            .iter()
            .map(|s| s.parse().expect("ISSUE:CATEGORY:POSITION"))
            .collect();
        assert!(parsed.windows(2).all(|p| p[0] < p[1]), "in order: {story}");
        for (id, text) in parsed.iter().zip(&list) {
            assert!(ids.contains(*text), "{text} is an entry of the store");
            assert!(window.contains(&id.issue), "{text} is in the window");
            assert!(seen.insert(*text), "{text} is in two stories");
        }
        assert_eq!(story["first_issue"], parsed[0].issue);
        assert_eq!(
            story["last_issue"],
            parsed.iter().map(|p| p.issue).max().expect("one")
        );
        for earlier in story["continues"].as_array().expect("continues") {
            let id: weeklens::model::EntryId = earlier.as_str().expect("id").parse().expect("an id");
            assert!(before.contains(&id.issue), "{id} is before the window");
        }
        assert!(!story["name"].as_str().expect("name").is_empty());
        assert!(!story["name_zh"].as_str().expect("name_zh").is_empty());
    }
}

#[test]
fn a_window_of_issues_from_a_to_b() {
    let (_dir, store) = built(&sample_archive());
    let json = ok(
        &store,
        &["trends", "--from", "28", "--to", "55", "--format", "json"],
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    // The issues after B take no part: the window is #28–#55, the background #1–#4.
    check_counts(&store, &parsed, &BTreeSet::from([28, 29, 30, 31, 55]));
    assert_eq!(parsed["before"]["last_issue"], 4);
    // The same range as the last 4 issues of the whole sample gives the same window.
    let a = ok(
        &store,
        &["trends", "--from", "55", "--to", "58", "--format", "json"],
    );
    assert_eq!(a, ok(&store, &["trends", "--window", "4", "--format", "json"]));
    for (args, says) in [
        (&["trends", "--from", "56", "--to", "50"][..], "56 > 50"),
        (
            &["trends", "--from", "40", "--to", "50"],
            "no issue in the store is numbered 40 to 50",
        ),
        (&["trends", "--from", "40"], "--to"),
        (
            &["trends", "--from", "55", "--to", "58", "--window", "3"],
            "--window",
        ),
    ] {
        let output = weeklens(&store, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(says), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn the_sample_window_tells_its_stories() {
    let (_dir, store) = built(&sample_archive());
    let json = ok(&store, &["trends", "--window", "4", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    // Stories come first in the JSON, as in the table.
    assert!(json.trim_start().starts_with("{\n  \"stories\""), "{json}");
    // An entry re-shared inside the window (#58 shares again what #57 shared, title for title) counts once.
    assert_eq!(parsed["window"]["reshares"], 1);
    let stories = parsed["stories"].as_array().expect("stories");
    // The sample's window holds the uv story of #55–#57 (written for it: five entries on uv).
    let uv = stories
        .iter()
        .find(|s| s["terms"].as_array().expect("terms").iter().any(|t| t == "uv"))
        .expect("a uv story");
    assert_eq!(uv["entries"].as_array().expect("entries").len(), 5, "{uv}");
    assert_eq!(
        (uv["first_issue"].as_u64(), uv["last_issue"].as_u64()),
        (Some(55), Some(57))
    );
    let table = ok(&store, &["trends", "--window", "4"]);
    let first = table.find("stories:").expect("stories in the table");
    assert!(
        first < table.find("rising terms").expect("terms"),
        "stories first: {table}"
    );
}

#[test]
fn descriptions_are_not_compared_across_the_change_of_format() {
    let (_dir, store) = built(&sample_archive());
    // #57 and #58 are title-only, every issue before them full.
    let output = weeklens(
        &store,
        &["trends", "--from", "57", "--to", "58", "--terms-from", "full"],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("not comparable") && err.contains("--terms-from titles"),
        "{err}"
    );
    // In the titles they are, with a note.
    let table = ok(&store, &["trends", "--from", "57", "--to", "58"]);
    assert!(
        table.contains("note: the window and the issues before it differ in format"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(
        &store,
        &["trends", "--from", "57", "--to", "58", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(json["formats_comparable"], false);
    assert_eq!(json["window"]["titles_only"], 2);
}

#[test]
fn a_window_with_nothing_before_it_is_refused() {
    let (_dir, store) = built(&sample_archive());
    // The default window, 12 issues, is the whole sample.
    for args in [
        &["trends"][..],
        &["trends", "--since", "2020-01-01"],
        &["trends", "--since", "2030-01-01"],
        &["trends", "--window", "0"],
    ] {
        let output = weeklens(&store, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("window"), "{args:?}: {err}");
    }
    let err = stderr(&weeklens(&store, &["trends"]));
    assert!(err.contains("nothing before the window"), "{err}");
}

#[test]
fn the_sample_table() {
    let (_dir, store) = built(&sample_archive());
    insta::assert_snapshot!(ok(&store, &["trends", "--window", "4", "--top", "5"]));
}
