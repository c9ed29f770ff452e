//! jieba's dictionary, whole or cut down to the words some texts can hold.
//!
//! jieba segments a run of Chinese by the dictionary words that occur in it, each weighed by
//! `ln(freq) − ln(total)`, where `total` is the sum of every word's frequency. Any other word
//! of the dictionary plays no part in cutting that run. So a dictionary holding every word that
//! occurs in some texts, with the same frequencies and the same total, cuts those texts exactly
//! as the whole dictionary does. Loading the 349,000 words takes a core about a tenth of a
//! second; the real archive can hold only about 14,000 of them, which load in a few
//! milliseconds.

use fixedbitset::FixedBitSet;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use jieba_rs::Jieba;

/// jieba's default dictionary, `word freq tag` a line, as jieba-rs 0.11 embeds it (see
/// `data/jieba/README.md`). Kept here so that the whole and the cut-down dictionaries are the same
/// words.
const DICTIONARY: &str = include_str!("../../data/jieba/dict.txt");

/// The sum of every word's frequency in [`DICTIONARY`]: known when the dictionary is, so that a
/// build reads the frequencies of the words it keeps only (a test sums them all again).
const WHOLE_TOTAL: usize = 60_101_964;

/// A word that stands for the frequency of every word left out, so that the total stays the
/// whole dictionary's. A private-use character: it is never part of a Chinese run.
const LEFT_OUT: &str = "\u{E000}";

/// The whole dictionary.
pub(super) fn whole() -> Jieba {
    Jieba::with_dict(&mut DICTIONARY.as_bytes()).expect("jieba's dictionary is well-formed")
}

/// The characters of some texts, and the pairs of characters that stand next to each other in
/// them: every dictionary word that occurs in the texts has each of its characters in the one
/// and each of its neighbouring pairs in the other.
pub(super) struct Fragments {
    /// The characters of the Basic Multilingual Plane, a bit each (8 KiB): a character is
    /// looked up without hashing.
    chars: FixedBitSet,
    /// A character beyond the BMP as `c`, a pair `(a, b)` as [`pair`] makes it.
    seen: FxHashSet<u64>,
}

/// How many characters [`Fragments::chars`] has a bit for.
const BMP: usize = 0x1_0000;

impl Default for Fragments {
    fn default() -> Fragments {
        Fragments {
            chars: FixedBitSet::with_capacity(BMP),
            seen: FxHashSet::default(),
        }
    }
}

impl Fragments {
    /// Adds the characters of `text` for which `keep` holds, and the pairs of them that stand
    /// next to each other.
    pub(super) fn add(&mut self, text: &str, keep: impl Fn(char) -> bool) {
        let mut previous: Option<char> = None;
        for c in text.chars() {
            if !keep(c) {
                previous = None;
                continue;
            }
            self.insert_char(c);
            if let Some(p) = previous {
                self.seen.insert(pair(p, c));
            }
            previous = Some(c);
        }
    }

    fn insert_char(&mut self, c: char) {
        let i = c as usize;
        if i < BMP {
            self.chars.insert(i);
        } else {
            self.seen.insert(u64::from(c));
        }
    }

    fn has_char(&self, c: char) -> bool {
        let i = c as usize;
        if i < BMP {
            self.chars.contains(i)
        } else {
            self.seen.contains(&u64::from(c))
        }
    }

    /// The fragments of both (the smaller set added to the larger).
    pub(super) fn merge(mut self, other: Fragments) -> Fragments {
        if self.seen.len() < other.seen.len() {
            return other.merge(self);
        }
        self.chars.union_with(&other.chars);
        self.seen.extend(other.seen);
        self
    }

    /// The characters of the texts, in increasing order.
    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        let in_bmp = (self.chars.ones()).filter_map(|i| char::from_u32(i as u32));
        let mut beyond: Vec<char> = (self.seen.iter())
            .filter(|&&key| key >> 63 == 0)
            .filter_map(|&key| char::from_u32(key as u32))
            .collect();
        beyond.sort_unstable();
        in_bmp.chain(beyond)
    }

    /// Whether `word` may occur in the texts: each of its characters and neighbouring pairs does.
    fn may_hold(&self, word: &str) -> bool {
        let mut chars = word.chars();
        let Some(mut previous) = chars.next() else {
            return false;
        };
        if !self.has_char(previous) {
            return false;
        }
        chars.all(|c| {
            let seen = self.seen.contains(&pair(previous, c));
            previous = c;
            seen
        })
    }
}

/// A pair's key: both characters, with the top bit set, which no lone character's key has.
fn pair(a: char, b: char) -> u64 {
    1 << 63 | u64::from(a) << 32 | u64::from(b)
}

/// The dictionary's words that may occur in the texts `fragments` was made from, with the
/// whole dictionary's total. Cuts those texts as [`whole`] does.
pub(super) fn for_fragments(fragments: &Fragments) -> Jieba {
    let (kept, kept_total) = select(DICTIONARY, fragments);
    let mut jieba = Jieba::with_dict(&mut kept.as_bytes()).expect("jieba's dictionary is well-formed");
    let left_out = WHOLE_TOTAL - kept_total;
    if left_out > 0 {
        jieba.add_word(LEFT_OUT, Some(left_out), None);
    }
    jieba
}

/// The lines of `dictionary` whose word `fragments` may hold, in the dictionary's order, and
/// the sum of their frequencies. The dictionary's lines are in byte order, so the lines that
/// begin with one character stand together: only the runs of the characters the texts hold are
/// read, each found by a binary search (for a query's few characters, a few hundred lines of
/// the 349,000). A whole archive's thousands of characters are read a slice of them a task, the
/// slices' lines put together in their order.
fn select(dictionary: &str, fragments: &Fragments) -> (String, usize) {
    let chars: Vec<char> = fragments.chars().collect();
    if chars.len() <= CHARS_A_TASK {
        return select_runs(dictionary, &chars, fragments);
    }
    let pieces: Vec<(String, usize)> = chars
        .par_chunks(CHARS_A_TASK)
        .map(|chars| select_runs(dictionary, chars, fragments))
        .collect();
    let mut kept = String::with_capacity(pieces.iter().map(|(lines, _)| lines.len()).sum());
    let mut kept_total = 0;
    for (lines, total) in pieces {
        kept.push_str(&lines);
        kept_total += total;
    }
    (kept, kept_total)
}

/// How many characters' runs one task of [`select`] reads: a real archive holds about 4,000
/// characters, a query a few dozen.
const CHARS_A_TASK: usize = 256;

/// [`select`] over the runs of `chars`, characters in increasing order.
fn select_runs(dictionary: &str, chars: &[char], fragments: &Fragments) -> (String, usize) {
    let mut kept = String::new();
    let mut kept_total = 0;
    // Characters in increasing order are runs in the dictionary's order.
    let mut start = 0;
    for &c in chars {
        start += first_line_from(&dictionary[start..], c);
        for line in dictionary[start..].lines() {
            if !line.starts_with(c) {
                break;
            }
            start = (start + line.len() + 1).min(dictionary.len());
            let mut fields = line.split_ascii_whitespace();
            let Some(word) = fields.next() else { continue };
            if fragments.may_hold(word) {
                let freq: usize = fields
                    .next()
                    .map_or(0, |f| f.parse().expect("jieba's dictionary is well-formed"));
                kept_total += freq;
                kept.push_str(line);
                kept.push('\n');
            }
        }
    }
    (kept, kept_total)
}

/// Where the first line of `lines` (lines in byte order, each ended by a newline) that begins
/// with `c` or a later character starts; `lines.len()` when none does.
fn first_line_from(lines: &str, c: char) -> usize {
    // Both are line starts (or the end): every line before `low` begins before `c`, and every
    // line from `high` on begins with `c` or later.
    let (mut low, mut high) = (0, lines.len());
    while low < high {
        let middle = low + (high - low) / 2;
        // The middle byte may be inside a character: the line it is in starts after a newline.
        let line = (lines.as_bytes()[..middle].iter())
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
            .max(low);
        if lines[line..].chars().next().is_some_and(|first| first < c) {
            low = lines[line..].find('\n').map_or(lines.len(), |i| line + i + 1);
        } else {
            high = line;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The total a cut-down dictionary keeps is the whole dictionary's, summed line by line as
    /// jieba reads it.
    #[test]
    fn the_whole_total_is_the_sum_of_the_dictionary_frequencies() {
        let total: usize = DICTIONARY
            .lines()
            .filter_map(|line| line.split_ascii_whitespace().nth(1))
            .map(|f| f.parse::<usize>().expect("a frequency"))
            .sum();
        assert_eq!(total, WHOLE_TOTAL);
    }

    /// A character is held by its bit in the BMP, or in the set beyond it; a word by each
    /// character and pair.
    #[test]
    fn fragments_hold_the_characters_and_pairs_of_their_texts() {
        let mut fragments = Fragments::default();
        fragments.add("数据x分析\u{20000}\u{20001}", |c| c != 'x');
        for word in [
            "数",
            "数据",
            "分析",
            "析\u{20000}",
            "\u{20000}\u{20001}",
            "\u{20001}",
        ] {
            assert!(fragments.may_hold(word), "{word}");
        }
        // `x` is left out, so neither it nor the pair across it is held; nor are characters
        // never added, in the BMP or beyond.
        for word in ["x", "据分", "据x", "库", "\u{20002}", "\u{20001}\u{20000}", ""] {
            assert!(!fragments.may_hold(word), "{word}");
        }
        let mut other = Fragments::default();
        other.add("库\u{20002}", |_| true);
        let merged = fragments.merge(other);
        for word in ["数据", "库", "\u{20002}", "\u{20000}\u{20001}"] {
            assert!(merged.may_hold(word), "{word}");
        }
        // `select` keeps the lines of the words held, with their frequencies only.
        let (kept, total) = select("图书 5 n\n库 3 n\n据分 7 n\n数据 10 n\n", &merged);
        assert_eq!((kept.as_str(), total), ("库 3 n\n数据 10 n\n", 13));
    }

    /// What [`select`]'s binary search stands on: the dictionary's lines in byte order, each
    /// ended by a newline, none empty or beginning with a space.
    #[test]
    fn the_dictionary_is_in_byte_order_a_word_a_line() {
        assert!(DICTIONARY.ends_with('\n'));
        let lines: Vec<&str> = DICTIONARY.split_terminator('\n').collect();
        assert!(lines.is_sorted());
        assert!(lines
            .iter()
            .all(|l| l.chars().next().is_some_and(|c| !c.is_whitespace()) && !l.contains('\r')));
    }

    /// The line a binary search lands on: the first that begins with the character or a later
    /// one, at the start, in the middle, past the end, with one line or none.
    #[test]
    fn the_first_line_of_a_character_is_found() {
        let lines = "a 1\nb 1\nbb 2\nd 1\n";
        for (c, at) in [('A', 0), ('a', 0), ('b', 4), ('c', 13), ('d', 13), ('e', 17)] {
            assert_eq!(first_line_from(lines, c), at, "{c}");
        }
        assert_eq!(first_line_from("x 1\n", 'x'), 0);
        assert_eq!(first_line_from("x 1\n", 'y'), 4);
        assert_eq!(first_line_from("", 'x'), 0);
    }

    /// Reading only the runs of the texts' characters keeps what reading every line keeps: the
    /// same lines in the same order and the same total, for Chinese, for characters beyond the
    /// BMP and for a text with no Chinese at all.
    #[test]
    fn the_runs_keep_what_a_scan_of_every_line_keeps() {
        let every_line = |fragments: &Fragments| {
            let mut kept = String::new();
            let mut total = 0;
            for line in DICTIONARY.lines() {
                let mut fields = line.split_ascii_whitespace();
                let word = fields.next().expect("a word");
                if line.chars().next().is_some_and(|c| fragments.has_char(c)) && fragments.may_hold(word) {
                    total += fields.next().map_or(0, |f| f.parse::<usize>().expect("a number"));
                    kept.push_str(line);
                    kept.push('\n');
                }
            }
            (kept, total)
        };
        // Words from all over the dictionary: more characters than one task of `select` reads.
        let many: String = DICTIONARY
            .lines()
            .step_by(500)
            .filter_map(|l| l.split(' ').next())
            .collect();
        assert!(many.chars().collect::<std::collections::BTreeSet<_>>().len() > 2 * CHARS_A_TASK);
        for text in [
            "异步编程的十个陷阱：从数据分析到机器学习，一个人的开源项目",
            "\u{20000}中国\u{2A6D6}人民",
            "fleel",
            "",
            &many,
        ] {
            let mut fragments = Fragments::default();
            fragments.add(text, |c| !c.is_ascii());
            let selected = select(DICTIONARY, &fragments);
            assert_eq!(selected, every_line(&fragments), "{text}");
            assert_eq!(selected.0.is_empty(), text.is_ascii(), "{text}");
        }
    }
}
