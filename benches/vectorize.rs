//! The vectorize stage: the TF-IDF fit over the entries' terms and every entry's row, on the
//! sample archive, the real one when `WEEKLENS_ARCHIVE` names it, and a synthetic archive of
//! 10,000 entries. Tokenising is left out (it has its own bench): the documents are tokenised
//! once before timing. Each iteration asserts the vocabulary size and the rows with terms.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weeklens::archive::Archive;
use weeklens::ingest::ingest;
use weeklens::tokenize::Tokenizer;
use weeklens::vectorize::{entry_terms, TfIdfParams};

fn bench(c: &mut Criterion) {
    let (synthetic_name, synthetic) = common::synthetic(10_000);
    let mut archives: Vec<(String, std::path::PathBuf)> = common::archives()
        .into_iter()
        .map(|(n, p)| (n.to_string(), p))
        .collect();
    archives.push((synthetic_name, synthetic.path().to_path_buf()));
    for (name, root) in archives {
        let entries = ingest(&Archive::open(&root).expect("archive opens"))
            .tables
            .entries;
        let tokenizer = Tokenizer::shared();
        let documents: Vec<Vec<String>> = entries
            .iter()
            .filter(|e| !e.withdrawn)
            .map(|e| entry_terms(tokenizer, e))
            .collect();
        let terms: usize = documents.iter().map(Vec::len).sum();
        let params = TfIdfParams::default().check().expect("default parameters");
        // The counts each iteration must reproduce, measured once.
        let fit = params.fit(documents.iter());
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
                let fit = params.fit(documents.iter());
                assert_eq!(fit.terms().len(), vocabulary);
                let rows = documents
                    .iter()
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
