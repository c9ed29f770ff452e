//! The editor's reports: what they hold, byte-identical reruns, escaped archive text, a failed run
//! that leaves the previous report, and the HTML opened in a real headless browser.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{built, ok, sample_archive, stderr, weeklens};

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
    for category in ["article", "project", "media", "discussion"] {
        let n = entries
            .iter()
            .filter(|e| !e.withdrawn && (31..=60).contains(&e.issue) && e.category.as_str() == category)
            .count();
        assert!(
            md.contains(&format!("| {category} | {n} |")),
            "{category} {n} in\n{md}"
        );
    }
    for section in [
        "## Charts",
        "## Topics of the window",
        "## Rising and new themes",
        "## Shared twice",
        "## Sources",
        "## Cross-references to earlier issues",
    ] {
        assert!(md.contains(section), "{section}");
    }
    // The sample re-shares #29's project in #56 (same repository): a re-share from before the window.
    assert!(
        md.contains("#56 project") && md.contains("first shared before it"),
        "{md}"
    );
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
    assert!(stderr(&unknown).contains("season-9"), "{}", stderr(&unknown));
}

/// Chromium, where the machine has it; CI installs it and must run this test.
fn chromium() -> Option<PathBuf> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium for the report's browser test"
        );
        eprintln!("no chromium: the browser test did not run");
    }
    found
}

#[test]
fn the_html_report_loads_in_a_headless_browser_without_console_errors_and_shows_its_charts() {
    let Some(browser) = chromium() else { return };
    let (dir, store) = built(&sample_archive());
    let out = report(&store, &dir.path().join("reports"), &["--season", "2"]);
    let page = out.join("season-2/index.html");
    let shot = dir.path().join("screenshot.png");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            "--window-size=1100,2400",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&output.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    // Keep the screenshot where a person can look at it.
    let keep = std::env::temp_dir().join("weeklens-report-screenshot.png");
    fs::copy(&shot, &keep).expect("screenshot written");
    eprintln!("screenshot: {}", keep.display());

    // The charts drew: the screenshot holds many pixels of colour (the text is black on white).
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&shot).expect("png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let coloured = buf[..info.buffer_size()]
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
