//! Stories: the groups of a window's entries that are about one development (the JIT's halt and
//! its PEP, a supply-chain attack and the guides after it), as an editor would name them. Read by
//! `trends` (shown first) and the season report, after the store: pure functions over the
//! entries and the rows `related` ranks by.
//!
//! Two entries of the window are tied by
//! - the same resource: the same canonical URL or GitHub repository (a re-share), the same PEP
//!   number or release ("Django 6.0", not Python's versions) in their titles, or one linking to
//!   the other's URL: similarity 1;
//! - otherwise the cosine of their related rows (`related.parquet`: TF-IDF with the title weighted
//!   up, unit length), counted apart over the pair's informative terms and its *theme* terms:
//!   words held by more than a tenth of the window's entries (the window's theme: "AI", "agent"
//!   in 2026) or by more than a twentieth of the entries before it (words the archive uses for
//!   anything: "framework", "open source"). A pair that shares only themes is not tied; one that
//!   shares an informative term adds its themes at half weight. Ten entries about "AI agents"
//!   are ten developments, not one story; three that also share a project's name are one.
//!
//! Groups are found by average-linkage agglomerative clustering over those similarities (pairs
//! below [`PAIR_FLOOR`] count as 0): the two groups whose mean pairwise similarity is highest
//! merge while it is at least [`StoryParams::merge_at`]. Average linkage keeps a group about one
//! thing — single linkage chained "agent memory" to "agent skills" to "Claude Code" through one
//! entry each. A group is a story when it holds at least [`StoryParams::min_entries`] distinct
//! resources (a re-share counts once; or that many entries of two resources when the one more
//! is close to the piece shared twice: [`StoryParams::follow_up_at`]) and is about one thing:
//! most of its entries name one release ("Django 6.0"), or the informative terms most of its
//! entries share hold a name (a Latin word its Chinese titles write: Claude, JIT, PyPI, a
//! project), two words of one language, or a word and its translation that each name a
//! subject (gathered in a few of the archive's topics: "voice / 语音", not "guide / 指南":
//! [`StoryParams::subject_at`]) — and one of them is more frequent in the window than before
//! it (clearly more when it is the only one: [`StoryParams::one_word_lift`]). Each entry is in
//! at most one story;
//! ties are broken by entry order, so the same store gives the same stories.
//!
//! A story is named by the terms most of its entries share (as the archive writes them:
//! [`crate::vectorize::FittedTfIdf::shown`]), Chinese and English apart; when none is shared,
//! by its most central entry's title. It `continues` the earlier entries (before the window)
//! closest to its centroid, when they are close enough to be about the same development.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::sync::LazyLock;

use fixedbitset::FixedBitSet;
use regex::Regex;
use serde::{Serialize, Serializer};

use crate::canon;
use crate::identity;
use crate::model::{Entry, EntryId};
use crate::parse::markdown::has_cjk;
use crate::vectorize::SparseVector;
use crate::wording;

/// Pairs less similar than this are left out of the graph (they count as 0 in the means).
pub const PAIR_FLOOR: f32 = 0.05;

/// How stories are found. [`StoryParams::default`] is what `trends` uses; QUALITY.md ("Stories")
/// has the development set the values were chosen on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    /// Two groups merge while the mean similarity of their pairs is at least this.
    pub merge_at: f32,
    /// A story holds at least this many distinct resources.
    pub min_entries: usize,
    /// An earlier entry continues a story when the cosine of its row with the story's centroid
    /// is at least this.
    pub continues_at: f32,
    /// At most this many earlier entries are listed per story.
    pub continues_max: usize,
    /// A story is news: one of its shared terms is at least this many times as frequent in the
    /// window's entries as before it. A group tied by a word the archive always uses (a guide,
    /// Django, types) is a theme of the archive, not a development of the window.
    pub min_lift: f64,
    /// A story whose entries share one informative word alone ("Claude", "LLM") is news only
    /// when that word is at least this many times as frequent in the window as before it:
    /// Claude in 2026 (4.8), not LLM (1.2–1.7), a standing subject of the archive.
    pub one_word_lift: f64,
    /// A term held by more than this share of the window's entries is a theme of the window
    /// ("AI", "agent" in 2026): it ties no pair alone and weighs [`StoryParams::theme_weight`]
    /// in a pair that shares an informative term.
    pub theme_share: f64,
    /// A term held by more than this share of the entries before the window is a word the
    /// archive uses for anything ("open source", "framework", "AI"): a theme too.
    pub generic_share: f64,
    /// How much a theme term adds to the similarity of a pair tied by an informative term.
    pub theme_weight: f32,
    /// A group tied by one word and its translation is about a subject ("voice / 语音", "browser
    /// / 浏览器") when each is at least this concentrated in the archive's topics (the
    /// divergence of its entries' topics from all entries', in nats), not spread like a word
    /// of any subject ("guide / 指南" 0.4, "infrastructure / 基础设施" 0.7).
    pub subject_at: f64,
    /// A group of [`StoryParams::min_entries`] entries but fewer distinct resources (a piece
    /// shared twice and one more) is a story when its entries of different resources are at
    /// least this similar on average: the one more is about the piece, not near it.
    pub follow_up_at: f32,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            merge_at: 0.15,
            min_entries: 3,
            continues_at: 0.35,
            continues_max: 5,
            min_lift: 1.2,
            one_word_lift: 2.0,
            theme_share: 0.10,
            generic_share: 0.05,
            theme_weight: 0.5,
            subject_at: 1.2,
            follow_up_at: 0.4,
        }
    }
}

/// What stories read: the store's entries and the rows `related` ranks by, in the same order.
#[derive(Debug, Clone, Copy)]
pub struct StoryCorpus<'a> {
    pub entries: &'a [Entry],
    pub rows: &'a [SparseVector],
    /// Each term as the archive writes it, by term index: one per vocabulary term.
    pub shown: &'a [String],
    /// Each entry's topic (none for an entry the topics left out), in the same order.
    pub topics: &'a [Option<u32>],
}

/// One story of a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// In English: the shared English terms, else the central entry's English title.
    pub name: String,
    /// In Chinese: the shared Chinese terms, else the central entry's title.
    pub name_zh: String,
    /// Its entries in archive order.
    #[serde(serialize_with = "ids")]
    pub entries: Vec<EntryId>,
    /// Their titles (the Chinese title, as the issue writes it), in the same order.
    pub titles: Vec<String>,
    /// Distinct resources among them (a re-share inside the window counts once).
    pub distinct: u32,
    /// Its entries against the window's live entries, re-shares on both sides: the share of
    /// the issues' slots the story took.
    pub share: f64,
    pub first_issue: u32,
    pub last_issue: u32,
    /// Issues of the window it appears in.
    pub issues: u32,
    /// The entry most similar to the others.
    #[serde(serialize_with = "id")]
    pub central: EntryId,
    /// The terms most of its entries share, as the archive writes them.
    pub terms: Vec<String>,
    /// Their indices in the vocabulary, in the same order.
    #[serde(skip)]
    pub term_ids: Vec<u32>,
    /// The burst of its most shared term over the archive (`trends` fills it): since when it is
    /// frequent and whether it still is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst: Option<crate::bursts::Burst>,
    /// The largest lift among them: how many times as frequent in the window's entries as
    /// before it.
    pub lift: f64,
    /// Earlier entries (before the window) about the same development, in archive order.
    #[serde(serialize_with = "ids")]
    pub continues: Vec<EntryId>,
}

fn id<S: Serializer>(id: &EntryId, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(id)
}

fn ids<S: Serializer>(ids: &[EntryId], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ids.iter().map(ToString::to_string))
}

/// Whether `title` writes `word` as a word of its own (any case; not inside a longer Latin word).
fn written_in(title: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let (title, word) = (title.to_lowercase(), word.to_lowercase());
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    title.match_indices(&word).any(|(at, _)| {
        !latin(title[..at].chars().next_back()) && !latin(title[at + word.len()..].chars().next())
    })
}

/// The keys that identify the resource an entry points to: its canonical URL (a GitHub URL's
/// repository) and its titles folded (case and spaces ignored; titles shorter than 8 characters
/// identify nothing). Title-only issues carry no URL, so a re-share is known by its title in
/// either language. Two entries sharing a key are one resource shared twice.
pub fn resource_keys(e: &Entry) -> Vec<String> {
    let mut keys = Vec::with_capacity(3);
    if let Some(url) = e.url.as_deref().and_then(canon::canonical_url) {
        keys.push(format!("url {url}"));
    }
    for (tag, title) in [("zh", Some(e.title.as_str())), ("en", e.en_title.as_deref())] {
        let Some(title) = title else { continue };
        let folded: String = title
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if folded.chars().count() >= 8 {
            keys.push(format!("{tag} {folded}"));
        }
    }
    keys
}

/// The PEPs an entry's titles name.
fn peps(e: &Entry) -> Vec<u32> {
    let mut peps: Vec<u32> = [Some(e.title.as_str()), e.en_title.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(identity::peps_in)
        .collect();
    peps.sort_unstable();
    peps.dedup();
    peps
}

/// A release named in a title: a name and its version ("Django 6.0", "Claude 4.5", "NumPy
/// v2.1.3" as numpy 2.1). Python's own versions are terms of the rows already ("Python 3.14").
static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([A-Za-z][A-Za-z0-9+\-]*)\s*[vV]?(\d+)\.(\d+)").expect("valid regex")
});

/// Names whose versions are not a release of their own: Python's (a term of the rows), a PEP's
/// number, a bare "v".
const NOT_RELEASES: [&str; 6] = ["python", "cpython", "py", "pep", "v", "version"];

/// The releases an entry's titles name, as (key, as written): the key lower-cased ("django
/// 6.0"), sorted, one per key.
fn releases(e: &Entry) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = [Some(e.title.as_str()), e.en_title.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|t| RELEASE.captures_iter(t))
        .filter(|c| !NOT_RELEASES.contains(&c[1].to_lowercase().as_str()))
        .map(|c| {
            let written = format!("{} {}.{}", &c[1], &c[2], &c[3]);
            (written.to_lowercase(), written)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

/// The similarity of every pair of `members` (rows of the corpus) at or above [`PAIR_FLOOR`],
/// as `(i, j, similarity)` with `i < j` positions in `members`.
fn pairs(
    corpus: &StoryCorpus<'_>,
    members: &[usize],
    counts: &TermCounts,
    params: &StoryParams,
) -> Vec<(usize, usize, f32)> {
    let keys: Vec<Vec<String>> = members
        .iter()
        .map(|&r| resource_keys(&corpus.entries[r]))
        .collect();
    let urls: Vec<Option<String>> = members
        .iter()
        .map(|&r| corpus.entries[r].url.as_deref().and_then(canon::canonical_url))
        .collect();
    let peps: Vec<Vec<u32>> = members.iter().map(|&r| peps(&corpus.entries[r])).collect();
    let releases: Vec<Vec<String>> = members
        .iter()
        .map(|&r| {
            releases(&corpus.entries[r])
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        })
        .collect();
    let links: Vec<BTreeSet<String>> = members
        .iter()
        .map(|&r| {
            corpus.entries[r]
                .links
                .iter()
                .filter_map(|l| canon::canonical_url(l))
                .collect()
        })
        .collect();
    // Cosines through an inverted index of the members' rows: only pairs sharing a term.
    let mut postings: BTreeMap<u32, Vec<(usize, f32)>> = BTreeMap::new();
    for (k, &r) in members.iter().enumerate() {
        if let Some(row) = corpus.rows.get(r) {
            for (&t, &v) in row.indices.iter().zip(&row.values) {
                postings.entry(t).or_default().push((k, v));
            }
        }
    }
    // Per pair: the cosine over its informative terms and over its theme terms apart.
    let mut parts: BTreeMap<(usize, usize), (f32, f32)> = BTreeMap::new();
    for (&t, list) in &postings {
        let theme = counts.is_theme(t);
        for (a, &(i, vi)) in list.iter().enumerate() {
            for &(j, vj) in &list[a + 1..] {
                let part = parts.entry((i, j)).or_default();
                if theme {
                    part.1 += vi * vj;
                } else {
                    part.0 += vi * vj;
                }
            }
        }
    }
    // A pair that shares only the window's themes is not tied; one tied by an informative term
    // counts its themes at `theme_weight`.
    let mut sims: BTreeMap<(usize, usize), f32> = parts
        .into_iter()
        .filter(|&(_, (informative, _))| informative > 0.0)
        .map(|(pair, (informative, theme))| (pair, informative + params.theme_weight * theme))
        .collect();
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            let same = keys[i].iter().any(|k| keys[j].contains(k));
            let same_pep = peps[i].iter().any(|p| peps[j].contains(p));
            let same_release = releases[i].iter().any(|r| releases[j].contains(r));
            let linked = urls[j].as_ref().is_some_and(|u| links[i].contains(u))
                || urls[i].as_ref().is_some_and(|u| links[j].contains(u));
            if same || same_pep || same_release || linked {
                sims.insert((i, j), 1.0);
            }
        }
    }
    sims.into_iter()
        .filter(|&(_, s)| s >= PAIR_FLOOR)
        .map(|((i, j), s)| (i, j, s.min(1.0)))
        .collect()
}

/// A candidate merge in the heap: highest mean first, then the lowest pair of group ids.
#[derive(Debug, PartialEq)]
struct Candidate {
    mean: f32,
    a: usize,
    b: usize,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| other.a.cmp(&self.a))
            .then_with(|| other.b.cmp(&self.b))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-linkage clustering of `n` items over the sparse similarities `pairs`; merges while the
/// best mean is at least `merge_at`. Groups of item positions, each sorted, in order of their
/// first item.
pub fn average_linkage(n: usize, pairs: &[(usize, usize, f32)], merge_at: f32) -> Vec<Vec<usize>> {
    // Group g: its members and, for each neighbouring group, the sum of the pair similarities.
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut sums: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
    let mut alive: Vec<bool> = vec![true; n];
    for &(i, j, s) in pairs {
        *sums[i].entry(j).or_default() += f64::from(s);
        *sums[j].entry(i).or_default() += f64::from(s);
    }
    let mean = |sum: f64, a: usize, b: usize, members: &[Vec<usize>]| -> f32 {
        (sum / (members[a].len() * members[b].len()) as f64) as f32
    };
    let mut heap = BinaryHeap::new();
    for (a, row) in sums.iter().enumerate() {
        for (&b, &sum) in row.range(a + 1..) {
            let m = mean(sum, a, b, &members);
            if m >= merge_at {
                heap.push(Candidate { mean: m, a, b });
            }
        }
    }
    while let Some(Candidate { mean: m, a, b }) = heap.pop() {
        if !(alive[a] && alive[b]) {
            continue;
        }
        // A stale entry: the groups grew since it was pushed.
        let current = sums[a].get(&b).map_or(0.0, |&s| mean(s, a, b, &members));
        if current != m {
            continue;
        }
        // Merge b into a new group c.
        let c = members.len();
        let mut merged = std::mem::take(&mut members[a]);
        merged.append(&mut std::mem::take(&mut members[b]));
        merged.sort_unstable();
        members.push(merged);
        alive[a] = false;
        alive[b] = false;
        alive.push(true);
        let mut row: BTreeMap<usize, f64> = BTreeMap::new();
        for (&x, &s) in sums[a].iter().chain(sums[b].iter()) {
            if x != a && x != b && alive[x] {
                *row.entry(x).or_default() += s;
            }
        }
        sums[a].clear();
        sums[b].clear();
        for (&x, &s) in &row {
            sums[x].remove(&a);
            sums[x].remove(&b);
            sums[x].insert(c, s);
        }
        for (&x, &s) in &row {
            let m = mean(s, x, c, &members);
            if m >= merge_at {
                heap.push(Candidate { mean: m, a: x, b: c });
            }
        }
        sums.push(row);
    }
    let mut groups: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter(|(m, alive)| *alive && !m.is_empty())
        .map(|(m, _)| m)
        .collect();
    groups.sort();
    groups
}

/// Terms per language in a story's name.
const NAME_TERMS: usize = 3;

/// The stories of the window: `window` and `before` are rows of the corpus (archive order), the
/// window's live entries and every live entry before the window's first issue.
pub fn find(
    corpus: &StoryCorpus<'_>,
    window: &[usize],
    before: &[usize],
    params: &StoryParams,
) -> Vec<Story> {
    let counts = TermCounts::of(corpus, window, before, params);
    let pairs = pairs(corpus, window, &counts, params);
    let groups = average_linkage(window.len(), &pairs, params.merge_at);
    let mut sim_of: BTreeMap<(usize, usize), f32> = BTreeMap::new();
    for &(i, j, s) in &pairs {
        sim_of.insert((i, j), s);
    }
    let sim = |i: usize, j: usize| -> f32 {
        let key = if i < j { (i, j) } else { (j, i) };
        sim_of.get(&key).copied().unwrap_or(0.0)
    };
    let window_entries = window.len().max(1) as f64;
    let mut stories: Vec<(Vec<usize>, Story)> = Vec::new();
    for group in groups {
        let group = anchored(corpus, window, group, &counts, params, &sim);
        let rows: Vec<usize> = group.iter().map(|&k| window[k]).collect();
        let keys: Vec<Vec<String>> = rows.iter().map(|&r| resource_keys(&corpus.entries[r])).collect();
        let resource = resources(&keys);
        let distinct = resource.iter().max().map_or(0, |&n| n + 1);
        let follow_up = || {
            group.len() >= params.min_entries
                && distinct >= 2
                && across_resources(&resource, &group, &sim) >= params.follow_up_at
        };
        if distinct < params.min_entries && !follow_up() {
            continue;
        }
        let central = group
            .iter()
            .copied()
            .max_by(|&a, &b| {
                let sa: f32 = group.iter().map(|&x| if x == a { 0.0 } else { sim(a, x) }).sum();
                let sb: f32 = group.iter().map(|&x| if x == b { 0.0 } else { sim(b, x) }).sum();
                sa.total_cmp(&sb).then(b.cmp(&a))
            })
            .unwrap_or(group[0]);
        let central = &corpus.entries[window[central]];
        // The terms that distinguish the group from the rest of the window first, its themes
        // after them.
        let (mut terms, themes): (Vec<u32>, Vec<u32>) = shared_terms(corpus, &rows, &resource, distinct)
            .into_iter()
            .partition(|&t| !counts.is_theme(t));
        let shown = |t: u32| corpus.shown.get(t as usize).cloned().unwrap_or_default();
        // Half of the group's resources write it: a piece shared twice is one resource.
        let written = |word: &str| {
            rows.iter()
                .zip(&resource)
                .filter(|&(&r, _)| written_in(&corpus.entries[r].title, word))
                .map(|(_, &n)| n)
                .collect::<BTreeSet<usize>>()
                .len()
                * 2
                >= distinct
        };
        let lift = terms
            .iter()
            .take(LIFT_TERMS)
            .map(|&t| counts.lift(t))
            .fold(0.0, f64::max);
        // A release most of the group names is a development of its own (and news: it is
        // new); otherwise the group's shared words must say one thing, and a new one.
        let release = shared_release(corpus, &rows);
        if release.is_none() {
            let subject = || {
                let first_of = |chinese: bool| terms.iter().copied().find(|&t| has_cjk(&shown(t)) == chinese);
                let words: Vec<u32> = first_of(true).into_iter().chain(first_of(false)).collect();
                !words.is_empty()
                    && words
                        .iter()
                        .all(|&t| counts.concentration(t) >= params.subject_at)
            };
            let words = words_of(&terms, &shown);
            let news = lift >= params.min_lift && (words.len() > 1 || lift >= params.one_word_lift);
            if !(about_one_thing(&words, &written) || subject()) || !news {
                continue;
            }
        }
        let informative = terms.len();
        terms.extend(themes);
        // Each name says no word twice (语言 inside 编程语言, R1 inside DeepSeek-R1) and shows
        // its words in the order the group's titles write them ([`wording`]): the Chinese name
        // in the Chinese titles, the English one in the translations.
        let zh_titles: Vec<&str> = rows.iter().map(|&r| corpus.entries[r].title.as_str()).collect();
        let en_titles: Vec<&str> = rows
            .iter()
            .map(|&r| {
                corpus.entries[r]
                    .en_title
                    .as_deref()
                    .unwrap_or(&corpus.entries[r].title)
            })
            .collect();
        let zh: Vec<String> =
            wording::distinct(terms.iter().map(|&t| shown(t)).filter(|t| has_cjk(t)), NAME_TERMS);
        let en: Vec<String> = wording::distinct(
            terms.iter().map(|&t| shown(t)).filter(|t| !has_cjk(t)),
            NAME_TERMS,
        );
        // Each language by its own terms; with none shared, by its central entry's title. The
        // Chinese name leads with the names its Chinese titles write in Latin letters (uv, JIT,
        // polars): "uv 文件", not "文件" — informative ones: "AI" does not lead the name of a
        // story about agents' memory. A story whose shared terms are all English is named in
        // Chinese by those of them its Chinese titles write ("Pandas DuckDB", not "data"),
        // else as in English.
        let names: Vec<String> = wording::distinct(
            terms[..informative]
                .iter()
                .map(|&t| shown(t))
                .filter(|t| !has_cjk(t) && written(t)),
            2,
        );
        let zh_named = wording::label_words(names.iter().chain(&zh), NAME_TERMS, &zh_titles);
        let en_named = wording::in_written_order(&en, &en_titles);
        // A release leads both names, as its titles write it ("Django 6.0 tasks").
        let (name, name_zh) = match (&release, en.is_empty(), zh.is_empty()) {
            (Some(release), ..) => (led_by(release, &en_named), led_by(release, &zh_named)),
            (None, false, false) => (en_named.join(" "), zh_named.join(" ")),
            (None, false, true) if !names.is_empty() => (en_named.join(" "), zh_named.join(" ")),
            (None, false, true) => (en_named.join(" "), en_named.join(" ")),
            (None, true, false) => (
                central.en_title.clone().unwrap_or_else(|| zh_named.join(" ")),
                zh_named.join(" "),
            ),
            (None, true, true) => (
                central.en_title.clone().unwrap_or_else(|| central.title.clone()),
                central.title.clone(),
            ),
        };
        let issues: BTreeSet<u32> = rows.iter().map(|&r| corpus.entries[r].issue).collect();
        let story = Story {
            name,
            name_zh,
            entries: rows.iter().map(|&r| corpus.entries[r].id()).collect(),
            titles: rows.iter().map(|&r| corpus.entries[r].title.clone()).collect(),
            distinct: distinct as u32,
            share: rows.len() as f64 / window_entries,
            first_issue: issues.first().copied().unwrap_or(0),
            last_issue: issues.last().copied().unwrap_or(0),
            issues: issues.len() as u32,
            central: central.id(),
            terms: terms.iter().map(|&t| shown(t)).collect(),
            term_ids: terms.clone(),
            burst: None,
            lift,
            continues: Vec::new(),
        };
        stories.push((rows, story));
    }
    continues(corpus, before, &mut stories, params);
    let mut stories: Vec<Story> = stories.into_iter().map(|(_, s)| s).collect();
    stories.sort_by(|a, b| {
        b.distinct
            .cmp(&a.distinct)
            .then(b.issues.cmp(&a.issues))
            .then(a.entries.cmp(&b.entries))
    });
    stories
}

/// The members of `group` (places in `window`) that are about what the group is about: when its
/// shared informative terms hold an anchor — a name its Chinese titles write in Latin letters
/// (Pyrefly, JIT) or a word gathered in a few topics ([`StoryParams::subject_at`]) — an entry
/// that holds none of them, and is neither the same resource as an entry holding one nor tied
/// to one by a PEP or a link (similarity 1), joined the group by
/// a word that says nothing of it ("正式 / officially" tying a release of Django to a
/// type checker's) and is left out. A group with no anchor, or most of which names one release
/// ("Django 6.0": a tie of its own), is left whole: the tests after it decide.
fn anchored(
    corpus: &StoryCorpus<'_>,
    window: &[usize],
    group: Vec<usize>,
    counts: &TermCounts,
    params: &StoryParams,
    sim: &impl Fn(usize, usize) -> f32,
) -> Vec<usize> {
    let rows: Vec<usize> = group.iter().map(|&k| window[k]).collect();
    if shared_release(corpus, &rows).is_some() {
        return group;
    }
    let keys: Vec<Vec<String>> = rows.iter().map(|&r| resource_keys(&corpus.entries[r])).collect();
    let resource = resources(&keys);
    let distinct = resource.iter().max().map_or(0, |&n| n + 1);
    let shown = |t: u32| corpus.shown.get(t as usize).map_or("", String::as_str);
    let written = |word: &str| rows.iter().any(|&r| written_in(&corpus.entries[r].title, word));
    let anchors: Vec<u32> = shared_terms(corpus, &rows, &resource, distinct)
        .into_iter()
        .filter(|&t| !counts.is_theme(t))
        .filter(|&t| {
            let word = shown(t);
            (!has_cjk(word) && written(word)) || counts.concentration(t) >= params.subject_at
        })
        .collect();
    if anchors.is_empty() {
        return group;
    }
    let holds = |r: usize| {
        corpus
            .rows
            .get(r)
            .is_some_and(|row| anchors.iter().any(|t| row.indices.binary_search(t).is_ok()))
    };
    let anchored: BTreeSet<usize> = rows
        .iter()
        .zip(&resource)
        .filter(|&(&r, _)| holds(r))
        .map(|(_, &n)| n)
        .collect();
    let kept: Vec<usize> = group
        .iter()
        .zip(&resource)
        .filter(|&(_, n)| anchored.contains(n))
        .map(|(&k, _)| k)
        .collect();
    // An entry tied to a kept one as the same resource, PEP or release (similarity 1) is
    // about it whatever its words.
    group
        .into_iter()
        .filter(|&k| kept.contains(&k) || kept.iter().any(|&a| sim(a, k) >= 1.0))
        .collect()
}

/// A name led by `release`, then `words` but the release's own name ("Django 6.0 tasks", not
/// "Django 6.0 Django tasks"), [`NAME_TERMS`] words in all.
fn led_by(release: &str, words: &[String]) -> String {
    std::iter::once(release.to_string())
        .chain(words.iter().filter(|w| !wording::holds(release, w)).cloned())
        .take(NAME_TERMS)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The release most of `rows` name (at least two of them), as the first of them writes it.
fn shared_release(corpus: &StoryCorpus<'_>, rows: &[usize]) -> Option<String> {
    let mut held: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for &r in rows {
        for (key, written) in releases(&corpus.entries[r]) {
            held.entry(key).or_insert((0, written)).0 += 1;
        }
    }
    held.into_values()
        .filter(|(n, _)| *n >= 2 && n * 2 >= rows.len())
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, written)| written)
}

/// The mean similarity of the group's pairs of different resources (`resource` of its entries,
/// in the order of `group`, [`resources`]; a re-share's two entries are one resource): how close
/// the entries that are not the same piece are.
fn across_resources(resource: &[usize], group: &[usize], sim: &impl Fn(usize, usize) -> f32) -> f32 {
    let (mut sum, mut n) = (0.0f32, 0u32);
    for a in 0..group.len() {
        for b in a + 1..group.len() {
            if resource[a] != resource[b] {
                sum += sim(group[a], group[b]);
                n += 1;
            }
        }
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f32
    }
}

/// Which resource each entry of these keys ([`resource_keys`]) holds, numbered from 0 in order:
/// an entry sharing a key with an earlier one holds that one's resource.
fn resources(keys: &[Vec<String>]) -> Vec<usize> {
    let mut seen: BTreeMap<&String, usize> = BTreeMap::new();
    let mut of = Vec::with_capacity(keys.len());
    let mut next = 0;
    for keys in keys {
        let n = match keys.iter().find_map(|k| seen.get(k)) {
            Some(&n) => n,
            None => {
                next += 1;
                next - 1
            }
        };
        for k in keys {
            seen.entry(k).or_insert(n);
        }
        of.push(n);
    }
    of
}

/// The terms held by at least half of the group's `resources` (and at least two), most held
/// first, then heaviest. `resource` gives each row's resource ([`resources`]): a piece shared
/// twice says its words once, so a re-share does not make its own words the group's.
fn shared_terms(corpus: &StoryCorpus<'_>, rows: &[usize], resource: &[usize], resources: usize) -> Vec<u32> {
    let mut held: BTreeMap<u32, (BTreeSet<usize>, f32)> = BTreeMap::new();
    for (&r, &n) in rows.iter().zip(resource) {
        if let Some(row) = corpus.rows.get(r) {
            for (&t, &v) in row.indices.iter().zip(&row.values) {
                let slot = held.entry(t).or_default();
                slot.0.insert(n);
                slot.1 += v;
            }
        }
    }
    let need = resources.div_ceil(2).max(2);
    let mut terms: Vec<(u32, usize, f32)> = held
        .into_iter()
        .map(|(t, (n, w))| (t, n.len(), w))
        .filter(|&(_, n, _)| n >= need)
        .collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    terms.into_iter().map(|(t, _, _)| t).collect()
}

/// Terms of a story whose lift is measured: its most shared informative ones.
const LIFT_TERMS: usize = 3;

/// A term is a theme (of the window or of the archive) only when at least this many entries
/// hold it: in a small window a story's own words are a large share of it (the sample's four
/// issues hold eight free-threading entries in 51), and a development rarely has more entries
/// in one window (the largest of the development set has 9; "AI" is in 70 of the last 12
/// issues' 279).
pub const THEME_MIN_ENTRIES: u32 = 12;

/// How many of the window's entries, and of the entries before it, hold each term of the
/// window (dense by term), and which of them are themes: held by more than
/// [`StoryParams::theme_share`] of the window's entries or [`StoryParams::generic_share`] of the
/// entries before it (and by at least [`THEME_MIN_ENTRIES`]).
struct TermCounts {
    window: Vec<u32>,
    before: Vec<u32>,
    theme: Vec<bool>,
    window_entries: f64,
    before_entries: f64,
    topics: TopicCounts,
}

/// How the entries holding each term of the window (in the window and before it) spread over
/// the topics, against how all of them do.
struct TopicCounts {
    /// The window's terms, by term index: their slot, or `u32::MAX`.
    slot: Vec<u32>,
    /// The same terms as bits (a vocabulary's fit in a core's cache, where `slot` does not):
    /// what a pass over every earlier row's terms asks first.
    held_terms: FixedBitSet,
    /// Per slot, the entries holding the term per topic id (`slot * topics + id`).
    held: Vec<u32>,
    /// The entries per topic id.
    all: Vec<u32>,
}

impl TopicCounts {
    /// Empty counts for the terms `in_window` holds, over the topics of `rows`.
    fn new(corpus: &StoryCorpus<'_>, in_window: &[u32], rows: &[&[usize]]) -> TopicCounts {
        let columns = rows
            .iter()
            .flat_map(|rows| {
                rows.iter()
                    .filter_map(|&r| corpus.topics.get(r).copied().flatten())
            })
            .max()
            .map_or(0, |id| id as usize + 1);
        let mut slot = vec![u32::MAX; in_window.len()];
        let mut slots = 0u32;
        let mut held_terms = FixedBitSet::with_capacity(in_window.len());
        for (t, &c) in in_window.iter().enumerate() {
            if c > 0 {
                slot[t] = slots;
                slots += 1;
                held_terms.insert(t);
            }
        }
        TopicCounts {
            slot,
            held_terms,
            held: vec![0; slots as usize * columns],
            all: vec![0; columns],
        }
    }

    /// The topic of row `r` (its column), counted among all entries; none when it has no topic.
    fn count_row(&mut self, corpus: &StoryCorpus<'_>, r: usize) -> Option<usize> {
        let c = corpus.topics.get(r).copied().flatten()? as usize;
        *self.all.get_mut(c)? += 1;
        Some(c)
    }

    /// The slot of term `t`: some exactly when the window holds it.
    fn slot_of(&self, t: u32) -> Option<usize> {
        if !self.held_terms.contains(t as usize) {
            return None;
        }
        self.slot
            .get(t as usize)
            .filter(|&&s| s != u32::MAX)
            .map(|&s| s as usize)
    }

    /// Counts the term of slot `s` ([`TopicCounts::slot_of`]) in an entry of topic column `c`.
    fn count_in_slot(&mut self, s: usize, c: usize) {
        self.held[s * self.all.len() + c] += 1;
    }

    /// The Kullback–Leibler divergence (nats) of the topics of the entries holding `t` from
    /// the topics of all entries, less the Miller–Madow bias of its estimate ((k − 1) / 2n for
    /// k topics seen in n entries): 0 for a word spread like the archive, more the fewer topics
    /// hold it.
    fn concentration(&self, t: u32) -> f64 {
        let Some(&s) = self.slot.get(t as usize).filter(|&&s| s != u32::MAX) else {
            return 0.0;
        };
        let columns = self.all.len();
        let held = &self.held[s as usize * columns..(s as usize + 1) * columns];
        let n: f64 = held.iter().map(|&x| f64::from(x)).sum();
        let total: f64 = self.all.iter().map(|&x| f64::from(x)).sum();
        if n == 0.0 || total == 0.0 {
            return 0.0;
        }
        let seen = held.iter().filter(|&&x| x > 0).count() as f64;
        let divergence: f64 = held
            .iter()
            .zip(&self.all)
            .filter(|(&x, _)| x > 0)
            .map(|(&x, &all)| {
                let p = f64::from(x) / n;
                p * (p / (f64::from(all) / total)).ln()
            })
            .sum();
        divergence - (seen - 1.0) / (2.0 * n)
    }
}

impl TermCounts {
    /// One pass over the window's rows for its terms, then one over the window's and the
    /// earlier rows for the topics of those terms (and their counts before the window).
    fn of(corpus: &StoryCorpus<'_>, window: &[usize], before: &[usize], params: &StoryParams) -> TermCounts {
        let n = corpus.shown.len();
        let mut counts = [vec![0u32; n], vec![0u32; n]];
        for &r in window {
            for &t in corpus.rows.get(r).map_or(&[][..], |row| &row.indices[..]) {
                if let Some(c) = counts[0].get_mut(t as usize) {
                    *c += 1;
                }
            }
        }
        let [in_window, mut in_before] = counts;
        // The topics of the entries holding the window's terms: the window's own, then the
        // ones before it in the pass that counts them there.
        let mut topics = TopicCounts::new(corpus, &in_window, &[window, before]);
        for (&r, earlier) in window
            .iter()
            .map(|r| (r, false))
            .chain(before.iter().map(|r| (r, true)))
        {
            let column = topics.count_row(corpus, r);
            for &t in corpus.rows.get(r).map_or(&[][..], |row| &row.indices[..]) {
                // A term has a slot exactly when the window holds it: one lookup a term.
                let Some(s) = topics.slot_of(t) else {
                    continue;
                };
                if earlier {
                    in_before[t as usize] += 1;
                }
                if let Some(c) = column {
                    topics.count_in_slot(s, c);
                }
            }
        }
        let (w, b) = (window.len() as f64, before.len() as f64);
        let theme = in_window
            .iter()
            .zip(&in_before)
            .map(|(&cw, &cb)| {
                (cw >= THEME_MIN_ENTRIES && f64::from(cw) > params.theme_share * w)
                    || (cb >= THEME_MIN_ENTRIES && f64::from(cb) > params.generic_share * b)
            })
            .collect();
        TermCounts {
            window: in_window,
            before: in_before,
            theme,
            window_entries: w.max(1.0),
            before_entries: b,
            topics,
        }
    }

    fn concentration(&self, t: u32) -> f64 {
        self.topics.concentration(t)
    }

    fn is_theme(&self, t: u32) -> bool {
        self.theme.get(t as usize).copied().unwrap_or(false)
    }

    /// The term's share of the window's entries over its share before (one added to the count
    /// before, so a term new to the window has a finite lift).
    fn lift(&self, t: u32) -> f64 {
        let cw = self.window.get(t as usize).copied().unwrap_or(0);
        let cb = self.before.get(t as usize).copied().unwrap_or(0);
        (f64::from(cw) / self.window_entries) / ((f64::from(cb) + 1.0) / (self.before_entries + 1.0))
    }
}

/// The words of a group's shared `terms` as a person counts them, as shown: the tokenizer gives
/// a hyphenated word and its parts ("Production-Ready", production, ready), which are one word.
fn words_of(terms: &[u32], shown: &impl Fn(u32) -> String) -> Vec<String> {
    let words: Vec<String> = terms.iter().map(|&t| shown(t)).collect();
    let compounds: Vec<String> = words
        .iter()
        .filter(|w| w.contains('-'))
        .map(|w| w.to_lowercase())
        .collect();
    let part = |w: &String| {
        let w = w.to_lowercase();
        compounds.iter().any(|c| *c != w && c.split('-').any(|p| p == w))
    };
    words.iter().filter(|w| !part(w)).cloned().collect()
}

/// Whether a group is about one thing, not tied by one generic word ("指南 / Guide"): its shared
/// informative `words` ([`words_of`]) hold a name (a Latin word the titles of half its pieces
/// write as such: Claude, JIT, PyPI, a project), or at least two words of one language.
fn about_one_thing(words: &[String], written: &impl Fn(&str) -> bool) -> bool {
    let chinese = words.iter().filter(|w| has_cjk(w)).count();
    let latin = words.len() - chinese;
    latin >= 2 || chinese >= 2 || words.iter().any(|w| !has_cjk(w) && written(w))
}

/// Fills each story's `continues`: the earlier entries whose rows are closest to the story's
/// centroid (the normalised sum of its rows), at least `continues_at`, at most `continues_max`.
/// One pass over the earlier rows for all stories.
fn continues(
    corpus: &StoryCorpus<'_>,
    before: &[usize],
    stories: &mut [(Vec<usize>, Story)],
    params: &StoryParams,
) {
    if stories.is_empty() {
        return;
    }
    // term → (story, centroid weight)
    let mut by_term: BTreeMap<u32, Vec<(usize, f32)>> = BTreeMap::new();
    for (s, (rows, _)) in stories.iter().enumerate() {
        let mut centroid: BTreeMap<u32, f32> = BTreeMap::new();
        for &r in rows {
            if let Some(row) = corpus.rows.get(r) {
                for (&t, &v) in row.indices.iter().zip(&row.values) {
                    *centroid.entry(t).or_default() += v;
                }
            }
        }
        let norm = centroid.values().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 {
            continue;
        }
        for (t, v) in centroid {
            by_term.entry(t).or_default().push((s, v / norm));
        }
    }
    // Dense by term: every term of every earlier row is looked up.
    let mut dense: Vec<Option<&Vec<(usize, f32)>>> = vec![None; corpus.shown.len()];
    for (&t, list) in &by_term {
        if let Some(slot) = dense.get_mut(t as usize) {
            *slot = Some(list);
        }
    }
    // The centroids' terms as bits, asked first: most terms of the earlier rows are in no
    // centroid, and the bits stay in a core's cache where `dense` does not.
    let mut in_centroids = FixedBitSet::with_capacity(dense.len());
    for &t in by_term.keys() {
        in_centroids.grow_and_insert(t as usize);
    }
    let lookup = |t: u32| -> Option<&Vec<(usize, f32)>> {
        if !in_centroids.contains(t as usize) {
            return None;
        }
        dense.get(t as usize).copied().flatten()
    };
    let mut found: Vec<Vec<(f32, usize)>> = vec![Vec::new(); stories.len()];
    let mut scores = vec![0.0f32; stories.len()];
    let mut touched: Vec<usize> = Vec::new();
    for &r in before {
        let Some(row) = corpus.rows.get(r) else {
            continue;
        };
        for (&t, &v) in row.indices.iter().zip(&row.values) {
            if let Some(list) = lookup(t) {
                for &(s, w) in list {
                    if scores[s] == 0.0 {
                        touched.push(s);
                    }
                    scores[s] += v * w;
                }
            }
        }
        for &s in &touched {
            if scores[s] >= params.continues_at {
                found[s].push((scores[s], r));
            }
            scores[s] = 0.0;
        }
        touched.clear();
    }
    for ((_, story), mut hits) in stories.iter_mut().zip(found) {
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(params.continues_max);
        let mut rows: Vec<usize> = hits.into_iter().map(|(_, r)| r).collect();
        rows.sort_unstable();
        story.continues = rows.into_iter().map(|r| corpus.entries[r].id()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn row(terms: &[(u32, f32)]) -> SparseVector {
        let norm = terms.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        SparseVector {
            indices: terms.iter().map(|&(t, _)| t).collect(),
            values: terms.iter().map(|&(_, v)| v / norm).collect(),
        }
    }

    #[test]
    fn a_name_is_written_in_a_title_as_a_word_of_its_own() {
        assert!(written_in("uv 新增的 Python 版本管理功能", "uv"));
        assert!(written_in("拆解 UV 的锁文件", "uv"));
        assert!(written_in("为什么 JIT 在 3.13 中默认关闭？", "JIT"));
        assert!(!written_in("uvicorn 的部署指南", "uv"));
        assert!(!written_in("anything", ""));
    }

    #[test]
    fn average_linkage_merges_a_tight_group_and_leaves_a_loose_chain_apart() {
        // 0-1-2 all similar; 3 tied to 2 only, weakly; 4 alone.
        let pairs = [(0, 1, 0.8), (0, 2, 0.7), (1, 2, 0.9), (2, 3, 0.3)];
        let groups = average_linkage(5, &pairs, 0.2);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3], vec![4]]);
        // A lower threshold lets 3 join: its mean with {0,1,2} is 0.1.
        let groups = average_linkage(5, &pairs, 0.1);
        assert_eq!(groups, vec![vec![0, 1, 2, 3], vec![4]]);
    }

    #[test]
    fn average_linkage_is_the_same_whatever_the_order_of_the_pairs() {
        let mut pairs = vec![(0, 1, 0.5), (2, 3, 0.5), (1, 2, 0.4), (0, 3, 0.1), (4, 5, 0.6)];
        let a = average_linkage(6, &pairs, 0.2);
        pairs.reverse();
        assert_eq!(a, average_linkage(6, &pairs, 0.2));
    }

    fn entry(issue: u32, position: u32, title: &str, url: &str) -> Entry {
        let mut e = Entry::stub(issue, Category::Article, position);
        e.title = title.to_string();
        e.url = Some(url.to_string());
        e
    }

    fn corpus_fixture() -> (Vec<Entry>, Vec<SparseVector>, Vec<String>) {
        // Terms: 0 JIT, 1 编译器, 2 agent, 3 memory, 4 recipe, 5 garden
        let shown = ["JIT", "编译器", "agent", "memory", "recipe", "garden"]
            .map(String::from)
            .to_vec();
        let entries = vec![
            entry(1, 1, "An early JIT talk", "https://a.dev/jit-talk"),
            entry(2, 1, "Gardening", "https://a.dev/garden"),
            entry(5, 1, "The JIT halted", "https://b.dev/jit-halt"),
            entry(5, 2, "Agent memory", "https://github.com/x/mem"),
            entry(6, 1, "PEP 836: a JIT roadmap", "https://peps.dev/pep-0836"),
            entry(6, 2, "Agent memory again", "https://github.com/x/mem/tree/main"),
            entry(7, 1, "PEP-836 discussed", "https://d.dev/discuss"),
            entry(7, 2, "A recipe", "https://c.dev/recipe"),
            entry(8, 1, "Agent memory layer", "https://github.com/y/layer"),
        ];
        let rows = vec![
            row(&[(0, 1.0), (1, 0.5)]),
            row(&[(5, 1.0)]),
            row(&[(0, 1.0), (1, 0.3)]),
            row(&[(2, 1.0), (3, 1.0)]),
            row(&[(0, 1.0), (1, 1.0)]),
            row(&[(2, 1.0), (3, 1.0)]),
            row(&[(4, 1.0)]),
            row(&[(4, 0.2), (5, 1.0)]),
            row(&[(2, 1.0), (3, 0.8)]),
        ];
        (entries, rows, shown)
    }

    #[test]
    fn a_story_is_named_by_shared_terms_and_continues_the_earlier_entries() {
        let (entries, rows, shown) = corpus_fixture();
        let corpus = StoryCorpus {
            entries: &entries,
            rows: &rows,
            shown: &shown,
            topics: &[],
        };
        let params = StoryParams {
            min_lift: 0.0,
            ..StoryParams::default()
        };
        let stories = find(&corpus, &[2, 3, 4, 5, 6, 7, 8], &[0, 1], &params);
        // The JIT story: 5:1, 6:1 by the cosine, 7:1 by the PEP number it shares with 6:1.
        let jit = stories
            .iter()
            .find(|s| s.name.contains("JIT"))
            .expect("a JIT story");
        let ids: Vec<String> = jit.entries.iter().map(ToString::to_string).collect();
        assert_eq!(ids, ["5:article:1", "6:article:1", "7:article:1"]);
        assert_eq!(jit.name_zh, "JIT 编译器");
        assert_eq!((jit.first_issue, jit.last_issue, jit.issues), (5, 7, 3));
        assert_eq!(jit.continues, vec![entries[0].id()]);
        // The memory entries: 5:2 and 6:2 are one repository shared twice, and 8:1 close to
        // it: three entries, two distinct resources.
        let memory = stories
            .iter()
            .find(|s| s.entries.contains(&entries[3].id()))
            .expect("a memory story");
        assert_eq!((memory.entries.len(), memory.distinct), (3, 2));
        assert_eq!(stories.len(), 2);
        // A share is of the window's entries, the piece shared twice twice on both sides: the
        // slots the story took.
        let shares: Vec<f64> = stories.iter().map(|s| s.share).collect();
        assert_eq!(shares, [3.0 / 7.0, 3.0 / 7.0]);
        // Two resources are not enough when the one more is not about the piece shared twice.
        let no_follow_up = StoryParams {
            follow_up_at: 1.1,
            ..params
        };
        let stories = find(&corpus, &[2, 3, 4, 5, 6, 7, 8], &[0, 1], &no_follow_up);
        assert!(stories.iter().all(|s| !s.entries.contains(&entries[3].id())));
        assert_eq!(stories.len(), 1);
        // JIT is in 2 of the window's 7 entries and in 1 of the 2 before: (2/7) / (2/3).
        assert!((jit.lift - 3.0 / 7.0).abs() < 1e-9, "{}", jit.lift);
    }

    #[test]
    fn a_story_of_a_word_as_common_before_is_not_news() {
        let (entries, rows, shown) = corpus_fixture();
        let corpus = StoryCorpus {
            entries: &entries,
            rows: &rows,
            shown: &shown,
            topics: &[],
        };
        let window = [2, 3, 4, 5, 6, 7, 8];
        let lift = |min_lift| {
            let params = StoryParams {
                min_lift,
                ..StoryParams::default()
            };
            let stories = find(&corpus, &window, &[0, 1], &params);
            stories.iter().filter(|s| s.name.contains("JIT")).count()
        };
        assert_eq!(lift(0.4), 1);
        assert_eq!(lift(0.5), 0);
    }

    #[test]
    fn every_entry_is_in_at_most_one_story_and_the_output_is_deterministic() {
        let (entries, rows, shown) = corpus_fixture();
        let corpus = StoryCorpus {
            entries: &entries,
            rows: &rows,
            shown: &shown,
            topics: &[],
        };
        let params = StoryParams {
            min_entries: 2,
            min_lift: 0.0,
            ..StoryParams::default()
        };
        let window: Vec<usize> = (2..9).collect();
        let stories = find(&corpus, &window, &[0, 1], &params);
        assert!(stories.len() >= 2);
        let mut seen = BTreeSet::new();
        for s in &stories {
            for id in &s.entries {
                assert!(seen.insert(*id), "{id} in two stories");
            }
        }
        assert_eq!(stories, find(&corpus, &window, &[0, 1], &params));
    }

    #[test]
    fn pep_numbers_are_read_in_either_spelling() {
        let e = entry(1, 1, "PEP-836：路线图", "https://x.dev");
        assert_eq!(peps(&e), vec![836]);
        let mut e = entry(1, 1, "pep 0008 and PEP 20", "https://x.dev");
        e.en_title = Some("PEP 8".into());
        assert_eq!(peps(&e), vec![8, 20]);
    }

    #[test]
    fn a_reshare_is_known_by_its_url_or_either_title() {
        let a = entry(1, 1, "打破循环导入 而不破坏类型", "https://x.dev/a?utm_source=z");
        let b = entry(2, 1, "Another title altogether", "https://x.dev/a");
        let mut c = entry(3, 1, "打破循环导入而不破坏类型", "");
        c.url = None;
        let d = entry(4, 1, "short", "https://y.dev");
        assert!(resource_keys(&a).iter().any(|k| resource_keys(&b).contains(k)));
        assert!(resource_keys(&a).iter().any(|k| resource_keys(&c).contains(k)));
        assert!(!resource_keys(&d).iter().any(|k| resource_keys(&a).contains(k)));
    }

    /// A window built for the theme tests: `window` entries as (title, terms) and `before`
    /// filler entries, each with its own URL; term rows weigh every term 1 (unit length).
    struct Fixture {
        entries: Vec<Entry>,
        rows: Vec<SparseVector>,
        shown: Vec<String>,
        topics: Vec<Option<u32>>,
        window: Vec<usize>,
        before: Vec<usize>,
    }

    impl Fixture {
        fn new(shown: &[&str], window: &[(&str, Vec<u32>)], before: &[Vec<u32>]) -> Fixture {
            let mut f = Fixture {
                entries: Vec::new(),
                rows: Vec::new(),
                shown: shown.iter().map(|s| s.to_string()).collect(),
                topics: Vec::new(),
                window: Vec::new(),
                before: Vec::new(),
            };
            for (k, terms) in before.iter().enumerate() {
                let k = k as u32;
                f.entries.push(entry(
                    1 + k / 10,
                    1 + k % 10,
                    "filler",
                    &format!("https://b.dev/{k}"),
                ));
                f.rows
                    .push(row(&terms.iter().map(|&t| (t, 1.0)).collect::<Vec<_>>()));
                f.before.push(f.rows.len() - 1);
            }
            for (k, (title, terms)) in window.iter().enumerate() {
                let k = k as u32;
                f.entries.push(entry(
                    100 + k / 10,
                    1 + k % 10,
                    title,
                    &format!("https://w.dev/{k}"),
                ));
                f.rows
                    .push(row(&terms.iter().map(|&t| (t, 1.0)).collect::<Vec<_>>()));
                f.window.push(f.rows.len() - 1);
            }
            f
        }

        fn stories(&self, params: &StoryParams) -> Vec<Story> {
            let corpus = StoryCorpus {
                entries: &self.entries,
                rows: &self.rows,
                shown: &self.shown,
                topics: &self.topics,
            };
            find(&corpus, &self.window, &self.before, params)
        }
    }

    #[test]
    fn ten_entries_sharing_the_windows_theme_are_not_a_story_three_sharing_a_name_are() {
        // Terms: 0 AI, 1 agent, 2 Orbit, 3 garden (before only), 4.. one word per entry.
        let mut shown = vec!["AI", "agent", "Orbit", "garden"];
        let words: Vec<String> = (0..13).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let mut window: Vec<(String, Vec<u32>)> = (0..10)
            .map(|k| (format!("AI agent {k}"), vec![0, 1, 4 + k]))
            .collect();
        for k in 10..13 {
            window.push((format!("Orbit：AI agent 的记忆层 {k}"), vec![0, 1, 2, 4 + k]));
        }
        let window: Vec<(&str, Vec<u32>)> = window.iter().map(|(t, v)| (t.as_str(), v.clone())).collect();
        let before = vec![vec![3]; 20];
        let f = Fixture::new(&shown, &window, &before);
        let stories = f.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        let titles = &stories[0].titles;
        assert!(titles.iter().all(|t| t.starts_with("Orbit")), "{titles:?}");
        assert_eq!(stories[0].distinct, 3);
        // The story's name is its distinguishing word, not the window's theme.
        assert_eq!(stories[0].name, "Orbit AI agent");
        assert!(stories[0].name_zh.starts_with("Orbit"), "{}", stories[0].name_zh);
        // Without themes the shared AI and agent tie all thirteen into one group.
        let themes_off = StoryParams {
            theme_share: 1.0,
            generic_share: 1.0,
            ..StoryParams::default()
        };
        let stories = f.stories(&themes_off);
        assert_eq!(stories.len(), 1);
        assert_eq!(stories[0].distinct, 13);
    }

    #[test]
    fn a_group_tied_by_one_generic_word_is_not_a_story_one_tied_by_a_name_or_two_words_is() {
        // Terms: 0 指南, 1 Guide, 2 PyPI, 3 供应链, 4 攻击, 5 garden (before only), 6.. one word
        // per entry.
        let mut shown = vec!["指南", "Guide", "PyPI", "供应链", "攻击", "garden"];
        let words: Vec<String> = (0..9).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("Python 并发完全指南", vec![0, 1, 6]),
            ("浏览器工作原理互动指南", vec![0, 1, 7]),
            ("开发 Python 库指南", vec![0, 1, 8]),
            ("PyPI 完成第二次安全审计", vec![2, 9]),
            ("如何安全使用 GitHub Actions 发布到 PyPI", vec![2, 10]),
            ("别把 PyPI 的 Trusted Publishing 当作安全信号", vec![2, 11]),
            ("供应链攻击的全过程", vec![3, 4, 12]),
            ("一次供应链攻击报告", vec![3, 4, 13]),
            ("供应链攻击防范", vec![3, 4, 14]),
        ];
        let f = Fixture::new(&shown, &window, &vec![vec![5]; 20]);
        let stories = f.stories(&StoryParams::default());
        let names: BTreeSet<&str> = stories.iter().map(|s| s.name_zh.as_str()).collect();
        assert_eq!(names, BTreeSet::from(["PyPI", "供应链 攻击"]), "{stories:#?}");
    }

    #[test]
    fn an_entry_tied_by_a_word_that_says_nothing_of_the_group_is_not_in_its_story() {
        // Terms: 0 Tyrefly, 1 正式 ("officially": in no topic), 2 garden (before only), 3.. one
        // word per entry. The Django entry shares only 正式 with the first Tyrefly entry; with
        // it, the three would be a story "Tyrefly 正式".
        let shown = ["Tyrefly", "正式", "garden", "w0", "w1", "w2"];
        let window = |last: (&'static str, Vec<u32>)| {
            vec![
                ("Tyrefly 1.0 正式发布", vec![0, 1, 3]),
                ("Tyrefly 的类型收窄", vec![0, 4]),
                last,
            ]
        };
        let f = Fixture::new(
            &shown,
            &window(("Django 正式支持新模板", vec![1, 5])),
            &vec![vec![2]; 20],
        );
        let stories = f.stories(&StoryParams::default());
        assert!(
            stories
                .iter()
                .all(|s| !s.titles.iter().any(|t| t.starts_with("Django"))),
            "{stories:#?}"
        );
        // An entry holding the group's name stays in it.
        let f = Fixture::new(
            &shown,
            &window(("Tyrefly 正式支持插件", vec![0, 1, 5])),
            &vec![vec![2]; 20],
        );
        let stories = f.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        assert_eq!(stories[0].distinct, 3);
    }

    #[test]
    fn a_word_the_archive_uses_for_anything_ties_no_pair() {
        // Terms: 0 Framework, 1 garden, 2.. one word per entry. "Framework" is in 15 of the 30
        // entries before the window: a word of the archive, not of a development.
        let mut shown = vec!["Framework", "garden"];
        let words: Vec<String> = (0..3).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("Framework 甲", vec![0, 2]),
            ("Framework 乙", vec![0, 3]),
            ("Framework 丙", vec![0, 4]),
        ];
        let mut before = vec![vec![0]; 15];
        before.extend(vec![vec![1]; 15]);
        let f = Fixture::new(&shown, &window, &before);
        assert!(f.stories(&StoryParams::default()).is_empty());
        // Not a word of the archive, it ties the three (whose lift, 1.9, is then enough for a
        // story of one word).
        let generic_off = StoryParams {
            generic_share: 1.0,
            one_word_lift: 1.2,
            ..StoryParams::default()
        };
        assert_eq!(f.stories(&generic_off).len(), 1);
    }

    #[test]
    fn a_release_is_a_name_and_its_version_not_pythons() {
        let keys = |title: &str| -> Vec<String> {
            releases(&entry(1, 1, title, "https://x.dev"))
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        assert_eq!(keys("初探 Django 6.0 的后台任务"), ["django 6.0"]);
        assert_eq!(keys("用Django 6.0 写任务"), ["django 6.0"]);
        assert_eq!(
            keys("NumPy v2.1.3 and scikit-learn 1.5"),
            ["numpy 2.1", "scikit-learn 1.5"]
        );
        assert!(keys("Python 3.14 垃圾回收风波, CPython 3.15, PEP 8.1, v1.2").is_empty());
        assert!(keys("第 1 篇：Part 2").is_empty());
        let written = releases(&entry(1, 1, "Django 6.0 Tasks", "https://x.dev"));
        assert_eq!(written, [("django 6.0".to_string(), "Django 6.0".to_string())]);
    }

    #[test]
    fn a_name_says_no_word_twice_in_the_order_its_titles_write_them() {
        // Terms: 0 R1, 1 DeepSeek-R1, 2 DeepSeek, 3 复现, 4 开源, 5 garden (before only).
        let shown = ["R1", "DeepSeek-R1", "DeepSeek", "复现", "开源", "garden"];
        let all = vec![0, 1, 2, 3, 4];
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("开源复现：DeepSeek-R1", all.clone()),
            ("完全开源地复现 DeepSeek-R1", all.clone()),
            ("DeepSeek-R1 的开源复现", all),
        ];
        let f = Fixture::new(&shown, &window, &vec![vec![5]; 20]);
        let stories = f.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        // Not "R1 DeepSeek-R1 DeepSeek" / "R1 DeepSeek-R1 复现": DeepSeek-R1 holds the others.
        assert_eq!(stories[0].name, "DeepSeek-R1");
        assert_eq!(stories[0].name_zh, "开源 复现 DeepSeek-R1");
    }

    #[test]
    fn a_story_of_english_words_is_named_in_chinese_by_those_its_chinese_titles_write() {
        // Terms: 0 data, 1 Pandas, 2 DuckDB, 3 garden (before only).
        let shown = ["data", "Pandas", "DuckDB", "garden"];
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("用 DuckDB 加速 Pandas 的数据分析", vec![0, 1, 2]),
            ("Pandas 与 DuckDB：数据处理对比", vec![0, 1, 2]),
            ("从 Pandas 迁移到 DuckDB 的数据流水线", vec![0, 1, 2]),
        ];
        let mut f = Fixture::new(&shown, &window, &vec![vec![3]; 20]);
        let english = [
            "Speed up Pandas data analysis with DuckDB",
            "Pandas and DuckDB: data processing compared",
            "Moving data pipelines from Pandas to DuckDB",
        ];
        for (&r, title) in f.window.iter().zip(english) {
            f.entries[r].en_title = Some(title.to_string());
        }
        let stories = f.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        assert_eq!(stories[0].name, "Pandas data DuckDB");
        assert_eq!(stories[0].name_zh, "Pandas DuckDB");
    }

    #[test]
    fn entries_naming_one_release_are_a_story_named_by_it() {
        // Terms: 0 Django (a word of the archive: in 15 of the 30 entries before), 1 garden,
        // 2.. one word per entry.
        let mut shown = vec!["Django", "garden"];
        let words: Vec<String> = (0..4).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("Django 6.0 版本说明", vec![0, 2]),
            ("初探 Django 6.0 的后台任务", vec![0, 3]),
            ("Django 6.0 Tasks：没有 Worker 的任务框架", vec![0, 4]),
            ("Django 5.2 的一个 bug", vec![0, 5]),
        ];
        let mut before = vec![vec![0]; 15];
        before.extend(vec![vec![1]; 15]);
        let f = Fixture::new(&shown, &window, &before);
        let stories = f.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        assert_eq!(stories[0].titles.len(), 3);
        assert!(
            stories[0].titles.iter().all(|t| t.contains("6.0")),
            "{:?}",
            stories[0].titles
        );
        assert_eq!(stories[0].name, "Django 6.0");
        assert_eq!(stories[0].name_zh, "Django 6.0");
    }

    /// Entries of a word and its translation ("voice" / "语音", "Guide" / "指南"), three in the
    /// window and three before it, with the topics given; 40 filler entries before, five in
    /// each of topics 0–7.
    fn word_and_translation(topics: [u32; 6]) -> Fixture {
        // Terms: 0 语音, 1 voice, 2 filler, 3.. one word per window entry.
        let mut shown = vec!["语音", "voice", "filler"];
        let words: Vec<String> = (0..3).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let window: Vec<(&str, Vec<u32>)> = vec![
            ("如何开发一个低延迟的语音智能体", vec![0, 1, 3]),
            ("开源可自托管的平台", vec![0, 1, 4]),
            ("开源 AI 工作室", vec![0, 1, 5]),
        ];
        let mut before = vec![vec![2]; 40];
        before.extend(vec![vec![0, 1]; 3]);
        let mut f = Fixture::new(&shown, &window, &before);
        f.topics = (0..40).map(|k| Some(k / 5)).collect();
        f.topics.extend(topics[3..].iter().map(|&t| Some(t)));
        f.topics.extend(topics[..3].iter().map(|&t| Some(t)));
        f
    }

    #[test]
    fn a_word_and_its_translation_tie_a_story_when_they_name_a_subject() {
        // Gathered in one topic of their own: a subject.
        let gathered = word_and_translation([9; 6]);
        let stories = gathered.stories(&StoryParams::default());
        assert_eq!(stories.len(), 1, "{stories:#?}");
        assert_eq!(
            (stories[0].name.as_str(), stories[0].name_zh.as_str()),
            ("voice", "语音")
        );
        // Spread over six topics like any word: a word that says what kind of piece, not what
        // about (the same entries, the same words).
        let spread = word_and_translation([0, 1, 2, 3, 4, 5]);
        assert!(spread.stories(&StoryParams::default()).is_empty());
        // Without the topics nothing tells a subject.
        let mut unknown = word_and_translation([9; 6]);
        unknown.topics.clear();
        assert!(unknown.stories(&StoryParams::default()).is_empty());
    }

    #[test]
    fn a_piece_shared_twice_and_one_close_to_it_are_a_story_one_near_it_is_not() {
        // Terms: 0 Ruff, 1 garden, 2 linter, 3 rust, 4 other.
        let shown = ["Ruff", "garden", "linter", "rust", "other"];
        let story = |third: Vec<(u32, f32)>| {
            let mut f = Fixture::new(&shown, &[], &vec![vec![1]; 20]);
            for (k, (title, terms)) in [
                ("Ruff：极快的 linter", vec![(0, 1.0), (2, 1.0)]),
                ("Ruff：极快的 linter", vec![(0, 1.0), (2, 1.0)]),
                ("Ruff 的作者谈 linter", third),
            ]
            .into_iter()
            .enumerate()
            {
                let mut e = entry(100 + k as u32, 1, title, "https://github.com/a/ruff");
                if k == 2 {
                    e.url = Some("https://b.dev/interview".into());
                }
                f.entries.push(e);
                f.rows.push(row(&terms));
                f.window.push(f.rows.len() - 1);
            }
            f.stories(&StoryParams::default())
        };
        let close = story(vec![(0, 1.0), (2, 1.0), (3, 0.5)]);
        assert_eq!(close.len(), 1, "{close:#?}");
        assert_eq!((close[0].titles.len(), close[0].distinct), (3, 2));
        // Tied to the piece by the name alone, weakly: its mean with the piece's two entries is
        // below `follow_up_at`.
        let near = story(vec![(0, 0.45), (4, 1.0)]);
        assert!(near.is_empty(), "{near:#?}");
    }

    #[test]
    fn a_reshare_says_its_words_once_and_a_hyphenated_word_is_one_word() {
        // Terms: 0 ApeRAG, 1 Production-Ready, 2 production, 3 ready, 4 生产, 5 garden (before
        // only), 6 pipeline, 7.. one word per entry. A piece shared twice and two other pieces
        // that share only "production-ready" (a hyphenated word and its parts) and 生产.
        let mut shown = vec![
            "ApeRAG",
            "Production-Ready",
            "production",
            "ready",
            "生产",
            "garden",
            "pipeline",
        ];
        let words: Vec<String> = (0..3).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let group = |extra: &[u32]| {
            let mut f = Fixture::new(&shown, &[], &vec![vec![5]; 20]);
            for (k, (title, url, own)) in [
                (
                    "ApeRAG：生产级图 RAG 平台",
                    "https://github.com/a/aperag",
                    vec![0, 7],
                ),
                (
                    "ApeRAG：生产级图 RAG 平台",
                    "https://github.com/a/aperag",
                    vec![0, 7],
                ),
                ("Hunyuan：生产级 3D 模型", "https://github.com/b/hunyuan", vec![8]),
                ("keel：生产级 Django 模板", "https://github.com/c/keel", vec![9]),
            ]
            .into_iter()
            .enumerate()
            {
                f.entries.push(entry(100 + k as u32, 1, title, url));
                let terms: Vec<(u32, f32)> = [1, 2, 3, 4]
                    .iter()
                    .chain(extra)
                    .chain(&own)
                    .map(|&t| (t, 1.0))
                    .collect();
                f.rows.push(row(&terms));
                f.window.push(f.rows.len() - 1);
            }
            f.stories(&StoryParams::default())
        };
        // ApeRAG is written by two of the four entries but one of the three pieces; the English
        // words are one word: nothing says what the group is about.
        let generic = group(&[]);
        assert!(generic.is_empty(), "{generic:#?}");
        // A second word all three pieces share makes it one thing.
        let pipeline = group(&[6]);
        assert_eq!(pipeline.len(), 1, "{pipeline:#?}");
        assert_eq!(pipeline[0].distinct, 3);
        assert!(
            !pipeline[0].terms.iter().any(|t| t == "ApeRAG"),
            "{:?}",
            pipeline[0].terms
        );
    }

    #[test]
    fn a_story_of_one_word_alone_must_be_clearly_news() {
        // Terms: 0 LLM, 1 garden, 2.. one word per window entry. Three window entries share LLM
        // alone; seven more fill the window.
        let mut shown = vec!["LLM", "garden"];
        let words: Vec<String> = (0..10).map(|k| format!("word{k}")).collect();
        shown.extend(words.iter().map(String::as_str));
        let titles: Vec<String> = (0..10)
            .map(|k| {
                if k < 3 {
                    format!("LLM 的第 {k} 篇")
                } else {
                    format!("其他 {k}")
                }
            })
            .collect();
        let window: Vec<(&str, Vec<u32>)> = titles
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let own = 2 + k as u32;
                (t.as_str(), if k < 3 { vec![0, own] } else { vec![own] })
            })
            .collect();
        let stories = |llm_before: usize| {
            let mut before = vec![vec![0]; llm_before];
            before.extend(vec![vec![1]; 30 - llm_before]);
            Fixture::new(&shown, &window, &before).stories(&StoryParams::default())
        };
        // In 3 of the window's 10 entries and 5 of the 30 before: a lift of 1.55, enough for a
        // story of several shared words, not for one of one word.
        assert!(stories(5).is_empty());
        // In 1 of the 30 before: a lift of 4.65.
        let news = stories(1);
        assert_eq!(news.len(), 1, "{news:#?}");
        assert_eq!(news[0].name, "LLM");
        assert!(
            (news[0].lift - 0.3 / (2.0 / 31.0)).abs() < 1e-9,
            "{}",
            news[0].lift
        );
    }
}
