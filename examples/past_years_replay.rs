//! Replays `past-years --related` (issue 17) on issues of a store: each issue's entries are the
//! draft, dated as the issue, and the section is drafted from the store (related entries are at
//! least `--min-age-weeks` older than the draft, so the issue itself and later ones never come
//! back). One tab-separated line per suggestion:
//!
//! `issue  earlier-id  score  shared-terms  earlier-title  draft-entry-title`
//!
//! `--lang en` drafts the English section (the same entries as the Chinese one since session 18,
//! shown by their translations' titles).
//!
//! With `--judged FILE` (lines `issue earlier-id judgement part`, judgement `relevant`, `weak` or
//! `wrong`, part `dev` or `held-out`, `#` comments), each suggestion is scored instead, per part;
//! a suggestion not in the file is counted as "unjudged".
//!
//! ```sh
//! cargo build --release --example past_years_replay
//! $CARGO_TARGET_DIR/release/examples/past_years_replay --store DIR --issues 30,45,60 [-k 5] [--lang zh|en] [--judged tests/devset/past-years-judged.tsv]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use weeklens::check::Probe;
use weeklens::corpus::Corpus;
use weeklens::model::Entry;
use weeklens::past_years::PastYearsParams;
use weeklens::related::Ranking;
use weeklens::store::Store;
use weeklens::topics::TopicEdits;

fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// Each shared term of a suggestion with its share of the score and its document frequency.
fn explain(loaded: &Ranking<'_>, draft_title: &str, draft: &[Probe], id: &str) -> String {
    let tokenizer = weeklens::tokenize::Tokenizer::shared();
    let Some(d) = draft.iter().find(|d| d.title == draft_title) else {
        return String::new();
    };
    let Some(row) = loaded
        .entries
        .iter()
        .position(|e| format!("{}:{}:{}", e.issue, e.category, e.position) == id)
    else {
        return String::new();
    };
    let mut terms = Vec::new();
    tokenizer.plain_terms_into(d.title, &mut terms);
    tokenizer.plain_terms_into(d.description, &mut terms);
    let title = weeklens::related::title_row(tokenizer, loaded.vocabulary, [d.title]);
    let v = weeklens::related::related_row(loaded.vocabulary, &loaded.vocabulary.transform(&terms), &title);
    let other = &loaded.related_rows[row];
    let mut parts = Vec::new();
    let mut total = 0.0f32;
    for (i, t) in v.indices.iter().enumerate() {
        if let Some(j) = other.indices.iter().position(|x| x == t) {
            let c = v.values[i] * other.values[j];
            total += c;
            parts.push((*t, c));
        }
    }
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    parts
        .iter()
        .map(|(t, c)| {
            format!(
                "{}:{:.2}:{}",
                loaded.vocabulary.shown()[*t as usize],
                c / total.max(1e-9),
                loaded.vocabulary.df()[*t as usize]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> anyhow::Result<()> {
    let mut store: Option<PathBuf> = None;
    let mut judged: Option<PathBuf> = None;
    let mut issues: Vec<u32> = Vec::new();
    let mut k = 5usize;
    let mut lang = weeklens::model::Lang::Zh;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = Some(args.next().context("--store needs a directory")?.into()),
            "--judged" => judged = Some(args.next().context("--judged needs a file")?.into()),
            "--issues" => {
                for n in args.next().context("--issues needs numbers")?.split(',') {
                    issues.push(n.trim().parse().with_context(|| format!("--issues: `{n}`"))?);
                }
            }
            "-k" => k = args.next().context("-k needs a number")?.parse()?,
            "--lang" => {
                lang = match args.next().as_deref() {
                    Some("zh") => weeklens::model::Lang::Zh,
                    Some("en") => weeklens::model::Lang::En,
                    _ => anyhow::bail!("--lang needs zh or en"),
                }
            }
            other => {
                anyhow::bail!("unknown argument `{other}` (--store DIR, --issues N,N, -k K, --lang zh|en, --judged FILE)")
            }
        }
    }
    let store = Store::open(&store.context("--store DIR is required")?)?;
    let corpus = Corpus::open(store, TopicEdits::default());
    let loaded = corpus.ranking()?;
    let params = PastYearsParams {
        related: true,
        entries: k,
        lang,
        ..PastYearsParams::default()
    }
    .check()
    .map_err(anyhow::Error::msg)?;
    // (issue, earlier id) → the line
    let mut found: BTreeMap<(u32, String), String> = BTreeMap::new();
    for &n in &issues {
        let issue = loaded
            .issues
            .iter()
            .find(|i| i.number == n)
            .with_context(|| format!("no issue #{n} in the store"))?;
        let entries: Vec<&Entry> = loaded.entries.iter().filter(|e| e.issue == n).collect();
        let draft: Vec<Probe> = entries.iter().map(|&e| Probe::from(e)).collect();
        let section = params.draft(n, &draft, issue.date, &loaded);
        for e in &section.entries {
            let id = format!("{}:{}:{}", e.issue, e.category, e.position);
            let line = format!(
                "{n}\t{id}\t{:.2}\t{}\t{}\t{}\t{}",
                e.score,
                e.shared.join(","),
                clean(&e.title),
                clean(&e.draft_title),
                explain(&loaded, &e.draft_title, &draft, &id)
            );
            found.insert((n, id), line);
        }
    }
    let Some(judged) = judged else {
        for line in found.values() {
            println!("{line}");
        }
        return Ok(());
    };
    let text = std::fs::read_to_string(&judged).with_context(|| format!("reading {}", judged.display()))?;
    let mut judgement: BTreeMap<(u32, String), (String, String)> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [issue, earlier, verdict, part] = cols[..] else {
            anyhow::bail!("{}:{}: expected 4 tab-separated columns", judged.display(), i + 1);
        };
        let issue: u32 = issue
            .parse()
            .with_context(|| format!("{}:{}: issue `{issue}`", judged.display(), i + 1))?;
        judgement.insert(
            (issue, earlier.to_string()),
            (verdict.to_string(), part.to_string()),
        );
    }
    // part → verdict → count
    let mut score: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (key, line) in &found {
        let (verdict, part) = match judgement.get(key) {
            Some((v, p)) => (v.clone(), p.clone()),
            None => {
                eprintln!("unjudged: {line}");
                ("unjudged".to_string(), "?".to_string())
            }
        };
        for part in [part.as_str(), "all"] {
            *score
                .entry(part.to_string())
                .or_default()
                .entry(verdict.clone())
                .or_default() += 1;
        }
    }
    println!("| part | suggestions | relevant | weak | wrong | unjudged |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (part, verdicts) in &score {
        let get = |v: &str| verdicts.get(v).copied().unwrap_or(0);
        let total: usize = verdicts.values().sum();
        println!(
            "| {part} | {total} | {} | {} | {} | {} |",
            get("relevant"),
            get("weak"),
            get("wrong"),
            get("unjudged")
        );
    }
    Ok(())
}
