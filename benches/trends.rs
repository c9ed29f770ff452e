//! Trends: the window against the issues before it (terms and topics scored), and the topic
//! shares per season and per issue, on the sample archive and, with `WEEKLENS_ARCHIVE`, the real
//! one. The store is loaded once; each iteration asserts what it counted.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use weeklens::corpus::Corpus;
use weeklens::store::Store;
use weeklens::topics::TopicEdits;
use weeklens::trends::{self, Granularity, TrendsParams, Window};

fn bench(c: &mut Criterion) {
    for (name, root) in common::archives() {
        let (_dir, store_dir) = common::built_store(root);
        let opened = Corpus::open(Store::open(&store_dir).expect("store"), TopicEdits::default());
        let loaded = trends::Corpus::of(&opened, trends::TermText::Titles).expect("loaded");
        let corpus = loaded;
        // A third of the issues against the rest, whatever the archive's size.
        let n = (loaded.issues.len() / 3).max(1) as u32;
        let params = TrendsParams {
            window: Window::Last(n),
            ..TrendsParams::default()
        }
        .check()
        .expect("params");
        let mut numbers: Vec<u32> = loaded.issues.iter().map(|i| i.number).collect();
        numbers.sort_unstable();
        let first = numbers[numbers.len() - n as usize];
        let in_window = loaded
            .entries
            .iter()
            .filter(|e| !e.withdrawn && e.issue >= first)
            .count() as u32;
        let assigned = loaded.assignments.iter().flatten().count() as u32;

        let mut group = c.benchmark_group(format!("trends/{name}"));
        group.sample_size(20);
        group.bench_function("window against the past", |b| {
            b.iter(|| {
                let t = trends::compute(&corpus, &params).expect("trends");
                assert_eq!(t.window.entries, in_window);
            })
        });
        group.bench_function("load the store and score", |b| {
            b.iter(|| {
                let opened = Corpus::open(Store::open(&store_dir).expect("store"), TopicEdits::default());
                let loaded = trends::Corpus::of(&opened, trends::TermText::Titles).expect("loaded");
                let t = trends::compute(&loaded, &params).expect("trends");
                assert_eq!(t.window.entries, in_window);
            })
        });
        group.bench_function("topic shares per issue and per season", |b| {
            b.iter(|| {
                for g in [Granularity::Issue, Granularity::Season] {
                    let table = trends::topic_shares(
                        loaded.issues,
                        loaded.entries,
                        loaded.assignments,
                        g,
                        trends::SMOOTHING_RADIUS,
                    );
                    assert_eq!(table.rows.iter().map(|r| r.entries).sum::<u32>(), assigned);
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
