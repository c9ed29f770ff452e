//! The scripts a text's letters are written in: tells an English translation from a file in
//! another language put in its place (a Japanese translation in `en/`, the Chinese issue copied
//! over), so that foreign text never fills the English fields.

use std::sync::LazyLock;

use regex::Regex;

/// Letters of a text by script. Link targets, bare URLs and HTML tags are left out: they are
/// Latin in every language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Letters {
    pub latin: usize,
    /// Chinese characters (hanzi, kanji, hanja).
    pub han: usize,
    /// Japanese hiragana and katakana.
    pub kana: usize,
    pub hangul: usize,
    pub other: usize,
}

/// The language a text not in English is written in, as its letters show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    Chinese,
    Japanese,
    Korean,
}

/// A text with at least this share of kana or hangul among its letters is not English: English
/// text quotes a Japanese or Korean name at most.
const KANA_HANGUL: f64 = 0.1;
/// A text with at least this share of Chinese characters, kana and hangul is not English either.
const NOT_LATIN: f64 = 0.5;

impl Letters {
    pub fn count(text: &str) -> Letters {
        static LATIN_ONLY: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"\]\([^)\s]*\)|https?://[^\s)\]>]+|<[^>\n]*>").expect("valid regex")
        });
        let mut letters = Letters::default();
        let mut last = 0;
        for m in LATIN_ONLY.find_iter(text) {
            letters.add(&text[last..m.start()]);
            last = m.end();
        }
        letters.add(&text[last..]);
        letters
    }

    fn add(&mut self, text: &str) {
        // ASCII, most of an English text, by bytes: its letters are Latin ones.
        let mut rest = text;
        while !rest.is_empty() {
            let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
            let (plain, other) = rest.split_at(ascii);
            self.latin += plain.bytes().filter(u8::is_ascii_alphabetic).count();
            let end = other.find(|c: char| c.is_ascii()).unwrap_or(other.len());
            self.add_other(&other[..end]);
            rest = &other[end..];
        }
    }

    /// The letters of `text`, which holds no ASCII.
    fn add_other(&mut self, text: &str) {
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            match c {
                '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => self.kana += 1,
                '\u{1100}'..='\u{11FF}'
                | '\u{3130}'..='\u{318F}'
                | '\u{A960}'..='\u{A97F}'
                | '\u{AC00}'..='\u{D7FF}' => self.hangul += 1,
                '\u{3005}'
                | '\u{3400}'..='\u{4DBF}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{F900}'..='\u{FAFF}'
                | '\u{20000}'..='\u{2FA1F}' => self.han += 1,
                'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' | '\u{FF21}'..='\u{FF5A}' => self.latin += 1,
                _ => self.other += 1,
            }
        }
    }

    pub fn total(&self) -> usize {
        self.latin + self.han + self.kana + self.hangul + self.other
    }

    /// The share of all letters that `part` makes, 0 to 1.
    pub fn share(&self, part: usize) -> f64 {
        match self.total() {
            0 => 0.0,
            total => part as f64 / total as f64,
        }
    }

    /// The language the text is written in when it is plainly not English: kana or hangul
    /// make a tenth of its letters, or East Asian scripts half of them.
    pub fn foreign(&self) -> Option<Foreign> {
        let east_asian = self.han + self.kana + self.hangul;
        let marked = self.kana + self.hangul;
        if self.share(marked) < KANA_HANGUL && self.share(east_asian) < NOT_LATIN {
            return None;
        }
        Some(if marked == 0 {
            Foreign::Chinese
        } else if self.kana >= self.hangul {
            Foreign::Japanese
        } else {
            Foreign::Korean
        })
    }

    /// What the letters of a text in `language` are, in words: "62% of its letters are
    /// Japanese (41% kana, 21% kanji)".
    pub fn describe(&self, language: Foreign) -> String {
        let percent = |n: usize| (self.share(n) * 100.0).round();
        match language {
            Foreign::Chinese => format!("{}% of its letters are Chinese characters", percent(self.han)),
            Foreign::Japanese => format!(
                "{}% of its letters are Japanese ({}% kana, {}% kanji)",
                percent(self.kana + self.han),
                percent(self.kana),
                percent(self.han)
            ),
            Foreign::Korean => format!(
                "{}% of its letters are Korean ({}% hangul, {}% hanja)",
                percent(self.hangul + self.han),
                percent(self.hangul),
                percent(self.han)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_with_a_few_names_is_english() {
        let text = "1. [uv 0.5 is out](https://a.dev/uv) (EN)\n\nThe fastest Python package installer, \
                    written by 张三 in Rust; its documentation (ドキュメント) has a Japanese edition.";
        assert_eq!(Letters::count(text).foreign(), None);
    }

    #[test]
    fn tells_japanese_korean_and_chinese() {
        let ja = "1. [Python 3.14 の新機能](https://a.dev/x)\n\nこれは新しい機能についての記事です。";
        assert_eq!(Letters::count(ja).foreign(), Some(Foreign::Japanese));
        let ko = "1. [Python 3.14 새 기능](https://a.dev/x)\n\n이것은 새로운 기능에 대한 글입니다.";
        assert_eq!(Letters::count(ko).foreign(), Some(Foreign::Korean));
        let zh = "1、[Python 3.14 新特性](https://a.dev/x)\n\n这是一篇介绍新特性的文章。";
        assert_eq!(Letters::count(zh).foreign(), Some(Foreign::Chinese));
    }

    #[test]
    fn link_targets_do_not_count() {
        let letters = Letters::count(
            "[記事](https://example.dev/a-very-long-english-path) <img src=\"x\"> https://b.dev/c",
        );
        assert_eq!(letters.latin, 0);
        assert_eq!(letters.han, 2);
    }

    #[test]
    fn says_which_letters() {
        let letters = Letters {
            latin: 38,
            han: 21,
            kana: 41,
            ..Letters::default()
        };
        assert_eq!(
            letters.describe(Foreign::Japanese),
            "62% of its letters are Japanese (41% kana, 21% kanji)"
        );
    }
}
