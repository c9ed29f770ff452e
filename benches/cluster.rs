//! The cluster stage: LSA and k-means over the TF-IDF rows, labels and scores, with k given (one
//! fit, as a rebuild without a previous store and with `--k` does) and with k chosen over the
//! default range (what a fresh `weeklens build` does), on the sample archive, the real one when
//! `WEEKLENS_ARCHIVE` names it, and a synthetic archive of 10,000 entries. The rows are built
//! once before timing. Each iteration asserts that every row with terms got a topic and that the
//! topics asked for came out.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weeklens::cluster::{ClusterParams, Corpus};
use weeklens::vectorize::TfIdfParams;

fn bench(c: &mut Criterion) {
    let (archives, _synthetic) = common::archives_with_synthetic(10_000);
    for (name, root) in archives {
        let documents = common::live_documents(&root);
        let fit = TfIdfParams::default()
            .check()
            .expect("default parameters")
            .fit(&documents);
        let vectors: Vec<_> = documents.iter().map(|d| fit.transform(d)).collect();
        let counts: Vec<_> = documents.iter().map(|d| fit.counts(d)).collect();
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: fit.terms(),
        };
        let with_terms = vectors.iter().filter(|v| !v.indices.is_empty()).count();
        // The sample is too small for 20 topics.
        let k = if documents.len() < 1000 { 6 } else { 20 };

        let mut group = c.benchmark_group(format!("cluster/{name}"));
        group.throughput(Throughput::Elements(with_terms as u64));
        group.sample_size(10);
        let given = ClusterParams {
            k: Some(k),
            ..ClusterParams::default()
        }
        .check()
        .expect("valid cluster parameters");
        group.bench_function(format!("k = {k}"), |b| {
            b.iter(|| {
                let clustering = given.fit(&corpus, None).expect("a clustering");
                assert_eq!(clustering.assignments.iter().flatten().count(), with_terms);
                assert!(clustering.topics.len() >= k);
            })
        });
        if documents.len() >= 1000 {
            let chosen = ClusterParams::default().check().expect("default parameters");
            let candidates = ClusterParams::default().k_range;
            let tried = (candidates.0..=candidates.1).step_by(candidates.2).count();
            group.bench_function(format!("k chosen over {tried} values"), |b| {
                b.iter(|| {
                    let clustering = chosen.fit(&corpus, None).expect("a clustering");
                    assert_eq!(clustering.assignments.iter().flatten().count(), with_terms);
                    assert_eq!(clustering.scores.len(), tried);
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
