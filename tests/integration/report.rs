//! The editor's reports: what they hold, byte-identical reruns, escaped archive text, a failed run
//! that leaves the previous report, and the HTML opened in a real headless browser.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{built, chromium, ok, sample_archive, stderr, weeklens, HEADLESS};

fn report(store: &Path, out: &Path, args: &[&str]) -> PathBuf {
    let mut all = vec!["report", "--out", out.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    ok(store, &all);
    out.to_path_buf()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("report dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_season_report_holds_its_counts_charts_and_sections() {
    let (dir, store) = built(&sample_archive());
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let season = out.join("season-2");
    let md = fs::read_to_string(season.join("index.md")).expect("index.md");
    let html = fs::read_to_string(season.join("index.html")).expect("index.html");

    // Counts per category agree with the store's own entries of issues 31–60.
    let entries = weeklens::store::Store::open(&store)
        .expect("store")
        .entries()
        .expect("entries");
    for (category, name) in [
        ("article", "文章&教程"),
        ("project", "项目&资源"),
        ("media", "播客&视频"),
        ("discussion", "讨论&问题"),
    ] {
        let n = entries
            .iter()
            .filter(|e| !e.withdrawn && (31..=60).contains(&e.issue) && e.category.as_str() == category)
            .count();
        assert!(
            md.contains(&format!("| {name} | {n} |")),
            "{category} {n} in\n{md}"
        );
    }
    for section in [
        "## 本季概览",
        "## 与上一季相比",
        "## 图表",
        "## 本季的主题",
        "## 上升与新出现的话题",
        "## 重复分享",
        "## 内容来源",
        "## 与往期内容的关联",
    ] {
        assert!(md.contains(section), "{section}");
    }
    // The editor's span sentence, from the sample's dates (2023-12-16 to 2024-06-29).
    assert!(
        md.contains("从 2023.12.16 到 2024.06.29，间隔时间 196 天"),
        "{md}"
    );
    // The sample re-shares #29's project in #56 (same repository): a re-share from before the window.
    assert!(
        md.contains("#56 项目&资源") && md.contains("首次分享于此前"),
        "{md}"
    );
    // The word cloud is drawn, 800 × 520.
    let cloud = fs::read_to_string(season.join("wordcloud.svg")).expect("wordcloud.svg");
    assert!(
        cloud.contains("width=\"800\" height=\"520\""),
        "{}",
        &cloud[..200]
    );
    // No English word of the report's own in the Chinese report (archive text and technical
    // names aside): the headings and chart titles are Chinese.
    for english in [
        "Entries per issue",
        "Topics of this season",
        "share of entries",
        "Sources",
    ] {
        assert!(!md.contains(english) && !html.contains(english), "{english}");
    }
    // Every chart is a file beside the report, referenced by the markdown and inline in the HTML.
    let svgs: Vec<String> = files(&season)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|n| n.ends_with(".svg"))
        .collect();
    assert!(svgs.len() >= 5, "{svgs:?}");
    for svg in &svgs {
        assert!(md.contains(&format!("]({svg})")), "{svg} referenced");
    }
    assert_eq!(html.matches("<svg ").count(), svgs.len());
    assert!(!html.contains("<script"), "no script in the page");
    assert!(!html.contains("<img"), "nothing loaded from elsewhere");
}

#[test]
fn the_same_store_gives_byte_identical_reports() {
    let (dir, store) = built(&sample_archive());
    let a = report(&store, &dir.path().join("a"), &["--all-seasons"]);
    let b = report(&store, &dir.path().join("b"), &["--all-seasons"]);
    for season in ["season-1", "season-2"] {
        assert_eq!(files(&a.join(season)), files(&b.join(season)), "{season}");
    }
}

#[test]
fn archive_text_is_escaped_in_the_html() {
    // A copy of the sample whose first article's title carries markup, escaped in the source so
    // that it reaches the store as text.
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    let issue = archive.join("2024-06-08-weekly.md");
    let text = fs::read_to_string(&issue).expect("issue");
    let line = text
        .lines()
        .find(|l| l.starts_with("1、["))
        .expect("a numbered entry")
        .to_string();
    let marked = line.replacen("1、[", r"1、[\<script\>alert(1)\</script\> & \<b\>bold ** ", 1);
    fs::write(&issue, text.replacen(&line, &marked, 1)).expect("write");
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let html = fs::read_to_string(out.join("season-2/index.html")).expect("html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is there, as text"
    );
    assert!(
        !html.contains("<script") && !html.contains("<b>bold"),
        "no markup from the archive"
    );
}

#[test]
fn a_failed_run_leaves_the_previous_report() {
    let (dir, store) = built(&sample_archive());
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let before = files(&out.join("season-2"));
    let collection = dir.path().join("fonts.ttc");
    fs::write(&collection, b"not a font").expect("write");
    let failed = weeklens(
        &store,
        &[
            "report",
            "--season",
            "2",
            "--out",
            out.to_str().expect("utf-8"),
            "--font",
            collection.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(failed.status.code(), Some(2));
    assert!(stderr(&failed).contains("fonts.ttc"), "{}", stderr(&failed));
    assert_eq!(files(&out.join("season-2")), before);
    let unknown = weeklens(
        &store,
        &["report", "--season", "9", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("season 9 holds no issue of the store (its issues are #1–#58)"),
        "{}",
        stderr(&unknown)
    );
    // An output that is a file is named as such, and left as it was.
    let file = dir.path().join("notes.txt");
    fs::write(&file, b"mine").expect("write");
    let on_a_file = weeklens(
        &store,
        &["report", "--season", "2", "--out", file.to_str().expect("utf-8")],
    );
    assert_eq!(on_a_file.status.code(), Some(2));
    assert!(
        stderr(&on_a_file).contains("is a file or a device, not a directory"),
        "{}",
        stderr(&on_a_file)
    );
    assert_eq!(fs::read(&file).expect("read"), b"mine");
    let on_a_device = weeklens(&store, &["report", "--season", "2", "--out", "/dev/null"]);
    assert_eq!(on_a_device.status.code(), Some(2));
    assert!(
        stderr(&on_a_device).contains("`/dev/null` is a file or a device"),
        "{}",
        stderr(&on_a_device)
    );
}

/// Opens `page` in headless Chromium and returns its screenshot's pixels (RGB(A), channels) and
/// the console messages it logged.
fn screenshot(
    browser: &Path,
    page: &Path,
    dir: &Path,
    name: &str,
    size: &str,
) -> (Vec<u8>, usize, Vec<String>) {
    let shot = dir.join(format!("{name}.png"));
    let output = Command::new(browser)
        .args(HEADLESS)
        .arg(format!("--window-size={size}"))
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{name}")).display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&output.stderr);
    let console: Vec<String> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    // Keep the screenshot where a person can look at it.
    let keep = std::env::temp_dir().join(format!("weeklens-report-{name}.png"));
    fs::copy(&shot, &keep).expect("screenshot written");
    eprintln!("screenshot: {}", keep.display());
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&shot).expect("png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    (buf, info.color_type.samples(), console)
}

#[test]
fn the_html_report_loads_in_a_headless_browser_without_console_errors_and_shows_its_charts() {
    let Some(browser) = chromium() else { return };
    let (dir, store) = built(&sample_archive());
    // The Chinese report, the default.
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let page = out.join("season-2/index.html");
    let (pixels, channels, console) = screenshot(&browser, &page, dir.path(), "screenshot", "1100,2400");
    assert!(console.is_empty(), "console messages: {console:?}");

    // The charts drew: the screenshot holds many pixels of colour (the text is black on white).
    let coloured = pixels
        .chunks(channels)
        .filter(|px| {
            let (r, g, b) = (i32::from(px[0]), i32::from(px[1]), i32::from(px[2]));
            (r - g).abs().max((g - b).abs()).max((r - b).abs()) > 60
        })
        .count();
    assert!(
        coloured > 20_000,
        "only {coloured} coloured pixels: the charts did not show"
    );

    // The charts' Chinese text shows as Chinese glyphs, not as boxes: the word cloud drawn as it
    // is and with every Chinese character swapped for a character no font has (drawn as the
    // same box whatever it stands for) must look different.
    let cloud = fs::read_to_string(out.join("season-2/wordcloud.svg")).expect("svg");
    assert!(cloud.contains("智能体"), "the cloud holds Chinese words");
    let boxed: String = cloud
        .chars()
        .map(|c| {
            if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                '\u{E000}'
            } else {
                c
            }
        })
        .collect();
    let page = |name: &str, svg: &str| {
        let path = dir.path().join(format!("{name}.html"));
        fs::write(&path, format!("<!DOCTYPE html><html lang=\"zh\"><meta charset=\"utf-8\"><body style=\"margin:0\">{svg}</body></html>")).expect("write");
        path
    };
    let (real, _, console) = screenshot(&browser, &page("cloud", &cloud), dir.path(), "cloud", "800,520");
    assert!(console.is_empty(), "console messages: {console:?}");
    let (tofu, _, _) = screenshot(&browser, &page("tofu", &boxed), dir.path(), "tofu", "800,520");
    let differing = real.iter().zip(&tofu).filter(|(a, b)| a != b).count();
    assert!(
        differing > 5_000,
        "only {differing} bytes differ: the Chinese words drew as boxes"
    );
}

/// A run of several reports stages them all before any is put in place: one that cannot be
/// written (here the last season's compilation, edited by hand) leaves the earlier seasons'
/// reports as they were, not half the run's language and half the previous one's.
#[test]
fn a_failed_report_of_several_leaves_every_previous_report() {
    let (dir, store) = built(&sample_archive());
    let out = dir.path().join("reports");
    let _ = report(&store, &out, &["--all-seasons", "--compilation"]);
    fs::write(out.join("season-2/compilation.md"), "# mine\n").expect("edit");
    let before = [files(&out.join("season-1")), files(&out.join("season-2"))];
    let failed = weeklens(
        &store,
        &[
            "report",
            "--all-seasons",
            "--compilation",
            "--lang",
            "en",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        stderr(&failed).contains("compilation.md` was changed since weeklens wrote it"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(
        [files(&out.join("season-1")), files(&out.join("season-2"))],
        before
    );
    // Nothing staged is left behind.
    let left: Vec<_> = fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| !n.starts_with('.')), "{left:?}");
}

#[test]
fn progress_stays_quiet_when_piped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let build = weeklens(
        &store,
        &["build", "--archive", sample_archive().to_str().expect("utf-8")],
    );
    let out = dir.path().join("reports");
    let report = weeklens(
        &store,
        &["report", "--all-seasons", "--out", out.to_str().expect("utf-8")],
    );
    for output in [&build, &report] {
        assert!(output.status.success(), "{}", stderr(output));
        let err = stderr(output);
        assert!(
            !err.contains('\r') && !err.contains('█') && !err.contains("building"),
            "{err:?}"
        );
    }
    // What a script reads: one line per report written.
    assert_eq!(crate::support::stdout(&report).lines().count(), 2);
}

/// The HTML with each inline chart reduced to its size and checksum: the page's text stays
/// readable in the snapshot, and a chart that changes still changes it.
fn html_with_chart_sums(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").expect("an svg ends") + start + "</svg>".len();
        let svg = &rest[start..end];
        out.push_str(&format!(
            "<svg …{} bytes, crc32 {:08x}…>",
            svg.len(),
            crc32fast::hash(svg.as_bytes())
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_sample_season_report_as_markdown_and_html() {
    let (dir, store) = built(&sample_archive());
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let md = fs::read_to_string(out.join("season-2/index.md")).expect("index.md");
    let html = fs::read_to_string(out.join("season-2/index.html")).expect("index.html");
    insta::assert_snapshot!("sample_season_2_markdown", md);
    insta::assert_snapshot!("sample_season_2_html", html_with_chart_sums(&html));
}

#[test]
fn the_sample_season_report_in_english() {
    let (dir, store) = built(&sample_archive());
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--season", "2", "--lang", "en"],
    );
    let md = fs::read_to_string(out.join("season-2/index.md")).expect("index.md");
    insta::assert_snapshot!("sample_season_2_markdown_en", md);
    // Nothing of the report's own words in Chinese (archive titles aside): no category name, no
    // heading, no chart title.
    for chinese in ["文章&教程", "本季", "每期内容数量", "条目"] {
        assert!(!md.contains(chinese), "{chinese} in\n{md}");
    }
    let svg = fs::read_to_string(out.join("season-2/entries-per-issue.svg")).expect("svg");
    assert!(svg.contains("Articles &amp; tutorials"), "legend in English");
    // The archive's words in English too: topic names, entry titles (each sample entry has a
    // translation), terms and stories are written in English, not Chinese.
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for name in [
        "Against the previous season",
        "Topics of this season",
        "Rising and new themes",
        "Stories of this season",
    ] {
        let section = md
            .split("\n## ")
            .find(|s| s.starts_with(name))
            .unwrap_or_else(|| panic!("no section {name}"));
        assert!(section.lines().count() > 5, "{section}");
        for line in section.lines() {
            assert!(!cjk(line), "Chinese in an English report: {line}");
        }
    }
    // Nothing rises significantly in the sample's small season: no rising-terms chart, none
    // linked.
    assert!(!out.join("season-2/rising-terms.svg").exists());
    assert!(!md.contains("rising-terms.svg"));
    for chart in ["wordcloud", "frequent-terms", "topic-shares"] {
        let svg = fs::read_to_string(out.join(format!("season-2/{chart}.svg"))).expect("svg");
        assert!(svg.matches("<text").count() > 3, "{chart}: {svg}");
        assert!(!cjk(&svg), "Chinese in the English {chart} chart");
    }
}

#[test]
fn the_compilation_and_link_only_edition_have_the_editors_structure() {
    let (dir, store) = built(&sample_archive());
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--season", "2", "--compilation"],
    );
    let season = out.join("season-2");
    let compilation = fs::read_to_string(season.join("compilation.md")).expect("compilation.md");
    let links = fs::read_to_string(season.join("links.md")).expect("links.md");
    let index = fs::read_to_string(season.join("index.md")).expect("index.md");
    assert!(index.contains("](compilation.md)") && index.contains("](links.md)"));

    let entries = weeklens::store::Store::open(&store)
        .expect("store")
        .entries()
        .expect("entries");
    let window: Vec<_> = entries
        .iter()
        .filter(|e| !e.withdrawn && (31..=60).contains(&e.issue))
        .collect();
    let linked = window
        .iter()
        .filter(|e| e.url.as_deref().is_some_and(|u| u.starts_with("http")))
        .count();
    // The link-only edition: one numbered link per entry with a link, the count in its intro.
    assert_eq!(links.matches("](http").count(), linked, "{links}");
    assert!(links.contains(&format!("本文总计 {linked} 个链接")), "{links}");
    assert!(links.contains("## 🦄文章&教程\n\n1、["), "{links}");
    // The compilation: each issue `## N title`, the blog line, its sections, every entry.
    for issue in [31, 55, 56, 57, 58] {
        assert!(compilation.contains(&format!("\n## {issue} ")), "#{issue}");
    }
    assert!(
        compilation.contains("## 55 uv 能统一 Python 工具链吗？\n\n[博客原文](https://pythoncat.top/posts/2024-06-08-weekly) | 发布时间：2024-06-08\n\n### 🦄文章&教程\n\n1、["),
        "{compilation}"
    );
    let numbered = compilation
        .lines()
        .filter(|l| l.contains('、') && l.split('、').next().is_some_and(|n| n.parse::<u32>().is_ok()))
        .count();
    assert_eq!(numbered, window.len(), "every entry of the window, once");
    // Descriptions where the archive has them.
    assert!(compilation.contains("作者用 uv 替换了 pip"), "{compilation}");
}

#[test]
fn reader_numbers_add_the_top_issues_and_bad_ones_name_the_line() {
    let (dir, store) = built(&sample_archive());
    let csv = dir.path().join("reads.csv");
    fs::write(
        &csv,
        "issue,reads,likes\n31,900,5\n55,1200,9\n56,300,1\n1,5000,50\n",
    )
    .expect("write");
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--season", "2", "--metrics", csv.to_str().expect("utf-8")],
    );
    let md = fs::read_to_string(out.join("season-2/index.md")).expect("index.md");
    assert!(md.contains("## 阅读量前 10 的周刊"), "{md}");
    assert!(
        md.contains("| 1 | 55 | uv 能统一 Python 工具链吗？ | 1200 | 9 |"),
        "{md}"
    );
    assert!(md.contains("| 3 | 56 |"), "{md}");
    assert!(!md.contains("| 5000 |"), "issue 1 is not in season 2");
    // Without the file, no section.
    let plain = report(&store, &dir.path().join("plain"), &["--season", "2"]);
    let md = fs::read_to_string(plain.join("season-2/index.md")).expect("index.md");
    assert!(!md.contains("阅读量"), "{md}");
    // A bad row: the file and line named, nothing written.
    fs::write(&csv, "issue,reads\n31,900\n55,many\n").expect("write");
    let failed = weeklens(
        &store,
        &[
            "report",
            "--season",
            "2",
            "--out",
            dir.path().join("bad").to_str().expect("utf-8"),
            "--metrics",
            csv.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(failed.status.code(), Some(2));
    assert!(stderr(&failed).contains("reads.csv:3:"), "{}", stderr(&failed));
    assert!(!dir.path().join("bad/season-2").exists());
}

/// The reader numbers' file is named as written (a code span holds `_` as itself, and is fenced
/// past a backtick), and a file holding no issue of the report says so instead of an empty table.
#[test]
fn reader_numbers_name_their_file_as_written() {
    let (dir, store) = built(&sample_archive());
    let csv = dir.path().join("reads_2026`x.csv");
    fs::write(&csv, "issue,reads\n55,1200\n").expect("write");
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--season", "2", "--metrics", csv.to_str().expect("utf-8")],
    );
    let md = fs::read_to_string(out.join("season-2/index.md")).expect("index.md");
    assert!(md.contains("阅读数据来自 ``reads_2026`x.csv``。"), "{md}");
    let html = fs::read_to_string(out.join("season-2/index.html")).expect("index.html");
    assert!(html.contains("<code>reads_2026`x.csv</code>"), "{html}");
    // None of the season's issues: said, no table.
    fs::write(&csv, "issue,reads\n1,5000\n").expect("write");
    let out = report(
        &store,
        &dir.path().join("none"),
        &["--season", "2", "--metrics", csv.to_str().expect("utf-8")],
    );
    let md = fs::read_to_string(out.join("season-2/index.md")).expect("index.md");
    assert!(
        md.contains("``reads_2026`x.csv`` 中没有本报告各期的阅读数。"),
        "{md}"
    );
    let section = md.split("## 阅读量前 10 的周刊").nth(1).expect("the section");
    assert!(!section.contains('|'), "{section}");
}

/// A window where nothing rises, falls or appears significantly says so, instead of leaving its
/// section with the method's note alone.
#[test]
fn a_window_without_significant_change_says_so() {
    let (dir, store) = built(&sample_archive());
    let out = report(&store, &dir.path().join("reports"), &["--from", "2", "--to", "2"]);
    let md = fs::read_to_string(out.join("issues-2-2/index.md")).expect("index.md");
    let section = md
        .split("\n## ")
        .find(|s| s.starts_with("上升与新出现的话题"))
        .expect("the section");
    assert!(
        section.contains("没有显著上升、下降或新出现的词和主题"),
        "{section}"
    );
    assert!(!section.contains("### "), "{section}");
}

#[test]
fn a_window_without_links_says_why_it_has_no_sources() {
    // Issues 57 and 58 of the sample keep titles only; #57 is filled from the season compilation.
    let (dir, store) = built(&sample_archive());
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--from", "58", "--to", "58"],
    );
    let md = fs::read_to_string(out.join("issues-58-58/index.md")).expect("index.md");
    assert!(!md.contains("在 0 条带链接"), "{md}");
    assert!(md.contains("无法统计来源"), "{md}");
    // Its compilation has no link-only edition, and the run says so.
    let reports = dir.path().join("compiled");
    let output = crate::support::weeklens(
        &store,
        &[
            "report",
            "--out",
            reports.to_str().expect("utf-8"),
            "--from",
            "58",
            "--to",
            "58",
            "--compilation",
        ],
    );
    assert!(output.status.success());
    assert!(reports.join("issues-58-58/compilation.md").exists());
    assert!(!reports.join("issues-58-58/links.md").exists());
    let said = stderr(&output);
    assert!(said.contains("no links.md written"), "{said}");
}

/// A title-only entry shared again under another Chinese title keeps its English one (#158's
/// "LLM 工作原理从零入门" after #153's "大模型究竟是如何工作的？", both "How LLMs Actually Work"): the
/// report's re-shares find it by the translation, as `check` does with a draft's beside it.
#[test]
fn a_title_only_entry_shared_again_is_found_by_its_english_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    let fixtures = crate::support::repo().join("tests/fixtures/report-en");
    for name in ["2024-07-20-weekly.md", "2024-07-27-weekly.md"] {
        fs::copy(fixtures.join(name), archive.join(name)).expect("issue");
        fs::copy(fixtures.join("en").join(name), archive.join("en").join(name)).expect("translation");
    }
    let store = dir.path().join("store");
    ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    let out = report(
        &store,
        &dir.path().join("reports"),
        &["--from", "61", "--to", "61"],
    );
    let markdown = fs::read_to_string(out.join("issues-61-61/index.md")).expect("index.md");
    let reshares = markdown.split("## 重复分享").nth(1).expect("a re-shares section");
    let reshares = reshares.split("\n## ").next().expect("its text");
    assert!(
        reshares.contains("LLM 工作原理从零入门 — #61")
            && reshares.contains("大模型究竟是如何工作的？ — #60"),
        "{reshares}"
    );
    // A range is compared with as many issues before it, not with a season.
    assert!(
        markdown.contains("## 与此前的期相比") && !markdown.contains("上一季"),
        "{markdown}"
    );
    // The other entries, with other English titles, are no re-shares.
    assert!(
        !reshares.contains("浏览器扩展") && !reshares.contains("pagecat"),
        "{reshares}"
    );
}
