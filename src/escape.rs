//! Archive and draft text made safe for the medium it is printed into. Sits at the output edge of
//! the pipeline: the renderers (`related`, `check`, `topics`, `stats`, `terms`, `trends`, `vocab`
//! tables; `past-years` and the report's markdown) pass every piece of text that came from the
//! archive, a draft or the editor's files through one of these before it joins their output.
//!
//! - **Terminal** ([`terminal`], [`terminal_lines`]): control characters are removed, and whole
//!   escape sequences with them (`ESC ] 0;title BEL` would retitle the window, `ESC [ 2J` clear
//!   it), and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: a
//!   right-to-left override shows `txt.exe` as `exe.txt`), so a title prints as its visible
//!   characters only, in their order.
//! - **Markdown** ([`markdown_text`], [`markdown_url`], [`markdown_link`]): text renders as the
//!   same text, never as markup or HTML, and a link target is an http(s) URL that cannot break
//!   out of its parentheses; anything else (`javascript:`, `data:`) is left unlinked.
//!   [`markdown_marked`] writes a text with the links and code spans the archive gave it
//!   ([`Mark`]) again, every other character as [`markdown_text`] would.
//!
//! HTML is escaped by the HTML renderer (`report`, through pulldown-cmark and `html-escape`), SVG
//! by `chart`, JSON by serde.

use std::fmt::Write as _;

use crate::model::Mark;

/// `text` as one field of a terminal line: control characters, escape sequences and
/// bidirectional overrides removed; line breaks and tabs become spaces, so a field cannot start
/// a line of its own or break a table's columns.
pub fn terminal(text: &str) -> String {
    visible(text, Breaks::Fold)
}

/// `text` as [`terminal`] makes it, padded with spaces to `width` columns as a terminal shows it
/// (a Chinese character takes two), so that the columns after it line up.
pub fn terminal_padded(text: &str, width: usize) -> String {
    let mut out = terminal(text);
    let shown = unicode_width::UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(shown)));
    out
}

/// `text` for a terminal, its lines kept: control characters, escape sequences and bidirectional
/// overrides removed except line feeds and tabs (a carriage return, which would let a line
/// overwrite itself, goes too).
pub fn terminal_lines(text: &str) -> String {
    visible(text, Breaks::Keep)
}

/// What [`visible`] does with line feeds and tabs.
#[derive(Clone, Copy, PartialEq)]
enum Breaks {
    Keep,
    Fold,
}

fn visible(text: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let mut len = c.len_utf8();
        match c {
            // A whole sequence goes, as a terminal would swallow it; a lone or broken ESC alone,
            // so what follows it is still shown.
            '\x1b' => len = sequence_len(rest).unwrap_or(1),
            '\n' | '\t' if breaks == Breaks::Keep => out.push(c),
            '\n' | '\t' | '\r' if breaks == Breaks::Fold => out.push(' '),
            c if c.is_control() || is_bidi_control(c) || is_invisible(c) => {}
            c => out.push(c),
        }
        rest = &rest[len..];
    }
    out
}

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): not
/// control characters to Rust, but a right-to-left override makes the rest of a line read
/// backwards (`exe.txt` shown for `txt.exe`), so a title could show what it does not say.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters a terminal shows as nothing and a table has no use for: the zero-width space, the
/// word joiner and invisible operators, the byte-order mark (a zero-width no-break space inside a
/// text), the Mongolian vowel separator. The zero-width joiner and non-joiner stay (they build
/// emoji and words of some scripts), and so do the marks of direction.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}')
}

/// The length in bytes of the escape sequence `rest` starts with (at its ESC), when it is a
/// complete one (ECMA-48): a control sequence (`ESC [` parameters, intermediates, final byte), a
/// control string (`ESC ]`, `P`, `X`, `^`, `_` … ended by BEL or `ESC \`), or an escape with
/// intermediates and a final byte (`ESC ( B`, `ESC c`). Every byte it matches is ASCII, so the
/// length ends on a character boundary.
fn sequence_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    match *bytes.get(1)? {
        b'[' => {
            for (i, &b) in bytes.iter().enumerate().skip(2) {
                match b {
                    0x20..=0x3f => {}
                    0x40..=0x7e => return Some(i + 1),
                    _ => return None,
                }
            }
            None
        }
        b']' | b'P' | b'X' | b'^' | b'_' => {
            for (i, &b) in bytes.iter().enumerate().skip(2) {
                match b {
                    0x07 => return Some(i + 1),
                    0x1b if bytes.get(i + 1) == Some(&b'\\') => return Some(i + 2),
                    0x1b => return None,
                    _ => {}
                }
            }
            None
        }
        0x20..=0x7e => {
            for (i, &b) in bytes.iter().enumerate().skip(1) {
                match b {
                    0x20..=0x2f => {}
                    0x30..=0x7e => return Some(i + 1),
                    _ => return None,
                }
            }
            None
        }
        _ => None,
    }
}

/// `text` as markdown prose or link text that renders as exactly this text (its control
/// characters removed, line breaks as spaces, outer spaces trimmed): `<`, `>` and an `&` that
/// would start an entity become entities, so no HTML survives even a renderer that passes HTML
/// through; the characters markdown reads as inline markup (`\`, `` ` ``, `*`, `_`, `[`, `]`, `|`,
/// `~`) are backslash-escaped; and a start that would make a block (`#`, `-`, `+`, `=`, `1.`) is
/// escaped, for text that begins a line.
pub fn markdown_text(text: &str) -> String {
    let plain = terminal(text);
    // Indentation would make a code block; the rendered text loses outer spaces anyway.
    let plain = plain.trim_matches(' ');
    let mut out = String::with_capacity(plain.len() + 8);
    push_text(&mut out, plain, true);
    out
}

/// `plain` (already visible: no control character) appended to `out` as markdown that renders
/// as itself; `line_start` when it begins a line, where a block start is escaped too.
fn push_text(out: &mut String, plain: &str, line_start: bool) {
    // Indentation at a line's start would make a code block.
    let plain = if line_start {
        plain.trim_start_matches(' ')
    } else {
        plain
    };
    // An ordered-list marker is the digits and the `.` or `)` after them: that one is escaped.
    let digits = plain.bytes().take_while(u8::is_ascii_digit).count();
    let list_mark = (line_start && digits > 0 && matches!(plain.as_bytes().get(digits), Some(b'.' | b')')))
        .then_some(digits);
    if line_start && plain.starts_with(['#', '-', '+', '=']) {
        out.push('\\');
    }
    for (i, c) in plain.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if starts_entity(&plain[i + 1..]) => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ if list_mark == Some(i) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// `text` as one markdown paragraph that renders as the text with its `marks` ([`Mark`]) made
/// markup again: a link mark is a link to its target when that is an http(s) URL
/// ([`markdown_url`]), else its text alone; a code span is a code span, its text as written
/// (fenced with more backticks than it holds); every other character as [`markdown_text`]
/// writes it, line breaks as spaces. Marks out of order, overlapping, off the text's character
/// boundaries or around white space alone are left out, their text kept.
pub fn markdown_marked(text: &str, marks: &[Mark]) -> String {
    let text = text.trim_end();
    // Outer white space renders as nothing: a mark starts after it.
    let lead = text.len() - text.trim_start().len();
    let mut out = String::with_capacity(text.len() + 16);
    let mut spans: Vec<(usize, usize, Option<&str>)> = Vec::new();
    for m in marks {
        let (start, end) = ((m.start as usize).max(lead), m.end as usize);
        let fits = start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
            && !text[start..end].trim().is_empty();
        if !fits {
            continue;
        }
        // A mark is taken when it starts after the last one taken ends, or, a code span, lies
        // inside the last link (`[`uv` 文档](…)`) after any code span already in it.
        let link = spans.iter().rev().find(|s| s.2.is_some()).copied();
        let inside = link.filter(|&(_, e, _)| start < e);
        let after_last = spans
            .last()
            .is_none_or(|&(_, e, l)| start >= e || (l.is_some() && inside.is_some()));
        let placed = after_last && inside.is_none_or(|(s, e, _)| m.link.is_none() && start >= s && end <= e);
        // Two code spans side by side cannot be written apart (their backticks would run
        // together): they are one.
        if let Some(last) = spans
            .last_mut()
            .filter(|l| l.2.is_none() && m.link.is_none() && l.1 == start)
        {
            if inside.is_none_or(|(_, e, _)| end <= e) {
                last.1 = end;
            }
            continue;
        }
        if placed {
            spans.push((start, end, m.link.as_deref()));
        }
    }
    let mut at = lead;
    let mut k = 0;
    while k < spans.len() {
        let (start, end, link) = spans[k];
        push_text(&mut out, &terminal(&text[at..start]), at == lead);
        k += 1;
        match link.and_then(markdown_url) {
            Some(url) => {
                let mut inner = String::new();
                let mut from = start;
                while let Some(&(s, e, None)) = spans.get(k).filter(|&&(s, _, _)| s < end) {
                    push_text(&mut inner, &terminal(&text[from..s]), false);
                    push_code(&mut inner, &text[s..e]);
                    from = e;
                    k += 1;
                }
                push_text(&mut inner, &terminal(&text[from..end]), false);
                // A `!` just before would make the link an image.
                if out.ends_with('!') {
                    out.pop();
                    out.push_str("\\!");
                }
                let _ = write!(out, "[{inner}]({url})");
            }
            None if link.is_some() => {
                // Not linked: its text, and the code spans inside it.
                let mut from = start;
                while let Some(&(s, e, None)) = spans.get(k).filter(|&&(s, _, _)| s < end) {
                    push_text(&mut out, &terminal(&text[from..s]), from == lead);
                    push_code(&mut out, &text[s..e]);
                    from = e;
                    k += 1;
                }
                push_text(&mut out, &terminal(&text[from..end]), from == lead);
            }
            None => push_code(&mut out, &text[start..end]),
        }
        at = end;
    }
    push_text(&mut out, &terminal(&text[at..]), at == lead);
    out
}

/// `code` as a markdown code span ([`push_code`]): a file name a report names, as written.
pub fn markdown_code(code: &str) -> String {
    let mut out = String::new();
    push_code(&mut out, code);
    out
}

/// `code` as a markdown code span: fenced by one backtick more than its longest run of them,
/// padded with a space where it starts or ends with a backtick or both ends are spaces (the
/// renderer strips one); control characters removed, line breaks as spaces.
fn push_code(out: &mut String, code: &str) {
    let code = terminal(code);
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = code.starts_with('`')
        || code.ends_with('`')
        || (code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty());
    let pad = if pad { " " } else { "" };
    let _ = write!(out, "{fence}{pad}{code}{pad}{fence}");
}

/// Whether `rest`, the text after an `&`, would make it a character reference (`&amp;`, `&#38;`,
/// `&#x26;`): a name or number ended by `;`. Any other `&` is plain text to markdown and HTML.
fn starts_entity(rest: &str) -> bool {
    let body = rest.strip_prefix('#').unwrap_or(rest);
    let name = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    name > 0 && body.as_bytes().get(name) == Some(&b';')
}

/// `url` as a markdown link target, when it is an http or https URL (scheme in any case);
/// `None` for anything else (`javascript:`, `data:`, a relative path), which must not become a
/// link. Spaces, parentheses, angle brackets, quotes, backslashes and control characters are
/// percent-encoded so the target cannot end early or carry a title, and an `&` that would read
/// as an entity is written `&amp;`, so the link goes where the URL says.
pub fn markdown_url(url: &str) -> Option<String> {
    let url = web_url(url)?;
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        match c {
            '&' if starts_entity(&url[i + 1..]) => out.push_str("&amp;"),
            ' ' | '(' | ')' | '<' | '>' | '"' | '\\' | '`' => percent_encode(&mut out, c),
            c if c.is_control() => percent_encode(&mut out, c),
            c => out.push(c),
        }
    }
    Some(out)
}

/// `url` without outer spaces when it is an http or https URL (scheme in any case): the one kind
/// of target any output may make a link of. `None` for anything else (`javascript:`, `data:`, a
/// relative path). HTML that interpolates it escaped (`serve`'s templates) links only this;
/// markdown needs [`markdown_url`] besides.
pub fn web_url(url: &str) -> Option<&str> {
    let url = url.trim_matches(|c: char| c.is_ascii_whitespace());
    let has_scheme = |scheme: &str| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    };
    (has_scheme("http://") || has_scheme("https://")).then_some(url)
}

fn percent_encode(out: &mut String, c: char) {
    let mut buf = [0; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        let _ = write!(out, "%{b:02X}");
    }
}

/// `[text](url)` when `url` is an http(s) URL ([`markdown_url`]), else `text` alone; the text
/// escaped by [`markdown_text`] either way.
pub fn markdown_link(text: &str, url: Option<&str>) -> String {
    match url.and_then(markdown_url) {
        Some(url) => format!("[{}]({url})", markdown_text(text)),
        None => markdown_text(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    /// The markdown extensions a newsletter renderer may turn on (smart punctuation and math
    /// left out: they change text that is not markup).
    fn options() -> Options {
        Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_GFM
            | Options::ENABLE_DEFINITION_LIST
    }

    /// The text `markdown` renders to, or the first event that is not plain text in a paragraph
    /// (or in a link, when `link` is set).
    fn rendered_text(markdown: &str, link: bool) -> Result<String, String> {
        let mut text = String::new();
        for event in Parser::new_ext(markdown, options()) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) if link => {}
                other => return Err(format!("{other:?} in {markdown:?}")),
            }
        }
        Ok(text)
    }

    /// What a title should render as: its visible characters, on one line, without outer spaces.
    fn expected(text: &str) -> String {
        terminal(text).trim_matches(' ').to_string()
    }

    #[test]
    fn terminal_padded_counts_a_chinese_character_as_two_columns() {
        assert_eq!(terminal_padded("工具", 6), "工具  ");
        assert_eq!(terminal_padded("tool", 6), "tool  ");
        assert_eq!(terminal_padded("a\u{1b}[31mb", 4), "ab  ");
        // Wider than the column: nothing cut, nothing added.
        assert_eq!(terminal_padded("智能体系统", 6), "智能体系统");
    }

    #[test]
    fn terminal_drops_escape_sequences_whole() {
        assert_eq!(terminal("a\x1b]0;pwned\x07b\x1b[2Jc"), "abc");
        assert_eq!(terminal("\x1b[1;31mred\x1b[0m"), "red");
        assert_eq!(terminal("x\x1bP1$r\x1b\\y"), "xy");
        assert_eq!(terminal("reset\x1bc"), "reset");
    }

    #[test]
    fn terminal_keeps_what_follows_a_broken_sequence() {
        // An OSC string never ended: only the ESC goes, the rest is shown.
        assert_eq!(terminal("\x1b]0;title"), "]0;title");
        assert_eq!(terminal("end\x1b"), "end");
        assert_eq!(terminal("\x1b[12"), "[12");
    }

    #[test]
    fn terminal_drops_bidirectional_overrides() {
        assert_eq!(terminal("a\u{202e}txt.exe\u{202c}b"), "atxt.exeb");
        assert_eq!(
            terminal("\u{202a}\u{202b}\u{202d}x\u{2066}\u{2067}\u{2068}y\u{2069}"),
            "xy"
        );
        assert_eq!(terminal_lines("a\u{202e}\nb"), "a\nb");
        // The marks that only say a direction, not override it, stay (U+200E, U+200F).
        assert_eq!(terminal("a\u{200f}b"), "a\u{200f}b");
        // Zero-width spaces, word joiners and a byte-order mark in a title go; joiners stay.
        assert_eq!(terminal("\u{feff}uv\u{200b}x\u{2060}y"), "uvxy");
        assert_eq!(terminal("👩\u{200d}💻"), "👩\u{200d}💻");
        assert_eq!(markdown_text("\u{202e}gnp.exe"), "gnp.exe");
    }

    #[test]
    fn terminal_folds_breaks_and_drops_other_controls() {
        assert_eq!(terminal("a\nb\tc\rd\u{7}\u{0}\u{7f}\u{9b}e"), "a b c de");
        assert_eq!(terminal_lines("a\nb\tc\r\nd\u{8}"), "a\nb\tc\nd");
        assert_eq!(terminal("中文 título"), "中文 título");
    }

    #[test]
    fn markdown_text_turns_html_into_text() {
        assert_eq!(
            markdown_text("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            markdown_text("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            markdown_text("Tips & Tricks &amp; more"),
            "Tips & Tricks &amp;amp; more"
        );
    }

    #[test]
    fn markdown_text_escapes_inline_markup() {
        assert_eq!(
            markdown_text("[x](javascript:alert(1)) *a* _b_ `c` ~d~ |e| \\"),
            "\\[x\\](javascript:alert(1)) \\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\|e\\| \\\\"
        );
    }

    #[test]
    fn markdown_text_escapes_a_block_start() {
        assert_eq!(markdown_text("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_text("  - not an item"), "\\- not an item");
        assert_eq!(markdown_text("2024. a year"), "2024\\. a year");
        assert_eq!(markdown_text("1) first"), "1\\) first");
        assert_eq!(markdown_text("Python 3.13 is out"), "Python 3.13 is out");
        assert_eq!(markdown_text("a\n# b"), "a # b");
    }

    #[test]
    fn markdown_url_keeps_http_only() {
        assert_eq!(markdown_url("javascript:alert(1)"), None);
        assert_eq!(markdown_url(" JavaScript:alert(1)"), None);
        assert_eq!(markdown_url("data:text/html,<script>"), None);
        assert_eq!(markdown_url("/relative"), None);
        assert_eq!(
            markdown_url("HTTPS://Example.org/a").as_deref(),
            Some("HTTPS://Example.org/a")
        );
        assert_eq!(
            markdown_url("https://x.org/?a=1&b=2").as_deref(),
            Some("https://x.org/?a=1&b=2")
        );
    }

    #[test]
    fn web_url_keeps_http_only() {
        assert_eq!(web_url(" https://x.org/a "), Some("https://x.org/a"));
        assert_eq!(web_url("HTTP://x.org"), Some("HTTP://x.org"));
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//x.org",
            "/relative",
            "http:/x",
            "",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn markdown_url_cannot_break_out_of_its_parentheses() {
        assert_eq!(
            markdown_url("https://x.org/a b)(<c>\"d\\\x1b").as_deref(),
            Some("https://x.org/a%20b%29%28%3Cc%3E%22d%5C%1B")
        );
        assert_eq!(
            markdown_url("https://x.org/?q=&lt;").as_deref(),
            Some("https://x.org/?q=&amp;lt;")
        );
    }

    #[test]
    fn markdown_link_leaves_a_bad_target_unlinked() {
        assert_eq!(markdown_link("x", Some("javascript:alert(1)")), "x");
        assert_eq!(markdown_link("x", None), "x");
        assert_eq!(
            markdown_link("a_b", Some("https://x.org/(1)")),
            "[a\\_b](https://x.org/%281%29)"
        );
    }

    #[test]
    fn hostile_titles_render_as_their_text() {
        for title in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "![img](https://x.org/a.png)",
            "<https://x.org>",
            "&lt;b&gt; &#60; &#x3c;",
            "# heading",
            "---",
            "===",
            "1. one",
            "    indented code",
            "[^note]",
            "[ ] task",
            "a | b | c",
            "**bold** __bold__ ~~gone~~",
            "`code`",
            "x\\",
        ] {
            assert_eq!(
                rendered_text(&markdown_text(title), false),
                Ok(expected(title)),
                "{title}"
            );
        }
    }

    fn mark(start: u32, end: u32, link: Option<&str>) -> Mark {
        Mark {
            start,
            end,
            link: link.map(str::to_string),
        }
    }

    #[test]
    fn a_marked_text_gets_its_links_and_code_spans_back() {
        let text = "看 uv 文档，用 uv run 跑 a*b，ruff 很快";
        let at = |s: &str| u32::try_from(text.find(s).expect("in the text")).expect("small");
        let marks = [
            mark(at("uv 文档"), at("，用"), Some("https://docs.example.dev/uv")),
            mark(at("uv run"), at(" 跑"), None),
            mark(at("ruff"), at(" 很快"), Some("https://r.example.dev/(x)")),
            mark(at("ruff"), at(" 很快"), None),
        ];
        assert_eq!(
            markdown_marked(text, &marks),
            "看 [uv 文档](https://docs.example.dev/uv)，用 `uv run` 跑 a\\*b，[`ruff`](https://r.example.dev/%28x%29) 很快"
        );
        assert_eq!(markdown_marked(text, &[]), markdown_text(text));
    }

    #[test]
    fn a_marked_link_to_anything_but_http_is_its_text() {
        let text = "# see this and that";
        let marks = [mark(6, 10, Some("javascript:alert(1)")), mark(15, 19, None)];
        assert_eq!(markdown_marked(text, &marks), "\\# see this and `that`");
        assert_eq!(
            markdown_marked("Wow!go", &[mark(4, 6, Some("https://x.example"))]),
            "Wow\\![go](https://x.example)"
        );
    }

    #[test]
    fn marks_that_do_not_fit_the_text_are_left_out() {
        let text = "中文 text";
        let marks = [
            mark(1, 4, None),
            mark(0, 99, None),
            mark(3, 3, None),
            mark(7, 11, None),
            mark(8, 10, Some("https://x.example")),
        ];
        assert_eq!(markdown_marked(text, &marks), "中文 `text`");
    }

    #[test]
    fn a_code_span_is_fenced_past_its_backticks() {
        let mut out = String::new();
        push_code(&mut out, "a ` b");
        push_code(&mut out, "`x`");
        push_code(&mut out, "<b>");
        assert_eq!(out, "``a ` b```` `x` ```<b>`");
    }

    proptest! {
        #[test]
        fn escaped_markdown_holds_no_markup_and_no_control(text in "\\PC*|[\\x00-\\x7f<>&\\[\\]()#*_`\\\\|~!:=+-]*") {
            let escaped = markdown_text(&text);
            prop_assert!(!escaped.contains('<'), "{:?}", escaped);
            prop_assert!(!escaped.chars().any(char::is_control), "{:?}", escaped);
            prop_assert_eq!(rendered_text(&escaped, false), Ok(expected(&text)));
            // The same inside a link: the text stays the link's text.
            let link = format!("[{escaped}](https://x.org/)");
            prop_assert_eq!(rendered_text(&link, true), Ok(expected(&text)));
        }

        #[test]
        fn a_markdown_link_target_is_one_http_link(url in "(https?://|javascript:)[\\x00-\\x7f]*") {
            let link = markdown_link("t", Some(&url));
            let events: Vec<Event> = Parser::new_ext(&link, options()).collect();
            let targets: Vec<String> = events
                .iter()
                .filter_map(|e| match e {
                    Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                    _ => None,
                })
                .collect();
            if url.starts_with("javascript:") {
                prop_assert!(targets.is_empty(), "{:?}", link);
            } else {
                prop_assert_eq!(targets.len(), 1, "{:?}", link);
                prop_assert!(targets[0].starts_with("http"), "{:?}", link);
                prop_assert_eq!(rendered_text(&link, true), Ok("t".to_string()));
            }
        }

        #[test]
        fn marked_markdown_renders_its_text_and_only_its_marks(
            text in "[a文 <>&\\[\\]()#*_`\\\\|~!:=+\n-]{0,30}",
            bounds in proptest::collection::vec((0u32..32, 0u32..32, proptest::bool::ANY), 0..4),
        ) {
            let marks: Vec<Mark> = bounds
                .iter()
                .map(|&(a, b, link)| mark(a.min(b), a.max(b), link.then_some("https://x.example/p")))
                .collect();
            let md = markdown_marked(&text, &marks);
            let mut shown = String::new();
            for event in Parser::new_ext(&md, options()) {
                match event {
                    Event::Text(t) | Event::Code(t) => shown.push_str(&t),
                    Event::Start(Tag::Paragraph | Tag::Link { .. })
                    | Event::End(TagEnd::Paragraph | TagEnd::Link) => {}
                    other => prop_assert!(false, "{other:?} in {md:?}"),
                }
            }
            prop_assert_eq!(shown, expected(&text));
        }

        #[test]
        fn terminal_text_holds_no_control_but_breaks(text in "\\PC*|[\\x00-\\x7f\\u{80}-\\u{9f}]*") {
            prop_assert!(!terminal(&text).chars().any(char::is_control));
            prop_assert!(!terminal_lines(&text).chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }
}
