//! Output safety: archive and draft text is escaped for the medium it is printed into (markdown
//! to paste into the newsletter, a terminal, JSON, the report's HTML), and a standard output that
//! is closed or full ends a command cleanly — quietly for a closed pipe, exit 2 naming the stream
//! for a full disk — never with a panic.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pulldown_cmark::{Event, Parser, Tag};

use crate::support::{built, ok, sample_archive, stderr, stdout, weeklens};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";
const JS_LINK: &str = "[x](javascript:alert(1))";
/// Sets the terminal's title, then clears its screen.
const TERM: &str = "\x1b]0;pwned\x07\x1b[2J";

/// The sample archive and two issues more: #5 (2023-06-10), whose titles attack the outputs, and
/// #6 (2023-06-17), which repeats two of its links. Each hostile entry shares two made-up words
/// with one of #6's entries and one of the draft's, so that it is found. The archive's markdown
/// escapes what it must for the titles to hold the attack as text (a code span, `\<`, `\[`).
fn hostile_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    let hostile = format!(
        "---\ntitle: 'Python 潮流周刊#5：{TERM}{SCRIPT} 异步管道'\npubDate: 2023-06-10\n---\n\n\
         ## 🦄文章&教程\n\n\
         1、[`{SCRIPT}` quokka wombat 异步管道](https://blog.example.net/script)\n\n一。\n\n\
         2、[\\<img src=x onerror=alert(1)\\> narwhal axolotl 异步管道](https://blog.example.net/img)\n\n二。\n\n\
         3、[pangolin capybara 异步管道](javascript:alert(1))\n\n三。\n\n\
         4、[{TERM_MD} platypus manatee 异步管道](https://blog.example.net/term)\n\n四。\n\n\
         5、[\\[x\\](javascript:alert(1)) ocelot tapir 异步管道](https://blog.example.net/nested)\n\n五。\n"
    );
    fs::write(archive.join("2023-06-10-weekly.md"), hostile).expect("write");
    let mut benign =
        "---\ntitle: 'Python 潮流周刊#6：动物'\npubDate: 2023-06-17\n---\n\n## 🦄文章&教程\n\n".to_string();
    for (i, (words, url)) in [
        ("quokka wombat", "https://blog.example.net/script"),
        ("narwhal axolotl", "https://blog.example.net/6/2"),
        ("pangolin capybara", "https://blog.example.net/6/3"),
        ("platypus manatee", "https://blog.example.net/term"),
        ("ocelot tapir", "https://blog.example.net/6/5"),
    ]
    .iter()
    .enumerate()
    {
        benign.push_str(&format!("{}、[{words} 入门]({url})\n\n关于 {words}。\n\n", i + 1));
    }
    fs::write(archive.join("2023-06-17-weekly.md"), benign).expect("write");
    archive
}

/// [`TERM`] as the archive's markdown holds it: its brackets escaped, or they would end the link.
const TERM_MD: &str = "\x1b\\]0;pwned\x07\x1b\\[2J";

/// A draft of #60, a year after #5: one entry for each hostile entry (by its made-up words), and
/// one with a hostile title of its own that repeats #5's terminal-attacking link.
fn hostile_draft(dir: &Path) -> String {
    let path = dir.join("2024-06-10-weekly.md");
    let mut text =
        "---\ntitle: Python 潮流周刊#60：草稿\npubDate: 2024-06-10\n---\n\n## 🦄文章&教程\n\n".to_string();
    for (i, words) in [
        "quokka wombat",
        "narwhal axolotl",
        "pangolin capybara",
        "platypus manatee",
        "ocelot tapir",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "{}、[{words} 新闻](https://news.example.org/{i})\n\n又见 {words}。\n\n",
            i + 1
        ));
    }
    text.push_str(&format!(
        "6、[{TERM_MD}`{SCRIPT}` 又一次](https://blog.example.net/term)\n\n再一次。\n"
    ));
    fs::write(&path, text).expect("write draft");
    path.to_str().expect("utf-8").to_string()
}

/// A control character a terminal would obey: C0 but line feed, DEL, C1 (ESC and BEL among them).
fn control_chars(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_control() && *c != '\n').collect()
}

/// Link targets and raw HTML in `markdown`, as a CommonMark renderer reads it.
fn links_and_html(markdown: &str) -> (Vec<String>, Vec<String>) {
    let (mut links, mut html) = (Vec::new(), Vec::new());
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::all()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string())
            }
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
            _ => {}
        }
    }
    (links, html)
}

/// The text a CommonMark renderer shows for `markdown`.
fn rendered_text(markdown: &str) -> String {
    Parser::new(markdown)
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn past_years_markdown_is_safe_to_paste() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_store_dir, store) = built(&hostile_archive(dir.path()));
    let draft = hostile_draft(dir.path());
    let args = [
        "past-years",
        &draft,
        "--related",
        "--min-score",
        "0.01",
        "-k",
        "10",
    ];
    let markdown = ok(&store, &args);

    // Every hostile entry made it into the section, as text.
    let shown = rendered_text(&markdown);
    for hostile in [
        SCRIPT,
        IMG,
        JS_LINK,
        "pangolin capybara 异步管道",
        "platypus manatee 异步管道",
    ] {
        assert!(shown.contains(hostile), "{hostile} shown in\n{markdown}");
    }
    assert!(!markdown.contains("<script"), "{markdown}");
    assert!(!markdown.contains("<img"), "{markdown}");
    assert_eq!(control_chars(&markdown), Vec::<char>::new(), "{markdown:?}");
    let (links, html) = links_and_html(&markdown);
    assert!(html.is_empty(), "raw HTML {html:?} in\n{markdown}");
    assert!(!links.is_empty(), "{markdown}");
    for link in &links {
        assert!(link.starts_with("https://"), "link target {link} in\n{markdown}");
    }

    // JSON carries the archive's text as it is, escaped by JSON.
    let json_args = [&args[..], &["--format", "json"]].concat();
    let json = ok(&store, &json_args);
    assert_eq!(control_chars(&json), Vec::<char>::new(), "{json:?}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let title = json["issues"][0]["title"]
        .as_str()
        .expect("the same week's issue");
    assert!(title.contains(&format!("{TERM}{SCRIPT}")), "{title:?}");
    let urls: Vec<&str> = json["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["url"].as_str())
        .collect();
    assert!(urls.contains(&"javascript:alert(1)"), "{urls:?}");
}

#[test]
fn terminal_tables_hold_no_control_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_store_dir, store) = built(&hostile_archive(dir.path()));
    let draft = hostile_draft(dir.path());

    let words = "quokka wombat narwhal axolotl pangolin capybara platypus manatee ocelot tapir";
    let related = ok(&store, &["related", "--text", words, "-k", "20"]);
    assert!(related.contains(SCRIPT), "titles shown as text: {related}");
    assert!(related.contains(" platypus manatee 异步管道"), "{related}");
    assert_eq!(control_chars(&related), Vec::<char>::new(), "{related:?}");

    let check = weeklens(&store, &["check", &draft]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let table = stdout(&check);
    assert!(
        table.contains(" platypus manatee 异步管道"),
        "the repeat is found: {table}"
    );
    assert_eq!(control_chars(&table), Vec::<char>::new(), "{table:?}");

    let json = weeklens(
        &store,
        &["related", "--text", words, "-k", "20", "--format", "json"],
    );
    let views: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert!(
        views
            .as_array()
            .expect("array")
            .iter()
            .any(|v| v["title"].as_str().is_some_and(|t| t.starts_with(TERM))),
        "JSON keeps the title as it is: {views}"
    );

    for args in [
        &["topics"][..],
        &["stats"],
        &["terms"],
        &["trends", "--window", "2"],
    ] {
        let out = ok(&store, args);
        assert_eq!(control_chars(&out), Vec::<char>::new(), "{args:?}: {out:?}");
    }
}

#[test]
fn the_report_escapes_archive_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_store_dir, store) = built(&hostile_archive(dir.path()));
    let reports = dir.path().join("reports");
    ok(
        &store,
        &[
            "report",
            "--season",
            "1",
            "--out",
            reports.to_str().expect("utf-8"),
        ],
    );
    let markdown = fs::read_to_string(reports.join("season-1/index.md")).expect("index.md");
    let (links, html) = links_and_html(&markdown);
    assert!(html.is_empty(), "raw HTML {html:?}");
    for link in &links {
        assert!(
            link.starts_with("https://") || link.ends_with(".svg"),
            "link target {link}"
        );
    }
    assert_eq!(control_chars(&markdown), Vec::<char>::new());
    let page = fs::read_to_string(reports.join("season-1/index.html")).expect("index.html");
    assert!(!page.contains("<script"), "no script in the page");
    assert!(!page.contains("<img"), "no image tag in the page");
    assert!(page.contains("&lt;script&gt;"), "the title is shown as text");
    assert!(!page.contains("href=\"javascript:"), "no script link in the page");
    assert_eq!(control_chars(&page), Vec::<char>::new());
}

/// How standard output is connected for a run.
#[derive(Clone, Copy, Debug)]
enum Sink {
    /// A pipe whose reader has gone.
    Closed,
    /// `/dev/full`: every write fails with ENOSPC.
    Full,
}

/// Runs `weeklens ARGS` (store at `store`) with standard output connected to `sink`.
fn run_into(store: &Path, args: &[String], sink: Sink) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_weeklens"));
    command
        .args(args)
        .env("WEEKLENS_STORE", store)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    match sink {
        Sink::Closed => command.stdout(Stdio::piped()),
        Sink::Full => command.stdout(Stdio::from(
            File::options().write(true).open("/dev/full").expect("/dev/full"),
        )),
    };
    let mut child = command.spawn().expect("the weeklens binary runs");
    // The reader goes before the command has written anything.
    drop(child.stdout.take());
    child.wait_with_output().expect("waits")
}

/// Every command that prints, with what it needs in `dir`; the commands issue 15 found panicking
/// first (`tokens`, `report`, `build`, `index`, `synth`).
fn printing_commands(dir: &Path, archive: &Path, draft: &str, run: usize) -> Vec<Vec<String>> {
    let path = |name: &str| {
        dir.join(format!("{name}-{run}"))
            .to_str()
            .expect("utf-8")
            .to_string()
    };
    let archive = archive.to_str().expect("utf-8").to_string();
    [
        vec!["tokens", "python"],
        vec!["report", "--season", "1", "--out", &path("reports")],
        vec!["build", "--archive", &archive],
        vec!["index"],
        vec!["synth", "--entries", "200", "--out", &path("synth")],
        vec!["stats"],
        vec!["topics"],
        vec!["terms"],
        vec!["trends", "--window", "2"],
        vec!["related", "--text", "quokka wombat"],
        vec!["related", "--all", "--format", "jsonl"],
        vec!["check", draft],
        vec!["past-years", draft],
        vec!["vocab", "df"],
        vec!["export", "entries", "--format", "csv"],
        vec!["--help"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

#[test]
fn a_closed_standard_output_ends_quietly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = hostile_archive(dir.path());
    let (_store_dir, store) = built(&archive);
    let draft = hostile_draft(dir.path());
    for args in printing_commands(dir.path(), &archive, &draft, 0) {
        let output = run_into(&store, &args, Sink::Closed);
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("weeklens:"), "no error message: {args:?}: {err}");
    }
}

#[test]
fn a_full_standard_output_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = hostile_archive(dir.path());
    let (_store_dir, store) = built(&archive);
    let draft = hostile_draft(dir.path());
    for args in printing_commands(dir.path(), &archive, &draft, 1) {
        let output = run_into(&store, &args, Sink::Full);
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("weeklens: standard output: No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn all_seasons_into_a_full_standard_output_stops_with_an_error() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let args = [
        "report",
        "--all-seasons",
        "--out",
        reports.to_str().expect("utf-8"),
    ]
    .map(String::from);
    let output = run_into(&store, &args, Sink::Full);
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("standard output: No space left on device"), "{err}");
}

#[test]
fn a_closed_or_full_standard_error_does_not_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = hostile_archive(dir.path());
    // A file with no issue number: the build warns about it on standard error.
    fs::write(archive.join("2023-07-08-weekly.md"), "# 没有编号\n").expect("write");
    let store = dir.path().join("store");
    let build = |stderr: Stdio| {
        Command::new(env!("CARGO_BIN_EXE_weeklens"))
            .args(["build", "--archive", archive.to_str().expect("utf-8")])
            .env("WEEKLENS_STORE", &store)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .output()
            .expect("the weeklens binary runs")
    };
    // A closed standard error: the build goes on and says what it built.
    let mut child = Command::new(env!("CARGO_BIN_EXE_weeklens"))
        .args(["build", "--archive", archive.to_str().expect("utf-8")])
        .env("WEEKLENS_STORE", &store)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the weeklens binary runs");
    drop(child.stderr.take());
    let closed = child.wait_with_output().expect("waits");
    assert_eq!(closed.status.code(), Some(0));
    assert!(stdout(&closed).starts_with("built "), "{}", stdout(&closed));
    // A full one: exit 2 (there is nowhere to say why).
    let full = build(Stdio::from(
        File::options().write(true).open("/dev/full").expect("/dev/full"),
    ));
    assert_eq!(full.status.code(), Some(2));
}

#[test]
fn a_report_that_cannot_be_written_names_the_file_and_leaves_the_previous_one() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let out = reports.to_str().expect("utf-8");
    ok(&store, &["report", "--all-seasons", "--out", out]);
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(&reports);
    assert!(before.len() > 4, "{before:?}");

    // Files may grow to 1 KiB only (a full disk, as a process sees it): the first chart fails.
    // SIGXFSZ is ignored, so the write fails with EFBIG instead of killing the process.
    let output = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"",
            env!("CARGO_BIN_EXE_weeklens"),
            "report",
            "--all-seasons",
            "--out",
            out,
        ])
        .env("WEEKLENS_STORE", &store)
        .output()
        .expect("sh runs");
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(2), "{err}");
    let named = reports.join("season-1").to_str().expect("utf-8").to_string();
    assert!(err.contains(&named), "the report's own path in: {err}");
    assert!(!err.contains(".weeklens-report-"), "no temporary path in: {err}");
    assert_eq!(
        files_under(&reports),
        before,
        "the previous reports are untouched"
    );
}

/// Every file under `dir` with its bytes, in path order.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("read");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

/// Runs weeklens with `args`, which must stop with exit status 2 and a message naming `file` and
/// saying `says`, and leave every file under `folder` as it was.
fn refused_leaving(store: &Path, args: &[&str], folder: &Path, file: &Path, says: &str) {
    let before = files_under(folder);
    let output = weeklens(store, args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    let named = file.to_str().expect("utf-8");
    assert!(err.contains(named) && err.contains(says), "{err}");
    assert_eq!(files_under(folder), before);
}

/// A report written again keeps what the user put in its folder: notes, a folder of images, a
/// compilation he edited; the files weeklens wrote and nobody changed are its to replace or drop.
/// A file the run would write again that he edited stops the run, naming it, with nothing changed.
#[test]
fn a_report_written_again_keeps_what_the_user_put_in_its_folder() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let out = reports.to_str().expect("utf-8");
    let season = reports.join("season-1");
    ok(
        &store,
        &["report", "--season", "1", "--out", out, "--compilation"],
    );
    fs::write(season.join("notes.md"), "my notes").expect("notes");
    fs::create_dir(season.join("img")).expect("img");
    fs::write(season.join("img/cover.png"), "not a chart").expect("cover");
    let edited = "edited by hand\n";
    fs::write(season.join("compilation.md"), edited).expect("edit");
    let links = fs::read(season.join("links.md")).expect("links.md");
    let index = fs::read(season.join("index.md")).expect("index.md");

    // Without --compilation: the edited compilation stays, the unchanged links.md goes.
    ok(&store, &["report", "--season", "1", "--out", out]);
    assert_eq!(
        fs::read_to_string(season.join("notes.md")).expect("notes"),
        "my notes"
    );
    assert_eq!(
        fs::read_to_string(season.join("img/cover.png")).expect("cover"),
        "not a chart"
    );
    assert_eq!(
        fs::read_to_string(season.join("compilation.md")).expect("kept"),
        edited
    );
    assert!(!season.join("links.md").exists());
    // index.md is the tool's and unchanged: written again (without the compilation's links).
    assert_ne!(fs::read(season.join("index.md")).expect("index.md"), index);

    // With --compilation: the edited file would be written over, so nothing is written.
    // (Kept by the run before as the user's, it is no longer in the record.)
    refused_leaving(
        &store,
        &["report", "--season", "1", "--out", out, "--compilation"],
        &reports,
        &season.join("compilation.md"),
        "no record of writing",
    );

    // Moved away, the run goes through and writes both again.
    fs::rename(season.join("compilation.md"), dir.path().join("mine.md")).expect("move");
    ok(
        &store,
        &["report", "--season", "1", "--out", out, "--compilation"],
    );
    assert_eq!(fs::read(season.join("links.md")).expect("links.md"), links);
    assert_eq!(
        fs::read_to_string(season.join("notes.md")).expect("notes"),
        "my notes"
    );
}

/// A report written again into its folder replaces its own files there: the folder is not moved
/// aside (a file the user saves into it while the run goes is never swept away with it), and it
/// and a private folder of the user's inside it keep their modes. A record naming a path outside
/// the folder makes nothing outside it the tool's.
#[test]
fn a_report_written_again_replaces_its_files_in_place() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let out = reports.to_str().expect("utf-8");
    let season = reports.join("season-1");
    ok(&store, &["report", "--season", "1", "--out", out]);
    let private = season.join("private");
    fs::create_dir(&private).expect("private");
    fs::write(private.join("notes.md"), "salary numbers").expect("notes");
    fs::set_permissions(&private, fs::Permissions::from_mode(0o700)).expect("chmod");
    fs::set_permissions(&season, fs::Permissions::from_mode(0o750)).expect("chmod");
    // A record line naming a file beside the folder, with that file's own checksum.
    let victim = reports.join("victim.txt");
    fs::write(&victim, "the user's").expect("victim");
    let mut record = fs::read_to_string(season.join(".weeklens-report")).expect("record");
    record.push_str(&format!(
        "{:08x} {} ../victim.txt\n",
        crc32fast::hash(b"the user's"),
        "the user's".len()
    ));
    fs::write(season.join(".weeklens-report"), record).expect("record");
    let before = fs::metadata(&season).expect("season").ino();
    let index = fs::read(season.join("index.md")).expect("index.md");

    ok(&store, &["report", "--season", "1", "--out", out, "--lang", "en"]);
    assert_eq!(
        fs::metadata(&season).expect("season").ino(),
        before,
        "the folder was moved"
    );
    assert_ne!(fs::read(season.join("index.md")).expect("index.md"), index);
    let mode = |p: &Path| fs::metadata(p).expect("mode").permissions().mode() & 0o777;
    assert_eq!(mode(&season), 0o750);
    assert_eq!(mode(&private), 0o700);
    assert_eq!(
        fs::read_to_string(private.join("notes.md")).expect("notes"),
        "salary numbers"
    );
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "the user's");
    // Nothing of the run is left in the folder but its files and its record.
    let hidden: Vec<String> = fs::read_dir(&season)
        .expect("season")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(hidden, [".weeklens-report"]);
}

/// A folder with no record, or a record that does not read (a report of a version before it, a
/// folder copied without its hidden file): nothing of it is the tool's. A file the run would
/// write stops it, named, with nothing changed; moved away, the run writes the report and keeps
/// every other file, a chart it no longer writes included.
#[test]
fn a_report_folder_without_a_record_is_kept_whole() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let out = reports.to_str().expect("utf-8");
    let season = reports.join("season-1");
    ok(
        &store,
        &["report", "--season", "1", "--out", out, "--compilation"],
    );
    fs::write(season.join("compilation.md"), "edited by hand\n").expect("edit");
    fs::write(season.join("tax.pdf"), "not a report").expect("pdf");
    fs::write(season.join("cover.png"), "the user's picture").expect("png");
    // With the record: the edited file is named as changed.
    let args = ["report", "--season", "1", "--out", out, "--compilation"];
    let edited = season.join("compilation.md");
    refused_leaving(&store, &args, &reports, &edited, "changed since");
    for record in [None, Some("\n"), Some("not a record line\n")] {
        match record {
            None => {
                let _ = fs::remove_file(season.join(".weeklens-report"));
            }
            Some(text) => {
                fs::write(season.join(".weeklens-report"), text).expect("record");
            }
        }
        // (The first file of the folder it meets is named: none of them is recorded.)
        refused_leaving(&store, &args, &reports, &season, "no record of writing");
    }
    // Moved away, the report is written; the user's files and the old charts stay.
    let kept = dir.path().join("kept");
    fs::rename(&season, &kept).expect("move");
    fs::create_dir(&season).expect("folder");
    for name in ["tax.pdf", "cover.png"] {
        fs::rename(kept.join(name), season.join(name)).expect(name);
    }
    fs::write(season.join("old-chart.svg"), "<svg/>").expect("svg");
    ok(
        &store,
        &["report", "--season", "1", "--out", out, "--compilation"],
    );
    assert_eq!(
        fs::read_to_string(season.join("old-chart.svg")).expect("svg"),
        "<svg/>"
    );
    assert_eq!(
        fs::read_to_string(season.join("cover.png")).expect("png"),
        "the user's picture"
    );
    assert_eq!(
        fs::read_to_string(season.join("tax.pdf")).expect("pdf"),
        "not a report"
    );
    assert!(season.join("compilation.md").is_file());
}

/// A folder of the user's that happens to have the report's name: nothing of it is the tool's. A
/// file the run would write stops it, named, with nothing changed; the others are kept.
#[test]
fn a_folder_of_the_users_is_never_written_over() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    let out = reports.to_str().expect("utf-8");
    let season = reports.join("season-1");
    fs::create_dir_all(&season).expect("folder");
    fs::write(season.join("photo.png"), "a photo").expect("png");
    ok(&store, &["report", "--season", "1", "--out", out]);
    assert_eq!(
        fs::read_to_string(season.join("photo.png")).expect("photo"),
        "a photo"
    );

    let other = reports.join("season-2");
    fs::create_dir_all(&other).expect("folder");
    fs::write(other.join("index.md"), "the editor's own page").expect("index");
    refused_leaving(
        &store,
        &["report", "--season", "2", "--out", out],
        &reports,
        &other.join("index.md"),
        "no record of writing",
    );
}

/// `synth` writes files named like a real archive's first issues: never into a folder that holds
/// anything (an archive given by mistake), only into a new or empty one.
#[test]
fn synth_never_writes_over_a_folder_that_holds_anything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("archive");
    let issue = archive.join("2023-05-13-weekly.md");
    fs::write(&issue, "the editor's first issue").expect("issue");
    let store = dir.path().join("store");
    let out = archive.to_str().expect("utf-8");
    let output = weeklens(&store, &["synth", "--entries", "50", "--out", out]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(out) && err.contains("empty"), "{err}");
    assert_eq!(
        files_under(&archive),
        vec![(issue, b"the editor's first issue".to_vec())]
    );

    let empty = dir.path().join("empty");
    fs::create_dir(&empty).expect("empty");
    ok(
        &store,
        &[
            "synth",
            "--entries",
            "50",
            "--out",
            empty.to_str().expect("utf-8"),
        ],
    );
    assert!(empty.join("en").is_dir());
}
