//! The parse and ingest stages over the sample archive, and over the real archive when
//! `WEEKLENS_ARCHIVE` names it. Each iteration asserts the entry count, so a stage that silently
//! does nothing cannot look fast.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weeklens::archive::{read_text, Archive};
use weeklens::ingest::ingest;
use weeklens::parse::parse_issue;

fn archives() -> Vec<(&'static str, PathBuf)> {
    let mut out = vec![(
        "sample",
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
    )];
    if let Some(real) = std::env::var_os("WEEKLENS_ARCHIVE") {
        out.push(("real", PathBuf::from(real)));
    }
    out
}

fn bench(c: &mut Criterion) {
    for (name, root) in archives() {
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
