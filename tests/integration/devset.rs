//! The development set of `related` kept in `tests/devset/`: it reads, and keeps its own rules.

use std::collections::BTreeSet;
use std::path::Path;

use weeklens::devset::{self, Evidence, Part};

#[test]
fn the_kept_set_reads_and_holds_every_kind_in_both_parts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/devset/related-mined.tsv");
    // `read` refuses a line whose part breaks the rule or whose entry is not earlier.
    let pairs = devset::read(&path).expect("the set reads");
    assert!(pairs.len() >= 500, "{} pairs", pairs.len());
    for kind in Evidence::ALL {
        for part in Part::ALL {
            assert!(
                pairs.iter().any(|p| p.part == part && p.evidence.contains(&kind)),
                "no {kind} pair in {part}"
            );
        }
    }
    // One line per pair, in order.
    let mut sorted = pairs.clone();
    sorted.sort();
    sorted.dedup_by_key(|p| (p.query, p.relevant));
    assert_eq!(sorted, pairs);
    let queries: BTreeSet<_> = pairs.iter().map(|p| p.query).collect();
    assert!(queries.len() >= 200, "{} queries", queries.len());
}
