//! Charts from a built store: the sample archive's entries per issue, stacked by category, drawn
//! as SVG (always) and PNG (with the system's CJK font; under CI a missing font fails).

use std::collections::BTreeMap;

use weeklens::chart::{self, Chart, ChartFont, ChartKind, Series};
use weeklens::model::Category;
use weeklens::store::Store;

use crate::support::{built, sample_archive};

/// Entries per issue by category, from the sample archive's store: what the report's first chart
/// shows.
fn entries_per_issue() -> (Chart, BTreeMap<u32, [u32; 6]>) {
    let (_dir, store) = built(&sample_archive());
    let entries = Store::open(&store).expect("store").entries().expect("entries");
    let mut counts: BTreeMap<u32, [u32; 6]> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.withdrawn) {
        let k = Category::ALL
            .iter()
            .position(|&c| c == e.category)
            .expect("a category");
        counts.entry(e.issue).or_default()[k] += 1;
    }
    let chart = Chart::new(
        "每期条目 Entries per issue",
        ChartKind::StackedBars {
            x_labels: counts.keys().map(|i| format!("#{i}")).collect(),
            series: Category::ALL
                .iter()
                .enumerate()
                .map(|(k, c)| Series {
                    name: c.as_str().to_string(),
                    values: counts.values().map(|row| f64::from(row[k])).collect(),
                })
                .collect(),
            percent: false,
        },
    )
    .with_axes("issue", "entries");
    (chart, counts)
}

#[test]
fn sample_entries_per_issue_as_svg() {
    let (chart, counts) = entries_per_issue();
    assert!(counts.len() >= 5, "the sample has several issues");
    let svg = chart::svg(&chart).expect("draws");
    assert!(svg.starts_with("<svg "));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    // Few issues: every one is labelled, and every category that occurs is in the legend.
    for issue in counts.keys() {
        assert!(svg.contains(&format!(">\n#{issue}\n</text>")), "label #{issue}");
    }
    for (k, c) in Category::ALL.iter().enumerate() {
        if counts.values().any(|row| row[k] > 0) {
            assert!(
                svg.contains(&format!(">\n{}\n</text>", c.as_str())),
                "legend {c:?}"
            );
        }
    }
    // One rectangle per non-empty (issue, category) cell, besides the background and legend.
    let cells = counts.values().flatten().filter(|&&n| n > 0).count();
    assert!(
        svg.matches("<rect").count() >= cells,
        "{} rects for {cells} cells",
        svg.matches("<rect").count()
    );
    assert_eq!(svg, chart::svg(&chart).expect("draws"), "deterministic");
}

#[test]
fn sample_entries_per_issue_as_png() {
    let font = match ChartFont::find(None) {
        Ok(font) => font,
        Err(e) if std::env::var_os("CI").is_some() => panic!("CI needs a CJK font: {e}"),
        Err(e) => {
            eprintln!("no CJK font, PNG test not run: {e}");
            return;
        }
    };
    let (chart, _) = entries_per_issue();
    let png = chart::png(&chart, &font).expect("draws");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(png, chart::png(&chart, &font).expect("draws"), "deterministic");
}
