//! The season summary in the editor's shape: the span, the counts per category, the typical
//! issue ("12 + 12 + x", from the data), the shares, the comparison with the previous season
//! (counts, shares, topics grown and shrunk) and the words of the word cloud.

use std::collections::BTreeMap;

use serde::Serialize;

use rustc_hash::FxHashMap;

use super::{Inputs, Scope};
use crate::model::{Category, CategoryCounts, Entry, Issue, Lang};
use crate::tokenize::Tokenizer;
use crate::vectorize::{title_pair, FittedTfIdf, SparseVector};

/// The typical issue: the median count of articles and projects per issue, and whether other
/// categories (podcasts, videos, discussions) join them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    pub article: u32,
    pub project: u32,
    pub more: bool,
}

impl Pattern {
    /// The editor's shorthand: `12 + 12 + x`, or `12 + 12` when nothing else is shared.
    pub fn shorthand(&self) -> String {
        if self.more {
            format!("{} + {} + x", self.article, self.project)
        } else {
            format!("{} + {}", self.article, self.project)
        }
    }
}

/// A topic whose share moved between the previous window and this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicShift {
    pub id: u32,
    pub label: String,
    pub before: f64,
    pub now: f64,
}

/// The previous window (the season before, or as many issues before a range) against this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub season: Option<u32>,
    pub first_issue: u32,
    pub last_issue: u32,
    pub counts: CategoryCounts,
    pub grown: Vec<TopicShift>,
    pub shrunk: Vec<TopicShift>,
    /// This window when it is not all out yet — the latest season, its last issues still to
    /// come —: `(issues out, issues it will hold)`; its counts are compared as so far.
    pub running: Option<(u32, u32)>,
}

/// Topics listed as grown or shrunk.
const SHIFTS: usize = 5;

/// The median of `values` (the lower middle for an even count); 0 for none.
fn median(mut values: Vec<u32>) -> u32 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    values[(values.len() - 1) / 2]
}

/// The typical issue of `issues`, from their parsed counts.
pub(super) fn pattern(issues: &[&Issue]) -> Pattern {
    let of = |c: Category| median(issues.iter().map(|i| i.counts.get(c)).collect());
    Pattern {
        article: of(Category::Article),
        project: of(Category::Project),
        more: issues.iter().any(|i| {
            [
                Category::Media,
                Category::Discussion,
                Category::Book,
                Category::Other,
            ]
            .iter()
            .any(|&c| i.counts.get(c) > 0)
        }),
    }
}

/// The window just before `scope`: the previous season, or the same number of issues.
fn previous(scope: Scope) -> Option<Scope> {
    match scope {
        Scope::Season(n) if n > 1 => Some(Scope::Season(n - 1)),
        Scope::Season(_) => None,
        Scope::Issues { from, to } => {
            let length = to - from + 1;
            (from > 1).then(|| Scope::Issues {
                from: from.saturating_sub(length).max(1),
                to: from - 1,
            })
        }
    }
}

/// Each topic's share of the entries with a topic among `rows`.
fn topic_shares(inputs: &Inputs, rows: &[usize]) -> BTreeMap<u32, f64> {
    let data = &inputs.trends;
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        if let Some(t) = data.assignments[r] {
            *counts.entry(t).or_default() += 1;
        }
    }
    let total: u32 = counts.values().sum();
    counts
        .into_iter()
        .map(|(t, n)| (t, f64::from(n) / f64::from(total.max(1))))
        .collect()
}

/// The rows (entry indices) of `scope`'s live entries.
pub(super) fn rows_of(inputs: &Inputs, scope: Scope) -> Vec<usize> {
    let data = &inputs.trends;
    (0..data.entries.len())
        .filter(|&r| !data.entries[r].withdrawn && scope.contains(data.entries[r].issue))
        .collect()
}

/// The window against the one before it; `None` when the store holds no issue before it.
pub(super) fn compare(inputs: &Inputs, scope: Scope, rows: &[usize]) -> Option<Comparison> {
    let before = previous(scope)?;
    let data = &inputs.trends;
    let issues: Vec<&Issue> = data.issues.iter().filter(|i| before.contains(i.number)).collect();
    let (first, last) = (issues.first()?, issues.last()?);
    let before_rows = rows_of(inputs, before);
    let mut counts = CategoryCounts::default();
    for &r in &before_rows {
        counts.add(data.entries[r].category, 1);
    }
    let (old, new) = (topic_shares(inputs, &before_rows), topic_shares(inputs, rows));
    let mut shifts: Vec<TopicShift> = old
        .keys()
        .chain(new.keys())
        .copied()
        .collect::<std::collections::BTreeSet<u32>>()
        .into_iter()
        .map(|id| TopicShift {
            id,
            label: inputs.label(id),
            before: old.get(&id).copied().unwrap_or(0.0),
            now: new.get(&id).copied().unwrap_or(0.0),
        })
        .collect();
    shifts.sort_by(|a, b| {
        (b.now - b.before)
            .total_cmp(&(a.now - a.before))
            .then(a.id.cmp(&b.id))
    });
    let grown: Vec<TopicShift> = shifts
        .iter()
        .filter(|s| s.now > s.before)
        .take(SHIFTS)
        .cloned()
        .collect();
    let shrunk: Vec<TopicShift> = shifts
        .iter()
        .rev()
        .filter(|s| s.now < s.before)
        .take(SHIFTS)
        .cloned()
        .collect();
    Some(Comparison {
        season: match before {
            Scope::Season(n) => Some(n),
            Scope::Issues { .. } => None,
        },
        first_issue: first.number,
        last_issue: last.number,
        counts,
        grown,
        shrunk,
        running: running(&data.issues.iter().map(|i| i.number).collect::<Vec<_>>(), scope),
    })
}

/// Whether `scope` is still coming out: its last issue is not out yet and nothing later is, so
/// that its counts are a part of a window's (`(issues out, issues it will hold)`). A window whose
/// last issue is out is whole, whatever numbers it skips.
fn running(numbers: &[u32], scope: Scope) -> Option<(u32, u32)> {
    let out = numbers.iter().filter(|&&n| scope.contains(n)).count();
    let latest = numbers.iter().copied().max()?;
    (out > 0 && latest < scope.last()).then(|| {
        let out = u32::try_from(out).unwrap_or(u32::MAX);
        (out, scope.last() - scope.first() + 1)
    })
}

/// Filler the tokenizer keeps (it may carry meaning in a query) but a cloud does not want.
const FILLER: &[&str] = &[
    "是否",
    "没有",
    "可能",
    "即可",
    "两个",
    "几个",
    "一份",
    "一步",
    "最后",
    "当前",
    "如何",
    "不会",
    "直接",
    "部分",
    "认为",
    "通过",
    "什么",
    "为什么",
    "以及",
    "需要",
    "一个",
    "一些",
    "这个",
    "这些",
    "那些",
    "其中",
    "之后",
    "之前",
    "还是",
    "如果",
    "因为",
    "所以",
    "但是",
    "而且",
    "或者",
    "已经",
    "多个",
    "时间",
    "问题",
    "方法",
    "方式",
    "进行",
    "可以",
    "现在",
    "非常",
    "很多",
    "更多",
    "大家",
];

/// Whether a word says something in a cloud: not a number, not a single letter or character,
/// not filler.
fn worth_showing(word: &str) -> bool {
    if FILLER.contains(&word) {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let cjk = word.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    letters >= 2 || (cjk && word.chars().count() >= 2)
}

/// The fewest entries that must pair two terms for them to count as one word in two languages.
const PAIR_MIN: u32 = 3;
/// How much of both terms' entries the pair must cover (Dice's coefficient).
const PAIR_DICE: f64 = 0.5;

/// Each titled entry's terms in its two titles, read from the store's translation rows
/// ([`TitleTerms::from_rows`]) or tokenised once ([`TitleTerms::of`]): what the translation pairs
/// of a window are counted from ([`TitleTerms::pairs_through`]).
pub struct TitleTerms<'a> {
    titles: Titles<'a>,
}

enum Titles<'a> {
    /// For each live entry with an English title, in archive order: its issue, the Chinese terms
    /// of its title and the English terms of its translated title
    /// ([`crate::vectorize::title_pair`]).
    Tokenised(Vec<(u32, Vec<u32>, Vec<u32>)>),
    /// The entries (in archive order) and their stored translation rows, split into the two
    /// titles' terms as the pairs are counted: a million titles' terms are not held twice.
    Stored {
        entries: &'a [Entry],
        rows: &'a [SparseVector],
    },
}

impl<'a> TitleTerms<'a> {
    /// The titles' terms of `entries` (in archive order), tokenised: the Chinese terms of each
    /// title, and the English terms of its translation that are not in the title itself.
    pub fn of(entries: &[Entry], vocabulary: &FittedTfIdf) -> TitleTerms<'static> {
        use rayon::prelude::*;
        let tokenizer = Tokenizer::shared();
        let docs = entries
            .par_iter()
            .filter(|e| !e.withdrawn)
            .filter_map(|e| {
                let en = e.en_title.as_ref()?;
                let (mut zh_buf, mut en_buf) = (Vec::new(), Vec::new());
                tokenizer.plain_terms_into(&e.title, &mut zh_buf);
                tokenizer.plain_terms_into(en, &mut en_buf);
                let (zh, en) = title_pair(&zh_buf, &en_buf, vocabulary);
                Some((e.issue, zh, en))
            })
            .collect();
        TitleTerms {
            titles: Titles::Tokenised(docs),
        }
    }

    /// The titles' terms of `entries` from their stored translation rows
    /// ([`crate::vectorize::translation_row`], one per entry, in the same order): what
    /// [`TitleTerms::of`] gives, without tokenising (the rows are split when the pairs are
    /// counted).
    pub fn from_rows(entries: &'a [Entry], rows: &'a [SparseVector]) -> TitleTerms<'a> {
        TitleTerms {
            titles: Titles::Stored { entries, rows },
        }
    }

    /// Calls `f` with the issue and the two titles' terms of each live entry with an English
    /// title of the issues up to `last`, in archive order.
    fn each(&self, last: u32, mut f: impl FnMut(u32, &[u32], &[u32])) {
        match &self.titles {
            Titles::Tokenised(docs) => {
                for (issue, zh, en) in docs.iter().take_while(|d| d.0 <= last) {
                    f(*issue, zh, en);
                }
            }
            Titles::Stored { entries, rows } => {
                let (mut zh, mut en) = (Vec::new(), Vec::new());
                for (e, row) in entries.iter().zip(*rows).take_while(|(e, _)| e.issue <= last) {
                    if e.withdrawn || e.en_title.is_none() {
                        continue;
                    }
                    crate::vectorize::title_pair_into(row, &mut zh, &mut en);
                    f(e.issue, &zh, &en);
                }
            }
        }
    }

    /// Every titled entry's issue and terms, as [`TitleTerms::of`] holds them.
    #[cfg(test)]
    pub(super) fn docs(&self) -> Vec<(u32, Vec<u32>, Vec<u32>)> {
        let mut docs = Vec::new();
        self.each(u32::MAX, |issue, zh, en| {
            docs.push((issue, zh.to_vec(), en.to_vec()))
        });
        docs
    }

    /// Translation pairs from the titles of the issues up to `last` and their English
    /// translations: an English term of the translated titles and a Chinese term of the titles
    /// that go together — each the other's best match by Dice's coefficient over the entries, in
    /// at least [`PAIR_MIN`] of them, covering at least half of both. Returns English term →
    /// Chinese term. Counted up to the window's end, so a window's report does not change when
    /// later issues are added.
    pub fn pairs_through(&self, last: u32) -> BTreeMap<u32, u32> {
        pair_terms_of(|f| self.each(last, |_, zh, en| f(zh, en)))
    }
}

/// [`pair_terms_of`] of `docs`, each entry's Chinese and English term ids.
#[cfg(test)]
fn pair_terms<'d>(docs: impl Iterator<Item = (&'d [u32], &'d [u32])> + Clone) -> BTreeMap<u32, u32> {
    pair_terms_of(|f| {
        for (zh, en) in docs.clone() {
            f(zh, en);
        }
    })
}

/// The core of [`TitleTerms::pairs_through`]: the translation pairs of the documents (each
/// entry's Chinese and English term ids) `docs` calls its argument with (twice: once to count the
/// terms, once the pairs).
fn pair_terms_of(docs: impl Fn(&mut dyn FnMut(&[u32], &[u32]))) -> BTreeMap<u32, u32> {
    // The terms counted by id (dense: ids are the vocabulary's), the pairs in a hash map (a
    // million titles hold tens of millions of them); the best partners are then chosen as a
    // walk in (Chinese, English) order would choose them.
    let (mut zh_n, mut en_n): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    let bump = |n: &mut Vec<u32>, t: u32| {
        let t = t as usize;
        if t >= n.len() {
            n.resize(t + 1, 0);
        }
        n[t] += 1;
    };
    docs(&mut |zh, en| {
        for &z in zh {
            bump(&mut zh_n, z);
        }
        for &e in en {
            bump(&mut en_n, e);
        }
    });
    let count = |n: &[u32], t: u32| n.get(t as usize).copied().unwrap_or(0);
    // A pair is in no more entries than either of its terms: the pairs of a term in fewer than
    // PAIR_MIN entries are never counted (they could not be kept), which spares most of the
    // pairs of a million titles and none that is kept.
    let dice_of = |n: u32, zh: u32, en: u32| 2.0 * f64::from(n) / f64::from(zh + en);
    let dice = |z: u32, e: u32, n: u32| dice_of(n, count(&zh_n, z), count(&en_n, e));
    let mut both: FxHashMap<u64, u32> = FxHashMap::default();
    let (mut zh_often, mut en_often) = (Vec::new(), Vec::new());
    docs(&mut |zh, en| {
        zh_often.clear();
        zh_often.extend(
            zh.iter()
                .map(|&z| (z, count(&zh_n, z)))
                .filter(|&(_, n)| n >= PAIR_MIN),
        );
        en_often.clear();
        en_often.extend(
            en.iter()
                .map(|&e| (e, count(&en_n, e)))
                .filter(|&(_, n)| n >= PAIR_MIN),
        );
        for &(e, en) in &en_often {
            for &(z, zh) in &zh_often {
                // Nor are the pairs of two terms whose Dice could not reach PAIR_DICE even if
                // every entry of the rarer held the other (one term in more than three times
                // the other's entries): never kept, they cannot be a kept term's best partner
                // either, since that partner's Dice is at least PAIR_DICE too. (Dice grows
                // with the pair's count, which is at most the rarer term's.)
                if dice_of(zh.min(en), zh, en) >= PAIR_DICE {
                    *both.entry(u64::from(z) << 32 | u64::from(e)).or_default() += 1;
                }
            }
        }
    });
    // Each term's best partner, ties by the smaller id.
    let mut best_en: FxHashMap<u32, (f64, u32)> = FxHashMap::default();
    let mut best_zh: FxHashMap<u32, (f64, u32)> = FxHashMap::default();
    let better = |d: f64, id: u32, slot: Option<&(f64, u32)>| {
        slot.is_none_or(|&(b, other)| d > b || (d == b && id < other))
    };
    for (&pair, &n) in &both {
        if n < PAIR_MIN {
            continue;
        }
        let (z, e) = ((pair >> 32) as u32, pair as u32);
        let d = dice(z, e, n);
        if better(d, z, best_zh.get(&e)) {
            best_zh.insert(e, (d, z));
        }
        if better(d, e, best_en.get(&z)) {
            best_en.insert(z, (d, e));
        }
    }
    best_zh
        .into_iter()
        .filter(|&(e, (d, z))| d >= PAIR_DICE && best_en.get(&z).is_some_and(|&(_, back)| back == e))
        .map(|(e, (_, z))| (e, z))
        .collect()
}

/// The fewest entries a word of the cloud appears in (the editor keeps words seen more than 5
/// times in a season; a small window keeps words seen twice).
const CLOUD_MIN: u32 = 2;

/// The cloud's words: each term of the window's titles and descriptions (both as the archive
/// writes them: the Chinese side, or in English the translation's where there is one), weighted
/// by its occurrences, shown as the archive writes it. Stop words are out (the tokenizer drops
/// them), numbers and single characters too; technical tokens (`Python 3.12`, `PEP-701`,
/// `GPT-4`) stay whole, as the tokenizer keeps them, and a hyphenated word is one word (not also
/// its parts: `open-source` is no `open` and `source`). An English cloud holds no Chinese word.
/// `pairs` are the window's translation pairs ([`TitleTerms::pairs_through`] its last issue).
pub(super) fn cloud_words(
    inputs: &Inputs,
    rows: &[usize],
    lang: Lang,
    pairs: &BTreeMap<u32, u32>,
) -> Vec<(String, f64)> {
    let data = &inputs.trends;
    let tokenizer = Tokenizer::shared();
    let mut occurrences: BTreeMap<u32, u32> = BTreeMap::new();
    let mut terms = Vec::new();
    for &r in rows {
        let e = &data.entries[r];
        let (title, description) = match (lang, &e.en_title) {
            (Lang::En, Some(title)) => (title, e.en_description.as_ref().unwrap_or(&e.description)),
            _ => (&e.title, &e.description),
        };
        terms.clear();
        tokenizer.plain_words_into(title, &mut terms);
        tokenizer.plain_words_into(description, &mut terms);
        for (t, n) in inputs.vocabulary.counts(&terms) {
            *occurrences.entry(t).or_default() += n;
        }
    }
    // One word in two languages is one word: the pair's counts go to the more frequent of the
    // two (in English, to the English word), shown as the archive writes it.
    for (&en, &zh) in pairs {
        if let (Some(&a), Some(&b)) = (occurrences.get(&en), occurrences.get(&zh)) {
            let (keep, drop) = if a > b || lang == Lang::En {
                (en, zh)
            } else {
                (zh, en)
            };
            occurrences.remove(&drop);
            occurrences.insert(keep, a + b);
        }
    }
    let shown = inputs.vocabulary.shown();
    let mut words: Vec<(String, f64)> = occurrences
        .into_iter()
        .filter(|&(_, n)| n >= CLOUD_MIN)
        .filter_map(|(t, n)| {
            let word = shown.get(t as usize)?;
            let chinese = lang == Lang::En && crate::parse::markdown::has_cjk(word);
            (worth_showing(word) && !chinese).then(|| (word.clone(), f64::from(n)))
        })
        .collect();
    words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    words.truncate(crate::chart::wordcloud::MAX_WORDS);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_issue_makes_the_pattern() {
        assert_eq!(median(vec![12, 11, 13, 12, 30]), 12);
        assert_eq!(median(vec![10, 12]), 10);
        assert_eq!(median(Vec::new()), 0);
        let p = Pattern {
            article: 12,
            project: 12,
            more: true,
        };
        assert_eq!(p.shorthand(), "12 + 12 + x");
    }

    #[test]
    fn a_window_whose_last_issue_is_not_out_is_running() {
        let season = Scope::Season(6);
        // The latest season, 9 of its 30 issues out.
        let latest: Vec<u32> = (140..=159).collect();
        assert_eq!(running(&latest, season), Some((9, 30)));
        // Its last issue out, or a later one: whole, whatever numbers it skips.
        let whole: Vec<u32> = (140..=180).filter(|n| n % 7 != 0).collect();
        assert_eq!(running(&whole, season), None);
        assert_eq!(running(&[150, 155, 181], season), None);
        let range = Scope::Issues { from: 151, to: 160 };
        assert_eq!(running(&latest, range), Some((9, 10)));
        assert_eq!(running(&[1, 2], season), None);
    }

    #[test]
    fn the_previous_window_is_the_season_or_range_before() {
        assert_eq!(previous(Scope::Season(3)), Some(Scope::Season(2)));
        assert_eq!(previous(Scope::Season(1)), None);
        assert_eq!(
            previous(Scope::Issues { from: 11, to: 20 }),
            Some(Scope::Issues { from: 1, to: 10 })
        );
        assert_eq!(
            previous(Scope::Issues { from: 5, to: 20 }),
            Some(Scope::Issues { from: 1, to: 4 })
        );
        assert_eq!(previous(Scope::Issues { from: 1, to: 20 }), None);
    }

    #[test]
    fn translation_pairs_are_mutual_frequent_and_cover_both_terms() {
        // 1 = 智能体, 2 = 工具, 10 = agent, 11 = tool, 12 = python (in every English title).
        let mut docs = Vec::new();
        for _ in 0..4 {
            docs.push((vec![1], vec![10, 12]));
            docs.push((vec![2], vec![11, 12]));
        }
        docs.push((vec![1, 2], vec![12]));
        let pairs = pair_terms(docs.iter().map(|(z, e)| (z.as_slice(), e.as_slice())));
        assert_eq!(pairs.get(&10), Some(&1));
        assert_eq!(pairs.get(&11), Some(&2));
        assert_eq!(pairs.get(&12), None, "a word of every title pairs with nothing");
        // Seen together twice only: not enough.
        let few = [(vec![1], vec![10]), (vec![1], vec![10])];
        assert!(pair_terms(few.iter().map(|(z, e)| (z.as_slice(), e.as_slice()))).is_empty());
    }

    #[test]
    fn translation_pairs_count_the_titles_up_to_the_windows_end() {
        // 智能体 (1) goes with agent (10) in issues 1–3, with tool (11) in issues 4–9.
        let mut docs = Vec::new();
        for issue in 1..=3 {
            docs.push((issue, vec![1], vec![10]));
        }
        for issue in 4..=9 {
            docs.push((issue, vec![1], vec![11]));
        }
        let terms = TitleTerms {
            titles: Titles::Tokenised(docs),
        };
        assert_eq!(terms.pairs_through(3).get(&10), Some(&1));
        assert_eq!(terms.pairs_through(2), BTreeMap::new(), "two entries are too few");
        let all = terms.pairs_through(9);
        assert_eq!(all.get(&11), Some(&1));
        assert_eq!(all.get(&10), None, "tool is 智能体's best match over all nine");
    }

    #[test]
    fn translation_pairs_are_those_of_every_pair_counted() {
        // Frequent terms that go together and rare ones (some in fewer than PAIR_MIN titles):
        // the pairs are those of counting every pair of every title (a term seen in fewer
        // titles than PAIR_MIN is not paired), whatever the counting spares.
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as u32
        };
        let mut docs: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for _ in 0..400 {
            let group = next() % 6;
            let mut zh = Vec::new();
            for _ in 0..1 + next() % 3 {
                zh.push(if next() % 4 != 0 {
                    group * 3 + next() % 3
                } else {
                    20 + next() % 60
                });
            }
            let mut en: Vec<u32> = zh.iter().filter(|_| next() % 5 != 0).map(|z| 100 + z).collect();
            if next() % 2 != 0 {
                en.push(200 + next() % 80);
            }
            docs.push((zh, en));
        }
        let (mut zh_n, mut en_n, mut both) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        for (zh, en) in &docs {
            for &z in zh {
                *zh_n.entry(z).or_insert(0u32) += 1;
            }
            for &e in en {
                *en_n.entry(e).or_insert(0u32) += 1;
                for &z in zh {
                    *both.entry((z, e)).or_insert(0u32) += 1;
                }
            }
        }
        // Each term's best partner: (Dice, partner).
        type Best = BTreeMap<u32, (f64, u32)>;
        let (mut best_zh, mut best_en): (Best, Best) = (BTreeMap::new(), BTreeMap::new());
        for (&(z, e), &n) in &both {
            if n < PAIR_MIN {
                continue;
            }
            let d = 2.0 * f64::from(n) / f64::from(zh_n[&z] + en_n[&e]);
            if best_zh.get(&e).is_none_or(|&(b, o)| d > b || (d == b && z < o)) {
                best_zh.insert(e, (d, z));
            }
            if best_en.get(&z).is_none_or(|&(b, o)| d > b || (d == b && e < o)) {
                best_en.insert(z, (d, e));
            }
        }
        let want: BTreeMap<u32, u32> = best_zh
            .into_iter()
            .filter(|&(e, (d, z))| d >= PAIR_DICE && best_en[&z].1 == e)
            .map(|(e, (_, z))| (e, z))
            .collect();
        assert!(want.len() > 20, "{} pairs", want.len());
        assert_eq!(
            pair_terms(docs.iter().map(|(z, e)| (z.as_slice(), e.as_slice()))),
            want
        );
    }

    #[test]
    fn numbers_and_single_characters_are_not_cloud_words() {
        assert!(!worth_showing("2024"));
        assert!(!worth_showing("a"));
        assert!(!worth_showing("库"));
        assert!(!worth_showing("是否"));
        assert!(worth_showing("智能体"));
        assert!(worth_showing("Python 3.12"));
        assert!(worth_showing("GPT-4"));
    }
}
