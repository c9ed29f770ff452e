//! Mines the development set of `related` (issue 16) from an archive and writes it as the set
//! file (`tests/devset/README.md` says how it is made and read):
//!
//! ```sh
//! cargo run --release --example devset_mine -- --archive ../shared/corpus/python-weekly/docs \
//!     --out tests/devset/related-mined.tsv [--explain]
//! ```
//! `--explain` prints each piece of evidence with its key (the URL, repository, PEP, project
//! name or the editor's words) on standard output, for reading the pairs by hand; the set file
//! holds ids only.

use std::path::PathBuf;

use anyhow::{bail, Context};
use weeklens::devset::{self, mine};

fn main() -> anyhow::Result<()> {
    let mut archive: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut explain = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--archive" => archive = Some(args.next().context("--archive needs a directory")?.into()),
            "--out" => out = Some(args.next().context("--out needs a file")?.into()),
            "--explain" => explain = true,
            other => bail!("unknown argument `{other}` (--archive DIR --out FILE [--explain])"),
        }
    }
    let archive = archive.context("give --archive DIR")?;
    let out = out.context("give --out FILE")?;
    let opened = weeklens::archive::Archive::open(&archive)?;
    let ingested = weeklens::ingest::ingest(&opened);
    for d in &ingested.diagnostics {
        eprintln!("warning: {d}");
    }
    let found = mine::mine(&ingested.tables.entries);
    if explain {
        for f in &found {
            println!("{}\t{}\t{}\t{}", f.later, f.earlier, f.evidence, f.key);
        }
    }
    let pairs = mine::pairs(&found);
    std::fs::write(&out, devset::render(&pairs)).with_context(|| format!("writing {}", out.display()))?;
    let queries: std::collections::BTreeSet<_> = pairs.iter().map(|p| p.query).collect();
    eprintln!(
        "{}: {} pairs, {} queries",
        out.display(),
        pairs.len(),
        queries.len()
    );
    for kind in devset::Evidence::ALL {
        let n = pairs.iter().filter(|p| p.evidence.contains(&kind)).count();
        eprintln!("  {kind}: {n} pairs");
    }
    Ok(())
}
