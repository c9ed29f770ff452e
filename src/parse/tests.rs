use super::*;

#[test]
fn stated_counts_name_only_the_categories_they_state() {
    let counts =
        stated_counts("本期分享了 12 篇文章，12 个开源项目，2 则视频，赠书 5 本《某书》，全文 2400  字。");
    assert_eq!(counts.get(Category::Article), Some(12));
    assert_eq!(counts.get(Category::Project), Some(12));
    assert_eq!(counts.get(Category::Media), Some(2));
    // Copies of a giveaway book are not entries.
    assert_eq!(counts.get(Category::Book), None);
    assert_eq!(counts.get(Category::Discussion), None);
}

#[test]
fn stated_counts_read_discussions_and_ignore_other_sentences() {
    let counts = stated_counts("作者分享了自己的经验。\n分享了 11 篇文章，12 个开源项目，1 则热门话题");
    assert_eq!(counts.get(Category::Article), Some(11));
    assert_eq!(counts.get(Category::Discussion), Some(1));
    assert!(stated_counts("这里没有统计").is_empty());
}

#[test]
fn stated_counts_past_u32_do_not_wrap() {
    // Found by the parse_issue fuzz target: the sum overflowed (a panic with overflow checks, a
    // wrapped count of 4294967294 without).
    let counts = stated_counts("分享了 4294967295 篇文章，4294967295 篇文章，1 个开源项目");
    assert_eq!(counts.get(Category::Article), Some(u32::MAX));
    assert_eq!(counts.get(Category::Project), Some(1));
}

#[test]
fn issue_number_comes_from_the_title() {
    assert_eq!(issue_number("Python潮流周刊#1：如何学习"), Some(1));
    assert_eq!(issue_number("Python Trending Weekly #93: Red Knot"), Some(93));
    assert_eq!(issue_number("Python 潮流周刊第3季"), None);
    assert_eq!(issue_number("Python 潮流周刊#99999：最后"), Some(99_999));
}

/// A number no issue can have is none, said, not its first five digits (`#4294967296` was read
/// as #42949 until session 25's battery found it).
#[test]
fn an_issue_number_out_of_range_is_none_and_said() {
    assert_eq!(issue_number("Python 潮流周刊#4294967296：甲"), None);
    assert_eq!(issue_number("Python 潮流周刊#0：甲"), None);
    assert_eq!(issue_number("Python 潮流周刊#100000：甲"), None);
    let text = "# Python 潮流周刊#4294967296：草稿\n\n## 🦄文章&教程\n\n1、[甲](https://a.dev/1)\n";
    let (issue, _) = parse_issue("d.md", text);
    assert_eq!(issue.number, None);
    assert_eq!(
        issue_number_fault(&issue.title),
        "the title's issue number `#4294967296` is not one of 1 to 99999"
    );
    assert_eq!(
        issue_number_fault("Python 潮流周刊第3季"),
        "no issue number (`#N`) in the title"
    );
}

/// A line numbered past three digits (`1000、`) is not read as an entry, and says so: a draft
/// holding only such lines was told it had no section heading.
#[test]
fn an_entry_numbered_with_four_digits_is_said_not_dropped_silently() {
    let text = "# Python 潮流周刊#160：草稿\n\n## 🦄文章&教程\n\n1000、[甲](https://a.dev/1)\n\n\
                2、[乙](https://a.dev/2)\n\n3.12 版本\n\n2024、2025 两年的变化\n";
    let (issue, diagnostics) = parse_issue("d.md", text);
    assert_eq!(issue.entries.len(), 1);
    let said: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("d.md:5: `1000、` numbers an entry with more than 3 digits"),
        "{said:?}"
    );
}

#[test]
fn front_matter_gives_title_and_date_and_where_the_body_starts() {
    let (front, start) =
        front_matter("---\ntitle: \"Python 潮流周刊#105：标题\"\npubDate: 2025-06-07\n---\n\n正文");
    assert_eq!(front.title.as_deref(), Some("Python 潮流周刊#105：标题"));
    assert_eq!(front.date.as_deref(), Some("2025-06-07"));
    assert_eq!(start, 4);
    let (front, start) = front_matter("---\ntitle: never closed\n");
    assert!(front.title.is_none());
    assert_eq!(start, 0);
    assert_eq!(front.unclosed, Some(1));
}

#[test]
fn a_front_matter_that_never_closes_is_named_with_its_line() {
    let text = "<!-- a comment first -->\n---\ntitle: 'Python 潮流周刊#3：没有结尾'\n\n## 🦄文章&教程\n\n1、[标题](https://a.dev/x)\n";
    let (_, diagnostics) = parse_issue("2023-05-27-weekly.md", text);
    let unclosed: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.message.contains("never closed"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(unclosed.len(), 1, "{diagnostics:?}");
    assert!(
        unclosed[0].starts_with("2023-05-27-weekly.md:2: "),
        "{unclosed:?}"
    );
    // A block closed but never opened is named too, not left to read as a missing title.
    let text = "title: \"Python 潮流周刊#2：引号不配对'\npubDate: 2023-05-20\n---\n\n## 🦄文章&教程\n\n1、[标题](https://a.dev/x)\n";
    let (_, diagnostics) = parse_issue("2023-05-20-weekly.md", text);
    assert_eq!(
        diagnostics
            .iter()
            .filter(|d| d.message.contains("front matter"))
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "2023-05-20-weekly.md:1: the front matter closed by `---` on line 3 is never opened (no \
          `---` line before it), so its title and date are not read"
        ]
    );
    // Prose before a thematic break is not a block.
    for text in [
        "正文: 不是\n---\n",
        "# 标题\ntitle: x\n---\n",
        "title: x\n\n---\n",
    ] {
        let (front, _) = front_matter(text);
        assert_eq!(front.unopened, None, "{text:?}");
    }
    // A closed block, or none, says nothing of the kind.
    for text in ["---\ntitle: x\n---\n正文\n", "正文\n", ""] {
        let (_, diagnostics) = parse_issue("x.md", text);
        assert!(
            diagnostics.iter().all(|d| !d.message.contains("never closed")),
            "{diagnostics:?}"
        );
    }
}

#[test]
fn compilation_blocks_are_numbered_in_every_style() {
    assert_eq!(block_number("61 PyPI 管理员密钥泄露事件 "), Some(61));
    assert_eq!(block_number("[第1期（2023-05-13）](https://x.dev/1)"), Some(1));
    assert_eq!(block_number("后记"), None);
    assert_eq!(block_number("🦄文章&教程"), None);
}

#[test]
fn withdrawn_placeholders_in_both_languages() {
    assert!(is_withdrawn("原推荐文章为拼凑且非原创，已删"));
    assert!(is_withdrawn("内容删除"));
    assert!(is_withdrawn("Content deleted."));
    assert!(is_withdrawn(
        "The original article was not original, and has been deleted."
    ));
    assert!(!is_withdrawn("如何删除重复的值？"));
    assert!(!is_withdrawn("RecoverPy：恢复已删除或覆盖的文件"));
}

#[test]
fn numbered_lines_under_an_unknown_heading_are_named_not_lost_silently() {
    let text = "# Python 潮流周刊#160：草稿\n\n## 🦄文章&教程\n\n1、[甲](https://a.dev/1)\n\n\
                ## 🎯 本周工具\n\n1、[乙](https://a.dev/2)\n\n2、[丙](https://a.dev/3)\n\n\
                ## 🎁 更多\n\n只是一段话\n";
    let (issue, diagnostics) = parse_issue("2026-07-25-weekly.md", text);
    assert_eq!(issue.entries.len(), 1);
    let said: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("2026-07-25-weekly.md:7: `🎯 本周工具` names no section")
            && said[0].ends_with("the 2 numbered line(s) after it are not read as entries"),
        "{said:?}"
    );
    // A heading whose link is written by reference is quoted as the file writes it, not as the
    // link was written again for the scanner.
    let by_reference = text.replace("## 🎯 本周工具", "## [🎯 本周工具][t]") + "\n[t]: https://a.dev/tools\n";
    let (_, diagnostics) = parse_issue("2026-07-25-weekly.md", &by_reference);
    let said: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("2026-07-25-weekly.md:7: `[🎯 本周工具][t]` names no section"),
        "{said:?}"
    );
    // An unknown heading over prose, or a file that ends in one, says it too only with numbers.
    let (_, diagnostics) = parse_issue(
        "x.md",
        "## 🦄文章&教程\n\n1、[甲](https://a.dev/1)\n\n## 其它\n\n3、[丁](https://a.dev/4)\n",
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].to_string().contains("`其它`"), "{diagnostics:?}");
    // A `###` heading that names a section ends the unread part too: said, not lost.
    let text =
        "## 本周工具\n\n1、[乙](https://a.dev/2)\n\n### 🦄文章&教程\n\n① [甲](https://a.dev/1)\n\n🎁 更多\n";
    let (_, diagnostics) = parse_issue("x.md", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].to_string().starts_with("x.md:1: `本周工具`"),
        "{diagnostics:?}"
    );
    // A bold line that is no section's name ends a title-only section: what follows is said too.
    let text = "## 🦄文章&教程\n\n① [甲](https://a.dev/1)\n\n**🎯 本周工具**\n\n② [乙](https://a.dev/2)\n";
    let (issue, diagnostics) = parse_issue("x.md", text);
    assert_eq!(issue.entries.len(), 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .to_string()
            .starts_with("x.md:5: `**🎯 本周工具**`"),
        "{diagnostics:?}"
    );
}
