//! The store survives failed builds, refuses a second writer and names a stale schema.

use std::fs;
use std::path::Path;

use weeklens::store::{Store, Tables, SCHEMA_VERSION};
use weeklens::Error;

use crate::support::{built, ok, sample_archive, snapshot, stderr, store_file, weeklens};

#[test]
fn failed_build_leaves_the_previous_store() {
    let (dir, store) = built(&sample_archive());
    let before = fs::read(store_file(&store, "entries.parquet")).expect("read");
    let missing = dir.path().join("no-such-archive");
    let output = weeklens(&store, &["build", "--archive", missing.to_str().expect("utf-8")]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("no-such-archive"), "{}", stderr(&output));
    assert_eq!(
        fs::read(store_file(&store, "entries.parquet")).expect("read"),
        before
    );
    Store::open(&store).expect("the previous store still opens");
}

#[test]
fn a_second_writer_is_refused_while_the_lock_is_held() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    fs::create_dir(&store_dir).expect("store dir");
    let lock = fs::File::create(store_dir.join("LOCK")).expect("lock file");
    lock.lock().expect("hold the lock");
    let err = weeklens::write_tables(&store_dir, &Tables::default()).expect_err("locked");
    assert!(matches!(err, Error::StoreLocked(_)), "{err}");
    drop(lock);
    weeklens::write_tables(&store_dir, &Tables::default()).expect("free again");
}

#[test]
fn another_schema_version_says_to_rebuild() {
    let (_dir, store) = built(&sample_archive());
    let manifest = store_file(&store, "manifest.json");
    let said = |version: u32| {
        let text = fs::read_to_string(&manifest).expect("read");
        let other = regex::Regex::new(r#""schema_version": \d+"#)
            .expect("regex")
            .replace(&text, format!("\"schema_version\": {version}"))
            .into_owned();
        assert_ne!(other, text);
        fs::write(&manifest, &other).expect("write");
        // CURRENT records the manifest's checksum: an old store's would match its manifest.
        let current = store.join("CURRENT");
        let generation = fs::read_to_string(&current).expect("CURRENT");
        let name = generation.split(' ').next().expect("a generation").to_string();
        fs::write(
            &current,
            format!("{name} {:08x}\n", crc32fast::hash(other.as_bytes())),
        )
        .expect("write");
        let output = weeklens(&store, &["stats"]);
        assert!(!output.status.success());
        stderr(&output)
    };
    let older = said(0);
    assert!(
        older.contains("schema version 0") && older.contains("--fresh-topics"),
        "{older}"
    );
    // A newer weeklens's store is not to be rebuilt by this one.
    let newer = said(SCHEMA_VERSION + 1);
    assert!(
        newer.contains("written by a newer weeklens") && !newer.contains("--fresh-topics"),
        "{newer}"
    );
}

#[test]
fn reading_a_missing_store_says_to_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = weeklens(&dir.path().join("nothing"), &["stats"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("weeklens build"), "{}", stderr(&output));
}

#[test]
fn records_round_trip_through_parquet() {
    let (_dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("open");
    let tables = Tables {
        issues: opened.issues().expect("issues"),
        entries: opened.entries().expect("entries"),
        diagnostics: opened.diagnostics().to_vec(),
        vocabulary: Some(opened.vocabulary().expect("vocabulary")),
        vectors: opened
            .vectors(opened.entries().expect("entries").len())
            .expect("vectors"),
        related_rows: opened
            .related_rows(opened.entries().expect("entries").len())
            .expect("related rows"),
        title_rows: opened
            .title_rows(opened.entries().expect("entries").len())
            .expect("title rows"),
        translation_rows: opened
            .translation_rows_until(opened.entries().expect("entries").len())
            .expect("translation rows"),
        assignments: opened.assignments().expect("assignments"),
        topics: opened.topics().expect("topics"),
        topic_quality: opened.topic_quality().cloned(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    weeklens::write_tables(&dir.path().join("again"), &tables).expect("write");
    let again = Store::open(&dir.path().join("again")).expect("open");
    assert_eq!(again.issues().expect("issues"), tables.issues);
    assert_eq!(again.entries().expect("entries"), tables.entries);
    assert_eq!(again.assignments().expect("assignments"), tables.assignments);
    assert_eq!(again.topics().expect("topics"), tables.topics);
    let n = tables.entries.len();
    assert_eq!(again.related_rows(n).expect("related rows"), tables.related_rows);
    assert_eq!(again.title_rows(n).expect("title rows"), tables.title_rows);
    assert!(tables.title_rows.iter().any(|r| !r.indices.is_empty()));
    assert_eq!(
        again.translation_rows_until(n).expect("translation rows"),
        tables.translation_rows
    );
    assert!(tables.translation_rows.iter().any(|r| r.values.contains(&2.0)));
    // The stored rows are the ones the vocabulary makes of each entry's terms as strings (the
    // build counts them as ids of its own table of terms): the TF-IDF rows, the titles' rows,
    // the translation rows; and the ranking rows are the ones `related` computes from them.
    let vocabulary = tables.vocabulary.as_ref().expect("vocabulary");
    let tokenizer = weeklens::tokenize::Tokenizer::shared();
    let documents = weeklens::vectorize::entry_documents(tokenizer, &tables.entries);
    let vectors: Vec<_> = documents.iter().map(|d| vocabulary.transform(d)).collect();
    assert_eq!(tables.vectors, vectors);
    let title_rows = crate::support::title_rows(&tables.entries, vocabulary);
    assert_eq!(tables.title_rows, title_rows);
    for (e, stored) in tables.entries.iter().zip(&tables.translation_rows) {
        let translated = match &e.en_title {
            Some(en) if !e.withdrawn => {
                let terms = |text: &str| {
                    let mut terms = Vec::new();
                    tokenizer.plain_terms_into(text, &mut terms);
                    terms
                };
                let (zh, en) = (terms(&e.title), terms(en));
                weeklens::vectorize::translation_row(&zh, &en, vocabulary)
            }
            _ => weeklens::vectorize::SparseVector::default(),
        };
        assert_eq!(*stored, translated, "{}", e.title);
    }
    let recomputed =
        weeklens::related::related_rows(&tables.entries, &tables.vectors, &title_rows, vocabulary);
    assert_eq!(tables.related_rows, recomputed);
    assert_eq!(
        again.vocabulary().expect("vocabulary"),
        tables.vocabulary.expect("fitted")
    );
    assert_eq!(
        again.vectors(tables.entries.len()).expect("vectors"),
        tables.vectors
    );
}

#[test]
fn build_timings_name_every_stage_on_stderr_and_leave_stdout_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    let plain = weeklens(&dir.path().join("a"), &["build", "--archive", archive]);
    let timed = weeklens(
        &dir.path().join("b"),
        &["build", "--archive", archive, "--timings"],
    );
    assert!(timed.status.success(), "{}", stderr(&timed));
    let err = stderr(&timed);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().split_once(" ms  ").map(|(_, stage)| stage))
        .collect();
    assert_eq!(
        stages,
        [
            "read and parse, load the dictionary",
            "tokenise and vectorise, write the entries",
            "find the topics, write the vectors",
            "write the topics, put the store in place"
        ]
    );
    assert!(!stderr(&plain).contains(" ms  "));
    // What a script reads does not change, the store's name aside.
    let summary = |o: &std::process::Output| {
        crate::support::stdout(o)
            .split_once(':')
            .map(|(_, rest)| rest.to_string())
    };
    assert_eq!(summary(&plain), summary(&timed));
}

#[test]
fn topics_for_other_entries_are_named_as_corrupt() {
    let (_dir, store) = built(&sample_archive());
    // The same archive less one issue: its topics are for fewer entries.
    let smaller = tempfile::tempdir().expect("temp dir");
    crate::support::copy_dir(&sample_archive(), smaller.path());
    let dropped = fs::read_dir(smaller.path())
        .expect("archive")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .expect("an issue");
    fs::remove_file(&dropped).expect("drop an issue");
    let (_other_dir, other) = built(smaller.path());
    fs::copy(
        store_file(&other, "assignments.parquet"),
        store_file(&store, "assignments.parquet"),
    )
    .expect("copy");
    let err = Store::open(&store)
        .expect("opens")
        .topics_by_entry()
        .expect_err("counts differ");
    assert!(err.to_string().contains("assignments.parquet"), "{err}");
}

#[test]
fn a_build_never_writes_into_the_archive_a_file_or_a_folder_that_is_not_a_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("docs");
    crate::support::copy_dir(&sample_archive(), &archive);
    let notes = dir.path().join("notes");
    fs::create_dir(&notes).expect("dir");
    fs::write(notes.join("todo.txt"), "mine").expect("file");
    let file = dir.path().join("file.md");
    fs::write(&file, "mine").expect("file");
    // A folder holding a `manifest.json` of its own alone is the user's, not a store of the flat
    // layout: a build removed the file until session 25.
    let web = dir.path().join("web");
    fs::create_dir(&web).expect("dir");
    fs::write(web.join("manifest.json"), "{\"name\": \"mine\"}").expect("file");
    let before = snapshot(dir.path());
    let archive_arg = archive.to_str().expect("utf-8");
    for (store, says) in [
        (archive.clone(), "it is the archive"),
        (archive.join("en"), "inside the archive"),
        (archive.join("store"), "inside the archive"),
        (dir.path().to_path_buf(), "it holds the archive"),
        (file.clone(), "it is a file"),
        (notes.clone(), "not a weeklens store (it holds `todo.txt`)"),
        (web.clone(), "not a weeklens store (it holds `manifest.json`)"),
    ] {
        let output = weeklens(&store, &["build", "--archive", archive_arg]);
        assert_eq!(output.status.code(), Some(2), "{}", store.display());
        let err = stderr(&output);
        assert!(err.contains("cannot be the store") && err.contains(says), "{err}");
        assert_eq!(snapshot(dir.path()), before, "{} was changed", store.display());
    }
    // A reading command names a file given as the store as such, not by the CURRENT it cannot
    // hold ("file.md/CURRENT: Not a directory" until session 25).
    let output = weeklens(&file, &["stats"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot be the store: it is a file"), "{err}");
    // A store whose CURRENT is a folder: said, by a reading command and a build alike, and the
    // build leaves nothing behind (the OS's "Is a directory", and a generation and CURRENT.next
    // left over, until session 25).
    let odd = dir.path().join("odd");
    ok(&odd, &["build", "--archive", archive_arg]);
    fs::remove_file(odd.join("CURRENT")).expect("CURRENT");
    fs::create_dir(odd.join("CURRENT")).expect("a folder");
    let odd_before = snapshot(&odd);
    for args in [
        &["stats"][..],
        &["build", "--archive", archive_arg],
        &["build", "--fresh-topics", "--archive", archive_arg],
    ] {
        let output = weeklens(&odd, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("its `CURRENT` is a folder"), "{args:?}: {err}");
        assert_eq!(snapshot(&odd), odd_before, "{args:?} changed the store");
    }
    let before = snapshot(dir.path());
    // `--store .`, run from a folder of the user's.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"))
        .args(["--store", ".", "build", "--archive", archive_arg])
        .current_dir(&notes)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a directory of its own"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_link_to_the_store_is_the_store_and_stays_a_link() {
    let (dir, store) = built(&sample_archive());
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&store, &link).expect("link");
    let lock = fs::File::open(store.join("LOCK")).expect("lock file");
    lock.lock().expect("hold the lock");
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    let output = weeklens(&link, &["build", "--archive", archive]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("another build"), "{}", stderr(&output));
    drop(lock);
    crate::support::ok(&link, &["build", "--archive", archive]);
    assert!(fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    crate::support::ok(&store, &["stats"]);
}

/// The store's `stats` and one `related` answer, or None when a command failed.
fn answers(store: &std::path::Path) -> Option<(String, String)> {
    let stats = weeklens(store, &["stats", "--format", "json"]);
    let related = weeklens(store, &["related", "56:project:1", "--format", "json"]);
    (stats.status.success() && related.status.success())
        .then(|| (crate::support::stdout(&stats), crate::support::stdout(&related)))
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_store_that_reads_and_the_next_build_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    // Two archives whose stores differ, built in turn.
    let smaller = dir.path().join("smaller");
    crate::support::copy_dir(&sample_archive(), &smaller);
    fs::remove_file(smaller.join("2024-06-29-weekly.md")).expect("drop an issue");
    let archives = [sample_archive(), smaller];
    let mut known = Vec::new();
    for archive in &archives {
        let took = std::time::Instant::now();
        crate::support::ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
        known.push((answers(&store).expect("a built store answers"), took.elapsed()));
    }
    assert_ne!(known[0].0, known[1].0);
    let longest = known.iter().map(|(_, t)| *t).max().expect("two builds");
    // Kills spread over a whole build, from its start to past its end.
    for step in 0..24u32 {
        let archive = &archives[step as usize % 2];
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_weeklens"))
            .args(["build", "--archive", archive.to_str().expect("utf-8")])
            .env("WEEKLENS_STORE", &store)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(longest * step / 20);
        child.kill().ok();
        child.wait().expect("wait");
        let seen = answers(&store).unwrap_or_else(|| panic!("kill {step}: the store does not read"));
        assert!(
            known.iter().any(|(k, _)| *k == seen),
            "kill {step}: the store answers neither as the old nor as the new build"
        );
    }
    crate::support::ok(
        &store,
        &["build", "--archive", archives[0].to_str().expect("utf-8")],
    );
    assert_eq!(answers(&store).expect("reads"), known[0].0);
    let mut names: Vec<String> = fs::read_dir(&store)
        .expect("store")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "left behind: {names:?}");
    assert_eq!(&names[..2], ["CURRENT", "LOCK"]);
}

#[test]
fn a_reader_reads_the_store_it_opened_while_builds_replace_it() {
    let (dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("open");
    let entries = opened.entry_count();
    let smaller = dir.path().join("smaller");
    crate::support::copy_dir(&sample_archive(), &smaller);
    fs::remove_file(smaller.join("2024-06-29-weekly.md")).expect("drop an issue");
    for _ in 0..2 {
        crate::support::ok(&store, &["build", "--archive", smaller.to_str().expect("utf-8")]);
    }
    assert!(Store::open(&store).expect("open").entry_count() < entries);
    // Every table of the generation opened, none of the new one.
    assert_eq!(opened.entries().expect("entries").len(), entries);
    assert_eq!(opened.topics_by_entry().expect("topics").len(), entries);
    assert_eq!(opened.related_rows(entries).expect("rows").len(), entries);
}

#[test]
fn every_damaged_byte_is_an_error_naming_its_file_never_a_wrong_answer() {
    let (dir, store) = built(&sample_archive());
    let out = dir.path().join("reports");
    let out_arg = out.to_str().expect("utf-8");
    let commands: [&[&str]; 6] = [
        &["stats", "--format", "json"],
        // The one command that reads `titles.parquet`.
        &["trends", "--window", "4", "--format", "json"],
        &["topics", "--format", "json"],
        &["related", "56:project:1", "--format", "json"],
        &["export", "entries", "--format", "jsonl"],
        // The one command that reads `translations.parquet`.
        &["report", "--season", "2", "--out", out_arg],
    ];
    let expected: Vec<String> = commands
        .iter()
        .map(|args| crate::support::ok(&store, args))
        .collect();
    let report = out.join("season-2").join("index.md");
    let expected_report = fs::read(&report).expect("report");
    let generation = crate::support::generation(&store);
    let mut files: Vec<_> = fs::read_dir(&generation)
        .expect("generation")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 11, "{files:?}");
    let mut caught = 0;
    for file in &files {
        let name = file.file_name().expect("name").to_string_lossy().into_owned();
        let bytes = fs::read(file).expect("read");
        for k in 0..10 {
            let at = (bytes.len() - 1) * k / 9;
            let mut damaged = bytes.clone();
            damaged[at] ^= 1 << (k % 8);
            fs::write(file, &damaged).expect("damage");
            for (args, want) in commands.iter().zip(&expected) {
                let output = weeklens(&store, args);
                let err = stderr(&output);
                match output.status.code() {
                    Some(0) => {
                        assert_eq!(
                            &crate::support::stdout(&output),
                            want,
                            "{name} byte {at}: {args:?} answered wrongly"
                        );
                        if args[0] == "report" {
                            let got = fs::read(&report).expect("report");
                            assert!(got == expected_report, "{name} byte {at}: the report changed");
                        }
                    }
                    Some(2) => {
                        assert!(err.contains(&name), "{name} byte {at}: {args:?} says {err}");
                        caught += 1;
                    }
                    other => panic!("{name} byte {at}: {args:?} exited {other:?}: {err}"),
                }
            }
        }
        fs::write(file, &bytes).expect("restore");
    }
    assert!(caught > 90, "{caught} damaged runs caught");
    for (args, want) in commands.iter().zip(&expected) {
        assert_eq!(&crate::support::ok(&store, args), want);
    }
}

#[test]
fn a_failed_export_leaves_the_previous_file_whole() {
    let (dir, store) = built(&sample_archive());
    let out = dir.path().join("entries.jsonl");
    let out_arg = out.to_str().expect("utf-8");
    crate::support::ok(&store, &["export", "entries", "--format", "jsonl", "-o", out_arg]);
    let before = fs::read(&out).expect("exported");
    assert!(!before.is_empty());
    fs::remove_file(store_file(&store, "entries.parquet")).expect("remove a table");
    let output = weeklens(&store, &["export", "entries", "--format", "jsonl", "-o", out_arg]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("entries.parquet"), "{}", stderr(&output));
    assert_eq!(fs::read(&out).expect("still there"), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".weeklens-export-"))
        .collect();
    assert!(leftovers.is_empty());
}

const ENTRY_HEADER: &str =
    "issue,date,category,position,number,title,url,lang,description,en_title,en_description,topic";

/// An export replaces only what an export wrote: not a file of the archive given by mistake, not
/// a read-only file, nothing inside the store, not a user's table that begins as an export does;
/// each refusal names the path and changes nothing. An earlier export of either table, in any
/// format, and an empty file are replaced.
#[test]
fn export_replaces_only_an_earlier_export() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, store) = built(&sample_archive());
    let issue = dir.path().join("2023-05-13-weekly.md");
    fs::write(&issue, "# the editor's issue\n").expect("issue");
    let locked = dir.path().join("locked.jsonl");
    fs::write(&locked, "{\"issue\":1}\n").expect("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).expect("chmod");
    let current = store.join("CURRENT");
    let inside = store.join("entries.csv");
    // A folder, and a new name written as one (`-o out/`): "failed to persist temporary file"
    // until session 25.
    let folder = dir.path().join("exports");
    fs::create_dir(&folder).expect("folder");
    let new_folder = dir.path().join("new").join("");
    // The user's own tables that merely begin as an export does: the reader numbers `report
    // --metrics` asks for, a JSONL whose first key is `issue`, a Parquet file of other columns.
    let reads = dir.path().join("reads.csv");
    fs::write(&reads, "issue,reads\n1,120\n").expect("reads");
    let notes = dir.path().join("notes.jsonl");
    fs::write(&notes, "{\"issue\":1,\"note\":\"mine\"}\n").expect("notes");
    let own_parquet = dir.path().join("mine.parquet");
    fs::copy(store_file(&store, "topics.parquet"), &own_parquet).expect("parquet");
    // An export's header with one more column of the user's is his file too.
    let more = dir.path().join("more.csv");
    fs::write(&more, format!("{},mine\n", ENTRY_HEADER)).expect("more");
    for (target, says) in [
        (&issue, "not an export"),
        (&reads, "not an export"),
        (&notes, "not an export"),
        (&own_parquet, "not an export"),
        (&more, "not an export"),
        (&locked, "read-only"),
        (&current, "inside the store"),
        (&inside, "inside the store"),
        (&folder, "is a folder"),
        (&new_folder, "names a folder"),
    ] {
        let before = fs::read(target).ok();
        let arg = target.to_str().expect("utf-8");
        let output = weeklens(&store, &["export", "entries", "--format", "csv", "-o", arg]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(err.contains(arg) && err.contains(says), "{err}");
        assert_eq!(fs::read(target).ok(), before, "{arg} changed");
    }
    let earlier = dir.path().join("rows.out");
    fs::write(&earlier, "").expect("empty");
    for table in ["issues", "entries", "issues"] {
        for format in ["jsonl", "parquet", "csv", "jsonl"] {
            crate::support::ok(
                &store,
                &[
                    "export",
                    table,
                    "--format",
                    format,
                    "-o",
                    earlier.to_str().expect("utf-8"),
                ],
            );
        }
    }
    assert!(fs::read(&earlier).expect("written").starts_with(b"{\"issue\":"));
}

/// `export -o /dev/null` once replaced the machine's `/dev/null` with a file (written aside and
/// renamed over it). A named pipe stands for any such path here: it must still be a pipe after
/// the export, and its reader gets the rows.
#[test]
fn export_into_a_pipe_or_device_writes_into_it_and_never_replaces_it() {
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;
    let (dir, store) = built(&sample_archive());
    let fifo = dir.path().join("rows.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            fs::File::open(&fifo)
                .expect("open the pipe")
                .read_to_string(&mut text)
                .expect("read");
            text
        })
    };
    let fifo_arg = fifo.to_str().expect("utf-8");
    let output = weeklens(&store, &["export", "issues", "--format", "jsonl", "-o", fifo_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    let kind = fs::symlink_metadata(&fifo).expect("still there").file_type();
    assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
    let rows = reader.join().expect("reader");
    assert!(
        rows.lines().count() > 5 && rows.starts_with("{\"issue\":"),
        "{rows}"
    );
}

#[test]
fn a_missing_or_damaged_table_is_named_once_with_the_command_that_heals_it() {
    let (_dir, store) = built(&sample_archive());
    let table = store_file(&store, "related.parquet");
    let mut bytes = fs::read(&table).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    fs::write(&table, &bytes).expect("damage");
    let output = weeklens(&store, &["index"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("related.parquet") && err.contains("weeklens build"),
        "{err}"
    );
    assert!(
        !err.contains("weeklens index") && !err.contains(".related.idx-"),
        "{err}"
    );
    fs::remove_file(store_file(&store, "entries.parquet")).expect("remove");
    let output = weeklens(&store, &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("entries.parquet") && err.contains("missing") && err.contains("weeklens build"),
        "{err}"
    );
    assert_eq!(err.matches("missing").count(), 1, "{err}");
}

#[test]
fn a_store_of_the_earlier_flat_layout_reads_and_the_next_build_replaces_it() {
    let (_dir, store) = built(&sample_archive());
    let before = crate::support::ok(&store, &["stats", "--format", "json"]);
    // The files of the generation moved up into the store, as earlier versions kept them.
    let generation = crate::support::generation(&store);
    for entry in fs::read_dir(&generation).expect("generation") {
        let path = entry.expect("entry").path();
        // The flat layout is of schema 7 and before, which had no `titles.parquet` (nor
        // `translations.parquet`, schema 9).
        if path
            .file_name()
            .is_some_and(|n| n == "titles.parquet" || n == "translations.parquet")
        {
            fs::remove_file(&path).expect("remove");
            continue;
        }
        fs::rename(&path, store.join(path.file_name().expect("name"))).expect("move");
    }
    fs::remove_dir(&generation).expect("empty");
    fs::remove_file(store.join("CURRENT")).expect("flat");
    assert_eq!(crate::support::ok(&store, &["stats", "--format", "json"]), before);
    let archive = sample_archive();
    crate::support::ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    assert_eq!(crate::support::ok(&store, &["stats", "--format", "json"]), before);
    assert!(!store.join("manifest.json").exists() && !store.join("entries.parquet").exists());
}

#[test]
fn a_rebuild_over_an_unreadable_store_keeps_it_and_asks_before_renumbering_the_topics() {
    let (_dir, store) = built(&sample_archive());
    let assignments = store_file(&store, "assignments.parquet");
    let mut bytes = fs::read(&assignments).expect("read");
    bytes[8] ^= 0x10;
    fs::write(&assignments, &bytes).expect("damage");
    let before = snapshot(&store);
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    let output = weeklens(&store, &["build", "--archive", archive]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("assignments.parquet") && err.contains("--fresh-topics"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    // Said once, not once for the file and again for the topics.
    assert_eq!(err.matches("--fresh-topics").count(), 1, "{err}");
    crate::support::ok(&store, &["build", "--archive", archive, "--fresh-topics"]);
    crate::support::ok(&store, &["topics"]);
}

/// A damaged file the build writes again from the archive (not one the topics are carried over
/// from) is mended by a plain rebuild, which keeps the topics: the message says that, not to
/// number the topics afresh.
#[test]
fn a_damaged_file_a_rebuild_writes_again_asks_for_a_plain_rebuild() {
    let (_dir, store) = built(&sample_archive());
    let topics_before = crate::support::ok(&store, &["topics", "--format", "json"]);
    let issues = store_file(&store, "issues.parquet");
    let mut bytes = fs::read(&issues).expect("read");
    bytes[8] ^= 0x10;
    fs::write(&issues, &bytes).expect("damage");
    let output = weeklens(&store, &["stats"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("issues.parquet")
            && err.contains("`weeklens build --archive DIR`")
            && !err.contains("--fresh-topics"),
        "{err}"
    );
    let archive = sample_archive();
    crate::support::ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    crate::support::ok(&store, &["stats"]);
    assert_eq!(
        crate::support::ok(&store, &["topics", "--format", "json"]),
        topics_before
    );
}

/// `report --out` and `synth --out` inside the store (the next build would refuse a store holding
/// them), a report inside the archive, and an output that is a symbolic link to nothing are
/// refused, naming the path; nothing is written.
#[test]
fn outputs_inside_the_store_or_the_archive_or_through_a_dangling_link_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&crate::support::sample_archive(), &archive);
    let store = dir.path().join("store");
    crate::support::ok(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).expect("link");
    let in_store = store.join("reports");
    let in_archive = archive.join("reports");
    let dangling_below = dangling.join("reports");
    let cases: [(&[&str], &Path, &str); 6] = [
        (&["report", "--season", "1", "--out"], &store, "inside the store"),
        (
            &["report", "--season", "1", "--out"],
            &in_store,
            "inside the store",
        ),
        (
            &["report", "--season", "1", "--out"],
            &in_archive,
            "inside the archive",
        ),
        (
            &["report", "--season", "1", "--out"],
            &dangling_below,
            "which points nowhere",
        ),
        (
            &["synth", "--entries", "100", "--out"],
            &in_store,
            "inside the store",
        ),
        (
            &["synth", "--entries", "100", "--out"],
            &dangling,
            "which points nowhere",
        ),
    ];
    let (store_before, archive_before) = (snapshot(&store), snapshot(&archive));
    for (args, path, says) in cases {
        let arg = path.to_str().expect("utf-8");
        let output = weeklens(&store, &[args, &[arg]].concat());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?} {arg}: {err}");
        assert!(err.contains(says), "{args:?} {arg}: {err}");
        assert!(
            err.contains(arg) || err.contains(dangling.to_str().expect("utf-8")),
            "{err}"
        );
    }
    assert!(
        snapshot(&store) == store_before,
        "something was written in the store"
    );
    assert!(
        snapshot(&archive) == archive_before,
        "something was written in the archive"
    );
    assert!(!dir.path().join("gone").exists());
    // The store again as a link to nothing, and an export onto one: the link is named, kept.
    let output = weeklens(
        &dangling,
        &["build", "--archive", archive.to_str().expect("utf-8")],
    );
    assert!(stderr(&output).contains("points nowhere"), "{}", stderr(&output));
    let export = weeklens(
        &store,
        &[
            "export",
            "issues",
            "--format",
            "csv",
            "-o",
            dangling.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(export.status.code(), Some(2));
    assert!(stderr(&export).contains("points nowhere"), "{}", stderr(&export));
    assert!(fs::symlink_metadata(&dangling)
        .expect("kept")
        .file_type()
        .is_symlink());
    assert!(!dir.path().join("gone").exists());
}

/// A report's own folder (`season-1` in `--out`), or a folder an export goes into, that is a
/// symbolic link to another store or into the archive is refused like the path itself: the other
/// store would no longer build (it would hold the report), the archive would hold the charts.
/// Found by session 25's battery: both were written there.
#[test]
fn outputs_through_a_link_into_another_store_or_the_archive_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&crate::support::sample_archive(), &archive);
    let archive_arg = archive.to_str().expect("utf-8");
    let store = dir.path().join("store");
    let other = dir.path().join("other");
    ok(&store, &["build", "--archive", archive_arg]);
    ok(&other, &["build", "--archive", archive_arg]);
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).expect("reports");
    let report_into = |out: &Path| -> Vec<String> {
        ["report", "--season", "1", "--out", out.to_str().expect("utf-8")]
            .map(String::from)
            .to_vec()
    };
    let export_to = |file: &Path| -> Vec<String> {
        [
            "export",
            "issues",
            "--format",
            "csv",
            "-o",
            file.to_str().expect("utf-8"),
        ]
        .map(String::from)
        .to_vec()
    };
    let succeeded = |args: Vec<String>| {
        ok(&store, &args.iter().map(String::as_str).collect::<Vec<_>>());
    };
    // Refused, naming what it is, and nothing written in the other store or the archive.
    let refused = |args: Vec<String>, says: &str| {
        let (other_before, archive_before) = (snapshot(&other), snapshot(&archive));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = weeklens(&store, &args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(
            snapshot(&other) == other_before,
            "{args:?} wrote in the other store"
        );
        assert!(
            snapshot(&archive) == archive_before,
            "{args:?} wrote in the archive"
        );
        err
    };
    let season = reports.join("season-1");
    for (leads_to, says) in [
        (&other, "is the weeklens store"),
        (&archive, "is inside the archive"),
    ] {
        std::os::unix::fs::symlink(leads_to, &season).expect("link");
        let err = refused(report_into(&reports), says);
        assert!(err.contains("season-1"), "{err}");
        fs::remove_file(&season).expect("unlink");
    }
    let into_other = dir.path().join("into-other");
    std::os::unix::fs::symlink(&other, &into_other).expect("link");
    refused(export_to(&into_other.join("x.csv")), "inside the weeklens store");
    // A `..` after a folder that is not there takes back that folder: `nope/../other` is the
    // other store (it slipped past every check before the review).
    refused(
        report_into(&dir.path().join("nope").join("..").join("other")),
        "the weeklens store",
    );
    ok(&other, &["build", "--archive", archive_arg]);
    // Not refused: a folder of the user's holding a `manifest.json` of its own (a web app's) as
    // --out and as an export's folder, twice; a report folder linked to a folder elsewhere.
    let site = dir.path().join("site");
    fs::create_dir(&site).expect("site");
    fs::write(site.join("manifest.json"), "{\"name\": \"mine\"}").expect("manifest");
    for _ in 0..2 {
        succeeded(report_into(&site));
        succeeded(export_to(&site.join("issues.csv")));
    }
    assert!(site.join("season-1").join("index.html").is_file());
    assert_eq!(
        fs::read_to_string(site.join("manifest.json")).expect("kept"),
        "{\"name\": \"mine\"}"
    );
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("elsewhere");
    std::os::unix::fs::symlink(&elsewhere, &season).expect("link");
    succeeded(report_into(&reports));
    assert!(elsewhere.join("index.html").is_file());
}

/// A killed run leaves its staging folder (`.weeklens-report-XXXXXX` in --out) or file
/// (`.weeklens-export-XXXXXX` beside the export); the next run removes those over an hour old,
/// and nothing else: not a recent one, not another name, not one of the other kind.
#[test]
fn staging_left_by_a_killed_run_is_removed_when_stale_and_nothing_else() {
    let (dir, store) = built(&sample_archive());
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).expect("reports");
    let old = |path: &Path| {
        let touched = std::process::Command::new("touch")
            .args(["-h", "-d", "2 hours ago"])
            .arg(path)
            .status()
            .expect("touch");
        assert!(touched.success());
    };
    let stale_report = reports.join(".weeklens-report-a1B2c3");
    fs::create_dir(&stale_report).expect("staging");
    fs::write(stale_report.join("index.md"), "half").expect("half");
    old(&stale_report.join("index.md"));
    old(&stale_report);
    let stale_export = dir.path().join(".weeklens-export-Zz9Yy8");
    fs::write(&stale_export, "half").expect("staging");
    old(&stale_export);
    let mut kept = Vec::new();
    for (at, name, folder, stale) in [
        (reports.as_path(), ".weeklens-report-q1w2e3", true, false),
        (reports.as_path(), ".weeklens-report-mine", true, true),
        (reports.as_path(), ".weeklens-report-a1b2c3d", true, true),
        (reports.as_path(), ".weeklens-report-f1le00", false, true),
        (reports.as_path(), ".weeklens-reports-a1b2c3", true, true),
        (dir.path(), ".weeklens-export-r3c3nt", false, false),
        (dir.path(), ".weeklens-export-f0ld3r", true, true),
        (dir.path(), "weeklens-export-a1b2c3", false, true),
    ] {
        let path = at.join(name);
        if folder {
            fs::create_dir(&path).expect("folder");
        } else {
            fs::write(&path, "mine").expect("file");
        }
        if stale {
            old(&path);
        }
        kept.push(path);
    }
    let reports_arg = reports.to_str().expect("utf-8");
    ok(&store, &["report", "--season", "1", "--out", reports_arg]);
    let out = dir.path().join("issues.csv");
    ok(
        &store,
        &[
            "export",
            "issues",
            "--format",
            "csv",
            "-o",
            out.to_str().expect("utf-8"),
        ],
    );
    assert!(!stale_report.exists(), "the stale report staging is removed");
    assert!(!stale_export.exists(), "the stale export staging is removed");
    for path in kept {
        assert!(path.exists(), "{} was removed", path.display());
    }
}
