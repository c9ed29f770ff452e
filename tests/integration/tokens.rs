//! The tokenizer: golden cases from `tests/fixtures/tokens.txt`, and its invariants.

use std::fs;

use weeklens::tokenize::Tokenizer;

use crate::support::{ok, repo};

#[test]
fn golden_cases() {
    let path = repo().join("tests/fixtures/tokens.txt");
    let text = fs::read_to_string(&path).expect("fixture");
    let tokenizer = Tokenizer::shared();
    let mut failures = Vec::new();
    let mut cases = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (input, expected) = line
            .split_once(" => ")
            .unwrap_or_else(|| panic!("tokens.txt:{}: no ` => `", i + 1));
        let expected: Vec<&str> = expected.split_whitespace().collect();
        let got = tokenizer.terms(input);
        cases += 1;
        if got != expected {
            failures.push(format!(
                "tokens.txt:{}: `{input}`\n  want {expected:?}\n  got  {got:?}",
                i + 1
            ));
        }
    }
    assert!(cases >= 20, "{cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tokens_command_prints_the_terms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = ok(
        &dir.path().join("store"),
        &["tokens", "新提案 PEP-701 让 f-string 更灵活"],
    );
    assert_eq!(out.trim(), "提案 pep701 f-string 灵活");
}

proptest::proptest! {
    #[test]
    fn never_panics_and_is_deterministic(text in "\\PC{0,200}") {
        let tokenizer = Tokenizer::shared();
        let first = tokenizer.terms(&text);
        proptest::prop_assert_eq!(first, tokenizer.terms(&text));
    }

    #[test]
    fn terms_never_hold_white_space_or_urls(
        words in proptest::collection::vec("(PEP ?[0-9]{1,4}|Python 3\\.1[0-4]t?|https://x\\.dev/[a-z]{1,5}|[a-zA-Z]{1,8}|自由线程|装饰器|的|，|[0-9]{1,3}、)", 0..20)
    ) {
        let text = words.join(" ");
        for term in Tokenizer::shared().terms(&text) {
            proptest::prop_assert!(!term.is_empty() && !term.contains(char::is_whitespace), "{:?}", term);
            proptest::prop_assert!(!term.contains("://"), "{:?}", term);
        }
    }
}

#[test]
fn terms_of_the_archive_and_of_a_season() {
    let (_dir, store) = crate::support::built(&crate::support::sample_archive());
    let all = ok(&store, &["terms", "--top", "5", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_str(&all).expect("json");
    assert_eq!(all.as_array().expect("list").len(), 5);
    let weights: Vec<f64> = all
        .as_array()
        .expect("list")
        .iter()
        .map(|t| t["weight"].as_f64().expect("weight"))
        .collect();
    assert!(
        weights.windows(2).all(|w| w[0] >= w[1]),
        "heaviest first: {weights:?}"
    );
    let season = ok(&store, &["terms", "--season", "1", "--top", "3"]);
    // What it ranks, the column heads, three terms.
    assert_eq!(season.lines().count(), 2 + 3, "{season}");
    assert!(
        season.starts_with("terms of season 1 (issues #1–#30; "),
        "{season}"
    );
    let missing = crate::support::weeklens(&store, &["terms", "--issue", "999"]);
    assert!(!missing.status.success());
}

#[test]
fn a_new_draft_is_vectorised_with_the_stored_vocabulary() {
    let (_dir, store) = crate::support::built(&crate::support::sample_archive());
    let store = weeklens::store::Store::open(&store).expect("store");
    let fit = store.vocabulary().expect("vocabulary");
    let entries = store.entries().expect("entries");
    let vectors = store.vectors(entries.len()).expect("vectors");
    // An entry's own text, vectorised again without refitting, gives its stored row.
    let k = entries.iter().position(|e| !e.withdrawn).expect("an entry");
    let terms = weeklens::vectorize::entry_terms(Tokenizer::shared(), &entries[k]);
    let row = fit.transform(&terms);
    assert_eq!(row.indices, vectors[k].indices);
    assert!((row.dot(&vectors[k]) - 1.0).abs() < 1e-4);
    for v in vectors.iter().filter(|v| !v.indices.is_empty()) {
        assert!((v.norm() - 1.0).abs() < 1e-4);
    }
}

#[test]
fn vocab_measures_the_word_lists() {
    let (_dir, store) = crate::support::built(&crate::support::sample_archive());
    let df = ok(&store, &["vocab", "df", "--top", "15"]);
    assert_eq!(df.lines().count(), 1 + 15, "{df}");
    // The most common terms of the sample include domain stop words, marked as such.
    assert!(df.lines().any(|l| l.trim_end().ends_with("yes")), "{df}");
    let pairs = ok(
        &store,
        &["vocab", "pairs", "--min-entries", "2", "--min-pmi", "1"],
    );
    assert!(pairs.starts_with("rank"), "{pairs}");
    for line in pairs.lines().skip(1) {
        let entries: u32 = line
            .split_whitespace()
            .nth(5)
            .and_then(|n| n.parse().ok())
            .expect("entries column");
        assert!(entries >= 2, "{line}");
    }
}
