//! What the editor sees of the topics: each topic's id, size, name, label in both languages and
//! most central entries, with the editor's own names and merges applied; and the measurements
//! behind them (`topics --stats`).
//!
//! The editor's word lives in a small TOML file, `weeklens-topics.toml` in the working directory
//! by default:
//!
//! ```toml
//! [names]
//! 3 = "打包与发布 / Packaging"
//!
//! [[merge]]
//! into = 3
//! from = [7]
//! ```
//!
//! Topic ids carry over from build to build, so names and merges survive rebuilds — not a build
//! that numbers the topics afresh (`--fresh-topics`, another `--k`, a store that was damaged or
//! of another version): `build` then warns, naming the file and the ids it names. A file named
//! with `--edits` (or `WEEKLENS_TOPICS`) must exist; a name or merge for a topic the store does
//! not hold, and merges that chain or go in a circle, are errors naming the topic and the file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cluster::DEFAULT_K;
use crate::error::{Error, Result};
use crate::model::{Entry, Lang, TopicSummary};
use crate::parse::markdown::has_cjk;
use crate::store::TopicQuality;
use crate::wording;

/// The file the editor's topic edits are read from when none is named.
pub const DEFAULT_EDITS: &str = "weeklens-topics.toml";

/// The editor's names and merges.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicEdits {
    #[serde(default)]
    names: BTreeMap<String, String>,
    #[serde(default)]
    merge: Vec<Merge>,
    /// The file they were read from, for the messages about them.
    #[serde(skip)]
    path: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Merge {
    into: u32,
    from: Vec<u32>,
}

impl TopicEdits {
    /// Reads the file at `path`, named by the editor (`--edits`, `WEEKLENS_TOPICS`): a missing
    /// file is an error, since the names and merges he meant would be left out unsaid.
    pub fn load(path: &Path) -> Result<TopicEdits> {
        match crate::bounded::read_to_string(path, crate::bounded::TEXT) {
            Ok(text) => TopicEdits::parse(path, &text),
            Err(source) => Err(Error::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Reads [`DEFAULT_EDITS`] in the working directory when it is there; no edits when not.
    pub fn load_default() -> Result<TopicEdits> {
        TopicEdits::load_if_present(Path::new(DEFAULT_EDITS))
    }

    /// Reads the file at `path` when it is there; no edits when not.
    pub fn load_if_present(path: &Path) -> Result<TopicEdits> {
        match crate::bounded::read_to_string(path, crate::bounded::TEXT) {
            Ok(text) => TopicEdits::parse(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TopicEdits::default()),
            Err(source) => Err(Error::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// The edits `text` (read from `path`) holds, checked on their own: every `[names]` key a
    /// topic id, and merges that neither chain nor go in a circle (a topic merged away is no
    /// merge's target, and is merged into one topic only, not itself).
    fn parse(path: &Path, text: &str) -> Result<TopicEdits> {
        let fault = |message: String| Error::TopicEdits {
            path: path.to_path_buf(),
            message,
        };
        let mut edits: TopicEdits = toml::from_str(text).map_err(|e| fault(e.to_string()))?;
        edits.path = path.to_path_buf();
        if let Some(bad) = edits.names.keys().find(|k| k.parse::<u32>().is_err()) {
            return Err(fault(format!("[names] key `{bad}` is not a topic id")));
        }
        let mut merged_into: BTreeMap<u32, u32> = BTreeMap::new();
        for m in &edits.merge {
            for &from in &m.from {
                if from == m.into {
                    return Err(fault(format!(
                        "[[merge]] into = {0} lists {0} in its `from`: a topic cannot be merged into itself",
                        m.into
                    )));
                }
                if let Some(other) = merged_into.insert(from, m.into) {
                    return Err(fault(if other == m.into {
                        format!("[[merge]] into = {other} lists topic {from} twice in its `from`")
                    } else {
                        format!(
                            "topic {from} is merged into both {other} and {}: merge it into one",
                            m.into
                        )
                    }));
                }
            }
        }
        for m in &edits.merge {
            if let Some(next) = merged_into.get(&m.into) {
                return Err(fault(format!(
                    "topic {0} takes a merge ([[merge]] into = {0}) and is merged into {next} itself: \
                     merges cannot chain or go in a circle; merge each topic into the one it ends in",
                    m.into
                )));
            }
        }
        Ok(edits)
    }

    /// The file the edits were read from (empty for no edits).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every topic id the edits name or merge, in order.
    pub fn ids(&self) -> BTreeSet<u32> {
        let named = self.names.keys().filter_map(|k| k.parse::<u32>().ok());
        let merged = self
            .merge
            .iter()
            .flat_map(|m| std::iter::once(m.into).chain(m.from.iter().copied()));
        named.chain(merged).collect()
    }

    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.merge.is_empty()
    }

    /// Checks the edits against the topics of a store, `ids`: a name or merge for a topic the
    /// store does not hold (a typo, or a topic a rebuild no longer has) is an error naming it
    /// and the file, not an edit silently left out.
    pub fn check(&self, ids: &BTreeSet<u32>) -> Result<()> {
        let named = self.names.keys().filter_map(|k| k.parse::<u32>().ok());
        let merged = self
            .merge
            .iter()
            .flat_map(|m| std::iter::once(m.into).chain(m.from.iter().copied()));
        for id in named.chain(merged) {
            if !ids.contains(&id) {
                let known = match ids.len() {
                    0 => "it holds no topics".to_string(),
                    1..=40 => format!(
                        "its topics: {}",
                        ids.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    ),
                    _ => format!(
                        "its topics: {} to {}",
                        ids.first().unwrap_or(&0),
                        ids.last().unwrap_or(&0)
                    ),
                };
                return Err(Error::TopicEdits {
                    path: self.path.clone(),
                    message: format!(
                        "topic {id} is named or merged, but the store holds no topic {id} ({known}); \
                         remove it or give the id `weeklens topics` shows"
                    ),
                });
            }
        }
        Ok(())
    }

    /// The topic an entry of `topic` is shown under.
    pub fn target(&self, topic: u32) -> u32 {
        self.merge
            .iter()
            .find(|m| m.from.contains(&topic))
            .map_or(topic, |m| m.into)
    }

    pub fn name(&self, topic: u32) -> Option<&str> {
        self.names.get(&topic.to_string()).map(String::as_str)
    }

    /// Each entry's topic after the merges.
    pub fn apply(&self, assignments: &[Option<u32>]) -> Vec<Option<u32>> {
        assignments.iter().map(|t| t.map(|t| self.target(t))).collect()
    }
}

/// A topic as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicView {
    pub id: u32,
    pub size: u32,
    pub name: Option<String>,
    /// The most distinctive terms in Chinese and in English.
    pub label_zh: Vec<String>,
    pub label_en: Vec<String>,
    /// Ids merged into this one by the editor.
    pub merged: Vec<u32>,
    /// Its terms in the order its entries' titles write them ([`TopicSummary::written`]): how a
    /// label orders the words it shows.
    #[serde(skip)]
    pub written: Vec<String>,
    pub central: Vec<CentralEntry>,
    pub npmi: f64,
}

impl TopicView {
    /// Its first `n` Chinese and first `n` English terms, "中文 / English", a side left out when
    /// it has none.
    pub fn words(&self, n: usize) -> String {
        match (
            self.first_terms(&self.label_zh, n),
            self.first_terms(&self.label_en, n),
        ) {
            (zh, en) if zh.is_empty() => en,
            (zh, en) if en.is_empty() => zh,
            (zh, en) => format!("{zh} / {en}"),
        }
    }

    /// The topic's name as a person reads it, wherever it is shown (`trends`, the reports,
    /// `serve`): the editor's name; else its first `n` terms in `lang` (the other language's
    /// where `lang` has none), or in both ("中文 / English") without a `lang`; else "topic N".
    pub fn label(&self, lang: Option<Lang>, n: usize) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let words = match lang {
            None => self.words(n),
            Some(lang) => {
                let (first, second) = match lang {
                    Lang::Zh => (&self.label_zh, &self.label_en),
                    Lang::En => (&self.label_en, &self.label_zh),
                };
                Some(self.first_terms(first, n))
                    .filter(|w| !w.is_empty())
                    .unwrap_or_else(|| self.first_terms(second, n))
            }
        };
        if words.is_empty() {
            format!("topic {}", self.id)
        } else {
            words
        }
    }

    /// The first `n` of `terms` (its label's, best first), spaced, in the order the topic's
    /// titles write them (a term the order lacks after the others, by rank).
    fn first_terms(&self, terms: &[String], n: usize) -> String {
        let mut shown: Vec<&String> = terms.iter().take(n).collect();
        shown.sort_by_key(|t| self.written.iter().position(|w| w == *t).unwrap_or(usize::MAX));
        shown.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CentralEntry {
    pub entry: String,
    pub title: String,
}

/// Terms in a label, each language.
const LABEL_TERMS: usize = 4;

/// The topics with the editor's edits applied, largest first (ties by id).
pub fn views(topics: &[TopicSummary], entries: &[Entry], edits: &TopicEdits) -> Vec<TopicView> {
    // The central entries alone (a million entries at scale), found in one pass.
    let by_id = crate::model::entries_by_id(entries, topics.iter().flat_map(|t| t.central.iter().copied()));
    let mut views: BTreeMap<u32, TopicView> = BTreeMap::new();
    for topic in topics {
        let target = edits.target(topic.id);
        let view = views.entry(target).or_insert_with(|| TopicView {
            id: target,
            size: 0,
            name: edits.name(target).map(str::to_string),
            label_zh: Vec::new(),
            label_en: Vec::new(),
            merged: Vec::new(),
            written: Vec::new(),
            central: Vec::new(),
            npmi: 0.0,
        });
        view.size += topic.size;
        if target != topic.id {
            view.merged.push(topic.id);
        }
        // The topic that keeps its id gives the label and central entries.
        if target == topic.id || view.central.is_empty() {
            let (zh, en): (Vec<&String>, Vec<&String>) = topic.terms.iter().partition(|t| has_cjk(t));
            view.label_zh = wording::distinct(zh, LABEL_TERMS);
            view.label_en = wording::distinct(en, LABEL_TERMS);
            view.written = topic.written.clone();
            view.npmi = topic.npmi;
            view.central = topic
                .central
                .iter()
                .map(|id| CentralEntry {
                    entry: id.to_string(),
                    title: by_id.get(id).map(|e| e.title.clone()).unwrap_or_default(),
                })
                .collect();
        }
    }
    let mut out: Vec<TopicView> = views.into_values().collect();
    out.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    out
}

/// The topics as terminal text (labels, the editor's names and titles stripped of control
/// characters), then how many of the `live` entries they hold: an entry with no word the topics
/// are found by has none.
pub fn render_table(views: &[TopicView], live: u32) -> String {
    use crate::escape::terminal;
    let mut out = String::new();
    for v in views {
        let label = terminal(&v.words(LABEL_TERMS));
        let name = v
            .name
            .as_deref()
            .map(|n| format!(" 「{}」", terminal(n)))
            .unwrap_or_default();
        let merged = if v.merged.is_empty() {
            String::new()
        } else {
            format!(" (merged: {:?})", v.merged)
        };
        let _ = writeln!(
            out,
            "topic {:>2}  {:>4} entries{name}{merged}  {label}",
            v.id, v.size
        );
        for c in &v.central {
            let _ = writeln!(out, "    {:<18} {}", c.entry, terminal(&c.title));
        }
    }
    let held: u32 = views.iter().map(|v| v.size).sum();
    let _ = write!(out, "\n{held} of the {live} entries in {} topics", views.len());
    let _ = match live.saturating_sub(held) {
        0 => writeln!(out),
        1 => writeln!(out, "; 1 holds no word the topics are found by"),
        n => writeln!(out, "; {n} hold no word the topics are found by"),
    };
    out
}

/// `topics --stats`: per topic its coherence and size, then the clustering's measurements.
pub fn render_stats(views: &[TopicView], quality: Option<&TopicQuality>, entries: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:>5}  {:>6}  {:>7}",
        "topic", "size", "share", "npmi@10"
    );
    for v in views {
        let _ = writeln!(
            out,
            "{:>5}  {:>5}  {:>5.1}%  {:>7.3}",
            v.id,
            v.size,
            f64::from(v.size) / f64::from(entries.max(1)) * 100.0,
            v.npmi
        );
    }
    let mean = views.iter().map(|v| v.npmi).sum::<f64>() / views.len().max(1) as f64;
    let mut sizes: Vec<u32> = views.iter().map(|v| v.size).collect();
    sizes.sort_unstable();
    let _ = writeln!(
        out,
        "\n{} topics; mean NPMI {:.3}; sizes min {} / median {} / max {} ({:.1}% of {} entries)",
        views.len(),
        mean,
        sizes.first().unwrap_or(&0),
        sizes.get(sizes.len() / 2).unwrap_or(&0),
        sizes.last().unwrap_or(&0),
        f64::from(*sizes.last().unwrap_or(&0)) / f64::from(entries.max(1)) * 100.0,
        entries
    );
    if let Some(q) = quality {
        let _ = writeln!(out, "cosine silhouette {:.3}", q.silhouette);
        let chosen = if q.scores.len() == 1 {
            format!("k as the build asked for it (by default {DEFAULT_K}: `build --k N` asks for another)")
        } else {
            "k chosen by mean NPMI among the ks whose largest topic holds at most 10%".to_owned()
        };
        let _ = writeln!(
            out,
            "\n{chosen}.\n\
             A topic above 10% is split in two; the silhouette here is the simplified one, each entry\n\
             against the centroids:"
        );
        let _ = writeln!(
            out,
            "{:>4}  {:>6}  {:>7}  {:>10}  {:>13}",
            "k", "topics", "npmi", "silhouette", "largest share"
        );
        for s in &q.scores {
            let _ = writeln!(
                out,
                "{:>4}  {:>6}  {:>7.3}  {:>10.3}  {:>12.1}%",
                s.k,
                s.topics,
                s.npmi,
                s.silhouette,
                s.largest_share * 100.0
            );
        }
    }
    out
}

/// Everything `topics --format json` prints.
#[derive(Debug, Serialize)]
pub struct TopicsJson<'a> {
    pub topics: &'a [TopicView],
    pub quality: Option<&'a TopicQuality>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_never_says_a_word_twice() {
        let terms: Vec<String> = ["open", "source", "open-source", "AI", "ai", "agent", "LLM"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            wording::distinct(&terms, 4),
            ["open-source", "AI", "agent", "LLM"]
        );
        let terms: Vec<String> = ["open-source", "open", "Claude", "Claude Code", "GIL", "gil-free"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            wording::distinct(&terms, 4),
            ["open-source", "Claude Code", "gil-free"]
        );
        let terms: Vec<String> = ["编程语言", "语言", "模型", "大模型"].map(String::from).to_vec();
        assert_eq!(wording::distinct(&terms, 4), ["编程语言", "大模型"]);
    }

    #[test]
    fn merges_send_entries_to_the_kept_topic() {
        let edits: TopicEdits =
            toml::from_str("[names]\n3 = \"打包\"\n[[merge]]\ninto = 3\nfrom = [7, 9]\n").expect("toml");
        assert_eq!(
            edits.apply(&[Some(7), Some(1), None, Some(9)]),
            vec![Some(3), Some(1), None, Some(3)]
        );
        assert_eq!(edits.name(3), Some("打包"));
        assert_eq!(edits.name(7), None);
    }

    #[test]
    fn a_bad_file_names_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("weeklens-topics.toml");
        std::fs::write(&path, "[names]\nthree = \"x\"\n").expect("write");
        let err = TopicEdits::load(&path).expect_err("bad key");
        assert!(err.to_string().contains("weeklens-topics.toml"), "{err}");
        // A file the editor named that is not there is an error naming it.
        let err = TopicEdits::load(&dir.path().join("none.toml")).expect_err("missing");
        assert!(err.to_string().contains("none.toml"), "{err}");
    }

    #[test]
    fn merges_that_chain_or_circle_are_refused() {
        let parse = |text: &str| TopicEdits::parse(Path::new("edits.toml"), text).map_err(|e| e.to_string());
        let circle = parse("[[merge]]\ninto = 3\nfrom = [4]\n[[merge]]\ninto = 4\nfrom = [3]\n");
        assert!(
            circle.as_ref().is_err_and(
                |e| e.starts_with("edits.toml: topic 3 takes a merge") && e.contains("merged into 4")
            ),
            "{circle:?}"
        );
        let chain = parse("[[merge]]\ninto = 3\nfrom = [4]\n[[merge]]\ninto = 5\nfrom = [3]\n");
        assert!(chain.is_err_and(|e| e.contains("cannot chain")));
        let itself = parse("[[merge]]\ninto = 3\nfrom = [3]\n");
        assert!(itself.is_err_and(|e| e.contains("into itself")));
        let twice = parse("[[merge]]\ninto = 3\nfrom = [4]\n[[merge]]\ninto = 5\nfrom = [4]\n");
        assert!(twice.is_err_and(|e| e.contains("topic 4 is merged into both 3 and 5")));
        let repeated = parse("[[merge]]\ninto = 3\nfrom = [4, 4]\n");
        assert!(repeated.is_err_and(|e| e.contains("into = 3 lists topic 4 twice")));
        let fine = parse("[[merge]]\ninto = 3\nfrom = [4, 6]\n[[merge]]\ninto = 5\nfrom = [7]\n");
        assert!(fine.is_ok(), "{fine:?}");
    }

    #[test]
    fn edits_for_a_topic_the_store_lacks_are_refused() {
        let parse = |text: &str| TopicEdits::parse(Path::new("edits.toml"), text).expect("parses");
        let ids: BTreeSet<u32> = [0, 1, 2, 3].into();
        assert!(parse("[names]\n3 = \"x\"\n[[merge]]\ninto = 0\nfrom = [1]\n")
            .check(&ids)
            .is_ok());
        let err = parse("[names]\n999 = \"x\"\n")
            .check(&ids)
            .expect_err("no topic 999");
        assert_eq!(
            err.to_string(),
            "edits.toml: topic 999 is named or merged, but the store holds no topic 999 (its topics: \
             0, 1, 2, 3); remove it or give the id `weeklens topics` shows"
        );
        for text in [
            "[[merge]]\ninto = 9\nfrom = [1]\n",
            "[[merge]]\ninto = 1\nfrom = [9]\n",
        ] {
            let err = parse(text).check(&ids).expect_err("no topic 9");
            assert!(err.to_string().contains("no topic 9"), "{err}");
        }
        assert!(TopicEdits::default().check(&BTreeSet::new()).is_ok());
    }

    #[test]
    fn the_table_says_how_many_entries_its_topics_hold() {
        let view = |id: u32, size: u32| TopicView {
            id,
            size,
            name: None,
            label_zh: vec!["打包".into()],
            label_en: vec!["packaging".into()],
            merged: Vec::new(),
            written: Vec::new(),
            central: Vec::new(),
            npmi: 0.1,
        };
        let views = [view(1, 5), view(2, 3)];
        assert!(render_table(&views, 8).ends_with("\n8 of the 8 entries in 2 topics\n"));
        assert!(render_table(&views, 10)
            .ends_with("\n8 of the 10 entries in 2 topics; 2 hold no word the topics are found by\n"));
    }

    #[test]
    fn a_topic_is_labelled_one_way_everywhere() {
        let words = |terms: &[&str]| terms.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let mut view = TopicView {
            id: 7,
            size: 3,
            name: None,
            label_zh: words(&["打包", "依赖", "虚拟环境"]),
            label_en: words(&["uv", "pip", "packaging"]),
            merged: Vec::new(),
            written: Vec::new(),
            central: Vec::new(),
            npmi: 0.1,
        };
        assert_eq!(view.label(None, 2), "打包 依赖 / uv pip");
        // Shown in the order the titles write them; chosen by rank.
        view.written = words(&["pip", "虚拟环境", "依赖", "打包", "uv"]);
        assert_eq!(view.label(None, 2), "依赖 打包 / pip uv");
        assert_eq!(view.label(Some(Lang::Zh), 3), "虚拟环境 依赖 打包");
        view.written.clear();
        assert_eq!(view.label(Some(Lang::Zh), 4), "打包 依赖 虚拟环境");
        assert_eq!(view.label(Some(Lang::En), 1), "uv");
        // A language without terms reads the other's; a topic without any, its number.
        view.label_en.clear();
        assert_eq!(view.label(Some(Lang::En), 2), "打包 依赖");
        assert_eq!(view.label(None, 2), "打包 依赖");
        view.label_zh.clear();
        assert_eq!(view.label(Some(Lang::Zh), 2), "topic 7");
        assert_eq!(view.label(None, 2), "topic 7");
        // The editor's name before any term, in every language.
        view.name = Some("打包".into());
        assert_eq!(view.label(Some(Lang::En), 2), "打包");
        assert_eq!(view.label(None, 2), "打包");
    }
}
