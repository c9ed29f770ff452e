//! Scores the stories of `trends` against the development set `tests/devset/stories.tsv`
//! (issue 21), for the default parameters and, with `--grid`, over a grid of them: for each
//! window of the set, how many of its stories `trends` finds (more than half of a story's
//! entries in one story of `trends`) and how many of the stories of `trends` match one of the
//! set (more than half of their entries in one story of the set: a lower bound of the stories
//! we would name, the rest are read by hand, QUALITY.md "Stories").
//!
//! ```sh
//! cargo build --release --example stories_eval
//! target/release/examples/stories_eval STORE [dev|held-out|all] [--grid]
//! ```

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use weeklens::corpus::Corpus;
use weeklens::store::Store;
use weeklens::stories::StoryParams;
use weeklens::topics::TopicEdits;
use weeklens::trends::{self, TermText, TrendsParams, Window};

/// A story of the set: its name and its entries' ids.
type NamedStory = (String, BTreeSet<String>);

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let store = args
        .first()
        .context("usage: stories_eval STORE [dev|held-out|all] [--grid]")?;
    let part = args.get(1).map_or("dev", String::as_str);
    let grid = args.iter().any(|a| a == "--grid");
    let set = std::fs::read_to_string("tests/devset/stories.tsv").context("tests/devset/stories.tsv")?;
    let mut windows: BTreeMap<(u32, u32), Vec<NamedStory>> = BTreeMap::new();
    for line in set
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let [window, p, name, entries] = f[..] else {
            anyhow::bail!("bad line: {line}");
        };
        if part != "all" && p != part {
            continue;
        }
        let (a, b) = window.split_once('-').context("window A-B")?;
        windows
            .entry((a.parse()?, b.parse()?))
            .or_default()
            .push((name.to_string(), entries.split(',').map(str::to_string).collect()));
    }
    let corpus = Corpus::open(Store::open(store.as_ref())?, TopicEdits::default());
    let view = trends::Corpus::of(&corpus, TermText::Titles)?;
    let base = TrendsParams::default();
    let mut settings = vec![base];
    if grid {
        settings.clear();
        for merge_at in [0.12f32, 0.15, 0.18, 0.22] {
            for min_lift in [1.0, 1.2, 1.5, 2.0] {
                let mut p = base;
                p.stories.merge_at = merge_at;
                p.stories.min_lift = min_lift;
                settings.push(p);
            }
        }
        // One at a time around the default: the window's theme share, the archive's generic
        // share (1.0: no such words), the weight of theme terms in a tied pair, the lift a
        // one-word story needs (1.2: as any story), the topics' concentration a word and its
        // translation need (99: never), the closeness of a re-share's follow-up (9: never).
        type Set = fn(&mut StoryParams, f64);
        let around: [(Set, &[f64]); 6] = [
            (|p, v| p.theme_share = v, &[0.06, 0.15, 0.2, 1.0]),
            (|p, v| p.generic_share = v, &[0.04, 0.05, 0.1, 1.0]),
            (|p, v| p.theme_weight = v as f32, &[0.0, 0.25, 1.0]),
            (|p, v| p.one_word_lift = v, &[1.2, 1.5, 3.0]),
            (|p, v| p.subject_at = v, &[0.8, 1.0, 1.5, 99.0]),
            (|p, v| p.follow_up_at = v as f32, &[0.3, 0.5, 9.0]),
        ];
        for (set, values) in around {
            for &v in values {
                let mut p = base;
                set(&mut p.stories, v);
                settings.push(p);
            }
        }
    }
    for params in settings {
        let (mut found, mut dev_n, mut matched, mut stories_n) = (0, 0, 0, 0);
        for (&(from, to), dev) in &windows {
            let p = TrendsParams {
                window: Window::Issues { from, to },
                ..params
            }
            .check()?;
            let t = trends::compute(&view, &p)?;
            let stories: Vec<BTreeSet<String>> = t
                .stories
                .iter()
                .map(|s| s.entries.iter().map(ToString::to_string).collect())
                .collect();
            for (name, entries) in dev {
                let best = stories
                    .iter()
                    .map(|s| s.intersection(entries).count())
                    .max()
                    .unwrap_or(0);
                let ok = best * 2 > entries.len();
                found += usize::from(ok);
                if !grid {
                    println!(
                        "  {} {from}-{to} {name} ({best}/{})",
                        if ok { "+" } else { "-" },
                        entries.len()
                    );
                }
            }
            for (s, story) in stories.iter().zip(&t.stories) {
                let best = dev
                    .iter()
                    .map(|(_, e)| s.intersection(e).count())
                    .max()
                    .unwrap_or(0);
                let ok = best * 2 > s.len();
                matched += usize::from(ok);
                if !grid {
                    println!(
                        "  {} {from}-{to} story: {} / {} ({best}/{}, lift {:.1})",
                        if ok { "=" } else { "?" },
                        story.name_zh,
                        story.name,
                        s.len(),
                        story.lift
                    );
                }
            }
            dev_n += dev.len();
            stories_n += stories.len();
        }
        println!(
            "merge_at {:.2} min_lift {:.1} theme_share {:.2} generic_share {:.2} theme_weight {:.2} \
             one_word_lift {:.1} subject_at {:.1} follow_up_at {:.1}: \
             found {found}/{dev_n} stories of the set; {matched}/{stories_n} stories match one",
            params.stories.merge_at,
            params.stories.min_lift,
            params.stories.theme_share,
            params.stories.generic_share,
            params.stories.theme_weight,
            params.stories.one_word_lift,
            params.stories.subject_at,
            params.stories.follow_up_at
        );
    }
    Ok(())
}
