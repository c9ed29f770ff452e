//! The first line of an entry: its printed number, its title, the title's link, the language
//! marker, and whatever else stands on the line (asides, a glued image).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Lang, Mark};

use super::markdown::{fold_space, to_plain};

/// How an entry's number is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `12、` or `12. `: full issues.
    Arabic(u32),
    /// `⑫`: the title-only summaries.
    Circled(u32),
}

impl Marker {
    pub fn number(self) -> u32 {
        match self {
            Marker::Arabic(n) | Marker::Circled(n) => n,
        }
    }
}

/// The most digits an entry's number is written with.
pub const MARKER_DIGITS: usize = 3;

/// The number of a line that would open an entry (`1000、[title](url)`) but for its number's
/// length: such a line is not read as an entry, which is said. A year opening a sentence
/// (`2024、2025 两年…`) is no such line: a link follows an entry's number.
pub fn number_too_long(line: &str) -> Option<&str> {
    static LONG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s{0,3}(\d{4,})\s*、\s*(?:\[|\*\*\[|!\[)").expect("valid regex"));
    if !line.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(LONG.captures(line)?.get(1)?.as_str())
}

/// `12、` (any space around), or `12.`/`12．` followed by a space; not `3.12`.
static ARABIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(\d{1,3})\s*(?:、|[.．](?:\s|$))\s*").expect("valid regex"));

/// Splits an entry's number marker off a line.
pub fn split_marker(line: &str) -> Option<(Marker, &str)> {
    let trimmed = line.trim_start();
    let first = trimmed.chars().next()?;
    // `ARABIC` opens with a digit after white space: most lines are prose, not searched.
    if let Some(caps) = first.is_numeric().then(|| ARABIC.captures(line)).flatten() {
        let number = caps[1].parse().ok()?;
        return Some((Marker::Arabic(number), &line[caps[0].len()..]));
    }
    let number = circled_number(first)?;
    Some((Marker::Circled(number), trimmed[first.len_utf8()..].trim_start()))
}

/// ① … ⑳, ㉑ … ㉟, ㊱ … ㊿.
fn circled_number(c: char) -> Option<u32> {
    let code = c as u32;
    match code {
        0x2460..=0x2473 => Some(code - 0x2460 + 1),
        0x3251..=0x325F => Some(code - 0x3251 + 21),
        0x32B1..=0x32BF => Some(code - 0x32B1 + 36),
        _ => None,
    }
}

/// Language markers as the editor writes them after a title: (英), （英文）, (English), (EN) …
static LANG_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[(（]\s*(英|英文|english|eng|en|in english|中译|中英|中文|chinese|zh)\s*[)）]")
        .expect("valid regex")
});

/// The language a marker names, and the text with the marker removed.
pub fn take_lang_marker(text: &str) -> (Option<Lang>, String) {
    let mut lang = None;
    let rest = LANG_MARKER.replace_all(text, |caps: &regex::Captures<'_>| {
        let word = caps[1].to_lowercase();
        let marked = match word.as_str() {
            "英" | "英文" | "english" | "eng" | "en" | "in english" => Lang::En,
            _ => Lang::Zh,
        };
        lang.get_or_insert(marked);
        ""
    });
    (lang, fold_space(&rest))
}

/// What the first line of an entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleLine {
    pub title: String,
    /// The link the title is written in, if any.
    pub url: Option<String>,
    /// Other links on the line.
    pub links: Vec<String>,
    pub lang: Option<Lang>,
    pub image_alts: Vec<String>,
    /// Text after the title on the same line, other than markers (an aside, say).
    pub rest: String,
    /// Where the links and code spans of `rest` stand.
    pub rest_marks: Vec<Mark>,
}

/// Reads the text after the number marker.
///
/// When the line opens with a link, the title is that link's text, joined with any link that
/// follows it directly (a title split over two links), and a language marker is looked for after
/// it. Otherwise the whole line, less its marker, is the title.
pub fn parse_title_line(text: &str) -> TitleLine {
    let text = text.trim();
    let (head, tail) = text.split_at(leading_links_end(text));
    if head.is_empty() {
        let (lang, text) = take_lang_marker(text);
        let plain = to_plain(&text);
        return TitleLine {
            title: fold_space(&plain.text),
            url: None,
            links: plain.links.into_iter().map(|l| l.url).collect(),
            lang,
            image_alts: plain.image_alts,
            rest: String::new(),
            rest_marks: Vec::new(),
        };
    }
    let title_links = to_plain(head).links;
    // Joined as written, so `[pybites：](…)[重构](…)` reads `pybites：重构` and `[a](…)[ b](…)` `a b`.
    let title = fold_space(&title_links.iter().map(|l| l.text.as_str()).collect::<String>());
    let mut title_urls = title_links.into_iter().map(|l| l.url).filter(|u| !u.is_empty());
    let url = title_urls.next();
    let (lang, tail) = take_lang_marker(tail);
    let rest = to_plain(&tail);
    TitleLine {
        title,
        url,
        links: title_urls.chain(rest.links.into_iter().map(|l| l.url)).collect(),
        lang,
        image_alts: rest.image_alts,
        // The plain text's lines are folded and never empty: folding them into one line turns
        // each line break into one space, and the marks keep their offsets.
        rest: fold_space(&rest.text),
        rest_marks: rest.marks,
    }
}

/// The byte offset where the run of links at the very start of `text` ends (0 when the text does
/// not open with a link). Links directly after one another form one run; anything else ends it.
fn leading_links_end(text: &str) -> usize {
    let mut rest = text;
    while rest.starts_with('[') {
        let Some(after) = skip_link(rest) else { break };
        rest = after.trim_start();
    }
    text.len() - rest.len()
}

/// Splits the images standing at the very start of a line (`![](…)9、[title](…)`, an entry
/// glued to the previous entry's picture) from what follows them.
pub fn split_leading_images(line: &str) -> (&str, &str) {
    let mut rest = line.trim_start();
    while let Some(after_bang) = rest.strip_prefix('!') {
        let Some(after) = skip_link(after_bang) else { break };
        rest = after.trim_start();
    }
    let cut = line.len() - rest.len();
    (&line[..cut], rest)
}

/// Skips one inline link `[text](target)` at the start of `s`, honouring nested brackets,
/// backslash escapes and parentheses inside the target.
fn skip_link(s: &str) -> Option<&str> {
    let after_text = skip_balanced(s, '[', ']')?;
    if !after_text.starts_with('(') {
        return None;
    }
    skip_balanced(after_text, '(', ')')
}

fn skip_balanced(s: &str, open: char, close: char) -> Option<&str> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
        } else if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(&s[i + c.len_utf8()..]);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_number_style() {
        assert_eq!(split_marker("1、[t](u)"), Some((Marker::Arabic(1), "[t](u)")));
        assert_eq!(split_marker("12、 [t](u)"), Some((Marker::Arabic(12), "[t](u)")));
        assert_eq!(split_marker("3. [t](u)"), Some((Marker::Arabic(3), "[t](u)")));
        assert_eq!(split_marker("⑫ 标题"), Some((Marker::Circled(12), "标题")));
        assert_eq!(split_marker("㉑ 标题"), Some((Marker::Circled(21), "标题")));
    }

    #[test]
    fn a_version_number_is_not_a_marker() {
        assert_eq!(split_marker("3.12 的最终版本计划在 10 月发布"), None);
        assert_eq!(split_marker("2024 年的总结"), None);
    }

    #[test]
    fn reads_linked_title_with_marker() {
        let line = parse_title_line("[PEP 713：可调用的模块](https://peps.example.org/pep-0713)（英文）");
        assert_eq!(line.title, "PEP 713：可调用的模块");
        assert_eq!(line.url.as_deref(), Some("https://peps.example.org/pep-0713"));
        assert_eq!(line.lang, Some(Lang::En));
        assert!(line.rest.is_empty());
    }

    #[test]
    fn joins_a_title_split_over_two_links() {
        let line = parse_title_line("[第一部分](https://a.dev/1)[第二部分](https://a.dev/2) (英)");
        assert_eq!(line.title, "第一部分第二部分");
        assert_eq!(line.url.as_deref(), Some("https://a.dev/1"));
        assert_eq!(line.links, vec!["https://a.dev/2".to_string()]);
    }

    #[test]
    fn keeps_nested_brackets_and_escapes() {
        let line = parse_title_line(r"[[吐槽] 用 \[tool\] 处理 \_\_init\_\_.py](https://x.dev/a)");
        assert_eq!(line.title, "[吐槽] 用 [tool] 处理 __init__.py");
        assert_eq!(line.url.as_deref(), Some("https://x.dev/a"));
    }

    #[test]
    fn glued_image_is_not_part_of_the_title() {
        let line = parse_title_line("[标题](https://x.dev/a)![示意图](https://img.x.dev/b.png)");
        assert_eq!(line.title, "标题");
        assert_eq!(line.image_alts, vec!["示意图".to_string()]);
        assert!(line.links.is_empty());
    }

    #[test]
    fn splits_images_glued_before_an_entry() {
        let (images, rest) = split_leading_images("![](https://img.x.dev/p.png)9、[gpustack](https://g.dev)");
        assert_eq!(images, "![](https://img.x.dev/p.png)");
        assert_eq!(split_marker(rest).map(|(m, _)| m), Some(Marker::Arabic(9)));
        assert_eq!(split_leading_images("plain"), ("", "plain"));
    }

    #[test]
    fn unlinked_title_is_the_whole_line() {
        let line = parse_title_line("三个练手项目的实战教程：");
        assert_eq!(line.title, "三个练手项目的实战教程：");
        assert_eq!(line.url, None);
    }

    #[test]
    fn chinese_markers_mean_zh() {
        assert_eq!(take_lang_marker("x (中译)").0, Some(Lang::Zh));
        assert_eq!(take_lang_marker("x (Chinese)").0, Some(Lang::Zh));
        assert_eq!(take_lang_marker("x (EN)").0, Some(Lang::En));
        assert_eq!(take_lang_marker("x").0, None);
    }
}
