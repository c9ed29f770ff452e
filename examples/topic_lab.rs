//! The topic measurements of QUALITY.md on the archive at `WEEKLENS_ARCHIVE`: tokenises and
//! fits TF-IDF once, then for each configuration on the command line fits the topics afresh and
//! prints the topics kept, mean NPMI, the largest topic's share, the cosine silhouette and each k
//! tried (k:topics:npmi:largest%). With `stable=1` it also builds the archive without its last
//! issue, then with it, carrying the first's topics over, and prints the share of older entries
//! that keep their topic (what `archive::topics_are_balanced_coherent_and_stable_as_the_archive_grows`
//! asserts).
//!
//! ```sh
//! WEEKLENS_ARCHIVE=../shared/corpus/python-weekly/docs cargo run --release --example topic_lab -- \
//!     "weighting=tfidf,dims=0,k=20" "stable=1" "seed=1" "min_share=0.005,dims=0,k=20"
//! ```
//! A configuration is `key=value` pairs joined by commas: `dims`, `k`, `range` (first:last:step),
//! `weighting` (tfidf or bm25), `min_share`, `min_terms`, `runs`, `seed`, `stable`, `seeds`; the
//! rest is [`ClusterParams::default`].
//!
//! With `seeds=N` the configuration is fitted with seeds 1 to N instead, and each k tried is
//! printed with its mean NPMI over the seeds and the mean's standard error, then the smallest k
//! whose mean is within one standard error of the best (how [`weeklens::cluster::DEFAULT_K`] was
//! chosen):
//!
//! ```sh
//! WEEKLENS_ARCHIVE=../shared/corpus/python-weekly/docs cargo run --release --example topic_lab -- \
//!     "range=12:40:4,seeds=24"
//! ```

use std::time::Instant;

use rayon::prelude::*;

use weeklens::archive::Archive;
use weeklens::cluster::{ClusterParams, Clustering, Corpus, Previous, PreviousTopic, Weighting};
use weeklens::model::Entry;
use weeklens::tokenize::Tokenizer;
use weeklens::vectorize::{self, SparseVector, TfIdfParams};

/// What the build hands the clustering, for one set of entries.
struct Vectorised {
    vectors: Vec<SparseVector>,
    counts: Vec<Vec<(u32, u32)>>,
    terms: Vec<String>,
}

impl Vectorised {
    fn new(entries: &[Entry], documents: &[Vec<String>]) -> Vectorised {
        let live = entries
            .par_iter()
            .zip(documents)
            .filter(|(e, _)| !e.withdrawn)
            .map(|(_, d)| d);
        let fit = TfIdfParams::default().check().expect("valid").fit(live);
        let counts: Vec<Vec<(u32, u32)>> = documents.iter().map(|d| fit.counts(d)).collect();
        Vectorised {
            vectors: counts.iter().map(|c| fit.row(c)).collect(),
            counts,
            terms: fit.terms().to_vec(),
        }
    }

    fn corpus(&self) -> Corpus<'_> {
        Corpus {
            vectors: &self.vectors,
            counts: &self.counts,
            terms: &self.terms,
        }
    }
}

/// A configuration: the parameters, whether to measure stability, how many seeds to average.
fn parse(config: &str) -> (ClusterParams, bool, usize) {
    let mut params = ClusterParams::default();
    let mut stable = false;
    let mut seeds = 0;
    for pair in config.split(',').filter(|s| !s.is_empty()) {
        let (key, value) = pair.split_once('=').expect("key=value");
        let number = || value.parse::<usize>().expect("a number");
        match key {
            "dims" => params.dims = number(),
            "k" => params.k = Some(number()),
            "range" => {
                let p: Vec<usize> = value.split(':').map(|x| x.parse().expect("a number")).collect();
                params.k_range = (p[0], p[1], p[2]);
            }
            "weighting" => {
                params.weighting = match value {
                    "tfidf" => Weighting::TfIdf,
                    "bm25" => Weighting::Bm25,
                    other => panic!("unknown weighting {other}"),
                }
            }
            "min_share" => params.min_share = value.parse().expect("a share"),
            "min_terms" => params.min_terms = number(),
            "runs" => params.runs = number(),
            "seed" => params.seed = number() as u64,
            "stable" => stable = value == "1",
            "seeds" => seeds = number(),
            other => panic!("unknown key {other}"),
        }
    }
    (params, stable, seeds)
}

/// Each k's mean NPMI over seeds 1 to `seeds`, its standard error, and the smallest k within
/// one standard error of the best mean.
fn over_seeds(config: &str, params: &ClusterParams, seeds: usize, corpus: &Corpus<'_>) {
    let mut by_k: std::collections::BTreeMap<usize, Vec<f64>> = Default::default();
    for seed in 1..=seeds as u64 {
        let checked = ClusterParams {
            seed,
            ..params.clone()
        }
        .check()
        .expect("valid parameters");
        for s in checked.fit(corpus, None).expect("topics").scores {
            by_k.entry(s.k).or_default().push(s.npmi);
        }
    }
    let stats: Vec<(usize, f64, f64)> = by_k
        .iter()
        .map(|(&k, v)| {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
            (k, mean, (var / n).sqrt())
        })
        .collect();
    println!("{config}: mean NPMI over seeds 1 to {seeds} (± standard error):");
    for &(k, mean, se) in &stats {
        println!("  k {k:>3}: {mean:.4} ± {se:.4}");
    }
    let best = stats.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some(&(_, mean, se)) = best {
        let within = stats.iter().find(|s| s.1 >= mean - se).map_or(0, |s| s.0);
        println!("  the smallest k within one standard error of the best: {within}");
    }
}

fn summary(c: &Clustering) -> (f64, f64) {
    let live = c.assignments.iter().flatten().count().max(1);
    let largest = c.topics.iter().map(|t| t.size).max().unwrap_or(0);
    let mean = c.topics.iter().map(|t| t.npmi).sum::<f64>() / c.topics.len().max(1) as f64;
    (mean, f64::from(largest) / live as f64 * 100.0)
}

fn main() {
    let root = std::env::var("WEEKLENS_ARCHIVE").expect("set WEEKLENS_ARCHIVE to the archive");
    let archive = Archive::open(std::path::Path::new(&root)).expect("archive opens");
    let entries = weeklens::ingest::ingest(&archive).tables.entries;
    let tokenizer = Tokenizer::shared();
    let documents = vectorize::entry_documents(tokenizer, &entries);
    let full = Vectorised::new(&entries, &documents);
    // Entries are in issue order: the older archive is a prefix.
    let last = entries.iter().map(|e| e.issue).max().expect("entries");
    let older_len = entries.iter().take_while(|e| e.issue != last).count();
    let older = Vectorised::new(&entries[..older_len], &documents[..older_len]);
    for config in std::env::args().skip(1) {
        let (params, stable, seeds) = parse(&config);
        if seeds > 0 {
            over_seeds(&config, &params, seeds, &full.corpus());
            continue;
        }
        let checked = params.check().expect("valid parameters");
        let started = Instant::now();
        let c = checked.fit(&full.corpus(), None).expect("topics");
        let seconds = started.elapsed().as_secs_f64();
        let (npmi, largest) = summary(&c);
        let ks: Vec<String> = c
            .scores
            .iter()
            .map(|s| {
                format!(
                    "{}:{}:{:.3}:{:.1}",
                    s.k,
                    s.topics,
                    s.npmi,
                    s.largest_share * 100.0
                )
            })
            .collect();
        println!(
            "{config}: {} topics, mean NPMI {npmi:.3}, largest {largest:.1}%, silhouette {:.3}, fit {seconds:.1} s; k tried {}",
            c.topics.len(),
            c.silhouette,
            ks.join(" ")
        );
        if stable {
            let before = checked.fit(&older.corpus(), None).expect("older topics");
            let mut assignments = before.assignments.clone();
            assignments.resize(entries.len(), None);
            let topics: Vec<PreviousTopic> = before
                .topics
                .iter()
                .map(|t| PreviousTopic {
                    size: t.size,
                    central: t.central.iter().copied().map(Some).collect(),
                })
                .collect();
            let previous = Previous {
                assignments: &assignments,
                topics: &topics,
                scores: &before.scores,
            };
            let after = checked.fit(&full.corpus(), Some(&previous)).expect("topics");
            let had = before.assignments.iter().flatten().count();
            let kept = before
                .assignments
                .iter()
                .zip(&after.assignments)
                .filter(|(b, a)| b.is_some() && b == a)
                .count();
            let (npmi, largest) = summary(&after);
            println!(
                "  stability: {kept} of {had} older entries kept their topic ({:.1}%); {} topics before, {} after (mean NPMI {npmi:.3}, largest {largest:.1}%)",
                kept as f64 / had as f64 * 100.0,
                before.topics.len(),
                after.topics.len()
            );
        }
    }
}
