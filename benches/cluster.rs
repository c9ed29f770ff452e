//! Topics: the clustering stage alone (rows weighted, LSA, k chosen over the default range, labels
//! and NPMI), with BM25 rows (the default) and with the stored TF-IDF rows, on the sample archive
//! and, with `WEEKLENS_ARCHIVE`, the real one. The entries are tokenised and the TF-IDF fitted once,
//! outside the timed loop; each iteration asserts that every live entry got a topic.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use weeklens::archive::Archive;
use weeklens::cluster::{ClusterParams, Corpus, Weighting};
use weeklens::tokenize::Tokenizer;
use weeklens::vectorize::{self, TfIdfParams};

fn bench(c: &mut Criterion) {
    for (name, root) in common::archives() {
        let archive = Archive::open(&root).expect("archive");
        let entries = weeklens::ingest::ingest(&archive).tables.entries;
        let tokenizer = Tokenizer::shared();
        let documents: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                if e.withdrawn {
                    Vec::new()
                } else {
                    vectorize::entry_terms(tokenizer, e)
                }
            })
            .collect();
        let live_documents = entries
            .iter()
            .zip(&documents)
            .filter(|(e, _)| !e.withdrawn)
            .map(|(_, d)| d);
        let fit = TfIdfParams::default().check().expect("valid").fit(live_documents);
        let vectors: Vec<_> = documents.iter().map(|d| fit.transform(d)).collect();
        let counts: Vec<_> = documents.iter().map(|d| fit.counts(d)).collect();
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: fit.terms(),
        };
        let live = vectors.iter().filter(|v| !v.indices.is_empty()).count();

        let mut group = c.benchmark_group(format!("cluster/{name}"));
        group.sample_size(10);
        for (label, weighting) in [("bm25", Weighting::Bm25), ("tfidf", Weighting::TfIdf)] {
            let params = ClusterParams {
                weighting,
                ..ClusterParams::default()
            }
            .check()
            .expect("valid");
            group.bench_function(format!("fit, k chosen, {label} rows"), |b| {
                b.iter(|| {
                    let clustering = params.fit(&corpus, None).expect("topics");
                    assert_eq!(clustering.assignments.iter().flatten().count(), live);
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
