//! Links written other ways than the archive writes them — reference-style links (`[text][label]`,
//! `[text][]`, `[label]`, with `[label]: url` elsewhere in the file) and HTML anchors
//! (`<a href="url">text</a>`) — written again inline, `[text](url)`, before the line scanner
//! reads the file. An entry's text is read a piece at a time, so a definition further down the
//! file would otherwise be out of its sight, and an anchor's target dropped with the HTML: a
//! draft written this way would lose the links `check` finds repeats by.
//!
//! Every line stays where it is (a definition's line is left blank), so line numbers hold. A file
//! with no definition and no anchor is returned as it is: the archive writes neither.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Fence;

/// `[label]: url "title"`, up to three spaces in: a link reference definition (CommonMark 4.7;
/// the title is read and dropped, a definition's continuation lines are not supported).
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^ {0,3}\[([^\]\[]+)\]:[ \t]*(?:<([^<>\n]*)>|(\S+))(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*$"#)
        .expect("valid regex")
});

/// `<a … href="url" …>text</a>`, on one line.
static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>(.*?)</a\s*>"#)
        .expect("valid regex")
});

/// `text` with its reference-style links and HTML anchors written inline; `text` itself when it
/// has neither.
pub(super) fn inline(text: &str) -> Cow<'_, str> {
    let anchors = text.contains("<a ") || text.contains("<A ") || text.contains("<a\t");
    if !anchors && !text.contains("]:") {
        return Cow::Borrowed(text);
    }
    let definitions = definitions(text);
    if definitions.is_empty() && !anchors {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (line, definition) in lines(text) {
        let body = line.trim_end_matches(['\n', '\r']);
        let end = &line[body.len()..];
        match definition {
            Line::Definition(_) => out.push_str(end),
            Line::Code => out.push_str(line),
            Line::Text => {
                out.push_str(&rewrite(body, &definitions));
                out.push_str(end);
            }
        }
    }
    Cow::Owned(out)
}

/// How [`inline`] reads a line.
enum Line<'a> {
    /// A link reference definition: its label and target.
    Definition((&'a str, &'a str)),
    /// A line of fenced code, its fences included.
    Code,
    Text,
}

/// The lines of `text`, each with its end, and what each is. A definition stands where a
/// paragraph cannot go on: after a blank line, another definition, a heading, or at the start;
/// a line like one directly under text is that text's (CommonMark 4.7).
fn lines(text: &str) -> impl Iterator<Item = (&str, Line<'_>)> {
    let mut fence = Fence::default();
    let mut open_paragraph = false;
    text.split_inclusive('\n').map(move |line| {
        let body = line.trim_end_matches(['\n', '\r']);
        if fence.step(body) {
            open_paragraph = false;
            return (line, Line::Code);
        }
        let definition = (!open_paragraph)
            .then(|| DEFINITION.captures(body))
            .flatten()
            .map(|caps| {
                let label = caps.get(1).map_or("", |m| m.as_str());
                let url = caps.get(2).or(caps.get(3)).map_or("", |m| m.as_str());
                (label, url)
            });
        let trimmed = body.trim_start();
        open_paragraph = definition.is_none() && !trimmed.is_empty() && !trimmed.starts_with('#');
        match definition {
            Some(d) => (line, Line::Definition(d)),
            None => (line, Line::Text),
        }
    })
}

/// The file's definitions, by label (case and white space folded); the first of one label
/// counts, as CommonMark has it.
fn definitions(text: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for (_, line) in lines(text) {
        if let Line::Definition((label, url)) = line {
            found.entry(label_key(label)).or_insert_with(|| url.to_string());
        }
    }
    found
}

/// A label as CommonMark matches it: case folded, runs of white space one space.
fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where the code spans of `line` stand: a run of backticks opens one that a later run of as
/// many closes; a run that nothing closes is text.
fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let runs: Vec<(usize, usize)> = {
        let bytes = line.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                let start = i;
                while i < bytes.len() && bytes[i] == b'`' {
                    i += 1;
                }
                runs.push((start, i - start));
            } else {
                i += 1;
            }
        }
        runs
    };
    let mut spans = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let (start, width) = runs[k];
        match (k + 1..runs.len()).find(|&j| runs[j].1 == width) {
            Some(j) => {
                spans.push(start..runs[j].0 + width);
                k = j + 1;
            }
            None => k += 1,
        }
    }
    spans
}

/// One line's anchors and references written inline; code spans are left as they are.
fn rewrite<'a>(line: &'a str, definitions: &HashMap<String, String>) -> Cow<'a, str> {
    if !line.contains('[') && !line.contains('<') {
        return Cow::Borrowed(line);
    }
    let spans = code_spans(line);
    let in_code = |at: usize| spans.iter().any(|s| s.contains(&at));
    let mut anchored = String::with_capacity(line.len());
    let mut last = 0;
    for caps in ANCHOR.captures_iter(line) {
        let whole = caps.get(0).expect("the whole match");
        if in_code(whole.start()) {
            continue;
        }
        let url = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
        anchored.push_str(&line[last..whole.start()]);
        anchored.push_str(&format!("[{}]({})", caps[3].trim(), target(url)));
        last = whole.end();
    }
    anchored.push_str(&line[last..]);
    Cow::Owned(references(&anchored, definitions))
}

/// The bracketed text that opens at byte `open` of `text` (a `[`): where its `]` stands, brackets
/// nested in it balanced, backslash escapes and code spans skipped; `None` when it is not closed.
fn closing_bracket(text: &str, open: usize, spans: &[std::ops::Range<usize>]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        if let Some(span) = spans.iter().find(|s| s.start == i) {
            i = span.end;
            continue;
        }
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The references of `text` whose label is defined, written inline: `[text][label]`, `[text][]`
/// and `[label]` not followed by `(` or `:` (an inline link's text, a definition's label).
fn references(text: &str, definitions: &HashMap<String, String>) -> String {
    if definitions.is_empty() {
        return text.to_string();
    }
    let spans = code_spans(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find('[') {
        let open = i + found;
        if let Some(span) = spans.iter().find(|s| s.contains(&open)) {
            i = span.end;
            continue;
        }
        let Some(close) = closing_bracket(text, open, &spans) else {
            break;
        };
        let inner = &text[open + 1..close];
        let after = &text[close + 1..];
        // `[text][label]` or `[text][]`: the label, and where the whole ends.
        let full = after
            .starts_with('[')
            .then(|| closing_bracket(text, close + 1, &spans))
            .flatten()
            .map(|end| (&text[close + 2..end], end + 1));
        let (label, end) = match full {
            Some((label, end)) if !label.trim().is_empty() => (label, end),
            Some((_, end)) => (inner, end),
            None if after.starts_with('(') || after.starts_with(':') => {
                i = close + 1;
                continue;
            }
            None => (inner, close + 1),
        };
        match definitions.get(&label_key(label)) {
            Some(url) => {
                out.push_str(&text[last..open]);
                out.push_str(&format!("[{inner}]({})", target(url)));
                last = end;
                i = end;
            }
            // Not a defined reference: a bracket of the text, read on inside it.
            None => i = open + 1,
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A target as an inline link writes it: in angle brackets when it holds white space or a
/// bracket that would end it.
fn target(url: &str) -> Cow<'_, str> {
    if url.contains(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        Cow::Owned(format!("<{url}>"))
    } else {
        Cow::Borrowed(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_written_inline_and_its_definition_blanked() {
        let text = "1、[Ruff 发布 1.0][ruff]（英）\n\n说明。\n\n[ruff]: https://example.org/ruff \"Ruff\"\n";
        assert_eq!(
            inline(text),
            "1、[Ruff 发布 1.0](https://example.org/ruff)（英）\n\n说明。\n\n\n"
        );
    }

    #[test]
    fn collapsed_shortcut_and_numbered_references_are_read_case_folded() {
        let text = "[Tool A][] and [tool  a] and [b][2]\n\n[TOOL A]: <https://a.example/x y>\n[2]: https://b.example\n";
        assert_eq!(
            inline(text),
            "[Tool A](<https://a.example/x y>) and [tool  a](<https://a.example/x y>) and [b](https://b.example)\n\n\n\n"
        );
    }

    #[test]
    fn a_texts_brackets_and_code_spans_stay_inside_its_link() {
        let text = "1、[[PEP 8] 风格指南][a]\n2、[用 `asyncio` 写 [爬虫]][a]\n3、<a href=\"https://c.example\">用 `x` 写</a>\n\n[a]: https://a.example\n";
        assert_eq!(
            inline(text),
            "1、[[PEP 8] 风格指南](https://a.example)\n2、[用 `asyncio` 写 [爬虫]](https://a.example)\n\
             3、[用 `x` 写](https://c.example)\n\n\n"
        );
    }

    #[test]
    fn a_line_under_text_is_that_texts_not_a_definition() {
        let text = "1、[a][注]\n说明。\n[注]: 见下\n";
        assert!(definitions(text).is_empty());
        assert!(matches!(inline(text), Cow::Borrowed(_)));
        let after_heading = "## 文章\n[注]: https://n.example\n";
        assert_eq!(definitions(after_heading).len(), 1);
    }

    #[test]
    fn an_anchor_or_a_reference_in_a_code_span_stays() {
        let text = "`<a href=\"https://x.example\">x</a>` and ``[y][1]``\n\n[1]: https://one.example\n";
        assert_eq!(
            inline(text),
            "`<a href=\"https://x.example\">x</a>` and ``[y][1]``\n\n\n"
        );
    }

    #[test]
    fn inline_links_undefined_labels_code_and_fences_stay() {
        let text = "[a](https://a.example) [undefined] `[x][1]`\n```\n[y][1]\n[1]: https://in.fence\n```\n[1]: https://one.example\n";
        assert_eq!(
            inline(text),
            "[a](https://a.example) [undefined] `[x][1]`\n```\n[y][1]\n[1]: https://in.fence\n```\n\n"
        );
    }

    #[test]
    fn an_anchor_becomes_a_link() {
        let text = "2、<a href=\"https://example.org/p\" target=\"_blank\">项目 P</a>：说明\n";
        assert_eq!(inline(text), "2、[项目 P](https://example.org/p)：说明\n");
    }

    #[test]
    fn a_file_with_neither_is_returned_as_it_is() {
        let text = "1、[a](https://a.example)\n比例 1:2]: 不是定义\n";
        assert!(matches!(inline(text), Cow::Borrowed(_)));
    }
}
