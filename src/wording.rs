//! How a label or a name shows its words: the rule the topics' labels (`topics`, the reports,
//! `trends`) and the stories' names share. A label is a few of a ranked list of words (the
//! archive's shown forms); it says no word twice — a word another word of it holds is left out
//! (语言 in 编程语言, agent in multi-agent, R1 and DeepSeek in DeepSeek-R1) — and it shows its
//! words in the order the archive's titles write them ("large model", not "model large").

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::parse::markdown::has_cjk;

/// English words by their stems, as the tokenizer folds them: "powered" and "powerful" are one
/// word, "threaded" is "thread".
static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// A word's parts as a person reads them, lower-cased and stemmed: split at spaces and `-`.
fn parts(word: &str) -> Vec<String> {
    word.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| STEMMER.stem(&w.to_lowercase()).into_owned())
        .collect()
}

/// Whether `outer` holds `inner`, another word: a Chinese word by containing it (编程语言 holds
/// 语言), a word of letters by having it among its parts (multi-agent holds agent, DeepSeek-R1
/// holds R1, `Python 3.13` holds Python, free-threaded holds thread), case and English endings
/// aside; a Chinese word also holds the Latin words it writes (`uv 工具` holds uv).
pub fn holds(outer: &str, inner: &str) -> bool {
    let (o, i) = (outer.to_lowercase(), inner.to_lowercase());
    if o == i || i.is_empty() {
        return false;
    }
    if has_cjk(&i) {
        return o.contains(&i);
    }
    let inner_parts = parts(&i);
    let outer_parts = parts(&o);
    !inner_parts.is_empty()
        && outer_parts
            .windows(inner_parts.len())
            .any(|w| w == inner_parts.as_slice())
}

/// Up to `n` of `ranked` (best first) that say no word twice: a word held by a chosen one
/// ([`holds`]) or sharing a part with one (`open source` after `open-source`) is left out; a
/// word that holds chosen ones takes the place of the first of them and the others go (开源项目
/// after 开源, DeepSeek-R1 after R1), unless it shares a part with another chosen word.
pub fn distinct<S: AsRef<str>>(ranked: impl IntoIterator<Item = S>, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = ranked.into_iter();
    while out.len() < n {
        let Some(word) = rest.next() else { break };
        let word = word.as_ref();
        if word.is_empty()
            || out
                .iter()
                .any(|w| w.to_lowercase() == word.to_lowercase() || holds(w, word))
        {
            continue;
        }
        let held: Vec<usize> = (0..out.len()).filter(|&k| holds(word, &out[k])).collect();
        // A part shared with a chosen word it does not hold is a word said twice, held or not
        // (GIL-Free after GIL and free-threading).
        let own = parts(word);
        let shares = |w: &String| parts(w).iter().any(|p| own.contains(p));
        if (0..out.len()).any(|k| !held.contains(&k) && shares(&out[k])) {
            continue;
        }
        if let Some(&first) = held.first() {
            out[first] = word.to_string();
            for &k in held[1..].iter().rev() {
                out.remove(k);
            }
            continue;
        }
        out.push(word.to_string());
    }
    out
}

/// Where `title` first writes `word` (a word of letters as a word of its own, any case, an
/// ending of up to three letters allowed: the shown "model" is the title's "models"; a Chinese
/// word anywhere), as a character offset.
pub fn written_at(title: &str, word: &str) -> Option<usize> {
    written_at_lower(&title.to_lowercase(), &word.to_lowercase())
}

/// [`written_at`] of a title and a word already lower-cased.
fn written_at_lower(title: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let cjk = has_cjk(word);
    title
        .match_indices(word)
        .find(|&(at, _)| {
            let after = &title[at + word.len()..];
            let ending = after.chars().take_while(char::is_ascii_lowercase).count();
            cjk || (!latin(title[..at].chars().next_back())
                && ending <= 3
                && !latin(after[ending..].chars().next()))
        })
        .map(|(at, _)| title[..at].chars().count())
}

/// `words` (best first) in the order `titles` write them: for each pair, which comes first in
/// more of the titles that write both; then, word by word, the best one no other remaining word
/// precedes (where the titles go round in a circle, the one that precedes the others in the most
/// titles, less those it follows in; the best of those on a tie). Words no title writes together
/// keep their rank.
pub fn in_written_order<S: AsRef<str>>(words: &[String], titles: &[S]) -> Vec<String> {
    let n = words.len();
    if n < 2 {
        return words.to_vec();
    }
    // before[i][j]: titles writing word i before word j.
    let mut before = vec![vec![0u32; n]; n];
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    for title in titles {
        let title = title.as_ref().to_lowercase();
        let at: Vec<Option<usize>> = lower.iter().map(|w| written_at_lower(&title, w)).collect();
        for i in 0..n {
            for j in 0..n {
                if let (Some(a), Some(b)) = (at[i], at[j]) {
                    if a < b {
                        before[i][j] += 1;
                    }
                }
            }
        }
    }
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(n);
    while !remaining.is_empty() {
        // Where the titles go round in a circle, the word that leads the others by the most
        // titles: one pair written the other way round (a title "Training large models")
        // cannot put the word 27 titles write second ("model") first.
        let lead = |r: usize| -> i64 {
            remaining
                .iter()
                .map(|&s| i64::from(before[r][s]) - i64::from(before[s][r]))
                .sum()
        };
        let free = remaining
            .iter()
            .position(|&r| remaining.iter().all(|&s| before[s][r] <= before[r][s]))
            .unwrap_or_else(|| {
                (0..remaining.len())
                    .max_by_key(|&i| (lead(remaining[i]), std::cmp::Reverse(i)))
                    .unwrap_or(0)
            });
        out.push(words[remaining.remove(free)].clone());
    }
    out
}

/// The words a label shows: [`distinct`] words of `ranked`, at most `n`, in the order `titles`
/// write them ([`in_written_order`]).
pub fn label_words<S: AsRef<str>, T: AsRef<str>>(
    ranked: impl IntoIterator<Item = S>,
    n: usize,
    titles: &[T],
) -> Vec<String> {
    in_written_order(&distinct(ranked, n), titles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_word_another_word_holds_is_not_said_again() {
        assert!(holds("编程语言", "语言"));
        assert!(holds("multi-agent", "agent"));
        assert!(holds("DeepSeek-R1", "r1"));
        assert!(holds("Python 3.13", "Python"));
        assert!(holds("AI-powered", "powerful"), "one stem");
        assert!(holds("free-threaded", "thread"));
        assert!(!holds("database", "data"), "a longer Latin word is another word");
        assert!(!holds("语言", "编程语言"));
        assert_eq!(
            distinct(s(&["编程语言", "语言", "语法"]), 2),
            ["编程语言", "语法"]
        );
        // The holder takes the held word's place, whichever came first.
        assert_eq!(
            distinct(s(&["开源", "开源项目", "工具"]), 2),
            ["开源项目", "工具"]
        );
        assert_eq!(
            distinct(s(&["R1", "DeepSeek-R1", "DeepSeek", "完全"]), 3),
            ["DeepSeek-R1", "完全"]
        );
        assert_eq!(
            distinct(s(&["multi-agent", "multi-agent", "agent"]), 3),
            ["multi-agent"]
        );
        assert_eq!(
            distinct(s(&["open", "source", "open-source", "AI"]), 3),
            ["open-source", "AI"]
        );
        // GIL-Free holds GIL but says free-threading's "free" again.
        assert_eq!(
            distinct(s(&["GIL", "free-threading", "GIL-Free", "extension"]), 3),
            ["GIL", "free-threading", "extension"]
        );
        assert_eq!(
            distinct(s(&["Python 3.13", "Python 3.14", "GIL"]), 2),
            ["Python 3.13", "GIL"]
        );
    }

    #[test]
    fn words_are_shown_in_the_order_the_titles_write_them() {
        let titles = [
            "A large language model in 100 lines",
            "Large models on a laptop",
            "Which model is large enough",
            "Guido van Rossum on typing",
            "An interview with Guido van Rossum",
        ];
        assert_eq!(
            in_written_order(&s(&["model", "large"]), &titles),
            ["large", "model"]
        );
        assert_eq!(
            in_written_order(&s(&["Guido", "Rossum", "van"]), &titles),
            ["Guido", "van", "Rossum"]
        );
        // Never written together: the rank stays.
        assert_eq!(
            in_written_order(&s(&["typing", "laptop"]), &titles),
            ["typing", "laptop"]
        );
        // A circle (model → training → large → model): the word most titles write first
        // leads, not the best ranked.
        let circle = [
            "Large language models explained",
            "A large language model at home",
            "Why large language models hallucinate",
            "Model training on one GPU",
            "Training large networks",
        ];
        assert_eq!(
            in_written_order(&s(&["model", "large", "training", "language"]), &circle),
            ["large", "language", "model", "training"]
        );
        let zh = ["用大模型解决问题", "如何解决问题", "问题的解决之道"];
        assert_eq!(in_written_order(&s(&["问题", "解决"]), &zh), ["解决", "问题"]);
        assert_eq!(
            label_words(s(&["模型", "大模型", "问题", "解决"]), 2, &zh),
            ["大模型", "问题"]
        );
        assert_eq!(written_at("Use uv now", "UV"), Some(4));
        assert_eq!(written_at("uvloop", "uv"), None);
        assert_eq!(written_at("Two models", "model"), Some(4));
    }
}
