//! Section headings: which category a section's entries belong to, or that a section is not
//! content at all. Headings come in both languages and every vintage of the archive: with or
//! without emoji, as `##`/`###` lines or as a bold line, bare or wrapped in a link.

use crate::model::Category;

use super::markdown::to_plain;

/// What a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A section of entries of one category.
    Content(Category),
    /// The editor's links back to earlier issues (往年回顾 / Looking Back): no entries, but the
    /// links are kept so that a new past-years section does not repeat them.
    PastYears,
    /// Subscribe, sponsors, ads, related reading, about: no entries here.
    NotContent,
}

/// Keywords per section, checked in order: the first that the heading contains decides. Non-content
/// words come first because a sponsor heading such as 赞助&支持 must not read as content.
const KEYWORDS: &[(&str, Section)] = &[
    ("往年回顾", Section::PastYears),
    ("past years", Section::PastYears),
    ("past issues", Section::PastYears),
    ("past reviews", Section::PastYears),
    ("previous years", Section::PastYears),
    ("looking back", Section::PastYears),
    // Promotions placed before the articles: a product, a podcast, the book of a giveaway.
    ("产品推荐", Section::NotContent),
    ("播客推荐", Section::NotContent),
    ("好书推荐", Section::NotContent),
    ("回顾", Section::NotContent),
    ("订阅", Section::NotContent),
    ("赞助", Section::NotContent),
    ("品牌", Section::NotContent),
    ("合作", Section::NotContent),
    ("关于", Section::NotContent),
    ("关联阅读", Section::NotContent),
    ("相关阅读", Section::NotContent),
    ("推荐阅读", Section::NotContent),
    ("review", Section::NotContent),
    ("subscribe", Section::NotContent),
    ("subscription", Section::NotContent),
    ("sponsor", Section::NotContent),
    ("support", Section::NotContent),
    ("about", Section::NotContent),
    ("related reading", Section::NotContent),
    ("further reading", Section::NotContent),
    ("product recommendation", Section::NotContent),
    ("brand", Section::NotContent),
    ("赠书", Section::Content(Category::Book)),
    ("好书", Section::Content(Category::Book)),
    ("图书", Section::Content(Category::Book)),
    ("书籍", Section::Content(Category::Book)),
    ("book", Section::Content(Category::Book)),
    ("文章", Section::Content(Category::Article)),
    ("教程", Section::Content(Category::Article)),
    ("article", Section::Content(Category::Article)),
    ("tutorial", Section::Content(Category::Article)),
    ("项目", Section::Content(Category::Project)),
    ("资源", Section::Content(Category::Project)),
    ("project", Section::Content(Category::Project)),
    ("resource", Section::Content(Category::Project)),
    ("播客", Section::Content(Category::Media)),
    ("视频", Section::Content(Category::Media)),
    ("podcast", Section::Content(Category::Media)),
    ("video", Section::Content(Category::Media)),
    ("讨论", Section::Content(Category::Discussion)),
    ("话题", Section::Content(Category::Discussion)),
    ("问题", Section::Content(Category::Discussion)),
    ("discussion", Section::Content(Category::Discussion)),
    ("topic", Section::Content(Category::Discussion)),
    ("question", Section::Content(Category::Discussion)),
];

/// The words a heading of a section of entries holds, one of which names it: what a message
/// about a heading that names none lists.
pub fn content_words() -> String {
    KEYWORDS
        .iter()
        .filter(|(_, section)| matches!(section, Section::Content(_)))
        .map(|(word, _)| *word)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Headings longer than this are prose, not section names.
const MAX_SECTION_NAME_CHARS: usize = 40;

/// Classifies the text of a heading (without its `#` marks or bold stars). Returns `None` for a
/// heading that names no known section.
pub fn classify(heading: &str) -> Option<Section> {
    let name = to_plain(heading).text.to_lowercase();
    if name.chars().count() > MAX_SECTION_NAME_CHARS {
        return None;
    }
    KEYWORDS
        .iter()
        .find(|(word, _)| name.contains(word))
        .map(|&(_, section)| section)
}

/// Section names as bold or bare-link lines spell them, reduced by [`name_key`]. Such lines are
/// headings only when they name a section exactly: a line `**项目地址**` in a description is not.
const LINE_NAMES: &[&str] = &[
    "文章教程",
    "项目资源",
    "播客视频",
    "讨论问题",
    "往年回顾",
    "articlestutorials",
    "projectsresources",
    "podcastsvideos",
    "discussionsquestions",
    "discussionquestions",
    "discussionsissues",
    "lookingback",
    "pastreviews",
    "previousyears",
];

/// The longest of [`LINE_NAMES`], in characters.
const LONGEST_LINE_NAME: usize = 20;

/// A lower bound on the letters and digits `text` shows once rendered: those outside anything
/// markdown may hide — brackets, parentheses and angle brackets (link targets, titles and labels,
/// image alt texts, HTML tags), all that follows a quote or a backslash inside parentheses or angle
/// brackets (a link title or an attribute may hold a `)` or `>`, an escape may make one plain),
/// entities, list markers (`1.`, `2)`), and whole lines
/// that may be an HTML block, a comment or declaration, a code fence (its info string) or a link
/// reference definition (its target). Unmatched or escaped brackets only make the bound lower.
/// The count stops once it passes [`LONGEST_LINE_NAME`]: a line that long is no heading.
fn shown_at_least(text: &str) -> usize {
    let text = text.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, ' ' | '\t' | '.' | ')' | '>' | '*' | '+' | '-')
    });
    let hides_all = text.starts_with('<') // an HTML block
        || text.contains("<!") // a comment, declaration or CDATA: `>` may not close it
        || text.contains("<?")
        || text.starts_with("```")
        || text.starts_with("~~~")
        || (text.starts_with('[') && text.contains("]:"));
    if hides_all {
        return 0;
    }
    let (mut square, mut round, mut angle) = (0usize, 0usize, 0usize);
    let mut entity = false;
    let mut shown = 0;
    for c in text.chars() {
        match c {
            // A link title or an attribute may hide anything to its end, an escape a `)` or `>`
            // that closes nothing: nothing after counts.
            '"' | '\'' | '\\' if round + angle > 0 => break,
            '[' => square += 1,
            ']' => square = square.saturating_sub(1),
            '(' => round += 1,
            ')' => round = round.saturating_sub(1),
            '<' => angle += 1,
            '>' => angle = angle.saturating_sub(1),
            '&' => entity = true,
            '#' if entity => {}
            c if c.is_alphanumeric() => {
                if square + round + angle == 0 && !entity {
                    shown += 1;
                    if shown > LONGEST_LINE_NAME {
                        break;
                    }
                }
            }
            _ => entity = false,
        }
    }
    shown
}

/// Whether rendering `text` shows a number first (`1、`, `①`): text that starts with a numeral
/// shows it, unless it is an ordered list's marker (digits then `.` or `)`).
fn opens_with_a_number(text: &str) -> bool {
    let digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < text.len() {
        return !digits.starts_with(['.', ')']);
    }
    text.chars().next().is_some_and(char::is_numeric)
}

/// Letters and digits only, lower case: what is left of a heading without emoji and markup.
fn name_key(text: &str) -> String {
    to_plain(text)
        .text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A whole line that is a section heading without `#`: bold (`**[🦄文章&教程](…)**`, the
/// title-only issues) or a bare link (`[🦄Articles & Tutorials](…)`, one translated issue).
/// Returns the heading's text.
pub fn line_heading(line: &str) -> Option<&str> {
    let line = line.trim();
    // Rendering shows only characters of the line, or those of an entity (`&#25991;`, `&amp;`),
    // which is spelt with letters or digits: a line without any shows none.
    if !line.chars().any(char::is_alphanumeric) {
        return None;
    }
    let inner = bold_line(line).unwrap_or(line);
    // Most lines are prose, far longer than any section name, or an entry's line, whose number
    // no name holds: not rendered to find out.
    if opens_with_a_number(inner) || shown_at_least(inner) > LONGEST_LINE_NAME {
        return None;
    }
    let key = name_key(inner);
    LINE_NAMES.contains(&key.as_str()).then_some(inner)
}

/// The inner text of a line that is bold as a whole (`**[🦄文章&教程](…)**`), the form section
/// headings take in title-only issues.
pub fn bold_line(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("**")?.strip_suffix("**")?;
    (!inner.is_empty() && !inner.contains("**")).then_some(inner)
}

/// An ATX heading outside code: its level and text. Up to three spaces of indent are allowed, as
/// in CommonMark; the `#` run must be followed by a space or the end of the line.
pub fn atx(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = &rest[level..];
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level, text.trim().trim_end_matches('#').trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_vintage_of_a_heading() {
        for heading in [
            "🦄文章&教程",
            "[🦄文章&教程](https://xiaobot.net/p/python_weekly)",
            "🦄[文章&教程](https://xiaobot.net/p/python_weekly)",
            "文章&教程",
            "[🦄Articles & Tutorials](https://weekly.pythoncat.top)",
        ] {
            assert_eq!(
                classify(heading),
                Some(Section::Content(Category::Article)),
                "{heading}"
            );
        }
    }

    #[test]
    fn maps_each_category() {
        assert_eq!(classify("🐿️项目&资源"), Some(Section::Content(Category::Project)));
        assert_eq!(classify("🐢播客&视频"), Some(Section::Content(Category::Media)));
        assert_eq!(
            classify("🥂讨论&问题"),
            Some(Section::Content(Category::Discussion))
        );
        assert_eq!(classify("🐢赠书福利"), Some(Section::Content(Category::Book)));
        assert_eq!(
            classify("Podcasts & Videos"),
            Some(Section::Content(Category::Media))
        );
        assert_eq!(
            classify("Discussions & Questions"),
            Some(Section::Content(Category::Discussion))
        );
    }

    #[test]
    fn sponsor_and_review_sections_are_not_content() {
        for heading in [
            "🐱赞助&支持",
            "🐼欢迎订阅",
            "🐼关于周刊",
            "🐱产品推荐",
            "🐱播客推荐",
            "🐱好书推荐",
            "🌱关联阅读",
            "Sponsorship & Support",
        ] {
            assert_eq!(classify(heading), Some(Section::NotContent), "{heading}");
        }
    }

    #[test]
    fn past_years_sections_in_both_languages() {
        for heading in [
            "[🐧 往年回顾](https://xiaobot.net/p/python_weekly)",
            "🐧往年回顾",
            "[🐧 Looking Back](https://weekly.pythoncat.top)",
            "[🐧Past Reviews](https://weekly.pythoncat.top)",
        ] {
            assert_eq!(classify(heading), Some(Section::PastYears), "{heading}");
        }
    }

    #[test]
    fn prose_headings_name_no_section() {
        assert_eq!(classify("1、Awesome Python Weekly"), None);
        assert_eq!(classify("Python 潮流周刊#159：Python 3.15 预览"), None);
    }

    #[test]
    fn atx_needs_a_space_after_the_hashes() {
        assert_eq!(atx("## 🦄文章&教程"), Some((2, "🦄文章&教程")));
        assert_eq!(atx("   # title #"), Some((1, "title")));
        assert_eq!(atx("#123 is a tag"), None);
        assert_eq!(atx("    # indented code"), None);
        assert_eq!(atx("####### seven"), None);
    }

    #[test]
    fn bold_and_bare_link_lines_are_headings_only_when_they_name_a_section() {
        assert!(line_heading("**[🦄文章&教程](https://weekly.pythoncat.top)**").is_some());
        assert!(line_heading("[🐿️Projects & Resources](https://xiaobot.net/p/python_weekly)").is_some());
        assert!(line_heading("**[🐧 Past Reviews](https://x.dev)**").is_some());
        assert_eq!(line_heading("**项目地址**"), None);
        assert_eq!(line_heading("[相关项目](https://x.dev)"), None);
        assert_eq!(line_heading("**温馨提示：** 在微信关注"), None);
    }

    #[test]
    fn the_longest_line_name_bounds_them_all() {
        let longest = LINE_NAMES.iter().map(|n| n.chars().count()).max();
        assert_eq!(longest, Some(LONGEST_LINE_NAME));
    }

    #[test]
    fn shown_at_least_never_counts_what_markdown_hides() {
        for line in [
            "**[🦄文章&教程](https://weekly.pythoncat.top/a/very/long/path/that/is/not/shown)**",
            "[🐿️Projects & Resources](https://xiaobot.net/p/python_weekly \"a long link title here\")",
            "![an image alt text that is long](https://x.dev/i.png) Articles & Tutorials",
            "<span class=\"a long attribute value\">文章&教程</span>",
            "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&#12345;&#x1F600; Looking back",
            "[Looking back]: https://a.long.reference.definition/target/that/is/hidden",
            "[Past Reviews][a-long-reference-label-that-is-hidden-from-view]",
            "[文章教程](/u \"a) bbbbbbbbbbbbbbbbbbbbbbb\")",
            "文章 教程<span title=\"x>bbbbbbbbbbbbbbbbbbbbbbb\"></span>",
            "文章 教程 <!-- -> bbbbbbbbbbbbbbbbbbbbbbb -->",
            "文章 教程 <?x -> bbbbbbbbbbbbbbbbbbbbbbb ?>",
            "[文章教程](x\\)bbbbbbbbbbbbbbbbbbbbbbb)",
            "[文章教程](<x>bbbbbbbbbbbbbbbbbbbbbbb>)",
        ] {
            let rendered: usize = to_plain(line)
                .text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count();
            assert!(shown_at_least(line) <= rendered, "{line}");
        }
        // Prose shows more than any section name.
        assert!(shown_at_least("Python 3.14 的新特性：自由线程与子解释器") > LONGEST_LINE_NAME);
    }

    proptest::proptest! {
        #[test]
        fn shown_at_least_is_a_lower_bound(line in "[ab文1\\[\\]()<>&#;:!?*_`~+.\\\\ /\"'=-]{0,40}") {
            let rendered = to_plain(&line).text.chars().filter(|c| c.is_alphanumeric()).count();
            proptest::prop_assert!(shown_at_least(&line) <= rendered);
        }

        #[test]
        fn a_text_opening_with_a_number_shows_one(line in "([0-9]{1,3}|[①㉑１])[、.) ab文\\[\\]()<>&#;*_`]{0,12}") {
            // What `line_heading` skips on it: no name holds a number.
            if opens_with_a_number(&line) {
                proptest::prop_assert!(name_key(&line).starts_with(|c: char| c.is_numeric()), "{line}");
            }
        }
    }

    #[test]
    fn no_line_name_holds_a_number() {
        assert!(LINE_NAMES
            .iter()
            .all(|name| !name.contains(|c: char| c.is_numeric())));
        assert!(opens_with_a_number("1、[t](u)") && opens_with_a_number("⑫ 标题"));
        assert!(!opens_with_a_number("1. 文章教程") && !opens_with_a_number("2) x"));
    }

    #[test]
    fn bold_line_is_the_whole_line() {
        assert_eq!(
            bold_line("**[🦄文章&教程](https://x.dev)**"),
            Some("[🦄文章&教程](https://x.dev)")
        );
        assert_eq!(bold_line("**温馨提示：** 在微信关注"), None);
    }
}
