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
//!
//! `--judged DIR` scores the hand-judged set instead (`DIR/related-judged.tsv` and
//! `DIR/related-judged-queries.tsv`, usually `tests/devset`): each query's top 5 as `related ID`
//! gives it, counted as `tests/devset/score_judged.py` counts `related --all -k 5` (the same
//! lines); `--list-unjudged` also lists the suggestions nobody judged.

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
    let mut judged: Option<PathBuf> = None;
    let mut list_unjudged = false;
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
            "--judged" => judged = Some(args.next().context("--judged needs a directory")?.into()),
            "--list-unjudged" => list_unjudged = true,
            other => bail!(
                "unknown argument `{other}` (--store DIR (--set FILE [--part dev|held-out] [--misses N] | --judged DIR [--list-unjudged]))"
            ),
        }
    }
    let store = Store::open(&store.context("give --store DIR")?)?;
    if let Some(dir) = judged {
        return score_judged(&store, &dir, list_unjudged);
    }
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

/// The rows of a tab-separated file with a header, as (column → value) maps; `path:line` in errors.
fn tsv(path: &std::path::Path) -> anyhow::Result<Vec<BTreeMap<String, String>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().context("no header")?.split('\t').collect();
    lines
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| {
            let cells: Vec<&str> = l.split('\t').collect();
            if cells.len() != header.len() {
                bail!(
                    "{}:{}: {} columns, not {}",
                    path.display(),
                    i + 2,
                    cells.len(),
                    header.len()
                );
            }
            Ok(header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect())
        })
        .collect()
}

/// `--judged`: precision@5 and the rest of `score_judged.py`'s line, per part and for all.
fn score_judged(store: &Store, dir: &std::path::Path, list_unjudged: bool) -> anyhow::Result<()> {
    let mut part: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for row in tsv(&dir.join("related-judged-queries.tsv"))? {
        order.push(row["query"].clone());
        part.insert(row["query"].clone(), row["part"].clone());
    }
    let mut judged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for row in tsv(&dir.join("related-judged.tsv"))? {
        judged
            .entry(row["query"].clone())
            .or_default()
            .insert(row["candidate"].clone(), row["judgment"].clone());
    }
    let mut top: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for q in &order {
        let id: EntryId = q.parse().map_err(anyhow::Error::msg)?;
        let views = related::suggest_from_index(store, &Query::Entry(id), 5, MIN_SCORE)
            .with_context(|| format!("related {q}"))?;
        top.insert(
            q.clone(),
            views
                .iter()
                .map(|v| format!("{}:{}:{}", v.issue, v.category, v.position))
                .collect(),
        );
    }
    let none = BTreeMap::new();
    let mut unjudged = Vec::new();
    for name in ["dev", "held-out", "all"] {
        let qs: Vec<&String> = order
            .iter()
            .filter(|q| name == "all" || part[*q] == name)
            .collect();
        let mut c: BTreeMap<&str, usize> = BTreeMap::new();
        for q in &qs {
            let j = judged.get(*q).unwrap_or(&none);
            let known: Vec<&String> = j
                .iter()
                .filter(|(_, v)| *v == "relevant")
                .map(|(k, _)| k)
                .collect();
            let answer = &top[*q];
            for cand in answer {
                let label = j.get(cand).map_or("unjudged", String::as_str);
                *c.entry(label).or_default() += 1;
                if label == "unjudged" && name == "all" {
                    unjudged.push(format!("unjudged\t{q}\t{cand}"));
                }
            }
            *c.entry("empty").or_default() += 5 - answer.len();
            if !known.is_empty() {
                *c.entry("empty_known").or_default() += 5 - answer.len();
                *c.entry("known").or_default() += known.len();
                *c.entry("known_found").or_default() += known.iter().filter(|k| answer.contains(k)).count();
            }
        }
        let g = |k: &str| c.get(k).copied().unwrap_or(0);
        let slots = 5 * qs.len();
        println!(
            "{name}: {} queries, {slots} slots: relevant {}, weak {}, wrong {}, unjudged {}, empty {} ({} where a relevant earlier entry is known); precision@5 {:.3} (relevant + weak {:.3}); known relevant in the top 5: {} of {} ({:.3})",
            qs.len(),
            g("relevant"),
            g("weak"),
            g("wrong"),
            g("unjudged"),
            g("empty"),
            g("empty_known"),
            g("relevant") as f64 / slots.max(1) as f64,
            (g("relevant") + g("weak")) as f64 / slots.max(1) as f64,
            g("known_found"),
            g("known"),
            g("known_found") as f64 / g("known").max(1) as f64,
        );
    }
    if list_unjudged {
        for line in unjudged {
            println!("{line}");
        }
    }
    Ok(())
}
