//! Markdown to plain text, through pulldown-cmark: what an entry's title line and description
//! say once the markup is gone.
//!
//! Link texts stay and their targets are collected; inline code and code blocks stay as text;
//! images are dropped from the text but their alt texts are kept apart; raw HTML is dropped.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A link as written: its visible text (white space as written) and its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// The plain reading of a piece of markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plain {
    /// The text, blocks separated by a newline, runs of white space folded.
    pub text: String,
    /// Every link, in order of appearance (autolinks included).
    pub links: Vec<Link>,
    /// Alt texts of the images, in order; empty alts are left out.
    pub image_alts: Vec<String>,
}

/// Renders `markdown` to plain text.
pub fn to_plain(markdown: &str) -> Plain {
    let mut plain = Plain::default();
    let mut out = String::with_capacity(markdown.len());
    // Nesting depth of images: text inside an image is its alt text.
    let mut image_depth = 0usize;
    let mut alt = String::new();
    // Links being read: (target, byte offset of their text in `out`).
    let mut open_links: Vec<(String, usize)> = Vec::new();

    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(Tag::Image { .. }) => {
                image_depth += 1;
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                if image_depth == 0 {
                    let text = fold_space(&alt);
                    if !text.is_empty() {
                        plain.image_alts.push(text);
                    }
                    alt.clear();
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                open_links.push((dest_url.into_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = open_links.pop() {
                    let text = out[start..].to_string();
                    plain.links.push(Link { text, url });
                }
            }
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                if image_depth > 0 {
                    alt.push_str(&text);
                } else {
                    out.push_str(&text);
                }
            }
            Event::SoftBreak => push_break(&mut out, &mut alt, image_depth, false),
            Event::HardBreak => push_break(&mut out, &mut alt, image_depth, true),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Rule => out.push('\n'),
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
            Event::TaskListMarker(_) | Event::Start(_) | Event::End(_) => {}
        }
    }
    plain.text = fold_lines(&out);
    plain
}

/// A line break inside a paragraph: Chinese text joins without a space, other text with one.
fn push_break(out: &mut String, alt: &mut String, image_depth: usize, hard: bool) {
    let target = if image_depth > 0 { alt } else { out };
    if hard {
        target.push('\n');
    } else if target.chars().next_back().is_some_and(|c| !is_cjk(c)) {
        target.push(' ');
    }
}

/// Whether `c` is a CJK ideograph or CJK punctuation, text that is written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{2FA1F}')
}

/// Whether `text` holds CJK text (see [`is_cjk`]): a Chinese word, title or label.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

/// Folds runs of white space inside a line to one space and trims the ends (the words written
/// straight into one string: most of the archive's text runs through it).
pub fn fold_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds each line and drops empty ones.
fn fold_lines(text: &str) -> String {
    text.lines()
        .map(fold_space)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn fold_space_joins_the_words_with_one_space(text in "[a文 \t\n\u{3000}\u{a0}\u{2028}.]{0,30}") {
            let words: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(fold_space(&text), words.join(" "));
        }
    }

    #[test]
    fn keeps_link_text_and_collects_target() {
        let plain = to_plain("看 [uv 文档](https://docs.example.dev/uv) 了解更多");
        assert_eq!(plain.text, "看 uv 文档 了解更多");
        assert_eq!(plain.links.len(), 1);
        assert_eq!(plain.links[0].text, "uv 文档");
        assert_eq!(plain.links[0].url, "https://docs.example.dev/uv");
    }

    #[test]
    fn keeps_code_as_text() {
        let plain = to_plain("用 `asyncio.TaskGroup` 管理任务\n\n```python\n# 注释\nx = 1\n```");
        assert_eq!(plain.text, "用 asyncio.TaskGroup 管理任务\n# 注释\nx = 1");
    }

    #[test]
    fn drops_images_but_keeps_alt_apart() {
        let plain =
            to_plain("前文 ![架构图](https://img.example.dev/a.png) 后文 ![](https://img.example.dev/b.png)");
        assert_eq!(plain.text, "前文 后文");
        assert_eq!(plain.image_alts, vec!["架构图".to_string()]);
        assert!(plain.links.is_empty());
    }

    #[test]
    fn removes_emphasis_and_html() {
        let plain = to_plain("**重要**：<br>一个 *新* 特性");
        assert_eq!(plain.text, "重要：一个 新 特性");
    }

    #[test]
    fn soft_break_joins_chinese_without_space() {
        assert_eq!(to_plain("第一行\n第二行").text, "第一行第二行");
        assert_eq!(to_plain("first line\nsecond").text, "first line second");
    }

    #[test]
    fn unescapes_markdown_escapes() {
        assert_eq!(to_plain(r"\_\_init\_\_.py 与 \[x\]").text, "__init__.py 与 [x]");
    }
}
