//! Related entries: one query with the store loaded from disk, and every entry's suggestions
//! (`related --all`), on the sample archive and, with `WEEKLENS_ARCHIVE`, the real one. Each
//! iteration asserts what it found.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use weeklens::cluster::ClusterParams;
use weeklens::related::RelatedIndex;
use weeklens::store::Store;
use weeklens::BuildParams;

fn bench(c: &mut Criterion) {
    for (name, root) in common::archives() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store_dir = dir.path().join("store");
        weeklens::build(&BuildParams {
            archive: root,
            store: store_dir.clone(),
            strict: false,
            cluster: ClusterParams::default(),
            fresh_topics: true,
        })
        .expect("build");
        let store = Store::open(&store_dir).expect("store");
        let entries = store.entries().expect("entries");
        let vectors = store.vectors(entries.len()).expect("vectors");
        let terms = store.vocabulary().expect("vocabulary").terms().len();
        let last = entries.iter().rposition(|e| !e.withdrawn).expect("an entry");

        let mut group = c.benchmark_group(format!("related/{name}"));
        group.sample_size(20);
        group.bench_function("one query, store loaded", |b| {
            b.iter(|| {
                let store = Store::open(&store_dir).expect("store");
                let entries = store.entries().expect("entries");
                let vectors = store.vectors(entries.len()).expect("vectors");
                let index = RelatedIndex::build(&vectors, &entries, terms);
                let found = index.query(&vectors[last], Some(entries[last].issue), Some(last), 5, 0.0);
                assert!(!found.is_empty());
            })
        });
        let index = RelatedIndex::build(&vectors, &entries, terms);
        let live = entries.iter().filter(|e| !e.withdrawn).count();
        group.bench_function("every entry (--all)", |b| {
            b.iter(|| {
                let mut n = 0;
                for (row, e) in entries.iter().enumerate().filter(|(_, e)| !e.withdrawn) {
                    index.query(&vectors[row], Some(e.issue), Some(row), 5, 0.1);
                    n += 1;
                }
                assert_eq!(n, live);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
