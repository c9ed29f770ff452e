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

#[test]
fn all_writes_one_line_per_entry_with_past_suggestions_only() {
    let (_dir, store) = built(&sample_archive());
    let out = ok(&store, &["related", "--all", "-k", "3", "--format", "jsonl"]);
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
            assert!(r["issue"].as_u64() < row["issue"].as_u64(), "{line}");
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
