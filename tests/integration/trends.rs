//! Trends: `weeklens trends` on the sample store, its counts checked against the store's own
//! entries, rows and topics; the same window by count and by date; an empty background refused.

use std::collections::BTreeSet;
use std::path::Path;

use weeklens::store::Store;

use crate::support::{built, ok, sample_archive, stderr, weeklens};

/// Checks every count of a `trends --format json` output against the store: the window is the
/// issues `window`, the background every earlier issue.
pub fn check_counts(store: &Path, json: &serde_json::Value, window: &BTreeSet<u32>) {
    let opened = Store::open(store).expect("store");
    let issues = opened.issues().expect("issues");
    let entries = opened.entries().expect("entries");
    let vectors = opened.vectors(entries.len()).expect("vectors");
    let terms = opened.vocabulary().expect("vocabulary").terms().to_vec();
    let assignments = opened.assignments().expect("assignments");
    let first = *window.first().expect("a window");
    let before: BTreeSet<u32> = issues.iter().map(|i| i.number).filter(|&n| n < first).collect();

    let side = |set: &BTreeSet<u32>, name: &str| {
        let live = entries
            .iter()
            .filter(|e| !e.withdrawn && set.contains(&e.issue))
            .count();
        assert_eq!(json[name]["entries"], live as u64, "{name} entries");
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
            .filter(|(e, h)| !e.withdrawn && set.contains(&e.issue) && h.contains(term))
            .count() as u64
    };
    let total = |set: &BTreeSet<u32>| -> u64 {
        entries
            .iter()
            .zip(&held)
            .filter(|(e, _)| !e.withdrawn && set.contains(&e.issue))
            .map(|(_, h)| h.len() as u64)
            .sum()
    };
    assert_eq!(json["terms"]["window_total"], total(window));
    assert_eq!(json["terms"]["before_total"], total(&before));
    let in_topic = |set: &BTreeSet<u32>, topic: u64| -> u64 {
        entries
            .iter()
            .zip(&assignments)
            .filter(|(e, t)| !e.withdrawn && set.contains(&e.issue) && t.map(u64::from) == Some(topic))
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
                    "rising" => assert!(z > 0.0 && b > 0, "{item}"),
                    "falling" => assert!(z < 0.0, "{item}"),
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
    assert!(!parsed["terms"]["rising"].as_array().expect("list").is_empty());
    assert!(!parsed["topics"]["falling"].as_array().expect("list").is_empty());

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
