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

use regex::{Captures, Regex};

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

/// `[text][label]`, `[text][]` or `[label]` not followed by `(`, `[` or `:` (an inline link, a
/// full reference or a definition). Brackets nested in the text are not read.
static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\])?").expect("valid regex"));

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
    let mut fence = Fence::default();
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let end = &line[body.len()..];
        if fence.step(body) {
            out.push_str(line);
        } else if DEFINITION.is_match(body) {
            out.push_str(end);
        } else {
            out.push_str(&rewrite(body, &definitions));
            out.push_str(end);
        }
    }
    Cow::Owned(out)
}

/// The file's definitions outside fenced code, by label (case and white space folded); the first
/// of one label counts, as CommonMark has it.
fn definitions(text: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let mut fence = Fence::default();
    for line in text.lines() {
        if fence.step(line) {
            continue;
        }
        if let Some(caps) = DEFINITION.captures(line) {
            let url = caps.get(2).or(caps.get(3)).map_or("", |m| m.as_str());
            found
                .entry(label_key(&caps[1]))
                .or_insert_with(|| url.to_string());
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

/// One line's anchors and references written inline; code spans (between backticks) are left as
/// they are.
fn rewrite<'a>(line: &'a str, definitions: &HashMap<String, String>) -> Cow<'a, str> {
    if !line.contains('[') && !line.contains('<') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(piece);
            continue;
        }
        let anchored = ANCHOR.replace_all(piece, |caps: &Captures<'_>| {
            let url = caps.get(1).or(caps.get(2)).map_or("", |m| m.as_str());
            format!("[{}]({})", caps[3].trim(), target(url))
        });
        out.push_str(&references(&anchored, definitions));
    }
    Cow::Owned(out)
}

/// The references of `text` whose label is defined, written inline.
fn references(text: &str, definitions: &HashMap<String, String>) -> String {
    if definitions.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in REFERENCE.captures_iter(text) {
        let whole = caps.get(0).expect("the whole match");
        let after = &text[whole.end()..];
        let shortcut = caps.get(2).is_none();
        // An inline link's text, or a definition's label, is no reference.
        if shortcut && (after.starts_with('(') || after.starts_with(':')) {
            continue;
        }
        let label = match caps.get(2).map(|m| m.as_str()) {
            Some(label) if !label.trim().is_empty() => label,
            _ => &caps[1],
        };
        let Some(url) = definitions.get(&label_key(label)) else {
            continue;
        };
        out.push_str(&text[last..whole.start()]);
        out.push_str(&format!("[{}]({})", &caps[1], target(url)));
        last = whole.end();
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
        let text = "[Tool A][] and [tool  a] and [b][2]\n[TOOL A]: <https://a.example/x y>\n[2]: https://b.example\n";
        assert_eq!(
            inline(text),
            "[Tool A](<https://a.example/x y>) and [tool  a](<https://a.example/x y>) and [b](https://b.example)\n\n\n"
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
