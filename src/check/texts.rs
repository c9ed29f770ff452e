//! How alike two entries' texts are, as `check` compares them: each text's terms weighted as
//! TF-IDF weighs them (a name the vocabulary lacks at the highest weight), like with like —
//! Chinese with Chinese, English with English, a title-only entry by its title — and what two
//! texts say besides a project's name.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::MIN_SHARED_TERMS;
use crate::identity::fold_name;
use crate::model::Entry;
use crate::tokenize::Tokenizer;
use crate::vectorize::FittedTfIdf;

/// A project name that is a word of at least this many entries is a common word.
const COMMON_NAME_DF: u32 = 5;
/// Two texts sharing only two terms are one when they are this similar: nothing else in either.
const SAME_SHORT_TEXT: f32 = 0.95;

/// Whether a folded name is one word that [`COMMON_NAME_DF`] or more entries use.
pub(super) fn common_word(tokenizer: &Tokenizer, vocabulary: &FittedTfIdf, name: &str) -> bool {
    let mut terms = Vec::new();
    tokenizer.plain_terms_into(name, &mut terms);
    match terms.as_slice() {
        [term] => vocabulary
            .term_index(term)
            .is_some_and(|i| vocabulary.df()[i as usize] >= COMMON_NAME_DF),
        _ => false,
    }
}

/// A text's terms weighted as TF-IDF weighs them, names the vocabulary does not hold included
/// (at the highest weight: a name seen nowhere else tells two texts apart), unit length, sorted
/// by term; and the text's words as written (lower case), stop words included.
#[derive(Debug, Clone, Default)]
struct Bag {
    terms: Vec<(String, f32)>,
    words: BTreeSet<String>,
}

/// Two texts sharing only two terms must also share this part of their words as written
/// (Jaccard, stop words included): "How LLMs Actually Work" twice, not "Don't call dunder
/// methods" and "Every dunder method in Python".
const SAME_SHORT_WORDS: f32 = 0.5;

/// What weighs a text's terms for the like-with-like comparisons: the tokenizer, the vocabulary,
/// and the weight of a term the vocabulary does not hold, its largest idf — a pass over the whole
/// vocabulary (hundreds of thousands of terms at scale), so taken once for all the texts one
/// check weighs.
#[derive(Clone, Copy)]
pub(super) struct Weigher<'a> {
    tokenizer: &'a Tokenizer,
    vocabulary: &'a FittedTfIdf,
    rare: f32,
}

impl<'a> Weigher<'a> {
    pub(super) fn new(tokenizer: &'a Tokenizer, vocabulary: &'a FittedTfIdf) -> Weigher<'a> {
        let rare = vocabulary.idf().iter().copied().fold(1.0f32, f32::max);
        Weigher {
            tokenizer,
            vocabulary,
            rare,
        }
    }

    /// The bag of `parts` together.
    fn bag(&self, parts: &[&str]) -> Bag {
        let Weigher {
            tokenizer,
            vocabulary,
            rare,
        } = *self;
        let mut terms = Vec::new();
        let mut words = BTreeSet::new();
        for part in parts {
            tokenizer.plain_terms_into(part, &mut terms);
            words.extend(written_words(part));
        }
        terms.sort_unstable();
        let mut bag: Vec<(String, f32)> = Vec::new();
        for term in terms {
            match bag.last_mut() {
                Some((last, n)) if *last == term => *n += 1.0,
                _ => bag.push((term, 1.0)),
            }
        }
        for (term, w) in &mut bag {
            let idf = vocabulary
                .term_index(term)
                .map_or(rare, |i| vocabulary.idf()[i as usize]);
            *w = (1.0 + w.ln()) * idf;
        }
        Bag::normalized(bag, words)
    }

    /// The texts of an entry: title only, or title and description, in each language it has.
    pub(super) fn texts(&self, title_only: bool, zh: (&str, &str), en: Option<(&str, &str)>) -> Texts {
        let side = |(title, description): (&str, &str)| {
            if title_only {
                self.bag(&[title])
            } else {
                self.bag(&[title, description])
            }
        };
        Texts {
            zh: side(zh),
            en: en.filter(|(t, _)| !t.trim().is_empty()).map(side),
            years: YEAR.find_iter(zh.0).map(|m| m.as_str().to_string()).collect(),
            english_only: false,
        }
    }

    /// The texts of an English draft entry (the translation's file): compared with the earlier
    /// entries' translations alone, none of their Chinese.
    pub(super) fn english_texts(&self, title_only: bool, en: (&str, &str)) -> Texts {
        let texts = self.texts(title_only, en, None);
        Texts {
            zh: Bag::default(),
            en: Some(texts.zh),
            years: texts.years,
            english_only: true,
        }
    }

    /// A stored entry's texts: its Chinese title and description, its translation's where it has
    /// one.
    pub(super) fn entry_texts(&self, title_only: bool, e: &Entry) -> Texts {
        let en = e
            .en_title
            .as_deref()
            .map(|t| (t, e.en_description.as_deref().unwrap_or("")));
        self.texts(title_only, (&e.title, &e.description), en)
    }
}

/// The words of `text` as written, lower case, stop words included: its runs of letters and
/// digits, and in Chinese, which writes no spaces, each pair of neighbouring characters (a lone
/// character alone): "Python 自由线程的使用指南" and "自由线程 Python 的使用指南" share most of
/// theirs, where as runs they would share `python` alone.
fn written_words(text: &str) -> impl Iterator<Item = String> + '_ {
    use crate::parse::markdown::is_cjk;
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|word| {
            let chars: Vec<char> = word.to_lowercase().chars().collect();
            let mut out = Vec::new();
            let mut start = 0;
            while start < chars.len() {
                let cjk = is_cjk(chars[start]);
                let end = chars[start..]
                    .iter()
                    .position(|&c| is_cjk(c) != cjk)
                    .map_or(chars.len(), |n| start + n);
                let run = &chars[start..end];
                if cjk && run.len() > 1 {
                    out.extend(run.windows(2).map(|pair| pair.iter().collect::<String>()));
                } else {
                    out.push(run.iter().collect::<String>());
                }
                start = end;
            }
            out
        })
}

impl Bag {
    fn normalized(mut terms: Vec<(String, f32)>, words: BTreeSet<String>) -> Bag {
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut terms {
                *w /= norm;
            }
        }
        Bag { terms, words }
    }

    /// The cosine of two bags, when they share terms of at least [`MIN_SHARED_TERMS`] words (0
    /// otherwise).
    fn similarity(&self, other: &Bag) -> f32 {
        let (cosine, _) = self.cosine(other);
        match self.shared_words(other) {
            shared if shared >= MIN_SHARED_TERMS => cosine,
            // Two short texts of the same two words and nothing else ("How LLMs Actually Work"),
            // their words as written alike too.
            2 if cosine >= SAME_SHORT_TEXT && self.same_words(other) >= SAME_SHORT_WORDS => cosine,
            _ => 0.0,
        }
    }

    /// How many words the terms both bags hold come from: a hyphenated word's parts beside it
    /// (`free` and `thread` of `free-thread`) and a name's base beside the name with its number
    /// (`httpx` of `httpx2`) are that one word, as the tokenizer made them of it. "Getting
    /// extensions to work with free-threaded Python" and "The first year of free-threaded
    /// Python" share one word, not three terms.
    fn shared_words(&self, other: &Bag) -> usize {
        let shared: Vec<&str> = self
            .terms
            .iter()
            .map(|(t, _)| t.as_str())
            .filter(|t| other.terms.binary_search_by(|(o, _)| o.as_str().cmp(t)).is_ok())
            .collect();
        let part_of = |part: &str, word: &str| {
            part != word
                && (word.split('-').any(|p| p == part)
                    || word
                        .strip_prefix(part)
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
        };
        shared
            .iter()
            .filter(|&&t| !shared.iter().any(|&w| part_of(t, w)))
            .count()
    }

    /// Every term of `other` is in this bag, and this bag has more.
    fn holds_more_than(&self, other: &Bag) -> bool {
        let (_, shared) = self.cosine(other);
        shared == other.terms.len() && self.terms.len() > shared
    }

    /// The share of words as written the two texts have in common (Jaccard).
    fn same_words(&self, other: &Bag) -> f32 {
        let union = self.words.union(&other.words).count();
        if union == 0 {
            return 0.0;
        }
        self.words.intersection(&other.words).count() as f32 / union as f32
    }

    /// The bag without the terms a project's (folded) name is made of, unit length again: what
    /// a text says besides the name.
    fn without_name(&self, name: &str) -> Bag {
        let terms = self
            .terms
            .iter()
            .filter(|(t, _)| {
                let folded = fold_name(t);
                let part = folded.chars().count() >= 3 && folded.is_ascii() && name.contains(folded.as_str());
                !(folded == name || part)
            })
            .cloned()
            .collect();
        Bag::normalized(terms, BTreeSet::new())
    }

    /// The cosine of two bags and the number of terms they share.
    fn cosine(&self, other: &Bag) -> (f32, usize) {
        let (a, b) = (&self.terms, &other.terms);
        let (mut i, mut j, mut shared, mut dot) = (0, 0, 0, 0.0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (dot.min(1.0), shared)
    }
}

/// The texts of one side compared like with like: Chinese, and English when there is some; a
/// title-only entry by its titles.
pub(super) struct Texts {
    zh: Bag,
    en: Option<Bag>,
    years: BTreeSet<String>,
    /// An English draft's texts: no Chinese to compare.
    english_only: bool,
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").expect("valid regex"));

impl Texts {
    /// The best like-with-like cosine of what two texts say besides the name `name`.
    pub(super) fn besides_name(&self, other: &Texts, name: &str) -> f32 {
        let en = match (&self.en, &other.en) {
            (Some(a), Some(b)) => a.without_name(name).cosine(&b.without_name(name)).0,
            _ => 0.0,
        };
        self.zh
            .without_name(name)
            .cosine(&other.zh.without_name(name))
            .0
            .max(en)
    }

    /// The like-with-like cosine that tells whether two texts are near duplicates, and whether
    /// it is the English texts': the Chinese texts' where they alone are near duplicates (what a
    /// reader of the Chinese titles sees measured), else the better of the two — the English
    /// where two titles in other Chinese words were translated alike.
    pub(super) fn similarity(&self, other: &Texts) -> (f32, bool) {
        let en = match (&self.en, &other.en) {
            (Some(a), Some(b)) => a.similarity(b),
            _ => 0.0,
        };
        let zh = self.zh.similarity(&other.zh);
        // Whether the two are near duplicates is as before, when the better of the two cosines
        // was taken: the score reaches NEAR_DUPLICATE exactly when max(zh, en) does.
        if zh >= super::NEAR_DUPLICATE || zh >= en {
            (zh, false)
        } else {
            (en, true)
        }
    }

    /// This text holds every term of `other` and more, in Chinese and in English when both
    /// have a translation: it tells of the same thing and adds to it (a PEP accepted, why it was
    /// proposed), where a piece shared again is written with other words, not more of them.
    pub(super) fn says_more(&self, other: &Texts) -> bool {
        let en = match (&self.en, &other.en) {
            (Some(a), Some(b)) => a.holds_more_than(b),
            // An English draft says more only in English, and the earlier entry must have some.
            _ => !self.english_only,
        };
        (self.english_only || self.zh.holds_more_than(&other.zh)) && en
    }

    /// Both titles name a year, and not the same: two editions of a yearly thing.
    pub(super) fn other_year(&self, other: &Texts) -> bool {
        !self.years.is_empty() && !other.years.is_empty() && self.years.is_disjoint(&other.years)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::NEAR_DUPLICATE;

    fn vocabulary() -> FittedTfIdf {
        let terms: Vec<String> = ["python", "回顾", "异步", "管道", "生成器", "串联"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let df = vec![50, 10, 5, 5, 5, 5];
        FittedTfIdf::from_parts(crate::vectorize::TfIdfParams::default(), 100, terms, df)
    }

    fn bag(terms: &[&str]) -> Bag {
        let v = vocabulary();
        let mut bag: Vec<(String, f32)> = terms
            .iter()
            .map(|t| {
                let idf = v.term_index(t).map_or(10.0, |i| v.idf()[i as usize]);
                (t.to_string(), idf)
            })
            .collect();
        bag.sort_by(|a, b| a.0.cmp(&b.0));
        let words = bag.iter().map(|(t, _)| t.clone()).collect();
        Bag::normalized(bag, words)
    }

    #[test]
    fn two_shared_words_are_not_a_near_duplicate() {
        // "Python Unplugged on PyTV 回顾" and "回顾 Python Pescara 的 2025 年": two words shared.
        let a = bag(&["python", "回顾", "unplugged", "pytv"]);
        let b = bag(&["回顾", "python", "pescara", "2025"]);
        assert_eq!(a.similarity(&b), 0.0);
        // The same two words and nothing else are the same short title.
        assert!(bag(&["python", "回顾"]).similarity(&bag(&["python", "回顾"])) > 0.99);
        let three = bag(&["异步", "管道", "生成器"]);
        assert!((three.similarity(&three) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn a_name_the_vocabulary_lacks_still_tells_texts_apart() {
        let v = vocabulary();
        let tokenizer = Tokenizer::shared();
        let weigher = Weigher::new(tokenizer, &v);
        let a = weigher.bag(&["neuralagent 异步 管道 生成器"]);
        let b = weigher.bag(&["newelle 异步 管道 生成器"]);
        let same = weigher.bag(&["newelle 异步 管道 生成器"]);
        assert!(a.similarity(&b) < NEAR_DUPLICATE, "{}", a.similarity(&b));
        assert!(same.similarity(&b) > 0.99);
    }

    #[test]
    fn a_title_that_adds_to_another_says_more() {
        let v = vocabulary();
        let weigher = Weigher::new(Tokenizer::shared(), &v);
        let first = weigher.texts(true, ("异步 管道 生成器", ""), Some(("async pipes", "")));
        let news = weigher.texts(true, ("异步 管道 生成器 串联", ""), None);
        let reworded = weigher.texts(true, ("异步 生成器 串联", ""), None);
        assert!(news.says_more(&first));
        // Not the other way, not the same text, not other words.
        assert!(!first.says_more(&news));
        assert!(!first.says_more(&first));
        assert!(!reworded.says_more(&first));
        // Where both have English, it must say more too.
        let same_en = weigher.texts(true, ("异步 管道 生成器 串联", ""), Some(("async pipes", "")));
        let more_en = weigher.texts(
            true,
            ("异步 管道 生成器 串联", ""),
            Some(("async pipes chained", "")),
        );
        assert!(!same_en.says_more(&first));
        assert!(more_en.says_more(&first));
    }

    #[test]
    fn like_is_compared_with_like() {
        let v = vocabulary();
        let tokenizer = Tokenizer::shared();
        let weigher = Weigher::new(tokenizer, &v);
        let zh_only = weigher.texts(true, ("异步 管道 生成器", ""), None);
        let zh = weigher.texts(true, ("异步 管道 生成器", "python 回顾"), Some(("pipes", "")));
        // Title-only: the description is not read, so the two match, by their Chinese.
        let (score, by_translation) = zh_only.similarity(&zh);
        assert!(score > 0.99 && !by_translation, "{score}");
        // Other Chinese words translated alike: the translations decide, and say so.
        let a = weigher.texts(true, ("异步 管道", ""), Some(("async pipes", "")));
        let b = weigher.texts(true, ("生成器 串联", ""), Some(("async pipes", "")));
        let (score, by_translation) = a.similarity(&b);
        assert!(score > 0.99 && by_translation, "{score}");
        // Chinese texts near duplicates on their own are measured by their own cosine, though
        // their translations are more alike.
        let c = weigher.texts(true, ("异步 管道 生成器", ""), Some(("async pipes", "")));
        let d = weigher.texts(true, ("异步 管道 生成器 串联", ""), Some(("async pipes", "")));
        let (score, by_translation) = c.similarity(&d);
        assert!(
            (NEAR_DUPLICATE..0.99).contains(&score) && !by_translation,
            "{score}"
        );
        // English only where both sides have it; a year apart is another edition.
        let y2024 = weigher.texts(true, ("2024 异步 管道 生成器", ""), None);
        let y2025 = weigher.texts(true, ("2025 异步 管道 生成器", ""), None);
        assert!(y2024.other_year(&y2025));
        assert!(!y2024.other_year(&zh_only));
    }

    #[test]
    fn two_shared_terms_need_the_same_words_as_written() {
        let v = vocabulary();
        let tokenizer = Tokenizer::shared();
        let weigher = Weigher::new(tokenizer, &v);
        // The same two terms after stop words, but other words around them.
        let a = weigher.bag(&["Don't call dunder methods"]);
        let b = weigher.bag(&["Every dunder method in Python"]);
        assert_eq!(a.cosine(&b).1, 2, "{a:?} {b:?}");
        assert_eq!(a.similarity(&b), 0.0);
        // One title twice, or nearly: the same short text.
        let c = weigher.bag(&["How LLMs Actually Work"]);
        let d = weigher.bag(&["How LLMs actually work"]);
        assert!(c.similarity(&d) > 0.99);
    }

    #[test]
    fn chinese_words_as_written_are_read_by_character_pairs() {
        let words: Vec<String> = written_words("Python 自由线程的指南").collect();
        assert_eq!(words, ["python", "自由", "由线", "线程", "程的", "的指", "指南"]);
        assert_eq!(
            written_words("用 uv管理").collect::<Vec<_>>(),
            ["用", "uv", "管理"]
        );
        // Two short titles of the same two terms, the words around them moved: one text.
        let v = vocabulary();
        let weigher = Weigher::new(Tokenizer::shared(), &v);
        let a = weigher.bag(&["自由线程 Python 的使用指南"]);
        let b = weigher.bag(&["Python 自由线程的使用指南"]);
        assert!(a.same_words(&b) >= SAME_SHORT_WORDS, "{a:?} {b:?}");
        assert!(a.similarity(&b) > NEAR_DUPLICATE, "{a:?} {b:?}");
    }

    #[test]
    fn a_hyphenated_word_and_its_parts_are_one_shared_word() {
        let v = vocabulary();
        let weigher = Weigher::new(Tokenizer::shared(), &v);
        // `free-thread`, `free` and `thread`: three terms, one word of both titles.
        let a = weigher.bag(&["Getting extensions to work with free-threaded Python"]);
        let b = weigher.bag(&["The first year of free-threaded Python"]);
        assert_eq!(a.cosine(&b).1, 3, "{a:?} {b:?}");
        assert_eq!(a.shared_words(&b), 1);
        assert_eq!(a.similarity(&b), 0.0);
        // A name with its number and its base are one word too; two other words make three.
        let c = bag(&["httpx", "httpx2", "异步", "管道"]);
        let d = bag(&["httpx", "httpx2", "异步", "管道", "生成器"]);
        assert_eq!(c.shared_words(&d), 3);
        assert!(c.similarity(&d) > NEAR_DUPLICATE);
    }

    #[test]
    fn what_two_texts_say_besides_their_name() {
        let v = vocabulary();
        let tokenizer = Tokenizer::shared();
        let weigher = Weigher::new(tokenizer, &v);
        let texts = |title: &str| weigher.texts(true, (title, ""), None);
        // The name alone is shared: nothing besides it.
        let google = texts("skills：官方 管道 集合");
        let other = texts("skills：异步 生成器 串联");
        assert_eq!(google.besides_name(&other, "skills"), 0.0);
        // The same words besides the name.
        let again = texts("Skills：官方 管道 集合");
        assert!(google.besides_name(&again, "skills") > 0.99);
        // A name of several words loses each of them: `sdk-python`.
        let sdk = texts("sdk-python：异步 管道");
        assert!(sdk
            .zh
            .without_name("sdkpython")
            .terms
            .iter()
            .all(|(t, _)| t != "sdk"));
    }
}
