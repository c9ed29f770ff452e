//! Whether an issue's text looks cut short: a file truncated in a copy or a download loses the
//! entries after the cut without a trace, so the parser says so when the text stops inside a
//! link, or stops mid-sentence inside an entry.

use crate::diagnostic::Diagnostic;

/// A diagnostic when `text` (the file `file`) ends where no finished file would: inside a link
/// (anywhere), or, when the last line has no line end and belongs to an entry's text
/// (`ends_in_entry`), mid-sentence — on a letter, a digit, a comma or an opening bracket.
///
/// A finished line can end without punctuation, so the mid-sentence rule needs the missing line
/// end as well: an editor's file ends with its last line complete, `head -c` anywhere.
pub fn cut_short(file: &str, text: &str, ends_in_entry: bool) -> Option<Diagnostic> {
    let (index, last) = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .last()?;
    let line = index + 1;
    let last = last.trim_end();
    if ends_inside_link(last) {
        return Some(Diagnostic::at(
            file,
            line,
            format!(
                "the text ends inside a link (`…{}`): the file looks cut short, and what followed is lost",
                tail(last)
            ),
        ));
    }
    // The last line with text is the file's last, and no line end closes it.
    let unterminated = !text.ends_with('\n') && text.lines().last().is_some_and(|l| !l.trim().is_empty());
    if ends_in_entry && unterminated && ends_mid_sentence(last) {
        return Some(Diagnostic::at(
            file,
            line,
            format!(
                "the text ends mid-sentence inside an entry (`…{}`, no line end): the file looks \
                 cut short, and what followed is lost",
                tail(last)
            ),
        ));
    }
    None
}

/// The last few characters of a line, for a message.
fn tail(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    chars[chars.len().saturating_sub(24)..].iter().collect()
}

/// A line that ends on a letter, a digit, a comma or an opening bracket has not finished its
/// sentence.
fn ends_mid_sentence(line: &str) -> bool {
    line.chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || "，、,；;（(「『“‘《【[".contains(c))
}

/// Whether `line` stops before a link it opened is closed: its text (`[…`), its target
/// (`](…`), an autolink or an HTML tag (`<https://…`, `<img src="…`). Escaped characters and
/// code spans do not count.
fn ends_inside_link(line: &str) -> bool {
    let mut brackets = 0usize;
    // Paren depth inside a link target, when in one.
    let mut target: Option<usize> = None;
    let mut angle = false;
    let mut code = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && !code {
            chars.next();
            continue;
        }
        if let Some(depth) = target.as_mut() {
            match c {
                '(' => *depth += 1,
                ')' if *depth == 0 => target = None,
                ')' => *depth -= 1,
                _ => {}
            }
            continue;
        }
        if angle {
            angle = c != '>';
            continue;
        }
        if c == '`' {
            code = !code;
            continue;
        }
        if code {
            continue;
        }
        match c {
            '[' => brackets += 1,
            ']' if brackets > 0 => {
                brackets -= 1;
                if chars.peek() == Some(&'(') {
                    chars.next();
                    target = Some(0);
                }
            }
            '<' if chars.peek().is_some_and(char::is_ascii_alphabetic) => angle = true,
            _ => {}
        }
    }
    brackets > 0 || target.is_some() || angle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_inside_a_link_is_told() {
        for line in [
            "3、[标题](https://a.dev/x",
            "3、[标题被截",
            "看 [这里](https://a.dev/(x)",
            "<https://a.dev/x",
            "<img src=\"https://a.dev/x.png",
            "前文 ![图](https://img.a.dev/x",
        ] {
            assert!(ends_inside_link(line), "{line}");
        }
        for line in [
            "3、[标题](https://a.dev/x) (英)",
            "看 [这里](https://a.dev/(x)) 和 <https://a.dev/y>",
            "数组 `a[0` 的写法",
            r"转义的 \[ 不算",
            "x < y 且 a[1] 是第二个",
            "",
        ] {
            assert!(!ends_inside_link(line), "{line}");
        }
    }

    #[test]
    fn mid_sentence_needs_an_entry_and_no_line_end() {
        let cut = "## 文章\n\n1、[标题](https://a.dev/x)\n\n中间件是一种机制，允许在请求到达路由处理";
        let d = cut_short("x.md", cut, true).expect("cut short");
        assert_eq!(d.line, Some(5));
        assert!(d.message.contains("mid-sentence"), "{d}");
        // With its line end, or outside an entry, or ending a sentence, the text is let be.
        assert_eq!(cut_short("x.md", &format!("{cut}\n"), true), None);
        assert_eq!(cut_short("x.md", cut, false), None);
        assert_eq!(cut_short("x.md", &format!("{cut}。"), true), None);
        assert_eq!(cut_short("x.md", "1、[标题](https://a.dev/x) (英)", true), None);
    }

    #[test]
    fn a_link_cut_anywhere_is_told() {
        let d = cut_short("x.md", "结尾\n\n[往期](https://a.dev/p\n\n", false).expect("cut short");
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("inside a link"), "{d}");
    }
}
