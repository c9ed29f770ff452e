//! The vectorize stage: the TF-IDF fit over the entries' terms and every entry's row, on the
//! sample archive, the real one when `WEEKLENS_ARCHIVE` names it, and a synthetic archive of
//! 10,000 entries. Tokenising is left out (it has its own bench): the documents are tokenised
//! once before timing. Each iteration asserts the vocabulary size and the rows with terms.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use weeklens::vectorize::TfIdfParams;

fn bench(c: &mut Criterion) {
    let (archives, _synthetic) = common::archives_with_synthetic(10_000);
    for (name, root) in archives {
        let documents = common::live_documents(&root);
        let terms: usize = documents.iter().map(Vec::len).sum();
        let params = TfIdfParams::default().check().expect("default parameters");
        // The counts each iteration must reproduce, measured once.
        let fit = params.fit(&documents);
        let vocabulary = fit.terms().len();
        let with_terms = documents
            .iter()
            .filter(|d| !fit.transform(d).indices.is_empty())
            .count();
        assert!(vocabulary > 0 && with_terms > 0);

        let mut group = c.benchmark_group(format!("vectorize/{name}"));
        group.throughput(Throughput::Elements(terms as u64));
        group.sample_size(10);
        group.bench_function("fit + transform every entry", |b| {
            b.iter(|| {
                let fit = params.fit(&documents);
                assert_eq!(fit.terms().len(), vocabulary);
                let rows = documents
                    .par_iter()
                    .map(|d| fit.transform(d))
                    .filter(|v| !v.indices.is_empty())
                    .count();
                assert_eq!(rows, with_terms);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
