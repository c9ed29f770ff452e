//! Text to terms, for both languages of the archive: the stage after the store and before
//! [`crate::vectorize`].
//!
//! A text is read as markdown (markup, URLs, e-mail addresses and image links removed), folded with
//! Unicode NFKC, then scanned once: technical tokens (`PEP 701`, `Python 3.12`, `C++`, `f-string`,
//! `asyncio.TaskGroup`, `__init__.py`, `GPT-4o`, `3.14t`, `Tauri 2.0`, `v1.2.3`) come out whole
//! and in one canonical spelling wherever they stand (a hyphenated name also as its parts, a
//! version with the name written before it, a name with a number also as the name); other
//! English words are lower-cased and Snowball-stemmed, except the names of `data/names.txt` and
//! the user dictionary (`pypy`, `numpy`, `ios`), which are only lower-cased; a word of
//! `data/cased.txt`, both a name and an ordinary word (`Go` and `go`), is read by where it stands:
//! the name in Chinese text or capitalised mid-sentence, no term where only grammar capitalised it
//! (a title-case title, a sentence's first word) or in lower case in English text. Chinese runs
//! are segmented by jieba (precise mode, HMM on) with jieba's dictionary (`data/jieba/`) and the
//! user dictionary in `data/`. English function words (`data/stopwords-en.txt`) — except a Python
//! keyword standing alone in Chinese text (`for 循环`) —, the Chinese stop words and the domain
//! list in `data/` are dropped. A build loads only the dictionary words its entries can
//! hold ([`Tokenizer::for_texts`]), and can count how each term was written ([`Surfaces`]), so
//! that people are shown words, not stems.
//!
//! jieba-rs and rust-stemmers live in this module only.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use rayon::prelude::*;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use crate::parse::markdown::{is_cjk, to_plain};
use dictionary::Fragments;

mod dictionary;

/// Technical terms jieba splits badly, one per line: `term [freq [tag]]`.
const USER_DICT: &str = include_str!("../../data/userdict.txt");
/// How many distinct English words a thread remembers the terms of.
const MEMO_LIMIT: usize = 200_000;
/// Words nearly every entry uses, in either language: they say nothing about a topic.
const DOMAIN_STOP_WORDS: &str = include_str!("../../data/stopwords.txt");
/// English function words: the only English words dropped whatever the archive says.
const ENGLISH_STOP_WORDS: &str = include_str!("../../data/stopwords-en.txt");
/// Words of the general Chinese stop list (the `stop-words` crate's) that name a subject in this
/// archive, as their English counterparts do (local, alternative, comparison are terms): kept.
/// On the real archive the Chinese text of 99 entries writes 本地 (37 titles: local deployment,
/// local-first), 84 替代 (29: open-source alternatives), 77 对比 (19: one tool against another);
/// the list's other words that many entries write are function words (一个, 如何, 基于, 通过).
const CHINESE_SUBJECTS: [&str; 3] = ["本地", "替代", "对比"];
/// Project and library names the stemmer would change (`pypy`, `numpy`, `celery`): kept whole.
const NAMES: &str = include_str!("../../data/names.txt");
/// Words the archive writes both as a name and as an ordinary English word (`Go` the language,
/// `go` the verb): a name where written as one, else no term (see [`Reading`]).
const CASED: &str = include_str!("../../data/cased.txt");
/// Python's keywords that are also English function words: written alone among Chinese words
/// (`for 循环`, `with 语句`) they are the keyword, a term.
const KEYWORDS: &[&str] = &[
    "and", "as", "for", "from", "if", "in", "is", "not", "or", "while", "with",
];

/// The tokenizer: jieba's dictionary, the stemmer and the stop words, loaded once.
pub struct Tokenizer {
    jieba: Jieba,
    stemmer: Stemmer,
    /// English function words and the Chinese stop words.
    stop: FxHashSet<String>,
    /// Names never stemmed: `data/names.txt` and the user dictionary's ASCII words.
    names: FxHashSet<String>,
    /// The domain list: terms dropped after tokenising (kept by [`Tokenizer::raw_terms_into`],
    /// which measures their document frequency).
    domain: FxHashSet<String>,
    /// The words of `data/cased.txt`, lower case.
    cased: Vec<String>,
}

static SHARED: LazyLock<Tokenizer> = LazyLock::new(Tokenizer::load);

impl Tokenizer {
    /// The process-wide tokenizer (the dictionary loads on first use).
    pub fn shared() -> &'static Tokenizer {
        &SHARED
    }

    /// A tokenizer with the whole dictionary (about 40 MB), for any text: what
    /// [`Tokenizer::shared`] holds.
    pub fn load() -> Tokenizer {
        Tokenizer::with_dictionary(dictionary::whole())
    }

    /// A tokenizer for `texts` alone, as a build needs: each of them, given to
    /// [`Tokenizer::plain_terms_into`] or [`Tokenizer::raw_terms_into`], gets exactly the terms
    /// [`Tokenizer::load`] gives it. Other Chinese text may be cut differently (so may these
    /// texts read as markdown by [`Tokenizer::terms`], whose rendering can join characters), for
    /// only the dictionary words these texts can hold are loaded: a few milliseconds instead of a
    /// tenth of a second on the real archive (see `dictionary.rs`).
    pub fn for_texts<'a>(texts: impl ParallelIterator<Item = &'a str>) -> Tokenizer {
        // Every run jieba cuts is a stretch of CJK characters of a text as `raw_terms_into`
        // prepares it. The user dictionary's words are added to jieba afterwards, which replaces
        // the frequency of a word it holds already (and the total by the difference) and cuts a
        // word given no frequency: the dictionary words within them must be loaded too.
        let mut fragments = texts
            .fold(Fragments::default, |mut fragments, text| {
                fragments.add(&prepare(text), is_cjk);
                fragments
            })
            .reduce(Fragments::default, Fragments::merge);
        for (word, _, _) in user_dictionary() {
            fragments.add(word, |_| true);
        }
        Tokenizer::with_dictionary(dictionary::for_fragments(&fragments))
    }

    /// jieba with `dictionary` and the user dictionary, and the stop words.
    fn with_dictionary(mut jieba: Jieba) -> Tokenizer {
        for (word, freq, tag) in user_dictionary() {
            jieba.add_word(word, freq, tag);
        }
        // English: function words only. A general-purpose list (the crate's ISO list of about
        // 1,300 words) also held ai, go, web, http, research and microsoft, subjects of this
        // newsletter; what says nothing here is measured by its spread (`data/stopwords.txt`).
        let mut stop: FxHashSet<String> = words_of(ENGLISH_STOP_WORDS).collect();
        if let Some(words) = stop_words::lookup("zh") {
            stop.extend(
                words
                    .iter()
                    .filter(|w| !CHINESE_SUBJECTS.contains(w))
                    .map(|w| w.to_lowercase()),
            );
        }
        let stemmer = Stemmer::create(Algorithm::English);
        let mut domain = FxHashSet::default();
        for word in words_of(DOMAIN_STOP_WORDS) {
            // Listed as written; matched as terms, so English words by their stem too.
            if word.chars().all(|c| c.is_ascii_alphabetic()) {
                domain.insert(stemmer.stem(&word).into_owned());
            }
            domain.insert(word);
        }
        let mut names: FxHashSet<String> = words_of(NAMES).collect();
        // A word of `data/cased.txt` read as the name is kept whole too (`Trusted` is not
        // `trust`); read as the ordinary word it is no term at all (`Tokenizer::reading`).
        names.extend(
            user_dictionary()
                .map(|(word, _, _)| word.to_lowercase())
                .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric())),
        );
        let cased: Vec<String> = words_of(CASED).collect();
        names.extend(cased.iter().cloned());
        Tokenizer {
            jieba,
            stemmer,
            stop,
            names,
            domain,
            cased,
        }
    }

    /// The terms of `text`, read as markdown (any text is: plain text is markdown too), in order
    /// of appearance, repeats kept. For input from outside: the `tokens` command, a draft.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.plain_terms_into(&plain_of(text), &mut out);
        out
    }

    /// [`Tokenizer::terms`] of one text, with the whole dictionary's cut but only the dictionary
    /// words the text can hold loaded ([`Tokenizer::for_texts`]): for a query read once, a few
    /// milliseconds instead of the whole dictionary's tenth of a second.
    pub fn terms_of_one(text: &str) -> Vec<String> {
        Tokenizer::for_query(text).terms(text)
    }

    /// A tokenizer with only the dictionary words `text` can hold loaded: it cuts `text`, and
    /// any part of it, as the whole dictionary does.
    pub fn for_query(text: &str) -> Tokenizer {
        Tokenizer::for_texts(rayon::iter::once(plain_of(text).as_str()))
    }

    /// Appends the terms of `text`, which is plain already (an entry's title or description, as
    /// the parser rendered them), to `out`. Not read as markdown again: `__init__` stays itself.
    pub fn plain_terms_into(&self, text: &str, out: &mut Vec<String>) {
        self.plain_terms_with(Sink::Strings(out), text, None);
    }

    /// [`Tokenizer::plain_terms_into`], counting in `surfaces` how each English or technical
    /// term was written: what a build keeps to show terms by.
    pub fn plain_terms_and_surfaces_into(&self, text: &str, out: &mut Vec<String>, surfaces: &mut Surfaces) {
        self.plain_terms_with(Sink::Strings(out), text, Some(surfaces));
    }

    /// [`Tokenizer::plain_terms_and_surfaces_into`], each term given as its id in `ids` (which
    /// numbers a term the first time it is met): what a build tokenises the entries into, no
    /// string made per term.
    pub fn plain_term_ids_and_surfaces_into(
        &self,
        text: &str,
        out: &mut Vec<u32>,
        ids: &mut TermIds,
        surfaces: &mut Surfaces,
    ) {
        self.plain_terms_with(Sink::Ids(out, ids), text, Some(surfaces));
    }

    fn plain_terms_with(&self, out: Sink<'_>, text: &str, surfaces: Option<&mut Surfaces>) {
        // The domain stop words are left out as the terms are made: an English or technical
        // word's terms are looked up in the domain list once, when the word is first met (the
        // memo, or the count of writings, keeps the answer), not at each of its occurrences.
        self.scan(text, out, surfaces, false, true);
    }

    /// Like [`Tokenizer::plain_terms_into`], but keeping the domain stop words: for measuring
    /// how common they are.
    pub fn raw_terms_into(&self, text: &str, out: &mut Vec<String>) {
        self.scan(text, Sink::Strings(out), None, true, true);
    }

    /// The words of `text` (plain already) as a person counts them: the terms of
    /// [`Tokenizer::plain_terms_into`] but for the parts of words (`open-source` is one word, not
    /// also `open` and `source`; `httpx2` is not also `httpx`). For counting words, never for
    /// matching.
    pub fn plain_words_into(&self, text: &str, out: &mut Vec<String>) {
        self.scan(text, Sink::Strings(out), None, false, false);
    }

    /// The terms of `text`, the domain stop words among them where `domain` says so.
    fn scan(
        &self,
        text: &str,
        out: Sink<'_>,
        mut surfaces: Option<&mut Surfaces>,
        domain: bool,
        parts: bool,
    ) {
        let mut out = Out {
            terms: out,
            domain: (!domain && !self.domain.is_empty()).then_some(&self.domain),
            parts,
        };
        let out = &mut out;
        // Numbering needs no pass of its own: `1、` and `①` (after NFKC) are bare numbers, which
        // are never terms. URLs and e-mail addresses do (`prepare`).
        let folded = prepare(text);
        let place = Place::new(&folded);
        // Runs of ideographs go to jieba; technical tokens never hold one, so the regex only
        // reads the text between them.
        let mut rest: &str = &folded;
        while !rest.is_empty() {
            let chinese = rest.find(|c| !is_ideograph(c)).unwrap_or(rest.len());
            if chinese > 0 {
                self.chinese(&rest[..chinese], out);
                rest = &rest[chinese..];
                continue;
            }
            let other = rest.find(is_ideograph).unwrap_or(rest.len());
            let at = folded.len() - rest.len();
            self.other(&rest[..other], at, &place, out, surfaces.as_deref_mut());
            rest = &rest[other..];
        }
    }

    /// A stretch without ideographs, at byte `at` of `place`'s text: technical tokens, then
    /// English words between them.
    fn other(
        &self,
        text: &str,
        at: usize,
        place: &Place<'_>,
        out: &mut Out<'_>,
        mut surfaces: Option<&mut Surfaces>,
    ) {
        let mut last = 0;
        for m in TECHNICAL.find_iter(text) {
            self.words(
                &text[last..m.start()],
                at + last,
                place,
                out,
                surfaces.as_deref_mut(),
            );
            memo(
                &TECHNICAL_SEEN,
                Kind::Technical,
                m.as_str(),
                |t| self.technical_terms(t),
                &self.domain,
                out,
                surfaces.as_deref_mut(),
            );
            last = m.end();
        }
        self.words(&text[last..], at + last, place, out, surfaces);
    }

    /// Terms of a stretch with no technical token, at byte `at` of `place`'s text: English words
    /// and Chinese runs.
    fn words(
        &self,
        text: &str,
        at: usize,
        place: &Place<'_>,
        out: &mut Out<'_>,
        mut surfaces: Option<&mut Surfaces>,
    ) {
        // ASCII and CJK are tested by range first: Unicode's tables are the slow path.
        let letter =
            |c: char| c.is_ascii_alphanumeric() || is_ideograph(c) || (!c.is_ascii() && c.is_alphanumeric());
        let mut rest = text;
        while let Some(start) = rest.find(letter) {
            rest = &rest[start..];
            let first = rest.chars().next().unwrap_or(' ');
            let end = if is_cjk(first) {
                let end = rest
                    .find(|c: char| !is_cjk(c) || !c.is_alphanumeric())
                    .unwrap_or(rest.len());
                self.chinese(&rest[..end], out);
                end
            } else {
                let end = rest
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || c == '_' || c == '\'')
                            && (c.is_ascii() || is_cjk(c) || !c.is_alphanumeric())
                    })
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                let from = at + text.len() - rest.len();
                match self.reading(word, place, from) {
                    Reading::Word => memo(
                        &ENGLISH_SEEN,
                        Kind::English,
                        word,
                        |w| self.english_terms(w),
                        &self.domain,
                        out,
                        surfaces.as_deref_mut(),
                    ),
                    // Remembered apart from the function word ("for" in English prose makes
                    // no term): no technical token is a bare word.
                    Reading::Keyword => memo(
                        &TECHNICAL_SEEN,
                        Kind::Technical,
                        word,
                        |w| vec![Made::whole(w.to_ascii_lowercase(), 0..w.len())],
                        &self.domain,
                        out,
                        surfaces.as_deref_mut(),
                    ),
                    Reading::Nothing => {}
                }
                end
            };
            // Always move on, whatever the character (a property test holds this).
            let step = if end == 0 { first.len_utf8() } else { end };
            rest = &rest[step..];
        }
    }

    /// How the English word `word`, written at byte `at` of `place`'s text, is read: a word of
    /// `data/cased.txt` is the name where the archive writes it as one — anywhere in Chinese
    /// text, or with a capital in the middle of an English sentence; in a text of one or two
    /// words, a query, whatever its case — and the ordinary word
    /// (no term) elsewhere: in lower case, or capitalised only by grammar, as the first word of
    /// a sentence or a word of a title-case title ("Where Do Your Python Packages Go?"). A
    /// Python keyword that is an English function word is the keyword where it stands alone
    /// in Chinese text (`for 循环`).
    fn reading(&self, word: &str, place: &Place<'_>, at: usize) -> Reading {
        let bare = word.trim_matches(|c| c == '_' || c == '\'');
        let bare = bare.strip_suffix("'s").unwrap_or(bare);
        if self.cased.iter().any(|c| c.eq_ignore_ascii_case(bare)) {
            let capital = bare.starts_with(|c: char| c.is_ascii_uppercase());
            let name = place.chinese()
                || place.few_words()
                || (capital && !place.title_case() && !place.opens_sentence(at));
            return if name { Reading::Word } else { Reading::Nothing };
        }
        if bare.len() == word.len()
            && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
            && place.chinese()
            && place.alone(at, at + word.len())
        {
            return Reading::Keyword;
        }
        Reading::Word
    }

    fn chinese(&self, run: &str, out: &mut Out<'_>) {
        for token in self.jieba.cut(run, true) {
            let word = token.word;
            // Single characters are mostly particles and function words.
            if word.chars().nth(1).is_none() || self.stop.contains(word) || out.drops(word) {
                continue;
            }
            out.terms.push(word);
        }
    }

    /// The terms of an English word (letters, digits, `_` and `'`), each with the part of the
    /// word it was written as.
    fn english_terms(&self, word: &str) -> Vec<Made> {
        let mut terms = Vec::new();
        let trimmed = word.trim_matches(|c| c == '_' || c == '\'');
        let at = word.len() - word.trim_start_matches(['_', '\'']).len();
        let trimmed = trimmed.strip_suffix("'s").unwrap_or(trimmed);
        if trimmed.is_empty() || trimmed.chars().all(|c| c.is_ascii_digit()) {
            return terms;
        }
        let whole = at..at + trimmed.len();
        let lower = trimmed.to_lowercase();
        if lower.chars().count() < 2 || self.stop.contains(&lower) {
            return terms;
        }
        // Counts such as the editor's "(star 5.7K)": numbers, not names.
        if lower
            .trim_end_matches(['k', 'm'])
            .chars()
            .all(|c| c.is_ascii_digit())
        {
            return terms;
        }
        // Identifiers (snake_case, words with digits) are names: kept as written. A name with a
        // number after it (`httpx2`, `vue3`, `qwen3`) is also the name it was made from, so that
        // the two meet; the vocabulary keeps that only where the archive holds it.
        if lower.contains('_') || lower.chars().any(|c| c.is_ascii_digit()) {
            let base = lower.trim_end_matches(|c: char| c.is_ascii_digit());
            let suffixed = base.len() >= 3 && base.bytes().all(|b| b.is_ascii_lowercase());
            let base = (suffixed && !self.stop.contains(base)).then(|| base.to_string());
            terms.push(Made::whole(lower, whole.clone()));
            if let Some(base) = base {
                let end = whole.start + base.len();
                terms.push(Made {
                    term: base,
                    span: whole.start..end,
                    within: Some(whole),
                });
            }
            return terms;
        }
        // The plural of a name in capitals is the name: `APIs`, `LLMs`, `PEPs` (Snowball keeps
        // `llms`, which has no vowel).
        if let Some(caps) = trimmed
            .strip_suffix('s')
            .filter(|caps| caps.len() >= 2 && caps.bytes().all(|b| b.is_ascii_uppercase()))
        {
            terms.push(Made::whole(
                caps.to_ascii_lowercase(),
                whole.start..whole.start + caps.len(),
            ));
            return terms;
        }
        // A listed name is never stemmed: Snowball would make `pypy` `pypi`. Decided on the
        // lower-cased word, never on how it was written here, so that `PyJokes` and `pyjokes`
        // stay one term (a rule by case split them and lost their pairs).
        if self.names.contains(&lower) {
            terms.push(Made::whole(lower, whole));
            return terms;
        }
        let stem = self.stemmer.stem(&lower);
        if !self.stop.contains(stem.as_ref()) {
            terms.push(Made::whole(stem.into_owned(), whole));
        }
        terms
    }

    /// The terms of a technical token (see [`TECHNICAL`]), each with the part of the token it
    /// was written as.
    fn technical_terms(&self, token: &str) -> Vec<Made> {
        let whole = 0..token.len();
        let one = |term: String| -> Vec<Made> { vec![Made::whole(term, 0..token.len())] };
        let lower = token.to_lowercase();
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(number) = compact.strip_prefix("pep") {
            let number = number.trim_start_matches(['-', '_']);
            return number
                .parse::<u32>()
                .map_or_else(|_| Vec::new(), |n| one(format!("pep{n}")));
        }
        if let Some(caps) = NAMED_VERSION.captures(token) {
            let (name, version) = (&caps["name"], &caps["version"]);
            let name_lower = name.to_lowercase();
            if let Some(version) = python_version(&name_lower, version) {
                return one(version);
            }
            if self.stop.contains(&name_lower) || VERSION_WORDS.contains(&name_lower.as_str()) {
                // "from 3.8 to 3.12", "Version 3.13": a bare version after a word that names
                // nothing is Python's, as everywhere in this newsletter.
                return bare_version(version).map_or_else(Vec::new, one);
            }
            // A version belongs to the name written before it: `Tauri 2.0` is `tauri`, never
            // Python 2.0. The name alone: a term for each release of it (`numpy2.0`,
            // `numpy1.0`) thinned the name in its entries and lost NumPy pairs of the mined set.
            return self.english_terms(name);
        }
        if compact.starts_with('v') && compact[1..].starts_with(|c: char| c.is_ascii_digit()) {
            // A version with no name before it (`v1.2.3`) names nothing.
            return Vec::new();
        }
        if compact.starts_with(|c: char| c.is_ascii_digit()) {
            return bare_version(&compact).map_or_else(Vec::new, one);
        }
        if compact.contains("string") && compact.len() <= 9 {
            return compact
                .chars()
                .next()
                .map_or_else(Vec::new, |prefix| one(format!("{prefix}-string")));
        }
        if compact.contains('/') {
            return one("async/await".to_string());
        }
        if compact.contains('-') && !compact.starts_with("__") {
            // Its parts, as words, and the whole (each part stemmed: free-threaded and
            // free-threading are one term), so that `django-orbit` and "Django Orbit" meet.
            let mut terms = Vec::new();
            let mut joined = Vec::new();
            let mut at = 0;
            for part in token.split('-') {
                let lower = part.to_lowercase();
                joined.push(if lower.chars().all(|c| c.is_ascii_alphabetic()) {
                    self.stemmer.stem(&lower).into_owned()
                } else {
                    lower
                });
                // A word of `data/cased.txt` in lower case is the ordinary word (`go-to`).
                let ordinary = self.cased.iter().any(|c| c == part);
                for made in self.english_terms(part).into_iter().filter(|_| !ordinary) {
                    terms.push(Made {
                        term: made.term,
                        span: at + made.span.start..at + made.span.end,
                        within: Some(whole.clone()),
                    });
                }
                at += part.len() + 1;
            }
            terms.push(Made::whole(joined.join("-"), whole));
            return terms;
        }
        one(compact)
    }

    /// Whether `word` is a stop word of either list.
    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop.contains(word) || self.domain.contains(word)
    }

    /// Whether `word` (lower-case) is kept whole as a name: listed in `data/names.txt` or the
    /// user dictionary.
    pub fn is_name(&self, word: &str) -> bool {
        self.names.contains(word)
    }

    /// `word` lower-cased and stemmed as an ordinary English word is.
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(&word.to_lowercase()).into_owned()
    }

    /// Whether `term` is on the domain stop list.
    pub fn is_domain_stop_word(&self, term: &str) -> bool {
        self.domain.contains(term)
    }

    /// The words jieba cuts a Chinese run into, precise mode with HMM: for finding terms it
    /// splits that belong together.
    pub fn segments<'a>(&self, run: &'a str) -> Vec<&'a str> {
        self.jieba.cut(run, true).into_iter().map(|t| t.word).collect()
    }

    /// Whether jieba knows `word` as one word (after the user dictionary).
    pub fn knows(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// jieba alone, for comparison in benchmarks: the bare segmentation of `text`.
    pub fn bare_cut(&self, text: &str) -> usize {
        self.jieba.cut(text, true).len()
    }
}

/// The entries of `data/userdict.txt`: word, frequency, tag; comment lines left out.
fn user_dictionary() -> impl Iterator<Item = (&'static str, Option<usize>, Option<&'static str>)> {
    USER_DICT
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let word = parts.next()?;
            Some((word, parts.next().and_then(|f| f.parse().ok()), parts.next()))
        })
}

/// A term a word or technical token makes: the byte range of the token it was written as, and
/// for a part of a word (`multi` of `multi-agent`, `pyo` of `PyO3`: a term to match by, not a
/// word written alone) the range of the whole word.
#[derive(Debug, Clone)]
struct Made {
    term: String,
    span: Range<usize>,
    within: Option<Range<usize>>,
}

impl Made {
    fn whole(term: String, span: Range<usize>) -> Made {
        Made {
            term,
            span,
            within: None,
        }
    }
}

/// Where a scan puts its terms, the domain stop words it leaves out (none when `None`), and
/// whether it keeps the parts of hyphenated words.
struct Out<'a> {
    terms: Sink<'a>,
    domain: Option<&'a FxHashSet<String>>,
    parts: bool,
}

impl Out<'_> {
    /// Whether `term` is a domain stop word this scan leaves out.
    fn drops(&self, term: &str) -> bool {
        self.domain.is_some_and(|domain| domain.contains(term))
    }
}

/// Where a scan's terms go: strings, or the ids a [`TermIds`] gives them.
enum Sink<'a> {
    Strings(&'a mut Vec<String>),
    Ids(&'a mut Vec<u32>, &'a mut TermIds),
}

impl Sink<'_> {
    fn push(&mut self, term: &str) {
        match self {
            Sink::Strings(out) => out.push(term.to_string()),
            Sink::Ids(out, ids) => out.push(ids.id(term)),
        }
    }
}

/// Terms numbered in the order they are first met: what a build's entries are tokenised into
/// ([`Tokenizer::plain_term_ids_and_surfaces_into`]), each term's string kept once.
#[derive(Debug, Clone, Default)]
pub struct TermIds(indexmap::IndexSet<String, rustc_hash::FxBuildHasher>);

impl TermIds {
    /// The id of `term`, numbered now if it is new.
    pub fn id(&mut self, term: &str) -> u32 {
        let id = match self.0.get_index_of(term) {
            Some(id) => id,
            None => self.0.insert_full(term.to_string()).0,
        };
        u32::try_from(id).expect("fewer than 2^32 distinct terms")
    }

    /// The terms, by id.
    pub fn terms(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.iter().map(String::as_str)
    }

    /// The terms, by id, owned.
    pub fn into_terms(self) -> Vec<String> {
        self.0.into_iter().collect()
    }
}

/// A word's terms as the memo keeps them, each with whether it is on the domain stop list.
type Remembered = Vec<(Made, bool)>;

/// The words of a word list: one a line, lower-cased, `#` comments and blank lines left out.
fn words_of(list: &str) -> impl Iterator<Item = String> + '_ {
    list.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim().to_lowercase())
        .filter(|word| !word.is_empty())
}

/// How often each English and technical term was written each way (`Claude` and `claude` for
/// `claud`, `PEP 701` and `PEP-701` for `pep701`): people are shown the way a term was written
/// most often, never a stem. Chinese terms are shown as they are.
///
/// A term written only as a part of words (`multi` of `multi-agent` and `multi-modal`, `pyo` of
/// `PyO3`) is shown as the word it was written in most often: "multi" alone is no word of the
/// archive.
///
/// What is counted is each word and technical token as written, with the terms it makes (a
/// word makes the same terms wherever it stands): one count per occurrence instead of one per
/// term made, and the terms' writings are added up from those counts when first asked for.
#[derive(Debug, Clone, Default)]
pub struct Surfaces {
    /// Each English word met, how often, and the terms it made.
    english: FxHashMap<String, Met>,
    /// Each technical token met, how often, and the terms it made.
    technical: FxHashMap<String, Met>,
    /// The writings of each term, added up from the words met (see [`Written`]); made on the
    /// first question, dropped by any change.
    written: std::sync::OnceLock<Written>,
}

/// A word or technical token met: how many times, and the terms it made the first time (each with
/// the part of the word it was written as), which it makes wherever it stands.
#[derive(Debug, Clone)]
struct Met {
    times: u32,
    terms: Vec<Made>,
}

/// Which kind of word a word is, English or a technical token: the memo and the count of
/// writings keep each kind in a table of its own.
#[derive(Debug, Clone, Copy)]
enum Kind {
    English,
    Technical,
}

/// The writings of each term, as [`Surfaces::most_frequent`] reads them.
#[derive(Debug, Clone, Default)]
struct Written {
    /// How each term was written, a part of a hyphenated word as the part.
    written: FxHashMap<String, Vec<(String, u32)>>,
    /// The terms written alone at least once.
    alone: FxHashSet<String>,
    /// The words each term was a part of.
    within: FxHashMap<String, Vec<(String, u32)>>,
}

impl Written {
    /// `times` writings of `term` as `surface`, a part of the word `within` if it is one.
    fn add(&mut self, term: &str, surface: &str, within: Option<&str>, times: u32) {
        match within {
            Some(word) => count(&mut self.within, term, word, times),
            None => {
                if !self.alone.contains(term) {
                    self.alone.insert(term.to_string());
                }
            }
        }
        // "Python  3.12" over a line break is "Python 3.12".
        let spaced;
        let surface = if surface.contains(|c: char| c.is_whitespace() && c != ' ') || surface.contains("  ") {
            spaced = surface.split_whitespace().collect::<Vec<_>>().join(" ");
            spaced.as_str()
        } else {
            surface
        };
        count(&mut self.written, term, surface, times);
    }
}

impl Surfaces {
    /// The first occurrence of `key`, a word or technical token of `kind`, which made `terms`
    /// (every later one is [`Surfaces::again`]'s).
    fn meet(&mut self, kind: Kind, key: &str, terms: Vec<Made>) {
        self.written.take();
        self.of_kind(kind)
            .insert(key.to_string(), Met { times: 1, terms });
    }

    /// One more occurrence of `key`, a word or technical token of `kind` this count has met
    /// before: the terms it made then, which are the ones it makes again (a scan that counts
    /// writings always keeps the same terms). `None` for a word not met yet.
    fn again(&mut self, kind: Kind, key: &str) -> Option<&[Made]> {
        self.written.take();
        let met = self.of_kind(kind).get_mut(key)?;
        met.times += 1;
        Some(&met.terms)
    }

    /// The words of `kind` met.
    fn of_kind(&mut self, kind: Kind) -> &mut FxHashMap<String, Met> {
        match kind {
            Kind::English => &mut self.english,
            Kind::Technical => &mut self.technical,
        }
    }

    /// Both counts added (the smaller into the larger).
    pub fn merge(mut self, mut other: Surfaces) -> Surfaces {
        if self.english.len() + self.technical.len() < other.english.len() + other.technical.len() {
            std::mem::swap(&mut self, &mut other);
        }
        self.written.take();
        for (mine, theirs) in [
            (&mut self.english, other.english),
            (&mut self.technical, other.technical),
        ] {
            for (key, met) in theirs {
                match mine.get_mut(&key) {
                    Some(mine) => mine.times += met.times,
                    None => {
                        mine.insert(key, met);
                    }
                }
            }
        }
        self
    }

    /// Adds up the terms' writings now, as the first question would (a build does it beside
    /// the numbering of the terms).
    pub fn settle(&self) {
        self.written();
    }

    /// The writings of each term, added up from the words met.
    fn written(&self) -> &Written {
        self.written.get_or_init(|| {
            let mut written = Written::default();
            for met in [&self.english, &self.technical] {
                for (key, met) in met {
                    for made in &met.terms {
                        let within = made.within.as_ref().map(|w| &key[w.clone()]);
                        written.add(&made.term, &key[made.span.clone()], within, met.times);
                    }
                }
            }
            written
        })
    }

    /// The way `term` was written most often, or for a term never written alone the word it was
    /// most often a part of; of equally frequent ways, the first in byte order (so
    /// the same counts always give the same word).
    pub fn most_frequent(&self, term: &str) -> Option<&str> {
        let written = self.written();
        let counts = if written.alone.contains(term) {
            &written.written
        } else {
            &written.within
        };
        counts
            .get(term)?
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(way, _)| way.as_str())
    }
}

/// `times` more writings of `term` as `way`.
fn count(counts: &mut FxHashMap<String, Vec<(String, u32)>>, term: &str, way: &str, times: u32) {
    match counts.get_mut(term) {
        Some(ways) => match ways.iter_mut().find(|(w, _)| w == way) {
            Some((_, n)) => *n += times,
            None => ways.push((way.to_string(), times)),
        },
        None => {
            counts.insert(term.to_string(), vec![(way.to_string(), times)]);
        }
    }
}

thread_local! {
    // Words and technical tokens repeat a great deal: each thread keeps what each became
    // (stemming was a tenth of the time before).
    static ENGLISH_SEEN: RefCell<FxHashMap<String, Remembered>> = RefCell::default();
    static TECHNICAL_SEEN: RefCell<FxHashMap<String, Remembered>> = RefCell::default();
}

/// Appends to `out` the terms `make` gives for `key`, with whether each is a domain stop word
/// (which `out` may leave out), and counts in `surfaces` one more writing of `key` (a word of
/// `kind`) with the terms kept. The terms are remembered in `seen` (up to [`MEMO_LIMIT`] keys)
/// by a scan that counts no writings; one that does asks its count (`Surfaces::again`).
fn memo(
    seen: &'static std::thread::LocalKey<RefCell<FxHashMap<String, Remembered>>>,
    kind: Kind,
    key: &str,
    make: impl FnOnce(&str) -> Vec<Made>,
    domain: &FxHashSet<String>,
    out: &mut Out<'_>,
    mut surfaces: Option<&mut Surfaces>,
) {
    // A word this count has met already: its kept terms are the ones it holds, one lookup.
    if let Some(surfaces) = surfaces.as_deref_mut() {
        if let Some(terms) = surfaces.again(kind, key) {
            for made in terms {
                out.terms.push(&made.term);
            }
            return;
        }
    }
    let counted = surfaces.is_some();
    let kept = |(made, in_domain): &&(Made, bool)| {
        !((*in_domain && out.domain.is_some()) || (made.within.is_some() && !out.parts))
    };
    let mut emit = |terms: &Remembered, out: &mut Sink<'_>| {
        for (made, _) in terms.iter().filter(|t| kept(t)) {
            out.push(&made.term);
        }
        if let Some(surfaces) = surfaces.as_deref_mut() {
            // A word makes the same terms wherever it stands: this count meets it here the first
            // time, and answers it itself after (`again`).
            surfaces.meet(
                kind,
                key,
                terms
                    .iter()
                    .filter(|t| kept(t))
                    .map(|(made, _)| made.clone())
                    .collect(),
            );
        }
    };
    let remember = || -> Remembered {
        make(key)
            .into_iter()
            .map(|made| {
                let in_domain = domain.contains(&made.term);
                (made, in_domain)
            })
            .collect()
    };
    if counted {
        // The count remembers each word it has met (`again`): the thread's memo would be asked
        // once a word a count, and keep a copy.
        emit(&remember(), &mut out.terms);
        return;
    }
    seen.with_borrow_mut(|seen| {
        if let Some(terms) = seen.get(key) {
            emit(terms, &mut out.terms);
            return;
        }
        let terms = remember();
        emit(&terms, &mut out.terms);
        if seen.len() < MEMO_LIMIT {
            seen.insert(key.to_string(), terms);
        }
    });
}

/// CJK unified ideographs: nearly all of the Chinese text.
fn is_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// URLs and e-mail addresses: never terms.
static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:https?|ftp)://[^\s)\]>）]+      # URLs
        | www\.[^\s)\]>）]+
        | [\w.+-]+@[\w-]+(?:\.[\w-]+)+     # e-mail addresses
        ",
    )
    .expect("valid regex")
});

/// `text` read as markdown to plain text (any text is: plain text is markdown too); a text
/// without markdown's marks as it is.
fn plain_of(text: &str) -> String {
    if text.contains(['[', '`', '*', '#', '<', '!', '\\', '_']) {
        to_plain(text).text
    } else {
        text.to_string()
    }
}

/// `text` as its terms are read from: URLs and e-mail addresses blanked out, then folded.
fn prepare(text: &str) -> Cow<'_, str> {
    let cleaned = if text.contains("://") || text.contains("www.") || text.contains('@') {
        NOISE.replace_all(text, " ")
    } else {
        Cow::Borrowed(text)
    };
    match fold(&cleaned) {
        Cow::Borrowed(_) => cleaned,
        Cow::Owned(folded) => Cow::Owned(folded),
    }
}

/// Unicode NFKC, applied only to the runs of characters it can change: ASCII and CJK ideographs,
/// most of the text, are left as they are (NFKC over the whole text took a quarter of the time).
/// A run is folded with the character before it, which a combining mark composes with: `e` and
/// U+0301 are `é`, as the precomposed letter is.
fn fold(text: &str) -> Cow<'_, str> {
    let stable = |c: char| c.is_ascii() || is_ideograph(c);
    if text.chars().all(stable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let cut = rest.find(|c: char| !stable(c)).unwrap_or(rest.len());
        // The run starts one character early: the one a combining mark may compose with.
        let start = if cut < rest.len() {
            rest[..cut].char_indices().next_back().map_or(cut, |(i, _)| i)
        } else {
            cut
        };
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let carried = cut - start;
        let end = run[carried..].find(stable).map_or(run.len(), |e| e + carried);
        out.extend(run[..end].nfkc());
        rest = &run[end..];
    }
    Cow::Owned(out)
}

/// Technical tokens, matched on NFKC-folded text before anything else splits them.
///
/// Word boundaries are ASCII ones, so that a token glued to Chinese text (`新版本python3.12发布`)
/// is still found. A version after a capitalised name (`Tauri 2.0`, `Qwen2.5`, `PyPy 3.10`) is
/// matched with it; a longer dotted number (`1.2.3`) is matched whole, so that no part of it
/// reads as a Python version.
static TECHNICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?-u:\b)pep[\s\-_]?\d{1,4}(?-u:\b)                              # PEP 701, PEP-701, pep701
        | (?-u:\b)(?:c?python|py)[\s\-]?[23](?:\.\d{1,2}){1,2}t?(?-u:\b) # Python 3.12, py3.14t
        | (?-u:\b)v\d+(?:\.\d+){1,3}(?-u:\b)                            # v1.2.3
        | (?-u:\b)(?-i:[A-Z])[a-z0-9]*?[\s\-]?\d+(?:\.\d+){1,2}t?(?-u:\b) # Tauri 2.0, Qwen2.5
        | (?-u:\b)\d+(?:\.\d+)+t?(?-u:\b)                               # 3.12, 3.14t, 1.2.3
        | (?-u:\b)[cf](?:\+\+|\#)                                       # C++, C#, F#
        | (?-u:\b)[ftbru]-?strings?(?-u:\b)                             # f-string, t-strings, fstring
        | (?-u:\b)async\s*/\s*await(?-u:\b)                             # async/await
        | __[a-z0-9_]+__(?:\.py)?                                        # __init__, __init__.py
        | (?-u:\b)[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+(?-u:\b)       # asyncio.TaskGroup, os.path
        | (?-u:\b)[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?-u:\b)                 # GPT-4o, free-threading
        ",
    )
    .expect("valid regex")
});

/// A name and the version written after it, as [`TECHNICAL`] matches them.
static NAMED_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<name>[A-Za-z][A-Za-z0-9]*?)[\s\-]?(?P<version>\d+(?:\.\d+){1,2}t?)$")
        .expect("valid regex")
});

/// Words that name no project when a version follows them ("Version 3.13", "Support 3.14"):
/// the version is Python's.
const VERSION_WORDS: &[&str] = &[
    "version",
    "versions",
    "release",
    "released",
    "releases",
    "support",
    "supports",
    "supported",
    "upgrade",
    "upgrading",
    "update",
    "updated",
    "beta",
    "alpha",
    "preview",
    "rc",
    "since",
    "vs",
];

/// `pythonN.M` where `name` is Python's (`Python 3.12`, `py3.14t`, `CPython 3.13`).
fn python_version(name: &str, version: &str) -> Option<String> {
    matches!(name, "python" | "cpython" | "py").then(|| format!("python{version}"))
}

/// A version written alone: Python's where it looks like one (`3.12`, `2.7`, `3.14t`, as the
/// newsletter writes them), else nothing (`1.2.3`, `10.5`: numbers, not names).
fn bare_version(version: &str) -> Option<String> {
    let digits = version.strip_suffix('t').unwrap_or(version);
    let parts: Vec<&str> = digits.split('.').collect();
    let python = matches!(parts[0], "2" | "3")
        && (2..=3).contains(&parts.len())
        && parts[1..].iter().all(|p| (1..=2).contains(&p.len()));
    python.then(|| format!("python{version}"))
}

/// How an English word is read where it stands ([`Tokenizer::reading`]).
enum Reading {
    /// As the word it is, by [`Tokenizer::english_terms`].
    Word,
    /// As a Python keyword, kept though an English function word.
    Keyword,
    /// As the ordinary word a name of `data/cased.txt` also is: no term.
    Nothing,
}

/// The whole text a scan reads (folded), for what a word's place in it tells; each question
/// answered once, when first asked.
struct Place<'t> {
    text: &'t str,
    chinese: std::cell::OnceCell<bool>,
    few_words: std::cell::OnceCell<bool>,
    title_case: std::cell::OnceCell<bool>,
}

impl<'t> Place<'t> {
    fn new(text: &'t str) -> Place<'t> {
        Place {
            text,
            chinese: std::cell::OnceCell::new(),
            few_words: std::cell::OnceCell::new(),
            title_case: std::cell::OnceCell::new(),
        }
    }

    /// Whether the text holds Chinese: there an English word is a name or code, never grammar.
    fn chinese(&self) -> bool {
        *self.chinese.get_or_init(|| self.text.contains(is_ideograph))
    }

    /// Whether the text has fewer than three English words ("go", "Trusted Publishing", a
    /// query): too few for grammar, so a word of `data/cased.txt` in it is the name it names.
    fn few_words(&self) -> bool {
        *self.few_words.get_or_init(|| {
            self.text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()))
                .nth(2)
                .is_none()
        })
    }

    /// Whether the text is an English title in title case: at least three words of four letters
    /// or more, three in four of them capitalised ("Where Do Your Python Packages Go?").
    fn title_case(&self) -> bool {
        *self.title_case.get_or_init(|| {
            let (mut long, mut capital) = (0, 0);
            for word in self.text.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')) {
                if word.len() >= 4 {
                    long += 1;
                    capital += usize::from(word.starts_with(|c: char| c.is_ascii_uppercase()));
                }
            }
            long >= 3 && capital * 4 >= long * 3
        })
    }

    /// Whether the word at byte `at` opens a sentence: nothing but spaces, quotes and opening
    /// brackets between it and the text's start or a sentence's end (`. ! ? : ;`).
    fn opens_sentence(&self, at: usize) -> bool {
        let before =
            self.text[..at].trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘([{（【《「*".contains(c));
        before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '。', '！', '？', '：', '；'])
    }

    /// Whether the word at bytes `at..end` stands alone: no letter or digit of another English
    /// word next to it, spaces aside.
    fn alone(&self, at: usize, end: usize) -> bool {
        let joined = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !joined(self.text[..at].trim_end().chars().next_back())
            && !joined(self.text[end..].trim_start().chars().next())
    }
}

#[cfg(test)]
mod tests;
