//! Text to terms, for both languages of the archive: the stage after the store and before
//! [`crate::vectorize`].
//!
//! A text is read as markdown (markup, URLs, e-mail addresses and image links removed), folded with
//! Unicode NFKC, then scanned once: technical tokens (`PEP 701`, `Python 3.12`, `C++`, `f-string`,
//! `asyncio.TaskGroup`, `__init__.py`, `GPT-4o`, `3.14t`) come out whole and in one canonical
//! spelling wherever they stand; other English words are lower-cased and Snowball-stemmed; Chinese
//! runs are segmented by jieba (precise mode, HMM on) with the user dictionary in `data/`. Stop
//! words of both languages and the domain list in `data/` are dropped.
//!
//! jieba-rs and rust-stemmers live in this module only.

use std::collections::HashSet;
use std::io::BufReader;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use crate::parse::markdown::{is_cjk, to_plain};

/// Technical terms jieba splits badly, one per line: `term [freq [tag]]`.
const USER_DICT: &str = include_str!("../../data/userdict.txt");
/// Words nearly every entry uses, in either language: they say nothing about a topic.
const DOMAIN_STOP_WORDS: &str = include_str!("../../data/stopwords.txt");

/// The tokenizer: jieba's dictionary, the stemmer and the stop words, loaded once.
pub struct Tokenizer {
    jieba: Jieba,
    stemmer: Stemmer,
    stop: HashSet<String>,
}

static SHARED: LazyLock<Tokenizer> = LazyLock::new(Tokenizer::load);

impl Tokenizer {
    /// The process-wide tokenizer (the dictionary loads on first use).
    pub fn shared() -> &'static Tokenizer {
        &SHARED
    }

    fn load() -> Tokenizer {
        let mut jieba = Jieba::new();
        // The user dictionary is part of the binary and checked by a test: it cannot fail here.
        let _ = jieba.load_dict(&mut BufReader::new(USER_DICT.as_bytes()));
        let mut stop: HashSet<String> = HashSet::new();
        for language in ["en", "zh"] {
            if let Some(words) = stop_words::lookup(language) {
                stop.extend(words.iter().map(|w| w.to_lowercase()));
            }
        }
        // The domain list adds words, and takes back with `!word` the list's words that name
        // technical things in this newsletter (`free` threading, `open` source, `test`).
        for line in DOMAIN_STOP_WORDS.lines() {
            let word = line.split('#').next().unwrap_or("").trim().to_lowercase();
            match word.strip_prefix('!') {
                Some(kept) => {
                    stop.remove(kept);
                }
                None if !word.is_empty() => {
                    stop.insert(word);
                }
                None => {}
            }
        }
        Tokenizer {
            jieba,
            stemmer: Stemmer::create(Algorithm::English),
            stop,
        }
    }

    /// The terms of `text`, in order of appearance (repeats kept).
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.terms_into(text, &mut out);
        out
    }

    /// Appends the terms of `text` to `out`.
    pub fn terms_into(&self, text: &str, out: &mut Vec<String>) {
        let plain = clean(text);
        let folded: String = if plain.is_ascii() {
            plain
        } else {
            plain.nfkc().collect()
        };
        let mut last = 0;
        for m in TECHNICAL.find_iter(&folded) {
            self.words(&folded[last..m.start()], out);
            if let Some(term) = canonical(m.as_str()) {
                out.push(term);
            }
            last = m.end();
        }
        self.words(&folded[last..], out);
    }

    /// Terms of a stretch with no technical token: English words and Chinese runs.
    fn words(&self, text: &str, out: &mut Vec<String>) {
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_alphanumeric()) {
            rest = &rest[start..];
            let first = rest.chars().next().unwrap_or(' ');
            if is_cjk(first) {
                let end = rest
                    .find(|c: char| !is_cjk(c) || !c.is_alphanumeric())
                    .unwrap_or(rest.len());
                self.chinese(&rest[..end], out);
                rest = &rest[end..];
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '\'') || is_cjk(c))
                    .unwrap_or(rest.len());
                self.english(&rest[..end], out);
                rest = &rest[end..];
            }
        }
    }

    fn chinese(&self, run: &str, out: &mut Vec<String>) {
        for token in self.jieba.cut(run, true) {
            let word = token.word;
            // Single characters are mostly particles and function words.
            if word.chars().nth(1).is_none() || self.stop.contains(word) {
                continue;
            }
            out.push(word.to_string());
        }
    }

    fn english(&self, word: &str, out: &mut Vec<String>) {
        let word = word.trim_matches(|c| c == '_' || c == '\'');
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        let lower = word.to_lowercase();
        let lower = lower.strip_suffix("'s").unwrap_or(&lower);
        if lower.chars().count() < 2 || self.stop.contains(lower) {
            return;
        }
        // Identifiers (snake_case, words with digits) are names: kept as written.
        if lower.contains('_') || lower.chars().any(|c| c.is_ascii_digit()) {
            out.push(lower.to_string());
            return;
        }
        let stem = self.stemmer.stem(lower);
        if !self.stop.contains(stem.as_ref()) {
            out.push(stem.into_owned());
        }
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

/// Markdown markup, URLs, e-mail addresses and numbering removed; link texts kept.
fn clean(text: &str) -> String {
    static NOISE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?x)
            (?:https?|ftp)://[^\s)\]>）]+      # URLs
            | www\.[^\s)\]>）]+
            | [\w.+-]+@[\w-]+(?:\.[\w-]+)+     # e-mail addresses
            | (?m:^\s*\d{1,3}\s*[、.．]\s)     # entry numbering
            | [\u{2460}-\u{2473}]              # circled numbers
            ",
        )
        .expect("valid regex")
    });
    let needs_markdown = text.contains(['[', '`', '*', '#', '<', '!', '\\', '_']);
    let plain = if needs_markdown {
        to_plain(text).text
    } else {
        text.to_string()
    };
    NOISE.replace_all(&plain, " ").into_owned()
}

/// Technical tokens, matched on NFKC-folded text before anything else splits them.
///
/// Word boundaries are ASCII ones, so that a token glued to Chinese text (`新版本python3.12发布`)
/// is still found.
static TECHNICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?-u:\b)pep[\s\-_]?\d{1,4}(?-u:\b)                              # PEP 701, PEP-701, pep701
        | (?-u:\b)python[\s\-]?[23](?:\.\d{1,2}){1,2}t?(?-u:\b)         # Python 3.12, Python 3.14t
        | (?-u:\b)[23]\.\d{1,2}(?:\.\d{1,2})?t?(?-u:\b)                 # 3.12, 3.14t
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

/// The one spelling of a technical token.
fn canonical(token: &str) -> Option<String> {
    static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));
    let lower = token.to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(number) = compact.strip_prefix("pep") {
        let number = number.trim_start_matches(['-', '_']);
        return number.parse::<u32>().ok().map(|n| format!("pep{n}"));
    }
    if let Some(version) = compact.strip_prefix("python") {
        return Some(format!("python{}", version.trim_start_matches('-')));
    }
    if compact.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("python{compact}"));
    }
    if compact.contains("string") && compact.len() <= 9 {
        let prefix = compact.chars().next()?;
        return Some(format!("{prefix}-string"));
    }
    if compact.contains('/') {
        return Some("async/await".to_string());
    }
    if compact.contains('-') && !compact.starts_with("__") {
        // Each part stemmed: free-threaded and free-threading are one term.
        let parts: Vec<String> = compact
            .split('-')
            .map(|p| {
                if p.chars().all(|c| c.is_ascii_alphabetic()) {
                    STEMMER.stem(p).into_owned()
                } else {
                    p.to_string()
                }
            })
            .collect();
        return Some(parts.join("-"));
    }
    Some(compact)
}

#[cfg(test)]
mod tests;
