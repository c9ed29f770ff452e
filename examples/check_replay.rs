//! Replays `check` over a whole store (issue 17): each issue's entries are checked as a draft
//! against the entries of the issues before it (the store built once, `check`'s issue limit
//! doing the rest), with the English of each entry as a draft's `en/` translation gives it
//! (`--zh-only` leaves it out). Every match is printed, one tab-separated line each:
//!
//! `draft-id  earlier-id  verdict  reasons  draft-title  earlier-title  earlier-url`
//!
//! With `--judged FILE` (lines `draft-id earlier-id judgement part`, judgement `repeat`,
//! `covered` or `false`, part `dev` or `held-out`, `#` comments), the matches are scored against
//! the hand-judged pairs instead, per part (the file's own, `all`, and a second split holding out
//! the draft issues ≡ 0 mod 3): repeats caught (verdict "already shared"), covered
//! pairs shown (any verdict), false pairs raised (as "already shared") and shown at all.
//!
//! ```sh
//! cargo build --release --example check_replay
//! $CARGO_TARGET_DIR/release/examples/check_replay --store DIR [--zh-only] [--judged tests/devset/check-judged.tsv]
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Context;
use weeklens::check::Probe;
use weeklens::check::{self, Archive, Identities, Translated, Verdict};
use weeklens::corpus::Corpus;
use weeklens::model::{Entry, EntryId};
use weeklens::store::Store;
use weeklens::tokenize::Tokenizer;
use weeklens::topics::TopicEdits;

fn id(e: EntryId) -> String {
    format!("{}:{}:{}", e.issue, e.category, e.position)
}

fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

fn main() -> anyhow::Result<()> {
    let mut store: Option<PathBuf> = None;
    let mut judged: Option<PathBuf> = None;
    let mut zh_only = false;
    // `--en-draft`: each issue's translation is the draft (its entries with an English title);
    // `--en-draft-as-zh`: the same, checked as a Chinese draft is (what `check en/…` did before).
    let mut en_draft = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = Some(args.next().context("--store needs a directory")?.into()),
            "--judged" => judged = Some(args.next().context("--judged needs a file")?.into()),
            "--zh-only" => zh_only = true,
            "--en-draft" => en_draft = Some(true),
            "--en-draft-as-zh" => en_draft = Some(false),
            other => anyhow::bail!(
                "unknown argument `{other}` (--store DIR, --zh-only | --en-draft | --en-draft-as-zh, --judged FILE)"
            ),
        }
    }
    let store = Store::open(&store.context("--store DIR is required")?)?;
    let corpus = Corpus::open(store, TopicEdits::default());
    let loaded = corpus.ranking()?;
    let identities = Identities::of(loaded.entries);
    let archive = Archive::of_loaded(&loaded, &identities);
    let mut issues = loaded.issues.to_vec();
    issues.sort_by_key(|i| i.number);
    // (draft, earlier) → verdict
    let mut found: BTreeMap<(String, String), Verdict> = BTreeMap::new();
    let mut lines = Vec::new();
    for issue in &issues {
        let entries: Vec<&Entry> = loaded
            .entries
            .iter()
            .filter(|e| e.issue == issue.number)
            .collect();
        let drafts: Vec<Probe> = match en_draft {
            None => entries.iter().map(|&e| Probe::from(e)).collect(),
            Some(_) => entries
                .iter()
                .filter_map(|&e| {
                    Some(Probe {
                        title: e.en_title.as_deref()?,
                        description: e.en_description.as_deref().unwrap_or(""),
                        ..Probe::from(e)
                    })
                })
                .collect(),
        };
        let english: Vec<Option<Translated>> = entries
            .iter()
            .map(|e| {
                let title = e.en_title.clone().filter(|_| !zh_only)?;
                Some(Translated {
                    title,
                    description: e.en_description.clone().unwrap_or_default(),
                })
            })
            .collect();
        let language = match en_draft {
            None => check::Language::Chinese(&english),
            Some(true) => check::Language::English,
            Some(false) => check::Language::Chinese(&[]),
        };
        let results = check::check_translated(
            &drafts,
            language,
            issue.date,
            Some(issue.number),
            &archive,
            Tokenizer::shared(),
        );
        for r in results {
            let draft = id(EntryId {
                issue: issue.number,
                category: r.category,
                position: r.position,
            });
            for h in r.hits.iter().chain(&r.covered) {
                let earlier = id(EntryId {
                    issue: h.issue,
                    category: h.category,
                    position: h.position,
                });
                let why: Vec<String> = h.reasons.iter().map(ToString::to_string).collect();
                lines.push(format!(
                    "{draft}\t{earlier}\t{}\t{}\t{}\t{}\t{}",
                    h.verdict,
                    clean(&why.join("; ")),
                    clean(&r.title),
                    clean(&h.title),
                    h.url.as_deref().unwrap_or("-")
                ));
                found.insert((draft.clone(), earlier), h.verdict);
            }
            for d in &r.in_draft {
                let why: Vec<String> = d.reasons.iter().map(ToString::to_string).collect();
                lines.push(format!(
                    "{draft}\t{}:{}:{}\tin draft\t{}\t{}\t{}\t-",
                    issue.number,
                    d.category,
                    d.position,
                    clean(&why.join("; ")),
                    clean(&r.title),
                    clean(&d.title)
                ));
            }
        }
    }
    let Some(judged) = judged else {
        for line in lines {
            println!("{line}");
        }
        return Ok(());
    };
    let text = std::fs::read_to_string(&judged).with_context(|| format!("reading {}", judged.display()))?;
    // part → judgement → (pairs, raised as already shared, shown at all)
    let mut score: BTreeMap<String, BTreeMap<String, (usize, usize, usize)>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [draft, earlier, judgement, part] = cols[..] else {
            anyhow::bail!("{}:{}: expected 4 tab-separated columns", judged.display(), n + 1);
        };
        for e in [draft, earlier] {
            e.parse::<EntryId>()
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("{}:{}", judged.display(), n + 1))?;
        }
        if !seen.insert((draft.to_string(), earlier.to_string())) {
            anyhow::bail!("{}:{}: pair judged twice", judged.display(), n + 1);
        }
        let verdict = found.get(&(draft.to_string(), earlier.to_string()));
        // The file's own part, the whole set, and a second split: issues ≡ 0 (mod 3) held out.
        let issue: u32 = draft.parse::<EntryId>().map_err(anyhow::Error::msg)?.issue;
        let mod3 = if issue.is_multiple_of(3) {
            "mod3 held-out"
        } else {
            "mod3 dev"
        };
        for part in [part, "all", mod3] {
            let slot = score
                .entry(part.to_string())
                .or_default()
                .entry(judgement.to_string())
                .or_default();
            slot.0 += 1;
            slot.1 += usize::from(verdict == Some(&Verdict::AlreadyShared));
            slot.2 += usize::from(verdict.is_some());
        }
    }
    println!("| part | judged | pairs | raised as already shared | shown (any verdict) |");
    println!("|---|---|---:|---:|---:|");
    for (part, judgements) in &score {
        for (judgement, (pairs, raised, shown)) in judgements {
            println!("| {part} | {judgement} | {pairs} | {raised} | {shown} |");
        }
    }
    let flagged: BTreeMap<Verdict, usize> = found.values().fold(BTreeMap::new(), |mut m, v| {
        *m.entry(*v).or_default() += 1;
        m
    });
    println!();
    for (verdict, n) in flagged {
        println!("{verdict}: {n} pairs in the whole replay");
    }
    Ok(())
}
