//! Charts: the report's largest ones, drawn as SVG and, with a CJK font on the system, as PNG;
//! and the word cloud's layout.
//! Fixed inputs; each iteration checks what it drew.

use criterion::{criterion_group, criterion_main, Criterion};
use weeklens::chart::{self, Chart, ChartFont, ChartKind, Series};

/// 160 issues × 6 categories, and 20 topics × 24 quarters: the real archive's sizes.
fn charts() -> Vec<(&'static str, Chart)> {
    let issues: Vec<String> = (1..=160).map(|i| format!("#{i}")).collect();
    let series = ["文章", "项目", "media", "discussion", "book", "other"]
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            name: name.to_string(),
            values: (0..160).map(|i| ((i * 7 + k * 13) % 11) as f64).collect(),
        })
        .collect();
    let quarters: Vec<String> = (0..24)
        .map(|q| format!("{}Q{}", 2020 + q / 4, q % 4 + 1))
        .collect();
    let topics: Vec<String> = (0..20).map(|t| format!("主题 {t} asyncio")).collect();
    let values = (0..20)
        .map(|t| (0..24).map(|q| ((q * (t + 3)) % 13) as f64).collect())
        .collect();
    vec![
        (
            "stacked bars, 160 issues",
            Chart::new(
                "Entries per issue",
                ChartKind::StackedBars {
                    x_labels: issues,
                    series,
                    percent: false,
                },
            ),
        ),
        (
            "heat map, 20 × 24",
            Chart::new(
                "Topic × quarter",
                ChartKind::Heatmap {
                    row_labels: topics,
                    col_labels: quarters,
                    values,
                    scale_title: "entries".into(),
                },
            ),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let font = ChartFont::find(None);
    if let Err(e) = &font {
        eprintln!("no CJK font, PNG not measured: {e}");
    }
    let mut group = c.benchmark_group("chart");
    group.sample_size(20);
    if font.is_ok() {
        // Once per report: reading the CJK font (and a Latin one) from the font directories.
        group.bench_function("find the font", |b| {
            b.iter(|| {
                let found = ChartFont::find(None).expect("a font");
                assert!(!found.paths().is_empty());
            })
        });
    }
    for (name, chart) in charts() {
        group.bench_function(format!("svg, {name}"), |b| {
            b.iter(|| {
                let svg = chart::svg(&chart).expect("svg");
                assert!(svg.matches("<rect").count() > 400);
            })
        });
        if let Ok(font) = &font {
            group.bench_function(format!("png, {name}"), |b| {
                b.iter(|| {
                    let png = chart::png(&chart, font).expect("png");
                    assert!(png.len() > 10_000);
                })
            });
        }
    }
    // The word cloud's layout: 180 words of a season, the editor's canvas.
    let words: Vec<(String, f64)> = (0..180)
        .map(|i| {
            (
                format!("{}词{i}", ["asyncio", "智能体", "Python 3.13", "uv"][i % 4]),
                (200 - i) as f64,
            )
        })
        .collect();
    group.bench_function("word cloud layout, 180 words", |b| {
        b.iter(|| {
            let placed = chart::wordcloud::layout(&words, chart::wordcloud::CLOUD_SIZE, 61);
            assert!(placed.len() > 150, "{}", placed.len());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
