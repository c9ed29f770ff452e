//! Bad input is named, skipped, and never fatal to the rest; `--strict` makes it fatal.

use std::fs;
use std::path::Path;

use weeklens::parse::parse_issue;

use crate::support::{ok, stderr, weeklens};

fn write(dir: &Path, name: &str, text: &[u8]) {
    fs::write(dir.join(name), text).expect("write");
}

const GOOD: &str = "---\ntitle: 'Python 潮流周刊#1：好的一期'\npubDate: 2023-05-13\n---\n\n## 🦄文章&教程\n\n1、[标题](https://a.dev/x)\n\n描述。\n";

#[test]
fn bad_files_are_named_and_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("mkdir");
    write(&archive, "2023-05-13-weekly.md", GOOD.as_bytes());
    write(
        &archive,
        "2023-05-20-weekly.md",
        b"---\ntitle: 'ok'\n---\n\nline two\n\xff\xfe broken\n",
    );
    write(
        &archive,
        "2023-05-27-weekly.md",
        "# 一期没有编号的周刊\n\n## 🦄文章&教程\n".as_bytes(),
    );
    write(&archive, "2023-06-03-weekly.md", GOOD.as_bytes());
    write(
        &archive,
        "2023-06-10-weekly.md",
        "# Python 潮流周刊#9：没有任何条目\n\n只有一段话。\n".as_bytes(),
    );
    let store = dir.path().join("store");

    let output = weeklens(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("2023-05-20-weekly.md:6: not UTF-8"), "{err}");
    assert!(err.contains("2023-05-27-weekly.md:1: no issue number"), "{err}");
    assert!(
        err.contains("2023-06-03-weekly.md:1: issue #1 is already `2023-05-13-weekly.md`"),
        "{err}"
    );

    let stats = ok(&store, &["stats"]);
    assert!(stats.contains("4 warning(s)"), "{stats}");
    assert!(
        stats.contains("    1  2023-05-13"),
        "the good issue is built: {stats}"
    );
    let strict = weeklens(&store, &["stats", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));

    // A strict build fails and leaves the store as it was.
    let before = fs::read(crate::support::store_file(&store, "entries.parquet")).expect("read");
    let output = weeklens(
        &store,
        &["build", "--strict", "--archive", archive.to_str().expect("utf-8")],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("2023-05-20-weekly.md:6"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read(crate::support::store_file(&store, "entries.parquet")).expect("read"),
        before
    );
}

#[test]
fn an_empty_archive_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = weeklens(
        &dir.path().join("store"),
        &["build", "--archive", dir.path().to_str().expect("utf-8")],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("holds no weekly issue"),
        "{}",
        stderr(&output)
    );
}

/// A file the user names that never ends, or is far larger than any of its kind, is refused by
/// its size, naming it, before it can take the memory: a draft, the topic edits, reader numbers,
/// a font. (`check /dev/zero` took 24 GB and the machine's out-of-memory killer before session
/// 25.)
#[test]
fn a_named_file_that_never_ends_is_refused_by_its_size() {
    let (dir, store) = crate::support::built(&crate::support::sample_archive());
    let out = dir.path().join("reports");
    let out = out.to_str().expect("utf-8");
    for args in [
        &["check", "/dev/zero"][..],
        &["past-years", "/dev/zero"],
        &["topics", "--edits", "/dev/zero"],
        &["report", "--season", "1", "--out", out, "--metrics", "/dev/zero"],
        &["report", "--season", "1", "--out", out, "--font", "/dev/zero"],
    ] {
        let output = weeklens(&store, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("/dev/zero") && err.contains("larger than"),
            "{args:?}: {err}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn the_parser_never_panics_on_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_issue("fuzz.md", &text);
        let _ = weeklens::parse::parse_compilation("fuzz.md", &text);
    }

    #[test]
    fn the_parser_never_panics_on_archive_like_text(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::string::string_regex("#{0,3} ?\\[?[🦄🐿️文章&教程项目资源*]{0,6}\\]?(\\(https://x\\.dev\\))?").expect("regex"),
                proptest::string::string_regex("[0-9]{1,3}[、.] ?!?\\[[^\\]\\n]{0,8}\\]?\\(?[a-z:/.()]{0,12}\\)?").expect("regex"),
                proptest::string::string_regex("[①②③] [^\\n]{0,10}").expect("regex"),
                proptest::string::string_regex("(```|~~~|---|\\*\\*|> 🎁)[^\\n]{0,6}").expect("regex"),
                proptest::string::string_regex("[^\\n]{0,20}").expect("regex"),
            ],
            0..40,
        )
    ) {
        let text = lines.join("\n");
        let _ = parse_issue("fuzz.md", &text);
        let _ = weeklens::parse::parse_compilation("fuzz.md", &text);
    }
}
