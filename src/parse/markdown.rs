//! Markdown to plain text, through pulldown-cmark: what an entry's title line and description
//! say once the markup is gone.
//!
//! Link texts stay and their targets are collected; inline code and code blocks stay as text;
//! images are dropped from the text but their alt texts are kept apart; raw HTML is dropped.
//! Where the links and code spans stood is kept beside the text ([`Mark`]), so the markup can
//! be written again.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::Mark;

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
    /// Where the links (with a target) and code spans stand in `text`, in order of their start;
    /// a link or code span whose text is empty or white space has none.
    pub marks: Vec<Mark>,
}

/// A link or code span opening or closing at a byte offset of the unfolded text.
#[derive(Debug, Clone, Copy)]
enum Edge {
    /// A link (its target's index in `targets`) or a code span (`None`) opens.
    Open(Option<usize>),
    Close,
}

/// Renders `markdown` to plain text.
pub fn to_plain(markdown: &str) -> Plain {
    // Blank lines show nothing (most title lines have nothing after their link).
    if markdown
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Plain::default();
    }
    rendered(markdown)
}

/// [`to_plain`] of any text, through pulldown-cmark.
fn rendered(markdown: &str) -> Plain {
    let mut plain = Plain::default();
    let mut out = String::with_capacity(markdown.len());
    // Nesting depth of images: text inside an image is its alt text.
    let mut image_depth = 0usize;
    let mut alt = String::new();
    // Links being read: (target, byte offset of their text in `out`).
    let mut open_links: Vec<(String, usize)> = Vec::new();
    // Where links and code spans open and close in `out`, and the links' targets.
    let mut edges: Vec<(usize, Edge)> = Vec::new();
    let mut targets: Vec<String> = Vec::new();

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
                if image_depth == 0 {
                    let target = (!dest_url.is_empty()).then(|| {
                        targets.push(dest_url.to_string());
                        targets.len() - 1
                    });
                    // A link without a target is no mark, but its end closes an edge all the same.
                    edges.push((out.len(), Edge::Open(target.or(Some(usize::MAX)))));
                }
                open_links.push((dest_url.into_string(), out.len()));
            }
            Event::End(TagEnd::Link) => {
                if image_depth == 0 {
                    edges.push((out.len(), Edge::Close));
                }
                if let Some((url, start)) = open_links.pop() {
                    let text = out[start..].to_string();
                    plain.links.push(Link { text, url });
                }
            }
            Event::Code(text) if image_depth == 0 => {
                edges.push((out.len(), Edge::Open(None)));
                out.push_str(&text);
                edges.push((out.len(), Edge::Close));
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
    let (text, marks) = fold_marked(&out, &edges, &targets);
    plain.text = text;
    plain.marks = marks;
    plain
}

/// [`fold_lines`] of `raw`, and the marks whose edges stand at byte offsets of `raw`, moved to
/// the folded text: a mark opens at its first visible character and closes after its last, so
/// it never starts or ends with white space; one with no visible character is dropped, and so is
/// a link whose target is `usize::MAX` (none).
fn fold_marked(raw: &str, edges: &[(usize, Edge)], targets: &[String]) -> (String, Vec<Mark>) {
    #[derive(PartialEq)]
    enum Gap {
        None,
        Space,
        Line,
    }
    let mut out = String::with_capacity(raw.len());
    let mut marks: Vec<Mark> = Vec::new();
    // Marks opened: (index in `marks` once placed, or the link target waiting for a visible
    // character).
    let mut open: Vec<Result<usize, Option<usize>>> = Vec::new();
    let mut gap = Gap::None;
    let mut line_has_text = false;
    let mut next_edge = 0;
    let mut apply =
        |at: usize, out: &str, marks: &mut Vec<Mark>, open: &mut Vec<Result<usize, Option<usize>>>| {
            while let Some(&(offset, edge)) = edges.get(next_edge) {
                if offset > at {
                    break;
                }
                next_edge += 1;
                match edge {
                    Edge::Open(target) => open.push(Err(target)),
                    Edge::Close => {
                        if let Some(Ok(index)) = open.pop() {
                            let end = u32::try_from(out.len()).unwrap_or(u32::MAX);
                            if let Some(mark) = marks.get_mut(index) {
                                mark.end = end;
                            }
                        }
                    }
                }
            }
        };
    for (at, c) in raw.char_indices() {
        apply(at, &out, &mut marks, &mut open);
        if c == '\n' {
            if !out.is_empty() {
                gap = Gap::Line;
            }
            line_has_text = false;
        } else if c.is_whitespace() {
            if line_has_text && gap == Gap::None {
                gap = Gap::Space;
            }
        } else {
            match std::mem::replace(&mut gap, Gap::None) {
                Gap::Line => out.push('\n'),
                Gap::Space => out.push(' '),
                Gap::None => {}
            }
            let start = u32::try_from(out.len()).unwrap_or(u32::MAX);
            for slot in open.iter_mut() {
                if let Err(target) = *slot {
                    *slot = Ok(marks.len());
                    marks.push(Mark {
                        start,
                        end: start,
                        link: target.map(|t| targets.get(t).cloned().unwrap_or_default()),
                    });
                }
            }
            out.push(c);
            line_has_text = true;
        }
    }
    apply(raw.len(), &out, &mut marks, &mut open);
    // Links without a target were placed to keep the nesting; they are no marks.
    marks.retain(|m| m.end > m.start && m.link.as_deref() != Some(""));
    (out, marks)
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

/// Folds each line and drops empty ones: what [`fold_marked`] does, written plainly (the
/// reference its test compares it with).
#[cfg(test)]
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

        #[test]
        fn blank_text_renders_as_nothing(text in "[ \t\n\r]{0,8}") {
            proptest::prop_assert_eq!(rendered(&text), Plain::default());
            proptest::prop_assert_eq!(to_plain(&text), Plain::default());
        }

        #[test]
        fn the_marks_leave_the_folded_text_as_it_was(text in "[a文 \t\n\r\u{3000}\u{a0}`\\[\\]()*_.u:/]{0,40}") {
            let plain = to_plain(&text);
            let mut raw = String::new();
            for event in Parser::new_ext(&text, Options::empty()) {
                if let Event::Text(t) | Event::Code(t) = event { raw.push_str(&t); }
            }
            // Every mark lies inside the text, on character boundaries, and is not empty.
            for m in &plain.marks {
                proptest::prop_assert!(m.start < m.end && (m.end as usize) <= plain.text.len());
                proptest::prop_assert!(plain.text.is_char_boundary(m.start as usize));
                proptest::prop_assert!(plain.text.is_char_boundary(m.end as usize));
            }
            proptest::prop_assert_eq!(fold_marked(&text, &[], &[]).0, fold_lines(&text));
        }
    }

    fn marked(plain: &Plain) -> Vec<(&str, Option<&str>)> {
        plain
            .marks
            .iter()
            .map(|m| (&plain.text[m.start as usize..m.end as usize], m.link.as_deref()))
            .collect()
    }

    #[test]
    fn keeps_where_links_and_code_spans_stood() {
        let plain = to_plain("先看 [uv 文档](https://docs.example.dev/uv)，\n再用 `uv  run` 跑 [`ruff`](https://r.example.dev)。");
        assert_eq!(plain.text, "先看 uv 文档，再用 uv run 跑 ruff。");
        assert_eq!(
            marked(&plain),
            vec![
                ("uv 文档", Some("https://docs.example.dev/uv")),
                ("uv run", None),
                ("ruff", Some("https://r.example.dev")),
                ("ruff", None),
            ]
        );
    }

    #[test]
    fn a_mark_keeps_its_place_when_white_space_folds() {
        let plain = to_plain("  a   [ b  c ](https://x.example)  d\n\n\n[e](https://y.example)\n\n`f`");
        assert_eq!(plain.text, "a b c d\ne\nf");
        assert_eq!(
            marked(&plain),
            vec![
                ("b c", Some("https://x.example")),
                ("e", Some("https://y.example")),
                ("f", None),
            ]
        );
    }

    #[test]
    fn empty_links_images_and_targetless_links_make_no_mark() {
        let plain = to_plain("a [](https://x.example) b [c]() ![`d`](https://i.example/p.png) ` ` e");
        assert_eq!(plain.text, "a b c e");
        assert!(plain.marks.is_empty(), "{:?}", plain.marks);
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
