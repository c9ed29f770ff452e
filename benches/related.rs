//! Related entries: one query as `weeklens related` answers it from the index file in the store
//! (an entry and a text), one query with the store loaded from disk into memory, and every
//! entry's suggestions (`related --all`), on the sample archive, a synthetic one of 10,000
//! entries and, with `WEEKLENS_ARCHIVE`, the real one. Each iteration asserts what it found.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use weeklens::corpus::Corpus;
use weeklens::related::{suggest_from_index, AllRelated, Query};
use weeklens::store::Store;
use weeklens::topics::TopicEdits;

fn bench(c: &mut Criterion) {
    let (archives, _synthetic) = common::archives_with_synthetic(10_000);
    for (name, root) in archives {
        let (_dir, store_dir) = common::built_store(root);
        let store = Store::open(&store_dir).expect("store");
        let entries = store.entries().expect("entries");
        let last = entries.iter().rposition(|e| !e.withdrawn).expect("an entry");
        let id = entries[last].id();

        let mut group = c.benchmark_group(format!("related/{name}"));
        group.sample_size(20);
        let corpus = Corpus::open(Store::open(&store_dir).expect("store"), TopicEdits::default());
        let want = corpus
            .ranking()
            .expect("loaded")
            .suggest(&Query::Entry(id), 5, 0.0)
            .expect("suggest")
            .len();
        assert!(want > 0, "{name}: the last entry has related entries");
        // What `weeklens related ID` does: open the store and its index file, read the pieces
        // one query needs.
        group.bench_function("one query, index file", |b| {
            b.iter(|| {
                let store = Store::open(&store_dir).expect("store");
                let found = suggest_from_index(&store, &Query::Entry(id), 5, 0.0).expect("suggest");
                assert_eq!(found.len(), want);
            })
        });
        // What `weeklens related --text TEXT` does: the text's words cut and found in the index
        // file's terms, then the same search (the last entry's title finds at least itself).
        let text = Query::Text(entries[last].title.clone());
        group.bench_function("one text query, index file", |b| {
            b.iter(|| {
                let store = Store::open(&store_dir).expect("store");
                let found = suggest_from_index(&store, &text, 5, 0.0).expect("suggest");
                assert!(!found.is_empty());
            })
        });
        // What `weeklens related ID` did before the index file (and `past-years` still does, through the corpus):
        // read the entries and ranking rows from Parquet, build their index, then one query.
        group.bench_function("one query, store loaded", |b| {
            b.iter(|| {
                let corpus = Corpus::open(Store::open(&store_dir).expect("store"), TopicEdits::default());
                let found = corpus
                    .ranking()
                    .expect("loaded")
                    .suggest(&Query::Entry(id), 5, 0.0)
                    .expect("suggest");
                assert!(!found.is_empty());
            })
        });
        let all = AllRelated {
            keys: corpus.entry_keys().expect("ids"),
            related_rows: corpus.related_rows().expect("rows"),
            related_index: corpus.related_index().expect("index"),
        };
        let live = entries.iter().filter(|e| !e.withdrawn).count();
        group.bench_function("every entry (--all)", |b| {
            b.iter(|| {
                assert_eq!(all.lines(5, 0.1).count(), live);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
