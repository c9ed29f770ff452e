//! The tokenizer against bare jieba-rs `cut` over the same text: every entry's document (title
//! and description in both languages, as the build tokenises them) of the sample archive and,
//! when `WEEKLENS_ARCHIVE` is set, of the real one. The target: the whole tokenizer keeps at
//! least 70% of bare jieba's throughput. Each iteration asserts its count.
//!
//! And the tokenizer's load: with the whole dictionary, and with the words the archive's entries
//! can hold, as a build loads it. Each load tokenises the first document and asserts its count.

mod common;

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use weeklens::archive::Archive;
use weeklens::ingest::ingest;
use weeklens::tokenize::Tokenizer;

/// One text per entry: the four fields the build tokenises, a line each.
fn documents(root: &Path) -> Vec<String> {
    let archive = Archive::open(root).expect("archive opens");
    ingest(&archive)
        .tables
        .entries
        .iter()
        .filter(|e| !e.withdrawn)
        .map(|e| e.texts().collect::<Vec<_>>().join("\n"))
        .collect()
}

fn tokenize_all(tokenizer: &Tokenizer, docs: &[String]) -> usize {
    let mut terms = Vec::new();
    let mut n = 0;
    for doc in docs {
        terms.clear();
        tokenizer.plain_terms_into(doc, &mut terms);
        n += terms.len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let tokenizer = Tokenizer::shared();
    for (name, root) in common::archives() {
        let docs = documents(&root);
        let bytes: usize = docs.iter().map(String::len).sum();
        let words: usize = docs.iter().map(|t| tokenizer.bare_cut(t)).sum();
        let terms = tokenize_all(tokenizer, &docs);

        let mut group = c.benchmark_group(format!("tokenize/{name}"));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(20);
        group.bench_function("bare jieba cut (HMM)", |b| {
            b.iter(|| assert_eq!(docs.iter().map(|t| tokenizer.bare_cut(t)).sum::<usize>(), words))
        });
        group.bench_function("weeklens tokenizer", |b| {
            b.iter(|| assert_eq!(tokenize_all(tokenizer, &docs), terms))
        });
        group.finish();

        let first = tokenize_all(tokenizer, &docs[..1]);
        let mut group = c.benchmark_group(format!("tokenizer load/{name}"));
        group.sample_size(20);
        group.bench_function("whole dictionary", |b| {
            b.iter(|| assert_eq!(tokenize_all(&Tokenizer::load(), &docs[..1]), first))
        });
        group.bench_function("the entries' words", |b| {
            b.iter(|| {
                let tokenizer = Tokenizer::for_texts(docs.par_iter().map(String::as_str));
                assert_eq!(tokenize_all(&tokenizer, &docs[..1]), first)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
