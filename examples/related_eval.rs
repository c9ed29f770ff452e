//! Scores `related` against the development set (issue 16): each query of the set is asked as
//! `weeklens related ID -k 10` asks it (the same library call, `related::suggest_from_index`,
//! with the command's default minimum score), and recall@5, recall@10 and MRR are printed per
//! part and evidence kind as a markdown table (`tests/devset/README.md` defines them).
//!
//! ```sh
//! cargo run --release --example related_eval -- --store DIR --set tests/devset/related-mined.tsv \
//!     [--part dev|held-out] [--misses N]
//! ```
//! `--misses N` also lists the N queries worst answered (lowest recall@10, then most relevant
//! entries), with their relevant entries, on standard output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use weeklens::devset::{self, score, Part};
use weeklens::model::EntryId;
use weeklens::related::{self, Query};
use weeklens::store::Store;

/// `weeklens related`'s default `--min-score`.
const MIN_SCORE: f32 = 0.1;

fn main() -> anyhow::Result<()> {
    let mut store: Option<PathBuf> = None;
    let mut set: Option<PathBuf> = None;
    let mut parts = Part::ALL.to_vec();
    let mut misses = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = Some(args.next().context("--store needs a directory")?.into()),
            "--set" => set = Some(args.next().context("--set needs a file")?.into()),
            "--part" => {
                let part = args.next().context("--part needs dev or held-out")?;
                parts = vec![part.parse().map_err(anyhow::Error::msg).context("--part")?];
            }
            "--misses" => {
                misses = args
                    .next()
                    .context("--misses needs a number")?
                    .parse()
                    .context("--misses")?
            }
            other => bail!(
                "unknown argument `{other}` (--store DIR --set FILE [--part dev|held-out] [--misses N])"
            ),
        }
    }
    let store = Store::open(&store.context("give --store DIR")?)?;
    let set = set.context("give --set FILE")?;
    let pairs: Vec<devset::Pair> = devset::read(&set)?
        .into_iter()
        .filter(|p| parts.contains(&p.part))
        .collect();
    let queries: BTreeSet<EntryId> = pairs.iter().map(|p| p.query).collect();

    let started = Instant::now();
    let mut answers: BTreeMap<EntryId, Vec<EntryId>> = BTreeMap::new();
    for &query in &queries {
        let views = related::suggest_from_index(&store, &Query::Entry(query), score::DEPTH, MIN_SCORE)
            .with_context(|| format!("related {query}"))?;
        let answer = views
            .iter()
            .map(|v| {
                Ok(EntryId {
                    issue: v.issue,
                    category: v.category.parse().map_err(anyhow::Error::msg)?,
                    position: v.position,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        answers.insert(query, answer);
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{} queries answered in {:.2} s ({:.2} ms each)",
        queries.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / queries.len().max(1) as f64
    );

    print!(
        "{}",
        score::render_table(&score::summarise(&pairs, &answers, &parts))
    );

    if misses > 0 {
        let mut worst = score::per_query(&pairs, &answers, None);
        worst.sort_by(|a, b| {
            a.recall(10)
                .total_cmp(&b.recall(10))
                .then(b.relevant.len().cmp(&a.relevant.len()))
                .then(a.query.cmp(&b.query))
        });
        println!("\nworst answered (recall@10, query, relevant entries):");
        for s in worst.iter().take(misses) {
            let relevant: Vec<String> = s.relevant.iter().map(ToString::to_string).collect();
            println!("{:.2}  {}  {}", s.recall(10), s.query, relevant.join(" "));
        }
    }
    Ok(())
}
