//! The parse and ingest stages over the sample archive, and over the real archive when
//! `WEEKLENS_ARCHIVE` names it. Each iteration asserts the entry count, so a stage that silently
//! does nothing cannot look fast.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weeklens::archive::{read_text, Archive};
use weeklens::ingest::ingest;
use weeklens::parse::parse_issue;

fn bench(c: &mut Criterion) {
    for (name, root) in common::archives() {
        let archive = Archive::open(&root).expect("archive opens");
        let texts: Vec<(String, String)> = archive
            .weeklies
            .iter()
            .map(|f| (f.name.clone(), read_text(&f.path, &f.name).expect("utf-8")))
            .collect();
        let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
        let entries = ingest(&archive).tables.entries.len();
        let parsed: usize = texts.iter().map(|(n, t)| parse_issue(n, t).0.entries.len()).sum();

        let mut group = c.benchmark_group(format!("parse/{name}"));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("parse_issue (zh files, in memory)", |b| {
            b.iter(|| {
                let n: usize = texts.iter().map(|(n, t)| parse_issue(n, t).0.entries.len()).sum();
                assert_eq!(n, parsed);
            })
        });
        group.bench_function("ingest (read + parse + pair, zh and en)", |b| {
            b.iter(|| assert_eq!(ingest(&archive).tables.entries.len(), entries))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
